//! `ehr-sim store-stress` (hidden): test support for the store's reliability tests. An
//! instructor or employer admin (`--as`, password in `EHR_SIM_PASSWORD`) records `--count`
//! synthetic attempts for `--learner`, one transaction each, printing `ack <id>` and flushing
//! after every commit; the tests kill it at random moments, or run two at once, and then check
//! that every acknowledged attempt is present and complete.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Context;
use chrono::{DateTime, Duration, Utc};

use crate::cli::store_args::DbArgs;
use crate::store::{FindingRecord, Mode, NewAttempt};

/// Arguments.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The learner the attempts belong to (must exist).
    #[arg(long)]
    pub learner: String,
    /// The instructor or employer admin writing them.
    #[arg(long = "as", value_name = "NAME")]
    pub actor: String,
    /// How many attempts to write.
    #[arg(long, default_value_t = 100)]
    pub count: u64,
    /// Findings per attempt.
    #[arg(long, default_value_t = 6)]
    pub findings: usize,
    /// The database.
    #[command(flatten)]
    pub db: DbArgs,
}

/// The synthetic content hash of stress scenario number `scenario`.
#[must_use]
pub(crate) fn sample_scenario_hash(scenario: u64) -> String {
    format!(
        "{:016x}{:048x}",
        (scenario + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15),
        scenario
    )
}

/// A deterministic synthetic attempt number `index` for `learner_id` with `findings` findings
/// over `scenarios` scenario ids (used by the stress command and the benchmark).
#[must_use]
pub(crate) fn sample_attempt(
    learner_id: i64,
    index: u64,
    findings: usize,
    scenarios: u64,
) -> NewAttempt {
    let base =
        DateTime::<Utc>::from_timestamp(1_767_225_600, 0).unwrap_or(DateTime::<Utc>::MIN_UTC); // 2026-01-01
    let started_at = base + Duration::minutes(i64::try_from(index % 500_000).unwrap_or(0) * 7);
    let duration_secs = 300 + index % 900;
    let criteria: Vec<FindingRecord> = (0..findings)
        .map(|k| {
            let points = if (index + k as u64).is_multiple_of(3) {
                0.0
            } else {
                2.0
            };
            FindingRecord {
                criterion_id: format!("criterion_{k:02}"),
                points,
                max: 2.0,
                outcome: if points > 0.0 { "met" } else { "missed" }.to_string(),
                feedback: format!("Synthetic feedback for criterion {k}."),
                rule: "Synthetic rule text, for load testing only.".to_string(),
                expected: "expected value".to_string(),
                given: if points > 0.0 {
                    "expected value"
                } else {
                    "other value"
                }
                .to_string(),
                title: format!("Criterion {k}"),
                section: String::new(),
            }
        })
        .collect();
    let score: f64 = criteria.iter().map(|f| f.points).sum();
    let max: f64 = criteria.iter().map(|f| f.max).sum();
    let scenario = index % scenarios.max(1);
    NewAttempt {
        learner_id,
        scenario_id: format!("stress_scenario_{scenario:02}"),
        scenario_version_hash: sample_scenario_hash(scenario),
        seed: index.wrapping_mul(0x9E37_79B9_7F4A_7C15),
        mode: Mode::Practice,
        sitting_id: None,
        started_at,
        submitted_at: started_at + Duration::seconds(i64::try_from(duration_secs).unwrap_or(0)),
        duration_secs,
        score,
        max,
        passed: max > 0.0 && score / max >= 0.7,
        competencies: vec!["documentation".to_string(), format!("skill_{}", index % 5)],
        findings: criteria,
        criticals: Vec::new(),
        rubric_hash: None,
    }
}

/// Runs the command.
///
/// # Errors
/// When the database cannot be opened, the learner does not exist, or a write fails.
pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let mut store = args.db.open()?;
    let session = crate::cli::store_args::sign_in(&mut store, &args.actor)?;
    if !session.role().is_privileged() {
        anyhow::bail!(
            "{} is a {}: only an instructor or employer admin may write synthetic attempts",
            session.name(),
            session.role()
        );
    }
    let learner = store.person_by_name(&args.learner)?;
    let stdout = std::io::stdout();
    for index in 0..args.count {
        let attempt = sample_attempt(learner.id, index, args.findings, 4);
        let id = store.record_attempt_as(&session, &attempt)?;
        let mut out = stdout.lock();
        writeln!(out, "ack {id}").context("writing to standard output")?;
        out.flush().context("flushing standard output")?;
    }
    Ok(ExitCode::SUCCESS)
}
