//! Hospice rules engine: every rule with its dates worked by hand in the comments.

use chrono::NaiveDate;
use ehr_sim::tasks::hospice::{Finding, HospiceReport, Timeline, TimelineError, evaluate};

fn d(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

fn report(text: &str) -> HospiceReport {
    let t = Timeline::from_ron(text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    evaluate(&t)
}

/// The findings of one rule, as (date, ok, message).
fn rule(r: &HospiceReport, id: &str) -> Vec<(NaiveDate, bool, String)> {
    r.findings
        .iter()
        .filter(|f: &&Finding| f.rule == id)
        .map(|f| (f.date, f.ok, f.message.clone()))
        .collect()
}

/// A single open election with physician attending, plus `extra` timeline fields.
fn one_election(effective: &str, extra: &str) -> HospiceReport {
    report(&format!(
        r#"(elections: [(effective_date: "{effective}", statement_date: "{effective}", attending: Physician)], {extra})"#
    ))
}

// ---------------------------------------------------------------- benefit periods

#[test]
fn benefit_periods_across_a_leap_year() {
    // Election 2027-12-15. BP1 = 90 days: Dec 15–31 (17) + Jan (31) = 48 + Feb 2028 (29, leap)
    // = 77 + Mar 1–13 (13) = 90 → ends 2028-03-13. BP2 starts 2028-03-14: Mar 14–31 (18) + Apr
    // (30) + May (31) = 79 + Jun 1–11 = 90 → ends 2028-06-11. BP3 (60 days) starts 2028-06-12:
    // Jun 12–30 (19) + Jul (31) = 50 + Aug 1–10 = 60 → ends 2028-08-10.
    let r = one_election("2027-12-15", r#"as_of: "2028-07-01""#);
    let got: Vec<_> = r
        .periods
        .iter()
        .map(|p| (p.number, p.start, p.end, p.days))
        .collect();
    assert_eq!(
        got,
        vec![
            (1, d("2027-12-15"), d("2028-03-13"), 90),
            (2, d("2028-03-14"), d("2028-06-11"), 90),
            (3, d("2028-06-12"), d("2028-08-10"), 60),
        ]
    );
    // Certification windows: earliest = start − 15; oral deadline = start + 2.
    // BP1: Dec 15 − 15 = Nov 30; Dec 17. BP2: Mar 14 − 15 = Feb 28 (Feb 29 exists); Mar 16.
    // BP3: Jun 12 − 15 = May 28; Jun 14; F2F window Jun 12 − 30 = May 13 .. Jun 12.
    let windows: Vec<_> = r
        .periods
        .iter()
        .map(|p| {
            (
                p.cert_earliest,
                p.oral_cert_deadline,
                p.f2f_required,
                p.f2f_window,
            )
        })
        .collect();
    assert_eq!(
        windows,
        vec![
            (d("2027-11-30"), d("2027-12-17"), false, None),
            (d("2028-02-28"), d("2028-03-16"), false, None),
            (
                d("2028-05-28"),
                d("2028-06-14"),
                true,
                Some((d("2028-05-13"), d("2028-06-12")))
            ),
        ]
    );
}

#[test]
fn same_dates_without_a_leap_day_end_one_day_later() {
    // Election 2026-12-15: Feb 2027 has 28 days → BP1 ends 2027-03-14.
    let r = one_election("2026-12-15", r#"as_of: "2027-01-01""#);
    assert_eq!(r.periods.len(), 1);
    assert_eq!(r.periods[0].end, d("2027-03-14"));
}

#[test]
fn next_period_is_listed_once_its_certification_window_opens() {
    // BP1 2028-01-10..2028-04-08 (Jan 22 + Feb 29 + Mar 31 = 82, Apr 8 = 90). Review 2028-03-23
    // + 15 = 04-07 ≤ 04-08 → only BP1; review 03-25 + 15 = 04-09 > 04-08 → BP2 (from 04-09) too.
    assert_eq!(
        one_election("2028-01-10", r#"as_of: "2028-03-23""#)
            .periods
            .len(),
        1
    );
    let r = one_election("2028-01-10", r#"as_of: "2028-03-25""#);
    assert_eq!(r.periods.len(), 2);
    assert_eq!(
        (r.periods[1].start, r.periods[1].end),
        (d("2028-04-09"), d("2028-07-07"))
    );
}

const REVOKE_AND_REELECT: &str = r#"(
    elections: [
        (effective_date: "2028-01-10", statement_date: "2028-01-10", attending: Physician,
         noe: (accepted: "2028-01-12"),
         end: (date: "2028-05-01", reason: Revocation)),
        (effective_date: "2028-06-01", statement_date: "2028-06-01", attending: Physician,
         noe: (submitted: "2028-06-02", accepted: "2028-06-03")),
    ],
    certifications: [
        (period: 1, date: "2028-01-10", signers: [HospiceMedicalDirector, AttendingPhysician]),
        (period: 2, date: "2028-04-05", signers: [IdgPhysician]),
        (period: 3, kind: Initial, date: "2028-06-01", signers: [HospiceMedicalDirector, AttendingPhysician]),
    ],
    f2f_encounters: [(date: "2028-05-28", performed_by: HospiceNursePractitioner)],
    as_of: "2028-06-20",
)"#;

#[test]
fn revocation_forfeits_the_period_and_re_election_starts_the_next() {
    // BP1 2028-01-10..04-08; BP2 04-09..07-07 (Apr 22 + May 31 + Jun 30 = 83, Jul 7 = 90).
    // Revoked 05-01 in BP2: forfeits May 2..Jul 7 = 30 + 30 + 7 = 67 days. Re-election 06-01
    // starts BP3 (60 days): 06-01..07-30; it needs a F2F in [05-02, 06-01] and is an *initial*
    // certification (attending must sign).
    let r = report(REVOKE_AND_REELECT);
    let got: Vec<_> = r
        .periods
        .iter()
        .map(|p| (p.number, p.election, p.start, p.end))
        .collect();
    assert_eq!(
        got,
        vec![
            (1, 0, d("2028-01-10"), d("2028-04-08")),
            (2, 0, d("2028-04-09"), d("2028-07-07")),
            (3, 1, d("2028-06-01"), d("2028-07-30")),
        ]
    );
    assert_eq!(
        r.periods[1].ended_early.map(|e| e.date),
        Some(d("2028-05-01"))
    );
    assert_eq!(
        rule(&r, "period.end"),
        vec![(
            d("2028-05-01"),
            true,
            "revocation on 2028-05-01: the remaining 67 day(s) of period 2 (through 2028-07-07) are forfeited; a new election starts period 3".to_owned()
        )]
    );
    assert_eq!(
        r.periods[2].f2f_window,
        Some((d("2028-05-02"), d("2028-06-01")))
    );
    assert_eq!(
        rule(&r, "f2f.window"),
        vec![(
            d("2028-05-28"),
            true,
            "face-to-face for period 3 on 2028-05-28 by a hospice nurse practitioner, within 2028-05-02–2028-06-01".to_owned()
        )]
    );
    // Every certification passes its window and signer rules.
    assert!(rule(&r, "cert.signers").iter().all(|(_, ok, _)| *ok));
    assert!(rule(&r, "cert.earliest").iter().all(|(_, ok, _)| *ok));
    assert!(
        r.findings
            .iter()
            .filter(|f| f.rule.starts_with("cert"))
            .all(|f| f.ok)
    );
    // The JSON key describes the current (second) election: NOE deadline 06-01 + 5 = 06-06.
    let key = r.key();
    assert_eq!(key.noe.deadline, Some(d("2028-06-06")));
    assert_eq!(key.noe.timely, Some(true));
}

#[test]
fn prior_history_sets_the_first_period_number() {
    // Two periods used at another hospice, then a new election 2028-03-01 → period 3 (60 days,
    // ends 04-29: Mar 31 + Apr 29), F2F required in [01-31, 03-01].
    let r = report(
        r#"(prior_periods_used: 2, elections: [(effective_date: "2028-03-01", statement_date: "2028-03-01", attending: NoAttending)], as_of: "2028-03-10")"#,
    );
    let p = &r.periods[0];
    assert_eq!(
        (p.number, p.end, p.f2f_window),
        (3, d("2028-04-29"), Some((d("2028-01-31"), d("2028-03-01"))))
    );
    // No F2F on file, window closed before the review date → not ok.
    assert_eq!(
        rule(&r, "f2f.window"),
        vec![(
            d("2028-03-01"),
            false,
            "no face-to-face encounter for period 3 in 2028-01-31–2028-03-01: the patient cannot be recertified".to_owned()
        )]
    );
}

// ---------------------------------------------------------------- NOE

#[test]
fn late_noe_makes_days_before_acceptance_provider_liable() {
    // Palmetto example: admission 4/7, NOE accepted 4/14. Deadline 4/7 + 5 = 4/12; late;
    // liable 4/7 through 4/13 (7 days).
    let r = report(
        r#"(elections: [(effective_date: "2028-04-07", statement_date: "2028-04-07", attending: Physician, noe: (submitted: "2028-04-13", accepted: "2028-04-14"))])"#,
    );
    let key = r.key();
    assert_eq!(key.noe.deadline, Some(d("2028-04-12")));
    assert_eq!(key.noe.timely, Some(false));
    let liable: Vec<NaiveDate> = (7..=13)
        .map(|day| d(&format!("2028-04-{day:02}")))
        .collect();
    assert_eq!(key.noe.provider_liable_days, liable);
    assert_eq!(
        rule(&r, "noe.timely"),
        vec![(
            d("2028-04-14"),
            false,
            "NOE accepted 2028-04-14, after the deadline 2028-04-12 (effective date 2028-04-07 + 5 days); 7 provider-liable day(s) 2028-04-07 to 2028-04-13 (occurrence span code 77)".to_owned()
        )]
    );
}

#[test]
fn noe_on_the_deadline_is_timely_and_missing_noe_is_late() {
    let r = one_election("2028-04-07", r#"as_of: "2028-04-20""#);
    // No NOE and the deadline 04-12 has passed at review 04-20: every day 04-07..04-20 liable.
    let key = r.key();
    assert_eq!(key.noe.timely, Some(false));
    assert_eq!(key.noe.provider_liable_days.len(), 14);
    let r = report(
        r#"(elections: [(effective_date: "2028-04-07", statement_date: "2028-04-07", attending: Physician, noe: (accepted: "2028-04-12"))])"#,
    );
    assert_eq!(
        (r.key().noe.timely, r.key().noe.provider_liable_days.len()),
        (Some(true), 0)
    );
    // Pending: review 04-10, deadline 04-12 not reached → null, no finding.
    let r = one_election("2028-04-07", r#"as_of: "2028-04-10""#);
    assert_eq!(r.key().noe.timely, None);
    assert!(rule(&r, "noe.timely").is_empty());
}

// ---------------------------------------------------------------- certification

#[test]
fn oral_and_written_certification_deadlines() {
    // BP1 starts 2028-01-10: earliest 2027-12-26 (−15), oral deadline 2028-01-12 (+2).
    let r = one_election(
        "2028-01-10",
        r#"certifications: [(period: 1, form: Oral, date: "2028-01-12", signers: [HospiceMedicalDirector, AttendingPhysician]),
                            (period: 1, date: "2028-01-20", signers: [HospiceMedicalDirector, AttendingPhysician])],
           as_of: "2028-01-25""#,
    );
    assert_eq!(
        rule(&r, "cert.timely"),
        vec![(
            d("2028-01-12"),
            true,
            "oral certification for period 1 on 2028-01-12, by 2028-01-12; the written certification must follow before billing".to_owned()
        )]
    );
    // Written only, on day 4 (01-13) → not timely.
    let r = one_election(
        "2028-01-10",
        r#"certifications: [(period: 1, date: "2028-01-13", signers: [HospiceMedicalDirector, AttendingPhysician])]"#,
    );
    assert_eq!(
        rule(&r, "cert.timely"),
        vec![(
            d("2028-01-12"),
            false,
            "no written or oral certification for period 1 by 2028-01-12 (2 days after the start 2028-01-10); the written certification is dated 2028-01-13".to_owned()
        )]
    );
    // Signed 15 days before (12-26) is allowed; 16 days before (12-25) is too early.
    let r = one_election(
        "2028-01-10",
        r#"certifications: [(period: 1, date: "2027-12-26", signers: [HospiceMedicalDirector, AttendingPhysician]),
                            (period: 1, date: "2027-12-25", signers: [HospiceMedicalDirector, AttendingPhysician])]"#,
    );
    let early: Vec<_> = rule(&r, "cert.earliest")
        .into_iter()
        .map(|(date, ok, _)| (date, ok))
        .collect();
    assert_eq!(
        early,
        vec![(d("2027-12-25"), false), (d("2027-12-26"), true)]
    );
}

#[test]
fn who_may_sign_each_certification() {
    let signers = |list: &str, attending: &str, period: u32, as_of: &str| {
        let r = report(&format!(
            r#"(elections: [(effective_date: "2028-01-10", statement_date: "2028-01-10", attending: {attending})],
                certifications: [(period: {period}, date: "{as_of}", signers: [{list}])], as_of: "{as_of}")"#
        ));
        rule(&r, "cert.signers")
            .into_iter()
            .map(|(_, ok, m)| (ok, m))
            .collect::<Vec<_>>()
    };
    // Initial: hospice MD + attending physician → valid.
    assert_eq!(
        signers("HospiceMedicalDirector, AttendingPhysician", "Physician", 1, "2028-01-10"),
        vec![(true, "initial certification for period 1 signed by hospice medical director and attending physician: valid".to_owned())]
    );
    // Initial without the attending physician → not valid.
    assert_eq!(
        signers("IdgPhysician", "Physician", 1, "2028-01-10"),
        vec![(false, "initial certification for period 1 signed by IDG physician: the attending physician must also sign the initial certification".to_owned())]
    );
    // Attending is an NP: the NP may not certify; the hospice physician alone suffices.
    assert!(signers("IdgPhysician", "NursePractitioner", 1, "2028-01-10")[0].0);
    assert_eq!(
        signers("IdgPhysician, NursePractitioner", "NursePractitioner", 1, "2028-01-10"),
        vec![(false, "initial certification for period 1 signed by IDG physician and nurse practitioner: a nurse practitioner may not certify terminal illness".to_owned())]
    );
    // Recertification (period 2 starts 04-09): hospice physician only; attending alone fails.
    assert!(signers("IdgPhysician", "Physician", 2, "2028-04-01")[0].0);
    assert_eq!(
        signers("AttendingPhysician", "Physician", 2, "2028-04-01"),
        vec![(false, "recertification for period 2 signed by attending physician: a recertification must be signed by the hospice medical director or an IDG physician (the attending's signature does not suffice)".to_owned())]
    );
    assert!(!signers("PhysicianAssistant", "Physician", 2, "2028-04-01")[0].0);
}

#[test]
fn certification_labelled_with_the_wrong_kind_or_period() {
    let r = one_election(
        "2028-01-10",
        r#"certifications: [(period: 1, kind: Recertification, date: "2028-01-10", signers: [HospiceMedicalDirector, AttendingPhysician]),
                            (period: 5, date: "2028-01-11", signers: [IdgPhysician])]"#,
    );
    assert_eq!(
        rule(&r, "cert.kind"),
        vec![(d("2028-01-10"), false, "period 1 needs an initial certification, but the certification is labelled recertification".to_owned())]
    );
    assert_eq!(
        rule(&r, "cert.period"),
        vec![(d("2028-01-11"), false, "certification dated 2028-01-11 names period 5, which is not among the benefit periods listed through the review date (1–1)".to_owned())]
    );
}

// ---------------------------------------------------------------- face-to-face

/// Patient in period 3 from 2028-07-08 (BP1 01-10..04-08, BP2 04-09..07-07), with one F2F.
fn third_period_f2f(date: &str, role: &str) -> Vec<(NaiveDate, bool, String)> {
    let r = one_election(
        "2028-01-10",
        &format!(
            r#"f2f_encounters: [(date: "{date}", performed_by: {role})], as_of: "2028-07-20""#
        ),
    );
    let p = &r.periods[2];
    assert_eq!(
        (p.number, p.start, p.f2f_window),
        (3, d("2028-07-08"), Some((d("2028-06-08"), d("2028-07-08"))))
    );
    r.findings
        .iter()
        .filter(|f| f.rule.starts_with("f2f"))
        .map(|f| (f.date, f.ok, f.message.clone()))
        .collect()
}

#[test]
fn f2f_window_is_30_days_before_through_the_first_day() {
    // Window 07-08 − 30 = 06-08 .. 07-08: both ends are timely.
    assert!(third_period_f2f("2028-06-08", "IdgPhysician")[0].1);
    assert!(third_period_f2f("2028-07-08", "HospiceMedicalDirector")[0].1);
    // One day early (06-07) or one day late (07-09) → outside.
    assert_eq!(
        third_period_f2f("2028-06-07", "IdgPhysician"),
        vec![(
            d("2028-06-07"),
            false,
            "face-to-face for period 3 on 2028-06-07 is outside the window 2028-06-08–2028-07-08"
                .to_owned()
        )]
    );
    assert!(!third_period_f2f("2028-07-09", "IdgPhysician")[0].1);
    // An RN or the non-hospice attending may not perform it.
    assert_eq!(
        third_period_f2f("2028-07-01", "RegisteredNurse"),
        vec![(d("2028-07-01"), false, "face-to-face for period 3 on 2028-07-01 was done by a registered nurse: only a hospice physician or hospice nurse practitioner may perform it".to_owned())]
    );
    assert!(!third_period_f2f("2028-07-01", "AttendingPhysician")[0].1);
}

#[test]
fn f2f_must_precede_the_recertification_and_exceptional_circumstances_extend_the_window() {
    let r = one_election(
        "2028-01-10",
        r#"f2f_encounters: [(date: "2028-07-02", performed_by: IdgPhysician)],
           certifications: [(period: 3, date: "2028-06-30", signers: [IdgPhysician])], as_of: "2028-07-20""#,
    );
    assert_eq!(
        rule(&r, "f2f.before_recert"),
        vec![(d("2028-06-30"), false, "recertification for period 3 signed 2028-06-30, before the face-to-face on 2028-07-02: the encounter must come first".to_owned())]
    );
    // New admission in period 3 (2 prior periods) with documented exceptional circumstances:
    // window 2028-02-10 .. 03-11 + 2 = 03-13; an F2F on 03-13 is timely.
    let r = report(
        r#"(prior_periods_used: 2, elections: [(effective_date: "2028-03-11", statement_date: "2028-03-11", attending: NoAttending, f2f_exceptional_circumstances: true)],
            f2f_encounters: [(date: "2028-03-13", performed_by: HospiceMedicalDirector)])"#,
    );
    assert_eq!(
        r.periods[0].f2f_window,
        Some((d("2028-02-10"), d("2028-03-13")))
    );
    assert!(rule(&r, "f2f.window")[0].1);
}

// ---------------------------------------------------------------- election statement

#[test]
fn election_statement_elements_and_effective_date() {
    let r = report(
        r#"(elections: [(effective_date: "2028-01-09", statement_date: "2028-01-10", attending: Physician, missing_elements: [Waiver, BfccQio])])"#,
    );
    assert_eq!(
        rule(&r, "election.elements"),
        vec![
            (d("2028-01-10"), false, "election statement is missing acknowledgement of the waiver of other Medicare services".to_owned()),
            (d("2028-01-10"), false, "election statement is missing information on the BFCC-QIO and immediate advocacy".to_owned()),
        ]
    );
    assert_eq!(
        rule(&r, "election.effective_date"),
        vec![(d("2028-01-09"), false, "effective date 2028-01-09 is before the election statement was signed (2028-01-10): it may not be earlier".to_owned())]
    );
    // Before 2020-10-01 the BFCC-QIO element was not required.
    let r = report(
        r#"(elections: [(effective_date: "2020-09-01", statement_date: "2020-09-01", attending: Physician, missing_elements: [BfccQio])])"#,
    );
    assert!(rule(&r, "election.elements")[0].1);
}

// ---------------------------------------------------------------- assessments and IDG

#[test]
fn assessment_deadlines() {
    // Effective 2028-01-10: initial due 01-12 (48 h), comprehensive due 01-15 (5 days).
    let r = report(
        r#"(elections: [(effective_date: "2028-01-10", statement_date: "2028-01-10", attending: Physician, initial_assessment: "2028-01-13", comprehensive_assessment: "2028-01-15")])"#,
    );
    assert_eq!(
        rule(&r, "assessment.initial"),
        vec![(
            d("2028-01-13"),
            false,
            "RN initial assessment on 2028-01-13 is late: due by 2028-01-12 (within 48 hours)"
                .to_owned()
        )]
    );
    assert_eq!(
        rule(&r, "assessment.comprehensive"),
        vec![(
            d("2028-01-15"),
            true,
            "comprehensive assessment on 2028-01-15, by 2028-01-15 (within 5 days)".to_owned()
        )]
    );
    assert_eq!(r.care[0].initial_assessment_due, d("2028-01-12"));
}

#[test]
fn idg_reviews_at_most_every_15_days() {
    // From 01-10: 01-24 (14 days) ok, 02-08 (15) ok, 02-24 (16) late; next due 02-24 + 15 =
    // 03-10, review date 03-15 → missed.
    let r = one_election(
        "2028-01-10",
        r#"idg_reviews: ["2028-02-08", "2028-01-24", "2028-02-24"], as_of: "2028-03-15""#,
    );
    assert_eq!(
        rule(&r, "idg.interval"),
        vec![
            (d("2028-01-24"), true, "IDG review on 2028-01-24, 14 day(s) after the effective date 2028-01-10 (at most 15; due by 2028-01-25)".to_owned()),
            (d("2028-02-08"), true, "IDG review on 2028-02-08, 15 day(s) after the previous review 2028-01-24 (at most 15; due by 2028-02-08)".to_owned()),
            (d("2028-02-24"), false, "IDG review on 2028-02-24, 16 day(s) after the previous review 2028-02-08 (at most 15; due by 2028-02-23)".to_owned()),
            (d("2028-03-10"), false, "no IDG review by 2028-03-10 (15 days after the previous review 2028-02-24)".to_owned()),
        ]
    );
}

// ---------------------------------------------------------------- HOPE

const HOPE_STAY: &str = r#"(
    elections: [(effective_date: "2025-10-01", statement_date: "2025-10-01", attending: Physician,
                 end: (date: "2025-10-31", reason: Death))],
    hope_records: [
        (kind: Admission, date: "2025-10-02", symptom_impact: {Pain: 2, Anxiety: 1}),
        (kind: Huv1, date: "2025-10-08", symptom_impact: {Nausea: 3, Pain: 1}, sfv_not_done: Declined),
        (kind: Huv2, date: "2025-10-20", symptom_impact: {Pain: 1, ShortnessOfBreath: 9}),
        (kind: Discharge, date: "2025-10-31", symptom_impact: {Pain: 3}),
    ],
    sfv_dates: ["2025-10-04"],
)"#;

#[test]
fn hope_windows_and_symptom_follow_up() {
    // Example from docs/domain/hospice.md §7.3: admit 10/1 (day 1) → HUV1 10/6–10/15,
    // HUV2 10/16–10/30.
    let r = report(HOPE_STAY);
    let key = r.key();
    assert_eq!(
        key.hope.huv1_window,
        Some([d("2025-10-06"), d("2025-10-15")])
    );
    assert_eq!(
        key.hope.huv2_window,
        Some([d("2025-10-16"), d("2025-10-30")])
    );
    // SFV due: admission 10-02 (pain 2) → 10-04; HUV1 10-08 (nausea 3) → 10-10. HUV2 has no
    // 2/3; discharge records never trigger an SFV.
    assert_eq!(key.hope.sfv_due, vec![d("2025-10-04"), d("2025-10-10")]);
    assert_eq!(
        rule(&r, "hope.sfv"),
        vec![
            (d("2025-10-04"), true, "admission screening on 2025-10-02 rated Pain 2: symptom follow-up visit on 2025-10-04, by 2025-10-04".to_owned()),
            (d("2025-10-10"), false, "HUV1 screening on 2025-10-08 rated Nausea 3: no symptom follow-up visit by 2025-10-10 (recorded reason: declined)".to_owned()),
        ]
    );
    for id in ["hope.admission", "hope.huv1", "hope.huv2", "hope.discharge"] {
        assert!(rule(&r, id).iter().all(|(_, ok, _)| *ok), "{id}");
    }
}

#[test]
fn hope_day_zero_setting_shifts_the_windows_and_missing_huv_is_flagged() {
    let r = one_election(
        "2025-10-01",
        r#"as_of: "2025-11-15", settings: (hope_day_counting: AdmissionIsDay0)"#,
    );
    let key = r.key();
    assert_eq!(
        key.hope.huv1_window,
        Some([d("2025-10-07"), d("2025-10-16")])
    );
    assert_eq!(
        key.hope.huv2_window,
        Some([d("2025-10-17"), d("2025-10-31")])
    );
    assert_eq!(
        rule(&r, "hope.huv1"),
        vec![(
            d("2025-10-16"),
            false,
            "no HOPE HUV1 record in the window 2025-10-07–2025-10-16".to_owned()
        )]
    );
    // Died on day 12 (10-12), before the HUV1 window ended → HUV1/HUV2 not required.
    let r = report(
        r#"(elections: [(effective_date: "2025-10-01", statement_date: "2025-10-01", attending: Physician, end: (date: "2025-10-12", reason: Death))],
            hope_records: [(kind: Admission, date: "2025-10-01"), (kind: Discharge, date: "2025-10-12")], as_of: "2025-11-15")"#,
    );
    assert!(rule(&r, "hope.huv1").is_empty() && rule(&r, "hope.huv2").is_empty());
    // Admission before 2025-10-01 (HIS era): no HOPE windows.
    let r = one_election("2025-09-30", r#"as_of: "2025-11-15""#);
    assert_eq!(r.key().hope.huv1_window, None);
}

// ---------------------------------------------------------------- levels of care

#[test]
fn respite_sixth_day_is_flagged() {
    // Respite 02-01..02-06 = 6 consecutive days: day 6 (02-06) beyond the 5-day limit.
    let r = one_election(
        "2028-01-10",
        r#"levels_of_care: [(from: "2028-01-10", through: "2028-01-31", level: Rhc),
                            (from: "2028-02-01", through: "2028-02-06", level: Irc),
                            (from: "2028-02-07", level: Rhc),
                            (from: "2028-02-20", through: "2028-02-24", level: Irc)]"#,
    );
    assert_eq!(
        rule(&r, "loc.respite"),
        vec![
            (d("2028-02-06"), false, "respite day 6 (2028-02-06) exceeds the 5-day limit (respite began 2028-02-01): paid at the routine home care rate".to_owned()),
            (d("2028-02-20"), true, "inpatient respite 2028-02-20 to 2028-02-24: 5 day(s), within the 5-day limit".to_owned()),
        ]
    );
}

