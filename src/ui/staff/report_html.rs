//! The printable assessment report: one self-contained HTML file (inline CSS, no scripts, no
//! external resources) that prints on A4 or Letter.
//!
//! Invariants: every value written into the page is HTML-escaped; rows follow the order of the
//! loaded results (sorted by candidate, then competency); the audit chain head is printed so a
//! later `ehr-sim audit` can prove the database was not rewritten since.

use std::fmt::Write as _;

use chrono::{DateTime, Utc};

use super::assessments::AssessmentsState;
use super::percent;
use crate::store::{Assessment, Session};

/// Escapes `&`, `<`, `>`, `"` and `'`.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            other => out.push(other),
        }
    }
    out
}

const STYLE: &str = "@page { size: auto; margin: 15mm; }
body { font-family: system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif; font-size: 11pt; color: #111; max-width: 180mm; margin: 0 auto; }
h1 { font-size: 16pt; margin: 0 0 4pt; } h2 { font-size: 12.5pt; margin: 14pt 0 4pt; border-bottom: 1px solid #999; }
table { border-collapse: collapse; width: 100%; page-break-inside: auto; } tr { page-break-inside: avoid; }
th, td { border: 1px solid #bbb; padding: 3pt 5pt; text-align: left; vertical-align: top; }
th { background: #eee; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
.pass { color: #1e783c; font-weight: bold; } .fail { color: #b22222; font-weight: bold; }
.mark { font-size: 9pt; color: #555; } code { font-size: 9pt; word-break: break-all; }";

/// Renders the report of the open assessment.
pub fn render(
    a: &Assessment,
    s: &AssessmentsState,
    author: &Session,
    now: DateTime<Utc>,
) -> String {
    let mut h = String::new();
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <title>{name} — assessment report</title><style>{STYLE}</style></head><body>\n\
         <p class=\"mark\">EHR Sim · synthetic patients — not real · generated {at} by {who}</p>\n\
         <h1>{name}</h1>\n<p>{n} scenarios ({ids}) · time limit {min} min · pass mark {pass} · \
         master seed {seed}</p>\n",
        name = escape(&a.name),
        at = now.format("%Y-%m-%d %H:%M UTC"),
        who = escape(author.name()),
        n = a.scenario_ids.len(),
        ids = escape(&a.scenario_ids.join(", ")),
        min = a.time_limit_secs / 60,
        pass = percent(a.pass_mark_fraction),
        seed = a.master_seed,
    );
    h.push_str(
        "<h2>Results per candidate</h2>\n<table><tr><th>Candidate</th><th>Scenarios done</th>\
         <th>Score</th><th>Percent</th><th>Timing</th><th>Result</th></tr>\n",
    );
    if s.results.is_empty() {
        h.push_str("<tr><td colspan=\"6\">No sittings yet.</td></tr>\n");
    }
    for r in &s.results {
        let timing = if r.over_time {
            "over time"
        } else if r.finished_at.is_some() {
            "finished"
        } else {
            "in progress"
        };
        let (class, verdict) = if r.passed {
            ("pass", "PASS")
        } else {
            ("fail", "FAIL")
        };
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td class=\"num\">{} / {}</td><td class=\"num\">{:.2} / {:.2}</td>\
             <td class=\"num\">{}</td><td>{timing}</td><td class=\"{class}\">{verdict}</td></tr>",
            escape(&r.candidate),
            r.scenarios_done,
            r.scenarios_total,
            r.score,
            r.max,
            percent(r.fraction)
        );
    }
    h.push_str(
        "</table>\n<h2>Results per competency</h2>\n<table><tr><th>Candidate</th>\
         <th>Competency</th><th>Score</th><th>Percent</th></tr>\n",
    );
    if s.competencies.is_empty() {
        h.push_str("<tr><td colspan=\"4\">No graded assessment attempts yet.</td></tr>\n");
    }
    for c in &s.competencies {
        let f = if c.max > 0.0 { c.score / c.max } else { 0.0 };
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td class=\"num\">{:.2} / {:.2}</td>\
             <td class=\"num\">{}</td></tr>",
            escape(&c.candidate),
            escape(&c.competency),
            c.score,
            c.max,
            percent(f)
        );
    }
    h.push_str("</table>\n<h2>Audit check</h2>\n");
    match &s.audit {
        None => h.push_str("<p class=\"fail\">The audit chain could not be read.</p>\n"),
        Some(r) if r.is_clean() => {
            let _ = writeln!(
                h,
                "<p class=\"pass\">Audit chain intact: {} links checked.</p>",
                r.links
            );
        }
        Some(r) => {
            let _ = writeln!(
                h,
                "<p class=\"fail\">Audit chain BROKEN: {} problems in {} links.</p><ul>",
                r.issues.len(),
                r.links
            );
            for i in &r.issues {
                let _ = writeln!(h, "<li>{}</li>", escape(&i.to_string()));
            }
            h.push_str("</ul>\n");
        }
    }
    if let Some(r) = &s.audit {
        let _ = writeln!(
            h,
            "<p>Chain head at the time of this report: <code>{}</code></p>",
            escape(&r.head)
        );
    }
    h.push_str("</body></html>\n");
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            escape("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }
}
