//! MS-DRG v43 definitions (CMS ICD-10 MS-DRG Definitions Manual v43.0 and v43.1, FY2026 IPPS
//! final rule Table 5) and the grouper ([`group`]).
//!
//! The definitions are imported by [`import`] from public CMS data into a compact asset
//! (`assets/drg/msdrg_v43.ehrt.z`, LZ4 text like the terminology assets, below). The build
//! script turns that text into a pre-indexed binary ([`index`]) which the program embeds and
//! reads in place, so opening the definitions parses only their small text part:
//!
//! ```text
//! (→ stands for a tab)
//! EHRSIM-DRG→1                         magic, format version
//! #label→… / #source→… / #sha256→…     header lines
//! M→B373 D630 …                         manifestation codes (from the ICD-10-CM code set)
//! Q→0016070 …                           valid ICD-10-PCS codes no version lists (code set)
//! T→195→Yes→No→04→MED→SIMPLE …→0.6285→0.6285→2.2→2.7   Table 5 row (weights before/after cap)
//! A→17→193&194&195|PDX                  a logic entry: DRG family, condition, paired code
//! V→v43.0→2025-10-01                   starts a version (effective for discharges from the date)
//! G→195→04→M→Simple Pneumonia …         a DRG of the version: MDC, S(urgical)/M(edical)/-, title
//! K→521→93                              surgical hierarchy rank (lower ranks higher)
//! D→J189→3 17                           a diagnosis and its logic entries (MDC entries included)
//! P→0SR9019→1→40 41                     a procedure: O.R. (1) or not (0), its logic entries
//! C→E871→CC→0586→0                      a CC/MCC: level, PDX-exclusion collection, alive-only
//! X→0072→A400 A401 …                    a PDX-exclusion collection (Table 6K Part 1)
//! E→082→S061X3A …                       codes that are not a CC/MCC in this DRG (Table 6K Part 3)
//! ```

pub mod group;
pub mod import;
pub mod index;
pub mod payment;

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::sync::{Arc, Once, OnceLock};

use chrono::NaiveDate;

use super::TerminologyError;

pub use group::{Claim, DischargeStatus, GroupError, Grouping, Poa, Sex, group};
pub use index::Dx;

/// The embedded index, built by `build.rs` from the asset that `ehr-sim drg import` writes.
static DRG_INDEX: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/msdrg_v43.idx"));
/// Its name in error messages.
pub const ASSET_NAME: &str = "assets/drg/msdrg_v43.ehrt.z";
/// The first line of the asset text.
pub(crate) const MAGIC_LINE: &str = "EHRSIM-DRG\t1";

/// The POA indicators and what each means (ICD-10-CM Official Guidelines Appendix I).
pub const POA_INDICATORS: [(&str, &str); 5] = [
    ("Y", "Y: present at the time of inpatient admission"),
    ("N", "N: not present at the time of inpatient admission"),
    ("U", "U: documentation insufficient to determine"),
    ("W", "W: clinically undetermined"),
    (
        "1",
        "1: exempt from POA reporting (left blank on the 5010 837I)",
    ),
];

/// One row of FY2026 Table 5.
#[derive(Debug, Clone, PartialEq)]
pub struct Table5Row {
    /// The MS-DRG, three digits.
    pub drg: &'static str,
    /// Post-acute transfer DRG.
    pub post_acute: bool,
    /// Special-pay DRG.
    pub special_pay: bool,
    /// MDC as printed ("04", "PRE", empty for 981–989, 998, 999).
    pub mdc: &'static str,
    /// MED, SURG, or "**" for 998/999.
    pub kind: &'static str,
    /// Title as printed (upper case).
    pub title: &'static str,
    /// Weight before the 10 % cap (`None` for 998/999).
    pub weight_before_cap: Option<f64>,
    /// Payment weight (10 % cap applied).
    pub weight: Option<f64>,
    /// Geometric mean length of stay.
    pub gmlos: Option<f64>,
    /// Arithmetic mean length of stay.
    pub amlos: Option<f64>,
}

