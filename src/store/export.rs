//! Gradebook export: CSV for spreadsheets, JSON, and xAPI statements for learning record stores.
//!
//! CSV is RFC 4180 (header row, CRLF line ends, quotes where needed) with ISO 8601 timestamps,
//! one row per learner and scenario version (learners without attempts get one row with empty
//! scenario fields). xAPI is a JSON array with one statement per attempt: actor (account on the
//! given home page), verb `passed`/`failed` (ADL vocabulary), object = the scenario as an
//! activity IRI, result.score {raw, min, max, scaled}, success, duration, timestamp. Output is
//! sorted and deterministic.

use serde::Serialize;
use serde_json::{Value, json};

use crate::store::attempts::Mode;
use crate::store::db::params;
use crate::store::people::{Role, Session};
use crate::store::queries::{EFFECTIVE_SCORE_SQL, Gradebook};
use crate::store::{Store, StoreError, StoreResult};

/// The export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// RFC 4180 CSV.
    Csv,
    /// The gradebook as JSON.
    Json,
    /// xAPI 1.0.3 statements (JSON array).
    Xapi,
}

impl ExportFormat {
    /// Parses `csv`, `json` or `xapi`.
    ///
    /// # Errors
    /// [`StoreError::Invalid`].
    pub fn parse(text: &str) -> StoreResult<Self> {
        match text.to_ascii_lowercase().as_str() {
            "csv" => Ok(Self::Csv),
            "json" => Ok(Self::Json),
            "xapi" => Ok(Self::Xapi),
            other => Err(StoreError::Invalid {
                field: "format",
                message: format!("{other:?} is not an export format; use csv, json or xapi"),
            }),
        }
    }
}

/// The default home page for xAPI actor accounts (a reserved, never-resolving domain).
pub(crate) const DEFAULT_XAPI_HOMEPAGE: &str = "https://ehr-sim.invalid";

/// One attempt as exported.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExportAttempt {
    /// Attempt id.
    pub attempt_id: i64,
    /// Learner's name.
    pub learner: String,
    /// Scenario id.
    pub scenario_id: String,
    /// Scenario content hash.
    pub scenario_version_hash: String,
    /// Seed.
    pub seed: u64,
    /// Mode.
    pub mode: Mode,
    /// RFC 3339.
    pub submitted_at: String,
    /// Seconds.
    pub duration_secs: u64,
    /// Effective score.
    pub score: f64,
    /// Max points.
    pub max: f64,
    /// Pass judgement.
    pub passed: bool,
}

fn percent(fraction: f64) -> String {
    format!("{:.1}", fraction * 100.0)
}

/// A text cell as a spreadsheet will not run it: a value starting with `=`, `+`, `-`, `@`, a tab
/// or a carriage return is prefixed with `'` (OWASP CSV injection), so a name such as
/// `=HYPERLINK(…)` shows as text.
fn safe_cell(text: &str) -> std::borrow::Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{text}"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// Renders a gradebook as RFC 4180 CSV; text cells are neutralised for spreadsheets ([`safe_cell`]).
///
/// # Errors
/// Only if the CSV writer fails (it writes to memory).
pub(crate) fn gradebook_csv(gradebook: &Gradebook) -> StoreResult<String> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let csv_err = |e: csv::Error| StoreError::Invalid {
        field: "csv",
        message: e.to_string(),
    };
    writer
        .write_record([
            "learner",
            "role",
            "scenario_id",
            "scenario_version",
            "attempts",
            "best_percent",
            "latest_percent",
            "latest_passed",
            "latest_submitted_at",
        ])
        .map_err(csv_err)?;
    for row in &gradebook.rows {
        let mut wrote = false;
        for (scenario, cell) in gradebook.scenarios.iter().zip(&row.cells) {
            let Some(cell) = cell else { continue };
            wrote = true;
            writer
                .write_record([
                    safe_cell(&row.learner).as_ref(),
                    row.role.as_str(),
                    safe_cell(&scenario.scenario_id).as_ref(),
                    safe_cell(&scenario.content_hash).as_ref(),
                    &cell.attempts.to_string(),
                    &percent(cell.best_fraction),
                    &percent(cell.latest_fraction),
                    if cell.latest_passed { "yes" } else { "no" },
                    cell.latest_submitted_at.as_str(),
                ])
                .map_err(csv_err)?;
        }
        if !wrote {
            writer
                .write_record([
                    safe_cell(&row.learner).as_ref(),
                    row.role.as_str(),
                    "",
                    "",
                    "0",
                    "",
                    "",
                    "",
                    "",
                ])
                .map_err(csv_err)?;
        }
    }
    let bytes = writer.into_inner().map_err(|e| StoreError::Invalid {
        field: "csv",
        message: e.to_string(),
    })?;
    String::from_utf8(bytes).map_err(|e| StoreError::Invalid {
        field: "csv",
        message: e.to_string(),
    })
}

