//! Code search for the encoder panel and `ehr-sim codes search`: by code (prefix, with or
//! without the dot) and by the words a learner types — any order, prefixes, one or two typos on
//! longer words, noun/adjective and plural forms ("hypertension" finds "hypertensive"),
//! abbreviations, lay and anatomical synonyms from the reviewed `synonyms.ron`, numbers against
//! the ranges titles state ("bmi 41" → Z68.41 "40.0-44.9"), inclusion terms and, when imported,
//! the terms of the CDC Alphabetic Index.
//!
//! Matching is relaxed: a document need not contain every query word. Each query word (or
//! synonym phrase) is a group of slots; each slot weighs like BM25's idf, `ln(1 + N / (df + 1))`
//! over the documents, so rare clinical words outweigh "initial", "right" or "adult", and a
//! phrase's weight is shared among its words. A document's score is the sum of the weights of
//! the slots it matches times the match quality (exact 1.0, word form 0.95, literal word under a
//! synonym 0.9, prefix 0.8, one typo 0.65, two typos 0.45), +0.3 per optional word such as
//! "with"/"without", the reviewed prior of its code family (E11 before E13 for "diabetes"), +0.1
//! for the initial-encounter 7th character, −0.1 per title word the query did not ask for,
//! −0.4 for an "other" category the query did not ask for, −0.15 for a match on an inclusion or
//! index term rather than the title, +0.05 when the title starts with a query word.
//!
//! Ranking: code matches first (exact code, then its prefix family in code order); then billable
//! codes before headers; within each, the documents that match every query word that exists in
//! the code set ("complete") before partial matches, then by score; ties in tabular order. Each hit says which query words matched which words ([`Reason`]).
//!
//! Invariant: the result is a pure function of the code set, the synonym file, the imported
//! Alphabetic Index (if any) and the query; the index is built once per system on first search
//! (`OnceLock`).

pub mod bench;
pub mod fuzzy;
pub mod index;
pub mod patient_fit;

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::OnceLock;

use self::index::{Field, Index, STOP_WORDS, Terms, ranges_of, tokenize};
use super::codeset::CodeSet;
use super::layout::Tabular;
use super::synonyms::{self, SYNONYMS_RON, SynonymFile};
use super::{System, code_set};

/// What to search and how many results to return.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SearchOptions {
    /// The code system.
    pub system: System,
    /// The most hits to return.
    pub limit: usize,
}

impl Default for SearchOptions {
    fn default() -> Self {
        SearchOptions {
            system: System::Icd10Cm,
            limit: 20,
        }
    }
}

/// How a query word reached a document word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchKind {
    /// The query is (a prefix of) the code.
    Code,
    /// The same word.
    Exact,
    /// Another form of the word (plural, adjective, reviewed family).
    Form,
    /// The query word is the start of the word.
    Prefix,
    /// A near spelling (one or two edits).
    Typo,
    /// Through the reviewed synonym or abbreviation file.
    Synonym,
    /// A number inside a range the title states.
    Range,
}

impl MatchKind {
    /// A short label ("form", "typo", …).
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            MatchKind::Code => "code",
            MatchKind::Exact => "word",
            MatchKind::Form => "form",
            MatchKind::Prefix => "prefix",
            MatchKind::Typo => "spelling",
            MatchKind::Synonym => "synonym",
            MatchKind::Range => "range",
        }
    }
}

/// Why a hit matched: one query word (or phrase) and the document words it met.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Reason {
    /// What the learner typed ("ckd").
    pub query: String,
    /// The words of the document it met ("chronic kidney disease").
    pub matched: String,
    /// How.
    pub how: MatchKind,
}

/// One search result.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Hit {
    /// The code as printed ("E11.22").
    pub code: String,
    /// Its description.
    pub description: String,
    /// Whether it can be reported.
    pub billable: bool,
    /// The inclusion term (or "Index: …" term) that matched, when the match was not on the
    /// title.
    pub matched_term: Option<String>,
    /// The ranking score (higher is better; code matches score 100).
    pub score: f32,
    /// Whether every query word found in the code set matched this code.
    pub complete: bool,
    /// Which query words matched which words.
    pub reasons: Vec<Reason>,
}

/// A search with what it could not use: the hits, the query words that match nothing in the
/// code set, and near spellings for them.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Outcome {
    /// The hits, best first.
    pub hits: Vec<Hit>,
    /// Query words that match no word of the code set.
    pub not_found: Vec<String>,
    /// Near spellings: (query word, vocabulary word).
    pub near: Vec<(String, String)>,
}

