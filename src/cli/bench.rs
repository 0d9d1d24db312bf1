//! `ehr-sim bench …`: performance figures, measured in-process on this machine. Timings are
//! printed, never asserted; run them on a release build (`cargo run --release -- bench …`).

use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::Subcommand;

use crate::case::generate;
use crate::library::ContentRoot;

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
    /// Patients generated per second for each shipped scenario (one core).
    Generate {
        /// Seconds to spend on each scenario.
        #[arg(long, default_value_t = 1.0)]
        secs: f64,
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
        BenchCommand::Generate { secs } => bench_generate(*secs),
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

fn bench_generate(secs: f64) -> anyhow::Result<ExitCode> {
    let (mut all, _) = ContentRoot::discover()
        .load_all()
        .map_err(|d| anyhow::anyhow!("{d}"))?;
    all.sort_by(|a, b| a.scenario.id.cmp(&b.scenario.id));
    let budget = Duration::from_secs_f64(secs.max(0.05));
    println!("{:<40} {:>12} {:>14}", "scenario", "patients", "patients/s");
    let mut total = 0u64;
    let mut total_time = Duration::ZERO;
    for loaded in &all {
        let started = Instant::now();
        let mut n = 0u32;
        let mut bytes = 0usize;
        while started.elapsed() < budget {
            let case = generate(loaded, 1, n);
            bytes += case.patient.notes.len();
            n += 1;
        }
        let elapsed = started.elapsed();
        total += u64::from(n);
        total_time += elapsed;
        println!(
            "{:<40} {:>12} {:>14.0}",
            loaded.scenario.id,
            n,
            f64::from(n) / elapsed.as_secs_f64()
        );
        std::hint::black_box(bytes);
    }
    println!(
        "{:<40} {:>12} {:>14.0}",
        "all scenarios",
        total,
        total as f64 / total_time.as_secs_f64().max(f64::EPSILON)
    );
    Ok(ExitCode::SUCCESS)
}
