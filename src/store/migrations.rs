//! Append-only schema migrations keyed by `PRAGMA user_version` (SQLite) or the `ehr_sim_meta`
//! table (PostgreSQL).
//!
//! Migration `N` lives in `sql/NNNN_*.sql` and moves the schema from version `N - 1` to `N`.
//! Released migrations are never edited (a test pins their SHA-256); a change is a new file.
//! All pending migrations run in one write transaction together with the version and
//! application-id updates, so a crash mid-migration leaves the old schema.
//!
//! PostgreSQL support begins at schema version 7: a new server database is created at that
//! version by `sql/pg/0007_baseline.sql` (the same tables, columns, keys and checks as
//! SQLite's versions 1–7, in PostgreSQL's types), and every later migration has a file for each
//! engine where the dialects differ (`pg_sql`).
//! Before an existing file is migrated it is copied with `VACUUM INTO` to
//! `<file>.backup-v<old version>` (or `…-2`, `…-3` if that exists).

use std::path::{Path, PathBuf};

use rusqlite::Connection;

use crate::store::db::{Db, Engine, OptionalExtension, params};
use crate::store::{StoreError, StoreResult};

/// EHR Sim's SQLite `application_id` ("EHRS" in ASCII), written into every database it creates.
pub(crate) const APPLICATION_ID: i64 = 0x4548_5253;

/// One schema step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Migration {
    /// The schema version this migration produces (1-based, consecutive).
    pub version: i64,
    /// The file name under `src/store/sql/`.
    pub file_name: &'static str,
    /// The SQL it runs on SQLite.
    pub sql: &'static str,
    /// The SQL it runs on PostgreSQL (`None` up to [`PG_BASELINE_VERSION`], which the baseline
    /// covers).
    pub pg_sql: Option<&'static str>,
}

/// The schema version a new PostgreSQL database starts at.
pub const PG_BASELINE_VERSION: i64 = 7;

/// The PostgreSQL schema at [`PG_BASELINE_VERSION`].
pub const PG_BASELINE: &str = include_str!("sql/pg/0007_baseline.sql");

/// Every migration, oldest first.
pub const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        file_name: "0001_initial.sql",
        sql: include_str!("sql/0001_initial.sql"),
        pg_sql: None,
    },
    Migration {
        version: 2,
        file_name: "0002_overrides_assessments.sql",
        sql: include_str!("sql/0002_overrides_assessments.sql"),
        pg_sql: None,
    },
    Migration {
        version: 3,
        file_name: "0003_finding_titles_criticals.sql",
        sql: include_str!("sql/0003_finding_titles_criticals.sql"),
        pg_sql: None,
    },
    Migration {
        version: 4,
        file_name: "0004_results_release.sql",
        sql: include_str!("sql/0004_results_release.sql"),
        pg_sql: None,
    },
    Migration {
        version: 5,
        file_name: "0005_audit_coverage_seals.sql",
        sql: include_str!("sql/0005_audit_coverage_seals.sql"),
        pg_sql: None,
    },
    Migration {
        version: 6,
        file_name: "0006_assessment_show_drg.sql",
        sql: include_str!("sql/0006_assessment_show_drg.sql"),
        pg_sql: None,
    },
    Migration {
        version: 7,
        file_name: "0007_sealed_seeds.sql",
        sql: include_str!("sql/0007_sealed_seeds.sql"),
        pg_sql: None,
    },
    Migration {
        version: 8,
        file_name: "0008_pushed_records.sql",
        sql: include_str!("sql/0008_pushed_records.sql"),
        pg_sql: Some(include_str!("sql/pg/0008_pushed_records.sql")),
    },
    Migration {
        version: 9,
        file_name: "0009_gradebook_cells.sql",
        sql: include_str!("sql/0009_gradebook_cells.sql"),
        pg_sql: Some(include_str!("sql/pg/0009_gradebook_cells.sql")),
    },
    Migration {
        version: 10,
        file_name: "0010_criterion_totals.sql",
        sql: include_str!("sql/0010_criterion_totals.sql"),
        pg_sql: Some(include_str!("sql/pg/0010_criterion_totals.sql")),
    },
];

/// The version from which the gradebook's cells are kept: moving to it computes them.
const GRADEBOOK_CELLS_VERSION: i64 = 9;

/// The version from which people, assessments, sittings and cohorts are chained: moving to it
/// gives the records already there their first link.
const CHAINED_RECORDS_VERSION: i64 = 5;

/// The version from which master seeds are sealed: moving to it stores each assessment's seed
/// commitment and each sitting's seed checks, computed from the seeds still readable then.
const SEALED_SEEDS_VERSION: i64 = 7;

/// The schema version this program writes.
#[must_use]
pub fn latest_version() -> i64 {
    MIGRATIONS.last().map_or(0, |m| m.version)
}

/// What the file header says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HeaderState {
    /// `PRAGMA application_id`.
    pub application_id: i64,
    /// `PRAGMA user_version`.
    pub user_version: i64,
    /// Number of objects in `sqlite_schema` (0 for a new or empty file).
    pub object_count: i64,
}

