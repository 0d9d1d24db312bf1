//! The app state and the commands that change it.
//!
//! Drawing functions receive `&AppState` (or a part of it) and push [`Command`]s; [`EhrApp`]
//! applies them after the frame. Generation, grading and database work happen when a command is
//! applied, never while drawing; the only per-frame work is the draft autosave check, which
//! writes at most every few seconds and only when the answer changed.

use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};

use super::chart::Section;
use super::exam::{ExamItem, ExamView};
use super::feedback::FeedbackView;
use super::progress::ProgressView;
use super::workspace::Workspace;
use crate::case::generate;
use crate::diagnostic::Diagnostic;
use crate::grading::FieldType;
use crate::library::ContentRoot;
use crate::scenario::LoadedScenario;
use crate::store::{Draft, DraftKey, Mode, Role, Session, Store};
use crate::tasks::TaskKind;

/// How often a changed answer is saved as a draft.
const AUTOSAVE_EVERY: Duration = Duration::from_secs(3);

/// Something the user asked for, applied after the frame.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// Open a scenario's case for a seed (practice).
    OpenScenario {
        /// Scenario id.
        id: String,
        /// Seed.
        seed: u64,
    },
    /// Back to the catalog.
    ShowCatalog,
    /// A code dropped on a code list at a position (from the encoder, or a line moved).
    DropCode {
        /// The list, e.g. `codes.diagnoses`.
        path: String,
        /// What was dropped.
        drag: super::task::CodeDrag,
        /// The position it lands at (before the line that was there).
        at: usize,
    },
    /// After a submission: show the graded answer in the chart, optionally scrolled to the
    /// entries of one criterion (its id).
    ReviewInChart(Option<String>),
    /// From the chart review back to the feedback report.
    BackToReport,
    /// The review has scrolled to the focused criterion's entries.
    ReviewFocused,
    /// Show a chart section.
    ShowSection(Section),
    /// A new variant of the open scenario (next seed).
    NewVariant,
    /// The same case again, with a blank answer.
    RetrySame,
    /// Change the catalog's search text.
    SetFilter(String),
    /// Show only one task kind (or all).
    SetKindFilter(Option<TaskKind>),
    /// Text size: +1 step, -1 step, 0 reset.
    Zoom(i8),
    /// Switch light/dark.
    ToggleTheme,
    /// Re-read the scenario folder.
    ReloadScenarios,
    /// Open the staff (instructor / employer) screens.
    ShowStaff,
    /// A staff-screen command.
    Staff(super::staff::StaffCommand),
    /// Type the name of a new profile.
    SetNewProfileName(String),
    /// Create a student profile with the typed name and work as it.
    CreateProfile,
    /// Work as an existing student or candidate profile.
    SelectProfile(String),
    /// Resume a saved draft (index into the profile's drafts).
    ResumeDraft(usize),
    /// Edit a scalar input.
    EditField {
        /// Field path.
        path: String,
        /// Text as typed.
        text: String,
        /// Field type.
        ty: FieldType,
    },
    /// Choose a quantity's unit.
    SetUnit {
        /// Field path.
        path: String,
        /// Unit.
        unit: String,
    },
    /// Add a row to a list.
    AddRow(String),
    /// Set a row (or a row's field) by path.
    SetRow {
        /// Path, e.g. `allergies[0].reaction`.
        path: String,
        /// The new value.
        value: serde_json::Value,
    },
    /// Remove a row.
    RemoveRow {
        /// List path.
        path: String,
        /// Row.
        index: usize,
    },
    /// Move a row up or down.
    MoveRow {
        /// List path.
        path: String,
        /// Row.
        index: usize,
        /// Up (true) or down.
        up: bool,
    },
    /// Search the encoder.
    EncoderSearch {
        /// The code list it adds to.
        target: String,
        /// Search text.
        query: String,
    },
    /// Show a code's notes.
    EncoderSelect(String),
    /// Add a code to a list.
    AddCode {
        /// List path.
        path: String,
        /// Code.
        code: String,
    },
    /// Save the draft now.
    SaveDraft,
    /// Grade and store the answer.
    Submit,
    /// The learner's progress dashboard.
    ShowProgress,
    /// Start (or resume) the profile's sitting of an assessment.
    StartExam(String),
    /// Open an item of the sitting.
    ExamOpenItem(usize),
    /// Submit everything and finish the sitting.
    ExamFinish,
    /// An export (report, FHIR chart, gradebook) run in the background.
    Export(super::export::ExportCommand),
    /// A triage-board action (clock, ESI level, queue order).
    Board(super::board::BoardCommand),
}

