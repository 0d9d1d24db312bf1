//! Assessment integrity in the desktop app, driven as a person would: candidates sign in with
//! their access code (they are not listed to click), student profiles may carry a PIN, results
//! stay hidden from the candidate until released, and practice of the assessment's scenarios is
//! closed during the sitting.

#![allow(
    clippy::wildcard_enum_match_arm,
    reason = "a test expects one screen; any other one, present or future, fails it"
)]

use egui_kittest::kittest::Queryable;
use ehr_sim::ui::app::{Command, Screen};

use crate::ui::{CASEY_CODE, candidate_registered, candidate_sign_in, candidate_sitting, harness};

const EXAM: &str = "Coding check";
const SCENARIO: &str = "outpatient_diabetes_ckd";

#[test]
fn a_candidate_is_not_listed_and_signs_in_only_with_the_access_code() {
    let mut h = candidate_registered(EXAM, &[SCENARIO]);
    h.run();
    assert!(
        h.query_by_label("Profile Casey Candidate").is_none(),
        "candidates are not listed for anyone to click"
    );
    candidate_sign_in(&mut h, "Casey Candidate", "WRON-GCOD-E999");
    assert!(h.state().state.profile.is_none());
    assert_eq!(
        h.state().state.status,
        "The name or access code is not right: check both, or ask the employer for a new code"
    );
    assert_eq!(
        h.state().state.sign_in.candidate_code,
        "",
        "a tried code is not kept"
    );
    // Typed in lower case without dashes: the same code.
    let loose = CASEY_CODE.to_lowercase().replace('-', "");
    assert_eq!(
        h.state().state.sign_in.candidate_name,
        "Casey Candidate",
        "the name stays"
    );
    h.get_by_label("Access code").click();
    h.run();
    h.get_by_label("Access code").type_text(&loose);
    h.run();
    h.key_press(egui::Key::Enter);
    h.run();
    let profile = h.state().state.profile.clone().expect("signed in");
    assert_eq!(profile.name(), "Casey Candidate");
    h.get_by_label("Candidate: Casey Candidate");
    h.get_by_label(&format!("Start: {EXAM}"));
}

#[test]
fn a_student_profile_with_a_pin_asks_for_it() {
    let mut h = harness();
    h.run();
    h.get_by_label("none yet: create one below");
    h.get_by_label("New profile name").click();
    h.get_by_label("New profile name").type_text("Pat Student");
    h.run();
    h.get_by_label("PIN or password (optional)").click();
    h.get_by_label("PIN or password (optional)")
        .type_text("4711");
    h.run();
    // Enter in the form creates the profile.
    h.key_press(egui::Key::Enter);
    h.run();
    assert_eq!(h.state().state.status, "Working as Pat Student");
    assert!(h.query_by_label("none yet: create one below").is_none());
    h.get_by_label("Sign out").click();
    h.run();
    assert!(h.state().state.profile.is_none());
    h.get_by_label("Profile Pat Student").click();
    h.run();
    assert!(h.state().state.profile.is_none(), "not without the PIN");
    h.get_by_label("Profile PIN or password").click();
    h.get_by_label("Profile PIN or password").type_text("1234");
    h.run();
    h.key_press(egui::Key::Enter);
    h.run();
    assert!(h.state().state.profile.is_none());
    assert_eq!(
        h.state().state.status,
        "The PIN or password for Pat Student is not right"
    );
    h.get_by_label("Profile PIN or password").click();
    h.get_by_label("Profile PIN or password").type_text("4711");
    h.run();
    h.get_by_label("Open profile").click();
    h.run();
    assert_eq!(
        h.state()
            .state
            .profile
            .as_ref()
            .map(|p| p.name().to_string()),
        Some("Pat Student".to_string())
    );
    // Escape closes the prompt without signing in.
    h.get_by_label("Sign out").click();
    h.run();
    h.get_by_label("Profile Pat Student").click();
    h.run();
    h.get_by_label("Profile PIN or password");
    h.key_press(egui::Key::Escape);
    h.run();
    h.run();
    assert!(h.query_by_label("Profile PIN or password").is_none());
    assert!(h.state().state.profile.is_none());
}

