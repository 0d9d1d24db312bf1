//! Generating a hospice [`Timeline`] from a scenario (`task: Hospice((timeline: …))`), with the
//! deliberate defects the scenario chooses for the learner to find.
//!
//! The generator first writes a compliant record for every stay — statement signed on the
//! effective date, NOE accepted within 1–4 days, RN assessment the next day, comprehensive
//! assessment within 3–5 days, a certification for every period whose window has opened
//! (signed by the hospice medical director, with the physician attending on an initial one), an
//! F2F by a hospice physician or NP before each recertification from period 3, IDG reviews
//! every 14 days, HOPE admission/HUV1/HUV2/discharge records with symptom follow-up visits
//! within 2 days, routine home care every day plus the scenario's crisis days — and then applies
//! each [`Defect`] to the current (last) stay. The key comes from [`super::evaluate`] on the
//! result, so it is right whatever the draws.
//!
//! Invariants: pure and seeded (`rng::patient_seed("<scenario id>#hospice", patient_seed, 0)`);
//! dates are computed from the scenario's `as_of`, never the clock.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::periods::benefit_periods;
use super::timeline::{
    Attending, CareDays, Certification, CertificationForm, CertificationKind, Election,
    ElectionElement, EndReason, F2fEncounter, HopeKind, HopeRecord, HospiceSettings, LevelOfCare,
    Noe, Role, StayEnd, Symptom, Timeline, days_from_through, shift,
};
use crate::generate::rng::{self, SimRng, in_pair};
use crate::tasks::SpecProblem;

/// How a scenario's hospice timeline is generated.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimelineSpec {
    /// Benefit periods used before the first stay (from CWF/HETS history).
    #[serde(default)]
    pub prior_periods_used: u32,
    /// The stays, oldest first; the last is the current one.
    #[serde(default)]
    pub stays: Vec<StaySpec>,
    /// J2051 symptom impact ratings (0–3) at the current stay's HOPE admission, drawn per
    /// symptom from the inclusive range; symptoms not listed are rated 0.
    #[serde(default)]
    pub admission_symptoms: BTreeMap<Symptom, (u8, u8)>,
    /// A symptom crisis in the current stay.
    #[serde(default)]
    pub crisis: Option<CrisisSpec>,
    /// Deliberate defects, applied to the current stay.
    #[serde(default)]
    pub defects: Vec<Defect>,
}

/// One hospice stay.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StaySpec {
    /// First stay: days before the as-of date the election is effective. Later stays: days
    /// after the previous stay ended. Inclusive range.
    pub start_days: (u32, u32),
    /// Length in days (inclusive range); `None` = still open on the as-of date.
    #[serde(default)]
    pub length_days: Option<(u32, u32)>,
    /// How the stay ends when it has a length (default revocation).
    #[serde(default)]
    pub end: Option<EndReason>,
    /// The attending the patient chose (default a physician).
    #[serde(default = "physician")]
    pub attending: Attending,
}

fn physician() -> Attending {
    Attending::Physician
}

/// At most this many stays in one record.
const MAX_STAYS: usize = 10;
/// At most this many benefit periods used before the record's hospice.
const MAX_PRIOR_PERIODS: u32 = 60;
/// Gaps, stays and crisis starts are at most about ten years long.
const MAX_DAYS: u32 = 3_650;
/// A crisis (short-term level of care) lasts at most this many days.
const MAX_CRISIS_DAYS: u32 = 60;

/// A symptom crisis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CrisisSpec {
    /// Days after the current stay's effective date the crisis begins (inclusive range).
    pub start_day: (u32, u32),
    /// The level of care given.
    pub level: CrisisLevel,
    /// Number of days.
    pub days: u32,
}

/// Level of care during a crisis.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CrisisLevel {
    /// Continuous home care (8–14 nursing hours and 1–4 aide hours a day).
    Chc,
    /// General inpatient care.
    Gip,
    /// Inpatient respite care (caregiver relief).
    Respite,
}

