//! An open case and everything the learner does to it: the answer being written (a JSON
//! document of the task's submission shape), raw input texts, the encoder's search, live coding
//! edits (practice only), draft autosave and submission. Applied after the frame by
//! [`super::app::AppState::apply`], which hands the edits of the open case to
//! [`Workspace::apply`]; nothing here draws.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::chart::Section;
use super::command::Command;
use super::task::{CodeDrag, answer};
use crate::case::Case;
use crate::grading::{FieldType, GradeReport};
use crate::library::ContentRoot;
use crate::scenario::LoadedScenario;
use crate::store::Mode;
use crate::tasks;
use crate::terminology::{self, System, search};

/// An open case.
#[derive(Debug, Clone, PartialEq)]
pub struct Workspace {
    /// The scenario it came from.
    pub scenario: LoadedScenario,
    /// The generated case.
    pub case: Case,
    /// The chart section shown in the centre.
    pub section: Section,
    /// The answer being written, in the submission's JSON shape.
    pub answer: Value,
    /// Raw text of each input (so "37." can be typed), by field path; units under `path#unit`.
    pub texts: BTreeMap<String, String>,
    /// Practice or assessment (assessment: no feedback, no keys, no edit warnings).
    pub mode: Mode,
    /// When the case was opened.
    pub started_at: DateTime<Utc>,
    /// Assessment deadline, if any.
    pub deadline: Option<DateTime<Utc>>,
    /// Whether the answer changed since the last draft save.
    pub dirty: bool,
    /// The encoder panel.
    pub encoder: Encoder,
    /// Coding edits on the current code lists (practice mode only).
    pub warnings: Vec<String>,
    /// The MS-DRG of the claim as coded so far (inpatient coding; practice, or an assessment
    /// whose author shows it).
    pub drg: Option<crate::grading::criteria::drg::ClaimGrouping>,
    /// An assessment shows the live MS-DRG (its author's choice; practice always does).
    pub show_drg: bool,
    /// A message for the task pane (saved, errors).
    pub note: String,
    /// Set after submission while the learner reviews the graded answer in the chart: the form
    /// is read-only and the entries where points were lost are highlighted.
    pub review: Option<super::review::Review>,
    /// The triage board (its simulated clock); `None` unless this is a triage case.
    pub board: Option<super::board::TriageBoard>,
}

/// The encoder panel's state.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Encoder {
    /// The search text.
    pub query: String,
    /// Which list the encoder adds to (e.g. `codes.diagnoses`).
    pub target: String,
    /// Results, best first, each with the words that matched.
    pub hits: Vec<search::Hit>,
    /// Said above the results: "No codes match …" with suggestions, or which words no code
    /// matched; empty when every word matched.
    pub message: String,
    /// The code whose notes are shown.
    pub selected: Option<String>,
    /// The selected code's hierarchy and notes, as display lines.
    pub details: Vec<String>,
}

impl Workspace {
    /// A fresh workspace on a case, with a blank answer.
    pub fn new(scenario: LoadedScenario, case: Case, mode: Mode, now: DateTime<Utc>) -> Self {
        let answer = case.blank();
        let section = super::task_kinds::first_section(&case.task);
        let board = super::board::TriageBoard::for_case(&case.task, mode);
        let mut w = Self {
            scenario,
            case,
            section,
            answer,
            texts: BTreeMap::new(),
            mode,
            started_at: now,
            deadline: None,
            dirty: false,
            encoder: Encoder::default(),
            warnings: Vec::new(),
            drg: None,
            show_drg: false,
            note: String::new(),
            review: None,
            board,
        };
        w.refresh_texts();
        if w.takes_poa() {
            // The MS-DRG definitions load while the learner reads the record, not on the
            // first code added (the load blocks only a caller that needs them meanwhile).
            // Without a thread for it, they load on first use instead.
            let _ = std::thread::Builder::new().spawn(|| {
                let _ = crate::terminology::drg::definitions();
            });
        }
        w
    }

