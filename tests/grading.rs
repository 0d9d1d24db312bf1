//! Grading: shipped-style rubric fixtures graded end to end, the coding formula on worked
//! examples, unit conversion, critical gates, "one answer changes one criterion", the report's
//! JSON shape, broken rubrics (one fixture per error kind, each with its exact diagnostic), and
//! fuzzing of the loader.

use ehr_sim::grading::RubricKind;
use ehr_sim::grading::{
    CodeChecker, CodeEdit, CodeFacts, EditKind, FieldSchema, FieldType, GradeContext, GradeReport,
    Outcome, Rubric, grade, load_rubric,
};
use ehr_sim::terminology::edits::CodingSetting;
use proptest::prelude::*;
use serde_json::{Value, json};
use std::path::PathBuf;

fn fixture(rel: &str) -> (String, String) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/grading")
        .join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    (format!("tests/fixtures/grading/{rel}"), text)
}

/// Small stand-in schemas; the lead registers the real ones per task kind.
fn schemas() -> Vec<FieldSchema> {
    use FieldType as F;
    vec![
        FieldSchema::new(
            RubricKind::Charting,
            &[
                ("patient_id", F::Text),
                ("vitals.heart_rate", F::Quantity),
                ("vitals.temperature", F::Quantity),
                ("vitals.weight", F::Quantity),
                ("allergies[]", F::RecordList),
                ("soap.subjective", F::Text),
                ("soap.objective", F::Text),
            ],
        ),
        FieldSchema::new(RubricKind::Coding, &[("codes.diagnoses", F::CodeList)]),
        FieldSchema::new(
            RubricKind::Triage,
            &[("esi_level", F::Number), ("queue", F::TextList)],
        ),
        FieldSchema::new(RubricKind::Transcription, &[("transcript", F::Text)]),
        FieldSchema::new(
            RubricKind::Hospice,
            &[
                ("periods[]", F::RecordList),
                ("periods[].end", F::Date),
                ("f2f_due", F::Date),
            ],
        ),
    ]
}

fn load(rel: &str) -> Rubric {
    let (file, text) = fixture(rel);
    match load_rubric(&text, &file, &schemas()) {
        Ok(r) => r,
        Err(ds) => panic!(
            "{}",
            ds.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n")
        ),
    }
}

fn run(rubric: &Rubric, key: &Value, sub: &Value) -> GradeReport {
    grade(rubric, key, sub, &GradeContext::default())
}

fn points(report: &GradeReport, id: &str) -> f64 {
    report.criteria.iter().find(|c| c.id == id).unwrap().points
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

// ---------------------------------------------------------------- valid fixtures

#[test]
fn every_valid_fixture_loads() {
    for name in [
        "charting_visit",
        "coding_diabetes",
        "triage_esi",
        "transcription_note",
        "hospice_periods",
    ] {
        load(&format!("valid/{name}.ron"));
    }
}

fn charting_key() -> Value {
    json!({
        "patient_id": "MRN-000123",
        "vitals": {
            "heart_rate": {"value": 96, "unit": "/min"},
            "temperature": {"value": 38.0, "unit": "°C"},
            "weight": {"value": 80.0, "unit": "kg"}
        },
        "allergies": [
            {"allergen": "penicillin", "reaction": "hives", "severity": "moderate"},
            {"allergen": "latex", "reaction": "rash", "severity": "mild"}
        ],
        "soap": {
            "subjective": "Chest pressure and shortness of breath since last night.",
            "objective": "HR 96 /min, T 38.0 °C"
        }
    })
}

fn charting_blank() -> Value {
    json!({
        "patient_id": "",
        "vitals": {"heart_rate": null, "temperature": null, "weight": null},
        "allergies": [],
        "soap": {"subjective": "", "objective": ""}
    })
}

#[test]
fn charting_key_scores_full_marks() {
    let r = run(
        &load("valid/charting_visit.ron"),
        &charting_key(),
        &charting_key(),
    );
    assert_eq!(
        (r.score, r.max, r.percent, r.passed),
        (12.0, 12.0, 100.0, true)
    );
    assert!(r.critical.is_empty());
    assert!(r.criteria.iter().all(|c| c.outcome == Outcome::Correct));
}

#[test]
fn charting_blank_scores_zero_and_fires_every_gate() {
    let r = run(
        &load("valid/charting_visit.ron"),
        &charting_key(),
        &charting_blank(),
    );
    assert_eq!((r.score, r.max, r.passed), (0.0, 12.0, false));
    assert!(r.criteria.iter().all(|c| c.outcome == Outcome::Missing));
    let ids: Vec<&str> = r.critical.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, vec!["wrong_patient", "missed_allergy"]);
    assert_eq!(r.criteria[0].feedback, "No patient selected.");
}