/// A deliberate compliance defect in the current stay.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Defect {
    /// The NOE is accepted this many days after its deadline (effective + 5).
    LateNoe {
        /// Days late (inclusive range, ≥ 1).
        days_late: (u32, u32),
    },
    /// The election statement lacks these elements.
    MissingElements(Vec<ElectionElement>),
    /// The last F2F is this many days earlier than its window opens.
    F2fTooEarly {
        /// Days before the window (inclusive range, ≥ 1).
        days: (u32, u32),
    },
    /// The last F2F was done by an RN.
    F2fByRegisteredNurse,
    /// The last recertification was signed by the attending physician only.
    RecertSignedByAttending,
    /// The RN initial assessment is this many days late.
    LateInitialAssessment {
        /// Days after the 48-hour deadline (inclusive range, ≥ 1).
        days: (u32, u32),
    },
    /// The first IDG review of the current stay did not happen (due effective + 15).
    IdgGap,
    /// A symptom was rated 2 or 3 at the HOPE admission (anxiety is set to 2 when none was)
    /// and no symptom follow-up visit followed.
    MissedSfv,
    /// The first continuous-home-care day had only 6 hours of care (5 nursing).
    ShortChcDay,
}

/// Generates the timeline.
#[must_use]
pub fn timeline(
    scenario_id: &str,
    spec: &TimelineSpec,
    as_of: NaiveDate,
    patient_seed: u64,
) -> Timeline {
    let mut r = rng::rng_for(rng::patient_seed(
        &format!("{scenario_id}#hospice"),
        patient_seed,
        0,
    ));
    let mut elections = Vec::new();
    let mut previous_end: Option<NaiveDate> = None;
    for stay in &spec.stays {
        let days = i64::from(in_pair(&mut r, stay.start_days));
        let effective = match previous_end {
            None => shift(as_of, -days),
            Some(end) => shift(end, days.max(1)),
        };
        let end = stay.length_days.map(|len| StayEnd {
            date: shift(effective, i64::from(in_pair(&mut r, len).max(1)) - 1),
            reason: stay.end.unwrap_or(EndReason::Revocation),
        });
        previous_end = end.map(|e| e.date);
        elections.push(Election {
            effective_date: effective,
            statement_date: effective,
            missing_elements: Vec::new(),
            attending: stay.attending,
            transfer_in_period_start: None,
            noe: Noe {
                submitted: Some(shift(effective, i64::from(in_pair(&mut r, (0, 1))))),
                accepted: Some(shift(effective, i64::from(in_pair(&mut r, (1, 4))))),
            },
            initial_assessment: Some(shift(effective, 1)),
            comprehensive_assessment: Some(shift(effective, i64::from(in_pair(&mut r, (3, 5))))),
            f2f_exceptional_circumstances: false,
            end,
        });
    }
    let mut t = Timeline {
        prior_periods_used: spec.prior_periods_used,
        prior_hospice_days: 0,
        elections,
        certifications: Vec::new(),
        f2f_encounters: Vec::new(),
        idg_reviews: Vec::new(),
        hope_records: Vec::new(),
        sfv_dates: Vec::new(),
        levels_of_care: Vec::new(),
        as_of: Some(as_of),
        settings: HospiceSettings::default(),
    };
    certify(&mut r, &mut t, as_of);
    for i in 0..t.elections.len() {
        let current = i + 1 == t.elections.len();
        let Some(last) = t.stay_last_day(i) else {
            continue;
        };
        let Some(e) = t.elections.get(i).cloned() else {
            continue;
        };
        let mut day = shift(e.effective_date, 14);
        while day <= last {
            t.idg_reviews.push(day);
            day = shift(day, 14);
        }
        hope(&mut r, &mut t, spec, &e, last, current);
        let crisis_days = if current {
            crisis(&mut r, spec.crisis.as_ref(), e.effective_date, last)
        } else {
            Vec::new()
        };
        for d in days_from_through(e.effective_date, last) {
            let level = crisis_days
                .iter()
                .find(|(c, _)| *c == d)
                .map_or(LevelOfCare::Rhc, |(_, l)| *l);
            t.levels_of_care.push(CareDays {
                from: d,
                through: None,
                level,
            });
        }
    }
    for defect in &spec.defects {
        apply(&mut r, &mut t, defect);
    }
    t.idg_reviews.sort();
    t.sfv_dates.sort();
    t.sfv_dates.dedup();
    t
}

