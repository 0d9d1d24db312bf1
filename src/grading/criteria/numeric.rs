//! A number within a tolerance of the key, with units checked and converted.
//!
//! Values are a JSON number, `{"value": n, "unit": "u"}`, or a string `"98.6 °F"`. Both sides
//! are converted to the criterion's `unit` (or the key's unit when the criterion has none)
//! before comparing. A submitted number without a unit scores zero when `require_unit` is set
//! and a unit applies (docs/domain/charting.md §2: vital signs are recorded with units).

use super::units::{canonical, convert};
use super::{Scored, as_number, fmt_num, is_blank};
use serde_json::Value;

/// A number with an optional unit.
#[derive(Debug, Clone, PartialEq)]
pub struct Quantity {
    /// The number.
    pub value: f64,
    /// The unit as written, if any.
    pub unit: Option<String>,
}

/// Reads a quantity from JSON; `None` when it holds no finite number.
#[must_use]
pub(crate) fn parse_quantity(value: &Value) -> Option<Quantity> {
    match value {
        Value::Object(map) => Some(Quantity {
            value: as_number(map.get("value")?)?,
            unit: map
                .get("unit")
                .and_then(Value::as_str)
                .map(str::trim)
                .filter(|u| !u.is_empty())
                .map(str::to_string),
        }),
        Value::String(s) => {
            let s = s.trim();
            let split = s
                .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-' || c == '+'))
                .unwrap_or(s.len());
            let (num, unit) = s.split_at(split);
            let unit = unit.trim();
            Some(Quantity {
                value: num.trim().parse::<f64>().ok().filter(|v| v.is_finite())?,
                unit: (!unit.is_empty()).then(|| unit.to_string()),
            })
        }
        other @ (Value::Null | Value::Bool(_) | Value::Number(_) | Value::Array(_)) => {
            Some(Quantity {
                value: as_number(other)?,
                unit: None,
            })
        }
    }
}

/// Settings of a numeric criterion.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NumericRules<'a> {
    /// Full-credit tolerance, in `unit`.
    pub tolerance: f64,
    /// Criterion unit.
    pub unit: Option<&'a str>,
    /// Partial band, in `unit`.
    pub partial_tolerance: Option<f64>,
    /// Credit in the partial band.
    pub partial_credit: f64,
    /// Whether a submitted number must carry a unit.
    pub require_unit: bool,
}

/// Scores a numeric criterion.
#[must_use]
pub fn score(key: &Value, given: Option<&Value>, rules: NumericRules<'_>) -> Scored {
    let Some(given) = given.filter(|_| !is_blank(given)) else {
        return Scored::missing();
    };
    let Some(key_q) = parse_quantity(key) else {
        return Scored::graded(0.0, vec!["the answer key holds no number here".to_string()]);
    };
    let Some(given_q) = parse_quantity(given) else {
        return Scored::graded(0.0, vec![format!("`{given}` is not a number")]);
    };
    let target = rules
        .unit
        .map(str::to_string)
        .or_else(|| key_q.unit.clone());
    let Some(target) = target else {
        return compare(key_q.value, given_q.value, "", rules, Vec::new());
    };
    let key_value = match &key_q.unit {
        Some(u) => match convert(key_q.value, u, &target) {
            Ok(v) => v,
            Err(e) => return Scored::graded(0.0, vec![format!("answer key: {e}")]),
        },
        None => key_q.value,
    };
    let mut details = Vec::new();
    let given_value = match &given_q.unit {
        None if rules.require_unit => {
            return Scored::graded(
                0.0,
                vec![format!(
                    "{} was given without a unit; record it with its unit (e.g. {} {})",
                    fmt_num(given_q.value),
                    fmt_num(key_value),
                    canonical(&target)
                )],
            );
        }
        None => given_q.value,
        Some(u) => match convert(given_q.value, u, &target) {
            Ok(v) => {
                if canonical(u) != canonical(&target) {
                    details.push(format!(
                        "{} {} = {} {}",
                        fmt_num(given_q.value),
                        canonical(u),
                        fmt_num(v),
                        canonical(&target)
                    ));
                }
                v
            }
            Err(e) => {
                return Scored::graded(0.0, vec![format!("wrong unit: {e}")]);
            }
        },
    };
    compare(key_value, given_value, &canonical(&target), rules, details)
}