    /// Applies a command that edits this case: its answer, its encoder or its triage board.
    /// Other commands are not the workspace's and change nothing.
    pub fn apply(&mut self, command: Command) {
        match command {
            Command::EditField { path, text, ty } => self.edit(&path, text, ty),
            Command::SetUnit { path, unit } => self.set_unit(&path, unit),
            Command::AddRow(path) => self.add_row(&path),
            Command::SetRow { path, value } => self.set_row(&path, value),
            Command::RemoveRow { path, index } => self.remove_row(&path, index),
            Command::MoveRow { path, index, up } => self.move_row(&path, index, up),
            Command::EncoderSearch { target, query } => self.search(&target, query),
            Command::EncoderSelect(code) => self.select_code(&code),
            Command::AddCode { path, code } => self.add_code(&path, &code),
            Command::SetPoa { code, indicator } => self.set_poa(&code, &indicator),
            Command::DropCode { path, drag, at } => match drag {
                CodeDrag::Result(code) => self.insert_code(&path, &code, at),
                CodeDrag::Line {
                    path: from_path,
                    index,
                } if from_path == path => self.move_row_to(&path, index, at),
                CodeDrag::Line { .. } => {}
            },
            Command::Board(c) => super::board::apply(self, c),
            // Not edits of the case: the app applies these (see `AppState::apply`).
            Command::ShowCatalog
            | Command::SetFilter(_)
            | Command::SetKindFilter(_)
            | Command::SetDifficultyFilter(_)
            | Command::SetGrouping(_)
            | Command::ReloadScenarios
            | Command::Zoom(_)
            | Command::ToggleTheme
            | Command::SetNewProfileName(_)
            | Command::CreateProfile
            | Command::SelectProfile(_)
            | Command::Profile(_)
            | Command::ShowProgress
            | Command::Server(_)
            | Command::OpenScenario { .. }
            | Command::ResumeDraft(_)
            | Command::NewVariant
            | Command::RetrySame
            | Command::SaveDraft
            | Command::Submit
            | Command::ShowSection(_)
            | Command::ReviewInChart(_)
            | Command::BackToReport
            | Command::ReviewFocused
            | Command::StartExam(_)
            | Command::ExamOpenItem(_)
            | Command::ExamFinish
            | Command::ExamCancelFinish
            | Command::ExamTimeUp
            | Command::ShowStaff
            | Command::Staff(_)
            | Command::Export(_) => {}
        }
    }

    /// Sets (or, with "", clears) the POA indicator of a diagnosis: one `codes.poa` line per
    /// code.
    pub(crate) fn set_poa(&mut self, code: &str, indicator: &str) {
        let Some(codes) = self.answer.get_mut("codes").and_then(Value::as_object_mut) else {
            return;
        };
        let lines = codes.entry("poa").or_insert_with(|| json!([]));
        if !lines.is_array() {
            *lines = json!([]);
        }
        let Some(lines) = lines.as_array_mut() else {
            return;
        };
        let at = lines
            .iter()
            .position(|l| l.get("code").and_then(Value::as_str) == Some(code));
        match (at, indicator.trim()) {
            (Some(i), "") => {
                lines.remove(i);
            }
            (None, "") => return,
            (Some(i), ind) => lines[i] = json!({"code": code, "indicator": ind}),
            (None, ind) => lines.push(json!({"code": code, "indicator": ind})),
        }
        self.dirty = true;
        self.refresh_warnings();
    }

    /// The POA indicator given for a diagnosis ("" when none).
    #[must_use]
    pub fn poa_of(&self, code: &str) -> String {
        self.answer
            .get("codes")
            .and_then(|c| c.get("poa"))
            .and_then(Value::as_array)
            .and_then(|lines| {
                lines
                    .iter()
                    .find(|l| l.get("code").and_then(Value::as_str) == Some(code))
            })
            .and_then(|l| l.get("indicator").and_then(Value::as_str))
            .unwrap_or_default()
            .to_string()
    }

    /// Whether the claim's diagnoses take POA indicators (inpatient coding).
    #[must_use]
    pub fn takes_poa(&self) -> bool {
        matches!(&self.case.task, tasks::TaskMaterial::Coding(m) if m.claim.is_some())
    }

    /// The MS-DRG the answer's codes group to, shown live in practice (an assessment shows it
    /// only when its author allows): `None` outside inpatient coding or with no codes.
    fn live_drg(&self) -> Option<crate::grading::criteria::drg::ClaimGrouping> {
        if self.mode == Mode::Assessment && !self.show_drg {
            return None;
        }
        let tasks::TaskMaterial::Coding(m) = &self.case.task else {
            return None;
        };
        let facts = serde_json::to_value(m.claim.as_ref()?).ok()?;
        let mut codes = self.answer.get("codes")?.clone();
        codes.as_object_mut()?.insert("claim".into(), facts);
        crate::grading::criteria::drg::group_claim(&codes)
    }

