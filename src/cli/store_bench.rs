//! `ehr-sim store-bench --db NEW_FILE|URL` (hidden): the store's performance figures, on an
//! SQLite file or a new, empty program-server database. Measures the
//! latency of durable attempt saves (one `synchronous=FULL` transaction each; median, p99),
//! beside the cost of one 4 KiB write and flush of a file on the same disk, then fills the database to `--attempts` attempts and times the gradebook query (whole
//! database and one cohort), the criterion statistics and a full audit verification.
//! Build with `--release` for meaningful figures.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use crate::cli::store_args::{DbArgs, now};
use crate::cli::store_stress::{sample_attempt, sample_scenario_hash};
use crate::store::{Role, ScenarioVersionKey, Session, Store};

/// Arguments.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Durable single-attempt saves to time.
    #[arg(long, default_value_t = 1000)]
    pub saves: u64,
    /// Total attempts to fill the database with before timing the queries.
    #[arg(long, default_value_t = 100_000)]
    pub attempts: u64,
    /// Learners the attempts are spread over.
    #[arg(long, default_value_t = 500)]
    pub learners: u64,
    /// Scenarios the attempts are spread over.
    #[arg(long, default_value_t = 20)]
    pub scenarios: u64,
    /// Findings per attempt.
    #[arg(long, default_value_t = 8)]
    pub findings: usize,
    /// The database (must not exist yet).
    #[command(flatten)]
    pub db: DbArgs,
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted.get(rank).copied().unwrap_or_default()
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1000.0)
}

/// Median, p99 and max of some latencies.
fn spread(times: &mut [Duration]) -> String {
    times.sort();
    format!(
        "median {}  p99 {}  max {}",
        ms(percentile(times, 0.5)),
        ms(percentile(times, 0.99)),
        ms(times.last().copied().unwrap_or_default())
    )
}

/// A file beside the database that is written (4 KiB) and flushed on request; removed when
/// dropped.
struct FlushProbe {
    file: std::fs::File,
    path: std::path::PathBuf,
}

impl FlushProbe {
    fn create(db: &std::path::Path) -> anyhow::Result<Self> {
        let mut name = db.as_os_str().to_os_string();
        name.push(".flush-probe");
        let path = std::path::PathBuf::from(name);
        let file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        Ok(Self { file, path })
    }

    fn flush(&mut self) -> anyhow::Result<Duration> {
        use std::io::{Seek, Write};
        let start = Instant::now();
        self.file.seek(std::io::SeekFrom::Start(0))?;
        self.file.write_all(&[0x5a; 4096])?;
        self.file.sync_all()?;
        Ok(start.elapsed())
    }
}

impl Drop for FlushProbe {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

fn time_runs<T>(
    runs: usize,
    mut f: impl FnMut() -> anyhow::Result<T>,
) -> anyhow::Result<(Duration, Duration)> {
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let start = Instant::now();
        f()?;
        times.push(start.elapsed());
    }
    times.sort();
    Ok((
        percentile(&times, 0.5),
        times.first().copied().unwrap_or_default(),
    ))
}

/// Opens a new file or an empty server database for a benchmark and creates its instructor
/// ("bench-instructor", password "bench password"), so figures start from nothing.
///
/// # Errors
/// When the file exists, the database holds people already, or the store fails.
pub(crate) fn new_bench_store(path: &std::path::Path) -> anyhow::Result<(Store, Session)> {
    let on_server = path.to_str().is_some_and(crate::store::is_server_url);
    if !on_server && path.exists() {
        anyhow::bail!(
            "{} exists; give a new file so the figures start from an empty database",
            path.display()
        );
    }
    let mut store = Store::open_any(path)?;
    if store.raw_i64("SELECT count(*) FROM people")? > 0 {
        anyhow::bail!(
            "{} already holds records; give a new, empty database",
            store.location()
        );
    }
    let admin = store.create_person(
        None,
        "bench-instructor",
        Role::Instructor,
        Some("bench password"),
        &now(),
    )?;
    Ok((store, admin))
}

