//! A patient's hospice timeline as scenario files and `ehr-sim key hospice FILE` write it (RON):
//! elections (with revocation, discharge, transfer, death), certifications with signers, face-
//! to-face encounters, the Notice of Election, assessments, IDG reviews, HOPE records and
//! symptom follow-up visits, and levels of care day by day.
//!
//! Invariants after [`Timeline::from_ron`]: every struct rejected unknown fields; elections are
//! in date order and do not overlap; only the last election may be open (no `end`); nothing
//! follows a death or a transfer out; every date lies in 1900–2200; HOPE ratings are 0–3 or 9;
//! continuous-home-care hours satisfy 0 ≤ nursing ≤ total ≤ 24; level-of-care days do not
//! overlap; HOPE records, IDG reviews and level-of-care days fall inside a stay, with at most one
//! HOPE record of each kind per stay. The rules in the sibling modules rely on these and never panic.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate, TimeDelta};
use serde::{Deserialize, Serialize};

/// One patient's hospice history at one hospice.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Timeline {
    /// Benefit periods used before the first election below (from the beneficiary's prior
    /// hospice history, CWF/HETS). 0 for a first-ever election.
    #[serde(default)]
    pub prior_periods_used: u32,
    /// Days of hospice care already counted toward the routine-home-care day count when the
    /// first election below starts (0 unless the patient comes from another hospice within 60
    /// days).
    #[serde(default)]
    pub prior_hospice_days: u32,
    /// Elections in date order.
    pub elections: Vec<Election>,
    /// Certifications of terminal illness (written or oral).
    #[serde(default)]
    pub certifications: Vec<Certification>,
    /// Face-to-face encounters.
    #[serde(default)]
    pub f2f_encounters: Vec<F2fEncounter>,
    /// Dates the IDG reviewed the plan of care.
    #[serde(default)]
    pub idg_reviews: Vec<NaiveDate>,
    /// HOPE records.
    #[serde(default)]
    pub hope_records: Vec<HopeRecord>,
    /// Dates of in-person symptom follow-up visits.
    #[serde(default)]
    pub sfv_dates: Vec<NaiveDate>,
    /// Levels of care, day by day (ranges allowed).
    #[serde(default)]
    pub levels_of_care: Vec<CareDays>,
    /// The date the chart is reviewed; deadlines after it are pending, not missed. Default: the
    /// latest date anywhere in the timeline.
    #[serde(default)]
    pub as_of: Option<NaiveDate>,
    /// Conventions.
    #[serde(default)]
    pub settings: HospiceSettings,
}

/// One election of the hospice benefit (or a transfer in from another hospice).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Election {
    /// Effective date of the election: the first day of hospice care here.
    pub effective_date: NaiveDate,
    /// Date the election statement was signed.
    pub statement_date: NaiveDate,
    /// Required elements missing from the election statement.
    #[serde(default)]
    pub missing_elements: Vec<ElectionElement>,
    /// The attending the patient chose.
    pub attending: Attending,
    /// For a transfer in from another hospice: the date the current benefit period began there.
    /// The period continues; it is not certified again here.
    #[serde(default)]
    pub transfer_in_period_start: Option<NaiveDate>,
    /// Notice of Election.
    #[serde(default)]
    pub noe: Noe,
    /// Date of the hospice RN's initial assessment.
    #[serde(default)]
    pub initial_assessment: Option<NaiveDate>,
    /// Date the comprehensive assessment was completed.
    #[serde(default)]
    pub comprehensive_assessment: Option<NaiveDate>,
    /// Documented exceptional circumstances for a new admission in the 3rd or later period:
    /// the face-to-face may then be done up to 2 days after admission.
    #[serde(default)]
    pub f2f_exceptional_circumstances: bool,
    /// How and when this stay ended; `None` while it continues.
    #[serde(default)]
    pub end: Option<StayEnd>,
}

/// A required element of the election statement (42 CFR 418.24(b)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ElectionElement {
    /// Identification of the hospice and of the attending the patient chose.
    HospiceAndAttending,
    /// Acknowledgement of the palliative rather than curative nature of hospice care.
    PalliativeNature,
    /// Acknowledgement of the waiver of other Medicare services for the terminal illness.
    Waiver,
    /// The effective date of the election.
    EffectiveDate,
    /// Information on individual cost-sharing (elections from 2020-10-01).
    CostSharing,
    /// Notification of the right to an election statement addendum (from 2020-10-01).
    AddendumRight,
    /// Information on the BFCC-QIO and immediate advocacy (from 2020-10-01).
    BfccQio,
    /// Signature of the patient or representative.
    Signature,
}

