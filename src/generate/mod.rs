//! Deterministic generation of a synthetic patient and its case from a scenario and a seed.
//!
//! [`generate`] is pure: the same scenario, seed, index and program version give the same
//! [`Case`], byte for byte, on every machine. Each patient has its own random stream derived from
//! (scenario id, seed, index) — see [`rng::patient_seed`] — and draws happen in a fixed order:
//! demographics, encounter, conditions, medications, allergies, vitals, labs, notes. Dates come
//! from the scenario's `as_of` date, never from the clock.

pub mod clinical;
pub mod demographics;
pub mod names;
pub mod rng;
pub mod text;

use chrono::{Days, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta};
use fake::Fake;
use fake::faker::name::en::LastName;
use serde::{Deserialize, Serialize};

use crate::patient::{Encounter, Note, Patient, Setting};
use crate::scenario::schema::{NoteAnchor, Scenario, TaskKind};
use rng::{SimRng, in_pair, one_of};

/// A generated case: the patient and what identifies how it was made.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Case {
    /// Scenario id.
    pub scenario_id: String,
    /// Scenario title.
    pub scenario_title: String,
    /// The task kind.
    pub task_kind: TaskKind,
    /// The scenario seed the case was generated with.
    pub seed: u64,
    /// Patient index under that seed.
    pub index: u32,
    /// The derived per-patient seed.
    pub patient_seed: u64,
    /// The exercise date.
    pub as_of: NaiveDate,
    /// What the learner is asked to do.
    pub instructions: String,
    /// The synthetic patient.
    pub patient: Patient,
    /// What the learner works from (documents, arrivals, timeline).
    pub task: crate::tasks::TaskMaterial,
}

/// Generates patient `index` of `scenario` under `seed`.
pub fn generate(scenario: &Scenario, seed: u64, index: u32) -> Case {
    let patient_seed = rng::patient_seed(&scenario.id, seed, index);
    let mut rng = rng::rng_for(patient_seed);
    let spec = &scenario.patient;
    let as_of = scenario.as_of;

    let demographics = demographics::demographics(&mut rng, spec, as_of);
    let encounters = encounters(&mut rng, scenario);
    let current_start = encounters
        .last()
        .map_or_else(|| as_of.and_time(NaiveTime::MIN), |e| e.start);
    let chosen = clinical::conditions(&mut rng, spec, current_start.date());
    let effects = clinical::Effects::of(spec, &chosen);
    let conditions: Vec<_> = chosen.into_iter().map(|c| c.condition).collect();
    let medications = clinical::medications(&mut rng, spec, &conditions);
    let allergies = clinical::allergies(&mut rng, spec);
    let no_known_allergies = allergies.is_empty();
    let last_vitals_at = latest_vitals_time(&encounters, as_of, spec.vitals.readings);
    let recovering = encounters
        .last()
        .is_some_and(|e| e.setting == Setting::Inpatient && e.end.is_some());
    let vitals = clinical::vitals(
        &mut rng,
        spec,
        demographics.sex,
        &effects,
        last_vitals_at,
        recovering,
    );
    let labs_at = current_start + TimeDelta::minutes(45);
    let labs = clinical::labs(&mut rng, spec, &effects, labs_at);

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
    if let crate::scenario::schema::PatientSource::Synthea(source) = &spec.patient_source
        && let Some(import) = &source.import
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
    let task = crate::tasks::material(scenario, &patient, patient_seed);
    Case {
        scenario_id: scenario.id.clone(),
        scenario_title: scenario.title.clone(),
        task_kind: scenario.task.kind(),
        seed,
        index,
        patient_seed,
        as_of,
        instructions: scenario.task.instructions().to_string(),
        patient,
        task,
    }
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
fn encounters(rng: &mut SimRng, scenario: &Scenario) -> Vec<Encounter> {
    let spec = &scenario.patient.encounter;
    let as_of = scenario.as_of;
    let start_day = as_of
        .checked_sub_days(Days::new(u64::from(in_pair(rng, spec.days_before_as_of))))
        .unwrap_or(as_of);
    let (hour, minute) = match spec.setting {
        Setting::Office => (in_pair(rng, (8, 16)), 15 * in_pair(rng, (0, 3))),
        Setting::Emergency => (in_pair(rng, (0, 23)), in_pair(rng, (0, 59))),
        Setting::Inpatient => (in_pair(rng, (0, 23)), in_pair(rng, (0, 59))),
        Setting::Hospice => (in_pair(rng, (9, 15)), 15 * in_pair(rng, (0, 3))),
    };
    let start =
        start_day.and_time(NaiveTime::from_hms_opt(hour, minute, 0).unwrap_or(NaiveTime::MIN));
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
    for k in (1..=scenario.patient.encounter.prior_visits).rev() {
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
