//! Terminology: importers (round trip on small fixtures), the shipped ICD-10-CM/PCS assets
//! (counts), lookups, search (typos, abbreviations, code prefixes, ranking), coding edits (every
//! kind) and the `ehr-sim codes` CLI. CPT fixtures are obviously fake codes ("ZZ001"); no CPT
//! content is ever used here.

use std::path::{Path, PathBuf};
use std::process::Output;

use ehr_sim::terminology::codeset::{CodeSet, CodeSetInfo, EntryKind};
use ehr_sim::terminology::edits::CodingSetting;
use ehr_sim::terminology::edits::{self, EditKind};
use ehr_sim::terminology::import::{self, icd10cm};
use ehr_sim::terminology::search::{self, SearchOptions};
use ehr_sim::terminology::{self, CodeYearError, NoteKind, System};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/terminology")
        .join(name)
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ehr-sim-term-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    dir
}

fn ehr_sim(args: &[&str], data_dir: Option<&Path>) -> Output {
    let mut cmd = crate::ehr_sim_command();
    cmd.args(args);
    if let Some(dir) = data_dir {
        cmd.env("EHR_SIM_DATA_DIR", dir);
    }
    cmd.output()
        .unwrap_or_else(|e| panic!("cannot run ehr-sim: {e}"))
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn small_set() -> CodeSet {
    let path = fixture("tabular_small.xml");
    let xml = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
    let imported =
        icd10cm::parse(&path, &xml, CodeSetInfo::default()).unwrap_or_else(|e| panic!("{e}"));
    imported.code_set().unwrap_or_else(|e| panic!("{e}"))
}

fn codes_of(hits: &[search::Hit]) -> Vec<&str> {
    hits.iter().map(|h| h.code.as_str()).collect()
}

// ---- importer round trip -------------------------------------------------------------------

#[test]
fn xml_fixture_round_trips_every_kind_of_note() {
    let set = small_set();
    assert_eq!(set.info.year, 2099);
    assert_eq!(set.info.label, "ICD-10-CM FY2099");
    let chapters: Vec<&str> = set
        .entries
        .iter()
        .filter(|e| e.kind == EntryKind::Chapter)
        .map(|e| e.code.as_str())
        .collect();
    assert_eq!(chapters, ["4", "14", "19"]);
    let block = set.lookup("E08-E13").unwrap_or_else(|| panic!("block"));
    assert_eq!(block.description, "Diabetes mellitus (E08-E13)");

    let kinds = |code: &str| -> Vec<NoteKind> {
        let e = set.lookup(code).unwrap_or_else(|| panic!("{code}"));
        e.notes.iter().map(|n| n.kind).collect()
    };
    assert_eq!(
        kinds("E11"),
        [
            NoteKind::Includes,
            NoteKind::UseAdditionalCode,
            NoteKind::Excludes1,
            NoteKind::Excludes2
        ]
    );
    assert_eq!(kinds("E11.21"), [NoteKind::InclusionTerm]);
    assert_eq!(kinds("N18"), [NoteKind::CodeFirst, NoteKind::CodeAlso]);
    assert_eq!(kinds("S52"), [NoteKind::SeventhNote]);
    let chapter4 = set
        .entries
        .iter()
        .find(|e| e.code == "4")
        .unwrap_or_else(|| panic!("ch 4"));
    assert_eq!(
        chapter4.notes.iter().map(|n| n.kind).collect::<Vec<_>>(),
        [NoteKind::Notes, NoteKind::Excludes1]
    );
    // Entity decoded, lines kept in order.
    let e11 = set.lookup("e11").unwrap_or_else(|| panic!("E11"));
    assert_eq!(
        e11.notes[3].lines,
        ["gestational diabetes & pregnancy (O24.4-)"]
    );
    assert_eq!(
        e11.notes[1].lines,
        ["code to identify control using:", "insulin (Z79.4)"]
    );

    // Inherited notes: own first, then ancestors up to the chapter (no inherited inclusion terms).
    let e1122 = set.lookup("E1122").unwrap_or_else(|| panic!("E11.22"));
    let applied: Vec<(String, NoteKind)> = set
        .notes_in_effect(e1122.index)
        .iter()
        .map(|n| (n.from.code.clone(), n.note.kind))
        .collect();
    assert_eq!(
        applied,
        [
            ("E11.22".to_string(), NoteKind::UseAdditionalCode),
            ("E11".to_string(), NoteKind::Includes),
            ("E11".to_string(), NoteKind::UseAdditionalCode),
            ("E11".to_string(), NoteKind::Excludes1),
            ("E11".to_string(), NoteKind::Excludes2),
            ("4".to_string(), NoteKind::Notes),
            ("4".to_string(), NoteKind::Excludes1),
        ]
    );

    // Billable flags and 7th-character expansion with placeholder X.
    assert!(!set.lookup("E11.2").is_some_and(|e| e.billable));
    assert!(set.lookup("E11.22").is_some_and(|e| e.billable));
    assert!(!set.lookup("S52.501").is_some_and(|e| e.billable));
    let expanded: Vec<&str> = set
        .entries
        .iter()
        .filter(|e| e.kind == EntryKind::Expanded)
        .map(|e| e.code.as_str())
        .collect();
    assert_eq!(
        expanded,
        [
            "S52.501A", "S52.501B", "S52.501D", "S52.501S", "T78.3XXA", "T78.3XXD", "T78.3XXS"
        ]
    );
    let t = set.lookup("t783xxa").unwrap_or_else(|| panic!("T78.3XXA"));
    assert_eq!(t.description, "Angioneurotic edema, initial encounter");
    assert!(t.billable);
    let (from, table) = set
        .seventh_table(t.index)
        .unwrap_or_else(|| panic!("table"));
    assert_eq!(from.code, "T78");
    assert_eq!(table.len(), 3);
    // Counts: 3 chapters, 4 blocks, 18 tabular codes + 7 expansions.
    assert_eq!(set.entries.len(), 3 + 4 + 18 + 7);
    assert_eq!(set.code_counts(), (25, 14));

    // The asset text is stable: writing the imported tree twice gives the same bytes.
    let path = fixture("tabular_small.xml");
    let xml = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
    let a = icd10cm::parse(&path, &xml, CodeSetInfo::default()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(a.asset_text(), a.clone().asset_text());
    assert!(
        a.asset_text()
            .contains("N\tcode_also\tkidney transplant status, if applicable (Z94.0)\n")
    );
}

#[test]
fn malformed_xml_is_reported_with_its_line() {
    let err = icd10cm::parse(
        Path::new("bad.xml"),
        "<ICD10CM.tabular>\n<chapter>\n</diag>\n",
        CodeSetInfo::default(),
    )
    .err()
    .map(|e| e.to_string())
    .unwrap_or_default();
    assert!(
        err.starts_with("bad.xml line 3: not well-formed XML"),
        "{err}"
    );
}

#[test]
fn cli_imports_the_xml_fixture() {
    let dir = temp_dir("xml");
    let out = dir.join("cm.ehrt.z");
    let file = fixture("tabular_small.xml");
    let result = ehr_sim(
        &[
            "codes",
            "import",
            "icd10cm",
            &file.to_string_lossy(),
            "--out",
            &out.to_string_lossy(),
        ],
        Some(&dir),
    );
    assert!(
        result.status.success(),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    let text = stdout(&result);
    assert!(
        text.starts_with("imported ICD-10-CM FY2099: 32 items, 25 codes, 14 billable, year 2099\n"),
        "{text}"
    );
    let bytes = std::fs::read(&out).unwrap_or_else(|e| panic!("{e}"));
    let set = terminology::asset::load("cm", &bytes).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(set.code_counts(), (25, 14));
}

// ---- HCPCS and CPT ---------------------------------------------------------------------------

#[test]
fn hcpcs_fixed_width_file_imports() {
    let path = fixture("hcpcs_sample.txt");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
    let info = CodeSetInfo {
        year: 2026,
        ..CodeSetInfo::default()
    };
    let set = import::hcpcs::parse(&path, &text, info)
        .and_then(|i| i.code_set())
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(set.info.label, "HCPCS Level II 2026");
    let crutches = set.lookup("e0114").unwrap_or_else(|| panic!("E0114"));
    assert_eq!(
        crutches.description,
        "CRUTCHES UNDERARM, OTHER THAN WOOD, ADJUSTABLE OR FIXED, PAIR, WITH PADS, TIPS AND HANDGRIPS"
    );
    assert_eq!(crutches.notes[0].lines, ["CRUTCH UNDERARM PAIR NO WOOD"]);
    assert!(
        set.lookup("LT")
            .is_some_and(|e| e.description.starts_with("LEFT SIDE"))
    );
    assert_eq!(set.code_counts(), (4, 4));

    let bad = "J1100000104INJECTION\n";
    let err = import::hcpcs::parse(Path::new("h.txt"), bad, CodeSetInfo::default())
        .err()
        .map(|e| e.to_string());
    assert_eq!(
        err.as_deref(),
        Some(
            "h.txt line 1: continuation record (id 4) for J1100 does not follow the first line of J1100"
        )
    );
}

#[test]
fn hcpcs_and_cpt_imports_go_to_the_user_data_directory() {
    let dir = temp_dir("user");
    let hcpcs = fixture("hcpcs_sample.txt");
    let r = ehr_sim(
        &[
            "codes",
            "import",
            "hcpcs",
            &hcpcs.to_string_lossy(),
            "--year",
            "2026",
        ],
        Some(&dir),
    );
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    assert!(dir.join("terminology/hcpcs.ehrt.z").is_file());
    let show = ehr_sim(&["codes", "show", "J1100", "--system", "hcpcs"], Some(&dir));
    assert!(
        stdout(&show).starts_with("J1100  INJECTION, DEXAMETHASONE SODIUM PHOSPHATE, 1 MG\nBillable: yes\nCode set: HCPCS Level II 2026\n"),
        "{}",
        stdout(&show)
    );

    let cpt = fixture("cpt_fake.csv");
    let refused = ehr_sim(
        &[
            "codes",
            "import",
            "cpt",
            &cpt.to_string_lossy(),
            "--year",
            "2026",
            "--out",
            "x.z",
        ],
        Some(&dir),
    );
    assert!(!refused.status.success());
    assert!(
        String::from_utf8_lossy(&refused.stderr)
            .contains("CPT is stored only in your user data directory")
    );
    let r = ehr_sim(
        &[
            "codes",
            "import",
            "cpt",
            &cpt.to_string_lossy(),
            "--year",
            "2026",
        ],
        Some(&dir),
    );
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    assert!(dir.join("terminology/cpt.ehrt.z").is_file());
    let hits = ehr_sim(
        &[
            "codes",
            "search",
            "fake",
            "procedure",
            "two",
            "--system",
            "cpt",
            "--json",
        ],
        Some(&dir),
    );
    let json: serde_json::Value =
        serde_json::from_slice(&hits.stdout).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(json[0]["code"], "ZZ002");

    let empty = temp_dir("empty");
    let missing = ehr_sim(&["codes", "show", "ZZ001", "--system", "cpt"], Some(&empty));
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no CPT code set is imported"));
}

#[test]
fn cpt_csv_errors_name_the_line() {
    let err = import::cpt::parse(
        Path::new("c.csv"),
        "code,descriptor\nZZ001,one\nZZ001,again\n",
        CodeSetInfo::default(),
    )
    .err()
    .map(|e| e.to_string());
    assert_eq!(
        err.as_deref(),
        Some("c.csv line 3: code ZZ001 appears twice")
    );
}

// ---- shipped assets --------------------------------------------------------------------------

#[test]
fn shipped_icd10cm_counts() {
    let set = terminology::code_set(System::Icd10Cm)
        .unwrap_or_else(|| panic!("{:?}", terminology::load_error(System::Icd10Cm)));
    assert_eq!(set.info.year, 2026);
    assert_eq!(set.info.label, "ICD-10-CM FY2026 (April 1, 2026 update)");
    // 22 chapters + 297 blocks + 98,186 codes = 98,505 items, the April 1, 2026 code list.
    let (codes, billable) = set.code_counts();
    assert_eq!(
        (set.entries.len(), codes, billable),
        (98_505, 98_186, 74_719)
    );
    assert!(billable >= 74_000);
    assert_eq!(terminology::code_set_year(System::Icd10Cm), Some(2026));
    // S06 with 6th character 7/8 takes 7th character A only.
    assert!(terminology::lookup(System::Icd10Cm, "S06.1X7A").is_some());
    assert!(terminology::lookup(System::Icd10Cm, "S06.1X7D").is_none());
}

#[test]
fn shipped_icd10pcs_counts() {
    let set = terminology::code_set(System::Icd10Pcs)
        .unwrap_or_else(|| panic!("{:?}", terminology::load_error(System::Icd10Pcs)));
    assert_eq!(set.info.year, 2024);
    assert_eq!(set.code_counts(), (78_638, 78_638));
    let e = terminology::lookup(System::Icd10Pcs, "0016070").unwrap_or_else(|| panic!("0016070"));
    assert_eq!(
        e.description,
        "Bypass Cerebral Ventricle to Nasopharynx with Autologous Tissue Substitute, Open Approach"
    );
}

#[test]
fn lookup_accepts_any_form() {
    for form in ["E11.22", "e11.22", "E1122", " e1122 "] {
        let e = terminology::lookup(System::Icd10Cm, form).unwrap_or_else(|| panic!("{form}"));
        assert_eq!(e.code, "E11.22");
        assert!(e.billable);
    }
    let e = terminology::lookup(System::Icd10Cm, "E11.22").unwrap_or_else(|| panic!("E11.22"));
    let inherited = e.notes_with_inherited();
    assert!(
        inherited
            .iter()
            .any(|n| n.from.code == "E11" && n.note.kind == NoteKind::Excludes1)
    );
    assert!(terminology::lookup(System::Icd10Cm, "E11.99").is_none());
}

#[test]
fn scenario_year_check() {
    assert!(terminology::check_code_in_year(System::Icd10Cm, "E11.22", 2026).is_ok());
    let err = terminology::check_code_in_year(System::Icd10Cm, "E11.22", 2025).err();
    assert_eq!(
        err.as_ref().map(ToString::to_string).as_deref(),
        Some(
            "ICD-10-CM code-set year 2025 is not available (this build has 2026); set the scenario's code-set year to 2026"
        )
    );
    assert_eq!(
        terminology::check_code_in_year(System::Icd10Cm, "N18.3", 2026).err(),
        Some(CodeYearError::NotBillable {
            code: "N18.3".to_string(),
            choices: "N18.30, N18.31, N18.32".to_string()
        })
    );
    assert!(matches!(
        terminology::check_code_in_year(System::Icd10Cm, "Q99.99", 2026),
        Err(CodeYearError::NotFound { .. })
    ));
}

// ---- search ----------------------------------------------------------------------------------

fn cm(query: &str) -> Vec<search::Hit> {
    search::search(
        query,
        &SearchOptions {
            system: System::Icd10Cm,
            limit: 10,
        },
    )
}

#[test]
fn search_tolerates_typos() {
    assert_eq!(
        cm("diabetis type 2 without complications")
            .first()
            .map(|h| h.code.as_str()),
        Some("E11.9")
    );
    assert!(codes_of(&cm("pnuemonia")).contains(&"J18.9"));
    assert!(codes_of(&cm("atrial fibrilation")).contains(&"I48.91"));
    assert!(codes_of(&cm("hypertenshun")).contains(&"I10"));
}

#[test]
fn search_expands_abbreviations() {
    assert_eq!(codes_of(&cm("t2dm with ckd")).first(), Some(&"E11.22"));
    assert_eq!(codes_of(&cm("afib")).first(), Some(&"I48.91"));
    assert_eq!(codes_of(&cm("chf")).first(), Some(&"I50.9"));
    assert_eq!(codes_of(&cm("uti")).first(), Some(&"N39.0"));
    assert!(codes_of(&cm("copd exacerbation")).contains(&"J44.1"));
    assert!(codes_of(&cm("heart attack")).contains(&"I21.9"));
    assert!(codes_of(&cm("htn ckd")).contains(&"I12.9"));
    assert!(codes_of(&cm("gerd")).contains(&"K21.9"));
}

#[test]
fn search_by_code_prefix_with_or_without_dot() {
    assert_eq!(
        codes_of(&cm("E11.2")),
        ["E11.2", "E11.21", "E11.22", "E11.29"]
    );
    assert_eq!(
        codes_of(&cm("e112")),
        ["E11.2", "E11.21", "E11.22", "E11.29"]
    );
    assert_eq!(codes_of(&cm("E1122")).first(), Some(&"E11.22"));
    let pcs = search::search(
        "0016",
        &SearchOptions {
            system: System::Icd10Pcs,
            limit: 3,
        },
    );
    assert_eq!(codes_of(&pcs), ["0016070", "0016071", "0016072"]);
}

#[test]
fn search_words_in_any_order_prefixes_and_inclusion_terms() {
    assert_eq!(
        codes_of(&cm("complications without diabetes 2 type")).first(),
        Some(&"E11.9")
    );
    assert!(codes_of(&cm("chron kidn dis stage 3b")).contains(&"N18.32"));
    let kw = cm("kimmelstiel wilson type 2");
    assert_eq!(kw.first().map(|h| h.code.as_str()), Some("E11.21"));
    assert_eq!(
        kw.first().and_then(|h| h.matched_term.as_deref()),
        Some("Type 2 diabetes mellitus with Kimmelstiel-Wilson disease")
    );
}

#[test]
fn search_ranks_billable_first_and_is_deterministic() {
    let hits = cm("gastro esophageal reflux");
    let first_header = hits.iter().position(|h| !h.billable).unwrap_or(hits.len());
    assert!(
        hits.iter().skip(first_header).all(|h| !h.billable),
        "{hits:?}"
    );
    assert_eq!(hits.first().map(|h| h.code.as_str()), Some("K21.9"));
    assert_eq!(cm("fracture right radius"), cm("fracture right radius"));
    assert!(cm("").is_empty());
    assert!(cm("zzzzqqqq").is_empty());
}

// ---- edits -----------------------------------------------------------------------------------

fn kinds(codes: &[&str]) -> Vec<(EditKind, Vec<String>)> {
    edits::check(codes, CodingSetting::Outpatient)
        .edits
        .into_iter()
        .map(|e| (e.kind, e.codes))
        .collect()
}

fn v(codes: &[&str]) -> Vec<String> {
    codes.iter().map(ToString::to_string).collect()
}

#[test]
fn edit_not_found() {
    assert_eq!(kinds(&["Q99.99"]), [(EditKind::NotFound, v(&["Q99.99"]))]);
}

#[test]
fn edit_header_lists_children() {
    let report = edits::check(&["N18.3"], CodingSetting::Outpatient);
    assert_eq!(report.edits.len(), 1);
    assert_eq!(report.edits[0].kind, EditKind::Header);
    assert_eq!(
        report.edits[0].message,
        "N18.3 (Chronic kidney disease, stage 3 (moderate)) is a header, not a billable code; choose the code that matches the documentation: N18.30 Chronic kidney disease, stage 3 unspecified; N18.31 Chronic kidney disease, stage 3a; N18.32 Chronic kidney disease, stage 3b"
    );
    assert!(report.codes[0].valid && !report.codes[0].billable);
}

#[test]
fn edit_seventh_character_and_placeholder() {
    assert_eq!(
        kinds(&["S52.501"]),
        [(EditKind::SeventhCharacter, v(&["S52.501"]))]
    );
    let report = edits::check(&["T78.3A"], CodingSetting::Outpatient);
    assert_eq!(report.edits[0].kind, EditKind::SeventhCharacter);
    assert!(
        report.edits[0]
            .message
            .contains("write T78.3XXA (Angioneurotic edema, initial encounter)")
    );
    assert_eq!(
        kinds(&["T78.3"]),
        [(EditKind::SeventhCharacter, v(&["T78.3"]))]
    );
    assert!(kinds(&["S52.501A", "T78.3XXA"]).is_empty());
}

#[test]
fn edit_excludes1_pair() {
    let report = edits::check(&["E11.9", "E10.9"], CodingSetting::Inpatient);
    assert_eq!(report.edits.len(), 1);
    assert_eq!(report.edits[0].kind, EditKind::Excludes1);
    assert_eq!(report.edits[0].codes, v(&["E11.9", "E10.9"]));
    assert_eq!(
        report.edits[0].rule,
        "ICD-10-CM Official Guidelines I.A.12.a (Excludes1)"
    );
    assert_eq!(
        kinds(&["R73.9", "E11.9"]).first().map(|k| k.0),
        Some(EditKind::Excludes1)
    );
    // Excludes2 pairs may be reported together.
    assert!(kinds(&["Z79.4", "Z79.84"]).is_empty());
}

#[test]
fn edit_code_first_order() {
    assert_eq!(
        kinds(&["N18.32", "E11.22"]),
        [(EditKind::CodeFirst, v(&["N18.32", "E11.22"]))]
    );
    assert!(kinds(&["E11.22", "N18.32"]).is_empty());
    assert_eq!(
        kinds(&["F02.80"]).first().map(|k| k.0),
        Some(EditKind::CodeFirst)
    );
    assert!(kinds(&["G30.9", "F02.80"]).is_empty());
    // Never first-listed: severe sepsis, external causes, underdosing.
    assert_eq!(kinds(&["R65.20"]), [(EditKind::CodeFirst, v(&["R65.20"]))]);
    assert!(kinds(&["A41.9", "R65.20"]).is_empty());
    assert_eq!(
        kinds(&["W01.0XXA", "S52.501A"]),
        [(EditKind::CodeFirst, v(&["W01.0XXA"]))]
    );
    let report = edits::check(&["T38.3X6A", "E11.65"], CodingSetting::Outpatient);
    assert_eq!(
        report.edits[0].rule,
        "ICD-10-CM Official Guidelines I.C.19.e.5.c (underdosing codes are never first-listed)"
    );
    assert!(kinds(&["E11.65", "T38.3X6A", "Z91.120"]).is_empty());
}

#[test]
fn edit_use_additional_from_the_reviewed_table() {
    assert_eq!(
        kinds(&["E11.22"]),
        [(EditKind::UseAdditional, v(&["E11.22"]))]
    );
    assert_eq!(
        kinds(&["I12.9"]),
        [(EditKind::UseAdditional, v(&["I12.9"]))]
    );
    assert!(kinds(&["I12.9", "N18.30"]).is_empty());
    assert_eq!(
        kinds(&["I11.0"]),
        [(EditKind::UseAdditional, v(&["I11.0"]))]
    );
    assert!(kinds(&["I11.0", "I50.9"]).is_empty());
    // Optional notes are not flagged: E11.9 alone (no Z79 code) is clean.
    assert!(kinds(&["E11.9"]).is_empty());
    // Two codes asking for the same missing stage code name the same omission (graded once).
    let report = edits::check(&["E11.22", "I12.9"], CodingSetting::Outpatient);
    let missing: Vec<Option<&str>> = report.edits.iter().map(|e| e.missing).collect();
    assert_eq!(
        missing,
        [Some("a code for the stage of chronic kidney disease (N18.-)"); 2]
    );
}

#[test]
fn edit_duplicate() {
    assert_eq!(
        kinds(&["J18.9", "j189"]),
        [(EditKind::Duplicate, v(&["J18.9"]))]
    );
}

#[test]
fn edits_on_a_fixture_set() {
    let set = small_set();
    let report = edits::check_in(
        &set,
        &["N18.32", "E11.22", "E10.9"],
        CodingSetting::Outpatient,
    );
    let got: Vec<EditKind> = report.edits.iter().map(|e| e.kind).collect();
    assert_eq!(got, [EditKind::CodeFirst, EditKind::Excludes1]);
}

// ---- CLI -------------------------------------------------------------------------------------

#[test]
fn cli_show_e11_22() {
    let out = ehr_sim(&["codes", "show", "E11.22"], None);
    assert!(out.status.success());
    let text = stdout(&out);
    assert!(text.starts_with("E11.22  Type 2 diabetes mellitus with diabetic chronic kidney disease\nBillable: yes\nCode set: ICD-10-CM FY2026 (April 1, 2026 update)\nHierarchy:\n  Chapter 4  Endocrine, nutritional and metabolic diseases (E00-E89)\n    E08-E13  Diabetes mellitus (E08-E13)\n      E11  Type 2 diabetes mellitus\n        E11.2  Type 2 diabetes mellitus with kidney complications\n          E11.22  Type 2 diabetes mellitus with diabetic chronic kidney disease\n"), "{text}");
    assert!(text.contains("  Use additional code:\n    - code to identify stage of chronic kidney disease (N18.1-N18.6)\n"));
    assert!(text.contains("  Excludes1 (from E11):\n"));
    assert!(text.contains("    - type 1 diabetes mellitus (E10.-)\n"));
    assert!(text.contains("    - insulin (Z79.4)\n"));

    let json = ehr_sim(&["codes", "show", "s52501a", "--json"], None);
    let value: serde_json::Value =
        serde_json::from_slice(&json.stdout).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(value["code"], "S52.501A");
    assert_eq!(value["billable"], true);
    assert_eq!(value["seventh_characters"]["from"], "S52");
    assert_eq!(value["hierarchy"][0]["kind"], "chapter");
}

#[test]
fn cli_check_reports_the_done_when_cases() {
    let header = ehr_sim(&["codes", "check", "N18.3"], None);
    assert_eq!(header.status.code(), Some(1));
    let text = stdout(&header);
    assert!(text.contains("- header [N18.3]:"), "{text}");
    assert!(text.contains("N18.30 Chronic kidney disease, stage 3 unspecified; N18.31 Chronic kidney disease, stage 3a; N18.32 Chronic kidney disease, stage 3b"));

    let order = ehr_sim(&["codes", "check", "N18.32", "E11.22", "--json"], None);
    let value: serde_json::Value =
        serde_json::from_slice(&order.stdout).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        value["codes"][0],
        serde_json::json!({"code": "N18.32", "valid": true, "billable": true, "description": "Chronic kidney disease, stage 3b"})
    );
    assert_eq!(value["edits"].as_array().map(Vec::len), Some(1));
    assert_eq!(value["edits"][0]["kind"], "code_first");
    assert_eq!(
        value["edits"][0]["codes"],
        serde_json::json!(["N18.32", "E11.22"])
    );
    assert_eq!(
        value["edits"][0]["rule"],
        "ICD-10-CM Official Guidelines I.A.13 (Etiology/manifestation convention: code first)"
    );

    let seventh = ehr_sim(&["codes", "check", "S52.501"], None);
    assert!(stdout(&seventh).contains("- seventh_character [S52.501]: S52.501 (Unspecified fracture of the lower end of right radius) needs a 7th character, e.g. S52.501A;"));

    let clean = ehr_sim(
        &[
            "codes",
            "check",
            "E11.22",
            "N18.32",
            "--setting",
            "inpatient",
        ],
        None,
    );
    assert_eq!(clean.status.code(), Some(0));
    assert!(stdout(&clean).ends_with("no edits\n"));
}

#[test]
fn cli_search_done_when_queries() {
    for (query, code) in [
        ("diabetis type 2 without complications", "E11.9"),
        ("t2dm with ckd", "E11.22"),
        ("afib", "I48.91"),
    ] {
        let out = ehr_sim(&["codes", "search", query, "--limit", "10", "--json"], None);
        let value: serde_json::Value =
            serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}"));
        let codes: Vec<&str> = value
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|h| h["code"].as_str())
            .collect();
        assert!(codes.contains(&code), "{query}: {codes:?}");
    }
}