/// A logic entry of the Definitions Manual: a DRG family (e.g. "193&194&195", or an MDC marker
/// such as "_MDC04"), the condition under which the code belongs to it, and sometimes a code it
/// must be paired with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogicEntry {
    /// The DRG family ("521&522") or marker ("_MDC08", "_MDC24_PDX", "_TRAUMA24_SITE_HEAD").
    pub family: &'static str,
    /// The condition text ("PDX", "ORPCS", "AND ORPCS", …), empty for markers.
    pub condition: &'static str,
    /// A code the entry is paired with, when the list names one.
    pub paired: Option<&'static str>,
    /// The family's DRG numbers ("521&522" → [521, 522]); empty for markers.
    pub(crate) numbers: Vec<u16>,
    /// The condition names a principal diagnosis list ("PDX").
    pub(crate) pdx: bool,
    /// What the grouper reads in the condition text, found on first use
    /// ([`group::EntryTraits`]).
    pub(crate) traits: OnceLock<group::EntryTraits>,
}

impl LogicEntry {
    fn parse(raw: &'static str) -> LogicEntry {
        // `raw.splitn(3, '|')`, by a byte search ('|' is one byte of its own in UTF-8).
        let cut = |s: &'static str| match s.bytes().position(|b| b == b'|') {
            Some(i) => (s.get(..i).unwrap_or_default(), s.get(i + 1..)),
            None => (s, None),
        };
        let (family, rest) = cut(raw);
        let (condition, paired) = match rest {
            Some(rest) => cut(rest),
            None => ("", None),
        };
        let numbers = if family.starts_with('_') {
            Vec::new()
        } else {
            family_parts(family)
                .filter_map(|d| drg_number(d).and_then(|n| u16::try_from(n).ok()))
                .collect()
        };
        let pdx = condition.as_bytes().windows(3).any(|w| w == b"PDX");
        LogicEntry {
            family,
            condition,
            paired,
            numbers,
            pdx,
            traits: OnceLock::new(),
        }
    }

    /// The DRGs of the family ("521&522" → ["521", "522"]); empty for markers.
    #[must_use]
    pub fn drgs(&self) -> Vec<&str> {
        if self.family.starts_with('_') {
            Vec::new()
        } else {
            family_parts(self.family).collect()
        }
    }
}

/// Severity level of a secondary diagnosis (Tables 6I, 6J).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// Complication or comorbidity.
    Cc,
    /// Major complication or comorbidity.
    Mcc,
}

impl Level {
    /// "CC" or "MCC".
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Level::Cc => "CC",
            Level::Mcc => "MCC",
        }
    }
}

/// A CC/MCC: its level, its PDX-exclusion collection (Table 6K Part 1) and whether it counts
/// only for a patient discharged alive (Table 6K Part 2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CcInfo {
    /// CC or MCC.
    pub level: Level,
    /// Collection number, e.g. 72 (printed "0072").
    pub collection: Option<u16>,
    /// Counts only when the patient is discharged alive.
    pub alive_only: bool,
    raw: index::Cc,
}

/// A DRG of one version of the definitions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrgInfo {
    /// MDC ("04"), empty for Pre-MDC and MDC-less DRGs.
    pub mdc: &'static str,
    /// Surgical DRG.
    pub surgical: bool,
    /// Medical DRG.
    pub medical: bool,
    /// Title (mixed case, as in the Definitions Manual).
    pub title: &'static str,
    /// The title split once, the first time it is asked for (see [`DrgInfo::title_parts`]).
    parts: OnceLock<TitleParts>,
    /// What the title's base asks of the claim, read on first use ([`group::BaseKind`]).
    pub(crate) base_kind: OnceLock<group::BaseKind>,
}

/// Where a DRG title's base, severity clause and qualifier are.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct TitleParts {
    /// End of the base.
    base: usize,
    /// The severity clause, trimmed.
    clause: std::ops::Range<usize>,
    /// What the clause's head needs.
    needs: Needs,
    /// The qualifier after " or " in the clause ("with MCC or 4+ Arteries…").
    qualifier: Option<std::ops::Range<usize>>,
}

/// What a title's severity clause asks of the claim.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Needs {
    /// "with MCC".
    Mcc,
    /// "with CC/MCC" or "with CC".
    Cc,
    /// Nothing ("without …", or no clause).
    #[default]
    Nothing,
}

