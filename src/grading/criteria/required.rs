//! Required entries present, with per-item credit (e.g. every allergy documented with allergen,
//! reaction and severity — docs/domain/charting.md §6).
//!
//! Each key item is worth an equal share. An item is found when a submitted record's `match_on`
//! value equals the key's (text rules apply; `synonyms` groups make spellings equivalent). A
//! found item earns `(1 + matching sub-fields) ÷ (1 + required sub-fields)` of its share; a
//! sub-field the key item lacks is not required for that item. Each submitted item matching no
//! key item removes `extra_item_penalty` of the criterion. Several entries for one key item that
//! disagree on a required field (every level of care listed for one day) earn nothing for that
//! item: a second answer is not a detail. An empty key list (e.g. NKDA) is satisfied only by an
//! empty submitted list.

use super::{Scored, fmt_num, normalize, same_normalized, value_str, value_text};
use crate::grading::rubric::TextRules;
use serde_json::{Map, Value};
use std::collections::HashMap;

/// Settings of a required-entries criterion.
#[derive(Debug, Clone, Copy)]
pub struct RequiredRules<'a> {
    /// Identifying sub-field.
    pub match_on: &'a str,
    /// Required sub-fields.
    pub fields: &'a [String],
    /// Synonym groups for the identifying value.
    pub synonyms: &'a [Vec<String>],
    /// Penalty per extra item.
    pub extra_item_penalty: f64,
    /// Text rules.
    pub text: TextRules,
}

/// A record's field as text ([`value_str`]; empty when absent).
fn text_of<'r>(record: &'r Map<String, Value>, field: &str) -> std::borrow::Cow<'r, str> {
    record.get(field).map(value_str).unwrap_or_default()
}

/// Synonym groups for identifying values, normalised once for many values.
pub(crate) struct Synonyms {
    rules: TextRules,
    /// Each group: its first member (the canonical identity) and every member, normalised.
    groups: Vec<(String, Vec<String>)>,
}

impl Synonyms {
    /// `groups` under `rules`.
    pub(crate) fn new(groups: &[Vec<String>], rules: TextRules) -> Self {
        Self {
            rules,
            groups: groups
                .iter()
                .filter_map(|group| {
                    let first = normalize(group.first()?, rules);
                    Some((first, group.iter().map(|s| normalize(s, rules)).collect()))
                })
                .collect(),
        }
    }

    /// Canonical identity of a value: the first member of the first group that holds it, or
    /// the value itself (normalised).
    pub(crate) fn identity(&self, value: &str) -> String {
        let v = normalize(value, self.rules);
        self.groups
            .iter()
            .find(|(_, members)| members.contains(&v))
            .map_or(v, |(first, _)| first.clone())
    }
}

fn records(value: &Value) -> Vec<&Map<String, Value>> {
    value
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_object).collect())
        .unwrap_or_default()
}

