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
    if *format == AnswerFormat::Ron {
        print!(
            "{}",
            choices_comment(
                &crate::tasks::schema(loaded.case.rubric_kind()),
                &loaded.case.task
            )
        );
    }
    println!("{}", loaded.render_answer(&blank, *format)?);
    Ok(ExitCode::SUCCESS)
}

/// RON comment lines listing, for each field with a fixed set of values, the values and
/// what each means (an answer may also use the label or a common spelling).
fn choices_comment(
    schema: &crate::grading::FieldSchema,
    task: &crate::tasks::TaskMaterial,
) -> String {
    let mut out = String::new();
    for f in schema
        .fields
        .iter()
        .filter(|f| !f.choices.is_empty() && task.asks_for(&f.path))
    {
        out.push_str(&format!("// {}: one of\n", f.path));
        for c in &f.choices {
            out.push_str(&format!("//   \"{}\" = {}\n", c.value, c.label));
        }
    }
    out
}
