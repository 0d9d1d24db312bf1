//! The synthetic patient: demographics, encounters, problems, medications, allergies, vital-sign
//! series, lab results and clinical notes.
//!
//! A [`Patient`] is plain owned data produced by [`crate::generate`]. Every date in it is fixed
//! relative to the scenario's as-of date, never the wall clock, so the same scenario and seed
//! give the same patient on every machine. Units are part of the field names or stored beside
//! the value. Collections keep a stable order (chronological, or the order the scenario lists).

pub mod spec;

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

/// A coded concept: code system, code and display text.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Code {
    /// The code system.
    pub system: CodeSystem,
    /// The code as written in the code system (ICD-10-CM with its dot, e.g. `E11.22`).
    pub code: String,
    /// Human-readable meaning.
    pub display: String,
}

/// Code systems a scenario can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum CodeSystem {
    /// ICD-10-CM diagnoses.
    Icd10Cm,
    /// ICD-10-PCS inpatient procedures.
    Icd10Pcs,
    /// HCPCS Level II.
    Hcpcs,
    /// SNOMED CT (as carried by imported records).
    Snomed,
    /// LOINC (labs and vital signs).
    Loinc,
    /// RxNorm (medications).
    RxNorm,
}

impl CodeSystem {
    /// The short name used in documents and output.
    pub fn label(self) -> &'static str {
        match self {
            Self::Icd10Cm => "ICD-10-CM",
            Self::Icd10Pcs => "ICD-10-PCS",
            Self::Hcpcs => "HCPCS",
            Self::Snomed => "SNOMED CT",
            Self::Loinc => "LOINC",
            Self::RxNorm => "RxNorm",
        }
    }
}

/// Administrative sex, as recorded in the chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Sex {
    /// Female.
    Female,
    /// Male.
    Male,
}

impl Sex {
    /// "Female" / "Male".
    pub fn label(self) -> &'static str {
        match self {
            Self::Female => "Female",
            Self::Male => "Male",
        }
    }

    /// "F" / "M".
    pub(crate) fn letter(self) -> &'static str {
        match self {
            Self::Female => "F",
            Self::Male => "M",
        }
    }
}

/// The whole synthetic patient.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Patient {
    /// Who the patient is.
    pub demographics: Demographics,
    /// Visits and stays, oldest first; the last one is the encounter the task is about.
    pub encounters: Vec<Encounter>,
    /// Problems and diagnoses, in the order the scenario's condition groups list them.
    pub conditions: Vec<Condition>,
    /// Home medications.
    pub medications: Vec<Medication>,
    /// Allergies and intolerances; empty together with `no_known_allergies` is an explicit NKA.
    pub allergies: Vec<Allergy>,
    /// True when the allergy history was taken and none were found ("No Known Allergies").
    pub no_known_allergies: bool,
    /// Vital-sign readings, oldest first.
    pub vitals: Vec<VitalSigns>,
    /// Lab results, in panel order.
    pub labs: Vec<LabResult>,
    /// Clinical notes, oldest first.
    pub notes: Vec<Note>,
    /// Always true: every patient in EHR Sim is synthetic.
    pub synthetic: bool,
}

impl Patient {
    /// "LAST, First" as a chart banner shows it.
    pub fn banner_name(&self) -> String {
        format!(
            "{}, {}",
            self.demographics.family_name.to_uppercase(),
            self.demographics.given_name
        )
    }

    /// The encounter the task is about (the most recent).
    pub fn current_encounter(&self) -> Option<&Encounter> {
        self.encounters.last()
    }
}

/// Demographics and contacts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Demographics {
    /// Medical record number.
    pub mrn: String,
    /// Given (first) name.
    pub given_name: String,
    /// Family (last) name.
    pub family_name: String,
    /// Administrative sex.
    pub sex: Sex,
    /// Date of birth.
    pub birth_date: NaiveDate,
    /// Age in whole years on the scenario's as-of date.
    pub age_years: u32,
    /// Home address.
    pub address: Address,
    /// Phone number (in the fictitious 555-01xx range).
    pub phone: String,
    /// Preferred language.
    pub language: String,
    /// Whether an interpreter is needed.
    pub interpreter_needed: bool,
    /// Primary payer.
    pub insurance: Insurance,
    /// Emergency contact.
    pub emergency_contact: Contact,
}

/// A postal address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Address {
    /// Street line.
    pub line: String,
    /// City.
    pub city: String,
    /// State abbreviation.
    pub state: String,
    /// ZIP code.
    pub postal_code: String,
}

/// Insurance coverage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Insurance {
    /// Payer name, e.g. "Medicare Part A/B".
    pub payer: String,
    /// Member identifier (synthetic).
    pub member_id: String,
}

/// A person to contact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    /// Full name.
    pub name: String,
    /// Relationship to the patient.
    pub relationship: String,
    /// Phone number.
    pub phone: String,
}

