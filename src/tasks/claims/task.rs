//! The claims learner task: bill a generated encounter on a CMS-1500 or a UB-04, correct a
//! prefilled claim the scrubber rejects, or send the replacement of a denied claim.
//!
//! The submission is the [`Claim`] itself, the file `ehr-sim claim check` reads (RON
//! `Professional((...))` / `Institutional((...))`, or JSON). Grading reads the form's fields:
//! the key is the form's object (`{"insured_id": …, "lines": […]}`) with every item the claim
//! leaves blank taken out, so blank items are not graded; the field schema is the union of both
//! forms' fields and a case asks only for its form's.

use std::path::Path;

use serde_json::{Map, Value};

use super::case::{self, ClaimCase};
use super::key;
use super::model::Claim;
use super::spec::{self, ClaimForm, ClaimsSpec};
use crate::diagnostic::Diagnostic;
use crate::grading::{FieldSchema, FieldType, RubricKind};
use crate::patient::Patient;
use crate::tasks::{SpecProblem, Task, TaskContext};

/// The claims task kind.
#[derive(Debug, Clone, Copy)]
pub struct Claims;

impl Task for Claims {
    type Spec = ClaimsSpec;
    // Boxed: the case is much larger than the other kinds' material.
    type Material = Box<ClaimCase>;
    type Submission = Claim;

    const LABEL: &'static str = "Claims";
    const FOLDER: &'static str = "claims";
    const RUBRIC_KIND: RubricKind = RubricKind::Claims;

    fn instructions(spec: &ClaimsSpec) -> &str {
        &spec.instructions
    }

    /// A hospice claim's encounter is the current stay's election: it starts on the day the
    /// election takes effect.
    fn encounter_day(
        ctx: &TaskContext<'_>,
        spec: &ClaimsSpec,
        patient_seed: u64,
    ) -> Option<chrono::NaiveDate> {
        let h = spec
            .hospice
            .as_ref()
            .filter(|_| spec.form == ClaimForm::Hospice)?;
        crate::tasks::hospice::generate_timeline::current_effective_date(
            ctx.scenario_id,
            &h.timeline,
            ctx.as_of,
            patient_seed,
        )
    }

    fn material(
        ctx: &TaskContext<'_>,
        spec: &ClaimsSpec,
        patient: &Patient,
        patient_seed: u64,
    ) -> Box<ClaimCase> {
        Box::new(case::build(ctx, spec, patient, patient_seed))
    }

    fn key(_patient: &Patient, material: &Box<ClaimCase>) -> Value {
        pruned(form_value(&key::key(material)))
    }

    fn blank(material: &Box<ClaimCase>) -> Value {
        let claim = key::prefilled(material).unwrap_or_else(|| empty(material.form));
        form_value(&claim)
    }

    fn asks_for(material: &Box<ClaimCase>, path: &str) -> bool {
        let top = path.split(['.', '[']).next().unwrap_or(path);
        let blocks = match material.form {
            ClaimForm::Professional => CMS1500_BLOCKS,
            ClaimForm::Institutional(_) | ClaimForm::Hospice => UB04_BLOCKS,
        };
        blocks.iter().any(|(_, fields)| fields.contains(&top))
    }

    fn schema(_kind: RubricKind) -> FieldSchema {
        schema()
    }

    fn problems(ctx: &TaskContext<'_>, spec: &ClaimsSpec) -> Vec<SpecProblem> {
        spec::problems(ctx, spec)
    }

    fn parse_answer(
        material: &Box<ClaimCase>,
        file: &Path,
        text: &str,
        json: bool,
    ) -> Result<Value, Diagnostic> {
        let claim = read_answer(material.form, file, text, json)?;
        let want = match material.form {
            ClaimForm::Professional => "Professional",
            ClaimForm::Institutional(_) | ClaimForm::Hospice => "Institutional",
        };
        let got = match &claim {
            Claim::Professional(_) => "Professional",
            Claim::Institutional(_) => "Institutional",
        };
        if want != got {
            return Err(Diagnostic::at_file(
                file,
                format!("this case is billed on the {want} form, the file holds a claim on the {got} form"),
            )
            .with_hint("start from `ehr-sim answers template SCENARIO --seed N`"));
        }
        // Blank items read as absent, as in the key, so a key file reads back as the key.
        Ok(pruned(form_value(&claim)))
    }

