//! The structured ED presentation an ESI key is computed from, as scenario files and
//! `ehr-sim key triage FILE` write it (RON).
//!
//! Invariants: every struct rejects unknown fields (a typo fails loudly); every field but
//! `age` and `chief_complaint` has a default, so a minimal presentation is short; optional
//! values may be written bare (`heart_rate_bpm: 120`) because [`Presentation::from_ron`] turns on
//! RON's `implicit_some`. [`Presentation::from_ron`] also range-checks the numbers, so the ESI
//! engine can trust a presentation it is given.

use serde::{Deserialize, Serialize};

use super::resources::Resource;
use super::settings::EsiSettings;

/// One patient as the triage nurse meets them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Presentation {
    /// Age in completed days, months or years.
    pub age: Age,
    /// Sex recorded at registration.
    #[serde(default)]
    pub sex: Sex,
    /// Pregnancy status (v5 uses it for the pregnant/postpartum blood-pressure rule).
    #[serde(default)]
    pub pregnancy: Pregnancy,
    /// Chief complaint, in the patient's words.
    pub chief_complaint: String,
    /// Triage vital signs; any may be missing.
    #[serde(default)]
    pub vitals: Vitals,
    /// Pain score, if assessed.
    #[serde(default)]
    pub pain: Option<Pain>,
    /// Mental status now.
    #[serde(default)]
    pub mental_status: MentalStatus,
    /// Whether the mental status is the patient's baseline.
    #[serde(default)]
    pub mental_status_baseline: Baseline,
    /// How the patient arrived (never decides the level; kept for the chart and feedback).
    #[serde(default)]
    pub arrival: Arrival,
    /// Life-saving interventions the patient needs now (decision point A).
    #[serde(default)]
    pub life_saving_interventions: Vec<LifeSavingIntervention>,
    /// Conditions that mean a life-saving intervention is needed now (decision point A).
    #[serde(default)]
    pub critical_findings: Vec<CriticalFinding>,
    /// High-risk features (decision point B).
    #[serde(default)]
    pub high_risk: Vec<HighRisk>,
    /// Severe psychological distress (decision point B).
    #[serde(default)]
    pub severe_distress: Vec<Distress>,
    /// Resources the ED is predicted to use (decision point C); listed item by item.
    #[serde(default)]
    pub resources: Vec<Resource>,
    /// Fever reported at home (counts as fever even when the triage temperature is normal).
    #[serde(default)]
    pub fever_history: bool,
    /// Obvious source of a child's fever (e.g. "ear pulling, red bulging ear drum"); `None` means
    /// no obvious source.
    #[serde(default)]
    pub fever_source: Option<String>,
    /// A child's immunization status.
    #[serde(default)]
    pub immunizations: Immunizations,
    /// The scenario's judgment at decision point D when a vital sign is in the danger zone:
    /// `None` (default) or `Some(true)` expects up-triage to ESI 2 (ESI 3 defensible);
    /// `Some(false)` expects ESI 3 (ESI 2 defensible), e.g. v5 ch.6 example four, an adult with
    /// HR 102 and otherwise normal vital signs.
    #[serde(default)]
    pub danger_zone_uptriage: Option<bool>,
    /// Levels the scenario accepts as equally right as the engine's level (full credit), each
    /// with the handbook's reason, e.g. ESI 1 beside ESI 2 for hypotension with signs of
    /// hypoperfusion (v5 ch.3). Unlike "consider" levels, which earn partial credit.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub also_accept: Vec<AlsoAccept>,
    /// Version and counting conventions.
    #[serde(default)]
    pub settings: EsiSettings,
}

/// A level accepted as equally right as the engine's, with the reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlsoAccept {
    /// The level, 1–5.
    pub level: u8,
    /// Why it is as defensible as the engine's level (shown in the key's reasons).
    pub why: String,
}

/// Age in completed units. Band rules (see `docs/presentation_and_timeline.md`): a month is 30
/// days for `Days`, a year is 365 days for `Days` and 12 months for `Months`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Age {
    /// Completed days (use for infants under 3 months).
    Days(u32),
    /// Completed months.
    Months(u32),
    /// Completed years.
    Years(u32),
}

impl Age {
    /// Completed days; `Months(m)` counts 30 days a month, `Years(y)` 365 days a year.
    #[must_use]
    pub fn days(self) -> u32 {
        match self {
            Self::Days(d) => d,
            Self::Months(m) => m.saturating_mul(30),
            Self::Years(y) => y.saturating_mul(365),
        }
    }

    /// Completed months; `Days(d)` counts 30 days a month.
    #[must_use]
    pub fn months(self) -> u32 {
        match self {
            Self::Days(d) => d / 30,
            Self::Months(m) => m,
            Self::Years(y) => y.saturating_mul(12),
        }
    }

