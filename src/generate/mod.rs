//! Deterministic generation of a synthetic patient from a scenario's patient spec and a seed.
//!
//! [`patient`] is pure: the same spec, per-patient seed and program version give the same
//! [`Patient`], byte for byte, on every machine (`crate::case` adds the task material). Each patient has its own random stream derived from
//! (scenario id, seed, index) — see [`rng::patient_seed`] — and draws happen in a fixed order:
//! demographics, encounter, conditions, medications, allergies, vitals, labs, notes. Dates come
//! from the scenario's `as_of` date, never from the clock.

pub mod clinical;
pub mod demographics;
pub mod growth;
pub mod names;
pub mod rng;
pub mod text;

use chrono::{Days, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta};
use fake::Fake;
use fake::faker::name::en::LastName;

use crate::interop::synthea::ImportedPatient;
use crate::patient::spec::{NoteAnchor, PatientSource, PatientSpec};
use crate::patient::{Encounter, Note, Patient, Setting};
use rng::{SimRng, in_pair, one_of};

/// Generates a patient from the `patient:` part of a scenario with its per-patient seed (see
/// [`rng::patient_seed`]), laying the Synthea `bundle` on it when the scenario's patient source
/// is one.
#[must_use]
pub fn patient(
    spec: &PatientSpec,
    as_of: NaiveDate,
    bundle: Option<&ImportedPatient>,
    patient_seed: u64,
) -> Patient {
    patient_from(spec, as_of, bundle, patient_seed, None)
}

/// As [`patient`], with the current encounter starting on `encounter_day` when given (e.g. a
/// hospice admission on the day the election takes effect) instead of the day the scenario's
/// `days_before_as_of` draws.
#[must_use]
pub fn patient_from(
    spec: &PatientSpec,
    as_of: NaiveDate,
    bundle: Option<&ImportedPatient>,
    patient_seed: u64,
    encounter_day: Option<NaiveDate>,
) -> Patient {
    let mut rng = rng::rng_for(patient_seed);

    let demographics = demographics::demographics(&mut rng, spec, as_of);
    let encounters = encounters(&mut rng, spec, as_of, encounter_day);
    let current_start = encounters
        .last()
        .map_or_else(|| as_of.and_time(NaiveTime::MIN), |e| e.start);
    let chosen = clinical::conditions(&mut rng, spec, current_start.date());
    let effects = clinical::Effects::of(spec, &chosen);
    let conditions: Vec<_> = chosen.into_iter().map(|c| c.condition).collect();
    let medication_draws = clinical::medication_draws(&mut rng, spec);
    let allergies = clinical::allergies(&mut rng, spec);
    let no_known_allergies = allergies.is_empty();
    let last_vitals_at = latest_vitals_time(&encounters, as_of, spec.vitals.readings);
    let recovering = encounters
        .last()
        .is_some_and(|e| e.setting == Setting::Inpatient && e.end.is_some());
    let vitals = clinical::vitals(
        &mut rng,
        spec,
        &effects,
        &clinical::VitalsFor {
            sex: demographics.sex,
            birth_date: demographics.birth_date,
            last_at: last_vitals_at,
            arrival: recovering.then(|| current_start + TimeDelta::minutes(10)),
            recovering,
        },
    );
    let labs_at = current_start + TimeDelta::minutes(45);
    let labs = clinical::labs(
        &mut rng,
        spec,
        &effects,
        labs_at,
        clinical::LabsFor {
            sex: demographics.sex,
            age_years: demographics.age_years,
        },
        vitals.last().map(|v| v.height_cm),
    );
    let medications = clinical::select_medications(
        spec,
        &medication_draws,
        &clinical::MedicationContext {
            conditions: &conditions,
            allergies: &allergies,
            sex: demographics.sex,
            age_years: demographics.age_years,
            weight_kg: vitals.last().map(|v| v.weight_kg),
            labs: &labs,
        },
    );

    let mut patient = Patient {
        demographics,
        encounters,
        conditions,
        medications,
        allergies,
        no_known_allergies,
        vitals,
        labs,
        notes: Vec::new(),
        synthetic: true,
    };
    if let PatientSource::Synthea(source) = &spec.patient_source
        && let Some(import) = bundle
    {
        crate::interop::mapping::apply(source, import, &mut patient, as_of);
    }
    let current_end = patient.encounters.last().and_then(|e| e.end);
    let ctx = text::RenderContext {
        patient: &patient,
        as_of,
    };
    let mut notes: Vec<Note> = spec
        .notes
        .iter()
        .map(|n| Note {
            kind: n.kind.clone(),
            author: text::render(&n.author, &ctx),
            written_at: match n.anchor {
                NoteAnchor::EncounterStart => current_start,
                NoteAnchor::EncounterEnd => current_end.unwrap_or(current_start),
                NoteAnchor::AsOf => as_of.and_hms_opt(8, 0, 0).unwrap_or(current_start),
            } + TimeDelta::minutes(i64::from(n.minutes_after)),
            text: text::render(&n.text, &ctx),
        })
        .collect();
    notes.sort_by_key(|n| n.written_at);
    let reason = patient
        .encounters
        .last()
        .map(|e| text::render(&e.reason, &ctx));
    patient.notes = notes;
    if let (Some(reason), Some(current)) = (reason, patient.encounters.last_mut()) {
        current.reason = reason;
    }
    patient
}

