//! The access-audit review engine on the fixture logs of `tests/fixtures/access_audit/` (one per
//! family of triggers plus a clean one), each rule's event ids, the breach-determination and
//! notification findings, a generated 50,000-event log, input errors with their item paths and
//! positions, and `ehr-sim key access-audit`'s output and exit codes.

use ehr_sim::ron_input::RonInputError;
use ehr_sim::tasks::access_audit::{
    Action, AuditLog, Basis, Encounter, Event, Patient, Period, Policy, Review, Role, Rule,
    Severity, Shift, TaskKind, User, review,
};

fn fixture_path(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/access_audit")
        .join(name)
}

fn fixture(name: &str) -> Review {
    let text = std::fs::read_to_string(fixture_path(name)).expect("fixture");
    review(&AuditLog::parse(&text).expect("parses"))
}

/// The flagged events with their rule ids, in the log's order.
fn flagged(r: &Review) -> Vec<(&str, Vec<&'static str>)> {
    r.events
        .iter()
        .filter(|e| !e.appropriate)
        .map(|e| {
            (
                e.id.as_str(),
                e.rules.iter().map(|rule| rule.id()).collect(),
            )
        })
        .collect()
}

/// The appropriate events with their basis.
fn appropriate(r: &Review) -> Vec<(&str, Option<Basis>)> {
    r.events
        .iter()
        .filter(|e| e.appropriate)
        .map(|e| (e.id.as_str(), e.basis))
        .collect()
}

/// The rule groups as (rule id, severity, events).
fn groups(r: &Review) -> Vec<(&'static str, Severity, Vec<&str>)> {
    r.by_rule
        .iter()
        .map(|g| {
            (
                g.rule.id(),
                g.severity,
                g.events.iter().map(String::as_str).collect(),
            )
        })
        .collect()
}

/// The findings of a patient as (rule, decided).
fn findings(r: &Review, patient: &str) -> Vec<(&'static str, bool)> {
    r.patients
        .iter()
        .find(|p| p.patient == patient)
        .unwrap_or_else(|| panic!("no breach section for {patient}"))
        .findings
        .iter()
        .map(|f| (f.rule, f.decided))
        .collect()
}

fn message<'a>(r: &'a Review, patient: &str, rule: &str) -> &'a str {
    &r.patients
        .iter()
        .find(|p| p.patient == patient)
        .expect("patient")
        .findings
        .iter()
        .find(|f| f.rule == rule)
        .expect("finding")
        .message
}

#[test]
fn access_audit_clean_log_flags_nothing_and_names_each_basis() {
    let r = fixture("01_clean.ron");
    assert_eq!((r.total, r.appropriate, r.flagged), (9, 9, 0));
    assert_eq!(
        appropriate(&r),
        vec![
            ("E1", Some(Basis::CareTeam)),
            ("E2", Some(Basis::CareTeam)),
            ("E3", Some(Basis::Task(TaskKind::Coding))),
            ("E4", Some(Basis::Task(TaskKind::Billing))),
            ("E5", Some(Basis::Task(TaskKind::Quality))),
            ("E6", Some(Basis::Task(TaskKind::RoiRequest))),
            ("E7", Some(Basis::Task(TaskKind::PrivacyReview))),
            ("E8", Some(Basis::CareTeam)),
            ("E9", Some(Basis::CareTeam)),
        ]
    );
    // The treating team's look at a VIP is noted, not flagged.
    let noted: Vec<(&str, &[Rule])> = r
        .events
        .iter()
        .filter(|e| !e.noted.is_empty())
        .map(|e| (e.id.as_str(), e.noted.as_slice()))
        .collect();
    let vip: &[Rule] = &[Rule::Vip];
    assert_eq!(
        noted,
        vec![
            ("E1", vip),
            ("E2", vip),
            ("E3", vip),
            ("E4", vip),
            ("E6", vip),
            ("E7", vip),
            ("E9", vip)
        ]
    );
    assert!(r.by_rule.is_empty() && r.patients.is_empty() && r.users.is_empty());
    let notes: Vec<(&str, bool)> = r.notification.iter().map(|f| (f.rule, f.decided)).collect();
    assert_eq!(notes, vec![("breach.none", true)]);
}