// ---- robustness ------------------------------------------------------------------------------

mod fuzz {
    use ehr_sim::terminology::asset;
    use ehr_sim::terminology::edits;
    use ehr_sim::terminology::edits::CodingSetting;
    use ehr_sim::terminology::edits::refs::code_refs;
    use ehr_sim::terminology::import::csv_records;
    use ehr_sim::terminology::search::{self, SearchOptions};
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn asset_parser_never_panics(text in "(EHRSIM-TERMINOLOGY\t1\ticd10cm\n)?([CBDN7#][\tA-Z0-9a-z .-]{0,20}\n){0,20}") {
            let _ = asset::parse_text("fuzz", &text);
        }

        #[test]
        fn note_reference_reader_never_panics(line in "\\PC{0,60}") {
            let _ = code_refs(&line);
            let _ = csv_records(std::path::Path::new("fuzz.csv"), &line);
        }

        #[test]
        fn search_and_check_never_panic(query in "\\PC{0,30}") {
            let _ = search::search(&query, &SearchOptions::default());
            let _ = edits::check(&[query.as_str(), "E11.22"], CodingSetting::Outpatient);
        }
    }
}

#[test]
fn a_code_named_like_its_one_category_block_is_found_as_the_billable_code() {
    // B20, Z66, F99, R99 and P84 are each the only category of a block of the same name; a
    // lookup must find the reportable code, or `codes check` calls them headers.
    for code in ["B20", "Z66", "F99", "R99", "P84"] {
        let e = terminology::lookup(System::Icd10Cm, code).expect("found");
        assert_eq!(e.kind, EntryKind::Code, "{code}");
        assert!(e.billable, "{code} is reportable");
        assert_eq!(e.code, code);
    }
    // A block range and a category with children are still what they were.
    let block = terminology::lookup(System::Icd10Cm, "E08-E13").expect("block");
    assert_eq!(block.kind, EntryKind::Block);
    let header = terminology::lookup(System::Icd10Cm, "E11").expect("category");
    assert!(!header.billable);
    let report = edits::check(&["R99"], CodingSetting::Outpatient);
    assert!(
        !report.edits.iter().any(|e| e.kind == EditKind::Header),
        "{:?}",
        report.edits
    );
}

