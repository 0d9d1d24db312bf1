//! The triage board driven headlessly with egui_kittest: the simulated clock, arrival cards,
//! ESI buttons, the waiting-room queue, re-triage alerts, grading of what the board wrote, and
//! the assessment-mode clock. The clock is paused (or driven by `Tick` commands) so every
//! assertion is exact.

#![allow(
    clippy::wildcard_enum_match_arm,
    reason = "a test expects one screen or task kind; any other one, present or future, fails it"
)]

use chrono::{NaiveDateTime, TimeDelta};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use ehr_sim::library::ContentRoot;
use ehr_sim::store::Mode;
use ehr_sim::tasks::TaskMaterial;
use ehr_sim::tasks::triage::task::TriageMaterial;
use ehr_sim::ui::app::{Command, EhrApp, Screen};
use ehr_sim::ui::board::{BoardCommand, Speed, TriageBoard};
use ehr_sim::ui::workspace::Workspace;
use serde_json::{Value, json};

const SHIFT: &str = "Triage shift: a busy evening, adults and children";

// The feedback screen shows the ESI engine's reasons, one of which has "→" ("assume it is new
// → ESI 2"): the app's fonts must draw it (kittest panics on a missing glyph).
use super::ui::harness;

fn now() -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::<chrono::Utc>::from(std::time::SystemTime::UNIX_EPOCH)
}

/// Opens the mixed shift from the catalog and pauses its clock.
fn open_shift() -> Harness<'static, EhrApp> {
    let mut h = harness();
    h.run();
    h.get_by_label("Search scenarios").click();
    h.get_by_label("Search scenarios").type_text(SHIFT);
    h.run();
    press(&mut h, &format!("Open {SHIFT}"));
    press(&mut h, "Pause");
    assert_eq!(board(&h).speed, Speed::Paused);
    h
}

fn workspace<'a>(h: &'a Harness<'static, EhrApp>) -> &'a Workspace {
    match &h.state().state.screen {
        Screen::Chart(w) => w,
        Screen::Exam(e) => e.workspace.as_deref().expect("an open exam item"),
        _ => panic!("no triage workspace open"),
    }
}

fn board<'a>(h: &'a Harness<'static, EhrApp>) -> &'a TriageBoard {
    workspace(h).board.as_ref().expect("a triage board")
}

fn material(h: &Harness<'static, EhrApp>) -> TriageMaterial {
    match &workspace(h).case.task {
        TaskMaterial::Triage(m) => m.clone(),
        _ => panic!("not a triage case"),
    }
}

fn apply(h: &mut Harness<'static, EhrApp>, c: BoardCommand) {
    h.state_mut().state.apply(Command::Board(c), None, now());
}

fn answer<'a>(h: &'a Harness<'static, EhrApp>) -> &'a Value {
    &workspace(h).answer
}

/// Clicks "Jump to next event" until the clock reaches `t`.
fn jump_to(h: &mut Harness<'static, EhrApp>, t: NaiveDateTime) {
    while board(h).clock < t {
        press(h, "Jump to next event");
    }
}

/// Scrolls a button into view and clicks it, as a person would.
fn press(h: &mut Harness<'static, EhrApp>, label: &str) {
    h.get_by_label(label).scroll_to_me();
    h.run();
    h.get_by_label(label).click();
    h.run();
}

/// The key's level for a field (the expected one when the key lists several).
fn key_level(v: &Value) -> Option<u8> {
    let v = v.as_array().and_then(|l| l.first()).unwrap_or(v);
    v.as_u64().and_then(|l| u8::try_from(l).ok())
}

