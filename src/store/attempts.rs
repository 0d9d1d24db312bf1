//! Attempts, their per-criterion findings, and instructor overrides.
//!
//! The store does not know grading's types: the caller converts a grading report into a
//! [`NewAttempt`]. Recording an attempt is one transaction that upserts the scenario version,
//! inserts the attempt, its competencies and findings, deletes the matching draft, and appends
//! the attempt's link to the audit chain; an acknowledged [`AttemptId`] is therefore complete
//! and durable. Overrides never change the attempt row: they are separate, chained records, and
//! the effective score is the newest override's score (or the graded score if none).

use std::collections::BTreeMap;

use crate::store::db::{Db, OptionalExtension, ToParam, params};
use crate::store::queries::PendingTotals;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::store::assessments::{check_practice_allowed, check_sitting_attempt};
use crate::store::audit::{self, LinkKind};
use crate::store::people::{PersonId, Role, Session};
use crate::store::{Store, StoreError, StoreResult, format_timestamp};

/// Database id of an attempt.
pub type AttemptId = i64;

/// Practice (feedback shown) or assessment (no feedback or keys during the attempt).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// Practice mode.
    Practice,
    /// Assessment mode.
    Assessment,
}

impl Mode {
    /// The stored name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Practice => "practice",
            Self::Assessment => "assessment",
        }
    }

    /// Parses `practice` or `assessment`.
    ///
    /// # Errors
    /// [`StoreError::Invalid`].
    pub fn parse(text: &str) -> StoreResult<Self> {
        match text {
            "practice" => Ok(Self::Practice),
            "assessment" => Ok(Self::Assessment),
            other => Err(StoreError::Invalid {
                field: "mode",
                message: format!("{other:?} is not a mode; use practice or assessment"),
            }),
        }
    }
}

/// One graded criterion of an attempt.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FindingRecord {
    /// The rubric criterion's id.
    pub criterion_id: String,
    /// Points awarded.
    pub points: f64,
    /// Points available.
    pub max: f64,
    /// Outcome label from grading (e.g. `met`, `partial`, `missed`).
    pub outcome: String,
    /// Feedback shown to the learner.
    pub feedback: String,
    /// The rule behind the criterion.
    pub rule: String,
    /// What the key expected (display text).
    pub expected: String,
    /// What the learner gave (display text).
    pub given: String,
    /// The criterion's title (empty for attempts recorded before schema version 3).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub title: String,
    /// The criterion's report section (empty when it has none or before version 3).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub section: String,
}

/// A critical gate that fired on an attempt.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CriticalRecord {
    /// The gate's id in the rubric.
    pub gate_id: String,
    /// Its title.
    pub title: String,
    /// The message the learner saw.
    pub message: String,
    /// `zero` or `cap N%`.
    pub effect: String,
    /// The rule behind it.
    pub rule: String,
}

/// A submitted, graded attempt to store.
///
/// Serialisable so the app can keep a graded submission on the computer while the program
/// server is unreachable and send it later.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewAttempt {
    /// The learner (see [`Store::person_by_name`]).
    pub learner_id: PersonId,
    /// The scenario's stable id.
    pub scenario_id: String,
    /// Hash of the scenario file's content, so a changed scenario never mixes with old results.
    pub scenario_version_hash: String,
    /// The seed the case was generated from.
    pub seed: u64,
    /// Practice or assessment.
    pub mode: Mode,
    /// The assessment sitting this attempt belongs to (assessment mode only).
    pub sitting_id: Option<i64>,
    /// When the learner opened the case.
    pub started_at: DateTime<Utc>,
    /// When the learner submitted.
    pub submitted_at: DateTime<Utc>,
    /// Time spent working, in seconds.
    pub duration_secs: u64,
    /// Points scored.
    pub score: f64,
    /// Points available.
    pub max: f64,
    /// Whether grading judged it a pass.
    pub passed: bool,
    /// Competencies the scenario exercises (stored sorted, deduplicated).
    pub competencies: Vec<String>,
    /// Per-criterion findings, in the report's order.
    pub findings: Vec<FindingRecord>,
    /// The critical gates that fired, in the report's order (empty when none did).
    pub criticals: Vec<CriticalRecord>,
    /// SHA-256 of the rubric that graded it ([`crate::grading::GradeReport::rubric_sha256`]);
    /// `None` for an attempt graded elsewhere (e.g. on paper).
    pub rubric_hash: Option<String>,
}

