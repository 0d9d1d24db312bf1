//! The triage task's settings in a scenario file (`task: Triage((...))`).

use serde::{Deserialize, Serialize};

/// Triage settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TriageSpec {
    /// What the learner is asked to do.
    pub instructions: String,
    /// The simulated shift: arrival pattern, case mix and the cases' ESI facts
    /// (`crate::tasks::triage::shift`; guide in `scenarios/README.md`).
    #[serde(default)]
    pub shift: crate::tasks::triage::shift::ShiftSpec,
}