#[test]
fn changing_one_answer_changes_exactly_the_criteria_that_read_it() {
    let rubric = load("valid/charting_visit.ron");
    let base = run(&rubric, &charting_key(), &charting_key());
    let cases: Vec<(&str, Value, Vec<&str>)> = vec![
        ("/patient_id", json!("MRN-999"), vec!["patient_id"]),
        (
            "/vitals/heart_rate",
            json!({"value": 120, "unit": "bpm"}),
            vec!["heart_rate"],
        ),
        (
            "/vitals/temperature",
            json!({"value": 98.6, "unit": "°F"}),
            vec!["temperature"],
        ),
        ("/vitals/weight", json!("200 lb"), vec!["weight"]),
        ("/allergies/0/severity", json!("mild"), vec!["allergies"]),
        (
            "/soap/subjective",
            json!("Cough. BP 150/90 mmHg"),
            vec!["subjective_concepts", "subjective_clean"],
        ),
        ("/soap/objective", json!("changed"), vec![]),
    ];
    for (pointer, value, expected) in cases {
        let mut sub = charting_key();
        *sub.pointer_mut(pointer).unwrap() = value;
        let r = run(&rubric, &charting_key(), &sub);
        let changed: Vec<&str> = r
            .criteria
            .iter()
            .zip(&base.criteria)
            .filter(|(a, b)| a.points != b.points || a.outcome != b.outcome || a.given != b.given)
            .map(|(a, _)| a.id.as_str())
            .collect();
        assert_eq!(changed, expected, "changing {pointer}");
    }
}

#[test]
fn unit_conversion_accepts_fahrenheit_and_pounds() {
    let rubric = load("valid/charting_visit.ron");
    let mut sub = charting_key();
    *sub.pointer_mut("/vitals/temperature").unwrap() = json!({"value": 100.4, "unit": "°F"});
    *sub.pointer_mut("/vitals/weight").unwrap() = json!("176.4 lb");
    let r = run(&rubric, &charting_key(), &sub);
    assert_eq!(r.percent, 100.0);
    let t = r.criteria.iter().find(|c| c.id == "temperature").unwrap();
    assert_eq!(t.details[0], "100.4 °F = 38 °C");
}

#[test]
fn unit_missing_or_of_the_wrong_dimension_scores_zero() {
    let rubric = load("valid/charting_visit.ron");
    let mut sub = charting_key();
    *sub.pointer_mut("/vitals/temperature").unwrap() = json!(38.0);
    *sub.pointer_mut("/vitals/weight").unwrap() = json!("80 cm");
    let r = run(&rubric, &charting_key(), &sub);
    let t = r.criteria.iter().find(|c| c.id == "temperature").unwrap();
    assert_eq!(
        t.details[0],
        "38 was given without a unit; record it with its unit (e.g. 38 °C)"
    );
    let w = r.criteria.iter().find(|c| c.id == "weight").unwrap();
    assert_eq!(
        (w.points, w.details[0].as_str()),
        (0.0, "wrong unit: cannot convert cm to kg")
    );
}

#[test]
fn critical_wrong_patient_zeroes_the_score() {
    let mut sub = charting_key();
    *sub.pointer_mut("/patient_id").unwrap() = json!("MRN-000124");
    let r = run(&load("valid/charting_visit.ron"), &charting_key(), &sub);
    assert_eq!(
        (r.score, r.score_before_critical, r.passed),
        (0.0, 11.0, false)
    );
    assert_eq!(
        r.critical[0].message,
        "Documentation on the wrong patient scores zero (given `mrn-000124`, expected `mrn-000123`)"
    );
    assert_eq!(r.critical[0].effect, "zero");
}

