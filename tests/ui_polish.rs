//! Stale state and readability in the desktop app, driven headlessly with egui_kittest: export
//! and staff messages stay with the view that produced them and can be dismissed; lists refresh
//! after the command that changes them; files go to the data folder's `exports/`; values,
//! scenarios and criteria read as people write them; nothing is under 12 px; the top bar names
//! who is signed in and its text-size buttons stay put.

#![allow(
    clippy::wildcard_enum_match_arm,
    reason = "a test expects one screen or task kind; any other one, present or future, fails it"
)]

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{TimeZone, Utc};
use egui::accesskit::Role as AxRole;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use ehr_sim::grading::Outcome;
use ehr_sim::library::ContentRoot;
use ehr_sim::store::{FindingRecord, Mode, NewAttempt, Role, Store};
use ehr_sim::ui::app::{EhrApp, Screen};
use ehr_sim::ui::staff::{Notice, StaffState};
use serde_json::Value;

use super::ui::{harness, harness_at, open, remove_stale_dir};

const HTN: &str = "Office follow-up: hypertension and type 2 diabetes";
const HTN_ID: &str = "office_htn_diabetes_followup";
const SPRAIN: &str = "Urgent care: ankle sprain";
const LATE_NOE: &str = "Hospice: a late Notice of Election";
const ADMIN: &str = "Erin Employer";
const ADMIN_PW: &str = "correct horse battery";

fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 4, 10, 0, 0).single().unwrap()
}

fn temp_folder(label: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("ehr-sim-ui-polish-{label}-{}", std::process::id()));
    remove_stale_dir(&dir);
    dir
}

fn type_into(h: &mut Harness<'_, EhrApp>, label: &str, text: &str) {
    h.get_by_role_and_label(AxRole::TextInput, label).click();
    h.run();
    h.get_by_role_and_label(AxRole::TextInput, label)
        .type_text(text);
    h.run();
}

/// Opens a scenario from the catalog with the search box cleared first.
fn open_from_catalog(h: &mut Harness<'static, EhrApp>, title: &str) {
    h.state_mut().state.filter.clear();
    open(h, title);
}

