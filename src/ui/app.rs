//! The app state and the dispatcher that applies commands to it.
//!
//! Drawing functions receive `&AppState` (or a part of it) and push [`Command`]s; the shell
//! ([`EhrApp`]) applies them after the frame through [`AppState::apply`], which hands each group
//! to the module that owns it: the practice workflow ([`super::practice`]), profiles and progress
//! ([`super::profile`]), the exam workflow ([`super::exam_flow`]), edits of the open case
//! ([`Workspace::apply`]), and the staff, export and triage-board modules. Generation, grading and
//! database work happen when a command is applied, never while drawing; the only per-frame work
//! is the draft autosave check, which writes at most every few seconds and only when the answer
//! changed.

use std::time::Instant;

use chrono::{DateTime, Utc};

use super::feedback::FeedbackView;
use super::progress::ProgressView;
use super::workspace::Workspace;
use crate::diagnostic::Diagnostic;
use crate::library::ContentRoot;
use crate::scenario::LoadedScenario;
use crate::scenario::schema::Difficulty;
use crate::store::{Draft, Session, Store};
use crate::tasks::TaskKind;

/// The commands live in [`super::command`]; re-exported where the screens and tests find them.
pub use super::command::{CatalogGrouping, Command};
/// The eframe shell and its clock live in [`super::shell`]; re-exported where tests find them.
pub use super::shell::{Clock, EhrApp};

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
    /// Student profiles to choose from: name, and whether it has a PIN or password.
    pub profiles: Vec<(String, bool)>,
    /// The new-profile name being typed.
    pub new_profile_name: String,
    /// The other sign-in fields being typed (PINs, a candidate's name and access code).
    pub sign_in: super::profile::SignInForm,
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
    /// Catalog difficulty filter.
    pub difficulty_filter: Option<Difficulty>,
    /// How the catalog groups the scenarios it shows.
    pub grouping: CatalogGrouping,
    /// The current screen.
    pub screen: Screen,
    /// A message for the status line.
    pub status: String,
    /// When the draft was last saved.
    pub last_autosave: Option<Instant>,
    /// What the "Program server" section has typed and said.
    pub server_form: super::server::ServerForm,
    /// This computer's progress file, to go back to from a server.
    pub home_file: Option<std::path::PathBuf>,
    /// Drafts and submissions kept on this computer while the program server is unreachable.
    pub offline: super::offline::Outbox,
    /// A connection to a program server being made in the background.
    pub(crate) connecting: Option<super::server::Connecting>,
    /// The URL (with its password, if one was given) of the program server the app opened
    /// itself: kept in memory only, to connect afresh when work waits to be sent.
    pub(crate) server_secret: Option<String>,
    /// A fresh connection being made before kept work is sent.
    pub(crate) probe: Option<super::offline::Probe>,
}

