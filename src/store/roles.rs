//! Least privilege on the program server: two PostgreSQL group roles, and logins in them.
//!
//! - `ehr_sim_learner` — the logins of lab seats and candidates' machines. They read what the
//!   app shows a learner and write only what a learner's work adds: attempts with their
//!   findings, competencies and critical gates, the scenario versions they name, their audit
//!   links, drafts (which they may also replace and delete), sittings (started, and finished:
//!   only `finished_at` may change) with their seed checks, and a first key pair. They may never
//!   update or delete an attempt, a finding, an override or a link, never create anything (a
//!   table, a trigger, a function), and never read the sealed master seeds
//!   (`assessments.seed_sealed`, `legacy_master_seeds`) or the staff key's envelopes
//!   (`staff_grants.sealed`).
//! - `ehr_sim_staff` — instructors' and employers' logins: they also manage people, cohorts,
//!   assessments and overrides, but the graded record stays append-only for them too: no
//!   update or delete of attempts, findings, competencies, critical gates, overrides, seals,
//!   pushed records or links.
//!
//! The schema's owner (the login that created it) runs [`Store::set_up_roles`]; it is
//! idempotent, and re-run after a migration adds a table.

use crate::store::db::{Db, Engine, params};
use crate::store::{Store, StoreError, StoreResult};

/// The group role of learners' and candidates' logins.
pub const LEARNER_ROLE: &str = "ehr_sim_learner";
/// The group role of instructors' and employers' logins.
pub const STAFF_ROLE: &str = "ehr_sim_staff";

/// Tables a learner's connection reads in full.
const LEARNER_READS: &[&str] = &[
    "ehr_sim_meta",
    "people",
    "cohorts",
    "cohort_members",
    "scenario_versions",
    "attempts",
    "attempt_competencies",
    "findings",
    "attempt_criticals",
    "drafts",
    "overrides",
    "assessment_scenarios",
    "sittings",
    "audit_chain",
    "seals",
    "person_keys",
    "candidate_seeds",
    "sitting_seed_checks",
    "pushed_records",
    "gradebook_cells",
    "criterion_totals",
];

/// The columns of `assessments` a learner reads (everything but the sealed master seed).
const ASSESSMENT_COLUMNS: &str = "id, name, time_limit_secs, pass_mark_fraction, created_by, \
     created_at, results_released_at, show_drg, seed_commitment";

/// Tables a learner's work adds rows to.
const LEARNER_INSERTS: &[&str] = &[
    "attempts",
    "attempt_competencies",
    "findings",
    "attempt_criticals",
    "scenario_versions",
    "audit_chain",
    "sittings",
    "sitting_seed_checks",
    "person_keys",
    "drafts",
    "gradebook_cells",
    "criterion_totals",
];

/// Tables staff may change or delete rows of (besides inserting anywhere).
const STAFF_CHANGES: &[&str] = &[
    "people",
    "cohorts",
    "cohort_members",
    "assessments",
    "assessment_scenarios",
    "sittings",
    "sitting_seed_checks",
    "drafts",
    "person_keys",
    "staff_grants",
    "candidate_seeds",
    "legacy_master_seeds",
    "gradebook_cells",
    "criterion_totals",
];

/// Which group a new login joins.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginKind {
    /// A lab seat or a candidate's machine.
    Learner,
    /// An instructor's or employer's machine.
    Staff,
}

impl LoginKind {
    fn role(self) -> &'static str {
        match self {
            Self::Learner => LEARNER_ROLE,
            Self::Staff => STAFF_ROLE,
        }
    }
}

fn server_only(store: &Store) -> StoreResult<&Db> {
    match store.engine() {
        Engine::Postgres => Ok(store.conn()),
        Engine::Sqlite => Err(StoreError::Invalid {
            field: "database",
            message: "server roles exist only on a program server (a postgres:// URL); an \
                      SQLite file is protected by its audit chain and the file's permissions"
                .to_string(),
        }),
    }
}

/// Runs `sql` built by the server's own `format()` (identifiers `%I`, literals `%L`), so a name
/// or password can never break out of its quotes.
fn run_formatted(db: &Db, template: &str, args: &[&str]) -> StoreResult<()> {
    let sql: String = match args {
        [] => template.to_string(),
        [a] => db.query_row(
            "SELECT format(CAST(?1 AS TEXT), CAST(?2 AS TEXT))",
            params![template, a],
            |r| r.get(0),
        )?,
        [a, b] => db.query_row(
            "SELECT format(CAST(?1 AS TEXT), CAST(?2 AS TEXT), CAST(?3 AS TEXT))",
            params![template, a, b],
            |r| r.get(0),
        )?,
        [a, b, c, ..] => db.query_row(
            "SELECT format(CAST(?1 AS TEXT), CAST(?2 AS TEXT), CAST(?3 AS TEXT), \
             CAST(?4 AS TEXT))",
            params![template, a, b, c],
            |r| r.get(0),
        )?,
    };
    db.batch(&sql)
}

