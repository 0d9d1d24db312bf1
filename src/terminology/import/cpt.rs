//! Importer for a user's own licensed CPT file: a CSV of `code,descriptor` (an optional header
//! row whose first field is "code" is skipped). CPT is AMA-copyrighted: nothing of it ships
//! with EHR Sim; the import is stored in the user's data directory only.
//!
//! Invariant: codes are five characters, letters and digits; each appears once.

use std::collections::BTreeSet;
use std::path::Path;

use super::{Imported, csv_records, source_error};
use crate::terminology::asset::tree_entry;
use crate::terminology::codeset::{CodeSetInfo, Entry, EntryKind};
use crate::terminology::{System, TerminologyError};

/// Parses the CSV. `info.year` must be set by the caller; the label defaults to
/// "CPT {year} (user-imported licensed file)".
///
/// # Errors
/// [`TerminologyError::Source`] naming the line of a malformed row or duplicate code.
pub fn parse(path: &Path, csv: &str, mut info: CodeSetInfo) -> Result<Imported, TerminologyError> {
    let mut entries: Vec<Entry> = Vec::new();
    let mut seen: BTreeSet<String> = BTreeSet::new();
    for (line_no, fields) in csv_records(path, csv)? {
        let (code, desc) = match (fields.get(0), fields.get(1)) {
            (Some(code), Some(desc)) => (code.trim().to_ascii_uppercase(), desc.trim().to_string()),
            _ => {
                return Err(source_error(
                    path,
                    line_no,
                    "expected two columns: code,descriptor",
                ));
            }
        };
        if line_no == 1 && code.eq_ignore_ascii_case("code") {
            continue;
        }
        if code.len() != 5 || !code.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(source_error(
                path,
                line_no,
                format!("`{code}` is not a CPT code (five letters or digits)"),
            ));
        }
        if desc.is_empty() {
            return Err(source_error(
                path,
                line_no,
                format!("code {code} has an empty descriptor"),
            ));
        }
        if !seen.insert(code.clone()) {
            return Err(source_error(
                path,
                line_no,
                format!("code {code} appears twice"),
            ));
        }
        let at = u32::try_from(entries.len()).unwrap_or(u32::MAX);
        entries.push(tree_entry(
            System::Cpt,
            EntryKind::Code,
            &code,
            &desc,
            None,
            at,
        ));
    }
    if entries.is_empty() {
        return Err(source_error(
            path,
            0,
            "no codes found; expected lines like `code,descriptor`",
        ));
    }
    if info.label.is_empty() {
        info.label = format!("CPT {} (user-imported licensed file)", info.year);
    }
    Ok(Imported {
        system: System::Cpt,
        info,
        entries,
    })
}
