//! The look-up layout: one ICD-10 code set and its search index as a byte image that the program
//! reads in place, so `codes show` and `codes search` touch only the records they need instead
//! of decompressing and parsing the whole asset (src/terminology/asset.rs) into a [`CodeSet`] and
//! building the search index ([`Index`]) at run time.
//!
//! `build.rs` makes one image per shipped system from the shipped asset (through this module's
//! [`build`], on the [`CodeSet`] and [`Index`] the program itself would build), checks every
//! offset and compares every record with its source ([`verify`]), and the program embeds it
//! with `include_bytes!`. Opening ([`Layout::open`]) checks the header and the section sizes
//! only; every read is bounds-checked and a damaged image reads as "absent", never a panic.
//!
//! Format, version 1 (all integers `u32` little-endian; `f32` as its bit pattern):
//!
//! ```text
//! header   "EHRT-LAY", version (1), system (0 icd10cm, 1 icd10pcs, 2 hcpcs, 3 cpt),
//!          section count (19), then per section: byte offset, byte length
//! sections (record width in u32):
//!  0 strings     UTF-8 pool; a string is (offset, length) into it, shared when equal
//!  1 info    7   year, label, source, sha256 (strings as offset, length)
//!  2 entries 8   code offset, description offset, description length,
//!                code length | kind << 8 | billable << 16, parent (u32::MAX: none),
//!                first child, first note, first 7th character; in tabular order, then
//!                one sentinel record whose "first" fields are the totals
//!  3 children 1  entry positions, each entry's children in tabular order
//!  4 notes   3   kind (position in NoteKind::ALL), first line, end line
//!  5 lines   2   note lines (strings)
//!  6 seventh 3   character, meaning (string)
//!  7 keys    1   chapter-less entry positions sorted by (key without dot, position)
//!  8 docs    5   entry, field kind | counted words << 8 | billable << 16 | other << 17,
//!                field value (inclusion term: note << 16 | line), first word, prior
//!  9 vocab   2   the sorted vocabulary (strings)
//! 10 postings-at 1  vocabulary size + 1 offsets into 11
//! 11 postings 1  document numbers, each word's list ascending
//! 12 masks   1   letter mask per word
//! 13 by-length-at 1  (longest word + 2) offsets into 14
//! 14 by-length 1 word ids by byte length
//! 15 forms   4   key (string), first id, end id into 16; sorted by key
//! 16 form-ids 1  word ids
//! 17 families 4  word (string), family key (string); sorted by word
//! 18 ranges  5   low, high, document, text (string); in document order
//! ```
//!
//! The version changes with any change of the layout; the search index part changes with the
//! index (src/terminology/search/index.rs) and is rebuilt from the asset on every build. The
//! layout never holds the user's imported Alphabetic Index: with one imported, search builds
//! its index at run time as before.

use crate::terminology::codeset::{CodeSet, EntryKind};
use crate::terminology::search::fuzzy;
use crate::terminology::search::index::{Doc, Field, Index, Posting, RangeRef, Terms, stem};
use crate::terminology::syntax::{strip_dot, strip_dot_bytes};
use crate::terminology::{NoteKind, System};

/// The first bytes of an image.
pub const MAGIC: &[u8; 8] = b"EHRT-LAY";
/// The format version.
pub const VERSION: u32 = 1;

const STRINGS: usize = 0;
const INFO: usize = 1;
const ENTRIES: usize = 2;
const CHILDREN: usize = 3;
const NOTES: usize = 4;
const LINES: usize = 5;
const SEVENTH: usize = 6;
const KEYS: usize = 7;
const DOCS: usize = 8;
const VOCAB: usize = 9;
const POSTINGS_AT: usize = 10;
const POSTINGS: usize = 11;
const MASKS: usize = 12;
const BY_LENGTH_AT: usize = 13;
const BY_LENGTH: usize = 14;
const FORMS: usize = 15;
const FORM_IDS: usize = 16;
const FAMILIES: usize = 17;
const RANGES: usize = 18;
const SECTIONS: usize = 19;
/// Record width of each section in `u32`s (0: bytes).
const WIDTHS: [usize; SECTIONS] = [0, 7, 8, 1, 3, 2, 3, 1, 5, 2, 1, 1, 1, 1, 1, 4, 1, 4, 5];
const HEADER: usize = 8 + 4 * 3 + SECTIONS * 8;
const NONE: u32 = u32::MAX;

/// An item of a code set as the look-ups see it (borrowed from a [`CodeSet`] or a [`Layout`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EntryRef<'a> {
    /// Position in the set.
    pub index: u32,
    /// Chapter, block, code or 7th-character code.
    pub kind: EntryKind,
    /// The code as printed.
    pub code: &'a str,
    /// The description.
    pub description: &'a str,
    /// Whether it may be reported.
    pub billable: bool,
}

impl EntryRef<'_> {
    /// True for codes (tabular or 7th-character).
    #[must_use]
    pub fn is_code(&self) -> bool {
        matches!(self.kind, EntryKind::Code | EntryKind::Expanded)
    }
}

/// One note of an item: its kind and lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteRef<'a> {
    /// Excludes1, code first, …
    pub kind: NoteKind,
    /// The lines as printed.
    pub lines: Vec<&'a str>,
}

/// What `codes show` and the search read of a code set, the same from a [`CodeSet`] and from a
/// [`Layout`]: the derived look-ups (ancestors, notes in effect, 7th-character table) are
/// written once here over the per-item reads.
pub trait Tabular {
    /// The set's label ("ICD-10-CM FY2026 (April 1, 2026 update)").
    fn label(&self) -> &str;
    /// The code-set year.
    fn year(&self) -> u16;
    /// The item at a position.
    fn entry(&self, index: u32) -> Option<EntryRef<'_>>;
    /// Finds a code or block like [`CodeSet::lookup`].
    fn find(&self, code: &str) -> Option<EntryRef<'_>>;
    /// The parent's position.
    fn parent_of(&self, index: u32) -> Option<u32>;
    /// The children's positions, in tabular order.
    fn children_of(&self, index: u32) -> Vec<u32>;
    /// The item's own notes.
    fn notes_of(&self, index: u32) -> Vec<NoteRef<'_>>;
    /// The item's own 7th-character table.
    fn seventh_of(&self, index: u32) -> Vec<(char, &str)>;
    /// The codes whose key starts with `prefix`, like [`CodeSet::with_prefix`].
    fn prefixed(&self, prefix: &str) -> Vec<EntryRef<'_>>;

