//! Gradebook: learners × scenario versions (filter by cohort and learner, sort by any column),
//! an attempt's full report with score overrides (a comment is required), per-criterion miss
//! rates and item difficulty, and export to CSV or xAPI.
//!
//! Invariants: the table draws from the [`Gradebook`] loaded in [`refresh`]; sorting and
//! filtering are pure functions of it ([`visible_rows`]); writes (override, export) happen in
//! [`apply`] and reload what they change.

use chrono::{DateTime, Utc};
use egui::{RichText, ScrollArea, Ui};
use egui_extras::{Column, TableBuilder};

use super::{
    Field, Notice, StaffCommand, StaffState, percent, text_input, text_input_sized, theme,
};
use crate::report::values::display_json_text;
use crate::store::{
    AttemptRecord, CriterionStat, Gradebook, GradebookRow, ScenarioVersionKey, Session,
};
use crate::ui::app::{AppState, Command};

/// The gradebook's state.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GradebookState {
    /// Cohort names (for the filter).
    pub cohorts: Vec<String>,
    /// The cohort shown (None: everyone).
    pub cohort: Option<String>,
    /// Learner-name filter.
    pub filter: String,
    /// Sort column: None sorts by learner, Some(i) by scenario column i (best score).
    pub sort_column: Option<usize>,
    /// Sort descending.
    pub descending: bool,
    /// The loaded gradebook.
    pub data: Option<Gradebook>,
    /// The attempt open in the report pane.
    pub attempt: Option<AttemptRecord>,
    /// The learner's other attempts on the same scenario version (ids, newest first).
    pub sibling_attempts: Vec<i64>,
    /// Override: new score typed.
    pub override_score: String,
    /// Override: comment typed.
    pub override_comment: String,
    /// Item analysis of one scenario version.
    pub stats: Option<(ScenarioVersionKey, Vec<CriterionStat>)>,
    /// Export path typed (empty: the export folder and a generated file name).
    pub export_path: String,
    /// Export as xAPI (else CSV).
    pub export_xapi: bool,
    /// Scenario titles by id (from the library, read when the gradebook loads).
    pub titles: std::collections::BTreeMap<String, String>,
    /// Criterion titles of the analysed scenario by id (from its rubric).
    pub criterion_titles: std::collections::BTreeMap<String, String>,
}

impl GradebookState {
    /// A scenario's title (its id when it is no longer in the library).
    #[must_use]
    pub fn title<'a>(&'a self, scenario_id: &'a str) -> &'a str {
        self.titles
            .get(scenario_id)
            .map_or(scenario_id, String::as_str)
    }

    /// A column's name: the scenario title, with the version when the gradebook holds more
    /// than one version of it.
    #[must_use]
    pub fn column_name(&self, g: &Gradebook, key: &ScenarioVersionKey) -> String {
        let versions = g
            .scenarios
            .iter()
            .filter(|k| k.scenario_id == key.scenario_id)
            .count();
        let title = self.title(&key.scenario_id);
        if versions > 1 {
            let short: String = key.content_hash.chars().take(8).collect();
            format!("{title} (version {short})")
        } else {
            title.to_string()
        }
    }
}

/// Gradebook commands.
#[derive(Debug, Clone, PartialEq)]
pub enum GradebookCommand {
    /// Show one cohort (or everyone).
    Cohort(Option<String>),
    /// Sort by a column (clicking the sorted column again flips the order).
    Sort(Option<usize>),
    /// Open a learner's latest attempt on a scenario version.
    OpenCell {
        /// Learner name.
        learner: String,
        /// Scenario version.
        scenario: ScenarioVersionKey,
    },
    /// Open an attempt by id.
    OpenAttempt(i64),
    /// Override the open attempt's score with the typed score and comment.
    Override,
    /// Item analysis for a scenario version.
    Stats(ScenarioVersionKey),
    /// Choose the export format.
    ExportXapi(bool),
}

fn cmd(c: GradebookCommand) -> Command {
    Command::Staff(StaffCommand::Gradebook(c))
}

