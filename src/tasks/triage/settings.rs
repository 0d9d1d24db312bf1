//! The ESI version and the resource-counting conventions a scenario chooses for its arrivals
//! (where the handbooks leave the count to local policy; docs/domain/triage-esi.md §4.4).

use serde::{Deserialize, Serialize};

/// Which ESI handbook the thresholds come from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum EsiVersion {
    /// AHRQ ESI v4 (2005/2012 handbook).
    V4,
    /// ENA ESI v5 (2023 handbook).
    #[default]
    V5,
}

/// How ECGs and plain X-rays are counted (docs/domain/triage-esi.md §4.4: CONFIDENCE medium).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum EcgXrayCounting {
    /// ECG and X-ray are two resource types (usual practice).
    #[default]
    Separate,
    /// ECG and X-ray together are one resource type (the handbook table's single row).
    OneType,
}

/// How rapid tests (rapid strep, rapid influenza/COVID) are counted: institution policy.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum RapidTestPolicy {
    /// Point-of-care: not a resource.
    #[default]
    PointOfCare,
    /// Sent to the laboratory: counts as labs.
    Lab,
}

/// Version and counting conventions for one presentation (a scenario setting).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EsiSettings {
    /// ESI version; default v5.
    #[serde(default)]
    pub version: EsiVersion,
    /// ECG + X-ray counting; default separate types.
    #[serde(default)]
    pub ecg_and_xray: EcgXrayCounting,
    /// Rapid strep / rapid viral tests; default point-of-care (not a resource).
    #[serde(default)]
    pub rapid_tests: RapidTestPolicy,
    /// CT, MRI, ultrasound, angiography; default one type (the handbook's single row).
    #[serde(default)]
    pub advanced_imaging: AdvancedImagingCounting,
}

/// How CT, MRI, ultrasound and angiography are counted (not settled by the handbooks).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum AdvancedImagingCounting {
    /// All advanced imaging together is one type (Table 5-1 lists it in one row).
    #[default]
    OneType,
    /// Each modality (CT, MRI, ultrasound, angiography) is its own type.
    PerModality,
}
