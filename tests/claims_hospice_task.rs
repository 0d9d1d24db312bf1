//! Hospice claims in the claims task kind: each hospice scenario's key is the document the
//! hospice claim builder gives for the generated timeline and billing file; it grades 100 %, a
//! blank at most 20 %, and passes the scrubber, for five seeds; the month with the level-of-care
//! change splits 0651 at day 61 and bills only the qualifying CHC days; the notices carry their
//! occurrence codes; the printout gives the visit and care logs without the form's codes.

use ehr_sim::case::{Case, generate};
use ehr_sim::tasks::claims::case::ClaimCase;
use ehr_sim::tasks::claims::hospice_case::HospiceCase;
use ehr_sim::tasks::claims::hospice_claim::{HospiceClaimKind, build};
use ehr_sim::tasks::claims::model::{Claim, Ub04};
use ehr_sim::tasks::claims::spec::{HospiceDocument, HospiceMonth};
use ehr_sim::tasks::claims::task;
use ehr_sim::tasks::hospice::timeline::LevelOfCare;
use ehr_sim::tasks::hospice::{EndReason, evaluate};
use ehr_sim::tasks::{TaskContext, TaskMaterial, TaskSpec};

const SCENARIOS: [&str; 3] = [
    "hospice_month_level_change_day61",
    "hospice_notice_of_election",
    "hospice_notice_of_revocation",
];

const SEEDS: [u64; 5] = [0, 1, 2, 7, 42];

fn case(id: &str, seed: u64) -> Case {
    generate(&crate::shipped(id), seed, 0)
}

fn material(c: &Case) -> &ClaimCase {
    let TaskMaterial::Claims(m) = &c.task else {
        panic!("claims material");
    };
    m
}

fn hospice(c: &Case) -> &HospiceCase {
    material(c).hospice.as_deref().expect("hospice case")
}

fn ub04(m: &ClaimCase) -> Ub04 {
    match task::key_claim(m) {
        Claim::Institutional(u) => *u,
        Claim::Professional(_) => panic!("a hospice claim is a UB-04"),
    }
}

#[test]
fn hospice_claim_keys_grade_full_blanks_little_and_pass_the_scrubber() {
    for id in SCENARIOS {
        for seed in SEEDS {
            crate::claims_task::key_grades_full_blank_little_and_scrubs_clean(id, seed);
        }
    }
}

/// The key is the builder's claim for the document, never typed beside it.
#[test]
fn the_key_is_the_builders_claim_for_the_document() {
    for id in SCENARIOS {
        for seed in SEEDS {
            let c = case(id, seed);
            let h = hospice(&c);
            let built = build(&h.timeline, &h.billing);
            let current = h.timeline.elections.len() - 1;
            let want = match h.document {
                HospiceDocument::Noe => HospiceClaimKind::NoticeOfElection,
                HospiceDocument::Notr => HospiceClaimKind::NoticeOfTermination,
                HospiceDocument::MonthlyClaim(_) => HospiceClaimKind::Monthly,
            };
            let from_builder: Vec<&Ub04> = built
                .claims
                .iter()
                .filter(|b| b.election == current && b.kind == want)
                .map(|b| &b.claim)
                .collect();
            assert!(
                from_builder.contains(&&ub04(material(&c))),
                "{id} seed {seed}"
            );
        }
    }
}

