//! Claims: the NPI check, the clean CMS-1500, UB-04 inpatient and hospice fixtures, one test per
//! scrubber edit (a clean claim broken in exactly one place, and the exact finding it gives),
//! and `ehr-sim claim check` (exit codes 0/1/2, `--json`). docs/domain/claims.md.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use ehr_sim::tasks::claims::model::{
    Coverage, DiagnosisPoa, InstitutionalLine, Occurrence, Procedure, QualifiedDate,
};
use ehr_sim::tasks::claims::{Claim, Cms1500, Finding, Severity, Ub04, check, npi, parse};

use crate::ehr_sim_command;

fn fixture_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/claims")
        .join(name)
}

fn fixture(name: &str) -> Claim {
    let path = fixture_path(name);
    let text = std::fs::read_to_string(&path).unwrap();
    parse(&path, &text).unwrap_or_else(|d| panic!("{d}"))
}

fn professional() -> Cms1500 {
    match fixture("professional_clean.ron") {
        Claim::Professional(c) => *c,
        Claim::Institutional(_) => panic!("not a CMS-1500"),
    }
}

fn institutional(name: &str) -> Ub04 {
    match fixture(name) {
        Claim::Institutional(u) => *u,
        Claim::Professional(_) => panic!("not a UB-04"),
    }
}

fn inpatient() -> Ub04 {
    institutional("inpatient_clean.ron")
}

fn hospice() -> Ub04 {
    institutional("hospice_month_clean.ron")
}

fn scrub_p(c: Cms1500) -> Vec<Finding> {
    check(&Claim::Professional(Box::new(c)))
}

fn scrub_u(u: Ub04) -> Vec<Finding> {
    check(&Claim::Institutional(Box::new(u)))
}

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// The one finding: its locator, severity, message start and a source its rule cites.
fn only(findings: &[Finding], locator: &str, severity: Severity, start: &str, source: &str) {
    assert_eq!(findings.len(), 1, "{findings:#?}");
    is(&findings[0], locator, severity, start, source);
}

fn is(f: &Finding, locator: &str, severity: Severity, start: &str, source: &str) {
    assert_eq!(f.locator, locator, "{f:#?}");
    assert_eq!(f.severity, severity, "{f:#?}");
    assert!(
        f.message.starts_with(start),
        "{f:#?}\nexpected start: {start}"
    );
    assert!(f.rule.contains(source), "{f:#?}\nexpected source: {source}");
}

fn error_p(c: Cms1500, locator: &str, start: &str, source: &str) {
    only(&scrub_p(c), locator, Severity::Error, start, source);
}

fn error_u(u: Ub04, locator: &str, start: &str, source: &str) {
    only(&scrub_u(u), locator, Severity::Error, start, source);
}

fn warning_u(u: Ub04, locator: &str, start: &str, source: &str) {
    only(&scrub_u(u), locator, Severity::Warning, start, source);
}

const NUCC: &str = "NUCC 1500 Reference Instruction Manual 02/12";
const NPI_RULE: &str = "45 CFR 162.406";

// ---- NPI ----------------------------------------------------------------------------------

#[test]
fn npi_check_digit_follows_the_cms_example() {
    assert_eq!(npi::check_digit("123456789"), Some(3));
    assert!(npi::is_valid("1234567893"));
    assert!(!npi::is_valid("1234567890"));
    assert!(!npi::is_valid("123456789"));
    assert!(!npi::is_valid("12345678X3"));
    let made = npi::synthetic(42);
    assert!(npi::is_valid(&made));
    assert_eq!(made, npi::synthetic(42));
}

// ---- clean claims -------------------------------------------------------------------------

#[test]
fn the_clean_fixtures_have_no_findings() {
    for name in [
        "professional_clean.ron",
        "professional_clean.json",
        "inpatient_clean.ron",
        "hospice_month_clean.ron",
    ] {
        assert_eq!(check(&fixture(name)), Vec::new(), "{name}");
    }
}

#[test]
fn the_json_fixture_is_the_ron_fixture() {
    assert_eq!(
        fixture("professional_clean.json"),
        fixture("professional_clean.ron")
    );
    let ub = fixture("inpatient_clean.ron");
    let json = serde_json::to_string(&ub).unwrap();
    assert_eq!(parse(Path::new("claim.json"), &json).unwrap(), ub);
}

#[test]
fn an_unknown_field_is_a_parse_error_naming_line_column_and_field() {
    let text = "Professional((\n    insured_idd: \"X\",\n))";
    let d = parse(Path::new("c.ron"), text).unwrap_err();
    let shown = d.to_string();
    assert!(shown.starts_with("c.ron:2:"), "{shown}");
    assert!(shown.contains("insured_idd"), "{shown}");
    assert!(shown.contains("did you mean `insured_id`"), "{shown}");
    let d = parse(
        Path::new("c.json"),
        "{\"Professional\": {\n  \"insured_idd\": \"X\"\n}}",
    )
    .unwrap_err();
    let shown = d.to_string();
    assert!(shown.starts_with("c.json:2:"), "{shown}");
    assert!(shown.contains("unknown field `insured_idd`"), "{shown}");
}

// ---- CMS-1500: required items ---------------------------------------------------------------

#[test]
fn p_item_1_coverage_required() {
    let mut c = professional();
    c.coverage = None;
    error_p(c, "Item 1", "type of coverage is missing", NUCC);
}

#[test]
fn p_item_1a_insured_id_required() {
    let mut c = professional();
    c.insured_id = String::new();
    error_p(c, "Item 1a", "insured's ID number is missing", "MCPM ch.26");
}

#[test]
fn p_item_2_patient_name_required() {
    let mut c = professional();
    c.patient_name = " ".into();
    error_p(c, "Item 2", "patient's name is missing", NUCC);
}