#[test]
fn results_stay_hidden_from_the_candidate_until_the_employer_releases_them() {
    let mut h = candidate_sitting(EXAM, &[SCENARIO]);
    h.get_by_label("Search Diagnoses").click();
    h.get_by_label("Search Diagnoses").type_text("ckd stage 3b");
    h.run();
    h.get_by_label("Add N18.32").click();
    h.run();
    h.get_by_label("Submit").click();
    h.run();
    let state = &h.state().state;
    assert!(matches!(&state.screen, Screen::Exam(e) if e.finished));
    let casey = state.profile.clone().expect("candidate");
    let store = &mut h.state_mut().state.store.as_mut().expect("store");
    // Through the store, as the candidate: nothing.
    assert!(
        store
            .learner_history(&casey, casey.person_id())
            .unwrap()
            .is_empty()
    );
    assert!(
        store
            .scenario_progress(&casey, casey.person_id())
            .unwrap()
            .is_empty()
    );
    let erin = store
        .sign_in("Erin Employer", Some("correct horse battery"))
        .unwrap();
    let staff_view = store.learner_history(&erin, casey.person_id()).unwrap();
    assert_eq!(staff_view.len(), 1, "recorded all the same");
    // My progress says the results are awaited, and shows no score.
    h.get_by_label("My progress").click();
    h.run();
    h.get_by_label(&format!(
        "Results of {EXAM} appear here once the employer releases them."
    ));
    match &h.state().state.screen {
        Screen::Progress(p) => {
            assert!(p.history.is_empty() && p.scenarios.is_empty() && p.weak.is_empty());
        }
        _ => panic!("no progress screen"),
    }
    // After the release, the candidate sees their result.
    let now = chrono::DateTime::<chrono::Utc>::from(std::time::SystemTime::now());
    h.state_mut()
        .state
        .store
        .as_mut()
        .unwrap()
        .release_results(&erin, EXAM, &now)
        .unwrap();
    let store = h.state().state.store.as_ref().unwrap();
    let mine = store.learner_history(&casey, casey.person_id()).unwrap();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].score, staff_view[0].score);
    // The dashboard now lists it by its title.
    h.get_by_label("My progress").click();
    h.run();
    let title = h
        .state()
        .state
        .scenarios
        .iter()
        .find(|s| s.scenario.id == SCENARIO)
        .unwrap()
        .scenario
        .title
        .clone();
    assert!(h.get_all_by_label(&title).count() >= 1);
    assert!(h.query_by_label_contains("appear here once").is_none());
}

#[test]
fn practice_of_the_assessments_scenarios_is_closed_during_the_sitting() {
    let mut h = candidate_sitting(EXAM, &[SCENARIO, "ed_distal_radius_fracture"]);
    assert!(matches!(&h.state().state.screen, Screen::Exam(e) if !e.finished));
    // The seed is never shown in a sitting: with it, the key could be printed.
    assert!(h.query_by_label_contains("seed").is_none());
    // As if the app were restarted mid-sitting and the candidate opened the scenario from the
    // catalog.
    let now = chrono::DateTime::<chrono::Utc>::from(std::time::SystemTime::now());
    let state = &mut h.state_mut().state;
    state.apply(Command::ShowCatalog, None, now);
    state.apply(
        Command::OpenScenario {
            id: SCENARIO.to_string(),
            seed: 1,
        },
        None,
        now,
    );
    assert!(
        !matches!(state.screen, Screen::Chart(_)),
        "the case must not open"
    );
    assert_eq!(
        state.status,
        format!("Practice of this scenario is closed while you sit the assessment {EXAM}")
    );
}