/// Rows that pass the learner filter, sorted as asked.
pub(super) fn visible_rows<'a>(g: &'a Gradebook, s: &GradebookState) -> Vec<&'a GradebookRow> {
    let needle = s.filter.trim().to_lowercase();
    let mut rows: Vec<&GradebookRow> = g
        .rows
        .iter()
        .filter(|r| needle.is_empty() || r.learner.to_lowercase().contains(&needle))
        .collect();
    if let Some(col) = s.sort_column {
        let best = |r: &GradebookRow| {
            r.cells
                .get(col)
                .and_then(|c| c.as_ref())
                .map_or(-1.0, |c| c.best_fraction)
        };
        rows.sort_by(|a, b| best(a).total_cmp(&best(b)).then(a.learner.cmp(&b.learner)));
    }
    if s.descending {
        rows.reverse();
    }
    rows
}

/// Draws the gradebook.
pub(super) fn gradebook_ui(ui: &mut Ui, s: &GradebookState, out: &mut Vec<Command>) {
    ui.horizontal(|ui| {
        ui.label(theme::heading("Gradebook"));
        let shown = s.cohort.clone().unwrap_or_else(|| "Everyone".to_string());
        ui.label("Cohort");
        let combo = egui::ComboBox::from_id_salt("gradebook_cohort")
            .selected_text(shown)
            .show_ui(ui, |ui| {
                if ui
                    .selectable_label(s.cohort.is_none(), "Everyone")
                    .clicked()
                {
                    out.push(cmd(GradebookCommand::Cohort(None)));
                }
                for c in &s.cohorts {
                    if ui
                        .selectable_label(s.cohort.as_deref() == Some(c), c)
                        .clicked()
                    {
                        out.push(cmd(GradebookCommand::Cohort(Some(c.clone()))));
                    }
                }
            });
        combo
            .response
            .widget_info(|| egui::WidgetInfo::labeled(egui::Role::ComboBox, true, "Cohort"));
        text_input(
            ui,
            "Filter learners",
            &s.filter,
            Field::GradebookFilter,
            out,
        );
    });
    let Some(g) = &s.data else {
        ui.label("No gradebook loaded.");
        return;
    };
    if g.rows.is_empty() {
        ui.label("No learners yet — add students under People and cohorts.");
        return;
    }
    ui.label(theme::caption(
        "Each cell: best score (latest score) and attempts. Click a cell for the attempt's \
         report; click a column header to sort.",
    ));
    table_ui(ui, g, s, out);
    ui.separator();
    ui.columns(2, |cols| {
        let [left, right] = cols else { return };
        ScrollArea::vertical()
            .id_salt("gradebook_attempt")
            .show(left, |ui| attempt_ui(ui, s, out));
        ScrollArea::vertical()
            .id_salt("gradebook_side")
            .show(right, |ui| {
                stats_ui(ui, g, s, out);
                ui.separator();
                export_ui(ui, s, out);
            });
    });
}

fn table_ui(ui: &mut Ui, g: &Gradebook, s: &GradebookState, out: &mut Vec<Command>) {
    let dark = theme::is_dark(ui.ctx());
    let rows = visible_rows(g, s);
    let arrow = |col: Option<usize>| {
        if s.sort_column == col {
            if s.descending { " (desc)" } else { " (asc)" }
        } else {
            ""
        }
    };
    ScrollArea::horizontal()
        .id_salt("gradebook_table_scroll")
        .show(ui, |ui| {
            let mut table = TableBuilder::new(ui)
                .id_salt("gradebook_table")
                .striped(true)
                .max_scroll_height(260.0)
                .column(Column::auto().at_least(140.0));
            for _ in &g.scenarios {
                table = table.column(Column::auto().at_least(150.0));
            }
            table
                .header(22.0, |mut header| {
                    header.col(|ui| {
                        ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Extend);
                        if ui.button(format!("Learner{}", arrow(None))).clicked() {
                            out.push(cmd(GradebookCommand::Sort(None)));
                        }
                    });
                    for (i, key) in g.scenarios.iter().enumerate() {
                        header.col(|ui| {
                            ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Extend);
                            let name = s.column_name(g, key);
                            if ui
                                .button(format!("{name}{}", arrow(Some(i))))
                                .on_hover_text(format!(
                                    "{} (version {})",
                                    key.scenario_id, key.content_hash
                                ))
                                .clicked()
                            {
                                out.push(cmd(GradebookCommand::Sort(Some(i))));
                            }
                        });
                    }
                })
                .body(|mut body| {
                    for row in rows {
                        body.row(20.0, |mut r| {
                            r.col(|ui| {
                                ui.label(&row.learner);
                            });
                            for (key, cell) in g.scenarios.iter().zip(&row.cells) {
                                r.col(|ui| match cell {
                                    None => {
                                        ui.label(theme::caption("—"));
                                    }
                                    Some(c) => {
                                        let colour = if c.latest_passed {
                                            theme::success(dark)
                                        } else {
                                            theme::alert(dark)
                                        };
                                        let text = format!(
                                            "{} ({}) x{}",
                                            percent(c.best_fraction),
                                            percent(c.latest_fraction),
                                            c.attempts
                                        );
                                        let label = format!(
                                            "Open {} on {}",
                                            row.learner,
                                            s.column_name(g, key)
                                        );
                                        let b = ui.add(egui::Button::new(
                                            RichText::new(text).color(colour),
                                        ));
                                        b.widget_info(move || {
                                            egui::WidgetInfo::labeled(
                                                egui::Role::Button,
                                                true,
                                                &label,
                                            )
                                        });
                                        if b.clicked() {
                                            out.push(cmd(GradebookCommand::OpenCell {
                                                learner: row.learner.clone(),
                                                scenario: key.clone(),
                                            }));
                                        }
                                    }
                                });
                            }
                        });
                    }
                });
        });
}