impl AppState {
    /// Loads the scenario library under `root`, with a progress database (or why there is none).
    pub fn load(root: ContentRoot, store: Result<Store, String>) -> Self {
        let (store, store_error) = match store {
            Ok(s) => (Some(s), None),
            Err(e) => (None, Some(e)),
        };
        let home_file = store
            .as_ref()
            .and_then(Store::path)
            .map(std::path::Path::to_path_buf);
        // Work kept while a server was unreachable waits in the data folder's file.
        let offline = match &store {
            Some(s) if s.server_url().is_some() => {
                super::offline::Outbox::load(crate::paths::offline_work_file().ok())
            }
            Some(_) | None => super::offline::Outbox::default(),
        };
        let mut state = Self {
            store,
            store_error,
            profile: None,
            staff_session: None,
            profiles: Vec::new(),
            new_profile_name: String::new(),
            sign_in: super::profile::SignInForm::default(),
            drafts: Vec::new(),
            assessments: Vec::new(),
            best: std::collections::BTreeMap::new(),
            root,
            scenarios: Vec::new(),
            problems: Vec::new(),
            filter: String::new(),
            kind_filter: None,
            difficulty_filter: None,
            grouping: CatalogGrouping::Kind,
            screen: Screen::Catalog,
            status: String::new(),
            last_autosave: None,
            server_form: super::server::ServerForm::default(),
            home_file,
            offline,
            connecting: None,
            server_secret: None,
            probe: None,
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
    pub(super) fn library_summary(&self) -> String {
        format!(
            "{} scenarios from {}",
            self.scenarios.len(),
            self.root.scenarios_dir().display()
        )
    }

    /// The scenarios the catalog shows under the current filters.
    pub(crate) fn visible_scenarios(&self) -> Vec<&LoadedScenario> {
        let needle = self.filter.trim().to_lowercase();
        self.scenarios
            .iter()
            .filter(|s| self.kind_filter.is_none_or(|k| s.scenario.task.kind() == k))
            .filter(|s| {
                self.difficulty_filter
                    .is_none_or(|d| s.scenario.difficulty == d)
            })
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

    /// The scenarios the catalog shows, in groups with their headings: by task kind, by
    /// competency (a scenario appears under each of its competencies, groups by label) or by
    /// difficulty. Groups keep catalog order inside; empty groups are left out.
    pub fn catalog_groups(&self) -> Vec<(String, Vec<&LoadedScenario>)> {
        let visible = self.visible_scenarios();
        match self.grouping {
            CatalogGrouping::Kind => groups_of(&visible, TaskKind::ALL, TaskKind::label, |s| {
                s.scenario.task.kind()
            }),
            CatalogGrouping::Difficulty => {
                groups_of(&visible, Difficulty::ALL, Difficulty::label, |s| {
                    s.scenario.difficulty
                })
            }
            CatalogGrouping::Competency => {
                let mut groups: std::collections::BTreeMap<String, Vec<&LoadedScenario>> =
                    std::collections::BTreeMap::new();
                for s in &visible {
                    for c in &s.scenario.competencies {
                        groups
                            .entry(crate::report::values::label_of(c))
                            .or_default()
                            .push(s);
                    }
                }
                groups.into_iter().collect()
            }
        }
    }

    pub(super) fn workspace_mut(&mut self) -> Option<&mut Workspace> {
        match &mut self.screen {
            Screen::Chart(w) => Some(w),
            Screen::Exam(e) if !e.finished => e.workspace.as_deref_mut(),
            Screen::Catalog
            | Screen::Feedback(_)
            | Screen::Progress(_)
            | Screen::Staff(_)
            | Screen::Exam(_) => None,
        }
    }

    /// Applies one command. `now` is the wall clock (the shell's, passed in).
    pub fn apply(&mut self, command: Command, ctx: Option<&egui::Context>, now: DateTime<Utc>) {
        match command {
            // Navigation and the catalog.
            Command::ShowCatalog => {
                self.save_draft(now);
                self.screen = Screen::Catalog;
                // The open case's title no longer applies (a profile read error still does).
                self.status = self.library_summary();
                self.refresh_profile_data();
            }
            Command::SetFilter(text) => self.filter = text,
            Command::SetKindFilter(kind) => self.kind_filter = kind,
            Command::SetDifficultyFilter(difficulty) => self.difficulty_filter = difficulty,
            Command::SetGrouping(grouping) => self.grouping = grouping,
            Command::ReloadScenarios => self.reload(),
            // Display.
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
            // Profiles and progress.
            Command::SetNewProfileName(name) => self.new_profile_name = name,
            Command::CreateProfile => self.create_profile(now),
            Command::SelectProfile(name) => self.select_profile(&name, now),
            Command::Profile(c) => self.apply_profile(c, now),
            Command::ShowProgress => self.show_progress(),
            Command::Server(c) => self.apply_server(c, ctx, now),
            // Practice.
            Command::OpenScenario { id, seed } => self.open(&id, seed, now),
            Command::ResumeDraft(i) => self.resume(i, now),
            Command::NewVariant => self.reopen(true, now),
            Command::RetrySame => self.reopen(false, now),
            Command::SaveDraft => self.save_draft(now),
            // A triage shift submitted early asks first.
            Command::Submit if super::board::hold_submit(self.workspace_mut()) => {}
            Command::Submit if matches!(self.screen, Screen::Exam(_)) => self.exam_submit(now),
            Command::Submit => self.submit(now),
            // The chart and the review of a graded answer.
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
            // Edits of the open case.
            edit @ (Command::EditField { .. }
            | Command::SetUnit { .. }
            | Command::AddRow(_)
            | Command::SetRow { .. }
            | Command::RemoveRow { .. }
            | Command::MoveRow { .. }
            | Command::EncoderSearch { .. }
            | Command::EncoderSelect(_)
            | Command::AddCode { .. }
            | Command::SetPoa { .. }
            | Command::DropCode { .. }
            | Command::Board(_)) => {
                if let Some(w) = self.workspace_mut() {
                    w.apply(edit);
                }
            }
            // A candidate's sitting.
            Command::StartExam(name) => self.start_exam(&name, now),
            Command::ExamOpenItem(i) => self.exam_open(i, now),
            Command::ExamFinish => self.exam_ask_or_finish(now),
            Command::ExamCancelFinish => {
                if let Screen::Exam(e) = &mut self.screen {
                    e.confirm_finish = None;
                }
            }
            Command::ExamTimeUp => self.exam_finish(now),
            // Staff screens and exports.
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
            Command::Export(c) => super::export::apply(self, c, ctx, now),
        }
    }
}

/// One group per value of `values` (in that order) holding the scenarios whose `of` is that
/// value, headed by its `label`; empty groups are left out.
fn groups_of<'a, V: Copy + PartialEq>(
    scenarios: &[&'a LoadedScenario],
    values: &[V],
    label: fn(V) -> &'static str,
    of: fn(&LoadedScenario) -> V,
) -> Vec<(String, Vec<&'a LoadedScenario>)> {
    values
        .iter()
        .map(|&v| {
            let items: Vec<&LoadedScenario> =
                scenarios.iter().copied().filter(|s| of(s) == v).collect();
            (label(v).to_string(), items)
        })
        .filter(|(_, items)| !items.is_empty())
        .collect()
}
