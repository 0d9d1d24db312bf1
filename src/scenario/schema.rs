//! The scenario file format (RON): what an instructor writes.
//!
//! Every struct denies unknown fields, so a typo fails loudly with its line and column. Enums are
//! externally tagged (RON's native form, e.g. `task: Coding((setting: Inpatient, ...))`).
//! Optional fields have documented defaults. The format is versioned by [`Scenario::version`];
//! this program reads [`SCENARIO_VERSION`].

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::patient::spec::PatientSpec;
use crate::tasks::TaskSpec;

/// The scenario format version this program reads.
pub(crate) const SCENARIO_VERSION: u32 = 1;

/// One scenario: a kind of patient and the task to do on them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Format version; must be [`SCENARIO_VERSION`].
    pub version: u32,
    /// Stable `snake_case` id, unique across the scenario library.
    pub id: String,
    /// Title shown in the catalog.
    pub title: String,
    /// One or two sentences for the catalog.
    pub summary: String,
    /// The task kind and its settings.
    pub task: TaskSpec,
    /// Competency ids this scenario exercises (`snake_case`), e.g. `vital_signs`.
    pub competencies: Vec<String>,
    /// Difficulty level.
    pub difficulty: Difficulty,
    /// Expected time to complete, minutes.
    pub estimated_minutes: u32,
    /// Code-set fiscal year the codes and keys follow (e.g. 2026 = ICD-10-CM FY2026).
    pub code_set_year: u16,
    /// Rubric file, relative to the `grading/` folder, e.g. `charting/office_visit.ron`.
    pub rubric: String,
    /// The exercise date: ages and all dates are computed from it, never from the clock.
    pub as_of: NaiveDate,
    /// How to generate the patient.
    pub patient: PatientSpec,
    /// Clinical rationale for reviewers.
    #[serde(default)]
    pub remarks: String,
    /// Citations for the clinical content (guideline sections, handbooks).
    #[serde(default)]
    pub sources: Vec<String>,
}

/// Difficulty levels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Difficulty {
    /// First exposure.
    Beginner,
    /// Needs the basics.
    Intermediate,
    /// Traps and edge cases.
    Advanced,
}

impl Difficulty {
    /// Every difficulty, easiest first.
    pub const ALL: &'static [Self] = &[Self::Beginner, Self::Intermediate, Self::Advanced];

    /// Display label.
    pub fn label(self) -> &'static str {
        match self {
            Self::Beginner => "Beginner",
            Self::Intermediate => "Intermediate",
            Self::Advanced => "Advanced",
        }
    }
}
