//! Instructor and employer screens (signed in): sign-in, scenario studio, gradebook, people and
//! cohorts, assessments. Reached from the top bar's "Staff" button.
//!
//! Invariants: nothing past the sign-in form is drawn unless `AppState::staff_session` holds an
//! instructor or employer admin; drawing functions (`*_ui`) only read [`StaffState`] and push
//! [`StaffCommand`]s; every database and file operation happens in [`apply`], after the frame.
//! Data the screens show (people, gradebook, results…) is loaded into [`StaffState`] by
//! [`StaffCommand::Refresh`] and after each change, never while drawing.

mod assessments;
mod gradebook;
mod people;
mod signin;
mod studio;
mod studio_editor;

use chrono::{DateTime, Utc};
use egui::{RichText, Ui};

use super::app::{AppState, Command};
use super::theme;

pub use assessments::AssessmentsState;
pub use gradebook::GradebookState;
pub use people::PeopleState;
pub use studio::StudioState;
pub use studio_editor::{Editor, EditorCommand, backup_path, save_with_backup};

/// The staff screens' tabs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Tab {
    /// Scenario library, preview, answer key and rubric dry run.
    #[default]
    Studio,
    /// Cohort × scenario results, attempt reports, overrides, item analysis, export.
    Gradebook,
    /// People and cohorts.
    People,
    /// Employer assessments: build, register, results, audit, report.
    Assessments,
}

impl Tab {
    const ALL: [Self; 4] = [
        Self::Studio,
        Self::Gradebook,
        Self::People,
        Self::Assessments,
    ];

    fn label(self) -> &'static str {
        match self {
            Self::Studio => "Scenario studio",
            Self::Gradebook => "Gradebook",
            Self::People => "People and cohorts",
            Self::Assessments => "Assessments",
        }
    }
}

/// A text field of a staff form (one enum so one command edits any of them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// Sign-in name.
    SignInName,
    /// Sign-in password.
    SignInPassword,
    /// Studio: seed to preview.
    StudioSeed,
    /// Studio: typed answer (RON).
    StudioAnswer,
    /// Gradebook: learner filter.
    GradebookFilter,
    /// Gradebook: override's new score.
    OverrideScore,
    /// Gradebook: override's comment.
    OverrideComment,
    /// Gradebook: export file path.
    ExportPath,
    /// People: new person's name.
    PersonName,
    /// People: new person's password.
    PersonPassword,
    /// People: new cohort's name.
    CohortName,
    /// People: cohort to add a member to.
    MemberCohort,
    /// People: person to add to the cohort.
    MemberPerson,
    /// Assessments: name.
    AssessmentName,
    /// Assessments: time limit in minutes.
    AssessmentMinutes,
    /// Assessments: pass mark in percent.
    AssessmentPassPercent,
    /// Assessments: master seed.
    AssessmentSeed,
    /// Assessments: candidate to register.
    CandidateName,
    /// Assessments: report file path.
    ReportPath,
    /// Assessments: the private key file to seal with.
    SealKeyPath,
    /// Assessments: the public key file to check seals with.
    PublicKeyPath,
}

/// The outcome of the last action, shown under the tabs of the screen that produced it (a new
/// tab clears it) until dismissed with its ×.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// It worked.
    Done(String),
    /// It did not; the text says why and what to do.
    Failed(String),
    /// A file was written: what, and its full path (with "Copy path").
    Written {
        /// What was written (e.g. `Assessment report`).
        what: String,
        /// The full path.
        path: std::path::PathBuf,
    },
}

/// The staff screens' state.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StaffState {
    /// The tab showing.
    pub tab: Tab,
    /// Whether [`StaffCommand::Refresh`] has run since the screen opened.
    pub loaded: bool,
    /// Whether the database has an instructor or employer admin (None until checked).
    pub has_privileged: Option<bool>,
    /// Name typed in the sign-in form.
    pub name: String,
    /// Password typed in the sign-in form (cleared after each attempt; never stored).
    pub password: String,
    /// The last sign-in error.
    pub error: Option<String>,
    /// The last action's outcome.
    pub notice: Option<Notice>,
    /// Scenario studio.
    pub studio: StudioState,
    /// Gradebook.
    pub gradebook: GradebookState,
    /// People and cohorts.
    pub people: PeopleState,
    /// Assessments.
    pub assessments: AssessmentsState,
}

