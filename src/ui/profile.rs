//! Who is working and what they have on record: the student and candidate profiles to choose
//! from, creating and choosing one, the chosen profile's drafts, best scores and assessments, and
//! loading its progress dashboard.
//!
//! A store query that fails is said on the status line ("Could not read …: why") instead of
//! showing as an empty list.

use egui::{RichText, Ui};

use super::app::{AppState, Command, Screen};
use super::command::ProfileCommand;
use super::progress::ProgressView;
use super::theme;
use crate::store::{Mode, Role, StoreResult};

/// The sign-in fields being typed in the catalog's profile area.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SignInForm {
    /// The optional PIN or password of the new student profile.
    pub new_pin: String,
    /// The profile whose PIN is being asked for.
    pub unlock: Option<String>,
    /// The PIN or password typed for it.
    pub unlock_secret: String,
    /// A candidate's name.
    pub candidate_name: String,
    /// A candidate's access code.
    pub candidate_code: String,
}

impl AppState {
    /// Re-reads the student profiles to choose from (candidates sign in with their access code
    /// and are not listed).
    pub(super) fn refresh_profiles(&mut self) {
        let Some(store) = &self.store else {
            return;
        };
        match store.list_people() {
            Ok(people) => {
                self.profiles = people
                    .into_iter()
                    .filter(|p| p.role == Role::Student)
                    .map(|p| (p.name, p.has_password))
                    .collect();
            }
            Err(e) => self.status = format!("Could not read profiles: {e}"),
        }
    }

