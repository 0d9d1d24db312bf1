//! The desktop app driven headlessly with egui_kittest: widgets found by role and label,
//! clicked, then the app state asserted.

#![allow(
    clippy::wildcard_enum_match_arm,
    reason = "a test expects one screen or task kind; any other one, present or future, fails it"
)]

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use ehr_sim::library::ContentRoot;
use ehr_sim::ui::app::{EhrApp, Screen};

/// The app over `root` and a database, headless at 1280×800 (shared by the `ui_*` modules).
pub(crate) fn harness_at(
    root: ContentRoot,
    store: Result<ehr_sim::store::Store, String>,
) -> Harness<'static, EhrApp> {
    let app = EhrApp::with_store(root, store);
    Harness::builder()
        .with_size([1280.0, 800.0])
        .build_ui_state(|ui, app: &mut EhrApp| app.frame_ui(ui), app)
}

/// The app over the shipped content and an in-memory database.
pub(crate) fn harness() -> Harness<'static, EhrApp> {
    harness_at(
        ContentRoot::at(env!("CARGO_MANIFEST_DIR")),
        ehr_sim::store::Store::open_in_memory().map_err(|e| e.to_string()),
    )
}

/// The access code [`candidate_sitting`] issues to "Casey Candidate".
pub(crate) const CASEY_CODE: &str = "CASE-YCOD-E234";

/// The app on a database where an employer admin created assessment `name` over `scenarios`
/// and registered "Casey Candidate" (access code [`CASEY_CODE`]), who has not signed in yet.
pub(crate) fn candidate_registered(name: &str, scenarios: &[&str]) -> Harness<'static, EhrApp> {
    candidate_registered_with(name, scenarios, false)
}

/// [`candidate_registered`] for an assessment that shows (or not) the live MS-DRG.
pub(crate) fn candidate_registered_with(
    name: &str,
    scenarios: &[&str],
    show_drg: bool,
) -> Harness<'static, EhrApp> {
    use ehr_sim::store::{NewAssessment, Role, Store};
    let now = chrono::DateTime::<chrono::Utc>::from(std::time::SystemTime::now());
    let mut store = Store::open_in_memory().expect("store");
    let admin = store
        .create_person(
            None,
            "Erin Employer",
            Role::EmployerAdmin,
            Some("correct horse battery"),
            &now,
        )
        .expect("admin");
    ehr_sim::service::assessments::create(
        &mut store,
        &admin,
        &NewAssessment {
            name: name.into(),
            scenario_ids: scenarios.iter().map(|s| (*s).to_string()).collect(),
            time_limit_secs: 3600,
            pass_mark_fraction: 0.7,
            master_seed: 42,
            show_drg,
        },
        &now,
    )
    .expect("assessment");
    let done = ehr_sim::service::assessments::register_candidate(
        &mut store,
        &admin,
        name,
        "Casey Candidate",
        &now,
    )
    .expect("register");
    assert!(done.access_code.is_some(), "a new candidate gets a code");
    store
        .set_access_code(&admin, "Casey Candidate", CASEY_CODE)
        .expect("code");
    harness_at(ContentRoot::at(env!("CARGO_MANIFEST_DIR")), Ok(store))
}

/// Signs a candidate in from the catalog the way a person does: name, access code, Enter.
pub(crate) fn candidate_sign_in(h: &mut Harness<'static, EhrApp>, name: &str, code: &str) {
    h.run();
    h.get_by_label("Candidate name").click();
    h.run();
    h.get_by_label("Candidate name").type_text(name);
    h.run();
    h.get_by_label("Access code").click();
    h.run();
    h.get_by_label("Access code").type_text(code);
    h.run();
    h.key_press(egui::Key::Enter);
    h.run();
    h.run();
}

/// [`candidate_registered`], then Casey signs in and starts the sitting.
pub(crate) fn candidate_sitting(name: &str, scenarios: &[&str]) -> Harness<'static, EhrApp> {
    let mut h = candidate_registered(name, scenarios);
    candidate_sign_in(&mut h, "Casey Candidate", CASEY_CODE);
    h.get_by_label(&format!("Start: {name}")).click();
    h.run();
    h
}

