//! Critical-error gates: conditions that cap or zero the whole score (wrong patient, missed
//! allergy, under-triage of ESI 1/2 — docs/domain/triage-esi.md §2-3,
//! docs/domain/charting.md §6).
//!
//! A gate fires when its condition holds; a missing answer always fires it (a blank answer
//! never passes a critical gate). Gates never add points.

use super::list::item_identity;
use super::ordinal::accepted_levels;
use super::required::Synonyms;
use super::{as_number, fmt_num, is_blank, normalize, value_text};
use crate::grading::rubric::{GateCondition, TextRules};
use serde_json::Value;

/// Decides whether a gate fires; `Some(reason)` when it does.
///
/// `criterion_percent` returns a criterion's earned percent by id (for `CriterionBelow`);
/// `critical_errors` the critical coding errors a criterion found (for `CodingError`).
#[must_use]
pub(crate) fn fires(
    condition: &GateCondition,
    key: Option<&Value>,
    given: Option<&Value>,
    criterion_percent: &dyn Fn(&str) -> Option<f64>,
    critical_errors: &dyn Fn(&str) -> Vec<String>,
) -> Option<String> {
    let rules = TextRules::default();
    match condition {
        GateCondition::CodingError { criterion } => {
            let errors = critical_errors(criterion);
            (!errors.is_empty()).then(|| errors.join("; "))
        }
        GateCondition::CriterionBelow { criterion, percent } => {
            let got = criterion_percent(criterion)?;
            (got < *percent).then(|| {
                format!(
                    "criterion {criterion} earned {}% (needs {}%)",
                    fmt_num(got),
                    fmt_num(*percent)
                )
            })
        }
        _ if key.is_none() => None,
        GateCondition::MismatchWhenKeyIn { key_in } => {
            // Only the listed key values are gated; for them a blank answer fires too.
            let k = normalize(&value_text(key?), rules);
            if !key_in.iter().any(|v| normalize(v, rules) == k) {
                return None;
            }
            if is_blank(given) {
                return Some("no answer given".to_string());
            }
            let g = normalize(&value_text(given?), rules);
            (k != g).then(|| format!("given `{g}`, expected `{k}`"))
        }
        _ if is_blank(given) => Some("no answer given".to_string()),
        GateCondition::Mismatch => {
            let k = normalize(&value_text(key?), rules);
            let g = normalize(&value_text(given?), rules);
            (k != g).then(|| format!("given `{g}`, expected `{k}`"))
        }
        GateCondition::MissingItem { match_on, synonyms } => {
            let synonyms = Synonyms::new(synonyms, rules);
            let ids = |v: &Value| -> Vec<String> {
                v.as_array()
                    .map(|a| {
                        a.iter()
                            .map(|i| synonyms.identity(&item_identity(i, Some(match_on), rules)))
                            .collect()
                    })
                    .unwrap_or_default()
            };
            let got = ids(given?);
            let missing: Vec<String> = ids(key?)
                .into_iter()
                .filter(|k| !k.is_empty() && !got.contains(k))
                .collect();
            (!missing.is_empty()).then(|| format!("not documented: {}", missing.join(", ")))
        }
        GateCondition::UnderTriage { when_key_at_most } => {
            // With several accepted or defensible levels, only going past the least urgent one
            // is under-triage.
            let key = key?;
            let mut levels = accepted_levels(key);
            levels.extend(super::ordinal::defensible_levels(key));
            let k = levels.into_iter().max_by(f64::total_cmp)?;
            let Some(g) = as_number(given?) else {
                return Some("no valid level given".to_string());
            };
            (k <= f64::from(*when_key_at_most) && g > k).then(|| {
                format!(
                    "assigned level {} to a level-{} patient",
                    fmt_num(g),
                    fmt_num(k)
                )
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn none(_: &str) -> Option<f64> {
        None
    }

    fn no_errors(_: &str) -> Vec<String> {
        Vec::new()
    }

    #[test]
    fn wrong_patient_fires_mismatch() {
        let c = GateCondition::Mismatch;
        assert!(
            fires(
                &c,
                Some(&json!("MRN-1")),
                Some(&json!("mrn-1")),
                &none,
                &no_errors
            )
            .is_none()
        );
        assert_eq!(
            fires(
                &c,
                Some(&json!("MRN-1")),
                Some(&json!("MRN-2")),
                &none,
                &no_errors
            )
            .as_deref(),
            Some("given `mrn-2`, expected `mrn-1`")
        );
    }

    #[test]
    fn missed_allergy_fires() {
        let c = GateCondition::MissingItem {
            match_on: "allergen".into(),
            synonyms: vec![vec!["penicillin".into(), "PCN".into()]],
        };
        let key = json!([{"allergen": "Penicillin"}, {"allergen": "latex"}]);
        let given = json!([{"allergen": "latex"}]);
        assert_eq!(
            fires(&c, Some(&key), Some(&given), &none, &no_errors).as_deref(),
            Some("not documented: penicillin")
        );
        let given = json!([{"allergen": "latex"}, {"allergen": "pcn"}]);
        assert!(fires(&c, Some(&key), Some(&given), &none, &no_errors).is_none());
    }

    #[test]
    fn under_triage_of_esi_1_fires_but_over_triage_does_not() {
        let c = GateCondition::UnderTriage {
            when_key_at_most: 2,
        };
        assert!(fires(&c, Some(&json!(1)), Some(&json!(2)), &none, &no_errors).is_some());
        assert!(fires(&c, Some(&json!(3)), Some(&json!(4)), &none, &no_errors).is_none());
        assert!(fires(&c, Some(&json!(2)), Some(&json!(1)), &none, &no_errors).is_none());
    }

    #[test]
    fn under_triage_counts_from_the_least_urgent_accepted_level() {
        let c = GateCondition::UnderTriage {
            when_key_at_most: 2,
        };
        assert!(fires(&c, Some(&json!([2, 3])), Some(&json!(3)), &none, &no_errors).is_none());
        assert!(fires(&c, Some(&json!([1, 2])), Some(&json!(3)), &none, &no_errors).is_some());
    }

    #[test]
    fn blank_answer_fires_and_absent_key_does_not() {
        let c = GateCondition::Mismatch;
        assert!(fires(&c, Some(&json!("x")), None, &none, &no_errors).is_some());
        assert!(fires(&c, None, None, &none, &no_errors).is_none());
    }

    #[test]
    fn mismatch_when_key_in_fires_only_for_the_listed_key_values() {
        let c = GateCondition::MismatchWhenKeyIn {
            key_in: vec!["high".into()],
        };
        let fire = |k: &str, g: Option<&str>| {
            let g = g.map(|g| json!(g));
            fires(&c, Some(&json!(k)), g.as_ref(), &none, &no_errors)
        };
        assert_eq!(
            fire("high", Some("moderate")).as_deref(),
            Some("given `moderate`, expected `high`")
        );
        assert_eq!(fire("high", None).as_deref(), Some("no answer given"));
        assert!(fire("High", Some("high")).is_none());
        assert!(fire("moderate", Some("low")).is_none());
        assert!(fire("low", None).is_none());
        assert!(fires(&c, None, Some(&json!("low")), &none, &no_errors).is_none());
    }

    #[test]
    fn criterion_below_threshold_fires() {
        let c = GateCondition::CriterionBelow {
            criterion: "codes".into(),
            percent: 50.0,
        };
        assert!(fires(&c, None, None, &|_| Some(40.0), &no_errors).is_some());
        assert!(fires(&c, None, None, &|_| Some(50.0), &no_errors).is_none());
    }
}
