//! The CLI as a user runs it: the real binary on shipped files and fixtures.

use std::path::Path;
use std::process::Output;

fn ehr_sim(args: &[&str]) -> Output {
    crate::ehr_sim_command()
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("EHR_SIM_HOME")
        .output()
        .expect("run ehr-sim")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn validate_passes_on_the_shipped_content() {
    let o = ehr_sim(&["validate"]);
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains(" 0 errors"), "{}", stdout(&o));
}

#[test]
fn validate_names_file_line_and_column_of_a_typo() {
    let o = ehr_sim(&["validate", "tests/fixtures/invalid/unknown_field.ron"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains(
            "tests/fixtures/invalid/unknown_field.ron:5:5: error: Unexpected field named `titel`"
        ),
        "{err}"
    );
    assert!(err.contains("hint: did you mean `title`?"), "{err}");
    assert!(
        stdout(&o).contains("1 files checked: 1 errors"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn validate_reports_a_missing_path() {
    let o = ehr_sim(&["validate", "no/such/file.ron"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("no/such/file.ron: error: no such file or folder"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn generate_json_is_three_patients_and_identical_on_a_second_run() {
    let args = [
        "generate",
        "outpatient_diabetes_ckd",
        "--seed",
        "7",
        "--count",
        "3",
        "--format",
        "json",
    ];
    let first = ehr_sim(&args);
    assert!(first.status.success(), "{}", stderr(&first));
    let second = ehr_sim(&args);
    assert_eq!(first.stdout, second.stdout);
    let cases: Vec<serde_json::Value> = serde_json::from_slice(&first.stdout).expect("json list");
    assert_eq!(cases.len(), 3);
    let names: std::collections::BTreeSet<String> = cases
        .iter()
        .map(|c| c["patient"]["demographics"]["family_name"].to_string())
        .collect();
    assert!(names.len() >= 2, "three patients should not share one name");
    for c in &cases {
        assert_eq!(c["scenario_id"], "outpatient_diabetes_ckd");
        assert_eq!(c["patient"]["synthetic"], true);
    }
}

#[test]
fn generate_accepts_a_path_and_ron_and_text_formats() {
    let path = Path::new("scenarios/triage/infant_fever.ron");
    let o = ehr_sim(&[
        "generate",
        path.to_str().unwrap_or_default(),
        "--format",
        "ron",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).trim_start().starts_with('['));
    let o = ehr_sim(&["generate", "infant_fever", "--seed", "3"]);
    assert!(stdout(&o).contains("SYNTHETIC PATIENT — NOT REAL"));
    assert!(stdout(&o).contains("VITAL SIGNS"));
}

#[test]
fn generate_an_unknown_scenario_suggests_ids() {
    let o = ehr_sim(&["generate", "infant_fevr"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("no scenario has the id `infant_fevr`"),
        "{}",
        stderr(&o)
    );
    assert!(
        stderr(&o).contains("did you mean: infant_fever?"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn generate_refuses_an_invalid_scenario() {
    let o = ehr_sim(&["generate", "tests/fixtures/invalid/impossible_range.ron"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("min 90 is above max 60"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn scenarios_list_groups_by_kind() {
    let o = ehr_sim(&["scenarios", "list"]);
    assert!(o.status.success());
    let out = stdout(&o);
    for heading in [
        "CHARTING",
        "CODING",
        "TRIAGE",
        "HOSPICE",
        "outpatient_diabetes_ckd",
    ] {
        assert!(out.contains(heading), "{out}");
    }
}