/// An instructor's change to an attempt's score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Override {
    /// Database id.
    pub id: i64,
    /// The attempt.
    pub attempt_id: AttemptId,
    /// Who made it.
    pub author: String,
    /// The new score.
    pub new_score: f64,
    /// Why.
    pub comment: String,
    /// When (RFC 3339).
    pub created_at: String,
}

/// A stored attempt, read back.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AttemptRecord {
    /// Database id.
    pub id: AttemptId,
    /// The learner's id.
    pub learner_id: PersonId,
    /// The learner's name.
    pub learner: String,
    /// Scenario id.
    pub scenario_id: String,
    /// Scenario content hash.
    pub scenario_version_hash: String,
    /// Seed.
    pub seed: u64,
    /// Mode.
    pub mode: Mode,
    /// Sitting, for assessment attempts.
    pub sitting_id: Option<i64>,
    /// RFC 3339.
    pub started_at: String,
    /// RFC 3339.
    pub submitted_at: String,
    /// Seconds.
    pub duration_secs: u64,
    /// Graded score.
    pub score: f64,
    /// Score after the newest override (equals `score` without overrides).
    pub effective_score: f64,
    /// Points available.
    pub max: f64,
    /// Grading's pass judgement.
    pub passed: bool,
    /// Sorted competencies.
    pub competencies: Vec<String>,
    /// Findings in order.
    pub findings: Vec<FindingRecord>,
    /// Critical gates that fired, in order.
    pub criticals: Vec<CriticalRecord>,
    /// False for attempts recorded before schema version 3, which did not keep their critical
    /// gates (`criticals` is then empty whatever fired).
    pub criticals_recorded: bool,
    /// SHA-256 of the rubric that graded it (`None`: recorded before schema version 5, or
    /// graded elsewhere).
    pub rubric_hash: Option<String>,
    /// The EHR Sim version that recorded it (`None` before schema version 5).
    pub program_version: Option<String>,
    /// Overrides, oldest first.
    pub overrides: Vec<Override>,
}

/// The version of this program, recorded with every attempt.
pub const PROGRAM_VERSION: &str = env!("CARGO_PKG_VERSION");

fn invalid(field: &'static str, message: impl Into<String>) -> StoreError {
    StoreError::Invalid {
        field,
        message: message.into(),
    }
}

fn validate(attempt: &NewAttempt) -> StoreResult<()> {
    if attempt.scenario_id.trim().is_empty() {
        return Err(invalid("scenario_id", "give the scenario's id"));
    }
    if attempt.scenario_version_hash.trim().is_empty() {
        return Err(invalid(
            "scenario_version_hash",
            "give the hash of the scenario file's content",
        ));
    }
    if !attempt.max.is_finite() || attempt.max < 0.0 {
        return Err(invalid(
            "max",
            format!("{} must be a number ≥ 0", attempt.max),
        ));
    }
    if !attempt.score.is_finite() || attempt.score < 0.0 || attempt.score > attempt.max {
        return Err(invalid(
            "score",
            format!(
                "{} must lie between 0 and max ({})",
                attempt.score, attempt.max
            ),
        ));
    }
    if attempt.submitted_at < attempt.started_at {
        return Err(invalid("submitted_at", "must not be before started_at"));
    }
    if i64::try_from(attempt.duration_secs).is_err() {
        return Err(invalid("duration_secs", "is out of range"));
    }
    if attempt.sitting_id.is_some() && attempt.mode != Mode::Assessment {
        return Err(invalid(
            "sitting_id",
            "only assessment-mode attempts belong to a sitting",
        ));
    }
    for (index, finding) in attempt.findings.iter().enumerate() {
        if finding.criterion_id.trim().is_empty()
            || !finding.points.is_finite()
            || !finding.max.is_finite()
            || finding.points > finding.max
        {
            return Err(invalid(
                "findings",
                format!(
                    "finding {index} ({:?}) needs a criterion id and finite points ≤ max",
                    finding.criterion_id
                ),
            ));
        }
    }
    Ok(())
}

