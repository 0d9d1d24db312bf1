//! Turning a graded case into a stored attempt: the bridge between grading's report and the
//! progress store's records (the store itself knows nothing of grading).

use chrono::{DateTime, Utc};

use crate::case::Case;
use crate::grading::GradeReport;
use crate::scenario::LoadedScenario;
use crate::store::people::PersonId;
use crate::store::{CriticalRecord, FindingRecord, Mode, NewAttempt};

/// The attempt record for a graded case.
pub(crate) fn new_attempt(
    scenario: &LoadedScenario,
    case: &Case,
    report: &GradeReport,
    learner_id: PersonId,
    mode: Mode,
    started_at: DateTime<Utc>,
    submitted_at: DateTime<Utc>,
) -> NewAttempt {
    let duration_secs =
        u64::try_from((submitted_at - started_at).num_seconds().max(0)).unwrap_or(0);
    NewAttempt {
        learner_id,
        scenario_id: scenario.scenario.id.clone(),
        scenario_version_hash: scenario.content_sha256.clone(),
        seed: case.seed,
        mode,
        sitting_id: None,
        started_at,
        submitted_at,
        duration_secs,
        score: report.score,
        max: report.max,
        passed: report.passed,
        competencies: scenario.scenario.competencies.clone(),
        findings: report
            .criteria
            .iter()
            .map(|c| FindingRecord {
                criterion_id: c.id.clone(),
                points: c.points,
                max: c.max,
                outcome: c.outcome.as_str().to_string(),
                feedback: c.feedback.clone(),
                rule: c.rule.clone(),
                expected: display(&c.expected),
                given: display(&c.given),
                title: c.title.clone(),
                section: c.section.clone().unwrap_or_default(),
            })
            .collect(),
        criticals: report
            .critical
            .iter()
            .map(|c| CriticalRecord {
                gate_id: c.id.clone(),
                title: c.title.clone(),
                message: c.message.clone(),
                effect: c.effect.clone(),
                rule: c.rule.clone(),
            })
            .collect(),
        rubric_hash: Some(report.rubric_sha256.clone()),
    }
}

/// A JSON value as display text (strings without quotes).
fn display(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => String::new(),
        serde_json::Value::String(s) => s.clone(),
        other @ (serde_json::Value::Bool(_)
        | serde_json::Value::Number(_)
        | serde_json::Value::Array(_)
        | serde_json::Value::Object(_)) => other.to_string(),
    }
}