/// Which screen is showing.
#[derive(Debug, Clone, PartialEq)]
pub enum Screen {
    /// Scenario catalog.
    Catalog,
    /// A patient's chart with the task pane.
    Chart(Box<Workspace>),
    /// The report of a submitted practice attempt.
    Feedback(Box<FeedbackView>),
    /// The learner's progress dashboard.
    Progress(Box<ProgressView>),
    /// Instructor and employer screens.
    Staff(Box<super::staff::StaffState>),
    /// A candidate's timed sitting.
    Exam(Box<super::exam::ExamView>),
}

/// Everything the screens draw from.
#[derive(Debug)]
pub struct AppState {
    /// The progress database (None when it could not be opened; see `store_error`).
    pub store: Option<Store>,
    /// Why the progress database is not available, in plain words.
    pub store_error: Option<String>,
    /// The learner working (a student or candidate profile).
    pub profile: Option<Session>,
    /// The signed-in instructor or employer admin.
    pub staff_session: Option<Session>,
    /// Student and candidate names to choose from.
    pub profiles: Vec<String>,
    /// The new-profile name being typed.
    pub new_profile_name: String,
    /// The profile's unfinished work.
    pub drafts: Vec<Draft>,
    /// Assessments a candidate may sit.
    pub assessments: Vec<String>,
    /// Best score (fraction) per scenario id for the profile.
    pub best: std::collections::BTreeMap<String, (f64, String)>,
    /// Where content comes from.
    pub root: ContentRoot,
    /// The loaded scenarios, sorted by kind, difficulty and id.
    pub scenarios: Vec<LoadedScenario>,
    /// Files that did not load or validate.
    pub problems: Vec<Diagnostic>,
    /// Catalog search text.
    pub filter: String,
    /// Catalog kind filter.
    pub kind_filter: Option<TaskKind>,
    /// The current screen.
    pub screen: Screen,
    /// A message for the status line.
    pub status: String,
    /// When the draft was last saved.
    pub last_autosave: Option<Instant>,
}

impl AppState {
    /// Loads the scenario library under `root`, with a progress database (or why there is none).
    pub fn load(root: ContentRoot, store: Result<Store, String>) -> Self {
        let (store, store_error) = match store {
            Ok(s) => (Some(s), None),
            Err(e) => (None, Some(e)),
        };
        let mut state = Self {
            store,
            store_error,
            profile: None,
            staff_session: None,
            profiles: Vec::new(),
            new_profile_name: String::new(),
            drafts: Vec::new(),
            assessments: Vec::new(),
            best: std::collections::BTreeMap::new(),
            root,
            scenarios: Vec::new(),
            problems: Vec::new(),
            filter: String::new(),
            kind_filter: None,
            screen: Screen::Catalog,
            status: String::new(),
            last_autosave: None,
        };
        state.reload();
        state.refresh_profiles();
        state
    }

    /// Re-reads the scenario library (every check of [`crate::service::library::Library`]).
    pub(crate) fn reload(&mut self) {
        let library = crate::service::library::Library::load(&self.root);
        self.scenarios = library.scenarios;
        self.problems = library.problems;
        self.status = self.library_summary();
    }

    /// "26 scenarios from /path/scenarios": the status line of the catalog.
    fn library_summary(&self) -> String {
        format!(
            "{} scenarios from {}",
            self.scenarios.len(),
            self.root.scenarios_dir().display()
        )
    }

    fn refresh_profiles(&mut self) {
        let Some(store) = &self.store else {
            return;
        };
        match store.list_people() {
            Ok(people) => {
                self.profiles = people
                    .into_iter()
                    .filter(|p| {
                        matches!(p.role, Role::Student | Role::Candidate) && !p.has_password
                    })
                    .map(|p| p.name)
                    .collect();
            }
            Err(e) => self.status = format!("Could not read profiles: {e}"),
        }
    }

