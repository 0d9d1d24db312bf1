//! A set of flagged records, each with the labels it is flagged for (the events of an access
//! audit with the rules they break), graded by severity-weighted precision and recall.
//!
//! Each record is identified by its `match_on` sub-field; its labels are the `labels` list.
//! A record's weight is the highest weight of its labels (a label the rubric does not list
//! weighs `default_weight`; a record with no labels too). With `W` the weight of the key's
//! records, `F` the weight found and `A` the weight of the false alarms:
//! - a key record the answer flags earns its weight × (½ + ½ × label agreement), where the
//!   label agreement is matched labels ÷ max(key labels, given labels): the right record with
//!   the wrong rules earns half;
//! - a key record the answer misses earns nothing (it costs its whole weight);
//! - a flagged record the key does not hold is a false alarm of the weight of the labels given;
//! - credit = F ÷ (W + `false_alarm_cost` × A): a miss costs its weight, a false alarm a
//!   fraction of it. An empty key counts as one unit found (credit 1 ÷ (1 + cost × A)).
//!
//! The details report weighted recall (F ÷ W) and weighted precision (F ÷ (the weight of the
//! key records flagged + A)) with the counts, then each miss, false alarm and label difference
//! with its record id, labels, weight and reference (at most [`MAX_DETAILS`] lines).

use std::collections::{HashMap, HashSet};

use super::{Scored, fmt_num, normalize, value_text};
use crate::grading::rubric::{LabelWeight, TextRules};
use serde_json::Value;

/// The most detail lines one criterion reports (the rest are counted).
pub const MAX_DETAILS: usize = 500;

/// Settings of a flag-set criterion.
#[derive(Debug, Clone, Copy)]
pub struct FlagRules<'a> {
    /// Identifying sub-field.
    pub match_on: &'a str,
    /// Sub-field with the labels.
    pub labels: &'a str,
    /// Label weights and references.
    pub weights: &'a [LabelWeight],
    /// The weight of a label not listed.
    pub default_weight: f64,
    /// A false alarm's cost as a fraction of its weight.
    pub false_alarm_cost: f64,
}

/// One record: its id and labels, as written and normalised.
struct Flag {
    id: String,
    shown: String,
    labels: Vec<String>,
}

fn flags(list: &Value, rules: FlagRules<'_>) -> Vec<Flag> {
    let text = TextRules::default();
    list.as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(Value::as_object)
                .filter_map(|rec| {
                    let shown = rec.get(rules.match_on).map(value_text)?.trim().to_owned();
                    let id = normalize(&shown, text);
                    if id.is_empty() {
                        return None;
                    }
                    let mut labels: Vec<String> = Vec::new();
                    let raw = rec.get(rules.labels);
                    let items: Vec<&Value> = match raw {
                        Some(Value::Array(a)) => a.iter().collect(),
                        Some(v @ Value::String(_)) => vec![v],
                        Some(
                            Value::Null | Value::Bool(_) | Value::Number(_) | Value::Object(_),
                        )
                        | None => Vec::new(),
                    };
                    for l in items {
                        let l = normalize(&value_text(l), text);
                        if !l.is_empty() && !labels.contains(&l) {
                            labels.push(l);
                        }
                    }
                    Some(Flag { id, shown, labels })
                })
                .collect()
        })
        .unwrap_or_default()
}