    /// Ancestors from the parent up to the chapter.
    fn ancestors(&self, index: u32) -> Vec<EntryRef<'_>> {
        let mut out = Vec::new();
        let mut current = self.parent_of(index);
        while let Some(i) = current {
            let Some(entry) = self.entry(i) else { break };
            out.push(entry);
            current = self.parent_of(i);
            if out.len() > 64 {
                break; // a damaged image cannot loop
            }
        }
        out
    }

    /// The notes in effect: the item's own (all kinds), then its ancestors' (all kinds but
    /// inclusion terms), nearest first, as [`CodeSet::notes_in_effect`].
    fn notes_in_effect(&self, index: u32) -> Vec<(EntryRef<'_>, NoteRef<'_>)> {
        let Some(entry) = self.entry(index) else {
            return Vec::new();
        };
        let mut out: Vec<(EntryRef<'_>, NoteRef<'_>)> = self
            .notes_of(index)
            .into_iter()
            .map(|n| (entry, n))
            .collect();
        for ancestor in self.ancestors(index) {
            out.extend(
                self.notes_of(ancestor.index)
                    .into_iter()
                    .filter(|n| n.kind != NoteKind::InclusionTerm)
                    .map(|n| (ancestor, n)),
            );
        }
        out
    }

    /// The 7th-character table that applies (the item's own or the nearest ancestor's), with
    /// the item that defines it, as [`CodeSet::seventh_table`].
    fn seventh_table(&self, index: u32) -> Option<(EntryRef<'_>, Vec<(char, &str)>)> {
        let entry = self.entry(index)?;
        std::iter::once(entry)
            .chain(self.ancestors(index))
            .map(|e| (e, self.seventh_of(e.index)))
            .find(|(_, t)| !t.is_empty())
    }

    /// Line `line` of note `note` of an item when that note lists inclusion terms.
    fn inclusion_line(&self, index: u32, note: u16, line: u16) -> Option<&str> {
        self.notes_of(index)
            .into_iter()
            .nth(usize::from(note))
            .filter(|n| n.kind == NoteKind::InclusionTerm)
            .and_then(|n| n.lines.get(usize::from(line)).copied())
    }
}

fn entry_ref(e: &crate::terminology::Entry) -> EntryRef<'_> {
    EntryRef {
        index: e.index,
        kind: e.kind,
        code: &e.code,
        description: &e.description,
        billable: e.billable,
    }
}

impl Tabular for CodeSet {
    fn label(&self) -> &str {
        &self.info.label
    }
    fn year(&self) -> u16 {
        self.info.year
    }
    fn entry(&self, index: u32) -> Option<EntryRef<'_>> {
        self.get(index).map(entry_ref)
    }
    fn find(&self, code: &str) -> Option<EntryRef<'_>> {
        self.lookup(code).map(entry_ref)
    }
    fn parent_of(&self, index: u32) -> Option<u32> {
        self.get(index)?.parent
    }
    fn children_of(&self, index: u32) -> Vec<u32> {
        self.get(index)
            .map(|e| e.children.clone())
            .unwrap_or_default()
    }
    fn notes_of(&self, index: u32) -> Vec<NoteRef<'_>> {
        self.get(index).map_or_else(Vec::new, |e| {
            e.notes
                .iter()
                .map(|n| NoteRef {
                    kind: n.kind,
                    lines: n.lines.iter().map(String::as_str).collect(),
                })
                .collect()
        })
    }
    fn seventh_of(&self, index: u32) -> Vec<(char, &str)> {
        self.get(index).map_or_else(Vec::new, |e| {
            e.seventh
                .iter()
                .map(|s| (s.character, s.meaning.as_str()))
                .collect()
        })
    }
    fn prefixed(&self, prefix: &str) -> Vec<EntryRef<'_>> {
        self.with_prefix(prefix)
            .into_iter()
            .map(entry_ref)
            .collect()
    }
}

fn kind_id(kind: EntryKind) -> u32 {
    match kind {
        EntryKind::Chapter => 0,
        EntryKind::Block => 1,
        EntryKind::Code => 2,
        EntryKind::Expanded => 3,
    }
}

fn kind_of(id: u32) -> Option<EntryKind> {
    match id {
        0 => Some(EntryKind::Chapter),
        1 => Some(EntryKind::Block),
        2 => Some(EntryKind::Code),
        3 => Some(EntryKind::Expanded),
        _ => None,
    }
}

fn system_id(system: System) -> u32 {
    match system {
        System::Icd10Cm => 0,
        System::Icd10Pcs => 1,
        System::Hcpcs => 2,
        System::Cpt => 3,
    }
}

fn note_kind_id(kind: NoteKind) -> u32 {
    let at = NoteKind::ALL.iter().position(|k| *k == kind).unwrap_or(0);
    u32::try_from(at).unwrap_or(0)
}

/// An opened image (see the module documentation for its format).
#[derive(Debug, Clone, Copy)]
pub struct Layout<'a> {
    bytes: &'a [u8],
    sections: [(usize, usize); SECTIONS],
    system: System,
}

fn le(bytes: &[u8], at: usize) -> Option<u32> {
    let b = bytes.get(at..at.checked_add(4)?)?;
    let mut word = [0u8; 4];
    word.copy_from_slice(b);
    Some(u32::from_le_bytes(word))
}