#[test]
fn access_audit_relationship_triggers_without_a_purpose_are_flagged() {
    let r = fixture("02_relationships.ron");
    assert_eq!(
        flagged(&r),
        vec![
            (
                "R1",
                vec!["access.no_relationship", "relation.same_surname"]
            ),
            (
                "R2",
                vec!["access.no_relationship", "relation.same_address"]
            ),
            ("R3", vec!["access.no_relationship", "relation.vip"]),
            ("R4", vec!["access.no_relationship", "relation.coworker"]),
            ("R5", vec!["access.no_relationship", "relation.family"]),
        ]
    );
    assert_eq!(
        appropriate(&r),
        vec![
            ("R6", Some(Basis::CareTeam)),
            ("R7", Some(Basis::OwnRecord))
        ]
    );
    assert_eq!(
        groups(&r),
        vec![
            (
                "access.no_relationship",
                Severity::High,
                vec!["R1", "R2", "R3", "R4", "R5"]
            ),
            ("relation.same_surname", Severity::High, vec!["R1"]),
            ("relation.same_address", Severity::High, vec!["R2"]),
            ("relation.vip", Severity::High, vec!["R3"]),
            ("relation.coworker", Severity::High, vec!["R4"]),
            ("relation.family", Severity::High, vec!["R5"]),
        ]
    );
    let patients: Vec<&str> = r.patients.iter().map(|p| p.patient.as_str()).collect();
    assert_eq!(patients, vec!["p_same", "p_addr", "p_vip", "p_co", "p_kid"]);
    assert_eq!(
        findings(&r, "p_vip"),
        vec![
            ("breach.impermissible_use", true),
            ("breach.unsecured", true),
            ("breach.presumed", true),
            ("breach.good_faith", false),
            ("breach.factor_nature", false),
            ("breach.factor_recipient", true),
            ("breach.factor_acquired", true),
            ("breach.factor_mitigation", false),
            ("breach.notify_individual", true),
        ]
    );
    assert!(message(&r, "p_vip", "breach.notify_individual").ends_with("by 2026-05-19"));
    assert_eq!(
        message(&r, "p_vip", "breach.factor_acquired"),
        "viewed only: no print or export"
    );
    let notes: Vec<(&str, bool, &str)> = r
        .notification
        .iter()
        .map(|f| (f.rule, f.decided, f.reference))
        .collect();
    assert_eq!(
        notes,
        vec![
            ("breach.notify_hhs", true, "45 CFR 164.408"),
            ("breach.notify_media", true, "45 CFR 164.406"),
        ]
    );
    assert!(r.notification[0].message.contains("5 patient(s)"));
    assert!(r.notification[0].message.ends_with("by 2027-03-01"));
}

#[test]
fn access_audit_no_relationship_and_after_discharge() {
    let r = fixture("03_no_relationship_after_discharge.ron");
    assert_eq!(
        flagged(&r),
        vec![
            ("D3", vec!["access.after_discharge"]),
            (
                "D5",
                vec!["access.no_relationship", "access.after_discharge"]
            ),
            ("D6", vec!["access.no_relationship"]),
            ("D7", vec!["access.no_relationship"]),
        ]
    );
    // D2 is the last day the policy allows after the discharge on 2026-03-05.
    assert_eq!(
        appropriate(&r),
        vec![
            ("D1", Some(Basis::CareTeam)),
            ("D2", Some(Basis::CareTeam)),
            ("D4", Some(Basis::Task(TaskKind::Coding))),
        ]
    );
    let p1 = &r.patients[0];
    assert_eq!(
        (p1.patient.as_str(), &p1.events[..]),
        ("p1", &["D3".to_owned(), "D5".to_owned()][..])
    );
    assert_eq!(p1.users, vec!["u_md", "u_cod"]);
    // No discovery date: the individual and HHS deadlines stay open.
    assert!(!findings(&r, "p2").contains(&("breach.notify_individual", true)));
    assert!(findings(&r, "p2").contains(&("breach.notify_individual", false)));
    assert!(!r.notification[0].decided);
}

