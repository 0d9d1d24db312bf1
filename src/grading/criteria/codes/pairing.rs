//! Pairing submitted code lines with key entries, and what each pair earns.
//!
//! Each counted line is paired with at most one required key entry: exact pairs (the code or
//! an accepted alternative) are made first, in submitted order; then each line still unpaired
//! takes the unpaired key entry of its category that earns it the most partial credit (ties go
//! to the earlier key entry). A repeated line, or one the key forbids, is never paired: it
//! counts as an extra code. Lookups go through hash maps keyed by code and by category, so
//! pairing is linear in the number of lines.

use std::collections::HashMap;

use super::{KeyEntry, Lines, facts};
use crate::grading::checker::{CodeChecker, CodeFacts, Laterality};
use crate::grading::rubric::{CodeSettings, PcsAxes, Severity};
use crate::terminology::syntax::{is_pcs_display, strip_dot};

/// How a submitted line relates to a key entry.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Relation {
    Exact,
    SeventhCharacter,
    Laterality,
    Specificity,
    /// As specific as the key's code, with another detail (trimester, stage, type, site).
    WrongDetail,
    Invalid,
    /// An ICD-10-PCS code with some axes wrong: its credit and which axes (bit per character).
    PcsAxes {
        credit: f64,
        wrong: u8,
    },
}

impl Relation {
    /// The line credit of this relation under the rubric's credits and severities.
    pub(super) fn credit(self, s: &CodeSettings) -> f64 {
        match self {
            Self::Exact => 1.0,
            Self::SeventhCharacter => s.credits.wrong_seventh_character,
            Self::Laterality => s.credits.wrong_laterality,
            Self::Specificity => severity_credit(s.severity.less_specific, s),
            Self::WrongDetail => severity_credit(s.severity.wrong_detail, s),
            Self::Invalid => s.credits.invalid_code,
            Self::PcsAxes { credit, .. } => credit,
        }
    }

    /// How the relation reads in a finding ("wrong 7th character").
    pub(super) fn describe(self) -> String {
        match self {
            Self::Exact => "correct".to_string(),
            Self::SeventhCharacter => "wrong 7th character".to_string(),
            Self::Laterality => "wrong laterality".to_string(),
            Self::Specificity => "right category, wrong specificity".to_string(),
            Self::WrongDetail => "right category, a detail the record contradicts".to_string(),
            Self::Invalid => "invalid or header code in the right category".to_string(),
            Self::PcsAxes { wrong, .. } => {
                let names = PcsAxes::default().named();
                let axes: Vec<&str> = names
                    .iter()
                    .enumerate()
                    .filter(|(n, _)| wrong & (1 << n) != 0)
                    .map(|(_, (name, _))| *name)
                    .collect();
                format!(
                    "ICD-10-PCS {} wrong (ICD-10-PCS Official Guidelines A, B3, B4, B5, B6: each character is an axis)",
                    axes.join(", ")
                )
            }
        }
    }
}

/// Which key entry, if any, each submitted line is paired with.
pub(super) struct Pairing {
    /// Per submitted line (by index): the required key entry's index and the relation.
    pub(super) pair: Vec<Option<(usize, Relation)>>,
    /// Per required key entry: whether a line has been paired with it.
    pub(super) taken: Vec<bool>,
}

impl Pairing {
    /// The pair of submitted line `i`, if it has one.
    pub(super) fn of(&self, i: usize) -> Option<(usize, Relation)> {
        self.pair.get(i).copied().flatten()
    }

    fn take(&mut self, i: usize, k: usize, relation: Relation) {
        if let Some(t) = self.taken.get_mut(k) {
            *t = true;
        }
        if let Some(p) = self.pair.get_mut(i) {
            *p = Some((k, relation));
        }
    }

    fn is_taken(&self, k: usize) -> bool {
        self.taken.get(k).copied().unwrap_or(true)
    }
}

