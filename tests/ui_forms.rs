//! The task forms typed into and clicked like a person would (headless, egui_kittest): every
//! keystroke is kept exactly, autosave never takes the focus, and each field's widget follows
//! its type.

#![allow(
    clippy::wildcard_enum_match_arm,
    reason = "a test expects one screen; any other one, present or future, fails it"
)]

use egui::{Event, Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use ehr_sim::ui::app::{EhrApp, Screen};
use ehr_sim::ui::workspace::Workspace;
use serde_json::{Value, json};

use crate::ui::{harness, open};

const OFFICE: &str = "Office follow-up: hypertension and type 2 diabetes";

fn workspace<'a>(h: &'a Harness<'static, EhrApp>) -> &'a Workspace {
    match &h.state().state.screen {
        Screen::Chart(w) => w,
        _ => panic!("no chart"),
    }
}

fn value_at<'a>(w: &'a Workspace, pointer: &str) -> &'a Value {
    w.answer.pointer(pointer).unwrap_or(&Value::Null)
}

/// The app with a learner profile (so drafts are saved) on the chart of `title`. The shipped
/// fonts have no emoji: the app draws a box for one (egui's default), the test allows that.
fn with_profile(title: &str) -> Harness<'static, EhrApp> {
    let app = EhrApp::with_store(
        ehr_sim::library::ContentRoot::at(env!("CARGO_MANIFEST_DIR")),
        ehr_sim::store::Store::open_in_memory().map_err(|e| e.to_string()),
    );
    let mut h = Harness::builder()
        .with_size([1280.0, 800.0])
        .allow_missing_glyphs()
        .build_ui_state(|ui, app: &mut EhrApp| app.frame_ui(ui), app);
    h.run();
    h.get_by_label("New profile name").click();
    h.get_by_label("New profile name").type_text("Fay Forms");
    h.run();
    h.get_by_label("Create profile").click();
    h.run();
    open(&mut h, title);
    h
}

/// Scrolls the widget labelled `label` into view and clicks it.
fn press(h: &mut Harness<'static, EhrApp>, label: &str) {
    h.get_by_label(label).scroll_to_me();
    h.run();
    h.get_by_label(label).click();
    h.run();
}

/// Scrolls the text input named `label` into view and clicks into it.
fn click_input(h: &mut Harness<'static, EhrApp>, label: &str) {
    input(h, label).scroll_to_me();
    h.run();
    input(h, label).click();
    h.run();
}

/// The text input named `label`.
fn input<'h>(h: &'h Harness<'static, EhrApp>, label: &'h str) -> egui_kittest::Node<'h> {
    h.get_by_role_and_label(egui::Role::TextInput, label)
}

/// Types `text` one character at a time into whatever has the focus, a frame after each.
fn type_slowly(h: &mut Harness<'static, EhrApp>, text: &str) {
    for c in text.chars() {
        h.event(Event::Text(c.to_string()));
        h.step();
    }
    h.run();
}

/// The saved draft's answer for the open case.
fn stored_draft(h: &Harness<'static, EhrApp>) -> Value {
    let state = &h.state().state;
    let session = state.profile.as_ref().expect("a profile");
    let w = workspace(h);
    let key = ehr_sim::store::DraftKey {
        learner_id: session.person_id(),
        scenario_id: w.scenario.scenario.id.clone(),
        seed: w.case.seed,
        mode: w.mode,
    };
    let draft = state
        .store
        .as_ref()
        .expect("a store")
        .load_draft(session, &key)
        .expect("readable")
        .expect("a draft");
    serde_json::from_str(&draft.payload).expect("json")
}

#[test]
fn autosave_in_the_middle_of_typing_keeps_the_focus_and_every_key() {
    let mut h = with_profile(OFFICE);
    click_input(&mut h, "Patient: Name");
    // The first key is saved at once (no save yet), another save is forced half-way.
    type_slowly(&mut h, "Benjamin");
    assert!(workspace(&h).note.starts_with("Draft saved"));
    h.state_mut().state.last_autosave = None;
    type_slowly(&mut h, " Kshlerin");
    assert!(input(&h, "Patient: Name").is_focused());
    assert_eq!(
        value_at(workspace(&h), "/patient/name"),
        "Benjamin Kshlerin"
    );
    h.state_mut().state.last_autosave = None;
    h.run();
    assert_eq!(stored_draft(&h)["patient"]["name"], "Benjamin Kshlerin");
    assert!(input(&h, "Patient: Name").is_focused());
    // The save's message is in the status bar at the bottom of the window.
    let note = workspace(&h).note.clone();
    assert!(h.get_by_label(&note).rect().bottom() > 760.0, "{note}");
}

