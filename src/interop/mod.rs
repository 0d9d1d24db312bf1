//! Patients brought from other tools (the chart's own FHIR export is [`crate::fhir_export`]).
//!
//! - [`synthea`] reads a Synthea FHIR R4 bundle (file IO at the edge, parsing pure) into an
//!   [`synthea::ImportedPatient`] plus a report of what was skipped and why; malformed bundles
//!   get a [`synthea::SyntheaError`] naming the file and the JSON path.
//! - [`mapping`] lays an imported patient onto a generated one inside `generate` (pure): the
//!   bundle's history, conditions, medications, allergies, vitals and labs, with dates shifted
//!   to the scenario's as-of date.

pub mod mapping;
pub mod synthea;