    fn refresh_profile_data(&mut self) {
        self.drafts.clear();
        self.best.clear();
        let (Some(store), Some(session)) = (&self.store, &self.profile) else {
            return;
        };
        if let Ok(drafts) = store.list_drafts(session, session.person_id()) {
            self.drafts = drafts
                .into_iter()
                .filter(|d| d.key.mode == Mode::Practice)
                .collect();
        }
        self.assessments = if session.role() == Role::Candidate {
            store.assessment_names().unwrap_or_default()
        } else {
            Vec::new()
        };
        if let Ok(progress) = store.scenario_progress(session, session.person_id()) {
            for p in progress {
                let entry = self
                    .best
                    .entry(p.scenario.scenario_id.clone())
                    .or_insert((0.0, String::new()));
                entry.0 = entry.0.max(p.best_fraction);
                if p.latest_submitted_at > entry.1 {
                    entry.1 = p.latest_submitted_at.clone();
                }
            }
        }
    }

    /// The scenarios the catalog shows under the current filters.
    pub fn visible_scenarios(&self) -> Vec<&LoadedScenario> {
        let needle = self.filter.trim().to_lowercase();
        self.scenarios
            .iter()
            .filter(|s| self.kind_filter.is_none_or(|k| s.scenario.task.kind() == k))
            .filter(|s| {
                needle.is_empty() || {
                    let sc = &s.scenario;
                    sc.title.to_lowercase().contains(&needle)
                        || sc.summary.to_lowercase().contains(&needle)
                        || sc.id.contains(&needle)
                        || sc.competencies.iter().any(|c| c.contains(&needle))
                }
            })
            .collect()
    }

    fn workspace_mut(&mut self) -> Option<&mut Workspace> {
        match &mut self.screen {
            Screen::Chart(w) => Some(w),
            Screen::Exam(e) if !e.finished => e.workspace.as_deref_mut(),
            _ => None,
        }
    }

