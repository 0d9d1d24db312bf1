//! Key lines nobody coded: each is classified (a status code, a combination code, a code a
//! "use additional code" note of another key code requires, or any other documented code) and
//! costs what the rubric's severity table says, with its rule.

use super::pairing::Pairing;
use super::{Findings, KeyEntry, fmt_num};
use crate::grading::checker::CodeChecker;
use crate::grading::rubric::{CodeSettings, Severity};

const RULE_STATUS: &str = "ICD-10-CM Official Guidelines IV.J and I.C.21.c.3-4 (status and history codes are reported when they affect care)";
const RULE_COMBINATION: &str =
    "ICD-10-CM Official Guidelines I.B.9 (a combination code classifies two conditions together)";
const RULE_MISSING: &str = "ICD-10-CM Official Guidelines III and IV.J (code every documented condition that coexists and affects care)";

/// Records each missed key line; returns the credit the missed lines still earn (a minor error
/// leaves part of its line).
pub(super) fn missing_lines(
    required: &[&KeyEntry],
    pairing: &Pairing,
    settings: &CodeSettings,
    checker: Option<&dyn CodeChecker>,
    f: &mut Findings,
) -> f64 {
    let mut earned = 0.0;
    // The distinct key codes that could carry a "use additional code" note.
    let mut triggers: Vec<&str> = required.iter().map(|e| e.code.as_str()).collect();
    triggers.sort_unstable();
    triggers.dedup();
    for (k, e) in required.iter().enumerate() {
        if pairing.taken.get(k).copied().unwrap_or(true) {
            continue;
        }
        let use_additional = || {
            let checker = checker?;
            triggers
                .iter()
                .filter(|t| **t != e.code)
                .find_map(|t| checker.use_additional_rule(t, &e.code).map(|r| (*t, r)))
        };
        let (severity, what, rule) = if e.status {
            (
                settings.severity.missing_status_code,
                "a status or history code left out".to_string(),
                RULE_STATUS.to_string(),
            )
        } else if e.combination {
            (
                settings.severity.missed_combination,
                "a combination code left out".to_string(),
                RULE_COMBINATION.to_string(),
            )
        } else if let Some((trigger, rule)) = use_additional() {
            (
                settings.severity.missing_use_additional,
                format!("the code a \"use additional code\" note of {trigger} requires, left out"),
                format!("{rule}; ICD-10-CM Official Guidelines I.B.7"),
            )
        } else {
            (
                settings.severity.missing_code,
                "a documented condition left uncoded".to_string(),
                RULE_MISSING.to_string(),
            )
        };
        let cost = settings.costs.of(severity);
        let left = (1.0 - cost).max(0.0);
        earned += left;
        let class = f.error(severity, &what, &rule);
        let cost_note = if severity == Severity::Critical {
            String::new()
        } else {
            format!(", −{} line", fmt_num(cost))
        };
        f.details.push(match &e.rationale {
            Some(why) => format!(
                "{}: expected but not coded — {class}{cost_note} — why: {why}",
                e.code
            ),
            None => format!("{}: expected but not coded — {class}{cost_note}", e.code),
        });
    }
    earned
}
