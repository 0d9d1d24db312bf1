//! Offline laptops and the program server.
//!
//! **Push** moves a laptop's SQLite database into the server: its people (matched by name and
//! role; a name with another role on the server is a conflict, reported, and that person's
//! records stay behind), cohorts and memberships, sittings (of assessments the server holds),
//! attempts with their findings, competencies and critical gates, and overrides. The laptop's
//! own chain is verified first: a file that does not verify pushes nothing. Every record written
//! on the server gets a link in the server's chain as if it had been recorded there, and each
//! pushed attempt and override keeps its laptop link hash in `pushed_records`, so a record
//! already pushed is never pushed again: running a push twice adds nothing.
//!
//! **Pull** gives a laptop a cohort's roster (names, roles and password hashes, so members sign
//! in offline with the password or access code they have) for offline work.
//!
//! Both need a signed-in instructor or employer admin on the server.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::store::attempts::{Mode, NewAttempt, insert_attempt_into, load_attempt};
use crate::store::audit::{self, LinkKind};
use crate::store::db::{Db, OptionalExtension, Row, params};
use crate::store::people::{PersonId, Role, Session, insert_person};
use crate::store::queries::PendingTotals;
use crate::store::{Store, StoreError, StoreResult, format_timestamp};

/// What a push did, in counts, with every conflict and skipped record in words.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PushReport {
    /// People created on the server.
    pub people_added: u64,
    /// People already there with the same role.
    pub people_matched: u64,
    /// Cohorts created on the server.
    pub cohorts_added: u64,
    /// Memberships added.
    pub memberships_added: u64,
    /// Sittings created on the server.
    pub sittings_added: u64,
    /// Attempts recorded on the server.
    pub attempts_added: u64,
    /// Attempts a previous push already brought.
    pub attempts_already: u64,
    /// Overrides recorded on the server.
    pub overrides_added: u64,
    /// Overrides a previous push already brought.
    pub overrides_already: u64,
    /// People whose name has another role on the server.
    pub conflicts: Vec<String>,
    /// Records left behind, each with the reason.
    pub skipped: Vec<String>,
}

/// What a pull did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PullReport {
    /// Members created in the laptop's database.
    pub people_added: u64,
    /// Members already there with the same role.
    pub people_matched: u64,
    /// Memberships added to the laptop's cohort.
    pub memberships_added: u64,
    /// Names with another role on the laptop.
    pub conflicts: Vec<String>,
}

/// A person as both sides keep them.
#[derive(Debug, Clone)]
struct PersonRow {
    id: PersonId,
    name: String,
    role: String,
    password_hash: Option<String>,
    created_at: String,
}

fn person_row(r: &Row) -> StoreResult<PersonRow> {
    Ok(PersonRow {
        id: r.get(0)?,
        name: r.get(1)?,
        role: r.get(2)?,
        password_hash: r.get(3)?,
        created_at: r.get(4)?,
    })
}

fn people(db: &Db) -> StoreResult<Vec<PersonRow>> {
    db.query_map(
        "SELECT id, name, role, password_hash, created_at FROM people ORDER BY id",
        params![],
        person_row,
    )
}

fn parse_time(text: &str, field: &'static str) -> StoreResult<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| StoreError::Invalid {
            field,
            message: format!("{text:?} is not an RFC 3339 time ({e})"),
        })
}

