//! Laying a Synthea patient onto a generated case (pure; called from `generate`).
//!
//! The scenario still generates everything it always does (MRN, payer, emergency contact, the
//! current encounter, its conditions, vitals, labs and notes), in the same random order, so a
//! seed gives the same case. Then [`apply`] replaces or adds what the bundle knows:
//!
//! - **Dates**: every bundle date (birth date included) moves by one whole number of weeks, so
//!   the bundle's last encounter falls 28–34 days before the current encounter. Ages at each
//!   event and weekdays are kept; nothing lands after the as-of date.
//! - **Demographics**: name, sex, birth date, address, phone and language from the bundle.
//! - **Encounters**: the bundle's encounters (oldest first) replace the generated prior visits;
//!   the scenario's current encounter stays last.
//! - **Conditions**: after the scenario's own, every bundle condition with its display text and
//!   status (active → Active, else Resolved; codes listed in the source's `resolve` → Resolved), coded with the scenario's ICD-10-CM mapping for its
//!   SNOMED code when there is one, followed by the SNOMED code itself.
//! - **Medications**: active medication requests (stopped ones are history, left out). When
//!   the scenario lists a medication whose name begins the bundle's (e.g. `hydrochlorothiazide`
//!   for "Hydrochlorothiazide 25 MG"), the scenario's entry stands for it with the dose, route
//!   and frequency Synthea does not record; otherwise the chart says "not recorded".
//! - **Allergies**: active allergies; "No Known Allergies" only when none remain.
//! - **Vitals**: the bundle's latest height (LOINC 8302-2) and weight (29463-7) replace the
//!   generated ones in the current readings, so BMI follows the real body measures. Past blood
//!   pressures, pain scores and temperatures stay out: a reading in the chart needs every vital
//!   sign, and Synthea rarely records heart rate, respiratory rate or SpO2.
//! - **Labs**: the bundle's most recent lab draw follows the scenario's labs (no reference
//!   range: Synthea gives none).

use std::collections::BTreeMap;

use chrono::{Days, NaiveDate, NaiveDateTime, TimeDelta};

use super::synthea::{ImportedMedication, ImportedPatient, ImportedValue};
use crate::patient::spec::SyntheaSource;
use crate::patient::{
    Allergy, Code, CodeSystem, Condition, ConditionStatus, Encounter, LabResult, Medication,
    Patient, Severity, age_in_years, round1,
};

/// The `template` (and `group`) of conditions that came from a bundle.
pub(crate) const IMPORTED_TEMPLATE: &str = "synthea";
/// The fact holding an imported condition's (shifted) abatement date, `YYYY-MM-DD`.
pub(crate) const RESOLVED_ON_FACT: &str = "resolved_on";

/// Days the bundle's dates move by so that its last encounter falls 28–34 days before
/// `current_start` (a multiple of 7; never positive past that point).
pub(crate) fn shift_days(import: &ImportedPatient, current_start: NaiveDate) -> i64 {
    let last = import
        .encounters
        .iter()
        .map(|e| e.start.date())
        .chain(import.conditions.iter().filter_map(|c| c.onset))
        .max();
    let Some(last) = last else {
        return 0;
    };
    let target = current_start - TimeDelta::days(28);
    let days = (target - last).num_days();
    days.div_euclid(7) * 7
}

fn shift_date(d: NaiveDate, days: i64) -> NaiveDate {
    if days >= 0 {
        d.checked_add_days(Days::new(days.unsigned_abs()))
    } else {
        d.checked_sub_days(Days::new(days.unsigned_abs()))
    }
    .unwrap_or(d)
}

fn shift_time(t: NaiveDateTime, days: i64) -> NaiveDateTime {
    t.checked_add_signed(TimeDelta::days(days)).unwrap_or(t)
}