#[test]
fn critical_missed_allergy_caps_at_half() {
    let mut sub = charting_key();
    sub["allergies"] =
        json!([{"allergen": "penicillin", "reaction": "hives", "severity": "moderate"}]);
    let r = run(&load("valid/charting_visit.ron"), &charting_key(), &sub);
    assert!(close(r.score_before_critical, 10.5));
    assert_eq!((r.score, r.percent, r.passed), (6.0, 50.0, false));
    assert_eq!(
        r.critical[0].message,
        "A recorded allergy is missing from the chart (not documented: latex)"
    );
}

#[test]
fn feedback_fills_expected_and_given() {
    let mut sub = charting_key();
    sub["patient_id"] = json!("MRN-1");
    let r = run(&load("valid/charting_visit.ron"), &charting_key(), &sub);
    assert_eq!(
        r.criteria[0].feedback,
        "Charted on MRN-1; the visit belongs to MRN-000123."
    );
}

// ---------------------------------------------------------------- triage

#[test]
fn triage_under_triage_of_esi_2_is_critical_but_over_triage_is_partial() {
    let rubric = load("valid/triage_esi.ron");
    let key = json!({"esi_level": 2, "queue": ["p1", "p2", "p3"]});
    let under = run(
        &rubric,
        &key,
        &json!({"esi_level": 3, "queue": ["p1", "p2", "p3"]}),
    );
    assert_eq!((under.score, under.passed), (0.0, false));
    assert_eq!(under.critical[0].id, "under_triage");
    let over = run(
        &rubric,
        &key,
        &json!({"esi_level": 1, "queue": ["p1", "p2", "p3"]}),
    );
    assert!(over.critical.is_empty());
    assert_eq!(points(&over, "esi_level"), 2.0);
    assert_eq!(
        over.criteria[0].feedback,
        "ESI 1 over-triages an ESI 2 patient."
    );
}

#[test]
fn triage_queue_order_uses_longest_common_subsequence() {
    let rubric = load("valid/triage_esi.ron");
    let key = json!({"esi_level": 4, "queue": ["p1", "p2", "p3", "p4", "p5"]});
    let r = run(
        &rubric,
        &key,
        &json!({"esi_level": 4, "queue": ["p2", "p1", "p3", "p4", "p5"]}),
    );
    assert!(close(points(&r, "queue"), 1.6));
    assert!(close(r.percent, 5.6 / 6.0 * 100.0));
}

// ---------------------------------------------------------------- transcription & hospice

#[test]
fn transcription_wer_with_weighted_drug_name() {
    let rubric = load("valid/transcription_note.ron");
    let reference =
        "continue metoprolol 25 mg twice daily and lisinopril 10 mg daily for blood pressure";
    let key = json!({"transcript": reference});
    assert_eq!(run(&rubric, &key, &key).score, 10.0);
    // One ordinary word wrong.
    let sub = json!({"transcript": reference.replace("blood", "bled")});
    let r = run(&rubric, &key, &sub);
    // reference weight: 14 words, of which metoprolol, lisinopril, mg, mg weigh 3 → 10 + 12 = 22
    let wer = 1.0 / 22.0;
    assert!(close(r.score, 10.0 * (1.0 - (wer - 0.02) / 0.28)));
    let drug = json!({"transcript": reference.replace("metoprolol", "metformin")});
    let r2 = run(&rubric, &key, &drug);
    assert!(r2.score < r.score);
    assert_eq!(
        r2.criteria[0].details[1],
        "medical terms wrong or missing: metoprolol"
    );
}

#[test]
fn hospice_dates_exact_and_partial_window() {
    let rubric = load("valid/hospice_periods.ron");
    let key = json!({"periods": [{"end": "2026-04-30"}], "f2f_due": "2026-07-29"});
    let sub = json!({"periods": [{"end": "2026-04-30"}], "f2f_due": "2026-08-01"});
    let r = run(&rubric, &key, &sub);
    assert_eq!(
        (points(&r, "first_period_end"), points(&r, "f2f_due")),
        (2.0, 1.0)
    );
    assert!(!r.passed);
}

