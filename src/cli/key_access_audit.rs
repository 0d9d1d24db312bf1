//! `ehr-sim key access-audit FILE [--json]`: the access-audit review of one access log (RON, or
//! JSON when the file ends in `.json` or starts with `{`). It prints the counts, the flagged
//! events grouped by rule with severity and reference, the breach-determination findings per
//! patient, the sanction review per user and the notification duties. Exit 0; exit 1 when the
//! file cannot be read, is too large, does not parse (`FILE:LINE:COLUMN: message`) or is
//! inconsistent (every problem listed with the item's path).

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::tasks::access_audit::{self, AuditLog, Finding, MAX_LOG_BYTES, Review};

/// Arguments of `ehr-sim key access-audit`.
#[derive(Debug, clap::Args)]
pub struct AccessAuditArgs {
    /// The access log (RON or JSON; see docs/domain/access-audit.md).
    pub file: PathBuf,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Runs `ehr-sim key access-audit`: prints the review and returns 0, or prints the error on
/// standard error and returns 1.
#[must_use]
pub fn run(args: &AccessAuditArgs) -> ExitCode {
    let review = read_log(args).map(|log| access_audit::review(&log));
    crate::cli::input_file::finish(
        review.and_then(|v| crate::cli::input_file::render(&v, args.json, render_text)),
    )
}

fn read_log(args: &AccessAuditArgs) -> Result<AuditLog, String> {
    crate::cli::input_file::read(
        &args.file,
        &crate::cli::input_file::InputKind {
            file: "an access-log file",
            invalid: "invalid access log",
            format_doc: "docs/domain/access-audit.md for the log format",
            max_bytes: MAX_LOG_BYTES,
        },
        AuditLog::parse,
        AuditLog::from_json,
    )
}

fn finding_line(t: &mut String, f: &Finding) -> std::fmt::Result {
    write!(
        t,
        "\n    [{}] {}: {} ({})",
        if f.decided { "decided" } else { "OPEN" },
        f.rule,
        f.message,
        f.reference
    )
}

fn render_text(r: &Review) -> Result<String, std::fmt::Error> {
    let mut t = format!(
        "events: {} ({} appropriate, {} flagged)\n",
        r.total, r.appropriate, r.flagged
    );
    t.push_str("flagged events by rule");
    t.push_str(if r.by_rule.is_empty() { ": none" } else { ":" });
    for g in &r.by_rule {
        write!(
            t,
            "\n  {} [{:?}{}] {} ({})\n    {}",
            g.rule.id(),
            g.severity,
            if g.unverified { ", UNVERIFIED" } else { "" },
            g.title,
            g.reference,
            g.events.join(", ")
        )?;
    }
    t.push_str("\nbreach determination by patient");
    t.push_str(if r.patients.is_empty() { ": none" } else { ":" });
    for p in &r.patients {
        write!(
            t,
            "\n  {}: events {} by {}",
            p.patient,
            p.events.join(", "),
            p.users.join(", ")
        )?;
        for f in &p.findings {
            finding_line(&mut t, f)?;
        }
    }
    t.push_str("\nsanction review by user");
    t.push_str(if r.users.is_empty() { ": none" } else { ":" });
    for u in &r.users {
        let rules: Vec<&str> = u.rules.iter().map(|rule| rule.id()).collect();
        write!(
            t,
            "\n  {}: {} flagged event(s) [{:?}] {} ({})",
            u.user,
            u.events,
            u.severity,
            rules.join(", "),
            u.reference
        )?;
    }
    t.push_str("\nnotification:");
    for f in &r.notification {
        finding_line(&mut t, f)?;
    }
    Ok(t)
}
