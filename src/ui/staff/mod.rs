//! Instructor and employer screens (signed in): sign-in, scenario studio, gradebook, people and
//! cohorts, assessments. Reached from the top bar's "Staff" button; nothing here is reachable
//! without signing in as an instructor or employer admin.

use egui::Ui;

use super::app::{AppState, Command};
use super::theme;

/// Which staff screen is showing.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StaffState {
    /// Name typed in the sign-in form.
    pub name: String,
    /// Password typed in the sign-in form (never stored).
    pub password: String,
    /// The last sign-in error.
    pub error: Option<String>,
}

/// What the staff screens ask for.
#[derive(Debug, Clone, PartialEq)]
pub enum StaffCommand {
    /// Edit the sign-in name.
    SetName(String),
    /// Edit the sign-in password.
    SetPassword(String),
}

/// Draws the staff screens.
pub fn staff_ui(ui: &mut Ui, _state: &AppState, staff: &StaffState, out: &mut Vec<Command>) {
    egui::CentralPanel::default().show(ui, |ui| {
        ui.label(theme::heading("Instructor and employer sign-in"));
        let mut name = staff.name.clone();
        ui.horizontal(|ui| {
            ui.label("Name");
            let r = ui.text_edit_singleline(&mut name);
            r.widget_info(|| egui::WidgetInfo::labeled(egui::Role::TextInput, true, "Staff name"));
        });
        if name != staff.name {
            out.push(Command::Staff(StaffCommand::SetName(name)));
        }
        if let Some(e) = &staff.error {
            ui.label(e);
        }
    });
}

/// Applies a staff command.
pub fn apply(_state: &mut AppState, staff: &mut StaffState, command: StaffCommand) {
    match command {
        StaffCommand::SetName(n) => staff.name = n,
        StaffCommand::SetPassword(p) => staff.password = p,
    }
}
