//! ICD-10-CM code sets: the AAPC-style formula with partial credit
//! (docs/domain/coding-icd10cm.md §6).
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

mod edits;
mod pairing;
mod sequence;

use super::{Scored, fmt_num, value_text};
use crate::grading::checker::{CodeChecker, CodeFacts};
use crate::grading::rubric::CodeSettings;
use crate::terminology::edits::CodingSetting;
use crate::terminology::syntax::with_dot;
use pairing::{Pairing, Relation, pair_lines};
use serde_json::Value;

/// One line of the answer key, in the dotted spelling.
#[derive(Debug, Clone)]
struct KeyEntry {
    code: String,
    accepted: Vec<String>,
    optional: bool,
    /// Why the key has this line (annotated keys carry one), shown when it is missed.
    rationale: Option<String>,
}

/// The key's lines with their accepted alternatives (the entry's own and the rubric's
/// alternative groups) and whether each is optional.
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
                other @ (Value::Null
                | Value::Bool(_)
                | Value::Number(_)
                | Value::String(_)
                | Value::Array(_)) => (value_text(other), Vec::new(), false, None),
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

/// The checker's facts about a code, when there is a checker and it knows the code.
fn facts(checker: Option<&dyn CodeChecker>, code: &str) -> Option<CodeFacts> {
    checker.and_then(|c| c.lookup(code))
}

/// True when submitted line `i` repeats an earlier line's code.
fn is_repeat(codes: &[String], i: usize) -> bool {
    codes
        .get(i)
        .is_some_and(|code| codes.get(..i).is_some_and(|before| before.contains(code)))
}

/// The submitted code lines as written (strings, or objects with `code`), blank ones dropped.
fn submitted_lines(given: Option<&Value>) -> Vec<String> {
    given
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .map(|v| match v {
                    Value::Object(m) => m.get("code").map(value_text).unwrap_or_default(),
                    other @ (Value::Null
                    | Value::Bool(_)
                    | Value::Number(_)
                    | Value::String(_)
                    | Value::Array(_)) => value_text(other),
                })
                .filter(|c| !c.trim().is_empty())
                .collect()
        })
        .unwrap_or_default()
}

