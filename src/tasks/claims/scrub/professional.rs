//! Edits on the CMS-1500 (02/12): required items, qualifiers, item 21 diagnoses and their
//! indicator, item 24 lines and their diagnosis pointers, item 28 total, NPIs.

use super::{Findings, diagnoses, digits, letter, line_no};
use crate::tasks::claims::model::{Cms1500, Coverage, ProfessionalLine};

/// Order of an item (and a sub-position) in the form.
fn at(item: u32, sub: u32) -> u32 {
    item * 10_000 + sub
}

/// The rule of an item: NUCC manual and the Medicare chapter.
fn rule(item: &str) -> String {
    format!(
        "NUCC 1500 Reference Instruction Manual 02/12, item {item}; MCPM ch.26 §10 (item {item})"
    )
}

const RULE_POINTER: &str = "NUCC 1500 Reference Instruction Manual 02/12, item 24E (letters A-L naming item-21 lines, up to 4, primary first, no ranges or commas); MCPM ch.26 §10";
const RULE_POINTER_MEDICARE: &str =
    "MCPM ch.26 §10, item 24E (Medicare: enter only one diagnosis pointer letter per line)";
const RULE_INDICATOR: &str = "NUCC 1500 Reference Instruction Manual 02/12, item 21 (ICD indicator: 0 = ICD-10-CM, 9 = ICD-9-CM; required, and the codes must all be of the indicated revision); MCPM ch.26 §10";
const RULE_TOTAL: &str = "NUCC 1500 Reference Instruction Manual 02/12, item 28 (total charge = the sum of 24F); MCPM ch.26 §10";

/// The most diagnosis lines of item 21 (A-L).
const MAX_DIAGNOSES: usize = 12;
/// The most service lines of an 837P claim (the paper form prints 6 per page).
const MAX_LINES: usize = 50;

/// Every CMS-1500 edit.
pub(super) fn check(c: &Cms1500, out: &mut Findings) {
    header(c, out);
    item21(c, out);
    for (i, line) in c.lines.iter().enumerate() {
        service_line(c, i, line, out);
    }
    totals(c, out);
    providers(c, out);
}

/// Items 1-23 except 21.
fn header(c: &Cms1500, out: &mut Findings) {
    if c.coverage.is_none() {
        out.missing(at(1, 0), "Item 1", "type of coverage", &rule("1"));
    }
    if c.insured_id.trim().is_empty() {
        out.missing(at(1, 1), "Item 1a", "insured's ID number", &rule("1a"));
    }
    if c.patient_name.trim().is_empty() {
        out.missing(at(2, 0), "Item 2", "patient's name", &rule("2"));
    }
    if c.birth_date.is_none() {
        out.missing(at(3, 0), "Item 3", "patient's birth date", &rule("3"));
    }
    if c.sex.is_none() {
        out.missing(at(3, 1), "Item 3", "patient's sex", &rule("3"));
    }
    if c.coverage == Some(Coverage::Medicare) && c.insured_group.trim().is_empty() {
        out.warning(
            at(11, 0),
            "Item 11",
            "insured's policy group is blank: for Medicare enter NONE when no insurance is primary to Medicare (a blank item 11 is returned)",
            "MCPM ch.26 §10, item 11",
        );
    }
    if let Some(d) = &c.current_illness {
        let q = d.qualifier.trim();
        if !matches!(q, "431" | "484") {
            out.error(
                at(14, 0),
                "Item 14",
                format!("qualifier \"{q}\" is not 431 (onset of current symptoms or illness) or 484 (last menstrual period)"),
                "NUCC 1500 Reference Instruction Manual 02/12, item 14 (qualifiers 431, 484); MCPM ch.26 §10",
            );
        }
    }
    if let Some(r) = &c.referring {
        let q = r.qualifier.trim();
        if !matches!(q, "DN" | "DK" | "DQ") {
            out.error(
                at(17, 0),
                "Item 17",
                format!(
                    "qualifier \"{q}\" is not DN (referring), DK (ordering) or DQ (supervising)"
                ),
                "NUCC 1500 Reference Instruction Manual 02/12, item 17 (qualifiers DN, DK, DQ); MCPM ch.26 §10",
            );
        }
        if r.name.trim().is_empty() {
            out.missing(
                at(17, 1),
                "Item 17",
                "referring/ordering/supervising provider's name",
                &rule("17"),
            );
        }
        out.npi(
            at(17, 2),
            "Item 17b",
            &r.npi,
            Some(("NPI of the provider in item 17", &rule("17b"))),
        );
    }
    if let Some(r) = &c.resubmission {
        let code = r.code.trim();
        if !matches!(code, "7" | "8") {
            out.error(
                at(22, 0),
                "Item 22",
                format!("resubmission code \"{code}\" is not 7 (replacement) or 8 (void/cancel)"),
                "NUCC 1500 Reference Instruction Manual 02/12, item 22 (codes 7 and 8 with the original reference number); MCPM ch.26 §10",
            );
        }
        if r.original_ref.trim().is_empty() {
            out.missing(
                at(22, 1),
                "Item 22",
                "original reference number",
                &rule("22"),
            );
        }
    }
}

