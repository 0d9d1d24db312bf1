//! The chart sections drawn in the centre: aligned tables, units in the row headers, abnormal
//! values flagged with H/L and colour, newest readings on the right of the flowsheet.

use egui::{RichText, Ui};

use super::Section;
use crate::case::Case;
use crate::patient::{LabFlag, VitalSigns};
use crate::ui::theme;

/// Draws one section.
pub(super) fn section_ui(ui: &mut Ui, section: Section, case: &Case) {
    ui.label(theme::heading(section.label()));
    ui.add_space(4.0);
    match section {
        Section::Summary => summary_ui(ui, case),
        Section::Encounters => encounters_ui(ui, case),
        Section::Notes => notes_ui(ui, case),
        Section::Vitals => vitals_ui(ui, case),
        Section::Results => labs_ui(ui, case),
        Section::Medications => medications_ui(ui, case),
        Section::Allergies => allergies_ui(ui, case),
        Section::Problems => problems_ui(ui, case),
        // Drawn by chart::timeline and chart::access_log (they need the answer).
        Section::Timeline | Section::AccessLog => {}
    }
}

fn summary_ui(ui: &mut Ui, case: &Case) {
    let d = &case.patient.demographics;
    egui::Grid::new("demographics")
        .num_columns(2)
        .striped(true)
        .show(ui, |ui| {
            let rows = [
                (
                    "Address",
                    format!(
                        "{}, {}, {} {}",
                        d.address.line, d.address.city, d.address.state, d.address.postal_code
                    ),
                ),
                ("Phone", d.phone.clone()),
                (
                    "Language",
                    format!(
                        "{}{}",
                        d.language,
                        if d.interpreter_needed {
                            " — interpreter needed"
                        } else {
                            ""
                        }
                    ),
                ),
                (
                    "Insurance",
                    format!("{} ({})", d.insurance.payer, d.insurance.member_id),
                ),
                (
                    "Emergency contact",
                    format!(
                        "{} ({}) {}",
                        d.emergency_contact.name,
                        d.emergency_contact.relationship,
                        d.emergency_contact.phone
                    ),
                ),
            ];
            for (k, v) in rows {
                ui.label(theme::caption(k));
                ui.label(v);
                ui.end_row();
            }
        });
    ui.add_space(8.0);
    ui.label(RichText::new("Active problems").strong());
    problems_ui(ui, case);
    ui.add_space(8.0);
    ui.label(RichText::new("Latest vital signs").strong());
    if let Some(v) = case.patient.vitals.last() {
        ui.label(format!(
            "T {:.1} °C · HR {} /min · RR {} /min · BP {}/{} mmHg · SpO2 {} % ({}) · Pain {} ({}) · BMI {:.1} kg/m²",
            v.temperature_c, v.heart_rate_bpm, v.respiratory_rate_per_min, v.systolic_mmhg, v.diastolic_mmhg,
            v.spo2_percent, v.oxygen, v.pain_score, v.pain_scale, v.bmi()
        ));
    }
}

fn encounters_ui(ui: &mut Ui, case: &Case) {
    egui::Grid::new("encounters")
        .num_columns(5)
        .striped(true)
        .show(ui, |ui| {
            for h in ["Start", "End", "Type", "Visit", "Reason"] {
                ui.label(RichText::new(h).strong());
            }
            ui.end_row();
            for e in case.patient.encounters.iter().rev() {
                ui.label(e.start.format("%Y-%m-%d %H:%M").to_string());
                ui.label(
                    e.end
                        .map(|t| t.format("%Y-%m-%d %H:%M").to_string())
                        .unwrap_or_else(|| "ongoing".into()),
                );
                ui.label(e.setting.label());
                ui.label(&e.id);
                ui.label(&e.reason);
                ui.end_row();
            }
        });
}

