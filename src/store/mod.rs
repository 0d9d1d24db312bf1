//! The progress store: the only place in EHR Sim with SQL.
//!
//! One SQLite file (bundled SQLite) holds people and cohorts, scenario versions, attempts with
//! their per-criterion findings, instructor overrides, drafts of work in progress, assessments
//! with their sittings, and the audit hash chain. Invariants:
//!
//! - Every connection runs in WAL mode with foreign keys on, a busy timeout, and
//!   `synchronous=FULL`, so a commit that returned is on disk (survives `kill -9` and power loss).
//! - Every write is one `BEGIN IMMEDIATE` transaction: an attempt, its findings, its competencies
//!   and its audit-chain link are committed together or not at all, and two processes writing at
//!   once queue on the lock instead of losing writes.
//! - The schema only moves forward through the append-only migrations in `sql/NNNN_*.sql`,
//!   keyed by `PRAGMA user_version`; an existing file is copied before it is migrated.
//! - No wall clock inside: every timestamp is passed in by the caller.
//! - Only parameterised SQL.
//! - No secret in the clear: master seeds and candidates' seeds are stored sealed
//!   (`secrets`); signing in opens what the person may read.
//!
//! An empty (zero-byte) file is treated as a new database, as SQLite itself does; any other
//! file must carry EHR Sim's `application_id` or it is refused.

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{Connection, ErrorCode, OpenFlags};

use crate::store::db::{Db, OptionalExtension, params};

pub mod assessments;
pub mod attempts;
pub mod audit;
mod checkpoint;
pub(crate) mod db;
mod server;
pub use server::{is_server_url, redact as redact_server_url};
pub mod drafts;
mod error;
pub mod export;
pub mod migrations;
pub mod people;
pub mod queries;
pub mod roles;
pub mod seal;
pub(crate) mod secrets;
pub mod sync;
pub mod weak;

pub use assessments::{
    Assessment, AssessmentResult, NewAssessment, Sitting, Verdict, cohort_name,
    derive_candidate_seed,
};
pub use attempts::{
    AttemptId, AttemptRecord, CriticalRecord, FindingRecord, Mode, NewAttempt, Override,
};
pub use audit::{AuditIssue, AuditReport};
pub use db::Engine;
pub use drafts::{Draft, DraftKey};
pub use error::{StoreError, StoreResult};
pub use export::ExportFormat;
pub use people::{Cohort, Person, Registered, Role, Session, normalize_access_code};
pub use queries::{
    CompetencyPoint, CriterionStat, Gradebook, GradebookCell, GradebookRow, HistoryEntry,
    ScenarioProgress, ScenarioVersionKey,
};
pub use seal::{Seal, SealCheck, SealReport};
pub use weak::WeakCriterion;

