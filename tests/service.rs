//! The service layer's rules, which the app and the CLI share: the library keeps out what the
//! catalog must not offer, and registering a candidate is one transaction.

use std::path::Path;

use chrono::{DateTime, Utc};
use ehr_sim::library::ContentRoot;
use ehr_sim::service::assessments::{cohort_name, create, register_candidate};
use ehr_sim::service::library::Library;
use ehr_sim::store::{NewAssessment, Role, Session, Store, StoreError};

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-03-01T09:00:00Z")
        .expect("timestamp")
        .with_timezone(&Utc)
}

fn employer(store: &mut Store) -> Session {
    store
        .create_person(
            None,
            "Erin Employer",
            Role::EmployerAdmin,
            Some("correct horse battery"),
            &now(),
        )
        .expect("first employer")
}

fn exam(store: &mut Store, session: &Session) {
    let new = NewAssessment {
        name: "Exam1".to_string(),
        scenario_ids: vec!["outpatient_diabetes_ckd".to_string()],
        time_limit_secs: 3600,
        pass_mark_fraction: 0.8,
        master_seed: 11,
        show_drg: false,
    };
    let stored = create(store, session, &new, &now()).expect("assessment");
    assert_eq!(stored.name, "Exam1");
}

fn members(store: &Store, cohort: &str) -> Vec<String> {
    store
        .list_cohorts()
        .expect("cohorts")
        .into_iter()
        .find(|c| c.name == cohort)
        .map(|c| c.members)
        .unwrap_or_default()
}

#[test]
fn creating_an_assessment_creates_its_candidates_cohort() {
    let mut store = Store::open_in_memory().expect("store");
    let session = employer(&mut store);
    exam(&mut store, &session);
    assert_eq!(cohort_name("Exam1"), "Exam1 candidates");
    let cohorts = store.list_cohorts().expect("cohorts");
    assert!(
        cohorts.iter().any(|c| c.name == "Exam1 candidates"),
        "{cohorts:?}"
    );
}

#[test]
fn registering_a_candidate_creates_them_and_adds_them_to_the_cohort_once() {
    let mut store = Store::open_in_memory().expect("store");
    let session = employer(&mut store);
    exam(&mut store, &session);
    let created = register_candidate(&mut store, &session, "Exam1", "  Cara Candidate ", &now())
        .expect("register");
    assert!(created.created, "a new person is created");
    let code = created.access_code.expect("with an access code");
    let cara = store.person_by_name("Cara Candidate").expect("stored");
    assert_eq!(cara.role, Role::Candidate);
    assert!(
        cara.has_password,
        "the code's hash is stored with the candidate"
    );
    assert!(store.sign_in("Cara Candidate", Some(&code)).is_ok());
    assert_eq!(members(&store, "Exam1 candidates"), vec!["Cara Candidate"]);
    // Again: nothing new, still one membership.
    let again = register_candidate(&mut store, &session, "Exam1", "Cara Candidate", &now())
        .expect("register again");
    assert!(!again.created);
    assert_eq!(again.access_code, None, "the code issued before is kept");
    assert_eq!(members(&store, "Exam1 candidates"), vec!["Cara Candidate"]);
}

#[test]
fn a_refused_registration_writes_nothing() {
    let mut store = Store::open_in_memory().expect("store");
    let session = employer(&mut store);
    exam(&mut store, &session);
    store
        .create_person(
            Some(&session),
            "Ivan Instructor",
            Role::Instructor,
            Some("another good password"),
            &now(),
        )
        .expect("instructor");
    let err = register_candidate(&mut store, &session, "Exam1", "Ivan Instructor", &now())
        .expect_err("an instructor is not a candidate");
    assert!(
        matches!(&err, StoreError::Invalid { message, .. } if message.contains("register a candidate or student")),
        "{err}"
    );
    assert!(members(&store, "Exam1 candidates").is_empty());
    // An unknown assessment creates no person.
    let err = register_candidate(&mut store, &session, "No such exam", "Nora New", &now())
        .expect_err("unknown assessment");
    assert!(matches!(err, StoreError::NotFound { .. }), "{err}");
    assert!(store.person_by_name("Nora New").is_err());
    // A student cannot register anyone.
    let student = store
        .create_person(Some(&session), "Sam Student", Role::Student, None, &now())
        .expect("student");
    let err = register_candidate(&mut store, &student, "Exam1", "Cara Candidate", &now())
        .expect_err("students cannot register");
    assert!(matches!(err, StoreError::PermissionDenied { .. }), "{err}");
    assert!(store.person_by_name("Cara Candidate").is_err());
}

/// Copies a folder tree (shared with the case-bank tests).
pub(crate) fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read dir").flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

#[test]
fn the_library_keeps_out_a_wrong_kind_rubric_and_a_duplicate_id() {
    let dir = tempfile::tempdir().expect("temp dir");
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR"));
    copy_dir(&shipped.join("grading"), &dir.path().join("grading"));
    let scenarios = dir.path().join("scenarios/coding");
    std::fs::create_dir_all(&scenarios).expect("mkdir");
    let text =
        std::fs::read_to_string(shipped.join("scenarios/coding/outpatient_diabetes_ckd.ron"))
            .expect("scenario");
    std::fs::write(scenarios.join("good.ron"), &text).expect("write");
    // A coding scenario graded by a triage rubric.
    let wrong = text
        .replace("id: \"outpatient_diabetes_ckd\"", "id: \"wrong_rubric\"")
        .replace(
            "rubric: \"coding/diagnosis_codes.ron\"",
            "rubric: \"triage/adult_chest_pain.ron\"",
        );
    assert_ne!(wrong, text);
    std::fs::write(scenarios.join("wrong.ron"), wrong).expect("write");
    // Two files with one id.
    let twin = text.replace("title: \"", "title: \"Twin of ");
    std::fs::write(scenarios.join("twin.ron"), twin).expect("write");

    let library = Library::load(&ContentRoot::at(dir.path()));
    let ids: Vec<&str> = library
        .scenarios
        .iter()
        .map(|s| s.scenario.id.as_str())
        .collect();
    assert!(ids.is_empty(), "nothing usable is offered: {ids:?}");
    let problems: Vec<String> = library.problems.iter().map(ToString::to_string).collect();
    assert!(
        problems.iter().any(|p| p.contains("wrong.ron")
            && p.contains("rubric `triage/adult_chest_pain.ron` grades Triage tasks")),
        "{problems:#?}"
    );
    assert!(
        problems
            .iter()
            .any(|p| p.contains("outpatient_diabetes_ckd")),
        "the duplicate id is reported: {problems:#?}"
    );
}
