//! The practice workflow: open a scenario's case (a new variant, the same case again, a saved
//! draft), keep the answer as a draft (on request and by autosave) and submit it for grading and
//! the feedback report.

use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};

use super::app::{AppState, Screen};
use super::feedback::FeedbackView;
use super::offline::{PendingWork, Saved, store_or_keep};
use super::workspace::Workspace;
use crate::case::generate;
use crate::store::{DraftKey, Mode, Session};

/// How often a changed answer is saved as a draft.
const AUTOSAVE_EVERY: Duration = Duration::from_secs(3);

impl AppState {
    /// Opens scenario `id`'s case for `seed` in the chart (practice), restoring the profile's
    /// draft of it if there is one.
    pub(super) fn open(&mut self, id: &str, seed: u64, now: DateTime<Utc>) {
        self.save_draft(now);
        let Some(loaded) = self.scenarios.iter().find(|s| s.scenario.id == id).cloned() else {
            self.status = format!("No scenario `{id}` — reload the library");
            return;
        };
        if let Some(why) = self.closed_to_practice(id, now) {
            self.status = why;
            return;
        }
        let case = generate(&loaded, seed, 0);
        self.status = format!("{} — seed {seed}", loaded.scenario.title);
        let mut w = Workspace::new(loaded, case, Mode::Practice, now);
        // Offer back unfinished work on this very case.
        self.restore_draft(&mut w);
        self.screen = Screen::Chart(Box::new(w));
    }

    /// Why scenario `id` cannot be practised now: it is part of an assessment the profile is
    /// sitting (the store refuses such an attempt too). `None` when it can, or when the program
    /// server cannot be asked.
    fn closed_to_practice(&self, id: &str, now: DateTime<Utc>) -> Option<String> {
        let (Some(store), Some(session)) = (&self.store, &self.profile) else {
            return None;
        };
        match store.closed_to_practice(session, &now) {
            Ok(closed) => closed.into_iter().find(|(s, _)| s == id).map(|(_, name)| {
                format!("Practice of this scenario is closed while you sit the assessment {name}")
            }),
            // Without the server the case opens: recording the attempt checks again, and a
            // submission kept on this computer meanwhile is refused then if practice was closed.
            Err(e) if e.is_connection_lost() => None,
            Err(e) => Some(format!("Could not check your assessments: {e}")),
        }
    }

    /// Opens the scenario of the open case (or of the report) again: the next seed when
    /// `next_variant`, else the same case.
    pub(super) fn reopen(&mut self, next_variant: bool, now: DateTime<Utc>) {
        let current = match &self.screen {
            Screen::Chart(w) => Some((w.scenario.scenario.id.clone(), w.case.seed)),
            Screen::Feedback(f) => Some((
                f.workspace.scenario.scenario.id.clone(),
                f.workspace.case.seed,
            )),
            Screen::Catalog | Screen::Progress(_) | Screen::Staff(_) | Screen::Exam(_) => None,
        };
        if let Some((id, seed)) = current {
            let seed = if next_variant {
                seed.wrapping_add(1)
            } else {
                seed
            };
            self.open(&id, seed, now);
        }
    }

    /// Opens the case of the profile's draft number `index`.
    pub(super) fn resume(&mut self, index: usize, now: DateTime<Utc>) {
        let Some(draft) = self.drafts.get(index).cloned() else {
            return;
        };
        self.open(&draft.key.scenario_id, draft.key.seed, now);
    }