#[test]
fn spaces_unicode_and_pasted_text_are_kept_exactly() {
    let mut h = with_profile(OFFICE);
    press(&mut h, "Add medication");
    click_input(&mut h, "Medication 1 Frequency");
    type_slowly(&mut h, "once ");
    // A pause after the space: frames pass, and a save.
    h.state_mut().state.last_autosave = None;
    h.run();
    type_slowly(&mut h, "daily");
    assert_eq!(
        value_at(workspace(&h), "/medications/0/frequency"),
        "once daily"
    );
    // Unicode in a field and text pasted into a cell.
    click_input(&mut h, "Patient: Name");
    type_slowly(&mut h, "Zoë Ångström ß 🙂");
    click_input(&mut h, "Medication 1 Dose");
    h.event(Event::Paste("500 mg  (half tablet) ".into()));
    h.run();
    let w = workspace(&h);
    assert_eq!(value_at(w, "/patient/name"), "Zoë Ångström ß 🙂");
    assert_eq!(value_at(w, "/medications/0/dose"), "500 mg  (half tablet) ");
    // The draft holds the same bytes.
    h.state_mut().state.last_autosave = None;
    h.run();
    let draft = stored_draft(&h);
    assert_eq!(draft["medications"][0]["frequency"], "once daily");
    assert_eq!(draft["patient"]["name"], "Zoë Ångström ß 🙂");
}

#[test]
fn removing_a_row_keeps_each_text_with_its_row_and_drafts_restore_cells() {
    let mut h = with_profile(OFFICE);
    press(&mut h, "Add medication");
    press(&mut h, "Add medication");
    click_input(&mut h, "Medication 1 Medication");
    type_slowly(&mut h, "metformin");
    click_input(&mut h, "Medication 2 Medication");
    type_slowly(&mut h, "lisinopril ");
    let remove = h
        .get_all_by_label("Remove")
        .next()
        .expect("a Remove button");
    remove.scroll_to_me();
    h.run();
    let remove = h
        .get_all_by_label("Remove")
        .next()
        .expect("a Remove button");
    remove.click();
    h.run();
    let w = workspace(&h);
    assert_eq!(value_at(w, "/medications/0/name"), "lisinopril ");
    assert_eq!(
        input(&h, "Medication 1 Medication").value().as_deref(),
        Some("lisinopril ")
    );
    // Back to the catalog (saves) and resumed: the cell shows exactly what was typed.
    h.get_by_label("Back to catalog").click();
    h.run();
    h.get_by_label_contains("Resume: Office follow-up").click();
    h.run();
    assert_eq!(
        input(&h, "Medication 1 Medication").value().as_deref(),
        Some("lisinopril ")
    );
}

#[test]
fn a_us_date_is_stored_iso_and_a_date_picker_is_offered() {
    let mut h = with_profile(OFFICE);
    click_input(&mut h, "Patient: Date of birth");
    type_slowly(&mut h, "03/14/2026");
    assert_eq!(value_at(workspace(&h), "/patient/dob"), "2026-03-14");
    h.get_by_label("Pick Patient: Date of birth");
}

#[test]
fn undo_and_redo_work_inside_a_field() {
    let mut h = with_profile(OFFICE);
    click_input(&mut h, "Chief complaint");
    type_slowly(&mut h, "headache");
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(value_at(workspace(&h), "/chief_complaint"), &Value::Null);
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    h.run();
    assert_eq!(value_at(workspace(&h), "/chief_complaint"), "headache");
}

#[test]
fn tab_skips_the_unit_toggles() {
    let mut h = with_profile(OFFICE);
    click_input(&mut h, "Vitals: Temperature");
    h.key_press(Key::Tab);
    h.run();
    assert!(input(&h, "Vitals: Heart rate (/min)").is_focused());
}