    /// Applies one command. `now` is the wall clock (the shell's, passed in).
    pub fn apply(&mut self, command: Command, ctx: Option<&egui::Context>, now: DateTime<Utc>) {
        match command {
            Command::OpenScenario { id, seed } => self.open(&id, seed, now),
            Command::ShowCatalog => {
                self.save_draft(now);
                self.refresh_profile_data();
                self.screen = Screen::Catalog;
                // The open case's title no longer applies.
                self.status = self.library_summary();
            }
            Command::ShowSection(section) => {
                if let Screen::Feedback(f) = &mut self.screen {
                    f.workspace.section = section;
                } else if let Some(w) = self.workspace_mut() {
                    w.section = section;
                }
            }
            Command::ReviewInChart(focus) => {
                if let Screen::Feedback(f) = &mut self.screen {
                    f.in_chart = true;
                    if let Some(review) = &mut f.workspace.review {
                        review.focus = focus;
                    }
                }
            }
            Command::BackToReport => {
                if let Screen::Feedback(f) = &mut self.screen {
                    f.in_chart = false;
                }
            }
            Command::ReviewFocused => {
                if let Screen::Feedback(f) = &mut self.screen
                    && let Some(review) = &mut f.workspace.review
                {
                    review.focus = None;
                }
            }
            Command::NewVariant | Command::RetrySame => {
                let current = match &self.screen {
                    Screen::Chart(w) => Some((w.scenario.scenario.id.clone(), w.case.seed)),
                    Screen::Feedback(f) => Some((
                        f.workspace.scenario.scenario.id.clone(),
                        f.workspace.case.seed,
                    )),
                    _ => None,
                };
                if let Some((id, seed)) = current {
                    let seed = if command == Command::NewVariant {
                        seed.wrapping_add(1)
                    } else {
                        seed
                    };
                    self.open(&id, seed, now);
                }
            }
            Command::SetFilter(text) => self.filter = text,
            Command::SetKindFilter(kind) => self.kind_filter = kind,
            Command::Zoom(step) => {
                if let Some(ctx) = ctx {
                    let z = match step {
                        0 => 1.0,
                        s if s > 0 => (ctx.zoom_factor() + 0.1).min(2.5),
                        _ => (ctx.zoom_factor() - 0.1).max(0.6),
                    };
                    ctx.set_zoom_factor(z);
                }
            }
            Command::ToggleTheme => {
                if let Some(ctx) = ctx {
                    let next = if super::theme::is_dark(ctx) {
                        egui::Theme::Light
                    } else {
                        egui::Theme::Dark
                    };
                    ctx.set_theme(next);
                }
            }
            Command::ReloadScenarios => self.reload(),
            Command::ShowStaff => {
                if !matches!(self.screen, Screen::Staff(_)) {
                    self.save_draft(now);
                    self.screen = Screen::Staff(Box::default());
                }
            }
            Command::Staff(c) => {
                let mut screen = std::mem::replace(&mut self.screen, Screen::Catalog);
                if let Screen::Staff(staff) = &mut screen {
                    super::staff::apply(self, staff, c, now);
                }
                if matches!(self.screen, Screen::Catalog) {
                    self.screen = screen;
                }
            }
            Command::SetNewProfileName(name) => self.new_profile_name = name,
            Command::CreateProfile => self.create_profile(now),
            Command::SelectProfile(name) => self.select_profile(&name),
            Command::ResumeDraft(i) => self.resume(i, now),
            Command::EditField { path, text, ty } => {
                if let Some(w) = self.workspace_mut() {
                    w.edit(&path, text, ty);
                }
            }
            Command::SetUnit { path, unit } => {
                if let Some(w) = self.workspace_mut() {
                    w.set_unit(&path, unit);
                }
            }
            Command::AddRow(path) => {
                if let Some(w) = self.workspace_mut() {
                    w.add_row(&path);
                }
            }
            Command::SetRow { path, value } => {
                if let Some(w) = self.workspace_mut() {
                    w.set_row(&path, value);
                }
            }
            Command::RemoveRow { path, index } => {
                if let Some(w) = self.workspace_mut() {
                    w.remove_row(&path, index);
                }
            }
            Command::MoveRow { path, index, up } => {
                if let Some(w) = self.workspace_mut() {
                    w.move_row(&path, index, up);
                }
            }
            Command::EncoderSearch { target, query } => {
                if let Some(w) = self.workspace_mut() {
                    w.search(&target, query);
                }
            }
            Command::EncoderSelect(code) => {
                if let Some(w) = self.workspace_mut() {
                    w.select_code(&code);
                }
            }
            Command::DropCode { path, drag, at } => {
                if let Some(w) = self.workspace_mut() {
                    match drag {
                        super::task::CodeDrag::Result(code) => w.insert_code(&path, &code, at),
                        super::task::CodeDrag::Line {
                            path: from_path,
                            index,
                        } => {
                            if from_path == path {
                                w.move_row_to(&path, index, at);
                            }
                        }
                    }
                }
            }
            Command::AddCode { path, code } => {
                if let Some(w) = self.workspace_mut() {
                    w.add_code(&path, &code);
                }
            }
            Command::SaveDraft => {
                self.save_draft(now);
            }
            Command::Submit if matches!(self.screen, Screen::Exam(_)) => self.exam_submit(now),
            Command::Submit => self.submit(now),
            Command::StartExam(name) => self.start_exam(&name, now),
            Command::ExamOpenItem(i) => self.exam_open(i, now),
            Command::ExamFinish => self.exam_finish(now),
            Command::ShowProgress => self.show_progress(),
            Command::Export(c) => super::export::apply(self, c, ctx, now),
            Command::Board(c) => {
                if let Some(w) = self.workspace_mut() {
                    super::board::apply(w, c);
                }
            }
        }
    }

    fn open(&mut self, id: &str, seed: u64, now: DateTime<Utc>) {
        self.save_draft(now);
        let Some(loaded) = self.scenarios.iter().find(|s| s.scenario.id == id).cloned() else {
            self.status = format!("No scenario `{id}` — reload the library");
            return;
        };
        let case = generate(&loaded, seed, 0);
        self.status = format!("{} — seed {seed}", loaded.scenario.title);
        let mut w = Workspace::new(loaded, case, Mode::Practice, now);
        // Offer back unfinished work on this very case.
        self.restore_draft(&mut w);
        self.screen = Screen::Chart(Box::new(w));
    }

