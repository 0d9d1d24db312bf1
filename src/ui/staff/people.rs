//! People and cohorts: list everyone, add students, candidates, instructors and employer
//! admins, create cohorts and add members.
//!
//! Invariants: lists are loaded in [`refresh`] (sorted by name, as the store returns them);
//! every change goes through the store with the signed-in session, which checks permissions.

use chrono::{DateTime, Utc};
use egui::{RichText, ScrollArea, Ui};

use super::{Field, Notice, StaffCommand, StaffState, text_input, text_input_sized, theme};
use crate::store::{Cohort, Person, Role};
use crate::ui::app::{AppState, Command};

/// The people screen's state.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PeopleState {
    /// Everyone, sorted by name.
    pub people: Vec<Person>,
    /// Every cohort with members, sorted by name.
    pub cohorts: Vec<Cohort>,
    /// New person's name.
    pub new_name: String,
    /// New person's role (None until chosen: student).
    pub new_role: Option<Role>,
    /// New person's password (required for instructors and employer admins).
    pub new_password: String,
    /// New cohort's name.
    pub new_cohort: String,
    /// Cohort to add a member to.
    pub member_cohort: String,
    /// Person to add.
    pub member_person: String,
}

/// People commands.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum PeopleCommand {
    /// Choose the new person's role.
    Role(Role),
    /// Add the person typed.
    AddPerson,
    /// Create the cohort typed.
    AddCohort,
    /// Add the typed person to the typed cohort.
    AddMember,
}

fn cmd(c: PeopleCommand) -> Command {
    Command::Staff(StaffCommand::People(c))
}

const ROLES: [(Role, &str); 4] = [
    (Role::Student, "Student"),
    (Role::Candidate, "Candidate"),
    (Role::Instructor, "Instructor"),
    (Role::EmployerAdmin, "Employer admin"),
];

fn role_label(role: Role) -> &'static str {
    ROLES
        .iter()
        .find(|(r, _)| *r == role)
        .map_or("Student", |(_, l)| l)
}

/// Draws the people screen.
pub(super) fn people_ui(ui: &mut Ui, s: &PeopleState, out: &mut Vec<Command>) {
    ui.columns(2, |cols| {
        let [left, right] = cols else { return };
        people_list_ui(left, s, out);
        cohorts_ui(right, s, out);
    });
}

fn people_list_ui(ui: &mut Ui, s: &PeopleState, out: &mut Vec<Command>) {
    ui.label(theme::heading(format!("People ({})", s.people.len())));
    ui.label(RichText::new("Add a person").strong());
    text_input(ui, "Name", &s.new_name, Field::PersonName, out);
    let role = s.new_role.unwrap_or(Role::Student);
    ui.horizontal(|ui| {
        ui.label("Role");
        for (r, label) in ROLES {
            if ui.radio(role == r, label).clicked() {
                out.push(cmd(PeopleCommand::Role(r)));
            }
        }
    });
    let pw_label = if role.is_privileged() {
        "Password (at least 8 characters)"
    } else {
        "Password (optional)"
    };
    text_input_sized(
        ui,
        pw_label,
        &s.new_password,
        Field::PersonPassword,
        true,
        200.0,
        out,
    );
    if super::button(ui, "Add person") {
        out.push(cmd(PeopleCommand::AddPerson));
    }
    ui.separator();
    if s.people.is_empty() {
        ui.label("Nobody yet — add students above.");
    }
    ScrollArea::vertical()
        .id_salt("people_list")
        .show(ui, |ui| {
            egui::Grid::new("people_grid")
                .striped(true)
                .num_columns(3)
                .show(ui, |ui| {
                    for h in ["Name", "Role", "Password"] {
                        ui.label(RichText::new(h).strong());
                    }
                    ui.end_row();
                    for p in &s.people {
                        ui.label(&p.name);
                        ui.label(role_label(p.role));
                        ui.label(if p.has_password { "set" } else { "none" });
                        ui.end_row();
                    }
                });
        });
}

fn cohorts_ui(ui: &mut Ui, s: &PeopleState, out: &mut Vec<Command>) {
    ui.label(theme::heading(format!("Cohorts ({})", s.cohorts.len())));
    ui.horizontal(|ui| {
        text_input_sized(
            ui,
            "New cohort",
            &s.new_cohort,
            Field::CohortName,
            false,
            180.0,
            out,
        );
        if ui.button("Create cohort").clicked() {
            out.push(cmd(PeopleCommand::AddCohort));
        }
    });
    ui.label(RichText::new("Add a member").strong());
    text_input(ui, "Cohort", &s.member_cohort, Field::MemberCohort, out);
    text_input(ui, "Person", &s.member_person, Field::MemberPerson, out);
    if super::button(ui, "Add to cohort") {
        out.push(cmd(PeopleCommand::AddMember));
    }
    ui.separator();
    if s.cohorts.is_empty() {
        ui.label("No cohorts yet — create one above.");
    }
    ScrollArea::vertical()
        .id_salt("cohort_list")
        .show(ui, |ui| {
            for c in &s.cohorts {
                ui.label(
                    RichText::new(format!("{} ({} members)", c.name, c.members.len())).strong(),
                );
                if c.members.is_empty() {
                    ui.label(theme::caption("no members"));
                } else {
                    ui.label(c.members.join(", "));
                }
                ui.add_space(4.0);
            }
        });
}

/// Loads people and cohorts.
pub(super) fn refresh(state: &AppState, staff: &mut StaffState) {
    let Some(store) = state.store.as_ref() else {
        return;
    };
    match (store.list_people(), store.list_cohorts()) {
        (Ok(people), Ok(cohorts)) => {
            staff.people.people = people;
            staff.people.cohorts = cohorts;
        }
        (Err(e), _) | (_, Err(e)) => staff.notice = Some(Notice::Failed(e.to_string())),
    }
}

/// Applies a people command.
pub(super) fn apply(
    state: &mut AppState,
    staff: &mut StaffState,
    command: PeopleCommand,
    now: DateTime<Utc>,
) {
    let Some(session) = state.staff_session.clone() else {
        return;
    };
    let Some(store) = state.store.as_mut() else {
        return;
    };
    let p = &mut staff.people;
    match command {
        PeopleCommand::Role(r) => p.new_role = Some(r),
        PeopleCommand::AddPerson => {
            let role = p.new_role.unwrap_or(Role::Student);
            let password = std::mem::take(&mut p.new_password);
            let password = (!password.is_empty()).then_some(password);
            let name = p.new_name.trim().to_string();
            let result =
                store.create_person(Some(&session), &name, role, password.as_deref(), &now);
            if super::report(staff, result, |_| {
                format!("Added {name} ({})", role_label(role))
            })
            .is_some()
            {
                staff.people.new_name.clear();
            }
        }
        PeopleCommand::AddCohort => {
            let name = p.new_cohort.trim().to_string();
            let result = store.create_cohort(&session, &name, &now);
            if super::report(staff, result, |_| format!("Created cohort {name}")).is_some() {
                staff.people.member_cohort.clone_from(&name);
                staff.people.new_cohort.clear();
            }
        }
        PeopleCommand::AddMember => {
            let cohort = p.member_cohort.trim().to_string();
            let person = p.member_person.trim().to_string();
            let result = store.add_to_cohort(&session, &cohort, &person);
            if super::report(staff, result, |()| format!("Added {person} to {cohort}")).is_some() {
                staff.people.member_person.clear();
            }
        }
    }
    refresh(state, staff);
}
