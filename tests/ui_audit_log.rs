//! The access-log table of the access-audit review driven headlessly with egui_kittest over
//! logs built here: a ten-event log with known answers, and a 50,000-event log made by a loop.
//! Sorting (first and last rows), filters (exact counts shown), the by-user and by-patient
//! views (exact rows), flagging by click and by keyboard, classifying with rules, unflagging,
//! what `show` returns, that scrolling never re-filters, and a 900-px window at font scale 2.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{NaiveDate, NaiveDateTime, TimeDelta};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use ehr_sim::tasks::access_audit::{
    Action, AuditLog, Encounter, Event, Patient, Period, Policy, Role, Shift, TaskKind, User,
    WorkTask,
};
use ehr_sim::ui::{AuditLogTable, SortColumn};

type Flags = BTreeMap<String, BTreeSet<String>>;

struct State {
    table: AuditLogTable,
    log: AuditLog,
    flags: Flags,
    /// Frames in which `show` said the flags changed.
    changes: usize,
}

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, d).unwrap()
}

fn at(d: u32, h: u32, m: u32) -> NaiveDateTime {
    day(d).and_hms_opt(h, m, 0).unwrap()
}

fn user(id: &str, given: &str, surname: &str, role: Role, dept: &str) -> User {
    User {
        id: id.into(),
        given_name: given.into(),
        surname: surname.into(),
        role,
        department: dept.into(),
        shift: None,
        terminated_on: None,
        address: None,
        family_of: Vec::new(),
    }
}

fn patient(id: &str, given: &str, surname: &str) -> Patient {
    Patient {
        id: id.into(),
        given_name: given.into(),
        surname: surname.into(),
        address: None,
        state: None,
        vip: false,
        employee_user_id: None,
        care_team: Vec::new(),
        encounters: Vec::new(),
    }
}

fn event(id: &str, when: NaiveDateTime, u: &str, p: &str, action: Action) -> Event {
    Event {
        id: id.into(),
        at: when,
        user: u.into(),
        patient: p.into(),
        action,
        count: None,
    }
}

fn policy() -> Policy {
    Policy {
        own_record_forbidden: true,
        after_discharge_days: 30,
        bulk_export_threshold: 500,
    }
}

/// Ten events, listed out of time order; E01…E10 is their time order.
fn small_log() -> AuditLog {
    let mut ann = user("u1", "Ann", "Smith", Role::Nurse, "Emergency");
    ann.shift = Some(Shift { start: 7, end: 19 });
    let mut bob = user("u2", "Bob", "Jones", Role::Billing, "Patient accounts");
    bob.shift = Some(Shift { start: 8, end: 17 });
    let cara = user("u3", "Cara", "Brown", Role::Physician, "Cardiology");
    let mut dana = patient("p1", "Dana", "Miller");
    dana.care_team = vec!["u1".into(), "u3".into()];
    dana.encounters = vec![Encounter {
        admitted: day(1),
        discharged: Some(day(5)),
    }];
    let eli = patient("p2", "Eli", "Smith");
    let mut fay = patient("p3", "Fay", "Wilson");
    fay.vip = true;
    let mut gus = patient("p4", "Gus", "Brown");
    gus.employee_user_id = Some("u2".into());
    let btg = |r: Option<&str>| Action::BreakTheGlass {
        reason: r.map(str::to_string),
    };
    let mut print = event("E03", at(2, 9, 15), "u2", "p1", Action::Print);
    print.count = Some(3);
    let mut export = event("E06", at(3, 11, 0), "u3", "p1", Action::Export);
    export.count = Some(600);
    AuditLog {
        period: Period {
            start: day(1),
            end: day(7),
        },
        discovered: None,
        users: vec![ann, bob, cara],
        patients: vec![dana, eli, fay, gus],
        tasks: vec![WorkTask {
            user: "u2".into(),
            patient: "p1".into(),
            kind: TaskKind::Billing,
            from: day(2),
            to: day(4),
        }],
        events: vec![
            event("E05", at(3, 2, 0), "u2", "p3", Action::View),
            event("E01", at(1, 8, 0), "u1", "p1", Action::View),
            event("E10", at(6, 23, 59), "u1", "p1", Action::View),
            print,
            event("E07", at(4, 12, 0), "u1", "p4", btg(None)),
            event("E02", at(1, 22, 30), "u1", "p2", Action::View),
            event("E09", at(6, 7, 30), "u3", "p2", Action::View),
            event(
                "E04",
                at(2, 10, 0),
                "u3",
                "p3",
                btg(Some("chest pain consult")),
            ),
            export,
            event("E08", at(5, 16, 45), "u2", "p4", Action::View),
        ],
        policy: policy(),
    }
}

