//! Employer assessments and candidates' sittings.
//!
//! An assessment is a fixed list of scenarios with a time limit, a pass mark (fraction of the
//! total points) and a master seed. Each candidate's seed for each scenario is derived
//! deterministically from (master seed, scenario id, candidate name) by
//! [`derive_candidate_seed`], so an employer can re-create exactly what a candidate saw and no
//! two candidates share a variant by accident. The master seed is stored sealed under the staff
//! key and each candidate's seeds sealed to the candidate (`store::secrets`): only
//! staff read the first, only the candidate (and staff) the second. A sitting is one
//! candidate's go at an assessment (one per candidate); attempts recorded against it must
//! match its candidate, scenarios and seeds.

use crate::store::db::{Db, OptionalExtension, ToParam, params};
use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::store::attempts::NewAttempt;
use crate::store::audit::{self, LinkKind};
use crate::store::people::{Person, PersonId, Role, Session};
use crate::store::secrets::{self, seed_check};
use crate::store::{Store, StoreError, StoreResult, format_timestamp};

/// Database id of a sitting.
pub type SittingId = i64;

/// Derives a candidate's seed for one scenario of an assessment: the first 8 bytes
/// (big-endian) of SHA-256 over a versioned label, the master seed, the scenario id and the
/// candidate's name. Pure and portable.
#[must_use]
pub fn derive_candidate_seed(master_seed: u64, scenario_id: &str, candidate_name: &str) -> u64 {
    let mut hasher = Sha256::new();
    hasher.update(b"ehr-sim/assessment-seed/v1\n");
    hasher.update(master_seed.to_be_bytes());
    hasher.update(b"\n");
    hasher.update(scenario_id.as_bytes());
    hasher.update(b"\n");
    hasher.update(candidate_name.as_bytes());
    let digest = hasher.finalize();
    let mut first = [0_u8; 8];
    first.copy_from_slice(digest.get(..8).unwrap_or(&[0; 8]));
    u64::from_be_bytes(first)
}

/// The cohort an assessment's candidates are registered in: `"<assessment> candidates"`.
#[must_use]
pub fn cohort_name(assessment: &str) -> String {
    format!("{assessment} candidates")
}

/// What an employer admin fills in to create an assessment.
#[derive(Debug, Clone, PartialEq)]
pub struct NewAssessment {
    /// Unique name.
    pub name: String,
    /// Scenario ids, in the order candidates take them.
    pub scenario_ids: Vec<String>,
    /// Time allowed for the whole sitting, in seconds.
    pub time_limit_secs: u64,
    /// Pass mark as a fraction of total points (0.0..=1.0).
    pub pass_mark_fraction: f64,
    /// The seed candidates' seeds derive from.
    pub master_seed: u64,
    /// Candidates see the MS-DRG their inpatient codes group to as they code.
    pub show_drg: bool,
}

/// A stored assessment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assessment {
    /// Database id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Scenario ids in order.
    pub scenario_ids: Vec<String>,
    /// Seconds.
    pub time_limit_secs: u64,
    /// Fraction.
    pub pass_mark_fraction: f64,
    /// Candidates see the MS-DRG their inpatient codes group to as they code.
    pub show_drg: bool,
    /// When an employer admin released the results to the candidates (RFC 3339); until then
    /// candidates see neither their scores nor their findings.
    pub results_released_at: Option<String>,
}

/// A candidate's sitting, with the seed of each scenario.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sitting {
    /// Database id.
    pub id: SittingId,
    /// The assessment.
    pub assessment_id: i64,
    /// The candidate.
    pub person_id: PersonId,
    /// RFC 3339.
    pub started_at: String,
    /// RFC 3339: `started_at` plus the time limit.
    pub deadline: String,
    /// RFC 3339, once finished.
    pub finished_at: Option<String>,
    /// (scenario id, seed) in the assessment's order.
    pub seeds: Vec<(String, u64)>,
    /// The assessment shows the live MS-DRG of inpatient codes.
    pub show_drg: bool,
}

