//! Exact value / one of accepted values.
//!
//! The key's value may be a single value or a list of accepted values; the rubric may add more
//! (`accept_also`) and list answers worth partial credit, whatever the key (`partial`) or only
//! against one key value (`partial_if_key`). Comparison follows [`TextRules`]:
//! by default case-insensitive with whitespace trimmed and collapsed; numbers and booleans
//! compare by their printed form.

use super::{Scored, is_blank, normalize, value_text};
use crate::grading::rubric::TextRules;
use serde_json::Value;

/// The answers worth partial credit: whatever the key, and against one key value.
pub type Partial<'a> = (&'a [(String, f64)], &'a [(String, String, f64)]);

/// Scores an exact-match criterion.
#[must_use]
pub fn score(
    key: &Value,
    given: Option<&Value>,
    accept_also: &[String],
    (partial, partial_if_key): Partial<'_>,
    rules: TextRules,
) -> Scored {
    let Some(given) = given.filter(|_| !is_blank(given)) else {
        return Scored::missing();
    };
    let given_text = normalize(&value_text(given), rules);
    let mut accepted: Vec<String> = match key {
        Value::Array(items) => items.iter().map(value_text).collect(),
        other @ (Value::Null
        | Value::Bool(_)
        | Value::Number(_)
        | Value::String(_)
        | Value::Object(_)) => vec![value_text(other)],
    };
    accepted.extend(accept_also.iter().cloned());
    if accepted.iter().any(|a| normalize(a, rules) == given_text) {
        return Scored::graded(1.0, vec![format!("`{}` is accepted", value_text(given))]);
    }
    let key_is = |k: &str| match key {
        Value::String(_) | Value::Number(_) | Value::Bool(_) => {
            normalize(&value_text(key), rules) == normalize(k, rules)
        }
        Value::Null | Value::Array(_) | Value::Object(_) => false,
    };
    if let Some((expected, answer, credit)) = partial_if_key
        .iter()
        .find(|(k, answer, _)| normalize(answer, rules) == given_text && key_is(k))
    {
        return Scored::graded(
            *credit,
            vec![format!(
                "`{answer}` earns {:.0}% credit where the key is `{expected}`",
                credit * 100.0
            )],
        );
    }
    if let Some((answer, credit)) = partial
        .iter()
        .find(|(answer, _)| normalize(answer, rules) == given_text)
    {
        return Scored::graded(
            *credit,
            vec![format!("`{answer}` earns {:.0}% credit", credit * 100.0)],
        );
    }
    Scored::graded(
        0.0,
        vec![format!(
            "`{}` is not an accepted answer (accepted: {})",
            value_text(given),
            accepted.join(", ")
        )],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grading::report::Outcome;
    use serde_json::json;

    fn rules() -> TextRules {
        TextRules::default()
    }

    #[test]
    fn exact_match_ignores_case_and_extra_whitespace_by_default() {
        let s = score(
            &json!("Chest pain"),
            Some(&json!("  chest   PAIN")),
            &[],
            (&[], &[]),
            rules(),
        );
        assert_eq!(s.outcome, Outcome::Correct);
    }

    #[test]
    fn case_sensitive_rule_rejects_other_case() {
        let r = TextRules {
            case_sensitive: true,
            ..rules()
        };
        let s = score(&json!("NKDA"), Some(&json!("nkda")), &[], (&[], &[]), r);
        assert_eq!(s.outcome, Outcome::Incorrect);
    }

    #[test]
    fn key_list_and_accept_also_are_alternatives() {
        let k = json!(["left", "L"]);
        assert_eq!(
            score(&k, Some(&json!("l")), &[], (&[], &[]), rules()).credit,
            1.0
        );
        let extra = vec!["sinistra".to_string()];
        assert_eq!(
            score(&k, Some(&json!("Sinistra")), &extra, (&[], &[]), rules()).credit,
            1.0
        );
    }

    #[test]
    fn partial_answer_earns_listed_credit() {
        let p = vec![("3".to_string(), 0.5)];
        let s = score(&json!(2), Some(&json!(3)), &[], (&p, &[]), rules());
        assert_eq!((s.outcome, s.credit), (Outcome::Partial, 0.5));
    }

    #[test]
    fn partial_if_key_applies_only_against_its_key() {
        let p = vec![("release".to_string(), "release_in_part".to_string(), 0.5)];
        let given = json!("release_in_part");
        let s = score(&json!("release"), Some(&given), &[], (&[], &p), rules());
        assert_eq!((s.outcome, s.credit), (Outcome::Partial, 0.5));
        let s = score(&json!("deny"), Some(&given), &[], (&[], &p), rules());
        assert_eq!((s.outcome, s.credit), (Outcome::Incorrect, 0.0));
    }

    #[test]
    fn blank_is_missing() {
        assert_eq!(
            score(&json!("x"), Some(&json!(" ")), &[], (&[], &[]), rules()).outcome,
            Outcome::Missing
        );
    }

    #[test]
    fn numbers_compare_by_printed_form() {
        assert_eq!(
            score(&json!(2), Some(&json!("2")), &[], (&[], &[]), rules()).credit,
            1.0
        );
    }
}
