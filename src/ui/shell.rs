//! The eframe shell: one frame draws the top bar and the current screen from the state, then
//! applies the commands they pushed at the time its [`Clock`] says.

use std::time::Duration;

use chrono::{DateTime, Utc};

use super::app::{AppState, Command, Screen};
use super::top_bar::{shortcuts, top_bar_ui};
use crate::library::ContentRoot;
use crate::store::Store;

/// Where the app reads the wall clock, once per frame: the system's, or (in tests) a fixed or
/// scripted one.
pub struct Clock(Box<dyn Fn() -> DateTime<Utc> + Send>);

impl Clock {
    /// A clock that reads `now` each time it is asked.
    pub fn new(now: impl Fn() -> DateTime<Utc> + Send + 'static) -> Self {
        Self(Box::new(now))
    }

    /// The system's wall clock.
    pub fn system() -> Self {
        Self::new(|| DateTime::<Utc>::from(std::time::SystemTime::now()))
    }

    /// A clock stopped at `at`.
    pub fn fixed(at: DateTime<Utc>) -> Self {
        Self::new(move || at)
    }

    /// The time now.
    pub fn now(&self) -> DateTime<Utc> {
        (self.0)()
    }
}

impl std::fmt::Debug for Clock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Clock")
    }
}

/// The eframe app.
#[derive(Debug)]
pub struct EhrApp {
    /// The state the screens draw.
    pub state: AppState,
    /// Whether the style and fonts are installed (on the first frame).
    installed: bool,
    /// The wall clock each frame reads.
    clock: Clock,
}

impl EhrApp {
    /// Loads the library, opens the progress database at its default place (`EHR_SIM_DB`, else
    /// the user data folder) and starts on the catalog.
    pub fn new(root: ContentRoot) -> Self {
        let path = crate::paths::database(None);
        let store = path
            .clone()
            .map_err(crate::store::StoreError::from)
            .and_then(|p| Store::open_any(&p))
            .map_err(|e| e.to_string());
        let mut app = Self::with_store(root, store);
        // The server's URL (password included, if given) stays in memory to connect afresh.
        let url = path.ok().and_then(|p| p.to_str().map(str::to_string));
        if let Some(url) = url.filter(|u| crate::store::is_server_url(u))
            && app.state.store.is_some()
        {
            app.state.server_secret = Some(url);
        }
        app
    }

    /// Like [`EhrApp::new`] with a given database (tests use an in-memory one).
    pub fn with_store(root: ContentRoot, store: Result<Store, String>) -> Self {
        Self::with_clock(root, store, Clock::system())
    }

    /// Like [`EhrApp::with_store`] with a given clock (tests fix the time).
    pub(crate) fn with_clock(
        root: ContentRoot,
        store: Result<Store, String>,
        clock: Clock,
    ) -> Self {
        Self {
            state: AppState::load(root, store),
            installed: false,
            clock,
        }
    }

    /// Draws one frame into `ui` and applies what it asked for.
    pub fn frame_ui(&mut self, ui: &mut egui::Ui) {
        if !self.installed {
            super::theme::install(ui.ctx());
            self.installed = true;
        }
        let now = self.clock.now();
        let mut commands = Vec::new();
        shortcuts(ui.ctx(), &mut commands);
        top_bar_ui(ui, &self.state, &mut commands);
        status_bar_ui(ui, &self.state);
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
        let note = |state: &AppState| match &state.screen {
            Screen::Chart(w) => Some((w.note.clone(), w.dirty)),
            Screen::Exam(e) => e.workspace.as_ref().map(|w| (w.note.clone(), w.dirty)),
            Screen::Feedback(_) | Screen::Catalog | Screen::Progress(_) | Screen::Staff(_) => None,
        };
        let before = note(&self.state);
        self.state.autosave(now);
        // A program server connected in the background: its outcome, once it is there.
        if self.state.poll_server(now) {
            ctx.request_repaint();
        } else if self.state.connecting() {
            ctx.request_repaint_after(Duration::from_millis(100));
        }
        // Work kept while the program server was unreachable: sent when a retry is due.
        if self.state.retry_offline(now) {
            ctx.request_repaint();
        }
        if self.state.offline_waiting() > 0 {
            ctx.request_repaint_after(Duration::from_secs(1));
        }
        // A save's message shows in the status bar at once, not at the next input event.
        if note(&self.state) != before {
            ctx.request_repaint();
        }
        if matches!(&self.state.screen, Screen::Exam(e) if !e.finished) {
            ctx.request_repaint_after(Duration::from_secs(1));
        }
    }
}

