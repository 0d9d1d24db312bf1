//! Free text: concepts that must be mentioned, content that must not appear, and transcription
//! accuracy by word error rate.
//!
//! Words are lower-cased tokens of letters and digits (everything else separates words). A
//! concept is mentioned when any of its phrases (name or synonym) occurs as a run of whole
//! words. Forbidden patterns are regular expressions matched case-insensitively. Word error
//! rate is the word-level Levenshtein distance ÷ reference length, where each word weighs 1 and
//! listed medical terms weigh `term_weight` (a substitution costs the heavier of the two words).

use super::{Scored, fmt_num, is_blank, value_str, value_text};
use crate::grading::rubric::{Concept, ForbiddenPattern};
use regex::{Regex, RegexBuilder};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, OnceLock};

/// Splits text into lower-case words of letters and digits.
#[must_use]
pub fn words(text: &str) -> Vec<String> {
    word_slices(&text.to_lowercase())
        .into_iter()
        .map(str::to_string)
        .collect()
}

fn contains_phrase<S: PartialEq<T>, T>(haystack: &[S], phrase: &[T]) -> bool {
    !phrase.is_empty() && haystack.windows(phrase.len()).any(|w| w == phrase)
}

/// The words of an already lower-cased text, borrowed from it (what [`words`] owns).
fn word_slices(lower: &str) -> Vec<&str> {
    lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect()
}

/// Concepts the key adds: a list of strings (one concept each) or of lists (name + synonyms).
#[must_use]
pub(crate) fn key_concepts(key: &Value) -> Vec<Concept> {
    let Some(items) = key.as_array() else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|item| match item {
            Value::Array(names) => {
                let mut names = names.iter().map(value_text);
                Some(Concept {
                    name: names.next()?,
                    synonyms: names.collect(),
                })
            }
            other @ (Value::Null
            | Value::Bool(_)
            | Value::Number(_)
            | Value::String(_)
            | Value::Object(_)) => Some(Concept {
                name: value_text(other),
                synonyms: Vec::new(),
            }),
        })
        .collect()
}

/// Scores "must mention every concept" (the rubric's, then the key's): credit = mentioned ÷
/// total.
#[must_use]
pub(crate) fn score_concepts(
    concepts: &[Concept],
    key_concepts: &[Concept],
    given: Option<&Value>,
) -> Scored {
    if is_blank(given) {
        return Scored::missing();
    }
    let lower = given.map(value_str).unwrap_or_default().to_lowercase();
    let text = word_slices(&lower);
    let total = concepts.len() + key_concepts.len();
    if total == 0 {
        return Scored::graded(1.0, vec!["no concepts required".to_string()]);
    }
    let mut found = 0usize;
    let mut details = Vec::new();
    for concept in concepts.iter().chain(key_concepts) {
        let hit = std::iter::once(&concept.name)
            .chain(&concept.synonyms)
            .find(|phrase| contains_phrase(&text, &word_slices(&phrase.to_lowercase())));
        match hit {
            Some(phrase) => {
                found += 1;
                details.push(format!("mentions {} (\"{phrase}\")", concept.name));
            }
            None => details.push(format!("does not mention {}", concept.name)),
        }
    }
    #[allow(clippy::cast_precision_loss)]
    let credit = found as f64 / total as f64;
    Scored::graded(credit, details)
}

/// Compiles a case-insensitive pattern, caching it: grading the same rubric many times must not
/// recompile its patterns. The cache is bounded and holds only compiled rubric text, so results
/// never depend on it. It hands out the compiled pattern itself (shared), not a clone: a cloned
/// `Regex` starts with no search cache of its own and would build one on every grade.
fn compiled(pattern: &str) -> Option<Arc<Regex>> {
    static CACHE: OnceLock<Mutex<BTreeMap<String, Arc<Regex>>>> = OnceLock::new();
    const MAX_ENTRIES: usize = 512;
    let cache = CACHE.get_or_init(|| Mutex::new(BTreeMap::new()));
    if let Ok(map) = cache.lock()
        && let Some(re) = map.get(pattern)
    {
        return Some(Arc::clone(re));
    }
    let re = Arc::new(
        RegexBuilder::new(pattern)
            .case_insensitive(true)
            .build()
            .ok()?,
    );
    if let Ok(mut map) = cache.lock() {
        if map.len() >= MAX_ENTRIES {
            map.clear();
        }
        map.insert(pattern.to_string(), Arc::clone(&re));
    }
    Some(re)
}

/// Scores "must not contain": each pattern hit removes `penalty_per_hit`. Blank text is
/// missing (an empty section earns nothing).
#[must_use]
pub(crate) fn score_forbidden(
    patterns: &[ForbiddenPattern],
    penalty_per_hit: f64,
    given: Option<&Value>,
) -> Scored {
    if is_blank(given) {
        return Scored::missing();
    }
    let text = given.map(value_text).unwrap_or_default();
    let mut hits = 0usize;
    let mut details = Vec::new();
    for p in patterns {
        let Some(re) = compiled(&p.regex) else {
            details.push(format!("pattern `{}` is not a valid regex", p.name));
            continue;
        };
        for m in re.find_iter(&text) {
            hits += 1;
            details.push(format!("{}: \"{}\" — {}", p.name, m.as_str(), p.message));
        }
    }
    if hits == 0 {
        details.push("no forbidden content".to_string());
    }
    #[allow(clippy::cast_precision_loss)]
    let credit = 1.0 - penalty_per_hit * hits as f64;
    Scored::graded(credit, details)
}