#[test]
fn o80_with_another_chapter_15_code_is_an_edit() {
    // A second-degree laceration is a complication: the delivery is not "uncomplicated".
    let report = edits::check(
        &["O80", "O70.1", "Z37.0", "Z3A.39"],
        CodingSetting::Inpatient,
    );
    assert_eq!(report.edits.len(), 1, "{:?}", report.edits);
    let e = &report.edits[0];
    assert_eq!(e.kind, EditKind::NotTogether);
    assert_eq!(e.codes, ["O80", "O70.1"]);
    assert!(
        e.rule
            .starts_with("ICD-10-CM Official Guidelines I.C.15.b.4"),
        "{}",
        e.rule
    );
    // With only the outcome and the weeks (chapter 21) O80 stands alone.
    let report = edits::check(&["O80", "Z37.0", "Z3A.39"], CodingSetting::Inpatient);
    assert!(report.is_clean(), "{:?}", report.edits);
}

/// A huge query that matches nothing is quoted back in 200 characters with its length, not
/// echoed whole.
#[test]
fn a_huge_query_that_matches_nothing_is_quoted_short() {
    let query = "q".repeat(100_000);
    let out = ehr_sim(&["codes", "search", &query], None);
    let text = String::from_utf8_lossy(&out.stdout);
    let first = text.lines().next().unwrap_or_default();
    assert_eq!(
        first,
        format!(
            "no codes match \"{}… (100000 characters)\"",
            "q".repeat(200)
        )
    );
}
