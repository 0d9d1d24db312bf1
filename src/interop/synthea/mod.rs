//! Reading a Synthea FHIR R4 bundle into an [`ImportedPatient`].
//!
//! [`load`] reads the file (the only IO here); [`parse`] is pure. What is read: the `Patient`
//! (name, sex, birth date, address, phone, language), `Encounter`s (class, type, period,
//! practitioner, provider), `Condition`s (SNOMED CT code and display, clinical status, onset,
//! abatement), `MedicationRequest`s (RxNorm code and display, status, as-needed, timing,
//! reason), `AllergyIntolerance`s (type, category, criticality, reaction and severity),
//! vital-sign `Observation`s (by LOINC) and numeric laboratory `Observation`s. Everything else
//! is counted and listed in [`ImportedPatient::skipped`] with the reason.
//!
//! Invariants: never panics; a bundle that is not JSON, not a `Bundle`, has no (or two)
//! `Patient`s, or lacks a field the import needs is a [`SyntheaError`] naming the file and the
//! JSON path (`entry[3].resource.period.start`). Lists keep the bundle's order, except
//! encounters, which are sorted by start.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{NaiveDate, NaiveDateTime};

use crate::patient::{Address, AllergyCategory, AllergyType, Criticality, Setting, Severity, Sex};

mod reader;

/// A malformed or unreadable bundle.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SyntheaError {
    /// The file could not be read.
    #[error("{file}: cannot read the file: {message}")]
    Read {
        /// The file.
        file: String,
        /// The system's reason.
        message: String,
    },
    /// The file is not JSON.
    #[error("{file}:{line}:{column}: not valid JSON: {message}")]
    NotJson {
        /// The file.
        file: String,
        /// Line of the error.
        line: usize,
        /// Column of the error.
        column: usize,
        /// The parser's message.
        message: String,
    },
    /// The JSON is not a usable Synthea bundle.
    #[error("{file}: {path}: {message}")]
    Invalid {
        /// The file.
        file: String,
        /// JSON path of the offending value, e.g. `entry[3].resource.period.start`.
        path: String,
        /// What is wrong and how to fix it.
        message: String,
    },
}

/// A patient read from a Synthea bundle, with the bundle's own dates (not yet shifted).
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedPatient {
    /// The file name the bundle was read from (for messages).
    pub source: String,
    /// SHA-256 of the bundle text (hex), so a changed bundle changes the scenario's hash.
    pub sha256: String,
    /// Given name (first of the official name).
    pub given_name: String,
    /// Family name.
    pub family_name: String,
    /// Administrative sex.
    pub sex: Sex,
    /// Birth date.
    pub birth_date: NaiveDate,
    /// Home address, when the bundle has one.
    pub address: Option<Address>,
    /// Phone, when present.
    pub phone: Option<String>,
    /// Preferred language (display text), when present.
    pub language: Option<String>,
    /// Encounters, oldest first.
    pub encounters: Vec<ImportedEncounter>,
    /// Conditions, in bundle order.
    pub conditions: Vec<ImportedCondition>,
    /// Medication requests, in bundle order.
    pub medications: Vec<ImportedMedication>,
    /// Allergies, in bundle order.
    pub allergies: Vec<ImportedAllergy>,
    /// Vital-sign values (blood-pressure panels split into systolic and diastolic).
    pub vitals: Vec<ImportedValue>,
    /// Numeric laboratory results.
    pub labs: Vec<ImportedValue>,
    /// How many resources of each type the bundle holds.
    pub counts: BTreeMap<String, usize>,
    /// What was not imported, and why.
    pub skipped: Vec<Skipped>,
}

/// One encounter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedEncounter {
    /// Synthea's resource id.
    pub id: String,
    /// Where, from `Encounter.class` (AMB → office, EMER → emergency, IMP → inpatient).
    pub setting: Setting,
    /// `Encounter.type` text.
    pub kind: String,
    /// Start.
    pub start: NaiveDateTime,
    /// End, when given.
    pub end: Option<NaiveDateTime>,
    /// Practitioner's name, when the reference resolves.
    pub practitioner: Option<String>,
    /// Service provider's name, when the reference resolves.
    pub provider: Option<String>,
}