    /// Whether a field of the schema is asked for in this case (e.g. procedure codes only when
    /// the coding task includes procedures).
    pub(crate) fn field_applies(&self, path: &str) -> bool {
        super::task_kinds::field_applies(&self.case.task, path)
    }

    /// Restores an answer (from a draft) and the input texts that show it.
    pub fn restore(&mut self, answer: Value) {
        self.answer = answer;
        self.refresh_texts();
        self.refresh_warnings();
        if let (Some(board), tasks::TaskMaterial::Triage(m)) = (&mut self.board, &self.case.task) {
            board.resume(m, &self.answer);
        }
    }

    /// The task's field schema.
    pub fn schema(&self) -> crate::grading::FieldSchema {
        tasks::schema(self.scenario.scenario.task.rubric_kind())
    }

    /// Rebuilds the input texts from the answer: every scalar field, every list row and every
    /// cell of a list of records (so a restored draft shows exactly what was saved).
    fn refresh_texts(&mut self) {
        self.texts.clear();
        for f in self.schema().fields {
            if matches!(
                f.ty,
                FieldType::CodeList | FieldType::RecordList | FieldType::Claim
            ) {
                continue;
            }
            if let Some((list, field)) = f.path.split_once("[].") {
                let rows = answer::list(&self.answer, list).len();
                for i in 0..rows {
                    let cell = format!("{list}[{i}].{field}");
                    if let Some(v) = answer::get(&self.answer, &cell) {
                        self.set_text(&cell, f.ty, v.clone());
                    }
                }
                continue;
            }
            if f.ty == FieldType::TextList {
                let rows: Vec<Value> = answer::list(&self.answer, &f.path).to_vec();
                for (i, v) in rows.into_iter().enumerate() {
                    self.set_text(&format!("{}[{i}]", f.path), f.ty, v);
                }
                continue;
            }
            if let Some(v) = answer::get(&self.answer, &f.path) {
                self.set_text(&f.path, f.ty, v.clone());
            }
        }
    }

    /// Sets the text an input shows for an answer value (a quantity's unit too).
    fn set_text(&mut self, path: &str, ty: FieldType, v: Value) {
        match (ty, v) {
            (FieldType::Quantity, Value::Object(o)) => {
                if let Some(n) = o.get("value") {
                    self.texts.insert(path.to_string(), value_text(n));
                }
                if let Some(Value::String(u)) = o.get("unit") {
                    self.texts.insert(format!("{path}#unit"), u.clone());
                }
            }
            (_, v @ (Value::String(_) | Value::Number(_))) => {
                self.texts.insert(path.to_string(), value_text(&v));
            }
            (_, Value::Null | Value::Bool(_) | Value::Array(_) | Value::Object(_)) => {
                self.texts.remove(path);
            }
        }
    }

    /// Renumbers the texts of the rows of `list_path` after `change` reordered, removed or
    /// inserted rows of that list, so each text stays with its row.
    fn follow_rows(&mut self, list_path: &str, change: impl FnOnce(&mut Value)) {
        let rows = answer::list(&self.answer, list_path).len();
        let mut order = Value::Null;
        answer::set(&mut order, list_path, (0..rows).map(Value::from).collect());
        change(&mut order);
        let prefix = format!("{list_path}[");
        let moved: Vec<(String, String)> = self
            .texts
            .range(prefix.clone()..)
            .take_while(|(k, _)| k.starts_with(&prefix))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        for (k, _) in &moved {
            self.texts.remove(k);
        }
        let new_index: BTreeMap<u64, usize> = answer::list(&order, list_path)
            .iter()
            .enumerate()
            .filter_map(|(new, old)| old.as_u64().map(|o| (o, new)))
            .collect();
        for (k, v) in moved {
            let Some((index, rest)) = k.strip_prefix(&prefix).and_then(|r| r.split_once(']'))
            else {
                continue;
            };
            let Some(new) = index.parse::<u64>().ok().and_then(|i| new_index.get(&i)) else {
                continue;
            };
            self.texts.insert(format!("{prefix}{new}]{rest}"), v);
        }
    }

    /// The raw text of an input.
    pub fn text(&self, path: &str) -> &str {
        self.texts.get(path).map_or("", String::as_str)
    }

