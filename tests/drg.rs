//! MS-DRG v43 grouper: the worked examples of docs/domain/ms-drg.md, one test per rule family,
//! the definitions importer (fixture round trip; full re-import when the sources are given) and
//! the `drg` command line.

use std::path::Path;

use chrono::NaiveDate;
use ehr_sim::terminology::drg::import::{VersionSource, import_bytes, import_text};
use ehr_sim::terminology::drg::{
    self, Claim, DischargeStatus, GroupError, Grouping, Poa, Sex, definitions, group,
};

use crate::{ehr_sim_command, ehr_sim_stdout};

fn claim(pdx: &str, sdx: &[(&str, Poa)], pcs: &[&str], status: u8) -> Claim {
    Claim {
        pdx: pdx.to_string(),
        sdx: sdx.iter().map(|(c, p)| ((*c).to_string(), *p)).collect(),
        pcs: pcs.iter().map(|c| (*c).to_string()).collect(),
        age: Some(70),
        sex: Sex::M,
        discharge: DischargeStatus(status),
        discharge_date: NaiveDate::from_ymd_opt(2026, 4, 15),
    }
}

fn y(code: &str) -> (&str, Poa) {
    (code, Poa::Y)
}

fn drg_of(pdx: &str, sdx: &[(&str, Poa)], pcs: &[&str], status: u8) -> Grouping {
    group(&claim(pdx, sdx, pcs, status)).unwrap_or_else(|e| panic!("{pdx}: {e}"))
}

fn assert_drg(pdx: &str, sdx: &[(&str, Poa)], pcs: &[&str], status: u8, want: &str) -> Grouping {
    let g = drg_of(pdx, sdx, pcs, status);
    assert_eq!(
        g.drg, want,
        "{pdx} {sdx:?} {pcs:?} status {status}: {:#?}",
        g.path
    );
    g
}

// ---- worked examples ------------------------------------------------------------------------

/// A grouping's JSON is its head's fields then its tail's (what `drg batch` writes, the head
/// once per DRG).
#[test]
fn head_and_tail_are_the_grouping_json_split_in_two() {
    let claims = [
        claim("A41.9", &[y("R65.20"), y("N17.9")], &[], 1),
        claim("I21.09", &[y("I50.21")], &[], 20),
        claim("J18.9", &[("L89.153", Poa::N)], &[], 1),
        claim("S72.001A", &[y("E87.1")], &["0SR9019"], 1),
    ];
    let defs = drg::definitions().expect("definitions");
    for c in &claims {
        for path in [false, true] {
            let g = drg::group::decide(defs, c, path).expect("grouped");
            let whole = serde_json::to_string(&g).expect("json");
            let head = serde_json::to_string(&g.head()).expect("json");
            let tail = serde_json::to_string(&g.tail()).expect("json");
            let joined = format!("{},{}", &head[..head.len() - 1], &tail[1..]);
            assert_eq!(joined, whole, "{c:?} path {path}");
        }
    }
}

#[test]
fn simple_pneumonia_and_a_cc() {
    let g = assert_drg("J18.9", &[], &[], 1, "195");
    assert_eq!(
        (g.weight, g.gmlos, g.amlos),
        (Some(0.6285), Some(2.2), Some(2.7))
    );
    assert_eq!(g.mdc, "04");
    assert_eq!(g.kind, "MED");
    let g = assert_drg("J18.9", &[y("E87.1")], &[], 1, "194");
    assert_eq!(g.weight, Some(0.8059));
    assert_eq!(g.cc.as_deref(), Some("E87.1"));
}

#[test]
fn severe_sepsis_with_sepsis_pdx_is_excluded_but_septic_shock_counts() {
    let g = assert_drg("A41.9", &[y("R65.20"), y("N17.9")], &[], 1, "872");
    assert_eq!(g.weight, Some(1.0233));
    assert_eq!(g.excluded.len(), 1);
    assert_eq!(g.excluded[0].code, "R65.20");
    assert!(
        g.excluded[0].reason.contains("collection 0072"),
        "{:?}",
        g.excluded
    );
    let g = assert_drg("A41.9", &[y("R65.21")], &[], 1, "871");
    assert_eq!(g.weight, Some(1.9425));
    assert_eq!(g.mcc.as_deref(), Some("R65.21"));
    assert_drg("A41.9", &[y("J96.01")], &[], 1, "871");
}

#[test]
fn hip_fracture_with_replacement_and_osteoarthritis() {
    let g = assert_drg("S72.001A", &[], &["0SR9019"], 1, "522");
    assert_eq!((g.weight, g.kind.as_str()), (Some(2.1177), "SURG"));
    assert!(
        g.path
            .iter()
            .any(|s| s.step == "surgical" && s.detail.contains("0SR9019"))
    );
    let g = assert_drg("S72.001A", &[y("E43")], &["0SR9019"], 1, "521");
    assert_eq!(g.weight, Some(2.8702));
    assert_drg("M16.11", &[], &["0SR9019"], 1, "470");
}

#[test]
fn pci_with_drug_eluting_stent() {
    let g = assert_drg("I21.4", &[], &["027034Z"], 1, "322");
    assert_eq!(g.weight, Some(1.7630));
    let g = assert_drg("I21.4", &[y("I50.21")], &["027034Z"], 1, "321");
    assert_eq!(g.weight, Some(2.7208));
}

#[test]
fn heart_failure_three_way_split() {
    assert_drg("I50.23", &[], &[], 1, "293");
    assert_drg("I50.23", &[y("N17.9")], &[], 1, "292");
    let g = assert_drg("I11.0", &[y("I50.23")], &[], 1, "291");
    assert_eq!(g.weight, Some(1.2838));
}

#[test]
fn ami_alive_and_expired() {
    let g = assert_drg("I21.4", &[y("I50.21")], &[], 20, "283");
    assert_eq!(g.weight, Some(1.9808));
    let g = assert_drg("I21.4", &[], &[], 20, "285");
    assert_eq!(g.weight, Some(0.5989));
    assert_drg("I21.4", &[y("I50.21")], &[], 1, "280");
    assert_drg("I21.4", &[], &[], 1, "282");
    assert_drg("I21.4", &[y("N17.9")], &[], 20, "284");
}