/// Removes a scratch folder left by an earlier run; a folder that is not there is fine, one that
/// cannot be removed fails the test.
pub(crate) fn remove_stale_dir(dir: &std::path::Path) {
    match std::fs::remove_dir_all(dir) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => panic!("cannot remove {}: {e}", dir.display()),
    }
}

/// Opens a scenario from the catalog by its title (searching first, so it is on screen).
pub(crate) fn open(h: &mut Harness<'static, EhrApp>, title: &str) {
    h.run();
    h.get_by_label("Search scenarios").click();
    h.get_by_label("Search scenarios").type_text(title);
    h.run();
    h.get_by_label(&format!("Open {title}")).click();
    h.run();
}

#[test]
fn catalog_lists_scenarios_and_opens_a_chart() {
    let mut h = harness();
    h.run();
    assert!(
        h.state().state.problems.is_empty(),
        "{:?}",
        h.state().state.problems
    );
    open(&mut h, "Office follow-up: hypertension and type 2 diabetes");
    let Screen::Chart(w) = &h.state().state.screen else {
        panic!("the chart did not open");
    };
    let name = w.case.patient.banner_name();
    let mrn = format!("MRN {}", w.case.patient.demographics.mrn);
    // The banner shows the two identifiers.
    h.get_by_label(&name);
    h.get_by_label(&mrn);
    h.get_by_label("SYNTHETIC PATIENT — NOT REAL");
}

#[test]
fn chart_navigation_and_new_variant() {
    let mut h = harness();
    h.run();
    open(&mut h, "Discharge summary: sepsis due to pneumonia");
    h.get_by_label("Vitals").click();
    h.run();
    h.get_by_label("Temp (°C)");
    let first_seed = match &h.state().state.screen {
        Screen::Chart(w) => w.case.seed,
        _ => panic!("no chart"),
    };
    h.get_by_label("New variant").click();
    h.run();
    match &h.state().state.screen {
        Screen::Chart(w) => assert_eq!(w.case.seed, first_seed + 1),
        _ => panic!("no chart"),
    }
    h.get_by_label("Back to catalog").click();
    h.run();
    assert!(matches!(h.state().state.screen, Screen::Catalog));
}

#[test]
fn the_catalog_groups_by_competency_and_difficulty_and_shows_counts() {
    use ehr_sim::scenario::schema::Difficulty;
    use ehr_sim::tasks::TaskKind;
    use ehr_sim::ui::app::CatalogGrouping;
    let mut h = harness();
    h.run();
    let count_kind = |h: &Harness<'static, EhrApp>, k: TaskKind| {
        h.state()
            .state
            .scenarios
            .iter()
            .filter(|s| s.scenario.task.kind() == k)
            .count()
    };
    let coding = count_kind(&h, TaskKind::Coding);
    assert!(coding >= 13, "{coding}");
    // Every chip says how many scenarios it holds.
    h.get_by_label(&format!("Coding {coding}"));
    let total = h.state().state.scenarios.len();
    h.get_by_label(&format!("All {total}"));
    // By competency: a scenario appears under each competency it trains, nowhere else.
    h.get_by_label("Competency").click();
    h.run();
    assert_eq!(h.state().state.grouping, CatalogGrouping::Competency);
    let groups = h.state().state.catalog_groups();
    let placed: usize = groups.iter().map(|(_, items)| items.len()).sum();
    let expected: usize = h
        .state()
        .state
        .scenarios
        .iter()
        .map(|s| s.scenario.competencies.len())
        .sum();
    assert_eq!(placed, expected);
    let (heading, items) = groups
        .iter()
        .find(|(heading, _)| heading == "Sequencing")
        .expect("a Sequencing group");
    assert!(
        items
            .iter()
            .all(|s| s.scenario.competencies.iter().any(|c| c == "sequencing")),
        "{heading}"
    );
    // The first group's heading and count are drawn.
    h.get_by_label(&groups[0].0);
    // By difficulty, filtered to Advanced: one group, every scenario advanced.
    let advanced = h
        .state()
        .state
        .scenarios
        .iter()
        .filter(|s| s.scenario.difficulty == Difficulty::Advanced)
        .count();
    h.get_by_label(&format!("Advanced {advanced}")).click();
    h.get_by_label("Difficulty").click();
    h.run();
    let groups = h.state().state.catalog_groups();
    assert_eq!(groups.len(), 1);
    assert_eq!(groups[0].0, "Advanced");
    assert_eq!(groups[0].1.len(), advanced);
    h.get_by_label(&format!("{advanced} scenarios"));
    // Back to kinds with any difficulty: every scenario once.
    h.get_by_label("Any").click();
    h.get_by_label("Task kind").click();
    h.run();
    let placed: usize = h
        .state()
        .state
        .catalog_groups()
        .iter()
        .map(|(_, items)| items.len())
        .sum();
    assert_eq!(placed, total);
}

