//! The "Program server" section of the profile area: which store the app saves progress in (this
//! computer's file or a program's PostgreSQL server), testing a server's URL, switching the app
//! to it, and going back to this computer's file.
//!
//! Connecting runs on a background thread (it may take up to the store's connect timeout, 10 s,
//! for a host that does not answer): the section says "Connecting to …" meanwhile, and the frame
//! loop picks up the outcome ([`AppState::poll_server`]).
//!
//! The app has no settings file: the choice lasts until the app closes, and `EHR_SIM_DB` (a file
//! path or a server URL) is how a start is pointed at a server. A password typed here is used
//! for this session only: it is put into the URL in memory and never written anywhere;
//! `PGPASSWORD` or `~/.pgpass` is how to keep it.

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, TryRecvError};

use egui::{RichText, Ui};

use super::app::{AppState, Command, Screen};
use super::offline::Outbox;
use super::theme;
use crate::store::{Engine, Store, is_server_url, redact_server_url};

/// What is typed in the section, and what the last test or switch said.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ServerForm {
    /// The server URL typed (`postgres://USER@HOST:PORT/DATABASE`).
    pub url: String,
    /// The password typed (optional; used for this session only).
    pub password: String,
    /// What the last Test connection, Use this server or back-to-file said: `Ok` in green,
    /// `Err` in red.
    pub result: Option<Result<String, String>>,
}

/// What the section asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ServerCommand {
    /// Type the server URL.
    SetUrl(String),
    /// Type the password.
    SetPassword(String),
    /// Connect to the typed server and say what it is.
    Test,
    /// Switch the app's store to the typed server.
    Use,
    /// Switch the app's store back to this computer's file.
    UseFile,
}

/// A connection being made on a background thread.
#[derive(Debug)]
pub struct Connecting {
    /// Whether the app moves to the server once connected (Use this server), or only says what
    /// it found (Test connection).
    use_it: bool,
    /// The server, password removed.
    shown: String,
    /// The URL connected to (with the typed password): kept in memory, to connect again.
    url: String,
    /// The outcome, sent once by the thread.
    outcome: Receiver<Result<Store, String>>,
    /// When it started.
    started: chrono::DateTime<chrono::Utc>,
}

/// How long the section waits for a server. The store's connect timeout (10 s) bounds reaching
/// the host; a server that takes the connection and then never answers is given up here (its
/// thread ends when the server closes the connection).
pub const CONNECT_WAIT: std::time::Duration = std::time::Duration::from_secs(12);

/// The URL with `password` put in (percent-encoded) when one is typed; the URL as it is
/// otherwise, or when it names no user. Kept in memory only.
#[must_use]
pub fn with_password(url: &str, password: &str) -> String {
    let url = url.trim();
    if password.is_empty() {
        return url.to_string();
    }
    let Some(scheme_end) = url.find("://") else {
        return url.to_string();
    };
    let rest = &url[scheme_end + 3..];
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let Some(at) = rest[..authority_end].rfind('@') else {
        return url.to_string();
    };
    let user = rest[..at].split(':').next().unwrap_or_default();
    let mut encoded = String::new();
    for byte in password.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    format!("{}{user}:{encoded}{}", &url[..scheme_end + 3], &rest[at..])
}

/// Where the app keeps progress, in a sentence.
#[must_use]
pub fn location_sentence(store: &Store) -> String {
    match (store.engine(), store.path()) {
        (Engine::Postgres, _) => format!(
            "Progress is saved on the program server {}",
            store.location()
        ),
        (Engine::Sqlite, Some(path)) => format!(
            "Progress is saved in this computer's file {}",
            path.display()
        ),
        (Engine::Sqlite, None) => {
            "Progress is kept in memory only: it is gone when the app closes".to_string()
        }
    }
}

impl AppState {
    /// Applies a command of the section. Test connection and Use this server start connecting
    /// on a background thread (one at a time); `ctx` is asked to repaint when it is done.
    pub(super) fn apply_server(
        &mut self,
        c: ServerCommand,
        ctx: Option<&egui::Context>,
        now: chrono::DateTime<chrono::Utc>,
    ) {
        match c {
            ServerCommand::SetUrl(t) => self.server_form.url = t,
            ServerCommand::SetPassword(t) => self.server_form.password = t,
            ServerCommand::Test => self.start_connecting(false, ctx, now),
            ServerCommand::Use => self.start_connecting(true, ctx, now),
            ServerCommand::UseFile => {
                let Some(path) = self
                    .home_file
                    .clone()
                    .or_else(|| crate::paths::default_database().ok())
                else {
                    self.server_form.result = Some(Err(
                        "this computer has no user data folder: set EHR_SIM_DB to a file".into(),
                    ));
                    return;
                };
                match Store::open(&path) {
                    Ok(store) => {
                        self.switch_store(store, now);
                        self.server_form.result = Some(Ok(format!(
                            "Now saving progress in this computer's file {}",
                            path.display()
                        )));
                    }
                    Err(e) => self.server_form.result = Some(Err(e.to_string())),
                }
            }
        }
    }