#[test]
fn criterion_absent_from_the_key_is_not_applicable() {
    let rubric = load("valid/hospice_periods.ron");
    let key = json!({"periods": [{"end": "2026-04-30"}]});
    let r = run(&rubric, &key, &key);
    assert_eq!(r.criteria[1].outcome, Outcome::NotApplicable);
    assert_eq!((r.score, r.max, r.percent), (2.0, 2.0, 100.0));
}

// ---------------------------------------------------------------- coding

/// A tiny hand-written checker: a few FY2026 codes and two edits.
struct FakeIcd;

impl CodeChecker for FakeIcd {
    fn lookup(&self, code: &str) -> Option<CodeFacts> {
        let c = ehr_sim::terminology::syntax::with_dot(code);
        let billable = match c.as_str() {
            "E11" | "E11.6" => false,
            "E11.65" | "E11.9" | "Z79.4" | "I10" | "R73.9" | "E78.5" | "Y92.009" => true,
            _ => return None,
        };
        Some(CodeFacts {
            code: c,
            billable,
            description: String::new(),
            laterality: None,
        })
    }

    fn edits(&self, codes: &[String], _setting: CodingSetting) -> Vec<CodeEdit> {
        let mut out = Vec::new();
        if codes.iter().any(|c| c == "R73.9") && codes.iter().any(|c| c.starts_with("E11")) {
            out.push(CodeEdit {
                kind: EditKind::Excludes1,
                codes: vec!["R73.9".into(), "E11.65".into()],
                message: "R73 (elevated glucose) is never coded with diabetes".into(),
                rule: "ICD-10-CM Tabular R73 Excludes1 E08–E13".into(),
                missing: None,
            });
        }
        for c in codes {
            if self.lookup(c).is_some_and(|f| !f.billable) {
                out.push(CodeEdit {
                    kind: EditKind::Header,
                    codes: vec![c.clone()],
                    message: format!("{c} is a header, not a billable code"),
                    rule: "OCG I.B.2".into(),
                    missing: None,
                });
            }
        }
        out.sort();
        out
    }
}

fn coding(given: &Value) -> GradeReport {
    let rubric = load("valid/coding_diabetes.ron");
    let key = json!({"codes": {"diagnoses": ["E11.65", "Z79.4", "I10"]}});
    let ctx = GradeContext {
        checker: Some(&FakeIcd),
        setting: CodingSetting::Outpatient,
        schema: None,
    };
    grade(&rubric, &key, &json!({"codes": {"diagnoses": given}}), &ctx)
}

#[test]
fn coding_exact_set_scores_full() {
    assert_eq!(coding(&json!(["E11.65", "Z79.4", "I10"])).score, 10.0);
}

#[test]
fn coding_over_coding_divides_by_entered() {
    let r = coding(&json!(["E11.65", "Z79.4", "I10", "E78.5"]));
    assert!(close(r.score, 7.5));
    assert!(
        r.criteria[0]
            .details
            .contains(&"score 3 ÷ max(4 entered, 3 expected) = 75%".to_string())
    );
}

#[test]
fn coding_under_coding_divides_by_expected() {
    assert!(close(coding(&json!(["E11.65", "Z79.4"])).score, 20.0 / 3.0));
}

#[test]
fn coding_wrong_specificity_earns_half_for_that_line() {
    let r = coding(&json!(["E11.9", "Z79.4", "I10"]));
    assert!(close(r.score, 2.5 / 3.0 * 10.0));
    assert_eq!(r.criteria[0].outcome, Outcome::Partial);
}

#[test]
fn coding_wrong_mandated_order_earns_70_percent_for_the_misplaced_line() {
    let r = coding(&json!(["Z79.4", "E11.65", "I10"]));
    assert!(close(r.score, 9.0));
}

#[test]
fn coding_header_code_earns_15_percent_and_reports_the_edit() {
    let r = coding(&json!(["E11", "Z79.4", "I10"]));
    assert!(close(r.score, 2.15 / 3.0 * 10.0));
    assert!(r.criteria[0].details.contains(
        &"edit Header [E11]: E11 is a header, not a billable code — rule: OCG I.B.2".to_string()
    ));
}