    fn answer_to_ron(material: &Box<ClaimCase>, value: &Value) -> Result<String, String> {
        let claim = claim_of(material.form, value)?;
        crate::tasks::ron_pretty(&claim)
    }
}

/// Reads an answer file: a claim (RON or JSON, as `claim check` reads it) or, in JSON, the
/// form's object alone (what `answers template --format json` prints).
fn read_answer(form: ClaimForm, file: &Path, text: &str, json: bool) -> Result<Claim, Diagnostic> {
    let wrapped = !json
        || serde_json::from_str::<Value>(crate::ron_input::without_bom(text))
            .ok()
            .and_then(|v| {
                v.as_object().map(|o| {
                    o.len() == 1
                        && (o.contains_key("Professional") || o.contains_key("Institutional"))
                })
            })
            .unwrap_or(true);
    let value = if wrapped {
        crate::tasks::parse_as::<Claim>(file, text, json)?
    } else {
        let inner = match form {
            ClaimForm::Professional => {
                crate::tasks::parse_as::<super::model::Cms1500>(file, text, json)?
            }
            ClaimForm::Institutional(_) | ClaimForm::Hospice => {
                crate::tasks::parse_as::<super::model::Ub04>(file, text, json)?
            }
        };
        let variant = match form {
            ClaimForm::Professional => "Professional",
            ClaimForm::Institutional(_) | ClaimForm::Hospice => "Institutional",
        };
        serde_json::json!({ variant: inner })
    };
    serde_json::from_value(value).map_err(|e| Diagnostic::at_file(file, e.to_string()))
}

/// An empty claim of the form.
#[must_use]
pub fn empty(form: ClaimForm) -> Claim {
    match form {
        ClaimForm::Professional => Claim::Professional(Box::default()),
        ClaimForm::Institutional(_) | ClaimForm::Hospice => Claim::Institutional(Box::default()),
    }
}

/// The form's object of a claim: what grading reads.
#[must_use]
pub fn form_value(claim: &Claim) -> Value {
    match claim {
        Claim::Professional(c) => crate::tasks::to_value(c),
        Claim::Institutional(u) => crate::tasks::to_value(u),
    }
}

/// The claim of a form's object (a key, a template or a graded answer).
///
/// # Errors
/// When the object does not have the form's shape.
pub fn claim_of(form: ClaimForm, value: &Value) -> Result<Claim, String> {
    let claim = match form {
        ClaimForm::Professional => {
            Claim::Professional(serde_json::from_value(value.clone()).map_err(|e| e.to_string())?)
        }
        ClaimForm::Institutional(_) | ClaimForm::Hospice => {
            Claim::Institutional(serde_json::from_value(value.clone()).map_err(|e| e.to_string())?)
        }
    };
    Ok(claim)
}

/// The claim a learner's answer (the form's object, as the app holds it) stands for: blank items
/// read as absent, as in a file.
///
/// # Errors
/// When the answer does not have the form's shape (a value of the wrong type).
pub fn answer_claim(form: ClaimForm, answer: &Value) -> Result<Claim, String> {
    claim_of(form, &pruned(answer.clone()))
}

/// The claim of a case's key, in the shape `ehr-sim claim check` reads.
#[must_use]
pub fn key_claim(material: &ClaimCase) -> Claim {
    key::key(material)
}

