//! Code lists and the encoder: the search as you type (full titles, wrapped, with the words that
//! matched and flags for codes that conflict with the patient's sex or age), the selected code's
//! notes, then the claim lines in reporting order (code and title, drag, Up/Down, Remove) and the
//! live coding-edit warnings in practice.
//!
//! Layout rule: nothing the learner clicks in the results moves. The claim lines and warnings
//! sit below the results, so adding a code grows the page below the pointer; an added result
//! keeps its row and its button's place, which turns into "On claim".

use egui::{RichText, Ui};

use super::{answer, label_of, labelled_text};
use crate::terminology::search::Hit;
use crate::terminology::search::patient_fit::{self, PatientFacts};
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

/// Width of the Add / "On claim" button: the same for both, so the row does not move.
const ADD_WIDTH: f32 = 86.0;

/// The patient as the age and sex edits read it.
fn patient_facts(w: &Workspace) -> PatientFacts {
    let d = &w.case.patient.demographics;
    PatientFacts {
        sex: match d.sex {
            crate::patient::Sex::Female => patient_fit::Sex::Female,
            crate::patient::Sex::Male => patient_fit::Sex::Male,
        },
        age_years: d.age_years,
    }
}

/// Flags for a code on a diagnosis list (procedure codes are not checked).
fn flags_for(path: &str, code: &str, facts: PatientFacts) -> Vec<patient_fit::Conflict> {
    if path.contains("procedure") {
        Vec::new()
    } else {
        patient_fit::conflicts(code, facts)
    }
}

fn flag_labels(ui: &mut Ui, code: &str, flags: &[patient_fit::Conflict], dark: bool) {
    for flag in flags {
        let r = ui.add(
            egui::Label::new(
                RichText::new(format!("Flag: {} — {}", flag.message, flag.rule))
                    .small()
                    .color(theme::abnormal(dark)),
            )
            .wrap(),
        );
        let name = format!("Flag {code}: {}", flag.message);
        r.widget_info(move || egui::WidgetInfo::labeled(egui::Role::Label, true, name.clone()));
    }
}

/// "diabetes · ckd → chronic kidney disease (synonym)".
fn reasons_text(hit: &Hit) -> String {
    let parts: Vec<String> = hit
        .reasons
        .iter()
        .map(|r| {
            if r.query == r.matched {
                r.query.clone()
            } else {
                format!("{} → {} ({})", r.query, r.matched, r.how.label())
            }
        })
        .collect();
    let mut text = format!("Matched: {}", parts.join(" · "));
    if let Some(term) = &hit.matched_term {
        text.push_str(&format!("  [via {term}]"));
    }
    text
}

pub(crate) fn codes_ui(ui: &mut Ui, w: &Workspace, path: &str, out: &mut Vec<Command>) {
    let rows = answer::list(&w.answer, path);
    let on_claim: Vec<&str> = rows.iter().filter_map(|v| v.as_str()).collect();
    encoder_ui(ui, w, path, &on_claim, out);
    claim_ui(ui, w, path, out);
    // The DRG follows from both lists: shown below the last one the case asks for.
    let last = if w.field_applies("codes.procedures") {
        "codes.procedures"
    } else {
        "codes.diagnoses"
    };
    if path == last && w.takes_poa() && super::reviewed_ui(ui, w, "codes", |ui| drg_ui(ui, w)) {
        out.push(Command::ReviewFocused);
    }
    if path.ends_with("diagnoses") {
        let dark = theme::is_dark(ui.ctx());
        for warning in &w.warnings {
            ui.add(
                egui::Label::new(RichText::new(warning).small().color(theme::abnormal(dark)))
                    .wrap(),
            );
        }
    }
}