/// Steps frames until `label` is shown (export jobs run on a background thread).
fn wait_for_label_containing(h: &mut Harness<'static, EhrApp>, text: &str) {
    for _ in 0..500 {
        h.step();
        if h.query_by_label_contains(text).is_some() {
            return;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    panic!("{text:?} never appeared");
}

fn export_chart(h: &mut Harness<'static, EhrApp>, folder: &Path) {
    type_into(h, "Export folder", &folder.display().to_string());
    h.get_by_label("Export chart as FHIR").click();
    h.run_steps(2);
    wait_for_label_containing(h, "Exported to");
}

#[test]
fn an_export_message_stays_with_its_case_and_can_be_dismissed() {
    let folder = temp_folder("export");
    let mut h = harness();
    h.run();
    open_from_catalog(&mut h, HTN);
    export_chart(&mut h, &folder);
    // Another case: the first case's message does not follow.
    h.get_by_label("Back to catalog").click();
    h.run();
    assert!(h.query_by_label_contains("Exported to").is_none());
    open_from_catalog(&mut h, SPRAIN);
    h.run_steps(3);
    assert!(
        h.query_by_label_contains("Exported to").is_none(),
        "the first case's export message followed into another case"
    );
    // Its own export shows, and its ✕ removes it.
    export_chart(&mut h, &folder);
    h.get_by_role_and_label(AxRole::Button, "Dismiss").click();
    h.run();
    assert!(h.query_by_label_contains("Exported to").is_none());
    std::fs::remove_dir_all(&folder).unwrap();
}

/// A store with an employer admin (password `ADMIN_PW`).
fn admin_store() -> Store {
    let mut store = Store::open_in_memory().unwrap();
    store
        .create_person(None, ADMIN, Role::EmployerAdmin, Some(ADMIN_PW), &now())
        .unwrap();
    store
}

fn staff_harness(store: Store) -> Harness<'static, EhrApp> {
    let mut h = harness_at(ContentRoot::at(env!("CARGO_MANIFEST_DIR")), Ok(store));
    h.run();
    h.get_by_label("Staff").click();
    h.run();
    type_into(&mut h, "Staff name", ADMIN);
    type_into(&mut h, "Password", ADMIN_PW);
    h.get_by_label("Sign in").click();
    h.run();
    h
}

fn staff(h: &Harness<'_, EhrApp>) -> StaffState {
    match &h.state().state.screen {
        Screen::Staff(s) => (**s).clone(),
        other => panic!("not on the staff screen: {other:?}"),
    }
}

fn create_assessment(h: &mut Harness<'static, EhrApp>, name: &str) {
    // The tab (the first of the labels named so: the builder has a heading of that name).
    h.get_all_by_label("Assessments").next().unwrap().click();
    h.run();
    type_into(h, "Assessment name", name);
    h.get_by_label_contains(&format!("{HTN} (")).click();
    h.run();
    h.get_by_label("Create assessment").click();
    h.run();
}

#[test]
fn a_candidate_registered_by_staff_is_listed_without_a_restart() {
    let mut h = staff_harness(admin_store());
    create_assessment(&mut h, "Coder screen");
    type_into(&mut h, "Candidate name", "Casey Candidate");
    h.get_by_label("Register candidate").click();
    h.run();
    h.get_by_label(
        "Registered Casey Candidate for Coder screen: their access code is shown once below",
    );
    let (_, code) = staff(&h).assessments.issued_code.expect("a code");
    // A student added under People is listed at once.
    h.get_by_label("People and cohorts").click();
    h.run();
    type_into(&mut h, "Name", "Pat Student");
    h.get_by_label("Add person").click();
    h.run();
    h.get_by_label("Back to catalog").click();
    h.run();
    h.get_by_label("Profile Pat Student");
    // Candidates are not listed for anyone to click: the new one signs in with the code at once.
    assert!(h.query_by_label("Profile Casey Candidate").is_none());
    crate::ui::candidate_sign_in(&mut h, "Casey Candidate", &code);
    assert_eq!(
        h.state()
            .state
            .profile
            .as_ref()
            .map(|p| p.name().to_string()),
        Some("Casey Candidate".to_string())
    );
    h.get_by_label("Start: Coder screen");
}

#[test]
fn the_assessment_report_goes_to_the_exports_folder_and_names_its_path() {
    let mut h = staff_harness(admin_store());
    create_assessment(&mut h, "Coder screen");
    // Unless another path is typed, the report goes to the data folder's exports/.
    let typed = PathBuf::from(&staff(&h).assessments.report_path);
    if let Ok(data) = ehr_sim::paths::data_dir() {
        assert!(
            typed.starts_with(data.join("exports")) && typed.is_absolute(),
            "{}",
            typed.display()
        );
    }
    let path = temp_folder("assessment").join("report.html");
    let field = "Report file (HTML)";
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
    assert!(
        std::fs::read_to_string(&path)
            .unwrap()
            .starts_with("<!DOCTYPE html>")
    );
    assert_eq!(
        staff(&h).notice,
        Some(Notice::Written {
            what: "Assessment report".to_string(),
            path: path.clone(),
        })
    );
    h.get_by_label(&format!("Assessment report written to {}", path.display()));
    h.get_by_label("Copy path");
    // The message can be dismissed.
    h.get_by_role_and_label(AxRole::Button, "Dismiss").click();
    h.run();
    assert_eq!(staff(&h).notice, None);
    std::fs::remove_dir_all(path.parent().unwrap()).unwrap();
}

/// The app at a tall size (the whole feedback list on screen), after submitting `title` blank.
fn submitted(title: &str) -> Harness<'static, EhrApp> {
    let app = EhrApp::with_store(
        ContentRoot::at(env!("CARGO_MANIFEST_DIR")),
        Store::open_in_memory().map_err(|e| e.to_string()),
    );
    let mut h = Harness::builder()
        .with_size([1280.0, 8000.0])
        .build_ui_state(|ui, app: &mut EhrApp| app.frame_ui(ui), app);
    h.run();
    open(&mut h, title);
    h.get_by_label("Submit").click();
    h.run();
    assert!(matches!(h.state().state.screen, Screen::Feedback(_)));
    h
}

fn report(h: &Harness<'_, EhrApp>) -> ehr_sim::grading::GradeReport {
    match &h.state().state.screen {
        Screen::Feedback(f) => f.report.clone(),
        other => panic!("no feedback: {other:?}"),
    }
}

#[test]
fn feedback_shows_expected_values_as_people_write_them() {
    let h = submitted(HTN);
    let temperature = report(&h)
        .criteria
        .into_iter()
        .find(|c| c.expected.get("unit").and_then(Value::as_str) == Some("°C"))
        .expect("a temperature criterion");
    let value = temperature.expected["value"].to_string();
    h.get_by_label(&format!("{value} °C"));
    // Lists of records (allergies, medications) read as text, not JSON.
    let raw =
        h.query_all_by_label_contains("{\"").count() + h.query_all_by_label_contains("[\"").count();
    assert_eq!(raw, 0, "raw JSON in the feedback");
}