impl Store {
    /// Creates (when missing) the `ehr_sim_learner` and `ehr_sim_staff` group roles and gives
    /// them exactly their privileges on this database's schema. Run by the schema's owner.
    ///
    /// # Errors
    /// [`StoreError::Invalid`] on SQLite; server errors (e.g. a login without `CREATEROLE`).
    pub fn set_up_roles(&self) -> StoreResult<()> {
        let db = server_only(self)?;
        let schema: String = db.query_row("SELECT current_schema()", params![], |r| r.get(0))?;
        for role in [LEARNER_ROLE, STAFF_ROLE] {
            let exists: bool = db.query_row(
                "SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ?1)",
                params![role],
                |r| r.get(0),
            )?;
            if !exists {
                run_formatted(db, "CREATE ROLE %I NOLOGIN", &[role])?;
            }
            run_formatted(
                db,
                "REVOKE ALL ON ALL TABLES IN SCHEMA %I FROM %I",
                &[&schema, role],
            )?;
            run_formatted(db, "GRANT USAGE ON SCHEMA %I TO %I", &[&schema, role])?;
            run_formatted(
                db,
                "GRANT USAGE ON ALL SEQUENCES IN SCHEMA %I TO %I",
                &[&schema, role],
            )?;
        }
        for table in LEARNER_READS {
            run_formatted(db, "GRANT SELECT ON %I TO %I", &[table, LEARNER_ROLE])?;
        }
        run_formatted(
            db,
            &format!("GRANT SELECT ({ASSESSMENT_COLUMNS}) ON assessments TO %I"),
            &[LEARNER_ROLE],
        )?;
        run_formatted(
            db,
            "GRANT SELECT (person_id) ON staff_grants TO %I",
            &[LEARNER_ROLE],
        )?;
        for table in LEARNER_INSERTS {
            run_formatted(db, "GRANT INSERT ON %I TO %I", &[table, LEARNER_ROLE])?;
        }
        run_formatted(db, "GRANT UPDATE, DELETE ON drafts TO %I", &[LEARNER_ROLE])?;
        // Recording an attempt rewrites its gradebook cell and adds to its criterion totals;
        // `audit verify` recomputes both from the records, so an edited row is found.
        run_formatted(db, "GRANT UPDATE ON gradebook_cells TO %I", &[LEARNER_ROLE])?;
        run_formatted(
            db,
            "GRANT UPDATE ON criterion_totals TO %I",
            &[LEARNER_ROLE],
        )?;
        run_formatted(
            db,
            "GRANT UPDATE (finished_at) ON sittings TO %I",
            &[LEARNER_ROLE],
        )?;
        run_formatted(
            db,
            "GRANT SELECT, INSERT ON ALL TABLES IN SCHEMA %I TO %I",
            &[&schema, STAFF_ROLE],
        )?;
        for table in STAFF_CHANGES {
            run_formatted(db, "GRANT UPDATE, DELETE ON %I TO %I", &[table, STAFF_ROLE])?;
        }
        Ok(())
    }

    /// Creates a login `name` with `password` in the learners' or the staff group. Run by a
    /// login with `CREATEROLE` after [`Store::set_up_roles`].
    ///
    /// # Errors
    /// [`StoreError::Invalid`] on SQLite or for an empty name or a password under 12
    /// characters; server errors (the login exists, no `CREATEROLE`).
    pub fn create_server_login(
        &self,
        name: &str,
        password: &str,
        kind: LoginKind,
    ) -> StoreResult<()> {
        let db = server_only(self)?;
        if name.trim().is_empty() {
            return Err(StoreError::Invalid {
                field: "login",
                message: "give the new login a name".to_string(),
            });
        }
        if password.chars().count() < 12 {
            return Err(StoreError::Invalid {
                field: "login password",
                message: "use at least 12 characters for a server login".to_string(),
            });
        }
        run_formatted(
            db,
            "CREATE ROLE %I LOGIN PASSWORD %L IN ROLE %I",
            &[name.trim(), password, kind.role()],
        )
    }
}