fn hospice(h: &mut Harness<'static, EhrApp>) {
    open(h, "Hospice admission: first election, end-stage dementia");
}

#[test]
fn hospice_labels_are_written_for_people_and_periods_are_whole_numbers() {
    let mut h = harness();
    hospice(&mut h);
    for label in [
        "NOE deadline",
        "HUV1 from",
        "Next IDG review due",
        "NOE filed on time",
        "Benefit periods",
    ] {
        assert!(h.get_all_by_label(label).next().is_some(), "{label}");
    }
    assert!(h.query_by_label("Noe deadline").is_none());
    assert!(h.query_by_label("Huv1 from").is_none());
    press(&mut h, "Add benefit period");
    click_input(&mut h, "Benefit period 1 Number");
    type_slowly(&mut h, "1");
    assert_eq!(value_at(workspace(&h), "/periods/0/number"), &json!(1));
    click_input(&mut h, "Benefit period 1 Number");
    assert_eq!(
        input(&h, "Benefit period 1 Number").value().as_deref(),
        Some("1")
    );
    // A level of care is chosen from the four levels, by name.
    press(&mut h, "Add care day");
    press(&mut h, "Care day 1 Level of care");
    press(&mut h, "GIP: general inpatient care");
    assert_eq!(value_at(workspace(&h), "/levels_of_care/0/level"), "GIP");
    // Yes/no is unanswered until the learner picks: an untouched question earns nothing (in
    // the late-NOE case an unticked box used to stand for a correct "no").
    assert_eq!(value_at(workspace(&h), "/noe_timely"), &json!(null));
    h.get_by_label("not answered");
    let yes = "NOE filed on time: Yes";
    h.get_by_role_and_label(egui::Role::RadioButton, yes)
        .scroll_to_me();
    h.run();
    h.get_by_role_and_label(egui::Role::RadioButton, yes)
        .click();
    h.run();
    assert_eq!(value_at(workspace(&h), "/noe_timely"), &json!(true));
    h.get_by_role_and_label(egui::Role::RadioButton, "NOE filed on time: No")
        .click();
    h.run();
    assert_eq!(value_at(workspace(&h), "/noe_timely"), &json!(false));
    // Picking the chosen answer again takes it back.
    h.get_by_role_and_label(egui::Role::RadioButton, "NOE filed on time: No")
        .click();
    h.run();
    assert_eq!(value_at(workspace(&h), "/noe_timely"), &json!(null));
    // Without a profile nothing is kept, and the status bar says so.
    h.get_by_label("Not saved: choose a profile in the catalog to keep drafts");
}

#[test]
fn no_known_allergies_is_a_checkbox_that_earns_the_allergy_points() {
    use ehr_sim::ui::app::Command;
    let mut h = harness();
    h.run();
    // A case of a charting scenario whose patient has no allergies.
    let (id, seed) = {
        let state = &h.state().state;
        state
            .scenarios
            .iter()
            .filter(|s| s.scenario.title == OFFICE)
            .flat_map(|s| (1..200).map(move |seed| (s, seed)))
            .find(|(s, seed)| {
                ehr_sim::case::generate(s, *seed, 0)
                    .patient
                    .allergies
                    .is_empty()
            })
            .map(|(s, seed)| (s.scenario.id.clone(), seed))
            .expect("a seed without allergies")
    };
    let now = chrono::DateTime::<chrono::Utc>::from(std::time::SystemTime::now());
    h.state_mut()
        .state
        .apply(Command::OpenScenario { id, seed }, None, now);
    h.run();
    press(&mut h, "No known allergies");
    assert_eq!(
        value_at(workspace(&h), "/allergies"),
        &json!([{"allergen": "No known allergies", "reaction": null, "severity": null, "kind": null}])
    );
    // No allergy can be added while NKA is ticked.
    assert!(h.query_by_label("Add allergy").is_none());
    let root = ehr_sim::library::ContentRoot::at(env!("CARGO_MANIFEST_DIR"));
    let report = workspace(&h).grade(&root).expect("graded");
    let allergies = report
        .criteria
        .iter()
        .find(|r| r.id == "allergies")
        .expect("the allergy criterion");
    assert!(
        (allergies.points - allergies.max).abs() < 1e-9,
        "{allergies:?}"
    );
    // Unticked, an allergy listed: NKA cannot be ticked (a contradiction).
    press(&mut h, "No known allergies");
    press(&mut h, "Add allergy");
    click_input(&mut h, "Allergy 1 Allergen");
    type_slowly(&mut h, "latex");
    press(&mut h, "No known allergies");
    assert_eq!(value_at(workspace(&h), "/allergies/0/allergen"), "latex");
}

