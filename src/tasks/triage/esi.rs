//! The Emergency Severity Index engine: a [`Presentation`] in, an [`EsiResult`] out.
//!
//! Decision points are taken in order A → B → C → D and the first that decides wins:
//! A (needs an immediate life-saving intervention, or unresponsive) → ESI 1; B (high risk, new
//! confusion/lethargy/disorientation, severe pain or distress, infant fever/hypothermia) → ESI 2;
//! C (resource types: 0 → ESI 5, 1 → ESI 4, ≥ 2 → D); D (danger-zone vitals → consider ESI 2,
//! else ESI 3; older-child fever rule → consider ESI 3). Where the handbook says "consider", the
//! engine returns the expected level as `level` and lists every defensible level in
//! `acceptable_levels` (always containing `level`, sorted), so a grader can give partial credit.
//! Resources are always counted, whatever the level, so feedback can show them. The engine is a
//! pure function; it never panics on a presentation that passed [`Presentation::from_ron`].

use serde::Serialize;

use super::fever::{FeverRule, pediatric_fever};
use super::presentation::{
    Baseline, CriticalFinding, HighRisk, LifeSavingIntervention, MentalStatus, PainCause,
    Pregnancy, Presentation,
};
use super::resources::{ResourceType, count_resources};
use super::settings::EsiVersion;
use super::vitals::{danger_zone_vitals, limits_for};

/// The decision point that set the level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum DecisionPoint {
    /// Immediate life-saving intervention → ESI 1.
    A,
    /// High risk / new confusion / severe pain or distress → ESI 2.
    B,
    /// Resource count → ESI 4 or 5.
    C,
    /// Vital signs (and the older-child fever rule) with ≥ 2 resources → ESI 2 or 3.
    D,
}

impl DecisionPoint {
    /// "A", "B", "C" or "D".
    #[must_use]
    pub(crate) fn letter(self) -> &'static str {
        match self {
            Self::A => "A",
            Self::B => "B",
            Self::C => "C",
            Self::D => "D",
        }
    }
}

/// The answer key for one presentation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EsiResult {
    /// Expected ESI level, 1–5.
    pub level: u8,
    /// The decision point that set `level`.
    pub decision_point: DecisionPoint,
    /// Resources counted (by type; a complex procedure counts 2).
    pub resources: usize,
    /// Resource types counted, sorted.
    pub resource_types: Vec<ResourceType>,
    /// Every defensible level (sorted; contains `level`). More than one only where the
    /// handbook says "consider" or the presentation accepts another level.
    pub acceptable_levels: Vec<u8>,
    /// The levels that earn full credit (sorted; contains `level`): the expected level and
    /// the levels the presentation accepts as equally right (`also_accept`). The other
    /// acceptable levels are "consider" alternatives, defensible for partial credit only.
    pub full_credit_levels: Vec<u8>,
    /// Why, in decision-point order, as feedback sentences.
    pub reasons: Vec<String>,
    /// The ESI version applied.
    pub version: EsiVersion,
}

/// Computes the ESI level of a presentation under its own settings.
#[must_use]
pub fn assess(p: &Presentation) -> EsiResult {
    let version = p.settings.version;
    let (resources, resource_types) = count_resources(&p.resources, &p.settings);
    let result = |level, decision_point, mut acceptable: Vec<u8>, mut reasons: Vec<String>| {
        let mut full = vec![level];
        for also in p.also_accept.iter().filter(|a| a.level != level) {
            full.push(also.level);
            reasons.push(format!(
                "ESI {} accepted as well as ESI {level}: {}",
                also.level, also.why
            ));
        }
        full.sort_unstable();
        full.dedup();
        acceptable.extend(&full);
        acceptable.sort_unstable();
        acceptable.dedup();
        EsiResult {
            level,
            decision_point,
            resources,
            resource_types: resource_types.clone(),
            acceptable_levels: acceptable,
            full_credit_levels: full,
            reasons,
            version,
        }
    };

    let a = decision_a(p);
    if !a.is_empty() {
        return result(1, DecisionPoint::A, Vec::new(), a);
    }

    let b = decision_b(p);
    let (c_level, c_point, c_acceptable, c_reasons) = decision_c_d(p, resources, &resource_types);
    if !b.firm.is_empty() {
        // The reason for the level first (the model note quotes it), then what did not count.
        let mut reasons = b.firm;
        reasons.extend(b.consider);
        reasons.extend(b.notes);
        return result(2, DecisionPoint::B, Vec::new(), reasons);
    }
    let mut reasons = b.notes;
    if !b.consider.is_empty() {
        reasons.extend(b.consider);
        reasons.extend(c_reasons);
        reasons.push(format!(
            "ESI 2 expected; ESI {c_level} (the level from resources and vital signs) is defensible for partial credit"
        ));
        let mut acceptable = c_acceptable;
        acceptable.push(c_level);
        return result(2, DecisionPoint::B, acceptable, reasons);
    }
    reasons.extend(c_reasons);
    result(c_level, c_point, c_acceptable, reasons)
}

