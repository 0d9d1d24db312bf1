//! ICD-10-CM code sets: the AAPC-style formula with partial credit (DOMAIN.md §2.2).
//!
//! Each submitted code line is paired with at most one key entry and earns a line credit:
//! exact (or an accepted alternative) 1; wrong 7th character `wrong_seventh_character`; wrong
//! laterality `wrong_laterality`; right category (first three characters) with wrong
//! specificity `wrong_specificity`; an invalid or header code in the right category
//! `invalid_code`; anything else 0. Exact pairs are made first, then the best partial pair for
//! each remaining line in submitted order (ties go to the earlier key entry). Optional codes
//! (rubric `optional` or key entries marked optional) cost nothing either way and are not
//! counted as entered.
//!
//! Sequencing: `Strict` keeps the longest run of matched lines in key order and multiplies the
//! others by `wrong_order`; `FirstListed` does so only for the key's first code when it is not
//! listed first; `Any` ignores order.
//!
//! Score = Σ line credits ÷ max(entered, expected): over-coding divides by what was entered,
//! under-coding by what was expected. Then coding edits from the [`CodeChecker`] are reported
//! with their rule, and each missing "use additional code" and each Excludes1 pair deducts its
//! share of the criterion (an Excludes1 pair that the key itself contains is exempt: the key
//! treats the conditions as unrelated, OCG I.A.12.a).
//!
//! Key shape: a list whose entries are `"E11.9"` or `{"code": "E11.9", "alternatives": [...],
//! "optional": true}`. Submission shape: a list of code strings (or objects with `code`).

use super::{Scored, fmt_num, value_text};
use crate::grading::checker::{CodeChecker, CodeFacts, EditKind, Laterality, Setting};
use crate::grading::rubric::{CodeSettings, Sequencing};
use crate::terminology::syntax::{strip_dot, with_dot};
use serde_json::Value;

fn category(code: &str) -> &str {
    code.get(..3).unwrap_or(code)
}

#[derive(Debug, Clone)]
struct KeyEntry {
    code: String,
    accepted: Vec<String>,
    optional: bool,
    /// Why the key has this line (annotated keys carry one), shown when it is missed.
    rationale: Option<String>,
}

fn key_entries(key: &Value, settings: &CodeSettings) -> Vec<KeyEntry> {
    let items = key.as_array().map(Vec::as_slice).unwrap_or_default();
    items
        .iter()
        .filter_map(|item| {
            let (code, alts, optional, rationale) = match item {
                Value::Object(map) => (
                    map.get("code").map(value_text)?,
                    map.get("alternatives")
                        .and_then(Value::as_array)
                        .map(|a| a.iter().map(value_text).collect())
                        .unwrap_or_default(),
                    map.get("optional")
                        .and_then(Value::as_bool)
                        .unwrap_or(false),
                    map.get("rationale")
                        .and_then(Value::as_str)
                        .filter(|r| !r.trim().is_empty())
                        .map(str::to_string),
                ),
                other => (value_text(other), Vec::new(), false, None),
            };
            let code = with_dot(&code);
            let mut accepted: Vec<String> = std::iter::once(code.clone())
                .chain(alts.iter().map(|a| with_dot(a)))
                .collect();
            for group in &settings.alternatives {
                let group: Vec<String> = group.iter().map(|c| with_dot(c)).collect();
                if group.contains(&code) {
                    accepted.extend(group);
                }
            }
            let optional = optional || settings.optional.iter().any(|o| with_dot(o) == code);
            Some(KeyEntry {
                code,
                accepted,
                optional,
                rationale,
            })
        })
        .collect()
}

/// How a submitted line relates to a key entry.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Relation {
    Exact,
    SeventhCharacter,
    Laterality,
    Specificity,
    Invalid,
}

impl Relation {
    fn credit(self, s: &CodeSettings) -> f64 {
        match self {
            Self::Exact => 1.0,
            Self::SeventhCharacter => s.credits.wrong_seventh_character,
            Self::Laterality => s.credits.wrong_laterality,
            Self::Specificity => s.credits.wrong_specificity,
            Self::Invalid => s.credits.invalid_code,
        }
    }