#[test]
fn catalog_search_filters() {
    let mut h = harness();
    h.run();
    h.get_by_label("Search scenarios").click();
    h.get_by_label("Search scenarios").type_text("sepsis");
    h.run();
    assert_eq!(h.state().state.filter, "sepsis");
    assert!(
        h.query_by_label("Open Discharge summary: sepsis due to pneumonia")
            .is_some()
    );
    assert!(
        h.query_by_label("Open Triage: febrile young infant")
            .is_none()
    );
}

#[test]
fn create_a_profile_fill_a_charting_task_submit_and_see_the_score() {
    let mut h = harness();
    h.run();
    h.get_by_label("New profile name").click();
    h.get_by_label("New profile name").type_text("Ana Student");
    h.run();
    h.get_by_label("Create profile").click();
    h.run();
    assert_eq!(
        h.state()
            .state
            .profile
            .as_ref()
            .map(|p| p.name().to_string()),
        Some("Ana Student".to_string())
    );
    open(&mut h, "Office follow-up: hypertension and type 2 diabetes");
    let (mrn, hr) = match &h.state().state.screen {
        Screen::Chart(w) => (
            w.case.patient.demographics.mrn.clone(),
            w.case
                .patient
                .vitals
                .last()
                .map(|v| v.heart_rate_bpm)
                .unwrap_or_default(),
        ),
        _ => panic!("no chart"),
    };
    h.get_by_label("Patient: MRN").click();
    h.get_by_label("Patient: MRN").type_text(&mrn);
    h.run();
    // The field may be below the task pane's fold: scroll to it first.
    h.get_by_label("Vitals: Heart rate (/min)").scroll_to_me();
    h.run();
    h.get_by_label("Vitals: Heart rate (/min)").click();
    h.get_by_label("Vitals: Heart rate (/min)")
        .type_text(&hr.to_string());
    h.run();
    h.get_by_label("Submit").click();
    h.run();
    let Screen::Feedback(f) = &h.state().state.screen else {
        panic!("no feedback after submit");
    };
    let points = |id: &str| {
        f.report
            .criteria
            .iter()
            .find(|c| c.id == id)
            .map(|c| c.points)
    };
    let mrn_line = f
        .report
        .criteria
        .iter()
        .find(|c| c.id == "mrn")
        .map(|c| (c.expected.clone(), c.given.clone(), c.details.clone()));
    assert_eq!(points("mrn"), Some(1.0), "{mrn_line:?}");
    let hr_line = f
        .report
        .criteria
        .iter()
        .find(|c| c.id == "heart_rate")
        .map(|c| (c.expected.clone(), c.given.clone(), c.details.clone()));
    assert_eq!(points("heart_rate"), Some(1.0), "{hr_line:?}");
    assert_eq!(points("respiratory_rate"), Some(0.0));
    assert!(!f.report.passed);
    assert!(
        f.stored.contains("Saved as attempt #1 for Ana Student"),
        "{}",
        f.stored
    );
    // The attempt is in the learner's progress, with the criteria it lost listed weakest
    // first, named from the rubric, each with a button to practise a new variant.
    h.get_by_label("My progress").click();
    h.run();
    let Screen::Progress(p) = &h.state().state.screen else {
        panic!("no progress view");
    };
    let weakest = p.weak.first().map(|w| (w.title.clone(), w.weak.fraction));
    assert_eq!(weakest.as_ref().map(|w| w.1), Some(0.0));
    assert!(p.weak.iter().all(|w| w.title != w.weak.criterion_id));
    // Ten at most; ties (everything blank scored 0) in criterion id order.
    assert_eq!(p.weak.len(), 10);
    assert_eq!(
        p.weak
            .first()
            .map(|w| (w.weak.criterion_id.as_str(), w.title.as_str())),
        Some(("allergies", "Allergies with reaction, severity and type"))
    );
    assert!(!p.weak.iter().any(|w| w.weak.criterion_id == "mrn"));
    h.get_by_label("Weakest criteria (points earned over all attempts)");
    let title = weakest.map(|w| w.0).unwrap_or_default();
    h.get_by_label(&format!(
        "Practise Office follow-up: hypertension and type 2 diabetes: {title}"
    ))
    .click();
    h.run();
    match &h.state().state.screen {
        Screen::Chart(w) => assert_eq!(w.case.seed, 2),
        _ => panic!("Practise did not open the scenario"),
    }
}

