//! Hospice claims built from hospice timelines (`tasks::claims::hospice_claim`), checked by hand
//! against docs/domain/claims.md §8 and docs/domain/hospice.md §6: the NOE, the monthly claims
//! (type of bill, statement period, status, occurrence codes and spans, every line with its
//! units and charges), the NOTR, the SIA days; every built claim passes the scrubber; and
//! `ehr-sim claim hospice`.

use chrono::NaiveDate;
use ehr_sim::tasks::claims::hospice_claim::{
    BuiltClaim, Charges, Discipline, HospiceBilling, HospiceClaimKind, HospiceClaims, SiaDay,
    Visit, build,
};
use ehr_sim::tasks::claims::model::{Sex, Ub04};
use ehr_sim::tasks::claims::{Claim, check, parse};
use ehr_sim::tasks::hospice::Timeline;

use crate::ehr_sim_command;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn billing(visits: Vec<Visit>, charges: Charges) -> HospiceBilling {
    HospiceBilling {
        patient_name: "SAMPLE, CARL".into(),
        birth_date: d("1941-11-20"),
        sex: Sex::M,
        insured_id: "2EG4TE5MK74".into(),
        billing_npi: "2876543218".into(),
        attending_npi: "1345678902".into(),
        principal_dx: "C34.90".into(),
        other_dx: vec!["F17.210".into()],
        hospital_based: false,
        home_site: "Q5001".into(),
        inpatient_site: "Q5006".into(),
        visits,
        charges,
    }
}

fn visit(date: &str, discipline: Discipline, units: u32) -> Visit {
    Visit {
        date: d(date),
        discipline,
        units,
        after_death: false,
    }
}

/// Each line as "REV HCPCS[-MOD] DATE UNITS TOTAL".
fn lines(u: &Ub04) -> Vec<String> {
    u.lines
        .iter()
        .map(|l| {
            let mods: String = l.modifiers.iter().map(|m| format!("-{m}")).collect();
            let date = l.service_date.map_or("-".to_owned(), |x| x.to_string());
            let units = l.units.map_or("-".to_owned(), |x| x.to_string());
            format!(
                "{} {}{mods} {date} {units} {}",
                l.revenue_code,
                if l.hcpcs.is_empty() { "-" } else { &l.hcpcs },
                l.total_cents.unwrap_or(0)
            )
            .replace("  ", " ")
        })
        .collect()
}

/// "TOB FROM THROUGH STATUS | OC.. | OSC.. | CC.."
fn header(u: &Ub04) -> String {
    let oc: Vec<String> = u
        .occurrences
        .iter()
        .map(|o| format!("{} {}", o.code, o.date))
        .collect();
    let osc: Vec<String> = u
        .occurrence_spans
        .iter()
        .map(|o| format!("{} {} {}", o.code, o.from, o.through))
        .collect();
    format!(
        "{} {} {} {} | {} | {} | {}",
        u.type_of_bill,
        u.statement_from.unwrap(),
        u.statement_through.unwrap(),
        if u.discharge_status.is_empty() {
            "-"
        } else {
            &u.discharge_status
        },
        oc.join(", "),
        osc.join(", "),
        u.condition_codes.join(", ")
    )
}

fn assert_clean(built: &HospiceClaims) {
    for b in &built.claims {
        let findings = check(&Claim::Institutional(Box::new(b.claim.clone())));
        assert!(findings.is_empty(), "{}: {findings:#?}", header(&b.claim));
    }
}

fn kinds(built: &HospiceClaims) -> Vec<HospiceClaimKind> {
    built.claims.iter().map(|b| b.kind).collect()
}

fn claim(built: &HospiceClaims, k: usize) -> &BuiltClaim {
    &built.claims[k]
}

