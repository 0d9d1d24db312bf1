//! Clinical charting (and its transcription variant): the learner documents a visit from an
//! intake conversation, or types a provider's dictation.
//!
//! The documentation variant's source is an intake conversation generated from the patient's
//! facts ([`intake`]), followed by the scenario's other notes (e.g. pre-visit labs). The key is
//! derived from the generated patient: the two identifiers, the measured vital signs with units
//! (BMI computed from the unrounded height and weight), every allergy with reaction, severity
//! and type (or an explicit "No known allergies" entry), every home medication with dose, route,
//! frequency and the reconciliation action the provider's plan decided (continue unless the
//! plan says otherwise; a change carries the new dose/frequency; new drugs are added), the
//! problem list and an exemplar SOAP note whose plan names drug, dose, route and frequency.

pub mod growth;
pub mod intake;
pub mod screening;
pub mod spec;

use serde::{Deserialize, Serialize};

use std::path::Path;

use serde_json::Value;

use super::{SpecProblem, Task, TaskContext};
use crate::diagnostic::Diagnostic;
use crate::grading::{FieldSchema, FieldType, RubricKind};
use crate::patient::{AllergyType, ConditionStatus, Patient};
pub use growth::GrowthEntry;
pub use screening::{
    CssrsAnswers, CssrsRisk, Gad7Band, Phq9Band, ScreeningAnswers, ScreeningEntry, ScreeningSpec,
};
pub use spec::{ChartingSpec, ChartingVariant, MedicationAction, MedicationDecision};

/// The charting task kind: document a visit from an intake conversation, or transcribe a
/// dictation (the `variant`).
#[derive(Debug, Clone, Copy)]
pub struct Charting;

impl Task for Charting {
    type Spec = ChartingSpec;
    type Material = ChartingMaterial;
    type Submission = ChartingSubmission;

    const LABEL: &'static str = "Charting";
    const FOLDER: &'static str = "charting";
    const RUBRIC_KINDS: &'static [RubricKind] = &[RubricKind::Charting, RubricKind::Transcription];
    const RUBRIC_KIND: RubricKind = RubricKind::Charting;

    fn instructions(spec: &ChartingSpec) -> &str {
        &spec.instructions
    }

    fn material(
        _ctx: &TaskContext<'_>,
        spec: &ChartingSpec,
        patient: &Patient,
        patient_seed: u64,
    ) -> ChartingMaterial {
        material(spec, patient, patient_seed)
    }

    fn key(patient: &Patient, material: &ChartingMaterial) -> Value {
        key(patient, material)
    }

    fn blank(material: &ChartingMaterial) -> Value {
        blank(material)
    }

    /// Growth percentiles only on a growth-chart visit (head circumference and
    /// weight-for-length under 24 months, when the head is measured; BMI-for-age from 2
    /// years); each screening instrument only when the visit uses it.
    fn asks_for(m: &ChartingMaterial, path: &str) -> bool {
        let infant = m.head_circumference_cm.is_some();
        let screening = m.screening.as_ref();
        match path {
            "vitals.head_circumference" => infant,
            "growth.head_circumference_for_age" | "growth.weight_for_length" => {
                m.growth_chart && infant
            }
            "growth.bmi_for_age" => m.growth_chart && !infant,
            p if p.starts_with("growth.") => m.growth_chart,
            p if p.starts_with("screening.phq9") => screening.is_some_and(|s| s.phq9.is_some()),
            p if p.starts_with("screening.gad7") => screening.is_some_and(|s| s.gad7.is_some()),
            p if p.starts_with("screening.cssrs") => screening.is_some_and(|s| s.cssrs.is_some()),
            _ => true,
        }
    }

    fn rubric_kind(spec: &ChartingSpec) -> RubricKind {
        match spec.variant {
            ChartingVariant::Transcription => RubricKind::Transcription,
            ChartingVariant::Documentation => RubricKind::Charting,
        }
    }

    fn material_rubric_kind(material: &ChartingMaterial) -> RubricKind {
        if material.transcription {
            RubricKind::Transcription
        } else {
            RubricKind::Charting
        }
    }

    fn schema(kind: RubricKind) -> FieldSchema {
        if kind == RubricKind::Transcription {
            transcription_schema()
        } else {
            schema()
        }
    }

    fn parse_answer(
        material: &ChartingMaterial,
        file: &Path,
        text: &str,
        json: bool,
    ) -> Result<Value, Diagnostic> {
        if material.transcription {
            super::parse_as::<TranscriptionSubmission>(file, text, json)
        } else {
            super::parse_as::<ChartingSubmission>(file, text, json)
        }
    }