#[test]
fn cards_appear_only_after_their_arrival_time() {
    let mut h = open_shift();
    let m = material(&h);
    let first = m.arrivals[0].arrived_at;
    let clock = board(&h).clock;
    assert!(
        clock >= first && clock - first < TimeDelta::seconds(10),
        "{clock}"
    );
    let later = m
        .arrivals
        .iter()
        .find(|a| a.arrived_at > clock)
        .expect("an arrival after the first")
        .clone();
    h.get_by_label("ESI 3 for a1");
    assert!(
        h.query_by_label(&format!("ESI 3 for {}", later.id))
            .is_none()
    );
    // Tick commands move the paused clock not at all; at 20× one real second is 20 s, and a
    // long stall counts as one second at most.
    apply(
        &mut h,
        BoardCommand::Tick {
            real_elapsed_ms: 500,
        },
    );
    assert_eq!(board(&h).clock, clock);
    apply(&mut h, BoardCommand::SetSpeed(Speed::X20));
    apply(
        &mut h,
        BoardCommand::Tick {
            real_elapsed_ms: 1_000,
        },
    );
    assert_eq!(board(&h).clock, clock + TimeDelta::seconds(20));
    apply(
        &mut h,
        BoardCommand::Tick {
            real_elapsed_ms: 60_000,
        },
    );
    assert_eq!(board(&h).clock, clock + TimeDelta::seconds(40));
    apply(&mut h, BoardCommand::SetSpeed(Speed::Paused));
    // Jump: the next card appears, exactly at its arrival time.
    jump_to(&mut h, later.arrived_at);
    assert_eq!(board(&h).clock, later.arrived_at);
    h.get_by_label(&format!("ESI 3 for {}", later.id));
    let still_out = m
        .arrivals
        .iter()
        .filter(|a| a.arrived_at > later.arrived_at);
    for a in still_out {
        assert!(
            h.query_by_label(&format!("ESI 3 for {}", a.id)).is_none(),
            "{}",
            a.id
        );
    }
}

#[test]
fn clicking_esi_2_for_a1_sets_the_level_and_the_triage_order() {
    let mut h = open_shift();
    press(&mut h, "ESI 2 for a1");
    assert_eq!(answer(&h)["arrivals"][0]["esi_level"], json!(2));
    assert_eq!(answer(&h)["triage_order"], json!(["a1"]));
    assert_eq!(answer(&h)["queue"], json!(["a1"]));
    assert!(workspace(&h).dirty);
    // Changing the level keeps a1's place in the triage order.
    press(&mut h, "ESI 3 for a1");
    assert_eq!(answer(&h)["arrivals"][0]["esi_level"], json!(3));
    assert_eq!(answer(&h)["triage_order"], json!(["a1"]));
    assert_eq!(answer(&h)["queue"], json!(["a1"]));
    // A patient who has not arrived cannot be given a level.
    let m = material(&h);
    let last = m.arrivals.last().expect("arrivals").id.clone();
    apply(&mut h, BoardCommand::SetLevel { id: last, level: 2 });
    assert_eq!(answer(&h)["triage_order"], json!(["a1"]));
}

#[test]
fn the_queue_keeps_the_learners_order_and_reorders() {
    let mut h = open_shift();
    let m = material(&h);
    jump_to(&mut h, m.arrivals[2].arrived_at);
    // Levels chosen so that sorting by level would give a different order.
    for (id, level) in [("a1", 4), ("a2", 5), ("a3", 2)] {
        press(&mut h, &format!("ESI {level} for {id}"));
    }
    assert_eq!(answer(&h)["queue"], json!(["a1", "a2", "a3"]));
    press(&mut h, "Move a3 up");
    assert_eq!(answer(&h)["queue"], json!(["a1", "a3", "a2"]));
    press(&mut h, "Move a1 down");
    assert_eq!(answer(&h)["queue"], json!(["a3", "a1", "a2"]));
    // Drag and drop (as a command): a2 to the front.
    apply(&mut h, BoardCommand::MoveQueueTo { from: 2, to: 0 });
    assert_eq!(answer(&h)["queue"], json!(["a2", "a3", "a1"]));
    // The triage order is untouched by queue moves.
    assert_eq!(answer(&h)["triage_order"], json!(["a1", "a2", "a3"]));
}

