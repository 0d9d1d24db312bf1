//! Triage shifts and hospice records end to end through the real binary: every shipped scenario's
//! key (`ehr-sim key show`) grades 100% with `ehr-sim grade` for several seeds and a blank
//! template grades 0; hand-made wrong answers get the scores and feedback the rubrics promise.
//! Plus library checks of the shift simulation (re-triage only goes up; the desk triages the
//! sickest waiting patient first) and of the hospice key against the engine.

use std::path::{Path, PathBuf};

use ehr_sim::case::generate;
use ehr_sim::library::ContentRoot;
use ehr_sim::tasks::TaskKind;
use ehr_sim::tasks::{self, TaskMaterial};
use serde_json::{Value, json};

const TRIAGE: &[&str] = &[
    "adult_chest_pain",
    "infant_fever",
    "mixed_shift",
    "high_risk_presentations",
    "resource_counting_traps",
];
const HOSPICE: &[&str] = &[
    "first_election_dementia",
    "recertification_heart_failure",
    "revocation_reelection",
    "late_noe",
    "symptom_crisis_chc",
    "respite_beyond_five_days",
];

use crate::ehr_sim_stdout as ehr_sim;

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ehr-sim-th-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("mkdir");
    dir.join(name)
}

/// Grades an answer file with the real binary; returns the JSON report.
fn grade(id: &str, seed: u64, answers: &Path) -> Value {
    let seed = seed.to_string();
    let text = ehr_sim(&[
        "grade",
        id,
        "--seed",
        &seed,
        "--answers",
        answers.to_str().expect("path"),
        "--json",
    ]);
    serde_json::from_str(&text).expect("grade --json prints JSON")
}

fn key_json(id: &str, seed: u64) -> Value {
    let seed = seed.to_string();
    serde_json::from_str(&ehr_sim(&[
        "key", "show", id, "--seed", &seed, "--format", "json",
    ]))
    .expect("key json")
}

/// Grades `answer` (written as JSON) for scenario `id`, seed `seed`.
fn grade_value(id: &str, seed: u64, answer: &Value) -> Value {
    let path = scratch(&format!("{id}-{seed}-{}.json", answer.to_string().len()));
    std::fs::write(&path, answer.to_string()).expect("write");
    grade(id, seed, &path)
}

fn criterion<'a>(report: &'a Value, id: &str) -> &'a Value {
    report["criteria"]
        .as_array()
        .and_then(|c| c.iter().find(|c| c["id"] == id))
        .unwrap_or_else(|| panic!("no criterion {id}"))
}

#[test]
fn shipped_keys_grade_full_marks_and_blanks_zero_through_the_binary() {
    let mut graded = 0;
    for id in TRIAGE.iter().chain(HOSPICE) {
        for seed in [0u64, 1, 7, 42] {
            let s = seed.to_string();
            let key = scratch(&format!("{id}-{seed}-key.ron"));
            std::fs::write(&key, ehr_sim(&["key", "show", id, "--seed", &s])).expect("write");
            let report = grade(id, seed, &key);
            assert_eq!(
                report["percent"],
                json!(100.0),
                "{id} seed {seed}: {report}"
            );
            assert_eq!(report["passed"], json!(true), "{id} seed {seed}");
            let blank = scratch(&format!("{id}-{seed}-blank.ron"));
            std::fs::write(&blank, ehr_sim(&["answers", "template", id, "--seed", &s]))
                .expect("write");
            let report = grade(id, seed, &blank);
            assert_eq!(report["score"], json!(0.0), "{id} seed {seed}: blank");
            assert_eq!(report["passed"], json!(false), "{id} seed {seed}: blank");
            graded += 1;
        }
    }
    assert_eq!(graded, 44);
}

#[test]
fn keys_grade_full_marks_for_twenty_seeds_in_the_library() {
    let root = ContentRoot::at(env!("CARGO_MANIFEST_DIR"));
    for id in TRIAGE.iter().chain(HOSPICE) {
        let loaded = root.find(id).expect("scenario");
        let rubric = ehr_sim::library::load_rubric_file(
            &root.grading_dir().join(&loaded.scenario.rubric),
            &tasks::schemas(),
        )
        .expect("rubric");
        for seed in 0..20 {
            let case = generate(&loaded, seed, 0);
            let key = case.key();
            // What a learner file holding the key reads back as (a level list → its first).
            let ron = case.answer_to_ron(&key).expect("ron");
            let answer = case
                .parse_submission(Path::new("k.ron"), &ron)
                .expect("parse");
            let report = ehr_sim::grading::grade(&rubric, &key, &answer, &Default::default());
            assert!(
                (report.percent - 100.0).abs() < 1e-9,
                "{id} seed {seed}: {report}"
            );
        }
    }
}

