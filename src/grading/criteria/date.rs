//! A date equal to the key's, or within a window of days (e.g. a hospice benefit-period end).
//!
//! Dates are ISO `YYYY-MM-DD` strings; anything else scores zero with a message saying so.

use super::{Scored, is_blank, value_text};
use chrono::NaiveDate;
use serde_json::Value;

fn parse(value: &Value) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(value.as_str()?.trim(), "%Y-%m-%d").ok()
}

/// Scores a date criterion.
#[must_use]
pub fn score(
    key: &Value,
    given: Option<&Value>,
    window_days: u32,
    partial_window_days: Option<u32>,
    partial_credit: f64,
) -> Scored {
    let Some(given) = given.filter(|_| !is_blank(given)) else {
        return Scored::missing();
    };
    let Some(key_date) = parse(key) else {
        return Scored::graded(0.0, vec!["the answer key holds no date here".to_string()]);
    };
    let Some(given_date) = parse(given) else {
        return Scored::graded(
            0.0,
            vec![format!(
                "`{}` is not a date; write it as YYYY-MM-DD",
                value_text(given)
            )],
        );
    };
    let off_days = (given_date - key_date).num_days().unsigned_abs();
    if off_days <= u64::from(window_days) {
        let detail = if off_days == 0 {
            format!("{given_date} is the expected date")
        } else {
            format!("{given_date} is {off_days} day(s) from {key_date}, within ±{window_days}")
        };
        return Scored::graded(1.0, vec![detail]);
    }
    if partial_window_days.is_some_and(|w| off_days <= u64::from(w)) {
        return Scored::graded(
            partial_credit,
            vec![format!(
                "{given_date} is {off_days} day(s) from {key_date}: partial credit"
            )],
        );
    }
    Scored::graded(
        0.0,
        vec![format!(
            "{given_date} is {off_days} day(s) from the expected {key_date}"
        )],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grading::report::Outcome;
    use serde_json::json;

    #[test]
    fn equal_date_is_correct() {
        let s = score(
            &json!("2026-03-01"),
            Some(&json!("2026-03-01")),
            0,
            None,
            0.5,
        );
        assert_eq!(s.outcome, Outcome::Correct);
    }

    #[test]
    fn within_window_is_correct() {
        let s = score(
            &json!("2026-03-01"),
            Some(&json!("2026-02-27")),
            2,
            None,
            0.5,
        );
        assert_eq!(s.outcome, Outcome::Correct);
        assert_eq!(
            s.details[0],
            "2026-02-27 is 2 day(s) from 2026-03-01, within ±2"
        );
    }

    #[test]
    fn partial_window_earns_partial() {
        let s = score(
            &json!("2026-03-01"),
            Some(&json!("2026-03-05")),
            1,
            Some(7),
            0.5,
        );
        assert_eq!((s.outcome, s.credit), (Outcome::Partial, 0.5));
    }

    #[test]
    fn outside_window_and_bad_format_are_incorrect() {
        let key = json!("2026-03-01");
        assert_eq!(
            score(&key, Some(&json!("2026-04-01")), 1, Some(7), 0.5).credit,
            0.0
        );
        let bad = score(&key, Some(&json!("03/01/2026")), 0, None, 0.5);
        assert_eq!(
            bad.details[0],
            "`03/01/2026` is not a date; write it as YYYY-MM-DD"
        );
    }
}