/// 50,000 events: user `u{i % 50}`, patient `p{i % 500}`, a print every tenth event, at
/// minute-ish steps in a shuffled order (event 0 is the earliest, event 32321 the latest).
fn big_log() -> AuditLog {
    let users = (0..50)
        .map(|k| {
            let mut u = user(
                &format!("u{k:02}"),
                &format!("Given{k:02}"),
                &format!("Surname{k:02}"),
                if k % 2 == 0 {
                    Role::Nurse
                } else {
                    Role::Coding
                },
                &format!("Dept {}", k % 5),
            );
            u.shift = Some(Shift { start: 7, end: 19 });
            u
        })
        .collect();
    let patients = (0..500)
        .map(|k| patient(&format!("p{k:03}"), &format!("Pat{k:03}"), "Doe"))
        .collect();
    let start = at(1, 0, 0);
    let events = (0..50_000u64)
        .map(|i| {
            let step = i64::try_from((i * 7919) % 50_000).unwrap();
            event(
                &format!("E{i:05}"),
                start + TimeDelta::seconds(step * 53),
                &format!("u{:02}", i % 50),
                &format!("p{:03}", i % 500),
                if i % 10 == 0 {
                    Action::Print
                } else {
                    Action::View
                },
            )
        })
        .collect();
    AuditLog {
        period: Period {
            start: day(1),
            end: day(31),
        },
        discovered: None,
        users,
        patients,
        tasks: Vec::new(),
        events,
        policy: policy(),
    }
}

fn harness_sized(log: AuditLog, size: [f32; 2], scale: f32) -> Harness<'static, State> {
    let state = State {
        table: AuditLogTable::new(),
        log,
        flags: Flags::new(),
        changes: 0,
    };
    let mut h = Harness::builder()
        .with_size(size)
        .with_pixels_per_point(scale)
        .build_ui_state(
            |ui, s: &mut State| {
                if s.table.show(ui, &s.log, &mut s.flags) {
                    s.changes += 1;
                }
            },
            state,
        );
    h.run();
    h
}

fn harness(log: AuditLog) -> Harness<'static, State> {
    harness_sized(log, [1280.0, 800.0], 1.0)
}

fn label_of<'t>(n: &impl NodeT<'t>) -> String {
    n.accesskit_node().label().unwrap_or_default()
}

/// The event ids of the rows laid out, top to bottom.
fn shown_ids(h: &Harness<'static, State>) -> Vec<String> {
    let mut rows: Vec<(f32, String)> = h
        .query_all_by_label_contains("Select event ")
        .map(|n| (n.rect().top(), label_of(&n)))
        .collect();
    rows.sort_by(|a, b| a.0.total_cmp(&b.0));
    rows.into_iter()
        .map(|(_, l)| l.trim_start_matches("Select event ").to_string())
        .collect()
}

fn click(h: &mut Harness<'static, State>, label: &str) {
    h.get_by_label(label).click();
    h.run();
}

/// Opens a filter's combo box and picks a choice (not a table cell of the same text).
fn choose(h: &mut Harness<'static, State>, combo: &str, choice: &str) {
    click(h, combo);
    let picks: Vec<_> = h
        .query_all_by_label(choice)
        .filter(|n| n.accesskit_node().role() != egui::accesskit::Role::Label)
        .collect();
    assert_eq!(picks.len(), 1, "{choice}");
    picks[0].click();
    h.run();
}

fn type_into(h: &mut Harness<'static, State>, field: &str, text: &str) {
    click(h, field);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.key_press(egui::Key::Backspace);
    h.run();
    if !text.is_empty() {
        h.get_by_label(field).type_text(text);
        h.run();
    }
    assert_eq!(h.get_by_label(field).value().as_deref(), Some(text));
}

fn ids(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_string()).collect()
}