/// The attending the patient chose on the election statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Attending {
    /// No attending.
    NoAttending,
    /// A physician (must sign the initial certification).
    Physician,
    /// A nurse practitioner (may be the attending but may not certify).
    NursePractitioner,
    /// A physician assistant (may be the attending but may not certify).
    PhysicianAssistant,
}

/// Notice of Election filing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Noe {
    /// Date submitted to the MAC.
    #[serde(default)]
    pub submitted: Option<NaiveDate>,
    /// Date accepted by the MAC (timeliness is judged on this date).
    #[serde(default)]
    pub accepted: Option<NaiveDate>,
}

/// How a stay ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StayEnd {
    /// Last day of hospice care in this stay.
    pub date: NaiveDate,
    /// Why it ended.
    pub reason: EndReason,
}

/// Why a stay ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum EndReason {
    /// The patient revoked the election: the rest of the period is forfeited.
    Revocation,
    /// Live discharge (no longer terminally ill, moved, for cause): the rest of the period is
    /// forfeited.
    LiveDischarge,
    /// Transfer to another hospice: the period continues there.
    TransferOut,
    /// Death.
    Death,
}

/// A certification of terminal illness.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Certification {
    /// Benefit period number it certifies, counted across all elections (prior history included).
    pub period: u32,
    /// Initial or recertification as the chart labels it (checked against the period).
    #[serde(default)]
    pub kind: Option<CertificationKind>,
    /// Written or oral.
    #[serde(default)]
    pub form: CertificationForm,
    /// Date signed (written) or given (oral).
    pub date: NaiveDate,
    /// Who signed or gave it.
    pub signers: Vec<Role>,
}

/// Initial certification (first period of an election) or recertification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CertificationKind {
    /// First period of an election.
    Initial,
    /// Any later period.
    Recertification,
}

/// Written or oral certification.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum CertificationForm {
    /// Written and signed.
    #[default]
    Written,
    /// Oral (must be followed by a written certification before billing).
    Oral,
}

/// A clinician's role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Role {
    /// The hospice medical director.
    HospiceMedicalDirector,
    /// A physician member of the interdisciplinary group (a hospice physician).
    IdgPhysician,
    /// A nurse practitioner employed by the hospice.
    HospiceNursePractitioner,
    /// The patient's (non-hospice) attending physician.
    AttendingPhysician,
    /// A nurse practitioner not employed by the hospice (e.g. the attending NP).
    NursePractitioner,
    /// A physician assistant.
    PhysicianAssistant,
    /// A registered nurse.
    RegisteredNurse,
}

impl Role {
    /// A hospice physician (medical director or IDG physician).
    #[must_use]
    pub(crate) fn is_hospice_physician(self) -> bool {
        matches!(self, Self::HospiceMedicalDirector | Self::IdgPhysician)
    }

    /// Human-readable name.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::HospiceMedicalDirector => "hospice medical director",
            Self::IdgPhysician => "IDG physician",
            Self::HospiceNursePractitioner => "hospice nurse practitioner",
            Self::AttendingPhysician => "attending physician",
            Self::NursePractitioner => "nurse practitioner",
            Self::PhysicianAssistant => "physician assistant",
            Self::RegisteredNurse => "registered nurse",
        }
    }
}

/// A face-to-face encounter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct F2fEncounter {
    /// Date of the encounter.
    pub date: NaiveDate,
    /// Who performed it.
    pub performed_by: Role,
}

/// A HOPE record (A0250 reason for record).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HopeRecord {
    /// Which timepoint.
    pub kind: HopeKind,
    /// Assessment (screening) date.
    pub date: NaiveDate,
    /// J2051 symptom impact: 0 not at all, 1 slight, 2 moderate, 3 severe, 9 not applicable.
    #[serde(default)]
    pub symptom_impact: BTreeMap<Symptom, u8>,
    /// J2052C: why a symptom follow-up visit was not done, if it was not.
    #[serde(default)]
    pub sfv_not_done: Option<SfvNotDone>,
}

