//! The learner's progress dashboard: scores over time, mastery per competency, the criteria they
//! keep losing points on and the weakest scenarios, each with a button to practise a new
//! variant.

use egui::{RichText, Ui};

use super::app::Command;
use super::theme;
use crate::library::ContentRoot;
use crate::scenario::LoadedScenario;
use crate::store::{CompetencyPoint, HistoryEntry, ScenarioProgress, WeakCriterion};

/// A weak criterion with the names a learner reads: the criterion's title from the scenario's
/// rubric and the scenario's title (ids when the scenario or rubric is gone).
#[derive(Debug, Clone, PartialEq)]
pub struct WeakRow {
    /// From the store.
    pub weak: WeakCriterion,
    /// Criterion title.
    pub title: String,
    /// Scenario title.
    pub scenario_title: String,
    /// Whether the scenario is still in the library (it can be practised).
    pub available: bool,
}

/// Names the weak criteria from the library (reads each scenario's rubric once; called when the
/// dashboard opens, never while drawing).
#[must_use]
pub(crate) fn describe_weak(
    root: &ContentRoot,
    scenarios: &[LoadedScenario],
    weak: Vec<WeakCriterion>,
) -> Vec<WeakRow> {
    let mut rubrics: std::collections::BTreeMap<String, Option<crate::grading::Rubric>> =
        std::collections::BTreeMap::new();
    weak.into_iter()
        .map(|w| {
            let scenario = scenarios.iter().find(|s| s.scenario.id == w.scenario_id);
            let rubric = rubrics.entry(w.scenario_id.clone()).or_insert_with(|| {
                scenario.and_then(|s| {
                    crate::library::load_rubric_file(
                        &root.grading_dir().join(&s.scenario.rubric),
                        &crate::tasks::schemas(),
                    )
                    .ok()
                })
            });
            let title = rubric
                .as_ref()
                .and_then(|r| r.criteria.iter().find(|c| c.id == w.criterion_id))
                .map_or_else(|| w.criterion_id.replace('_', " "), |c| c.title.clone());
            WeakRow {
                title,
                scenario_title: scenario
                    .map_or_else(|| w.scenario_id.clone(), |s| s.scenario.title.clone()),
                available: scenario.is_some(),
                weak: w,
            }
        })
        .collect()
}

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
    /// The criteria that lost the most points, weakest first.
    pub weak: Vec<WeakRow>,
    /// Scenario titles by id (an id no longer in the library shows as itself).
    pub titles: std::collections::BTreeMap<String, String>,
    /// For a candidate: the assessments whose results the employer has not released yet.
    pub awaiting_release: Vec<String>,
}

impl ProgressView {
    /// The title a learner reads for scenario `id`.
    #[must_use]
    pub fn title<'a>(&'a self, id: &'a str) -> &'a str {
        self.titles.get(id).map_or(id, String::as_str)
    }
}

