//! The attempt report: one graded attempt — who, which case (scenario, seed), when, in which
//! mode, the score against the pass mark, critical errors first, then every criterion with its
//! points, what was expected vs. given, the message and the rule behind it.
//!
//! Built either from a fresh [`GradeReport`] ([`AttemptReport::from_grade`], the feedback view
//! and `ehr-sim grade --report-html`) or from a stored attempt ([`AttemptReport::from_record`],
//! `ehr-sim report attempt`). The store keeps criterion titles, sections and fired critical gates
//! from schema version 3; for attempts recorded earlier a report shows criterion ids and says
//! that critical errors were not recorded (`critical_errors_recorded: false`).
//!
//! JSON shape (keys in this order; numbers rounded to 2 decimals; absent values `null`):
//! `report` (`"attempt"`), `app_version`, `synthetic_notice`, `generated_at`, `attempt_id`,
//! `learner`, `scenario_id`, `scenario_title`, `scenario_version_hash`, `rubric_hash`,
//! `program_version` (the rubric and program that graded it; `null` when not recorded), `seed`, `mode`
//! (`"practice"`/`"assessment"`), `started_at`, `submitted_at`, `duration_secs`, `score`
//! (effective, after overrides), `graded_score`, `max`, `percent`, `pass_mark_percent`, `passed`,
//! `critical_errors_recorded`, `critical_errors` (`[{id, title, message, effect, rule}]`),
//! `criteria` (`[{id, title, section, points, max, outcome, expected, given, message, rule,
//! source, details}]`, in rubric order), `overrides` (`[{author, new_score, comment,
//! created_at}]`, oldest first).

use std::fmt;

use serde::Serialize;
use serde_json::Value;

use super::style::{close_page, fact_row, open_page};
use super::{APP_VERSION, ReportError, SYNTHETIC_NOTICE, display_time, escape, round2};
use crate::grading::GradeReport;
use crate::library::ContentRoot;
use crate::store::{AttemptId, AttemptRecord, Mode, Role, Session, Store, StoreError};

/// The facts about an attempt that a [`GradeReport`] does not carry.
#[derive(Debug, Clone, PartialEq)]
pub struct AttemptMeta {
    /// The stored attempt's id, if it was stored.
    pub attempt_id: Option<i64>,
    /// The learner's name.
    pub learner: String,
    /// Scenario id.
    pub scenario_id: String,
    /// Scenario title (empty when unknown).
    pub scenario_title: String,
    /// Hash of the scenario file's content.
    pub scenario_version_hash: Option<String>,
    /// Seed of the case.
    pub seed: u64,
    /// Practice or assessment.
    pub mode: Mode,
    /// RFC 3339.
    pub started_at: Option<String>,
    /// RFC 3339.
    pub submitted_at: Option<String>,
    /// The rubric's pass mark in percent.
    pub pass_mark_percent: Option<f64>,
}

/// One criterion of the report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CriterionLine {
    /// Criterion id.
    pub id: String,
    /// Title (the id when the title is not known).
    pub title: String,
    /// Report section, if any.
    pub section: Option<String>,
    /// Points earned.
    pub points: f64,
    /// Points available.
    pub max: f64,
    /// `correct`, `partial`, `incorrect`, `missing` or `not_applicable`.
    pub outcome: String,
    /// What the key expected, as display text (empty when none).
    pub expected: String,
    /// What the learner gave, as display text (empty when nothing).
    pub given: String,
    /// The feedback message.
    pub message: String,
    /// The rule behind the criterion.
    pub rule: String,
    /// Where the rule comes from.
    pub source: String,
    /// Explanations (matches, partial credits, coding edits).
    pub details: Vec<String>,
}

/// A fired critical gate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CriticalLine {
    /// Gate id.
    pub id: String,
    /// Gate title.
    pub title: String,
    /// Why it fired.
    pub message: String,
    /// `zero` or `cap N%`.
    pub effect: String,
    /// The rule.
    pub rule: String,
}

/// An instructor's override of the score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OverrideLine {
    /// Who.
    pub author: String,
    /// The new score.
    pub new_score: f64,
    /// Why.
    pub comment: String,
    /// When (RFC 3339).
    pub created_at: String,
}

