//! The task pane's forms, drawn from the task kind's field schema: each field's widget follows
//! its type (text, whole or decimal number, quantity with its unit, date with a picker, yes/no
//! as a checkbox, a fixed set of values as a combo box), scalar fields are grouped by section
//! in aligned label/input grids (a claim's fields under the paper form's block headings:
//! CMS-1500 items 1-13, 14-23, 24, 25-33; UB-04 FL 1-17, 18-41, 42-49, 50-65, 66-81), lists of
//! records are tables whose columns fit their content (rows wrap into cards when the pane is too
//! narrow), text lists are rows, and code lists have the encoder (search as you type, notes of
//! the selected code, claim lines that can be reordered, live coding-edit warnings in practice
//! mode).
//!
//! Every input has a stable id from its field path, so nothing drawn above it (a message, a
//! new row) can take its focus, and every input shows the raw text kept in
//! [`Workspace::texts`], so what is typed is what is kept.

pub(crate) mod answer;
pub(crate) mod audit_log_table;
pub(crate) mod encoder;

pub(crate) use encoder::CodeDrag;

use egui::{RichText, Ui};
use serde_json::Value;

use super::app::Command;
use super::theme;
use super::workspace::{Workspace, parse_date, unit_choices, value_text};
use crate::grading::{FieldSchema, FieldSpec, FieldType};
use crate::store::Mode;
use crate::tasks::claims::task::Blocks;