#[test]
fn sorting_by_time_and_by_user_gives_exact_first_and_last_rows() {
    let mut h = harness(small_log());
    h.get_by_label("10 of 10 events");
    let by_time = ids(&[
        "E01", "E02", "E03", "E04", "E05", "E06", "E07", "E08", "E09", "E10",
    ]);
    assert_eq!(shown_ids(&h), by_time);
    h.get_by_label("Sort by Time (sorted ascending)");
    // Again: reversed, with the arrow.
    click(&mut h, "Sort by Time (sorted ascending)");
    assert_eq!(h.state().table.sort(), (SortColumn::Time, true));
    h.get_by_label("Sort by Time (sorted descending)");
    let mut reversed = by_time.clone();
    reversed.reverse();
    assert_eq!(shown_ids(&h), reversed);
    // By user name: BROWN, Cara; JONES, Bob; SMITH, Ann (each in the log's order).
    click(&mut h, "Sort by User");
    assert_eq!(
        shown_ids(&h),
        ids(&[
            "E09", "E04", "E06", "E05", "E03", "E08", "E01", "E10", "E07", "E02"
        ])
    );
    click(&mut h, "Sort by User (sorted ascending)");
    assert_eq!(
        shown_ids(&h),
        ids(&[
            "E01", "E10", "E07", "E02", "E05", "E03", "E08", "E09", "E04", "E06"
        ])
    );
    // Count: the 600-record export last; the reason: the only one given first.
    click(&mut h, "Sort by Count");
    assert_eq!(shown_ids(&h).last().map(String::as_str), Some("E06"));
    click(&mut h, "Sort by Break-the-glass reason");
    assert_eq!(shown_ids(&h).first().map(String::as_str), Some("E04"));
    assert_eq!(h.state().changes, 0);
}

#[test]
fn filters_show_exact_counts() {
    let mut h = harness(small_log());
    choose(&mut h, "User filter", "SMITH, Ann (u1)");
    h.get_by_label("4 of 10 events");
    assert_eq!(shown_ids(&h), ids(&["E01", "E02", "E07", "E10"]));
    choose(&mut h, "User filter", "Any user");
    choose(&mut h, "Action filter", "Break-the-glass");
    h.get_by_label("2 of 10 events");
    assert_eq!(shown_ids(&h), ids(&["E04", "E07"]));
    choose(&mut h, "Action filter", "Any action");
    // Free text: a reason; a surname shared by a user and a patient; an event id.
    type_into(&mut h, "Search events", "chest");
    assert_eq!(shown_ids(&h), ids(&["E04"]));
    type_into(&mut h, "Search events", "SMITH");
    h.get_by_label("5 of 10 events");
    assert_eq!(shown_ids(&h), ids(&["E01", "E02", "E07", "E09", "E10"]));
    type_into(&mut h, "Search events", "e10");
    assert_eq!(shown_ids(&h), ids(&["E10"]));
    type_into(&mut h, "Search events", "");
    // Dates, both days included.
    type_into(&mut h, "From date", "2026-03-03");
    type_into(&mut h, "To date", "2026-03-05");
    h.get_by_label("4 of 10 events");
    assert_eq!(shown_ids(&h), ids(&["E05", "E06", "E07", "E08"]));
    // A text that is no date filters nothing and says how to write one.
    type_into(&mut h, "To date", "March");
    h.get_by_label("use YYYY-MM-DD");
    h.get_by_label("6 of 10 events");
    click(&mut h, "Clear filters");
    h.get_by_label("10 of 10 events");
    // After hours: Ann at 22:30 and 23:59, Bob at 02:00 (Cara has no shift).
    click(&mut h, "After hours only");
    assert_eq!(shown_ids(&h), ids(&["E02", "E05", "E10"]));
    click(&mut h, "After hours only");
    choose(&mut h, "Role filter", "Physician");
    assert_eq!(shown_ids(&h), ids(&["E04", "E06", "E09"]));
    choose(&mut h, "Role filter", "Any role");
    choose(&mut h, "Department filter", "Patient accounts");
    assert_eq!(shown_ids(&h), ids(&["E03", "E05", "E08"]));
    choose(&mut h, "Department filter", "Any department");
    choose(&mut h, "Patient filter", "WILSON, Fay (p3)");
    assert_eq!(shown_ids(&h), ids(&["E04", "E05"]));
}

