//! Coding edits on a submitted code list: each edit the [`CodeChecker`] reports is listed with
//! its rule; a missing "use additional" code is deducted once however many codes ask for it,
//! and an Excludes1 pair is deducted unless the key itself contains both codes (the key then
//! treats the conditions as unrelated, OCG I.A.12.a).

use super::{KeyEntry, fmt_num};
use crate::grading::checker::{CodeChecker, EditKind};
use crate::grading::rubric::CodeSettings;
use crate::terminology::edits::CodingSetting;
use crate::terminology::syntax::with_dot;

/// Reports the checker's coding edits on the submitted codes with their rules and deducts
/// each missing "use additional" code once and each Excludes1 pair the key does not contain.
/// Returns the credit after the deductions (subtracted one edit at a time).
pub(super) fn apply_edits(
    checker: Option<&dyn CodeChecker>,
    codes: &[String],
    entries: &[KeyEntry],
    settings: &CodeSettings,
    setting: CodingSetting,
    mut credit: f64,
    details: &mut Vec<String>,
) -> f64 {
    let mut deducted = false;
    if let Some(checker) = checker {
        let key_codes: Vec<&String> = entries.iter().flat_map(|e| &e.accepted).collect();
        let mut missing_deducted: Vec<String> = Vec::new();
        for edit in checker.edits(codes, setting) {
            let deduct = match edit.kind {
                // One missing code asked for by two reported codes is one omission.
                EditKind::UseAdditional
                    if edit
                        .missing
                        .as_ref()
                        .is_some_and(|m| missing_deducted.contains(m)) =>
                {
                    0.0
                }
                EditKind::UseAdditional => {
                    missing_deducted.extend(edit.missing.clone());
                    settings.credits.missing_use_additional_deduct
                }
                EditKind::Excludes1
                    if !edit.codes.iter().all(|c| key_codes.contains(&&with_dot(c))) =>
                {
                    settings.credits.excludes1_deduct
                }
                EditKind::NotFound
                | EditKind::Header
                | EditKind::SeventhCharacter
                | EditKind::Excludes1
                | EditKind::CodeFirst
                | EditKind::Duplicate => 0.0,
            };
            let repeated = edit.kind == EditKind::UseAdditional && deduct == 0.0;
            let note = if deduct > 0.0 {
                format!(" (−{}%)", fmt_num(deduct * 100.0))
            } else if repeated && settings.credits.missing_use_additional_deduct > 0.0 {
                " (the same missing code: already deducted)".to_string()
            } else {
                String::new()
            };
            details.push(format!(
                "edit {:?} [{}]: {} — rule: {}{note}",
                edit.kind,
                edit.codes.join(", "),
                edit.message,
                edit.rule
            ));
            credit -= deduct;
            deducted |= deduct > 0.0;
        }
    }
    if deducted {
        details.push(format!(
            "after edit deductions: {}%",
            fmt_num(credit.max(0.0) * 100.0)
        ));
    }
    credit
}
