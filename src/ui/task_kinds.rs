//! The desktop app's side of the task-kind registry: how each kind's case opens (which chart
//! section first, the triage board, the material shown above the form).
//!
//! Every function matches the kinds exhaustively, without a wildcard arm, so a new kind in
//! [`crate::tasks`] is a compile error here until its screens are decided.

use super::chart::Section;
use crate::tasks::TaskMaterial;

/// The chart section a case opens on: coders work from the documents, hospice reviewers from
/// the timeline, others start on the summary.
#[must_use]
pub(crate) fn first_section(task: &TaskMaterial) -> Section {
    match task {
        TaskMaterial::Coding(_) => Section::Notes,
        TaskMaterial::Hospice(_) => Section::Timeline,
        TaskMaterial::Charting(_) | TaskMaterial::Triage(_) => Section::Summary,
    }
}

/// Whether the case is worked on the triage board instead of the chart.
#[must_use]
pub(crate) fn uses_board(task: &TaskMaterial) -> bool {
    match task {
        TaskMaterial::Triage(_) => true,
        TaskMaterial::Charting(_) | TaskMaterial::Coding(_) | TaskMaterial::Hospice(_) => false,
    }
}

/// Whether the chart offers the hospice timeline section.
#[must_use]
pub(crate) fn has_timeline(task: &TaskMaterial) -> bool {
    match task {
        TaskMaterial::Hospice(_) => true,
        TaskMaterial::Charting(_) | TaskMaterial::Coding(_) | TaskMaterial::Triage(_) => false,
    }
}

/// What the learner works from, shown above the form: (title, text, open at first). Coders read
/// the documents under Notes and triage nurses the board, so they get none.
#[must_use]
pub(crate) fn material_panel(task: &TaskMaterial) -> Option<(String, String, bool)> {
    match task {
        // Collapsed by default so the form starts in view; the same text is under Notes.
        TaskMaterial::Charting(m) => Some((m.source_kind.clone(), m.source.clone(), false)),
        TaskMaterial::Hospice(m) => Some(("Hospice record".to_string(), m.printout(), true)),
        TaskMaterial::Coding(_) | TaskMaterial::Triage(_) => None,
    }
}

/// Whether a field of the schema is asked for in this case: procedure codes only when the
/// coding task includes procedures; growth percentiles only on a growth-chart visit (head
/// circumference and weight-for-length under 24 months, when the head is measured; BMI-for-age
/// from 2 years); each screening instrument only when the visit uses it.
#[must_use]
pub(crate) fn field_applies(task: &TaskMaterial, path: &str) -> bool {
    match task {
        // The claim as a whole (its DRG) and its POA lines are drawn with the diagnosis lines.
        TaskMaterial::Coding(m) => {
            (m.procedures || !path.starts_with("codes.procedures"))
                && path != "codes"
                && !path.starts_with("codes.poa")
        }
        TaskMaterial::Charting(m) => {
            let infant = m.head_circumference_cm.is_some();
            let screening = m.screening.as_ref();
            match path {
                "vitals.head_circumference" => infant,
                "growth.head_circumference_for_age" | "growth.weight_for_length" => {
                    m.growth_chart && infant
                }
                "growth.bmi_for_age" => m.growth_chart && !infant,
                p if p.starts_with("growth.") => m.growth_chart,
                p if p.starts_with("screening.phq9") => screening.is_some_and(|s| s.phq9.is_some()),
                p if p.starts_with("screening.gad7") => screening.is_some_and(|s| s.gad7.is_some()),
                p if p.starts_with("screening.cssrs") => {
                    screening.is_some_and(|s| s.cssrs.is_some())
                }
                _ => true,
            }
        }
        TaskMaterial::Triage(_) | TaskMaterial::Hospice(_) => true,
    }
}
