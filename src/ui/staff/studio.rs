//! Scenario studio: the library with live validation, a preview of the patient generated for
//! any seed (chart, task documents, answer key) and a dry run of the rubric against the key or
//! a typed answer.
//!
//! Invariants: validation runs in [`apply`] — on opening the tab, on "Re-check", and on a
//! timer tick (every [`CHECK_EVERY_SECS`]) only when a file's modification time or the file
//! list changed; drawing never touches the disk. Diagnostics are sorted (file, position, item).

use std::path::PathBuf;
use std::time::{Duration, Instant, SystemTime};

use egui::{RichText, ScrollArea, Ui};

use super::{Field, StaffCommand, StaffState, text_input_sized, theme};
use crate::case::{Case, generate};
use crate::diagnostic::{Diagnostic, Severity};
use crate::grading::GradeReport;
use crate::scenario::LoadedScenario;
use crate::ui::app::{AppState, Command};

/// How often the studio looks for changed files while it is showing.
pub(super) const CHECK_EVERY_SECS: u64 = 2;

/// Which part of the preview shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum PreviewView {
    /// The chart printout.
    #[default]
    Chart,
    /// The task material (documents, arrivals, timeline) as JSON.
    Documents,
    /// The answer key as RON.
    Key,
}

/// A generated case and what the preview shows of it.
#[derive(Debug, Clone, PartialEq)]
pub struct Preview {
    /// The case.
    pub case: Case,
    /// The scenario's rubric file (relative to the grading folder).
    pub rubric: String,
    /// Chart printout.
    pub chart: String,
    /// Task material as pretty JSON.
    pub documents: String,
    /// Answer key as RON (or why it could not be written).
    pub key_ron: String,
}

/// A rubric dry run's outcome.
#[derive(Debug, Clone, PartialEq)]
pub struct DryRun {
    /// What was graded ("the answer key" or "the typed answer").
    pub against: String,
    /// The report, or why there is none.
    pub result: Result<GradeReport, String>,
}

/// The studio's state.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StudioState {
    /// Every scenario and rubric file with its modification time at the last check.
    pub files: Vec<(PathBuf, Option<SystemTime>)>,
    /// Diagnostics of the last check.
    pub diagnostics: Vec<Diagnostic>,
    /// When the files were last looked at.
    pub checked_at: Option<Instant>,
    /// The scenario being previewed.
    pub selected: Option<String>,
    /// Seed typed for the preview.
    pub seed: String,
    /// The preview.
    pub preview: Option<Preview>,
    /// Which part of the preview shows.
    pub view: PreviewView,
    /// A typed answer (RON) for the dry run.
    pub answer: String,
    /// The last dry run.
    pub dry_run: Option<DryRun>,
    /// The scenario file open in the editor.
    pub editor: Option<super::studio_editor::Editor>,
    /// The preview was generated from the editor's text (not the saved file).
    pub preview_from_editor: bool,
}

/// Studio commands.
#[derive(Debug, Clone, PartialEq)]
pub enum StudioCommand {
    /// Re-validate everything now.
    Recheck,
    /// Re-validate if any file changed on disk.
    Tick,
    /// Preview a scenario at the typed seed.
    Select(String),
    /// Regenerate the preview at the typed seed.
    Generate,
    /// Show a part of the preview.
    View(PreviewView),
    /// Put the answer key into the answer box (to edit it).
    CopyKeyToAnswer,
    /// Grade the answer key.
    DryRunKey,
    /// Grade the typed answer.
    DryRunAnswer,
}

fn cmd(c: StudioCommand) -> Command {
    Command::Staff(StaffCommand::Studio(c))
}

/// Draws the studio.
pub(super) fn studio_ui(ui: &mut Ui, state: &AppState, s: &StudioState, out: &mut Vec<Command>) {
    let every = Duration::from_secs(CHECK_EVERY_SECS);
    let elapsed = s.checked_at.map_or(every, |t| t.elapsed());
    if elapsed >= every {
        out.push(cmd(StudioCommand::Tick));
    }
    // Wake up when the next check is due (frames are not drawn while nothing happens).
    let remaining = every.saturating_sub(elapsed);
    ui.ctx()
        .request_repaint_after(remaining.max(Duration::from_millis(50)));
    egui::Panel::left("studio_library")
        .resizable(true)
        .default_size(380.0)
        .show(ui, |ui| library_ui(ui, state, s, out));
    egui::CentralPanel::default().show(ui, |ui| match &s.editor {
        Some(e) => {
            ui.columns(2, |cols| {
                let [left, right] = cols else { return };
                super::studio_editor::editor_ui(left, e, out);
                ScrollArea::vertical()
                    .id_salt("studio_preview_beside_editor")
                    .show(right, |ui| preview_ui(ui, s, out));
            });
        }
        None => preview_ui(ui, s, out),
    });
}

