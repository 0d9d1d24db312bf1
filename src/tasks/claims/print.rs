//! Printable claim forms: a claim rendered as the familiar paper CMS-1500 (02/12) or UB-04
//! (CMS-1450) page, in one self-contained HTML file (docs/domain/claims.md §9).
//!
//! Invariants, as for the reports (`src/report/`): inline CSS only, no scripts, no external
//! resources; `@page` Letter with small margins, so a claim that fits the paper form prints on
//! one page; every box is drawn with its item number or form locator and a short caption, empty
//! or not, and carries an `id` (`box-1a`, `box-24d-3`, `fl-4`, `fl-42-7`) naming what it holds;
//! every value goes through [`crate::report::escape`]. A claim with more service lines than the
//! paper holds (6 on the CMS-1500, 22 on the UB-04) continues on further pages, each repeating
//! the header boxes (their ids only on the first page) with "page n of m"; the totals print on
//! the last page (item 28, or the UB-04 line 23 with the 0001 total), "CONTINUED" before it.

use std::fmt::Write as _;

use chrono::NaiveDate;

use super::model::{
    Address, Claim, Cms1500, Coverage, InstitutionalLine, ProfessionalLine, Provider, Relationship,
    Sex, TaxIdKind, Ub04,
};
use crate::report::escape;

/// Service lines on one CMS-1500 page (item 24, lines 1-6).
pub const CMS1500_LINES_PER_PAGE: usize = 6;
/// Revenue lines on one UB-04 page (FL 42-47, lines 1-22; line 23 holds the page and totals).
pub const UB04_LINES_PER_PAGE: usize = 22;