#[test]
fn coding_excludes1_partner_costs_a_line() {
    // 3 ÷ 4 entered, then the Excludes1 pair is a major error: −1 line of 4.
    let r = coding(&json!(["E11.65", "Z79.4", "I10", "R73.9"]));
    assert!(close(r.score, 5.0), "{}", r.score);
    assert!(r.criteria[0].details.iter().any(|d| d
        == "edit Excludes1 [R73.9, E11.65]: R73 (elevated glucose) is never coded with diabetes — rule: ICD-10-CM Tabular R73 Excludes1 E08–E13 [major — two codes never reported together (an Excludes1 note or a guideline), −1 line]"));
}

#[test]
fn coding_optional_place_of_occurrence_costs_nothing() {
    assert_eq!(
        coding(&json!(["E11.65", "Z79.4", "I10", "Y92.009"])).score,
        10.0
    );
}

#[test]
fn coding_blank_is_missing() {
    let r = coding(&json!([]));
    assert_eq!((r.score, r.criteria[0].outcome), (0.0, Outcome::Missing));
}

// ---------------------------------------------------------------- report

#[test]
fn report_json_has_the_issue_shape_first() {
    let r = coding(&json!(["E11.65", "Z79.4", "I10"]));
    let text = serde_json::to_string(&r).unwrap();
    assert!(
        text.starts_with(
            r#"{"score":10.0,"max":10.0,"percent":100.0,"passed":true,"criteria":[{"id":"diagnosis_codes","points":10.0,"max":10.0,"outcome":"correct","feedback":"Code set correct and in order.","rule":"OCG I.B.9 combination codes; E11 use additional code Z79.4","expected":["E11.65","Z79.4","I10"],"given":["E11.65","Z79.4","I10"],"title":"#
        ),
        "{text}"
    );
}

#[test]
fn report_rounds_to_two_decimals_for_display_only() {
    let r = coding(&json!(["E11.65", "Z79.4"]));
    assert!(close(r.score, 20.0 / 3.0));
    let v: Value = serde_json::to_value(&r).unwrap();
    assert_eq!(v["score"], json!(6.67));
    assert!(
        r.to_string()
            .starts_with("coding_diabetes: 6.67 / 10.00 (66.67%) — FAIL\n")
    );
}

#[test]
fn grading_is_deterministic() {
    let rubric = load("valid/charting_visit.ron");
    let mut sub = charting_key();
    sub["soap"]["subjective"] = json!("SOB. HR 110 bpm");
    let a = serde_json::to_string(&run(&rubric, &charting_key(), &sub)).unwrap();
    let b = serde_json::to_string(&run(&rubric, &charting_key(), &sub)).unwrap();
    assert_eq!(a, b);
}

#[test]
fn any_json_type_at_any_path_grades_without_panicking() {
    let rubric = load("valid/charting_visit.ron");
    let odd = [
        json!(null),
        json!(1),
        json!("x"),
        json!([]),
        json!({}),
        json!([1, "a", null]),
        json!(true),
        json!(-1e300),
    ];
    for v in &odd {
        let sub = json!({"patient_id": v, "vitals": {"heart_rate": v, "temperature": v, "weight": v}, "allergies": v, "soap": {"subjective": v}});
        let r = run(&rubric, &charting_key(), &sub);
        assert!(r.score >= 0.0 && r.score <= r.max);
        // The key itself may be odd too.
        let _ = run(&rubric, &sub, &charting_key());
    }
}

// ---------------------------------------------------------------- broken rubrics

fn diagnostics(name: &str) -> Vec<String> {
    let (file, text) = fixture(&format!("invalid/{name}.ron"));
    match load_rubric(&text, &file, &schemas()) {
        Ok(_) => panic!("{name} loaded"),
        Err(ds) => ds.iter().map(ToString::to_string).collect(),
    }
}

fn assert_diagnostic(name: &str, expected: &str) {
    assert_eq!(diagnostics(name), vec![expected.to_string()]);
}

#[test]
fn broken_unknown_field() {
    assert_diagnostic(
        "unknown_field",
        "tests/fixtures/grading/invalid/unknown_field.ron:12:13: error: criteria[0].pointz: Unexpected field named `pointz` in `Criterion`, expected one of `id`, `title`, `section`, `points`, `reads`, `kind`, `feedback`, `rule`, or `source` instead\n  hint: remove the field or fix its spelling; see grading/README.md for every field",
    );
}

