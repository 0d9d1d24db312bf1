//! Edits on the UB-04 (CMS-1450): required form locators by type of bill, the statement
//! period, revenue lines and the 0001 total, NPIs, diagnoses with POA, procedures.

use super::{Findings, diagnoses, digits, hospice, letter, line_no};
use crate::tasks::claims::model::{DiagnosisPoa, Ub04};
use crate::terminology::{self, System};

/// Order of a form locator (and a sub-position) in the form.
pub(super) fn at(fl: u32, sub: u32) -> u32 {
    fl * 10_000 + sub
}

/// Order of a line's form locator (42-48).
pub(super) fn at_line(fl: u32, index: usize) -> u32 {
    at(42, line_no(index) * 10 + (fl - 42))
}

/// The Medicare manual section of a form locator.
pub(super) fn rule(fl: &str) -> String {
    let n: u32 = fl
        .chars()
        .take_while(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .unwrap_or(0);
    let section = match n {
        0..=15 => "75.1",
        16..=30 => "75.2",
        31..=41 => "75.3",
        42..=65 => "75.4",
        _ => "75.5",
    };
    format!("MCPM ch.25 §{section} (UB-04/CMS-1450 FL {fl})")
}

const RULE_POA: &str = "ICD-10-CM Official Guidelines Appendix I (Present on Admission Reporting Guidelines: POA for every diagnosis of an inpatient claim, Y, N, U or W, blank only for exempt codes); CMS HAC-POA program (Deficit Reduction Act of 2005 §5001(c))";
const RULE_POA_ONE: &str = "X12 5010 837I (POA values Y, N, U, W; \"1\" was the 4010A stand-in for an exempt code, leave it blank); ICD-10-CM Official Guidelines Appendix I";
const RULE_DUPLICATE: &str = "ICD-10-CM Official Guidelines I.B.12 (each code once); Medicare Code Editor (MCE) duplicate of principal diagnosis";
const RULE_TOTAL_LINE: &str = "MCPM ch.25 §75.4 (FL 42 revenue code 0001 is the total line; its FL 47 is the sum of the lines)";
const RULE_ASCENDING: &str =
    "MCPM ch.25 §75.4 (FL 42: revenue codes in ascending order, 0001 last)";
const RULE_PERIOD: &str =
    "MCPM ch.25 §75.1 (FL 6 statement covers period) and §75.4 (FL 45: every line date within it)";
const RULE_HOSPICE_STATUS: &str = "NUBC patient discharge status 40/41/42 (expired at home, in a medical facility, place unknown) are for hospice claims only; MCPM ch.11 §30.3";

/// The most other diagnoses of an 837I claim (FL 67A-Q prints 17).
const MAX_OTHER_DX: usize = 24;
/// The most other procedures (FL 74a-e).
const MAX_OTHER_PROCEDURES: usize = 5;

/// Every UB-04 edit.
pub(super) fn check(u: &Ub04, out: &mut Findings) {
    header(u, out);
    codes_counts(u, out);
    lines(u, out);
    providers(u, out);
    diagnosis_list(u, out);
    procedures(u, out);
    if u.is_hospice() {
        hospice::check(u, out);
    }
}

/// FL 4-17.
fn header(u: &Ub04, out: &mut Findings) {
    let tob = u.type_of_bill.trim();
    if tob.is_empty() {
        out.missing(at(4, 0), "FL 4", "type of bill", &rule("4"));
    } else if !(tob.len() == 4
        && tob.is_ascii()
        && tob.starts_with('0')
        && tob[1..3].bytes().all(|b| b.is_ascii_digit())
        && tob[3..].bytes().all(|b| b.is_ascii_alphanumeric()))
    {
        out.error(at(4, 0), "FL 4", format!("type of bill \"{tob}\" is not 4 characters: a leading 0, facility type, care type, frequency (e.g. 0111)"), &rule("4"));
    }
    match (u.statement_from, u.statement_through) {
        (Some(from), Some(through)) if through < from => out.error(
            at(6, 0),
            "FL 6",
            format!("statement period ends {through}, before it starts {from}"),
            RULE_PERIOD,
        ),
        (Some(_), Some(_)) => {}
        _ => out.missing(
            at(6, 0),
            "FL 6",
            "statement covers period (from and through)",
            &rule("6"),
        ),
    }
    if u.patient_name.trim().is_empty() {
        out.missing(at(8, 0), "FL 8", "patient name", &rule("8"));
    }
    if u.birth_date.is_none() {
        out.missing(at(10, 0), "FL 10", "patient birth date", &rule("10"));
    }
    if u.sex.is_none() {
        out.missing(at(11, 0), "FL 11", "patient sex", &rule("11"));
    }
    let admitted = u.is_inpatient() || (u.is_hospice() && !u.is_hospice_notice());
    if admitted && u.admission_date.is_none() {
        out.missing(
            at(12, 0),
            "FL 12",
            "admission/start-of-care date",
            &rule("12"),
        );
    }
    if u.is_inpatient() {
        if u.admission_type.trim().is_empty() {
            out.missing(
                at(14, 0),
                "FL 14",
                "priority (type) of admission",
                &rule("14"),
            );
        }
        if u.point_of_origin.trim().is_empty() {
            out.missing(
                at(15, 0),
                "FL 15",
                "point of origin for admission",
                &rule("15"),
            );
        }
        if u.discharge_hour.is_none()
            && !u.discharge_status.trim().is_empty()
            && u.discharge_status.trim() != "30"
        {
            out.missing(
                at(16, 0),
                "FL 16",
                "discharge hour (the patient was discharged)",
                &rule("16"),
            );
        }
    }
    status(u, admitted, out);
}

/// FL 17.
fn status(u: &Ub04, admitted: bool, out: &mut Findings) {
    let status = u.discharge_status.trim();
    if status.is_empty() {
        if admitted {
            out.missing(at(17, 0), "FL 17", "patient discharge status", &rule("17"));
        }
        return;
    }
    if !digits(status, 2) {
        out.error(
            at(17, 0),
            "FL 17",
            format!("discharge status \"{status}\" is not a two-digit code"),
            &rule("17"),
        );
    } else if matches!(status, "40" | "41" | "42") && !u.is_hospice() {
        out.error(at(17, 0), "FL 17", format!("discharge status {status} (expired, hospice) is used only on hospice claims (081x/082x); use 20 for a death on another claim"), RULE_HOSPICE_STATUS);
    }
}

/// FL 18-41: how many codes the form holds.
fn codes_counts(u: &Ub04, out: &mut Findings) {
    for (n, max, fl, what) in [
        (
            u.condition_codes.len(),
            11,
            18,
            "condition codes (FL 18-28)",
        ),
        (u.occurrences.len(), 8, 31, "occurrence codes (FL 31-34)"),
        (
            u.occurrence_spans.len(),
            4,
            35,
            "occurrence span codes (FL 35-36)",
        ),
        (u.value_codes.len(), 12, 39, "value codes (FL 39-41)"),
    ] {
        if n > max {
            out.error(
                at(fl, 0),
                format!("FL {fl}"),
                format!("{n} {what}: the form holds at most {max}"),
                &rule(&fl.to_string()),
            );
        }
    }
}

/// FL 42-48: lines, order, dates, the 0001 total.
fn lines(u: &Ub04, out: &mut Findings) {
    if u.is_hospice_notice() {
        return;
    }
    let total_at = u.lines.iter().position(|l| l.revenue_code.trim() == "0001");
    if u.lines.iter().all(|l| l.revenue_code.trim() == "0001") {
        out.missing(at(42, 0), "FL 42", "revenue line", &rule("42"));
    }
    let mut previous: Option<&str> = None;
    let mut sum: u64 = 0;
    for (i, line) in u.lines.iter().enumerate() {
        let n = line_no(i);
        let rev = line.revenue_code.trim();
        if !digits(rev, 4) {
            out.error(
                at_line(42, i),
                format!("FL 42 line {n}"),
                format!("revenue code \"{rev}\" is not four digits"),
                &rule("42"),
            );
        }
        if rev == "0001" {
            if i + 1 != u.lines.len() {
                out.error(
                    at_line(42, i),
                    format!("FL 42 line {n}"),
                    "the 0001 total line must be the last line",
                    RULE_ASCENDING,
                );
            }
            continue;
        }
        if let Some(p) = previous.filter(|p| rev < *p) {
            out.error(
                at_line(42, i),
                format!("FL 42 line {n}"),
                format!("revenue code {rev} follows {p}: list revenue codes in ascending order"),
                RULE_ASCENDING,
            );
        }
        previous = Some(rev);
        match line.total_cents {
            Some(t) => sum += t,
            None => out.missing(
                at_line(47, i),
                &format!("FL 47 line {n}"),
                "total charges",
                &rule("47"),
            ),
        }
        if u.is_outpatient() && line.hcpcs.trim().is_empty() {
            out.missing(
                at_line(44, i),
                &format!("FL 44 line {n}"),
                "HCPCS code (outpatient 013x line)",
                &rule("44"),
            );
        }
        line_date(u, i, line.service_date, out);
    }
    match total_at.map(|i| (i, u.lines.get(i).and_then(|l| l.total_cents))) {
        None => out.missing(
            at(42, 9_000),
            "FL 42",
            "0001 total charges line",
            RULE_TOTAL_LINE,
        ),
        Some((i, None)) => out.missing(
            at_line(47, i),
            &format!("FL 47 line {}", line_no(i)),
            "total of the 0001 line",
            RULE_TOTAL_LINE,
        ),
        Some((i, Some(total))) if total != sum => out.error(
            at_line(47, i),
            format!("FL 47 line {}", line_no(i)),
            format!(
                "0001 total {} is not the sum of the lines, {}",
                super::professional::money(total),
                super::professional::money(sum)
            ),
            RULE_TOTAL_LINE,
        ),
        Some(_) => {}
    }
}

/// FL 45 of one line: required on 013x, within FL 6 when given.
fn line_date(u: &Ub04, i: usize, date: Option<chrono::NaiveDate>, out: &mut Findings) {
    let n = line_no(i);
    match date {
        None if u.is_outpatient() => out.missing(
            at_line(45, i),
            &format!("FL 45 line {n}"),
            "service date (outpatient 013x line)",
            &rule("45"),
        ),
        None => {}
        Some(d) => {
            if let (Some(from), Some(through)) = (u.statement_from, u.statement_through)
                && (d < from || d > through)
            {
                out.error(
                    at_line(45, i),
                    format!("FL 45 line {n}"),
                    format!("service date {d} is outside the statement period {from} to {through}"),
                    RULE_PERIOD,
                );
            }
        }
    }
}

/// FL 56, 60, 76, 77.
fn providers(u: &Ub04, out: &mut Findings) {
    out.npi(
        at(56, 0),
        "FL 56",
        &u.billing_npi,
        Some(("billing provider NPI", &rule("56"))),
    );
    if u.insured_id.trim().is_empty() {
        out.missing(at(60, 0), "FL 60", "insured's unique ID", &rule("60"));
    }
    let attending = (!u.is_hospice_notice()).then(|| ("attending provider NPI", rule("76")));
    out.npi(
        at(76, 0),
        "FL 76",
        &u.attending_npi,
        attending.as_ref().map(|(w, r)| (*w, r.as_str())),
    );
    out.npi(at(77, 0), "FL 77", &u.operating_npi, None);
}

/// FL 66, 67, 67A-Q, 69.
fn diagnosis_list(u: &Ub04, out: &mut Findings) {
    let qualifier = u.dx_qualifier.trim();
    if qualifier.is_empty() {
        out.missing(
            at(66, 0),
            "FL 66",
            "diagnosis code qualifier (0 = ICD-10)",
            &rule("66"),
        );
    } else if qualifier != "0" {
        out.error(
            at(66, 0),
            "FL 66",
            format!("qualifier \"{qualifier}\" with ICD-10-CM codes: enter 0 (ICD-10)"),
            &rule("66"),
        );
    }
    let age = u
        .birth_date
        .zip(u.admission_date.or(u.statement_from))
        .and_then(|(b, d)| super::age_on(b, d));
    let principal = u.principal.as_ref().filter(|p| !p.code.trim().is_empty());
    match principal {
        None => out.missing(at(67, 0), "FL 67", "principal diagnosis", &rule("67")),
        Some(p) => {
            if diagnoses::valid(out, at(67, 0), "FL 67", &p.code) {
                diagnoses::principal(out, at(67, 0), "FL 67", &p.code, u.is_inpatient(), age);
            }
            poa(u, p, at(67, 0), "FL 67", out);
        }
    }
    if u.other_diagnoses.len() > MAX_OTHER_DX {
        out.error(
            at(67, 100),
            "FL 67A-Q",
            format!(
                "{} other diagnoses: an 837I claim holds at most 24",
                u.other_diagnoses.len()
            ),
            &rule("67A-Q"),
        );
    }
    let pdx = principal.map(|p| diagnoses::key(&p.code));
    for (i, d) in u.other_diagnoses.iter().enumerate() {
        let order = at(67, line_no(i));
        let locator = if i < 17 {
            format!("FL 67{}", letter(i))
        } else {
            format!("FL 67 other diagnosis {}", i + 1)
        };
        if diagnoses::valid(out, order, &locator, &d.code)
            && pdx.as_deref() == Some(diagnoses::key(&d.code).as_str())
        {
            out.error(order, &locator, format!("secondary diagnosis {} duplicates the principal diagnosis: report it once, in FL 67", d.code.trim()), RULE_DUPLICATE);
        }
        poa(u, d, order, &locator, out);
    }
    let admitting = u.admitting_dx.trim();
    if admitting.is_empty() {
        if u.is_inpatient() {
            out.missing(
                at(69, 0),
                "FL 69",
                "admitting diagnosis (inpatient claim)",
                &rule("69"),
            );
        }
    } else {
        diagnoses::valid(out, at(69, 0), "FL 69", admitting);
    }
}

/// The POA indicator of one diagnosis on an inpatient claim.
fn poa(u: &Ub04, d: &DiagnosisPoa, order: u32, locator: &str, out: &mut Findings) {
    if !u.is_inpatient() {
        return;
    }
    let code = d.code.trim();
    match d.poa.trim().to_ascii_uppercase().as_str() {
        "Y" | "N" | "U" | "W" => {}
        "" => out.error(order, format!("{locator} POA"), format!("POA indicator is missing for {code}: enter Y, N, U or W"), RULE_POA),
        "1" => out.warning(order, format!("{locator} POA"), format!("POA indicator \"1\" for {code}: the 5010 837I takes Y, N, U or W; leave it blank only for an exempt code"), RULE_POA_ONE),
        other => out.error(order, format!("{locator} POA"), format!("POA indicator \"{other}\" for {code} is not Y, N, U or W"), RULE_POA),
    }
}

/// FL 74, 74a-e, and FL 77 when a procedure is coded.
fn procedures(u: &Ub04, out: &mut Findings) {
    if u.other_procedures.len() > MAX_OTHER_PROCEDURES {
        out.error(
            at(74, 100),
            "FL 74a-e",
            format!(
                "{} other procedures: FL 74a-e holds at most 5",
                u.other_procedures.len()
            ),
            &rule("74a-e"),
        );
    }
    let all = u
        .principal_procedure
        .iter()
        .chain(u.other_procedures.iter());
    for (i, p) in all.enumerate() {
        let locator = if i == 0 && u.principal_procedure.is_some() {
            "FL 74".to_string()
        } else {
            let k = if u.principal_procedure.is_some() {
                i - 1
            } else {
                i
            };
            format!("FL 74{}", letter(k).to_ascii_lowercase())
        };
        let order = at(74, line_no(i));
        let code = p.code.trim().to_ascii_uppercase();
        if code.len() != 7 || !code.bytes().all(|b| b.is_ascii_alphanumeric()) {
            out.error(order, &locator, format!("\"{}\" is not an ICD-10-PCS code: 7 letters or digits, no dot", p.code.trim()), "ICD-10-PCS Official Guidelines A.1-A.2 (seven characters); MCPM ch.25 §75.5 (FL 74)");
        } else if terminology::lookup(System::Icd10Pcs, &code).is_none_or(|e| !e.is_code()) {
            out.warning(order, &locator, format!("{code} is not in the shipped ICD-10-PCS code set: check that it is valid on the date of the procedure"), "ICD-10-PCS code set in effect on the date of service; MCE invalid procedure code edit");
        }
        if u.is_inpatient() && p.date.is_none() {
            out.missing(
                order,
                &locator,
                &format!("date of procedure {code}"),
                &rule("74"),
            );
        }
    }
    if (u.principal_procedure.is_some() || !u.other_procedures.is_empty())
        && u.operating_npi.trim().is_empty()
    {
        out.warning(
            at(77, 0),
            "FL 77",
            "operating physician NPI is blank: it is required when a surgical procedure is coded",
            &rule("77"),
        );
    }
}
