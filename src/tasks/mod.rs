//! The task kinds a learner works on, each behind the one [`Task`] trait.
//!
//! A kind is a folder here (`charting/`, `coding/`, `triage/`, `hospice/`, `roi/`, `claims/`,
//! `access_audit/`) with a unit type that implements [`Task`]:
//!
//! - its **spec**: the kind's settings in a scenario file (`task: Coding((...))`);
//! - its **material**: what the learner works from, generated from the patient (an intake
//!   conversation, a clinical document, arriving patients, a hospice timeline, a request for
//!   records);
//! - its **key**: derived from the patient and the material by the kind's own logic (never typed
//!   in beside it), as JSON in the submission's shape;
//! - its **submission**: the typed answer, the same whether it comes from the GUI or a file;
//! - its **field schema**: the fields key and submission share, which rubrics read;
//! - its **problems**: what scenario validation checks in its spec.
//!
//! The kinds are listed once, in the [`task_kinds!`] registry at the bottom of this file, which
//! writes the serde enums the file formats need ([`TaskSpec`], [`TaskMaterial`], [`TaskKind`])
//! and every dispatch over them, so adding a kind is its folder and one registry line, and a
//! forgotten place is a compile error. `docs/ARCHITECTURE.md` walks through adding one.
//!
//! Everything here is pure: the material is generated with a random stream derived from the
//! patient's seed, so it is deterministic like the patient.

pub mod access_audit;
pub mod charting;
pub mod claims;
pub mod coding;
pub mod hospice;
pub mod roi;
pub mod triage;

use std::path::Path;

use chrono::NaiveDate;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::diagnostic::Diagnostic;
use crate::grading::{FieldSchema, RubricKind};
use crate::patient::spec::PatientSpec;
use crate::patient::{Patient, Setting};
use crate::terminology::edits::CodingSetting;

/// The facts of a scenario (besides the kind's own spec) a task kind builds its material from.
#[derive(Debug, Clone, Copy)]
pub struct TaskContext<'a> {
    /// The scenario id (part of every derived random stream).
    pub scenario_id: &'a str,
    /// The exercise date.
    pub as_of: NaiveDate,
    /// How the patient was generated (condition templates carry coding annotations).
    pub patient: &'a PatientSpec,
}

/// One task kind: its scenario settings, material, submission, key and rubric fields.
pub trait Task {
    /// The kind's settings in a scenario file.
    type Spec;
    /// What the learner works from.
    type Material;
    /// The typed answer (answer files are read into it; unknown fields are errors).
    type Submission: Serialize + DeserializeOwned;

    /// The kind's name in the catalog.
    const LABEL: &'static str;
    /// Its folder under `scenarios/` and `grading/`.
    const FOLDER: &'static str;
    /// The rubric kinds this task's answers are graded as (their field schemas).
    const RUBRIC_KINDS: &'static [RubricKind] = &[Self::RUBRIC_KIND];
    /// The rubric kind its answers are graded as (kinds with more than one answer form override
    /// [`Task::rubric_kind`] and [`Task::material_rubric_kind`]).
    const RUBRIC_KIND: RubricKind;

    /// What the learner is asked to do.
    fn instructions(spec: &Self::Spec) -> &str;

    /// The day the patient's current encounter starts, when the task fixes it (a hospice
    /// admission starts on the day its election takes effect); `None` keeps the scenario's
    /// `days_before_as_of` draw.
    fn encounter_day(
        _ctx: &TaskContext<'_>,
        _spec: &Self::Spec,
        _patient_seed: u64,
    ) -> Option<chrono::NaiveDate> {
        None
    }

    /// Builds the material for a generated patient.
    fn material(
        ctx: &TaskContext<'_>,
        spec: &Self::Spec,
        patient: &Patient,
        patient_seed: u64,
    ) -> Self::Material;

    /// The answer key, as JSON in the submission's shape.
    fn key(patient: &Patient, material: &Self::Material) -> Value;

    /// A blank answer, as JSON (what `ehr-sim answers template` prints).
    fn blank(material: &Self::Material) -> Value;