#[test]
fn broken_wrong_type() {
    assert_diagnostic(
        "wrong_type",
        "tests/fixtures/grading/invalid/wrong_type.ron:12:20: error: criteria[0].points: Expected float\n  hint: write a value of the expected type (numbers like `2.0`, text in double quotes)",
    );
}

#[test]
fn broken_unknown_criterion_kind() {
    assert_diagnostic(
        "unknown_kind",
        "tests/fixtures/grading/invalid/unknown_kind.ron:14:19: error: criteria[0].kind: Unexpected variant named `Fuzzy` in enum `CriterionKind`, expected one of `Exact`, `Numeric`, `Date`, `Required`, `OrderedList`, `UnorderedList`, `Codes`, `Drg`, `Poa`, `Concepts`, `Forbidden`, `WordErrorRate`, `FlagSet`, or `Ordinal` instead\n  hint: criterion kinds are Exact, Numeric, Date, Required, OrderedList, UnorderedList, Codes, Drg, Poa, Concepts, Forbidden, WordErrorRate, FlagSet, Ordinal",
    );
}

#[test]
fn broken_points_not_positive() {
    assert_diagnostic(
        "points_not_positive",
        "tests/fixtures/grading/invalid/points_not_positive.ron:12:13: error: criteria[0].points: points must be greater than 0 (got 0)\n  hint: remove the criterion instead of giving it 0 points",
    );
}

#[test]
fn broken_duplicate_criterion_id() {
    assert_diagnostic(
        "duplicate_id",
        "tests/fixtures/grading/invalid/duplicate_id.ron:19:13: error: criteria[1].id: duplicate criterion id `heart_rate` (first used by criteria[0])\n  hint: give every criterion its own id",
    );
}

#[test]
fn broken_field_not_produced_by_the_task_kind() {
    assert_diagnostic(
        "field_not_produced",
        "tests/fixtures/grading/invalid/field_not_produced.ron:13:21: error: criteria[0].reads[0]: task kind `charting` produces no field `vitals.pulse`\n  hint: fields it produces: allergies[], patient_id, soap.objective, soap.subjective, vitals.heart_rate, vitals.temperature, vitals.weight",
    );
}

#[test]
fn broken_kind_incompatible_with_the_field_type() {
    assert_diagnostic(
        "kind_incompatible",
        "tests/fixtures/grading/invalid/kind_incompatible.ron:23:13: error: criteria[1].kind: criterion kind Numeric cannot read `soap.subjective`, a text field\n  hint: Numeric reads: number, quantity (number with unit)",
    );
}

#[test]
fn broken_pass_mark_out_of_range() {
    assert_diagnostic(
        "pass_mark_out_of_range",
        "tests/fixtures/grading/invalid/pass_mark_out_of_range.ron:7:5: error: pass_mark_percent: pass mark must be between 0 and 100 percent (got 120)\n  hint: e.g. `pass_mark_percent: 80.0`",
    );
}

#[test]
fn broken_bad_version() {
    assert_diagnostic(
        "bad_version",
        "tests/fixtures/grading/invalid/bad_version.ron:3:5: error: version: unsupported rubric version 2 (this program reads version 1)\n  hint: set `version: 1`",
    );
}

#[test]
fn broken_bad_field_path() {
    assert_diagnostic(
        "bad_path",
        "tests/fixtures/grading/invalid/bad_path.ron:13:21: error: criteria[0].reads[0]: bad field path `Vitals..heart_rate`: segment `Vitals` is not a snake_case field name (letters a-z, digits, `_`)\n  hint: paths look like `vitals.heart_rate`, `allergies[]` or `allergies[].allergen`",
    );
}

#[test]
fn broken_bad_regex() {
    assert_diagnostic(
        "bad_regex",
        "tests/fixtures/grading/invalid/bad_regex.ron:23:57: error: criteria[1].kind.patterns[0].regex: pattern `vitals` is not a valid regular expression: unclosed group\n  hint: escape `(`, `[`, `+`, `?` with a backslash, written `\\\\` inside a RON string",
    );
}

#[test]
fn broken_missing_field() {
    assert_diagnostic(
        "missing_field",
        "tests/fixtures/grading/invalid/missing_field.ron:16:9: error: criteria[0]: Unexpected missing field named `rule` in `Criterion`\n  hint: add the missing field",
    );
}

