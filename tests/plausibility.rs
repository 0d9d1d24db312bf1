//! The plausibility checker (`ehr_sim::case::plausibility`, `ehr-sim validate --seeds N`): one
//! test per rule feeds the fixture visit `tests/fixtures/plausibility/office_visit.ron`,
//! changed in one place to break that rule, through the scenario loader and asserts the exact
//! violation and its position; one test runs the checker over seeds 1–20 of every shipped
//! scenario. Rules the generator can no longer break (it sizes children by the growth
//! references, picks kin by age, keeps readings in the stay) are broken by changing the
//! generated case before the check.

use std::path::Path;

use chrono::TimeDelta;
use ehr_sim::case::{Case, generate, plausibility};
use ehr_sim::generate::growth::{self, Measure};
use ehr_sim::library::ContentRoot;
use ehr_sim::patient::Sex;
use ehr_sim::scenario::load::load_text;
use ehr_sim::service::plausibility::{check_case, located};

const FIXTURE: &str = "tests/fixtures/plausibility/office_visit.ron";

fn base() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(FIXTURE)).unwrap()
}

/// The fixture with each `(from, to)` replaced (each must be found), generated for seed 1 and
/// changed by `change`: every violation's first line (`file:line:col: error: item: message`).
fn violations_with(edits: &[(&str, &str)], change: impl FnOnce(&mut Case)) -> Vec<String> {
    let mut text = base();
    for (from, to) in edits {
        assert!(text.contains(from), "the fixture has no {from:?}");
        text = text.replacen(from, to, 1);
    }
    let loaded = load_text(Path::new(FIXTURE), &text).unwrap();
    let mut case = generate(&loaded, 1, 0);
    change(&mut case);
    located(&loaded, &text, &case)
        .iter()
        .map(|d| d.to_string().lines().next().unwrap_or_default().to_string())
        .collect()
}

fn violations(edits: &[(&str, &str)]) -> Vec<String> {
    violations_with(edits, |_| {})
}

const MEDS: &str = r#"            (name: "amlodipine", dose: "5 mg", route: "PO", frequency: "once daily", indication: "hypertension"),"#;

/// The fixture's medication list with `line` added after amlodipine (line 30).
fn with_medication(line: &str) -> (&'static str, String) {
    (MEDS, format!("{MEDS}\n            {line}"))
}

fn allergy(allergen: &str, reaction: &str) -> (&'static str, String) {
    (
        "allergies: [],",
        format!(
            r#"allergies: [(allergen: "{allergen}", category: Medication, kind: Allergy, reaction: "{reaction}", severity: Severe, criticality: High, probability: 1)],"#
        ),
    )
}

