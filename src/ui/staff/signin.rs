//! The staff sign-in form, and first-run setup of the first instructor account.
//!
//! Invariant: only an instructor or employer admin session is ever stored in
//! `AppState::staff_session`; a student or candidate signing in here is refused with a message,
//! and the typed password is cleared after every attempt.

use chrono::{DateTime, Utc};
use egui::{RichText, Ui};

use super::{Field, StaffCommand, StaffState, Tab, field_edit, theme};
use crate::store::Role;
use crate::ui::app::{AppState, Command};

/// Draws the sign-in form (or first-run setup when no privileged account exists).
pub(super) fn signin_ui(ui: &mut Ui, state: &AppState, staff: &StaffState, out: &mut Vec<Command>) {
    ui.add_space(24.0);
    ui.vertical_centered(|ui| {
        ui.set_max_width(460.0);
        if let Some(e) = &state.store_error {
            ui.label(theme::heading("Instructor and employer sign-in"));
            ui.label(
                RichText::new(format!(
                    "The progress database is not available: {e}. Set EHR_SIM_DB to a file you \
                     may write and restart."
                ))
                .color(theme::alert(theme::is_dark(ui.ctx()))),
            );
            return;
        }
        let first_run = staff.has_privileged == Some(false);
        if first_run {
            ui.label(theme::heading("First run: create the instructor account"));
            ui.label(
                "No instructor or employer account exists yet. Choose a name and a password \
                 (at least 8 characters) for the first instructor; further accounts are added \
                 under People and cohorts.",
            );
        } else {
            ui.label(theme::heading("Instructor and employer sign-in"));
            ui.label("These screens need an instructor or employer admin account.");
        }
        ui.add_space(8.0);
        egui::Grid::new("signin_form")
            .num_columns(2)
            .spacing([8.0, 8.0])
            .show(ui, |ui| {
                ui.label("Staff name");
                field_edit(
                    ui,
                    "Staff name",
                    &staff.name,
                    Field::SignInName,
                    false,
                    240.0,
                    out,
                );
                ui.end_row();
                ui.label("Password");
                let pw = field_edit(
                    ui,
                    "Password",
                    &staff.password,
                    Field::SignInPassword,
                    true,
                    240.0,
                    out,
                );
                ui.end_row();
                let enter = pw.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                let (label, command) = if first_run {
                    (
                        "Create instructor account",
                        StaffCommand::CreateFirstInstructor,
                    )
                } else {
                    ("Sign in", StaffCommand::SignIn)
                };
                ui.label("");
                if ui.button(label).clicked() || enter {
                    out.push(Command::Staff(command));
                }
                ui.end_row();
            });
        if let Some(e) = &staff.error {
            ui.add_space(6.0);
            ui.label(
                RichText::new(e)
                    .color(theme::alert(theme::is_dark(ui.ctx())))
                    .strong(),
            );
        }
    });
}

fn signed_in(
    state: &mut AppState,
    staff: &mut StaffState,
    session: crate::store::Session,
    now: DateTime<Utc>,
) {
    staff.tab = if session.role() == Role::EmployerAdmin {
        Tab::Assessments
    } else {
        Tab::Studio
    };
    staff.error = None;
    staff.notice = Some(super::Notice::Done(format!(
        "Signed in as {}",
        session.name()
    )));
    state.staff_session = Some(session);
    super::refresh(state, staff, now);
}

/// Signs in with the typed name and password; refuses learners.
pub(super) fn sign_in(state: &mut AppState, staff: &mut StaffState, now: DateTime<Utc>) {
    let password = std::mem::take(&mut staff.password);
    let Some(store) = state.store.as_mut() else {
        staff.error = Some("No progress database; see the message above.".to_string());
        return;
    };
    if staff.name.trim().is_empty() || password.is_empty() {
        staff.error = Some("Type your name and password, then press Sign in.".to_string());
        return;
    }
    match store.sign_in(staff.name.trim(), Some(&password)) {
        Ok(session) if session.role().is_privileged() => signed_in(state, staff, session, now),
        Ok(session) => {
            staff.error = Some(format!(
                "{} is a {}: only instructors and employer admins may open these screens. \
                 Go back to the catalog to practise.",
                session.name(),
                session.role()
            ));
        }
        Err(e) => staff.error = Some(format!("Sign-in refused: {e}.")),
    }
}

/// First run: creates the first instructor and signs them in.
pub(super) fn create_first(state: &mut AppState, staff: &mut StaffState, now: DateTime<Utc>) {
    let password = std::mem::take(&mut staff.password);
    let Some(store) = state.store.as_mut() else {
        return;
    };
    match store.create_person(
        None,
        staff.name.trim(),
        Role::Instructor,
        Some(&password),
        &now,
    ) {
        Ok(session) => {
            staff.has_privileged = Some(true);
            signed_in(state, staff, session, now);
        }
        Err(e) => staff.error = Some(format!("Could not create the account: {e}.")),
    }
}