    /// Restores the profile's saved draft of the workspace's case (same scenario version,
    /// seed and mode), if there is one.
    fn restore_draft(&self, w: &mut Workspace) {
        let (Some(store), Some(session)) = (&self.store, &self.profile) else {
            return;
        };
        let key = DraftKey {
            learner_id: session.person_id(),
            scenario_id: w.scenario.scenario.id.clone(),
            seed: w.case.seed,
            mode: w.mode,
        };
        if let Ok(Some(draft)) = store.load_draft(session, &key)
            && draft.scenario_version_hash == w.scenario.content_sha256
            && let Ok(answer) = serde_json::from_str(&draft.payload)
        {
            w.restore(answer);
            w.note = format!("Draft from {} restored", draft.updated_at);
        }
    }

    fn create_profile(&mut self, now: DateTime<Utc>) {
        let name = self.new_profile_name.trim().to_string();
        let Some(store) = &mut self.store else {
            self.status = "No progress database: work is not saved".into();
            return;
        };
        match store.create_own_student_profile(&name, None, &now) {
            Ok(session) => {
                self.status = format!("Working as {}", session.name());
                self.profile = Some(session);
                self.new_profile_name.clear();
                self.refresh_profiles();
                self.refresh_profile_data();
            }
            Err(e) => self.status = format!("Could not create the profile: {e}"),
        }
    }

    fn select_profile(&mut self, name: &str) {
        let Some(store) = &self.store else {
            return;
        };
        match store.sign_in(name, None) {
            Ok(session) if matches!(session.role(), Role::Student | Role::Candidate) => {
                self.status = format!("Working as {}", session.name());
                self.profile = Some(session);
                self.refresh_profile_data();
            }
            Ok(_) => self.status = "Staff accounts sign in from the Staff screen".into(),
            Err(e) => self.status = format!("Could not open the profile: {e}"),
        }
    }

    fn resume(&mut self, index: usize, now: DateTime<Utc>) {
        let Some(draft) = self.drafts.get(index).cloned() else {
            return;
        };
        self.open(&draft.key.scenario_id, draft.key.seed, now);
    }

    /// Saves the open answer as a draft when it changed (and there is a profile and a database).
    pub fn save_draft(&mut self, now: DateTime<Utc>) {
        let (Some(store), Some(session)) = (&mut self.store, &self.profile) else {
            return;
        };
        let w = match &mut self.screen {
            Screen::Chart(w) => w.as_mut(),
            Screen::Exam(e) if !e.finished => match e.workspace.as_deref_mut() {
                Some(w) => w,
                None => return,
            },
            _ => return,
        };
        if !w.dirty {
            return;
        }
        let key = DraftKey {
            learner_id: session.person_id(),
            scenario_id: w.scenario.scenario.id.clone(),
            seed: w.case.seed,
            mode: w.mode,
        };
        let payload = w.answer.to_string();
        match store.save_draft(session, &key, &w.scenario.content_sha256, &payload, &now) {
            Ok(()) => {
                w.dirty = false;
                w.note = format!("Draft saved {}", now.format("%H:%M:%S"));
            }
            Err(e) => w.note = format!("Draft not saved: {e}"),
        }
        self.last_autosave = Some(Instant::now());
    }

    /// Saves the draft if it changed and the last save is a few seconds old.
    pub fn autosave(&mut self, now: DateTime<Utc>) {
        let due = self
            .last_autosave
            .is_none_or(|t| t.elapsed() >= AUTOSAVE_EVERY);
        let dirty = matches!(&self.screen, Screen::Chart(w) if w.dirty);
        if due && dirty {
            self.save_draft(now);
        }
    }