impl<'a> Layout<'a> {
    /// Opens an image: checks the magic, the version, that every section lies inside the
    /// bytes and holds whole records, and that the counts agree (sizes only; [`verify`] checks
    /// the contents when the image is built).
    ///
    /// # Errors
    /// A message saying what does not fit.
    pub fn open(bytes: &'a [u8]) -> Result<Layout<'a>, String> {
        if bytes.get(..8) != Some(MAGIC.as_slice()) {
            return Err("not a look-up layout (bad magic)".to_string());
        }
        let word = |at: usize| le(bytes, at).ok_or_else(|| "truncated header".to_string());
        if word(8)? != VERSION {
            return Err(format!(
                "layout version {} (this program reads {VERSION})",
                word(8)?
            ));
        }
        let system = match word(12)? {
            0 => System::Icd10Cm,
            1 => System::Icd10Pcs,
            2 => System::Hcpcs,
            3 => System::Cpt,
            other => return Err(format!("unknown system {other}")),
        };
        if word(16)? as usize != SECTIONS {
            return Err(format!("{} sections, expected {SECTIONS}", word(16)?));
        }
        let mut sections = [(0usize, 0usize); SECTIONS];
        for (s, slot) in sections.iter_mut().enumerate() {
            let off = word(20 + s * 8)? as usize;
            let len = word(24 + s * 8)? as usize;
            let end = off.checked_add(len).ok_or("section overflows")?;
            if off < HEADER || end > bytes.len() {
                return Err(format!("section {s} lies outside the image"));
            }
            let width = WIDTHS.get(s).copied().unwrap_or(0) * 4;
            if width > 0 && !len.is_multiple_of(width) {
                return Err(format!("section {s} does not hold whole records"));
            }
            *slot = (off, len);
        }
        let layout = Layout {
            bytes,
            sections,
            system,
        };
        layout.check_counts()?;
        Ok(layout)
    }

    fn check_counts(&self) -> Result<(), String> {
        let c = |s: usize| self.count(s);
        let checks = [
            (c(INFO) == 1, "info"),
            (c(ENTRIES) >= 1, "entries"),
            (c(POSTINGS_AT) == c(VOCAB) + 1, "posting offsets"),
            (c(MASKS) == c(VOCAB), "letter masks"),
            (c(BY_LENGTH_AT) >= 1, "length buckets"),
            (c(BY_LENGTH) == c(VOCAB), "words by length"),
            (c(KEYS) < c(ENTRIES), "keys"),
        ];
        match checks.iter().find(|(ok, _)| !ok) {
            Some((_, what)) => Err(format!("the {what} section has the wrong size")),
            None => Ok(()),
        }
    }

    /// The system the image holds.
    #[must_use]
    pub fn system(&self) -> System {
        self.system
    }

    fn section(&self, s: usize) -> &'a [u8] {
        let (off, len) = self.sections.get(s).copied().unwrap_or((0, 0));
        self.bytes.get(off..off + len).unwrap_or_default()
    }

    fn count(&self, s: usize) -> usize {
        let width = WIDTHS.get(s).copied().unwrap_or(1).max(1) * 4;
        self.sections.get(s).map_or(0, |(_, len)| len / width)
    }

    fn field(&self, s: usize, record: usize, field: usize) -> Option<u32> {
        let width = WIDTHS.get(s).copied()?.max(1);
        if field >= width {
            return None;
        }
        le(self.section(s), (record.checked_mul(width)? + field) * 4)
    }