fn owned(edits: &[(&'static str, String)]) -> Vec<String> {
    let refs: Vec<(&str, &str)> = edits.iter().map(|(a, b)| (*a, b.as_str())).collect();
    violations(&refs)
}

#[test]
fn the_fixture_visit_is_plausible() {
    assert_eq!(violations(&[]), Vec::<String>::new());
}

#[test]
fn every_rule_has_an_id_a_description_and_a_source() {
    let rules = plausibility::rules();
    assert!(rules.len() >= 25, "{} rules", rules.len());
    for r in &rules {
        assert!(
            !r.id.is_empty() && !r.description.is_empty() && !r.source.is_empty(),
            "{r:?}"
        );
    }
    // The medication rules come from the data file, with their sources.
    let table = plausibility::medication_rules();
    assert!(
        table.iter().any(|m| m.id == "MED-METFORMIN-EGFR30"
            && m.source.contains("FDA Drug Safety Communication"))
    );
}

#[test]
fn growth_a_child_below_the_3rd_percentile() {
    let found = violations_with(
        &[
            ("age: Years(40, 40)", "age: Years(6, 6)"),
            ("A 40-year-old woman", "A 6-year-old girl"),
            (
                "bmi: (min: 24, max: 24),",
                "bmi: (min: 24, max: 24),\n            pain_scale: \"Wong-Baker FACES\",",
            ),
        ],
        |case| case.patient.vitals[0].weight_kg = 13.0,
    );
    assert_eq!(
        found,
        [
            "tests/fixtures/plausibility/office_visit.ron:33:9: error: patient.vitals: seed 1: [growth] girl aged 83.2 months: weight 13 kg is at the 0.0 percentile (allowed 3.0 to 97.0)"
        ]
    );
}

#[test]
fn growth_an_intended_outlier_is_generated_and_accepted() {
    let mut text = base()
        .replacen("age: Years(40, 40)", "age: Years(6, 6)", 1)
        .replacen("A 40-year-old woman", "A 6-year-old girl", 1)
        .replacen(
            "bmi: (min: 24, max: 24),",
            "bmi: (min: 24, max: 24),\n            pain_scale: \"Wong-Baker FACES\",\n            weight_percentiles: (min: 0.5, max: 1.5),",
            1,
        );
    text = text.replacen(
        "A 6-year-old girl seen",
        "A 6-year-old girl with failure to thrive seen",
        1,
    );
    let loaded = load_text(Path::new(FIXTURE), &text).unwrap();
    for seed in 1..=5 {
        let case = generate(&loaded, seed, 0);
        assert_eq!(located(&loaded, &text, &case), Vec::new(), "seed {seed}");
        let v = &case.patient.vitals[0];
        let months =
            (v.taken_at.date() - case.patient.demographics.birth_date).num_days() as f64 / 30.4375;
        let weight = growth::reference(Sex::Female, Measure::Weight, months).unwrap();
        let percentile = 100.0 * growth::normal_cdf(weight.z(v.weight_kg));
        assert!(
            (0.4..=1.6).contains(&percentile),
            "seed {seed}: {} kg is at the {percentile:.2} percentile",
            v.weight_kg
        );
    }
}

#[test]
fn labs_egfr_drawn_apart_from_the_creatinine() {
    assert_eq!(
        violations(&[(r#", formula: EgfrCkdEpi2021("Creatinine")"#, "")]),
        [
            "tests/fixtures/plausibility/office_visit.ron:46:13: error: patient.labs[1]: seed 1: [labs.egfr] eGFR 93 with creatinine 0.8 mg/dL, age 40, female: CKD-EPI 2021 gives 95"
        ]
    );
}

#[test]
fn labs_a_childs_egfr_is_the_bedside_schwartz_of_the_creatinine() {
    let text = base()
        .replacen("age: Years(40, 40)", "age: Years(10, 10)", 1)
        .replacen("A 40-year-old woman", "A 10-year-old girl", 1);
    let loaded = load_text(Path::new(FIXTURE), &text).unwrap();
    let case = generate(&loaded, 1, 0);
    assert_eq!(located(&loaded, &text, &case), Vec::new());
    let lab = |name: &str| {
        case.patient
            .labs
            .iter()
            .find(|l| l.name == name)
            .unwrap()
            .value
    };
    let height = case.patient.vitals[0].height_cm;
    assert_eq!(lab("eGFR"), (0.413 * height / lab("Creatinine")).round());
}

#[test]
fn labs_hematocrit_not_three_times_the_hemoglobin() {
    let labs = r#"            (name: "Hemoglobin", unit: "g/dL", reference: (min: 12, max: 15.5), value: (min: 13, max: 13)),
            (name: "Hematocrit", unit: "%", reference: (min: 35, max: 45), value: (min: 30, max: 30)),
        ],
        notes"#;
    assert_eq!(
        violations(&[("        ],\n        notes", labs)]),
        [
            "tests/fixtures/plausibility/office_visit.ron:48:13: error: patient.labs[3]: seed 1: [labs.hematocrit] hematocrit 30% with hemoglobin 13 g/dL (expected 39 ± 3)"
        ]
    );
    // The generator's formula keeps them together.
    let fixed = labs.replace(
        "value: (min: 30, max: 30))",
        r#"value: (min: 30, max: 30), decimals: 0, formula: HematocritFromHemoglobin("Hemoglobin"))"#,
    );
    assert_eq!(
        violations(&[("        ],\n        notes", &fixed)]),
        Vec::<String>::new()
    );
}

#[test]
fn labs_anion_gap_that_does_not_add_up() {
    let labs = r#"            (name: "Sodium", unit: "mmol/L", reference: (min: 135, max: 145), value: (min: 140, max: 140), decimals: 0),
            (name: "Chloride", unit: "mmol/L", reference: (min: 98, max: 107), value: (min: 104, max: 104), decimals: 0),
            (name: "Bicarbonate", unit: "mmol/L", reference: (min: 22, max: 29), value: (min: 24, max: 24), decimals: 0),
            (name: "Anion gap", unit: "mmol/L", reference: (min: 8, max: 16), value: (min: 20, max: 20), decimals: 0),
        ],
        notes"#;
    assert_eq!(
        violations(&[("        ],\n        notes", labs)]),
        [
            "tests/fixtures/plausibility/office_visit.ron:50:13: error: patient.labs[5]: seed 1: [labs.anion_gap] anion gap 20 with Na 140, Cl 104, HCO3 24 (Na - (Cl + HCO3) = 12)"
        ]
    );
    let fixed = labs.replace(
        "value: (min: 20, max: 20), decimals: 0)",
        r#"value: (min: 20, max: 20), decimals: 0, formula: AnionGap("Sodium", "Chloride", "Bicarbonate"))"#,
    );
    assert_eq!(
        violations(&[("        ],\n        notes", &fixed)]),
        Vec::<String>::new()
    );
}

#[test]
fn labs_ckd_stage_in_a_note_against_the_egfr() {
    assert_eq!(
        violations(&[(
            "follow-up of hypertension.",
            "follow-up of hypertension and CKD stage 3b."
        )]),
        [
            "tests/fixtures/plausibility/office_visit.ron:52:13: error: patient.notes[0].text: seed 1: [labs.ckd_stage] Progress note states CKD stage 3b; eGFR 93 is stage 1"
        ]
    );
}

#[test]
fn med_arni_after_ace_inhibitor_angioedema() {
    assert_eq!(
        owned(&[
            with_medication(
                r#"(name: "sacubitril-valsartan", dose: "24-26 mg", route: "PO", frequency: "twice daily", indication: "heart failure"),"#
            ),
            allergy("lisinopril", "angioedema"),
        ]),
        [
            "tests/fixtures/plausibility/office_visit.ron:31:13: error: patient.medications[1]: seed 1: [MED-ARNI-ACEI-ANGIOEDEMA] sacubitril-valsartan 24-26 mg with allergy to lisinopril (angioedema)"
        ]
    );
}

#[test]
fn med_ace_inhibitor_after_ace_inhibitor_angioedema() {
    assert_eq!(
        owned(&[
            with_medication(
                r#"(name: "enalapril", dose: "5 mg", route: "PO", frequency: "once daily", indication: "hypertension"),"#
            ),
            allergy("lisinopril", "angioedema"),
        ]),
        [
            "tests/fixtures/plausibility/office_visit.ron:31:13: error: patient.medications[1]: seed 1: [MED-ACEI-ANGIOEDEMA] enalapril 5 mg with allergy to lisinopril (angioedema)"
        ]
    );
}

#[test]
fn med_cephalosporin_after_penicillin_anaphylaxis_unless_the_note_addresses_it() {
    let cephalexin = with_medication(
        r#"(name: "cephalexin", dose: "500 mg", route: "PO", frequency: "every 6 hours", indication: "cellulitis"),"#,
    );
    assert_eq!(
        owned(&[cephalexin.clone(), allergy("penicillin", "anaphylaxis")]),
        [
            "tests/fixtures/plausibility/office_visit.ron:31:13: error: patient.medications[1]: seed 1: [MED-CEPH-PCN-ANAPHYLAXIS] cephalexin 500 mg with allergy to penicillin (anaphylaxis)"
        ]
    );
    let addressed = (
        "She feels well.",
        "She feels well. Cephalosporin tolerated in 2024 without reaction.".to_string(),
    );
    assert_eq!(
        owned(&[cephalexin, allergy("penicillin", "anaphylaxis"), addressed]),
        Vec::<String>::new()
    );
}

#[test]
fn med_contraceptive_for_a_man() {
    assert_eq!(
        owned(&[
            (
                "sex: (female: 1, male: 0)",
                "sex: (female: 0, male: 1)".into()
            ),
            ("A 40-year-old woman", "A 40-year-old man".into()),
            ("She feels well", "He feels well".into()),
            with_medication(
                r#"(name: "norgestimate-ethinyl estradiol", dose: "1 tablet", route: "PO", frequency: "once daily", indication: "contraception"),"#
            ),
        ]),
        [
            "tests/fixtures/plausibility/office_visit.ron:31:13: error: patient.medications[1]: seed 1: [MED-CONTRACEPTIVE-MALE] norgestimate-ethinyl estradiol 1 tablet with a male patient"
        ]
    );
}

#[test]
fn med_pde5_inhibitor_for_erectile_dysfunction_in_a_woman() {
    assert_eq!(
        owned(&[with_medication(
            r#"(name: "sildenafil", dose: "50 mg", route: "PO", frequency: "once daily as needed", indication: "erectile dysfunction"),"#
        )]),
        [
            "tests/fixtures/plausibility/office_visit.ron:31:13: error: patient.medications[1]: seed 1: [MED-PDE5-ERECTILE-FEMALE] sildenafil 50 mg with a female patient"
        ]
    );
}

#[test]
fn med_pediatric_formulation_for_an_adult() {
    assert_eq!(
        owned(&[with_medication(
            r#"(name: "acetaminophen children's suspension", dose: "160 mg", route: "PO", frequency: "every 6 hours as needed", indication: "pain"),"#
        )]),
        [
            "tests/fixtures/plausibility/office_visit.ron:31:13: error: patient.medications[1]: seed 1: [MED-PEDIATRIC-FORMULATION-ADULT] acetaminophen children's suspension 160 mg with age 40"
        ]
    );
}

#[test]
fn med_aspirin_for_a_child() {
    assert_eq!(
        owned(&[
            ("age: Years(40, 40)", "age: Years(10, 10)".into()),
            ("A 40-year-old woman", "A 10-year-old girl".into()),
            with_medication(
                r#"(name: "aspirin", dose: "81 mg", route: "PO", frequency: "once daily", indication: "headache"),"#
            ),
        ]),
        [
            "tests/fixtures/plausibility/office_visit.ron:31:13: error: patient.medications[1]: seed 1: [MED-ASPIRIN-CHILD] aspirin 81 mg with age 10"
        ]
    );
}

#[test]
fn med_metformin_below_egfr_30() {
    assert_eq!(
        owned(&[
            (
                "value: (min: 93, max: 93)",
                "value: (min: 25, max: 25)".into()
            ),
            with_medication(
                r#"(name: "metformin", dose: "500 mg", route: "PO", frequency: "twice daily", indication: "type 2 diabetes"),"#
            ),
        ]),
        [
            "tests/fixtures/plausibility/office_visit.ron:31:13: error: patient.medications[1]: seed 1: [MED-METFORMIN-EGFR30] metformin 500 mg with eGFR 25"
        ]
    );
}

#[test]
fn med_nitrofurantoin_below_egfr_30() {
    assert_eq!(
        owned(&[
            (
                "value: (min: 93, max: 93)",
                "value: (min: 25, max: 25)".into()
            ),
            with_medication(
                r#"(name: "nitrofurantoin", dose: "100 mg", route: "PO", frequency: "twice daily", indication: "cystitis"),"#
            ),
        ]),
        [
            "tests/fixtures/plausibility/office_visit.ron:31:13: error: patient.medications[1]: seed 1: [MED-NITROFURANTOIN-EGFR30] nitrofurantoin 100 mg with eGFR 25"
        ]
    );
}

#[test]
fn med_apixaban_full_dose_when_the_reduction_criteria_are_met() {
    assert_eq!(
        owned(&[
            ("age: Years(40, 40)", "age: Years(85, 85)".into()),
            ("A 40-year-old woman", "An 85-year-old woman".into()),
            ("bmi: (min: 24, max: 24)", "bmi: (min: 20, max: 20)".into()),
            with_medication(
                r#"(name: "apixaban", dose: "5 mg", route: "PO", frequency: "twice daily", indication: "atrial fibrillation"),"#
            ),
        ]),
        [
            "tests/fixtures/plausibility/office_visit.ron:31:13: error: patient.medications[1]: seed 1: [MED-APIXABAN-DOSE] apixaban 5 mg with 2 of the dose criteria met (age 85, weight 54.5): the dose should be 2.5 mg"
        ]
    );
}

#[test]
fn language_pronoun_against_the_sex() {
    assert_eq!(
        violations(&[("She feels well", "He feels well")]),
        [
            "tests/fixtures/plausibility/office_visit.ron:52:13: error: patient.notes[0].text: seed 1: [language.pronouns] Progress note says \"he\" (1 time) of a female patient"
        ]
    );
}

#[test]
fn language_age_and_sex_words() {
    assert_eq!(
        violations(&[("A 40-year-old woman", "A 40-year-old man")]),
        [
            "tests/fixtures/plausibility/office_visit.ron:52:13: error: patient.notes[0].text: seed 1: [language.age_words] Progress note says \"40-year-old man\": the patient is female"
        ]
    );
    assert_eq!(
        violations(&[("A 40-year-old woman", "A 14-year-old girl")]),
        [
            "tests/fixtures/plausibility/office_visit.ron:52:13: error: patient.notes[0].text: seed 1: [language.age_words] Progress note says \"14-year-old girl\": the patient is 40"
        ]
    );
}

#[test]
fn language_kinship_an_adult_son_of_a_26_year_old() {
    let found = violations_with(
        &[
            ("age: Years(40, 40)", "age: Years(26, 26)"),
            ("A 40-year-old woman", "A 26-year-old woman"),
        ],
        |case| case.patient.demographics.emergency_contact.relationship = "Son".into(),
    );
    assert_eq!(
        found,
        [
            "tests/fixtures/plausibility/office_visit.ron: error: seed 1: [language.kinship] a 26-year-old patient with a son as emergency contact"
        ]
    );
}

#[test]
fn language_pain_scale_for_the_age_and_its_values() {
    assert_eq!(
        violations(&[(
            "bmi: (min: 24, max: 24),",
            "bmi: (min: 24, max: 24),\n            pain_scale: \"NIPS\","
        )]),
        [
            "tests/fixtures/plausibility/office_visit.ron:43:13: error: patient.vitals.pain_scale: seed 1: [language.pain_scale] NIPS does not fit a patient aged 40 years"
        ]
    );
    let odd = violations_with(
        &[(
            "bmi: (min: 24, max: 24),",
            "bmi: (min: 24, max: 24),\n            pain_scale: \"Wong-Baker FACES\",",
        )],
        |case| case.patient.vitals[0].pain_score = 5,
    );
    assert_eq!(
        odd,
        [
            "tests/fixtures/plausibility/office_visit.ron:43:13: error: patient.vitals.pain_scale: seed 1: [language.pain_scale] 5 is not a Wong-Baker FACES score (0-10 in steps of 2)"
        ]
    );
}

#[test]
fn language_duplicated_phrase() {
    assert_eq!(
        violations(&[(
            "follow-up of hypertension.",
            "follow-up of hypertension for dyspnea for dyspnea."
        )]),
        [
            "tests/fixtures/plausibility/office_visit.ron:52:13: error: patient.notes[0].text: seed 1: [language.duplicated_phrase] Progress note repeats \"for dyspnea\""
        ]
    );
}

#[test]
fn time_an_encounter_that_ends_before_it_starts() {
    let found = violations_with(&[], |case| {
        let e = case.patient.encounters.last_mut().unwrap();
        e.end = Some(e.start - TimeDelta::hours(1));
    });
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].starts_with("tests/fixtures/plausibility/office_visit.ron:23:9: error: patient.encounter: seed 1: [time.encounters] Office visit V")
            && found[0].ends_with(": ends before it starts"),
        "{found:?}"
    );
}

#[test]
fn time_a_note_outside_its_encounter() {
    let found = violations(&[("minutes_after: 20,", "minutes_after: 2000,")]);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].starts_with("tests/fixtures/plausibility/office_visit.ron:52:13: error: patient.notes[0].text: seed 1: [time.notes] Progress note written ")
            && found[0].contains(" outside the encounter "),
        "{found:?}"
    );
}