    /// Re-reads the chosen profile's practice drafts, best scores and (for a candidate) the
    /// assessments they are registered for.
    pub(super) fn refresh_profile_data(&mut self) {
        self.drafts.clear();
        self.best.clear();
        self.assessments.clear();
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
            or_note(
                store.assessments_of(session),
                "your assessments",
                &mut problems,
            )
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

    /// Creates a student profile with the typed name (and PIN or password, if typed) and works
    /// as it.
    pub(super) fn create_profile(&mut self, now: chrono::DateTime<chrono::Utc>) {
        let name = self.new_profile_name.trim().to_string();
        let Some(store) = &mut self.store else {
            self.status = "No progress database: work is not saved".into();
            return;
        };
        let pin = Some(self.sign_in.new_pin.as_str()).filter(|p| !p.is_empty());
        match store.create_own_student_profile(&name, pin, &now) {
            Ok(session) => {
                self.sign_in.new_pin.clear();
                self.new_profile_name.clear();
                self.work_as(session, now);
                self.refresh_profiles();
            }
            Err(e) => self.status = format!("Could not create the profile: {e}"),
        }
    }

    /// Works as the student profile `name`; one with a PIN or password asks for it first
    /// (staff sign in on the staff screen, candidates with their access code).
    pub(super) fn select_profile(&mut self, name: &str, now: chrono::DateTime<chrono::Utc>) {
        let locked = self.profiles.iter().any(|(n, locked)| n == name && *locked);
        if locked {
            self.sign_in.unlock = Some(name.to_string());
            self.sign_in.unlock_secret.clear();
            return;
        }
        self.sign_in_as(name, None, Role::Student, now);
    }

    /// Applies a sign-in form command.
    pub(super) fn apply_profile(&mut self, c: ProfileCommand, now: chrono::DateTime<chrono::Utc>) {
        let f = &mut self.sign_in;
        match c {
            ProfileCommand::SetNewPin(t) => f.new_pin = t,
            ProfileCommand::SetUnlockSecret(t) => f.unlock_secret = t,
            ProfileCommand::CancelUnlock => {
                f.unlock = None;
                f.unlock_secret.clear();
            }
            ProfileCommand::Unlock => {
                let Some(name) = f.unlock.clone() else {
                    return;
                };
                let secret = std::mem::take(&mut f.unlock_secret);
                if self.sign_in_as(&name, Some(&secret), Role::Student, now) {
                    self.sign_in.unlock = None;
                }
            }
            ProfileCommand::SetCandidateName(t) => f.candidate_name = t,
            ProfileCommand::SetCandidateCode(t) => f.candidate_code = t,
            ProfileCommand::CandidateSignIn => {
                let name = f.candidate_name.trim().to_string();
                // The code is never kept once used, whatever the outcome.
                let code = std::mem::take(&mut f.candidate_code);
                if self.sign_in_as(&name, Some(&code), Role::Candidate, now) {
                    self.sign_in.candidate_name.clear();
                }
            }
            ProfileCommand::SignOut => {
                self.save_draft(now);
                if let Some(p) = self.profile.take() {
                    self.status = format!("{} signed out", p.name());
                }
                self.screen = Screen::Catalog;
                self.refresh_profile_data();
            }
        }
    }

    /// Signs `name` in with `secret` as a `role` (a student or a candidate) and works as them;
    /// says why not on the status line. Returns whether it worked.
    fn sign_in_as(
        &mut self,
        name: &str,
        secret: Option<&str>,
        role: Role,
        now: chrono::DateTime<chrono::Utc>,
    ) -> bool {
        let Some(store) = &mut self.store else {
            self.status = "No progress database: work is not saved".into();
            return false;
        };
        match store.sign_in(name, secret) {
            Ok(session) if session.role() == role => {
                self.work_as(session, now);
                true
            }
            Ok(_) | Err(crate::store::StoreError::SignInFailed { .. }) => {
                self.status = match role {
                    Role::Candidate => "The name or access code is not right: check both, or ask \
                                        the employer for a new code"
                        .into(),
                    Role::Student | Role::Instructor | Role::EmployerAdmin => {
                        format!("The PIN or password for {name} is not right")
                    }
                };
                false
            }
            Err(e) => {
                self.status = format!("Could not sign in: {e}");
                false
            }
        }
    }

    /// Works as `session` from now on (the open work of the previous profile saved first).
    fn work_as(&mut self, session: crate::store::Session, now: chrono::DateTime<chrono::Utc>) {
        self.save_draft(now);
        self.status = format!("Working as {}", session.name());
        self.profile = Some(session);
        self.refresh_profile_data();
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
            titles: self
                .scenarios
                .iter()
                .map(|s| (s.scenario.id.clone(), s.scenario.title.clone()))
                .collect(),
            awaiting_release: if session.role() == Role::Candidate {
                or_note(
                    store.unreleased_assessments_of(session),
                    "your assessments",
                    &mut problems,
                )
            } else {
                Vec::new()
            },
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

/// A single-line input with an accessible name; Enter in it pushes `submit`. Returns the new
/// text when it changed.
/// The sign-in fields' ids: fixed by their names, wherever they are laid out.
fn field_id(name: &str) -> egui::Id {
    egui::Id::unique(("sign_in", name))
}

/// A single-line field. A change is queued before the field's submit (Enter), so text typed in
/// the same frame as Enter is part of what is submitted; `submit` sees the text as it is now.
#[allow(clippy::too_many_arguments)]
fn input(
    ui: &mut Ui,
    name: &str,
    text: &str,
    secret: bool,
    width: f32,
    change: impl FnOnce(String) -> Command,
    submit: impl FnOnce(&str) -> Option<Command>,
    out: &mut Vec<Command>,
) {
    let mut t = text.to_string();
    let r = ui.add(
        egui::TextEdit::singleline(&mut t)
            .id(field_id(name))
            .hint_text(name)
            .password(secret)
            .desired_width(width),
    );
    let label = name.to_string();
    r.widget_info(move || egui::WidgetInfo::labeled(egui::Role::TextInput, true, label.clone()));
    let entered = r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
    let submitted = entered.then(|| submit(&t)).flatten();
    if t != text {
        out.push(change(t));
    }
    out.extend(submitted);
}

/// The sign-in area of the catalog: who is working (with Sign out), the student profiles to
/// choose (a locked one asks for its PIN), a new profile with an optional PIN, and a
/// candidate's sign-in with the access code their employer issued. Enter submits each form;
/// Escape closes the PIN prompt. Returns false when there is no progress database.
pub(super) fn sign_in_ui(ui: &mut Ui, state: &AppState, out: &mut Vec<Command>) -> bool {
    let dark = theme::is_dark(ui.ctx());
    if let Some(e) = &state.store_error {
        ui.label(
            RichText::new(format!(
                "Progress is not being saved: the progress database could not be opened ({e}). Set EHR_SIM_DB to a writable file to fix this."
            ))
            .color(theme::alert(dark)),
        );
        return false;
    }
    let f = &state.sign_in;
    if let Some(p) = &state.profile {
        ui.horizontal_wrapped(|ui| {
            let who = match p.role() {
                Role::Candidate => "Candidate",
                Role::Student | Role::Instructor | Role::EmployerAdmin => "Learner",
            };
            ui.label(RichText::new(format!("{who}: {}", p.name())).strong());
            if ui.button("Sign out").clicked() {
                out.push(Command::Profile(ProfileCommand::SignOut));
            }
        });
    }
    if state.profile.is_none()
        || state
            .profile
            .as_ref()
            .is_some_and(|p| p.role() == Role::Student)
    {
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new("Student profiles").strong());
            if state.profiles.is_empty() {
                ui.label(theme::caption("none yet: create one below"));
            }
            let current = state.profile.as_ref().map(|p| p.name().to_string());
            for (name, locked) in &state.profiles {
                let text = if *locked {
                    format!("{name} (PIN)")
                } else {
                    name.clone()
                };
                let r = ui.selectable_label(current.as_deref() == Some(name.as_str()), text);
                let label = format!("Profile {name}");
                r.widget_info(move || {
                    egui::WidgetInfo::labeled(egui::Role::Button, true, label.clone())
                });
                if r.clicked() {
                    out.push(Command::SelectProfile(name.clone()));
                }
            }
        });
    }
    if let Some(name) = &f.unlock {
        ui.horizontal_wrapped(|ui| {
            ui.label(format!("PIN or password for {name}"));
            input(
                ui,
                "Profile PIN or password",
                &f.unlock_secret,
                true,
                140.0,
                |t| Command::Profile(ProfileCommand::SetUnlockSecret(t)),
                |_| Some(Command::Profile(ProfileCommand::Unlock)),
                out,
            );
            if ui.button("Open profile").clicked() {
                out.push(Command::Profile(ProfileCommand::Unlock));
            }
            if ui.button("Cancel").clicked() || ui.input(|i| i.key_pressed(egui::Key::Escape)) {
                out.push(Command::Profile(ProfileCommand::CancelUnlock));
            }
        });
    }
    if state.profile.is_none() {
        new_profile_ui(ui, state, out);
        candidate_ui(ui, f, out);
        ui.label(theme::caption(
            "Choose or create a profile to keep your progress; candidates sign in with the access code their employer gave them.",
        ));
    }
    true
}

