//! Migrations: the list is validated against the files and pinned (released migrations are
//! never edited), and a database from every earlier schema version migrates with its data,
//! its passwords and its audit chain intact, after a backup copy is taken.

use std::path::Path;

use ehr_sim::store::migrations::{self, MIGRATIONS, latest_version};
use ehr_sim::store::{Role, Store};
use rusqlite::Connection;
use sha2::{Digest, Sha256};

use super::{INSTRUCTOR_PASSWORD, TempDir, now};

/// SHA-256 of each released migration (line ends normalised). Never change an entry: add a
/// new migration instead.
const RELEASED: &[(&str, &str)] = &[
    (
        "0001_initial.sql",
        "ac4ca5e2d2cdc5a1c78e4d956dacca629136825ab6b59600956e9e49903508a8",
    ),
    (
        "0002_overrides_assessments.sql",
        "d3b877da7d8fd8251af02ce5104b173b8cbc7e0d7cd1581f0e343581c143c0ac",
    ),
    (
        "0003_finding_titles_criticals.sql",
        "3aeda344747db99f4d9869e9376b71abc71dd3a91bd2515fdd5d9d76f735f3dd",
    ),
    (
        "0004_results_release.sql",
        "ba00209cebe05c21a71e725c9c2ebceff3477bfa2ab0b6481230d389d52a38c7",
    ),
    (
        "0005_audit_coverage_seals.sql",
        "db665b5961e667fcd8b2b794a090aff2dd922b9226e2c581ccb96ef7279a3a43",
    ),
    (
        "0006_assessment_show_drg.sql",
        "63b006618cc2fa97da42f7babc67b0b3d257f2cb168eb15a9eb5b0aeece27381",
    ),
    (
        "0007_sealed_seeds.sql",
        "d5f7ecfc984fe1b50f01483c76348674962d19da691e52e45108be5fed32d2d9",
    ),
];

fn sha256_hex(text: &str) -> String {
    format!(
        "{:x}",
        Sha256::digest(text.replace("\r\n", "\n").as_bytes())
    )
}

#[test]
fn the_migration_list_matches_the_sql_folder_and_released_files_are_unchanged() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/store/sql");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".sql"))
        .collect();
    files.sort();
    let listed: Vec<&str> = MIGRATIONS.iter().map(|m| m.file_name).collect();
    assert_eq!(
        files, listed,
        "every sql/NNNN_*.sql file is in MIGRATIONS, in order"
    );
    for (index, migration) in MIGRATIONS.iter().enumerate() {
        assert_eq!(migration.version, index as i64 + 1);
        assert!(
            migration
                .file_name
                .starts_with(&format!("{:04}_", migration.version))
        );
        let on_disk = std::fs::read_to_string(dir.join(migration.file_name)).unwrap();
        assert_eq!(on_disk, migration.sql);
        // The runner owns transactions and the version; migrations never destroy data.
        let code: String = migration
            .sql
            .lines()
            .map(|line| line.split("--").next().unwrap_or(""))
            .collect::<Vec<_>>()
            .join("\n")
            .to_ascii_uppercase();
        let words: Vec<&str> = code
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .collect();
        for forbidden in ["BEGIN", "COMMIT", "ROLLBACK", "USER_VERSION", "VACUUM"] {
            assert!(
                !words.contains(&forbidden),
                "{} must not contain {forbidden}",
                migration.file_name
            );
        }
        // SQLite cannot change a table's constraints in place: a migration rebuilds the table,
        // copying every row, and only then drops the old one. A column is dropped only after
        // its values were copied into another table. Any other DROP is forbidden.
        let code = code.split_whitespace().collect::<Vec<_>>().join(" ");
        for (at, _) in code.match_indices("DROP ") {
            let rest = &code[at + "DROP ".len()..];
            if let Some(column) = rest.strip_prefix("COLUMN ") {
                let column = column.split([';', ' ']).next().unwrap_or_default();
                let table = code[..at]
                    .rsplit("ALTER TABLE ")
                    .next()
                    .and_then(|t| t.split(' ').next())
                    .unwrap_or_default();
                assert!(
                    code[..at].contains(&format!(" {column} FROM {table};"))
                        && code[..at].contains("INSERT INTO "),
                    "{}: DROP COLUMN {table}.{column} without first copying its values",
                    migration.file_name
                );
                continue;
            }
            let table = rest
                .strip_prefix("TABLE ")
                .and_then(|t| t.split([';', ' ']).next())
                .unwrap_or_else(|| {
                    panic!(
                        "{}: only DROP TABLE of a rebuilt table",
                        migration.file_name
                    )
                });
            assert!(
                code[..at].contains(&format!(" FROM {table} "))
                    && code[..at].contains("INSERT INTO "),
                "{}: DROP TABLE {table} without first copying its rows into the new table",
                migration.file_name
            );
        }
    }
    for (name, hash) in RELEASED {
        let migration = MIGRATIONS
            .iter()
            .find(|m| m.file_name == *name)
            .expect("released migrations stay listed");
        assert_eq!(
            sha256_hex(migration.sql),
            *hash,
            "{name} was edited after release; add a new migration instead"
        );
    }
    assert!(RELEASED.len() <= MIGRATIONS.len());
}

