//! The `ehr-sim` binary: no subcommand opens the desktop app; otherwise a CLI command runs.
//! Errors are printed once, here, and turned into the exit code.

use std::process::ExitCode;

use clap::Parser;
use ehr_sim::cli::{self, Cli};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Some(command) => cli::run(command),
        None => cli::run_gui(),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}
