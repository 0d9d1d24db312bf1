//! Reports: the attempt and assessment reports' HTML fragments and JSON shape for known
//! attempts, and the `ehr-sim report` commands run as the real binary on a temporary store.

use std::path::{Path, PathBuf};
use std::process::Output;

use chrono::{DateTime, Utc};
use ehr_sim::grading::{CriterionResult, CriticalFinding, GradeReport, Outcome};
use ehr_sim::report::{AttemptMeta, AttemptReport};
use ehr_sim::store::{FindingRecord, Mode, NewAssessment, NewAttempt, Role, Store};
use serde_json::{Value, json};

const PASSWORD: &str = "correct horse";

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&Utc)
}

/// A temporary folder removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(label: &str) -> Self {
        let dir =
            std::env::temp_dir().join(format!("ehr-sim-report-{label}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }

    fn file(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn criterion(id: &str, title: &str, points: f64, max: f64, outcome: Outcome) -> CriterionResult {
    CriterionResult {
        id: id.to_string(),
        points,
        max,
        outcome,
        feedback: format!("Feedback on {title}."),
        rule: "Charting guide §2".to_string(),
        expected: json!({"value": 128, "unit": "mm[Hg]"}),
        given: if outcome == Outcome::Missing {
            Value::Null
        } else {
            json!("118 <high?>")
        },
        title: title.to_string(),
        section: Some("Vital signs".to_string()),
        source: "docs/domain/charting.md §2".to_string(),
        details: vec![],
        fields: vec![format!("vitals.{id}")],
    }
}

/// A known failed attempt: 4/10 with a fired critical gate.
fn known_report() -> AttemptReport {
    let grade = GradeReport {
        score: 4.0,
        max: 10.0,
        percent: 40.0,
        passed: false,
        criteria: vec![
            criterion("bp_systolic", "Blood pressure", 4.0, 6.0, Outcome::Partial),
            criterion("allergy", "Allergy & reaction", 0.0, 4.0, Outcome::Missing),
        ],
        critical: vec![CriticalFinding {
            id: "allergy_gate".to_string(),
            title: "Allergy not documented".to_string(),
            message: "A missing allergy can kill <b>anyone</b>.".to_string(),
            effect: "cap 50%".to_string(),
            rule: "Joint Commission NPSG".to_string(),
        }],
        rubric_id: "charting_basic".to_string(),
        rubric_sha256: "0".repeat(64),
        score_before_critical: 4.0,
    };
    let meta = AttemptMeta {
        attempt_id: Some(12),
        learner: "O'Brien <Sam> & Co".to_string(),
        scenario_id: "office_htn".to_string(),
        scenario_title: "Office follow-up".to_string(),
        scenario_version_hash: Some("abc123".to_string()),
        seed: 42,
        mode: Mode::Practice,
        started_at: Some("2026-03-04T09:50:00Z".to_string()),
        submitted_at: Some("2026-03-04T10:02:30Z".to_string()),
        pass_mark_percent: Some(70.0),
    };
    AttemptReport::from_grade(&grade, &meta, "2026-03-04T10:05:00Z")
}

#[test]
fn attempt_html_escapes_and_shows_result_critical_errors_first_then_criteria() {
    let html = known_report().to_html();
    for fragment in [
        "<!DOCTYPE html>",
        "<title>Attempt report — O&#39;Brien &lt;Sam&gt; &amp; Co — Office follow-up</title>",
        "<tr><th scope=\"row\">Learner</th><td><strong>O&#39;Brien &lt;Sam&gt; &amp; Co</strong></td></tr>",
        "<tr><th scope=\"row\">Seed</th><td>42</td></tr>",
        "<tr><th scope=\"row\">Mode</th><td>practice</td></tr>",
        "<tr><th scope=\"row\">Submitted</th><td>2026-03-04 10:02 UTC</td></tr>",
        "<tr><th scope=\"row\">Time spent</th><td>12 min 30 s</td></tr>",
        "<span class=\"score\">4.00 / 10.00</span> (40.0%)",
        "<tr><th scope=\"row\">Pass mark</th><td>70.0%</td></tr>",
        "<tr><th scope=\"row\">Result</th><td><span class=\"fail\">FAIL</span></td></tr>",
        "<p>A missing allergy can kill &lt;b&gt;anyone&lt;/b&gt;.</p>",
        "<h3>Vital signs</h3>",
        "<div class=\"criterion partial keep\"><div class=\"head\"><span class=\"pts\">4.00 / 6.00</span>\
         <span class=\"title\">Blood pressure</span><span class=\"partial\">partial</span></div>",
        "<tr><th scope=\"row\">Expected</th><td>128 mmHg</td></tr>\
         <tr><th scope=\"row\">Given</th><td>118 &lt;high?&gt;</td></tr>",
        "<span class=\"title\">Allergy &amp; reaction</span><span class=\"fail\">missing</span>",
        "<tr><th scope=\"row\">Given</th><td>—</td></tr>",
        "<p class=\"rule\">Rule: Charting guide §2 (docs/domain/charting.md §2)</p>",
        "SYNTHETIC PATIENT DATA — NOT REAL",
        "Synthetic data — every patient in this report was generated by EHR Sim; none is real.",
        "EHR Sim 0.1.0 · report generated 2026-03-04 10:05 UTC",
        "@media print",
        "@page",
    ] {
        assert!(html.contains(fragment), "missing {fragment:?} in\n{html}");
    }
    let critical = html.find("Critical error: Allergy not documented").unwrap();
    let first_criterion = html.find("class=\"criterion ").unwrap();
    assert!(critical < first_criterion, "critical errors come first");
    // Self-contained: nothing fetched, nothing run.
    for forbidden in [
        "<script", "<link", "src=", "http://", "https://", "@import", "<O'Brien",
    ] {
        assert!(!html.contains(forbidden), "{forbidden:?} in the page");
    }
}

#[test]
fn attempt_json_has_the_documented_shape() {
    let text = known_report().to_json().unwrap();
    let v: Value = serde_json::from_str(&text).unwrap();
    // Top-level keys (two-space indent), in the order they are written.
    let keys: Vec<&str> = text
        .lines()
        .filter_map(|l| l.strip_prefix("  \""))
        .filter_map(|l| l.split('"').next())
        .collect();
    assert_eq!(
        keys,
        [
            "report",
            "app_version",
            "synthetic_notice",
            "generated_at",
            "attempt_id",
            "learner",
            "scenario_id",
            "scenario_title",
            "scenario_version_hash",
            "rubric_hash",
            "program_version",
            "seed",
            "mode",
            "started_at",
            "submitted_at",
            "duration_secs",
            "score",
            "graded_score",
            "max",
            "percent",
            "pass_mark_percent",
            "passed",
            "critical_errors_recorded",
            "critical_errors",
            "criteria",
            "overrides"
        ]
    );
    assert_eq!(v["report"], "attempt");
    assert_eq!(v["learner"], "O'Brien <Sam> & Co");
    assert_eq!(v["mode"], "practice");
    assert_eq!(v["duration_secs"], 750);
    assert_eq!(v["score"], 4.0);
    assert_eq!(v["pass_mark_percent"], 70.0);
    assert_eq!(v["passed"], false);
    assert_eq!(v["critical_errors"][0]["effect"], "cap 50%");
    assert_eq!(
        v["criteria"][0],
        json!({
            "id": "bp_systolic", "title": "Blood pressure", "section": "Vital signs",
            "points": 4.0, "max": 6.0, "outcome": "partial", "expected": "128 mmHg",
            "given": "118 <high?>", "message": "Feedback on Blood pressure.",
            "rule": "Charting guide §2", "source": "docs/domain/charting.md §2", "details": []
        })
    );
    assert_eq!(v["criteria"][1]["given"], "");
}

fn finding(id: &str, points: f64, max: f64) -> FindingRecord {
    FindingRecord {
        criterion_id: id.to_string(),
        points,
        max,
        outcome: if points >= max {
            "correct"
        } else {
            "incorrect"
        }
        .to_string(),
        feedback: format!("Feedback on {id}."),
        rule: "ESI handbook v5, ch. 2".to_string(),
        expected: "ESI 2".to_string(),
        given: "ESI 3".to_string(),
        title: String::new(),
        section: String::new(),
    }
}

fn attempt(
    learner_id: i64,
    scenario: &str,
    submitted: &str,
    findings: Vec<FindingRecord>,
) -> NewAttempt {
    let score = findings.iter().map(|f| f.points).sum();
    let max = findings.iter().map(|f| f.max).sum();
    NewAttempt {
        learner_id,
        scenario_id: scenario.to_string(),
        scenario_version_hash: format!("{scenario}-hash-v1"),
        seed: 7,
        mode: Mode::Practice,
        sitting_id: None,
        started_at: at(submitted) - chrono::Duration::minutes(10),
        submitted_at: at(submitted),
        duration_secs: 600,
        score,
        max,
        passed: score >= 0.7 * max,
        competencies: vec!["triage".to_string()],
        findings,
        criticals: Vec::new(),
        rubric_hash: None,
    }
}

/// Ines (instructor, password), Sam (student) with practice attempt #1, Casey (candidate)
/// with an assessment sitting of "ED intake" and attempt #2.
fn sample_db(dir: &TempDir) -> PathBuf {
    let path = dir.file("report.sqlite3");
    let mut store = Store::open(&path).unwrap();
    let now = at("2026-03-01T09:00:00Z");
    let ines = store
        .create_person(None, "Ines", Role::Instructor, Some(PASSWORD), &now)
        .unwrap();
    let sam = store
        .create_person(Some(&ines), "Sam <the> student", Role::Student, None, &now)
        .unwrap();
    let casey = store
        .create_person(Some(&ines), "Casey", Role::Student, None, &now)
        .unwrap();
    store
        .record_attempt(&attempt(
            sam.person_id(),
            "chest_pain",
            "2026-03-02T10:00:00Z",
            vec![finding("esi", 0.0, 2.0), finding("vitals", 2.0, 2.0)],
        ))
        .unwrap();
    store
        .create_assessment(
            &ines,
            &NewAssessment {
                name: "ED intake".to_string(),
                scenario_ids: vec!["chest_pain".to_string()],
                time_limit_secs: 3600,
                pass_mark_fraction: 0.7,
                master_seed: 2026,
                show_drg: false,
            },
            &now,
        )
        .unwrap();
    let sitting = store
        .start_sitting(&ines, "ED intake", "Casey", &at("2026-03-05T09:00:00Z"))
        .unwrap();
    let mut a = attempt(
        casey.person_id(),
        "chest_pain",
        "2026-03-05T09:20:00Z",
        vec![finding("esi", 2.0, 2.0), finding("vitals", 1.0, 2.0)],
    );
    a.mode = Mode::Assessment;
    a.sitting_id = Some(sitting.id);
    a.seed = sitting.seeds[0].1;
    store.record_attempt(&a).unwrap();
    path
}

fn run(args: &[&str], db: &Path) -> Output {
    crate::ehr_sim_command()
        .args(args)
        .arg("--db")
        .arg(db)
        .env_remove("EHR_SIM_DB")
        .env("EHR_SIM_PASSWORD", PASSWORD)
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

#[test]
fn cli_reports_a_stored_attempt_as_json_and_html() {
    let dir = TempDir::new("attempt");
    let db = sample_db(&dir);
    let out = run(
        &["report", "attempt", "1", "--as", "Ines", "--format", "json"],
        &db,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["attempt_id"], 1);
    assert_eq!(v["learner"], "Sam <the> student");
    assert_eq!(v["scenario_id"], "chest_pain");
    assert_eq!(v["seed"], 7);
    assert_eq!(v["score"], 2.0);
    assert_eq!(v["max"], 4.0);
    assert_eq!(v["percent"], 50.0);
    assert_eq!(v["passed"], false);
    assert_eq!(v["submitted_at"], "2026-03-02T10:00:00Z");
    // Recorded by this version (none fired here), unlike attempts from before schema v3.
    assert_eq!(v["critical_errors_recorded"], true);
    assert_eq!(v["critical_errors"], serde_json::json!([]));
    assert_eq!(v["criteria"][0]["id"], "esi");
    assert_eq!(v["criteria"][0]["expected"], "ESI 2");

    let file = dir.file("out/attempt-1.html");
    let out = run(
        &[
            "report",
            "attempt",
            "1",
            "--as",
            "Ines",
            "--output",
            file.to_str().unwrap(),
        ],
        &db,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stderr), format!("wrote {}\n", file.display()));
    let html = std::fs::read_to_string(&file).unwrap();
    for fragment in [
        "<strong>Sam &lt;the&gt; student</strong>",
        "<span class=\"score\">2.00 / 4.00</span> (50.0%)",
        "<span class=\"fail\">FAIL</span>",
        "<span class=\"pts\">0.00 / 2.00</span><span class=\"title\">esi</span>",
        "Critical errors</h2>\n<p>None.</p>",
    ] {
        assert!(html.contains(fragment), "missing {fragment:?} in\n{html}");
    }
}

#[test]
fn cli_report_of_an_unknown_attempt_names_the_ones_that_exist() {
    let dir = TempDir::new("unknown");
    let db = sample_db(&dir);
    let out = run(&["report", "attempt", "99", "--as", "Ines"], &db);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        "error: no attempt #99; attempts you can read: #1, #2\n"
    );
    let out = run(&["report", "assessment", "ED intke", "--as", "Ines"], &db);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        "error: no assessment named \"ED intke\"; assessments: ED intake\n"
    );
}

#[test]
fn cli_reports_an_assessment_with_candidates_competencies_and_audit() {
    let dir = TempDir::new("assessment");
    let db = sample_db(&dir);
    let out = run(
        &[
            "report",
            "assessment",
            "ED intake",
            "--as",
            "Ines",
            "--format",
            "json",
        ],
        &db,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["report"], "assessment");
    assert_eq!(v["generated_by"], "Ines");
    assert_eq!(v["pass_mark_percent"], 70.0);
    assert_eq!(v["time_limit_mins"], 60);
    assert_eq!(
        v["candidates"],
        json!([{
            "candidate": "Casey", "scenarios_done": 1, "scenarios_total": 1, "score": 3.0,
            "max": 4.0, "percent": 75.0, "timing": "in_progress", "passed": true,
            "result": "pass"
        }])
    );
    assert_eq!(
        v["competencies"],
        json!([{"candidate": "Casey", "competency": "triage", "score": 3.0, "max": 4.0}])
    );
    assert_eq!(v["audit"]["read"], true);
    assert_eq!(v["audit"]["intact"], true);
    let out = run(&["report", "assessment", "ED intake", "--as", "Ines"], &db);
    let html = text(&out.stdout);
    for fragment in [
        "<h1>ED intake</h1>",
        "<tr><td>Casey</td><td class=\"num\">1 / 1</td><td class=\"num\">3.00 / 4.00</td>\
         <td class=\"num\">75.0%</td><td>in progress</td><td class=\"pass\">PASS</td></tr>",
        "<tr><td>Casey</td><td>triage</td><td class=\"num\">3.00 / 4.00</td><td class=\"num\">75.0%</td></tr>",
        "<p class=\"pass\">Audit chain intact:",
    ] {
        assert!(html.contains(fragment), "missing {fragment:?} in\n{html}");
    }
}

/// A graded and recorded attempt reads back with its criterion titles, sections and the
/// critical gates that fired, as the learner saw them.
#[test]
fn a_recorded_grade_reports_titles_and_critical_errors() {
    let dir = TempDir::new("recorded");
    let db = dir.file("progress.sqlite3");
    let with_stdin = |args: &[&str], stdin: &str| {
        let mut cmd = crate::ehr_sim_command();
        cmd.args(args)
            .arg("--db")
            .arg(&db)
            .env_remove("EHR_SIM_DB")
            .env("EHR_SIM_PASSWORD", PASSWORD);
        crate::with_stdin(cmd, stdin.as_bytes())
    };
    let out = with_stdin(
        &[
            "people",
            "add",
            "Ines",
            "--role",
            "instructor",
            "--password-stdin",
        ],
        &format!("{PASSWORD}\n"),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let out = run(
        &["people", "add", "Kim", "--role", "student", "--as", "Ines"],
        &db,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let template = crate::ehr_sim_command()
        .args(["answers", "template", "adult_chest_pain", "--seed", "1"])
        .output()
        .unwrap();
    assert_eq!(
        template.status.code(),
        Some(0),
        "{}",
        text(&template.stderr)
    );
    let blank = dir.file("blank.ron");
    std::fs::write(&blank, &template.stdout).unwrap();
    let out = run(
        &[
            "grade",
            "adult_chest_pain",
            "--seed",
            "1",
            "--answers",
            blank.to_str().unwrap(),
            "--record",
            "--learner",
            "Kim",
        ],
        &db,
    );
    assert!(
        text(&out.stderr).contains("recorded attempt #1 for Kim"),
        "{}",
        text(&out.stderr)
    );
    let out = run(
        &["report", "attempt", "1", "--as", "Ines", "--format", "json"],
        &db,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["critical_errors_recorded"], true);
    assert_eq!(
        v["critical_errors"][0]["title"],
        "Under-triage of an ESI 1 or 2 (a1)"
    );
    assert_eq!(v["criteria"][0]["title"], "ESI level, a1");
    assert_eq!(v["criteria"][0]["section"], "Arrival a1");
}
