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
