//! Lists with and without order.
//!
//! Items are identified by their normalised text (or, for records, by the `match_on` sub-field).
//! - **Ordered** (e.g. a triage queue): credit = LCS ÷ max(expected, given), where LCS is the
//!   longest common subsequence. One misplaced item in five scores 0.8; a missing or an extra
//!   item costs the same as a misplaced one. LCS was chosen over Kendall tau because it also
//!   handles missing and extra items without a separate rule.
//! - **Unordered**: credit = matched ÷ max(expected, given) = min(precision, recall), the same
//!   shape as the AAPC coding formula (over-listing divides by what was given, under-listing by
//!   what was expected). Duplicates count once per occurrence in the key.

use super::{Scored, normalize, value_text};
use crate::grading::rubric::TextRules;
use serde_json::Value;

/// The identity of a list item: normalised text, or the `match_on` field of a record.
#[must_use]
pub(crate) fn item_identity(item: &Value, match_on: Option<&str>, rules: TextRules) -> String {
    let raw = match (match_on, item) {
        (Some(field), Value::Object(map)) => map.get(field).map(value_text).unwrap_or_default(),
        _ => value_text(item),
    };
    normalize(&raw, rules)
}

fn identities(list: &Value, match_on: Option<&str>, rules: TextRules) -> Vec<String> {
    list.as_array()
        .map(|items| {
            items
                .iter()
                .map(|i| item_identity(i, match_on, rules))
                .filter(|s| !s.is_empty())
                .collect()
        })
        .unwrap_or_default()
}

/// Length of the longest common subsequence.
#[must_use]
pub(crate) fn lcs_len(a: &[String], b: &[String]) -> usize {
    let mut prev = vec![0usize; b.len() + 1];
    for x in a {
        let mut cur = vec![0usize; b.len() + 1];
        for (j, y) in b.iter().enumerate() {
            let best = if x == y {
                prev.get(j).copied().unwrap_or(0) + 1
            } else {
                let up = prev.get(j + 1).copied().unwrap_or(0);
                let left = cur.get(j).copied().unwrap_or(0);
                up.max(left)
            };
            if let Some(slot) = cur.get_mut(j + 1) {
                *slot = best;
            }
        }
        prev = cur;
    }
    prev.last().copied().unwrap_or(0)
}

fn given_list(given: Option<&Value>) -> Option<&Value> {
    given.filter(|g| g.as_array().is_some_and(|a| !a.is_empty()))
}

/// The key's and the answer's item identities, or the score when there is nothing to compare:
/// full credit for an empty answer to an empty key, else missing.
fn both_lists(
    key: &Value,
    given: Option<&Value>,
    match_on: Option<&str>,
    rules: TextRules,
) -> Result<(Vec<String>, Vec<String>), Scored> {
    let expected = identities(key, match_on, rules);
    let Some(list) = given_list(given) else {
        return Err(if expected.is_empty() && given.is_some() {
            Scored::graded(1.0, vec!["nothing to list".to_string()])
        } else {
            Scored::missing()
        });
    };
    Ok((expected, identities(list, match_on, rules)))
}

/// Scores an ordered list by longest common subsequence.
#[must_use]
pub(crate) fn score_ordered(
    key: &Value,
    given: Option<&Value>,
    match_on: Option<&str>,
    rules: TextRules,
) -> Scored {
    let (expected, got) = match both_lists(key, given, match_on, rules) {
        Ok(lists) => lists,
        Err(scored) => return scored,
    };
    let common = lcs_len(&expected, &got);
    let denom = expected.len().max(got.len()).max(1);
    let mut details = vec![format!(
        "{common} of {} item(s) in the expected order (longest common subsequence); expected order: {}",
        expected.len(),
        expected.join(" → ")
    )];
    details.extend(set_differences(&expected, &got));
    Scored::graded(ratio(common, denom), details)
}

/// Scores an unordered list by matched ÷ max(expected, given).
#[must_use]
pub(crate) fn score_unordered(
    key: &Value,
    given: Option<&Value>,
    match_on: Option<&str>,
    rules: TextRules,
) -> Scored {
    let (expected, got) = match both_lists(key, given, match_on, rules) {
        Ok(lists) => lists,
        Err(scored) => return scored,
    };
    let matched = multiset_matches(&expected, &got);
    let denom = expected.len().max(got.len()).max(1);
    let mut details = vec![format!(
        "{matched} matched; precision {matched}/{}, recall {matched}/{}",
        got.len(),
        expected.len()
    )];
    details.extend(set_differences(&expected, &got));
    Scored::graded(ratio(matched, denom), details)
}

fn ratio(num: usize, denom: usize) -> f64 {
    // Lists are short; the conversion is exact below 2^52.
    #[allow(clippy::cast_precision_loss)]
    let r = num as f64 / denom as f64;
    r
}

/// Number of items of `got` matched one-for-one against `expected`.
#[must_use]
pub(crate) fn multiset_matches(expected: &[String], got: &[String]) -> usize {
    let mut pool: Vec<&String> = expected.iter().collect();
    let mut matched = 0;
    for g in got {
        if let Some(pos) = pool.iter().position(|e| *e == g) {
            pool.swap_remove(pos);
            matched += 1;
        }
    }
    matched
}

fn set_differences(expected: &[String], got: &[String]) -> Vec<String> {
    let missing: Vec<&str> = expected
        .iter()
        .filter(|e| !got.contains(e))
        .map(String::as_str)
        .collect();
    let extra: Vec<&str> = got
        .iter()
        .filter(|g| !expected.contains(g))
        .map(String::as_str)
        .collect();
    let mut out = Vec::new();
    if !missing.is_empty() {
        out.push(format!("missing: {}", missing.join(", ")));
    }
    if !extra.is_empty() {
        out.push(format!("not expected: {}", extra.join(", ")));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grading::report::Outcome;
    use serde_json::json;

    fn r() -> TextRules {
        TextRules::default()
    }

    #[test]
    fn ordered_exact_queue_is_correct() {
        let k = json!(["p1", "p2", "p3"]);
        assert_eq!(
            score_ordered(&k, Some(&k), None, r()).outcome,
            Outcome::Correct
        );
    }

    #[test]
    fn ordered_one_swap_in_five_scores_four_fifths() {
        let k = json!(["a", "b", "c", "d", "e"]);
        let g = json!(["a", "c", "b", "d", "e"]);
        assert!((score_ordered(&k, Some(&g), None, r()).credit - 0.8).abs() < 1e-12);
    }

    #[test]
    fn ordered_records_match_on_field() {
        let k = json!([{"id": "p2"}, {"id": "p1"}]);
        let g = json!([{"id": "P1"}, {"id": "p2"}]);
        assert_eq!(score_ordered(&k, Some(&g), Some("id"), r()).credit, 0.5);
    }

    #[test]
    fn unordered_over_listing_uses_precision() {
        let k = json!(["a", "b"]);
        let g = json!(["b", "a", "c", "d"]);
        let s = score_unordered(&k, Some(&g), None, r());
        assert_eq!(s.credit, 0.5);
        assert_eq!(s.details[0], "2 matched; precision 2/4, recall 2/2");
    }

    #[test]
    fn unordered_under_listing_uses_recall() {
        let k = json!(["a", "b", "c", "d"]);
        let g = json!(["d"]);
        assert_eq!(score_unordered(&k, Some(&g), None, r()).credit, 0.25);
    }

    #[test]
    fn empty_given_list_is_missing() {
        let k = json!(["a"]);
        assert_eq!(
            score_unordered(&k, Some(&json!([])), None, r()).outcome,
            Outcome::Missing
        );
    }
}