#[test]
fn p_item_3_birth_date_required() {
    let mut c = professional();
    c.birth_date = None;
    error_p(c, "Item 3", "patient's birth date is missing", NUCC);
}

#[test]
fn p_item_3_sex_required() {
    let mut c = professional();
    c.sex = None;
    error_p(c, "Item 3", "patient's sex is missing", NUCC);
}

#[test]
fn p_item_11_blank_for_medicare_is_a_warning() {
    let mut c = professional();
    c.insured_group = String::new();
    only(
        &scrub_p(c),
        "Item 11",
        Severity::Warning,
        "insured's policy group is blank: for Medicare enter NONE",
        "MCPM ch.26",
    );
}

#[test]
fn p_item_14_qualifier_must_be_431_or_484() {
    // A preventive visit has no current illness: item 14 is blank in the fixture.
    let mut c = professional();
    c.current_illness = Some(QualifiedDate {
        date: date("2026-02-27"),
        qualifier: "431".into(),
    });
    assert_eq!(scrub_p(c.clone()), Vec::new());
    c.current_illness = Some(QualifiedDate {
        date: date("2026-02-27"),
        qualifier: "453".into(),
    });
    error_p(c, "Item 14", "qualifier \"453\" is not 431", NUCC);
}

#[test]
fn p_item_17_qualifier_must_be_dn_dk_or_dq() {
    let mut c = professional();
    if let Some(r) = c.referring.as_mut() {
        r.qualifier = "DX".into();
    }
    error_p(c, "Item 17", "qualifier \"DX\" is not DN", NUCC);
}

#[test]
fn p_item_17_name_required_when_item_17_is_used() {
    let mut c = professional();
    if let Some(r) = c.referring.as_mut() {
        r.name = String::new();
    }
    error_p(
        c,
        "Item 17",
        "referring/ordering/supervising provider's name is missing",
        NUCC,
    );
}

#[test]
fn p_item_17b_npi_required_and_checked() {
    let mut c = professional();
    if let Some(r) = c.referring.as_mut() {
        r.npi = String::new();
    }
    error_p(
        c,
        "Item 17b",
        "NPI of the provider in item 17 is missing",
        NUCC,
    );
    let mut c = professional();
    if let Some(r) = c.referring.as_mut() {
        r.npi = "1123456780".into();
    }
    error_p(
        c,
        "Item 17b",
        "invalid NPI: 1123456780 fails the check digit",
        NPI_RULE,
    );
}

#[test]
fn p_item_22_resubmission_code_must_be_7_or_8() {
    let mut c = professional();
    c.resubmission = Some(ehr_sim::tasks::claims::model::Resubmission {
        code: "1".into(),
        original_ref: "ICN123".into(),
    });
    error_p(c, "Item 22", "resubmission code \"1\" is not 7", NUCC);
}

#[test]
fn p_item_22_original_reference_required() {
    let mut c = professional();
    c.resubmission = Some(ehr_sim::tasks::claims::model::Resubmission {
        code: "7".into(),
        original_ref: String::new(),
    });
    error_p(c, "Item 22", "original reference number is missing", NUCC);
}

// ---- CMS-1500: item 21 --------------------------------------------------------------------

#[test]
fn p_item_21_indicator_required() {
    let mut c = professional();
    c.icd_indicator = String::new();
    error_p(c, "Item 21", "ICD indicator is missing", NUCC);
}

#[test]
fn p_item_21_indicator_9_with_icd10_codes() {
    let mut c = professional();
    c.icd_indicator = "9".into();
    error_p(
        c,
        "Item 21",
        "ICD indicator is \"9\" with ICD-10-CM codes",
        NUCC,
    );
}

#[test]
fn p_item_21_at_most_12_diagnoses() {
    let mut c = professional();
    c.diagnoses
        .extend(std::iter::repeat_n("I10".to_string(), 11));
    error_p(c, "Item 21", "13 diagnoses: item 21 holds at most 12", NUCC);
}

#[test]
fn p_item_21_line_a_required() {
    let mut c = professional();
    c.diagnoses[0] = String::new();
    c.lines[0].pointers = "B".into();
    error_p(
        c,
        "Item 21 line A",
        "first-listed diagnosis is missing",
        NUCC,
    );
}

#[test]
fn p_item_21_header_code() {
    let mut c = professional();
    c.diagnoses[1] = "K35.8".into();
    error_p(
        c,
        "Item 21 line B",
        "K35.8 is a header code",
        "ICD-10-CM Official Guidelines I.B.1",
    );
}

#[test]
fn p_item_21_unknown_code() {
    let mut c = professional();
    c.diagnoses[1] = "Z13.39X".into();
    error_p(
        c,
        "Item 21 line B",
        "Z13.39X is not an ICD-10-CM FY2026 code",
        "ICD-10-CM Official Guidelines I.B.1",
    );
}

#[test]
fn p_first_listed_manifestation() {
    let mut c = professional();
    c.diagnoses[0] = "G01".into();
    error_p(
        c,
        "Item 21 line A",
        "manifestation code as principal diagnosis: G01",
        "I.A.13",
    );
}

#[test]
fn p_first_listed_external_cause() {
    let mut c = professional();
    c.diagnoses[0] = "W19.XXXA".into();
    error_p(
        c,
        "Item 21 line A",
        "external cause code as principal diagnosis: W19.XXXA",
        "I.C.20",
    );
}

#[test]
fn p_first_listed_never_first_code() {
    let mut c = professional();
    c.diagnoses[0] = "R65.20".into();
    error_p(
        c,
        "Item 21 line A",
        "unacceptable principal diagnosis: R65.20",
        "I.C.1.d.4",
    );
}