#[test]
fn search_the_encoder_and_add_a_code_with_live_edit_warnings() {
    let mut h = harness();
    h.run();
    open(
        &mut h,
        "Office note: type 2 diabetes with CKD and hypertension",
    );
    h.get_by_label("Search Diagnoses").click();
    h.get_by_label("Search Diagnoses").type_text("ckd stage 3b");
    h.run();
    h.get_by_label("Add N18.32").click();
    h.run();
    h.get_by_label("Search Diagnoses").click();
    h.get_by_label("Search Diagnoses").type_text(" ");
    h.run();
    let Screen::Chart(w) = &h.state().state.screen else {
        panic!("no chart");
    };
    assert_eq!(
        w.answer["codes"]["diagnoses"],
        serde_json::json!(["N18.32"])
    );
    // Add E11.22 after N18.32: the code-first edit appears in practice mode.
    let mut h2 = h;
    h2.get_by_label("Search Diagnoses").click();
    h2.get_by_label("Search Diagnoses")
        .type_text("\u{8}\u{8}\u{8}\u{8}\u{8}\u{8}\u{8}\u{8}\u{8}\u{8}\u{8}\u{8}\u{8}");
    h2.run();
    let state = &mut h2.state_mut().state;
    state.apply(
        ehr_sim::ui::app::Command::AddCode {
            path: "codes.diagnoses".into(),
            code: "E11.22".into(),
        },
        None,
        chrono::DateTime::<chrono::Utc>::from(std::time::SystemTime::UNIX_EPOCH),
    );
    let Screen::Chart(w) = &state.screen else {
        panic!("no chart");
    };
    assert!(
        w.warnings
            .iter()
            .any(|m| m.contains("move E11.22 before N18.32")),
        "{:?}",
        w.warnings
    );
}

