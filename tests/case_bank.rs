//! The case bank's summary (`ehr-sim scenarios list --summary`): exact counts on a small
//! content root whose cases are known, and the command's output and limits.

use std::collections::BTreeMap;
use std::path::Path;

use ehr_sim::library::ContentRoot;
use ehr_sim::service::case_bank::{Counted, summarize};
use ehr_sim::service::library::Library;

/// A content root with the shipped rubrics and five shipped scenarios, one to three of each kind.
fn small_root() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let project = Path::new(env!("CARGO_MANIFEST_DIR"));
    crate::service::copy_dir(&project.join("grading"), &dir.path().join("grading"));
    for file in [
        "coding/outpatient_gestational_hypertension.ron",
        "coding/inpatient_appendicitis_appendectomy.ron",
        "triage/infant_fever.ron",
        "hospice/late_noe.ron",
        "charting/transcription_copd_followup.ron",
    ] {
        let to = dir.path().join("scenarios").join(file);
        std::fs::create_dir_all(to.parent().expect("folder")).expect("mkdir");
        std::fs::copy(project.join("scenarios").join(file), to).expect("copy");
    }
    dir
}

fn map<V: Clone>(pairs: &[(&str, V)]) -> BTreeMap<String, V> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_string(), v.clone()))
        .collect()
}

#[test]
fn the_summary_counts_distinct_keys_templates_defects_and_visits() {
    let dir = small_root();
    let library = Library::load(&ContentRoot::at(dir.path()));
    assert!(library.problems.is_empty(), "{:?}", library.problems);
    let bank = summarize(&library.scenarios, 40);
    assert_eq!((bank.seeds, bank.scenarios), (40, 5));
    // Coding: the prenatal note's four gestational ages give four keys (O13.2 or O13.3 with
    // their Z3A weeks); seeds that change only the patient do not add keys.
    let c = &bank.coding;
    assert_eq!((c.keys, c.inpatient_keys, c.outpatient_keys), (6, 2, 4));
    assert_eq!(
        c.per_scenario,
        map(&[
            ("inpatient_appendicitis_appendectomy", 2),
            ("outpatient_gestational_hypertension", 4)
        ])
    );
    assert_eq!(
        c.chapters.get(&15),
        Some(&Counted {
            title: "Pregnancy, childbirth and the puerperium (O00-O9A)".into(),
            count: 4
        })
    );
    assert_eq!(c.chapters.get(&21).map(|c| c.count), Some(4));
    assert_eq!(c.chapters.get(&11).map(|c| c.count), Some(2));
    assert_eq!(c.root_operations, map(&[("Resection", 2)]));
    // Triage: the febrile-children shift's five templates, all pediatric.
    let t = &bank.triage;
    assert_eq!((t.templates, t.pediatric, t.with_retriage), (5, 5, 0));
    assert!(t.not_drawn.is_empty(), "{:?}", t.not_drawn);
    assert_eq!(t.levels.values().sum::<usize>(), 5);
    assert_eq!(t.levels.get(&2), Some(&3));
    assert_eq!(t.decision_points.get("B"), Some(&3));
    // Hospice: the planted defects by their names in the file, and the rules they break.
    let h = &bank.hospice;
    assert_eq!((h.timelines, h.compliant), (1, 0));
    assert_eq!(
        h.defects,
        map(&[("LateInitialAssessment", 1), ("LateNoe", 1)])
    );
    assert_eq!(
        h.failing_rules,
        map(&[("assessment.initial", 1), ("noe.timely", 1)])
    );
    // Charting: one dictation.
    assert_eq!(
        (
            bank.charting.visits,
            bank.charting.documentation,
            bank.charting.transcription
        ),
        (1, 0, 1)
    );
    assert!(bank.charting.screenings.is_empty());
    assert_eq!(bank.charting.growth_percentiles, 0);
    assert_eq!(bank.competencies.get("transcription"), Some(&1));
}

/// Release of information: who asks, for what, and what the keys decide, on two shipped
/// requests (an attorney's authorization with psychotherapy notes; an attorney's Part 2 consent
/// with blanks).
#[test]
fn the_summary_counts_requesters_sections_actions_and_bases_of_requests() {
    let dir = tempfile::tempdir().expect("temp dir");
    let project = Path::new(env!("CARGO_MANIFEST_DIR"));
    crate::service::copy_dir(&project.join("grading"), &dir.path().join("grading"));
    std::fs::create_dir_all(dir.path().join("scenarios/roi")).expect("mkdir");
    for file in [
        "attorney_psychotherapy_notes.ron",
        "attorney_part2_consent_incomplete.ron",
    ] {
        let to = dir.path().join("scenarios/roi").join(file);
        std::fs::copy(project.join("scenarios/roi").join(file), to).expect("copy");
    }
    let library = Library::load(&ContentRoot::at(dir.path()));
    assert!(library.problems.is_empty(), "{:?}", library.problems);
    let r = summarize(&library.scenarios, 5).roi;
    assert_eq!((r.requests, r.part2_notice), (2, 0));
    assert_eq!(r.requesters, map(&[("Attorney", 2)]));
    assert_eq!(
        r.sections,
        map(&[
            ("Part 2 SUD program records", 1),
            ("imaging", 1),
            ("labs", 1),
            ("progress notes", 2),
            ("psychotherapy notes", 1)
        ])
    );
    assert_eq!(
        r.actions,
        map(&[("deny", 1), ("release", 2), ("return_for_correction", 1)])
    );
    assert_eq!(
        r.bases,
        map(&[
            ("authorization_psychotherapy", 1),
            ("authorization_valid", 2),
            ("part2_consent", 1)
        ])
    );
}