/// One candidate's result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AssessmentResult {
    /// Candidate's name.
    pub candidate: String,
    /// Sitting id.
    pub sitting_id: SittingId,
    /// RFC 3339.
    pub started_at: String,
    /// RFC 3339 if finished.
    pub finished_at: Option<String>,
    /// Scenarios answered: with a recorded attempt whose findings are not all "missing" or
    /// "not applicable" (an item submitted blank, e.g. left when the sitting finished, is not
    /// done; an attempt recorded without findings, e.g. graded on paper, is).
    pub scenarios_done: u64,
    /// Scenarios in the assessment.
    pub scenarios_total: u64,
    /// Sum of effective scores.
    pub score: f64,
    /// Sum of max points.
    pub max: f64,
    /// `score / max` (0 when max is 0).
    pub fraction: f64,
    /// Any attempt submitted after the deadline.
    pub over_time: bool,
    /// All scenarios done, within time, and `fraction >= pass mark`.
    pub passed: bool,
    /// The result so far: pass, fail, or still in progress (neither finished nor out of time
    /// when the results were read), which is neither.
    pub verdict: Verdict,
}

/// A sitting's result as staff read it (`pass`, `fail`, `in_progress` in JSON).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// All scenarios done within time at or above the pass mark.
    Pass,
    /// Finished or out of time, and not a pass.
    Fail,
    /// Not finished and its time has not run out: no verdict yet.
    InProgress,
}

impl Verdict {
    /// The word shown in results tables.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Pass => "PASS",
            Self::Fail => "FAIL",
            Self::InProgress => "IN PROGRESS",
        }
    }
}

fn parse_time(text: &str) -> StoreResult<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| StoreError::Invalid {
            field: "timestamp",
            message: format!("stored timestamp {text:?} is not RFC 3339: {e}"),
        })
}

pub(crate) fn load_assessment(
    conn: &Db,
    where_sql: &str,
    key: &dyn ToParam,
) -> StoreResult<Option<Assessment>> {
    let sql = format!(
        "SELECT id, name, time_limit_secs, pass_mark_fraction, results_released_at, show_drg \
         FROM assessments WHERE {where_sql}"
    );
    let row = conn
        .query_row(&sql, params![key], |r| {
            Ok((
                r.get::<i64>(0)?,
                r.get::<String>(1)?,
                r.get::<i64>(2)?,
                r.get::<f64>(3)?,
                r.get::<Option<String>>(4)?,
                r.get::<bool>(5)?,
            ))
        })
        .optional()?;
    let Some((id, name, limit, pass_mark, results_released_at, show_drg)) = row else {
        return Ok(None);
    };
    let scenario_ids = conn.query_map(
        "SELECT scenario_id FROM assessment_scenarios WHERE assessment_id = ?1 ORDER BY ordinal",
        params![id],
        |r| r.get(0),
    )?;
    Ok(Some(Assessment {
        id,
        name,
        scenario_ids,
        time_limit_secs: u64::try_from(limit).unwrap_or(0),
        pass_mark_fraction: pass_mark,
        results_released_at,
        show_drg,
    }))
}

/// Refuses a practice attempt of a scenario that is part of an assessment the learner is
/// sitting now (started, not finished, within its time limit): during a sitting the
/// assessment's scenarios are closed to practice.
pub(crate) fn check_practice_allowed(tx: &Db, attempt: &NewAttempt) -> StoreResult<()> {
    if attempt.sitting_id.is_some() {
        return Ok(());
    }
    let sitting: Option<String> = tx
        .query_row(
            &format!("SELECT x.name FROM {OPEN_SITTING_SQL} AND sc.scenario_id = ?3 LIMIT 1"),
            params![
                attempt.learner_id,
                format_timestamp(&attempt.submitted_at),
                attempt.scenario_id
            ],
            |r| r.get(0),
        )
        .optional()?;
    match sitting {
        Some(name) => Err(StoreError::Invalid {
            field: "scenario_id",
            message: format!(
                "{:?} is part of assessment {name:?}, which this learner is sitting now: \
                 practice of it is closed until the sitting is finished",
                attempt.scenario_id
            ),
        }),
        None => Ok(()),
    }
}

/// The sittings of person `?1` open at time `?2` (RFC 3339), joined with their assessments
/// (`x`) and scenarios (`sc`).
const OPEN_SITTING_SQL: &str = "sittings s JOIN assessments x ON x.id = s.assessment_id \
     JOIN assessment_scenarios sc ON sc.assessment_id = x.id \
     WHERE s.person_id = ?1 AND s.finished_at IS NULL \
     AND julianday(s.started_at) + x.time_limit_secs / 86400.0 > julianday(?2)";