/// How long a writer waits for another process's transaction before giving up.
pub(crate) const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// Formats a timestamp the way the store keeps it: RFC 3339, UTC, whole seconds
/// (`2026-03-01T09:30:00Z`), so text order is time order.
#[must_use]
pub(crate) fn format_timestamp(at: &DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// An open progress database.
#[derive(Debug)]
pub struct Store {
    /// Checkpoints a file store's log off the save path (dropped, and stopped, first).
    checkpointer: Option<checkpoint::Checkpointer>,
    db: Db,
    path: Option<PathBuf>,
    /// The program server's URL without its password, when the store is on one.
    server: Option<String>,
}

impl Store {
    /// Opens (creating it and its folder if missing) the database at `path`, checks that it is
    /// an EHR Sim database no newer than this program, and migrates it to the current schema,
    /// copying an existing file to `<path>.backup-v<N>` first.
    ///
    /// # Errors
    /// [`StoreError::NotADatabase`], [`StoreError::NotEhrSimDatabase`],
    /// [`StoreError::NewerSchema`], [`StoreError::ReadOnly`], [`StoreError::Corrupt`],
    /// [`StoreError::Backup`], [`StoreError::Io`] (folder cannot be created).
    pub fn open(path: &Path) -> StoreResult<Self> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|source| StoreError::Io {
                path: parent.to_path_buf(),
                source,
            })?;
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).map_err(|e| classify(path, e))?;
        let mut store = Self {
            checkpointer: None,
            db: Db::Sqlite(conn),
            path: Some(path.to_path_buf()),
            server: None,
        };
        store.prepare().map_err(|e| store.reclassify(e))?;
        if let Some(conn) = store.db.sqlite() {
            store.checkpointer = checkpoint::Checkpointer::start(conn, path);
        }
        Ok(store)
    }

    /// Opens an existing database read-only to verify it: never creates a file or a folder,
    /// never migrates, and works on a read-only copy.
    ///
    /// # Errors
    /// [`StoreError::NotFound`] when there is no file at `path`; the open errors of
    /// [`Store::open`] (not a database, not EHR Sim's, newer schema); [`StoreError::Invalid`]
    /// for an older schema (it must be migrated before it can be verified).
    pub fn open_to_verify(path: &Path) -> StoreResult<Self> {
        if !path.is_file() {
            return Err(StoreError::NotFound {
                what: "progress database",
                name: format!("{} (check the path; nothing was created)", path.display()),
            });
        }
        let read_only = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let mut wal = path.as_os_str().to_os_string();
        wal.push("-wal");
        let conn = match Connection::open_with_flags(path, read_only) {
            Ok(conn) => conn,
            // A copy on read-only media without its WAL: read the file as it is.
            Err(_) if !Path::new(&wal).exists() => Connection::open_with_flags(
                format!("file:{}?immutable=1", path.display()),
                read_only | OpenFlags::SQLITE_OPEN_URI,
            )
            .map_err(|e| classify(path, e))?,
            Err(e) => return Err(classify(path, e)),
        };
        let store = Self {
            checkpointer: None,
            db: Db::Sqlite(conn),
            path: Some(path.to_path_buf()),
            server: None,
        };
        let state = migrations::inspect(&store.db).map_err(|e| reclassify(path, e))?;
        migrations::check_compatible(&state, path)?;
        if state.user_version != migrations::latest_version() {
            return Err(StoreError::Invalid {
                field: "schema",
                message: format!(
                    "{} is at schema version {}; open it once with this version of EHR Sim (it \
                     is migrated after a backup copy is taken), then verify it",
                    path.display(),
                    state.user_version
                ),
            });
        }
        Ok(store)
    }

    /// The schema objects (tables, indexes, triggers, views) that differ from the ones EHR Sim
    /// creates, in words: a trigger or view someone added could change what is stored after its
    /// audit link is computed, or what a report reads. Empty when the schema is EHR Sim's own.
    ///
    /// # Errors
    /// On an SQLite failure.
    pub fn schema_surprises(&self) -> StoreResult<Vec<String>> {
        let (expected, found) = match &self.db {
            Db::Sqlite(_) => (
                sqlite_objects(&Store::open_in_memory()?.db)?,
                sqlite_objects(&self.db)?,
            ),
            Db::Postgres(_) => (server::expected_objects()?, server::objects(&self.db)?),
        };
        let mut out = Vec::new();
        for (kind, name) in found.difference(&expected) {
            let why = match kind.as_str() {
                "trigger" => "a trigger can change what is stored after its audit link is computed",
                "view" => "a view can stand in for what reports read",
                "rule" => "a rule can rewrite what is stored or read",
                _ => "EHR Sim does not create it",
            };
            out.push(format!("unexpected {kind} `{name}`: {why}"));
        }
        for (kind, name) in expected.difference(&found) {
            out.push(format!("missing {kind} `{name}`: the schema was altered"));
        }
        Ok(out)
    }

    /// Opens a fresh database in memory (tests, previews); nothing is written to disk.
    ///
    /// # Errors
    /// Only if SQLite itself fails.
    pub fn open_in_memory() -> StoreResult<Self> {
        let store = Self {
            checkpointer: None,
            db: Db::Sqlite(Connection::open_in_memory()?),
            path: None,
            server: None,
        };
        store.prepare()?;
        Ok(store)
    }

    /// The file this store is backed by (`None` in memory or on a server).
    #[must_use]
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// The program server's URL (without its password), when the store is on one.
    #[must_use]
    pub fn server_url(&self) -> Option<&str> {
        self.server.as_deref()
    }

    /// Which engine the store is on.
    #[must_use]
    pub fn engine(&self) -> Engine {
        self.db.engine()
    }

    /// Where the store is, in words: the file, "memory", or the server's URL.
    #[must_use]
    pub fn location(&self) -> String {
        match (&self.server, &self.path) {
            (Some(url), _) => url.clone(),
            (None, Some(path)) => path.display().to_string(),
            (None, None) => ":memory:".to_string(),
        }
    }

    /// The schema version of the open database.
    ///
    /// # Errors
    /// On a database failure.
    pub fn schema_version(&self) -> StoreResult<i64> {
        migrations::version(&self.db)
    }

    /// Runs SQLite's `PRAGMA integrity_check` and returns its lines (`["ok"]` when healthy). A
    /// PostgreSQL server checks its own pages (checksums, WAL): there the store checks that the
    /// server answers, and says `ok`.
    ///
    /// # Errors
    /// On a database failure.
    pub fn integrity_check(&self) -> StoreResult<Vec<String>> {
        match self.db.engine() {
            Engine::Sqlite => self
                .db
                .query_map("PRAGMA integrity_check", params![], |row| row.get(0)),
            Engine::Postgres => {
                self.db
                    .query_row("SELECT 1", params![], |r| r.get::<i64>(0))?;
                Ok(vec!["ok".to_string()])
            }
        }
    }

    /// Direct access to the SQLite connection, for tests that tamper with the file on purpose
    /// (`None` on a server: use [`Store::raw_execute`]).
    #[doc(hidden)]
    #[must_use]
    pub fn raw_connection(&self) -> Option<&Connection> {
        self.db.sqlite()
    }

    /// Runs SQL as it is, outside the store's rules, on either engine: for tests that tamper
    /// with a database on purpose, as an attacker with the file or a server login would.
    ///
    /// # Errors
    /// On a database failure.
    #[doc(hidden)]
    pub fn raw_execute(&self, sql: &str) -> StoreResult<()> {
        self.db.batch(sql)
    }

    /// The first column of the first row of `sql` as an integer, on either engine, outside the
    /// store's rules (tests).
    ///
    /// # Errors
    /// On a database failure, or no row.
    #[doc(hidden)]
    pub fn raw_i64(&self, sql: &str) -> StoreResult<i64> {
        self.db.query_row(sql, params![], |r| r.get(0))
    }

    /// The first column of every row of `sql` as text, on either engine (tests).
    ///
    /// # Errors
    /// On a database failure.
    #[doc(hidden)]
    pub fn raw_texts(&self, sql: &str) -> StoreResult<Vec<String>> {
        self.db.query_map(sql, params![], |r| r.get(0))
    }

    fn prepare(&self) -> StoreResult<()> {
        let Some(conn) = self.db.sqlite() else {
            return server::prepare(self, true);
        };
        conn.busy_timeout(BUSY_TIMEOUT)?;
        // Reading the header first turns random bytes into NOTADB before anything is written.
        let state = migrations::inspect(&self.db)?;
        migrations::check_compatible(&state, self.display_path())?;
        if conn.is_readonly("main")? {
            return Err(StoreError::ReadOnly {
                path: self.display_path().to_path_buf(),
            });
        }
        if self.path.is_some() {
            let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))?;
            if !mode.eq_ignore_ascii_case("wal") {
                return Err(StoreError::Invalid {
                    field: "journal_mode",
                    message: format!(
                        "SQLite refused WAL mode (got {mode}); put the database on a local disk"
                    ),
                });
            }
        }
        conn.pragma_update(None, "foreign_keys", true)?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.set_prepared_statement_cache_capacity(64);
        if let Some(path) = &self.path
            && state.user_version > 0
            && state.user_version < migrations::latest_version()
        {
            migrations::backup(&self.db, path, state.user_version)?;
        }
        migrations::migrate(&self.db, migrations::latest_version())?;
        let trigger: Option<String> = self
            .db
            .query_row(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' LIMIT 1",
                params![],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(name) = trigger {
            return Err(planted_trigger(&self.location(), &name));
        }
        Ok(())
    }

    fn display_path(&self) -> &Path {
        self.path.as_deref().unwrap_or(Path::new(":memory:"))
    }

    fn reclassify(&self, err: StoreError) -> StoreError {
        reclassify(self.display_path(), err)
    }

    /// Runs `f` inside one write transaction and commits; rolls back on error. On SQLite the
    /// transaction is `BEGIN IMMEDIATE`; on PostgreSQL it holds the store's advisory lock, so
    /// writers from many seats queue exactly as two processes do on one file.
    pub(crate) fn write<T>(&mut self, f: impl FnOnce(&Db) -> StoreResult<T>) -> StoreResult<T> {
        self.db.begin()?;
        match f(&self.db) {
            Ok(value) => match self.db.commit() {
                Ok(()) => Ok(value),
                Err(e) => {
                    self.db.rollback();
                    Err(e)
                }
            },
            Err(e) => {
                self.db.rollback();
                Err(e)
            }
        }
    }

    pub(crate) fn conn(&self) -> &Db {
        &self.db
    }
}

