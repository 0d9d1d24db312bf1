//! The audit chain covers people, assessments, sittings, cohorts and each attempt's grading
//! provenance; an employer's Ed25519 seal over the chain head detects a chain recomputed
//! after an edit, which a plain hash chain cannot.

use ehr_sim::store::audit::LinkKind;
use ehr_sim::store::{AuditIssue, NewAssessment, Session, Store};

use super::api::{attempt, finding};
use super::{ERIN_PASSWORD, TempDir, at, audit_verify as verify, bin, now, populate_with_employer};

const EXAM: &str = "ED intake 2026";

/// Ines's people (Ines, Sam, Ana, the Spring 2026 cohort), employer Erin, an assessment with
/// candidate Casey who has started and finished a sitting with one attempt, in a file.
fn exam(dir: &TempDir) -> (Store, std::path::PathBuf, Session) {
    let path = dir.file("exam.sqlite3");
    let mut store = exam_at(&path, 1.0);
    let erin = store.sign_in("Erin", Some(ERIN_PASSWORD)).unwrap();
    (store, path, erin)
}

/// [`exam`] in the file `path`, Casey's attempt scoring `points` of 2.
fn exam_at(path: &std::path::Path, points: f64) -> Store {
    let mut store = Store::open(path).unwrap();
    let (_, erin) = populate_with_employer(&mut store);
    ehr_sim::service::assessments::create(
        &mut store,
        &erin,
        &NewAssessment {
            name: EXAM.to_string(),
            scenario_ids: vec!["chest_pain".to_string()],
            time_limit_secs: 3600,
            pass_mark_fraction: 0.75,
            master_seed: 2026,
            show_drg: false,
        },
        &now(),
    )
    .unwrap();
    let code =
        ehr_sim::service::assessments::register_candidate(&mut store, &erin, EXAM, "Casey", &now())
            .unwrap()
            .access_code
            .unwrap();
    let casey = store.sign_in("Casey", Some(&code)).unwrap();
    let sitting = store.start_sitting(&casey, EXAM, "Casey", &now()).unwrap();
    let mut done = attempt(
        casey.person_id(),
        "chest_pain",
        "2026-03-01T10:00:00Z",
        vec![finding("esi", points, 2.0)],
    );
    done.mode = ehr_sim::store::Mode::Assessment;
    done.sitting_id = Some(sitting.id);
    done.seed = sitting.seeds[0].1;
    done.rubric_hash = Some("ab".repeat(32));
    store.record_attempt_as(&casey, &done).unwrap();
    store.finish_sitting(&casey, sitting.id, &now()).unwrap();
    let _ = erin;
    store
}

fn edited(store: &Store, sql: &str) -> Vec<AuditIssue> {
    store.raw_connection().unwrap().execute_batch(sql).unwrap();
    store.verify_audit().unwrap().issues
}

fn id_of(store: &Store, sql: &str) -> i64 {
    store
        .raw_connection()
        .unwrap()
        .query_row(sql, [], |r| r.get(0))
        .unwrap()
}

/// The latest link of a record, by sequence number.
fn latest_link(store: &Store, kind: &str, id: i64) -> i64 {
    store
        .raw_connection()
        .unwrap()
        .query_row(
            "SELECT max(seq) FROM audit_chain WHERE kind = ?1 AND record_id = ?2",
            rusqlite::params![kind, id],
            |r| r.get(0),
        )
        .unwrap()
}

#[test]
fn every_kind_of_record_is_chained_and_an_untouched_exam_verifies() {
    let dir = TempDir::new("cover-ok");
    let (store, _, _) = exam(&dir);
    let report = store.verify_audit().unwrap();
    assert!(report.is_clean(), "{:?}", report.issues);
    let kinds: Vec<String> = store
        .raw_connection()
        .unwrap()
        .prepare("SELECT DISTINCT kind FROM audit_chain ORDER BY kind")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        kinds,
        ["assessment", "attempt", "cohort", "person", "sitting"]
    );
    // Re-registering or restarting changes nothing, so it adds no link.
    let links = report.links;
    let mut store = store;
    let erin = store.sign_in("Erin", Some(ERIN_PASSWORD)).unwrap();
    ehr_sim::service::assessments::register_candidate(&mut store, &erin, EXAM, "Casey", &now())
        .unwrap();
    assert_eq!(store.verify_audit().unwrap().links, links);
}

