//! The pre-indexed binary form of the MS-DRG definitions, read in place.
//!
//! The asset text (`assets/drg/msdrg_v43.ehrt.z`, see the parent module) stays the imported,
//! reviewable source. The build script turns it into this index once (`build.rs` includes this
//! file), and the program embeds the result: nothing is parsed or allocated per code when the
//! program starts, and a lookup is a binary search over sorted numbers.
//!
//! ```text
//! "EHRDRGIX" u32 format version, u32 section count N, N × (u32 offset, u32 length)
//! section 0        the asset text without its D, P, C, X and E lines (header, Table 5, logic
//!                  entries, versions with their DRGs and ranks): small, parsed on load
//! section 1        per version, 13 u32 section numbers (the tables below; a table equal in
//!                  two versions is stored once)
//! section 2        u64 per valid ICD-10-PCS code that no version's procedure list names
//!                  (the asset's Q line), sorted
//! dx keys          u64 per diagnosis, sorted: the code's ASCII bytes, big-endian, zero-padded
//! dx offsets       u32 × (n + 1) into dx ids
//! dx ids           u16 logic entry ids
//! dx cc            u32 per diagnosis: NONE, or collection slot | MCC bit | alive-only bit
//! pcs keys         u64 per procedure, sorted as dx keys
//! pcs offsets      u32 × (m + 1) into pcs ids
//! pcs or           u8 per procedure: 1 when it is an O.R. procedure
//! pcs ids          u16 logic entry ids
//! collections      u16 collection number per slot (Table 6K Part 1), sorted
//! coll offsets     u32 × (slots + 1) into coll codes
//! coll codes       u32 diagnosis positions (in dx keys), sorted within each collection
//! excl drgs        u16 DRG number per Table 6K Part 3 list, sorted
//! excl codes       u32 × (lists + 1) offsets, then the sorted diagnosis positions of each list
//! dx starts        u32 × (36 × 36 + 1): where the dx keys of each two-character start begin
//! pcs starts       the same for the pcs keys
//! dx entries       u16 logic entry ids that any diagnosis names, sorted, each once
//! pcs entries      the same for the procedures
//! ```
//!
//! The build script checks every offset of the index it writes ([`verify`]); opening the
//! embedded index checks only what is cheap (sizes and the starts), since every read is
//! bounds-checked and a damaged table can only make a lookup miss.
//!
//! All numbers are little-endian. The file is std-only so that the build script can include it.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

/// First bytes of an index.
pub const MAGIC: &[u8; 8] = b"EHRDRGIX";
/// Format version written after the magic.
pub const FORMAT: u32 = 2;
/// The number of tables a version has.
const TABLES: usize = 17;
/// `dx cc` value of a diagnosis that is not a CC or MCC.
const NO_CC: u32 = u32::MAX;
const MCC_BIT: u32 = 1 << 16;
const ALIVE_BIT: u32 = 1 << 17;
const NO_COLLECTION: u32 = 0xFFFF;

/// A code as a number: its ASCII bytes, big-endian, zero-padded (so numbers sort as the codes).
/// `None` for an empty code, one longer than 8 bytes, or one with a byte that is not ASCII.
#[must_use]
pub fn pack(code: &str) -> Option<u64> {
    let b = code.as_bytes();
    if b.is_empty() || b.len() > 8 || !b.iter().all(u8::is_ascii_graphic) {
        return None;
    }
    let mut a = [0u8; 8];
    a[..b.len()].copy_from_slice(b);
    Some(u64::from_be_bytes(a))
}

/// The code a number stands for (the inverse of [`pack`]).
#[must_use]
pub fn unpack(key: u64) -> String {
    key.to_be_bytes()
        .iter()
        .take_while(|b| **b != 0)
        .map(|b| char::from(*b))
        .collect()
}

// ---- building --------------------------------------------------------------------------------

#[derive(Default)]
struct VersionData {
    dx: BTreeMap<u64, Vec<u16>>,
    pcs: BTreeMap<u64, (bool, Vec<u16>)>,
    /// code → (MCC, collection number or none, alive-only)
    cc: BTreeMap<u64, (bool, Option<u16>, bool)>,
    collections: BTreeMap<u16, Vec<u64>>,
    exclusions: BTreeMap<u16, Vec<u64>>,
}

