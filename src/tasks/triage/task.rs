//! The triage learner task: a simulated shift of arrivals ([`super::shift`]), the learner's
//! submission and the key the ESI engine derives.
//!
//! The learner sees each arrival as a triage nurse would (chief complaint in the patient's
//! words, vital signs, observations, arrival time; [`TriageMaterial::printout`]), and submits per
//! arrival the ESI level, the triage vital signs and a short note, the level after a change
//! while waiting (re-triage), the order they triaged the arrivals in, and the waiting queue.
//!
//! Key rules: `esi_level` is [`super::assess`] on the arrival's presentation — one level, or the
//! list of defensible levels where the handbook says "consider"; `retriage_level` is `null`
//! (not applicable) without a change, else the engine's level for the changed presentation, but
//! never less urgent than the first level (ESI may only go up before the provider sees the
//! patient, docs/domain/triage-esi.md §1.4); `triage_order` simulates the desk: each triage
//! takes the shift's `triage_minutes`, and of the patients waiting at the desk the most acute (then the earliest)
//! is triaged next — time-to-triage of the sickest is graded as this order; `queue` lists every
//! arrival by final level, then arrival time. Arrivals in a submission are matched to the key by
//! id (`a1`, `a2`, …), whatever order they are written in. An answer submitted before the
//! shift ended carries `submitted_at` (the shift clock then): it is graded against the key of
//! the shift as it stood ([`TriageMaterial::as_of`]), so arrivals and changes after it are not
//! graded and the report says so ("after you submitted").

use std::collections::BTreeMap;

use chrono::{NaiveDateTime, TimeDelta};
use serde::{Deserialize, Deserializer, Serialize};

use super::esi::EsiResult;
use super::shift::{self, ShiftArrival};
use serde_json::Value;

use super::spec::TriageSpec;
use crate::grading::{FieldSchema, FieldType, RubricKind};
use crate::patient::{Patient, Setting};
use crate::tasks::{SpecProblem, Task, TaskContext};

/// The triage task kind.
#[derive(Debug, Clone, Copy)]
pub struct Triage;

impl Task for Triage {
    type Spec = TriageSpec;
    type Material = TriageMaterial;
    type Submission = TriageSubmission;

    const LABEL: &'static str = "Triage";
    const FOLDER: &'static str = "triage";
    const RUBRIC_KIND: RubricKind = RubricKind::Triage;

    fn instructions(spec: &TriageSpec) -> &str {
        &spec.instructions
    }

    fn material(
        ctx: &TaskContext<'_>,
        spec: &TriageSpec,
        patient: &Patient,
        patient_seed: u64,
    ) -> TriageMaterial {
        material(ctx, spec, patient, patient_seed)
    }

    fn key(_patient: &Patient, material: &TriageMaterial) -> Value {
        key(material)
    }

    fn blank(material: &TriageMaterial) -> Value {
        blank(material)
    }

    fn key_for(_patient: &Patient, material: &TriageMaterial, answer: &Value) -> Value {
        match submitted_at(answer) {
            Some(at) => key(&material.as_of(at)),
            None => key(material),
        }
    }

    fn not_yet_happened(material: &TriageMaterial, answer: &Value) -> Vec<(String, String)> {
        submitted_at(answer).map_or_else(Vec::new, |at| material.after(at))
    }

    fn schema(_kind: RubricKind) -> FieldSchema {
        schema()
    }

    fn problems(ctx: &TaskContext<'_>, spec: &TriageSpec) -> Vec<SpecProblem> {
        let mut out: Vec<SpecProblem> = crate::tasks::encounter_must_be(
            ctx,
            Setting::Emergency,
            "triage happens in the emergency department",
        )
        .into_iter()
        .collect();
        if spec.shift.cases.is_empty() {
            out.push(crate::tasks::nothing_to_work_on());
        } else {
            out.extend(shift::problems(&spec.shift, ctx.patient));
        }
        out
    }
}

/// What the triage nurse works from: the shift's arrivals.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TriageMaterial {
    /// "v4" or "v5".
    pub esi_version: String,
    /// Minutes one triage takes at the desk.
    pub triage_minutes: u32,
    /// The arrivals, in arrival order.
    pub arrivals: Vec<ShiftArrival>,
}

