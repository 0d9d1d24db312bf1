//! Reliability with the real binary: a writer killed at varied moments never loses an
//! acknowledged attempt and never leaves a half-written one; two processes writing at once
//! lose nothing; a process killed while creating a database leaves a usable file.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Stdio};
use std::time::Duration;

use ehr_sim::store::Store;

use super::{TempDir, bin, populate};

const FINDINGS: i64 = 6;

fn writer(path: &Path, learner: &str, count: u64) -> Child {
    bin()
        .env("EHR_SIM_PASSWORD", super::INSTRUCTOR_PASSWORD)
        .args([
            "store-stress",
            "--as",
            "Ines",
            "--learner",
            learner,
            "--count",
            &count.to_string(),
            "--findings",
            &FINDINGS.to_string(),
            "--db",
        ])
        .arg(path)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

fn ack_id(line: &str) -> i64 {
    line.strip_prefix("ack ")
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("unexpected output {line:?}"))
}

/// Every attempt in the file is complete: all its findings, competencies and its chain link.
fn assert_complete(store: &Store, acknowledged: &[i64]) {
    assert_eq!(store.integrity_check().unwrap(), vec!["ok".to_string()]);
    let conn = store.raw_connection().unwrap();
    let incomplete: i64 = conn
        .query_row(
            "SELECT count(*) FROM attempts a WHERE \
             (SELECT count(*) FROM findings f WHERE f.attempt_id = a.id) != ?1 \
             OR (SELECT count(*) FROM attempt_competencies c WHERE c.attempt_id = a.id) != 2 \
             OR NOT EXISTS (SELECT 1 FROM audit_chain l WHERE l.kind = 'attempt' AND l.record_id = a.id)",
            [FINDINGS],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(incomplete, 0, "no attempt is half-written");
    let mut stmt = conn
        .prepare("SELECT EXISTS(SELECT 1 FROM attempts WHERE id = ?1)")
        .unwrap();
    for id in acknowledged {
        let present: bool = stmt.query_row([id], |r| r.get(0)).unwrap();
        assert!(present, "acknowledged attempt {id} was lost");
    }
    let report = store.verify_audit().unwrap();
    assert!(report.is_clean(), "{:?}", report.issues);
}

#[test]
fn killing_a_writer_mid_write_never_loses_an_acknowledged_attempt() {
    let dir = TempDir::new("kill");
    let path = dir.file("kill.sqlite3");
    {
        let mut store = Store::open(&path).unwrap();
        populate(&mut store);
    }
    let rounds = 200_u64;
    let mut acknowledged = Vec::new();
    for round in 0..rounds {
        let mut child = writer(&path, "Sam", 1_000_000);
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        // Kill after 0–3 acknowledgements plus 0–2.9 ms: before, during and between commits.
        for _ in 0..round % 4 {
            match lines.next() {
                Some(line) => acknowledged.push(ack_id(&line.unwrap())),
                None => break,
            }
        }
        std::thread::sleep(Duration::from_micros((round * 733) % 3000));
        child.kill().unwrap();
        // Acknowledgements already printed before the kill count too.
        for line in lines {
            acknowledged.push(ack_id(&line.unwrap()));
        }
        child.wait().unwrap();
        if round % 50 == 49 {
            assert_complete(&Store::open(&path).unwrap(), &acknowledged);
        }
    }
    let store = Store::open(&path).unwrap();
    assert_complete(&store, &acknowledged);
    let stored: i64 = store
        .raw_connection()
        .unwrap()
        .query_row("SELECT count(*) FROM attempts", [], |r| r.get(0))
        .unwrap();
    eprintln!(
        "{rounds} kill rounds: {} attempts acknowledged, {stored} stored",
        acknowledged.len()
    );
    assert!(
        acknowledged.len() >= 200,
        "the writers got work done ({} acks)",
        acknowledged.len()
    );
}

#[test]
fn a_writer_killed_while_creating_the_database_leaves_a_usable_file() {
    let dir = TempDir::new("kill-create");
    for round in 0..20_u64 {
        let path = dir.file(&format!("new-{round}.sqlite3"));
        let mut child = writer(&path, "Nobody", 1);
        std::thread::sleep(Duration::from_micros(round * 500));
        child.kill().unwrap();
        child.wait().unwrap();
        let store = Store::open(&path).unwrap();
        assert_eq!(store.integrity_check().unwrap(), vec!["ok".to_string()]);
        assert_eq!(
            store.schema_version().unwrap(),
            ehr_sim::store::migrations::latest_version()
        );
    }
}

#[test]
fn two_processes_writing_at_once_lose_nothing() {
    let dir = TempDir::new("concurrent");
    let path = dir.file("shared.sqlite3");
    {
        let mut store = Store::open(&path).unwrap();
        populate(&mut store);
    }
    let mut children = [writer(&path, "Sam", 500), writer(&path, "Ana", 500)];
    let mut acks = Vec::new();
    for child in &mut children {
        let out = BufReader::new(child.stdout.take().unwrap());
        acks.push(out.lines().map(|l| ack_id(&l.unwrap())).collect::<Vec<_>>());
    }
    for child in &mut children {
        assert!(child.wait().unwrap().success());
    }
    assert_eq!(acks[0].len(), 500);
    assert_eq!(acks[1].len(), 500);
    let store = Store::open(&path).unwrap();
    let all: Vec<i64> = acks.concat();
    assert_complete(&store, &all);
    let per_learner: Vec<(String, i64)> = store
        .raw_connection()
        .unwrap()
        .prepare("SELECT p.name, count(*) FROM attempts a JOIN people p ON p.id = a.person_id GROUP BY p.name ORDER BY p.name")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        per_learner,
        vec![("Ana".to_string(), 500), ("Sam".to_string(), 500)]
    );
}

/// A save flushes the log once and never carries a checkpoint: the store turns SQLite's
/// automatic checkpoint off and copies the log into the database file from a thread of its
/// own; dropping the store stops the thread, and the last connection removes the log.
#[test]
fn the_log_is_checkpointed_off_the_save_path() {
    let dir = TempDir::new("checkpoint");
    let path = dir.file("progress.sqlite3");
    let mut store = Store::open(&path).unwrap();
    let auto: i64 = store.raw_i64("PRAGMA wal_autocheckpoint").unwrap();
    assert_eq!(auto, 0);
    let (_, sam, _) = populate(&mut store);
    let before = std::fs::metadata(&path).unwrap().len();
    for n in 0..300 {
        let findings = (0..8)
            .map(|k| super::api::finding(&format!("criterion-{k}"), 1.0, 2.0))
            .collect();
        let mut a = super::api::attempt(
            sam.person_id(),
            "chest_pain",
            "2026-03-01T10:00:00Z",
            findings,
        );
        a.seed = n;
        store.record_attempt(&a).unwrap();
    }
    // The thread runs once a second; allow a slow machine twenty.
    let grown = (0..200).any(|_| {
        std::thread::sleep(Duration::from_millis(100));
        std::fs::metadata(&path).unwrap().len() > before + 256 * 1024
    });
    assert!(grown, "the database file did not receive the log's pages");
    drop(store);
    let mut wal = path.clone().into_os_string();
    wal.push("-wal");
    assert!(!Path::new(&wal).exists(), "the log was left behind");
    assert_eq!(
        Store::open(&path)
            .unwrap()
            .raw_i64("SELECT count(*) FROM attempts")
            .unwrap(),
        300
    );
}