#[test]
fn p_first_listed_maternity_age_conflict() {
    let mut c = professional();
    c.diagnoses[0] = "O80".into();
    error_p(
        c,
        "Item 21 line A",
        "age conflict: maternity code O80 with age 75",
        "Medicare Code Editor (MCE) age conflict",
    );
}

#[test]
fn p_first_listed_newborn_age_conflict() {
    let mut c = professional();
    c.diagnoses[0] = "P07.39".into();
    error_p(
        c,
        "Item 21 line A",
        "age conflict: perinatal code P0739 with age 75",
        "Medicare Code Editor (MCE) age conflict",
    );
}

// ---- CMS-1500: item 24 --------------------------------------------------------------------

#[test]
fn p_item_24_a_service_line_required() {
    let mut c = professional();
    c.lines.clear();
    c.total_charge_cents = Some(0);
    error_p(c, "Item 24", "service line is missing", NUCC);
}

#[test]
fn p_item_24_at_most_50_lines() {
    let mut c = professional();
    let line = c.lines[0].clone();
    c.lines = vec![line; 51];
    c.total_charge_cents = Some(51 * 17_500);
    error_p(
        c,
        "Item 24 line 51",
        "an 837P claim holds at most 50 service lines",
        NUCC,
    );
}

#[test]
fn p_item_24a_from_date_required() {
    let mut c = professional();
    c.lines[1].from = None;
    error_p(
        c,
        "Item 24A line 2",
        "date of service (from) is missing",
        NUCC,
    );
}

#[test]
fn p_item_24a_to_before_from() {
    let mut c = professional();
    c.lines[1].to = Some(date("2026-03-01"));
    error_p(
        c,
        "Item 24A line 2",
        "date of service \"to\" 2026-03-01 is before \"from\" 2026-03-02",
        NUCC,
    );
}

#[test]
fn p_item_24b_place_of_service_required() {
    let mut c = professional();
    c.lines[0].place_of_service = String::new();
    error_p(c, "Item 24B line 1", "place of service is missing", NUCC);
}

#[test]
fn p_item_24b_place_of_service_two_digits() {
    let mut c = professional();
    c.lines[0].place_of_service = "Office".into();
    error_p(
        c,
        "Item 24B line 1",
        "place of service \"Office\" is not a two-digit POS code",
        NUCC,
    );
}

#[test]
fn p_item_24d_code_required() {
    let mut c = professional();
    c.lines[0].hcpcs = String::new();
    error_p(
        c,
        "Item 24D line 1",
        "procedure/service code (CPT/HCPCS) is missing",
        NUCC,
    );
}

#[test]
fn p_item_24d_at_most_4_modifiers() {
    let mut c = professional();
    c.lines[0].modifiers = ["25", "59", "GA", "GY", "KX"].map(String::from).to_vec();
    error_p(
        c,
        "Item 24D line 1",
        "5 modifiers: 24D holds at most 4",
        NUCC,
    );
}

#[test]
fn p_item_24e_pointer_required() {
    let mut c = professional();
    c.lines[0].pointers = String::new();
    error_p(c, "Item 24E line 1", "diagnosis pointer is missing", NUCC);
}

#[test]
fn p_item_24e_no_ranges() {
    let mut c = professional();
    c.lines[0].pointers = "A-B".into();
    error_p(
        c,
        "Item 24E line 1",
        "pointer \"A-B\" is a range",
        "item 24E",
    );
}

#[test]
fn p_item_24e_no_commas() {
    let mut c = professional();
    c.lines[0].pointers = "A,B".into();
    error_p(
        c,
        "Item 24E line 1",
        "pointer \"A,B\" has separators",
        "item 24E",
    );
}

#[test]
fn p_item_24e_letters_only() {
    let mut c = professional();
    c.lines[0].pointers = "Z0000".into();
    error_p(
        c,
        "Item 24E line 1",
        "pointer \"Z0000\": \"Z\" is not a letter A-L",
        "item 24E",
    );
}

#[test]
fn p_item_24e_at_most_4_pointers() {
    let mut c = professional();
    c.coverage = Some(Coverage::GroupHealthPlan);
    c.diagnoses = ["Z00.00", "Z13.31", "I10", "E11.9", "F17.210"]
        .map(String::from)
        .to_vec();
    c.lines[0].pointers = "ABCDE".into();
    error_p(c, "Item 24E line 1", "5 pointers: at most 4 per line", NUCC);
}

#[test]
fn p_item_24e_one_pointer_for_medicare() {
    let mut c = professional();
    c.lines[0].pointers = "AB".into();
    error_p(
        c,
        "Item 24E line 1",
        "2 pointers (\"AB\"): Medicare takes one pointer per line",
        "MCPM ch.26 §10, item 24E",
    );
}

#[test]
fn p_item_24e_pointer_to_an_empty_line() {
    let mut c = professional();
    c.lines[1].pointers = "C".into();
    error_p(
        c,
        "Item 24E line 2",
        "pointer C refers to item 21 line C, which is empty",
        NUCC,
    );
}

#[test]
fn p_item_24f_charge_required() {
    let mut c = professional();
    c.lines[1].charge_cents = None;
    c.total_charge_cents = Some(17_500);
    error_p(c, "Item 24F line 2", "charge is missing", NUCC);
}

#[test]
fn p_item_24g_units_required() {
    let mut c = professional();
    c.lines[1].units = Some(0);
    error_p(
        c,
        "Item 24G line 2",
        "days or units (at least 1) is missing",
        NUCC,
    );
}

#[test]
fn p_item_24j_rendering_npi_required_and_checked() {
    let mut c = professional();
    c.lines[0].rendering_npi = String::new();
    error_p(
        c,
        "Item 24J line 1",
        "rendering provider NPI is missing",
        NUCC,
    );
    let mut c = professional();
    c.lines[0].rendering_npi = "1234567890".into();
    error_p(
        c,
        "Item 24J line 1",
        "invalid NPI: 1234567890 fails the check digit",
        NPI_RULE,
    );
}