#[test]
fn a_retriage_alert_appears_at_the_change_time_and_sets_the_retriage_level() {
    let mut h = open_shift();
    let m = material(&h);
    let a = m
        .arrivals
        .iter()
        .find(|a| a.change.is_some())
        .expect("mixed_shift has a patient who worsens")
        .clone();
    let change = a.change.clone().expect("change");
    let button = format!("Re-triage ESI 2 for {}", a.id);
    jump_to(&mut h, a.arrived_at);
    // Just before the change (20 s steps at 20×): no alert for this patient.
    let show = format!("Show {}", a.id);
    apply(&mut h, BoardCommand::SetSpeed(Speed::X20));
    while board(&h).clock + TimeDelta::seconds(20) < change.at {
        apply(
            &mut h,
            BoardCommand::Tick {
                real_elapsed_ms: 1_000,
            },
        );
    }
    apply(&mut h, BoardCommand::SetSpeed(Speed::Paused));
    h.run();
    assert!(board(&h).clock < change.at);
    assert!(h.query_by_label(&show).is_none());
    assert!(h.query_by_label(&button).is_none());
    assert_eq!(h.query_all_by_label_contains(&change.says).count(), 0);
    // At the change: the banner (with what the patient says) and the re-triage buttons.
    jump_to(&mut h, change.at);
    assert_eq!(board(&h).clock, change.at);
    h.get_by_label(&show);
    assert!(h.query_all_by_label("RE-TRIAGE").count() >= 1);
    assert_eq!(
        h.query_all_by_label_contains(&change.says).count(),
        2,
        "banner and card"
    );
    // Re-triage needs a first level: until then the card asks for it and a re-triage command
    // is ignored.
    let row = a.id.trim_start_matches('a').parse::<usize>().expect("id") - 1;
    assert!(h.query_by_label(&button).is_none());
    assert!(
        h.query_all_by_label("Give the first triage level above, then re-triage here.")
            .count()
            >= 1
    );
    apply(
        &mut h,
        BoardCommand::SetRetriageLevel {
            id: a.id.clone(),
            level: 2,
        },
    );
    assert_eq!(answer(&h)["arrivals"][row]["retriage_level"], Value::Null);
    press(&mut h, &format!("ESI 4 for {}", a.id));
    press(&mut h, &button);
    assert_eq!(answer(&h)["arrivals"][row]["retriage_level"], json!(2));
    assert!(
        h.query_by_label(&show).is_none(),
        "an answered alert closes"
    );
}