/// HOPE timepoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum HopeKind {
    /// Admission (1).
    Admission,
    /// HOPE Update Visit 1 (2), days 6–15.
    Huv1,
    /// HOPE Update Visit 2 (3), days 16–30.
    Huv2,
    /// Discharge (9).
    Discharge,
}

impl HopeKind {
    /// How a record of this kind is named on a chart.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Admission => "Admission",
            Self::Huv1 => "HOPE Update Visit 1 (HUV1)",
            Self::Huv2 => "HOPE Update Visit 2 (HUV2)",
            Self::Discharge => "Discharge",
        }
    }
}

impl Symptom {
    /// The symptom in words.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Pain => "pain",
            Self::ShortnessOfBreath => "shortness of breath",
            Self::Anxiety => "anxiety",
            Self::Nausea => "nausea",
            Self::Vomiting => "vomiting",
            Self::Diarrhea => "diarrhea",
            Self::Constipation => "constipation",
            Self::Agitation => "agitation",
        }
    }
}

/// J2051 symptoms (letter order CONFIDENCE medium, docs/domain/hospice.md §7.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Symptom {
    /// Pain.
    Pain,
    /// Shortness of breath.
    ShortnessOfBreath,
    /// Anxiety.
    Anxiety,
    /// Nausea.
    Nausea,
    /// Vomiting.
    Vomiting,
    /// Diarrhea.
    Diarrhea,
    /// Constipation.
    Constipation,
    /// Agitation.
    Agitation,
}

/// J2052C reasons a symptom follow-up visit was not done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SfvNotDone {
    /// Patient or family declined.
    Declined,
    /// Patient unavailable.
    PatientUnavailable,
    /// Unable to contact.
    UnableToContact,
    /// None of the above.
    NoneOfTheAbove,
}

/// A level of care on one day or a run of days.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CareDays {
    /// First day.
    pub from: NaiveDate,
    /// Last day (inclusive); `None` = only `from`.
    #[serde(default)]
    pub through: Option<NaiveDate>,
    /// The level billed for each of these days.
    pub level: LevelOfCare,
}

/// Level of care for one day (midnight to midnight).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum LevelOfCare {
    /// Routine home care.
    Rhc,
    /// Continuous home care with the hours of care given that day.
    Chc {
        /// RN/LPN hours.
        nursing_hours: f64,
        /// All hours of care (nursing plus aide/homemaker).
        total_hours: f64,
    },
    /// Inpatient respite care.
    Irc,
    /// General inpatient care.
    Gip,
}

/// How HOPE days are counted (docs/domain/hospice.md §7.3: UNVERIFIED, default day 1).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum HopeDayCounting {
    /// The admission date is day 1 (admit 10/1 → HUV1 10/6–10/15).
    #[default]
    AdmissionIsDay1,
    /// The admission date is day 0 (admit 10/1 → HUV1 10/7–10/16).
    AdmissionIsDay0,
}

/// Conventions for flagged facts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HospiceSettings {
    /// HOPE day counting; default admission = day 1.
    #[serde(default)]
    pub hope_day_counting: HopeDayCounting,
}

/// Why a timeline file could not be used.
pub type TimelineError = crate::ron_input::RonInputError;

/// `date` moved by `days` (negative = earlier). Dates are validated to 1900–2200, so this
/// never leaves chrono's range; the fallback only keeps the function total.
#[must_use]
pub fn shift(date: NaiveDate, days: i64) -> NaiveDate {
    date.checked_add_signed(TimeDelta::days(days))
        .unwrap_or(date)
}

/// Every date from `from` through `through` inclusive (empty when `through` is earlier); stops
/// at the end of chrono's range instead of looping.
pub(crate) fn days_from_through(
    from: NaiveDate,
    through: NaiveDate,
) -> impl Iterator<Item = NaiveDate> {
    from.iter_days().take_while(move |d| *d <= through)
}

/// Whole days from `from` to `to` (negative when `to` is earlier).
#[must_use]
pub(crate) fn days_between(from: NaiveDate, to: NaiveDate) -> i64 {
    (to - from).num_days()
}