/// The attempt report (see the module documentation for the JSON shape).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AttemptReport {
    /// Always `"attempt"`.
    pub report: String,
    /// The program version.
    pub app_version: String,
    /// The synthetic-data notice.
    pub synthetic_notice: String,
    /// When the report was made (as passed in).
    pub generated_at: String,
    /// Stored attempt id.
    pub attempt_id: Option<i64>,
    /// Learner's name.
    pub learner: String,
    /// Scenario id.
    pub scenario_id: String,
    /// Scenario title (empty when unknown).
    pub scenario_title: String,
    /// Scenario content hash.
    pub scenario_version_hash: Option<String>,
    /// The fingerprint of the rubric that graded it.
    pub rubric_hash: Option<String>,
    /// The EHR Sim version that graded it.
    pub program_version: Option<String>,
    /// Seed.
    pub seed: u64,
    /// Mode.
    pub mode: Mode,
    /// RFC 3339.
    pub started_at: Option<String>,
    /// RFC 3339.
    pub submitted_at: Option<String>,
    /// Time spent, in seconds.
    pub duration_secs: Option<u64>,
    /// Effective score (the newest override, else the graded score).
    pub score: f64,
    /// Score as graded.
    pub graded_score: f64,
    /// Points available.
    pub max: f64,
    /// `score ÷ max × 100` (0 when max is 0).
    pub percent: f64,
    /// Pass mark in percent, when the rubric is known.
    pub pass_mark_percent: Option<f64>,
    /// Grading's pass judgement.
    pub passed: bool,
    /// Whether `critical_errors` is known (false for attempts read back from the store).
    pub critical_errors_recorded: bool,
    /// Fired critical gates, in rubric order.
    pub critical_errors: Vec<CriticalLine>,
    /// Criteria in rubric order.
    pub criteria: Vec<CriterionLine>,
    /// Overrides, oldest first.
    pub overrides: Vec<OverrideLine>,
}

/// A JSON value as display text (see [`super::values`]).
fn value_text(v: &Value) -> String {
    super::values::display_value(v)
}

fn percent(score: f64, max: f64) -> f64 {
    if max > 0.0 {
        round2(score / max * 100.0)
    } else {
        0.0
    }
}

impl AttemptReport {
    /// The report of a freshly graded submission. Nothing is read: `generated_at` is the clock.
    #[must_use]
    pub fn from_grade(report: &GradeReport, meta: &AttemptMeta, generated_at: &str) -> Self {
        let duration_secs = match (&meta.started_at, &meta.submitted_at) {
            (Some(a), Some(b)) => duration_between(a, b),
            _ => None,
        };
        Self {
            report: "attempt".to_string(),
            app_version: APP_VERSION.to_string(),
            synthetic_notice: SYNTHETIC_NOTICE.to_string(),
            generated_at: generated_at.to_string(),
            attempt_id: meta.attempt_id,
            learner: meta.learner.clone(),
            scenario_id: meta.scenario_id.clone(),
            scenario_title: meta.scenario_title.clone(),
            scenario_version_hash: meta.scenario_version_hash.clone(),
            rubric_hash: Some(report.rubric_sha256.clone()).filter(|h| !h.is_empty()),
            program_version: Some(APP_VERSION.to_string()),
            seed: meta.seed,
            mode: meta.mode,
            started_at: meta.started_at.clone(),
            submitted_at: meta.submitted_at.clone(),
            duration_secs,
            score: round2(report.score),
            graded_score: round2(report.score),
            max: round2(report.max),
            percent: round2(report.percent),
            pass_mark_percent: meta.pass_mark_percent.map(round2),
            passed: report.passed,
            critical_errors_recorded: true,
            critical_errors: report
                .critical
                .iter()
                .map(|c| CriticalLine {
                    id: c.id.clone(),
                    title: c.title.clone(),
                    message: c.message.clone(),
                    effect: c.effect.clone(),
                    rule: c.rule.clone(),
                })
                .collect(),
            criteria: report
                .criteria
                .iter()
                .map(|c| CriterionLine {
                    id: c.id.clone(),
                    title: if c.title.is_empty() {
                        c.id.clone()
                    } else {
                        c.title.clone()
                    },
                    section: c.section.clone(),
                    points: round2(c.points),
                    max: round2(c.max),
                    outcome: c.outcome.as_str().to_string(),
                    expected: value_text(&c.expected),
                    given: value_text(&c.given),
                    message: c.feedback.clone(),
                    rule: c.rule.clone(),
                    source: c.source.clone(),
                    details: c.details.clone(),
                })
                .collect(),
            overrides: Vec::new(),
        }
    }

