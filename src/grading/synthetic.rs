//! Synthetic grading workloads for the benchmark (`benches/grading.rs`) and for tests: one
//! rubric, key and a deterministic stream of varied submissions per task kind.
//!
//! Everything here is made up and deterministic (submission `i` depends only on `i`).

use crate::diagnostic::Diagnostic;
use crate::grading::load::parse_rubric;
use crate::grading::rubric::{Rubric, RubricKind};
use crate::terminology::{System, code_set};
use serde_json::{Value, json};

/// A rubric, its key and submissions to grade.
#[derive(Debug, Clone)]
pub struct Workload {
    /// The rubric.
    pub rubric: Rubric,
    /// The answer key.
    pub key: Value,
    /// Submissions, each a variation of the key.
    pub submissions: Vec<Value>,
}

const FB: &str = r#"feedback: (correct: "Right: {given}.", partial: "Partly right: {given} (expected {expected}).", incorrect: "Expected {expected}, got {given}.", missing: "Not answered; expected {expected}.")"#;

fn rubric_source(kind: RubricKind) -> String {
    let criteria = match kind {
        RubricKind::Charting => {
            r#"
        (id: "heart_rate", title: "Heart rate", points: 1.0, reads: ["vitals.heart_rate"], kind: Numeric(tolerance: 2.0, unit: "/min"), FB, rule: "docs/domain/charting.md §2"),
        (id: "temperature", title: "Temperature", points: 1.0, reads: ["vitals.temperature"], kind: Numeric(tolerance: 0.2, unit: "°C", partial_tolerance: 0.5), FB, rule: "docs/domain/charting.md §2"),
        (id: "allergies", title: "Allergies", points: 3.0, reads: ["allergies[]"], kind: Required(match_on: "allergen", fields: ["reaction", "severity"]), FB, rule: "docs/domain/charting.md §6"),
        (id: "subjective", title: "Subjective", points: 2.0, reads: ["soap.subjective"], kind: Concepts(concepts: [(name: "chest pain", synonyms: ["chest discomfort"]), (name: "shortness of breath", synonyms: ["sob", "dyspnea"])]), FB, rule: "docs/domain/charting.md §1"),
        (id: "subjective_clean", title: "No measurements in S", points: 1.0, reads: ["soap.subjective"], kind: Forbidden(patterns: [(name: "vital", regex: "\\d+(/\\d+)?\\s*(mmhg|bpm|°f|°c)", message: "measured data belongs in O")]), FB, rule: "docs/domain/charting.md §1"),"#
        }
        RubricKind::Coding => {
            r#"
        (id: "diagnoses", title: "Diagnosis codes", points: 10.0, reads: ["codes"], kind: Codes(sequencing: Strict, optional: ["W01.0XXA"]), FB, rule: "OCG I.B"),"#
        }
        RubricKind::Triage => {
            r#"
        (id: "esi", title: "ESI level", points: 4.0, reads: ["esi_level"], kind: Ordinal(), FB, rule: "ESI v5"),
        (id: "queue", title: "Queue order", points: 2.0, reads: ["queue"], kind: OrderedList(), FB, rule: "ESI v5"),"#
        }
        RubricKind::Transcription => {
            r#"
        (id: "wer", title: "Transcription", points: 10.0, reads: ["transcript"], kind: WordErrorRate(weighted_terms: ["metoprolol", "lisinopril"]), FB, rule: "accuracy ≥ 98%"),"#
        }
        RubricKind::Hospice => {
            r#"
        (id: "period_end", title: "Benefit period end", points: 2.0, reads: ["periods[0].end"], kind: Date(), FB, rule: "42 CFR 418.21"),
        (id: "f2f_due", title: "F2F due", points: 2.0, reads: ["f2f_due"], kind: Date(partial_window_days: 3), FB, rule: "42 CFR 418.22"),"#
        }
        RubricKind::Claims => {
            r#"
        (id: "insured_id", title: "Item 1a", points: 5.0, reads: ["insured_id"], kind: Exact(), FB, rule: "NUCC 1500 item 1a"),
        (id: "total", title: "Item 28", points: 3.0, reads: ["total_charge_cents"], kind: Exact(), FB, rule: "NUCC 1500 item 28"),
        (id: "lines", title: "Item 24", points: 4.0, reads: ["lines[]"], kind: Required(match_on: "hcpcs", fields: ["units", "charge_cents"]), FB, rule: "NUCC 1500 item 24"),"#
        }
        RubricKind::Roi => {
            r#"
        (id: "section1_action", title: "Section 1", points: 3.0, reads: ["sections[0].action"], kind: Exact(partial: [("deny", 0.5), ("ask_for", 0.5)]), FB, rule: "45 CFR 164.508(a)(2)"),
        (id: "due_date", title: "Due date", points: 2.0, reads: ["due_date"], kind: Date(), FB, rule: "45 CFR 164.524(b)(2)"),
        (id: "accounting", title: "Accounting", points: 1.0, reads: ["accounting"], kind: Exact(), FB, rule: "45 CFR 164.528"),"#
        }
        RubricKind::AccessAudit => {
            r#"
        (id: "flags", title: "Flagged events", points: 10.0, reads: ["flags[]"], kind: FlagSet(match_on: "event", labels: "rules", weights: [(label: "account.terminated", weight: 4.0), (label: "access.no_relationship", weight: 3.0), (label: "export.bulk", weight: 2.0), (label: "time.outside_shift", weight: 1.0)]), FB, rule: "45 CFR 164.308(a)(1)(ii)(D)"),
        (id: "notify_hhs", title: "HHS notice", points: 1.0, reads: ["notify_hhs"], kind: Exact(), FB, rule: "45 CFR 164.408"),"#
        }
    };
    let gates = match kind {
        RubricKind::Triage => {
            r#"(id: "under_triage", title: "Under-triage", reads: "esi_level", when: UnderTriage(when_key_at_most: 2), effect: Zero, message: "Under-triage of a high-acuity patient")"#
        }
        RubricKind::Charting => {
            r#"(id: "missed_allergy", title: "Missed allergy", reads: "allergies[]", when: MissingItem(match_on: "allergen"), effect: CapPercent(50.0), message: "An allergy was not documented")"#
        }
        RubricKind::Transcription
        | RubricKind::Coding
        | RubricKind::Hospice
        | RubricKind::Roi
        | RubricKind::Claims
        | RubricKind::AccessAudit => "",
    };
    format!(
        "(version: 1, id: \"synthetic_{}\", title: \"Synthetic\", task_kind: {}, pass_mark_percent: 80.0, criteria: [{}], critical: [{gates}])",
        kind.as_str(),
        kind.as_str(),
        criteria.replace("FB", FB)
    )
}