/// Certifications (and F2F encounters) for every period whose window opened by `as_of`.
fn certify(r: &mut SimRng, t: &mut Timeline, as_of: NaiveDate) {
    for p in benefit_periods(t) {
        let Some(e) = t.elections.get(p.election) else {
            continue;
        };
        let initial = p.kind == CertificationKind::Initial;
        let date = if initial {
            p.start
        } else {
            shift(p.start, -i64::from(in_pair(r, (1, 5))))
        };
        if date > as_of {
            continue;
        }
        if p.f2f_required {
            let f2f = shift(date, -i64::from(in_pair(r, (1, 10))));
            let by = if rng::chance(r, 0.5) {
                Role::HospiceNursePractitioner
            } else {
                Role::IdgPhysician
            };
            t.f2f_encounters.push(F2fEncounter {
                date: f2f,
                performed_by: by,
            });
        }
        let mut signers = vec![Role::HospiceMedicalDirector];
        if initial && e.attending == Attending::Physician {
            signers.push(Role::AttendingPhysician);
        }
        t.certifications.push(Certification {
            period: p.number,
            kind: Some(p.kind),
            form: CertificationForm::Written,
            date,
            signers,
        });
    }
}

const SYMPTOMS: [Symptom; 8] = [
    Symptom::Pain,
    Symptom::ShortnessOfBreath,
    Symptom::Anxiety,
    Symptom::Nausea,
    Symptom::Vomiting,
    Symptom::Diarrhea,
    Symptom::Constipation,
    Symptom::Agitation,
];

/// HOPE records (admissions from 2025-10-01) with follow-up visits for ratings of 2 or 3.
fn hope(
    r: &mut SimRng,
    t: &mut Timeline,
    spec: &TimelineSpec,
    e: &Election,
    last: NaiveDate,
    current: bool,
) {
    if super::hope::hope_start().is_none_or(|start| e.effective_date < start) {
        return;
    }
    let admission: BTreeMap<Symptom, u8> = SYMPTOMS
        .iter()
        .map(|s| {
            let (lo, hi) = if current {
                spec.admission_symptoms.get(s).copied().unwrap_or((0, 0))
            } else {
                (0, 1)
            };
            let rating = in_pair(r, (u32::from(lo), u32::from(hi))).min(3);
            (*s, u8::try_from(rating).unwrap_or(3))
        })
        .collect();
    let improving = |r: &mut SimRng, from: &BTreeMap<Symptom, u8>| -> BTreeMap<Symptom, u8> {
        from.iter()
            .map(|(s, v)| {
                let lower = u32::from(v.saturating_sub(1).min(1));
                (*s, u8::try_from(in_pair(r, (0, lower))).unwrap_or(0))
            })
            .collect()
    };
    let mut records = vec![(
        HopeKind::Admission,
        shift(e.effective_date, 1),
        admission.clone(),
    )];
    let huv1 = improving(r, &admission);
    records.push((
        HopeKind::Huv1,
        shift(e.effective_date, i64::from(in_pair(r, (6, 11)))),
        huv1.clone(),
    ));
    let huv2 = improving(r, &huv1);
    records.push((
        HopeKind::Huv2,
        shift(e.effective_date, i64::from(in_pair(r, (16, 24)))),
        huv2,
    ));
    for (kind, date, ratings) in records {
        if date > last {
            continue;
        }
        if ratings.values().any(|v| matches!(v, 2 | 3)) {
            let visit = shift(date, i64::from(in_pair(r, (0, 2))));
            if visit <= last {
                t.sfv_dates.push(visit);
            }
        }
        t.hope_records.push(HopeRecord {
            kind,
            date,
            symptom_impact: ratings,
            sfv_not_done: None,
        });
    }
    if let Some(end) = e.end {
        t.hope_records.push(HopeRecord {
            kind: HopeKind::Discharge,
            date: end.date,
            symptom_impact: BTreeMap::new(),
            sfv_not_done: None,
        });
    }
}

/// The crisis days and their level, inside the stay.
fn crisis(
    r: &mut SimRng,
    spec: Option<&CrisisSpec>,
    effective: NaiveDate,
    last: NaiveDate,
) -> Vec<(NaiveDate, LevelOfCare)> {
    let Some(c) = spec else {
        return Vec::new();
    };
    let start = shift(effective, i64::from(in_pair(r, c.start_day)));
    (0..c.days)
        .map(|k| shift(start, i64::from(k)))
        .filter(|d| *d <= last)
        .map(|d| {
            let level = match c.level {
                CrisisLevel::Chc => {
                    let nursing = f64::from(in_pair(r, (8, 14)));
                    let aide = f64::from(in_pair(r, (1, 4)));
                    LevelOfCare::Chc {
                        nursing_hours: nursing,
                        total_hours: nursing + aide,
                    }
                }
                CrisisLevel::Gip => LevelOfCare::Gip,
                CrisisLevel::Respite => LevelOfCare::Irc,
            };
            (d, level)
        })
        .collect()
}