#[test]
fn moved_and_removed_rows_keep_their_typed_text() {
    use ehr_sim::grading::FieldType;
    use ehr_sim::ui::app::Command;
    let mut h = harness();
    open(&mut h, OFFICE);
    let Screen::Chart(w) = &mut h.state_mut().state.screen else {
        panic!("no chart");
    };
    for (i, text) in ["asthma ", "  gout", "ß-thalassemia"]
        .into_iter()
        .enumerate()
    {
        w.apply(Command::AddRow("problems".into()));
        w.apply(Command::EditField {
            path: format!("problems[{i}]"),
            text: text.into(),
            ty: FieldType::TextList,
        });
    }
    w.apply(Command::MoveRow {
        path: "problems".into(),
        index: 2,
        up: true,
    });
    w.apply(Command::RemoveRow {
        path: "problems".into(),
        index: 0,
    });
    assert_eq!(w.answer["problems"], json!(["ß-thalassemia", "  gout"]));
    assert_eq!(w.text("problems[0]"), "ß-thalassemia");
    assert_eq!(w.text("problems[1]"), "  gout");
    assert_eq!(w.text("problems[2]"), "");
}

/// The last key typed is kept when a click on another field arrives in the same frame (a fast
/// typist on a slow machine: the frame batches both).
#[test]
fn a_key_and_a_click_elsewhere_in_one_frame_keep_the_key() {
    let mut h = with_profile(OFFICE);
    click_input(&mut h, "Patient: Name");
    type_slowly(&mut h, "Benjami");
    // "n" and a click on the next field, delivered together.
    h.event(Event::Text("n".to_string()));
    input(&h, "Patient: MRN").click();
    h.run();
    assert_eq!(value_at(workspace(&h), "/patient/name"), "Benjamin");
    assert!(input(&h, "Patient: MRN").is_focused());
}

#[test]
fn hospice_elements_and_audit_rules_are_picked_from_labelled_choices() {
    let mut h = harness();
    hospice(&mut h);
    // The learner reads the wording, never an id, and picking it stores the id.
    let cost = "Information on individual cost-sharing";
    assert!(h.query_by_label("cost_sharing").is_none());
    press(&mut h, cost);
    assert_eq!(
        value_at(workspace(&h), "/election_missing_elements"),
        &json!(["cost_sharing"])
    );
    press(&mut h, "Information on the BFCC-QIO and immediate advocacy");
    assert_eq!(
        value_at(workspace(&h), "/election_missing_elements"),
        &json!(["cost_sharing", "bfcc_qio"])
    );
    // "None" excludes the others, and the others exclude "none".
    press(&mut h, "None: the statement has every element");
    assert_eq!(
        value_at(workspace(&h), "/election_missing_elements"),
        &json!(["none"])
    );
    press(&mut h, cost);
    assert_eq!(
        value_at(workspace(&h), "/election_missing_elements"),
        &json!(["cost_sharing"])
    );
    // Unticking removes it.
    press(&mut h, cost);
    assert_eq!(
        value_at(workspace(&h), "/election_missing_elements"),
        &json!([])
    );
    let f2f = "f2f.window: face-to-face encounter outside its window (too early or too late)";
    press(&mut h, f2f);
    assert_eq!(value_at(workspace(&h), "/audit"), &json!(["f2f.window"]));
}

const DEPRESSION: &str = "Behavioral health follow-up: depression, PHQ-9 and C-SSRS";

