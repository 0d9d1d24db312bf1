//! The feedback view after a practice submission: the score header, critical errors first with
//! why they cap the score, then every criterion grouped by section with its points, verdict,
//! expected vs given side by side and the rule behind it.

use egui::{RichText, Ui};

use super::app::Command;
use super::theme;
use super::workspace::Workspace;
use crate::grading::{CriterionResult, FieldSchema, FieldType, GradeReport, Outcome};
use crate::terminology::System;

/// A graded attempt being reviewed.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedbackView {
    /// The workspace as submitted.
    pub workspace: Workspace,
    /// The report.
    pub report: GradeReport,
    /// Where the attempt was stored, or why it was not.
    pub stored: String,
    /// True while the learner reviews the graded answer in the chart (read-only, with the
    /// entries where points were lost highlighted).
    pub in_chart: bool,
}

/// The code system a criterion's fields are coded in, when it reads a code list.
fn code_system(c: &CriterionResult, schema: &FieldSchema) -> Option<System> {
    c.fields.iter().find_map(|read| {
        let path = read.trim_end_matches("[]");
        schema
            .fields
            .iter()
            .find(|f| f.ty == FieldType::CodeList && f.path.trim_end_matches("[]") == path)
            .map(|f| {
                if f.path.contains("procedure") {
                    System::Icd10Pcs
                } else {
                    System::Icd10Cm
                }
            })
    })
}

/// An expected or given value as a person reads it (`36.4 °C`, codes with their titles).
pub(crate) fn value_text(v: &serde_json::Value, system: Option<System>) -> String {
    let titles = |code: &str| {
        system
            .and_then(|s| crate::terminology::lookup(s, code))
            .map(|e| e.description.clone())
    };
    // A list of records (allergies, medications): one record a line.
    let text = match v {
        serde_json::Value::Array(items) if items.iter().any(serde_json::Value::is_object) => items
            .iter()
            .map(|item| crate::report::values::display_value_with(item, &titles))
            .filter(|line| !line.is_empty())
            .collect::<Vec<_>>()
            .join("\n"),
        other @ (serde_json::Value::Null
        | serde_json::Value::Bool(_)
        | serde_json::Value::Number(_)
        | serde_json::Value::String(_)
        | serde_json::Value::Array(_)
        | serde_json::Value::Object(_)) => {
            crate::report::values::display_value_with(other, &titles)
        }
    };
    if text.is_empty() {
        "—".to_string()
    } else {
        text
    }
}

/// Whether a criterion did not apply to this case (no points either way).
fn not_applicable(c: &CriterionResult) -> bool {
    c.outcome == Outcome::NotApplicable || c.max <= 0.0
}

/// Draws the feedback view.
pub(crate) fn feedback_ui(ui: &mut Ui, f: &FeedbackView, out: &mut Vec<Command>) {
    if f.in_chart {
        super::chart::chart_ui(ui, &f.workspace, out);
        return;
    }
    let dark = theme::is_dark(ui.ctx());
    let r = &f.report;
    egui::Panel::top("feedback_header").show(ui, |ui| {
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            let verdict = if r.passed {
                RichText::new("PASS")
                    .strong()
                    .size(20.0)
                    .color(theme::success(dark))
            } else {
                RichText::new("NOT PASSED")
                    .strong()
                    .size(20.0)
                    .color(theme::alert(dark))
            };
            ui.label(verdict);
            ui.label(
                RichText::new(format!(
                    "{:.2} / {:.2}  ({:.1}%)",
                    r.score, r.max, r.percent
                ))
                .size(20.0),
            );
            ui.label(theme::caption(&f.workspace.scenario.scenario.title));
        });
        ui.label(theme::caption(&f.stored));
        ui.horizontal(|ui| {
            if ui.button("Try a new variant").clicked() {
                out.push(Command::NewVariant);
            }
            if ui.button("Retry the same case").clicked() {
                out.push(Command::RetrySame);
            }
            if ui
                .button("Review in the chart")
                .on_hover_text("Your answer in its forms, with the entries that lost points marked")
                .clicked()
            {
                out.push(Command::ReviewInChart(None));
            }
        });
        super::export::report_buttons_ui(ui, out);
        ui.add_space(4.0);
    });
    egui::CentralPanel::default().show(ui, |ui| {
        egui::ScrollArea::vertical()
            .auto_shrink([false; 2])
            .show(ui, |ui| {
                for c in &r.critical {
                    egui::Frame::group(ui.style()).show(ui, |ui| {
                        ui.set_width(ui.available_width());
                        ui.label(
                            RichText::new(format!("Critical error: {}", c.title))
                                .strong()
                                .color(theme::alert(dark)),
                        );
                        ui.label(&c.message);
                        if !c.rule.is_empty() {
                            ui.label(theme::caption(format!("Rule: {}", c.rule)));
                        }
                    });
                }
                let schema = f.workspace.schema();
                let mut section: Option<&str> = None;
                for c in r.criteria.iter().filter(|c| !not_applicable(c)) {
                    let s = c.section.as_deref().unwrap_or("Criteria");
                    if section != Some(s) {
                        ui.add_space(8.0);
                        ui.label(theme::heading(s));
                        section = Some(s);
                    }
                    criterion_ui(ui, c, code_system(c, &schema), out);
                }
                not_applicable_ui(ui, r);
            });
    });
}

