//! The waiting-room queue: the learner's `queue` list as they ordered it (most urgent first),
//! each patient with the colour of the level they were given (the re-triage level once there
//! is one) and their minutes waiting; Up/Down buttons and drag and drop reorder it.
//!
//! Invariant: the queue is shown exactly in the answer's order — never sorted by level or by
//! the key (the ordering is graded).

use std::sync::Arc;

use egui::{RichText, Ui};
use serde_json::Value;

use super::card::level_chip;
use super::triage_board::{BoardCommand, TriageBoard, level_in, row_of};
use crate::tasks::triage::task::TriageMaterial;
use crate::ui::app::Command;
use crate::ui::task::answer;
use crate::ui::theme;

/// Up to this many queued patients every row is laid out every frame (screen readers and tests
/// find every row); a longer queue lays out only the rows in view.
const LAY_OUT_ALL_UP_TO: usize = 24;

/// The drag payload: the position a queued patient is dragged from.
#[derive(Debug, Clone, Copy)]
struct QueuePosition(usize);

/// Draws the waiting-room queue.
pub(super) fn queue_ui(
    ui: &mut Ui,
    m: &TriageMaterial,
    answer_doc: &Value,
    board: &TriageBoard,
    out: &mut Vec<Command>,
) {
    ui.add_space(6.0);
    ui.label(theme::heading("Waiting room"));
    ui.label(theme::caption(
        "Your queue, most urgent first. Reorder with Up/Down or drag a name.",
    ));
    ui.add_space(4.0);
    let queue = answer::list(answer_doc, "queue");
    if queue.is_empty() {
        ui.label("Nobody is waiting yet: give an arrival its ESI level and they join the queue.");
        return;
    }
    let last = queue.len().saturating_sub(1);
    let row_height = 2.0 * ui.spacing().interact_size.y + 3.0 * ui.spacing().item_spacing.y;
    let scroll = egui::ScrollArea::vertical()
        .id_salt("queue_scroll")
        .auto_shrink([false; 2]);
    let draw = |ui: &mut Ui, i: usize, out: &mut Vec<Command>| {
        if let Some(entry) = queue.get(i) {
            ui.allocate_ui(egui::vec2(ui.available_width(), row_height), |ui| {
                ui.set_min_height(row_height);
                entry_ui(ui, m, answer_doc, board, i, entry, last, out);
            });
        }
    };
    if queue.len() > LAY_OUT_ALL_UP_TO {
        // A long queue: only the rows in view are laid out.
        scroll.show_rows(ui, row_height, queue.len(), |ui, range| {
            for i in range {
                draw(ui, i, out);
            }
        });
    } else {
        scroll.show(ui, |ui| {
            for i in 0..queue.len() {
                draw(ui, i, out);
            }
        });
    }
}

/// One queued patient: place, level colour, name (the drag handle), minutes waiting, Up/Down.
#[allow(clippy::too_many_arguments)]
fn entry_ui(
    ui: &mut Ui,
    m: &TriageMaterial,
    answer_doc: &Value,
    board: &TriageBoard,
    i: usize,
    entry: &Value,
    last: usize,
    out: &mut Vec<Command>,
) {
    let rows = answer::list(answer_doc, "arrivals");
    let id = entry.as_str().unwrap_or_default();
    let arrival = m.arrivals.iter().find(|a| a.id == id);
    let row = row_of(answer_doc, id).and_then(|r| rows.get(r));
    let level =
        row.and_then(|r| level_in(r, "retriage_level").or_else(|| level_in(r, "esi_level")));
    let r = ui.vertical(|ui| {
        ui.horizontal(|ui| {
            ui.label(RichText::new(format!("{:>2}.", i + 1)).monospace());
            match level {
                Some(l) => level_chip(ui, l),
                None => {
                    ui.label(theme::caption("no level"));
                }
            }
            let name = match arrival {
                Some(a) => format!("{id} {}", a.name),
                None => format!("{id} (not an arrival of this shift)"),
            };
            let drag_id = ui.make_persistent_id(("queue_drag", i));
            ui.dnd_drag_source(drag_id, QueuePosition(i), |ui| {
                ui.add(egui::Label::new(RichText::new(name).strong()).truncate());
            });
        });
        ui.horizontal(|ui| {
            ui.add_space(28.0);
            if let Some(a) = arrival {
                ui.label(format!("waiting {} min", board.minutes_since(a.arrived_at)));
            }
            move_button(
                ui,
                "Up",
                &format!("Move {id} up"),
                i > 0,
                || BoardCommand::MoveQueue { index: i, up: true },
                out,
            );
            move_button(
                ui,
                "Down",
                &format!("Move {id} down"),
                i < last,
                || BoardCommand::MoveQueue {
                    index: i,
                    up: false,
                },
                out,
            );
        });
        ui.add_space(2.0);
    });
    let dropped: Option<Arc<QueuePosition>> = r.response.dnd_release_payload();
    if let Some(from) = dropped {
        out.push(Command::Board(BoardCommand::MoveQueueTo {
            from: from.0,
            to: i,
        }));
    }
    if r.response.dnd_hover_payload::<QueuePosition>().is_some() {
        let rect = r.response.rect;
        ui.painter().hline(
            rect.x_range(),
            rect.top(),
            egui::Stroke::new(2.0, theme::accent(theme::is_dark(ui.ctx()))),
        );
    }
}

fn move_button(
    ui: &mut Ui,
    text: &str,
    name: &str,
    enabled: bool,
    command: impl FnOnce() -> BoardCommand,
    out: &mut Vec<Command>,
) {
    let r = ui.add_enabled(enabled, egui::Button::new(text).small());
    let label = name.to_string();
    r.widget_info(move || egui::WidgetInfo::labeled(egui::Role::Button, enabled, label.clone()));
    if r.clicked() {
        out.push(Command::Board(command()));
    }
}
