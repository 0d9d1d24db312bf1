//! `ehr-sim key …`: print the answer key a rule engine derives from one input file.
//!
//! `key triage FILE [--json]` reads one ED presentation (RON) and prints its ESI level;
//! `key hospice FILE [--json]` reads one hospice timeline (RON) and prints benefit periods, NOE,
//! HOPE windows and every rule finding; `key roi FILE [--json]` reads one release-of-information
//! request (RON or JSON) and prints the decision per section with its findings
//! ([`super::key_roi`]); `key access-audit FILE [--json]` reads one EHR access log (RON or JSON)
//! and prints the review ([`super::key_access_audit`]). A file that does not parse is reported as
//! `FILE:LINE:COLUMN: message`; an inconsistent one lists every problem.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::Subcommand;
use serde::Serialize;

use crate::ron_input::RonInputError;
use crate::tasks::hospice::{self, Timeline};
use crate::tasks::triage::{self, Presentation};

/// Arguments of `ehr-sim key`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Which engine.
    #[command(subcommand)]
    pub command: KeyCommand,
}

/// The engines.
#[derive(Debug, Subcommand)]
pub enum KeyCommand {
    /// The answer key of a generated case, in the answer-file format (instructor use).
    Show {
        /// The case.
        #[command(flatten)]
        case: super::case_args::CaseArgs,
        /// Output format.
        #[arg(long, value_enum, default_value_t = super::case_args::AnswerFormat::Ron)]
        format: super::case_args::AnswerFormat,
        /// Sign in as this instructor or employer admin (needed while the scenario is part of an
        /// assessment whose results are not released; password in `EHR_SIM_PASSWORD`).
        #[arg(long = "as", value_name = "NAME")]
        actor: Option<String>,
        /// The progress database that lists the assessments (default: `EHR_SIM_DB`, then the
        /// user data folder).
        #[arg(long, value_name = "PATH")]
        db: Option<PathBuf>,
    },
    /// ESI level of one ED presentation (RON).
    Triage(FileArgs),
    /// Benefit periods, due dates and findings of one hospice timeline (RON).
    Hospice(FileArgs),
    /// Release-of-information decision for one request (RON or JSON); exit 2 on a bad file.
    Roi(super::key_roi::RoiArgs),
    /// Access-audit review of one EHR access log (RON or JSON); exit 1 on a bad file.
    AccessAudit(super::key_access_audit::AccessAuditArgs),
}

/// One input file and the output format.
#[derive(Debug, clap::Args)]
pub struct FileArgs {
    /// The RON file.
    pub file: PathBuf,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Runs `ehr-sim key`.
///
/// # Errors
/// When the file cannot be read, does not parse (with file:line:column) or is inconsistent.
pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let output = match &args.command {
        KeyCommand::Show {
            case,
            format,
            actor,
            db,
        } => {
            let loaded = case.load()?;
            super::store_args::require_staff_for_keys(
                &loaded.scenario.scenario.id,
                actor.as_deref(),
                db.as_deref(),
                "the answer key",
            )?;
            let key = loaded.case.key();
            loaded.render_answer(&key, *format)?
        }
        KeyCommand::Triage(file) => triage_key(file)?,
        KeyCommand::Hospice(file) => hospice_key(file)?,
        KeyCommand::Roi(file) => return Ok(super::key_roi::run(file)),
        KeyCommand::AccessAudit(file) => return Ok(super::key_access_audit::run(file)),
    };
    println!("{output}");
    Ok(ExitCode::SUCCESS)
}

fn read(path: &Path) -> anyhow::Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))
}

/// Reads an engine input file (`what`: "presentation" or "timeline"), turning its errors into
/// messages that name the file and position and point at the format's documentation.
fn engine_input<T>(
    path: &Path,
    what: &str,
    parse: impl FnOnce(&str) -> Result<T, RonInputError>,
) -> anyhow::Result<T> {
    match parse(&read(path)?) {
        Ok(value) => Ok(value),
        Err(RonInputError::Syntax {
            line,
            column,
            message,
        }) => bail!(
            "{}:{line}:{column}: {message} (see docs/presentation_and_timeline.md for the {what} format)",
            path.display()
        ),
        Err(RonInputError::Invalid(problems)) => {
            let mut text = format!("{}: invalid {what}:", path.display());
            for p in &problems {
                write!(text, "\n  - {p}")?;
            }
            Err(anyhow::anyhow!(text))
        }
    }
}

