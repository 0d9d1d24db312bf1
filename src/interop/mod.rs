//! Interoperability: the chart in standard formats, and patients brought from other tools.
//!
//! - [`fhir_export`] turns a generated [`crate::generate::Case`] into a FHIR R4 `Bundle` (type
//!   `collection`) as JSON. It is pure: the same case gives the same bundle, byte for byte; every
//!   id derives from the case's patient seed; every reference resolves inside the bundle; every
//!   resource carries the synthetic-data tag ([`fhir_export::SYNTHETIC_TAG_CODE`]).
//! - [`synthea`] reads a Synthea FHIR R4 bundle (file IO at the edge, parsing pure) into an
//!   [`synthea::ImportedPatient`] plus a report of what was skipped and why; malformed bundles
//!   get a [`synthea::SyntheaError`] naming the file and the JSON path.
//! - [`mapping`] lays an imported patient onto a generated one inside `generate` (pure): the
//!   bundle's history, conditions, medications, allergies, vitals and labs, with dates shifted
//!   to the scenario's as-of date.

pub mod fhir_export;
pub mod fhir_ids;
pub mod mapping;
pub mod synthea;