#[test]
fn broken_kind_without_parentheses() {
    assert_diagnostic(
        "kind_without_parentheses",
        "tests/fixtures/grading/invalid/kind_without_parentheses.ron:14:26: error: criteria[0].kind: Expected opening `(`\n  hint: settings go in parentheses, even when empty: write `OrderedList()`, not `OrderedList`",
    );
}

#[test]
fn broken_syntax_error() {
    assert_diagnostic(
        "syntax_error",
        "tests/fixtures/grading/invalid/syntax_error.ron:13:13: error: criteria[0].reads: Expected comma\n  hint: check the RON syntax near this position",
    );
}

#[test]
fn validation_reports_every_problem_not_just_the_first() {
    let (_, text) = fixture("invalid/points_not_positive.ron");
    let text = text
        .replace("version: 1", "version: 3")
        .replace("pass_mark_percent: 80.0", "pass_mark_percent: -5.0");
    let ds = load_rubric(&text, "x.ron", &schemas()).unwrap_err();
    let heads: Vec<String> = ds
        .iter()
        .map(|d| format!("{}:{} {}", d.line(), d.col(), d.item_path()))
        .collect();
    assert_eq!(
        heads,
        vec![
            "3:5 version",
            "7:5 pass_mark_percent",
            "12:13 criteria[0].points"
        ]
    );
}

#[test]
fn every_invalid_fixture_has_a_test() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/grading/invalid");
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "bad_path.ron",
            "bad_regex.ron",
            "bad_version.ron",
            "duplicate_id.ron",
            "field_not_produced.ron",
            "kind_incompatible.ron",
            "kind_without_parentheses.ron",
            "missing_field.ron",
            "pass_mark_out_of_range.ron",
            "points_not_positive.ron",
            "syntax_error.ron",
            "unknown_field.ron",
            "unknown_kind.ron",
            "wrong_type.ron",
        ]
    );
}

// ---------------------------------------------------------------- fuzzing

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn loader_never_panics_on_random_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        let text = String::from_utf8_lossy(&bytes);
        let _ = load_rubric(&text, "fuzz.ron", &schemas());
    }

    #[test]
    fn loader_never_panics_on_mutations_of_a_valid_rubric(
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..3), 1..10)
    ) {
        let (_, text) = fixture("valid/charting_visit.ron");
        let mut bytes = text.into_bytes();
        for (at, byte, op) in edits {
            let i = at.index(bytes.len().max(1));
            match op {
                0 if i < bytes.len() => bytes[i] = byte,
                1 if i < bytes.len() => { bytes.remove(i); }
                _ => bytes.insert(i.min(bytes.len()), byte),
            }
        }
        let text = String::from_utf8_lossy(&bytes);
        if let Ok(rubric) = load_rubric(&text, "fuzz.ron", &schemas()) {
            // Whatever still validates must also grade without panicking.
            let r = run(&rubric, &charting_key(), &charting_blank());
            prop_assert!(r.score >= 0.0);
        }
    }
}

// ---------------------------------------------------------------- the instructor guide

#[test]
fn every_example_in_the_rubric_guide_parses() {
    let guide = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("grading/README.md"),
    )
    .unwrap();
    let blocks: Vec<&str> = guide
        .split("```ron\n")
        .skip(1)
        .filter_map(|b| b.split("\n```").next())
        .collect();
    assert_eq!(blocks.len(), 14, "examples in grading/README.md");
    for (i, block) in blocks.iter().enumerate() {
        let source = if block.contains("version:") {
            (*block).to_string()
        } else {
            format!(
                "(version: 1, id: \"guide\", title: \"Guide\", task_kind: charting, pass_mark_percent: 80.0, criteria: [{block}])"
            )
        };
        if let Err(ds) = ehr_sim::grading::parse_rubric(&source, &format!("README block {i}")) {
            panic!("{}", ds[0]);
        }
    }
}

#[test]
fn whole_numbers_are_accepted_where_decimals_are_expected() {
    let (_, text) = fixture("valid/triage_esi.ron");
    let text = text
        .replace("points: 4.0", "points: 4")
        .replace("pass_mark_percent: 75.0", "pass_mark_percent: 75");
    let rubric = load_rubric(&text, "t.ron", &schemas()).unwrap();
    assert_eq!(
        (rubric.criteria[0].points, rubric.pass_mark_percent),
        (4.0, 75.0)
    );
}

