//! Reading RON data files: the options every file is read with, parser errors turned into
//! diagnostics with a hint, engine inputs checked after parsing, and content hashes.
//!
//! Every RON reader in the program (scenarios, rubrics, answers, engine inputs) goes through
//! here, so a typo gets the same "did you mean" hint wherever it is made.

use std::path::Path;

use ron::extensions::Extensions;

use crate::diagnostic::Diagnostic;
use crate::terminology::search::fuzzy::levenshtein;

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
pub(crate) fn from_ron_checked<T: serde::de::DeserializeOwned>(
    text: &str,
    problems: impl FnOnce(&T) -> Vec<String>,
) -> Result<T, RonInputError> {
    let value: T =
        ron_options()
            .from_str(without_bom(text))
            .map_err(|err| RonInputError::Syntax {
                line: err.span.start.line,
                column: err.span.start.col,
                message: err.code.to_string(),
            })?;
    checked(value, problems)
}

/// `value` when `problems` finds nothing, else every problem.
fn checked<T>(value: T, problems: impl FnOnce(&T) -> Vec<String>) -> Result<T, RonInputError> {
    let found = problems(&value);
    if found.is_empty() {
        Ok(value)
    } else {
        Err(RonInputError::Invalid(found))
    }
}

/// Parses JSON text, then checks the value with `problems` (the JSON twin of
/// [`from_ron_checked`]).
///
/// # Errors
/// As [`from_ron_checked`].
pub(crate) fn from_json_checked<T: serde::de::DeserializeOwned>(
    text: &str,
    problems: impl FnOnce(&T) -> Vec<String>,
) -> Result<T, RonInputError> {
    let value: T =
        serde_json::from_str(without_bom(text)).map_err(|err| RonInputError::Syntax {
            line: err.line(),
            column: err.column(),
            message: err.to_string(),
        })?;
    checked(value, problems)
}

/// Parses an input file's text of at most `max_bytes` (JSON when the first character after any
/// whitespace is `{`, else RON) and checks it with `problems`. `what` and `file` word the size
/// error: "{what} is N bytes: {file} is at most M".
///
/// # Errors
/// As [`from_ron_checked`]; a text over `max_bytes` is a syntax error at 1:1.
pub(crate) fn from_text_checked<T: serde::de::DeserializeOwned>(
    text: &str,
    max_bytes: usize,
    (what, file): (&str, &str),
    problems: impl FnOnce(&T) -> Vec<String>,
) -> Result<T, RonInputError> {
    if text.len() > max_bytes {
        return Err(RonInputError::Syntax {
            line: 1,
            column: 1,
            message: format!(
                "{what} is {} bytes: {file} is at most {max_bytes}",
                text.len()
            ),
        });
    }
    let text = without_bom(text);
    if text.trim_start().starts_with('{') {
        from_json_checked(text, problems)
    } else {
        from_ron_checked(text, problems)
    }
}

/// `text` without the byte-order mark some editors write at the start of a UTF-8 file (it is
/// neither RON nor JSON, and would be reported as a syntax error at 1:1).
#[must_use]
pub(crate) fn without_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

/// The RON options every data file in EHR Sim is read with.
pub(crate) fn ron_options() -> ron::Options {
    ron::Options::default().with_default_extension(Extensions::IMPLICIT_SOME)
}

/// Turns a RON error into a diagnostic with a hint on how to fix it.
// `ron::error::Error` is a foreign `#[non_exhaustive]` enum of some fifty variants: the ones with
// a specific hint are named, every other parse error has none.
#[allow(clippy::wildcard_enum_match_arm)]
pub(crate) fn ron_diagnostic(file: &Path, err: &ron::error::SpannedError) -> Diagnostic {
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
    fn closest_suggests_near_names_only() {
        assert_eq!(closest("titel", &["title", "summary"]), Some("title"));
        assert_eq!(closest("zzzzzz", &["title", "summary"]), None);
    }
}
