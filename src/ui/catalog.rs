//! The start screen: the scenario catalog grouped by task kind, with search and a kind filter,
//! and the library's problems (files that do not load or validate) listed plainly.

use egui::{RichText, Ui};

use super::app::{AppState, CatalogGrouping, Command};
use super::theme;
use crate::scenario::LoadedScenario;
use crate::scenario::schema::Difficulty;
use crate::tasks::TaskKind;

/// Draws the catalog.
pub(crate) fn catalog_ui(ui: &mut Ui, state: &AppState, out: &mut Vec<Command>) {
    egui::CentralPanel::default().show(ui, |ui| {
        ui.add_space(4.0);
        ui.horizontal(|ui| {
            ui.label(theme::heading("Scenarios"));
            ui.add_space(16.0);
            let mut filter = state.filter.clone();
            let search = ui.add(
                egui::TextEdit::singleline(&mut filter)
                    .hint_text("Search title, competency, id")
                    .desired_width(260.0),
            );
            search.widget_info(|| {
                egui::WidgetInfo::labeled(egui::Role::TextInput, true, "Search scenarios")
            });
            if filter != state.filter {
                out.push(Command::SetFilter(filter));
            }
            ui.add_space(8.0);
            let all = format!("All {}", state.scenarios.len());
            if ui.selectable_label(state.kind_filter.is_none(), all).clicked() {
                out.push(Command::SetKindFilter(None));
            }
            for &kind in TaskKind::ALL {
                let n = state
                    .scenarios
                    .iter()
                    .filter(|s| s.scenario.task.kind() == kind)
                    .count();
                if ui
                    .selectable_label(
                        state.kind_filter == Some(kind),
                        format!("{} {n}", kind.label()),
                    )
                    .clicked()
                {
                    out.push(Command::SetKindFilter(Some(kind)));
                }
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui.button("Reload").on_hover_text("Re-read the scenario folder").clicked() {
                    out.push(Command::ReloadScenarios);
                }
            });
        });
        grouping_ui(ui, state, out);
        ui.separator();
        profile_ui(ui, state, out);
        ui.separator();
        if !state.problems.is_empty() {
            let dark = theme::is_dark(ui.ctx());
            egui::CollapsingHeader::new(
                RichText::new(format!(
                    "{} problem(s) in the scenario library — these files are not offered",
                    state.problems.len()
                ))
                .color(theme::alert(dark)),
            )
            .default_open(false)
            .show(ui, |ui| {
                for p in &state.problems {
                    ui.label(RichText::new(p.to_string()).monospace().small());
                }
            });
        }
        let visible = state.visible_scenarios();
        if state.scenarios.is_empty() {
            ui.add_space(24.0);
            ui.label(format!(
                "No scenarios yet — add scenario files to {} (see scenarios/README.md), then press Reload.",
                state.root.scenarios_dir().display()
            ));
            return;
        }
        if visible.is_empty() {
            ui.add_space(24.0);
            ui.label("No scenario matches the search. Clear the search box or choose All.");
            return;
        }
        egui::ScrollArea::vertical().auto_shrink([false; 2]).show(ui, |ui| {
            for (heading, items) in state.catalog_groups() {
                ui.add_space(10.0);
                ui.horizontal(|ui| {
                    ui.label(theme::heading(&heading));
                    ui.label(theme::caption(scenario_count(items.len())));
                });
                ui.separator();
                for s in items {
                    scenario_card(ui, state, s, out);
                }
            }
        });
    });
}

/// "1 scenario", "7 scenarios".
fn scenario_count(n: usize) -> String {
    if n == 1 {
        "1 scenario".to_string()
    } else {
        format!("{n} scenarios")
    }
}

