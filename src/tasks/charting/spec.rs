//! The charting task's settings in a scenario file (`task: Charting((...))`).

use serde::{Deserialize, Serialize};

use crate::tasks::{SpecProblem, TaskContext};

/// Charting settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChartingSpec {
    /// Document the visit, or transcribe the dictation.
    #[serde(default)]
    pub variant: ChartingVariant,
    /// What the learner is asked to do.
    pub instructions: String,
    /// The provider's decisions on the home medications and new prescriptions, stated in the
    /// material's plan; the key's reconciliation actions are derived from them (a home
    /// medication without a decision is continued).
    #[serde(default)]
    pub medication_plan: Vec<MedicationDecision>,
}

/// A provider's decision on one medication (docs/domain/charting.md §5).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MedicationDecision {
    /// The drug, as named in the scenario's medications (or a new drug).
    pub name: String,
    /// What the provider decided.
    pub action: MedicationAction,
    /// The new dose for `Change` and `New` (e.g. "10 mg").
    #[serde(default)]
    pub dose: Option<String>,
    /// The route for `New` (e.g. "PO").
    #[serde(default)]
    pub route: Option<String>,
    /// The new frequency for `Change` and `New` (e.g. "once daily").
    #[serde(default)]
    pub frequency: Option<String>,
    /// Why, as the provider states it in the plan.
    pub reason: String,
}

/// Medication-reconciliation actions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MedicationAction {
    /// Keep taking as before.
    Continue,
    /// Dose or frequency changed.
    Change,
    /// Stop taking.
    Stop,
    /// Newly prescribed.
    New,
}

impl MedicationAction {
    /// The word charted for the action.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Continue => "continue",
            Self::Change => "change",
            Self::Stop => "stop",
            Self::New => "new",
        }
    }
}

/// Charting variants.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum ChartingVariant {
    /// Chart the visit from an intake conversation.
    #[default]
    Documentation,
    /// Type the provider's dictation.
    Transcription,
}

/// A charting plan's decisions name a home medication (or are `New` with dose, route and
/// frequency); `Change` states the new dose or frequency.
pub(super) fn problems(ctx: &TaskContext<'_>, spec: &ChartingSpec) -> Vec<SpecProblem> {
    let mut out = Vec::new();
    for (i, d) in spec.medication_plan.iter().enumerate() {
        let known = ctx.patient.medications.iter().any(|m| m.name == d.name);
        let action = d.action;
        let problem = match action {
            MedicationAction::New if known => Some("a `New` drug must not be a home medication"),
            MedicationAction::New
                if d.dose.is_none() || d.route.is_none() || d.frequency.is_none() =>
            {
                Some("a `New` drug needs dose, route and frequency")
            }
            MedicationAction::New => None,
            MedicationAction::Continue | MedicationAction::Change | MedicationAction::Stop
                if !known =>
            {
                Some("names no medication of `patient.medications`")
            }
            MedicationAction::Change if d.dose.is_none() && d.frequency.is_none() => {
                Some("a `Change` needs the new dose or frequency")
            }
            MedicationAction::Continue | MedicationAction::Change | MedicationAction::Stop => None,
        };
        if let Some(message) = problem {
            out.push(SpecProblem::error(
                format!("task.medication_plan[{i}]"),
                format!("`{}` ({}): {message}", d.name, action.label()),
                "see scenarios/README.md, section Medication plan",
            ));
        }
    }
    out
}