    /// The key `answer` is graded against: [`Task::key`], except for kinds whose case runs in
    /// time and whose answer says when it was submitted (triage: what had not happened by the
    /// shift clock at submission is not in the key, so it is not graded).
    fn key_for(patient: &Patient, material: &Self::Material, _answer: &Value) -> Value {
        Self::key(patient, material)
    }

    /// The answer fields that are not graded because their event came after `answer` was
    /// submitted, as (field path prefix, why) — e.g. (`arrivals[7]`, "a8 arrives at 19:56, after
    /// you submitted at 19:15"). Empty for kinds whose case does not run in time.
    fn not_yet_happened(_material: &Self::Material, _answer: &Value) -> Vec<(String, String)> {
        Vec::new()
    }

    /// Whether a field of the schema (its canonical path) is asked for in this case: e.g.
    /// procedure codes only when the coding task includes procedures. Default: every field.
    fn asks_for(_material: &Self::Material, _path: &str) -> bool {
        true
    }

    /// The rubric kind a scenario with this spec is graded as.
    fn rubric_kind(_spec: &Self::Spec) -> RubricKind {
        Self::RUBRIC_KIND
    }

    /// The rubric kind a generated case's answers are graded as.
    fn material_rubric_kind(_material: &Self::Material) -> RubricKind {
        Self::RUBRIC_KIND
    }

    /// The field schema of one of [`Task::RUBRIC_KINDS`].
    fn schema(kind: RubricKind) -> FieldSchema;

    /// The coding setting for edits and sequencing (outpatient unless the spec says inpatient).
    fn setting(_spec: &Self::Spec) -> CodingSetting {
        CodingSetting::Outpatient
    }

    /// Problems in the spec that parsing cannot see (ranges, cross-references, the patient
    /// spec it needs), as (item path below `task`, message, hint) for scenario validation.
    fn problems(_ctx: &TaskContext<'_>, _spec: &Self::Spec) -> Vec<SpecProblem> {
        Vec::new()
    }

    /// Parses an answer file (RON, or JSON when `json`) into the typed submission, then into
    /// JSON for grading. Kinds with more than one answer form override it.
    ///
    /// # Errors
    /// A diagnostic with the file, line and column of the problem.
    fn parse_answer(
        _material: &Self::Material,
        file: &Path,
        text: &str,
        json: bool,
    ) -> Result<Value, Diagnostic> {
        parse_as::<Self::Submission>(file, text, json)
    }

    /// Writes an answer (key or template) as RON in the typed submission's shape.
    ///
    /// # Errors
    /// When the value does not have the submission's shape, or RON cannot write it.
    fn answer_to_ron(_material: &Self::Material, value: &Value) -> Result<String, String> {
        ron_of::<Self::Submission>(value)
    }
}

/// One problem a task kind finds in its scenario spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecProblem {
    /// Item path inside the scenario file, e.g. `task.shift.cases[2].esi`.
    pub item: String,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: String,
    /// The scenario works, but probably not as its author meant.
    pub warning: bool,
}

