//! The assessment report: an employer's printable record of one assessment — its settings,
//! every candidate's result, each candidate's score per competency, and the audit-chain check
//! with the chain head to keep (a later `ehr-sim audit` proves the database was not rewritten).
//!
//! Rows are sorted by candidate (then competency). [`AssessmentReport::load`] reads everything
//! from the store; `to_html` and `to_json` render the same struct.
//!
//! JSON shape (keys in this order; fractions as percent, 2 decimals): `report`
//! (`"assessment"`), `app_version`, `synthetic_notice`, `generated_at`, `generated_by`, `name`,
//! `scenario_ids`, `time_limit_mins`, `pass_mark_percent`, `master_seed`, `candidates`
//! (`[{candidate, scenarios_done, scenarios_total, score, max, percent, timing, passed}]`, with
//! `timing` one of `finished`, `in_progress`, `over_time`), `competencies` (`[{candidate,
//! competency, score, max, percent}]`), `audit` (`{read, intact, links, head, issues}`), `seals`
//! (`[{id, assessment, links, head, public_key, signature, sealed_by, sealed_at}]`).

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;

use super::style::{close_page, open_page};
use super::{APP_VERSION, ReportError, SYNTHETIC_NOTICE, escape, percent_of_fraction, round2};
use chrono::{DateTime, Utc};

use crate::store::{
    Assessment, AssessmentResult, AuditReport, Mode, Seal, Session, Store, StoreResult, Verdict,
};

/// Score of one candidate on one competency, summed over their assessment attempts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CompetencyResult {
    /// Candidate.
    pub candidate: String,
    /// Competency.
    pub competency: String,
    /// Sum of effective scores.
    pub score: f64,
    /// Sum of max points.
    pub max: f64,
}

impl CompetencyResult {
    /// `score ÷ max` (0 when max is 0).
    #[must_use]
    pub fn fraction(&self) -> f64 {
        if self.max > 0.0 {
            self.score / self.max
        } else {
            0.0
        }
    }
}

/// One candidate's line.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CandidateLine {
    /// Candidate's name.
    pub candidate: String,
    /// Scenarios with a recorded attempt.
    pub scenarios_done: u64,
    /// Scenarios in the assessment.
    pub scenarios_total: u64,
    /// Sum of effective scores.
    pub score: f64,
    /// Sum of max points.
    pub max: f64,
    /// Percent of max.
    pub percent: f64,
    /// `finished`, `in_progress` or `over_time`.
    pub timing: String,
    /// The assessment's pass judgement.
    pub passed: bool,
    /// `pass`, `fail`, or `in_progress` (not finished and not out of time when the report was
    /// made: no verdict yet).
    pub result: Verdict,
}

/// The audit check as printed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditSummary {
    /// Whether the chain could be read at all.
    pub read: bool,
    /// Whether no problem was found.
    pub intact: bool,
    /// Links checked.
    pub links: u64,
    /// The chain head at the time of the report.
    pub head: String,
    /// Problems found, sorted.
    pub issues: Vec<String>,
}

impl AuditSummary {
    /// From the store's audit check (`None`: the chain could not be read).
    #[must_use]
    pub(crate) fn from_audit(audit: Option<&AuditReport>) -> Self {
        match audit {
            None => Self {
                read: false,
                intact: false,
                links: 0,
                head: String::new(),
                issues: Vec::new(),
            },
            Some(r) => Self {
                read: true,
                intact: r.is_clean(),
                links: r.links,
                head: r.head.clone(),
                issues: r.issues.iter().map(ToString::to_string).collect(),
            },
        }
    }
}