/// Renders attempts as xAPI statements (a JSON array, pretty-printed).
#[must_use]
pub(crate) fn xapi_statements(attempts: &[ExportAttempt], homepage: &str) -> String {
    let statements: Vec<Value> = attempts
        .iter()
        .map(|a| {
            let verb = if a.passed { "passed" } else { "failed" };
            let scaled = if a.max > 0.0 { a.score / a.max } else { 0.0 };
            json!({
                "actor": {
                    "objectType": "Agent",
                    "name": a.learner,
                    "account": { "homePage": homepage, "name": a.learner },
                },
                "verb": {
                    "id": format!("http://adlnet.gov/expapi/verbs/{verb}"),
                    "display": { "en-US": verb },
                },
                "object": {
                    "objectType": "Activity",
                    "id": format!("urn:ehr-sim:scenario:{}", a.scenario_id),
                    "definition": { "name": { "en-US": a.scenario_id } },
                },
                "result": {
                    "score": { "raw": a.score, "min": 0.0, "max": a.max, "scaled": scaled },
                    "success": a.passed,
                    "completion": true,
                    "duration": format!("PT{}S", a.duration_secs),
                },
                "context": {
                    "extensions": {
                        "urn:ehr-sim:attempt-id": a.attempt_id,
                        "urn:ehr-sim:scenario-version": a.scenario_version_hash,
                        "urn:ehr-sim:seed": a.seed.to_string(),
                        "urn:ehr-sim:mode": a.mode.as_str(),
                    },
                },
                "timestamp": a.submitted_at,
            })
        })
        .collect();
    serde_json::to_string_pretty(&statements).unwrap_or_else(|_| "[]".to_string())
}

impl Store {
    /// Every attempt (of a cohort's members, or everyone), by learner, submission time and id.
    /// Privileged only.
    ///
    /// # Errors
    /// [`StoreError::PermissionDenied`], [`StoreError::NotFound`] (cohort), SQLite failures.
    pub(crate) fn attempts_for_export(
        &self,
        actor: &Session,
        cohort: Option<&str>,
    ) -> StoreResult<Vec<ExportAttempt>> {
        actor.require(&[Role::Instructor, Role::EmployerAdmin], "export grades")?;
        let cohort_id = cohort.map(|name| self.cohort_id(name)).transpose()?;
        let sql = format!(
            "SELECT a.id, p.name, v.scenario_id, v.content_hash, a.seed, a.mode, a.submitted_at, \
             a.duration_secs, {EFFECTIVE_SCORE_SQL}, a.max_score, a.passed \
             FROM attempts a JOIN people p ON p.id = a.person_id \
             JOIN scenario_versions v ON v.id = a.scenario_version_id \
             WHERE CAST(?1 AS BIGINT) IS NULL OR a.person_id IN (SELECT person_id FROM cohort_members WHERE cohort_id = ?1) \
             ORDER BY p.name, a.submitted_at, a.id"
        );
        let rows = self.conn().query_map(&sql, params![cohort_id], |r| {
            Ok((
                (
                    r.get::<i64>(0)?,
                    r.get::<String>(1)?,
                    r.get::<String>(2)?,
                    r.get::<String>(3)?,
                ),
                (
                    r.get::<i64>(4)?,
                    r.get::<String>(5)?,
                    r.get::<String>(6)?,
                    r.get::<i64>(7)?,
                ),
                (r.get::<f64>(8)?, r.get::<f64>(9)?, r.get::<bool>(10)?),
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (
                (attempt_id, learner, scenario_id, hash),
                (seed, mode, submitted_at, duration),
                (score, max, passed),
            ) = row;
            out.push(ExportAttempt {
                attempt_id,
                learner,
                scenario_id,
                scenario_version_hash: hash,
                seed: seed as u64,
                mode: Mode::parse(&mode)?,
                submitted_at,
                duration_secs: u64::try_from(duration).unwrap_or(0),
                score,
                max,
                passed,
            });
        }
        Ok(out)
    }

    /// Exports the gradebook in `format` (xAPI uses `homepage` for actor accounts).
    ///
    /// # Errors
    /// As [`Store::gradebook`] and [`Store::attempts_for_export`].
    pub fn export_gradebook(
        &self,
        actor: &Session,
        cohort: Option<&str>,
        format: ExportFormat,
        homepage: &str,
    ) -> StoreResult<String> {
        match format {
            ExportFormat::Csv => gradebook_csv(&self.gradebook(actor, cohort)?),
            ExportFormat::Json => {
                let gradebook = self.gradebook(actor, cohort)?;
                serde_json::to_string_pretty(&gradebook).map_err(|e| StoreError::Invalid {
                    field: "json",
                    message: e.to_string(),
                })
            }
            ExportFormat::Xapi => Ok(xapi_statements(
                &self.attempts_for_export(actor, cohort)?,
                homepage,
            )),
        }
    }
}