    fn problems(ctx: &TaskContext<'_>, spec: &ChartingSpec) -> Vec<SpecProblem> {
        spec::problems(ctx, spec)
    }

    fn answer_to_ron(material: &ChartingMaterial, value: &Value) -> Result<String, String> {
        if material.transcription {
            super::ron_of::<TranscriptionSubmission>(value)
        } else {
            super::ron_of::<ChartingSubmission>(value)
        }
    }
}

/// What the learner works from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChartingMaterial {
    /// True for the transcription variant.
    pub transcription: bool,
    /// What the source is ("Intake conversation", "Dictation").
    pub source_kind: String,
    /// The source text.
    pub source: String,
    /// The provider's medication decisions stated in the source (for the key).
    #[serde(default)]
    pub medication_plan: Vec<MedicationDecision>,
    /// The screening answers drawn for this patient (for the key).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub screening: Option<ScreeningAnswers>,
    /// True when the growth percentiles are charted.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub growth_chart: bool,
    /// The head circumference measured at the visit (cm; children under 24 months charted on
    /// growth charts).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub head_circumference_cm: Option<f64>,
}

/// Builds the material: the scenario's intake conversation or dictation note.
pub fn material(spec: &ChartingSpec, patient: &Patient, patient_seed: u64) -> ChartingMaterial {
    let transcription = spec.variant == ChartingVariant::Transcription;
    if !transcription {
        let screening = spec
            .screening
            .as_ref()
            .map(|s| screening::draw(s, patient_seed));
        let head_circumference_cm = spec
            .growth_chart
            .then(|| growth::head_circumference(patient, patient_seed))
            .flatten();
        let mut source = intake::conversation(
            patient,
            &spec.medication_plan,
            (screening.as_ref(), head_circumference_cm),
            patient_seed,
        );
        for n in patient
            .notes
            .iter()
            .filter(|n| n.kind != "Intake conversation")
        {
            source.push_str(&format!("\n\n{}:\n{}", n.kind, n.text));
        }
        return ChartingMaterial {
            transcription,
            source_kind: "Intake conversation".into(),
            source,
            medication_plan: spec.medication_plan.clone(),
            screening,
            growth_chart: spec.growth_chart,
            head_circumference_cm,
        };
    }
    let wanted = if transcription {
        "Dictation"
    } else {
        "Intake conversation"
    };
    let note = patient
        .notes
        .iter()
        .find(|n| n.kind == wanted)
        .or_else(|| patient.notes.first());
    ChartingMaterial {
        transcription,
        source_kind: note.map_or_else(|| wanted.to_string(), |n| n.kind.clone()),
        source: note.map(|n| n.text.clone()).unwrap_or_default(),
        medication_plan: Vec::new(),
        screening: None,
        growth_chart: false,
        head_circumference_cm: None,
    }
}

/// A number with its unit, e.g. `(value: 38.2, unit: "°C")`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Quantity {
    /// The number.
    pub value: f64,
    /// Its unit.
    pub unit: String,
}

/// Patient identification: two identifiers at least.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Identification {
    /// Name as "LAST, First".
    #[serde(default)]
    pub name: Option<String>,
    /// Date of birth, YYYY-MM-DD.
    #[serde(default)]
    pub dob: Option<String>,
    /// Medical record number.
    #[serde(default)]
    pub mrn: Option<String>,
}

/// Vital signs as charted.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VitalsEntry {
    /// Temperature with unit (°C or °F).
    #[serde(default)]
    pub temperature: Option<Quantity>,
    /// Heart rate, /min.
    #[serde(default)]
    pub heart_rate: Option<f64>,
    /// Respiratory rate, /min.
    #[serde(default)]
    pub respiratory_rate: Option<f64>,
    /// Systolic pressure, mmHg.
    #[serde(default)]
    pub systolic: Option<f64>,
    /// Diastolic pressure, mmHg.
    #[serde(default)]
    pub diastolic: Option<f64>,
    /// SpO2, %.
    #[serde(default)]
    pub spo2: Option<f64>,
    /// Height with unit (cm or in).
    #[serde(default)]
    pub height: Option<Quantity>,
    /// Weight with unit (kg or lb).
    #[serde(default)]
    pub weight: Option<Quantity>,
    /// BMI, kg/m².
    #[serde(default)]
    pub bmi: Option<f64>,
    /// Head circumference with unit (cm or in), infants.
    #[serde(default)]
    pub head_circumference: Option<Quantity>,
    /// Pain score.
    #[serde(default)]
    pub pain: Option<f64>,
    /// The pain scale used.
    #[serde(default)]
    pub pain_scale: Option<String>,
}

