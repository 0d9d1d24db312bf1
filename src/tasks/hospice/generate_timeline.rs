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
//! result, so it is right whatever the draws. A transfer in ([`TransferInSpec`], 42 CFR 418.30)
//! makes the only stay continue a period begun at another hospice: that period gets no
//! certification or F2F here, and later ones are never certified before the transfer.
//! [`planting_problems`] rejects a scenario whose defects have no place in the record.
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
    /// The (only) stay is a transfer in from another hospice during a benefit period
    /// (42 CFR 418.30): no new election or benefit period, the period was certified there.
    #[serde(default)]
    pub transfer_in: Option<TransferInSpec>,
}

/// A transfer in from another hospice: the patient changes hospice during a benefit period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransferInSpec {
    /// The benefit period the patient is in on the day of the transfer (1 = the first);
    /// the periods before it count as used (`prior_periods_used` stays 0).
    pub period: u32,
    /// Days of that period spent at the other hospice before the transfer (inclusive range,
    /// at least 1 and shorter than the period).
    pub days_into_period: (u32, u32),
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
    /// The current stay's latest certification (initial or recertification) was signed this
    /// many days before the earliest allowed date (the period start − 15 days); an F2F that
    /// would then follow it is moved to the certification date.
    EarlyCertification {
        /// Days before the earliest allowed date (inclusive range, 1–15).
        days: (u32, u32),
    },
    /// The face-to-face encounter for the current stay's latest started period 3 or later is
    /// missing: no encounter in its window.
    MissingF2f,
    /// The current stay's initial certification was signed by the hospice medical director
    /// alone although the patient chose a physician attending, who must sign it too.
    InitialCertWithoutAttending,
    /// The HOPE Update Visit 1 (days 6–15) of the current stay was not done.
    MissedHuv1,
    /// The HOPE Update Visit 2 (days 16–30) of the current stay was not done.
    MissedHuv2,
}

impl Defect {
    /// The engine rule the defect makes fail.
    #[must_use]
    pub fn rule(&self) -> &'static str {
        match self {
            Self::LateNoe { .. } => "noe.timely",
            Self::MissingElements(_) => "election.elements",
            Self::F2fTooEarly { .. } | Self::MissingF2f => "f2f.window",
            Self::F2fByRegisteredNurse => "f2f.performer",
            Self::RecertSignedByAttending | Self::InitialCertWithoutAttending => "cert.signers",
            Self::LateInitialAssessment { .. } => "assessment.initial",
            Self::IdgGap => "idg.interval",
            Self::MissedSfv => "hope.sfv",
            Self::ShortChcDay => "loc.chc",
            Self::EarlyCertification { .. } => "cert.earliest",
            Self::MissedHuv1 => "hope.huv1",
            Self::MissedHuv2 => "hope.huv2",
        }
    }

    /// The defect's name in a scenario file.
    #[must_use]
    pub fn name(&self) -> &'static str {
        match self {
            Self::LateNoe { .. } => "LateNoe",
            Self::MissingElements(_) => "MissingElements",
            Self::F2fTooEarly { .. } => "F2fTooEarly",
            Self::F2fByRegisteredNurse => "F2fByRegisteredNurse",
            Self::RecertSignedByAttending => "RecertSignedByAttending",
            Self::LateInitialAssessment { .. } => "LateInitialAssessment",
            Self::IdgGap => "IdgGap",
            Self::MissedSfv => "MissedSfv",
            Self::ShortChcDay => "ShortChcDay",
            Self::EarlyCertification { .. } => "EarlyCertification",
            Self::MissingF2f => "MissingF2f",
            Self::InitialCertWithoutAttending => "InitialCertWithoutAttending",
            Self::MissedHuv1 => "MissedHuv1",
            Self::MissedHuv2 => "MissedHuv2",
        }
    }
}

/// Generates the timeline.
#[must_use]
pub fn timeline(
    scenario_id: &str,
    spec: &TimelineSpec,
    as_of: NaiveDate,
    patient_seed: u64,
) -> Timeline {
    generate(scenario_id, spec, as_of, patient_seed).0
}

