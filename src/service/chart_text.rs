//! A plain-text chart printout of a generated case, laid out like an EHR summary: banner,
//! encounter, problems, medications, allergies, vitals flowsheet, labs with flags, notes.

use std::fmt;

use crate::case::Case;
use crate::generate::text::age_phrase;
use crate::patient::{LabFlag, Patient};

/// The printout.
pub fn chart(case: &Case) -> String {
    fmt::from_fn(|f| write_chart(f, case)).to_string()
}

fn write_chart(f: &mut fmt::Formatter<'_>, case: &Case) -> fmt::Result {
    let p = &case.patient;
    banner(f, case)?;
    writeln!(f, "\nTASK\n  {}", case.instructions)?;
    encounters(f, p)?;
    problems(f, p)?;
    home_medications(f, p)?;
    vital_signs(f, p)?;
    labs(f, p)?;
    notes(f, p)
}

/// The banner: identity, allergies, body size, contact and payer.
fn banner(f: &mut fmt::Formatter<'_>, case: &Case) -> fmt::Result {
    let p = &case.patient;
    let d = &p.demographics;
    writeln!(
        f,
        "SYNTHETIC PATIENT — NOT REAL    {} (seed {}, #{})",
        case.scenario_id, case.seed, case.index
    )?;
    writeln!(f, "{}", "-".repeat(78))?;
    writeln!(
        f,
        "{}   {}  {}  DOB {}   {}",
        p.banner_name(),
        d.sex.letter(),
        age_phrase(p, case.as_of),
        d.birth_date.format("%Y-%m-%d"),
        d.mrn
    )?;
    let allergies = if p.allergies.is_empty() {
        "No Known Allergies".to_string()
    } else {
        p.allergies
            .iter()
            .map(|a| format!("{} ({}, {})", a.allergen, a.reaction, a.severity.label()))
            .collect::<Vec<_>>()
            .join("; ")
    };
    writeln!(f, "ALLERGIES: {allergies}")?;
    if let Some(v) = p.vitals.last() {
        writeln!(
            f,
            "Weight {:.1} kg   Height {:.1} cm   BMI {:.1}",
            v.weight_kg,
            v.height_cm,
            v.bmi()
        )?;
    }
    writeln!(
        f,
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
    )?;
    writeln!(
        f,
        "Payer {} ({})   Emergency contact {} ({}) {}",
        d.insurance.payer,
        d.insurance.member_id,
        d.emergency_contact.name,
        d.emergency_contact.relationship,
        d.emergency_contact.phone
    )?;
    writeln!(f, "{}", "-".repeat(78))?;
    Ok(())
}

/// The encounters, as recorded.
fn encounters(f: &mut fmt::Formatter<'_>, p: &Patient) -> fmt::Result {
    writeln!(f, "\nENCOUNTERS")?;
    for e in &p.encounters {
        let end = e
            .end
            .map(|t| t.format(" – %Y-%m-%d %H:%M").to_string())
            .unwrap_or_default();
        writeln!(
            f,
            "  {}{}  {:<22} {}  {}  ({})",
            e.start.format("%Y-%m-%d %H:%M"),
            end,
            e.setting.label(),
            e.id,
            e.reason,
            e.location
        )?;
    }
    Ok(())
}

/// The problem list with status and onset.
fn problems(f: &mut fmt::Formatter<'_>, p: &Patient) -> fmt::Result {
    writeln!(f, "\nPROBLEMS")?;
    for c in &p.conditions {
        let onset = c
            .onset
            .map(|o| format!("  onset {}", o.format("%Y-%m-%d")))
            .unwrap_or_default();
        writeln!(f, "  [{:?}] {}{}", c.status, c.display, onset)?;
    }
    Ok(())
}

/// The home medications.
fn home_medications(f: &mut fmt::Formatter<'_>, p: &Patient) -> fmt::Result {
    writeln!(f, "\nHOME MEDICATIONS")?;
    if p.medications.is_empty() {
        writeln!(f, "  none")?;
    }
    for m in &p.medications {
        writeln!(
            f,
            "  {:<18} {:<10} {:<14} {}",
            m.name,
            m.dose,
            m.route,
            m.frequency_and_indication()
        )?;
    }
    Ok(())
}

/// The vital-signs flowsheet.
fn vital_signs(f: &mut fmt::Formatter<'_>, p: &Patient) -> fmt::Result {
    writeln!(f, "\nVITAL SIGNS")?;
    writeln!(
        f,
        "  {:<17} {:>7} {:>4} {:>3} {:>8} {:>5}  {:<12} {:>4}",
        "time", "temp °C", "HR", "RR", "BP", "SpO2", "O2", "pain"
    )?;
    for v in &p.vitals {
        writeln!(
            f,
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
        )?;
    }
    Ok(())
}

/// The lab results with H/L flags and reference ranges, when there are any.
fn labs(f: &mut fmt::Formatter<'_>, p: &Patient) -> fmt::Result {
    if !p.labs.is_empty() {
        writeln!(f, "\nLABS")?;
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
            writeln!(
                f,
                "  {:<28} {:>8} {:<2} {:<10} ref {}",
                l.name, l.value, flag, l.unit, range
            )?;
        }
    }
    Ok(())
}

/// The notes, each under a heading line.
fn notes(f: &mut fmt::Formatter<'_>, p: &Patient) -> fmt::Result {
    for n in &p.notes {
        writeln!(
            f,
            "\n{} — {} — {}",
            n.kind.to_uppercase(),
            n.author,
            n.written_at.format("%Y-%m-%d %H:%M")
        )?;
        for line in n.text.lines() {
            writeln!(f, "  {line}")?;
        }
    }
    Ok(())
}