    /// Completed years; `Days(d)` counts 365 days a year, `Months(m)` 12 months a year.
    #[must_use]
    pub fn years(self) -> u32 {
        match self {
            Self::Days(d) => d / 365,
            Self::Months(m) => m / 12,
            Self::Years(y) => y,
        }
    }
}

/// Sex recorded at registration.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Sex {
    /// Female.
    Female,
    /// Male.
    Male,
    /// Other or not recorded.
    #[default]
    Unknown,
}

/// Pregnancy status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Pregnancy {
    /// Not pregnant, or not applicable.
    #[default]
    NotPregnant,
    /// Pregnant.
    Pregnant,
    /// Postpartum (up to 6 weeks after delivery).
    Postpartum,
}

/// Triage vital signs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Vitals {
    /// Heart rate, beats per minute.
    #[serde(default)]
    pub heart_rate_bpm: Option<u16>,
    /// Respiratory rate, breaths per minute.
    #[serde(default)]
    pub respiratory_rate_per_min: Option<u16>,
    /// Oxygen saturation, percent.
    #[serde(default)]
    pub spo2_percent: Option<u8>,
    /// True when the SpO2 is this patient's usual value (chronic lung disease, home oxygen).
    #[serde(default)]
    pub spo2_is_patient_norm: bool,
    /// Temperature, degrees Celsius.
    #[serde(default)]
    pub temperature_c: Option<f64>,
    /// Systolic blood pressure, mmHg.
    #[serde(default)]
    pub systolic_bp_mmhg: Option<u16>,
    /// Diastolic blood pressure, mmHg.
    #[serde(default)]
    pub diastolic_bp_mmhg: Option<u16>,
}

/// A pain score with the tool used and what causes the pain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pain {
    /// Score on a 0–10 scale.
    pub score: u8,
    /// The tool the score comes from.
    #[serde(default)]
    pub scale: PainScale,
    /// What the pain comes from (v5 separates systemic from isolated orthopedic pain).
    #[serde(default)]
    pub cause: PainCause,
}

/// A 0–10 pain tool.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum PainScale {
    /// Numeric rating scale (self-report).
    #[default]
    Numeric,
    /// Wong-Baker FACES (children about 3 years and older).
    WongBakerFaces,
    /// FLACC (nonverbal children).
    Flacc,
    /// PAINAD (advanced dementia).
    Painad,
}

/// Where severe pain comes from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum PainCause {
    /// Not stated: pain ≥ 7 is "consider ESI 2".
    #[default]
    Unspecified,
    /// A systemic disruption (renal colic, cancer, sickle cell crisis, …): pain ≥ 7 → ESI 2.
    Systemic,
    /// An isolated orthopedic injury without neurovascular compromise: treated at triage, the
    /// level comes from resources.
    IsolatedOrthopedic,
}

/// Mental status (AVPU plus the usual descriptive words).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum MentalStatus {
    /// Alert and appropriate.
    #[default]
    Alert,
    /// Confused.
    Confused,
    /// Disoriented.
    Disoriented,
    /// Lethargic.
    Lethargic,
    /// Responds to voice only (V on AVPU).
    RespondsToVoice,
    /// Responds to pain only (P on AVPU): unresponsive for ESI.
    RespondsToPain,
    /// No response (U on AVPU), or acutely nonverbal and not following commands.
    Unresponsive,
}

/// Whether the mental status is the patient's usual state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Baseline {
    /// Nobody knows the baseline: ESI assumes the change is new.
    #[default]
    Unknown,
    /// This is a change from the known baseline.
    Changed,
    /// This is the patient's known baseline (e.g. long-standing dementia).
    SameAsBaseline,
}

/// Arrival facts. They never decide the level (ESI v5 ch.3).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Arrival {
    /// Mode of arrival.
    #[serde(default)]
    pub mode: ArrivalMode,
    /// Free text (who came with the patient, what happened on the way).
    #[serde(default)]
    pub details: String,
}

/// Mode of arrival.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum ArrivalMode {
    /// Walked in or was driven.
    #[default]
    WalkIn,
    /// Ground ambulance.
    Ambulance,
    /// Helicopter.
    Helicopter,
    /// Police.
    Police,
    /// Transfer from another facility.
    Transfer,
}