fn attempt_ui(ui: &mut Ui, s: &GradebookState, out: &mut Vec<Command>) {
    let dark = theme::is_dark(ui.ctx());
    let Some(a) = &s.attempt else {
        ui.label(theme::heading("Attempt report"));
        ui.label("Click a cell of the table to open the learner's latest attempt.");
        return;
    };
    ui.label(theme::heading(format!(
        "Attempt #{} — {} — {}",
        a.id,
        a.learner,
        s.title(&a.scenario_id)
    )))
    .on_hover_text(&a.scenario_id);
    ui.label(format!(
        "seed {} · {} · submitted {} · {} min",
        a.seed,
        a.mode.as_str(),
        display_time(&a.submitted_at),
        a.duration_secs / 60
    ));
    let fraction = if a.max > 0.0 {
        a.effective_score / a.max
    } else {
        0.0
    };
    let verdict = if a.passed { "passed" } else { "failed" };
    ui.label(
        RichText::new(format!(
            "Score {:.2} / {:.2} ({}), graded {:.2}, {verdict}",
            a.effective_score,
            a.max,
            percent(fraction),
            a.score
        ))
        .strong()
        .color(if a.passed {
            theme::success(dark)
        } else {
            theme::alert(dark)
        }),
    );
    if s.sibling_attempts.len() > 1 {
        ui.horizontal_wrapped(|ui| {
            ui.label("Other attempts:");
            for id in &s.sibling_attempts {
                if *id != a.id && ui.button(format!("Attempt #{id}")).clicked() {
                    out.push(cmd(GradebookCommand::OpenAttempt(*id)));
                }
            }
        });
    }
    if !a.overrides.is_empty() {
        ui.label(RichText::new("Overrides").strong());
        for o in &a.overrides {
            ui.label(format!(
                "{} by {}: {:.2} — {}",
                display_time(&o.created_at),
                o.author,
                o.new_score,
                o.comment
            ));
        }
    }
    ui.label(RichText::new("Override the score").strong());
    ui.horizontal(|ui| {
        text_input_sized(
            ui,
            "New score",
            &s.override_score,
            Field::OverrideScore,
            false,
            70.0,
            out,
        );
        text_input_sized(
            ui,
            "Comment",
            &s.override_comment,
            Field::OverrideComment,
            false,
            260.0,
            out,
        );
    });
    if super::button(ui, "Override score") {
        out.push(cmd(GradebookCommand::Override));
    }
    ui.add_space(6.0);
    egui::Grid::new("attempt_findings")
        .striped(true)
        .max_col_width(150.0)
        .num_columns(5)
        .show(ui, |ui| {
            for h in ["Criterion", "Points", "Expected", "Given", "Rule"] {
                ui.label(RichText::new(h).strong());
            }
            ui.end_row();
            let no_titles = |_: &str| None;
            for f in &a.findings {
                let title = if f.title.is_empty() {
                    crate::report::values::label_of(&f.criterion_id)
                } else {
                    f.title.clone()
                };
                ui.label(format!("{title} ({})", f.outcome.replace('_', " ")))
                    .on_hover_text(&f.criterion_id);
                ui.label(format!("{:.2} / {:.2}", f.points, f.max));
                ui.label(display_json_text(&f.expected, &no_titles));
                ui.label(display_json_text(&f.given, &no_titles));
                ui.label(&f.rule);
                ui.end_row();
            }
        });
}