/// The first arrival in the key (of `id`, `seed`) whose expected level is `level` exactly.
fn arrival_with_level(key: &Value, level: u64) -> Option<usize> {
    key["arrivals"]
        .as_array()?
        .iter()
        .position(|a| a["esi_level"] == json!(level))
}

#[test]
fn under_triage_of_an_esi_2_is_a_critical_zero() {
    let key = key_json("adult_chest_pain", 3);
    let i = arrival_with_level(&key, 2).expect("the ACS patient is always in the shift");
    let mut answer = key.clone();
    answer["arrivals"][i]["esi_level"] = json!(3);
    let report = grade_value("adult_chest_pain", 3, &answer);
    assert_eq!(report["score"], json!(0.0));
    assert_eq!(report["passed"], json!(false));
    let a = format!("a{}", i + 1);
    let gate = &report["critical"][0];
    assert_eq!(gate["id"], json!(format!("under_triage_{a}")));
    assert_eq!(
        gate["message"],
        json!(format!(
            "Arrival {a} needed ESI 1 or 2 and was under-triaged (assigned level 3 to a level-2 patient)"
        ))
    );
    let c = criterion(&report, &format!("esi_{a}"));
    assert_eq!(c["outcome"], json!("incorrect"));
    assert_eq!(
        c["feedback"],
        json!(
            "Under-triaged: 3 for an expected 2. Take the decision points in order: A, B, then count resource types."
        )
    );
}

#[test]
fn over_triage_earns_half_the_level_points() {
    for seed in 0..10 {
        let key = key_json("resource_counting_traps", seed);
        let Some(i) = arrival_with_level(&key, 4) else {
            continue;
        };
        let mut answer = key.clone();
        answer["arrivals"][i]["esi_level"] = json!(3);
        let report = grade_value("resource_counting_traps", seed, &answer);
        let c = criterion(&report, &format!("esi_a{}", i + 1));
        assert_eq!(c["outcome"], json!("partial"));
        assert_eq!(c["points"], json!(2.0));
        assert_eq!(
            c["feedback"],
            json!(
                "Partly right: 3 for an expected 4. Over-triage is safe but takes a bed and a nurse from someone sicker; a level the handbook only says to consider is defensible, not expected."
            )
        );
        assert!(report["critical"].as_array().is_some_and(Vec::is_empty));
        let max = report["max"].as_f64().expect("max");
        assert_eq!(report["score"].as_f64(), Some(max - 2.0));
        return;
    }
    panic!("no ESI 4 arrival in seeds 0..10");
}

#[test]
fn a_consider_level_gives_the_defensible_level_partial_credit() {
    // Febrile infant 29–89 days: expected 2, ESI 3 defensible (v5 "consider ESI 2").
    let key = key_json("infant_fever", 0);
    let i = key["arrivals"]
        .as_array()
        .and_then(|a| {
            a.iter()
                .position(|x| x["esi_level"] == json!({"accept": [2], "partial": [3]}))
        })
        .expect("a febrile young infant");
    let mut answer = key.clone();
    answer["arrivals"][i]["esi_level"] = json!(3);
    let report = grade_value("infant_fever", 0, &answer);
    let c = criterion(&report, &format!("esi_a{}", i + 1));
    assert_eq!(c["outcome"], json!("partial"));
    assert_eq!(c["points"], json!(2.0));
    assert!(report["critical"].as_array().is_some_and(Vec::is_empty));
    answer["arrivals"][i]["esi_level"] = json!(4);
    let report = grade_value("infant_fever", 0, &answer);
    let c = criterion(&report, &format!("esi_a{}", i + 1));
    assert_eq!(c["outcome"], json!("incorrect"));
    // Past the least urgent defensible level (3) but the key's least urgent level is not ≤ 2:
    // no critical gate, the level criterion scores zero.
    assert!(report["critical"].as_array().is_some_and(Vec::is_empty));
}