/// Human titles of field ids, by full path (element fields as `list[].field`) or by the
/// path's last segment. A label is never made from an id that has a title here.
const TITLES: &[(&str, &str)] = &[
    // Charting.
    ("patient", "Patient"),
    ("name", "Name"),
    ("medications[].name", "Medication"),
    ("dob", "Date of birth"),
    ("mrn", "MRN"),
    ("chief_complaint", "Chief complaint"),
    ("hpi", "HPI (history of present illness)"),
    ("vitals", "Vitals"),
    ("temperature", "Temperature"),
    ("heart_rate", "Heart rate (/min)"),
    ("respiratory_rate", "Respiratory rate (/min)"),
    ("systolic", "Systolic (mmHg)"),
    ("diastolic", "Diastolic (mmHg)"),
    ("spo2", "SpO2 (%)"),
    ("height", "Height"),
    ("weight", "Weight"),
    ("bmi", "BMI (kg/m²)"),
    ("head_circumference", "Head circumference"),
    ("pain", "Pain (0-10)"),
    ("pain_scale", "Pain scale"),
    ("allergies", "Allergies"),
    ("allergen", "Allergen"),
    ("reaction", "Reaction"),
    ("severity", "Severity"),
    ("allergies[].kind", "Type"),
    ("medications", "Medications"),
    ("dose", "Dose"),
    ("route", "Route"),
    ("frequency", "Frequency"),
    ("action", "Action"),
    ("problems", "Problem list"),
    ("soap", "SOAP note"),
    ("subjective", "Subjective"),
    ("objective", "Objective"),
    ("assessment", "Assessment"),
    ("plan", "Plan"),
    ("transcript", "Transcript"),
    ("growth", "Growth percentiles"),
    ("weight_for_age", "Weight-for-age (percentile)"),
    ("length_for_age", "Length/height-for-age (percentile)"),
    ("bmi_for_age", "BMI-for-age (percentile)"),
    ("weight_for_length", "Weight-for-length (percentile)"),
    (
        "head_circumference_for_age",
        "Head circumference-for-age (percentile)",
    ),
    ("screening", "Screening"),
    ("phq9_total", "PHQ-9 total (0-27)"),
    ("phq9_severity", "PHQ-9 severity"),
    ("phq9_item9", "PHQ-9 item 9 (0-3)"),
    ("gad7_total", "GAD-7 total (0-21)"),
    ("gad7_severity", "GAD-7 severity"),
    ("cssrs_q1", "C-SSRS 1: wished to be dead"),
    ("cssrs_q2", "C-SSRS 2: thoughts of killing self"),
    ("cssrs_q3", "C-SSRS 3: thought about how"),
    ("cssrs_q4", "C-SSRS 4: intention of acting"),
    ("cssrs_q5", "C-SSRS 5: plan worked out"),
    ("cssrs_q6", "C-SSRS 6: suicidal behavior ever"),
    ("cssrs_q6_recent", "C-SSRS 6: within past 3 months"),
    ("cssrs_risk", "C-SSRS risk level"),
    // Coding.
    ("codes", "Codes"),
    ("codes.diagnoses", "Diagnoses"),
    // Claims: item 21 of the CMS-1500 (a top-level list).
    ("diagnoses", "Item 21 Diagnoses A-L"),
    ("procedures", "Procedures"),
    // Hospice.
    (
        "election_missing_elements",
        "Missing election-statement elements",
    ),
    ("periods", "Benefit periods"),
    ("periods[].number", "Number"),
    ("start", "Start"),
    ("end", "End"),
    ("cert_earliest", "Earliest certification"),
    ("oral_cert_deadline", "Oral certification deadline"),
    ("f2f_window_from", "F2F window from"),
    ("f2f_window_to", "F2F window to"),
    ("noe_deadline", "NOE deadline"),
    ("noe_timely", "NOE filed on time"),
    ("provider_liable_days", "Provider-liable days"),
    ("initial_assessment_due", "Initial assessment due"),
    (
        "comprehensive_assessment_due",
        "Comprehensive assessment due",
    ),
    ("next_idg_review_due", "Next IDG review due"),
    ("huv1_from", "HUV1 from"),
    ("huv1_to", "HUV1 to"),
    ("huv2_from", "HUV2 from"),
    ("huv2_to", "HUV2 to"),
    ("sfv_due", "SFV due dates"),
    ("admission_symptoms", "Admission symptom impact (0-3)"),
    ("shortness_of_breath", "Shortness of breath"),
    ("anxiety", "Anxiety"),
    ("nausea", "Nausea"),
    ("vomiting", "Vomiting"),
    ("diarrhea", "Diarrhea"),
    ("constipation", "Constipation"),
    ("agitation", "Agitation"),
    ("pain_severity", "Pain severity (J0900)"),
    ("levels_of_care", "Levels of care"),
    ("levels_of_care[].date", "Day"),
    ("level", "Level of care"),
    ("audit", "Audit findings: non-compliant records"),
    // Claims: the CMS-1500 item numbers and the UB-04 form locators (FL), as on the paper forms.
    ("payer_name", "Payer (carrier block)"),
    ("coverage", "Item 1 Type of coverage"),
    ("insured_id", "Item 1a / FL 60 Insured's ID"),
    ("patient_name", "Item 2 / FL 8 Patient's name"),
    ("birth_date", "Item 3 / FL 10 Birth date"),
    ("sex", "Item 3 / FL 11 Sex"),
    ("insured_name", "Item 4 Insured's name"),
    ("patient_address", "Item 5 Patient's address"),
    ("relationship", "Item 6 Patient relationship to insured"),
    ("insured_address", "Item 7 Insured's address"),
    (
        "other_insured_policy",
        "Item 9a Other insured's policy number",
    ),
    ("other_plan_name", "Item 9d Other insurance plan name"),
    ("insured_group", "Item 11 Insured's policy group"),
    ("another_plan", "Item 11d Another health benefit plan"),
    ("current_illness", "Item 14 Date of current illness"),
    ("current_illness.date", "Date"),
    ("referring", "Items 17/17b Referring provider"),
    ("referring.name", "Name"),
    ("icd_indicator", "Item 21 ICD indicator"),
    ("resubmission", "Item 22 Resubmission"),
    ("resubmission.code", "Code (7 replacement, 8 void)"),
    ("prior_authorization", "Item 23 Prior authorization"),
    ("lines", "Item 24 / FL 42-48 Service lines"),
    ("lines[].from", "24A From"),
    ("lines[].to", "24A To"),
    ("lines[].place_of_service", "24B Place of service"),
    ("lines[].hcpcs", "24D / FL 44 HCPCS"),
    ("lines[].modifiers", "Modifiers"),
    ("lines[].pointers", "24E Diagnosis pointer"),
    ("lines[].charge_cents", "24F Charge (cents)"),
    ("lines[].units", "24G / FL 46 Units"),
    ("lines[].rendering_npi", "24J Rendering NPI"),
    ("lines[].revenue_code", "FL 42 Revenue code"),
    ("lines[].description", "FL 43 Description"),
    ("lines[].service_date", "FL 45 Service date"),
    ("lines[].total_cents", "FL 47 Total charges (cents)"),
    ("lines[].non_covered_cents", "FL 48 Non-covered (cents)"),
    ("tax_id", "Item 25 Federal tax ID"),
    ("tax_id.kind", "SSN or EIN"),
    ("tax_id.number", "Number"),
    ("patient_account", "Item 26 Patient's account number"),
    ("total_charge_cents", "Item 28 Total charge (cents)"),
    ("signature", "Item 31 Signature"),
    ("signature_date", "Item 31 Date"),
    ("facility", "Items 32/32a Service facility"),
    ("facility.name", "Name"),
    ("facility.npi", "32a NPI"),
    ("billing", "Items 33/33a Billing provider"),
    ("billing.name", "Name"),
    ("billing.npi", "33a NPI"),
    ("type_of_bill", "FL 4 Type of bill"),
    ("statement_from", "FL 6 Statement from"),
    ("statement_through", "FL 6 Statement through"),
    ("admission_date", "FL 12 Admission date"),
    ("admission_hour", "FL 13 Admission hour"),
    ("admission_type", "FL 14 Priority of admission"),
    ("point_of_origin", "FL 15 Point of origin"),
    ("discharge_hour", "FL 16 Discharge hour"),
    ("discharge_status", "FL 17 Discharge status"),
    ("condition_codes", "FL 18-28 Condition codes"),
    ("occurrences", "FL 31-34 Occurrence codes"),
    ("occurrences[].code", "Code"),
    ("occurrences[].date", "Date"),
    ("occurrence_spans", "FL 35-36 Occurrence spans"),
    ("occurrence_spans[].code", "Code"),
    ("occurrence_spans[].from", "From"),
    ("occurrence_spans[].through", "Through"),
    ("value_codes", "FL 39-41 Value codes"),
    ("value_codes[].code", "Code"),
    ("payer_names", "FL 50 Payers (A primary)"),
    ("other_insured_ids", "FL 60 B-C Other insured's IDs"),
    ("billing_npi", "FL 56 Billing NPI"),
    ("document_control_number", "FL 64 Document control number"),
    ("dx_qualifier", "FL 66 Diagnosis qualifier"),
    ("principal", "FL 67 Principal diagnosis"),
    ("principal.code", "Code"),
    ("principal.poa", "POA"),
    ("other_diagnoses", "FL 67A-Q Other diagnoses"),
    ("other_diagnoses[].code", "Code"),
    ("other_diagnoses[].poa", "POA"),
    ("admitting_dx", "FL 69 Admitting diagnosis"),
    ("pps_code", "FL 71 PPS code (MS-DRG)"),
    ("principal_procedure", "FL 74 Principal procedure"),
    ("principal_procedure.code", "Code"),
    ("principal_procedure.date", "Date"),
    ("other_procedures", "FL 74a-e Other procedures"),
    ("other_procedures[].code", "Code"),
    ("other_procedures[].date", "Date"),
    ("attending_npi", "FL 76 Attending NPI"),
    ("operating_npi", "FL 77 Operating NPI"),
    // Triage.
    ("arrivals", "Arrivals"),
    ("arrivals[].id", "Patient"),
    ("esi_level", "ESI level"),
    ("temperature_c", "Temp (°C)"),
    ("note", "Triage note"),
    ("retriage_level", "Re-triage ESI level"),
    ("triage_order", "Triage order"),
    ("queue", "Treatment queue"),
];

