//! Importers from public source files to the compact asset format ([`super::asset`]).
//!
//! Each importer reads one source format and returns an [`Imported`] tree (entries linked by
//! parent, tabular order, no 7th-character expansions); [`Imported::asset_bytes`] writes the
//! compressed asset, [`Imported::code_set`] builds the in-memory set (what the round-trip tests
//! compare). Sources: the CDC ICD-10-CM tabular XML ([`icd10cm`]), a `code,description` CSV of
//! ICD-10-PCS long titles ([`icd10pcs`]), the CMS HCPCS Level II fixed-width file ([`hcpcs`]),
//! and a user's own licensed CPT CSV ([`cpt`]). Every error names the file and line.

pub mod cpt;
pub mod hcpcs;
pub mod icd10cm;
pub mod icd10pcs;
pub mod pcs_tables;

use std::path::Path;

use sha2::{Digest, Sha256};

use super::codeset::{CodeSet, CodeSetInfo, Entry};
use super::{System, TerminologyError, asset};

/// The result of an import: one system's tree and where it came from.
#[derive(Debug, Clone)]
pub struct Imported {
    /// The system.
    pub system: System,
    /// Year, label, source, checksum.
    pub info: CodeSetInfo,
    /// The tree, in source order.
    pub entries: Vec<Entry>,
}

impl Imported {
    /// The asset text (uncompressed).
    #[must_use]
    pub fn asset_text(&self) -> String {
        asset::write_text(self.system, &self.info, &self.entries)
    }

    /// The compressed asset, as embedded or stored in the user data directory.
    #[must_use]
    pub fn asset_bytes(&self) -> Vec<u8> {
        asset::compress(&self.asset_text())
    }

    /// The code set the asset loads as (goes through the asset text, like the real loader).
    ///
    /// # Errors
    /// Only if the writer produced text the reader rejects (a bug).
    pub fn code_set(&self) -> Result<CodeSet, TerminologyError> {
        asset::parse_text(self.system.id(), &self.asset_text())
    }
}

/// Reads a source file as bytes and its SHA-256 (hex).
///
/// # Errors
/// [`TerminologyError::Io`] when the file cannot be read.
pub fn read_source(path: &Path) -> Result<(Vec<u8>, String), TerminologyError> {
    let bytes = std::fs::read(path).map_err(|source| TerminologyError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let digest = Sha256::digest(&bytes);
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    Ok((bytes, hex))
}

/// Decodes source bytes as UTF-8, or Latin-1 when they are not UTF-8 (CMS files are ASCII but
/// some releases carry Windows-1252 characters).
#[must_use]
pub fn decode_text(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(text) => text.strip_prefix('\u{feff}').unwrap_or(text).to_string(),
        Err(_) => bytes.iter().map(|b| char::from(*b)).collect(),
    }
}

/// Splits one CSV line (RFC 4180: commas, double-quoted fields with `""` for a quote).
///
/// # Errors
/// A message when a quoted field is not closed on the line.
pub fn split_csv_line(line: &str) -> Result<Vec<String>, String> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut chars = line.chars().peekable();
    let mut in_quotes = false;
    let mut was_quoted = false;
    while let Some(c) = chars.next() {
        match (in_quotes, c) {
            (true, '"') => {
                if chars.peek() == Some(&'"') {
                    field.push('"');
                    chars.next();
                } else {
                    in_quotes = false;
                }
            }
            (true, c) => field.push(c),
            (false, '"') if field.trim().is_empty() && !was_quoted => {
                field.clear();
                in_quotes = true;
                was_quoted = true;
            }
            (false, ',') => {
                fields.push(finish_field(&field, was_quoted));
                field.clear();
                was_quoted = false;
            }
            (false, c) => field.push(c),
        }
    }
    if in_quotes {
        return Err(
            "a quoted field is not closed on this line (fields may not span lines)".to_string(),
        );
    }
    fields.push(finish_field(&field, was_quoted));
    Ok(fields)
}

fn finish_field(field: &str, was_quoted: bool) -> String {
    if was_quoted {
        field.to_string()
    } else {
        field.trim().to_string()
    }
}

/// A source-file error at a line.
pub(crate) fn source_error(
    path: &Path,
    line: usize,
    message: impl Into<String>,
) -> TerminologyError {
    TerminologyError::Source {
        path: path.to_path_buf(),
        line,
        message: message.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_csv() {
        assert_eq!(
            split_csv_line(r#""0016070","Bypass, with ""quotes"" inside""#),
            Ok(vec![
                "0016070".to_string(),
                "Bypass, with \"quotes\" inside".to_string()
            ])
        );
        assert_eq!(
            split_csv_line("a, b ,c"),
            Ok(vec!["a".into(), "b".into(), "c".into()])
        );
        assert!(split_csv_line("\"open").is_err());
    }
}