#[test]
fn a_missed_retriage_is_critical_and_the_level_only_goes_up() {
    let root = ContentRoot::at(env!("CARGO_MANIFEST_DIR"));
    let loaded = root.find("mixed_shift").expect("scenario");
    for seed in 0..10 {
        let case = generate(&loaded, seed, 0);
        let TaskMaterial::Triage(m) = &case.task else {
            panic!("triage material");
        };
        for (id, first, again) in tasks::triage::task::explain(m) {
            if let Some(again) = again {
                assert!(first.level >= 3, "{id}: only waiting patients change");
                assert!(again.level <= first.level, "{id}: re-triage only goes up");
            }
        }
    }
    // The asthmatic child (always in the shift) worsens to ESI 2 while waiting.
    let key = key_json("mixed_shift", 1);
    let i = key["arrivals"]
        .as_array()
        .and_then(|a| a.iter().position(|x| x["retriage_level"] == json!(2)))
        .expect("a re-triage to ESI 2");
    let mut answer = key.clone();
    answer["arrivals"][i]["retriage_level"] = Value::Null;
    let report = grade_value("mixed_shift", 1, &answer);
    assert_eq!(report["score"], json!(0.0));
    let a = format!("a{}", i + 1);
    assert_eq!(
        criterion(&report, &format!("retriage_{a}"))["feedback"],
        json!(format!("{a} came back worse and was not re-triaged."))
    );
}

#[test]
fn the_desk_triages_the_sickest_waiting_patient_first() {
    let root = ContentRoot::at(env!("CARGO_MANIFEST_DIR"));
    let loaded = root.find("mixed_shift").expect("scenario");
    let mut checked = 0;
    for seed in 0..20 {
        let case = generate(&loaded, seed, 0);
        let key = case.key();
        let TaskMaterial::Triage(m) = &case.task else {
            panic!("triage material");
        };
        let order: Vec<&str> = key["triage_order"]
            .as_array()
            .expect("order")
            .iter()
            .filter_map(Value::as_str)
            .collect();
        assert_eq!(order.len(), m.arrivals.len());
        // The anaphylaxis patient (ESI 1) is triaged no later than 5 minutes after arriving.
        let step = chrono::TimeDelta::minutes(5);
        let mut clock = m.arrivals[0].arrived_at;
        for id in &order {
            let a = m.arrivals.iter().find(|a| a.id == *id).expect("arrival");
            clock = clock.max(a.arrived_at);
            if a.case_id == "anaphylaxis" {
                assert!(clock - a.arrived_at <= step, "seed {seed}: {order:?}");
                checked += 1;
            }
            clock += step;
        }
    }
    assert_eq!(checked, 20);
}

#[test]
fn a_period_end_off_by_one_day_earns_half_with_the_day_1_reminder() {
    let key = key_json("first_election_dementia", 2);
    let end = key["periods"][0]["end"].as_str().expect("end").to_string();
    let date = chrono::NaiveDate::parse_from_str(&end, "%Y-%m-%d").expect("date");
    let mut answer = key.clone();
    answer["periods"][0]["end"] = json!((date + chrono::TimeDelta::days(1)).to_string());
    let report = grade_value("first_election_dementia", 2, &answer);
    let c = criterion(&report, "period1_end");
    assert_eq!(c["outcome"], json!("partial"));
    assert_eq!(c["points"], json!(1.0));
    assert_eq!(
        c["feedback"],
        json!("Off by one day: the start date is day 1 (end = start + 89, or + 59 from period 3).")
    );
    let start = chrono::NaiveDate::parse_from_str(
        key["periods"][0]["start"].as_str().expect("start"),
        "%Y-%m-%d",
    )
    .expect("date");
    assert_eq!(date - start, chrono::TimeDelta::days(89));
}

#[test]
fn a_missed_f2f_window_loses_the_window_and_the_audit() {
    let key = key_json("recertification_heart_failure", 0);
    let p3 = &key["periods"][2];
    assert_eq!(p3["number"], json!(3));
    let start = chrono::NaiveDate::parse_from_str(p3["start"].as_str().expect("s"), "%Y-%m-%d")
        .expect("date");
    assert_eq!(
        p3["f2f_window_from"],
        json!((start - chrono::TimeDelta::days(30)).to_string())
    );
    assert_eq!(p3["f2f_window_to"], json!(start.to_string()));
    assert_eq!(key["audit"], json!(["f2f.window"]));
    // The learner misses it: no F2F window, and the audit says all is well.
    let mut answer = key.clone();
    answer["periods"][2]["f2f_window_from"] = Value::Null;
    answer["periods"][2]["f2f_window_to"] = Value::Null;
    answer["audit"] = json!(["none"]);
    let report = grade_value("recertification_heart_failure", 0, &answer);
    assert_eq!(
        criterion(&report, "period3_f2f_from")["outcome"],
        json!("missing")
    );
    assert_eq!(
        criterion(&report, "audit")["feedback"],
        json!(
            "The non-compliant rules are [\"f2f.window: face-to-face encounter outside its window (too early or too late)\"]."
        )
    );
    assert_eq!(report["critical"][0]["id"], json!("audit_floor"));
    assert_eq!(report["passed"], json!(false));
    assert!(report["percent"].as_f64().is_some_and(|p| p <= 79.0));
}

