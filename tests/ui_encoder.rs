//! The app's encoder (issue #14 item 7) driven headlessly with egui_kittest: common forms rank
//! first and "hypertension" reaches "hypertensive"; an empty result says "No codes match" with
//! suggestions; titles wrap and claim lines show the title; codes that conflict with the
//! patient's sex or age are flagged (not hidden) in the results and on claim lines; and after
//! Add nothing moves under the pointer.

#![allow(
    clippy::wildcard_enum_match_arm,
    reason = "a test expects one screen; any other one, present or future, fails it"
)]

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use ehr_sim::patient::Sex;
use ehr_sim::ui::app::{EhrApp, Screen};
use ehr_sim::ui::workspace::Workspace;

use super::ui::{harness, open};

const CODING: &str = "Office note: type 2 diabetes with CKD and hypertension";

fn chart() -> Harness<'static, EhrApp> {
    let mut h = harness();
    h.run();
    open(&mut h, CODING);
    h
}

fn workspace<'a>(h: &'a Harness<'static, EhrApp>) -> &'a Workspace {
    match &h.state().state.screen {
        Screen::Chart(w) => w,
        _ => panic!("no chart"),
    }
}

fn search(h: &mut Harness<'static, EhrApp>, query: &str) {
    h.get_by_label("Search Diagnoses").click();
    h.run();
    h.get_by_label("Search Diagnoses").type_text(query);
    h.run();
}

fn shown_codes(h: &Harness<'static, EhrApp>) -> Vec<String> {
    workspace(h)
        .encoder
        .hits
        .iter()
        .map(|hit| hit.code.clone())
        .collect()
}

#[test]
fn common_forms_rank_first_and_hypertension_reaches_hypertensive() {
    let mut h = chart();
    search(&mut h, "diabetes ckd");
    assert_eq!(
        shown_codes(&h).first().map(String::as_str),
        Some("E11.22"),
        "{:?}",
        shown_codes(&h)
    );
    // Shown first, above the other diabetes types.
    let e11 = h.get_by_label("Add E11.22").rect();
    let e13 = h.get_by_label("Add E13.22").rect();
    assert!(e11.top() < e13.top());
    // Why it matched is on the row.
    assert!(
        h.query_all_by_label_contains("ckd → chronic kidney disease (synonym)")
            .next()
            .is_some()
    );
    let mut h = chart();
    search(&mut h, "hypertension ckd");
    assert!(shown_codes(&h).iter().take(3).any(|c| c == "I12.9"));
    h.get_by_label("Add I12.9");
}

#[test]
fn an_empty_result_says_no_codes_match_with_suggestions() {
    let mut h = chart();
    search(&mut h, "zzzzqqqq");
    assert!(shown_codes(&h).is_empty());
    h.get_by_label(
        "No codes match \"zzzzqqqq\". Suggestions: drop \"zzzzqqqq\" (no title uses it).",
    );
    // A word no title uses is named, with the results for the others.
    let mut h = chart();
    search(&mut h, "diabetes ckd qqqqq");
    assert_eq!(shown_codes(&h).first().map(String::as_str), Some("E11.22"));
    h.get_by_label("No code uses \"qqqqq\"; the results match the other words.");
}

#[test]
fn titles_wrap_and_claim_lines_show_the_title() {
    let mut h = chart();
    search(&mut h, "hypertension ckd");
    // The long I12.9 title is shown whole, over more than one line.
    let title = "Hypertensive chronic kidney disease with stage 1 through stage 4 chronic kidney disease, or unspecified chronic kidney disease";
    let long = h.get_by_label(&format!("I12.9 {title}")).rect();
    let add = h.get_by_label("Add I12.9").rect();
    // (More than one line of text: a button is one line plus its padding.)
    assert!(long.height() > 1.5 * add.height(), "{long:?} vs {add:?}");
    h.get_by_label("Add I12.9").click();
    h.run();
    h.get_by_label(&format!("Claim title 1: {title}"));
    assert_eq!(
        workspace(&h).answer["codes"]["diagnoses"],
        serde_json::json!(["I12.9"])
    );
}