#[test]
fn screening_and_growth_fields_are_drawn_typed_and_restored_from_the_draft() {
    let mut h = with_profile(DEPRESSION);
    for label in [
        "Screening: PHQ-9 total (0-27)",
        "Screening: PHQ-9 item 9 (0-3)",
    ] {
        input(&h, label);
    }
    // An adult's depression follow-up asks neither the GAD-7 nor growth percentiles.
    for label in [
        "Screening: GAD-7 total (0-21)",
        "Growth percentiles: Weight-for-age (percentile)",
        "Vitals: Head circumference",
    ] {
        assert!(
            h.query_by_role_and_label(egui::Role::TextInput, label)
                .is_none(),
            "{label} is drawn"
        );
    }
    click_input(&mut h, "Screening: PHQ-9 total (0-27)");
    type_slowly(&mut h, "17");
    assert_eq!(value_at(workspace(&h), "/screening/phq9_total"), &json!(17));
    // Totals are whole numbers: a fraction is not kept as an answer.
    click_input(&mut h, "Screening: PHQ-9 item 9 (0-3)");
    type_slowly(&mut h, "1.5");
    assert_eq!(
        value_at(workspace(&h), "/screening/phq9_item9"),
        &Value::Null
    );
    // The severity band and the risk level are picked from labelled choices.
    press(&mut h, "Screening: PHQ-9 severity");
    press(&mut h, "Moderately severe (15-19)");
    assert_eq!(
        value_at(workspace(&h), "/screening/phq9_severity"),
        "moderately_severe"
    );
    press(&mut h, "Screening: C-SSRS risk level");
    press(&mut h, "High risk");
    assert_eq!(value_at(workspace(&h), "/screening/cssrs_risk"), "high");
    // Each screener question is a yes/no left unanswered until picked.
    assert_eq!(value_at(workspace(&h), "/screening/cssrs_q4"), &Value::Null);
    let yes = "Screening: C-SSRS 4: intention of acting: Yes";
    h.get_by_role_and_label(egui::Role::RadioButton, yes)
        .scroll_to_me();
    h.run();
    h.get_by_role_and_label(egui::Role::RadioButton, yes)
        .click();
    h.run();
    assert_eq!(value_at(workspace(&h), "/screening/cssrs_q4"), &json!(true));
    // Back to the catalog (saves) and resumed: every entry comes back.
    h.get_by_label("Back to catalog").click();
    h.run();
    h.get_by_label_contains("Resume: Behavioral health follow-up")
        .click();
    h.run();
    let w = workspace(&h);
    assert_eq!(value_at(w, "/screening/phq9_total"), &json!(17));
    assert_eq!(value_at(w, "/screening/phq9_severity"), "moderately_severe");
    assert_eq!(value_at(w, "/screening/cssrs_risk"), "high");
    assert_eq!(value_at(w, "/screening/cssrs_q4"), &json!(true));
    assert_eq!(
        input(&h, "Screening: PHQ-9 total (0-27)")
            .value()
            .as_deref(),
        Some("17")
    );
}

#[test]
fn an_infant_visit_asks_the_infant_growth_percentiles_and_no_screening() {
    let mut h = with_profile("Infant well visit: growth percentiles and head circumference");
    for label in [
        "Growth percentiles: Weight-for-age (percentile)",
        "Growth percentiles: Weight-for-length (percentile)",
        "Growth percentiles: Head circumference-for-age (percentile)",
        "Vitals: Head circumference",
    ] {
        input(&h, label);
    }
    for label in [
        "Growth percentiles: BMI-for-age (percentile)",
        "Screening: PHQ-9 total (0-27)",
        "Screening: GAD-7 total (0-21)",
    ] {
        assert!(
            h.query_by_role_and_label(egui::Role::TextInput, label)
                .is_none(),
            "{label} is drawn"
        );
    }
    click_input(&mut h, "Growth percentiles: Weight-for-age (percentile)");
    type_slowly(&mut h, "42");
    assert_eq!(
        value_at(workspace(&h), "/growth/weight_for_age"),
        &json!(42)
    );
}