/// Draws the dashboard.
pub(crate) fn progress_ui(ui: &mut Ui, p: &ProgressView, out: &mut Vec<Command>) {
    egui::CentralPanel::default().show(ui, |ui| {
        egui::ScrollArea::vertical()
            .auto_shrink([false; 2])
            .show(ui, |ui| {
                ui.label(theme::heading(format!("Progress — {}", p.learner)));
                if !p.awaiting_release.is_empty() {
                    ui.label(format!(
                        "Results of {} appear here once the employer releases them.",
                        p.awaiting_release.join(", ")
                    ));
                }
                if p.history.is_empty() {
                    ui.label("No attempts yet — open a scenario from the catalog and submit it.");
                    return;
                }
                ui.label(RichText::new("Scores over time").strong());
                let scores: Vec<[f64; 2]> = p
                    .history
                    .iter()
                    .enumerate()
                    .map(|(i, h)| [i as f64 + 1.0, h.fraction * 100.0])
                    .collect();
                egui_plot::Plot::new("scores")
                    .height(180.0)
                    .include_y(0.0)
                    .include_y(100.0)
                    // Attempts 1..n, not a symmetric range around a single point.
                    .include_x(0.5)
                    .include_x(p.history.len() as f64 + 0.5)
                    .x_axis_formatter(|mark, _| {
                        let n = mark.value.round();
                        if (mark.value - n).abs() < 1e-6 && n >= 1.0 {
                            format!("{n:.0}")
                        } else {
                            String::new()
                        }
                    })
                    .allow_drag(false)
                    .allow_zoom(false)
                    .allow_scroll(false)
                    .x_axis_label("attempt")
                    .y_axis_label("%")
                    .show(ui, |plot| {
                        plot.line(egui_plot::Line::new("score %", scores.clone()));
                        plot.points(egui_plot::Points::new("attempt", scores).radius(3.5));
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
                let names: Vec<&str> = latest.keys().copied().collect();
                egui_plot::Plot::new("mastery")
                    .height(160.0)
                    .include_y(0.0)
                    .include_y(100.0)
                    .include_x(-0.5)
                    .include_x(names.len() as f64 - 0.5)
                    // Competency names under their bars.
                    .x_axis_formatter(move |mark, _| {
                        let index = mark.value.round();
                        if (mark.value - index).abs() > 1e-6 || index < 0.0 {
                            return String::new();
                        }
                        names
                            .get(index as usize)
                            .map(|n| crate::report::values::label_of(n))
                            .unwrap_or_default()
                    })
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
                            ui.label(crate::report::values::label_of(c));
                            ui.label(format!("{:.0}%", f * 100.0));
                            ui.end_row();
                        }
                    });
                weak_criteria_ui(ui, p, out);
                ui.add_space(8.0);
                ui.label(RichText::new("Scenarios (weakest first)").strong());
                let mut rows = p.scenarios.clone();
                rows.sort_by(|a, b| {
                    a.best_fraction.total_cmp(&b.best_fraction).then(
                        p.title(&a.scenario.scenario_id)
                            .cmp(p.title(&b.scenario.scenario_id)),
                    )
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
                            ui.label(p.title(&r.scenario.scenario_id))
                                .on_hover_text(&r.scenario.scenario_id);
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

/// "Weakest criteria": what the learner keeps missing, the rule behind it, and a button that
/// opens a new variant of the scenario to practise it.
fn weak_criteria_ui(ui: &mut Ui, p: &ProgressView, out: &mut Vec<Command>) {
    if p.weak.is_empty() {
        return;
    }
    ui.add_space(8.0);
    ui.label(RichText::new("Weakest criteria (points earned over all attempts)").strong());
    let attempts = |scenario_id: &str| {
        p.scenarios
            .iter()
            .filter(|s| s.scenario.scenario_id == scenario_id)
            .map(|s| s.attempts)
            .sum::<u64>()
    };
    egui::Grid::new("weak_criteria")
        .striped(true)
        .num_columns(5)
        .show(ui, |ui| {
            for h in ["Criterion", "Scenario", "Missed", "Earned", ""] {
                ui.label(RichText::new(h).strong());
            }
            ui.end_row();
            for r in &p.weak {
                ui.vertical(|ui| {
                    ui.set_min_width(260.0);
                    ui.set_max_width(360.0);
                    ui.label(&r.title);
                    if !r.weak.rule.is_empty() {
                        ui.label(theme::caption(format!("Rule: {}", r.weak.rule)));
                    }
                });
                ui.label(&r.scenario_title);
                ui.label(format!("{} of {}", r.weak.missed, r.weak.graded));
                ui.label(format!("{:.0}%", r.weak.fraction * 100.0));
                if r.available {
                    let b = ui.button("Practise");
                    let name = format!("Practise {}: {}", r.scenario_title, r.title);
                    b.widget_info(move || {
                        egui::WidgetInfo::labeled(egui::Role::Button, true, name.clone())
                    });
                    if b.clicked() {
                        out.push(Command::OpenScenario {
                            id: r.weak.scenario_id.clone(),
                            seed: attempts(&r.weak.scenario_id) + 1,
                        });
                    }
                } else {
                    ui.label(theme::caption("no longer in the library"));
                }
                ui.end_row();
            }
        });
}
