//! Code search for the encoder panel and `ehr-sim codes search`: by code (prefix, with or
//! without the dot) and by words (any order, prefixes, one or two typos on longer words,
//! abbreviations and synonyms from the reviewed `synonyms.ron`, inclusion terms too).
//!
//! Ranking: code matches first (exact code, then its prefix family in code order); then word
//! matches with billable codes before headers, then by score (exact word 1.0, prefix 0.8, one
//! typo 0.65, two typos 0.45, +0.3 per matched optional word such as "with"/"without",
//! −0.1 per word of the title the query did not ask for (stop words, "unspecified" and the
//! 7th-character meaning do not count), +0.05 when the title starts with a query word, −0.15 for a match on an inclusion term
//! rather than the title), then tabular order. Every word that is not a stop word must match.
//!
//! Invariant: the result is a pure function of the code set, the synonym file and the query;
//! the index is built once per system on first search (`OnceLock`).

pub mod bench;
pub mod fuzzy;
pub mod index;

use std::collections::HashMap;
use std::sync::OnceLock;

use self::index::{Field, Index, STOP_WORDS, tokenize};
use super::codeset::CodeSet;
use super::synonyms::{self, SYNONYMS_RON};
use super::{NoteKind, System, code_set};

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

/// One search result.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Hit {
    /// The code as printed ("E11.22").
    pub code: String,
    /// Its description.
    pub description: String,
    /// Whether it can be reported.
    pub billable: bool,
    /// The inclusion term that matched, when the match was not on the title.
    pub matched_term: Option<String>,
    /// The ranking score (higher is better; code matches score 100).
    pub score: f32,
}

/// Searches the loaded code set of `options.system`. Returns no hits when the system is not
/// loaded or the query is blank.
#[must_use]
pub fn search(query: &str, options: &SearchOptions) -> Vec<Hit> {
    let Some(set) = code_set(options.system) else {
        return Vec::new();
    };
    search_in(set, index_for(options.system, set), query, options.limit)
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
    slot.get_or_init(|| Index::build(set))
}

/// Abbreviations prepared for lookup: one-word and two-word terms → expansion words.
#[derive(Debug, Default)]
pub struct SynonymTable {
    single: HashMap<String, Vec<String>>,
    double: HashMap<(String, String), Vec<String>>,
}

impl SynonymTable {
    /// Builds the table from the synonym file text (an unreadable file gives an empty table;
    /// the shipped file is checked by a test).
    #[must_use]
    pub fn from_ron(text: &str) -> SynonymTable {
        let mut table = SynonymTable::default();
        let Ok(file) = synonyms::parse(text) else {
            return table;
        };
        for entry in file.entries {
            let expansion: Vec<String> = tokenize(&entry.expansion).collect();
            for term in &entry.terms {
                let words: Vec<String> = tokenize(term).collect();
                match words.as_slice() {
                    [one] => {
                        table.single.insert(one.clone(), expansion.clone());
                    }
                    [one, two] => {
                        table
                            .double
                            .insert((one.clone(), two.clone()), expansion.clone());
                    }
                    _ => {}
                }
            }
        }
        table
    }
}

fn synonym_table() -> &'static SynonymTable {
    static TABLE: OnceLock<SynonymTable> = OnceLock::new();
    TABLE.get_or_init(|| SynonymTable::from_ron(SYNONYMS_RON))
}

/// One required part of a query: any of its alternatives (each a list of words, all needed).
#[derive(Debug, Clone)]
struct Group {
    alternatives: Vec<Vec<String>>,
    last: bool,
}

/// (document, score, matched words)
type Scored = (u32, f32, u16);
/// Vocabulary matches (word id, quality) of one query word.
type WordMatches = Vec<(u32, f32)>;
/// Per alternative, per word, its matches.
type GroupMatches = Vec<Vec<WordMatches>>;

