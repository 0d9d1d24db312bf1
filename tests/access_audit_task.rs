//! The access-audit review task kind: the five shipped scenarios graded with their key and a
//! blank, determinism by seed, the generator and the engine agreeing on every planted access,
//! exact severity-weighted figures on a hand-made log, the rubric's weights against the engine,
//! the spec checks and the answer checks.

use std::collections::BTreeSet;
use std::path::Path;

use ehr_sim::case::{Case, generate};
use ehr_sim::grading::{CriterionKind, GradeReport};
use ehr_sim::library::ContentRoot;
use ehr_sim::tasks::access_audit::generate::{CasePatient, generate as generate_log};
use ehr_sim::tasks::access_audit::spec::{AccessAuditSpec, PlantKind, problems};
use ehr_sim::tasks::access_audit::task::key;
use ehr_sim::tasks::access_audit::{AccessAuditMaterial, AuditLog, Rule, review};
use ehr_sim::tasks::{TaskContext, TaskMaterial, TaskSpec};
use serde_json::{Value, json};

const SCENARIOS: [&str; 5] = [
    "small_clinic",
    "community_hospital",
    "ed_break_the_glass",
    "terminated_bulk_export",
    "hospital_50k",
];

fn case(id: &str, seed: u64) -> Case {
    generate(&crate::shipped(id), seed, 0)
}

fn material(c: &Case) -> &AccessAuditMaterial {
    let TaskMaterial::AccessAudit(m) = &c.task else {
        panic!("access-audit material");
    };
    m
}

fn rubric() -> ehr_sim::grading::Rubric {
    let root = ContentRoot::at(env!("CARGO_MANIFEST_DIR"));
    ehr_sim::library::load_rubric_file(
        &root
            .grading_dir()
            .join("access_audit/access_audit_review.ron"),
        &ehr_sim::tasks::schemas(),
    )
    .expect("rubric")
}

fn grade(key: &Value, answer: &Value) -> GradeReport {
    ehr_sim::grading::grade(&rubric(), key, answer, &Default::default())
}

fn spec_of(id: &str) -> AccessAuditSpec {
    let TaskSpec::AccessAudit(spec) = &crate::shipped(id).scenario.task else {
        panic!("{id}: an access-audit scenario");
    };
    spec.clone()
}

fn case_patient() -> CasePatient {
    CasePatient {
        mrn: "10000001".to_owned(),
        given_name: "Rosa".to_owned(),
        surname: "Lindqvist".to_owned(),
        address: "12 Harbor View, Springfield".to_owned(),
        state: "OH".to_owned(),
    }
}

#[test]
fn access_audit_task_the_key_earns_full_marks_and_a_blank_at_most_a_fifth() {
    for id in SCENARIOS {
        let seeds: &[u64] = if id == "hospital_50k" {
            &[0, 1, 2, 3, 4]
        } else {
            &[0, 1, 2, 7, 11]
        };
        for &seed in seeds {
            let c = case(id, seed);
            let key = c.key();
            let ron = c.answer_to_ron(&key).expect("ron");
            let answer = c
                .parse_submission(Path::new("key.ron"), &ron)
                .expect("the key reads back");
            let report = grade(&key, &answer);
            assert!(
                (report.percent - 100.0).abs() < 1e-9,
                "{id} seed {seed}: {report}"
            );
            let blank = c.answer_to_ron(&c.blank()).expect("ron");
            let blank = c
                .parse_submission(Path::new("blank.ron"), &blank)
                .expect("the blank reads back");
            let report = grade(&key, &blank);
            assert_eq!(
                report.max, 19.0,
                "{id} seed {seed}: every criterion is graded"
            );
            assert!(report.percent <= 20.0, "{id} seed {seed}: {report}");
            assert!(!report.passed);
        }
    }
}

#[test]
fn access_audit_task_the_same_seed_gives_the_same_log_and_other_seeds_other_logs() {
    let a = case("small_clinic", 5);
    let b = case("small_clinic", 5);
    assert_eq!(a.task, b.task);
    assert_eq!(a.key(), b.key());
    let mut logs = BTreeSet::new();
    for seed in 0..6 {
        let c = case("small_clinic", seed);
        let m = material(&c);
        // The case's patient is one of the log's patients, under its MRN and name.
        let d = &c.patient.demographics;
        let p = m
            .log
            .patients
            .iter()
            .find(|p| p.id == d.mrn)
            .expect("the case's patient is in the log");
        assert_eq!((&p.given_name, &p.surname), (&d.given_name, &d.family_name));
        assert_eq!(m.patient, d.mrn);
        // 300 legitimate events and 3 to 5 planted ones.
        let n = m.log.events.len();
        assert!((303..=305).contains(&n), "seed {seed}: {n} events");
        logs.insert(serde_json::to_string(&m.log.events).expect("json"));
    }
    assert_eq!(logs.len(), 6, "six seeds, six different logs");
}