impl Timeline {
    /// Parses a timeline from RON text (with `implicit_some`) and checks its consistency.
    ///
    /// # Errors
    /// [`TimelineError::Syntax`] with line and column when the text does not parse;
    /// [`TimelineError::Invalid`] listing every inconsistency.
    pub fn from_ron(text: &str) -> Result<Self, TimelineError> {
        crate::ron_input::from_ron_checked(text, Self::problems)
    }

    /// Every date in the timeline, in no particular order.
    pub(crate) fn all_dates(&self) -> impl Iterator<Item = NaiveDate> + '_ {
        let elections = self.elections.iter().flat_map(|e| {
            [
                Some(e.effective_date),
                Some(e.statement_date),
                e.transfer_in_period_start,
                e.noe.submitted,
                e.noe.accepted,
                e.initial_assessment,
                e.comprehensive_assessment,
                e.end.map(|end| end.date),
            ]
            .into_iter()
            .flatten()
        });
        elections
            .chain(self.certifications.iter().map(|c| c.date))
            .chain(self.f2f_encounters.iter().map(|f| f.date))
            .chain(self.idg_reviews.iter().copied())
            .chain(self.hope_records.iter().map(|h| h.date))
            .chain(self.sfv_dates.iter().copied())
            .chain(
                self.levels_of_care
                    .iter()
                    .flat_map(|c| [Some(c.from), c.through].into_iter().flatten()),
            )
            .chain(self.as_of)
    }

    /// The review date: `as_of`, or the latest date in the timeline.
    #[must_use]
    pub(crate) fn review_date(&self) -> NaiveDate {
        self.as_of
            .or_else(|| self.all_dates().max())
            .unwrap_or_default()
    }

    /// The last day of hospice care of election `index`: its end, or the review date for an open
    /// stay (never before its effective date).
    #[must_use]
    pub(crate) fn stay_last_day(&self, index: usize) -> Option<NaiveDate> {
        let e = self.elections.get(index)?;
        Some(match e.end {
            Some(end) => end.date,
            None => self.review_date().max(e.effective_date),
        })
    }

    /// The election whose stay contains `date`, if any.
    #[must_use]
    pub(crate) fn election_on(&self, date: NaiveDate) -> Option<usize> {
        (0..self.elections.len()).find(|&i| {
            self.elections.get(i).is_some_and(|e| {
                date >= e.effective_date && self.stay_last_day(i).is_some_and(|last| date <= last)
            })
        })
    }

    /// Every inconsistency, each with its item path and how to fix it.
    #[must_use]
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        for date in self.all_dates() {
            if !(1900..=2200).contains(&date.year()) {
                out.push(format!("date {date} is outside 1900–2200"));
            }
        }
        if !out.is_empty() {
            return out;
        }
        if self.elections.is_empty() {
            out.push("elections: at least one election is required".to_owned());
        }
        let mut previous: Option<(usize, &Election)> = None;
        for (i, e) in self.elections.iter().enumerate() {
            if let Some(end) = e.end
                && end.date < e.effective_date
            {
                out.push(format!(
                    "elections[{i}].end.date {} is before the effective date {}",
                    end.date, e.effective_date
                ));
            }
            if let Some(start) = e.transfer_in_period_start {
                if i > 0 {
                    out.push(format!(
                        "elections[{i}].transfer_in_period_start: only the first election can be a transfer in"
                    ));
                }
                if start > e.effective_date {
                    out.push(format!(
                        "elections[{i}].transfer_in_period_start {start} is after the effective date {}",
                        e.effective_date
                    ));
                }
            }
            if let Some((j, prev)) = previous {
                match prev.end {
                    None => out.push(format!(
                        "elections[{j}] has no end but elections[{i}] follows it: give elections[{j}].end"
                    )),
                    Some(end) if matches!(end.reason, EndReason::Death | EndReason::TransferOut) => {
                        out.push(format!(
                            "elections[{i}] follows a death or transfer out in elections[{j}]: start a new timeline (with prior_periods_used) instead"
                        ));
                    }
                    Some(end) if e.effective_date <= end.date => out.push(format!(
                        "elections[{i}].effective_date {} must be after elections[{j}].end.date {}",
                        e.effective_date, end.date
                    )),
                    Some(_) => {}
                }
            }
            previous = Some((i, e));
        }
        for (i, h) in self.hope_records.iter().enumerate() {
            for (symptom, rating) in &h.symptom_impact {
                if !matches!(rating, 0..=3 | 9) {
                    out.push(format!(
                        "hope_records[{i}].symptom_impact.{symptom:?} is {rating}: use 0, 1, 2, 3 or 9"
                    ));
                }
            }
            match self.election_on(h.date) {
                None => out.push(format!(
                    "hope_records[{i}].date {} is outside every hospice stay",
                    h.date
                )),
                Some(stay) => {
                    if let Some(j) = self.hope_records.iter().take(i).position(|other| {
                        other.kind == h.kind && self.election_on(other.date) == Some(stay)
                    }) {
                        out.push(format!(
                            "hope_records[{i}] is a second {:?} record in the same stay as hope_records[{j}]",
                            h.kind
                        ));
                    }
                }
            }
        }
        for (i, date) in self.idg_reviews.iter().enumerate() {
            if self.election_on(*date).is_none() {
                out.push(format!(
                    "idg_reviews[{i}] {date} is outside every hospice stay"
                ));
            }
        }
        for (i, c) in self.certifications.iter().enumerate() {
            if c.period == 0 {
                out.push(format!("certifications[{i}].period must be 1 or more"));
            }
            if c.signers.is_empty() {
                out.push(format!(
                    "certifications[{i}].signers must name at least one role"
                ));
            }
        }
        let mut seen: BTreeMap<NaiveDate, usize> = BTreeMap::new();
        for (i, c) in self.levels_of_care.iter().enumerate() {
            let through = c.through.unwrap_or(c.from);
            if through < c.from {
                out.push(format!(
                    "levels_of_care[{i}].through {through} is before from {}",
                    c.from
                ));
                continue;
            }
            if let LevelOfCare::Chc {
                nursing_hours,
                total_hours,
            } = c.level
            {
                let valid = nursing_hours.is_finite()
                    && total_hours.is_finite()
                    && nursing_hours >= 0.0
                    && nursing_hours <= total_hours
                    && total_hours <= 24.0;
                if !valid {
                    out.push(format!(
                        "levels_of_care[{i}]: Chc hours need 0 ≤ nursing_hours ≤ total_hours ≤ 24"
                    ));
                }
            }
            let mut repeated: Option<(NaiveDate, usize)> = None;
            let mut outside: Vec<NaiveDate> = Vec::new();
            for day in days_from_through(c.from, through) {
                if let Some(j) = seen.insert(day, i) {
                    repeated = repeated.or(Some((day, j)));
                }
                if self.election_on(day).is_none() {
                    outside.push(day);
                }
            }
            if let Some((day, j)) = repeated {
                out.push(format!(
                    "levels_of_care[{i}] repeats {day}, already in levels_of_care[{j}]"
                ));
            }
            if let (Some(first), Some(last)) = (outside.first(), outside.last()) {
                out.push(format!(
                    "levels_of_care[{i}]: {} day(s) from {first} to {last} are outside every hospice stay",
                    outside.len()
                ));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlapping_elections_are_rejected_with_paths() {
        let err = Timeline::from_ron(
            r#"(elections: [
                (effective_date: "2028-01-10", statement_date: "2028-01-10", attending: Physician,
                 end: (date: "2028-02-01", reason: Revocation)),
                (effective_date: "2028-02-01", statement_date: "2028-02-01", attending: Physician),
            ])"#,
        )
        .unwrap_err();
        assert_eq!(
            err,
            TimelineError::Invalid(vec![
                "elections[1].effective_date 2028-02-01 must be after elections[0].end.date 2028-02-01"
                    .into()
            ])
        );
    }

    #[test]
    fn bad_date_is_a_syntax_error() {
        let err = Timeline::from_ron(
            "(elections: [\n (effective_date: \"2027-02-30\", statement_date: \"2027-02-01\", attending: Physician)])",
        )
        .unwrap_err();
        assert!(
            matches!(err, TimelineError::Syntax { line: 2, .. }),
            "{err:?}"
        );
    }

    #[test]
    fn review_date_defaults_to_latest_date() {
        let t = Timeline::from_ron(
            r#"(elections: [(effective_date: "2028-01-10", statement_date: "2028-01-09", attending: Physician)],
                idg_reviews: ["2028-01-20"])"#,
        )
        .unwrap();
        assert_eq!(
            t.review_date(),
            NaiveDate::from_ymd_opt(2028, 1, 20).unwrap()
        );
    }
}