/// Searches a given set with a given index (what [`search`] calls; public for tests and
/// benchmarks on other sets).
#[must_use]
pub(crate) fn search_in(set: &CodeSet, index: &Index, query: &str, limit: usize) -> Vec<Hit> {
    let query = query.trim();
    if query.is_empty() || limit == 0 {
        return Vec::new();
    }
    let mut hits = code_hits(set, query, limit);
    if hits.len() < limit {
        let words = word_hits(set, index, synonym_table(), query, limit + hits.len());
        for hit in words {
            if hits.len() >= limit {
                break;
            }
            if !hits.iter().any(|h| h.code == hit.code) {
                hits.push(hit);
            }
        }
    }
    hits
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

fn code_hits(set: &CodeSet, query: &str, limit: usize) -> Vec<Hit> {
    if !looks_like_code(query) {
        return Vec::new();
    }
    // Key order puts the exact code first, then its family (E11.2, E11.21, E11.22, …).
    set.with_prefix(query)
        .into_iter()
        .take(limit)
        .map(|e| Hit {
            code: e.code.clone(),
            description: e.description.clone(),
            billable: e.billable,
            matched_term: None,
            score: 100.0,
        })
        .collect()
}

fn build_groups(
    tokens: &[String],
    synonyms: &SynonymTable,
    index: &Index,
) -> (Vec<Group>, Vec<String>) {
    let mut groups = Vec::new();
    let mut optional = Vec::new();
    let mut i = 0;
    while let Some(token) = tokens.get(i) {
        let last = i + 1 == tokens.len();
        if let Some(next) = tokens.get(i + 1)
            && let Some(expansion) = synonyms.double.get(&(token.clone(), next.clone()))
        {
            groups.push(Group {
                alternatives: vec![expansion.clone(), vec![token.clone(), next.clone()]],
                last: i + 2 == tokens.len(),
            });
            i += 2;
            continue;
        }
        if let Some(expansion) = synonyms.single.get(token) {
            let mut alternatives = vec![expansion.clone()];
            if index.word_id(token).is_some() {
                alternatives.push(vec![token.clone()]);
            }
            groups.push(Group { alternatives, last });
        } else if STOP_WORDS.contains(&token.as_str()) {
            optional.push(token.clone());
        } else {
            groups.push(Group {
                alternatives: vec![vec![token.clone()]],
                last,
            });
        }
        i += 1;
    }
    if groups.is_empty() {
        groups = optional
            .drain(..)
            .map(|t| Group {
                alternatives: vec![vec![t]],
                last: false,
            })
            .collect();
    }
    (groups, optional)
}

/// Vocabulary words a query word matches, with their quality.
fn word_matches(index: &Index, word: &str, last: bool) -> Vec<(u32, f32)> {
    let mut out = Vec::new();
    if let Some(id) = index.word_id(word) {
        out.push((id, 1.0));
    }
    let len = word.chars().count();
    if len >= 3 || (last && len >= 2 && word.chars().all(char::is_alphabetic)) {
        out.extend(index.prefix_ids(word, 400).into_iter().map(|id| (id, 0.8)));
    }
    if out.is_empty() && len >= 4 && word.chars().all(char::is_alphabetic) {
        let max = if len >= 8 { 2 } else { 1 };
        out.extend(
            index
                .fuzzy_ids(word, max)
                .into_iter()
                .map(|(id, d)| (id, if d <= 1 { 0.65 } else { 0.45 })),
        );
    }
    out
}

/// Documents matching one query word (restricted to `within` when given).
fn docs_for_word(
    index: &Index,
    matches: &[(u32, f32)],
    within: Option<&[Scored]>,
) -> Vec<(u32, f32)> {
    let total: usize = matches.iter().map(|(id, _)| index.posting(*id).len()).sum();
    if let Some(cands) = within
        && cands.len().saturating_mul(matches.len()) < total
    {
        return cands
            .iter()
            .filter_map(|(doc, _, _)| {
                matches
                    .iter()
                    .filter(|(id, _)| index.posting(*id).binary_search(doc).is_ok())
                    .map(|(_, q)| *q)
                    .max_by(f32::total_cmp)
                    .map(|q| (*doc, q))
            })
            .collect();
    }
    if let [(id, q)] = matches {
        // One word: its posting list is already sorted and unique.
        let docs = index.posting(*id).iter().map(|d| (*d, *q)).collect();
        return match within {
            Some(cands) => join_filter(cands, docs),
            None => docs,
        };
    }
    if total > 4096 {
        // Many documents: a dense best-quality array beats sorting the pairs.
        let mut best: Vec<f32> = vec![0.0; index.docs.len()];
        for (id, q) in matches {
            for d in index.posting(*id) {
                if let Some(b) = best.get_mut(*d as usize)
                    && *q > *b
                {
                    *b = *q;
                }
            }
        }
        let docs = best
            .iter()
            .enumerate()
            .filter(|(_, q)| **q > 0.0)
            .filter_map(|(d, q)| u32::try_from(d).ok().map(|d| (d, *q)))
            .collect();
        return match within {
            Some(cands) => join_filter(cands, docs),
            None => docs,
        };
    }
    let mut all: Vec<(u32, f32)> = Vec::with_capacity(total);
    for (id, q) in matches {
        all.extend(index.posting(*id).iter().map(|d| (*d, *q)));
    }
    all.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.total_cmp(&a.1)));
    all.dedup_by_key(|p| p.0);
    match within {
        Some(cands) => join_filter(cands, all),
        None => all,
    }
}