// ---- CMS-1500: items 25-33 ----------------------------------------------------------------

#[test]
fn p_item_25_tax_id_required() {
    let mut c = professional();
    c.tax_id = None;
    error_p(c, "Item 25", "federal tax ID (SSN or EIN) is missing", NUCC);
}

#[test]
fn p_item_25_nine_digits_without_hyphens() {
    let mut c = professional();
    if let Some(t) = c.tax_id.as_mut() {
        t.number = "12-3456789".into();
    }
    error_p(
        c,
        "Item 25",
        "tax ID \"12-3456789\" is not 9 digits without hyphens",
        NUCC,
    );
}

#[test]
fn p_item_28_total_required() {
    let mut c = professional();
    c.total_charge_cents = None;
    error_p(c, "Item 28", "total charge is missing", NUCC);
}

#[test]
fn p_item_28_total_is_the_sum_of_24f() {
    let mut c = professional();
    c.total_charge_cents = Some(19_999);
    error_p(
        c,
        "Item 28",
        "total charge $199.99 is not the sum of the 24F charges, $200.00",
        "item 28",
    );
}

#[test]
fn p_item_32a_npi_checked() {
    let mut c = professional();
    if let Some(f) = c.facility.as_mut() {
        f.npi = "3987654328".into();
    }
    error_p(
        c,
        "Item 32a",
        "invalid NPI: 3987654328 does not begin with 1 or 2",
        NPI_RULE,
    );
}

#[test]
fn p_item_33_billing_provider_required() {
    let mut c = professional();
    if let Some(b) = c.billing.as_mut() {
        b.name = String::new();
    }
    error_p(c, "Item 33", "billing provider name is missing", NUCC);
}

#[test]
fn p_item_33a_billing_npi_required_and_checked() {
    let mut c = professional();
    if let Some(b) = c.billing.as_mut() {
        b.npi = String::new();
    }
    error_p(c, "Item 33a", "billing provider NPI is missing", NUCC);
    let mut c = professional();
    if let Some(b) = c.billing.as_mut() {
        b.npi = "19876543".into();
    }
    error_p(
        c,
        "Item 33a",
        "invalid NPI: \"19876543\" is not 10 digits",
        NPI_RULE,
    );
}

#[test]
fn p_findings_come_in_form_order() {
    let mut c = professional();
    c.billing = None;
    c.lines[1].pointers = "C".into();
    c.insured_id = String::new();
    let locators: Vec<String> = scrub_p(c).into_iter().map(|f| f.locator).collect();
    assert_eq!(
        locators,
        ["Item 1a", "Item 24E line 2", "Item 33", "Item 33a"]
    );
}

// ---- UB-04: header ------------------------------------------------------------------------

const MCPM25: &str = "MCPM ch.25 §75";

#[test]
fn u_fl_4_type_of_bill_required() {
    let mut u = inpatient();
    u.type_of_bill = String::new();
    // Without a type of bill the inpatient-only edits do not apply either.
    error_u(u, "FL 4", "type of bill is missing", "MCPM ch.25 §75.1");
}

#[test]
fn u_fl_4_type_of_bill_format() {
    let mut u = inpatient();
    u.type_of_bill = "111".into();
    error_u(
        u,
        "FL 4",
        "type of bill \"111\" is not 4 characters",
        MCPM25,
    );
}

#[test]
fn u_fl_6_statement_period_required() {
    let mut u = inpatient();
    u.statement_through = None;
    error_u(
        u,
        "FL 6",
        "statement covers period (from and through) is missing",
        MCPM25,
    );
}

#[test]
fn u_fl_6_statement_period_reversed() {
    let mut u = inpatient();
    u.statement_from = Some(date("2026-02-10"));
    u.statement_through = Some(date("2026-02-09"));
    let findings = scrub_u(u);
    is(
        &findings[0],
        "FL 6",
        Severity::Error,
        "statement period ends 2026-02-09, before it starts 2026-02-10",
        MCPM25,
    );
}

#[test]
fn u_fl_8_10_11_patient_required() {
    let mut u = inpatient();
    u.patient_name = String::new();
    error_u(u, "FL 8", "patient name is missing", MCPM25);
    let mut u = inpatient();
    u.birth_date = None;
    error_u(u, "FL 10", "patient birth date is missing", MCPM25);
    let mut u = inpatient();
    u.sex = None;
    error_u(u, "FL 11", "patient sex is missing", MCPM25);
}

#[test]
fn u_inpatient_fl_12_admission_date_required() {
    let mut u = inpatient();
    u.admission_date = None;
    error_u(
        u,
        "FL 12",
        "admission/start-of-care date is missing",
        "MCPM ch.25 §75.1",
    );
}

#[test]
fn u_inpatient_fl_14_admission_type_required() {
    let mut u = inpatient();
    u.admission_type = String::new();
    error_u(
        u,
        "FL 14",
        "priority (type) of admission is missing",
        MCPM25,
    );
}

#[test]
fn u_inpatient_fl_15_point_of_origin_required() {
    let mut u = inpatient();
    u.point_of_origin = String::new();
    error_u(
        u,
        "FL 15",
        "point of origin for admission is missing",
        MCPM25,
    );
}

#[test]
fn u_inpatient_fl_16_discharge_hour_required_when_discharged() {
    let mut u = inpatient();
    u.discharge_hour = None;
    error_u(u, "FL 16", "discharge hour", "MCPM ch.25 §75.2");
    let mut u = inpatient();
    u.discharge_hour = None;
    u.discharge_status = "30".into();
    assert_eq!(scrub_u(u), Vec::new());
}

