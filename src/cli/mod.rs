//! The command-line interface: one file per subcommand, each with its `Args` and a `run`
//! function. This is a shell around the library: it reads files, calls the pure core and prints.
//! `anyhow` is used here and in `main.rs` only.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

pub mod answers;
pub mod assessment;
pub mod audit;
pub mod bench;
pub mod bench_codes;
pub mod bench_drg;
pub mod bench_store;
pub mod case_args;
pub mod claim;
pub mod codes;
pub mod drg;
pub mod generate;
pub mod grade;
pub mod gradebook;
pub mod import;
pub(crate) mod input_file;
pub mod key;
pub mod key_access_audit;
pub mod key_roi;
pub mod people;
pub mod progress;
pub mod record;
pub mod report;
pub mod scenarios;
pub mod store_args;
pub mod store_bench;
pub mod store_stress;
pub mod store_sync;
pub mod validate;

/// EHR Sim: practise and assess charting, coding, triage and hospice records on synthetic patients.
#[derive(Debug, Parser)]
#[command(name = "ehr-sim", version, about, long_about = None)]
pub struct Cli {
    /// What to do; without a subcommand the desktop app opens.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate scenario and rubric files (default: the shipped `scenarios/` and `grading/`).
    Validate(validate::Args),
    /// List and inspect scenarios.
    Scenarios(scenarios::Args),
    /// Generate synthetic patients from a scenario.
    Generate(generate::Args),
    /// Blank answer files for a case.
    Answers(answers::Args),
    /// Score an answer file against the case's key and the scenario's rubric.
    Grade(grade::Args),
    /// Measure performance (run on a release build).
    Bench(bench::Args),
    /// Employer assessments: create, candidates' seeds, results.
    Assessment(assessment::Args),
    /// Verify the progress database's tamper-evident audit chain.
    Audit(audit::Args),
    /// Instructor and employer views: gradebook, exports (csv, json, xapi), criterion statistics.
    Gradebook(gradebook::Args),
    /// A learner's progress summary.
    Progress(progress::Args),
    /// Accounts and cohorts.
    People(people::Args),
    /// The program server: push a laptop's database into it, pull a cohort's roster from it.
    Store(store_sync::Args),
    /// Test support: write attempts in a loop, acknowledging each commit.
    #[command(hide = true)]
    StoreStress(store_stress::Args),
    /// Store benchmark: durable save latency and gradebook query time.
    #[command(hide = true)]
    StoreBench(store_bench::Args),
    /// Print the answer key a rule engine derives from one file (ESI triage, hospice,
    /// release of information).
    Key(key::Args),
    /// Code sets: import, search, show a code with its notes, check a code list.
    Codes(codes::Args),
    /// MS-DRG v43: group a claim, show a DRG, import the definitions.
    Drg(drg::Args),
    /// Claims (CMS-1500, UB-04): check a claim with the scrubber's edits.
    Claim(claim::Args),
    /// Summarise a patient file from another tool (`import synthea FILE`).
    Import(import::Args),
    /// Printable reports (HTML or JSON): `report attempt ID`, `report assessment NAME`.
    Report(report::Args),
}

/// Runs one CLI command.
///
/// # Errors
/// Any failure the command could not report itself (unreadable file, bad argument).
pub fn run(command: Command) -> anyhow::Result<ExitCode> {
    match command {
        Command::Validate(args) => validate::run(&args),
        Command::Scenarios(args) => scenarios::run(&args),
        Command::Generate(args) => generate::run(&args),
        Command::Bench(args) => bench::run(&args),
        Command::Answers(args) => answers::run(&args),
        Command::Grade(args) => grade::run(&args),
        Command::Assessment(args) => assessment::run(&args),
        Command::Audit(args) => audit::run(&args),
        Command::Gradebook(args) => gradebook::run(&args),
        Command::Progress(args) => progress::run(&args),
        Command::People(args) => people::run(&args),
        Command::Store(args) => store_sync::run(&args),
        Command::StoreStress(args) => store_stress::run(&args),
        Command::StoreBench(args) => store_bench::run(&args),
        Command::Key(args) => key::run(&args),
        Command::Codes(args) => codes::run(&args),
        Command::Drg(args) => drg::run(&args),
        Command::Claim(args) => claim::run(&args),
        Command::Import(args) => import::run(&args),
        Command::Report(args) => report::run(&args),
    }
}

/// A value typed by the user, as quoted in a message: at most `max` characters, then how long
/// it was, so a huge value is not echoed back whole.
pub(crate) fn shorten_to(v: &str, max: usize) -> String {
    let n = v.chars().count();
    if n <= max {
        v.to_string()
    } else {
        format!(
            "{}… ({n} characters)",
            v.chars().take(max).collect::<String>()
        )
    }
}