fn key_of(code: &str, line: usize) -> Result<u64, String> {
    pack(code).ok_or_else(|| format!("line {line}: '{code}' is not a code of 1 to 8 characters"))
}

fn ids_of(list: &str, line: usize) -> Result<Vec<u16>, String> {
    list.split(' ')
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse::<u16>()
                .map_err(|_| format!("line {line}: bad logic entry id '{s}'"))
        })
        .collect()
}

fn number(text: &str, line: usize, what: &str) -> Result<u16, String> {
    text.parse::<u16>()
        .map_err(|_| format!("line {line}: {what} '{text}' is not a number"))
}

fn codes_of(list: &str, line: usize) -> Result<Vec<u64>, String> {
    list.split(' ')
        .filter(|s| !s.is_empty())
        .map(|c| key_of(c, line))
        .collect()
}

/// Reads one D, P, C, X or E line into the version's tables.
fn table_line(v: &mut VersionData, f: &[&str], n: usize) -> Result<(), String> {
    let field = |k: usize| f.get(k).copied().unwrap_or_default();
    match field(0) {
        "D" => {
            v.dx.insert(key_of(field(1), n)?, ids_of(field(2), n)?);
        }
        "P" => {
            v.pcs.insert(
                key_of(field(1), n)?,
                (field(2) == "1", ids_of(field(3), n)?),
            );
        }
        "C" => {
            let mcc = match field(2) {
                "MCC" => true,
                "CC" => false,
                other => return Err(format!("line {n}: bad CC level '{other}'")),
            };
            let coll = match field(3) {
                "" => None,
                c => Some(number(c, n, "collection")?),
            };
            v.cc.insert(key_of(field(1), n)?, (mcc, coll, field(4) == "1"));
        }
        "X" => {
            let id = number(field(1), n, "collection")?;
            v.collections.insert(id, codes_of(field(2), n)?);
        }
        _ => {
            let drg = number(field(1), n, "DRG")?;
            v.exclusions.insert(drg, codes_of(field(2), n)?);
        }
    }
    Ok(())
}

/// Splits the asset text into the small part kept as text and the tables of each version.
fn split_text(text: &str) -> Result<(String, Vec<VersionData>, Vec<u64>), String> {
    let mut meta = String::with_capacity(256 * 1024);
    let mut versions: Vec<VersionData> = Vec::new();
    let mut other_pcs = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let n = i + 1;
        let kind = line.split('\t').next().unwrap_or_default();
        if kind == "Q" {
            other_pcs = codes_of(line.get(2..).unwrap_or_default(), n)?;
            other_pcs.sort_unstable();
            other_pcs.dedup();
            continue;
        }
        if !matches!(kind, "D" | "P" | "C" | "X" | "E") {
            if kind == "V" {
                versions.push(VersionData::default());
            }
            meta.push_str(line);
            meta.push('\n');
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        let v = versions
            .last_mut()
            .ok_or_else(|| format!("line {n}: version data before a V line"))?;
        table_line(v, &f, n)?;
    }
    Ok((meta, versions, other_pcs))
}

/// Appends little-endian numbers.
trait Put {
    fn u16(&mut self, x: u16);
    fn u32(&mut self, x: u32);
    fn u64(&mut self, x: u64);
}

impl Put for Vec<u8> {
    fn u16(&mut self, x: u16) {
        self.extend_from_slice(&x.to_le_bytes());
    }
    fn u32(&mut self, x: u32) {
        self.extend_from_slice(&x.to_le_bytes());
    }
    fn u64(&mut self, x: u64) {
        self.extend_from_slice(&x.to_le_bytes());
    }
}

fn count(n: usize) -> Result<u32, String> {
    u32::try_from(n).map_err(|_| "a table is larger than 4 GiB".to_string())
}