#[test]
fn access_audit_break_the_glass_and_bulk_export() {
    let r = fixture("04_break_the_glass_bulk.json");
    assert_eq!(
        flagged(&r),
        vec![
            ("B2", vec!["access.no_relationship", "btg.no_reason"]),
            ("B3", vec!["access.no_relationship", "btg.no_reason"]),
            ("B5", vec!["export.bulk"]),
            ("B6", vec!["export.bulk"]),
            ("B7", vec!["access.no_relationship", "export.bulk"]),
        ]
    );
    assert_eq!(
        appropriate(&r),
        vec![
            ("B1", Some(Basis::BreakTheGlass)),
            ("B4", Some(Basis::Task(TaskKind::Billing))),
        ]
    );
    // A bulk export with a purpose keeps its basis; only the accesses without one count for
    // the breach.
    assert_eq!(r.events[4].basis, Some(Basis::Task(TaskKind::Billing)));
    assert_eq!(r.patients.len(), 1);
    assert_eq!(r.patients[0].events, vec!["B2", "B3", "B7"]);
    assert_eq!(
        message(&r, "p1", "breach.factor_acquired"),
        "acquired: printed or exported in B7"
    );
    let users: Vec<(&str, usize, Severity)> = r
        .users
        .iter()
        .map(|u| (u.user.as_str(), u.events, u.severity))
        .collect();
    assert_eq!(
        users,
        vec![
            ("u_ed", 3, Severity::High),
            ("u_bil", 1, Severity::Medium),
            ("u_rn", 1, Severity::Medium)
        ]
    );
}

#[test]
fn access_audit_terminated_account_shift_and_own_record() {
    let r = fixture("05_account_shift_own_record.ron");
    assert_eq!(
        flagged(&r),
        vec![
            ("T2", vec!["account.terminated"]),
            ("T3", vec!["time.outside_shift"]),
            ("T5", vec!["policy.own_record"]),
            ("T6", vec!["policy.own_record", "time.outside_shift"]),
        ]
    );
    assert_eq!(
        appropriate(&r),
        vec![("T1", Some(Basis::CareTeam)), ("T4", Some(Basis::CareTeam))]
    );
    let own = r
        .by_rule
        .iter()
        .find(|g| g.rule == Rule::OwnRecord)
        .expect("own record group");
    assert!(own.unverified);
    assert!(own.reference.contains("UNVERIFIED"));
    // Only the terminated account's access is impermissible; the own-record look is a policy
    // breach, not a disclosure.
    let patients: Vec<&str> = r.patients.iter().map(|p| p.patient.as_str()).collect();
    assert_eq!(patients, vec!["p1"]);
    assert!(findings(&r, "p1").contains(&("breach.good_faith", true)));
    let users: Vec<(&str, Vec<&str>, Severity)> = r
        .users
        .iter()
        .map(|u| {
            (
                u.user.as_str(),
                u.rules.iter().map(|rule| rule.id()).collect(),
                u.severity,
            )
        })
        .collect();
    assert_eq!(
        users,
        vec![
            ("u_gone", vec!["account.terminated"], Severity::Critical),
            ("u_night", vec!["time.outside_shift"], Severity::Low),
            (
                "u_emp",
                vec!["policy.own_record", "time.outside_shift"],
                Severity::Medium
            ),
        ]
    );
}

#[test]
fn access_audit_every_rule_has_an_id_severity_and_reference() {
    let mut ids: Vec<&str> = Rule::ALL.iter().map(|r| r.id()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), Rule::ALL.len());
    for rule in Rule::ALL {
        assert!(rule.reference().contains("45 CFR 164."), "{}", rule.id());
    }
    let weights: Vec<u8> = [
        Severity::Low,
        Severity::Medium,
        Severity::High,
        Severity::Critical,
    ]
    .iter()
    .map(|s| s.weight())
    .collect();
    assert_eq!(weights, vec![1, 2, 3, 4]);
}

