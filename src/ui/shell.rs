//! The eframe shell: one frame draws the top bar and the current screen from the state, then
//! applies the commands they pushed.

use std::time::Duration;

use chrono::{DateTime, Utc};

use super::app::{AppState, Command, Screen};
use super::top_bar::{shortcuts, top_bar_ui};
use crate::library::ContentRoot;
use crate::store::Store;

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
        let store = crate::store::resolve_path(None)
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
