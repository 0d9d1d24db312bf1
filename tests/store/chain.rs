//! The audit hash chain detects edited, deleted and inserted records, in the library and
//! through `ehr-sim audit verify` (which exits non-zero).

use ehr_sim::store::audit::LinkKind;
use ehr_sim::store::{AuditIssue, Store};

use super::api::{attempt, finding};
use super::{TempDir, audit_verify as verify, bin, now, populate};

/// Three attempts by Sam and one override, in a file.
fn chained(dir: &TempDir) -> (Store, std::path::PathBuf) {
    let path = dir.file("chain.sqlite3");
    let mut store = Store::open(&path).unwrap();
    let (ines, sam, _) = populate(&mut store);
    for (n, at) in [
        "2026-03-01T10:00:00Z",
        "2026-03-01T11:00:00Z",
        "2026-03-01T12:00:00Z",
    ]
    .iter()
    .enumerate()
    {
        let points = n as f64;
        store
            .record_attempt(&attempt(
                sam.person_id(),
                "chest_pain",
                at,
                vec![finding("esi", points, 2.0), finding("vitals", 1.0, 2.0)],
            ))
            .unwrap();
    }
    store
        .override_score(&ines, 1, 3.0, "appeal upheld", &now())
        .unwrap();
    (store, path)
}

#[test]
fn an_untouched_chain_verifies() {
    let dir = TempDir::new("chain-ok");
    let (store, path) = chained(&dir);
    let report = store.verify_audit().unwrap();
    assert!(report.is_clean());
    // Six links for the people and cohort `populate` writes, then the attempts and override.
    assert_eq!(report.links, 10);
    let head = store.audit_head().unwrap();
    assert_eq!(report.head, head);
    drop(store);
    let (code, out) = verify(&path, &["--expect-head", &head]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(
        out,
        format!(
            "database: {}\nlinks checked: 10\nchain head: {head}\nkept head {head} is part of this chain\naudit: OK\n",
            path.display()
        )
    );
}

#[test]
fn an_edited_score_is_detected_and_verify_exits_non_zero() {
    let dir = TempDir::new("chain-edit");
    let (store, path) = chained(&dir);
    store
        .raw_connection()
        .unwrap()
        .execute("UPDATE attempts SET score = 4.0 WHERE id = 2", [])
        .unwrap();
    assert_eq!(
        store.verify_audit().unwrap().issues,
        vec![AuditIssue::Edited {
            seq: 8,
            kind: LinkKind::Attempt,
            record_id: 2
        }]
    );
    drop(store);
    let (code, out) = verify(&path, &[]);
    assert_eq!(code, 1);
    assert!(
        out.contains("edited: attempt #2 (link 8) no longer matches its recorded hash\n"),
        "{out}"
    );
    assert!(out.ends_with("audit: FAILED (1 problem(s))\n"), "{out}");
}

#[test]
fn edited_findings_and_overrides_are_detected() {
    let dir = TempDir::new("chain-finding");
    let (store, _) = chained(&dir);
    let conn = store.raw_connection().unwrap();
    conn.execute(
        "UPDATE findings SET points = 2.0 WHERE attempt_id = 3 AND ordinal = 1",
        [],
    )
    .unwrap();
    conn.execute(
        "UPDATE overrides SET comment = 'nothing to see' WHERE id = 1",
        [],
    )
    .unwrap();
    assert_eq!(
        store.verify_audit().unwrap().issues,
        vec![
            AuditIssue::Edited {
                seq: 9,
                kind: LinkKind::Attempt,
                record_id: 3
            },
            AuditIssue::Edited {
                seq: 10,
                kind: LinkKind::Override,
                record_id: 1
            },
        ]
    );
}

#[test]
fn deleted_and_inserted_records_are_detected() {
    let dir = TempDir::new("chain-delete");
    let (store, path) = chained(&dir);
    let conn = store.raw_connection().unwrap();
    conn.execute("DELETE FROM attempts WHERE id = 3", [])
        .unwrap();
    conn.execute(
        "INSERT INTO attempts (id, person_id, scenario_version_id, seed, mode, started_at, submitted_at, \
         duration_secs, score, max_score, passed) \
         VALUES (9, 2, 1, 1, 'practice', '2026-03-01T13:00:00Z', '2026-03-01T13:10:00Z', 600, 4.0, 4.0, 1)",
        [],
    )
    .unwrap();
    assert_eq!(
        store.verify_audit().unwrap().issues,
        vec![
            AuditIssue::Deleted {
                seq: 9,
                kind: LinkKind::Attempt,
                record_id: 3
            },
            AuditIssue::Inserted {
                kind: LinkKind::Attempt,
                record_id: 9
            },
        ]
    );
    drop(store);
    let (code, out) = verify(&path, &[]);
    assert_eq!(code, 1);
    assert!(
        out.contains("deleted: attempt #3 (link 9) is missing from the database\n"),
        "{out}"
    );
    assert!(
        out.contains(
            "inserted: attempt #9 has no link in the audit chain (written outside EHR Sim)\n"
        ),
        "{out}"
    );
}

#[test]
fn removing_a_record_with_its_link_breaks_the_chain() {
    let dir = TempDir::new("chain-cut");
    let (store, _) = chained(&dir);
    let conn = store.raw_connection().unwrap();
    conn.execute("DELETE FROM attempts WHERE id = 2", [])
        .unwrap();
    conn.execute("DELETE FROM audit_chain WHERE seq = 8", [])
        .unwrap();
    assert_eq!(
        store.verify_audit().unwrap().issues,
        vec![AuditIssue::Broken { seq: 9 }]
    );
}

#[test]
fn a_wholesale_rewrite_is_caught_by_the_kept_head() {
    let dir = TempDir::new("chain-rewrite");
    let (store, path) = chained(&dir);
    let kept = store.audit_head().unwrap();
    drop(store);
    // Replace the file with a new, internally consistent database holding different scores.
    std::fs::remove_file(&path).unwrap();
    let mut forged = Store::open(&path).unwrap();
    let (_, sam, _) = populate(&mut forged);
    forged
        .record_attempt(&attempt(
            sam.person_id(),
            "chest_pain",
            "2026-03-01T10:00:00Z",
            vec![finding("esi", 2.0, 2.0)],
        ))
        .unwrap();
    assert!(forged.verify_audit().unwrap().is_clean());
    drop(forged);
    let (code, out) = verify(&path, &["--expect-head", &kept]);
    assert_eq!(code, 1);
    assert!(
        out.contains(&format!(
            "rewritten: kept head {kept} is not part of this chain"
        )),
        "{out}"
    );
}

/// A trigger that passes every later attempt is reported by `audit verify`, and the store
/// refuses to write through it.
#[test]
fn a_planted_trigger_is_reported_and_nothing_is_written_through_it() {
    let dir = TempDir::new("chain-trigger");
    let (store, path) = chained(&dir);
    store
        .raw_connection()
        .unwrap()
        .execute_batch(
            "CREATE TRIGGER pass_all AFTER INSERT ON attempts BEGIN \
             UPDATE attempts SET score = max_score, passed = 1 WHERE id = new.id; END;",
        )
        .unwrap();
    drop(store);
    let (code, out) = verify(&path, &[]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains(
            "altered: unexpected trigger `pass_all`: a trigger can change what is stored after its audit link is computed"
        ),
        "{out}"
    );
    assert!(out.ends_with("audit: FAILED (1 problem(s))\n"), "{out}");
    match Store::open(&path) {
        Err(ehr_sim::store::StoreError::Invalid { field, message }) => {
            assert_eq!(field, "schema");
            assert!(message.contains("trigger `pass_all`"), "{message}");
        }
        other => panic!(
            "a database with a trigger was opened for writing: {:?}",
            other.map(|_| ())
        ),
    }
}

/// A mistyped path is an error that creates nothing.
#[test]
fn verify_never_creates_a_database() {
    let dir = TempDir::new("chain-missing");
    let missing = dir.file("no-such-folder/progress.sqlite3");
    let out = bin()
        .args(["audit", "verify", "--db"])
        .arg(&missing)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("nothing was created"), "{err}");
    assert!(!missing.parent().unwrap().exists(), "no folder was created");
}