/// True when line `i` may be paired: not a repeat and not a code the key forbids.
fn pairable(lines: &Lines, i: usize) -> bool {
    !lines.repeat.get(i).copied().unwrap_or(true)
        && lines.never_hit.get(i).copied().flatten().is_none()
}

/// Pairs the counted lines with the required key entries: exact pairs first, then the best
/// partial pair for each remaining line.
pub(super) fn pair_lines(
    lines: &Lines,
    required: &[&KeyEntry],
    settings: &CodeSettings,
    checker: Option<&dyn CodeChecker>,
) -> Pairing {
    let mut pairing = Pairing {
        pair: vec![None; lines.codes.len()],
        taken: vec![false; required.len()],
    };
    pair_exact(&mut pairing, lines, required);
    pair_partial(&mut pairing, lines, required, settings, checker);
    pairing
}

/// Pairs each line whose code a free key entry accepts with the first such entry.
fn pair_exact(pairing: &mut Pairing, lines: &Lines, required: &[&KeyEntry]) {
    // Accepted code → the entries accepting it, in key order, and a cursor past the taken ones.
    let mut accepting: HashMap<&str, (Vec<usize>, usize)> = HashMap::new();
    for (k, e) in required.iter().enumerate() {
        for a in &e.accepted {
            let slot = accepting.entry(a.as_str()).or_default();
            if slot.0.last() != Some(&k) {
                slot.0.push(k);
            }
        }
    }
    for &i in &lines.counted {
        if !pairable(lines, i) {
            continue;
        }
        let Some(code) = lines.codes.get(i) else {
            continue;
        };
        let Some((ks, cursor)) = accepting.get_mut(code.as_str()) else {
            continue;
        };
        while ks.get(*cursor).is_some_and(|k| pairing.is_taken(*k)) {
            *cursor += 1;
        }
        if let Some(&k) = ks.get(*cursor) {
            pairing.take(i, k, Relation::Exact);
        }
    }
}

/// The bucket a code pairs within: its ICD-10-CM category (three characters), or for an
/// ICD-10-PCS code its section and body system (two characters).
fn bucket(code: &str) -> String {
    let key = strip_dot(code);
    let n = if is_pcs_display(&key) { 2 } else { 3 };
    key.get(..n).unwrap_or(&key).to_string()
}

/// Pairs each line left unpaired with the free key entry of its bucket that earns it the most
/// credit.
fn pair_partial(
    pairing: &mut Pairing,
    lines: &Lines,
    required: &[&KeyEntry],
    settings: &CodeSettings,
    checker: Option<&dyn CodeChecker>,
) {
    let mut buckets: HashMap<String, Vec<usize>> = HashMap::new();
    for (k, e) in required.iter().enumerate() {
        if !pairing.is_taken(k) {
            buckets.entry(bucket(&e.code)).or_default().push(k);
        }
    }
    if buckets.is_empty() {
        return;
    }
    let key_facts: Vec<Option<CodeFacts>> =
        required.iter().map(|e| facts(checker, &e.code)).collect();
    for &i in &lines.counted {
        if pairing.of(i).is_some() || !pairable(lines, i) {
            continue;
        }
        let Some(code) = lines.codes.get(i) else {
            continue;
        };
        let Some(free) = buckets.get_mut(&bucket(code)) else {
            continue;
        };
        let gf = lines.facts.get(i).and_then(Option::as_ref);
        let mut best: Option<(usize, Relation, f64)> = None;
        for &k in free.iter() {
            let Some(e) = required.get(k) else {
                continue;
            };
            let ef = key_facts.get(k).and_then(Option::as_ref);
            if let Some(rel) = classify(code, gf, &e.code, ef, checker.is_some(), settings) {
                let c = rel.credit(settings);
                if best.is_none_or(|(_, _, bc)| c > bc) {
                    best = Some((k, rel, c));
                }
            }
        }
        if let Some((k, rel, _)) = best {
            pairing.take(i, k, rel);
            free.retain(|x| *x != k);
        }
    }
}

