//! Read-only queries for the GUI and CLI: a learner's history and best/latest score per
//! scenario version, mastery per competency over time, the cohort gradebook, per-criterion miss
//! rates and item difficulty. Scores are effective scores (the newest override wins) as
//! fractions of the attempt's max. Results are grouped by scenario *version* (id + content
//! hash), so a changed scenario never mixes with old results. Everything returned is sorted.

use std::collections::BTreeMap;

use crate::store::db::{Db, ToParam, params};
use serde::Serialize;

use crate::store::attempts::Mode;
use crate::store::people::{PersonId, Role, Session};
use crate::store::{Store, StoreResult};

/// The SQL expression for an attempt's effective score (alias `a` for attempts).
pub(crate) const EFFECTIVE_SCORE_SQL: &str = "coalesce((SELECT o.new_score FROM overrides o \
     WHERE o.attempt_id = a.id ORDER BY o.id DESC LIMIT 1), a.score)";

/// SQL true when attempt `a` may be shown to the learner who made it: it is not part of an
/// assessment sitting, or the employer has released that assessment's results.
pub(crate) const RELEASED_SQL: &str = "(a.sitting_id IS NULL OR EXISTS (SELECT 1 FROM sittings rs \
     JOIN assessments ra ON ra.id = rs.assessment_id \
     WHERE rs.id = a.sitting_id AND ra.results_released_at IS NOT NULL))";

/// The attempts `actor` may see the results of: every one for staff; for a student or
/// candidate, those [`RELEASED_SQL`] allows (assessment results stay hidden until released).
pub(crate) fn visible_to(actor: &Session) -> &'static str {
    if actor.role().is_privileged() {
        "1 = 1"
    } else {
        RELEASED_SQL
    }
}

/// A scenario version: its id and the hash of its content.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct ScenarioVersionKey {
    /// Scenario id.
    pub scenario_id: String,
    /// Content hash.
    pub content_hash: String,
}

impl ScenarioVersionKey {
    /// `scenario_id@` plus the first 8 characters of the hash, for column headers.
    #[must_use]
    pub fn label(&self) -> String {
        let short: String = self.content_hash.chars().take(8).collect();
        format!("{}@{short}", self.scenario_id)
    }
}

/// One attempt in a learner's history.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HistoryEntry {
    /// Attempt id.
    pub attempt_id: i64,
    /// Scenario version.
    pub scenario: ScenarioVersionKey,
    /// Mode.
    pub mode: Mode,
    /// Seed.
    pub seed: u64,
    /// RFC 3339.
    pub submitted_at: String,
    /// Seconds.
    pub duration_secs: u64,
    /// Effective score.
    pub score: f64,
    /// Max points.
    pub max: f64,
    /// `score / max` (0 when max is 0).
    pub fraction: f64,
    /// Grading's pass judgement.
    pub passed: bool,
    /// Whether an instructor overrode the score.
    pub overridden: bool,
}

/// Best and latest result for one scenario version.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScenarioProgress {
    /// Scenario version.
    pub scenario: ScenarioVersionKey,
    /// Attempts made.
    pub attempts: u64,
    /// Best fraction.
    pub best_fraction: f64,
    /// Latest fraction.
    pub latest_fraction: f64,
    /// Latest submission (RFC 3339).
    pub latest_submitted_at: String,
    /// Whether the latest attempt passed.
    pub latest_passed: bool,
}

/// Mastery of one competency on one day.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CompetencyPoint {
    /// Competency.
    pub competency: String,
    /// Day (YYYY-MM-DD, UTC).
    pub date: String,
    /// Attempts that day.
    pub attempts: u64,
    /// Mean fraction that day.
    pub day_fraction: f64,
    /// Mean fraction over all attempts up to and including that day.
    pub cumulative_fraction: f64,
}

/// One cell of the gradebook.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GradebookCell {
    /// Attempts made.
    pub attempts: u64,
    /// Best fraction.
    pub best_fraction: f64,
    /// Latest fraction.
    pub latest_fraction: f64,
    /// Latest submission (RFC 3339).
    pub latest_submitted_at: String,
    /// Whether the latest attempt passed.
    pub latest_passed: bool,
}

