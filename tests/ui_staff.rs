//! The instructor and employer screens driven headlessly with egui_kittest on an in-memory
//! store: sign-in gates, first-run setup, the scenario studio (diagnostics, key preview, dry
//! run) and the gradebook override.

#![allow(
    clippy::wildcard_enum_match_arm,
    reason = "a test expects one screen or task kind; any other one, present or future, fails it"
)]

use chrono::{TimeZone, Utc};
use egui::accesskit::Role as AxRole;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use ehr_sim::library::ContentRoot;
use ehr_sim::store::{FindingRecord, Mode, NewAttempt, Role, Store};
use ehr_sim::ui::app::{EhrApp, Screen};
use ehr_sim::ui::staff::{Notice, StaffState};

const INSTRUCTOR: &str = "Dr Grey";
const INSTRUCTOR_PW: &str = "correct-horse";
const STUDENT: &str = "Sam Student";
const STUDENT_PW: &str = "student-pass";
const SCENARIO: &str = "office_htn_diabetes_followup";
const SCENARIO_TITLE: &str = "Office follow-up: hypertension and type 2 diabetes";

fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 4, 10, 0, 0).single().unwrap()
}

/// A store with an instructor and a student (each with a password).
fn seeded_store() -> Store {
    let mut store = Store::open_in_memory().unwrap();
    let boss = store
        .create_person(
            None,
            INSTRUCTOR,
            Role::Instructor,
            Some(INSTRUCTOR_PW),
            &now(),
        )
        .unwrap();
    store
        .create_person(
            Some(&boss),
            STUDENT,
            Role::Student,
            Some(STUDENT_PW),
            &now(),
        )
        .unwrap();
    store
}

fn harness_at(root: ContentRoot, store: Store) -> Harness<'static, EhrApp> {
    super::ui::harness_at(root, Ok(store))
}

fn harness(store: Store) -> Harness<'static, EhrApp> {
    harness_at(ContentRoot::at(env!("CARGO_MANIFEST_DIR")), store)
}

fn staff(h: &Harness<'_, EhrApp>) -> StaffState {
    match &h.state().state.screen {
        Screen::Staff(s) => (**s).clone(),
        other => panic!("not on the staff screen: {other:?}"),
    }
}

fn type_into(h: &mut Harness<'_, EhrApp>, label: &str, text: &str) {
    h.get_by_role_and_label(AxRole::TextInput, label).click();
    h.run();
    h.get_by_role_and_label(AxRole::TextInput, label)
        .type_text(text);
    h.run();
}

fn sign_in(h: &mut Harness<'_, EhrApp>, name: &str, password: &str) {
    h.get_by_label("Staff").click();
    h.run();
    type_into(h, "Staff name", name);
    type_into(h, "Password", password);
    h.get_by_label("Sign in").click();
    h.run();
}

#[test]
fn a_student_cannot_reach_the_instructor_screens() {
    let mut h = harness(seeded_store());
    h.run();
    sign_in(&mut h, STUDENT, STUDENT_PW);
    assert!(h.state().state.staff_session.is_none());
    h.get_by_label_contains("only instructors and employer admins may open these screens");
    assert!(h.query_by_label("Gradebook").is_none());
    assert!(h.query_by_label("Scenario studio").is_none());
    // The typed password is not kept.
    assert_eq!(staff(&h).password, "");
}

#[test]
fn a_wrong_password_is_refused_then_the_right_one_signs_in() {
    let mut h = harness(seeded_store());
    h.run();
    sign_in(&mut h, INSTRUCTOR, "not-the-password");
    assert!(h.state().state.staff_session.is_none());
    h.get_by_label(
        "Sign-in refused: sign-in failed for \"Dr Grey\": unknown name or wrong password.",
    );
    assert!(h.query_by_label("Gradebook").is_none());
    type_into(&mut h, "Password", INSTRUCTOR_PW);
    h.get_by_label("Sign in").click();
    h.run();
    let session = h.state().state.staff_session.clone().unwrap();
    assert_eq!(session.name(), INSTRUCTOR);
    assert_eq!(session.role(), Role::Instructor);
    h.get_by_label("Gradebook");
    h.get_by_label("Signed in: Dr Grey · Instructor");
    h.get_by_label("Sign out").click();
    h.run();
    assert!(h.state().state.staff_session.is_none());
    h.get_by_label("Instructor and employer sign-in");
}