/// Keeps the documents that are among the candidates (both sorted by document).
fn join_filter(cands: &[Scored], docs: Vec<(u32, f32)>) -> Vec<(u32, f32)> {
    let mut out = Vec::with_capacity(cands.len().min(docs.len()));
    let mut it = cands.iter().peekable();
    for (doc, q) in docs {
        while it.peek().is_some_and(|(d, _, _)| *d < doc) {
            it.next();
        }
        if it.peek().is_some_and(|(d, _, _)| *d == doc) {
            out.push((doc, q));
        }
    }
    out
}

/// Joins candidates with a word's documents, adding the score.
fn join(cands: Option<Vec<Scored>>, docs: Vec<(u32, f32)>) -> Vec<Scored> {
    match cands {
        None => docs.into_iter().map(|(d, q)| (d, q, 1)).collect(),
        Some(cands) => {
            let mut out = Vec::with_capacity(cands.len().min(docs.len()));
            let mut it = docs.iter().peekable();
            for (doc, score, words) in cands {
                while it.peek().is_some_and(|(d, _)| *d < doc) {
                    it.next();
                }
                if let Some((d, q)) = it.peek()
                    && *d == doc
                {
                    out.push((doc, score + q, words + 1));
                }
            }
            out
        }
    }
}

fn word_hits(
    set: &CodeSet,
    index: &Index,
    synonyms: &SynonymTable,
    query: &str,
    limit: usize,
) -> Vec<Hit> {
    let tokens: Vec<String> = tokenize(query).collect();
    let (groups, optional) = build_groups(&tokens, synonyms, index);
    // Evaluate the rarest group first so later groups only probe a few candidates.
    let mut prepared: Vec<(usize, GroupMatches)> = groups
        .iter()
        .map(|g| {
            let alts: GroupMatches = g
                .alternatives
                .iter()
                .map(|alt| alt.iter().map(|w| word_matches(index, w, g.last)).collect())
                .collect();
            let cost = alts
                .iter()
                .map(|alt| {
                    alt.iter()
                        .map(|m| {
                            m.iter()
                                .map(|(id, _)| index.posting(*id).len())
                                .sum::<usize>()
                        })
                        .min()
                        .unwrap_or(0)
                })
                .sum();
            (cost, alts)
        })
        .collect();
    prepared.sort_by_key(|(cost, _)| *cost);
    let mut cands: Option<Vec<Scored>> = None;
    for (_, alts) in &prepared {
        let run = |mut running: Option<Vec<Scored>>, alt: &Vec<WordMatches>| {
            for matches in alt {
                let docs = docs_for_word(index, matches, running.as_deref());
                running = Some(join(running, docs));
            }
            running.unwrap_or_default()
        };
        cands = Some(match alts.as_slice() {
            [alt] => run(cands.take(), alt),
            _ => {
                let mut union: Vec<Scored> = Vec::new();
                for alt in alts {
                    union.extend(run(cands.clone(), alt));
                }
                union.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.total_cmp(&a.1)));
                union.dedup_by_key(|s| s.0);
                union
            }
        });
        if cands.as_ref().is_some_and(Vec::is_empty) {
            return Vec::new();
        }
    }
    let mut cands = cands.unwrap_or_default();
    for word in &optional {
        if let Some(id) = index.word_id(word) {
            // Both lists are sorted by document: one merge pass.
            let mut posting = index.posting(id).iter().peekable();
            for (doc, score, _) in &mut cands {
                while posting.peek().is_some_and(|d| **d < *doc) {
                    posting.next();
                }
                if posting.peek().is_some_and(|d| **d == *doc) {
                    *score += 0.3;
                }
            }
        }
    }
    // Words the query matched (any alternative), for the first-word bonus.
    let mut matched_ids: Vec<u32> = prepared
        .iter()
        .flat_map(|(_, alts)| alts.iter().flatten().flatten().map(|(id, _)| *id))
        .collect();
    matched_ids.sort_unstable();
    matched_ids.dedup();
    // Best document per entry.
    let mut ranked: Vec<(u32, f32, u32, bool)> = cands
        .iter()
        .filter_map(|(doc, score, words)| {
            let d = index.docs.get(*doc as usize)?;
            let extra = f32::from(u16::from(d.words).saturating_sub(*words));
            let field_penalty = if matches!(d.field, Field::Description) {
                0.0
            } else {
                0.15
            };
            let first_bonus = if matched_ids.binary_search(&d.first_word).is_ok() {
                0.05
            } else {
                0.0
            };
            Some((
                d.entry,
                score - 0.1 * extra - field_penalty + first_bonus,
                *doc,
                d.billable,
            ))
        })
        .collect();
    // Documents are numbered in entry order, so an entry's documents are adjacent: keep the
    // best-scoring one of each run.
    ranked.dedup_by(|later, kept| {
        if later.0 != kept.0 {
            return false;
        }
        if later.1 > kept.1 {
            *kept = *later;
        }
        true
    });
    let order = |a: &(u32, f32, u32, bool), b: &(u32, f32, u32, bool)| {
        b.3.cmp(&a.3).then(b.1.total_cmp(&a.1)).then(a.0.cmp(&b.0))
    };
    if ranked.len() > limit {
        ranked.select_nth_unstable_by(limit, order);
        ranked.truncate(limit);
    }
    ranked.sort_unstable_by(order);
    ranked
        .into_iter()
        .filter_map(|(entry, score, doc, billable)| {
            let e = set.get(entry)?;
            let matched_term = match index.docs.get(doc as usize)?.field {
                Field::Description => None,
                Field::InclusionTerm(n, l) => e
                    .notes
                    .get(usize::from(n))
                    .filter(|note| note.kind == NoteKind::InclusionTerm)
                    .and_then(|note| note.lines.get(usize::from(l)))
                    .cloned(),
            };
            Some(Hit {
                code: e.code.clone(),
                description: e.description.clone(),
                billable,
                matched_term,
                score,
            })
        })
        .collect()
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
    fn synonym_table_has_two_word_terms() {
        let table = SynonymTable::from_ron(SYNONYMS_RON);
        assert_eq!(
            table.single.get("afib").cloned(),
            Some(vec!["atrial".to_string(), "fibrillation".to_string()])
        );
        assert!(
            table
                .double
                .contains_key(&("heart".to_string(), "attack".to_string()))
        );
    }
}