/// The 13 tables of a version, in the order of the module comment.
fn version_tables(v: &VersionData) -> Result<Vec<Vec<u8>>, String> {
    // Every code that a CC list, a collection or an exclusion list names is a diagnosis of the
    // version, with or without logic entries.
    let mut codes: BTreeSet<u64> = v.dx.keys().copied().collect();
    codes.extend(v.cc.keys().copied());
    codes.extend(v.collections.values().flatten().copied());
    codes.extend(v.exclusions.values().flatten().copied());
    let position: BTreeMap<u64, u32> = codes
        .iter()
        .enumerate()
        .map(|(i, c)| Ok((*c, count(i)?)))
        .collect::<Result<_, String>>()?;
    let slots: Vec<u16> = v.collections.keys().copied().collect();
    let mut t: Vec<Vec<u8>> = vec![Vec::new(); TABLES];
    t[2].reserve(v.dx.values().map(Vec::len).sum::<usize>() * 2);
    t[1].u32(0);
    for code in &codes {
        t[0].u64(*code);
        for id in v.dx.get(code).map_or(&[][..], Vec::as_slice) {
            t[2].u16(*id);
        }
        let end = count(t[2].len() / 2)?;
        t[1].u32(end);
        let cc = match v.cc.get(code) {
            None => NO_CC,
            Some((mcc, coll, alive)) => {
                let slot = match coll {
                    None => NO_COLLECTION,
                    Some(c) => match slots.binary_search(c) {
                        Ok(s) => count(s)?,
                        Err(_) => {
                            return Err(format!(
                                "CC {}: collection {c:04} is not listed",
                                unpack(*code)
                            ));
                        }
                    },
                };
                slot | if *mcc { MCC_BIT } else { 0 } | if *alive { ALIVE_BIT } else { 0 }
            }
        };
        t[3].u32(cc);
    }
    t[5].u32(0);
    for (code, (or, ids)) in &v.pcs {
        t[4].u64(*code);
        t[6].push(u8::from(*or));
        for id in ids {
            t[7].u16(*id);
        }
        let end = count(t[7].len() / 2)?;
        t[5].u32(end);
    }
    let positions = |list: &[u64]| -> Vec<u32> {
        let mut p: Vec<u32> = list
            .iter()
            .filter_map(|c| position.get(c).copied())
            .collect();
        p.sort_unstable();
        p.dedup();
        p
    };
    t[9].u32(0);
    for (id, list) in &v.collections {
        t[8].u16(*id);
        for p in positions(list) {
            t[10].u32(p);
        }
        let end = count(t[10].len() / 4)?;
        t[9].u32(end);
    }
    let mut offsets = vec![0u32];
    let mut body = Vec::new();
    for (drg, list) in &v.exclusions {
        t[11].u16(*drg);
        for p in positions(list) {
            body.u32(p);
        }
        offsets.push(count(body.len() / 4)?);
    }
    for o in offsets {
        t[12].u32(o);
    }
    t[12].extend_from_slice(&body);
    for (from, to) in [(0, 13), (4, 14)] {
        let starts = Starts::of(&t[from]).ok_or("a key table does not sort by its starts")?;
        for s in starts.0 {
            t[to].u32(s);
        }
    }
    for (from, to) in [(2, 15), (7, 16)] {
        let seen: BTreeSet<u32> = ids(&t[from], 0, t[from].len() / 2).collect();
        for id in seen {
            t[to].u16(u16::try_from(id).map_err(|e| e.to_string())?);
        }
    }
    Ok(t)
}

/// Builds the index from the asset text.
///
/// # Errors
/// A message naming the line when the text cannot be indexed.
pub fn build(text: &str) -> Result<Vec<u8>, String> {
    let (meta, versions, other_pcs) = split_text(text)?;
    let mut other = Vec::with_capacity(other_pcs.len() * 8);
    for code in other_pcs {
        other.u64(code);
    }
    let mut sections: Vec<Vec<u8>> = vec![meta.into_bytes(), Vec::new(), other];
    let mut directory = Vec::new();
    for v in &versions {
        for table in version_tables(v)? {
            let at = match sections.iter().skip(3).position(|s| *s == table) {
                Some(i) => i + 3,
                None => {
                    sections.push(table);
                    sections.len() - 1
                }
            };
            directory.u32(count(at)?);
        }
    }
    sections[1] = directory;
    let head = 16 + 8 * sections.len();
    let mut out = Vec::with_capacity(head + sections.iter().map(Vec::len).sum::<usize>());
    out.extend_from_slice(MAGIC);
    out.u32(FORMAT);
    out.u32(count(sections.len())?);
    let mut at = head;
    for s in &sections {
        out.u32(count(at)?);
        out.u32(count(s.len())?);
        at += s.len();
    }
    for s in &sections {
        out.extend_from_slice(s);
    }
    Ok(out)
}

