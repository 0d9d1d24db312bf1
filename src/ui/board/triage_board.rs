//! The triage board's state — the shift's simulated clock, its speed and the selected card —
//! and the [`BoardCommand`]s that change it and the learner's answer.
//!
//! Invariants: the clock never goes back and never starts before the first arrival; it moves
//! only when a [`BoardCommand::Tick`] carrying elapsed real time is applied (nothing reads the
//! wall clock), scaled by the speed; in assessment mode the speed is fixed at
//! [`ASSESSMENT_SPEED`] and neither pause, speed changes nor jumps are applied. A level can be
//! given only to a patient who has arrived; a re-triage level only after the change happened,
//! to a patient already given a first level. The first level given appends the id to
//! `triage_order` and to the end of `queue`, never sorting either (the learner's order is
//! graded).

use chrono::{NaiveDateTime, TimeDelta};
use serde_json::{Value, json};

use crate::store::Mode;
use crate::tasks::TaskMaterial;
use crate::tasks::triage::shift::ShiftArrival;
use crate::tasks::triage::task::TriageMaterial;
use crate::ui::task::answer;
use crate::ui::workspace::Workspace;

/// How fast the simulated clock runs against real time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Speed {
    /// Stopped (practice only).
    Paused,
    /// Real time.
    X1,
    /// Five simulated seconds per real second.
    X5,
    /// Twenty simulated seconds per real second.
    X20,
}

impl Speed {
    /// Every speed, slowest first.
    pub const ALL: [Speed; 4] = [Speed::Paused, Speed::X1, Speed::X5, Speed::X20];

    /// Simulated seconds per real second.
    #[must_use]
    pub(crate) fn factor(self) -> i64 {
        match self {
            Speed::Paused => 0,
            Speed::X1 => 1,
            Speed::X5 => 5,
            Speed::X20 => 20,
        }
    }

    /// The button's label (also its accessible name).
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Speed::Paused => "Pause",
            Speed::X1 => "Speed 1×",
            Speed::X5 => "Speed 5×",
            Speed::X20 => "Speed 20×",
        }
    }
}

/// The fixed clock speed of an assessment (a shift of about an hour runs in about 12 minutes).
pub const ASSESSMENT_SPEED: Speed = Speed::X5;

/// The longest real time one tick may carry: a window that was not drawn for a while (asleep,
/// hidden) does not make the clock leap.
const MAX_TICK_MS: u64 = 1_000;

/// The triage board's state for an open triage case.
#[derive(Debug, Clone, PartialEq)]
pub struct TriageBoard {
    /// The simulated time now.
    pub clock: NaiveDateTime,
    /// How fast the clock runs.
    pub speed: Speed,
    /// Assessment: the speed is fixed and the clock cannot be paused or jumped.
    pub locked: bool,
    /// The card the learner last acted on (highlighted).
    pub selected: Option<String>,
    /// The selected card is to be scrolled into view on the next frame.
    pub scroll_pending: bool,
    /// Submit was pressed before the shift's last event: the learner is asked to confirm.
    pub confirming_submit: bool,
}

/// Something the learner (or the shell's frame timer) does on the board.
#[derive(Debug, Clone, PartialEq)]
pub enum BoardCommand {
    /// Real time passed (the frame's duration); the clock moves by it times the speed.
    Tick {
        /// Real milliseconds since the last frame (capped at [`MAX_TICK_MS`]).
        real_elapsed_ms: u64,
    },
    /// Change the speed (practice only).
    SetSpeed(Speed),
    /// Move the clock to the next arrival or return to the desk (practice only).
    JumpToNextEvent,
    /// Highlight a card and scroll it into view.
    Select(String),
    /// The selected card was scrolled into view.
    Scrolled,
    /// Document a patient (their vital signs and note in the task pane), without scrolling.
    Document(String),
    /// Give an arrival its ESI level at first triage.
    SetLevel {
        /// Arrival id (`a3`).
        id: String,
        /// 1–5.
        level: u8,
    },
    /// Give an arrival its level after its change (re-triage).
    SetRetriageLevel {
        /// Arrival id.
        id: String,
        /// 1–5.
        level: u8,
    },
    /// Move a queued patient one place up or down.
    MoveQueue {
        /// Position in the queue.
        index: usize,
        /// Up (towards the front) or down.
        up: bool,
    },
    /// Close the "submit before the shift ends?" question and keep working.
    CancelSubmit,
    /// Move a queued patient from one place to another (drag and drop).
    MoveQueueTo {
        /// Position it is taken from.
        from: usize,
        /// Position it is put at.
        to: usize,
    },
}