    fn describe(self) -> &'static str {
        match self {
            Self::Exact => "correct",
            Self::SeventhCharacter => "wrong 7th character",
            Self::Laterality => "wrong laterality",
            Self::Specificity => "right category, wrong specificity",
            Self::Invalid => "invalid or header code in the right category",
        }
    }
}

fn classify(
    given: &str,
    given_facts: Option<&CodeFacts>,
    expected: &str,
    expected_facts: Option<&CodeFacts>,
    has_checker: bool,
) -> Option<Relation> {
    if category(given) != category(expected) {
        return None;
    }
    let valid = !has_checker || given_facts.is_some_and(|f| f.billable);
    if !valid {
        return Some(Relation::Invalid);
    }
    let (g, e) = (strip_dot(given), strip_dot(expected));
    if g.len() == 7 && e.len() == 7 && g.get(..6) == e.get(..6) {
        return Some(Relation::SeventhCharacter);
    }
    let side = |f: Option<&CodeFacts>| f.and_then(|f| f.laterality);
    if let (Some(gs), Some(es)) = (side(given_facts), side(expected_facts)) {
        let differs_once =
            g.len() == e.len() && g.chars().zip(e.chars()).filter(|(a, b)| a != b).count() == 1;
        if gs != es
            && gs != Laterality::Unspecified
            && es != Laterality::Unspecified
            && differs_once
        {
            return Some(Relation::Laterality);
        }
    }
    Some(Relation::Specificity)
}

/// Indices (into `seq`) of one longest strictly increasing subsequence; earliest on ties.
fn longest_increasing(seq: &[usize]) -> Vec<usize> {
    let n = seq.len();
    let mut len = vec![1usize; n];
    let mut prev: Vec<Option<usize>> = vec![None; n];
    for i in 0..n {
        for j in 0..i {
            let (Some(a), Some(b)) = (seq.get(j), seq.get(i)) else {
                continue;
            };
            let cand = len.get(j).copied().unwrap_or(0) + 1;
            if a < b && cand > len.get(i).copied().unwrap_or(0) {
                if let Some(l) = len.get_mut(i) {
                    *l = cand;
                }
                if let Some(p) = prev.get_mut(i) {
                    *p = Some(j);
                }
            }
        }
    }
    let mut best: Option<usize> = None;
    for (i, l) in len.iter().enumerate() {
        if best.is_none_or(|b| *l > len.get(b).copied().unwrap_or(0)) {
            best = Some(i);
        }
    }
    let mut out = Vec::new();
    while let Some(i) = best {
        out.push(i);
        best = prev.get(i).copied().flatten();
    }
    out.reverse();
    out
}