fn apply(r: &mut SimRng, t: &mut Timeline, defect: &Defect) {
    let current = t.elections.len().saturating_sub(1);
    let Some(e) = t.elections.get(current).cloned() else {
        return;
    };
    let eff = e.effective_date;
    match defect {
        Defect::LateNoe { days_late } => {
            let late = shift(eff, 5 + i64::from(in_pair(r, *days_late).max(1)));
            if let Some(el) = t.elections.get_mut(current) {
                el.noe = Noe {
                    submitted: Some(late),
                    accepted: Some(late),
                };
            }
        }
        Defect::MissingElements(list) => {
            if let Some(el) = t.elections.get_mut(current) {
                el.missing_elements = list.clone();
            }
        }
        Defect::F2fTooEarly { days } => {
            let periods = benefit_periods(t);
            let last = t.f2f_encounters.len().checked_sub(1);
            let window = periods.iter().rev().find_map(|p| p.f2f_window);
            if let (Some(i), Some((from, _))) = (last, window)
                && let Some(f) = t.f2f_encounters.get_mut(i)
            {
                f.date = shift(from, -i64::from(in_pair(r, *days).max(1)));
            }
        }
        Defect::F2fByRegisteredNurse => {
            if let Some(f) = t.f2f_encounters.last_mut() {
                f.performed_by = Role::RegisteredNurse;
            }
        }
        Defect::RecertSignedByAttending => {
            if let Some(c) = t
                .certifications
                .iter_mut()
                .rev()
                .find(|c| c.kind == Some(CertificationKind::Recertification))
            {
                c.signers = vec![Role::AttendingPhysician];
            }
        }
        Defect::LateInitialAssessment { days } => {
            if let Some(el) = t.elections.get_mut(current) {
                el.initial_assessment = Some(shift(eff, 2 + i64::from(in_pair(r, *days).max(1))));
            }
        }
        Defect::IdgGap => {
            if let Some(i) = t.idg_reviews.iter().position(|d| *d >= eff) {
                t.idg_reviews.remove(i);
            }
        }
        Defect::MissedSfv => {
            if let Some(h) = t
                .hope_records
                .iter_mut()
                .find(|h| h.kind == HopeKind::Admission && h.date >= eff)
            {
                if !h.symptom_impact.values().any(|v| matches!(v, 2 | 3)) {
                    h.symptom_impact.insert(Symptom::Anxiety, 2);
                }
                let (from, to) = (h.date, shift(h.date, 2));
                t.sfv_dates.retain(|d| *d < from || *d > to);
            }
        }
        Defect::ShortChcDay => {
            if let Some(c) = t
                .levels_of_care
                .iter_mut()
                .find(|c| matches!(c.level, LevelOfCare::Chc { .. }))
            {
                c.level = LevelOfCare::Chc {
                    nursing_hours: 5.0,
                    total_hours: 6.0,
                };
            }
        }
    }
}