#[test]
fn not_applicable_criteria_are_folded_away() {
    let h = submitted(LATE_NOE);
    let r = report(&h);
    let skipped: Vec<_> = r
        .criteria
        .iter()
        .filter(|c| c.outcome == Outcome::NotApplicable)
        .collect();
    assert!(
        !skipped.is_empty(),
        "the case has no not-applicable criterion"
    );
    let n = skipped.len();
    let header = if n == 1 {
        "1 criterion not applicable to this case".to_string()
    } else {
        format!("{n} criteria not applicable to this case")
    };
    h.get_by_label(&header);
    for c in skipped {
        let applicable_namesake = r
            .criteria
            .iter()
            .any(|o| o.title == c.title && o.outcome != Outcome::NotApplicable);
        if !applicable_namesake {
            assert!(
                h.query_by_label(&c.title).is_none(),
                "{} is listed open",
                c.title
            );
        }
    }
    assert!(h.query_by_label_contains("0.00 / 0.00").is_none());
}

#[test]
fn no_text_style_is_under_12_px() {
    let mut h = harness();
    h.run();
    let sizes: Vec<(egui::TextStyle, f32)> = h
        .ctx
        .global_style()
        .text_styles
        .iter()
        .map(|(style, font)| (style.clone(), font.size))
        .collect();
    for (style, size) in sizes {
        assert!(size >= 12.0, "{style:?} is {size} px");
    }
}

#[test]
fn the_top_bar_names_the_signed_in_staff_member() {
    let h = staff_harness(admin_store());
    h.get_by_label(&format!("Signed in: {ADMIN} · Employer admin"));
    assert!(h.query_by_label_contains("Learner:").is_none());
}

/// The rect of a widget in physical pixels.
fn physical_rect(h: &Harness<'_, EhrApp>, label: &str) -> egui::Rect {
    let ppp = h.ctx.pixels_per_point();
    let r = h
        .query_by_label(label)
        .or_else(|| h.query_by_label("A+"))
        .unwrap_or_else(|| panic!("no {label} button"))
        .rect();
    egui::Rect::from_min_max(
        (r.min.to_vec2() * ppp).to_pos2(),
        (r.max.to_vec2() * ppp).to_pos2(),
    )
}

#[test]
fn the_larger_text_button_does_not_move_when_clicked() {
    const WINDOW: egui::Vec2 = egui::vec2(1280.0, 800.0);
    let mut h = harness();
    h.run();
    let before = physical_rect(&h, "Larger text");
    for _ in 0..3 {
        h.query_by_label("Larger text")
            .or_else(|| h.query_by_label("A+"))
            .unwrap()
            .click();
        h.run();
        // The window keeps its size in pixels: in points it shrinks as the zoom grows (as the
        // native integration reports it).
        let zoom = h.ctx.zoom_factor();
        h.set_size(WINDOW / zoom);
        h.run();
    }
    assert!((h.ctx.zoom_factor() - 1.3).abs() < 1e-3);
    let after = physical_rect(&h, "Larger text");
    assert!(
        (after.min - before.min).length() < 1.0 && (after.max - before.max).length() < 1.0,
        "moved from {before:?} to {after:?}"
    );
}

/// A store with the employer admin and one graded attempt of a learner on `HTN_ID`.
fn store_with_attempt() -> Store {
    let mut store = admin_store();
    let admin = store.sign_in(ADMIN, Some(ADMIN_PW)).unwrap();
    let learner = store
        .create_person(Some(&admin), "Sam Student", Role::Student, None, &now())
        .unwrap();
    store
        .record_attempt(&NewAttempt {
            learner_id: learner.person_id(),
            scenario_id: HTN_ID.to_string(),
            scenario_version_hash: "0123456789abcdef".to_string(),
            seed: 7,
            mode: Mode::Practice,
            sitting_id: None,
            started_at: now(),
            submitted_at: now() + chrono::Duration::minutes(20),
            duration_secs: 1200,
            score: 0.5,
            max: 1.0,
            passed: false,
            competencies: vec!["documentation".to_string()],
            findings: vec![FindingRecord {
                criterion_id: "temperature".to_string(),
                points: 0.5,
                max: 1.0,
                outcome: "partial".to_string(),
                feedback: "close".to_string(),
                rule: "Record the temperature with its unit".to_string(),
                expected: "{\"unit\":\"°C\",\"value\":36.4}".to_string(),
                given: "{\"unit\":\"°C\",\"value\":36.9}".to_string(),
                title: "Temperature".to_string(),
                section: String::new(),
            }],
            criticals: Vec::new(),
            rubric_hash: None,
        })
        .unwrap();
    store
}

