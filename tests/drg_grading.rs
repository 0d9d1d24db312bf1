//! The MS-DRG and POA criteria of inpatient coding (issue #18 item 5): the learner's codes
//! grouped beside the key's, partial credit within a DRG family, the dollar value of the
//! difference, POA graded only where the record states it, cases the grouper does not decide
//! never graded.

use ehr_sim::grading::{GradeContext, GradeReport, Outcome, grade, load_rubric};
use ehr_sim::library::{ContentRoot, load_rubric_file};
use ehr_sim::tasks::{self, coding::TerminologyChecker};
use ehr_sim::terminology::edits::CodingSetting;
use serde_json::{Value, json};

fn root() -> ContentRoot {
    ContentRoot::at(env!("CARGO_MANIFEST_DIR"))
}

fn claim_facts() -> Value {
    json!({"age": 80, "sex": "F", "discharge_status": "01", "discharge_date": "2026-04-10",
           "length_of_stay": 4})
}

/// Grades with the shipped inpatient diagnosis rubric.
fn graded(key: &Value, answer: &Value) -> GradeReport {
    let rubric = load_rubric_file(
        &root()
            .grading_dir()
            .join("coding/inpatient_diagnosis_codes.ron"),
        &tasks::schemas(),
    )
    .expect("rubric");
    let checker = TerminologyChecker;
    let ctx = GradeContext {
        checker: Some(&checker),
        setting: CodingSetting::Inpatient,
        schema: None,
    };
    grade(&rubric, key, answer, &ctx)
}

fn criterion<'a>(r: &'a GradeReport, id: &str) -> &'a ehr_sim::grading::CriterionResult {
    r.criteria.iter().find(|c| c.id == id).expect("criterion")
}

fn key(dx: &[&str], poa: &[(&str, &str)]) -> Value {
    let poa: Vec<Value> = poa
        .iter()
        .map(|(c, i)| json!({"code": c, "indicator": i}))
        .collect();
    json!({"codes": {"diagnoses": dx, "poa": poa, "claim": claim_facts()}})
}

fn answer(dx: &[&str], poa: &[(&str, &str)]) -> Value {
    let poa: Vec<Value> = poa
        .iter()
        .map(|(c, i)| json!({"code": c, "indicator": i}))
        .collect();
    json!({"codes": {"diagnoses": dx, "poa": poa}})
}

#[test]
fn the_same_drg_earns_the_points() {
    let k = key(&["A41.51", "R65.21", "N39.0"], &[]);
    let r = graded(&k, &answer(&["A41.51", "R65.21", "N39.0"], &[]));
    let c = criterion(&r, "ms_drg");
    assert_eq!((c.outcome, c.points, c.max), (Outcome::Correct, 3.0, 3.0));
    assert_eq!(
        c.details,
        [
            "Your codes group to MS-DRG 871 SEPTICEMIA OR SEVERE SEPSIS WITHOUT MV >96 HOURS WITH \
             MCC (weight 1.9425, $13,116.94).",
            "The same MS-DRG as the key's."
        ]
    );
}

#[test]
fn a_missed_mcc_is_lost_revenue_with_partial_credit_in_the_family() {
    let k = key(&["A41.51", "R65.21", "N39.0"], &[]);
    let r = graded(&k, &answer(&["A41.51", "N39.0"], &[]));
    let c = criterion(&r, "ms_drg");
    assert_eq!((c.outcome, c.points), (Outcome::Partial, 1.5));
    assert_eq!(
        c.details,
        [
            "Your codes group to MS-DRG 872 SEPTICEMIA OR SEVERE SEPSIS WITHOUT MV >96 HOURS \
             WITHOUT MCC (weight 1.0233, $6,909.95).",
            "The key's codes group to MS-DRG 871 SEPTICEMIA OR SEVERE SEPSIS WITHOUT MV >96 HOURS \
             WITH MCC (weight 1.9425, $13,116.94).",
            "R65.21 (the key's MCC) is not on your claim: 871 → 872",
            "key's path — severity: R65.21 counts as a MCC",
            "871 → 872: −$6,206.99 at the base rate $6,752.61 and wage index 1: revenue the record \
             supports and the claim loses.",
            "871 and 872 are one DRG family split by severity: partial credit.",
        ]
    );
}

