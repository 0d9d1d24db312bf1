//! The code-facts interface the coding criterion needs, independent of the terminology tables.
//!
//! The terminology module implements [`CodeChecker`] over the real ICD-10-CM tables; tests use a
//! small hand-written fake. Implementations must be deterministic and return edits sorted.

use serde::{Deserialize, Serialize};

use crate::terminology::edits::CodingSetting;

/// Facts about one code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeFacts {
    /// Canonical form, e.g. `E11.9`.
    pub code: String,
    /// Whether it is a billable leaf code (headers are not).
    pub billable: bool,
    /// Tabular description.
    pub description: String,
    /// Laterality the code expresses, when it has one (e.g. from "right"/"left"/"bilateral"/
    /// "unspecified" in the tabular description); `None` for codes without a side. Used to tell
    /// a wrong-side code (35% by default) from a wrong-specificity one (50%).
    pub laterality: Option<Laterality>,
}

/// Body side a code expresses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Laterality {
    /// Right.
    Right,
    /// Left.
    Left,
    /// Bilateral.
    Bilateral,
    /// Unspecified side.
    Unspecified,
}

/// The kind of coding edit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum EditKind {
    /// The code does not exist.
    NotFound,
    /// A header (non-billable) code.
    Header,
    /// Missing or invalid 7th character / placeholder X.
    SeventhCharacter,
    /// Two codes that are never reported together.
    Excludes1,
    /// A "code first" note broken by the order of two codes.
    CodeFirst,
    /// A code the guidelines never accept first-listed (manifestation, severe sepsis R65.2-,
    /// external cause, underdosing) listed first.
    NeverFirst,
    /// A required additional code is missing.
    UseAdditional,
    /// The same code given twice.
    Duplicate,
}

/// One coding-edit violation.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct CodeEdit {
    /// Which edit.
    pub kind: EditKind,
    /// The codes involved (as given).
    pub codes: Vec<String>,
    /// Learner-facing explanation.
    pub message: String,
    /// The rule reference, e.g. "ICD-10-CM Tabular: E11 use additional code Z79.4".
    pub rule: String,
    /// For a use-additional edit, what is missing (the same missing code asked for by two
    /// reported codes is deducted once).
    pub missing: Option<String>,
}

/// Code facts and coding edits over a code set (ICD-10-CM in this program).
pub trait CodeChecker {
    /// Facts about a code (any spelling: `e119`, `E11.9`), or `None` when it does not exist.
    fn lookup(&self, code: &str) -> Option<CodeFacts>;
    /// Every edit the given code list violates, sorted.
    ///
    /// `codes` are the learner's codes in submitted order (duplicates kept), each in canonical
    /// form: `lookup(code).code` when the code exists, otherwise upper case with a dot after
    /// the category (`s52501a` → `S52.501A`). The grader deducts for `UseAdditional` and for
    /// `Excludes1` (unless the key lists both codes) and reports every edit with its `rule`.
    fn edits(&self, codes: &[String], setting: CodingSetting) -> Vec<CodeEdit>;
    /// The "use additional code" note of `trigger` that names `code`, as the rule to cite, when
    /// there is one (the key has `code` because `trigger` asks for it). Default: none known.
    fn use_additional_rule(&self, trigger: &str, code: &str) -> Option<String> {
        let _ = (trigger, code);
        None
    }
}
