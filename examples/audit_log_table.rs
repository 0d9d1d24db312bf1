//! The access-log table of the access-audit review alone in a window, over a synthetic log
//! (fictional names), to look at it: `cargo run --example audit_log_table`.
//!
//! Environment: `AUDIT_EVENTS` (default 2000) events; `AUDIT_ZOOM` (default 1.0) the text
//! scale; `AUDIT_WIDTH` and `AUDIT_HEIGHT` the window's size in points (default 1280×800);
//! `AUDIT_SELECT` an event index to select and scroll to; `AUDIT_VIEW` `user` or `patient`
//! for a summary view.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{NaiveDate, TimeDelta};
use ehr_sim::tasks::access_audit::{
    Action, AuditLog, Encounter, Event, Patient, Period, Policy, Role, Shift, User,
};
use ehr_sim::ui::AuditLogTable;

const GIVEN: [&str; 8] = ["Ann", "Bob", "Cara", "Dev", "Eli", "Fay", "Gus", "Hana"];
const SURNAMES: [&str; 8] = [
    "Smith", "Jones", "Brown", "Miller", "Wilson", "Moore", "Taylor", "Clark",
];
const ROLES: [Role; 5] = [
    Role::Nurse,
    Role::Physician,
    Role::Billing,
    Role::Coding,
    Role::Registration,
];
const DEPARTMENTS: [&str; 5] = [
    "Emergency",
    "Cardiology",
    "Patient accounts",
    "HIM coding",
    "Admitting",
];

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(default)
}

fn log_of(n: usize) -> AuditLog {
    let day = |d| NaiveDate::from_ymd_opt(2026, 3, d).unwrap_or_default();
    let users: Vec<User> = (0..40)
        .map(|k| User {
            id: format!("u{k:02}"),
            given_name: GIVEN[k % 8].into(),
            surname: SURNAMES[(k / 8 + k) % 8].into(),
            role: ROLES[k % 5],
            department: DEPARTMENTS[k % 5].into(),
            shift: (k % 4 != 3).then_some(Shift { start: 7, end: 19 }),
            terminated_on: None,
            address: None,
            family_of: Vec::new(),
        })
        .collect();
    let patients: Vec<Patient> = (0..400)
        .map(|k| Patient {
            id: format!("{:06}", 100_000 + k * 37),
            given_name: GIVEN[(k + 3) % 8].into(),
            surname: SURNAMES[(k * 5) % 8].into(),
            address: None,
            state: None,
            vip: k % 97 == 0,
            employee_user_id: (k % 131 == 0).then(|| format!("u{:02}", k % 40)),
            care_team: vec![format!("u{:02}", k % 40), format!("u{:02}", (k + 1) % 40)],
            encounters: vec![Encounter {
                admitted: day(1 + u32::try_from(k % 20).unwrap_or(0)),
                discharged: (k % 3 != 0).then(|| day(5 + u32::try_from(k % 20).unwrap_or(0))),
            }],
        })
        .collect();
    let start = day(1).and_hms_opt(0, 0, 0).unwrap_or_default();
    let len = i64::try_from(n.max(1)).unwrap_or(1);
    let events = (0..n)
        .map(|i| {
            let k = i64::try_from(i).unwrap_or(0);
            let step = (k * 7919) % len * (30 * 24 * 3600) / len;
            Event {
                id: format!("E{i:06}"),
                at: start + TimeDelta::seconds(step),
                user: format!("u{:02}", i % 40),
                patient: patients[(i * 7) % patients.len()].id.clone(),
                action: match i % 23 {
                    0 => Action::BreakTheGlass {
                        reason: (i % 2 == 0).then(|| "unresponsive patient in triage".into()),
                    },
                    1..=3 => Action::Print,
                    4 => Action::Export,
                    _ => Action::View,
                },
                count: (i % 23 == 4).then_some(1 + u32::try_from(i % 900).unwrap_or(0)),
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

struct Demo {
    table: AuditLogTable,
    log: AuditLog,
    flags: BTreeMap<String, BTreeSet<String>>,
    zoom: f32,
}

impl eframe::App for Demo {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        ui.ctx().set_zoom_factor(self.zoom);
        egui::CentralPanel::default().show(ui, |ui| {
            ui.heading("Access-log review (synthetic log — not real patients)");
            self.table.show(ui, &self.log, &mut self.flags);
        });
    }
}

fn main() -> eframe::Result<()> {
    let log = log_of(env_or("AUDIT_EVENTS", 2000));
    let mut table = AuditLogTable::new();
    let mut flags = BTreeMap::new();
    if let Ok(i) = std::env::var("AUDIT_SELECT").map(|v| v.trim().parse::<usize>()) {
        let i = i.unwrap_or(0);
        table.reveal(i);
        if let Some(e) = log.events.get(i) {
            flags.insert(
                e.id.clone(),
                BTreeSet::from(["time.outside_shift".to_string()]),
            );
        }
    }
    let view = std::env::var("AUDIT_VIEW").unwrap_or_default();
    if view == "user" {
        table.set_view(ehr_sim::ui::AuditLogView::ByUser);
    } else if view == "patient" {
        table.set_view(ehr_sim::ui::AuditLogView::ByPatient);
    }
    let size = [env_or("AUDIT_WIDTH", 1280.0), env_or("AUDIT_HEIGHT", 800.0)];
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("EHR Sim — access-log table")
            .with_inner_size(size),
        ..Default::default()
    };
    let zoom = env_or("AUDIT_ZOOM", 1.0);
    eframe::run_native(
        "audit_log_table",
        options,
        Box::new(move |_| {
            Ok(Box::new(Demo {
                table,
                log,
                flags,
                zoom,
            }))
        }),
    )
}