/// Builds a database at schema `version` holding fixture data: `v{N}_data.sql` for the newest
/// N ≤ `version` that has one. A version that only added tables and optional columns (v2) reuses
/// the previous version's data, whose explicit-column inserts are valid rows of it too.
/// From version 5 on, records are chained: the data goes in at version 4 and the program's
/// own migration gives it its links, as on a learner's machine.
fn database_at(version: i64, path: &Path) {
    const CHAINED: i64 = 5;
    if version >= CHAINED {
        database_at(CHAINED - 1, path);
        migrations::migrate_file(path, version).unwrap();
        return;
    }
    migrations::migrate_file(path, version).unwrap();
    let conn = Connection::open(path).unwrap();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/store");
    let fixture = (1..=version)
        .rev()
        .map(|v| dir.join(format!("v{v}_data.sql")))
        .find(|f| f.exists())
        .unwrap_or_else(|| panic!("no data fixture for schema version {version} or earlier"));
    let sql = std::fs::read_to_string(&fixture).unwrap();
    conn.execute_batch(&sql).unwrap();
}

#[test]
fn every_earlier_schema_version_migrates_with_its_data() {
    assert!(
        latest_version() >= 2,
        "at least one earlier version to migrate from"
    );
    for version in 1..latest_version() {
        let dir = TempDir::new("migrate");
        let path = dir.file("old.sqlite3");
        database_at(version, &path);
        let mut store = Store::open(&path).unwrap();
        assert_eq!(store.schema_version().unwrap(), latest_version());

        let backup = dir.file(&format!("old.sqlite3.backup-v{version}"));
        let old = Connection::open(&backup).unwrap();
        let old_version: i64 = old
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(old_version, version, "the backup keeps the old schema");
        // The copy is written under a temporary name and renamed when complete.
        let leftovers: Vec<String> = std::fs::read_dir(dir.file(""))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".partial"))
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
        let old_attempts: i64 = old
            .query_row("SELECT count(*) FROM attempts", [], |r| r.get(0))
            .unwrap();
        assert_eq!(old_attempts, 5);

        // Data, passwords and the audit chain survive.
        let ines = store.sign_in("Ines", Some(INSTRUCTOR_PASSWORD)).unwrap();
        assert_eq!(ines.role(), Role::Instructor);
        let sam = store.sign_in("Sam", None).unwrap();
        assert_eq!(
            store.learner_history(&sam, sam.person_id()).unwrap().len(),
            3
        );
        let book = store.gradebook(&ines, Some("Spring 2026")).unwrap();
        assert_eq!(book.rows.len(), 2);
        let findings: i64 = store
            .raw_connection()
            .unwrap()
            .query_row("SELECT count(*) FROM findings", [], |r| r.get(0))
            .unwrap();
        assert_eq!(findings, 15);
        let report = store.verify_audit().unwrap();
        assert!(report.is_clean(), "{:?}", report.issues);
        // The five attempt and override links are kept as they were; the people, cohorts,
        // assessments and sittings already there get their first links after them.
        assert_eq!(
            report.hash_at(5),
            Some("9908a36d68d9a481d5e867fc5a5a2c3f604af6dc5af5e5c2be290b539c0b2d1b")
        );
        let records: i64 = store
            .raw_connection()
            .unwrap()
            .query_row(
                "SELECT (SELECT count(*) FROM people) + (SELECT count(*) FROM cohorts) \
                 + (SELECT count(*) FROM assessments) + (SELECT count(*) FROM sittings)",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert!(records >= 4, "{records}");
        assert_eq!(report.links, 5 + records as u64);

        // The new schema's features work on the migrated data, and the chain continues.
        let first = store.learner_history(&sam, sam.person_id()).unwrap()[0].attempt_id;
        // Attempts from before version 3 say their critical gates were not recorded.
        let old = store.attempt(&ines, first).unwrap();
        assert!(!old.criticals_recorded);
        assert!(old.criticals.is_empty());
        assert!(old.findings.iter().all(|f| f.title.is_empty()));
        store
            .override_score(&ines, first, 6.0, "re-marked", &now())
            .unwrap();
        let report = store.verify_audit().unwrap();
        assert!(report.is_clean());
        assert!(
            report
                .contains_head("9908a36d68d9a481d5e867fc5a5a2c3f604af6dc5af5e5c2be290b539c0b2d1b")
        );

        // Opening again does not migrate or back up again.
        drop(store);
        Store::open(&path).unwrap();
        assert!(
            !dir.file(&format!("old.sqlite3.backup-v{version}-2"))
                .exists()
        );
    }
}

