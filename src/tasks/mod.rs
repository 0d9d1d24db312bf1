//! The task kinds a learner works on. Each kind has the same shape:
//!
//! - its **material**: what the learner works from, generated from the case (an intake
//!   conversation, a clinical document, arriving patients, a hospice timeline);
//! - its **key**: derived from the case by the kind's own logic (never typed in beside it);
//! - its **submission**: the typed answer, the same whether it comes from the GUI or a file;
//! - its **field schema**: the fields key and submission share, which rubrics read.
//!
//! Keys and submissions are serialised to JSON of the same shape for [`crate::grading::grade`].
//! Everything here is pure: the material is generated with a random stream derived from the
//! patient's seed, so it is deterministic like the patient.

pub mod charting;
pub mod coding;
pub mod hospice;
pub mod triage;

use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::diagnostic::Diagnostic;
use crate::generate::Case;
use crate::grading::{FieldSchema, Setting, TaskKind as RubricKind};
use crate::patient::Patient;
use crate::scenario::schema::{ChartingVariant, CodingSetting, Scenario, TaskSpec};

/// What the learner works from, per task kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum TaskMaterial {
    /// Charting or transcription.
    Charting(charting::ChartingMaterial),
    /// Coding.
    Coding(coding::CodingMaterial),
    /// ED triage.
    Triage(triage::task::TriageMaterial),
    /// Hospice records.
    Hospice(hospice::task::HospiceMaterial),
}

/// Builds the task material for a generated patient.
pub fn material(scenario: &Scenario, patient: &Patient, patient_seed: u64) -> TaskMaterial {
    match &scenario.task {
        TaskSpec::Charting(spec) => {
            TaskMaterial::Charting(charting::material(scenario, spec, patient, patient_seed))
        }
        TaskSpec::Coding(spec) => {
            TaskMaterial::Coding(coding::material(scenario, spec, patient, patient_seed))
        }
        TaskSpec::Triage(spec) => TaskMaterial::Triage(triage::task::material(
            scenario,
            spec,
            patient,
            patient_seed,
        )),
        TaskSpec::Hospice(spec) => TaskMaterial::Hospice(hospice::task::material(
            scenario,
            spec,
            patient,
            patient_seed,
        )),
    }
}

/// The code checker grading uses: the embedded code sets.
pub fn code_checker() -> coding::TerminologyChecker {
    coding::code_checker()
}

/// The rubric task kind a scenario's task is graded as.
pub fn rubric_kind(spec: &TaskSpec) -> RubricKind {
    match spec {
        TaskSpec::Charting(c) if c.variant == ChartingVariant::Transcription => {
            RubricKind::Transcription
        }
        TaskSpec::Charting(_) => RubricKind::Charting,
        TaskSpec::Coding(_) => RubricKind::Coding,
        TaskSpec::Triage(_) => RubricKind::Triage,
        TaskSpec::Hospice(_) => RubricKind::Hospice,
    }
}

/// The coding setting for edits and sequencing (outpatient unless the task says inpatient).
pub fn setting(spec: &TaskSpec) -> Setting {
    match spec {
        TaskSpec::Coding(c) if c.setting == CodingSetting::Inpatient => Setting::Inpatient,
        _ => Setting::Outpatient,
    }
}

/// The field schema of a rubric task kind.
pub fn schema(kind: RubricKind) -> FieldSchema {
    match kind {
        RubricKind::Charting => charting::schema(),
        RubricKind::Transcription => charting::transcription_schema(),
        RubricKind::Coding => coding::schema(),
        RubricKind::Triage => triage::task::schema(),
        RubricKind::Hospice => hospice::task::schema(),
    }
}

/// Every task kind's schema (for loading rubrics).
pub fn schemas() -> Vec<FieldSchema> {
    [
        RubricKind::Charting,
        RubricKind::Transcription,
        RubricKind::Coding,
        RubricKind::Triage,
        RubricKind::Hospice,
    ]
    .into_iter()
    .map(schema)
    .collect()
}

