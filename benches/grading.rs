//! Grading throughput: submissions graded per second for a synthetic workload of each task kind.
//!
//! Run with `cargo bench --no-default-features --bench grading` (release profile). Prints one
//! line per task kind; timings are printed, never asserted.

// A benchmark stops on a broken fixture.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use ehr_sim::grading::RubricKind;
use ehr_sim::grading::synthetic::workload;
use ehr_sim::grading::{GradeContext, grade};
use std::time::Instant;

const SUBMISSIONS: usize = 20_000;

fn main() {
    for kind in [
        RubricKind::Charting,
        RubricKind::Coding,
        RubricKind::Triage,
        RubricKind::Transcription,
        RubricKind::Hospice,
    ] {
        let Ok(w) = workload(kind, SUBMISSIONS) else {
            eprintln!("{}: synthetic rubric failed to parse", kind.as_str());
            continue;
        };
        let ctx = GradeContext::default();
        let start = Instant::now();
        let mut total_score = 0.0;
        for submission in &w.submissions {
            total_score += grade(&w.rubric, &w.key, submission, &ctx).score;
        }
        let secs = start.elapsed().as_secs_f64();
        #[allow(clippy::cast_precision_loss)]
        let per_sec = SUBMISSIONS as f64 / secs;
        println!(
            "{:<14} {SUBMISSIONS} submissions in {secs:.3} s = {per_sec:.0} submissions/s (mean score {:.2})",
            kind.as_str(),
            total_score / SUBMISSIONS as f64
        );
    }
    wer_kernel();
}

/// The word-error-rate kernel alone (the O(n·m) part of transcription grading).
fn wer_kernel() {
    use ehr_sim::grading::criteria::text::{word_error_rate, words};
    const N: usize = 2_000;
    let Ok(w) = workload(RubricKind::Transcription, N) else {
        return;
    };
    let text = |v: &serde_json::Value| words(v["transcript"].as_str().unwrap_or(""));
    let reference = text(&w.key);
    let terms = ["metoprolol".to_string(), "lisinopril".to_string()];
    let start = Instant::now();
    let mut sum = 0.0;
    for s in &w.submissions {
        sum += word_error_rate(&reference, &text(s), &terms, 3.0);
    }
    #[allow(clippy::cast_precision_loss)]
    let micros = start.elapsed().as_secs_f64() * 1e6 / N as f64;
    println!(
        "wer kernel     {} reference words: {micros:.1} µs per transcript (mean WER {:.4})",
        reference.len(),
        sum / N as f64
    );
}
