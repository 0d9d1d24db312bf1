//! The search benchmark behind `ehr-sim codes bench`: builds the index over a code set, then
//! times varied queries generated deterministically from the set itself (titles in reverse word
//! order, two-word queries with a typo, word prefixes, code prefixes, abbreviations and learner
//! phrasings), and measures recall on learner phrasings with a known intended code
//! ([`RECALL_CASES`]: the intended code in the top 3 and the top 10).
//!
//! Timings are measured, never asserted; the query list is a pure function of the set.

use std::time::Instant;

use super::index::{Index, tokenize};
use super::{search_in, synonym_file};
use crate::terminology::codeset::CodeSet;

/// The figures printed by the benchmark.
#[derive(Debug, Clone, PartialEq)]
pub struct BenchReport {
    /// Time to build the index, milliseconds.
    pub index_build_ms: f64,
    /// Vocabulary size.
    pub vocabulary: usize,
    /// Indexed documents (titles and inclusion terms).
    pub documents: usize,
    /// Number of timed queries.
    pub queries: usize,
    /// Median latency, microseconds.
    pub median_us: f64,
    /// 99th-percentile latency, microseconds.
    pub p99_us: f64,
    /// Slowest query, microseconds.
    pub max_us: f64,
    /// Queries that found nothing.
    pub empty: usize,
    /// The five slowest queries with their latency in microseconds, slowest first.
    pub slowest: Vec<(String, f64)>,
    /// Learner phrasings whose intended code is in the top 3, and in the top 10, of
    /// [`RECALL_CASES`].
    pub recall_top3: usize,
    /// See `recall_top3`.
    pub recall_top10: usize,
    /// Number of recall cases.
    pub recall_cases: usize,
    /// The cases whose intended code is not in the top 10.
    pub missed: Vec<(String, String)>,
}

/// Natural learner phrasings with the code a coder would choose: abbreviations, lay and
/// anatomical words, adjective/noun forms, numbers, encounter words and any word order.
pub const RECALL_CASES: [(&str, &str); 40] = [
    ("distal radius fracture right initial", "S52.501A"),
    ("obesity bmi 41 adult", "Z68.41"),
    ("bmi 41", "Z68.41"),
    ("hypertension ckd", "I12.9"),
    ("gallstones", "K80.20"),
    ("dvt right leg", "I82.401"),
    ("dvt", "I82.409"),
    ("diabetes ckd", "E11.22"),
    ("depression", "F32.A"),
    ("hip fracture right initial", "S72.001A"),
    ("sacral fracture initial", "S32.10XA"),
    ("sacrum fracture", "S32.10XA"),
    ("cellulitis leg right", "L03.115"),
    ("high blood pressure", "I10"),
    ("hypertension", "I10"),
    ("afib", "I48.91"),
    ("copd exacerbation", "J44.1"),
    ("chf", "I50.9"),
    ("uti", "N39.0"),
    ("kidney stone", "N20.0"),
    ("pneumonia", "J18.9"),
    ("t2dm", "E11.9"),
    ("type 2 diabetes", "E11.9"),
    ("diabetic foot ulcer", "E11.621"),
    ("low back pain", "M54.50"),
    ("heart attack", "I21.9"),
    ("stroke", "I63.9"),
    ("esrd", "N18.6"),
    ("ckd stage 3", "N18.30"),
    ("pregnancy 20 weeks", "Z3A.20"),
    ("hyperlipidemia", "E78.5"),
    ("gerd", "K21.9"),
    ("asthma", "J45.909"),
    ("anemia", "D64.9"),
    ("broken wrist left initial", "S52.502A"),
    ("fractured femur right initial", "S72.91XA"),
    ("obese", "E66.9"),
    ("sepsis", "A41.9"),
    ("chest pain", "R07.9"),
    ("wrist sprain right", "S63.501A"),
];

const ABBREVIATIONS: [&str; 30] = [
    "distal radius fracture right initial",
    "obesity bmi 41 adult",
    "hypertension ckd",
    "gallstones",
    "dvt",
    "diabetes ckd",
    "hip fracture",
    "sacrum fracture subsequent",
    "depression",
    "leg cellulitis",
    "afib",
    "t2dm with ckd",
    "copd exacerbation",
    "chf",
    "htn ckd stage 3",
    "uti",
    "gerd",
    "nstemi",
    "dvt left leg",
    "bmi 30",
    "diabetis type 2 without complications",
    "pnuemonia",
    "fx radius",
    "heart attack",
    "esrd dialysis",
    "mdd recurrent",
    "osa",
    "cad native",
    "hyperlipidemia",
    "low back pain",
];

