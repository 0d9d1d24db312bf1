//! The release-of-information task kind: the ten shipped scenarios against the engine's
//! decisions on the ten worked requests (`tests/fixtures/roi/`), determinism by seed, grading
//! the key and a blank, the cost of an impermissible release, the printout and the spec checks.

use std::path::Path;

use ehr_sim::case::{Case, generate};
use ehr_sim::grading::GradeReport;
use ehr_sim::patient::spec::{AgeSpec, PatientSpec};
use ehr_sim::tasks::roi::task::{action_id, basis_id, section_id};
use ehr_sim::tasks::roi::{Expiration, Request, RoiMaterial, decide, spec};
use ehr_sim::tasks::{TaskContext, TaskMaterial, TaskSpec};
use serde_json::{Value, json};

/// (scenario id, fixture file) of the ten worked requests.
const SCENARIOS: [(&str, &str); 10] = [
    (
        "attorney_psychotherapy_notes",
        "01_attorney_psychotherapy_notes.ron",
    ),
    ("attorney_subpoena", "02_attorney_subpoena.ron"),
    ("noncustodial_parent", "03_noncustodial_parent.ron"),
    (
        "parent_minor_consented_care",
        "04_parent_minor_consented_care.ron",
    ),
    ("police_without_warrant", "05_police_without_warrant.ron"),
    ("executor_decedent", "06_executor.ron"),
    ("patient_electronic_copy", "07_patient_electronic_copy.ron"),
    (
        "life_insurer_no_expiration",
        "08_life_insurer_no_expiration.ron",
    ),
    ("subpoena_part2_records", "09_subpoena_part2_records.ron"),
    ("public_health_report", "10_public_health_report.ron"),
];