/// Interventions that make a patient ESI 1 (v5 Table 3-1). Diagnostics, IV access, oxygen,
/// monitor and ECG are not among them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum LifeSavingIntervention {
    /// Bag-valve-mask or other assisted ventilation.
    AssistedVentilation,
    /// Intubation.
    Intubation,
    /// Surgical airway.
    SurgicalAirway,
    /// Emergent non-invasive positive-pressure ventilation (CPAP/BiPAP).
    EmergentNippv,
    /// Defibrillation.
    Defibrillation,
    /// Emergent cardioversion.
    EmergentCardioversion,
    /// External pacing.
    ExternalPacing,
    /// Chest needle decompression.
    NeedleDecompression,
    /// Pericardiocentesis.
    Pericardiocentesis,
    /// Open thoracotomy.
    OpenThoracotomy,
    /// Significant IV fluid resuscitation.
    FluidResuscitation,
    /// Blood administration.
    BloodAdministration,
    /// Control of major external hemorrhage.
    HemorrhageControl,
    /// Epinephrine (including IM for anaphylaxis).
    Epinephrine,
    /// Naloxone.
    Naloxone,
    /// Dopamine or another vasopressor.
    Vasopressor,
    /// Adenosine.
    Adenosine,
    /// Atropine.
    Atropine,
    /// IV dextrose for hypoglycemia.
    Dextrose,
    /// Another immediate life-saving intervention, named.
    Other(String),
}

/// Clinical conditions that mean a life-saving intervention is needed now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CriticalFinding {
    /// Already intubated.
    Intubated,
    /// Apneic.
    Apneic,
    /// Pulseless.
    Pulseless,
    /// Severe respiratory distress.
    SevereRespiratoryDistress,
    /// Profound hypotension / hypotension with signs of hypoperfusion.
    HypotensionWithHypoperfusion,
    /// Symptomatic hypoglycemia needing dextrose now.
    Hypoglycemia,
    /// Severe bradycardia or tachycardia with signs of hypoperfusion.
    UnstableArrhythmia,
    /// Anaphylaxis.
    Anaphylaxis,
    /// Flaccid infant.
    FlaccidInfant,
    /// Cardiac arrest or imminent arrest.
    ImminentArrest,
}

/// High-risk situations (decision point B), v5 ch.4 and v4 2012 Table 6-3.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum HighRisk {
    /// Chest pain suspicious for acute coronary syndrome, stable.
    ChestPainSuspectedAcs,
    /// Signs of stroke.
    StrokeSigns,
    /// Possible ectopic pregnancy, hemodynamically stable.
    PossibleEctopicPregnancy,
    /// Fever in an immunocompromised patient (chemotherapy, transplant, …).
    ImmunocompromisedWithFever,
    /// Actively suicidal or homicidal, psychotic or violent.
    DangerToSelfOrOthers,
    /// Needle stick in a health-care worker (time-sensitive prophylaxis).
    NeedleStickHealthcareWorker,
    /// Sexual assault.
    SexualAssault,
    /// Increasing respiratory effort.
    IncreasingRespiratoryEffort,
    /// Postpartum hemorrhage / heavy postpartum bleeding.
    PostpartumHemorrhage,
    /// Pregnant with chest pain, shortness of breath, abdominal pain or headache.
    PregnantWithWarningSymptoms,
    /// Possible testicular torsion.
    TesticularTorsionConcern,
    /// Elderly patient with urinary infection and back pain or rigors (urosepsis).
    PossibleUrosepsis,
    /// Severe flank pain.
    SevereFlankPain,
    /// High-risk mechanism: fall ≥ 20 ft, ejection, extrication.
    HighRiskMechanism,
    /// Penetrating trauma of head, neck, chest or abdomen without instability.
    PenetratingTorsoTrauma,
    /// Extremity injury with neurovascular compromise.
    NeurovascularCompromise,
    /// Toxic ingestion.
    ToxicIngestion,
    /// Epistaxis on anticoagulants or with coagulopathy.
    EpistaxisWithCoagulopathy,
    /// Stridor or inability to handle secretions.
    StridorOrDrooling,
    /// Esophageal button battery.
    ButtonBattery,
    /// Hemophilia with a possible bleed.
    HemophiliaPossibleBleed,
    /// Rule out meningitis.
    PossibleMeningitis,
    /// Prolonged post-ictal period.
    ProlongedPostictal,
    /// Moderate to severe croup.
    ModerateSevereCroup,
    /// Moderate to severe lower-airway obstruction (bronchiolitis, asthma) with tachypnea,
    /// tachycardia, retractions, grunting or altered mental status.
    ModerateSevereLowerAirwayObstruction,
    /// Another high-risk situation, named.
    Other(String),
}

/// Severe psychological distress that counts at decision point B.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Distress {
    /// Sexual or domestic violence.
    SexualOrDomesticViolence,
    /// Acute grief.
    AcuteGrief,
    /// Behavioural outburst or combativeness.
    Combative,
    /// Prenatal loss.
    PrenatalLoss,
    /// Other severe distress, named.
    Other(String),
}

