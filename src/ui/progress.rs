//! The learner's progress dashboard: scores over time, mastery per competency, best and latest
//! per scenario, and the weakest scenarios with a button to practise them.

use egui::{RichText, Ui};

use super::app::Command;
use super::theme;
use crate::store::{CompetencyPoint, HistoryEntry, ScenarioProgress};

/// What the dashboard shows (read from the store when it is opened).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProgressView {
    /// Whose progress.
    pub learner: String,
    /// Every attempt, oldest first.
    pub history: Vec<HistoryEntry>,
    /// Best and latest per scenario version.
    pub scenarios: Vec<ScenarioProgress>,
    /// Mastery per competency per day.
    pub mastery: Vec<CompetencyPoint>,
}

/// Draws the dashboard.
pub fn progress_ui(ui: &mut Ui, p: &ProgressView, out: &mut Vec<Command>) {
    egui::CentralPanel::default().show(ui, |ui| {
        egui::ScrollArea::vertical()
            .auto_shrink([false; 2])
            .show(ui, |ui| {
                ui.label(theme::heading(format!("Progress — {}", p.learner)));
                if p.history.is_empty() {
                    ui.label("No attempts yet — open a scenario from the catalog and submit it.");
                    return;
                }
                ui.label(RichText::new("Scores over time").strong());
                let points: egui_plot::PlotPoints = p
                    .history
                    .iter()
                    .enumerate()
                    .map(|(i, h)| [i as f64 + 1.0, h.fraction * 100.0])
                    .collect();
                egui_plot::Plot::new("scores")
                    .height(180.0)
                    .include_y(0.0)
                    .include_y(100.0)
                    .allow_drag(false)
                    .allow_zoom(false)
                    .allow_scroll(false)
                    .x_axis_label("attempt")
                    .y_axis_label("%")
                    .show(ui, |plot| {
                        plot.line(egui_plot::Line::new("score %", points));
                    });
                ui.add_space(8.0);
                ui.label(RichText::new("Mastery per competency (mean of all attempts)").strong());
                let mut latest: std::collections::BTreeMap<&str, f64> =
                    std::collections::BTreeMap::new();
                for m in &p.mastery {
                    latest.insert(&m.competency, m.cumulative_fraction);
                }
                let bars: Vec<egui_plot::Bar> = latest
                    .values()
                    .enumerate()
                    .map(|(i, f)| egui_plot::Bar::new(i as f64, f * 100.0))
                    .collect();
                egui_plot::Plot::new("mastery")
                    .height(160.0)
                    .include_y(0.0)
                    .include_y(100.0)
                    .allow_drag(false)
                    .allow_zoom(false)
                    .allow_scroll(false)
                    .show(ui, |plot| {
                        plot.bar_chart(egui_plot::BarChart::new("mastery %", bars));
                    });
                egui::Grid::new("mastery_table")
                    .striped(true)
                    .num_columns(2)
                    .show(ui, |ui| {
                        for (c, f) in &latest {
                            ui.label(*c);
                            ui.label(format!("{:.0}%", f * 100.0));
                            ui.end_row();
                        }
                    });
                ui.add_space(8.0);
                ui.label(RichText::new("Scenarios (weakest first)").strong());
                let mut rows = p.scenarios.clone();
                rows.sort_by(|a, b| {
                    a.best_fraction
                        .total_cmp(&b.best_fraction)
                        .then(a.scenario.scenario_id.cmp(&b.scenario.scenario_id))
                });
                egui::Grid::new("scenario_progress")
                    .striped(true)
                    .num_columns(5)
                    .show(ui, |ui| {
                        for h in ["Scenario", "Attempts", "Best", "Latest", ""] {
                            ui.label(RichText::new(h).strong());
                        }
                        ui.end_row();
                        for r in &rows {
                            ui.label(&r.scenario.scenario_id);
                            ui.label(r.attempts.to_string());
                            ui.label(format!("{:.0}%", r.best_fraction * 100.0));
                            ui.label(format!("{:.0}%", r.latest_fraction * 100.0));
                            if ui.button("Practise").clicked() {
                                out.push(Command::OpenScenario {
                                    id: r.scenario.scenario_id.clone(),
                                    seed: r.attempts + 1,
                                });
                            }
                            ui.end_row();
                        }
                    });
            });
    });
}
