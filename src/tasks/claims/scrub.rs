//! The claim scrubber: the edits a clearinghouse or the Medicare front end applies to a claim
//! before it is paid, each reported with the item or form locator it concerns, its severity
//! and the rule behind it (docs/domain/claims.md §4).
//!
//! Findings are sorted in form order (item 1 before item 24, line 1 before line 2; FL 4 before
//! FL 67), and within one place in the order the edits ran.

mod diagnoses;
mod hospice;
mod institutional;
mod professional;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use super::model::Claim;
use super::npi;

/// How a finding affects the claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The claim is rejected or returned until this is fixed.
    Error,
    /// The claim goes through, but is paid differently or may be questioned.
    Warning,
}

impl Severity {
    /// `"error"` or `"warning"`.
    #[must_use]
    pub fn word(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// One problem found on a claim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Where on the form: "Item 24E line 2", "FL 67A", "FL 45 line 3".
    pub locator: String,
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong and how to fix it.
    pub message: String,
    /// The rule and its source.
    pub rule: String,
}

/// Checks a claim: every finding in form order (empty = a clean claim).
#[must_use]
pub fn check(claim: &Claim) -> Vec<Finding> {
    let mut out = Findings::default();
    match claim {
        Claim::Professional(c) => professional::check(c, &mut out),
        Claim::Institutional(u) => institutional::check(u, &mut out),
    }
    out.sorted()
}

/// The rule of the NPI edit.
const RULE_NPI: &str = "CMS NPI check-digit requirements (Luhn formula with the prefix 80840); 45 CFR 162.406 (NPI: 10 digits, the last a check digit)";

/// Findings with their place in the form order.
#[derive(Default)]
pub(crate) struct Findings {
    items: Vec<(u32, Finding)>,
}

impl Findings {
    fn push(
        &mut self,
        order: u32,
        locator: String,
        severity: Severity,
        message: String,
        rule: &str,
    ) {
        self.items.push((
            order,
            Finding {
                locator,
                severity,
                message,
                rule: rule.to_string(),
            },
        ));
    }

    /// Records an error.
    fn error(
        &mut self,
        order: u32,
        locator: impl Into<String>,
        message: impl Into<String>,
        rule: &str,
    ) {
        self.push(order, locator.into(), Severity::Error, message.into(), rule);
    }

    /// Records a warning.
    fn warning(
        &mut self,
        order: u32,
        locator: impl Into<String>,
        message: impl Into<String>,
        rule: &str,
    ) {
        self.push(
            order,
            locator.into(),
            Severity::Warning,
            message.into(),
            rule,
        );
    }

    /// A required item left blank.
    fn missing(&mut self, order: u32, locator: &str, what: &str, rule: &str) {
        self.error(
            order,
            locator,
            format!("{what} is missing (required)"),
            rule,
        );
    }

    /// Checks an NPI field: blank is reported by `required` (`Some(what)`) or allowed (`None`);
    /// a filled NPI must pass the check digit.
    fn npi(&mut self, order: u32, locator: &str, value: &str, required: Option<(&str, &str)>) {
        if value.trim().is_empty() {
            if let Some((what, rule)) = required {
                self.missing(order, locator, what, rule);
            }
            return;
        }
        if let Some(problem) = npi::problem(value) {
            self.error(order, locator, format!("invalid NPI: {problem}"), RULE_NPI);
        }
    }

    fn sorted(mut self) -> Vec<Finding> {
        self.items.sort_by_key(|(order, _)| *order);
        self.items.into_iter().map(|(_, f)| f).collect()
    }
}

/// Age in whole years on `on` (`None` when born after `on` or older than 255).
fn age_on(birth: NaiveDate, on: NaiveDate) -> Option<u8> {
    if birth > on {
        return None;
    }
    let mut years = on.year() - birth.year();
    if (on.month(), on.day()) < (birth.month(), birth.day()) {
        years -= 1;
    }
    u8::try_from(years).ok()
}

/// True when `s` is exactly `n` ASCII digits.
fn digits(s: &str, n: usize) -> bool {
    s.len() == n && s.bytes().all(|b| b.is_ascii_digit())
}

/// The letter of a diagnosis line: 0 → 'A'.
fn letter(index: usize) -> char {
    u8::try_from(index)
        .ok()
        .filter(|i| *i < 26)
        .map_or('?', |i| char::from(b'A' + i))
}

/// An index as a one-based line number for locators and ordering.
fn line_no(index: usize) -> u32 {
    u32::try_from(index + 1).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tasks::claims::model::{Cms1500, Ub04};

    #[test]
    fn non_ascii_codes_and_npis_are_reported_not_panicked_on() {
        let u = Ub04 {
            type_of_bill: "0a\u{e9}".into(),
            billing_npi: "12345678\u{e9}".into(),
            ..Ub04::default()
        };
        let findings = check(&Claim::Institutional(Box::new(u)));
        assert!(findings.iter().any(|f| f.locator == "FL 4"));
        assert!(
            findings
                .iter()
                .any(|f| f.locator == "FL 56" && f.message.starts_with("invalid NPI"))
        );
        let c = Cms1500 {
            diagnoses: vec!["\u{e9}\u{e9}".into()],
            ..Cms1500::default()
        };
        let findings = check(&Claim::Professional(Box::new(c)));
        assert!(findings.iter().any(|f| f.locator == "Item 21 line A"));
    }

    #[test]
    fn age_is_counted_in_whole_years() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
        let birth = d("2000-03-15").unwrap_or_default();
        assert_eq!(age_on(birth, d("2026-03-14").unwrap_or_default()), Some(25));
        assert_eq!(age_on(birth, d("2026-03-15").unwrap_or_default()), Some(26));
        assert_eq!(age_on(birth, d("1999-01-01").unwrap_or_default()), None);
    }
}