/// One allergy entry.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AllergyEntry {
    /// Substance, or "No known allergies".
    #[serde(default)]
    pub allergen: Option<String>,
    /// Reaction.
    #[serde(default)]
    pub reaction: Option<String>,
    /// mild / moderate / severe.
    #[serde(default)]
    pub severity: Option<String>,
    /// allergy / intolerance.
    #[serde(default)]
    pub kind: Option<String>,
}

/// One medication-reconciliation line.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MedicationEntry {
    /// Drug name.
    #[serde(default)]
    pub name: Option<String>,
    /// Dose with unit.
    #[serde(default)]
    pub dose: Option<String>,
    /// Route.
    #[serde(default)]
    pub route: Option<String>,
    /// Frequency.
    #[serde(default)]
    pub frequency: Option<String>,
    /// continue / change / stop (new medications: new).
    #[serde(default)]
    pub action: Option<String>,
}

/// The SOAP note.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Soap {
    /// What the patient reports.
    #[serde(default)]
    pub subjective: Option<String>,
    /// What was measured or observed.
    #[serde(default)]
    pub objective: Option<String>,
    /// Assessment.
    #[serde(default)]
    pub assessment: Option<String>,
    /// Plan.
    #[serde(default)]
    pub plan: Option<String>,
}

/// A charting submission (and key).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChartingSubmission {
    /// Identification.
    #[serde(default)]
    pub patient: Identification,
    /// Chief complaint in the patient's words.
    #[serde(default)]
    pub chief_complaint: Option<String>,
    /// History of present illness.
    #[serde(default)]
    pub hpi: Option<String>,
    /// Vital signs.
    #[serde(default)]
    pub vitals: VitalsEntry,
    /// Allergies ("No known allergies" is an explicit entry).
    #[serde(default)]
    pub allergies: Vec<AllergyEntry>,
    /// Medication reconciliation.
    #[serde(default)]
    pub medications: Vec<MedicationEntry>,
    /// Problem list.
    #[serde(default)]
    pub problems: Vec<String>,
    /// Growth percentiles (pediatric visits charted on growth charts).
    #[serde(default)]
    pub growth: GrowthEntry,
    /// Standardized screenings: totals, severity bands, C-SSRS answers and risk level.
    #[serde(default)]
    pub screening: ScreeningEntry,
    /// SOAP note.
    #[serde(default)]
    pub soap: Soap,
}

/// A transcription submission (and key).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TranscriptionSubmission {
    /// The typed text.
    #[serde(default)]
    pub transcript: Option<String>,
}

/// The explicit entry for a patient with no known allergies.
pub(crate) const NO_KNOWN_ALLERGIES: &str = "No known allergies";

/// The key: what the chart must say.
pub fn key(patient: &Patient, m: &ChartingMaterial) -> serde_json::Value {
    if m.transcription {
        return super::to_value(&TranscriptionSubmission {
            transcript: Some(m.source.clone()),
        });
    }
    let p = patient;
    let d = &p.demographics;
    let vitals = p.vitals.last().map(|v| VitalsEntry {
        temperature: Some(Quantity {
            value: v.temperature_c,
            unit: "°C".into(),
        }),
        heart_rate: Some(f64::from(v.heart_rate_bpm)),
        respiratory_rate: Some(f64::from(v.respiratory_rate_per_min)),
        systolic: Some(f64::from(v.systolic_mmhg)),
        diastolic: Some(f64::from(v.diastolic_mmhg)),
        spo2: Some(f64::from(v.spo2_percent)),
        height: Some(Quantity {
            value: v.height_cm,
            unit: "cm".into(),
        }),
        weight: Some(Quantity {
            value: v.weight_kg,
            unit: "kg".into(),
        }),
        bmi: Some(v.bmi()),
        head_circumference: m.head_circumference_cm.map(|value| Quantity {
            value,
            unit: "cm".into(),
        }),
        pain: Some(f64::from(v.pain_score)),
        pain_scale: Some(v.pain_scale.clone()),
    });
    let allergies = if p.allergies.is_empty() {
        vec![AllergyEntry {
            allergen: Some(NO_KNOWN_ALLERGIES.into()),
            ..AllergyEntry::default()
        }]
    } else {
        p.allergies
            .iter()
            .map(|a| AllergyEntry {
                allergen: Some(a.allergen.clone()),
                reaction: Some(a.reaction.clone()),
                severity: Some(a.severity.label().into()),
                kind: Some(
                    match a.kind {
                        AllergyType::Allergy => "allergy",
                        AllergyType::Intolerance => "intolerance",
                    }
                    .into(),
                ),
            })
            .collect()
    };
    super::to_value(&ChartingSubmission {
        patient: Identification {
            name: Some(p.banner_name()),
            dob: Some(d.birth_date.format("%Y-%m-%d").to_string()),
            mrn: Some(d.mrn.clone()),
        },
        chief_complaint: p.current_encounter().map(|e| e.reason.clone()),
        hpi: Some(model_hpi(p)),
        vitals: vitals.unwrap_or_default(),
        allergies,
        medications: reconciled(p, &m.medication_plan),
        problems: p
            .conditions
            .iter()
            .filter(|c| c.status == ConditionStatus::Active)
            .map(|c| c.display.clone())
            .collect(),
        growth: if m.growth_chart {
            growth::key_entry(p, m.head_circumference_cm)
        } else {
            GrowthEntry::default()
        },
        screening: m
            .screening
            .as_ref()
            .map(screening::key_entry)
            .unwrap_or_default(),
        soap: model_soap(p, m),
    })
}

