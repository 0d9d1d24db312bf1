//! `ehr-sim key roi FILE [--json]`: the release-of-information decision for one request file
//! (RON, or JSON when the file ends in `.json` or starts with `{`). It prints each section's
//! action and basis, the access deadline, the fee basis, minimum necessary, the accounting, the
//! 42 CFR 2.32 notice and every finding with its reference. Exit 0; exit 1 when the file cannot
//! be read, is too large, does not parse (`FILE:LINE:COLUMN: message`) or is inconsistent.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::tasks::roi::{self, Decision, FeeBasis, MAX_REQUEST_BYTES, Request};

/// Arguments of `ehr-sim key roi`.
#[derive(Debug, clap::Args)]
pub struct RoiArgs {
    /// The request file (RON or JSON; see docs/domain/release-of-information.md).
    pub file: PathBuf,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Runs `ehr-sim key roi`: prints the decision and returns 0, or prints the error on standard
/// error and returns 1, as the other `key` commands do.
#[must_use]
pub fn run(args: &RoiArgs) -> ExitCode {
    let decision = read_request(args).map(|request| roi::decide(&request));
    crate::cli::input_file::finish(
        decision.and_then(|v| crate::cli::input_file::render(&v, args.json, render_text)),
    )
}

fn read_request(args: &RoiArgs) -> Result<Request, String> {
    crate::cli::input_file::read(
        &args.file,
        &crate::cli::input_file::InputKind {
            file: "a request file",
            invalid: "invalid request",
            format_doc: "docs/domain/release-of-information.md for the request format",
            max_bytes: MAX_REQUEST_BYTES,
        },
        Request::parse,
        Request::from_json,
    )
}

fn render_text(d: &Decision) -> Result<String, std::fmt::Error> {
    let mut t = String::from("sections:\n");
    for s in &d.sections {
        writeln!(
            t,
            "  {}: {} ({}) - {}",
            s.section.name(),
            s.action.name(),
            s.basis,
            s.note
        )?;
    }
    match &d.deadline {
        Some(dl) => writeln!(
            t,
            "deadline: {} (extension to {} with written notice by {})",
            dl.due, dl.extended_due, dl.extension_notice_by
        )?,
        None => writeln!(t, "deadline: not a right-of-access request")?,
    }
    let fee = match &d.fee {
        FeeBasis::CostBased {
            flat_fee_option: true,
        } => "cost-based, no search or retrieval fee; or a flat fee up to $6.50".to_owned(),
        FeeBasis::CostBased {
            flat_fee_option: false,
        } => "cost-based, no search or retrieval fee".to_owned(),
        FeeBasis::DirectedToThirdParty => {
            "directed to a third party: outside the cost-based limit".to_owned()
        }
        FeeBasis::NotAccessRequest {
            state_fee_schedule: Some(s),
        } => format!("not a right-of-access copy: {s}"),
        FeeBasis::NotAccessRequest {
            state_fee_schedule: None,
        } => "not a right-of-access copy: not decided (state law)".to_owned(),
        FeeBasis::NoCopy => "no copy".to_owned(),
    };
    writeln!(t, "fee: {fee}")?;
    let mn = &d.minimum_necessary;
    let applies = match mn.applies {
        Some(true) => "applies",
        Some(false) => "does not apply",
        None => "n/a",
    };
    writeln!(
        t,
        "minimum necessary: {applies} - {} ({})",
        mn.reason, mn.reference
    )?;
    let a = &d.accounting;
    writeln!(
        t,
        "accounting: {} - {} ({})",
        if a.accountable { "log" } else { "not logged" },
        a.reason,
        a.reference
    )?;
    writeln!(t, "part 2 notice: {}", d.part2_notice.unwrap_or("none"))?;
    t.push_str("findings:");
    for f in &d.findings {
        write!(
            t,
            "\n  {}. [{}] {}: {} ({})",
            f.step,
            if f.decided { "decided" } else { "OPEN" },
            f.rule,
            f.message,
            f.reference
        )?;
    }
    Ok(t)
}