/// Timeline 1: an open stay from 2026-01-20 across three months. One CHC day of 10 hours (8
/// nursing) is 40 units; one of 6 hours is below the 8-hour minimum and billed as RHC. Seven
/// respite days 03-01 to 03-07: 5 at 0655, days 6 and 7 as RHC. Day 61 is 2026-03-21
/// (01-20 + 60). GIP on 03-25 and 03-26.
const TIMELINE_1: &str = r#"(
    elections: [(effective_date: "2026-01-20", statement_date: "2026-01-19", attending: Physician,
                 noe: (submitted: "2026-01-21", accepted: "2026-01-22"))],
    certifications: [(period: 1, date: "2026-01-19", signers: [HospiceMedicalDirector, AttendingPhysician])],
    levels_of_care: [
        (from: "2026-02-10", level: Chc(nursing_hours: 8.0, total_hours: 10.0)),
        (from: "2026-02-11", level: Chc(nursing_hours: 4.0, total_hours: 6.0)),
        (from: "2026-03-01", through: "2026-03-07", level: Irc),
        (from: "2026-03-25", through: "2026-03-26", level: Gip),
    ],
    as_of: "2026-03-31",
)"#;

#[test]
fn timeline_1_month_crossings_chc_minimum_respite_limit_and_day_61() {
    let t = Timeline::from_ron(TIMELINE_1).unwrap();
    let visits = vec![
        visit("2026-01-20", Discipline::RegisteredNurse, 4),
        visit("2026-01-22", Discipline::Aide, 3),
        visit("2026-02-05", Discipline::SocialWorker, 2),
        visit("2026-02-06", Discipline::SocialWorkerPhone, 1),
    ];
    let built = build(&t, &billing(visits, Charges::default()));
    assert_eq!(
        kinds(&built),
        [
            HospiceClaimKind::NoticeOfElection,
            HospiceClaimKind::Monthly,
            HospiceClaimKind::Monthly,
            HospiceClaimKind::Monthly
        ]
    );
    let noe = claim(&built, 0);
    assert_eq!(
        header(&noe.claim),
        "081A 2026-01-20 2026-01-20 - | 27 2026-01-20 |  | "
    );
    assert_eq!(noe.due, Some(d("2026-01-25")));
    assert!(noe.claim.lines.is_empty());
    let jan = &claim(&built, 1).claim;
    assert_eq!(
        header(jan),
        "0812 2026-01-20 2026-01-31 30 | 27 2026-01-20 |  | "
    );
    assert_eq!(jan.admission_date, Some(d("2026-01-20")));
    assert_eq!(
        lines(jan),
        [
            "0551 G0299 2026-01-20 4 0",
            "0571 G0156 2026-01-22 3 0",
            "0651 Q5001 2026-01-20 12 0",
            "0001 - - - 0"
        ]
    );
    let feb = &claim(&built, 2).claim;
    assert_eq!(header(feb), "0813 2026-02-01 2026-02-28 30 |  |  | ");
    // 02-11 has 6 hours of care: below the 32-unit minimum, so it is one of the 27 RHC days.
    assert_eq!(
        lines(feb),
        [
            "0561 G0155 2026-02-05 2 0",
            "0569 G0155 2026-02-06 1 0",
            "0651 Q5001 2026-02-01 27 0",
            "0652 Q5001 2026-02-10 40 0",
            "0001 - - - 0"
        ]
    );
    let mar = &claim(&built, 3).claim;
    assert_eq!(header(mar), "0813 2026-03-01 2026-03-31 30 |  |  | ");
    // RHC at the higher rate 03-06 to 03-20 (respite days 6-7 and days 47-60: 15 days), at the
    // lower rate from day 61, 03-21, to 03-31 less the 2 GIP days (9 days).
    assert_eq!(
        lines(mar),
        [
            "0651 Q5001 2026-03-06 15 0",
            "0651 Q5001 2026-03-21 9 0",
            "0655 Q5006 2026-03-01 5 0",
            "0656 Q5006 2026-03-25 2 0",
            "0001 - - - 0"
        ]
    );
    assert!(built.sia.is_empty());
    assert!(built.notes.is_empty());
    assert_clean(&built);
}

/// Timeline 2: elected 2026-05-28, NOE accepted 06-05 (deadline 06-02: late, so 05-28 to 06-04
/// are provider liable, span 77), revoked 2026-06-15.
const TIMELINE_2: &str = r#"(
    elections: [(effective_date: "2026-05-28", statement_date: "2026-05-28", attending: Physician,
                 noe: (submitted: "2026-06-05", accepted: "2026-06-05"),
                 end: (date: "2026-06-15", reason: Revocation))],
    certifications: [(period: 1, date: "2026-05-28", signers: [HospiceMedicalDirector, AttendingPhysician])],
)"#;

