//! Grades stay byte-identical: a large corpus of answers graded with the shipped rubrics (every
//! shipped scenario × seeds × the key, the blank answer and perturbed answers, both through the
//! service with the real code tables and field schemas and through `grade` alone) and with the
//! synthetic rubrics of every rubric kind, whose full reports (`Debug`, JSON and the printed
//! form) are hashed into one SHA-256 digest. The pinned digests were computed by the grading
//! code before it was optimised (issue #23); any change to any grade, finding, feedback or
//! detail changes them.

use ehr_sim::case::generate;
use ehr_sim::grading::synthetic::workload;
use ehr_sim::grading::{GradeContext, GradeReport, RubricKind, grade};
use ehr_sim::library::{ContentRoot, load_rubric_file};
use ehr_sim::service::grading::{PreparedGrader, grade_answer};
use serde_json::Value;
use sha2::{Digest, Sha256};

const SEEDS: std::ops::Range<u64> = 0..4;
const PERTURBATIONS: u64 = 6;
const SYNTHETIC_SUBMISSIONS: usize = 25;

/// A small deterministic random stream (xorshift64*).
struct Stream(u64);

impl Stream {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn one_in(&mut self, n: u64) -> bool {
        self.next().is_multiple_of(n)
    }
}

/// A text with some words dropped, doubled, misspelt or case-changed.
fn perturb_text(text: &str, rng: &mut Stream) -> String {
    let mut out: Vec<String> = Vec::new();
    for word in text.split(' ') {
        match rng.next() % 12 {
            0 => {}
            1 => {
                out.push(word.to_string());
                out.push(word.to_string());
            }
            2 => out.push(format!("{word}s")),
            3 => out.push(word.to_uppercase()),
            4 => out.push("uh".to_string()),
            _ => out.push(word.to_string()),
        }
    }
    out.join(" ")
}

/// A perturbed copy of an answer: leaves changed, list items dropped, swapped or doubled,
/// fields removed, each with a probability drawn from `rng`.
fn perturb(value: &Value, rng: &mut Stream) -> Value {
    match value {
        Value::Null => {
            if rng.one_in(6) {
                Value::String("unknown".to_string())
            } else {
                Value::Null
            }
        }
        Value::Bool(b) => Value::Bool(if rng.one_in(3) { !b } else { *b }),
        Value::Number(n) => {
            if !rng.one_in(3) {
                return value.clone();
            }
            match (n.as_i64(), n.as_f64()) {
                (Some(i), _) => Value::from(i + 1 - 2 * i64::from(rng.one_in(2))),
                (None, Some(f)) => Value::from(f * 1.05),
                (None, None) => value.clone(),
            }
        }
        Value::String(s) => {
            if s.contains(' ') && rng.one_in(2) {
                return Value::String(perturb_text(s, rng));
            }
            match rng.next() % 8 {
                0 => Value::String(String::new()),
                1 => Value::String(s.to_uppercase()),
                2 => Value::String(format!("{s}X")),
                3 => Value::String(s.chars().rev().collect()),
                _ => value.clone(),
            }
        }
        Value::Array(items) => {
            let mut out: Vec<Value> = Vec::new();
            for item in items {
                match rng.next() % 10 {
                    0 => {}
                    1 => {
                        out.push(item.clone());
                        out.push(perturb(item, rng));
                    }
                    _ => out.push(perturb(item, rng)),
                }
            }
            if out.len() > 1 && rng.one_in(3) {
                out.swap(0, 1);
            }
            Value::Array(out)
        }
        Value::Object(map) => {
            let mut out = serde_json::Map::new();
            for (k, v) in map {
                if !rng.one_in(15) {
                    out.insert(k.clone(), perturb(v, rng));
                }
            }
            Value::Object(out)
        }
    }
}

fn absorb(hasher: &mut Sha256, report: &GradeReport) {
    hasher.update(format!("{report:?}").as_bytes());
    hasher.update(serde_json::to_vec(report).expect("serialises"));
    hasher.update(report.to_string().as_bytes());
}

/// (digest, reports hashed) over every shipped scenario.
fn shipped_digest() -> (String, usize) {
    let root = ContentRoot::at(env!("CARGO_MANIFEST_DIR"));
    let (mut all, _) = root.load_all().expect("scenarios");
    all.sort_by(|a, b| a.scenario.id.cmp(&b.scenario.id));
    let schemas = ehr_sim::tasks::schemas();
    let mut hasher = Sha256::new();
    let mut n = 0usize;
    for loaded in &all {
        let rubric = load_rubric_file(&root.grading_dir().join(&loaded.scenario.rubric), &schemas)
            .expect("rubric");
        for seed in SEEDS {
            let case = generate(loaded, seed, 0);
            let prepared = PreparedGrader::new(&rubric, loaded, &case);
            let key = case.key();
            let mut answers = vec![key.clone(), case.blank()];
            for p in 0..PERTURBATIONS {
                let mut rng = Stream(0x9E37_79B9_7F4A_7C15 ^ (seed << 8) ^ (p + 1));
                answers.push(perturb(&key, &mut rng));
            }
            for (i, answer) in answers.iter().enumerate() {
                let report = prepared.grade(answer);
                // The prepared grader is `grade_answer` without its repeated work.
                if seed == 0 && i < 3 {
                    assert_eq!(report, grade_answer(&rubric, loaded, &case, answer));
                }
                absorb(&mut hasher, &report);
                absorb(
                    &mut hasher,
                    &grade(&rubric, &key, answer, &GradeContext::default()),
                );
                n += 2;
            }
        }
    }
    (format!("{:x}", hasher.finalize()), n)
}

/// (digest, reports hashed) over the synthetic workloads of every rubric kind.
fn synthetic_digest() -> (String, usize) {
    let mut hasher = Sha256::new();
    let mut n = 0usize;
    for &kind in RubricKind::ALL {
        let w = workload(kind, SYNTHETIC_SUBMISSIONS).expect("synthetic rubric");
        for (i, s) in w.submissions.iter().enumerate() {
            let mut rng = Stream(0xD1B5_4A32_D192_ED03 ^ i as u64);
            for answer in [s.clone(), perturb(s, &mut rng)] {
                absorb(
                    &mut hasher,
                    &grade(&w.rubric, &w.key, &answer, &GradeContext::default()),
                );
                n += 1;
            }
        }
    }
    (format!("{:x}", hasher.finalize()), n)
}

#[test]
fn shipped_scenario_grades_are_unchanged() {
    let (digest, n) = shipped_digest();
    // 114 scenarios × 4 seeds × 8 answers × 2 ways of grading.
    assert_eq!(n, 7296);
    assert_eq!(
        digest,
        "683b21d562e09b5b7187128fdef52174a009bab016fc0853fef9a878c7782d04"
    );
}

#[test]
fn synthetic_grades_are_unchanged() {
    let (digest, n) = synthetic_digest();
    // 8 rubric kinds × 25 submissions × (as made, perturbed).
    assert_eq!(n, 400);
    assert_eq!(
        digest,
        "4d126021cfa9408a2e392a703038a04fe4374f43a08527bdb9328325623a346a"
    );
}
