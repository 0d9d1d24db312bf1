//! Frame CPU time of the access-log table (the access-audit review's widget) over logs of
//! 50,000 and 200,000 events, headless at 1280×800 (egui_kittest): a plain frame, a frame that
//! only scrolls, a frame in which the text filter changes (one character typed or erased), and
//! the frame after a click on a column heading re-sorts. Prints the median and p99 of each and
//! how many times the rows were recomputed during the plain and scrolling frames (it must be 0).
//!
//! Run with `cargo bench --bench audit_log_table` (release profile, default features).
//! Timings are printed, never asserted.

// A benchmark stops on a broken fixture.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

use chrono::{NaiveDate, TimeDelta};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use ehr_sim::tasks::access_audit::{
    Action, AuditLog, Event, Patient, Period, Policy, Role, Shift, User,
};
use ehr_sim::ui::AuditLogTable;

const FRAMES: usize = 60;

struct State {
    table: AuditLogTable,
    log: AuditLog,
    flags: BTreeMap<String, BTreeSet<String>>,
}

/// `n` events over March 2026 by 200 users on 5,000 patients, in a shuffled time order; a
/// print every tenth event, a break-the-glass with a reason every 97th.
fn log_of(n: u64) -> AuditLog {
    let day = |d| NaiveDate::from_ymd_opt(2026, 3, d).unwrap();
    let users = (0..200)
        .map(|k| User {
            id: format!("u{k:03}"),
            given_name: format!("Given{k:03}"),
            surname: format!("Surname{k:03}"),
            role: if k % 3 == 0 {
                Role::Nurse
            } else {
                Role::Clinician
            },
            department: format!("Department {}", k % 12),
            shift: Some(Shift { start: 7, end: 19 }),
            terminated_on: None,
            address: None,
            family_of: Vec::new(),
        })
        .collect();
    let patients = (0..5000)
        .map(|k| Patient {
            id: format!("MRN{k:05}"),
            given_name: format!("Pat{k:05}"),
            surname: "Doe".into(),
            address: None,
            state: None,
            vip: k % 500 == 0,
            employee_user_id: None,
            care_team: Vec::new(),
            encounters: Vec::new(),
        })
        .collect();
    let start = day(1).and_hms_opt(0, 0, 0).unwrap();
    let span = 30 * 24 * 3600;
    let events = (0..n)
        .map(|i| {
            let step = i64::try_from((i * 7919) % n).unwrap() * span / i64::try_from(n).unwrap();
            Event {
                id: format!("E{i:06}"),
                at: start + TimeDelta::seconds(step),
                user: format!("u{:03}", i % 200),
                patient: format!("MRN{:05}", (i * 31) % 5000),
                action: if i % 97 == 0 {
                    Action::BreakTheGlass {
                        reason: Some("emergency department consult".into()),
                    }
                } else if i % 10 == 0 {
                    Action::Print
                } else {
                    Action::View
                },
                count: None,
            }
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
        policy: Policy {
            own_record_forbidden: true,
            after_discharge_days: 30,
            bulk_export_threshold: 500,
        },
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let last = sorted.len().saturating_sub(1);
    let i = ((last as f64) * p).round() as usize;
    sorted.get(i.min(last)).copied().unwrap_or_default()
}

/// Times `FRAMES` frames, each after `between` (untimed); prints median and p99.
fn measure(
    name: &str,
    h: &mut Harness<'static, State>,
    mut between: impl FnMut(&mut Harness<'static, State>, usize),
) {
    let mut times = Vec::with_capacity(FRAMES);
    for i in 0..FRAMES {
        between(h, i);
        let t = Instant::now();
        h.step();
        times.push(t.elapsed());
    }
    times.sort();
    println!(
        "{name:<46} median {:>8.3} ms   p99 {:>8.3} ms   ({FRAMES} frames)",
        percentile(&times, 0.5).as_secs_f64() * 1e3,
        percentile(&times, 0.99).as_secs_f64() * 1e3,
    );
}

fn top_row(h: &Harness<'static, State>) -> String {
    h.query_all_by_label_contains("Select event ")
        .min_by(|a, b| a.rect().top().total_cmp(&b.rect().top()))
        .and_then(|n| n.accesskit_node().label())
        .unwrap_or_default()
}

fn bench(n: u64) {
    let t = Instant::now();
    let log = log_of(n);
    let built = t.elapsed();
    let state = State {
        table: AuditLogTable::new(),
        log,
        flags: BTreeMap::new(),
    };
    // Building the harness draws the first frame.
    let t = Instant::now();
    let mut h = Harness::builder()
        .with_size([1280.0, 800.0])
        .build_ui_state(
            |ui, s: &mut State| {
                s.table.show(ui, &s.log, &mut s.flags);
            },
            state,
        );
    println!(
        "{n} events: log built in {:.1} ms; first frame (index, filter, sort) {:.1} ms",
        built.as_secs_f64() * 1e3,
        t.elapsed().as_secs_f64() * 1e3
    );
    for _ in 0..5 {
        h.step();
    }
    let before = h.state().table.recomputes();
    measure(&format!("{n} events: plain frame"), &mut h, |_, _| {});
    measure(&format!("{n} events: scrolling frame"), &mut h, |h, _| {
        let top = top_row(h);
        h.get_by_label(&top).scroll_down();
    });
    let after = h.state().table.recomputes();
    println!(
        "{n} events: rows recomputed during plain and scrolling frames: {}",
        after - before
    );
    h.get_by_label("Search events").click();
    h.step();
    measure(
        &format!("{n} events: text filter changed"),
        &mut h,
        |h, i| {
            if i % 2 == 0 {
                h.event(egui::Event::Text("1".into()));
            } else {
                h.key_press(egui::Key::Backspace);
            }
        },
    );
    h.key_press(egui::Key::Escape);
    h.step();
    let columns = ["Sort by User", "Sort by Time"];
    measure(
        &format!("{n} events: frame after re-sorting"),
        &mut h,
        |h, i| {
            let label = columns[i % 2];
            h.get_by_label_contains(label).click();
            h.step();
        },
    );
    println!(
        "{n} events: rows recomputed in all: {}",
        h.state().table.recomputes()
    );
}

fn main() {
    bench(50_000);
    bench(200_000);
}