/// Builds the material: the arrivals of the scenario's shift on the as-of date.
pub fn material(
    ctx: &TaskContext<'_>,
    spec: &TriageSpec,
    _patient: &Patient,
    patient_seed: u64,
) -> TriageMaterial {
    TriageMaterial {
        esi_version: format!("{:?}", spec.shift.settings.version).to_ascii_lowercase(),
        triage_minutes: spec.shift.triage_minutes,
        arrivals: shift::arrivals(
            ctx.scenario_id,
            ctx.patient,
            &spec.shift,
            ctx.as_of,
            patient_seed,
        ),
    }
}

/// The shift clock at submission, when the answer says it (see
/// [`TriageSubmission::submitted_at`]).
fn submitted_at(answer: &Value) -> Option<NaiveDateTime> {
    answer
        .get("submitted_at")
        .and_then(Value::as_str)
        .and_then(|t| t.parse::<NaiveDateTime>().ok())
}

impl TriageMaterial {
    /// The shift as it stood at `at`: the arrivals who had come by then, without the changes
    /// that had not happened yet. Its key grades a shift submitted at `at`.
    #[must_use]
    pub fn as_of(&self, at: NaiveDateTime) -> TriageMaterial {
        TriageMaterial {
            esi_version: self.esi_version.clone(),
            triage_minutes: self.triage_minutes,
            arrivals: self
                .arrivals
                .iter()
                .filter(|a| a.arrived_at <= at)
                .map(|a| ShiftArrival {
                    change: a.change.clone().filter(|c| c.at <= at),
                    ..a.clone()
                })
                .collect(),
        }
    }

    /// What happens after `at`, as (answer field path prefix, why): each later arrival, and each
    /// later change of a patient who had arrived.
    #[must_use]
    pub fn after(&self, at: NaiveDateTime) -> Vec<(String, String)> {
        let submitted = at.format("%H:%M");
        let mut out = Vec::new();
        for (i, a) in self.arrivals.iter().enumerate() {
            if a.arrived_at > at {
                out.push((
                    format!("arrivals[{i}]"),
                    format!(
                        "{} arrives at {}, after you submitted at {submitted}",
                        a.id,
                        a.arrived_at.format("%H:%M")
                    ),
                ));
            } else if let Some(c) = a.change.as_ref().filter(|c| c.at > at) {
                out.push((
                    format!("arrivals[{i}].retriage_level"),
                    format!(
                        "{} comes back to the desk at {}, after you submitted at {submitted}",
                        a.id,
                        c.at.format("%H:%M")
                    ),
                ));
            }
        }
        out
    }

    /// How many arrivals and changes are still to come at `at`.
    #[must_use]
    pub fn still_to_come(&self, at: NaiveDateTime) -> (usize, usize) {
        let arrivals = self.arrivals.iter().filter(|a| a.arrived_at > at).count();
        let changes = self
            .arrivals
            .iter()
            .filter(|a| a.change.as_ref().is_some_and(|c| c.at > at))
            .count();
        (arrivals, changes)
    }

    /// The shift as the triage nurse meets it: per arrival the time, who, the complaint in their
    /// words, observations and triage vital signs; changes while waiting at their time. No ESI
    /// facts or levels.
    #[must_use]
    pub fn printout(&self) -> String {
        let mut events: Vec<(NaiveDateTime, String)> = Vec::new();
        for a in &self.arrivals {
            let v = &a.vitals;
            let mut text = format!(
                "{} ARRIVAL {} — {} ({} {}, DOB {}, MRN {}), {}\n  Says: \"{}\"\n",
                a.arrived_at.format("%H:%M"),
                a.id,
                a.name,
                a.age_text,
                a.sex,
                a.birth_date,
                a.mrn,
                arrival_words(a),
                a.presentation.chief_complaint
            );
            if !a.observations.is_empty() {
                text.push_str(&format!("  You see: {}\n", a.observations.join("; ")));
            }
            text.push_str(&format!("  Triage vitals: {}\n", vitals_line(v)));
            text.push_str(&format!(
                "  Medications: {}. Allergies: {}.\n",
                list_or(&a.medications, "none"),
                list_or(&a.allergies, "no known allergies")
            ));
            events.push((a.arrived_at, text));
            if let Some(ch) = &a.change {
                let mut text = format!(
                    "{} WAITING ROOM — {} ({}) comes back to the desk: \"{}\"\n",
                    ch.at.format("%H:%M"),
                    a.id,
                    a.name,
                    ch.says
                );
                if !ch.observations.is_empty() {
                    text.push_str(&format!("  You see: {}\n", ch.observations.join("; ")));
                }
                text.push_str(&format!("  Repeat vitals: {}\n", vitals_line(&ch.vitals)));
                events.push((ch.at, text));
            }
        }
        events.sort_by_key(|(at, _)| *at);
        let mut out = format!(
            "TRIAGE SHIFT — ESI {} — {} arrivals; one triage takes {} minutes at the desk.\n\n",
            self.esi_version,
            self.arrivals.len(),
            self.triage_minutes
        );
        for (_, text) in events {
            out.push_str(&text);
            out.push('\n');
        }
        out
    }
}

