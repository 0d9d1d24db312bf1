//! A generated case: a scenario's patient for a seed, with the task material made from it.
//!
//! [`generate`] is pure: the same scenario, seed, index and program version give the same
//! [`Case`], byte for byte, on every machine. The patient comes from [`crate::generate`] with the
//! per-patient seed derived from (scenario id, seed, index); the task kind's material comes from
//! [`crate::tasks`] with the same seed. Key, blank answer and answer files go through the task
//! kind's registry ([`crate::tasks::TaskMaterial`]).

pub mod plausibility;

use std::path::Path;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::diagnostic::Diagnostic;
use crate::generate;
use crate::grading::RubricKind;
use crate::interop::synthea::ImportedPatient;
use crate::patient::Patient;
use crate::scenario::{LoadedScenario, Scenario};
use crate::tasks::{TaskContext, TaskKind, TaskMaterial};

/// A generated case: the patient and what identifies how it was made.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Case {
    /// Scenario id.
    pub scenario_id: String,
    /// Scenario title.
    pub scenario_title: String,
    /// The task kind.
    pub task_kind: TaskKind,
    /// The scenario seed the case was generated with.
    pub seed: u64,
    /// Patient index under that seed.
    pub index: u32,
    /// The derived per-patient seed.
    pub patient_seed: u64,
    /// The exercise date.
    pub as_of: NaiveDate,
    /// What the learner is asked to do.
    pub instructions: String,
    /// The synthetic patient.
    pub patient: Patient,
    /// What the learner works from (documents, arrivals, timeline).
    pub task: TaskMaterial,
}

/// Generates patient `index` of a loaded scenario under `seed` (with its Synthea bundle, when
/// the scenario's patient comes from one).
#[must_use]
pub fn generate(loaded: &LoadedScenario, seed: u64, index: u32) -> Case {
    generate_from(&loaded.scenario, loaded.bundle.as_deref(), seed, index)
}

/// Generates patient `index` of `scenario` under `seed`, laying `bundle` on the patient when the
/// scenario takes its patient from a Synthea bundle.
#[must_use]
pub(crate) fn generate_from(
    scenario: &Scenario,
    bundle: Option<&ImportedPatient>,
    seed: u64,
    index: u32,
) -> Case {
    let patient_seed = generate::rng::patient_seed(&scenario.id, seed, index);
    let ctx = TaskContext {
        scenario_id: &scenario.id,
        as_of: scenario.as_of,
        patient: &scenario.patient,
    };
    let patient = generate::patient_from(
        &scenario.patient,
        scenario.as_of,
        bundle,
        patient_seed,
        scenario.task.encounter_day(&ctx, patient_seed),
    );
    let task = scenario.task.material(&ctx, &patient, patient_seed);
    Case {
        scenario_id: scenario.id.clone(),
        scenario_title: scenario.title.clone(),
        task_kind: scenario.task.kind(),
        seed,
        index,
        patient_seed,
        as_of: scenario.as_of,
        instructions: scenario.task.instructions().to_string(),
        patient,
        task,
    }
}

impl Case {
    /// A claims case's key claim as a FHIR R4 `Claim` resource (without `id` and `meta`),
    /// `patient` the reference to the patient; `None` for the other kinds.
    #[must_use]
    pub fn fhir_claim(&self, patient: &Value) -> Option<Value> {
        let TaskMaterial::Claims(m) = &self.task else {
            return None;
        };
        Some(crate::tasks::claims::fhir::resource(
            m,
            &crate::tasks::claims::task::key_claim(m),
            patient,
        ))
    }

    /// The answer key, as JSON in the submission's shape.
    #[must_use]
    pub fn key(&self) -> Value {
        self.task.key(&self.patient)
    }

    /// The key `answer` is graded against: the key, less what had not happened when the
    /// answer was submitted (a triage shift submitted before it ended).
    #[must_use]
    pub fn key_for(&self, answer: &Value) -> Value {
        self.task.key_for(&self.patient, answer)
    }

    /// The answer fields not graded because their event came after the submission, as (field
    /// path prefix, why).
    #[must_use]
    pub fn not_yet_happened(&self, answer: &Value) -> Vec<(String, String)> {
        self.task.not_yet_happened(answer)
    }

    /// A blank answer, as JSON (what `ehr-sim answers template` prints).
    #[must_use]
    pub fn blank(&self) -> Value {
        self.task.blank()
    }

    /// The rubric kind the case's answers are graded as.
    #[must_use]
    pub fn rubric_kind(&self) -> RubricKind {
        self.task.rubric_kind()
    }

    /// Parses an answer file (RON or JSON, by extension; RON when unsure) into the typed
    /// submission of the case's task kind, then into JSON for grading. Unknown fields are errors.
    ///
    /// # Errors
    /// A diagnostic with the file, line and column of the problem.
    pub fn parse_submission(&self, file: &Path, text: &str) -> Result<Value, Diagnostic> {
        self.task.parse_answer(file, text)
    }

    /// Writes an answer (key or template) as RON in the typed submission's shape, so it can be
    /// filled in and read back by [`Case::parse_submission`].
    ///
    /// # Errors
    /// When the value does not have the submission's shape, or RON cannot write it.
    pub fn answer_to_ron(&self, value: &Value) -> Result<String, String> {
        self.task.answer_to_ron(value)
    }
}
