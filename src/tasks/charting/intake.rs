//! The intake conversation a charting learner works from, generated from the patient's facts
//! with the noise real ones have: fillers, values stated in other units (°F, lb, inches), an
//! allergy remembered in passing, a patient correcting a dose, a home weight that is not the
//! measured one, and the provider's plan stating each medication decision.
//!
//! Deterministic: the random stream is derived from the patient seed mixed with a constant.
//! Invariant: every fact the key holds is stated in the text in a form that converts to it
//! within the rubric's tolerance (temperature to 0.1 °F, height to 0.1 in, weight to 0.1 lb),
//! and the medical assistant reads each medication and allergy back in charting form.

use crate::generate::rng::{SimRng, chance, one_of, rng_for};
use crate::patient::{AllergyType, ConditionStatus, Patient, Severity};
use crate::tasks::charting::screening::ScreeningAnswers;
use crate::tasks::charting::spec::{MedicationAction, MedicationDecision};

/// Mixed into the patient seed so the conversation's stream is independent of generation's.
const STREAM: u64 = 0x1a7a_4e00_c4a7_0001;

const FILLERS: [&str; 6] = ["Um, ", "Uh, ", "Well, ", "So, ", "", ""];

fn filler(rng: &mut SimRng) -> &'static str {
    one_of(rng, &FILLERS).copied().unwrap_or("")
}

/// "lisinopril 20 mg" → the same dose with the number doubled ("40 mg"), for a self-correction.
fn misremembered(dose: &str) -> Option<String> {
    let (number, rest) = dose.split_once(' ')?;
    let n: f64 = number.parse().ok()?;
    Some(format!("{} {rest}", n * 2.0))
}

fn severity_words(severity: Severity, kind: AllergyType, reaction: &str) -> String {
    match (kind, severity) {
        (AllergyType::Intolerance, _) => {
            format!("it gives me {reaction} — not an allergy really, my stomach just can't take it")
        }
        (_, Severity::Mild) => format!("I get a little {reaction}, nothing major"),
        (_, Severity::Moderate) => {
            format!("I broke out in {reaction}, pretty bad, I needed medicine for it")
        }
        (_, Severity::Severe) => format!("I had {reaction} — it was serious, I ended up in the ER"),
    }
}

/// The medical assistant's read-back of an allergy, in charting form.
fn allergy_readback(a: &crate::patient::Allergy) -> String {
    let kind = match a.kind {
        AllergyType::Allergy => "allergy",
        AllergyType::Intolerance => "intolerance",
    };
    format!(
        "MA: Thank you. {}: {}, {}, {kind}.",
        a.allergen,
        a.reaction,
        a.severity.label()
    )
}

/// Generates the intake conversation (and the provider's plan when there is one).
#[must_use]
pub(crate) fn conversation(
    patient: &Patient,
    plan: &[MedicationDecision],
    (screening, head_circumference_cm): (Option<&ScreeningAnswers>, Option<f64>),
    patient_seed: u64,
) -> String {
    let mut rng = rng_for(patient_seed ^ STREAM);
    let child = patient.demographics.age_years < 12;
    let who = if child { "Parent" } else { "Patient" };
    let mut lines: Vec<String> = Vec::new();
    identification(&mut lines, &mut rng, who, patient);
    complaint_and_onset(&mut lines, &mut rng, who, patient);
    let later = allergies(&mut lines, &mut rng, who, patient);
    home_medications(&mut lines, &mut rng, who, patient);
    for a in later {
        lines.push(format!(
            "{who}: Oh — I almost forgot. {} — {}.",
            uppercase_first(&a.allergen),
            severity_words(a.severity, a.kind, &a.reaction)
        ));
        lines.push(allergy_readback(a));
    }
    if let Some(v) = patient.vitals.last() {
        vital_signs(&mut lines, &mut rng, who, child, v);
    }
    if let Some(hc) = head_circumference_cm {
        lines.push(format!(
            "MA: Head circumference {hc:.1} centimeters, measured around the widest part of the head."
        ));
    }
    if let Some(a) = screening {
        let provider = patient
            .current_encounter()
            .map_or("Provider", |e| e.attending.as_str());
        super::screening::dialogue(&mut lines, a, who, provider, patient_seed);
    }
    if let Some(text) = provider_plan(patient, plan) {
        lines.push(text);
    }
    if let Some(action) = screening.and_then(super::screening::risk_action) {
        let provider = patient
            .current_encounter()
            .map_or("Provider", |e| e.attending.as_str());
        lines.push(format!("{provider}: {action}"));
    }
    lines.join("\n")
}