    fn submit(&mut self, now: DateTime<Utc>) {
        let Screen::Chart(w) = &self.screen else {
            return;
        };
        let report = match w.grade(&self.root) {
            Ok(r) => r,
            Err(e) => {
                self.status = format!("Cannot grade: {e}");
                return;
            }
        };
        let stored = match (&mut self.store, &self.profile) {
            (Some(store), Some(session)) => {
                let attempt = crate::service::attempts::new_attempt(
                    &w.scenario,
                    &w.case,
                    &report,
                    session.person_id(),
                    w.mode,
                    w.started_at,
                    now,
                );
                match store.record_attempt_as(session, &attempt) {
                    Ok(id) => format!("Saved as attempt #{id} for {}", session.name()),
                    Err(e) => format!("Not saved: {e}"),
                }
            }
            (None, _) => "Not saved: no progress database".to_string(),
            (_, None) => {
                "Not saved: choose a profile in the catalog to keep your progress".to_string()
            }
        };
        let Screen::Chart(mut w) = std::mem::replace(&mut self.screen, Screen::Catalog) else {
            return;
        };
        w.review = Some(super::review::Review::from_report(&report));
        self.screen = Screen::Feedback(Box::new(FeedbackView {
            workspace: *w,
            report,
            stored,
            in_chart: false,
        }));
        self.refresh_profile_data();
    }

    fn start_exam(&mut self, name: &str, now: DateTime<Utc>) {
        let (Some(store), Some(session)) = (&mut self.store, &self.profile) else {
            self.status = "Choose your candidate profile first".into();
            return;
        };
        let sitting = match store.start_sitting(session, name, session.name(), &now) {
            Ok(s) => s,
            Err(e) => {
                self.status = format!("Cannot start the assessment: {e}");
                return;
            }
        };
        let deadline =
            DateTime::parse_from_rfc3339(&sitting.deadline).map_or(now, |d| d.with_timezone(&Utc));
        let history = store
            .learner_history(session, session.person_id())
            .unwrap_or_default();
        let items = sitting
            .seeds
            .iter()
            .map(|(id, seed)| ExamItem {
                title: self
                    .scenarios
                    .iter()
                    .find(|s| &s.scenario.id == id)
                    .map_or_else(|| id.clone(), |s| s.scenario.title.clone()),
                submitted: history.iter().any(|h| {
                    h.mode == Mode::Assessment && &h.scenario.scenario_id == id && h.seed == *seed
                }),
                scenario_id: id.clone(),
                seed: *seed,
            })
            .collect();
        self.screen = Screen::Exam(Box::new(ExamView {
            assessment: name.to_string(),
            sitting_id: sitting.id,
            deadline,
            items,
            current: 0,
            workspace: None,
            finished: false,
            message: String::new(),
        }));
        let first = match &self.screen {
            Screen::Exam(e) => e.items.iter().position(|i| !i.submitted),
            _ => None,
        };
        match first {
            Some(i) => self.exam_open(i, now),
            None => self.exam_finish(now),
        }
    }

    fn exam_open(&mut self, index: usize, now: DateTime<Utc>) {
        self.save_draft(now);
        let Screen::Exam(e) = &self.screen else {
            return;
        };
        let Some(item) = e.items.get(index).cloned() else {
            return;
        };
        if item.submitted {
            if let Screen::Exam(e) = &mut self.screen {
                e.message = format!("{} is already submitted", item.title);
            }
            return;
        }
        let Some(loaded) = self
            .scenarios
            .iter()
            .find(|s| s.scenario.id == item.scenario_id)
            .cloned()
        else {
            return;
        };
        let deadline = e.deadline;
        let case = generate(&loaded, item.seed, 0);
        let mut w = Workspace::new(loaded, case, Mode::Assessment, now);
        w.deadline = Some(deadline);
        self.restore_draft(&mut w);
        if let Screen::Exam(e) = &mut self.screen {
            e.current = index;
            e.workspace = Some(Box::new(w));
        }
    }

    /// Grades and stores the open item (no feedback is shown), then opens the next one.
    fn exam_submit(&mut self, now: DateTime<Utc>) {
        let message = self.exam_submit_only(now);
        let Screen::Exam(e) = &mut self.screen else {
            return;
        };
        e.message = message;
        let next = e.items.iter().position(|i| !i.submitted);
        match next {
            Some(i) => self.exam_open(i, now),
            None => self.exam_finish(now),
        }
    }

