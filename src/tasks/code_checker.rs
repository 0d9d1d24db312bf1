//! The grading engine's [`CodeChecker`] over the shipped code sets: code facts from the
//! ICD-10-CM (then ICD-10-PCS) tables and the coding edits of [`crate::terminology::edits`].

use crate::grading::{CodeChecker, CodeEdit, CodeFacts, EditKind, Laterality, Setting};
use crate::terminology::{self, System, edits};

/// Code facts and edits from the embedded FY2026 ICD-10-CM and ICD-10-PCS sets.
#[derive(Debug, Clone, Copy, Default)]
pub struct TerminologyChecker;

impl CodeChecker for TerminologyChecker {
    fn lookup(&self, code: &str) -> Option<CodeFacts> {
        let entry = terminology::lookup(System::Icd10Cm, code)
            .or_else(|| terminology::lookup(System::Icd10Pcs, code))
            .filter(|e| e.is_code())?;
        Some(CodeFacts {
            code: entry.code.clone(),
            billable: entry.billable,
            description: entry.description.clone(),
            laterality: laterality(&entry.description),
        })
    }

    fn edits(&self, codes: &[String], setting: Setting) -> Vec<CodeEdit> {
        // Edits are ICD-10-CM conventions; procedure codes are checked by lookup only.
        let cm: Vec<&str> = codes
            .iter()
            .map(String::as_str)
            .filter(|c| terminology::lookup(System::Icd10Pcs, c).is_none())
            .collect();
        if cm.is_empty() {
            return Vec::new();
        }
        let setting = match setting {
            Setting::Inpatient => edits::Setting::Inpatient,
            Setting::Outpatient => edits::Setting::Outpatient,
        };
        let mut out: Vec<CodeEdit> = edits::check(&cm, setting)
            .edits
            .into_iter()
            .map(|e| CodeEdit {
                kind: match e.kind {
                    edits::EditKind::NotFound => EditKind::NotFound,
                    edits::EditKind::Header => EditKind::Header,
                    edits::EditKind::SeventhCharacter => EditKind::SeventhCharacter,
                    edits::EditKind::Excludes1 => EditKind::Excludes1,
                    edits::EditKind::CodeFirst => EditKind::CodeFirst,
                    edits::EditKind::UseAdditional => EditKind::UseAdditional,
                    edits::EditKind::Duplicate => EditKind::Duplicate,
                },
                codes: e.codes,
                message: e.message,
                rule: e.rule,
            })
            .collect();
        out.sort();
        out
    }
}

/// The side a description names, if any.
fn laterality(description: &str) -> Option<Laterality> {
    let d = description.to_lowercase();
    if d.contains("bilateral") {
        Some(Laterality::Bilateral)
    } else if d.contains("right") {
        Some(Laterality::Right)
    } else if d.contains("left") {
        Some(Laterality::Left)
    } else if d.contains("unspecified side")
        || d.contains("unspecified arm")
        || d.contains("unspecified leg")
    {
        Some(Laterality::Unspecified)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facts_and_edits_from_the_shipped_tables() {
        let c = TerminologyChecker;
        let facts = c.lookup("s52531a").expect("exists");
        assert_eq!(facts.code, "S52.531A");
        assert!(facts.billable);
        assert_eq!(facts.laterality, Some(Laterality::Right));
        assert!(c.lookup("N18.3").is_some_and(|f| !f.billable));
        assert!(c.lookup("0FT44ZZ").is_some_and(|f| f.billable));
        let edits = c.edits(&["N18.32".into(), "E11.22".into()], Setting::Outpatient);
        assert!(
            edits.iter().any(|e| e.kind == EditKind::CodeFirst),
            "{edits:?}"
        );
        assert!(
            c.edits(
                &["E11.22".into(), "N18.32".into(), "0FT44ZZ".into()],
                Setting::Inpatient
            )
            .is_empty()
        );
    }
}
