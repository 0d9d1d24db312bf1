//! The encoder search on the words learners type (issue #22): one test per failure class —
//! strict AND over words, lay/anatomical words and word forms, abbreviations with other words,
//! ranking (usual code first, numbers against ranges, encounter words) — each with the issue's
//! examples and cases of our own, the intended code in the top 3; why each hit matched; what an
//! empty result says; and the Alphabetic Index importer feeding the search.

use std::path::{Path, PathBuf};

use ehr_sim::terminology::System;
use ehr_sim::terminology::import::icd10cm_index;
use ehr_sim::terminology::search::{self, MatchKind, SearchOptions};

fn hits(query: &str, limit: usize) -> Vec<search::Hit> {
    search::search(
        query,
        &SearchOptions {
            system: System::Icd10Cm,
            limit,
        },
    )
}

fn codes(query: &str, limit: usize) -> Vec<String> {
    hits(query, limit).into_iter().map(|h| h.code).collect()
}

#[track_caller]
fn in_top3(query: &str, code: &str) {
    let top = codes(query, 3);
    assert!(
        top.iter().any(|c| c == code),
        "{query}: {code} not in the top 3 {top:?}"
    );
}

#[track_caller]
fn first(query: &str, code: &str) {
    let top = codes(query, 5);
    assert_eq!(
        top.first().map(String::as_str),
        Some(code),
        "{query}: {top:?}"
    );
}

#[test]
fn a_word_missing_from_the_title_no_longer_empties_the_result() {
    // The examples.
    in_top3("distal radius fracture right initial", "S52.501A");
    in_top3("obesity bmi 41 adult", "Z68.41");
    // Our own: words the titles do not use, alongside words they do.
    in_top3(
        "closed fracture sacrum initial encounter patient fell",
        "S32.10XA",
    );
    in_top3("type 2 diabetes with ckd stage 3b on insulin", "E11.22");
    in_top3("community acquired pneumonia", "J18.9");
}

#[test]
fn lay_and_anatomical_words_and_word_forms_reach_the_titles() {
    // The examples.
    in_top3("hypertension ckd", "I12.9");
    in_top3("gallstones", "K80.20");
    in_top3("cellulitis right leg", "L03.115");
    in_top3("sacral fracture initial", "S32.10XA");
    in_top3("depression", "F32.A");
    in_top3("hip fracture right initial", "S72.001A");
    // Our own.
    in_top3("kidney stone", "N20.0");
    in_top3("high blood pressure", "I10");
    in_top3("broken wrist left initial", "S52.502A");
    in_top3("hypertensive", "I10");
    in_top3("obese", "E66.9");
}

#[test]
fn abbreviations_alone_and_combined_with_words() {
    // The example.
    let dvt = codes("dvt", 3);
    assert!(dvt.iter().any(|c| c.starts_with("I82.4")), "dvt: {dvt:?}");
    // Our own.
    in_top3("dvt right leg", "I82.401");
    in_top3("htn ckd stage 3", "I12.9");
    in_top3("t2dm foot ulcer", "E11.621");
    in_top3("copd exacerbation", "J44.1");
    in_top3("esrd on dialysis htn", "I12.0");
}

#[test]
fn the_usual_code_ranks_first_and_numbers_select_their_range() {
    // The examples: type 2 before "other specified" and secondary diabetes.
    first("diabetes ckd", "E11.22");
    first("bmi 41", "Z68.41");
    // Our own: weeks of gestation, the unspecified site, the default type.
    first("pregnancy 20 weeks gestation", "Z3A.20");
    first("bmi 27.5 adult", "Z68.27");
    first("diabetes", "E11.9");
    first("hypertension", "I10");
    first("atrial fibrillation", "I48.91");
}

#[test]
fn encounter_words_steer_the_seventh_character() {
    let subsequent = codes(
        "fracture lower end right radius subsequent routine healing",
        3,
    );
    assert!(subsequent.iter().any(|c| c == "S52.501D"), "{subsequent:?}");
    let sequela = codes("fracture lower end right radius sequela", 3);
    assert!(sequela.iter().any(|c| c == "S52.501S"), "{sequela:?}");
    // No encounter word: the initial encounter comes first.
    let plain = codes("fracture lower end right radius", 3);
    assert!(plain.iter().any(|c| c == "S52.501A"), "{plain:?}");
}

#[test]
fn each_hit_says_which_words_matched_which() {
    let top = hits("hypertension ckd", 5);
    let i129 = top
        .iter()
        .find(|h| h.code == "I12.9")
        .unwrap_or_else(|| panic!("{top:?}"));
    assert!(i129.complete);
    let ckd = i129
        .reasons
        .iter()
        .find(|r| r.query == "ckd")
        .unwrap_or_else(|| panic!("{:?}", i129.reasons));
    assert_eq!(ckd.matched, "chronic kidney disease");
    assert_eq!(ckd.how, MatchKind::Synonym);
    let htn = i129
        .reasons
        .iter()
        .find(|r| r.query == "hypertension")
        .unwrap_or_else(|| panic!("{:?}", i129.reasons));
    assert_eq!(htn.matched, "hypertensive");
    assert_eq!(htn.how, MatchKind::Form);
    let bmi = hits("bmi 41", 1);
    assert!(
        bmi.first().is_some_and(|h| h
            .reasons
            .iter()
            .any(|r| r.how == MatchKind::Range && r.query == "41" && r.matched == "40.0-44.9")),
        "{bmi:?}"
    );
}

