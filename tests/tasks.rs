//! Task kinds end to end through the library: for every shipped scenario and seeds 0..20 the
//! key scores 100%, a blank answer scores 0 and passes no gate, and changing one answer changes
//! exactly the criteria that read it.

use std::path::Path;

use ehr_sim::case::generate;
use ehr_sim::grading::{GradeContext, GradeReport, Outcome, grade};
use ehr_sim::library::ContentRoot;
use ehr_sim::library::load_rubric_file;
use ehr_sim::tasks;
use ehr_sim::tasks::TaskKind;

fn root() -> ContentRoot {
    ContentRoot::at(env!("CARGO_MANIFEST_DIR"))
}

/// Task kinds whose keys are derived today.
const KINDS: &[TaskKind] = &[
    TaskKind::Charting,
    TaskKind::Coding,
    TaskKind::Hospice,
    TaskKind::Roi,
    TaskKind::Claims,
];

fn graded(
    seed: u64,
    id: &str,
    answer: impl Fn(&serde_json::Value, &serde_json::Value) -> serde_json::Value,
) -> (GradeReport, serde_json::Value) {
    let loaded = crate::shipped(id);
    let case = generate(&loaded, seed, 0);
    let rubric = load_rubric_file(
        &root().grading_dir().join(&loaded.scenario.rubric),
        &tasks::schemas(),
    )
    .expect("rubric");
    let key = case.key();
    let blank = case.blank();
    let submission = answer(&key, &blank);
    let ctx = GradeContext {
        checker: None,
        setting: loaded.scenario.task.setting(),
        schema: None,
    };
    (grade(&rubric, &key, &submission, &ctx), key)
}

fn shipped_ids() -> Vec<String> {
    let (all, _) = root().load_all().expect("scenarios");
    all.into_iter()
        .filter(|s| KINDS.contains(&s.scenario.task.kind()))
        .map(|s| s.scenario.id)
        .collect()
}

#[test]
fn keys_score_full_marks_and_blanks_score_zero() {
    for id in shipped_ids() {
        for seed in 0..20 {
            let (report, _) = graded(seed, &id, |key, _| key.clone());
            assert!(report.max > 0.0, "{id} seed {seed}: nothing to grade");
            assert!(
                (report.percent - 100.0).abs() < 1e-9,
                "{id} seed {seed}: key scored {report}"
            );
            assert!(
                report.passed && report.critical.is_empty(),
                "{id} seed {seed}"
            );
            let (report, _) = graded(seed, &id, |_, blank| blank.clone());
            assert_eq!(report.score, 0.0, "{id} seed {seed}: blank scored {report}");
            assert!(!report.passed, "{id} seed {seed}: a blank answer passed");
        }
    }
}

#[test]
fn the_key_and_the_blank_have_the_declared_shape() {
    for id in shipped_ids() {
        let loaded = crate::shipped(&id);
        let case = generate(&loaded, 3, 0);
        let schema = tasks::schema(loaded.scenario.task.rubric_kind());
        assert_eq!(schema.check(&case.key()), Vec::<String>::new(), "{id} key");
        assert_eq!(
            schema.check(&case.blank()),
            Vec::<String>::new(),
            "{id} blank"
        );
        // The RON template reads back as the same answer.
        let ron = case.answer_to_ron(&case.key()).expect("ron");
        let back = case
            .parse_submission(Path::new("key.ron"), &ron)
            .expect("parses");
        assert_eq!(back, case.key(), "{id}: RON round trip");
    }
}

#[test]
fn changing_one_answer_changes_only_the_criteria_that_read_it() {
    let (full, _) = graded(5, "office_htn_diabetes_followup", |key, _| key.clone());
    let (changed, _) = graded(5, "office_htn_diabetes_followup", |key, _| {
        let mut k = key.clone();
        k["vitals"]["heart_rate"] = serde_json::json!(250);
        k
    });
    for (a, b) in full.criteria.iter().zip(&changed.criteria) {
        if a.id == "heart_rate" {
            assert_eq!(b.outcome, Outcome::Incorrect);
        } else {
            assert_eq!(a.points, b.points, "{} changed", a.id);
        }
    }
}

#[test]
fn a_missed_allergy_caps_the_score() {
    for seed in 0..40 {
        let (report, key) = graded(seed, "pediatric_asthma_visit", |key, _| {
            let mut k = key.clone();
            if let Some(list) = k["allergies"].as_array_mut() {
                list.remove(0);
            }
            k
        });
        assert!(
            report.critical.iter().any(|c| c.id == "missed_allergy"),
            "seed {seed}: {key}"
        );
        assert!(
            report.percent <= 50.0 && !report.passed,
            "seed {seed}: {report}"
        );
    }
}

#[test]
fn wrong_patient_scores_zero() {
    let (report, _) = graded(2, "office_htn_diabetes_followup", |key, _| {
        let mut k = key.clone();
        k["patient"]["mrn"] = serde_json::json!("00000000");
        k
    });
    assert_eq!(report.score, 0.0);
    assert!(report.critical.iter().any(|c| c.id == "wrong_patient"));
}

/// Every scenario the catalog offers, of every task kind, for seeds 1 to 5: the key, written as
/// a learner's answer file and read back, scores 100 % and passes; the blank answer template
/// scores at most 20 % and fails (graded with the real code tables, as the app grades).
#[test]
fn every_offered_scenario_grades_its_key_full_and_its_blank_at_most_a_fifth() {
    let library = ehr_sim::service::library::Library::load(&root());
    assert!(library.problems.is_empty(), "{:?}", library.problems);
    let mut graded_cases = 0;
    for loaded in &library.scenarios {
        let id = &loaded.scenario.id;
        let rubric = load_rubric_file(
            &root().grading_dir().join(&loaded.scenario.rubric),
            &tasks::schemas(),
        )
        .expect("rubric");
        let checker = tasks::coding::TerminologyChecker;
        let ctx = GradeContext {
            checker: Some(&checker),
            setting: loaded.scenario.task.setting(),
            schema: None,
        };
        for seed in 1..=5 {
            let case = generate(loaded, seed, 0);
            let key = case.key();
            let ron = case.answer_to_ron(&key).expect("ron");
            let answer = case
                .parse_submission(Path::new("key.ron"), &ron)
                .expect("the key reads back");
            let report = grade(&rubric, &key, &answer, &ctx);
            assert!(
                (report.percent - 100.0).abs() < 1e-9 && report.passed,
                "{id} seed {seed}: key scored {report}"
            );
            let report = grade(&rubric, &key, &case.blank(), &ctx);
            assert!(
                report.percent <= 20.0 && !report.passed,
                "{id} seed {seed}: blank scored {report}"
            );
            graded_cases += 1;
        }
    }
    assert_eq!(graded_cases, 5 * library.scenarios.len());
}
