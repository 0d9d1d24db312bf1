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
pub mod spec;
pub mod submission;

use serde::{Deserialize, Serialize};

pub use checker::TerminologyChecker;
pub use derive::CodedCondition;
pub use submission::{AnnotatedCode, ClaimFacts, CodeLine, CodeLines, CodingSubmission, PoaLine};

pub use crate::terminology::drg::POA_INDICATORS;
pub use spec::{CodingSpec, DocumentKind};

use serde_json::Value;

use super::{SpecProblem, Task, TaskContext};
use crate::grading::{FieldSchema, FieldType, RubricKind};
use crate::patient::Patient;
use crate::terminology::edits::CodingSetting;

/// The coding task kind: assign ICD-10-CM (and ICD-10-PCS) codes from a clinical document.
#[derive(Debug, Clone, Copy)]
pub struct Coding;

impl Task for Coding {
    type Spec = CodingSpec;
    type Material = CodingMaterial;
    type Submission = CodingSubmission;

    const LABEL: &'static str = "Coding";
    const FOLDER: &'static str = "coding";
    const RUBRIC_KIND: RubricKind = RubricKind::Coding;

    fn instructions(spec: &CodingSpec) -> &str {
        &spec.instructions
    }

    fn material(
        ctx: &TaskContext<'_>,
        spec: &CodingSpec,
        patient: &Patient,
        _patient_seed: u64,
    ) -> CodingMaterial {
        material(ctx, spec, patient)
    }

    fn key(_patient: &Patient, material: &CodingMaterial) -> Value {
        key(material)
    }

    fn blank(_material: &CodingMaterial) -> Value {
        super::to_value(&CodingSubmission::default())
    }

    fn schema(_kind: RubricKind) -> FieldSchema {
        schema()
    }

    /// Procedure codes only when the task includes them; POA indicators only on an inpatient
    /// claim.
    fn asks_for(material: &CodingMaterial, path: &str) -> bool {
        (material.procedures || !path.starts_with("codes.procedures"))
            && (material.claim.is_some() || !path.starts_with("codes.poa"))
    }

    fn setting(spec: &CodingSpec) -> CodingSetting {
        spec.setting
    }

    fn problems(ctx: &TaskContext<'_>, spec: &CodingSpec) -> Vec<SpecProblem> {
        spec::problems(ctx, spec)
    }

    /// As RON; an inpatient answer without POA lines is written with an empty `poa` list, so
    /// a template shows where the indicators go.
    fn answer_to_ron(material: &CodingMaterial, value: &Value) -> Result<String, String> {
        let typed: CodingSubmission =
            serde_json::from_value(value.clone()).map_err(|e| e.to_string())?;
        if material.claim.is_none() || !typed.codes.poa.is_empty() {
            return super::ron_of::<CodingSubmission>(value);
        }
        #[derive(Serialize)]
        struct Shown<'a> {
            codes: ShownLines<'a>,
        }
        #[derive(Serialize)]
        struct ShownLines<'a> {
            diagnoses: &'a [CodeLine],
            procedures: &'a [CodeLine],
            poa: &'a [PoaLine],
            #[serde(skip_serializing_if = "Option::is_none")]
            claim: Option<&'a ClaimFacts>,
        }
        let shown = Shown {
            codes: ShownLines {
                diagnoses: &typed.codes.diagnoses,
                procedures: &typed.codes.procedures,
                poa: &typed.codes.poa,
                claim: typed.codes.claim.as_ref(),
            },
        };
        super::ron_pretty(&shown)
    }
}

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
    /// The case's optional codes (the task's `optional_codes`).
    #[serde(default)]
    pub optional_codes: Vec<String>,
    /// Inpatient: the claim facts the MS-DRG grouper needs besides the codes (age, sex,
    /// discharge status and date, length of stay), all stated in the document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claim: Option<ClaimFacts>,
}

/// The claim facts of an inpatient stay: age on the discharge date, sex, the scenario's
/// discharge status, discharge date and length of stay.
fn claim_facts(spec: &CodingSpec, patient: &Patient) -> Option<ClaimFacts> {
    if spec.setting != CodingSetting::Inpatient {
        return None;
    }
    let encounter = patient.current_encounter()?;
    let end = encounter.end?;
    let days = (end.date() - encounter.start.date()).num_days();
    Some(ClaimFacts {
        age: crate::patient::age_in_years(patient.demographics.birth_date, end.date()),
        sex: match patient.demographics.sex {
            crate::patient::Sex::Female => "F",
            crate::patient::Sex::Male => "M",
        }
        .to_string(),
        discharge_status: spec
            .discharge_status
            .clone()
            .unwrap_or_else(|| "01".to_string()),
        discharge_date: Some(end.date().format("%Y-%m-%d").to_string()),
        length_of_stay: u32::try_from(days).ok(),
    })
}

/// Builds the material: the scenario's clinical document(s) and the coding facts behind them.
pub fn material(ctx: &TaskContext<'_>, spec: &CodingSpec, patient: &Patient) -> CodingMaterial {
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
        coded: derive::coded_conditions(ctx.patient, patient),
        optional_codes: spec.optional_codes.clone(),
        claim: claim_facts(spec, patient),
    }
}

/// The key: the documented conditions' codes in reporting order, each with its rationale.
pub fn key(m: &CodingMaterial) -> serde_json::Value {
    let mut codes = derive::key_lines(&m.coded, m.setting, m.procedures);
    for line in codes
        .diagnoses
        .iter_mut()
        .chain(codes.procedures.iter_mut())
    {
        if let CodeLine::Annotated(a) = line
            && a.never.is_none()
            && m.optional_codes.contains(&a.code)
        {
            a.optional = true;
        }
    }
    codes.claim.clone_from(&m.claim);
    super::to_value(&CodingSubmission { codes })
}

/// The code checker `ehr-sim grade` should pass in its grading context.
#[must_use]
pub(crate) fn code_checker() -> TerminologyChecker {
    TerminologyChecker
}

/// The fields a coding submission has.
pub fn schema() -> FieldSchema {
    FieldSchema::new(
        RubricKind::Coding,
        &[
            ("codes", FieldType::Claim),
            ("codes.diagnoses", FieldType::CodeList),
            ("codes.procedures", FieldType::CodeList),
            ("codes.poa[]", FieldType::RecordList),
            ("codes.poa[].code", FieldType::Text),
            ("codes.poa[].indicator", FieldType::Text),
        ],
    )
    .choices("codes.poa[].indicator", &POA_INDICATORS)
}