/// One condition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedCondition {
    /// SNOMED CT code, when coded in SNOMED.
    pub snomed: Option<String>,
    /// Display text.
    pub display: String,
    /// True when `clinicalStatus` is active (or recurrence/relapse).
    pub active: bool,
    /// Onset date.
    pub onset: Option<NaiveDate>,
    /// Abatement date.
    pub abated: Option<NaiveDate>,
}

/// One medication request.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedMedication {
    /// RxNorm code, when coded.
    pub rxnorm: Option<String>,
    /// Display text, e.g. "Hydrochlorothiazide 25 MG Oral Tablet".
    pub display: String,
    /// True when the request's status is `active`.
    pub active: bool,
    /// Frequency in words from the dosage instruction ("as needed", "1 time per 1 day").
    pub frequency: Option<String>,
    /// Units per dose from `doseQuantity` (tablets, puffs…), when given.
    pub dose_quantity: Option<f64>,
    /// The display of the condition it treats, when the reason resolves.
    pub reason: Option<String>,
}

/// One allergy or intolerance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedAllergy {
    /// SNOMED code, when coded.
    pub snomed: Option<String>,
    /// Display text.
    pub display: String,
    /// Allergy or intolerance (default allergy).
    pub kind: AllergyType,
    /// Category (default environment when absent).
    pub category: AllergyCategory,
    /// Criticality (default unable to assess).
    pub criticality: Criticality,
    /// Reaction manifestation, when given.
    pub reaction: Option<String>,
    /// Reaction severity, when given.
    pub severity: Option<Severity>,
    /// True when `clinicalStatus` is active (or absent).
    pub active: bool,
}

/// One numeric observation value.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedValue {
    /// LOINC code.
    pub loinc: String,
    /// Display text.
    pub display: String,
    /// Value.
    pub value: f64,
    /// Unit (UCUM code where given, else the unit text).
    pub unit: String,
    /// When observed.
    pub at: NaiveDateTime,
}

/// A resource or part of one that was not imported.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Skipped {
    /// The resource type.
    pub resource_type: String,
    /// Why it was left out.
    pub reason: String,
    /// How many resources were left out for this reason.
    pub count: usize,
}

/// Reads and parses a Synthea bundle file.
///
/// # Errors
/// [`SyntheaError`] when the file cannot be read or is not a usable bundle.
pub fn load(path: &Path) -> Result<ImportedPatient, SyntheaError> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| SyntheaError::Read {
        file: file.clone(),
        message: e.to_string(),
    })?;
    parse(&file, &text)
}

/// Parses bundle text. `file` only labels errors.
///
/// # Errors
/// [`SyntheaError`] when the text is not JSON or not a usable Synthea bundle.
pub fn parse(file: &str, text: &str) -> Result<ImportedPatient, SyntheaError> {
    let root: serde_json::Value =
        serde_json::from_str(text).map_err(|e| SyntheaError::NotJson {
            file: file.to_string(),
            line: e.line(),
            column: e.column(),
            message: e.to_string(),
        })?;
    let mut patient = reader::Reader { file }.bundle(&root)?;
    patient.sha256 = crate::ron_input::sha256_hex(text.as_bytes());
    Ok(patient)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn not_json_names_file_and_position() {
        let e = parse("x.json", "{\"resourceType\": ").err();
        assert!(matches!(e, Some(SyntheaError::NotJson { line: 1, .. })));
    }

    #[test]
    fn not_a_bundle() {
        let e = parse("x.json", r#"{"resourceType": "Patient"}"#)
            .err()
            .map(|e| e.to_string());
        assert_eq!(
            e.as_deref(),
            Some(
                "x.json: resourceType: not a FHIR Bundle (resourceType must be \"Bundle\"); export the patient from Synthea with FHIR R4 output"
            )
        );
    }
}
