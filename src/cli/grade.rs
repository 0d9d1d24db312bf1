//! `ehr-sim grade SCENARIO --seed N --answers FILE [--json]`: scores an answer file against the
//! scenario's rubric and the case's key, and explains every point. With `--record --learner
//! NAME` the attempt is stored in the progress database.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;

use super::case_args::CaseArgs;

/// Arguments of `grade`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The case.
    #[command(flatten)]
    pub case: CaseArgs,
    /// The answer file (RON, or JSON when it ends in `.json`).
    #[arg(long)]
    pub answers: PathBuf,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
    /// Store the attempt in the progress database.
    #[arg(long, requires = "learner")]
    pub record: bool,
    /// The learner the attempt belongs to (with `--record`); they sign in with their password
    /// or access code in `EHR_SIM_PASSWORD` when they have one.
    #[arg(long)]
    pub learner: Option<String>,
    /// Sign in as this instructor or employer admin (password in `EHR_SIM_PASSWORD`): to record
    /// on the learner's behalf, and to grade a scenario of an assessment whose results are not
    /// released (the feedback shows the key).
    #[arg(long = "as", value_name = "NAME")]
    pub actor: Option<String>,
    /// Progress database (default: `EHR_SIM_DB`, then the user data folder).
    #[arg(long)]
    pub db: Option<PathBuf>,
    /// Also write the printable attempt report (self-contained HTML) to this file (never over
    /// the progress database).
    #[arg(long, value_name = "FILE")]
    pub report_html: Option<PathBuf>,
    /// Replace the report file if it exists.
    #[arg(long)]
    pub force: bool,
}

/// Runs `grade`.
///
/// # Errors
/// When the case, rubric or answer file cannot be loaded, or recording fails.
pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    if let Some(path) = &args.report_html {
        let database = crate::paths::database(args.db.as_deref()).ok();
        crate::report::check_output(path, args.force, database.as_deref())?;
    }
    let loaded = args.case.load()?;
    super::store_args::require_staff_for_keys(
        &loaded.scenario.scenario.id,
        args.actor.as_deref(),
        args.db.as_deref(),
        "grading with feedback (it shows the key)",
    )?;
    let rubric = loaded.rubric()?;
    let size = std::fs::metadata(&args.answers)
        .with_context(|| format!("cannot read the answer file {}", args.answers.display()))?
        .len();
    if size > crate::tasks::MAX_ANSWER_BYTES as u64 {
        anyhow::bail!(
            "{}: the answer file is {size} bytes: an answer file is at most {} (start from `ehr-sim answers template`)",
            args.answers.display(),
            crate::tasks::MAX_ANSWER_BYTES
        );
    }
    let text = std::fs::read_to_string(&args.answers)
        .with_context(|| format!("cannot read the answer file {}", args.answers.display()))?;
    let submission = loaded
        .case
        .parse_submission(&args.answers, &text)
        .map_err(|d| anyhow::anyhow!("{d}"))?;
    let report =
        crate::service::grading::grade_answer(&rubric, &loaded.scenario, &loaded.case, &submission);
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        println!("{report}");
    }
    let mut attempt_id = None;
    if args.record {
        let learner = args.learner.as_deref().unwrap_or_default();
        let id = super::record::record(
            &loaded,
            &report,
            learner,
            args.actor.as_deref(),
            args.db.as_deref(),
        )?;
        eprintln!("recorded attempt #{id} for {learner}");
        attempt_id = Some(id);
    }
    if let Some(path) = &args.report_html {
        let html = super::report::attempt_html(
            &loaded,
            &report,
            &rubric,
            args.learner.as_deref(),
            attempt_id,
        );
        let database = crate::paths::database(args.db.as_deref()).ok();
        crate::report::write_output(path, html.as_bytes(), args.force, database.as_deref())?;
        eprintln!("wrote the attempt report to {}", path.display());
    }
    Ok(ExitCode::SUCCESS)
}