/// A spec with every kind of plant, small enough to generate many times.
fn every_kind() -> AccessAuditSpec {
    let mut spec = spec_of("hospital_50k");
    spec.events = 1500;
    spec.patients = 400;
    spec.tasks = 300;
    spec.emergency_overrides = 40;
    for g in &mut spec.staff {
        g.count = g.count.div_ceil(10);
    }
    spec
}

/// The rules a planted access of each kind breaks, in the engine's order.
fn planted_rules(kind: PlantKind) -> Vec<&'static str> {
    match kind {
        PlantKind::Coworker => vec!["access.no_relationship", "relation.coworker"],
        PlantKind::Family => vec!["access.no_relationship", "relation.family"],
        PlantKind::SameSurname => vec!["access.no_relationship", "relation.same_surname"],
        PlantKind::SameAddress => vec!["access.no_relationship", "relation.same_address"],
        PlantKind::Vip => vec!["access.no_relationship", "relation.vip"],
        PlantKind::OwnRecord => vec!["policy.own_record"],
        PlantKind::NoRelationship => vec!["access.no_relationship"],
        PlantKind::AfterDischarge => vec!["access.after_discharge"],
        PlantKind::BtgNoReason => vec!["btg.no_reason"],
        PlantKind::BulkExport => vec!["export.bulk"],
        PlantKind::OutsideShift => vec!["time.outside_shift"],
        PlantKind::Terminated => vec!["account.terminated", "access.no_relationship"],
    }
}

fn check_plants(label: &str, spec: &AccessAuditSpec, seed: u64) -> BTreeSet<PlantKind> {
    let as_of = chrono::NaiveDate::from_ymd_opt(2026, 3, 16).expect("date");
    let g = generate_log("plants", spec, as_of, &case_patient(), seed);
    let text = serde_json::to_string(&g.log).expect("json");
    let log = AuditLog::from_json(&text).expect("the generated log parses and checks");
    let r = review(&log);
    let flagged: Vec<(&str, Vec<&str>)> = r
        .events
        .iter()
        .filter(|e| !e.appropriate)
        .map(|e| (e.id.as_str(), e.rules.iter().map(|x| x.id()).collect()))
        .collect();
    let planted: Vec<(&str, Vec<&str>)> = g
        .planted
        .iter()
        .map(|p| (p.event.as_str(), planted_rules(p.kind)))
        .collect();
    assert_eq!(flagged, planted, "{label} seed {seed}");
    for p in &g.planted {
        let e = r.events.iter().find(|e| e.id == p.event).expect("event");
        assert!(e.rules.contains(&p.kind.rule()), "{label} {p:?}");
    }
    g.planted.iter().map(|p| p.kind).collect()
}

#[test]
fn access_audit_task_the_planted_accesses_are_exactly_the_flagged_ones() {
    let spec = every_kind();
    let ctx_spec = crate::shipped("hospital_50k");
    let ctx = TaskContext {
        scenario_id: "plants",
        as_of: ctx_spec.scenario.as_of,
        patient: &ctx_spec.scenario.patient,
    };
    assert_eq!(problems(&ctx, &spec), Vec::new());
    let mut kinds = BTreeSet::new();
    for seed in 0..8 {
        kinds.extend(check_plants("every kind", &spec, seed));
    }
    assert_eq!(
        kinds,
        PlantKind::ALL.into_iter().collect(),
        "every kind planted"
    );
    for id in SCENARIOS.iter().filter(|id| **id != "hospital_50k") {
        for seed in 0..3 {
            check_plants(id, &spec_of(id), seed);
        }
    }
}