impl TitleParts {
    fn of(title: &str) -> TitleParts {
        let (base, clause) = group::split_title(title);
        // The clause is the rest of the title after the base, trimmed.
        let rest = title.get(base.len()..).unwrap_or_default();
        let start = base.len() + (rest.len() - rest.trim_start().len());
        let (head, qualifier) = match clause.split_once(" or ") {
            Some((h, q)) => {
                let at = start + h.len() + " or ".len();
                (h, Some(at..at + q.len()))
            }
            None => (clause, None),
        };
        let needs = match head {
            "with MCC" => Needs::Mcc,
            "with CC/MCC" | "with CC" => Needs::Cc,
            _ => Needs::Nothing,
        };
        TitleParts {
            base: base.len(),
            clause: start..start + clause.len(),
            needs,
            qualifier,
        }
    }
}

impl DrgInfo {
    /// The title's base and its severity clause ("with MCC or …", "without CC/MCC").
    #[must_use]
    pub fn title_parts(&self) -> (&str, &str) {
        let t = &self.title;
        let parts = self.parts();
        (
            t.get(..parts.base).unwrap_or(t),
            t.get(parts.clause.clone()).unwrap_or_default(),
        )
    }

    /// What the severity clause's head needs, and its qualifier ("4+ Arteries…") if any.
    #[must_use]
    pub fn clause_needs(&self) -> (Needs, Option<&str>) {
        let parts = self.parts();
        let q = parts.qualifier.clone();
        (parts.needs, q.and_then(|q| self.title.get(q)))
    }

    fn parts(&self) -> &TitleParts {
        self.parts.get_or_init(|| TitleParts::of(self.title))
    }
}

/// The embedded index bytes, or bytes built at run time (tests, fixtures).
#[derive(Clone)]
pub(crate) enum Bytes {
    /// The index the build script made from the shipped asset.
    Static(&'static [u8]),
    /// An index built from asset text at run time.
    Shared(Arc<[u8]>),
}

impl Bytes {
    /// A text part of the index for the rest of the process: the definitions' titles, families
    /// and conditions borrow it instead of each holding a copy. The embedded index is there
    /// already; the text of an index built at run time (an import, a test) is kept for good,
    /// once per build: a few hundred kilobytes.
    fn static_text(&self, range: std::ops::Range<usize>) -> Option<&'static str> {
        match self {
            Bytes::Static(b) => std::str::from_utf8(b.get(range)?).ok(),
            Bytes::Shared(b) => {
                let text = std::str::from_utf8(b.get(range)?).ok()?;
                Some(Box::leak(text.to_owned().into_boxed_str()))
            }
        }
    }

    fn get(&self) -> &[u8] {
        match self {
            Bytes::Static(b) => b,
            Bytes::Shared(b) => b,
        }
    }
}

impl Default for Bytes {
    fn default() -> Self {
        Bytes::Static(&[])
    }
}

impl std::fmt::Debug for Bytes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} index bytes", self.get().len())
    }
}

/// A set of DRG families by name (hashed with foldhash: the grouper asks it for a family on
/// most claims, and it is built each time the definitions open).
pub type Families = HashSet<&'static str, foldhash::fast::FixedState>;

/// One grouper version (v43.0 or v43.1). The large tables (diagnoses, procedures, CC/MCC list,
/// exclusion collections) are read in place from the pre-built index ([`index`]).
#[derive(Debug, Clone, Default)]
pub struct Version {
    /// "v43.0" or "v43.1".
    pub id: &'static str,
    /// First discharge date it applies to.
    pub from: Option<NaiveDate>,
    /// Families that a diagnosis list restricts (e.g. 521&522 needs a hip-fracture PDX).
    pub dx_families: Families,
    /// Families that a procedure list names (e.g. 061&062&063, stroke with a thrombolytic).
    pub pcs_families: Families,
    bytes: Bytes,
    tables: index::Tables,
    /// The version's DRGs by number (0-999).
    drg_slots: Vec<Option<DrgInfo>>,
    /// Surgical hierarchy rank by DRG number (lower = higher in the hierarchy; `u32::MAX` when
    /// unranked).
    rank_slots: Vec<u32>,
}