impl FlagRules<'_> {
    fn entry(&self, label: &str) -> Option<&LabelWeight> {
        let text = TextRules::default();
        self.weights
            .iter()
            .find(|w| normalize(&w.label, text) == label)
    }

    fn weight_of(&self, label: &str) -> f64 {
        self.entry(label)
            .map_or(self.default_weight, |w| w.weight)
            .max(0.0)
    }

    /// A record's weight: its heaviest label's.
    fn weight(&self, labels: &[String]) -> f64 {
        labels
            .iter()
            .map(|l| self.weight_of(l))
            .fold(None, |m: Option<f64>, w| Some(m.map_or(w, |m| m.max(w))))
            .unwrap_or_else(|| self.default_weight.max(0.0))
    }

    /// The labels with their references, e.g. `account.terminated (45 CFR 164.308(a)(3)(ii)(C))`.
    fn described(&self, labels: &[String]) -> String {
        if labels.is_empty() {
            return "no rule given".to_owned();
        }
        labels
            .iter()
            .map(|l| match self.entry(l).map(|w| w.reference.trim()) {
                Some(r) if !r.is_empty() => format!("{l} ({r})"),
                Some(_) | None => l.clone(),
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Sums and counts of a comparison.
#[derive(Default)]
struct Tally {
    key_weight: f64,
    found: f64,
    flagged_key_weight: f64,
    false_weight: f64,
    hits: usize,
    misses: usize,
    false_alarms: usize,
}

/// Scores a flag-set criterion.
#[must_use]
pub fn score(key: &Value, given: Option<&Value>, rules: FlagRules<'_>) -> Scored {
    let Some(given) = given.filter(|g| g.is_array()) else {
        return Scored::missing();
    };
    let expected = flags(key, rules);
    let got = flags(given, rules);
    if expected.is_empty() && got.is_empty() {
        return Scored::graded(1.0, vec!["nothing to flag, nothing flagged".to_owned()]);
    }
    if got.is_empty() {
        return Scored::missing();
    }
    let mut by_id: HashMap<&str, &Flag> = HashMap::with_capacity(got.len());
    let mut lines = Vec::new();
    for g in &got {
        if by_id.contains_key(g.id.as_str()) {
            lines.push(format!("{} is flagged twice: the first counts", g.shown));
        } else {
            by_id.insert(&g.id, g);
        }
    }
    let mut t = Tally::default();
    let key_ids: HashSet<&str> = expected.iter().map(|k| k.id.as_str()).collect();
    for k in &expected {
        let w = rules.weight(&k.labels);
        t.key_weight += w;
        let Some(g) = by_id.get(k.id.as_str()) else {
            t.misses += 1;
            lines.push(format!(
                "missed {}: {} (weight {})",
                k.shown,
                rules.described(&k.labels),
                fmt_num(w)
            ));
            continue;
        };
        t.hits += 1;
        t.flagged_key_weight += w;
        let matched = k.labels.iter().filter(|l| g.labels.contains(l)).count();
        let denom = k.labels.len().max(g.labels.len());
        let agreement = if denom == 0 {
            1.0
        } else {
            ratio(matched, denom)
        };
        t.found += w * (0.5 + 0.5 * agreement);
        let missing: Vec<String> = k
            .labels
            .iter()
            .filter(|l| !g.labels.contains(l))
            .cloned()
            .collect();
        if !missing.is_empty() {
            lines.push(format!(
                "{}: also breaks {}",
                k.shown,
                rules.described(&missing)
            ));
        }
        let wrong: Vec<String> = g
            .labels
            .iter()
            .filter(|l| !k.labels.contains(l))
            .cloned()
            .collect();
        if !wrong.is_empty() {
            lines.push(format!(
                "{}: {} does not apply",
                k.shown,
                rules.described(&wrong)
            ));
        }
    }
    // False alarms in the answer's order.
    let mut counted: HashSet<&str> = HashSet::new();
    for g in &got {
        if key_ids.contains(g.id.as_str()) || !counted.insert(g.id.as_str()) {
            continue;
        }
        let w = rules.weight(&g.labels);
        t.false_weight += w;
        t.false_alarms += 1;
        lines.push(format!(
            "false alarm {}: flagged for {}, but it breaks no rule (weight {}, costs {})",
            g.shown,
            rules.described(&g.labels),
            fmt_num(w),
            fmt_num(w * rules.false_alarm_cost)
        ));
    }
    finish(&t, expected.len(), rules.false_alarm_cost, lines)
}

fn finish(t: &Tally, expected: usize, cost: f64, lines: Vec<String>) -> Scored {
    let cost = if cost.is_finite() { cost.max(0.0) } else { 0.0 };
    let credit = if t.key_weight > 0.0 {
        t.found / (t.key_weight + cost * t.false_weight)
    } else {
        1.0 / (1.0 + cost * t.false_weight)
    };
    let pct = |num: f64, den: f64| {
        if den > 0.0 {
            fmt_num(num / den * 100.0)
        } else {
            "100".to_owned()
        }
    };
    let mut details = vec![format!(
        "{} of {expected} flagged event(s) found, {} missed, {} false alarm(s); weighted recall \
         {}%, weighted precision {}%; credit {} ÷ ({} + {} × {}) = {}%",
        t.hits,
        t.misses,
        t.false_alarms,
        pct(t.found, t.key_weight),
        pct(t.found, t.flagged_key_weight + t.false_weight),
        fmt_num(t.found),
        fmt_num(t.key_weight),
        fmt_num(cost),
        fmt_num(t.false_weight),
        fmt_num(credit * 100.0)
    )];
    let more = lines.len().saturating_sub(MAX_DETAILS);
    details.extend(lines.into_iter().take(MAX_DETAILS));
    if more > 0 {
        details.push(format!("... and {more} more"));
    }
    Scored::graded(credit, details)
}

fn ratio(num: usize, denom: usize) -> f64 {
    // Label lists are short; the conversion is exact.
    #[allow(clippy::cast_precision_loss)]
    let r = num as f64 / denom as f64;
    r
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grading::report::Outcome;
    use serde_json::json;

    fn weights() -> Vec<LabelWeight> {
        [
            ("terminated", 4.0),
            ("snoop", 3.0),
            ("bulk", 2.0),
            ("late", 1.0),
        ]
        .iter()
        .map(|(l, w)| LabelWeight {
            label: (*l).to_owned(),
            weight: *w,
            reference: format!("ref {l}"),
        })
        .collect()
    }

    fn score_of(key: &Value, given: &Value) -> Scored {
        let w = weights();
        score(
            key,
            Some(given),
            FlagRules {
                match_on: "event",
                labels: "rules",
                weights: &w,
                default_weight: 1.0,
                false_alarm_cost: 0.5,
            },
        )
    }

    fn key() -> Value {
        json!([
            {"event": "E1", "rules": ["terminated"]},
            {"event": "E2", "rules": ["snoop"]},
            {"event": "E3", "rules": ["bulk"]},
            {"event": "E4", "rules": ["late"]},
        ])
    }

    #[test]
    fn flags_the_key_is_full_credit() {
        let s = score_of(&key(), &key());
        assert_eq!(s.outcome, Outcome::Correct);
        assert_eq!(
            s.details,
            vec![
                "4 of 4 flagged event(s) found, 0 missed, 0 false alarm(s); weighted recall 100%, \
                 weighted precision 100%; credit 10 ÷ (10 + 0.5 × 0) = 100%"
            ]
        );
    }

    #[test]
    fn flags_a_missed_high_costs_more_than_a_missed_low_and_a_false_alarm_costs_half() {
        let miss_high = json!([
            {"event": "E1", "rules": ["terminated"]},
            {"event": "E3", "rules": ["bulk"]},
            {"event": "E4", "rules": ["late"]},
        ]);
        let miss_low = json!([
            {"event": "E1", "rules": ["terminated"]},
            {"event": "E2", "rules": ["snoop"]},
            {"event": "E3", "rules": ["bulk"]},
        ]);
        assert!((score_of(&key(), &miss_high).credit - 0.7).abs() < 1e-12);
        assert!((score_of(&key(), &miss_low).credit - 0.9).abs() < 1e-12);
        // Everything found, and one false alarm of weight 3: 10 ÷ (10 + 1.5).
        let mut all = key();
        if let Some(a) = all.as_array_mut() {
            a.push(json!({"event": "E9", "rules": ["snoop"]}));
        }
        let s = score_of(&key(), &all);
        assert!((s.credit - 10.0 / 11.5).abs() < 1e-12);
        assert_eq!(
            s.details[1],
            "false alarm E9: flagged for snoop (ref snoop), but it breaks no rule (weight 3, costs 1.5)"
        );
        let missed = score_of(&key(), &miss_high);
        assert_eq!(missed.details[1], "missed E2: snoop (ref snoop) (weight 3)");
    }

    #[test]
    fn flags_the_right_event_with_the_wrong_rule_earns_half_its_weight() {
        let given = json!([
            {"event": "E1", "rules": ["late"]},
            {"event": "E2", "rules": ["snoop"]},
            {"event": "E3", "rules": ["bulk"]},
            {"event": "E4", "rules": ["late"]},
        ]);
        let s = score_of(&key(), &given);
        // E1 earns 4 × ½: (2 + 3 + 2 + 1) ÷ 10.
        assert!((s.credit - 0.8).abs() < 1e-12);
        assert_eq!(
            &s.details[1..],
            &[
                "E1: also breaks terminated (ref terminated)".to_owned(),
                "E1: late (ref late) does not apply".to_owned()
            ]
        );
    }

    #[test]
    fn flags_empty_answers_and_empty_keys() {
        assert_eq!(score_of(&key(), &json!([])).outcome, Outcome::Missing);
        assert_eq!(score_of(&json!([]), &json!([])).outcome, Outcome::Correct);
        let alarm = score_of(&json!([]), &json!([{"event": "E5", "rules": ["bulk"]}]));
        assert!((alarm.credit - 0.5).abs() < 1e-12);
    }
}
