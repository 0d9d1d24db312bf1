//! Scenario files and generation: every shipped scenario loads, validates and generates; the
//! generator is deterministic and varied; broken files give the exact diagnostics; no input
//! panics the loader.

use std::path::{Path, PathBuf};

use ehr_sim::case::{Case, generate};
use ehr_sim::library::ContentRoot;
use ehr_sim::patient::age_in_years;
use ehr_sim::patient::spec::AgeSpec;
use ehr_sim::scenario::{load_file, parse, validate};
use ehr_sim::tasks::TaskKind;

fn root() -> ContentRoot {
    ContentRoot::at(env!("CARGO_MANIFEST_DIR"))
}

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel)
}

fn shipped() -> Vec<ehr_sim::scenario::LoadedScenario> {
    let (ok, broken) = root().load_all().expect("scenarios folder");
    assert!(broken.is_empty(), "broken shipped scenarios: {broken:?}");
    ok
}

#[test]
fn at_least_eight_scenarios_across_all_task_kinds() {
    let all = shipped();
    assert!(all.len() >= 8, "only {} scenarios", all.len());
    for kind in [
        TaskKind::Charting,
        TaskKind::Coding,
        TaskKind::Triage,
        TaskKind::Hospice,
        TaskKind::Roi,
        TaskKind::Claims,
        TaskKind::AccessAudit,
    ] {
        assert!(
            all.iter().any(|s| s.scenario.task.kind() == kind),
            "no {kind:?} scenario"
        );
    }
}

#[test]
fn every_shipped_scenario_validates_and_generates_coherent_patients() {
    let grading = root().grading_dir();
    for loaded in shipped() {
        let diagnostics = validate::validate(&loaded, Some(&grading));
        let errors: Vec<String> = diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(ToString::to_string)
            .collect();
        assert!(
            errors.is_empty(),
            "{}:\n{}",
            loaded.path.display(),
            errors.join("\n")
        );
        let s = &loaded.scenario;
        for seed in 0..50 {
            let case = generate(&loaded, seed, 0);
            let p = &case.patient;
            let id = format!("{} seed {seed}", s.id);
            assert!(p.synthetic, "{id}");
            assert_eq!(
                p.demographics.age_years,
                age_in_years(p.demographics.birth_date, s.as_of)
            );
            match s.patient.age {
                AgeSpec::Years(lo, hi) => {
                    assert!(
                        (lo..=hi).contains(&p.demographics.age_years),
                        "{id}: age {}",
                        p.demographics.age_years
                    );
                }
                AgeSpec::Months(_, hi) => assert!(p.demographics.age_years <= hi / 12 + 1, "{id}"),
                AgeSpec::Days(lo, hi) => {
                    let days = (s.as_of - p.demographics.birth_date).num_days();
                    assert!(
                        (i64::from(lo)..=i64::from(hi)).contains(&days),
                        "{id}: {days} days"
                    );
                }
            }
            assert!(!p.conditions.is_empty(), "{id}: no conditions");
            assert!(!p.vitals.is_empty(), "{id}: no vitals");
            assert_eq!(p.vitals.len(), s.patient.vitals.readings as usize, "{id}");
            for v in &p.vitals {
                assert!((30.0..=44.0).contains(&v.temperature_c), "{id}: {v:?}");
                assert!(v.systolic_mmhg > v.diastolic_mmhg, "{id}: {v:?}");
                assert!(v.spo2_percent <= 100 && v.pain_score <= 10, "{id}: {v:?}");
                assert!(
                    v.taken_at.date() <= s.as_of,
                    "{id}: vitals after the as-of date"
                );
                assert!(v.bmi() > 10.0 && v.bmi() < 80.0, "{id}: BMI {}", v.bmi());
            }
            assert_eq!(p.no_known_allergies, p.allergies.is_empty(), "{id}");
            for e in &p.encounters {
                assert!(
                    e.start.date() <= s.as_of,
                    "{id}: encounter after the as-of date"
                );
            }
            for n in &p.notes {
                assert!(
                    !n.text.contains("[?"),
                    "{id}: unrendered placeholder in {}",
                    n.text
                );
                assert!(!n.text.contains('{'), "{id}: brace left in {}", n.text);
            }
            // Every medication needing a condition has it (a drug may have one line per
            // condition, e.g. another dose for another variant).
            for m in &p.medications {
                let mut specs = s
                    .patient
                    .medications
                    .iter()
                    .filter(|x| x.name == m.name && x.dose == m.dose)
                    .peekable();
                assert!(specs.peek().is_some(), "{id}: {} has no spec", m.name);
                assert!(
                    specs.any(|spec| spec.when_any.is_empty()
                        || spec
                            .when_any
                            .iter()
                            .any(|t| p.conditions.iter().any(|c| &c.template == t))),
                    "{id}: {} without its condition",
                    m.name
                );
            }
        }
    }
}

