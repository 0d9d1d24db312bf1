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
}

/// Runs `bench`.
///
/// # Errors
/// When the scenarios cannot be loaded.
pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    match &args.command {
        BenchCommand::Generate { secs } => bench_generate(*secs),
    }
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
