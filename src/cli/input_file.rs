//! Reading the one input file a `key` command checks (a release-of-information request, an
//! access log): its size is bounded before it is read, JSON or RON by the extension, and every
//! error comes back in words with the file, line and column or the item.

use std::path::Path;
use std::process::ExitCode;

use crate::ron_input::RonInputError;

/// What kind of file is read, for the messages.
pub(crate) struct InputKind {
    /// The file with its article, e.g. "a request file".
    pub(crate) file: &'static str,
    /// The heading of a list of problems, e.g. "invalid request".
    pub(crate) invalid: &'static str,
    /// Where the format is documented, e.g. "docs/domain/access-audit.md for the log format".
    pub(crate) format_doc: &'static str,
    /// The largest file read, in bytes.
    pub(crate) max_bytes: usize,
}

/// Reads and parses `path` with `json` (a `.json` file) or `ron` (anything else).
///
/// # Errors
/// The message to print: an unreadable or too large file, a syntax error with its position, or
/// every problem the parse found.
pub(crate) fn read<T>(
    path: &Path,
    kind: &InputKind,
    ron: impl Fn(&str) -> Result<T, RonInputError>,
    json: impl Fn(&str) -> Result<T, RonInputError>,
) -> Result<T, String> {
    let shown = path.display();
    let max = kind.max_bytes;
    let size = std::fs::metadata(path)
        .map_err(|e| format!("cannot read {shown}: {e}"))?
        .len();
    if size > max as u64 {
        return Err(format!(
            "{shown}: the file is {size} bytes: {} is at most {max}",
            kind.file
        ));
    }
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {shown}: {e}"))?;
    let parsed = if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
    {
        json(crate::ron_input::without_bom(&text))
    } else {
        ron(&text)
    };
    parsed.map_err(|err| match err {
        RonInputError::Syntax {
            line,
            column,
            message,
        } => format!(
            "{shown}:{line}:{column}: {message} (see {})",
            kind.format_doc
        ),
        RonInputError::Invalid(problems) => {
            let mut text = format!("{shown}: {}:", kind.invalid);
            for p in &problems {
                text.push_str("\n  - ");
                text.push_str(p);
            }
            text
        }
    })
}

/// What a `key` command over an input file prints: `value` as JSON, or as `text` renders it.
pub(crate) fn render<T: serde::Serialize>(
    value: &T,
    json: bool,
    text: impl FnOnce(&T) -> Result<String, std::fmt::Error>,
) -> Result<String, String> {
    if json {
        return serde_json::to_string(value).map_err(|e| e.to_string());
    }
    text(value).map_err(|e| e.to_string())
}

/// Prints a `key` command's output and returns 0, or prints its error on standard error and
/// returns 1.
pub(crate) fn finish(result: Result<String, String>) -> ExitCode {
    match result {
        Ok(text) => {
            println!("{text}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