#[test]
fn time_a_reading_outside_the_encounter() {
    let found = violations_with(&[], |case| {
        case.patient.vitals[0].taken_at -= TimeDelta::days(1);
    });
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].starts_with("tests/fixtures/plausibility/office_visit.ron:33:9: error: patient.vitals: seed 1: [time.series] vital signs at "),
        "{found:?}"
    );
}

#[test]
fn time_an_arrival_value_that_is_not_the_first_reading() {
    assert_eq!(
        violations(&[("She feels well.", "She feels well. T 38.9 C on arrival.")]),
        [
            "tests/fixtures/plausibility/office_visit.ron:52:13: error: patient.notes[0].text: seed 1: [time.arrival] Progress note: T 38.9 C on arrival, first reading 36.8 C"
        ]
    );
}

#[test]
fn time_a_postoperative_day_before_the_procedure_could_have_happened() {
    assert_eq!(
        violations(&[("She feels well.", "She feels well on postoperative day 3.")]),
        [
            "tests/fixtures/plausibility/office_visit.ron:52:13: error: patient.notes[0].text: seed 1: [time.postoperative_day] Progress note says postoperative day 3; 0 days from admission 2026-03-02 to 2026-03-02"
        ]
    );
}

#[test]
fn shipped_scenarios_have_no_violations_over_seeds_1_to_20() {
    let (loaded, broken) = ContentRoot::at(env!("CARGO_MANIFEST_DIR"))
        .load_all()
        .unwrap();
    assert!(broken.is_empty(), "{broken:?}");
    let mut found = Vec::new();
    for s in &loaded {
        let text = std::fs::read_to_string(&s.path).unwrap();
        for seed in 1..=20 {
            found.extend(check_case(s, &text, seed).iter().map(ToString::to_string));
        }
    }
    assert!(
        found.is_empty(),
        "{} violations:\n{}",
        found.len(),
        found.join("\n")
    );
}

