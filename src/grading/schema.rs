//! Field schemas: the fields a task kind's submission (and key) produce, with their types.
//!
//! Each task kind serialises its typed `Submission` and `Key` to JSON of the same shape and
//! declares that shape here, so rubric validation can check that each criterion reads a field
//! the task produces and that the criterion kind fits the field's type. Paths use the syntax of
//! [`crate::grading::path`] in canonical form.

use crate::grading::path::{FieldPath, Segment};
use crate::grading::rubric::{CriterionKind, RubricKind};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The type of a submission field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FieldType {
    /// A short or free text (`"string"`).
    Text,
    /// A plain number (`42`), e.g. a pain score or an ESI level.
    Number,
    /// A number with a unit: `{"value": 98.6, "unit": "°F"}`.
    Quantity,
    /// An ISO date `"YYYY-MM-DD"`.
    Date,
    /// `true` / `false`.
    Bool,
    /// A list of texts (`["a", "b"]`), e.g. a triage queue of patient ids.
    TextList,
    /// A list of objects (`[{"allergen": …, "reaction": …}]`).
    RecordList,
    /// A list of ICD-10-CM codes in submitted order (`["E11.9", "Z79.4"]`).
    CodeList,
    /// A coded inpatient claim: an object with `diagnoses` and `procedures` (code lists),
    /// `poa` (present-on-admission lines) and, in the key, `claim` (the facts that group it).
    Claim,
}

impl FieldType {
    /// Name used in diagnostics.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Text => "text",
            Self::Number => "number",
            Self::Quantity => "quantity (number with unit)",
            Self::Date => "date",
            Self::Bool => "bool",
            Self::TextList => "list of text",
            Self::RecordList => "list of records",
            Self::CodeList => "code list",
            Self::Claim => "coded claim",
        }
    }
}

/// One field a task kind produces.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldSpec {
    /// Canonical path, e.g. `vitals.heart_rate` or `allergies[]`.
    pub path: String,
    /// Its type.
    pub ty: FieldType,
    /// A [`FieldType::Number`] that holds whole numbers only (a period number, a pain score,
    /// an ESI level): forms take and show it without a decimal point.
    #[serde(default)]
    pub integer: bool,
    /// The values the field takes, when it takes one of a fixed set (a level of care, a
    /// severity, an ESI level), each with the label a form shows. Empty for free input.
    #[serde(default)]
    pub choices: Vec<Choice>,
}

impl FieldSpec {
    /// The choice a written answer means: its value, its label or one of its aliases,
    /// compared by [`choice_key`] (case, spaces, hyphens, underscores, dots and other
    /// punctuation ignored, so `CostSharing`, `cost-sharing` and `cost_sharing` are one).
    #[must_use]
    pub fn choice_for(&self, written: &str) -> Option<&Choice> {
        let key = choice_key(written);
        if key.is_empty() {
            return None;
        }
        // `choice_key(x) == key`, without building each choice's key.
        let same = |x: &str| key_chars(x).eq(key.chars());
        self.choices
            .iter()
            .find(|c| same(&c.value) || same(&c.label) || c.aliases.iter().any(|a| same(a)))
    }

    /// The labels of the field's choices, for "one of …" messages.
    #[must_use]
    pub fn choice_list(&self) -> String {
        self.choices
            .iter()
            .map(|c| {
                if choice_key(&c.label).starts_with(&choice_key(&c.value)) {
                    c.label.clone()
                } else {
                    format!("{} ({})", c.label, c.value)
                }
            })
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// Whether `value` is one of the field's choices (any value when it has none); a text
    /// list when each of its items is.
    #[must_use]
    pub fn allows(&self, value: &Value) -> bool {
        let text = match value {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            Value::Array(items) if self.ty == FieldType::TextList => {
                return items.iter().all(|i| self.allows(i));
            }
            Value::Null | Value::Bool(_) | Value::Array(_) | Value::Object(_) => return false,
        };
        self.choices.is_empty() || self.choices.iter().any(|c| c.value == text)
    }
}

/// One allowed value of a field and its human label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    /// The value as the submission holds it (a number is written in decimal: `"3"`).
    pub value: String,
    /// What a person reads, e.g. "RHC: routine home care".
    pub label: String,
    /// Other spellings an answer file may use for it (synonyms, the chart's wording); the value
    /// and the label are always accepted too.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
}

/// The comparison form of a written choice: lower-case letters and digits only, so case,
/// spaces, hyphens, underscores, dots, slashes and CamelCase joins do not matter.
#[must_use]
pub fn choice_key(written: &str) -> String {
    key_chars(written).collect()
}

