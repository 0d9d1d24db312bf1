//! Hospice claim edits (TOB 081x/082x): one calendar month per claim, discharge status with its
//! occurrence codes, level-of-care units and site-of-service codes, visit G-codes.

use std::collections::BTreeMap;

use chrono::{Datelike, Days, NaiveDate};

use super::Findings;
use super::institutional::{at, at_line};
use super::line_no;
use crate::tasks::claims::model::Ub04;

const RULE_MONTH: &str = "MCPM ch.11 §90 (hospices bill monthly: one claim's statement period stays within a calendar month)";
const RULE_OC55: &str = "MCPM ch.11 §30.3 (discharge status 40, 41 or 42 is reported with occurrence code 55, the date of death; required since 2012-10-01)";
const RULE_OC42: &str = "MCPM ch.11 §30.3; CR 7677 (occurrence code 42 only for a revocation; a transfer to another hospice, status 50/51, has no OC 42)";
const RULE_CHC: &str = "42 CFR 418.204(a) (continuous home care: at least 8 hours in a day); MCPM ch.11 §30.3 (0652 units are 15-minute increments, one line per day; fewer than 32 units are paid as a routine home care day)";
const RULE_RESPITE: &str = "42 CFR 418.204(b) (inpatient respite care: not more than 5 consecutive days; later days are paid at the routine home care rate); CMS Transmittal 2867 (CR 8569)";
const RULE_VISIT: &str = "MCPM ch.11 §30.3 (each hospice visit on its own line with its HCPCS: 055x G0299 RN / G0300 LPN, 056x G0155, 057x G0156, 042x G0151, 043x G0152, 044x G0153)";
const RULE_DAYS: &str = "MCPM ch.11 §30.3 (revenue codes 0651, 0655 and 0656 are billed in days)";
const RULE_SITE: &str =
    "MCPM ch.11 §30.3 (each level-of-care line carries the site-of-service HCPCS Q5001-Q5010)";

/// Every hospice edit (the caller checks that the claim is 081x/082x).
pub(super) fn check(u: &Ub04, out: &mut Findings) {
    // A notice bills no days: the NOTR covers the election from its start to its end.
    if let (Some(from), Some(through)) = (u.statement_from, u.statement_through)
        && !u.is_hospice_notice()
        && (from.year(), from.month()) != (through.year(), through.month())
    {
        out.error(
            at(6, 1),
            "FL 6",
            format!("hospice statement period {from} to {through} crosses a calendar month: bill each month on its own claim"),
            RULE_MONTH,
        );
    }
    occurrence_codes(u, out);
    if u.is_hospice_notice() {
        return;
    }
    let days = match (u.statement_from, u.statement_through) {
        (Some(from), Some(through)) if through >= from => (through - from).num_days() + 1,
        _ => i64::MAX,
    };
    for (i, line) in u.lines.iter().enumerate() {
        let n = line_no(i);
        let rev = line.revenue_code.trim();
        let hcpcs = line.hcpcs.trim().to_ascii_uppercase();
        if matches!(rev, "0651" | "0652" | "0655" | "0656") && !is_site_code(&hcpcs) {
            out.error(at_line(44, i), format!("FL 44 line {n}"), format!("level-of-care line {rev} has HCPCS \"{hcpcs}\": enter the site-of-service code Q5001-Q5010"), RULE_SITE);
        }
        let units = line.units.unwrap_or(0);
        if rev == "0652" && units < 32 {
            out.warning(at_line(46, i), format!("FL 46 line {n}"), format!("continuous home care with {units} units (15 minutes each): fewer than 32 units (8 hours) in a day is paid as one routine home care day"), RULE_CHC);
        }
        if matches!(rev, "0651" | "0655" | "0656") && i64::from(units) > days {
            out.error(at_line(46, i), format!("FL 46 line {n}"), format!("{rev} has {units} units but the statement period has {days} days: these units are days"), RULE_DAYS);
        }
        if let Some(expected) = visit_codes(rev)
            && !expected.contains(&hcpcs.as_str())
        {
            out.error(
                at_line(44, i),
                format!("FL 44 line {n}"),
                format!(
                    "visit line {rev} has HCPCS \"{hcpcs}\": use {}",
                    expected.join(" or ")
                ),
                RULE_VISIT,
            );
        }
    }
    respite(u, out);
}

/// FL 17 with FL 31-34.
fn occurrence_codes(u: &Ub04, out: &mut Findings) {
    let status = u.discharge_status.trim();
    let has = |code: &str| u.occurrences.iter().any(|o| o.code.trim() == code);
    if matches!(status, "40" | "41" | "42") && !has("55") {
        out.error(
            at(31, 0),
            "FL 31-34",
            format!(
                "discharge status {status} (expired) without occurrence code 55 (date of death)"
            ),
            RULE_OC55,
        );
    }
    if matches!(status, "50" | "51") && has("42") {
        out.error(at(31, 0), "FL 31-34", format!("occurrence code 42 with discharge status {status}: a transfer to another hospice is not a revocation; remove OC 42"), RULE_OC42);
    }
}

/// HCPCS Q5001-Q5010.
fn is_site_code(hcpcs: &str) -> bool {
    hcpcs
        .strip_prefix("Q50")
        .and_then(|n| n.parse::<u8>().ok())
        .is_some_and(|n| (1..=10).contains(&n))
        && hcpcs.len() == 5
}

/// The HCPCS codes a hospice visit line of this revenue code takes.
fn visit_codes(rev: &str) -> Option<&'static [&'static str]> {
    match rev.get(..3)? {
        "055" => Some(&["G0299", "G0300"]),
        "056" => Some(&["G0155"]),
        "057" => Some(&["G0156"]),
        "042" => Some(&["G0151"]),
        "043" => Some(&["G0152"]),
        "044" => Some(&["G0153"]),
        _ => None,
    }
}

/// 0655 respite days: a run of more than 5 consecutive days is flagged on the line that
/// reaches day 6.
fn respite(u: &Ub04, out: &mut Findings) {
    let mut days: BTreeMap<NaiveDate, usize> = BTreeMap::new();
    for (i, line) in u.lines.iter().enumerate() {
        let Some(start) = line
            .service_date
            .filter(|_| line.revenue_code.trim() == "0655")
        else {
            continue;
        };
        for k in 0..u64::from(line.units.unwrap_or(1).max(1)) {
            if let Some(d) = start.checked_add_days(Days::new(k)) {
                days.entry(d).or_insert(i);
            }
        }
    }
    let mut run = 0;
    let mut previous: Option<NaiveDate> = None;
    for (day, i) in &days {
        run = if previous.and_then(|p| p.succ_opt()) == Some(*day) {
            run + 1
        } else {
            1
        };
        previous = Some(*day);
        if run == 6 {
            out.warning(
                at_line(46, *i),
                format!("FL 46 line {}", line_no(*i)),
                format!("inpatient respite reaches {day}, its sixth consecutive day: respite is paid for at most 5 consecutive days, later days at the routine home care rate"),
                RULE_RESPITE,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_codes_are_q5001_to_q5010() {
        for ok in ["Q5001", "Q5009", "Q5010"] {
            assert!(is_site_code(ok), "{ok}");
        }
        for bad in ["Q5000", "Q5011", "Q501", "Q50010", "G0299", ""] {
            assert!(!is_site_code(bad), "{bad}");
        }
    }
}
