//! The `patient:` part of a scenario file: how to generate the patient (demographics, the
//! current encounter, conditions with their variants, vitals, medications, allergies, labs and
//! note templates). Every struct denies unknown fields; [`crate::generate`] reads it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::patient::{
    AllergyCategory, AllergyType, Code, ConditionStatus, Criticality, Setting, Severity, Sex,
};

/// An inclusive range `(min: .., max: ..)`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Range {
    /// Lowest value.
    pub min: f64,
    /// Highest value.
    pub max: f64,
}

/// A weighted choice `(weight: 3, value: ...)`: weights are relative, any positive numbers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Weighted<T> {
    /// Relative weight (> 0).
    pub weight: f64,
    /// The choice.
    pub value: T,
}

/// Age of generated patients.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum AgeSpec {
    /// Whole years, inclusive.
    Years(u32, u32),
    /// Whole months, inclusive (infants and toddlers).
    Months(u32, u32),
    /// Days, inclusive (neonates).
    Days(u32, u32),
}

/// Sex mix: the two shares must sum to 1.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SexMix {
    /// Share of female patients, 0 to 1.
    pub female: f64,
    /// Share of male patients, 0 to 1.
    pub male: f64,
}

/// How the patient is generated.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PatientSpec {
    /// Age range.
    pub age: AgeSpec,
    /// Sex mix.
    pub sex: SexMix,
    /// Preferred languages (default: English only).
    #[serde(default)]
    pub languages: Vec<Weighted<String>>,
    /// Primary payers, e.g. "Medicare Part A/B".
    pub payers: Vec<Weighted<String>>,
    /// The current encounter.
    pub encounter: EncounterSpec,
    /// Condition slots, each choosing among templates.
    pub conditions: Vec<ConditionGroup>,
    /// The condition templates the groups choose from.
    pub condition_templates: Vec<ConditionTemplate>,
    /// Home medications, each with a probability and the conditions it needs.
    #[serde(default)]
    pub medications: Vec<MedicationSpec>,
    /// Possible allergies; when none is drawn the chart says "No Known Allergies".
    #[serde(default)]
    pub allergies: Vec<AllergySpec>,
    /// Baseline vital-sign distributions (conditions shift them).
    pub vitals: VitalsSpec,
    /// Lab panel (conditions shift values).
    #[serde(default)]
    pub labs: Vec<LabSpec>,
    /// Note templates with `{placeholders}` filled from the generated facts.
    #[serde(default)]
    pub notes: Vec<NoteTemplate>,
    /// Where the patient comes from: generated (default) or a Synthea bundle.
    #[serde(default)]
    pub patient_source: PatientSource,
}

/// Where a scenario's patient comes from.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub enum PatientSource {
    /// Everything is generated from this spec.
    #[default]
    Generated,
    /// Demographics, history, conditions, medications, allergies, vitals and labs come from a
    /// Synthea FHIR R4 bundle; the spec still generates the current encounter, its conditions,
    /// vitals, labs and notes on top (see [`crate::interop::mapping`]).
    Synthea(SyntheaSource),
}

/// A Synthea bundle as the patient source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SyntheaSource {
    /// The bundle file, relative to the scenario file (e.g. `../synthea/patient_1.json`).
    pub path: String,
    /// SNOMED CT code → the ICD-10-CM code to report for it. Unmapped conditions keep only
    /// their SNOMED code (and `ehr-sim validate` warns about them).
    #[serde(default)]
    pub condition_map: BTreeMap<String, Code>,
    /// SNOMED CT codes to chart as resolved whatever the bundle says (Synthea sometimes never
    /// closes an acute condition, e.g. appendicitis after the appendectomy).
    #[serde(default)]
    pub resolve: Vec<String>,
}

/// The current encounter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EncounterSpec {
    /// Where.
    pub setting: Setting,
    /// Reason for the visit (a template with placeholders), e.g. "follow-up of {cond:primary}".
    pub reason: String,
    /// Days before the as-of date the encounter starts (0 = on the as-of date).
    #[serde(default)]
    pub days_before_as_of: (u32, u32),
    /// Length of stay in days (inpatient and hospice; 0 for same-day visits).
    #[serde(default)]
    pub length_days: (u32, u32),
    /// Earlier visits to list in the chart history.
    #[serde(default)]
    pub prior_visits: u32,
}