/// A hand-made log: a terminated nurse's look (Critical, 4), a night nurse at noon (Low, 1), a
/// coder's own record (Medium, 2) and a registration clerk's look at a stranger (High, 3).
const LOG: &str = r#"(
    period: (start: "2026-03-01", end: "2026-03-31"),
    discovered: "2026-03-15",
    users: [
        (id: "u_gone", given_name: "Vera", surname: "Ostrowski", role: Nurse, department: "Medicine",
         shift: (start: 7, end: 19), terminated_on: "2026-03-10"),
        (id: "u_night", given_name: "Wes", surname: "Abernethy", role: Nurse, department: "Medicine",
         shift: (start: 19, end: 7)),
        (id: "u_emp", given_name: "Xia", surname: "Pellegrini", role: Coding, department: "HIM",
         shift: (start: 8, end: 16)),
        (id: "u_desk", given_name: "Omar", surname: "Quist", role: Registration, department: "Admitting",
         shift: (start: 7, end: 19)),
    ],
    patients: [
        (id: "p1", given_name: "Yusuf", surname: "Brennan", care_team: ["u_gone", "u_night"],
         encounters: [(admitted: "2026-03-01")]),
        (id: "p_emp", given_name: "Xia", surname: "Pellegrini", employee_user_id: "u_emp"),
        (id: "p2", given_name: "Lena", surname: "Marsh", encounters: [(admitted: "2026-03-02")]),
    ],
    events: [
        (id: "T1", at: "2026-03-05T10:00:00", user: "u_gone", patient: "p1", action: View),
        (id: "T2", at: "2026-03-12T10:00:00", user: "u_gone", patient: "p1", action: View),
        (id: "T3", at: "2026-03-06T12:00:00", user: "u_night", patient: "p1", action: View),
        (id: "T4", at: "2026-03-06T23:00:00", user: "u_night", patient: "p1", action: View),
        (id: "T5", at: "2026-03-07T10:00:00", user: "u_emp", patient: "p_emp", action: View),
        (id: "S1", at: "2026-03-08T09:00:00", user: "u_desk", patient: "p2", action: View),
    ],
    policy: (own_record_forbidden: true, after_discharge_days: 7, bulk_export_threshold: 50),
)"#;

#[test]
fn access_audit_task_a_missed_high_and_a_false_alarm_cost_their_weights() {
    let log = AuditLog::parse(LOG).expect("log");
    let k = ehr_sim::tasks::to_value(&key(&log, &review(&log)));
    assert_eq!(
        k["flags"],
        json!([
            {"event": "T2", "rules": ["account.terminated"]},
            {"event": "T3", "rules": ["time.outside_shift"]},
            {"event": "T5", "rules": ["policy.own_record"]},
            {"event": "S1", "rules": ["access.no_relationship"]},
        ])
    );
    assert_eq!(
        k["patients"],
        json!([{"patient": "p1", "breach": "presumed"}, {"patient": "p2", "breach": "presumed"}])
    );
    assert_eq!(k["notify_individuals_by"], json!("2026-05-14"));
    assert_eq!(k["notify_hhs"], json!("annual_log"));
    assert_eq!(k["notify_media"], json!(false));
    // Miss S1 (High, 3) and flag the appropriate T4 as a VIP look (High, 3: costs 1.5).
    let mut answer = k.clone();
    answer["flags"] = json!([
        {"event": "T2", "rules": ["account.terminated"]},
        {"event": "T3", "rules": ["time.outside_shift"]},
        {"event": "T4", "rules": ["relation.vip"]},
        {"event": "T5", "rules": ["policy.own_record"]},
    ]);
    let report = grade(&k, &answer);
    let flags = report
        .criteria
        .iter()
        .find(|c| c.id == "flags")
        .expect("flags criterion");
    // Found 4 + 1 + 2 = 7 of 10; credit 7 ÷ (10 + 0.5 × 3) = 0.6087 of 10 points.
    assert!(
        (flags.points - 70.0 / 11.5).abs() < 1e-9,
        "{}",
        flags.points
    );
    assert!((report.score - (9.0 + 70.0 / 11.5)).abs() < 1e-9);
    assert_eq!(
        flags.details,
        vec![
            "3 of 4 flagged event(s) found, 1 missed, 1 false alarm(s); weighted recall 70%, \
             weighted precision 70%; credit 7 ÷ (10 + 0.5 × 3) = 60.87%",
            "missed S1: access.no_relationship (45 CFR 164.502(a); 164.506(c); 164.514(d)(2)) \
             (weight 3)",
            "false alarm T4: flagged for relation.vip (45 CFR 164.502(a); 164.308(a)(1)(ii)(D)), \
             but it breaks no rule (weight 3, costs 1.5)",
        ]
    );
    // Missing a Low one instead costs a third as much.
    answer["flags"] = json!([
        {"event": "T2", "rules": ["account.terminated"]},
        {"event": "T5", "rules": ["policy.own_record"]},
        {"event": "S1", "rules": ["access.no_relationship"]},
    ]);
    let low = grade(&k, &answer);
    assert!((low.score - 18.0).abs() < 1e-9, "{low}");
}