    fn bytes_at(&self, off: u32, len: u32) -> Option<&'a [u8]> {
        let off = off as usize;
        self.section(STRINGS)
            .get(off..off.checked_add(len as usize)?)
    }

    fn str_at(&self, off: u32, len: u32) -> Option<&'a str> {
        std::str::from_utf8(self.bytes_at(off, len)?).ok()
    }

    fn string_field(&self, s: usize, record: usize, field: usize) -> Option<&'a str> {
        self.str_at(
            self.field(s, record, field)?,
            self.field(s, record, field + 1)?,
        )
    }

    /// Number of items (chapters, blocks and codes).
    #[must_use]
    pub fn entry_count(&self) -> usize {
        self.count(ENTRIES).saturating_sub(1)
    }

    fn code_bytes(&self, index: u32) -> Option<&'a [u8]> {
        let i = index as usize;
        let packed = self.field(ENTRIES, i, 3)?;
        self.bytes_at(self.field(ENTRIES, i, 0)?, packed & 0xff)
    }

    /// The item at a position, borrowed from the image.
    #[must_use]
    pub fn item(&self, index: u32) -> Option<EntryRef<'a>> {
        let i = index as usize;
        if i >= self.entry_count() {
            return None;
        }
        let packed = self.field(ENTRIES, i, 3)?;
        Some(EntryRef {
            index,
            kind: kind_of((packed >> 8) & 0xff)?,
            code: self.str_at(self.field(ENTRIES, i, 0)?, packed & 0xff)?,
            description: self.string_field(ENTRIES, i, 1)?,
            billable: packed & (1 << 16) != 0,
        })
    }

    /// The range `first..end` of an item's records in another section (from its record and
    /// the next one's).
    fn span(&self, index: u32, field: usize) -> Option<std::ops::Range<usize>> {
        let i = index as usize;
        if i >= self.entry_count() {
            return None;
        }
        let first = self.field(ENTRIES, i, field)? as usize;
        let end = self.field(ENTRIES, i + 1, field)? as usize;
        (first <= end).then_some(first..end)
    }

    fn find_ref(&self, code: &str) -> Option<EntryRef<'a>> {
        let key = strip_dot(code);
        if key.is_empty() {
            return None;
        }
        let keys = self.count(KEYS);
        let at = |k: usize| self.field(KEYS, k, 0);
        let key_of = |k: usize| self.key_bytes(k);
        let start = partition(keys, |k| key_of(k).lt(key.bytes()));
        let mut first = None;
        for k in start..keys {
            if !key_of(k).eq(key.bytes()) {
                break;
            }
            let entry = self.item(at(k)?)?;
            if entry.is_code() {
                return Some(entry);
            }
            first = first.or(Some(entry));
        }
        first
    }

    /// Key `k` of the sorted key table: its code without dots, upper case.
    fn key_bytes(&self, k: usize) -> impl Iterator<Item = u8> + use<'a, '_> {
        self.field(KEYS, k, 0)
            .and_then(|i| self.code_bytes(i))
            .unwrap_or_default()
            .iter()
            .filter(|b| **b != b'.')
            .map(u8::to_ascii_uppercase)
    }

    fn prefixed_refs(&self, prefix: &str) -> Vec<EntryRef<'a>> {
        let key = strip_dot(prefix);
        if key.is_empty() {
            return Vec::new();
        }
        let keys = self.count(KEYS);
        let key_of = |k: usize| self.key_bytes(k);
        let start = partition(keys, |k| key_of(k).lt(key.bytes()));
        (start..keys)
            .take_while(|k| key_of(*k).take(key.len()).eq(key.bytes()))
            .filter_map(|k| self.item(self.field(KEYS, k, 0)?))
            .filter(EntryRef::is_code)
            .collect()
    }

    fn doc_at(&self, doc: u32) -> Option<Doc> {
        // One slice of the record, then its five numbers (ranking reads every candidate's).
        let width = WIDTHS.get(DOCS).copied().unwrap_or(0) * 4;
        let at = (doc as usize).checked_mul(width)?;
        let record = self.section(DOCS).get(at..at.checked_add(width)?)?;
        let field = |k: usize| le(record, k * 4);
        let packed = field(1)?;
        let value = field(2)?;
        let kind = match packed & 0xff {
            0 => Field::Description,
            1 => Field::InclusionTerm(
                u16::try_from(value >> 16).ok()?,
                u16::try_from(value & 0xffff).ok()?,
            ),
            2 => Field::IndexTerm(value),
            _ => return None,
        };
        Some(Doc {
            entry: field(0)?,
            field: kind,
            words: u8::try_from((packed >> 8) & 0xff).ok()?,
            first_word: field(3)?,
            billable: packed & (1 << 16) != 0,
            other: packed & (1 << 17) != 0,
            prior: f32::from_bits(field(4)?),
        })
    }

    fn word_bytes(&self, id: usize) -> Option<&'a [u8]> {
        self.bytes_at(self.field(VOCAB, id, 0)?, self.field(VOCAB, id, 1)?)
    }

    fn word_str(&self, id: u32) -> Option<&'a str> {
        self.string_field(VOCAB, id as usize, 0)
    }

    /// The position of the first record of a sorted string section not less than `key`.
    fn string_position(&self, s: usize, key: &[u8]) -> usize {
        partition(self.count(s), |k| {
            let b = self
                .field(s, k, 0)
                .zip(self.field(s, k, 1))
                .and_then(|(o, l)| self.bytes_at(o, l))
                .unwrap_or_default();
            b < key
        })
    }

    fn sorted_find(&self, s: usize, key: &str) -> Option<usize> {
        let k = self.string_position(s, key.as_bytes());
        (self.string_field(s, k, 0)? == key).then_some(k)
    }

    /// The numbers of records `range` of a one-number section (clamped to the section, so a
    /// damaged range cannot make the work unbounded).
    fn u32s(&self, s: usize, range: std::ops::Range<usize>) -> Vec<u32> {
        let n = self.count(s);
        (range.start.min(n)..range.end.min(n))
            .filter_map(|k| self.field(s, k, 0))
            .collect()
    }
}

/// The first `k` in `0..n` where `before(k)` is false (`before` is true then false).
pub(crate) fn partition(n: usize, before: impl Fn(usize) -> bool) -> usize {
    let (mut lo, mut hi) = (0, n);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if before(mid) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    lo
}

impl Tabular for Layout<'_> {
    fn label(&self) -> &str {
        self.string_field(INFO, 0, 1).unwrap_or_default()
    }
    fn year(&self) -> u16 {
        self.field(INFO, 0, 0)
            .and_then(|y| u16::try_from(y).ok())
            .unwrap_or(0)
    }
    fn entry(&self, index: u32) -> Option<EntryRef<'_>> {
        self.item(index)
    }
    fn find(&self, code: &str) -> Option<EntryRef<'_>> {
        self.find_ref(code)
    }
    fn parent_of(&self, index: u32) -> Option<u32> {
        if index as usize >= self.entry_count() {
            return None;
        }
        self.field(ENTRIES, index as usize, 4)
            .filter(|p| *p != NONE)
    }
    fn children_of(&self, index: u32) -> Vec<u32> {
        self.span(index, 5)
            .map(|r| self.u32s(CHILDREN, r))
            .unwrap_or_default()
    }
    fn notes_of(&self, index: u32) -> Vec<NoteRef<'_>> {
        let Some(range) = self.span(index, 6) else {
            return Vec::new();
        };
        let notes = self.count(NOTES);
        (range.start.min(notes)..range.end.min(notes))
            .filter_map(|n| {
                let kind = *NoteKind::ALL.get(self.field(NOTES, n, 0)? as usize)?;
                let first = self.field(NOTES, n, 1)? as usize;
                let end = self.field(NOTES, n, 2)? as usize;
                let n = self.count(LINES);
                let lines = (first.min(n)..end.min(n))
                    .filter_map(|l| self.string_field(LINES, l, 0))
                    .collect();
                Some(NoteRef { kind, lines })
            })
            .collect()
    }
    fn seventh_of(&self, index: u32) -> Vec<(char, &str)> {
        let Some(range) = self.span(index, 7) else {
            return Vec::new();
        };
        let values = self.count(SEVENTH);
        (range.start.min(values)..range.end.min(values))
            .filter_map(|k| {
                let c = char::from_u32(self.field(SEVENTH, k, 0)?)?;
                Some((c, self.string_field(SEVENTH, k, 1)?))
            })
            .collect()
    }
    fn prefixed(&self, prefix: &str) -> Vec<EntryRef<'_>> {
        self.prefixed_refs(prefix)
    }
}

