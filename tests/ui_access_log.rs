//! The access log of an access-audit case in the app, driven headlessly with egui_kittest: the
//! case opens on the log table; a flag set there is the answer's `flags` list, kept when the
//! learner moves between sections, and graded on submission; the form does not repeat the flags.

#![allow(
    clippy::wildcard_enum_match_arm,
    reason = "a test expects one screen or task kind; any other one, present or future, fails it"
)]

use egui_kittest::kittest::{NodeT as _, Queryable};
use ehr_sim::tasks::TaskMaterial;
use ehr_sim::ui::app::Screen;
use ehr_sim::ui::chart::Section;
use serde_json::json;

use super::ui::{harness, open};

const CLINIC: &str = "Access audit: a small clinic's month";

#[test]
fn an_access_audit_case_opens_on_the_log_and_its_flags_are_the_answer() {
    let mut h = harness();
    open(&mut h, CLINIC);
    let Screen::Chart(w) = &h.state().state.screen else {
        panic!("the chart did not open");
    };
    assert_eq!(w.section, Section::AccessLog);
    let TaskMaterial::AccessAudit(m) = &w.case.task else {
        panic!("not an access-audit case");
    };
    let total = m.log.events.len();
    h.get_by_label(&format!("{total} of {total} events"));
    // The flags are set in the table, not in the form.
    assert!(h.query_by_label("Add flags").is_none());
    let first = h
        .query_all_by_label_contains("Flag event ")
        .map(|n| n.accesskit_node().label().unwrap_or_default())
        .min()
        .expect("a flag box");
    let event = first.trim_start_matches("Flag event ").to_string();
    h.get_by_label(&first).click();
    h.run();
    // The learner scrolls the details to the rule.
    h.get_by_label_contains("access.no_relationship — ")
        .scroll_to_me();
    h.run();
    h.get_by_label_contains("access.no_relationship — ").click();
    h.run();
    let flags = |h: &egui_kittest::Harness<'static, ehr_sim::ui::app::EhrApp>| match &h
        .state()
        .state
        .screen
    {
        Screen::Chart(w) => w.answer["flags"].clone(),
        _ => panic!("no chart"),
    };
    let expected = json!([{"event": event, "rules": ["access.no_relationship"]}]);
    assert_eq!(flags(&h), expected);
    // Away and back: the table shows the same flag.
    h.get_by_label("Summary").click();
    h.run();
    h.get_by_label("Access log").click();
    h.run();
    assert_eq!(flags(&h), expected);
    h.get_by_label("Flagged only").click();
    h.run();
    h.get_by_label(&format!("1 of {total} events"));
}
