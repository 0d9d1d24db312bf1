//! Who is working and what they have on record: the student and candidate profiles to choose
//! from, creating and choosing one, the chosen profile's drafts, best scores and assessments, and
//! loading its progress dashboard.
//!
//! A store query that fails is said on the status line ("Could not read …: why") instead of
//! showing as an empty list.

use super::app::{AppState, Screen};
use super::progress::ProgressView;
use crate::store::{Mode, Role, StoreResult};

impl AppState {
    /// Re-reads the profiles to choose from (students and candidates without a password).
    pub(super) fn refresh_profiles(&mut self) {
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

    /// Re-reads the chosen profile's practice drafts, best scores and (for a candidate) the
    /// assessments it may sit.
    pub(super) fn refresh_profile_data(&mut self) {
        self.drafts.clear();
        self.best.clear();
        let (Some(store), Some(session)) = (&self.store, &self.profile) else {
            return;
        };
        let mut problems = Vec::new();
        let drafts = store.list_drafts(session, session.person_id());
        self.drafts = or_note(drafts, "your drafts", &mut problems)
            .into_iter()
            .filter(|d| d.key.mode == Mode::Practice)
            .collect();
        self.assessments = if session.role() == Role::Candidate {
            or_note(store.assessment_names(), "the assessments", &mut problems)
        } else {
            Vec::new()
        };
        let progress = store.scenario_progress(session, session.person_id());
        for p in or_note(progress, "your scores", &mut problems) {
            let entry = self
                .best
                .entry(p.scenario.scenario_id.clone())
                .or_insert((0.0, String::new()));
            entry.0 = entry.0.max(p.best_fraction);
            if p.latest_submitted_at > entry.1 {
                entry.1 = p.latest_submitted_at.clone();
            }
        }
        self.say_problems(&problems);
    }

    /// Creates a student profile with the typed name and works as it.
    pub(super) fn create_profile(&mut self, now: chrono::DateTime<chrono::Utc>) {
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

    /// Works as the student or candidate profile `name` (staff sign in on the staff screen).
    pub(super) fn select_profile(&mut self, name: &str) {
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

    /// Loads the profile's progress dashboard and shows it.
    pub(super) fn show_progress(&mut self) {
        let (Some(store), Some(session)) = (&self.store, &self.profile) else {
            self.status = "Choose a profile to see progress".into();
            return;
        };
        let id = session.person_id();
        let mut problems = Vec::new();
        let weak = store.weakest_criteria(session, id, 10);
        let weak = or_note(weak, "your weakest criteria", &mut problems);
        let weak = super::progress::describe_weak(&self.root, &self.scenarios, weak);
        let history = store.learner_history(session, id);
        let scenarios = store.scenario_progress(session, id);
        let mastery = store.competency_mastery(session, id);
        let view = ProgressView {
            learner: session.name().to_string(),
            history: or_note(history, "your attempts", &mut problems),
            scenarios: or_note(scenarios, "your scores", &mut problems),
            mastery: or_note(mastery, "your mastery", &mut problems),
            weak,
        };
        self.screen = Screen::Progress(Box::new(view));
        self.say_problems(&problems);
    }

    /// Puts the queries that failed on the status line (nothing when none did).
    fn say_problems(&mut self, problems: &[String]) {
        if !problems.is_empty() {
            self.status = format!("Could not read {}", problems.join("; "));
        }
    }
}

/// What a store query found, or an empty value with what could not be read and why noted in
/// `problems`.
fn or_note<T: Default>(found: StoreResult<T>, what: &str, problems: &mut Vec<String>) -> T {
    found.unwrap_or_else(|e| {
        problems.push(format!("{what}: {e}"));
        T::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library::ContentRoot;
    use crate::store::Store;
    use crate::ui::app::Command;

    fn now() -> chrono::DateTime<chrono::Utc> {
        chrono::DateTime::parse_from_rfc3339("2024-05-06T12:00:00Z")
            .expect("time")
            .to_utc()
    }

    /// The app over the shipped content with profile "Pat" chosen, whose database then loses
    /// `table`.
    fn state_without(table: &str) -> AppState {
        let root = ContentRoot::at(env!("CARGO_MANIFEST_DIR"));
        let mut state = AppState::load(root, Store::open_in_memory().map_err(|e| e.to_string()));
        state.apply(Command::SetNewProfileName("Pat".into()), None, now());
        state.apply(Command::CreateProfile, None, now());
        assert_eq!(state.status, "Working as Pat");
        let store = state.store.as_ref().expect("store");
        store
            .conn()
            .execute_batch(&format!("DROP TABLE {table}"))
            .expect("drop");
        state
    }

    #[test]
    fn a_failed_read_of_the_drafts_is_said_on_the_status_line() {
        let mut state = state_without("drafts");
        state.apply(Command::ShowCatalog, None, now());
        assert!(
            state.status.starts_with("Could not read your drafts: "),
            "{}",
            state.status
        );
    }

    #[test]
    fn a_failed_read_of_the_progress_is_said_on_the_status_line() {
        let mut state = state_without("attempt_competencies");
        state.apply(Command::ShowProgress, None, now());
        assert!(matches!(state.screen, Screen::Progress(_)));
        assert!(
            state.status.starts_with("Could not read your mastery: "),
            "{}",
            state.status
        );
    }
}