/// The characters of [`choice_key`], one by one.
fn key_chars(written: &str) -> impl Iterator<Item = char> + '_ {
    written
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
}

/// The fields a task kind produces.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldSchema {
    /// The task kind.
    pub task_kind: RubricKind,
    /// Its fields.
    pub fields: Vec<FieldSpec>,
}

impl FieldSchema {
    /// Builds a schema from `(path, type)` pairs.
    #[must_use]
    pub fn new(task_kind: RubricKind, fields: &[(&str, FieldType)]) -> Self {
        Self {
            task_kind,
            fields: fields
                .iter()
                .map(|(path, ty)| FieldSpec {
                    path: (*path).to_string(),
                    ty: *ty,
                    integer: false,
                    choices: Vec::new(),
                })
                .collect(),
        }
    }

    /// Marks the [`FieldType::Number`] fields at `paths` as whole numbers.
    #[must_use]
    pub fn integers(mut self, paths: &[&str]) -> Self {
        for f in &mut self.fields {
            if paths.contains(&f.path.as_str()) {
                f.integer = true;
            }
        }
        self
    }

    /// Gives the field at `path` its allowed values as `(value, label)` pairs.
    #[must_use]
    pub fn choices(mut self, path: &str, choices: &[(&str, &str)]) -> Self {
        if let Some(f) = self.fields.iter_mut().find(|f| f.path == path) {
            f.choices = choices
                .iter()
                .map(|(value, label)| Choice {
                    value: (*value).to_string(),
                    label: (*label).to_string(),
                    aliases: Vec::new(),
                })
                .collect();
        }
        self
    }

    /// Gives the choices of the field at `path` further accepted spellings:
    /// `(value, aliases)` pairs (see [`Choice::aliases`]).
    #[must_use]
    pub fn aliases(mut self, path: &str, aliases: &[(&str, &[&str])]) -> Self {
        if let Some(f) = self.fields.iter_mut().find(|f| f.path == path) {
            for (value, more) in aliases {
                if let Some(c) = f.choices.iter_mut().find(|c| c.value == *value) {
                    c.aliases.extend(more.iter().map(|a| (*a).to_string()));
                }
            }
        }
        self
    }

    /// `doc` with every text answer to a field with choices written as the choice's value
    /// when it names one (by value, label or alias; see [`FieldSpec::choice_for`]). Text
    /// that names no choice, numbers and other values are left as they are.
    #[must_use]
    pub fn canonical(&self, doc: &Value) -> Value {
        let mut out = doc.clone();
        for spec in self.fields.iter().filter(|f| !f.choices.is_empty()) {
            let Ok(path) = FieldPath::parse(&spec.path) else {
                continue;
            };
            let mut segments: Vec<Segment> = path.segments().to_vec();
            // A text list's choices apply to each of its items.
            if spec.ty == FieldType::TextList && segments.last() != Some(&Segment::Each) {
                segments.push(Segment::Each);
            }
            canonical_at(&mut out, &segments, spec);
        }
        out
    }

    /// The field at a canonical path (exact lookup), with its type, integer flag and choices.
    #[must_use]
    pub fn spec(&self, path: &str) -> Option<&FieldSpec> {
        self.fields.iter().find(|f| f.path == path)
    }

    /// The type of the field at a canonical path, if the task produces it (exact lookup).
    #[must_use]
    pub(crate) fn field_type(&self, path: &str) -> Option<FieldType> {
        self.fields.iter().find(|f| f.path == path).map(|f| f.ty)
    }

    /// The type a criterion reading `path` receives, if the task produces it.
    ///
    /// Schema paths with `[]` before a field describe each element's field
    /// (`periods[].end: Date`). A criterion may read one element by index (`periods[0].end`,
    /// a Date) or project the field of every element (`periods[].end`, read as a list of text).
    #[must_use]
    pub(crate) fn resolve_type(&self, path: &FieldPath) -> Option<FieldType> {
        let segments = path.segments();
        let general: Vec<Segment> = segments
            .iter()
            .map(|s| match s {
                Segment::Index(_) => Segment::Each,
                other @ (Segment::Field(_) | Segment::Each) => other.clone(),
            })
            .collect();
        let ty = self
            .field_type(&path.to_string())
            .or_else(|| self.field_type(&FieldPath::from_segments(general).to_string()))?;
        let last = segments.len().saturating_sub(1);
        let projects = segments
            .iter()
            .enumerate()
            .any(|(i, s)| *s == Segment::Each && i < last);
        if !projects {
            return Some(ty);
        }
        match ty {
            FieldType::TextList
            | FieldType::RecordList
            | FieldType::CodeList
            | FieldType::Claim => None,
            FieldType::Text
            | FieldType::Number
            | FieldType::Quantity
            | FieldType::Date
            | FieldType::Bool => Some(FieldType::TextList),
        }
    }