#[test]
fn timeline_2_late_noe_and_revocation() {
    let t = Timeline::from_ron(TIMELINE_2).unwrap();
    let charges = Charges {
        rhc_day_cents: 21_000,
        ..Charges::default()
    };
    let built = build(&t, &billing(Vec::new(), charges));
    assert_eq!(
        kinds(&built),
        [
            HospiceClaimKind::NoticeOfElection,
            HospiceClaimKind::Monthly,
            HospiceClaimKind::Monthly,
            HospiceClaimKind::NoticeOfTermination
        ]
    );
    assert_eq!(
        header(&claim(&built, 0).claim),
        "081A 2026-05-28 2026-05-28 - | 27 2026-05-28 |  | "
    );
    assert_eq!(claim(&built, 0).due, Some(d("2026-06-02")));
    // The OC 27 date may not fall in a span 77; the first covered day (06-05) is outside May.
    let may = &claim(&built, 1).claim;
    assert_eq!(
        header(may),
        "0812 2026-05-28 2026-05-31 30 |  | 77 2026-05-28 2026-05-31 | "
    );
    assert_eq!(
        lines(may),
        ["0651 Q5001 2026-05-28 4 84000", "0001 - - - 84000"]
    );
    let june = &claim(&built, 2).claim;
    assert_eq!(
        header(june),
        "0814 2026-06-01 2026-06-15 01 | 42 2026-06-15 | 77 2026-06-01 2026-06-04 | "
    );
    assert_eq!(
        lines(june),
        ["0651 Q5001 2026-06-01 15 315000", "0001 - - - 315000"]
    );
    let notr = claim(&built, 3);
    assert_eq!(
        header(&notr.claim),
        "081B 2026-05-28 2026-06-15 01 | 42 2026-06-15 |  | "
    );
    assert_eq!(notr.due, Some(d("2026-06-20")));
    assert_clean(&built);
}

/// Timeline 3: third benefit period (60 days) from 2026-07-01, the fourth from 08-30 recertified
/// on 08-25; CHC of exactly 8 hours (32 units) on 07-10 and 7.75 hours (31 units, RHC) on 07-11;
/// 8 respite days 07-20 to 07-27 (5 respite, 3 RHC); day 61 on 08-30; GIP 09-02 and death on
/// 09-03 in the inpatient unit (status 41, OC 55).
const TIMELINE_3: &str = r#"(
    prior_periods_used: 2,
    elections: [(effective_date: "2026-07-01", statement_date: "2026-07-01", attending: Physician,
                 noe: (submitted: "2026-07-02", accepted: "2026-07-02"),
                 end: (date: "2026-09-03", reason: Death))],
    certifications: [
        (period: 3, date: "2026-07-01", signers: [HospiceMedicalDirector, AttendingPhysician]),
        (period: 4, date: "2026-08-25", signers: [HospiceMedicalDirector]),
    ],
    f2f_encounters: [(date: "2026-06-28", performed_by: HospiceMedicalDirector),
                     (date: "2026-08-20", performed_by: HospiceMedicalDirector)],
    levels_of_care: [
        (from: "2026-07-10", level: Chc(nursing_hours: 6.0, total_hours: 8.0)),
        (from: "2026-07-11", level: Chc(nursing_hours: 5.0, total_hours: 7.75)),
        (from: "2026-07-20", through: "2026-07-27", level: Irc),
        (from: "2026-09-02", through: "2026-09-03", level: Gip),
    ],
)"#;