    fn exam_finish(&mut self, now: DateTime<Utc>) {
        // Submit the open item and every item not yet submitted, as they stand.
        loop {
            let next = match &self.screen {
                Screen::Exam(e) if !e.finished => e.items.iter().position(|i| !i.submitted),
                _ => None,
            };
            let Some(i) = next else {
                break;
            };
            let open =
                matches!(&self.screen, Screen::Exam(e) if e.current == i && e.workspace.is_some());
            if !open {
                self.exam_open(i, now);
            }
            let before = matches!(&self.screen, Screen::Exam(e) if e.items.get(i).is_some_and(|x| x.submitted));
            let _ = self.exam_submit_only(now);
            let after = matches!(&self.screen, Screen::Exam(e) if e.items.get(i).is_some_and(|x| x.submitted));
            if before == after {
                break; // could not record: stop rather than loop
            }
        }
        if let (Screen::Exam(e), Some(store), Some(session)) =
            (&mut self.screen, &mut self.store, &self.profile)
        {
            if let Err(err) = store.finish_sitting(session, e.sitting_id, &now) {
                e.message = format!("Could not close the sitting: {err}");
            }
            e.finished = true;
            e.workspace = None;
        }
    }

    /// Grades and records the open item as part of the sitting, without moving on; says what
    /// happened.
    fn exam_submit_only(&mut self, now: DateTime<Utc>) -> String {
        let Screen::Exam(e) = &mut self.screen else {
            return String::new();
        };
        let Some(w) = e.workspace.take() else {
            return String::new();
        };
        let (store, session) = match (&mut self.store, &self.profile) {
            (Some(store), Some(session)) => (store, session),
            _ => return "Not recorded: no progress database or profile".to_string(),
        };
        let report = match w.grade(&self.root) {
            Ok(r) => r,
            Err(err) => return format!("Not recorded: {err}"),
        };
        let mut attempt = crate::service::attempts::new_attempt(
            &w.scenario,
            &w.case,
            &report,
            session.person_id(),
            Mode::Assessment,
            w.started_at,
            now,
        );
        attempt.sitting_id = Some(e.sitting_id);
        match store.record_attempt_as(session, &attempt) {
            Ok(_) => {
                if let Some(item) = e.items.get_mut(e.current) {
                    item.submitted = true;
                }
                format!("{} submitted", w.scenario.scenario.title)
            }
            Err(err) => format!("Not recorded: {err}"),
        }
    }

    fn show_progress(&mut self) {
        let (Some(store), Some(session)) = (&self.store, &self.profile) else {
            self.status = "Choose a profile to see progress".into();
            return;
        };
        let id = session.person_id();
        let weak = store.weakest_criteria(session, id, 10).unwrap_or_default();
        let weak = super::progress::describe_weak(&self.root, &self.scenarios, weak);
        let view = ProgressView {
            learner: session.name().to_string(),
            history: store.learner_history(session, id).unwrap_or_default(),
            scenarios: store.scenario_progress(session, id).unwrap_or_default(),
            mastery: store.competency_mastery(session, id).unwrap_or_default(),
            weak,
        };
        self.screen = Screen::Progress(Box::new(view));
    }
}

/// The eframe app.
#[derive(Debug)]
pub struct EhrApp {
    /// The state the screens draw.
    pub state: AppState,
    /// Whether the style and fonts are installed (on the first frame).
    installed: bool,
}

impl EhrApp {
    /// Loads the library, opens the progress database at its default place (`EHR_SIM_DB`, else
    /// the user data folder) and starts on the catalog.
    pub fn new(root: ContentRoot) -> Self {
        let store = crate::paths::database(None)
            .map_err(crate::store::StoreError::from)
            .and_then(|p| Store::open(&p))
            .map_err(|e| e.to_string());
        Self::with_store(root, store)
    }

    /// Like [`EhrApp::new`] with a given database (tests use an in-memory one).
    pub fn with_store(root: ContentRoot, store: Result<Store, String>) -> Self {
        Self {
            state: AppState::load(root, store),
            installed: false,
        }
    }