#[test]
fn hac_pressure_ulcer_not_present_on_admission_is_a_non_cc() {
    let g = assert_drg("J18.9", &[("L89.153", Poa::N)], &[], 1, "195");
    assert!(g.excluded[0].reason.contains("HAC 04"), "{:?}", g.excluded);
    assert_drg("J18.9", &[("L89.153", Poa::U)], &[], 1, "195");
    let g = assert_drg("J18.9", &[("L89.153", Poa::Y)], &[], 1, "193");
    assert_eq!(g.weight, Some(1.3144));
    assert_drg("J18.9", &[("L89.153", Poa::W)], &[], 1, "193");
    // Not a HAC code: POA N does not matter for the severity.
    assert_drg("J18.9", &[("E87.1", Poa::N)], &[], 1, "194");
}

#[test]
fn cardiac_arrest_counts_only_for_a_live_discharge() {
    assert_drg("J18.9", &[y("I46.9")], &[], 1, "193");
    let g = assert_drg("J18.9", &[y("I46.9")], &[], 20, "195");
    assert!(g.excluded[0].reason.contains("Part 2"), "{:?}", g.excluded);
}

#[test]
fn ventilation_over_96_hours_and_tracheostomy() {
    let g = assert_drg("J96.01", &[], &["5A1955Z"], 1, "207");
    assert_eq!(g.weight, Some(6.4347));
    let g = assert_drg("J96.01", &[], &["5A1955Z", "0B110F4"], 1, "004");
    assert_eq!(g.weight, Some(13.8514));
    assert_eq!(g.mdc, "PRE");
    // Procedure order does not matter.
    assert_drg("J96.01", &[], &["0B110F4", "5A1955Z"], 1, "004");
}

// ---- rule families --------------------------------------------------------------------------

#[test]
fn several_ccs_never_make_an_mcc_and_the_first_mcc_is_named() {
    let g = assert_drg("J18.9", &[y("E87.1"), y("N17.9")], &[], 1, "194");
    assert_eq!((g.mcc, g.cc.as_deref()), (None, Some("E87.1")));
    let g = assert_drg("J18.9", &[y("E87.1"), y("E43")], &[], 1, "193");
    assert_eq!((g.mcc.as_deref(), g.cc), (Some("E43"), None));
}

#[test]
fn surgical_hierarchy_and_bilateral_joints() {
    // Two hip replacements (right and left): the bilateral class outranks 469/470.
    assert_drg("M16.0", &[], &["0SR9019", "0SRB019"], 1, "462");
    // One joint only: not bilateral.
    assert_drg("M16.12", &[], &["0SRB019"], 1, "470");
    // A medical case stays medical with a non-O.R. procedure that does not affect the DRG.
    assert_drg("J18.9", &[], &["5A1945Z"], 1, "195");
}

#[test]
fn a_code_named_like_its_block_is_a_code() {
    // DNR status: Z66 is a billable code in a one-category block of the same name.
    let g = assert_drg("J18.9", &[y("Z66")], &[], 1, "195");
    assert!(g.edits.is_empty(), "{:?}", g.edits);
}

#[test]
fn alcohol_use_disorder_left_ama_or_by_mcc() {
    assert_drg("F10.239", &[], &[], 7, "894");
    assert_drg("F10.239", &[], &[], 1, "897");
    assert_drg("F10.239", &[y("E43")], &[], 1, "896");
}

#[test]
fn pre_mdc_ecmo() {
    let g = assert_drg("J96.01", &[], &["5A1522F"], 1, "003");
    assert!(g.path.iter().any(|s| s.step == "pre-mdc"));
}

#[test]
fn version_follows_the_discharge_date() {
    let mut c = claim("J18.9", &[], &[], 1);
    c.discharge_date = NaiveDate::from_ymd_opt(2025, 10, 1);
    assert_eq!(group(&c).map(|g| g.version).ok().as_deref(), Some("v43.0"));
    c.discharge_date = NaiveDate::from_ymd_opt(2026, 3, 31);
    assert_eq!(group(&c).map(|g| g.version).ok().as_deref(), Some("v43.0"));
    c.discharge_date = NaiveDate::from_ymd_opt(2026, 4, 1);
    assert_eq!(group(&c).map(|g| g.version).ok().as_deref(), Some("v43.1"));
    c.discharge_date = NaiveDate::from_ymd_opt(2025, 9, 30);
    assert!(matches!(group(&c), Err(GroupError::Input(m)) if m.contains("before MS-DRG v43.0")));
}

#[test]
fn edits_and_ungroupable_claims() {
    // External cause as principal: no MDC, DRG 999 with the reason.
    let g = drg_of("W19.XXXA", &[], &[], 1);
    assert_eq!(g.drg, "999");
    assert_eq!(g.weight, None);
    assert!(
        g.path.iter().any(|s| s.detail.contains("no MDC")),
        "{:?}",
        g.path
    );
    assert_eq!(
        g.edits,
        [
            "external cause code as principal diagnosis: W19.XXXA (Medicare Code Editor: E-code as \
          principal diagnosis; ICD-10-CM Official Guidelines I.C.20: external cause codes are \
          never first-listed)"
        ]
    );
    // Manifestation code as principal: reported, grouping goes on.
    let g = drg_of("G63", &[], &[], 1);
    assert!(
        g.edits.iter().any(|e| e.contains("manifestation")),
        "{:?}",
        g.edits
    );
    // Age conflict on a maternity code.
    let g = drg_of("O80", &[], &[], 1);
    assert_eq!((g.drg.as_str(), g.weight), ("998", None));
    let mut c = claim("O21.0", &[], &[], 1);
    c.age = Some(70);
    c.sex = Sex::F;
    let g = group(&c).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        g.edits.iter().any(|e| e.contains("age conflict")),
        "{:?}",
        g.edits
    );
    // Invalid and header codes are input errors.
    for (pdx, word) in [
        ("J18", "header code"),
        ("Q99.99", "not a billable ICD-10-CM"),
        ("", "empty"),
    ] {
        match group(&claim(pdx, &[], &[], 1)) {
            Err(GroupError::Input(m)) => assert!(m.contains(word), "{pdx}: {m}"),
            other => panic!("{pdx}: {other:?}"),
        }
    }
    match group(&claim("J18.9", &[], &["0SR.9019"], 1)) {
        Err(GroupError::Input(m)) => assert!(m.contains("no dot"), "{m}"),
        other => panic!("{other:?}"),
    }
}

