//! Pairing submitted code lines with key entries, and what each pair earns.
//!
//! Each counted line is paired with at most one required key entry: exact pairs (the code or
//! an accepted alternative) are made first, in submitted order; then each line still unpaired
//! takes the unpaired key entry that earns it the most partial credit (ties go to the earlier
//! key entry). A repeated line is never paired: it counts as an extra code.

use super::{KeyEntry, facts, is_repeat};
use crate::grading::checker::{CodeChecker, CodeFacts, Laterality};
use crate::grading::rubric::CodeSettings;
use crate::terminology::syntax::strip_dot;

/// How a submitted line relates to a key entry.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Relation {
    Exact,
    SeventhCharacter,
    Laterality,
    Specificity,
    Invalid,
}

impl Relation {
    /// The line credit of this relation under the rubric's credits.
    pub(super) fn credit(self, s: &CodeSettings) -> f64 {
        match self {
            Self::Exact => 1.0,
            Self::SeventhCharacter => s.credits.wrong_seventh_character,
            Self::Laterality => s.credits.wrong_laterality,
            Self::Specificity => s.credits.wrong_specificity,
            Self::Invalid => s.credits.invalid_code,
        }
    }

    /// How the relation reads in a finding ("wrong 7th character").
    pub(super) fn describe(self) -> &'static str {
        match self {
            Self::Exact => "correct",
            Self::SeventhCharacter => "wrong 7th character",
            Self::Laterality => "wrong laterality",
            Self::Specificity => "right category, wrong specificity",
            Self::Invalid => "invalid or header code in the right category",
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

/// Pairs the counted lines (indices into `codes`) with the required key entries: exact pairs
/// first, then the best partial pair for each remaining line.
pub(super) fn pair_lines(
    codes: &[String],
    counted: &[usize],
    required: &[&KeyEntry],
    settings: &CodeSettings,
    checker: Option<&dyn CodeChecker>,
) -> Pairing {
    let mut pairing = Pairing {
        pair: vec![None; codes.len()],
        taken: vec![false; required.len()],
    };
    pair_exact(&mut pairing, codes, counted, required);
    pair_partial(&mut pairing, codes, counted, required, settings, checker);
    pairing
}

/// Pairs each line whose code a free key entry accepts with the first such entry.
fn pair_exact(pairing: &mut Pairing, codes: &[String], counted: &[usize], required: &[&KeyEntry]) {
    for &i in counted {
        let Some(code) = codes.get(i) else {
            continue;
        };
        if is_repeat(codes, i) {
            continue;
        }
        let hit = required
            .iter()
            .enumerate()
            .find(|(k, e)| !pairing.is_taken(*k) && e.accepted.contains(code));
        if let Some((k, _)) = hit {
            pairing.take(i, k, Relation::Exact);
        }
    }
}

/// Pairs each line left unpaired with the free key entry that earns it the most credit.
fn pair_partial(
    pairing: &mut Pairing,
    codes: &[String],
    counted: &[usize],
    required: &[&KeyEntry],
    settings: &CodeSettings,
    checker: Option<&dyn CodeChecker>,
) {
    for &i in counted {
        if pairing.of(i).is_some() {
            continue;
        }
        let Some(code) = codes.get(i) else {
            continue;
        };
        if is_repeat(codes, i) {
            continue;
        }
        let gf = facts(checker, code);
        let mut best: Option<(usize, Relation, f64)> = None;
        for (k, e) in required.iter().enumerate() {
            if pairing.is_taken(k) {
                continue;
            }
            let ef = facts(checker, &e.code);
            if let Some(rel) = classify(code, gf.as_ref(), &e.code, ef.as_ref(), checker.is_some())
            {
                let c = rel.credit(settings);
                if best.is_none_or(|(_, _, bc)| c > bc) {
                    best = Some((k, rel, c));
                }
            }
        }
        if let Some((k, rel, _)) = best {
            pairing.take(i, k, rel);
        }
    }
}

/// The first three characters of a code: its ICD-10-CM category.
fn category(code: &str) -> &str {
    code.get(..3).unwrap_or(code)
}

/// How a submitted code relates to a key code of the same category (`None` for another
/// category). Without a checker every code counts as valid.
fn classify(
    given: &str,
    given_facts: Option<&CodeFacts>,
    expected: &str,
    expected_facts: Option<&CodeFacts>,
    has_checker: bool,
) -> Option<Relation> {
    if category(given) != category(expected) {
        return None;
    }
    let valid = !has_checker || given_facts.is_some_and(|f| f.billable);
    if !valid {
        return Some(Relation::Invalid);
    }
    let (g, e) = (strip_dot(given), strip_dot(expected));
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
    Some(Relation::Specificity)
}