/// The timeline's random stream.
fn stream(scenario_id: &str, patient_seed: u64) -> SimRng {
    rng::rng_for(rng::patient_seed(
        &format!("{scenario_id}#hospice"),
        patient_seed,
        0,
    ))
}

/// The stays' elections, oldest first: the timeline's first draws.
fn elections(r: &mut SimRng, spec: &TimelineSpec, as_of: NaiveDate) -> Vec<Election> {
    let mut elections = Vec::new();
    let mut previous_end: Option<NaiveDate> = None;
    for stay in &spec.stays {
        let days = i64::from(in_pair(r, stay.start_days));
        let effective = match previous_end {
            None => shift(as_of, -days),
            Some(end) => shift(end, days.max(1)),
        };
        // A transfer in continues the period that began at the other hospice.
        let transfer_in_period_start = spec
            .transfer_in
            .as_ref()
            .filter(|_| previous_end.is_none())
            .map(|tr| {
                shift(
                    effective,
                    -i64::from(in_pair(r, tr.days_into_period).max(1)),
                )
            });
        let end = stay.length_days.map(|len| StayEnd {
            date: shift(effective, i64::from(in_pair(r, len).max(1)) - 1),
            reason: stay.end.unwrap_or(EndReason::Revocation),
        });
        previous_end = end.map(|e| e.date);
        elections.push(Election {
            effective_date: effective,
            statement_date: effective,
            missing_elements: Vec::new(),
            attending: stay.attending,
            transfer_in_period_start,
            noe: Noe {
                submitted: Some(shift(effective, i64::from(in_pair(r, (0, 1))))),
                accepted: Some(shift(effective, i64::from(in_pair(r, (1, 4))))),
            },
            initial_assessment: Some(shift(effective, 1)),
            comprehensive_assessment: Some(shift(effective, i64::from(in_pair(r, (3, 5))))),
            f2f_exceptional_circumstances: false,
            end,
        });
    }
    elections
}

/// The day the current (last) stay's election takes effect in [`timeline`] of the same
/// arguments, without the rest of the timeline (what the patient's hospice encounter starts on).
#[must_use]
pub fn current_effective_date(
    scenario_id: &str,
    spec: &TimelineSpec,
    as_of: NaiveDate,
    patient_seed: u64,
) -> Option<NaiveDate> {
    let mut r = stream(scenario_id, patient_seed);
    elections(&mut r, spec, as_of)
        .last()
        .map(|e| e.effective_date)
}

