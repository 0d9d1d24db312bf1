//! Grading: rubric files, criterion kinds, and the pure `grade` function.
//!
//! A [`Rubric`] (RON, loaded and validated by [`load_rubric`]) lists criteria, each reading one
//! field path (see [`path`]) in the answer key and in the submission, both given as JSON
//! documents of the same shape (each task kind serialises its typed key and submission to it
//! and declares the shape as a [`FieldSchema`]). [`grade`] scores every criterion with its
//! kind's pure function (see [`criteria`]), applies critical gates, and returns a
//! [`GradeReport`]. Invariants: `grade` is deterministic, does no I/O, never panics, and a
//! criterion's result depends only on the key and submission values at the paths it reads.

pub mod checker;
pub mod criteria;
pub mod load;
pub mod locate;
pub mod path;
pub mod report;
pub mod rubric;
pub mod schema;
pub mod synthetic;
pub mod validate;

use crate::terminology::edits::CodingSetting;
pub use checker::{CodeChecker, CodeEdit, CodeFacts, EditKind, Laterality};
pub use load::{load_rubric, parse_rubric};
pub use path::FieldPath;
pub use report::{CriterionResult, CriticalFinding, GradeReport, Outcome};
pub use rubric::{Criterion, CriterionKind, Rubric, RubricKind};
pub use schema::{Choice, FieldSchema, FieldSpec, FieldType};

use criteria::{Scored, critical, numeric, required, text};
use serde_json::Value;
use std::borrow::Cow;

/// What grading needs besides the rubric, key and submission.
#[derive(Clone, Copy, Default)]
pub struct GradeContext<'a> {
    /// Code facts and edits for coding criteria (`None`: codes compared by spelling only).
    pub checker: Option<&'a dyn CodeChecker>,
    /// Care setting for coding edits.
    pub setting: CodingSetting,
    /// The task kind's field schema (`None`: answers compared as written). With it, an answer
    /// to a field with choices may name the choice by its value, its label or an alias, and
    /// an answer that names none is told the allowed list.
    pub schema: Option<&'a FieldSchema>,
}

impl std::fmt::Debug for GradeContext<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GradeContext")
            .field("checker", &self.checker.map(|_| "dyn CodeChecker"))
            .field("setting", &self.setting)
            .field("schema", &self.schema.map(|s| s.task_kind))
            .finish()
    }
}

/// Reads a criterion's value from a document: one path gives its value, several give an object
/// keyed by path.
fn read<'d>(reads: &[String], doc: &'d Value) -> Option<Cow<'d, Value>> {
    let resolved = |p: &String| path::resolve_text(p, doc);
    match reads {
        [one] => resolved(one),
        many => {
            let map: serde_json::Map<String, Value> = many
                .iter()
                .filter_map(|p| resolved(p).map(|v| (p.clone(), v.into_owned())))
                .collect();
            (!map.is_empty()).then_some(Cow::Owned(Value::Object(map)))
        }
    }
}

fn score_criterion(
    kind: &CriterionKind,
    key: &Value,
    given: Option<&Value>,
    ctx: &GradeContext<'_>,
) -> Scored {
    use CriterionKind as K;
    match kind {
        K::Exact {
            accept_also,
            partial,
            partial_if_key,
            text,
        } => criteria::exact::score(key, given, accept_also, (partial, partial_if_key), *text),
        K::Numeric {
            tolerance,
            unit,
            partial_tolerance,
            partial_credit,
            require_unit,
        } => numeric::score(
            key,
            given,
            numeric::NumericRules {
                tolerance: *tolerance,
                unit: unit.as_deref(),
                partial_tolerance: *partial_tolerance,
                partial_credit: *partial_credit,
                require_unit: *require_unit,
            },
        ),
        K::Date {
            window_days,
            partial_window_days,
            partial_credit,
        } => criteria::date::score(
            key,
            given,
            *window_days,
            *partial_window_days,
            *partial_credit,
        ),
        K::Required {
            match_on,
            fields,
            synonyms,
            extra_item_penalty,
            text,
        } => required::score(
            key,
            given,
            required::RequiredRules {
                match_on,
                fields,
                synonyms,
                extra_item_penalty: *extra_item_penalty,
                text: *text,
            },
        ),
        K::OrderedList { match_on, text } => {
            criteria::list::score_ordered(key, given, match_on.as_deref(), *text)
        }
        K::UnorderedList { match_on, text } => {
            criteria::list::score_unordered(key, given, match_on.as_deref(), *text)
        }
        K::Codes(settings) => {
            criteria::codes::score(key, given, settings, ctx.checker, ctx.setting)
        }
        K::Drg(settings) => criteria::drg::score_drg(key, given, settings),
        K::FlagSet {
            match_on,
            labels,
            weights,
            default_weight,
            false_alarm_cost,
        } => criteria::flags::score(
            key,
            given,
            criteria::flags::FlagRules {
                match_on,
                labels,
                weights,
                default_weight: *default_weight,
                false_alarm_cost: *false_alarm_cost,
            },
        ),
        K::Poa => criteria::drg::score_poa(key, given),
        K::Concepts { concepts } => text::score_concepts(concepts, &text::key_concepts(key), given),
        K::Forbidden {
            patterns,
            penalty_per_hit,
        } => text::score_forbidden(patterns, *penalty_per_hit, given),
        K::WordErrorRate {
            full_credit_wer,
            zero_credit_wer,
            weighted_terms,
            term_weight,
        } => text::score_wer(
            key,
            given,
            text::WerRules {
                full_credit_wer: *full_credit_wer,
                zero_credit_wer: *zero_credit_wer,
                weighted_terms,
                term_weight: *term_weight,
            },
        ),
        K::Ordinal {
            under_is,
            under_cost_per_step,
            over_cost_per_step,
            defensible_credit,
        } => criteria::ordinal::score(
            key,
            given,
            *under_is,
            (*under_cost_per_step, *over_cost_per_step),
            *defensible_credit,
        ),
    }
}

