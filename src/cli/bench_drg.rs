//! `ehr-sim bench drg`: the MS-DRG grouper's load time, claims grouped per second on one thread
//! and peak memory, over claims built from the shipped inpatient coding scenarios. The claim set
//! can be written as `drg batch` input (JSONL) for comparisons with other groupers.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::Context;
use serde_json::{Value, json};

use crate::case::generate;
use crate::grading::criteria::codes::required_codes;
use crate::library::ContentRoot;
use crate::scenario::LoadedScenario;
use crate::tasks::TaskSpec;
use crate::terminology::drg::{self, Claim, DischargeStatus, GroupError, Poa, Sex};
use crate::terminology::edits::CodingSetting;
use crate::terminology::{self, System};

/// Arguments of `bench drg`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// How many claims the set holds.
    #[arg(long, default_value_t = 5_000)]
    pub claims: usize,
    /// Also write the claim set as `drg batch` input (one JSON claim a line) to this file.
    #[arg(long)]
    pub write_claims: Option<PathBuf>,
    /// Replace the `--write-claims` file if it exists.
    #[arg(long)]
    pub force: bool,
    /// Seconds to spend grouping (whole passes over the set; at least one).
    #[arg(long, default_value_t = 2.0)]
    pub secs: f64,
}

/// How the claim set was built.
#[derive(Debug, Default, Clone, Copy)]
pub struct ClaimSetInfo {
    /// Inpatient coding scenarios used.
    pub scenarios: usize,
    /// Highest seed used.
    pub last_seed: u64,
    /// Claims coded as the key.
    pub as_coded: usize,
    /// Claims with a coder error.
    pub with_error: usize,
}

/// The inpatient coding scenarios of the shipped library, by id.
fn inpatient_scenarios() -> anyhow::Result<Vec<LoadedScenario>> {
    let (mut all, _) = ContentRoot::discover()
        .load_all()
        .map_err(|d| anyhow::anyhow!("{d}"))?;
    all.retain(|s| match &s.scenario.task {
        TaskSpec::Coding(spec) => matches!(spec.setting, CodingSetting::Inpatient),
        TaskSpec::Charting(_)
        | TaskSpec::Triage(_)
        | TaskSpec::Hospice(_)
        | TaskSpec::Roi(_)
        | TaskSpec::Claims(_)
        | TaskSpec::AccessAudit(_) => false,
    });
    all.sort_by(|a, b| a.scenario.id.cmp(&b.scenario.id));
    Ok(all)
}

/// A secondary diagnosis that looks hospital-acquired (pressure ulcer, complication of care,
/// urinary tract infection, acute kidney injury, acute blood-loss anemia, pneumonia, fluid and
/// electrolyte disorder): a coder may wrongly report it not present on admission.
fn looks_hospital_acquired(code: &str) -> bool {
    const PREFIXES: [&str; 12] = [
        "L89", "T80", "T81", "T82", "T83", "T84", "T85", "N39.0", "N17", "D62", "J18", "E87",
    ];
    PREFIXES.iter().any(|p| code.starts_with(p))
}

/// The claim with one plausible coder error, chosen by `which` (0-2): a secondary code dropped,
/// a POA N on a hospital-acquired-looking code (or a stage 3 pressure ulcer reported POA N
/// when there is none), or a secondary code reported as the principal.
fn with_error(base: &Claim, which: u64) -> Claim {
    let mut c = base.clone();
    let n = c.sdx.len();
    match (which % 3, n) {
        (0, 1..) => {
            let at = usize::try_from(which / 3).unwrap_or(0) % n;
            c.sdx.remove(at);
        }
        (1, _) | (0, 0) => match c
            .sdx
            .iter_mut()
            .find(|(code, _)| looks_hospital_acquired(code))
        {
            Some(item) => item.1 = Poa::N,
            None => c.sdx.push(("L89.153".to_string(), Poa::N)),
        },
        (_, 1..) => {
            let first = c.sdx.remove(0).0;
            let old = std::mem::replace(&mut c.pdx, first);
            c.sdx.insert(0, (old, Poa::Y));
        }
        (_, 0) => c.sdx.push(("L89.153".to_string(), Poa::N)),
    }
    c
}

/// The deterministic claim set: for seeds 1, 2, … and each inpatient coding scenario, the
/// key's claim (first diagnosis = principal, the others secondary with POA Y, the key's
/// procedures, the patient's age and sex, discharged alive) and the same claim with one coder
/// error, until `n` claims.
///
/// # Errors
/// When the scenarios cannot be loaded or none is an inpatient coding scenario.
pub fn claim_set(n: usize) -> anyhow::Result<(Vec<Claim>, ClaimSetInfo)> {
    let scenarios = inpatient_scenarios()?;
    if scenarios.is_empty() {
        anyhow::bail!("no inpatient coding scenario in the library");
    }
    let mut info = ClaimSetInfo {
        scenarios: scenarios.len(),
        ..ClaimSetInfo::default()
    };
    let mut out: Vec<Claim> = Vec::with_capacity(n);
    let mut seed = 0u64;
    while out.len() < n {
        seed += 1;
        let before = out.len();
        for (i, s) in scenarios.iter().enumerate() {
            let case = generate(s, seed, 0);
            let key = case.key();
            let dx = required_codes(&key["codes"]["diagnoses"]);
            let Some((pdx, rest)) = dx.split_first() else {
                continue;
            };
            let demo = &case.patient.demographics;
            let base = Claim {
                pdx: pdx.clone(),
                sdx: rest.iter().map(|c| (c.clone(), Poa::Y)).collect(),
                pcs: required_codes(&key["codes"]["procedures"]),
                age: u8::try_from(demo.age_years).ok(),
                sex: match demo.sex {
                    crate::patient::Sex::Female => Sex::F,
                    crate::patient::Sex::Male => Sex::M,
                },
                discharge: DischargeStatus(1),
                discharge_date: None,
            };
            let error = with_error(&base, seed + i as u64);
            for (claim, coded) in [(base, true), (error, false)] {
                if out.len() < n {
                    out.push(claim);
                    if coded {
                        info.as_coded += 1;
                    } else {
                        info.with_error += 1;
                    }
                }
            }
        }
        info.last_seed = seed;
        if out.len() == before {
            anyhow::bail!("the inpatient coding scenarios' keys have no diagnoses");
        }
    }
    Ok((out, info))
}