/// Where care happens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Setting {
    /// Physician office / clinic visit.
    Office,
    /// Emergency department.
    Emergency,
    /// Inpatient hospital stay.
    Inpatient,
    /// Hospice care (home or facility).
    Hospice,
}

impl Setting {
    /// Display label.
    pub fn label(self) -> &'static str {
        match self {
            Self::Office => "Office visit",
            Self::Emergency => "Emergency department",
            Self::Inpatient => "Inpatient admission",
            Self::Hospice => "Hospice",
        }
    }
}

/// A visit or stay.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Encounter {
    /// Visit number (synthetic, unique within the patient).
    pub id: String,
    /// Where.
    pub setting: Setting,
    /// Start date and time.
    pub start: NaiveDateTime,
    /// End date and time, for stays that ended.
    pub end: Option<NaiveDateTime>,
    /// Why the patient came, in the patient's words where there are any.
    pub reason: String,
    /// Attending clinician (synthetic).
    pub attending: String,
    /// Location, e.g. "Clinic room 4", "ED bed 12", "4 West 412-B".
    pub location: String,
}

/// Clinical status of a condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum ConditionStatus {
    /// Active problem.
    Active,
    /// Resolved; kept as history.
    Resolved,
    /// Considered and ruled out (a distractor for coders).
    RuledOut,
    /// Suspected but not confirmed ("probable", "likely").
    Suspected,
}

/// A problem or diagnosis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Condition {
    /// The scenario's condition template id this came from.
    pub template: String,
    /// The condition group (scenario-defined slot, e.g. `primary`) that chose it.
    pub group: String,
    /// Display text as a clinician would document it.
    pub display: String,
    /// The codes the documented specificity implies, in reporting order.
    pub codes: Vec<Code>,
    /// The documented specificity (e.g. `stage: "3b"`, `laterality: "right"`).
    pub facts: BTreeMap<String, String>,
    /// What the patient reports, in their own words.
    pub symptoms: Vec<String>,
    /// Status.
    pub status: ConditionStatus,
    /// Onset date, when known.
    pub onset: Option<NaiveDate>,
}

/// A medication the patient takes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Medication {
    /// Drug name (generic).
    pub name: String,
    /// Dose with unit, e.g. "500 mg".
    pub dose: String,
    /// Route, e.g. "PO", "subcutaneous", "inhaled".
    pub route: String,
    /// Frequency, written out ("twice daily", never "BID"/"QD").
    pub frequency: String,
    /// Why the patient takes it.
    pub indication: String,
}

impl Medication {
    /// The frequency and what the drug is for, "twice daily           for heart failure", the
    /// indication left out when the frequency already names it ("every 2 hours as needed for
    /// dyspnea").
    #[must_use]
    pub fn frequency_and_indication(&self) -> String {
        let indication = self.indication.trim();
        let frequency = self.frequency.trim();
        if indication.is_empty()
            || frequency
                .to_lowercase()
                .contains(&format!("for {}", indication.to_lowercase()))
        {
            frequency.to_string()
        } else {
            format!("{frequency:<22} for {indication}")
        }
    }

    /// "metformin 500 mg PO twice daily".
    pub fn sig(&self) -> String {
        format!(
            "{} {} {} {}",
            self.name, self.dose, self.route, self.frequency
        )
    }
}

/// Allergy or intolerance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum AllergyType {
    /// Immune-mediated allergy.
    Allergy,
    /// Non-immune intolerance or side effect.
    Intolerance,
}

/// Substance category (FHIR AllergyIntolerance.category).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum AllergyCategory {
    /// A drug or drug class.
    Medication,
    /// A food.
    Food,
    /// Environmental (latex, pollen, dust).
    Environment,
    /// Biologic (vaccines, blood products).
    Biologic,
}

/// Severity of the reaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Severity {
    /// Mild.
    Mild,
    /// Moderate.
    Moderate,
    /// Severe.
    Severe,
}

impl Severity {
    /// "mild" / "moderate" / "severe".
    pub fn label(self) -> &'static str {
        match self {
            Self::Mild => "mild",
            Self::Moderate => "moderate",
            Self::Severe => "severe",
        }
    }
}

/// Risk of a future reaction (FHIR AllergyIntolerance.criticality).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Criticality {
    /// Low risk.
    Low,
    /// High risk (e.g. after anaphylaxis).
    High,
    /// Unable to assess.
    UnableToAssess,
}

/// A documented allergy or intolerance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Allergy {
    /// Substance or class, e.g. "penicillin".
    pub allergen: String,
    /// Category of the substance.
    pub category: AllergyCategory,
    /// Allergy or intolerance.
    pub kind: AllergyType,
    /// Reaction, e.g. "hives".
    pub reaction: String,
    /// Severity of that reaction.
    pub severity: Severity,
    /// Risk of a future reaction.
    pub criticality: Criticality,
}