/// Everything the key says, entered on the board (levels, triage order, queue, re-triage) and
/// through the form's commands (vital signs, notes): full marks. The same answer with one
/// ESI 3–5 patient over-triaged by one step and no documentation scores exactly the ESI,
/// re-triage, order and queue points less 2 (half of the 4 points of one over-triage step).
#[test]
fn the_submitted_board_grades_to_the_keys_score() {
    let mut h = open_shift();
    let m = material(&h);
    let key = workspace(&h).case.key();
    let last_event = m
        .arrivals
        .iter()
        .flat_map(|a| std::iter::once(a.arrived_at).chain(a.change.as_ref().map(|c| c.at)))
        .max()
        .expect("events");
    jump_to(&mut h, last_event);
    let order: Vec<String> = key["triage_order"]
        .as_array()
        .expect("order")
        .iter()
        .filter_map(|v| v.as_str().map(String::from))
        .collect();
    let level_of = |id: &str| {
        key["arrivals"]
            .as_array()
            .and_then(|l| l.iter().find(|r| r["id"] == json!(id)))
            .and_then(|r| key_level(&r["esi_level"]))
            .expect("key level")
    };
    // Over-triage one ESI 3-5 patient by one step (no critical gate: the key is not 1 or 2).
    let over = order
        .iter()
        .find(|id| level_of(id) >= 3)
        .expect("an ESI 3-5 arrival")
        .clone();
    for id in &order {
        let level = if *id == over {
            level_of(id) - 1
        } else {
            level_of(id)
        };
        press(&mut h, &format!("ESI {level} for {id}"));
    }
    assert_eq!(answer(&h)["triage_order"], key["triage_order"]);
    // Reorder the queue to the key's with Up clicks.
    let target: Vec<String> = key["queue"]
        .as_array()
        .expect("queue")
        .iter()
        .filter_map(|v| v.as_str().map(String::from))
        .collect();
    for (place, id) in target.iter().enumerate() {
        loop {
            let at = answer(&h)["queue"]
                .as_array()
                .and_then(|q| q.iter().position(|v| v == &json!(id)))
                .expect("queued");
            if at == place {
                break;
            }
            press(&mut h, &format!("Move {id} up"));
        }
    }
    assert_eq!(answer(&h)["queue"], key["queue"]);
    for r in key["arrivals"].as_array().expect("arrivals") {
        if let Some(level) = key_level(&r["retriage_level"]) {
            let id = r["id"].as_str().expect("id");
            press(&mut h, &format!("Re-triage ESI {level} for {id}"));
        }
    }
    let partial = workspace(&h)
        .grade(&h.state().state.root)
        .expect("rubric loads");
    let documentation: f64 = partial
        .criteria
        .iter()
        .filter(|c| !c.id.starts_with("esi_") && !c.id.starts_with("retriage_"))
        .filter(|c| c.id != "triage_order" && c.id != "queue")
        .map(|c| c.max)
        .sum();
    assert_eq!(partial.critical.len(), 0, "{:?}", partial.critical);
    assert_eq!(
        partial.score,
        partial.max - documentation - 2.0,
        "{:#?}",
        partial
            .criteria
            .iter()
            .filter(|c| c.points < c.max)
            .map(|c| (&c.id, c.points, c.max))
            .collect::<Vec<_>>()
    );
    // Now the right level for the over-triaged patient and the documentation from the key.
    press(&mut h, &format!("ESI {} for {over}", level_of(&over)));
    // a1's documentation typed into the task pane's form for the selected patient.
    press(&mut h, "Document a1");
    let a1 = &key["arrivals"][0];
    let typed = [
        ("Temp (°C)", &a1["vitals"]["temperature_c"]),
        ("HR (/min)", &a1["vitals"]["heart_rate"]),
        ("RR (/min)", &a1["vitals"]["respiratory_rate"]),
        ("Systolic (mmHg)", &a1["vitals"]["systolic"]),
        ("Diastolic (mmHg)", &a1["vitals"]["diastolic"]),
        ("SpO2 (%)", &a1["vitals"]["spo2"]),
        ("Pain score", &a1["vitals"]["pain"]),
    ];
    for (label, value) in typed {
        let name = format!("a1 {label}");
        h.get_by_label(&name).click();
        h.get_by_label(&name).type_text(&value.to_string());
        h.run();
    }
    h.get_by_label("a1 triage note").click();
    h.get_by_label("a1 triage note")
        .type_text(a1["note"].as_str().expect("note"));
    h.run();
    assert_eq!(answer(&h)["arrivals"][0]["vitals"], a1["vitals"]);
    assert_eq!(answer(&h)["arrivals"][0]["note"], a1["note"]);
    // The others through the form's command.
    for (i, r) in key["arrivals"]
        .as_array()
        .expect("arrivals")
        .iter()
        .enumerate()
        .skip(1)
    {
        for (field, value) in r["vitals"].as_object().expect("vitals") {
            h.state_mut().state.apply(
                Command::SetRow {
                    path: format!("arrivals[{i}].vitals.{field}"),
                    value: value.clone(),
                },
                None,
                now(),
            );
        }
        h.state_mut().state.apply(
            Command::SetRow {
                path: format!("arrivals[{i}].note"),
                value: r["note"].clone(),
            },
            None,
            now(),
        );
    }
    h.run();
    press(&mut h, "Submit");
    let Screen::Feedback(f) = &h.state().state.screen else {
        panic!("no feedback after submit");
    };
    assert_eq!(f.report.score, f.report.max, "{:#?}", f.report.criteria);
    assert!(f.report.passed);
}