    /// The report of a stored attempt. `scenario_title` and `pass_mark_percent` come from the
    /// scenario library when the scenario is still there (`None` otherwise).
    #[must_use]
    pub(crate) fn from_record(
        record: &AttemptRecord,
        scenario_title: Option<&str>,
        pass_mark_percent: Option<f64>,
        generated_at: &str,
    ) -> Self {
        Self {
            report: "attempt".to_string(),
            app_version: APP_VERSION.to_string(),
            synthetic_notice: SYNTHETIC_NOTICE.to_string(),
            generated_at: generated_at.to_string(),
            attempt_id: Some(record.id),
            learner: record.learner.clone(),
            scenario_id: record.scenario_id.clone(),
            scenario_title: scenario_title.unwrap_or_default().to_string(),
            scenario_version_hash: Some(record.scenario_version_hash.clone()),
            rubric_hash: record.rubric_hash.clone(),
            program_version: record.program_version.clone(),
            seed: record.seed,
            mode: record.mode,
            started_at: Some(record.started_at.clone()),
            submitted_at: Some(record.submitted_at.clone()),
            duration_secs: Some(record.duration_secs),
            score: round2(record.effective_score),
            graded_score: round2(record.score),
            max: round2(record.max),
            percent: percent(record.effective_score, record.max),
            pass_mark_percent: pass_mark_percent.map(round2),
            passed: record.passed,
            critical_errors_recorded: record.criticals_recorded,
            critical_errors: record
                .criticals
                .iter()
                .map(|c| CriticalLine {
                    id: c.gate_id.clone(),
                    title: c.title.clone(),
                    message: c.message.clone(),
                    effect: c.effect.clone(),
                    rule: c.rule.clone(),
                })
                .collect(),
            criteria: record
                .findings
                .iter()
                .map(|f| CriterionLine {
                    id: f.criterion_id.clone(),
                    title: if f.title.is_empty() {
                        f.criterion_id.clone()
                    } else {
                        f.title.clone()
                    },
                    section: (!f.section.is_empty()).then(|| f.section.clone()),
                    points: round2(f.points),
                    max: round2(f.max),
                    outcome: f.outcome.clone(),
                    expected: super::values::display_json_text(&f.expected, &|_| None),
                    given: super::values::display_json_text(&f.given, &|_| None),
                    message: f.feedback.clone(),
                    rule: f.rule.clone(),
                    source: String::new(),
                    details: Vec::new(),
                })
                .collect(),
            overrides: record
                .overrides
                .iter()
                .map(|o| OverrideLine {
                    author: o.author.clone(),
                    new_score: round2(o.new_score),
                    comment: o.comment.clone(),
                    created_at: o.created_at.clone(),
                })
                .collect(),
        }
    }

    /// Loads a stored attempt and, when its scenario is still in the library under `root`, the
    /// scenario's title and its rubric's pass mark.
    ///
    /// # Errors
    /// [`ReportError::UnknownAttempt`] naming the attempt ids the actor may read; the store's
    /// errors (a learner reading another learner's attempt, SQLite).
    pub fn load(
        store: &Store,
        session: &Session,
        attempt_id: AttemptId,
        root: &ContentRoot,
        generated_at: &str,
    ) -> Result<Self, ReportError> {
        let record = match store.attempt(session, attempt_id) {
            Ok(r) => r,
            Err(StoreError::NotFound {
                what: "attempt", ..
            }) => {
                return Err(ReportError::UnknownAttempt {
                    id: attempt_id,
                    known: known_attempts(store, session)?,
                });
            }
            Err(e) => return Err(e.into()),
        };
        let scenario = root.find(&record.scenario_id).ok();
        let pass_mark = scenario.as_ref().and_then(|s| {
            let path = root.grading_dir().join(&s.scenario.rubric);
            crate::library::load_rubric_file(&path, &crate::tasks::schemas())
                .ok()
                .map(|r| r.pass_mark_percent)
        });
        Ok(Self::from_record(
            &record,
            scenario.as_ref().map(|s| s.scenario.title.as_str()),
            pass_mark,
            generated_at,
        ))
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
        let name = if self.scenario_title.is_empty() {
            self.scenario_id.as_str()
        } else {
            self.scenario_title.as_str()
        };
        open_page(h, &format!("Attempt report — {} — {name}", self.learner))?;
        writeln!(
            h,
            "<h1>Attempt report</h1>\n<p class=\"muted\">{}</p>",
            escape(name)
        )?;
        self.facts_html(h)?;
        self.result_html(h)?;
        self.critical_html(h)?;
        self.criteria_html(h)?;
        close_page(h, &self.generated_at)
    }