const WORDS: [&str; 12] = [
    "patient",
    "reports",
    "chest",
    "pain",
    "since",
    "morning",
    "denies",
    "fever",
    "takes",
    "metoprolol",
    "and",
    "lisinopril",
];

fn key_for(kind: RubricKind) -> Value {
    match kind {
        RubricKind::Charting => json!({
            "vitals": {"heart_rate": {"value": 88, "unit": "bpm"}, "temperature": {"value": 37.0, "unit": "°C"}},
            "allergies": [
                {"allergen": "penicillin", "reaction": "hives", "severity": "moderate"},
                {"allergen": "peanut", "reaction": "anaphylaxis", "severity": "severe"}
            ],
            "soap": {"subjective": "Chest pain and shortness of breath since this morning."}
        }),
        RubricKind::Coding => json!({"codes": ["S52.501A", "E11.65", "Z79.4", "I10"]}),
        RubricKind::Triage => json!({"esi_level": 2, "queue": ["p1", "p2", "p3", "p4", "p5"]}),
        RubricKind::Transcription => {
            let text: Vec<&str> = (0..200)
                .filter_map(|i| WORDS.get(i % WORDS.len()).copied())
                .collect();
            json!({"transcript": text.join(" ")})
        }
        RubricKind::Hospice => json!({"periods": [{"end": "2026-04-30"}], "f2f_due": "2026-07-29"}),
        RubricKind::Claims => json!({
            "insured_id": "SYN123456789",
            "total_charge_cents": 25000,
            "lines": [
                {"hcpcs": "G0463", "units": 1, "charge_cents": 20000},
                {"hcpcs": "J1100", "units": 2, "charge_cents": 5000}
            ]
        }),
        RubricKind::Roi => json!({
            "sections": [{"section": "psychotherapy_notes", "action": "deny", "ask_for": null}],
            "due_date": "2026-04-01",
            "accounting": false
        }),
        RubricKind::AccessAudit => json!({
            "flags": [
                {"event": "E000004", "rules": ["account.terminated", "access.no_relationship"]},
                {"event": "E000017", "rules": ["export.bulk"]},
                {"event": "E000023", "rules": ["time.outside_shift"]}
            ],
            "notify_hhs": "annual_log"
        }),
    }
}

fn set(doc: &mut Value, pointer: &str, value: Value) {
    if let Some(slot) = doc.pointer_mut(pointer) {
        *slot = value;
    }
}