#[test]
fn renaming_swapping_promoting_or_rekeying_a_person_is_detected() {
    let dir = TempDir::new("cover-people");
    let (store, _, _) = exam(&dir);
    let sam = id_of(&store, "SELECT id FROM people WHERE name = 'Sam'");
    let ana = id_of(&store, "SELECT id FROM people WHERE name = 'Ana'");
    let person = |id| AuditIssue::Edited {
        seq: latest_link(&store, "person", id),
        kind: LinkKind::Person,
        record_id: id,
    };
    // Swapping two names moves every attempt to the other person in every report.
    assert_eq!(
        edited(
            &store,
            "UPDATE people SET name = 'tmp' WHERE id = 2; UPDATE people SET name = 'Sam' WHERE id = 3; \
             UPDATE people SET name = 'Ana' WHERE id = 2;"
        ),
        vec![person(sam), person(ana)]
    );
    let (store, _, _) = exam(&TempDir::new("cover-promote"));
    assert_eq!(
        edited(
            &store,
            "UPDATE people SET role = 'instructor' WHERE name = 'Sam'"
        ),
        vec![person(sam)]
    );
    let (store, _, _) = exam(&TempDir::new("cover-password"));
    let erin = id_of(&store, "SELECT id FROM people WHERE name = 'Erin'");
    let hash: String = store
        .raw_connection()
        .unwrap()
        .query_row(
            "SELECT password_hash FROM people WHERE name = 'Ines'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    store
        .raw_connection()
        .unwrap()
        .execute(
            "UPDATE people SET password_hash = ?1 WHERE id = ?2",
            rusqlite::params![hash, erin],
        )
        .unwrap();
    assert_eq!(
        store.verify_audit().unwrap().issues,
        vec![AuditIssue::Edited {
            seq: latest_link(&store, "person", erin),
            kind: LinkKind::Person,
            record_id: erin,
        }]
    );
}

#[test]
fn an_assessments_settings_seed_sittings_and_cohorts_are_covered() {
    for (label, sql, kind) in [
        (
            "pass-mark",
            "UPDATE assessments SET pass_mark_fraction = 0.0",
            LinkKind::Assessment,
        ),
        (
            "time-limit",
            "UPDATE assessments SET time_limit_secs = 999999",
            LinkKind::Assessment,
        ),
        (
            "seed",
            "UPDATE assessments SET seed_commitment = \
             '0000000000000000000000000000000000000000000000000000000000000000'",
            LinkKind::Assessment,
        ),
        (
            "release",
            "UPDATE assessments SET results_released_at = '2026-03-01T00:00:00Z'",
            LinkKind::Assessment,
        ),
        (
            "scenarios",
            "UPDATE assessment_scenarios SET scenario_id = 'easy_one'",
            LinkKind::Assessment,
        ),
        (
            "sitting",
            "UPDATE sittings SET finished_at = NULL",
            LinkKind::Sitting,
        ),
        (
            "cohort",
            "INSERT INTO cohort_members (cohort_id, person_id) \
             SELECT c.id, p.id FROM cohorts c, people p WHERE c.name = 'Spring 2026' AND p.name = 'Casey'",
            LinkKind::Cohort,
        ),
    ] {
        let (store, _, _) = exam(&TempDir::new(&format!("cover-{label}")));
        let issues = edited(&store, sql);
        assert_eq!(issues.len(), 1, "{label}: {issues:?}");
        assert!(
            matches!(&issues[0], AuditIssue::Edited { kind: k, .. } if *k == kind),
            "{label}: {issues:?}"
        );
    }
}

#[test]
fn an_attempt_keeps_its_grading_provenance_in_the_chain() {
    let dir = TempDir::new("cover-provenance");
    let (store, _, erin) = exam(&dir);
    let id = id_of(&store, "SELECT id FROM attempts");
    let record = store.attempt(&erin, id).unwrap();
    assert_eq!(
        record.rubric_hash.as_deref(),
        Some("ab".repeat(32).as_str())
    );
    assert_eq!(
        record.program_version.as_deref(),
        Some(env!("CARGO_PKG_VERSION"))
    );
    assert_eq!(
        edited(&store, "UPDATE attempts SET rubric_hash = 'cd'"),
        vec![AuditIssue::Edited {
            seq: latest_link(&store, "attempt", id),
            kind: LinkKind::Attempt,
            record_id: id,
        }]
    );
}

/// A rubric's fingerprint ignores comments and layout and changes with any value: a rubric
/// edited to pass everything is recorded under another hash.
#[test]
fn a_rubric_edited_to_pass_everything_has_another_fingerprint() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("grading/triage/adult_chest_pain.ron");
    let text = std::fs::read_to_string(&path).unwrap();
    let schemas = ehr_sim::tasks::schemas();
    let shipped = ehr_sim::grading::load_rubric(&text, "a.ron", &schemas).unwrap();
    let commented = ehr_sim::grading::load_rubric(
        &format!("// a reviewer's note\n{}", text.replace("    ", "  ")),
        "a.ron",
        &schemas,
    )
    .unwrap();
    assert_eq!(shipped.fingerprint(), commented.fingerprint());
    assert_eq!(shipped.fingerprint().len(), 64);
    let mark = format!("pass_mark_percent: {:?}", shipped.pass_mark_percent);
    assert!(text.contains(&mark), "{mark}");
    let lenient = ehr_sim::grading::load_rubric(
        &text.replace(&mark, "pass_mark_percent: 0.0"),
        "a.ron",
        &schemas,
    )
    .unwrap();
    assert_ne!(shipped.fingerprint(), lenient.fingerprint());
}

