//! Generated-content plausibility over many seeds (`ehr-sim validate --seeds N`): every
//! scenario that validates is generated for seeds 1..=N and each case goes through
//! [`crate::case::plausibility::check`]; each violation becomes a [`Diagnostic`] naming the
//! scenario file, the seed, the rule and what was found, placed at the line and column of the
//! scenario item that produced it when the generator knows it.

use std::path::{Path, PathBuf};

use crate::case::Case;
use crate::case::plausibility::{self, Violation};
use crate::diagnostic::Diagnostic;
use crate::library::ContentRoot;
use crate::scenario::{LoadedScenario, load::ron_files, load_file, validate};

/// The most seeds one run generates per scenario.
pub const MAX_SEEDS: u64 = 10_000;

/// What a plausibility run found.
#[derive(Debug, Clone, Default)]
pub struct SeedReport {
    /// One diagnostic per violation, by file and seed.
    pub violations: Vec<Diagnostic>,
    /// Scenarios generated.
    pub scenarios: usize,
    /// Cases generated and checked.
    pub cases: usize,
}

/// Generates seeds `1..=seeds` (at most [`MAX_SEEDS`]) of every scenario file under `paths`
/// that loads and validates without errors, and checks each case. Rubric files and scenarios
/// with errors are skipped (the static validation reports them).
#[must_use]
pub fn check_seeds(paths: &[PathBuf], root: &ContentRoot, seeds: u64) -> SeedReport {
    let grading_dir = root.grading_dir();
    let mut files = Vec::new();
    for p in paths {
        if p.is_dir() {
            files.extend(ron_files(p).unwrap_or_default());
        } else if p.exists() {
            files.push(p.clone());
        }
    }
    let mut report = SeedReport::default();
    for file in files {
        if crate::service::library::is_rubric(&file, &grading_dir) {
            continue;
        }
        let Ok(loaded) = load_file(&file) else {
            continue;
        };
        if validate::validate(&loaded, Some(&grading_dir))
            .iter()
            .any(Diagnostic::is_error)
        {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        report.scenarios += 1;
        for seed in 1..=seeds.min(MAX_SEEDS) {
            report.cases += 1;
            report.violations.extend(check_case(&loaded, &text, seed));
        }
    }
    report
}

/// The violations of one seed of a loaded scenario, as diagnostics placed in `text` (the
/// scenario file's text).
#[must_use]
pub fn check_case(loaded: &LoadedScenario, text: &str, seed: u64) -> Vec<Diagnostic> {
    let case = crate::case::generate(loaded, seed, 0);
    located(loaded, text, &case)
}

/// Checks `case` (generated from `loaded`) and places each violation in `text`, the scenario
/// file's text: `file:line:col: error: item: seed N: [rule] found`, with the rule's description
/// and source as the hint.
#[must_use]
pub fn located(loaded: &LoadedScenario, text: &str, case: &Case) -> Vec<Diagnostic> {
    plausibility::check(&loaded.scenario, case)
        .into_iter()
        .map(|v| diagnostic_of(&loaded.path, text, case.seed, &v))
        .collect()
}

fn diagnostic_of(file: &Path, text: &str, seed: u64, v: &Violation) -> Diagnostic {
    let message = format!("seed {seed}: [{}] {}", v.rule, v.found);
    let mut d = match &v.item {
        Some(item) => {
            let at = crate::grading::locate::locate(text, item);
            Diagnostic::at_item(file, item.clone(), message).located(file, at.line, at.col)
        }
        None => Diagnostic::at_file(file, message),
    };
    if let Some(rule) = plausibility::rule(&v.rule) {
        d = d.with_hint(format!("{} (source: {})", rule.description, rule.source));
    }
    d
}
