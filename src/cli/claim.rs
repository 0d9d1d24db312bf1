//! `ehr-sim claim …`: check a CMS-1500 or UB-04 claim file with the scrubber.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;

use crate::tasks::claims::{self, Severity};

/// Arguments of `ehr-sim claim`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// What to do.
    #[command(subcommand)]
    pub command: ClaimCommand,
}

/// The `claim` subcommands.
#[derive(Debug, Subcommand)]
pub enum ClaimCommand {
    /// Scrub a claim (RON or JSON): every finding with its form locator, severity and rule.
    /// Exit 0 without errors (warnings allowed), 1 with an error, 2 when the file cannot be read.
    Check(CheckArgs),
    /// Print the key claim of a claims case, in the shape `claim check` reads and `grade`
    /// takes as an answer file.
    Key(KeyArgs),
}

/// Arguments of `claim key`.
#[derive(Debug, clap::Args)]
pub struct KeyArgs {
    /// The case (a claims scenario and a seed).
    #[command(flatten)]
    pub case: super::case_args::CaseArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = super::case_args::AnswerFormat::Ron)]
    pub format: super::case_args::AnswerFormat,
}

/// Arguments of `claim check`.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// The claim file: `Professional((...))` or `Institutional((...))` in RON, or the same in
    /// JSON (by the `.json` extension or a leading `{`).
    pub file: PathBuf,
    /// Print the findings as a JSON array.
    #[arg(long)]
    pub json: bool,
}

/// Runs `ehr-sim claim`.
///
/// # Errors
/// Printing the JSON fails.
pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    match &args.command {
        ClaimCommand::Check(a) => run_check(a),
        ClaimCommand::Key(a) => run_key(a),
    }
}

fn run_key(a: &KeyArgs) -> anyhow::Result<ExitCode> {
    let loaded = a.case.load()?;
    let crate::tasks::TaskMaterial::Claims(material) = &loaded.case.task else {
        eprintln!(
            "error: {} is a {} scenario, not a claims scenario",
            loaded.scenario.scenario.id,
            loaded.case.task_kind.label()
        );
        return Ok(ExitCode::from(2));
    };
    let claim = claims::task::key_claim(material);
    let text = match a.format {
        super::case_args::AnswerFormat::Json => serde_json::to_string_pretty(&claim)?,
        super::case_args::AnswerFormat::Ron => {
            crate::tasks::ron_pretty(&claim).map_err(|e| anyhow::anyhow!(e))?
        }
    };
    println!("{text}");
    Ok(ExitCode::SUCCESS)
}

/// Reads the claim; prints why it cannot be read and returns `None` when it cannot.
fn read(path: &std::path::Path) -> Option<claims::Claim> {
    let size = match std::fs::metadata(path) {
        Ok(m) => m.len(),
        Err(err) => {
            eprintln!(
                "error: cannot read the claim file {}: {err}",
                path.display()
            );
            return None;
        }
    };
    let limit = crate::tasks::MAX_ANSWER_BYTES;
    if size > limit as u64 {
        eprintln!(
            "error: {}: the claim file is {size} bytes: a claim file is at most {limit}",
            path.display()
        );
        return None;
    }
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(err) => {
            eprintln!(
                "error: cannot read the claim file {}: {err}",
                path.display()
            );
            return None;
        }
    };
    match claims::parse(path, &text) {
        Ok(claim) => Some(claim),
        Err(diagnostic) => {
            eprintln!("{diagnostic}");
            None
        }
    }
}

fn run_check(a: &CheckArgs) -> anyhow::Result<ExitCode> {
    let Some(claim) = read(&a.file) else {
        return Ok(ExitCode::from(2));
    };
    let findings = claims::check(&claim);
    if a.json {
        println!("{}", serde_json::to_string_pretty(&findings)?);
    } else if findings.is_empty() {
        println!("no findings: the claim passes every edit");
    } else {
        let width = findings
            .iter()
            .map(|f| f.locator.chars().count())
            .max()
            .unwrap_or(0);
        for f in &findings {
            println!(
                "{:<width$}  {:<7}  {} ({})",
                f.locator,
                f.severity.word().to_uppercase(),
                f.message,
                f.rule
            );
        }
        let errors = findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .count();
        println!("{errors} error(s), {} warning(s)", findings.len() - errors);
    }
    let failed = findings.iter().any(|f| f.severity == Severity::Error);
    Ok(ExitCode::from(u8::from(failed)))
}
