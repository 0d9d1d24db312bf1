//! Medical coding: the learner reads a clinical document and assigns ICD-10-CM diagnosis codes
//! in reporting order (and ICD-10-PCS procedure codes for inpatient stays).
//!
//! The key is derived from the documented conditions: their codes in the scenario's reporting
//! order; suspected ("probable", "likely") conditions are coded as established only in the
//! inpatient setting (ICD-10-CM Official Guidelines II.H/III.C vs IV.H); ruled-out and resolved
//! conditions are never coded.

use serde::{Deserialize, Serialize};

use crate::generate::Case;
use crate::grading::{FieldSchema, FieldType, TaskKind as RubricKind};
use crate::patient::{CodeSystem, ConditionStatus, Patient};
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
    /// The document text.
    pub document: String,
}

/// Builds the material: the scenario's clinical document.
pub fn material(
    _scenario: &Scenario,
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
    }
}

/// The code lines.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CodeLines {
    /// ICD-10-CM codes, first-listed/principal first.
    #[serde(default)]
    pub diagnoses: Vec<String>,
    /// ICD-10-PCS codes (inpatient).
    #[serde(default)]
    pub procedures: Vec<String>,
}

/// A coding submission (and key).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CodingSubmission {
    /// The codes.
    #[serde(default)]
    pub codes: CodeLines,
}

/// The key: the documented conditions' codes in reporting order.
pub fn key(case: &Case, m: &CodingMaterial) -> serde_json::Value {
    let mut lines = CodeLines::default();
    for c in &case.patient.conditions {
        let coded = match c.status {
            ConditionStatus::Active => true,
            ConditionStatus::Suspected => m.setting == CodingSetting::Inpatient,
            ConditionStatus::RuledOut | ConditionStatus::Resolved => false,
        };
        if !coded {
            continue;
        }
        for code in &c.codes {
            let list = match code.system {
                CodeSystem::Icd10Cm => &mut lines.diagnoses,
                CodeSystem::Icd10Pcs if m.procedures => &mut lines.procedures,
                _ => continue,
            };
            if !list.contains(&code.code) {
                list.push(code.code.clone());
            }
        }
    }
    super::to_value(&CodingSubmission { codes: lines })
}

/// A blank answer.
pub fn blank(_case: &Case, _m: &CodingMaterial) -> serde_json::Value {
    super::to_value(&CodingSubmission::default())
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