#[test]
fn words_no_code_uses_are_named_with_near_spellings() {
    let none = search::search_detailed("zzzzqqqq", &SearchOptions::default());
    assert!(none.hits.is_empty());
    assert_eq!(none.not_found, ["zzzzqqqq"]);
    let some = search::search_detailed("diabetes ckd qqqqq", &SearchOptions::default());
    assert_eq!(some.hits.first().map(|h| h.code.as_str()), Some("E11.22"));
    assert_eq!(some.not_found, ["qqqqq"]);
    let typo = search::search_detailed("fractxre", &SearchOptions::default());
    assert!(
        typo.near.iter().any(|(_, w)| w == "fracture") || !typo.hits.is_empty(),
        "{typo:?}"
    );
}

// ---- the Alphabetic Index importer --------------------------------------------------------------

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/terminology")
        .join(name)
}

#[test]
fn index_xml_gives_term_paths_codes_and_references() {
    let path = fixture("icd10cm_index_small.xml");
    let xml = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
    let index = icd10cm_index::parse(&path, &xml).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(index.year, Some(2026));
    assert_eq!(
        index.terms,
        [
            ("M70.4-".to_string(), "Housemaid's knee".to_string()),
            (
                "I10".to_string(),
                "Hypertension, hypertensive (accelerated) (benign) (essential)".to_string()
            ),
            (
                "I12.9".to_string(),
                "Hypertension, hypertensive (accelerated) (benign) (essential), kidney".to_string()
            ),
            (
                "I12.0".to_string(),
                "Hypertension, hypertensive (accelerated) (benign) (essential), kidney, with, stage 5 chronic kidney disease (CKD) or end stage renal disease (ESRD)".to_string()
            ),
            (
                "A15.9".to_string(),
                "Tuberculosis, tubercular, tuberculous (calcification) (calcified)".to_string()
            ),
        ]
    );
    assert!(index.see.contains(&(
        "Tennis elbow".to_string(),
        "Epicondylitis, lateral".to_string()
    )));
    // Stored and read back unchanged.
    let back = icd10cm_index::from_bytes("test", &icd10cm_index::to_bytes(&index))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(back, index);
}

#[test]
fn a_file_that_is_not_the_index_is_refused_with_the_way_out() {
    let path = fixture("tabular_small.xml");
    let xml = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
    let err = icd10cm_index::parse(&path, &xml)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(err.contains("not the ICD-10-CM Alphabetic Index"), "{err}");
    let broken = icd10cm_index::parse(Path::new("x.xml"), "<ICD10CM.index><letter>")
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(broken.starts_with("x.xml line"), "{broken}");
}

fn ehr_sim(args: &[&str], data_dir: &Path) -> std::process::Output {
    crate::ehr_sim_command()
        .args(args)
        .env("EHR_SIM_DATA_DIR", data_dir)
        .output()
        .unwrap_or_else(|e| panic!("cannot run ehr-sim: {e}"))
}

fn searched(query: &str, data_dir: &Path) -> Vec<String> {
    let out = ehr_sim(
        &["codes", "search", query, "--limit", "3", "--json"],
        data_dir,
    );
    let value: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}"));
    value
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|h| h["code"].as_str().map(String::from))
        .collect()
}

#[test]
fn an_imported_index_feeds_the_search() {
    let dir = std::env::temp_dir().join(format!("ehr-sim-index-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    // Before the import the index's own words find nothing of theirs.
    assert!(!searched("housemaid knee right", &dir).contains(&"M70.41".to_string()));
    let fixture = fixture("icd10cm_index_small.xml");
    let out = ehr_sim(
        &[
            "codes",
            "import",
            "icd10cm-index",
            fixture.to_str().unwrap_or_default(),
        ],
        &dir,
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(
        text.starts_with("imported the ICD-10-CM Alphabetic Index 2026: 5 terms with a code (5 of them codes of the loaded ICD-10-CM), 3 see/see-also references"),
        "{text}"
    );
    assert!(
        dir.join("terminology")
            .join(icd10cm_index::FILE_NAME)
            .is_file()
    );
    // A term path is a document of its code; a "see" reference is a synonym.
    // "M70.4-" (complete the code): its billable codes carry the term.
    let housemaid = searched("housemaid knee right", &dir);
    assert_eq!(
        housemaid.first().map(String::as_str),
        Some("M70.41"),
        "{housemaid:?}"
    );
    let tennis = searched("tennis elbow", &dir);
    assert!(tennis.iter().any(|c| c.starts_with("M77.1")), "{tennis:?}");
    let _ = std::fs::remove_dir_all(&dir);
}