#[test]
fn timeline_3_recertification_death_as_inpatient_sia_and_charges() {
    let t = Timeline::from_ron(TIMELINE_3).unwrap();
    let mut after_death = visit("2026-09-03", Discipline::RegisteredNurse, 2);
    after_death.after_death = true;
    let visits = vec![
        visit("2026-08-27", Discipline::RegisteredNurse, 4),
        visit("2026-08-29", Discipline::RegisteredNurse, 6),
        visit("2026-08-29", Discipline::SocialWorker, 2),
        visit("2026-08-30", Discipline::PracticalNurse, 4),
        visit("2026-08-30", Discipline::SocialWorkerPhone, 2),
        visit("2026-08-31", Discipline::RegisteredNurse, 20),
        visit("2026-09-02", Discipline::RegisteredNurse, 4),
        after_death,
    ];
    let charges = Charges {
        rhc_day_cents: 20_000,
        chc_unit_cents: 1_500,
        respite_day_cents: 30_000,
        gip_day_cents: 100_000,
        visit_unit_cents: 2_500,
    };
    let built = build(&t, &billing(visits, charges));
    assert_eq!(
        kinds(&built),
        [
            HospiceClaimKind::NoticeOfElection,
            HospiceClaimKind::Monthly,
            HospiceClaimKind::Monthly,
            HospiceClaimKind::Monthly
        ]
    );
    let july = &claim(&built, 1).claim;
    assert_eq!(
        header(july),
        "0812 2026-07-01 2026-07-31 30 | 27 2026-07-01 |  | "
    );
    assert_eq!(
        lines(july),
        [
            "0651 Q5001 2026-07-01 25 500000",
            "0652 Q5001 2026-07-10 32 48000",
            "0655 Q5006 2026-07-20 5 150000",
            "0001 - - - 698000"
        ]
    );
    // 38 visit units × $25.00 = $950.00; 31 RHC days × $200.00 = $6,200.00.
    let aug = &claim(&built, 2).claim;
    assert_eq!(
        header(aug),
        "0813 2026-08-01 2026-08-31 30 | 27 2026-08-30 |  | "
    );
    assert_eq!(
        lines(aug),
        [
            "0551 G0299 2026-08-27 4 10000",
            "0551 G0299 2026-08-29 6 15000",
            "0551 G0300 2026-08-30 4 10000",
            "0551 G0299 2026-08-31 20 50000",
            "0561 G0155 2026-08-29 2 5000",
            "0569 G0155 2026-08-30 2 5000",
            "0651 Q5001 2026-08-01 29 580000",
            "0651 Q5001 2026-08-30 2 40000",
            "0001 - - - 715000"
        ]
    );
    let sep = &claim(&built, 3).claim;
    assert_eq!(
        header(sep),
        "0814 2026-09-01 2026-09-03 41 | 55 2026-09-03 |  | "
    );
    assert_eq!(
        lines(sep),
        [
            "0551 G0299 2026-09-02 4 10000",
            "0551 G0299-PM 2026-09-03 2 5000",
            "0651 Q5001 2026-09-01 1 20000",
            "0656 Q5006 2026-09-02 2 200000",
            "0001 - - - 235000"
        ]
    );
    // SIA: RHC days of the last 7 (08-28 to 09-03) with RN or social-worker time: 08-29 has
    // 6 + 2 units; 08-31 has 20, capped at 16. LPN time and phone calls (08-30), GIP days and
    // visits after death earn none; 08-27 is outside the 7 days.
    assert_eq!(
        built.sia,
        [
            SiaDay {
                date: d("2026-08-29"),
                units: 8
            },
            SiaDay {
                date: d("2026-08-31"),
                units: 16
            }
        ]
    );
    assert_clean(&built);
}