/// Candidate mode: the candidate's own variants, a countdown, no staff button, no keys, no
/// feedback, no coding-edit warnings; the sitting is recorded for the employer.
#[test]
fn candidate_mode_hides_keys_feedback_and_staff_functions() {
    let mut h = candidate_sitting(
        "Coding check",
        &["outpatient_diabetes_ckd", "ed_distal_radius_fracture"],
    );
    assert!(
        h.query_by_label("Staff").is_none(),
        "staff functions must be unreachable"
    );
    assert!(h.query_by_label("Back to catalog").is_none());
    assert!(
        h.query_by_label_contains("Time left").is_some(),
        "a countdown is shown"
    );
    // Enter codes in the wrong order: in assessment mode no edit warning appears.
    h.get_by_label("Search Diagnoses").click();
    h.get_by_label("Search Diagnoses").type_text("ckd stage 3b");
    h.run();
    h.get_by_label("Add N18.32").click();
    h.run();
    match &h.state().state.screen {
        Screen::Exam(e) => {
            let w = e.workspace.as_ref().expect("open item");
            assert!(w.warnings.is_empty(), "{:?}", w.warnings);
            assert_eq!(w.mode, ehr_sim::store::Mode::Assessment);
        }
        _ => panic!("not in the exam room"),
    }
    h.get_by_label("Submit").click();
    h.run();
    // No feedback: the next item opens.
    match &h.state().state.screen {
        Screen::Exam(e) => {
            assert!(e.items[0].submitted);
            assert_eq!(e.current, 1);
        }
        _ => panic!("feedback must not be shown to a candidate"),
    }
    h.get_by_label("Finish the assessment").click();
    h.run();
    h.get_by_label("Finish now").click();
    h.run();
    h.get_by_label("Your assessment has been submitted.");
    let state = &mut h.state_mut().state;
    let store = state.store.as_mut().expect("store");
    let admin = store
        .sign_in("Erin Employer", Some("correct horse battery"))
        .expect("sign in");
    let results = store
        .assessment_results(
            &admin,
            "Coding check",
            &chrono::DateTime::<chrono::Utc>::from(std::time::SystemTime::now()),
        )
        .expect("results");
    assert_eq!(results.len(), 1);
    // The second item was left blank: recorded, but not done.
    assert_eq!(results[0].scenarios_done, 1);
    assert!(results[0].finished_at.is_some());
}

/// Unfinished work is saved as a draft and offered back: leaving the case and reopening it
/// (or resuming it from the catalog) restores the answer.
#[test]
fn a_draft_is_saved_and_restored() {
    let mut h = harness();
    h.run();
    h.get_by_label("New profile name").click();
    h.get_by_label("New profile name").type_text("Dee Draft");
    h.run();
    h.get_by_label("Create profile").click();
    h.run();
    open(&mut h, "Office follow-up: hypertension and type 2 diabetes");
    h.get_by_label("Patient: MRN").click();
    h.get_by_label("Patient: MRN").type_text("12345678");
    h.run();
    h.get_by_label("Back to catalog").click();
    h.run();
    assert_eq!(
        h.state().state.drafts.len(),
        1,
        "leaving the case saves the draft"
    );
    h.get_by_label_contains("Resume: Office follow-up").click();
    h.run();
    let Screen::Chart(w) = &h.state().state.screen else {
        panic!("the draft did not reopen");
    };
    assert_eq!(w.answer["patient"]["mrn"], serde_json::json!("12345678"));
    assert!(w.note.starts_with("Draft from "), "{}", w.note);
}

#[test]
fn the_graded_answer_is_reviewed_in_the_chart_with_lost_points_marked() {
    let mut h = harness();
    h.run();
    open(&mut h, "Office follow-up: hypertension and type 2 diabetes");
    let hr = match &h.state().state.screen {
        Screen::Chart(w) => w
            .case
            .patient
            .vitals
            .last()
            .map(|v| v.heart_rate_bpm)
            .unwrap_or_default(),
        _ => panic!("no chart"),
    };
    // A wrong heart rate; the MRN left blank.
    h.get_by_label("Vitals: Heart rate (/min)").click();
    h.get_by_label("Vitals: Heart rate (/min)")
        .type_text(&(hr + 20).to_string());
    h.run();
    h.get_by_label("Submit").click();
    h.run();
    let (mrn_title, hr_title) = match &h.state().state.screen {
        Screen::Feedback(f) => {
            let title = |id: &str| {
                f.report
                    .criteria
                    .iter()
                    .find(|c| c.id == id)
                    .map(|c| c.title.clone())
                    .unwrap_or_default()
            };
            (title("mrn"), title("heart_rate"))
        }
        _ => panic!("no feedback after submit"),
    };
    // Each criterion that lost points links to its entries in the form.
    h.get_by_label(&format!("Show in form: {mrn_title}"))
        .click();
    h.run();
    match &h.state().state.screen {
        Screen::Feedback(f) => {
            assert!(f.in_chart);
            let review = f
                .workspace
                .review
                .as_ref()
                .unwrap_or_else(|| panic!("no review"));
            // The form scrolled to the entry and the focus was then cleared.
            assert_eq!(review.focus, None);
            assert_eq!(review.at("patient.mrn").len(), 1);
            assert_eq!(review.at("vitals.heart_rate").len(), 1);
            // Exactly the criteria that lost points are marked, on the entries they read.
            for c in &f.report.criteria {
                let marked = c
                    .fields
                    .iter()
                    .any(|p| review.at(p).iter().any(|l| l.criterion == c.id));
                assert_eq!(marked, c.max > 0.0 && c.points < c.max, "{}", c.id);
            }
        }
        _ => panic!("not reviewing"),
    }
    h.get_by_label("Reviewing your graded answer (read-only)");
    h.get_by_label(&format!("−1.00 pts · {mrn_title}"));
    h.get_by_label(&format!("−1.00 pts · {hr_title}"));
    // The review is read-only: no Submit, no Save draft.
    assert!(h.query_by_label("Submit").is_none());
    assert!(h.query_by_label("Save draft").is_none());
    h.get_by_label("Back to the report").click();
    h.run();
    assert!(matches!(&h.state().state.screen, Screen::Feedback(f) if !f.in_chart));
    h.get_by_label("Review in the chart").click();
    h.run();
    assert!(matches!(&h.state().state.screen, Screen::Feedback(f) if f.in_chart));
}

