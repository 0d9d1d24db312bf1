//! The CDC ICD-10-CM Alphabetic Index to Diseases and Injuries (`icd10cm_index_20XX.xml`, public
//! domain, a U.S. government work): main terms, subterms (`<term level="n">`), their codes, and
//! "see" / "see also" cross-references.
//!
//! `ehr-sim codes import icd10cm-index FILE` reads the XML ([`parse`]) and stores the terms in
//! the user data directory (`terminology/icd10cm_index.ehrt.z`, the LZ4 container of every
//! terminology asset, see [`crate::terminology::asset`]); the search loads them on first use
//! ([`user_terms`]): every term path with a code ("Fracture, traumatic, radius, lower end") becomes
//! a searchable document of that code, and every cross-reference whose term has at most three
//! words becomes a synonym ("tennis elbow" → "epicondylitis lateral").
//!
//! The published format: `<ICD10CM.index><version>…</version><title>…</title><letter>
//! <title>A</title><mainTerm><title>…<nemod>(…)</nemod></title><code>…</code><see>…</see>
//! <seeAlso>…</seeAlso><term level="1">…</term></mainTerm>…</letter></ICD10CM.index>`.
//! Table cells (`<cell>`, the neoplasm and drug tables) are not read.

use std::path::Path;
use std::sync::OnceLock;

use quick_xml::Reader;
use quick_xml::events::Event;

use super::icd10cm::{line_of, push_text};
use super::source_error;
use crate::terminology::{TerminologyError, asset};

/// File name in the user's terminology directory.
pub const FILE_NAME: &str = "icd10cm_index.ehrt.z";

/// First line of the stored text.
const HEADER: &str = "EHRSIM-INDEX\t1";

/// The terms of an Alphabetic Index.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IndexTerms {
    /// The index's version element (its year), when given.
    pub year: Option<u16>,
    /// Where it came from (file name) and its SHA-256.
    pub source: String,
    /// SHA-256 of the source file (hex).
    pub source_sha256: String,
    /// (code as written, e.g. "M70.4-", term path "Housemaid's knee").
    pub terms: Vec<(String, String)>,
    /// (term path, target) of "see" and "see also" references.
    pub see: Vec<(String, String)>,
}

/// Parses the index XML. `path` is only used in error messages.
///
/// # Errors
/// [`TerminologyError::Source`] with the line of the first malformed element, or when the file
/// is not an Alphabetic Index (no `<mainTerm>`).
pub fn parse(path: &Path, xml: &str) -> Result<IndexTerms, TerminologyError> {
    let mut reader = Reader::from_str(xml);
    let mut out = IndexTerms::default();
    let mut open: Vec<String> = Vec::new();
    // Titles of the open main term and subterms, by level.
    let mut titles: Vec<String> = Vec::new();
    let mut levels: Vec<usize> = Vec::new();
    let mut text = String::new();
    let mut main_terms = 0usize;
    let line_at = |pos: u64| line_of(xml, pos);
    loop {
        let event = reader.read_event().map_err(|e| {
            source_error(
                path,
                line_at(reader.error_position()),
                format!("not well-formed XML: {e}"),
            )
        })?;
        match event {
            Event::Start(start) => {
                let name = String::from_utf8_lossy(start.name().as_ref()).into_owned();
                match name.as_str() {
                    "mainTerm" => {
                        main_terms += 1;
                        levels.push(0);
                    }
                    "term" => {
                        let level = start
                            .try_get_attribute("level")
                            .ok()
                            .flatten()
                            .and_then(|a| String::from_utf8_lossy(&a.value).parse::<usize>().ok())
                            .unwrap_or(levels.last().map_or(1, |l| l + 1));
                        levels.push(level);
                    }
                    // A title keeps the text of its <nemod> children.
                    "nemod" => {}
                    _ => text.clear(),
                }
                open.push(name);
            }
            ev @ (Event::Text(_) | Event::GeneralRef(_) | Event::CData(_)) => {
                push_text(&ev, &mut text).map_err(|message| {
                    source_error(path, line_at(reader.buffer_position()), message)
                })?;
            }
            Event::End(end) => {
                let name = String::from_utf8_lossy(end.name().as_ref()).into_owned();
                open.pop();
                let parent = open.last().map(String::as_str).unwrap_or_default();
                let in_cell = open.iter().any(|n| n == "cell");
                let value = text.split_whitespace().collect::<Vec<_>>().join(" ");
                match name.as_str() {
                    "version" if open.len() == 1 => {
                        out.year = value.get(..4).and_then(|y| y.parse().ok());
                    }
                    "title" if matches!(parent, "mainTerm" | "term") => {
                        let level = levels.last().copied().unwrap_or(0);
                        titles.truncate(level);
                        while titles.len() < level {
                            titles.push(String::new());
                        }
                        titles.push(value);
                    }
                    "code" if !in_cell && matches!(parent, "mainTerm" | "term") => {
                        let term = term_path(&titles);
                        if !value.is_empty() && !term.is_empty() {
                            out.terms.push((value, term));
                        }
                    }
                    "see" | "seeAlso" if matches!(parent, "mainTerm" | "term") => {
                        let term = term_path(&titles);
                        if !value.is_empty() && !term.is_empty() {
                            out.see.push((term, value));
                        }
                    }
                    "mainTerm" | "term" => {
                        let level = levels.pop().unwrap_or(0);
                        titles.truncate(level);
                    }
                    _ => {}
                }
                if name != "nemod" {
                    text.clear();
                }
            }
            Event::Eof => break,
            Event::Empty(_)
            | Event::Comment(_)
            | Event::Decl(_)
            | Event::PI(_)
            | Event::DocType(_) => {}
        }
    }
    if main_terms == 0 {
        return Err(source_error(
            path,
            0,
            "no <mainTerm> found: this is not the ICD-10-CM Alphabetic Index XML (icd10cm_index_20XX.xml from the CDC ICD-10-CM files)",
        ));
    }
    Ok(out)
}

