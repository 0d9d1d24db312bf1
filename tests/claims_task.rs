//! The claims task kind: every shipped claims scenario's key grades 100 %, a blank at most
//! 20 %, and passes the scrubber with no finding; the case is the same for the same seed; the
//! scrubber exercise's planted errors are each found and each cost their criterion; the
//! inpatient key carries the grouper's MS-DRG; the rules of the key on worked values.

use std::path::Path;

use ehr_sim::case::{Case, generate};
use ehr_sim::grading::GradeReport;
use ehr_sim::tasks::claims::case::ClaimCase;
use ehr_sim::tasks::claims::model::Claim;
use ehr_sim::tasks::claims::spec::{ClaimForm, Exercise, PlantedError};
use ehr_sim::tasks::claims::{key, scrub, task};
use ehr_sim::tasks::{TaskContext, TaskMaterial, TaskSpec};
use ehr_sim::terminology::drg;
use serde_json::{Value, json};

const SCENARIOS: [&str; 6] = [
    "office_visit_cms1500",
    "ed_visit_ub04_outpatient",
    "inpatient_stay_ub04_drg",
    "denied_claim_resubmission",
    "secondary_payer_cms1500",
    "scrubber_prefilled_cms1500",
];

const SEEDS: [u64; 5] = [0, 1, 2, 7, 42];

/// An item-24 line as (24D HCPCS, 24B place of service, 24E pointer, 24F charge, 24G units).
type ProfessionalLine<'a> = (&'a str, &'a str, &'a str, Option<u64>, Option<u32>);

fn case(id: &str, seed: u64) -> Case {
    generate(&crate::shipped(id), seed, 0)
}

fn material(c: &Case) -> &ClaimCase {
    let TaskMaterial::Claims(m) = &c.task else {
        panic!("claims material");
    };
    m
}

fn grade(id: &str, key: &Value, answer: &Value) -> GradeReport {
    crate::grade_shipped(id, key, answer)
}

fn percent(r: &GradeReport) -> f64 {
    100.0 * r.score / r.max
}

#[test]
fn claims_task_keys_grade_full_blanks_little_and_pass_the_scrubber() {
    for id in SCENARIOS {
        for seed in SEEDS {
            key_grades_full_blank_little_and_scrubs_clean(id, seed);
        }
    }
}

/// A claims case's key grades 100 %, a blank at most 20 %; the key claim passes the scrubber,
/// and the file `claim key` prints (RON) and its JSON read back as the same claim and grade
/// 100 % (also for the hospice claims, `tests/claims_hospice_task.rs`).
pub(crate) fn key_grades_full_blank_little_and_scrubs_clean(id: &str, seed: u64) {
    let c = case(id, seed);
    let m = material(&c);
    let key = c.key();
    let full = grade(id, &key, &key);
    assert!(full.max > 10.0, "{id} seed {seed}: {}", full.max);
    assert!(
        (full.score - full.max).abs() < 1e-9,
        "{id} seed {seed}: key {}",
        percent(&full)
    );
    let blank = grade(id, &key, &c.blank());
    assert!(
        percent(&blank) <= 20.0,
        "{id} seed {seed}: blank {}",
        percent(&blank)
    );
    let claim = task::key_claim(m);
    assert_eq!(scrub::check(&claim), vec![], "{id} seed {seed}");
    let ron = c.answer_to_ron(&key).expect("ron");
    let parsed = ehr_sim::tasks::claims::parse(Path::new("key.ron"), &ron).expect("parse");
    assert_eq!(parsed, claim, "{id} seed {seed}");
    for (file, text) in [
        ("key.ron", ron),
        ("key.json", serde_json::to_string(&claim).expect("json")),
    ] {
        let answer = c.parse_submission(Path::new(file), &text).expect("answer");
        let again = grade(id, &key, &answer);
        assert!(
            (again.score - again.max).abs() < 1e-9,
            "{id} seed {seed} {file}"
        );
    }
}

#[test]
fn claims_task_same_seed_same_case_other_seed_other_patient() {
    for id in SCENARIOS {
        let a = case(id, 3);
        let b = case(id, 3);
        assert_eq!(material(&a), material(&b), "{id}");
        assert_eq!(a.key(), b.key(), "{id}");
        let c = case(id, 4);
        assert_ne!(material(&a).birth_date, material(&c).birth_date, "{id}");
    }
}

