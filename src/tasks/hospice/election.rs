//! The election statement's required elements and effective date (42 CFR 418.24(b)) and the
//! Notice of Election (418.24(a)): deadline, timeliness and provider-liable days.
//!
//! Rules: the NOE must be accepted within 5 calendar days after the effective date (deadline =
//! effective + 5). A late NOE makes the days from the effective date through the day before
//! acceptance provider liability (Palmetto example: admission 4/7, NOE 4/14 → 4/7–4/13); the
//! liable days never run past the end of the stay. With no accepted NOE after the deadline,
//! every day of the stay through the review date is liable. Elements 5–7 (cost-sharing,
//! addendum right, BFCC-QIO) are required only for elections effective from 2020-10-01.

use chrono::NaiveDate;
use serde::Serialize;

use super::timeline::{ElectionElement, Timeline, days_from_through, shift};
use super::{Finding, refs};

/// NOE status of one election.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NoeStatus {
    /// Index of the election.
    pub election: usize,
    /// Last day for the NOE to be accepted (effective + 5 days).
    pub deadline: NaiveDate,
    /// Whether it was accepted by the deadline; `None` while pending (not accepted, deadline not
    /// yet passed at the review date).
    pub timely: Option<bool>,
    /// Provider-liable days, in order (empty when timely or pending).
    pub provider_liable_days: Vec<NaiveDate>,
}

/// Days after the effective date by which the NOE must be accepted.
pub(crate) const NOE_DAYS: i64 = 5;

/// The NOE status of every election, in order.
#[must_use]
pub(crate) fn noe_statuses(t: &Timeline) -> Vec<NoeStatus> {
    let review = t.review_date();
    t.elections
        .iter()
        .enumerate()
        .map(|(index, e)| {
            let deadline = shift(e.effective_date, NOE_DAYS);
            let last_day = t.stay_last_day(index).unwrap_or(e.effective_date);
            let (timely, liable_through) = match e.noe.accepted {
                Some(accepted) if accepted <= deadline => (Some(true), None),
                Some(accepted) => (Some(false), Some(shift(accepted, -1).min(last_day))),
                None if deadline < review => (Some(false), Some(last_day)),
                None => (None, None),
            };
            let provider_liable_days: Vec<NaiveDate> = liable_through
                .map(|through| days_from_through(e.effective_date, through).collect())
                .unwrap_or_default();
            NoeStatus {
                election: index,
                deadline,
                timely,
                provider_liable_days,
            }
        })
        .collect()
}

/// Findings for the NOE of every election.
#[must_use]
pub(crate) fn noe_findings(t: &Timeline, statuses: &[NoeStatus]) -> Vec<Finding> {
    statuses
        .iter()
        .filter_map(|s| {
            let e = t.elections.get(s.election)?;
            let timely = s.timely?;
            let liable = match (s.provider_liable_days.first(), s.provider_liable_days.last()) {
                (Some(a), Some(b)) => format!(
                    "; {} provider-liable day(s) {a} to {b} (occurrence span code 77)",
                    s.provider_liable_days.len()
                ),
                _ => String::new(),
            };
            let message = match e.noe.accepted {
                Some(accepted) if timely => format!(
                    "NOE accepted {accepted}, by the deadline {} (effective date {} + 5 days)",
                    s.deadline, e.effective_date
                ),
                Some(accepted) => format!(
                    "NOE accepted {accepted}, after the deadline {} (effective date {} + 5 days){liable}",
                    s.deadline, e.effective_date
                ),
                None => format!(
                    "no accepted NOE by the deadline {} (effective date {} + 5 days){liable}",
                    s.deadline, e.effective_date
                ),
            };
            Some(Finding::new(
                "noe.timely",
                e.noe.accepted.unwrap_or(s.deadline),
                timely,
                message,
                refs::NOE,
            ))
        })
        .collect()
}

/// Elements 5–7 apply to elections effective on or after this date.
fn elements_2020_from() -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(2020, 10, 1)
}

fn element_name(element: ElectionElement) -> &'static str {
    match element {
        ElectionElement::HospiceAndAttending => {
            "identification of the hospice and of the attending the patient chose"
        }
        ElectionElement::PalliativeNature => {
            "acknowledgement of the palliative rather than curative nature of hospice care"
        }
        ElectionElement::Waiver => "acknowledgement of the waiver of other Medicare services",
        ElectionElement::EffectiveDate => "the effective date of the election",
        ElectionElement::CostSharing => "information on individual cost-sharing",
        ElectionElement::AddendumRight => {
            "notification of the right to an election statement addendum"
        }
        ElectionElement::BfccQio => "information on the BFCC-QIO and immediate advocacy",
        ElectionElement::Signature => "signature of the patient or representative",
    }
}

/// Findings about each election statement: missing elements and the effective date.
#[must_use]
pub(crate) fn statement_findings(t: &Timeline) -> Vec<Finding> {
    let mut out = Vec::new();
    for e in &t.elections {
        let from_2020 = elements_2020_from().is_some_and(|d| e.effective_date >= d);
        let mut missing: Vec<ElectionElement> = e
            .missing_elements
            .iter()
            .copied()
            .filter(|el| {
                from_2020
                    || !matches!(
                        el,
                        ElectionElement::CostSharing
                            | ElectionElement::AddendumRight
                            | ElectionElement::BfccQio
                    )
            })
            .collect();
        missing.sort_unstable();
        missing.dedup();
        if missing.is_empty() {
            out.push(Finding::new(
                "election.elements",
                e.statement_date,
                true,
                "election statement has every required element".to_owned(),
                refs::ELECTION,
            ));
        }
        for element in missing {
            out.push(Finding::new(
                "election.elements",
                e.statement_date,
                false,
                format!("election statement is missing {}", element_name(element)),
                refs::ELECTION,
            ));
        }
        let early = e.effective_date < e.statement_date;
        out.push(Finding::new(
            "election.effective_date",
            e.effective_date,
            !early,
            if early {
                format!(
                    "effective date {} is before the election statement was signed ({}): it may not be earlier",
                    e.effective_date, e.statement_date
                )
            } else {
                format!(
                    "effective date {} is not earlier than the statement date {}",
                    e.effective_date, e.statement_date
                )
            },
            refs::ELECTION,
        ));
    }
    out
}