/// One criterion: points, title, verdict, "Show in form", feedback, expected vs given, details
/// and the rule with its source.
fn criterion_ui(ui: &mut Ui, c: &CriterionResult, system: Option<System>, out: &mut Vec<Command>) {
    let dark = theme::is_dark(ui.ctx());
    let colour = match c.outcome {
        Outcome::Correct => theme::success(dark),
        Outcome::Partial => theme::abnormal(dark),
        Outcome::Incorrect | Outcome::Missing => theme::alert(dark),
        Outcome::NotApplicable => ui.visuals().weak_text_color(),
    };
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.horizontal(|ui| {
            ui.label(
                RichText::new(format!("{:.2} / {:.2}", c.points, c.max))
                    .monospace()
                    .strong()
                    .color(colour),
            );
            ui.label(RichText::new(&c.title).strong());
            ui.label(RichText::new(c.outcome.as_str().replace('_', " ")).color(colour));
            if c.max - c.points > 1e-9 && !c.fields.is_empty() {
                let show = ui.small_button("Show in form");
                let name = format!("Show in form: {}", c.title);
                show.widget_info(move || {
                    egui::WidgetInfo::labeled(egui::Role::Button, true, name.clone())
                });
                if show.clicked() {
                    out.push(Command::ReviewInChart(Some(c.id.clone())));
                }
            }
        });
        ui.label(&c.feedback);
        egui::Grid::new(format!("exp_{}", c.id))
            .num_columns(2)
            .show(ui, |ui| {
                ui.label(theme::caption("Expected"));
                ui.add(egui::Label::new(value_text(&c.expected, system)).wrap());
                ui.end_row();
                ui.label(theme::caption("Given"));
                ui.add(egui::Label::new(value_text(&c.given, system)).wrap());
                ui.end_row();
            });
        for d in &c.details {
            ui.label(RichText::new(format!("· {d}")).small());
        }
        if !c.rule.is_empty() {
            let source = if c.source.is_empty() {
                String::new()
            } else {
                format!(" ({})", c.source)
            };
            ui.label(theme::caption(format!("Rule: {}{source}", c.rule)));
        }
    });
}

/// The criteria that did not apply to this case, folded into one closed section at the end.
fn not_applicable_ui(ui: &mut Ui, r: &GradeReport) {
    let skipped: Vec<&CriterionResult> = r.criteria.iter().filter(|c| not_applicable(c)).collect();
    if skipped.is_empty() {
        return;
    }
    ui.add_space(8.0);
    let n = skipped.len();
    let title = if n == 1 {
        "1 criterion not applicable to this case".to_string()
    } else {
        format!("{n} criteria not applicable to this case")
    };
    egui::CollapsingHeader::new(title)
        .id_salt("not_applicable")
        .default_open(false)
        .show(ui, |ui| {
            for c in skipped {
                let section = c
                    .section
                    .as_deref()
                    .map_or_else(String::new, |s| format!(" ({s})"));
                ui.label(format!("{}{section}", c.title));
            }
        });
}