#[test]
fn codes_that_conflict_with_sex_or_age_are_flagged_not_hidden() {
    let mut h = chart();
    if let Screen::Chart(w) = &mut h.state_mut().state.screen {
        w.case.patient.demographics.sex = Sex::Male;
        w.case.patient.demographics.age_years = 50;
    }
    search(&mut h, "pregnancy 20 weeks gestation");
    assert_eq!(shown_codes(&h).first().map(String::as_str), Some("Z3A.20"));
    let flag = "Flag Z3A.20: Maternity code for a male patient";
    assert_eq!(h.get_all_by_label(flag).count(), 1);
    h.get_by_label("Add Z3A.20").click();
    h.run();
    // On the claim line too: the result row and the claim line both carry it.
    assert_eq!(h.get_all_by_label(flag).count(), 2);
    assert_eq!(
        workspace(&h).answer["codes"]["diagnoses"],
        serde_json::json!(["Z3A.20"])
    );
    // A male-only code is not flagged for him; a female-only one is.
    let mut h = chart();
    if let Screen::Chart(w) = &mut h.state_mut().state.screen {
        w.case.patient.demographics.sex = Sex::Male;
        w.case.patient.demographics.age_years = 50;
    }
    search(&mut h, "benign prostatic hyperplasia");
    h.get_by_label("Add N40.0");
    assert!(h.query_by_label_contains("Flag N40").is_none());
    let mut h = chart();
    if let Screen::Chart(w) = &mut h.state_mut().state.screen {
        w.case.patient.demographics.sex = Sex::Male;
        w.case.patient.demographics.age_years = 50;
    }
    search(&mut h, "ovarian cyst");
    assert!(h.query_all_by_label_contains("Flag N83.2").next().is_some());
}

#[test]
fn after_add_the_row_under_the_pointer_is_the_same_code() {
    let mut h = chart();
    search(&mut h, "diabetes ckd");
    let codes = shown_codes(&h);
    let (first, second) = (codes[0].clone(), codes[1].clone());
    let button = h.get_by_label(&format!("Add {first}")).rect();
    let handle = h.get_by_label(&format!("Drag {first}")).rect();
    let next = h.get_by_label(&format!("Add {second}")).rect();
    h.get_by_label(&format!("Add {first}")).click();
    h.run();
    assert_eq!(
        workspace(&h).answer["codes"]["diagnoses"],
        serde_json::json!([first])
    );
    // The button under the pointer still belongs to the same code (now "on the claim"), and
    // the rows did not move.
    assert_eq!(
        h.get_by_label(&format!("{first} is on the claim")).rect(),
        button
    );
    assert_eq!(h.get_by_label(&format!("Drag {first}")).rect(), handle);
    assert_eq!(h.get_by_label(&format!("Add {second}")).rect(), next);
    // Adding the next one the same way does not move it either.
    h.get_by_label(&format!("Add {second}")).click();
    h.run();
    assert_eq!(
        h.get_by_label(&format!("{second} is on the claim")).rect(),
        next
    );
}

/// Inpatient coding in practice: each diagnosis line takes a POA indicator, and the claim
/// shows the MS-DRG it groups to as codes are added (issue #18 item 5).
#[test]
fn inpatient_claim_lines_take_poa_and_show_the_live_drg() {
    let mut h = harness();
    h.run();
    open(&mut h, "Discharge summary: sepsis due to pneumonia");
    h.get_by_label_contains("MS-DRG: add the principal diagnosis");
    for code in ["A41.9", "J18.9"] {
        h.get_by_label("Search Diagnoses").click();
        h.run();
        h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
        h.get_by_label("Search Diagnoses").type_text(code);
        h.run();
        h.get_by_label(&format!("Add {code}")).click();
        h.run();
    }
    // A41.9 with J18.9 (an MCC with a sepsis principal) groups to 871.
    assert!(
        h.query_all_by_label_contains(
            "MS-DRG 871 SEPTICEMIA OR SEVERE SEPSIS WITHOUT MV >96 HOURS WITH MCC"
        )
        .next()
        .is_some()
    );
    h.get_by_label("POA of J18.9").click();
    h.run();
    h.get_by_label("N: not present at the time of inpatient admission")
        .click();
    h.run();
    assert_eq!(
        workspace(&h).answer["codes"]["poa"],
        serde_json::json!([{"code": "J18.9", "indicator": "N"}])
    );
    assert_eq!(workspace(&h).poa_of("J18.9"), "N");
    // Removing the principal diagnosis's line leaves J18.9 principal: pneumonia, MDC 04.
    h.get_all_by_label("Remove")
        .next()
        .expect("a remove button")
        .click();
    h.run();
    assert!(
        h.query_all_by_label_contains("MS-DRG 19").next().is_some(),
        "{:?}",
        workspace(&h).drg
    );
}

/// An assessment shows the live MS-DRG only when its author allows it.
#[test]
fn an_assessment_shows_the_live_drg_only_when_its_author_allows() {
    for show in [false, true] {
        let mut h =
            super::ui::candidate_registered_with("DRG exam", &["inpatient_sepsis_pneumonia"], show);
        super::ui::candidate_sign_in(&mut h, "Casey Candidate", super::ui::CASEY_CODE);
        h.get_by_label("Start: DRG exam").click();
        h.run();
        h.get_by_label("Search Diagnoses").click();
        h.run();
        h.get_by_label("Search Diagnoses").type_text("A41.9");
        h.run();
        h.get_by_label("Add A41.9").click();
        h.run();
        let shown = h.query_all_by_label_contains("MS-DRG 87").next().is_some();
        assert_eq!(shown, show, "show_drg {show}");
        // The POA drop-downs are there either way: they are part of the answer.
        h.get_by_label("POA of A41.9");
    }
}