/// Scores a code-set criterion.
#[must_use]
pub fn score(
    key: &Value,
    given: Option<&Value>,
    settings: &CodeSettings,
    checker: Option<&dyn CodeChecker>,
    setting: Setting,
) -> Scored {
    let entries = key_entries(key, settings);
    let required: Vec<&KeyEntry> = entries.iter().filter(|e| !e.optional).collect();
    let given_raw: Vec<String> = given
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .map(|v| match v {
                    Value::Object(m) => m.get("code").map(value_text).unwrap_or_default(),
                    other => value_text(other),
                })
                .filter(|c| !c.trim().is_empty())
                .collect()
        })
        .unwrap_or_default();
    if given_raw.is_empty() {
        return if required.is_empty() && given.is_some_and(Value::is_array) {
            Scored::graded(1.0, vec!["no codes expected, none given".to_string()])
        } else {
            Scored::missing()
        };
    }
    let lookup = |code: &str| checker.and_then(|c| c.lookup(code));
    let given_codes: Vec<String> = given_raw
        .iter()
        .map(|c| lookup(c).map_or_else(|| with_dot(c), |f| with_dot(&f.code)))
        .collect();
    let mut details = Vec::new();

    // Which lines count (not optional, not a duplicate).
    let mut counted: Vec<usize> = Vec::new();
    for (i, code) in given_codes.iter().enumerate() {
        let is_required_code = required.iter().any(|e| e.accepted.contains(code));
        let is_optional = entries
            .iter()
            .any(|e| e.optional && e.accepted.contains(code))
            || settings.optional.iter().any(|o| with_dot(o) == *code);
        if given_codes
            .get(..i)
            .is_some_and(|before| before.contains(code))
        {
            details.push(format!(
                "{code}: listed twice; the repeat counts as an extra code"
            ));
            counted.push(i);
        } else if is_optional && !is_required_code {
            details.push(format!("{code}: optional, no cost"));
        } else {
            counted.push(i);
        }
    }

    // Pairing: exact first, then best partial.
    let mut pair: Vec<Option<(usize, Relation)>> = vec![None; given_codes.len()];
    let mut taken = vec![false; required.len()];
    for &i in &counted {
        let Some(code) = given_codes.get(i) else {
            continue;
        };
        if given_codes.get(..i).is_some_and(|b| b.contains(code)) {
            continue;
        }
        let hit = required
            .iter()
            .enumerate()
            .find(|(k, e)| !taken.get(*k).copied().unwrap_or(true) && e.accepted.contains(code));
        if let Some((k, _)) = hit {
            if let Some(t) = taken.get_mut(k) {
                *t = true;
            }
            if let Some(p) = pair.get_mut(i) {
                *p = Some((k, Relation::Exact));
            }
        }
    }
    for &i in &counted {
        if pair.get(i).copied().flatten().is_some() {
            continue;
        }
        let Some(code) = given_codes.get(i) else {
            continue;
        };
        if given_codes.get(..i).is_some_and(|b| b.contains(code)) {
            continue;
        }
        let gf = lookup(code);
        let mut best: Option<(usize, Relation, f64)> = None;
        for (k, e) in required.iter().enumerate() {
            if taken.get(k).copied().unwrap_or(true) {
                continue;
            }
            let ef = lookup(&e.code);
            if let Some(rel) = classify(code, gf.as_ref(), &e.code, ef.as_ref(), checker.is_some())
            {
                let c = rel.credit(settings);
                if best.is_none_or(|(_, _, bc)| c > bc) {
                    best = Some((k, rel, c));
                }
            }
        }
        if let Some((k, rel, _)) = best {
            if let Some(t) = taken.get_mut(k) {
                *t = true;
            }
            if let Some(p) = pair.get_mut(i) {
                *p = Some((k, rel));
            }
        }
    }

    // Line credits.
    let mut credit_of: Vec<f64> = pair
        .iter()
        .map(|p| p.map_or(0.0, |(_, rel)| rel.credit(settings)))
        .collect();
    let matched: Vec<(usize, usize)> = counted
        .iter()
        .filter_map(|&i| pair.get(i).copied().flatten().map(|(k, _)| (i, k)))
        .collect();
    let out_of_order: Vec<usize> = match settings.sequencing {
        Sequencing::Any => Vec::new(),
        Sequencing::Strict => {
            let keys: Vec<usize> = matched.iter().map(|(_, k)| *k).collect();
            let keep = longest_increasing(&keys);
            matched
                .iter()
                .enumerate()
                .filter(|(pos, _)| !keep.contains(pos))
                .map(|(_, (i, _))| *i)
                .collect()
        }
        Sequencing::FirstListed => matched
            .iter()
            .filter(|(i, k)| *k == 0 && counted.first() != Some(i))
            .map(|(i, _)| *i)
            .collect(),
    };
    for i in &out_of_order {
        if let Some(c) = credit_of.get_mut(*i) {
            *c *= settings.credits.wrong_order;
        }
    }
    for &i in &counted {
        let code = given_codes.get(i).map_or("", String::as_str);
        let line_credit = credit_of.get(i).copied().unwrap_or(0.0);
        let order_note = if out_of_order.contains(&i) {
            format!(
                "; out of the mandated order (×{})",
                fmt_num(settings.credits.wrong_order)
            )
        } else {
            String::new()
        };
        match pair.get(i).copied().flatten() {
            Some((k, rel)) => {
                let exp = required.get(k).map_or("", |e| e.code.as_str());
                let what = if rel == Relation::Exact {
                    "correct".to_string()
                } else {
                    let why = required
                        .get(k)
                        .and_then(|e| e.rationale.as_deref())
                        .map(|r| format!("; why {exp}: {r}"))
                        .unwrap_or_default();
                    format!("{} (expected {exp}{why})", rel.describe())
                };
                details.push(format!(
                    "{code}: {what}{order_note} — {}%",
                    fmt_num(line_credit * 100.0)
                ));
            }
            None if given_codes
                .get(..i)
                .is_some_and(|b| b.contains(&code.to_string())) => {}
            None => details.push(format!("{code}: not supported by the record — 0%")),
        }
    }
    for (k, e) in required.iter().enumerate() {
        if !taken.get(k).copied().unwrap_or(false) {
            details.push(match &e.rationale {
                Some(why) => format!("{}: expected but not coded — why: {why}", e.code),
                None => format!("{}: expected but not coded", e.code),
            });
        }
    }

    let total: f64 = counted.iter().filter_map(|i| credit_of.get(*i)).sum();
    let denom = counted.len().max(required.len()).max(1);
    #[allow(clippy::cast_precision_loss)]
    let mut credit = total / denom as f64;
    details.push(format!(
        "score {} ÷ max({} entered, {} expected) = {}%",
        fmt_num(total),
        counted.len(),
        required.len(),
        fmt_num(credit * 100.0)
    ));

    // Coding edits.
    let mut deducted = false;
    if let Some(checker) = checker {
        let key_codes: Vec<&String> = entries.iter().flat_map(|e| &e.accepted).collect();
        let mut missing_deducted: Vec<String> = Vec::new();
        for edit in checker.edits(&given_codes, setting) {
            let deduct = match edit.kind {
                // One missing code asked for by two reported codes is one omission.
                EditKind::UseAdditional
                    if edit
                        .missing
                        .as_ref()
                        .is_some_and(|m| missing_deducted.contains(m)) =>
                {
                    0.0
                }
                EditKind::UseAdditional => {
                    missing_deducted.extend(edit.missing.clone());
                    settings.credits.missing_use_additional_deduct
                }
                EditKind::Excludes1
                    if !edit.codes.iter().all(|c| key_codes.contains(&&with_dot(c))) =>
                {
                    settings.credits.excludes1_deduct
                }
                _ => 0.0,
            };
            let repeated = edit.kind == EditKind::UseAdditional && deduct == 0.0;
            let note = if deduct > 0.0 {
                format!(" (−{}%)", fmt_num(deduct * 100.0))
            } else if repeated && settings.credits.missing_use_additional_deduct > 0.0 {
                " (the same missing code: already deducted)".to_string()
            } else {
                String::new()
            };
            details.push(format!(
                "edit {:?} [{}]: {} — rule: {}{note}",
                edit.kind,
                edit.codes.join(", "),
                edit.message,
                edit.rule
            ));
            credit -= deduct;
            deducted |= deduct > 0.0;
        }
    }
    if deducted {
        details.push(format!(
            "after edit deductions: {}%",
            fmt_num(credit.max(0.0) * 100.0)
        ));
    }
    Scored::graded(credit, details)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grading::checker::CodeEdit;
    use crate::grading::report::Outcome;
    use serde_json::json;

    /// A tiny fake: a handful of codes, E11.9 requires nothing, R73.9 Excludes1 E11.x.
    struct Fake;
    impl CodeChecker for Fake {
        fn lookup(&self, code: &str) -> Option<CodeFacts> {
            let c = with_dot(code);
            let (billable, side) = match c.as_str() {
                "E11" | "S52.5" => (false, None),
                "E11.9" | "E11.65" | "E11.22" | "N18.30" | "R73.9" | "I10" | "I12.9" | "Z79.4"
                | "W01.0XXA" => (true, None),
                "S52.501A" | "S52.501D" => (true, Some(Laterality::Right)),
                "S52.502A" => (true, Some(Laterality::Left)),
                "S52.509A" => (true, Some(Laterality::Unspecified)),
                _ => return None,
            };
            Some(CodeFacts {
                code: c,
                billable,
                description: String::new(),
                laterality: side,
            })
        }
        fn edits(&self, codes: &[String], _setting: Setting) -> Vec<CodeEdit> {
            let has = |c: &str| codes.iter().any(|x| x == c);
            let mut out = Vec::new();
            if has("R73.9") && codes.iter().any(|c| c.starts_with("E11")) {
                out.push(CodeEdit {
                    kind: EditKind::Excludes1,
                    codes: vec!["R73.9".into(), "E11.65".into()],
                    message: "R73 excludes diabetes".into(),
                    rule: "Tabular R73 Excludes1".into(),
                    missing: None,
                });
            }
            if has("E11.22") && !codes.iter().any(|c| c.starts_with("N18")) {
                out.push(CodeEdit {
                    kind: EditKind::UseAdditional,
                    codes: vec!["E11.22".into()],
                    message: "use additional code to identify the stage of CKD (N18.-)".into(),
                    rule: "Tabular E11.22 use additional code".into(),
                    missing: Some("CKD stage (N18.-)".into()),
                });
            }
            if has("I12.9") && !codes.iter().any(|c| c.starts_with("N18")) {
                out.push(CodeEdit {
                    kind: EditKind::UseAdditional,
                    codes: vec!["I12.9".into()],
                    message: "use additional code to identify the stage of CKD (N18.-)".into(),
                    rule: "OCG I.C.9.a.2".into(),
                    missing: Some("CKD stage (N18.-)".into()),
                });
            }
            out
        }
    }

    fn run(key: Value, given: Value, s: &CodeSettings) -> Scored {
        score(&key, Some(&given), s, Some(&Fake), Setting::Outpatient)
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn exact_set_is_full_credit() {
        let s = run(
            json!(["E11.65", "Z79.4"]),
            json!(["e1165", "Z79.4"]),
            &CodeSettings::default(),
        );
        assert_eq!(s.outcome, Outcome::Correct);
    }

    #[test]
    fn over_coding_divides_by_entered() {
        let s = run(
            json!(["I10"]),
            json!(["I10", "E11.9"]),
            &CodeSettings::default(),
        );
        assert!(close(s.credit, 0.5));
    }

    #[test]
    fn under_coding_divides_by_expected() {
        let s = run(
            json!(["E11.65", "Z79.4", "I10"]),
            json!(["E11.65"]),
            &CodeSettings::default(),
        );
        assert!(close(s.credit, 1.0 / 3.0));
    }

    #[test]
    fn optional_codes_cost_nothing() {
        let mut set = CodeSettings::default();
        set.optional.push("W01.0XXA".into());
        let s = run(json!(["S52.501A"]), json!(["S52.501A", "W01.0XXA"]), &set);
        assert_eq!(s.credit, 1.0);
        assert!(
            s.details
                .contains(&"W01.0XXA: optional, no cost".to_string())
        );
    }

    #[test]
    fn alternatives_are_accepted() {
        let key = json!([{"code": "E11.65", "alternatives": ["E11.9"]}]);
        assert_eq!(
            run(key, json!(["E11.9"]), &CodeSettings::default()).credit,
            1.0
        );
    }

    #[test]
    fn wrong_specificity_is_half() {
        let s = run(
            json!(["E11.65"]),
            json!(["E11.9"]),
            &CodeSettings::default(),
        );
        assert!(close(s.credit, 0.5));
        assert_eq!(
            s.details[0],
            "E11.9: right category, wrong specificity (expected E11.65) — 50%"
        );
    }

    #[test]
    fn wrong_seventh_character_is_half() {
        let s = run(
            json!(["S52.501A"]),
            json!(["S52.501D"]),
            &CodeSettings::default(),
        );
        assert!(close(s.credit, 0.5));
    }

    #[test]
    fn wrong_laterality_is_35_percent() {
        let s = run(
            json!(["S52.501A"]),
            json!(["S52.502A"]),
            &CodeSettings::default(),
        );
        assert!(close(s.credit, 0.35));
    }

    #[test]
    fn header_code_is_15_percent() {
        let s = run(json!(["E11.9"]), json!(["E11"]), &CodeSettings::default());
        assert!(close(s.credit, 0.15));
    }

    #[test]
    fn wrong_mandated_order_is_70_percent_per_line() {
        let set = CodeSettings {
            sequencing: Sequencing::Strict,
            ..CodeSettings::default()
        };
        let s = run(json!(["E11.65", "Z79.4"]), json!(["Z79.4", "E11.65"]), &set);
        // LIS keeps one line; the other earns 0.7: (1 + 0.7) / 2
        assert!(close(s.credit, 0.85));
        let first = CodeSettings::default(); // FirstListed
        let s = run(
            json!(["E11.65", "Z79.4"]),
            json!(["Z79.4", "E11.65"]),
            &first,
        );
        assert!(close(s.credit, 0.85));
    }

    #[test]
    fn excludes1_partner_deducts() {
        let s = run(
            json!(["E11.65"]),
            json!(["E11.65", "R73.9"]),
            &CodeSettings::default(),
        );
        // 1 / 2 entered = 0.5, then −0.3
        assert!(close(s.credit, 0.2));
        assert!(
            s.details
                .iter()
                .any(|d| d.contains("rule: Tabular R73 Excludes1 (−30%)"))
        );
    }

    #[test]
    fn missing_use_additional_code_deducts_a_quarter() {
        let s = run(
            json!(["E11.22", "N18.30"]),
            json!(["E11.22"]),
            &CodeSettings::default(),
        );
        // 1 / 2 expected = 0.5, then −0.25
        assert!(close(s.credit, 0.25));
        assert!(
            s.details
                .iter()
                .any(|d| d.starts_with("edit UseAdditional [E11.22]"))
        );
    }

    #[test]
    fn a_missed_or_inexact_line_shows_the_keys_rationale() {
        let key = json!([
            {"code": "E11.22", "rationale": "diabetes with CKD: combination code"},
            {"code": "N18.30", "rationale": "E11.22 says use additional code for the stage"},
        ]);
        let s = run(key, json!(["E11.9"]), &CodeSettings::default());
        assert!(
            s.details.iter().any(|d| d
                .contains("(expected E11.22; why E11.22: diabetes with CKD: combination code)")),
            "{:?}",
            s.details
        );
        assert!(s.details.contains(
            &"N18.30: expected but not coded — why: E11.22 says use additional code for the stage"
                .to_string()
        ));
    }

    #[test]
    fn one_missing_code_asked_for_twice_is_deducted_once() {
        let s = run(
            json!(["E11.22", "I12.9", "N18.30"]),
            json!(["E11.22", "I12.9"]),
            &CodeSettings::default(),
        );
        // 2 / 3 expected, then −0.25 once (both codes need the same N18 stage code).
        assert!(close(s.credit, 2.0 / 3.0 - 0.25), "{}", s.credit);
        assert!(
            s.details
                .iter()
                .any(|d| d.starts_with("edit UseAdditional [E11.22]") && d.ends_with("(−25%)"))
        );
        assert!(
            s.details
                .iter()
                .any(|d| d.starts_with("edit UseAdditional [I12.9]")
                    && d.ends_with("(the same missing code: already deducted)"))
        );
    }

    #[test]
    fn excludes1_pair_in_the_key_is_exempt() {
        let s = run(
            json!(["E11.65", "R73.9"]),
            json!(["E11.65", "R73.9"]),
            &CodeSettings::default(),
        );
        assert_eq!(s.credit, 1.0);
    }

    #[test]
    fn unrelated_wrong_code_earns_nothing_and_counts_as_entered() {
        let s = run(json!(["I10"]), json!(["E11.9"]), &CodeSettings::default());
        assert_eq!(s.outcome, Outcome::Incorrect);
        assert_eq!(s.details[0], "E11.9: not supported by the record — 0%");
        assert_eq!(s.details[1], "I10: expected but not coded");
    }

    #[test]
    fn without_a_checker_codes_compare_by_spelling() {
        let s = score(
            &json!(["E11.65"]),
            Some(&json!(["E11.65"])),
            &CodeSettings::default(),
            None,
            Setting::Outpatient,
        );
        assert_eq!(s.credit, 1.0);
    }

    #[test]
    fn duplicates_count_as_extra() {
        let s = run(
            json!(["I10"]),
            json!(["I10", "i10"]),
            &CodeSettings::default(),
        );
        assert!(close(s.credit, 0.5));
    }

    #[test]
    fn blank_is_missing() {
        let s = run(json!(["I10"]), json!([]), &CodeSettings::default());
        assert_eq!(s.outcome, Outcome::Missing);
    }

    #[test]
    fn with_dot_inserts_the_dot() {
        assert_eq!(with_dot(" s52501a "), "S52.501A");
        assert_eq!(with_dot("I10"), "I10");
    }
}