#[test]
fn u_inpatient_fl_17_status_required() {
    let mut u = inpatient();
    u.discharge_status = String::new();
    error_u(u, "FL 17", "patient discharge status is missing", MCPM25);
}

#[test]
fn u_fl_17_status_two_digits() {
    let mut u = inpatient();
    u.discharge_status = "1".into();
    error_u(
        u,
        "FL 17",
        "discharge status \"1\" is not a two-digit code",
        MCPM25,
    );
}

#[test]
fn u_fl_17_hospice_death_status_only_on_hospice_claims() {
    let mut u = inpatient();
    u.discharge_status = "41".into();
    error_u(
        u,
        "FL 17",
        "discharge status 41 (expired, hospice) is used only on hospice claims",
        "MCPM ch.11",
    );
}

#[test]
fn u_fl_18_28_at_most_11_condition_codes() {
    let mut u = inpatient();
    u.condition_codes = vec!["02".to_string(); 12];
    error_u(
        u,
        "FL 18",
        "12 condition codes (FL 18-28): the form holds at most 11",
        MCPM25,
    );
}

// ---- UB-04: revenue lines -----------------------------------------------------------------

#[test]
fn u_fl_42_revenue_code_four_digits() {
    let mut u = inpatient();
    u.lines[1].revenue_code = "250".into();
    let findings = scrub_u(u);
    is(
        &findings[0],
        "FL 42 line 2",
        Severity::Error,
        "revenue code \"250\" is not four digits",
        MCPM25,
    );
}

#[test]
fn u_fl_42_revenue_codes_ascending() {
    let mut u = inpatient();
    u.lines.swap(1, 2);
    error_u(
        u,
        "FL 42 line 3",
        "revenue code 0250 follows 0300",
        "ascending order",
    );
}

#[test]
fn u_fl_42_total_line_last() {
    let mut u = inpatient();
    let total = u.lines.pop().unwrap();
    u.lines.insert(0, total);
    error_u(
        u,
        "FL 42 line 1",
        "the 0001 total line must be the last line",
        MCPM25,
    );
}

#[test]
fn u_fl_42_total_line_required() {
    let mut u = inpatient();
    u.lines.pop();
    error_u(u, "FL 42", "0001 total charges line is missing", "0001");
}

#[test]
fn u_fl_42_a_revenue_line_required() {
    let mut u = inpatient();
    u.lines.retain(|l| l.revenue_code == "0001");
    u.lines[0].total_cents = Some(0);
    error_u(u, "FL 42", "revenue line is missing", MCPM25);
}

#[test]
fn u_fl_47_line_total_required() {
    let mut u = inpatient();
    u.lines[1].total_cents = None;
    u.lines[5].total_cents = Some(1_649_000 - 61_000);
    error_u(u, "FL 47 line 2", "total charges is missing", MCPM25);
}

#[test]
fn u_fl_47_total_line_is_the_sum_of_the_lines() {
    let mut u = inpatient();
    u.lines[5].total_cents = Some(1_649_001);
    error_u(
        u,
        "FL 47 line 6",
        "0001 total $16490.01 is not the sum of the lines, $16490.00",
        "0001",
    );
}

#[test]
fn u_fl_45_line_date_inside_the_statement_period() {
    let mut u = inpatient();
    u.lines[3].service_date = Some(date("2026-02-13"));
    error_u(
        u,
        "FL 45 line 4",
        "service date 2026-02-13 is outside the statement period 2026-02-10 to 2026-02-12",
        "FL 6",
    );
}

fn outpatient() -> Ub04 {
    let mut u = inpatient();
    u.type_of_bill = "0131".into();
    u.statement_through = u.statement_from;
    u.admission_type = String::new();
    u.point_of_origin = String::new();
    u.discharge_hour = None;
    u.principal_procedure = None;
    u.operating_npi = String::new();
    u.lines = vec![
        InstitutionalLine {
            revenue_code: "0510".into(),
            description: "CLINIC".into(),
            hcpcs: "G0463".into(),
            service_date: u.statement_from,
            units: Some(1),
            total_cents: Some(21_000),
            ..InstitutionalLine::default()
        },
        InstitutionalLine {
            revenue_code: "0001".into(),
            description: "TOTAL CHARGES".into(),
            total_cents: Some(21_000),
            ..InstitutionalLine::default()
        },
    ];
    u
}

#[test]
fn u_outpatient_clean_variant_has_no_findings() {
    assert_eq!(scrub_u(outpatient()), Vec::new());
}

#[test]
fn u_outpatient_line_needs_hcpcs() {
    let mut u = outpatient();
    u.lines[0].hcpcs = String::new();
    error_u(
        u,
        "FL 44 line 1",
        "HCPCS code (outpatient 013x line) is missing",
        "MCPM ch.25 §75.4",
    );
}

#[test]
fn u_outpatient_line_needs_a_date() {
    let mut u = outpatient();
    u.lines[0].service_date = None;
    error_u(
        u,
        "FL 45 line 1",
        "service date (outpatient 013x line) is missing",
        "MCPM ch.25 §75.4",
    );
}

// ---- UB-04: providers ---------------------------------------------------------------------

#[test]
fn u_fl_56_billing_npi_required_and_checked() {
    let mut u = inpatient();
    u.billing_npi = String::new();
    error_u(u, "FL 56", "billing provider NPI is missing", MCPM25);
    let mut u = inpatient();
    u.billing_npi = "1567890120".into();
    error_u(
        u,
        "FL 56",
        "invalid NPI: 1567890120 fails the check digit",
        NPI_RULE,
    );
}

#[test]
fn u_fl_60_insured_id_required() {
    let mut u = inpatient();
    u.insured_id = String::new();
    error_u(u, "FL 60", "insured's unique ID is missing", MCPM25);
}