impl Outcome {
    /// Suggestions for an empty or partial result, in words ("drop \"xyz\"", "try \"fracture\"
    /// for \"fractre\"").
    #[must_use]
    pub fn suggestions(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .near
            .iter()
            .map(|(q, w)| format!("try \"{w}\" for \"{q}\""))
            .collect();
        for word in &self.not_found {
            out.push(format!("drop \"{word}\" (no title uses it)"));
        }
        out
    }
}

/// Searches the loaded code set of `options.system`. Returns no hits when the system is not
/// loaded or the query is blank.
#[must_use]
pub fn search(query: &str, options: &SearchOptions) -> Vec<Hit> {
    search_detailed(query, options).hits
}

/// Like [`search`], with the words that matched nothing and near spellings.
#[must_use]
pub fn search_detailed(query: &str, options: &SearchOptions) -> Outcome {
    if let Some(layout) = super::search_layout(options.system) {
        return search_outcome(&layout, &layout, query, options.limit);
    }
    let Some(set) = code_set(options.system) else {
        return Outcome::default();
    };
    search_outcome(set, index_for(options.system, set), query, options.limit)
}

fn index_for(system: System, set: &'static CodeSet) -> &'static Index {
    static INDEXES: [OnceLock<Index>; 4] = [
        OnceLock::new(),
        OnceLock::new(),
        OnceLock::new(),
        OnceLock::new(),
    ];
    let slot = match system {
        System::Icd10Cm => &INDEXES[0],
        System::Icd10Pcs => &INDEXES[1],
        System::Hcpcs => &INDEXES[2],
        System::Cpt => &INDEXES[3],
    };
    slot.get_or_init(|| {
        let terms = if system == System::Icd10Cm {
            super::import::icd10cm_index::user_terms()
        } else {
            super::import::icd10cm_index::IndexTerms::default()
        };
        Index::build_with(set, synonym_file(), &terms.terms)
    })
}

pub(crate) fn synonym_file() -> Option<&'static SynonymFile> {
    static FILE: OnceLock<Option<SynonymFile>> = OnceLock::new();
    FILE.get_or_init(|| synonyms::parse(SYNONYMS_RON).ok())
        .as_ref()
}

/// Query terms (one to three words) → their tabular wordings (stop words removed).
#[derive(Debug, Default)]
pub struct SynonymTable {
    terms: HashMap<Vec<String>, Vec<Vec<String>>>,
}

impl SynonymTable {
    /// Builds the table from the synonym file text (an unreadable file gives an empty table;
    /// the shipped file is checked by a test).
    #[must_use]
    pub fn from_ron(text: &str) -> SynonymTable {
        let mut table = SynonymTable::default();
        if let Ok(file) = synonyms::parse(text) {
            for entry in &file.entries {
                let wordings: Vec<&String> = std::iter::once(&entry.expansion)
                    .chain(&entry.also)
                    .collect();
                for term in &entry.terms {
                    for wording in &wordings {
                        table.add(term, wording);
                    }
                }
            }
        }
        table
    }

    /// Adds one mapping (also used for the Alphabetic Index's "see" references).
    pub fn add(&mut self, term: &str, wording: &str) {
        let key: Vec<String> = tokenize(term).collect();
        let words: Vec<String> = tokenize(wording)
            .filter(|w| !STOP_WORDS.contains(&w.as_str()))
            .collect();
        if key.is_empty() || key.len() > 3 || words.is_empty() {
            return;
        }
        let list = self.terms.entry(key).or_default();
        if !list.contains(&words) {
            list.push(words);
        }
    }

    fn get(&self, words: &[String]) -> Option<&Vec<Vec<String>>> {
        self.terms.get(words)
    }
}

fn synonym_table() -> &'static SynonymTable {
    static TABLE: OnceLock<SynonymTable> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table = SynonymTable::from_ron(SYNONYMS_RON);
        for (from, to) in super::import::icd10cm_index::user_terms().see {
            if !super::import::icd10cm_index::is_generic_target(&to) {
                table.add(&from, &to);
            }
        }
        table
    })
}

/// Searches a given set with a given index (what [`search`] calls; public for tests and
/// benchmarks on other sets).
#[must_use]
pub(crate) fn search_in(set: &CodeSet, index: &Index, query: &str, limit: usize) -> Vec<Hit> {
    search_outcome(set, index, query, limit).hits
}