    /// Starts connecting to the typed server on a background thread.
    fn start_connecting(
        &mut self,
        use_it: bool,
        ctx: Option<&egui::Context>,
        now: chrono::DateTime<chrono::Utc>,
    ) {
        if self.connecting.is_some() {
            return;
        }
        let url = match self.typed_url() {
            Ok(url) => url,
            Err(e) => {
                self.server_form.result = Some(Err(e));
                return;
            }
        };
        let shown = redact_server_url(&url);
        let kept_url = url.clone();
        let (send, outcome) = std::sync::mpsc::channel();
        let ctx = ctx.cloned();
        let spawned = std::thread::Builder::new()
            .name("program-server-connect".into())
            .spawn(move || {
                // The app may have closed meanwhile: nobody to tell then.
                let _ = send.send(Store::connect(&url).map_err(|e| e.to_string()));
                if let Some(ctx) = ctx {
                    ctx.request_repaint();
                }
            });
        match spawned {
            Ok(_) => {
                self.server_form.result = None;
                self.connecting = Some(Connecting {
                    use_it,
                    shown,
                    url: kept_url,
                    outcome,
                    started: now,
                });
            }
            Err(e) => {
                self.server_form.result = Some(Err(format!("could not start connecting: {e}")));
            }
        }
    }

    /// Picks up the outcome of a connection made in the background: says what the server is
    /// (Test connection) or moves the app to it (Use this server). Returns whether there was
    /// an outcome.
    pub fn poll_server(&mut self, now: chrono::DateTime<chrono::Utc>) -> bool {
        let Some(connecting) = &self.connecting else {
            return false;
        };
        let waited = (now - connecting.started)
            .to_std()
            .unwrap_or(std::time::Duration::ZERO);
        let outcome = match connecting.outcome.try_recv() {
            Ok(outcome) => outcome,
            Err(TryRecvError::Empty) if waited >= CONNECT_WAIT => Err(format!(
                "program server {}: no answer after {} seconds: something took the connection \
                 but did not answer as a PostgreSQL server does; check the host and port, and \
                 that the server is not stuck",
                connecting.shown,
                CONNECT_WAIT.as_secs()
            )),
            Err(TryRecvError::Empty) => return false,
            Err(TryRecvError::Disconnected) => {
                Err("the connection attempt stopped before it answered; try again".to_string())
            }
        };
        let use_it = connecting.use_it;
        let url = connecting.url.clone();
        self.connecting = None;
        self.server_form.result = Some(match (outcome, use_it) {
            (Ok(store), false) => store
                .schema_version()
                .map(|v| format!("Connected: EHR Sim schema version {v}"))
                .map_err(|e| e.to_string()),
            (Ok(store), true) => {
                let said = format!(
                    "Now saving progress on the program server {}",
                    store.location()
                );
                self.switch_store(store, now);
                self.server_secret = Some(url);
                self.server_form.password.clear();
                Ok(said)
            }
            (Err(e), _) => Err(e),
        });
        true
    }

    /// Whether a connection is being made in the background.
    #[must_use]
    pub fn connecting(&self) -> bool {
        self.connecting.is_some()
    }

    /// The typed server URL with the typed password (if any), or why it is not a server URL.
    fn typed_url(&self) -> Result<String, String> {
        let url = self.server_form.url.trim();
        if url.is_empty() {
            return Err("Type the server's URL: postgres://USER@HOST:PORT/DATABASE".into());
        }
        if !is_server_url(url) {
            return Err(format!(
                "{}: not a server URL; write it as postgres://USER@HOST:PORT/DATABASE",
                redact_server_url(url)
            ));
        }
        Ok(with_password(url, &self.server_form.password))
    }

