//! The inverted index behind [`super::search`]: every description, inclusion term and (when the
//! user imported the CDC Alphabetic Index) index term is a document; each word of the vocabulary
//! has a sorted posting list of documents.
//!
//! Beside the postings the index keeps the term layer's per-word data: word forms joined by
//! suffix rules and the reviewed families ([`stem`]; "hypertension" and "hypertensive",
//! "sacrum" and "sacral"), numeric ranges written in titles ("40.0-44.9", "20 or less",
//! "stage 1 through stage 4"), and per-document ranking facts (prior, "other" titles).
//!
//! Invariants: `vocab` is sorted (prefix lookups are a binary search); each posting list is
//! sorted and has no duplicates; `by_length[n]` lists the vocabulary words of n bytes (for the
//! typo scan); documents are numbered in the code set's tabular order with an entry's documents
//! adjacent, so ties fall back to tabular order.

use std::collections::HashMap;

use super::fuzzy;
use crate::terminology::NoteKind;
use crate::terminology::codeset::{CodeSet, EntryKind};
use crate::terminology::synonyms::SynonymFile;

/// Where a document's text came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// The code's description.
    Description,
    /// One of the code's inclusion terms (the index of the line within its notes).
    InclusionTerm(u16, u16),
    /// A term of the imported Alphabetic Index (its position in [`Index::index_terms`]).
    IndexTerm(u32),
}

/// One searchable text.
#[derive(Debug, Clone, Copy)]
pub struct Doc {
    /// Entry index in the code set.
    pub entry: u32,
    /// Which text.
    pub field: Field,
    /// Number of distinct words that count for the specificity penalty: not stop words, not
    /// "unspecified"; for a 7th-character code the words of its base code plus one.
    pub words: u8,
    /// Vocabulary id of the first word (a title that starts with a query word ranks higher).
    pub first_word: u32,
    /// The entry's billable flag (copied so ranking does not touch the entries).
    pub billable: bool,
    /// The text names an "other" (residual) category.
    pub other: bool,
    /// The reviewed prior of the code's family plus the 7th-character default (initial
    /// encounter first).
    pub prior: f32,
}

/// A numeric range written in a document ("40.0-44.9" → 40.0..=44.9).
#[derive(Debug, Clone)]
pub struct NumRange {
    /// Lower bound (inclusive).
    pub lo: f32,
    /// Upper bound (inclusive).
    pub hi: f32,
    /// The document.
    pub doc: u32,
    /// The range as written.
    pub text: String,
}

/// A numeric range as the search reads it (from an [`Index`] or the look-up layout).
#[derive(Debug, Clone, Copy)]
pub struct RangeRef<'a> {
    /// Lower bound (inclusive).
    pub lo: f32,
    /// Upper bound (inclusive).
    pub hi: f32,
    /// The document.
    pub doc: u32,
    /// The range as written.
    pub text: &'a str,
}

