//! ICD-10-CM and ICD-10-PCS code sets: the AAPC-style formula with partial credit
//! (docs/domain/coding-icd10cm.md §6) and the rubric's severity model (`grading/README.md`).
//!
//! Each submitted code line is paired with at most one key entry and earns a line credit:
//! exact (or an accepted alternative) 1; wrong 7th character `wrong_seventh_character`; wrong
//! laterality `wrong_laterality`; right category (first three characters) with wrong
//! specificity `wrong_specificity` (a minor error); an invalid or header code in the right
//! category `invalid_code`; an ICD-10-PCS code the sum of the weights of the axes it has right
//! (`pcs_axes`, same section and body system); anything else 0. Exact pairs are made first,
//! then the best partial pair for each remaining line in submitted order (ties go to the
//! earlier key entry). Optional codes cost nothing either way and are not counted as entered.
//!
//! The key also carries what the documentation forbids (`never` lines: a ruled-out or
//! outpatient-uncertain condition, a history coded as current, a contradicted code), which code
//! a guideline directs first (`first_by`), which codes may equally be first (`may_be_first`),
//! and which lines are status or combination codes. Each error is classified and costs what
//! the rubric's `severity` table says: critical errors are reported for the criterion's
//! `CodingError` gate, which fails the attempt; a major error costs `costs.major` lines, a
//! minor one `costs.minor` lines. Every finding cites its rule.
//!
//! Sequencing: `Strict` keeps the longest run of matched lines in key order and multiplies the
//! others by `wrong_order`; `FirstListed` does so only for the key's first code when it is not
//! listed first (unless a `may_be_first` code is); `Any` ignores order.
//!
//! Score = (Σ line credits − edit deductions) ÷ max(entered, expected): over-coding divides by
//! what was entered, under-coding by what was expected.
//!
//! Every step is linear in the number of submitted lines (hash maps, no pairwise scans of the
//! answer), so a long answer grades in time proportional to its length.
//!
//! Key shape: a list whose entries are `"E11.9"` or `{"code": "E11.9", "alternatives": [...],
//! "optional": true, "status": true, "combination": true, "may_be_first": true, "first_by":
//! "OCG I.C.1.d.4", "never": "ruled_out", "rationale": "…"}`. Submission shape: a list of code
//! strings (or objects with `code`; objects marked `never` are key lines and are skipped).

mod edits;
mod missing;
mod pairing;
mod sequence;

use std::collections::{HashMap, HashSet};

use super::{Scored, fmt_num, value_text};
use crate::grading::checker::{CodeChecker, CodeFacts};
use crate::grading::rubric::{CodeSettings, Severity};
use crate::terminology::edits::CodingSetting;
use crate::terminology::syntax::{strip_dot, with_dot};
use pairing::{Pairing, Relation, pair_lines};
use serde_json::Value;

/// Why the documentation forbids a code (a key line marked `never`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Never {
    /// Documented as ruled out.
    RuledOut,
    /// Documented as probable/suspected in an outpatient setting.
    Uncertain,
    /// Documented as history (e.g. a malignancy with no evidence of disease).
    History,
    /// Contradicted by the documentation (e.g. septic shock not documented).
    Contradicted,
}

impl Never {
    fn parse(text: &str) -> Option<Self> {
        match text {
            "ruled_out" => Some(Self::RuledOut),
            "uncertain" => Some(Self::Uncertain),
            "history" => Some(Self::History),
            "contradicted" => Some(Self::Contradicted),
            _ => None,
        }
    }

    fn severity(self, s: &CodeSettings) -> Severity {
        match self {
            Self::RuledOut => s.severity.ruled_out_coded,
            Self::Uncertain => s.severity.uncertain_coded,
            Self::History => s.severity.history_as_current,
            Self::Contradicted => s.severity.contradicted_code,
        }
    }

    fn what(self) -> &'static str {
        match self {
            Self::RuledOut => "a condition documented as ruled out, coded as confirmed",
            Self::Uncertain => {
                "an outpatient uncertain (probable, suspected, likely) diagnosis, coded as confirmed"
            }
            Self::History => "a condition documented as history, coded as current",
            Self::Contradicted => "a code the documentation contradicts",
        }
    }

    fn rule(self) -> &'static str {
        match self {
            Self::RuledOut => {
                "ICD-10-CM Official Guidelines IV.H and II.H (only confirmed conditions are coded; a condition ruled out is not)"
            }
            Self::Uncertain => {
                "ICD-10-CM Official Guidelines IV.H (outpatient: do not code a diagnosis documented as probable, suspected or likely; code the signs and symptoms)"
            }
            Self::History => {
                "ICD-10-CM Official Guidelines I.C.2.d (a malignancy excised or eradicated, with no further treatment and no evidence of disease, is coded Z85, personal history)"
            }
            Self::Contradicted => {
                "ICD-10-CM Official Guidelines I.A.19 and I.B.14 (code assignment rests on the provider's documentation; a code it does not support is not reported)"
            }
        }
    }
}

