//! The task pane's forms, drawn from the task kind's field schema: scalar fields as labelled
//! inputs grouped by section, lists of records as editable tables, text lists as rows, and code
//! lists with the encoder (search as you type, notes of the selected code, claim lines that can
//! be reordered, live coding-edit warnings in practice mode).

pub(crate) mod answer;
pub(crate) mod encoder;

pub(crate) use encoder::CodeDrag;

use egui::{RichText, Ui};
use serde_json::Value;

use super::app::Command;
use super::theme;
use super::workspace::{Workspace, unit_choices};
use crate::grading::FieldType;
use crate::store::Mode;

/// A human label for a field path's last segment: `heart_rate` → "Heart rate".
pub(crate) fn label_of(path: &str) -> String {
    let last = path
        .rsplit('.')
        .next()
        .unwrap_or(path)
        .trim_end_matches("[]");
    let words = last.replace('_', " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(c) => {
            let mut s = c.to_uppercase().collect::<String>();
            s.push_str(chars.as_str());
            match last {
                "spo2" => "SpO2 (%)".into(),
                "bmi" => "BMI (kg/m²)".into(),
                "mrn" => "MRN".into(),
                "dob" => "Date of birth (YYYY-MM-DD)".into(),
                "heart_rate" | "respiratory_rate" => format!("{s} (/min)"),
                "systolic" | "diastolic" => format!("{s} (mmHg)"),
                "esi_level" => "ESI level (1-5)".into(),
                "hpi" => "HPI (history of present illness)".into(),
                _ => s,
            }
        }
        None => String::new(),
    }
}

/// Draws the forms for the workspace's task.
pub(crate) fn task_form_ui(ui: &mut Ui, w: &Workspace, out: &mut Vec<Command>) {
    let schema = w.schema();
    let mut section: Option<String> = None;
    for field in &schema.fields {
        let path = field.path.as_str();
        // Element fields are drawn by their list; some fields do not apply to this case.
        if path.contains("[].") || !w.field_applies(path) {
            continue;
        }
        let group = path.split(['.', '[']).next().unwrap_or(path).to_string();
        if section.as_deref() != Some(group.as_str()) {
            ui.add_space(6.0);
            ui.label(RichText::new(label_of(&group)).strong());
            section = Some(group);
        }
        let entry = path.trim_end_matches("[]");
        let focused = super::review::frame_ui(ui, w.review.as_ref(), entry, |ui| {
            ui.add_enabled_ui(w.review.is_none(), |ui| match field.ty {
                FieldType::RecordList => records_ui(ui, w, entry, &schema, out),
                FieldType::TextList => text_list_ui(ui, w, path, out),
                FieldType::CodeList => {
                    let system = if path.contains("procedure") {
                        "ICD-10-PCS"
                    } else {
                        "ICD-10-CM"
                    };
                    ui.label(format!("{} ({system}), in reporting order", label_of(path)));
                    encoder::codes_ui(ui, w, path, out);
                }
                ty @ (FieldType::Text
                | FieldType::Number
                | FieldType::Quantity
                | FieldType::Date
                | FieldType::Bool) => scalar_ui(ui, w, path, ty, out),
            });
        });
        if focused {
            out.push(Command::ReviewFocused);
        }
    }
}

pub(crate) fn labelled_text(
    ui: &mut Ui,
    label: &str,
    text: &str,
    multiline: bool,
    width: f32,
) -> Option<String> {
    let mut t = text.to_string();
    let edit = if multiline {
        egui::TextEdit::multiline(&mut t)
            .desired_rows(3)
            .desired_width(width)
    } else {
        egui::TextEdit::singleline(&mut t).desired_width(width)
    };
    let r = ui.add(edit);
    let name = label.to_string();
    r.widget_info(move || egui::WidgetInfo::labeled(egui::Role::TextInput, true, name.clone()));
    (t != text).then_some(t)
}

/// The accessible name of an input: its section and its label, e.g. "Vitals: Heart rate (/min)".
pub(crate) fn input_name(path: &str) -> String {
    match path.split_once('.') {
        Some((group, _)) => format!("{}: {}", label_of(group), label_of(path)),
        None => label_of(path),
    }
}