/// The paper-form blocks of a claims case's form (the UB-04 when it asks for FL 4, the
/// CMS-1500 otherwise); none for other kinds.
fn form_blocks(w: &Workspace, schema: &FieldSchema) -> Option<Blocks> {
    use crate::tasks::claims::task::{CMS1500_BLOCKS, UB04_BLOCKS};
    if schema.task_kind != crate::grading::RubricKind::Claims {
        return None;
    }
    Some(if w.field_applies("type_of_bill") {
        UB04_BLOCKS
    } else {
        CMS1500_BLOCKS
    })
}

/// The fields to draw in order, each with its block heading: in schema order, or for a claim
/// in the paper form's block order (a field no block holds comes last, without a heading).
fn ordered_fields(
    fields: Vec<&FieldSpec>,
    blocks: Option<Blocks>,
) -> Vec<(Option<&'static str>, &FieldSpec)> {
    let Some(blocks) = blocks else {
        return fields.into_iter().map(|f| (None, f)).collect();
    };
    let place = |f: &FieldSpec| {
        let top = f.path.split(['.', '[']).next().unwrap_or(&f.path);
        blocks
            .iter()
            .enumerate()
            .find_map(|(b, (heading, tops))| {
                tops.iter()
                    .position(|t| *t == top)
                    .map(|i| (b, i, Some(*heading)))
            })
            .unwrap_or((blocks.len(), 0, None))
    };
    let mut placed: Vec<_> = fields
        .into_iter()
        .enumerate()
        .map(|(order, f)| {
            let (b, i, heading) = place(f);
            ((b, i, order), heading, f)
        })
        .collect();
    placed.sort_by_key(|(k, _, _)| *k);
    placed.into_iter().map(|(_, h, f)| (h, f)).collect()
}

/// What one row of a list is called, for its "Add …" button.
const NOUNS: &[(&str, &str)] = &[
    ("allergies", "allergy"),
    ("medications", "medication"),
    ("problems", "problem"),
    ("lines", "line"),
    ("other_diagnoses", "diagnosis"),
    ("other_procedures", "procedure"),
    ("occurrences", "occurrence code"),
    ("occurrence_spans", "occurrence span"),
    ("value_codes", "value code"),
    ("periods", "benefit period"),
    ("levels_of_care", "care day"),
    ("election_missing_elements", "missing element"),
    ("sfv_due", "SFV due date"),
    ("audit", "finding"),
    ("arrivals", "arrival"),
    ("triage_order", "patient"),
    ("queue", "patient"),
];

/// The entry the charting key holds for a patient with no known allergies.
pub(crate) const NO_KNOWN_ALLERGIES: &str = "No known allergies";

/// `allergies[2].reaction` → `allergies[].reaction`: the schema path of a concrete path.
pub(crate) fn general_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut in_index = false;
    for c in path.chars() {
        match c {
            '[' => {
                in_index = true;
                out.push('[');
            }
            ']' => {
                in_index = false;
                out.push(']');
            }
            _ if in_index => {}
            _ => out.push(c),
        }
    }
    out
}

/// A human label for a field path: its title (see [`TITLES`]), else its last segment in
/// words (`heart_rate` → "Heart rate").
pub(crate) fn label_of(path: &str) -> String {
    let general = general_path(path);
    let general = general.trim_end_matches("[]");
    let last = general.rsplit('.').next().unwrap_or(general);
    let titled = TITLES
        .iter()
        .find(|(id, _)| *id == general)
        .or_else(|| TITLES.iter().find(|(id, _)| *id == last));
    if let Some((_, title)) = titled {
        return (*title).to_string();
    }
    let words = last.replace('_', " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(c) => {
            let mut s = c.to_uppercase().collect::<String>();
            s.push_str(chars.as_str());
            s
        }
        None => String::new(),
    }
}

/// What one row of the list at `path` is called ("allergy" for `allergies`).
pub(crate) fn noun_of(path: &str) -> String {
    let last = path.rsplit('.').next().unwrap_or(path);
    NOUNS
        .iter()
        .find(|(id, _)| *id == last)
        .map_or_else(|| label_of(path).to_lowercase(), |(_, n)| (*n).to_string())
}

/// Whether a text field is written in several lines (notes, HPI, SOAP, transcripts).
fn multiline(path: &str) -> bool {
    path.starts_with("soap.") || path.ends_with("note") || path == "transcript" || path == "hpi"
}

