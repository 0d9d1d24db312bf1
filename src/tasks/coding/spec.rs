//! The coding task's settings in a scenario file (`task: Coding((...))`).

use serde::{Deserialize, Serialize};

use crate::patient::Setting;
use crate::tasks::{SpecProblem, TaskContext};
use crate::terminology::edits::CodingSetting;

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
    /// Codes the key lists that cost nothing whether given or not in this case (e.g. a status
    /// code that does not affect care, ICD-10-CM Official Guidelines IV.J), for patients whose
    /// conditions come from a record rather than from annotated variants.
    #[serde(default)]
    pub optional_codes: Vec<String>,
    /// Inpatient: the patient discharge status the document states (UB-04 FL 17, two digits;
    /// default "01", discharged home), for the MS-DRG grouping of the codes.
    #[serde(default)]
    pub discharge_status: Option<String>,
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

/// The coding spec against the patient it codes: the document needs an encounter of its
/// setting, procedure codes need an inpatient stay, and a discharge summary a finished stay.
pub(super) fn problems(ctx: &TaskContext<'_>, spec: &CodingSpec) -> Vec<SpecProblem> {
    let (want, why) = match (spec.setting, spec.document) {
        (CodingSetting::Inpatient, _) | (_, DocumentKind::DischargeSummary) => (
            Setting::Inpatient,
            "inpatient coding works from an inpatient stay",
        ),
        (CodingSetting::Outpatient, DocumentKind::EdNote) => {
            (Setting::Emergency, "an ED note needs an ED encounter")
        }
        (CodingSetting::Outpatient, DocumentKind::OfficeNote) => {
            (Setting::Office, "an office note needs an office encounter")
        }
    };
    let mut out: Vec<SpecProblem> = crate::tasks::encounter_must_be(ctx, want, why)
        .into_iter()
        .collect();
    for (i, code) in spec.optional_codes.iter().enumerate() {
        if crate::terminology::lookup(crate::terminology::System::Icd10Cm, code).is_none() {
            out.push(SpecProblem::error(
                format!("task.optional_codes[{i}]"),
                format!("`{code}` is not an ICD-10-CM code"),
                "write the code as the code book does, e.g. \"Z90.49\"",
            ));
        }
    }
    if let Some(status) = &spec.discharge_status {
        let two_digits = status.len() == 2 && status.bytes().all(|b| b.is_ascii_digit());
        if !two_digits || status == "00" {
            out.push(SpecProblem::error(
                "task.discharge_status",
                format!("`{status}` is not a patient discharge status"),
                "write the two-digit UB-04 FL 17 code, e.g. \"01\" (home), \"03\" (SNF), \"20\" (expired)",
            ));
        } else if spec.setting != CodingSetting::Inpatient {
            out.push(SpecProblem::error(
                "task.discharge_status",
                "a discharge status is for inpatient stays",
                "set `setting: Inpatient`, or remove `discharge_status`",
            ));
        }
    }
    if spec.procedures && spec.setting != CodingSetting::Inpatient {
        out.push(SpecProblem::error(
            "task.procedures",
            "ICD-10-PCS procedure coding is for inpatient stays",
            "set `setting: Inpatient`, or `procedures: false`",
        ));
    }
    if spec.document == DocumentKind::DischargeSummary {
        let encounter = &ctx.patient.encounter;
        let (lo, hi) = encounter.length_days;
        if lo.min(hi) == 0 {
            out.push(SpecProblem::error(
                "patient.encounter.length_days",
                "a discharge summary needs a stay of at least one day",
                "set e.g. `length_days: (2, 5)`",
            ));
        }
        if encounter
            .days_before_as_of
            .0
            .min(encounter.days_before_as_of.1)
            < lo.max(hi)
        {
            out.push(SpecProblem::error(
                "patient.encounter.days_before_as_of",
                "the stay would not have ended by the as-of date, so there is no discharge summary",
                "make days_before_as_of at least the longest length_days",
            ));
        }
    }
    out
}