/// Writes a key pair with `assessment keygen`; returns (private, public) paths. The private
/// key is PKCS#8 version 1 (`MC4CAQAw…`: a 46-byte sequence, version 0), which OpenSSL 3 reads.
fn keygen(dir: &TempDir) -> (std::path::PathBuf, std::path::PathBuf) {
    let key = dir.file("erin.key");
    let out = bin()
        .args(["assessment", "keygen", "--out"])
        .arg(&key)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let public = dir.file("erin.key.pub");
    assert!(
        std::fs::read_to_string(&key)
            .unwrap()
            .starts_with("-----BEGIN PRIVATE KEY-----\nMC4CAQAw")
    );
    assert!(
        std::fs::read_to_string(&public)
            .unwrap()
            .starts_with("-----BEGIN PUBLIC KEY-----\n")
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key).unwrap().permissions().mode();
        assert_eq!(
            mode & 0o777,
            0o600,
            "the private key is readable only by its owner"
        );
    }
    // A key is never overwritten.
    let again = bin()
        .args(["assessment", "keygen", "--out"])
        .arg(&key)
        .output()
        .unwrap();
    assert!(!again.status.success());
    assert!(
        String::from_utf8_lossy(&again.stderr)
            .contains("already exists: a key is never overwritten"),
        "{again:?}"
    );
    (key, public)
}

fn seal(path: &std::path::Path, key: &std::path::Path) -> std::process::Output {
    bin()
        .args(["assessment", "seal", EXAM, "--as", "Erin", "--key"])
        .arg(key)
        .arg("--db")
        .arg(path)
        .env("EHR_SIM_PASSWORD", ERIN_PASSWORD)
        .output()
        .unwrap()
}

/// Replaces the file with an internally consistent chain in which Casey scored full marks:
/// what someone with the file and the program can always build (or recompute in place).
fn forge(path: &std::path::Path) {
    std::fs::remove_file(path).unwrap();
    let forged = exam_at(path, 2.0);
    assert!(forged.verify_audit().unwrap().is_clean());
}