/// A hospital log: 200 night-free day-shift nurses, 2,000 patients each treated by one nurse,
/// 50,000 views. Every fourth event is by the next nurse (not on the patient's team), every
/// 25th is at 22:00 (outside the shift); patient p0 is a VIP.
fn generated_log() -> AuditLog {
    let day = chrono::NaiveDate::from_ymd_opt(2026, 3, 1).expect("date");
    let users = (0..200)
        .map(|i| User {
            id: format!("u{i}"),
            given_name: format!("Given{i}"),
            surname: format!("Nurse{i}"),
            role: Role::Nurse,
            department: "Medicine".to_owned(),
            shift: Some(Shift { start: 7, end: 19 }),
            terminated_on: None,
            address: None,
            family_of: Vec::new(),
        })
        .collect();
    let patients = (0..2000)
        .map(|j| Patient {
            id: format!("p{j}"),
            given_name: format!("First{j}"),
            surname: format!("Patient{j}"),
            address: None,
            state: Some(if j % 2 == 0 { "OR" } else { "WA" }.to_owned()),
            vip: j == 0,
            employee_user_id: None,
            care_team: vec![format!("u{}", j % 200)],
            encounters: vec![Encounter {
                admitted: day,
                discharged: None,
            }],
        })
        .collect();
    let events = (0..50_000u32)
        .map(|i| {
            let j = i % 2000;
            let u = if i % 4 == 0 { (j + 1) % 200 } else { j % 200 };
            let hour = if i % 25 == 0 { 22 } else { 10 };
            Event {
                id: format!("e{i}"),
                at: (day + chrono::Duration::days(i64::from(i % 28)))
                    .and_hms_opt(hour, 0, 0)
                    .expect("time"),
                user: format!("u{u}"),
                patient: format!("p{j}"),
                action: Action::View,
                count: None,
            }
        })
        .collect();
    AuditLog {
        period: Period {
            start: day,
            end: chrono::NaiveDate::from_ymd_opt(2026, 3, 31).expect("date"),
        },
        discovered: chrono::NaiveDate::from_ymd_opt(2026, 4, 3),
        users,
        patients,
        tasks: Vec::new(),
        events,
        policy: Policy {
            own_record_forbidden: true,
            after_discharge_days: 7,
            bulk_export_threshold: 50,
        },
    }
}

#[test]
fn access_audit_reviews_a_50000_event_log_with_exact_counts() {
    let text = serde_json::to_string(&generated_log()).expect("json");
    let log = AuditLog::parse(&text).expect("parses");
    let r = review(&log);
    // Not on the team: i % 4 == 0 (12,500); outside the shift: i % 25 == 0 (2,000); both:
    // i % 100 == 0 (500).
    assert_eq!(
        (r.total, r.appropriate, r.flagged),
        (50_000, 36_000, 14_000)
    );
    let counts: Vec<(&str, usize)> = r
        .by_rule
        .iter()
        .map(|g| (g.rule.id(), g.events.len()))
        .collect();
    assert_eq!(
        counts,
        vec![
            ("access.no_relationship", 12_500),
            ("relation.vip", 25),
            ("time.outside_shift", 2_000),
        ]
    );
    // The patients opened without a purpose are the multiples of 4: 500, all in Oregon.
    assert_eq!(r.patients.len(), 500);
    assert_eq!(r.patients[1].patient, "p4");
    assert_eq!(r.patients[1].events.len(), 25);
    assert_eq!(r.users.len(), 54);
    let notes: Vec<(&str, bool)> = r.notification.iter().map(|f| (f.rule, f.decided)).collect();
    assert_eq!(
        notes,
        vec![("breach.notify_hhs", true), ("breach.notify_media", true)]
    );
    assert!(
        r.notification[0]
            .message
            .starts_with("500 patients presumed affected (500 or more)")
    );
    assert!(r.notification[1].message.starts_with("no media notice"));
}

