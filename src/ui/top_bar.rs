//! The top bar and the keyboard shortcuts, drawn on every frame before the screen.

use egui::RichText;

use super::app::{AppState, Command, Screen};
use crate::store::Role;

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

/// The text-size buttons' place, in physical pixels (points at zoom 1): they keep this size and
/// this place at the window's top right whatever the zoom, so repeated clicks stay on them.
const ZOOM_BUTTON: egui::Vec2 = egui::vec2(36.0, 26.0);
/// Gap between the two text-size buttons and around them.
const ZOOM_GAP: f32 = 6.0;
/// The width the text-size buttons take at the right of the bar (physical pixels).
const ZOOM_AREA_WIDTH: f32 = 2.0 * ZOOM_BUTTON.x + 3.0 * ZOOM_GAP;

/// Who is signed in, for the bar: the staff member (with the role) when one is signed in, else
/// the learner's profile.
pub(crate) fn signed_in_text(state: &AppState) -> Option<String> {
    let role_label = |role: Role| match role {
        Role::Student => "Student",
        Role::Candidate => "Candidate",
        Role::Instructor => "Instructor",
        Role::EmployerAdmin => "Employer admin",
    };
    if let Some(s) = state.staff_session.as_ref() {
        return Some(format!("{} · {}", s.name(), role_label(s.role())));
    }
    state
        .profile
        .as_ref()
        .map(|p| format!("{} · {}", p.name(), role_label(p.role())))
}

/// The bar above every screen: navigation, who is signed in, the status line, theme, the staff
/// screens and the text size (in a sitting, only the candidate's name).
pub(super) fn top_bar_ui(ui: &mut egui::Ui, state: &AppState, out: &mut Vec<Command>) {
    // Export lines belong to the view on screen.
    super::export::show_view(ui.ctx(), &state.screen);
    if matches!(&state.screen, Screen::Exam(e) if !e.finished) {
        // Candidate mode: nothing but the sitting is reachable.
        egui::Panel::top("top_bar").show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.label(super::theme::heading("EHR Sim — assessment"));
                if let Some(p) = &state.profile {
                    ui.label(RichText::new(format!("Candidate: {}", p.name())).strong());
                }
            });
        });
        return;
    }
    egui::Panel::top("top_bar").show(ui, |ui| {
        let zoom = ui.ctx().zoom_factor();
        ui.horizontal(|ui| {
            ui.set_min_height((ZOOM_BUTTON.y + ZOOM_GAP) / zoom);
            ui.label(super::theme::heading("EHR Sim"));
            ui.separator();
            if !matches!(state.screen, Screen::Catalog) && ui.button("Back to catalog").clicked() {
                out.push(Command::ShowCatalog);
            }
            if state.profile.is_some()
                && state.staff_session.is_none()
                && ui.button("My progress").clicked()
            {
                out.push(Command::ShowProgress);
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                // Kept free for the text-size buttons (placed below at a fixed spot).
                ui.add_space(ZOOM_AREA_WIDTH / zoom);
                if ui
                    .button("Staff")
                    .on_hover_text("Instructor and employer screens (sign-in required)")
                    .clicked()
                {
                    out.push(Command::ShowStaff);
                }
                let label = if super::theme::is_dark(ui.ctx()) {
                    "Light theme"
                } else {
                    "Dark theme"
                };
                if ui.button(label).clicked() {
                    out.push(Command::ToggleTheme);
                }
                ui.separator();
                if let Some(who) = signed_in_text(state) {
                    let r = ui.label(RichText::new(&who).strong());
                    r.widget_info(move || {
                        egui::WidgetInfo::labeled(
                            egui::Role::Label,
                            true,
                            format!("Signed in: {who}"),
                        )
                    });
                } else {
                    ui.label(super::theme::caption("No profile chosen"));
                }
                ui.separator();
                ui.add(egui::Label::new(super::theme::caption(&state.status)).truncate());
            });
        });
        zoom_buttons_ui(ui, zoom, out);
    });
}

/// A− and A+ at a fixed size and place in the window's top right corner (in physical pixels:
/// sizes are divided by the zoom), so they do not move when the text size changes.
fn zoom_buttons_ui(ui: &mut egui::Ui, zoom: f32, out: &mut Vec<Command>) {
    let screen = ui.ctx().viewport_rect();
    let size = ZOOM_BUTTON / zoom;
    let top = screen.top() + (ZOOM_GAP / 2.0) / zoom;
    let right = screen.right() - ZOOM_GAP / zoom;
    let plus = egui::Rect::from_min_size(egui::pos2(right - size.x, top), size);
    let minus = plus.translate(egui::vec2(-(size.x + ZOOM_GAP / zoom), 0.0));
    for (rect, text, step, hover, name) in [
        (minus, "A−", -1, "Smaller text (Ctrl −)", "Smaller text"),
        (plus, "A+", 1, "Larger text (Ctrl +)", "Larger text"),
    ] {
        let button = egui::Button::new(RichText::new(text).size(14.0 / zoom)).min_size(size);
        let r = ui
            .scope(|ui| {
                ui.spacing_mut().button_padding = egui::Vec2::ZERO;
                ui.put(rect, button)
            })
            .inner
            .on_hover_text(hover);
        r.widget_info(move || egui::WidgetInfo::labeled(egui::Role::Button, true, name));
        if r.clicked() {
            out.push(Command::Zoom(step));
        }
    }
}
