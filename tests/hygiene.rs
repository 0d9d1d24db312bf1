//! Input hygiene: a byte-order mark is tolerated in every file EHR Sim reads, names refuse
//! control characters, gradebook CSV cells cannot run as spreadsheet formulas, and an ESI level
//! outside 1-5 is refused with the field and the range.

use std::path::Path;

use ehr_sim::case::generate;
use ehr_sim::library::ContentRoot;
use ehr_sim::store::{ExportFormat, Role, Store, StoreError};

fn now() -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339("2026-03-01T09:00:00Z")
        .unwrap()
        .to_utc()
}

const BOM: &str = "\u{feff}";

#[test]
fn a_byte_order_mark_is_tolerated_in_scenarios_rubrics_and_answers() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let scenario = root.join("scenarios/charting/office_htn_diabetes_followup.ron");
    let text = std::fs::read_to_string(&scenario).unwrap();
    let parsed = ehr_sim::scenario::parse(&scenario, &format!("{BOM}{text}"));
    assert!(parsed.is_ok(), "{:?}", parsed.err());
    let rubric = std::fs::read_to_string(root.join("grading/charting/office_visit.ron")).unwrap();
    let parsed = ehr_sim::grading::parse_rubric(&format!("{BOM}{rubric}"), "office_visit.ron");
    assert!(parsed.is_ok(), "{:?}", parsed.err());
    // An answer file, RON and JSON.
    let loaded = ContentRoot::at(root)
        .find("office_htn_diabetes_followup")
        .unwrap();
    let case = generate(&loaded, 1, 0);
    let ron = case.answer_to_ron(&case.key()).unwrap();
    let read = case.parse_submission(Path::new("a.ron"), &format!("{BOM}{ron}"));
    assert_eq!(read.unwrap(), case.key());
    let json = case.key().to_string();
    let read = case.parse_submission(Path::new("a.json"), &format!("{BOM}{json}"));
    assert_eq!(read.unwrap(), case.key());
}

#[test]
fn names_refuse_control_characters_with_the_character_named() {
    let mut store = Store::open_in_memory().unwrap();
    let ines = store
        .create_person(
            None,
            "Ines",
            Role::Instructor,
            Some("correct horse"),
            &now(),
        )
        .unwrap();
    for (name, code) in [
        ("Pat\tSmith", "U+0009"),
        ("Pat\nIns Admin", "U+000A"),
        ("\u{1b}[31mIns\u{1b}[0m", "U+001B"),
        ("Pat\u{202e}nimdA", "U+202E"),
    ] {
        match store.create_person(Some(&ines), name, Role::Student, None, &now()) {
            Err(StoreError::Invalid { field, message }) => {
                assert_eq!(field, "name");
                assert!(message.contains(code), "{message}");
            }
            other => panic!("{name:?} was accepted: {other:?}"),
        }
    }
    assert!(
        store
            .create_person(
                Some(&ines),
                "Zoë O'Brien-Ångström",
                Role::Student,
                None,
                &now()
            )
            .is_ok()
    );
}

#[test]
fn gradebook_csv_cells_cannot_run_as_formulas() {
    let mut store = Store::open_in_memory().unwrap();
    let ines = store
        .create_person(
            None,
            "Ines",
            Role::Instructor,
            Some("correct horse"),
            &now(),
        )
        .unwrap();
    for name in [
        "=HYPERLINK(\"http://evil\",\"x\")",
        "+1+1",
        "@SUM(A1)",
        "-2",
        "Plain Name",
    ] {
        store
            .create_person(Some(&ines), name, Role::Student, None, &now())
            .unwrap();
    }
    let csv = store
        .export_gradebook(&ines, None, ExportFormat::Csv, "")
        .unwrap();
    assert!(
        csv.contains("\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\""),
        "{csv}"
    );
    for cell in ["'+1+1,", "'@SUM(A1),", "'-2,", "\r\nPlain Name,"] {
        assert!(csv.contains(cell), "{cell} in {csv}");
    }
    for line in csv.lines().skip(1) {
        assert!(!line.starts_with(['=', '+', '-', '@']), "{line}");
    }
}