#[test]
fn first_run_creates_the_instructor_account() {
    let mut h = harness(Store::open_in_memory().unwrap());
    h.run();
    h.get_by_label("Staff").click();
    h.run();
    h.run();
    h.get_by_label("First run: create the instructor account");
    type_into(&mut h, "Staff name", "Ada Admin");
    type_into(&mut h, "Password", "short");
    h.get_by_label("Create instructor account").click();
    h.run();
    assert!(h.state().state.staff_session.is_none());
    h.get_by_label("Could not create the account: invalid password: use at least 8 characters.");
    type_into(&mut h, "Password", "long-enough-1");
    h.get_by_label("Create instructor account").click();
    h.run();
    let session = h.state().state.staff_session.clone().unwrap();
    assert_eq!(session.name(), "Ada Admin");
    assert_eq!(session.role(), Role::Instructor);
    let store = h.state_mut().state.store.as_mut().unwrap();
    assert!(store.has_privileged_account().unwrap());
    assert!(store.sign_in("Ada Admin", Some("long-enough-1")).is_ok());
}

/// A content folder with one good scenario, the shipped rubrics, and one broken scenario.
fn temp_content(tag: &str) -> std::path::PathBuf {
    let manifest = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = std::env::temp_dir().join(format!("ehr-sim-ui-staff-{tag}-{}", std::process::id()));
    super::ui::remove_stale_dir(&dir);
    std::fs::create_dir_all(dir.join("scenarios/charting")).unwrap();
    std::fs::create_dir_all(dir.join("grading/charting")).unwrap();
    for f in ["office_visit.ron", "transcription.ron"] {
        std::fs::copy(
            manifest.join("grading/charting").join(f),
            dir.join("grading/charting").join(f),
        )
        .unwrap();
    }
    std::fs::copy(
        manifest.join("scenarios/charting/office_htn_diabetes_followup.ron"),
        dir.join("scenarios/charting/office_htn_diabetes_followup.ron"),
    )
    .unwrap();
    std::fs::copy(
        manifest.join("tests/fixtures/invalid/bad_date.ron"),
        dir.join("scenarios/charting/bad_date.ron"),
    )
    .unwrap();
    dir
}

#[test]
fn studio_shows_diagnostics_previews_the_key_and_dry_runs_it_at_100_percent() {
    let dir = temp_content("studio");
    let mut h = harness_at(ContentRoot::at(&dir), seeded_store());
    h.run();
    sign_in(&mut h, INSTRUCTOR, INSTRUCTOR_PW);
    h.run();
    // The broken file's diagnostic, with file and line.
    let s = staff(&h);
    let bad: Vec<_> = s
        .studio
        .diagnostics
        .iter()
        .filter(|d| d.file.ends_with("bad_date.ron"))
        .collect();
    assert!(!bad.is_empty(), "{:?}", s.studio.diagnostics);
    h.get_by_label_contains("error: scenarios/charting/bad_date.ron");
    h.get_by_label_contains("files checked: ");

    // A new broken file is picked up on "Re-check".
    std::fs::copy(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/invalid/bad_code.ron"),
        dir.join("scenarios/charting/bad_code.ron"),
    )
    .unwrap();
    h.get_by_label("Re-check").click();
    h.run();
    assert!(
        staff(&h)
            .studio
            .diagnostics
            .iter()
            .any(|d| d.file.ends_with("bad_code.ron"))
    );

    // Preview the key.
    h.get_by_label(&format!("Preview {SCENARIO}")).click();
    h.run();
    h.get_by_label("Answer key").click();
    h.run();
    let key_ron = staff(&h).studio.preview.unwrap().key_ron;
    assert!(key_ron.contains("assessment"), "{key_ron}");
    h.get_by_label(&key_ron);

    // Dry run of the key: 100%.
    h.get_by_label("Grade the answer key").click();
    h.run();
    let run = staff(&h).studio.dry_run.unwrap();
    let report = run.result.unwrap();
    assert!((report.percent - 100.0).abs() < 1e-9, "{report:?}");
    assert!(report.passed);
    h.get_by_label_contains("Dry run of the answer key:");

    // A typed answer: the key itself, then a broken one.
    h.get_by_label("Start from the key").click();
    h.run();
    h.get_by_label("Grade the typed answer").click();
    h.run();
    let report = staff(&h).studio.dry_run.unwrap().result.unwrap();
    assert!((report.percent - 100.0).abs() < 1e-9);
    std::fs::remove_dir_all(&dir).unwrap();
}