#[test]
fn the_by_user_and_by_patient_views_have_exact_rows_and_choosing_one_filters() {
    let mut h = harness(small_log());
    h.state_mut().flags.insert("E02".into(), BTreeSet::new());
    h.state_mut().table.invalidate();
    click(&mut h, "By user");
    let rows = [
        "SMITH, Ann (u1): Nurse, Emergency; 4 events, 3 patients, 2 after hours, 1 flagged",
        "JONES, Bob (u2): Billing, Patient accounts; 3 events, 3 patients, 1 after hours, 0 flagged",
        "BROWN, Cara (u3): Physician, Cardiology; 3 events, 3 patients, 0 after hours, 0 flagged",
    ];
    let tops: Vec<f32> = rows
        .iter()
        .map(|r| h.get_by_label(r).rect().top())
        .collect();
    assert!(tops.windows(2).all(|w| w[0] < w[1]), "{tops:?}");
    assert!(h.query_all_by_label_contains(" after hours, ").count() == 3);
    click(&mut h, rows[1]);
    h.get_by_label("3 of 10 events");
    assert_eq!(shown_ids(&h), ids(&["E03", "E05", "E08"]));
    click(&mut h, "Clear filters");
    click(&mut h, "By patient");
    let rows = [
        "MILLER, Dana (MRN p1); 4 events, 3 users, 0 flagged",
        "SMITH, Eli (MRN p2); 2 events, 2 users, 1 flagged",
        "WILSON, Fay (MRN p3), VIP; 2 events, 2 users, 0 flagged",
        "BROWN, Gus (MRN p4), employee; 2 events, 2 users, 0 flagged",
    ];
    let tops: Vec<f32> = rows
        .iter()
        .map(|r| h.get_by_label(r).rect().top())
        .collect();
    assert!(tops.windows(2).all(|w| w[0] < w[1]), "{tops:?}");
    assert_eq!(h.query_all_by_label_contains(" users, ").count(), 4);
    click(&mut h, rows[3]);
    assert_eq!(shown_ids(&h), ids(&["E07", "E08"]));
}

#[test]
fn flagging_by_click_and_keyboard_classifying_and_unflagging() {
    let mut h = harness(small_log());
    click(&mut h, "Flag event E04");
    assert_eq!(
        h.state().flags,
        Flags::from([("E04".into(), BTreeSet::new())])
    );
    assert_eq!(h.state().changes, 1);
    // The flagged event is selected: its details and the rule checklist.
    h.get_by_label("Event E04");
    h.get_by_label_contains("WILSON, Fay (MRN p3); VIP");
    h.get_by_label("relation.vip — a VIP's record, with no permitted purpose")
        .click();
    h.run();
    click(
        &mut h,
        "time.outside_shift — access outside the user's shift",
    );
    assert_eq!(
        h.state().flags["E04"],
        BTreeSet::from(["relation.vip".to_string(), "time.outside_shift".to_string()])
    );
    assert_eq!(h.state().changes, 3);
    // Untick one rule, then unflag: the rules go with the flag.
    click(
        &mut h,
        "time.outside_shift — access outside the user's shift",
    );
    assert_eq!(
        h.state().flags["E04"],
        BTreeSet::from(["relation.vip".to_string()])
    );
    click(&mut h, "Flag event E04");
    assert!(h.state().flags.is_empty());
    click(&mut h, "Flag event E04");
    assert_eq!(h.state().flags["E04"], BTreeSet::new());
    assert_eq!(h.state().changes, 6);
    // Selecting, sorting, filtering and views change no flag.
    click(&mut h, "Select event E06");
    click(&mut h, "Sort by Action");
    click(&mut h, "Flagged only");
    h.get_by_label("1 of 10 events");
    click(&mut h, "Flagged only");
    click(&mut h, "By user");
    click(&mut h, "All events");
    click(&mut h, "Sort by Time");
    assert_eq!(h.state().changes, 6);
    // The keyboard: Down from E06 to E07, Space flags it; Up twice to E05, Space; Space again.
    h.key_press(egui::Key::ArrowDown);
    h.run();
    h.get_by_label("Event E07");
    h.key_press(egui::Key::Space);
    h.run();
    assert!(h.state().flags.contains_key("E07"));
    h.key_press(egui::Key::ArrowUp);
    h.key_press(egui::Key::ArrowUp);
    h.run();
    assert_eq!(h.state().table.selected(), Some(0));
    h.key_press(egui::Key::Space);
    h.run();
    assert!(h.state().flags.contains_key("E05"));
    h.key_press(egui::Key::Space);
    h.run();
    assert!(!h.state().flags.contains_key("E05"));
    assert_eq!(h.state().changes, 9);
    // While an input has the keyboard, Space is typed, not a flag.
    click(&mut h, "Search events");
    h.key_press(egui::Key::Space);
    h.run();
    assert_eq!(h.state().changes, 9);
    assert_eq!(h.state().flags.keys().collect::<Vec<_>>(), ["E04", "E07"]);
}