    /// Restores the profile's saved draft of the workspace's case (same scenario version,
    /// seed and mode), if there is one; a draft that cannot be read is said in the task pane.
    pub(super) fn restore_draft(&self, w: &mut Workspace) {
        let (Some(store), Some(session)) = (&self.store, &self.profile) else {
            return;
        };
        let key = draft_key(session, w);
        // A draft kept on this computer while the server was unreachable is the newest.
        let kept = store
            .server_url()
            .and_then(|server| self.offline.draft(server, &key));
        if let Some((hash, payload)) = kept {
            if hash == w.scenario.content_sha256
                && let Ok(answer) = serde_json::from_str(payload)
            {
                w.restore(answer);
                w.note = "Draft kept on this computer restored (not yet on the program server)"
                    .to_string();
            }
            return;
        }
        match store.load_draft(session, &key) {
            Ok(Some(draft)) => {
                if draft.scenario_version_hash == w.scenario.content_sha256
                    && let Ok(answer) = serde_json::from_str(&draft.payload)
                {
                    w.restore(answer);
                    w.note = format!("Draft from {} restored", draft.updated_at);
                }
            }
            Ok(None) => {}
            Err(e) => w.note = format!("Draft not restored: {e}"),
        }
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
            Screen::Catalog
            | Screen::Feedback(_)
            | Screen::Progress(_)
            | Screen::Staff(_)
            | Screen::Exam(_) => return,
        };
        if !w.dirty {
            return;
        }
        let key = draft_key(session, w);
        let payload = w.answer.to_string();
        let hash = &w.scenario.content_sha256;
        let work = PendingWork::Draft {
            key: key.clone(),
            scenario_version_hash: hash.clone(),
            payload: payload.clone(),
            saved_at: now,
        };
        let saved = store_or_keep(store, &mut self.offline, session, work, now, |store| {
            store.save_draft(session, &key, hash, &payload, &now)
        });
        match saved {
            Saved::Stored(()) => {
                w.dirty = false;
                w.note = format!("Draft saved {}", now.format("%H:%M:%S"));
            }
            Saved::Kept(note) => {
                w.dirty = false;
                w.note = note;
            }
            Saved::Failed(e) => w.note = format!("Draft not saved: {e}"),
        }
        self.last_autosave = Some(Instant::now());
    }

    /// Saves the draft if it changed and the last save is a few seconds old.
    pub fn autosave(&mut self, now: DateTime<Utc>) {
        let due = self
            .last_autosave
            .is_none_or(|t| t.elapsed() >= AUTOSAVE_EVERY);
        // A sitting's open item is autosaved like a practice case.
        let dirty = match &self.screen {
            Screen::Chart(w) => w.dirty,
            Screen::Exam(e) => !e.finished && e.workspace.as_ref().is_some_and(|w| w.dirty),
            Screen::Catalog | Screen::Feedback(_) | Screen::Progress(_) | Screen::Staff(_) => false,
        };
        if due && dirty {
            self.save_draft(now);
        }
    }

    /// Grades the open practice answer, stores the attempt for the profile and shows the
    /// feedback report.
    pub(super) fn submit(&mut self, now: DateTime<Utc>) {
        let Screen::Chart(w) = &mut self.screen else {
            return;
        };
        super::board::stamp_submission(w);
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
                let work = PendingWork::Attempt {
                    attempt: attempt.clone(),
                };
                let saved = store_or_keep(store, &mut self.offline, session, work, now, |store| {
                    store.record_attempt_as(session, &attempt)
                });
                match saved {
                    Saved::Stored(id) => format!("Saved as attempt #{id} for {}", session.name()),
                    Saved::Kept(note) => note,
                    Saved::Failed(e) => format!("Not saved: {e}"),
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
        // Kept on this computer: the server has nothing new to read (and cannot be read).
        let kept = stored.starts_with(super::offline::KEPT_NOTE);
        self.screen = Screen::Feedback(Box::new(FeedbackView {
            workspace: *w,
            report,
            stored,
            in_chart: false,
        }));
        if !kept {
            self.refresh_profile_data();
        }
    }
}

/// The key of `session`'s draft of the workspace's case: its scenario, seed and mode.
fn draft_key(session: &Session, w: &Workspace) -> DraftKey {
    DraftKey {
        learner_id: session.person_id(),
        scenario_id: w.scenario.scenario.id.clone(),
        seed: w.case.seed,
        mode: w.mode,
    }
}