fn compare(
    key: f64,
    given: f64,
    unit: &str,
    rules: NumericRules<'_>,
    mut details: Vec<String>,
) -> Scored {
    const SLACK: f64 = 1e-9;
    let diff = (given - key).abs();
    let unit_sp = if unit.is_empty() {
        String::new()
    } else {
        format!(" {unit}")
    };
    let credit = if diff <= rules.tolerance + SLACK {
        details.push(format!(
            "{}{unit_sp} is within ±{}{unit_sp} of {}{unit_sp}",
            fmt_num(given),
            fmt_num(rules.tolerance),
            fmt_num(key)
        ));
        1.0
    } else if rules.partial_tolerance.is_some_and(|p| diff <= p + SLACK) {
        details.push(format!(
            "{}{unit_sp} is off by {}{unit_sp} (partial band ±{}{unit_sp})",
            fmt_num(given),
            fmt_num(diff),
            fmt_num(rules.partial_tolerance.unwrap_or(0.0))
        ));
        rules.partial_credit
    } else {
        details.push(format!(
            "{}{unit_sp} is off by {}{unit_sp}; expected {}{unit_sp} ±{}{unit_sp}",
            fmt_num(given),
            fmt_num(diff),
            fmt_num(key),
            fmt_num(rules.tolerance)
        ));
        0.0
    };
    Scored::graded(credit, details)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grading::report::Outcome;
    use serde_json::json;

    fn rules(unit: Option<&str>) -> NumericRules<'_> {
        NumericRules {
            tolerance: 0.2,
            unit,
            partial_tolerance: Some(1.0),
            partial_credit: 0.5,
            require_unit: true,
        }
    }

    #[test]
    fn fahrenheit_answer_matches_celsius_key() {
        let key = json!({"value": 38.0, "unit": "°C"});
        let s = score(
            &key,
            Some(&json!({"value": 100.4, "unit": "F"})),
            rules(Some("°C")),
        );
        assert_eq!(s.outcome, Outcome::Correct);
        assert_eq!(s.details[0], "100.4 °F = 38 °C");
    }

    #[test]
    fn string_quantity_is_parsed() {
        let key = json!({"value": 70, "unit": "kg"});
        let s = score(&key, Some(&json!("154.3 lb")), rules(Some("kg")));
        assert_eq!(s.outcome, Outcome::Correct);
    }

    #[test]
    fn partial_band_earns_partial_credit() {
        let s = score(&json!(37.0), Some(&json!("37.8 °C")), rules(Some("°C")));
        assert_eq!((s.outcome, s.credit), (Outcome::Partial, 0.5));
    }

    #[test]
    fn missing_unit_scores_zero_when_required() {
        let s = score(&json!(37.0), Some(&json!(37.0)), rules(Some("°C")));
        assert_eq!(s.outcome, Outcome::Incorrect);
        assert!(s.details[0].contains("without a unit"));
    }

    #[test]
    fn wrong_dimension_scores_zero() {
        let s = score(&json!(70.0), Some(&json!("70 cm")), rules(Some("kg")));
        assert_eq!(
            s.details,
            vec!["wrong unit: cannot convert cm to kg".to_string()]
        );
    }

    #[test]
    fn unitless_number_compares_plainly() {
        let mut r = rules(None);
        r.tolerance = 0.0;
        assert_eq!(
            score(&json!(7), Some(&json!(7)), r).outcome,
            Outcome::Correct
        );
        assert_eq!(
            score(&json!(7), Some(&json!(9)), r).outcome,
            Outcome::Incorrect
        );
    }

    #[test]
    fn not_a_number_is_incorrect() {
        assert_eq!(
            score(&json!(7), Some(&json!("seven")), rules(None)).outcome,
            Outcome::Incorrect
        );
    }
}