/// Like [`search_in`], with the words that matched nothing and near spellings.
#[cfg(test)]
#[must_use]
pub(crate) fn search_in_outcome(
    set: &CodeSet,
    index: &Index,
    query: &str,
    limit: usize,
) -> Outcome {
    search_outcome(set, index, query, limit)
}

/// Searches a shipped set's look-up layout in place (what [`search`] does when no Alphabetic
/// Index is imported; public for `ehr-sim bench codes`).
#[must_use]
pub fn search_layout(layout: &super::layout::Layout<'_>, query: &str, limit: usize) -> Outcome {
    search_outcome(layout, layout, query, limit)
}

fn search_outcome<S: Tabular + ?Sized, T: Terms + ?Sized>(
    set: &S,
    index: &T,
    query: &str,
    limit: usize,
) -> Outcome {
    let query = query.trim();
    if query.is_empty() || limit == 0 {
        return Outcome::default();
    }
    let mut hits = code_hits(set, query, limit);
    let mut outcome = Outcome::default();
    if hits.len() < limit {
        let words = word_hits(set, index, synonym_table(), query, limit + hits.len());
        for hit in words.hits {
            if hits.len() >= limit {
                break;
            }
            if !hits.iter().any(|h| h.code == hit.code) {
                hits.push(hit);
            }
        }
        // A word that found codes by their code is not "not found" in the titles.
        let found_as_code = |word: &str| {
            let w: String = word
                .chars()
                .filter(|c| *c != '.')
                .collect::<String>()
                .to_ascii_uppercase();
            looks_like_code(word)
                && hits
                    .iter()
                    .any(|h| h.code.replace('.', "").to_ascii_uppercase().starts_with(&w))
        };
        outcome.not_found = words
            .not_found
            .into_iter()
            .filter(|w| !found_as_code(w))
            .collect();
        outcome.near = words
            .near
            .into_iter()
            .filter(|(w, _)| !found_as_code(w))
            .collect();
    }
    outcome.hits = hits;
    outcome
}

fn looks_like_code(query: &str) -> bool {
    let compact: String = query.chars().filter(|c| *c != '.').collect();
    let mut chars = compact.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_ascii_alphanumeric());
    first_ok
        && (2..=7).contains(&compact.len())
        && compact.chars().all(|c| c.is_ascii_alphanumeric())
        && compact.chars().any(|c| c.is_ascii_digit())
}

fn code_hits<S: Tabular + ?Sized>(set: &S, query: &str, limit: usize) -> Vec<Hit> {
    if !looks_like_code(query) {
        return Vec::new();
    }
    // Key order puts the exact code first, then its family (E11.2, E11.21, E11.22, …).
    set.prefixed(query)
        .into_iter()
        .take(limit)
        .map(|e| Hit {
            code: e.code.to_string(),
            description: e.description.to_string(),
            billable: e.billable,
            matched_term: None,
            score: 100.0,
            complete: true,
            reasons: vec![Reason {
                query: query.to_string(),
                matched: e.code.to_string(),
                how: MatchKind::Code,
            }],
        })
        .collect()
}