/// Puts a value in the slot of a DRG number ("003" → slot 3), growing the slots to 1,000;
/// `false` when the DRG is not three digits.
fn put_slot<T: Clone>(slots: &mut Vec<T>, empty: T, drg: &str, value: T) -> bool {
    let Some(n) = drg_number(drg) else {
        return false;
    };
    if slots.len() < 1000 {
        slots.resize(1000, empty);
    }
    match slots.get_mut(n) {
        Some(slot) => {
            *slot = value;
            true
        }
        None => false,
    }
}

/// The parts of a family name between its '&'s ("521&522" → "521", "522"), as
/// `family.split('&')` gives them, by a byte loop: a family name is a few bytes long, and the
/// grouper takes one apart several times a claim, where the library's searcher costs more
/// than the search.
pub(crate) fn family_parts(family: &str) -> FamilyParts<'_> {
    FamilyParts(Some(family))
}

/// The iterator of [`family_parts`].
pub(crate) struct FamilyParts<'a>(Option<&'a str>);

impl<'a> Iterator for FamilyParts<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let rest = self.0?;
        match rest.bytes().position(|b| b == b'&') {
            Some(i) => {
                // '&' is one byte of its own in UTF-8: both sides are character boundaries.
                self.0 = rest.get(i + 1..);
                rest.get(..i)
            }
            None => {
                self.0 = None;
                Some(rest)
            }
        }
    }
}

/// A DRG number ("003" → 3); `None` unless three digits.
fn drg_number(drg: &str) -> Option<usize> {
    let b = drg.as_bytes();
    if b.len() != 3 || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(b.iter().fold(0, |n, d| n * 10 + usize::from(d - b'0')))
}

impl Version {
    /// A DRG of the version by its three digits.
    #[must_use]
    pub fn drg(&self, drg: &str) -> Option<&DrgInfo> {
        drg_number(drg).and_then(|n| self.drg_slots.get(n)?.as_ref())
    }

    /// A DRG of the version by its number.
    #[must_use]
    pub fn drg_n(&self, n: u16) -> Option<&DrgInfo> {
        self.drg_slots.get(usize::from(n))?.as_ref()
    }

    /// The highest surgical hierarchy rank of an entry's family (lowest number; `u32::MAX`
    /// when none of its DRGs is ranked).
    #[must_use]
    pub fn family_rank(&self, e: &LogicEntry) -> u32 {
        e.numbers
            .iter()
            .filter_map(|n| self.rank_slots.get(usize::from(*n)).copied())
            .min()
            .unwrap_or(u32::MAX)
    }

    /// The first DRG of an entry's family.
    #[must_use]
    pub fn family_first(&self, e: &LogicEntry) -> Option<&DrgInfo> {
        e.numbers.first().and_then(|n| self.drg_n(*n))
    }

    /// The surgical hierarchy rank of a DRG (lower = higher in the hierarchy; `None` when
    /// unranked).
    #[must_use]
    pub fn drg_rank(&self, drg: &str) -> Option<u32> {
        drg_number(drg)
            .and_then(|n| self.rank_slots.get(n).copied())
            .filter(|r| *r != u32::MAX)
    }

    /// A diagnosis the version knows (code without the dot, upper case).
    #[must_use]
    pub fn dx(&self, code: &str) -> Option<Dx> {
        self.tables.dx(self.bytes.get(), index::pack(code)?)
    }

