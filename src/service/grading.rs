//! Grading a generated case: the scenario's rubric, loaded and checked against the task kind,
//! and the grade of an answer with the embedded code sets and the task's coding setting.

use std::path::Path;

use serde_json::Value;

use crate::case::Case;
use crate::grading::{GradeContext, GradeReport, Rubric, grade};
use crate::library::ContentRoot;
use crate::library::load_rubric_file;
use crate::scenario::LoadedScenario;
use crate::tasks;

/// Why a scenario's rubric cannot grade it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RubricError {
    /// The rubric file is missing or has problems (each listed).
    #[error(
        "the rubric does not load:\n{}",
        .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n")
    )]
    DoesNotLoad(Vec<crate::diagnostic::Diagnostic>),
    /// The rubric is written for another task kind.
    #[error("{file} is a {found:?} rubric, but scenario `{scenario}` is a {want:?} task")]
    WrongKind {
        /// The rubric file.
        file: String,
        /// Its kind.
        found: crate::grading::RubricKind,
        /// The scenario.
        scenario: String,
        /// The kind the scenario needs.
        want: crate::grading::RubricKind,
    },
}

/// Loads a rubric file against every task kind's field schema.
///
/// # Errors
/// The rubric's diagnostics, as text.
fn load_rubric(path: &Path) -> Result<Rubric, RubricError> {
    load_rubric_file(path, &tasks::schemas()).map_err(RubricError::DoesNotLoad)
}

/// The rubric of a loaded scenario (under the content root's `grading/`), checked to grade the
/// scenario's task kind.
///
/// # Errors
/// [`RubricError`] when it does not load or is for another task kind.
pub(crate) fn rubric_for(
    root: &ContentRoot,
    loaded: &LoadedScenario,
) -> Result<Rubric, RubricError> {
    let path = root.grading_dir().join(&loaded.scenario.rubric);
    let rubric = load_rubric(&path)?;
    let want = loaded.scenario.task.rubric_kind();
    if rubric.task_kind == want {
        Ok(rubric)
    } else {
        Err(RubricError::WrongKind {
            file: path.display().to_string(),
            found: rubric.task_kind,
            scenario: loaded.scenario.id.clone(),
            want,
        })
    }
}

/// Grades `answer` (JSON in the submission's shape) for `case` against `rubric`, with the
/// embedded code sets and the scenario's coding setting.
#[must_use]
pub fn grade_answer(
    rubric: &Rubric,
    loaded: &LoadedScenario,
    case: &Case,
    answer: &Value,
) -> GradeReport {
    let mut report = grade_against(rubric, loaded, &case.key_for(answer), answer);
    mark_not_yet_happened(&mut report, &case.not_yet_happened(answer));
    report
}

/// Says on each criterion left out because its event came after the submission why it is not
/// graded ("After you submitted: …"), instead of the bare "not applicable".
fn mark_not_yet_happened(report: &mut GradeReport, later: &[(String, String)]) {
    if later.is_empty() {
        return;
    }
    for c in &mut report.criteria {
        if c.outcome != crate::grading::Outcome::NotApplicable || c.fields.is_empty() {
            continue;
        }
        let whys: Vec<&str> = c
            .fields
            .iter()
            .filter_map(|f| {
                later
                    .iter()
                    .find(|(prefix, _)| {
                        f == prefix
                            || f.strip_prefix(prefix.as_str())
                                .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
                    })
                    .map(|(_, why)| why.as_str())
            })
            .collect();
        if whys.len() == c.fields.len()
            && let Some(first) = whys.first()
        {
            c.feedback = format!("After you submitted: {first}. Not graded.");
            c.details = vec![format!("after you submitted: {first}")];
        }
    }
}

/// Grades `answer` against a given `key` (a dry run of a rubric on the key itself, or on an
/// edited answer), with the embedded code sets and the scenario's coding setting.
#[must_use]
pub(crate) fn grade_against(
    rubric: &Rubric,
    loaded: &LoadedScenario,
    key: &Value,
    answer: &Value,
) -> GradeReport {
    let checker = tasks::code_checker();
    let ctx = GradeContext {
        checker: Some(&checker),
        setting: loaded.scenario.task.setting(),
    };
    grade(rubric, key, answer, &ctx)
}
