//! Levels of care and their payment rules (42 CFR 418.302; Medicare Claims Processing Manual
//! ch.11 §30.1): respite 5-day limit, continuous-home-care qualification per day, and the
//! routine-home-care rate change at day 61.
//!
//! Rules: inpatient respite is paid for at most 5 consecutive days counting the admission day
//! (mark the day the patient leaves respite at the level they go to: it is paid at the home
//! rate); the 6th and later consecutive respite days are flagged (paid as RHC). A CHC day (a
//! calendar day, midnight to midnight) qualifies with at least 8 hours of care of which nursing
//! is more than half; otherwise it is paid as RHC. RHC days 1–60 of hospice care are paid at the
//! higher rate and day 61 onward at the lower one; the day count follows the patient across
//! stays and restarts only after a gap of at least 60 days out of hospice (CMS: "a minimum of a
//! 60-day gap"). Day numbers count every day of care, whatever the level.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::timeline::{LevelOfCare, Timeline, days_between, days_from_through, shift};
use super::{Finding, refs};

/// Maximum consecutive paid respite days.
pub(crate) const RESPITE_MAX_DAYS: usize = 5;
/// Minimum hours of care for a CHC day.
pub(crate) const CHC_MIN_HOURS: f64 = 8.0;
/// Last day paid at the higher RHC rate.
pub(crate) const RHC_HIGH_RATE_DAYS: i64 = 60;
/// Days out of hospice that restart the RHC day count.
pub(crate) const RHC_RESET_GAP_DAYS: i64 = 60;

/// The level of care of every listed day, in date order.
#[must_use]
pub(crate) fn care_by_day(t: &Timeline) -> BTreeMap<NaiveDate, LevelOfCare> {
    let mut days = BTreeMap::new();
    for c in &t.levels_of_care {
        let through = c.through.unwrap_or(c.from);
        for day in days_from_through(c.from, through) {
            days.insert(day, c.level);
        }
    }
    days
}

/// For each election, the first day paid at the lower RHC rate (day 61 of hospice care), if the
/// stay reaches it.
#[must_use]
pub fn rhc_low_rate_from(t: &Timeline) -> Vec<Option<NaiveDate>> {
    let mut out = Vec::new();
    let mut carried = i64::from(t.prior_hospice_days);
    let mut previous_end: Option<NaiveDate> = None;
    for (index, e) in t.elections.iter().enumerate() {
        if let Some(prev) = previous_end {
            let gap = days_between(prev, e.effective_date) - 1;
            if gap >= RHC_RESET_GAP_DAYS {
                carried = 0;
            }
        }
        let last = t.stay_last_day(index).unwrap_or(e.effective_date);
        let day_61 = shift(e.effective_date, (RHC_HIGH_RATE_DAYS - carried).max(0));
        out.push((day_61 <= last).then_some(day_61));
        carried += days_between(e.effective_date, last) + 1;
        previous_end = Some(last);
    }
    out
}

/// Findings for respite, CHC days and the RHC rate change.
#[must_use]
pub(crate) fn level_findings(t: &Timeline, low_rate_from: &[Option<NaiveDate>]) -> Vec<Finding> {
    let mut out = Vec::new();
    let days = care_by_day(t);
    let mut run: Vec<NaiveDate> = Vec::new();
    let flush = |run: &mut Vec<NaiveDate>, out: &mut Vec<Finding>| {
        if let (Some(&first), Some(&last)) = (run.first(), run.last()) {
            if run.len() <= RESPITE_MAX_DAYS {
                out.push(Finding::new(
                    "loc.respite",
                    first,
                    true,
                    format!(
                        "inpatient respite {first} to {last}: {} day(s), within the 5-day limit",
                        run.len()
                    ),
                    refs::LEVELS,
                ));
            }
            for (i, &day) in run.iter().enumerate().skip(RESPITE_MAX_DAYS) {
                out.push(Finding::new(
                    "loc.respite",
                    day,
                    false,
                    format!(
                        "respite day {} ({day}) exceeds the 5-day limit (respite began {first}): paid at the routine home care rate",
                        i + 1
                    ),
                    refs::LEVELS,
                ));
            }
        }
        run.clear();
    };
    for (&day, level) in &days {
        let continues = run.last().is_some_and(|&last| shift(last, 1) == day);
        if !(matches!(level, LevelOfCare::Irc) && continues) {
            flush(&mut run, &mut out);
        }
        if matches!(level, LevelOfCare::Irc) {
            run.push(day);
        }
        if let LevelOfCare::Chc {
            nursing_hours,
            total_hours,
        } = *level
        {
            let enough = total_hours >= CHC_MIN_HOURS;
            let nursing_majority = nursing_hours * 2.0 > total_hours;
            let ok = enough && nursing_majority;
            let why = if ok {
                "qualifies as continuous home care".to_owned()
            } else {
                let mut reasons = Vec::new();
                if !enough {
                    reasons.push("fewer than 8 hours of care");
                }
                if !nursing_majority {
                    reasons.push("nursing is not more than half of the hours");
                }
                format!(
                    "does not qualify ({}): paid as routine home care",
                    reasons.join("; ")
                )
            };
            out.push(Finding::new(
                "loc.chc",
                day,
                ok,
                format!(
                    "continuous home care on {day}: {nursing_hours} nursing of {total_hours} total hours, {why}"
                ),
                refs::CHC,
            ));
        }
    }
    flush(&mut run, &mut out);
    for date in low_rate_from.iter().flatten() {
        out.push(Finding::new(
            "loc.rhc_rate",
            *date,
            true,
            format!(
                "routine home care from {date} is paid at the lower rate (hospice day 61 onward; days 1–60 at the higher rate)"
            ),
            refs::LEVELS,
        ));
    }
    out
}
