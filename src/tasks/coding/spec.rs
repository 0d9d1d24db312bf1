//! The coding task's settings in a scenario file (`task: Coding((...))`).

use serde::{Deserialize, Serialize};

/// Coding settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CodingSpec {
    /// Outpatient (first-listed, uncertain diagnoses not coded) or inpatient (principal, UHDDS).
    pub setting: CodingSetting,
    /// The document the coder works from.
    pub document: DocumentKind,
    /// Whether ICD-10-PCS procedure codes are part of the task.
    #[serde(default)]
    pub procedures: bool,
    /// What the learner is asked to do.
    pub instructions: String,
}

/// Coding settings that change the rules (ICD-10-CM Official Guidelines sections II/III vs IV).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CodingSetting {
    /// Provider office, ED, observation: Section IV.
    Outpatient,
    /// Short-term acute inpatient: Sections II and III.
    Inpatient,
}

/// Source documents for coding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DocumentKind {
    /// Office visit progress note.
    OfficeNote,
    /// Emergency department note.
    EdNote,
    /// Inpatient discharge summary.
    DischargeSummary,
}