/// Upserts a scenario version and returns its id.
pub(crate) fn scenario_version_id(tx: &Db, scenario_id: &str, hash: &str) -> StoreResult<i64> {
    tx.execute(
        "INSERT INTO scenario_versions (scenario_id, content_hash) VALUES (?1, ?2) \
         ON CONFLICT DO NOTHING",
        params![scenario_id, hash],
    )?;
    tx.query_row(
        "SELECT id FROM scenario_versions WHERE scenario_id = ?1 AND content_hash = ?2",
        params![scenario_id, hash],
        |r| r.get(0),
    )
}

/// Inserts one attempt with everything that belongs to it, inside `tx`.
pub(crate) fn insert_attempt(tx: &Db, attempt: &NewAttempt) -> StoreResult<AttemptId> {
    let mut totals = PendingTotals::default();
    let id = insert_attempt_into(tx, attempt, &mut totals)?;
    totals.write(tx)?;
    Ok(id)
}

/// Inserts one attempt with everything that belongs to it, inside `tx`, but for its
/// per-criterion totals, which are added to `totals` for the caller to write before `tx`
/// commits.
pub(crate) fn insert_attempt_into(
    tx: &Db,
    attempt: &NewAttempt,
    totals: &mut PendingTotals,
) -> StoreResult<AttemptId> {
    validate(attempt)?;
    let exists: bool = tx.query_row(
        "SELECT EXISTS(SELECT 1 FROM people WHERE id = ?1)",
        params![attempt.learner_id],
        |r| r.get(0),
    )?;
    if !exists {
        return Err(StoreError::NotFound {
            what: "person",
            name: format!("#{}", attempt.learner_id),
        });
    }
    if let Some(sitting) = attempt.sitting_id {
        check_sitting_attempt(tx, sitting, attempt)?;
    } else if attempt.mode == Mode::Practice {
        check_practice_allowed(tx, attempt)?;
    }
    let version_id = scenario_version_id(tx, &attempt.scenario_id, &attempt.scenario_version_hash)?;
    let id: AttemptId = tx.query_row(
        "INSERT INTO attempts (person_id, scenario_version_id, seed, mode, started_at, submitted_at, \
         duration_secs, score, max_score, passed, sitting_id, criticals_recorded, rubric_hash, \
         program_version) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, 1, ?12, ?13) RETURNING id",
        params![
            attempt.learner_id,
            version_id,
            attempt.seed as i64,
            attempt.mode.as_str(),
            format_timestamp(&attempt.started_at),
            format_timestamp(&attempt.submitted_at),
            attempt.duration_secs as i64,
            attempt.score,
            attempt.max,
            attempt.passed,
            attempt.sitting_id,
            attempt.rubric_hash,
            PROGRAM_VERSION,
        ],
        |r| r.get(0),
    )?;
    for competency in &attempt.competencies {
        let competency = competency.trim();
        if !competency.is_empty() {
            tx.execute(
                "INSERT INTO attempt_competencies (attempt_id, competency) VALUES (?1, ?2) \
                 ON CONFLICT DO NOTHING",
                params![id, competency],
            )?;
        }
    }
    insert_findings(tx, id, &attempt.findings)?;
    totals.add(version_id, &attempt.findings);
    for (ordinal, c) in attempt.criticals.iter().enumerate() {
        tx.execute(
            "INSERT INTO attempt_criticals (attempt_id, ordinal, gate_id, title, message, effect, \
             rule) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                id,
                ordinal as i64,
                c.gate_id,
                c.title,
                c.message,
                c.effect,
                c.rule
            ],
        )?;
    }
    tx.execute(
        "DELETE FROM drafts WHERE person_id = ?1 AND scenario_id = ?2 AND seed = ?3 AND mode = ?4",
        params![
            attempt.learner_id,
            attempt.scenario_id,
            attempt.seed as i64,
            attempt.mode.as_str()
        ],
    )?;
    crate::store::queries::add_to_cell(tx, id, attempt, version_id)?;
    audit::append(tx, LinkKind::Attempt, id)?;
    Ok(id)
}