/// Draws the forms for the workspace's task.
pub(crate) fn task_form_ui(ui: &mut Ui, w: &Workspace, out: &mut Vec<Command>) {
    let schema = w.schema();
    let shown: Vec<&FieldSpec> = schema
        .fields
        .iter()
        // Element fields are drawn by their list; some fields do not apply to this case.
        .filter(|f| !f.path.contains("[].") && w.field_applies(&f.path))
        .collect();
    // Sections in order: each a block heading (a claim's paper-form block), a title and its
    // top-level fields.
    let mut sections: Vec<(Option<&str>, String, Vec<&FieldSpec>)> = Vec::new();
    for (block, field) in ordered_fields(shown, form_blocks(w, &schema)) {
        let path = field.path.as_str();
        // Nested fields and lists have a heading; top-level scalars share an untitled one.
        let group = match path.split_once('.') {
            Some((group, _)) => group.to_string(),
            None if matches!(
                field.ty,
                FieldType::RecordList | FieldType::TextList | FieldType::CodeList
            ) =>
            {
                path.trim_end_matches("[]").to_string()
            }
            None => String::new(),
        };
        match sections.last_mut() {
            Some((b, g, fields)) if *g == group && *b == block => fields.push(field),
            _ => sections.push((block, group, vec![field])),
        }
    }
    let mut last_block = None;
    for (block, group, fields) in sections {
        if block.is_some() && block != last_block {
            ui.add_space(12.0);
            ui.label(RichText::new(block.unwrap_or_default()).heading());
            ui.separator();
            last_block = block;
        }
        ui.add_space(8.0);
        if !group.is_empty() {
            ui.label(RichText::new(label_of(&group)).strong());
        }
        // Consecutive one-line scalars share an aligned label/input grid.
        let mut run: Vec<&FieldSpec> = Vec::new();
        for field in fields {
            let scalar = matches!(
                field.ty,
                FieldType::Text
                    | FieldType::Number
                    | FieldType::Quantity
                    | FieldType::Date
                    | FieldType::Bool
            ) && !multiline(&field.path);
            if scalar {
                run.push(field);
                continue;
            }
            scalar_grid_ui(ui, w, &group, &mut run, out);
            // A code list whose lost points are on named lines frames those lines itself.
            let lines_framed = field.ty == FieldType::CodeList
                && w.review
                    .as_ref()
                    .is_some_and(|r| r.frames_lines_of(&field.path));
            let frame_path = if lines_framed {
                ""
            } else {
                field.path.as_str()
            };
            let focused = reviewed_ui(ui, w, frame_path, |ui| match field.ty {
                FieldType::RecordList => {
                    records_ui(ui, w, field.path.trim_end_matches("[]"), &schema, out);
                }
                FieldType::TextList if !field.choices.is_empty() => {
                    choice_list_ui(ui, w, field, out);
                }
                FieldType::TextList => text_list_ui(ui, w, &field.path, out),
                FieldType::CodeList => {
                    let path = field.path.as_str();
                    let system = if path.contains("procedure") {
                        "ICD-10-PCS"
                    } else {
                        "ICD-10-CM"
                    };
                    ui.label(format!("{} ({system}), in reporting order", label_of(path)));
                    encoder::codes_ui(ui, w, path, out);
                }
                // The claim as a whole is graded (its DRG); its lines are the fields above.
                FieldType::Claim => {}
                FieldType::Text
                | FieldType::Number
                | FieldType::Quantity
                | FieldType::Date
                | FieldType::Bool => {
                    ui.label(label_of(&field.path));
                    let width = ui.available_width();
                    input_ui(ui, w, &field.path, field, width, out);
                }
            });
            if focused {
                out.push(Command::ReviewFocused);
            }
        }
        scalar_grid_ui(ui, w, &group, &mut run, out);
    }
}

/// Draws `content` framed when the review of a graded answer marks `path`, read-only while
/// reviewing.
/// Returns whether the review just brought it into view.
#[must_use]
pub(super) fn reviewed_ui(
    ui: &mut Ui,
    w: &Workspace,
    path: &str,
    content: impl FnOnce(&mut Ui),
) -> bool {
    let entry = path.trim_end_matches("[]");
    super::review::frame_ui(ui, w.review.as_ref(), entry, |ui| {
        ui.add_enabled_ui(w.review.is_none(), content);
    })
}

/// The one-line scalar fields of `run` as a two-column grid (label, input); empties `run`.
/// A field where a graded answer lost points is drawn on its own, framed with what was lost
/// (wrapped text in a grid cell would keep resizing the grid).
fn scalar_grid_ui(
    ui: &mut Ui,
    w: &Workspace,
    group: &str,
    run: &mut Vec<&FieldSpec>,
    out: &mut Vec<Command>,
) {
    let fields = std::mem::take(run);
    let mut chunk: Vec<&FieldSpec> = Vec::new();
    for field in fields {
        let lost = w
            .review
            .as_ref()
            .is_some_and(|r| !r.at(&field.path).is_empty());
        if !lost {
            chunk.push(field);
            continue;
        }
        grid_ui(ui, w, group, &std::mem::take(&mut chunk), out);
        ui.label(label_of(&field.path));
        let focused = reviewed_ui(ui, w, &field.path, |ui| {
            input_ui(ui, w, &field.path, field, 160.0, out);
        });
        if focused {
            out.push(Command::ReviewFocused);
        }
    }
    grid_ui(ui, w, group, &chunk, out);
}

fn grid_ui(ui: &mut Ui, w: &Workspace, group: &str, fields: &[&FieldSpec], out: &mut Vec<Command>) {
    let Some(first) = fields.first() else {
        return;
    };
    egui::Grid::new(("form_grid", group, first.path.as_str()))
        .num_columns(2)
        .spacing([10.0, 6.0])
        .show(ui, |ui| {
            for field in fields {
                ui.label(label_of(&field.path));
                ui.add_enabled_ui(w.review.is_none(), |ui| {
                    input_ui(ui, w, &field.path, field, 280.0, out);
                });
                ui.end_row();
            }
        });
}

/// A text input with an accessible name; returns the new text when it changed. Its id comes
/// from the name, so it keeps its state (focus, cursor, undo) whatever is drawn around it.
pub(crate) fn labelled_text(
    ui: &mut Ui,
    label: &str,
    text: &str,
    multiline: bool,
    width: f32,
) -> Option<String> {
    text_input(ui, ("input", label), label, text, multiline, width)
}