#[test]
fn the_hospice_key_is_the_engines_report() {
    let root = ContentRoot::at(env!("CARGO_MANIFEST_DIR"));
    for id in HOSPICE {
        let loaded = root.find(id).expect("scenario");
        assert_eq!(loaded.scenario.task.kind(), TaskKind::Hospice);
        for seed in 0..10 {
            let case = generate(&loaded, seed, 0);
            let TaskMaterial::Hospice(m) = &case.task else {
                panic!("hospice material");
            };
            assert!(m.timeline.problems().is_empty(), "{id} seed {seed}");
            let report = ehr_sim::tasks::hospice::evaluate(&m.timeline).key();
            let key = case.key();
            assert_eq!(
                key["periods"].as_array().map(Vec::len),
                Some(report.periods.len())
            );
            assert_eq!(key["noe_deadline"], json!(report.noe.deadline));
            let mut rules: Vec<&str> = report
                .findings
                .iter()
                .filter(|f| !f.ok)
                .map(|f| f.rule)
                .collect();
            rules.sort_unstable();
            rules.dedup();
            if rules.is_empty() {
                rules.push("none");
            }
            assert_eq!(key["audit"], json!(rules), "{id} seed {seed}");
        }
    }
}

#[test]
fn each_hospice_scenario_plants_its_defects() {
    let expected: &[(&str, &[&str])] = &[
        ("first_election_dementia", &["election.elements"]),
        ("recertification_heart_failure", &["f2f.window"]),
        ("revocation_reelection", &["idg.interval"]),
        ("late_noe", &["assessment.initial", "noe.timely"]),
        ("symptom_crisis_chc", &["hope.sfv", "loc.chc"]),
        ("respite_beyond_five_days", &["loc.respite"]),
    ];
    for (id, rules) in expected {
        for seed in [0u64, 5, 9] {
            assert_eq!(
                key_json(id, seed)["audit"],
                json!(rules),
                "{id} seed {seed}"
            );
        }
    }
    // Re-election after revocation in period 2 starts period 3 (60 days, F2F required).
    let key = key_json("revocation_reelection", 1);
    let last = key["periods"]
        .as_array()
        .and_then(|p| p.last())
        .expect("period");
    assert_eq!(last["number"], json!(3));
    assert!(last["f2f_window_from"].is_string());
    let start = chrono::NaiveDate::parse_from_str(last["start"].as_str().expect("s"), "%Y-%m-%d")
        .expect("date");
    assert_eq!(
        last["end"],
        json!((start + chrono::TimeDelta::days(59)).to_string())
    );
}

#[test]
fn generated_presentations_are_valid_and_printouts_hide_the_key() {
    let root = ContentRoot::at(env!("CARGO_MANIFEST_DIR"));
    for id in TRIAGE {
        let loaded = root.find(id).expect("scenario");
        for seed in 0..20 {
            let case = generate(&loaded, seed, 0);
            let TaskMaterial::Triage(m) = &case.task else {
                panic!("triage material");
            };
            for a in &m.arrivals {
                assert_eq!(
                    a.presentation.problems(),
                    Vec::<String>::new(),
                    "{id} {seed}"
                );
                if let Some(ch) = &a.change {
                    assert_eq!(ch.presentation.problems(), Vec::<String>::new());
                    assert!(ch.at > a.arrived_at);
                }
            }
            let text = m.printout();
            assert!(text.starts_with("TRIAGE SHIFT — ESI v5 — "), "{text}");
            assert!(!text.contains("ESI 1") && !text.contains("decision point"));
        }
    }
    for id in HOSPICE {
        let case = generate(&root.find(id).expect("scenario"), 0, 0);
        let TaskMaterial::Hospice(m) = &case.task else {
            panic!("hospice material");
        };
        let text = m.printout();
        assert!(text.starts_with("HOSPICE CHART — reviewed on "), "{text}");
        assert!(!text.contains("noe.timely") && m.chart.levels_of_care.is_empty());
    }
}

