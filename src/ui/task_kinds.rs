//! The desktop app's side of the task-kind registry: how each kind's case opens (which chart
//! section first, the triage board, the material shown above the form).
//!
//! Every function matches the kinds exhaustively, without a wildcard arm, so a new kind in
//! [`crate::tasks`] is a compile error here until its screens are decided.

use super::chart::Section;
use crate::tasks::TaskMaterial;

/// The chart section a case opens on: coders work from the documents, hospice reviewers from
/// the timeline, privacy reviewers from the access log, others (records clerks included) start
/// on the summary.
#[must_use]
pub(crate) fn first_section(task: &TaskMaterial) -> Section {
    match task {
        TaskMaterial::Coding(_) => Section::Notes,
        TaskMaterial::Hospice(_) => Section::Timeline,
        TaskMaterial::AccessAudit(_) => Section::AccessLog,
        TaskMaterial::Charting(_)
        | TaskMaterial::Triage(_)
        | TaskMaterial::Roi(_)
        | TaskMaterial::Claims(_) => Section::Summary,
    }
}

/// Whether the case is worked on the triage board instead of the chart.
#[must_use]
pub(crate) fn uses_board(task: &TaskMaterial) -> bool {
    match task {
        TaskMaterial::Triage(_) => true,
        TaskMaterial::Charting(_)
        | TaskMaterial::Coding(_)
        | TaskMaterial::Hospice(_)
        | TaskMaterial::Roi(_)
        | TaskMaterial::Claims(_)
        | TaskMaterial::AccessAudit(_) => false,
    }
}

/// Whether the chart offers the hospice timeline section.
#[must_use]
pub(crate) fn has_timeline(task: &TaskMaterial) -> bool {
    match task {
        TaskMaterial::Hospice(_) => true,
        TaskMaterial::Charting(_)
        | TaskMaterial::Coding(_)
        | TaskMaterial::Triage(_)
        | TaskMaterial::Roi(_)
        | TaskMaterial::Claims(_)
        | TaskMaterial::AccessAudit(_) => false,
    }
}

/// Whether the chart offers the access-log section (its table is where events are flagged).
#[must_use]
pub(crate) fn has_access_log(task: &TaskMaterial) -> bool {
    match task {
        TaskMaterial::AccessAudit(_) => true,
        TaskMaterial::Charting(_)
        | TaskMaterial::Coding(_)
        | TaskMaterial::Triage(_)
        | TaskMaterial::Hospice(_)
        | TaskMaterial::Roi(_)
        | TaskMaterial::Claims(_) => false,
    }
}

/// What the learner works from, shown above the form.
pub(crate) struct MaterialPanel {
    /// The panel's heading.
    pub(crate) title: String,
    /// The text.
    pub(crate) text: String,
    /// Open at first.
    pub(crate) open: bool,
    /// A printout whose lines line up in columns (a record, a form): shown in a fixed-width
    /// font. Prose (a conversation, a dictation) is not.
    pub(crate) printout: bool,
}

/// What the learner works from, shown above the form. Coders read the documents under Notes and
/// triage nurses the board, so they get none.
#[must_use]
pub(crate) fn material_panel(task: &TaskMaterial) -> Option<MaterialPanel> {
    let panel = |title: &str, text: String, open: bool, printout: bool| MaterialPanel {
        title: title.to_string(),
        text,
        open,
        printout,
    };
    match task {
        // Collapsed by default so the form starts in view; the same text is under Notes.
        TaskMaterial::Charting(m) => Some(panel(&m.source_kind, m.source.clone(), false, false)),
        TaskMaterial::Hospice(m) => Some(panel("Hospice record", m.printout(), true, true)),
        // The request and its forms are what the clerk works from: open at first.
        TaskMaterial::Roi(m) => Some(panel(
            "Release-of-information request",
            m.printout(),
            true,
            true,
        )),
        // The face sheet, encounter summary, coded abstract and charges: the biller's source.
        TaskMaterial::Claims(m) => Some(panel("Billing printout", m.printout(), true, true)),
        // The summary: period, staff, patients and policy (the log itself is the table under
        // Access log, where events are flagged).
        TaskMaterial::AccessAudit(m) => Some(panel(
            "About this log (flag events in the Access log)",
            m.printout(),
            true,
            true,
        )),
        TaskMaterial::Coding(_) | TaskMaterial::Triage(_) => None,
    }
}

/// Whether the form draws a field of the schema on its own: a field this case asks for
/// ([`TaskMaterial::asks_for`]), except the coding claim as a whole (its DRG) and its POA
/// lines, which are drawn with the diagnosis lines, and an access review's flags, which are
/// set in the access-log table.
#[must_use]
pub(crate) fn field_applies(task: &TaskMaterial, path: &str) -> bool {
    task.asks_for(path)
        && !(matches!(task, TaskMaterial::Coding(_))
            && (path == "codes" || path.starts_with("codes.poa")))
        && !(matches!(task, TaskMaterial::AccessAudit(_)) && path.starts_with("flags"))
}
