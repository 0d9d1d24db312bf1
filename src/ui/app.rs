//! The app state and the commands that change it.
//!
//! Drawing functions receive `&AppState` (or a part of it) and push [`Command`]s; [`EhrApp`]
//! applies them after the frame. Generation of a case happens when a command is applied, never
//! while drawing.

use crate::diagnostic::Diagnostic;
use crate::generate::{Case, generate};
use crate::library::ContentRoot;
use crate::scenario::LoadedScenario;
use crate::scenario::schema::TaskKind;

use super::chart::Section;

/// Something the user asked for, applied after the frame.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// Open a scenario's case for a seed.
    OpenScenario {
        /// Scenario id.
        id: String,
        /// Seed.
        seed: u64,
    },
    /// Back to the catalog.
    ShowCatalog,
    /// Show a chart section.
    ShowSection(Section),
    /// A new variant of the open scenario (next seed).
    NewVariant,
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
}

/// Which screen is showing.
#[derive(Debug, Clone, PartialEq)]
pub enum Screen {
    /// Scenario catalog.
    Catalog,
    /// A patient's chart with the task pane.
    Chart(Box<Workspace>),
    /// Instructor and employer screens.
    Staff(Box<super::staff::StaffState>),
}

/// An open case.
#[derive(Debug, Clone, PartialEq)]
pub struct Workspace {
    /// The scenario it came from.
    pub scenario: LoadedScenario,
    /// The generated case.
    pub case: Case,
    /// The chart section shown in the centre.
    pub section: Section,
}

/// Everything the screens draw from.
#[derive(Debug)]
pub struct AppState {
    /// The progress database (None when it could not be opened; see `store_error`).
    pub store: Option<crate::store::Store>,
    /// Why the progress database is not available, in plain words.
    pub store_error: Option<String>,
    /// The learner working (a student or candidate profile).
    pub profile: Option<crate::store::Session>,
    /// The signed-in instructor or employer admin.
    pub staff_session: Option<crate::store::Session>,
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
}

impl AppState {
    /// Loads the scenario library under `root`, with a progress database (or why there is none).
    pub fn load(root: ContentRoot, store: Result<crate::store::Store, String>) -> Self {
        let (store, store_error) = match store {
            Ok(s) => (Some(s), None),
            Err(e) => (None, Some(e)),
        };
        let mut state = Self {
            store,
            store_error,
            profile: None,
            staff_session: None,
            root,
            scenarios: Vec::new(),
            problems: Vec::new(),
            filter: String::new(),
            kind_filter: None,
            screen: Screen::Catalog,
            status: String::new(),
        };
        state.reload();
        state
    }

    fn reload(&mut self) {
        self.problems.clear();
        match self.root.load_all() {
            Ok((mut ok, bad)) => {
                let grading = self.root.grading_dir();
                ok.retain(|s| {
                    let errors: Vec<Diagnostic> =
                        crate::scenario::validate::validate(s, Some(&grading))
                            .into_iter()
                            .filter(Diagnostic::is_error)
                            .collect();
                    let fine = errors.is_empty();
                    self.problems.extend(errors);
                    fine
                });
                ok.sort_by(|a, b| {
                    (
                        a.scenario.task.kind(),
                        a.scenario.difficulty,
                        &a.scenario.id,
                    )
                        .cmp(&(
                            b.scenario.task.kind(),
                            b.scenario.difficulty,
                            &b.scenario.id,
                        ))
                });
                self.scenarios = ok;
                self.problems.extend(bad);
            }
            Err(d) => {
                self.scenarios.clear();
                self.problems.push(d);
            }
        }
        self.status = format!(
            "{} scenarios from {}",
            self.scenarios.len(),
            self.root.scenarios_dir().display()
        );
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

    /// Applies one command.
    pub fn apply(&mut self, command: Command, ctx: Option<&egui::Context>) {
        match command {
            Command::OpenScenario { id, seed } => self.open(&id, seed),
            Command::ShowCatalog => self.screen = Screen::Catalog,
            Command::ShowSection(section) => {
                if let Screen::Chart(w) = &mut self.screen {
                    w.section = section;
                }
            }
            Command::NewVariant => {
                if let Screen::Chart(w) = &self.screen {
                    let id = w.scenario.scenario.id.clone();
                    let seed = w.case.seed.wrapping_add(1);
                    self.open(&id, seed);
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
                    self.screen = Screen::Staff(Box::default());
                }
            }
            Command::Staff(c) => {
                let mut screen = std::mem::replace(&mut self.screen, Screen::Catalog);
                if let Screen::Staff(staff) = &mut screen {
                    super::staff::apply(self, staff, c);
                }
                self.screen = screen;
            }
        }
    }

    fn open(&mut self, id: &str, seed: u64) {
        let Some(loaded) = self.scenarios.iter().find(|s| s.scenario.id == id).cloned() else {
            self.status = format!("No scenario `{id}` — reload the library");
            return;
        };
        let case = generate(&loaded.scenario, seed, 0);
        self.status = format!("{} — seed {seed}", loaded.scenario.title);
        self.screen = Screen::Chart(Box::new(Workspace {
            scenario: loaded,
            case,
            section: Section::Summary,
        }));
    }
}

/// The eframe app.
#[derive(Debug)]
pub struct EhrApp {
    /// The state the screens draw.
    pub state: AppState,
}

impl EhrApp {
    /// Loads the library, opens the progress database at its default place (`EHR_SIM_DB`, else
    /// the user data folder) and starts on the catalog.
    pub fn new(root: ContentRoot) -> Self {
        let store = crate::store::resolve_path(None)
            .and_then(|p| crate::store::Store::open(&p))
            .map_err(|e| e.to_string());
        Self::with_store(root, store)
    }

    /// Like [`EhrApp::new`] with a given database (tests use an in-memory one).
    pub fn with_store(root: ContentRoot, store: Result<crate::store::Store, String>) -> Self {
        Self {
            state: AppState::load(root, store),
        }
    }

    /// Draws one frame into `ui` and applies what it asked for.
    pub fn frame_ui(&mut self, ui: &mut egui::Ui) {
        let mut commands = Vec::new();
        shortcuts(ui.ctx(), &mut commands);
        top_bar_ui(ui, &self.state, &mut commands);
        match &self.state.screen {
            Screen::Catalog => super::catalog::catalog_ui(ui, &self.state, &mut commands),
            Screen::Chart(w) => super::chart::chart_ui(ui, w, &mut commands),
            Screen::Staff(staff) => super::staff::staff_ui(ui, &self.state, staff, &mut commands),
        }
        let ctx = ui.ctx().clone();
        for c in commands {
            self.state.apply(c, Some(&ctx));
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
    });
}

fn top_bar_ui(ui: &mut egui::Ui, state: &AppState, out: &mut Vec<Command>) {
    egui::Panel::top("top_bar").show(ui, |ui| {
        ui.horizontal(|ui| {
            ui.label(super::theme::heading("EHR Sim"));
            ui.separator();
            if !matches!(state.screen, Screen::Catalog) && ui.button("Back to catalog").clicked() {
                out.push(Command::ShowCatalog);
            }
            ui.label(super::theme::caption(&state.status));
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
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
                if ui.button("Staff").clicked() {
                    out.push(Command::ShowStaff);
                }
            });
        });
    });
}