#[test]
fn continuous_home_care_qualification_per_day() {
    let r = one_election(
        "2028-01-10",
        r#"levels_of_care: [(from: "2028-01-20", level: Chc(nursing_hours: 4.5, total_hours: 8.0)),
                            (from: "2028-01-21", level: Chc(nursing_hours: 4.0, total_hours: 8.0)),
                            (from: "2028-01-22", level: Chc(nursing_hours: 7.5, total_hours: 7.5))]"#,
    );
    assert_eq!(
        rule(&r, "loc.chc"),
        vec![
            (d("2028-01-20"), true, "continuous home care on 2028-01-20: 4.5 nursing of 8 total hours, qualifies as continuous home care".to_owned()),
            (d("2028-01-21"), false, "continuous home care on 2028-01-21: 4 nursing of 8 total hours, does not qualify (nursing is not more than half of the hours): paid as routine home care".to_owned()),
            (d("2028-01-22"), false, "continuous home care on 2028-01-22: 7.5 nursing of 7.5 total hours, does not qualify (fewer than 8 hours of care): paid as routine home care".to_owned()),
        ]
    );
}

#[test]
fn routine_home_care_rate_changes_on_day_61() {
    // Effective 2028-01-10: day 61 = 01-10 + 60 = 03-10 (Jan 22 + Feb 29 = 51, Mar 10 = 61).
    let r = one_election("2028-01-10", r#"as_of: "2028-03-10""#);
    assert_eq!(r.rhc_low_rate_from, vec![Some(d("2028-03-10"))]);
    let r = one_election("2028-01-10", r#"as_of: "2028-03-09""#);
    assert_eq!(r.rhc_low_rate_from, vec![None]);
    // Re-election after a 30-day gap continues the count: stay 1 = 01-10..02-08 (30 days);
    // out 02-09..03-09 (30 days < 60); stay 2 from 03-10 is day 31 → day 61 = 04-09.
    // After a 60-day gap the count restarts: stay 2 from 04-09 → day 61 = 06-08.
    let two_stays = |second: &str| {
        report(&format!(
            r#"(elections: [(effective_date: "2028-01-10", statement_date: "2028-01-10", attending: Physician, end: (date: "2028-02-08", reason: Revocation)),
                            (effective_date: "{second}", statement_date: "{second}", attending: Physician)], as_of: "2028-07-01")"#
        ))
        .rhc_low_rate_from
    };
    assert_eq!(two_stays("2028-03-10"), vec![None, Some(d("2028-04-09"))]);
    assert_eq!(two_stays("2028-04-09"), vec![None, Some(d("2028-06-08"))]);
}

