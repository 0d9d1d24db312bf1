//! Reading scenario files from disk and turning parser errors into diagnostics.
//!
//! [`parse`] is pure (text in, scenario or diagnostics out); [`load_file`] and [`load_dir`] do
//! the file IO. RON's `implicit_some` extension is on, so optional fields are written plainly.

use std::fs;
use std::path::{Path, PathBuf};

use ron::extensions::Extensions;

use super::schema::Scenario;
use crate::diagnostic::Diagnostic;
use crate::terminology::search::fuzzy::levenshtein;

/// A scenario together with the file it came from and the file's content hash.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadedScenario {
    /// Where it was read from.
    pub path: PathBuf,
    /// SHA-256 of the file's bytes (hex), so results of a changed scenario never mix with old ones.
    pub content_sha256: String,
    /// The parsed scenario.
    pub scenario: Scenario,
}

/// Why an engine input written in RON (an ESI presentation, a hospice timeline) could not be
/// used. [`crate::tasks::triage::PresentationError`] and
/// [`crate::tasks::hospice::TimelineError`] are this type.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RonInputError {
    /// The RON text does not parse into the expected shape.
    #[error("{line}:{column}: {message}")]
    Syntax {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What the parser expected.
        message: String,
    },
    /// The text parses but is inconsistent or out of range; every problem is listed.
    #[error("{}", .0.join("; "))]
    Invalid(Vec<String>),
}

/// Parses RON text with [`ron_options`], then checks the value with `problems` (empty = fine).
///
/// # Errors
/// [`RonInputError::Syntax`] with line and column when the text does not parse;
/// [`RonInputError::Invalid`] with every problem `problems` lists.
pub fn from_ron_checked<T: serde::de::DeserializeOwned>(
    text: &str,
    problems: impl FnOnce(&T) -> Vec<String>,
) -> Result<T, RonInputError> {
    let value: T = ron_options()
        .from_str(text)
        .map_err(|err| RonInputError::Syntax {
            line: err.span.start.line,
            column: err.span.start.col,
            message: err.code.to_string(),
        })?;
    let found = problems(&value);
    if found.is_empty() {
        Ok(value)
    } else {
        Err(RonInputError::Invalid(found))
    }
}

/// The RON options every data file in EHR Sim is read with.
pub fn ron_options() -> ron::Options {
    ron::Options::default().with_default_extension(Extensions::IMPLICIT_SOME)
}

/// Parses scenario text. `file` is only used to label diagnostics.
///
/// # Errors
/// The parser's error as a diagnostic with line, column and a hint.
pub fn parse(file: &Path, text: &str) -> Result<Scenario, Diagnostic> {
    ron_options()
        .from_str::<Scenario>(text)
        .map_err(|e| ron_diagnostic(file, &e))
}

/// Turns a RON error into a diagnostic with a hint on how to fix it.
pub fn ron_diagnostic(file: &Path, err: &ron::error::SpannedError) -> Diagnostic {
    use ron::error::Error;
    let (line, col) = (err.span.start.line, err.span.start.col);
    let message = err.code.to_string();
    let hint = match &err.code {
        Error::NoSuchStructField {
            expected, found, ..
        } => Some(match closest(found, expected) {
            Some(best) => format!(
                "did you mean `{best}`? Allowed fields: {}",
                expected.join(", ")
            ),
            None => format!("allowed fields: {}", expected.join(", ")),
        }),
        Error::NoSuchEnumVariant {
            expected, found, ..
        } => Some(match closest(found, expected) {
            Some(best) => format!("did you mean `{best}`? Allowed: {}", expected.join(", ")),
            None => format!("allowed: {}", expected.join(", ")),
        }),
        Error::MissingStructField { field, .. } => Some(format!(
            "add `{field}: ...`; see scenarios/README.md for what it holds"
        )),
        Error::DuplicateStructField { field, .. } => {
            Some(format!("remove one of the two `{field}` entries"))
        }
        Error::ExpectedDifferentLength { .. } | Error::ExpectedArray | Error::ExpectedMap => None,
        Error::Eof => Some("the file ends early: check for a missing `)` or `]`".to_string()),
        Error::ExpectedInteger => Some("write a whole number, without quotes".to_string()),
        Error::ExpectedFloat => Some("write a number, without quotes".to_string()),
        Error::ExpectedString | Error::ExpectedStringEnd => {
            Some("write text in double quotes".to_string())
        }
        _ if [
            "out of range",
            "invalid characters",
            "premature end",
            "trailing input",
            "input is not enough",
        ]
        .iter()
        .any(|m| message.contains(m)) =>
        {
            Some("dates are written as \"YYYY-MM-DD\" and must exist on the calendar".to_string())
        }
        _ => None,
    };
    let diagnostic = Diagnostic::at_position(file, line, col, message);
    match hint {
        Some(h) => diagnostic.with_hint(h),
        None => diagnostic,
    }
}

