//! The criteria a learner keeps losing points on, from the per-criterion findings of their
//! attempts: what the progress dashboard lists under "Weakest criteria" with a button to
//! practise the scenario again.
//!
//! Grouped by scenario and criterion id (a criterion id is unique within its rubric, not across
//! scenarios). Overrides change an attempt's score, not its findings, so they do not change
//! this list. Sorted weakest first (share of points earned), then most graded, then by ids, so
//! the order is stable.

use serde::Serialize;

use super::db::params;
use super::people::PersonId;
use super::{Session, Store, StoreResult};

/// One criterion of one scenario, over all of a learner's attempts of it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WeakCriterion {
    /// Scenario id.
    pub scenario_id: String,
    /// Criterion id in the scenario's rubric.
    pub criterion_id: String,
    /// The rule behind it (as recorded with the latest finding).
    pub rule: String,
    /// How many attempts graded it.
    pub graded: u64,
    /// How many of them lost points on it.
    pub missed: u64,
    /// Points earned ÷ points available over those attempts (0–1).
    pub fraction: f64,
}

impl Store {
    /// The learner's criteria that lost points, weakest first, at most `limit`. Learners see
    /// their own (not those of unreleased assessment results); privileged roles anyone's.
    ///
    /// # Errors
    /// [`crate::store::StoreError::PermissionDenied`], SQLite failures.
    pub fn weakest_criteria(
        &self,
        actor: &Session,
        learner_id: PersonId,
        limit: usize,
    ) -> StoreResult<Vec<WeakCriterion>> {
        actor.require_self_or_privileged(learner_id, "see another learner's progress")?;
        let sql = format!(
            "SELECT v.scenario_id, f.criterion_id, \
             (SELECT f2.rule FROM findings f2 JOIN attempts a2 ON a2.id = f2.attempt_id \
              JOIN scenario_versions v2 ON v2.id = a2.scenario_version_id \
              WHERE a2.person_id = ?1 AND v2.scenario_id = v.scenario_id \
              AND f2.criterion_id = f.criterion_id ORDER BY a2.submitted_at DESC, a2.id DESC LIMIT 1), \
             COUNT(*), SUM(CASE WHEN f.points < f.max_points - 1e-9 THEN 1 ELSE 0 END), \
             SUM(f.points) / SUM(f.max_points) \
             FROM findings f JOIN attempts a ON a.id = f.attempt_id \
             JOIN scenario_versions v ON v.id = a.scenario_version_id \
             WHERE a.person_id = ?1 AND f.max_points > 0 AND {} \
             GROUP BY v.scenario_id, f.criterion_id \
             HAVING SUM(f.points) < SUM(f.max_points) - 1e-9 \
             ORDER BY SUM(f.points) / SUM(f.max_points), COUNT(*) DESC, v.scenario_id, f.criterion_id \
             LIMIT ?2",
            crate::store::queries::visible_to(actor)
        );
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = self
            .conn()
            .query_map(&sql, params![learner_id, limit], |r| {
                Ok(WeakCriterion {
                    scenario_id: r.get(0)?,
                    criterion_id: r.get(1)?,
                    rule: r.get::<Option<String>>(2)?.unwrap_or_default(),
                    graded: u64::try_from(r.get::<i64>(3)?).unwrap_or(0),
                    missed: u64::try_from(r.get::<i64>(4)?).unwrap_or(0),
                    fraction: r.get(5)?,
                })
            })?;
        Ok(rows)
    }
}