/// The refusal of a database carrying a trigger EHR Sim did not create.
fn planted_trigger(location: &str, name: &str) -> StoreError {
    StoreError::Invalid {
        field: "schema",
        message: format!(
            "{location} has a trigger `{name}` that EHR Sim did not create: it could change \
             results as they are stored, so nothing is written; restore a backup, and \
             run `ehr-sim audit verify`"
        ),
    }
}

/// The SQLite schema objects other than SQLite's own.
fn sqlite_objects(db: &Db) -> StoreResult<std::collections::BTreeSet<(String, String)>> {
    Ok(db
        .query_map(
            "SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'",
            params![],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?
        .into_iter()
        .collect())
}

fn reclassify(path: &Path, err: StoreError) -> StoreError {
    match err {
        StoreError::Sqlite(e) => classify(path, e),
        other @ (StoreError::NotEhrSimDatabase { .. }
        | StoreError::NotADatabase { .. }
        | StoreError::NewerSchema { .. }
        | StoreError::ReadOnly { .. }
        | StoreError::CannotOpen { .. }
        | StoreError::Corrupt { .. }
        | StoreError::Io { .. }
        | StoreError::NoDataDir
        | StoreError::Backup { .. }
        | StoreError::NotFound { .. }
        | StoreError::Duplicate { .. }
        | StoreError::SignInFailed { .. }
        | StoreError::PermissionDenied { .. }
        | StoreError::Invalid { .. }
        | StoreError::PasswordHash(_)
        | StoreError::Postgres(_)
        | StoreError::Server { .. }
        | StoreError::NoRow
        | StoreError::Column { .. }) => other,
    }
}

/// Turns the SQLite errors that mean "bad file" into their clear variants.
fn classify(path: &Path, err: rusqlite::Error) -> StoreError {
    let path = path.to_path_buf();
    match err.sqlite_error_code() {
        Some(ErrorCode::NotADatabase) => StoreError::NotADatabase { path },
        Some(ErrorCode::DatabaseCorrupt) => StoreError::Corrupt {
            path,
            detail: err.to_string(),
        },
        Some(ErrorCode::ReadOnly | ErrorCode::PermissionDenied) => StoreError::ReadOnly { path },
        Some(ErrorCode::CannotOpen) => StoreError::CannotOpen {
            path,
            detail: err.to_string(),
        },
        _ => StoreError::Sqlite(err),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn in_memory_store_is_at_the_latest_schema() {
        let store = Store::open_in_memory().unwrap();
        assert_eq!(
            store.schema_version().unwrap(),
            migrations::latest_version()
        );
        assert_eq!(store.integrity_check().unwrap(), vec!["ok".to_string()]);
    }

    #[test]
    fn timestamps_are_whole_second_utc() {
        let at = DateTime::parse_from_rfc3339("2026-03-01T10:30:00.250+01:00")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(format_timestamp(&at), "2026-03-01T09:30:00Z");
    }
}