/// The allowed name closest to `found` (edit distance ≤ 2, or a case-only difference).
fn closest<'a>(found: &str, allowed: &'a [&'a str]) -> Option<&'a str> {
    allowed
        .iter()
        .map(|a| (levenshtein(&found.to_lowercase(), &a.to_lowercase()), *a))
        .filter(|(d, _)| *d <= 2)
        .min()
        .map(|(_, a)| a)
}

/// Reads and parses one scenario file.
///
/// # Errors
/// A diagnostic when the file cannot be read, is not UTF-8, or does not parse.
pub fn load_file(path: &Path) -> Result<LoadedScenario, Diagnostic> {
    let bytes = fs::read(path).map_err(|e| {
        Diagnostic::at_file(path, format!("cannot read the file: {e}"))
            .with_hint("check the path and the file's permissions")
    })?;
    let text = String::from_utf8(bytes.clone()).map_err(|e| {
        Diagnostic::at_file(path, format!("the file is not UTF-8 text: {e}"))
            .with_hint("save the scenario as UTF-8 text")
    })?;
    let mut scenario = parse(path, &text)?;
    crate::interop::synthea::attach(path, &mut scenario)?;
    // A scenario that takes its patient from a bundle changes when the bundle does.
    let content_sha256 = match scenario.patient.patient_source.import() {
        Some(import) => sha256_hex(format!("{}+{}", sha256_hex(&bytes), import.sha256).as_bytes()),
        None => sha256_hex(&bytes),
    };
    Ok(LoadedScenario {
        path: path.to_path_buf(),
        content_sha256,
        scenario,
    })
}

/// Every `.ron` file under `dir`, recursively, sorted by path.
///
/// # Errors
/// A diagnostic when the folder cannot be read.
pub fn ron_files(dir: &Path) -> Result<Vec<PathBuf>, Diagnostic> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries = fs::read_dir(&d).map_err(|e| {
            Diagnostic::at_file(&d, format!("cannot read the folder: {e}"))
                .with_hint("check the path and its permissions")
        })?;
        for entry in entries.flatten() {
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "ron") {
                out.push(p);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// SHA-256 of bytes, lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_counts_edits() {
        assert_eq!(levenshtein("agee", "age"), 1);
        assert_eq!(levenshtein("", "abc"), 3);
        assert_eq!(levenshtein("kitten", "sitting"), 3);
    }

    #[test]
    fn closest_suggests_near_names_only() {
        assert_eq!(closest("titel", &["title", "summary"]), Some("title"));
        assert_eq!(closest("zzzzzz", &["title", "summary"]), None);
    }

    #[test]
    fn garbage_is_a_diagnostic_not_a_panic() {
        let d = parse(Path::new("x.ron"), "Scenario(((((").err();
        assert!(d.is_some_and(|d| d.position.is_some()));
    }
}
