//! The desktop app driven headlessly with egui_kittest: widgets found by role and label,
//! clicked, then the app state asserted.

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use ehr_sim::library::ContentRoot;
use ehr_sim::ui::app::{EhrApp, Screen};

fn harness() -> Harness<'static, EhrApp> {
    let store = ehr_sim::store::Store::open_in_memory().map_err(|e| e.to_string());
    let app = EhrApp::with_store(ContentRoot::at(env!("CARGO_MANIFEST_DIR")), store);
    Harness::builder()
        .with_size([1280.0, 800.0])
        .build_ui_state(|ui, app: &mut EhrApp| app.frame_ui(ui), app)
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
    h.get_by_label("Open Office follow-up: hypertension and type 2 diabetes")
        .click();
    h.run();
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
    h.get_by_label("Open Discharge summary: sepsis due to pneumonia")
        .click();
    h.run();
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
    h.get_by_label("Open Office follow-up: hypertension and type 2 diabetes")
        .click();
    h.run();
    let (mrn, hr) = match &h.state().state.screen {
        Screen::Chart(w) => (
            w.case.patient.demographics.mrn.clone(),
            w.case.patient.vitals[0].heart_rate_bpm,
        ),
        _ => panic!("no chart"),
    };
    h.get_by_label("Patient: MRN").click();
    h.get_by_label("Patient: MRN").type_text(&mrn);
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
    assert_eq!(points("mrn"), Some(1.0));
    assert_eq!(points("heart_rate"), Some(1.0));
    assert_eq!(points("respiratory_rate"), Some(0.0));
    assert!(!f.report.passed);
    assert!(
        f.stored.contains("Saved as attempt #1 for Ana Student"),
        "{}",
        f.stored
    );
    // The attempt is in the learner's progress.
    h.get_by_label("My progress").click();
    h.run();
    assert!(matches!(h.state().state.screen, Screen::Progress(_)));
}

#[test]
fn search_the_encoder_and_add_a_code_with_live_edit_warnings() {
    let mut h = harness();
    h.run();
    h.get_by_label("Open Office note: type 2 diabetes with CKD and hypertension")
        .click();
    h.run();
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