/// The month of the crisis: 0813 (the stay goes on), status 30, two 0651 lines split at the
/// engine's day-61 date, one 0652 line per crisis day of 8 hours or more (32 units or more),
/// the 6-hour first crisis day billed as routine home care, and the visits of the month.
#[test]
fn the_level_of_care_month_splits_0651_at_day_61_and_bills_qualifying_chc_days() {
    for seed in SEEDS {
        let c = case("hospice_month_level_change_day61", seed);
        let h = hospice(&c);
        assert_eq!(
            h.document,
            HospiceDocument::MonthlyClaim(HospiceMonth::LevelOfCareChange)
        );
        let u = ub04(material(&c));
        let from = u.statement_from.expect("from");
        let through = u.statement_through.expect("through");
        assert_eq!(u.type_of_bill, "0813", "seed {seed}");
        assert_eq!(u.discharge_status, "30", "seed {seed}");
        assert_eq!(
            (from.format("%d").to_string(), from.format("%m").to_string()),
            ("01".to_string(), "03".to_string()),
            "seed {seed}"
        );
        assert_eq!(through.format("%m-%d").to_string(), "03-31", "seed {seed}");
        assert_eq!(
            u.admission_date,
            h.timeline.elections.first().map(|e| e.effective_date)
        );
        let day61 = evaluate(&h.timeline).rhc_low_rate_from[0].expect("day 61");
        let rhc: Vec<_> = u
            .lines
            .iter()
            .filter(|l| l.revenue_code == "0651")
            .collect();
        assert_eq!(rhc.len(), 2, "seed {seed}");
        assert_eq!(rhc[0].service_date, Some(from), "seed {seed}");
        assert_eq!(rhc[1].service_date, Some(day61), "seed {seed}");
        assert!(rhc.iter().all(|l| l.hcpcs == "Q5001"), "seed {seed}");
        // Every March day is one RHC or CHC day.
        let chc: Vec<_> = u
            .lines
            .iter()
            .filter(|l| l.revenue_code == "0652")
            .collect();
        let rhc_days: u32 = rhc.iter().filter_map(|l| l.units).sum();
        assert_eq!(rhc_days + 2, 31, "seed {seed}");
        assert_eq!(chc.len(), 2, "seed {seed}");
        // The generated crisis: three CHC days, the first of 6 hours.
        let crisis: Vec<_> = h
            .timeline
            .levels_of_care
            .iter()
            .filter_map(|l| match l.level {
                LevelOfCare::Chc { total_hours, .. } => Some((l.from, total_hours)),
                LevelOfCare::Rhc | LevelOfCare::Gip | LevelOfCare::Irc => None,
            })
            .collect();
        assert_eq!(crisis.len(), 3, "seed {seed}");
        assert!((crisis[0].1 - 6.0).abs() < 1e-9, "seed {seed}");
        for (line, (day, hours)) in chc.iter().zip(&crisis[1..]) {
            assert_eq!(line.service_date, Some(*day), "seed {seed}");
            // Whole 15-minute increments of the day's hours, at least 32.
            let units = line.units.expect("units");
            assert_eq!(f64::from(units), (hours * 4.0).floor(), "seed {seed}");
            assert!(units >= 32, "seed {seed}");
        }
        // One visit line per visit charted in March.
        let visits = h
            .billing
            .visits
            .iter()
            .filter(|v| v.date >= from && v.date <= through)
            .count();
        let visit_lines = u.lines.iter().filter(|l| l.hcpcs.starts_with('G')).count();
        assert_eq!(visit_lines, visits, "seed {seed}");
        assert!(visits >= 8, "seed {seed}: {visits}");
        // The 0001 line totals the charges.
        let total = u.lines.last().expect("0001");
        assert_eq!(total.revenue_code, "0001");
        let sum: u64 = u.lines[..u.lines.len() - 1]
            .iter()
            .filter_map(|l| l.total_cents)
            .sum();
        assert_eq!(total.total_cents, Some(sum), "seed {seed}");
        assert!(sum > 0, "seed {seed}");
    }
}

#[test]
fn the_notices_carry_their_dates_and_occurrence_codes() {
    for seed in SEEDS {
        let c = case("hospice_notice_of_election", seed);
        let h = hospice(&c);
        let effective = h.timeline.elections[0].effective_date;
        let u = ub04(material(&c));
        assert_eq!(u.type_of_bill, "081A", "seed {seed}");
        assert_eq!(u.statement_from, Some(effective));
        assert_eq!(u.statement_through, Some(effective));
        assert_eq!(u.admission_date, Some(effective));
        let oc: Vec<(&str, _)> = u
            .occurrences
            .iter()
            .map(|o| (o.code.as_str(), o.date))
            .collect();
        assert_eq!(oc, vec![("27", effective)], "seed {seed}");
        assert!(u.lines.is_empty(), "seed {seed}");
        // The patient's encounter is the election.
        assert_eq!(material(&c).start, effective, "seed {seed}");

        let c = case("hospice_notice_of_revocation", seed);
        let h = hospice(&c);
        let e = &h.timeline.elections[0];
        let end = e.end.expect("the stay ends");
        assert_eq!(end.reason, EndReason::Revocation);
        let u = ub04(material(&c));
        assert_eq!(u.type_of_bill, "081B", "seed {seed}");
        assert_eq!(u.statement_from, Some(e.effective_date));
        assert_eq!(u.statement_through, Some(end.date));
        assert_eq!(u.discharge_status, "01");
        let oc: Vec<(&str, _)> = u
            .occurrences
            .iter()
            .map(|o| (o.code.as_str(), o.date))
            .collect();
        assert_eq!(oc, vec![("42", end.date)], "seed {seed}");
    }
}