impl SpecProblem {
    /// An error: the scenario cannot be used until it is fixed.
    pub fn error(
        item: impl Into<String>,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Self {
        Self {
            item: item.into(),
            message: message.into(),
            hint: hint.into(),
            warning: false,
        }
    }

    /// A warning.
    pub fn warning(
        item: impl Into<String>,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Self {
        Self {
            warning: true,
            ..Self::error(item, message, hint)
        }
    }
}

/// The problem when the scenario's current encounter is not in the setting the task needs.
fn encounter_must_be(ctx: &TaskContext<'_>, want: Setting, why: &str) -> Option<SpecProblem> {
    let setting = ctx.patient.encounter.setting;
    (setting != want).then(|| {
        SpecProblem::error(
            "patient.encounter.setting",
            format!("setting {setting:?} does not fit the task: {why}"),
            format!("set `setting: {want:?}`"),
        )
    })
}

/// The warning for a triage shift or hospice timeline with nothing in it.
fn nothing_to_work_on() -> SpecProblem {
    SpecProblem::warning(
        "task",
        "the task has no shift cases / hospice stays: learners get nothing to work on",
        "add `shift: (…)` (triage) or `timeline: (…)` (hospice); see scenarios/README.md",
    )
}

/// Declares the task kinds: the serde enums the file formats need and every dispatch over
/// them. One line per kind: `Variant => module::Type`. The variant names are the names
/// scenario files use (`task: Coding((...))`), so they never change.
macro_rules! task_kinds {
    ($( $(#[$doc:meta])* $variant:ident => $($path:ident)::+ ),+ $(,)?) => {
        /// The task kind with its settings, as a scenario file writes it.
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        pub enum TaskSpec {
            $( $(#[$doc])* $variant(<$($path)::+ as Task>::Spec), )+
        }

        /// What the learner works from, per task kind.
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        pub enum TaskMaterial {
            $( $(#[$doc])* $variant(<$($path)::+ as Task>::Material), )+
        }

        /// The task kinds, without their settings.
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
        )]
        #[serde(rename_all = "snake_case")]
        pub enum TaskKind {
            $( $(#[$doc])* $variant, )+
        }

        impl TaskKind {
            /// Every kind, in catalog order.
            pub const ALL: &'static [TaskKind] = &[$( TaskKind::$variant ),+];

            /// Display label.
            #[must_use]
            pub fn label(self) -> &'static str {
                match self { $( Self::$variant => <$($path)::+ as Task>::LABEL, )+ }
            }

            /// The folder under `scenarios/` (and `grading/`) for this kind.
            #[must_use]
            pub fn folder(self) -> &'static str {
                match self { $( Self::$variant => <$($path)::+ as Task>::FOLDER, )+ }
            }

            /// The rubric kinds this task kind's answers are graded as (checked by a unit test;
            /// grading finds a rubric's task kind through `RubricKind`).
            #[cfg(test)]
            fn rubric_kinds(self) -> &'static [RubricKind] {
                match self { $( Self::$variant => <$($path)::+ as Task>::RUBRIC_KINDS, )+ }
            }
        }

        impl TaskSpec {
            /// The kind, without its settings.
            #[must_use]
            pub fn kind(&self) -> TaskKind {
                match self { $( Self::$variant(_) => TaskKind::$variant, )+ }
            }

            /// What the learner is asked to do.
            #[must_use]
            pub(crate) fn instructions(&self) -> &str {
                match self { $( Self::$variant(s) => <$($path)::+ as Task>::instructions(s), )+ }
            }

            /// The rubric kind a scenario's task is graded as.
            #[must_use]
            pub fn rubric_kind(&self) -> RubricKind {
                match self { $( Self::$variant(s) => <$($path)::+ as Task>::rubric_kind(s), )+ }
            }

            /// The coding setting for edits and sequencing.
            #[must_use]
            pub fn setting(&self) -> CodingSetting {
                match self { $( Self::$variant(s) => <$($path)::+ as Task>::setting(s), )+ }
            }

            /// The day the patient's current encounter starts, when the task fixes it.
            #[must_use]
            pub fn encounter_day(
                &self,
                ctx: &TaskContext<'_>,
                patient_seed: u64,
            ) -> Option<chrono::NaiveDate> {
                match self {
                    $( Self::$variant(s) =>
                        <$($path)::+ as Task>::encounter_day(ctx, s, patient_seed), )+
                }
            }

            /// Builds the task material for a generated patient.
            #[must_use]
            pub fn material(
                &self,
                ctx: &TaskContext<'_>,
                patient: &Patient,
                patient_seed: u64,
            ) -> TaskMaterial {
                match self {
                    $( Self::$variant(s) => TaskMaterial::$variant(
                        <$($path)::+ as Task>::material(ctx, s, patient, patient_seed),
                    ), )+
                }
            }

            /// Problems in the task's settings that parsing cannot see.
            #[must_use]
            pub fn problems(&self, ctx: &TaskContext<'_>) -> Vec<SpecProblem> {
                match self { $( Self::$variant(s) => <$($path)::+ as Task>::problems(ctx, s), )+ }
            }
        }

        impl TaskMaterial {
            /// The kind of task this is the material of.
            #[must_use]
            pub fn kind(&self) -> TaskKind {
                match self { $( Self::$variant(_) => TaskKind::$variant, )+ }
            }

            /// Whether a field of the schema is asked for in this case (see
            /// [`Task::asks_for`]).
            #[must_use]
            pub fn asks_for(&self, path: &str) -> bool {
                match self { $( Self::$variant(m) => <$($path)::+ as Task>::asks_for(m, path), )+ }
            }

            /// The answer key, as JSON in the submission's shape.
            #[must_use]
            pub fn key(&self, patient: &Patient) -> Value {
                match self { $( Self::$variant(m) => <$($path)::+ as Task>::key(patient, m), )+ }
            }

            /// The key an answer is graded against (see [`Task::key_for`]).
            #[must_use]
            pub fn key_for(&self, patient: &Patient, answer: &Value) -> Value {
                match self {
                    $( Self::$variant(m) => <$($path)::+ as Task>::key_for(patient, m, answer), )+
                }
            }

            /// The answer fields not graded because their event came after the submission
            /// (see [`Task::not_yet_happened`]).
            #[must_use]
            pub fn not_yet_happened(&self, answer: &Value) -> Vec<(String, String)> {
                match self {
                    $( Self::$variant(m) => <$($path)::+ as Task>::not_yet_happened(m, answer), )+
                }
            }

            /// A blank answer, as JSON.
            #[must_use]
            pub fn blank(&self) -> Value {
                match self { $( Self::$variant(m) => <$($path)::+ as Task>::blank(m), )+ }
            }

            /// The rubric kind the answers are graded as.
            #[must_use]
            pub fn rubric_kind(&self) -> RubricKind {
                match self {
                    $( Self::$variant(m) => <$($path)::+ as Task>::material_rubric_kind(m), )+
                }
            }

            /// Parses an answer file (RON or JSON, by extension; RON when unsure) into the typed
            /// submission, then into JSON for grading. Unknown fields are errors.
            ///
            /// # Errors
            /// A diagnostic with the file, line and column of the problem.
            pub(crate) fn parse_answer(&self, file: &Path, text: &str) -> Result<Value, Diagnostic> {
                let json = file.extension().is_some_and(|e| e == "json");
                match self {
                    $( Self::$variant(m) =>
                        <$($path)::+ as Task>::parse_answer(m, file, text, json), )+
                }
            }

            /// Writes an answer (key or template) as RON in the typed submission's shape, so it
            /// can be filled in and read back by [`TaskMaterial::parse_answer`].
            ///
            /// # Errors
            /// When the value does not have the submission's shape, or RON cannot write it.
            pub fn answer_to_ron(&self, value: &Value) -> Result<String, String> {
                match self {
                    $( Self::$variant(m) => <$($path)::+ as Task>::answer_to_ron(m, value), )+
                }
            }
        }

        /// The task kind whose answers a rubric kind grades, and that kind's field schema.
        #[must_use]
        pub fn schema(kind: RubricKind) -> FieldSchema {
            $(
                if <$($path)::+ as Task>::RUBRIC_KINDS.contains(&kind) {
                    return <$($path)::+ as Task>::schema(kind);
                }
            )+
            // Every rubric kind belongs to a task kind: `rubric_kinds_are_all_owned` checks it.
            FieldSchema::new(kind, &[])
        }
    };
}

task_kinds! {
    /// Chart a visit (or transcribe a dictation).
    Charting => charting::Charting,
    /// Assign diagnosis and procedure codes.
    Coding => coding::Coding,
    /// Emergency Severity Index triage.
    Triage => triage::Triage,
    /// Hospice benefit records.
    Hospice => hospice::Hospice,
    /// Release of information.
    Roi => roi::Roi,
    /// Claims: the CMS-1500 and the UB-04.
    Claims => claims::Claims,
    /// Access-audit review.
    AccessAudit => access_audit::AccessAudit,
}

/// Every rubric kind's field schema (for loading rubrics).
#[must_use]
pub fn schemas() -> Vec<FieldSchema> {
    RubricKind::ALL.iter().map(|&k| schema(k)).collect()
}

/// A rubric kind's field schema, built once per process (grading reads it for every answer).
#[must_use]
pub(crate) fn shared_schema(kind: RubricKind) -> Option<&'static FieldSchema> {
    static ALL: std::sync::OnceLock<Vec<FieldSchema>> = std::sync::OnceLock::new();
    let index = RubricKind::ALL.iter().position(|k| *k == kind)?;
    ALL.get_or_init(schemas).get(index)
}

/// The code checker grading uses: the embedded code sets.
#[must_use]
pub(crate) fn code_checker() -> coding::TerminologyChecker {
    coding::code_checker()
}

/// The longest answer file read (an answer is a few kilobytes; a transcript a few dozen).
pub const MAX_ANSWER_BYTES: usize = 1024 * 1024;
/// The longest text in one answer field.
pub const MAX_ANSWER_TEXT_CHARS: usize = 20_000;
/// The most items in one answer list (claim lines, medications, arrivals…).
pub const MAX_ANSWER_LIST_ITEMS: usize = 500;

/// Where `value` breaks the answer size limits, as (item path, what is wrong), first found.
fn oversized(value: &Value, path: &str) -> Option<(String, String)> {
    match value {
        Value::String(s) => {
            let n = s.chars().count();
            (n > MAX_ANSWER_TEXT_CHARS).then(|| {
                (
                    path.to_string(),
                    format!(
                        "{n} characters: one answer field holds at most {MAX_ANSWER_TEXT_CHARS}"
                    ),
                )
            })
        }
        Value::Array(items) => {
            if items.len() > MAX_ANSWER_LIST_ITEMS {
                return Some((
                    path.to_string(),
                    format!(
                        "{} items: one answer list holds at most {MAX_ANSWER_LIST_ITEMS}",
                        items.len()
                    ),
                ));
            }
            items
                .iter()
                .enumerate()
                .find_map(|(i, v)| oversized(v, &format!("{path}[{i}]")))
        }
        Value::Object(fields) => fields.iter().find_map(|(k, v)| {
            let inner = if path.is_empty() {
                k.clone()
            } else {
                format!("{path}.{k}")
            };
            oversized(v, &inner)
        }),
        Value::Null | Value::Bool(_) | Value::Number(_) => None,
    }
}

pub(crate) fn parse_as<T: Serialize + DeserializeOwned>(
    file: &Path,
    text: &str,
    json: bool,
) -> Result<Value, Diagnostic> {
    if text.len() > MAX_ANSWER_BYTES {
        return Err(Diagnostic::at_file(
            file,
            format!(
                "the answer file is {} bytes: an answer file is at most {MAX_ANSWER_BYTES}",
                text.len()
            ),
        )
        .with_hint("start from `ehr-sim answers template SCENARIO --seed N`"));
    }
    let text = crate::ron_input::without_bom(text);
    let typed: T = if json {
        serde_json::from_str(text).map_err(|e| {
            Diagnostic::at_position(file, e.line(), e.column(), e.to_string())
                .with_hint("start from `ehr-sim answers template SCENARIO --seed N --format json`")
        })?
    } else {
        crate::ron_input::ron_options()
            .from_str(text)
            .map_err(|e| {
                crate::ron_input::ron_diagnostic(file, &e).with_hint(
                    "start from `ehr-sim answers template SCENARIO --seed N`, which prints every field",
                )
            })?
    };
    let value = to_value(&typed);
    match oversized(&value, "") {
        Some((item, why)) => Err(Diagnostic::at_item(file, &item, why)
            .with_hint("shorten it: answers are graded on what a chart or claim holds")),
        None => Ok(value),
    }
}

fn ron_of<T: Serialize + DeserializeOwned>(value: &Value) -> Result<String, String> {
    let typed: T = serde_json::from_value(value.clone()).map_err(|e| e.to_string())?;
    ron_pretty(&typed)
}

/// A typed answer as the RON the learner edits (no struct names, implicit `Some`).
pub(crate) fn ron_pretty<T: Serialize>(typed: &T) -> Result<String, String> {
    let config = ron::ser::PrettyConfig::default()
        .struct_names(false)
        .extensions(ron::extensions::Extensions::IMPLICIT_SOME);
    ron::ser::to_string_pretty(typed, config).map_err(|e| e.to_string())
}

/// Serialises a key or submission; our types always serialise (no maps with non-string keys).
pub fn to_value<T: Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rubric_kinds_are_all_owned() {
        for &rubric in RubricKind::ALL {
            let owners = TaskKind::ALL
                .iter()
                .filter(|k| k.rubric_kinds().contains(&rubric))
                .count();
            assert_eq!(owners, 1, "{rubric:?} must belong to exactly one task kind");
            assert_eq!(schema(rubric).task_kind, rubric);
        }
    }
}