/// A value without its blank items (empty texts and lists, nulls), recursively: what the key's
/// claim leaves blank is not graded. An object left with nothing is blank too.
fn pruned(value: Value) -> Value {
    match value {
        Value::Object(fields) => {
            let kept: Map<String, Value> = fields
                .into_iter()
                .map(|(k, v)| (k, pruned(v)))
                .filter(|(_, v)| !blank(v))
                .collect();
            Value::Object(kept)
        }
        Value::Array(items) => Value::Array(items.into_iter().map(pruned).collect()),
        other @ (Value::Null | Value::Bool(_) | Value::Number(_) | Value::String(_)) => other,
    }
}

fn blank(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        Value::Bool(_) | Value::Number(_) => false,
    }
}

/// A claim form's blocks as the paper form lays them out: each heading with the top-level fields
/// it holds, in the form's order.
pub type Blocks = &'static [(&'static str, &'static [&'static str])];

/// The CMS-1500 (02/12): items 1-13, 14-23, 24, 25-33.
pub const CMS1500_BLOCKS: Blocks = &[
    (
        "Patient and insured (items 1-13)",
        &[
            "payer_name",
            "coverage",
            "insured_id",
            "patient_name",
            "birth_date",
            "sex",
            "insured_name",
            "patient_address",
            "relationship",
            "insured_address",
            "other_insured_policy",
            "other_plan_name",
            "insured_group",
            "another_plan",
        ],
    ),
    (
        "Physician or supplier (items 14-23)",
        &[
            "current_illness",
            "referring",
            "icd_indicator",
            "diagnoses",
            "resubmission",
            "prior_authorization",
        ],
    ),
    ("Service lines (item 24)", &["lines"]),
    (
        "Provider and billing (items 25-33)",
        &[
            "tax_id",
            "patient_account",
            "total_charge_cents",
            "signature",
            "signature_date",
            "facility",
            "billing",
        ],
    ),
];

/// The UB-04 (CMS-1450): FL 1-17, 18-41, 42-49, 50-65, 66-81.
pub const UB04_BLOCKS: Blocks = &[
    (
        "Provider, patient and admission (FL 1-17)",
        &[
            "type_of_bill",
            "statement_from",
            "statement_through",
            "patient_name",
            "birth_date",
            "sex",
            "admission_date",
            "admission_hour",
            "admission_type",
            "point_of_origin",
            "discharge_hour",
            "discharge_status",
        ],
    ),
    (
        "Codes (FL 18-41)",
        &[
            "condition_codes",
            "occurrences",
            "occurrence_spans",
            "value_codes",
        ],
    ),
    ("Revenue lines (FL 42-49)", &["lines"]),
    (
        "Payers and insured (FL 50-65)",
        &[
            "payer_names",
            "billing_npi",
            "insured_id",
            "other_insured_ids",
            "document_control_number",
        ],
    ),
    (
        "Diagnoses, procedures and physicians (FL 66-81)",
        &[
            "dx_qualifier",
            "principal",
            "other_diagnoses",
            "admitting_dx",
            "pps_code",
            "principal_procedure",
            "other_procedures",
            "attending_npi",
            "operating_npi",
        ],
    ),
];

/// The coverage boxes of item 1.
const COVERAGE: [(&str, &str); 7] = [
    ("Medicare", "Medicare"),
    ("Medicaid", "Medicaid"),
    ("Tricare", "TRICARE"),
    ("Champva", "CHAMPVA"),
    ("GroupHealthPlan", "Group health plan"),
    ("FecaBlkLung", "FECA black lung"),
    ("Other", "Other"),
];

const SEX: [(&str, &str); 3] = [("M", "Male"), ("F", "Female"), ("U", "Unknown")];

const RELATIONSHIP: [(&str, &str); 4] = [
    ("Self", "Self"),
    ("Spouse", "Spouse"),
    ("Child", "Child"),
    ("Other", "Other"),
];