fn arrival_words(a: &ShiftArrival) -> String {
    let mode = match a.presentation.arrival.mode {
        super::ArrivalMode::WalkIn => "walk-in",
        super::ArrivalMode::Ambulance => "ambulance",
        super::ArrivalMode::Helicopter => "helicopter",
        super::ArrivalMode::Police => "police",
        super::ArrivalMode::Transfer => "transfer",
    };
    let details = &a.presentation.arrival.details;
    if details.is_empty() {
        format!("arrived by {mode}")
    } else {
        format!("arrived by {mode}, {details}")
    }
}

fn vitals_line(v: &crate::patient::VitalSigns) -> String {
    format!(
        "T {:.1} °C, HR {} /min, RR {} /min, BP {}/{} mmHg, SpO2 {} % on {}, pain {} ({})",
        v.temperature_c,
        v.heart_rate_bpm,
        v.respiratory_rate_per_min,
        v.systolic_mmhg,
        v.diastolic_mmhg,
        v.spo2_percent,
        v.oxygen,
        v.pain_score,
        v.pain_scale
    )
}

fn list_or(items: &[String], empty: &str) -> String {
    if items.is_empty() {
        empty.to_string()
    } else {
        items.join(", ")
    }
}

/// An ESI level: one number, or (in keys) the levels that earn full credit, the expected one
/// first, and the "consider" levels that are defensible for partial credit.
///
/// Keys list several full-credit levels where the handbook accepts either (the rubric's
/// Ordinal gives each full credit) and, where the handbook says "consider", the expected level
/// with the defensible alternatives (`{"accept": [2], "partial": [3]}`: the Ordinal gives the
/// partial levels its `defensible_credit`). A learner answers one level: reading an answer
/// file, a list or a graded key is taken as its first full-credit level, so a key printed by
/// `ehr-sim key show` grades as the expected answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Level {
    /// One level, 1–5.
    One(u8),
    /// Any of these levels, the expected one first (keys only).
    AnyOf(Vec<u8>),
    /// Full-credit levels (the expected one first) and defensible ones (keys only).
    Graded {
        /// Full credit, the expected level first.
        accept: Vec<u8>,
        /// Defensible for partial credit.
        partial: Vec<u8>,
    },
}

impl Level {
    /// The key's level: `full` earn full credit (the expected level first), the other
    /// `acceptable` levels partial credit.
    fn of(acceptable: &[u8], full: &[u8], expected: u8) -> Self {
        let mut accept = vec![expected];
        accept.extend(full.iter().copied().filter(|l| *l != expected));
        let partial: Vec<u8> = acceptable
            .iter()
            .copied()
            .filter(|l| !accept.contains(l))
            .collect();
        match (accept.len(), partial.is_empty()) {
            (1, true) => Self::One(expected),
            (_, true) => Self::AnyOf(accept),
            (_, false) => Self::Graded { accept, partial },
        }
    }
}

impl<'de> Deserialize<'de> for Level {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            One(u8),
            Many(Vec<u8>),
            Graded {
                accept: Vec<u8>,
                #[serde(default)]
                #[allow(dead_code, reason = "a learner's answer is the first accepted level")]
                partial: Vec<u8>,
            },
        }
        let level = |l: u8| {
            if (1..=5).contains(&l) {
                Ok(Self::One(l))
            } else {
                Err(serde::de::Error::custom(format!(
                    "ESI level {l} does not exist: give one level, 1 (most urgent) to 5"
                )))
            }
        };
        match Raw::deserialize(d)? {
            Raw::One(l) => level(l),
            Raw::Many(list) | Raw::Graded { accept: list, .. } => {
                list.first().map(|l| level(*l)).unwrap_or_else(|| {
                    Err(serde::de::Error::custom(
                        "an ESI level list is empty: give one level, 1 to 5",
                    ))
                })
            }
        }
    }
}