// ---- reading ---------------------------------------------------------------------------------

fn u16_at(b: &[u8], i: usize) -> u16 {
    let mut a = [0u8; 2];
    if let Some(s) = b.get(i..i + 2) {
        a.copy_from_slice(s);
    }
    u16::from_le_bytes(a)
}

fn u32_at(b: &[u8], i: usize) -> u32 {
    let mut a = [0u8; 4];
    if let Some(s) = b.get(i..i + 4) {
        a.copy_from_slice(s);
    }
    u32::from_le_bytes(a)
}

fn u64_at(b: &[u8], i: usize) -> u64 {
    let mut a = [0u8; 8];
    if let Some(s) = b.get(i..i + 8) {
        a.copy_from_slice(s);
    }
    u64::from_le_bytes(a)
}

/// A table: a byte range of the index.
#[derive(Debug, Clone, Default)]
struct Table(Range<usize>);

impl Table {
    fn bytes<'a>(&self, b: &'a [u8]) -> &'a [u8] {
        b.get(self.0.clone()).unwrap_or_default()
    }
}

/// Position of `key` among the sorted numbers `at(lo..hi)`.
fn position(mut lo: usize, mut hi: usize, key: u64, at: impl Fn(usize) -> u64) -> Option<usize> {
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        let k = at(mid);
        if k == key {
            return Some(mid);
        }
        if k < key {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    None
}

/// Position of `key` in a sorted table of u64.
fn search_u64(t: &[u8], key: u64) -> Option<usize> {
    position(0, t.len() / 8, key, |i| u64_at(t, i * 8))
}

/// Whether the sorted u32 run `from..to` (in numbers) of a table holds `x`.
fn contains_u32(t: &[u8], from: usize, to: usize, x: u32) -> bool {
    position(from, to, u64::from(x), |i| u64::from(u32_at(t, i * 4))).is_some()
}

/// Position of `key` in a sorted table of u16.
fn search_u16(t: &[u8], key: u16) -> Option<usize> {
    position(0, t.len() / 2, u64::from(key), |i| {
        u64::from(u16_at(t, i * 2))
    })
}

/// The tables of one version.
#[derive(Debug, Clone, Default)]
pub struct Tables {
    t: Vec<Table>,
    /// Where each two-character start begins in the diagnosis and the procedure keys.
    dx_starts: Starts,
    pcs_starts: Starts,
}

/// The first position of each two-character code start ([`bucket`]) in a sorted key table, so
/// a lookup searches only the codes that start alike.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Starts(Vec<u32>);

/// Buckets of [`Starts`]: 36 × 36 starts of digits and letters.
const BUCKETS: usize = 36 * 36;

fn class(b: u8) -> Option<usize> {
    match b {
        b'0'..=b'9' => Some(usize::from(b - b'0')),
        b'A'..=b'Z' => Some(usize::from(b - b'A') + 10),
        _ => None,
    }
}

/// The bucket of a packed code, by its first two characters (keys sort by bucket); `None` for a
/// code that does not start with two digits or capital letters (the source lists a few such
/// stray words among its procedures).
fn bucket(key: u64) -> Option<usize> {
    let [a, b, ..] = key.to_be_bytes();
    Some(class(a)? * 36 + class(b)?)
}

impl Starts {
    /// Builds the starts of a sorted key table; `None` when its keys do not sort by bucket.
    fn of(t: &[u8]) -> Option<Starts> {
        let n = t.len() / 8;
        let mut starts = vec![0u32; BUCKETS + 1];
        let mut last = 0;
        for i in 0..n {
            // A key without a bucket sorts inside its neighbours' range and is found there.
            let Some(b) = bucket(u64_at(t, i * 8)) else {
                continue;
            };
            if b < last {
                return None;
            }
            for s in starts.iter_mut().take(b + 1).skip(last + 1) {
                *s = u32::try_from(i).ok()?;
            }
            last = b;
        }
        let end = u32::try_from(n).ok()?;
        for s in starts.iter_mut().skip(last + 1) {
            *s = end;
        }
        Some(Starts(starts))
    }

    /// Reads the starts the build wrote for a key table of `n` keys; `None` unless they are
    /// [`BUCKETS`] + 1 ascending positions that end at `n`.
    fn read(t: &[u8], n: usize) -> Option<Starts> {
        if t.len() != (BUCKETS + 1) * 4 {
            return None;
        }
        let starts: Vec<u32> = (0..=BUCKETS).map(|i| u32_at(t, i * 4)).collect();
        let ascending = starts.windows(2).all(|w| w[0] <= w[1]);
        (ascending && starts.last().map(|&e| e as usize) == Some(n)).then_some(Starts(starts))
    }

    /// Position of `key` in the table the starts were built from.
    fn search(&self, t: &[u8], key: u64) -> Option<usize> {
        let (lo, hi) = match bucket(key) {
            Some(b) => (*self.0.get(b)? as usize, *self.0.get(b + 1)? as usize),
            None => (0, t.len() / 8),
        };
        position(lo, hi, key, |i| u64_at(t, i * 8))
    }
}

/// A diagnosis of a version: its position in the version's diagnosis table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dx(pub u32);

/// What the index says of a CC or MCC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cc {
    /// An MCC (otherwise a CC).
    pub mcc: bool,
    /// The PDX-exclusion collection slot, if the code has one.
    slot: Option<u16>,
    /// Counts only when the patient is discharged alive.
    pub alive_only: bool,
}