/// Item 21: indicator, count, codes, the first-listed diagnosis.
fn item21(c: &Cms1500, out: &mut Findings) {
    let indicator = c.icd_indicator.trim();
    if indicator.is_empty() {
        out.error(
            at(21, 0),
            "Item 21",
            "ICD indicator is missing: enter 0 for ICD-10-CM (a claim without it is unprocessable)",
            RULE_INDICATOR,
        );
    } else if indicator != "0" {
        out.error(
            at(21, 0),
            "Item 21",
            format!("ICD indicator is \"{indicator}\" with ICD-10-CM codes: enter 0 (ICD-10-CM); ICD-9-CM and ICD-10-CM are never mixed"),
            RULE_INDICATOR,
        );
    }
    if c.diagnoses.len() > MAX_DIAGNOSES {
        out.error(
            at(21, 1),
            "Item 21",
            format!(
                "{} diagnoses: item 21 holds at most 12 (lines A-L)",
                c.diagnoses.len()
            ),
            &rule("21"),
        );
    }
    if c.diagnoses.first().is_none_or(|d| d.trim().is_empty()) {
        out.missing(
            at(21, 2),
            "Item 21 line A",
            "first-listed diagnosis",
            &rule("21"),
        );
    }
    let age = c
        .birth_date
        .zip(c.lines.iter().filter_map(|l| l.from).min())
        .and_then(|(b, d)| super::age_on(b, d));
    for (i, code) in c.diagnoses.iter().enumerate().take(MAX_DIAGNOSES) {
        if code.trim().is_empty() {
            continue;
        }
        let order = at(21, 2 + line_no(i));
        let locator = format!("Item 21 line {}", letter(i));
        if diagnoses::valid(out, order, &locator, code) && i == 0 {
            diagnoses::principal(out, order, &locator, code, false, age);
        }
    }
}

/// Item 24, one line.
fn service_line(c: &Cms1500, i: usize, line: &ProfessionalLine, out: &mut Findings) {
    let n = line_no(i);
    let order = |column: u32| at(24, n * 10 + column);
    let loc = |column: char| format!("Item 24{column} line {n}");
    if i == MAX_LINES {
        out.error(
            order(0),
            format!("Item 24 line {n}"),
            "an 837P claim holds at most 50 service lines",
            &rule("24"),
        );
    }
    match (line.from, line.to) {
        (None, _) => out.missing(order(1), &loc('A'), "date of service (from)", &rule("24A")),
        (Some(from), Some(to)) if to < from => out.error(
            order(1),
            loc('A'),
            format!("date of service \"to\" {to} is before \"from\" {from}"),
            &rule("24A"),
        ),
        (Some(_), _) => {}
    }
    let pos = line.place_of_service.trim();
    if pos.is_empty() {
        out.missing(order(2), &loc('B'), "place of service", &rule("24B"));
    } else if !digits(pos, 2) {
        out.error(
            order(2),
            loc('B'),
            format!("place of service \"{pos}\" is not a two-digit POS code"),
            &rule("24B"),
        );
    }
    if line.hcpcs.trim().is_empty() {
        out.missing(
            order(4),
            &loc('D'),
            "procedure/service code (CPT/HCPCS)",
            &rule("24D"),
        );
    }
    if line.modifiers.len() > 4 {
        out.error(
            order(4),
            loc('D'),
            format!("{} modifiers: 24D holds at most 4", line.modifiers.len()),
            &rule("24D"),
        );
    }
    pointers(c, line, order(5), &loc('E'), out);
    if line.charge_cents.is_none() {
        out.missing(order(6), &loc('F'), "charge", &rule("24F"));
    }
    if line.units.is_none_or(|u| u == 0) {
        out.missing(
            order(7),
            &loc('G'),
            "days or units (at least 1)",
            &rule("24G"),
        );
    }
    out.npi(
        order(9),
        &loc('J'),
        &line.rendering_npi,
        Some(("rendering provider NPI", &rule("24J"))),
    );
}

