//! Clinical charting (and its transcription variant): the learner documents a visit from an
//! intake conversation, or types a provider's dictation.
//!
//! The key is derived from the generated patient: the two identifiers, the measured vital signs
//! with units (BMI computed from the unrounded height and weight), every allergy with reaction,
//! severity and type (or an explicit "No known allergies" entry), every home medication with
//! dose, route and frequency, and the problem list.

use serde::{Deserialize, Serialize};

use crate::generate::Case;
use crate::grading::{FieldSchema, FieldType, TaskKind as RubricKind};
use crate::patient::{AllergyType, ConditionStatus, Patient};
use crate::scenario::schema::{ChartingSpec, ChartingVariant, Scenario};

/// What the learner works from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChartingMaterial {
    /// True for the transcription variant.
    pub transcription: bool,
    /// What the source is ("Intake conversation", "Dictation").
    pub source_kind: String,
    /// The source text.
    pub source: String,
}

/// Builds the material: the scenario's intake conversation or dictation note.
pub fn material(
    _scenario: &Scenario,
    spec: &ChartingSpec,
    patient: &Patient,
    _patient_seed: u64,
) -> ChartingMaterial {
    let transcription = spec.variant == ChartingVariant::Transcription;
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
pub const NO_KNOWN_ALLERGIES: &str = "No known allergies";

/// The key: what the chart must say.
pub fn key(case: &Case, m: &ChartingMaterial) -> serde_json::Value {
    if m.transcription {
        return super::to_value(&TranscriptionSubmission {
            transcript: Some(m.source.clone()),
        });
    }
    let p = &case.patient;
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
        chief_complaint: None,
        vitals: vitals.unwrap_or_default(),
        allergies,
        medications: p
            .medications
            .iter()
            .map(|m| MedicationEntry {
                name: Some(m.name.clone()),
                dose: Some(m.dose.clone()),
                route: Some(m.route.clone()),
                frequency: Some(m.frequency.clone()),
                action: None,
            })
            .collect(),
        problems: p
            .conditions
            .iter()
            .filter(|c| c.status == ConditionStatus::Active)
            .map(|c| c.display.clone())
            .collect(),
        soap: model_soap(p),
    })
}

/// An exemplar SOAP note for the key, built from the case's facts: what the patient reports
/// under S, the measurements under O, each active problem under A, and a plan with follow-up.
fn model_soap(p: &Patient) -> Soap {
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
    let objective = p.vitals.last().map_or_else(String::new, |v| {
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
    let plan = "Continue the reconciled home medications as documented. Patient education given. \
                Follow-up in 3 months; return sooner for worsening symptoms."
        .to_string();
    Soap {
        subjective: Some(subjective),
        objective: Some(objective),
        assessment: Some(assessment),
        plan: Some(plan),
    }
}

/// A blank answer.
pub fn blank(_case: &Case, m: &ChartingMaterial) -> serde_json::Value {
    if m.transcription {
        super::to_value(&TranscriptionSubmission::default())
    } else {
        super::to_value(&ChartingSubmission::default())
    }
}

/// The fields a charting submission has.
pub fn schema() -> FieldSchema {
    use FieldType::{Date, Number, Quantity, RecordList, Text, TextList};
    FieldSchema::new(
        RubricKind::Charting,
        &[
            ("patient.name", Text),
            ("patient.dob", Date),
            ("patient.mrn", Text),
            ("chief_complaint", Text),
            ("vitals.temperature", Quantity),
            ("vitals.heart_rate", Number),
            ("vitals.respiratory_rate", Number),
            ("vitals.systolic", Number),
            ("vitals.diastolic", Number),
            ("vitals.spo2", Number),
            ("vitals.height", Quantity),
            ("vitals.weight", Quantity),
            ("vitals.bmi", Number),
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
            ("soap.subjective", Text),
            ("soap.objective", Text),
            ("soap.assessment", Text),
            ("soap.plan", Text),
        ],
    )
}

/// The fields a transcription submission has.
pub fn transcription_schema() -> FieldSchema {
    FieldSchema::new(
        RubricKind::Transcription,
        &[("transcript", FieldType::Text)],
    )
}