/// A word's posting list: document numbers, ascending; held as numbers (an [`Index`]) or as
/// little-endian bytes read in place (the look-up layout, src/terminology/layout.rs).
#[derive(Debug, Clone, Copy)]
pub enum Posting<'a> {
    /// Numbers in memory.
    Ids(&'a [u32]),
    /// Four little-endian bytes per document.
    Le(&'a [u8]),
}

impl<'a> Posting<'a> {
    /// Number of documents.
    #[must_use]
    pub fn len(&self) -> usize {
        match self {
            Posting::Ids(ids) => ids.len(),
            Posting::Le(bytes) => bytes.len() / 4,
        }
    }

    /// True when no document has the word.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The `k`-th document.
    #[must_use]
    pub fn get(&self, k: usize) -> Option<u32> {
        match self {
            Posting::Ids(ids) => ids.get(k).copied(),
            Posting::Le(bytes) => {
                let b = bytes.get(k.checked_mul(4)?..k.checked_mul(4)?.checked_add(4)?)?;
                let mut word = [0u8; 4];
                word.copy_from_slice(b);
                Some(u32::from_le_bytes(word))
            }
        }
    }

    /// The documents in order.
    pub fn iter(&self) -> impl Iterator<Item = u32> + 'a {
        let (ids, bytes): (&'a [u32], &'a [u8]) = match *self {
            Posting::Ids(ids) => (ids, &[]),
            Posting::Le(bytes) => (&[], bytes),
        };
        ids.iter().copied().chain(
            bytes
                .chunks_exact(4)
                .filter_map(|c| <[u8; 4]>::try_from(c).ok())
                .map(u32::from_le_bytes),
        )
    }

    /// True when the (ascending) list holds `doc`.
    #[must_use]
    pub fn contains(&self, doc: u32) -> bool {
        match self {
            Posting::Ids(ids) => ids.binary_search(&doc).is_ok(),
            Posting::Le(_) => {
                let (mut lo, mut hi) = (0, self.len());
                while lo < hi {
                    let mid = lo + (hi - lo) / 2;
                    match self.get(mid) {
                        Some(d) if d < doc => lo = mid + 1,
                        Some(d) if d == doc => return true,
                        Some(_) => hi = mid,
                        None => return false,
                    }
                }
                false
            }
        }
    }
}

/// What the search reads of an index: an [`Index`] built at run time, or the pre-built one of
/// the look-up layout read in place. Both give the same answers for the same code set.
pub trait Terms {
    /// Number of documents.
    fn doc_count(&self) -> usize;
    /// A document.
    fn doc(&self, doc: u32) -> Option<Doc>;
    /// Vocabulary size.
    fn word_count(&self) -> usize;
    /// A vocabulary word.
    fn word(&self, id: u32) -> Option<&str>;
    /// The id of a word, if it is in the vocabulary.
    fn word_id(&self, word: &str) -> Option<u32>;
    /// Other vocabulary forms of `word` (same stem, same family), without the word itself.
    fn form_ids(&self, word: &str) -> Vec<u32>;
    /// Ids of the words that start with `prefix` (excluding the word itself), at most `cap`.
    fn prefix_ids(&self, prefix: &str, cap: usize) -> Vec<u32>;
    /// Ids and distances of the words within `max` edits of `word`.
    fn fuzzy_ids(&self, word: &str, max: usize) -> Vec<(u32, usize)>;
    /// The posting list of a word id.
    fn posting(&self, id: u32) -> Posting<'_>;
    /// The document bitset of a common word, when the index keeps one.
    fn dense(&self, id: u32) -> Option<&[u64]>;
    /// Number of numeric ranges.
    fn range_count(&self) -> usize;
    /// A numeric range.
    fn range(&self, i: usize) -> Option<RangeRef<'_>>;
    /// The text of an Alphabetic Index term document.
    fn index_term(&self, t: u32) -> Option<&str>;
}

/// The numeric ranges of an index, in order.
pub(crate) fn ranges_of<T: Terms + ?Sized>(index: &T) -> impl Iterator<Item = RangeRef<'_>> {
    (0..index.range_count()).filter_map(|i| index.range(i))
}

impl Terms for Index {
    fn doc_count(&self) -> usize {
        self.docs.len()
    }
    fn doc(&self, doc: u32) -> Option<Doc> {
        self.docs.get(doc as usize).copied()
    }
    fn word_count(&self) -> usize {
        self.vocab.len()
    }
    fn word(&self, id: u32) -> Option<&str> {
        self.vocab.get(id as usize).map(String::as_str)
    }
    fn word_id(&self, word: &str) -> Option<u32> {
        Index::word_id(self, word)
    }
    fn form_ids(&self, word: &str) -> Vec<u32> {
        Index::form_ids(self, word)
    }
    fn prefix_ids(&self, prefix: &str, cap: usize) -> Vec<u32> {
        Index::prefix_ids(self, prefix, cap)
    }
    fn fuzzy_ids(&self, word: &str, max: usize) -> Vec<(u32, usize)> {
        Index::fuzzy_ids(self, word, max)
    }
    fn posting(&self, id: u32) -> Posting<'_> {
        Posting::Ids(Index::posting(self, id))
    }
    fn dense(&self, id: u32) -> Option<&[u64]> {
        Index::dense(self, id)
    }
    fn range_count(&self) -> usize {
        self.ranges.len()
    }
    fn range(&self, i: usize) -> Option<RangeRef<'_>> {
        self.ranges.get(i).map(|r| RangeRef {
            lo: r.lo,
            hi: r.hi,
            doc: r.doc,
            text: &r.text,
        })
    }
    fn index_term(&self, t: u32) -> Option<&str> {
        self.index_terms.get(t as usize).map(String::as_str)
    }
}