/// Reads the header fields.
///
/// # Errors
/// SQLite's `NOTADB` for random bytes (the caller turns it into a clear error).
pub(crate) fn inspect(conn: &Db) -> StoreResult<HeaderState> {
    let object_count = conn.query_row("SELECT count(*) FROM sqlite_schema", params![], |r| {
        r.get(0)
    })?;
    let application_id = conn.query_row("PRAGMA application_id", params![], |r| r.get(0))?;
    let user_version = conn.query_row("PRAGMA user_version", params![], |r| r.get(0))?;
    Ok(HeaderState {
        application_id,
        user_version,
        object_count,
    })
}

/// Refuses files that are someone else's database or come from a newer program.
///
/// # Errors
/// [`StoreError::NotEhrSimDatabase`] or [`StoreError::NewerSchema`].
pub(crate) fn check_compatible(state: &HeaderState, path: &Path) -> StoreResult<()> {
    let is_new = state.application_id == 0 && state.user_version == 0 && state.object_count == 0;
    if !is_new && state.application_id != APPLICATION_ID {
        return Err(StoreError::NotEhrSimDatabase {
            path: path.to_path_buf(),
            found: state.application_id,
        });
    }
    if state.user_version > latest_version() {
        return Err(StoreError::NewerSchema {
            path: path.to_path_buf(),
            found: state.user_version,
            supported: latest_version(),
        });
    }
    Ok(())
}

/// Copies the database to a fresh `<path>.backup-v<version>` file (complete or not at all) and
/// returns its path.
///
/// # Errors
/// [`StoreError::Backup`] when the copy cannot be written.
pub(crate) fn backup(conn: &Db, path: &Path, version: i64) -> StoreResult<PathBuf> {
    let base = format!("{}.backup-v{version}", path.display());
    let mut target = PathBuf::from(&base);
    let mut n = 2;
    while target.exists() {
        target = PathBuf::from(format!("{base}-{n}"));
        n += 1;
    }
    // Written under a temporary name and renamed when complete: a process killed mid-copy
    // leaves no empty or partial file that looks like a backup.
    let mut partial_name = target.as_os_str().to_os_string();
    partial_name.push(format!(".{}.partial", std::process::id()));
    let partial = PathBuf::from(partial_name);
    let failed = |detail: String| StoreError::Backup {
        path: target.clone(),
        detail,
    };
    let partial_text = partial.to_string_lossy().into_owned();
    let copied = conn
        .execute("VACUUM INTO ?1", params![&partial_text])
        .map_err(|e| failed(e.to_string()))
        .and_then(|_| std::fs::rename(&partial, &target).map_err(|e| failed(e.to_string())));
    if let Err(e) = copied {
        // Nothing half-written is left behind; the error says what failed.
        let _ignored = std::fs::remove_file(&partial);
        return Err(e);
    }
    Ok(target)
}

/// Opens the SQLite file at `path` and migrates it to `target` (tests build databases at each
/// earlier version this way).
///
/// # Errors
/// As [`migrate`].
#[doc(hidden)]
pub fn migrate_file(path: &Path, target: i64) -> StoreResult<()> {
    migrate(&Db::Sqlite(Connection::open(path)?), target)
}

/// The schema version the database is at (0 for a new one).
pub(crate) fn version(db: &Db) -> StoreResult<i64> {
    match db.engine() {
        Engine::Sqlite => db.query_row("PRAGMA user_version", params![], |r| r.get(0)),
        Engine::Postgres => {
            let has_meta: bool = db.query_row(
                "SELECT EXISTS (SELECT 1 FROM information_schema.tables \
                 WHERE table_schema = current_schema() AND table_name = 'ehr_sim_meta')",
                params![],
                |r| r.get(0),
            )?;
            if !has_meta {
                return Ok(0);
            }
            let text: Option<String> = db
                .query_row(
                    "SELECT value FROM ehr_sim_meta WHERE key = 'schema_version'",
                    params![],
                    |r| r.get(0),
                )
                .optional()?;
            Ok(text.and_then(|t| t.parse().ok()).unwrap_or(0))
        }
    }
}

fn set_version(db: &Db, version: i64) -> StoreResult<()> {
    match db.engine() {
        Engine::Sqlite => db.batch(&format!("PRAGMA user_version = {version}")),
        Engine::Postgres => db
            .execute(
                "UPDATE ehr_sim_meta SET value = ?1 WHERE key = 'schema_version'",
                params![version.to_string()],
            )
            .map(|_| ()),
    }
}

/// Applies every migration above the current version up to `target` in one transaction.
/// Re-reads the version inside the transaction, so two processes opening a database at once
/// migrate it once.
///
/// # Errors
/// On a database failure (the transaction is rolled back; the database keeps its old schema),
/// or [`StoreError::Invalid`] for a target beyond [`latest_version`] (or, on PostgreSQL, below
/// [`PG_BASELINE_VERSION`]).
pub(crate) fn migrate(db: &Db, target: i64) -> StoreResult<()> {
    if target > latest_version()
        || (db.engine() == Engine::Postgres && target < PG_BASELINE_VERSION)
    {
        return Err(StoreError::Invalid {
            field: "schema version",
            message: format!("no migration to version {target} on {}", db.engine().name()),
        });
    }
    if version(db)? >= target {
        return Ok(());
    }
    db.begin()?;
    let applied = apply(db, target);
    match applied {
        Ok(()) => db.commit()?,
        Err(e) => {
            db.rollback();
            return Err(e);
        }
    }
    db.forget_statements();
    Ok(())
}

