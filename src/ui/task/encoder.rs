//! Code lists and the encoder: claim lines in reporting order (drag, Up/Down, Remove), the
//! search as you type, the selected code's notes, and live coding-edit warnings in practice.

use egui::{RichText, Ui};

use super::{answer, label_of, labelled_text};
use crate::ui::app::Command;
use crate::ui::theme;
use crate::ui::workspace::Workspace;

/// What can be dragged onto a code list: an encoder result, or a line already on the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CodeDrag {
    /// A code from the encoder's results.
    Result(String),
    /// A claim line being moved.
    Line {
        /// The list it is on.
        path: String,
        /// Its position.
        index: usize,
    },
}

/// The position a drop at height `y` lands at: before the first line whose middle is below it.
fn drop_position(line_rects: &[egui::Rect], y: Option<f32>) -> usize {
    y.and_then(|y| line_rects.iter().position(|r| y < r.center().y))
        .unwrap_or(line_rects.len())
}

/// A code in monospace that can be dragged (the grab cursor shows on hover), with an
/// accessible name.
fn drag_handle(
    ui: &mut Ui,
    id: impl std::hash::Hash + std::fmt::Debug,
    drag: CodeDrag,
    text: &str,
    name: &str,
) {
    let r = ui
        .dnd_drag_source(egui::Id::unique(id), drag, |ui| {
            ui.label(RichText::new(text).monospace().strong())
        })
        .response;
    let name = name.to_string();
    r.widget_info(move || egui::WidgetInfo::labeled(egui::Role::ListItem, true, name.clone()));
    r.on_hover_text("Drag onto the claim to place it");
}

pub(crate) fn codes_ui(ui: &mut Ui, w: &Workspace, path: &str, out: &mut Vec<Command>) {
    let dark = theme::is_dark(ui.ctx());
    let rows = answer::list(&w.answer, path);
    let noun = label_of(path);
    let dragging = egui::DragAndDrop::has_payload_of_type::<CodeDrag>(ui.ctx());
    let frame = egui::Frame::default().inner_margin(4.0).corner_radius(4.0);
    let (zone, dropped) = ui.dnd_drop_zone::<CodeDrag, _>(frame, |ui| {
        ui.set_min_width(ui.available_width());
        if rows.is_empty() {
            ui.label(theme::caption(if dragging {
                "Drop the code here."
            } else {
                "No codes yet: search below, then Add or drag a result here, in reporting order."
            }));
        }
        let mut rects = Vec::with_capacity(rows.len());
        for (i, row) in rows.iter().enumerate() {
            let code = row.as_str().unwrap_or_default();
            let drag = CodeDrag::Line {
                path: path.to_string(),
                index: i,
            };
            let line = ui.horizontal(|ui| {
                drag_handle(
                    ui,
                    ("claim_line", path, i),
                    drag,
                    &format!("{}. {code}", i + 1),
                    &format!("Claim line {}: {code}", i + 1),
                );
                if ui.small_button("Up").clicked() {
                    out.push(Command::MoveRow {
                        path: path.into(),
                        index: i,
                        up: true,
                    });
                }
                if ui.small_button("Down").clicked() {
                    out.push(Command::MoveRow {
                        path: path.into(),
                        index: i,
                        up: false,
                    });
                }
                if ui.small_button("Remove").clicked() {
                    out.push(Command::RemoveRow {
                        path: path.into(),
                        index: i,
                    });
                }
            });
            rects.push(line.response.rect);
        }
        rects
    });
    let pointer_y = ui.ctx().pointer_interact_pos().map(|p| p.y);
    let line_rects = zone.inner;
    if dragging && zone.response.contains_pointer() {
        // Where the code will land.
        let at = drop_position(&line_rects, pointer_y);
        let y = line_rects
            .get(at)
            .map(egui::Rect::top)
            .or_else(|| line_rects.last().map(egui::Rect::bottom))
            .unwrap_or(zone.response.rect.center().y);
        let x = zone.response.rect.x_range();
        ui.painter().hline(
            x,
            y,
            egui::Stroke::new(2.0, ui.visuals().selection.stroke.color),
        );
    }
    if let Some(drag) = dropped {
        out.push(Command::DropCode {
            path: path.into(),
            drag: (*drag).clone(),
            at: drop_position(&line_rects, pointer_y),
        });
    }
    if path.ends_with("diagnoses") {
        for warning in &w.warnings {
            ui.label(RichText::new(warning).small().color(theme::abnormal(dark)));
        }
    }
    // The encoder.
    let query = if w.encoder.target == path {
        w.encoder.query.as_str()
    } else {
        ""
    };
    ui.horizontal(|ui| {
        ui.label("Search");
        if let Some(t) = labelled_text(ui, &format!("Search {noun}"), query, false, 240.0) {
            out.push(Command::EncoderSearch {
                target: path.into(),
                query: t,
            });
        }
    });
    if w.encoder.target == path && !w.encoder.hits.is_empty() {
        egui::ScrollArea::vertical()
            .id_salt(format!("hits_{path}"))
            .max_height(180.0)
            .show(ui, |ui| {
                for (code, description, billable) in &w.encoder.hits {
                    ui.horizontal(|ui| {
                        let add = ui.small_button("Add");
                        let name = format!("Add {code}");
                        add.widget_info(move || {
                            egui::WidgetInfo::labeled(egui::Role::Button, true, name.clone())
                        });
                        if add.clicked() {
                            out.push(Command::AddCode {
                                path: path.into(),
                                code: code.clone(),
                            });
                        }
                        // The code is the drag handle (a label: it takes no clicks).
                        drag_handle(
                            ui,
                            ("encoder_hit", path, code.as_str()),
                            CodeDrag::Result(code.clone()),
                            code,
                            &format!("Drag {code}"),
                        );
                        let text = RichText::new(format!(
                            "{description}{}",
                            if *billable { "" } else { "  (header)" }
                        ));
                        let selected = w.encoder.selected.as_deref() == Some(code.as_str());
                        let shown = ui
                            .selectable_label(selected, if *billable { text } else { text.weak() });
                        let name = format!("{code} {description}");
                        shown.widget_info(move || {
                            egui::WidgetInfo::labeled(egui::Role::Button, true, name.clone())
                        });
                        if shown.clicked() {
                            out.push(Command::EncoderSelect(code.clone()));
                        }
                    });
                }
            });
    }
    if w.encoder.target == path && !w.encoder.details.is_empty() {
        egui::Frame::group(ui.style()).show(ui, |ui| {
            for line in &w.encoder.details {
                ui.label(RichText::new(line).small());
            }
        });
    }
}