/// One set of vital signs taken at one time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VitalSigns {
    /// When taken.
    pub taken_at: NaiveDateTime,
    /// Temperature, °C, one decimal.
    pub temperature_c: f64,
    /// Heart rate, beats/min.
    pub heart_rate_bpm: u32,
    /// Respiratory rate, breaths/min.
    pub respiratory_rate_per_min: u32,
    /// Systolic blood pressure, mmHg.
    pub systolic_mmhg: u32,
    /// Diastolic blood pressure, mmHg.
    pub diastolic_mmhg: u32,
    /// Oxygen saturation, %.
    pub spo2_percent: u32,
    /// Supplemental oxygen, e.g. "room air", "2 L/min nasal cannula".
    pub oxygen: String,
    /// Pain score on the scale named in `pain_scale`.
    pub pain_score: u32,
    /// The pain scale used (NRS 0-10, FLACC, PAINAD, Wong-Baker FACES).
    pub pain_scale: String,
    /// Height, cm, one decimal.
    pub height_cm: f64,
    /// Weight, kg, one decimal.
    pub weight_kg: f64,
}

impl VitalSigns {
    /// Temperature in °F, one decimal.
    pub(crate) fn temperature_f(&self) -> f64 {
        round1(self.temperature_c * 9.0 / 5.0 + 32.0)
    }

    /// Weight in lb, one decimal.
    pub(crate) fn weight_lb(&self) -> f64 {
        round1(self.weight_kg / 0.453_592_37)
    }

    /// Height in inches, one decimal.
    pub(crate) fn height_in(&self) -> f64 {
        round1(self.height_cm / 2.54)
    }

    /// Body-mass index, kg/m², one decimal (computed from the unrounded height and weight).
    pub fn bmi(&self) -> f64 {
        let height_m = self.height_cm / 100.0;
        if height_m <= 0.0 {
            return 0.0;
        }
        round1(self.weight_kg / (height_m * height_m))
    }
}

/// One lab result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LabResult {
    /// Test name, e.g. "Creatinine".
    pub name: String,
    /// LOINC code, when the scenario gives one.
    pub loinc: Option<String>,
    /// Result value.
    pub value: f64,
    /// Unit (UCUM-style), e.g. "mg/dL".
    pub unit: String,
    /// Reference range low end.
    pub reference_low: Option<f64>,
    /// Reference range high end.
    pub reference_high: Option<f64>,
    /// When collected.
    pub collected_at: NaiveDateTime,
}

/// Abnormal flag of a lab result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LabFlag {
    /// Within range.
    Normal,
    /// Below range.
    Low,
    /// Above range.
    High,
}

impl LabResult {
    /// H / L / normal, against the reference range.
    pub fn flag(&self) -> LabFlag {
        match (self.reference_low, self.reference_high) {
            (Some(low), _) if self.value < low => LabFlag::Low,
            (_, Some(high)) if self.value > high => LabFlag::High,
            _ => LabFlag::Normal,
        }
    }
}

/// A clinical note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    /// Note type, e.g. "Progress note", "Discharge summary", "Triage note", "Dictation".
    pub kind: String,
    /// Author with credentials (synthetic).
    pub author: String,
    /// When written.
    pub written_at: NaiveDateTime,
    /// Full text.
    pub text: String,
}

/// Whole years between `birth` and `on` (0 if `on` is before `birth`).
pub fn age_in_years(birth: NaiveDate, on: NaiveDate) -> u32 {
    let mut years = on.year() - birth.year();
    if (on.month(), on.day()) < (birth.month(), birth.day()) {
        years -= 1;
    }
    u32::try_from(years).unwrap_or(0)
}

/// Rounds to one decimal place.
pub(crate) fn round1(value: f64) -> f64 {
    (value * 10.0).round() / 10.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    #[test]
    fn age_counts_birthdays() {
        assert_eq!(age_in_years(date(1960, 3, 5), date(2026, 3, 4)), 65);
        assert_eq!(age_in_years(date(1960, 3, 5), date(2026, 3, 5)), 66);
        assert_eq!(age_in_years(date(2024, 2, 29), date(2025, 2, 28)), 0);
        assert_eq!(age_in_years(date(2024, 2, 29), date(2025, 3, 1)), 1);
        assert_eq!(age_in_years(date(2030, 1, 1), date(2026, 1, 1)), 0);
    }

    #[test]
    fn bmi_and_conversions() {
        let v = VitalSigns {
            taken_at: date(2026, 1, 1).and_hms_opt(9, 0, 0).unwrap_or_default(),
            temperature_c: 38.5,
            heart_rate_bpm: 100,
            respiratory_rate_per_min: 18,
            systolic_mmhg: 120,
            diastolic_mmhg: 80,
            spo2_percent: 97,
            oxygen: "room air".into(),
            pain_score: 0,
            pain_scale: "NRS 0-10".into(),
            height_cm: 175.0,
            weight_kg: 80.0,
        };
        assert_eq!(v.bmi(), 26.1);
        assert_eq!(v.temperature_f(), 101.3);
        assert_eq!(v.weight_lb(), 176.4);
        assert_eq!(v.height_in(), 68.9);
    }
}