/// Drags `from` to `to` with the pointer, frame by frame, as a mouse would.
fn drag(h: &mut Harness<'static, EhrApp>, from: egui::Pos2, to: egui::Pos2) {
    h.hover_at(from);
    h.run();
    h.drag_at(from);
    h.run();
    for step in 1..=4 {
        let t = step as f32 / 4.0;
        h.hover_at(from + (to - from) * t);
        h.run();
    }
    h.drop_at(to);
    h.run();
}

#[test]
fn encoder_results_and_claim_lines_are_dragged_into_place() {
    let mut h = harness();
    h.run();
    open(
        &mut h,
        "Office note: type 2 diabetes with CKD and hypertension",
    );
    h.get_by_label("Search Diagnoses").click();
    h.get_by_label("Search Diagnoses").type_text("ckd stage 3b");
    h.run();
    h.get_by_label("Add N18.32").click();
    h.run();
    h.state_mut().state.apply(
        ehr_sim::ui::app::Command::EncoderSearch {
            target: "codes.diagnoses".into(),
            query: "e11.22".into(),
        },
        None,
        chrono::DateTime::<chrono::Utc>::from(std::time::SystemTime::UNIX_EPOCH),
    );
    h.run();
    let codes = |h: &Harness<'static, EhrApp>| match &h.state().state.screen {
        Screen::Chart(w) => w.answer["codes"]["diagnoses"].clone(),
        _ => panic!("no chart"),
    };
    // Drop the E11.22 result on the top half of line 1: it lands before N18.32.
    let hit = h.get_by_label("Drag E11.22").rect();
    let line = h.get_by_label("Claim line 1: N18.32").rect();
    drag(
        &mut h,
        hit.center(),
        line.center_top() + egui::vec2(0.0, 2.0),
    );
    assert_eq!(codes(&h), serde_json::json!(["E11.22", "N18.32"]));
    // Dragging it again does not add it twice: it moves (here to the end, below line 2).
    let hit = h.get_by_label("Drag E11.22").rect();
    let line2 = h.get_by_label("Claim line 2: N18.32").rect();
    drag(
        &mut h,
        hit.center(),
        line2.center_bottom() - egui::vec2(0.0, 2.0),
    );
    assert_eq!(codes(&h), serde_json::json!(["N18.32", "E11.22"]));
    // A claim line dragged above another moves there.
    let from = h.get_by_label("Claim line 2: E11.22").rect();
    let to = h.get_by_label("Claim line 1: N18.32").rect();
    drag(
        &mut h,
        from.left_center() + egui::vec2(4.0, 0.0),
        to.center_top() + egui::vec2(0.0, 2.0),
    );
    assert_eq!(codes(&h), serde_json::json!(["E11.22", "N18.32"]));
}