#[test]
fn validate_seeds_reports_a_violation_with_its_position_and_exits_1() {
    let o = crate::ehr_sim_command()
        .args([
            "validate",
            "--seeds",
            "2",
            "tests/fixtures/plausibility/pronoun_for_a_woman.ron",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    let (out, err) = (
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr),
    );
    assert_eq!(o.status.code(), Some(1), "{out}{err}");
    assert!(
        err.contains("tests/fixtures/plausibility/pronoun_for_a_woman.ron:51:13: error: patient.notes[0].text: seed 2: [language.pronouns] Progress note says \"he\" (1 time) of a female patient\n  hint: Third-person pronouns follow the patient's sex"),
        "{err}"
    );
    assert!(
        out.contains("plausibility: seeds 1-2 of 1 scenarios, 2 cases: 2 violations"),
        "{out}"
    );
}

#[test]
fn validate_seeds_is_capped() {
    let o = crate::ehr_sim_command()
        .args(["validate", "--seeds", "20000"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("20000 is not in 1..=10000"), "{err}");
}

#[test]
fn language_pronoun_in_a_triage_complaint_against_the_arrivals_sex() {
    let (loaded, _) = ContentRoot::at(env!("CARGO_MANIFEST_DIR"))
        .load_all()
        .unwrap();
    let infant_fever = loaded
        .iter()
        .find(|s| s.scenario.id == "infant_fever")
        .unwrap();
    let text = std::fs::read_to_string(&infant_fever.path).unwrap();
    let mut case = generate(infant_fever, 1, 0);
    let ehr_sim::tasks::TaskMaterial::Triage(m) = &mut case.task else {
        panic!("a triage case");
    };
    let arrival = m
        .arrivals
        .iter_mut()
        .find(|a| a.presentation.chief_complaint.starts_with("she "))
        .expect("a complaint about a girl");
    arrival.sex = "Male".into();
    let (id, case_id) = (arrival.id.clone(), arrival.case_id.clone());
    // (A girl's size on a boy's growth chart is reported too; only the pronoun is asked here.)
    let found: Vec<_> = located(infant_fever, &text, &case)
        .into_iter()
        .filter(|d| d.message.contains("[language.pronouns]"))
        .collect();
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        found[0].message,
        format!(
            "seed 1: [language.pronouns] arrival {id} ({case_id}): the complaint or observations say \"she\" of a male patient"
        )
    );
    // Placed at the scenario's triage case: the line after it names the case.
    let item = found[0].item.clone().unwrap();
    assert!(item.starts_with("task.shift.cases["), "{item}");
    let line = found[0].line();
    assert!(
        text.lines()
            .nth(line)
            .unwrap()
            .contains(&format!("id: \"{case_id}\"")),
        "line {line}"
    );
}

const CODING_TASK: &str = r#"    task: Coding((
        setting: Outpatient,
        document: OfficeNote,
        instructions: "Code the visit.",
    )),"#;