/// Lays `import` onto `patient` (see the module documentation): `source` gives the SNOMED CT →
/// ICD-10-CM map and the conditions to chart as resolved; `as_of` is the exercise date.
pub fn apply(
    source: &SyntheaSource,
    import: &ImportedPatient,
    patient: &mut Patient,
    as_of: NaiveDate,
) {
    let condition_map = &source.condition_map;
    let current_start = patient
        .current_encounter()
        .map_or(as_of, |e| e.start.date());
    let shift = shift_days(import, current_start);

    let d = &mut patient.demographics;
    d.given_name.clone_from(&import.given_name);
    d.family_name.clone_from(&import.family_name);
    d.sex = import.sex;
    d.birth_date = shift_date(import.birth_date, shift);
    d.age_years = age_in_years(d.birth_date, as_of);
    if let Some(a) = &import.address {
        d.address = a.clone();
    }
    if let Some(p) = &import.phone {
        d.phone.clone_from(p);
    }
    if let Some(l) = &import.language {
        d.language.clone_from(l);
        d.interpreter_needed = !l.to_ascii_lowercase().starts_with("english");
    }

    let current = patient.encounters.pop();
    let fallback_attending = current
        .as_ref()
        .map(|c| c.attending.clone())
        .unwrap_or_default();
    patient.encounters = import
        .encounters
        .iter()
        .map(|e| Encounter {
            id: format!(
                "S{}",
                e.id.chars()
                    .filter(char::is_ascii_alphanumeric)
                    .take(9)
                    .collect::<String>()
                    .to_uppercase()
            ),
            setting: e.setting,
            start: shift_time(e.start, shift),
            end: e.end.map(|t| shift_time(t, shift)),
            reason: e.kind.clone(),
            attending: e
                .practitioner
                .clone()
                .unwrap_or_else(|| fallback_attending.clone()),
            location: e
                .provider
                .clone()
                .unwrap_or_else(|| e.setting.label().to_string()),
        })
        .collect();
    patient.encounters.extend(current);

    for c in &import.conditions {
        let mut codes = Vec::new();
        if let Some(mapped) = c.snomed.as_ref().and_then(|s| condition_map.get(s)) {
            codes.push(mapped.clone());
        }
        if let Some(s) = &c.snomed {
            codes.push(Code {
                system: CodeSystem::Snomed,
                code: s.clone(),
                display: c.display.clone(),
            });
        }
        let mut facts = BTreeMap::new();
        facts.insert("source".to_string(), "Synthea".to_string());
        if let Some(abated) = c.abated {
            facts.insert(
                RESOLVED_ON_FACT.to_string(),
                shift_date(abated, shift).to_string(),
            );
        }
        patient.conditions.push(Condition {
            template: IMPORTED_TEMPLATE.to_string(),
            group: IMPORTED_TEMPLATE.to_string(),
            display: c.display.clone(),
            codes,
            facts,
            symptoms: Vec::new(),
            status: if c.active
                && !c
                    .snomed
                    .as_ref()
                    .is_some_and(|s| source.resolve.contains(s))
            {
                ConditionStatus::Active
            } else {
                ConditionStatus::Resolved
            },
            onset: c.onset.map(|o| shift_date(o, shift)),
        });
    }

    for m in import.medications.iter().filter(|m| m.active) {
        let display = m.display.to_lowercase();
        let completed = patient.medications.iter().any(|g| {
            let name = g.name.to_lowercase();
            !name.is_empty() && display.starts_with(&name)
        });
        if !completed {
            patient.medications.push(medication(m));
        }
    }

    for a in import.allergies.iter().filter(|a| a.active) {
        patient.allergies.push(Allergy {
            allergen: a.display.clone(),
            category: a.category,
            kind: a.kind,
            reaction: a
                .reaction
                .clone()
                .unwrap_or_else(|| "not recorded".to_string()),
            severity: a.severity.unwrap_or(Severity::Mild),
            criticality: a.criticality,
        });
    }
    patient.no_known_allergies = patient.allergies.is_empty();

    vitals(import, patient);
    labs(import, patient, shift);
}