/// The `key triage --json` shape.
#[derive(Serialize)]
struct TriageJson<'a> {
    esi: u8,
    decision_point: &'static str,
    resources: usize,
    resource_types: Vec<&'static str>,
    reasons: &'a [String],
}

fn triage_key(args: &FileArgs) -> anyhow::Result<String> {
    let path = &args.file;
    let presentation = engine_input(path, "presentation", Presentation::from_ron)?;
    let r = triage::assess(&presentation);
    let types: Vec<&'static str> = r.resource_types.iter().map(|t| t.name()).collect();
    if args.json {
        return Ok(serde_json::to_string(&TriageJson {
            esi: r.level,
            decision_point: r.decision_point.letter(),
            resources: r.resources,
            resource_types: types,
            reasons: &r.reasons,
        })?);
    }
    let mut text = format!(
        "ESI {} (decision point {}, ESI {})\nresources: {}{}\n",
        r.level,
        r.decision_point.letter(),
        match r.version {
            triage::EsiVersion::V4 => "v4",
            triage::EsiVersion::V5 => "v5",
        },
        r.resources,
        if types.is_empty() {
            String::new()
        } else {
            format!(" ({})", types.join(", "))
        }
    );
    if r.acceptable_levels.len() > 1 {
        let levels: Vec<String> = r.acceptable_levels.iter().map(u8::to_string).collect();
        writeln!(text, "defensible levels: {}", levels.join(", "))?;
    }
    text.push_str("reasons:");
    for reason in &r.reasons {
        write!(text, "\n  - {reason}")?;
    }
    Ok(text)
}

fn hospice_key(args: &FileArgs) -> anyhow::Result<String> {
    let path = &args.file;
    let timeline = engine_input(path, "timeline", Timeline::from_ron)?;
    let key = hospice::evaluate(&timeline).key();
    if args.json {
        return Ok(serde_json::to_string(&key)?);
    }
    let mut text = String::from("benefit periods:\n");
    for p in &key.periods {
        let f2f = p
            .f2f_window
            .map_or_else(|| "no F2F".to_owned(), |[a, b]| format!("F2F {a}..{b}"));
        writeln!(
            text,
            "  {:>2}. {}..{} ({} days)  cert from {}, by {}  {f2f}",
            p.number, p.start, p.end, p.days, p.cert_earliest, p.oral_cert_deadline
        )?;
    }
    let timely = match key.noe.timely {
        Some(true) => "timely",
        Some(false) => "late",
        None => "pending",
    };
    writeln!(
        text,
        "NOE: deadline {}, {timely}, {} provider-liable day(s){}",
        key.noe
            .deadline
            .map_or_else(|| "-".to_owned(), |d| d.to_string()),
        key.noe.provider_liable_days.len(),
        match (
            key.noe.provider_liable_days.first(),
            key.noe.provider_liable_days.last()
        ) {
            (Some(a), Some(b)) => format!(" ({a}..{b})"),
            _ => String::new(),
        }
    )?;
    let window = |w: Option<[chrono::NaiveDate; 2]>| {
        w.map_or_else(|| "n/a".to_owned(), |[a, b]| format!("{a}..{b}"))
    };
    let sfv: Vec<String> = key.hope.sfv_due.iter().map(ToString::to_string).collect();
    writeln!(
        text,
        "HOPE: HUV1 {}, HUV2 {}, SFV due {}",
        window(key.hope.huv1_window),
        window(key.hope.huv2_window),
        if sfv.is_empty() {
            "none".to_owned()
        } else {
            sfv.join(", ")
        }
    )?;
    text.push_str("findings:");
    for f in &key.findings {
        write!(
            text,
            "\n  [{}] {} {}: {} ({})",
            if f.ok { "ok" } else { "NOT OK" },
            f.date,
            f.rule,
            f.message,
            f.reference
        )?;
    }
    Ok(text)
}
