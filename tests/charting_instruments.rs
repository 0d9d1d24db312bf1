//! The charting task's screening instruments and growth percentiles: exact derived values
//! (PHQ-9 and GAD-7 totals and bands, each C-SSRS triage rule, percentiles checked against an
//! independent LMS computation with the published WHO and CDC parameters), and the rubric's
//! partial credit and high-risk gate on shipped scenarios.

use ehr_sim::case::generate;
use ehr_sim::grading::{GradeContext, GradeReport, Outcome, grade};
use ehr_sim::library::{ContentRoot, load_rubric_file};
use ehr_sim::patient::Sex;
use ehr_sim::tasks;
use ehr_sim::tasks::charting::growth::percentiles;
use ehr_sim::tasks::charting::screening::{
    CssrsAnswers, CssrsRisk, Gad7Band, Phq9Band, ScreeningAnswers, cssrs_risk, gad7_band,
    key_entry, phq9_band, total,
};
use serde_json::{Value, json};

#[test]
fn a_phq9_answer_set_gives_its_total_band_and_item_9() {
    let answers = ScreeningAnswers {
        phq9: Some(vec![2, 3, 1, 2, 0, 2, 1, 0, 1]),
        gad7: Some(vec![3, 3, 2, 2, 1, 3, 2]),
        cssrs: None,
    };
    let e = key_entry(&answers);
    assert_eq!(e.phq9_total, Some(12));
    assert_eq!(e.phq9_severity.as_deref(), Some("moderate"));
    assert_eq!(e.phq9_item9, Some(1));
    assert_eq!(e.gad7_total, Some(16));
    assert_eq!(e.gad7_severity.as_deref(), Some("severe"));
    assert_eq!(e.cssrs_risk, None);
}

#[test]
fn phq9_and_gad7_band_boundaries() {
    let phq9 = [
        (0, Phq9Band::NoneMinimal),
        (4, Phq9Band::NoneMinimal),
        (5, Phq9Band::Mild),
        (9, Phq9Band::Mild),
        (10, Phq9Band::Moderate),
        (14, Phq9Band::Moderate),
        (15, Phq9Band::ModeratelySevere),
        (19, Phq9Band::ModeratelySevere),
        (20, Phq9Band::Severe),
        (27, Phq9Band::Severe),
    ];
    for (t, band) in phq9 {
        assert_eq!(phq9_band(t), band, "PHQ-9 {t}");
    }
    let gad7 = [
        (4, Gad7Band::Minimal),
        (5, Gad7Band::Mild),
        (9, Gad7Band::Mild),
        (10, Gad7Band::Moderate),
        (14, Gad7Band::Moderate),
        (15, Gad7Band::Severe),
        (21, Gad7Band::Severe),
    ];
    for (t, band) in gad7 {
        assert_eq!(gad7_band(t), band, "GAD-7 {t}");
    }
    assert_eq!(total(&[3; 9]), 27);
}

#[test]
fn each_cssrs_triage_rule() {
    let no = Some(false);
    let yes = Some(true);
    let asked = CssrsAnswers {
        q1: true,
        q2: true,
        q3: no,
        q4: no,
        q5: no,
        ..CssrsAnswers::default()
    };
    let cases = [
        (CssrsAnswers::default(), CssrsRisk::NoRisk),
        (
            CssrsAnswers {
                q1: true,
                ..CssrsAnswers::default()
            },
            CssrsRisk::Low,
        ),
        (asked, CssrsRisk::Low),
        (CssrsAnswers { q3: yes, ..asked }, CssrsRisk::Moderate),
        (
            CssrsAnswers {
                q1: true,
                q6: true,
                q6_recent: no,
                ..CssrsAnswers::default()
            },
            CssrsRisk::Moderate,
        ),
        (CssrsAnswers { q4: yes, ..asked }, CssrsRisk::High),
        (CssrsAnswers { q5: yes, ..asked }, CssrsRisk::High),
        (
            CssrsAnswers {
                q6: true,
                q6_recent: yes,
                ..CssrsAnswers::default()
            },
            CssrsRisk::High,
        ),
    ];
    for (answers, risk) in cases {
        assert_eq!(cssrs_risk(&answers), risk, "{answers:?}");
    }
    let e = key_entry(&ScreeningAnswers {
        cssrs: Some(CssrsAnswers {
            q1: true,
            ..CssrsAnswers::default()
        }),
        ..ScreeningAnswers::default()
    });
    // Q3-Q5 were not asked (Q2 no) and the 3-month follow-up not either (Q6 no).
    assert_eq!(
        (
            e.cssrs_q2,
            e.cssrs_q3,
            e.cssrs_q6_recent,
            e.cssrs_risk.as_deref()
        ),
        (Some(false), None, None, Some("low"))
    );
}

