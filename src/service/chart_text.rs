//! A plain-text chart printout of a generated case, laid out like an EHR summary: banner,
//! encounter, problems, medications, allergies, vitals flowsheet, labs with flags, notes.

use std::fmt::Write as _;

use crate::case::Case;
use crate::generate::text::age_phrase;
use crate::patient::LabFlag;

/// The printout.
pub fn chart(case: &Case) -> String {
    let p = &case.patient;
    let d = &p.demographics;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "SYNTHETIC PATIENT — NOT REAL    {} (seed {}, #{})",
        case.scenario_id, case.seed, case.index
    );
    let _ = writeln!(s, "{}", "-".repeat(78));
    let _ = writeln!(
        s,
        "{}   {}  {}  DOB {}   {}",
        p.banner_name(),
        d.sex.letter(),
        age_phrase(p, case.as_of),
        d.birth_date.format("%Y-%m-%d"),
        d.mrn
    );
    let allergies = if p.allergies.is_empty() {
        "No Known Allergies".to_string()
    } else {
        p.allergies
            .iter()
            .map(|a| format!("{} ({}, {})", a.allergen, a.reaction, a.severity.label()))
            .collect::<Vec<_>>()
            .join("; ")
    };
    let _ = writeln!(s, "ALLERGIES: {allergies}");
    if let Some(v) = p.vitals.last() {
        let _ = writeln!(
            s,
            "Weight {:.1} kg   Height {:.1} cm   BMI {:.1}",
            v.weight_kg,
            v.height_cm,
            v.bmi()
        );
    }
    let _ = writeln!(
        s,
        "{}, {}, {} {}   Phone {}   Language {}{}",
        d.address.line,
        d.address.city,
        d.address.state,
        d.address.postal_code,
        d.phone,
        d.language,
        if d.interpreter_needed {
            " (interpreter)"
        } else {
            ""
        }
    );
    let _ = writeln!(
        s,
        "Payer {} ({})   Emergency contact {} ({}) {}",
        d.insurance.payer,
        d.insurance.member_id,
        d.emergency_contact.name,
        d.emergency_contact.relationship,
        d.emergency_contact.phone
    );
    let _ = writeln!(s, "{}", "-".repeat(78));
    let _ = writeln!(s, "\nTASK\n  {}", case.instructions);
    let _ = writeln!(s, "\nENCOUNTERS");
    for e in &p.encounters {
        let end = e
            .end
            .map(|t| t.format(" – %Y-%m-%d %H:%M").to_string())
            .unwrap_or_default();
        let _ = writeln!(
            s,
            "  {}{}  {:<22} {}  {}  ({})",
            e.start.format("%Y-%m-%d %H:%M"),
            end,
            e.setting.label(),
            e.id,
            e.reason,
            e.location
        );
    }
    let _ = writeln!(s, "\nPROBLEMS");
    for c in &p.conditions {
        let onset = c
            .onset
            .map(|o| format!("  onset {}", o.format("%Y-%m-%d")))
            .unwrap_or_default();
        let _ = writeln!(s, "  [{:?}] {}{}", c.status, c.display, onset);
    }
    let _ = writeln!(s, "\nHOME MEDICATIONS");
    if p.medications.is_empty() {
        let _ = writeln!(s, "  none");
    }
    for m in &p.medications {
        let _ = writeln!(
            s,
            "  {:<18} {:<10} {:<14} {:<22} for {}",
            m.name, m.dose, m.route, m.frequency, m.indication
        );
    }
    let _ = writeln!(s, "\nVITAL SIGNS");
    let _ = writeln!(
        s,
        "  {:<17} {:>7} {:>4} {:>3} {:>8} {:>5}  {:<12} {:>4}",
        "time", "temp °C", "HR", "RR", "BP", "SpO2", "O2", "pain"
    );
    for v in &p.vitals {
        let _ = writeln!(
            s,
            "  {:<17} {:>7.1} {:>4} {:>3} {:>8} {:>4}%  {:<12} {:>2} ({})",
            v.taken_at.format("%Y-%m-%d %H:%M"),
            v.temperature_c,
            v.heart_rate_bpm,
            v.respiratory_rate_per_min,
            format!("{}/{}", v.systolic_mmhg, v.diastolic_mmhg),
            v.spo2_percent,
            v.oxygen,
            v.pain_score,
            v.pain_scale
        );
    }
    if !p.labs.is_empty() {
        let _ = writeln!(s, "\nLABS");
        for l in &p.labs {
            let flag = match l.flag() {
                LabFlag::High => "H",
                LabFlag::Low => "L",
                LabFlag::Normal => "",
            };
            let range = match (l.reference_low, l.reference_high) {
                (Some(lo), Some(hi)) => format!("{lo}–{hi}"),
                _ => String::new(),
            };
            let _ = writeln!(
                s,
                "  {:<28} {:>8} {:<2} {:<10} ref {}",
                l.name, l.value, flag, l.unit, range
            );
        }
    }
    for n in &p.notes {
        let _ = writeln!(
            s,
            "\n{} — {} — {}",
            n.kind.to_uppercase(),
            n.author,
            n.written_at.format("%Y-%m-%d %H:%M")
        );
        for line in n.text.lines() {
            let _ = writeln!(s, "  {line}");
        }
    }
    s
}