/// The assessment report (see the module documentation for the JSON shape).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AssessmentReport {
    /// Always `"assessment"`.
    pub report: String,
    /// The program version.
    pub app_version: String,
    /// The synthetic-data notice.
    pub synthetic_notice: String,
    /// When the report was made (as passed in).
    pub generated_at: String,
    /// Who made it.
    pub generated_by: String,
    /// Assessment name.
    pub name: String,
    /// Scenario ids in order.
    pub scenario_ids: Vec<String>,
    /// Time limit in minutes.
    pub time_limit_mins: u64,
    /// Pass mark in percent.
    pub pass_mark_percent: f64,
    /// Master seed, when the staff member making the report holds the staff key (it is
    /// sealed under it); `null` otherwise.
    pub master_seed: Option<u64>,
    /// One line per candidate, sorted by name.
    pub candidates: Vec<CandidateLine>,
    /// Per candidate and competency, sorted.
    pub competencies: Vec<CompetencyResult>,
    /// The audit check.
    pub audit: AuditSummary,
    /// The employer's seals of this assessment (public key and signature over the chain head),
    /// oldest first; `ehr-sim audit verify --public-key FILE` checks them later.
    pub seals: Vec<Seal>,
}

/// Effective score per candidate and competency over the assessment-mode attempts that belong
/// to the listed results' sittings; sorted by candidate, then competency.
///
/// # Errors
/// The store's errors (permission, SQLite).
pub(crate) fn competency_results(
    store: &Store,
    session: &Session,
    results: &[AssessmentResult],
) -> StoreResult<Vec<CompetencyResult>> {
    let sittings: Vec<i64> = results.iter().map(|r| r.sitting_id).collect();
    let mut sums: BTreeMap<(String, String), (f64, f64)> = BTreeMap::new();
    for e in store
        .attempts_for_export(session, None)?
        .iter()
        .filter(|e| e.mode == Mode::Assessment)
    {
        let a = store.attempt(session, e.attempt_id)?;
        if !a.sitting_id.is_some_and(|id| sittings.contains(&id)) {
            continue;
        }
        for c in &a.competencies {
            let entry = sums.entry((a.learner.clone(), c.clone())).or_default();
            entry.0 += a.effective_score;
            entry.1 += a.max;
        }
    }
    Ok(sums
        .into_iter()
        .map(|((candidate, competency), (score, max))| CompetencyResult {
            candidate,
            competency,
            score,
            max,
        })
        .collect())
}

impl AssessmentReport {
    /// Builds the report from parts already loaded (the GUI has them on screen).
    #[must_use]
    pub(crate) fn from_parts(
        assessment: &Assessment,
        results: &[AssessmentResult],
        competencies: &[CompetencyResult],
        audit: Option<&AuditReport>,
        generated_by: &str,
        generated_at: &str,
    ) -> Self {
        let mut candidates: Vec<CandidateLine> = results
            .iter()
            .map(|r| CandidateLine {
                candidate: r.candidate.clone(),
                scenarios_done: r.scenarios_done,
                scenarios_total: r.scenarios_total,
                score: round2(r.score),
                max: round2(r.max),
                percent: round2(r.fraction * 100.0),
                timing: if r.over_time {
                    "over_time"
                } else if r.finished_at.is_some() {
                    "finished"
                } else {
                    "in_progress"
                }
                .to_string(),
                passed: r.passed,
                result: r.verdict,
            })
            .collect();
        candidates.sort_by(|a, b| a.candidate.cmp(&b.candidate));
        let mut competencies: Vec<CompetencyResult> = competencies
            .iter()
            .map(|c| CompetencyResult {
                candidate: c.candidate.clone(),
                competency: c.competency.clone(),
                score: round2(c.score),
                max: round2(c.max),
            })
            .collect();
        competencies
            .sort_by(|a, b| (&a.candidate, &a.competency).cmp(&(&b.candidate, &b.competency)));
        Self {
            report: "assessment".to_string(),
            app_version: APP_VERSION.to_string(),
            synthetic_notice: SYNTHETIC_NOTICE.to_string(),
            generated_at: generated_at.to_string(),
            generated_by: generated_by.to_string(),
            name: assessment.name.clone(),
            scenario_ids: assessment.scenario_ids.clone(),
            time_limit_mins: assessment.time_limit_secs / 60,
            pass_mark_percent: round2(assessment.pass_mark_fraction * 100.0),
            master_seed: None,
            candidates,
            competencies,
            audit: AuditSummary::from_audit(audit),
            seals: Vec::new(),
        }
    }