fn fixture(name: &str) -> Request {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/roi")
        .join(name);
    let text = std::fs::read_to_string(path).expect("fixture");
    Request::parse(&text).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn case(id: &str, seed: u64) -> Case {
    generate(&crate::shipped(id), seed, 0)
}

fn material(c: &Case) -> &RoiMaterial {
    let TaskMaterial::Roi(m) = &c.task else {
        panic!("release-of-information material");
    };
    m
}

fn grade(id: &str, key: &Value, answer: &Value) -> GradeReport {
    crate::grade_shipped(id, key, answer)
}

#[test]
fn roi_task_keys_are_the_engines_decisions_on_the_worked_requests() {
    for (id, file) in SCENARIOS {
        let worked = fixture(file);
        let expected: Vec<Value> = decide(&worked)
            .sections
            .iter()
            .map(|s| {
                let (action, ask_for) = action_id(&s.action).unzip();
                let basis = basis_id(s.basis);
                assert!(
                    basis.is_some(),
                    "{file}: the basis {:?} has an answer id",
                    s.basis
                );
                json!({
                    "section": section_id(s.section),
                    "action": action,
                    "ask_for": ask_for.flatten(),
                    "basis": action.and(basis),
                })
            })
            .collect();
        for seed in [0, 1, 9] {
            let c = case(id, seed);
            let m = material(&c);
            let r = &m.request;
            assert_eq!(r.requester, worked.requester, "{id} seed {seed}");
            assert_eq!(r.sections, worked.sections, "{id} seed {seed}");
            assert_eq!(r.evidence, worked.evidence, "{id} seed {seed}");
            // The worked request's dates moved to this case's receipt day.
            let birth = r.patient.birth_date.expect("birth date");
            assert_eq!(birth, c.patient.demographics.birth_date);
            let moved = spec::fill(&worked, r.received, birth);
            assert_eq!(r.authorization, moved.authorization, "{id} seed {seed}");
            assert_eq!(r.part2_consent, moved.part2_consent, "{id} seed {seed}");
            assert_eq!(r.patient.died, moved.patient.died, "{id} seed {seed}");
            assert_eq!(
                c.key()["sections"],
                Value::Array(expected.clone()),
                "{id} seed {seed}"
            );
        }
    }
}

/// Worked request 4 in a scenario that states the state's rule: the section the worked
/// request leaves open (not graded) is decided by that rule, and graded.
#[test]
fn roi_task_a_stated_state_rule_decides_care_the_minor_consented_to() {
    let open = case("parent_minor_consented_care", 3);
    assert_eq!(open.key()["sections"][0]["action"], Value::Null);
    let mut worked = fixture("04_parent_minor_consented_care.ron");
    worked.settings.parent_access_to_minor_consented_care =
        Some(ehr_sim::tasks::roi::StateRule::Prohibits);
    let decided = decide(&worked);
    let (action, _) = action_id(&decided.sections[0].action).unzip();
    assert_eq!(action, Some("deny"));
    for seed in [0, 3, 8] {
        let c = case("parent_minor_consented_care_state_rule", seed);
        assert_eq!(
            c.key()["sections"][0]["action"],
            json!("deny"),
            "seed {seed}"
        );
        let key = c.key();
        let full = grade("parent_minor_consented_care_state_rule", &key, &key);
        assert!(full.max > 2.0, "the section is graded: {}", full.max);
        assert!((full.score - full.max).abs() < 1e-9);
    }
}

#[test]
fn roi_task_the_same_seed_gives_the_same_case_and_other_seeds_other_cases() {
    let id = "attorney_psychotherapy_notes";
    let a = case(id, 5);
    let b = case(id, 5);
    assert_eq!(a.task, b.task);
    assert_eq!(a.key(), b.key());
    assert_eq!(a.patient.demographics, b.patient.demographics);
    let as_of = crate::shipped(id).scenario.as_of;
    let mut received = std::collections::BTreeSet::new();
    let mut names = std::collections::BTreeSet::new();
    for seed in 0..12 {
        let c = case(id, seed);
        let m = material(&c);
        let before = (as_of - m.request.received).num_days();
        assert!((1..=14).contains(&before), "seed {seed}: {before} days");
        // The authorization keeps its place: signed 10 days before receipt, expiring 304
        // days after it (2026-02-20, 2026-03-02, 2026-12-31 in the worked request).
        let auth = m.request.authorization.as_ref().expect("authorization");
        let signed = auth.signed.expect("signed");
        assert_eq!((m.request.received - signed).num_days(), 10);
        let Some(Expiration::Date(expires)) = auth.expires else {
            panic!("an expiration date");
        };
        assert_eq!((expires - m.request.received).num_days(), 304);
        received.insert(m.request.received);
        names.insert(m.patient_name.clone());
    }
    assert!(received.len() > 3, "{received:?}");
    assert!(names.len() > 6, "{names:?}");
}

#[test]
fn roi_task_the_key_earns_full_marks_and_a_blank_nothing() {
    for (id, _) in SCENARIOS {
        for seed in [0, 2, 11] {
            let c = case(id, seed);
            let key = c.key();
            let ron = c.answer_to_ron(&key).expect("ron");
            let answer = c
                .parse_submission(Path::new("key.ron"), &ron)
                .expect("the key reads back");
            let report = grade(id, &key, &answer);
            assert!(
                (report.percent - 100.0).abs() < 1e-9,
                "{id} seed {seed}: {report}"
            );
            let blank = c.answer_to_ron(&c.blank()).expect("ron");
            let blank = c
                .parse_submission(Path::new("blank.ron"), &blank)
                .expect("the blank reads back");
            let report = grade(id, &key, &blank);
            assert!(report.max > 0.0, "{id}: something is graded");
            assert_eq!(report.score, 0.0, "{id} seed {seed}: {report}");
            assert!(!report.passed);
        }
    }
}

#[test]
fn roi_task_releasing_what_the_key_denies_costs_more_than_denying_what_it_releases() {
    let id = "attorney_psychotherapy_notes";
    let c = case(id, 3);
    let key = c.key();
    assert_eq!(key["sections"][0]["action"], json!("release"));
    assert_eq!(key["sections"][3]["action"], json!("deny"));
    let full = grade(id, &key, &key);
    let mut released = key.clone();
    released["sections"][3]["action"] = json!("release");
    let mut denied = key.clone();
    denied["sections"][0]["action"] = json!("deny");
    let released = grade(id, &key, &released);
    let denied = grade(id, &key, &denied);
    // An impermissible release loses the action's 4 points; over-denying loses half of them.
    assert_eq!(full.score - released.score, 4.0);
    assert_eq!(full.score - denied.score, 2.0);
    assert!(released.score < denied.score);
    // Releasing in part: half of the action's points where the key releases in full (too
    // little goes out), none where it denies (part of what must be denied goes out).
    let in_part = |section: usize| {
        let mut a = key.clone();
        a["sections"][section]["action"] = json!("release_in_part");
        full.score - grade(id, &key, &a).score
    };
    assert_eq!((in_part(0), in_part(3)), (2.0, 4.0));
}

#[test]
fn roi_task_the_printout_shows_the_form_with_its_blanks_and_not_the_key() {
    let c = case("life_insurer_no_expiration", 4);
    let m = material(&c);
    let text = m.printout();
    assert!(text.contains(&m.request.received.to_string()), "{text}");
    assert!(text.contains(&m.patient_name), "{text}");
    assert!(text.contains("life insurance underwriting"), "{text}");
    let expiration = text
        .lines()
        .find(|l| l.contains("Expires on (date or event):"))
        .expect("the expiration line is printed");
    assert!(expiration.trim_end().ends_with("________________________"));
    let signed = m
        .request
        .authorization
        .as_ref()
        .and_then(|a| a.signed)
        .expect("signed");
    assert!(text.contains(&signed.to_string()), "{text}");
    for word in ["missing", "return", "correction", "invalid", "164.508"] {
        assert!(!text.to_lowercase().contains(word), "`{word}` in\n{text}");
    }
}

#[test]
fn roi_task_spec_problems_name_the_item_and_the_fix() {
    let loaded = crate::shipped("noncustodial_parent");
    let TaskSpec::Roi(spec) = &loaded.scenario.task else {
        panic!("roi spec");
    };
    let mut patient = loaded.scenario.patient.clone();
    let as_of = loaded.scenario.as_of;
    let ctx = |p: &PatientSpec| -> Vec<String> {
        let ctx = TaskContext {
            scenario_id: "noncustodial_parent",
            as_of,
            patient: p,
        };
        spec::problems(&ctx, spec)
            .into_iter()
            .map(|p| format!("{}: {}", p.item, p.message))
            .collect()
    };
    assert_eq!(ctx(&patient), Vec::<String>::new());
    // A parent's request for an adult.
    patient.age = AgeSpec::Years(30, 40);
    let problems = ctx(&patient);
    assert!(
        problems
            .iter()
            .any(|p| p.starts_with("patient.age: a parent's request needs a minor")),
        "{problems:?}"
    );
    // An age range across the age of majority.
    patient.age = AgeSpec::Years(15, 19);
    let problems = ctx(&patient);
    assert!(
        problems
            .iter()
            .any(|p| p.starts_with("patient.age: the request is decided differently")),
        "{problems:?}"
    );
    // The template names the patient's age, and its days run backwards.
    patient.age = AgeSpec::Years(8, 12);
    let mut bad = spec.clone();
    bad.request.patient.age = Some(9);
    bad.received_days_before_as_of = (9, 2);
    let ctx = TaskContext {
        scenario_id: "noncustodial_parent",
        as_of,
        patient: &patient,
    };
    let items: Vec<String> = spec::problems(&ctx, &bad)
        .into_iter()
        .map(|p| p.item)
        .collect();
    assert_eq!(
        items,
        [
            "task.received_days_before_as_of",
            "task.request.patient.age"
        ]
    );
    // A death after the request is named at its field.
    let mut dead = spec.clone();
    dead.request.patient.died = dead.request.received.succ_opt();
    let problems: Vec<(String, String)> = spec::problems(&ctx, &dead)
        .into_iter()
        .map(|p| (p.item, p.message))
        .collect();
    assert!(
        problems.contains(&(
            "task.request.patient.died".to_owned(),
            "patient.died is after the request date".to_owned()
        )),
        "{problems:?}"
    );
}

#[test]
fn roi_task_the_synthetic_grading_sample_parses_and_grades() {
    use ehr_sim::grading::RubricKind;
    let w = ehr_sim::grading::synthetic::workload(RubricKind::Roi, 5).expect("rubric parses");
    let grade =
        |answer: &Value| ehr_sim::grading::grade(&w.rubric, &w.key, answer, &Default::default());
    assert_eq!(grade(&w.key).percent, 100.0);
    // Submission 1 releases the denied section: it loses the section's 3 points, more than
    // submission 2, which asks for more instead (half of them).
    let released = grade(&w.submissions[1]);
    let held = grade(&w.submissions[2]);
    assert_eq!(w.submissions[1]["sections"][0]["action"], json!("release"));
    assert_eq!(w.submissions[2]["sections"][0]["action"], json!("ask_for"));
    assert!(released.score < held.score, "{released} / {held}");
}

/// The legal basis is its own point per section: the right action on the wrong rule loses that
/// point only, and the feedback names the rule the key rests on.
#[test]
fn roi_task_a_wrong_legal_basis_costs_its_own_point() {
    let id = "attorney_psychotherapy_notes";
    let c = case(id, 2);
    let key = c.key();
    assert_eq!(key["sections"][0]["basis"], json!("authorization_valid"));
    let mut answer = key.clone();
    answer["sections"][0]["basis"] = json!("access");
    let full = grade(id, &key, &key);
    let report = grade(id, &key, &answer);
    assert!(
        (full.score - report.score - 1.0).abs() < 1e-9,
        "{} vs {}",
        full.score,
        report.score
    );
    let basis = report
        .criteria
        .iter()
        .find(|c| c.id == "section1_basis")
        .expect("the basis criterion");
    assert_eq!(basis.points, 0.0);
    assert!(
        basis.feedback.contains("authorization_valid"),
        "{}",
        basis.feedback
    );
}