fn library_ui(ui: &mut Ui, state: &AppState, s: &StudioState, out: &mut Vec<Command>) {
    let dark = theme::is_dark(ui.ctx());
    ui.horizontal(|ui| {
        ui.label(theme::heading("Scenario library"));
        if ui.button("Re-check").clicked() {
            out.push(cmd(StudioCommand::Recheck));
        }
    });
    let errors = s.diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = s.diagnostics.len() - errors;
    let summary = format!(
        "{} files checked: {errors} errors, {warnings} warnings",
        s.files.len()
    );
    let colour = if errors > 0 {
        theme::alert(dark)
    } else {
        theme::success(dark)
    };
    ui.label(RichText::new(summary).color(colour));
    ui.label(theme::caption(format!(
        "Re-checked automatically when a file under {} or {} changes.",
        state.root.scenarios_dir().display(),
        state.root.grading_dir().display()
    )));
    ui.separator();
    ScrollArea::vertical()
        .id_salt("studio_library_scroll")
        .max_height(ui.available_height() * 0.55)
        .show(ui, |ui| {
            if state.scenarios.is_empty() {
                ui.label("No scenarios load — fix the problems below or open the scenario folder.");
            }
            for sc in &state.scenarios {
                let id = &sc.scenario.id;
                let selected = s.selected.as_deref() == Some(id.as_str());
                let text = format!("{id} — {}", sc.scenario.title);
                let r = ui.selectable_label(selected, text);
                let label = format!("Preview {id}");
                r.widget_info(move || {
                    egui::WidgetInfo::selected(egui::Role::Button, true, selected, &label)
                });
                if r.clicked() {
                    out.push(cmd(StudioCommand::Select(id.clone())));
                }
            }
        });
    ui.separator();
    ui.label(theme::heading("Diagnostics"));
    if s.diagnostics.is_empty() {
        ui.label("No problems found.");
    }
    ScrollArea::vertical()
        .id_salt("studio_diagnostics")
        .show(ui, |ui| {
            for d in &s.diagnostics {
                diagnostic_ui(ui, state, d, dark);
            }
        });
}

fn diagnostic_ui(ui: &mut Ui, state: &AppState, d: &Diagnostic, dark: bool) {
    let file = d
        .file
        .strip_prefix(state.root.scenarios_dir().parent().unwrap_or(&d.file))
        .unwrap_or(&d.file)
        .display()
        .to_string();
    let place = match (d.position, &d.item) {
        (Some((line, col)), _) => format!("{file}:{line}:{col}"),
        (None, Some(item)) => format!("{file} at {item}"),
        (None, None) => file,
    };
    let (level, colour) = match d.severity {
        Severity::Error => ("error", theme::alert(dark)),
        Severity::Warning => ("warning", theme::abnormal(dark)),
    };
    ui.label(
        RichText::new(format!("{level}: {place}"))
            .color(colour)
            .strong(),
    );
    ui.label(&d.message);
    if let Some(h) = &d.hint {
        ui.label(theme::caption(format!("hint: {h}")));
    }
    ui.add_space(4.0);
}

fn preview_ui(ui: &mut Ui, s: &StudioState, out: &mut Vec<Command>) {
    let Some(id) = &s.selected else {
        ui.label(theme::heading("Preview"));
        ui.label("Choose a scenario on the left to preview its patient, documents and answer key.");
        return;
    };
    ui.horizontal_wrapped(|ui| {
        ui.label(theme::heading(format!("Preview: {id}")));
        let seed = text_input_sized(ui, "Seed", &s.seed, Field::StudioSeed, false, 90.0, out);
        let enter = seed.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        if ui.button("Generate").clicked() || enter {
            out.push(match &s.editor {
                Some(_) => Command::Staff(StaffCommand::Editor(
                    super::studio_editor::EditorCommand::Preview,
                )),
                None => cmd(StudioCommand::Generate),
            });
        }
        if s.editor.is_none() && ui.button("Edit scenario").clicked() {
            out.push(Command::Staff(StaffCommand::Editor(
                super::studio_editor::EditorCommand::Open,
            )));
        }
        if s.preview_from_editor && s.preview.is_some() {
            ui.label(theme::caption("from the edited text (not saved)"));
        }
    });
    let Some(p) = &s.preview else {
        ui.label("Type a whole-number seed and press Generate.");
        return;
    };
    ui.horizontal(|ui| {
        for (view, label) in [
            (PreviewView::Chart, "Chart"),
            (PreviewView::Documents, "Documents"),
            (PreviewView::Key, "Answer key"),
        ] {
            if ui.selectable_label(s.view == view, label).clicked() {
                out.push(cmd(StudioCommand::View(view)));
            }
        }
        ui.label(theme::caption(format!("rubric {}", p.rubric)));
    });
    let text = match s.view {
        PreviewView::Chart => &p.chart,
        PreviewView::Documents => &p.documents,
        PreviewView::Key => &p.key_ron,
    };
    let height = (ui.available_height() * 0.42).max(120.0);
    ScrollArea::both()
        .id_salt("studio_preview_text")
        .max_height(height)
        .show(ui, |ui| {
            ui.add(egui::Label::new(RichText::new(text).monospace()).extend());
        });
    ui.separator();
    dry_run_ui(ui, s, out);
}