/// Query words, lower case; a decimal number stays one word ("41.5").
fn query_tokens(query: &str) -> Vec<String> {
    let chars: Vec<char> = query.chars().collect();
    let mut out = Vec::new();
    let mut cur = String::new();
    for (i, c) in chars.iter().enumerate() {
        let decimal_point = *c == '.'
            && i > 0
            && chars.get(i - 1).is_some_and(char::is_ascii_digit)
            && chars.get(i + 1).is_some_and(char::is_ascii_digit);
        if c.is_alphanumeric() || decimal_point {
            cur.extend(c.to_lowercase());
        } else if !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// One query word or phrase.
#[derive(Debug, Clone)]
struct Group {
    /// As typed.
    text: String,
    /// Its slots (positions in the slot list).
    slots: std::ops::Range<usize>,
    /// A stop word: a bonus when present, never required.
    optional: bool,
}

/// One word position of a group: any of its alternative words.
#[derive(Debug, Clone, Default)]
struct Slot {
    /// Vocabulary matches (word id, quality, kind), best first, one per word.
    matches: Vec<(u32, f32, MatchKind)>,
    /// A number to look up in the ranges titles state.
    number: Option<f32>,
    /// The weight of a full-quality match.
    weight: f32,
    /// Matches something.
    found: bool,
    /// From a stop word: a bonus, never required.
    optional: bool,
    /// Postings to read (the sum over its matches and ranges).
    cost: usize,
}

/// A group's wordings, each a list of (word, base quality, reached through a synonym).
type Alternatives = Vec<Vec<(String, f32, bool)>>;

/// The most slots a query uses (bits of a mask); further words are ignored.
const MAX_SLOTS: usize = 32;

fn build_groups<T: Terms + ?Sized>(
    tokens: &[String],
    synonyms: &SynonymTable,
    index: &T,
) -> (Vec<Group>, Vec<Alternatives>) {
    // Per group: alternatives, each a list of (word, base quality, via synonym).
    let mut groups = Vec::new();
    let mut alternatives: Vec<Alternatives> = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let mut used = 0;
        for len in (1..=3).rev() {
            let Some(words) = tokens.get(i..i + len) else {
                continue;
            };
            if let Some(expansions) = synonyms.get(words) {
                let mut alts: Vec<Vec<(String, f32, bool)>> = expansions
                    .iter()
                    .map(|e| e.iter().map(|w| (w.clone(), 1.0, true)).collect())
                    .collect();
                let literal_listed = expansions.iter().any(|e| e.as_slice() == words);
                if len == 1 && !literal_listed && index.word_id(&words[0]).is_some() {
                    alts.push(vec![(words[0].clone(), 0.9, false)]);
                }
                groups.push(Group {
                    text: words.join(" "),
                    slots: 0..0,
                    optional: false,
                });
                alternatives.push(alts);
                used = len;
                break;
            }
        }
        if used == 0 {
            let token = &tokens[i];
            groups.push(Group {
                text: token.clone(),
                slots: 0..0,
                optional: STOP_WORDS.contains(&token.as_str()),
            });
            alternatives.push(vec![vec![(token.clone(), 1.0, false)]]);
            used = 1;
        }
        i += used;
    }
    if groups.iter().all(|g| g.optional) {
        for g in &mut groups {
            g.optional = false;
        }
    }
    (groups, alternatives)
}

/// Vocabulary words a query word matches, with quality and kind.
fn word_matches<T: Terms + ?Sized>(
    index: &T,
    word: &str,
    base: f32,
    via_synonym: bool,
    last: bool,
    out: &mut Vec<(u32, f32, MatchKind)>,
) {
    let exact_kind = if via_synonym {
        MatchKind::Synonym
    } else {
        MatchKind::Exact
    };
    let before = out.len();
    if let Some(id) = index.word_id(word) {
        out.push((id, base, exact_kind));
    }
    let len = word.chars().count();
    let alphabetic = word.chars().all(char::is_alphabetic);
    if alphabetic {
        out.extend(
            index
                .form_ids(word)
                .into_iter()
                .map(|id| (id, base * 0.95, MatchKind::Form)),
        );
    }
    if len >= 3 || (last && len >= 2 && alphabetic) {
        out.extend(
            index
                .prefix_ids(word, 400)
                .into_iter()
                .map(|id| (id, base * 0.8, MatchKind::Prefix)),
        );
    }
    if out.len() == before && len >= 4 && alphabetic {
        let max = if len >= 8 { 2 } else { 1 };
        out.extend(
            index
                .fuzzy_ids(word, max)
                .into_iter()
                .map(|(id, d)| (id, base * if d <= 1 { 0.65 } else { 0.45 }, MatchKind::Typo)),
        );
    }
}

/// Turns groups of alternatives into slots with their matches and weights.
fn build_slots<T: Terms + ?Sized>(
    index: &T,
    groups: &mut [Group],
    alternatives: &[Alternatives],
) -> Vec<Slot> {
    let total_docs = index.doc_count() as f32;
    let idf = |df: usize| (1.0 + total_docs / (df as f32 + 1.0)).ln();
    let last_group = groups.len().saturating_sub(1);
    let mut slots: Vec<Slot> = Vec::new();
    for (g, (group, alts)) in groups.iter_mut().zip(alternatives).enumerate() {
        let width = alts.iter().map(Vec::len).max().unwrap_or(0);
        let start = slots.len();
        let mut idfs = Vec::with_capacity(width);
        for s in 0..width {
            if slots.len() >= MAX_SLOTS {
                break;
            }
            let mut slot = Slot::default();
            let mut exact_df: Option<usize> = None;
            for alt in alts {
                let Some((word, base, via)) = alt.get(s).or_else(|| alt.last()) else {
                    continue;
                };
                word_matches(index, word, *base, *via, g == last_group, &mut slot.matches);
                if let Some(id) = index.word_id(word) {
                    let df = index.posting(id).len();
                    exact_df = Some(exact_df.map_or(df, |d| d.min(df)));
                }
                if let Ok(v) = word.parse::<f32>() {
                    slot.number = Some(v);
                }
            }
            // One entry per word (its best quality), best first.
            slot.matches
                .sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.total_cmp(&a.1)));
            slot.matches.dedup_by_key(|m| m.0);
            slot.matches
                .sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            let ranged = slot
                .number
                .is_some_and(|v| ranges_of(index).any(|r| r.lo <= v && v <= r.hi));
            slot.found = !slot.matches.is_empty() || ranged;
            let df = exact_df.unwrap_or_else(|| {
                slot.matches
                    .iter()
                    .map(|(id, _, _)| index.posting(*id).len())
                    .sum::<usize>()
            });
            idfs.push(if slot.found { idf(df) } else { 0.0 });
            slot.optional = group.optional;
            slot.cost = slot
                .matches
                .iter()
                .map(|(id, _, _)| index.posting(*id).len())
                .sum::<usize>()
                + slot.number.map_or(0, |v| {
                    ranges_of(index).filter(|r| r.lo <= v && v <= r.hi).count()
                });
            slots.push(slot);
        }
        group.slots = start..slots.len();
        let group_weight = idfs.iter().copied().fold(0.0f32, f32::max);
        let sum: f32 = idfs.iter().sum();
        for (slot, w) in slots
            .get_mut(group.slots.clone())
            .unwrap_or_default()
            .iter_mut()
            .zip(&idfs)
        {
            slot.weight = if group.optional {
                0.3
            } else if sum > 0.0 {
                group_weight * w / sum
            } else {
                0.0
            };
        }
    }
    slots
}