/// Findings per `INSERT` statement: one round trip for a typical attempt, and well under the
/// engines' parameter limits (12 per finding).
const FINDINGS_PER_STATEMENT: usize = 32;

/// Inserts an attempt's findings, several rows per statement.
fn insert_findings(tx: &Db, id: AttemptId, findings: &[FindingRecord]) -> StoreResult<()> {
    for (chunk_index, chunk) in findings.chunks(FINDINGS_PER_STATEMENT).enumerate() {
        let mut sql = String::from(
            "INSERT INTO findings (attempt_id, ordinal, criterion_id, points, max_points, \
             outcome, feedback, rule, expected, given, title, section) VALUES ",
        );
        let ordinals: Vec<i64> = (0..chunk.len())
            .map(|k| (chunk_index * FINDINGS_PER_STATEMENT + k) as i64)
            .collect();
        let mut values: Vec<&dyn ToParam> = Vec::with_capacity(chunk.len() * 12);
        for (k, f) in chunk.iter().enumerate() {
            let base = k * 12;
            if k > 0 {
                sql.push_str(", ");
            }
            sql.push('(');
            for column in 1..=12 {
                if column > 1 {
                    sql.push_str(", ");
                }
                sql.push_str(&format!("?{}", base + column));
            }
            sql.push(')');
            values.extend([
                &id as &dyn ToParam,
                &ordinals[k],
                &f.criterion_id,
                &f.points,
                &f.max,
                &f.outcome,
                &f.feedback,
                &f.rule,
                &f.expected,
                &f.given,
                &f.title,
                &f.section,
            ]);
        }
        tx.execute(&sql, &values)?;
    }
    Ok(())
}