/// The fields of a claim: both forms' (a case asks for its form's, [`Task::asks_for`]).
#[must_use]
pub fn schema() -> FieldSchema {
    use FieldType::{Bool, Date, Number, RecordList, Text, TextList};
    FieldSchema::new(
        RubricKind::Claims,
        &[
            // CMS-1500, in item order.
            ("payer_name", Text),
            ("coverage", Text),
            ("insured_id", Text),
            ("patient_name", Text),
            ("birth_date", Date),
            ("sex", Text),
            ("insured_name", Text),
            ("patient_address.street", Text),
            ("patient_address.city", Text),
            ("patient_address.state", Text),
            ("patient_address.zip", Text),
            ("relationship", Text),
            ("insured_address.street", Text),
            ("insured_address.city", Text),
            ("insured_address.state", Text),
            ("insured_address.zip", Text),
            ("other_insured_policy", Text),
            ("other_plan_name", Text),
            ("insured_group", Text),
            ("another_plan", Bool),
            ("current_illness.date", Date),
            ("current_illness.qualifier", Text),
            ("referring.qualifier", Text),
            ("referring.name", Text),
            ("referring.npi", Text),
            ("icd_indicator", Text),
            ("diagnoses", TextList),
            ("resubmission.code", Text),
            ("resubmission.original_ref", Text),
            ("prior_authorization", Text),
            ("lines[]", RecordList),
            ("lines[].from", Date),
            ("lines[].to", Date),
            ("lines[].place_of_service", Text),
            ("lines[].hcpcs", Text),
            ("lines[].modifiers", TextList),
            ("lines[].pointers", Text),
            ("lines[].charge_cents", Number),
            ("lines[].units", Number),
            ("lines[].rendering_npi", Text),
            // UB-04 line fields (FL 42-48).
            ("lines[].revenue_code", Text),
            ("lines[].description", Text),
            ("lines[].service_date", Date),
            ("lines[].total_cents", Number),
            ("lines[].non_covered_cents", Number),
            ("tax_id.kind", Text),
            ("tax_id.number", Text),
            ("patient_account", Text),
            ("total_charge_cents", Number),
            ("signature", Text),
            ("signature_date", Date),
            ("facility.name", Text),
            ("facility.npi", Text),
            ("billing.name", Text),
            ("billing.phone", Text),
            ("billing.npi", Text),
            // UB-04, in form-locator order.
            ("type_of_bill", Text),
            ("statement_from", Date),
            ("statement_through", Date),
            ("admission_date", Date),
            ("admission_hour", Number),
            ("admission_type", Text),
            ("point_of_origin", Text),
            ("discharge_hour", Number),
            ("discharge_status", Text),
            ("condition_codes", TextList),
            ("occurrences[]", RecordList),
            ("occurrences[].code", Text),
            ("occurrences[].date", Date),
            ("occurrence_spans[]", RecordList),
            ("occurrence_spans[].code", Text),
            ("occurrence_spans[].from", Date),
            ("occurrence_spans[].through", Date),
            ("value_codes[]", RecordList),
            ("value_codes[].code", Text),
            ("value_codes[].amount_cents", Number),
            ("payer_names", TextList),
            ("other_insured_ids", TextList),
            ("billing_npi", Text),
            ("document_control_number", Text),
            ("dx_qualifier", Text),
            ("principal.code", Text),
            ("principal.poa", Text),
            ("other_diagnoses[]", RecordList),
            ("other_diagnoses[].code", Text),
            ("other_diagnoses[].poa", Text),
            ("admitting_dx", Text),
            ("pps_code", Text),
            ("principal_procedure.code", Text),
            ("principal_procedure.date", Date),
            ("other_procedures[]", RecordList),
            ("other_procedures[].code", Text),
            ("other_procedures[].date", Date),
            ("attending_npi", Text),
            ("operating_npi", Text),
        ],
    )
    .integers(&[
        "lines[].charge_cents",
        "lines[].units",
        "lines[].total_cents",
        "lines[].non_covered_cents",
        "total_charge_cents",
        "admission_hour",
        "discharge_hour",
        "value_codes[].amount_cents",
    ])
    .choices("coverage", &COVERAGE)
    .choices("sex", &SEX)
    .choices("relationship", &RELATIONSHIP)
    .choices("tax_id.kind", &[("Ssn", "SSN"), ("Ein", "EIN")])
}