/// A condition slot: with `probability`, choose one template by weight.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConditionGroup {
    /// Slot id (`snake_case`), used in placeholders as `{cond:ID}`.
    pub id: String,
    /// Chance the slot is filled at all (default 1).
    #[serde(default = "one")]
    pub probability: f64,
    /// Status of the chosen condition (default Active; RuledOut and Suspected are distractors).
    #[serde(default = "active")]
    pub status: ConditionStatus,
    /// Template ids with relative weights.
    pub choose: Vec<Weighted<String>>,
}

fn one() -> f64 {
    1.0
}

fn active() -> ConditionStatus {
    ConditionStatus::Active
}

/// A kind of condition with the specificity a chart documents and the codes it implies.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConditionTemplate {
    /// Template id (`snake_case`).
    pub id: String,
    /// Documented variants (type, stage, laterality, episode of care …), chosen by weight.
    pub variants: Vec<ConditionVariant>,
    /// Onset, days before the encounter.
    #[serde(default)]
    pub onset_days_before: Option<(u32, u32)>,
    /// How the condition shifts vital signs (coherence: sepsis is febrile and tachycardic).
    #[serde(default)]
    pub vitals: VitalEffects,
    /// How the condition shifts lab values, by lab name.
    #[serde(default)]
    pub labs: BTreeMap<String, Range>,
    /// Symptoms the patient reports, in the patient's words (used by `{symptoms:GROUP}`).
    #[serde(default)]
    pub symptoms: Vec<String>,
    /// Clinical rationale.
    #[serde(default)]
    pub remarks: String,
    /// Citations.
    #[serde(default)]
    pub sources: Vec<String>,
}

/// One documented form of a condition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConditionVariant {
    /// Relative weight (default 1).
    #[serde(default = "one")]
    pub weight: f64,
    /// How a clinician documents it, e.g. "Type 2 diabetes mellitus with diabetic CKD stage 3b".
    pub display: String,
    /// The specificity facts (e.g. `{"stage": "3b"}`), usable as `{cond:GROUP.stage}`.
    #[serde(default)]
    pub facts: BTreeMap<String, String>,
    /// The codes this documentation implies, in reporting order.
    pub codes: Vec<Code>,
    /// Vital-sign ranges for this variant, taking precedence over the template's.
    #[serde(default)]
    pub vitals: VitalEffects,
    /// Lab ranges for this variant (e.g. eGFR by CKD stage), taking precedence over the template's.
    #[serde(default)]
    pub labs: BTreeMap<String, Range>,
    /// Coding: a one-line rationale per code (code → why), shown by `ehr-sim key show`.
    #[serde(default)]
    pub rationale: BTreeMap<String, String>,
    /// Coding: other codes accepted in place of a code (code → alternatives).
    #[serde(default)]
    pub alternatives: BTreeMap<String, Vec<String>>,
    /// Coding: codes of `codes` that cost nothing whether given or not (e.g. external causes).
    #[serde(default)]
    pub optional_codes: Vec<String>,
    /// Coding: the documented signs/symptoms reported instead of `codes` when the condition is
    /// only `Suspected` and the setting is outpatient (ICD-10-CM Official Guidelines IV.H).
    #[serde(default)]
    pub uncertain_outpatient_codes: Vec<Code>,
    /// Coding: codes of `codes` that are status or history codes (leaving one out is a minor
    /// error, ICD-10-CM Official Guidelines IV.J).
    #[serde(default)]
    pub status_codes: Vec<String>,
    /// Coding: codes of `codes` that are combination codes (leaving one out is a missed
    /// combination, ICD-10-CM Official Guidelines I.B.9).
    #[serde(default)]
    pub combination_codes: Vec<String>,
    /// Coding: codes of `codes` that may be listed first in place of the key's first code
    /// (e.g. I12.9 beside E11.22 when both are managed).
    #[serde(default)]
    pub may_be_first: Vec<String>,
    /// Coding: the guideline that directs this variant's first code to be the principal /
    /// first-listed diagnosis when its condition comes first (e.g. "ICD-10-CM Official
    /// Guidelines I.C.1.d.4" for sepsis); listing another code first is then critical.
    #[serde(default)]
    pub first_by: Option<String>,
    /// Coding: codes the documentation forbids, each with why (coding one is critical).
    #[serde(default)]
    pub never_codes: Vec<NeverCode>,
    /// Coding: the documented BMI's Z68 code is an accepted optional addition (only where the
    /// provider documents the weight condition, ICD-10-CM Official Guidelines I.B.14).
    #[serde(default)]
    pub bmi_code: bool,
    /// Coding, inpatient: the present-on-admission indicator the documentation supports for a
    /// code (code → Y, N, U, W or 1 = exempt; ICD-10-CM Official Guidelines Appendix I). Only
    /// the codes listed here have their indicator graded; the document must state what decides
    /// it (e.g. "noted on the admission skin assessment" or "developed on hospital day 3").
    #[serde(default)]
    pub poa: BTreeMap<String, String>,
}

