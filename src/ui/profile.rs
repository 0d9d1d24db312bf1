//! Who is working and what they have on record: the student and candidate profiles to choose
//! from, creating and choosing one, the chosen profile's drafts, best scores and assessments, and
//! loading its progress dashboard.

use super::app::{AppState, Screen};
use super::progress::ProgressView;
use crate::store::{Mode, Role};

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