fn scalar_ui(ui: &mut Ui, w: &Workspace, path: &str, ty: FieldType, out: &mut Vec<Command>) {
    let label = label_of(path);
    let name = input_name(path);
    let multiline = path.starts_with("soap.")
        || path.ends_with("note")
        || path == "transcript"
        || path.ends_with("hpi");
    if multiline {
        ui.label(&label);
        if let Some(t) = labelled_text(ui, &name, w.text(path), true, ui.available_width()) {
            out.push(Command::EditField {
                path: path.into(),
                text: t,
                ty,
            });
        }
        return;
    }
    ui.horizontal(|ui| {
        ui.add_sized([150.0, 20.0], egui::Label::new(&label).truncate());
        if let Some(t) = labelled_text(ui, &name, w.text(path), false, 110.0) {
            out.push(Command::EditField {
                path: path.into(),
                text: t,
                ty,
            });
        }
        if ty == FieldType::Quantity {
            let choices = unit_choices(path);
            let unit_key = format!("{path}#unit");
            let current = w.texts.get(&unit_key).map_or_else(
                || choices.first().copied().unwrap_or("").to_string(),
                Clone::clone,
            );
            if choices.len() > 1 {
                for u in choices {
                    let r = ui.selectable_label(current == *u, *u);
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
            } else if let Some(t) =
                labelled_text(ui, &format!("{label} unit"), &current, false, 60.0)
            {
                out.push(Command::SetUnit {
                    path: path.into(),
                    unit: t,
                });
            }
        }
    });
}

fn records_ui(
    ui: &mut Ui,
    w: &Workspace,
    list: &str,
    schema: &crate::grading::FieldSchema,
    out: &mut Vec<Command>,
) {
    let prefix = format!("{list}[].");
    let fields: Vec<(&str, FieldType)> = schema
        .fields
        .iter()
        .filter_map(|f| f.path.strip_prefix(&prefix).map(|p| (p, f.ty)))
        .collect();
    let rows = answer::list(&w.answer, list);
    let noun = label_of(list);
    egui::Grid::new(format!("grid_{list}"))
        .striped(true)
        .num_columns(fields.len() + 1)
        .show(ui, |ui| {
            for (f, _) in &fields {
                ui.label(theme::caption(label_of(f)));
            }
            ui.label("");
            ui.end_row();
            for (i, row) in rows.iter().enumerate() {
                for (f, ty) in &fields {
                    let current = match answer::get(row, f) {
                        Some(Value::String(s)) => s.clone(),
                        Some(Value::Number(n)) => n.to_string(),
                        Some(Value::Array(items)) => {
                            items.first().map(ToString::to_string).unwrap_or_default()
                        }
                        _ => String::new(),
                    };
                    let label = format!("{noun} {} {}", i + 1, label_of(f));
                    let width = if fields.len() > 5 { 64.0 } else { 100.0 };
                    let cell = format!("{list}[{i}].{f}");
                    let lost = w.review.as_ref().is_some_and(|r| !r.at(&cell).is_empty());
                    let edited = if lost {
                        let dark = theme::is_dark(ui.ctx());
                        egui::Frame::NONE
                            .stroke(egui::Stroke::new(1.5, theme::alert(dark)))
                            .inner_margin(1.0)
                            .show(ui, |ui| labelled_text(ui, &label, &current, false, width))
                            .inner
                    } else {
                        labelled_text(ui, &label, &current, false, width)
                    };
                    if let Some(t) = edited {
                        let value = super::workspace::parse_input(&t, *ty, "");
                        out.push(Command::SetRow { path: cell, value });
                    }
                }
                if ui.button("Remove").clicked() {
                    out.push(Command::RemoveRow {
                        path: list.into(),
                        index: i,
                    });
                }
                ui.end_row();
            }
        });
    if ui
        .button(format!("Add {}", noun.to_lowercase().trim_end_matches('s')))
        .clicked()
    {
        out.push(Command::AddRow(list.into()));
    }
}

fn text_list_ui(ui: &mut Ui, w: &Workspace, path: &str, out: &mut Vec<Command>) {
    let rows = answer::list(&w.answer, path);
    let noun = label_of(path);
    for (i, row) in rows.iter().enumerate() {
        ui.horizontal(|ui| {
            let current = row.as_str().unwrap_or_default();
            let label = format!("{noun} {}", i + 1);
            if let Some(t) = labelled_text(ui, &label, current, false, 260.0) {
                out.push(Command::SetRow {
                    path: format!("{path}[{i}]"),
                    value: Value::String(t),
                });
            }
            if ui.button("Remove").clicked() {
                out.push(Command::RemoveRow {
                    path: path.into(),
                    index: i,
                });
            }
        });
    }
    if ui
        .button(format!("Add to {}", noun.to_lowercase()))
        .clicked()
    {
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
    if !w.note.is_empty() {
        ui.label(theme::caption(&w.note));
    }
    crate::ui::export::fhir_button_ui(ui, w.mode, out);
}
