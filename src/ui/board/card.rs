//! One arrival's card on the triage board: arrival time and minutes waiting, who (name,
//! age/sex, DOB, MRN), the complaint in the patient's words, what the nurse sees, the triage
//! vital signs with abnormal values in the warning colour, allergies and home medications, and
//! the ESI buttons 1–5 in the conventional colours. After a change while waiting, the card shows
//! what the patient says now, the new observations and vital signs, and re-triage buttons.
//!
//! Invariant: nothing here shows or derives the key's level; the buttons only show the level
//! the learner chose.

use egui::{Color32, RichText, Stroke, Ui};

use super::triage_board::{BoardCommand, TriageBoard, has_changed, level_in};
use crate::patient::VitalSigns;
use crate::tasks::triage::shift::ShiftArrival;
use crate::tasks::triage::vitals::limits_for;
use crate::tasks::triage::{ArrivalMode, EsiVersion};
use crate::ui::app::Command;
use crate::ui::theme;

/// The conventional ESI colour of a level (1 red, 2 orange, 3 yellow, 4 green, 5 blue) and the
/// text colour that reads on it.
#[must_use]
fn esi_colours(level: u8) -> (Color32, Color32) {
    match level {
        1 => (Color32::from_rgb(200, 30, 30), Color32::WHITE),
        2 => (Color32::from_rgb(240, 130, 20), Color32::BLACK),
        3 => (Color32::from_rgb(240, 205, 40), Color32::BLACK),
        4 => (Color32::from_rgb(60, 160, 75), Color32::BLACK),
        _ => (Color32::from_rgb(40, 100, 200), Color32::WHITE),
    }
}

/// A filled "ESI n" chip in the level's colour.
pub(super) fn level_chip(ui: &mut Ui, level: u8) {
    let (fill, text) = esi_colours(level);
    egui::Frame::new()
        .fill(fill)
        .corner_radius(3.0)
        .inner_margin(egui::Margin::symmetric(6, 1))
        .show(ui, |ui| {
            ui.label(RichText::new(format!("ESI {level}")).strong().color(text));
        });
}

/// The row of ESI buttons; `name` gives each button's accessible name.
fn esi_buttons_ui(
    ui: &mut Ui,
    chosen: Option<u8>,
    name: impl Fn(u8) -> String,
    command: impl Fn(u8) -> BoardCommand,
    out: &mut Vec<Command>,
) {
    let plain_fill = ui.visuals().widgets.inactive.weak_bg_fill;
    let strong_text = ui.visuals().strong_text_color();
    for level in 1..=5u8 {
        let (fill, text) = esi_colours(level);
        let selected = chosen == Some(level);
        let button = if selected {
            egui::Button::new(RichText::new(level.to_string()).strong().color(text))
                .fill(fill)
                .stroke(Stroke::new(2.0, strong_text))
        } else {
            egui::Button::new(RichText::new(level.to_string()).strong())
                .fill(plain_fill)
                .stroke(Stroke::new(2.0, fill))
        };
        let r = ui.add_sized([34.0, 24.0], button);
        let label = name(level);
        r.widget_info(move || {
            egui::WidgetInfo::selected(egui::Role::Button, true, selected, label.clone())
        });
        if r.clicked() {
            out.push(Command::Board(command(level)));
        }
    }
}

/// Which vital signs are abnormal for the arrival's age: adults by the usual adult ranges,
/// children by the age band's high-risk heart and breathing rates of the shift's ESI version.
struct Flags {
    temperature: bool,
    heart_rate: bool,
    respiratory_rate: bool,
    blood_pressure: bool,
    spo2: bool,
    pain: bool,
}

fn flags(a: &ShiftArrival, v: &VitalSigns, version: EsiVersion) -> Flags {
    let age = a.presentation.age;
    let adult = age.years() >= 18;
    let (hr_high, rr_high) = if adult {
        (100, 20)
    } else {
        let l = limits_for(age, version);
        (
            u32::from(l.heart_rate_above_bpm),
            u32::from(l.respiratory_rate_above_per_min),
        )
    };
    Flags {
        temperature: v.temperature_c >= 38.0 || v.temperature_c < 36.0,
        heart_rate: v.heart_rate_bpm > hr_high || (adult && v.heart_rate_bpm < 60),
        respiratory_rate: v.respiratory_rate_per_min > rr_high
            || (adult && v.respiratory_rate_per_min < 12),
        blood_pressure: adult
            && (v.systolic_mmhg >= 140 || v.diastolic_mmhg >= 90 || v.systolic_mmhg < 90),
        spo2: v.spo2_percent < 95,
        pain: v.pain_score >= 7,
    }
}