/// Item 24E: the diagnosis pointer of one line.
fn pointers(c: &Cms1500, line: &ProfessionalLine, order: u32, locator: &str, out: &mut Findings) {
    let p = line.pointers.trim();
    if p.is_empty() {
        out.missing(order, locator, "diagnosis pointer", &rule("24E"));
        return;
    }
    if p.contains('-') {
        out.error(
            order,
            locator,
            format!("pointer \"{p}\" is a range: list each letter (e.g. ABCD), no ranges"),
            RULE_POINTER,
        );
        return;
    }
    if p.contains([',', ' ', ';']) {
        out.error(order, locator, format!("pointer \"{p}\" has separators: write the letters together (e.g. AB), no commas or spaces"), RULE_POINTER);
        return;
    }
    if let Some(bad) = p
        .chars()
        .find(|ch| !('A'..='L').contains(&ch.to_ascii_uppercase()))
    {
        out.error(order, locator, format!("pointer \"{p}\": \"{bad}\" is not a letter A-L (point to item-21 lines, never enter a diagnosis code)"), RULE_POINTER);
        return;
    }
    let count = p.chars().count();
    if count > 4 {
        out.error(
            order,
            locator,
            format!("{count} pointers: at most 4 per line"),
            RULE_POINTER,
        );
    } else if count > 1 && c.coverage == Some(Coverage::Medicare) {
        out.error(order, locator, format!("{count} pointers (\"{p}\"): Medicare takes one pointer per line, the diagnosis that supports the service"), RULE_POINTER_MEDICARE);
    }
    for ch in p.chars() {
        let index = usize::from(ch.to_ascii_uppercase() as u8 - b'A');
        if c.diagnoses.get(index).is_none_or(|d| d.trim().is_empty()) {
            out.error(
                order,
                locator,
                format!(
                    "pointer {} refers to item 21 line {}, which is empty",
                    ch.to_ascii_uppercase(),
                    ch.to_ascii_uppercase()
                ),
                RULE_POINTER,
            );
        }
    }
}

/// Item 28 against the lines.
fn totals(c: &Cms1500, out: &mut Findings) {
    if c.lines.is_empty() {
        out.missing(at(24, 0), "Item 24", "service line", &rule("24"));
    }
    let sum: u64 = c.lines.iter().filter_map(|l| l.charge_cents).sum();
    match c.total_charge_cents {
        None => out.missing(at(28, 0), "Item 28", "total charge", &rule("28")),
        Some(total) if total != sum => out.error(
            at(28, 0),
            "Item 28",
            format!(
                "total charge {} is not the sum of the 24F charges, {}",
                money(total),
                money(sum)
            ),
            RULE_TOTAL,
        ),
        Some(_) => {}
    }
}

/// Items 25, 32a, 33/33a.
fn providers(c: &Cms1500, out: &mut Findings) {
    match &c.tax_id {
        None => out.missing(
            at(25, 0),
            "Item 25",
            "federal tax ID (SSN or EIN)",
            &rule("25"),
        ),
        Some(t) => {
            let n = t.number.trim();
            if !digits(n, 9) {
                out.error(
                    at(25, 0),
                    "Item 25",
                    format!("tax ID \"{n}\" is not 9 digits without hyphens"),
                    "NUCC 1500 Reference Instruction Manual 02/12, item 25 (SSN or EIN, one box marked, no hyphens); MCPM ch.26 §10",
                );
            }
        }
    }
    if let Some(f) = &c.facility {
        out.npi(at(32, 1), "Item 32a", &f.npi, None);
    }
    match &c.billing {
        None => {
            out.missing(at(33, 0), "Item 33", "billing provider", &rule("33"));
            out.missing(at(33, 1), "Item 33a", "billing provider NPI", &rule("33a"));
        }
        Some(b) => {
            if b.name.trim().is_empty() {
                out.missing(at(33, 0), "Item 33", "billing provider name", &rule("33"));
            }
            out.npi(
                at(33, 1),
                "Item 33a",
                &b.npi,
                Some(("billing provider NPI", &rule("33a"))),
            );
        }
    }
}

/// Cents as dollars: 12500 → "$125.00".
pub(super) fn money(cents: u64) -> String {
    format!("${}.{:02}", cents / 100, cents % 100)
}