fn with_typo(word: &str) -> String {
    let mut chars: Vec<char> = word.chars().collect();
    let mid = chars.len() / 2;
    if chars.len() >= 5 && mid >= 1 {
        chars.swap(mid, mid - 1);
    }
    chars.into_iter().collect()
}

/// Generates `n` queries from the set.
#[must_use]
pub fn queries(set: &CodeSet, n: usize) -> Vec<String> {
    let billable: Vec<_> = set.entries.iter().filter(|e| e.billable).collect();
    let stride = (billable.len() / n.max(1)).max(1);
    let mut out = Vec::with_capacity(n);
    for (i, entry) in billable.iter().step_by(stride).enumerate() {
        if out.len() >= n {
            break;
        }
        let words: Vec<String> = tokenize(&entry.description).collect();
        let query = match i % 5 {
            0 => words.iter().rev().cloned().collect::<Vec<_>>().join(" "),
            1 => {
                let mut two: Vec<String> = words.iter().take(2).cloned().collect();
                if let Some(longest) = two.iter_mut().max_by_key(|w| w.len()) {
                    *longest = with_typo(longest);
                }
                two.join(" ")
            }
            2 => words
                .iter()
                .take(3)
                .map(|w| w.chars().take(4).collect::<String>())
                .collect::<Vec<_>>()
                .join(" "),
            3 => entry.code.chars().take(4).collect(),
            _ => ABBREVIATIONS
                .get(i / 5 % ABBREVIATIONS.len())
                .map_or_else(String::new, |s| (*s).to_string()),
        };
        out.push(query);
    }
    out
}

/// Builds the index and times the queries.
#[must_use]
pub fn run(set: &CodeSet, n: usize) -> BenchReport {
    let start = Instant::now();
    let index = Index::build_with(set, synonym_file(), &[]);
    let index_build_ms = start.elapsed().as_secs_f64() * 1000.0;
    let list = queries(set, n);
    // One warm-up pass so the first query does not pay for page faults (its results are not
    // needed).
    for q in list.iter().take(50) {
        let _ = search_in(set, &index, q, 20);
    }
    let mut timed: Vec<(f64, &String)> = Vec::with_capacity(list.len());
    let mut empty = 0;
    for q in &list {
        let t = Instant::now();
        let hits = search_in(set, &index, q, 20);
        timed.push((t.elapsed().as_secs_f64() * 1e6, q));
        if hits.is_empty() {
            empty += 1;
        }
    }
    timed.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    let slowest = timed
        .iter()
        .take(5)
        .map(|(t, q)| ((*q).clone(), *t))
        .collect();
    let mut times_us: Vec<f64> = timed.iter().map(|(t, _)| *t).collect();
    times_us.sort_by(f64::total_cmp);
    let at = |p: f64| -> f64 {
        let i = ((times_us.len() as f64 - 1.0) * p).round() as usize;
        times_us.get(i).copied().unwrap_or(0.0)
    };
    let mut recall_top3 = 0;
    let mut recall_top10 = 0;
    let mut missed = Vec::new();
    for (query, code) in RECALL_CASES {
        let hits = search_in(set, &index, query, 10);
        match hits.iter().position(|h| h.code == code) {
            Some(p) if p < 3 => {
                recall_top3 += 1;
                recall_top10 += 1;
            }
            Some(_) => recall_top10 += 1,
            None => missed.push((query.to_string(), code.to_string())),
        }
    }
    BenchReport {
        recall_top3,
        recall_top10,
        recall_cases: RECALL_CASES.len(),
        missed,
        index_build_ms,
        vocabulary: index.vocab.len(),
        documents: index.docs.len(),
        queries: times_us.len(),
        median_us: at(0.5),
        p99_us: at(0.99),
        max_us: times_us.last().copied().unwrap_or(0.0),
        empty,
        slowest,
    }
}
