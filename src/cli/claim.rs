//! `ehr-sim claim …`: check a CMS-1500 or UB-04 claim file with the scrubber; build the claims
//! of a hospice timeline; print a claim as the paper form.

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
    /// Build the hospice claims of a hospice timeline (RON, as `key hospice` reads): the notice
    /// of election, one claim per calendar month, the notice of termination/revocation, each in
    /// the shape `claim check` reads.
    Hospice(HospiceArgs),
    /// Render a claim (RON or JSON) as a printable CMS-1500 or UB-04 page (self-contained HTML).
    Print(PrintArgs),
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

/// Output format of `claim hospice`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ClaimFormat {
    /// RON, each claim preceded by a `//` comment naming it.
    Ron,
    /// A JSON array of claims.
    Json,
}

/// Arguments of `claim hospice`.
#[derive(Debug, clap::Args)]
pub struct HospiceArgs {
    /// The hospice timeline (RON; docs/presentation_and_timeline.md).
    pub timeline: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value = "ron")]
    pub format: ClaimFormat,
    /// Patient, providers, diagnoses, visits and charges (RON or JSON, docs/domain/claims.md
    /// §8); without it a synthetic patient and hospice, no visits, zero charges.
    #[arg(long)]
    pub billing: Option<PathBuf>,
    /// Also write each claim to its own file in this directory (01-081A.ron, …).
    #[arg(long)]
    pub out_dir: Option<PathBuf>,
}

/// Arguments of `claim print`.
#[derive(Debug, clap::Args)]
pub struct PrintArgs {
    /// The claim file (RON or JSON, as `claim check` reads).
    pub file: PathBuf,
    /// Write the page here instead of standard output.
    #[arg(short = 'o', long = "out")]
    pub out: Option<PathBuf>,
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
        ClaimCommand::Hospice(a) => run_hospice(a),
        ClaimCommand::Print(a) => run_print(a),
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

fn run_hospice(a: &HospiceArgs) -> anyhow::Result<ExitCode> {
    use crate::tasks::claims::hospice_claim::{self, HospiceBilling};
    use crate::tasks::hospice::Timeline;
    let kind = crate::cli::input_file::InputKind {
        file: "a hospice timeline",
        invalid: "invalid timeline",
        format_doc: "docs/presentation_and_timeline.md for the timeline format",
        max_bytes: crate::tasks::MAX_ANSWER_BYTES,
    };
    let timeline = match crate::cli::input_file::read(&a.timeline, &kind, Timeline::from_ron, |t| {
        crate::ron_input::from_json_checked(t, Timeline::problems)
    }) {
        Ok(t) => t,
        Err(message) => {
            eprintln!("error: {message}");
            return Ok(ExitCode::from(2));
        }
    };
    let billing = match &a.billing {
        None => HospiceBilling::synthetic(),
        Some(path) => {
            let kind = crate::cli::input_file::InputKind {
                file: "a hospice billing file",
                invalid: "invalid billing file",
                format_doc: "docs/domain/claims.md §8 for the billing format",
                max_bytes: crate::tasks::MAX_ANSWER_BYTES,
            };
            let parsed = crate::cli::input_file::read(
                path,
                &kind,
                |t| crate::ron_input::from_ron_checked(t, HospiceBilling::problems),
                |t| crate::ron_input::from_json_checked(t, HospiceBilling::problems),
            );
            match parsed {
                Ok(b) => b,
                Err(message) => {
                    eprintln!("error: {message}");
                    return Ok(ExitCode::from(2));
                }
            }
        }
    };
    let built = hospice_claim::build(&timeline, &billing);
    let claims: Vec<claims::Claim> = built
        .claims
        .iter()
        .map(|b| claims::Claim::Institutional(Box::new(b.claim.clone())))
        .collect();
    let ron_config = ron::ser::PrettyConfig::new().struct_names(false);
    let mut text = String::new();
    match a.format {
        ClaimFormat::Json => text = serde_json::to_string_pretty(&claims)?,
        ClaimFormat::Ron => {
            for (b, claim) in built.claims.iter().zip(&claims) {
                text.push_str(&format!("// {}\n", describe(b)));
                text.push_str(&ron::ser::to_string_pretty(claim, ron_config.clone())?);
                text.push_str("\n\n");
            }
            for day in &built.sia {
                text.push_str(&format!(
                    "// service intensity add-on: {} with {} unit(s) of RN/social-worker time\n",
                    day.date, day.units
                ));
            }
            for note in &built.notes {
                text.push_str(&format!("// note: {note}\n"));
            }
        }
    }
    println!("{}", text.trim_end());
    if let Some(dir) = &a.out_dir {
        std::fs::create_dir_all(dir)?;
        for (k, (b, claim)) in built.claims.iter().zip(&claims).enumerate() {
            let (ext, body) = match a.format {
                ClaimFormat::Json => ("json", serde_json::to_string_pretty(claim)?),
                ClaimFormat::Ron => (
                    "ron",
                    format!(
                        "// {}\n{}\n",
                        describe(b),
                        ron::ser::to_string_pretty(claim, ron_config.clone())?
                    ),
                ),
            };
            let name = format!("{:02}-{}.{ext}", k + 1, b.claim.type_of_bill);
            std::fs::write(dir.join(name), body)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// One line naming a built hospice claim.
fn describe(b: &crate::tasks::claims::hospice_claim::BuiltClaim) -> String {
    use crate::tasks::claims::hospice_claim::HospiceClaimKind;
    let what = match b.kind {
        HospiceClaimKind::NoticeOfElection => "notice of election",
        HospiceClaimKind::TransferNotice => "change of provider (transfer) notice",
        HospiceClaimKind::Monthly => "monthly claim",
        HospiceClaimKind::NoticeOfTermination => "notice of termination/revocation",
    };
    let period = match (b.claim.statement_from, b.claim.statement_through) {
        (Some(f), Some(t)) => format!(" {f} to {t}"),
        _ => String::new(),
    };
    let due = b.due.map_or_else(String::new, |d| format!(", due by {d}"));
    format!(
        "election {}: TOB {} {what}{period}{due}",
        b.election + 1,
        b.claim.type_of_bill
    )
}

fn run_print(a: &PrintArgs) -> anyhow::Result<ExitCode> {
    let Some(claim) = read(&a.file) else {
        return Ok(ExitCode::from(2));
    };
    let page = crate::report::claim_form::html(&claim);
    match &a.out {
        Some(path) => {
            if let Err(err) = std::fs::write(path, page) {
                eprintln!("error: cannot write {}: {err}", path.display());
                return Ok(ExitCode::from(2));
            }
            println!("wrote {}", path.display());
        }
        None => print!("{page}"),
    }
    Ok(ExitCode::SUCCESS)
}
