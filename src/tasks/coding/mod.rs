//! Medical coding: the learner reads a clinical document and assigns ICD-10-CM diagnosis codes
//! in reporting order (and ICD-10-PCS procedure codes for inpatient stays).
//!
//! The document is the scenario's note(s), filled with the patient's facts: its wording states
//! the specificity that decides the codes, plus distractors (ruled-out, history-of, integral
//! symptoms, "probable" diagnoses). The key is derived from the documented conditions by
//! [`derive::key_lines`]: setting rules for uncertain diagnoses, authored reporting order,
//! accepted alternatives, optional codes and a one-line rationale per code. [`checker`]
//! adapts the ICD-10-CM tables to the grading engine's `CodeChecker`.

pub mod checker;
pub mod derive;
pub mod submission;

use serde::{Deserialize, Serialize};

pub use checker::TerminologyChecker;
pub use derive::CodedCondition;
pub use submission::{AnnotatedCode, CodeLine, CodeLines, CodingSubmission};

use crate::generate::Case;
use crate::grading::{FieldSchema, FieldType, TaskKind as RubricKind};
use crate::patient::Patient;
use crate::scenario::schema::{CodingSetting, CodingSpec, DocumentKind, Scenario};

/// What the coder works from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CodingMaterial {
    /// Outpatient or inpatient rules.
    pub setting: CodingSetting,
    /// The document's kind.
    pub document_kind: DocumentKind,
    /// Whether procedure codes are asked for.
    pub procedures: bool,
    /// The document text (all the learner sees).
    pub document: String,
    /// The documented conditions with their coding annotations, for the key derivation
    /// (never shown to the learner; views show `document` only).
    #[serde(default)]
    pub coded: Vec<CodedCondition>,
}

/// Builds the material: the scenario's clinical document(s) and the coding facts behind them.
pub fn material(
    scenario: &Scenario,
    spec: &CodingSpec,
    patient: &Patient,
    _patient_seed: u64,
) -> CodingMaterial {
    let document = patient
        .notes
        .iter()
        .map(|n| n.text.as_str())
        .collect::<Vec<_>>()
        .join("\n\n");
    CodingMaterial {
        setting: spec.setting,
        document_kind: spec.document,
        procedures: spec.procedures,
        document,
        coded: derive::coded_conditions(scenario, patient),
    }
}

/// The key: the documented conditions' codes in reporting order, each with its rationale.
pub fn key(_case: &Case, m: &CodingMaterial) -> serde_json::Value {
    super::to_value(&CodingSubmission {
        codes: derive::key_lines(&m.coded, m.setting, m.procedures),
    })
}

/// A blank answer.
pub fn blank(_case: &Case, _m: &CodingMaterial) -> serde_json::Value {
    super::to_value(&CodingSubmission::default())
}

/// The code checker `ehr-sim grade` should pass in its grading context.
#[must_use]
pub fn code_checker() -> TerminologyChecker {
    TerminologyChecker
}

/// The fields a coding submission has.
pub fn schema() -> FieldSchema {
    FieldSchema::new(
        RubricKind::Coding,
        &[
            ("codes.diagnoses", FieldType::CodeList),
            ("codes.procedures", FieldType::CodeList),
        ],
    )
}