#[test]
fn a_septic_patient_is_febrile_and_tachycardic_on_admission_and_recovers() {
    let loaded = crate::shipped("inpatient_sepsis_pneumonia");
    for seed in 0..50 {
        let case = generate(&loaded, seed, 0);
        let first = case.patient.vitals.first().expect("vitals");
        let last = case.patient.vitals.last().expect("vitals");
        assert!(first.temperature_c >= 38.2, "seed {seed}: {first:?}");
        assert!(first.heart_rate_bpm >= 100, "seed {seed}: {first:?}");
        assert!(
            last.temperature_c <= 37.4,
            "seed {seed}: not recovered {last:?}"
        );
        let sepsis = case
            .patient
            .conditions
            .iter()
            .find(|c| c.group == "sepsis")
            .expect("sepsis");
        let with_aki = sepsis.codes.iter().any(|c| c.code == "N17.9");
        let creatinine = case
            .patient
            .labs
            .iter()
            .find(|l| l.name == "Creatinine")
            .expect("lab");
        assert_eq!(
            with_aki,
            creatinine.value >= 1.9,
            "seed {seed}: AKI {with_aki} but creatinine {}",
            creatinine.value
        );
        assert_eq!(
            with_aki,
            sepsis.codes.iter().any(|c| c.code == "R65.20"),
            "seed {seed}"
        );
    }
}

#[test]
fn ckd_stage_and_egfr_agree() {
    let loaded = crate::shipped("outpatient_diabetes_ckd");
    for seed in 0..100 {
        let case = generate(&loaded, seed, 0);
        let c = &case.patient.conditions[0];
        let egfr = case
            .patient
            .labs
            .iter()
            .find(|l| l.name == "eGFR")
            .expect("eGFR")
            .value;
        let stage = c.facts.get("stage").map(String::as_str);
        let ok = match stage {
            Some("3a") => (45.0..60.0).contains(&egfr),
            Some("3b") => (30.0..45.0).contains(&egfr),
            Some("4") => (15.0..30.0).contains(&egfr),
            _ => false,
        };
        assert!(ok, "seed {seed}: stage {stage:?} with eGFR {egfr}");
        let note = &case.patient.notes[0].text;
        assert!(
            note.contains(&format!("CKD stage {}", stage.unwrap_or("?"))),
            "seed {seed}: {note}"
        );
    }
}

#[test]
fn generation_is_deterministic_and_seeds_differ() {
    for loaded in shipped() {
        let a = serde_json::to_string(&generate(&loaded, 7, 2)).expect("json");
        let b = serde_json::to_string(&generate(&loaded, 7, 2)).expect("json");
        assert_eq!(a, b, "{}", loaded.scenario.id);
        let c = generate(&loaded, 8, 2);
        let d = generate(&loaded, 7, 3);
        let a: Case = serde_json::from_str(&a).expect("round trip");
        assert_ne!(
            a.patient, c.patient,
            "{}: seeds 7 and 8 gave the same patient",
            loaded.scenario.id
        );
        assert_ne!(
            a.patient, d.patient,
            "{}: indices 2 and 3 gave the same patient",
            loaded.scenario.id
        );
    }
}