/// A text input with id `salt` and accessible name `name`; returns the new text when it
/// changed.
fn text_input(
    ui: &mut Ui,
    salt: impl std::hash::Hash + std::fmt::Debug,
    name: &str,
    text: &str,
    multiline: bool,
    width: f32,
) -> Option<String> {
    let mut t = text.to_string();
    let id = egui::Id::unique(salt);
    let edit = if multiline {
        egui::TextEdit::multiline(&mut t)
            .id(id)
            .desired_rows(4)
            .desired_width(width)
    } else {
        // The minimum size too: in a grid cell the available width is last frame's column
        // width, which a desired width alone never grows past.
        egui::TextEdit::singleline(&mut t)
            .id(id)
            .desired_width(width)
            .min_size(egui::vec2(width, 0.0))
    };
    let r = ui.add(edit);
    let name = name.to_string();
    r.widget_info(move || egui::WidgetInfo::labeled(egui::Role::TextInput, true, name.clone()));
    (t != text).then_some(t)
}

/// The id source of the input at `path` in this case: the same every frame whatever is drawn
/// around it (so a message or a new row never takes its focus), and another case's input
/// never shares its state (cursor, undo history).
fn field_id<'a>(w: &'a Workspace, path: &'a str) -> (&'static str, &'a str, u64, &'a str) {
    ("field", w.scenario.scenario.id.as_str(), w.case.seed, path)
}

/// The accessible name of an input: its section and its label, e.g. "Vitals: Heart rate (/min)".
pub(crate) fn input_name(path: &str) -> String {
    match path.split_once('.') {
        Some((group, _)) if !group.contains('[') => {
            format!("{}: {}", label_of(group), label_of(path))
        }
        Some(_) | None => label_of(path),
    }
}

/// The text an input at `path` shows: what was typed, else the answer's value.
fn shown(w: &Workspace, path: &str) -> String {
    w.texts.get(path).cloned().unwrap_or_else(|| {
        answer::get(&w.answer, path)
            .map(value_text)
            .unwrap_or_default()
    })
}

/// The width text takes in the body font.
fn text_width(ui: &Ui, text: &str) -> f32 {
    let font = egui::TextStyle::Body.resolve(ui.style());
    ui.painter()
        .layout_no_wrap(text.to_string(), font, egui::Color32::WHITE)
        .size()
        .x
}

/// The input for one field value at `path` (a top-level field or a list cell), by its spec.
fn input_ui(
    ui: &mut Ui,
    w: &Workspace,
    path: &str,
    spec: &FieldSpec,
    width: f32,
    out: &mut Vec<Command>,
) {
    let name = cell_name(path);
    if !spec.choices.is_empty() {
        choice_ui(ui, w, path, spec, &name, out);
        return;
    }
    match spec.ty {
        FieldType::Bool => yes_no_ui(ui, w, path, &name, out),
        FieldType::Date => date_ui(ui, w, path, &name, out),
        FieldType::Quantity => quantity_ui(ui, w, path, &name, out),
        FieldType::Number => {
            let text = shown(w, path);
            let width = width.min(90.0);
            if let Some(t) = text_input(ui, field_id(w, path), &name, &text, false, width) {
                out.push(Command::EditField {
                    path: path.into(),
                    text: t,
                    ty: spec.ty,
                });
            }
            let t = text.trim();
            let bad = if t.is_empty() {
                None
            } else if spec.integer {
                t.parse::<i64>().is_err().then_some("a whole number")
            } else {
                t.parse::<f64>().is_err().then_some("a number")
            };
            if let Some(want) = bad {
                hint_ui(ui, &format!("enter {want}"));
            }
        }
        FieldType::Text
        | FieldType::TextList
        | FieldType::RecordList
        | FieldType::CodeList
        | FieldType::Claim => {
            let text = shown(w, path);
            if let Some(t) = text_input(ui, field_id(w, path), &name, &text, multiline(path), width)
            {
                out.push(Command::EditField {
                    path: path.into(),
                    text: t,
                    ty: spec.ty,
                });
            }
        }
    }
}

/// A short validation hint beside an input (same row: it moves nothing below it).
fn hint_ui(ui: &mut Ui, text: &str) {
    let dark = theme::is_dark(ui.ctx());
    ui.label(RichText::new(text).small().color(theme::alert(dark)));
}

/// The accessible name of the input at a concrete path: "Vitals: Heart rate (/min)" for a
/// field, "Allergy 1 Reaction" for a list cell.
fn cell_name(path: &str) -> String {
    let Some((list, rest)) = path.split_once('[') else {
        return input_name(path);
    };
    let Some((index, field)) = rest.split_once(']') else {
        return input_name(path);
    };
    let row = index.parse::<usize>().map_or(0, |i| i + 1);
    let noun = noun_of(list);
    let mut noun_title = noun.clone();
    if let Some(first) = noun_title.get(..1) {
        noun_title = format!("{}{}", first.to_uppercase(), noun.get(1..).unwrap_or(""));
    }
    let field = field.trim_start_matches('.');
    if field.is_empty() {
        format!("{noun_title} {row}")
    } else {
        format!("{noun_title} {row} {}", label_of(path))
    }
}