/// Words that neither have to match nor count as unrequested detail.
pub(crate) const STOP_WORDS: [&str; 17] = [
    "a", "an", "and", "by", "due", "for", "in", "nos", "of", "on", "or", "the", "to", "with",
    "without", "w", "at",
];

/// Words that do not count as unrequested detail: the unspecified or default form
/// ("unspecified", "site not specified", "unspecified organism", "essential (primary)") is what
/// a learner who gives no detail wants.
const NEUTRAL_WORDS: [&str; 7] = [
    "unspecified",
    "specified",
    "not",
    "site",
    "organism",
    "essential",
    "primary",
];

fn counts(word: &str) -> bool {
    !STOP_WORDS.contains(&word) && !NEUTRAL_WORDS.contains(&word)
}

/// The index over one code set.
#[derive(Debug, Default)]
pub struct Index {
    /// The documents.
    pub docs: Vec<Doc>,
    /// Sorted vocabulary.
    pub vocab: Vec<String>,
    /// Posting list per vocabulary word.
    pub postings: Vec<Vec<u32>>,
    /// Letter mask per vocabulary word.
    pub masks: Vec<u32>,
    /// Vocabulary word ids by byte length.
    pub by_length: Vec<Vec<u32>>,
    /// Word-form groups: stem or family key → vocabulary ids.
    pub forms: HashMap<String, Vec<u32>>,
    /// Family key of each family word.
    pub families: HashMap<String, String>,
    /// Numeric ranges in documents, by document.
    pub ranges: Vec<NumRange>,
    /// Texts of the Alphabetic Index terms that are documents.
    pub index_terms: Vec<String>,
    /// For each word: its position in `dense_bits` when it is common, else `u32::MAX`.
    pub dense_of: Vec<u32>,
    /// Document bitsets of the common words (a membership test per candidate instead of a
    /// pass over a long posting list).
    pub dense_bits: Vec<Vec<u64>>,
}

/// Words in at least this many documents get a bitset.
const DENSE_MIN: usize = 2_048;

/// Splits text into lower-case words of letters and digits ("Non-ST" → "non", "st").
pub(crate) fn tokenize(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
}

/// The suffix-stripped form of a word, so that noun, adjective and plural forms meet:
/// "hypertension"/"hypertensive" → "hypertens", "sacrum"/"sacral" → "sacr", "diabetes"/
/// "diabetic" → "diabet", "veins" → "vein". Words under five letters and numbers are kept.
#[must_use]
pub fn stem(word: &str) -> String {
    if word.len() < 5 || !word.bytes().all(|b| b.is_ascii_lowercase()) {
        return word.to_string();
    }
    let mut w = word.to_string();
    // Plurals.
    if let Some(base) = w.strip_suffix("ies") {
        w = format!("{base}y");
    } else if w.ends_with("sses")
        || w.ends_with("xes")
        || w.ends_with("ches")
        || w.ends_with("shes")
    {
        w.truncate(w.len() - 2);
    } else if w.ends_with('s') && !w.ends_with("ss") && !w.ends_with("us") && !w.ends_with("is") {
        w.pop();
    }
    const SUFFIXES: [&str; 15] = [
        "ically", "ations", "ation", "ical", "ative", "ity", "ion", "ive", "ial", "ous", "ed",
        "ic", "al", "um", "ia",
    ];
    for suffix in SUFFIXES {
        if let Some(base) = w.strip_suffix(suffix)
            && base.len() >= 4
        {
            w.truncate(base.len());
            break;
        }
    }
    if (w.ends_with('e') || w.ends_with('y')) && w.len() >= 5 {
        w.pop();
    }
    w
}