/// Definitions Manual MDC 14: cesarean section with sterilization (783-785) needs the
/// sterilization, without it 786-788; a vaginal delivery procedure with an outcome of delivery
/// (Z37.-) as a secondary diagnosis is 805-807, whatever the principal diagnosis of MDC 14
/// (O80 alone is 998, invalid as a discharge diagnosis); the procedures listed for 768 are its
/// exceptions, so 768 is not decided from them.
#[test]
fn deliveries_by_procedure_and_outcome_of_delivery() {
    let f = |pdx: &str, sdx: &[(&str, Poa)], pcs: &[&str]| {
        let mut c = claim(pdx, sdx, pcs, 1);
        c.sex = Sex::F;
        c.age = Some(30);
        group(&c)
    };
    let drg = |r: Result<Grouping, GroupError>| r.map(|g| g.drg).unwrap_or_else(|e| e.to_string());
    let outcome = [y("Z3A.39"), y("Z37.0")];
    assert_eq!(drg(f("O32.1XX0", &outcome, &["10D00Z1"])), "788");
    let sterile = [y("Z3A.39"), y("Z37.0"), y("Z30.2")];
    assert_eq!(drg(f("O34.211", &sterile, &["10D00Z1", "0UL70CZ"])), "785");
    assert_eq!(drg(f("O80", &outcome, &["10E0XZZ", "0W8NXZZ"])), "807");
    let g = f("O80", &outcome, &["10E0XZZ"]).unwrap();
    assert!(
        g.path.iter().any(|s| s
            .detail
            .contains("with secondary diagnosis Z37.0 → medical family 805&806&807")),
        "{:?}",
        g.path
    );
    assert_eq!(drg(f("O80", &[], &[])), "998");
    match f("O70.1", &outcome, &["10E0XZZ", "0KQM0ZZ"]) {
        Err(GroupError::Undetermined(m)) => assert!(m.contains("768"), "{m}"),
        other => panic!("{other:?}"),
    }
}

/// MDC 15: only the normal newborn (795) is decided, and only with no secondary diagnosis
/// other than those of its list.
#[test]
fn newborns_only_the_normal_newborn_is_decided() {
    let mut c = claim("Z38.00", &[], &[], 1);
    c.age = Some(0);
    assert_eq!(group(&c).unwrap().drg, "795");
    c.sdx = vec![("P55.1".to_string(), Poa::Y)];
    c.pcs = vec!["6A600ZZ".to_string()];
    match group(&c) {
        Err(GroupError::Undetermined(m)) => {
            assert!(m.contains("P55.1 is not on the normal newborn list"), "{m}");
        }
        other => panic!("{other:?}"),
    }
    c.sdx.clear();
    c.discharge = DischargeStatus(20);
    assert!(matches!(group(&c), Err(GroupError::Undetermined(_))));
}

/// HAC 06 (catheter-associated UTI) excludes N39.0 only with a catheter-associated infection
/// code not present on admission; N39.0 POA N alone still counts as a CC (Appendix I).
#[test]
fn a_urinary_infection_not_present_on_admission_alone_is_still_a_cc() {
    let mut c = claim("K35.30", &[("N39.0", Poa::N), y("J45.20")], &["0DTJ4ZZ"], 1);
    c.sex = Sex::F;
    let g = group(&c).unwrap();
    assert_eq!((g.drg.as_str(), g.cc.as_deref()), ("398", Some("N39.0")));
}

/// Definitions Manual MDC 7: cholecystectomy with a common duct exploration (411-413),
/// otherwise by an approach other than laparoscopic (414-416) or laparoscopic (417-419).
#[test]
fn cholecystectomy_by_approach_and_common_duct_exploration() {
    assert_drg("K80.00", &[], &["0FT44ZZ"], 1, "419");
    assert_drg("K80.00", &[y("N17.9")], &["0FT44ZZ"], 1, "418");
    assert_drg("K80.00", &[], &["0FT40ZZ"], 1, "416");
    assert_drg("K80.00", &[], &["0FT44ZZ", "0FC90ZZ"], 1, "413");
    assert_drg("K80.00", &[], &["0FT40ZZ", "0FT44ZZ"], 1, "416");
}

#[test]
fn unrelated_or_procedure_is_not_guessed() {
    match group(&claim("J18.9", &[], &["0DTJ4ZZ"], 1)) {
        Err(GroupError::Undetermined(m)) => assert!(m.contains("981-983"), "{m}"),
        other => panic!("{other:?}"),
    }
}

/// DRG titles are split once into base, severity clause and qualifier, and the split is what
/// `split_title` says.
#[test]
fn drg_titles_split_into_base_clause_and_qualifier() {
    let d = definitions().unwrap();
    let v = d.versions.last().unwrap();
    let parts = |drg: &str| {
        let i = v.drg(drg).unwrap();
        let (base, clause) = i.title_parts();
        let (needs, q) = i.clause_needs();
        (
            base.to_string(),
            clause.to_string(),
            needs,
            q.map(str::to_string),
        )
    };
    assert_eq!(
        parts("321"),
        (
            "Percutaneous Cardiovascular Procedures with Intraluminal Device".to_string(),
            "with MCC or 4+ Arteries/Intraluminal Devices".to_string(),
            drg::Needs::Mcc,
            Some("4+ Arteries/Intraluminal Devices".to_string())
        )
    );
    assert_eq!(
        parts("023").3.as_deref(),
        Some("Antineoplastic Implant or Epilepsy with Neurostimulator")
    );
    assert_eq!(parts("322").2, drg::Needs::Nothing);
    assert_eq!(parts("872").1, "without MCC");
    assert_eq!(
        parts("795"),
        (
            "Normal Newborn".to_string(),
            String::new(),
            drg::Needs::Nothing,
            None
        )
    );
    assert_eq!(parts("193").2, drg::Needs::Mcc);
    assert_eq!(parts("194").2, drg::Needs::Cc);
}

fn v_has_pcs(d: &drg::Definitions, code: &str) -> Option<drg::Pcs> {
    d.versions.last().unwrap().pcs(code)
}