impl Tables {
    fn table<'a>(&self, b: &'a [u8], k: usize) -> &'a [u8] {
        self.t.get(k).map_or(&[], |t| t.bytes(b))
    }

    /// The diagnosis, if the version knows the code (packed).
    #[must_use]
    pub fn dx(&self, b: &[u8], key: u64) -> Option<Dx> {
        self.dx_starts
            .search(self.table(b, 0), key)
            .and_then(|i| u32::try_from(i).ok().map(Dx))
    }

    /// How many diagnoses the version knows.
    #[must_use]
    pub fn dx_count(&self, b: &[u8]) -> usize {
        self.table(b, 0).len() / 8
    }

    /// The code of a diagnosis.
    #[must_use]
    pub fn dx_key(&self, b: &[u8], d: Dx) -> u64 {
        u64_at(self.table(b, 0), d.0 as usize * 8)
    }

    /// The logic entry ids of a diagnosis.
    pub fn dx_ids<'a>(&self, b: &'a [u8], d: Dx) -> impl Iterator<Item = u32> + use<'a> {
        let offs = self.table(b, 1);
        let i = d.0 as usize;
        ids(
            self.table(b, 2),
            u32_at(offs, i * 4) as usize,
            u32_at(offs, i * 4 + 4) as usize,
        )
    }

    /// The CC or MCC of a diagnosis.
    #[must_use]
    pub fn cc(&self, b: &[u8], d: Dx) -> Option<Cc> {
        let v = u32_at(self.table(b, 3), d.0 as usize * 4);
        if v == NO_CC {
            return None;
        }
        let slot = v & 0xFFFF;
        Some(Cc {
            mcc: v & MCC_BIT != 0,
            slot: (slot != NO_COLLECTION).then(|| u16::try_from(slot).unwrap_or(u16::MAX)),
            alive_only: v & ALIVE_BIT != 0,
        })
    }

    /// The collection number (Table 6K Part 1) of a CC.
    #[must_use]
    pub fn collection(&self, b: &[u8], cc: Cc) -> Option<u16> {
        cc.slot
            .map(|s| u16_at(self.table(b, 8), usize::from(s) * 2))
    }

    /// Whether the CC's PDX-exclusion collection holds the principal diagnosis.
    #[must_use]
    pub fn excluded_by_pdx(&self, b: &[u8], cc: Cc, pdx: Dx) -> bool {
        let Some(slot) = cc.slot.map(usize::from) else {
            return false;
        };
        let offs = self.table(b, 9);
        let (from, to) = (u32_at(offs, slot * 4), u32_at(offs, slot * 4 + 4));
        contains_u32(self.table(b, 10), from as usize, to as usize, pdx.0)
    }

    /// Whether Table 6K Part 3 says the diagnosis is not a CC/MCC in the DRG.
    #[must_use]
    pub fn excluded_in_drg(&self, b: &[u8], drg: u16, d: Dx) -> bool {
        let Some(i) = search_u16(self.table(b, 11), drg) else {
            return false;
        };
        let t = self.table(b, 12);
        let lists = self.table(b, 11).len() / 2;
        let body = (lists + 1) * 4;
        let (from, to) = (u32_at(t, i * 4) as usize, u32_at(t, i * 4 + 4) as usize);
        t.get(body..)
            .is_some_and(|rest| contains_u32(rest, from, to, d.0))
    }

    /// The procedure's position, if the version knows the code (packed).
    #[must_use]
    pub fn pcs(&self, b: &[u8], key: u64) -> Option<u32> {
        self.pcs_starts
            .search(self.table(b, 4), key)
            .and_then(|i| u32::try_from(i).ok())
    }

    /// Whether the procedure is an O.R. procedure.
    #[must_use]
    pub fn pcs_is_or(&self, b: &[u8], p: u32) -> bool {
        self.table(b, 6).get(p as usize) == Some(&1)
    }

    /// The logic entry ids of a procedure.
    pub fn pcs_ids<'a>(&self, b: &'a [u8], p: u32) -> impl Iterator<Item = u32> + use<'a> {
        let offs = self.table(b, 5);
        let i = p as usize;
        ids(
            self.table(b, 7),
            u32_at(offs, i * 4) as usize,
            u32_at(offs, i * 4 + 4) as usize,
        )
    }

    /// The logic entry ids that the version's diagnoses (`dx` true) or procedures name, each
    /// once.
    pub fn entry_ids<'a>(&self, b: &'a [u8], dx: bool) -> impl Iterator<Item = u32> + use<'a> {
        let t = self.table(b, if dx { 15 } else { 16 });
        ids(t, 0, t.len() / 2)
    }
}