    /// Draws one frame into `ui` and applies what it asked for.
    pub fn frame_ui(&mut self, ui: &mut egui::Ui) {
        if !self.installed {
            super::theme::install(ui.ctx());
            self.installed = true;
        }
        let now = DateTime::<Utc>::from(std::time::SystemTime::now());
        let mut commands = Vec::new();
        shortcuts(ui.ctx(), &mut commands);
        top_bar_ui(ui, &self.state, &mut commands);
        match &self.state.screen {
            Screen::Catalog => super::catalog::catalog_ui(ui, &self.state, &mut commands),
            Screen::Chart(w) => super::chart::chart_ui(ui, w, &mut commands),
            Screen::Feedback(f) => super::feedback::feedback_ui(ui, f, &mut commands),
            Screen::Progress(p) => super::progress::progress_ui(ui, p, &mut commands),
            Screen::Staff(staff) => super::staff::staff_ui(ui, &self.state, staff, &mut commands),
            Screen::Exam(e) => super::exam::exam_ui(ui, e, now, &mut commands),
        }
        let ctx = ui.ctx().clone();
        // What a command changes (search results, a new screen) is drawn in the next frame:
        // ask for it now instead of waiting for the next input event.
        // (The triage board's clock tick schedules its own repaints.)
        let changes = commands
            .iter()
            .any(|c| !matches!(c, Command::Board(super::board::BoardCommand::Tick { .. })));
        if changes {
            ctx.request_repaint();
        }
        for c in commands {
            self.state.apply(c, Some(&ctx), now);
        }
        self.state.autosave(now);
        if matches!(&self.state.screen, Screen::Exam(e) if !e.finished) {
            ctx.request_repaint_after(Duration::from_secs(1));
        }
    }
}

impl eframe::App for EhrApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.frame_ui(ui);
    }
}

fn shortcuts(ctx: &egui::Context, out: &mut Vec<Command>) {
    use egui::{Key, KeyboardShortcut, Modifiers};
    let zoom_in = KeyboardShortcut::new(Modifiers::COMMAND, Key::Plus);
    let zoom_in2 = KeyboardShortcut::new(Modifiers::COMMAND, Key::Equals);
    let zoom_out = KeyboardShortcut::new(Modifiers::COMMAND, Key::Minus);
    let reset = KeyboardShortcut::new(Modifiers::COMMAND, Key::Num0);
    let save = KeyboardShortcut::new(Modifiers::COMMAND, Key::S);
    ctx.input_mut(|i| {
        if i.consume_shortcut(&zoom_in) || i.consume_shortcut(&zoom_in2) {
            out.push(Command::Zoom(1));
        }
        if i.consume_shortcut(&zoom_out) {
            out.push(Command::Zoom(-1));
        }
        if i.consume_shortcut(&reset) {
            out.push(Command::Zoom(0));
        }
        if i.consume_shortcut(&save) {
            out.push(Command::SaveDraft);
        }
    });
}

fn top_bar_ui(ui: &mut egui::Ui, state: &AppState, out: &mut Vec<Command>) {
    if matches!(&state.screen, Screen::Exam(e) if !e.finished) {
        // Candidate mode: nothing but the sitting is reachable.
        egui::Panel::top("top_bar").show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.label(super::theme::heading("EHR Sim — assessment"));
                if let Some(p) = &state.profile {
                    ui.label(super::theme::caption(format!("Candidate: {}", p.name())));
                }
            });
        });
        return;
    }
    egui::Panel::top("top_bar").show(ui, |ui| {
        ui.horizontal(|ui| {
            ui.label(super::theme::heading("EHR Sim"));
            ui.separator();
            if !matches!(state.screen, Screen::Catalog) && ui.button("Back to catalog").clicked() {
                out.push(Command::ShowCatalog);
            }
            if state.profile.is_some() && ui.button("My progress").clicked() {
                out.push(Command::ShowProgress);
            }
            if let Some(p) = &state.profile {
                ui.label(super::theme::caption(format!("Learner: {}", p.name())));
            }
            ui.label(super::theme::caption(&state.status));
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui
                    .button("Staff")
                    .on_hover_text("Instructor and employer screens (sign-in required)")
                    .clicked()
                {
                    out.push(Command::ShowStaff);
                }
                if ui
                    .button("A+")
                    .on_hover_text("Larger text (Ctrl +)")
                    .clicked()
                {
                    out.push(Command::Zoom(1));
                }
                if ui
                    .button("A-")
                    .on_hover_text("Smaller text (Ctrl -)")
                    .clicked()
                {
                    out.push(Command::Zoom(-1));
                }
                let label = if super::theme::is_dark(ui.ctx()) {
                    "Light theme"
                } else {
                    "Dark theme"
                };
                if ui.button(label).clicked() {
                    out.push(Command::ToggleTheme);
                }
            });
        });
    });
}