fn dry_run_ui(ui: &mut Ui, s: &StudioState, out: &mut Vec<Command>) {
    ui.horizontal(|ui| {
        ui.label(theme::heading("Rubric dry run"));
        if ui.button("Grade the answer key").clicked() {
            out.push(cmd(StudioCommand::DryRunKey));
        }
        if ui.button("Grade the typed answer").clicked() {
            out.push(cmd(StudioCommand::DryRunAnswer));
        }
        if ui.button("Start from the key").clicked() {
            out.push(cmd(StudioCommand::CopyKeyToAnswer));
        }
    });
    ui.columns(2, |cols| {
        let [left, right] = cols else { return };
        left.label("Typed answer (RON)");
        let mut text = s.answer.clone();
        ScrollArea::vertical()
            .id_salt("studio_answer")
            .show(left, |ui| {
                let r = ui.add(
                    egui::TextEdit::multiline(&mut text)
                        .code_editor()
                        .desired_rows(10)
                        .desired_width(f32::INFINITY),
                );
                r.widget_info(|| {
                    egui::WidgetInfo::labeled(
                        egui::Role::MultilineTextInput,
                        true,
                        "Typed answer (RON)",
                    )
                });
            });
        if text != s.answer {
            out.push(Command::Staff(StaffCommand::Set(Field::StudioAnswer, text)));
        }
        ScrollArea::vertical()
            .id_salt("studio_report")
            .show(right, |ui| match &s.dry_run {
                None => {
                    ui.label("Grade the key (it should score 100%) or a typed answer.");
                }
                Some(run) => report_ui(ui, run),
            });
    });
}

fn report_ui(ui: &mut Ui, run: &DryRun) {
    let dark = theme::is_dark(ui.ctx());
    match &run.result {
        Err(e) => {
            ui.label(
                RichText::new(format!("Could not grade {}: {e}", run.against))
                    .color(theme::alert(dark)),
            );
        }
        Ok(r) => {
            let verdict = if r.passed { "PASS" } else { "FAIL" };
            let colour = if r.passed {
                theme::success(dark)
            } else {
                theme::alert(dark)
            };
            ui.label(
                RichText::new(format!(
                    "Dry run of {}: {:.2} / {:.2} ({:.1}%) {verdict}",
                    run.against, r.score, r.max, r.percent
                ))
                .color(colour)
                .strong(),
            );
            for c in &r.critical {
                ui.label(RichText::new(format!("Critical: {c:?}")).color(theme::alert(dark)));
            }
            criteria_grid(ui, r);
        }
    }
}

fn criteria_grid(ui: &mut Ui, r: &GradeReport) {
    use crate::grading::criteria::value_text;
    // One block per criterion: the report sits in a narrow column, so no wide grid.
    for c in &r.criteria {
        ui.label(RichText::new(format!("{}  {:.2} / {:.2}", c.id, c.points, c.max)).strong());
        ui.label(format!(
            "expected: {}  ·  given: {}",
            value_text(&c.expected),
            value_text(&c.given)
        ));
        ui.label(theme::caption(format!("rule: {}", c.rule)));
        ui.add_space(4.0);
    }
}

/// Scenario and rubric files with their modification times, sorted by path.
fn snapshot(state: &AppState) -> Vec<(PathBuf, Option<SystemTime>)> {
    let mut files = Vec::new();
    for dir in [state.root.scenarios_dir(), state.root.grading_dir()] {
        if let Ok(found) = crate::scenario::load::ron_files(&dir) {
            files.extend(found);
        }
    }
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let mtime = std::fs::metadata(&p).and_then(|m| m.modified()).ok();
            (p, mtime)
        })
        .collect()
}

/// Validates everything and reloads the app's scenario list.
pub(super) fn refresh(state: &mut AppState, staff: &mut StaffState) {
    let s = &mut staff.studio;
    s.files = snapshot(state);
    s.checked_at = Some(Instant::now());
    let dirs = [state.root.scenarios_dir(), state.root.grading_dir()];
    let (diagnostics, _) = crate::service::library::check(&dirs, &state.root);
    s.diagnostics = diagnostics;
    state.reload();
    if s.selected.is_some() {
        regenerate(state, staff);
    }
}