fn invalid(text: &str) -> Vec<String> {
    match AuditLog::parse(text) {
        Err(RonInputError::Invalid(problems)) => problems,
        other => panic!("expected an invalid log, got {other:?}"),
    }
}

const HEADER: &str = "period: (start: \"2026-03-01\", end: \"2026-03-31\"), \
    users: [(id: \"u1\", given_name: \"A\", surname: \"B\", role: Nurse, department: \"D\")], \
    policy: (own_record_forbidden: true, after_discharge_days: 7, bulk_export_threshold: 50)";

#[test]
fn access_audit_inconsistent_logs_name_the_item_and_the_fix() {
    let problems = invalid(&format!(
        "({HEADER}, \
         patients: [(id: \"p1\", given_name: \"C\", surname: \"D\", care_team: [\"u7\"], \
                     encounters: [(admitted: \"2026-03-05\", discharged: \"2026-03-02\")]), \
                    (id: \"p1\", given_name: \"E\", surname: \"F\")], \
         tasks: [(user: \"u1\", patient: \"p9\", kind: Coding, from: \"2026-03-09\", to: \"2026-03-08\")], \
         events: [(id: \"E1\", at: \"2026-04-02T10:00:00\", user: \"u9\", patient: \"p1\", action: View), \
                  (id: \"E1\", at: \"2026-03-02T10:00:00\", user: \"u1\", patient: \"p1\", action: Print, count: 0)])"
    ));
    assert_eq!(
        problems,
        vec![
            "patients[1]: id \"p1\" is used twice: give each its own id",
            "patients[0] (id \"p1\").care_team[0]: user \"u7\" is not in users: add it or correct the id",
            "patients[0] (id \"p1\").encounters[0]: discharged 2026-03-02 is before admitted 2026-03-05",
            "tasks[0].patient: \"p9\" is not in patients: add the patient or correct the id",
            "tasks[0]: to 2026-03-08 is before from 2026-03-09: swap them",
            "events[0] (id \"E1\").user: \"u9\" is not in users: add the user or correct the id",
            "events[0] (id \"E1\").at 2026-04-02 10:00:00: outside the period 2026-03-01 to 2026-03-31: correct the time or the period",
            "events[1] (id \"E1\"): the id is used twice: give each event its own id",
            "events[1] (id \"E1\").count: use 1 or more (or leave it out)",
        ]
    );
    let settings = invalid(&format!(
        "({}, discovered: \"2999-01-01\", patients: [], events: [])",
        HEADER.replace("after_discharge_days: 7", "after_discharge_days: 4000")
    ));
    assert_eq!(
        settings,
        vec![
            "discovered 2999-01-01: use a date in 1900-2200",
            "policy.after_discharge_days 4000: use 0 to 3650",
        ]
    );
    let shift = invalid(&format!(
        "({}, patients: [], events: [])",
        HEADER.replace(
            "department: \"D\")",
            "department: \"D\", shift: (start: 24, end: 7))"
        )
    ));
    assert_eq!(
        shift,
        vec!["users[0] (id \"u1\").shift (24-7): use hours 0-23, start different from end"]
    );
}

#[test]
fn access_audit_syntax_errors_carry_line_and_column() {
    let ron = format!(
        "({HEADER},\n patients: [],\n events: [(id: \"E1\", at: \"2026-03-02T10:00:00\", user: \"u1\", patient: \"p1\", action: Peek)])"
    );
    match AuditLog::parse(&ron) {
        Err(RonInputError::Syntax { line, message, .. }) => {
            assert_eq!(line, 3);
            assert!(message.contains("Peek"), "{message}");
        }
        other => panic!("expected a syntax error, got {other:?}"),
    }
    match AuditLog::parse("{\n  \"period\": 3\n}") {
        Err(RonInputError::Syntax { line, column, .. }) => assert_eq!((line, column), (2, 13)),
        other => panic!("expected a syntax error, got {other:?}"),
    }
}