fn vary(kind: RubricKind, key: &Value, i: usize) -> Value {
    let mut s = key.clone();
    let k = i % 5;
    match kind {
        RubricKind::Charting => {
            set(
                &mut s,
                "/vitals/temperature",
                json!({"value": 98.0 + k as f64 * 0.4, "unit": "°F"}),
            );
            if k == 3 {
                set(
                    &mut s,
                    "/soap/subjective",
                    json!("Chest discomfort, BP 150/90 mmHg"),
                );
            }
            if k == 4 {
                set(
                    &mut s,
                    "/allergies",
                    json!([{"allergen": "Penicillin", "reaction": "rash"}]),
                );
            }
        }
        RubricKind::Coding => {
            let variants = [
                json!(["S52.501A", "E11.65", "Z79.4", "I10"]),
                json!(["S52.501D", "E11.9", "Z79.4"]),
                json!(["E11.65", "S52.501A", "Z79.4", "I10", "R73.9"]),
                json!(["S52.502A", "E11", "W01.0XXA"]),
                json!([]),
            ];
            set(
                &mut s,
                "/codes",
                variants.get(k).cloned().unwrap_or(Value::Null),
            );
        }
        RubricKind::Triage => {
            set(&mut s, "/esi_level", json!(1 + k));
            set(&mut s, "/queue", json!(["p1", "p3", "p2", "p4", "p5"]));
        }
        RubricKind::Transcription => {
            if let Some(t) = s.get("transcript").and_then(Value::as_str) {
                let mut words: Vec<String> = t.split(' ').map(str::to_string).collect();
                for w in words.iter_mut().skip(k).step_by(17) {
                    *w = "uh".to_string();
                }
                set(&mut s, "/transcript", json!(words.join(" ")));
            }
        }
        RubricKind::Hospice => {
            set(&mut s, "/f2f_due", json!(format!("2026-07-{}", 26 + k)));
        }
        RubricKind::Claims => {
            set(&mut s, "/lines/1/units", json!(1 + k));
            if k == 2 {
                set(&mut s, "/insured_id", json!("SYN000000000"));
            }
        }
        RubricKind::Roi => {
            let actions = ["deny", "release", "ask_for", "release_in_part", "deny"];
            set(
                &mut s,
                "/sections/0/action",
                json!(actions.get(k).copied().unwrap_or("deny")),
            );
            set(&mut s, "/due_date", json!(format!("2026-04-0{}", 1 + k)));
            set(&mut s, "/accounting", json!(k == 1));
        }
        RubricKind::AccessAudit => {
            let flags = [
                json!([{"event": "E000004", "rules": ["account.terminated"]}]),
                json!([{"event": "E000017", "rules": ["export.bulk"]}, {"event": "E000099", "rules": ["relation.vip"]}]),
                json!([]),
                json!([{"event": "E000023", "rules": ["time.outside_shift"]}]),
                key["flags"].clone(),
            ];
            set(
                &mut s,
                "/flags",
                flags.get(k).cloned().unwrap_or(Value::Null),
            );
            set(
                &mut s,
                "/notify_hhs",
                json!(if k == 2 { "none" } else { "annual_log" }),
            );
        }
    }
    s
}

/// Builds a workload of `n` submissions for a task kind.
///
/// # Errors
/// Diagnostics if the embedded rubric fails to parse (a bug in this module).
pub fn workload(kind: RubricKind, n: usize) -> Result<Workload, Vec<Diagnostic>> {
    let rubric = parse_rubric(&rubric_source(kind), "synthetic")?;
    let key = key_for(kind);
    let submissions = (0..n).map(|i| vary(kind, &key, i)).collect();
    Ok(Workload {
        rubric,
        key,
        submissions,
    })
}

/// A long ICD-10-CM answer for a coding key (`{"codes": {"diagnoses": [...]}}` with `lines`
/// code lines): the key's expected diagnoses first, then distinct billable codes of the shipped
/// set in its order (from chapter Z backwards), then the list again from its start when the set
/// has fewer billable codes than `lines`. For the benchmark (`ehr-sim bench grading`) and the test that grading a
/// long answer is exact.
#[must_use]
pub fn long_code_answer(key: &Value, lines: usize) -> Value {
    let mut codes = super::criteria::codes::required_codes(&key["codes"]["diagnoses"]);
    codes.truncate(lines);
    let in_key: std::collections::HashSet<String> = codes.iter().cloned().collect();
    if let Some(set) = code_set(System::Icd10Cm) {
        let filler = set
            .entries
            .iter()
            .rev()
            .filter(|e| e.billable && e.is_code())
            .map(|e| e.code.clone());
        for code in filler {
            if codes.len() >= lines {
                break;
            }
            if !in_key.contains(&code) {
                codes.push(code);
            }
        }
    }
    // Past the set's billable codes, the list repeats itself (each repeat is an extra code).
    let distinct = codes.len();
    let mut n = 0;
    while codes.len() < lines && distinct > 0 {
        let again = codes.get(n % distinct).cloned().unwrap_or_default();
        codes.push(again);
        n += 1;
    }
    json!({"codes": {"diagnoses": codes}})
}