/// Name and date of birth, checked against the chart.
fn identification(lines: &mut Vec<String>, rng: &mut SimRng, who: &str, patient: &Patient) {
    let d = &patient.demographics;
    lines.push(
        "MA: Hi, I'm the medical assistant. Can you tell me the full name and date of birth?"
            .into(),
    );
    lines.push(format!(
        "{who}: {}{} {}, born {}.",
        filler(rng),
        d.given_name,
        d.family_name,
        d.birth_date.format("%B %-d, %Y")
    ));
    lines.push(format!(
        "MA: Thanks — that matches the chart, MRN {}.",
        d.mrn
    ));
}

/// The reason for the visit, the active conditions' symptoms, and since when.
fn complaint_and_onset(lines: &mut Vec<String>, rng: &mut SimRng, who: &str, patient: &Patient) {
    let encounter = patient.current_encounter();
    let reason = encounter.map_or("a visit", |e| e.reason.as_str());
    let active: Vec<&crate::patient::Condition> = patient
        .conditions
        .iter()
        .filter(|c| c.status == ConditionStatus::Active)
        .collect();
    let symptoms: Vec<&str> = active
        .iter()
        .flat_map(|c| c.symptoms.iter().map(String::as_str))
        .collect();
    lines.push("MA: What brings you in today?".into());
    let mut complaint = lead(filler(rng), &format!("{reason}."));
    for s in &symptoms {
        complaint.push_str(&format!(" {}.", uppercase_first(s)));
    }
    lines.push(format!("{who}: {complaint}"));
    let onset = active.iter().filter_map(|c| c.onset).min();
    if let (Some(onset), Some(e)) = (onset, encounter) {
        lines.push("MA: How long has this been going on?".into());
        let days = (e.start.date() - onset).num_days();
        let span = match days {
            i64::MIN..=1 => "since yesterday".to_string(),
            2..=59 => format!("for about {days} days"),
            60..=729 => format!(
                "since about {} — roughly {} months now",
                onset.format("%B %Y"),
                days / 30
            ),
            _ => format!(
                "since about {} — {} years or so",
                onset.format("%B %Y"),
                days / 365
            ),
        };
        lines.push(format!("{who}: {}", lead(filler(rng), &format!("{span}."))));
    }
}

/// The allergy question; returns the allergy remembered only later, if the first one is.
fn allergies<'p>(
    lines: &mut Vec<String>,
    rng: &mut SimRng,
    who: &str,
    patient: &'p Patient,
) -> Vec<&'p crate::patient::Allergy> {
    lines.push("MA: Any allergies to medicines, foods, latex?".into());
    let mut later = Vec::new();
    if patient.allergies.is_empty() {
        lines.push(format!("{who}: No, no allergies that I know of."));
        lines.push("MA: OK — no known allergies.".into());
    } else {
        let passing = chance(rng, 0.6);
        for (i, a) in patient.allergies.iter().enumerate() {
            if passing && i == 0 {
                lines.push(format!("{who}: Hmm... I don't think so."));
                later.push(a);
            } else {
                lines.push(format!(
                    "{who}: {}{} — {}.",
                    filler(rng),
                    a.allergen,
                    severity_words(a.severity, a.kind, &a.reaction)
                ));
                lines.push(allergy_readback(a));
            }
        }
    }
    later
}

/// The home medications, one possibly misremembered and corrected, each read back.
fn home_medications(lines: &mut Vec<String>, rng: &mut SimRng, who: &str, patient: &Patient) {
    lines.push(
        "MA: What do you take at home? Prescriptions, over-the-counter, vitamins, inhalers.".into(),
    );
    if patient.medications.is_empty() {
        lines.push(format!("{who}: Nothing, no medicines."));
    }
    let correct_at = if chance(rng, 0.5) { Some(0) } else { None };
    for (i, m) in patient.medications.iter().enumerate() {
        let wrong = misremembered(&m.dose).filter(|_| correct_at == Some(i));
        match wrong {
            Some(w) => lines.push(format!(
                "{who}: {} {w} — no wait, sorry, it's {}. {}.",
                lead(filler(rng), &format!("the {},", m.name)),
                m.dose,
                uppercase_first(&m.frequency)
            )),
            None => lines.push(format!(
                "{who}: {} {}, {}.",
                lead(filler(rng), &format!("{},", m.name)),
                m.dose,
                m.frequency
            )),
        }
        lines.push(format!(
            "MA: Got it: {} {} {} {}.",
            m.name, m.dose, m.route, m.frequency
        ));
    }
}

