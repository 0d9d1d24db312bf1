//! The hospice task's settings in a scenario file (`task: Hospice((...))`).

use serde::{Deserialize, Serialize};

/// Hospice settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HospiceSpec {
    /// What the learner is asked to do.
    pub instructions: String,
    /// How the hospice timeline is generated, with its deliberate defects
    /// (`crate::tasks::hospice::generate_timeline`; guide in `scenarios/README.md`).
    #[serde(default)]
    pub timeline: crate::tasks::hospice::generate_timeline::TimelineSpec,
}