#[test]
fn a_claim_form_labels_its_fields_with_form_locators_below_the_billing_printout() {
    let mut h = with_profile("Claim: an inpatient stay on the UB-04 (011x) with its MS-DRG");
    h.get_by_label_contains("Billing printout");
    click_input(&mut h, "FL 4 Type of bill");
    type_slowly(&mut h, "0111");
    assert_eq!(value_at(workspace(&h), "/type_of_bill"), "0111");
    input(&h, "FL 67 Principal diagnosis: POA").scroll_to_me();
    input(&h, "FL 71 PPS code (MS-DRG)");
    // The UB-04 case does not ask for the CMS-1500's items.
    assert!(h.query_by_label_contains("Item 33a").is_none());
    assert!(h.query_by_label_contains("Item 21 ICD indicator").is_none());
}

/// The paper-form blocks of a claim, as headings in the form's order.
fn block_tops(h: &Harness<'static, EhrApp>, headings: &[&str]) -> Vec<f32> {
    headings
        .iter()
        .map(|heading| h.get_by_label(heading).rect().min.y)
        .collect()
}

#[test]
fn a_cms1500_form_is_grouped_by_the_paper_forms_blocks_in_order() {
    let h = with_profile("Claim: an office visit on the CMS-1500");
    let headings = [
        "Patient and insured (items 1-13)",
        "Physician or supplier (items 14-23)",
        "Service lines (item 24)",
        "Provider and billing (items 25-33)",
    ];
    let tops = block_tops(&h, &headings);
    assert!(tops.windows(2).all(|w| w[0] < w[1]), "{tops:?}");
    // Each block holds its items: item 1a under the first heading, item 21 under the second.
    let insured = input(&h, "Item 1a / FL 60 Insured's ID").rect().min.y;
    let indicator = input(&h, "Item 21 ICD indicator").rect().min.y;
    let total = input(&h, "Item 28 Total charge (cents)").rect().min.y;
    assert!(tops[0] < insured && insured < tops[1], "{tops:?} {insured}");
    assert!(
        tops[1] < indicator && indicator < tops[2],
        "{tops:?} {indicator}"
    );
    assert!(tops[3] < total, "{tops:?} {total}");
    // No UB-04 block.
    assert!(h.query_by_label("Codes (FL 18-41)").is_none());
}

#[test]
fn a_ub04_form_is_grouped_by_the_paper_forms_blocks_in_order() {
    let h = with_profile("Claim: an emergency department visit on the UB-04 (013x)");
    let headings = [
        "Provider, patient and admission (FL 1-17)",
        "Codes (FL 18-41)",
        "Revenue lines (FL 42-49)",
        "Payers and insured (FL 50-65)",
        "Diagnoses, procedures and physicians (FL 66-81)",
    ];
    let tops = block_tops(&h, &headings);
    assert!(tops.windows(2).all(|w| w[0] < w[1]), "{tops:?}");
    // FL 8 comes under FL 1-17 and FL 60 under FL 50-65, as on the paper form (the schema
    // lists them with the CMS-1500's items).
    let type_of_bill = input(&h, "FL 4 Type of bill").rect().min.y;
    let name = input(&h, "Item 2 / FL 8 Patient's name").rect().min.y;
    let insured = input(&h, "Item 1a / FL 60 Insured's ID").rect().min.y;
    let attending = input(&h, "FL 76 Attending NPI").rect().min.y;
    assert!(tops[0] < type_of_bill && type_of_bill < name && name < tops[1]);
    assert!(tops[3] < insured && insured < tops[4], "{tops:?} {insured}");
    assert!(tops[4] < attending, "{tops:?} {attending}");
    assert!(h.query_by_label("Service lines (item 24)").is_none());
}

#[test]
fn a_hospice_claim_opens_with_its_record_and_the_ub04_blocks() {
    let h = with_profile("Claim: a hospice notice of election (081A)");
    h.get_by_label_contains("HOSPICE RECORD");
    let tops = block_tops(
        &h,
        &[
            "Provider, patient and admission (FL 1-17)",
            "Codes (FL 18-41)",
        ],
    );
    assert!(tops[0] < tops[1], "{tops:?}");
    input(&h, "FL 4 Type of bill");
    assert!(h.query_by_label_contains("Item 21 ICD indicator").is_none());
}
