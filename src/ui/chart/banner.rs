//! The patient banner: two identifiers prominent, allergies in the alert colour ("No Known
//! Allergies" written out), encounter, attending, weight, and the synthetic-patient marker.

use egui::{RichText, Ui};

use crate::case::Case;
use crate::generate::text::age_phrase;
use crate::ui::theme;

/// Draws the banner.
pub(super) fn banner_ui(ui: &mut Ui, case: &Case) {
    let p = &case.patient;
    let d = &p.demographics;
    let dark = theme::is_dark(ui.ctx());
    ui.add_space(4.0);
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(p.banner_name()).size(20.0).strong());
        ui.add_space(8.0);
        ui.label(RichText::new(format!(
            "{}  ·  {}  ·  DOB {}",
            d.sex.label(),
            age_phrase(p, case.as_of),
            d.birth_date.format("%Y-%m-%d")
        )));
        ui.add_space(8.0);
        ui.label(RichText::new(format!("MRN {}", d.mrn)).strong());
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            ui.label(
                RichText::new("SYNTHETIC PATIENT — NOT REAL")
                    .small()
                    .color(theme::abnormal(dark)),
            );
        });
    });
    ui.horizontal_wrapped(|ui| {
        let allergies = if p.allergies.is_empty() {
            if p.no_known_allergies {
                "No Known Allergies".to_string()
            } else {
                "Allergies not reviewed".to_string()
            }
        } else {
            p.allergies
                .iter()
                .map(|a| format!("{} ({})", a.allergen, a.reaction))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let colour = if p.allergies.is_empty() {
            ui.visuals().text_color()
        } else {
            theme::alert(dark)
        };
        ui.label(RichText::new("Allergies:").strong().color(colour));
        ui.label(RichText::new(allergies).strong().color(colour));
        ui.separator();
        if let Some(e) = p.current_encounter() {
            ui.label(format!(
                "{} {} · {} · {}",
                e.setting.label(),
                e.id,
                e.location,
                e.attending
            ));
        }
        if let Some(v) = p.vitals.last() {
            ui.separator();
            ui.label(format!("Wt {:.1} kg", v.weight_kg));
        }
    });
    ui.add_space(4.0);
}