    fn facts_html(&self, h: &mut fmt::Formatter<'_>) -> fmt::Result {
        h.write_str("<table class=\"facts\">\n")?;
        fact_row(
            h,
            "Learner",
            &format!("<strong>{}</strong>", escape(&self.learner)),
        )?;
        let scenario = if self.scenario_title.is_empty() {
            format!("<code>{}</code>", escape(&self.scenario_id))
        } else {
            format!(
                "{} <span class=\"muted\">(<code>{}</code>)</span>",
                escape(&self.scenario_title),
                escape(&self.scenario_id)
            )
        };
        fact_row(h, "Scenario", &scenario)?;
        fact_row(h, "Seed", &self.seed.to_string())?;
        fact_row(h, "Mode", self.mode.as_str())?;
        if let Some(at) = &self.started_at {
            fact_row(h, "Started", &escape(&display_time(at)))?;
        }
        if let Some(at) = &self.submitted_at {
            fact_row(h, "Submitted", &escape(&display_time(at)))?;
        }
        if let Some(secs) = self.duration_secs {
            fact_row(
                h,
                "Time spent",
                &format!("{} min {:02} s", secs / 60, secs % 60),
            )?;
        }
        if let Some(id) = self.attempt_id {
            fact_row(h, "Attempt", &format!("#{id}"))?;
        }
        if let Some(hash) = &self.scenario_version_hash {
            fact_row(
                h,
                "Scenario version",
                &format!("<code>{}</code>", escape(hash)),
            )?;
        }
        if let Some(hash) = &self.rubric_hash {
            fact_row(
                h,
                "Rubric version",
                &format!("<code>{}</code>", escape(hash)),
            )?;
        }
        if let Some(version) = &self.program_version {
            fact_row(h, "Graded by", &format!("EHR Sim {}", escape(version)))?;
        }
        h.write_str("</table>\n")?;
        Ok(())
    }

    fn result_html(&self, h: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (class, verdict) = if self.passed {
            ("pass", "PASS")
        } else {
            ("fail", "FAIL")
        };
        writeln!(
            h,
            "<h2>Result</h2>\n<table class=\"facts\">\n<tr><th scope=\"row\">Score</th>\
             <td><span class=\"score\">{:.2} / {:.2}</span> ({:.1}%)</td></tr>",
            self.score, self.max, self.percent
        )?;
        let pass_mark = self
            .pass_mark_percent
            .map_or_else(|| "not known".to_string(), |p| format!("{p:.1}%"));
        fact_row(h, "Pass mark", &pass_mark)?;
        fact_row(
            h,
            "Result",
            &format!("<span class=\"{class}\">{verdict}</span>"),
        )?;
        for o in &self.overrides {
            fact_row(
                h,
                "Score overridden",
                &format!(
                    "{:.2} by {} on {} — {} <span class=\"muted\">(graded {:.2})</span>",
                    o.new_score,
                    escape(&o.author),
                    escape(&display_time(&o.created_at)),
                    escape(&o.comment),
                    self.graded_score
                ),
            )?;
        }
        h.write_str("</table>\n")?;
        Ok(())
    }

    fn critical_html(&self, h: &mut fmt::Formatter<'_>) -> fmt::Result {
        h.write_str("<h2>Critical errors</h2>\n")?;
        if !self.critical_errors_recorded {
            h.write_str(
                "<p class=\"muted\">Not recorded: this attempt was saved by a version of EHR Sim \
                 that kept per-criterion results only. Grade the answer file again \
                 (<code>ehr-sim grade</code>) to see critical errors.</p>\n",
            )?;
            return Ok(());
        }
        if self.critical_errors.is_empty() {
            h.write_str("<p>None.</p>\n")?;
            return Ok(());
        }
        for c in &self.critical_errors {
            writeln!(
                h,
                "<div class=\"critical keep\"><p class=\"fail\">Critical error: {} \
                 <span class=\"muted\">({})</span></p><p>{}</p>{}</div>",
                escape(&c.title),
                escape(&c.effect),
                escape(&c.message),
                rule_html(&c.rule, "")
            )?;
        }
        Ok(())
    }

