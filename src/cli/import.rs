//! `ehr-sim import synthea FILE [--json]`: reads a Synthea FHIR R4 bundle and summarises what
//! the import would take (the patient, counts per resource type, conditions with their SNOMED
//! CT codes, active medications and allergies, vital-sign and lab values) and what it leaves
//! out and why. A malformed bundle fails with the file and the JSON path of the problem.
//! Nothing is written anywhere: to use the patient, name the bundle in a scenario's
//! `patient_source: Synthea((path: "...", condition_map: {...}))`.

use std::fmt;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;
use serde_json::json;

use crate::interop::synthea::{self, ImportedPatient};

/// Arguments of `ehr-sim import`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Where the patient comes from.
    #[command(subcommand)]
    pub source: ImportSource,
}

/// The formats `import` reads.
#[derive(Debug, Subcommand)]
pub enum ImportSource {
    /// A Synthea FHIR R4 patient bundle (JSON).
    Synthea(SyntheaArgs),
}

/// One bundle file and the output format.
#[derive(Debug, clap::Args)]
pub struct SyntheaArgs {
    /// The bundle file.
    pub file: PathBuf,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Runs `ehr-sim import`.
///
/// # Errors
/// When the file cannot be read or is not a usable Synthea bundle (with the JSON path).
pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let ImportSource::Synthea(a) = &args.source;
    let import = synthea::load(&a.file)?;
    if a.json {
        println!("{}", serde_json::to_string_pretty(&summary_json(&import))?);
    } else {
        print!("{}", summary_text(&import));
    }
    Ok(ExitCode::SUCCESS)
}

/// The summary as JSON (stable key order).
pub(crate) fn summary_json(p: &ImportedPatient) -> serde_json::Value {
    json!({
        "file": p.source,
        "patient": {
            "given_name": p.given_name,
            "family_name": p.family_name,
            "sex": p.sex.label(),
            "birth_date": p.birth_date.to_string(),
            "language": p.language,
        },
        "resource_counts": p.counts,
        "imported": {
            "encounters": p.encounters.len(),
            "conditions": p.conditions.len(),
            "medications_active": p.medications.iter().filter(|m| m.active).count(),
            "allergies_active": p.allergies.iter().filter(|a| a.active).count(),
            "vital_sign_values": p.vitals.len(),
            "lab_values": p.labs.len(),
        },
        "conditions": p.conditions.iter().map(|c| json!({
            "snomed": c.snomed,
            "display": c.display,
            "status": if c.active { "active" } else { "resolved" },
            "onset": c.onset.map(|d| d.to_string()),
        })).collect::<Vec<_>>(),
        "medications": p.medications.iter().map(|m| json!({
            "rxnorm": m.rxnorm,
            "display": m.display,
            "status": if m.active { "active" } else { "not active (history, not imported)" },
        })).collect::<Vec<_>>(),
        "allergies": p.allergies.iter().map(|a| json!({
            "snomed": a.snomed,
            "display": a.display,
            "active": a.active,
        })).collect::<Vec<_>>(),
        "skipped": p.skipped.iter().map(|s| json!({
            "resource_type": s.resource_type,
            "count": s.count,
            "reason": s.reason,
        })).collect::<Vec<_>>(),
    })
}

/// The summary as text.
pub(crate) fn summary_text(p: &ImportedPatient) -> String {
    fmt::from_fn(|f| write_summary(f, p)).to_string()
}

fn write_summary(f: &mut fmt::Formatter<'_>, p: &ImportedPatient) -> fmt::Result {
    writeln!(f, "Synthea bundle: {}", p.source)?;
    writeln!(
        f,
        "Patient: {} {}, {}, born {}{}",
        p.given_name,
        p.family_name,
        p.sex.label().to_lowercase(),
        p.birth_date,
        p.language
            .as_deref()
            .map(|l| format!(", speaks {l}"))
            .unwrap_or_default()
    )?;
    writeln!(f, "\nResources in the bundle:")?;
    for (kind, n) in &p.counts {
        writeln!(f, "  {kind:<22} {n:>4}")?;
    }
    let active_meds = p.medications.iter().filter(|m| m.active).count();
    let active_allergies = p.allergies.iter().filter(|a| a.active).count();
    writeln!(
        f,
        "\nImported: {} encounters, {} conditions, {} active medications (of {}), {} active allergies (of {}), {} vital-sign values, {} lab values",
        p.encounters.len(),
        p.conditions.len(),
        active_meds,
        p.medications.len(),
        active_allergies,
        p.allergies.len(),
        p.vitals.len(),
        p.labs.len()
    )?;
    writeln!(f, "\nConditions (SNOMED CT):")?;
    for c in &p.conditions {
        writeln!(
            f,
            "  {:<10} {:<8} onset {:<10}  {}",
            c.snomed.as_deref().unwrap_or("(uncoded)"),
            if c.active { "active" } else { "resolved" },
            c.onset
                .map(|d| d.to_string())
                .unwrap_or_else(|| "unknown".into()),
            c.display
        )?;
    }
    if p.medications.iter().any(|m| !m.active) {
        writeln!(f, "\nMedications not imported (not active):")?;
        for m in p.medications.iter().filter(|m| !m.active) {
            writeln!(f, "  {}", m.display)?;
        }
    }
    writeln!(f, "\nSkipped:")?;
    for s in &p.skipped {
        writeln!(f, "  {:>4} {}: {}", s.count, s.resource_type, s.reason)?;
    }
    Ok(())
}