/// Numbers and ranges written in a text: "40.0-44.9", "19.9 or less", "70 or greater", "less
/// than 8", "stage 1 through stage 4".
pub(crate) fn ranges_in(text: &str) -> Vec<(f32, f32, String)> {
    let lower = text.to_lowercase();
    let bytes = lower.as_bytes();
    let mut numbers: Vec<(usize, usize, f32)> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let starts = bytes.get(i).is_some_and(u8::is_ascii_digit)
            && (i == 0 || bytes.get(i - 1).is_some_and(|b| !b.is_ascii_alphanumeric()));
        if !starts {
            i += 1;
            continue;
        }
        let start = i;
        while bytes
            .get(i)
            .is_some_and(|b| b.is_ascii_digit() || *b == b'.')
        {
            i += 1;
        }
        let raw = lower
            .get(start..i)
            .unwrap_or_default()
            .trim_end_matches('.');
        let ends_clean = bytes.get(i).is_none_or(|b| !b.is_ascii_alphabetic());
        if ends_clean && let Ok(v) = raw.parse::<f32>() {
            numbers.push((start, start + raw.len(), v));
        }
    }
    let mut out = Vec::new();
    for (k, (start, end, v)) in numbers.iter().enumerate() {
        let after = lower.get(*end..).unwrap_or_default();
        let before = lower.get(..*start).unwrap_or_default().trim_end();
        let label = |a: usize, b: usize| lower.get(a..b).unwrap_or_default().to_string();
        if let Some((s2, e2, v2)) = numbers.get(k + 1) {
            let between = lower.get(*end..*s2).unwrap_or_default().trim();
            let through = between == "-"
                || between == "through"
                || between
                    .strip_prefix("through")
                    .is_some_and(|r| r.split_whitespace().count() == 1)
                || between == "to";
            if through && v2 >= v {
                out.push((*v, *v2, label(*start, *e2)));
                continue;
            }
        }
        let tail = [" or less", " or fewer", " or greater", " or more"]
            .into_iter()
            .find(|t| after.starts_with(t));
        if let Some(t) = tail {
            let text = label(*start, *end + t.len());
            if t.ends_with("less") || t.ends_with("fewer") {
                out.push((f32::MIN, *v, text));
            } else {
                out.push((*v, f32::MAX, text));
            }
        } else if before.ends_with("less than") || before.ends_with("under") {
            out.push((
                f32::MIN,
                *v - 0.001,
                format!("less than {}", label(*start, *end)),
            ));
        } else if before.ends_with("greater than") || before.ends_with("more than") {
            out.push((
                *v + 0.001,
                f32::MAX,
                format!("more than {}", label(*start, *end)),
            ));
        }
    }
    out
}

/// One text to index.
struct Pending<'a> {
    entry: u32,
    billable: bool,
    field: Field,
    text: std::borrow::Cow<'a, str>,
    base: &'a str,
    prior: f32,
    /// A 7th-character code.
    seventh: bool,
}

impl Index {
    /// Builds the index over the codes (not chapters or blocks) of a set, with the shipped term
    /// layer and no Alphabetic Index.
    #[must_use]
    pub fn build(set: &CodeSet) -> Index {
        Index::build_with(set, None, &[])
    }