    /// Loads the named assessment's results, competencies and audit check from the store.
    ///
    /// # Errors
    /// [`ReportError::UnknownAssessment`] (naming the assessments that exist), the store's
    /// errors (the session lacks the instructor or employer role, SQLite).
    pub fn load(
        store: &Store,
        session: &Session,
        name: &str,
        now: &DateTime<Utc>,
    ) -> Result<Self, ReportError> {
        let generated_at = crate::store::format_timestamp(now);
        let generated_at = generated_at.as_str();
        let names = store.assessment_names()?;
        if !names.iter().any(|n| n == name) {
            let known = if names.is_empty() {
                "there are no assessments yet (create one with `ehr-sim assessment create`)"
                    .to_string()
            } else {
                format!("assessments: {}", names.join(", "))
            };
            return Err(ReportError::UnknownAssessment {
                name: name.to_string(),
                known,
            });
        }
        let assessment = store.assessment_by_name(name)?;
        let results = store.assessment_results(session, name, now)?;
        let competencies = competency_results(store, session, &results)?;
        let audit = store.verify_audit().ok();
        let mut report = Self::from_parts(
            &assessment,
            &results,
            &competencies,
            audit.as_ref(),
            session.name(),
            generated_at,
        );
        report.seals = store.seals(Some(&assessment.name))?;
        report.master_seed = store.master_seed(session, &assessment.name).ok();
        Ok(report)
    }

    /// The report as pretty-printed JSON (ends with a newline).
    ///
    /// # Errors
    /// [`ReportError::Json`] (not expected for this plain struct).
    pub fn to_json(&self) -> Result<String, ReportError> {
        Ok(serde_json::to_string_pretty(self)? + "\n")
    }

    /// The report as one self-contained HTML page.
    #[must_use]
    pub fn to_html(&self) -> String {
        fmt::from_fn(|h| self.write_html(h)).to_string()
    }

    fn write_html(&self, h: &mut fmt::Formatter<'_>) -> fmt::Result {
        open_page(h, &format!("{} — assessment report", self.name))?;
        writeln!(
            h,
            "<h1>{name}</h1>\n<p class=\"muted\">Assessment report · synthetic patients — not real · generated by {who}</p>\n\
             <p>{n} scenario(s): <code>{ids}</code> · time limit {min} min · pass mark \
             {pass:.1}% · master seed {seed}</p>",
            name = escape(&self.name),
            who = escape(&self.generated_by),
            n = self.scenario_ids.len(),
            ids = escape(&self.scenario_ids.join(", ")),
            min = self.time_limit_mins,
            pass = self.pass_mark_percent,
            seed = self
                .master_seed
                .map_or_else(|| "sealed".to_string(), |m| m.to_string()),
        )?;
        self.candidates_html(h)?;
        self.competencies_html(h)?;
        self.audit_html(h)?;
        close_page(h, &self.generated_at)
    }