    fn criteria_html(&self, h: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(h, "<h2>Criteria ({})</h2>", self.criteria.len())?;
        if self.criteria.is_empty() {
            h.write_str("<p>No criteria.</p>\n")?;
        }
        let mut section: Option<&str> = None;
        for c in &self.criteria {
            if let Some(s) = c.section.as_deref()
                && section != Some(s)
            {
                writeln!(h, "<h3>{}</h3>", escape(s))?;
                section = Some(s);
            }
            let (class, label) = outcome_style(&c.outcome);
            writeln!(
                h,
                "<div class=\"criterion {class} keep\"><div class=\"head\">\
                 <span class=\"pts\">{:.2} / {:.2}</span><span class=\"title\">{}</span>\
                 <span class=\"{}\">{label}</span></div>",
                c.points,
                c.max,
                escape(&c.title),
                outcome_class(&c.outcome)
            )?;
            if !c.message.is_empty() {
                writeln!(h, "<p>{}</p>", escape(&c.message))?;
            }
            writeln!(
                h,
                "<table><tr><th scope=\"row\">Expected</th><td>{}</td></tr>\
                 <tr><th scope=\"row\">Given</th><td>{}</td></tr></table>",
                or_dash(&c.expected),
                or_dash(&c.given)
            )?;
            if !c.details.is_empty() {
                h.write_str("<ul class=\"details\">")?;
                for d in &c.details {
                    write!(h, "<li>{}</li>", escape(d))?;
                }
                h.write_str("</ul>\n")?;
            }
            h.write_str(&rule_html(&c.rule, &c.source))?;
            h.write_str("</div>\n")?;
        }
        Ok(())
    }
}

/// The attempt ids `session` may read, as a sentence for an error message.
fn known_attempts(store: &Store, session: &Session) -> Result<String, ReportError> {
    let mut ids: Vec<i64> = if matches!(session.role(), Role::Instructor | Role::EmployerAdmin) {
        store
            .attempts_for_export(session, None)?
            .iter()
            .map(|a| a.attempt_id)
            .collect()
    } else {
        store
            .learner_history(session, session.person_id())?
            .iter()
            .map(|h| h.attempt_id)
            .collect()
    };
    ids.sort_unstable();
    Ok(if ids.is_empty() {
        "there are no attempts in this database yet".to_string()
    } else {
        let list: Vec<String> = ids.iter().map(|id| format!("#{id}")).collect();
        format!("attempts you can read: {}", list.join(", "))
    })
}

fn or_dash(text: &str) -> String {
    if text.trim().is_empty() {
        "—".to_string()
    } else {
        escape(text)
    }
}

fn rule_html(rule: &str, source: &str) -> String {
    if rule.is_empty() {
        return String::new();
    }
    let source = if source.is_empty() {
        String::new()
    } else {
        format!(" ({})", escape(source))
    };
    format!("<p class=\"rule\">Rule: {}{source}</p>\n", escape(rule))
}

/// CSS class of the criterion block for an outcome.
fn outcome_style(outcome: &str) -> (&'static str, String) {
    let class = match outcome {
        "correct" => "correct",
        "partial" => "partial",
        "incorrect" => "incorrect",
        "missing" => "missing",
        _ => "na",
    };
    (class, escape(&outcome.replace('_', " ")))
}

/// CSS class of the outcome label.
fn outcome_class(outcome: &str) -> &'static str {
    match outcome {
        "correct" => "pass",
        "partial" => "partial",
        "incorrect" | "missing" => "fail",
        _ => "muted",
    }
}

fn duration_between(started: &str, submitted: &str) -> Option<u64> {
    let a = chrono::DateTime::parse_from_rfc3339(started).ok()?;
    let b = chrono::DateTime::parse_from_rfc3339(submitted).ok()?;
    u64::try_from((b - a).num_seconds()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_text_shows_quantities_and_lists() {
        assert_eq!(
            value_text(&serde_json::json!({"value": 37.2, "unit": "Cel"})),
            "37.2 °C"
        );
        assert_eq!(
            value_text(&serde_json::json!(["I10", "E11.9"])),
            "I10, E11.9"
        );
        assert_eq!(value_text(&Value::Null), "");
    }

    #[test]
    fn times_display_in_utc() {
        assert_eq!(display_time("2026-03-04T10:00:00Z"), "2026-03-04 10:00 UTC");
        assert_eq!(display_time("soon"), "soon");
        assert_eq!(
            duration_between("2026-03-04T10:00:00Z", "2026-03-04T10:12:30Z"),
            Some(750)
        );
    }
}