/// The criterion of the scrubber rubric each planted error sits in.
fn criterion(e: PlantedError) -> &'static str {
    match e {
        PlantedError::InsuredIdMissing => "insured_id",
        PlantedError::SexMissing => "sex",
        PlantedError::IcdIndicatorMissing => "icd_indicator",
        PlantedError::PointerToEmptyLine => "pointer",
        PlantedError::PlaceOfServiceMissing => "place_of_service",
        PlantedError::TotalNotSum => "total_charge",
        PlantedError::BillingNpiCheckDigit => "billing_npi",
        PlantedError::LineDateOutsidePeriod
        | PlantedError::PoaMissing
        | PlantedError::AdmittingDxMissing => "",
    }
}

#[test]
fn claims_task_each_planted_error_is_found_by_the_scrubber_and_costs_its_criterion() {
    let id = "scrubber_prefilled_cms1500";
    for seed in SEEDS {
        let c = case(id, seed);
        let m = material(&c);
        let Exercise::Correct(errors) = &m.exercise else {
            panic!("a correction exercise");
        };
        assert_eq!(errors.len(), 7);
        let prefilled = key::prefilled(m).expect("prefilled");
        let findings = scrub::check(&prefilled);
        assert_eq!(findings.len(), errors.len(), "seed {seed}: {findings:#?}");
        for e in errors {
            let (locator, message) = key::expected_finding(*e, &prefilled);
            assert!(
                findings
                    .iter()
                    .any(|f| f.locator == locator && f.message.starts_with(message)),
                "seed {seed}: {e:?} at {locator}: {findings:#?}"
            );
            // The key with this one error planted: the scrubber finds it alone, and it costs
            // exactly its criterion.
            let mut one = task::key_claim(m);
            key::plant(&mut one, *e);
            let found = scrub::check(&one);
            assert_eq!(found.len(), 1, "seed {seed} {e:?}: {found:#?}");
            assert_eq!(found[0].locator, locator);
            let key = c.key();
            let report = grade(id, &key, &task::form_value(&one));
            let lost: Vec<(&str, f64)> = report
                .criteria
                .iter()
                .filter(|r| r.points < r.max)
                .map(|r| (r.id.as_str(), r.max - r.points))
                .collect();
            let max = report
                .criteria
                .iter()
                .find(|r| r.id == criterion(*e))
                .map(|r| r.max)
                .expect("criterion");
            assert_eq!(lost, vec![(criterion(*e), max)], "seed {seed} {e:?}");
        }
        // The prefilled claim is the template: it earns nothing.
        assert_eq!(c.blank(), task::form_value(&prefilled));
        assert_eq!(grade(id, &c.key(), &c.blank()).score, 0.0);
    }
}

#[test]
fn claims_task_inpatient_key_carries_the_groupers_drg() {
    for seed in SEEDS {
        let c = case("inpatient_stay_ub04_drg", seed);
        let m = material(&c);
        let Claim::Institutional(u) = task::key_claim(m) else {
            panic!("UB-04");
        };
        let principal = u.principal.clone().expect("principal");
        let grouped = drg::group(&drg::Claim {
            pdx: principal.code.clone(),
            sdx: u
                .other_diagnoses
                .iter()
                .map(|d| (d.code.clone(), drg::Poa::parse(&d.poa).expect("poa")))
                .collect(),
            pcs: u
                .principal_procedure
                .iter()
                .map(|p| p.code.clone())
                .collect(),
            age: Some(u8::try_from(m.age).expect("age")),
            sex: if m.sex == "F" {
                drg::Sex::F
            } else {
                drg::Sex::M
            },
            discharge: drg::DischargeStatus(1),
            discharge_date: u.statement_through,
        })
        .expect("groups");
        assert_eq!(u.pps_code, grouped.drg, "seed {seed}");
        // Laparoscopic cholecystectomy without CDE, without CC/MCC (hypertension and class 2
        // obesity are not CCs).
        assert_eq!(u.pps_code, "419", "seed {seed}");
        assert_eq!(c.key()["pps_code"], json!("419"));
        assert_eq!(u.type_of_bill, "0111");
        assert!(["K8000", "K8001"].contains(&principal.code.as_str()));
        assert_eq!(principal.poa, "Y");
        assert_eq!(u.admitting_dx, principal.code);
        let procedure = u.principal_procedure.clone().expect("procedure");
        assert_eq!(procedure.code, "0FT44ZZ");
        assert_eq!(procedure.date, u.admission_date);
        assert_eq!(u.operating_npi, u.attending_npi);
        // Room and board: the days of the stay, the discharge day not counted.
        let days = (m.end - m.start).num_days();
        let room = &u.lines[0];
        assert_eq!(room.revenue_code, "0120");
        assert_eq!(room.units, Some(u32::try_from(days).expect("days")));
        assert_eq!(
            room.total_cents,
            Some(185_000 * u64::try_from(days).expect("days"))
        );
        let total = u.lines.last().expect("total");
        assert_eq!(total.revenue_code, "0001");
        assert_eq!(
            total.total_cents,
            Some(
                185_000 * u64::try_from(days).expect("days") + 31_000 + 24_000 + 420_000 + 110_000
            )
        );
    }
}