fn stats_ui(ui: &mut Ui, g: &Gradebook, s: &GradebookState, out: &mut Vec<Command>) {
    ui.label(theme::heading("Item analysis"));
    ui.horizontal_wrapped(|ui| {
        for key in &g.scenarios {
            if ui
                .button(format!("Criteria of {}", s.column_name(g, key)))
                .clicked()
            {
                out.push(cmd(GradebookCommand::Stats(key.clone())));
            }
        }
    });
    let Some((key, stats)) = &s.stats else {
        ui.label("Choose a scenario version to see each criterion's miss rate and difficulty.");
        return;
    };
    ui.label(format!(
        "{} — most missed first; difficulty is points earned / points available (low is hard)",
        s.column_name(g, key)
    ));
    egui::Grid::new("criterion_stats")
        .striped(true)
        .num_columns(4)
        .show(ui, |ui| {
            for h in ["Criterion", "Graded", "Miss rate", "Difficulty"] {
                ui.label(RichText::new(h).strong());
            }
            ui.end_row();
            for st in stats {
                let title = s.criterion_titles.get(&st.criterion_id).map_or_else(
                    || crate::report::values::label_of(&st.criterion_id),
                    Clone::clone,
                );
                ui.label(title).on_hover_text(&st.criterion_id);
                ui.label(st.findings.to_string());
                ui.label(percent(st.miss_rate));
                ui.label(format!("{:.2}", st.difficulty));
                ui.end_row();
            }
        });
}

fn export_ui(ui: &mut Ui, s: &GradebookState, out: &mut Vec<Command>) {
    ui.label(theme::heading("Export"));
    ui.horizontal(|ui| {
        if ui.radio(!s.export_xapi, "CSV").clicked() {
            out.push(cmd(GradebookCommand::ExportXapi(false)));
        }
        if ui.radio(s.export_xapi, "xAPI (JSON)").clicked() {
            out.push(cmd(GradebookCommand::ExportXapi(true)));
        }
    });
    text_input_sized(
        ui,
        "Export to file",
        &s.export_path,
        Field::ExportPath,
        false,
        300.0,
        out,
    );
    crate::ui::export::gradebook_export_ui(
        ui,
        s.cohort.as_deref(),
        s.export_xapi,
        &s.export_path,
        out,
    );
}

/// Loads the cohorts and the gradebook.
pub(super) fn refresh(state: &AppState, session: &Session, staff: &mut StaffState) {
    let Some(store) = state.store.as_ref() else {
        return;
    };
    let g = &mut staff.gradebook;
    g.titles = state
        .scenarios
        .iter()
        .map(|s| (s.scenario.id.clone(), s.scenario.title.clone()))
        .collect();
    if let Ok(cohorts) = store.list_cohorts() {
        g.cohorts = cohorts.into_iter().map(|c| c.name).collect();
    }
    match store.gradebook(session, g.cohort.as_deref()) {
        Ok(data) => g.data = Some(data),
        Err(e) => {
            g.data = None;
            staff.notice = Some(Notice::Failed(e.to_string()));
        }
    }
}

/// The titles of a scenario's rubric criteria by id (empty when the scenario or its rubric is
/// no longer in the library).
fn criterion_titles(
    state: &AppState,
    scenario_id: &str,
) -> std::collections::BTreeMap<String, String> {
    state
        .scenarios
        .iter()
        .find(|s| s.scenario.id == scenario_id)
        .and_then(|s| {
            crate::library::load_rubric_file(
                &state.root.grading_dir().join(&s.scenario.rubric),
                &crate::tasks::schemas(),
            )
            .ok()
        })
        .map(|r| r.criteria.into_iter().map(|c| (c.id, c.title)).collect())
        .unwrap_or_default()
}

