//! Work kept on this computer while the program server is unreachable, and sent when it is
//! back.
//!
//! When the store is on a program server and saving a draft or recording a graded submission
//! fails because the connection was lost ([`crate::store::StoreError::is_connection_lost`]), the work goes
//! into the [`Outbox`]: a list kept in memory and written to `offline-work.json` in the user
//! data folder after every change (a temporary file renamed over the old one), so neither a
//! lost connection nor closing the app loses an answer. The frame loop calls
//! [`Outbox::retry`] at most every [`RETRY_EVERY`]: it reconnects, then sends the kept work in
//! the order it was kept, and stops at the first failure. When the app opened the server itself
//! (it knows the URL), the connection is made afresh on a background thread first
//! ([`super::app::AppState::retry_offline`]), so a server that does not answer never holds up
//! the window. A graded submission is recorded
//! exactly once: before it is sent the server is asked whether it already holds it (the
//! connection may have dropped after the server committed it but before it answered).
//!
//! The file is JSON rather than a second SQLite progress database: the kept work belongs to
//! the server's people, sittings and scenario versions, which a local database does not hold
//! (its foreign keys and sign-in checks would refuse it); the file holds only what is sent
//! back, and nothing secret (no password, no session).
//!
//! Work is sent only while its learner is signed in on the server it was meant for; work kept
//! for another learner or server stays in the file until then.

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};

use crate::store::{AttemptId, DraftKey, Mode, NewAttempt, Session, Store, StoreResult};

/// How often the kept work is retried: longer than the server's connect timeout (10 s), so a
/// retry against an unreachable server never follows another at once.
pub const RETRY_EVERY: Duration = Duration::from_secs(15);

/// What the app says while work waits on this computer.
pub const KEPT_NOTE: &str = "Not saved to the program server — the connection was lost; your \
                             work is kept on this computer and will be sent when the server is \
                             back";

/// One piece of work waiting to be sent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PendingWork {
    /// A draft of work in progress.
    Draft {
        /// Whose draft of which case.
        key: DraftKey,
        /// The scenario version it was started on.
        scenario_version_hash: String,
        /// The serialised answer.
        payload: String,
        /// When it was saved.
        saved_at: DateTime<Utc>,
    },
    /// A graded submission.
    Attempt {
        /// The attempt record, as it would have been stored.
        attempt: NewAttempt,
    },
    /// A candidate finished their sitting.
    FinishSitting {
        /// The candidate.
        learner_id: i64,
        /// The sitting.
        sitting_id: i64,
        /// When they finished.
        at: DateTime<Utc>,
    },
}

impl PendingWork {
    /// The learner the work belongs to.
    #[must_use]
    pub fn learner_id(&self) -> i64 {
        match self {
            Self::Draft { key, .. } => key.learner_id,
            Self::Attempt { attempt } => attempt.learner_id,
            Self::FinishSitting { learner_id, .. } => *learner_id,
        }
    }

    /// The work in a few words ("the draft of office_visit, seed 3").
    #[must_use]
    pub fn describe(&self) -> String {
        match self {
            Self::Draft { key, .. } => {
                format!("the draft of {}, seed {}", key.scenario_id, key.seed)
            }
            Self::Attempt { attempt } => format!(
                "the submission of {}, seed {}",
                attempt.scenario_id, attempt.seed
            ),
            Self::FinishSitting { sitting_id, .. } => format!("the end of sitting #{sitting_id}"),
        }
    }
}

/// Work kept for one server.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Kept {
    /// The server it is meant for (its URL without the password).
    pub server: String,
    /// The work.
    pub work: PendingWork,
    /// Why the server refused it (not a lost connection): it is no longer retried, and stays in
    /// the file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refused: Option<String>,
}

/// What the kept-work file holds.
#[derive(Debug, Default, Serialize, Deserialize)]
struct KeptFile {
    kept: Vec<Kept>,
}