#[test]
fn access_audit_task_the_rubric_weighs_each_rule_by_its_severity_and_cites_its_reference() {
    let rubric = rubric();
    let CriterionKind::FlagSet {
        weights,
        false_alarm_cost,
        ..
    } = &rubric.criteria[0].kind
    else {
        panic!("the first criterion is the flag set");
    };
    assert_eq!(*false_alarm_cost, 0.5);
    let table: Vec<(&str, f64, &str)> = weights
        .iter()
        .map(|w| (w.label.as_str(), w.weight, w.reference.as_str()))
        .collect();
    let engine: Vec<(&str, f64, &str)> = Rule::ALL
        .iter()
        .map(|r| (r.id(), f64::from(r.severity().weight()), r.reference()))
        .collect();
    assert_eq!(table, engine);
}

#[test]
fn access_audit_task_impossible_specs_are_reported_with_their_item() {
    let loaded = crate::shipped("small_clinic");
    let ctx = TaskContext {
        scenario_id: "small_clinic",
        as_of: loaded.scenario.as_of,
        patient: &loaded.scenario.patient,
    };
    let mut spec = spec_of("small_clinic");
    spec.period_days = 0;
    spec.events = 250_000;
    spec.plants.no_relationship = (30, 30);
    spec.plants.own_record = (1, 2);
    spec.policy.own_record_forbidden = false;
    spec.plants.vip = (3, 1);
    let found: Vec<(String, String)> = problems(&ctx, &spec)
        .into_iter()
        .map(|p| (p.item, p.message))
        .collect();
    // Plants: 30 + 3 (the larger end of the reversed range) + 1 + 1 + 2 = 37.
    let expected = [
        ("task.period_days", "a 0-day period holds no events"),
        ("task.events", "up to 250037 events is more than 200000"),
        ("task.plants.vip", "(3, 1) is reversed"),
        ("task.plants", "up to 37 planted accesses but only 15 staff"),
        (
            "task.plants.own_record",
            "the policy allows staff to open their own record: nothing to flag",
        ),
    ];
    assert_eq!(
        found,
        expected
            .iter()
            .map(|(i, m)| ((*i).to_owned(), (*m).to_owned()))
            .collect::<Vec<_>>()
    );
}

#[test]
fn access_audit_task_answers_naming_what_the_log_does_not_hold_are_refused() {
    let c = case("small_clinic", 1);
    let first = material(&c).log.events[0].id.clone();
    for (text, item, message) in [
        (
            "(users: [(user: \"U99999\", sanction: true)])".to_owned(),
            "users[0].user",
            "user \"U99999\" is not in the log",
        ),
        (
            format!("(flags: [(event: \"{first}\", rules: [\"relation.neighbour\"])])"),
            "flags[0].rules[0]",
            "\"relation.neighbour\" is not a rule id",
        ),
        (
            "(flags: [(event: \"E999999\", rules: [\"relation.vip\"])])".to_owned(),
            "flags[0].event",
            "event \"E999999\" is not in the log",
        ),
        (
            format!("(flags: [(event: \"{first}\", rules: []), (event: \"{first}\", rules: [])])"),
            "flags[1].event",
            &format!("event \"{first}\" is flagged twice"),
        ),
        (
            "(notify_hhs: \"tomorrow\")".to_owned(),
            "notify_hhs",
            "\"tomorrow\" is not an HHS notice",
        ),
    ] {
        let err = c
            .parse_submission(Path::new("answer.ron"), &text)
            .expect_err(&text);
        assert_eq!(err.item_path(), item, "{text}");
        assert_eq!(err.message, message, "{text}");
        assert!(err.hint.is_some(), "{text}");
    }
    let err = c
        .parse_submission(
            Path::new("answer.ron"),
            "(flags: [(event: \"E1\", rule: [])])",
        )
        .expect_err("unknown field");
    assert!(err.message.contains("rule"), "{}", err.message);
}