/// A claim as a `drg batch` line: plain codes for POA Y, {"code", "poa"} otherwise.
#[must_use]
pub fn claim_json(c: &Claim) -> Value {
    let sdx: Vec<Value> = c
        .sdx
        .iter()
        .map(|(code, poa)| match poa {
            Poa::Y => json!(code),
            Poa::N => json!({"code": code, "poa": "N"}),
            Poa::U => json!({"code": code, "poa": "U"}),
            Poa::W => json!({"code": code, "poa": "W"}),
            Poa::Exempt => json!({"code": code, "poa": "1"}),
        })
        .collect();
    let sex = match c.sex {
        Sex::M => "M",
        Sex::F => "F",
        Sex::U => "U",
    };
    let discharge = match c.discharge.0 {
        1 => "alive".to_string(),
        20 => "expired".to_string(),
        n => format!("{n:02}"),
    };
    json!({
        "pdx": c.pdx, "sdx": sdx, "pcs": c.pcs, "sex": sex, "age": c.age,
        "discharge": discharge,
    })
}

fn write_claims(path: &std::path::Path, force: bool, claims: &[Claim]) -> anyhow::Result<()> {
    let database = crate::paths::database(None).ok();
    crate::report::check_output(path, force, database.as_deref())?;
    let file =
        std::fs::File::create(path).with_context(|| format!("cannot write {}", path.display()))?;
    let mut w = std::io::BufWriter::new(file);
    for c in claims {
        serde_json::to_writer(&mut w, &claim_json(c))?;
        w.write_all(b"\n")?;
    }
    w.flush()?;
    Ok(())
}

/// Peak resident set size in MB (Linux `VmHWM`), when the system says.
fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// Whole passes over the claims until the budget is spent (at least one): claims grouped and
/// seconds taken.
fn throughput(claims: &[Claim], budget: Duration, group: impl Fn(&Claim) -> bool) -> (u64, f64) {
    let started = Instant::now();
    let mut total = 0u64;
    loop {
        for c in claims {
            std::hint::black_box(group(std::hint::black_box(c)));
        }
        total += claims.len() as u64;
        if started.elapsed() >= budget {
            break;
        }
    }
    (total, started.elapsed().as_secs_f64())
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Runs `bench drg`.
///
/// # Errors
/// When the definitions or scenarios cannot be loaded, or the claims file cannot be written.
pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let defs = drg::definitions()?;
    let defs_load = started.elapsed();
    let started = Instant::now();
    let _ = terminology::lookup(System::Icd10Cm, "J189");
    let cm_load = started.elapsed();
    let versions: Vec<&str> = defs.versions.iter().map(|v| v.id).collect();
    println!(
        "definitions: MS-DRG {} and FY2026 Table 5 loaded in {:.1} ms; ICD-10-CM code set in {:.1} ms",
        versions.join(", "),
        ms(defs_load),
        ms(cm_load)
    );
    let (claims, info) = claim_set(args.claims.max(1))?;
    println!(
        "claims: {} from {} inpatient coding scenarios, seeds 1-{} ({} as coded, {} with a coder error)",
        claims.len(),
        info.scenarios,
        info.last_seed,
        info.as_coded,
        info.with_error
    );
    if let Some(path) = &args.write_claims {
        write_claims(path, args.force, &claims)?;
        println!("wrote {} claims to {}", claims.len(), path.display());
    }
    let (mut grouped, mut undecided, mut bad) = (0usize, 0usize, 0usize);
    for c in &claims {
        match drg::group(c) {
            Ok(_) => grouped += 1,
            Err(GroupError::Undetermined(_)) => undecided += 1,
            Err(GroupError::Input(_) | GroupError::Definitions(_)) => bad += 1,
        }
    }
    println!("per pass: {grouped} with a DRG, {undecided} not decided, {bad} input errors");
    let budget = Duration::from_secs_f64(args.secs.clamp(0.0, 600.0));
    let (total, elapsed) = throughput(&claims, budget, |c| {
        drg::group::decide(defs, c, false).is_ok()
    });
    println!(
        "grouped {total} claims in {elapsed:.3} s on one thread: {:.0} claims/s (DRG, MCC/CC, \
         exclusions and edits; the path not built, as `drg batch` without --path)",
        total as f64 / elapsed.max(f64::EPSILON)
    );
    let (total, elapsed) = throughput(&claims, budget, |c| {
        drg::group::decide(defs, c, true).is_ok()
    });
    println!(
        "with the path built for every claim: {total} claims in {elapsed:.3} s: {:.0} claims/s",
        total as f64 / elapsed.max(f64::EPSILON)
    );
    match peak_rss_mb() {
        Some(mb) => println!("peak RSS: {mb:.1} MB"),
        None => println!("peak RSS: not known on this system"),
    }
    Ok(ExitCode::SUCCESS)
}