/// Triage vital signs as documented.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TriageVitals {
    /// Temperature, °C.
    #[serde(default)]
    pub temperature_c: Option<f64>,
    /// Heart rate, /min.
    #[serde(default)]
    pub heart_rate: Option<f64>,
    /// Respiratory rate, /min.
    #[serde(default)]
    pub respiratory_rate: Option<f64>,
    /// Systolic pressure, mmHg.
    #[serde(default)]
    pub systolic: Option<f64>,
    /// Diastolic pressure, mmHg.
    #[serde(default)]
    pub diastolic: Option<f64>,
    /// SpO2, %.
    #[serde(default)]
    pub spo2: Option<f64>,
    /// Pain score on the scale shown.
    #[serde(default)]
    pub pain: Option<f64>,
}

/// The learner's triage of one arrival.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArrivalAnswer {
    /// The arrival id (`a1`, `a2`, … as in the template).
    #[serde(default)]
    pub id: Option<String>,
    /// ESI level 1–5 at first triage.
    #[serde(default)]
    pub esi_level: Option<Level>,
    /// Triage vital signs.
    #[serde(default)]
    pub vitals: TriageVitals,
    /// Short triage note.
    #[serde(default)]
    pub note: Option<String>,
    /// The level after re-triage (only for an arrival whose condition changed while waiting).
    #[serde(default)]
    pub retriage_level: Option<Level>,
}

/// A triage submission (and key).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TriageSubmission {
    /// One entry per arrival, matched by id.
    #[serde(default, deserialize_with = "arrivals_by_id")]
    pub arrivals: Vec<ArrivalAnswer>,
    /// Arrival ids in the order they were triaged at the desk.
    #[serde(default)]
    pub triage_order: Vec<String>,
    /// Arrival ids in the order they should be taken from the waiting queue (most urgent first).
    #[serde(default)]
    pub queue: Vec<String>,
    /// The shift clock when the answer was submitted (`2026-03-05T19:15:00`), when it was
    /// submitted before the shift ended: arrivals and changes after it are not graded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub submitted_at: Option<NaiveDateTime>,
}

/// Reads the arrivals and puts entry `aN` at position N−1 (gaps become empty entries), so a
/// submission is graded by arrival id whatever order it lists them in.
fn arrivals_by_id<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<ArrivalAnswer>, D::Error> {
    use serde::de::Error;
    let given = Vec::<ArrivalAnswer>::deserialize(d)?;
    let mut by_position: BTreeMap<usize, ArrivalAnswer> = BTreeMap::new();
    for (i, answer) in given.into_iter().enumerate() {
        let position = match answer.id.as_deref() {
            None => i,
            Some(id) => id
                .trim()
                .to_ascii_lowercase()
                .strip_prefix('a')
                .and_then(|n| n.parse::<usize>().ok())
                .filter(|n| (1..=100).contains(n))
                .map(|n| n - 1)
                .ok_or_else(|| {
                    D::Error::custom(format!(
                        "arrival id `{id}` is not one of a1, a2, …: keep the ids the template gives"
                    ))
                })?,
        };
        if by_position.insert(position, answer).is_some() {
            return Err(D::Error::custom(format!(
                "arrival a{} is listed twice",
                position + 1
            )));
        }
    }
    let len = by_position.keys().next_back().map_or(0, |last| last + 1);
    let mut out = vec![ArrivalAnswer::default(); len];
    for (position, answer) in by_position {
        if let Some(slot) = out.get_mut(position) {
            *slot = answer;
        }
    }
    Ok(out)
}

/// The engine's result after a change, the key's level(s) and the expected level.
type Retriage = (EsiResult, Level, u8);

/// The engine's result for each arrival, and after its change.
fn assessments(m: &TriageMaterial) -> Vec<(EsiResult, Option<Retriage>)> {
    m.arrivals
        .iter()
        .map(|a| {
            let first = super::assess(&a.presentation);
            let again = a.change.as_ref().map(|ch| {
                let new = super::assess(&ch.presentation);
                // ESI may only go up (more urgent) before the provider sees the patient.
                if new.level < first.level {
                    let within = |levels: &[u8]| -> Vec<u8> {
                        levels
                            .iter()
                            .copied()
                            .filter(|l| *l <= first.level)
                            .collect()
                    };
                    let level = Level::of(
                        &within(&new.acceptable_levels),
                        &within(&new.full_credit_levels),
                        new.level,
                    );
                    (new.clone(), level, new.level)
                } else {
                    (new, Level::One(first.level), first.level)
                }
            });
            (first, again)
        })
        .collect()
}