/// The measured vital signs, stated in the units a clinic uses, and the pain score.
fn vital_signs(
    lines: &mut Vec<String>,
    rng: &mut SimRng,
    who: &str,
    child: bool,
    v: &crate::patient::VitalSigns,
) {
    let imperial = !child && chance(rng, 0.7);
    let temp = if child {
        format!("{:.1} degrees Celsius", v.temperature_c)
    } else {
        format!("{:.1} degrees Fahrenheit", v.temperature_c * 1.8 + 32.0)
    };
    lines.push(format!(
        "MA: Temperature {temp}, pulse {}, breathing {} a minute, blood pressure {} over {}, oxygen {} percent on {}.",
        v.heart_rate_bpm,
        v.respiratory_rate_per_min,
        v.systolic_mmhg,
        v.diastolic_mmhg,
        v.spo2_percent,
        v.oxygen
    ));
    if !child {
        lines.push(format!(
            "{who}: At home I'm usually around {:.0} pounds.",
            (v.weight_kg * 2.204_62 / 5.0).round() * 5.0 - 5.0
        ));
    }
    if imperial {
        lines.push(format!(
            "MA: On our scale: height {:.1} inches, weight {:.1} pounds.",
            v.height_cm / 2.54,
            v.weight_kg * 2.204_623
        ));
    } else {
        lines.push(format!(
            "MA: On our scale: height {:.1} centimeters, weight {:.1} kilograms.",
            v.height_cm, v.weight_kg
        ));
    }
    if child && !v.pain_scale.contains("FACES") {
        // Observational scales (FLACC, NIPS): the MA scores what is seen, nobody is asked.
        lines.push(format!(
            "MA: Watching face, legs, activity, cry and consolability: pain {} on the {}.",
            v.pain_score, v.pain_scale
        ));
    } else if child {
        lines.push(format!(
            "MA: Can you point to the face that shows how much it hurts? ... Face number {}. Pain {} on the {}.",
            v.pain_score, v.pain_score, v.pain_scale
        ));
    } else {
        lines.push("MA: Any pain right now, zero to ten?".into());
        lines.push(format!(
            "{who}: {}",
            lead(filler(rng), &format!("maybe a {}.", v.pain_score))
        ));
        lines.push(format!(
            "MA: Pain {} on the {}.",
            v.pain_score, v.pain_scale
        ));
    }
}

/// The provider's plan after the exam, one sentence per medication decision on a drug this
/// patient takes (or a new one); `None` when there is none.
fn provider_plan(patient: &Patient, plan: &[MedicationDecision]) -> Option<String> {
    // Decisions on drugs this patient does not take are left out (scenario meds are optional).
    let plan: Vec<&MedicationDecision> = plan
        .iter()
        .filter(|d| {
            d.action == MedicationAction::New
                || patient.medications.iter().any(|m| m.name == d.name)
        })
        .collect();
    if plan.is_empty() {
        return None;
    }
    let encounter = patient.current_encounter();
    let provider = encounter.map_or("Provider", |e| e.attending.as_str());
    let mut text = format!("{provider} (after the exam): ");
    for p in &plan {
        let dose = p.dose.as_deref().unwrap_or_default();
        let freq = p.frequency.as_deref().unwrap_or_default();
        let sentence = match p.action {
            MedicationAction::Continue => format!("Continue the {} — {}.", p.name, p.reason),
            MedicationAction::Stop => format!("Stop the {} — {}.", p.name, p.reason),
            MedicationAction::Change => {
                format!("Change the {} to {} {} — {}.", p.name, dose, freq, p.reason)
            }
            MedicationAction::New => format!(
                "Start {} {} {} {} — {}.",
                p.name,
                dose,
                p.route.as_deref().unwrap_or_default(),
                freq,
                p.reason
            ),
        };
        text.push_str(&sentence.replace("  ", " "));
        text.push(' ');
    }
    text.push_str("Everything else stays the same.");
    Some(text)
}

/// A filler then the sentence, capitalised where the sentence starts.
fn lead(filler: &str, sentence: &str) -> String {
    if filler.is_empty() {
        uppercase_first(sentence)
    } else {
        format!("{filler}{sentence}")
    }
}

fn uppercase_first(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map_or_else(String::new, |c| {
        c.to_uppercase().chain(chars).collect::<String>()
    })
}