/// A database from before sealing (an assessment with its master seed stored readable, a
/// registered candidate and her sitting begun): the upgrade keeps the chain and the sitting's
/// seeds; the candidate resumes with the same seeds; the first instructor to sign in seals
/// the seed, after which it is read through the staff key only.
#[test]
fn an_assessment_from_before_sealing_is_sealed_when_staff_sign_in() {
    use argon2::password_hash::PasswordHasher;
    use ehr_sim::store::derive_candidate_seed;
    const CODE: &str = "CARA2345WXYZ";
    let dir = TempDir::new("migrate-seal");
    let path = dir.file("old.sqlite3");
    database_at(4, &path);
    let code_hash = argon2::Argon2::default()
        .hash_password(CODE.as_bytes())
        .unwrap()
        .to_string();
    Connection::open(&path)
        .unwrap()
        .execute_batch(&format!(
            "INSERT INTO people (id, name, role, password_hash, created_at) \
             VALUES (10, 'Cara', 'candidate', '{code_hash}', '2026-02-01T09:00:00Z');
             INSERT INTO assessments (id, name, time_limit_secs, pass_mark_fraction, master_seed, \
             created_by, created_at) VALUES (1, 'Old exam', 3600, 0.5, 4242, 1, '2026-02-01T09:00:00Z');
             INSERT INTO assessment_scenarios (assessment_id, ordinal, scenario_id) \
             VALUES (1, 0, 'chest_pain'), (1, 1, 'triage_sprain');
             INSERT INTO cohorts (id, name, created_at) VALUES (5, 'Old exam candidates', '2026-02-01T09:00:00Z');
             INSERT INTO cohort_members (cohort_id, person_id) VALUES (5, 10);
             INSERT INTO sittings (id, assessment_id, person_id, started_at) \
             VALUES (1, 1, 10, '2099-01-01T09:00:00Z');"
        ))
        .unwrap();
    let mut store = Store::open(&path).unwrap();
    let legacy = |store: &Store| -> i64 {
        store
            .raw_connection()
            .unwrap()
            .query_row("SELECT count(*) FROM legacy_master_seeds", [], |r| r.get(0))
            .unwrap()
    };
    assert_eq!(legacy(&store), 1, "readable until a staff member signs in");
    let report = store.verify_audit().unwrap();
    assert!(report.is_clean(), "{:?}", report.issues);
    // The link keeps the commitment the previous release computed from the readable seed.
    let content: String = store
        .raw_connection()
        .unwrap()
        .query_row(
            "SELECT content FROM audit_chain WHERE kind = 'assessment' ORDER BY seq DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let v1 = format!(
        "{:x}",
        Sha256::digest("ehr-sim/seed-commitment/v1\nOld exam\n4242".as_bytes())
    );
    assert!(content.contains(&v1), "{content}");
    let seeds: Vec<(String, u64)> = ["chest_pain", "triage_sprain"]
        .iter()
        .map(|s| (s.to_string(), derive_candidate_seed(4242, s, "Cara")))
        .collect();
    // Cara resumes before any staff member signs in: the seeds of the readable master seed.
    let cara = store.sign_in("Cara", Some(CODE)).unwrap();
    let sitting = store
        .start_sitting(&cara, "Old exam", "Cara", &now())
        .unwrap();
    assert_eq!(sitting.seeds, seeds);
    // Ines signs in: the seed is sealed, and Cara's seeds are sealed to her.
    let ines = store.sign_in("Ines", Some(INSTRUCTOR_PASSWORD)).unwrap();
    assert!(ines.holds_staff_key());
    assert_eq!(legacy(&store), 0);
    assert_eq!(store.master_seed(&ines, "Old exam").unwrap(), 4242);
    let cara = store.sign_in("Cara", Some(CODE)).unwrap();
    let again = store
        .start_sitting(&cara, "Old exam", "Cara", &now())
        .unwrap();
    assert_eq!(again.seeds, seeds);
    let report = store.verify_audit().unwrap();
    assert!(report.is_clean(), "{:?}", report.issues);
}