#[test]
fn late_recertification_gives_span_77_condition_code_85_and_oc_27_on_the_certification_date() {
    // Period 2 starts 2026-04-20 (01-20 + 90); recertified 04-24, after 04-22.
    let text = TIMELINE_1
        .replace(
            r#"signers: [HospiceMedicalDirector, AttendingPhysician])],"#,
            r#"signers: [HospiceMedicalDirector, AttendingPhysician]), (period: 2, date: "2026-04-24", signers: [HospiceMedicalDirector])],"#,
        )
        .replace(r#"as_of: "2026-03-31""#, r#"as_of: "2026-04-30""#);
    let t = Timeline::from_ron(&text).unwrap();
    let built = build(&t, &billing(Vec::new(), Charges::default()));
    let april = &built.claims.last().unwrap().claim;
    assert_eq!(
        header(april),
        "0813 2026-04-01 2026-04-30 30 | 27 2026-04-24 | 77 2026-04-20 2026-04-23 | 85"
    );
    assert_clean(&built);
}

#[test]
fn one_month_stay_live_discharge_and_transfers() {
    let one_month = r#"(elections: [(effective_date: "2026-10-05", statement_date: "2026-10-05",
        attending: Physician, noe: (accepted: "2026-10-06"),
        end: (date: "2026-10-20", reason: LiveDischarge))],
        certifications: [(period: 1, date: "2026-10-05", signers: [HospiceMedicalDirector, AttendingPhysician])])"#;
    let built = build(
        &Timeline::from_ron(one_month).unwrap(),
        &billing(Vec::new(), Charges::default()),
    );
    assert_eq!(
        built
            .claims
            .iter()
            .map(|b| header(&b.claim))
            .collect::<Vec<_>>(),
        [
            "081A 2026-10-05 2026-10-05 - | 27 2026-10-05 |  | ",
            "0811 2026-10-05 2026-10-20 01 | 27 2026-10-05 |  | ",
            "081B 2026-10-05 2026-10-20 01 |  |  | ",
        ]
    );
    assert_clean(&built);
    let transfer = r#"(prior_hospice_days: 70, elections: [(effective_date: "2026-10-05",
        statement_date: "2026-10-05", attending: Physician, transfer_in_period_start: "2026-09-01",
        noe: (accepted: "2026-10-06"), end: (date: "2026-10-09", reason: TransferOut))],
        levels_of_care: [(from: "2026-10-09", level: Gip)])"#;
    let mut b = billing(Vec::new(), Charges::default());
    b.hospital_based = true;
    let built = build(&Timeline::from_ron(transfer).unwrap(), &b);
    // A transfer in: notice 8xC, no OC 27 (the period was certified by the other hospice),
    // every RHC day at the lower rate (70 prior days); a transfer out from GIP is status 51.
    assert_eq!(
        built
            .claims
            .iter()
            .map(|b| header(&b.claim))
            .collect::<Vec<_>>(),
        [
            "082C 2026-10-05 2026-10-05 - |  |  | ",
            "0821 2026-10-05 2026-10-09 51 |  |  | ",
        ]
    );
    assert_eq!(
        lines(&built.claims[1].claim),
        [
            "0651 Q5001 2026-10-05 4 0",
            "0656 Q5006 2026-10-09 1 0",
            "0001 - - - 0"
        ]
    );
    assert_clean(&built);
}

#[test]
fn visits_outside_every_stay_are_noted_not_billed() {
    let t = Timeline::from_ron(TIMELINE_2).unwrap();
    let built = build(
        &t,
        &billing(
            vec![visit("2026-07-01", Discipline::RegisteredNurse, 2)],
            Charges::default(),
        ),
    );
    assert_eq!(
        built.notes,
        ["visits[0] on 2026-07-01 is outside every hospice stay: not billed"]
    );
    assert!(
        built
            .claims
            .iter()
            .all(|b| b.claim.lines.iter().all(|l| l.revenue_code != "0551"))
    );
}

#[test]
fn every_hospice_fixture_timeline_builds_clean_claims() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hospice");
    let mut built_any = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let Ok(t) = Timeline::from_ron(&std::fs::read_to_string(&path).unwrap()) else {
            continue;
        };
        let built = build(&t, &HospiceBilling::synthetic());
        assert!(!built.claims.is_empty(), "{}", path.display());
        assert_clean(&built);
        built_any += 1;
    }
    assert!(built_any >= 2, "{built_any}");
}