#[test]
fn the_hospice_printout_gives_the_logs_not_the_codes() {
    let c = case("hospice_month_level_change_day61", 0);
    let m = material(&c);
    let h = hospice(&c);
    let text = m.printout();
    assert!(
        text.contains("HOSPICE RECORD (Cedar Hollow Hospice, freestanding)"),
        "{text}"
    );
    assert!(text.contains("CARE LOG"), "{text}");
    // One visit-log line per charted visit, with its minutes.
    let logged: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("  ") && l.ends_with(" minutes"))
        .collect();
    assert_eq!(logged.len(), h.billing.visits.len(), "{text}");
    let v = h.billing.visits[0];
    assert!(logged[0].starts_with(&format!("  {}  ", v.date.format("%m/%d/%Y"))));
    assert!(logged[0].ends_with(&format!(" {} minutes", v.units * 15)));
    let crisis_lines = text
        .lines()
        .filter(|l| l.contains("continuous care at home during a crisis"))
        .count();
    assert_eq!(crisis_lines, 3, "{text}");
    assert!(
        text.contains("6 hours of care, 5 of them by a nurse"),
        "{text}"
    );
    assert!(
        text.contains("FILE: the monthly claim of election 1 for March 2026"),
        "{text}"
    );
    for code in ["0651", "0652", "G0299", "G0156", "0813", "Q5001"] {
        assert!(!text.contains(code), "{code} in {text}");
    }
}

#[test]
fn hospice_spec_problems_name_the_item() {
    let loaded = crate::shipped("hospice_notice_of_election");
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
    let h = bad.hospice.as_mut().expect("hospice");
    // An open stay has no NOTR; a month 0 does not exist.
    h.document = HospiceDocument::Notr;
    let items = |s: &ehr_sim::tasks::claims::spec::ClaimsSpec| -> Vec<(String, String)> {
        ehr_sim::tasks::claims::spec::problems(&ctx, s)
            .into_iter()
            .map(|p| (p.item, p.message))
            .collect()
    };
    assert_eq!(
        items(&bad),
        vec![(
            "task.hospice.document".to_string(),
            "a notice of termination/revocation needs a current stay that ends in a revocation or a live discharge".to_string()
        )]
    );
    let h = bad.hospice.as_mut().expect("hospice");
    h.document = HospiceDocument::MonthlyClaim(HospiceMonth::LevelOfCareChange);
    h.timeline.stays[0].start_days = (5, 2);
    assert_eq!(
        items(&bad)
            .into_iter()
            .map(|(item, _)| item)
            .collect::<Vec<_>>(),
        vec![
            "task.hospice.timeline.stays[0].start_days",
            "task.hospice.document"
        ]
    );
    // An open stay begun 2 to 4 days ago is sure to span one month only.
    let mut months = spec.clone();
    let h = months.hospice.as_mut().expect("hospice");
    h.document = HospiceDocument::MonthlyClaim(HospiceMonth::Month(2));
    assert_eq!(
        items(&months),
        vec![(
            "task.hospice.document".to_string(),
            "month 2 may not exist: the shortest stay the timeline draws can fit in 1 month(s)"
                .to_string()
        )]
    );
    let h = months.hospice.as_mut().expect("hospice");
    h.document = HospiceDocument::MonthlyClaim(HospiceMonth::Month(1));
    assert_eq!(items(&months), vec![]);
    let mut no_hospice = spec.clone();
    no_hospice.hospice = None;
    assert_eq!(
        items(&no_hospice),
        vec![(
            "task.hospice".to_string(),
            "a hospice claim needs its timeline and document".to_string()
        )]
    );
}