impl StaffState {
    fn field_mut(&mut self, field: Field) -> &mut String {
        match field {
            Field::SignInName => &mut self.name,
            Field::SignInPassword => &mut self.password,
            Field::StudioSeed => &mut self.studio.seed,
            Field::StudioAnswer => &mut self.studio.answer,
            Field::GradebookFilter => &mut self.gradebook.filter,
            Field::OverrideScore => &mut self.gradebook.override_score,
            Field::OverrideComment => &mut self.gradebook.override_comment,
            Field::ExportPath => &mut self.gradebook.export_path,
            Field::PersonName => &mut self.people.new_name,
            Field::PersonPassword => &mut self.people.new_password,
            Field::CohortName => &mut self.people.new_cohort,
            Field::MemberCohort => &mut self.people.member_cohort,
            Field::MemberPerson => &mut self.people.member_person,
            Field::AssessmentName => &mut self.assessments.name,
            Field::AssessmentMinutes => &mut self.assessments.minutes,
            Field::AssessmentPassPercent => &mut self.assessments.pass_percent,
            Field::AssessmentSeed => &mut self.assessments.master_seed,
            Field::CandidateName => &mut self.assessments.candidate,
            Field::ReportPath => &mut self.assessments.report_path,
            Field::SealKeyPath => &mut self.assessments.seal_key_path,
            Field::PublicKeyPath => &mut self.assessments.public_key_path,
        }
    }
}

/// What the staff screens ask for.
#[derive(Debug, Clone, PartialEq)]
pub enum StaffCommand {
    /// Edit a text field.
    Set(Field, String),
    /// Edit the sign-in name (kept for callers of the first placeholder).
    SetName(String),
    /// Edit the sign-in password (kept for callers of the first placeholder).
    SetPassword(String),
    /// Load what the screens show from the database and the scenario folder.
    Refresh,
    /// Sign in with the typed name and password.
    SignIn,
    /// First run: create the first instructor account with the typed name and password.
    CreateFirstInstructor,
    /// Sign out.
    SignOut,
    /// Dismiss the notice.
    DismissNotice,
    /// Show a tab.
    ShowTab(Tab),
    /// A scenario-studio command.
    Studio(studio::StudioCommand),
    /// A command of the studio's scenario editor.
    Editor(studio_editor::EditorCommand),
    /// A gradebook command.
    Gradebook(gradebook::GradebookCommand),
    /// A people-and-cohorts command.
    People(people::PeopleCommand),
    /// An assessments command.
    Assessments(assessments::AssessmentsCommand),
}

/// Draws the staff screens: the sign-in form until an instructor or employer admin signs in.
pub(crate) fn staff_ui(ui: &mut Ui, state: &AppState, staff: &StaffState, out: &mut Vec<Command>) {
    if !staff.loaded {
        out.push(Command::Staff(StaffCommand::Refresh));
    }
    let signed_in = state
        .staff_session
        .as_ref()
        .filter(|s| s.role().is_privileged());
    if signed_in.is_none() {
        egui::CentralPanel::default().show(ui, |ui| signin::signin_ui(ui, state, staff, out));
        return;
    };
    egui::Panel::top("staff_tabs").show(ui, |ui| {
        ui.horizontal(|ui| {
            for tab in Tab::ALL {
                if ui.selectable_label(staff.tab == tab, tab.label()).clicked() {
                    out.push(Command::Staff(StaffCommand::ShowTab(tab)));
                }
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui.button("Sign out").clicked() {
                    out.push(Command::Staff(StaffCommand::SignOut));
                }
            });
        });
        notice_ui(ui, staff.notice.as_ref(), out);
    });
    egui::CentralPanel::default().show(ui, |ui| match staff.tab {
        Tab::Studio => studio::studio_ui(ui, state, &staff.studio, out),
        Tab::Gradebook => gradebook::gradebook_ui(ui, &staff.gradebook, out),
        Tab::People => people::people_ui(ui, &staff.people, out),
        Tab::Assessments => assessments::assessments_ui(ui, state, &staff.assessments, out),
    });
}

fn notice_ui(ui: &mut Ui, notice: Option<&Notice>, out: &mut Vec<Command>) {
    let Some(notice) = notice else {
        return;
    };
    let dark = theme::is_dark(ui.ctx());
    ui.horizontal_wrapped(|ui| {
        match notice {
            Notice::Done(text) => {
                ui.label(RichText::new(text).color(theme::success(dark)));
            }
            Notice::Failed(text) => {
                ui.label(RichText::new(text).color(theme::alert(dark)).strong());
            }
            Notice::Written { what, path } => {
                ui.label(
                    RichText::new(format!("{what} written to {}", path.display()))
                        .color(theme::success(dark)),
                );
                if ui.button("Copy path").clicked() {
                    ui.ctx().copy_text(path.display().to_string());
                }
            }
        }
        let b = ui.button("×").on_hover_text("Dismiss this message");
        b.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, "Dismiss"));
        if b.clicked() {
            out.push(Command::Staff(StaffCommand::DismissNotice));
        }
    });
}

