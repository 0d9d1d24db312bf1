//! The integration tests: one binary, one module per area.

// A failed fixture or a missing widget is a failed test: tests unwrap and expect freely (the
// library's `unwrap_used`/`expect_used` policy is for code users run).
#![allow(clippy::unwrap_used, clippy::expect_used)]

/// A shipped scenario by id, loaded once per test process: tests that generate many cases of
/// many scenarios look them up here instead of re-reading the whole scenario folder each time.
pub(crate) fn shipped(id: &str) -> ehr_sim::scenario::LoadedScenario {
    use std::collections::HashMap;
    use std::sync::OnceLock;
    static ALL: OnceLock<HashMap<String, ehr_sim::scenario::LoadedScenario>> = OnceLock::new();
    ALL.get_or_init(|| {
        let root = ehr_sim::library::ContentRoot::at(env!("CARGO_MANIFEST_DIR"));
        let (all, _) = root.load_all().expect("scenarios");
        all.into_iter()
            .map(|s| (s.scenario.id.clone(), s))
            .collect()
    })
    .get(id)
    .unwrap_or_else(|| panic!("no shipped scenario {id}"))
    .clone()
}

/// `answer` to a shipped scenario graded against `key` with the scenario's own rubric.
pub(crate) fn grade_shipped(
    id: &str,
    key: &serde_json::Value,
    answer: &serde_json::Value,
) -> ehr_sim::grading::GradeReport {
    let root = ehr_sim::library::ContentRoot::at(env!("CARGO_MANIFEST_DIR"));
    let rubric = ehr_sim::library::load_rubric_file(
        &root.grading_dir().join(&shipped(id).scenario.rubric),
        &ehr_sim::tasks::schemas(),
    )
    .expect("rubric");
    ehr_sim::grading::grade(&rubric, key, answer, &Default::default())
}

/// The real binary, kept away from the user's own data folder and progress database: both
/// point into a scratch folder of this test process (a test that needs a database passes
/// `--db` or sets `EHR_SIM_DB` itself, which overrides this).
pub(crate) fn ehr_sim_command() -> std::process::Command {
    let scratch = std::env::temp_dir().join(format!("ehr-sim-tests-{}", std::process::id()));
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_ehr-sim"));
    cmd.env("EHR_SIM_DATA_DIR", &scratch)
        .env("EHR_SIM_DB", scratch.join("not-created.sqlite3"));
    cmd
}

/// Runs `cmd` with `input` on its standard input; its output (standard output and error
/// captured).
pub(crate) fn with_stdin(mut cmd: std::process::Command, input: &[u8]) -> std::process::Output {
    use std::io::Write as _;
    let mut child = cmd
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input)
        .expect("writes");
    child.wait_with_output().expect("exits")
}

/// What [`ehr_sim_command`] prints on standard output for `args`, run in the project folder;
/// it must exit 0 or 1 (a failed grade), else the test fails with its standard error.
pub(crate) fn ehr_sim_stdout(args: &[&str]) -> String {
    let out = ehr_sim_command()
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("runs");
    assert!(
        out.status.success() || out.status.code() == Some(1),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

mod access_audit;
mod access_audit_task;
mod architecture;
mod case_bank;
mod charting_coding;
mod charting_instruments;
mod claims;
mod claims_fhir;
mod claims_hospice;
mod claims_hospice_task;
mod claims_print;
mod claims_task;
mod cli;
mod coding_severity;
mod content;
mod doc_citations;
mod drg;
mod drg_grading;
mod encoder;
mod engines;
mod generation_digest;
mod grading;
mod grading_equivalence;
mod hygiene;
mod interop;
mod partial_credit;
mod pcs_tables;
mod plausibility;
mod report;
mod roi;
mod roi_task;
mod scenarios;
mod service;
mod store;
mod tasks;
mod terminology;
mod triage_hospice;
#[cfg(feature = "gui")]
mod ui;
#[cfg(feature = "gui")]
mod ui_access_log;
#[cfg(feature = "gui")]
mod ui_audit_log;
#[cfg(feature = "gui")]
mod ui_board;
#[cfg(feature = "gui")]
mod ui_encoder;
#[cfg(feature = "gui")]
mod ui_export;
#[cfg(feature = "gui")]
mod ui_forms;
#[cfg(feature = "gui")]
mod ui_integrity;
#[cfg(feature = "gui")]
mod ui_polish;
#[cfg(feature = "gui")]
mod ui_server;
#[cfg(feature = "gui")]
mod ui_staff;
#[cfg(feature = "gui")]
mod ui_timeline;
