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
    /// Whether it was submitted with no answer (blank when the sitting finished).
    pub unanswered: bool,
}

/// What finishing would do, shown for the candidate to confirm.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FinishCheck {
    /// Items with no answer at all (they are recorded with no answer and earn nothing).
    pub unanswered: Vec<String>,
    /// Items answered but not submitted (they are submitted as they stand).
    pub unsubmitted: Vec<String>,
}

/// A sitting in progress.
#[derive(Debug, Clone, PartialEq)]
pub struct ExamView {
    /// The assessment's name.
    pub assessment: String,
    /// The assessment shows the live MS-DRG of inpatient codes (its author's choice).
    pub show_drg: bool,
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
    /// Set while the candidate is asked to confirm finishing.
    pub confirm_finish: Option<FinishCheck>,
    /// When the sitting was finished (the countdown stops).
    pub finished_at: Option<DateTime<Utc>>,
}

/// Draws the exam room.
pub(crate) fn exam_ui(ui: &mut Ui, exam: &ExamView, now: DateTime<Utc>, out: &mut Vec<Command>) {
    let dark = theme::is_dark(ui.ctx());
    egui::Panel::top("exam_bar").show(ui, |ui| {
        ui.horizontal_wrapped(|ui| {
            ui.label(theme::heading(format!("Assessment: {}", exam.assessment)));
            if let Some(at) = exam.finished_at {
                ui.label(RichText::new(format!("Finished at {}", at.format("%H:%M"))).strong());
            } else {
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
                if left == 0 && !exam.finished {
                    out.push(Command::ExamTimeUp);
                }
            }
            ui.separator();
            for (i, item) in exam.items.iter().enumerate() {
                let label = format!(
                    "{}. {}{}",
                    i + 1,
                    item.title,
                    match (item.submitted, item.unanswered) {
                        (true, true) => " (not answered)",
                        (true, false) => " (submitted)",
                        (false, _) => "",
                    }
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
    if let Some(check) = &exam.confirm_finish {
        confirm_finish_ui(ui, check, out);
    }
    if exam.finished {
        egui::CentralPanel::default().show(ui, |ui| {
            ui.add_space(40.0);
            ui.vertical_centered(|ui| {
                ui.label(theme::heading("Your assessment has been submitted."));
                ui.label("Your answers are recorded. Results are released by the employer.");
                let blank: Vec<&str> = exam
                    .items
                    .iter()
                    .filter(|i| i.unanswered)
                    .map(|i| i.title.as_str())
                    .collect();
                if !blank.is_empty() {
                    ui.label(format!("Not answered: {}.", blank.join("; ")));
                }
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

/// "Finish the assessment?": the items not answered and those not yet submitted, then Finish
/// (Enter) or Keep working (Escape).
fn confirm_finish_ui(ui: &Ui, check: &FinishCheck, out: &mut Vec<Command>) {
    let dark = theme::is_dark(ui.ctx());
    let modal = egui::Modal::new(egui::Id::unique("confirm_finish")).show(ui.ctx(), |ui| {
        ui.set_max_width(480.0);
        ui.label(theme::heading("Finish the assessment?"));
        if check.unanswered.is_empty() && check.unsubmitted.is_empty() {
            ui.label("Every item is submitted.");
        }
        if !check.unanswered.is_empty() {
            ui.label(
                RichText::new(format!("Not answered: {}", check.unanswered.join("; ")))
                    .color(theme::alert(dark)),
            );
            ui.label("These are recorded with no answer and earn no points.");
        }
        if !check.unsubmitted.is_empty() {
            ui.label(format!(
                "Answered, not yet submitted (submitted as they stand): {}",
                check.unsubmitted.join("; ")
            ));
        }
        ui.label("After finishing you cannot change any answer.");
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            let finish = ui.button(RichText::new("Finish now").strong());
            if finish.clicked() || ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                out.push(Command::ExamFinish);
            }
            if ui.button("Keep working").clicked() {
                out.push(Command::ExamCancelFinish);
            }
        });
    });
    if modal.should_close() {
        out.push(Command::ExamCancelFinish);
    }
}