/// Where kept work goes: the store, or (in tests) a stand-in that loses its connection.
pub trait Outlet {
    /// The server's URL without its password; `None` for a file store (nothing is kept then).
    fn server(&self) -> Option<String>;
    /// Connects again after a lost connection.
    ///
    /// # Errors
    /// While the server stays unreachable.
    fn reconnect(&mut self) -> StoreResult<()>;
    /// Saves a draft.
    ///
    /// # Errors
    /// As [`Store::save_draft`].
    fn save_draft(&mut self, session: &Session, work: &PendingWork) -> StoreResult<()>;
    /// Records an attempt.
    ///
    /// # Errors
    /// As [`Store::record_attempt_as`].
    fn record(&mut self, session: &Session, attempt: &NewAttempt) -> StoreResult<AttemptId>;
    /// Whether the server already holds this attempt (same learner, scenario version, seed,
    /// mode, sitting and submission time).
    ///
    /// # Errors
    /// On a store failure.
    fn holds(&self, session: &Session, attempt: &NewAttempt) -> StoreResult<bool>;
    /// Closes a sitting.
    ///
    /// # Errors
    /// As [`Store::finish_sitting`].
    fn finish_sitting(
        &mut self,
        session: &Session,
        sitting_id: i64,
        at: &DateTime<Utc>,
    ) -> StoreResult<()>;
}

impl Outlet for Store {
    fn server(&self) -> Option<String> {
        self.server_url().map(str::to_string)
    }

    fn reconnect(&mut self) -> StoreResult<()> {
        Store::reconnect(self)
    }

    fn save_draft(&mut self, session: &Session, work: &PendingWork) -> StoreResult<()> {
        let PendingWork::Draft {
            key,
            scenario_version_hash,
            payload,
            saved_at,
        } = work
        else {
            return Ok(());
        };
        Store::save_draft(self, session, key, scenario_version_hash, payload, saved_at)
    }

    fn record(&mut self, session: &Session, attempt: &NewAttempt) -> StoreResult<AttemptId> {
        self.record_attempt_as(session, attempt)
    }

    fn holds(&self, session: &Session, attempt: &NewAttempt) -> StoreResult<bool> {
        if let Some(sitting) = attempt.sitting_id {
            let submitted = self.sitting_submissions(session, sitting)?;
            return Ok(submitted
                .iter()
                .any(|(id, seed)| *id == attempt.scenario_id && *seed == attempt.seed));
        }
        let at = attempt
            .submitted_at
            .to_rfc3339_opts(SecondsFormat::Secs, true);
        Ok(self
            .learner_history(session, attempt.learner_id)?
            .iter()
            .any(|h| {
                h.scenario.scenario_id == attempt.scenario_id
                    && h.scenario.content_hash == attempt.scenario_version_hash
                    && h.seed == attempt.seed
                    && h.mode == attempt.mode
                    && h.submitted_at == at
            }))
    }

    fn finish_sitting(
        &mut self,
        session: &Session,
        sitting_id: i64,
        at: &DateTime<Utc>,
    ) -> StoreResult<()> {
        Store::finish_sitting(self, session, sitting_id, at)
    }
}

/// What one piece of work became when it was sent.
#[derive(Debug, Clone, PartialEq)]
pub enum Sent {
    /// A draft saved.
    Draft(DraftKey),
    /// A submission recorded now, with its attempt id.
    Recorded {
        /// Scenario id.
        scenario_id: String,
        /// Seed.
        seed: u64,
        /// Mode.
        mode: Mode,
        /// The new attempt's id.
        id: AttemptId,
    },
    /// A submission the server already held (it had committed it before the connection
    /// dropped): not recorded again.
    AlreadyRecorded {
        /// Scenario id.
        scenario_id: String,
        /// Seed.
        seed: u64,
    },
    /// A sitting closed.
    SittingFinished(i64),
}