/// Scores a required-entries criterion.
#[must_use]
pub fn score(key: &Value, given: Option<&Value>, rules: RequiredRules<'_>) -> Scored {
    let Some(given) = given.filter(|g| g.is_array()) else {
        return Scored::missing();
    };
    let expected = records(key);
    let got = records(given);
    let synonyms = Synonyms::new(rules.synonyms, rules.text);
    let id_of = |rec: &Map<String, Value>| synonyms.identity(&text_of(rec, rules.match_on));
    if expected.is_empty() {
        return if got.is_empty() {
            Scored::graded(1.0, vec!["none expected, none documented".to_string()])
        } else {
            Scored::graded(
                0.0,
                vec![format!("none expected, {} documented", got.len())],
            )
        };
    }
    if got.is_empty() {
        return Scored::missing();
    }
    // Each record's identity once (not once per comparison), and the submitted records of
    // each identity in order: matching is linear in the records.
    let expected_ids: Vec<String> = expected.iter().map(|r| id_of(r)).collect();
    let got_ids: Vec<String> = got.iter().map(|r| id_of(r)).collect();
    let mut got_by_id: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, id) in got_ids.iter().enumerate() {
        got_by_id.entry(id.as_str()).or_default().push(i);
    }
    let mut key_count: HashMap<&str, usize> = HashMap::new();
    for id in &expected_ids {
        *key_count.entry(id.as_str()).or_default() += 1;
    }
    let mut used = vec![false; got.len()];
    let mut total = 0.0;
    let mut details = Vec::new();
    for (item, id) in expected.iter().zip(&expected_ids) {
        let same: &[usize] = got_by_id.get(id.as_str()).map_or(&[], Vec::as_slice);
        let found = same
            .iter()
            .find(|i| !used.get(**i).copied().unwrap_or(true))
            .and_then(|&i| got.get(i).map(|g| (i, g)));
        let Some((index, rec)) = found else {
            details.push(format!("missing entry: {id}"));
            continue;
        };
        if let Some(u) = used.get_mut(index) {
            *u = true;
        }
        // Other entries for the same item that disagree on a required field are a second
        // answer, not a detail: listing every option at once earns nothing for the item.
        let differs = |other: &Map<String, Value>| {
            rules.fields.iter().any(|field| {
                item.get(field.as_str()).is_some_and(|v| !v.is_null())
                    && !same_normalized(&text_of(other, field), &text_of(rec, field), rules.text)
            })
        };
        // (Only where the key has one entry for the item: a key may list one drug twice, the
        // old dose stopped and the new one started.)
        let key_entries = key_count.get(id.as_str()).copied().unwrap_or(0);
        let rivals: Vec<usize> = same
            .iter()
            .copied()
            .filter(|&i| {
                key_entries == 1
                    && !used.get(i).copied().unwrap_or(true)
                    && got.get(i).is_some_and(|g| differs(g))
            })
            .collect();
        if !rivals.is_empty() {
            for i in &rivals {
                if let Some(u) = used.get_mut(*i) {
                    *u = true;
                }
            }
            details.push(format!(
                "{id}: {} different answers for one entry — give one",
                rivals.len() + 1
            ));
            continue;
        }
        let mut units = 1.0;
        let mut earned = 1.0;
        let mut wrong = Vec::new();
        for field in rules.fields {
            let Some(want) = item.get(field.as_str()).filter(|v| !v.is_null()) else {
                continue;
            };
            units += 1.0;
            let have = text_of(rec, field);
            if same_normalized(&have, &value_str(want), rules.text) {
                earned += 1.0;
            } else if have.trim().is_empty() {
                wrong.push(format!("{field} missing (expected {})", value_text(want)));
            } else {
                wrong.push(format!("{field} `{have}` (expected {})", value_text(want)));
            }
        }
        if wrong.is_empty() {
            details.push(format!("{id}: complete"));
        } else {
            details.push(format!("{id}: {}", wrong.join("; ")));
        }
        total += earned / units;
    }
    #[allow(clippy::cast_precision_loss)] // short lists
    let mut credit = total / expected.len() as f64;
    let extras: Vec<String> = got_ids
        .iter()
        .zip(&used)
        .filter(|(_, u)| !**u)
        .map(|(id, _)| id.clone())
        .collect();
    if !extras.is_empty() && rules.extra_item_penalty > 0.0 {
        #[allow(clippy::cast_precision_loss)]
        let penalty = rules.extra_item_penalty * extras.len() as f64;
        credit -= penalty;
        details.push(format!(
            "not in the record: {} (−{} each)",
            extras.join(", "),
            fmt_num(rules.extra_item_penalty * 100.0) + "%"
        ));
    } else if !extras.is_empty() {
        details.push(format!("not in the record: {}", extras.join(", ")));
    }
    Scored::graded(credit, details)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grading::report::Outcome;
    use serde_json::json;

    fn fields() -> Vec<String> {
        vec!["reaction".into(), "severity".into()]
    }

    fn rules<'a>(fields: &'a [String], syn: &'a [Vec<String>]) -> RequiredRules<'a> {
        RequiredRules {
            match_on: "allergen",
            fields,
            synonyms: syn,
            extra_item_penalty: 0.0,
            text: TextRules::default(),
        }
    }

    fn key() -> Value {
        json!([
            {"allergen": "penicillin", "reaction": "hives", "severity": "moderate"},
            {"allergen": "peanut", "reaction": "anaphylaxis", "severity": "severe"}
        ])
    }

    #[test]
    fn every_option_at_once_earns_nothing_for_the_item() {
        let f = vec!["level".to_string()];
        let r = RequiredRules {
            match_on: "date",
            fields: &f,
            synonyms: &[],
            extra_item_penalty: 0.0,
            text: TextRules::default(),
        };
        let key = json!([
            {"date": "2026-03-05", "level": "RoutineHomeCare"},
            {"date": "2026-03-06", "level": "ContinuousHomeCare"}
        ]);
        let shotgun: Vec<Value> = ["2026-03-05", "2026-03-06"]
            .iter()
            .flat_map(|d| {
                [
                    "RoutineHomeCare",
                    "ContinuousHomeCare",
                    "InpatientRespiteCare",
                    "GeneralInpatientCare",
                ]
                .iter()
                .map(move |l| json!({"date": d, "level": l}))
            })
            .collect();
        let scored = score(&key, Some(&Value::Array(shotgun)), r);
        assert!(scored.credit.abs() < 1e-9, "{scored:?}");
        assert!(
            scored
                .details
                .iter()
                .any(|d| d.contains("4 different answers for one entry")),
            "{:?}",
            scored.details
        );
        // The same entry twice is a duplicate, not a second answer.
        let twice = json!([
            {"date": "2026-03-05", "level": "RoutineHomeCare"},
            {"date": "2026-03-05", "level": "RoutineHomeCare"},
            {"date": "2026-03-06", "level": "ContinuousHomeCare"}
        ]);
        assert!((score(&key, Some(&twice), r).credit - 1.0).abs() < 1e-9);
        // A key that lists one drug twice (old dose stopped, new dose started) is answered the
        // same way, in full.
        let f = vec!["dose".to_string(), "action".to_string()];
        let meds = RequiredRules {
            match_on: "name",
            fields: &f,
            ..r
        };
        let change = json!([
            {"name": "lisinopril", "dose": "10 mg", "action": "stop"},
            {"name": "lisinopril", "dose": "20 mg", "action": "start"}
        ]);
        assert!((score(&change, Some(&change), meds).credit - 1.0).abs() < 1e-9);
    }

    #[test]
    fn every_allergy_complete_is_correct() {
        let f = fields();
        assert_eq!(
            score(&key(), Some(&key()), rules(&f, &[])).outcome,
            Outcome::Correct
        );
    }

    #[test]
    fn missing_severity_costs_one_third_of_that_item() {
        let f = fields();
        let g = json!([
            {"allergen": "Penicillin", "reaction": "hives"},
            {"allergen": "peanut", "reaction": "anaphylaxis", "severity": "severe"}
        ]);
        let s = score(&key(), Some(&g), rules(&f, &[]));
        assert!((s.credit - (2.0 / 3.0 + 1.0) / 2.0).abs() < 1e-12);
        assert_eq!(
            s.details[0],
            "penicillin: severity missing (expected moderate)"
        );
    }

    #[test]
    fn missed_allergy_loses_its_share() {
        let f = fields();
        let g = json!([{"allergen": "peanut", "reaction": "anaphylaxis", "severity": "severe"}]);
        let s = score(&key(), Some(&g), rules(&f, &[]));
        assert_eq!(s.credit, 0.5);
        assert_eq!(s.details[0], "missing entry: penicillin");
    }

    #[test]
    fn synonyms_match_the_item() {
        let f = fields();
        let syn = vec![vec!["penicillin".to_string(), "PCN".to_string()]];
        let g = json!([
            {"allergen": "pcn", "reaction": "hives", "severity": "moderate"},
            {"allergen": "peanut", "reaction": "anaphylaxis", "severity": "severe"}
        ]);
        assert_eq!(score(&key(), Some(&g), rules(&f, &syn)).credit, 1.0);
    }

    #[test]
    fn empty_key_needs_empty_list() {
        let f = fields();
        assert_eq!(
            score(&json!([]), Some(&json!([])), rules(&f, &[])).credit,
            1.0
        );
        assert_eq!(
            score(&json!([]), None, rules(&f, &[])).outcome,
            Outcome::Missing
        );
        let g = json!([{"allergen": "latex"}]);
        assert_eq!(
            score(&json!([]), Some(&g), rules(&f, &[])).outcome,
            Outcome::Incorrect
        );
    }

    #[test]
    fn extra_items_are_penalised_when_configured() {
        let f = fields();
        let mut r = rules(&f, &[]);
        r.extra_item_penalty = 0.25;
        let mut g = key();
        if let Some(a) = g.as_array_mut() {
            a.push(json!({"allergen": "latex"}));
        }
        assert_eq!(score(&key(), Some(&g), r).credit, 0.75);
    }
}