// ---------------------------------------------------------------- validation

#[test]
fn inconsistent_timelines_list_every_problem() {
    let err = Timeline::from_ron(
        r#"(elections: [(effective_date: "2028-01-10", statement_date: "2028-01-10", attending: Physician)],
            hope_records: [(kind: Admission, date: "2028-01-11", symptom_impact: {Pain: 4})],
            levels_of_care: [(from: "2028-01-12", level: Chc(nursing_hours: 9.0, total_hours: 8.0)), (from: "2028-01-12", level: Rhc)])"#,
    )
    .unwrap_err();
    assert_eq!(
        err,
        TimelineError::Invalid(vec![
            "hope_records[0].symptom_impact.Pain is 4: use 0, 1, 2, 3 or 9".into(),
            "levels_of_care[0]: Chc hours need 0 ≤ nursing_hours ≤ total_hours ≤ 24".into(),
            "levels_of_care[1] repeats 2028-01-12, already in levels_of_care[0]".into(),
        ])
    );
}

#[test]
fn findings_are_sorted_by_date() {
    let r = report(REVOKE_AND_REELECT);
    assert!(r.findings.windows(2).all(|w| w[0].date <= w[1].date));
}

#[test]
fn duplicate_hope_records_and_stray_idg_reviews_are_rejected() {
    let err = Timeline::from_ron(
        r#"(elections: [(effective_date: "2028-01-10", statement_date: "2028-01-10", attending: Physician, end: (date: "2028-01-31", reason: Death))],
            hope_records: [(kind: Admission, date: "2028-01-10"), (kind: Admission, date: "2028-01-12")],
            idg_reviews: ["2028-02-05"])"#,
    )
    .unwrap_err();
    assert_eq!(
        err,
        TimelineError::Invalid(vec![
            "hope_records[1] is a second Admission record in the same stay as hope_records[0]"
                .into(),
            "idg_reviews[0] 2028-02-05 is outside every hospice stay".into(),
        ])
    );
}