    /// The logic entry ids of a diagnosis.
    pub fn dx_ids(&self, d: Dx) -> impl Iterator<Item = u32> + use<'_> {
        self.tables.dx_ids(self.bytes.get(), d)
    }

    /// The CC or MCC of a diagnosis (Tables 6I, 6J, 6K Parts 1-2).
    #[must_use]
    pub fn cc(&self, d: Dx) -> Option<CcInfo> {
        let b = self.bytes.get();
        self.tables.cc(b, d).map(|cc| CcInfo {
            level: if cc.mcc { Level::Mcc } else { Level::Cc },
            collection: self.tables.collection(b, cc),
            alive_only: cc.alive_only,
            raw: cc,
        })
    }

    /// Whether the CC's PDX-exclusion collection (Table 6K Part 1) holds the principal diagnosis.
    #[must_use]
    pub fn excluded_by_pdx(&self, cc: &CcInfo, pdx: Dx) -> bool {
        self.tables.excluded_by_pdx(self.bytes.get(), cc.raw, pdx)
    }

    /// Whether the diagnosis is not a CC/MCC in the DRG (Table 6K Part 3).
    #[must_use]
    pub fn excluded_in_drg(&self, drg: &str, d: Dx) -> bool {
        drg.parse::<u16>()
            .is_ok_and(|n| self.tables.excluded_in_drg(self.bytes.get(), n, d))
    }

    /// A procedure the version knows (7 characters, upper case).
    #[must_use]
    pub fn pcs(&self, code: &str) -> Option<Pcs> {
        self.tables
            .pcs(self.bytes.get(), index::pack(code)?)
            .map(Pcs)
    }

    /// Whether the procedure is an O.R. procedure.
    #[must_use]
    pub fn is_or(&self, p: Pcs) -> bool {
        self.tables.pcs_is_or(self.bytes.get(), p.0)
    }

    /// The logic entry ids of a procedure.
    pub fn pcs_ids(&self, p: Pcs) -> impl Iterator<Item = u32> + use<'_> {
        self.tables.pcs_ids(self.bytes.get(), p.0)
    }

    /// Every distinct logic entry id that a diagnosis or a procedure of the version carries.
    #[must_use]
    pub fn used_ids(&self) -> BTreeSet<u32> {
        let b = self.bytes.get();
        self.tables
            .entry_ids(b, true)
            .chain(self.tables.entry_ids(b, false))
            .collect()
    }

    /// The code of a diagnosis (no dot).
    #[must_use]
    pub fn dx_code(&self, d: Dx) -> String {
        index::unpack(self.tables.dx_key(self.bytes.get(), d))
    }

    /// How many diagnoses the version knows (positions `0..dx_count()`).
    #[must_use]
    pub fn dx_count(&self) -> usize {
        self.tables.dx_count(self.bytes.get())
    }
}

/// A procedure of a version (its position in the version's procedure table).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pcs(u32);

/// The loaded definitions: Table 5, the shared logic entries and the versions.
#[derive(Debug, Clone, Default)]
pub struct Definitions {
    /// Header lines (label, source, sha256).
    pub header: BTreeMap<String, String>,
    /// Logic entries by id.
    pub entries: Vec<LogicEntry>,
    /// Versions, oldest first.
    pub versions: Vec<Version>,
    /// Manifestation codes ("in diseases classified elsewhere", with a code-first note), which
    /// are never a principal diagnosis (ICD-10-CM Official Guidelines I.A.13), packed
    /// ([`index::pack`]) and sorted; see [`Definitions::is_manifestation`].
    manifestation_keys: Vec<u64>,
    /// Table 5 by DRG number (0-999).
    table5_slots: Vec<Option<Table5Slot>>,
    /// The index, and where its valid procedures that no version lists are.
    bytes: Bytes,
    other_pcs: std::ops::Range<usize>,
}

impl Definitions {
    /// Whether a diagnosis (no dot) is a manifestation code.
    #[must_use]
    pub fn is_manifestation(&self, code: &str) -> bool {
        index::pack(code).is_some_and(|k| self.manifestation_keys.binary_search(&k).is_ok())
    }

    /// The Table 5 row of a DRG (three digits).
    #[must_use]
    pub fn table5_row(&self, drg: &str) -> Option<&Table5Row> {
        drg_number(drg).and_then(|n| self.table5_slots.get(n)?.as_ref().map(Table5Slot::row))
    }

    /// Every Table 5 row, by DRG number.
    pub fn table5_rows(&self) -> impl Iterator<Item = &Table5Row> {
        self.table5_slots.iter().flatten().map(Table5Slot::row)
    }

    /// Whether a procedure is a valid ICD-10-PCS code that no version's lists name (a procedure
    /// that does not affect the DRG).
    #[must_use]
    pub fn other_procedure(&self, code: &str) -> bool {
        let table = self
            .bytes
            .get()
            .get(self.other_pcs.clone())
            .unwrap_or_default();
        index::pack(code).is_some_and(|key| index::has_key(table, key))
    }

