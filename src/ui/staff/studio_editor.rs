//! The studio's scenario editor: the scenario file as text in a monospace editor with RON
//! highlighting and line numbers, checked as it is typed (every check a saved scenario gets,
//! each problem marked at its line and column with its hint), saved with a backup of the
//! previous version, and previewed or dry-run graded from the edited text before it is saved.
//!
//! Invariants: the file is read when the editor opens and written only on Save (the previous
//! version first copied to `<file>.bak`, the new text written to a temporary file beside it and
//! renamed over it, so a failed write leaves the file as it was); the text is checked on every
//! edit without touching the disk beyond the rubric and bundle the scenario names.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use egui::text::{LayoutJob, TextFormat};
use egui::{Color32, FontId, RichText, ScrollArea, Ui};

use super::{StaffCommand, StaffState, theme};
use crate::diagnostic::{Diagnostic, Severity};
use crate::scenario::LoadedScenario;
use crate::ui::app::{AppState, Command};

/// Text longer than this is not opened in the editor (a scenario is a few kilobytes).
const MAX_EDIT_BYTES: u64 = 2 * 1024 * 1024;

/// A scenario file open in the editor.
#[derive(Debug, Clone, PartialEq)]
pub struct Editor {
    /// The file.
    pub path: PathBuf,
    /// The text being edited.
    pub text: String,
    /// The text as last read or saved.
    pub saved: String,
    /// The problems of the text, each placed at a line and column when it can be.
    pub diagnostics: Vec<Diagnostic>,
    /// The scenario the text makes, when it parses (previewed and dry-run from here).
    pub loaded: Option<LoadedScenario>,
    /// A character position to put the cursor at on the next frame ("go to" a problem).
    pub goto: Option<usize>,
}

impl Editor {
    /// Whether the text differs from the file.
    #[must_use]
    pub fn dirty(&self) -> bool {
        self.text != self.saved
    }

    /// Errors in the text.
    #[must_use]
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }
}

/// Editor commands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EditorCommand {
    /// Open the selected scenario's file.
    Open,
    /// The text changed.
    Text(String),
    /// Put the cursor at a line and column.
    GoTo(u32, u32),
    /// The cursor was put there.
    WentTo,
    /// Save (after a backup of the previous version).
    Save,
    /// Discard the edits.
    Revert,
    /// Close the editor (edits not saved are dropped).
    Close,
    /// Preview a patient from the edited text.
    Preview,
}

fn cmd(c: EditorCommand) -> Command {
    Command::Staff(StaffCommand::Editor(c))
}

/// Checks the editor's text (see [`crate::service::library::check_text`]).
fn check(state: &AppState, e: &mut Editor) {
    let (loaded, diagnostics) = crate::service::library::check_text(&e.path, &e.text, &state.root);
    e.loaded = loaded;
    e.diagnostics = diagnostics;
}

/// The character index of a 1-based line and column in `text` (clamped to the text).
fn char_index(text: &str, line: u32, col: u32) -> usize {
    let mut index = 0;
    for (n, l) in text.split('\n').enumerate() {
        if n + 1 == line as usize {
            return index + l.chars().count().min(col.saturating_sub(1) as usize);
        }
        index += l.chars().count() + 1;
    }
    text.chars().count()
}

/// Applies an editor command.
pub(super) fn apply(state: &mut AppState, staff: &mut StaffState, command: EditorCommand) {
    match command {
        EditorCommand::Open => open(state, staff),
        EditorCommand::Text(text) => {
            if let Some(e) = &mut staff.studio.editor {
                e.text = text;
                check(state, e);
            }
        }
        EditorCommand::GoTo(line, col) => {
            if let Some(e) = &mut staff.studio.editor {
                e.goto = Some(char_index(&e.text, line, col));
            }
        }
        EditorCommand::WentTo => {
            if let Some(e) = &mut staff.studio.editor {
                e.goto = None;
            }
        }
        EditorCommand::Save => save(state, staff),
        EditorCommand::Revert => {
            if let Some(e) = &mut staff.studio.editor {
                e.text = e.saved.clone();
                check(state, e);
            }
        }
        EditorCommand::Close => staff.studio.editor = None,
        EditorCommand::Preview => {
            let loaded = staff.studio.editor.as_ref().and_then(|e| e.loaded.clone());
            match loaded {
                Some(loaded) => super::studio::preview_from(staff, &loaded, true),
                None => {
                    staff.notice = Some(super::Notice::Failed(
                        "The edited text does not parse: fix the first error, then preview".into(),
                    ));
                }
            }
        }
    }
}