#[test]
fn cli_claim_hospice_prints_claims_claim_check_reads() {
    let dir = std::env::temp_dir().join(format!("ehr-sim-claims-hospice-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let timeline = dir.join("t2.ron");
    std::fs::write(&timeline, TIMELINE_2).unwrap();
    let out_dir = dir.join("claims");
    let out = ehr_sim_command()
        .args(["claim", "hospice"])
        .arg(&timeline)
        .arg("--out-dir")
        .arg(&out_dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.starts_with(
        "// election 1: TOB 081A notice of election 2026-05-28 to 2026-05-28, due by 2026-06-02\n"
    ));
    let mut names: Vec<String> = std::fs::read_dir(&out_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        ["01-081A.ron", "02-0812.ron", "03-0814.ron", "04-081B.ron"]
    );
    for name in &names {
        let path = out_dir.join(name);
        let claim = parse(&path, &std::fs::read_to_string(&path).unwrap()).unwrap();
        assert!(check(&claim).is_empty(), "{name}");
        let checked = ehr_sim_command()
            .args(["claim", "check"])
            .arg(&path)
            .output()
            .unwrap();
        assert_eq!(checked.status.code(), Some(0), "{name}");
    }
    let json = ehr_sim_command()
        .args(["claim", "hospice"])
        .arg(&timeline)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(value.as_array().map(Vec::len), Some(4));
    assert_eq!(value[3]["Institutional"]["type_of_bill"], "081B");
    let bad = dir.join("bad.ron");
    std::fs::write(&bad, "(elections: [\n  (effective_date: \"2026-02-30\")])").unwrap();
    let out = ehr_sim_command()
        .args(["claim", "hospice"])
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("bad.ron:2:"), "{stderr}");
    let billing_file = dir.join("billing.ron");
    std::fs::write(
        &billing_file,
        r#"(patient_name: "SAMPLE, ANN", birth_date: "1938-02-03", sex: F,
            insured_id: "3EG4TE5MK75", billing_npi: "2876543218", attending_npi: "1345678902",
            principal_dx: "I50.9",
            visits: [(date: "2026-06-02", discipline: RegisteredNurse, units: 3)],
            charges: (rhc_day_cents: 10000, visit_unit_cents: 500))"#,
    )
    .unwrap();
    let out = ehr_sim_command()
        .args(["claim", "hospice"])
        .arg(&timeline)
        .arg("--billing")
        .arg(&billing_file)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let june = &value[2]["Institutional"];
    assert_eq!(june["patient_name"], "SAMPLE, ANN");
    assert_eq!(june["lines"][0]["hcpcs"], "G0299");
    assert_eq!(june["lines"][0]["total_cents"], 1500);
    assert_eq!(june["lines"][2]["total_cents"], 151_500);
    std::fs::write(
        &billing_file,
        r#"(patient_name: "SAMPLE, ANN", birth_date: "1938-02-03", sex: F,
            insured_id: "3EG4TE5MK75", billing_npi: "2876543218", attending_npi: "1345678902",
            principal_dx: "I50.9", home_site: "Q5011",
            visits: [(date: "2026-06-02", discipline: RegisteredNurse, units: 0)])"#,
    )
    .unwrap();
    let out = ehr_sim_command()
        .args(["claim", "hospice"])
        .arg(&timeline)
        .arg("--billing")
        .arg(&billing_file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.ends_with(
            "invalid billing file:\n  - home_site is \"Q5011\": a site-of-service code is Q5001 to Q5010\n  - visits[0].units is 0: a visit has 1 to 96 units of 15 minutes\n"
        ),
        "{stderr}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_one_month_edit_spares_a_notice_but_not_a_claim() {
    let t = Timeline::from_ron(TIMELINE_2).unwrap();
    let built = build(&t, &billing(Vec::new(), Charges::default()));
    let mut notr = built.claims[3].claim.clone();
    assert_eq!(notr.type_of_bill, "081B");
    assert!(check(&Claim::Institutional(Box::new(notr.clone()))).is_empty());
    notr.type_of_bill = "0814".into();
    notr.lines = built.claims[2].claim.lines.clone();
    let findings = check(&Claim::Institutional(Box::new(notr)));
    assert_eq!(
        findings
            .iter()
            .map(|f| f.locator.as_str())
            .collect::<Vec<_>>(),
        ["FL 6"]
    );
    assert!(findings[0].message.contains("crosses a calendar month"));
}

