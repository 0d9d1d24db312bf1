//! The top bar and the keyboard shortcuts, drawn on every frame before the screen.

use super::app::{AppState, Command, Screen};

/// The keyboard shortcuts: Ctrl +/- / 0 zoom, Ctrl S saves the draft.
pub(super) fn shortcuts(ctx: &egui::Context, out: &mut Vec<Command>) {
    use egui::{Key, KeyboardShortcut, Modifiers};
    let zoom_in = KeyboardShortcut::new(Modifiers::COMMAND, Key::Plus);
    let zoom_in2 = KeyboardShortcut::new(Modifiers::COMMAND, Key::Equals);
    let zoom_out = KeyboardShortcut::new(Modifiers::COMMAND, Key::Minus);
    let reset = KeyboardShortcut::new(Modifiers::COMMAND, Key::Num0);
    let save = KeyboardShortcut::new(Modifiers::COMMAND, Key::S);
    ctx.input_mut(|i| {
        if i.consume_shortcut(&zoom_in) || i.consume_shortcut(&zoom_in2) {
            out.push(Command::Zoom(1));
        }
        if i.consume_shortcut(&zoom_out) {
            out.push(Command::Zoom(-1));
        }
        if i.consume_shortcut(&reset) {
            out.push(Command::Zoom(0));
        }
        if i.consume_shortcut(&save) {
            out.push(Command::SaveDraft);
        }
    });
}

/// The bar above every screen: navigation, the learner, the status line, text size, theme and
/// the staff screens (in a sitting, only the candidate's name).
pub(super) fn top_bar_ui(ui: &mut egui::Ui, state: &AppState, out: &mut Vec<Command>) {
    if matches!(&state.screen, Screen::Exam(e) if !e.finished) {
        // Candidate mode: nothing but the sitting is reachable.
        egui::Panel::top("top_bar").show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.label(super::theme::heading("EHR Sim — assessment"));
                if let Some(p) = &state.profile {
                    ui.label(super::theme::caption(format!("Candidate: {}", p.name())));
                }
            });
        });
        return;
    }
    egui::Panel::top("top_bar").show(ui, |ui| {
        ui.horizontal(|ui| {
            ui.label(super::theme::heading("EHR Sim"));
            ui.separator();
            if !matches!(state.screen, Screen::Catalog) && ui.button("Back to catalog").clicked() {
                out.push(Command::ShowCatalog);
            }
            if state.profile.is_some() && ui.button("My progress").clicked() {
                out.push(Command::ShowProgress);
            }
            if let Some(p) = &state.profile {
                ui.label(super::theme::caption(format!("Learner: {}", p.name())));
            }
            ui.label(super::theme::caption(&state.status));
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui
                    .button("Staff")
                    .on_hover_text("Instructor and employer screens (sign-in required)")
                    .clicked()
                {
                    out.push(Command::ShowStaff);
                }
                if ui
                    .button("A+")
                    .on_hover_text("Larger text (Ctrl +)")
                    .clicked()
                {
                    out.push(Command::Zoom(1));
                }
                if ui
                    .button("A-")
                    .on_hover_text("Smaller text (Ctrl -)")
                    .clicked()
                {
                    out.push(Command::Zoom(-1));
                }
                let label = if super::theme::is_dark(ui.ctx()) {
                    "Light theme"
                } else {
                    "Dark theme"
                };
                if ui.button(label).clicked() {
                    out.push(Command::ToggleTheme);
                }
            });
        });
    });
}