impl TriageBoard {
    /// The board for a case: `None` unless it is a triage case. The clock starts at the first
    /// arrival, at 1× in practice and at [`ASSESSMENT_SPEED`] in an assessment.
    #[must_use]
    pub(crate) fn for_case(task: &TaskMaterial, mode: Mode) -> Option<Self> {
        let TaskMaterial::Triage(m) = task else {
            return None;
        };
        let locked = mode == Mode::Assessment;
        Some(Self {
            clock: shift_start(m),
            speed: if locked { ASSESSMENT_SPEED } else { Speed::X1 },
            locked,
            selected: None,
            scroll_pending: false,
            confirming_submit: false,
        })
    }

    /// After a draft is restored: the clock (which the draft does not keep) resumes at the
    /// latest moment the answer shows the learner had reached — the arrival of the last patient
    /// given a level, or the last change re-triaged — so no triaged patient is hidden.
    pub(crate) fn resume(&mut self, m: &TriageMaterial, answer: &Value) {
        let mut at = shift_start(m);
        for a in &m.arrivals {
            let Some(row) =
                row_of(answer, &a.id).and_then(|i| answer::list(answer, "arrivals").get(i))
            else {
                continue;
            };
            if row.get("esi_level").is_some_and(|v| !v.is_null()) {
                at = at.max(a.arrived_at);
            }
            if let Some(ch) = &a.change
                && row.get("retriage_level").is_some_and(|v| !v.is_null())
            {
                at = at.max(ch.at);
            }
        }
        self.clock = self.clock.max(at);
    }

    /// Whether the clock is moving.
    #[must_use]
    pub fn running(&self) -> bool {
        self.speed != Speed::Paused
    }

    /// Whole minutes from `since` to the clock (0 when `since` is later).
    #[must_use]
    pub(crate) fn minutes_since(&self, since: NaiveDateTime) -> i64 {
        (self.clock - since).num_minutes().max(0)
    }

    /// The next arrival or change strictly after the clock.
    #[must_use]
    pub fn next_event(&self, m: &TriageMaterial) -> Option<NaiveDateTime> {
        m.arrivals
            .iter()
            .flat_map(|a| std::iter::once(a.arrived_at).chain(a.change.as_ref().map(|c| c.at)))
            .filter(|t| *t > self.clock)
            .min()
    }
}

/// Before a triage answer is submitted: when arrivals or changes are still to come and the
/// learner has not been asked yet, asks (the board shows the question) and holds the submission
/// (returns true). Other cases, and a confirmed or finished shift, go ahead (false).
pub(crate) fn hold_submit(w: Option<&mut Workspace>) -> bool {
    let Some(w) = w else {
        return false;
    };
    let (Some(board), TaskMaterial::Triage(m)) = (w.board.as_mut(), &w.case.task) else {
        return false;
    };
    if board.confirming_submit || m.still_to_come(board.clock) == (0, 0) {
        board.confirming_submit = false;
        return false;
    }
    board.confirming_submit = true;
    true
}

/// Writes the shift clock into a triage answer as `submitted_at`, so what had not happened by
/// then is not graded (nothing for other cases).
pub(crate) fn stamp_submission(w: &mut Workspace) {
    if let Some(board) = &w.board
        && let Value::Object(o) = &mut w.answer
    {
        o.insert(
            "submitted_at".into(),
            json!(board.clock.format("%Y-%m-%dT%H:%M:%S").to_string()),
        );
    }
}

/// When the shift starts: the first arrival (the epoch when there is none).
fn shift_start(m: &TriageMaterial) -> NaiveDateTime {
    m.arrivals
        .iter()
        .map(|a| a.arrived_at)
        .min()
        .unwrap_or_default()
}

/// Whether the arrival is at the desk by the clock.
#[must_use]
pub(super) fn has_arrived(a: &ShiftArrival, clock: NaiveDateTime) -> bool {
    a.arrived_at <= clock
}

/// Whether the arrival's change (if any) has happened by the clock.
#[must_use]
pub(super) fn has_changed(a: &ShiftArrival, clock: NaiveDateTime) -> bool {
    a.change.as_ref().is_some_and(|c| c.at <= clock)
}

/// The position of arrival `id` in the answer's `arrivals` list (matched by its `id` field).
#[must_use]
pub(super) fn row_of(answer: &Value, id: &str) -> Option<usize> {
    answer::list(answer, "arrivals")
        .iter()
        .position(|row| row.get("id").and_then(Value::as_str) == Some(id))
}

/// A level in the answer (the first of a list), if one is given.
#[must_use]
pub(super) fn level_in(row: &Value, field: &str) -> Option<u8> {
    let v = row.get(field)?;
    let v = v.as_array().and_then(|l| l.first()).unwrap_or(v);
    v.as_f64()
        .filter(|l| (1.0..=5.0).contains(l))
        .map(|l| l.round() as u8)
}