#[test]
fn u_fl_76_attending_npi_required_and_checked() {
    let mut u = inpatient();
    u.attending_npi = String::new();
    error_u(
        u,
        "FL 76",
        "attending provider NPI is missing",
        "MCPM ch.25 §75.5",
    );
    let mut u = inpatient();
    u.attending_npi = "145678901A".into();
    error_u(
        u,
        "FL 76",
        "invalid NPI: \"145678901A\" is not 10 digits",
        NPI_RULE,
    );
}

#[test]
fn u_fl_77_operating_npi_checked() {
    let mut u = inpatient();
    u.operating_npi = "1765432100".into();
    error_u(
        u,
        "FL 77",
        "invalid NPI: 1765432100 fails the check digit",
        NPI_RULE,
    );
}

#[test]
fn u_fl_77_blank_with_a_procedure_is_a_warning() {
    let mut u = inpatient();
    u.operating_npi = String::new();
    warning_u(
        u,
        "FL 77",
        "operating physician NPI is blank",
        "MCPM ch.25 §75.5",
    );
}

// ---- UB-04: diagnoses ---------------------------------------------------------------------

#[test]
fn u_fl_66_qualifier_required() {
    let mut u = inpatient();
    u.dx_qualifier = String::new();
    error_u(
        u,
        "FL 66",
        "diagnosis code qualifier (0 = ICD-10) is missing",
        MCPM25,
    );
}

#[test]
fn u_fl_66_qualifier_0_with_icd10_codes() {
    let mut u = inpatient();
    u.dx_qualifier = "9".into();
    error_u(u, "FL 66", "qualifier \"9\" with ICD-10-CM codes", MCPM25);
}

#[test]
fn u_fl_67_principal_required() {
    let mut u = inpatient();
    u.principal = None;
    error_u(
        u,
        "FL 67",
        "principal diagnosis is missing",
        "MCPM ch.25 §75.5",
    );
}

#[test]
fn u_fl_67_unknown_code() {
    let mut u = inpatient();
    u.principal = Some(DiagnosisPoa {
        code: "K35.8".into(),
        poa: "Y".into(),
    });
    error_u(
        u,
        "FL 67",
        "K35.8 is a header code",
        "MCE invalid diagnosis code",
    );
}

fn with_principal(code: &str) -> Ub04 {
    let mut u = inpatient();
    u.principal = Some(DiagnosisPoa {
        code: code.into(),
        poa: "Y".into(),
    });
    u
}

#[test]
fn u_fl_67_manifestation_principal() {
    error_u(
        with_principal("G01"),
        "FL 67",
        "manifestation code as principal diagnosis: G01",
        "MCE",
    );
}

#[test]
fn u_fl_67_external_cause_principal() {
    error_u(
        with_principal("W19.XXXA"),
        "FL 67",
        "external cause code as principal diagnosis: W19.XXXA",
        "MCE",
    );
}

#[test]
fn u_fl_67_unacceptable_principal() {
    error_u(
        with_principal("Z37.0"),
        "FL 67",
        "unacceptable principal diagnosis: Z37.0: an outcome-of-delivery code",
        "MCE",
    );
    error_u(
        with_principal("Z79.4"),
        "FL 67",
        "unacceptable principal diagnosis: Z79.4",
        "MCE",
    );
    // The MCE list is for inpatient claims: an outpatient claim is not held to it.
    let mut u = outpatient();
    u.principal = Some(DiagnosisPoa {
        code: "Z79.4".into(),
        poa: String::new(),
    });
    assert_eq!(scrub_u(u), Vec::new());
}

#[test]
fn u_fl_67_maternity_age_conflict() {
    let mut u = with_principal("O80");
    u.birth_date = Some(date("1950-01-01"));
    error_u(
        u,
        "FL 67",
        "age conflict: maternity code O80 with age 76",
        "MCE",
    );
}

#[test]
fn u_fl_67_newborn_age_conflict() {
    error_u(
        with_principal("P07.39"),
        "FL 67",
        "age conflict: perinatal code P0739 with age 45",
        "MCE",
    );
}

#[test]
fn u_fl_67a_secondary_duplicates_principal() {
    let mut u = inpatient();
    u.other_diagnoses[0] = DiagnosisPoa {
        code: "K3580".into(),
        poa: "Y".into(),
    };
    error_u(
        u,
        "FL 67A",
        "secondary diagnosis K3580 duplicates the principal diagnosis",
        "I.B.12",
    );
}

#[test]
fn u_fl_67a_unknown_code() {
    let mut u = inpatient();
    u.other_diagnoses[1].code = "I10.0".into();
    error_u(
        u,
        "FL 67B",
        "I10.0 is not an ICD-10-CM FY2026 code",
        "ICD-10-CM Official Guidelines I.B.1",
    );
}

#[test]
fn u_fl_67a_q_at_most_24_other_diagnoses() {
    let mut u = inpatient();
    u.other_diagnoses = vec![
        DiagnosisPoa {
            code: "I10".into(),
            poa: "Y".into(),
        };
        25
    ];
    error_u(
        u,
        "FL 67A-Q",
        "25 other diagnoses: an 837I claim holds at most 24",
        MCPM25,
    );
}

#[test]
fn u_inpatient_poa_missing() {
    let mut u = inpatient();
    u.other_diagnoses[0].poa = String::new();
    error_u(
        u,
        "FL 67A POA",
        "POA indicator is missing for E11.9",
        "Appendix I",
    );
    let mut u = inpatient();
    if let Some(p) = u.principal.as_mut() {
        p.poa = String::new();
    }
    error_u(
        u,
        "FL 67 POA",
        "POA indicator is missing for K35.80",
        "Appendix I",
    );
}

