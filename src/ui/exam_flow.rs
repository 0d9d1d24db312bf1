//! The exam workflow: a candidate's timed sitting of an assessment. Start (or resume) it, open
//! its items, submit each one (graded and recorded, no feedback) and finish it. The sitting is
//! drawn by [`super::exam`].

use chrono::{DateTime, Utc};

use super::app::{AppState, Screen};
use super::exam::{ExamItem, ExamView, FinishCheck};
use super::offline::{PendingWork, Saved, store_or_keep};
use super::workspace::Workspace;
use crate::case::generate;
use crate::store::Mode;

impl AppState {
    /// Starts (or resumes) the profile's sitting of assessment `name` and opens its first item
    /// not yet submitted (finishing the sitting when there is none).
    pub(super) fn start_exam(&mut self, name: &str, now: DateTime<Utc>) {
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
        let submitted = match store.sitting_submissions(session, sitting.id) {
            Ok(s) => s,
            Err(e) => {
                // Without it, submitted items would show as open.
                self.status =
                    format!("Cannot start the assessment: could not read your answers: {e}");
                return;
            }
        };
        let items = sitting
            .seeds
            .iter()
            .map(|(id, seed)| ExamItem {
                title: self
                    .scenarios
                    .iter()
                    .find(|s| &s.scenario.id == id)
                    .map_or_else(|| id.clone(), |s| s.scenario.title.clone()),
                submitted: submitted.iter().any(|(s, n)| s == id && n == seed),
                unanswered: false,
                scenario_id: id.clone(),
                seed: *seed,
            })
            .collect();
        self.screen = Screen::Exam(Box::new(ExamView {
            show_drg: sitting.show_drg,
            assessment: name.to_string(),
            sitting_id: sitting.id,
            deadline,
            items,
            current: 0,
            workspace: None,
            finished: false,
            message: String::new(),
            confirm_finish: None,
            finished_at: None,
        }));
        let first = match &self.screen {
            Screen::Exam(e) => e.items.iter().position(|i| !i.submitted),
            Screen::Catalog
            | Screen::Chart(_)
            | Screen::Feedback(_)
            | Screen::Progress(_)
            | Screen::Staff(_) => None,
        };
        match first {
            Some(i) => self.exam_open(i, now),
            None => self.exam_finish(now),
        }
    }

    /// Opens item `index` of the sitting (saving the open one's draft first).
    pub(super) fn exam_open(&mut self, index: usize, now: DateTime<Utc>) {
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
        let (deadline, show_drg) = (e.deadline, e.show_drg);
        let case = generate(&loaded, item.seed, 0);
        let mut w = Workspace::new(loaded, case, Mode::Assessment, now);
        w.deadline = Some(deadline);
        w.show_drg = show_drg;
        self.restore_draft(&mut w);
        if let Screen::Exam(e) = &mut self.screen {
            e.current = index;
            e.workspace = Some(Box::new(w));
        }
    }