#[test]
fn shipped_definitions_have_both_versions_and_table_5() {
    let d = definitions().unwrap_or_else(|e| panic!("{e}"));
    let ids: Vec<&str> = d.versions.iter().map(|v| v.id).collect();
    assert_eq!(ids, ["v43.0", "v43.1"]);
    assert_eq!(d.table5_rows().count(), 772);
    let row = d.table5_row("010").unwrap();
    assert_eq!(
        (row.weight_before_cap, row.weight),
        (Some(3.0699), Some(7.1757))
    );
    assert_eq!(d.table5_row("998").unwrap().weight, None);
    let r522 = d.table5_row("522").unwrap();
    assert!(r522.special_pay && r522.post_acute);
    for v in &d.versions {
        let r6520 = v.cc(v.dx("R6520").unwrap()).unwrap();
        assert_eq!(r6520.collection, Some(72));
        assert!(v.cc(v.dx("I469").unwrap()).unwrap().alive_only);
        assert!(v.excluded_by_pdx(&r6520, v.dx("A419").unwrap()));
        assert!(!v.excluded_by_pdx(&r6520, v.dx("J189").unwrap()));
        assert!(v.cc(v.dx("E785").unwrap()).is_none());
        assert!(
            v.dx("J18").is_none(),
            "a header code is not a diagnosis of the grouper"
        );
    }
    // A valid procedure that no DRG list names is known without the PCS code set; a listed one
    // is in the version's table; an invalid one is neither.
    assert!(d.other_procedure("02HV33Z") && v_has_pcs(d, "02HV33Z").is_none());
    assert!(!d.other_procedure("0SR9019") && v_has_pcs(d, "0SR9019").is_some());
    assert!(!d.other_procedure("0SR9X19") && v_has_pcs(d, "0SR9X19").is_none());
    // Every diagnosis the definitions list is a billable FY2026 ICD-10-CM code: the grouper
    // takes a listed code as valid without loading the code set.
    let v = d.versions.last().unwrap();
    for i in 0..v.dx_count() {
        let code = v.dx_code(drg::Dx(u32::try_from(i).unwrap()));
        let e = ehr_sim::terminology::lookup(ehr_sim::terminology::System::Icd10Cm, &code);
        assert!(e.is_some_and(|e| e.is_code() && e.billable), "{code}");
    }
    assert!(
        (60_000..80_000).contains(&v.dx_count()),
        "{} diagnoses",
        v.dx_count()
    );
}

// ---- importer -------------------------------------------------------------------------------

const FIXTURE_JSON: &str = r#"{"ccmap":{"E871":{"aowa":false,"hac":null,"level":"CC","pdx":"0586"}},
"drg_exclusions":{"082":["S061X3A"]},
"drgmap":{"195":{"desc":"Simple Pneumonia and Pleurisy without CC/MCC","drg":"195","is_medical":true,"is_surgical":false,"mdc":"04"}},
"dxmap":{"J189":["_MDC04","193&194&195|PDX"],"G63":["_MDC01"]},
"exmap":{"0586":["E870","E871"]},
"neoormap":[],
"orpcsmap":{"0SR9019":["461","462"]},
"prmap":{"0SR9019":["469&470|ORPCS","461&462|LEFT HIP|0SP90EZ"],"5A1955Z":["207&208|ANY PDX IN MDC 4"]},
"schema_version":1,"surgical_rank":{"469":93,"1":1},"version":"v43"}"#;

const FIXTURE_TABLE5: &str = "\"TABLE 5\"\nMS-DRG\tPost\tSpecial\tMDC\tTYPE\tTitle\tW\tWcap\tG\tA\n\
195\tYes\tNo\t04\tMED\tSIMPLE PNEUMONIA AND PLEURISY WITHOUT CC/MCC\t0.6285\t0.6285\t2.2\t2.7\n\
999\tNo\tNo\t \t**\t\"UNGROUPABLE\"\t.\t.\t.\t\n";

