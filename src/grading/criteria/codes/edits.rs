//! Coding edits on a submitted code list: each edit the [`CodeChecker`] reports is listed with
//! its rule, and those the severity table rates are applied: a code never accepted first
//! listed first (`unacceptable_principal`), a "code first" order broken (`code_first_order`),
//! an Excludes1 pair the key does not itself contain (`excludes1_pair`; a key that lists both
//! treats the conditions as unrelated, OCG I.A.12.a). A missing "use additional" code is
//! reported here and costs its key line (see `missing`), never twice.

use super::{Findings, KeyEntry, fmt_num};
use crate::grading::checker::{CodeChecker, EditKind};
use crate::grading::rubric::{CodeSettings, Severity};
use crate::terminology::edits::CodingSetting;
use crate::terminology::syntax::with_dot;

/// Reports the checker's coding edits on the submitted codes with their rules and records the
/// errors they make. Returns the code lines to deduct.
pub(super) fn apply_edits(
    checker: Option<&dyn CodeChecker>,
    codes: &[String],
    entries: &[KeyEntry],
    settings: &CodeSettings,
    setting: CodingSetting,
    f: &mut Findings,
) -> f64 {
    let Some(checker) = checker else {
        return 0.0;
    };
    let key_codes: std::collections::HashSet<&String> = entries
        .iter()
        .filter(|e| e.never.is_none())
        .flat_map(|e| &e.accepted)
        .collect();
    let mut lines = 0.0;
    for edit in checker.edits(codes, setting) {
        let rated: Option<(Severity, &str)> = match edit.kind {
            EditKind::NeverFirst => Some((
                settings.severity.unacceptable_principal,
                "a code unacceptable as principal/first-listed diagnosis listed first",
            )),
            EditKind::CodeFirst => Some((
                settings.severity.code_first_order,
                "a \"code first\" order broken",
            )),
            EditKind::Excludes1 if !edit.codes.iter().all(|c| key_codes.contains(&with_dot(c))) => {
                Some((
                    settings.severity.excludes1_pair,
                    "two codes never reported together (an Excludes1 note or a guideline)",
                ))
            }
            EditKind::NotFound
            | EditKind::Header
            | EditKind::SeventhCharacter
            | EditKind::Excludes1
            | EditKind::UseAdditional
            | EditKind::Duplicate => None,
        };
        let note = match rated {
            Some((severity, what)) => {
                // The edit line already cites the rule: the class needs only its severity.
                let _ = f.error(severity, what, &edit.rule);
                let class = format!("{} — {what}", super::severity_word(severity));
                // A critical error fails the attempt through the gate; a wrong first code
                // costs its line through the order rule already.
                let cost = match (severity, edit.kind) {
                    (Severity::Critical, _) | (_, EditKind::NeverFirst) => 0.0,
                    (other @ (Severity::Major | Severity::Minor), _) => settings.costs.of(other),
                };
                lines += cost;
                if cost > 0.0 {
                    format!(" [{class}, −{} line]", fmt_num(cost))
                } else {
                    format!(" [{class}]")
                }
            }
            None => String::new(),
        };
        f.details.push(format!(
            "edit {:?} [{}]: {} — rule: {}{note}",
            edit.kind,
            edit.codes.join(", "),
            edit.message,
            edit.rule
        ));
    }
    lines
}
