//! The grade report: totals, pass/fail, critical findings and one line per criterion.
//!
//! JSON field order is part of the interface: `score, max, percent, passed, criteria` first, and
//! per criterion `id, points, max, outcome, feedback, rule, expected, given`, with extra fields
//! after. Numbers hold full precision in memory and are rounded to 2 decimals when serialised or
//! displayed.

use serde::{Serialize, Serializer};
use serde_json::Value;
use std::fmt;

/// How a criterion went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Full credit.
    Correct,
    /// Some credit.
    Partial,
    /// Something given, no credit.
    Incorrect,
    /// Nothing given.
    Missing,
    /// The key has no value for the field: the criterion does not count.
    NotApplicable,
}

impl Outcome {
    /// Name as serialised.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Correct => "correct",
            Self::Partial => "partial",
            Self::Incorrect => "incorrect",
            Self::Missing => "missing",
            Self::NotApplicable => "not_applicable",
        }
    }
}

/// The result of grading a submission against a rubric.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GradeReport {
    /// Points earned after critical gates.
    #[serde(serialize_with = "round2")]
    pub score: f64,
    /// Maximum points of the applicable criteria.
    #[serde(serialize_with = "round2")]
    pub max: f64,
    /// `score ÷ max × 100` (0 when `max` is 0).
    #[serde(serialize_with = "round2")]
    pub percent: f64,
    /// `percent ≥ pass mark` and no critical gate fired.
    pub passed: bool,
    /// One line per criterion, in rubric order.
    pub criteria: Vec<CriterionResult>,
    /// Fired critical gates, in rubric order.
    pub critical: Vec<CriticalFinding>,
    /// Rubric id.
    pub rubric_id: String,
    /// [`crate::grading::Rubric::fingerprint`] of the rubric as loaded, so a record says exactly
    /// what graded it: filled in by `service::grading::grade_answer` (the fingerprint of the
    /// whole rubric, also when a triage shift submitted early is graded on part of it), empty
    /// from the bare engine, which leaves it out of its hot path.
    pub rubric_sha256: String,
    /// Points before critical gates.
    #[serde(serialize_with = "round2")]
    pub score_before_critical: f64,
}

/// One criterion's result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CriterionResult {
    /// Criterion id.
    pub id: String,
    /// Points earned.
    #[serde(serialize_with = "round2")]
    pub points: f64,
    /// Points available (0 when not applicable).
    #[serde(serialize_with = "round2")]
    pub max: f64,
    /// Outcome.
    pub outcome: Outcome,
    /// Feedback for the outcome, placeholders filled.
    pub feedback: String,
    /// Rule reference.
    pub rule: String,
    /// The key's value at the path (`null` when absent).
    pub expected: Value,
    /// The submission's value at the path (`null` when absent).
    pub given: Value,
    /// Criterion title.
    pub title: String,
    /// Report section, if any.
    pub section: Option<String>,
    /// Source of the rule.
    pub source: String,
    /// Explanations: matches, partial credits, coding edits with their rules.
    pub details: Vec<String>,
    /// The answer fields the criterion reads (its rubric `reads`), so a viewer can point at the
    /// learner's entries.
    pub fields: Vec<String>,
}

/// A fired critical gate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CriticalFinding {
    /// Gate id.
    pub id: String,
    /// Gate title.
    pub title: String,
    /// Message for the learner.
    pub message: String,
    /// `"zero"` or `"cap N%"`.
    pub effect: String,
    /// Rule reference.
    pub rule: String,
}

#[allow(clippy::trivially_copy_pass_by_ref)] // serde's serialize_with signature
fn round2<S: Serializer>(value: &f64, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_f64(round_2dp(*value))
}

/// Rounds to 2 decimals for display (`-0` becomes `0`).
#[must_use]
pub fn round_2dp(value: f64) -> f64 {
    let rounded = (value * 100.0).round() / 100.0;
    if rounded == 0.0 { 0.0 } else { rounded }
}

impl fmt::Display for GradeReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {:.2} / {:.2} ({:.2}%) — {}",
            self.rubric_id,
            round_2dp(self.score),
            round_2dp(self.max),
            round_2dp(self.percent),
            if self.passed { "PASS" } else { "FAIL" }
        )?;
        if round_2dp(self.score) != round_2dp(self.score_before_critical) {
            write!(
                f,
                " ({:.2} before critical gates)",
                round_2dp(self.score_before_critical)
            )?;
        }
        writeln!(f)?;
        for finding in &self.critical {
            writeln!(
                f,
                "  CRITICAL {} ({}): {} [{}]",
                finding.id, finding.effect, finding.message, finding.rule
            )?;
        }
        for c in &self.criteria {
            writeln!(
                f,
                "  [{}] {} {:.2}/{:.2} — {}",
                c.outcome.as_str(),
                c.id,
                round_2dp(c.points),
                round_2dp(c.max),
                c.feedback
            )?;
            if !c.rule.is_empty() {
                writeln!(f, "      rule: {}", c.rule)?;
            }
            for d in &c.details {
                writeln!(f, "      - {d}")?;
            }
        }
        Ok(())
    }
}