/// An RFC 3339 time as `2026-03-04 10:00` (UTC); other text as it is.
fn display_time(text: &str) -> String {
    display_json_text(&format!("{text:?}"), &|_| None)
}

fn open_attempt(state: &AppState, session: &Session, staff: &mut StaffState, id: i64) {
    let Some(store) = state.store.as_ref() else {
        return;
    };
    if let Some(a) = super::report(staff, store.attempt(session, id), |a| {
        format!("Opened attempt #{} of {}", a.id, a.learner)
    }) {
        staff.gradebook.override_score = format!("{:.2}", a.effective_score);
        staff.gradebook.attempt = Some(a);
    }
}

/// Applies a gradebook command.
pub(super) fn apply(
    state: &mut AppState,
    staff: &mut StaffState,
    command: GradebookCommand,
    now: DateTime<Utc>,
) {
    let Some(session) = state.staff_session.clone() else {
        return;
    };
    match command {
        GradebookCommand::Cohort(c) => {
            staff.gradebook.cohort = c;
            refresh(state, &session, staff);
        }
        GradebookCommand::Sort(col) => {
            let g = &mut staff.gradebook;
            if g.sort_column == col {
                g.descending = !g.descending;
            } else {
                g.sort_column = col;
                g.descending = col.is_some();
            }
        }
        GradebookCommand::OpenCell { learner, scenario } => {
            let Some(store) = state.store.as_ref() else {
                return;
            };
            let history = store
                .person_by_name(&learner)
                .and_then(|p| store.learner_history(&session, p.id));
            match history {
                Ok(entries) => {
                    let mut ids: Vec<i64> = entries
                        .iter()
                        .filter(|e| e.scenario == scenario)
                        .map(|e| e.attempt_id)
                        .collect();
                    ids.reverse();
                    staff.gradebook.sibling_attempts = ids.clone();
                    if let Some(id) = ids.first() {
                        open_attempt(state, &session, staff, *id);
                    }
                }
                Err(e) => staff.notice = Some(Notice::Failed(e.to_string())),
            }
        }
        GradebookCommand::OpenAttempt(id) => open_attempt(state, &session, staff, id),
        GradebookCommand::Override => override_score(state, &session, staff, now),
        GradebookCommand::Stats(key) => {
            let Some(store) = state.store.as_ref() else {
                return;
            };
            let title = staff.gradebook.title(&key.scenario_id).to_string();
            if let Some(stats) = super::report(staff, store.criterion_stats(&session, &key), |s| {
                format!("{} criteria analysed for {title}", s.len())
            }) {
                staff.gradebook.criterion_titles = criterion_titles(state, &key.scenario_id);
                staff.gradebook.stats = Some((key, stats));
            }
        }
        GradebookCommand::ExportXapi(x) => {
            let g = &mut staff.gradebook;
            g.export_xapi = x;
            let (from, to) = if x {
                (".csv", ".json")
            } else {
                (".json", ".csv")
            };
            if let Some(stem) = g.export_path.strip_suffix(from) {
                g.export_path = format!("{stem}{to}");
            }
        }
    }
}

fn override_score(
    state: &mut AppState,
    session: &Session,
    staff: &mut StaffState,
    now: DateTime<Utc>,
) {
    let g = &staff.gradebook;
    let Some(a) = &g.attempt else {
        return;
    };
    let id = a.id;
    if g.override_comment.trim().is_empty() {
        staff.notice = Some(Notice::Failed(
            "Write a comment saying why the score is overridden, then press Override score."
                .to_string(),
        ));
        return;
    }
    let Ok(score) = g.override_score.trim().parse::<f64>() else {
        staff.notice = Some(Notice::Failed(format!(
            "{:?} is not a score; type a number between 0 and {:.2}",
            g.override_score, a.max
        )));
        return;
    };
    let comment = g.override_comment.clone();
    let Some(store) = state.store.as_mut() else {
        return;
    };
    let done = super::report(
        staff,
        store.override_score(session, id, score, &comment, &now),
        |_| format!("Score of attempt #{id} overridden to {score:.2}"),
    );
    if done.is_some() {
        staff.gradebook.override_comment.clear();
        open_attempt(state, session, staff, id);
        refresh(state, session, staff);
        staff.notice = Some(Notice::Done(format!(
            "Score of attempt #{id} overridden to {score:.2}"
        )));
    }
}