fn term_path(titles: &[String]) -> String {
    titles
        .iter()
        .filter(|t| !t.is_empty())
        .cloned()
        .collect::<Vec<_>>()
        .join(", ")
}

fn clean(s: &str) -> String {
    s.replace(['\t', '\n', '\r'], " ")
}

/// The stored text of a parsed index.
#[must_use]
pub fn to_text(terms: &IndexTerms) -> String {
    let mut out = format!(
        "{HEADER}\nI\t{}\t{}\t{}\n",
        terms.year.map(|y| y.to_string()).unwrap_or_default(),
        clean(&terms.source),
        clean(&terms.source_sha256)
    );
    for (code, term) in &terms.terms {
        out.push_str(&format!("T\t{}\t{}\n", clean(code), clean(term)));
    }
    for (term, target) in &terms.see {
        out.push_str(&format!("S\t{}\t{}\n", clean(term), clean(target)));
    }
    out
}

/// The compressed file `codes import icd10cm-index` writes.
#[must_use]
pub fn to_bytes(terms: &IndexTerms) -> Vec<u8> {
    asset::compress(&to_text(terms))
}

/// Reads a stored index.
///
/// # Errors
/// [`TerminologyError::Asset`] naming `what` and the line that is not a stored index line.
pub fn from_bytes(what: &str, bytes: &[u8]) -> Result<IndexTerms, TerminologyError> {
    let text = asset::decompress(what, bytes)?;
    let mut lines = text.lines();
    let bad = |line: usize, message: &str| TerminologyError::Asset {
        what: what.to_string(),
        line,
        message: format!(
            "{message}; import the index again with `ehr-sim codes import icd10cm-index FILE`"
        ),
    };
    if lines.next() != Some(HEADER) {
        return Err(bad(1, "not a stored Alphabetic Index"));
    }
    let mut out = IndexTerms::default();
    for (n, line) in lines.enumerate() {
        let fields: Vec<&str> = line.split('\t').collect();
        match fields.as_slice() {
            ["I", year, source, sha] => {
                out.year = year.parse().ok();
                out.source = (*source).to_string();
                out.source_sha256 = (*sha).to_string();
            }
            ["T", code, term] => out.terms.push(((*code).to_string(), (*term).to_string())),
            ["S", term, target] => out.see.push(((*term).to_string(), (*target).to_string())),
            [""] => {}
            _ => return Err(bad(n + 2, "unexpected line")),
        }
    }
    Ok(out)
}

/// The user's imported index (empty when none was imported or it cannot be read), loaded once.
#[must_use]
pub fn user_terms() -> IndexTerms {
    static TERMS: OnceLock<IndexTerms> = OnceLock::new();
    TERMS
        .get_or_init(|| {
            let Ok(dir) = crate::paths::terminology_dir() else {
                return IndexTerms::default();
            };
            let path = dir.join(FILE_NAME);
            std::fs::read(&path)
                .ok()
                .and_then(|bytes| from_bytes(&path.display().to_string(), &bytes).ok())
                .unwrap_or_default()
        })
        .clone()
}

/// "see" targets that name no wording of their own ("see condition").
pub(crate) fn is_generic_target(target: &str) -> bool {
    let t = target.to_lowercase();
    t == "condition" || t.contains("specific condition") || t.starts_with("by site")
}