    fn candidates_html(&self, h: &mut fmt::Formatter<'_>) -> fmt::Result {
        h.write_str(
            "<h2>Results per candidate</h2>\n<table><thead><tr><th>Candidate</th>\
             <th class=\"num\">Scenarios done</th><th class=\"num\">Score</th><th class=\"num\">Percent</th><th>Timing</th>\
             <th>Result</th></tr></thead><tbody>\n",
        )?;
        if self.candidates.is_empty() {
            h.write_str("<tr><td colspan=\"6\">No sittings yet.</td></tr>\n")?;
        }
        for r in &self.candidates {
            let class = match r.result {
                Verdict::Pass => "pass",
                Verdict::Fail => "fail",
                Verdict::InProgress => "pending",
            };
            let verdict = r.result.label();
            writeln!(
                h,
                "<tr><td>{}</td><td class=\"num\">{} / {}</td><td class=\"num\">{:.2} / {:.2}</td>\
                 <td class=\"num\">{:.1}%</td><td>{}</td><td class=\"{class}\">{verdict}</td></tr>",
                escape(&r.candidate),
                r.scenarios_done,
                r.scenarios_total,
                r.score,
                r.max,
                r.percent,
                r.timing.replace('_', " "),
            )?;
        }
        h.write_str("</tbody></table>\n")?;
        Ok(())
    }

    fn competencies_html(&self, h: &mut fmt::Formatter<'_>) -> fmt::Result {
        h.write_str(
            "<h2>Results per competency</h2>\n<table><thead><tr><th>Candidate</th>\
             <th>Competency</th><th class=\"num\">Score</th><th class=\"num\">Percent</th></tr></thead><tbody>\n",
        )?;
        if self.competencies.is_empty() {
            h.write_str("<tr><td colspan=\"4\">No graded assessment attempts yet.</td></tr>\n")?;
        }
        for c in &self.competencies {
            writeln!(
                h,
                "<tr><td>{}</td><td>{}</td><td class=\"num\">{:.2} / {:.2}</td>\
                 <td class=\"num\">{}</td></tr>",
                escape(&c.candidate),
                escape(&c.competency),
                c.score,
                c.max,
                percent_of_fraction(c.fraction())
            )?;
        }
        h.write_str("</tbody></table>\n")?;
        Ok(())
    }

    fn audit_html(&self, h: &mut fmt::Formatter<'_>) -> fmt::Result {
        h.write_str("<h2>Audit check</h2>\n")?;
        let a = &self.audit;
        if !a.read {
            h.write_str("<p class=\"fail\">The audit chain could not be read.</p>\n")?;
            return Ok(());
        }
        if a.intact {
            writeln!(
                h,
                "<p class=\"pass\">Audit chain intact: {} links checked.</p>",
                a.links
            )?;
        } else {
            writeln!(
                h,
                "<p class=\"fail\">Audit chain BROKEN: {} problems in {} links.</p><ul>",
                a.issues.len(),
                a.links
            )?;
            for i in &a.issues {
                writeln!(h, "<li>{}</li>", escape(i))?;
            }
            h.write_str("</ul>\n")?;
        }
        writeln!(
            h,
            "<p>Chain head at the time of this report (keep it; <code>ehr-sim audit</code> \
             checks it later): <code>{}</code></p>",
            escape(&a.head)
        )?;
        self.seals_html(h)
    }

    fn seals_html(&self, h: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.seals.is_empty() {
            return h.write_str(
                "<p>Not sealed: <code>ehr-sim assessment seal</code> signs the chain head with \
                 a key kept outside the database, so that a recomputed chain is detected.</p>\n",
            );
        }
        h.write_str(
            "<h3>Seals</h3>\n<p>Each seal is an Ed25519 signature over the chain head; \
             <code>ehr-sim audit verify --public-key FILE</code> checks it.</p>\n<table><thead><tr>\
             <th>Sealed at</th><th>By</th><th class=\"num\">Links</th><th>Head</th>\
             <th>Public key</th><th>Signature</th></tr></thead><tbody>\n",
        )?;
        for seal in &self.seals {
            writeln!(
                h,
                "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td><code>{}</code></td>\
                 <td><code>{}</code></td><td><code>{}</code></td></tr>",
                escape(&seal.sealed_at),
                escape(&seal.sealed_by),
                seal.links,
                escape(&seal.head),
                escape(&seal.public_key),
                escape(&seal.signature)
            )?;
        }
        h.write_str("</tbody></table>\n")
    }
}