/// Runs the command.
///
/// # Errors
/// When the file exists already, or any store operation fails.
pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let Some(path) = &args.db.db else {
        anyhow::bail!(
            "give a new file with --db PATH (the benchmark writes {} attempts)",
            args.attempts
        );
    };
    let on_server = path.to_str().is_some_and(crate::store::is_server_url);
    let (mut store, admin) = new_bench_store(path)?;
    let at = now();
    store.create_cohort(&admin, "bench-cohort", &at)?;
    let mut learner_ids = Vec::new();
    for n in 0..args.learners.max(1) {
        let name = format!("learner-{n:05}");
        let person = store.create_person(Some(&admin), &name, Role::Student, None, &at)?;
        if n.is_multiple_of(20) {
            store.add_to_cohort(&admin, "bench-cohort", &name)?;
        }
        learner_ids.push(person.person_id());
    }
    let learner_for = |i: u64| {
        let count = learner_ids.len() as u64;
        learner_ids
            .get(usize::try_from(i % count).unwrap_or(0))
            .copied()
            .unwrap_or(0)
    };

    // On a file, each save is followed by one 4 KiB write and flush of a probe file beside
    // the database: the disk's own cost of durability, measured under the same conditions.
    let mut probe = if on_server {
        None
    } else {
        Some(FlushProbe::create(path)?)
    };
    let mut latencies = Vec::new();
    let mut flushes = Vec::new();
    for i in 0..args.saves {
        let attempt = sample_attempt(learner_for(i), i, args.findings, args.scenarios);
        let start = Instant::now();
        store.record_attempt(&attempt)?;
        latencies.push(start.elapsed());
        if let Some(probe) = &mut probe {
            flushes.push(probe.flush()?);
        }
    }
    drop(probe);
    println!(
        "attempt save (durable commit, synchronous=FULL, WAL), {} saves, {} findings each:",
        args.saves, args.findings
    );
    println!("  {}", spread(&mut latencies));
    if !flushes.is_empty() {
        println!(
            "one 4 KiB write and flush of a file beside it, after each save: {}",
            spread(&mut flushes)
        );
    }

    let fill_start = Instant::now();
    let mut i = args.saves;
    while i < args.attempts {
        let batch: Vec<_> = (i..args.attempts.min(i + 5000))
            .map(|k| sample_attempt(learner_for(k), k, args.findings, args.scenarios))
            .collect();
        i += batch.len() as u64;
        store.record_attempts(&batch)?;
    }
    println!(
        "filled to {} attempts in {:.1} s (batches of 5,000)",
        args.attempts,
        fill_start.elapsed().as_secs_f64()
    );

    let (median, best) = time_runs(5, || Ok(store.gradebook(&admin, None)?))?;
    let book = store.gradebook(&admin, None)?;
    println!(
        "gradebook, all {} learners x {} scenario versions over {} attempts: median {}  best {}",
        book.rows.len(),
        book.scenarios.len(),
        args.attempts,
        ms(median),
        ms(best)
    );
    let (median, best) = time_runs(5, || Ok(store.gradebook(&admin, Some("bench-cohort"))?))?;
    println!(
        "gradebook, one cohort ({} learners): median {}  best {}",
        args.learners.div_ceil(20),
        ms(median),
        ms(best)
    );
    let key = ScenarioVersionKey {
        scenario_id: "stress_scenario_00".to_string(),
        content_hash: sample_scenario_hash(0),
    };
    let (median, best) = time_runs(5, || Ok(store.criterion_stats(&admin, &key)?))?;
    println!(
        "criterion stats, one scenario version: median {}  best {}",
        ms(median),
        ms(best)
    );
    let (median, _) = time_runs(1, || Ok(store.verify_audit()?))?;
    println!("audit verify, whole chain: {}", ms(median));
    if !on_server {
        let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
        println!("database file: {:.1} MB", size as f64 / 1_000_000.0);
    }
    Ok(ExitCode::SUCCESS)
}