/// The vital signs on one line, abnormal values bold in the warning colour.
fn vitals_ui(ui: &mut Ui, heading: &str, a: &ShiftArrival, v: &VitalSigns, version: EsiVersion) {
    let dark = theme::is_dark(ui.ctx());
    let f = flags(a, v, version);
    let value = |text: String, abnormal: bool| {
        if abnormal {
            RichText::new(text).strong().color(theme::abnormal(dark))
        } else {
            RichText::new(text)
        }
    };
    ui.horizontal_wrapped(|ui| {
        ui.spacing_mut().item_spacing.x = 10.0;
        ui.label(theme::caption(heading));
        ui.label(value(format!("T {:.1} °C", v.temperature_c), f.temperature));
        ui.label(value(format!("HR {}", v.heart_rate_bpm), f.heart_rate));
        ui.label(value(
            format!("RR {}", v.respiratory_rate_per_min),
            f.respiratory_rate,
        ));
        ui.label(value(
            format!("BP {}/{}", v.systolic_mmhg, v.diastolic_mmhg),
            f.blood_pressure,
        ));
        ui.label(value(
            format!("SpO2 {}% {}", v.spo2_percent, v.oxygen),
            f.spo2,
        ));
        ui.label(value(
            format!("Pain {} ({})", v.pain_score, v.pain_scale),
            f.pain,
        ));
    });
}

fn arrival_mode(a: &ShiftArrival) -> String {
    let mode = match a.presentation.arrival.mode {
        ArrivalMode::WalkIn => "walk-in",
        ArrivalMode::Ambulance => "ambulance",
        ArrivalMode::Helicopter => "helicopter",
        ArrivalMode::Police => "police",
        ArrivalMode::Transfer => "transfer",
    };
    let details = &a.presentation.arrival.details;
    if details.is_empty() {
        mode.to_string()
    } else {
        format!("{mode}, {details}")
    }
}

/// Parses the material's ESI version ("v4" / "v5"; v5 otherwise).
#[must_use]
pub(super) fn version_of(text: &str) -> EsiVersion {
    if text.eq_ignore_ascii_case("v4") {
        EsiVersion::V4
    } else {
        EsiVersion::V5
    }
}

/// Draws one arrival's card; `row` is its entry in the learner's answer (if any).
pub(super) fn card_ui(
    ui: &mut Ui,
    a: &ShiftArrival,
    row: Option<&serde_json::Value>,
    board: &TriageBoard,
    version: EsiVersion,
    out: &mut Vec<Command>,
) {
    let dark = theme::is_dark(ui.ctx());
    let level = row.and_then(|r| level_in(r, "esi_level"));
    let retriage = row.and_then(|r| level_in(r, "retriage_level"));
    let changed = has_changed(a, board.clock);
    let alert = changed && retriage.is_none();
    let selected = board.selected.as_deref() == Some(a.id.as_str());
    let stroke = if alert {
        Stroke::new(2.5, theme::alert(dark))
    } else if selected {
        Stroke::new(2.0, theme::accent(dark))
    } else {
        ui.visuals().widgets.noninteractive.bg_stroke
    };
    egui::Frame::group(ui.style())
        .stroke(stroke)
        .inner_margin(egui::Margin::same(8))
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            header_ui(ui, a, board, retriage.or(level), dark, out);
            patient_ui(ui, a, version, dark);
            ui.horizontal(|ui| {
                ui.label(RichText::new("Triage level").strong());
                let id = a.id.clone();
                esi_buttons_ui(
                    ui,
                    level,
                    |l| format!("ESI {l} for {}", a.id),
                    move |l| BoardCommand::SetLevel {
                        id: id.clone(),
                        level: l,
                    },
                    out,
                );
            });
            if let (Some(ch), true) = (&a.change, changed) {
                let colour = if alert {
                    theme::alert(dark)
                } else {
                    ui.visuals().weak_text_color()
                };
                egui::Frame::new()
                    .stroke(Stroke::new(1.5, colour))
                    .corner_radius(4.0)
                    .inner_margin(egui::Margin::same(6))
                    .show(ui, |ui| {
                        ui.set_width(ui.available_width());
                        ui.label(
                            RichText::new(format!(
                                "{} back at the desk ({} min ago)",
                                ch.at.format("%H:%M"),
                                board.minutes_since(ch.at)
                            ))
                            .strong()
                            .color(colour),
                        );
                        ui.label(
                            RichText::new(format!("\u{201c}{}\u{201d}", ch.says))
                                .size(14.5)
                                .italics(),
                        );
                        if !ch.observations.is_empty() {
                            ui.label(format!("You see: {}", ch.observations.join("; ")));
                        }
                        vitals_ui(ui, "Repeat vitals", a, &ch.vitals, version);
                        if level.is_none() {
                            ui.label(
                                RichText::new(
                                    "Give the first triage level above, then re-triage here.",
                                )
                                .strong(),
                            );
                            return;
                        }
                        ui.horizontal(|ui| {
                            ui.label(RichText::new("Re-triage level").strong());
                            let id = a.id.clone();
                            esi_buttons_ui(
                                ui,
                                retriage,
                                |l| format!("Re-triage ESI {l} for {}", a.id),
                                move |l| BoardCommand::SetRetriageLevel {
                                    id: id.clone(),
                                    level: l,
                                },
                                out,
                            );
                        });
                    });
            }
        });
}