#[test]
fn text_report_explains_every_point() {
    let mut sub = charting_key();
    sub["vitals"]["temperature"] = json!({"value": 101.0, "unit": "°F"});
    sub["allergies"] = json!([{"allergen": "PCN", "reaction": "hives"}]);
    sub["soap"]["subjective"] = json!("Chest pressure. BP 150/90 mmHg");
    let r = run(&load("valid/charting_visit.ron"), &charting_key(), &sub);
    let expected = r#"charting_visit: 6.00 / 12.00 (50.00%) — FAIL (7.00 before critical gates)
  CRITICAL missed_allergy (cap 50%): A recorded allergy is missing from the chart (not documented: latex) [docs/domain/charting.md §6]
  [correct] patient_id 1.00/1.00 — Charted on the right patient.
      rule: Two identifiers before every entry
      - `MRN-000123` is accepted
  [correct] heart_rate 2.00/2.00 — Heart rate recorded correctly.
      rule: Vital signs with units
      - 96 /min is within ±2 /min of 96 /min
  [partial] temperature 1.00/2.00 — Temperature close.
      rule: Vital signs with units (°C or °F)
      - 101 °F = 38.33 °C
      - 38.33 °C is off by 0.33 °C (partial band ±0.5 °C)
  [correct] weight 1.00/1.00 — Weight recorded correctly.
      rule: Weight with units
      - 80 kg is within ±0.5 kg of 80 kg
  [partial] allergies 1.00/3.00 — Some allergy details are missing.
      rule: Allergen, reaction and severity for each allergy
      - penicillin: severity missing (expected moderate)
      - missing entry: latex
  [partial] subjective_concepts 1.00/2.00 — Subjective misses part of the complaint.
      rule: S: chief complaint and HPI in the patient's words
      - mentions chest pain ("chest pressure")
      - does not mention shortness of breath
  [incorrect] subjective_clean 0.00/1.00 — Subjective holds measured data.
      rule: S holds only what the patient reports; O holds measurements
      - measured vital sign: "150/90 mmHg" — measured vitals belong under Objective
"#;
    assert_eq!(r.to_string(), expected);
}

#[test]
fn load_rubric_file_reads_from_disk_and_reports_unreadable_files() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/grading");
    let rubric =
        ehr_sim::library::load_rubric_file(&dir.join("valid/triage_esi.ron"), &schemas()).unwrap();
    assert_eq!(rubric.id, "triage_esi");
    let missing = dir.join("valid/nope.ron");
    let ds = ehr_sim::library::load_rubric_file(&missing, &schemas()).unwrap_err();
    assert!(
        ds[0].message.starts_with("cannot read the rubric: "),
        "{}",
        ds[0]
    );
    assert_eq!(ds[0].file, missing);
}

#[test]
fn a_task_kind_without_a_registered_schema_is_reported() {
    let (file, text) = fixture("valid/triage_esi.ron");
    let ds = load_rubric(&text, &file, &[]).unwrap_err();
    assert_eq!(
        ds[0].to_string(),
        "tests/fixtures/grading/valid/triage_esi.ron:5:5: error: task_kind: no field schema is registered for task kind `triage`\n  hint: register the task kind's FieldSchema with the loader"
    );
}

#[test]
fn test_documents_conform_to_their_schema() {
    let charting = &schemas()[0];
    assert!(charting.check(&charting_key()).is_empty());
    assert!(charting.check(&charting_blank()).is_empty());
    let mut bad = charting_key();
    bad["allergies"] = json!("penicillin");
    assert_eq!(
        charting.check(&bad),
        vec!["`allergies[]`: expected list of records, found \"penicillin\"".to_string()]
    );
}

#[test]
fn deeply_nested_input_is_rejected_without_overflowing_the_stack() {
    for open in ["[", "(", "{", "Exact("] {
        let text = format!("(criteria: {})", open.repeat(100_000));
        let ds = load_rubric(&text, "deep.ron", &schemas()).unwrap_err();
        assert_eq!(ds.len(), 1);
    }
}