#[test]
fn the_gradebook_names_scenarios_by_title_and_shows_values_plainly() {
    let mut h = staff_harness(store_with_attempt());
    h.get_by_label("Gradebook").click();
    h.run();
    h.get_by_label(HTN);
    assert!(h.query_by_label_contains("@0123").is_none());
    h.get_by_label(&format!("Open Sam Student on {HTN}"))
        .click();
    h.run();
    h.get_by_label("36.4 °C");
    h.get_by_label("36.9 °C");
    assert!(h.query_by_label_contains("\"value\"").is_none());
    h.get_by_label_contains(&format!("Sam Student — {HTN}"));
    // Item analysis names the criteria by their rubric titles.
    h.get_by_label(&format!("Criteria of {HTN}")).click();
    h.run();
    h.get_by_label("Temperature with unit");
}

#[test]
fn the_review_frames_the_code_line_that_lost_points() {
    let mut h = harness();
    h.run();
    open(
        &mut h,
        "Office note: type 2 diabetes with CKD and hypertension",
    );
    // The key's diagnoses with the second line replaced by a wrong code.
    let (path, wrong_line) = {
        let Screen::Chart(w) = &mut h.state_mut().state.screen else {
            panic!("no chart");
        };
        let mut answer = w.case.key();
        let codes = answer["codes"]["diagnoses"].as_array_mut().unwrap();
        assert!(codes.len() >= 2, "{codes:?}");
        codes[1] = Value::String("J45.909".to_string());
        w.answer = answer;
        ("codes.diagnoses", 1)
    };
    h.get_by_label("Submit").click();
    h.run();
    let Screen::Feedback(f) = &h.state().state.screen else {
        panic!("no feedback");
    };
    let review = f.workspace.review.as_ref().expect("a review");
    let line = format!("{path}[{wrong_line}]");
    let lost = review
        .lost
        .iter()
        .find(|l| l.fields.iter().any(|p| p.starts_with(path)))
        .expect("the code list lost points");
    assert_eq!(lost.fields, vec![line.clone()]);
    assert_eq!(review.at(&line).len(), 1);
    assert!(review.at(&format!("{path}[0]")).is_empty());
    let title = lost.title.clone();
    // In the chart, the frame with what was lost sits on the second line, not around the list.
    h.get_by_label("Review in the chart").click();
    h.run();
    h.run();
    let marks: Vec<egui::Rect> = h
        .get_all_by_label_contains(&format!("pts · {title}"))
        .map(|n| n.rect())
        .collect();
    assert_eq!(marks.len(), 1, "one mark, on the line");
    let second = h.get_by_label_contains("Claim line 2: ").rect();
    let third = h.get_by_label_contains("Claim line 3: ").rect();
    assert!(
        marks[0].top() > second.top() && marks[0].bottom() < third.top(),
        "the mark {:?} is between line 2 {second:?} and line 3 {third:?}",
        marks[0]
    );
}

#[test]
fn feedback_names_codes_with_their_titles() {
    let app = EhrApp::with_store(
        ContentRoot::at(env!("CARGO_MANIFEST_DIR")),
        Store::open_in_memory().map_err(|e| e.to_string()),
    );
    let mut h = Harness::builder()
        .with_size([1280.0, 8000.0])
        .build_ui_state(|ui, app: &mut EhrApp| app.frame_ui(ui), app);
    h.run();
    open(
        &mut h,
        "Office note: type 2 diabetes with CKD and hypertension",
    );
    let first = {
        let Screen::Chart(w) = &mut h.state_mut().state.screen else {
            panic!("no chart");
        };
        w.answer = w.case.key();
        let codes = w.answer["codes"]["diagnoses"].clone();
        let first = codes[0].as_str().map(str::to_string);
        first.unwrap_or_else(|| codes[0]["code"].as_str().unwrap().to_string())
    };
    h.get_by_label("Submit").click();
    h.run();
    let title = ehr_sim::terminology::lookup(ehr_sim::terminology::System::Icd10Cm, &first)
        .expect("the key's code is in the code set")
        .description
        .clone();
    assert!(
        h.query_all_by_label_contains(&format!("{first} — {title}"))
            .next()
            .is_some(),
        "no {first} — {title}"
    );
}
