//! `ehr-sim answers template SCENARIO --seed N [--format ron|json]`: a blank answer file for one
//! case, with every field the task asks for. Fill it in and pass it to `ehr-sim grade`.

use std::process::ExitCode;

use clap::Subcommand;

use super::case_args::{AnswerFormat, CaseArgs};

/// Arguments of `answers`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// What to do.
    #[command(subcommand)]
    pub command: AnswersCommand,
}

/// `answers` subcommands.
#[derive(Debug, Subcommand)]
pub enum AnswersCommand {
    /// Print a blank answer file for a case.
    Template {
        /// The case.
        #[command(flatten)]
        case: CaseArgs,
        /// Output format.
        #[arg(long, value_enum, default_value_t = AnswerFormat::Ron)]
        format: AnswerFormat,
    },
}

/// Runs `answers`.
///
/// # Errors
/// When the case cannot be generated.
pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let AnswersCommand::Template { case, format } = &args.command;
    let loaded = case.load()?;
    let blank = loaded.case.blank();
    println!("{}", loaded.render_answer(&blank, *format)?);
    Ok(ExitCode::SUCCESS)
}