/// The fixture as a charting visit whose plan holds `plan` (one decision).
fn charting(plan: &str) -> String {
    format!(
        "    task: Charting((\n        variant: Documentation,\n        instructions: \"Chart the visit.\",\n        medication_plan: [\n            {plan}\n        ],\n    )),"
    )
}

#[test]
fn med_metformin_started_between_egfr_30_and_45_and_a_stop_on_purpose() {
    let start = charting(
        r#"(name: "metformin", action: New, dose: "500 mg", route: "PO", frequency: "twice daily", reason: "type 2 diabetes"),"#,
    );
    assert_eq!(
        owned(&[
            (CODING_TASK, start),
            (
                "value: (min: 93, max: 93)",
                "value: (min: 40, max: 40)".into()
            ),
        ]),
        [
            "tests/fixtures/plausibility/office_visit.ron:12:13: error: task.medication_plan[0]: seed 1: [MED-METFORMIN-START-EGFR45] new prescription metformin 500 mg with eGFR 40, started now"
        ]
    );
    // A home drug the plan stops is the exercise, not a defect.
    let stop = charting(r#"(name: "metformin", action: Stop, reason: "eGFR below 30"),"#);
    assert_eq!(
        owned(&[
            (CODING_TASK, stop),
            (
                "value: (min: 93, max: 93)",
                "value: (min: 25, max: 25)".into()
            ),
            with_medication(
                r#"(name: "metformin", dose: "500 mg", route: "PO", frequency: "twice daily", indication: "type 2 diabetes"),"#
            ),
        ]),
        Vec::<String>::new()
    );
}