    /// All paths, sorted (for "did you mean" hints).
    #[must_use]
    pub fn paths(&self) -> Vec<&str> {
        let mut paths: Vec<&str> = self.fields.iter().map(|f| f.path.as_str()).collect();
        paths.sort_unstable();
        paths
    }
}

impl FieldType {
    /// Whether a non-null JSON value has this type's shape.
    #[must_use]
    pub fn accepts(self, value: &Value) -> bool {
        let texty = |v: &Value| v.is_string() || v.is_number();
        match self {
            Self::Text => value.is_string(),
            Self::Number => value.is_number(),
            Self::Quantity => crate::grading::criteria::numeric::parse_quantity(value).is_some(),
            Self::Date => value
                .as_str()
                .is_some_and(|s| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok()),
            Self::Bool => value.is_boolean(),
            Self::TextList => value.as_array().is_some_and(|a| a.iter().all(texty)),
            Self::RecordList => value
                .as_array()
                .is_some_and(|a| a.iter().all(Value::is_object)),
            Self::CodeList => value.as_array().is_some_and(|a| {
                a.iter()
                    .all(|c| c.is_string() || c.get("code").is_some_and(Value::is_string))
            }),
            Self::Claim => value.is_object(),
        }
    }
}

impl FieldSchema {
    /// Checks that a serialised key or submission has the declared shape: every declared field
    /// that is present (not `null`) has its type; for element fields (`list[].field`) every
    /// element is checked. Returns one message per mismatch, in schema order; empty when the
    /// document conforms. Task kinds use this in tests to keep their serde types and their
    /// declared schema in step.
    #[must_use]
    pub fn check(&self, doc: &Value) -> Vec<String> {
        let mut problems = Vec::new();
        for spec in &self.fields {
            let Ok(path) = FieldPath::parse(&spec.path) else {
                problems.push(format!("`{}`: the schema path does not parse", spec.path));
                continue;
            };
            let last = path.segments().len().saturating_sub(1);
            let per_element = path
                .segments()
                .iter()
                .enumerate()
                .any(|(i, s)| *s == Segment::Each && i < last);
            // A trailing `[]` names the list itself: resolve without it so that a non-list
            // value is reported rather than skipped.
            let target = match path.segments().split_last() {
                Some((Segment::Each, rest)) if !rest.is_empty() => {
                    FieldPath::from_segments(rest.to_vec())
                }
                _ => path.clone(),
            };
            let Some(value) = target.resolve(doc) else {
                continue;
            };
            let values: Vec<&Value> = if per_element {
                value
                    .as_array()
                    .map(|a| a.iter().collect())
                    .unwrap_or_default()
            } else {
                vec![&value]
            };
            for v in values.into_iter().filter(|v| !v.is_null()) {
                if !spec.ty.accepts(v) {
                    problems.push(format!(
                        "`{}`: expected {}, found {v}",
                        spec.path,
                        spec.ty.as_str()
                    ));
                } else if spec.integer && !(v.is_i64() || v.is_u64()) {
                    problems.push(format!(
                        "`{}`: expected a whole number, found {v}",
                        spec.path
                    ));
                } else if !spec.choices.is_empty() && !spec.allows(v) {
                    problems.push(format!(
                        "`{}`: expected one of {}, found {v}",
                        spec.path,
                        spec.choices
                            .iter()
                            .map(|c| c.value.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ));
                }
            }
        }
        problems
    }
}

/// The field types a criterion kind can read.
#[must_use]
pub(crate) fn accepted_types(kind: &CriterionKind) -> &'static [FieldType] {
    use FieldType as F;
    match kind {
        CriterionKind::Exact { .. } => &[F::Text, F::Number, F::Bool, F::Date],
        CriterionKind::Numeric { .. } => &[F::Number, F::Quantity],
        CriterionKind::Date { .. } => &[F::Date],
        CriterionKind::Required { .. } | CriterionKind::FlagSet { .. } => &[F::RecordList],
        CriterionKind::OrderedList { .. } | CriterionKind::UnorderedList { .. } => {
            &[F::TextList, F::RecordList, F::CodeList]
        }
        CriterionKind::Codes(_) => &[F::CodeList],
        CriterionKind::Concepts { .. }
        | CriterionKind::Forbidden { .. }
        | CriterionKind::WordErrorRate { .. } => &[F::Text],
        CriterionKind::Ordinal { .. } => &[F::Number],
        CriterionKind::Drg(_) | CriterionKind::Poa => &[F::Claim],
    }
}

