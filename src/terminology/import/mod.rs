//! Importers from public source files to the compact asset format ([`super::asset`]).
//!
//! Each importer reads one source format and returns an [`Imported`] tree (entries linked by
//! parent, tabular order, no 7th-character expansions); [`Imported::asset_bytes`] writes the
//! compressed asset, [`Imported::code_set`] builds the in-memory set (what the round-trip tests
//! compare). Sources: the CDC ICD-10-CM tabular XML ([`icd10cm`]), a `code,description` CSV of
//! ICD-10-PCS long titles ([`icd10pcs`]), the CMS HCPCS Level II fixed-width file ([`hcpcs`]),
//! and a user's own licensed CPT CSV ([`cpt`]); the CDC Alphabetic Index XML
//! ([`icd10cm_index`]) is not a code set but feeds the search's term layer. Every error names the file and line.

pub mod cpt;
pub mod hcpcs;
pub mod icd10cm;
pub mod icd10cm_index;
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
pub(crate) fn read_source(path: &Path) -> Result<(Vec<u8>, String), TerminologyError> {
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
pub(crate) fn decode_text(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(text) => text.strip_prefix('\u{feff}').unwrap_or(text).to_string(),
        Err(_) => bytes.iter().map(|b| char::from(*b)).collect(),
    }
}

/// The records of a CSV source (RFC 4180: commas, double-quoted fields with `""` for a quote),
/// each with its 1-based line number, read with [`csv::ReaderBuilder`]. Records may have any
/// number of fields; fields are returned as written (the importers trim them). Blank and
/// whitespace-only lines are skipped; a record is one line (a quoted field may not span lines).
///
/// # Errors
/// [`TerminologyError::Source`] naming the file and line of a quoted field that is not closed
/// on its line, or of a quote after blanks (which CSV reads as text, not as an opening quote).
pub fn csv_records(
    path: &Path,
    text: &str,
) -> Result<Vec<(usize, csv::StringRecord)>, TerminologyError> {
    // A final newline makes a quote left open on the last line swallow it, like any other.
    let newline: &[u8] = if text.ends_with('\n') { b"" } else { b"\n" };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .terminator(csv::Terminator::Any(b'\n'))
        .from_reader(std::io::Read::chain(text.as_bytes(), newline));
    let mut records = Vec::new();
    let mut record = csv::StringRecord::new();
    loop {
        let start = reader.position().clone();
        let more = reader.read_record(&mut record).map_err(|e| {
            let line = e.position().map_or(start.line(), csv::Position::line);
            source_error(
                path,
                usize::try_from(line).unwrap_or(usize::MAX),
                e.to_string(),
            )
        })?;
        if !more {
            break;
        }
        // The reader's start position is before any empty lines it skipped.
        let raw = text
            .get(usize::try_from(start.byte()).unwrap_or(usize::MAX)..)
            .unwrap_or_default();
        let skipped = raw.len() - raw.trim_start_matches('\n').len();
        let line = usize::try_from(start.line()).unwrap_or(usize::MAX) + skipped;
        let end = usize::try_from(reader.position().byte() - start.byte()).unwrap_or(usize::MAX);
        if raw
            .get(skipped..end.min(raw.len()))
            .unwrap_or(raw)
            .trim()
            .is_empty()
        {
            continue;
        }
        if record.iter().any(|field| field.contains('\n')) {
            return Err(source_error(
                path,
                line,
                "a quoted field is not closed on this line (fields may not span lines)",
            ));
        }
        if record.iter().any(|field| {
            field.trim_start().starts_with('"') && field.starts_with(char::is_whitespace)
        }) {
            return Err(source_error(
                path,
                line,
                "a quote after blanks does not open a quoted field; remove the blanks before the quote",
            ));
        }
        records.push((line, record.clone()));
    }
    Ok(records)
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
    fn reads_csv_records_with_their_lines() {
        let path = Path::new("t.csv");
        let fields = |text: &str| -> Result<Vec<(usize, Vec<String>)>, String> {
            csv_records(path, text)
                .map(|records| {
                    records
                        .iter()
                        .map(|(line, r)| (*line, r.iter().map(str::to_string).collect()))
                        .collect()
                })
                .map_err(|e| e.to_string())
        };
        assert_eq!(
            fields(r#""0016070","Bypass, with ""quotes"" inside""#),
            Ok(vec![(
                1,
                vec![
                    "0016070".to_string(),
                    "Bypass, with \"quotes\" inside".to_string()
                ]
            )])
        );
        assert_eq!(
            fields("a, b ,c\r\n\n  \nd,e\n"),
            Ok(vec![
                (1, vec!["a".into(), " b ".into(), "c\r".into()]),
                (4, vec!["d".into(), "e".into()]),
            ])
        );
        assert_eq!(
            fields("a,b\n\"open\nc,d"),
            Err(
                "t.csv line 2: a quoted field is not closed on this line (fields may not span lines)"
                    .to_string()
            )
        );
        assert!(fields("\"open").is_err());
        assert!(fields("a, \"b, c\"").is_err());
    }
}