#[test]
fn an_esi_level_outside_1_to_5_is_refused_with_the_range() {
    let root = ContentRoot::at(env!("CARGO_MANIFEST_DIR"));
    let loaded = root.find("mixed_shift").unwrap();
    let case = generate(&loaded, 1, 0);
    for bad in ["0", "6", "[0, 2]"] {
        let text = format!("(arrivals: [(id: \"a1\", esi_level: {bad})])");
        let err = case
            .parse_submission(Path::new("answer.ron"), &text)
            .expect_err("refused");
        let shown = err.to_string();
        assert!(
            shown.contains("does not exist: give one level, 1 (most urgent) to 5"),
            "{shown}"
        );
        assert!(shown.contains("answer.ron:1:"), "{shown}");
    }
    let ok = case.parse_submission(
        Path::new("answer.ron"),
        "(arrivals: [(id: \"a1\", esi_level: 2)])",
    );
    assert!(ok.is_ok(), "{:?}", ok.err());
}

#[test]
fn hospice_durations_are_bounded_by_the_validator() {
    let root = ContentRoot::at(env!("CARGO_MANIFEST_DIR"));
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/hospice/symptom_crisis_chc.ron");
    let text = std::fs::read_to_string(&path).unwrap();
    let huge = text.replacen("days: 3)", "days: 2147483648)", 1);
    assert_ne!(huge, text, "the crisis is in the file");
    let (_, found) = ehr_sim::service::library::check_text(&path, &huge, &root);
    let d = found
        .iter()
        .find(|d| d.item.as_deref() == Some("task.timeline.crisis.days"))
        .unwrap_or_else(|| panic!("{found:?}"));
    assert!(d.is_error());
    assert!(
        d.message.contains("a crisis lasts 1 to 60 days"),
        "{}",
        d.message
    );
    let long = text.replacen("(32, 40)", "(32, 4000000)", 1);
    let (_, found) = ehr_sim::service::library::check_text(&path, &long, &root);
    assert!(
        found.iter().any(|d| d.is_error()
            && d.item.as_deref() == Some("task.timeline.stays[0].start_days")
            && d.message.contains("within 0–3650 days")),
        "{found:?}"
    );
    let (_, clean) = ehr_sim::service::library::check_text(&path, &text, &root);
    assert!(clean.iter().all(|d| !d.is_error()), "{clean:?}");
}

#[test]
fn answers_and_drafts_have_size_limits_with_clear_errors() {
    let root = ContentRoot::at(env!("CARGO_MANIFEST_DIR"));
    let case = generate(&root.find("office_htn_diabetes_followup").unwrap(), 1, 0);
    let file = Path::new("answer.json");
    // A 50 MB file.
    let huge = format!("{{\"transcript\": \"{}\"}}", "a".repeat(50 * 1024 * 1024));
    let err = case.parse_submission(file, &huge).unwrap_err().to_string();
    assert!(err.contains("an answer file is at most 1048576"), "{err}");
    // One field of 30,000 characters.
    let mut key = case.key();
    key["soap"]["subjective"] = serde_json::json!("b".repeat(30_000));
    let err = case
        .parse_submission(file, &key.to_string())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("soap.subjective")
            && err.contains("30000 characters: one answer field holds at most 20000"),
        "{err}"
    );
    // A list of 600 medications.
    let mut key = case.key();
    let med = key["medications"][0].clone();
    key["medications"] = serde_json::Value::Array(vec![med; 600]);
    let err = case
        .parse_submission(file, &key.to_string())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("600 items: one answer list holds at most 500"),
        "{err}"
    );
    // The key itself is fine.
    assert!(case.parse_submission(file, &case.key().to_string()).is_ok());
    // A draft over the limit is refused by the store.
    let mut store = Store::open_in_memory().unwrap();
    let ines = store
        .create_person(
            None,
            "Ines",
            Role::Instructor,
            Some("correct horse"),
            &now(),
        )
        .unwrap();
    let sam = store
        .create_person(Some(&ines), "Sam", Role::Student, None, &now())
        .unwrap();
    let key = ehr_sim::store::DraftKey {
        learner_id: sam.person_id(),
        scenario_id: "office_htn_diabetes_followup".into(),
        seed: 1,
        mode: ehr_sim::store::Mode::Practice,
    };
    let big = "c".repeat(3 * 1024 * 1024);
    match store.save_draft(&sam, &key, "hash", &big, &now()) {
        Err(StoreError::Invalid { field, message }) => {
            assert_eq!(field, "draft");
            assert!(
                message.contains("a draft holds at most 2097152"),
                "{message}"
            );
        }
        other => panic!("a 3 MB draft was stored: {other:?}"),
    }
}