fn ids(t: &[u8], from: usize, to: usize) -> impl Iterator<Item = u32> + use<'_> {
    t.get(from * 2..to * 2)
        .unwrap_or_default()
        .chunks_exact(2)
        .map(|c| u32::from(u16::from_le_bytes([c[0], c[1]])))
}

/// An opened index: the text part and the tables of each version.
#[derive(Debug, Clone, Default)]
pub struct Layout {
    /// The text part (section 0).
    pub meta: Range<usize>,
    /// The tables of each version, in the order of the V lines.
    pub versions: Vec<Tables>,
    /// The valid procedures no version lists (section 2).
    pub other_pcs: Range<usize>,
}

/// Whether a sorted u64 table (such as [`Layout::other_pcs`]) holds the code (packed).
#[must_use]
pub fn has_key(t: &[u8], key: u64) -> bool {
    search_u64(t, key).is_some()
}

/// Finds the parts of an index and checks what is cheap to check: the header, that every
/// section lies inside the index, the sizes of the tables and the starts. Every read is
/// bounds-checked, so a damaged table makes lookups miss but never reads outside the index;
/// [`verify`] checks the rest (the build does).
///
/// # Errors
/// A message saying what is wrong (a build problem).
pub fn open(b: &[u8]) -> Result<Layout, String> {
    if b.get(..8) != Some(MAGIC.as_slice()) || u32_at(b, 8) != FORMAT {
        return Err(format!("not an MS-DRG index of format {FORMAT}"));
    }
    let n = u32_at(b, 12) as usize;
    if n < 3 || b.len() < 16 + n * 8 {
        return Err("the index ends inside its directory".to_string());
    }
    let mut sections = Vec::with_capacity(n);
    for i in 0..n {
        let (at, len) = (
            u32_at(b, 16 + i * 8) as usize,
            u32_at(b, 20 + i * 8) as usize,
        );
        if at.checked_add(len).is_none_or(|end| end > b.len()) {
            return Err(format!("section {i} lies outside the index"));
        }
        sections.push(Table(at..at + len));
    }
    let dir = sections[1].bytes(b);
    if dir.len() % (TABLES * 4) != 0 {
        return Err("the version directory is damaged".to_string());
    }
    let mut versions = Vec::new();
    for v in dir.chunks_exact(TABLES * 4) {
        let mut t = Vec::with_capacity(TABLES);
        for k in 0..TABLES {
            let s = u32_at(v, k * 4) as usize;
            t.push(
                sections
                    .get(s)
                    .cloned()
                    .ok_or("a version names no section")?,
            );
        }
        let mut tables = Tables {
            t,
            ..Tables::default()
        };
        if !sizes_fit(&tables, b) {
            return Err("a table of the index has the wrong size".to_string());
        }
        let damaged = "the starts of a key table are damaged";
        let (dx, pcs) = (tables.dx_count(b), tables.table(b, 4).len() / 8);
        tables.dx_starts = Starts::read(tables.table(b, 13), dx).ok_or(damaged)?;
        tables.pcs_starts = Starts::read(tables.table(b, 14), pcs).ok_or(damaged)?;
        versions.push(tables);
    }
    if sections[2].0.len() % 8 != 0 {
        return Err("the procedure table is damaged".to_string());
    }
    Ok(Layout {
        meta: sections[0].0.clone(),
        versions,
        other_pcs: sections[2].0.clone(),
    })
}