/// An answer submitted mid-shift (`submitted_at`, the shift clock) is graded on the shift as it
/// stood then: the key of the shift so far earns full marks, a missed re-triage of a change
/// still to come fires nothing, and later arrivals say "after you submitted".
#[test]
fn a_shift_submitted_early_is_graded_on_what_had_happened() {
    let root = ContentRoot::at(env!("CARGO_MANIFEST_DIR"));
    let loaded = root.find("mixed_shift").expect("scenario");
    let case = generate(&loaded, 1, 0);
    let TaskMaterial::Triage(m) = &case.task else {
        panic!("triage material");
    };
    let change = m
        .arrivals
        .iter()
        .filter_map(|a| a.change.as_ref().map(|c| c.at))
        .min()
        .expect("a change");
    let at = change - chrono::TimeDelta::minutes(1);
    let mut answer = tasks::triage::task::key(&m.as_of(at));
    answer["submitted_at"] = json!(at.format("%Y-%m-%dT%H:%M:%S").to_string());
    let report = grade_value("mixed_shift", 1, &answer);
    assert_eq!(report["critical"], json!([]), "{report:#}");
    assert_eq!(report["score"], report["max"], "{report:#}");
    // The record names the whole rubric that graded it, not the part left after trimming.
    let rubric = ehr_sim::library::load_rubric_file(
        &root.grading_dir().join(&loaded.scenario.rubric),
        &tasks::schemas(),
    )
    .expect("rubric");
    assert_eq!(report["rubric_sha256"], json!(rubric.fingerprint()));
    let later = m.arrivals.iter().filter(|a| a.arrived_at > at).count();
    let after: Vec<&Value> = report["criteria"]
        .as_array()
        .expect("criteria")
        .iter()
        .filter(|c| {
            c["feedback"]
                .as_str()
                .is_some_and(|f| f.starts_with("After you submitted: "))
        })
        .collect();
    assert!(after.len() > later, "{after:#?}");
    assert!(after.iter().all(|c| c["max"] == json!(0.0)));
    // The same answer without the time is graded on the whole shift, and loses points.
    answer
        .as_object_mut()
        .expect("object")
        .remove("submitted_at");
    let whole = grade_value("mixed_shift", 1, &answer);
    assert!(
        whole["score"].as_f64() < whole["max"].as_f64() || whole["critical"] != json!([]),
        "{whole:#}"
    );
}

/// Every shipped hospice scenario's audit key is exactly the rules its planted defects break
/// (`remarks` of each file), for every seed tried; a compliant record audits "none".
#[test]
fn every_hospice_scenario_audits_exactly_its_planted_defects() {
    const AUDITS: &[(&str, &[&str])] = &[
        ("chc_short_day_prostate_cancer", &["loc.chc"]),
        ("compliant_recert_period2_emphysema", &["none"]),
        ("early_initial_cert_ckd", &["cert.earliest"]),
        ("early_recert_period2_ipf", &["cert.earliest"]),
        ("first_election_dementia", &["election.elements"]),
        (
            "gip_recert_signer_pancreatic",
            &["cert.signers", "election.elements"],
        ),
        (
            "initial_cert_without_attending_glioblastoma",
            &["cert.signers"],
        ),
        ("late_noe", &["assessment.initial", "noe.timely"]),
        ("live_discharge_reelection_hf", &["hope.sfv", "noe.timely"]),
        ("missed_huv1_hepatocellular", &["hope.huv1"]),
        ("missed_huv2_sfv_colon_cancer", &["hope.huv2"]),
        ("missing_f2f_period3_lewy_body", &["f2f.window"]),
        (
            "new_election_period3_lung_cancer",
            &["f2f.window", "idg.interval"],
        ),
        ("recert_f2f_by_rn_copd", &["f2f.performer"]),
        ("recertification_heart_failure", &["f2f.window"]),
        ("respite_beyond_five_days", &["loc.respite"]),
        ("respite_six_days_huntington", &["loc.respite"]),
        ("revocation_peg_chc_als", &["assessment.initial", "loc.chc"]),
        ("revocation_reelection", &["idg.interval"]),
        ("symptom_crisis_chc", &["hope.sfv", "loc.chc"]),
        ("transfer_in_period2_breast_cancer", &["none"]),
        ("transfer_in_period3_f2f_parkinsons", &["f2f.window"]),
    ];
    let root = ContentRoot::at(env!("CARGO_MANIFEST_DIR"));
    let shipped =
        std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/hospice"))
            .expect("hospice folder")
            .count();
    assert_eq!(shipped, AUDITS.len());
    for (id, audit) in AUDITS {
        let loaded = root.find(id).expect("scenario");
        for seed in 0..10 {
            let case = generate(&loaded, seed, 0);
            assert_eq!(case.key()["audit"], json!(audit), "{id} seed {seed}");
            let TaskMaterial::Hospice(m) = &case.task else {
                panic!("hospice material");
            };
            let transfer = m.timeline.elections[0].transfer_in_period_start;
            assert_eq!(
                m.printout().contains("Transfer in from another hospice"),
                transfer.is_some(),
                "{id} seed {seed}"
            );
        }
    }
}