fn apply(db: &Db, target: i64) -> StoreResult<()> {
    let mut current = version(db)?;
    if db.engine() == Engine::Postgres && current == 0 {
        db.batch(PG_BASELINE)?;
        current = PG_BASELINE_VERSION;
    }
    let crosses = |version: i64| current < version && version <= target;
    for migration in MIGRATIONS
        .iter()
        .filter(|m| m.version > current && m.version <= target)
    {
        match db.engine() {
            Engine::Sqlite => db.batch(migration.sql)?,
            Engine::Postgres => db.batch(migration.pg_sql.unwrap_or(migration.sql))?,
        }
        // The steps written in Rust read records the way this program does, so they run on
        // the schema this program writes (or on the target, when they are the last step).
        if migration.version == target || migration.version == latest_version() {
            if crosses(SEALED_SEEDS_VERSION) {
                keep_seed_commitments(db)?;
            }
            if crosses(CHAINED_RECORDS_VERSION) {
                crate::store::audit::link_unlinked(db)?;
            }
            if crosses(GRADEBOOK_CELLS_VERSION) {
                crate::store::queries::refresh_all_cells(db)?;
            }
        }
        set_version(db, migration.version)?;
    }
    set_version(db, target)?;
    if db.engine() == Engine::Sqlite {
        db.batch(&format!("PRAGMA application_id = {APPLICATION_ID}"))?;
    }
    Ok(())
}

/// The upgrade to sealed seeds: each assessment keeps the commitment its links already hold
/// (version 1, from the readable seed), and each sitting a check value per scenario's seed.
fn keep_seed_commitments(tx: &Db) -> StoreResult<()> {
    use crate::store::assessments::derive_candidate_seed;
    use crate::store::secrets::{seed_check, seed_commitment};
    let legacy: Vec<(i64, String, i64)> = tx.query_map(
        "SELECT x.id, x.name, l.master_seed FROM assessments x \
             JOIN legacy_master_seeds l ON l.assessment_id = x.id",
        params![],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    for (id, name, seed) in legacy {
        tx.execute(
            "UPDATE assessments SET seed_commitment = ?1 WHERE id = ?2",
            params![seed_commitment(&name, seed as u64, None), id],
        )?;
    }
    let sittings: Vec<(i64, String, String, i64)> = tx.query_map(
        "SELECT s.id, p.name, sc.scenario_id, l.master_seed FROM sittings s \
             JOIN people p ON p.id = s.person_id \
             JOIN legacy_master_seeds l ON l.assessment_id = s.assessment_id \
             JOIN assessment_scenarios sc ON sc.assessment_id = s.assessment_id",
        params![],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
    )?;
    for (sitting, candidate, scenario, master) in sittings {
        let seed = derive_candidate_seed(master as u64, &scenario, &candidate);
        tx.execute(
            "INSERT INTO sitting_seed_checks (sitting_id, scenario_id, seed_check) \
             VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
            params![sitting, scenario, seed_check(sitting, &scenario, seed)],
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_consecutive_from_one() {
        for (index, migration) in MIGRATIONS.iter().enumerate() {
            assert_eq!(migration.version, i64::try_from(index).unwrap() + 1);
            assert!(
                migration
                    .file_name
                    .starts_with(&format!("{:04}_", migration.version))
            );
        }
    }

    #[test]
    fn each_step_applies_on_the_previous_schema() {
        let db = Db::Sqlite(Connection::open_in_memory().unwrap());
        for migration in MIGRATIONS {
            migrate(&db, migration.version).unwrap();
            assert_eq!(version(&db).unwrap(), migration.version);
        }
        let fk: Vec<String> = db
            .query_map("PRAGMA foreign_key_check", params![], |r| r.get(0))
            .unwrap();
        assert!(fk.is_empty());
    }

    #[test]
    fn migrating_twice_is_a_no_op() {
        let db = Db::Sqlite(Connection::open_in_memory().unwrap());
        migrate(&db, latest_version()).unwrap();
        migrate(&db, latest_version()).unwrap();
        assert!(migrate(&db, latest_version() + 1).is_err());
    }

    #[test]
    fn new_file_is_accepted_foreign_file_is_not() {
        let new = HeaderState {
            application_id: 0,
            user_version: 0,
            object_count: 0,
        };
        assert!(check_compatible(&new, Path::new("x")).is_ok());
        let foreign = HeaderState {
            object_count: 3,
            ..new
        };
        assert!(matches!(
            check_compatible(&foreign, Path::new("x")),
            Err(StoreError::NotEhrSimDatabase { .. })
        ));
    }
}