/// How a submitted code relates to a key code of the same bucket (`None` when they do not
/// pair). Without a checker every code counts as valid.
fn classify(
    given: &str,
    given_facts: Option<&CodeFacts>,
    expected: &str,
    expected_facts: Option<&CodeFacts>,
    has_checker: bool,
    settings: &CodeSettings,
) -> Option<Relation> {
    let (g, e) = (strip_dot(given), strip_dot(expected));
    let valid = !has_checker || given_facts.is_some_and(|f| f.billable);
    if is_pcs_display(&e) || is_pcs_display(&g) {
        return pcs_axes(&g, &e, valid, settings);
    }
    if g.get(..3) != e.get(..3) {
        return None;
    }
    if !valid {
        return Some(Relation::Invalid);
    }
    if g.len() == 7 && e.len() == 7 && g.get(..6) == e.get(..6) {
        return Some(Relation::SeventhCharacter);
    }
    let side = |f: Option<&CodeFacts>| f.and_then(|f| f.laterality);
    if let (Some(gs), Some(es)) = (side(given_facts), side(expected_facts)) {
        let differs_once =
            g.len() == e.len() && g.chars().zip(e.chars()).filter(|(a, b)| a != b).count() == 1;
        if gs != es
            && gs != Laterality::Unspecified
            && es != Laterality::Unspecified
            && differs_once
        {
            return Some(Relation::Laterality);
        }
    }
    Some(specificity(&g, given_facts, &e, expected_facts))
}

/// A code of the key's category that is neither exact nor another side: less specific when it is
/// shorter or "unspecified" where the key's code is not (or when the code set is not at hand);
/// otherwise it states another detail than the record (trimester, stage, type, site).
fn specificity(
    g: &str,
    given_facts: Option<&CodeFacts>,
    e: &str,
    expected_facts: Option<&CodeFacts>,
) -> Relation {
    let unspecified =
        |f: Option<&CodeFacts>| f.map(|f| f.description.to_lowercase().contains("unspecified"));
    match (unspecified(given_facts), unspecified(expected_facts)) {
        (Some(given_unspecified), Some(expected_unspecified)) => {
            if g.len() < e.len() || (given_unspecified && !expected_unspecified) {
                Relation::Specificity
            } else {
                Relation::WrongDetail
            }
        }
        (None, _) | (_, None) => Relation::Specificity,
    }
}

/// The credit of a line whose error class has `severity`: a minor error keeps the rubric's
/// `wrong_specificity` credit; a major or critical one loses its cost.
fn severity_credit(severity: Severity, s: &CodeSettings) -> f64 {
    match severity {
        Severity::Minor => s.credits.wrong_specificity,
        other @ (Severity::Major | Severity::Critical) => (1.0 - s.costs.of(other)).max(0.0),
    }
}

/// An ICD-10-PCS line against a key code, axis by axis: the same section and body system pair,
/// and the line earns the weights of the characters it has right. An invalid code earns at
/// most `invalid_code`.
fn pcs_axes(g: &str, e: &str, valid: bool, settings: &CodeSettings) -> Option<Relation> {
    if g.len() != 7 || e.len() != 7 || g.get(..2) != e.get(..2) {
        return None;
    }
    let weights = settings.pcs_axes.named();
    let mut credit = 0.0;
    let mut wrong = 0u8;
    for (n, ((a, b), (_, w))) in g.bytes().zip(e.bytes()).zip(weights).enumerate() {
        if a == b {
            credit += w;
        } else {
            wrong |= 1 << n;
        }
    }
    if wrong == 0 {
        return Some(Relation::Exact);
    }
    if !valid {
        return (g.get(..3) == e.get(..3)).then_some(Relation::Invalid);
    }
    Some(Relation::PcsAxes {
        credit: credit.clamp(0.0, 1.0),
        wrong,
    })
}