/// The card's first line: id, arrival, wait, mode, the "Document" button and the level shown.
fn header_ui(
    ui: &mut Ui,
    a: &ShiftArrival,
    board: &TriageBoard,
    shown_level: Option<u8>,
    dark: bool,
    out: &mut Vec<Command>,
) {
    ui.horizontal(|ui| {
        ui.label(RichText::new(&a.id).monospace().strong().size(15.0));
        ui.label(RichText::new(format!("arrived {}", a.arrived_at.format("%H:%M"))).strong());
        ui.label(format!("waiting {} min", board.minutes_since(a.arrived_at)));
        ui.label(theme::caption(arrival_mode(a)));
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            let r = ui.small_button("Document");
            let name = format!("Document {}", a.id);
            r.widget_info(move || {
                egui::WidgetInfo::labeled(egui::Role::Button, true, name.clone())
            });
            if r.clicked() {
                out.push(Command::Board(BoardCommand::Document(a.id.clone())));
            }
            if let Some(l) = shown_level {
                level_chip(ui, l);
            } else {
                ui.label(
                    RichText::new("Not triaged")
                        .small()
                        .color(theme::abnormal(dark)),
                );
            }
        });
    });
}

/// Who the patient is and what the desk sees: name, complaint, observations, vitals, allergies
/// and home medications.
fn patient_ui(ui: &mut Ui, a: &ShiftArrival, version: EsiVersion, dark: bool) {
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(&a.name).strong().size(15.0));
        ui.label(format!("{} {}", a.age_text, a.sex));
        ui.label(theme::caption(format!(
            "DOB {} · MRN {}",
            a.birth_date.format("%Y-%m-%d"),
            a.mrn
        )));
    });
    ui.label(
        RichText::new(format!(
            "\u{201c}{}\u{201d}",
            a.presentation.chief_complaint
        ))
        .size(14.5)
        .italics(),
    );
    if !a.observations.is_empty() {
        ui.label(format!("You see: {}", a.observations.join("; ")));
    }
    vitals_ui(ui, "Triage vitals", a, &a.vitals, version);
    ui.horizontal_wrapped(|ui| {
        if a.allergies.is_empty() {
            ui.label(RichText::new("No Known Allergies").strong());
        } else {
            ui.label(
                RichText::new(format!("Allergies: {}", a.allergies.join(", ")))
                    .strong()
                    .color(theme::alert(dark)),
            );
        }
        ui.label(theme::caption(format!(
            "Home meds: {}",
            if a.medications.is_empty() {
                "none".to_string()
            } else {
                a.medications.join(", ")
            }
        )));
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_follow_the_convention_and_read() {
        assert_eq!(esi_colours(1).0, Color32::from_rgb(200, 30, 30));
        assert_eq!(esi_colours(3).1, Color32::BLACK);
        assert_eq!(esi_colours(5).1, Color32::WHITE);
        assert_eq!(version_of("v4"), EsiVersion::V4);
        assert_eq!(version_of("v5"), EsiVersion::V5);
    }
}
