//! `ehr-sim key triage|hospice FILE [--json]` run as a real binary on the fixture files.

use std::path::PathBuf;
use std::process::Output;

fn fixture(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(path)
}

fn run(args: &[&str], file: &str) -> Output {
    crate::ehr_sim_command()
        .args(args)
        .arg(fixture(file))
        .output()
        .unwrap()
}

fn json(args: &[&str], file: &str) -> serde_json::Value {
    let out = run(args, file);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn key_triage_json_has_the_documented_shape() {
    let v = json(&["key", "triage", "--json"], "triage/chest_pain_adult.ron");
    assert_eq!(
        v,
        serde_json::json!({
            "esi": 2,
            "decision_point": "B",
            "resources": 3,
            "resource_types": ["labs", "ecg", "x_ray"],
            "reasons": ["high-risk situation: chest pain suspicious for acute coronary syndrome"],
        })
    );
    let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
    assert_eq!(keys.len(), 5);
}

#[test]
fn key_triage_on_trap_and_fever_fixtures() {
    let v = json(
        &["key", "triage", "--json"],
        "triage/ankle_resource_traps.ron",
    );
    assert_eq!(
        (v["esi"].as_u64(), v["decision_point"].as_str()),
        (Some(4), Some("C"))
    );
    assert_eq!(v["resource_types"], serde_json::json!(["x_ray"]));
    let v = json(
        &["key", "triage", "--json"],
        "triage/febrile_infant_45_days.ron",
    );
    assert_eq!(
        (v["esi"].as_u64(), v["resources"].as_u64()),
        (Some(2), Some(2))
    );
    // Text output names the defensible alternative.
    let out = run(&["key", "triage"], "triage/febrile_infant_45_days.ron");
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("ESI 2 (decision point B, ESI v5)\nresources: 2 (labs, x_ray)\ndefensible levels: 2, 3\nreasons:"), "{text}");
}

#[test]
fn key_triage_bad_file_reports_file_line_and_column() {
    let out = run(&["key", "triage"], "triage/bad_syntax.ron");
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    let path = fixture("triage/bad_syntax.ron");
    assert!(
        err.starts_with(&format!("error: {}:4:", path.display())),
        "{err}"
    );
    assert!(err.contains("heart_rate"), "{err}");
    let out = run(&["key", "triage", "--json"], "triage/invalid_values.ron");
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("invalid presentation:\n  - vitals.spo2_percent must be 0–100\n  - vitals.temperature_c must be 20.0–45.0 °C"), "{err}");
    let out = crate::ehr_sim_command()
        .args(["key", "triage", "/nonexistent/x.ron"])
        .output()
        .unwrap();
    assert!(
        String::from_utf8(out.stderr)
            .unwrap()
            .starts_with("error: cannot read /nonexistent/x.ron")
    );
}

#[test]
fn key_hospice_json_late_noe() {
    let v = json(&["key", "hospice", "--json"], "hospice/late_noe.ron");
    assert_eq!(
        v["periods"],
        serde_json::json!([{
            "number": 1, "start": "2028-04-07", "end": "2028-07-05", "days": 90,
            "cert_earliest": "2028-03-23", "oral_cert_deadline": "2028-04-09",
            "f2f_required": false, "f2f_window": null,
        }])
    );
    assert_eq!(
        v["noe"],
        serde_json::json!({
            "deadline": "2028-04-12",
            "timely": false,
            "provider_liable_days": ["2028-04-07", "2028-04-08", "2028-04-09", "2028-04-10", "2028-04-11", "2028-04-12", "2028-04-13"],
        })
    );
    assert_eq!(
        v["hope"],
        serde_json::json!({
            "huv1_window": ["2028-04-12", "2028-04-21"],
            "huv2_window": ["2028-04-22", "2028-05-06"],
            "sfv_due": ["2028-04-10"],
        })
    );
    let noe = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "noe.timely")
        .unwrap();
    assert_eq!(noe["date"], "2028-04-14");
    assert_eq!(noe["ok"], false);
    assert_eq!(noe["reference"], "42 CFR 418.24(a)(2)-(3)");
    let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
    assert_eq!(keys, vec!["findings", "hope", "noe", "periods"]);
}

#[test]
fn key_hospice_json_leap_year() {
    let v = json(
        &["key", "hospice", "--json"],
        "hospice/leap_year_first_election.ron",
    );
    let periods: Vec<(String, String)> = v["periods"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["start"].as_str().unwrap().to_owned(),
                p["end"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        periods,
        vec![
            ("2027-12-15".to_owned(), "2028-03-13".to_owned()),
            ("2028-03-14".to_owned(), "2028-06-11".to_owned()),
        ]
    );
    let not_ok: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["ok"] == false)
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert!(not_ok.is_empty(), "{not_ok:?}");
}

#[test]
fn key_hospice_text_and_bad_files() {
    let out = run(&["key", "hospice"], "hospice/late_noe.ron");
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains(
            "NOE: deadline 2028-04-12, late, 7 provider-liable day(s) (2028-04-07..2028-04-13)"
        ),
        "{text}"
    );
    let out = run(&["key", "hospice", "--json"], "hospice/bad_syntax.ron");
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    let path = fixture("hospice/bad_syntax.ron");
    assert!(
        err.starts_with(&format!("error: {}:3:", path.display())),
        "{err}"
    );
    assert!(err.contains("Doctor"), "{err}");
    let out = run(&["key", "hospice"], "hospice/invalid_overlap.ron");
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.ends_with("invalid timeline:\n  - elections[0] has no end but elections[1] follows it: give elections[0].end\n"), "{err}");
}

/// The RON examples in `docs/presentation_and_timeline.md` parse and give the documented keys.
#[test]
fn documented_examples_are_valid() {
    let doc = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("docs/presentation_and_timeline.md"),
    )
    .unwrap();
    let blocks: Vec<&str> = doc
        .split("```ron\n")
        .skip(1)
        .filter_map(|rest| rest.split("```").next())
        .collect();
    assert_eq!(blocks.len(), 2);
    let p = ehr_sim::tasks::triage::Presentation::from_ron(blocks[0]).unwrap();
    let r = ehr_sim::tasks::triage::assess(&p);
    assert_eq!((r.level, r.acceptable_levels), (2, vec![2, 3]));
    let t = ehr_sim::tasks::hospice::Timeline::from_ron(blocks[1]).unwrap();
    let report = ehr_sim::tasks::hospice::evaluate(&t);
    let not_ok: Vec<(&str, String)> = report
        .findings
        .iter()
        .filter(|f| !f.ok)
        .map(|f| (f.rule, f.date.to_string()))
        .collect();
    assert_eq!(not_ok, vec![("hope.sfv", "2028-06-11".to_owned())]);
    let key = serde_json::to_value(report.key()).unwrap();
    assert_eq!(key["noe"]["deadline"], "2028-06-06");
    assert_eq!(
        key["hope"]["sfv_due"],
        serde_json::json!(["2028-06-04", "2028-06-11"])
    );
    assert_eq!(
        key["periods"][2]["f2f_window"],
        serde_json::json!(["2028-05-02", "2028-06-01"])
    );
}