#[test]
fn u_inpatient_poa_invalid_value() {
    let mut u = inpatient();
    u.other_diagnoses[1].poa = "X".into();
    error_u(
        u,
        "FL 67B POA",
        "POA indicator \"X\" for I10 is not Y, N, U or W",
        "Appendix I",
    );
}

#[test]
fn u_inpatient_poa_1_is_a_warning() {
    let mut u = inpatient();
    u.other_diagnoses[1].poa = "1".into();
    warning_u(
        u,
        "FL 67B POA",
        "POA indicator \"1\" for I10",
        "X12 5010 837I",
    );
}

#[test]
fn u_inpatient_fl_69_admitting_dx_required() {
    let mut u = inpatient();
    u.admitting_dx = String::new();
    error_u(
        u,
        "FL 69",
        "admitting diagnosis (inpatient claim) is missing",
        "MCPM ch.25 §75.5",
    );
}

#[test]
fn u_fl_69_admitting_dx_must_be_a_code() {
    let mut u = inpatient();
    u.admitting_dx = "ABDOMINAL PAIN".into();
    error_u(
        u,
        "FL 69",
        "ABDOMINAL PAIN is not an ICD-10-CM FY2026 code",
        "I.B.1",
    );
}

// ---- UB-04: procedures --------------------------------------------------------------------

#[test]
fn u_fl_74_procedure_format() {
    let mut u = inpatient();
    u.principal_procedure = Some(Procedure {
        code: "0DT.J4ZZ".into(),
        date: Some(date("2026-02-10")),
    });
    error_u(
        u,
        "FL 74",
        "\"0DT.J4ZZ\" is not an ICD-10-PCS code",
        "ICD-10-PCS Official Guidelines",
    );
}

#[test]
fn u_fl_74_procedure_not_in_the_code_set_is_a_warning() {
    let mut u = inpatient();
    u.principal_procedure = Some(Procedure {
        code: "ZZZZZZZ".into(),
        date: Some(date("2026-02-10")),
    });
    warning_u(
        u,
        "FL 74",
        "ZZZZZZZ is not in the shipped ICD-10-PCS code set",
        "ICD-10-PCS",
    );
}

#[test]
fn u_inpatient_fl_74_procedure_date_required() {
    let mut u = inpatient();
    u.other_procedures = vec![Procedure {
        code: "0DTJ4ZZ".into(),
        date: None,
    }];
    error_u(
        u,
        "FL 74a",
        "date of procedure 0DTJ4ZZ is missing",
        "MCPM ch.25 §75.5",
    );
}

#[test]
fn u_fl_74a_e_at_most_5_other_procedures() {
    let mut u = inpatient();
    u.other_procedures = vec![
        Procedure {
            code: "0DTJ4ZZ".into(),
            date: Some(date("2026-02-10")),
        };
        6
    ];
    error_u(
        u,
        "FL 74a-e",
        "6 other procedures: FL 74a-e holds at most 5",
        MCPM25,
    );
}

// ---- hospice ------------------------------------------------------------------------------

fn hospice_line(rev: &str, hcpcs: &str, day: &str, units: u32) -> InstitutionalLine {
    InstitutionalLine {
        revenue_code: rev.into(),
        hcpcs: hcpcs.into(),
        service_date: Some(date(day)),
        units: Some(units),
        total_cents: Some(0),
        ..InstitutionalLine::default()
    }
}

/// Inserts a line before the 0001 total line (the hospice fixture's lines are in order).
fn insert_sorted(u: &mut Ub04, line: InstitutionalLine) {
    let at = u
        .lines
        .iter()
        .position(|l| {
            l.revenue_code.as_str() > line.revenue_code.as_str() || l.revenue_code == "0001"
        })
        .unwrap_or(u.lines.len());
    u.lines.insert(at, line);
}

#[test]
fn h_statement_period_within_one_month() {
    let mut u = hospice();
    u.statement_through = Some(date("2026-04-02"));
    error_u(
        u,
        "FL 6",
        "hospice statement period 2026-03-05 to 2026-04-02 crosses a calendar month",
        "MCPM ch.11 §90",
    );
}

#[test]
fn h_death_status_needs_occurrence_code_55() {
    let mut u = hospice();
    u.discharge_status = "40".into();
    error_u(
        u,
        "FL 31-34",
        "discharge status 40 (expired) without occurrence code 55",
        "MCPM ch.11 §30.3",
    );
    let mut u = hospice();
    u.discharge_status = "40".into();
    u.occurrences.push(Occurrence {
        code: "55".into(),
        date: date("2026-03-31"),
    });
    assert_eq!(scrub_u(u), Vec::new());
}

#[test]
fn h_occurrence_code_42_not_with_a_transfer() {
    let mut u = hospice();
    u.discharge_status = "50".into();
    u.occurrences.push(Occurrence {
        code: "42".into(),
        date: date("2026-03-31"),
    });
    error_u(
        u,
        "FL 31-34",
        "occurrence code 42 with discharge status 50",
        "CR 7677",
    );
}

#[test]
fn h_continuous_home_care_under_32_units_is_a_warning() {
    let mut u = hospice();
    insert_sorted(&mut u, hospice_line("0652", "Q5001", "2026-03-20", 20));
    warning_u(
        u,
        "FL 46 line 6",
        "continuous home care with 20 units",
        "42 CFR 418.204(a)",
    );
    let mut u = hospice();
    insert_sorted(&mut u, hospice_line("0652", "Q5001", "2026-03-20", 32));
    assert_eq!(scrub_u(u), Vec::new());
}