    /// Builds the index with the term layer `synonyms` (families and priors) and the imported
    /// Alphabetic Index terms `(code, text)`, whose codes not in the set are skipped.
    #[must_use]
    pub fn build_with(
        set: &CodeSet,
        synonyms: Option<&SynonymFile>,
        index_terms: &[(String, String)],
    ) -> Index {
        let priors: Vec<(String, f32)> = synonyms
            .map(|f| {
                f.priors
                    .iter()
                    .flat_map(|p| p.codes.iter().map(|c| (c.clone(), p.boost)))
                    .collect()
            })
            .unwrap_or_default();
        let mut by_entry: HashMap<u32, Vec<u32>> = HashMap::new();
        for (i, (code, _)) in index_terms.iter().enumerate() {
            let Ok(i) = u32::try_from(i) else { continue };
            let dash = code.ends_with('-');
            let Some(e) = set.lookup(code.trim_end_matches(['-', '.'])) else {
                continue;
            };
            by_entry.entry(e.index).or_default().push(i);
            // "M70.4-": the index says to complete the code; its billable codes carry the term
            // too (at most 60, e.g. the laterality and 7th-character choices).
            if dash {
                for d in set.billable_descendants(e.index).into_iter().take(60) {
                    by_entry.entry(d.index).or_default().push(i);
                }
            }
        }
        let mut pending: Vec<Pending<'_>> = Vec::with_capacity(set.entries.len() + 8_000);
        for entry in set.entries.iter().filter(|e| e.is_code()) {
            let base = match entry.kind {
                EntryKind::Expanded => entry
                    .parent
                    .and_then(|p| set.get(p))
                    .map_or(entry.description.as_str(), |p| p.description.as_str()),
                EntryKind::Chapter | EntryKind::Block | EntryKind::Code => {
                    entry.description.as_str()
                }
            };
            let mut prior: f32 = priors
                .iter()
                .filter(|(p, _)| entry.code.starts_with(p.as_str()))
                .map(|(_, b)| *b)
                .sum();
            if entry.kind == EntryKind::Expanded && entry.code.ends_with('A') {
                // With no encounter word, the initial encounter (closed fracture) comes first.
                prior += 0.1;
            }
            pending.push(Pending {
                entry: entry.index,
                billable: entry.billable,
                field: Field::Description,
                text: entry.description.as_str().into(),
                base,
                prior,
                seventh: entry.kind == EntryKind::Expanded,
            });
            for (n, note) in entry.notes.iter().enumerate() {
                if note.kind != NoteKind::InclusionTerm {
                    continue;
                }
                for (l, line) in note.lines.iter().enumerate() {
                    pending.push(Pending {
                        entry: entry.index,
                        billable: entry.billable,
                        field: Field::InclusionTerm(
                            u16::try_from(n).unwrap_or(u16::MAX),
                            u16::try_from(l).unwrap_or(u16::MAX),
                        ),
                        text: line.as_str().into(),
                        base: line,
                        prior,
                        seventh: false,
                    });
                }
            }
            for t in by_entry.get(&entry.index).into_iter().flatten() {
                if let Some((_, text)) = index_terms.get(*t as usize) {
                    // The term with the code's title: "housemaid's knee" + "right knee".
                    pending.push(Pending {
                        entry: entry.index,
                        billable: entry.billable,
                        field: Field::IndexTerm(*t),
                        text: format!("{text} {}", entry.description).into(),
                        base: text,
                        prior,
                        seventh: false,
                    });
                }
            }
        }
        let mut index = Index::from_pending(&pending);
        index.index_terms = index_terms.iter().map(|(_, t)| t.clone()).collect();
        index.add_forms(synonyms);
        index
    }

