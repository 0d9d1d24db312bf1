//! Exports from the desktop app, driven headlessly with egui_kittest: "Save report" in the
//! feedback view, "Export chart as FHIR" and "Print the claim form" in the chart write their
//! files on a background thread into the export folder typed in the "Export folder" field (a
//! temporary folder here), and show the full path when done.

#![allow(
    clippy::wildcard_enum_match_arm,
    reason = "a test expects one screen or task kind; any other one, present or future, fails it"
)]

use std::path::{Path, PathBuf};
use std::time::Duration;

use egui::accesskit::Role as AxRole;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use ehr_sim::ui::app::{EhrApp, Screen};

const SCENARIO: &str = "Office follow-up: hypertension and type 2 diabetes";

use super::ui::{harness, open, remove_stale_dir};

fn temp_folder(label: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("ehr-sim-ui-export-{label}-{}", std::process::id()));
    remove_stale_dir(&dir);
    dir
}

fn set_export_folder(h: &mut Harness<'static, EhrApp>, folder: &Path) {
    h.get_by_role_and_label(AxRole::TextInput, "Export folder")
        .click();
    h.run();
    h.get_by_role_and_label(AxRole::TextInput, "Export folder")
        .type_text(&folder.display().to_string());
    h.run();
}

/// Steps frames until a file with `extension` appears in `folder` and the app shows
/// "Exported to <its path>"; returns the path.
fn wait_for_export(h: &mut Harness<'static, EhrApp>, folder: &Path, extension: &str) -> PathBuf {
    for _ in 0..500 {
        h.step();
        let found = std::fs::read_dir(folder).ok().and_then(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .find(|p| p.extension().is_some_and(|e| e == extension))
        });
        if let Some(path) = found
            && h.query_by_label(&format!("Exported to {}", path.display()))
                .is_some()
        {
            return path;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    panic!("no .{extension} export appeared in {}", folder.display());
}

#[test]
fn save_report_writes_html_and_json_into_the_export_folder() {
    let folder = temp_folder("report");
    let mut h = harness();
    h.run();
    open(&mut h, SCENARIO);
    h.get_by_label("Submit").click();
    h.run();
    let (seed, score) = match &h.state().state.screen {
        Screen::Feedback(f) => (f.workspace.case.seed, f.report.score),
        _ => panic!("no feedback after submit"),
    };
    set_export_folder(&mut h, &folder);
    h.get_by_label("Save report (HTML)").click();
    // Not `run`: the job's progress keeps adding widgets (and repaints) while it works.
    h.run_steps(2);
    let html_path = wait_for_export(&mut h, &folder, "html");
    let name = html_path.file_name().unwrap().to_string_lossy().to_string();
    assert!(
        name.starts_with(&format!(
            "attempt-report-office_htn_diabetes_followup-seed{seed}-"
        )),
        "{name}"
    );
    h.get_by_label("Copy path");
    let html = std::fs::read_to_string(&html_path).unwrap();
    assert!(html.contains("<h1>Attempt report</h1>"), "{html}");
    assert!(html.contains(SCENARIO));
    assert!(html.contains(&format!(
        "<tr><th scope=\"row\">Seed</th><td>{seed}</td></tr>"
    )));
    assert!(html.contains("<tr><th scope=\"row\">Pass mark</th><td>"));

    h.get_by_label("Save report (JSON)").click();
    // Not `run`: the job's progress keeps adding widgets (and repaints) while it works.
    h.run_steps(2);
    let json_path = wait_for_export(&mut h, &folder, "json");
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json_path).unwrap()).unwrap();
    assert_eq!(v["report"], "attempt");
    assert_eq!(v["seed"], seed);
    assert_eq!(v["mode"], "practice");
    assert_eq!(v["score"], ehr_sim::grading::report::round_2dp(score));
    assert!(v["pass_mark_percent"].is_number());
    std::fs::remove_dir_all(&folder).unwrap();
}

#[test]
fn export_chart_as_fhir_writes_a_bundle_that_parses() {
    let folder = temp_folder("fhir");
    let mut h = harness();
    h.run();
    open(&mut h, SCENARIO);
    let mrn = match &h.state().state.screen {
        Screen::Chart(w) => w.case.patient.demographics.mrn.clone(),
        _ => panic!("no chart"),
    };
    set_export_folder(&mut h, &folder);
    h.get_by_label("Export chart as FHIR").click();
    // Not `run`: the job's progress keeps adding widgets (and repaints) while it works.
    h.run_steps(2);
    let path = wait_for_export(&mut h, &folder, "json");
    let bundle: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(bundle["resourceType"], "Bundle");
    assert_eq!(bundle["type"], "collection");
    let entries = bundle["entry"].as_array().unwrap();
    let patient = entries
        .iter()
        .find(|e| e["resource"]["resourceType"] == "Patient")
        .unwrap();
    assert!(
        patient.to_string().contains(&mrn),
        "the bundle's Patient carries the chart's MRN"
    );
    std::fs::remove_dir_all(&folder).unwrap();
}

/// "Print the claim form" writes the claim as the learner has it (here, the case's key) as its
/// paper form: the CMS-1500 with the insured's ID in item 1a.
#[test]
fn print_the_claim_form_writes_the_claim_being_written() {
    let folder = temp_folder("claim-form");
    let mut h = harness();
    h.run();
    open(&mut h, "Claim: an office visit on the CMS-1500");
    let insured = match &mut h.state_mut().state.screen {
        Screen::Chart(w) => {
            w.answer = w.case.key();
            w.answer["insured_id"].as_str().unwrap().to_string()
        }
        _ => panic!("no chart"),
    };
    assert!(!insured.is_empty());
    set_export_folder(&mut h, &folder);
    h.get_by_label("Print the claim form").click();
    // Not `run`: the job's progress keeps adding widgets (and repaints) while it works.
    h.run_steps(2);
    let path = wait_for_export(&mut h, &folder, "html");
    let page = std::fs::read_to_string(&path).unwrap();
    assert!(page.contains("HEALTH INSURANCE CLAIM FORM"));
    assert!(
        page.contains("id=\"box-1a\"><span class=\"n\">1a</span>"),
        "item 1a is on the page"
    );
    assert!(page.contains(&insured), "the insured's ID is printed");
    std::fs::remove_dir_all(&folder).unwrap();
}

#[test]
fn a_failed_write_is_shown_not_panicked() {
    let mut h = harness();
    h.run();
    open(&mut h, SCENARIO);
    set_export_folder(&mut h, Path::new("/proc/ehr-sim-cannot-write-here"));
    h.get_by_label("Export chart as FHIR").click();
    // Not `run`: the job's progress keeps adding widgets (and repaints) while it works.
    h.run_steps(2);
    for _ in 0..500 {
        h.step();
        if h.query_by_label_contains(
            "Chart as FHIR R4 bundle failed: cannot write /proc/ehr-sim-cannot-write-here",
        )
        .is_some()
        {
            return;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    panic!("the failure was not shown");
}