    /// Whether two DRGs belong to one family of the definitions (e.g. 870, 871 and 872).
    #[must_use]
    pub fn same_family(&self, a: &str, b: &str) -> bool {
        self.entries.iter().any(|e| {
            let drgs = e.drgs();
            drgs.contains(&a) && drgs.contains(&b)
        })
    }

    /// A logic entry by id.
    #[must_use]
    pub fn entry(&self, id: u32) -> Option<&LogicEntry> {
        self.entries.get(id as usize)
    }

    /// The version that applies to a discharge date (the newest when `None`): v43.0 for
    /// 2025-10-01…2026-03-31, v43.1 from 2026-04-01.
    ///
    /// # Errors
    /// A message when the date is before the first version.
    pub fn version_for(&self, date: Option<NaiveDate>) -> Result<&Version, String> {
        let Some(date) = date else {
            return self
                .versions
                .last()
                .ok_or_else(|| "no versions".to_string());
        };
        self.versions
            .iter()
            .rev()
            .find(|v| v.from.is_some_and(|from| from <= date))
            .ok_or_else(|| {
                format!(
                    "discharge date {date} is before MS-DRG v43.0 (discharges from 2025-10-01); \
                     only v43.0 and v43.1 are shipped"
                )
            })
    }
}

/// Starts opening the embedded definitions on a thread of their own, once per process, so that
/// a caller that will need them soon does other work meanwhile (reading its command line, its
/// input); [`definitions`] then waits for that opening instead of starting another. Where no
/// thread can be started, the first call of [`definitions`] opens them.
pub fn preload() {
    static STARTED: Once = Once::new();
    STARTED.call_once(|| {
        let _ = std::thread::Builder::new().spawn(|| definitions().is_ok());
    });
}

/// The embedded definitions, opened on first use (the index is read in place: only its small
/// text part is parsed).
///
/// # Errors
/// [`TerminologyError::Asset`] when the embedded index is damaged (a build problem).
pub fn definitions() -> Result<&'static Definitions, TerminologyError> {
    static DEFS: OnceLock<Result<Definitions, String>> = OnceLock::new();
    DEFS.get_or_init(|| {
        from_index(ASSET_NAME, &Bytes::Static(DRG_INDEX)).map_err(|e| e.to_string())
    })
    .as_ref()
    .map_err(|message| bad(ASSET_NAME, 0, message.clone()))
}

fn bad(what: &str, line: usize, message: impl Into<String>) -> TerminologyError {
    TerminologyError::Asset {
        what: what.to_string(),
        line,
        message: message.into(),
    }
}

fn num(field: &str) -> Option<f64> {
    field.trim().parse::<f64>().ok()
}

/// Parses the asset text (indexing it as the build script does).
///
/// # Errors
/// [`TerminologyError::Asset`] naming the line when the text is not a DRG asset.
pub fn parse_text(what: &str, text: &str) -> Result<Definitions, TerminologyError> {
    if text.lines().next() != Some(MAGIC_LINE) {
        return Err(bad(
            what,
            1,
            format!("not an MS-DRG asset (expected '{MAGIC_LINE}')"),
        ));
    }
    let bytes = index::build(text).map_err(|e| bad(what, 0, e))?;
    from_index(what, &Bytes::Shared(bytes.into()))
}

/// Opens an index: checks its structure, parses its text part, attaches the version tables.
fn from_index(what: &str, bytes: &Bytes) -> Result<Definitions, TerminologyError> {
    let layout = index::open(bytes.get()).map_err(|e| bad(what, 0, e))?;
    let meta = bytes
        .static_text(layout.meta.clone())
        .ok_or_else(|| bad(what, 0, "the index's text part is not UTF-8"))?;
    let mut defs = parse_meta(what, meta)?;
    if defs.versions.len() != layout.versions.len() {
        return Err(bad(what, 0, "the index's versions do not match its text"));
    }
    defs.bytes = bytes.clone();
    defs.other_pcs = layout.other_pcs;
    for (v, tables) in defs.versions.iter_mut().zip(layout.versions) {
        v.bytes = bytes.clone();
        v.tables = tables;
        let b = v.bytes.get();
        let families = |dx: bool| -> Families {
            let mut seen = vec![false; defs.entries.len()];
            for id in v.tables.entry_ids(b, dx) {
                if let Some(s) = seen.get_mut(id as usize) {
                    *s = true;
                }
            }
            defs.entries
                .iter()
                .zip(seen)
                .filter(|(e, seen)| *seen && !(dx && e.family.starts_with('_')))
                .map(|(e, _)| e.family)
                .collect()
        };
        let (dx, pcs) = (families(true), families(false));
        v.dx_families = dx;
        v.pcs_families = pcs;
    }
    if defs.versions.is_empty() || defs.table5_rows().next().is_none() {
        return Err(bad(what, 0, "no versions or no Table 5 rows"));
    }
    Ok(defs)
}