#[test]
fn claims_task_outpatient_ed_lines_ascend_with_hcpcs_dates_and_the_total() {
    let c = case("ed_visit_ub04_outpatient", 1);
    let m = material(&c);
    let Claim::Institutional(u) = task::key_claim(m) else {
        panic!("UB-04");
    };
    assert_eq!(u.type_of_bill, "0131");
    let lines: Vec<(&str, &str, Option<u32>, Option<u64>)> = u
        .lines
        .iter()
        .map(|l| {
            (
                l.revenue_code.as_str(),
                l.hcpcs.as_str(),
                l.units,
                l.total_cents,
            )
        })
        .collect();
    assert_eq!(
        lines,
        vec![
            ("0270", "A4570", Some(1), Some(12_000)),
            ("0450", "G0383", Some(1), Some(86_500)),
            ("0636", "J1885", Some(2), Some(3_000)),
            ("0001", "", None, Some(101_500)),
        ]
    );
    assert!(u.lines[..3].iter().all(|l| l.service_date == Some(m.start)));
    assert_eq!(u.admission_date, None);
    assert_eq!(u.principal.as_ref().map(|p| p.poa.as_str()), Some(""));
    assert_eq!(u.pps_code, "");
    assert_eq!(u.payer_names, vec!["Medicare Part A/B".to_string()]);
    // The MBI as on the card, without its hyphens.
    assert_eq!(u.insured_id, m.primary.member_id.replace('-', ""));
    assert_eq!(u.insured_id.len(), 11);
}

#[test]
fn claims_task_professional_rules_resubmission_and_secondary_payer() {
    let c = case("denied_claim_resubmission", 2);
    let m = material(&c);
    let Claim::Professional(p) = task::key_claim(m) else {
        panic!("CMS-1500");
    };
    let r = p.resubmission.clone().expect("item 22");
    assert_eq!(r.code, "7");
    assert_eq!(r.original_ref, m.original_claim);
    assert_eq!(m.original_claim.len(), 13);
    assert!(c.key()["resubmission"]["original_ref"] == json!(m.original_claim));
    assert!(
        m.printout()
            .contains(&format!("claim {} denied", m.original_claim))
    );
    let charges: Vec<ProfessionalLine<'_>> = p
        .lines
        .iter()
        .map(|l| {
            (
                l.hcpcs.as_str(),
                l.place_of_service.as_str(),
                l.pointers.as_str(),
                l.charge_cents,
                l.units,
            )
        })
        .collect();
    assert_eq!(
        charges,
        vec![
            ("G0108", "11", "A", Some(13_000), Some(2)),
            ("A4253", "11", "A", Some(3_800), Some(1)),
        ]
    );
    assert_eq!(p.total_charge_cents, Some(16_800));
    assert_eq!(p.diagnoses, vec!["E1165".to_string(), "I10".to_string()]);
    assert_eq!(p.insured_group, "BV20431");
    assert_eq!(p.another_plan, Some(false));
    assert_eq!(
        p.relationship,
        Some(ehr_sim::tasks::claims::model::Relationship::SelfInsured)
    );

    let c = case("secondary_payer_cms1500", 2);
    let m = material(&c);
    let Claim::Professional(p) = task::key_claim(m) else {
        panic!("CMS-1500");
    };
    let secondary = m.secondary.as_ref().expect("secondary");
    assert_eq!(p.other_insured_policy, secondary.member_id);
    assert_eq!(p.other_plan_name, "Keystone Medicare Supplement Plan G");
    assert_eq!(p.insured_group, "NONE");
    assert_eq!(p.another_plan, None);
    assert_eq!(p.insured_name, "");
    assert_eq!(p.relationship, None);
    // Blank items are not graded: the key leaves them out.
    assert_eq!(c.key().get("insured_name"), None);
}