#[test]
fn a_thousand_seeds_give_realistic_spread() {
    let loaded = root()
        .find("office_htn_diabetes_followup")
        .expect("scenario");
    let cases: Vec<Case> = (0..1000).map(|seed| generate(&loaded, seed, 0)).collect();
    let names: std::collections::BTreeSet<String> =
        cases.iter().map(|c| c.patient.banner_name()).collect();
    assert!(names.len() > 900, "only {} distinct names", names.len());
    let ages: std::collections::BTreeSet<u32> = cases
        .iter()
        .map(|c| c.patient.demographics.age_years)
        .collect();
    assert_eq!(ages.first(), Some(&45));
    assert_eq!(ages.last(), Some(&78));
    assert_eq!(ages.len(), 34, "every age 45..=78 should occur");
    let female = cases
        .iter()
        .filter(|c| c.patient.demographics.sex == ehr_sim::patient::Sex::Female)
        .count();
    assert!((400..=600).contains(&female), "{female} of 1000 female");
    let hyperglycemic = cases
        .iter()
        .filter(|c| {
            c.patient
                .conditions
                .iter()
                .any(|x| x.template == "t2dm_hyperglycemia")
        })
        .count();
    assert!(
        (150..=350).contains(&hyperglycemic),
        "{hyperglycemic} of 1000 (weight 1 of 4)"
    );
    let nka = cases
        .iter()
        .filter(|c| c.patient.no_known_allergies)
        .count();
    assert!((450..=750).contains(&nka), "{nka} with no known allergies");
    let mrns: std::collections::BTreeSet<&str> = cases
        .iter()
        .map(|c| c.patient.demographics.mrn.as_str())
        .collect();
    assert_eq!(mrns.len(), 1000, "MRNs collide");
    let systolic: Vec<u32> = cases
        .iter()
        .map(|c| c.patient.vitals[0].systolic_mmhg)
        .collect();
    assert!(systolic.iter().min() < Some(&140) && systolic.iter().max() > Some(&150));
    // Medicare only from 65, never under 65 in this scenario's payer mix.
    for c in &cases {
        let medicare = c
            .patient
            .demographics
            .insurance
            .payer
            .starts_with("Medicare");
        assert_eq!(
            medicare,
            c.patient.demographics.age_years >= 65,
            "{:?}",
            c.patient.demographics
        );
    }
}

/// One snapshot per task kind: the generated patient must not change without a reviewed update.
/// Run with `UPDATE_SNAPSHOTS=1` to rewrite them after an intended change.
#[test]
fn snapshot_of_one_patient_per_task_kind() {
    for id in [
        "office_htn_diabetes_followup",
        "outpatient_diabetes_ckd",
        "infant_fever",
        "first_election_dementia",
    ] {
        let loaded = crate::shipped(id);
        let json = serde_json::to_string_pretty(&generate(&loaded, 7, 0)).expect("json") + "\n";
        let path = fixture(&format!("snapshots/{id}.seed7.json"));
        if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(&path, &json).expect("write snapshot");
        }
        let expected =
            std::fs::read_to_string(&path).expect("snapshot exists; run with UPDATE_SNAPSHOTS=1");
        assert_eq!(
            json, expected,
            "{id}: generated patient changed; review and run with UPDATE_SNAPSHOTS=1"
        );
    }
}

#[test]
fn the_minimal_fixture_is_valid() {
    let loaded = load_file(&fixture("valid/minimal.ron")).expect("loads");
    let d = validate::validate(&loaded, Some(&root().grading_dir()));
    assert!(d.is_empty(), "{d:?}");
}

