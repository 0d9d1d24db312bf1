//! The selected patient's triage documentation in the task pane: the triage vital signs and
//! the triage note of one arrival, written into `arrivals[i].vitals.*` and `arrivals[i].note`
//! with the workspace's ordinary [`Command::EditField`] (so the raw text typed, e.g. "37.",
//! is kept exactly as in the schema-driven form).
//!
//! Invariant: one patient's inputs at a time, whatever the size of the shift.

use egui::{RichText, Ui};
use serde_json::Value;

use super::triage_board::{TriageBoard, row_of};
use crate::grading::FieldType;
use crate::tasks::triage::task::TriageMaterial;
use crate::ui::app::Command;
use crate::ui::task::answer;
use crate::ui::theme;
use crate::ui::workspace::Workspace;

/// The documented vital signs: field under `vitals.` and its label with the unit.
const VITALS: [(&str, &str); 7] = [
    ("temperature_c", "Temp (°C)"),
    ("heart_rate", "HR (/min)"),
    ("respiratory_rate", "RR (/min)"),
    ("systolic", "Systolic (mmHg)"),
    ("diastolic", "Diastolic (mmHg)"),
    ("spo2", "SpO2 (%)"),
    ("pain", "Pain score"),
];

/// The text an input shows: what was typed, else the answer's value.
fn shown(w: &Workspace, path: &str) -> String {
    if let Some(t) = w.texts.get(path) {
        return t.clone();
    }
    match answer::get(&w.answer, path) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

/// A labelled text input; pushes an edit when its text changes.
fn input_ui(
    ui: &mut Ui,
    w: &Workspace,
    path: String,
    name: String,
    ty: FieldType,
    out: &mut Vec<Command>,
) {
    let before = shown(w, &path);
    let mut text = before.clone();
    let edit = if ty == FieldType::Text {
        egui::TextEdit::multiline(&mut text)
            .desired_rows(4)
            .desired_width(ui.available_width())
    } else {
        egui::TextEdit::singleline(&mut text).desired_width(64.0)
    };
    let r = ui.add(edit);
    r.widget_info(move || egui::WidgetInfo::labeled(egui::Role::TextInput, true, name.clone()));
    if text != before {
        out.push(Command::EditField { path, text, ty });
    }
}

/// Draws the selected patient's documentation (or how to choose one).
pub(super) fn document_ui(
    ui: &mut Ui,
    w: &Workspace,
    m: &TriageMaterial,
    board: &TriageBoard,
    out: &mut Vec<Command>,
) {
    let Some(a) = board
        .selected
        .as_deref()
        .and_then(|id| m.arrivals.iter().find(|a| a.id == id))
    else {
        ui.label("Choose Document on a patient's card (or give a level) to record the triage vital signs and note here.");
        return;
    };
    let Some(row) = row_of(&w.answer, &a.id) else {
        ui.label(format!(
            "{} has no entry in the answer: give a level on the card first.",
            a.id
        ));
        return;
    };
    ui.label(
        RichText::new(format!("Document {} — {}", a.id, a.name))
            .strong()
            .size(15.0),
    );
    ui.label(theme::caption(format!(
        "{} {} · arrived {}",
        a.age_text,
        a.sex,
        a.arrived_at.format("%H:%M")
    )));
    egui::Grid::new("triage_vitals_form")
        .num_columns(4)
        .spacing([8.0, 6.0])
        .show(ui, |ui| {
            for (i, (field, label)) in VITALS.iter().enumerate() {
                ui.label(*label);
                input_ui(
                    ui,
                    w,
                    format!("arrivals[{row}].vitals.{field}"),
                    format!("{} {label}", a.id),
                    FieldType::Number,
                    out,
                );
                if i % 2 == 1 {
                    ui.end_row();
                }
            }
            ui.end_row();
        });
    ui.label("Triage note (complaint, level and why, resources predicted)");
    input_ui(
        ui,
        w,
        format!("arrivals[{row}].note"),
        format!("{} triage note", a.id),
        FieldType::Text,
        out,
    );
}