    /// Sets an input's text (kept exactly as typed) and the answer value it means: a text
    /// verbatim, a number or date parsed from the trimmed text (a whole-number field takes
    /// only whole numbers).
    pub fn edit(&mut self, path: &str, text: String, ty: FieldType) {
        let whole = self
            .schema()
            .spec(&super::task::general_path(path))
            .is_some_and(|s| s.integer);
        let mut value = parse_input(
            &text,
            ty,
            self.texts
                .get(&format!("{path}#unit"))
                .map(String::as_str)
                .unwrap_or_else(|| default_unit(path)),
        );
        if whole && !(value.is_i64() || value.is_u64()) {
            value = Value::Null;
        }
        self.texts.insert(path.to_string(), text);
        answer::set(&mut self.answer, path, value);
        self.dirty = true;
    }

    /// Sets a quantity's unit.
    pub(crate) fn set_unit(&mut self, path: &str, unit: String) {
        self.texts.insert(format!("{path}#unit"), unit);
        let text = self.text(path).to_string();
        self.edit(path, text, FieldType::Quantity);
    }

    /// Adds an empty row to a list of records (or texts).
    pub(crate) fn add_row(&mut self, list_path: &str) {
        let schema = self.schema();
        let prefix = format!("{list_path}[].");
        let fields: Vec<&str> = schema
            .fields
            .iter()
            .filter_map(|f| f.path.strip_prefix(&prefix))
            .collect();
        let item = if fields.is_empty() {
            Value::String(String::new())
        } else {
            Value::Object(
                fields
                    .iter()
                    .map(|f| ((*f).to_string(), Value::Null))
                    .collect(),
            )
        };
        answer::add_row(&mut self.answer, list_path, item);
        self.dirty = true;
    }

    /// Removes a row.
    pub(crate) fn remove_row(&mut self, list_path: &str, index: usize) {
        self.follow_rows(list_path, |doc| answer::remove_row(doc, list_path, index));
        answer::remove_row(&mut self.answer, list_path, index);
        self.dirty = true;
        self.refresh_warnings();
    }

    /// Moves a row up or down.
    pub(crate) fn move_row(&mut self, list_path: &str, index: usize, up: bool) {
        self.follow_rows(list_path, |doc| answer::move_row(doc, list_path, index, up));
        answer::move_row(&mut self.answer, list_path, index, up);
        self.dirty = true;
        self.refresh_warnings();
    }

    /// Sets a text row or a record row's field (or a whole list: the texts of its old rows go).
    pub(crate) fn set_row(&mut self, path: &str, value: Value) {
        if value.is_array() {
            let prefix = format!("{path}[");
            self.texts.retain(|k, _| !k.starts_with(&prefix));
        }
        let ty = self
            .schema()
            .spec(&super::task::general_path(path))
            .map_or(FieldType::Text, |s| s.ty);
        self.set_text(path, ty, value.clone());
        answer::set(&mut self.answer, path, value);
        self.dirty = true;
    }

    /// Runs the encoder search for `query` on the list `target`.
    pub fn search(&mut self, target: &str, query: String) {
        let system = if target.contains("procedure") {
            System::Icd10Pcs
        } else {
            System::Icd10Cm
        };
        let outcome = search::search_detailed(&query, &search::SearchOptions { system, limit: 30 });
        self.encoder.message = encoder_message(&query, &outcome);
        self.encoder.hits = outcome.hits;
        self.encoder.query = query;
        self.encoder.target = target.to_string();
    }

    /// Shows a code's hierarchy and notes in the encoder.
    pub(crate) fn select_code(&mut self, code: &str) {
        self.encoder.selected = Some(code.to_string());
        self.encoder.details = code_details(code);
    }

    /// Adds a code to a code list (no duplicates).
    pub(crate) fn add_code(&mut self, list_path: &str, code: &str) {
        if answer::list(&self.answer, list_path)
            .iter()
            .any(|v| v.as_str() == Some(code))
        {
            self.note = format!("{code} is already on the claim");
            return;
        }
        answer::add_row(&mut self.answer, list_path, json!(code));
        self.dirty = true;
        self.refresh_warnings();
    }

    /// Puts a code at position `at` of a code list (dragged from the encoder's results onto the
    /// claim); a code already on the list is moved there instead of added twice.
    pub(crate) fn insert_code(&mut self, list_path: &str, code: &str, at: usize) {
        let existing = answer::list(&self.answer, list_path)
            .iter()
            .position(|v| v.as_str() == Some(code));
        match existing {
            Some(from) => {
                self.follow_rows(list_path, |doc| {
                    answer::move_row_to(doc, list_path, from, at);
                });
                answer::move_row_to(&mut self.answer, list_path, from, at);
            }
            None => {
                self.follow_rows(list_path, |doc| {
                    answer::insert_row(doc, list_path, at, Value::Null);
                });
                answer::insert_row(&mut self.answer, list_path, at, json!(code));
            }
        }
        self.dirty = true;
        self.refresh_warnings();
    }