/// A combo box of the field's allowed values with their labels (and "—" to clear it).
fn choice_ui(
    ui: &mut Ui,
    w: &Workspace,
    path: &str,
    spec: &FieldSpec,
    name: &str,
    out: &mut Vec<Command>,
) {
    let current = answer::get(&w.answer, path)
        .filter(|v| !v.is_null())
        .map(value_text);
    let selected = match &current {
        None => "—".to_string(),
        Some(v) => spec
            .choices
            .iter()
            .find(|c| c.value == *v)
            .map_or_else(|| v.clone(), |c| c.label.clone()),
    };
    let width = spec
        .choices
        .iter()
        .map(|c| text_width(ui, &c.label))
        .fold(40.0_f32, f32::max)
        + 28.0;
    let mut pick: Option<Option<&str>> = None;
    let r = egui::ComboBox::from_id_salt(field_id(w, path))
        .selected_text(selected)
        .width(width)
        .show_ui(ui, |ui| {
            if ui.selectable_label(current.is_none(), "—").clicked() {
                pick = Some(None);
            }
            for c in &spec.choices {
                if ui
                    .selectable_label(current.as_deref() == Some(c.value.as_str()), &c.label)
                    .clicked()
                {
                    pick = Some(Some(c.value.as_str()));
                }
            }
        });
    let n = name.to_string();
    r.response
        .widget_info(move || egui::WidgetInfo::labeled(egui::Role::ComboBox, true, n.clone()));
    if let Some(choice) = pick {
        let value = match choice {
            None => Value::Null,
            Some(v) => super::workspace::parse_input(v, spec.ty, ""),
        };
        out.push(Command::SetRow {
            path: path.into(),
            value,
        });
    }
}

/// A date: typed (YYYY-MM-DD or MM/DD/YYYY, stored as YYYY-MM-DD) or picked from a calendar.
fn date_ui(ui: &mut Ui, w: &Workspace, path: &str, name: &str, out: &mut Vec<Command>) {
    let text = shown(w, path);
    ui.horizontal(|ui| {
        if let Some(t) = text_input(ui, field_id(w, path), name, &text, false, 96.0) {
            out.push(Command::EditField {
                path: path.into(),
                text: t,
                ty: FieldType::Date,
            });
        }
        let parsed = parse_date(text.trim());
        // An empty field opens the calendar on the case's date.
        let start = parsed.unwrap_or(w.case.as_of);
        if let Ok(mut day) = jiff::civil::Date::new(
            i16::try_from(chrono::Datelike::year(&start)).unwrap_or(2000),
            i8::try_from(chrono::Datelike::month(&start)).unwrap_or(1),
            i8::try_from(chrono::Datelike::day(&start)).unwrap_or(1),
        ) {
            let salt = format!("date_picker {path}");
            let r = ui.add(
                egui_extras::DatePickerButton::new(&mut day)
                    .id_salt(&salt)
                    .format("Calendar")
                    .show_icon(false)
                    .calendar_week(false)
                    .highlight_weekends(false),
            );
            let n = format!("Pick {name}");
            r.widget_info(move || egui::WidgetInfo::labeled(egui::Role::Button, true, n.clone()));
            if r.changed() {
                out.push(Command::EditField {
                    path: path.into(),
                    text: day.strftime("%Y-%m-%d").to_string(),
                    ty: FieldType::Date,
                });
            }
        }
        if !text.trim().is_empty() && parsed.is_none() {
            hint_ui(ui, "use YYYY-MM-DD or MM/DD/YYYY");
        }
    });
}

/// A number with its unit: unit toggles when there is a choice (clicked, not reached by Tab),
/// else a unit input.
fn quantity_ui(ui: &mut Ui, w: &Workspace, path: &str, name: &str, out: &mut Vec<Command>) {
    ui.horizontal(|ui| {
        if let Some(t) = text_input(ui, field_id(w, path), name, w.text(path), false, 70.0) {
            out.push(Command::EditField {
                path: path.into(),
                text: t,
                ty: FieldType::Quantity,
            });
        }
        let choices = unit_choices(path);
        let unit_key = format!("{path}#unit");
        let current = w.texts.get(&unit_key).map_or_else(
            || choices.first().copied().unwrap_or("").to_string(),
            Clone::clone,
        );
        let label = label_of(path);
        if choices.len() > 1 {
            for u in choices {
                let r =
                    ui.add(egui::Button::selectable(current == *u, *u).sense(egui::Sense::CLICK));
                let name = format!("{label} unit {u}");
                r.widget_info(move || {
                    egui::WidgetInfo::labeled(egui::Role::Button, true, name.clone())
                });
                if r.clicked() {
                    out.push(Command::SetUnit {
                        path: path.into(),
                        unit: (*u).to_string(),
                    });
                }
            }
        } else if let Some(t) = text_input(
            ui,
            field_id(w, &format!("{path}#unit")),
            &format!("{label} unit"),
            &current,
            false,
            60.0,
        ) {
            out.push(Command::SetUnit {
                path: path.into(),
                unit: t,
            });
        }
    });
}

/// The width a list column needs: its header, its longest value, and room for its widget.
fn column_width(ui: &Ui, w: &Workspace, list: &str, rows: usize, f: &str, spec: &FieldSpec) -> f32 {
    let header = text_width(ui, &label_of(&format!("{list}[].{f}")));
    let content = (0..rows)
        .map(|i| text_width(ui, &shown(w, &format!("{list}[{i}].{f}"))))
        .fold(0.0_f32, f32::max);
    let widget = if !spec.choices.is_empty() {
        spec.choices
            .iter()
            .map(|c| text_width(ui, &c.label))
            .fold(40.0_f32, f32::max)
            + 36.0
    } else {
        match spec.ty {
            FieldType::Bool => 24.0,
            FieldType::Date => 140.0,
            FieldType::Number | FieldType::Quantity => (content + 16.0).clamp(48.0, 120.0),
            FieldType::Text
            | FieldType::TextList
            | FieldType::RecordList
            | FieldType::CodeList
            | FieldType::Claim => (content + 24.0).clamp(80.0, 260.0),
        }
    };
    header.max(widget)
}