/// An exemplar SOAP note for the key, built from the case's facts: what the patient reports
/// under S, the measurements under O, each active problem under A, and a plan with follow-up.
fn model_soap(p: &Patient, m: &ChartingMaterial) -> Soap {
    let plan = &m.medication_plan;
    let reason = p
        .current_encounter()
        .map(|e| e.reason.clone())
        .unwrap_or_default();
    let symptoms: Vec<&str> = p
        .conditions
        .iter()
        .filter(|c| c.status == ConditionStatus::Active)
        .flat_map(|c| c.symptoms.iter().map(String::as_str))
        .collect();
    let mut subjective = format!("Presents for {reason}.");
    if !symptoms.is_empty() {
        subjective.push_str(&format!(" Reports: {}.", symptoms.join("; ")));
    }
    let allergies = if p.allergies.is_empty() {
        NO_KNOWN_ALLERGIES.to_string()
    } else {
        p.allergies
            .iter()
            .map(|a| format!("{} ({})", a.allergen, a.reaction))
            .collect::<Vec<_>>()
            .join(", ")
    };
    subjective.push_str(&format!(" Allergies: {allergies}."));
    let mut objective = p.vitals.last().map_or_else(String::new, |v| {
        format!(
            "T {:.1} °C, HR {} /min, RR {} /min, BP {}/{} mmHg, SpO2 {} % on {}, pain {} ({}), height {:.1} cm, weight {:.1} kg, BMI {:.1} kg/m².",
            v.temperature_c,
            v.heart_rate_bpm,
            v.respiratory_rate_per_min,
            v.systolic_mmhg,
            v.diastolic_mmhg,
            v.spo2_percent,
            v.oxygen,
            v.pain_score,
            v.pain_scale,
            v.height_cm,
            v.weight_kg,
            v.bmi()
        )
    });
    if let Some(hc) = m.head_circumference_cm {
        objective.push_str(&format!(" Head circumference {hc:.1} cm."));
    }
    if m.growth_chart {
        objective.push_str(&format!(
            " {}",
            growth::summary(&growth::key_entry(p, m.head_circumference_cm))
        ));
    }
    if let Some(text) = m.screening.as_ref().map(screening::summary) {
        objective.push_str(&format!(" {text}"));
    }
    let assessment = p
        .conditions
        .iter()
        .filter(|c| c.status == ConditionStatus::Active)
        .enumerate()
        .map(|(i, c)| {
            let status = c.facts.get("control").map_or("stable", String::as_str);
            format!("{}. {} — {status}.", i + 1, c.display)
        })
        .collect::<Vec<_>>()
        .join(" ");
    let mut plan: Vec<String> = reconciled(p, plan)
        .iter()
        .map(|m| {
            format!(
                "{} {} {} {} {}.",
                m.action.as_deref().map(action_verb).unwrap_or("Continue"),
                m.name.as_deref().unwrap_or_default(),
                m.dose.as_deref().unwrap_or_default(),
                m.route.as_deref().unwrap_or_default(),
                m.frequency.as_deref().unwrap_or_default(),
            )
            .replace(" .", ".")
        })
        .collect();
    if let Some(action) = m.screening.as_ref().and_then(screening::risk_action) {
        plan.push(action.into());
    }
    plan.push(
        "Patient education given. Follow-up in 3 months; return sooner for worsening symptoms."
            .into(),
    );
    let plan = plan.join(" ");
    Soap {
        subjective: Some(subjective),
        objective: Some(objective),
        assessment: Some(assessment),
        plan: Some(plan),
    }
}

