//! Arguments shared by the commands that work on one generated case (`answers`, `key show`,
//! `grade`), and loading that case with its rubric.

use crate::case::{Case, generate};
use crate::grading::Rubric;
use crate::library::ContentRoot;
use crate::scenario::LoadedScenario;

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
        let case = generate(&scenario, self.seed, self.index);
        Ok(LoadedCase { scenario, case })
    }
}

/// Finds a scenario by id or path and refuses it when it has validation errors.
///
/// # Errors
/// When the scenario is unknown, does not load or has validation errors (all listed).
pub(crate) fn load_valid_scenario(id_or_path: &str) -> anyhow::Result<LoadedScenario> {
    Ok(crate::service::library::find_valid(
        &ContentRoot::discover(),
        id_or_path,
    )?)
}

impl LoadedCase {
    /// The scenario's rubric, loaded and checked against the task kind.
    ///
    /// # Errors
    /// When the rubric is missing, invalid, or for another task kind.
    pub fn rubric(&self) -> anyhow::Result<Rubric> {
        Ok(crate::service::grading::rubric_for(
            &ContentRoot::discover(),
            &self.scenario,
        )?)
    }

    /// An answer (key or template) in the requested format.
    ///
    /// # Errors
    /// When the answer cannot be serialised.
    pub(crate) fn render_answer(
        &self,
        value: &serde_json::Value,
        format: AnswerFormat,
    ) -> anyhow::Result<String> {
        Ok(match format {
            AnswerFormat::Json => serde_json::to_string_pretty(value)?,
            AnswerFormat::Ron => self
                .case
                .answer_to_ron(value)
                .map_err(|e| anyhow::anyhow!("cannot write the answer as RON: {e}"))?,
        })
    }
}