/// A severity as a finding reads it.
fn severity_word(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "critical",
        Severity::Major => "major",
        Severity::Minor => "minor",
    }
}

/// One line of the answer key, in the display spelling.
#[derive(Debug, Clone)]
struct KeyEntry {
    code: String,
    accepted: Vec<String>,
    optional: bool,
    /// A status or history code: leaving it out is a minor error by default.
    status: bool,
    /// A combination code: leaving it out is a missed combination.
    combination: bool,
    /// May be listed first in place of the key's first code.
    may_be_first: bool,
    /// The guideline that directs this (first) code to be principal / first-listed.
    first_by: Option<String>,
    /// A code the documentation forbids, and why.
    never: Option<Never>,
    /// Why the key has this line (annotated keys carry one), shown when it is missed.
    rationale: Option<String>,
}

fn flag(map: &serde_json::Map<String, Value>, name: &str) -> bool {
    map.get(name).and_then(Value::as_bool).unwrap_or(false)
}

fn text_of(map: &serde_json::Map<String, Value>, name: &str) -> Option<String> {
    map.get(name)
        .and_then(Value::as_str)
        .filter(|r| !r.trim().is_empty())
        .map(str::to_string)
}

/// The key's lines with their accepted alternatives (the entry's own and the rubric's
/// alternative groups) and their annotations.
fn key_entries(key: &Value, settings: &CodeSettings) -> Vec<KeyEntry> {
    let items = key.as_array().map(Vec::as_slice).unwrap_or_default();
    let groups: Vec<Vec<String>> = settings
        .alternatives
        .iter()
        .map(|g| g.iter().map(|c| with_dot(c)).collect())
        .collect();
    let rubric_optional: HashSet<String> = settings.optional.iter().map(|o| with_dot(o)).collect();
    items
        .iter()
        .filter_map(|item| {
            let mut entry = match item {
                Value::Object(map) => KeyEntry {
                    code: with_dot(&map.get("code").map(value_text)?),
                    accepted: map
                        .get("alternatives")
                        .and_then(Value::as_array)
                        .map(|a| a.iter().map(|c| with_dot(&value_text(c))).collect())
                        .unwrap_or_default(),
                    optional: flag(map, "optional"),
                    status: flag(map, "status"),
                    combination: flag(map, "combination"),
                    may_be_first: flag(map, "may_be_first"),
                    first_by: text_of(map, "first_by"),
                    never: map
                        .get("never")
                        .and_then(Value::as_str)
                        .and_then(Never::parse),
                    rationale: text_of(map, "rationale"),
                },
                other @ (Value::Null
                | Value::Bool(_)
                | Value::Number(_)
                | Value::String(_)
                | Value::Array(_)) => KeyEntry {
                    code: with_dot(&value_text(other)),
                    accepted: Vec::new(),
                    optional: false,
                    status: false,
                    combination: false,
                    may_be_first: false,
                    first_by: None,
                    never: None,
                    rationale: None,
                },
            };
            entry.accepted.insert(0, entry.code.clone());
            for group in &groups {
                if group.contains(&entry.code) {
                    entry.accepted.extend(group.iter().cloned());
                }
            }
            entry.optional |= rubric_optional.contains(&entry.code);
            Some(entry)
        })
        .collect()
}