/// The first `N` tab-separated fields of a line, in one scan of it; "" for those it lacks
/// (what `line.split('\t')` gives, without a search per field or a list).
fn tab_fields<const N: usize>(line: &str) -> [&str; N] {
    let mut fields = [""; N];
    let ends = memchr::memchr_iter(b'\t', line.as_bytes()).chain(std::iter::once(line.len()));
    let mut start = 0;
    for (slot, end) in fields.iter_mut().zip(ends) {
        // A tab is one byte of its own in UTF-8: every end is a character boundary.
        *slot = line.get(start..end).unwrap_or_default();
        start = end + 1;
    }
    fields
}

/// A Table 5 row: its line, read into a [`Table5Row`] the first time the row is asked for (a
/// batch needs a few dozen of the 772, and reading the numbers of all of them is a tenth of
/// the time the definitions take to open).
#[derive(Debug, Clone)]
struct Table5Slot {
    line: &'static str,
    row: OnceLock<Table5Row>,
}

impl Table5Slot {
    fn row(&self) -> &Table5Row {
        self.row.get_or_init(|| {
            let f = tab_fields::<11>(self.line);
            Table5Row {
                drg: f[1],
                post_acute: f[2] == "Yes",
                special_pay: f[3] == "Yes",
                mdc: f[4],
                kind: f[5],
                title: f[6],
                weight_before_cap: num(f[7]),
                weight: num(f[8]),
                gmlos: num(f[9]),
                amlos: num(f[10]),
            }
        })
    }
}

/// Puts a Table 5 line (line `n`) in the slot of its DRG.
fn put_table5(
    defs: &mut Definitions,
    what: &str,
    n: usize,
    line: &'static str,
    drg: &str,
) -> Result<(), TerminologyError> {
    let slot = Table5Slot {
        line,
        row: OnceLock::new(),
    };
    if put_slot(&mut defs.table5_slots, None, drg, Some(slot)) {
        Ok(())
    } else {
        Err(bad(
            what,
            n,
            format!("Table 5 DRG '{drg}' is not three digits"),
        ))
    }
}