#[test]
fn access_audit_cli_prints_text_grouped_by_rule_and_json() {
    let out = crate::ehr_sim_command()
        .args(["key", "access-audit"])
        .arg(fixture_path("04_break_the_glass_bulk.json"))
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("events: 7 (2 appropriate, 5 flagged)\nflagged events by rule:\n"));
    assert!(text.contains(
        "  btg.no_reason [Medium] break-the-glass with no documented reason \
         (45 CFR 164.312(a)(2)(ii))\n    B2, B3\n"
    ));
    assert!(text.contains("  u_ed: 3 flagged event(s) [High]"));
    let clean = crate::ehr_sim_command()
        .args(["key", "access-audit"])
        .arg(fixture_path("01_clean.ron"))
        .output()
        .expect("runs");
    assert_eq!(
        String::from_utf8_lossy(&clean.stdout),
        "events: 9 (9 appropriate, 0 flagged)\n\
         flagged events by rule: none\n\
         breach determination by patient: none\n\
         sanction review by user: none\n\
         notification:\n    [decided] breach.none: no access without a permitted purpose: the \
         log calls for no breach assessment (45 CFR 164.402)\n"
    );
    let json = crate::ehr_sim_command()
        .args(["key", "access-audit", "--json"])
        .arg(fixture_path("05_account_shift_own_record.ron"))
        .output()
        .expect("runs");
    assert_eq!(json.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).expect("json");
    assert_eq!(v["total"], 6);
    assert_eq!(v["flagged"], 4);
    assert_eq!(v["events"][0]["id"], "T1");
    assert_eq!(v["events"][0]["basis"], "CareTeam");
    assert_eq!(v["events"][1]["rules"][0], "account.terminated");
    assert_eq!(v["by_rule"][0]["rule"], "account.terminated");
    assert_eq!(v["by_rule"][0]["severity"], "Critical");
    assert_eq!(v["by_rule"][0]["reference"], "45 CFR 164.308(a)(3)(ii)(C)");
    assert_eq!(v["by_rule"][0]["events"][0], "T2");
    assert_eq!(v["patients"][0]["patient"], "p1");
    assert_eq!(v["patients"][0]["findings"][3]["rule"], "breach.good_faith");
    assert_eq!(v["patients"][0]["findings"][3]["decided"], true);
    assert_eq!(v["users"][0]["severity"], "Critical");
    assert_eq!(v["notification"][0]["rule"], "breach.notify_hhs");
}

#[test]
fn access_audit_cli_exits_1_on_a_bad_or_missing_file() {
    let dir = std::env::temp_dir().join(format!("ehr-sim-access-audit-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let bad = dir.join("bad.ron");
    std::fs::write(
        &bad,
        "(\n  period: (start: \"2026-03-01\", end: \"2026-03-31\"),\n  users: 5,\n)",
    )
    .expect("write");
    let unknown = dir.join("unknown.ron");
    std::fs::write(
        &unknown,
        format!(
            "({HEADER}, patients: [(id: \"p1\", given_name: \"C\", surname: \"D\")], events: \
             [(id: \"E1\", at: \"2026-03-02T10:00:00\", user: \"u2\", patient: \"p1\", action: View)])"
        ),
    )
    .expect("write");
    let big = dir.join("big.json");
    std::fs::write(&big, " ".repeat(32 * 1024 * 1024 + 1)).expect("write");
    for (path, expected) in [
        (
            bad.clone(),
            format!("{}:3:9: Expected opening `[`", bad.display()),
        ),
        (
            unknown.clone(),
            format!(
                "{}: invalid access log:\n  - events[0] (id \"E1\").user: \"u2\" is not in users",
                unknown.display()
            ),
        ),
        (dir.join("missing.ron"), "cannot read".to_owned()),
        (
            big.clone(),
            "an access-log file is at most 33554432".to_owned(),
        ),
    ] {
        let out = crate::ehr_sim_command()
            .args(["key", "access-audit"])
            .arg(&path)
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(1), "{}", path.display());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(&expected), "{err}");
        assert!(out.stdout.is_empty());
    }
    std::fs::remove_dir_all(&dir).ok();
}
