//! ESI resources (decision point C): the specific items a presentation lists, the resource
//! **type** each maps to (or none), and the count.
//!
//! Invariants: resources are counted by type, never by test (CBC + BMP + urinalysis = 1 labs);
//! non-resources (history and physical, point-of-care tests, saline lock, PO medication,
//! tetanus, prescription refill, phone call, simple wound care, crutches/splints/slings) map to
//! no type; a complex procedure (procedural sedation) counts 2; every other type counts 1.
//! Sources: ESI v4 Table 5-1, ESI v5 Table 5-1 (docs/domain/triage-esi.md §4).

use serde::{Deserialize, Serialize};

use super::settings::{AdvancedImagingCounting, EcgXrayCounting, EsiSettings, RapidTestPolicy};

/// One predicted item of ED care, as a scenario author lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Resource {
    // Laboratory (all together = 1 type).
    /// Complete blood count.
    Cbc,
    /// Basic metabolic panel.
    Bmp,
    /// Comprehensive metabolic panel.
    Cmp,
    /// Electrolytes.
    Electrolytes,
    /// Coagulation studies.
    Coags,
    /// Troponin.
    Troponin,
    /// Lipase.
    Lipase,
    /// Liver function tests.
    LiverFunction,
    /// Lactate.
    Lactate,
    /// Blood gas.
    BloodGas,
    /// Blood culture.
    BloodCulture,
    /// Type and screen / crossmatch.
    TypeAndScreen,
    /// Serum hCG (laboratory).
    SerumHcg,
    /// Urinalysis sent to the lab.
    Urinalysis,
    /// Urine culture.
    UrineCulture,
    /// Throat culture (processed by the laboratory).
    ThroatCulture,
    /// Cerebrospinal fluid studies (lumbar puncture specimens).
    CsfStudies,
    /// Another laboratory test, named.
    OtherLab(String),
    // Institution policy: point-of-care (default) or lab.
    /// Rapid strep test.
    RapidStrep,
    /// Rapid influenza / COVID / RSV test.
    RapidViralTest,
    // Point-of-care: not a resource.
    /// Fingerstick glucose.
    FingerstickGlucose,
    /// Point-of-care urine hCG.
    PocUrineHcg,
    /// Urine dipstick at the bedside.
    UrineDipstick,
    // ECG.
    /// 12-lead ECG.
    Ecg,
    // Plain radiographs (all together = 1 type).
    /// Chest X-ray.
    ChestXray,
    /// Abdominal X-ray.
    AbdominalXray,
    /// Extremity X-ray.
    ExtremityXray,
    /// Spine films (e.g. C-spine).
    SpineXray,
    /// Pelvis X-ray.
    PelvisXray,
    // Advanced imaging (all together = 1 type).
    /// CT of the head.
    CtHead,
    /// CT of the cervical spine.
    CtCervicalSpine,
    /// CT of the chest (including CT angiography for PE).
    CtChest,
    /// CT of the abdomen and pelvis.
    CtAbdomenPelvis,
    /// MRI.
    Mri,
    /// Ultrasound.
    Ultrasound,
    /// Angiography.
    Angiography,
    // IV fluids.
    /// IV fluids for hydration.
    IvFluids,
    // IV, IM or nebulized medication (together = 1 type).
    /// IV medication.
    IvMedication,
    /// IM medication.
    ImMedication,
    /// Nebulized medication.
    NebulizedMedication,
    // Specialty consultation.
    /// Consultation with a specialist.
    SpecialtyConsultation,
    // Simple procedures (together = 1 type).
    /// Laceration repair.
    LacerationRepair,
    /// Urinary (Foley) catheter.
    UrinaryCatheter,
    /// Another simple procedure, named.
    OtherSimpleProcedure(String),
    // Complex procedure (= 2).
    /// Procedural (conscious) sedation.
    ProceduralSedation,
    // Not resources.
    /// History and physical examination (including pelvic exam).
    HistoryAndPhysical,
    /// Pelvic examination.
    PelvicExam,
    /// Saline or heparin lock.
    SalineLock,
    /// Oral medication.
    PoMedication,
    /// Tetanus immunization.
    TetanusShot,
    /// Prescription refill.
    PrescriptionRefill,
    /// Phone call to the primary-care provider.
    PhoneCallToPcp,
    /// Simple wound care (dressing, recheck).
    SimpleWoundCare,
    /// Crutches.
    Crutches,
    /// Splint.
    Splint,
    /// Sling.
    Sling,
}