/// Which submitted lines count toward "entered" (indices into `codes`): all but optional
/// codes, with a repeat counted as an extra code. Notes repeats and free optional codes.
fn counted_lines(
    codes: &[String],
    entries: &[KeyEntry],
    required: &[&KeyEntry],
    settings: &CodeSettings,
    details: &mut Vec<String>,
) -> Vec<usize> {
    let mut counted: Vec<usize> = Vec::new();
    for (i, code) in codes.iter().enumerate() {
        let is_required_code = required.iter().any(|e| e.accepted.contains(code));
        let is_optional = entries
            .iter()
            .any(|e| e.optional && e.accepted.contains(code))
            || settings.optional.iter().any(|o| with_dot(o) == *code);
        if is_repeat(codes, i) {
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
    counted
}

/// Each submitted line's credit (by index): its pair's credit, times `wrong_order` for the
/// lines in `out_of_order`.
fn line_credits(pairing: &Pairing, out_of_order: &[usize], settings: &CodeSettings) -> Vec<f64> {
    let mut credit_of: Vec<f64> = pairing
        .pair
        .iter()
        .map(|p| p.map_or(0.0, |(_, rel)| rel.credit(settings)))
        .collect();
    for i in out_of_order {
        if let Some(c) = credit_of.get_mut(*i) {
            *c *= settings.credits.wrong_order;
        }
    }
    credit_of
}

/// The submitted lines of one answer after pairing and sequencing.
struct Lines {
    /// Each submitted code in the checker's dotted spelling, in submitted order.
    codes: Vec<String>,
    /// The lines that count toward "entered" (indices into `codes`).
    counted: Vec<usize>,
    /// Which key entry each line is paired with.
    pairing: Pairing,
    /// The paired lines out of the mandated order.
    out_of_order: Vec<usize>,
    /// Each line's credit, after the order penalty.
    credit_of: Vec<f64>,
}

/// The per-line findings: each counted line's verdict and credit (a repeat is noted when
/// counted), then each required key line nobody coded, with its rationale.
fn line_findings(
    lines: &Lines,
    required: &[&KeyEntry],
    settings: &CodeSettings,
    details: &mut Vec<String>,
) {
    let Lines {
        codes,
        counted,
        pairing,
        out_of_order,
        credit_of,
    } = lines;
    for &i in counted {
        let code = codes.get(i).map_or("", String::as_str);
        let line_credit = credit_of.get(i).copied().unwrap_or(0.0);
        let order_note = if out_of_order.contains(&i) {
            format!(
                "; out of the mandated order (×{})",
                fmt_num(settings.credits.wrong_order)
            )
        } else {
            String::new()
        };
        match pairing.of(i) {
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
            None if is_repeat(codes, i) => {}
            None => details.push(format!("{code}: not supported by the record — 0%")),
        }
    }
    for (k, e) in required.iter().enumerate() {
        if !pairing.taken.get(k).copied().unwrap_or(false) {
            details.push(match &e.rationale {
                Some(why) => format!("{}: expected but not coded — why: {why}", e.code),
                None => format!("{}: expected but not coded", e.code),
            });
        }
    }
}

/// Scores a code-set criterion: counts the submitted lines, pairs them with the key, applies
/// the sequencing rule, divides the line credits by max(entered, expected) and deducts for
/// coding edits (see the module documentation).
#[must_use]
pub fn score(
    key: &Value,
    given: Option<&Value>,
    settings: &CodeSettings,
    checker: Option<&dyn CodeChecker>,
    setting: CodingSetting,
) -> Scored {
    let entries = key_entries(key, settings);
    let required: Vec<&KeyEntry> = entries.iter().filter(|e| !e.optional).collect();
    let given_raw = submitted_lines(given);
    if given_raw.is_empty() {
        return if required.is_empty() && given.is_some_and(Value::is_array) {
            Scored::graded(1.0, vec!["no codes expected, none given".to_string()])
        } else {
            Scored::missing()
        };
    }
    let given_codes: Vec<String> = given_raw
        .iter()
        .map(|c| facts(checker, c).map_or_else(|| with_dot(c), |f| with_dot(&f.code)))
        .collect();
    let mut details = Vec::new();
    let counted = counted_lines(&given_codes, &entries, &required, settings, &mut details);
    let pairing = pair_lines(&given_codes, &counted, &required, settings, checker);
    let out_of_order = sequence::out_of_order(settings.sequencing, &counted, &pairing);
    let credit_of = line_credits(&pairing, &out_of_order, settings);
    let lines = Lines {
        codes: given_codes,
        counted,
        pairing,
        out_of_order,
        credit_of,
    };
    line_findings(&lines, &required, settings, &mut details);

    let Lines {
        codes,
        counted,
        credit_of,
        ..
    } = &lines;
    let total: f64 = counted.iter().filter_map(|i| credit_of.get(*i)).sum();
    let denom = counted.len().max(required.len()).max(1);
    #[allow(clippy::cast_precision_loss)]
    let credit = total / denom as f64;
    details.push(format!(
        "score {} ÷ max({} entered, {} expected) = {}%",
        fmt_num(total),
        counted.len(),
        required.len(),
        fmt_num(credit * 100.0)
    ));
    let credit = edits::apply_edits(
        checker,
        codes,
        &entries,
        settings,
        setting,
        credit,
        &mut details,
    );
    Scored::graded(credit, details)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grading::checker::{CodeEdit, EditKind, Laterality};
    use crate::grading::report::Outcome;
    use crate::grading::rubric::Sequencing;
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
        fn edits(&self, codes: &[String], _setting: CodingSetting) -> Vec<CodeEdit> {
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

    fn run(key: &Value, given: &Value, s: &CodeSettings) -> Scored {
        score(key, Some(given), s, Some(&Fake), CodingSetting::Outpatient)
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn exact_set_is_full_credit() {
        let s = run(
            &json!(["E11.65", "Z79.4"]),
            &json!(["e1165", "Z79.4"]),
            &CodeSettings::default(),
        );
        assert_eq!(s.outcome, Outcome::Correct);
    }

    #[test]
    fn over_coding_divides_by_entered() {
        let s = run(
            &json!(["I10"]),
            &json!(["I10", "E11.9"]),
            &CodeSettings::default(),
        );
        assert!(close(s.credit, 0.5));
    }

    #[test]
    fn under_coding_divides_by_expected() {
        let s = run(
            &json!(["E11.65", "Z79.4", "I10"]),
            &json!(["E11.65"]),
            &CodeSettings::default(),
        );
        assert!(close(s.credit, 1.0 / 3.0));
    }

    #[test]
    fn optional_codes_cost_nothing() {
        let mut set = CodeSettings::default();
        set.optional.push("W01.0XXA".into());
        let s = run(&json!(["S52.501A"]), &json!(["S52.501A", "W01.0XXA"]), &set);
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
            run(&key, &json!(["E11.9"]), &CodeSettings::default()).credit,
            1.0
        );
    }

    #[test]
    fn wrong_specificity_is_half() {
        let s = run(
            &json!(["E11.65"]),
            &json!(["E11.9"]),
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
            &json!(["S52.501A"]),
            &json!(["S52.501D"]),
            &CodeSettings::default(),
        );
        assert!(close(s.credit, 0.5));
    }

    #[test]
    fn wrong_laterality_is_35_percent() {
        let s = run(
            &json!(["S52.501A"]),
            &json!(["S52.502A"]),
            &CodeSettings::default(),
        );
        assert!(close(s.credit, 0.35));
    }

    #[test]
    fn header_code_is_15_percent() {
        let s = run(&json!(["E11.9"]), &json!(["E11"]), &CodeSettings::default());
        assert!(close(s.credit, 0.15));
    }

    #[test]
    fn wrong_mandated_order_is_70_percent_per_line() {
        let set = CodeSettings {
            sequencing: Sequencing::Strict,
            ..CodeSettings::default()
        };
        let s = run(
            &json!(["E11.65", "Z79.4"]),
            &json!(["Z79.4", "E11.65"]),
            &set,
        );
        // LIS keeps one line; the other earns 0.7: (1 + 0.7) / 2
        assert!(close(s.credit, 0.85));
        let first = CodeSettings::default(); // FirstListed
        let s = run(
            &json!(["E11.65", "Z79.4"]),
            &json!(["Z79.4", "E11.65"]),
            &first,
        );
        assert!(close(s.credit, 0.85));
    }

    #[test]
    fn excludes1_partner_deducts() {
        let s = run(
            &json!(["E11.65"]),
            &json!(["E11.65", "R73.9"]),
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
            &json!(["E11.22", "N18.30"]),
            &json!(["E11.22"]),
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
        let s = run(&key, &json!(["E11.9"]), &CodeSettings::default());
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
            &json!(["E11.22", "I12.9", "N18.30"]),
            &json!(["E11.22", "I12.9"]),
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
            &json!(["E11.65", "R73.9"]),
            &json!(["E11.65", "R73.9"]),
            &CodeSettings::default(),
        );
        assert_eq!(s.credit, 1.0);
    }

    #[test]
    fn unrelated_wrong_code_earns_nothing_and_counts_as_entered() {
        let s = run(&json!(["I10"]), &json!(["E11.9"]), &CodeSettings::default());
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
            CodingSetting::Outpatient,
        );
        assert_eq!(s.credit, 1.0);
    }

    #[test]
    fn duplicates_count_as_extra() {
        let s = run(
            &json!(["I10"]),
            &json!(["I10", "i10"]),
            &CodeSettings::default(),
        );
        assert!(close(s.credit, 0.5));
    }

    #[test]
    fn blank_is_missing() {
        let s = run(&json!(["I10"]), &json!([]), &CodeSettings::default());
        assert_eq!(s.outcome, Outcome::Missing);
    }

    #[test]
    fn with_dot_inserts_the_dot() {
        assert_eq!(with_dot(" s52501a "), "S52.501A");
        assert_eq!(with_dot("I10"), "I10");
    }
}