/// Decision point A: every reason the patient needs an immediate life-saving intervention.
fn decision_a(p: &Presentation) -> Vec<String> {
    let mut reasons: Vec<String> = p
        .life_saving_interventions
        .iter()
        .map(|lsi| {
            format!(
                "needs an immediate life-saving intervention: {}",
                lsi_name(lsi)
            )
        })
        .collect();
    reasons.extend(p.critical_findings.iter().map(|f| {
        format!(
            "{}: requires an immediate life-saving intervention",
            critical_name(*f)
        )
    }));
    if matches!(
        p.mental_status,
        MentalStatus::RespondsToPain | MentalStatus::Unresponsive
    ) {
        reasons
            .push("unresponsive (responds only to pain or not at all on AVPU): ESI 1".to_owned());
    }
    if let Some(spo2) = p.vitals.spo2_percent.filter(|&s| s < 90) {
        match p.settings.version {
            EsiVersion::V4 => reasons.push(format!("SpO2 {spo2}% < 90% (v4 decision point A)")),
            EsiVersion::V5 => {
                let rr_high = p.vitals.respiratory_rate_per_min.is_some_and(|rr| {
                    rr > limits_for(p.age, EsiVersion::V5).respiratory_rate_above_per_min
                });
                let effort = p.high_risk.iter().any(|h| {
                    matches!(
                        h,
                        HighRisk::IncreasingRespiratoryEffort
                            | HighRisk::StridorOrDrooling
                            | HighRisk::ModerateSevereCroup
                            | HighRisk::ModerateSevereLowerAirwayObstruction
                    )
                });
                if !p.vitals.spo2_is_patient_norm && (rr_high || effort) {
                    reasons.push(format!(
                        "SpO2 {spo2}% < 90%, not the patient's norm, with signs of respiratory compromise: ESI 1 (v5)"
                    ));
                }
            }
        }
    }
    reasons
}

/// Decision point B, split into firm reasons (ESI 2), "consider ESI 2" reasons and notes that
/// explain why something did not up-triage.
struct DecisionB {
    firm: Vec<String>,
    consider: Vec<String>,
    notes: Vec<String>,
}

fn decision_b(p: &Presentation) -> DecisionB {
    let mut b = DecisionB {
        firm: p
            .high_risk
            .iter()
            .map(|h| format!("high-risk situation: {}", high_risk_name(h)))
            .collect(),
        consider: Vec::new(),
        notes: Vec::new(),
    };
    if p.settings.version == EsiVersion::V5
        && p.pregnancy != Pregnancy::NotPregnant
        && let Some(sbp) = p
            .vitals
            .systolic_bp_mmhg
            .filter(|&sbp| !(90..=150).contains(&sbp))
    {
        b.firm.push(format!(
            "pregnant or postpartum with SBP {sbp} mmHg (< 90 or > 150): high risk (v5)"
        ));
    }
    let altered = match p.mental_status {
        MentalStatus::Confused => Some("confusion"),
        MentalStatus::Disoriented => Some("disorientation"),
        MentalStatus::Lethargic | MentalStatus::RespondsToVoice => Some("lethargy"),
        MentalStatus::Alert | MentalStatus::RespondsToPain | MentalStatus::Unresponsive => None,
    };
    if let Some(what) = altered {
        match p.mental_status_baseline {
            Baseline::Unknown => b.firm.push(format!(
                "{what} with unknown baseline: assume it is new → ESI 2"
            )),
            Baseline::Changed => b.firm.push(format!("new {what} (change from baseline)")),
            Baseline::SameAsBaseline => b.notes.push(format!(
                "{what} is the patient's known baseline: not new, does not up-triage"
            )),
        }
    }
    b.firm.extend(
        p.severe_distress
            .iter()
            .map(|d| format!("severe psychological distress: {}", distress_name(d))),
    );
    if let Some(pain) = p.pain.as_ref().filter(|pain| pain.score >= 7) {
        let score = pain.score;
        match pain.cause {
            PainCause::Systemic => b.firm.push(format!(
                "severe pain {score}/10 from a systemic cause: ESI 2"
            )),
            PainCause::Unspecified => b.consider.push(format!(
                "severe pain {score}/10 (≥ 7): consider ESI 2"
            )),
            // With neurovascular compromise the injury is high risk (above), not "isolated".
            PainCause::IsolatedOrthopedic
                if p.high_risk.contains(&HighRisk::NeurovascularCompromise) => {}
            PainCause::IsolatedOrthopedic => b.notes.push(format!(
                "pain {score}/10 from an isolated orthopedic injury without neurovascular compromise: treat at triage (ice, elevation, analgesia); the level comes from resources"
            )),
        }
    }
    match pediatric_fever(p) {
        FeverRule::AtLeastTwo(reason) => b.firm.push(reason),
        FeverRule::ConsiderTwo(reason) => b.consider.push(reason),
        FeverRule::NotApplicable | FeverRule::ConsiderThree { .. } => {}
    }
    b
}