    fn from_pending(pending: &[Pending<'_>]) -> Index {
        let mut docs: Vec<Doc> = Vec::with_capacity(pending.len());
        let mut words: HashMap<String, Vec<u32>> = HashMap::new();
        let mut firsts: Vec<String> = Vec::with_capacity(pending.len());
        let mut ranges = Vec::new();
        for p in pending {
            let doc = u32::try_from(docs.len()).unwrap_or(u32::MAX);
            let mut other = false;
            for word in tokenize(&p.text) {
                other |= word == "other";
                let list = words.entry(word).or_default();
                if list.last() != Some(&doc) {
                    list.push(doc);
                }
            }
            if p.text.bytes().any(|b| b.is_ascii_digit()) {
                for (lo, hi, text) in ranges_in(&p.text) {
                    ranges.push(NumRange { lo, hi, doc, text });
                }
            }
            // Distinct words of the base title; a 7th character counts as one word, so that
            // among codes of different bases the one with fewer unrequested words wins while
            // the 7th characters of one base tie (the initial encounter's prior decides).
            let mut counted: Vec<String> = tokenize(p.base).filter(|w| counts(w)).collect();
            counted.sort_unstable();
            counted.dedup();
            let count = counted.len() + usize::from(p.seventh);
            firsts.push(tokenize(p.base).find(|w| counts(w)).unwrap_or_default());
            docs.push(Doc {
                entry: p.entry,
                field: p.field,
                words: u8::try_from(count).unwrap_or(u8::MAX),
                first_word: u32::MAX,
                billable: p.billable,
                other,
                prior: p.prior,
            });
        }
        let mut pairs: Vec<(String, Vec<u32>)> = words.into_iter().collect();
        pairs.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let mut vocab = Vec::with_capacity(pairs.len());
        let mut postings = Vec::with_capacity(pairs.len());
        let mut masks = Vec::with_capacity(pairs.len());
        let mut by_length: Vec<Vec<u32>> = Vec::new();
        for (id, (word, list)) in pairs.into_iter().enumerate() {
            let id = u32::try_from(id).unwrap_or(u32::MAX);
            let len = word.len();
            if by_length.len() <= len {
                by_length.resize_with(len + 1, Vec::new);
            }
            if let Some(bucket) = by_length.get_mut(len) {
                bucket.push(id);
            }
            masks.push(fuzzy::letter_mask(&word));
            vocab.push(word);
            postings.push(list);
        }
        for (doc, first) in docs.iter_mut().zip(&firsts) {
            doc.first_word = vocab
                .binary_search(first)
                .ok()
                .and_then(|i| u32::try_from(i).ok())
                .unwrap_or(u32::MAX);
        }
        let mut dense_of = vec![u32::MAX; postings.len()];
        let mut dense_bits = Vec::new();
        for (id, list) in postings.iter().enumerate() {
            if list.len() < DENSE_MIN {
                continue;
            }
            let mut bits = vec![0u64; docs.len() / 64 + 1];
            for d in list {
                if let Some(w) = bits.get_mut(*d as usize / 64) {
                    *w |= 1 << (d % 64);
                }
            }
            if let Some(slot) = dense_of.get_mut(id) {
                *slot = u32::try_from(dense_bits.len()).unwrap_or(u32::MAX);
            }
            dense_bits.push(bits);
        }
        Index {
            docs,
            vocab,
            postings,
            masks,
            by_length,
            forms: HashMap::new(),
            families: HashMap::new(),
            ranges,
            index_terms: Vec::new(),
            dense_of,
            dense_bits,
        }
    }

    /// Groups the vocabulary by stem and by reviewed family.
    fn add_forms(&mut self, synonyms: Option<&SynonymFile>) {
        let mut forms: HashMap<String, Vec<u32>> = HashMap::new();
        for (id, word) in self.vocab.iter().enumerate() {
            if let Ok(id) = u32::try_from(id) {
                forms.entry(stem(word)).or_default().push(id);
            }
        }
        let mut families = HashMap::new();
        for (n, family) in synonyms
            .map(|f| f.families.as_slice())
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            let key = format!("#family{n}");
            for word in &family.words {
                families.insert(word.clone(), key.clone());
                if let Some(id) = self.word_id(word) {
                    forms.entry(key.clone()).or_default().push(id);
                }
            }
        }
        // Only groups of two or more forms help.
        forms.retain(|_, ids| ids.len() > 1);
        self.forms = forms;
        self.families = families;
    }