/// "continue" → "Continue", for the exemplar plan.
fn action_verb(action: &str) -> &'static str {
    match action {
        "change" => "Change to",
        "stop" => "Stop",
        "new" => "Start",
        _ => "Continue",
    }
}

/// The exemplar HPI: the reason for the visit, onset and the patient's own words.
fn model_hpi(p: &Patient) -> String {
    let active: Vec<&crate::patient::Condition> = p
        .conditions
        .iter()
        .filter(|c| c.status == ConditionStatus::Active)
        .collect();
    let reason = p
        .current_encounter()
        .map(|e| e.reason.clone())
        .unwrap_or_default();
    let mut hpi = format!("{} presents for {reason}.", p.demographics.given_name);
    if let Some(onset) = active.iter().filter_map(|c| c.onset).min() {
        hpi.push_str(&format!(" Ongoing since {}.", onset.format("%B %Y")));
    }
    for s in active.iter().flat_map(|c| &c.symptoms) {
        hpi.push_str(&format!(" Reports \"{s}\"."));
    }
    hpi
}

/// The reconciled medication list: each home medication with the plan's action (continue by
/// default; a change carries the new dose/frequency), then the new prescriptions.
fn reconciled(p: &Patient, plan: &[MedicationDecision]) -> Vec<MedicationEntry> {
    let mut out: Vec<MedicationEntry> = p
        .medications
        .iter()
        .map(|m| {
            let decision = plan.iter().find(|d| d.name == m.name);
            let action = decision.map_or(MedicationAction::Continue, |d| d.action);
            let changed = |new: Option<&String>, old: &String| {
                Some(
                    new.filter(|_| action == MedicationAction::Change)
                        .unwrap_or(old)
                        .clone(),
                )
            };
            MedicationEntry {
                name: Some(m.name.clone()),
                dose: changed(decision.and_then(|d| d.dose.as_ref()), &m.dose),
                route: Some(m.route.clone()),
                frequency: changed(decision.and_then(|d| d.frequency.as_ref()), &m.frequency),
                action: Some(action.label().into()),
            }
        })
        .collect();
    out.extend(
        plan.iter()
            .filter(|d| d.action == MedicationAction::New)
            .map(|d| MedicationEntry {
                name: Some(d.name.clone()),
                dose: d.dose.clone(),
                route: d.route.clone(),
                frequency: d.frequency.clone(),
                action: Some(MedicationAction::New.label().into()),
            }),
    );
    out
}

/// A blank answer.
pub fn blank(m: &ChartingMaterial) -> serde_json::Value {
    if m.transcription {
        super::to_value(&TranscriptionSubmission::default())
    } else {
        super::to_value(&ChartingSubmission::default())
    }
}