/// A revocation, then a new election 16 days later: the second election starts benefit period 2
/// (OC 27 on its NOE and first claim), and the RHC day count goes on (the gap is under 60 days):
/// 19 days in the first stay, so day 61 of the second is 07-01 + 41 = 08-11.
#[test]
fn a_new_election_after_a_revocation_starts_the_next_period_and_keeps_the_day_count() {
    let text = r#"(
        elections: [
            (effective_date: "2026-05-28", statement_date: "2026-05-28", attending: Physician,
             noe: (accepted: "2026-05-29"), end: (date: "2026-06-15", reason: Revocation)),
            (effective_date: "2026-07-01", statement_date: "2026-07-01", attending: Physician,
             noe: (accepted: "2026-07-02")),
        ],
        certifications: [
            (period: 1, date: "2026-05-28", signers: [HospiceMedicalDirector, AttendingPhysician]),
            (period: 2, date: "2026-07-01", signers: [HospiceMedicalDirector, AttendingPhysician]),
        ],
        as_of: "2026-08-31",
    )"#;
    let built = build(
        &Timeline::from_ron(text).unwrap(),
        &billing(Vec::new(), Charges::default()),
    );
    assert_eq!(
        built
            .claims
            .iter()
            .map(|b| (b.election, header(&b.claim)))
            .collect::<Vec<_>>(),
        [
            (
                0,
                "081A 2026-05-28 2026-05-28 - | 27 2026-05-28 |  | ".to_owned()
            ),
            (
                0,
                "0812 2026-05-28 2026-05-31 30 | 27 2026-05-28 |  | ".to_owned()
            ),
            (
                0,
                "0814 2026-06-01 2026-06-15 01 | 42 2026-06-15 |  | ".to_owned()
            ),
            (
                0,
                "081B 2026-05-28 2026-06-15 01 | 42 2026-06-15 |  | ".to_owned()
            ),
            (
                1,
                "081A 2026-07-01 2026-07-01 - | 27 2026-07-01 |  | ".to_owned()
            ),
            (
                1,
                "0812 2026-07-01 2026-07-31 30 | 27 2026-07-01 |  | ".to_owned()
            ),
            (1, "0813 2026-08-01 2026-08-31 30 |  |  | ".to_owned()),
        ]
    );
    assert_eq!(
        lines(&built.claims[6].claim),
        [
            "0651 Q5001 2026-08-01 10 0",
            "0651 Q5001 2026-08-11 21 0",
            "0001 - - - 0"
        ]
    );
    assert_clean(&built);
}

/// Every shipped hospice scenario, seeds 0-9: the claims of its generated timeline pass the
/// scrubber, one monthly claim per month of each stay.
#[test]
fn every_shipped_hospice_scenario_builds_clean_claims() {
    use ehr_sim::case::generate;
    use ehr_sim::library::ContentRoot;
    use ehr_sim::tasks::TaskMaterial;
    let root = ContentRoot::at(env!("CARGO_MANIFEST_DIR"));
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/hospice");
    let mut ids: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            e.unwrap()
                .path()
                .file_stem()
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    ids.sort();
    assert!(ids.len() >= 10, "{ids:?}");
    for id in &ids {
        let loaded = root.find(id).expect("scenario");
        for seed in 0..10 {
            let case = generate(&loaded, seed, 0);
            let TaskMaterial::Hospice(m) = &case.task else {
                panic!("hospice material");
            };
            let built = build(&m.timeline, &HospiceBilling::synthetic());
            assert_clean(&built);
            let monthly = built
                .claims
                .iter()
                .filter(|b| b.kind == HospiceClaimKind::Monthly)
                .count();
            assert!(monthly >= m.timeline.elections.len(), "{id} seed {seed}");
        }
    }
}

/// An open stay of 30 years: one claim per month, bounded work, still clean.
#[test]
fn a_very_long_open_stay_is_billed_month_by_month() {
    let text = r#"(elections: [(effective_date: "2000-01-15", statement_date: "2000-01-15",
        attending: Physician, noe: (accepted: "2000-01-16"))],
        certifications: [(period: 1, date: "2000-01-15", signers: [HospiceMedicalDirector, AttendingPhysician])],
        as_of: "2029-12-31")"#;
    let t = Timeline::from_ron(text).unwrap();
    let built = build(&t, &HospiceBilling::synthetic());
    assert_eq!(built.claims.len(), 1 + 30 * 12);
    let last = &built.claims.last().unwrap().claim;
    assert_eq!(
        header(last).split(" |").next(),
        Some("0813 2029-12-01 2029-12-31 30")
    );
    assert_eq!(lines(last), ["0651 Q5001 2029-12-01 31 0", "0001 - - - 0"]);
    assert_clean(&built);
}