#[test]
fn assessment_mode_runs_the_clock_at_a_fixed_speed_and_cannot_pause() {
    let loaded = ContentRoot::at(env!("CARGO_MANIFEST_DIR"))
        .load_all()
        .expect("library")
        .0
        .into_iter()
        .find(|s| s.scenario.id == "mixed_shift")
        .expect("mixed_shift");
    let case = ehr_sim::case::generate(&loaded, 3, 0);
    let mut w = Workspace::new(loaded, case, Mode::Assessment, now());
    let start = w.board.as_ref().expect("board").clock;
    assert_eq!(
        w.board.as_ref().map(|b| b.speed),
        Some(ehr_sim::ui::board::ASSESSMENT_SPEED)
    );
    ehr_sim::ui::board::apply(&mut w, BoardCommand::SetSpeed(Speed::Paused));
    ehr_sim::ui::board::apply(&mut w, BoardCommand::JumpToNextEvent);
    ehr_sim::ui::board::apply(
        &mut w,
        BoardCommand::Tick {
            real_elapsed_ms: 1_000,
        },
    );
    let b = w.board.as_ref().expect("board");
    assert_eq!(b.speed, Speed::X5);
    assert_eq!(b.clock, start + TimeDelta::seconds(5));
    // On screen: no pause or speed buttons, the fixed speed said in words.
    let app = EhrApp::with_store(
        ContentRoot::at(env!("CARGO_MANIFEST_DIR")),
        ehr_sim::store::Store::open_in_memory().map_err(|e| e.to_string()),
    );
    let mut h = Harness::builder()
        .with_size([1280.0, 800.0])
        .build_ui_state(|ui, app: &mut EhrApp| app.frame_ui(ui), app);
    h.state_mut().state.screen = Screen::Chart(Box::new(w));
    h.run();
    assert!(h.query_by_label("Pause").is_none());
    assert!(h.query_by_label("Jump to next event").is_none());
    h.get_by_label_contains("cannot be paused");
    assert!(
        board(&h).clock > start + TimeDelta::seconds(5),
        "the clock runs"
    );
}

/// A restored draft brings the clock back to the last patient the learner had triaged.
#[test]
fn a_restored_draft_resumes_the_clock_at_the_last_triaged_arrival() {
    let mut h = open_shift();
    let m = material(&h);
    let third = m.arrivals[2].arrived_at;
    jump_to(&mut h, third);
    press(&mut h, "ESI 3 for a3");
    let saved = answer(&h).clone();
    let mut w = Workspace::new(
        workspace(&h).scenario.clone(),
        workspace(&h).case.clone(),
        Mode::Practice,
        now(),
    );
    assert_eq!(
        w.board.as_ref().map(|b| b.clock),
        Some(m.arrivals[0].arrived_at)
    );
    w.restore(saved);
    assert_eq!(w.board.as_ref().map(|b| b.clock), Some(third));
}