impl Terms for Layout<'_> {
    fn doc_count(&self) -> usize {
        self.count(DOCS)
    }
    fn doc(&self, doc: u32) -> Option<Doc> {
        self.doc_at(doc)
    }
    fn word_count(&self) -> usize {
        self.count(VOCAB)
    }
    fn word(&self, id: u32) -> Option<&str> {
        self.word_str(id)
    }
    fn word_id(&self, word: &str) -> Option<u32> {
        let k = self.sorted_find(VOCAB, word)?;
        u32::try_from(k).ok()
    }
    fn form_ids(&self, word: &str) -> Vec<u32> {
        let own = self.word_id(word);
        let stemmed = stem(word);
        let family = self
            .sorted_find(FAMILIES, word)
            .and_then(|k| self.string_field(FAMILIES, k, 2));
        let mut out: Vec<u32> = Vec::new();
        for key in [Some(stemmed.as_str()), family].into_iter().flatten() {
            if let Some(k) = self.sorted_find(FORMS, key) {
                let first = self.field(FORMS, k, 2).unwrap_or(0) as usize;
                let end = self.field(FORMS, k, 3).unwrap_or(0) as usize;
                out.extend(
                    self.u32s(FORM_IDS, first..end)
                        .into_iter()
                        .filter(|id| Some(*id) != own),
                );
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }
    fn prefix_ids(&self, prefix: &str, cap: usize) -> Vec<u32> {
        let start = self.string_position(VOCAB, prefix.as_bytes());
        (start..self.count(VOCAB))
            .map_while(|k| {
                let w = self.word_bytes(k)?;
                w.starts_with(prefix.as_bytes()).then_some((k, w.len()))
            })
            .filter(|(_, len)| *len > prefix.len())
            .filter_map(|(k, _)| u32::try_from(k).ok())
            .take(cap)
            .collect()
    }
    fn fuzzy_ids(&self, word: &str, max: usize) -> Vec<(u32, usize)> {
        let mask = fuzzy::letter_mask(word);
        let bound = u32::try_from(2 * max).unwrap_or(u32::MAX);
        let buckets = self.count(BY_LENGTH_AT).saturating_sub(1);
        let lo = word.len().saturating_sub(max);
        let hi = (word.len() + max).min(buckets.saturating_sub(1));
        let mut out = Vec::new();
        for len in lo..=hi {
            let first = self.field(BY_LENGTH_AT, len, 0).unwrap_or(0) as usize;
            let end = self.field(BY_LENGTH_AT, len + 1, 0).unwrap_or(0) as usize;
            for id in self.u32s(BY_LENGTH, first..end) {
                let Some(m) = self.field(MASKS, id as usize, 0) else {
                    continue;
                };
                if (m ^ mask).count_ones() > bound {
                    continue;
                }
                let Some(candidate) = self.word_bytes(id as usize) else {
                    continue;
                };
                if let Some(d) = fuzzy::within(word.as_bytes(), candidate, max) {
                    out.push((id, d));
                }
            }
        }
        out
    }
    fn posting(&self, id: u32) -> Posting<'_> {
        let i = id as usize;
        let first = self.field(POSTINGS_AT, i, 0).unwrap_or(0) as usize;
        let end = self.field(POSTINGS_AT, i + 1, 0).unwrap_or(0) as usize;
        let bytes = self
            .section(POSTINGS)
            .get(first.saturating_mul(4)..end.saturating_mul(4))
            .unwrap_or_default();
        Posting::Le(bytes)
    }
    fn dense(&self, _id: u32) -> Option<&[u64]> {
        None
    }
    fn range_count(&self) -> usize {
        self.count(RANGES)
    }
    fn range(&self, i: usize) -> Option<RangeRef<'_>> {
        Some(RangeRef {
            lo: f32::from_bits(self.field(RANGES, i, 0)?),
            hi: f32::from_bits(self.field(RANGES, i, 1)?),
            doc: self.field(RANGES, i, 2)?,
            text: self.string_field(RANGES, i, 3)?,
        })
    }
    fn index_term(&self, _t: u32) -> Option<&str> {
        None
    }
}

/// Writes the image bytes of a set and its index.
struct Writer {
    sections: Vec<Vec<u8>>,
    pool: std::collections::HashMap<String, (u32, u32)>,
}

impl Writer {
    fn put(&mut self, s: usize, values: &[u32]) {
        if let Some(section) = self.sections.get_mut(s) {
            for v in values {
                section.extend_from_slice(&v.to_le_bytes());
            }
        }
    }

    fn string(&mut self, text: &str) -> [u32; 2] {
        if let Some((off, len)) = self.pool.get(text) {
            return [*off, *len];
        }
        let Some(pool) = self.sections.get_mut(STRINGS) else {
            return [0, 0];
        };
        let off = u32::try_from(pool.len()).unwrap_or(NONE);
        let len = u32::try_from(text.len()).unwrap_or(NONE);
        pool.extend_from_slice(text.as_bytes());
        self.pool.insert(text.to_string(), (off, len));
        [off, len]
    }

    fn finish(self, system: System) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(MAGIC);
        for v in [
            VERSION,
            system_id(system),
            u32::try_from(SECTIONS).unwrap_or(0),
        ] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        let mut at = HEADER;
        for section in &self.sections {
            for v in [at, section.len()] {
                out.extend_from_slice(&u32::try_from(v).unwrap_or(NONE).to_le_bytes());
            }
            at += section.len();
        }
        for section in &self.sections {
            out.extend_from_slice(section);
        }
        out
    }
}

