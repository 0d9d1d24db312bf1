//! Ordinal values with asymmetric penalties (e.g. ESI: under-triage costs more than
//! over-triage, docs/domain/triage-esi.md §8).
//!
//! credit = 1 − steps × cost, where the cost per step depends on the direction of the error;
//! clamped to `0..=1`. The key may hold one level or a list of accepted levels (where sources
//! disagree, docs/domain/triage-esi.md §8.3 asks the rubric to accept what the other rule
//! allows); steps are counted from the nearest accepted level. A key
//! `{"accept": [2], "partial": [3]}` also names defensible levels (the handbook's "consider"):
//! each earns at least `defensible_credit`, never full credit.

use super::{Scored, as_number, fmt_num, is_blank};
use crate::grading::rubric::Direction;
use serde_json::Value;

/// The full-credit levels in a key value: one number, a list of numbers, or the `accept`
/// list of a graded key; sorted.
#[must_use]
pub(crate) fn accepted_levels(key: &Value) -> Vec<f64> {
    let mut levels: Vec<f64> = match key {
        Value::Array(items) => items.iter().filter_map(as_number).collect(),
        Value::Object(o) => o.get("accept").map(accepted_levels).unwrap_or_default(),
        other @ (Value::Null | Value::Bool(_) | Value::Number(_) | Value::String(_)) => {
            as_number(other).into_iter().collect()
        }
    };
    levels.sort_by(f64::total_cmp);
    levels
}

/// The defensible (partial-credit) levels of a graded key `{"accept": …, "partial": …}`.
#[must_use]
pub(crate) fn defensible_levels(key: &Value) -> Vec<f64> {
    key.get("partial").map(accepted_levels).unwrap_or_default()
}

/// Scores an ordinal criterion.
#[must_use]
pub fn score(
    key: &Value,
    given: Option<&Value>,
    under_is: Direction,
    (under_cost_per_step, over_cost_per_step): (f64, f64),
    defensible_credit: f64,
) -> Scored {
    let Some(given) = given.filter(|_| !is_blank(given)) else {
        return Scored::missing();
    };
    let accepted = accepted_levels(key);
    if accepted.is_empty() {
        return Scored::graded(0.0, vec!["the answer key holds no level here".to_string()]);
    }
    let Some(given_level) = as_number(given) else {
        return Scored::graded(0.0, vec![format!("`{given}` is not a level number")]);
    };
    if accepted.contains(&given_level) {
        return Scored::graded(
            1.0,
            vec![format!("level {} is correct", fmt_num(given_level))],
        );
    }
    let key_level = accepted
        .iter()
        .copied()
        .min_by(|a, b| (a - given_level).abs().total_cmp(&(b - given_level).abs()))
        .unwrap_or(given_level);
    let delta = given_level - key_level;
    let under = match under_is {
        Direction::Higher => delta > 0.0,
        Direction::Lower => delta < 0.0,
    };
    let steps = delta.abs();
    let (cost, word) = if under {
        (under_cost_per_step, "under-estimated")
    } else {
        (over_cost_per_step, "over-estimated")
    };
    let by_steps = 1.0 - steps * cost;
    let mut details = vec![format!(
        "level {} {word} by {} step(s) (expected {})",
        fmt_num(given_level),
        fmt_num(steps),
        fmt_num(key_level)
    )];
    if defensible_levels(key).contains(&given_level) && defensible_credit > by_steps {
        details.push(format!(
            "level {} is defensible (the handbook says \"consider\"): {}% credit",
            fmt_num(given_level),
            fmt_num(defensible_credit * 100.0)
        ));
        return Scored::graded(defensible_credit.clamp(0.0, 1.0), details);
    }
    Scored::graded(by_steps, details)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grading::report::Outcome;
    use serde_json::json;

    #[test]
    fn under_triage_costs_more_than_over_triage() {
        let under = score(
            &json!(2),
            Some(&json!(3)),
            Direction::Higher,
            (1.0, 0.5),
            0.5,
        );
        let over = score(
            &json!(2),
            Some(&json!(1)),
            Direction::Higher,
            (1.0, 0.5),
            0.5,
        );
        assert_eq!(under.credit, 0.0);
        assert_eq!((over.outcome, over.credit), (Outcome::Partial, 0.5));
        assert_eq!(
            under.details[0],
            "level 3 under-estimated by 1 step(s) (expected 2)"
        );
    }

    #[test]
    fn two_steps_over_with_small_cost() {
        let s = score(
            &json!(4),
            Some(&json!(2)),
            Direction::Higher,
            (1.0, 0.25),
            0.5,
        );
        assert_eq!(s.credit, 0.5);
    }

    #[test]
    fn lower_direction_flips_sides() {
        let s = score(
            &json!(5),
            Some(&json!(4)),
            Direction::Lower,
            (0.5, 0.1),
            0.5,
        );
        assert_eq!(s.credit, 0.5);
    }

    #[test]
    fn a_list_of_accepted_levels_counts_from_the_nearest() {
        let key = json!([2, 3]);
        assert_eq!(
            score(&key, Some(&json!(3)), Direction::Higher, (1.0, 0.5), 0.5).credit,
            1.0
        );
        let s = score(&key, Some(&json!(4)), Direction::Higher, (0.5, 0.5), 0.5);
        assert_eq!(
            s.details[0],
            "level 4 under-estimated by 1 step(s) (expected 3)"
        );
        assert_eq!(s.credit, 0.5);
    }

    #[test]
    fn a_defensible_level_earns_its_credit_never_full() {
        let key = json!({"accept": [2], "partial": [3]});
        let two = score(&key, Some(&json!(2)), Direction::Higher, (1.0, 0.5), 0.5);
        let three = score(&key, Some(&json!(3)), Direction::Higher, (1.0, 0.5), 0.5);
        let four = score(&key, Some(&json!(4)), Direction::Higher, (1.0, 0.5), 0.5);
        assert_eq!((two.outcome, two.credit), (Outcome::Correct, 1.0));
        assert_eq!((three.outcome, three.credit), (Outcome::Partial, 0.5));
        assert_eq!(four.credit, 0.0);
        // Over-triage to a defensible level keeps the better of the two credits.
        let key = json!({"accept": [3], "partial": [2, 4]});
        let two = score(&key, Some(&json!(2)), Direction::Higher, (1.0, 0.25), 0.5);
        assert_eq!(two.credit, 0.75);
    }

    #[test]
    fn exact_level_is_correct_and_blank_is_missing() {
        assert_eq!(
            score(
                &json!(1),
                Some(&json!("1")),
                Direction::Higher,
                (1.0, 0.5),
                0.5
            )
            .credit,
            1.0
        );
        assert_eq!(
            score(&json!(1), None, Direction::Higher, (1.0, 0.5), 0.5).outcome,
            Outcome::Missing
        );
    }
}