fn new_profile_ui(ui: &mut Ui, state: &AppState, out: &mut Vec<Command>) {
    let f = &state.sign_in;
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new("New profile").strong());
        let can_create = !state.new_profile_name.trim().is_empty();
        // Enter in the name field creates the profile with the name as typed so far, this
        // frame's last keys included.
        input(
            ui,
            "New profile name",
            &state.new_profile_name,
            false,
            180.0,
            Command::SetNewProfileName,
            |name| (!name.trim().is_empty()).then_some(Command::CreateProfile),
            out,
        );
        input(
            ui,
            "PIN or password (optional)",
            &f.new_pin,
            true,
            170.0,
            |t| Command::Profile(ProfileCommand::SetNewPin(t)),
            |_| can_create.then_some(Command::CreateProfile),
            out,
        );
        if ui
            .add_enabled(can_create, egui::Button::new("Create profile"))
            .clicked()
        {
            out.push(Command::CreateProfile);
        }
    });
}

fn candidate_ui(ui: &mut Ui, f: &SignInForm, out: &mut Vec<Command>) {
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new("Candidate sign-in").strong());
        let submit = |_: &str| Some(Command::Profile(ProfileCommand::CandidateSignIn));
        input(
            ui,
            "Candidate name",
            &f.candidate_name,
            false,
            180.0,
            |t| Command::Profile(ProfileCommand::SetCandidateName(t)),
            submit,
            out,
        );
        input(
            ui,
            "Access code",
            &f.candidate_code,
            true,
            150.0,
            |t| Command::Profile(ProfileCommand::SetCandidateCode(t)),
            submit,
            out,
        );
        if ui.button("Sign in").clicked() {
            out.push(Command::Profile(ProfileCommand::CandidateSignIn));
        }
    });
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

    /// Keys and Enter typed in one frame: the text change is queued before the submit, and the
    /// submit sees the whole text (before, it saw the text of the frame before: "P").
    #[test]
    fn text_typed_with_enter_in_one_frame_is_queued_before_the_submit() {
        let ctx = egui::Context::default();
        let text = "P".to_string();
        let frame = |events: Vec<egui::Event>, text: &str| {
            let mut out = Vec::new();
            let raw = egui::RawInput {
                events,
                ..Default::default()
            };
            let mut output = ctx.run_ui(raw, |ui| {
                input(
                    ui,
                    "Name",
                    text,
                    false,
                    120.0,
                    Command::SetNewProfileName,
                    |t| (!t.is_empty()).then(|| Command::SetNewProfileName(format!("submit {t}"))),
                    &mut out,
                );
            });
            output.textures_delta.clear();
            out
        };
        assert!(frame(vec![], &text).is_empty());
        ctx.memory_mut(|m| m.request_focus(field_id("Name")));
        assert!(frame(vec![], &text).is_empty());
        let out = frame(
            vec![
                egui::Event::Text("at".to_string()),
                egui::Event::Key {
                    key: egui::Key::Enter,
                    physical_key: None,
                    pressed: true,
                    repeat: false,
                    modifiers: egui::Modifiers::NONE,
                },
            ],
            &text,
        );
        let said: Vec<String> = out
            .into_iter()
            .filter_map(|c| {
                if let Command::SetNewProfileName(t) = c {
                    Some(t)
                } else {
                    None
                }
            })
            .collect();
        assert_eq!(said, ["Pat", "submit Pat"]);
    }
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
            .batch(&format!("DROP TABLE {table}"))
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