/// The kind's name as written in RON.
#[must_use]
pub(crate) fn kind_name(kind: &CriterionKind) -> &'static str {
    match kind {
        CriterionKind::Exact { .. } => "Exact",
        CriterionKind::Numeric { .. } => "Numeric",
        CriterionKind::Date { .. } => "Date",
        CriterionKind::Required { .. } => "Required",
        CriterionKind::OrderedList { .. } => "OrderedList",
        CriterionKind::UnorderedList { .. } => "UnorderedList",
        CriterionKind::Codes(_) => "Codes",
        CriterionKind::Concepts { .. } => "Concepts",
        CriterionKind::Forbidden { .. } => "Forbidden",
        CriterionKind::WordErrorRate { .. } => "WordErrorRate",
        CriterionKind::Ordinal { .. } => "Ordinal",
        CriterionKind::Drg(_) => "Drg",
        CriterionKind::Poa => "Poa",
        CriterionKind::FlagSet { .. } => "FlagSet",
    }
}

/// Rewrites the texts at `segments` below `value` to the choice values they name.
fn canonical_at(value: &mut Value, segments: &[Segment], spec: &FieldSpec) {
    let Some((first, rest)) = segments.split_first() else {
        if let Value::String(s) = value
            && let Some(c) = spec.choice_for(s)
        {
            *s = c.value.clone();
        }
        return;
    };
    match first {
        Segment::Field(name) => {
            if let Some(v) = value.as_object_mut().and_then(|o| o.get_mut(name)) {
                canonical_at(v, rest, spec);
            }
        }
        Segment::Index(i) => {
            if let Some(v) = value.as_array_mut().and_then(|a| a.get_mut(*i)) {
                canonical_at(v, rest, spec);
            }
        }
        Segment::Each => {
            if let Some(items) = value.as_array_mut() {
                for v in items {
                    canonical_at(v, rest, spec);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema() -> FieldSchema {
        FieldSchema::new(
            RubricKind::Hospice,
            &[
                ("periods[]", FieldType::RecordList),
                ("periods[].end", FieldType::Date),
                ("f2f_due", FieldType::Date),
            ],
        )
    }

    fn ty(path: &str) -> Option<FieldType> {
        schema().resolve_type(&FieldPath::parse(path).unwrap())
    }

    #[test]
    fn exact_paths_resolve_to_their_type() {
        assert_eq!(ty("f2f_due"), Some(FieldType::Date));
        assert_eq!(ty("periods[]"), Some(FieldType::RecordList));
    }

    #[test]
    fn an_indexed_element_field_has_the_element_type() {
        assert_eq!(ty("periods[1].end"), Some(FieldType::Date));
    }

    #[test]
    fn a_projection_is_a_list_of_text() {
        assert_eq!(ty("periods[].end"), Some(FieldType::TextList));
    }

    #[test]
    fn check_accepts_a_conforming_document() {
        let doc =
            serde_json::json!({"periods": [{"end": "2026-04-30"}, {"end": null}], "f2f_due": null});
        assert!(schema().check(&doc).is_empty());
    }

    #[test]
    fn check_reports_each_mismatch() {
        let doc = serde_json::json!({"periods": [{"end": "30/04/2026"}], "f2f_due": 5});
        assert_eq!(
            schema().check(&doc),
            vec![
                "`periods[].end`: expected date, found \"30/04/2026\"".to_string(),
                "`f2f_due`: expected date, found 5".to_string(),
            ]
        );
    }

    #[test]
    fn quantity_and_code_list_shapes() {
        use serde_json::json;
        assert!(FieldType::Quantity.accepts(&json!({"value": 1, "unit": "kg"})));
        assert!(FieldType::Quantity.accepts(&json!("98.6 °F")));
        assert!(!FieldType::Quantity.accepts(&json!({"unit": "kg"})));
        assert!(FieldType::CodeList.accepts(&json!(["I10", {"code": "E11.9"}])));
        assert!(!FieldType::CodeList.accepts(&json!([1])));
    }

    #[test]
    fn unknown_paths_do_not_resolve() {
        assert_eq!(ty("periods[].start"), None);
        assert_eq!(ty("f2f"), None);
    }
}
