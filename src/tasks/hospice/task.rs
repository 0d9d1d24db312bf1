//! The hospice learner task (placeholder shape until the hospice task lands).

use serde::{Deserialize, Serialize};

use crate::generate::Case;
use crate::grading::{FieldSchema, FieldType, TaskKind as RubricKind};
use crate::patient::Patient;
use crate::scenario::schema::{HospiceSpec, Scenario};

/// What the learner works from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HospiceMaterial {
    /// The admission documentation.
    pub record: String,
}

/// Builds the material.
pub fn material(
    _s: &Scenario,
    _spec: &HospiceSpec,
    patient: &Patient,
    _seed: u64,
) -> HospiceMaterial {
    HospiceMaterial {
        record: patient
            .notes
            .first()
            .map(|n| n.text.clone())
            .unwrap_or_default(),
    }
}

/// A hospice submission.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HospiceSubmission {
    /// First benefit period's last day.
    #[serde(default)]
    pub period_1_end: Option<String>,
}

/// The key (not derivable until timelines are generated).
pub fn key(_case: &Case, _m: &HospiceMaterial) -> serde_json::Value {
    super::super::to_value(&HospiceSubmission::default())
}

/// A blank answer.
pub fn blank(_case: &Case, _m: &HospiceMaterial) -> serde_json::Value {
    super::super::to_value(&HospiceSubmission::default())
}

/// The fields.
pub fn schema() -> FieldSchema {
    FieldSchema::new(RubricKind::Hospice, &[("period_1_end", FieldType::Date)])
}
