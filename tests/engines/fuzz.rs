//! No input makes the parsers or the engines panic: arbitrary bytes, and random but
//! well-formed timelines and presentations.

use chrono::NaiveDate;
use ehr_sim::tasks::hospice::{Timeline, evaluate};
use ehr_sim::tasks::triage::{Presentation, assess};
use proptest::prelude::*;

fn date(offset_days: i64) -> String {
    let base = NaiveDate::from_ymd_opt(2027, 1, 1).unwrap();
    (base + chrono::TimeDelta::days(offset_days)).to_string()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        let text = String::from_utf8_lossy(&bytes);
        let _ = Presentation::from_ron(&text);
        let _ = Timeline::from_ron(&text);
    }

    #[test]
    fn random_timelines_evaluate_without_panic(
        effective in 0i64..400,
        length in 0i64..500,
        gap in 1i64..200,
        second in any::<bool>(),
        cert_period in 1u32..8,
        cert_offset in -40i64..400,
        care_from in 0i64..600,
        care_len in 0i64..20,
        nursing in 0.0f64..30.0,
        total in 0.0f64..30.0,
        rating in 0u8..12,
        as_of in 0i64..1200,
        prior in 0u32..6,
    ) {
        let end = effective + length;
        let mut elections = format!(
            r#"(effective_date: "{}", statement_date: "{}", attending: Physician, end: (date: "{}", reason: Revocation))"#,
            date(effective), date(effective), date(end)
        );
        if second {
            elections.push_str(&format!(
                r#", (effective_date: "{}", statement_date: "{}", attending: NursePractitioner)"#,
                date(end + gap), date(end + gap)
            ));
        }
        let text = format!(
            r#"(prior_periods_used: {prior}, elections: [{elections}],
                certifications: [(period: {cert_period}, date: "{}", signers: [IdgPhysician])],
                f2f_encounters: [(date: "{}", performed_by: RegisteredNurse)],
                idg_reviews: ["{}"],
                hope_records: [(kind: Huv1, date: "{}", symptom_impact: {{Pain: {rating}}})],
                levels_of_care: [(from: "{}", through: "{}", level: Chc(nursing_hours: {nursing:.2}, total_hours: {total:.2})),
                                 (from: "{}", through: "{}", level: Irc)],
                as_of: "{}")"#,
            date(effective + cert_offset), date(effective + cert_offset),
            date(effective + cert_offset / 2), date(effective + 7),
            date(care_from), date(care_from), date(care_from + 1), date(care_from + 1 + care_len),
            date(as_of),
        );
        if let Ok(timeline) = Timeline::from_ron(&text) {
            let report = evaluate(&timeline);
            prop_assert!(report.findings.windows(2).all(|w| w[0].date <= w[1].date));
            let _ = serde_json::to_string(&report.key()).unwrap();
        }
    }

    #[test]
    fn random_presentations_assess_without_panic(
        days in 0u32..40000,
        hr in 0u16..300,
        rr in 0u16..100,
        spo2 in 50u8..=100,
        temp in 30.0f64..43.0,
        pain in 0u8..=10,
        v4 in any::<bool>(),
    ) {
        let version = if v4 { "V4" } else { "V5" };
        let text = format!(
            r#"(age: Days({days}), chief_complaint: "x", vitals: (heart_rate_bpm: {hr}, respiratory_rate_per_min: {rr}, spo2_percent: {spo2}, temperature_c: {temp:.1}),
                pain: (score: {pain}), mental_status: Confused, resources: [Cbc, ChestXray], settings: (version: {version}))"#
        );
        let p = Presentation::from_ron(&text).unwrap();
        let r = assess(&p);
        prop_assert!((1..=5).contains(&r.level));
        prop_assert!(r.acceptable_levels.contains(&r.level));
    }
}