/// The work waiting for the program server, and when it is next tried.
#[derive(Debug, Default)]
pub struct Outbox {
    kept: Vec<Kept>,
    /// The file the work is written to (`None`: in memory only, e.g. no data folder).
    file: Option<PathBuf>,
    /// Not before this time is the work tried again.
    next_try: Option<DateTime<Utc>>,
    /// What happened last, in words (shown on the status bar while work is kept).
    pub message: String,
}

impl Outbox {
    /// An outbox kept in `file`, with the work already in it. A file that cannot be read is
    /// left as it is (never overwritten) and said in [`Outbox::message`].
    #[must_use]
    pub fn load(file: Option<PathBuf>) -> Self {
        let mut outbox = Self {
            file,
            ..Self::default()
        };
        let Some(path) = &outbox.file else {
            return outbox;
        };
        match std::fs::read_to_string(path) {
            Ok(text) => match serde_json::from_str::<KeptFile>(&text) {
                Ok(read) => outbox.kept = read.kept,
                Err(e) => {
                    outbox.message = format!(
                        "{}: work kept on this computer could not be read ({e}); the file is \
                         left as it is",
                        path.display()
                    );
                    // Keeping new work would overwrite it.
                    outbox.file = None;
                }
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                outbox.message = format!("{}: {e}", path.display());
                outbox.file = None;
            }
        }
        outbox
    }

    /// The file the work is kept in.
    #[must_use]
    pub fn file(&self) -> Option<&Path> {
        self.file.as_deref()
    }

    /// Everything kept, oldest first.
    #[must_use]
    pub fn kept(&self) -> &[Kept] {
        &self.kept
    }

    /// How many pieces of work wait to be sent to `server` for `learner` (refused ones left
    /// out).
    #[must_use]
    pub fn waiting(&self, server: &str, learner: i64) -> usize {
        self.kept
            .iter()
            .filter(|k| k.refused.is_none())
            .filter(|k| k.server == server && k.work.learner_id() == learner)
            .count()
    }

    /// The kept draft of `key` on `server` (newer than any the server holds), as its scenario
    /// version hash and payload.
    #[must_use]
    pub fn draft(&self, server: &str, key: &DraftKey) -> Option<(&str, &str)> {
        self.kept.iter().rev().find_map(|k| match &k.work {
            PendingWork::Draft {
                key: kept,
                scenario_version_hash,
                payload,
                ..
            } if k.server == server && kept == key => {
                Some((scenario_version_hash.as_str(), payload.as_str()))
            }
            PendingWork::Draft { .. }
            | PendingWork::Attempt { .. }
            | PendingWork::FinishSitting { .. } => None,
        })
    }

    /// Keeps `work` for `server` and writes the file. A newer draft of the same case replaces
    /// the older one; a submission drops the drafts of its case (recording it deletes the
    /// draft). The next try is [`RETRY_EVERY`] from `now`.
    ///
    /// # Errors
    /// When the file cannot be written (the work is still kept in memory).
    pub fn keep(
        &mut self,
        server: &str,
        work: PendingWork,
        now: DateTime<Utc>,
    ) -> Result<(), String> {
        let same_case = |k: &Kept| match (&k.work, &work) {
            (PendingWork::Draft { key: a, .. }, PendingWork::Draft { key: b, .. }) => a == b,
            (PendingWork::Draft { key, .. }, PendingWork::Attempt { attempt }) => {
                key.learner_id == attempt.learner_id
                    && key.scenario_id == attempt.scenario_id
                    && key.seed == attempt.seed
                    && key.mode == attempt.mode
            }
            (
                PendingWork::Draft { .. }
                | PendingWork::Attempt { .. }
                | PendingWork::FinishSitting { .. },
                _,
            ) => false,
        };
        self.kept
            .retain(|k| !(k.server == server && k.refused.is_none() && same_case(k)));
        self.kept.push(Kept {
            server: server.to_string(),
            work,
            refused: None,
        });
        if self.next_try.is_none_or(|t| t <= now) {
            self.next_try = Some(now + retry_every());
        }
        self.message = KEPT_NOTE.to_string();
        self.write()
    }

