//! ESI engine: every decision point, every age band of v4 and v5, resource-counting traps,
//! pediatric fever rules. Each expected level is worked by hand in the comment above it.

use ehr_sim::tasks::triage::{
    DecisionPoint, EsiResult, EsiVersion, Presentation, ResourceType, assess,
};

/// Parses `fields` as the body of a presentation and returns its key.
fn key(fields: &str) -> EsiResult {
    let text = format!("({fields})");
    let p = Presentation::from_ron(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    assess(&p)
}

/// Like [`key`] but with `settings: (version: V4)` appended.
fn key_v4(fields: &str) -> EsiResult {
    key(&format!("{fields}, settings: (version: V4)"))
}

fn summary(r: &EsiResult) -> (u8, DecisionPoint, usize) {
    (r.level, r.decision_point, r.resources)
}

// ---------------------------------------------------------------- decision point A

#[test]
fn a_anaphylaxis_needing_epinephrine_is_esi_1() {
    let r = key(
        r#"age: Years(24), chief_complaint: "my throat is closing", life_saving_interventions: [Epinephrine], resources: [IvFluids, IvMedication]"#,
    );
    assert_eq!(summary(&r), (1, DecisionPoint::A, 2));
    assert_eq!(r.acceptable_levels, vec![1]);
    assert_eq!(
        r.reasons,
        vec!["needs an immediate life-saving intervention: epinephrine"]
    );
}

#[test]
fn a_unresponsive_on_avpu_is_esi_1() {
    // P on AVPU = unresponsive for ESI (needs a noxious stimulus).
    let r = key(r#"age: Years(70), chief_complaint: "found down", mental_status: RespondsToPain"#);
    assert_eq!((r.level, r.decision_point), (1, DecisionPoint::A));
    let r = key(r#"age: Years(70), chief_complaint: "found down", mental_status: Unresponsive"#);
    assert_eq!(r.level, 1);
}

#[test]
fn a_critical_findings_are_esi_1() {
    let r = key(r#"age: Months(4), chief_complaint: "floppy", critical_findings: [FlaccidInfant]"#);
    assert_eq!((r.level, r.decision_point), (1, DecisionPoint::A));
    assert_eq!(
        r.reasons,
        vec!["flaccid infant: requires an immediate life-saving intervention"]
    );
}

#[test]
fn a_spo2_below_90_differs_between_versions() {
    // v4: SpO2 < 90 is listed at decision point A → 1.
    let base = r#"age: Years(60), chief_complaint: "short of breath", vitals: (spo2_percent: 88, respiratory_rate_per_min: 18), resources: [ChestXray, Cbc]"#;
    assert_eq!(key_v4(base).level, 1);
    // v5: only with other signs of respiratory compromise and not the patient's norm. RR 18 is
    // normal → not A; 2 resources → D; SpO2 88 < 92 → high-risk vital sign → 2.
    let r = key(base);
    assert_eq!((r.level, r.decision_point), (2, DecisionPoint::D));
    // v5 with RR 28 (> 20 for an adult) → respiratory compromise → 1.
    let r = key(
        r#"age: Years(60), chief_complaint: "short of breath", vitals: (spo2_percent: 88, respiratory_rate_per_min: 28)"#,
    );
    assert_eq!((r.level, r.decision_point), (1, DecisionPoint::A));
    // v5, 88% is this COPD patient's norm → not A.
    let r = key(
        r#"age: Years(60), chief_complaint: "cough", vitals: (spo2_percent: 88, spo2_is_patient_norm: true, respiratory_rate_per_min: 28), resources: [ChestXray]"#,
    );
    assert_eq!((r.level, r.decision_point), (4, DecisionPoint::C));
}

// ---------------------------------------------------------------- decision point B

#[test]
fn b_high_risk_chest_pain_is_esi_2() {
    let r = key(
        r#"age: Years(58), sex: Male, chief_complaint: "pressure in my chest", high_risk: [ChestPainSuspectedAcs], resources: [Ecg, Troponin, ChestXray]"#,
    );
    assert_eq!(summary(&r), (2, DecisionPoint::B, 3));
    assert_eq!(
        r.reasons,
        vec!["high-risk situation: chest pain suspicious for acute coronary syndrome"]
    );
    assert_eq!(
        r.resource_types,
        vec![ResourceType::Labs, ResourceType::Ecg, ResourceType::XRay]
    );
}

#[test]
fn b_new_confusion_with_unknown_baseline_is_esi_2() {
    let r = key(r#"age: Years(81), chief_complaint: "not herself", mental_status: Confused"#);
    assert_eq!((r.level, r.decision_point), (2, DecisionPoint::B));
    assert_eq!(
        r.reasons,
        vec!["confusion with unknown baseline: assume it is new → ESI 2"]
    );
    let r = key(
        r#"age: Years(81), chief_complaint: "sleepy", mental_status: Lethargic, mental_status_baseline: Changed"#,
    );
    assert_eq!(r.reasons, vec!["new lethargy (change from baseline)"]);
    // Known baseline dementia: not new, level from resources (UA = 1 type → 4).
    let r = key(
        r#"age: Years(81), chief_complaint: "burning urine", mental_status: Confused, mental_status_baseline: SameAsBaseline, resources: [Urinalysis, UrineCulture]"#,
    );
    assert_eq!(summary(&r), (4, DecisionPoint::C, 1));
}

#[test]
fn b_severe_pain_systemic_versus_isolated_orthopedic() {
    // Renal colic 9/10: systemic → 2.
    let r = key(
        r#"age: Years(35), chief_complaint: "kidney stone", pain: (score: 9, cause: Systemic), resources: [Urinalysis, CtAbdomenPelvis, IvMedication]"#,
    );
    assert_eq!(
        (r.level, r.decision_point, r.acceptable_levels.clone()),
        (2, DecisionPoint::B, vec![2])
    );
    // Ankle injury 9/10, no neurovascular compromise: treat at triage; X-ray only → 1 type → 4.
    let r = key(
        r#"age: Years(22), chief_complaint: "twisted my ankle", pain: (score: 9, cause: IsolatedOrthopedic), resources: [ExtremityXray, PoMedication, Splint, Crutches]"#,
    );
    assert_eq!(summary(&r), (4, DecisionPoint::C, 1));
    assert_eq!(r.acceptable_levels, vec![4]);
    // Pain 8 of unstated cause: consider 2 → expected 2, resource level 3 defensible.
    let r = key(
        r#"age: Years(40), chief_complaint: "belly pain", pain: (score: 8), resources: [Cbc, Lipase, CtAbdomenPelvis]"#,
    );
    assert_eq!((r.level, r.decision_point), (2, DecisionPoint::B));
    assert_eq!(r.acceptable_levels, vec![2, 3]);
    // Pain 6: not severe → resources decide (labs + CT = 2 → 3).
    let r = key(
        r#"age: Years(40), chief_complaint: "belly pain", pain: (score: 6), resources: [Cbc, Lipase, CtAbdomenPelvis]"#,
    );
    assert_eq!(summary(&r), (3, DecisionPoint::D, 2));
}

#[test]
fn b_an_orthopedic_injury_with_neurovascular_compromise_is_not_called_isolated() {
    // Forearm fracture, pain 8, cold pale hand: high risk → 2; the reason quoted first is the
    // compromise, and no reason says "without neurovascular compromise".
    let r = key(
        r#"age: Years(30), chief_complaint: "my arm is bent and my hand is cold", pain: (score: 8, cause: IsolatedOrthopedic), high_risk: [NeurovascularCompromise], resources: [ExtremityXray, IvMedication, SpecialtyConsultation]"#,
    );
    assert_eq!((r.level, r.decision_point), (2, DecisionPoint::B));
    assert_eq!(
        r.reasons,
        vec!["high-risk situation: extremity injury with neurovascular compromise"]
    );
    // A known baseline confusion with stroke signs: the high risk comes first, the note
    // after it.
    let r = key(
        r#"age: Years(84), chief_complaint: "her face is drooping", mental_status: Confused, mental_status_baseline: SameAsBaseline, high_risk: [StrokeSigns], resources: [CtHead, Cbc]"#,
    );
    assert_eq!(r.level, 2);
    assert!(
        r.reasons[0].starts_with("high-risk situation:"),
        "{:?}",
        r.reasons
    );
    assert!(
        r.reasons[1].starts_with("confusion is the patient's known baseline"),
        "{:?}",
        r.reasons
    );
}

#[test]
fn b_severe_distress_and_pregnancy_blood_pressure() {
    let r = key(
        r#"age: Years(30), chief_complaint: "he hit me", severe_distress: [SexualOrDomesticViolence]"#,
    );
    assert_eq!((r.level, r.decision_point), (2, DecisionPoint::B));
    // v5: pregnant with SBP 156 (> 150) → 2; v4 has no such rule → resources (0 → 5).
    let fields = r#"age: Years(29), sex: Female, pregnancy: Pregnant, chief_complaint: "swollen feet", vitals: (systolic_bp_mmhg: 156)"#;
    assert_eq!(key(fields).level, 2);
    assert_eq!(key_v4(fields).level, 5);
}

// ---------------------------------------------------------------- decision points C and D

#[test]
fn c_zero_and_one_resource() {
    let r = key(
        r#"age: Years(19), chief_complaint: "poison ivy", resources: [HistoryAndPhysical, PrescriptionRefill]"#,
    );
    assert_eq!(summary(&r), (5, DecisionPoint::C, 0));
    assert_eq!(r.reasons, vec!["no resources predicted: ESI 5"]);
    let r = key(
        r#"age: Years(19), chief_complaint: "burning urine", resources: [Urinalysis, UrineCulture, PocUrineHcg]"#,
    );
    assert_eq!(summary(&r), (4, DecisionPoint::C, 1));
    assert_eq!(r.reasons, vec!["one resource type (labs): ESI 4"]);
}

#[test]
fn d_two_resources_normal_vitals_is_3_and_danger_zone_is_2() {
    let base = r#"age: Years(22), chief_complaint: "right lower belly pain", resources: [Cbc, Bmp, IvFluids, CtAbdomenPelvis, SpecialtyConsultation]"#;
    let r = key(&format!(
        "{base}, vitals: (heart_rate_bpm: 96, respiratory_rate_per_min: 18, spo2_percent: 98)"
    ));
    assert_eq!(summary(&r), (3, DecisionPoint::D, 4));
    assert_eq!(r.acceptable_levels, vec![3]);
    let r = key(&format!(
        "{base}, vitals: (heart_rate_bpm: 124, respiratory_rate_per_min: 18)"
    ));
    assert_eq!((r.level, r.decision_point), (2, DecisionPoint::D));
    assert_eq!(r.acceptable_levels, vec![2, 3]);
    assert!(
        r.reasons
            .contains(&"HR 124 > 100 for age > 18 years: high-risk range (v5)".to_owned())
    );
    // v5 ch.6 example four: HR 102 alone, judged in context → stays 3 (2 defensible).
    let r = key(&format!(
        "{base}, vitals: (heart_rate_bpm: 102), danger_zone_uptriage: Some(false)"
    ));
    assert_eq!((r.level, r.acceptable_levels.clone()), (3, vec![2, 3]));
}

#[test]
fn d_does_not_apply_with_fewer_than_two_resources() {
    let r = key(
        r#"age: Years(30), chief_complaint: "anxious", vitals: (heart_rate_bpm: 118), resources: [Ecg]"#,
    );
    assert_eq!(summary(&r), (4, DecisionPoint::C, 1));
    assert_eq!(
        r.reasons[1],
        "HR 118 > 100 for age > 18 years: high-risk range (v5) (decision point D applies only with ≥ 2 resources)"
    );
}

// ---------------------------------------------------------------- age bands, v4 and v5

/// An afebrile, immunized child needing labs + chest X-ray (2 resources) with the given vitals.
fn two_resource_child(age: &str, hr: u16, rr: u16, v4: bool) -> u8 {
    let fields = format!(
        r#"age: {age}, chief_complaint: "cough", vitals: (heart_rate_bpm: {hr}, respiratory_rate_per_min: {rr}, spo2_percent: 97, temperature_c: 37.0), immunizations: UpToDate, fever_source: Some("cough"), resources: [Cbc, ChestXray]"#
    );
    if v4 {
        key_v4(&fields).level
    } else {
        key(&fields).level
    }
}

#[test]
fn every_v4_band_at_and_above_its_thresholds() {
    // (age inside the band, HR limit, RR limit): at the limit → 3; one above → 2.
    for (age, hr, rr) in [
        ("Days(20)", 180, 50),
        ("Days(89)", 180, 50),
        ("Months(3)", 160, 40),
        ("Months(35)", 160, 40),
        ("Years(3)", 140, 30),
        ("Years(8)", 140, 30),
        ("Years(9)", 100, 20),
        ("Years(45)", 100, 20),
    ] {
        assert_eq!(
            two_resource_child(age, hr, rr, true),
            3,
            "v4 {age} at limits"
        );
        assert_eq!(
            two_resource_child(age, hr + 1, rr, true),
            2,
            "v4 {age} HR {}",
            hr + 1
        );
        assert_eq!(
            two_resource_child(age, hr, rr + 1, true),
            2,
            "v4 {age} RR {}",
            rr + 1
        );
    }
}

#[test]
fn every_v5_band_at_and_above_its_thresholds() {
    for (age, hr, rr) in [
        ("Days(20)", 190, 60),
        ("Days(29)", 190, 60),
        ("Days(30)", 180, 55),
        ("Months(11)", 180, 55),
        ("Months(12)", 140, 40),
        ("Years(2)", 140, 40),
        ("Years(3)", 120, 35),
        ("Years(4)", 120, 35),
        ("Years(5)", 120, 30),
        ("Years(11)", 120, 30),
        ("Years(12)", 100, 20),
        ("Years(18)", 100, 20),
        ("Years(19)", 100, 20),
        ("Years(90)", 100, 20),
    ] {
        assert_eq!(
            two_resource_child(age, hr, rr, false),
            3,
            "v5 {age} at limits"
        );
        assert_eq!(
            two_resource_child(age, hr + 1, rr, false),
            2,
            "v5 {age} HR {}",
            hr + 1
        );
        assert_eq!(
            two_resource_child(age, hr, rr + 1, false),
            2,
            "v5 {age} RR {}",
            rr + 1
        );
    }
}

#[test]
fn domain_examples_where_v4_and_v5_disagree() {
    // 2-year-old HR 150: v4 band 3 mo–3 y HR > 160 → no; v5 band 1–3 y HR > 140 → yes.
    assert_eq!(two_resource_child("Years(2)", 150, 24, true), 3);
    assert_eq!(two_resource_child("Years(2)", 150, 24, false), 2);
    // 6-year-old HR 130: v4 band 3–8 y HR > 140 → no; v5 band 5–12 y HR > 120 → yes.
    assert_eq!(two_resource_child("Years(6)", 130, 20, true), 3);
    assert_eq!(two_resource_child("Years(6)", 130, 20, false), 2);
    // 2-month-old RR 52: v4 band < 3 mo RR > 50 → yes; v5 band 1–12 mo RR > 55 → no.
    assert_eq!(two_resource_child("Months(2)", 140, 52, true), 2);
    assert_eq!(two_resource_child("Months(2)", 140, 52, false), 3);
}

#[test]
fn spo2_below_92_is_a_danger_zone_vital_in_both_versions() {
    let fields = r#"age: Years(50), chief_complaint: "cough", vitals: (spo2_percent: 91), resources: [Cbc, ChestXray]"#;
    assert_eq!(key(fields).level, 2);
    assert_eq!(key_v4(fields).level, 2);
    let fields = r#"age: Years(50), chief_complaint: "cough", vitals: (spo2_percent: 92), resources: [Cbc, ChestXray]"#;
    assert_eq!(key(fields).level, 3);
}

// ---------------------------------------------------------------- resource traps

fn resources_of(list: &str) -> (usize, u8) {
    let r = key(&format!(
        r#"age: Years(30), chief_complaint: "x", resources: [{list}]"#
    ));
    (r.resources, r.level)
}

#[test]
fn several_labs_are_one_resource() {
    assert_eq!(
        resources_of("Cbc, Bmp, Coags, Troponin, Lipase, Urinalysis, BloodCulture"),
        (1, 4)
    );
}

#[test]
fn non_resources_count_zero() {
    // PO medication, point-of-care tests, simple wound care, crutches/splints/slings, tetanus,
    // saline lock, prescription refill, phone call, H&P and pelvic exam: ESI 5.
    assert_eq!(
        resources_of(
            "PoMedication, FingerstickGlucose, PocUrineHcg, UrineDipstick, SimpleWoundCare, Crutches, Splint, Sling, TetanusShot, SalineLock, PrescriptionRefill, PhoneCallToPcp, HistoryAndPhysical, PelvicExam"
        ),
        (0, 5)
    );
}

#[test]
fn procedural_sedation_counts_two() {
    // Shoulder reduction under sedation: sedation (2) → ESI 3 on its own.
    let r = key(
        r#"age: Years(30), chief_complaint: "shoulder popped out", resources: [ProceduralSedation]"#,
    );
    assert_eq!(summary(&r), (3, DecisionPoint::D, 2));
    assert_eq!(r.resource_types, vec![ResourceType::ComplexProcedure]);
    // With X-rays: 1 + 2 = 3.
    assert_eq!(
        resources_of("ExtremityXray, ProceduralSedation, ExtremityXray"),
        (3, 3)
    );
}

#[test]
fn imaging_and_iv_types() {
    // Chest + abdominal X-ray = 1 (X-ray).
    assert_eq!(resources_of("ChestXray, AbdominalXray"), (1, 4));
    // C-spine films + head CT = 2 (X-ray, CT).
    assert_eq!(resources_of("SpineXray, CtHead"), (2, 3));
    // IV fluids + IV antiemetic = 2 (separate rows).
    assert_eq!(resources_of("IvFluids, IvMedication"), (2, 3));
    // IV, IM and nebulized medications are one type.
    assert_eq!(
        resources_of("IvMedication, ImMedication, NebulizedMedication"),
        (1, 4)
    );
    // Laceration repair = 1 simple procedure; tetanus = 0.
    assert_eq!(
        resources_of("LacerationRepair, TetanusShot, SimpleWoundCare"),
        (1, 4)
    );
    // ECG + X-ray: 2 by default, 1 with `ecg_and_xray: OneType`.
    assert_eq!(resources_of("Ecg, ChestXray"), (2, 3));
    let r = key(
        r#"age: Years(30), chief_complaint: "x", resources: [Ecg, ChestXray], settings: (ecg_and_xray: OneType)"#,
    );
    assert_eq!((r.resources, r.level), (1, 4));
}

#[test]
fn rapid_strep_follows_institution_policy() {
    // Same sore throat: point-of-care (default) → 5; lab policy → 4.
    assert_eq!(resources_of("RapidStrep, PoMedication"), (0, 5));
    let r = key(
        r#"age: Years(19), chief_complaint: "sore throat", resources: [RapidStrep], settings: (rapid_tests: Lab)"#,
    );
    assert_eq!(summary(&r), (4, DecisionPoint::C, 1));
}

// ---------------------------------------------------------------- pediatric fever

#[test]
fn febrile_neonate_is_at_least_esi_2() {
    // 20 days, T 38.3 > 38.0 → at least 2 even with no resources, both versions.
    let fields = r#"age: Days(20), chief_complaint: "feels warm", vitals: (temperature_c: 38.3)"#;
    let r = key(fields);
    assert_eq!(
        (r.level, r.decision_point, r.acceptable_levels.clone()),
        (2, DecisionPoint::B, vec![2])
    );
    assert_eq!(
        r.reasons,
        vec!["febrile infant 28 days old or younger (T 38.3 °C > 38.0 °C): at least ESI 2"]
    );
    assert_eq!(key_v4(fields).level, 2);
    // Day 28 is still a neonate; reported fever counts.
    let r = key(
        r#"age: Days(28), chief_complaint: "hot at home", fever_history: true, vitals: (temperature_c: 37.6)"#,
    );
    assert_eq!(r.level, 2);
    // Exactly 38.0 is not > 38.0.
    let r = key(r#"age: Days(20), chief_complaint: "fussy", vitals: (temperature_c: 38.0)"#);
    assert_eq!(r.level, 5);
}

#[test]
fn febrile_young_infant_expects_2_with_resource_level_defensible() {
    // 45 days, T 38.4, labs + UA + cultures (1 type) + chest X-ray → resources 2 → 3.
    let r = key(
        r#"age: Days(45), chief_complaint: "fever", vitals: (temperature_c: 38.4), resources: [Cbc, BloodCulture, Urinalysis, UrineCulture, ChestXray]"#,
    );
    assert_eq!((r.level, r.decision_point), (2, DecisionPoint::B));
    assert_eq!(r.acceptable_levels, vec![2, 3]);
    // Day 89 is still under 3 months; v4 says the same.
    let fields = r#"age: Days(89), chief_complaint: "fever", vitals: (temperature_c: 38.6), resources: [Cbc, ChestXray]"#;
    assert_eq!(key_v4(fields).acceptable_levels, vec![2, 3]);
}

#[test]
fn hypothermic_young_infant_is_esi_2() {
    // v4 < 36.5 in an infant < 90 days; v5 < 36.0.
    let fields = r#"age: Days(50), chief_complaint: "cold and sleepy", mental_status_baseline: Unknown, vitals: (temperature_c: 36.3)"#;
    assert_eq!(key_v4(fields).level, 2);
    assert_eq!(key(fields).level, 5);
    let r = key(r#"age: Days(50), chief_complaint: "cold", vitals: (temperature_c: 35.8)"#);
    assert_eq!((r.level, r.decision_point), (2, DecisionPoint::B));
}

#[test]
fn older_infant_with_source_and_immunized_is_triaged_on_resources() {
    // v5 ch.6: a 10-month-old up to date on immunizations, fever and ear pulling → ESI 5.
    let r = key(
        r#"age: Months(10), chief_complaint: "pulling at his ear", vitals: (temperature_c: 38.6), immunizations: UpToDate, fever_source: Some("ear pulling, red bulging ear drum"), resources: [PoMedication]"#,
    );
    assert_eq!(summary(&r), (5, DecisionPoint::C, 0));
}

#[test]
fn child_3_to_36_months_high_fever_rules() {
    // 10 months, T 39.5 > 39.0, immunized, source known, no resources → 5 by resources.
    let base = r#"age: Months(10), chief_complaint: "fever", vitals: (temperature_c: 39.5), immunizations: UpToDate, fever_source: Some("runny nose"), resources: [PoMedication]"#;
    // v4: consider ESI 3 → expected 3, 5 defensible.
    let r = key_v4(base);
    assert_eq!(
        (r.level, r.decision_point, r.acceptable_levels.clone()),
        (3, DecisionPoint::D, vec![3, 5])
    );
    // v5: consider ESI 2 or 3 → expected 3, 2 and 5 defensible.
    let r = key(base);
    assert_eq!(
        (r.level, r.decision_point, r.acceptable_levels.clone()),
        (3, DecisionPoint::D, vec![2, 3, 5])
    );
    // T 38.6 but incomplete immunizations → same rule.
    let r = key_v4(
        r#"age: Months(18), chief_complaint: "fever", vitals: (temperature_c: 38.6), immunizations: Incomplete, fever_source: Some("cough"), resources: [PoMedication]"#,
    );
    assert_eq!(r.level, 3);
    // No obvious source, with two resources (already 3) → stays 3; v5 adds 2 as acceptable.
    let r = key(
        r#"age: Years(2), chief_complaint: "fever", vitals: (temperature_c: 38.9), immunizations: UpToDate, resources: [Urinalysis, ChestXray]"#,
    );
    assert_eq!((r.level, r.acceptable_levels.clone()), (3, vec![2, 3]));
}

#[test]
fn fever_rule_upper_age_differs_by_version() {
    // 4-year-old, T 39.6, immunized with a source: v4 rule ends at 3 years → 5; v5 → 3.
    let fields = r#"age: Years(4), chief_complaint: "fever", vitals: (temperature_c: 39.6), immunizations: UpToDate, fever_source: Some("sore throat")"#;
    assert_eq!(key_v4(fields).level, 5);
    assert_eq!(key(fields).level, 3);
}

#[test]
fn result_records_version() {
    assert_eq!(
        key_v4(r#"age: Years(1), chief_complaint: "x""#).version,
        EsiVersion::V4
    );
}