fn len32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(NONE)
}

/// Builds the image of a code set and its search index.
#[must_use]
pub fn build(set: &CodeSet, index: &Index) -> Vec<u8> {
    let mut w = Writer {
        sections: vec![Vec::new(); SECTIONS],
        pool: std::collections::HashMap::new(),
    };
    write_entries(&mut w, set);
    write_terms(&mut w, index);
    w.finish(set.system)
}

fn write_entries(w: &mut Writer, set: &CodeSet) {
    let [lo, ll] = w.string(&set.info.label);
    let [so, sl] = w.string(&set.info.source);
    let [ho, hl] = w.string(&set.info.source_sha256);
    w.put(INFO, &[u32::from(set.info.year), lo, ll, so, sl, ho, hl]);
    let (mut children, mut notes, mut lines, mut sevenths) = (0usize, 0usize, 0usize, 0usize);
    for e in &set.entries {
        let [co, cl] = w.string(&e.code);
        let [d_off, d_len] = w.string(&e.description);
        let packed = (cl & 0xff) | kind_id(e.kind) << 8 | u32::from(e.billable) << 16;
        let parent = e.parent.unwrap_or(NONE);
        w.put(
            ENTRIES,
            &[
                co,
                d_off,
                d_len,
                packed,
                parent,
                len32(children),
                len32(notes),
                len32(sevenths),
            ],
        );
        w.put(CHILDREN, &e.children);
        children += e.children.len();
        for note in &e.notes {
            w.put(
                NOTES,
                &[
                    note_kind_id(note.kind),
                    len32(lines),
                    len32(lines + note.lines.len()),
                ],
            );
            for line in &note.lines {
                let s = w.string(line);
                w.put(LINES, &s);
            }
            lines += note.lines.len();
        }
        notes += e.notes.len();
        for s in &e.seventh {
            let [mo, ml] = w.string(&s.meaning);
            w.put(SEVENTH, &[u32::from(s.character), mo, ml]);
        }
        sevenths += e.seventh.len();
    }
    w.put(
        ENTRIES,
        &[
            0,
            0,
            0,
            0,
            NONE,
            len32(children),
            len32(notes),
            len32(sevenths),
        ],
    );
    let mut keys: Vec<u32> = set
        .entries
        .iter()
        .filter(|e| e.kind != EntryKind::Chapter)
        .map(|e| e.index)
        .collect();
    let code = |i: u32| set.get(i).map_or("", |e| e.code.as_str());
    keys.sort_by(|a, b| {
        strip_dot_bytes(code(*a))
            .cmp(strip_dot_bytes(code(*b)))
            .then(a.cmp(b))
    });
    w.put(KEYS, &keys);
}

fn write_terms(w: &mut Writer, index: &Index) {
    for d in &index.docs {
        let (tag, value) = match d.field {
            Field::Description => (0, 0),
            Field::InclusionTerm(n, l) => (1, u32::from(n) << 16 | u32::from(l)),
            Field::IndexTerm(t) => (2, t),
        };
        let packed =
            tag | u32::from(d.words) << 8 | u32::from(d.billable) << 16 | u32::from(d.other) << 17;
        w.put(
            DOCS,
            &[d.entry, packed, value, d.first_word, d.prior.to_bits()],
        );
    }
    let mut at = 0usize;
    for (word, posting) in index.vocab.iter().zip(&index.postings) {
        let s = w.string(word);
        w.put(VOCAB, &s);
        w.put(POSTINGS_AT, &[len32(at)]);
        w.put(POSTINGS, posting);
        at += posting.len();
    }
    w.put(POSTINGS_AT, &[len32(at)]);
    w.put(MASKS, &index.masks);
    let mut at = 0usize;
    for bucket in &index.by_length {
        w.put(BY_LENGTH_AT, &[len32(at)]);
        w.put(BY_LENGTH, bucket);
        at += bucket.len();
    }
    w.put(BY_LENGTH_AT, &[len32(at)]);
    let mut forms: Vec<(&String, &Vec<u32>)> = index.forms.iter().collect();
    forms.sort_by(|a, b| a.0.cmp(b.0));
    let mut at = 0usize;
    for (key, ids) in forms {
        let [ko, kl] = w.string(key);
        w.put(FORMS, &[ko, kl, len32(at), len32(at + ids.len())]);
        w.put(FORM_IDS, ids);
        at += ids.len();
    }
    let mut families: Vec<(&String, &String)> = index.families.iter().collect();
    families.sort_by(|a, b| a.0.cmp(b.0));
    for (word, key) in families {
        let [wo, wl] = w.string(word);
        let [ko, kl] = w.string(key);
        w.put(FAMILIES, &[wo, wl, ko, kl]);
    }
    for r in &index.ranges {
        let [to, tl] = w.string(&r.text);
        w.put(RANGES, &[r.lo.to_bits(), r.hi.to_bits(), r.doc, to, tl]);
    }
}

/// Checks an image against the set and index it was built from: the header and sizes (as
/// [`Layout::open`]), every string inside the pool and valid UTF-8, every position inside its
/// section, the sort orders the look-ups rely on, and every record equal to its source.
///
/// # Errors
/// The first record that differs or points outside its section.
pub fn verify(bytes: &[u8], set: &CodeSet, index: &Index) -> Result<(), String> {
    let layout = Layout::open(bytes)?;
    if layout.system() != set.system || layout.entry_count() != set.entries.len() {
        return Err("the image does not hold the set's items".to_string());
    }
    check_strings(&layout)?;
    for s in [VOCAB, FORMS, FAMILIES] {
        let key = |k: usize| layout.string_field(s, k, 0).unwrap_or_default();
        if !(1..layout.count(s)).all(|k| key(k - 1) < key(k)) {
            return Err(format!("section {s} is not sorted"));
        }
    }
    verify_entries(&layout, set)?;
    verify_terms(&layout, index)
}