#[test]
fn a_hospital_acquired_condition_reported_present_on_admission_is_an_overpayment() {
    // A stage 3 sacral pressure ulcer documented as developing on hospital day 3.
    let k = key(&["J18.9", "L89.153"], &[("J18.9", "Y"), ("L89.153", "N")]);
    let wrong = answer(&["J18.9", "L89.153"], &[("J18.9", "Y"), ("L89.153", "Y")]);
    let r = graded(&k, &wrong);
    let drg = criterion(&r, "ms_drg");
    assert_eq!(drg.outcome, Outcome::Partial, "{r}");
    assert!(
        drg.details
            .iter()
            .any(|d| d == "L89.153 counts as an MCC on your claim; on the key's it does not: HAC 04 \
                (pressure ulcer stage 3 or 4) reported with POA = N: treated as a non-CC: 195 → 193"),
        "{r}"
    );
    assert!(
        drg.details.iter().any(|d| d
            == "195 → 193: +$4,631.61 at the base rate $6,752.61 and wage index 1: payment the \
                record does not support (an overpayment is a compliance finding)."),
        "{r}"
    );
    let poa = criterion(&r, "poa_indicators");
    assert_eq!(
        (poa.outcome, poa.points, poa.max),
        (Outcome::Partial, 0.5, 1.0)
    );
    assert_eq!(
        poa.details,
        [
            "1 of 2 indicators as the record supports",
            "L89.153: Y: present at the time of inpatient admission given; the record supports N: \
             not present at the time of inpatient admission"
        ]
    );
    // The right indicators: the key's DRG 195 and full POA credit.
    let right = answer(&["J18.9", "L89.153"], &[("J18.9", "Y"), ("L89.153", "N")]);
    let r = graded(&k, &right);
    assert_eq!(criterion(&r, "ms_drg").outcome, Outcome::Correct, "{r}");
    assert_eq!(criterion(&r, "poa_indicators").outcome, Outcome::Correct);
    // No indicator given: said so, and the grouper takes the code as present (Y).
    let none = answer(&["J18.9", "L89.153"], &[("J18.9", "Y")]);
    let r = graded(&k, &none);
    assert!(criterion(&r, "poa_indicators").details.iter().any(|d| d
        == "L89.153: no indicator given; the record supports N: not present at the time of \
                inpatient admission"));
}

#[test]
fn another_principal_diagnosis_is_another_drg_with_no_credit() {
    let k = key(&["A41.51", "R65.21", "N39.0"], &[]);
    let r = graded(&k, &answer(&["N39.0", "A41.51"], &[]));
    let c = criterion(&r, "ms_drg");
    assert_eq!((c.outcome, c.points), (Outcome::Incorrect, 0.0), "{r}");
    assert!(
        c.details
            .iter()
            .any(|d| d.starts_with("key's path — mdc: principal diagnosis A41.51 → MDC 18")),
        "{r}"
    );
}

#[test]
fn what_the_grouper_does_not_decide_and_outpatient_cases_are_not_graded() {
    // No claim facts (an outpatient key): not applicable, no points either way.
    let outpatient = json!({"codes": {"diagnoses": ["J18.9"]}});
    let r = graded(&outpatient, &answer(&["J18.9"], &[]));
    let c = criterion(&r, "ms_drg");
    assert_eq!((c.outcome, c.max), (Outcome::NotApplicable, 0.0));
    let p = criterion(&r, "poa_indicators");
    assert_eq!((p.outcome, p.max), (Outcome::NotApplicable, 0.0));
    // A learner claim in a DRG family the grouper does not decide (HIV, MDC 25): not graded.
    let k = key(&["J18.9"], &[]);
    let r = graded(&k, &answer(&["B20", "J18.9"], &[]));
    let c = criterion(&r, "ms_drg");
    assert_eq!((c.outcome, c.max), (Outcome::NotApplicable, 0.0), "{r}");
    assert!(c.details[0].contains("not decided"), "{r}");
    // POA codes not on the claim are the codes criterion's business.
    let k = key(&["J18.9", "L89.153"], &[("L89.153", "N")]);
    let r = graded(&k, &answer(&["J18.9"], &[]));
    assert_eq!(
        criterion(&r, "poa_indicators").outcome,
        Outcome::NotApplicable
    );
}

#[test]
fn a_claim_with_an_invalid_principal_does_not_group() {
    let k = key(&["J18.9"], &[]);
    let r = graded(&k, &answer(&["J18"], &[]));
    let c = criterion(&r, "ms_drg");
    assert_eq!((c.outcome, c.points), (Outcome::Incorrect, 0.0));
    assert!(
        c.details[0]
            .starts_with("Your claim does not group: principal diagnosis J18 is a header code"),
        "{r}"
    );
    // An invalid secondary code is left out and named; the rest still groups.
    let r = graded(&k, &answer(&["J18.9", "Q99.99"], &[]));
    let c = criterion(&r, "ms_drg");
    assert_eq!(c.outcome, Outcome::Correct, "{r}");
    assert!(
        c.details
            .contains(&"Left out of your claim: Q99.99 (not a valid code).".to_string())
    );
    // Blank: missing.
    let r = graded(&k, &json!({"codes": {"diagnoses": []}}));
    assert_eq!(criterion(&r, "ms_drg").outcome, Outcome::Missing);
}