fn fill(template: &str, expected: &Value, given: &Value) -> String {
    let show = |v: &Value| match v {
        Value::Null => "(nothing)".to_string(),
        // Equally right levels: `[2, 1]`.
        Value::Array(items) if !items.is_empty() && items.iter().all(Value::is_number) => items
            .iter()
            .map(criteria::value_text)
            .collect::<Vec<_>>()
            .join(" or "),
        // An ordinal key with defensible levels: `{"accept": [2], "partial": [3]}`.
        Value::Object(o) if o.contains_key("accept") => {
            let levels = |k: &str| {
                o.get(k)
                    .and_then(Value::as_array)
                    .map(|a| a.iter().map(criteria::value_text).collect::<Vec<_>>())
                    .unwrap_or_default()
            };
            let partial = levels("partial");
            let accept = levels("accept").join(" or ");
            if partial.is_empty() {
                accept
            } else {
                format!("{accept} ({} defensible)", partial.join(" or "))
            }
        }
        other @ (Value::Bool(_)
        | Value::Number(_)
        | Value::String(_)
        | Value::Array(_)
        | Value::Object(_)) => criteria::value_text(other),
    };
    // The values are written out only where the template shows them.
    let mut out = template.to_string();
    if out.contains("{expected}") {
        out = out.replace("{expected}", &show(expected));
    }
    if out.contains("{given}") {
        out = out.replace("{given}", &show(given));
    }
    out
}

/// The field with choices a criterion reads, when it reads exactly one such field (a text
/// or a text list; element fields of records are named in their criterion's details).
fn choice_field<'s>(schema: &'s FieldSchema, reads: &[String]) -> Option<&'s FieldSpec> {
    let [one] = reads else {
        return None;
    };
    let spec = schema.spec(one)?;
    (!spec.choices.is_empty() && matches!(spec.ty, FieldType::Text | FieldType::TextList))
        .then_some(spec)
}

/// One line per given text that names none of its field's choices, with the allowed list:
/// for the fields with choices a criterion reads, or that lie inside a list it reads.
fn unknown_choices(schema: &FieldSchema, reads: &[String], submission: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for spec in schema.fields.iter().filter(|f| !f.choices.is_empty()) {
        let read = reads.iter().any(|r| {
            let r = r.trim_end_matches("[]");
            spec.path == r
                || spec.path.trim_end_matches("[]") == r
                || spec
                    .path
                    .strip_prefix(r)
                    .is_some_and(|rest| rest.starts_with("[]."))
        });
        let Some(value) = read
            .then(|| path::resolve_text(&spec.path, submission))
            .flatten()
        else {
            continue;
        };
        let texts: Vec<&str> = match &*value {
            Value::String(s) => vec![s.as_str()],
            Value::Array(items) => items.iter().filter_map(Value::as_str).collect(),
            Value::Null | Value::Bool(_) | Value::Number(_) | Value::Object(_) => Vec::new(),
        };
        out.extend(
            texts
                .into_iter()
                .filter(|t| !t.trim().is_empty() && spec.choice_for(t).is_none())
                .map(|t| format!("`{t}` is not one of the choices: {}", spec.choice_list())),
        );
    }
    out
}

/// A value of a field with choices as people read it: each choice value as its label.
fn labelled(spec: &FieldSpec, value: &Value) -> Value {
    let label = |v: &Value| match v {
        Value::String(s) => spec
            .choices
            .iter()
            .find(|c| c.value == *s)
            .map_or_else(|| v.clone(), |c| Value::String(c.label.clone())),
        other @ (Value::Null
        | Value::Bool(_)
        | Value::Number(_)
        | Value::Array(_)
        | Value::Object(_)) => other.clone(),
    };
    match value {
        Value::Array(items) => Value::Array(items.iter().map(label).collect()),
        other @ (Value::Null
        | Value::Bool(_)
        | Value::Number(_)
        | Value::String(_)
        | Value::Object(_)) => label(other),
    }
}