/// Weighted word error rate of `hypothesis` against `reference`.
///
/// The weighted word-level Levenshtein distance ÷ the reference's weight. When every weight is
/// a whole multiple of 1/64 (term weights such as 3 or 2.5), the distance is computed exactly in
/// integers: the common leading and trailing words are set aside (matching them is always part
/// of a cheapest alignment), then the rest is aligned within a band of diagonals that widens
/// until the cheapest alignment found in it is proven cheapest of all: by Ukkonen's cut-off, by
/// the words' counts (`count_bound`), or by a bound on every alignment leaving the band
/// (`outside_bound`). That takes time linear in the words when the transcript is close to the
/// reference or only mishears words. The result is exactly the full table's (whose sums are then
/// exact in `f64` as well); other weights use the full table.
#[must_use]
pub fn word_error_rate(
    reference: &[String],
    hypothesis: &[String],
    weighted_terms: &[String],
    term_weight: f64,
) -> f64 {
    let terms: Vec<String> = weighted_terms.iter().flat_map(|t| words(t)).collect();
    let weight_of = |word: &String| {
        if terms.contains(word) {
            term_weight
        } else {
            1.0
        }
    };
    let ref_w: Vec<f64> = reference.iter().map(weight_of).collect();
    let hyp_w: Vec<f64> = hypothesis.iter().map(weight_of).collect();
    let distance = match exact_units(term_weight, reference.len() + hypothesis.len()) {
        Some(term_units) => {
            let units = |w: &f64| if *w == 1.0 { WEIGHT_SCALE } else { term_units };
            let ref_u: Vec<u64> = ref_w.iter().map(units).collect();
            let hyp_u: Vec<u64> = hyp_w.iter().map(units).collect();
            let d = banded_distance(reference, hypothesis, &ref_u, &hyp_u);
            #[allow(clippy::cast_precision_loss)] // below 2^53: exact
            let d = d as f64;
            d / WEIGHT_SCALE as f64
        }
        None => full_table_distance(reference, hypothesis, &ref_w, &hyp_w),
    };
    let ref_len: f64 = ref_w.iter().sum();
    if ref_len > 0.0 {
        distance / ref_len
    } else if distance > 0.0 {
        1.0
    } else {
        0.0
    }
}

/// Integer units per word of weight 1.
const WEIGHT_SCALE: u64 = 64;

/// A term weight in integer units (`WEIGHT_SCALE` per 1), when it is at least 1, a whole
/// number of units, and every sum of `words` weights stays below 2^52 (so the `f64` table's
/// sums are exact too).
fn exact_units(term_weight: f64, words: usize) -> Option<u64> {
    #[allow(clippy::cast_precision_loss)]
    let scaled = term_weight * WEIGHT_SCALE as f64;
    #[allow(clippy::cast_precision_loss)]
    let lightest = WEIGHT_SCALE as f64;
    if !(scaled.is_finite() && scaled >= lightest && scaled <= f64::from(1u32 << 30)) {
        return None;
    }
    if scaled.fract() != 0.0 {
        return None;
    }
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // whole, in 1..=2^30
    let units = scaled as u64;
    let heaviest = units.max(WEIGHT_SCALE);
    let words = u64::try_from(words).ok()?;
    (words.checked_mul(heaviest)? < (1u64 << 52)).then_some(units)
}