/// Applies a board command to an open workspace (ignored for cases that are not triage).
pub fn apply(w: &mut Workspace, command: BoardCommand) {
    let (Some(board), TaskMaterial::Triage(m)) = (w.board.as_mut(), &w.case.task) else {
        return;
    };
    match command {
        BoardCommand::Tick { real_elapsed_ms } => {
            let ms = i64::try_from(real_elapsed_ms.min(MAX_TICK_MS)).unwrap_or(0);
            board.clock += TimeDelta::milliseconds(ms * board.speed.factor());
        }
        BoardCommand::SetSpeed(speed) => {
            if !board.locked {
                board.speed = speed;
            }
        }
        BoardCommand::JumpToNextEvent => {
            if !board.locked
                && let Some(t) = board.next_event(m)
            {
                board.clock = t;
            }
        }
        BoardCommand::Select(id) => {
            board.selected = Some(id);
            board.scroll_pending = true;
        }
        BoardCommand::Scrolled => board.scroll_pending = false,
        BoardCommand::CancelSubmit => board.confirming_submit = false,
        BoardCommand::Document(id) => board.selected = Some(id),
        BoardCommand::SetLevel { id, level } => {
            let Some(a) = m.arrivals.iter().find(|a| a.id == id) else {
                return;
            };
            if !has_arrived(a, board.clock) || !(1..=5).contains(&level) {
                return;
            }
            board.selected = Some(id.clone());
            set_level(&mut w.answer, &id, "esi_level", level);
            for list in ["triage_order", "queue"] {
                let listed = answer::list(&w.answer, list)
                    .iter()
                    .any(|v| v.as_str() == Some(id.as_str()));
                if !listed {
                    answer::add_row(&mut w.answer, list, json!(id));
                }
            }
            w.dirty = true;
        }
        BoardCommand::SetRetriageLevel { id, level } => {
            let Some(a) = m.arrivals.iter().find(|a| a.id == id) else {
                return;
            };
            let first = row_of(&w.answer, &id)
                .and_then(|i| answer::list(&w.answer, "arrivals").get(i))
                .and_then(|r| level_in(r, "esi_level"));
            // Re-triage changes a level given at first triage: there must be one.
            if !has_changed(a, board.clock) || first.is_none() || !(1..=5).contains(&level) {
                return;
            }
            board.selected = Some(id.clone());
            set_level(&mut w.answer, &id, "retriage_level", level);
            w.dirty = true;
        }
        BoardCommand::MoveQueue { index, up } => {
            answer::move_row(&mut w.answer, "queue", index, up);
            w.dirty = true;
        }
        BoardCommand::MoveQueueTo { from, to } => {
            let mut items = answer::list(&w.answer, "queue").to_vec();
            if from < items.len() && from != to {
                let item = items.remove(from);
                items.insert(to.min(items.len()), item);
                answer::set(&mut w.answer, "queue", Value::Array(items));
                w.dirty = true;
            }
        }
    }
}

/// Writes `arrivals[i].<field>` for arrival `id`, adding its row when the answer lacks it.
fn set_level(doc: &mut Value, id: &str, field: &str, level: u8) {
    let row = match row_of(doc, id) {
        Some(i) => i,
        None => {
            answer::add_row(doc, "arrivals", json!({ "id": id }));
            answer::list(doc, "arrivals").len().saturating_sub(1)
        }
    };
    answer::set(doc, &format!("arrivals[{row}].{field}"), json!(level));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_are_read_from_numbers_and_lists() {
        assert_eq!(level_in(&json!({"esi_level": 2}), "esi_level"), Some(2));
        assert_eq!(level_in(&json!({"esi_level": 3.0}), "esi_level"), Some(3));
        assert_eq!(
            level_in(&json!({"esi_level": [2, 3]}), "esi_level"),
            Some(2)
        );
        assert_eq!(level_in(&json!({"esi_level": null}), "esi_level"), None);
        assert_eq!(level_in(&json!({"esi_level": 9}), "esi_level"), None);
    }

    #[test]
    fn a_level_for_a_missing_row_adds_it() {
        let mut doc = json!({"arrivals": [{"id": "a1"}]});
        set_level(&mut doc, "a2", "esi_level", 4);
        set_level(&mut doc, "a1", "esi_level", 2);
        assert_eq!(
            doc,
            json!({"arrivals": [{"id": "a1", "esi_level": 2}, {"id": "a2", "esi_level": 4}]})
        );
    }

    #[test]
    fn speeds_scale_real_time() {
        assert_eq!(Speed::Paused.factor(), 0);
        assert_eq!(Speed::X20.factor(), 20);
        assert_eq!(Speed::X5.label(), "Speed 5×");
    }
}