/// Submitting mid-shift asks first, says what is still to come, and grades only what had
/// happened by then: later arrivals and changes are "after you submitted", and a change still
/// to come fires no "missed deterioration".
#[test]
fn submitting_before_the_shift_ends_asks_and_grades_only_what_had_happened() {
    let mut h = open_shift();
    let m = material(&h);
    // Stop just before the first change: the patient it belongs to has arrived.
    let (changed, change_at) = m
        .arrivals
        .iter()
        .filter_map(|a| a.change.as_ref().map(|c| (a.id.clone(), c.at)))
        .min_by_key(|(_, at)| *at)
        .expect("the shift has a change");
    while board(&h).next_event(&m).is_some_and(|t| t < change_at) {
        press(&mut h, "Jump to next event");
    }
    let clock = board(&h).clock;
    assert!(clock < change_at);
    let (arrivals_left, changes_left) = m.still_to_come(clock);
    assert!(changes_left >= 1);
    // The learner triages everyone who has arrived, as the key of the shift so far has them,
    // in its desk order.
    let key_so_far = ehr_sim::tasks::triage::task::key(&m.as_of(clock));
    let arrived: Vec<String> = key_so_far["triage_order"]
        .as_array()
        .expect("order")
        .iter()
        .filter_map(|v| v.as_str().map(String::from))
        .collect();
    assert_eq!(
        arrived.len(),
        m.arrivals.iter().filter(|a| a.arrived_at <= clock).count()
    );
    for id in &arrived {
        let row = key_so_far["arrivals"]
            .as_array()
            .and_then(|l| l.iter().find(|r| r["id"] == json!(id)))
            .expect("key row");
        let level = key_level(&row["esi_level"]).expect("level");
        press(&mut h, &format!("ESI {level} for {id}"));
    }
    // Submit asks first.
    press(&mut h, "Submit");
    assert!(matches!(h.state().state.screen, Screen::Chart(_)));
    assert!(board(&h).confirming_submit);
    h.get_by_label("Submit before the shift ends?");
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    h.get_by_label(&format!(
        "It is {}. {} and {} still to come.",
        clock.format("%H:%M"),
        plural(arrivals_left, "arrival", "arrivals"),
        plural(changes_left, "change", "changes")
    ));
    h.get_by_label("Keep working").click();
    h.run();
    assert!(!board(&h).confirming_submit);
    assert!(matches!(h.state().state.screen, Screen::Chart(_)));
    press(&mut h, "Submit");
    h.get_by_label("Submit now").click();
    h.run();
    let Screen::Feedback(f) = &h.state().state.screen else {
        panic!("no feedback after confirming");
    };
    let stamped = clock.format("%Y-%m-%dT%H:%M:%S").to_string();
    assert_eq!(f.workspace.answer["submitted_at"], json!(stamped));
    // The change still to come is not graded and fires no gate.
    let i = m
        .arrivals
        .iter()
        .position(|a| a.id == changed)
        .expect("row");
    let retriage = f
        .report
        .criteria
        .iter()
        .find(|c| c.fields == vec![format!("arrivals[{i}].retriage_level")])
        .expect("a re-triage criterion for the changed patient");
    assert_eq!(retriage.max, 0.0);
    assert_eq!(
        retriage.feedback,
        format!(
            "After you submitted: {changed} comes back to the desk at {}, after you submitted at {}. Not graded.",
            change_at.format("%H:%M"),
            clock.format("%H:%M")
        )
    );
    assert!(
        f.report.critical.is_empty(),
        "no gate for what had not happened: {:?}",
        f.report.critical
    );
    // Everything graded concerns a patient who had arrived; their levels are all right.
    for c in f
        .report
        .criteria
        .iter()
        .filter(|c| c.id.starts_with("esi_"))
    {
        if c.max > 0.0 {
            assert_eq!(c.points, c.max, "{c:?}");
        }
    }
    for later in m.arrivals.iter().filter(|a| a.arrived_at > clock) {
        let j = m
            .arrivals
            .iter()
            .position(|a| a.id == later.id)
            .expect("row");
        // Nothing about a patient still to come counts, the triage note included.
        for c in f.report.criteria.iter().filter(|c| {
            c.fields
                .iter()
                .all(|p| p.starts_with(&format!("arrivals[{j}].")))
        }) {
            assert_eq!(c.max, 0.0, "{c:?}");
            assert!(c.feedback.starts_with("After you submitted: "), "{c:?}");
        }
        let esi = f
            .report
            .criteria
            .iter()
            .find(|c| c.fields == vec![format!("arrivals[{j}].esi_level")])
            .expect("esi criterion");
        assert_eq!(esi.max, 0.0);
        assert!(
            esi.feedback.contains("after you submitted"),
            "{}",
            esi.feedback
        );
    }
    // The order and queue are graded over the arrivals who had come.
    let order = f
        .report
        .criteria
        .iter()
        .find(|c| c.id == "triage_order")
        .expect("order criterion");
    assert_eq!(order.points, order.max, "{order:?}");
}

/// A shift whose last event has passed submits at once.
#[test]
fn submitting_after_the_last_event_does_not_ask() {
    let mut h = open_shift();
    let m = material(&h);
    let last = m
        .arrivals
        .iter()
        .flat_map(|a| std::iter::once(a.arrived_at).chain(a.change.as_ref().map(|c| c.at)))
        .max()
        .expect("events");
    jump_to(&mut h, last);
    press(&mut h, "Submit");
    assert!(matches!(h.state().state.screen, Screen::Feedback(_)));
}