#[test]
fn a_drg_criterion_reads_a_coded_claim_and_its_settings_are_checked() {
    let text = |reads: &str, kind: &str| {
        format!(
            "(version: 1, id: \"x\", title: \"x\", task_kind: coding, pass_mark_percent: 70.0, \
             criteria: [(id: \"d\", title: \"d\", points: 1.0, reads: [\"{reads}\"], kind: {kind}, \
             feedback: (correct: \"\", partial: \"\", incorrect: \"\", missing: \"\"), rule: \"r\", \
             source: \"s\")])"
        )
    };
    let errors = |reads: &str, kind: &str| -> Vec<String> {
        match load_rubric(&text(reads, kind), "x.ron", &tasks::schemas()) {
            Ok(_) => Vec::new(),
            Err(ds) => ds.iter().map(ToString::to_string).collect(),
        }
    };
    assert!(errors("codes", "Drg(same_family: 0.5)").is_empty());
    assert!(errors("codes", "Poa").is_empty());
    let e = errors("codes.diagnoses", "Drg(same_family: 0.5)");
    assert!(
        e[0].contains("criterion kind Drg cannot read `codes.diagnoses`, a code list field"),
        "{e:?}"
    );
    let e = errors("codes", "Drg(same_family: 1.5)");
    assert!(
        e[0].contains("same_family must be between 0 and 1"),
        "{e:?}"
    );
    let e = errors("codes", "Drg(same_family: 0.5, wage_index: 0.0)");
    assert!(
        e[0].contains("wage index 0: give a positive number"),
        "{e:?}"
    );
}

#[test]
fn a_shotgun_claim_is_cut_to_what_a_claim_holds_and_said_so() {
    // 16,000 lines of one valid code with 16,000 POA lines: the grouping reads a claim's 24
    // secondary diagnoses and names what it left out (the POA lines are read once, by code).
    let k = key(&["J18.9"], &[("J18.9", "Y")]);
    let mut dx = vec!["J18.9".to_string()];
    dx.extend(std::iter::repeat_n("E11.9".to_string(), 16_000));
    let poa: Vec<Value> = dx
        .iter()
        .map(|c| json!({"code": c, "indicator": "Y"}))
        .collect();
    let r = graded(&k, &json!({"codes": {"diagnoses": dx, "poa": poa}}));
    let c = criterion(&r, "ms_drg");
    assert!(
        c.details.contains(
            &"Left out of your claim: 15976 secondary diagnoses beyond the 24 a claim holds."
                .to_string()
        ),
        "{:?}",
        c.details
    );
    assert_eq!(criterion(&r, "poa_indicators").outcome, Outcome::Correct);
}

#[test]
fn an_answer_cannot_bring_its_own_claim_facts() {
    // The grouping uses the key's facts (discharged alive, 80): an answer claiming the patient
    // expired would move its AMI from 280 to 283, and is graded on the case's facts instead.
    let k = key(&["I21.09", "I50.21"], &[]);
    let mut forged = answer(&["I21.09", "I50.21"], &[]);
    forged["codes"]["claim"] = json!({"age": 0, "sex": "M", "discharge_status": "20"});
    let c = criterion(&graded(&k, &forged), "ms_drg").clone();
    assert_eq!(
        (c.outcome, c.points),
        (Outcome::Correct, 3.0),
        "{:?}",
        c.details
    );
    assert!(
        c.details[0].starts_with("Your codes group to MS-DRG 280 "),
        "{:?}",
        c.details
    );
}

#[test]
fn an_inpatient_answer_template_shows_where_the_poa_lines_go() {
    let inpatient = crate::ehr_sim_stdout(&[
        "answers",
        "template",
        "inpatient_sepsis_pneumonia",
        "--seed",
        "1",
    ]);
    assert!(
        inpatient.contains("// codes.poa[].indicator: one of\n"),
        "{inpatient}"
    );
    assert!(inpatient.contains("        poa: [],\n"), "{inpatient}");
    // An outpatient case asks for no POA: neither the choices nor the list.
    let outpatient = crate::ehr_sim_stdout(&[
        "answers",
        "template",
        "outpatient_diabetes_ckd",
        "--seed",
        "1",
    ]);
    assert!(!outpatient.contains("poa"), "{outpatient}");
}