/// Per-document accumulator (valid while the document's bit is set in `Scratch::member`).
#[derive(Debug, Clone, Copy, Default)]
struct Acc {
    score: f32,
    slots: u32,
}

/// Reused per-thread buffers: no allocation or clearing per query.
#[derive(Debug, Default)]
struct Scratch {
    epoch: u32,
    acc: Vec<Acc>,
    word_stamp: Vec<u32>,
    touched: Vec<u32>,
    ranked: Vec<(f64, u32)>,
    /// One bit per document: touched by a seed slot in this query (cleared after it).
    member: Vec<u64>,
}

impl Scratch {
    fn begin(&mut self, docs: usize, words: usize) {
        if self.epoch == u32::MAX {
            *self = Scratch::default();
        }
        self.epoch += 1;
        if self.acc.len() < docs {
            self.acc.resize(docs, Acc::default());
        }
        if self.word_stamp.len() < words {
            self.word_stamp.resize(words, 0);
        }
        if self.member.len() < docs / 64 + 1 {
            self.member.resize(docs / 64 + 1, 0);
        }
        self.touched.clear();
        self.ranked.clear();
    }

    /// Credits a slot to a document, making it a candidate.
    fn credit(&mut self, doc: u32, bit: u32, value: f32) {
        let Some(word) = self.member.get_mut(doc as usize / 64) else {
            return;
        };
        let mask = 1u64 << (doc % 64);
        let fresh = *word & mask == 0;
        *word |= mask;
        if let Some(acc) = self.acc.get_mut(doc as usize) {
            if fresh {
                *acc = Acc {
                    score: value,
                    slots: bit,
                };
                self.touched.push(doc);
            } else if acc.slots & bit == 0 {
                acc.slots |= bit;
                acc.score += value;
            }
        }
    }
}

impl Scratch {
    /// Credits a slot to a document only if it is already a candidate (a bit test first: the
    /// bitset stays in cache while long posting lists stream by).
    fn credit_member(&mut self, doc: u32, bit: u32, value: f32) {
        let is_member = self
            .member
            .get(doc as usize / 64)
            .is_some_and(|w| w & (1 << (doc % 64)) != 0);
        if is_member
            && let Some(acc) = self.acc.get_mut(doc as usize)
            && acc.slots & bit == 0
        {
            acc.slots |= bit;
            acc.score += value;
        }
    }

    /// Credits a slot to every candidate whose bit is set in `bits` (a common word's bitset).
    fn credit_candidates_in(&mut self, bits: &[u64], bit: u32, value: f32) {
        for doc in &self.touched {
            let has = bits
                .get(*doc as usize / 64)
                .is_some_and(|w| w & (1 << (doc % 64)) != 0);
            if has
                && let Some(acc) = self.acc.get_mut(*doc as usize)
                && acc.slots & bit == 0
            {
                acc.slots |= bit;
                acc.score += value;
            }
        }
    }