/// The desk simulation: who is triaged when (see the module docs).
fn triage_order(m: &TriageMaterial, levels: &[u8]) -> Vec<String> {
    let mut waiting: Vec<usize> = Vec::new();
    let mut next = 0usize;
    let mut clock = m.arrivals.first().map(|a| a.arrived_at);
    let mut out = Vec::new();
    let step = TimeDelta::minutes(i64::from(m.triage_minutes));
    while out.len() < m.arrivals.len() {
        let Some(now) = clock else { break };
        while m.arrivals.get(next).is_some_and(|a| a.arrived_at <= now) {
            waiting.push(next);
            next += 1;
        }
        let best = waiting
            .iter()
            .enumerate()
            .min_by_key(|(_, i)| (levels.get(**i).copied().unwrap_or(5), **i))
            .map(|(pos, i)| (pos, *i));
        match best {
            Some((pos, i)) => {
                waiting.remove(pos);
                if let Some(a) = m.arrivals.get(i) {
                    out.push(a.id.clone());
                }
                clock = Some(now + step);
            }
            None => clock = m.arrivals.get(next).map(|a| a.arrived_at.max(now)),
        }
    }
    out
}

fn model_note(a: &ShiftArrival, r: &EsiResult) -> String {
    let v = &a.vitals;
    let resources = if r.resource_types.is_empty() {
        "none".to_string()
    } else {
        r.resource_types
            .iter()
            .map(|t| t.name())
            .collect::<Vec<_>>()
            .join(", ")
    };
    format!(
        "Chief complaint: \"{}\". {} {}, {}. {}Vitals T {:.1} °C, HR {}, RR {}, BP {}/{}, SpO2 {} %, pain {}/10. ESI {} (decision point {}): {}. Resources predicted: {} ({}).",
        a.presentation.chief_complaint,
        a.age_text,
        a.sex,
        arrival_words(a),
        if a.observations.is_empty() {
            String::new()
        } else {
            format!("Observed: {}. ", a.observations.join("; "))
        },
        v.temperature_c,
        v.heart_rate_bpm,
        v.respiratory_rate_per_min,
        v.systolic_mmhg,
        v.diastolic_mmhg,
        v.spo2_percent,
        v.pain_score,
        r.level,
        r.decision_point.letter(),
        deciding_reason(r),
        r.resources,
        resources
    )
}

/// The reason that set the level, for the note: the first reason, except where the pediatric
/// fever rule raised a resource level (the first reason then names the resource level).
fn deciding_reason(r: &EsiResult) -> String {
    let raised = r
        .reasons
        .iter()
        .position(|x| x.starts_with("pediatric fever rule"));
    let pair = raised.and_then(|i| Some((r.reasons.get(i.checked_sub(1)?)?, r.reasons.get(i)?)));
    match pair {
        Some((fever, raise)) => format!("{fever}; {raise}"),
        None => r.reasons.first().cloned().unwrap_or_default(),
    }
}

/// The key (see the module docs).
pub fn key(m: &TriageMaterial) -> serde_json::Value {
    let results = assessments(m);
    let first_levels: Vec<u8> = results.iter().map(|(r, _)| r.level).collect();
    let final_levels: Vec<u8> = results
        .iter()
        .map(|(r, again)| again.as_ref().map_or(r.level, |(_, _, l)| *l))
        .collect();
    let arrivals = m
        .arrivals
        .iter()
        .zip(&results)
        .map(|(a, (r, again))| {
            let v = &a.vitals;
            ArrivalAnswer {
                id: Some(a.id.clone()),
                esi_level: Some(Level::of(
                    &r.acceptable_levels,
                    &r.full_credit_levels,
                    r.level,
                )),
                vitals: TriageVitals {
                    temperature_c: Some(v.temperature_c),
                    heart_rate: Some(f64::from(v.heart_rate_bpm)),
                    respiratory_rate: Some(f64::from(v.respiratory_rate_per_min)),
                    systolic: Some(f64::from(v.systolic_mmhg)),
                    diastolic: Some(f64::from(v.diastolic_mmhg)),
                    spo2: Some(f64::from(v.spo2_percent)),
                    pain: Some(f64::from(v.pain_score)),
                },
                note: Some(model_note(a, r)),
                retriage_level: again.as_ref().map(|(_, level, _)| level.clone()),
            }
        })
        .collect();
    let mut queue: Vec<(u8, NaiveDateTime, usize, String)> = m
        .arrivals
        .iter()
        .enumerate()
        .map(|(i, a)| {
            (
                final_levels.get(i).copied().unwrap_or(5),
                a.arrived_at,
                i,
                a.id.clone(),
            )
        })
        .collect();
    queue.sort();
    super::super::to_value(&TriageSubmission {
        arrivals,
        triage_order: triage_order(m, &first_levels),
        queue: queue.into_iter().map(|(_, _, _, id)| id).collect(),
        submitted_at: None,
    })
}