fn open(state: &AppState, staff: &mut StaffState) {
    let Some(id) = staff.studio.selected.clone() else {
        return;
    };
    let Some(path) = state
        .scenarios
        .iter()
        .find(|s| s.scenario.id == id)
        .map(|s| s.path.clone())
    else {
        staff.notice = Some(super::Notice::Failed(format!(
            "Scenario `{id}` does not load any more: open its file from the diagnostics"
        )));
        return;
    };
    match read_for_edit(&path) {
        Ok(text) => {
            let mut e = Editor {
                path,
                saved: text.clone(),
                text,
                diagnostics: Vec::new(),
                loaded: None,
                goto: None,
            };
            check(state, &mut e);
            staff.studio.editor = Some(e);
        }
        Err(why) => staff.notice = Some(super::Notice::Failed(why)),
    }
}

/// The file's text, when it is a UTF-8 file of a sensible size.
fn read_for_edit(path: &Path) -> Result<String, String> {
    let size = std::fs::metadata(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?
        .len();
    if size > MAX_EDIT_BYTES {
        return Err(format!(
            "{} is {size} bytes: too large to edit here (a scenario is a few kilobytes)",
            path.display()
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "{} is not UTF-8 text ({e}): fix it in a text editor",
            path.display()
        )
    })
}

/// The backup of `path`'s previous version: `<file>.bak` beside it.
#[must_use]
pub fn backup_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".bak");
    path.with_file_name(name)
}

/// Writes `text` to `path` after copying the previous version to [`backup_path`]; the new text
/// goes to a temporary file first and is renamed over the old one.
///
/// # Errors
/// What could not be written, with the path.
pub fn save_with_backup(path: &Path, text: &str) -> Result<PathBuf, String> {
    let backup = backup_path(path);
    std::fs::copy(path, &backup).map_err(|e| {
        format!(
            "cannot back up {} to {}: {e}",
            path.display(),
            backup.display()
        )
    })?;
    let mut tmp_name = path.file_name().unwrap_or_default().to_os_string();
    tmp_name.push(".saving");
    let tmp = path.with_file_name(tmp_name);
    std::fs::write(&tmp, text).map_err(|e| format!("cannot write {}: {e}", tmp.display()))?;
    std::fs::rename(&tmp, path).map_err(|e| {
        // Leave nothing half-done behind; the original file is untouched.
        let _ignored = std::fs::remove_file(&tmp);
        format!("cannot replace {}: {e}", path.display())
    })?;
    Ok(backup)
}

fn save(state: &mut AppState, staff: &mut StaffState) {
    let Some(e) = &mut staff.studio.editor else {
        return;
    };
    match save_with_backup(&e.path, &e.text) {
        Ok(backup) => {
            e.saved = e.text.clone();
            let errors = e.errors();
            let message = if errors == 0 {
                format!(
                    "Saved {} (the previous version is in {})",
                    e.path.display(),
                    backup.display()
                )
            } else {
                format!(
                    "Saved {} with {errors} error(s): it stays out of the catalog until they are fixed (the previous version is in {})",
                    e.path.display(),
                    backup.display()
                )
            };
            super::studio::refresh(state, staff);
            staff.notice = Some(if errors == 0 {
                super::Notice::Done(message)
            } else {
                super::Notice::Failed(message)
            });
        }
        Err(why) => staff.notice = Some(super::Notice::Failed(why)),
    }
}

/// Draws the editor: its actions, the text with line numbers and markers, and its problems.
pub(super) fn editor_ui(ui: &mut Ui, e: &Editor, out: &mut Vec<Command>) {
    let dark = theme::is_dark(ui.ctx());
    ui.horizontal_wrapped(|ui| {
        ui.label(theme::heading("Edit scenario"));
        ui.label(RichText::new(e.path.display().to_string()).monospace());
    });
    ui.horizontal_wrapped(|ui| {
        let save = ui.add_enabled(e.dirty(), egui::Button::new(RichText::new("Save").strong()));
        if save.clicked() {
            out.push(cmd(EditorCommand::Save));
        }
        if ui
            .add_enabled(e.dirty(), egui::Button::new("Revert"))
            .clicked()
        {
            out.push(cmd(EditorCommand::Revert));
        }
        if ui
            .add_enabled(e.loaded.is_some(), egui::Button::new("Preview a patient"))
            .on_hover_text("Generate from the edited text, before it is saved")
            .clicked()
        {
            out.push(cmd(EditorCommand::Preview));
        }
        if ui.button("Close editor").clicked() {
            out.push(cmd(EditorCommand::Close));
        }
        let status = match (e.errors(), e.diagnostics.len() - e.errors()) {
            (0, 0) => RichText::new("No problems").color(theme::success(dark)),
            (0, w) => RichText::new(format!("{w} warning(s)")).color(theme::abnormal(dark)),
            (n, w) => {
                RichText::new(format!("{n} error(s), {w} warning(s)")).color(theme::alert(dark))
            }
        };
        ui.label(status);
        if e.dirty() {
            ui.label(theme::caption("Not saved"));
        }
    });
    // Ctrl+S saves while the editor is open.
    if e.dirty() && ui.input_mut(|i| i.consume_key(egui::Modifiers::COMMAND, egui::Key::S)) {
        out.push(cmd(EditorCommand::Save));
    }
    let problem_lines: Vec<(u32, Severity)> = e
        .diagnostics
        .iter()
        .filter_map(|d| d.position.map(|(l, _)| (l, d.severity)))
        .collect();
    let height = (ui.available_height() * 0.62).max(160.0);
    ScrollArea::both()
        .id_salt("studio_editor_scroll")
        .max_height(height)
        .auto_shrink([false, true])
        .show(ui, |ui| {
            ui.horizontal_top(|ui| {
                gutter_ui(ui, &e.text, &problem_lines, dark);
                text_ui(ui, e, dark, out);
            });
        });
    ui.separator();
    diagnostics_ui(ui, e, dark, out);
}