/// One learner's row.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GradebookRow {
    /// Learner's name.
    pub learner: String,
    /// Learner's role.
    pub role: Role,
    /// One cell per [`Gradebook::scenarios`] column; `None` where not attempted.
    pub cells: Vec<Option<GradebookCell>>,
}

/// Learners × scenario versions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Gradebook {
    /// The cohort, if restricted to one.
    pub cohort: Option<String>,
    /// Columns, sorted.
    pub scenarios: Vec<ScenarioVersionKey>,
    /// Rows, sorted by learner name.
    pub rows: Vec<GradebookRow>,
}

/// How learners did on one rubric criterion of one scenario version.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CriterionStat {
    /// Criterion id.
    pub criterion_id: String,
    /// Findings (attempts that graded it).
    pub findings: u64,
    /// Findings without full credit (`points < max`).
    pub misses: u64,
    /// `misses / findings`.
    pub miss_rate: f64,
    /// Item difficulty (classical p-value): points earned / points available; low is hard.
    pub difficulty: f64,
}

/// The gradebook cells computed from the attempts (`{filter}`: a `WHERE` clause on attempts
/// `a`, or nothing): learner, scenario version, attempts, best fraction, then the latest
/// attempt's id, submission time, fraction and pass. The same arithmetic as
/// [`fold_progress`] over the attempts in (submitted_at, id) order.
fn cells_sql(filter: &str) -> String {
    format!(
        "SELECT person_id, scenario_version_id, count(*), max(frac), \
         max(CASE WHEN rn = 1 THEN id END), max(CASE WHEN rn = 1 THEN submitted_at END), \
         max(CASE WHEN rn = 1 THEN frac END), max(CASE WHEN rn = 1 THEN passed END) \
         FROM (SELECT a.id, a.person_id, a.scenario_version_id, a.submitted_at, a.passed, \
               CASE WHEN a.max_score > 0 THEN {EFFECTIVE_SCORE_SQL} / a.max_score ELSE 0.0 END AS frac, \
               row_number() OVER (PARTITION BY a.person_id, a.scenario_version_id \
                                  ORDER BY a.submitted_at DESC, a.id DESC) AS rn \
               FROM attempts a {filter}) t \
         GROUP BY person_id, scenario_version_id"
    )
}

/// One stored gradebook cell: (learner, version) and its values.
type CellRow = ((i64, i64), (i64, f64, i64, String, f64, bool));

fn cell_rows(db: &Db, sql: &str, params: &[&dyn ToParam]) -> StoreResult<Vec<CellRow>> {
    db.query_map(sql, params, |r| {
        Ok((
            (r.get(0)?, r.get(1)?),
            (
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
            ),
        ))
    })
}

fn store_cell(db: &Db, (key, cell): &CellRow) -> StoreResult<()> {
    db.execute(
        "INSERT INTO gradebook_cells (person_id, scenario_version_id, attempts, best_fraction, \
         latest_attempt_id, latest_submitted_at, latest_fraction, latest_passed) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) \
         ON CONFLICT (person_id, scenario_version_id) DO UPDATE SET \
         attempts = excluded.attempts, best_fraction = excluded.best_fraction, \
         latest_attempt_id = excluded.latest_attempt_id, \
         latest_submitted_at = excluded.latest_submitted_at, \
         latest_fraction = excluded.latest_fraction, latest_passed = excluded.latest_passed",
        params![key.0, key.1, cell.0, cell.1, cell.2, cell.3, cell.4, cell.5],
    )?;
    Ok(())
}

/// Recomputes the gradebook cell of `learner` × `version` from their attempts, inside the
/// transaction that recorded an attempt or an override.
pub(crate) fn refresh_cell(db: &Db, learner: i64, version: i64) -> StoreResult<()> {
    let sql = cells_sql("WHERE a.person_id = ?1 AND a.scenario_version_id = ?2");
    for row in cell_rows(db, &sql, params![learner, version])? {
        store_cell(db, &row)?;
    }
    Ok(())
}

