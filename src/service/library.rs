//! The scenario library: which scenarios the catalog and the commands offer, and every check
//! that keeps one out.
//!
//! A scenario is offered only when it loads, validates without errors (with its rubric's file
//! present), its rubric grades its task kind, and no other scenario has its id (two files with
//! one id are both left out). The app's catalog and the CLI use the same [`Library::load`];
//! `ehr-sim validate` and the studio report every problem with [`check`].

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::diagnostic::{self, Diagnostic};
use crate::library::ContentRoot;
use crate::scenario::{LoadedScenario, load::ron_files, load_file, validate};

/// The scenarios a content root offers, and the problems that kept others out.
#[derive(Debug, Clone, Default)]
pub struct Library {
    /// Usable scenarios, in catalog order ([`crate::library::sort_catalog`]).
    pub scenarios: Vec<LoadedScenario>,
    /// Why the other files were left out (errors only), sorted.
    pub problems: Vec<Diagnostic>,
}

impl Library {
    /// Loads and checks every scenario under the root's `scenarios/`.
    #[must_use]
    pub fn load(root: &ContentRoot) -> Self {
        let (loaded, mut problems) = match root.load_all() {
            Ok(found) => found,
            Err(d) => {
                return Self {
                    scenarios: Vec::new(),
                    problems: vec![d],
                };
            }
        };
        let grading = root.grading_dir();
        let mut scenarios = Vec::new();
        for s in loaded {
            let mut errors: Vec<Diagnostic> = validate::validate(&s, Some(&grading))
                .into_iter()
                .filter(Diagnostic::is_error)
                .collect();
            if errors.is_empty() {
                errors.extend(rubric_matches_task(&s, &grading));
            }
            if errors.is_empty() {
                scenarios.push(s);
            } else {
                problems.extend(errors);
            }
        }
        // An id two files share is ambiguous (recorded attempts name it): neither is offered.
        let duplicates = validate::duplicate_ids(&scenarios);
        let ambiguous: BTreeSet<String> = duplicates
            .iter()
            .filter(|d| d.is_error())
            .filter_map(|d| scenarios.iter().find(|s| s.path == d.file))
            .map(|s| s.scenario.id.clone())
            .collect();
        scenarios.retain(|s| !ambiguous.contains(&s.scenario.id));
        problems.extend(duplicates.into_iter().filter(Diagnostic::is_error));
        diagnostic::sort(&mut problems);
        crate::library::sort_catalog(&mut scenarios);
        Self {
            scenarios,
            problems,
        }
    }
}

/// Why [`find_valid`] found no usable scenario.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FindError {
    /// No file or id matches, or the file does not parse.
    #[error("{0}")]
    NotFound(Diagnostic),
    /// The scenario has validation errors (every one listed).
    #[error(
        "the scenario has {} problems; fix them first:\n{}",
        .0.len(),
        .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n")
    )]
    Invalid(Vec<Diagnostic>),
}

/// Finds a scenario by id or path and refuses it when it has validation errors.
///
/// # Errors
/// [`FindError`] when the scenario is unknown, does not load or has validation errors.
pub(crate) fn find_valid(
    root: &ContentRoot,
    id_or_path: &str,
) -> Result<LoadedScenario, FindError> {
    let scenario = root.find(id_or_path).map_err(FindError::NotFound)?;
    let errors: Vec<Diagnostic> = validate::validate(&scenario, None)
        .into_iter()
        .filter(Diagnostic::is_error)
        .collect();
    if errors.is_empty() {
        Ok(scenario)
    } else {
        Err(FindError::Invalid(errors))
    }
}

/// Checks one rubric file against every task kind's field schema.
#[must_use]
pub(crate) fn validate_rubric_file(file: &Path) -> Vec<Diagnostic> {
    match crate::library::load_rubric_file(file, &crate::tasks::schemas()) {
        Ok(_) => Vec::new(),
        Err(found) => found,
    }
}