/// Finishing lists what is unanswered and asks; afterwards the sitting is read-only, the
/// countdown is gone and a blank item is "not answered", not submitted.
#[test]
fn finishing_asks_lists_unanswered_items_and_stops_the_clock() {
    let radius = "ed_distal_radius_fracture";
    let mut h = candidate_sitting(EXAM, &[SCENARIO, radius]);
    let titles: Vec<String> = match &h.state().state.screen {
        Screen::Exam(e) => e.items.iter().map(|i| i.title.clone()).collect(),
        _ => panic!("not in the exam room"),
    };
    // Item 1 gets a code but is not submitted; item 2 is never opened.
    h.get_by_label("Search Diagnoses").click();
    h.get_by_label("Search Diagnoses").type_text("ckd stage 3b");
    h.run();
    h.get_by_label("Add N18.32").click();
    h.run();
    h.get_by_label("Finish the assessment").click();
    h.run();
    h.get_by_label("Finish the assessment?");
    h.get_by_label(&format!("Not answered: {}", titles[1]));
    h.get_by_label(&format!(
        "Answered, not yet submitted (submitted as they stand): {}",
        titles[0]
    ));
    // Keep working: nothing is submitted.
    h.get_by_label("Keep working").click();
    h.run();
    match &h.state().state.screen {
        Screen::Exam(e) => {
            assert!(!e.finished);
            assert!(e.confirm_finish.is_none());
            assert!(e.items.iter().all(|i| !i.submitted));
        }
        _ => panic!("not in the exam room"),
    }
    assert!(h.query_by_label("Finish the assessment?").is_none());
    // Finish, confirmed with Enter.
    h.get_by_label("Finish the assessment").click();
    h.run();
    h.key_press(egui::Key::Enter);
    h.run();
    h.run();
    match &h.state().state.screen {
        Screen::Exam(e) => {
            assert!(e.finished);
            assert!(e.finished_at.is_some());
            assert!(e.items[0].submitted && !e.items[0].unanswered);
            assert!(e.items[1].submitted && e.items[1].unanswered);
        }
        _ => panic!("not in the exam room"),
    }
    assert!(
        h.query_by_label_contains("Time left").is_none(),
        "the countdown stops"
    );
    h.get_by_label_contains("Finished at ");
    h.get_by_label(&format!("2. {} (not answered)", titles[1]));
    h.get_by_label(&format!("Not answered: {}.", titles[1]));
    assert!(h.query_by_label("Finish the assessment").is_none());
    // Read-only: an item cannot be reopened.
    h.get_by_label(&format!("1. {} (submitted)", titles[0]))
        .click();
    h.run();
    assert!(matches!(&h.state().state.screen, Screen::Exam(e) if e.workspace.is_none()));
    // The employer's results count one item done of two.
    let store = h.state_mut().state.store.as_mut().unwrap();
    let erin = store
        .sign_in("Erin Employer", Some("correct horse battery"))
        .unwrap();
    let results = store
        .assessment_results(
            &erin,
            EXAM,
            &chrono::DateTime::<chrono::Utc>::from(std::time::SystemTime::now()),
        )
        .unwrap();
    assert_eq!(
        (results[0].scenarios_done, results[0].scenarios_total),
        (1, 2)
    );
    assert!(!results[0].passed);
}

/// When time runs out the sitting finishes by itself, without asking.
#[test]
fn the_sitting_finishes_when_time_runs_out() {
    let mut h = candidate_sitting(EXAM, &[SCENARIO]);
    if let Screen::Exam(e) = &mut h.state_mut().state.screen {
        e.deadline = chrono::DateTime::<chrono::Utc>::from(std::time::SystemTime::now())
            - chrono::TimeDelta::seconds(1);
    }
    h.run();
    h.run();
    match &h.state().state.screen {
        Screen::Exam(e) => {
            assert!(e.finished, "finished at the deadline");
            assert!(e.confirm_finish.is_none(), "without asking");
            assert!(e.items[0].submitted);
        }
        _ => panic!("not in the exam room"),
    }
    h.get_by_label("Your assessment has been submitted.");
}

/// A sitting's answer is autosaved as it is typed, like a practice case: a crash loses nothing.
#[test]
fn a_sittings_answer_is_autosaved_while_typing() {
    let mut h = candidate_sitting(EXAM, &[SCENARIO]);
    h.get_by_label("Search Diagnoses").click();
    h.get_by_label("Search Diagnoses").type_text("ckd stage 3b");
    h.run();
    h.get_by_label("Add N18.32").click();
    h.run();
    // The autosave is due (as if a few seconds had passed).
    h.state_mut().state.last_autosave = None;
    h.run();
    let state = &h.state().state;
    let Screen::Exam(e) = &state.screen else {
        panic!("not in the exam room");
    };
    let w = e.workspace.as_ref().expect("open item");
    assert!(!w.dirty, "saved");
    let casey = state.profile.clone().unwrap();
    let key = ehr_sim::store::DraftKey {
        learner_id: casey.person_id(),
        scenario_id: SCENARIO.to_string(),
        seed: w.case.seed,
        mode: ehr_sim::store::Mode::Assessment,
    };
    let draft = state
        .store
        .as_ref()
        .unwrap()
        .load_draft(&casey, &key)
        .unwrap()
        .expect("a draft of the sitting's item");
    assert!(draft.payload.contains("N18.32"), "{}", draft.payload);
}