/// The status bar at the bottom of the window: the open case's draft status ("Draft saved
/// 12:34:56", unsaved changes, a save error). It is always there, one line high, so a message
/// appearing never moves the form above it or takes the focus from the field being typed in.
fn status_bar_ui(ui: &mut egui::Ui, state: &AppState) {
    let workspace = match &state.screen {
        Screen::Chart(w) => Some(w.as_ref()),
        Screen::Exam(e) => e.workspace.as_deref(),
        Screen::Feedback(_) | Screen::Catalog | Screen::Progress(_) | Screen::Staff(_) => None,
    };
    egui::Panel::bottom("status_bar")
        .resizable(false)
        .show(ui, |ui| {
            ui.horizontal(|ui| {
                let text = match workspace {
                    Some(w) if w.review.is_some() => "Reviewing a graded answer".to_string(),
                    Some(w) if !w.note.is_empty() && w.dirty => {
                        format!("{} · unsaved changes", w.note)
                    }
                    Some(w) if !w.note.is_empty() => w.note.clone(),
                    Some(w) if w.dirty && state.profile.is_none() => {
                        "Not saved: choose a profile in the catalog to keep drafts".to_string()
                    }
                    Some(w) if w.dirty => "Unsaved changes".to_string(),
                    Some(_) => "No changes yet".to_string(),
                    None => String::new(),
                };
                let repeats = text.starts_with(&state.offline.message);
                let dark = super::theme::is_dark(ui.ctx());
                if text.starts_with(super::offline::KEPT_NOTE) {
                    ui.label(
                        egui::RichText::new(text)
                            .small()
                            .color(super::theme::alert(dark)),
                    );
                } else {
                    ui.label(super::theme::caption(text));
                }
                if state.offline_waiting() > 0 && !state.offline.message.is_empty() && !repeats {
                    ui.add(
                        egui::Label::new(
                            egui::RichText::new(&state.offline.message)
                                .small()
                                .color(super::theme::alert(dark)),
                        )
                        .truncate(),
                    );
                }
            });
        });
}

impl eframe::App for EhrApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.frame_ui(ui);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_frame_reads_the_given_clock() {
        let at = DateTime::parse_from_rfc3339("2024-05-06T12:34:56Z")
            .expect("time")
            .with_timezone(&Utc);
        let root = ContentRoot::at(env!("CARGO_MANIFEST_DIR"));
        let store = Store::open_in_memory().map_err(|e| e.to_string());
        let mut app = EhrApp::with_clock(root, store, Clock::fixed(at));
        let state = &mut app.state;
        state.apply(Command::SetNewProfileName("Pat".into()), None, at);
        state.apply(Command::CreateProfile, None, at);
        let id = state
            .scenarios
            .first()
            .expect("a scenario")
            .scenario
            .id
            .clone();
        state.apply(Command::OpenScenario { id, seed: 1 }, None, at);
        let Screen::Chart(w) = &mut state.screen else {
            panic!("no chart");
        };
        w.dirty = true;
        let mut h = egui_kittest::Harness::builder()
            .with_size([1280.0, 800.0])
            .build_ui_state(|ui, app: &mut EhrApp| app.frame_ui(ui), app);
        h.step();
        // The frame's autosave stamps the draft with the clock's time.
        let Screen::Chart(w) = &h.state().state.screen else {
            panic!("no chart");
        };
        assert_eq!(w.note, "Draft saved 12:34:56");
    }
}
