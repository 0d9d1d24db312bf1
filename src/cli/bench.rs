//! `ehr-sim bench …`: performance figures, measured in-process on this machine. Timings are
//! printed, never asserted; run them on a release build (`cargo run --release -- bench …`).

use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::Subcommand;

use crate::case::generate;
use crate::library::ContentRoot;
use crate::tasks::TaskKind;

/// Arguments of `bench`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// What to measure.
    #[command(subcommand)]
    pub command: BenchCommand,
}

/// Benchmarks.
#[derive(Debug, Subcommand)]
pub enum BenchCommand {
    /// Cases generated per second (one core) for each shipped scenario, each task kind
    /// (triage shifts included) and over all scenarios.
    Generate {
        /// Seconds to spend on each scenario.
        #[arg(long, default_value_t = 1.0)]
        secs: f64,
        /// Only the scenarios whose id contains this text.
        #[arg(long, value_name = "TEXT")]
        only: Option<String>,
    },
    /// Time to grade one long ICD-10-CM code answer (distinct real codes) against a shipped
    /// coding case, with the real code tables: the grading engine is linear in the lines.
    Grading {
        /// How many code lines the answer has.
        #[arg(long, default_value_t = 16_000)]
        lines: usize,
    },
    /// MS-DRG grouper: definitions load time, claims grouped per second on one thread over
    /// claims built from the shipped inpatient coding scenarios, peak memory.
    Drg(super::bench_drg::Args),
    /// The progress store under load: concurrent writers (seats) saving attempts; save
    /// latency (median, p99), throughput, lost or duplicated attempts, chain verification.
    Store(super::bench_store::Args),
    /// The progress file on one machine: durable attempt save latency (median, p99) beside
    /// the disk's own flush, then the gradebook, per-criterion statistics and a full audit
    /// verification over `--attempts` attempts (also `ehr-sim store-bench`).
    Progress(super::store_bench::Args),
    /// Code look-ups over the shipped ICD-10 look-up layouts: layout open time, `codes show`
    /// look-up time and search latency (median, p99).
    Codes(super::bench_codes::Args),
}

/// Runs `bench`.
///
/// # Errors
/// When the scenarios cannot be loaded.
pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    match &args.command {
        BenchCommand::Generate { secs, only } => bench_generate(*secs, only.as_deref()),
        BenchCommand::Grading { lines } => bench_grading(*lines),
        BenchCommand::Drg(a) => super::bench_drg::run(a),
        BenchCommand::Store(a) => super::bench_store::run(a),
        BenchCommand::Progress(a) => super::store_bench::run(a),
        BenchCommand::Codes(a) => super::bench_codes::run(a),
    }
}

fn bench_grading(lines: usize) -> anyhow::Result<ExitCode> {
    let root = ContentRoot::discover();
    let loaded = root
        .find("outpatient_diabetes_ckd")
        .map_err(|d| anyhow::anyhow!("{d}"))?;
    let case = generate(&loaded, 1, 0);
    let rubric =
        crate::service::grading::rubric_for(&root, &loaded).map_err(|e| anyhow::anyhow!("{e}"))?;
    let answer = crate::grading::synthetic::long_code_answer(&case.key(), lines);
    let started = Instant::now();
    let report = crate::service::grading::grade_answer(&rubric, &loaded, &case, &answer);
    let elapsed = started.elapsed();
    println!(
        "graded {lines} code lines in {:.3} s (score {:.4} / {:.0}, {:.4}%)",
        elapsed.as_secs_f64(),
        report.score,
        report.max,
        report.percent
    );
    Ok(ExitCode::SUCCESS)
}

/// Cases per second of one scenario, generating cases 0, 1, 2… of seed 1 for `budget`: (cases,
/// rate).
fn generate_rate(loaded: &crate::scenario::LoadedScenario, budget: Duration) -> (u32, f64) {
    let started = Instant::now();
    let mut n = 0u32;
    let mut bytes = 0usize;
    while started.elapsed() < budget {
        let case = generate(loaded, 1, n);
        bytes += case.patient.notes.len();
        n += 1;
    }
    std::hint::black_box(bytes);
    (
        n,
        f64::from(n) / started.elapsed().as_secs_f64().max(f64::EPSILON),
    )
}

/// The rate over a group of scenarios, each given the same time: their cases over their time,
/// i.e. the mean of their rates.
fn mean(rates: &[f64]) -> f64 {
    if rates.is_empty() {
        0.0
    } else {
        rates.iter().sum::<f64>() / rates.len() as f64
    }
}

fn bench_generate(secs: f64, only: Option<&str>) -> anyhow::Result<ExitCode> {
    let (mut all, _) = ContentRoot::discover()
        .load_all()
        .map_err(|d| anyhow::anyhow!("{d}"))?;
    all.retain(|s| only.is_none_or(|text| s.scenario.id.contains(text)));
    all.sort_by(|a, b| a.scenario.id.cmp(&b.scenario.id));
    let budget = Duration::from_secs_f64(secs.max(0.05));
    println!("cases generated per second, one core, {secs} s per scenario");
    println!(
        "{:<44} {:<14} {:>10} {:>12}",
        "scenario", "kind", "cases", "cases/s"
    );
    let mut by_kind: Vec<(TaskKind, Vec<f64>)> = Vec::new();
    let mut rates = Vec::with_capacity(all.len());
    for loaded in &all {
        let (n, rate) = generate_rate(loaded, budget);
        let kind = loaded.scenario.task.kind();
        println!(
            "{:<44} {:<14} {:>10} {:>12.0}",
            loaded.scenario.id,
            kind.folder(),
            n,
            rate
        );
        rates.push(rate);
        match by_kind.iter_mut().find(|(k, _)| *k == kind) {
            Some((_, list)) => list.push(rate),
            None => by_kind.push((kind, vec![rate])),
        }
    }
    println!();
    println!(
        "{:<44} {:>10} {:>12}",
        "task kind (mean of its scenarios)", "scenarios", "cases/s"
    );
    by_kind.sort_by_key(|(k, _)| k.folder());
    for (kind, list) in &by_kind {
        let name = if *kind == TaskKind::Triage {
            "triage (shifts)"
        } else {
            kind.folder()
        };
        println!("{:<44} {:>10} {:>12.0}", name, list.len(), mean(list));
    }
    println!(
        "{:<44} {:>10} {:>12.0}",
        "all scenarios",
        rates.len(),
        mean(&rates)
    );
    Ok(ExitCode::SUCCESS)
}