fn notes_ui(ui: &mut Ui, case: &Case) {
    for n in case.patient.notes.iter().rev() {
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.set_width(ui.available_width().min(760.0));
            ui.label(
                RichText::new(format!(
                    "{} — {}",
                    n.kind,
                    n.written_at.format("%Y-%m-%d %H:%M")
                ))
                .strong(),
            );
            ui.label(theme::caption(&n.author));
            ui.add_space(4.0);
            ui.label(RichText::new(&n.text).size(14.0));
        });
        ui.add_space(6.0);
    }
    if case.patient.notes.is_empty() {
        ui.label("No notes for this patient.");
    }
}

/// One flowsheet row: label with unit, value, and whether it is abnormal for an adult
/// (pediatric patients are flagged by the task's own rules, not here).
type FlowRow = (&'static str, fn(&VitalSigns) -> (String, bool));

fn vitals_ui(ui: &mut Ui, case: &Case) {
    let vitals = &case.patient.vitals;
    let adult = case.patient.demographics.age_years >= 18;
    let dark = theme::is_dark(ui.ctx());
    let rows: [FlowRow; 9] = [
        ("Temp (°C)", |v| {
            (
                format!("{:.1}", v.temperature_c),
                v.temperature_c >= 38.0 || v.temperature_c < 36.0,
            )
        }),
        ("HR (/min)", |v| {
            (
                v.heart_rate_bpm.to_string(),
                v.heart_rate_bpm > 100 || v.heart_rate_bpm < 60,
            )
        }),
        ("RR (/min)", |v| {
            (
                v.respiratory_rate_per_min.to_string(),
                v.respiratory_rate_per_min > 20 || v.respiratory_rate_per_min < 12,
            )
        }),
        ("BP (mmHg)", |v| {
            (
                format!("{}/{}", v.systolic_mmhg, v.diastolic_mmhg),
                v.systolic_mmhg >= 140 || v.diastolic_mmhg >= 90 || v.systolic_mmhg < 90,
            )
        }),
        ("SpO2 (%)", |v| {
            (v.spo2_percent.to_string(), v.spo2_percent < 95)
        }),
        ("O2", |v| (v.oxygen.clone(), false)),
        ("Pain", |v| {
            (
                format!("{} ({})", v.pain_score, v.pain_scale),
                v.pain_score >= 7,
            )
        }),
        ("Weight (kg)", |v| (format!("{:.1}", v.weight_kg), false)),
        ("BMI (kg/m²)", |v| (format!("{:.1}", v.bmi()), false)),
    ];
    egui::Grid::new("flowsheet")
        .num_columns(vitals.len() + 1)
        .striped(true)
        .min_col_width(90.0)
        .show(ui, |ui| {
            ui.label(RichText::new("Parameter").strong());
            for v in vitals {
                ui.label(RichText::new(v.taken_at.format("%Y-%m-%d %H:%M").to_string()).strong());
            }
            ui.end_row();
            for (label, get) in rows {
                ui.label(theme::caption(label));
                for v in vitals {
                    let (text, abnormal) = get(v);
                    if abnormal && adult {
                        ui.label(RichText::new(text).strong().color(theme::abnormal(dark)));
                    } else {
                        ui.label(text);
                    }
                }
                ui.end_row();
            }
        });
    if !adult {
        ui.add_space(6.0);
        ui.label(theme::caption(
            "Pediatric patient: compare with age-specific ranges; adult flags are not shown.",
        ));
    }
    if vitals.len() > 1 {
        ui.add_space(10.0);
        ui.label(RichText::new("Trend: heart rate and temperature").strong());
        let hr: egui_plot::PlotPoints = vitals
            .iter()
            .enumerate()
            .map(|(i, v)| [i as f64, f64::from(v.heart_rate_bpm)])
            .collect();
        let temp: egui_plot::PlotPoints = vitals
            .iter()
            .enumerate()
            .map(|(i, v)| [i as f64, v.temperature_c * 3.0])
            .collect();
        egui_plot::Plot::new("vitals_trend")
            .height(160.0)
            .allow_drag(false)
            .allow_zoom(false)
            .allow_scroll(false)
            .legend(egui_plot::Legend::default())
            .show(ui, |plot| {
                plot.line(egui_plot::Line::new("HR /min", hr));
                plot.line(egui_plot::Line::new("Temp °C ×3", temp));
            });
    }
}

fn labs_ui(ui: &mut Ui, case: &Case) {
    let dark = theme::is_dark(ui.ctx());
    if case.patient.labs.is_empty() {
        ui.label("No results for this patient.");
        return;
    }
    egui::Grid::new("labs")
        .num_columns(6)
        .striped(true)
        .show(ui, |ui| {
            for h in ["Test", "Value", "Flag", "Unit", "Reference", "Collected"] {
                ui.label(RichText::new(h).strong());
            }
            ui.end_row();
            for l in &case.patient.labs {
                let flag = l.flag();
                ui.label(&l.name);
                let value = RichText::new(format!("{}", l.value));
                let (value, flag_text) = match flag {
                    LabFlag::High => (value.strong().color(theme::abnormal(dark)), "H"),
                    LabFlag::Low => (value.strong().color(theme::abnormal(dark)), "L"),
                    LabFlag::Normal => (value, ""),
                };
                ui.label(value);
                ui.label(
                    RichText::new(flag_text)
                        .strong()
                        .color(theme::abnormal(dark)),
                );
                ui.label(&l.unit);
                ui.label(match (l.reference_low, l.reference_high) {
                    (Some(lo), Some(hi)) => format!("{lo}–{hi}"),
                    _ => String::new(),
                });
                ui.label(l.collected_at.format("%Y-%m-%d %H:%M").to_string());
                ui.end_row();
            }
        });
}

fn medications_ui(ui: &mut Ui, case: &Case) {
    if case.patient.medications.is_empty() {
        ui.label("No home medications.");
        return;
    }
    egui::Grid::new("meds")
        .num_columns(5)
        .striped(true)
        .show(ui, |ui| {
            for h in ["Drug", "Dose", "Route", "Frequency", "Indication"] {
                ui.label(RichText::new(h).strong());
            }
            ui.end_row();
            for m in &case.patient.medications {
                ui.label(&m.name);
                ui.label(&m.dose);
                ui.label(&m.route);
                ui.label(&m.frequency);
                ui.label(&m.indication);
                ui.end_row();
            }
        });
}

fn allergies_ui(ui: &mut Ui, case: &Case) {
    let dark = theme::is_dark(ui.ctx());
    if case.patient.allergies.is_empty() {
        ui.label(RichText::new("No Known Allergies").strong());
        return;
    }
    egui::Grid::new("allergies")
        .num_columns(5)
        .striped(true)
        .show(ui, |ui| {
            for h in ["Allergen", "Type", "Reaction", "Severity", "Criticality"] {
                ui.label(RichText::new(h).strong());
            }
            ui.end_row();
            for a in &case.patient.allergies {
                ui.label(
                    RichText::new(&a.allergen)
                        .strong()
                        .color(theme::alert(dark)),
                );
                ui.label(format!("{:?} ({:?})", a.kind, a.category));
                ui.label(&a.reaction);
                ui.label(a.severity.label());
                ui.label(format!("{:?}", a.criticality));
                ui.end_row();
            }
        });
}

fn problems_ui(ui: &mut Ui, case: &Case) {
    egui::Grid::new(ui.next_auto_id())
        .num_columns(3)
        .striped(true)
        .show(ui, |ui| {
            for c in &case.patient.conditions {
                ui.label(format!("{:?}", c.status));
                ui.label(&c.display);
                ui.label(
                    c.onset
                        .map(|o| format!("since {}", o.format("%Y-%m-%d")))
                        .unwrap_or_default(),
                );
                ui.end_row();
            }
        });
}