/// The answer key of a case, as JSON in the submission's shape.
pub fn key(case: &Case) -> Value {
    match &case.task {
        TaskMaterial::Charting(m) => charting::key(case, m),
        TaskMaterial::Coding(m) => coding::key(case, m),
        TaskMaterial::Triage(m) => triage::task::key(case, m),
        TaskMaterial::Hospice(m) => hospice::task::key(case, m),
    }
}

/// A blank answer for a case, as JSON (what `ehr-sim answers template` prints).
pub fn blank(case: &Case) -> Value {
    match &case.task {
        TaskMaterial::Charting(m) => charting::blank(case, m),
        TaskMaterial::Coding(m) => coding::blank(case, m),
        TaskMaterial::Triage(m) => triage::task::blank(case, m),
        TaskMaterial::Hospice(m) => hospice::task::blank(case, m),
    }
}

/// Parses an answer file (RON or JSON, by extension; RON when unsure) into the typed submission
/// of the case's task kind, then into JSON for grading. Unknown fields are errors.
///
/// # Errors
/// A diagnostic with the file, line and column of the problem.
pub fn parse_submission(case: &Case, file: &Path, text: &str) -> Result<Value, Diagnostic> {
    let json = file.extension().is_some_and(|e| e == "json");
    match &case.task {
        TaskMaterial::Charting(m) if m.transcription => {
            parse_as::<charting::TranscriptionSubmission>(file, text, json)
        }
        TaskMaterial::Charting(_) => parse_as::<charting::ChartingSubmission>(file, text, json),
        TaskMaterial::Coding(_) => parse_as::<coding::CodingSubmission>(file, text, json),
        TaskMaterial::Triage(_) => parse_as::<triage::task::TriageSubmission>(file, text, json),
        TaskMaterial::Hospice(_) => parse_as::<hospice::task::HospiceSubmission>(file, text, json),
    }
}

fn parse_as<T: Serialize + for<'de> Deserialize<'de>>(
    file: &Path,
    text: &str,
    json: bool,
) -> Result<Value, Diagnostic> {
    let typed: T = if json {
        serde_json::from_str(text).map_err(|e| {
            Diagnostic::at_position(file, e.line(), e.column(), e.to_string())
                .with_hint("start from `ehr-sim answers template SCENARIO --seed N --format json`")
        })?
    } else {
        crate::scenario::load::ron_options()
            .from_str(text)
            .map_err(|e| {
                crate::scenario::load::ron_diagnostic(file, &e).with_hint(
                    "start from `ehr-sim answers template SCENARIO --seed N`, which prints every field",
                )
            })?
    };
    Ok(to_value(&typed))
}

/// Writes an answer (key or template) as RON in the typed submission's shape, so it can be
/// filled in and read back by [`parse_submission`].
///
/// # Errors
/// When the value does not have the submission's shape, or RON cannot write it.
pub fn answer_to_ron(case: &Case, value: &Value) -> Result<String, String> {
    match &case.task {
        TaskMaterial::Charting(m) if m.transcription => {
            ron_of::<charting::TranscriptionSubmission>(value)
        }
        TaskMaterial::Charting(_) => ron_of::<charting::ChartingSubmission>(value),
        TaskMaterial::Coding(_) => ron_of::<coding::CodingSubmission>(value),
        TaskMaterial::Triage(_) => ron_of::<triage::task::TriageSubmission>(value),
        TaskMaterial::Hospice(_) => ron_of::<hospice::task::HospiceSubmission>(value),
    }
}

fn ron_of<T: Serialize + for<'de> Deserialize<'de>>(value: &Value) -> Result<String, String> {
    let typed: T = serde_json::from_value(value.clone()).map_err(|e| e.to_string())?;
    let config = ron::ser::PrettyConfig::default()
        .struct_names(false)
        .extensions(ron::extensions::Extensions::IMPLICIT_SOME);
    ron::ser::to_string_pretty(&typed, config).map_err(|e| e.to_string())
}

/// Serialises a key or submission; our types always serialise (no maps with non-string keys).
pub fn to_value<T: Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}