/// Parses the text part of the asset (all but the D, P, C, X and E lines).
fn parse_meta(what: &str, text: &'static str) -> Result<Definitions, TerminologyError> {
    let mut lines = text.lines();
    if lines.next() != Some(MAGIC_LINE) {
        return Err(bad(
            what,
            1,
            format!("not an MS-DRG asset (expected '{MAGIC_LINE}')"),
        ));
    }
    let mut defs = Definitions::default();
    // The logic entries (one "A" line each) are counted first, so their list is made once.
    defs.entries
        .reserve_exact(memchr::memmem::find_iter(text.as_bytes(), b"\nA\t").count());
    for (i, line) in lines.enumerate() {
        let n = i + 2;
        if line == "T" || line.starts_with("T\t") {
            // A Table 5 row is read when it is first asked for: only its DRG now.
            put_table5(&mut defs, what, n, line, tab_fields::<2>(line)[1])?;
            continue;
        }
        let f = tab_fields::<11>(line);
        let field = |k: usize| f.get(k).copied().unwrap_or_default();
        let version = |defs: &mut Definitions| -> Result<usize, TerminologyError> {
            defs.versions
                .len()
                .checked_sub(1)
                .ok_or_else(|| bad(what, n, "version data before a V line"))
        };
        match field(0) {
            h if h.starts_with('#') => {
                defs.header
                    .insert(h.trim_start_matches('#').to_string(), field(1).to_string());
            }
            "A" => defs.entries.push(LogicEntry::parse(field(2))),
            "M" => {
                defs.manifestation_keys = field(1).split(' ').filter_map(index::pack).collect();
                defs.manifestation_keys.sort_unstable();
            }
            "V" => defs.versions.push(Version {
                id: field(1),
                from: NaiveDate::parse_from_str(field(2), "%Y-%m-%d").ok(),
                ..Version::default()
            }),
            "G" => {
                let v = version(&mut defs)?;
                let title = field(4);
                let info = DrgInfo {
                    mdc: field(2),
                    surgical: field(3) == "S",
                    medical: field(3) == "M",
                    parts: OnceLock::new(),
                    title,
                    base_kind: OnceLock::new(),
                };
                if !put_slot(&mut defs.versions[v].drg_slots, None, field(1), Some(info)) {
                    return Err(bad(what, n, "the DRG is not three digits"));
                }
            }
            "K" => {
                let v = version(&mut defs)?;
                let rank = field(2).parse().map_err(|_| bad(what, n, "bad rank"))?;
                if !put_slot(&mut defs.versions[v].rank_slots, u32::MAX, field(1), rank) {
                    return Err(bad(what, n, "the ranked DRG is not three digits"));
                }
            }
            "" => {}
            other => return Err(bad(what, n, format!("unknown line kind '{other}'"))),
        }
    }
    Ok(defs)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A family name's parts are what `split('&')` gives.
    #[test]
    fn family_parts_split_as_split_does() {
        for family in [
            "",
            "&",
            "&&",
            "871",
            "870&871&872",
            "&871",
            "871&",
            "_MDC04",
            "é&x",
        ] {
            assert_eq!(
                family_parts(family).collect::<Vec<_>>(),
                family.split('&').collect::<Vec<_>>(),
                "{family}"
            );
        }
    }

    /// A logic entry's family, condition and paired code are what `splitn(3, '|')` gives, and
    /// its PDX flag is whether the condition contains "PDX".
    #[test]
    fn a_logic_entry_splits_as_splitn_does() {
        for raw in [
            "",
            "A",
            "A|B",
            "A|B|C",
            "A|B|C|D",
            "A||",
            "|",
            "||",
            "|||",
            "521&522|ORPCS|0SR9019",
            "_MDC04||",
            "193&194&195|PDX|",
            "é|PD|X|PDX",
        ] {
            let e = LogicEntry::parse(raw);
            let mut p = raw.splitn(3, '|');
            let expected = (
                p.next().unwrap_or_default(),
                p.next().unwrap_or_default(),
                p.next(),
            );
            assert_eq!((e.family, e.condition, e.paired), expected, "{raw}");
            assert_eq!(e.pdx, e.condition.contains("PDX"), "{raw}");
        }
    }

    /// The one-scan field splitter gives what `split('\t')` gives, field by field, with ""
    /// past the last field and nothing past the N-th.
    #[test]
    fn tab_fields_split_as_split_does() {
        let lines = [
            "",
            "T",
            "\t",
            "T\t001\tYes\tNo\tPRE\tSURG\tHEART TRANSPLANT\t27.1\t26.9\t29.7\t38.2",
            "G\t001\tPRE\tS\tHEART TRANSPLANT OR IMPLANT OF HEART ASSIST SYSTEM WITH MCC\textra\tmore\t\t",
            "A\t\t\t521&522|ORPCS|0SR9019",
            "#source\tCMS — Définitions, année 2026\t",
            "K\t\t\t\t\t\t\t\t\t\t\t\t\t\t12",
            "\u{e9}\t\u{1F600}\tx",
        ];
        for line in lines {
            let want: Vec<&str> = line.split('\t').collect();
            let got = tab_fields::<11>(line);
            for (k, field) in got.iter().enumerate() {
                assert_eq!(
                    *field,
                    want.get(k).copied().unwrap_or_default(),
                    "{line:?} field {k}"
                );
            }
            assert_eq!(tab_fields::<2>(line)[..], got[..2], "{line:?}");
        }
    }
}
