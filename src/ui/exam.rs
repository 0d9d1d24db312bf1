//! The exam room: a candidate's timed sitting of an assessment. Each scenario of the assessment
//! is a case generated from the candidate's own seed; the chart workspace runs in assessment
//! mode (no answer keys, no feedback, no coding-edit warnings), every change is autosaved, and
//! each item is submitted on its own or all at once when time runs out. Staff functions are
//! not reachable from here.

use chrono::{DateTime, Utc};
use egui::{RichText, Ui};

use super::app::Command;
use super::theme;
use super::workspace::Workspace;

/// One scenario of the sitting.
#[derive(Debug, Clone, PartialEq)]
pub struct ExamItem {
    /// Scenario id.
    pub scenario_id: String,
    /// Scenario title.
    pub title: String,
    /// The candidate's seed for it.
    pub seed: u64,
    /// Whether it was submitted.
    pub submitted: bool,
}

/// A sitting in progress.
#[derive(Debug, Clone, PartialEq)]
pub struct ExamView {
    /// The assessment's name.
    pub assessment: String,
    /// The sitting's database id.
    pub sitting_id: i64,
    /// When time runs out.
    pub deadline: DateTime<Utc>,
    /// The scenarios, in the assessment's order.
    pub items: Vec<ExamItem>,
    /// Which item is open.
    pub current: usize,
    /// The open item's workspace.
    pub workspace: Option<Box<Workspace>>,
    /// True once the sitting is finished.
    pub finished: bool,
    /// What happened last (submitted, saved, errors).
    pub message: String,
}

/// Draws the exam room.
pub(crate) fn exam_ui(ui: &mut Ui, exam: &ExamView, now: DateTime<Utc>, out: &mut Vec<Command>) {
    let dark = theme::is_dark(ui.ctx());
    egui::Panel::top("exam_bar").show(ui, |ui| {
        ui.horizontal_wrapped(|ui| {
            ui.label(theme::heading(format!("Assessment: {}", exam.assessment)));
            let left = (exam.deadline - now).num_seconds().max(0);
            let clock = RichText::new(format!(
                "Time left {:02}:{:02}:{:02}",
                left / 3600,
                (left / 60) % 60,
                left % 60
            ))
            .strong()
            .size(18.0);
            ui.label(if left < 300 {
                clock.color(theme::alert(dark))
            } else {
                clock
            });
            ui.separator();
            for (i, item) in exam.items.iter().enumerate() {
                let label = format!(
                    "{}. {}{}",
                    i + 1,
                    item.title,
                    if item.submitted { " (submitted)" } else { "" }
                );
                if ui
                    .selectable_label(i == exam.current && !exam.finished, label)
                    .clicked()
                    && !exam.finished
                {
                    out.push(Command::ExamOpenItem(i));
                }
            }
            if !exam.finished && ui.button("Finish the assessment").clicked() {
                out.push(Command::ExamFinish);
            }
        });
        if !exam.message.is_empty() {
            ui.label(theme::caption(&exam.message));
        }
    });
    if exam.finished {
        egui::CentralPanel::default().show(ui, |ui| {
            ui.add_space(40.0);
            ui.vertical_centered(|ui| {
                ui.label(theme::heading("Your assessment has been submitted."));
                ui.label("Your answers are recorded. Results are released by the employer.");
            });
        });
        return;
    }
    match &exam.workspace {
        Some(w) => super::chart::chart_ui(ui, w, out),
        None => {
            egui::CentralPanel::default().show(ui, |ui| {
                ui.label("Choose an item above to begin.");
            });
        }
    }
}