/// The search box, what it says, the results and the selected code's notes.
fn encoder_ui(ui: &mut Ui, w: &Workspace, path: &str, on_claim: &[&str], out: &mut Vec<Command>) {
    let dark = theme::is_dark(ui.ctx());
    let noun = label_of(path);
    let facts = patient_facts(w);
    let mine = w.encoder.target == path;
    let query = if mine { w.encoder.query.as_str() } else { "" };
    ui.horizontal(|ui| {
        ui.label("Search");
        if let Some(t) = labelled_text(ui, &format!("Search {noun}"), query, false, 240.0) {
            out.push(Command::EncoderSearch {
                target: path.into(),
                query: t,
            });
        }
    });
    if !mine {
        return;
    }
    if !w.encoder.message.is_empty() {
        let r = ui.add(egui::Label::new(RichText::new(&w.encoder.message).italics()).wrap());
        let name = w.encoder.message.clone();
        r.widget_info(move || egui::WidgetInfo::labeled(egui::Role::Label, true, name.clone()));
    }
    if !w.encoder.hits.is_empty() {
        egui::ScrollArea::vertical()
            .id_salt(format!("hits_{path}"))
            .max_height(260.0)
            .show(ui, |ui| {
                for hit in &w.encoder.hits {
                    result_row(
                        ui,
                        w,
                        path,
                        hit,
                        on_claim.contains(&hit.code.as_str()),
                        facts,
                        dark,
                        out,
                    );
                    ui.add_space(2.0);
                }
            });
    }
    if !w.encoder.details.is_empty() {
        egui::Frame::group(ui.style()).show(ui, |ui| {
            for line in &w.encoder.details {
                ui.add(egui::Label::new(RichText::new(line).small()).wrap());
            }
        });
    }
}

#[allow(clippy::too_many_arguments)]
fn result_row(
    ui: &mut Ui,
    w: &Workspace,
    path: &str,
    hit: &Hit,
    added: bool,
    facts: PatientFacts,
    dark: bool,
    out: &mut Vec<Command>,
) {
    let code = &hit.code;
    ui.horizontal_top(|ui| {
        let (text, name) = if added {
            ("On claim", format!("{code} is on the claim"))
        } else {
            ("Add", format!("Add {code}"))
        };
        let add = ui.add_enabled_ui(!added, |ui| {
            ui.add_sized([ADD_WIDTH, 18.0], egui::Button::new(text).small())
        });
        let add = add.inner;
        add.widget_info(move || {
            egui::WidgetInfo::labeled(egui::Role::Button, !added, name.clone())
        });
        if add.clicked() && !added {
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
        ui.vertical(|ui| {
            let selected = w.encoder.selected.as_deref() == Some(code.as_str());
            let mut title = RichText::new(format!(
                "{}{}",
                hit.description,
                if hit.billable { "" } else { "  (header)" }
            ));
            if !hit.billable {
                title = title.weak();
            }
            if selected {
                title = title
                    .strong()
                    .background_color(ui.visuals().selection.bg_fill);
            }
            let shown = ui.add(egui::Label::new(title).wrap().sense(egui::Sense::click()));
            let name = format!("{code} {}", hit.description);
            shown.widget_info(move || {
                egui::WidgetInfo::labeled(egui::Role::Button, true, name.clone())
            });
            if shown.clicked() {
                out.push(Command::EncoderSelect(code.clone()));
            }
            if !hit.reasons.is_empty() {
                ui.add(egui::Label::new(RichText::new(reasons_text(hit)).small().weak()).wrap());
            }
            flag_labels(ui, code, &flags_for(path, code, facts), dark);
        });
    });
}

/// The claim lines: a drop zone of code, title and flags with Up / Down / Remove.
fn claim_ui(ui: &mut Ui, w: &Workspace, path: &str, out: &mut Vec<Command>) {
    let dark = theme::is_dark(ui.ctx());
    let facts = patient_facts(w);
    let rows = answer::list(&w.answer, path);
    let poa = path == "codes.diagnoses" && w.takes_poa();
    let dragging = egui::DragAndDrop::has_payload_of_type::<CodeDrag>(ui.ctx());
    let frame = egui::Frame::default().inner_margin(4.0).corner_radius(4.0);
    let (zone, dropped) = ui.dnd_drop_zone::<CodeDrag, _>(frame, |ui| {
        ui.set_min_width(ui.available_width());
        if rows.is_empty() {
            ui.label(theme::caption(if dragging {
                "Drop the code here."
            } else {
                "No codes yet: search above, then Add or drag a result here, in reporting order."
            }));
        }
        let mut rects = Vec::with_capacity(rows.len());
        for (i, row) in rows.iter().enumerate() {
            let code = row.as_str().unwrap_or_default();
            let drag = CodeDrag::Line {
                path: path.to_string(),
                index: i,
            };
            let title = crate::terminology::lookup(
                if path.contains("procedure") {
                    crate::terminology::System::Icd10Pcs
                } else {
                    crate::terminology::System::Icd10Cm
                },
                code,
            )
            .map(|e| e.description.clone())
            .unwrap_or_else(|| "not a code of the code set".to_string());
            // First line: the handle and the buttons (what drops are placed by); below it the
            // title and any flags.
            let line_path = format!("{path}[{i}]");
            let mut line_rect = egui::Rect::NOTHING;
            let focused = crate::ui::review::frame_ui(ui, w.review.as_ref(), &line_path, |ui| {
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
                    if poa {
                        poa_ui(ui, w, code, out);
                    }
                });
                ui.indent(("claim_title", path, i), |ui| {
                    let r = ui.add(egui::Label::new(title.as_str()).wrap());
                    let name = format!("Claim title {}: {title}", i + 1);
                    r.widget_info(move || {
                        egui::WidgetInfo::labeled(egui::Role::Label, true, name.clone())
                    });
                    flag_labels(ui, code, &flags_for(path, code, facts), dark);
                });
                line_rect = line.response.rect;
            });
            if focused {
                out.push(Command::ReviewFocused);
            }
            rects.push(line_rect);
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
}

/// The POA indicator of a diagnosis line: a small drop-down (blank, Y, N, U, W, 1).
fn poa_ui(ui: &mut Ui, w: &Workspace, code: &str, out: &mut Vec<Command>) {
    let current = w.poa_of(code);
    let name = format!("POA of {code}");
    ui.label(theme::caption("POA"));
    let shown = if current.is_empty() {
        "–".to_string()
    } else {
        current.clone()
    };
    let r = egui::ComboBox::from_id_salt(("poa", code))
        .selected_text(shown)
        .width(44.0)
        .show_ui(ui, |ui| {
            for (value, label) in std::iter::once(("", "– (not given)"))
                .chain(crate::tasks::coding::POA_INDICATORS.iter().copied())
            {
                if ui.selectable_label(current == value, label).clicked() && current != value {
                    out.push(Command::SetPoa {
                        code: code.to_string(),
                        indicator: value.to_string(),
                    });
                }
            }
        });
    r.response
        .widget_info(move || egui::WidgetInfo::labeled(egui::Role::ComboBox, true, name.clone()));
}

/// The MS-DRG the claim groups to as coded so far, with its weight, payment and the MCC/CC
/// that decided it (practice; an assessment only when its author shows it).
fn drg_ui(ui: &mut Ui, w: &Workspace) {
    let Some(live) = &w.drg else {
        if w.mode == crate::store::Mode::Assessment && !w.show_drg {
            return;
        }
        ui.label(theme::caption(
            "MS-DRG: add the principal diagnosis to see the DRG the claim groups to.",
        ));
        return;
    };
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.set_min_width(ui.available_width());
        let (head, lines) = drg_lines(live);
        let r = ui.add(egui::Label::new(RichText::new(&head).strong()).wrap());
        let name = head.clone();
        r.widget_info(move || egui::WidgetInfo::labeled(egui::Role::Label, true, name.clone()));
        for line in lines {
            ui.add(egui::Label::new(RichText::new(line).small()).wrap());
        }
    });
}

