//! The hospice timeline chart section, driven headlessly with egui_kittest: it opens first for
//! hospice cases, lists the documented events with their dates, draws the learner's own
//! periods (never the key's, in practice or in an assessment) and is absent for other kinds.

#![allow(
    clippy::wildcard_enum_match_arm,
    reason = "a test expects one screen or task kind; any other one, present or future, fails it"
)]

use egui_kittest::kittest::Queryable;
use ehr_sim::ui::app::Screen;
use ehr_sim::ui::chart::Section;

use super::ui::{candidate_sitting, harness, open};

const REVOCATION: &str = "Hospice: revocation in period 2 and re-election";

#[test]
fn a_hospice_case_opens_on_the_timeline() {
    let mut h = harness();
    open(&mut h, REVOCATION);
    let Screen::Chart(w) = &h.state().state.screen else {
        panic!("the chart did not open");
    };
    assert_eq!(w.section, Section::Timeline);
    assert_eq!(w.case.seed, 1);
    // In the navigation, with the drawing labelled for screen readers.
    h.get_by_label("Timeline");
    h.get_by_label(
        "Hospice timeline drawing from 2026-02-09 to 2026-07-15: 30 documented events, 0 benefit periods entered, 3 care days logged",
    );
    h.get_by_label("Review date (today in the case): 2026-07-15");
    // Leaving and coming back through the navigation.
    h.get_by_label("Summary").click();
    h.run();
    h.get_by_label("Timeline").click();
    h.run();
    let Screen::Chart(w) = &h.state().state.screen else {
        panic!("no chart");
    };
    assert_eq!(w.section, Section::Timeline);
}

#[test]
fn the_summary_lists_the_documented_events_with_their_dates() {
    let mut h = harness();
    open(&mut h, REVOCATION);
    for line in [
        "2026-02-09 — Election 1 effective (admission); statement signed 2026-02-09; attending: physician",
        "2026-02-09 — Period 1 initial certification, written, dated 2026-02-09, signed by hospice medical director and attending physician",
        "2026-02-10 — Notice of Election for election 1 submitted to the MAC",
        "2026-02-10 — Notice of Election for election 1 accepted by the MAC",
        "2026-02-10 — HOPE admission record",
        "2026-02-18 — HOPE update visit 1 (HUV1)",
        "2026-03-02 — HOPE update visit 2 (HUV2)",
        "2026-05-06 — Period 2 recertification, written, dated 2026-05-06, signed by hospice medical director",
        "2026-05-31 — Stay 1 ended: revoked by the patient (last day of hospice care)",
        "2026-06-09 — Face-to-face encounter by the hospice nurse practitioner",
        "2026-06-19 — Re-election: election 2 effective (admission); statement signed 2026-06-19; attending: physician",
        "2026-06-19 — Period 3 initial certification, written, dated 2026-06-19, signed by hospice medical director and attending physician",
        "2026-06-21 — Symptom follow-up visit (in person)",
        "2026-07-15 — home: nursing 1 h, aide 0 h — level not chosen yet",
    ] {
        assert!(
            h.query_by_label(line).is_some(),
            "missing summary line: {line}"
        );
    }
    assert_eq!(
        h.query_all_by_label("2026-03-09 — IDG review of the plan of care")
            .count(),
        1
    );
}

#[test]
fn entering_a_period_in_the_form_draws_its_band() {
    let mut h = harness();
    open(&mut h, REVOCATION);
    h.get_by_label("No benefit periods entered — enter periods in the form.");
    // Fold the record's text away so the form is in view, as a learner would.
    h.get_by_label("Hospice record").click();
    h.run();
    h.get_by_label("Add benefit period").scroll_to_me();
    h.run();
    h.get_by_label("Add benefit period").click();
    h.run();
    for (field, text) in [
        ("Benefit period 1 Number", "1"),
        ("Benefit period 1 Start", "2026-02-09"),
        ("Benefit period 1 End", "2026-05-09"),
    ] {
        h.get_by_label(field).click();
        h.get_by_label(field).type_text(text);
        h.run();
    }
    h.run();
    h.get_by_label("Period 1 band: 2026-02-09 to 2026-05-09 (90 days)");
    assert!(
        h.query_by_label("No benefit periods entered — enter periods in the form.")
            .is_none()
    );
    // Hovering the band (top lane of the drawing, right of the lane names) shows its dates.
    let drawing = h
        .get_by_label_contains("documented events, 1 benefit periods entered")
        .rect();
    h.hover_at(drawing.left_top() + egui::vec2(90.0, 29.0));
    h.run_steps(40);
    assert_eq!(
        h.query_all_by_label("Period 1 band: 2026-02-09 to 2026-05-09 (90 days)")
            .count(),
        2,
        "the summary line and the band's hover"
    );
    // A level chosen for a logged day colours the strip and is listed.
    h.get_by_label("Add care day").scroll_to_me();
    h.run();
    h.get_by_label("Add care day").click();
    h.run();
    let day = "Care day 1 Day";
    h.get_by_label(day).scroll_to_me();
    h.run();
    h.get_by_label(day).click();
    h.get_by_label(day).type_text("2026-07-14");
    h.run();
    // The level is chosen from the four levels of care.
    h.get_by_label("Care day 1 Level of care").click();
    h.run();
    h.get_by_label("RHC: routine home care").click();
    h.run();
    h.get_by_label("2026-07-14 — home: nursing 1 h, aide 0 h — your level: RHC");
}

#[test]
fn other_task_kinds_have_no_timeline() {
    let mut h = harness();
    open(&mut h, "Office follow-up: hypertension and type 2 diabetes");
    let Screen::Chart(w) = &h.state().state.screen else {
        panic!("the chart did not open");
    };
    assert_eq!(w.section, Section::Summary);
    assert!(h.query_by_label("Timeline").is_none());
    assert!(h.query_by_label("Encounters").is_some());
}

/// A candidate sitting a hospice item sees the record's events but no benefit period: the key's
/// periods are never drawn.
#[test]
fn an_assessment_shows_no_key_periods() {
    let h = candidate_sitting("Hospice check", &["revocation_reelection"]);
    let key_starts: Vec<String> = match &h.state().state.screen {
        Screen::Exam(e) => {
            let w = e.workspace.as_ref().expect("open item");
            assert_eq!(w.mode, ehr_sim::store::Mode::Assessment);
            assert_eq!(w.section, Section::Timeline);
            w.case.key()["periods"]
                .as_array()
                .expect("key periods")
                .iter()
                .filter_map(|p| p["start"].as_str().map(str::to_string))
                .collect()
        }
        _ => panic!("not in the exam room"),
    };
    assert!(!key_starts.is_empty());
    h.get_by_label("No benefit periods entered — enter periods in the form.");
    h.get_by_label_contains("documented events, 0 benefit periods entered");
    assert!(h.query_by_label_contains(" band: ").is_none());
    for start in key_starts {
        assert!(
            h.query_by_label_contains(&format!("band: {start}"))
                .is_none(),
            "a key period starting {start} is drawn"
        );
    }
}
