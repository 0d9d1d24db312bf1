//! Free text: concepts that must be mentioned, content that must not appear, and transcription
//! accuracy by word error rate.
//!
//! Words are lower-cased tokens of letters and digits (everything else separates words). A
//! concept is mentioned when any of its phrases (name or synonym) occurs as a run of whole
//! words. Forbidden patterns are regular expressions matched case-insensitively. Word error
//! rate is the word-level Levenshtein distance ÷ reference length, where each word weighs 1 and
//! listed medical terms weigh `term_weight` (a substitution costs the heavier of the two words).

use super::{Scored, fmt_num, is_blank, value_text};
use crate::grading::rubric::{Concept, ForbiddenPattern};
use regex::{Regex, RegexBuilder};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Mutex, OnceLock};

/// Splits text into lower-case words of letters and digits.
#[must_use]
pub fn words(text: &str) -> Vec<String> {
    text.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

fn contains_phrase(haystack: &[String], phrase: &[String]) -> bool {
    !phrase.is_empty() && haystack.windows(phrase.len()).any(|w| w == phrase)
}

/// Concepts the key adds: a list of strings (one concept each) or of lists (name + synonyms).
#[must_use]
pub(crate) fn key_concepts(key: &Value) -> Vec<Concept> {
    let Some(items) = key.as_array() else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|item| match item {
            Value::Array(names) => {
                let mut names = names.iter().map(value_text);
                Some(Concept {
                    name: names.next()?,
                    synonyms: names.collect(),
                })
            }
            other @ (Value::Null
            | Value::Bool(_)
            | Value::Number(_)
            | Value::String(_)
            | Value::Object(_)) => Some(Concept {
                name: value_text(other),
                synonyms: Vec::new(),
            }),
        })
        .collect()
}

/// Scores "must mention every concept": credit = mentioned ÷ total.
#[must_use]
pub(crate) fn score_concepts(concepts: &[Concept], given: Option<&Value>) -> Scored {
    if is_blank(given) {
        return Scored::missing();
    }
    let text = words(&given.map(value_text).unwrap_or_default());
    if concepts.is_empty() {
        return Scored::graded(1.0, vec!["no concepts required".to_string()]);
    }
    let mut found = 0usize;
    let mut details = Vec::new();
    for concept in concepts {
        let hit = std::iter::once(&concept.name)
            .chain(&concept.synonyms)
            .find(|phrase| contains_phrase(&text, &words(phrase)));
        match hit {
            Some(phrase) => {
                found += 1;
                details.push(format!("mentions {} (\"{phrase}\")", concept.name));
            }
            None => details.push(format!("does not mention {}", concept.name)),
        }
    }
    #[allow(clippy::cast_precision_loss)]
    let credit = found as f64 / concepts.len() as f64;
    Scored::graded(credit, details)
}

/// Compiles a case-insensitive pattern, caching it: grading the same rubric many times must not
/// recompile its patterns. The cache is bounded and holds only compiled rubric text, so results
/// never depend on it.
fn compiled(pattern: &str) -> Option<Regex> {
    static CACHE: OnceLock<Mutex<BTreeMap<String, Regex>>> = OnceLock::new();
    const MAX_ENTRIES: usize = 512;
    let cache = CACHE.get_or_init(|| Mutex::new(BTreeMap::new()));
    if let Ok(map) = cache.lock()
        && let Some(re) = map.get(pattern)
    {
        return Some(re.clone());
    }
    let re = RegexBuilder::new(pattern)
        .case_insensitive(true)
        .build()
        .ok()?;
    if let Ok(mut map) = cache.lock() {
        if map.len() >= MAX_ENTRIES {
            map.clear();
        }
        map.insert(pattern.to_string(), re.clone());
    }
    Some(re)
}

/// Scores "must not contain": each pattern hit removes `penalty_per_hit`. Blank text is
/// missing (an empty section earns nothing).
#[must_use]
pub(crate) fn score_forbidden(
    patterns: &[ForbiddenPattern],
    penalty_per_hit: f64,
    given: Option<&Value>,
) -> Scored {
    if is_blank(given) {
        return Scored::missing();
    }
    let text = given.map(value_text).unwrap_or_default();
    let mut hits = 0usize;
    let mut details = Vec::new();
    for p in patterns {
        let Some(re) = compiled(&p.regex) else {
            details.push(format!("pattern `{}` is not a valid regex", p.name));
            continue;
        };
        for m in re.find_iter(&text) {
            hits += 1;
            details.push(format!("{}: \"{}\" — {}", p.name, m.as_str(), p.message));
        }
    }
    if hits == 0 {
        details.push("no forbidden content".to_string());
    }
    #[allow(clippy::cast_precision_loss)]
    let credit = 1.0 - penalty_per_hit * hits as f64;
    Scored::graded(credit, details)
}