/// Line numbers, with a marker on lines that have a problem.
fn gutter_ui(ui: &mut Ui, text: &str, problems: &[(u32, Severity)], dark: bool) {
    let font = egui::TextStyle::Monospace.resolve(ui.style());
    let lines = text.split('\n').count().max(1);
    let width = lines.to_string().len();
    let mut job = LayoutJob::default();
    for n in 1..=lines {
        let mark = problems
            .iter()
            .filter(|(l, _)| *l as usize == n)
            .map(|(_, s)| *s)
            .min_by_key(|s| match s {
                Severity::Error => 0,
                Severity::Warning => 1,
            });
        let (marker, colour) = match mark {
            Some(Severity::Error) => ("●", theme::alert(dark)),
            Some(Severity::Warning) => ("▲", theme::abnormal(dark)),
            None => (" ", ui.visuals().weak_text_color()),
        };
        let line = format!("{marker}{n:>width$}{}", if n < lines { "\n" } else { "" });
        job.append(&line, 0.0, TextFormat::simple(font.clone(), colour));
    }
    let r = ui.add(egui::Label::new(job).selectable(false));
    r.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, "Line numbers"));
}

fn text_ui(ui: &mut Ui, e: &Editor, dark: bool, out: &mut Vec<Command>) {
    let mut text = e.text.clone();
    let font = egui::TextStyle::Monospace.resolve(ui.style());
    // No wrapping: each text line is one row, level with its number in the gutter (the scroll
    // area scrolls sideways for long lines).
    let mut layouter =
        |ui: &Ui, buf: &dyn egui::TextBuffer, _wrap_width: f32| -> Arc<egui::Galley> {
            let mut job = ron_job(buf.as_str(), dark, &font);
            job.wrap.max_width = f32::INFINITY;
            ui.ctx().fonts_mut(|f| f.layout_job(job))
        };
    let id = egui::Id::unique("studio_editor_text");
    let r = ui.add(
        egui::TextEdit::multiline(&mut text)
            .id(id)
            .code_editor()
            .desired_width(f32::INFINITY)
            .desired_rows(24)
            .lock_focus(true)
            .layouter(&mut layouter),
    );
    r.widget_info(|| {
        egui::WidgetInfo::labeled(egui::Role::MultilineTextInput, true, "Scenario text (RON)")
    });
    if let Some(at) = e.goto {
        if let Some(mut st) = egui::text_edit::TextEditState::load(ui.ctx(), id) {
            let cursor = egui::text::CCursor::new(at);
            st.cursor
                .set_char_range(Some(egui::text::CCursorRange::one(cursor)));
            st.store(ui.ctx(), id);
        }
        r.request_focus();
        r.scroll_to_me(Some(egui::Align::Center));
        out.push(cmd(EditorCommand::WentTo));
    }
    if text != e.text {
        out.push(cmd(EditorCommand::Text(text)));
    }
}

fn diagnostics_ui(ui: &mut Ui, e: &Editor, dark: bool, out: &mut Vec<Command>) {
    if e.diagnostics.is_empty() {
        ui.label("The edited text passes every check.");
        return;
    }
    ScrollArea::vertical()
        .id_salt("studio_editor_problems")
        .show(ui, |ui| {
            for d in &e.diagnostics {
                let (level, colour) = match d.severity {
                    Severity::Error => ("error", theme::alert(dark)),
                    Severity::Warning => ("warning", theme::abnormal(dark)),
                };
                ui.horizontal_wrapped(|ui| {
                    match d.position {
                        Some((line, col)) => {
                            let go = ui.button(format!("{line}:{col}"));
                            let name = format!("Go to line {line}, column {col}");
                            go.widget_info(move || {
                                egui::WidgetInfo::labeled(egui::Role::Button, true, name.clone())
                            });
                            if go.clicked() {
                                out.push(cmd(EditorCommand::GoTo(line, col)));
                            }
                        }
                        None => {
                            ui.label(d.item.clone().unwrap_or_default());
                        }
                    }
                    ui.label(RichText::new(level).color(colour).strong());
                    ui.label(&d.message);
                });
                if let Some(h) = &d.hint {
                    ui.label(theme::caption(format!("hint: {h}")));
                }
            }
        });
}

