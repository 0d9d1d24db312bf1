//! Grading throughput: submissions graded per second for a synthetic workload of each task kind.
//!
//! Run with `cargo bench --no-default-features --bench grading` (release profile). Prints one
//! line per task kind; timings are printed, never asserted.

use ehr_sim::grading::rubric::TaskKind;
use ehr_sim::grading::synthetic::workload;
use ehr_sim::grading::{GradeContext, grade};
use std::time::Instant;

const SUBMISSIONS: usize = 20_000;

fn main() {
    for kind in [
        TaskKind::Charting,
        TaskKind::Coding,
        TaskKind::Triage,
        TaskKind::Transcription,
        TaskKind::Hospice,
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
}