/// erf by its Maclaurin series (ample for |x| < 4), independent of the library's Φ.
fn erf(x: f64) -> f64 {
    let mut sum = 0.0;
    let mut term = x;
    for n in 0..200 {
        let n = f64::from(n);
        sum += term / (2.0 * n + 1.0);
        term *= -x * x / (n + 1.0);
    }
    2.0 / std::f64::consts::PI.sqrt() * sum
}

/// The whole percentile of `x` on published LMS parameters, clamped to 1–99 as charted.
fn expected_percentile((l, m, s): (f64, f64, f64), x: f64) -> u32 {
    let z = if l == 0.0 {
        (x / m).ln() / s
    } else {
        ((x / m).powf(l) - 1.0) / (l * s)
    };
    let p = 50.0 * (1.0 + erf(z / std::f64::consts::SQRT_2));
    p.round().clamp(1.0, 99.0) as u32
}

#[test]
fn growth_percentiles_follow_the_lms_formula_on_the_published_tables() {
    // WHO boys at 12 months (weight-for-age, length-for-age) and at 70 cm (weight-for-length).
    let boy = percentiles(Sex::Male, 12.0, (9.0, 70.0), None);
    let wfa = expected_percentile((0.0644, 9.6479, 0.10925), 9.0);
    let lfa = expected_percentile((1.0, 75.7488, 0.03137), 70.0);
    let wfl = expected_percentile((-0.3521, 8.4227, 0.08229), 9.0);
    // 26.3, 0.78 (charted as 1: "< 1st") and 78.7.
    assert_eq!((wfa, lfa, wfl), (26, 1, 79));
    assert_eq!(boy.weight_for_age, Some(wfa));
    assert_eq!(boy.length_for_age, Some(lfa));
    assert_eq!(boy.weight_for_length, Some(wfl));
    assert_eq!(boy.bmi_for_age, None, "no BMI-for-age under 24 months");
    // WHO girls' head circumference at 6 months.
    let girl = percentiles(Sex::Female, 6.0, (7.3, 65.0), Some(42.0));
    let hc = expected_percentile((1.0, 42.1995, 0.03087), 42.0);
    assert_eq!(hc, 44);
    assert_eq!(girl.head_circumference_for_age, Some(hc));
    // CDC girls' BMI-for-age at 120.5 months, from the unrounded BMI.
    let school = percentiles(Sex::Female, 120.5, (40.0, 140.0), None);
    let bmi = expected_percentile(
        (-2.171_295_888, 16.862_313_66, 0.137_057_004),
        40.0 / (1.4 * 1.4),
    );
    assert_eq!(bmi, 87);
    assert_eq!(school.bmi_for_age, Some(bmi));
    assert_eq!(
        (school.weight_for_length, school.head_circumference_for_age),
        (None, None)
    );
}

fn graded(id: &str, seed: u64, answer: impl Fn(&mut Value)) -> (GradeReport, Value) {
    let root = ContentRoot::at(env!("CARGO_MANIFEST_DIR"));
    let loaded = root.find(id).expect("scenario");
    let case = generate(&loaded, seed, 0);
    let rubric = load_rubric_file(
        &root.grading_dir().join(&loaded.scenario.rubric),
        &tasks::schemas(),
    )
    .expect("rubric");
    let key = case.key();
    let mut submission = key.clone();
    answer(&mut submission);
    let ctx = GradeContext {
        checker: None,
        setting: loaded.scenario.task.setting(),
        schema: None,
    };
    (grade(&rubric, &key, &submission, &ctx), key)
}

fn outcome(report: &GradeReport, id: &str) -> (Outcome, f64) {
    let c = report
        .criteria
        .iter()
        .find(|c| c.id == id)
        .expect("criterion");
    (c.outcome, c.points)
}

#[test]
fn a_high_risk_screen_charted_lower_caps_the_score_and_lower_levels_do_not() {
    let mut high = 0;
    let mut other = 0;
    for seed in 0..40 {
        let (report, key) = graded("behavioral_depression_followup", seed, |a| {
            a["screening"]["cssrs_risk"] = json!("moderate");
        });
        let gate = report
            .critical
            .iter()
            .any(|c| c.id == "missed_high_suicide_risk");
        if key["screening"]["cssrs_risk"] == json!("high") {
            high += 1;
            assert!(
                gate && !report.passed && report.percent <= 50.0,
                "seed {seed}"
            );
        } else {
            other += 1;
            assert!(
                !gate,
                "seed {seed}: the gate fired for a {} key",
                key["screening"]["cssrs_risk"]
            );
        }
    }
    assert!(high > 0 && other > 0, "{high} high-risk seeds of 40");
}

