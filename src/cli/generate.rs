//! placeholder
use std::process::ExitCode;
/// Arguments.
#[derive(Debug, clap::Args)]
pub struct Args {}
/// Runs the command.
///
/// # Errors
/// Never yet.
pub fn run(_args: &Args) -> anyhow::Result<ExitCode> {
    Ok(ExitCode::SUCCESS)
}