/// Adds a new attempt (no override yet) to its gradebook cell in one statement: one more
/// attempt, the best fraction, and the latest attempt when it is later by (submitted_at, id) —
/// what [`refresh_cell`] would compute, without reading the cell's other attempts.
pub(crate) fn add_to_cell(
    db: &Db,
    attempt_id: i64,
    attempt: &crate::store::NewAttempt,
    version: i64,
) -> StoreResult<()> {
    let frac = fraction(attempt.score, attempt.max);
    let submitted_at = crate::store::format_timestamp(&attempt.submitted_at);
    db.execute(
        "INSERT INTO gradebook_cells (person_id, scenario_version_id, attempts, best_fraction, \
         latest_attempt_id, latest_submitted_at, latest_fraction, latest_passed) \
         VALUES (?1, ?2, 1, ?3, ?4, ?5, ?3, ?6) \
         ON CONFLICT (person_id, scenario_version_id) DO UPDATE SET \
         attempts = gradebook_cells.attempts + 1, \
         best_fraction = CASE WHEN excluded.best_fraction > gradebook_cells.best_fraction \
             THEN excluded.best_fraction ELSE gradebook_cells.best_fraction END, \
         latest_attempt_id = CASE WHEN (excluded.latest_submitted_at, excluded.latest_attempt_id) \
             > (gradebook_cells.latest_submitted_at, gradebook_cells.latest_attempt_id) \
             THEN excluded.latest_attempt_id ELSE gradebook_cells.latest_attempt_id END, \
         latest_fraction = CASE WHEN (excluded.latest_submitted_at, excluded.latest_attempt_id) \
             > (gradebook_cells.latest_submitted_at, gradebook_cells.latest_attempt_id) \
             THEN excluded.latest_fraction ELSE gradebook_cells.latest_fraction END, \
         latest_passed = CASE WHEN (excluded.latest_submitted_at, excluded.latest_attempt_id) \
             > (gradebook_cells.latest_submitted_at, gradebook_cells.latest_attempt_id) \
             THEN excluded.latest_passed ELSE gradebook_cells.latest_passed END, \
         latest_submitted_at = CASE WHEN (excluded.latest_submitted_at, excluded.latest_attempt_id) \
             > (gradebook_cells.latest_submitted_at, gradebook_cells.latest_attempt_id) \
             THEN excluded.latest_submitted_at ELSE gradebook_cells.latest_submitted_at END",
        params![attempt.learner_id, version, frac, attempt_id, submitted_at, attempt.passed],
    )?;
    Ok(())
}

/// Findings to add to the per-criterion totals, gathered over one transaction's attempts and
/// written once per (scenario version, criterion) before it commits: a batch that records many
/// attempts of one scenario rewrites each of its rows once, not once per attempt (on the
/// server a row rewritten many times in one transaction gets slower to find each time).
#[derive(Debug, Default)]
pub(crate) struct PendingTotals(BTreeMap<(i64, String), Totals>);

impl PendingTotals {
    /// Adds one attempt's findings.
    pub(crate) fn add(&mut self, version: i64, findings: &[crate::store::FindingRecord]) {
        for f in findings {
            let t = self.0.entry((version, f.criterion_id.clone())).or_default();
            t.0 += 1;
            t.1 += i64::from(f.points < f.max);
            t.2 += f.points;
            t.3 += f.max;
        }
    }

    /// Adds what another batch gathered.
    pub(crate) fn merge(&mut self, other: Self) {
        for (key, (n, misses, points, max)) in other.0 {
            let t = self.0.entry(key).or_default();
            t.0 += n;
            t.1 += misses;
            t.2 += points;
            t.3 += max;
        }
    }

    /// Adds everything gathered to `criterion_totals`, several rows per statement.
    pub(crate) fn write(self, db: &Db) -> StoreResult<()> {
        let rows: Vec<_> = self.0.into_iter().collect();
        for chunk in rows.chunks(TOTALS_PER_STATEMENT) {
            let mut sql = String::from(
                "INSERT INTO criterion_totals (scenario_version_id, criterion_id, findings, \
                 misses, points, max_points) VALUES ",
            );
            let mut values: Vec<&dyn ToParam> = Vec::with_capacity(chunk.len() * 6);
            for (k, ((version, criterion), (n, misses, points, max))) in chunk.iter().enumerate() {
                let b = k * 6;
                if k > 0 {
                    sql.push_str(", ");
                }
                sql.push_str(&format!(
                    "(?{}, ?{}, ?{}, ?{}, ?{}, ?{})",
                    b + 1,
                    b + 2,
                    b + 3,
                    b + 4,
                    b + 5,
                    b + 6
                ));
                values.extend([version as &dyn ToParam, criterion, n, misses, points, max]);
            }
            sql.push_str(
                " ON CONFLICT (scenario_version_id, criterion_id) DO UPDATE SET \
                 findings = criterion_totals.findings + excluded.findings, \
                 misses = criterion_totals.misses + excluded.misses, \
                 points = criterion_totals.points + excluded.points, \
                 max_points = criterion_totals.max_points + excluded.max_points",
            );
            db.execute(&sql, &values)?;
        }
        Ok(())
    }
}

