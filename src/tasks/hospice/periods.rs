//! Benefit periods (42 CFR 418.21): 90 days, 90 days, then unlimited 60-day periods, counted
//! across elections and prior hospice history, with each period's certification window and
//! face-to-face requirement.
//!
//! Invariants: periods are returned in order with consecutive numbers; within one election
//! they are contiguous (end + 1 = next start); a revocation or live discharge forfeits the rest
//! of the period and the next election starts the next number; `end` is always the period's
//! scheduled last day (start + 89 or + 59) and `ended_early` says when the stay stopped inside
//! it. An ended stay lists its periods through the one containing the end date; an open stay
//! lists every period started by the review date plus the next one once its certification
//! window (15 days before it) has opened.

use chrono::NaiveDate;
use serde::Serialize;

use super::timeline::{CertificationKind, EndReason, StayEnd, Timeline, shift};
use super::{Finding, refs};

/// One benefit period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BenefitPeriod {
    /// Period number, counted across all elections (prior history included).
    pub number: u32,
    /// Index of the election it belongs to.
    pub election: usize,
    /// First day.
    pub start: NaiveDate,
    /// Scheduled last day (start + days − 1).
    pub end: NaiveDate,
    /// Length: 90 for periods 1 and 2, 60 after.
    pub days: u32,
    /// Initial certification (first period of an election) or recertification.
    pub kind: CertificationKind,
    /// True for the period a transfer-in patient was already in (certified by the other hospice).
    pub transferred_in: bool,
    /// Earliest date a certification for this period may be signed (start − 15 days).
    pub cert_earliest: NaiveDate,
    /// Last date for a written or oral certification (start + 2 days).
    pub oral_cert_deadline: NaiveDate,
    /// Whether a face-to-face encounter is required (period 3 and later).
    pub f2f_required: bool,
    /// F2F window [start − 30, start] (to start + 2 under documented exceptional circumstances
    /// for a new admission), when required.
    pub f2f_window: Option<(NaiveDate, NaiveDate)>,
    /// The stay's end, when it falls inside this period.
    pub ended_early: Option<StayEnd>,
}

/// Length in days of benefit period `number` (1-based).
#[must_use]
pub(crate) fn period_length_days(number: u32) -> u32 {
    if number <= 2 { 90 } else { 60 }
}

/// All benefit periods of the timeline, in order.
#[must_use]
pub(crate) fn benefit_periods(t: &Timeline) -> Vec<BenefitPeriod> {
    let review = t.review_date();
    let mut periods = Vec::new();
    let mut number = t.prior_periods_used;
    for (index, e) in t.elections.iter().enumerate() {
        let limit = e.end.map_or_else(|| shift(review, 15), |end| end.date);
        let mut start = e.transfer_in_period_start.unwrap_or(e.effective_date);
        let mut first = true;
        loop {
            number = number.saturating_add(1);
            let days = period_length_days(number);
            let end = shift(start, i64::from(days) - 1);
            let transferred_in = first && e.transfer_in_period_start.is_some();
            let new_admission = first && !transferred_in;
            let f2f_required = number >= 3;
            let window_end = if new_admission && e.f2f_exceptional_circumstances {
                shift(start, 2)
            } else {
                start
            };
            periods.push(BenefitPeriod {
                number,
                election: index,
                start,
                end,
                days,
                kind: if new_admission {
                    CertificationKind::Initial
                } else {
                    CertificationKind::Recertification
                },
                transferred_in,
                cert_earliest: shift(start, -15),
                oral_cert_deadline: shift(start, 2),
                f2f_required,
                f2f_window: f2f_required.then(|| (shift(start, -30), window_end)),
                ended_early: e
                    .end
                    .filter(|stay_end| stay_end.date >= start && stay_end.date <= end),
            });
            let next = shift(end, 1);
            if end >= limit || next <= start {
                break;
            }
            start = next;
            first = false;
        }
    }
    periods
}

/// Findings about how periods ended (forfeited days on revocation or live discharge).
#[must_use]
pub(crate) fn period_findings(periods: &[BenefitPeriod]) -> Vec<Finding> {
    periods
        .iter()
        .filter_map(|p| {
            let end = p.ended_early?;
            let forfeited = super::timeline::days_between(end.date, p.end);
            let message = match end.reason {
                EndReason::Revocation | EndReason::LiveDischarge => {
                    let what = if end.reason == EndReason::Revocation {
                        "revocation"
                    } else {
                        "live discharge"
                    };
                    format!(
                        "{what} on {}: the remaining {forfeited} day(s) of period {} (through {}) are forfeited; a new election starts period {}",
                        end.date,
                        p.number,
                        p.end,
                        p.number.saturating_add(1)
                    )
                }
                EndReason::TransferOut => format!(
                    "transfer out on {}: period {} continues at the receiving hospice through {}",
                    end.date, p.number, p.end
                ),
                EndReason::Death => {
                    format!("death on {} in period {}", end.date, p.number)
                }
            };
            let reference = match end.reason {
                EndReason::Revocation | EndReason::LiveDischarge => refs::REVOCATION,
                EndReason::TransferOut | EndReason::Death => refs::PERIODS,
            };
            Some(Finding::new(
                "period.end",
                end.date,
                true,
                message,
                reference,
            ))
        })
        .collect()
}
