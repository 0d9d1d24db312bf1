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
