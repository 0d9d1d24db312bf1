//! Where the scenario and rubric folders are, and finding a scenario by id or path.
//!
//! The content root is, in order: the `EHR_SIM_HOME` environment variable; the current folder
//! when it has a `scenarios/` folder; the folder of the executable (or its parents, for
//! `target/release/ehr-sim`) when it has one; the source tree the binary was built from.

use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostic;
use crate::grading::{FieldSchema, Rubric};
use crate::scenario::{LoadedScenario, load::ron_files, load_file};

/// The folders the program reads content from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentRoot {
    /// The folder holding `scenarios/` and `grading/`.
    pub root: PathBuf,
}

impl ContentRoot {
    /// Finds the content root (see the module documentation).
    pub(crate) fn discover() -> Self {
        if let Some(home) = std::env::var_os("EHR_SIM_HOME") {
            return Self {
                root: PathBuf::from(home),
            };
        }
        if let Ok(cwd) = std::env::current_dir()
            && cwd.join("scenarios").is_dir()
        {
            return Self { root: cwd };
        }
        if let Ok(exe) = std::env::current_exe() {
            for dir in exe.ancestors().skip(1).take(4) {
                if dir.join("scenarios").is_dir() {
                    return Self {
                        root: dir.to_path_buf(),
                    };
                }
            }
        }
        Self {
            root: PathBuf::from(env!("CARGO_MANIFEST_DIR")),
        }
    }

    /// A root at a given folder.
    pub fn at(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    /// The scenarios folder.
    pub(crate) fn scenarios_dir(&self) -> PathBuf {
        self.root.join("scenarios")
    }

    /// The rubrics folder.
    pub fn grading_dir(&self) -> PathBuf {
        self.root.join("grading")
    }

    /// Loads every scenario under `scenarios/`; unparsable files come back as diagnostics.
    ///
    /// # Errors
    /// A diagnostic when the folder cannot be read.
    pub fn load_all(&self) -> Result<(Vec<LoadedScenario>, Vec<Diagnostic>), Diagnostic> {
        let mut ok = Vec::new();
        let mut bad = Vec::new();
        for path in ron_files(&self.scenarios_dir())? {
            match load_file(&path) {
                Ok(s) => ok.push(s),
                Err(d) => bad.push(d),
            }
        }
        Ok((ok, bad))
    }

    /// Finds a scenario by file path or by id.
    ///
    /// # Errors
    /// A diagnostic when the file does not parse, or no scenario has that id.
    pub fn find(&self, id_or_path: &str) -> Result<LoadedScenario, Diagnostic> {
        let as_path = Path::new(id_or_path);
        if as_path.extension().is_some_and(|e| e == "ron") || as_path.is_file() {
            return load_file(as_path);
        }
        let (all, _) = self.load_all()?;
        let ids: Vec<String> = all.iter().map(|s| s.scenario.id.clone()).collect();
        all.into_iter()
            .find(|s| s.scenario.id == id_or_path)
            .ok_or_else(|| {
                let near: Vec<&String> = ids
                    .iter()
                    .filter(|id| {
                        id.contains(id_or_path)
                            || crate::terminology::search::fuzzy::levenshtein(id, id_or_path) <= 3
                    })
                    .collect();
                let hint = if near.is_empty() {
                    "run `ehr-sim scenarios list` to see the ids".to_string()
                } else {
                    format!(
                        "did you mean: {}?",
                        near.iter()
                            .map(|s| s.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                };
                Diagnostic::at_file(
                    &self.scenarios_dir(),
                    format!("no scenario has the id `{id_or_path}`"),
                )
                .with_hint(hint)
            })
    }
}

/// Sorts scenarios the way the catalog shows them: by task kind, difficulty, then id.
pub(crate) fn sort_catalog(scenarios: &mut [LoadedScenario]) {
    scenarios.sort_by(|a, b| {
        (
            a.scenario.task.kind(),
            a.scenario.difficulty,
            &a.scenario.id,
        )
            .cmp(&(
                b.scenario.task.kind(),
                b.scenario.difficulty,
                &b.scenario.id,
            ))
    });
}

/// Reads, parses and validates a rubric file against the given field schemas (every task kind's:
/// [`crate::tasks::schemas`]).
///
/// # Errors
/// A diagnostic when the file cannot be read, otherwise as [`crate::grading::load_rubric`].
pub fn load_rubric_file(path: &Path, schemas: &[FieldSchema]) -> Result<Rubric, Vec<Diagnostic>> {
    let file = path.display().to_string();
    let source = std::fs::read_to_string(path).map_err(|e| {
        vec![
            Diagnostic::at_file(path, format!("cannot read the rubric: {e}"))
                .with_hint("check the path and that the file is UTF-8 text"),
        ]
    })?;
    crate::grading::load_rubric(&source, &file, schemas)
}