/// Checks the files under `paths`; returns the diagnostics (sorted) and the number of files.
#[must_use]
pub fn check(paths: &[PathBuf], root: &ContentRoot) -> (Vec<Diagnostic>, usize) {
    let mut out = Vec::new();
    let mut files = Vec::new();
    for p in paths {
        if p.is_dir() {
            match ron_files(p) {
                Ok(found) => files.extend(found),
                Err(d) => out.push(d),
            }
        } else if p.exists() {
            files.push(p.clone());
        } else {
            out.push(Diagnostic::at_file(p, "no such file or folder").with_hint("check the path"));
        }
    }
    let grading_dir = root.grading_dir();
    let mut scenarios = Vec::new();
    for file in &files {
        if is_rubric(file, &grading_dir) {
            out.extend(validate_rubric_file(file));
            continue;
        }
        match load_file(file) {
            Ok(loaded) => {
                let found = validate::validate(&loaded, Some(&grading_dir));
                let rubric_ok = !found.iter().any(|d| d.item.as_deref() == Some("rubric"));
                out.extend(found);
                if rubric_ok {
                    out.extend(rubric_matches_task(&loaded, &grading_dir));
                }
                scenarios.push(loaded);
            }
            Err(d) => out.push(d),
        }
    }
    out.extend(validate::duplicate_ids(&scenarios));
    diagnostic::sort(&mut out);
    (out, files.len())
}

/// Checks scenario `text` as if saved at `path` (the studio's editor, before saving): every
/// check a scenario file gets, with each diagnostic placed at a line and column of the text
/// (an item path such as `patient.conditions[0].onset` is located in the RON). Returns the
/// scenario when it parses, and the diagnostics sorted.
#[must_use]
pub fn check_text(
    path: &Path,
    text: &str,
    root: &ContentRoot,
) -> (Option<LoadedScenario>, Vec<Diagnostic>) {
    let grading_dir = root.grading_dir();
    let (loaded, mut out) = match crate::scenario::load::load_text(path, text) {
        Ok(loaded) => {
            let mut found = validate::validate(&loaded, Some(&grading_dir));
            if !found.iter().any(|d| d.item.as_deref() == Some("rubric")) {
                found.extend(rubric_matches_task(&loaded, &grading_dir));
            }
            (Some(loaded), found)
        }
        Err(d) => (None, vec![d]),
    };
    for d in &mut out {
        if d.position.is_none()
            && let Some(item) = &d.item
        {
            let at = crate::grading::locate::locate(text, item);
            if at.line > 0 {
                d.position = Some((
                    u32::try_from(at.line).unwrap_or(u32::MAX),
                    u32::try_from(at.col).unwrap_or(u32::MAX),
                ));
            }
        }
    }
    diagnostic::sort(&mut out);
    (loaded, out)
}

/// The scenario's rubric must be for the scenario's task kind (problems inside the rubric file
/// itself are reported when the rubric file is checked).
fn rubric_matches_task(loaded: &LoadedScenario, grading_dir: &Path) -> Vec<Diagnostic> {
    let path = grading_dir.join(&loaded.scenario.rubric);
    let Ok(rubric) = crate::library::load_rubric_file(&path, &crate::tasks::schemas()) else {
        return Vec::new();
    };
    let want = loaded.scenario.task.rubric_kind();
    if rubric.task_kind == want {
        Vec::new()
    } else {
        vec![
            Diagnostic::at_item(
                &loaded.path,
                "rubric",
                format!(
                    "rubric `{}` grades {:?} tasks, but this scenario is a {:?} task",
                    loaded.scenario.rubric, rubric.task_kind, want
                ),
            )
            .with_hint("name a rubric written for this task kind"),
        ]
    }
}

/// A file is a rubric when it lives under the grading folder or its first item is `Rubric(`.
pub(crate) fn is_rubric(file: &Path, grading_dir: &Path) -> bool {
    let under = match (file.canonicalize(), grading_dir.canonicalize()) {
        (Ok(f), Ok(g)) => f.starts_with(g),
        _ => false,
    };
    under
        || std::fs::read_to_string(file).is_ok_and(|text| {
            text.lines()
                .map(str::trim)
                .find(|l| !l.is_empty() && !l.starts_with("//") && !l.starts_with("#!"))
                .is_some_and(|l| l.starts_with("Rubric"))
        })
}