/// (fixture name, parser position, message, hint).
type BrokenCase = (&'static str, Option<(u32, u32)>, &'static str, &'static str);

/// The fixtures in `invalid/`: one broken file per kind of error, with its exact diagnostic.
const BROKEN_CASES: &[BrokenCase] = &[
    (
        "unknown_field",
        Some((5, 5)),
        "Unexpected field named `titel` in `Scenario`",
        "did you mean `title`?",
    ),
    (
        "missing_field",
        Some((38, 1)),
        "Unexpected missing field named `summary` in `Scenario`",
        "add `summary: ...`",
    ),
    (
        "unknown_variant",
        Some((9, 17)),
        "Unexpected variant named `Expert` in enum `Difficulty`",
        "Beginner, Intermediate, Advanced",
    ),
    (
        "syntax_error",
        Some((17, 9)),
        "Unexpected field named `payers` in `SexMix`",
        "female, male",
    ),
    (
        "bad_date",
        Some((13, 13)),
        "input is out of range",
        "YYYY-MM-DD",
    ),
    (
        "wrong_type",
        Some((10, 23)),
        "Expected integer",
        "whole number",
    ),
    (
        "unknown_template",
        None,
        "patient.conditions[0].choose[0].value: unknown condition template `hypertensoin`",
        "known: hypertension",
    ),
    (
        "shares_do_not_sum",
        None,
        "patient.sex: the shares sum to 1.2, not 1",
        "female + male = 1",
    ),
    (
        "impossible_range",
        None,
        "patient.vitals.heart_rate_bpm: min 90 is above max 60",
        "(min: 60, max: 90)",
    ),
    (
        "implausible_value",
        None,
        "patient.vitals.temperature_c: (97.5, 99) °C is outside the plausible 30–44 °C",
        "check the unit",
    ),
    (
        "missing_rubric",
        None,
        "charting/no_such_rubric.ron` does not exist",
        "grading/README.md",
    ),
    (
        "unknown_placeholder",
        None,
        "patient.notes[0].text: unknown placeholder `{blood_pressure}`",
        "{hr}",
    ),
    (
        "unsupported_version",
        None,
        "version: format version 2 is not supported (this program reads version 1)",
        "version: 1",
    ),
    (
        "bad_probability",
        None,
        "patient.medications[0].probability: probability 1.5 is outside 0 to 1",
        "0.25",
    ),
    (
        "do_not_use_abbreviation",
        None,
        "patient.medications[0]: `QD` is on the \"Do Not Use\" list",
        "\"daily\"",
    ),
    (
        "bad_code",
        None,
        "`i10x` is not a well-formed ICD-10-CM code",
        "E11.22",
    ),
    (
        "code_not_in_year",
        None,
        "codes[0].code: I10.9 is not a ICD-10-CM 2026 code",
        "billable code of the scenario's code-set year",
    ),
    (
        "header_code",
        None,
        "codes[0].code: E11 is a header, not a billable code; use one of: E11.00, E11.01",
        "ehr-sim codes show",
    ),
    (
        "setting_mismatch",
        None,
        "setting Office does not fit the task: triage happens in the emergency department",
        "setting: Emergency",
    ),
    (
        "zero_weight",
        None,
        "patient.payers[0].weight: weight 0 must be a positive number",
        "relative",
    ),
];

/// One broken file per kind of error, with its exact diagnostic.
#[test]
fn each_broken_fixture_reports_its_diagnostic() {
    let grading = root().grading_dir();
    for case in BROKEN_CASES {
        assert_reports_exactly(case, &grading);
    }
    // Every fixture in the folder is covered by the table.
    let on_disk = std::fs::read_dir(fixture("invalid")).expect("dir").count();
    assert_eq!(on_disk, BROKEN_CASES.len());
}

/// The broken fixture yields exactly one error: at the position, with the message and hint.
fn assert_reports_exactly(case: &BrokenCase, grading: &Path) {
    let (name, position, message, hint) = case;
    let path = fixture(&format!("invalid/{name}.ron"));
    let diagnostics = match load_file(&path) {
        Err(d) => vec![d],
        Ok(loaded) => validate::validate(&loaded, Some(grading)),
    };
    let errors: Vec<_> = diagnostics.iter().filter(|d| d.is_error()).collect();
    assert_eq!(
        errors.len(),
        1,
        "{name}: expected exactly one error, got {errors:#?}"
    );
    let d = errors[0];
    assert_eq!(d.position, *position, "{name}: {d}");
    let text = d.to_string();
    assert!(
        text.starts_with(&path.display().to_string()),
        "{name}: {text}"
    );
    assert!(text.contains(message), "{name}: `{text}` lacks `{message}`");
    assert!(
        d.hint.as_deref().is_some_and(|h| h.contains(hint)),
        "{name}: hint {:?} lacks `{hint}`",
        d.hint
    );
    if let Some((line, col)) = position {
        assert!(
            text.contains(&format!(".ron:{line}:{col}: error: ")),
            "{name}: {text}"
        );
    }
}

mod fuzz {
    use super::*;
    use proptest::prelude::*;

    fn check_never_panics(text: &str) {
        if let Ok(s) = parse(Path::new("fuzz.ron"), text) {
            let loaded = ehr_sim::scenario::LoadedScenario {
                path: PathBuf::from("fuzz.ron"),
                content_sha256: String::new(),
                scenario: s,
                bundle: None,
            };
            let errors = validate::validate(&loaded, None)
                .into_iter()
                .any(|d| d.is_error());
            if !errors {
                let _ = generate(&loaded, 1, 0);
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
            check_never_panics(&String::from_utf8_lossy(&bytes));
        }

        #[test]
        fn mutated_scenarios_never_panic(
            which in 0usize..64,
            edits in proptest::collection::vec((any::<prop::sample::Index>(), 0usize..24, "[ -~]{0,12}"), 1..6),
        ) {
            let all = shipped();
            let loaded = &all[which % all.len()];
            let mut text = std::fs::read_to_string(&loaded.path).expect("read");
            for (at, len, insert) in edits {
                let mut start = at.index(text.len().max(1));
                while !text.is_char_boundary(start) { start -= 1; }
                let mut end = (start + len).min(text.len());
                while !text.is_char_boundary(end) { end -= 1; }
                text.replace_range(start..end.max(start), &insert);
            }
            check_never_panics(&text);
        }
    }
}
