//! Rubric diagnostics: one problem in a rubric file, with its position and a fix.
//!
//! Rendered as `file:line:col: error: item.path: message` followed by `  hint: …` when there is
//! a hint. Line and column are 1-based; 0 means "position unknown" and is rendered without them.

use std::fmt;

/// One problem found while loading or validating a rubric.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    /// File name as given to the loader.
    pub file: String,
    /// 1-based line (0 = unknown).
    pub line: usize,
    /// 1-based column (0 = unknown).
    pub col: usize,
    /// Item path inside the rubric, e.g. `criteria[2].points` (empty for the whole file).
    pub path: String,
    /// What is wrong.
    pub message: String,
    /// How to fix it (may be empty).
    pub hint: String,
}

impl Diagnostic {
    /// A diagnostic with no position yet (validation fills it from the source when it can).
    #[must_use]
    pub fn at_path(path: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            file: String::new(),
            line: 0,
            col: 0,
            path: path.into(),
            message: message.into(),
            hint: String::new(),
        }
    }

    /// Adds a hint.
    #[must_use]
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = hint.into();
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let file = if self.file.is_empty() {
            "<rubric>"
        } else {
            &self.file
        };
        if self.line > 0 {
            write!(f, "{file}:{}:{}: error: ", self.line, self.col)?;
        } else {
            write!(f, "{file}: error: ")?;
        }
        if !self.path.is_empty() {
            write!(f, "{}: ", self.path)?;
        }
        write!(f, "{}", self.message)?;
        if !self.hint.is_empty() {
            write!(f, "\n  hint: {}", self.hint)?;
        }
        Ok(())
    }
}
