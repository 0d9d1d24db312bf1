//! The charting task's settings in a scenario file (`task: Charting((...))`).

use serde::{Deserialize, Serialize};

use super::screening::ScreeningSpec;
use crate::patient::spec::{AgeSpec, Weighted};
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
    /// Standardized screenings administered at the visit (PHQ-9, GAD-7, C-SSRS); the
    /// documentation variant only.
    #[serde(default)]
    pub screening: Option<ScreeningSpec>,
    /// Chart the child's growth percentiles (and, under 24 months, the head circumference);
    /// the documentation variant, patients under 20 years.
    #[serde(default)]
    pub growth_chart: bool,
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
    if let Some(s) = &spec.screening {
        screening_problems(ctx, spec.variant, s, &mut out);
    }
    if spec.growth_chart {
        let oldest_years = match ctx.patient.age {
            AgeSpec::Years(lo, hi) => lo.max(hi),
            AgeSpec::Months(lo, hi) => lo.max(hi) / 12,
            AgeSpec::Days(lo, hi) => lo.max(hi) / 365,
        };
        let problem = if spec.variant == ChartingVariant::Transcription {
            Some("growth percentiles are charted in the Documentation variant only")
        } else if oldest_years >= 20 {
            Some("the growth references end at 20 years: keep `patient.age` under 20")
        } else {
            None
        };
        if let Some(message) = problem {
            out.push(SpecProblem::error(
                "task.growth_chart",
                message,
                "see scenarios/README.md, section Growth percentiles",
            ));
        }
    }
    out
}

/// A screening is for the documentation variant, for patients 12 and older, with at least one
/// positive weight per instrument; a PHQ-9 whose item 9 can be positive needs the C-SSRS
/// (a positive item 9 requires a suicide-risk assessment, docs/domain/charting.md §9.1).
fn screening_problems(
    ctx: &TaskContext<'_>,
    variant: ChartingVariant,
    s: &ScreeningSpec,
    out: &mut Vec<SpecProblem>,
) {
    let hint = "see scenarios/README.md, section Screening instruments";
    let mut err = |field: &str, message: &str| {
        out.push(SpecProblem::error(
            format!("task.screening{field}"),
            message.to_string(),
            hint,
        ));
    };
    if variant == ChartingVariant::Transcription {
        err(
            "",
            "screenings are charted in the Documentation variant only",
        );
    }
    let youngest = match ctx.patient.age {
        AgeSpec::Years(lo, hi) => lo.min(hi),
        AgeSpec::Months(..) | AgeSpec::Days(..) => 0,
    };
    if youngest < 12 {
        err(
            "",
            "PHQ-9, GAD-7 and the C-SSRS screener are self-report instruments for patients 12 and older",
        );
    }
    fn weighted<T>(w: &[Weighted<T>]) -> bool {
        w.iter().any(|c| c.weight > 0.0) && w.iter().all(|c| c.weight >= 0.0)
    }
    if let Some(p) = &s.phq9 {
        if !weighted(&p.severity) {
            err(
                ".phq9.severity",
                "needs at least one band with a positive weight",
            );
        }
        if !(0.0..=1.0).contains(&p.item9_positive) {
            err(".phq9.item9_positive", "a probability between 0 and 1");
        }
        if p.item9_positive > 0.0 && s.cssrs.is_none() {
            err(
                ".phq9.item9_positive",
                "a positive item 9 requires a suicide-risk assessment: add `cssrs`",
            );
        }
    }
    if s.gad7.as_ref().is_some_and(|g| !weighted(&g.severity)) {
        err(
            ".gad7.severity",
            "needs at least one band with a positive weight",
        );
    }
    if s.cssrs.as_ref().is_some_and(|c| !weighted(&c.risk)) {
        err(
            ".cssrs.risk",
            "needs at least one level with a positive weight",
        );
    }
    if s.phq9.is_none() && s.gad7.is_none() && s.cssrs.is_none() {
        err("", "names no instrument: add `phq9`, `gad7` or `cssrs`");
    }
}