#[test]
fn a_scenario_that_does_not_validate_is_left_out_of_the_count() {
    let dir = small_root();
    std::fs::write(
        dir.path().join("scenarios/coding/broken.ron"),
        "Scenario(version: 1, id: \"broken\")",
    )
    .expect("write");
    let library = Library::load(&ContentRoot::at(dir.path()));
    assert_eq!(library.problems.len(), 1, "{:?}", library.problems);
    let bank = summarize(&library.scenarios, 5);
    assert_eq!(bank.scenarios, 5);
}

#[test]
fn scenarios_list_summary_prints_the_bank_and_bounds_its_seeds() {
    let dir = small_root();
    let run = |args: &[&str]| {
        crate::ehr_sim_command()
            .args(args)
            .env("EHR_SIM_HOME", dir.path())
            .output()
            .expect("runs")
    };
    let out = run(&["scenarios", "list", "--summary", "--seeds", "40"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).expect("utf-8");
    for line in [
        "CASE BANK: 5 scenarios; distinct cases counted over seeds 1-40",
        "CODING     6 distinct keys: 2 inpatient, 4 outpatient/ED/professional",
        "      4  chapter 15  Pregnancy, childbirth and the puerperium (O00-O9A)",
        "TRIAGE     5 presentation templates: 5 pediatric (100 %), 0 with a re-triage change",
        "HOSPICE    1 timelines, 0 compliant (no failing rule)",
        "  planted defects:  LateInitialAssessment 1, LateNoe 1",
        "CHARTING   1 visits: 0 documentation, 1 transcription",
    ] {
        assert!(
            text.lines().any(|l| l == line),
            "no line {line:?} in\n{text}"
        );
    }
    let json = run(&["scenarios", "list", "--summary", "--seeds", "3", "--json"]);
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).expect("json");
    assert_eq!(value["seeds"], 3);
    assert_eq!(value["hospice"]["timelines"], 1);
    for bad in ["0", "1001", "2147483648"] {
        let out = run(&["scenarios", "list", "--summary", "--seeds", bad]);
        assert_eq!(out.status.code(), Some(2), "--seeds {bad}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("--seeds"), "{err}");
    }
    // --seeds only means something with --summary.
    let out = run(&["scenarios", "list", "--seeds", "3"]);
    assert_eq!(out.status.code(), Some(2));
}

/// The shipped case bank holds what a certificate course needs (issue #17 §2), counted by the
/// same summary the command prints.
#[test]
fn the_shipped_case_bank_meets_a_courses_counts() {
    let root = ContentRoot::at(env!("CARGO_MANIFEST_DIR"));
    let library = Library::load(&root);
    assert!(library.problems.is_empty(), "{:?}", library.problems);
    let bank = summarize(&library.scenarios, 40);
    let c = &bank.coding;
    assert!(c.keys >= 60, "coding keys {}", c.keys);
    assert!(
        c.inpatient_keys >= 25,
        "inpatient keys {}",
        c.inpatient_keys
    );
    assert!(
        c.outpatient_keys >= 35,
        "outpatient keys {}",
        c.outpatient_keys
    );
    assert!(c.chapters.len() >= 15, "chapters {:?}", c.chapters.keys());
    for chapter in [2, 5, 14, 15, 16, 19] {
        assert!(c.chapters.contains_key(&chapter), "no chapter {chapter}");
    }
    assert!(
        c.root_operations.len() >= 12,
        "root operations {:?}",
        c.root_operations.keys()
    );
    // Sections without shipped tables are named from the long title.
    for op in [
        "Delivery (Obstetrics)",
        "Introduction (Administration)",
        "Performance (Extracorporeal or Systemic Assistance and Performance)",
    ] {
        assert!(c.root_operations.contains_key(op), "no {op}");
    }
    let t = &bank.triage;
    assert!(t.templates >= 80, "triage templates {}", t.templates);
    assert!(3 * t.pediatric >= t.templates, "pediatric {}", t.pediatric);
    for level in 1..=5 {
        assert!(t.levels.contains_key(&level), "no template at ESI {level}");
    }
    for point in ["A", "B", "C", "D"] {
        assert!(
            t.decision_points.contains_key(point),
            "no decision point {point}"
        );
    }
    assert!(
        t.with_retriage >= 5,
        "re-triage changes {}",
        t.with_retriage
    );
    assert!(t.not_drawn.is_empty(), "{:?}", t.not_drawn);
    let h = &bank.hospice;
    assert!(h.timelines >= 20, "hospice timelines {}", h.timelines);
    for rule in [
        "noe.timely",
        "f2f.window",
        "cert.earliest",
        "cert.signers",
        "loc.respite",
        "loc.chc",
        "hope.huv1",
        "hope.huv2",
    ] {
        assert!(
            h.failing_rules.contains_key(rule),
            "no timeline fails {rule}"
        );
    }
    for stay in ["revocation", "re-election", "transfer in", "live discharge"] {
        assert!(h.stays.contains_key(stay), "no timeline with {stay}");
    }
    let ch = &bank.charting;
    assert!(ch.visits >= 15, "charting visits {}", ch.visits);
    assert!(ch.transcription >= 4, "dictations {}", ch.transcription);
    for screening in ["PHQ-9", "GAD-7", "C-SSRS screener"] {
        assert!(
            ch.screenings.contains_key(screening),
            "no visit with {screening}"
        );
    }
    assert!(
        ch.growth_percentiles >= 2,
        "growth visits {}",
        ch.growth_percentiles
    );
}
