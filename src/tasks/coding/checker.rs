//! The grading engine's [`CodeChecker`] over the shipped ICD-10-CM FY2026 tables: code facts
//! (billable, description, laterality from the description) and the terminology module's
//! coding edits, so `ehr-sim grade` can credit header codes as invalid, deduct a missing "use
//! additional code" and an Excludes1 pair, and cite each rule.

use crate::grading::{CodeChecker, CodeEdit, CodeFacts, EditKind, Laterality};
use crate::terminology::edits::CodingSetting;
use crate::terminology::{self, System, edits, syntax};

/// ICD-10-CM code facts and edits from the embedded code set.
#[derive(Debug, Clone, Copy, Default)]
pub struct TerminologyChecker;

/// The side a tabular description names, if any.
fn laterality(description: &str) -> Option<Laterality> {
    let d = description.to_ascii_lowercase();
    let has = |w: &str| d.split(|c: char| !c.is_ascii_alphabetic()).any(|x| x == w);
    if has("bilateral") {
        Some(Laterality::Bilateral)
    } else if has("right") {
        Some(Laterality::Right)
    } else if has("left") {
        Some(Laterality::Left)
    } else if d.contains("unspecified side")
        || d.contains("unspecified arm")
        || d.contains("unspecified leg")
        || d.contains("unspecified radius")
    {
        Some(Laterality::Unspecified)
    } else {
        None
    }
}

impl CodeChecker for TerminologyChecker {
    fn lookup(&self, code: &str) -> Option<CodeFacts> {
        let e = terminology::lookup(System::Icd10Cm, code)
            .or_else(|| terminology::lookup(System::Icd10Pcs, code))?;
        Some(CodeFacts {
            code: e.code.clone(),
            billable: e.billable,
            description: e.description.clone(),
            laterality: laterality(&e.description),
        })
    }

    fn edits(&self, codes: &[String], setting: CodingSetting) -> Vec<CodeEdit> {
        // ICD-10-PCS codes (procedure lists) have no tabular edits here.
        let refs: Vec<&str> = codes
            .iter()
            .map(String::as_str)
            .filter(|c| !syntax::is_listed_pcs_code(c))
            .collect();
        let mut out: Vec<CodeEdit> = edits::check(&refs, setting)
            .edits
            .into_iter()
            .map(|e| CodeEdit {
                kind: match e.kind {
                    edits::EditKind::NotFound => EditKind::NotFound,
                    edits::EditKind::Header => EditKind::Header,
                    edits::EditKind::SeventhCharacter => EditKind::SeventhCharacter,
                    edits::EditKind::Excludes1 | edits::EditKind::NotTogether => {
                        EditKind::Excludes1
                    }
                    edits::EditKind::CodeFirst if e.never_first => EditKind::NeverFirst,
                    edits::EditKind::CodeFirst => EditKind::CodeFirst,
                    edits::EditKind::UseAdditional => EditKind::UseAdditional,
                    edits::EditKind::Duplicate => EditKind::Duplicate,
                },
                codes: e.codes,
                message: e.message,
                rule: e.rule,
                missing: e.missing.map(str::to_string),
            })
            .collect();
        out.sort();
        out
    }

    fn use_additional_rule(&self, trigger: &str, code: &str) -> Option<String> {
        edits::use_additional_note(trigger, code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facts_and_edits_from_the_tables() {
        let c = TerminologyChecker;
        let e1122 = c.lookup("e1122").unwrap();
        assert_eq!(e1122.code, "E11.22");
        assert!(e1122.billable);
        assert!(!c.lookup("E11").unwrap().billable);
        assert_eq!(
            c.lookup("S52.531A").unwrap().laterality,
            Some(Laterality::Right)
        );
        assert!(c.lookup("0FT44ZZ").unwrap().billable);
        assert!(
            c.edits(&["0FT44ZZ".into()], CodingSetting::Inpatient)
                .is_empty()
        );
        let edits = c.edits(&["E11.22".into()], CodingSetting::Outpatient);
        assert!(
            edits.iter().any(|e| e.kind == EditKind::UseAdditional),
            "{edits:?}"
        );
    }
}