/// Generates the timeline and says, for each defect (by its index in `spec.defects`) that the
/// record gave no place to plant, why.
#[must_use]
pub fn generate(
    scenario_id: &str,
    spec: &TimelineSpec,
    as_of: NaiveDate,
    patient_seed: u64,
) -> (Timeline, Vec<(usize, String)>) {
    let mut r = stream(scenario_id, patient_seed);
    let elections = elections(&mut r, spec, as_of);
    let (prior_periods_used, prior_hospice_days) = transfer_history(spec, &elections);
    let mut t = Timeline {
        prior_periods_used,
        prior_hospice_days,
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
    let mut unplanted = Vec::new();
    for (i, defect) in spec.defects.iter().enumerate() {
        if let Err(why) = apply(&mut r, &mut t, defect) {
            unplanted.push((i, why));
        }
    }
    t.idg_reviews.sort();
    t.sfv_dates.sort();
    t.sfv_dates.dedup();
    (t, unplanted)
}

/// Periods used and hospice days counted before the record: the spec's `prior_periods_used`,
/// or for a transfer in the periods before the current one, with the days of care at the
/// other hospice (earlier periods taken as used without a 60-day break) carried into the
/// routine-home-care day count.
fn transfer_history(spec: &TimelineSpec, elections: &[Election]) -> (u32, u32) {
    let Some(tr) = &spec.transfer_in else {
        return (spec.prior_periods_used, 0);
    };
    let before = tr.period.saturating_sub(1);
    let days_there = elections
        .first()
        .and_then(|e| {
            e.transfer_in_period_start
                .map(|start| super::timeline::days_between(start, e.effective_date))
        })
        .and_then(|d| u32::try_from(d).ok())
        .unwrap_or(0);
    let earlier: u32 = (1..=before).map(super::periods::period_length_days).sum();
    (before, earlier.saturating_add(days_there))
}

/// Certifications (and F2F encounters) for every period whose window opened by `as_of`.
fn certify(r: &mut SimRng, t: &mut Timeline, as_of: NaiveDate) {
    for p in benefit_periods(t) {
        let Some(e) = t.elections.get(p.election) else {
            continue;
        };
        // The other hospice certified (and did the F2F for) a transferred-in period.
        if p.transferred_in {
            continue;
        }
        let initial = p.kind == CertificationKind::Initial;
        // Never before this hospice's care began (a transfer in shortly before a period ends).
        let date = if initial {
            p.start
        } else {
            shift(p.start, -i64::from(in_pair(r, (1, 5)))).max(e.effective_date)
        };
        if date > as_of {
            continue;
        }
        if p.f2f_required {
            let f2f = shift(date, -i64::from(in_pair(r, (1, 10))));
            let f2f = if initial {
                f2f
            } else {
                f2f.max(e.effective_date)
            };
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

/// Plants one defect in the current stay, or says why the record has no place for it.
fn apply(r: &mut SimRng, t: &mut Timeline, defect: &Defect) -> Result<(), String> {
    let current = t.elections.len().saturating_sub(1);
    let Some(e) = t.elections.get(current).cloned() else {
        return Err("the record has no stay".to_owned());
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
            Ok(())
        }
        Defect::MissingElements(list) => {
            if let Some(el) = t.elections.get_mut(current) {
                el.missing_elements = list.clone();
            }
            Ok(())
        }
        Defect::F2fTooEarly { days } => {
            let periods = benefit_periods(t);
            let last = t.f2f_encounters.len().checked_sub(1);
            let window = periods.iter().rev().find_map(|p| p.f2f_window);
            match (last, window) {
                (Some(i), Some((from, _))) => {
                    if let Some(f) = t.f2f_encounters.get_mut(i) {
                        f.date = shift(from, -i64::from(in_pair(r, *days).max(1)));
                    }
                    Ok(())
                }
                _ => Err(NO_F2F.to_owned()),
            }
        }
        Defect::F2fByRegisteredNurse => match t.f2f_encounters.last_mut() {
            Some(f) => {
                f.performed_by = Role::RegisteredNurse;
                Ok(())
            }
            None => Err(NO_F2F.to_owned()),
        },
        Defect::RecertSignedByAttending => match t
            .certifications
            .iter_mut()
            .rev()
            .find(|c| c.kind == Some(CertificationKind::Recertification))
        {
            Some(c) => {
                c.signers = vec![Role::AttendingPhysician];
                Ok(())
            }
            None => Err("no recertification is on file by the as-of date".to_owned()),
        },
        Defect::LateInitialAssessment { days } => {
            if let Some(el) = t.elections.get_mut(current) {
                el.initial_assessment = Some(shift(eff, 2 + i64::from(in_pair(r, *days).max(1))));
            }
            Ok(())
        }
        Defect::IdgGap => match t.idg_reviews.iter().position(|d| *d >= eff) {
            Some(i) => {
                t.idg_reviews.remove(i);
                Ok(())
            }
            None => Err("the current stay has no IDG review to leave out".to_owned()),
        },
        Defect::MissedSfv => missed_sfv(t, eff),
        Defect::ShortChcDay => match t
            .levels_of_care
            .iter_mut()
            .find(|c| matches!(c.level, LevelOfCare::Chc { .. }))
        {
            Some(c) => {
                c.level = LevelOfCare::Chc {
                    nursing_hours: 5.0,
                    total_hours: 6.0,
                };
                Ok(())
            }
            None => Err("the current stay has no continuous-home-care day".to_owned()),
        },
        Defect::EarlyCertification { days } => early_certification(r, t, current, *days),
        Defect::MissingF2f => missing_f2f(t, current),
        Defect::InitialCertWithoutAttending => {
            if e.attending != Attending::Physician {
                return Err("the patient chose no physician attending".to_owned());
            }
            let initial = benefit_periods(t)
                .into_iter()
                .find(|p| p.election == current && p.kind == CertificationKind::Initial)
                .map(|p| p.number);
            match t
                .certifications
                .iter_mut()
                .find(|c| Some(c.period) == initial)
            {
                Some(c) => {
                    c.signers.retain(|r| *r != Role::AttendingPhysician);
                    Ok(())
                }
                None => {
                    Err("the current stay has no initial certification (a transfer in?)".to_owned())
                }
            }
        }
        Defect::MissedHuv1 => missed_huv(t, current, HopeKind::Huv1),
        Defect::MissedHuv2 => missed_huv(t, current, HopeKind::Huv2),
    }
}

const NO_F2F: &str = "no face-to-face encounter is on file by the as-of date";

fn missed_sfv(t: &mut Timeline, eff: NaiveDate) -> Result<(), String> {
    let Some(h) = t
        .hope_records
        .iter_mut()
        .find(|h| h.kind == HopeKind::Admission && h.date >= eff)
    else {
        return Err("the current stay has no HOPE admission record".to_owned());
    };
    if !h.symptom_impact.values().any(|v| matches!(v, 2 | 3)) {
        h.symptom_impact.insert(Symptom::Anxiety, 2);
    }
    let (from, to) = (h.date, shift(h.date, 2));
    t.sfv_dates.retain(|d| *d < from || *d > to);
    Ok(())
}

/// The current stay's latest certification signed `days` before its earliest date.
fn early_certification(
    r: &mut SimRng,
    t: &mut Timeline,
    current: usize,
    days: (u32, u32),
) -> Result<(), String> {
    let periods = benefit_periods(t);
    let ours: Vec<&super::periods::BenefitPeriod> = periods
        .iter()
        .filter(|p| p.election == current && !p.transferred_in)
        .collect();
    let Some((i, p)) = t
        .certifications
        .iter()
        .enumerate()
        .filter_map(|(i, c)| ours.iter().find(|p| p.number == c.period).map(|p| (i, *p)))
        .max_by_key(|(_, p)| p.number)
    else {
        return Err("the current stay has no certification by this hospice on file".to_owned());
    };
    let date = shift(p.cert_earliest, -i64::from(in_pair(r, days).max(1)));
    if let Some(c) = t.certifications.get_mut(i) {
        c.date = date;
    }
    // The F2F comes before (or on the day of) the certification it supports.
    if let Some((from, to)) = p.f2f_window {
        for f in &mut t.f2f_encounters {
            if f.date >= from && f.date <= to && f.date > date {
                f.date = date.max(from);
            }
        }
    }
    Ok(())
}

/// Removes the F2F of the current stay's latest period 3+ that started before the review date.
fn missing_f2f(t: &mut Timeline, current: usize) -> Result<(), String> {
    let review = t.review_date();
    let periods = benefit_periods(t);
    let Some((from, to)) = periods
        .iter()
        .rev()
        .filter(|p| p.election == current && !p.transferred_in)
        .filter_map(|p| p.f2f_window)
        .find(|(_, to)| *to < review)
    else {
        return Err(
            "no period 3 or later that needs a face-to-face encounter from this hospice has started in the current stay by the as-of date"
                .to_owned(),
        );
    };
    t.f2f_encounters.retain(|f| f.date < from || f.date > to);
    Ok(())
}

/// Removes the current stay's HUV1 or HUV2 record (and a follow-up visit only it needed).
fn missed_huv(t: &mut Timeline, current: usize, kind: HopeKind) -> Result<(), String> {
    let review = t.review_date();
    let last = t.stay_last_day(current);
    let window = super::hope::hope_windows(t)
        .into_iter()
        .find(|w| w.election == current)
        .map(|w| match kind {
            HopeKind::Huv1 => w.huv1_window,
            HopeKind::Admission | HopeKind::Huv2 | HopeKind::Discharge => w.huv2_window,
        });
    let Some((from, to)) = window else {
        return Err(
            "HOPE does not apply to the current stay (admission before 2025-10-01)".to_owned(),
        );
    };
    if to >= review || last.is_none_or(|l| l < to) {
        return Err(format!(
            "the {} window {from}–{to} has not closed inside the current stay by the as-of date",
            kind.name()
        ));
    }
    let Some(i) = t
        .hope_records
        .iter()
        .position(|h| h.kind == kind && h.date >= from && h.date <= to)
    else {
        return Err(format!("the current stay has no {} record", kind.name()));
    };
    let removed = t.hope_records.remove(i);
    let others: Vec<NaiveDate> = t
        .hope_records
        .iter()
        .filter(|h| super::hope::needs_sfv(h))
        .map(|h| h.date)
        .collect();
    t.sfv_dates.retain(|d| {
        !(*d >= removed.date && *d <= shift(removed.date, super::hope::SFV_DAYS))
            || others
                .iter()
                .any(|o| *d >= *o && *d <= shift(*o, super::hope::SFV_DAYS))
    });
    Ok(())
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
    transfer_problems(spec, &mut out);
    defect_problems(&spec.defects, &mut out);
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

fn transfer_problems(spec: &TimelineSpec, out: &mut Vec<SpecProblem>) {
    let Some(tr) = &spec.transfer_in else {
        return;
    };
    if spec.stays.len() != 1 {
        out.push(SpecProblem::error(
            "task.timeline.transfer_in".to_string(),
            format!(
                "a transfer in needs exactly one stay, not {}",
                spec.stays.len()
            ),
            "the receiving hospice's record starts with the transfer; earlier stays belong to other hospices (count their periods in `period`)".to_string(),
        ));
    }
    if spec.prior_periods_used != 0 {
        out.push(SpecProblem::error(
            "task.timeline.prior_periods_used".to_string(),
            "with `transfer_in`, the periods used before are the ones before `transfer_in.period`"
                .to_string(),
            "leave `prior_periods_used` out and give the current period in `transfer_in.period`"
                .to_string(),
        ));
    }
    if !(1..=MAX_PRIOR_PERIODS + 1).contains(&tr.period) {
        out.push(SpecProblem::error(
            "task.timeline.transfer_in.period".to_string(),
            format!(
                "period {} must be 1 to {}",
                tr.period,
                MAX_PRIOR_PERIODS + 1
            ),
            "the benefit period the patient is in on the day of the transfer".to_string(),
        ));
    }
    let length = super::periods::period_length_days(tr.period);
    let (lo, hi) = tr.days_into_period;
    if lo == 0 || lo > hi || hi >= length {
        out.push(SpecProblem::error(
            "task.timeline.transfer_in.days_into_period".to_string(),
            format!("range ({lo}, {hi}) must be within 1–{} days, low first", length - 1),
            format!("period {} lasts {length} days and the transfer falls inside it (42 CFR 418.21, 418.30)", tr.period),
        ));
    }
}

fn defect_problems(defects: &[Defect], out: &mut Vec<SpecProblem>) {
    for (i, d) in defects.iter().enumerate() {
        let item = format!("task.timeline.defects[{i}]");
        if let Some(j) = defects.iter().take(i).position(|o| o.name() == d.name()) {
            out.push(SpecProblem::error(
                item.clone(),
                format!("{} is listed twice (also defects[{j}])", d.name()),
                "plant each kind of defect once".to_string(),
            ));
        }
        if let Defect::EarlyCertification { days: (lo, hi) } = d
            && (*lo == 0 || lo > hi || *hi > 15)
        {
            out.push(SpecProblem::error(
                item.clone(),
                format!("EarlyCertification days ({lo}, {hi}) must be within 1–15, low first"),
                "a certification 16 to 30 days before the period start is early (42 CFR 418.22(a)(3)) and leaves room for the F2F window".to_string(),
            ));
        }
        if matches!(d, Defect::MissingF2f)
            && let Some(other) = defects
                .iter()
                .find(|o| matches!(o, Defect::F2fTooEarly { .. } | Defect::F2fByRegisteredNurse))
        {
            out.push(SpecProblem::error(
                item,
                format!("MissingF2f cannot be combined with {}", other.name()),
                "a missing face-to-face encounter can be neither early nor made by the wrong person".to_string(),
            ));
        }
    }
}

/// Patient seeds [`planting_problems`] tries.
const PLANTING_SEEDS: u64 = 64;

/// Defects the generated record has no place for (for example `MissingF2f` when no period 3
/// or later starts in the current stay, `MissedHuv2` when the stay ends before day 30) or that
/// do not make their rule fail, tried on the first 64 patient seeds.
#[must_use]
pub fn planting_problems(
    scenario_id: &str,
    spec: &TimelineSpec,
    as_of: NaiveDate,
) -> Vec<SpecProblem> {
    let mut out = Vec::new();
    let mut reported = vec![false; spec.defects.len()];
    for seed in 0..PLANTING_SEEDS {
        let (t, unplanted) = generate(scenario_id, spec, as_of, seed);
        let failing: Vec<&str> = super::evaluate(&t)
            .findings
            .into_iter()
            .filter(|f| !f.ok)
            .map(|f| f.rule)
            .collect();
        for (i, d) in spec.defects.iter().enumerate() {
            if reported.get(i).copied().unwrap_or(true) {
                continue;
            }
            let why = unplanted
                .iter()
                .find(|(j, _)| *j == i)
                .map(|(_, why)| why.clone())
                .or_else(|| {
                    (!failing.contains(&d.rule()))
                        .then(|| format!("the rule {} does not fail", d.rule()))
                });
            if let Some(why) = why {
                if let Some(flag) = reported.get_mut(i) {
                    *flag = true;
                }
                out.push(SpecProblem::error(
                    format!("task.timeline.defects[{i}]"),
                    format!("{} cannot be planted (patient seed {seed}): {why}", d.name()),
                    "change the stays, `as_of` or `transfer_in` so that every draw gives the defect its place, or drop it".to_string(),
                ));
            }
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
    fn the_current_effective_date_is_the_timelines() {
        let as_of = NaiveDate::from_ymd_opt(2026, 5, 20).unwrap();
        let mut s = spec(vec![Defect::LateNoe { days_late: (1, 9) }]);
        s.stays = vec![
            StaySpec {
                start_days: (300, 420),
                length_days: Some((20, 90)),
                end: Some(EndReason::Revocation),
                attending: Attending::Physician,
            },
            StaySpec {
                start_days: (2, 30),
                length_days: None,
                end: None,
                attending: Attending::Physician,
            },
        ];
        let mut transfer = spec(Vec::new());
        transfer.transfer_in = Some(TransferInSpec {
            period: 2,
            days_into_period: (5, 40),
        });
        for spec in [&s, &transfer] {
            let mut dates = std::collections::BTreeSet::new();
            for seed in 0..200 {
                let t = timeline("x", spec, as_of, seed);
                let date = current_effective_date("x", spec, as_of, seed);
                assert_eq!(date, t.elections.last().map(|e| e.effective_date));
                dates.insert(date);
            }
            assert!(dates.len() > 1 || spec.stays.len() == 1);
        }
        assert_eq!(
            current_effective_date("x", &TimelineSpec::default(), as_of, 1),
            None
        );
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
            (Defect::EarlyCertification { days: (3, 3) }, "cert.earliest"),
            (Defect::MissedHuv1, "hope.huv1"),
            (Defect::MissedHuv2, "hope.huv2"),
            (Defect::InitialCertWithoutAttending, "cert.signers"),
        ];
        for (defect, rule) in cases {
            let t = timeline("x", &spec(vec![defect.clone()]), as_of, 3);
            assert_eq!(failing(&t), vec![*rule], "{defect:?}");
        }
    }

    /// The failing findings as (rule, date).
    fn failing_on(t: &Timeline) -> Vec<(&'static str, NaiveDate)> {
        evaluate(t)
            .findings
            .into_iter()
            .filter(|f| !f.ok)
            .map(|f| (f.rule, f.date))
            .collect()
    }

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn new_defects_fail_their_rule_on_the_derived_date() {
        // Effective 2026-04-10 (as-of 05-20 − 40 days): initial certification earliest 03-26
        // (− 15), planted 3 days before it; HUV1 window 04-15..04-24 (days 6–15), HUV2
        // 04-25..05-09 (days 16–30): a missing record fails on the window's last day.
        let as_of = d("2026-05-20");
        let cases: &[(Defect, (&str, &str))] = &[
            (
                Defect::EarlyCertification { days: (3, 3) },
                ("cert.earliest", "2026-03-23"),
            ),
            (Defect::MissedHuv1, ("hope.huv1", "2026-04-24")),
            (Defect::MissedHuv2, ("hope.huv2", "2026-05-09")),
        ];
        for seed in 0..10 {
            for (defect, (rule, date)) in cases {
                let (t, unplanted) = generate("x", &spec(vec![defect.clone()]), as_of, seed);
                assert!(unplanted.is_empty(), "{unplanted:?}");
                assert!(t.problems().is_empty(), "{:?}", t.problems());
                assert_eq!(
                    failing_on(&t),
                    vec![(*rule, d(date))],
                    "{defect:?} seed {seed}"
                );
            }
        }
    }

    #[test]
    fn missing_f2f_fails_the_period_3_window() {
        // Effective 2025-11-01 (as-of − 200): period 1 11-01..2026-01-29, period 2
        // 01-30..04-29, period 3 from 04-30 with the F2F window 03-31..04-30; with no encounter
        // the finding falls on the window's last day.
        let as_of = d("2026-05-20");
        let mut s = spec(vec![Defect::MissingF2f]);
        s.stays[0].start_days = (200, 200);
        s.crisis = None;
        for seed in 0..10 {
            let (t, unplanted) = generate("x", &s, as_of, seed);
            assert!(unplanted.is_empty(), "{unplanted:?}");
            assert!(t.f2f_encounters.is_empty());
            assert_eq!(failing_on(&t), vec![("f2f.window", d("2026-04-30"))]);
        }
        // The same record with an F2F is compliant.
        s.defects.clear();
        assert_eq!(failing(&timeline("x", &s, as_of, 1)), Vec::<&str>::new());
    }

    #[test]
    fn an_early_recertification_keeps_its_f2f_before_it() {
        // Period 3 starts 2026-04-30: earliest recertification 04-15; planted 10 days earlier
        // (04-05), the F2F (window 03-31..04-30) moves to the same day.
        let as_of = d("2026-05-20");
        let mut s = spec(vec![Defect::EarlyCertification { days: (10, 10) }]);
        s.stays[0].start_days = (200, 200);
        s.crisis = None;
        for seed in 0..10 {
            let t = timeline("x", &s, as_of, seed);
            let recert = t.certifications.iter().find(|c| c.period == 3).unwrap();
            assert_eq!(recert.date, d("2026-04-05"));
            assert_eq!(t.f2f_encounters.last().unwrap().date, d("2026-04-05"));
            assert_eq!(failing_on(&t), vec![("cert.earliest", d("2026-04-05"))]);
        }
    }

    #[test]
    fn a_transfer_in_continues_the_period_certified_elsewhere() {
        // Effective 2026-04-10 in period 2, 30 days after it began there (03-11): period 2
        // runs 03-11..06-08, period 1 (90 days) and 30 days count toward the RHC day count.
        let as_of = d("2026-05-20");
        let mut s = spec(Vec::new());
        s.transfer_in = Some(TransferInSpec {
            period: 2,
            days_into_period: (30, 30),
        });
        let t = timeline("x", &s, as_of, 4);
        assert!(t.problems().is_empty(), "{:?}", t.problems());
        assert_eq!((t.prior_periods_used, t.prior_hospice_days), (1, 120));
        assert_eq!(
            t.elections[0].transfer_in_period_start,
            Some(d("2026-03-11"))
        );
        assert!(t.certifications.is_empty());
        let periods: Vec<_> = benefit_periods(&t)
            .iter()
            .map(|p| (p.number, p.start, p.end, p.transferred_in))
            .collect();
        assert_eq!(periods, vec![(2, d("2026-03-11"), d("2026-06-08"), true)]);
        assert_eq!(failing(&t), Vec::<&str>::new());
    }

    #[test]
    fn a_transfer_just_before_a_recertification_is_certified_here() {
        // Period 3 began 2026-03-16 there (55 days before the transfer on 05-10) and ends
        // 05-14; period 4 (05-15) is recertified here, never before the transfer, with its F2F
        // (window 04-15..05-15) made here too.
        let as_of = d("2026-05-20");
        let mut s = spec(Vec::new());
        s.stays[0].start_days = (10, 10);
        s.crisis = None;
        s.transfer_in = Some(TransferInSpec {
            period: 3,
            days_into_period: (55, 55),
        });
        for seed in 0..20 {
            let t = timeline("x", &s, as_of, seed);
            assert!(t.problems().is_empty(), "{:?}", t.problems());
            assert_eq!(
                t.elections[0].transfer_in_period_start,
                Some(d("2026-03-16"))
            );
            let c: Vec<_> = t.certifications.iter().map(|c| c.period).collect();
            assert_eq!(c, vec![4]);
            assert!(t.certifications[0].date >= d("2026-05-10"));
            assert!(t.f2f_encounters.iter().all(|f| f.date >= d("2026-05-10")));
            assert_eq!(failing(&t), Vec::<&str>::new(), "seed {seed}");
        }
    }

    #[test]
    fn impossible_defects_and_transfers_are_rejected() {
        let as_of = d("2026-05-20");
        // 40 days into a first election: no period 3, so no F2F to leave out.
        let p = planting_problems("x", &spec(vec![Defect::MissingF2f]), as_of);
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].item, "task.timeline.defects[0]");
        assert!(
            p[0].message
                .starts_with("MissingF2f cannot be planted (patient seed 0): no period 3 or later"),
            "{}",
            p[0].message
        );
        // A stay of 20 days ends before the HUV2 window closes.
        let mut s = spec(vec![Defect::MissedHuv2]);
        s.stays[0].length_days = Some((20, 20));
        s.stays[0].end = Some(EndReason::Death);
        assert_eq!(
            planting_problems("x", &s, as_of)[0].item,
            "task.timeline.defects[0]"
        );
        // Static errors.
        let mut s = spec(vec![
            Defect::MissingF2f,
            Defect::F2fByRegisteredNurse,
            Defect::EarlyCertification { days: (0, 20) },
            Defect::IdgGap,
            Defect::IdgGap,
        ]);
        s.transfer_in = Some(TransferInSpec {
            period: 3,
            days_into_period: (10, 60),
        });
        s.prior_periods_used = 1;
        s.stays.push(s.stays[0].clone());
        s.stays[0].length_days = Some((10, 10));
        let items: Vec<String> = problems(&s).into_iter().map(|p| p.item).collect();
        assert_eq!(
            items,
            vec![
                "task.timeline.transfer_in",
                "task.timeline.prior_periods_used",
                "task.timeline.transfer_in.days_into_period",
                "task.timeline.defects[0]",
                "task.timeline.defects[2]",
                "task.timeline.defects[4]",
            ]
        );
    }

    #[test]
    fn only_the_last_stay_may_be_open() {
        let mut s = spec(Vec::new());
        s.stays.push(s.stays[0].clone());
        let p = problems(&s);
        assert_eq!(p[0].item, "task.timeline.stays[0].length_days");
    }
}
