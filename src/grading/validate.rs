//! Rubric validation: every problem a parsed rubric can have, each with its item path.
//!
//! Checks: the format version; ids (`snake_case`, unique); the pass mark (0–100); points
//! (finite, > 0); each criterion reads exactly one field path that parses, that the task kind
//! produces, and whose type the criterion kind accepts; kind settings (tolerances ≥ 0, credits
//! in 0–1, regexes compile, WER thresholds ordered); critical gates (a field of the right type
//! or an existing criterion, caps in 0–100). Positions are added by the loader.

use crate::diagnostic::Diagnostic;
use crate::grading::path::FieldPath;
use crate::grading::rubric::{
    CriterionKind, ForbiddenPattern, GateCondition, GateEffect, RUBRIC_VERSION, Rubric,
};
use crate::grading::schema::{FieldSchema, FieldType, accepted_types, kind_name};
use regex::RegexBuilder;

fn is_snake_case(id: &str) -> bool {
    let mut chars = id.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

fn type_list(types: &[FieldType]) -> String {
    types
        .iter()
        .map(|t| t.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

struct Report<'a> {
    out: Vec<Diagnostic>,
    schema: &'a FieldSchema,
}

impl Report<'_> {
    fn err(&mut self, path: String, message: String, hint: &str) {
        self.out
            .push(Diagnostic::at_path(path, message).with_hint(hint));
    }

    fn credit(&mut self, path: String, name: &str, value: f64) {
        if !(0.0..=1.0).contains(&value) {
            self.err(
                path,
                format!("{name} must be between 0 and 1 (got {value})"),
                "credits are fractions: 0.5 means half the points",
            );
        }
    }

    fn non_negative(&mut self, path: String, name: &str, value: f64) {
        if !(value.is_finite() && value >= 0.0) {
            self.err(path, format!("{name} must be ≥ 0 (got {value})"), "");
        }
    }

    /// Checks a field path; returns its type when the task kind produces it.
    fn field(&mut self, at: String, text: &str) -> Option<FieldType> {
        let parsed = match FieldPath::parse(text) {
            Ok(p) => p,
            Err(e) => {
                self.err(
                    at,
                    e.to_string(),
                    "paths look like `vitals.heart_rate`, `allergies[]` or `allergies[].allergen`",
                );
                return None;
            }
        };
        let canonical = parsed.to_string();
        let ty = self.schema.resolve_type(&parsed);
        if ty.is_none() {
            self.err(
                at,
                format!(
                    "task kind `{}` produces no field `{canonical}`",
                    self.schema.task_kind.as_str()
                ),
                &format!("fields it produces: {}", self.schema.paths().join(", ")),
            );
        }
        ty
    }
}

/// Validates a parsed rubric against the field schema of its task kind.
///
/// Returns every problem found (empty when the rubric is usable), in rubric order. Paths name
/// the item (e.g. `criteria[2].points`); file, line and column are left for the loader to fill.
#[must_use]
pub(crate) fn validate_rubric(rubric: &Rubric, schema: &FieldSchema) -> Vec<Diagnostic> {
    let mut r = Report {
        out: Vec::new(),
        schema,
    };
    if rubric.version != RUBRIC_VERSION {
        r.err(
            "version".into(),
            format!(
                "unsupported rubric version {} (this program reads version {RUBRIC_VERSION})",
                rubric.version
            ),
            &format!("set `version: {RUBRIC_VERSION}`"),
        );
    }
    if !is_snake_case(&rubric.id) {
        r.err(
            "id".into(),
            format!("rubric id `{}` is not snake_case", rubric.id),
            "use lower-case letters, digits and `_`, starting with a letter",
        );
    }
    if rubric.task_kind != schema.task_kind {
        r.err(
            "task_kind".into(),
            format!(
                "rubric is for task kind `{}` but was checked against the `{}` schema",
                rubric.task_kind.as_str(),
                schema.task_kind.as_str()
            ),
            "",
        );
    }
    if !(rubric.pass_mark_percent.is_finite() && (0.0..=100.0).contains(&rubric.pass_mark_percent))
    {
        r.err(
            "pass_mark_percent".into(),
            format!(
                "pass mark must be between 0 and 100 percent (got {})",
                rubric.pass_mark_percent
            ),
            "e.g. `pass_mark_percent: 80.0`",
        );
    }
    if rubric.criteria.is_empty() {
        r.err(
            "criteria".into(),
            "a rubric needs at least one criterion".into(),
            "",
        );
    }
    let mut seen: Vec<(&str, usize)> = Vec::new();
    for (i, c) in rubric.criteria.iter().enumerate() {
        let at = |field: &str| format!("criteria[{i}].{field}");
        if !is_snake_case(&c.id) {
            r.err(
                at("id"),
                format!("criterion id `{}` is not snake_case", c.id),
                "use lower-case letters, digits and `_`, starting with a letter",
            );
        }
        if let Some((_, first)) = seen.iter().find(|(id, _)| *id == c.id) {
            r.err(
                at("id"),
                format!(
                    "duplicate criterion id `{}` (first used by criteria[{first}])",
                    c.id
                ),
                "give every criterion its own id",
            );
        } else {
            seen.push((&c.id, i));
        }
        if !(c.points.is_finite() && c.points > 0.0) {
            r.err(
                at("points"),
                format!("points must be greater than 0 (got {})", c.points),
                "remove the criterion instead of giving it 0 points",
            );
        }
        match c.reads.as_slice() {
            [one] => {
                if let Some(ty) = r.field(format!("criteria[{i}].reads[0]"), one) {
                    let ok = accepted_types(&c.kind);
                    if !ok.contains(&ty) {
                        r.err(
                            at("kind"),
                            format!(
                                "criterion kind {} cannot read `{one}`, a {} field",
                                kind_name(&c.kind),
                                ty.as_str()
                            ),
                            &format!("{} reads: {}", kind_name(&c.kind), type_list(ok)),
                        );
                    }
                }
            }
            _ => r.err(
                at("reads"),
                format!(
                    "a criterion reads exactly one field (got {})",
                    c.reads.len()
                ),
                "split it into one criterion per field",
            ),
        }
        check_kind(&mut r, i, &c.kind);
    }
    check_gates(&mut r, rubric);
    r.out
}

/// A DRG criterion's credit and dollar parameters.
fn check_drg(r: &mut Report<'_>, i: usize, d: &crate::grading::rubric::DrgSettings) {
    use crate::terminology::drg::payment::{FY2026_STANDARDIZED_AMOUNT, PaymentParams};
    let at = |field: &str| format!("criteria[{i}].kind.{field}");
    r.credit(at("same_family"), "same_family", d.same_family);
    let params = PaymentParams {
        standardized_amount: d.base_rate.unwrap_or(FY2026_STANDARDIZED_AMOUNT),
        wage_index: d.wage_index.unwrap_or(1.0),
        labor_share: None,
    };
    if let Err(msg) = params.check() {
        r.err(
            at("base_rate"),
            msg,
            "leave base_rate and wage_index out for the FY2026 national figures",
        );
    }
}

fn check_exact(
    r: &mut Report<'_>,
    i: usize,
    partial: &[(String, f64)],
    partial_if_key: &[(String, String, f64)],
) {
    for (j, (_, credit)) in partial.iter().enumerate() {
        r.credit(
            format!("criteria[{i}].kind.partial[{j}]"),
            "partial credit",
            *credit,
        );
    }
    for (j, (_, _, credit)) in partial_if_key.iter().enumerate() {
        let at = format!("criteria[{i}].kind.partial_if_key[{j}]");
        r.credit(at, "partial credit", *credit);
    }
}

/// A codes criterion's credits, costs and ICD-10-PCS axis weights.
fn check_codes(r: &mut Report<'_>, i: usize, s: &crate::grading::rubric::CodeSettings) {
    let at = |field: &str| format!("criteria[{i}].kind.{field}");
    let c = &s.credits;
    for (name, v) in [
        ("wrong_order", c.wrong_order),
        ("wrong_specificity", c.wrong_specificity),
        ("wrong_seventh_character", c.wrong_seventh_character),
        ("wrong_laterality", c.wrong_laterality),
        ("invalid_code", c.invalid_code),
    ] {
        r.credit(at(&format!("credits.{name}")), name, v);
    }
    for (name, v) in [("major", s.costs.major), ("minor", s.costs.minor)] {
        r.credit(at(&format!("costs.{name}")), name, v);
    }
    let axes = s.pcs_axes.named();
    for (name, v) in axes {
        r.credit(at("pcs_axes"), name, v);
    }
    let sum: f64 = axes.iter().map(|(_, w)| w).sum();
    if (sum - 1.0).abs() > 1e-6 {
        r.err(
            at("pcs_axes"),
            format!("the seven ICD-10-PCS axis weights must add up to 1 (they add up to {sum})"),
            "e.g. section 0.025, body_system 0.025, root_operation 0.4, body_part 0.3, approach 0.1, device 0.1, qualifier 0.05",
        );
    }
}

/// A flag-set criterion's sub-fields, weights and false-alarm cost.
fn check_flag_set(
    r: &mut Report<'_>,
    i: usize,
    (match_on, labels): (&str, &str),
    weights: &[crate::grading::rubric::LabelWeight],
    (default_weight, false_alarm_cost): (f64, f64),
) {
    let at = |field: &str| format!("criteria[{i}].kind.{field}");
    for (name, v) in [("match_on", match_on), ("labels", labels)] {
        if v.trim().is_empty() {
            r.err(
                at(name),
                format!("{name} must name a sub-field"),
                "e.g. `match_on: \"event\", labels: \"rules\"`",
            );
        }
    }
    for (j, w) in weights.iter().enumerate() {
        if !(w.weight.is_finite() && w.weight > 0.0) {
            r.err(
                format!("criteria[{i}].kind.weights[{j}].weight"),
                format!("the weight of {} must be > 0 (got {})", w.label, w.weight),
                "",
            );
        }
    }
    if !(default_weight.is_finite() && default_weight > 0.0) {
        r.err(
            at("default_weight"),
            format!("default_weight must be > 0 (got {default_weight})"),
            "",
        );
    }
    r.credit(at("false_alarm_cost"), "false_alarm_cost", false_alarm_cost);
}

fn check_kind(r: &mut Report<'_>, i: usize, kind: &CriterionKind) {
    let at = |field: &str| format!("criteria[{i}].kind.{field}");
    match kind {
        CriterionKind::Exact {
            partial,
            partial_if_key,
            ..
        } => check_exact(r, i, partial, partial_if_key),
        CriterionKind::Numeric {
            tolerance,
            partial_tolerance,
            partial_credit,
            ..
        } => {
            r.non_negative(at("tolerance"), "tolerance", *tolerance);
            if let Some(p) = partial_tolerance
                && !(p.is_finite() && p >= tolerance)
            {
                r.err(
                    at("partial_tolerance"),
                    format!("partial_tolerance ({p}) must be ≥ tolerance ({tolerance})"),
                    "",
                );
            }
            r.credit(at("partial_credit"), "partial_credit", *partial_credit);
        }
        CriterionKind::Date {
            window_days,
            partial_window_days,
            partial_credit,
        } => {
            if partial_window_days.is_some_and(|p| p < *window_days) {
                r.err(
                    at("partial_window_days"),
                    "partial_window_days must be ≥ window_days".into(),
                    "",
                );
            }
            r.credit(at("partial_credit"), "partial_credit", *partial_credit);
        }
        CriterionKind::Required {
            match_on,
            extra_item_penalty,
            ..
        } => {
            if match_on.trim().is_empty() {
                r.err(
                    at("match_on"),
                    "match_on must name a sub-field".into(),
                    "e.g. `match_on: \"allergen\"`",
                );
            }
            r.credit(
                at("extra_item_penalty"),
                "extra_item_penalty",
                *extra_item_penalty,
            );
        }
        CriterionKind::OrderedList { .. } | CriterionKind::UnorderedList { .. } => {}
        CriterionKind::Codes(s) => check_codes(r, i, s),
        CriterionKind::Concepts { concepts } => {
            for (j, concept) in concepts.iter().enumerate() {
                if concept.name.trim().is_empty() {
                    r.err(
                        format!("criteria[{i}].kind.concepts[{j}].name"),
                        "a concept needs a name".into(),
                        "",
                    );
                }
            }
        }
        CriterionKind::Forbidden {
            patterns,
            penalty_per_hit,
        } => check_forbidden(r, i, patterns, *penalty_per_hit),
        CriterionKind::WordErrorRate {
            full_credit_wer,
            zero_credit_wer,
            term_weight,
            ..
        } => {
            if !(*full_credit_wer >= 0.0 && zero_credit_wer > full_credit_wer) {
                r.err(
                    at("zero_credit_wer"),
                    format!("need 0 ≤ full_credit_wer ({full_credit_wer}) < zero_credit_wer ({zero_credit_wer})"),
                    "",
                );
            }
            if !(term_weight.is_finite() && *term_weight >= 1.0) {
                r.err(
                    at("term_weight"),
                    format!("term_weight must be ≥ 1 (got {term_weight})"),
                    "",
                );
            }
        }
        CriterionKind::Drg(d) => check_drg(r, i, d),
        CriterionKind::FlagSet {
            match_on,
            labels,
            weights,
            default_weight,
            false_alarm_cost,
        } => check_flag_set(
            r,
            i,
            (match_on, labels),
            weights,
            (*default_weight, *false_alarm_cost),
        ),
        CriterionKind::Poa => {}
        CriterionKind::Ordinal {
            under_cost_per_step,
            over_cost_per_step,
            defensible_credit,
            ..
        } => {
            r.credit(
                at("defensible_credit"),
                "defensible_credit",
                *defensible_credit,
            );
            r.credit(
                at("under_cost_per_step"),
                "under_cost_per_step",
                *under_cost_per_step,
            );
            r.credit(
                at("over_cost_per_step"),
                "over_cost_per_step",
                *over_cost_per_step,
            );
        }
    }
}

/// A forbidden-content criterion: at least one pattern, each a valid regular expression.
fn check_forbidden(
    r: &mut Report<'_>,
    i: usize,
    patterns: &[ForbiddenPattern],
    penalty_per_hit: f64,
) {
    let at = |field: &str| format!("criteria[{i}].kind.{field}");
    if patterns.is_empty() {
        r.err(
            at("patterns"),
            "list at least one forbidden pattern".into(),
            "",
        );
    }
    for (j, p) in patterns.iter().enumerate() {
        if let Err(e) = RegexBuilder::new(&p.regex).case_insensitive(true).build() {
            let text = e.to_string();
            let last = text.lines().last().unwrap_or("").trim();
            let first = last.trim_start_matches("error: ");
            r.err(
                format!("criteria[{i}].kind.patterns[{j}].regex"),
                format!(
                    "pattern `{}` is not a valid regular expression: {first}",
                    p.name
                ),
                "escape `(`, `[`, `+`, `?` with a backslash, written `\\\\` inside a RON string",
            );
        }
    }
    r.credit(at("penalty_per_hit"), "penalty_per_hit", penalty_per_hit);
}

/// A `CodingError` gate names a `Codes` criterion, and its cap lies below the pass mark (a
/// critical coding error fails the attempt whatever the score).
fn check_coding_gate(
    r: &mut Report<'_>,
    rubric: &Rubric,
    i: usize,
    criterion: &str,
    effect: GateEffect,
) {
    let at = format!("critical[{i}].when");
    match rubric.criteria.iter().find(|c| c.id == criterion) {
        None => r.err(
            at,
            format!("gate refers to unknown criterion `{criterion}`"),
            "",
        ),
        Some(c) if !matches!(c.kind, CriterionKind::Codes(_)) => r.err(
            at,
            format!("CodingError reads a Codes criterion; `{criterion}` is not one"),
            "name the id of a criterion with `kind: Codes(...)`",
        ),
        Some(_) => {
            if let GateEffect::CapPercent(p) = effect
                && p >= rubric.pass_mark_percent
            {
                r.err(
                    format!("critical[{i}].effect"),
                    format!(
                        "a critical coding error must cap the score below the pass mark ({}%); the cap is {p}%",
                        rubric.pass_mark_percent
                    ),
                    "e.g. `effect: CapPercent(60.0)`",
                );
            }
        }
    }
}

fn check_gates(r: &mut Report<'_>, rubric: &Rubric) {
    let mut seen: Vec<&str> = Vec::new();
    for (i, g) in rubric.critical.iter().enumerate() {
        let at = |field: &str| format!("critical[{i}].{field}");
        if seen.contains(&g.id.as_str()) {
            r.err(
                at("id"),
                format!("duplicate critical gate id `{}`", g.id),
                "",
            );
        }
        seen.push(&g.id);
        if let GateEffect::CapPercent(p) = g.effect
            && !(p.is_finite() && (0.0..=100.0).contains(&p))
        {
            r.err(
                at("effect"),
                format!("cap must be between 0 and 100 percent (got {p})"),
                "",
            );
        }
        if let GateCondition::CodingError { criterion } = &g.when {
            check_coding_gate(r, rubric, i, criterion, g.effect);
            continue;
        }
        if let GateCondition::CriterionBelow { criterion, percent } = &g.when {
            if !rubric.criteria.iter().any(|c| &c.id == criterion) {
                r.err(
                    at("when"),
                    format!("gate refers to unknown criterion `{criterion}`"),
                    "",
                );
            }
            if !(0.0..=100.0).contains(percent) {
                r.err(
                    at("when"),
                    format!("percent must be between 0 and 100 (got {percent})"),
                    "",
                );
            }
            continue;
        }
        let Some(path) = &g.reads else {
            r.err(
                at("reads"),
                "this gate needs `reads`: the field it checks".into(),
                "e.g. `reads: \"patient_id\"`",
            );
            continue;
        };
        let Some(ty) = r.field(at("reads"), path) else {
            continue;
        };
        let (ok, name): (&[FieldType], &str) = match g.when {
            GateCondition::Mismatch => (
                &[
                    FieldType::Text,
                    FieldType::Number,
                    FieldType::Date,
                    FieldType::Bool,
                ],
                "Mismatch",
            ),
            GateCondition::MismatchWhenKeyIn { .. } => (
                &[FieldType::Text, FieldType::Number, FieldType::Date],
                "MismatchWhenKeyIn",
            ),
            GateCondition::MissingItem { .. } => (&[FieldType::RecordList], "MissingItem"),
            GateCondition::UnderTriage { .. } => (&[FieldType::Number], "UnderTriage"),
            GateCondition::CriterionBelow { .. } | GateCondition::CodingError { .. } => {
                (&[], "CriterionBelow")
            }
        };
        if !ok.contains(&ty) {
            r.err(
                at("when"),
                format!(
                    "gate condition {name} cannot read `{path}`, a {} field",
                    ty.as_str()
                ),
                &format!("{name} reads: {}", type_list(ok)),
            );
        }
    }
}
