//! Append-only schema migrations keyed by `PRAGMA user_version`.
//!
//! Migration `N` lives in `sql/NNNN_*.sql` and moves the schema from version `N - 1` to `N`.
//! Released migrations are never edited (a test pins their SHA-256); a change is a new file.
//! All pending migrations run in one `BEGIN IMMEDIATE` transaction together with the
//! `user_version` and `application_id` updates, so a crash mid-migration leaves the old schema.
//! Before an existing file is migrated it is copied with `VACUUM INTO` to
//! `<file>.backup-v<old version>` (or `…-2`, `…-3` if that exists).

use std::path::{Path, PathBuf};

use rusqlite::{Connection, TransactionBehavior};

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
    /// The SQL it runs.
    pub sql: &'static str,
}

/// Every migration, oldest first.
pub const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        file_name: "0001_initial.sql",
        sql: include_str!("sql/0001_initial.sql"),
    },
    Migration {
        version: 2,
        file_name: "0002_overrides_assessments.sql",
        sql: include_str!("sql/0002_overrides_assessments.sql"),
    },
    Migration {
        version: 3,
        file_name: "0003_finding_titles_criticals.sql",
        sql: include_str!("sql/0003_finding_titles_criticals.sql"),
    },
    Migration {
        version: 4,
        file_name: "0004_results_release.sql",
        sql: include_str!("sql/0004_results_release.sql"),
    },
    Migration {
        version: 5,
        file_name: "0005_audit_coverage_seals.sql",
        sql: include_str!("sql/0005_audit_coverage_seals.sql"),
    },
    Migration {
        version: 6,
        file_name: "0006_assessment_show_drg.sql",
        sql: include_str!("sql/0006_assessment_show_drg.sql"),
    },
    Migration {
        version: 7,
        file_name: "0007_sealed_seeds.sql",
        sql: include_str!("sql/0007_sealed_seeds.sql"),
    },
];

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
pub(crate) fn inspect(conn: &Connection) -> StoreResult<HeaderState> {
    let object_count = conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))?;
    let application_id = conn.query_row("PRAGMA application_id", [], |r| r.get(0))?;
    let user_version = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
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
pub fn backup(conn: &Connection, path: &Path, version: i64) -> StoreResult<PathBuf> {
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
        .execute("VACUUM INTO ?1", [&partial_text])
        .map_err(|e| failed(e.to_string()))
        .and_then(|_| std::fs::rename(&partial, &target).map_err(|e| failed(e.to_string())));
    if let Err(e) = copied {
        // Nothing half-written is left behind; the error says what failed.
        let _ignored = std::fs::remove_file(&partial);
        return Err(e);
    }
    Ok(target)
}

/// Applies every migration above the current version up to `target` in one transaction.
/// Re-reads the version inside the transaction, so two processes opening a file at once
/// migrate it once.
///
/// # Errors
/// On an SQLite failure (the transaction is rolled back; the file keeps its old schema), or
/// [`StoreError::Invalid`] for a target beyond [`latest_version`].
pub fn migrate(conn: &Connection, target: i64) -> StoreResult<()> {
    if target > latest_version() {
        return Err(StoreError::Invalid {
            field: "schema version",
            message: format!("no migration to version {target}"),
        });
    }
    let current: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if current >= target {
        return Ok(());
    }
    let tx = rusqlite::Transaction::new_unchecked(conn, TransactionBehavior::Immediate)?;
    let current: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let crosses = |version: i64| current < version && version <= target;
    for migration in MIGRATIONS
        .iter()
        .filter(|m| m.version > current && m.version <= target)
    {
        tx.execute_batch(migration.sql)?;
        // The steps written in Rust read records the way this program does, so they run on
        // the schema this program writes (or on the target, when they are the last step).
        if migration.version == target || migration.version == latest_version() {
            if crosses(SEALED_SEEDS_VERSION) {
                keep_seed_commitments(&tx)?;
            }
            if crosses(CHAINED_RECORDS_VERSION) {
                crate::store::audit::link_unlinked(&tx)?;
            }
        }
        tx.pragma_update(None, "user_version", migration.version)?;
    }
    tx.pragma_update(None, "application_id", APPLICATION_ID)?;
    tx.commit()?;
    Ok(())
}

/// The upgrade to sealed seeds: each assessment keeps the commitment its links already hold
/// (version 1, from the readable seed), and each sitting a check value per scenario's seed.
fn keep_seed_commitments(tx: &rusqlite::Transaction<'_>) -> StoreResult<()> {
    use crate::store::assessments::derive_candidate_seed;
    use crate::store::secrets::{seed_check, seed_commitment};
    let legacy: Vec<(i64, String, i64)> = tx
        .prepare(
            "SELECT x.id, x.name, l.master_seed FROM assessments x \
             JOIN legacy_master_seeds l ON l.assessment_id = x.id",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<Result<_, _>>()?;
    for (id, name, seed) in legacy {
        tx.execute(
            "UPDATE assessments SET seed_commitment = ?1 WHERE id = ?2",
            rusqlite::params![seed_commitment(&name, seed as u64, None), id],
        )?;
    }
    let sittings: Vec<(i64, String, String, i64)> = tx
        .prepare(
            "SELECT s.id, p.name, sc.scenario_id, l.master_seed FROM sittings s \
             JOIN people p ON p.id = s.person_id \
             JOIN legacy_master_seeds l ON l.assessment_id = s.assessment_id \
             JOIN assessment_scenarios sc ON sc.assessment_id = s.assessment_id",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<Result<_, _>>()?;
    for (sitting, candidate, scenario, master) in sittings {
        let seed = derive_candidate_seed(master as u64, &scenario, &candidate);
        tx.execute(
            "INSERT OR IGNORE INTO sitting_seed_checks (sitting_id, scenario_id, seed_check) \
             VALUES (?1, ?2, ?3)",
            rusqlite::params![sitting, scenario, seed_check(sitting, &scenario, seed)],
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
        let conn = Connection::open_in_memory().unwrap();
        for migration in MIGRATIONS {
            migrate(&conn, migration.version).unwrap();
            let version: i64 = conn
                .query_row("PRAGMA user_version", [], |r| r.get(0))
                .unwrap();
            assert_eq!(version, migration.version);
        }
        let fk: Vec<String> = conn
            .prepare("PRAGMA foreign_key_check")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert!(fk.is_empty());
    }

    #[test]
    fn migrating_twice_is_a_no_op() {
        let conn = Connection::open_in_memory().unwrap();
        migrate(&conn, latest_version()).unwrap();
        migrate(&conn, latest_version()).unwrap();
        assert!(migrate(&conn, latest_version() + 1).is_err());
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