fn records_ui(
    ui: &mut Ui,
    w: &Workspace,
    list: &str,
    schema: &FieldSchema,
    out: &mut Vec<Command>,
) {
    let prefix = format!("{list}[].");
    let fields: Vec<(&str, &FieldSpec)> = schema
        .fields
        .iter()
        .filter_map(|f| f.path.strip_prefix(&prefix).map(|p| (p, f)))
        .collect();
    let rows = answer::list(&w.answer, list);
    if list == "allergies"
        && matches!(w.case.task, crate::tasks::TaskMaterial::Charting(_))
        && no_known_allergies_ui(ui, rows, out)
    {
        return;
    }
    let mut widths: Vec<f32> = fields
        .iter()
        .map(|(f, spec)| column_width(ui, w, list, rows.len(), f, spec))
        .collect();
    let spacing = ui.spacing().item_spacing.x + 4.0;
    let total: f32 = widths.iter().map(|w| w + spacing).sum::<f32>() + 64.0;
    // Room to spare goes to the free-text columns (an allergen or a dose is often long).
    let free: Vec<usize> = fields
        .iter()
        .enumerate()
        .filter(|(_, (_, spec))| spec.ty == FieldType::Text && spec.choices.is_empty())
        .map(|(i, _)| i)
        .collect();
    let spare = ui.available_width() - total - 8.0;
    if spare > 0.0 && !free.is_empty() {
        let each = spare / free.len() as f32;
        for i in free {
            if let Some(width) = widths.get_mut(i) {
                *width = (*width + each).min(width.max(320.0));
            }
        }
    }
    if rows.is_empty() {
        ui.label(theme::caption(format!(
            "No {} yet.",
            label_of(list).to_lowercase()
        )));
    } else if total <= ui.available_width() {
        egui::Grid::new(("grid", list))
            .striped(true)
            .num_columns(fields.len() + 1)
            .spacing([4.0, 4.0])
            .show(ui, |ui| {
                for (f, _) in &fields {
                    ui.label(theme::caption(label_of(&format!("{list}[].{f}"))));
                }
                ui.label("");
                ui.end_row();
                for i in 0..rows.len() {
                    for ((f, spec), width) in fields.iter().zip(&widths) {
                        let cell = format!("{list}[{i}].{f}");
                        cell_ui(ui, w, &cell, spec, *width, out);
                    }
                    remove_button(ui, list, i, out);
                    ui.end_row();
                }
            });
    } else {
        // Too wide for the pane: each row a card of label/input lines.
        for i in 0..rows.len() {
            egui::Frame::group(ui.style()).show(ui, |ui| {
                ui.set_width(ui.available_width());
                egui::Grid::new(("card", list, i))
                    .num_columns(2)
                    .spacing([10.0, 4.0])
                    .show(ui, |ui| {
                        for ((f, spec), width) in fields.iter().zip(&widths) {
                            let cell = format!("{list}[{i}].{f}");
                            ui.label(label_of(&cell));
                            cell_ui(ui, w, &cell, spec, *width, out);
                            ui.end_row();
                        }
                    });
                remove_button(ui, list, i, out);
            });
        }
    }
    if ui.button(format!("Add {}", noun_of(list))).clicked() {
        out.push(Command::AddRow(list.into()));
    }
}

/// One cell of a record table, framed in red when a graded answer lost points there.
fn cell_ui(
    ui: &mut Ui,
    w: &Workspace,
    cell: &str,
    spec: &FieldSpec,
    width: f32,
    out: &mut Vec<Command>,
) {
    let lost = w.review.as_ref().is_some_and(|r| !r.at(cell).is_empty());
    if lost {
        let dark = theme::is_dark(ui.ctx());
        egui::Frame::NONE
            .stroke(egui::Stroke::new(1.5, theme::alert(dark)))
            .inner_margin(1.0)
            .show(ui, |ui| input_ui(ui, w, cell, spec, width, out));
    } else {
        input_ui(ui, w, cell, spec, width, out);
    }
}

fn remove_button(ui: &mut Ui, list: &str, index: usize, out: &mut Vec<Command>) {
    if ui.button("Remove").clicked() {
        out.push(Command::RemoveRow {
            path: list.into(),
            index,
        });
    }
}

/// A yes/no field: "Yes" and "No" radio buttons, neither chosen until the learner picks one, so an
/// untouched question is unanswered (graded as missing), never a silent "no". Picking the
/// chosen answer again clears it.
fn yes_no_ui(ui: &mut Ui, w: &Workspace, path: &str, name: &str, out: &mut Vec<Command>) {
    let current = answer::get(&w.answer, path).and_then(Value::as_bool);
    ui.horizontal(|ui| {
        for (value, word) in [(true, "Yes"), (false, "No")] {
            let chosen = current == Some(value);
            let r = ui.radio(chosen, word);
            let label = format!("{name}: {word}");
            r.widget_info(move || {
                egui::WidgetInfo::selected(egui::Role::RadioButton, true, chosen, label.clone())
            });
            if r.clicked() {
                out.push(Command::SetRow {
                    path: path.into(),
                    value: if chosen {
                        Value::Null
                    } else {
                        Value::Bool(value)
                    },
                });
            }
        }
        if current.is_none() {
            ui.weak("not answered");
        }
    });
}