    /// Moves a row to a position (dragging a claim line).
    pub(crate) fn move_row_to(&mut self, list_path: &str, from: usize, to: usize) {
        self.follow_rows(list_path, |doc| {
            answer::move_row_to(doc, list_path, from, to);
        });
        answer::move_row_to(&mut self.answer, list_path, from, to);
        self.dirty = true;
        self.refresh_warnings();
    }

    /// Recomputes the live coding edits (practice mode only; assessments show none).
    pub(crate) fn refresh_warnings(&mut self) {
        self.drg = self.live_drg();
        self.warnings.clear();
        if self.mode == Mode::Assessment {
            return;
        }
        let path = "codes.diagnoses";
        let codes: Vec<&str> = answer::list(&self.answer, path)
            .iter()
            .filter_map(Value::as_str)
            .collect();
        if codes.is_empty() {
            return;
        }
        let report = terminology::edits::check(&codes, self.scenario.scenario.task.setting());
        self.warnings = report
            .edits
            .iter()
            .map(|e| format!("{} — {}", e.message, e.rule))
            .collect();
    }

    /// Grades the answer against the scenario's rubric.
    ///
    /// # Errors
    /// When the rubric cannot be loaded (the message says which file and why).
    pub fn grade(&self, root: &ContentRoot) -> Result<GradeReport, String> {
        let rubric =
            crate::service::grading::rubric_for(root, &self.scenario).map_err(|e| match e {
                crate::service::grading::RubricError::DoesNotLoad(found) => found
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("\n"),
                other => other.to_string(),
            })?;
        Ok(crate::service::grading::grade_answer(
            &rubric,
            &self.scenario,
            &self.case,
            &self.answer,
        ))
    }
}

/// The answer value an input's text means. Texts are kept verbatim (spaces, Unicode, pasted
/// text; only an empty text is no answer); a list row is a text even when empty; numbers,
/// quantities, dates and yes/no parse from the trimmed text. A number written without a
/// fraction is a whole number (`72`, never `72.0`); a date typed as YYYY-MM-DD or MM/DD/YYYY
/// is stored as YYYY-MM-DD (other text is kept for the grader to judge).
pub(crate) fn parse_input(text: &str, ty: FieldType, unit: &str) -> Value {
    if ty == FieldType::TextList {
        return Value::String(text.to_string());
    }
    let t = text.trim();
    if t.is_empty() {
        return Value::Null;
    }
    match ty {
        FieldType::Text => Value::String(text.to_string()),
        FieldType::Number => parse_number(t).map_or(Value::Null, Value::Number),
        FieldType::Quantity => {
            parse_number(t).map_or(Value::Null, |n| json!({"value": n, "unit": unit}))
        }
        FieldType::Date => Value::String(
            parse_date(t).map_or_else(|| t.to_string(), |d| d.format("%Y-%m-%d").to_string()),
        ),
        FieldType::Bool => Value::Bool(matches!(t.to_lowercase().as_str(), "true" | "yes" | "y")),
        FieldType::TextList | FieldType::RecordList | FieldType::CodeList | FieldType::Claim => {
            Value::String(t.to_string())
        }
    }
}

/// A number: whole when written without a fraction or exponent.
fn parse_number(t: &str) -> Option<serde_json::Number> {
    match t.parse::<i64>() {
        Ok(i) => Some(i.into()),
        Err(_) => t.parse::<f64>().ok().and_then(serde_json::Number::from_f64),
    }
}

/// A date typed as YYYY-MM-DD (ISO) or MM/DD/YYYY (US).
pub(crate) fn parse_date(t: &str) -> Option<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d")
        .or_else(|_| chrono::NaiveDate::parse_from_str(t, "%m/%d/%Y"))
        .ok()
        .filter(|d| chrono::Datelike::year(d) >= 1000)
}