/// Recomputes the gradebook cell of an attempt's learner and scenario version.
pub(crate) fn refresh_cell_of(tx: &Db, attempt_id: AttemptId) -> StoreResult<()> {
    let (learner, version): (i64, i64) = tx.query_row(
        "SELECT person_id, scenario_version_id FROM attempts WHERE id = ?1",
        params![attempt_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    crate::store::queries::refresh_cell(tx, learner, version)
}

impl Store {
    /// Stores a submitted attempt durably: when this returns `Ok`, the attempt, its findings and
    /// its audit link are committed to disk together. Deletes the learner's matching draft.
    ///
    /// # Errors
    /// [`StoreError::Invalid`] (empty ids, score outside 0..=max, submitted before started, bad
    /// finding, sitting rules), [`StoreError::NotFound`] (learner, sitting), SQLite failures.
    pub fn record_attempt(&mut self, attempt: &NewAttempt) -> StoreResult<AttemptId> {
        self.write(|tx| insert_attempt(tx, attempt))
    }

    /// [`Store::record_attempt`] for a signed-in actor: learners may record only their own
    /// attempts; instructors and employer admins anyone's (e.g. grading a paper submission).
    ///
    /// # Errors
    /// [`StoreError::PermissionDenied`], then as [`Store::record_attempt`].
    pub fn record_attempt_as(
        &mut self,
        actor: &Session,
        attempt: &NewAttempt,
    ) -> StoreResult<AttemptId> {
        actor.require_self_or_privileged(
            attempt.learner_id,
            "record an attempt for another learner",
        )?;
        self.record_attempt(attempt)
    }

    /// Stores many attempts in one transaction (imports, benchmarks); all or none.
    ///
    /// # Errors
    /// As [`Store::record_attempt`], for the first bad attempt.
    pub(crate) fn record_attempts(
        &mut self,
        attempts: &[NewAttempt],
    ) -> StoreResult<Vec<AttemptId>> {
        self.write(|tx| {
            let mut totals = PendingTotals::default();
            let ids = attempts
                .iter()
                .map(|a| insert_attempt_into(tx, a, &mut totals))
                .collect::<StoreResult<Vec<_>>>()?;
            totals.write(tx)?;
            Ok(ids)
        })
    }

    /// Overrides an attempt's score with a comment. Instructors and employer admins only.
    ///
    /// # Errors
    /// [`StoreError::PermissionDenied`], [`StoreError::NotFound`], [`StoreError::Invalid`]
    /// (empty comment, score outside 0..=max).
    pub fn override_score(
        &mut self,
        actor: &Session,
        attempt_id: AttemptId,
        new_score: f64,
        comment: &str,
        now: &DateTime<Utc>,
    ) -> StoreResult<i64> {
        actor.require(&[Role::Instructor, Role::EmployerAdmin], "override a score")?;
        let comment = comment.trim();
        if comment.is_empty() {
            return Err(invalid("comment", "say why the score is overridden"));
        }
        let created_at = format_timestamp(now);
        self.write(|tx| {
            let max: f64 = tx
                .query_row(
                    "SELECT max_score FROM attempts WHERE id = ?1",
                    params![attempt_id],
                    |r| r.get(0),
                )
                .optional()?
                .ok_or_else(|| StoreError::NotFound {
                    what: "attempt",
                    name: format!("#{attempt_id}"),
                })?;
            if !new_score.is_finite() || new_score < 0.0 || new_score > max {
                return Err(invalid(
                    "new score",
                    format!("{new_score} must lie between 0 and the attempt's max ({max})"),
                ));
            }
            let id: i64 = tx.query_row(
                "INSERT INTO overrides (attempt_id, author_id, new_score, comment, created_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id",
                params![
                    attempt_id,
                    actor.person_id(),
                    new_score,
                    comment,
                    created_at
                ],
                |r| r.get(0),
            )?;
            refresh_cell_of(tx, attempt_id)?;
            audit::append(tx, LinkKind::Override, id)?;
            Ok(id)
        })
    }

    /// Reads one attempt with its findings and overrides. Learners may read their own.
    ///
    /// # Errors
    /// [`StoreError::NotFound`], [`StoreError::PermissionDenied`].
    pub fn attempt(&self, actor: &Session, attempt_id: AttemptId) -> StoreResult<AttemptRecord> {
        let record =
            load_attempt(self.conn(), attempt_id)?.ok_or_else(|| StoreError::NotFound {
                what: "attempt",
                name: format!("#{attempt_id}"),
            })?;
        actor.require_self_or_privileged(record.learner_id, "read another learner's attempt")?;
        let visible: bool = self.conn().query_row(
            &format!(
                "SELECT {} FROM attempts a WHERE a.id = ?1",
                crate::store::queries::visible_to(actor)
            ),
            params![attempt_id],
            |r| r.get(0),
        )?;
        if !visible {
            return Err(StoreError::PermissionDenied {
                action: "read an assessment result before the employer releases it",
                role: actor.role(),
                allowed: "an instructor or employer admin",
            });
        }
        Ok(record)
    }
}

/// Loads an attempt with findings, competencies and overrides; `None` if absent.
pub(crate) fn load_attempt(conn: &Db, id: AttemptId) -> StoreResult<Option<AttemptRecord>> {
    let Some(mut record) = load_attempts_between(conn, id, id)?.pop() else {
        return Ok(None);
    };
    record.overrides = conn.query_map(
        "SELECT o.id, p.name, o.new_score, o.comment, o.created_at FROM overrides o \
             JOIN people p ON p.id = o.author_id WHERE o.attempt_id = ?1 ORDER BY o.id",
        params![id],
        |r| {
            Ok(Override {
                id: r.get(0)?,
                attempt_id: id,
                author: r.get(1)?,
                new_score: r.get(2)?,
                comment: r.get(3)?,
                created_at: r.get(4)?,
            })
        },
    )?;
    record.effective_score = record
        .overrides
        .last()
        .map_or(record.score, |o| o.new_score);
    Ok(Some(record))
}

/// The parts of an attempt kept in other tables, by attempt id.
type Parts<T> = BTreeMap<AttemptId, Vec<T>>;

/// Reads `SELECT attempt_id, …` rows of attempts `lo..=hi` into lists by attempt.
fn parts_between<T>(
    conn: &Db,
    sql: &str,
    (lo, hi): (AttemptId, AttemptId),
    read: impl Fn(&crate::store::db::Row) -> StoreResult<T>,
) -> StoreResult<Parts<T>> {
    let mut parts: Parts<T> = BTreeMap::new();
    for (id, part) in conn.query_map(sql, params![lo, hi], |r| Ok((r.get::<i64>(0)?, read(r)?)))? {
        parts.entry(id).or_default().push(part);
    }
    Ok(parts)
}

/// The attempts with ids `lo..=hi`, ascending, each with its competencies, findings and
/// critical gates (no overrides: `effective_score` is the graded score), in one query per
/// table. An attempt whose learner or scenario version row is missing is left out, as
/// [`load_attempt`] finds no such attempt.
pub(crate) fn load_attempts_between(
    conn: &Db,
    lo: AttemptId,
    hi: AttemptId,
) -> StoreResult<Vec<AttemptRecord>> {
    let rows = conn.query_map(
        "SELECT a.id, a.person_id, p.name, v.scenario_id, v.content_hash, a.seed, a.mode, \
             a.sitting_id, a.started_at, a.submitted_at, a.duration_secs, a.score, a.max_score, \
             a.passed, a.criticals_recorded, a.rubric_hash, a.program_version \
             FROM attempts a JOIN people p ON p.id = a.person_id \
             JOIN scenario_versions v ON v.id = a.scenario_version_id \
             WHERE a.id BETWEEN ?1 AND ?2 ORDER BY a.id",
        params![lo, hi],
        |r| {
            Ok(AttemptRecord {
                id: r.get(0)?,
                learner_id: r.get(1)?,
                learner: r.get(2)?,
                scenario_id: r.get(3)?,
                scenario_version_hash: r.get(4)?,
                seed: r.get::<i64>(5)? as u64,
                mode: Mode::parse(&r.get::<String>(6)?)?,
                sitting_id: r.get(7)?,
                started_at: r.get(8)?,
                submitted_at: r.get(9)?,
                duration_secs: u64::try_from(r.get::<i64>(10)?).unwrap_or(0),
                score: r.get(11)?,
                effective_score: r.get(11)?,
                max: r.get(12)?,
                passed: r.get(13)?,
                criticals_recorded: r.get(14)?,
                rubric_hash: r.get(15)?,
                program_version: r.get(16)?,
                competencies: Vec::new(),
                findings: Vec::new(),
                criticals: Vec::new(),
                overrides: Vec::new(),
            })
        },
    )?;
    if rows.is_empty() {
        return Ok(rows);
    }
    let mut competencies = parts_between(
        conn,
        "SELECT attempt_id, competency FROM attempt_competencies \
         WHERE attempt_id BETWEEN ?1 AND ?2 ORDER BY attempt_id, competency",
        (lo, hi),
        |r| r.get::<String>(1),
    )?;
    let mut findings = parts_between(
        conn,
        "SELECT attempt_id, criterion_id, points, max_points, outcome, feedback, rule, \
         expected, given, title, section FROM findings \
         WHERE attempt_id BETWEEN ?1 AND ?2 ORDER BY attempt_id, ordinal",
        (lo, hi),
        |r| {
            Ok(FindingRecord {
                criterion_id: r.get(1)?,
                points: r.get(2)?,
                max: r.get(3)?,
                outcome: r.get(4)?,
                feedback: r.get(5)?,
                rule: r.get(6)?,
                expected: r.get(7)?,
                given: r.get(8)?,
                title: r.get(9)?,
                section: r.get(10)?,
            })
        },
    )?;
    let mut criticals = parts_between(
        conn,
        "SELECT attempt_id, gate_id, title, message, effect, rule FROM attempt_criticals \
         WHERE attempt_id BETWEEN ?1 AND ?2 ORDER BY attempt_id, ordinal",
        (lo, hi),
        |r| {
            Ok(CriticalRecord {
                gate_id: r.get(1)?,
                title: r.get(2)?,
                message: r.get(3)?,
                effect: r.get(4)?,
                rule: r.get(5)?,
            })
        },
    )?;
    Ok(rows
        .into_iter()
        .map(|mut a| {
            a.competencies = competencies.remove(&a.id).unwrap_or_default();
            a.findings = findings.remove(&a.id).unwrap_or_default();
            a.criticals = criticals.remove(&a.id).unwrap_or_default();
            a
        })
        .collect())
}