    /// Notes that the server could not be reached at `now` (why): the work stays, the next
    /// try is [`RETRY_EVERY`] later.
    pub fn unreachable(&mut self, now: DateTime<Utc>, why: &str) {
        self.next_try = Some(now + retry_every());
        self.message = format!(
            "{KEPT_NOTE} (tried again at {}: {why}; next try in {} s)",
            now.format("%H:%M:%S"),
            RETRY_EVERY.as_secs()
        );
    }

    /// Whether a retry is due at `now`.
    #[must_use]
    pub fn due(&self, now: DateTime<Utc>) -> bool {
        self.next_try.is_none_or(|t| now >= t)
    }

    /// Sends the work kept for `outlet`'s server and `session`'s learner when a retry is due:
    /// reconnects, then sends each piece in order, removing it from the file once the server
    /// has it. Returns what was sent (empty when nothing was due or the server is still
    /// unreachable); [`Outbox::message`] says what happened.
    pub fn retry(
        &mut self,
        outlet: &mut impl Outlet,
        session: &Session,
        now: DateTime<Utc>,
    ) -> Vec<Sent> {
        let Some(server) = outlet.server() else {
            return Vec::new();
        };
        let learner = session.person_id();
        if self.waiting(&server, learner) == 0 || !self.due(now) {
            return Vec::new();
        }
        self.next_try = Some(now + retry_every());
        let at = now.format("%H:%M:%S");
        if let Err(e) = outlet.reconnect() {
            self.unreachable(now, &e.to_string());
            return Vec::new();
        }
        let mut sent = Vec::new();
        let mut refused = false;
        let mut index = 0;
        while index < self.kept.len() {
            let k = &self.kept[index];
            if k.server != server || k.refused.is_some() || k.work.learner_id() != learner {
                index += 1;
                continue;
            }
            match send(outlet, session, &k.work) {
                Ok(done) => {
                    self.kept.remove(index);
                    sent.push(done);
                }
                Err(e) if e.is_connection_lost() => {
                    self.message = format!(
                        "{KEPT_NOTE} (the connection was lost again at {at}; next try in {} s)",
                        RETRY_EVERY.as_secs()
                    );
                    self.note_write();
                    return sent;
                }
                Err(e) => {
                    let why = e.to_string();
                    self.message = format!(
                        "The program server refused {}: {why}; it stays in {}",
                        k.work.describe(),
                        self.file
                            .as_ref()
                            .map_or_else(|| "memory".to_string(), |p| p.display().to_string())
                    );
                    self.kept[index].refused = Some(why);
                    refused = true;
                    index += 1;
                }
            }
        }
        if !sent.is_empty() && !refused {
            self.message = sent_message(&sent, &at.to_string());
        }
        self.note_write();
        sent
    }

    /// Writes the file, noting a failure in the message.
    fn note_write(&mut self) {
        if let Err(e) = self.write() {
            self.message = format!("{} ({e})", self.message);
        }
    }

    /// Writes the kept work to the file (removing the file when nothing is kept).
    fn write(&self) -> Result<(), String> {
        let Some(path) = &self.file else {
            return Ok(());
        };
        if self.kept.is_empty() {
            return match std::fs::remove_file(path) {
                Ok(()) => Ok(()),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
                Err(e) => Err(format!("{}: {e}", path.display())),
            };
        }
        let text = serde_json::to_string_pretty(&KeptFile {
            kept: self.kept.clone(),
        })
        .map_err(|e| e.to_string())?;
        write_atomically(path, text.as_bytes()).map_err(|e| format!("{}: {e}", path.display()))
    }
}

fn retry_every() -> chrono::Duration {
    chrono::Duration::seconds(RETRY_EVERY.as_secs().try_into().unwrap_or(15))
}