/// Why each level is what it is, for feedback and the instructor's key view: per arrival the
/// engine's level, decision point, resources and reasons (and after a change).
#[must_use]
pub fn explain(m: &TriageMaterial) -> Vec<(String, EsiResult, Option<EsiResult>)> {
    m.arrivals
        .iter()
        .zip(assessments(m))
        .map(|(a, (r, again))| (a.id.clone(), r, again.map(|(n, _, _)| n)))
        .collect()
}

/// A blank answer: one entry per arrival with its id, everything else empty.
pub fn blank(m: &TriageMaterial) -> serde_json::Value {
    super::super::to_value(&TriageSubmission {
        arrivals: m
            .arrivals
            .iter()
            .map(|a| ArrivalAnswer {
                id: Some(a.id.clone()),
                ..ArrivalAnswer::default()
            })
            .collect(),
        triage_order: Vec::new(),
        queue: Vec::new(),
        submitted_at: None,
    })
}

/// The fields a triage submission has.
pub fn schema() -> FieldSchema {
    use FieldType::{Number, RecordList, Text, TextList};
    FieldSchema::new(
        RubricKind::Triage,
        &[
            ("arrivals[]", RecordList),
            ("arrivals[].id", Text),
            ("arrivals[].esi_level", Number),
            ("arrivals[].vitals.temperature_c", Number),
            ("arrivals[].vitals.heart_rate", Number),
            ("arrivals[].vitals.respiratory_rate", Number),
            ("arrivals[].vitals.systolic", Number),
            ("arrivals[].vitals.diastolic", Number),
            ("arrivals[].vitals.spo2", Number),
            ("arrivals[].vitals.pain", Number),
            ("arrivals[].note", Text),
            ("arrivals[].retriage_level", Number),
            ("triage_order", TextList),
            ("queue", TextList),
        ],
    )
    .integers(&["arrivals[].esi_level", "arrivals[].retriage_level"])
    .choices("arrivals[].esi_level", ESI_CHOICES)
    .choices("arrivals[].retriage_level", ESI_CHOICES)
}

/// The five ESI levels with what each means.
const ESI_CHOICES: &[(&str, &str)] = &[
    ("1", "ESI 1: immediate life-saving intervention"),
    ("2", "ESI 2: high risk, confused or in severe pain"),
    ("3", "ESI 3: two or more resources"),
    ("4", "ESI 4: one resource"),
    ("5", "ESI 5: no resources"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arrivals_are_matched_by_id_and_gaps_are_kept() {
        let s: TriageSubmission = crate::ron_input::ron_options()
            .from_str(r#"(arrivals: [(id: "a3", esi_level: 2), (id: "a1", esi_level: [2, 3])])"#)
            .unwrap();
        assert_eq!(s.arrivals.len(), 3);
        assert_eq!(s.arrivals[0].esi_level, Some(Level::One(2)));
        assert_eq!(s.arrivals[1], ArrivalAnswer::default());
        assert_eq!(s.arrivals[2].esi_level, Some(Level::One(2)));
    }

    #[test]
    fn a_bad_or_repeated_id_is_an_error() {
        let opts = crate::ron_input::ron_options();
        let bad = opts.from_str::<TriageSubmission>(r#"(arrivals: [(id: "x1")])"#);
        assert!(bad.unwrap_err().to_string().contains("is not one of a1"));
        let twice = opts.from_str::<TriageSubmission>(r#"(arrivals: [(id: "a1"), (id: "A1")])"#);
        assert!(twice.unwrap_err().to_string().contains("listed twice"));
    }
}