/// The "No known allergies" checkbox above the allergy table. NKA is charted as the key
/// charts it, the single entry "No known allergies"; it cannot be ticked while an allergy is
/// listed (a contradiction), and while it is ticked no allergy can be added. Returns whether
/// NKA is ticked (the table is then not drawn).
fn no_known_allergies_ui(ui: &mut Ui, rows: &[Value], out: &mut Vec<Command>) -> bool {
    let nka = rows.len() == 1
        && rows
            .first()
            .and_then(|r| r.get("allergen"))
            .and_then(Value::as_str)
            .is_some_and(|a| a.trim().eq_ignore_ascii_case(NO_KNOWN_ALLERGIES));
    let listed = !nka
        && rows.iter().any(|r| {
            r.as_object()
                .is_some_and(|o| o.values().any(|v| !v.is_null() && v.as_str() != Some("")))
        });
    let mut on = nka;
    let r = ui.add_enabled(!listed, egui::Checkbox::new(&mut on, NO_KNOWN_ALLERGIES));
    if listed {
        ui.label(theme::caption(
            "An allergy is listed: remove it to chart no known allergies.",
        ));
    }
    if r.changed() {
        if on {
            for i in (0..rows.len()).rev() {
                out.push(Command::RemoveRow {
                    path: "allergies".into(),
                    index: i,
                });
            }
            out.push(Command::AddRow("allergies".into()));
            out.push(Command::EditField {
                path: "allergies[0].allergen".into(),
                text: NO_KNOWN_ALLERGIES.into(),
                ty: FieldType::Text,
            });
        } else {
            out.push(Command::RemoveRow {
                path: "allergies".into(),
                index: 0,
            });
        }
    }
    nka
}

/// A text list with a fixed set of values: one checkbox per choice, labelled for people; the
/// list holds the checked values in the choices' order. "none" (nothing to list) excludes the
/// others. An item that names no choice (typed into an answer file) stays listed, with a
/// way to remove it.
fn choice_list_ui(ui: &mut Ui, w: &Workspace, spec: &FieldSpec, out: &mut Vec<Command>) {
    let path = spec.path.as_str();
    let rows: Vec<Value> = answer::list(&w.answer, path).to_vec();
    let chosen = |value: &str| {
        rows.iter()
            .filter_map(Value::as_str)
            .any(|r| spec.choice_for(r).is_some_and(|c| c.value == value))
    };
    let mut set: Option<Vec<String>> = None;
    for c in &spec.choices {
        let was = chosen(&c.value);
        let mut on = was;
        ui.checkbox(&mut on, &c.label);
        if on != was {
            let exclusive = |v: &str| v == NONE_CHOICE;
            let mut next: Vec<String> = spec
                .choices
                .iter()
                .filter(|o| {
                    if o.value == c.value {
                        on
                    } else if on && (exclusive(&c.value) || exclusive(&o.value)) {
                        false
                    } else {
                        chosen(&o.value)
                    }
                })
                .map(|o| o.value.clone())
                .collect();
            // Items that name no choice are kept: the learner removes them explicitly.
            next.extend(
                rows.iter()
                    .filter_map(Value::as_str)
                    .filter(|r| spec.choice_for(r).is_none())
                    .map(str::to_string),
            );
            set = Some(next);
        }
    }
    for (i, row) in rows.iter().enumerate() {
        let Some(text) = row.as_str().filter(|r| spec.choice_for(r).is_none()) else {
            continue;
        };
        ui.horizontal(|ui| {
            hint_ui(ui, &format!("\"{text}\" is not one of the choices"));
            remove_button(ui, path, i, out);
        });
    }
    if let Some(values) = set {
        out.push(Command::SetRow {
            path: path.into(),
            value: Value::Array(values.into_iter().map(Value::String).collect()),
        });
    }
}

/// The value of a choice list's "nothing to list" entry.
const NONE_CHOICE: &str = "none";

fn text_list_ui(ui: &mut Ui, w: &Workspace, path: &str, out: &mut Vec<Command>) {
    let rows = answer::list(&w.answer, path);
    for i in 0..rows.len() {
        ui.horizontal(|ui| {
            let cell = format!("{path}[{i}]");
            let width = (ui.available_width() - 80.0).max(120.0);
            if let Some(t) = text_input(
                ui,
                field_id(w, &cell),
                &cell_name(&cell),
                &shown(w, &cell),
                false,
                width,
            ) {
                out.push(Command::EditField {
                    path: cell.clone(),
                    text: t,
                    ty: FieldType::TextList,
                });
            }
            remove_button(ui, path, i, out);
        });
    }
    if ui.button(format!("Add {}", noun_of(path))).clicked() {
        out.push(Command::AddRow(path.into()));
    }
}

/// The pane's actions: save the draft, submit, a new variant in practice (the exam room shows
/// the countdown).
pub(crate) fn actions_ui(ui: &mut Ui, w: &Workspace, out: &mut Vec<Command>) {
    if let Some(review) = &w.review {
        let dark = theme::is_dark(ui.ctx());
        let lost: f64 = review.lost.iter().map(|l| l.lost).sum();
        ui.label(RichText::new("Reviewing your graded answer (read-only)").strong());
        ui.label(
            RichText::new(format!(
                "{} criteri{} lost {lost:.2} points; the entries they read are framed in red below.",
                review.lost.len(),
                if review.lost.len() == 1 { "on" } else { "a" }
            ))
            .color(theme::alert(dark)),
        );
        ui.horizontal(|ui| {
            if ui.button("Back to the report").clicked() {
                out.push(Command::BackToReport);
            }
            if ui.button("Retry the same case").clicked() {
                out.push(Command::RetrySame);
            }
        });
        return;
    }
    ui.horizontal(|ui| {
        if ui.button("Save draft").clicked() {
            out.push(Command::SaveDraft);
        }
        if ui.button(RichText::new("Submit").strong()).clicked() {
            out.push(Command::Submit);
        }
        if w.mode == Mode::Practice
            && ui
                .button("New variant")
                .on_hover_text("Same scenario, a new patient (next seed)")
                .clicked()
        {
            out.push(Command::NewVariant);
        }
    });
    let claims = matches!(w.case.task, crate::tasks::TaskMaterial::Claims(_));
    crate::ui::export::fhir_button_ui(ui, w.mode, claims, out);
}