/// The fields a charting submission has.
pub fn schema() -> FieldSchema {
    use FieldType::{Date, Number, Quantity, RecordList, Text, TextList};
    let base = [
        ("patient.name", Text),
        ("patient.dob", Date),
        ("patient.mrn", Text),
        ("chief_complaint", Text),
        ("hpi", Text),
        ("vitals.temperature", Quantity),
        ("vitals.heart_rate", Number),
        ("vitals.respiratory_rate", Number),
        ("vitals.systolic", Number),
        ("vitals.diastolic", Number),
        ("vitals.spo2", Number),
        ("vitals.height", Quantity),
        ("vitals.weight", Quantity),
        ("vitals.bmi", Number),
        ("vitals.head_circumference", Quantity),
        ("vitals.pain", Number),
        ("vitals.pain_scale", Text),
        ("allergies[]", RecordList),
        ("allergies[].allergen", Text),
        ("allergies[].reaction", Text),
        ("allergies[].severity", Text),
        ("allergies[].kind", Text),
        ("medications[]", RecordList),
        ("medications[].name", Text),
        ("medications[].dose", Text),
        ("medications[].route", Text),
        ("medications[].frequency", Text),
        ("medications[].action", Text),
        ("problems", TextList),
    ];
    let soap = [
        ("soap.subjective", Text),
        ("soap.objective", Text),
        ("soap.assessment", Text),
        ("soap.plan", Text),
    ];
    let fields: Vec<(&str, FieldType)> = base
        .iter()
        .chain(&GROWTH_AND_SCREENING_FIELDS)
        .chain(&soap)
        .copied()
        .collect();
    growth_and_screening_choices(FieldSchema::new(RubricKind::Charting, &fields))
        .choices(
            "allergies[].severity",
            &[
                ("mild", "Mild"),
                ("moderate", "Moderate"),
                ("severe", "Severe"),
            ],
        )
        .choices(
            "allergies[].kind",
            &[("allergy", "Allergy"), ("intolerance", "Intolerance")],
        )
        .choices(
            "medications[].action",
            &[
                ("continue", "Continue"),
                ("change", "Change"),
                ("stop", "Stop"),
                ("new", "New (start)"),
            ],
        )
        .aliases(
            "medications[].action",
            &[
                (
                    "continue",
                    &["continued", "keep", "no change", "unchanged", "same"],
                ),
                (
                    "change",
                    &[
                        "changed",
                        "modify",
                        "modified",
                        "adjust",
                        "adjusted",
                        "increase",
                        "increased",
                        "decrease",
                        "decreased",
                        "titrate",
                        "dose change",
                    ],
                ),
                (
                    "stop",
                    &[
                        "stopped",
                        "discontinue",
                        "discontinued",
                        "d/c",
                        "dc",
                        "cease",
                    ],
                ),
                (
                    "new",
                    &[
                        "start",
                        "started",
                        "begin",
                        "initiate",
                        "initiated",
                        "add",
                        "added",
                        "new medication",
                    ],
                ),
            ],
        )
}

/// The growth and screening fields of a charting submission.
const GROWTH_AND_SCREENING_FIELDS: [(&str, FieldType); 18] = [
    ("growth.weight_for_age", FieldType::Number),
    ("growth.length_for_age", FieldType::Number),
    ("growth.bmi_for_age", FieldType::Number),
    ("growth.weight_for_length", FieldType::Number),
    ("growth.head_circumference_for_age", FieldType::Number),
    ("screening.phq9_total", FieldType::Number),
    ("screening.phq9_severity", FieldType::Text),
    ("screening.phq9_item9", FieldType::Number),
    ("screening.gad7_total", FieldType::Number),
    ("screening.gad7_severity", FieldType::Text),
    ("screening.cssrs_q1", FieldType::Bool),
    ("screening.cssrs_q2", FieldType::Bool),
    ("screening.cssrs_q3", FieldType::Bool),
    ("screening.cssrs_q4", FieldType::Bool),
    ("screening.cssrs_q5", FieldType::Bool),
    ("screening.cssrs_q6", FieldType::Bool),
    ("screening.cssrs_q6_recent", FieldType::Bool),
    ("screening.cssrs_risk", FieldType::Text),
];

/// The growth and screening fields' whole numbers, choices and aliases.
fn growth_and_screening_choices(schema: FieldSchema) -> FieldSchema {
    schema
        .integers(&[
            "growth.weight_for_age",
            "growth.length_for_age",
            "growth.bmi_for_age",
            "growth.weight_for_length",
            "growth.head_circumference_for_age",
            "screening.phq9_total",
            "screening.phq9_item9",
            "screening.gad7_total",
        ])
        .choices(
            "screening.phq9_severity",
            &[
                ("none_minimal", "None-minimal (0-4)"),
                ("mild", "Mild (5-9)"),
                ("moderate", "Moderate (10-14)"),
                ("moderately_severe", "Moderately severe (15-19)"),
                ("severe", "Severe (20-27)"),
            ],
        )
        .choices(
            "screening.gad7_severity",
            &[
                ("minimal", "Minimal (0-4)"),
                ("mild", "Mild (5-9)"),
                ("moderate", "Moderate (10-14)"),
                ("severe", "Severe (15-21)"),
            ],
        )
        .choices(
            "screening.cssrs_risk",
            &[
                ("none", "No risk identified"),
                ("low", "Low risk"),
                ("moderate", "Moderate risk"),
                ("high", "High risk"),
            ],
        )
        .aliases(
            "screening.phq9_severity",
            &[("none_minimal", &["none", "minimal", "none/minimal"])],
        )
        .aliases(
            "screening.cssrs_risk",
            &[("none", &["negative", "no risk"])],
        )
}

/// The fields a transcription submission has.
pub(crate) fn transcription_schema() -> FieldSchema {
    FieldSchema::new(
        RubricKind::Transcription,
        &[("transcript", FieldType::Text)],
    )
}