#[test]
fn transfer_in_continues_the_current_period() {
    // One period completed elsewhere; period 2 began 2028-01-01 at the other hospice
    // (Jan 31 + Feb 29 = 60, Mar 30 = 90 → ends 03-30); the patient transfers in on 02-10.
    // Period 2 was certified by the other hospice: no certification findings for it here.
    // Period 3 starts 03-31 (a recertification): F2F window 03-01..03-31.
    // RHC: 40 days already counted → day 61 = 02-10 + 20 = 03-01.
    let r = report(
        r#"(prior_periods_used: 1, prior_hospice_days: 40,
            elections: [(effective_date: "2028-02-10", statement_date: "2028-02-10", attending: Physician,
                         transfer_in_period_start: "2028-01-01", noe: (accepted: "2028-02-12"))],
            certifications: [(period: 3, date: "2028-03-25", signers: [IdgPhysician])],
            f2f_encounters: [(date: "2028-03-15", performed_by: HospiceMedicalDirector)],
            as_of: "2028-03-20")"#,
    );
    let got: Vec<_> = r
        .periods
        .iter()
        .map(|p| (p.number, p.start, p.end, p.transferred_in, p.f2f_window))
        .collect();
    assert_eq!(
        got,
        vec![
            (2, d("2028-01-01"), d("2028-03-30"), true, None),
            (
                3,
                d("2028-03-31"),
                d("2028-05-29"),
                false,
                Some((d("2028-03-01"), d("2028-03-31")))
            ),
        ]
    );
    let certs: Vec<_> = r
        .findings
        .iter()
        .filter(|f| f.rule.starts_with("cert") || f.rule.starts_with("f2f"))
        .map(|f| (f.rule, f.date, f.ok))
        .collect();
    assert_eq!(
        certs,
        vec![
            ("f2f.window", d("2028-03-15"), true),
            ("cert.earliest", d("2028-03-25"), true),
            ("cert.signers", d("2028-03-25"), true),
            ("cert.timely", d("2028-03-25"), true),
        ]
    );
    assert_eq!(r.rhc_low_rate_from, vec![Some(d("2028-03-01"))]);
    assert_eq!(r.key().noe.deadline, Some(d("2028-02-15")));
}