/// A child's immunization status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Immunizations {
    /// Up to date for age.
    UpToDate,
    /// Incomplete for age.
    Incomplete,
    /// Not recorded: a febrile child is treated as if immunizations were incomplete.
    #[default]
    NotRecorded,
}

/// Why a presentation file could not be used.
pub type PresentationError = crate::ron_input::RonInputError;

impl Presentation {
    /// Parses a presentation from RON text (with `implicit_some`) and range-checks it.
    ///
    /// # Errors
    /// [`PresentationError::Syntax`] with line and column when the text does not parse;
    /// [`PresentationError::Invalid`] listing every out-of-range value.
    pub fn from_ron(text: &str) -> Result<Self, PresentationError> {
        crate::ron_input::from_ron_checked(text, Self::problems)
    }

    /// Every out-of-range value, each naming its field and the allowed range.
    #[must_use]
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        let mut check = |ok: bool, message: &str| {
            if !ok {
                problems.push(message.to_owned());
            }
        };
        let v = &self.vitals;
        check(
            v.heart_rate_bpm.is_none_or(|x| x <= 350),
            "vitals.heart_rate_bpm must be 0–350",
        );
        check(
            v.respiratory_rate_per_min.is_none_or(|x| x <= 150),
            "vitals.respiratory_rate_per_min must be 0–150",
        );
        check(
            v.spo2_percent.is_none_or(|x| x <= 100),
            "vitals.spo2_percent must be 0–100",
        );
        check(
            v.temperature_c
                .is_none_or(|t| t.is_finite() && (20.0..=45.0).contains(&t)),
            "vitals.temperature_c must be 20.0–45.0 °C (write Celsius, not Fahrenheit)",
        );
        check(
            v.systolic_bp_mmhg.is_none_or(|x| x <= 350),
            "vitals.systolic_bp_mmhg must be 0–350",
        );
        check(
            v.diastolic_bp_mmhg.is_none_or(|x| x <= 250),
            "vitals.diastolic_bp_mmhg must be 0–250",
        );
        check(
            self.pain.as_ref().is_none_or(|p| p.score <= 10),
            "pain.score must be 0–10",
        );
        check(self.age.years() <= 130, "age must be at most 130 years");
        check(
            !(self.sex == Sex::Male && self.pregnancy != Pregnancy::NotPregnant),
            "pregnancy must be NotPregnant when sex is Male",
        );
        check(
            !self.chief_complaint.trim().is_empty(),
            "chief_complaint must not be empty",
        );
        check(
            self.also_accept.iter().all(|a| (1..=5).contains(&a.level)),
            "also_accept levels must be 1–5",
        );
        problems
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minimal_presentation_parses_with_defaults() {
        let p =
            Presentation::from_ron(r#"(age: Years(30), chief_complaint: "sore throat")"#).unwrap();
        assert_eq!(p.settings.version, super::super::settings::EsiVersion::V5);
        assert_eq!(p.mental_status, MentalStatus::Alert);
        assert_eq!(p.mental_status_baseline, Baseline::Unknown);
        assert!(p.resources.is_empty());
    }

    #[test]
    fn bare_optional_values_are_accepted() {
        let p = Presentation::from_ron(
            r#"(age: Days(10), chief_complaint: "fever", vitals: (temperature_c: 38.4, heart_rate_bpm: 170))"#,
        )
        .unwrap();
        assert_eq!(p.vitals.heart_rate_bpm, Some(170));
        assert_eq!(p.vitals.temperature_c, Some(38.4));
    }

    #[test]
    fn unknown_field_is_a_syntax_error_with_position() {
        let err =
            Presentation::from_ron("(age: Years(30),\n chief_complaint: \"x\",\n hart_rate: 3)")
                .unwrap_err();
        match err {
            PresentationError::Syntax { line, .. } => assert_eq!(line, 3),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn out_of_range_values_are_all_reported() {
        let err = Presentation::from_ron(
            r#"(age: Years(30), chief_complaint: "x", vitals: (spo2_percent: 101, temperature_c: 101.2), pain: (score: 11))"#,
        )
        .unwrap_err();
        assert_eq!(
            err,
            PresentationError::Invalid(vec![
                "vitals.spo2_percent must be 0–100".into(),
                "vitals.temperature_c must be 20.0–45.0 °C (write Celsius, not Fahrenheit)".into(),
                "pain.score must be 0–10".into(),
            ])
        );
    }

    #[test]
    fn age_units_convert_consistently() {
        assert_eq!(Age::Days(89).months(), 2);
        assert_eq!(Age::Days(90).months(), 3);
        assert_eq!(Age::Months(36).years(), 3);
        assert_eq!(Age::Months(35).years(), 2);
        assert_eq!(Age::Years(2).months(), 24);
        assert_eq!(Age::Months(3).days(), 90);
    }
}