#[test]
fn h_respite_over_5_consecutive_days_is_a_warning() {
    let mut u = hospice();
    insert_sorted(&mut u, hospice_line("0655", "Q5006", "2026-03-20", 6));
    warning_u(
        u,
        "FL 46 line 6",
        "inpatient respite reaches 2026-03-25, its sixth consecutive day",
        "42 CFR 418.204(b)",
    );
    // Two stays of 3 and 3 days with a day between them are not consecutive.
    let mut u = hospice();
    insert_sorted(&mut u, hospice_line("0655", "Q5006", "2026-03-10", 3));
    insert_sorted(&mut u, hospice_line("0655", "Q5006", "2026-03-14", 3));
    assert_eq!(scrub_u(u), Vec::new());
}

#[test]
fn h_visit_line_needs_its_g_code() {
    let mut u = hospice();
    u.lines[0].hcpcs = "G0154".into();
    error_u(
        u,
        "FL 44 line 1",
        "visit line 0551 has HCPCS \"G0154\": use G0299 or G0300",
        "MCPM ch.11 §30.3",
    );
    let mut u = hospice();
    u.lines[2].hcpcs = "G0156".into();
    error_u(
        u,
        "FL 44 line 3",
        "visit line 0561 has HCPCS \"G0156\": use G0155",
        "MCPM ch.11 §30.3",
    );
}

#[test]
fn h_day_units_not_more_than_the_days_of_the_period() {
    let mut u = hospice();
    u.lines[4].units = Some(28);
    error_u(
        u,
        "FL 46 line 5",
        "0651 has 28 units but the statement period has 27 days",
        "MCPM ch.11 §30.3",
    );
}

#[test]
fn h_level_of_care_line_needs_a_site_code() {
    let mut u = hospice();
    u.lines[4].hcpcs = String::new();
    error_u(
        u,
        "FL 44 line 5",
        "level-of-care line 0651 has HCPCS \"\": enter the site-of-service code Q5001-Q5010",
        "MCPM ch.11 §30.3",
    );
}

#[test]
fn h_start_of_care_and_status_required() {
    let mut u = hospice();
    u.admission_date = None;
    error_u(
        u,
        "FL 12",
        "admission/start-of-care date is missing",
        MCPM25,
    );
    let mut u = hospice();
    u.discharge_status = String::new();
    error_u(u, "FL 17", "patient discharge status is missing", MCPM25);
}

#[test]
fn h_notice_of_election_has_no_lines() {
    let mut u = hospice();
    u.type_of_bill = "081A".into();
    u.lines.clear();
    u.statement_through = u.statement_from;
    u.attending_npi = String::new();
    assert_eq!(scrub_u(u), Vec::new());
}

// ---- the command line ---------------------------------------------------------------------

fn run(args: &[&str]) -> std::process::Output {
    ehr_sim_command()
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn cli_clean_claim_exits_0() {
    let out = run(&[
        "claim",
        "check",
        "tests/fixtures/claims/inpatient_clean.ron",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "no findings: the claim passes every edit\n"
    );
}

#[test]
fn cli_an_error_exits_1_and_prints_locator_severity_message_rule() {
    let dir = tempfile::tempdir().unwrap();
    let mut c = professional();
    c.lines[1].pointers = "AB".into();
    let path = dir.path().join("claim.json");
    let json = serde_json::to_string(&Claim::Professional(Box::new(c))).unwrap();
    std::fs::write(&path, json).unwrap();
    let out = run(&["claim", "check", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.starts_with(
            "Item 24E line 2  ERROR    2 pointers (\"AB\"): Medicare takes one pointer per line"
        ),
        "{stdout}"
    );
    assert!(stdout.contains("(MCPM ch.26 §10, item 24E"), "{stdout}");
    assert!(stdout.ends_with("1 error(s), 0 warning(s)\n"), "{stdout}");
}

#[test]
fn cli_warnings_only_exit_0() {
    let dir = tempfile::tempdir().unwrap();
    let mut u = inpatient();
    u.other_diagnoses[1].poa = "1".into();
    let path = dir.path().join("claim.ron");
    let ron = ron::ser::to_string(&Claim::Institutional(Box::new(u))).unwrap();
    std::fs::write(&path, ron).unwrap();
    let out = run(&["claim", "check", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("FL 67B POA  WARNING"));
}

#[test]
fn cli_json_prints_the_findings_array() {
    let dir = tempfile::tempdir().unwrap();
    let mut u = hospice();
    u.discharge_status = "40".into();
    let path = dir.path().join("claim.json");
    std::fs::write(
        &path,
        serde_json::to_string(&Claim::Institutional(Box::new(u))).unwrap(),
    )
    .unwrap();
    let out = run(&["claim", "check", path.to_str().unwrap(), "--json"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let array = value.as_array().unwrap();
    assert_eq!(array.len(), 1);
    assert_eq!(array[0]["locator"], "FL 31-34");
    assert_eq!(array[0]["severity"], "error");
    assert!(array[0]["rule"].as_str().unwrap().contains("MCPM ch.11"));
    let clean = run(&[
        "claim",
        "check",
        "tests/fixtures/claims/hospice_month_clean.ron",
        "--json",
    ]);
    assert_eq!(clean.status.code(), Some(0));
    assert_eq!(text(&clean.stdout).trim(), "[]");
}

#[test]
fn cli_unparsable_unreadable_or_too_large_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.ron");
    std::fs::write(&bad, "Institutional((\n    type_of_bil: \"0111\",\n))").unwrap();
    let out = run(&["claim", "check", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("bad.ron:2:"), "{stderr}");
    assert!(stderr.contains("type_of_bil"), "{stderr}");
    assert!(stderr.contains("did you mean `type_of_bill`"), "{stderr}");
    let missing = dir.path().join("none.ron");
    let out = run(&["claim", "check", missing.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("cannot read the claim file"));
    let big = dir.path().join("big.json");
    std::fs::write(&big, " ".repeat(ehr_sim::tasks::MAX_ANSWER_BYTES + 1)).unwrap();
    let out = run(&["claim", "check", big.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("a claim file is at most"));
}