/// A code the documentation forbids, with why (`never_codes` of a variant). A code written
/// as a category ("C61") forbids every code under it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NeverCode {
    /// The code or category.
    pub code: String,
    /// Why the documentation forbids it.
    pub why: NeverKind,
    /// One line for the learner, with the rule.
    pub rationale: String,
}

/// Why the documentation forbids a code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum NeverKind {
    /// The condition is documented as ruled out.
    RuledOut,
    /// The condition is only probable/suspected, in an outpatient setting.
    Uncertain,
    /// The condition is documented as history (e.g. a malignancy with no evidence of disease).
    History,
    /// The documentation contradicts the code (e.g. R65.21 with no septic shock).
    Contradicted,
}

/// Vital-sign ranges a condition imposes; unset vitals keep the baseline.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VitalEffects {
    /// °C.
    #[serde(default)]
    pub temperature_c: Option<Range>,
    /// beats/min.
    #[serde(default)]
    pub heart_rate_bpm: Option<Range>,
    /// breaths/min.
    #[serde(default)]
    pub respiratory_rate_per_min: Option<Range>,
    /// mmHg.
    #[serde(default)]
    pub systolic_mmhg: Option<Range>,
    /// mmHg.
    #[serde(default)]
    pub diastolic_mmhg: Option<Range>,
    /// %.
    #[serde(default)]
    pub spo2_percent: Option<Range>,
    /// On the scenario's pain scale.
    #[serde(default)]
    pub pain_score: Option<Range>,
    /// kg/m² (weight follows from height and BMI).
    #[serde(default)]
    pub bmi: Option<Range>,
}

/// Baseline vital signs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VitalsSpec {
    /// Readings in the series (≥ 1), the last one at the current encounter.
    #[serde(default = "one_u32")]
    pub readings: u32,
    /// Minutes between readings.
    #[serde(default = "four_hours")]
    pub interval_minutes: u32,
    /// °C.
    pub temperature_c: Range,
    /// beats/min.
    pub heart_rate_bpm: Range,
    /// breaths/min.
    pub respiratory_rate_per_min: Range,
    /// mmHg.
    pub systolic_mmhg: Range,
    /// mmHg.
    pub diastolic_mmhg: Range,
    /// %.
    pub spo2_percent: Range,
    /// Pain score.
    pub pain_score: Range,
    /// The pain scale (e.g. "NRS 0-10", "FLACC", "PAINAD", "Wong-Baker FACES").
    #[serde(default = "nrs")]
    pub pain_scale: String,
    /// cm.
    pub height_cm: Range,
    /// kg/m².
    pub bmi: Range,
    /// Oxygen delivery (default "room air").
    #[serde(default = "room_air")]
    pub oxygen: String,
    /// Children and adolescents (under 20 years): the weight-for-age percentiles (0–100) the
    /// weight is drawn between, e.g. `(min: 0.5, max: 2)` for failure to thrive or
    /// `(min: 98, max: 99.5)` for obesity. Unset: weight follows height between the 4th and
    /// 96th percentiles. A range reaching outside the 3rd–97th marks an intended outlier, which
    /// `ehr-sim validate --seeds` then accepts.
    #[serde(default)]
    pub weight_percentiles: Option<Range>,
}

fn one_u32() -> u32 {
    1
}

fn four_hours() -> u32 {
    240
}

fn nrs() -> String {
    "NRS 0-10".to_string()
}

fn room_air() -> String {
    "room air".to_string()
}

/// A home medication that may be on the list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MedicationSpec {
    /// Generic drug name.
    pub name: String,
    /// Dose with unit ("500 mg"; no trailing zeros, leading zero before a decimal point).
    pub dose: String,
    /// Route ("PO", "subcutaneous", "inhaled", …).
    pub route: String,
    /// Frequency written out ("twice daily"; never "QD", "BID" on The Joint Commission list).
    pub frequency: String,
    /// Why it is taken.
    pub indication: String,
    /// Chance it is on the list when its conditions are met (default 1).
    #[serde(default = "one")]
    pub probability: f64,
    /// Template ids, any of which must be present (empty = no condition needed).
    #[serde(default)]
    pub when_any: Vec<String>,
    /// Only for patients of this sex (e.g. an oral contraceptive); unset = either.
    #[serde(default)]
    pub sex: Option<Sex>,
    /// Never given to a patient with an allergy or intolerance to one of these (the allergen
    /// as the scenario's `allergies` name it), e.g. sacubitril-valsartan after ACE-inhibitor
    /// angioedema, cephalexin after amoxicillin hives.
    #[serde(default)]
    pub unless_allergic_to: Vec<String>,
    /// Patient criteria, at least `at_least` of which must hold (e.g. the apixaban
    /// dose-reduction criteria). When several entries share a drug name, the first whose
    /// conditions hold is the one given, so list the criteria-bound dose first.
    #[serde(default)]
    pub requires: Option<Requirement>,
}

