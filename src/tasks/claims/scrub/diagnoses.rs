//! Diagnosis edits shared by both forms: the code must be a billable ICD-10-CM FY2026 code, and
//! the principal (UB-04 FL 67) or first-listed (CMS-1500 item 21 line A) diagnosis must be one
//! that may come first, at an age that fits it.

use super::Findings;
use crate::terminology::drg::group::age_conflict;
use crate::terminology::edits::{self, CodingSetting, EditKind};
use crate::terminology::{self, System};

const RULE_VALID: &str = "ICD-10-CM Official Guidelines I.B.1 and I.B.2 (only codes of the code set in effect, to the full number of characters; headers are not reportable); MCE invalid diagnosis code edit";
const RULE_MANIFESTATION: &str = "ICD-10-CM Official Guidelines I.A.13 (a manifestation code is never first-listed); Medicare Code Editor (MCE) manifestation code as principal diagnosis";
const RULE_EXTERNAL: &str = "ICD-10-CM Official Guidelines I.C.20 (external cause codes are never first-listed); Medicare Code Editor (MCE) E-code as principal diagnosis";
const RULE_AGE: &str = "Medicare Code Editor (MCE) age conflict (maternity ages 9-64, newborn/perinatal age 0; docs/domain/ms-drg.md §2)";
/// MCE "unacceptable principal diagnosis": the categories this scrubber knows (a partial list).
const RULE_UNACCEPTABLE: &str = "Medicare Code Editor (MCE) unacceptable principal diagnosis (partial list: B95-B97, Z37, Z3A, Z68, Z79; docs/domain/claims.md §4.3)";

/// The code without its dot, upper case.
pub(super) fn key(code: &str) -> String {
    code.trim().replace('.', "").to_ascii_uppercase()
}

/// Reports a diagnosis that is not a billable ICD-10-CM code. Returns true when it is one.
pub(super) fn valid(out: &mut Findings, order: u32, locator: &str, code: &str) -> bool {
    let shown = code.trim();
    match terminology::lookup(System::Icd10Cm, &key(code)) {
        Some(e) if e.is_code() && e.billable => true,
        Some(e) if e.is_code() => {
            out.error(
                order,
                locator,
                format!(
                    "{shown} is a header code ({}), not billable: report one of its subcodes",
                    e.description
                ),
                RULE_VALID,
            );
            false
        }
        _ => {
            out.error(
                order,
                locator,
                format!("{shown} is not an ICD-10-CM FY2026 code"),
                RULE_VALID,
            );
            false
        }
    }
}

/// Categories that are never principal on an inpatient claim (MCE unacceptable principal
/// diagnosis), as far as this scrubber knows them, with the reason in words.
const UNACCEPTABLE_PRINCIPAL: [(&str, &str); 7] = [
    (
        "B95",
        "an infectious agent code (B95-B97) is a supplementary code, reported after the infection it identifies",
    ),
    (
        "B96",
        "an infectious agent code (B95-B97) is a supplementary code, reported after the infection it identifies",
    ),
    (
        "B97",
        "an infectious agent code (B95-B97) is a supplementary code, reported after the infection it identifies",
    ),
    (
        "Z37",
        "an outcome-of-delivery code (Z37) is a secondary code on the mother's delivery record",
    ),
    (
        "Z3A",
        "a weeks-of-gestation code (Z3A) follows the pregnancy complication code",
    ),
    (
        "Z68",
        "a BMI code (Z68) is reported only as a secondary code with the related condition",
    ),
    (
        "Z79",
        "a long-term drug therapy code (Z79) is a secondary code",
    ),
];

/// Edits on the principal / first-listed diagnosis (already known to be a billable code):
/// manifestation, external cause and other never-first codes (from the coding edits), the MCE
/// unacceptable-principal list when `inpatient`, and the MCE age conflict when `age` is known.
pub(super) fn principal(
    out: &mut Findings,
    order: u32,
    locator: &str,
    code: &str,
    inpatient: bool,
    age: Option<u8>,
) {
    let k = key(code);
    let setting = if inpatient {
        CodingSetting::Inpatient
    } else {
        CodingSetting::Outpatient
    };
    let report = edits::check(&[k.as_str()], setting);
    for e in report.edits.iter().filter(|e| e.never_first) {
        match e.kind {
            EditKind::CodeFirst => {}
            EditKind::NotFound
            | EditKind::Header
            | EditKind::SeventhCharacter
            | EditKind::Excludes1
            | EditKind::NotTogether
            | EditKind::UseAdditional
            | EditKind::Duplicate => continue,
        }
        let (what, rule) = if e.rule.contains("I.A.13") {
            (
                "manifestation code as principal diagnosis",
                RULE_MANIFESTATION,
            )
        } else if e.rule.contains("I.C.20") {
            ("external cause code as principal diagnosis", RULE_EXTERNAL)
        } else {
            ("unacceptable principal diagnosis", e.rule.as_str())
        };
        out.error(order, locator, format!("{what}: {}", e.message), rule);
    }
    if inpatient
        && let Some((_, why)) = UNACCEPTABLE_PRINCIPAL
            .iter()
            .find(|(prefix, _)| k.starts_with(prefix))
    {
        out.error(
            order,
            locator,
            format!("unacceptable principal diagnosis: {}: {why}", code.trim()),
            RULE_UNACCEPTABLE,
        );
    }
    if let Some(conflict) = age.and_then(|a| age_conflict(&k, a)) {
        out.error(order, locator, conflict, RULE_AGE);
    }
}