/// Opens the index and checks all of it: every offset table ascending and ending at its
/// data's length, every key table sorted by its starts, the starts and the entry lists as the
/// key tables give them. The build runs this on the index it embeds.
///
/// # Errors
/// A message saying what is wrong.
pub fn verify(b: &[u8]) -> Result<Layout, String> {
    let layout = open(b)?;
    for t in &layout.versions {
        check(t, b)?;
        for (keys, starts) in [(0, &t.dx_starts), (4, &t.pcs_starts)] {
            if Starts::of(t.table(b, keys)).as_ref() != Some(starts) {
                return Err("a key table does not match its starts".to_string());
            }
        }
        for (from, dx) in [(2, true), (7, false)] {
            let all: BTreeSet<u32> = ids(t.table(b, from), 0, t.table(b, from).len() / 2).collect();
            if !all.iter().copied().eq(t.entry_ids(b, dx)) {
                return Err("an entry list does not match its table".to_string());
            }
        }
    }
    Ok(layout)
}

/// Whether the tables have the sizes their row counts give.
fn sizes_fit(t: &Tables, b: &[u8]) -> bool {
    let (dx, pcs) = (t.dx_count(b), t.table(b, 4).len() / 8);
    let lists = t.table(b, 11).len() / 2;
    t.table(b, 0).len().is_multiple_of(8)
        && t.table(b, 4).len().is_multiple_of(8)
        && t.table(b, 1).len() == (dx + 1) * 4
        && t.table(b, 3).len() == dx * 4
        && t.table(b, 5).len() == (pcs + 1) * 4
        && t.table(b, 6).len() == pcs
        && t.table(b, 9).len() == (t.table(b, 8).len() / 2 + 1) * 4
        && t.table(b, 12).len() >= (lists + 1) * 4
}