#[test]
fn totals_off_by_one_earn_half_and_percentiles_within_two_points_full_credit() {
    let (report, _) = graded("behavioral_new_anxiety", 4, |a| {
        let t = a["screening"]["gad7_total"].as_u64().unwrap_or(0);
        a["screening"]["gad7_total"] = json!(if t > 0 { t - 1 } else { 1 });
        let p = a["screening"]["phq9_total"].as_u64().unwrap_or(0);
        a["screening"]["phq9_total"] = json!(p + 3);
    });
    assert_eq!(outcome(&report, "gad7_total"), (Outcome::Partial, 1.0));
    assert_eq!(outcome(&report, "phq9_total"), (Outcome::Incorrect, 0.0));
    let (report, key) = graded("pediatric_adolescent_sports_physical", 2, |a| {
        let p = a["growth"]["bmi_for_age"].as_u64().unwrap_or(0);
        a["growth"]["bmi_for_age"] = json!(p + 2);
        let w = a["growth"]["weight_for_age"].as_u64().unwrap_or(0);
        a["growth"]["weight_for_age"] = json!(w + 4);
        let l = a["growth"]["length_for_age"].as_u64().unwrap_or(0);
        a["growth"]["length_for_age"] = json!(l + 9);
    });
    assert!(key["growth"]["bmi_for_age"].is_u64(), "{key}");
    assert_eq!(
        outcome(&report, "growth_bmi_for_age"),
        (Outcome::Correct, 2.0)
    );
    assert_eq!(
        outcome(&report, "growth_weight_for_age"),
        (Outcome::Partial, 0.5)
    );
    assert_eq!(
        outcome(&report, "growth_length_for_age"),
        (Outcome::Incorrect, 0.0)
    );
    // An adolescent has no head circumference or weight-for-length on the CDC charts.
    assert_eq!(
        outcome(&report, "growth_head_circumference_for_age").0,
        Outcome::NotApplicable
    );
}

#[test]
fn visits_without_screenings_or_growth_charts_do_not_grade_them() {
    let (report, key) = graded("office_htn_diabetes_followup", 1, |_| {});
    assert_eq!(key["screening"]["phq9_total"], Value::Null);
    for id in ["phq9_total", "cssrs_risk", "growth_weight_for_age"] {
        assert_eq!(outcome(&report, id).0, Outcome::NotApplicable, "{id}");
    }
}

/// The item scores the medical assistant reads back after `heading` (up to the next
/// questionnaire or the screener).
fn read_back(source: &str, heading: &str) -> Vec<u32> {
    source
        .split(heading)
        .nth(1)
        .unwrap_or("")
        .lines()
        .skip(1)
        .take_while(|l| {
            (l.starts_with("MA: ") || l.starts_with("Patient: ")) && !l.starts_with("MA: Next is")
        })
        .filter(|l| l.starts_with("MA: That's"))
        .filter_map(|l| l.rsplit("— ").next())
        .filter_map(|n| n.trim_end_matches('.').parse().ok())
        .collect()
}

#[test]
fn the_conversation_states_every_item_and_measurement_the_key_derives_from() {
    let root = ContentRoot::at(env!("CARGO_MANIFEST_DIR"));
    for (id, phq9, gad7) in [
        ("behavioral_depression_followup", true, false),
        ("behavioral_new_anxiety", true, true),
        ("prenatal_intake_first_trimester", true, false),
    ] {
        let loaded = root.find(id).expect("scenario");
        for seed in 0..30 {
            let case = generate(&loaded, seed, 0);
            let key = case.key();
            let tasks::TaskMaterial::Charting(m) = &case.task else {
                panic!("{id}: not charting")
            };
            let items = read_back(&m.source, "MA: Next is the PHQ-9.");
            assert_eq!(items.len(), if phq9 { 9 } else { 0 }, "{id} seed {seed}");
            if phq9 {
                let sum: u32 = items.iter().sum();
                assert_eq!(
                    key["screening"]["phq9_total"],
                    json!(sum),
                    "{id} seed {seed}"
                );
                assert_eq!(key["screening"]["phq9_item9"], json!(items[8]));
            }
            let items = read_back(&m.source, "MA: Next is the GAD-7.");
            assert_eq!(items.len(), if gad7 { 7 } else { 0 }, "{id} seed {seed}");
            if gad7 {
                let sum: u32 = items.iter().sum();
                assert_eq!(
                    key["screening"]["gad7_total"],
                    json!(sum),
                    "{id} seed {seed}"
                );
            }
            let screener = m.source.contains("the Columbia screener");
            assert_eq!(
                screener,
                key["screening"]["cssrs_risk"].is_string(),
                "{id} seed {seed}"
            );
        }
    }
    let loaded = root.find("pediatric_infant_well_visit").expect("scenario");
    for seed in 0..30 {
        let case = generate(&loaded, seed, 0);
        let key = case.key();
        let tasks::TaskMaterial::Charting(m) = &case.task else {
            panic!("not charting")
        };
        let hc = key["vitals"]["head_circumference"]["value"]
            .as_f64()
            .expect("head circumference");
        assert!(
            m.source
                .contains(&format!("Head circumference {hc:.1} centimeters")),
            "seed {seed}"
        );
        assert!(
            key["growth"]["head_circumference_for_age"].is_u64(),
            "seed {seed}"
        );
    }
}