/// Applies a studio command.
pub(super) fn apply(state: &mut AppState, staff: &mut StaffState, command: StudioCommand) {
    let s = &mut staff.studio;
    match command {
        StudioCommand::Recheck => {
            refresh(state, staff);
            staff.notice = Some(super::Notice::Done(format!(
                "Re-checked {} files",
                staff.studio.files.len()
            )));
        }
        StudioCommand::Tick => {
            if snapshot(state) == s.files {
                s.checked_at = Some(Instant::now());
            } else {
                refresh(state, staff);
            }
        }
        StudioCommand::Select(id) => {
            s.selected = Some(id);
            if s.seed.trim().is_empty() {
                s.seed = "1".to_string();
            }
            s.dry_run = None;
            regenerate(state, staff);
        }
        StudioCommand::Generate => {
            s.dry_run = None;
            regenerate(state, staff);
        }
        StudioCommand::View(v) => s.view = v,
        StudioCommand::CopyKeyToAnswer => {
            if let Some(p) = &s.preview {
                s.answer = p.key_ron.clone();
            }
        }
        StudioCommand::DryRunKey => {
            if let Some(p) = &s.preview {
                let result = grade_value(state, s, p, &p.case.key());
                s.dry_run = Some(DryRun {
                    against: "the answer key".to_string(),
                    result,
                });
            }
        }
        StudioCommand::DryRunAnswer => {
            if let Some(p) = &s.preview {
                let file = std::path::Path::new("typed answer.ron");
                let result = p
                    .case
                    .parse_submission(file, &s.answer)
                    .map_err(|d| d.to_string())
                    .and_then(|v| grade_value(state, s, p, &v));
                s.dry_run = Some(DryRun {
                    against: "the typed answer".to_string(),
                    result,
                });
            }
        }
    }
}

fn regenerate(state: &AppState, staff: &mut StaffState) {
    let s = &mut staff.studio;
    let Some(id) = s.selected.clone() else {
        return;
    };
    let Some(loaded) = state.scenarios.iter().find(|l| l.scenario.id == id) else {
        s.preview = None;
        staff.notice = Some(super::Notice::Failed(format!(
            "Scenario `{id}` does not load any more; see its diagnostics"
        )));
        return;
    };
    let loaded = loaded.clone();
    preview_from(staff, &loaded, false);
}

/// Previews `loaded` (a saved scenario, or the editor's text when `from_editor`) at the typed
/// seed.
pub(super) fn preview_from(staff: &mut StaffState, loaded: &LoadedScenario, from_editor: bool) {
    let s = &mut staff.studio;
    let Ok(seed) = s.seed.trim().parse::<u64>() else {
        s.preview = None;
        staff.notice = Some(super::Notice::Failed(format!(
            "{:?} is not a seed; type a whole number such as 7",
            s.seed
        )));
        return;
    };
    s.dry_run = None;
    s.preview_from_editor = from_editor;
    let case = generate(loaded, seed, 0);
    let key = case.key();
    let key_ron = case
        .answer_to_ron(&key)
        .unwrap_or_else(|e| format!("(the key cannot be written as RON: {e})"));
    let documents = serde_json::to_string_pretty(&case.task)
        .unwrap_or_else(|e| format!("(cannot show the documents: {e})"));
    s.preview = Some(Preview {
        chart: crate::service::chart_text::chart(&case),
        documents,
        key_ron,
        rubric: loaded.scenario.rubric.clone(),
        case,
    });
}

fn grade_value(
    state: &AppState,
    s: &StudioState,
    p: &Preview,
    submission: &serde_json::Value,
) -> Result<GradeReport, String> {
    let edited = s
        .editor
        .as_ref()
        .filter(|_| s.preview_from_editor)
        .and_then(|e| e.loaded.as_ref());
    let Some(loaded) = edited.or_else(|| {
        state
            .scenarios
            .iter()
            .find(|l| l.scenario.id == p.case.scenario_id)
    }) else {
        return Err("the scenario no longer loads".to_string());
    };
    let rubric = crate::service::grading::rubric_for(&state.root, loaded).map_err(|e| match e {
        crate::service::grading::RubricError::DoesNotLoad(found) => {
            let lines: Vec<String> = found.iter().map(ToString::to_string).collect();
            format!("the rubric does not load: {}", lines.join("; "))
        }
        other => other.to_string(),
    })?;
    Ok(crate::service::grading::grade_against(
        &rubric,
        loaded,
        &p.case.key(),
        submission,
    ))
}