/// The live DRG as a heading and detail lines.
pub(crate) fn drg_lines(
    live: &crate::grading::criteria::drg::ClaimGrouping,
) -> (String, Vec<String>) {
    use crate::terminology::drg::payment::money;
    let mut lines = Vec::new();
    if !live.dropped.is_empty() {
        lines.push(format!(
            "Left out as not valid codes: {}",
            live.dropped.join(", ")
        ));
    }
    let head = match &live.grouping {
        Ok(g) => {
            let weight = g
                .weight
                .map_or("no weight".to_string(), |x| format!("weight {x:.4}"));
            let pay = live.payment.map_or(String::new(), |p| {
                format!(" · ${} at the FY2026 national base rate", money(p))
            });
            lines.push(match (&g.mcc, &g.cc) {
                (Some(mcc), _) => format!("MCC: {mcc}"),
                (None, Some(cc)) => format!("CC: {cc} (no MCC)"),
                (None, None) => "No CC or MCC counts on this claim".to_string(),
            });
            lines.extend(
                g.excluded
                    .iter()
                    .map(|e| format!("{} ({}) does not count: {}", e.code, e.level, e.reason)),
            );
            lines.extend(g.edits.iter().map(|e| format!("Edit: {e}")));
            format!("MS-DRG {} {} · {weight}{pay}", g.drg, g.title)
        }
        Err(e) => format!("MS-DRG: none yet — {e}"),
    };
    (head, lines)
}