/// Every (offset, length) string field of every section lies in the pool and is UTF-8.
fn check_strings(layout: &Layout<'_>) -> Result<(), String> {
    let fields: [(usize, &[usize]); 9] = [
        (INFO, &[1, 3, 5]),
        (LINES, &[0]),
        (SEVENTH, &[1]),
        (VOCAB, &[0]),
        (FORMS, &[0]),
        (FAMILIES, &[0, 2]),
        (RANGES, &[3]),
        (ENTRIES, &[1]),
        (NOTES, &[]),
    ];
    for (s, at) in fields {
        for record in 0..layout.count(s) {
            for f in at {
                if layout.string_field(s, record, *f).is_none() {
                    return Err(format!("section {s} record {record}: bad string"));
                }
            }
        }
    }
    for i in 0..layout.entry_count() {
        let code = layout
            .code_bytes(len32(i))
            .and_then(|b| std::str::from_utf8(b).ok());
        if code.is_none() {
            return Err(format!("item {i}: bad code string"));
        }
    }
    Ok(())
}

fn verify_entries(layout: &Layout<'_>, set: &CodeSet) -> Result<(), String> {
    if layout.label() != set.info.label || layout.year() != set.info.year {
        return Err("info differs".to_string());
    }
    for e in &set.entries {
        let i = e.index;
        let bad = |what: &str| Err(format!("item {i} ({}): {what} differs", e.code));
        if layout.item(i) != Some(entry_ref(e)) {
            return bad("code, kind, description or billable flag");
        }
        if layout.parent_of(i) != e.parent || e.parent.is_some_and(|p| p >= i) {
            return bad("parent");
        }
        if layout.children_of(i) != e.children {
            return bad("children");
        }
        if layout.notes_of(i) != set.notes_of(i) {
            return bad("notes");
        }
        if layout.seventh_of(i) != set.seventh_of(i) {
            return bad("7th characters");
        }
        let find = layout.find(&e.code).map(|f| f.index);
        if find != set.lookup(&e.code).map(|f| f.index) {
            return bad("look-up");
        }
    }
    let spans = [(5, CHILDREN), (6, NOTES), (7, SEVENTH)];
    for (field, s) in spans {
        if layout.field(ENTRIES, layout.entry_count(), field) != Some(len32(layout.count(s))) {
            return Err(format!("section {s}: the sentinel total differs"));
        }
    }
    for n in 0..layout.count(NOTES) {
        let first = layout.field(NOTES, n, 1).unwrap_or(NONE) as usize;
        let end = layout.field(NOTES, n, 2).unwrap_or(NONE) as usize;
        if first > end || end > layout.count(LINES) {
            return Err(format!("note {n}: lines outside their section"));
        }
    }
    let keys = layout.u32s(KEYS, 0..layout.count(KEYS));
    let expected = set
        .entries
        .iter()
        .filter(|e| e.kind != EntryKind::Chapter)
        .count();
    if keys.len() != expected || keys.iter().any(|k| *k as usize >= set.entries.len()) {
        return Err("the key table does not list every code and block".to_string());
    }
    let code = |i: u32| set.get(i).map_or("", |e| e.code.as_str());
    let sorted = keys.windows(2).all(|p| {
        strip_dot_bytes(code(p[0]))
            .cmp(strip_dot_bytes(code(p[1])))
            .then(p[0].cmp(&p[1]))
            .is_lt()
    });
    if sorted {
        Ok(())
    } else {
        Err("the key table is not sorted".to_string())
    }
}