/// A resource type: what ESI counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResourceType {
    /// Laboratory tests (blood, urine, …), all together.
    Labs,
    /// ECG (when counted apart from X-ray).
    Ecg,
    /// Plain radiographs (when counted apart from ECG).
    XRay,
    /// ECG and plain radiographs as one type (setting `ecg_and_xray: OneType`).
    EcgOrXRay,
    /// CT, MRI, ultrasound, angiography, all together (default counting).
    AdvancedImaging,
    /// CT (setting `advanced_imaging: PerModality`).
    Ct,
    /// MRI (setting `advanced_imaging: PerModality`).
    Mri,
    /// Ultrasound (setting `advanced_imaging: PerModality`).
    Ultrasound,
    /// Angiography (setting `advanced_imaging: PerModality`).
    Angiography,
    /// IV fluids (hydration).
    IvFluids,
    /// IV, IM or nebulized medications.
    ParenteralMedication,
    /// Specialty consultation.
    SpecialtyConsultation,
    /// Simple procedure (laceration repair, urinary catheter).
    SimpleProcedure,
    /// Complex procedure (procedural sedation): counts 2.
    ComplexProcedure,
}

impl ResourceType {
    /// How many resources this type counts for.
    #[must_use]
    pub fn weight(self) -> usize {
        match self {
            Self::ComplexProcedure => 2,
            Self::Labs
            | Self::Ecg
            | Self::XRay
            | Self::EcgOrXRay
            | Self::AdvancedImaging
            | Self::Ct
            | Self::Mri
            | Self::Ultrasound
            | Self::Angiography
            | Self::IvFluids
            | Self::ParenteralMedication
            | Self::SpecialtyConsultation
            | Self::SimpleProcedure => 1,
        }
    }

    /// The snake-case name used in JSON and feedback.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Labs => "labs",
            Self::Ecg => "ecg",
            Self::XRay => "x_ray",
            Self::EcgOrXRay => "ecg_or_x_ray",
            Self::AdvancedImaging => "advanced_imaging",
            Self::Ct => "ct",
            Self::Mri => "mri",
            Self::Ultrasound => "ultrasound",
            Self::Angiography => "angiography",
            Self::IvFluids => "iv_fluids",
            Self::ParenteralMedication => "parenteral_medication",
            Self::SpecialtyConsultation => "specialty_consultation",
            Self::SimpleProcedure => "simple_procedure",
            Self::ComplexProcedure => "complex_procedure",
        }
    }
}

impl Resource {
    /// The type this item counts as under `settings`, or `None` for a non-resource.
    #[must_use]
    pub fn resource_type(&self, settings: &EsiSettings) -> Option<ResourceType> {
        let imaging = |own: ResourceType| match settings.ecg_and_xray {
            EcgXrayCounting::Separate => own,
            EcgXrayCounting::OneType => ResourceType::EcgOrXRay,
        };
        let advanced = |own: ResourceType| match settings.advanced_imaging {
            AdvancedImagingCounting::OneType => ResourceType::AdvancedImaging,
            AdvancedImagingCounting::PerModality => own,
        };
        match self {
            Self::Cbc
            | Self::Bmp
            | Self::Cmp
            | Self::Electrolytes
            | Self::Coags
            | Self::Troponin
            | Self::Lipase
            | Self::LiverFunction
            | Self::Lactate
            | Self::BloodGas
            | Self::BloodCulture
            | Self::TypeAndScreen
            | Self::SerumHcg
            | Self::Urinalysis
            | Self::UrineCulture
            | Self::ThroatCulture
            | Self::CsfStudies
            | Self::OtherLab(_) => Some(ResourceType::Labs),
            Self::RapidStrep | Self::RapidViralTest => match settings.rapid_tests {
                RapidTestPolicy::PointOfCare => None,
                RapidTestPolicy::Lab => Some(ResourceType::Labs),
            },
            Self::Ecg => Some(imaging(ResourceType::Ecg)),
            Self::ChestXray
            | Self::AbdominalXray
            | Self::ExtremityXray
            | Self::SpineXray
            | Self::PelvisXray => Some(imaging(ResourceType::XRay)),
            Self::CtHead | Self::CtCervicalSpine | Self::CtChest | Self::CtAbdomenPelvis => {
                Some(advanced(ResourceType::Ct))
            }
            Self::Mri => Some(advanced(ResourceType::Mri)),
            Self::Ultrasound => Some(advanced(ResourceType::Ultrasound)),
            Self::Angiography => Some(advanced(ResourceType::Angiography)),
            Self::IvFluids => Some(ResourceType::IvFluids),
            Self::IvMedication | Self::ImMedication | Self::NebulizedMedication => {
                Some(ResourceType::ParenteralMedication)
            }
            Self::SpecialtyConsultation => Some(ResourceType::SpecialtyConsultation),
            Self::LacerationRepair | Self::UrinaryCatheter | Self::OtherSimpleProcedure(_) => {
                Some(ResourceType::SimpleProcedure)
            }
            Self::ProceduralSedation => Some(ResourceType::ComplexProcedure),
            Self::FingerstickGlucose
            | Self::PocUrineHcg
            | Self::UrineDipstick
            | Self::HistoryAndPhysical
            | Self::PelvicExam
            | Self::SalineLock
            | Self::PoMedication
            | Self::TetanusShot
            | Self::PrescriptionRefill
            | Self::PhoneCallToPcp
            | Self::SimpleWoundCare
            | Self::Crutches
            | Self::Splint
            | Self::Sling => None,
        }
    }
}

