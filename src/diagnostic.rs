//! Diagnostics: one problem found in an input file, with where it is and how to fix it.
//!
//! Every loader and validator reports problems as [`Diagnostic`]s rather than stopping at the
//! first. A diagnostic renders as `path:line:col: error: message` (the line and column when the
//! parser knows them, otherwise the item path inside the file, such as
//! `patient.conditions[0].choose[1]`), followed by an indented `hint:` line.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serialize;

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The file cannot be used until this is fixed.
    Error,
    /// The file works, but probably not as its author meant.
    Warning,
}

/// One problem in one input file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// The file the problem is in.
    pub file: PathBuf,
    /// 1-based line and column, when the parser gives them.
    pub position: Option<(u32, u32)>,
    /// The item inside the file, e.g. `patient.conditions[0].choose[1].template`.
    pub item: Option<String>,
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// An error at an item path (for problems found after parsing).
    pub(crate) fn at_item(
        file: &Path,
        item: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            file: file.to_path_buf(),
            position: None,
            item: Some(item.into()),
            severity: Severity::Error,
            message: message.into(),
            hint: None,
        }
    }

    /// An error at a line and column (for problems found by the parser).
    pub(crate) fn at_position(
        file: &Path,
        line: usize,
        col: usize,
        message: impl Into<String>,
    ) -> Self {
        Self {
            file: file.to_path_buf(),
            position: Some((
                u32::try_from(line).unwrap_or(u32::MAX),
                u32::try_from(col).unwrap_or(u32::MAX),
            )),
            item: None,
            severity: Severity::Error,
            message: message.into(),
            hint: None,
        }
    }

    /// An error at an item path in a file not named yet (validators that see a parsed value
    /// only; the loader names the file and finds the position with [`Diagnostic::located`]).
    pub(crate) fn at_path(item: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            file: PathBuf::new(),
            position: None,
            item: Some(item.into()).filter(|i: &String| !i.is_empty()),
            severity: Severity::Error,
            message: message.into(),
            hint: None,
        }
    }

    /// Names the file and the 1-based line and column (0 = unknown) of the problem.
    #[must_use]
    pub(crate) fn located(mut self, file: &Path, line: usize, col: usize) -> Self {
        self.file = file.to_path_buf();
        self.position = (line > 0).then(|| {
            (
                u32::try_from(line).unwrap_or(u32::MAX),
                u32::try_from(col).unwrap_or(u32::MAX),
            )
        });
        self
    }

    /// The 1-based line, 0 when unknown.
    #[must_use]
    pub fn line(&self) -> usize {
        self.position.map_or(0, |(l, _)| l as usize)
    }

    /// The 1-based column, 0 when unknown.
    #[must_use]
    pub fn col(&self) -> usize {
        self.position.map_or(0, |(_, c)| c as usize)
    }

    /// The item path, empty when the problem is about the whole file.
    #[must_use]
    pub fn item_path(&self) -> &str {
        self.item.as_deref().unwrap_or_default()
    }

    /// An error about the file as a whole (unreadable, wrong kind of file).
    pub(crate) fn at_file(file: &Path, message: impl Into<String>) -> Self {
        Self {
            file: file.to_path_buf(),
            position: None,
            item: None,
            severity: Severity::Error,
            message: message.into(),
            hint: None,
        }
    }

    /// Adds how to fix the problem.
    #[must_use]
    pub(crate) fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Turns the problem into a warning.
    #[must_use]
    pub fn warning(mut self) -> Self {
        self.severity = Severity::Warning;
        self
    }

    /// True for errors (not warnings).
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.file.as_os_str().is_empty() {
            write!(f, "<text>")?;
        } else {
            write!(f, "{}", self.file.display())?;
        }
        if let Some((line, col)) = self.position {
            write!(f, ":{line}:{col}")?;
        }
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, ": {level}: ")?;
        if let Some(item) = &self.item {
            write!(f, "{item}: ")?;
        }
        write!(f, "{}", self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

/// Sorts diagnostics by file, then position, then item, so output is stable.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (&a.file, a.position, &a.item, &a.message).cmp(&(&b.file, b.position, &b.item, &b.message))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_position_and_hint() {
        let d = Diagnostic::at_position(Path::new("s.ron"), 3, 5, "unknown field `agee`")
            .with_hint("did you mean `age`?");
        assert_eq!(
            d.to_string(),
            "s.ron:3:5: error: unknown field `agee`\n  hint: did you mean `age`?"
        );
    }

    #[test]
    fn renders_item_path() {
        let d =
            Diagnostic::at_item(Path::new("s.ron"), "patient.age", "min is above max").warning();
        assert_eq!(
            d.to_string(),
            "s.ron: warning: patient.age: min is above max"
        );
    }
}