/// Decision points C and D: the level from resources, vital signs and the older-child fever
/// rule, with its acceptable alternatives and reasons.
fn decision_c_d(
    p: &Presentation,
    resources: usize,
    types: &[ResourceType],
) -> (u8, DecisionPoint, Vec<u8>, Vec<String>) {
    let names: Vec<&str> = types.iter().map(|t| t.name()).collect();
    let mut reasons = vec![match resources {
        0 => "no resources predicted: ESI 5".to_owned(),
        1 => format!("one resource type ({}): ESI 4", names.join(", ")),
        n => format!(
            "{n} resources ({}): go to decision point D",
            names.join(", ")
        ),
    }];
    let danger = danger_zone_vitals(&p.vitals, p.age, p.settings.version);
    let mut acceptable = Vec::new();
    let (mut level, point) = if resources >= 2 {
        if danger.is_empty() {
            reasons.push("vital signs not in the danger zone: ESI 3".to_owned());
            (3, DecisionPoint::D)
        } else {
            reasons.extend(danger);
            if p.danger_zone_uptriage == Some(false) {
                reasons.push(
                    "danger-zone vital signs, judged not to warrant up-triage in context: ESI 3 (ESI 2 defensible)"
                        .to_owned(),
                );
                acceptable.push(2);
                (3, DecisionPoint::D)
            } else {
                reasons.push(
                    "danger-zone vital signs: strongly consider ESI 2 (expected 2; ESI 3 defensible)"
                        .to_owned(),
                );
                acceptable.push(3);
                (2, DecisionPoint::D)
            }
        }
    } else {
        if !danger.is_empty() {
            reasons.push(format!(
                "{} (decision point D applies only with ≥ 2 resources)",
                danger.join("; ")
            ));
        }
        (if resources == 0 { 5 } else { 4 }, DecisionPoint::C)
    };
    if let FeverRule::ConsiderThree {
        reason,
        two_also_acceptable,
    } = pediatric_fever(p)
    {
        reasons.push(reason);
        if two_also_acceptable {
            acceptable.push(2);
        }
        if level > 3 {
            acceptable.push(level);
            reasons.push(format!(
                "pediatric fever rule: ESI 3 expected; ESI {level} (from resources) is defensible"
            ));
            level = 3;
            return (level, DecisionPoint::D, acceptable, reasons);
        }
    }
    (level, point, acceptable, reasons)
}

fn lsi_name(lsi: &LifeSavingIntervention) -> String {
    use LifeSavingIntervention as L;
    match lsi {
        L::AssistedVentilation => "assisted ventilation".into(),
        L::Intubation => "intubation".into(),
        L::SurgicalAirway => "surgical airway".into(),
        L::EmergentNippv => "emergent non-invasive ventilation".into(),
        L::Defibrillation => "defibrillation".into(),
        L::EmergentCardioversion => "emergent cardioversion".into(),
        L::ExternalPacing => "external pacing".into(),
        L::NeedleDecompression => "chest needle decompression".into(),
        L::Pericardiocentesis => "pericardiocentesis".into(),
        L::OpenThoracotomy => "open thoracotomy".into(),
        L::FluidResuscitation => "significant IV fluid resuscitation".into(),
        L::BloodAdministration => "blood administration".into(),
        L::HemorrhageControl => "control of major external hemorrhage".into(),
        L::Epinephrine => "epinephrine".into(),
        L::Naloxone => "naloxone".into(),
        L::Vasopressor => "vasopressor".into(),
        L::Adenosine => "adenosine".into(),
        L::Atropine => "atropine".into(),
        L::Dextrose => "IV dextrose".into(),
        L::Other(text) => text.clone(),
    }
}