/// The resource types a list of items uses, sorted and without duplicates, and their count
/// (a complex procedure counts 2).
#[must_use]
pub(crate) fn count_resources(
    items: &[Resource],
    settings: &EsiSettings,
) -> (usize, Vec<ResourceType>) {
    let mut types: Vec<ResourceType> = items
        .iter()
        .filter_map(|item| item.resource_type(settings))
        .collect();
    types.sort_unstable();
    types.dedup();
    let count = types.iter().map(|t| t.weight()).sum();
    (count, types)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count(items: &[Resource]) -> usize {
        count_resources(items, &EsiSettings::default()).0
    }

    #[test]
    fn several_labs_are_one_type() {
        use Resource::*;
        assert_eq!(count(&[Cbc, Bmp, Coags, Urinalysis, Troponin]), 1);
    }

    #[test]
    fn non_resources_count_zero() {
        use Resource::*;
        assert_eq!(
            count(&[
                HistoryAndPhysical,
                PelvicExam,
                FingerstickGlucose,
                PocUrineHcg,
                UrineDipstick,
                SalineLock,
                PoMedication,
                TetanusShot,
                PrescriptionRefill,
                PhoneCallToPcp,
                SimpleWoundCare,
                Crutches,
                Splint,
                Sling,
                RapidStrep,
            ]),
            0
        );
    }

    #[test]
    fn sedation_counts_two_and_types_are_sorted() {
        use Resource::*;
        let (n, types) = count_resources(
            &[ProceduralSedation, ExtremityXray, ProceduralSedation],
            &EsiSettings::default(),
        );
        assert_eq!(n, 3);
        assert_eq!(
            types,
            vec![ResourceType::XRay, ResourceType::ComplexProcedure]
        );
    }

    #[test]
    fn settings_change_ecg_xray_and_rapid_tests() {
        use Resource::*;
        let settings = EsiSettings {
            ecg_and_xray: EcgXrayCounting::OneType,
            rapid_tests: RapidTestPolicy::Lab,
            ..EsiSettings::default()
        };
        assert_eq!(
            count_resources(&[Ecg, ChestXray], &settings).1,
            vec![ResourceType::EcgOrXRay]
        );
        assert_eq!(count(&[Ecg, ChestXray]), 2);
        assert_eq!(count_resources(&[Ecg, ChestXray], &settings).0, 1);
        assert_eq!(count_resources(&[RapidStrep], &settings).0, 1);
        let per_modality = EsiSettings {
            advanced_imaging: AdvancedImagingCounting::PerModality,
            ..EsiSettings::default()
        };
        assert_eq!(count(&[CtHead, CtCervicalSpine, Ultrasound]), 1);
        assert_eq!(
            count_resources(&[CtHead, CtCervicalSpine, Ultrasound], &per_modality).0,
            2
        );
    }
}
