//! The chart workspace: the patient banner (always visible), the left navigation of chart
//! sections, the selected section in the centre, and the task pane on the right.

mod access_log;
mod banner;
mod sections;
mod timeline;

use egui::{RichText, Ui};

use super::app::Command;
use super::theme;
use super::workspace::Workspace;

/// Chart sections in the left navigation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// The access log (access-audit cases only).
    AccessLog,
    /// The hospice timeline (hospice cases only).
    Timeline,
    /// Overview.
    Summary,
    /// Visits and stays.
    Encounters,
    /// Clinical notes.
    Notes,
    /// Vital-sign flowsheet.
    Vitals,
    /// Lab results.
    Results,
    /// Home medications.
    Medications,
    /// Allergies.
    Allergies,
    /// Problem list.
    Problems,
}

impl Section {
    /// All sections in menu order.
    pub const ALL: [Section; 10] = [
        Section::AccessLog,
        Section::Timeline,
        Section::Summary,
        Section::Encounters,
        Section::Notes,
        Section::Vitals,
        Section::Results,
        Section::Medications,
        Section::Allergies,
        Section::Problems,
    ];

    /// Menu label.
    pub fn label(self) -> &'static str {
        match self {
            Section::AccessLog => "Access log",
            Section::Timeline => "Timeline",
            Section::Summary => "Summary",
            Section::Encounters => "Encounters",
            Section::Notes => "Notes",
            Section::Vitals => "Vitals",
            Section::Results => "Results",
            Section::Medications => "Medications",
            Section::Allergies => "Allergies",
            Section::Problems => "Problems",
        }
    }

    /// Whether the section is offered for a case (the timeline only for hospice cases, the
    /// access log only for access-audit cases).
    pub(crate) fn applies_to(self, case: &crate::case::Case) -> bool {
        match self {
            Section::Timeline => super::task_kinds::has_timeline(&case.task),
            Section::AccessLog => super::task_kinds::has_access_log(&case.task),
            Section::Summary
            | Section::Encounters
            | Section::Notes
            | Section::Vitals
            | Section::Results
            | Section::Medications
            | Section::Allergies
            | Section::Problems => true,
        }
    }
}

/// Draws the workspace.
pub(crate) fn chart_ui(ui: &mut Ui, w: &Workspace, out: &mut Vec<Command>) {
    if super::task_kinds::uses_board(&w.case.task) {
        super::board::board_ui(ui, w, out);
        return;
    }
    egui::Panel::top("patient_banner").show(ui, |ui| banner::banner_ui(ui, &w.case));
    egui::Panel::left("chart_nav")
        .resizable(false)
        .exact_size(150.0)
        .show(ui, |ui| {
            ui.add_space(6.0);
            for s in Section::ALL.into_iter().filter(|s| s.applies_to(&w.case)) {
                let selected = w.section == s;
                let r = ui.add_sized(
                    [ui.available_width(), 26.0],
                    egui::Button::selectable(selected, s.label()),
                );
                if r.clicked() {
                    out.push(Command::ShowSection(s));
                }
            }
        });
    // Resizable; egui keeps the width the learner drags it to (by the panel's id). It opens
    // at half the space beside the navigation (about 560 px at 1280 px) and never squeezes the
    // chart below 300 points, whatever the text size.
    let beside_nav = ui.available_width();
    egui::Panel::right("task_pane")
        .resizable(true)
        .default_size((beside_nav * 0.5).max(320.0))
        .min_size(320.0)
        .max_size((beside_nav - 300.0).max(320.0))
        .show(ui, |ui| task_pane_ui(ui, w, out));
    egui::CentralPanel::default().show(ui, |ui| {
        if w.section == Section::AccessLog {
            // The table scrolls inside itself (only its visible rows are laid out).
            access_log::access_log_ui(ui, w, out);
            return;
        }
        if w.section == Section::Timeline {
            // The timeline scrolls sideways inside itself.
            egui::ScrollArea::vertical()
                .auto_shrink([false; 2])
                .show(ui, |ui| timeline::timeline_ui(ui, w));
            return;
        }
        egui::ScrollArea::both()
            .auto_shrink([false; 2])
            .show(ui, |ui| {
                sections::section_ui(ui, w.section, &w.case);
            });
    });
}

/// The head of a task pane: the task kind, the scenario's title, its difficulty, time and (in
/// practice) seed. An assessment never shows the seed: with it, the key could be printed.
pub(in crate::ui) fn task_header_ui(ui: &mut Ui, w: &Workspace) {
    let sc = &w.scenario.scenario;
    ui.add_space(6.0);
    ui.label(theme::heading(sc.task.kind().label()));
    ui.label(RichText::new(&sc.title).strong());
    let seed = match w.mode {
        crate::store::Mode::Practice => format!(" · seed {}", w.case.seed),
        crate::store::Mode::Assessment => String::new(),
    };
    ui.label(theme::caption(format!(
        "{} · about {} min{seed}",
        sc.difficulty.label(),
        sc.estimated_minutes,
    )));
    ui.separator();
}

fn task_pane_ui(ui: &mut Ui, w: &Workspace, out: &mut Vec<Command>) {
    task_header_ui(ui, w);
    ui.label(RichText::new("Instructions").strong());
    ui.label(&w.case.instructions);
    ui.separator();
    super::task::actions_ui(ui, w, out);
    ui.separator();
    egui::ScrollArea::both()
        .auto_shrink([false; 2])
        .show(ui, |ui| {
            material_ui(ui, w);
            super::task::task_form_ui(ui, w, out);
        });
}

/// What the learner works from, shown above the form.
fn material_ui(ui: &mut Ui, w: &Workspace) {
    let Some(panel) = super::task_kinds::material_panel(&w.case.task) else {
        return;
    };
    egui::CollapsingHeader::new(RichText::new(panel.title).strong())
        .default_open(panel.open)
        .show(ui, |ui| {
            let text = RichText::new(panel.text);
            let text = if panel.printout {
                text.monospace()
            } else {
                text.size(13.5)
            };
            ui.add(egui::Label::new(text).wrap());
        });
}