/// What a staff account without the staff key is told.
const NO_STAFF_KEY: &str = "assessment seeds are sealed under the staff key, which this account \
     does not hold yet: it gets its share the next time another instructor or employer admin \
     signs in";

/// Stores a sitting's seed check values when it starts; when it resumes, checks that the seeds
/// are the ones it started with (sealed seeds replaced since would give other cases).
fn keep_seed_checks(tx: &Db, sitting_id: SittingId, seeds: &[(String, u64)]) -> StoreResult<()> {
    for (scenario, seed) in seeds {
        let check = seed_check(sitting_id, scenario, *seed);
        tx.execute(
            "INSERT INTO sitting_seed_checks (sitting_id, scenario_id, seed_check) \
             VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
            params![sitting_id, scenario, check],
        )?;
        let kept: String = tx.query_row(
            "SELECT seed_check FROM sitting_seed_checks WHERE sitting_id = ?1 AND scenario_id = ?2",
            params![sitting_id, scenario],
            |r| r.get(0),
        )?;
        if kept != check {
            return Err(StoreError::Invalid {
                field: "sitting",
                message: format!(
                    "the seeds of sitting #{sitting_id} are not the ones it started with: the \
                     database was altered (run `ehr-sim audit verify`)"
                ),
            });
        }
    }
    Ok(())
}

