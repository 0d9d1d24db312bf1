//! The ED triage board for triage cases: a running simulated clock for the shift, arrival cards
//! that appear when the clock reaches them (with ESI buttons 1–5), the waiting-room queue in
//! the learner's order, re-triage alerts when a waiting patient comes back worse, and the task
//! pane on the right (instructions, Save/Submit, the selected patient's triage vital signs and
//! note, and the whole answer as the schema-driven form, closed by default).
//!
//! A 100-patient shift stays smooth: above a couple of dozen cards (or queued patients) only
//! those in view are laid out.
//!
//! Drawing only reads the workspace and pushes [`Command::Board`]s; the clock advances by the
//! frame time egui reports (a [`BoardCommand::Tick`]), never by reading the wall clock, and a
//! running clock asks for a repaint a few times a second. Assessment mode is the same board
//! with the clock fixed at [`ASSESSMENT_SPEED`] and no pause; it never shows a key or feedback.
//!
//! The clock is not kept in the draft (the draft is the answer document, graded as is): on
//! resume it restarts at the arrival of the last patient the learner had triaged (or the first
//! arrival), see [`TriageBoard::resume`].

mod card;
mod document;
mod queue;
mod triage_board;

use std::time::Duration;

use egui::{RichText, Ui};

use card::version_of;
pub use triage_board::{ASSESSMENT_SPEED, BoardCommand, Speed, TriageBoard, apply};
use triage_board::{has_arrived, has_changed, level_in, row_of};
pub(crate) use triage_board::{hold_submit, stamp_submission};

use super::app::Command;
use super::theme;
use super::workspace::Workspace;
use crate::tasks::TaskMaterial;
use crate::tasks::triage::task::TriageMaterial;
use crate::ui::task::answer;

/// Above this many cards on the board, cards scrolled out of view are not laid out (their last
/// height is reserved), so a 100-patient shift stays smooth. Below it every card is laid out
/// every frame, so screen readers and tests find every card's buttons.
const CULL_ABOVE_CARDS: usize = 24;

/// How often a running clock repaints.
const REPAINT_EVERY: Duration = Duration::from_millis(200);

/// Draws the triage board for a triage workspace (nothing for other cases).
pub(crate) fn board_ui(ui: &mut Ui, w: &Workspace, out: &mut Vec<Command>) {
    let (TaskMaterial::Triage(m), Some(board)) = (&w.case.task, &w.board) else {
        return;
    };
    if board.running() {
        let real_secs = ui.input(|i| i.unstable_dt).max(0.0);
        out.push(Command::Board(BoardCommand::Tick {
            real_elapsed_ms: (f64::from(real_secs) * 1000.0).round() as u64,
        }));
        ui.ctx().request_repaint_after(REPAINT_EVERY);
    }
    if board.confirming_submit {
        confirm_submit_ui(ui, m, board, out);
    }
    egui::Panel::top("shift_banner").show(ui, |ui| clock_bar_ui(ui, w, m, board, out));
    alerts_ui(ui, w, m, board, out);
    egui::Panel::right("task_pane")
        .resizable(true)
        .default_size(420.0)
        .min_size(320.0)
        .max_size(700.0)
        .show(ui, |ui| task_pane_ui(ui, w, out));
    egui::Panel::left("waiting_room")
        .resizable(true)
        .default_size(270.0)
        .min_size(220.0)
        .max_size(420.0)
        .show(ui, |ui| queue::queue_ui(ui, m, &w.answer, board, out));
    egui::CentralPanel::default().show(ui, |ui| {
        egui::ScrollArea::vertical()
            .id_salt("arrival_cards")
            .auto_shrink([false; 2])
            .show(ui, |ui| cards_ui(ui, w, m, board, out));
    });
}

/// "Submit before the shift ends?": what is still to come, and that it will not be graded.
/// Enter submits; Escape (or Keep working) closes it.
fn confirm_submit_ui(ui: &Ui, m: &TriageMaterial, board: &TriageBoard, out: &mut Vec<Command>) {
    let (arrivals, changes) = m.still_to_come(board.clock);
    let count =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let modal = egui::Modal::new(egui::Id::unique("confirm_submit")).show(ui.ctx(), |ui| {
        ui.set_max_width(440.0);
        ui.label(theme::heading("Submit before the shift ends?"));
        ui.label(format!(
            "It is {}. {} and {} still to come.",
            board.clock.format("%H:%M"),
            count(arrivals, "arrival", "arrivals"),
            count(changes, "change", "changes"),
        ));
        ui.label(
            "What has not happened by the time you submit is not graded; the report shows it \
             as \"after you submitted\".",
        );
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            let submit = ui.button(RichText::new("Submit now").strong());
            if submit.clicked() || ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                out.push(Command::Submit);
            }
            if ui.button("Keep working").clicked() {
                out.push(Command::Board(BoardCommand::CancelSubmit));
            }
        });
    });
    if modal.should_close() {
        out.push(Command::Board(BoardCommand::CancelSubmit));
    }
}

