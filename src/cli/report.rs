//! `ehr-sim report attempt ID` and `ehr-sim report assessment NAME`: the printable reports
//! (self-contained HTML, or the same content as JSON) written to standard output or `--output`.
//! Both need `--as` a signed-in account (password in `EHR_SIM_PASSWORD`): a learner may report
//! their own attempts; assessment reports need an instructor or employer admin.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;

use crate::cli::store_args::{DbArgs, now, sign_in};
use crate::library::ContentRoot;
use crate::report::{AssessmentReport, AttemptReport, ReportFormat};
use crate::store::format_timestamp;

/// Arguments.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Which report.
    #[command(subcommand)]
    pub action: Action,
}

/// `--format html|json`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FormatArg {
    /// Self-contained, printable HTML page.
    Html,
    /// The same content as JSON.
    Json,
}

/// Options shared by both reports.
#[derive(Debug, clap::Args)]
pub struct Output {
    /// html (printable page) or json.
    #[arg(long, value_enum, default_value = "html")]
    pub format: FormatArg,
    /// Write here instead of standard output (never over the progress database).
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Replace the output file if it exists.
    #[arg(long)]
    pub force: bool,
    /// Who is asking.
    #[arg(long = "as", value_name = "NAME")]
    pub actor: String,
    /// The database.
    #[command(flatten)]
    pub db: DbArgs,
}

/// The reports.
#[derive(Debug, clap::Subcommand)]
pub enum Action {
    /// One stored attempt: score, pass/fail, every criterion with expected vs. given.
    Attempt {
        /// Attempt id (as printed by `grade --record` and the gradebook).
        id: i64,
        /// Format, output and sign-in.
        #[command(flatten)]
        out: Output,
    },
    /// An assessment: results per candidate and per competency, and the audit check.
    Assessment {
        /// Assessment name.
        name: String,
        /// Format, output and sign-in.
        #[command(flatten)]
        out: Output,
    },
}

/// Runs the command.
///
/// # Errors
/// Unknown attempt or assessment (the message lists what exists), sign-in or permission
/// failures, an unwritable `--output`.
pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let (out, text) = match &args.action {
        Action::Attempt { id, out } => {
            let mut store = out.db.open()?;
            let session = sign_in(&mut store, &out.actor)?;
            let report = AttemptReport::load(
                &store,
                &session,
                *id,
                &ContentRoot::discover(),
                &format_timestamp(&now()),
            )?;
            let text = match format(out.format) {
                ReportFormat::Html => report.to_html(),
                ReportFormat::Json => report.to_json()?,
            };
            (out, text)
        }
        Action::Assessment { name, out } => {
            let mut store = out.db.open()?;
            let session = sign_in(&mut store, &out.actor)?;
            let report = AssessmentReport::load(&store, &session, name, &now())?;
            let text = match format(out.format) {
                ReportFormat::Html => report.to_html(),
                ReportFormat::Json => report.to_json()?,
            };
            (out, text)
        }
    };
    match &out.output {
        Some(path) => {
            let database = crate::paths::database(out.db.db.as_deref()).ok();
            crate::report::write_output(path, text.as_bytes(), out.force, database.as_deref())
                .with_context(|| "writing the report".to_string())?;
            eprintln!("wrote {}", path.display());
        }
        None => print!("{text}"),
    }
    Ok(ExitCode::SUCCESS)
}

fn format(arg: FormatArg) -> ReportFormat {
    match arg {
        FormatArg::Html => ReportFormat::Html,
        FormatArg::Json => ReportFormat::Json,
    }
}

/// The attempt report of a `grade` run (practice mode; learner `--learner` or "(not given)").
#[must_use]
pub(crate) fn attempt_html(
    loaded: &crate::cli::case_args::LoadedCase,
    report: &crate::grading::GradeReport,
    rubric: &crate::grading::Rubric,
    learner: Option<&str>,
    attempt_id: Option<i64>,
) -> String {
    let at = format_timestamp(&now());
    let meta = crate::report::AttemptMeta {
        attempt_id,
        learner: learner.unwrap_or("(not given)").to_string(),
        scenario_id: loaded.scenario.scenario.id.clone(),
        scenario_title: loaded.scenario.scenario.title.clone(),
        scenario_version_hash: Some(loaded.scenario.content_sha256.clone()),
        seed: loaded.case.seed,
        mode: crate::store::Mode::Practice,
        started_at: None,
        submitted_at: Some(at.clone()),
        pass_mark_percent: Some(rubric.pass_mark_percent),
    };
    AttemptReport::from_grade(report, &meta, &at).to_html()
}
