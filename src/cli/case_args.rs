//! Arguments shared by the commands that work on one generated case (`answers`, `key show`,
//! `grade`), and loading that case with its rubric.

use std::path::PathBuf;

use crate::generate::{Case, generate};
use crate::grading::{Rubric, load_rubric_file};
use crate::library::ContentRoot;
use crate::scenario::{LoadedScenario, validate};
use crate::tasks;

/// Which case: a scenario and a seed.
#[derive(Debug, Clone, clap::Args)]
pub struct CaseArgs {
    /// Scenario id or path to a scenario file.
    pub scenario: String,
    /// Scenario seed.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Patient index under the seed.
    #[arg(long, default_value_t = 0)]
    pub index: u32,
}

/// Answer-file formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum AnswerFormat {
    /// RON (the default; what instructors write).
    Ron,
    /// JSON.
    Json,
}

/// A case ready to be worked on.
#[derive(Debug)]
pub struct LoadedCase {
    /// The scenario.
    pub scenario: LoadedScenario,
    /// The generated case.
    pub case: Case,
}

impl CaseArgs {
    /// Finds, validates and generates the case.
    ///
    /// # Errors
    /// When the scenario is unknown, does not load or has validation errors.
    pub fn load(&self) -> anyhow::Result<LoadedCase> {
        let scenario = load_valid_scenario(&self.scenario)?;
        let case = generate(&scenario.scenario, self.seed, self.index);
        Ok(LoadedCase { scenario, case })
    }
}

/// Finds a scenario by id or path and refuses it when it has validation errors.
///
/// # Errors
/// When the scenario is unknown, does not load or has validation errors (all listed).
pub fn load_valid_scenario(id_or_path: &str) -> anyhow::Result<LoadedScenario> {
    let scenario = ContentRoot::discover()
        .find(id_or_path)
        .map_err(|d| anyhow::anyhow!("{d}"))?;
    let errors: Vec<String> = validate::validate(&scenario, None)
        .into_iter()
        .filter(|d| d.is_error())
        .map(|d| d.to_string())
        .collect();
    if !errors.is_empty() {
        anyhow::bail!(
            "the scenario has {} problems; fix them first:\n{}",
            errors.len(),
            errors.join("\n")
        );
    }
    Ok(scenario)
}

impl LoadedCase {
    /// The scenario's rubric, loaded and checked against the task kind.
    ///
    /// # Errors
    /// When the rubric is missing, invalid, or for another task kind.
    pub fn rubric(&self) -> anyhow::Result<Rubric> {
        let root = ContentRoot::discover();
        let path: PathBuf = root.grading_dir().join(&self.scenario.scenario.rubric);
        let rubric = load_rubric_file(&path, &tasks::schemas()).map_err(|diagnostics| {
            let text: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
            anyhow::anyhow!("the rubric does not load:\n{}", text.join("\n"))
        })?;
        let want = tasks::rubric_kind(&self.scenario.scenario.task);
        if rubric.task_kind != want {
            anyhow::bail!(
                "{} is a {:?} rubric, but scenario `{}` is a {:?} task",
                path.display(),
                rubric.task_kind,
                self.scenario.scenario.id,
                want
            );
        }
        Ok(rubric)
    }

    /// An answer (key or template) in the requested format.
    ///
    /// # Errors
    /// When the answer cannot be serialised.
    pub fn render_answer(
        &self,
        value: &serde_json::Value,
        format: AnswerFormat,
    ) -> anyhow::Result<String> {
        Ok(match format {
            AnswerFormat::Json => serde_json::to_string_pretty(value)?,
            AnswerFormat::Ron => tasks::answer_to_ron(&self.case, value)
                .map_err(|e| anyhow::anyhow!("cannot write the answer as RON: {e}"))?,
        })
    }
}