/// The time of the last vital-sign reading: shortly after arrival for visits and a hospice
/// admission, two hours before the end of a finished stay, else the morning of the as-of day.
fn latest_vitals_time(encounters: &[Encounter], as_of: NaiveDate, readings: u32) -> NaiveDateTime {
    let Some(current) = encounters.last() else {
        return as_of.and_time(NaiveTime::MIN);
    };
    match current.setting {
        Setting::Office | Setting::Emergency => current.start + TimeDelta::minutes(10),
        // A single hospice reading is the admission visit's; a series runs up to the as-of day.
        Setting::Hospice if readings <= 1 => current.start + TimeDelta::minutes(50),
        Setting::Inpatient | Setting::Hospice => {
            let cap = as_of.and_hms_opt(8, 0, 0).unwrap_or(current.start);
            current
                .end
                .map_or(cap, |end| end - TimeDelta::hours(2))
                .max(current.start + TimeDelta::minutes(10))
        }
    }
}

/// Prior visits (every ~3 months, office) and the current encounter, oldest first.
fn encounters(
    rng: &mut SimRng,
    patient: &PatientSpec,
    as_of: NaiveDate,
    encounter_day: Option<NaiveDate>,
) -> Vec<Encounter> {
    let spec = &patient.encounter;
    let drawn_day = as_of
        .checked_sub_days(Days::new(u64::from(in_pair(rng, spec.days_before_as_of))))
        .unwrap_or(as_of);
    let start_day = encounter_day.unwrap_or(drawn_day);
    let (hour, minute) = match spec.setting {
        Setting::Office => (in_pair(rng, (8, 16)), 15 * in_pair(rng, (0, 3))),
        Setting::Emergency => (in_pair(rng, (0, 23)), in_pair(rng, (0, 59))),
        Setting::Inpatient => (in_pair(rng, (0, 23)), in_pair(rng, (0, 59))),
        Setting::Hospice => (in_pair(rng, (9, 15)), 15 * in_pair(rng, (0, 3))),
    };
    let start =
        start_day.and_time(NaiveTime::from_hms_opt(hour, minute, 0).unwrap_or(NaiveTime::MIN));
    // An ED arrival's first vital signs are taken 10 minutes after it: an arrival drawn in the
    // last minutes of the day is moved back so that they fall on the same day (the draws stay
    // as they are, so every other patient is unchanged).
    let start = match spec.setting {
        Setting::Emergency => start.min(start_day.and_hms_opt(23, 49, 0).unwrap_or(start)),
        Setting::Office | Setting::Inpatient | Setting::Hospice => start,
    };
    let length_days = in_pair(rng, spec.length_days);
    let end = match spec.setting {
        Setting::Office => Some(start + TimeDelta::minutes(30)),
        Setting::Emergency => Some(start + TimeDelta::minutes(i64::from(in_pair(rng, (90, 360))))),
        Setting::Inpatient | Setting::Hospice => {
            let end_day = start_day
                .checked_add_days(Days::new(u64::from(length_days)))
                .unwrap_or(start_day);
            (end_day <= as_of && length_days > 0).then(|| {
                end_day.and_time(
                    NaiveTime::from_hms_opt(in_pair(rng, (10, 15)), 0, 0).unwrap_or(NaiveTime::MIN),
                )
            })
        }
    };
    let attending = clinician(rng);
    let location = match spec.setting {
        Setting::Office => format!("Clinic room {}", in_pair(rng, (1, 12))),
        Setting::Emergency => format!("ED bed {}", in_pair(rng, (1, 30))),
        Setting::Inpatient => {
            let floor = in_pair(rng, (2, 7));
            let wing = one_of(rng, &["East", "West", "North"])
                .copied()
                .unwrap_or("East");
            format!(
                "{floor} {wing} {floor}{:02}-{}",
                in_pair(rng, (1, 40)),
                if in_pair(rng, (0, 1)) == 0 { "A" } else { "B" }
            )
        }
        Setting::Hospice => "Home hospice".to_string(),
    };
    let visit = |rng: &mut SimRng| format!("V{}", rng::digits(rng, 9));
    let mut out = Vec::new();
    for k in (1..=spec.prior_visits).rev() {
        let day = start_day
            .checked_sub_days(Days::new(u64::from(k * 91 + in_pair(rng, (0, 14)))))
            .unwrap_or(start_day);
        let t = NaiveTime::from_hms_opt(in_pair(rng, (8, 16)), 15 * in_pair(rng, (0, 3)), 0)
            .unwrap_or(NaiveTime::MIN);
        out.push(Encounter {
            id: visit(rng),
            setting: Setting::Office,
            start: day.and_time(t),
            end: Some(day.and_time(t) + TimeDelta::minutes(30)),
            reason: "Routine follow-up".to_string(),
            attending: attending.clone(),
            location: format!("Clinic room {}", in_pair(rng, (1, 12))),
        });
    }
    out.push(Encounter {
        id: visit(rng),
        setting: spec.setting,
        start,
        end,
        reason: spec.reason.clone(),
        attending,
        location,
    });
    out
}

/// A synthetic attending, e.g. "Dr. Laura Okafor, MD".
fn clinician(rng: &mut SimRng) -> String {
    let female = rng::chance(rng, 0.5);
    let list = if female {
        names::FEMALE_GIVEN
    } else {
        names::MALE_GIVEN
    };
    let given = one_of(rng, list).copied().unwrap_or("Alex");
    let family: String = LastName().fake_with_rng(rng);
    let credential = if rng::chance(rng, 0.8) { "MD" } else { "DO" };
    format!("Dr. {given} {family}, {credential}")
}