const STYLE: &str = "\
@page { size: letter; margin: 8mm; }
* { box-sizing: border-box; }
body { font-family: Arial, 'Helvetica Neue', Helvetica, sans-serif; font-size: 7pt; color: #111; background: #fff; margin: 0 auto; max-width: 200mm; }
.banner { font-size: 7pt; color: #7a4b00; background: #fff4dc; border: 1px solid #e0b450; padding: 1pt 4pt; margin: 0 0 2pt; }
.page { break-after: page; page-break-after: always; }
.page:last-of-type { break-after: auto; page-break-after: auto; }
h1 { font-size: 10pt; margin: 0 0 2pt; display: flex; justify-content: space-between; }
h1 .pg { font-size: 8pt; font-weight: normal; }
.form { border: 1.5px solid #b22222; }
.row { display: grid; grid-template-columns: repeat(24, 1fr); }
.b { border: 0.5px solid #d88; min-height: 17pt; padding: 0.5pt 2pt; overflow: hidden; }
.n { color: #b22222; font-weight: bold; margin-right: 2pt; }
.c { color: #b22222; font-size: 5.5pt; text-transform: uppercase; }
.v { display: block; font-family: 'Courier New', Courier, monospace; font-size: 8pt; white-space: pre-wrap; overflow-wrap: anywhere; min-height: 9pt; }
.sec { background: #fbeaea; color: #b22222; font-weight: bold; font-size: 6pt; padding: 0.5pt 2pt; grid-column: span 24; }
table.lines { border-collapse: collapse; width: 100%; }
table.lines th { color: #b22222; font-size: 5.5pt; font-weight: normal; text-align: left; border: 0.5px solid #d88; padding: 0.5pt 2pt; }
table.lines td { font-family: 'Courier New', Courier, monospace; font-size: 7.5pt; border: 0.5px solid #d88; padding: 0.5pt 2pt; height: 10pt; }
table.lines td.num { text-align: right; }
table.lines tr.tot td { font-weight: bold; }
.s1 { grid-column: span 1; } .s2 { grid-column: span 2; } .s3 { grid-column: span 3; } .s4 { grid-column: span 4; } .s5 { grid-column: span 5; } .s6 { grid-column: span 6; }
.s7 { grid-column: span 7; } .s8 { grid-column: span 8; } .s9 { grid-column: span 9; } .s10 { grid-column: span 10; } .s11 { grid-column: span 11; } .s12 { grid-column: span 12; }
.s13 { grid-column: span 13; } .s14 { grid-column: span 14; } .s15 { grid-column: span 15; } .s16 { grid-column: span 16; } .s17 { grid-column: span 17; } .s18 { grid-column: span 18; }
.s19 { grid-column: span 19; } .s20 { grid-column: span 20; } .s21 { grid-column: span 21; } .s22 { grid-column: span 22; } .s23 { grid-column: span 23; } .s24 { grid-column: span 24; }
footer { margin-top: 2pt; font-size: 6pt; color: #555; }
@media print {
  body { max-width: none; }
  .banner, .sec, .form { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}";

/// The claim as a printable, self-contained HTML page: a CMS-1500 or a UB-04.
#[must_use]
pub fn html(claim: &Claim) -> String {
    let (title, body) = match claim {
        Claim::Professional(c) => ("CMS-1500 (02/12)", cms1500(c)),
        Claim::Institutional(u) => ("UB-04 (CMS-1450)", ub04(u)),
    };
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>{title} claim</title>\n<style>\n{STYLE}\n</style>\n</head>\n<body>\n\
         {body}<footer>{} EHR Sim {}. Printed from the claim file; not a CMS-approved \
         red-ink form.</footer>\n</body>\n</html>\n",
        escape(crate::report::SYNTHETIC_NOTICE),
        escape(crate::report::APP_VERSION)
    )
}

/// Writes one box: its number, caption and value; `id` only when given.
fn boxed(out: &mut String, id: Option<&str>, span: u8, n: &str, caption: &str, value: &str) {
    let id = id.map_or_else(String::new, |i| format!(" id=\"{}\"", escape(i)));
    let _ = write!(
        out,
        "<div class=\"b s{span}\"{id}><span class=\"n\">{}</span><span class=\"c\">{}</span>\
         <span class=\"v\">{}</span></div>",
        escape(n),
        escape(caption),
        escape(value)
    );
}

/// Opens a page of the form.
fn open_page(out: &mut String, form: &str, page: usize, pages: usize) {
    let _ = write!(
        out,
        "<section class=\"page\" id=\"page-{page}\">\n<p class=\"banner\">SYNTHETIC PATIENT DATA — NOT REAL</p>\n\
         <h1><span>{}</span><span class=\"pg\">page {page} of {pages}</span></h1>\n<div class=\"form\">\n",
        escape(form)
    );
}

fn close_page(out: &mut String) {
    out.push_str("</div>\n</section>\n");
}

/// A row of boxes.
struct Row<'a> {
    out: &'a mut String,
    /// Ids are written on the first page only (they must be unique in the document).
    ids: bool,
    prefix: &'static str,
}

impl Row<'_> {
    fn open(&mut self) {
        self.out.push_str("<div class=\"row\">");
    }

    fn close(&mut self) {
        self.out.push_str("</div>\n");
    }

    fn section(&mut self, text: &str) {
        let _ = writeln!(
            self.out,
            "<div class=\"row\"><div class=\"sec\">{}</div></div>",
            escape(text)
        );
    }

    fn b(&mut self, key: &str, span: u8, n: &str, caption: &str, value: &str) {
        let id = format!("{}-{key}", self.prefix);
        boxed(
            self.out,
            self.ids.then_some(id.as_str()),
            span,
            n,
            caption,
            value,
        );
    }
}

/// MM DD YYYY (CMS-1500).
fn date8(d: Option<NaiveDate>) -> String {
    d.map_or_else(String::new, |d| d.format("%m %d %Y").to_string())
}

/// MMDDYY (UB-04).
fn date6(d: Option<NaiveDate>) -> String {
    d.map_or_else(String::new, |d| d.format("%m%d%y").to_string())
}

/// Dollars and cents.
fn money(cents: Option<u64>) -> String {
    cents.map_or_else(String::new, |c| format!("{}.{:02}", c / 100, c % 100))
}

fn address(a: Option<&Address>) -> String {
    a.map_or_else(String::new, |a| {
        let city = [a.city.as_str(), a.state.as_str(), a.zip.as_str()]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" ");
        [a.street.as_str(), city.as_str()]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join("\n")
    })
}

fn provider(p: Option<&Provider>) -> (String, String) {
    p.map_or_else(
        || (String::new(), String::new()),
        |p| {
            let mut text = p.name.clone();
            let a = address(Some(&p.address));
            for part in [a.as_str(), p.phone.as_str()] {
                if !part.is_empty() {
                    text.push('\n');
                    text.push_str(part);
                }
            }
            (text, p.npi.clone())
        },
    )
}

fn sex_word(s: Option<Sex>) -> &'static str {
    match s {
        Some(Sex::M) => "M",
        Some(Sex::F) => "F",
        Some(Sex::U) => "U",
        None => "",
    }
}

fn coverage_word(c: Option<Coverage>) -> &'static str {
    match c {
        Some(Coverage::Medicare) => "[X] MEDICARE",
        Some(Coverage::Medicaid) => "[X] MEDICAID",
        Some(Coverage::Tricare) => "[X] TRICARE",
        Some(Coverage::Champva) => "[X] CHAMPVA",
        Some(Coverage::GroupHealthPlan) => "[X] GROUP HEALTH PLAN",
        Some(Coverage::FecaBlkLung) => "[X] FECA BLK LUNG",
        Some(Coverage::Other) => "[X] OTHER",
        None => "",
    }
}

fn relationship_word(r: Option<Relationship>) -> &'static str {
    match r {
        Some(Relationship::SelfInsured) => "[X] SELF",
        Some(Relationship::Spouse) => "[X] SPOUSE",
        Some(Relationship::Child) => "[X] CHILD",
        Some(Relationship::Other) => "[X] OTHER",
        None => "",
    }
}

/// Pages of `per_page` lines (at least one page).
fn page_count(lines: usize, per_page: usize) -> usize {
    lines.div_ceil(per_page).max(1)
}

fn cms1500(c: &Cms1500) -> String {
    let mut out = String::new();
    let pages = page_count(c.lines.len(), CMS1500_LINES_PER_PAGE);
    for page in 1..=pages {
        open_page(
            &mut out,
            "HEALTH INSURANCE CLAIM FORM — CMS-1500 (02/12)",
            page,
            pages,
        );
        let mut row = Row {
            out: &mut out,
            ids: page == 1,
            prefix: "box",
        };
        cms1500_patient(&mut row, c);
        cms1500_claim(&mut row, c);
        cms1500_lines(&mut out, c, page);
        let mut row = Row {
            out: &mut out,
            ids: page == 1,
            prefix: "box",
        };
        cms1500_provider(&mut row, c, page == pages);
        close_page(&mut out);
    }
    out
}

/// Items 1-13.
fn cms1500_patient(r: &mut Row<'_>, c: &Cms1500) {
    r.section("PATIENT AND INSURED INFORMATION");
    r.open();
    r.b("1", 12, "1", "Type of coverage", coverage_word(c.coverage));
    r.b("1a", 12, "1a", "Insured's ID number", &c.insured_id);
    r.close();
    r.open();
    r.b(
        "2",
        9,
        "2",
        "Patient's name (last, first, MI)",
        &c.patient_name,
    );
    r.b("3", 5, "3", "Patient's birth date", &date8(c.birth_date));
    r.b("3-sex", 2, "3", "Sex", sex_word(c.sex));
    r.b("4", 8, "4", "Insured's name", &c.insured_name);
    r.close();
    r.open();
    r.b(
        "5",
        9,
        "5",
        "Patient's address",
        &address(c.patient_address.as_ref()),
    );
    r.b(
        "6",
        5,
        "6",
        "Relationship to insured",
        relationship_word(c.relationship),
    );
    r.b(
        "7",
        10,
        "7",
        "Insured's address",
        &address(c.insured_address.as_ref()),
    );
    r.close();
    r.open();
    r.b("8", 4, "8", "Reserved for NUCC use", "");
    r.b("9", 5, "9", "Other insured's name", "");
    r.b("9a", 5, "9a", "Other insured's policy or group", "");
    r.b("9d", 4, "9d", "Other plan name", "");
    r.b(
        "10",
        6,
        "10a-c",
        "Condition related to employment / auto / other accident",
        "",
    );
    r.close();
    r.open();
    r.b("10d", 4, "10d", "Claim codes", "");
    r.b(
        "11",
        6,
        "11",
        "Insured's policy group or FECA number",
        &c.insured_group,
    );
    r.b(
        "11a",
        4,
        "11a-d",
        "Insured's birth date, sex, other claim ID, plan",
        "",
    );
    r.b("12", 5, "12", "Patient's signature", "");
    r.b("13", 5, "13", "Insured's signature", "");
    r.close();
}

/// Items 14-23.
fn cms1500_claim(r: &mut Row<'_>, c: &Cms1500) {
    r.section("PHYSICIAN OR SUPPLIER INFORMATION");
    r.open();
    let (illness, qual) = c.current_illness.as_ref().map_or_else(
        || (String::new(), String::new()),
        |q| (date8(Some(q.date)), q.qualifier.clone()),
    );
    r.b("14", 5, "14", "Date of current illness", &illness);
    r.b("14-qual", 2, "14", "Qual", &qual);
    r.b("15", 4, "15", "Other date", "");
    r.b("16", 4, "16", "Dates unable to work", "");
    r.b("18", 5, "18", "Hospitalization dates", "");
    r.b("20", 4, "20", "Outside lab", "");
    r.close();
    r.open();
    let (rq, rname, rnpi) = c.referring.as_ref().map_or_else(
        || (String::new(), String::new(), String::new()),
        |x| (x.qualifier.clone(), x.name.clone(), x.npi.clone()),
    );
    r.b("17-qual", 2, "17", "Qual", &rq);
    r.b("17", 8, "17", "Referring provider or other source", &rname);
    r.b("17a", 4, "17a", "Other ID", "");
    r.b("17b", 4, "17b", "NPI", &rnpi);
    r.b("19", 6, "19", "Additional claim information", "");
    r.close();
    r.open();
    r.b("21-ind", 6, "21", "Diagnosis (ICD Ind.)", &c.icd_indicator);
    for (i, letter) in "ABCDEFGHIJKL".chars().enumerate() {
        if i == 6 {
            r.close();
            r.open();
        }
        let code = c.diagnoses.get(i).map_or("", String::as_str);
        let key = format!("21{letter}");
        r.b(&key, 3, &letter.to_string(), "", code);
    }
    let (rc, orig) = c.resubmission.as_ref().map_or_else(
        || (String::new(), String::new()),
        |x| (x.code.clone(), x.original_ref.clone()),
    );
    r.b("22", 2, "22", "Resub. code", &rc);
    r.b("22-ref", 4, "22", "Original ref. no.", &orig);
    r.close();
    r.open();
    r.b(
        "23",
        24,
        "23",
        "Prior authorization number",
        &c.prior_authorization,
    );
    r.close();
}

/// Item 24, the lines of `page`.
fn cms1500_lines(out: &mut String, c: &Cms1500, page: usize) {
    out.push_str(
        "<table class=\"lines\"><tr><th>24A Dates of service (from - to)</th><th>B POS</th>\
         <th>C EMG</th><th>D Procedure / modifiers</th><th>E Dx pointer</th><th>F Charges</th>\
         <th>G Days/units</th><th>H EPSDT</th><th>I Qual</th><th>J Rendering NPI</th></tr>\n",
    );
    for slot in 0..CMS1500_LINES_PER_PAGE {
        let index = (page - 1) * CMS1500_LINES_PER_PAGE + slot;
        let n = index + 1;
        let empty = ProfessionalLine::default();
        let l = c.lines.get(index).unwrap_or(&empty);
        let dates = match (l.from, l.to) {
            (Some(f), Some(t)) => format!("{} - {}", date8(Some(f)), date8(Some(t))),
            (Some(f), None) => date8(Some(f)),
            (None, Some(t)) => format!("- {}", date8(Some(t))),
            (None, None) => String::new(),
        };
        let code = std::iter::once(l.hcpcs.as_str())
            .chain(l.modifiers.iter().map(String::as_str))
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        let units = l.units.map_or_else(String::new, |u| u.to_string());
        let npi_qual = if l.rendering_npi.is_empty() {
            ""
        } else {
            "NPI"
        };
        let _ = writeln!(
            out,
            "<tr id=\"box-24-{n}\"><td id=\"box-24a-{n}\">{}</td><td id=\"box-24b-{n}\">{}</td>\
             <td id=\"box-24c-{n}\"></td><td id=\"box-24d-{n}\">{}</td><td id=\"box-24e-{n}\">{}</td>\
             <td class=\"num\" id=\"box-24f-{n}\">{}</td><td class=\"num\" id=\"box-24g-{n}\">{}</td>\
             <td id=\"box-24h-{n}\"></td><td id=\"box-24i-{n}\">{npi_qual}</td><td id=\"box-24j-{n}\">{}</td></tr>",
            escape(&dates),
            escape(&l.place_of_service),
            escape(&code),
            escape(&l.pointers),
            money(l.charge_cents),
            units,
            escape(&l.rendering_npi),
        );
    }
    out.push_str("</table>\n");
}

/// Items 25-33; the total only on the last page.
fn cms1500_provider(r: &mut Row<'_>, c: &Cms1500, last: bool) {
    r.open();
    let (kind, number) = c.tax_id.as_ref().map_or_else(
        || (String::new(), String::new()),
        |t| {
            let kind = match t.kind {
                TaxIdKind::Ssn => "SSN",
                TaxIdKind::Ein => "EIN",
            };
            (kind.to_owned(), t.number.clone())
        },
    );
    r.b("25", 4, "25", "Federal tax ID number", &number);
    r.b("25-kind", 2, "25", "SSN/EIN", &kind);
    r.b("26", 5, "26", "Patient's account no.", &c.patient_account);
    r.b("27", 3, "27", "Accept assignment", "");
    let total = if last {
        money(c.total_charge_cents)
    } else {
        "CONTINUED".to_owned()
    };
    r.b("28", 4, "28", "Total charge", &total);
    r.b("29", 3, "29", "Amount paid", "");
    r.b("30", 3, "30", "Reserved for NUCC use", "");
    r.close();
    r.open();
    let signature = [c.signature.clone(), date8(c.signature_date)]
        .iter()
        .filter(|s| !s.is_empty())
        .cloned()
        .collect::<Vec<_>>()
        .join("  ");
    r.b(
        "31",
        6,
        "31",
        "Signature of physician or supplier, date",
        &signature,
    );
    let (facility, facility_npi) = provider(c.facility.as_ref());
    r.b("32", 6, "32", "Service facility location", &facility);
    let (billing, billing_npi) = provider(c.billing.as_ref());
    r.b("33", 8, "33", "Billing provider info and phone", &billing);
    r.b("32a", 2, "32a", "NPI", &facility_npi);
    r.b("33a", 2, "33a", "NPI", &billing_npi);
    r.close();
}

fn ub04(u: &Ub04) -> String {
    let mut out = String::new();
    let (lines, total): (Vec<&InstitutionalLine>, Option<&InstitutionalLine>) = {
        let total = u.lines.iter().rfind(|l| l.revenue_code.trim() == "0001");
        let lines = u
            .lines
            .iter()
            .filter(|l| l.revenue_code.trim() != "0001")
            .collect();
        (lines, total)
    };
    let pages = page_count(lines.len(), UB04_LINES_PER_PAGE);
    for page in 1..=pages {
        open_page(&mut out, "UB-04 (CMS-1450)", page, pages);
        let mut row = Row {
            out: &mut out,
            ids: page == 1,
            prefix: "fl",
        };
        ub04_header(&mut row, u);
        ub04_codes(&mut row, u);
        ub04_lines(&mut out, &lines, total, page, pages);
        let mut row = Row {
            out: &mut out,
            ids: page == 1,
            prefix: "fl",
        };
        ub04_payer(&mut row, u);
        ub04_diagnoses(&mut row, u);
        close_page(&mut out);
    }
    out
}

/// FL 1-17.
fn ub04_header(r: &mut Row<'_>, u: &Ub04) {
    r.open();
    r.b("1", 6, "1", "Billing provider name, address", "");
    r.b("2", 6, "2", "Pay-to name, address", "");
    r.b("3a", 4, "3a", "Patient control no.", "");
    r.b("3b", 4, "3b", "Medical record no.", "");
    r.b("4", 4, "4", "Type of bill", &u.type_of_bill);
    r.close();
    r.open();
    r.b("5", 4, "5", "Federal tax no.", "");
    r.b("6-from", 3, "6", "Statement from", &date6(u.statement_from));
    r.b(
        "6-through",
        3,
        "6",
        "Statement through",
        &date6(u.statement_through),
    );
    r.b("7", 2, "7", "Reserved", "");
    r.b("8", 6, "8", "Patient name", &u.patient_name);
    r.b("9", 6, "9", "Patient address", "");
    r.close();
    r.open();
    r.b("10", 3, "10", "Birthdate", &date6(u.birth_date));
    r.b("11", 1, "11", "Sex", sex_word(u.sex));
    r.b("12", 2, "12", "Admission date", &date6(u.admission_date));
    let hour = |h: Option<u8>| h.map_or_else(String::new, |h| format!("{h:02}"));
    r.b("13", 1, "13", "Hr", &hour(u.admission_hour));
    r.b("14", 1, "14", "Type", &u.admission_type);
    r.b("15", 1, "15", "Src", &u.point_of_origin);
    r.b("16", 1, "16", "DHr", &hour(u.discharge_hour));
    r.b("17", 1, "17", "Stat", &u.discharge_status);
    for (i, fl) in (18..=28).enumerate() {
        let code = u.condition_codes.get(i).map_or("", String::as_str);
        r.b(&fl.to_string(), 1, &fl.to_string(), "CC", code);
    }
    r.b("29", 1, "29", "Acdt st", "");
    r.b("30", 1, "30", "", "");
    r.close();
}

/// FL 31-41.
fn ub04_codes(r: &mut Row<'_>, u: &Ub04) {
    r.open();
    for (i, (fl, row)) in [
        (31, 'a'),
        (32, 'a'),
        (33, 'a'),
        (34, 'a'),
        (31, 'b'),
        (32, 'b'),
        (33, 'b'),
        (34, 'b'),
    ]
    .into_iter()
    .enumerate()
    {
        let (code, date) = u.occurrences.get(i).map_or_else(
            || (String::new(), String::new()),
            |o| (o.code.clone(), date6(Some(o.date))),
        );
        let key = format!("{fl}{row}");
        r.b(&key, 1, &key, "Occurrence code", &code);
        r.b(&format!("{key}-date"), 2, "", "Date", &date);
    }
    r.close();
    r.open();
    for (i, key) in ["35a", "36a", "35b", "36b"].into_iter().enumerate() {
        let (code, from, through) = u.occurrence_spans.get(i).map_or_else(
            || (String::new(), String::new(), String::new()),
            |s| (s.code.clone(), date6(Some(s.from)), date6(Some(s.through))),
        );
        r.b(key, 2, key, "Span code", &code);
        r.b(&format!("{key}-from"), 2, "", "From", &from);
        r.b(&format!("{key}-through"), 2, "", "Through", &through);
    }
    r.close();
    r.open();
    r.b("37", 2, "37", "", "");
    r.b("38", 4, "38", "Responsible party name, address", "");
    for (i, key) in ["39a", "40a", "41a", "39b", "40b", "41b"]
        .into_iter()
        .enumerate()
    {
        value_code(r, u, i, key);
    }
    r.close();
    r.open();
    r.b("38-cont", 6, "38", "", "");
    for (i, key) in ["39c", "40c", "41c", "39d", "40d", "41d"]
        .into_iter()
        .enumerate()
    {
        value_code(r, u, i + 6, key);
    }
    r.close();
}

fn value_code(r: &mut Row<'_>, u: &Ub04, i: usize, key: &str) {
    let (code, amount) = u.value_codes.get(i).map_or_else(
        || (String::new(), String::new()),
        |v| {
            let sign = if v.amount_cents < 0 { "-" } else { "" };
            let a = v.amount_cents.unsigned_abs();
            (v.code.clone(), format!("{sign}{}.{:02}", a / 100, a % 100))
        },
    );
    r.b(key, 1, key, "Value code", &code);
    r.b(&format!("{key}-amount"), 2, "", "Amount", &amount);
}

/// FL 42-48 lines of `page` and line 23 (page n of m; totals on the last page).
fn ub04_lines(
    out: &mut String,
    lines: &[&InstitutionalLine],
    total: Option<&InstitutionalLine>,
    page: usize,
    pages: usize,
) {
    out.push_str(
        "<table class=\"lines\"><tr><th>42 Rev. cd.</th><th>43 Description</th>\
         <th>44 HCPCS / rate / HIPPS code</th><th>45 Serv. date</th><th>46 Serv. units</th>\
         <th>47 Total charges</th><th>48 Non-covered charges</th><th>49</th></tr>\n",
    );
    for slot in 0..UB04_LINES_PER_PAGE {
        let index = (page - 1) * UB04_LINES_PER_PAGE + slot;
        let n = index + 1;
        let empty = InstitutionalLine::default();
        let l = lines.get(index).copied().unwrap_or(&empty);
        let hcpcs = std::iter::once(l.hcpcs.as_str())
            .chain(l.modifiers.iter().map(String::as_str))
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        let units = l.units.map_or_else(String::new, |u| u.to_string());
        let _ = writeln!(
            out,
            "<tr id=\"fl-line-{n}\"><td id=\"fl-42-{n}\">{}</td><td id=\"fl-43-{n}\">{}</td>\
             <td id=\"fl-44-{n}\">{}</td><td id=\"fl-45-{n}\">{}</td><td class=\"num\" id=\"fl-46-{n}\">{units}</td>\
             <td class=\"num\" id=\"fl-47-{n}\">{}</td><td class=\"num\" id=\"fl-48-{n}\">{}</td><td></td></tr>",
            escape(&l.revenue_code),
            escape(&l.description),
            escape(&hcpcs),
            date6(l.service_date),
            money(l.total_cents),
            money(l.non_covered_cents),
        );
    }
    let (label, sum, non_covered) = if page == pages {
        (
            total.map_or("", |t| t.revenue_code.as_str()),
            total.map_or_else(String::new, |t| money(t.total_cents)),
            total.map_or_else(String::new, |t| money(t.non_covered_cents)),
        )
    } else {
        ("", "CONTINUED".to_owned(), String::new())
    };
    let _ = writeln!(
        out,
        "<tr class=\"tot\" id=\"fl-line-23-page-{page}\"><td>{}</td><td>PAGE {page} OF {pages}</td>\
         <td></td><td>TOTALS</td><td></td><td class=\"num\"{}>{sum}</td><td class=\"num\">{non_covered}</td>\
         <td></td></tr>\n</table>",
        escape(label),
        if page == pages {
            " id=\"fl-47-total\""
        } else {
            ""
        },
    );
}

/// FL 50-65.
fn ub04_payer(r: &mut Row<'_>, u: &Ub04) {
    r.open();
    r.b("50", 6, "50", "Payer name", "");
    r.b("51", 3, "51", "Health plan ID", "");
    r.b("52", 1, "52", "Rel", "");
    r.b("53", 1, "53", "Asg", "");
    r.b("54", 3, "54", "Prior payments", "");
    r.b("55", 3, "55", "Est. amount due", "");
    r.b("56", 4, "56", "NPI", &u.billing_npi);
    r.b("57", 3, "57", "Other prv ID", "");
    r.close();
    r.open();
    r.b("58", 6, "58", "Insured's name", "");
    r.b("59", 2, "59", "P. rel", "");
    r.b("60", 6, "60", "Insured's unique ID", &u.insured_id);
    r.b("61", 5, "61", "Group name", "");
    r.b("62", 5, "62", "Insurance group no.", "");
    r.close();
    r.open();
    r.b("63", 8, "63", "Treatment authorization codes", "");
    r.b("64", 8, "64", "Document control number", "");
    r.b("65", 8, "65", "Employer name", "");
    r.close();
}

/// FL 66-81.
fn ub04_diagnoses(r: &mut Row<'_>, u: &Ub04) {
    r.open();
    r.b("66", 1, "66", "DX", &u.dx_qualifier);
    let (principal, poa) = u.principal.as_ref().map_or_else(
        || (String::new(), String::new()),
        |d| (d.code.clone(), d.poa.clone()),
    );
    r.b("67", 2, "67", "Principal dx", &principal);
    r.b("67-poa", 1, "", "POA", &poa);
    for (i, letter) in "ABCDEF".chars().enumerate() {
        other_dx(r, u, i, letter);
    }
    r.b("68", 2, "68", "", "");
    r.close();
    r.open();
    for (i, letter) in "GHIJKLMN".chars().enumerate() {
        other_dx(r, u, i + 6, letter);
    }
    r.close();
    r.open();
    for (i, letter) in "OPQ".chars().enumerate() {
        other_dx(r, u, i + 14, letter);
    }
    r.b("69", 3, "69", "Admit dx", &u.admitting_dx);
    r.b("70", 4, "70", "Patient reason dx", "");
    r.b("71", 2, "71", "PPS", "");
    r.b("72", 2, "72", "ECI", "");
    r.b("73", 2, "73", "", "");
    r.b("75", 2, "75", "", "");
    r.close();
    r.open();
    let procedure = |p: Option<&super::model::Procedure>| {
        p.map_or_else(
            || (String::new(), String::new()),
            |p| (p.code.clone(), date6(p.date)),
        )
    };
    let (code, date) = procedure(u.principal_procedure.as_ref());
    r.b("74", 2, "74", "Principal procedure", &code);
    r.b("74-date", 2, "", "Date", &date);
    for (i, letter) in "abcde".chars().enumerate() {
        let (code, date) = procedure(u.other_procedures.get(i));
        let key = format!("74{letter}");
        r.b(&key, 2, &key, "Other procedure", &code);
        r.b(&format!("{key}-date"), 2, "", "Date", &date);
    }
    r.close();
    r.open();
    r.b("76", 6, "76", "Attending NPI", &u.attending_npi);
    r.b("77", 6, "77", "Operating NPI", &u.operating_npi);
    r.b("78", 6, "78", "Other NPI", "");
    r.b("79", 6, "79", "Other NPI", "");
    r.close();
    r.open();
    r.b("80", 16, "80", "Remarks", "");
    r.b("81", 8, "81cc", "Code-code", "");
    r.close();
}

fn other_dx(r: &mut Row<'_>, u: &Ub04, i: usize, letter: char) {
    let (code, poa) = u.other_diagnoses.get(i).map_or_else(
        || (String::new(), String::new()),
        |d| (d.code.clone(), d.poa.clone()),
    );
    let key = format!("67{letter}");
    r.b(&key, 2, &key, "Other dx", &code);
    r.b(&format!("{key}-poa"), 1, "", "POA", &poa);
}