/// A medication as the chart lists it: the RxNorm name as Synthea writes it, the dose form
/// count when the bundle gives one, the route read from the dose form, and "not recorded" for
/// what Synthea leaves out (the learner reconciles it with the patient).
fn medication(m: &ImportedMedication) -> Medication {
    let has = |word: &str| m.display.contains(word);
    let route = if has("Oral") || has("Chewable") || has("Tablet") || has("Capsule") {
        "PO"
    } else if has("Inhal") {
        "inhaled"
    } else if has("Injector") || has("Injectable") || has("Injection") {
        "injection"
    } else if has("Topical") {
        "topical"
    } else {
        "route not recorded"
    };
    let form = if has("Tablet") {
        "tablet"
    } else if has("Capsule") {
        "capsule"
    } else if has("Inhal") {
        "puff"
    } else {
        "dose"
    };
    let dose = m.dose_quantity.map_or_else(
        || "dose not recorded".to_string(),
        |n| {
            let plural = if (n - 1.0).abs() < f64::EPSILON {
                ""
            } else {
                "s"
            };
            format!("{n} {form}{plural}")
        },
    );
    Medication {
        name: m.display.clone(),
        dose,
        route: route.to_string(),
        frequency: m
            .frequency
            .clone()
            .unwrap_or_else(|| "frequency not recorded".to_string()),
        indication: m.reason.clone().unwrap_or_default(),
    }
}

fn latest<'a>(values: &'a [ImportedValue], codes: &[&str]) -> Option<&'a ImportedValue> {
    values
        .iter()
        .filter(|v| codes.contains(&v.loinc.as_str()))
        .max_by_key(|v| v.at)
}

fn vitals(import: &ImportedPatient, patient: &mut Patient) {
    let height = latest(&import.vitals, &["8302-2"]).map(|v| round1(v.value));
    let weight = latest(&import.vitals, &["29463-7"]).map(|v| round1(v.value));
    for v in &mut patient.vitals {
        if let Some(h) = height {
            v.height_cm = h;
        }
        if let Some(w) = weight {
            v.weight_kg = w;
        }
    }
}

fn labs(import: &ImportedPatient, patient: &mut Patient, shift: i64) {
    let Some(last_at) = import.labs.iter().map(|v| v.at).max() else {
        return;
    };
    for l in import.labs.iter().filter(|l| l.at == last_at) {
        patient.labs.push(LabResult {
            name: l.display.clone(),
            loinc: Some(l.loinc.clone()),
            value: (l.value * 100.0).round() / 100.0,
            unit: l.unit.clone(),
            reference_low: None,
            reference_high: None,
            collected_at: shift_time(l.at, shift),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::interop::synthea::ImportedEncounter;
    use crate::patient::{Setting, Sex};

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    #[test]
    fn shift_is_whole_weeks_and_lands_four_to_five_weeks_before() {
        let import = ImportedPatient {
            source: "x".into(),
            sha256: String::new(),
            given_name: "A".into(),
            family_name: "B".into(),
            sex: Sex::Male,
            birth_date: day(1990, 1, 1),
            address: None,
            phone: None,
            language: None,
            encounters: vec![ImportedEncounter {
                id: "e".into(),
                setting: Setting::Office,
                kind: "check up".into(),
                start: day(2020, 10, 26).and_hms_opt(10, 0, 0).unwrap_or_default(),
                end: None,
                practitioner: None,
                provider: None,
            }],
            conditions: Vec::new(),
            medications: Vec::new(),
            allergies: Vec::new(),
            vitals: Vec::new(),
            labs: Vec::new(),
            counts: BTreeMap::new(),
            skipped: Vec::new(),
        };
        let current = day(2026, 3, 4);
        let shift = shift_days(&import, current);
        assert_eq!(shift % 7, 0);
        let moved = shift_date(day(2020, 10, 26), shift);
        let gap = (current - moved).num_days();
        assert!((28..35).contains(&gap), "gap {gap}");
        assert_eq!(moved, day(2026, 2, 2));
    }
}