/// Weighted word error rate of `hypothesis` against `reference`.
#[must_use]
pub fn word_error_rate(
    reference: &[String],
    hypothesis: &[String],
    weighted_terms: &[String],
    term_weight: f64,
) -> f64 {
    let terms: Vec<String> = weighted_terms.iter().flat_map(|t| words(t)).collect();
    let weigh = |list: &[String]| -> Vec<f64> {
        list.iter()
            .map(|word| {
                if terms.contains(word) {
                    term_weight
                } else {
                    1.0
                }
            })
            .collect()
    };
    let (ref_w, hyp_w) = (weigh(reference), weigh(hypothesis));
    // Compare small integer ids instead of strings in the O(n·m) loop.
    let mut ids: HashMap<&str, u32> = HashMap::new();
    let mut ref_ids = Vec::with_capacity(reference.len());
    let mut hyp_ids = Vec::with_capacity(hypothesis.len());
    for (list, out) in [(reference, &mut ref_ids), (hypothesis, &mut hyp_ids)] {
        for w in list {
            let next = u32::try_from(ids.len()).unwrap_or(u32::MAX);
            out.push(*ids.entry(w.as_str()).or_insert(next));
        }
    }
    let ref_len: f64 = ref_w.iter().sum();
    let mut prev: Vec<f64> = std::iter::once(0.0)
        .chain(hyp_w.iter().scan(0.0, |acc, w| {
            *acc += w;
            Some(*acc)
        }))
        .collect();
    let min = |a: f64, b: f64| if a < b { a } else { b };
    let mut cur = Vec::with_capacity(prev.len());
    for (r, rw) in ref_ids.iter().zip(&ref_w) {
        cur.clear();
        let mut left = prev.first().copied().unwrap_or(0.0) + rw;
        cur.push(left);
        for (pair, (h, hw)) in prev.windows(2).zip(hyp_ids.iter().zip(&hyp_w)) {
            let (diag, up) = match pair {
                [d, u] => (*d, *u),
                _ => (0.0, 0.0),
            };
            let sub = if r == h { diag } else { diag + rw.max(*hw) };
            left = min(min(sub, up + rw), left + hw);
            cur.push(left);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    let distance = prev.last().copied().unwrap_or(0.0);
    if ref_len > 0.0 {
        distance / ref_len
    } else if distance > 0.0 {
        1.0
    } else {
        0.0
    }
}

/// Settings of a word-error-rate criterion.
#[derive(Debug, Clone, Copy)]
pub struct WerRules<'a> {
    /// Full credit at or below.
    pub full_credit_wer: f64,
    /// Zero credit at or above.
    pub zero_credit_wer: f64,
    /// Weighted terms.
    pub weighted_terms: &'a [String],
    /// Their weight.
    pub term_weight: f64,
}

/// Scores a transcription by word error rate, linear between the two thresholds.
#[must_use]
pub(crate) fn score_wer(key: &Value, given: Option<&Value>, rules: WerRules<'_>) -> Scored {
    if is_blank(given) {
        return Scored::missing();
    }
    let reference = words(&value_text(key));
    let hypothesis = words(&given.map(value_text).unwrap_or_default());
    let wer = word_error_rate(
        &reference,
        &hypothesis,
        rules.weighted_terms,
        rules.term_weight,
    );
    let span = rules.zero_credit_wer - rules.full_credit_wer;
    let credit = if wer <= rules.full_credit_wer {
        1.0
    } else if span <= 0.0 {
        0.0
    } else {
        1.0 - (wer - rules.full_credit_wer) / span
    };
    let missed: Vec<&String> = rules
        .weighted_terms
        .iter()
        .filter(|t| {
            let t = words(t);
            contains_phrase(&reference, &t) && !contains_phrase(&hypothesis, &t)
        })
        .collect();
    let mut details = vec![format!(
        "word error rate {}% (full credit at ≤ {}%, none at ≥ {}%)",
        fmt_num(wer * 100.0),
        fmt_num(rules.full_credit_wer * 100.0),
        fmt_num(rules.zero_credit_wer * 100.0)
    )];
    if !missed.is_empty() {
        details.push(format!(
            "medical terms wrong or missing: {}",
            missed
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    Scored::graded(credit, details)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grading::report::Outcome;
    use serde_json::json;

    fn concept(name: &str, syn: &[&str]) -> Concept {
        Concept {
            name: name.into(),
            synonyms: syn.iter().map(|s| (*s).to_string()).collect(),
        }
    }

    #[test]
    fn concepts_match_synonyms_as_whole_words() {
        let cs = vec![
            concept("shortness of breath", &["dyspnea", "SOB"]),
            concept("chest pain", &[]),
        ];
        let s = score_concepts(&cs, Some(&json!("Pt reports SOB and chest pain x2 days")));
        assert_eq!(s.outcome, Outcome::Correct);
        assert_eq!(s.details[0], "mentions shortness of breath (\"SOB\")");
    }

    #[test]
    fn concepts_partial_when_one_is_missing() {
        let cs = vec![concept("fever", &[]), concept("cough", &[])];
        let s = score_concepts(&cs, Some(&json!("Fevers since Monday"))); // "fevers" ≠ "fever"
        assert_eq!(s.credit, 0.0);
        let s = score_concepts(&cs, Some(&json!("fever, no cough")));
        assert_eq!(s.credit, 1.0);
    }

    #[test]
    fn key_concepts_read_strings_and_synonym_lists() {
        let k = key_concepts(&json!(["nausea", ["vomiting", "emesis"]]));
        assert_eq!(k[1].synonyms, vec!["emesis".to_string()]);
    }

    fn vitals_pattern() -> Vec<ForbiddenPattern> {
        vec![ForbiddenPattern {
            name: "measured vital sign".into(),
            regex: r"\d+(/\d+)?\s*(mmhg|bpm|°f|°c)".into(),
            message: "measured vitals belong under Objective".into(),
        }]
    }

    #[test]
    fn forbidden_vitals_under_subjective_score_zero() {
        let s = score_forbidden(
            &vitals_pattern(),
            1.0,
            Some(&json!("Headache. BP 150/95 mmHg")),
        );
        assert_eq!(s.outcome, Outcome::Incorrect);
        assert_eq!(
            s.details[0],
            "measured vital sign: \"150/95 mmHg\" — measured vitals belong under Objective"
        );
    }

    #[test]
    fn clean_text_passes_forbidden_and_blank_is_missing() {
        let p = vitals_pattern();
        assert_eq!(
            score_forbidden(&p, 1.0, Some(&json!("Headache for 2 days"))).credit,
            1.0
        );
        assert_eq!(
            score_forbidden(&p, 1.0, Some(&json!(""))).outcome,
            Outcome::Missing
        );
    }

    #[test]
    fn wer_counts_substitutions_deletions_insertions() {
        let r = words("the patient denies chest pain");
        let h = words("patient denies the chest pains today");
        // delete "the", insert "the", substitute pain→pains, insert today = 4 / 5
        assert!((word_error_rate(&r, &h, &[], 1.0) - 0.8).abs() < 1e-12);
    }

    #[test]
    fn weighted_terms_cost_more() {
        let r = words("start metoprolol daily");
        let h = words("start metformin daily");
        let plain = word_error_rate(&r, &h, &[], 1.0);
        let weighted = word_error_rate(&r, &h, &["metoprolol".to_string()], 3.0);
        assert!((plain - 1.0 / 3.0).abs() < 1e-12);
        assert!((weighted - 3.0 / 5.0).abs() < 1e-12);
    }

    #[test]
    fn wer_credit_is_linear_between_thresholds() {
        let rules = WerRules {
            full_credit_wer: 0.0,
            zero_credit_wer: 0.5,
            weighted_terms: &[],
            term_weight: 1.0,
        };
        let s = score_wer(&json!("a b c d"), Some(&json!("a b c x")), rules);
        assert!((s.credit - 0.5).abs() < 1e-12);
        assert_eq!(
            s.details[0],
            "word error rate 25% (full credit at ≤ 0%, none at ≥ 50%)"
        );
    }
}