/// Rows per statement in [`PendingTotals::write`] (6 parameters each).
const TOTALS_PER_STATEMENT: usize = 64;

/// A criterion's totals: findings, misses, sum of points, sum of max points.
type Totals = (i64, i64, f64, f64);

fn totals_rows(db: &Db, sql: &str) -> StoreResult<BTreeMap<(i64, String), Totals>> {
    Ok(db
        .query_map(sql, params![], |r| {
            Ok((
                (r.get::<i64>(0)?, r.get::<String>(1)?),
                (r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?),
            ))
        })?
        .into_iter()
        .collect())
}

/// Sums kept by adding attempt after attempt and sums computed in one pass add the same
/// numbers in another order, so they may differ in their last bits: equal within this.
fn same_sum(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

/// The (scenario version, criterion) totals whose stored values differ from the findings, or
/// that exist on one side only: an edit outside EHR Sim (`audit verify` reports them).
pub(crate) fn stale_criterion_totals(db: &Db) -> StoreResult<Vec<(i64, String)>> {
    let computed = totals_rows(
        db,
        "SELECT a.scenario_version_id, f.criterion_id, count(*), \
         sum(CASE WHEN f.points < f.max_points THEN 1 ELSE 0 END), sum(f.points), \
         sum(f.max_points) FROM findings f JOIN attempts a ON a.id = f.attempt_id \
         GROUP BY a.scenario_version_id, f.criterion_id",
    )?;
    let stored = totals_rows(
        db,
        "SELECT scenario_version_id, criterion_id, findings, misses, points, max_points \
         FROM criterion_totals",
    )?;
    let matches = |a: &Totals, b: &Totals| {
        a.0 == b.0 && a.1 == b.1 && same_sum(a.2, b.2) && same_sum(a.3, b.3)
    };
    let mut stale: Vec<(i64, String)> = computed
        .iter()
        .filter(|(key, t)| !stored.get(*key).is_some_and(|s| matches(t, s)))
        .map(|(key, _)| key.clone())
        .chain(
            stored
                .keys()
                .filter(|key| !computed.contains_key(*key))
                .cloned(),
        )
        .collect();
    stale.sort_unstable();
    stale.dedup();
    Ok(stale)
}

/// Recomputes every gradebook cell (the migration to schema version 9).
pub(crate) fn refresh_all_cells(db: &Db) -> StoreResult<()> {
    db.execute("DELETE FROM gradebook_cells", params![])?;
    for row in cell_rows(db, &cells_sql(""), params![])? {
        store_cell(db, &row)?;
    }
    Ok(())
}

/// The (learner, version) cells whose stored values differ from the attempts, or that exist on
/// one side only: an edit outside EHR Sim (`audit verify` reports them).
pub(crate) fn stale_cells(db: &Db) -> StoreResult<Vec<(i64, i64)>> {
    let computed: BTreeMap<(i64, i64), _> = cell_rows(db, &cells_sql(""), params![])?
        .into_iter()
        .collect();
    let stored: BTreeMap<(i64, i64), _> = cell_rows(
        db,
        "SELECT person_id, scenario_version_id, attempts, best_fraction, latest_attempt_id, \
         latest_submitted_at, latest_fraction, latest_passed FROM gradebook_cells",
        params![],
    )?
    .into_iter()
    .collect();
    let mut stale: Vec<(i64, i64)> = computed
        .iter()
        .filter(|(key, cell)| stored.get(key) != Some(cell))
        .map(|(key, _)| *key)
        .chain(
            stored
                .keys()
                .filter(|key| !computed.contains_key(key))
                .copied(),
        )
        .collect();
    stale.sort_unstable();
    stale.dedup();
    Ok(stale)
}

fn fraction(score: f64, max: f64) -> f64 {
    if max > 0.0 { score / max } else { 0.0 }
}

fn fold_progress(
    cell: Option<GradebookCell>,
    entry_fraction: f64,
    at: &str,
    passed: bool,
) -> GradebookCell {
    match cell {
        None => GradebookCell {
            attempts: 1,
            best_fraction: entry_fraction,
            latest_fraction: entry_fraction,
            latest_submitted_at: at.to_string(),
            latest_passed: passed,
        },
        Some(mut c) => {
            c.attempts += 1;
            c.best_fraction = c.best_fraction.max(entry_fraction);
            c.latest_fraction = entry_fraction;
            at.clone_into(&mut c.latest_submitted_at);
            c.latest_passed = passed;
            c
        }
    }
}

impl Store {
    /// A learner's attempts, oldest first. Learners see their own; privileged roles anyone's.
    /// A learner does not see the attempts of an assessment whose results are not released.
    ///
    /// # Errors
    /// [`crate::store::StoreError::PermissionDenied`], SQLite failures.
    pub fn learner_history(
        &self,
        actor: &Session,
        learner_id: PersonId,
    ) -> StoreResult<Vec<HistoryEntry>> {
        actor.require_self_or_privileged(learner_id, "see another learner's progress")?;
        let sql = format!(
            "SELECT a.id, v.scenario_id, v.content_hash, a.mode, a.seed, a.submitted_at, a.duration_secs, \
             {EFFECTIVE_SCORE_SQL}, a.max_score, a.passed, \
             EXISTS(SELECT 1 FROM overrides o WHERE o.attempt_id = a.id) \
             FROM attempts a JOIN scenario_versions v ON v.id = a.scenario_version_id \
             WHERE a.person_id = ?1 AND {} ORDER BY a.submitted_at, a.id",
            visible_to(actor)
        );
        let rows = self.conn().query_map(&sql, params![learner_id], |r| {
            Ok((
                r.get::<i64>(0)?,
                ScenarioVersionKey {
                    scenario_id: r.get(1)?,
                    content_hash: r.get(2)?,
                },
                r.get::<String>(3)?,
                r.get::<i64>(4)?,
                r.get::<String>(5)?,
                r.get::<i64>(6)?,
                (
                    r.get::<f64>(7)?,
                    r.get::<f64>(8)?,
                    r.get::<bool>(9)?,
                    r.get::<bool>(10)?,
                ),
            ))
        })?;
        let mut entries = Vec::new();
        for row in rows {
            let (
                attempt_id,
                scenario,
                mode,
                seed,
                submitted_at,
                duration,
                (score, max, passed, overridden),
            ) = row;
            entries.push(HistoryEntry {
                attempt_id,
                scenario,
                mode: Mode::parse(&mode)?,
                seed: seed as u64,
                submitted_at,
                duration_secs: u64::try_from(duration).unwrap_or(0),
                score,
                max,
                fraction: fraction(score, max),
                passed,
                overridden,
            });
        }
        Ok(entries)
    }

    /// Best and latest result per scenario version for a learner, sorted by scenario.
    ///
    /// # Errors
    /// As [`Store::learner_history`].
    pub fn scenario_progress(
        &self,
        actor: &Session,
        learner_id: PersonId,
    ) -> StoreResult<Vec<ScenarioProgress>> {
        let mut cells: BTreeMap<ScenarioVersionKey, GradebookCell> = BTreeMap::new();
        for entry in self.learner_history(actor, learner_id)? {
            let previous = cells.remove(&entry.scenario);
            let cell = fold_progress(previous, entry.fraction, &entry.submitted_at, entry.passed);
            cells.insert(entry.scenario, cell);
        }
        Ok(cells
            .into_iter()
            .map(|(scenario, c)| ScenarioProgress {
                scenario,
                attempts: c.attempts,
                best_fraction: c.best_fraction,
                latest_fraction: c.latest_fraction,
                latest_submitted_at: c.latest_submitted_at,
                latest_passed: c.latest_passed,
            })
            .collect())
    }

    /// Mastery per competency over time (one point per competency per day with attempts),
    /// sorted by competency then date.
    ///
    /// # Errors
    /// As [`Store::learner_history`].
    pub fn competency_mastery(
        &self,
        actor: &Session,
        learner_id: PersonId,
    ) -> StoreResult<Vec<CompetencyPoint>> {
        actor.require_self_or_privileged(learner_id, "see another learner's progress")?;
        let sql = format!(
            "SELECT c.competency, substr(a.submitted_at, 1, 10), {EFFECTIVE_SCORE_SQL}, a.max_score \
             FROM attempts a JOIN attempt_competencies c ON c.attempt_id = a.id \
             WHERE a.person_id = ?1 AND {} ORDER BY c.competency, a.submitted_at, a.id",
            visible_to(actor)
        );
        let rows = self.conn().query_map(&sql, params![learner_id], |r| {
            Ok((
                r.get::<String>(0)?,
                r.get::<String>(1)?,
                r.get::<f64>(2)?,
                r.get::<f64>(3)?,
            ))
        })?;
        let mut points: Vec<CompetencyPoint> = Vec::new();
        let mut running = (0_u64, 0.0_f64); // attempts and fraction sum for the current competency
        let mut day = (0_u64, 0.0_f64);
        for row in rows {
            let (competency, date, score, max) = row;
            let f = fraction(score, max);
            let same_competency = points.last().is_some_and(|p| p.competency == competency);
            if !same_competency {
                running = (0, 0.0);
            }
            running = (running.0 + 1, running.1 + f);
            match points.last_mut() {
                Some(p) if same_competency && p.date == date => {
                    day = (day.0 + 1, day.1 + f);
                    p.attempts = day.0;
                    p.day_fraction = day.1 / day.0 as f64;
                    p.cumulative_fraction = running.1 / running.0 as f64;
                }
                _ => {
                    day = (1, f);
                    points.push(CompetencyPoint {
                        competency,
                        date,
                        attempts: 1,
                        day_fraction: f,
                        cumulative_fraction: running.1 / running.0 as f64,
                    });
                }
            }
        }
        Ok(points)
    }

    /// The gradebook: learners (a cohort's members, or every student, candidate and anyone
    /// with attempts) × scenario versions attempted by them. Privileged only.
    ///
    /// # Errors
    /// [`crate::store::StoreError::PermissionDenied`], [`crate::store::StoreError::NotFound`]
    /// (cohort), SQLite failures.
    pub fn gradebook(&self, actor: &Session, cohort: Option<&str>) -> StoreResult<Gradebook> {
        actor.require(
            &[Role::Instructor, Role::EmployerAdmin],
            "see the gradebook",
        )?;
        let cohort_id = cohort.map(|name| self.cohort_id(name)).transpose()?;
        // Learners first, so members without attempts still get a row.
        let mut learners: BTreeMap<(String, i64), (Role, BTreeMap<i64, GradebookCell>)> =
            BTreeMap::new();
        let people = self.conn().query_map(
            "SELECT p.id, p.name, p.role FROM people p WHERE \
             (CAST(?1 AS BIGINT) IS NOT NULL AND EXISTS(SELECT 1 FROM cohort_members m WHERE m.cohort_id = ?1 AND m.person_id = p.id)) \
             OR (CAST(?1 AS BIGINT) IS NULL AND (p.role IN ('student', 'candidate') OR EXISTS(SELECT 1 FROM attempts a WHERE a.person_id = p.id)))",
            params![cohort_id],
            |r| Ok((r.get::<i64>(0)?, r.get::<String>(1)?, r.get::<String>(2)?)),
        )?;
        let mut ids: BTreeMap<i64, (String, i64)> = BTreeMap::new();
        for row in people {
            let (id, name, role) = row;
            let role = Role::parse(&role)?;
            ids.insert(id, (name.clone(), id));
            learners.insert((name, id), (role, BTreeMap::new()));
        }
        // The cells are kept with the attempts (`refresh_cell`): the gradebook reads one row
        // per learner and scenario version, however many attempts there are.
        let mut used_versions: BTreeMap<i64, ()> = BTreeMap::new();
        for row in self.conn().query_map(
            "SELECT c.person_id, c.scenario_version_id, c.attempts, c.best_fraction, \
             c.latest_fraction, c.latest_submitted_at, c.latest_passed FROM gradebook_cells c \
             WHERE CAST(?1 AS BIGINT) IS NULL OR c.person_id IN \
             (SELECT person_id FROM cohort_members WHERE cohort_id = ?1)",
            params![cohort_id],
            |r| {
                Ok((
                    r.get::<i64>(0)?,
                    r.get::<i64>(1)?,
                    GradebookCell {
                        attempts: u64::try_from(r.get::<i64>(2)?).unwrap_or(0),
                        best_fraction: r.get(3)?,
                        latest_fraction: r.get(4)?,
                        latest_submitted_at: r.get(5)?,
                        latest_passed: r.get(6)?,
                    },
                ))
            },
        )? {
            let (person, version, cell) = row;
            let Some(key) = ids.get(&person) else {
                continue;
            };
            let Some((_, cells)) = learners.get_mut(key) else {
                continue;
            };
            cells.insert(version, cell);
            used_versions.insert(version, ());
        }
        let mut columns: Vec<(ScenarioVersionKey, i64)> = Vec::new();
        for version in used_versions.keys() {
            let key = self.conn().query_row(
                "SELECT scenario_id, content_hash FROM scenario_versions WHERE id = ?1",
                params![version],
                |r| {
                    Ok(ScenarioVersionKey {
                        scenario_id: r.get(0)?,
                        content_hash: r.get(1)?,
                    })
                },
            )?;
            columns.push((key, *version));
        }
        columns.sort();
        let rows = learners
            .into_iter()
            .map(|((learner, _), (role, mut cells))| GradebookRow {
                learner,
                role,
                cells: columns.iter().map(|(_, v)| cells.remove(v)).collect(),
            })
            .collect();
        Ok(Gradebook {
            cohort: cohort.map(str::to_string),
            scenarios: columns.into_iter().map(|(k, _)| k).collect(),
            rows,
        })
    }

    /// The stored versions of a scenario, sorted by hash.
    ///
    /// # Errors
    /// SQLite failures.
    pub(crate) fn scenario_versions(
        &self,
        scenario_id: &str,
    ) -> StoreResult<Vec<ScenarioVersionKey>> {
        let rows = self.conn().query_map("SELECT scenario_id, content_hash FROM scenario_versions WHERE scenario_id = ?1 ORDER BY content_hash", params![scenario_id], |r| {
            Ok(ScenarioVersionKey {
                scenario_id: r.get(0)?,
                content_hash: r.get(1)?,
            })
        })?;
        Ok(rows)
    }

    /// Per-criterion miss rate and difficulty for one scenario version, most-missed first
    /// (ties by criterion id). Privileged only.
    ///
    /// # Errors
    /// [`crate::store::StoreError::PermissionDenied`], SQLite failures.
    pub fn criterion_stats(
        &self,
        actor: &Session,
        scenario: &ScenarioVersionKey,
    ) -> StoreResult<Vec<CriterionStat>> {
        actor.require(
            &[Role::Instructor, Role::EmployerAdmin],
            "see criterion statistics",
        )?;
        // The totals are kept with the findings (`add_to_criterion_totals`): one row per
        // criterion, however many attempts there are.
        let rows = self.conn().query_map(
            "SELECT t.criterion_id, t.findings, t.misses, t.points, t.max_points \
             FROM criterion_totals t JOIN scenario_versions v ON v.id = t.scenario_version_id \
             WHERE v.scenario_id = ?1 AND v.content_hash = ?2",
            params![scenario.scenario_id, scenario.content_hash],
            |r| {
                Ok((
                    r.get::<String>(0)?,
                    r.get::<i64>(1)?,
                    r.get::<i64>(2)?,
                    r.get::<f64>(3)?,
                    r.get::<f64>(4)?,
                ))
            },
        )?;
        let mut stats = Vec::new();
        for row in rows {
            let (criterion_id, n, misses, points, max) = row;
            let findings = u64::try_from(n).unwrap_or(0);
            let misses = u64::try_from(misses).unwrap_or(0);
            stats.push(CriterionStat {
                criterion_id,
                findings,
                misses,
                miss_rate: if findings > 0 {
                    misses as f64 / findings as f64
                } else {
                    0.0
                },
                difficulty: fraction(points, max),
            });
        }
        stats.sort_by(|a, b| {
            b.miss_rate
                .total_cmp(&a.miss_rate)
                .then_with(|| a.criterion_id.cmp(&b.criterion_id))
        });
        Ok(stats)
    }
}