/// Checks an attempt against its sitting (candidate, scenario, seed, not finished).
pub(crate) fn check_sitting_attempt(
    tx: &Db,
    sitting_id: SittingId,
    attempt: &NewAttempt,
) -> StoreResult<()> {
    let row: Option<(i64, i64, String, Option<String>)> = tx
        .query_row(
            "SELECT s.assessment_id, s.person_id, p.name, s.finished_at FROM sittings s \
             JOIN people p ON p.id = s.person_id WHERE s.id = ?1",
            params![sitting_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    let bad = |message: String| StoreError::Invalid {
        field: "sitting_id",
        message,
    };
    let (assessment_id, person_id, candidate, finished) =
        row.ok_or_else(|| StoreError::NotFound {
            what: "sitting",
            name: format!("#{sitting_id}"),
        })?;
    if person_id != attempt.learner_id {
        return Err(bad(format!(
            "sitting #{sitting_id} belongs to {candidate}, not this learner"
        )));
    }
    if finished.is_some() {
        return Err(bad(format!("sitting #{sitting_id} is already finished")));
    }
    let assessment =
        load_assessment(tx, "id = ?1", &assessment_id)?.ok_or_else(|| StoreError::NotFound {
            what: "assessment",
            name: format!("#{assessment_id}"),
        })?;
    if !assessment.scenario_ids.contains(&attempt.scenario_id) {
        return Err(bad(format!(
            "scenario {:?} is not part of assessment {:?}",
            attempt.scenario_id, assessment.name
        )));
    }
    let check: Option<String> = tx
        .query_row(
            "SELECT seed_check FROM sitting_seed_checks WHERE sitting_id = ?1 AND scenario_id = ?2",
            params![sitting_id, attempt.scenario_id],
            |r| r.get(0),
        )
        .optional()?;
    if check.as_deref() != Some(seed_check(sitting_id, &attempt.scenario_id, attempt.seed).as_str())
    {
        // The expected seed is not said: it is the candidate's secret.
        return Err(bad(format!(
            "seed {} is not this candidate's seed for {:?}",
            attempt.seed, attempt.scenario_id
        )));
    }
    Ok(())
}

impl Store {
    /// Creates an assessment. Employer admins and instructors only.
    ///
    /// # Errors
    /// [`StoreError::PermissionDenied`], [`StoreError::Duplicate`], [`StoreError::Invalid`]
    /// (no scenarios, duplicate scenario, zero time limit, pass mark outside 0..=1).
    pub fn create_assessment(
        &mut self,
        actor: &Session,
        new: &NewAssessment,
        now: &DateTime<Utc>,
    ) -> StoreResult<i64> {
        actor.require(
            &[Role::EmployerAdmin, Role::Instructor],
            "create assessments",
        )?;
        let staff_key = actor
            .keys()
            .staff
            .clone()
            .ok_or_else(|| StoreError::Invalid {
                field: "master seed",
                message: NO_STAFF_KEY.to_string(),
            })?;
        let invalid = |field, message: &str| StoreError::Invalid {
            field,
            message: message.to_string(),
        };
        if new.name.trim().is_empty() {
            return Err(invalid("name", "give the assessment a name"));
        }
        if new.scenario_ids.is_empty() || new.scenario_ids.iter().any(|s| s.trim().is_empty()) {
            return Err(invalid("scenario_ids", "list at least one scenario id"));
        }
        if new.time_limit_secs == 0 || i64::try_from(new.time_limit_secs).is_err() {
            return Err(invalid("time_limit_secs", "give a positive time limit"));
        }
        if !(0.0..=1.0).contains(&new.pass_mark_fraction) {
            return Err(invalid(
                "pass_mark_fraction",
                "give a fraction between 0 and 1 (e.g. 0.8)",
            ));
        }
        let created_at = format_timestamp(now);
        let name = new.name.trim().to_string();
        let (blind, commitment) = secrets::commit_new_seed(&name, new.master_seed)?;
        self.write(|tx| {
            let id: Option<i64> = tx.query_row(
                "INSERT INTO assessments (name, time_limit_secs, pass_mark_fraction, seed_commitment, created_by, created_at, show_drg) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (name) DO NOTHING RETURNING id",
                params![
                    name,
                    new.time_limit_secs as i64,
                    new.pass_mark_fraction,
                    commitment,
                    actor.person_id(),
                    created_at,
                    new.show_drg
                ],
                |r| r.get(0),
            ).optional()?;
            let Some(id) = id else {
                return Err(StoreError::Duplicate {
                    what: "assessment",
                    name: name.clone(),
                });
            };
            secrets::seal_master_seed(tx, &staff_key, id, new.master_seed, Some(&blind))?;
            for (ordinal, scenario) in new.scenario_ids.iter().enumerate() {
                let added = tx.execute(
                    "INSERT INTO assessment_scenarios (assessment_id, ordinal, scenario_id) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
                    params![id, ordinal as i64, scenario.trim()],)?;
                if added == 0 {
                    return Err(invalid("scenario_ids", "list each scenario once"));
                }
            }
            audit::append(tx, LinkKind::Assessment, id)?;
            // Candidates already in a cohort of this name get their seeds.
            secrets::share_pending(tx, &staff_key)?;
            Ok(id)
        })
    }

    /// An assessment's master seed, for staff whose account holds the staff key.
    ///
    /// # Errors
    /// [`StoreError::PermissionDenied`] for learners, [`StoreError::NotFound`],
    /// [`StoreError::Invalid`] when the account does not hold the staff key yet or the sealed
    /// seed was altered.
    pub fn master_seed(&self, actor: &Session, assessment: &str) -> StoreResult<u64> {
        actor.require(
            &[Role::EmployerAdmin, Role::Instructor],
            "read an assessment's master seed",
        )?;
        let found = self.assessment_by_name(assessment)?;
        secrets::master_seed(self.conn(), actor.keys().staff.as_ref(), found.id)
    }

    /// `candidate`'s seed of each scenario of `assessment`, in order: for staff from the master
    /// seed, for the candidate from the seeds sealed to them.
    fn sitting_seeds(
        &self,
        actor: &Session,
        assessment: &Assessment,
        candidate: &Person,
    ) -> StoreResult<Vec<(String, u64)>> {
        let from_master = |master: u64| {
            assessment
                .scenario_ids
                .iter()
                .map(|s| (s.clone(), derive_candidate_seed(master, s, &candidate.name)))
                .collect()
        };
        if actor.role().is_privileged() {
            return secrets::master_seed(self.conn(), actor.keys().staff.as_ref(), assessment.id)
                .map(from_master);
        }
        if let Some(private) = &actor.keys().person
            && let Some(seeds) =
                secrets::candidate_seeds(self.conn(), private, assessment.id, candidate.id)?
        {
            return Ok(seeds);
        }
        // An assessment from before sealing whose seed no staff member has sealed yet.
        if let Ok(master) = secrets::master_seed(self.conn(), None, assessment.id) {
            return Ok(from_master(master));
        }
        Err(StoreError::Invalid {
            field: "sitting",
            message: format!(
                "{}'s seeds for {:?} are not sealed to {} yet: an instructor or employer \
                 admin signs in (or registers them again, or issues a new access code) to \
                 seal them",
                candidate.name,
                assessment.name,
                if actor.role() == Role::Candidate {
                    "this access code"
                } else {
                    "this sign-in"
                }
            ),
        })
    }

    /// The assessment called `name`.
    ///
    /// # Errors
    /// [`StoreError::NotFound`].
    pub fn assessment_by_name(&self, name: &str) -> StoreResult<Assessment> {
        load_assessment(self.conn(), "name = ?1", &name.trim())?.ok_or_else(|| {
            StoreError::NotFound {
                what: "assessment",
                name: name.to_string(),
            }
        })
    }

    /// The names of all assessments, sorted (what a candidate may choose to sit).
    ///
    /// # Errors
    /// On an SQLite failure.
    pub(crate) fn assessment_names(&self) -> StoreResult<Vec<String>> {
        self.texts("SELECT name FROM assessments ORDER BY name", params![])
    }

    /// The first column of `sql`'s rows, as text.
    fn texts(&self, sql: &str, params: &[&dyn ToParam]) -> StoreResult<Vec<String>> {
        let rows = self.conn().query_map(sql, params, |r| r.get::<String>(0))?;
        Ok(rows)
    }

    /// The assessments whose results are not released yet that include `scenario_id`: while
    /// any does, the scenario's keys are for staff only.
    ///
    /// # Errors
    /// SQLite failures.
    pub fn open_assessments_with(&self, scenario_id: &str) -> StoreResult<Vec<String>> {
        self.texts(
            "SELECT x.name FROM assessments x JOIN assessment_scenarios sc ON sc.assessment_id = x.id \
             WHERE sc.scenario_id = ?1 AND x.results_released_at IS NULL ORDER BY x.name",
            params![scenario_id],
        )
    }

    /// The names of the assessments `actor` is registered for (a member of their candidates'
    /// cohort), sorted.
    ///
    /// # Errors
    /// On an SQLite failure.
    pub fn assessments_of(&self, actor: &Session) -> StoreResult<Vec<String>> {
        self.texts(
            "SELECT x.name FROM assessments x JOIN cohorts c ON c.name = x.name || ' candidates' \
             JOIN cohort_members m ON m.cohort_id = c.id WHERE m.person_id = ?1 ORDER BY x.name",
            params![actor.person_id()],
        )
    }

    /// Of [`Store::assessments_of`], those whose results are not released yet, sorted.
    ///
    /// # Errors
    /// On an SQLite failure.
    pub fn unreleased_assessments_of(&self, actor: &Session) -> StoreResult<Vec<String>> {
        self.texts(
            "SELECT x.name FROM assessments x JOIN cohorts c ON c.name = x.name || ' candidates' \
             JOIN cohort_members m ON m.cohort_id = c.id \
             WHERE m.person_id = ?1 AND x.results_released_at IS NULL ORDER BY x.name",
            params![actor.person_id()],
        )
    }

    /// Starts (or resumes, if unfinished) `candidate`'s sitting of `assessment`. A candidate
    /// may start their own sitting of an assessment they are registered for; privileged roles
    /// may start one for anyone.
    ///
    /// # Errors
    /// [`StoreError::PermissionDenied`], [`StoreError::NotFound`], [`StoreError::Invalid`] (the
    /// sitting is already finished).
    pub fn start_sitting(
        &mut self,
        actor: &Session,
        assessment: &str,
        candidate: &str,
        now: &DateTime<Utc>,
    ) -> StoreResult<Sitting> {
        let assessment = self.assessment_by_name(assessment)?;
        let person = self.person_by_name(candidate)?;
        actor.require_self_or_privileged(person.id, "start a sitting for someone else")?;
        if !actor.role().is_privileged() && !self.assessments_of(actor)?.contains(&assessment.name)
        {
            return Err(StoreError::Invalid {
                field: "assessment",
                message: format!(
                    "{} is not registered for {:?}: the employer registers candidates",
                    person.name, assessment.name
                ),
            });
        }
        let seeds = self.sitting_seeds(actor, &assessment, &person)?;
        let started = format_timestamp(now);
        let (id, started_at, finished_at) = self.write(|tx| {
            tx.execute(
                "INSERT INTO sittings (assessment_id, person_id, started_at) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
                params![assessment.id, person.id, started],)?;
            let row = tx.query_row(
                "SELECT id, started_at, finished_at FROM sittings WHERE assessment_id = ?1 AND person_id = ?2",
                params![assessment.id, person.id],
                |r| Ok((r.get::<i64>(0)?, r.get::<String>(1)?, r.get::<Option<String>>(2)?)),)?;
            keep_seed_checks(tx, row.0, &seeds)?;
            audit::append(tx, LinkKind::Sitting, row.0)?;
            Ok(row)
        })?;
        if finished_at.is_some() {
            return Err(StoreError::Invalid {
                field: "sitting",
                message: format!("{} has already finished {:?}", person.name, assessment.name),
            });
        }
        let limit = i64::try_from(assessment.time_limit_secs).unwrap_or(i64::MAX);
        let deadline = parse_time(&started_at)?
            .checked_add_signed(Duration::seconds(limit))
            .map_or_else(|| started_at.clone(), |t| format_timestamp(&t));
        Ok(Sitting {
            id,
            assessment_id: assessment.id,
            person_id: person.id,
            started_at,
            deadline,
            finished_at: None,
            seeds,
            show_drg: assessment.show_drg,
        })
    }

    /// The candidate a sitting belongs to.
    ///
    /// # Errors
    /// [`StoreError::NotFound`] for an unknown sitting.
    fn sitting_owner(&self, sitting_id: SittingId) -> StoreResult<PersonId> {
        self.conn()
            .query_row(
                "SELECT person_id FROM sittings WHERE id = ?1",
                params![sitting_id],
                |r| r.get(0),
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound {
                what: "sitting",
                name: format!("#{sitting_id}"),
            })
    }

    /// Marks a sitting finished (no more attempts may be recorded against it).
    ///
    /// # Errors
    /// [`StoreError::PermissionDenied`], [`StoreError::NotFound`].
    pub fn finish_sitting(
        &mut self,
        actor: &Session,
        sitting_id: SittingId,
        now: &DateTime<Utc>,
    ) -> StoreResult<()> {
        let person_id = self.sitting_owner(sitting_id)?;
        actor.require_self_or_privileged(person_id, "finish someone else's sitting")?;
        let finished = format_timestamp(now);
        self.write(|tx| {
            tx.execute(
                "UPDATE sittings SET finished_at = ?1 WHERE id = ?2 AND finished_at IS NULL",
                params![finished, sitting_id],
            )?;
            audit::append(tx, LinkKind::Sitting, sitting_id)?;
            Ok(())
        })
    }

    /// Releases an assessment's results to its candidates: from now on each candidate sees
    /// their own scores and findings. Employer admins only; releasing twice keeps the first time.
    ///
    /// # Errors
    /// [`StoreError::PermissionDenied`], [`StoreError::NotFound`].
    pub fn release_results(
        &mut self,
        actor: &Session,
        assessment: &str,
        now: &DateTime<Utc>,
    ) -> StoreResult<Assessment> {
        actor.require(&[Role::EmployerAdmin], "release assessment results")?;
        let found = self.assessment_by_name(assessment)?;
        let at = format_timestamp(now);
        self.write(|tx| {
            tx.execute(
                "UPDATE assessments SET results_released_at = ?1 \
                 WHERE id = ?2 AND results_released_at IS NULL",
                params![at, found.id],
            )?;
            audit::append(tx, LinkKind::Assessment, found.id)?;
            Ok(())
        })?;
        self.assessment_by_name(&found.name)
    }

    /// The (scenario id, seed) of each item the sitting's candidate has submitted, in the order
    /// submitted: what the exam room needs to know, without any score. The candidate or staff.
    ///
    /// # Errors
    /// [`StoreError::PermissionDenied`], [`StoreError::NotFound`], SQLite failures.
    pub fn sitting_submissions(
        &self,
        actor: &Session,
        sitting_id: SittingId,
    ) -> StoreResult<Vec<(String, u64)>> {
        let person_id = self.sitting_owner(sitting_id)?;
        actor.require_self_or_privileged(person_id, "see someone else's sitting")?;
        let rows = self.conn().query_map(
            "SELECT v.scenario_id, a.seed FROM attempts a \
             JOIN scenario_versions v ON v.id = a.scenario_version_id \
             WHERE a.sitting_id = ?1 ORDER BY a.submitted_at, a.id",
            params![sitting_id],
            |r| Ok((r.get::<String>(0)?, r.get::<i64>(1)? as u64)),
        )?;
        Ok(rows)
    }

    /// The scenarios closed to `actor`'s practice at `now`: those of the assessments they are
    /// sitting (started, not finished, within the time limit), with the assessment's name.
    ///
    /// # Errors
    /// SQLite failures.
    pub fn closed_to_practice(
        &self,
        actor: &Session,
        now: &DateTime<Utc>,
    ) -> StoreResult<Vec<(String, String)>> {
        let rows = self.conn().query_map(
            &format!(
                "SELECT sc.scenario_id, x.name FROM {OPEN_SITTING_SQL} ORDER BY sc.scenario_id"
            ),
            params![actor.person_id(), format_timestamp(now)],
            |r| Ok((r.get::<String>(0)?, r.get::<String>(1)?)),
        )?;
        Ok(rows)
    }

    /// Every candidate's result for an assessment, sorted by candidate name, as of `now` (a
    /// sitting neither finished nor out of time at `now` has no verdict yet). Privileged only.
    ///
    /// # Errors
    /// [`StoreError::PermissionDenied`], [`StoreError::NotFound`].
    pub fn assessment_results(
        &self,
        actor: &Session,
        assessment: &str,
        now: &DateTime<Utc>,
    ) -> StoreResult<Vec<AssessmentResult>> {
        actor.require(
            &[Role::EmployerAdmin, Role::Instructor],
            "see assessment results",
        )?;
        let assessment = self.assessment_by_name(assessment)?;
        let rows = self.conn().query_map("SELECT s.id, p.name, s.started_at, s.finished_at, \
             count(DISTINCT CASE WHEN NOT EXISTS (SELECT 1 FROM findings f WHERE f.attempt_id = a.id) \
                   OR EXISTS (SELECT 1 FROM findings f WHERE f.attempt_id = a.id \
                   AND f.outcome NOT IN ('missing', 'not_applicable')) \
                   THEN a.scenario_version_id END), \
             coalesce(sum(coalesce((SELECT o.new_score FROM overrides o WHERE o.attempt_id = a.id \
                                    ORDER BY o.id DESC LIMIT 1), a.score)), 0.0), \
             coalesce(sum(a.max_score), 0.0), max(a.submitted_at) \
             FROM sittings s JOIN people p ON p.id = s.person_id \
             LEFT JOIN attempts a ON a.sitting_id = s.id \
             WHERE s.assessment_id = ?1 GROUP BY s.id, p.name ORDER BY p.name, s.id", params![assessment.id], |r| {
                Ok((
                    r.get::<i64>(0)?,
                    r.get::<String>(1)?,
                    r.get::<String>(2)?,
                    r.get::<Option<String>>(3)?,
                    r.get::<i64>(4)?,
                    r.get::<f64>(5)?,
                    r.get::<f64>(6)?,
                    r.get::<Option<String>>(7)?,
                ))
            })?;
        let total = assessment.scenario_ids.len() as u64;
        let limit =
            Duration::seconds(i64::try_from(assessment.time_limit_secs).unwrap_or(i64::MAX));
        let mut results = Vec::with_capacity(rows.len());
        for (sitting_id, candidate, started_at, finished_at, done, score, max, last) in rows {
            let deadline = parse_time(&started_at)?
                .checked_add_signed(limit)
                .unwrap_or(DateTime::<Utc>::MAX_UTC);
            let over_time = match last {
                Some(last) => parse_time(&last)? > deadline,
                None => false,
            };
            let fraction = if max > 0.0 { score / max } else { 0.0 };
            let done = u64::try_from(done).unwrap_or(0);
            let passed = done == total && !over_time && fraction >= assessment.pass_mark_fraction;
            let verdict = if passed {
                Verdict::Pass
            } else if finished_at.is_none() && *now <= deadline {
                Verdict::InProgress
            } else {
                Verdict::Fail
            };
            results.push(AssessmentResult {
                candidate,
                sitting_id,
                started_at,
                finished_at,
                scenarios_done: done,
                scenarios_total: total,
                score,
                max,
                fraction,
                over_time,
                passed,
                verdict,
            });
        }
        Ok(results)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn candidate_seeds_are_deterministic_and_distinct() {
        let a = derive_candidate_seed(42, "triage_chest_pain", "Casey");
        assert_eq!(a, derive_candidate_seed(42, "triage_chest_pain", "Casey"));
        assert_ne!(a, derive_candidate_seed(42, "triage_chest_pain", "Robin"));
        assert_ne!(a, derive_candidate_seed(43, "triage_chest_pain", "Casey"));
        assert_ne!(a, derive_candidate_seed(42, "coding_pneumonia", "Casey"));
    }
}