fn critical_name(f: CriticalFinding) -> &'static str {
    use CriticalFinding as C;
    match f {
        C::Intubated => "intubated",
        C::Apneic => "apneic",
        C::Pulseless => "pulseless",
        C::SevereRespiratoryDistress => "severe respiratory distress",
        C::HypotensionWithHypoperfusion => "hypotension with signs of hypoperfusion",
        C::Hypoglycemia => "symptomatic hypoglycemia",
        C::UnstableArrhythmia => "severe bradycardia or tachycardia with hypoperfusion",
        C::Anaphylaxis => "anaphylaxis",
        C::FlaccidInfant => "flaccid infant",
        C::ImminentArrest => "cardiac arrest or imminent arrest",
    }
}

fn high_risk_name(h: &HighRisk) -> String {
    use HighRisk as H;
    match h {
        H::ChestPainSuspectedAcs => "chest pain suspicious for acute coronary syndrome".into(),
        H::StrokeSigns => "signs of stroke".into(),
        H::PossibleEctopicPregnancy => "possible ectopic pregnancy".into(),
        H::ImmunocompromisedWithFever => "fever in an immunocompromised patient".into(),
        H::DangerToSelfOrOthers => "suicidal, homicidal, psychotic or violent".into(),
        H::NeedleStickHealthcareWorker => {
            "needle stick in a health-care worker (time-sensitive prophylaxis)".into()
        }
        H::SexualAssault => "sexual assault".into(),
        H::IncreasingRespiratoryEffort => "increasing respiratory effort".into(),
        H::PostpartumHemorrhage => "postpartum hemorrhage".into(),
        H::PregnantWithWarningSymptoms => {
            "pregnant with chest pain, shortness of breath, abdominal pain or headache".into()
        }
        H::TesticularTorsionConcern => "possible testicular torsion".into(),
        H::PossibleUrosepsis => "possible urosepsis in an elderly patient".into(),
        H::SevereFlankPain => "severe flank pain".into(),
        H::HighRiskMechanism => "high-risk mechanism of injury".into(),
        H::PenetratingTorsoTrauma => "penetrating trauma of head, neck, chest or abdomen".into(),
        H::NeurovascularCompromise => "extremity injury with neurovascular compromise".into(),
        H::ToxicIngestion => "toxic ingestion".into(),
        H::EpistaxisWithCoagulopathy => "epistaxis with anticoagulation or coagulopathy".into(),
        H::StridorOrDrooling => "stridor or inability to handle secretions".into(),
        H::ButtonBattery => "esophageal button battery".into(),
        H::HemophiliaPossibleBleed => "hemophilia with a possible bleed".into(),
        H::PossibleMeningitis => "possible meningitis".into(),
        H::ProlongedPostictal => "prolonged post-ictal period".into(),
        H::ModerateSevereCroup => "moderate to severe croup".into(),
        H::ModerateSevereLowerAirwayObstruction => {
            "moderate to severe lower-airway obstruction".into()
        }
        H::Other(text) => text.clone(),
    }
}

fn distress_name(d: &super::presentation::Distress) -> String {
    use super::presentation::Distress as D;
    match d {
        D::SexualOrDomesticViolence => "sexual or domestic violence".into(),
        D::AcuteGrief => "acute grief".into(),
        D::Combative => "behavioural outburst or combativeness".into(),
        D::PrenatalLoss => "prenatal loss".into(),
        D::Other(text) => text.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(ron: &str) -> EsiResult {
        assess(&Presentation::from_ron(ron).unwrap())
    }

    #[test]
    fn sore_throat_with_rapid_strep_is_five_by_default() {
        let r = key(
            r#"(age: Years(25), chief_complaint: "sore throat", resources: [RapidStrep, PoMedication])"#,
        );
        assert_eq!(
            (r.level, r.decision_point, r.resources),
            (5, DecisionPoint::C, 0)
        );
    }

    #[test]
    fn baseline_confusion_does_not_up_triage() {
        let r = key(
            r#"(age: Years(88), chief_complaint: "cough", mental_status: Confused, mental_status_baseline: SameAsBaseline, resources: [ChestXray])"#,
        );
        assert_eq!(r.level, 4);
        assert_eq!(
            r.reasons[0],
            "confusion is the patient's known baseline: not new, does not up-triage"
        );
    }
}