    /// Other vocabulary forms of `word` (same stem, same family), without the word itself.
    #[must_use]
    pub(crate) fn form_ids(&self, word: &str) -> Vec<u32> {
        let own = self.word_id(word);
        let mut out: Vec<u32> = Vec::new();
        let stemmed = stem(word);
        for key in [Some(&stemmed), self.families.get(word)]
            .into_iter()
            .flatten()
        {
            if let Some(ids) = self.forms.get(key) {
                out.extend(ids.iter().copied().filter(|id| Some(*id) != own));
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The id of a word, if it is in the vocabulary.
    #[must_use]
    pub(crate) fn word_id(&self, word: &str) -> Option<u32> {
        self.vocab
            .binary_search_by(|w| w.as_str().cmp(word))
            .ok()
            .and_then(|i| u32::try_from(i).ok())
    }

    /// Ids of the words that start with `prefix` (excluding the word itself), at most `cap`.
    #[must_use]
    pub(crate) fn prefix_ids(&self, prefix: &str, cap: usize) -> Vec<u32> {
        let start = self.vocab.partition_point(|w| w.as_str() < prefix);
        self.vocab
            .get(start..)
            .unwrap_or_default()
            .iter()
            .take_while(|w| w.starts_with(prefix))
            .enumerate()
            .filter(|(_, w)| w.len() > prefix.len())
            .filter_map(|(i, _)| u32::try_from(start + i).ok())
            .take(cap)
            .collect()
    }

    /// Ids and distances of the words within `max` edits of `word`.
    #[must_use]
    pub(crate) fn fuzzy_ids(&self, word: &str, max: usize) -> Vec<(u32, usize)> {
        let mask = fuzzy::letter_mask(word);
        let bound = u32::try_from(2 * max).unwrap_or(u32::MAX);
        let lo = word.len().saturating_sub(max);
        let hi = word.len() + max;
        let mut out = Vec::new();
        for bucket in self
            .by_length
            .get(lo..=hi.min(self.by_length.len().saturating_sub(1)))
            .unwrap_or_default()
        {
            for id in bucket {
                let Some(m) = self.masks.get(*id as usize) else {
                    continue;
                };
                if (m ^ mask).count_ones() > bound {
                    continue;
                }
                let Some(candidate) = self.vocab.get(*id as usize) else {
                    continue;
                };
                if let Some(d) = fuzzy::within(word.as_bytes(), candidate.as_bytes(), max) {
                    out.push((*id, d));
                }
            }
        }
        out
    }

    /// The document bitset of a common word.
    #[must_use]
    pub(crate) fn dense(&self, id: u32) -> Option<&[u64]> {
        let d = *self.dense_of.get(id as usize)?;
        self.dense_bits.get(d as usize).map(Vec::as_slice)
    }

    /// The posting list of a word id.
    #[must_use]
    pub(crate) fn posting(&self, id: u32) -> &[u32] {
        self.postings.get(id as usize).map_or(&[], Vec::as_slice)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_join_noun_and_adjective_forms() {
        assert_eq!(stem("hypertension"), stem("hypertensive"));
        assert_eq!(stem("sacrum"), stem("sacral"));
        assert_eq!(stem("diabetes"), stem("diabetic"));
        assert_eq!(stem("depression"), stem("depressive"));
        assert_eq!(stem("veins"), "vein");
        assert_eq!(stem("obesity"), stem("obese"));
        assert_eq!(stem("arm"), "arm");
        assert_ne!(stem("renal"), stem("region"));
    }

    #[test]
    fn ranges_are_read_from_titles() {
        let r = ranges_in("Body mass index [BMI] 40.0-44.9, adult");
        assert_eq!(r.len(), 1);
        assert!((r[0].0 - 40.0).abs() < 1e-6 && (r[0].1 - 44.9).abs() < 1e-4);
        let r = ranges_in("Body mass index [BMI] 19.9 or less, adult");
        assert!(r.iter().any(|x| x.1 >= 19.9 && x.0 < 0.0));
        let r = ranges_in(
            "Hypertensive chronic kidney disease with stage 1 through stage 4 chronic kidney disease",
        );
        assert!(r.iter().any(|x| x.0 <= 3.0 && x.1 >= 3.0));
        assert!(ranges_in("Type 2 diabetes mellitus").is_empty());
    }
}