/// A damaged page fails the integrity check, and verify says so instead of "OK".
#[test]
fn a_damaged_file_fails_verification() {
    let dir = TempDir::new("chain-damaged");
    let (store, path) = chained(&dir);
    store
        .raw_connection()
        .unwrap()
        .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
        .unwrap();
    drop(store);
    let mut bytes = std::fs::read(&path).unwrap();
    let page = 4096;
    assert!(bytes.len() > 4 * page);
    // Scribble over the b-tree page headers of every page after the schema page.
    for start in (page..bytes.len()).step_by(page) {
        for b in &mut bytes[start..start + 12] {
            *b = 0xff;
        }
    }
    std::fs::write(&path, &bytes).unwrap();
    let out = bin()
        .args(["audit", "verify", "--db"])
        .arg(&path)
        .output()
        .unwrap();
    assert_ne!(out.status.code(), Some(0));
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!all.contains("audit: OK"), "{all}");
    assert!(
        all.contains("damaged") || all.contains("corrupt") || all.contains("malformed"),
        "{all}"
    );
}

/// Verify reads a run of attempts with one query per table; when a link names an id far from
/// the others (here: rewritten to a missing attempt), the run is read record by record, with
/// the same findings.
#[test]
fn a_link_far_from_its_neighbours_is_checked_on_its_own() {
    let dir = TempDir::new("chain-far");
    let (store, _) = chained(&dir);
    let conn = store.raw_connection().unwrap();
    let seq: i64 = conn
        .query_row(
            "SELECT seq FROM audit_chain WHERE kind = 'attempt' AND record_id = 2",
            [],
            |r| r.get(0),
        )
        .unwrap();
    conn.execute(
        "UPDATE audit_chain SET record_id = 100000 WHERE seq = ?1",
        [seq],
    )
    .unwrap();
    // An edited score in the same run is still found.
    conn.execute("UPDATE attempts SET score = 9.0 WHERE id = 3", [])
        .unwrap();
    let mut expected = vec![
        AuditIssue::Deleted {
            seq,
            kind: LinkKind::Attempt,
            record_id: 100_000,
        },
        AuditIssue::Edited {
            seq: seq + 1,
            kind: LinkKind::Attempt,
            record_id: 3,
        },
        AuditIssue::Inserted {
            kind: LinkKind::Attempt,
            record_id: 2,
        },
    ];
    expected.sort();
    assert_eq!(store.verify_audit().unwrap().issues, expected);
}
