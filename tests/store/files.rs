//! Bad database files get clear errors and are left untouched; new files and folders are
//! created on first run.

use ehr_sim::store::{Store, StoreError};
use rusqlite::Connection;

use super::TempDir;

fn pseudo_random_bytes(len: usize) -> Vec<u8> {
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 24) as u8
        })
        .collect()
}

#[test]
fn random_bytes_are_not_a_database_and_stay_untouched() {
    let dir = TempDir::new("random");
    let path = dir.file("noise.sqlite3");
    let bytes = pseudo_random_bytes(8192);
    std::fs::write(&path, &bytes).unwrap();
    let err = Store::open(&path).unwrap_err();
    assert!(matches!(err, StoreError::NotADatabase { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        format!(
            "{}: not an SQLite database (the file header is unreadable: random bytes or another file type); \
             move it aside or pass a different file with --db PATH",
            path.display()
        )
    );
    assert_eq!(std::fs::read(&path).unwrap(), bytes);
}

#[test]
fn an_empty_file_is_treated_as_a_new_database() {
    let dir = TempDir::new("empty");
    let path = dir.file("empty.sqlite3");
    std::fs::write(&path, b"").unwrap();
    let store = Store::open(&path).unwrap();
    assert_eq!(
        store.schema_version().unwrap(),
        ehr_sim::store::migrations::latest_version()
    );
}

#[test]
fn a_newer_schema_is_refused() {
    let dir = TempDir::new("newer");
    let path = dir.file("newer.sqlite3");
    drop(Store::open(&path).unwrap());
    Connection::open(&path)
        .unwrap()
        .pragma_update(None, "user_version", 99)
        .unwrap();
    let err = Store::open(&path).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "{}: database schema version 99 is newer than this program supports ({}); \
             upgrade EHR Sim, or use a different file with --db PATH",
            path.display(),
            ehr_sim::store::migrations::latest_version()
        )
    );
}

#[test]
fn another_programs_database_is_refused() {
    let dir = TempDir::new("foreign");
    let path = dir.file("foreign.sqlite3");
    Connection::open(&path)
        .unwrap()
        .execute_batch("CREATE TABLE recipes (name TEXT);")
        .unwrap();
    let err = Store::open(&path).unwrap_err();
    assert!(
        matches!(err, StoreError::NotEhrSimDatabase { found: 0, .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("not an EHR Sim progress database"));
    let tables: i64 = Connection::open(&path)
        .unwrap()
        .query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))
        .unwrap();
    assert_eq!(tables, 1, "nothing was added to the foreign database");
}

#[test]
fn a_damaged_schema_page_is_reported_corrupt() {
    let dir = TempDir::new("corrupt");
    let path = dir.file("corrupt.sqlite3");
    drop(Store::open(&path).unwrap());
    let mut bytes = std::fs::read(&path).unwrap();
    let noise = pseudo_random_bytes(bytes.len());
    bytes[100..4096].copy_from_slice(&noise[100..4096]);
    std::fs::write(&path, &bytes).unwrap();
    let err = Store::open(&path).unwrap_err();
    assert!(matches!(err, StoreError::Corrupt { .. }), "{err:?}");
    assert!(err.to_string().contains("the database is corrupt"));
}

#[test]
fn a_folder_is_not_a_database_file() {
    let dir = TempDir::new("folder");
    let err = Store::open(dir.path()).unwrap_err();
    assert!(matches!(err, StoreError::CannotOpen { .. }), "{err:?}");
}

#[test]
fn missing_folders_are_created() {
    let dir = TempDir::new("nested");
    let path = dir.path().join("a").join("b").join("ehr-sim.sqlite3");
    Store::open(&path).unwrap();
    assert!(path.exists());
}

#[cfg(unix)]
#[test]
fn a_read_only_file_is_refused() {
    use std::os::unix::fs::PermissionsExt;
    let dir = TempDir::new("readonly");
    let path = dir.file("ro.sqlite3");
    drop(Store::open(&path).unwrap());
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).unwrap();
    if std::fs::OpenOptions::new().write(true).open(&path).is_ok() {
        eprintln!("skipped: running with privileges that ignore file permissions (root)");
        return;
    }
    let err = Store::open(&path).unwrap_err();
    assert!(matches!(err, StoreError::ReadOnly { .. }), "{err:?}");
}