/// Every problem in a timeline spec, with its item path and how to fix it.
#[must_use]
pub fn problems(spec: &TimelineSpec) -> Vec<SpecProblem> {
    let mut out = Vec::new();
    // Bounds from the benefit itself keep generation small whatever a file says.
    let range =
        |out: &mut Vec<SpecProblem>, item: String, (lo, hi): (u32, u32), max: u32, what: &str| {
            if lo > hi || hi > max {
                out.push(SpecProblem::error(
                    item,
                    format!("range ({lo}, {hi}) must be within 0–{max} days, low first"),
                    format!("{what} longer than {max} days is outside what the exercise needs"),
                ));
            }
        };
    if spec.stays.len() > MAX_STAYS {
        out.push(SpecProblem::error(
            "task.timeline.stays".to_string(),
            format!(
                "{} stays: a record has at most {MAX_STAYS}",
                spec.stays.len()
            ),
            "keep the stays the exercise is about".to_string(),
        ));
    }
    if spec.prior_periods_used > MAX_PRIOR_PERIODS {
        out.push(SpecProblem::error(
            "task.timeline.prior_periods_used".to_string(),
            format!(
                "{} prior periods: at most {MAX_PRIOR_PERIODS} (two 90-day periods, then 60-day periods)",
                spec.prior_periods_used
            ),
            "give the number of benefit periods used before this hospice".to_string(),
        ));
    }
    for (i, s) in spec.stays.iter().enumerate() {
        range(
            &mut out,
            format!("task.timeline.stays[{i}].start_days"),
            s.start_days,
            MAX_DAYS,
            "a gap",
        );
        if let Some(length) = s.length_days {
            range(
                &mut out,
                format!("task.timeline.stays[{i}].length_days"),
                length,
                MAX_DAYS,
                "a stay",
            );
        }
    }
    if let Some(c) = &spec.crisis {
        range(
            &mut out,
            "task.timeline.crisis.start_day".to_string(),
            c.start_day,
            MAX_DAYS,
            "a crisis start",
        );
        if !(1..=MAX_CRISIS_DAYS).contains(&c.days) {
            out.push(SpecProblem::error(
                "task.timeline.crisis.days".to_string(),
                format!("{} days: a crisis lasts 1 to {MAX_CRISIS_DAYS} days", c.days),
                "continuous home care, inpatient respite and general inpatient care are short-term levels of care (42 CFR 418.302)".to_string(),
            ));
        }
    }
    let last = spec.stays.len().saturating_sub(1);
    for (i, s) in spec.stays.iter().enumerate() {
        if i < last && s.length_days.is_none() {
            out.push(SpecProblem::error(
                format!("task.timeline.stays[{i}].length_days"),
                "only the last stay may be open".to_string(),
                "give earlier stays a `length_days` range".to_string(),
            ));
        }
        if matches!(s.end, Some(EndReason::Death | EndReason::TransferOut)) && i < last {
            out.push(SpecProblem::error(
                format!("task.timeline.stays[{i}].end"),
                "no stay can follow a death or transfer out".to_string(),
                "end earlier stays with Revocation or LiveDischarge".to_string(),
            ));
        }
    }
    for (symptom, (lo, hi)) in &spec.admission_symptoms {
        if lo > hi || *hi > 3 {
            out.push(SpecProblem::error(
                format!("task.timeline.admission_symptoms.{symptom:?}"),
                format!("range ({lo}, {hi}) must be within 0–3, low first"),
                "HOPE symptom impact is 0 not at all … 3 severe".to_string(),
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tasks::hospice::evaluate;

    fn spec(defects: Vec<Defect>) -> TimelineSpec {
        TimelineSpec {
            stays: vec![StaySpec {
                start_days: (40, 40),
                length_days: None,
                end: None,
                attending: Attending::Physician,
            }],
            admission_symptoms: BTreeMap::from([(Symptom::Pain, (2, 2))]),
            crisis: Some(CrisisSpec {
                start_day: (20, 20),
                level: CrisisLevel::Chc,
                days: 2,
            }),
            defects,
            ..TimelineSpec::default()
        }
    }

    fn failing(t: &Timeline) -> Vec<&'static str> {
        let mut rules: Vec<_> = evaluate(t)
            .findings
            .into_iter()
            .filter(|f| !f.ok)
            .map(|f| f.rule)
            .collect();
        rules.dedup();
        rules
    }

    #[test]
    fn the_generated_record_is_compliant_and_valid() {
        let as_of = NaiveDate::from_ymd_opt(2026, 5, 20).unwrap();
        for seed in 0..20 {
            let t = timeline("x", &spec(Vec::new()), as_of, seed);
            assert!(t.problems().is_empty(), "{:?}", t.problems());
            assert_eq!(failing(&t), Vec::<&str>::new(), "seed {seed}");
            assert_eq!(t.elections[0].effective_date, shift(as_of, -40));
        }
    }

    #[test]
    fn each_defect_fails_its_rule() {
        let as_of = NaiveDate::from_ymd_opt(2026, 5, 20).unwrap();
        let cases: &[(Defect, &str)] = &[
            (Defect::LateNoe { days_late: (2, 2) }, "noe.timely"),
            (
                Defect::MissingElements(vec![ElectionElement::Waiver]),
                "election.elements",
            ),
            (
                Defect::LateInitialAssessment { days: (1, 1) },
                "assessment.initial",
            ),
            (Defect::IdgGap, "idg.interval"),
            (Defect::MissedSfv, "hope.sfv"),
            (Defect::ShortChcDay, "loc.chc"),
        ];
        for (defect, rule) in cases {
            let t = timeline("x", &spec(vec![defect.clone()]), as_of, 3);
            assert_eq!(failing(&t), vec![*rule], "{defect:?}");
        }
    }

    #[test]
    fn only_the_last_stay_may_be_open() {
        let mut s = spec(Vec::new());
        s.stays.push(s.stays[0].clone());
        let p = problems(&s);
        assert_eq!(p[0].item, "task.timeline.stays[0].length_days");
    }
}