    /// Makes `store` the app's store: the open work is saved to the old one first, and whoever
    /// was signed in signs in again (people live in each store). The file store is left as it
    /// was.
    fn switch_store(&mut self, store: Store, now: chrono::DateTime<chrono::Utc>) {
        self.save_draft(now);
        if let Some(path) = self.store.as_ref().and_then(Store::path) {
            self.home_file = Some(path.to_path_buf());
        }
        // Work kept for any server stays: it is in the file, or (when the file could not be
        // written) only in memory, where replacing the outbox would lose it.
        if store.engine() == Engine::Postgres
            && self.offline.file().is_none()
            && self.offline.kept().is_empty()
        {
            self.offline = Outbox::load(crate::paths::offline_work_file().ok());
        }
        self.store = Some(store);
        self.store_error = None;
        self.server_secret = None;
        self.probe = None;
        self.profile = None;
        self.staff_session = None;
        self.sign_in = super::profile::SignInForm::default();
        self.new_profile_name.clear();
        self.screen = Screen::Catalog;
        self.profiles.clear();
        self.refresh_profiles();
        self.refresh_profile_data();
        self.status = self.library_summary();
    }

    /// Sets the URL (with its password) of the server the store is on, as the app does when it
    /// opens a server itself: kept work is then sent over a fresh connection made in the
    /// background (tests).
    #[doc(hidden)]
    pub fn set_server_url(&mut self, url: String) {
        self.server_secret = Some(url);
    }

    /// Sets the file the app goes back to from a server (tests; the app sets it from the
    /// file it opened).
    #[doc(hidden)]
    pub fn set_home_file(&mut self, path: PathBuf) {
        self.home_file = Some(path);
    }
}

/// A single-line input with an accessible name. Returns the new text when it changed.
fn field(ui: &mut Ui, name: &str, text: &str, secret: bool, width: f32) -> Option<String> {
    let mut t = text.to_string();
    let r = ui.add(
        egui::TextEdit::singleline(&mut t)
            .id_salt(("program_server", name))
            .hint_text(name)
            .password(secret)
            .desired_width(width),
    );
    let label = name.to_string();
    r.widget_info(move || egui::WidgetInfo::labeled(egui::Role::TextInput, true, label.clone()));
    (t != text).then_some(t)
}

/// The section: where progress is saved, and (folded) the server form.
pub(super) fn server_ui(ui: &mut Ui, state: &AppState, out: &mut Vec<Command>) {
    let dark = theme::is_dark(ui.ctx());
    let on_server = state
        .store
        .as_ref()
        .is_some_and(|s| s.engine() == Engine::Postgres);
    let location = match &state.store {
        Some(store) => location_sentence(store),
        None => "Progress is not being saved: no progress database is open".to_string(),
    };
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new("Program server").strong());
        ui.label(&location);
    });
    egui::CollapsingHeader::new("Connect to a program server")
        .id_salt("program_server_section")
        .default_open(false)
        .show(ui, |ui| {
            let f = &state.server_form;
            ui.horizontal_wrapped(|ui| {
                if let Some(t) = field(ui, "Server URL", &f.url, false, 360.0) {
                    out.push(Command::Server(ServerCommand::SetUrl(t)));
                }
                if let Some(t) = field(ui, "Password (optional)", &f.password, true, 160.0) {
                    out.push(Command::Server(ServerCommand::SetPassword(t)));
                }
                let typed = !f.url.trim().is_empty() && state.connecting.is_none();
                if ui
                    .add_enabled(typed, egui::Button::new("Test connection"))
                    .clicked()
                {
                    out.push(Command::Server(ServerCommand::Test));
                }
                if ui
                    .add_enabled(typed, egui::Button::new("Use this server"))
                    .clicked()
                {
                    out.push(Command::Server(ServerCommand::Use));
                }
                if on_server && ui.button("Use this computer's file").clicked() {
                    out.push(Command::Server(ServerCommand::UseFile));
                }
            });
            if let Some(c) = &state.connecting {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label(format!(
                        "Connecting to {} (at most {} seconds)…",
                        c.shown,
                        CONNECT_WAIT.as_secs()
                    ));
                });
            }
            match &f.result {
                Some(Ok(text)) => {
                    ui.label(RichText::new(text).color(theme::success(dark)));
                }
                Some(Err(text)) => {
                    ui.label(RichText::new(text).color(theme::alert(dark)));
                }
                None => {}
            }
            ui.label(theme::caption(
                "Write the URL as postgres://USER@HOST:PORT/DATABASE. A password typed here is \
                 used until the app closes and is never saved; to keep it, put it in PGPASSWORD \
                 or ~/.pgpass. The app has no settings file: to open on a server at every start, \
                 set EHR_SIM_DB to its URL (without the password).",
            ));
        });
}