/// Finds `person` by name in `db`, creating them (with their password hash) when missing.
/// `Err(message)` is a conflict: the name has another role there.
fn match_person(db: &Db, person: &PersonRow) -> StoreResult<Result<(PersonId, bool), String>> {
    let found: Option<(PersonId, String)> = db
        .query_row(
            "SELECT id, role FROM people WHERE name = ?1",
            params![person.name],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    match found {
        Some((id, role)) if role == person.role => Ok(Ok((id, false))),
        Some((_, role)) => Ok(Err(format!(
            "{}: {} in the database written to, {} in the one read; their records were not \
             moved (rename one of them)",
            person.name, role, person.role
        ))),
        None => {
            let role = Role::parse(&person.role)?;
            let id = insert_person(
                db,
                &person.name,
                role,
                person.password_hash.as_deref(),
                &person.created_at,
            )?;
            Ok(Ok((id, true)))
        }
    }
}

/// The cohort named `name` in `db`, created (and chained) when missing; whether it was created.
fn cohort_here(db: &Db, name: &str, created_at: &str) -> StoreResult<(i64, bool)> {
    if let Some(id) = db
        .query_row(
            "SELECT id FROM cohorts WHERE name = ?1",
            params![name],
            |r| r.get(0),
        )
        .optional()?
    {
        return Ok((id, false));
    }
    let id: i64 = db.query_row(
        "INSERT INTO cohorts (name, created_at) VALUES (?1, ?2) RETURNING id",
        params![name, created_at],
        |r| r.get(0),
    )?;
    audit::append(db, LinkKind::Cohort, id)?;
    Ok((id, true))
}

/// Adds members to a cohort; chains the cohort once when any was added. Returns how many.
fn add_members(db: &Db, cohort: i64, members: &[PersonId]) -> StoreResult<u64> {
    let mut added = 0;
    for member in members {
        added += db.execute(
            "INSERT INTO cohort_members (cohort_id, person_id) VALUES (?1, ?2) \
             ON CONFLICT DO NOTHING",
            params![cohort, member],
        )?;
    }
    if added > 0 {
        audit::append(db, LinkKind::Cohort, cohort)?;
    }
    Ok(added)
}

/// Runs `f` inside a savepoint: its writes stay when it succeeds and are undone when it fails,
/// without ending the surrounding transaction.
fn savepoint<T>(db: &Db, f: impl FnOnce() -> StoreResult<T>) -> StoreResult<T> {
    db.batch("SAVEPOINT record")?;
    match f() {
        Ok(value) => {
            db.batch("RELEASE SAVEPOINT record")?;
            Ok(value)
        }
        Err(e) => {
            db.batch("ROLLBACK TO SAVEPOINT record; RELEASE SAVEPOINT record")?;
            Err(e)
        }
    }
}

/// The laptop's records, read before the server is written.
struct Local {
    people: Vec<PersonRow>,
    cohorts: Vec<(String, String, Vec<PersonId>)>,
    sittings: Vec<(i64, String, PersonId, String, Option<String>)>,
    attempts: Vec<(String, crate::store::AttemptRecord)>,
    overrides: Vec<(String, i64, PersonId, f64, String, String)>,
}

fn read_local(local: &Store) -> StoreResult<Local> {
    let db = local.conn();
    let memberships: Vec<(String, String, Option<PersonId>)> = db.query_map(
        "SELECT c.name, c.created_at, m.person_id FROM cohorts c \
         LEFT JOIN cohort_members m ON m.cohort_id = c.id ORDER BY c.id, m.person_id",
        params![],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    let mut cohorts: Vec<(String, String, Vec<PersonId>)> = Vec::new();
    for (name, created_at, member) in memberships {
        if cohorts.last().is_none_or(|c| c.0 != name) {
            cohorts.push((name, created_at, Vec::new()));
        }
        if let (Some(member), Some(cohort)) = (member, cohorts.last_mut()) {
            cohort.2.push(member);
        }
    }
    let sittings = db.query_map(
        "SELECT s.id, x.name, s.person_id, s.started_at, s.finished_at FROM sittings s \
         JOIN assessments x ON x.id = s.assessment_id ORDER BY s.id",
        params![],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
    )?;
    let links: Vec<(String, i64, String)> = db.query_map(
        "SELECT kind, record_id, hash FROM audit_chain WHERE kind IN ('attempt', 'override') \
         ORDER BY seq",
        params![],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    let mut attempts = Vec::new();
    let mut overrides = Vec::new();
    for (kind, id, hash) in links {
        if kind == "attempt" {
            if let Some(record) = load_attempt(db, id)? {
                attempts.push((hash, record));
            }
        } else {
            let row = db.query_row(
                "SELECT attempt_id, author_id, new_score, comment, created_at FROM overrides \
                 WHERE id = ?1",
                params![id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )?;
            overrides.push((hash, row.0, row.1, row.2, row.3, row.4));
        }
    }
    Ok(Local {
        people: people(db)?,
        cohorts,
        sittings,
        attempts,
        overrides,
    })
}

/// Refuses a laptop database that does not verify: damaged, altered schema, or a chain with
/// any problem.
fn check_local(local: &Store) -> StoreResult<()> {
    let refuse = |why: String| StoreError::Invalid {
        field: "source database",
        message: format!(
            "{}: {why}; nothing was pushed (run `ehr-sim audit verify --db {}` for the details)",
            local.location(),
            local.location()
        ),
    };
    let integrity = local.integrity_check()?;
    if integrity != ["ok"] {
        return Err(refuse(format!(
            "the file is damaged ({})",
            integrity.join("; ")
        )));
    }
    if let Some(surprise) = local.schema_surprises()?.into_iter().next() {
        return Err(refuse(format!("its schema was altered ({surprise})")));
    }
    let report = local.verify_audit()?;
    if let Some(first) = report.issues.first() {
        return Err(refuse(format!(
            "its audit chain does not verify ({} problem(s), first: {first})",
            report.issues.len()
        )));
    }
    Ok(())
}

impl Store {
    /// Pushes the laptop database `local` into this store (the program server), as `actor` (an
    /// instructor or employer admin signed in here). See the module documentation.
    ///
    /// # Errors
    /// [`StoreError::PermissionDenied`]; [`StoreError::Invalid`] when `local` does not verify
    /// (nothing is written); database failures (the whole push is rolled back).
    pub fn push_from(
        &mut self,
        local: &Store,
        actor: &Session,
        now: &DateTime<Utc>,
    ) -> StoreResult<PushReport> {
        actor.require(
            &[Role::Instructor, Role::EmployerAdmin],
            "push a laptop's records",
        )?;
        check_local(local)?;
        let data = read_local(local)?;
        let source = local.location();
        let pushed_at = format_timestamp(now);
        self.write(|db| {
            let mut report = PushReport::default();
            let people = push_people(db, &data, &mut report)?;
            push_cohorts(db, &data, &people, &mut report)?;
            let mut push = Push {
                db,
                data: &data,
                source: &source,
                pushed_at: &pushed_at,
                report,
                people,
                sittings: BTreeMap::new(),
                attempts: BTreeMap::new(),
            };
            push.sittings()?;
            push.attempts()?;
            push.overrides()?;
            Ok(push.report)
        })
    }

    /// Pulls the roster of `cohort` from `server` (where `actor` is a signed-in instructor or
    /// employer admin) into this laptop database: its members, with their password hashes, and
    /// the cohort with its memberships.
    ///
    /// # Errors
    /// [`StoreError::PermissionDenied`], [`StoreError::NotFound`] (no such cohort on the
    /// server), database failures.
    pub fn pull_cohort(
        &mut self,
        server: &Store,
        actor: &Session,
        cohort: &str,
        now: &DateTime<Utc>,
    ) -> StoreResult<PullReport> {
        actor.require(
            &[Role::Instructor, Role::EmployerAdmin],
            "pull a cohort's roster",
        )?;
        let cohort_id = server.cohort_id(cohort)?;
        let members: Vec<PersonRow> = server.conn().query_map(
            "SELECT p.id, p.name, p.role, p.password_hash, p.created_at FROM people p \
             JOIN cohort_members m ON m.person_id = p.id WHERE m.cohort_id = ?1 ORDER BY p.name",
            params![cohort_id],
            person_row,
        )?;
        let created_at = format_timestamp(now);
        self.write(|db| {
            let mut report = PullReport::default();
            let mut here = Vec::new();
            for member in &members {
                match match_person(db, member)? {
                    Ok((id, added)) => {
                        if added {
                            report.people_added += 1;
                        } else {
                            report.people_matched += 1;
                        }
                        here.push(id);
                    }
                    Err(conflict) => report.conflicts.push(conflict),
                }
            }
            let (id, _) = cohort_here(db, cohort, &created_at)?;
            report.memberships_added = add_members(db, id, &here)?;
            Ok(report)
        })
    }
}

/// One push under way: the server's transaction, the laptop's records, and what is known so
/// far (laptop ids → server ids).
struct Push<'a> {
    db: &'a Db,
    data: &'a Local,
    source: &'a str,
    pushed_at: &'a str,
    report: PushReport,
    people: BTreeMap<PersonId, PersonId>,
    sittings: BTreeMap<i64, i64>,
    attempts: BTreeMap<i64, i64>,
}

fn push_people(
    db: &Db,
    data: &Local,
    report: &mut PushReport,
) -> StoreResult<BTreeMap<PersonId, PersonId>> {
    let mut ids = BTreeMap::new();
    for person in &data.people {
        match match_person(db, person)? {
            Ok((id, added)) => {
                if added {
                    report.people_added += 1;
                } else {
                    report.people_matched += 1;
                }
                ids.insert(person.id, id);
            }
            Err(conflict) => report.conflicts.push(conflict),
        }
    }
    Ok(ids)
}

fn push_cohorts(
    db: &Db,
    data: &Local,
    ids: &BTreeMap<PersonId, PersonId>,
    report: &mut PushReport,
) -> StoreResult<()> {
    for (name, created_at, members) in &data.cohorts {
        let (id, added) = cohort_here(db, name, created_at)?;
        report.cohorts_added += u64::from(added);
        let here: Vec<PersonId> = members.iter().filter_map(|m| ids.get(m).copied()).collect();
        report.memberships_added += add_members(db, id, &here)?;
    }
    Ok(())
}

fn already_pushed(db: &Db, hash: &str) -> StoreResult<Option<i64>> {
    db.query_row(
        "SELECT record_id FROM pushed_records WHERE source_hash = ?1",
        params![hash],
        |r| r.get(0),
    )
    .optional()
}

fn remember(
    db: &Db,
    hash: &str,
    kind: LinkKind,
    id: i64,
    source: &str,
    at: &str,
) -> StoreResult<()> {
    db.execute(
        "INSERT INTO pushed_records (source_hash, kind, record_id, source, pushed_at) \
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![hash, kind.as_str(), id, source, at],
    )?;
    Ok(())
}

impl Push<'_> {
    fn sittings(&mut self) -> StoreResult<()> {
        let db = self.db;
        for (local_id, assessment, person, started_at, finished_at) in &self.data.sittings {
            let Some(person) = self.people.get(person) else {
                continue;
            };
            let Some(assessment_id) = db
                .query_row(
                    "SELECT id FROM assessments WHERE name = ?1",
                    params![assessment],
                    |r| r.get::<i64>(0),
                )
                .optional()?
            else {
                self.report.skipped.push(format!(
                    "sitting #{local_id} of {assessment:?}: the assessment is not on the server \
                     (create it there, then push again)"
                ));
                continue;
            };
            let existing: Option<i64> = db
                .query_row(
                    "SELECT id FROM sittings WHERE assessment_id = ?1 AND person_id = ?2",
                    params![assessment_id, person],
                    |r| r.get(0),
                )
                .optional()?;
            let id = match existing {
                Some(id) => id,
                None => {
                    let id: i64 = db.query_row(
                        "INSERT INTO sittings (assessment_id, person_id, started_at, finished_at) \
                         VALUES (?1, ?2, ?3, ?4) RETURNING id",
                        params![assessment_id, person, started_at, finished_at],
                        |r| r.get(0),
                    )?;
                    audit::append(db, LinkKind::Sitting, id)?;
                    self.report.sittings_added += 1;
                    id
                }
            };
            self.sittings.insert(*local_id, id);
        }
        Ok(())
    }

    /// The server attempt for a laptop attempt, or why it stays behind.
    fn new_attempt(
        &self,
        record: &crate::store::AttemptRecord,
    ) -> StoreResult<Result<NewAttempt, String>> {
        let Some(learner) = self.people.get(&record.learner_id).copied() else {
            return Ok(Err(format!(
                "attempt #{} by {}: the learner was not moved (see the conflicts)",
                record.id, record.learner
            )));
        };
        let sitting_id = match record.sitting_id {
            Some(local) => match self.sittings.get(&local) {
                Some(id) => Some(*id),
                None => {
                    return Ok(Err(format!(
                        "attempt #{} by {}: its sitting is not on the server",
                        record.id, record.learner
                    )));
                }
            },
            None => None,
        };
        Ok(Ok(NewAttempt {
            learner_id: learner,
            scenario_id: record.scenario_id.clone(),
            scenario_version_hash: record.scenario_version_hash.clone(),
            seed: record.seed,
            mode: record.mode,
            sitting_id: sitting_id.filter(|_| record.mode == Mode::Assessment),
            started_at: parse_time(&record.started_at, "started_at")?,
            submitted_at: parse_time(&record.submitted_at, "submitted_at")?,
            duration_secs: record.duration_secs,
            score: record.score,
            max: record.max,
            passed: record.passed,
            competencies: record.competencies.clone(),
            findings: record.findings.clone(),
            criticals: record.criticals.clone(),
            rubric_hash: record.rubric_hash.clone(),
        }))
    }

    fn attempts(&mut self) -> StoreResult<()> {
        let db = self.db;
        // The per-criterion totals of the attempts added, written once at the end.
        let mut totals = PendingTotals::default();
        for (hash, record) in &self.data.attempts {
            if let Some(id) = already_pushed(db, hash)? {
                self.report.attempts_already += 1;
                self.attempts.insert(record.id, id);
                continue;
            }
            let attempt = match self.new_attempt(record)? {
                Ok(attempt) => attempt,
                Err(why) => {
                    self.report.skipped.push(why);
                    continue;
                }
            };
            match savepoint(db, || {
                let mut added = PendingTotals::default();
                let id = insert_attempt_into(db, &attempt, &mut added)?;
                remember(db, hash, LinkKind::Attempt, id, self.source, self.pushed_at)?;
                Ok((id, added))
            }) {
                Ok((id, added)) => {
                    totals.merge(added);
                    self.report.attempts_added += 1;
                    self.attempts.insert(record.id, id);
                }
                Err(e @ (StoreError::Invalid { .. } | StoreError::NotFound { .. })) => {
                    self.report
                        .skipped
                        .push(format!("attempt #{} by {}: {e}", record.id, record.learner));
                }
                Err(e) => return Err(e),
            }
        }
        totals.write(db)
    }

    fn overrides(&mut self) -> StoreResult<()> {
        let db = self.db;
        for (hash, attempt, author, new_score, comment, created_at) in &self.data.overrides {
            if already_pushed(db, hash)?.is_some() {
                self.report.overrides_already += 1;
                continue;
            }
            let (Some(attempt_id), Some(author_id)) =
                (self.attempts.get(attempt), self.people.get(author))
            else {
                self.report.skipped.push(format!(
                    "override of attempt #{attempt}: its attempt or author was not moved"
                ));
                continue;
            };
            let id: i64 = db.query_row(
                "INSERT INTO overrides (attempt_id, author_id, new_score, comment, created_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id",
                params![attempt_id, author_id, new_score, comment, created_at],
                |r| r.get(0),
            )?;
            crate::store::attempts::refresh_cell_of(db, *attempt_id)?;
            audit::append(db, LinkKind::Override, id)?;
            remember(
                db,
                hash,
                LinkKind::Override,
                id,
                self.source,
                self.pushed_at,
            )?;
            self.report.overrides_added += 1;
        }
        Ok(())
    }
}