#[test]
fn importer_round_trip_on_a_fixture() {
    let dir = std::env::temp_dir().join(format!("ehr-sim-drg-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let json = dir.join("v.json");
    let t5 = dir.join("t5.txt");
    std::fs::write(&json, FIXTURE_JSON).unwrap();
    std::fs::write(&t5, FIXTURE_TABLE5).unwrap();
    let versions = [
        VersionSource {
            id: "v43.0",
            from: "2025-10-01",
            path: &json,
        },
        VersionSource {
            id: "v43.1",
            from: "2026-04-01",
            path: &json,
        },
    ];
    let text = import_text(&versions, &t5, "fixture").unwrap();
    assert_eq!(text, import_text(&versions, &t5, "fixture").unwrap());
    let defs = drg::parse_text("fixture", &text).unwrap();
    assert_eq!(defs.table5_rows().count(), 2);
    assert_eq!(defs.table5_row("999").unwrap().title, "UNGROUPABLE");
    assert_eq!(defs.table5_row("999").unwrap().weight, None);
    let v = &defs.versions[1];
    assert_eq!(v.id, "v43.1");
    assert_eq!(v.drg_rank("001"), Some(1));
    assert_eq!(v.drg_rank("195"), None);
    let e871 = v.dx("E871").unwrap();
    assert_eq!(v.cc(e871).unwrap().collection, Some(586));
    let hip = v.pcs("0SR9019").unwrap();
    assert!(v.is_or(hip));
    let ids: Vec<u32> = v.pcs_ids(hip).collect();
    let e = defs.entry(ids[1]).unwrap();
    assert_eq!(
        (e.family, e.condition, e.paired),
        ("461&462", "LEFT HIP", Some("0SP90EZ"))
    );
    assert!(!v.is_or(v.pcs("5A1955Z").unwrap()));
    assert!(v.excluded_in_drg("082", v.dx("S061X3A").unwrap()));
    assert!(!v.excluded_in_drg("083", v.dx("S061X3A").unwrap()));
    // Table 6K Part 1: E87.1 does not count with E87.0 as principal, does with J18.9.
    let cc = v.cc(e871).unwrap();
    assert!(v.excluded_by_pdx(&cc, v.dx("E870").unwrap()));
    assert!(!v.excluded_by_pdx(&cc, v.dx("J189").unwrap()));
    assert_eq!(v.dx_count(), 5, "J18.9, G63, E87.0, E87.1, S06.1X3A");
    // G63 (polyneuropathy in diseases classified elsewhere) is a manifestation code.
    assert!(defs.is_manifestation("G63"));
    assert!(!defs.is_manifestation("J189"));
    let err = drg::parse_text("bad", "EHRSIM-DRG\t1\nZ\tx\n").unwrap_err();
    assert!(err.to_string().contains("line 2"), "{err}");
    std::fs::remove_dir_all(&dir).ok();
}

/// Re-imports the real sources and compares with the shipped asset, byte for byte, when
/// EHR_SIM_DRG_SOURCES names a folder holding v43.json, v43.1.json and drg_weights.txt (see
/// assets/drg/PROVENANCE); without it the test checks only that the asset loads.
#[test]
fn shipped_asset_is_what_the_importer_writes() {
    let shipped =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/drg/msdrg_v43.ehrt.z"))
            .unwrap();
    assert!(definitions().is_ok());
    let Some(dir) = std::env::var_os("EHR_SIM_DRG_SOURCES") else {
        return;
    };
    let dir = Path::new(&dir);
    let (a, b) = (dir.join("v43.json"), dir.join("v43.1.json"));
    let versions = [
        VersionSource {
            id: "v43.0",
            from: "2025-10-01",
            path: &a,
        },
        VersionSource {
            id: "v43.1",
            from: "2026-04-01",
            path: &b,
        },
    ];
    let label = "CMS MS-DRG v43.0 and v43.1 definitions; FY2026 final rule Table 5";
    let bytes = import_bytes(&versions, &dir.join("drg_weights.txt"), label).unwrap();
    assert!(
        bytes == shipped,
        "re-imported asset differs from assets/drg/msdrg_v43.ehrt.z"
    );
}

// ---- command line ---------------------------------------------------------------------------

#[test]
fn cli_groups_as_json_and_shows_a_drg() {
    let out = ehr_sim_stdout(&[
        "drg",
        "group",
        "--pdx",
        "A41.9",
        "--sdx",
        "R65.20",
        "N17.9",
        "--sex",
        "F",
        "--age",
        "80",
        "--discharge",
        "alive",
        "--discharge-date",
        "2026-05-01",
        "--json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["drg"], "872");
    assert_eq!(v["mdc"], "18");
    assert_eq!(v["type"], "MED");
    assert_eq!(v["weight"], 1.0233);
    assert_eq!(v["cc"], "N17.9");
    assert_eq!(v["mcc"], serde_json::Value::Null);
    assert_eq!(v["excluded"][0]["code"], "R65.20");
    assert_eq!(v["version"], "v43.1");
    assert!(v["path"].as_array().is_some_and(|p| p.len() >= 4));
    let out = ehr_sim_stdout(&[
        "drg",
        "group",
        "--pdx",
        "J18.9",
        "--sdx",
        "L89.153",
        "--poa",
        "N",
        "--sex",
        "M",
        "--discharge",
        "01",
    ]);
    assert!(out.starts_with("MS-DRG 195 SIMPLE PNEUMONIA"), "{out}");
    assert!(out.contains("excluded L89.153 (MCC): HAC 04"), "{out}");
    let out = ehr_sim_stdout(&["drg", "show", "522"]);
    assert!(
        out.starts_with(
            "MS-DRG 522 HIP REPLACEMENT WITH PRINCIPAL DIAGNOSIS OF HIP FRACTURE WITHOUT MCC\n"
        ),
        "{out}"
    );
    assert!(
        out.contains("weight 2.1177 (before cap 2.1177)  GMLOS 4.0  AMLOS 4.5"),
        "{out}"
    );
    assert!(out.contains("family 521&522"), "{out}");
}

#[test]
fn cli_rejects_bad_input_with_what_is_valid() {
    let cases: &[(&[&str], &str)] = &[
        (
            &["--pdx", "Q99.99", "--sex", "M", "--discharge", "alive"],
            "Q99.99 is not a billable ICD-10-CM",
        ),
        (
            &["--pdx", "J18", "--sex", "M", "--discharge", "alive"],
            "J18 is a header code",
        ),
        (
            &["--pdx", "", "--sex", "M", "--discharge", "alive"],
            "--pdx is empty",
        ),
        (
            &[
                "--pdx",
                "J18.9",
                "--pcs",
                "0SR.9019",
                "--sex",
                "M",
                "--discharge",
                "alive",
            ],
            "no dot",
        ),
        (
            &["--pdx", "J18.9", "--sex", "X", "--discharge", "alive"],
            "--sex X: use M, F or U",
        ),
        (
            &["--pdx", "J18.9", "--sex", "M", "--discharge", "home"],
            "--discharge home: use alive, expired",
        ),
        (
            &[
                "--pdx",
                "J18.9",
                "--sdx",
                "E87.1",
                "--poa",
                "Q",
                "--sex",
                "M",
                "--discharge",
                "alive",
            ],
            "use Y, N, U, W or 1",
        ),
        (
            &[
                "--pdx",
                "J18.9",
                "--sex",
                "M",
                "--discharge",
                "alive",
                "--discharge-date",
                "2026-13-01",
            ],
            "use YYYY-MM-DD",
        ),
    ];
    for (args, want) in cases {
        let out = ehr_sim_command()
            .args(["drg", "group"])
            .args(*args)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{args:?}");
        assert!(err.contains(want), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
    // A 100,000-character value is refused by its start and length, not echoed whole.
    let long = "A".repeat(100_000);
    for args in [
        ["--pdx", long.as_str(), "--pcs", "0SR9019"],
        ["--pdx", "J18.9", "--pcs", long.as_str()],
    ] {
        let out = ehr_sim_command()
            .args(["drg", "group", "--sex", "M", "--discharge", "alive"])
            .args(args)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{err}");
        assert!(
            err.contains("\"AAAAAAAAAAAAAAAA…\" (100000 characters) is not a code"),
            "{err}"
        );
        assert!(err.len() < 300, "{} bytes", err.len());
    }
    let out = ehr_sim_command()
        .args(["drg", "show", "984"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("MS-DRG 984: not in FY2026 Table 5"));
}

// ---- payment, batch and bench on the command line ---------------------------------------------

fn group_args<'a>(extra: &[&'a str]) -> Vec<&'a str> {
    let mut v = vec![
        "drg",
        "group",
        "--pdx",
        "J18.9",
        "--sex",
        "M",
        "--discharge-date",
        "2026-05-01",
    ];
    v.extend_from_slice(extra);
    v
}

#[test]
fn cli_payment_of_drg_195_national_wage_index_and_transfer() {
    let out = ehr_sim_stdout(&group_args(&["--discharge", "alive"]));
    assert!(
        out.contains(
            "full DRG payment $4,244.02 = weight 0.6285 × $6,752.61 × (0.62 × wage index 1 + 0.38)\n"
        ),
        "{out}"
    );
    assert!(out.ends_with("payment $4,244.02\n"), "{out}");
    let out = ehr_sim_stdout(&group_args(&[
        "--discharge",
        "alive",
        "--wage-index",
        "1.2",
    ]));
    assert!(
        out.contains("full DRG payment $4,804.23 = weight 0.6285 × $6,752.61 × (0.66 × wage index 1.2 + 0.34)"),
        "{out}"
    );
    assert!(out.ends_with("payment $4,804.23\n"), "{out}");
    // Discharged to a SNF (03) after one day: 195 is a post-acute transfer DRG, GMLOS 2.2.
    let out = ehr_sim_stdout(&group_args(&["--discharge", "03", "--los", "1"]));
    assert!(
        out.ends_with(
            "payment $3,858.20: post-acute transfer (status 03, LOS 1): min(full, per diem \
             $1,929.10 × (LOS + 1)) (42 CFR 412.4(f))\n"
        ),
        "{out}"
    );
    // Without a length of stay the transfer is named, and the full payment shown.
    let out = ehr_sim_stdout(&group_args(&["--discharge", "03"]));
    assert!(
        out.ends_with(
            "payment $4,244.02 (status 03 is a transfer: give --los to apply 42 CFR 412.4)\n"
        ),
        "{out}"
    );
    let out = ehr_sim_stdout(&group_args(&["--discharge", "03", "--los", "1", "--json"]));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let p = &v["payment"];
    assert_eq!(p["amount"], 3858.2);
    assert_eq!(p["full"], 4244.02);
    assert_eq!(p["per_diem"], 1929.1);
    assert_eq!(p["labor_share"], 0.62);
    assert_eq!(p["wage_index"], 1.0);
    assert_eq!(p["standardized_amount"], 6752.61);
    assert!(
        p["rule"]
            .as_str()
            .unwrap()
            .starts_with("post-acute transfer")
    );
    // DRG 522 is a special-pay DRG: ½ full + ½ per diem × (LOS + 1).
    let out = ehr_sim_stdout(&[
        "drg",
        "group",
        "--pdx",
        "S72.001A",
        "--pcs",
        "0SR9019",
        "--sex",
        "F",
        "--discharge",
        "03",
        "--los",
        "2",
    ]);
    assert!(
        out.contains("full DRG payment $14,300.00 = weight 2.1177"),
        "{out}"
    );
    assert!(
        out.ends_with(
            "payment $12,512.50: special-pay post-acute transfer (status 03, LOS 2): min(full, ½ \
             full + ½ per diem $3,575.00 × 3) (42 CFR 412.4(f))\n"
        ),
        "{out}"
    );
    let out = ehr_sim_stdout(&["drg", "show", "195", "--wage-index", "1.2"]);
    assert!(out.ends_with("full DRG payment $4,804.23 = weight 0.6285 × $6,752.61 × (0.66 × wage index 1.2 + 0.34)\n"), "{out}");
    let out = ehr_sim_stdout(&["drg", "show", "999", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["payment"], serde_json::Value::Null);
}

#[test]
fn cli_bad_payment_flags_name_the_flag_and_what_is_valid() {
    let cases: &[(&[&str], &str)] = &[
        (
            &["--wage-index", "0"],
            "--wage-index: wage index 0: give a positive number up to 10",
        ),
        (&["--wage-index", "abc"], "--wage-index abc: give a number"),
        (
            &["--base-rate", "-5"],
            "--base-rate: base rate -5: give a positive amount",
        ),
        (
            &["--labor-share", "1.5"],
            "--labor-share: labor share 1.5: give a fraction from 0 to 1",
        ),
        (
            &["--los", "-1"],
            "--los -1: give the length of stay in whole days, 0 to 36500",
        ),
        (
            &["--los", "two"],
            "--los two: give the length of stay in whole days",
        ),
    ];
    for (flags, want) in cases {
        let out = ehr_sim_command()
            .args(group_args(&["--discharge", "alive"]))
            .args(*flags)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{flags:?}: {err}");
        assert!(err.contains(want), "{flags:?}: {err}");
    }
}

fn batch(input: &str, extra: &[&str]) -> (Option<i32>, Vec<serde_json::Value>, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("claims.jsonl");
    std::fs::write(&path, input).unwrap();
    let out = ehr_sim_command()
        .args(["drg", "batch"])
        .arg(&path)
        .args(extra)
        .output()
        .unwrap();
    let lines = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    (
        out.status.code(),
        lines,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn cli_batch_groups_good_lines_in_order_and_names_bad_ones() {
    let long = format!("{{\"pdx\":\"{}\"}}", "A".repeat(70_000));
    let input = [
        r#"{"pdx":"A41.9","sdx":["R65.20","N179"],"sex":"F","age":80,"discharge":"alive","discharge_date":"2026-05-01"}"#,
        r#"{"pdx":"J189","sdx":[{"code":"L89.153","poa":"N"}],"pcs":[],"sex":"M","discharge":"01"}"#,
        r#"{"pdx":"J18.9","sdx":["L89.153"],"poa":["Y"],"sex":"M","discharge":"alive"}"#,
        r#"{"pdx": "J18.9", "sex": "M""#,
        r#"{"sex":"M","discharge":"alive"}"#,
        r#"{"pdx":"J18.9","sex":"X","discharge":"alive"}"#,
        r#"{"pdx":"Q99.99","sex":"M","discharge":"alive"}"#,
        long.as_str(),
        "",
        r#"{"pdx":"J18.9","sex":"M","discharge":"03","los":1}"#,
        r#"{"pdx":"S72.001A","pcs":["0SR9019"],"sex":"U","discharge":"alive"}"#,
    ]
    .join("\n");
    let (code, lines, err) = batch(&input, &[]);
    assert_eq!(code, Some(1), "{err}");
    let drgs: Vec<String> = lines
        .iter()
        .map(|l| {
            l["drg"]
                .as_str()
                .map_or_else(|| format!("line {} error", l["line"]), str::to_string)
        })
        .collect();
    assert_eq!(
        drgs,
        [
            "872",
            "195",
            "193",
            "line 4 error",
            "line 5 error",
            "line 6 error",
            "line 7 error",
            "line 8 error",
            "195",
            "522"
        ]
    );
    assert_eq!(lines[0]["payment"]["amount"], 6909.95);
    assert_eq!(lines[0]["line"], 1);
    assert_eq!(lines[8]["line"], 10);
    assert_eq!(lines[8]["payment"]["amount"], 3858.2);
    assert_eq!(lines[1]["excluded"][0]["code"], "L89.153");
    assert_eq!(lines[3]["kind"], "json");
    assert!(err.contains("line 4: not a JSON object"), "{err}");
    assert!(err.contains("line 5: \"pdx\" is missing or empty"), "{err}");
    assert!(err.contains("line 6: sex X: use M, F or U"), "{err}");
    assert!(
        err.contains("line 7: principal diagnosis Q99.99 is not a billable"),
        "{err}"
    );
    assert!(
        err.contains("line 8: line of 70010 bytes: a claim line holds at most 65536 bytes"),
        "{err}"
    );
    assert!(
        err.ends_with("5 of 10 claims not grouped (lines above); the other 5 were grouped\n"),
        "{err}"
    );
    assert!(!err.contains("AAAAAAAAAAAAAAAAAAAAAAAAA"), "{err}");
    // All good: exit 0, and the wage index applies to every line.
    let (code, lines, err) = batch(
        "{\"pdx\":\"J18.9\",\"sex\":\"M\",\"discharge\":\"alive\"}\n",
        &["--wage-index", "1.2"],
    );
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(lines[0]["payment"]["amount"], 4804.23);
    // The path is left out unless asked for; with --path it is the path of `drg group --json`.
    assert!(lines[0].get("path").is_none(), "{}", lines[0]);
    let (code, with_path, err) = batch(
        "{\"pdx\":\"A41.9\",\"sdx\":[\"R65.21\"],\"sex\":\"F\",\"age\":80,\"discharge\":\"alive\"}\n",
        &["--path"],
    );
    assert_eq!(code, Some(0), "{err}");
    let single: serde_json::Value = serde_json::from_str(&ehr_sim_stdout(&[
        "drg",
        "group",
        "--pdx",
        "A41.9",
        "--sdx",
        "R65.21",
        "--sex",
        "F",
        "--age",
        "80",
        "--discharge",
        "alive",
        "--json",
    ]))
    .unwrap();
    assert_eq!(with_path[0]["drg"], "871");
    assert_eq!(with_path[0]["path"], single["path"]);
    assert!(
        with_path[0]["path"]
            .as_array()
            .is_some_and(|p| p.len() >= 4)
    );
    // A claim the grouper does not decide is a failed line of its own kind.
    let (code, lines, _) = batch(
        "{\"pdx\":\"Z38.00\",\"sdx\":[\"P59.9\"],\"pcs\":[\"6A600ZZ\"],\"sex\":\"F\",\"age\":0,\"discharge\":\"alive\"}\n",
        &[],
    );
    assert_eq!(code, Some(1));
    assert_eq!(lines[0]["kind"], "not_decided");
}

/// A line written another way (escaped characters, a key given twice, an `sdx` object with a
/// key of its own, white space, null for a field left out) groups as the plain line does, and
/// a bad line gets its own message whichever way it is written.
#[test]
fn cli_batch_reads_a_line_the_same_however_it_is_written() {
    let plain = r#"{"pdx":"A41.9","sdx":["R65.20",{"code":"L89.153","poa":"N"}],"pcs":[],"sex":"F","age":80,"discharge":"alive","discharge_date":"2026-05-01","los":3}"#;
    let variants = [
        r#"{"pdx":"A41.\u0039","sdx":["R65.20",{"code":"L89.153","poa":"N"}],"pcs":[],"sex":"F","age":80,"discharge":"alive","discharge_date":"2026-05-01","los":3}"#,
        r#"{"pdx":"J18.9","pdx":"A41.9","sdx":["R65.20",{"code":"L89.153","poa":"N"}],"sex":"F","age":80,"discharge":"alive","discharge_date":"2026-05-01","los":3}"#,
        r#"{"pdx":"A41.9","sdx":["R65.20",{"code":"L89.153","poa":"N","note":"HAC"}],"sex":"F","age":80,"discharge":"alive","discharge_date":"2026-05-01","los":3}"#,
        r#" { "los" : 3 , "discharge_date":"2026-05-01", "discharge" : "ALIVE", "age":80, "sex":"f", "sdx":["R65.20","L89.153"], "poa":["Y","N"], "pdx":"A41.9", "pcs":null } "#,
    ];
    let input = std::iter::once(plain)
        .chain(variants)
        .collect::<Vec<_>>()
        .join("\n");
    let (code, lines, err) = batch(&input, &[]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(lines.len(), 5);
    assert_eq!(lines[0]["drg"], "872");
    assert_eq!(lines[0]["excluded"].as_array().map(Vec::len), Some(2));
    for (i, l) in lines.iter().enumerate().skip(1) {
        let mut l = l.clone();
        l["line"] = 1.into();
        assert_eq!(l, lines[0], "line {}", i + 1);
    }
    // Bad lines keep their messages when a string is escaped or a key repeated.
    let bad = [
        r#"{"pdx":"J18.9","sex":"\u0058","discharge":"alive"}"#,
        r#"{"pdx":"J18.9","sex":"M","sex":"X","discharge":"alive"}"#,
        r#"{"pdx":"J18.9","sex":"M","discharge":"alive","age":80.5}"#,
        r#"{"pdx":"J18.9","sex":"M","discharge":100}"#,
        r#"{"pdx":"J18.9","sex":"M","discharge":"alive","sdx":["E87.1"],"poa":["Y","N"]}"#,
        r#"{"pdx":"J18.9","sex":"M","discharge":"alive","sdx":[{"poa":"N"}]}"#,
        r#"{"pdx":"J18.9","sex":"M","discharge":"alive","sdx":["E87.1"],"poa":["X"]}"#,
        r#"{"pdx":"J18.9","sex":"M","discharge":"alive","colour":"blue"}"#,
        r#"["J18.9"]"#,
    ]
    .join("\n");
    let (code, lines, err) = batch(&bad, &[]);
    assert_eq!(code, Some(1));
    assert!(lines.iter().all(|l| l.get("error").is_some()), "{lines:?}");
    let want = [
        "line 1: sex X: use M, F or U",
        "line 2: sex X: use M, F or U",
        "line 3: age 80.5: use whole years 0-124",
        "line 4: discharge 100: use alive, expired or 01-99",
        "line 5: \"poa\" has 2 indicators for 1 secondary diagnoses",
        "line 6: \"sdx\" item 1: an object needs a \"code\" string",
        "line 7: POA X (for E87.1): use Y, N, U, W or 1",
        "line 8: unknown field \"colour\": a claim has pdx, sdx, poa, pcs, sex, age, discharge, discharge_date, los",
        "line 9: a line must be a JSON object (a claim)",
    ];
    for w in want {
        assert!(err.contains(&format!("{w}\n")), "{w}\n{err}");
    }
}

/// Long lines are read a few megabytes at a time: 150 lines of 60 KB (9 MB, more than one
/// chunk) all come back, in order.
#[test]
fn cli_batch_keeps_order_across_chunks_of_long_lines() {
    let pad = " ".repeat(60_000);
    let input: String = (0..150)
        .map(|i| {
            let pdx = if i % 2 == 0 { "J18.9" } else { "I50.9" };
            format!("{{\"pdx\":\"{pdx}\",{pad}\"sex\":\"M\",\"discharge\":\"alive\"}}\n")
        })
        .collect();
    let (code, lines, err) = batch(&input, &[]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(lines.len(), 150);
    for (i, l) in lines.iter().enumerate() {
        assert_eq!(l["line"], i + 1);
        assert_eq!(l["drg"], if i % 2 == 0 { "195" } else { "293" }, "{l}");
    }
}

#[test]
fn cli_batch_reads_stdin_and_never_writes_over_its_input() {
    let mut cmd = ehr_sim_command();
    cmd.args(["drg", "batch", "-"]);
    let out = crate::with_stdin(
        cmd,
        b"{\"pdx\":\"J18.9\",\"sdx\":[\"E87.1\"],\"sex\":\"M\",\"discharge\":\"alive\"}\n",
    );
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["drg"], "194");
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    std::fs::write(
        &input,
        "{\"pdx\":\"J18.9\",\"sex\":\"M\",\"discharge\":\"alive\"}\n",
    )
    .unwrap();
    let out = ehr_sim_command()
        .args(["drg", "batch"])
        .arg(&input)
        .arg("--output")
        .arg(&input)
        .arg("--force")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is the input file"));
    let db = dir.path().join("progress.sqlite3");
    std::fs::write(&db, "not touched").unwrap();
    let out = ehr_sim_command()
        .env("EHR_SIM_DB", &db)
        .args(["drg", "batch"])
        .arg(&input)
        .arg("--output")
        .arg(&db)
        .arg("--force")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is the progress database"));
    assert_eq!(std::fs::read_to_string(&db).unwrap(), "not touched");
    let results = dir.path().join("out.jsonl");
    let out = ehr_sim_command()
        .args(["drg", "batch"])
        .arg(&input)
        .arg("--output")
        .arg(&results)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(
        std::fs::read_to_string(&results)
            .unwrap()
            .contains("\"drg\":\"195\"")
    );
}

#[test]
fn cli_bench_drg_prints_its_figures_and_writes_batch_input() {
    let dir = tempfile::tempdir().unwrap();
    let claims = dir.path().join("claims.jsonl");
    let bench = |to: &std::path::Path| {
        ehr_sim_stdout(&[
            "bench",
            "drg",
            "--claims",
            "40",
            "--secs",
            "0",
            "--write-claims",
            to.to_str().unwrap(),
        ])
    };
    let out = bench(&claims);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 7, "{out}");
    assert!(
        lines[0].starts_with("definitions: MS-DRG v43.0, v43.1 and FY2026 Table 5 loaded in "),
        "{out}"
    );
    assert!(lines[1].starts_with("claims: 40 from "), "{out}");
    assert!(
        lines[1].ends_with("(20 as coded, 20 with a coder error)"),
        "{out}"
    );
    assert!(lines[2].starts_with("wrote 40 claims to "), "{out}");
    assert!(lines[3].starts_with("per pass: "), "{out}");
    assert!(
        lines[4].starts_with("grouped 40 claims in ")
            && lines[4]
                .contains(" claims/s (DRG, MCC/CC, exclusions and edits; the path not built"),
        "{out}"
    );
    assert!(
        lines[5].starts_with("with the path built for every claim: 40 claims in ")
            && lines[5].ends_with(" claims/s"),
        "{out}"
    );
    assert!(lines[6].starts_with("peak RSS: "), "{out}");
    let written = std::fs::read_to_string(&claims).unwrap();
    assert_eq!(written.lines().count(), 40);
    // The written set is batch input, and the same twice (deterministic).
    let again = dir.path().join("again.jsonl");
    bench(&again);
    assert_eq!(written, std::fs::read_to_string(&again).unwrap());
    let out = ehr_sim_command()
        .args(["drg", "batch"])
        .arg(&claims)
        .output()
        .unwrap();
    let single = String::from_utf8_lossy(&out.stdout).to_string();
    assert_eq!(single.lines().count(), 40);
    // 600 lines are grouped on every core in chunks; the results keep the input order.
    let many = dir.path().join("many.jsonl");
    std::fs::write(&many, written.repeat(15)).unwrap();
    let out = ehr_sim_command()
        .args(["drg", "batch"])
        .arg(&many)
        .output()
        .unwrap();
    let results: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(results.len(), 600);
    let first: Vec<serde_json::Value> = single
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    for (i, r) in results.iter().enumerate() {
        assert_eq!(r["line"], i + 1);
        let same = &first[i % 40];
        assert_eq!(
            (&r["drg"], &r["error"]),
            (&same["drg"], &same["error"]),
            "line {}",
            i + 1
        );
    }
}
