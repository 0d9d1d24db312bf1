//! `ehr-sim bench store --db URL|FILE --writers N --attempts M`: many seats saving at once.
//!
//! N writers (threads, each with its own connection, as N lab seats are) each save M attempts
//! of their own learner as fast as they can, starting together. Prints the save latency
//! (median, p99, max), the throughput, then checks the outcome: exactly N × M attempts, none
//! lost or duplicated (each carries a distinct seed), and the audit chain verifies. Works on a
//! program server (a new, empty database) or an SQLite file (a new file).

use std::process::ExitCode;
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use crate::cli::store_args::now;
use crate::cli::store_stress::sample_attempt;
use crate::store::{Role, Store};

/// Arguments.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A new, empty server database (postgres://…) or a new SQLite file.
    #[arg(long, value_name = "URL|FILE")]
    pub db: String,
    /// Concurrent writers (seats).
    #[arg(long, default_value_t = 50)]
    pub writers: u64,
    /// Attempts each writer saves.
    #[arg(long, default_value_t = 40)]
    pub attempts: u64,
    /// Findings per attempt.
    #[arg(long, default_value_t = 8)]
    pub findings: usize,
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted.get(rank).copied().unwrap_or_default()
}

/// Runs the load test.
///
/// # Errors
/// A database that is not new and empty, a failed save, or a bad count or chain (reported
/// before the error).
pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    if args.writers == 0 || args.writers > 500 || args.attempts == 0 || args.attempts > 100_000 {
        anyhow::bail!("give 1-500 writers and 1-100000 attempts each");
    }
    let (mut store, admin) =
        crate::cli::store_bench::new_bench_store(std::path::Path::new(&args.db))?;
    let at = now();
    let mut learners = Vec::new();
    for n in 0..args.writers {
        let person = store.create_person(
            Some(&admin),
            &format!("seat-{n:03}"),
            Role::Student,
            None,
            &at,
        )?;
        learners.push(person.person_id());
    }
    println!(
        "{} ({}): {} writers x {} attempts, {} findings each",
        store.location(),
        store.engine().name(),
        args.writers,
        args.attempts,
        args.findings
    );
    let barrier = Arc::new(Barrier::new(learners.len()));
    let started = Instant::now();
    let results: Vec<anyhow::Result<Vec<Duration>>> = std::thread::scope(|scope| {
        let handles: Vec<_> = learners
            .iter()
            .enumerate()
            .map(|(seat, learner)| {
                let barrier = Arc::clone(&barrier);
                let target = args.db.clone();
                let (learner, each, findings) = (*learner, args.attempts, args.findings);
                scope.spawn(move || -> anyhow::Result<Vec<Duration>> {
                    let mut seat_store = Store::open_target(&target)?;
                    barrier.wait();
                    let mut times = Vec::with_capacity(usize::try_from(each).unwrap_or(0));
                    for n in 0..each {
                        let index = seat as u64 * each + n;
                        let attempt = sample_attempt(learner, index, findings, 20);
                        let start = Instant::now();
                        seat_store.record_attempt(&attempt)?;
                        times.push(start.elapsed());
                    }
                    Ok(times)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(anyhow::anyhow!("a writer thread panicked")))
            })
            .collect()
    });
    let wall = started.elapsed();
    let mut latencies = Vec::new();
    for result in results {
        latencies.extend(result?);
    }
    latencies.sort();
    let saved = latencies.len() as f64;
    println!(
        "save latency: median {}  p99 {}  max {}",
        ms(percentile(&latencies, 0.5)),
        ms(percentile(&latencies, 0.99)),
        ms(latencies.last().copied().unwrap_or_default())
    );
    println!(
        "throughput: {:.0} attempts/s ({} attempts in {:.2} s)",
        saved / wall.as_secs_f64(),
        latencies.len(),
        wall.as_secs_f64()
    );
    let expected = i64::try_from(args.writers * args.attempts)?;
    let stored = store.raw_i64("SELECT count(*) FROM attempts")?;
    let distinct = store.raw_i64("SELECT count(DISTINCT seed) FROM attempts")?;
    let verify_start = Instant::now();
    let report = store.verify_audit()?;
    println!(
        "stored {stored} attempts ({} distinct), expected {expected}: {} lost, {} duplicated",
        distinct,
        expected - distinct,
        stored - distinct
    );
    println!(
        "audit chain: {} links, {} ({})",
        report.links,
        if report.is_clean() {
            "verifies"
        } else {
            "DOES NOT VERIFY"
        },
        ms(verify_start.elapsed())
    );
    let ok = stored == expected && distinct == expected && report.is_clean();
    Ok(if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
