//! HCPCS Level II importer for the CMS quarterly "Alpha-Numeric HCPCS File" (fixed width,
//! one record a line, columns 1-based): code 1–5, sequence number 6–10, record identification
//! code 11 (3 = first line of a procedure, 4 = its continuation, 7 = first line of a modifier,
//! 8 = its continuation), long description 12–91, short description 92–119. Columns after 119
//! (pricing, coverage, dates) are ignored.
//!
//! Invariant: continuation lines are appended, in file order, to the long description of the
//! record that started the code; a continuation without a first line is an error.

use std::path::Path;

use super::{Imported, source_error};
use crate::terminology::asset::tree_entry;
use crate::terminology::codeset::{CodeSetInfo, Entry, EntryKind};
use crate::terminology::{Note, NoteKind, System, TerminologyError};

fn column(chars: &[char], from_1: usize, to_1: usize) -> String {
    chars
        .get(from_1.saturating_sub(1)..to_1.min(chars.len()))
        .unwrap_or_default()
        .iter()
        .collect::<String>()
        .trim()
        .to_string()
}

/// Parses the fixed-width text. `info.year` must be set by the caller; the label defaults to
/// "HCPCS Level II {year}".
///
/// # Errors
/// [`TerminologyError::Source`] naming the line of a short line, a bad record id, a
/// continuation without its first line, or a duplicate code.
pub fn parse(path: &Path, text: &str, mut info: CodeSetInfo) -> Result<Imported, TerminologyError> {
    let mut entries: Vec<Entry> = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line_no = n + 1;
        if line.trim().is_empty() {
            continue;
        }
        let chars: Vec<char> = line.chars().collect();
        if chars.len() < 12 {
            return Err(source_error(
                path,
                line_no,
                format!(
                    "the line has {} characters; a record needs at least code (1-5), sequence (6-10), record id (11) and a description from column 12",
                    chars.len()
                ),
            ));
        }
        let code = column(&chars, 1, 5).to_ascii_uppercase();
        let record = column(&chars, 11, 11);
        let long = column(&chars, 12, 91);
        let short = column(&chars, 92, 119);
        if code.is_empty() || !code.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(source_error(
                path,
                line_no,
                format!("`{code}` in columns 1-5 is not a HCPCS code or modifier"),
            ));
        }
        match record.as_str() {
            "3" | "7" => {
                if entries.iter().rev().take(64).any(|e| e.code == code) {
                    return Err(source_error(
                        path,
                        line_no,
                        format!("code {code} starts twice (record id {record})"),
                    ));
                }
                let at = u32::try_from(entries.len()).unwrap_or(u32::MAX);
                let mut entry = tree_entry(System::Hcpcs, EntryKind::Code, &code, &long, None, at);
                if !short.is_empty() {
                    entry.notes.push(Note {
                        kind: NoteKind::ShortDescription,
                        lines: vec![short],
                    });
                }
                entries.push(entry);
            }
            "4" | "8" => match entries.last_mut() {
                Some(entry) if entry.code == code => {
                    if !long.is_empty() {
                        entry.description.push(' ');
                        entry.description.push_str(&long);
                    }
                }
                _ => {
                    return Err(source_error(
                        path,
                        line_no,
                        format!(
                            "continuation record (id {record}) for {code} does not follow the first line of {code}"
                        ),
                    ));
                }
            },
            other => {
                return Err(source_error(
                    path,
                    line_no,
                    format!("record id `{other}` in column 11 must be 3, 4, 7 or 8"),
                ));
            }
        }
    }
    if entries.is_empty() {
        return Err(source_error(path, 0, "no HCPCS records found"));
    }
    if info.label.is_empty() {
        info.label = format!("HCPCS Level II {}", info.year);
    }
    Ok(Imported {
        system: System::Hcpcs,
        info,
        entries,
    })
}