    /// Credits a slot to every candidate that a (sorted) posting list holds.
    fn credit_candidates_listed(&mut self, posting: index::Posting<'_>, bit: u32, value: f32) {
        for doc in &self.touched {
            if posting.contains(*doc)
                && let Some(acc) = self.acc.get_mut(*doc as usize)
                && acc.slots & bit == 0
            {
                acc.slots |= bit;
                acc.score += value;
            }
        }
    }

    /// Clears the candidate bits of this query.
    fn clear_members(&mut self) {
        for doc in &self.touched {
            if let Some(word) = self.member.get_mut(*doc as usize / 64) {
                *word = 0;
            }
        }
    }
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// What [`word_hits`] returns.
struct WordHits {
    hits: Vec<Hit>,
    not_found: Vec<String>,
    near: Vec<(String, String)>,
}

fn word_hits<S: Tabular + ?Sized, T: Terms + ?Sized>(
    set: &S,
    index: &T,
    synonyms: &SynonymTable,
    query: &str,
    limit: usize,
) -> WordHits {
    let tokens = query_tokens(query);
    let (mut groups, alternatives) = build_groups(&tokens, synonyms, index);
    let slots = build_slots(index, &mut groups, &alternatives);
    let mut not_found = Vec::new();
    let mut near = Vec::new();
    let mut required: u32 = 0;
    for group in &groups {
        let group_slots = slots.get(group.slots.clone()).unwrap_or_default();
        if !group.optional && !group_slots.is_empty() && group_slots.iter().all(|s| !s.found) {
            not_found.push(group.text.clone());
            if let Some(word) = near_spelling(index, &group.text) {
                near.push((group.text.clone(), word));
            }
        }
        if !group.optional {
            for (k, slot) in group_slots.iter().enumerate() {
                if slot.found {
                    required |= 1 << (group.slots.start + k);
                }
            }
        }
    }
    let query_has_other = tokens.iter().any(|t| t == "other");
    let hits = SCRATCH.with(|scratch| {
        let mut scratch = scratch.borrow_mut();
        rank(
            set,
            index,
            &mut scratch,
            &slots,
            &groups,
            required,
            query_has_other,
            limit,
        )
    });
    WordHits {
        hits,
        not_found,
        near,
    }
}

/// The nearest vocabulary word (two edits at most; the most used one on a tie).
fn near_spelling<T: Terms + ?Sized>(index: &T, word: &str) -> Option<String> {
    if word.chars().count() < 3 || word.contains(' ') {
        return None;
    }
    let max = if word.len() >= 6 { 2 } else { 1 };
    index
        .fuzzy_ids(word, max)
        .into_iter()
        .min_by_key(|(id, d)| (*d, std::cmp::Reverse(index.posting(*id).len())))
        .and_then(|(id, _)| index.word(id).map(str::to_string))
}

#[allow(clippy::too_many_arguments)]
fn rank<S: Tabular + ?Sized, T: Terms + ?Sized>(
    set: &S,
    index: &T,
    scratch: &mut Scratch,
    slots: &[Slot],
    groups: &[Group],
    required: u32,
    query_has_other: bool,
    limit: usize,
) -> Vec<Hit> {
    scratch.begin(index.doc_count(), index.word_count());
    let epoch = scratch.epoch;
    // Seed slots make candidates: the required ones whose postings are not among the most
    // common (or, when all are common, the rarest one). The others only add to candidates: a
    // document that matches nothing but "initial", "right" or "of" is no answer.
    let cap = (index.doc_count() / 12).max(1_000);
    let required_slots = || {
        slots
            .iter()
            .enumerate()
            .filter(|(_, s)| s.found && !s.optional)
    };
    let rarest = required_slots().min_by_key(|(_, s)| s.cost).map(|(i, _)| i);
    let is_seed = |i: usize, slot: &Slot| {
        slot.found && !slot.optional && (slot.cost <= cap || Some(i) == rarest)
    };
    for pass in [true, false] {
        for (s, slot) in slots.iter().enumerate() {
            if is_seed(s, slot) != pass {
                continue;
            }
            let bit = 1u32 << s;
            if let Some(v) = slot.number {
                for r in ranges_of(index).filter(|r| r.lo <= v && v <= r.hi) {
                    if pass {
                        scratch.credit(r.doc, bit, slot.weight);
                    } else {
                        scratch.credit_member(r.doc, bit, slot.weight);
                    }
                }
            }
            for (id, q, _) in &slot.matches {
                if let Some(stamp) = scratch.word_stamp.get_mut(*id as usize) {
                    *stamp = epoch;
                }
                let value = slot.weight * q;
                let posting = index.posting(*id);
                match (pass, index.dense(*id)) {
                    (false, Some(bits)) if scratch.touched.len() < posting.len() => {
                        // A common word: test each candidate in its bitset.
                        scratch.credit_candidates_in(bits, bit, value);
                    }
                    (false, None) if scratch.touched.len().saturating_mul(16) < posting.len() => {
                        // A common word of an index read in place (no bitsets): look each
                        // candidate up in the sorted list. The same documents get the same
                        // credit as by reading the whole list.
                        scratch.credit_candidates_listed(posting, bit, value);
                    }
                    _ => {
                        for doc in posting.iter() {
                            if pass {
                                scratch.credit(doc, bit, value);
                            } else {
                                scratch.credit_member(doc, bit, value);
                            }
                        }
                    }
                }
            }
        }
    }
    scratch.clear_members();
    // Score each touched document.
    let mut ranked = std::mem::take(&mut scratch.ranked);
    for doc in &scratch.touched {
        let (Some(d), Some(acc)) = (index.doc(*doc), scratch.acc.get(*doc as usize)) else {
            continue;
        };
        let matched = acc.slots & required;
        let complete = matched == required;
        let extra = f32::from(d.words).sub_sat(matched.count_ones() as f32);
        let mut score = acc.score + d.prior - 0.1 * extra;
        if !matches!(d.field, Field::Description) {
            score -= 0.15;
        }
        if scratch.word_stamp.get(d.first_word as usize) == Some(&epoch) {
            score += 0.05;
        }
        if d.other && !query_has_other {
            score -= 0.4;
        }
        let key = f64::from(score)
            + if d.billable { 2.0e6 } else { 0.0 }
            + if complete { 1.0e6 } else { 0.0 };
        ranked.push((key, *doc));
    }
    // The best documents, one per entry (an entry's documents are its title, inclusion terms
    // and index terms): select a few more than needed, then fall back to all if too many
    // shared an entry.
    let order = |a: &(f64, u32), b: &(f64, u32)| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1));
    let slack = limit * 4 + 16;
    let mut best: Vec<(f64, u32)> = Vec::with_capacity(limit);
    for attempt in [slack, usize::MAX] {
        let take = attempt.min(ranked.len());
        if take < ranked.len() {
            ranked.select_nth_unstable_by(take, order);
        }
        let top = ranked.get_mut(..take).unwrap_or_default();
        top.sort_unstable_by(order);
        best.clear();
        let mut seen: Vec<u32> = Vec::with_capacity(limit);
        for (key, doc) in top.iter() {
            let Some(d) = index.doc(*doc) else {
                continue;
            };
            if !seen.contains(&d.entry) {
                seen.push(d.entry);
                best.push((*key, *doc));
                if best.len() == limit {
                    break;
                }
            }
        }
        if best.len() == limit || take == ranked.len() {
            break;
        }
    }
    let hits = best
        .iter()
        .filter_map(|(key, doc)| {
            let acc = *scratch.acc.get(*doc as usize)?;
            hit_for(
                set,
                index,
                *doc,
                *key,
                acc.slots & required == required,
                acc.slots,
                slots,
                groups,
            )
        })
        .collect();
    scratch.ranked = ranked;
    hits
}