fn verify_terms(layout: &Layout<'_>, index: &Index) -> Result<(), String> {
    if layout.doc_count() != index.docs.len() || layout.word_count() != index.vocab.len() {
        return Err("document or word count differs".to_string());
    }
    for (n, d) in index.docs.iter().enumerate() {
        let got = layout.doc(len32(n));
        let same = got.is_some_and(|g| {
            g.entry == d.entry
                && g.field == d.field
                && g.words == d.words
                && g.first_word == d.first_word
                && g.billable == d.billable
                && g.other == d.other
                && g.prior.to_bits() == d.prior.to_bits()
        });
        if !same || d.entry as usize >= layout.entry_count() {
            return Err(format!("document {n} differs"));
        }
    }
    let docs = len32(index.docs.len());
    for (id, (word, posting)) in index.vocab.iter().zip(&index.postings).enumerate() {
        let got: Vec<u32> = layout.posting(len32(id)).iter().collect();
        if layout.word(len32(id)) != Some(word.as_str())
            || got != *posting
            || !got.windows(2).all(|p| p[0] < p[1])
            || got.iter().any(|d| *d >= docs)
            || layout.word_id(word) != Some(len32(id))
            || layout.field(MASKS, id, 0) != index.masks.get(id).copied()
        {
            return Err(format!("word {id} ({word}) differs"));
        }
        if layout.form_ids(word) != index.form_ids(word) {
            return Err(format!("the forms of {word} differ"));
        }
    }
    let by_length: Vec<u32> = index.by_length.iter().flatten().copied().collect();
    if layout.u32s(BY_LENGTH, 0..layout.count(BY_LENGTH)) != by_length
        || layout.count(BY_LENGTH_AT) != index.by_length.len() + 1
    {
        return Err("the words by length differ".to_string());
    }
    for word in index.families.keys() {
        if layout.form_ids(word) != index.form_ids(word) {
            return Err(format!("the family of {word} differs"));
        }
    }
    let ids_ok = (0..layout.count(FORM_IDS))
        .filter_map(|k| layout.field(FORM_IDS, k, 0))
        .all(|id| (id as usize) < index.vocab.len());
    if !ids_ok {
        return Err("a form names a word outside the vocabulary".to_string());
    }
    if layout.range_count() != index.ranges.len() {
        return Err("range count differs".to_string());
    }
    for (i, r) in index.ranges.iter().enumerate() {
        let same = layout.range(i).is_some_and(|g| {
            g.lo.to_bits() == r.lo.to_bits()
                && g.hi.to_bits() == r.hi.to_bits()
                && g.doc == r.doc
                && g.text == r.text
        });
        if !same {
            return Err(format!("range {i} differs"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::terminology::search::bench::queries;
    use crate::terminology::search::{search_in_outcome, search_layout, synonym_file};
    use crate::terminology::{code_set, shipped_layout, shipped_layout_bytes};

    fn shipped(system: System) -> (Layout<'static>, &'static CodeSet) {
        match (shipped_layout(system), code_set(system)) {
            (Some(layout), Some(set)) => (layout, set),
            _ => panic!("{} is not shipped", system.name()),
        }
    }

    #[test]
    fn the_shipped_layouts_hold_their_sets() {
        for system in [System::Icd10Cm, System::Icd10Pcs] {
            let (layout, set) = shipped(system);
            assert_eq!(layout.system(), system);
            assert_eq!(layout.entry_count(), set.entries.len());
            assert_eq!(layout.label(), set.info.label);
            assert_eq!(Tabular::year(&layout), set.info.year);
            for e in set.entries.iter().step_by(7) {
                let i = e.index;
                assert_eq!(layout.item(i), Some(entry_ref(e)));
                assert_eq!(
                    layout.ancestors(i),
                    set.ancestors(i)
                        .into_iter()
                        .map(entry_ref)
                        .collect::<Vec<_>>()
                );
                assert_eq!(layout.notes_in_effect(i), Tabular::notes_in_effect(set, i));
                assert_eq!(layout.seventh_table(i), Tabular::seventh_table(set, i));
                assert_eq!(layout.children_of(i), e.children);
            }
            assert_eq!(layout.item(len32(set.entries.len())), None);
        }
    }

    #[test]
    fn look_ups_match_the_code_set() {
        let (layout, set) = shipped(System::Icd10Cm);
        for code in [
            "E11.22", "e1122", " E11.22 ", "E11", "E08-E13", "B20", "Z66", "F99", "T78.3XXA",
            "t783xxa", "S52.501A", "4", "", " ", ".", "E11..22", "ZZZ", "É11", "E11.229",
        ] {
            assert_eq!(
                layout.find(code).map(|e| e.index),
                set.lookup(code).map(|e| e.index),
                "{code:?}"
            );
        }
        // A block named like its only category finds the category.
        assert_eq!(layout.find("B20").map(|e| e.kind), Some(EntryKind::Code));
        assert_eq!(
            layout.find("E08-E13").map(|e| e.kind),
            Some(EntryKind::Block)
        );
        for prefix in ["E11", "e11.2", "S52.50", "Z68", "A", "0", ""] {
            let got: Vec<u32> = layout.prefixed(prefix).iter().map(|e| e.index).collect();
            let want: Vec<u32> = set.with_prefix(prefix).iter().map(|e| e.index).collect();
            assert_eq!(got, want, "{prefix:?}");
        }
    }

    #[test]
    fn searching_in_place_gives_the_run_time_index_results() {
        for (system, n) in [(System::Icd10Cm, 400), (System::Icd10Pcs, 150)] {
            let (layout, set) = shipped(system);
            let index = Index::build_with(set, synonym_file(), &[]);
            let mut list = queries(set, n);
            list.extend(
                [
                    "diabetes kidney",
                    "afib",
                    "fractre radius",
                    "bmi 41",
                    "E11.2",
                    "",
                    "of the",
                ]
                .map(String::from),
            );
            for q in &list {
                let want = search_in_outcome(set, &index, q, 20);
                let got = search_layout(&layout, q, 20);
                assert_eq!(got, want, "{q:?}");
            }
        }
    }

    #[test]
    fn damaged_images_are_refused_or_read_as_absent() {
        let Some(bytes) = shipped_layout_bytes(System::Icd10Cm) else {
            panic!("no image");
        };
        assert!(Layout::open(bytes).is_ok());
        let err = |b: &[u8]| Layout::open(b).err().unwrap_or_default();
        assert_eq!(err(b"EHRT-LZ4xxxx"), "not a look-up layout (bad magic)");
        assert_eq!(err(bytes.get(..10).unwrap_or_default()), "truncated header");
        let mut v = bytes.to_vec();
        v[8] = 9;
        assert_eq!(err(&v), "layout version 9 (this program reads 1)");
        let truncated = bytes.get(..bytes.len() - 1).unwrap_or_default();
        assert_eq!(err(truncated), "section 18 lies outside the image");
        // An image whose sizes fit but whose contents point anywhere reads as absent or as
        // other items, never a panic.
        let mut v = bytes.to_vec();
        for section in [
            ENTRIES,
            CHILDREN,
            NOTES,
            KEYS,
            DOCS,
            POSTINGS_AT,
            BY_LENGTH_AT,
            FORMS,
        ] {
            let off = le(bytes, 20 + section * 8).unwrap_or(0) as usize;
            let len = le(bytes, 24 + section * 8).unwrap_or(0) as usize;
            for (k, b) in v
                .iter_mut()
                .enumerate()
                .skip(off)
                .take(len.min(200_000))
                .step_by(13)
            {
                *b = b.wrapping_add(u8::try_from(k % 251).unwrap_or(0));
            }
        }
        let layout = Layout::open(&v).unwrap_or_else(|e| panic!("{e}"));
        for i in (0..layout.entry_count()).step_by(4_999) {
            let i = len32(i);
            let _ = (
                layout.item(i),
                layout.ancestors(i),
                layout.notes_in_effect(i),
            );
            let _ = (layout.seventh_table(i), layout.children_of(i));
        }
        for q in ["diabetes kidney", "E11", "fractre"] {
            let _ = search_layout(&layout, q, 20);
        }
    }
}