/// RON text as a layout job: comments, strings, numbers, field names, type and variant names
/// and punctuation in their colours.
fn ron_job(text: &str, dark: bool, font: &FontId) -> LayoutJob {
    let plain = if dark {
        Color32::from_gray(220)
    } else {
        Color32::from_gray(30)
    };
    let (comment, string, number, field, variant) = if dark {
        (
            Color32::from_rgb(128, 160, 128),
            Color32::from_rgb(214, 157, 133),
            Color32::from_rgb(181, 206, 168),
            Color32::from_rgb(156, 220, 254),
            Color32::from_rgb(78, 201, 176),
        )
    } else {
        (
            Color32::from_rgb(0, 110, 0),
            Color32::from_rgb(163, 21, 21),
            Color32::from_rgb(9, 134, 88),
            Color32::from_rgb(0, 70, 160),
            Color32::from_rgb(38, 127, 153),
        )
    };
    let mut job = LayoutJob::default();
    let mut push = |s: &str, c: Color32| job.append(s, 0.0, TextFormat::simple(font.clone(), c));
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let slice = |from: usize, to: usize| {
        let a = chars.get(from).map_or(text.len(), |(i, _)| *i);
        let b = chars.get(to).map_or(text.len(), |(i, _)| *i);
        text.get(a..b).unwrap_or("")
    };
    let at = |i: usize| chars.get(i).map(|(_, c)| *c);
    let mut i = 0;
    while i < chars.len() {
        let start = i;
        let c = at(i).unwrap_or(' ');
        if c == '/' && at(i + 1) == Some('/') {
            while at(i).is_some_and(|c| c != '\n') {
                i += 1;
            }
            push(slice(start, i), comment);
        } else if c == '/' && at(i + 1) == Some('*') {
            i += 2;
            while i < chars.len() && !(at(i) == Some('*') && at(i + 1) == Some('/')) {
                i += 1;
            }
            i = (i + 2).min(chars.len());
            push(slice(start, i), comment);
        } else if c == '"' {
            i += 1;
            while let Some(d) = at(i) {
                i += 1;
                if d == '\\' {
                    i += 1;
                } else if d == '"' {
                    break;
                }
            }
            i = i.min(chars.len());
            push(slice(start, i), string);
        } else if c.is_ascii_digit() || (c == '-' && at(i + 1).is_some_and(|d| d.is_ascii_digit()))
        {
            i += 1;
            while at(i).is_some_and(|d| d.is_ascii_alphanumeric() || d == '.' || d == '_') {
                i += 1;
            }
            push(slice(start, i), number);
        } else if c.is_alphabetic() || c == '_' {
            while at(i).is_some_and(|d| d.is_alphanumeric() || d == '_') {
                i += 1;
            }
            let mut j = i;
            while at(j).is_some_and(|d| d == ' ' || d == '\t') {
                j += 1;
            }
            let colour = if at(j) == Some(':') {
                field
            } else if c.is_uppercase() {
                variant
            } else {
                plain
            };
            push(slice(start, i), colour);
        } else {
            while at(i).is_some_and(|d| {
                !(d == '"' || d == '/' || d == '-' || d.is_alphanumeric() || d == '_')
            }) {
                i += 1;
            }
            if i == start {
                i += 1;
            }
            push(slice(start, i), plain);
        }
    }
    job
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_become_a_character_index() {
        let text = "ab\ncdé\nf";
        assert_eq!(char_index(text, 1, 1), 0);
        assert_eq!(char_index(text, 2, 3), 5);
        assert_eq!(char_index(text, 2, 99), 6, "clamped to the line");
        assert_eq!(char_index(text, 9, 1), 8, "past the end: the end");
    }

    #[test]
    fn the_highlighter_keeps_every_character() {
        let text =
            "Scenario(\n  // a comment\n  id: \"x\\\"y\", n: -3.5, kind: Coding(()),\n  é: [1]\n)";
        let font = FontId::monospace(14.0);
        let job = ron_job(text, true, &font);
        assert_eq!(job.text, text);
        let unterminated = "a: \"open /* never closed";
        assert_eq!(ron_job(unterminated, false, &font).text, unterminated);
    }
}