/// A labelled single-line text input; pushes [`StaffCommand::Set`] when edited.
fn text_input(ui: &mut Ui, label: &str, value: &str, field: Field, out: &mut Vec<Command>) {
    text_input_sized(ui, label, value, field, false, 220.0, out);
}

fn text_input_sized(
    ui: &mut Ui,
    label: &str,
    value: &str,
    field: Field,
    password: bool,
    width: f32,
    out: &mut Vec<Command>,
) -> egui::Response {
    ui.horizontal(|ui| {
        ui.label(label);
        field_edit(ui, label, value, field, password, width, out)
    })
    .inner
}

/// The text box of [`text_input_sized`] alone (its visible label drawn by the caller), with
/// `label` as its accessible name.
fn field_edit(
    ui: &mut Ui,
    label: &str,
    value: &str,
    field: Field,
    password: bool,
    width: f32,
    out: &mut Vec<Command>,
) -> egui::Response {
    let mut text = value.to_string();
    let r = ui.add(
        egui::TextEdit::singleline(&mut text)
            .password(password)
            .desired_width(width),
    );
    let owned = label.to_string();
    r.widget_info(move || egui::WidgetInfo::labeled(egui::Role::TextInput, true, owned.clone()));
    if text != value {
        out.push(Command::Staff(StaffCommand::Set(field, text)));
    }
    r
}

/// A button at its natural width (inside `ui.columns`, plain buttons stretch to the column).
fn button(ui: &mut Ui, label: &str) -> bool {
    ui.horizontal(|ui| ui.button(label).clicked()).inner
}

/// Applies a staff command.
pub fn apply(
    state: &mut AppState,
    staff: &mut StaffState,
    command: StaffCommand,
    now: DateTime<Utc>,
) {
    match command {
        StaffCommand::Set(field, text) => *staff.field_mut(field) = text,
        StaffCommand::SetName(n) => staff.name = n,
        StaffCommand::SetPassword(p) => staff.password = p,
        StaffCommand::Refresh => refresh(state, staff, now),
        StaffCommand::SignIn => signin::sign_in(state, staff, now),
        StaffCommand::CreateFirstInstructor => signin::create_first(state, staff, now),
        StaffCommand::SignOut => {
            state.staff_session = None;
            *staff = StaffState::default();
        }
        StaffCommand::DismissNotice => staff.notice = None,
        StaffCommand::ShowTab(tab) => {
            staff.tab = tab;
            staff.notice = None;
            refresh(state, staff, now);
        }
        StaffCommand::Studio(c) => studio::apply(state, staff, c),
        StaffCommand::Editor(c) => studio_editor::apply(state, staff, c),
        StaffCommand::Gradebook(c) => gradebook::apply(state, staff, c, now),
        StaffCommand::People(c) => {
            people::apply(state, staff, c, now);
            // A person added here is a profile to choose from at once.
            state.refresh_profiles();
        }
        StaffCommand::Assessments(c) => {
            assessments::apply(state, staff, c, now);
            // A registered candidate is a profile to choose from, and can sit the assessment.
            state.refresh_profiles();
            state.refresh_profile_data();
        }
    }
}

/// Reloads what the signed-in screens show (or, signed out, whether first-run setup is due).
fn refresh(state: &mut AppState, staff: &mut StaffState, now: DateTime<Utc>) {
    staff.loaded = true;
    let Some(store) = state.store.as_ref() else {
        return;
    };
    match store.has_privileged_account() {
        Ok(has) => staff.has_privileged = Some(has),
        Err(e) => staff.error = Some(e.to_string()),
    }
    let Some(session) = state.staff_session.clone() else {
        return;
    };
    match staff.tab {
        Tab::Studio => studio::refresh(state, staff),
        Tab::Gradebook => gradebook::refresh(state, &session, staff),
        Tab::People => people::refresh(state, staff),
        Tab::Assessments => assessments::refresh(state, &session, staff, now),
    }
}

/// Records an action's outcome as the notice.
fn report<T, E: std::fmt::Display>(
    staff: &mut StaffState,
    result: Result<T, E>,
    done: impl FnOnce(&T) -> String,
) -> Option<T> {
    match result {
        Ok(v) => {
            staff.notice = Some(Notice::Done(done(&v)));
            Some(v)
        }
        Err(e) => {
            staff.notice = Some(Notice::Failed(e.to_string()));
            None
        }
    }
}

/// Percent with one decimal.
fn percent(fraction: f64) -> String {
    format!("{:.1}%", fraction * 100.0)
}