fn store_with_attempt() -> (Store, i64) {
    let mut store = seeded_store();
    let learner = store.person_by_name(STUDENT).unwrap();
    let id = store
        .record_attempt(&NewAttempt {
            learner_id: learner.id,
            scenario_id: SCENARIO.to_string(),
            scenario_version_hash: "0123456789abcdef".to_string(),
            seed: 7,
            mode: Mode::Practice,
            sitting_id: None,
            started_at: now(),
            submitted_at: now() + chrono::Duration::minutes(20),
            duration_secs: 1200,
            score: 6.0,
            max: 10.0,
            passed: false,
            competencies: vec!["documentation".to_string()],
            findings: vec![FindingRecord {
                criterion_id: "bp_recorded".to_string(),
                points: 6.0,
                max: 10.0,
                outcome: "partial".to_string(),
                feedback: "close".to_string(),
                rule: "record the BP".to_string(),
                expected: "148/92".to_string(),
                given: "148/90".to_string(),
                title: "Blood pressure recorded".to_string(),
                section: String::new(),
            }],
            criticals: Vec::new(),
            rubric_hash: None,
        })
        .unwrap();
    (store, id)
}

#[test]
fn gradebook_override_requires_a_comment() {
    let (store, id) = store_with_attempt();
    let mut h = harness(store);
    h.run();
    sign_in(&mut h, INSTRUCTOR, INSTRUCTOR_PW);
    h.get_by_label("Gradebook").click();
    h.run();
    h.get_by_label(&format!("Open {STUDENT} on {SCENARIO_TITLE}"))
        .click();
    h.run();
    assert_eq!(staff(&h).gradebook.attempt.as_ref().unwrap().id, id);
    h.get_by_label_contains("Attempt #");
    // No comment: refused, nothing stored.
    assert_eq!(staff(&h).gradebook.override_score, "6.00");
    h.get_by_role_and_label(AxRole::TextInput, "New score")
        .click();
    h.run();
    h.key_press(egui::Key::End);
    for _ in 0..4 {
        h.key_press(egui::Key::Backspace);
    }
    h.run();
    h.get_by_role_and_label(AxRole::TextInput, "New score")
        .type_text("8");
    h.run();
    assert_eq!(staff(&h).gradebook.override_score, "8");
    h.get_by_label("Override score").click();
    h.run();
    let expected = "Write a comment saying why the score is overridden, then press Override score.";
    assert_eq!(staff(&h).notice, Some(Notice::Failed(expected.to_string())));
    h.get_by_label(expected);
    {
        let store = h.state_mut().state.store.as_mut().unwrap();
        let session = store.sign_in(INSTRUCTOR, Some(INSTRUCTOR_PW)).unwrap();
        assert!(store.attempt(&session, id).unwrap().overrides.is_empty());
    }
    // With a comment: stored.
    type_into(&mut h, "Comment", "BP transcribed from the wrong reading");
    h.get_by_label("Override score").click();
    h.run();
    let store = h.state_mut().state.store.as_mut().unwrap();
    let session = store.sign_in(INSTRUCTOR, Some(INSTRUCTOR_PW)).unwrap();
    let a = store.attempt(&session, id).unwrap();
    assert_eq!(a.overrides.len(), 1);
    assert_eq!(
        a.overrides[0].comment,
        "BP transcribed from the wrong reading"
    );
    assert!((a.effective_score - 8.0).abs() < 1e-9);
    h.get_by_label_contains("BP transcribed from the wrong reading");

    // Export the gradebook as CSV to a typed path.
    let path = std::env::temp_dir().join(format!("ehr-sim-gradebook-{}.csv", std::process::id()));
    let field = "Export to file";
    h.get_by_role_and_label(AxRole::TextInput, field).click();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.key_press(egui::Key::Backspace);
    h.run();
    h.get_by_role_and_label(AxRole::TextInput, field)
        .type_text(&path.display().to_string());
    h.run();
    h.get_by_role_and_label(AxRole::Button, "Export").click();
    h.run_steps(2);
    // The export runs on a background thread; step frames until it reports the path.
    let done = format!("Exported to {}", path.display());
    for _ in 0..500 {
        if h.query_by_label(&done).is_some() {
            break;
        }
        h.step();
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    h.get_by_label(&done);
    let csv = std::fs::read_to_string(&path).unwrap();
    assert!(csv.contains(STUDENT), "{csv}");
    std::fs::remove_file(&path).unwrap();
}

#[test]
fn people_and_cohorts_are_managed_from_the_people_screen() {
    let mut h = harness(seeded_store());
    h.run();
    sign_in(&mut h, INSTRUCTOR, INSTRUCTOR_PW);
    h.get_by_label("People and cohorts").click();
    h.run();
    type_into(&mut h, "Name", "Kim Learner");
    h.get_by_label("Add person").click();
    h.run();
    h.get_by_label("Added Kim Learner (Student)");
    type_into(&mut h, "New cohort", "Spring 2026");
    h.get_by_label("Create cohort").click();
    h.run();
    // Creating a cohort fills it in as the cohort to add members to.
    assert_eq!(staff(&h).people.member_cohort, "Spring 2026");
    type_into(&mut h, "Person", "Kim Learner");
    h.get_by_label("Add to cohort").click();
    h.run();
    h.get_by_label("Added Kim Learner to Spring 2026");
    let store = h.state().state.store.as_ref().unwrap();
    let cohorts = store.list_cohorts().unwrap();
    assert_eq!(cohorts.len(), 1);
    assert_eq!(cohorts[0].members, vec!["Kim Learner".to_string()]);
    assert_eq!(
        store.person_by_name("Kim Learner").unwrap().role,
        Role::Student
    );
}

#[test]
fn an_assessment_is_built_candidates_registered_and_the_report_written() {
    let mut h = harness(seeded_store());
    h.run();
    sign_in(&mut h, INSTRUCTOR, INSTRUCTOR_PW);
    h.get_by_label("Assessments").click();
    h.run();
    type_into(&mut h, "Assessment name", "Coder screen");
    h.get_by_label_contains(&format!("{SCENARIO_TITLE} ("))
        .click();
    h.run();
    h.get_by_label("Create assessment").click();
    h.run();
    h.get_by_label("Created assessment Coder screen");
    let open = staff(&h).assessments.open.unwrap();
    assert_eq!(open.scenario_ids, vec![SCENARIO.to_string()]);
    assert_eq!(open.time_limit_secs, 3600);
    assert!((open.pass_mark_fraction - 0.7).abs() < 1e-9);
    type_into(&mut h, "Candidate name", "Casey Candidate");
    h.get_by_label("Register candidate").click();
    h.run();
    h.get_by_label(
        "Registered Casey Candidate for Coder screen: their access code is shown once below",
    );
    assert_eq!(
        staff(&h).assessments.registered,
        vec!["Casey Candidate".to_string()]
    );
    // The access code is shown once, and signs the candidate in.
    let (who, code) = staff(&h).assessments.issued_code.unwrap();
    assert_eq!(who, "Casey Candidate");
    h.get_by_label("Access code for Casey Candidate");
    h.get_by_label(&code);
    let store = h.state_mut().state.store.as_mut().unwrap();
    assert!(store.sign_in("Casey Candidate", Some(&code)).is_ok());
    h.get_by_label("Hide code").click();
    h.run();
    assert!(h.query_by_label(&code).is_none(), "hidden, and never kept");
    assert_eq!(staff(&h).assessments.issued_code, None);
    // A new code replaces it.
    h.get_by_label("New access code for Casey Candidate")
        .click();
    h.run();
    let (_, fresh) = staff(&h).assessments.issued_code.unwrap();
    assert_ne!(fresh, code);
    let store = h.state_mut().state.store.as_mut().unwrap();
    assert!(store.sign_in("Casey Candidate", Some(&code)).is_err());
    assert!(store.sign_in("Casey Candidate", Some(&fresh)).is_ok());
    // An instructor cannot release the results: that is the employer's.
    h.get_by_label("Release results").click();
    h.run();
    assert_eq!(
        staff(&h).assessments.open.unwrap().results_released_at,
        None
    );
    // The master seed defaults to a random one, not a guessable 1.
    let master = staff(&h).assessments.open_seed.unwrap().unwrap();
    assert!(master > 1 << 20, "{master}");
    let seed = ehr_sim::store::derive_candidate_seed(master, SCENARIO, "Casey Candidate");
    h.get_by_label(&seed.to_string());
    h.get_by_label_contains("Audit chain intact:");
    // Seal with a private key file; check with the public one.
    h.get_by_label_contains("Not sealed.");
    let (private_pem, public_pem) = ehr_sim::store::seal::generate_key_pair().unwrap();
    let stem = std::env::temp_dir().join(format!("ehr-sim-seal-{}", std::process::id()));
    let (private_key, public_key) = (stem.with_extension("key"), stem.with_extension("pub"));
    std::fs::write(&private_key, private_pem).unwrap();
    std::fs::write(&public_key, public_pem).unwrap();
    type_into(
        &mut h,
        "Private key file",
        &private_key.display().to_string(),
    );
    h.get_by_label("Seal").click();
    h.run();
    h.get_by_label_contains("Sealed Coder screen over ");
    let seals = staff(&h).assessments.seals;
    assert_eq!(seals.len(), 1);
    h.get_by_label_contains(&format!("by {INSTRUCTOR} over {} links", seals[0].links));
    type_into(&mut h, "Public key file", &public_key.display().to_string());
    h.get_by_label("Check seals").click();
    h.run();
    h.get_by_label("Every seal made with this key holds (1)");
    std::fs::remove_file(&private_key).unwrap();
    std::fs::remove_file(&public_key).unwrap();
    let path = std::env::temp_dir().join(format!("ehr-sim-report-{}.html", std::process::id()));
    let field = "Report file (HTML)";
    // Below the seals: scrolled into view as a person would.
    h.get_by_role_and_label(AxRole::TextInput, field)
        .scroll_to_me();
    h.run();
    h.get_by_role_and_label(AxRole::TextInput, field).click();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.key_press(egui::Key::Backspace);
    h.run();
    h.get_by_role_and_label(AxRole::TextInput, field)
        .type_text(&path.display().to_string());
    h.run();
    h.get_by_label("Write report").click();
    h.run();
    let html = std::fs::read_to_string(&path).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<h1>Coder screen</h1>"));
    assert!(html.contains("synthetic patients — not real"));
    assert!(html.contains("Audit chain intact"));
    assert!(
        html.contains(&seals[0].public_key),
        "the report carries the seal"
    );
    assert!(html.contains(&seals[0].signature));
    std::fs::remove_file(&path).unwrap();
}

#[test]
fn assessment_results_show_per_candidate_and_per_competency() {
    let mut store = seeded_store();
    let boss = store.sign_in(INSTRUCTOR, Some(INSTRUCTOR_PW)).unwrap();
    store
        .create_person(
            Some(&boss),
            "Casey Candidate",
            Role::Candidate,
            None,
            &now(),
        )
        .unwrap();
    store
        .create_assessment(
            &boss,
            &ehr_sim::store::NewAssessment {
                name: "Coder screen".to_string(),
                scenario_ids: vec![SCENARIO.to_string()],
                time_limit_secs: 3600,
                pass_mark_fraction: 0.7,
                master_seed: 1,
                show_drg: false,
            },
            &now(),
        )
        .unwrap();
    let sitting = store
        .start_sitting(&boss, "Coder screen", "Casey Candidate", &now())
        .unwrap();
    let casey = store.person_by_name("Casey Candidate").unwrap();
    store
        .record_attempt(&NewAttempt {
            learner_id: casey.id,
            scenario_id: SCENARIO.to_string(),
            scenario_version_hash: "0123456789abcdef".to_string(),
            seed: sitting.seeds[0].1,
            mode: Mode::Assessment,
            sitting_id: Some(sitting.id),
            started_at: now(),
            submitted_at: now() + chrono::Duration::minutes(20),
            duration_secs: 1200,
            score: 8.0,
            max: 10.0,
            passed: true,
            competencies: vec!["vital_signs".to_string()],
            findings: Vec::new(),
            criticals: Vec::new(),
            rubric_hash: None,
        })
        .unwrap();
    store
        .finish_sitting(&boss, sitting.id, &(now() + chrono::Duration::minutes(21)))
        .unwrap();
    let mut h = harness(store);
    h.run();
    sign_in(&mut h, INSTRUCTOR, INSTRUCTOR_PW);
    h.get_by_label("Assessments").click();
    h.run();
    h.get_by_label("Coder screen").click();
    h.run();
    // Once per candidate, once for the competency.
    assert_eq!(h.get_all_by_label("8.00 / 10.00 (80.0%)").count(), 2);
    h.get_by_label("PASS");
    h.get_by_label("vital_signs");
    let s = staff(&h).assessments;
    assert_eq!(s.results.len(), 1);
    assert!(s.results[0].passed);
    assert_eq!(s.competencies.len(), 1);
    assert_eq!(s.competencies[0].candidate, "Casey Candidate");
    assert!((s.competencies[0].score - 8.0).abs() < 1e-9);
    assert!(s.audit.as_ref().unwrap().is_clean());
}

/// The studio's editor: the scenario file with live checks marked at line and column, a
/// preview and dry run from the edited text before saving, and Save with a backup.
#[test]
fn the_studio_edits_a_scenario_checks_it_live_and_saves_it_with_a_backup() {
    use ehr_sim::ui::app::Command;
    use ehr_sim::ui::staff::{EditorCommand, StaffCommand};
    let dir = temp_content("editor");
    let file = dir.join("scenarios/charting/office_htn_diabetes_followup.ron");
    let original = std::fs::read_to_string(&file).unwrap();
    let mut h = harness_at(ContentRoot::at(&dir), seeded_store());
    h.run();
    sign_in(&mut h, INSTRUCTOR, INSTRUCTOR_PW);
    h.get_by_label(&format!("Preview {SCENARIO}")).click();
    h.run();
    h.get_by_label("Edit scenario").click();
    h.run();
    let e = staff(&h).studio.editor.unwrap();
    assert_eq!(e.text, original);
    assert_eq!(e.errors(), 0, "{:?}", e.diagnostics);
    assert!(!e.dirty());
    h.get_by_label("No problems");
    // One row per line, level with the line numbers: long lines do not wrap.
    let text = h.get_by_label("Scenario text (RON)").rect();
    let numbers = h.get_by_label("Line numbers").rect();
    let lines = original.split('\n').count() as f32;
    let row = numbers.height() / lines;
    assert!(
        (text.height() - numbers.height()).abs() < 2.0 * row,
        "text {text:?} vs line numbers {numbers:?} for {lines} lines"
    );

    // Typing a stray word breaks it: the problem is marked at its line and column.
    // (The editor is taller than its scroll area: focus it as a screen reader would.)
    h.get_by_label("Scenario text (RON)").focus();
    h.run();
    assert!(h.get_by_label("Scenario text (RON)").is_focused());
    h.get_by_label("Scenario text (RON)").type_text(" @@@ ");
    h.run();
    let e = staff(&h).studio.editor.unwrap();
    assert!(e.dirty());
    assert!(e.text.contains(" @@@ "), "typed text lands in the editor");
    let error = e
        .diagnostics
        .iter()
        .find(|d| d.is_error())
        .expect("a parse error")
        .clone();
    let (line, col) = error.position.expect("placed at a line and column");
    h.get_by_label_contains("1 error(s)");
    h.get_by_label(&format!("Go to line {line}, column {col}"))
        .click();
    h.run();
    h.run();
    assert_eq!(staff(&h).studio.editor.unwrap().goto, None);
    // Revert drops the edit.
    h.get_by_label("Revert").click();
    h.run();
    let e = staff(&h).studio.editor.unwrap();
    assert_eq!(e.text, original);
    assert_eq!(e.errors(), 0);

    // A validation problem (not a parse error) is placed at its item too.
    let bad = original.replacen("estimated_minutes:", "estimated_minutes: 0, //", 1);
    h.state_mut().state.apply(
        Command::Staff(StaffCommand::Editor(EditorCommand::Text(bad))),
        None,
        now(),
    );
    h.run();
    let e = staff(&h).studio.editor.unwrap();
    let minutes = e
        .diagnostics
        .iter()
        .find(|d| d.item.as_deref() == Some("estimated_minutes"))
        .expect("a problem with estimated_minutes");
    let (line, _) = minutes.position.expect("located");
    let expected_line = original
        .lines()
        .position(|l| l.contains("estimated_minutes:"))
        .unwrap()
        + 1;
    assert_eq!(line as usize, expected_line);

    // A valid edit, previewed and dry-run before saving.
    let edited = original.replacen(
        "Office follow-up: hypertension and type 2 diabetes",
        "Office follow-up: hypertension and type 2 diabetes (edited)",
        1,
    );
    h.state_mut().state.apply(
        Command::Staff(StaffCommand::Editor(EditorCommand::Text(edited.clone()))),
        None,
        now(),
    );
    h.run();
    h.get_by_label("Preview a patient").click();
    h.run();
    let s = staff(&h).studio;
    assert!(s.preview_from_editor);
    h.get_by_label("from the edited text (not saved)");
    h.get_by_label("Grade the answer key").click();
    h.run();
    let report = staff(&h).studio.dry_run.unwrap().result.unwrap();
    assert!((report.percent - 100.0).abs() < 1e-9, "{report:?}");
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        original,
        "not saved yet"
    );

    // Save: the file holds the edit, the backup the previous version.
    h.get_by_label("Save").click();
    h.run();
    assert_eq!(std::fs::read_to_string(&file).unwrap(), edited);
    let backup = ehr_sim::ui::staff::backup_path(&file);
    assert_eq!(std::fs::read_to_string(&backup).unwrap(), original);
    assert!(!staff(&h).studio.editor.unwrap().dirty());
    match staff(&h).notice {
        Some(Notice::Done(m)) => assert!(m.starts_with("Saved "), "{m}"),
        other => panic!("no saved notice: {other:?}"),
    }
    assert!(
        h.state()
            .state
            .scenarios
            .iter()
            .any(|s| s.scenario.title.ends_with("(edited)")),
        "the catalog reloads the saved scenario"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