/// The text an input shows for an answer value: a whole number without a decimal point
/// (`1`, not `1.0`).
pub(crate) fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => match n.as_f64() {
            Some(f) if !(n.is_i64() || n.is_u64()) && f.fract() == 0.0 && f.abs() < 1e15 => {
                format!("{f:.0}")
            }
            Some(_) | None => n.to_string(),
        },
        Value::Bool(b) => if *b { "yes" } else { "no" }.to_string(),
        Value::Null | Value::Array(_) | Value::Object(_) => String::new(),
    }
}

/// Unit choices for a quantity field, the first being the default.
pub(crate) fn unit_choices(path: &str) -> &'static [&'static str] {
    if path.ends_with("temperature") {
        &["°C", "°F"]
    } else if path.ends_with("weight") {
        &["kg", "lb"]
    } else if path.ends_with("height") || path.ends_with("head_circumference") {
        &["cm", "in"]
    } else {
        &[""]
    }
}

fn default_unit(path: &str) -> &'static str {
    unit_choices(path).first().copied().unwrap_or("")
}

/// What the encoder says above its results: nothing when the best hits match every word;
/// "No codes match" with suggestions when nothing matched; the words no code matched otherwise.
pub(crate) fn encoder_message(query: &str, outcome: &search::Outcome) -> String {
    let query = query.trim();
    if query.is_empty() {
        return String::new();
    }
    let suggestions = outcome.suggestions();
    if outcome.hits.is_empty() {
        let mut message = format!("No codes match \"{query}\".");
        if suggestions.is_empty() {
            message
                .push_str(" Try fewer words, another word for the condition, or the code itself.");
        } else {
            message.push_str(&format!(" Suggestions: {}.", suggestions.join("; ")));
        }
        return message;
    }
    if !outcome.not_found.is_empty() {
        let words: Vec<String> = outcome
            .not_found
            .iter()
            .map(|w| format!("\"{w}\""))
            .collect();
        let mut message = format!(
            "No code uses {}; the results match the other words.",
            words.join(", ")
        );
        if !outcome.near.is_empty() {
            let near: Vec<String> = outcome
                .near
                .iter()
                .map(|(q, w)| format!("try \"{w}\" for \"{q}\""))
                .collect();
            message.push_str(&format!(" Suggestions: {}.", near.join("; ")));
        }
        return message;
    }
    if outcome.hits.iter().all(|h| !h.complete) {
        let mut message = String::from("No code matches every word; the closest are shown.");
        if !suggestions.is_empty() {
            message.push_str(&format!(" Suggestions: {}.", suggestions.join("; ")));
        }
        return message;
    }
    String::new()
}

/// A code's hierarchy and notes (own and inherited), as lines for the encoder.
pub(crate) fn code_details(code: &str) -> Vec<String> {
    let Some(entry) = terminology::lookup(System::Icd10Cm, code)
        .or_else(|| terminology::lookup(System::Icd10Pcs, code))
    else {
        return vec![format!("{code}: not in the code set")];
    };
    let mut out = vec![format!(
        "{}  {}  ({})",
        entry.code,
        entry.description,
        if entry.billable {
            "billable"
        } else {
            "header: choose a more specific code"
        }
    )];
    for applied in entry.notes_with_inherited() {
        let from = if applied.from.code == entry.code {
            String::new()
        } else {
            format!(" (from {})", applied.from.code)
        };
        out.push(format!("{}{from}:", applied.note.kind.heading()));
        for line in &applied.note.lines {
            out.push(format!("    {line}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inputs_parse_by_type() {
        assert_eq!(parse_input(" 72 ", FieldType::Number, ""), json!(72));
        assert_eq!(parse_input("37.5", FieldType::Number, ""), json!(37.5));
        assert_eq!(
            parse_input("once daily ", FieldType::Text, ""),
            json!("once daily ")
        );
        assert_eq!(parse_input("", FieldType::TextList, ""), json!(""));
        assert_eq!(
            parse_input("03/14/2026", FieldType::Date, ""),
            json!("2026-03-14")
        );
        assert_eq!(
            parse_input(" 2026-3-4 ", FieldType::Date, ""),
            json!("2026-03-04")
        );
        assert_eq!(value_text(&json!(1.0)), "1");
        assert_eq!(parse_input("7x", FieldType::Number, ""), Value::Null);
        assert_eq!(
            parse_input("98.6", FieldType::Quantity, "°F"),
            json!({"value": 98.6, "unit": "°F"})
        );
        assert_eq!(parse_input("", FieldType::Text, ""), Value::Null);
        assert_eq!(parse_input("latex", FieldType::Text, ""), json!("latex"));
    }
}
