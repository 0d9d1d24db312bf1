//! The command-line interface: one file per subcommand, each with its `Args` and a `run`
//! function. This is a shell around the library: it reads files, calls the pure core and prints.
//! `anyhow` is used here and in `main.rs` only.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

pub mod codes;
pub mod generate;
pub mod scenarios;
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
    /// Code sets: import, search, show a code with its notes, check a code list.
    Codes(codes::Args),
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
        Command::Codes(args) => codes::run(&args),
    }
}

/// Opens the desktop app.
///
/// # Errors
/// When the window cannot be created (no display) or the app was built without the `gui` feature.
pub fn run_gui() -> anyhow::Result<ExitCode> {
    #[cfg(feature = "gui")]
    {
        crate::ui::run()?;
        Ok(ExitCode::SUCCESS)
    }
    #[cfg(not(feature = "gui"))]
    {
        anyhow::bail!(
            "this build has no desktop app (built without the `gui` feature); run `ehr-sim --help` for the CLI"
        )
    }
}
