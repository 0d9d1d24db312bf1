//! Grading a generated case: the scenario's rubric, loaded and checked against the task kind,
//! and the grade of an answer with the embedded code sets and the task's coding setting.

use std::borrow::Cow;
use std::path::Path;

use serde_json::Value;

use crate::case::Case;
use crate::grading::path::within;
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
/// embedded code sets and the scenario's coding setting. To grade many answers to one case,
/// [`PreparedGrader`] gives the same reports without re-deriving the key and the rubric's
/// fingerprint each time.
#[must_use]
pub fn grade_answer(
    rubric: &Rubric,
    loaded: &LoadedScenario,
    case: &Case,
    answer: &Value,
) -> GradeReport {
    let mut report =
        grade_on_what_happened(rubric, loaded, case, answer, || Cow::Owned(case.key()));
    report.rubric_sha256 = rubric.fingerprint();
    report
}

/// The grading of one case, prepared once for many answers: what [`grade_answer`] derives on
/// every call (the answer key, the rubric's fingerprint) is derived here at most once, so
/// [`PreparedGrader::grade`] returns exactly `grade_answer`'s report for the same answer.
#[derive(Debug)]
pub struct PreparedGrader<'a> {
    rubric: &'a Rubric,
    loaded: &'a LoadedScenario,
    case: &'a Case,
    key: std::cell::OnceCell<Value>,
    fingerprint: String,
}

impl<'a> PreparedGrader<'a> {
    /// Prepares the grading of answers to `case` against `rubric`.
    #[must_use]
    pub fn new(rubric: &'a Rubric, loaded: &'a LoadedScenario, case: &'a Case) -> Self {
        Self {
            rubric,
            loaded,
            case,
            key: std::cell::OnceCell::new(),
            fingerprint: rubric.fingerprint(),
        }
    }

    /// The report of `answer`: [`grade_answer`]'s, byte for byte.
    #[must_use]
    pub fn grade(&self, answer: &Value) -> GradeReport {
        let key = || Cow::Borrowed(self.key.get_or_init(|| self.case.key()));
        let mut report = grade_on_what_happened(self.rubric, self.loaded, self.case, answer, key);
        report.rubric_sha256.clone_from(&self.fingerprint);
        report
    }
}

/// [`grade_answer`] without the rubric's fingerprint: the grade of what had happened when the
/// answer was submitted (`key` gives the case's whole key).
fn grade_on_what_happened<'k>(
    rubric: &Rubric,
    loaded: &LoadedScenario,
    case: &Case,
    answer: &Value,
    key: impl FnOnce() -> Cow<'k, Value>,
) -> GradeReport {
    let later = case.not_yet_happened(answer);
    if later.is_empty() {
        return grade_against(rubric, loaded, &key(), answer);
    }
    // What had not happened when the answer was submitted is left out of the grade entirely
    // (criteria that need no key value included), then listed as "after you submitted".
    // The reason a criterion reading `fields` is left out: every field it reads lies within
    // something that had not happened.
    let why = |fields: &[String]| -> Option<String> {
        let reasons: Option<Vec<&str>> = fields
            .iter()
            .map(|f| {
                later
                    .iter()
                    .find(|(prefix, _)| within(f, prefix))
                    .map(|(_, why)| why.as_str())
            })
            .collect();
        reasons.and_then(|r| r.first().map(|w| (*w).to_string()))
    };
    let mut trimmed = rubric.clone();
    trimmed.criteria.retain(|c| why(&c.reads).is_none());
    trimmed
        .critical
        .retain(|g| why(&g.reads.iter().cloned().collect::<Vec<_>>()).is_none());
    let mut report = grade_against(&trimmed, loaded, &case.key_for(answer), answer);
    let mut graded = std::mem::take(&mut report.criteria).into_iter();
    for c in &rubric.criteria {
        match why(&c.reads) {
            Some(reason) => report.criteria.push(not_yet(c, &reason)),
            None => report.criteria.extend(graded.next()),
        }
    }
    report.criteria.extend(graded);
    report
}

/// The report line of a criterion left out because its event came after the submission.
fn not_yet(c: &crate::grading::Criterion, reason: &str) -> crate::grading::CriterionResult {
    crate::grading::CriterionResult {
        id: c.id.clone(),
        points: 0.0,
        max: 0.0,
        outcome: crate::grading::Outcome::NotApplicable,
        feedback: format!("After you submitted: {reason}. Not graded."),
        rule: c.rule.clone(),
        expected: Value::Null,
        given: Value::Null,
        title: c.title.clone(),
        section: c.section.clone(),
        source: c.source.clone(),
        details: vec![format!("after you submitted: {reason}")],
        fields: c.reads.clone(),
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
    let schema = tasks::shared_schema(rubric.task_kind).map_or_else(
        || Cow::Owned(tasks::schema(rubric.task_kind)),
        Cow::Borrowed,
    );
    let ctx = GradeContext {
        checker: Some(&checker),
        setting: loaded.scenario.task.setting(),
        schema: Some(&*schema),
    };
    grade(rubric, key, answer, &ctx)
}