/// Grades a submission against a rubric and an answer key.
///
/// A criterion whose field is absent from the key is `not_applicable` and does not count
/// towards the maximum (Concepts and Forbidden criteria need no key value and always apply).
/// Critical gates then zero or cap the score; any fired gate fails the attempt.
#[must_use]
pub fn grade(
    rubric: &Rubric,
    key: &Value,
    submission: &Value,
    ctx: &GradeContext<'_>,
) -> GradeReport {
    let canonical = ctx.schema.map(|schema| schema.canonical(submission));
    let submission = canonical.as_ref().unwrap_or(submission);
    let mut results = Vec::with_capacity(rubric.criteria.len());
    let mut critical_errors: Vec<(String, Vec<String>)> = Vec::new();
    for c in &rubric.criteria {
        let key_value = read(&c.reads, key);
        let given = read(&c.reads, submission);
        let needs_key = !matches!(
            c.kind,
            CriterionKind::Concepts { .. } | CriterionKind::Forbidden { .. }
        );
        let points_max = if c.points.is_finite() && c.points > 0.0 {
            c.points
        } else {
            0.0
        };
        let (scored, max) = match (&key_value, needs_key) {
            (None, true) => (
                Scored::not_applicable("the answer key has no value here for this case"),
                0.0,
            ),
            (k, _) => (
                score_criterion(
                    &c.kind,
                    k.as_deref().unwrap_or(&Value::Null),
                    given.as_deref(),
                    ctx,
                ),
                points_max,
            ),
        };
        // A criterion that finds nothing to grade in this case counts for nothing.
        let max = if scored.outcome == Outcome::NotApplicable {
            0.0
        } else {
            max
        };
        if !scored.critical.is_empty() {
            critical_errors.push((c.id.clone(), scored.critical.clone()));
        }
        let mut expected = key_value.map_or(Value::Null, Cow::into_owned);
        if matches!(c.kind, CriterionKind::Codes(_)) {
            // The key's never-coded lines teach through the findings, not as expected codes.
            expected = criteria::codes::expected_codes(&expected);
        }
        let mut given = given.map_or(Value::Null, Cow::into_owned);
        let mut scored = scored;
        if let Some(shown) = scored.shown.take() {
            (expected, given) = *shown;
        }
        let choice_spec = ctx.schema.and_then(|s| choice_field(s, &c.reads));
        if let Some(schema) = ctx.schema {
            scored
                .details
                .extend(unknown_choices(schema, &c.reads, submission));
        }
        let template = match scored.outcome {
            Outcome::Correct => &c.feedback.correct,
            Outcome::Partial => &c.feedback.partial,
            Outcome::Incorrect => &c.feedback.incorrect,
            Outcome::Missing => &c.feedback.missing,
            Outcome::NotApplicable => "",
        };
        results.push(CriterionResult {
            id: c.id.clone(),
            points: scored.credit * max,
            max,
            outcome: scored.outcome,
            feedback: match choice_spec {
                Some(spec) => fill(
                    template,
                    &labelled(spec, &expected),
                    &labelled(spec, &given),
                ),
                None => fill(template, &expected, &given),
            },
            rule: c.rule.clone(),
            expected,
            given,
            title: c.title.clone(),
            section: c.section.clone(),
            source: c.source.clone(),
            details: scored.details,
            fields: c.reads.clone(),
        });
    }
    let max: f64 = results.iter().map(|r| r.max).sum();
    let raw: f64 = results.iter().map(|r| r.points).sum();
    let percent_of = |id: &str| {
        results.iter().find(|r| r.id == id).map(|r| {
            if r.max > 0.0 {
                r.points / r.max * 100.0
            } else {
                100.0
            }
        })
    };
    let mut score = raw;
    let mut findings = Vec::new();
    for gate in &rubric.critical {
        let reads: Vec<String> = gate.reads.iter().cloned().collect();
        let key_value = read(&reads, key);
        let given = read(&reads, submission);
        let errors_of = |id: &str| {
            critical_errors
                .iter()
                .find(|(c, _)| c == id)
                .map(|(_, e)| e.clone())
                .unwrap_or_default()
        };
        let Some(reason) = critical::fires(
            &gate.when,
            key_value.as_deref(),
            given.as_deref(),
            &percent_of,
            &errors_of,
        ) else {
            continue;
        };
        let effect = match gate.effect {
            rubric::GateEffect::Zero => {
                score = 0.0;
                "zero".to_string()
            }
            rubric::GateEffect::CapPercent(p) => {
                score = score.min(max * p.clamp(0.0, 100.0) / 100.0);
                format!("cap {}%", criteria::fmt_num(p))
            }
        };
        findings.push(CriticalFinding {
            id: gate.id.clone(),
            title: gate.title.clone(),
            message: format!("{} ({reason})", gate.message),
            effect,
            rule: gate.rule.clone(),
        });
    }
    let percent = if max > 0.0 { score / max * 100.0 } else { 0.0 };
    GradeReport {
        score,
        max,
        percent,
        passed: findings.is_empty() && percent + 1e-9 >= rubric.pass_mark_percent,
        criteria: results,
        critical: findings,
        rubric_id: rubric.id.clone(),
        // Set by the service from the rubric as loaded (see `GradeReport::rubric_sha256`).
        rubric_sha256: String::new(),
        score_before_critical: raw,
    }
}