/// The shift banner: title, the clock and its speed controls, the synthetic marker.
fn clock_bar_ui(
    ui: &mut Ui,
    w: &Workspace,
    m: &TriageMaterial,
    board: &TriageBoard,
    out: &mut Vec<Command>,
) {
    let dark = theme::is_dark(ui.ctx());
    ui.add_space(4.0);
    ui.horizontal(|ui| {
        ui.label(RichText::new("Triage board").size(20.0).strong());
        let seed = match w.mode {
            crate::store::Mode::Practice => format!(" · seed {}", w.case.seed),
            crate::store::Mode::Assessment => String::new(),
        };
        ui.label(theme::caption(format!(
            "{}{seed} · ESI {}",
            w.scenario.scenario.title, m.esi_version
        )));
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            ui.label(
                RichText::new("SYNTHETIC PATIENTS — NOT REAL")
                    .small()
                    .color(theme::abnormal(dark)),
            );
        });
    });
    ui.horizontal(|ui| {
        ui.label(RichText::new("Clock").strong());
        ui.label(
            RichText::new(board.clock.format("%H:%M:%S").to_string())
                .monospace()
                .size(20.0)
                .strong()
                .color(theme::accent(dark)),
        );
        ui.label(theme::caption(board.clock.format("%Y-%m-%d").to_string()));
        ui.separator();
        if board.locked {
            ui.label(format!(
                "The clock runs at {}× in an assessment and cannot be paused.",
                ASSESSMENT_SPEED.factor()
            ));
        } else {
            for speed in Speed::ALL {
                let text = match speed {
                    Speed::Paused => "Pause".to_string(),
                    s @ (Speed::X1 | Speed::X5 | Speed::X20) => format!("{}×", s.factor()),
                };
                let r = ui.selectable_label(board.speed == speed, text);
                let name = speed.label();
                let on = board.speed == speed;
                r.widget_info(move || {
                    egui::WidgetInfo::selected(egui::Role::Button, true, on, name)
                });
                if r.clicked() {
                    out.push(Command::Board(BoardCommand::SetSpeed(speed)));
                }
            }
            let next = board.next_event(m);
            let r = ui.add_enabled(next.is_some(), egui::Button::new("Jump to next event"));
            let r = match next {
                Some(t) => r.on_hover_text(format!(
                    "Next arrival or return to the desk at {}",
                    t.format("%H:%M")
                )),
                None => r,
            };
            if r.clicked() {
                out.push(Command::Board(BoardCommand::JumpToNextEvent));
            }
        }
        ui.separator();
        let arrived = m
            .arrivals
            .iter()
            .filter(|a| has_arrived(a, board.clock))
            .count();
        let triaged = answer::list(&w.answer, "triage_order").len();
        ui.label(format!(
            "{arrived} of {} arrived · {triaged} triaged · one triage takes {} min",
            m.arrivals.len(),
            m.triage_minutes
        ));
    });
    ui.add_space(4.0);
}

/// Arrivals whose change has happened and who have no re-triage level yet.
fn pending_alerts<'a>(
    m: &'a TriageMaterial,
    doc: &serde_json::Value,
    board: &TriageBoard,
) -> Vec<&'a crate::tasks::triage::shift::ShiftArrival> {
    let rows = answer::list(doc, "arrivals");
    m.arrivals
        .iter()
        .filter(|a| has_changed(a, board.clock))
        .filter(|a| {
            row_of(doc, &a.id)
                .and_then(|i| rows.get(i))
                .and_then(|r| level_in(r, "retriage_level"))
                .is_none()
        })
        .collect()
}

/// The re-triage banner: who came back, when, and what they say (never a level).
fn alerts_ui(
    ui: &mut Ui,
    w: &Workspace,
    m: &TriageMaterial,
    board: &TriageBoard,
    out: &mut Vec<Command>,
) {
    let pending = pending_alerts(m, &w.answer, board);
    if pending.is_empty() {
        return;
    }
    let dark = theme::is_dark(ui.ctx());
    egui::Panel::top("retriage_alerts").show(ui, |ui| {
        ui.add_space(2.0);
        for a in pending {
            let Some(ch) = &a.change else {
                continue;
            };
            ui.horizontal_wrapped(|ui| {
                ui.label(
                    RichText::new("RE-TRIAGE")
                        .strong()
                        .color(theme::alert(dark)),
                );
                ui.label(
                    RichText::new(format!(
                        "{} {} {} is back at the desk at {}:",
                        a.id,
                        a.name,
                        a.age_text,
                        ch.at.format("%H:%M")
                    ))
                    .strong(),
                );
                ui.label(RichText::new(format!("\u{201c}{}\u{201d}", ch.says)).italics());
                let r = ui.small_button(format!("Show {}", a.id));
                if r.clicked() {
                    out.push(Command::Board(BoardCommand::Select(a.id.clone())));
                }
            });
        }
        ui.add_space(2.0);
    });
}