#[test]
fn claims_task_printout_gives_facts_not_the_forms_codes() {
    let c = case("inpatient_stay_ub04_drg", 1);
    let m = material(&c);
    let text = m.printout();
    let Claim::Institutional(u) = task::key_claim(m) else {
        panic!("UB-04");
    };
    for fact in [
        m.primary.member_id.as_str(),
        m.facility_npi.as_str(),
        m.provider_npi.as_str(),
        "K80.0",
        "0FT44ZZ",
        "$1850.00",
        "emergency, from home",
        "home, self-care",
    ] {
        assert!(text.contains(fact), "{fact} in\n{text}");
    }
    for answer in ["0111", "419", "1140000", "$11400.00"] {
        assert!(!text.contains(answer), "{answer} in\n{text}");
    }
    assert!(u.lines.iter().all(|l| l.total_cents.is_some()));
}

#[test]
fn claims_task_answer_of_the_other_form_is_refused_with_its_reason() {
    let c = case("office_visit_cms1500", 1);
    let err = c
        .parse_submission(
            Path::new("answer.ron"),
            "Institutional((type_of_bill: \"0131\"))",
        )
        .expect_err("the wrong form");
    assert!(
        err.to_string().contains(
            "this case is billed on the Professional form, the file holds a claim on the Institutional form"
        ),
        "{err}"
    );
}

#[test]
fn claims_task_spec_problems_name_the_item() {
    let loaded = crate::shipped("office_visit_cms1500");
    let TaskSpec::Claims(spec) = &loaded.scenario.task else {
        panic!("claims");
    };
    let ctx = TaskContext {
        scenario_id: "x",
        as_of: loaded.scenario.as_of,
        patient: &loaded.scenario.patient,
    };
    assert_eq!(ehr_sim::tasks::claims::spec::problems(&ctx, spec), vec![]);
    let mut bad = spec.clone();
    bad.form = ClaimForm::Institutional(ehr_sim::tasks::claims::spec::BillClass::Inpatient);
    bad.exercise = Exercise::Correct(vec![PlantedError::PointerToEmptyLine]);
    bad.services[0].hcpcs = "99213X".into();
    bad.primary.name = "Medicare Part A/B".into();
    let items: Vec<String> = ehr_sim::tasks::claims::spec::problems(&ctx, &bad)
        .into_iter()
        .map(|p| p.item)
        .collect();
    assert_eq!(
        items,
        vec![
            "patient.encounter.setting",
            "task.services[0].hcpcs",
            "task.admission",
            "task.exercise[0]",
            "patient.payers[0]",
        ]
    );
}

#[test]
fn claims_task_errors_planted_on_a_ub04_are_each_found_alone_at_their_locator() {
    let c = case("inpatient_stay_ub04_drg", 2);
    let m = material(&c);
    let planted: Vec<PlantedError> = PlantedError::ALL
        .into_iter()
        .filter(|e| e.fits(m.form))
        .collect();
    assert_eq!(
        planted,
        vec![
            PlantedError::InsuredIdMissing,
            PlantedError::SexMissing,
            PlantedError::TotalNotSum,
            PlantedError::BillingNpiCheckDigit,
            PlantedError::LineDateOutsidePeriod,
            PlantedError::PoaMissing,
            PlantedError::AdmittingDxMissing,
        ]
    );
    let mut all = task::key_claim(m);
    for e in &planted {
        let mut one = task::key_claim(m);
        key::plant(&mut one, *e);
        let (locator, message) = key::expected_finding(*e, &one);
        let found = scrub::check(&one);
        assert_eq!(found.len(), 1, "{e:?}: {found:#?}");
        assert_eq!(found[0].locator, locator, "{e:?}");
        assert!(
            found[0].message.starts_with(message),
            "{e:?}: {}",
            found[0].message
        );
        key::plant(&mut all, *e);
    }
    assert_eq!(scrub::check(&all).len(), planted.len());
    assert_eq!(
        key::expected_finding(PlantedError::TotalNotSum, &all).0,
        "FL 47 line 6"
    );
}