/// At least `at_least` of the criteria `of`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Requirement {
    /// How many must hold (≥ 1).
    pub at_least: u32,
    /// The criteria.
    pub of: Vec<Criterion>,
}

/// One patient criterion, read from the generated patient.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Criterion {
    /// Age in whole years at least this.
    AgeAtLeast(u32),
    /// Age in whole years below this.
    AgeBelow(u32),
    /// Measured weight (kg) at most this.
    WeightAtMostKg(f64),
    /// Measured weight (kg) above this.
    WeightAboveKg(f64),
    /// The named lab of the panel at least this value.
    LabAtLeast(String, f64),
    /// The named lab of the panel below this value.
    LabBelow(String, f64),
    /// An allergy or intolerance to this allergen (as the scenario's `allergies` name it), e.g.
    /// the alternative to a drug given `unless_allergic_to` it.
    AllergicTo(String),
}

/// A possible allergy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AllergySpec {
    /// Substance or class.
    pub allergen: String,
    /// Category.
    pub category: AllergyCategory,
    /// Allergy or intolerance.
    pub kind: AllergyType,
    /// Reaction.
    pub reaction: String,
    /// Severity of the reaction.
    pub severity: Severity,
    /// Risk of future reaction.
    pub criticality: Criticality,
    /// Chance the patient has it.
    pub probability: f64,
}

/// A lab in the panel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabSpec {
    /// Test name (unique in the panel; conditions refer to it).
    pub name: String,
    /// LOINC code.
    #[serde(default)]
    pub loinc: Option<String>,
    /// Unit.
    pub unit: String,
    /// Reference range.
    pub reference: Range,
    /// Baseline value range (conditions override).
    pub value: Range,
    /// Decimal places to report (default 1).
    #[serde(default = "one_u8")]
    pub decimals: u8,
    /// A value computed from other results instead of drawn on its own.
    #[serde(default)]
    pub formula: Option<LabFormula>,
}

/// How a lab's value follows from others.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum LabFormula {
    /// eGFR (mL/min/1.73 m²) by the race-free CKD-EPI 2021 creatinine equation from the named
    /// creatinine lab (mg/dL), age and sex. The eGFR's own range (and the conditions' ranges
    /// for it, e.g. by CKD stage) picks the kidney function; the creatinine is the value giving
    /// it at the patient's age and sex, and the reported eGFR is computed back from the
    /// reported creatinine.
    /// Under 18 years the bedside Schwartz equation (0.413 × height in cm / creatinine) takes
    /// its place, with the height of the last vital-sign reading.
    EgfrCkdEpi2021(String),
    /// Hematocrit (%) three times the named hemoglobin lab (g/dL).
    HematocritFromHemoglobin(String),
    /// Anion gap (mmol/L) from the named sodium, chloride and bicarbonate labs:
    /// Na − (Cl + HCO3).
    AnionGap(String, String, String),
}

fn one_u8() -> u8 {
    1
}

/// A note template.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoteTemplate {
    /// Note type, e.g. "Progress note".
    pub kind: String,
    /// Author with credentials (synthetic).
    pub author: String,
    /// What `minutes_after` counts from (default: the encounter start).
    #[serde(default)]
    pub anchor: NoteAnchor,
    /// Minutes after the anchor the note is written.
    #[serde(default)]
    pub minutes_after: u32,
    /// The text, with `{placeholders}` (see `scenarios/README.md`).
    pub text: String,
}

/// The moment a note's time counts from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum NoteAnchor {
    /// The current encounter's start.
    #[default]
    EncounterStart,
    /// The current encounter's end (discharge); the start when the stay has not ended.
    EncounterEnd,
    /// The morning of the as-of date (08:00), when the latest vital signs of a stay are taken
    /// (e.g. an IDG summary of an ongoing hospice stay).
    AsOf,
}
