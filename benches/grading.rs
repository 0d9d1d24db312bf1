//! Grading throughput: submissions graded per second.
//!
//! Run with `cargo bench --no-default-features --bench grading` (release profile). Prints, for
//! every rubric kind:
//!
//! - `synthetic`: the synthetic workload of `grading::synthetic` (one rubric, key and a stream
//!   of varied submissions), at the answer's own size (1×) and with its lists and texts made 4×
//!   and 16× as long (grading must be linear in the size of the answer);
//! - `shipped`: every shipped scenario of the kind, graded as the app grades (its rubric, the
//!   real code tables and the field schema, through `service::grading::grade_answer`) on the
//!   key, the blank answer and perturbed answers of several cases; inpatient coding rubrics
//!   with MS-DRG criteria are reported apart as `coding+drg`; `… prepared` grades the same
//!   answers through one `PreparedGrader` per case (key and rubric fingerprint derived once);
//!
//! and the word-error-rate kernel alone. Timings are printed, never asserted.

// A benchmark stops on a broken fixture.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use ehr_sim::case::{Case, generate};
use ehr_sim::grading::synthetic::workload;
use ehr_sim::grading::{CriterionKind, GradeContext, RubricKind, grade};
use ehr_sim::library::{ContentRoot, load_rubric_file};
use ehr_sim::service::grading::{PreparedGrader, grade_answer};
use serde_json::Value;
use std::collections::BTreeMap;
use std::hint::black_box;
use std::time::{Duration, Instant};

/// How long each figure is measured for.
const BUDGET: Duration = Duration::from_millis(400);

fn main() {
    // `cargo bench --bench grading -- shipped` runs only the sections whose name contains an
    // argument (`synthetic`, `shipped`, `wer`); cargo's own `--bench` flag is not one.
    let only: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let run = |section: &str| only.is_empty() || only.iter().any(|o| section.contains(o.as_str()));
    println!(
        "{:<28} {:>10} {:>16} {:>10} {:>10}",
        "kind", "graded", "submissions/s", "bytes", "µs/KiB"
    );
    if run("synthetic") {
        synthetic();
    }
    if run("shipped") {
        shipped();
    }
    if run("wer kernel") {
        wer_kernel();
    }
}

/// Runs `grade_one` over `items` round after round for [`BUDGET`]: (graded, per second).
fn measure<T>(items: &[T], mut grade_one: impl FnMut(&T) -> f64) -> (usize, f64) {
    let start = Instant::now();
    let mut n = 0usize;
    let mut sum = 0.0;
    while start.elapsed() < BUDGET || n == 0 {
        for item in items {
            sum += grade_one(item);
        }
        n += items.len();
    }
    black_box(sum);
    #[allow(clippy::cast_precision_loss)]
    let per_sec = n as f64 / start.elapsed().as_secs_f64();
    (n, per_sec)
}

/// `value` with every list `factor` times as long (the copies' texts marked `~2`, `~3`…, so
/// their items stay distinct) and every text of several words `factor` times as long.
fn scaled(value: &Value, factor: usize) -> Value {
    fn mark(value: &Value, copy: usize) -> Value {
        match value {
            Value::String(s) if copy > 1 => Value::String(format!("{s}~{copy}")),
            Value::Object(map) => Value::Object(
                map.iter()
                    .map(|(k, v)| (k.clone(), mark(v, copy)))
                    .collect(),
            ),
            other @ (Value::Null
            | Value::Bool(_)
            | Value::Number(_)
            | Value::String(_)
            | Value::Array(_)) => other.clone(),
        }
    }
    match value {
        Value::String(s) if s.contains(' ') => Value::String(vec![s.as_str(); factor].join(" ")),
        Value::Array(items) => Value::Array(
            (1..=factor)
                .flat_map(|copy| {
                    items
                        .iter()
                        .map(move |item| mark(&scaled(item, factor), copy))
                })
                .collect(),
        ),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), scaled(v, factor)))
                .collect(),
        ),
        other @ (Value::Null | Value::Bool(_) | Value::Number(_) | Value::String(_)) => {
            other.clone()
        }
    }
}

/// `GRADING_BENCH_KIND=triage` measures only that kind (for a profile of one kind).
fn only_kind() -> Option<String> {
    std::env::var("GRADING_BENCH_KIND").ok()
}

fn synthetic() {
    const SUBMISSIONS: usize = 1_000;
    let only_kind = only_kind();
    for &kind in RubricKind::ALL {
        if only_kind.as_ref().is_some_and(|k| k != kind.as_str()) {
            continue;
        }
        let Ok(w) = workload(kind, SUBMISSIONS) else {
            eprintln!("{}: synthetic rubric failed to parse", kind.as_str());
            continue;
        };
        let ctx = GradeContext::default();
        for factor in [1, 4, 16] {
            let key = scaled(&w.key, factor);
            let submissions: Vec<Value> = w.submissions.iter().map(|s| scaled(s, factor)).collect();
            let (n, per_sec) = measure(&submissions, |s| grade(&w.rubric, &key, s, &ctx).score);
            // The answer's size as JSON, and the time per KiB of it: linear grading keeps the
            // time per KiB flat as the answer grows (nested lists grow by factor², their texts
            // by factor³).
            let bytes = submissions
                .iter()
                .map(|s| serde_json::to_vec(s).map_or(0, |b| b.len()))
                .sum::<usize>()
                / submissions.len().max(1);
            #[allow(clippy::cast_precision_loss)]
            let micros_per_kib = 1e6 / per_sec / (bytes as f64 / 1024.0);
            println!(
                "{:<28} {n:>10} {per_sec:>16.0} {bytes:>10} {micros_per_kib:>10.2}",
                format!("synthetic {} {factor}x", kind.as_str())
            );
        }
    }
}