#[test]
fn a_sealed_chain_recomputed_after_an_edit_fails_verification_with_the_public_key() {
    let dir = TempDir::new("seal");
    let (store, path, _) = exam(&dir);
    drop(store);
    let (key, public) = keygen(&dir);
    let out = seal(&path, &key);
    assert!(out.status.success(), "{out:?}");
    let printed = String::from_utf8(out.stdout).unwrap();
    assert!(
        printed.starts_with(&format!("sealed {EXAM}: ")),
        "{printed}"
    );

    // Untouched: the seal holds.
    let (code, text) = verify(&path, &["--public-key", public.to_str().unwrap()]);
    assert_eq!(code, 0, "{text}");
    assert!(
        text.contains(&format!("seal #1 of {EXAM:?} holds")),
        "{text}"
    );
    assert!(text.ends_with("audit: OK\n"), "{text}");

    // The report carries the seal.
    let mut store = Store::open(&path).unwrap();
    let erin = store.sign_in("Erin", Some(ERIN_PASSWORD)).unwrap();
    let report =
        ehr_sim::report::AssessmentReport::load(&store, &erin, EXAM, &at("2026-03-02T00:00:00Z"))
            .unwrap();
    assert_eq!(report.seals.len(), 1);
    assert_eq!(report.seals[0].signature.len(), 128);
    assert!(report.to_html().contains(&report.seals[0].public_key));
    let sealed = store.seals(None).unwrap();
    drop(store);

    // Forge: a fresh, internally consistent chain, with the old seal row copied over. Without
    // the key, `verify` cannot tell; with it, the sealed head is gone.
    forge(&path);
    let forged = Store::open(&path).unwrap();
    forged
        .raw_connection()
        .unwrap()
        .execute(
            "INSERT INTO seals (assessment_id, links, head, public_key, signature, sealed_by, sealed_at) \
             VALUES (1, ?1, ?2, ?3, ?4, 1, ?5)",
            rusqlite::params![
                sealed[0].links as i64,
                sealed[0].head,
                sealed[0].public_key,
                sealed[0].signature,
                sealed[0].sealed_at
            ],
        )
        .unwrap();
    drop(forged);
    let (code, text) = verify(&path, &[]);
    assert_eq!(
        code, 0,
        "a recomputed chain is consistent without the key: {text}"
    );
    let (code, text) = verify(&path, &["--public-key", public.to_str().unwrap()]);
    assert_eq!(code, 1, "{text}");
    assert!(
        text.contains("the chain was recomputed after an edit")
            || text.contains("links were deleted"),
        "{text}"
    );

    // Pointing the seal at the forged head breaks its signature.
    let forged = Store::open(&path).unwrap();
    let head = forged.audit_head().unwrap();
    let links = forged.verify_audit().unwrap().links as i64;
    forged
        .raw_connection()
        .unwrap()
        .execute(
            "UPDATE seals SET head = ?1, links = ?2",
            rusqlite::params![head, links],
        )
        .unwrap();
    drop(forged);
    let (code, text) = verify(&path, &["--public-key", public.to_str().unwrap()]);
    assert_eq!(code, 1, "{text}");
    assert!(
        text.contains("the signature does not match what it claims to seal"),
        "{text}"
    );

    // Removing the seals: nothing made with the key is left.
    Store::open(&path)
        .unwrap()
        .raw_connection()
        .unwrap()
        .execute("DELETE FROM seals", [])
        .unwrap();
    let (code, text) = verify(&path, &["--public-key", public.to_str().unwrap()]);
    assert_eq!(code, 1, "{text}");
    assert!(
        text.contains("no seal in this database was made with public key"),
        "{text}"
    );
}

#[test]
fn a_tampered_chain_is_not_sealed_and_a_bad_key_file_is_explained() {
    let dir = TempDir::new("seal-refused");
    let (store, path, _) = exam(&dir);
    store
        .raw_connection()
        .unwrap()
        .execute("UPDATE attempts SET score = 2.0", [])
        .unwrap();
    drop(store);
    let (key, _) = keygen(&dir);
    let out = seal(&path, &key);
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("it does not verify, so it cannot be sealed: edited: attempt"),
        "{err}"
    );

    let junk = dir.file("junk.pem");
    std::fs::write(&junk, "not a key").unwrap();
    let out = seal(&path, &junk);
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("junk.pem"), "{err}");
    assert!(err.contains("ehr-sim assessment keygen"), "{err}");
    let (code, text) = verify(&path, &["--public-key", junk.to_str().unwrap()]);
    assert_ne!(code, 0);
    assert!(text.contains("junk.pem"), "{text}");
}