/// Sends one piece of work.
fn send(outlet: &mut impl Outlet, session: &Session, work: &PendingWork) -> StoreResult<Sent> {
    match work {
        PendingWork::Draft { key, .. } => {
            outlet.save_draft(session, work)?;
            Ok(Sent::Draft(key.clone()))
        }
        PendingWork::Attempt { attempt } => {
            if outlet.holds(session, attempt)? {
                return Ok(Sent::AlreadyRecorded {
                    scenario_id: attempt.scenario_id.clone(),
                    seed: attempt.seed,
                });
            }
            let id = outlet.record(session, attempt)?;
            Ok(Sent::Recorded {
                scenario_id: attempt.scenario_id.clone(),
                seed: attempt.seed,
                mode: attempt.mode,
                id,
            })
        }
        PendingWork::FinishSitting { sitting_id, at, .. } => {
            outlet.finish_sitting(session, *sitting_id, at)?;
            Ok(Sent::SittingFinished(*sitting_id))
        }
    }
}

/// "The program server is back (12:00:15): attempt #7 recorded, 1 draft saved."
fn sent_message(sent: &[Sent], at: &str) -> String {
    let mut parts = Vec::new();
    let drafts = sent.iter().filter(|s| matches!(s, Sent::Draft(_))).count();
    for s in sent {
        match s {
            Sent::Recorded { id, .. } => parts.push(format!("attempt #{id} recorded")),
            Sent::AlreadyRecorded { scenario_id, seed } => parts.push(format!(
                "the submission of {scenario_id}, seed {seed} was already recorded (not recorded twice)"
            )),
            Sent::SittingFinished(id) => parts.push(format!("sitting #{id} closed")),
            Sent::Draft(_) => {}
        }
    }
    match drafts {
        0 => {}
        1 => parts.push("1 draft saved".to_string()),
        n => parts.push(format!("{n} drafts saved")),
    }
    format!("The program server is back ({at}): {}", parts.join(", "))
}

/// Writes `bytes` to a temporary file beside `path`, flushes it to disk and renames it over
/// `path`, so the file is always either the old or the new content.
fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write as _;
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)?;
    }
    let mut tmp = path.as_os_str().to_os_string();
    tmp.push(".tmp");
    let tmp = PathBuf::from(tmp);
    {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
    }
    std::fs::rename(&tmp, path)
}

/// What became of a piece of work the app saved.
#[derive(Debug)]
pub(crate) enum Saved<T> {
    /// The store has it.
    Stored(T),
    /// It is kept on this computer until the server is back; the note says so.
    Kept(String),
    /// The store refused it: why.
    Failed(String),
}

/// Saves `work` with `save`, or keeps it in `outbox` when the store is on a server and its
/// connection was lost, or other work already waits for it (work is sent in the order it was
/// done, so newer work waits behind older).
pub(crate) fn store_or_keep<T>(
    store: &mut Store,
    outbox: &mut Outbox,
    session: &Session,
    work: PendingWork,
    now: DateTime<Utc>,
    save: impl FnOnce(&mut Store) -> StoreResult<T>,
) -> Saved<T> {
    let server = store.server_url().map(str::to_string);
    let waiting = server
        .as_deref()
        .is_some_and(|s| outbox.waiting(s, session.person_id()) > 0);
    let failed = if waiting {
        None
    } else {
        match save(store) {
            Ok(value) => return Saved::Stored(value),
            Err(e) if e.is_connection_lost() && server.is_some() => None,
            Err(e) => Some(e),
        }
    };
    match (failed, server) {
        (Some(e), _) => Saved::Failed(e.to_string()),
        (None, Some(server)) => match outbox.keep(&server, work, now) {
            Ok(()) => Saved::Kept(KEPT_NOTE.to_string()),
            Err(why) => Saved::Kept(format!(
                "{KEPT_NOTE} (kept until the app closes: the file could not be written: {why})"
            )),
        },
        (None, None) => Saved::Failed("no program server to keep the work for".to_string()),
    }
}

impl super::app::AppState {
    /// How many pieces of work wait on this computer for the app's server and the signed-in
    /// learner.
    #[must_use]
    pub fn offline_waiting(&self) -> usize {
        match (&self.store, &self.profile) {
            (Some(store), Some(session)) => store.server_url().map_or(0, |server| {
                self.offline.waiting(server, session.person_id())
            }),
            (Some(_) | None, _) => 0,
        }
    }