/// The cards that have arrived, in arrival order (a card never moves when the learner acts on
/// it; new arrivals join at the bottom). A card asked for by "Show" is scrolled into view once.
fn cards_ui(
    ui: &mut Ui,
    w: &Workspace,
    m: &TriageMaterial,
    board: &TriageBoard,
    out: &mut Vec<Command>,
) {
    let version = version_of(&m.esi_version);
    let rows = answer::list(&w.answer, "arrivals");
    let arrived: Vec<_> = m
        .arrivals
        .iter()
        .filter(|a| has_arrived(a, board.clock))
        .collect();
    let untriaged = arrived
        .iter()
        .filter(|a| {
            row_of(&w.answer, &a.id)
                .and_then(|i| rows.get(i))
                .and_then(|r| level_in(r, "esi_level"))
                .is_none()
        })
        .count();
    ui.add_space(4.0);
    ui.label(theme::heading(format!(
        "Arrivals ({} here, {untriaged} not triaged)",
        arrived.len()
    )));
    let cull = arrived.len() > CULL_ABOVE_CARDS;
    for a in arrived {
        let height_id = ui.make_persistent_id(("card_height", &a.id));
        let scroll_here = board.scroll_pending && board.selected.as_deref() == Some(a.id.as_str());
        if cull && !scroll_here {
            let known: Option<f32> = ui.ctx().data(|d| d.get_temp(height_id));
            if let Some(height) = known {
                let size = egui::vec2(ui.available_width(), height);
                let rect = egui::Rect::from_min_size(ui.cursor().min, size);
                if !ui.is_rect_visible(rect) {
                    ui.allocate_space(size);
                    ui.add_space(6.0);
                    continue;
                }
            }
        }
        let row = row_of(&w.answer, &a.id).and_then(|i| rows.get(i));
        let r = ui.scope(|ui| card::card_ui(ui, a, row, board, version, out));
        if cull {
            let height = r.response.rect.height();
            ui.ctx().data_mut(|d| d.insert_temp(height_id, height));
        }
        if scroll_here {
            r.response.scroll_to_me(Some(egui::Align::TOP));
            out.push(Command::Board(BoardCommand::Scrolled));
        }
        ui.add_space(6.0);
    }
    if let Some(t) = board.next_event(m) {
        ui.add_space(6.0);
        ui.label(theme::caption(format!(
            "Next event (an arrival or a patient back at the desk) at {}.",
            t.format("%H:%M")
        )));
    }
}

/// The task pane for a triage case: instructions, Save/Submit, the selected patient's
/// documentation, then the whole answer as the schema-driven form (closed by default).
fn task_pane_ui(ui: &mut Ui, w: &Workspace, out: &mut Vec<Command>) {
    super::chart::task_header_ui(ui, w);
    egui::CollapsingHeader::new(RichText::new("Instructions").strong())
        .default_open(true)
        .show(ui, |ui| {
            ui.label(&w.case.instructions);
        });
    ui.separator();
    super::task::actions_ui(ui, w, out);
    ui.separator();
    ui.label(theme::caption(
        "ESI levels, the triage order and the queue fill in from the board; document the \
         selected patient's triage vital signs and note here.",
    ));
    egui::ScrollArea::vertical()
        .id_salt("triage_form")
        .auto_shrink([false; 2])
        .show(ui, |ui| {
            if let (TaskMaterial::Triage(m), Some(board)) = (&w.case.task, &w.board) {
                document::document_ui(ui, w, m, board, out);
            }
            ui.add_space(8.0);
            // The whole answer as the schema-driven form (every arrival's row, the triage
            // order and the queue as lists): closed by default, it costs nothing until opened.
            egui::CollapsingHeader::new(RichText::new("The whole answer as a form").strong())
                .default_open(false)
                .show(ui, |ui| {
                    egui::ScrollArea::horizontal()
                        .id_salt("triage_whole_form")
                        .show(ui, |ui| super::task::task_form_ui(ui, w, out));
                });
        });
}