#[test]
fn fifty_thousand_events_sort_filter_and_scroll_without_refiltering() {
    let mut h = harness(big_log());
    h.get_by_label("50000 of 50000 events");
    assert_eq!(h.state().table.recomputes(), 1);
    // Only the rows in view are laid out.
    let first = shown_ids(&h);
    assert!(first.len() < 60, "{}", first.len());
    assert_eq!(first.first().map(String::as_str), Some("E00000"));
    // Scrolling lays out other rows and filters nothing again.
    for _ in 0..5 {
        let top = shown_ids(&h)[0].clone();
        h.get_by_label(&format!("Select event {top}")).scroll_down();
        h.run();
    }
    let scrolled = shown_ids(&h);
    assert_ne!(scrolled.first(), first.first());
    assert_eq!(h.state().table.recomputes(), 1);
    // End: the last row by time; Home: the first.
    h.key_press(egui::Key::End);
    h.run();
    h.get_by_label("Event E32321");
    assert_eq!(h.state().table.rows().last(), Some(&32321));
    h.key_press(egui::Key::Home);
    h.run();
    h.get_by_label("Event E00000");
    click(&mut h, "Sort by Time (sorted ascending)");
    assert_eq!(shown_ids(&h).first().map(String::as_str), Some("E32321"));
    assert_eq!(h.state().table.rows().last(), Some(&0));
    assert_eq!(h.state().table.recomputes(), 2);
    type_into(&mut h, "Search events", "u07");
    h.get_by_label("1000 of 50000 events");
    type_into(&mut h, "Search events", "");
    choose(&mut h, "Action filter", "Print");
    h.get_by_label("5000 of 50000 events");
    choose(&mut h, "Role filter", "Coding");
    h.get_by_label("0 of 50000 events");
    h.get_by_label("No events match the filters: change or clear them to see the others.");
    choose(&mut h, "Action filter", "Any action");
    h.get_by_label("25000 of 50000 events");
    // A flag changes no row (nothing shown depends on it): nothing is recomputed.
    let n = h.state().table.recomputes();
    click(&mut h, "Flag event E32321");
    assert_eq!(h.state().table.recomputes(), n);
    click(&mut h, "Flagged only");
    h.get_by_label("1 of 50000 events");
    assert_eq!(h.state().table.recomputes(), n + 1);
    assert_eq!(h.state().changes, 1);
    // Revealing an event far down the list selects it and scrolls its row into view.
    click(&mut h, "Clear filters");
    assert!(h.query_by_label("Select event E17679").is_none());
    h.state_mut().table.reveal(17679);
    h.run();
    h.get_by_label("Select event E17679");
    h.get_by_label("Event E17679");
}

#[test]
fn a_900_px_window_at_font_scale_2_keeps_the_controls_reachable() {
    for scale in [1.0, 2.0] {
        let mut h = harness_sized(small_log(), [900.0 / scale, 700.0 / scale], scale);
        h.get_by_label("10 of 10 events");
        // The details are below the table in a narrow window.
        let flag = h.get_by_label("Flag event E01").rect();
        click(&mut h, "Select event E01");
        let details = h.get_by_label("Event E01").rect();
        assert!(details.top() > flag.bottom(), "{details:?} {flag:?}");
        // Rows follow the font: twice the scale, the same layout in points.
        let row = h.get_by_label("Flag event E02").rect().top() - flag.top();
        assert!(row >= 18.0, "{row}");
        click(&mut h, "Flag event E01");
        assert!(h.state().flags.contains_key("E01"));
        for control in [
            "Search events",
            "User filter",
            "Patient filter",
            "Role filter",
            "Department filter",
            "Action filter",
            "From date",
            "To date",
            "Pick from date",
            "Pick to date",
            "After hours only",
            "Flagged only",
            "Sort by Flag",
        ] {
            h.get_by_label(control);
        }
    }
}