/// The difficulty filter and the grouping, with how many scenarios each difficulty holds.
fn grouping_ui(ui: &mut Ui, state: &AppState, out: &mut Vec<Command>) {
    ui.horizontal_wrapped(|ui| {
        ui.label("Difficulty:");
        if ui
            .selectable_label(state.difficulty_filter.is_none(), "Any")
            .clicked()
        {
            out.push(Command::SetDifficultyFilter(None));
        }
        for &d in Difficulty::ALL {
            let n = state
                .scenarios
                .iter()
                .filter(|s| s.scenario.difficulty == d)
                .count();
            if ui
                .selectable_label(
                    state.difficulty_filter == Some(d),
                    format!("{} {n}", d.label()),
                )
                .clicked()
            {
                out.push(Command::SetDifficultyFilter(Some(d)));
            }
        }
        ui.add_space(16.0);
        ui.label("Group by:");
        for &g in CatalogGrouping::ALL {
            if ui
                .selectable_label(state.grouping == g, g.label())
                .clicked()
            {
                out.push(Command::SetGrouping(g));
            }
        }
    });
}

/// One scenario's card: title, summary, difficulty, time, competencies, best score, Open.
fn scenario_card(ui: &mut Ui, state: &AppState, s: &LoadedScenario, out: &mut Vec<Command>) {
    let sc = &s.scenario;
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.horizontal(|ui| {
            // Leave room for the Open button: long summaries wrap before it.
            let text_width = (ui.available_width() - 90.0).max(200.0);
            ui.vertical(|ui| {
                ui.set_max_width(text_width);
                ui.label(RichText::new(&sc.title).strong());
                ui.label(&sc.summary);
                ui.label(theme::caption(format!(
                    "{} · about {} min · {}",
                    sc.difficulty.label(),
                    sc.estimated_minutes,
                    sc.competencies
                        .iter()
                        .map(|c| crate::report::values::label_of(c))
                        .collect::<Vec<_>>()
                        .join(", ")
                )));
                if let Some((best, last)) = state.best.get(&sc.id) {
                    ui.label(theme::caption(format!(
                        "Best {:.0}% · last attempt {}",
                        best * 100.0,
                        last.get(..10).unwrap_or(last)
                    )));
                }
            });
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                let open = ui.button(RichText::new("Open").strong());
                open.widget_info(|| {
                    egui::WidgetInfo::labeled(
                        egui::Role::Button,
                        true,
                        format!("Open {}", sc.title),
                    )
                });
                if open.clicked() {
                    out.push(Command::OpenScenario {
                        id: sc.id.clone(),
                        seed: 1,
                    });
                }
            });
        });
    });
}

/// The sign-in area, the learner's unfinished work and assessments, and where progress is
/// saved (the program server section).
fn profile_ui(ui: &mut Ui, state: &AppState, out: &mut Vec<Command>) {
    if super::profile::sign_in_ui(ui, state, out) {
        work_ui(ui, state, out);
    }
    super::server::server_ui(ui, state, out);
}

/// The profile's assessments to start and unfinished work to resume.
fn work_ui(ui: &mut Ui, state: &AppState, out: &mut Vec<Command>) {
    if !state.assessments.is_empty() {
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new("Assessments").strong());
            for name in &state.assessments {
                if ui.button(format!("Start: {name}")).clicked() {
                    out.push(Command::StartExam(name.clone()));
                }
            }
        });
    }
    if !state.drafts.is_empty() {
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new("Unfinished work").strong());
            for (i, d) in state.drafts.iter().enumerate() {
                let title = state
                    .scenarios
                    .iter()
                    .find(|s| s.scenario.id == d.key.scenario_id)
                    .map_or(d.key.scenario_id.as_str(), |s| s.scenario.title.as_str());
                if ui
                    .button(format!("Resume: {title} (seed {})", d.key.seed))
                    .on_hover_text(format!(
                        "Saved {}",
                        crate::report::values::display_value(&serde_json::Value::String(
                            d.updated_at.clone()
                        ))
                    ))
                    .clicked()
                {
                    out.push(Command::ResumeDraft(i));
                }
            }
        });
    }
}