trait SubSat {
    fn sub_sat(self, other: f32) -> f32;
}

impl SubSat for f32 {
    fn sub_sat(self, other: f32) -> f32 {
        (self - other).max(0.0)
    }
}

#[allow(clippy::too_many_arguments)]
fn hit_for<S: Tabular + ?Sized, T: Terms + ?Sized>(
    set: &S,
    index: &T,
    doc: u32,
    key: f64,
    complete: bool,
    matched: u32,
    slots: &[Slot],
    groups: &[Group],
) -> Option<Hit> {
    let d = index.doc(doc)?;
    let e = set.entry(d.entry)?;
    let matched_term = match d.field {
        Field::Description => None,
        Field::InclusionTerm(n, l) => set.inclusion_line(d.entry, n, l).map(str::to_string),
        Field::IndexTerm(t) => index.index_term(t).map(|text| format!("Index: {text}")),
    };
    // Only slots with many matches (prefixes) need the document's own words; the others look
    // the document up in their few posting lists.
    let doc_words: Vec<u32> = if slots.iter().any(|s| s.matches.len() > 16) {
        let text = match d.field {
            Field::Description => e.description.to_string(),
            Field::InclusionTerm(..) => matched_term.clone().unwrap_or_default(),
            Field::IndexTerm(t) => {
                format!("{} {}", index.index_term(t).unwrap_or(""), e.description)
            }
        };
        tokenize(&text).filter_map(|w| index.word_id(&w)).collect()
    } else {
        Vec::new()
    };
    let mut reasons = Vec::new();
    for group in groups {
        let mut words: Vec<String> = Vec::new();
        let mut how: Option<MatchKind> = None;
        for s in group.slots.clone() {
            if matched & (1u32 << s) == 0 {
                continue;
            }
            let Some(slot) = slots.get(s) else { continue };
            // Matches are best first: the first one the document has is the one credited.
            let found = if slot.matches.len() > 16 {
                slot.matches
                    .iter()
                    .filter(|(id, _, _)| doc_words.contains(id))
                    .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))
            } else {
                slot.matches
                    .iter()
                    .find(|(id, _, _)| index.posting(*id).contains(doc))
            };
            match found {
                Some((id, _, kind)) => {
                    if let Some(w) = index.word(*id)
                        && !words.iter().any(|x| x == w)
                    {
                        words.push(w.to_string());
                    }
                    how = Some(match (how, *kind) {
                        (None, k) => k,
                        (Some(MatchKind::Synonym), _) | (_, MatchKind::Synonym) => {
                            MatchKind::Synonym
                        }
                        (Some(a), _) => a,
                    });
                }
                None => {
                    if let Some(r) = ranges_of(index).find(|r| r.doc == doc) {
                        words.push(r.text.to_string());
                        how = Some(MatchKind::Range);
                    }
                }
            }
        }
        if let Some(how) = how {
            reasons.push(Reason {
                query: group.text.clone(),
                matched: words.join(" "),
                how,
            });
        }
    }
    let score = key - if d.billable { 2.0e6 } else { 0.0 } - if complete { 1.0e6 } else { 0.0 };
    Some(Hit {
        code: e.code.to_string(),
        description: e.description.to_string(),
        billable: d.billable,
        matched_term,
        score: score as f32,
        complete,
        reasons,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_like_queries() {
        assert!(looks_like_code("E11.22"));
        assert!(looks_like_code("e1122"));
        assert!(looks_like_code("0016070"));
        assert!(!looks_like_code("afib"));
        assert!(!looks_like_code("type 2"));
    }

    #[test]
    fn synonym_table_has_multi_word_terms_and_wordings() {
        let table = SynonymTable::from_ron(SYNONYMS_RON);
        let w = |s: &str| s.split(' ').map(String::from).collect::<Vec<_>>();
        assert_eq!(table.get(&w("afib")), Some(&vec![w("atrial fibrillation")]));
        assert!(table.get(&w("heart attack")).is_some());
        assert!(table.get(&w("high blood pressure")).is_some());
        // Stop words are left out of wordings; `also` adds wordings.
        assert_eq!(
            table.get(&w("leg")),
            Some(&vec![w("lower limb"), w("lower leg"), w("leg")])
        );
        assert_eq!(
            table.get(&w("distal radius")),
            Some(&vec![w("lower end radius")])
        );
    }

    #[test]
    fn a_code_typed_as_the_query_is_not_reported_missing_from_titles() {
        let options = SearchOptions {
            system: System::Icd10Cm,
            limit: 30,
        };
        let found = search_detailed("A41.51", &options);
        assert_eq!(found.hits.first().map(|h| h.code.as_str()), Some("A41.51"));
        assert!(found.not_found.is_empty(), "{:?}", found.not_found);
        assert!(found.suggestions().is_empty());
        // A word no title uses is still reported.
        let found = search_detailed("sepsis qqqq", &options);
        assert_eq!(found.not_found, ["qqqq"]);
    }

    #[test]
    fn query_tokens_keep_decimals() {
        assert_eq!(query_tokens("BMI 41.5, adult"), ["bmi", "41.5", "adult"]);
        assert_eq!(query_tokens("Non-ST 3."), ["non", "st", "3"]);
    }
}