/// The codes a key list requires, in reporting order: its lines (plain codes, or objects with
/// `code`) without the never-coded and the optional ones.
#[must_use]
pub fn required_codes(list: &Value) -> Vec<String> {
    list.as_array()
        .map(|items| {
            items
                .iter()
                .filter(|l| l.get("never").is_none() && l.get("optional").is_none())
                .filter_map(|l| l.get("code").unwrap_or(l).as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// The key as shown to the learner next to a coding criterion: its lines without the
/// never-coded ones (those teach through the findings).
#[must_use]
pub(crate) fn expected_codes(key: &Value) -> Value {
    match key {
        Value::Array(items) => Value::Array(
            items
                .iter()
                .filter(|i| i.get("never").is_none())
                .cloned()
                .collect(),
        ),
        other @ (Value::Null
        | Value::Bool(_)
        | Value::Number(_)
        | Value::String(_)
        | Value::Object(_)) => other.clone(),
    }
}

/// The checker's facts about a code, when there is a checker and it knows the code.
fn facts(checker: Option<&dyn CodeChecker>, code: &str) -> Option<CodeFacts> {
    checker.and_then(|c| c.lookup(code))
}

/// The submitted code lines as written (strings, or objects with `code`), blank ones and
/// never-coded key lines dropped.
fn submitted_lines(given: Option<&Value>) -> Vec<String> {
    given
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|v| match v {
                    Value::Object(m) if m.contains_key("never") => None,
                    Value::Object(m) => Some(m.get("code").map(value_text).unwrap_or_default()),
                    other @ (Value::Null
                    | Value::Bool(_)
                    | Value::Number(_)
                    | Value::String(_)
                    | Value::Array(_)) => Some(value_text(other)),
                })
                .filter(|c| !c.trim().is_empty())
                .collect()
        })
        .unwrap_or_default()
}

/// What a criterion's findings collect: the details shown to the learner and the critical
/// errors its gate reads.
#[derive(Default)]
struct Findings {
    details: Vec<String>,
    critical: Vec<String>,
}

impl Findings {
    /// Records an error of a severity: a critical one is also kept for the gate.
    fn error(&mut self, severity: Severity, what: &str, rule: &str) -> String {
        let text = format!("{} — {what} (rule: {rule})", severity_word(severity));
        if severity == Severity::Critical {
            self.critical.push(format!("{what} (rule: {rule})"));
        }
        text
    }
}

/// The submitted lines of one answer, canonical, with what the later steps need per line.
struct Lines {
    /// Each submitted code in the display spelling, in submitted order.
    codes: Vec<String>,
    /// The checker's facts per line.
    facts: Vec<Option<CodeFacts>>,
    /// Whether each line repeats an earlier line's code.
    repeat: Vec<bool>,
    /// The never-coded key entry each line hits (index into the never list).
    never_hit: Vec<Option<usize>>,
    /// The lines that count toward "entered" (indices into `codes`).
    counted: Vec<usize>,
}

/// For each line, whether an earlier line has the same code.
fn repeats(codes: &[String]) -> Vec<bool> {
    let mut seen: HashSet<&str> = HashSet::with_capacity(codes.len());
    codes.iter().map(|c| !seen.insert(c.as_str())).collect()
}

/// For each line, the never-coded entry whose code is the line's code or one of its prefixes
/// ("C61" forbids C61; "R65.21" forbids R65.21).
fn never_hits(codes: &[String], never: &[&KeyEntry]) -> Vec<Option<usize>> {
    let mut by_key: HashMap<String, usize> = HashMap::new();
    for (n, e) in never.iter().enumerate() {
        for a in &e.accepted {
            by_key.entry(strip_dot(a)).or_insert(n);
        }
    }
    if by_key.is_empty() {
        return vec![None; codes.len()];
    }
    codes
        .iter()
        .map(|c| {
            let key = strip_dot(c);
            (1..=key.len()).find_map(|n| key.get(..n).and_then(|p| by_key.get(p)).copied())
        })
        .collect()
}

/// Which submitted lines count toward "entered": all but optional codes, with a repeat and a
/// never-coded line counted as extra codes. Notes repeats and free optional codes.
fn counted_lines(
    lines: &mut Lines,
    entries: &[KeyEntry],
    required: &[&KeyEntry],
    settings: &CodeSettings,
    details: &mut Vec<String>,
) {
    let required_codes: HashSet<&str> = required
        .iter()
        .flat_map(|e| e.accepted.iter().map(String::as_str))
        .collect();
    let mut optional: HashSet<String> = entries
        .iter()
        .filter(|e| e.optional)
        .flat_map(|e| e.accepted.iter().cloned())
        .collect();
    optional.extend(settings.optional.iter().map(|o| with_dot(o)));
    for (i, code) in lines.codes.iter().enumerate() {
        let repeat = lines.repeat.get(i).copied().unwrap_or(false);
        let never = lines.never_hit.get(i).copied().flatten().is_some();
        if repeat {
            details.push(format!(
                "{code}: listed twice; the repeat counts as an extra code"
            ));
            lines.counted.push(i);
        } else if !never
            && optional.contains(code.as_str())
            && !required_codes.contains(code.as_str())
        {
            details.push(format!("{code}: optional, no cost"));
        } else {
            lines.counted.push(i);
        }
    }
}

/// Each submitted line's credit (by index): its pair's credit (times `wrong_order` when out of
/// the mandated order); a never-coded line earns what its severity leaves of a line.
fn line_credits(
    lines: &Lines,
    pairing: &Pairing,
    out_of_order: &[bool],
    never: &[&KeyEntry],
    settings: &CodeSettings,
) -> Vec<f64> {
    (0..lines.codes.len())
        .map(|i| {
            if let Some(n) = lines.never_hit.get(i).copied().flatten() {
                let sev = never
                    .get(n)
                    .and_then(|e| e.never)
                    .map_or(Severity::Critical, |w| w.severity(settings));
                return (1.0 - settings.costs.of(sev)).max(0.0);
            }
            let base = pairing.of(i).map_or(0.0, |(_, rel)| rel.credit(settings));
            if out_of_order.get(i).copied().unwrap_or(false) {
                base * settings.credits.wrong_order
            } else {
                base
            }
        })
        .collect()
}

/// The per-line findings: each counted line's verdict, class and credit.
fn line_findings(
    lines: &Lines,
    pairing: &Pairing,
    out_of_order: &[bool],
    credit_of: &[f64],
    (required, never): (&[&KeyEntry], &[&KeyEntry]),
    settings: &CodeSettings,
    f: &mut Findings,
) {
    for &i in &lines.counted {
        let code = lines.codes.get(i).map_or("", String::as_str);
        let line_credit = credit_of.get(i).copied().unwrap_or(0.0);
        let pct = fmt_num(line_credit * 100.0);
        if let Some(e) = lines
            .never_hit
            .get(i)
            .copied()
            .flatten()
            .and_then(|n| never.get(n))
            && let Some(why) = e.never
        {
            let sev = why.severity(settings);
            let class = f.error(sev, why.what(), why.rule());
            let because = e
                .rationale
                .as_deref()
                .map(|r| format!("; why not: {r}"))
                .unwrap_or_default();
            f.details.push(format!("{code}: {class}{because} — {pct}%"));
            continue;
        }
        let order_note = if out_of_order.get(i).copied().unwrap_or(false) {
            format!(
                "; out of the mandated order (×{})",
                fmt_num(settings.credits.wrong_order)
            )
        } else {
            String::new()
        };
        match pairing.of(i) {
            Some((k, rel)) => {
                let exp = required.get(k).map_or("", |e| e.code.as_str());
                let what = if rel == Relation::Exact {
                    "correct".to_string()
                } else {
                    let why = required
                        .get(k)
                        .and_then(|e| e.rationale.as_deref())
                        .map(|r| format!("; why {exp}: {r}"))
                        .unwrap_or_default();
                    let class = match rel {
                        Relation::Specificity => format!(
                            " [{}]",
                            f.error(
                                settings.severity.less_specific,
                                "less specific code in the right category",
                                "ICD-10-CM Official Guidelines I.B.18 (code to the highest documented specificity)"
                            )
                        ),
                        Relation::WrongDetail => format!(
                            " [{}]",
                            f.error(
                                settings.severity.wrong_detail,
                                "code of the right category whose detail the record contradicts",
                                "ICD-10-CM Official Guidelines I.A.19 and I.B.18 (the code states what the provider documented: trimester, stage, type, site)"
                            )
                        ),
                        Relation::Exact
                        | Relation::SeventhCharacter
                        | Relation::Laterality
                        | Relation::Invalid
                        | Relation::PcsAxes { .. } => String::new(),
                    };
                    format!("{}{class} (expected {exp}{why})", rel.describe())
                };
                f.details
                    .push(format!("{code}: {what}{order_note} — {pct}%"));
            }
            None if lines.repeat.get(i).copied().unwrap_or(false) => {}
            None => f
                .details
                .push(format!("{code}: not supported by the record — 0%")),
        }
    }
}

/// Scores a code-set criterion: counts the submitted lines, pairs them with the key, applies
/// the sequencing rules, classifies every error by the rubric's severity table, divides the
/// line credits by max(entered, expected) and deducts for coding edits (see the module
/// documentation).
#[must_use]
pub fn score(
    key: &Value,
    given: Option<&Value>,
    settings: &CodeSettings,
    checker: Option<&dyn CodeChecker>,
    setting: CodingSetting,
) -> Scored {
    let entries = key_entries(key, settings);
    let required: Vec<&KeyEntry> = entries
        .iter()
        .filter(|e| !e.optional && e.never.is_none())
        .collect();
    let never: Vec<&KeyEntry> = entries.iter().filter(|e| e.never.is_some()).collect();
    let given_raw = submitted_lines(given);
    if given_raw.is_empty() {
        return if required.is_empty() && given.is_some_and(Value::is_array) {
            Scored::graded(1.0, vec!["no codes expected, none given".to_string()])
        } else {
            let mut missing = Scored::missing();
            if !required.is_empty() {
                missing.critical.push("no codes given".to_string());
            }
            missing
        };
    }
    let given_facts: Vec<Option<CodeFacts>> = given_raw.iter().map(|c| facts(checker, c)).collect();
    let codes: Vec<String> = given_raw
        .iter()
        .zip(&given_facts)
        .map(|(c, f)| {
            f.as_ref()
                .map_or_else(|| with_dot(c), |f| with_dot(&f.code))
        })
        .collect();
    let mut lines = Lines {
        repeat: repeats(&codes),
        never_hit: never_hits(&codes, &never),
        facts: given_facts,
        codes,
        counted: Vec::new(),
    };
    let mut f = Findings::default();
    counted_lines(&mut lines, &entries, &required, settings, &mut f.details);
    let pairing = pair_lines(&lines, &required, settings, checker);
    let out_of_order = sequence::out_of_order(settings.sequencing, &lines, &pairing, &required);
    sequence::principal(&lines, &pairing, &required, settings, &mut f);
    let credit_of = line_credits(&lines, &pairing, &out_of_order, &never, settings);
    line_findings(
        &lines,
        &pairing,
        &out_of_order,
        &credit_of,
        (&required, &never),
        settings,
        &mut f,
    );
    let missed_credit = missing::missing_lines(&required, &pairing, settings, checker, &mut f);

    let lines_total: f64 = lines.counted.iter().filter_map(|i| credit_of.get(*i)).sum();
    let total = lines_total + missed_credit;
    let denom = lines.counted.len().max(required.len()).max(1);
    #[allow(clippy::cast_precision_loss)]
    let denom_f = denom as f64;
    let mut credit = total / denom_f;
    f.details.push(format!(
        "score {} ÷ max({} entered, {} expected) = {}%",
        fmt_num(total),
        lines.counted.len(),
        required.len(),
        fmt_num(credit * 100.0)
    ));
    let deducted = edits::apply_edits(checker, &lines.codes, &entries, settings, setting, &mut f);
    if deducted > 0.0 {
        credit -= deducted / denom_f;
        f.details.push(format!(
            "after edit deductions ({} line{} ÷ {denom}): {}%",
            fmt_num(deducted),
            if (deducted - 1.0).abs() < 1e-9 {
                ""
            } else {
                "s"
            },
            fmt_num(credit.max(0.0) * 100.0)
        ));
    }
    let mut scored = Scored::graded(credit, f.details);
    scored.critical = f.critical;
    scored
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grading::checker::{CodeEdit, EditKind, Laterality};
    use crate::grading::report::Outcome;
    use crate::grading::rubric::Sequencing;
    use serde_json::json;

    /// A tiny fake: a handful of codes, E11.9 requires nothing, R73.9 Excludes1 E11.x.
    struct Fake;
    impl CodeChecker for Fake {
        fn lookup(&self, code: &str) -> Option<CodeFacts> {
            let c = with_dot(code);
            let (billable, side) = match c.as_str() {
                "E11" | "S52.5" => (false, None),
                "E11.9" | "E11.65" | "E11.22" | "N18.30" | "R73.9" | "I10" | "I12.9" | "Z79.4"
                | "W01.0XXA" => (true, None),
                "S52.501A" | "S52.501D" => (true, Some(Laterality::Right)),
                "S52.502A" => (true, Some(Laterality::Left)),
                "S52.509A" => (true, Some(Laterality::Unspecified)),
                _ => return None,
            };
            Some(CodeFacts {
                code: c,
                billable,
                description: String::new(),
                laterality: side,
            })
        }
        fn edits(&self, codes: &[String], _setting: CodingSetting) -> Vec<CodeEdit> {
            let has = |c: &str| codes.iter().any(|x| x == c);
            let mut out = Vec::new();
            if has("R73.9") && codes.iter().any(|c| c.starts_with("E11")) {
                out.push(CodeEdit {
                    kind: EditKind::Excludes1,
                    codes: vec!["R73.9".into(), "E11.65".into()],
                    message: "R73 excludes diabetes".into(),
                    rule: "Tabular R73 Excludes1".into(),
                    missing: None,
                });
            }
            if has("E11.22") && !codes.iter().any(|c| c.starts_with("N18")) {
                out.push(CodeEdit {
                    kind: EditKind::UseAdditional,
                    codes: vec!["E11.22".into()],
                    message: "use additional code to identify the stage of CKD (N18.-)".into(),
                    rule: "Tabular E11.22 use additional code".into(),
                    missing: Some("CKD stage (N18.-)".into()),
                });
            }
            let pos = |c: &str| codes.iter().position(|x| x == c);
            if let (Some(n), Some(i)) = (pos("N18.30"), pos("I12.9"))
                && n < i
            {
                out.push(CodeEdit {
                    kind: EditKind::CodeFirst,
                    codes: vec!["N18.30".into(), "I12.9".into()],
                    message: "N18 code first I12".into(),
                    rule: "Tabular N18 code first".into(),
                    missing: None,
                });
            }
            if has("I12.9") && !codes.iter().any(|c| c.starts_with("N18")) {
                out.push(CodeEdit {
                    kind: EditKind::UseAdditional,
                    codes: vec!["I12.9".into()],
                    message: "use additional code to identify the stage of CKD (N18.-)".into(),
                    rule: "OCG I.C.9.a.2".into(),
                    missing: Some("CKD stage (N18.-)".into()),
                });
            }
            out
        }
        fn use_additional_rule(&self, trigger: &str, code: &str) -> Option<String> {
            (matches!(trigger, "E11.22" | "I12.9") && code.starts_with("N18"))
                .then(|| format!("Tabular {trigger} note"))
        }
    }

    fn run(key: &Value, given: &Value, s: &CodeSettings) -> Scored {
        score(key, Some(given), s, Some(&Fake), CodingSetting::Outpatient)
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn exact_set_is_full_credit() {
        let s = run(
            &json!(["E11.65", "Z79.4"]),
            &json!(["e1165", "Z79.4"]),
            &CodeSettings::default(),
        );
        assert_eq!(s.outcome, Outcome::Correct);
    }

    #[test]
    fn over_coding_divides_by_entered() {
        let s = run(
            &json!(["I10"]),
            &json!(["I10", "E11.9"]),
            &CodeSettings::default(),
        );
        assert!(close(s.credit, 0.5));
    }

    #[test]
    fn under_coding_divides_by_expected() {
        let s = run(
            &json!(["E11.65", "Z79.4", "I10"]),
            &json!(["E11.65"]),
            &CodeSettings::default(),
        );
        assert!(close(s.credit, 1.0 / 3.0));
    }

    #[test]
    fn optional_codes_cost_nothing() {
        let mut set = CodeSettings::default();
        set.optional.push("W01.0XXA".into());
        let s = run(&json!(["S52.501A"]), &json!(["S52.501A", "W01.0XXA"]), &set);
        assert_eq!(s.credit, 1.0);
        assert!(
            s.details
                .contains(&"W01.0XXA: optional, no cost".to_string())
        );
    }

    #[test]
    fn alternatives_are_accepted() {
        let key = json!([{"code": "E11.65", "alternatives": ["E11.9"]}]);
        assert_eq!(
            run(&key, &json!(["E11.9"]), &CodeSettings::default()).credit,
            1.0
        );
    }

    #[test]
    fn wrong_specificity_is_half() {
        let s = run(
            &json!(["E11.65"]),
            &json!(["E11.9"]),
            &CodeSettings::default(),
        );
        assert!(close(s.credit, 0.5));
        assert_eq!(
            s.details[0],
            "E11.9: right category, wrong specificity [minor — less specific code in the right category (rule: ICD-10-CM Official Guidelines I.B.18 (code to the highest documented specificity))] (expected E11.65) — 50%"
        );
    }

    #[test]
    fn wrong_seventh_character_is_half() {
        let s = run(
            &json!(["S52.501A"]),
            &json!(["S52.501D"]),
            &CodeSettings::default(),
        );
        assert!(close(s.credit, 0.5));
    }

    #[test]
    fn wrong_laterality_is_35_percent() {
        let s = run(
            &json!(["S52.501A"]),
            &json!(["S52.502A"]),
            &CodeSettings::default(),
        );
        assert!(close(s.credit, 0.35));
    }

    #[test]
    fn header_code_is_15_percent() {
        let s = run(&json!(["E11.9"]), &json!(["E11"]), &CodeSettings::default());
        assert!(close(s.credit, 0.15));
    }

    #[test]
    fn wrong_mandated_order_is_70_percent_per_line() {
        let set = CodeSettings {
            sequencing: Sequencing::Strict,
            ..CodeSettings::default()
        };
        let s = run(
            &json!(["E11.65", "Z79.4"]),
            &json!(["Z79.4", "E11.65"]),
            &set,
        );
        // LIS keeps one line; the other earns 0.7: (1 + 0.7) / 2
        assert!(close(s.credit, 0.85));
        let first = CodeSettings::default(); // FirstListed
        let s = run(
            &json!(["E11.65", "Z79.4"]),
            &json!(["Z79.4", "E11.65"]),
            &first,
        );
        assert!(close(s.credit, 0.85));
    }

    #[test]
    fn excludes1_partner_deducts() {
        let s = run(
            &json!(["E11.65"]),
            &json!(["E11.65", "R73.9"]),
            &CodeSettings::default(),
        );
        // 1 / 2 entered = 0.5, then a major error: −1 line of 2
        assert!(close(s.credit, 0.0));
        assert!(s.details.iter().any(|d| d.contains(
            "rule: Tabular R73 Excludes1 [major — two codes never reported together (an Excludes1 note or a guideline), −1 line]"
        )));
    }

    #[test]
    fn missing_use_additional_code_costs_its_line_once() {
        let s = run(
            &json!(["E11.22", "N18.30"]),
            &json!(["E11.22"]),
            &CodeSettings::default(),
        );
        // 1 / 2 expected = 0.5: the missing code is a major error, a full line, no more.
        assert!(close(s.credit, 0.5));
        assert!(
            s.details
                .iter()
                .any(|d| d.starts_with("edit UseAdditional [E11.22]"))
        );
        assert!(s.details.iter().any(|d| d.starts_with(
            "N18.30: expected but not coded — major — the code a \"use additional code\" note of E11.22 requires, left out (rule: Tabular E11.22 note"
        )), "{:?}", s.details);
    }

    #[test]
    fn a_missed_or_inexact_line_shows_the_keys_rationale() {
        let key = json!([
            {"code": "E11.22", "rationale": "diabetes with CKD: combination code"},
            {"code": "N18.30", "rationale": "E11.22 says use additional code for the stage"},
        ]);
        let s = run(&key, &json!(["E11.9"]), &CodeSettings::default());
        assert!(
            s.details.iter().any(|d| d
                .contains("(expected E11.22; why E11.22: diabetes with CKD: combination code)")),
            "{:?}",
            s.details
        );
        assert!(
            s.details
                .iter()
                .any(|d| d.starts_with("N18.30: expected but not coded — major")
                    && d.ends_with("— why: E11.22 says use additional code for the stage"))
        );
    }

    #[test]
    fn one_missing_code_asked_for_twice_costs_one_line() {
        let s = run(
            &json!(["E11.22", "I12.9", "N18.30"]),
            &json!(["E11.22", "I12.9"]),
            &CodeSettings::default(),
        );
        // 2 / 3 expected: both codes need the same N18 stage code, one line is missing.
        assert!(close(s.credit, 2.0 / 3.0), "{}", s.credit);
        assert!(
            s.details
                .iter()
                .any(|d| d.starts_with("edit UseAdditional [I12.9]"))
        );
    }

    #[test]
    fn a_broken_code_first_order_costs_a_line() {
        let s = run(
            &json!(["E11.22", "I12.9", "N18.30"]),
            &json!(["E11.22", "N18.30", "I12.9"]),
            &CodeSettings::default(),
        );
        // 3 / 3, then a major error: −1 line of 3.
        assert!(close(s.credit, 2.0 / 3.0), "{}", s.credit);
        assert!(s.critical.is_empty());
    }

    #[test]
    fn never_coded_lines_are_critical() {
        let key = json!(["I10", {"code": "I21.4", "never": "ruled_out", "rationale": "ruled out"}, {"code": "C61", "never": "history", "rationale": "history"}]);
        let s = run(&key, &json!(["I10", "I21.4"]), &CodeSettings::default());
        assert!(close(s.credit, 0.5), "{}", s.credit);
        assert_eq!(s.critical.len(), 1, "{:?}", s.critical);
        assert!(s.critical[0].starts_with("a condition documented as ruled out"));
        let s = run(&key, &json!(["I10", "C61"]), &CodeSettings::default());
        assert!(s.critical[0].starts_with("a condition documented as history"));
        let s = run(&key, &json!(["I10"]), &CodeSettings::default());
        assert_eq!(s.credit, 1.0);
        assert!(s.critical.is_empty());
    }

    #[test]
    fn guideline_directed_principal_and_may_be_first() {
        let key = json!([{"code": "E11.65", "first_by": "OCG X"}, "I10"]);
        let s = run(&key, &json!(["I10", "E11.65"]), &CodeSettings::default());
        assert_eq!(s.critical.len(), 1);
        assert!(s.critical[0].contains("(rule: OCG X)"), "{:?}", s.critical);
        let key = json!(["E11.65", {"code": "I10", "may_be_first": true}]);
        let s = run(&key, &json!(["I10", "E11.65"]), &CodeSettings::default());
        assert_eq!(s.credit, 1.0);
        assert!(s.critical.is_empty());
    }

    #[test]
    fn a_missing_status_code_is_minor() {
        let key = json!(["E11.65", "I10", {"code": "Z79.4", "status": true}]);
        let s = run(&key, &json!(["E11.65", "I10"]), &CodeSettings::default());
        assert!(close(s.credit, 2.5 / 3.0), "{}", s.credit);
    }

    #[test]
    fn pcs_codes_are_scored_axis_by_axis() {
        let set = CodeSettings::default();
        let by = |given: &str| {
            score(
                &json!(["0DTJ4ZZ"]),
                Some(&json!([given])),
                &set,
                None,
                CodingSetting::Inpatient,
            )
            .credit
        };
        assert!(close(by("0DTJ4ZZ"), 1.0));
        assert!(close(by("0DTJ0ZZ"), 0.9));
        assert!(close(by("0DBJ4ZZ"), 0.6));
        assert!(close(by("0DTK4ZZ"), 0.7));
        assert!(close(by("0FT44ZZ"), 0.0));
        let s = score(
            &json!(["0DTJ4ZZ"]),
            Some(&json!(["0dtj0zz"])),
            &set,
            None,
            CodingSetting::Inpatient,
        );
        assert!(
            s.details[0].starts_with("0DTJ0ZZ: ICD-10-PCS approach wrong"),
            "{:?}",
            s.details
        );
    }

    #[test]
    fn excludes1_pair_in_the_key_is_exempt() {
        let s = run(
            &json!(["E11.65", "R73.9"]),
            &json!(["E11.65", "R73.9"]),
            &CodeSettings::default(),
        );
        assert_eq!(s.credit, 1.0);
    }

    #[test]
    fn unrelated_wrong_code_earns_nothing_and_counts_as_entered() {
        let s = run(&json!(["I10"]), &json!(["E11.9"]), &CodeSettings::default());
        assert_eq!(s.outcome, Outcome::Incorrect);
        assert_eq!(s.details[0], "E11.9: not supported by the record — 0%");
        assert!(s.details[1].starts_with("I10: expected but not coded — major — a documented condition left uncoded (rule: ICD-10-CM Official Guidelines III and IV.J"));
    }

    #[test]
    fn without_a_checker_codes_compare_by_spelling() {
        let s = score(
            &json!(["E11.65"]),
            Some(&json!(["E11.65"])),
            &CodeSettings::default(),
            None,
            CodingSetting::Outpatient,
        );
        assert_eq!(s.credit, 1.0);
    }

    #[test]
    fn duplicates_count_as_extra() {
        let s = run(
            &json!(["I10"]),
            &json!(["I10", "i10"]),
            &CodeSettings::default(),
        );
        assert!(close(s.credit, 0.5));
    }

    #[test]
    fn blank_is_missing() {
        let s = run(&json!(["I10"]), &json!([]), &CodeSettings::default());
        assert_eq!(s.outcome, Outcome::Missing);
    }

    #[test]
    fn with_dot_inserts_the_dot() {
        assert_eq!(with_dot(" s52501a "), "S52.501A");
        assert_eq!(with_dot("I10"), "I10");
    }
}
