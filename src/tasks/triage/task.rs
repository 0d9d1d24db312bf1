//! The triage learner task (placeholder shape until the triage task lands): the arrival note
//! the learner reads, the level they assign.

use serde::{Deserialize, Serialize};

use crate::generate::Case;
use crate::grading::{FieldSchema, FieldType, TaskKind as RubricKind};
use crate::patient::Patient;
use crate::scenario::schema::{Scenario, TriageSpec};

/// What the triage nurse sees.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TriageMaterial {
    /// The arrival note.
    pub arrival: String,
}

/// Builds the material.
pub fn material(
    _s: &Scenario,
    _spec: &TriageSpec,
    patient: &Patient,
    _seed: u64,
) -> TriageMaterial {
    TriageMaterial {
        arrival: patient
            .notes
            .first()
            .map(|n| n.text.clone())
            .unwrap_or_default(),
    }
}

/// A triage submission.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TriageSubmission {
    /// ESI level 1–5.
    #[serde(default)]
    pub esi_level: Option<u8>,
}

/// The key (not derivable until presentations are generated).
pub fn key(_case: &Case, _m: &TriageMaterial) -> serde_json::Value {
    super::super::to_value(&TriageSubmission::default())
}

/// A blank answer.
pub fn blank(_case: &Case, _m: &TriageMaterial) -> serde_json::Value {
    super::super::to_value(&TriageSubmission::default())
}

/// The fields.
pub fn schema() -> FieldSchema {
    FieldSchema::new(RubricKind::Triage, &[("esi_level", FieldType::Number)])
}
