//! Loading rubric files: RON parsing with positioned diagnostics, then validation.
//!
//! The parser enables the RON extensions `implicit_some` (write `unit: "°C"`, not
//! `unit: Some("°C")`) and `unwrap_variant_newtypes` (write `Codes(sequencing: Strict)`, not
//! `Codes((sequencing: Strict))`). A parse error yields one diagnostic at the parser's position;
//! a parsed rubric is validated against the field schema of its task kind and every problem is
//! reported with the position of the item it concerns.

use crate::diagnostic::Diagnostic;
use crate::grading::locate::{Pos, locate, path_at};
use crate::grading::rubric::Rubric;
use crate::grading::schema::FieldSchema;
use crate::grading::validate::validate_rubric;
use ron::error::Error as RonError;
use ron::extensions::Extensions;
use std::path::Path;

// `ron::error::Error` is a foreign `#[non_exhaustive]` enum of some fifty variants: the ones with
// a specific hint are named, every other parse error shares the generic hint.
#[allow(clippy::wildcard_enum_match_arm)]
fn hint_for(error: &RonError) -> String {
    match error {
        RonError::NoSuchStructField { .. } => {
            "remove the field or fix its spelling; see grading/README.md for every field".into()
        }
        RonError::NoSuchEnumVariant { outer, .. } if outer.as_deref() == Some("CriterionKind") => {
            "criterion kinds are Exact, Numeric, Date, Required, OrderedList, UnorderedList, Codes, Drg, Poa, Concepts, Forbidden, WordErrorRate, FlagSet, Ordinal".into()
        }
        RonError::NoSuchEnumVariant { .. } => "use one of the listed names".into(),
        RonError::MissingStructField { .. } => "add the missing field".into(),
        RonError::ExpectedStructLike => {
            "settings go in parentheses, even when empty: write `OrderedList()`, not `OrderedList`"
                .into()
        }
        RonError::InvalidValueForType { .. }
        | RonError::ExpectedFloat
        | RonError::ExpectedInteger
        | RonError::ExpectedString
        | RonError::ExpectedStringEnd
        | RonError::ExpectedBoolean
        | RonError::ExpectedArray
        | RonError::ExpectedMap
        | RonError::ExpectedOption
        | RonError::ExpectedNamedStructLike(_) => {
            "write a value of the expected type (numbers like `2.0`, text in double quotes)".into()
        }
        _ => "check the RON syntax near this position".into(),
    }
}

/// The item path at a parser position, or just before it (the parser often stops right after
/// the offending value); the longer of the two.
fn error_path(source: &str, line: usize, col: usize) -> String {
    let at = path_at(source, Pos { line, col });
    let before = path_at(
        source,
        Pos {
            line,
            col: col.saturating_sub(1),
        },
    );
    if before.len() > at.len() { before } else { at }
}

/// Parses a rubric without validating it.
///
/// # Errors
/// One [`Diagnostic`] with the parser's line and column when the text is not a well-formed
/// rubric (syntax, unknown field, wrong type, unknown criterion kind, missing field).
pub fn parse_rubric(source: &str, file: &str) -> Result<Rubric, Vec<Diagnostic>> {
    // A byte-order mark some editors write at the start of a UTF-8 file is not RON.
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    let options = ron::Options::default()
        .with_default_extension(Extensions::IMPLICIT_SOME | Extensions::UNWRAP_VARIANT_NEWTYPES)
        .with_recursion_limit(64);
    options.from_str::<Rubric>(source).map_err(|e| {
        let d = Diagnostic::at_path(
            error_path(source, e.span.start.line, e.span.start.col),
            e.code.to_string(),
        )
        .located(Path::new(file), e.span.start.line, e.span.start.col);
        let hint = hint_for(&e.code);
        vec![if hint.is_empty() {
            d
        } else {
            d.with_hint(hint)
        }]
    })
}

/// Parses and validates a rubric; `schemas` holds the field schema of every task kind.
///
/// # Errors
/// Every problem found, each positioned in `source`: parse errors, a task kind with no
/// registered schema, and everything [`validate_rubric`] reports.
pub fn load_rubric(
    source: &str,
    file: &str,
    schemas: &[FieldSchema],
) -> Result<Rubric, Vec<Diagnostic>> {
    let rubric = parse_rubric(source, file)?;
    let diagnostics = match schemas.iter().find(|s| s.task_kind == rubric.task_kind) {
        Some(schema) => validate_rubric(&rubric, schema),
        None => vec![
            Diagnostic::at_path(
                "task_kind",
                format!(
                    "no field schema is registered for task kind `{}`",
                    rubric.task_kind.as_str()
                ),
            )
            .with_hint("register the task kind's FieldSchema with the loader"),
        ],
    };
    if diagnostics.is_empty() {
        return Ok(rubric);
    }
    let mut diagnostics: Vec<Diagnostic> = diagnostics
        .into_iter()
        .map(|d| {
            let pos = locate(source, d.item_path());
            d.located(Path::new(file), pos.line, pos.col)
        })
        .collect();
    diagnostics
        .sort_by(|a, b| (a.line(), a.col(), &a.message).cmp(&(b.line(), b.col(), &b.message)));
    Err(diagnostics)
}