    /// Grades and stores the open item (no feedback is shown), then opens the next one.
    pub(super) fn exam_submit(&mut self, now: DateTime<Utc>) {
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

    /// "Finish the assessment": the first time, lists what is not answered or not submitted
    /// and asks; when asked already, finishes.
    pub(super) fn exam_ask_or_finish(&mut self, now: DateTime<Utc>) {
        let Screen::Exam(e) = &self.screen else {
            return;
        };
        if e.finished {
            return;
        }
        if e.confirm_finish.is_some() {
            self.exam_finish(now);
            return;
        }
        let mut check = FinishCheck::default();
        for (i, item) in e.items.iter().enumerate().filter(|(_, i)| !i.submitted) {
            let open = e.workspace.as_deref().filter(|_| e.current == i);
            let answered = match open {
                Some(w) => w.answer != w.case.blank(),
                // Drafts are saved only when something was entered.
                None => self.has_exam_draft(&item.scenario_id, item.seed),
            };
            if answered {
                check.unsubmitted.push(item.title.clone());
            } else {
                check.unanswered.push(item.title.clone());
            }
        }
        if let Screen::Exam(e) = &mut self.screen {
            e.confirm_finish = Some(check);
        }
    }

    /// Whether the profile has an assessment draft of this item.
    fn has_exam_draft(&self, scenario_id: &str, seed: u64) -> bool {
        let (Some(store), Some(session)) = (&self.store, &self.profile) else {
            return false;
        };
        let key = crate::store::DraftKey {
            learner_id: session.person_id(),
            scenario_id: scenario_id.to_string(),
            seed,
            mode: Mode::Assessment,
        };
        matches!(store.load_draft(session, &key), Ok(Some(_)))
    }

    /// Submits every item not yet submitted, as it stands (a blank one is recorded as not
    /// answered), and closes the sitting; the countdown stops.
    pub(super) fn exam_finish(&mut self, now: DateTime<Utc>) {
        if let Screen::Exam(e) = &mut self.screen {
            e.confirm_finish = None;
        }
        // Submit the open item and every item not yet submitted, as they stand.
        loop {
            let next = match &self.screen {
                Screen::Exam(e) if !e.finished => e.items.iter().position(|i| !i.submitted),
                Screen::Catalog
                | Screen::Chart(_)
                | Screen::Feedback(_)
                | Screen::Progress(_)
                | Screen::Staff(_)
                | Screen::Exam(_) => None,
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
            let message = self.exam_submit_only(now);
            let after = matches!(&self.screen, Screen::Exam(e) if e.items.get(i).is_some_and(|x| x.submitted));
            if before == after {
                // Could not record: say why, and stop rather than loop.
                if let Screen::Exam(e) = &mut self.screen
                    && !message.is_empty()
                {
                    e.message = message;
                }
                break;
            }
        }
        if let (Screen::Exam(e), Some(store), Some(session)) =
            (&mut self.screen, &mut self.store, &self.profile)
        {
            let work = PendingWork::FinishSitting {
                learner_id: session.person_id(),
                sitting_id: e.sitting_id,
                at: now,
            };
            let sitting = e.sitting_id;
            let saved = store_or_keep(store, &mut self.offline, session, work, now, |store| {
                store.finish_sitting(session, sitting, &now)
            });
            match saved {
                Saved::Stored(()) => {}
                Saved::Kept(note) => e.message = note,
                Saved::Failed(err) => e.message = format!("Could not close the sitting: {err}"),
            }
            e.finished = true;
            e.finished_at = Some(now);
            e.workspace = None;
        }
    }

    /// Grades and records the open item as part of the sitting, without moving on; says what
    /// happened.
    fn exam_submit_only(&mut self, now: DateTime<Utc>) -> String {
        let Screen::Exam(e) = &mut self.screen else {
            return String::new();
        };
        let Some(mut w) = e.workspace.take() else {
            return String::new();
        };
        let blank = w.answer == w.case.blank();
        super::board::stamp_submission(&mut w);
        let (Some(store), Some(session)) = (&mut self.store, &self.profile) else {
            return "Not recorded: no progress database or profile".to_string();
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
        let work = PendingWork::Attempt {
            attempt: attempt.clone(),
        };
        let saved = store_or_keep(store, &mut self.offline, session, work, now, |store| {
            store.record_attempt_as(session, &attempt)
        });
        let title = &w.scenario.scenario.title;
        let said = match saved {
            Saved::Stored(_) if blank => format!("{title} recorded with no answer"),
            Saved::Stored(_) => format!("{title} submitted"),
            // Kept until the server is back: the sitting moves on.
            Saved::Kept(note) => format!("{title}: {note}"),
            Saved::Failed(err) => return format!("Not recorded: {err}"),
        };
        if let Some(item) = e.items.get_mut(e.current) {
            item.submitted = true;
            item.unanswered = blank;
        }
        said
    }
}