/// The weighted distance over the full (n+1)×(m+1) table, in `f64`.
fn full_table_distance(
    reference: &[String],
    hypothesis: &[String],
    ref_w: &[f64],
    hyp_w: &[f64],
) -> f64 {
    // Compare small integer ids instead of strings in the O(n·m) loop.
    let [ref_ids, hyp_ids] = word_ids([reference, hypothesis]);
    let mut prev: Vec<f64> = std::iter::once(0.0)
        .chain(hyp_w.iter().scan(0.0, |acc, w| {
            *acc += w;
            Some(*acc)
        }))
        .collect();
    let min = |a: f64, b: f64| if a < b { a } else { b };
    let mut cur = Vec::with_capacity(prev.len());
    for (r, rw) in ref_ids.iter().zip(ref_w) {
        cur.clear();
        let mut left = prev.first().copied().unwrap_or(0.0) + rw;
        cur.push(left);
        for (pair, (h, hw)) in prev.windows(2).zip(hyp_ids.iter().zip(hyp_w)) {
            let (diag, up) = match pair {
                [d, u] => (*d, *u),
                _ => (0.0, 0.0),
            };
            let sub = if r == h { diag } else { diag + rw.max(*hw) };
            left = min(min(sub, up + rw), left + hw);
            cur.push(left);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev.last().copied().unwrap_or(0.0)
}

/// The weighted distance in integer units (every weight ≥ 1 unit): the common leading and
/// trailing words set aside, then the cheapest alignment within a band of diagonals around the
/// main one, widened until it is proven cheapest of all ([`outside_bound`]).
fn banded_distance(
    reference: &[String],
    hypothesis: &[String],
    ref_u: &[u64],
    hyp_u: &[u64],
) -> u64 {
    let lead = reference
        .iter()
        .zip(hypothesis)
        .take_while(|(r, h)| r == h)
        .count();
    let (reference, hypothesis) = (&reference[lead..], &hypothesis[lead..]);
    let (ref_u, hyp_u) = (&ref_u[lead..], &hyp_u[lead..]);
    let trail = reference
        .iter()
        .rev()
        .zip(hypothesis.iter().rev())
        .take_while(|(r, h)| r == h)
        .count();
    let (n, m) = (reference.len() - trail, hypothesis.len() - trail);
    let (reference, hypothesis) = (&reference[..n], &hypothesis[..m]);
    let (ref_u, hyp_u) = (&ref_u[..n], &hyp_u[..m]);
    if n == 0 || m == 0 {
        return ref_u.iter().sum::<u64>() + hyp_u.iter().sum::<u64>();
    }
    // Words as small integer ids: the inner loop compares integers.
    let [reference, hypothesis] = word_ids([reference, hypothesis]);
    let forward = Words {
        reference,
        hypothesis,
        ref_u: ref_u.to_vec(),
        hyp_u: hyp_u.to_vec(),
    };
    let mut backward: Option<Words> = None;
    // What the words' counts alone prove (worked out once, when first needed): a band reaching
    // it is the cheapest, so a transcript that only mishears words is proven by the first,
    // narrowest band, however long or repetitive it is.
    let mut counted: Option<u64> = None;
    // Every insertion or deletion costs at least one word of weight 1 (`WEIGHT_SCALE` units).
    // The alignment along the main diagonal (then the surplus words) bounds the distance, so
    // a band allowing that many insertions and deletions always holds the cheapest alignment;
    // narrower bands are tried first.
    let gap = n.abs_diff(m);
    let diagonal: u64 = forward
        .reference
        .iter()
        .zip(&forward.hypothesis)
        .zip(ref_u.iter().zip(hyp_u))
        .map(|((r, h), (rw, hw))| if r == h { 0 } else { *rw.max(hw) })
        .sum::<u64>()
        + ref_u.get(m..).map_or(0, |s| s.iter().sum())
        + hyp_u.get(n..).map_or(0, |s| s.iter().sum());
    let enough = usize::try_from(diagonal.div_ceil(WEIGHT_SCALE)).unwrap_or(usize::MAX);
    let mut spare = 4usize;
    loop {
        // The band: diagonals d = j − i + n from `spare` below the lower of the two corner
        // diagonals to `spare` above the higher, i.e. the alignments making at most `steps`
        // insertions and deletions in all.
        let band = if m >= n {
            (n.saturating_sub(spare), n + gap + spare)
        } else {
            (n.saturating_sub(gap + spare), n + spare)
        };
        let steps = gap.saturating_add(spare.saturating_mul(2));
        let ahead = band_pass(&forward, band);
        let limit = u64::try_from(steps)
            .unwrap_or(u64::MAX)
            .saturating_mul(WEIGHT_SCALE);
        // Exact when: the band holds every diagonal; or it allows as many insertions and
        // deletions as the cheapest alignment can make (Ukkonen's cut-off); or every
        // alignment leaving the band costs at least as much.
        if (band.0 == 0 && band.1 >= n + m)
            || ahead.total <= limit
            || steps >= enough
            || ahead.total <= *counted.get_or_insert_with(|| count_bound(&forward))
        {
            return ahead.total;
        }
        // The bound costs about one more pass; below 16 spare diagonals, doubling the band is
        // as cheap as proving it.
        if spare >= 16 {
            let back = band_pass(backward.get_or_insert_with(|| forward.reversed()), band);
            if ahead.total <= outside_bound(&forward, band, &ahead, &back) {
                return ahead.total;
            }
        }
        spare = spare.saturating_mul(2);
    }
}

/// A lower bound on the distance from the words' counts alone, when every word weighs either
/// one word (`WEIGHT_SCALE` units) or one heavier weight `h` (0, no bound, otherwise).
///
/// An alignment's cost is `WEIGHT_SCALE` for each of its steps (an insertion, a deletion or a
/// substitution), plus `h − WEIGHT_SCALE` for each step that handles a heavy word (a
/// substitution costs the heavier of its two words). A step handles at most one word of each
/// text and a match handles two equal words at no cost, so with `s` the words the texts share
/// (counted with repeats: the sum over words of the smaller of their two counts) there are at
/// least max(n, m) − s steps; likewise at least max(heavy words of one, heavy words of the
/// other) − (heavy words shared) steps handle a heavy word. Each count holds for every
/// alignment, so their weighted sum bounds the cheapest.
fn count_bound(words: &Words) -> u64 {
    let units = || words.ref_u.iter().chain(&words.hyp_u).copied();
    let heavy = units().find(|u| *u != WEIGHT_SCALE).unwrap_or(WEIGHT_SCALE);
    if heavy < WEIGHT_SCALE || units().any(|u| u != WEIGHT_SCALE && u != heavy) {
        return 0;
    }
    let ids = words
        .reference
        .iter()
        .chain(&words.hypothesis)
        .max()
        .map_or(0, |id| *id as usize + 1);
    // Per word id: its count in the reference, in the hypothesis, and whether it is heavy.
    let mut counts = vec![(0u64, 0u64, false); ids];
    for (id, u) in words.reference.iter().zip(&words.ref_u) {
        if let Some(c) = counts.get_mut(*id as usize) {
            c.0 += 1;
            c.2 = *u != WEIGHT_SCALE;
        }
    }
    for (id, u) in words.hypothesis.iter().zip(&words.hyp_u) {
        if let Some(c) = counts.get_mut(*id as usize) {
            c.1 += 1;
            c.2 = *u != WEIGHT_SCALE;
        }
    }
    let (mut shared, mut shared_heavy, mut heavy_ref, mut heavy_hyp) = (0u64, 0u64, 0u64, 0u64);
    for (r, h, is_heavy) in counts {
        shared += r.min(h);
        if is_heavy {
            shared_heavy += r.min(h);
            heavy_ref += r;
            heavy_hyp += h;
        }
    }
    let longer = u64::try_from(words.reference.len().max(words.hypothesis.len())).unwrap_or(0);
    let steps = longer.saturating_sub(shared);
    let heavy_steps = heavy_ref.max(heavy_hyp).saturating_sub(shared_heavy);
    steps
        .saturating_mul(WEIGHT_SCALE)
        .saturating_add(heavy_steps.saturating_mul(heavy - WEIGHT_SCALE))
}

/// Each list's words as small integer ids (equal words, equal ids).
fn word_ids<const N: usize>(lists: [&[String]; N]) -> [Vec<u32>; N] {
    // Ids are given in order of first appearance, whatever the hasher.
    let mut ids: HashMap<&str, u32, foldhash::fast::FixedState> =
        HashMap::with_capacity_and_hasher(64, foldhash::fast::FixedState::default());
    lists.map(|list| {
        list.iter()
            .map(|w| {
                let next = u32::try_from(ids.len()).unwrap_or(u32::MAX);
                *ids.entry(w.as_str()).or_insert(next)
            })
            .collect()
    })
}

/// Two texts to align, as word ids with their weights in units.
struct Words {
    reference: Vec<u32>,
    hypothesis: Vec<u32>,
    ref_u: Vec<u64>,
    hyp_u: Vec<u64>,
}

impl Words {
    /// Both texts read from the end: cell (i, j) here is cell (n − i, m − j) there, and its
    /// cheapest alignment from the start is the cheapest from that cell to the end there.
    fn reversed(&self) -> Self {
        let rev = |v: &[u32]| v.iter().rev().copied().collect();
        let rev_u = |v: &[u64]| v.iter().rev().copied().collect();
        Self {
            reference: rev(&self.reference),
            hypothesis: rev(&self.hypothesis),
            ref_u: rev_u(&self.ref_u),
            hyp_u: rev_u(&self.hyp_u),
        }
    }
}

/// Unreachable, in units (three of them still add without overflow).
const FAR: u64 = u64::MAX / 4;

/// The cheapest alignments within a band, and the cells on its edges a path can leave it from.
struct Pass {
    /// The cheapest alignment of the whole texts within the band.
    total: u64,
    /// Per row i: the cheapest path within the band to the cell of row i on the band's upper
    /// diagonal, when an insertion can leave the band from it (its column is below m); else
    /// [`FAR`].
    upper: Vec<u64>,
    /// Per row i: the same for the cell on the lower diagonal, when a deletion can leave the
    /// band from it (its row is below n).
    lower: Vec<u64>,
}

/// The cheapest alignments within the diagonals `low..=high` (d = j − i + n, with
/// `low ≤ n ≤ high`), row by row.
fn band_pass(words: &Words, (low, high): (usize, usize)) -> Pass {
    let (n, m) = (words.reference.len(), words.hypothesis.len());
    // Row i covers columns j with low ≤ j − i + n ≤ high, within 0..=m.
    let span = |i: usize| {
        (
            (i + low).saturating_sub(n),
            (i + high).saturating_sub(n).min(m),
        )
    };
    let upper_cell = |i: usize| (i + high).checked_sub(n).filter(|j| *j < m);
    let lower_cell = |i: usize| (i + low).checked_sub(n).filter(|j| *j <= m && i < n);
    let mut upper = vec![FAR; n + 1];
    let mut lower = vec![FAR; n + 1];
    let mut prev = vec![FAR; m + 1];
    let mut cur = vec![FAR; m + 1];
    let (_, first_hi) = span(0);
    let mut acc = 0;
    prev[0] = 0;
    for (slot, w) in prev[1..=first_hi].iter_mut().zip(&words.hyp_u) {
        acc += w;
        *slot = acc;
    }
    let mut prev_span = (0, first_hi);
    // A row's value at column j, FAR outside the columns the band gives it.
    let read = |row: &[u64], (a, b): (usize, usize), j: usize| {
        if j >= a && j <= b { row[j] } else { FAR }
    };
    let edges = |row: &[u64], span: (usize, usize), i: usize, up: &mut [u64], lo: &mut [u64]| {
        up[i] = upper_cell(i).map_or(FAR, |j| read(row, span, j));
        lo[i] = lower_cell(i).map_or(FAR, |j| read(row, span, j));
    };
    edges(&prev, prev_span, 0, &mut upper, &mut lower);
    for i in 1..=n {
        let (lo, hi) = span(i);
        if lo > hi {
            return Pass {
                total: FAR,
                upper,
                lower,
            };
        }
        let (r, rw) = (words.reference[i - 1], words.ref_u[i - 1]);
        let mut left = FAR;
        for (j, slot) in cur.iter_mut().enumerate().take(hi + 1).skip(lo) {
            let up = read(&prev, prev_span, j) + rw;
            let value = if j == 0 {
                up
            } else {
                let (h, hw) = (words.hypothesis[j - 1], words.hyp_u[j - 1]);
                let diag = read(&prev, prev_span, j - 1);
                let sub = if r == h { diag } else { diag + rw.max(hw) };
                sub.min(up).min(left + hw)
            };
            *slot = value;
            left = value;
        }
        std::mem::swap(&mut prev, &mut cur);
        prev_span = (lo, hi);
        edges(&prev, prev_span, i, &mut upper, &mut lower);
    }
    let total = read(&prev, prev_span, m);
    Pass {
        total,
        upper,
        lower,
    }
}

/// A lower bound on the cost of every alignment that leaves the band `(low, high)`, from a
/// pass over the texts (`ahead`) and one over both reversed (`back`: the cheapest within the
/// band from a cell to the end).
///
/// Such a path first leaves from an edge cell e, after a prefix within the band (costing at
/// least `ahead`'s value at e), by an insertion (upper edge) or a deletion (lower edge). It
/// comes back for the last time, by a deletion onto the upper edge or an insertion onto the
/// lower one, at a cell r in a later row and column, and ends within the band (costing at
/// least `back`'s value at r). In between, it pays for every word it passes that the other
/// text does not hold at all: such a word is inserted, deleted or substituted in every
/// alignment, at its own weight at least, and no step handles two words of one text. The
/// bound counts those words along the reference's rows (adding a word of weight 1 for each of
/// the two steps that is an insertion, which passes no row), then along the hypothesis's
/// columns (adding one for each deletion), and keeps the higher count.
fn outside_bound(words: &Words, (low, high): (usize, usize), ahead: &Pass, back: &Pass) -> u64 {
    let (n, m) = (words.reference.len(), words.hypothesis.len());
    // Weights of the words the other text lacks, summed from the start: per row, per column.
    let seen = |list: &[u32]| {
        let mut present = vec![false; n + m + 1];
        for id in list {
            if let Some(p) = present.get_mut(*id as usize) {
                *p = true;
            }
        }
        present
    };
    let absent_sums = |list: &[u32], weights: &[u64], other: &[bool]| -> Vec<u64> {
        std::iter::once(0)
            .chain(list.iter().zip(weights).scan(0u64, |acc, (id, w)| {
                if !other.get(*id as usize).copied().unwrap_or(false) {
                    *acc += w;
                }
                Some(*acc)
            }))
            .collect()
    };
    let in_ref = seen(&words.reference);
    let in_hyp = seen(&words.hypothesis);
    let by_row = absent_sums(&words.reference, &words.ref_u, &in_hyp);
    let by_col = absent_sums(&words.hypothesis, &words.hyp_u, &in_ref);
    // Row i's cell on the upper / lower edge: its column.
    let upper_col = |i: usize| (i + high).saturating_sub(n).min(m);
    let lower_col = |i: usize| (i + low).saturating_sub(n).min(m);
    // With the words counted at position `at` (a row or a column of a cell on an edge):
    // the cheapest leave-then-return over the four pairs of edges.
    let along = |sums: &[u64], at: &dyn Fn(bool, usize) -> usize, insertions_count: bool| {
        let leave = |upper: bool| -> Vec<Option<i64>> {
            let values = if upper { &ahead.upper } else { &ahead.lower };
            values
                .iter()
                .enumerate()
                .map(|(i, f)| signed(*f).map(|f| f - signed(sums[at(upper, i)]).unwrap_or(0)))
                .collect()
        };
        let come_back = |upper: bool| -> Vec<Option<i64>> {
            // `back`'s lower edge is the original upper one; its row n − i is row i.
            let values = if upper { &back.lower } else { &back.upper };
            (0..=n)
                .map(|i| signed(values[n - i]).map(|b| b + signed(sums[at(upper, i)]).unwrap_or(0)))
                .collect()
        };
        let mut best: Option<i64> = None;
        for (from_upper, to_upper, lag) in [
            (true, true, 1),
            (false, false, 1),
            (false, true, 1),
            // From the upper edge to the lower one, the column must still grow.
            (true, false, high - low + 1),
        ] {
            // Leaving upwards and coming back onto the lower edge are insertions.
            let steps =
                i64::from(from_upper == insertions_count) + i64::from(to_upper != insertions_count);
            let extra = steps * signed(WEIGHT_SCALE).unwrap_or(0);
            let (l, r) = (leave(from_upper), come_back(to_upper));
            let mut after: Option<i64> = None;
            // Scanning up from the last row, `after` holds the cheapest return in the rows
            // from i + lag on.
            for i in (0..=n).rev() {
                if let Some(b) = r.get(i + lag).copied().flatten() {
                    after = Some(after.map_or(b, |a| a.min(b)));
                }
                if let (Some(f), Some(b)) = (l[i], after) {
                    let cost = f + b + extra;
                    best = Some(best.map_or(cost, |x| x.min(cost)));
                }
            }
        }
        best
    };
    let rows = along(&by_row, &|_, i| i, true);
    let cols = along(
        &by_col,
        &|upper, i| if upper { upper_col(i) } else { lower_col(i) },
        false,
    );
    let best = match (rows, cols) {
        (Some(a), Some(b)) => a.max(b),
        (Some(a), None) | (None, Some(a)) => a,
        (None, None) => return FAR,
    };
    u64::try_from(best.max(0)).unwrap_or(0)
}

/// A reachable cost as a signed number (every reachable cost is below 2^52).
fn signed(units: u64) -> Option<i64> {
    (units < FAR).then(|| i64::try_from(units).ok()).flatten()
}

/// Settings of a word-error-rate criterion.
#[derive(Debug, Clone, Copy)]
pub struct WerRules<'a> {
    /// Full credit at or below.
    pub full_credit_wer: f64,
    /// Zero credit at or above.
    pub zero_credit_wer: f64,
    /// Weighted terms.
    pub weighted_terms: &'a [String],
    /// Their weight.
    pub term_weight: f64,
}

/// Scores a transcription by word error rate, linear between the two thresholds.
#[must_use]
pub(crate) fn score_wer(key: &Value, given: Option<&Value>, rules: WerRules<'_>) -> Scored {
    if is_blank(given) {
        return Scored::missing();
    }
    let reference = words(&value_text(key));
    let hypothesis = words(&given.map(value_text).unwrap_or_default());
    let wer = word_error_rate(
        &reference,
        &hypothesis,
        rules.weighted_terms,
        rules.term_weight,
    );
    let span = rules.zero_credit_wer - rules.full_credit_wer;
    let credit = if wer <= rules.full_credit_wer {
        1.0
    } else if span <= 0.0 {
        0.0
    } else {
        1.0 - (wer - rules.full_credit_wer) / span
    };
    let missed: Vec<&String> = rules
        .weighted_terms
        .iter()
        .filter(|t| {
            let t = words(t);
            contains_phrase(&reference, &t) && !contains_phrase(&hypothesis, &t)
        })
        .collect();
    let mut details = vec![format!(
        "word error rate {}% (full credit at ≤ {}%, none at ≥ {}%)",
        fmt_num(wer * 100.0),
        fmt_num(rules.full_credit_wer * 100.0),
        fmt_num(rules.zero_credit_wer * 100.0)
    )];
    if !missed.is_empty() {
        details.push(format!(
            "medical terms wrong or missing: {}",
            missed
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    Scored::graded(credit, details)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grading::report::Outcome;
    use serde_json::json;

    fn concept(name: &str, syn: &[&str]) -> Concept {
        Concept {
            name: name.into(),
            synonyms: syn.iter().map(|s| (*s).to_string()).collect(),
        }
    }

    #[test]
    fn concepts_match_synonyms_as_whole_words() {
        let cs = vec![
            concept("shortness of breath", &["dyspnea", "SOB"]),
            concept("chest pain", &[]),
        ];
        let s = score_concepts(
            &cs,
            &[],
            Some(&json!("Pt reports SOB and chest pain x2 days")),
        );
        assert_eq!(s.outcome, Outcome::Correct);
        assert_eq!(s.details[0], "mentions shortness of breath (\"SOB\")");
    }

    #[test]
    fn concepts_partial_when_one_is_missing() {
        let cs = vec![concept("fever", &[]), concept("cough", &[])];
        let s = score_concepts(&cs, &[], Some(&json!("Fevers since Monday"))); // "fevers" ≠ "fever"
        assert_eq!(s.credit, 0.0);
        let s = score_concepts(&cs, &[], Some(&json!("fever, no cough")));
        assert_eq!(s.credit, 1.0);
    }

    #[test]
    fn key_concepts_read_strings_and_synonym_lists() {
        let k = key_concepts(&json!(["nausea", ["vomiting", "emesis"]]));
        assert_eq!(k[1].synonyms, vec!["emesis".to_string()]);
    }

    fn vitals_pattern() -> Vec<ForbiddenPattern> {
        vec![ForbiddenPattern {
            name: "measured vital sign".into(),
            regex: r"\d+(/\d+)?\s*(mmhg|bpm|°f|°c)".into(),
            message: "measured vitals belong under Objective".into(),
        }]
    }

    #[test]
    fn forbidden_vitals_under_subjective_score_zero() {
        let s = score_forbidden(
            &vitals_pattern(),
            1.0,
            Some(&json!("Headache. BP 150/95 mmHg")),
        );
        assert_eq!(s.outcome, Outcome::Incorrect);
        assert_eq!(
            s.details[0],
            "measured vital sign: \"150/95 mmHg\" — measured vitals belong under Objective"
        );
    }

    #[test]
    fn clean_text_passes_forbidden_and_blank_is_missing() {
        let p = vitals_pattern();
        assert_eq!(
            score_forbidden(&p, 1.0, Some(&json!("Headache for 2 days"))).credit,
            1.0
        );
        assert_eq!(
            score_forbidden(&p, 1.0, Some(&json!(""))).outcome,
            Outcome::Missing
        );
    }

    #[test]
    fn wer_counts_substitutions_deletions_insertions() {
        let r = words("the patient denies chest pain");
        let h = words("patient denies the chest pains today");
        // delete "the", insert "the", substitute pain→pains, insert today = 4 / 5
        assert!((word_error_rate(&r, &h, &[], 1.0) - 0.8).abs() < 1e-12);
    }

    /// The banded integer distance equals the full `f64` table on many random transcripts
    /// (close to and far from their reference, with and without weighted terms).
    #[test]
    fn banded_distance_equals_the_full_table() {
        let vocabulary = ["a", "b", "c", "d", "metoprolol", "e", "f", "lisinopril"];
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let terms = ["metoprolol".to_string(), "lisinopril Tab".to_string()];
        for round in 0..3000u64 {
            let n = usize::try_from(next() % 40).unwrap();
            let reference: Vec<String> = (0..n)
                .map(|_| vocabulary[usize::try_from(next() % 8).unwrap()].to_string())
                .collect();
            let noise = 1 + next() % 6;
            let mut hypothesis = Vec::new();
            for w in &reference {
                match next() % (2 + noise * 3) {
                    0 => {}
                    1 => hypothesis.push("x".to_string()),
                    2 => {
                        hypothesis.push(w.clone());
                        hypothesis.push(vocabulary[usize::try_from(next() % 8).unwrap()].into());
                    }
                    _ => hypothesis.push(w.clone()),
                }
            }
            if round % 7 == 0 {
                hypothesis.reverse();
            }
            for weight in [1.0, 3.0, 2.5, 1.015_625] {
                let fast = word_error_rate(&reference, &hypothesis, &terms, weight);
                let weigh = |list: &[String]| -> Vec<f64> {
                    list.iter()
                        .map(|w| {
                            if w == "metoprolol" || w == "lisinopril" || w == "tab" {
                                weight
                            } else {
                                1.0
                            }
                        })
                        .collect()
                };
                let (rw, hw) = (weigh(&reference), weigh(&hypothesis));
                let d = full_table_distance(&reference, &hypothesis, &rw, &hw);
                let total: f64 = rw.iter().sum();
                let slow = if total > 0.0 {
                    d / total
                } else if d > 0.0 {
                    1.0
                } else {
                    0.0
                };
                assert_eq!(
                    fast.to_bits(),
                    slow.to_bits(),
                    "{reference:?} / {hypothesis:?} at {weight}"
                );
            }
        }
    }

    /// A reproducible stream of numbers below a bound (xorshift64), for random transcripts.
    fn xorshift(seed: u64) -> impl FnMut(u64) -> usize {
        let mut state = seed;
        move |below: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            usize::try_from(state % below).unwrap()
        }
    }

    /// The same on long transcripts whose alignment drifts: a passage left out in one place and
    /// another added elsewhere, scattered substitutions, insertions and deletions (the band
    /// must widen, or the bound outside it must hold, for the result to stay exact).
    #[test]
    fn banded_distance_equals_the_full_table_on_long_drifting_texts() {
        let vocabulary = [
            "a",
            "b",
            "c",
            "d",
            "metoprolol",
            "e",
            "f",
            "lisinopril",
            "g",
        ];
        let mut next = xorshift(0x9E37_79B9_7F4A_7C15);
        let terms = ["metoprolol".to_string(), "lisinopril".to_string()];
        for _ in 0..60 {
            let n = 150 + next(300);
            let reference: Vec<String> = (0..n).map(|_| vocabulary[next(9)].to_string()).collect();
            let mut hypothesis: Vec<String> = Vec::new();
            let cut = (next(n as u64), 1 + next(40));
            let added = (next(n as u64), 1 + next(40));
            let rate = 5 + next(40) as u64;
            for (i, w) in reference.iter().enumerate() {
                if i == added.0 {
                    hypothesis.extend((0..added.1).map(|_| vocabulary[next(9)].to_string()));
                }
                if i >= cut.0 && i < cut.0 + cut.1 {
                    continue;
                }
                match next(rate) {
                    0 => {}
                    1 => hypothesis.push("x".to_string()),
                    2 => {
                        hypothesis.push(w.clone());
                        hypothesis.push(vocabulary[next(9)].into());
                    }
                    _ => hypothesis.push(w.clone()),
                }
            }
            for weight in [1.0, 3.0, 2.5] {
                let fast = word_error_rate(&reference, &hypothesis, &terms, weight);
                let weigh = |list: &[String]| -> Vec<f64> {
                    list.iter()
                        .map(|w| if terms.contains(w) { weight } else { 1.0 })
                        .collect()
                };
                let (rw, hw) = (weigh(&reference), weigh(&hypothesis));
                let slow =
                    full_table_distance(&reference, &hypothesis, &rw, &hw) / rw.iter().sum::<f64>();
                assert_eq!(
                    fast.to_bits(),
                    slow.to_bits(),
                    "{reference:?} / {hypothesis:?} at {weight}"
                );
            }
        }
    }

    /// The words' counts bound the distance from below on random transcripts at every weight,
    /// and on a transcript that only mishears words (here a repetitive one, whose shifted copies
    /// align almost as well) they reach it, so its first band is proven.
    #[test]
    fn the_count_bound_never_exceeds_the_distance() {
        let vocabulary = ["a", "b", "metoprolol", "c", "d", "lisinopril", "e"];
        let mut next = xorshift(0xD1B5_4A32_D192_ED03);
        let terms = ["metoprolol".to_string(), "lisinopril".to_string()];
        let units_of = |list: &[String], heavy: u64| -> Vec<u64> {
            list.iter()
                .map(|w| {
                    if terms.contains(w) {
                        heavy
                    } else {
                        WEIGHT_SCALE
                    }
                })
                .collect()
        };
        let bound_and_distance = |reference: &[String], hypothesis: &[String], weight: f64| {
            let heavy = exact_units(weight, reference.len() + hypothesis.len()).unwrap();
            let (ref_u, hyp_u) = (units_of(reference, heavy), units_of(hypothesis, heavy));
            let [r, h] = word_ids([reference, hypothesis]);
            let bound = count_bound(&Words {
                reference: r,
                hypothesis: h,
                ref_u: ref_u.clone(),
                hyp_u: hyp_u.clone(),
            });
            #[allow(clippy::cast_precision_loss)]
            let to_f64 = |u: &[u64]| -> Vec<f64> {
                u.iter().map(|x| *x as f64 / WEIGHT_SCALE as f64).collect()
            };
            let d = full_table_distance(reference, hypothesis, &to_f64(&ref_u), &to_f64(&hyp_u));
            #[allow(clippy::cast_precision_loss)]
            (bound as f64 / WEIGHT_SCALE as f64, d)
        };
        let mut met = 0;
        for _ in 0..2000 {
            let n = next(30);
            let reference: Vec<String> = (0..n).map(|_| vocabulary[next(7)].to_string()).collect();
            let rate = 2 + next(8) as u64;
            let mut hypothesis = Vec::new();
            for w in &reference {
                match next(rate) {
                    0 => {}
                    1 => hypothesis.push(vocabulary[next(7)].to_string()),
                    2 => {
                        hypothesis.push(w.clone());
                        hypothesis.push(vocabulary[next(7)].to_string());
                    }
                    _ => hypothesis.push(w.clone()),
                }
            }
            for weight in [1.0, 3.0, 2.5, 1.015_625] {
                let (bound, d) = bound_and_distance(&reference, &hypothesis, weight);
                assert!(
                    bound <= d,
                    "{bound} > {d}: {reference:?} / {hypothesis:?} at {weight}"
                );
                met += usize::from(bound == d);
            }
        }
        // It is often the distance itself, not only a bound.
        assert!(met > 1000, "{met}");
        let words = [
            "patient",
            "takes",
            "metoprolol",
            "and",
            "lisinopril",
            "daily",
        ];
        let reference: Vec<String> = (0..800).map(|i| words[i % 6].to_string()).collect();
        let mut hypothesis = reference.clone();
        for w in hypothesis.iter_mut().skip(3).step_by(17) {
            *w = "uh".to_string();
        }
        let (bound, d) = bound_and_distance(&reference, &hypothesis, 3.0);
        assert_eq!(bound, d);
        assert!(d > 50.0, "{d}");
    }

    #[test]
    fn weighted_terms_cost_more() {
        let r = words("start metoprolol daily");
        let h = words("start metformin daily");
        let plain = word_error_rate(&r, &h, &[], 1.0);
        let weighted = word_error_rate(&r, &h, &["metoprolol".to_string()], 3.0);
        assert!((plain - 1.0 / 3.0).abs() < 1e-12);
        assert!((weighted - 3.0 / 5.0).abs() < 1e-12);
    }

    #[test]
    fn wer_credit_is_linear_between_thresholds() {
        let rules = WerRules {
            full_credit_wer: 0.0,
            zero_credit_wer: 0.5,
            weighted_terms: &[],
            term_weight: 1.0,
        };
        let s = score_wer(&json!("a b c d"), Some(&json!("a b c x")), rules);
        assert!((s.credit - 0.5).abs() < 1e-12);
        assert_eq!(
            s.details[0],
            "word error rate 25% (full credit at ≤ 0%, none at ≥ 50%)"
        );
    }
}