fn shipped() {
    const SEEDS: u64 = 8;
    let root = ContentRoot::at(env!("CARGO_MANIFEST_DIR"));
    let (mut all, _) = root.load_all().expect("scenarios");
    all.sort_by(|a, b| a.scenario.id.cmp(&b.scenario.id));
    let schemas = ehr_sim::tasks::schemas();
    let mut per_kind: BTreeMap<String, (usize, Duration)> = BTreeMap::new();
    let only_kind = only_kind();
    for loaded in &all {
        let rubric = load_rubric_file(&root.grading_dir().join(&loaded.scenario.rubric), &schemas)
            .expect("rubric");
        let drg = rubric
            .criteria
            .iter()
            .any(|c| matches!(c.kind, CriterionKind::Drg(_)));
        let label = format!(
            "shipped {}{}",
            rubric.task_kind.as_str(),
            if drg { "+drg" } else { "" }
        );
        if only_kind
            .as_ref()
            .is_some_and(|k| !label.contains(k.as_str()))
        {
            continue;
        }
        let mut items = Vec::new();
        for seed in 0..SEEDS {
            let case = generate(loaded, seed, 0);
            let key = case.key();
            let answers = [key.clone(), case.blank(), reversed(&key)];
            for answer in answers {
                items.push((seed, answer));
            }
        }
        let cases: Vec<_> = (0..SEEDS).map(|seed| generate(loaded, seed, 0)).collect();
        let timed = |grade_one: &dyn Fn(&Case, &Value) -> f64| {
            let start = Instant::now();
            let mut n = 0usize;
            while start.elapsed() < BUDGET / 8 || n == 0 {
                for (seed, answer) in &items {
                    let case = &cases[usize::try_from(*seed).unwrap()];
                    black_box(grade_one(case, answer));
                }
                n += items.len();
            }
            (n, start.elapsed())
        };
        let (n, time) = timed(&|case, answer| grade_answer(&rubric, loaded, case, answer).score);
        let slot = per_kind.entry(label.clone()).or_default();
        slot.0 += n;
        slot.1 += time;
        // The same answers through one prepared grader per case (the key and the rubric's
        // fingerprint derived once per case, as a session grading many answers does).
        let prepared: Vec<PreparedGrader<'_>> = cases
            .iter()
            .map(|case| PreparedGrader::new(&rubric, loaded, case))
            .collect();
        let start = Instant::now();
        let mut n = 0usize;
        while start.elapsed() < BUDGET / 8 || n == 0 {
            for (seed, answer) in &items {
                let grader = &prepared[usize::try_from(*seed).unwrap()];
                black_box(grader.grade(answer).score);
            }
            n += items.len();
        }
        let slot = per_kind.entry(format!("{label} prepared")).or_default();
        slot.0 += n;
        slot.1 += start.elapsed();
    }
    for (label, (n, time)) in per_kind {
        #[allow(clippy::cast_precision_loss)]
        let per_sec = n as f64 / time.as_secs_f64();
        println!("{label:<28} {n:>10} {per_sec:>16.0}");
    }
}

/// `value` with every list reversed (a wrong order, some items moved out of place).
fn reversed(value: &Value) -> Value {
    match value {
        Value::Array(items) => Value::Array(items.iter().rev().map(reversed).collect()),
        Value::Object(map) => {
            Value::Object(map.iter().map(|(k, v)| (k.clone(), reversed(v))).collect())
        }
        other @ (Value::Null | Value::Bool(_) | Value::Number(_) | Value::String(_)) => {
            other.clone()
        }
    }
}

/// The word-error-rate kernel alone (the alignment part of transcription grading), at 1×, 4×
/// and 16× the synthetic transcript.
fn wer_kernel() {
    use ehr_sim::grading::criteria::text::{word_error_rate, words};
    const N: usize = 200;
    let Ok(w) = workload(RubricKind::Transcription, N) else {
        return;
    };
    let terms = ["metoprolol".to_string(), "lisinopril".to_string()];
    for factor in [1, 4, 16] {
        let text = |v: &Value| words(scaled(v, factor)["transcript"].as_str().unwrap_or(""));
        let reference = text(&w.key);
        let hypotheses: Vec<Vec<String>> = w.submissions.iter().map(text).collect();
        let start = Instant::now();
        let mut sum = 0.0;
        let mut n = 0usize;
        while start.elapsed() < BUDGET || n == 0 {
            for h in &hypotheses {
                sum += word_error_rate(&reference, h, &terms, 3.0);
            }
            n += hypotheses.len();
        }
        #[allow(clippy::cast_precision_loss)]
        let micros = start.elapsed().as_secs_f64() * 1e6 / n as f64;
        println!(
            "wer kernel {factor}x {} reference words: {micros:.1} µs per transcript (mean WER {:.4})",
            reference.len(),
            sum / n as f64
        );
    }
}