/// Checks that each offset table is ascending and ends at its data's length.
fn check(t: &Tables, b: &[u8]) -> Result<(), String> {
    let offsets_fit = |offs: &[u8], rows: usize, data: usize| {
        let n = offs.len() / 4;
        n == rows + 1
            && u32_at(offs, 0) == 0
            && (1..n).all(|i| u32_at(offs, (i - 1) * 4) <= u32_at(offs, i * 4))
            && u32_at(offs, (n - 1) * 4) as usize == data
    };
    let dx = t.dx_count(b);
    let pcs = t.table(b, 4).len() / 8;
    let slots = t.table(b, 8).len() / 2;
    let lists = t.table(b, 11).len() / 2;
    let excl = t.table(b, 12);
    let ok = offsets_fit(t.table(b, 1), dx, t.table(b, 2).len() / 2)
        && t.table(b, 3).len() == dx * 4
        && offsets_fit(t.table(b, 5), pcs, t.table(b, 7).len() / 2)
        && t.table(b, 6).len() == pcs
        && offsets_fit(t.table(b, 9), slots, t.table(b, 10).len() / 4)
        && excl.len() >= (lists + 1) * 4
        && offsets_fit(
            excl.get(..(lists + 1) * 4).unwrap_or_default(),
            lists,
            (excl.len() - (lists + 1) * 4) / 4,
        );
    if ok {
        Ok(())
    } else {
        Err("an offset table of the index is damaged".to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "EHRSIM-DRG\t1\nA\t0\t_MDC04\nV\tv43.0\t2025-10-01\n\
        D\tJ189\t0\nD\tE871\t0\nP\t0SR9019\t1\t0\nC\tE871\tCC\t0586\t0\nX\t0586\tE870 E871\n\
        E\t082\tE871\n";

    #[test]
    fn codes_pack_into_sorted_numbers_and_back() {
        assert_eq!(pack("J189").map(unpack).as_deref(), Some("J189"));
        assert!(pack("A00") < pack("A000") && pack("A000") < pack("A01"));
        assert_eq!(pack(""), None);
        assert_eq!(pack("ABCDEFGHI"), None);
        assert_eq!(pack("J1 9"), None);
    }

    #[test]
    fn a_built_index_answers_lookups() {
        let b = build(TEXT).unwrap_or_default();
        let layout = open(&b).unwrap_or_default();
        let t = &layout.versions[0];
        let e871 = t.dx(&b, pack("E871").unwrap_or(0));
        let e870 = t.dx(&b, pack("E870").unwrap_or(0));
        assert!(
            e871.is_some() && e870.is_some(),
            "a collection's codes are diagnoses"
        );
        let cc = e871.and_then(|d| t.cc(&b, d));
        assert_eq!(cc.and_then(|c| t.collection(&b, c)), Some(586));
        assert!(
            cc.zip(e870)
                .is_some_and(|(c, d)| t.excluded_by_pdx(&b, c, d))
        );
        assert!(e871.is_some_and(|d| t.excluded_in_drg(&b, 82, d)));
        assert!(!e871.is_some_and(|d| t.excluded_in_drg(&b, 83, d)));
        let p = t.pcs(&b, pack("0SR9019").unwrap_or(0));
        assert!(p.is_some_and(|p| t.pcs_is_or(&b, p)));
        assert_eq!(
            std::str::from_utf8(&b[layout.meta])
                .ok()
                .map(|m| m.lines().count()),
            Some(3)
        );
    }

    #[test]
    fn verify_finds_damage_that_open_leaves_to_bounds_checks() {
        let b = build(TEXT).unwrap_or_default();
        assert!(verify(&b).is_ok());
        let layout = open(&b).unwrap_or_default();
        let offsets = layout.versions[0].t[1].0.start;
        let mut bad = b.clone();
        bad[offsets + 4] = 0xFF; // the first diagnosis's ids now end far past the id table
        assert!(open(&bad).is_ok(), "sizes and starts are still right");
        assert!(verify(&bad).is_err());
        let t = &open(&bad).unwrap_or_default().versions[0];
        let first = t.dx(&bad, pack("E870").unwrap_or(0));
        assert_eq!(
            first.map(|d| t.dx_ids(&bad, d).count()),
            Some(0),
            "a damaged offset reads nothing rather than panicking"
        );
    }

    #[test]
    fn a_damaged_index_is_refused_without_panicking() {
        let b = build(TEXT).unwrap_or_default();
        for cut in [0, 7, 12, 20, b.len() / 2, b.len() - 1] {
            assert!(open(&b[..cut]).is_err(), "cut at {cut}");
        }
        let mut bad = b.clone();
        bad[16] = 0xFF; // section 0 now starts far outside the index
        bad[17] = 0xFF;
        bad[18] = 0xFF;
        assert!(open(&bad).is_err());
        let mut bad = b;
        bad[8] = 1; // another format version
        assert!(open(&bad).is_err());
        assert!(
            build("D\tJ189\t0\n").is_err(),
            "version data before a V line"
        );
        assert!(
            build("V\tv\t2025-10-01\nD\tJ189\tx\n").is_err(),
            "a bad entry id"
        );
    }
}
