//! The inverted index behind [`super::search`]: every description and inclusion term is a
//! document; each word of the vocabulary has a sorted posting list of documents.
//!
//! Invariants: `vocab` is sorted (prefix lookups are a binary search); each posting list is
//! sorted and has no duplicates; `by_length[n]` lists the vocabulary words of n bytes (for the
//! typo scan); documents are numbered in the code set's tabular order, so ties fall back to it.

use std::collections::HashMap;

use super::fuzzy;
use crate::terminology::NoteKind;
use crate::terminology::codeset::{CodeSet, EntryKind};

/// Where a document's text came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// The code's description.
    Description,
    /// One of the code's inclusion terms (the index of the line within its notes).
    InclusionTerm(u16, u16),
}

/// One searchable text.
#[derive(Debug, Clone, Copy)]
pub struct Doc {
    /// Entry index in the code set.
    pub entry: u32,
    /// Which text.
    pub field: Field,
    /// Number of words that count for the specificity penalty: not stop words, not
    /// "unspecified", and for a 7th-character code only the words of its base code.
    pub words: u8,
    /// Vocabulary id of the first word (a title that starts with a query word ranks higher).
    pub first_word: u32,
    /// The entry's billable flag (copied so ranking does not touch the entries).
    pub billable: bool,
}

/// Words that neither have to match nor count as unrequested detail.
pub(crate) const STOP_WORDS: [&str; 16] = [
    "a", "an", "and", "by", "due", "for", "in", "nos", "of", "on", "or", "the", "to", "with",
    "without", "w",
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
}

/// Splits text into lower-case words of letters and digits ("Non-ST" → "non", "st").
pub(crate) fn tokenize(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
}

impl Index {
    /// Builds the index over the codes (not chapters or blocks) of a set.
    #[must_use]
    pub fn build(set: &CodeSet) -> Index {
        let mut docs: Vec<Doc> = Vec::with_capacity(set.entries.len() + 8_000);
        let mut words: HashMap<String, Vec<u32>> = HashMap::new();
        let mut firsts: Vec<String> = Vec::with_capacity(set.entries.len() + 8_000);
        let mut add = |docs: &mut Vec<Doc>,
                       entry: u32,
                       billable: bool,
                       field: Field,
                       text: &str,
                       base: &str| {
            let doc = u32::try_from(docs.len()).unwrap_or(u32::MAX);
            for word in tokenize(text) {
                let list = words.entry(word).or_default();
                if list.last() != Some(&doc) {
                    list.push(doc);
                }
            }
            let count = tokenize(base).filter(|w| counts(w)).count();
            firsts.push(tokenize(base).find(|w| counts(w)).unwrap_or_default());
            docs.push(Doc {
                entry,
                field,
                words: u8::try_from(count).unwrap_or(u8::MAX),
                first_word: u32::MAX,
                billable,
            });
        };
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
            add(
                &mut docs,
                entry.index,
                entry.billable,
                Field::Description,
                &entry.description,
                base,
            );
            for (n, note) in entry.notes.iter().enumerate() {
                if note.kind != NoteKind::InclusionTerm {
                    continue;
                }
                for (l, line) in note.lines.iter().enumerate() {
                    let field = Field::InclusionTerm(
                        u16::try_from(n).unwrap_or(u16::MAX),
                        u16::try_from(l).unwrap_or(u16::MAX),
                    );
                    add(&mut docs, entry.index, entry.billable, field, line, line);
                }
            }
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
        Index {
            docs,
            vocab,
            postings,
            masks,
            by_length,
        }
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

    /// The posting list of a word id.
    #[must_use]
    pub(crate) fn posting(&self, id: u32) -> &[u32] {
        self.postings.get(id as usize).map_or(&[], Vec::as_slice)
    }
}