    /// Sends the work kept on this computer when a retry is due (the frame loop calls it every
    /// frame; it tries at most every [`RETRY_EVERY`]). Says what was sent on the status line,
    /// and on the feedback report of a submission it recorded. Returns whether anything was
    /// sent.
    ///
    /// When the app knows the server's URL (it opened the server itself), a fresh connection is
    /// made on a background thread first, so a server that does not answer never holds up the
    /// window; once it is made, the app's store is replaced by it and the work is sent.
    /// Otherwise the store reconnects in place (at most the connect timeout).
    pub fn retry_offline(&mut self, now: DateTime<Utc>) -> bool {
        if self.offline_waiting() == 0 || !self.offline.due(now) {
            return false;
        }
        if self.server_secret.is_some() && !self.probe_server(now) {
            return false;
        }
        let (Some(store), Some(session)) = (&mut self.store, &self.profile) else {
            return false;
        };
        let sent = self.offline.retry(store, session, now);
        if sent.is_empty() {
            return false;
        }
        let name = session.name().to_string();
        if let super::app::Screen::Feedback(f) = &mut self.screen {
            for s in &sent {
                if let Sent::Recorded {
                    scenario_id,
                    seed,
                    id,
                    ..
                } = s
                    && *scenario_id == f.workspace.scenario.scenario.id
                    && *seed == f.workspace.case.seed
                    && f.stored.starts_with(KEPT_NOTE)
                {
                    f.stored = format!(
                        "Saved as attempt #{id} for {name} (sent when the program server was back)"
                    );
                }
            }
        }
        self.status = self.offline.message.clone();
        self.refresh_profile_data();
        true
    }
}

/// A fresh connection to the server made on a background thread before kept work is sent.
#[derive(Debug)]
pub struct Probe {
    outcome: std::sync::mpsc::Receiver<Result<Store, String>>,
    started: DateTime<Utc>,
}

impl super::app::AppState {
    /// Whether a fresh connection is being made before kept work is sent.
    #[must_use]
    pub fn retrying(&self) -> bool {
        self.probe.is_some()
    }

    /// Whether a fresh connection to the server is ready (then it is the app's store): starts
    /// one on a background thread when none is being made, and gives up on one that has not
    /// answered after [`super::server::CONNECT_WAIT`] (the work stays kept).
    fn probe_server(&mut self, now: DateTime<Utc>) -> bool {
        use std::sync::mpsc::TryRecvError;
        let Some(probe) = &self.probe else {
            let Some(url) = self.server_secret.clone() else {
                return false;
            };
            let (send, outcome) = std::sync::mpsc::channel();
            let spawned = std::thread::Builder::new()
                .name("program-server-retry".into())
                .spawn(move || {
                    let _ = send.send(Store::connect(&url).map_err(|e| e.to_string()));
                });
            match spawned {
                Ok(_) => {
                    self.probe = Some(Probe {
                        outcome,
                        started: now,
                    });
                }
                Err(e) => self
                    .offline
                    .unreachable(now, &format!("could not start connecting: {e}")),
            }
            return false;
        };
        let waited = (now - probe.started).to_std().unwrap_or(Duration::ZERO);
        let outcome = match probe.outcome.try_recv() {
            Ok(outcome) => outcome,
            Err(TryRecvError::Empty) if waited >= super::server::CONNECT_WAIT => Err(format!(
                "no answer after {} seconds",
                super::server::CONNECT_WAIT.as_secs()
            )),
            Err(TryRecvError::Empty) => return false,
            Err(TryRecvError::Disconnected) => Err("the connection attempt stopped".into()),
        };
        self.probe = None;
        match outcome {
            Ok(store) => {
                self.store = Some(store);
                true
            }
            Err(why) => {
                self.offline.unreachable(now, &why);
                false
            }
        }
    }
}
