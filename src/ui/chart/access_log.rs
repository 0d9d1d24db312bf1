//! The access log of an access-audit case: the log table in the centre of the chart, where the
//! learner flags events and classifies them; the flags are the answer's `flags` list.
//!
//! The table's own state (sort, filters, view, selection, its cached rows) is kept in egui's
//! memory under the case's id, as a widget's scroll position is: it is how the learner looks at
//! the log, not part of the answer. The answer's flags are read each frame (a handful of
//! entries) and written back with one command when the learner changes them.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};

use egui::Ui;
use serde_json::{Value, json};

use crate::tasks::TaskMaterial;
use crate::ui::app::Command;
use crate::ui::task::audit_log_table::AuditLogTable;
use crate::ui::workspace::Workspace;

/// The table and the flags it last showed (so flags changed elsewhere — a draft restored, a
/// case reopened — make it recompute its rows).
#[derive(Debug, Default)]
struct TableState {
    table: AuditLogTable,
    shown: Flags,
}

type Flags = BTreeMap<String, BTreeSet<String>>;

/// The answer's `flags` list as event id → rule ids (entries without an event are skipped).
pub(crate) fn flags_of(answer: &Value) -> Flags {
    let mut flags = Flags::new();
    for f in answer["flags"].as_array().into_iter().flatten() {
        let Some(event) = f["event"].as_str().filter(|e| !e.trim().is_empty()) else {
            continue;
        };
        let rules = f["rules"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(str::to_string);
        flags.entry(event.to_string()).or_default().extend(rules);
    }
    flags
}

/// The `flags` list for the answer, in event-id order.
pub(crate) fn flags_value(flags: &Flags) -> Value {
    Value::Array(
        flags
            .iter()
            .map(|(event, rules)| json!({ "event": event, "rules": rules }))
            .collect(),
    )
}

/// Draws the log table of an access-audit case (nothing for other kinds). After submission the
/// flags are shown but cannot be changed.
pub(super) fn access_log_ui(ui: &mut Ui, w: &Workspace, out: &mut Vec<Command>) {
    let TaskMaterial::AccessAudit(m) = &w.case.task else {
        return;
    };
    let id = egui::Id::unique(("access_log", &w.case.scenario_id, w.case.seed));
    let state: Arc<Mutex<TableState>> = ui.data_mut(|d| {
        d.get_temp_mut_or_default::<Arc<Mutex<TableState>>>(id)
            .clone()
    });
    let Ok(mut state) = state.lock() else {
        ui.label("The access log could not be shown: reopen the case.");
        return;
    };
    let mut flags = flags_of(&w.answer);
    if flags != state.shown {
        state.table.invalidate();
    }
    let changed = state.table.show(ui, &m.log, &mut flags);
    if changed && w.review.is_none() {
        out.push(Command::SetRow {
            path: "flags".to_string(),
            value: flags_value(&flags),
        });
    }
    if w.review.is_some() {
        // Read-only: the next frame shows the submitted flags again.
        state.table.invalidate();
    } else {
        state.shown = flags;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_read_and_write_back_in_event_order() {
        let answer = json!({"flags": [
            {"event": "E2", "rules": ["time.outside_shift"]},
            {"event": "E1", "rules": ["relation.coworker", "access.no_relationship"]},
            {"event": "", "rules": ["x"]},
            {"event": null, "rules": []}
        ]});
        let flags = flags_of(&answer);
        assert_eq!(flags.len(), 2);
        assert_eq!(
            flags_value(&flags),
            json!([
                {"event": "E1", "rules": ["access.no_relationship", "relation.coworker"]},
                {"event": "E2", "rules": ["time.outside_shift"]}
            ])
        );
        assert!(flags_of(&json!({})).is_empty());
    }
}
