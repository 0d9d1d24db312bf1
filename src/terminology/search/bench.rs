//! The search benchmark behind `ehr-sim codes bench`: builds the index over a code set, then
//! times at least a thousand varied queries generated deterministically from the set itself
//! (titles in reverse word order, two-word queries with a typo, word prefixes, code prefixes,
//! and common abbreviations).
//!
//! Timings are measured, never asserted; the query list is a pure function of the set.

use std::time::Instant;

use super::index::{Index, tokenize};
use super::search_in;
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
}

const ABBREVIATIONS: [&str; 20] = [
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
    let index = Index::build(set);
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
    BenchReport {
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
