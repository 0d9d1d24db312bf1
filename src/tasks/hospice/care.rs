//! Assessments and IDG reviews (42 CFR 418.54, 418.56).
//!
//! Rules, with dates only (no clock times): the RN initial assessment is due within 48 hours
//! of the election, taken as no later than effective date + 2 days; the comprehensive
//! assessment no later than effective date + 5 days; the IDG reviews the plan of care at least
//! every 15 calendar days, the first review no later than effective date + 15 (the initial
//! plan of care is dated the effective date) and each next no later than the previous + 15. A
//! deadline after the review date is pending and produces no finding; an overdue review is
//! reported only if the stay was still going on the day it fell due.

use chrono::NaiveDate;
use serde::Serialize;

use super::timeline::{Timeline, days_between, shift};
use super::{Finding, refs};

/// Days after the effective date by which the RN initial assessment is due.
pub(crate) const INITIAL_ASSESSMENT_DAYS: i64 = 2;
/// Days after the effective date by which the comprehensive assessment is due.
pub(crate) const COMPREHENSIVE_ASSESSMENT_DAYS: i64 = 5;
/// Maximum days between IDG reviews.
pub(crate) const IDG_INTERVAL_DAYS: i64 = 15;

/// Assessment and IDG deadlines of one election.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CareDeadlines {
    /// Index of the election.
    pub election: usize,
    /// RN initial assessment due.
    pub initial_assessment_due: NaiveDate,
    /// Comprehensive assessment due.
    pub comprehensive_assessment_due: NaiveDate,
    /// The next IDG review due after the last review on file (or after the effective date).
    pub next_idg_review_due: NaiveDate,
}

/// Assessment and IDG deadlines of every election.
#[must_use]
pub(crate) fn care_deadlines(t: &Timeline) -> Vec<CareDeadlines> {
    t.elections
        .iter()
        .enumerate()
        .map(|(index, e)| {
            let last_review = reviews_of(t, index)
                .last()
                .copied()
                .unwrap_or(e.effective_date);
            CareDeadlines {
                election: index,
                initial_assessment_due: shift(e.effective_date, INITIAL_ASSESSMENT_DAYS),
                comprehensive_assessment_due: shift(
                    e.effective_date,
                    COMPREHENSIVE_ASSESSMENT_DAYS,
                ),
                next_idg_review_due: shift(last_review, IDG_INTERVAL_DAYS),
            }
        })
        .collect()
}

/// The IDG review dates inside election `index`'s stay, sorted.
fn reviews_of(t: &Timeline, index: usize) -> Vec<NaiveDate> {
    let mut reviews: Vec<NaiveDate> = t
        .idg_reviews
        .iter()
        .copied()
        .filter(|&d| t.election_on(d) == Some(index))
        .collect();
    reviews.sort_unstable();
    reviews.dedup();
    reviews
}

/// Findings for the assessments and IDG reviews of every election.
#[must_use]
pub(crate) fn care_findings(t: &Timeline, deadlines: &[CareDeadlines]) -> Vec<Finding> {
    let review = t.review_date();
    let mut out = Vec::new();
    for d in deadlines {
        let Some(e) = t.elections.get(d.election) else {
            continue;
        };
        let last_day = t.stay_last_day(d.election).unwrap_or(e.effective_date);
        assessment(
            "assessment.initial",
            "RN initial assessment",
            "within 48 hours",
            e.initial_assessment,
            d.initial_assessment_due,
            review,
            refs::INITIAL_ASSESSMENT,
            &mut out,
        );
        assessment(
            "assessment.comprehensive",
            "comprehensive assessment",
            "within 5 days",
            e.comprehensive_assessment,
            d.comprehensive_assessment_due,
            review,
            refs::COMPREHENSIVE_ASSESSMENT,
            &mut out,
        );
        let mut previous = e.effective_date;
        let mut previous_label = "the effective date";
        for r in reviews_of(t, d.election) {
            let gap = days_between(previous, r);
            out.push(Finding::new(
                "idg.interval",
                r,
                gap <= IDG_INTERVAL_DAYS,
                format!(
                    "IDG review on {r}, {gap} day(s) after {previous_label} {previous} (at most 15; due by {})",
                    shift(previous, IDG_INTERVAL_DAYS)
                ),
                refs::IDG,
            ));
            previous = r;
            previous_label = "the previous review";
        }
        let due = shift(previous, IDG_INTERVAL_DAYS);
        if due < last_day && due < review {
            out.push(Finding::new(
                "idg.interval",
                due,
                false,
                format!("no IDG review by {due} (15 days after {previous_label} {previous})"),
                refs::IDG,
            ));
        }
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn assessment(
    rule: &'static str,
    what: &str,
    limit: &str,
    done: Option<NaiveDate>,
    due: NaiveDate,
    review: NaiveDate,
    reference: &'static str,
    out: &mut Vec<Finding>,
) {
    match done {
        Some(date) => out.push(Finding::new(
            rule,
            date,
            date <= due,
            if date <= due {
                format!("{what} on {date}, by {due} ({limit})")
            } else {
                format!("{what} on {date} is late: due by {due} ({limit})")
            },
            reference,
        )),
        None if due < review => out.push(Finding::new(
            rule,
            due,
            false,
            format!("no {what} on file: due by {due} ({limit})"),
            reference,
        )),
        None => {}
    }
}
