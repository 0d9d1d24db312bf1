//! The MS-DRG grouper: pure, written from the rules of the CMS ICD-10 MS-DRG Definitions
//! Manual v43 (see `docs/domain/ms-drg.md`): edits, Pre-MDC, MDC by principal diagnosis,
//! surgical hierarchy, medical family, CC/MCC with PDX exclusions (Table 6K), alive-only codes,
//! HAC codes not present on admission, and the split within the DRG family.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use serde::Serialize;

use super::{Definitions, Dx, LogicEntry, Pcs, Version};
use crate::terminology::{self, System};

mod output;

pub(crate) use output::json_plain_len;
pub use output::{Decision, Excluded, Grouping, GroupingOf, Head, Step, Tail};
pub(crate) use severity::{BaseKind, split_title};
use severity::{Severity, severity, split};

/// Sex on the claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Sex {
    /// Male.
    M,
    /// Female.
    F,
    /// Unknown.
    U,
}

/// Present-on-admission indicator of a secondary diagnosis.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Poa {
    /// Present at admission.
    Y,
    /// Not present at admission.
    N,
    /// Documentation insufficient.
    U,
    /// Clinically undetermined.
    W,
    /// Exempt from POA reporting.
    Exempt,
}

impl Poa {
    /// Parses Y, N, U, W or 1 (exempt).
    #[must_use]
    pub fn parse(s: &str) -> Option<Poa> {
        match s.trim().as_bytes() {
            [] | [b'1'] => Some(Poa::Exempt),
            [b'Y' | b'y'] => Some(Poa::Y),
            [b'N' | b'n'] => Some(Poa::N),
            [b'U' | b'u'] => Some(Poa::U),
            [b'W' | b'w'] => Some(Poa::W),
            _ => None,
        }
    }
}

/// Patient discharge status (UB-04 FL 17); only "expired" (20) changes the DRG logic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DischargeStatus(pub u8);

impl DischargeStatus {
    /// True for status 20 (expired).
    #[must_use]
    pub fn expired(self) -> bool {
        self.0 == 20
    }
}

/// The grouper's input.
#[derive(Debug, Clone, PartialEq)]
pub struct Claim {
    /// Principal diagnosis (with or without the dot).
    pub pdx: String,
    /// Secondary diagnoses with their POA indicator (at most 24).
    pub sdx: Vec<(String, Poa)>,
    /// ICD-10-PCS procedures (at most 25, no dots).
    pub pcs: Vec<String>,
    /// Age in years.
    pub age: Option<u8>,
    /// Sex.
    pub sex: Sex,
    /// Discharge status.
    pub discharge: DischargeStatus,
    /// Discharge date (picks the version; the newest version when absent).
    pub discharge_date: Option<NaiveDate>,
}

/// Why a claim cannot be grouped by this grouper.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GroupError {
    /// Input that is not a claim (unknown code, header code, too many codes, …).
    #[error("{0}")]
    Input(String),
    /// The case needs logic the grouper does not implement (named), so no DRG is given.
    #[error("not decided: {0}")]
    Undetermined(String),
    /// The definitions cannot be loaded.
    #[error("{0}")]
    Definitions(String),
}

/// What the grouper looks for in a logic entry's condition text, read once per entry (on its
/// first use, since most entries never meet a claim) instead of searching the text for each
/// claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct EntryTraits {
    /// The condition contains "WITHOUT".
    without: bool,
    /// The condition joins several procedure lists ([`COMPOUND`]).
    compound: bool,
    /// The condition contains "ANY PDX IN MDC " (which MDC is read by [`names_any_pdx_in`]).
    any_pdx: bool,
}

/// The traits of an entry's condition.
fn traits(e: &LogicEntry) -> EntryTraits {
    *e.traits.get_or_init(|| EntryTraits {
        without: e.condition.contains("WITHOUT"),
        compound: COMPOUND.iter().any(|m| e.condition.contains(m)),
        any_pdx: e.condition.contains(ANY_PDX_IN_MDC),
    })
}

/// Whether two DRG family names (or markers) are the same, compared byte by byte in place:
/// the grouper compares them many times a claim, they are short, and two that differ mostly
/// differ in their first bytes, where a call to the library's comparison costs more than the
/// comparison.
#[inline]
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).all(|(x, y)| x == y)
}

/// A code without surrounding white space (a code that starts and ends with a visible ASCII
/// character, as nearly every code does, is taken as it is).
fn trimmed(code: &str) -> &str {
    let b = code.as_bytes();
    if b.first().is_some_and(u8::is_ascii_graphic) && b.last().is_some_and(u8::is_ascii_graphic) {
        code
    } else {
        code.trim()
    }
}

/// Normalizes a code: upper case; the dot is removed for diagnoses.
fn norm_dx(code: &str) -> String {
    let code = trimmed(code);
    let mut out = String::with_capacity(code.len());
    for b in code.bytes() {
        if b.is_ascii() {
            if b != b'.' {
                out.push(char::from(b.to_ascii_uppercase()));
            }
        } else {
            out.clear();
            out.extend(
                code.chars()
                    .filter(|c| *c != '.')
                    .map(|c| c.to_ascii_uppercase()),
            );
            break;
        }
    }
    out
}

/// Checks one diagnosis code against ICD-10-CM: the code must exist and be billable.
/// The longest input taken for a code: ICD-10-CM codes have 3 to 8 characters with the dot,
/// ICD-10-PCS codes 7. Anything longer is refused without echoing it whole.
const MAX_CODE_CHARS: usize = 16;

/// Refuses a value too long to be a code, naming only its start and its length.
fn bounded<'a>(code: &'a str, role: &str) -> Result<&'a str, GroupError> {
    if code.len() <= MAX_CODE_CHARS {
        return Ok(code);
    }
    let chars = code.trim().chars().count();
    if chars <= MAX_CODE_CHARS {
        return Ok(code);
    }
    let start: String = code.trim().chars().take(MAX_CODE_CHARS).collect();
    Err(GroupError::Input(format!(
        "{role} \"{start}…\" ({chars} characters) is not a code: ICD-10-CM codes have 3 to 8 \
         characters, ICD-10-PCS codes 7"
    )))
}

/// A checked diagnosis: its key (no dot, upper case) and its printed (dotted) form. A code the
/// version's definitions list is valid (they list every FY2026 diagnosis code); the ICD-10-CM
/// code set is consulted only for a code they do not list, to accept it or to say why not.
fn check_dx(v: &Version, code: &str, role: &str) -> Result<(String, Option<Dx>), GroupError> {
    let code = bounded(code, role)?;
    let key = norm_dx(code);
    if key.is_empty() {
        return Err(GroupError::Input(format!(
            "{role} is empty: give an ICD-10-CM code such as J18.9"
        )));
    }
    if let Some(d) = v.dx(&key) {
        return Ok((key, Some(d)));
    }
    match terminology::lookup(System::Icd10Cm, &key) {
        Some(e) if e.is_code() && e.billable => Ok((key, None)),
        Some(e) if e.is_code() => Err(GroupError::Input(format!(
            "{role} {code} is a header code ({}), not billable: report one of its subcodes \
             (see `ehr-sim codes show {}`)",
            e.description, e.code
        ))),
        _ => Err(GroupError::Input(format!(
            "{role} {code} is not a billable ICD-10-CM FY2026 code (see `ehr-sim codes show \
             {code}` or `ehr-sim codes search`)"
        ))),
    }
}

fn check_pcs(code: &str) -> Result<String, GroupError> {
    let code = bounded(code, "procedure")?;
    let c = trimmed(code).to_ascii_uppercase();
    if c.contains('.') {
        return Err(GroupError::Input(format!(
            "procedure {code}: ICD-10-PCS codes have no dot; write the 7 characters, e.g. 0SR9019"
        )));
    }
    if c.len() != 7 || !c.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(GroupError::Input(format!(
            "procedure {code}: an ICD-10-PCS code has exactly 7 letters or digits, e.g. 0SR9019"
        )));
    }
    Ok(c)
}

/// A diagnosis code (no dot) as printed: ICD-10-CM puts the dot after the category's three
/// characters.
fn dotted(code: &str) -> String {
    match (code.get(..3), code.get(3..)) {
        (Some(category), Some(rest)) if !rest.is_empty() => {
            let mut out = String::with_capacity(code.len() + 1);
            out.push_str(category);
            out.push('.');
            out.push_str(rest);
            out
        }
        _ => code.to_string(),
    }
}

/// Pre-grouping edits that do not stop grouping (reported only).
fn edits(defs: &Definitions, claim: &Claim, pdx: &str, sdx: &[(String, Poa)]) -> Vec<String> {
    let mut out = Vec::new();
    if defs.is_manifestation(pdx) {
        out.push(format!(
            "manifestation code as principal diagnosis: {} (ICD-10-CM Official Guidelines \
             I.A.13: a manifestation code is never first-listed)",
            dotted(pdx)
        ));
    }
    if matches!(pdx.chars().next(), Some('V' | 'W' | 'X' | 'Y')) {
        out.push(format!(
            "external cause code as principal diagnosis: {} (Medicare Code Editor: E-code as \
             principal diagnosis; ICD-10-CM Official Guidelines I.C.20: external cause codes are \
             never first-listed)",
            dotted(pdx)
        ));
    }
    if let Some(conflict) = claim.age.and_then(|age| age_conflict(pdx, age)) {
        out.push(conflict);
    }
    for (code, _) in sdx {
        if code == pdx {
            out.push(format!(
                "secondary diagnosis {} duplicates the principal diagnosis",
                dotted(code)
            ));
        }
    }
    out
}

/// The Medicare Code Editor age edit on a principal diagnosis (normalized, no dot): a maternity
/// code (chapter 15, O00-O9A) outside ages 9-64 or a perinatal code (chapter 16, P00-P96) at an
/// age other than 0, in words; `None` when the age fits. Shared by the grouper's edits and the
/// claim scrubber (`crate::tasks::claims::scrub`).
#[must_use]
pub(crate) fn age_conflict(pdx: &str, age: u8) -> Option<String> {
    let first = pdx
        .trim()
        .chars()
        .next()
        .unwrap_or(' ')
        .to_ascii_uppercase();
    if first == 'O' && !(9..=64).contains(&age) {
        return Some(format!(
            "age conflict: maternity code {pdx} with age {age} (MCE maternity range 9-64)"
        ));
    }
    if first == 'P' && age != 0 {
        return Some(format!(
            "age conflict: perinatal code {pdx} with age {age} (MCE newborn age 0)"
        ));
    }
    None
}

/// HAC categories implemented (Definitions Manual Appendix I): HAC 04, pressure ulcer stage 3
/// or 4 (L89.--3, L89.--4). Returns the category when the code is a HAC code.
fn hac_category(code: &str) -> Option<&'static str> {
    let stage = code.chars().nth(5);
    if code.starts_with("L89") && code.len() == 6 && matches!(stage, Some('3' | '4')) {
        return Some("HAC 04 (pressure ulcer stage 3 or 4)");
    }
    None
}

/// The most secondary diagnoses a claim holds (the 837I's 24 other diagnosis codes).
const MAX_SDX: usize = 24;
/// The most procedures a claim holds (the 837I's 25 procedure codes).
const MAX_PCS: usize = 25;

/// Adds a step to the path, formatting its detail only when the path is wanted.
macro_rules! note {
    ($ctx:expr, $step:expr, $($detail:tt)+) => {
        if $ctx.explain {
            let detail = format!($($detail)+);
            $ctx.push_step($step, detail);
        }
    };
}

// After `note!`, which it uses.
mod severity;

/// Everything the grouper knows about the claim in one version.
struct Ctx<'a> {
    defs: &'a Definitions,
    v: &'a Version,
    pdx: String,
    sdx: Vec<(String, Poa)>,
    pcs: Vec<String>,
    /// The codes looked up once: the principal, each secondary and each procedure.
    pdx_d: Option<Dx>,
    sdx_d: [Option<Dx>; MAX_SDX],
    pcs_p: [Option<Pcs>; MAX_PCS],
    expired: bool,
    status: u8,
    /// Whether to build the path (its details are formatted only then).
    explain: bool,
    path: Vec<Step>,
}

impl<'a> Ctx<'a> {
    /// The principal diagnosis as printed.
    fn pdx_shown(&self) -> String {
        dotted(&self.pdx)
    }

    fn push_step(&mut self, step: &str, detail: String) {
        self.path.push(Step {
            step: step.to_string(),
            detail,
        });
    }

    /// A diagnosis of the claim as the version knows it: the lookup made once for the claim's
    /// own codes (recognised by their address), a search for any other code.
    fn dx_of(&self, code: &str) -> Option<Dx> {
        let same = |s: &String| std::ptr::eq(s.as_str(), code);
        if same(&self.pdx) {
            return self.pdx_d;
        }
        match self.sdx.iter().position(|(c, _)| same(c)) {
            Some(i) => self.sdx_d.get(i).copied().flatten(),
            None => self.v.dx(code),
        }
    }

    /// A procedure of the claim as the version knows it (as [`Ctx::dx_of`]).
    fn pcs_of(&self, code: &str) -> Option<Pcs> {
        match self.pcs.iter().position(|c| std::ptr::eq(c.as_str(), code)) {
            Some(i) => self.pcs_p.get(i).copied().flatten(),
            None => self.v.pcs(code),
        }
    }

    fn dx_entries(&self, code: &str) -> impl Iterator<Item = &'a LogicEntry> + use<'a> {
        let (defs, v): (&'a Definitions, &'a Version) = (self.defs, self.v);
        self.dx_of(code)
            .into_iter()
            .flat_map(move |d| v.dx_ids(d))
            .filter_map(move |i| defs.entry(i))
    }

    fn pcs_entries(&self, code: &str) -> impl Iterator<Item = &'a LogicEntry> + use<'a> {
        let (defs, v): (&'a Definitions, &'a Version) = (self.defs, self.v);
        self.pcs_of(code)
            .into_iter()
            .flat_map(move |p| v.pcs_ids(p))
            .filter_map(move |i| defs.entry(i))
    }

    fn is_or(&self, code: &str) -> bool {
        self.pcs_of(code).is_some_and(|p| self.v.is_or(p))
    }

    /// Procedures on the claim whose entry for `family` has a condition containing `word`.
    fn pcs_with(&self, family: &str, word: &str) -> Vec<String> {
        self.pcs
            .iter()
            .filter(|p| {
                self.pcs_entries(p)
                    .any(|e| same(e.family, family) && e.condition.contains(word))
            })
            .cloned()
            .collect()
    }

    /// Whether a procedure on the claim has an entry for `family` whose condition contains
    /// `word` (as `pcs_with` being non-empty, without building the list).
    fn pcs_has(&self, family: &str, word: &str) -> bool {
        self.pcs_count(family, word) > 0
    }

    /// Whether a procedure on the claim has an entry for `family` whose condition contains
    /// "WITHOUT" (`pcs_has(family, "WITHOUT")`, from the entries' traits).
    fn pcs_has_without(&self, family: &str) -> bool {
        self.pcs_count_where(family, |e| traits(e).without) > 0
    }

    /// How many procedures on the claim `pcs_with` would list.
    fn pcs_count(&self, family: &str, word: &str) -> usize {
        self.pcs_count_where(family, |e| e.condition.contains(word))
    }

    /// How many procedures on the claim have an entry for `family` that passes `test`.
    fn pcs_count_where(&self, family: &str, test: impl Fn(&LogicEntry) -> bool) -> usize {
        self.pcs
            .iter()
            .filter(|p| {
                self.pcs_entries(p)
                    .any(|e| same(e.family, family) && test(e))
            })
            .count()
    }

    fn pdx_lists(&self, family: &str) -> bool {
        self.dx_entries(&self.pdx)
            .any(|e| e.pdx && same(e.family, family))
    }

    fn sdx_lists(&self, family: &str, word: &str) -> Option<String> {
        self.sdx
            .iter()
            .find(|(c, _)| {
                self.dx_entries(c)
                    .any(|e| same(e.family, family) && e.condition.contains(word))
            })
            .map(|(c, _)| c.clone())
    }

    fn has_mv96(&self) -> bool {
        self.pcs.iter().any(|p| {
            self.pcs_entries(p)
                .any(|e| e.condition.contains("MECHANICAL VENTILATION >96 HOURS"))
        })
    }
}

/// Groups a claim.
///
/// # Errors
/// [`GroupError::Input`] for codes that are not valid input, [`GroupError::Undetermined`]
/// when the case needs logic not implemented here (named in the message).
pub fn group(claim: &Claim) -> Result<Grouping, GroupError> {
    let defs = super::definitions().map_err(|e| GroupError::Definitions(e.to_string()))?;
    group_with(defs, claim)
}

/// Groups a claim with given definitions.
///
/// # Errors
/// As [`group`].
pub fn group_with(defs: &Definitions, claim: &Claim) -> Result<Grouping, GroupError> {
    decide(defs, claim, true).map(Decision::into_grouping)
}

/// Groups a claim into a [`Decision`], with the path when `explain` is set. Without it the
/// path is empty and everything else, excluded codes with their reasons included, is as
/// [`group_with`] gives it: for bulk grouping, where the explanation of each step is not read.
///
/// # Errors
/// As [`group`].
pub fn decide<'a>(
    defs: &'a Definitions,
    claim: &Claim,
    explain: bool,
) -> Result<Decision<'a>, GroupError> {
    if claim.sdx.len() > MAX_SDX {
        return Err(GroupError::Input(format!(
            "{} secondary diagnoses: the claim holds at most {MAX_SDX}",
            claim.sdx.len()
        )));
    }
    if claim.pcs.len() > MAX_PCS {
        return Err(GroupError::Input(format!(
            "{} procedures: the claim holds at most {MAX_PCS}",
            claim.pcs.len()
        )));
    }
    let v = defs
        .version_for(claim.discharge_date)
        .map_err(GroupError::Input)?;
    let (pdx, pdx_d) = check_dx(v, &claim.pdx, "principal diagnosis")?;
    let mut sdx = Vec::with_capacity(claim.sdx.len());
    let mut sdx_d = [None; MAX_SDX];
    for ((code, poa), slot) in claim.sdx.iter().zip(sdx_d.iter_mut()) {
        let (key, d) = check_dx(v, code, "secondary diagnosis")?;
        sdx.push((key, *poa));
        *slot = d;
    }
    let mut pcs = Vec::new();
    let mut pcs_p = [None; MAX_PCS];
    for (code, slot) in claim.pcs.iter().zip(pcs_p.iter_mut()) {
        let p = check_pcs(code)?;
        *slot = v.pcs(&p);
        pcs.push(p);
    }
    let edit_list = edits(defs, claim, &pdx, &sdx);
    let mut ctx = Ctx {
        defs,
        v,
        pdx_d,
        sdx_d,
        pcs_p,
        pdx,
        sdx,
        pcs,
        expired: claim.discharge.expired(),
        status: claim.discharge.0,
        explain,
        path: Vec::new(),
    };
    let when = |d: Option<NaiveDate>| {
        d.map_or("no discharge date given: newest version".to_string(), |d| {
            format!("discharge {d}")
        })
    };
    note!(
        ctx,
        "version",
        "MS-DRG {} ({})",
        v.id,
        when(claim.discharge_date)
    );
    for e in &edit_list {
        note!(ctx, "edit", "{e}");
    }
    let unknown: Vec<String> = ctx
        .pcs
        .iter()
        .filter(|p| {
            ctx.pcs_of(p).is_none()
                && !ctx.defs.other_procedure(p)
                && terminology::lookup(System::Icd10Pcs, p).is_none()
        })
        .cloned()
        .collect();
    if let Some(p) = unknown.first() {
        return Err(GroupError::Input(format!(
            "procedure {p} is not an ICD-10-PCS code known to MS-DRG {} or the PCS code set",
            v.id
        )));
    }
    let family = choose_family(&mut ctx, claim.sex)?;
    let Some(family) = family else {
        return finish(&mut ctx, "999", edit_list, None);
    };
    let severity = severity(&mut ctx, family);
    let drg = split(&mut ctx, family, &severity)?;
    finish(&mut ctx, drg, edit_list, Some(severity))
}

/// Pre-MDC, then MDC, surgical and medical: the DRG family, or `None` for ungroupable (999).
fn choose_family<'a>(ctx: &mut Ctx<'a>, sex: Sex) -> Result<Option<&'a str>, GroupError> {
    if let Some(f) = pre_mdc(ctx) {
        return Ok(Some(f));
    }
    let Some(mdc) = mdc(ctx, sex)? else {
        return Ok(None);
    };
    if let Some(f) = surgical(ctx, mdc)? {
        return Ok(Some(f));
    }
    medical(ctx, mdc).map(Some)
}

fn pre_mdc<'a>(ctx: &mut Ctx<'a>) -> Option<&'a str> {
    let mut candidates: Vec<(u32, &'a str)> = Vec::new();
    for p in &ctx.pcs {
        for e in ctx.pcs_entries(p) {
            let pre = ctx.v.family_first(e).is_some_and(|d| d.mdc.is_empty()) && e.family < "020";
            if pre && !candidates.iter().any(|c| c.1 == e.family) {
                candidates.push((ctx.v.family_rank(e), e.family));
            }
        }
    }
    candidates.sort();
    for (_, family) in candidates {
        let ok = match family {
            "003&004" => pre_mdc_trach(ctx),
            "011&012&013" => {
                let larynx = ctx.pcs_has(family, "LARYNGECTOMY");
                larynx || (ctx.pdx_lists(family) && ctx.pcs_has(family, "TRACHEOSTOMY"))
            }
            "019" => {
                ctx.pcs_has(family, "AND NON-ORPCS")
                    && ctx.pcs_count(family, "AND NON-ORPCS") < ctx.pcs_count(family, "")
            }
            _ => true,
        };
        if ok {
            note!(
                ctx,
                "pre-mdc",
                "{} qualif{} for Pre-MDC DRGs {family} (Pre-MDC is tested before the MDC)",
                ctx.pcs_with(family, "").join(", "),
                if ctx.pcs_count(family, "") == 1 {
                    "ies"
                } else {
                    "y"
                }
            );
            return Some(family);
        }
    }
    None
}

/// DRG 003/004: ECMO; or a tracheostomy with MV >96 hours or with a PDX other than face,
/// mouth and neck.
fn pre_mdc_trach(ctx: &Ctx<'_>) -> bool {
    if ctx.pcs_has("003&004", "ECMO") {
        return true;
    }
    let trach = ctx.pcs_has("003&004", "TRACHEOSTOMY");
    trach && (ctx.has_mv96() || !ctx.pdx_lists("011&012&013"))
}

fn mdc<'a>(ctx: &mut Ctx<'a>, sex: Sex) -> Result<Option<&'a str>, GroupError> {
    // The principal diagnosis's own MDCs, and whether it is also in MDC 25 (HIV).
    // (No principal diagnosis has more than two MDCs of its own in MS-DRG v43.)
    let mut own_buf: [&'a str; 8] = [""; 8];
    let mut n = 0;
    let mut in_mdc25 = false;
    let mut trauma_pdx = false;
    for e in ctx.dx_entries(&ctx.pdx) {
        if let Some(m) = e.family.strip_prefix("_MDC")
            && m.len() == 2
        {
            if m == "25" {
                in_mdc25 = true;
            } else {
                let slot = own_buf.get_mut(n).ok_or_else(|| {
                    GroupError::Undetermined("a principal diagnosis in more than 8 MDCs".into())
                })?;
                *slot = m;
                n += 1;
            }
        }
        trauma_pdx |= e.family == "_MDC24_PDX";
    }
    let own = own_buf.get(..n).unwrap_or_default();
    if own.is_empty() && !in_mdc25 {
        note!(
            ctx,
            "mdc",
            "{} has no MDC in MS-DRG {}: the principal diagnosis cannot be grouped (DRG 999)",
            ctx.pdx_shown(),
            ctx.v.id
        );
        return Ok(None);
    }
    if trauma_pdx {
        let mut sites = BTreeSet::new();
        for code in std::iter::once(&ctx.pdx).chain(ctx.sdx.iter().map(|(c, _)| c)) {
            for e in ctx.dx_entries(code) {
                if e.family.starts_with("_TRAUMA24_SITE_") {
                    sites.insert(e.family);
                }
            }
        }
        if sites.len() >= 2 {
            return Err(GroupError::Undetermined(format!(
                "significant trauma in {} body-site categories: multiple significant trauma \
                 (MDC 24) is not implemented",
                sites.len()
            )));
        }
    }
    let hiv_sdx = ctx
        .sdx
        .iter()
        .filter(|_| in_mdc25)
        .find(|(c, _)| {
            ctx.dx_entries(c)
                .any(|e| e.condition.contains("PSDX OF HIV INFECTION"))
        })
        .map(|(c, _)| c.clone());
    if own.is_empty() || (in_mdc25 && hiv_sdx.is_some()) {
        return Err(GroupError::Undetermined(
            "HIV infection (MDC 25) is not implemented".to_string(),
        ));
    }
    let mut chosen: &'a str = own.first().copied().unwrap_or_default();
    let female = own.contains(&"13");
    if female && own.len() == 2 {
        // Definitions Manual: MDC 12 is the male, MDC 13 the female reproductive system; a PDX
        // listed in both (or in 11 and 13) goes by the patient's sex.
        let other = own.iter().find(|m| **m != "13").copied();
        match (sex, other) {
            (Sex::F, _) => chosen = "13",
            (Sex::M, Some(o)) => chosen = o,
            (Sex::M | Sex::U, _) => {
                return Err(GroupError::Undetermined(format!(
                    "{} belongs to MDC {} by the patient's sex, and the sex is unknown",
                    ctx.pdx_shown(),
                    own.join(" or ")
                )));
            }
        }
        note!(ctx, "mdc", "sex {sex:?} picks MDC {chosen}");
        note!(
            ctx,
            "mdc",
            "principal diagnosis {} → MDC {chosen}",
            ctx.pdx_shown()
        );
        return Ok(Some(chosen));
    }
    if own.iter().any(|m| *m != chosen) {
        return Err(GroupError::Undetermined(format!(
            "{} belongs to several MDCs ({}), chosen by age or sex: not implemented",
            ctx.pdx_shown(),
            own.join(", ")
        )));
    }
    note!(
        ctx,
        "mdc",
        "principal diagnosis {} → MDC {chosen}",
        ctx.pdx_shown()
    );
    Ok(Some(chosen))
}

/// Surgical classes that need a procedure from each of several lists (Definitions Manual
/// logic for "A with B" classes). Each inner list holds alternative condition names; a
/// condition name matches a logic entry whose condition starts with it.
const NEEDS_ALL: &[(&str, &[&[&str]])] = &[
    ("231&232", &[&["CORONARY BYPASS"], &["PTCA"]]),
    (
        "233&234",
        &[
            &["CORONARY BYPASS"],
            &["ABLATION", "CARDIAC CATHETERIZATION", "NON-ORPCS"],
        ],
    ),
    (
        "216&217&218",
        &[&["CARDIAC VALVE"], &["CARDIAC CATHETERIZATION"]],
    ),
    (
        "275",
        &[&["CARDIAC DEFIBRILLATOR"], &["CARDIAC CATHETERIZATION"]],
    ),
    ("323&324", &[&["INTRALUMINAL DEVICE"], &["LITHOTRIPSY"]]),
    (
        "359&360",
        &[&["INTRALUMINAL DEVICE"], &["CORONARY ATHERECTOMY"]],
    ),
    (
        "402",
        &[&["SINGLE LEVEL ANTERIOR"], &["SINGLE LEVEL POSTERIOR"]],
    ),
    (
        "429&430",
        &[&["ANTERIOR CERVICAL"], &["POSTERIOR CERVICAL"]],
    ),
    // Cesarean section with sterilization: the cesarean ("ORPCS") and a sterilization ("AND
    // ORPCS"); without the sterilization the case is 786-788.
    ("783&784&785", &[&["ORPCS"], &["AND ORPCS"]]),
];

/// Conditions that join several procedures in ways this grouper does not evaluate.
const COMPOUND: [&str; 5] = [
    "TO QUALIFY AS BILATERAL",
    "CONDITION",
    "TWO OR MORE",
    "WITH ANY ORPCS EXCEPT",
    "ONE OF THE",
];

/// Classes that need procedures from two or more lists (concomitant valve procedures, left
/// atrial appendage closure with ablation, multiple-level or combined spinal fusions): one
/// procedure never qualifies; several are not evaluated.
const MULTI_PROC: [&str; 4] = ["212", "317", "447&448", "426&427&428"];

/// The cholecystectomy DRGs 411-419 (one family in the definitions).
const CHOLECYSTECTOMY: &str = "411&412&413&414&415&416&417&418&419";

/// DRG 768, vaginal delivery with O.R. procedures except sterilization and/or D&C.
const VAGINAL_DELIVERY_WITH_OR: &str = "768";

/// Classes whose list logic ("with one of the following") is not evaluated.
const UNEVALUATED: [&str; 2] = ["209", "213"];

/// Lower-extremity sites of the bilateral or multiple joint class (461/462).
const JOINT_SITES: [&str; 6] = [
    "RIGHT HIP",
    "LEFT HIP",
    "RIGHT KNEE",
    "LEFT KNEE",
    "RIGHT ANKLE",
    "LEFT ANKLE",
];

fn not_evaluated(family: &str, what: &str) -> GroupError {
    GroupError::Undetermined(format!(
        "surgical class {family} ({what}) is a candidate, and its procedure logic is not \
         evaluated by this grouper"
    ))
}

/// Whether a surgical family's conditions hold for the claim (besides the procedure itself):
/// `Ok(false)` when they do not, `Err` when they involve logic not implemented.
fn family_conditions(ctx: &Ctx<'_>, family: &str, entry: &LogicEntry) -> Result<bool, GroupError> {
    if family == VAGINAL_DELIVERY_WITH_OR {
        // The procedures listed for 768 are its exceptions (sterilization, D&C, perineal
        // repairs…): the class needs an O.R. procedure *not* on the list, which no list names.
        return Err(not_evaluated(
            family,
            "vaginal delivery with an O.R. procedure other than those its list excepts",
        ));
    }
    if entry.condition.starts_with("WITHOUT") {
        return Ok(false);
    }
    if ctx.pcs_has_without(family) {
        return Ok(false);
    }
    if let Some(paired) = entry.paired
        && !ctx.pcs.iter().any(|p| p == paired)
    {
        return Ok(false);
    }
    if ctx.v.dx_families.contains(family) {
        return Ok(ctx.pdx_lists(family) || ctx.sdx_lists(family, "SDX").is_some());
    }
    if let Some((_, groups)) = NEEDS_ALL.iter().find(|(f, _)| same(f, family)) {
        return Ok(groups.iter().all(|alts| {
            ctx.pcs.iter().any(|p| {
                ctx.pcs_entries(p).any(|e| {
                    same(e.family, family) && alts.iter().any(|a| e.condition.starts_with(a))
                })
            })
        }));
    }
    if family == "461&462" {
        let mut sites: Vec<&str> = Vec::new();
        for p in &ctx.pcs {
            for e in ctx.pcs_entries(p).filter(|e| same(e.family, family)) {
                if let Some(site) = JOINT_SITES.iter().find(|s| e.condition.ends_with(*s))
                    && !sites.contains(site)
                {
                    sites.push(site);
                }
            }
        }
        return Ok(sites.len() >= 2);
    }
    if MULTI_PROC.iter().any(|f| same(f, family)) {
        if ctx.pcs_count(family, "") >= 2 {
            return Err(not_evaluated(family, "procedures from several lists"));
        }
        return Ok(false);
    }
    if UNEVALUATED.iter().any(|f| same(f, family)) {
        return Err(not_evaluated(family, "with one of the following"));
    }
    if entry.condition.starts_with("AND ") {
        let others = ctx.pcs.iter().any(|p| {
            ctx.pcs_entries(p)
                .any(|e| same(e.family, family) && !e.condition.starts_with("AND "))
        });
        return Ok(others);
    }
    if traits(entry).compound {
        if ctx.pcs_count(family, "") >= 2 {
            return Err(GroupError::Undetermined(format!(
                "surgical class {family} joins several procedure lists ('{}'), which the \
                 grouper does not evaluate",
                entry.condition.chars().take(80).collect::<String>()
            )));
        }
        return Ok(false);
    }
    Ok(true)
}

fn surgical<'a>(ctx: &mut Ctx<'a>, mdc: &str) -> Result<Option<&'a str>, GroupError> {
    let or: Vec<usize> = (0..ctx.pcs.len())
        .filter(|i| ctx.is_or(&ctx.pcs[*i]))
        .collect();
    let or_list = |ctx: &Ctx<'_>| {
        or.iter()
            .map(|i| ctx.pcs[*i].as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    if or.is_empty() {
        note!(
            ctx,
            "surgical",
            "no O.R. procedure on the claim: medical branch"
        );
        return Ok(None);
    }
    let mut best: Option<(u32, &'a str, usize)> = None;
    let mut pending: Option<(u32, GroupError)> = None;
    let mut seen: Vec<&str> = Vec::new();
    for &i in &or {
        for e in ctx.pcs_entries(&ctx.pcs[i]) {
            let surg = ctx
                .v
                .family_first(e)
                .is_some_and(|d| d.surgical && same(d.mdc, mdc));
            if !surg || seen.iter().any(|f| same(f, e.family)) {
                continue;
            }
            let mut ok = false;
            for q in &ctx.pcs {
                for f in ctx.pcs_entries(q).filter(|f| same(f.family, e.family)) {
                    match family_conditions(ctx, e.family, f) {
                        Ok(true) => ok = true,
                        Ok(false) => {}
                        Err(err) => pending = Some((ctx.v.family_rank(e), err)),
                    }
                }
            }
            seen.push(e.family);
            let r = ctx.v.family_rank(e);
            if ok && best.as_ref().is_none_or(|b| r < b.0) {
                best = Some((r, e.family, i));
            }
        }
    }
    if let Some((rank, err)) = pending
        && best.as_ref().is_none_or(|b| rank < b.0)
    {
        // A compound class the grouper cannot evaluate outranks the class found.
        return Err(err);
    }
    match best {
        Some((_, family, i)) => {
            note!(
                ctx,
                "surgical",
                "O.R. procedure(s) {}; {} puts the case in surgical class {family}, the \
                     highest of MDC {mdc}'s surgical hierarchy among them",
                or_list(ctx),
                ctx.pcs[i]
            );
            Ok(Some(family))
        }
        None => Err(GroupError::Undetermined(format!(
            "O.R. procedure(s) {} are in no surgical class of MDC {mdc}: the case goes to an \
             unrelated O.R. procedure DRG (981-983 extensive or 987-989 non-extensive); the \
             non-extensive list is not in the shipped definitions",
            or_list(ctx)
        ))),
    }
}

fn medical<'a>(ctx: &mut Ctx<'a>, mdc: &str) -> Result<&'a str, GroupError> {
    let is_med = |ctx: &Ctx<'_>, e: &LogicEntry| {
        ctx.v
            .family_first(e)
            .is_some_and(|d| d.medical && same(d.mdc, mdc))
    };
    if mdc == "15" {
        return mdc15(ctx);
    }
    for i in 0..ctx.pcs.len() {
        for e in ctx.pcs_entries(&ctx.pcs[i]) {
            let any_pdx = traits(e).any_pdx && names_any_pdx_in(e.condition, mdc);
            if is_med(ctx, e) && (any_pdx || ctx.pdx_lists(e.family)) {
                let family: &'a str = e.family;
                let p = ctx.pcs[i].clone();
                note!(
                    ctx,
                    "medical",
                    "non-O.R. procedure {p} with this principal diagnosis → medical family {family}"
                );
                return Ok(family);
            }
            // A family that a secondary-diagnosis list restricts (vaginal delivery 805-807: a
            // delivery procedure with an outcome of delivery, Z37.-, as a secondary diagnosis).
            let sdx = if is_med(ctx, e) && ctx.v.dx_families.contains(&e.family) {
                ctx.sdx_lists(e.family, "SDX")
            } else {
                None
            };
            if let Some(sdx) = sdx {
                let family: &'a str = e.family;
                let p = ctx.pcs[i].clone();
                note!(
                    ctx,
                    "medical",
                    "non-O.R. procedure {p} with secondary diagnosis {} → medical family \
                         {family}",
                    dotted(&sdx)
                );
                return Ok(family);
            }
        }
    }
    let families: Vec<&str> = ctx
        .dx_entries(&ctx.pdx)
        .filter(|e| e.pdx && is_med(ctx, e))
        .map(|e| e.family)
        .collect();
    // Of several families, one that a procedure list names (e.g. stroke with a thrombolytic,
    // 061-063) needs that procedure, which the loop above would have found.
    let mut families = families;
    if families.len() > 1 {
        families.retain(|f| !ctx.v.pcs_families.contains(*f));
    }
    if families.is_empty() && mdc == "20" {
        return Ok(mdc20(ctx));
    }
    if families.is_empty() && ctx.pdx_lists("998") {
        note!(
            ctx,
            "medical",
            "principal diagnosis {} without a procedure that groups it is invalid as a \
                 discharge diagnosis (DRG 998): the claim must be corrected",
            ctx.pdx_shown()
        );
        return Ok("998");
    }
    match families.as_slice() {
        [one] => {
            note!(
                ctx,
                "medical",
                "principal diagnosis {} → medical family {one}",
                ctx.pdx_shown()
            );
            Ok(*one)
        }
        [] => Err(GroupError::Undetermined(format!(
            "principal diagnosis {} has no medical DRG family of its own in MDC {mdc}",
            ctx.pdx_shown()
        ))),
        many => Err(GroupError::Undetermined(format!(
            "principal diagnosis {} is listed in several medical families ({}) chosen by other \
             conditions: not implemented",
            ctx.pdx_shown(),
            many.join(", ")
        ))),
    }
}

/// The words of a condition that name every principal diagnosis of an MDC.
const ANY_PDX_IN_MDC: &str = "ANY PDX IN MDC ";

/// Whether a condition reads "ANY PDX IN MDC n" for this MDC ("04"; the condition writes the
/// number without its leading zero, and "MDC 1" is not "MDC 18").
fn names_any_pdx_in(condition: &str, mdc: &str) -> bool {
    let number = mdc.trim_start_matches('0');
    condition.match_indices(ANY_PDX_IN_MDC).any(|(i, m)| {
        condition
            .get(i + m.len()..)
            .and_then(|rest| rest.strip_prefix(number))
            .is_some_and(|after| !after.starts_with(|c: char| c.is_ascii_digit()))
    })
}

/// MDC 15 (newborns): only the normal newborn (795) is decided: a principal diagnosis of its
/// list, no secondary diagnosis or only ones of its list, and neither died nor transferred to
/// acute care (789). Extreme immaturity, prematurity and neonates with major or other
/// significant problems (789-794) are not decided.
fn mdc15(ctx: &mut Ctx<'_>) -> Result<&'static str, GroupError> {
    let normal_pdx = ctx.pdx_lists("795");
    let other = ctx
        .sdx
        .iter()
        .find(|(c, _)| {
            !ctx.dx_entries(c)
                .any(|e| e.family == "795" && e.condition.contains("ONLY SDX"))
        })
        .map(|(c, _)| dotted(c));
    let died_or_transferred = ctx.expired || matches!(ctx.status, 2 | 5 | 66 | 82 | 85 | 94);
    if normal_pdx && other.is_none() && !died_or_transferred {
        note!(
            ctx,
            "medical",
            "MDC 15 principal diagnosis {} with no secondary diagnosis other than those \
                 of the normal newborn list → 795",
            ctx.pdx_shown()
        );
        return Ok("795");
    }
    let why = match (&other, died_or_transferred) {
        (_, true) => "the newborn died or was transferred (789)".to_string(),
        (Some(c), false) => format!("secondary diagnosis {c} is not on the normal newborn list"),
        (None, false) => format!(
            "principal diagnosis {} is not on the normal newborn list",
            ctx.pdx_shown()
        ),
    };
    Err(GroupError::Undetermined(format!(
        "newborn (MDC 15): {why}; DRGs 789-794 are not implemented"
    )))
}

/// MDC 20 (alcohol/drug use): every PDX of the MDC shares 894-897. Left against medical advice
/// (status 07) → 894; rehabilitation therapy (a procedure of the 895 list) → 895; otherwise
/// 896/897 by MCC.
fn mdc20(ctx: &mut Ctx<'_>) -> &'static str {
    let (family, why) = if ctx.status == 7 {
        (
            "894",
            "discharge status 07 (left against medical advice)".to_string(),
        )
    } else if let Some(p) = ctx.pcs_with("895", "").first() {
        ("895", format!("rehabilitation therapy {p}"))
    } else {
        ("896&897", "no rehabilitation therapy".to_string())
    };
    note!(
        ctx,
        "medical",
        "MDC 20 principal diagnosis {}, {why} → {family}",
        ctx.pdx_shown()
    );
    family
}

fn finish<'a>(
    ctx: &mut Ctx<'a>,
    drg: &str,
    edits: Vec<String>,
    sev: Option<Severity>,
) -> Result<Decision<'a>, GroupError> {
    let defs: &'a Definitions = ctx.defs;
    // The CC is shown only without an MCC.
    let (mcc, cc, excluded) = match sev {
        Some(s) if s.mcc.is_some() => (s.mcc, None, s.excluded),
        Some(s) => (None, s.cc, s.excluded),
        None => (None, None, Vec::new()),
    };
    let row = defs
        .table5_row(drg)
        .ok_or_else(|| GroupError::Undetermined(format!("DRG {drg} is not in FY2026 Table 5")))?;
    Ok(Decision {
        version: ctx.v.id,
        drg: row.drg,
        title: row.title,
        mdc: row.mdc,
        kind: row.kind,
        weight: row.weight,
        gmlos: row.gmlos,
        amlos: row.amlos,
        mcc,
        cc,
        excluded,
        edits,
        path: std::mem::take(&mut ctx.path),
    })
}

#[cfg(test)]
mod tests {
    use super::names_any_pdx_in;

    /// "ANY PDX IN MDC n" names its MDC exactly: without the leading zero, and not as the start
    /// of a longer number.
    #[test]
    fn any_pdx_in_mdc_names_one_mdc() {
        let condition = "ANY PDX IN MDC 4 MECHANICAL VENTILATION >96 HOURS";
        assert!(names_any_pdx_in(condition, "04"));
        assert!(!names_any_pdx_in(condition, "05"));
        assert!(names_any_pdx_in("ANY PDX IN MDC 18", "18"));
        assert!(!names_any_pdx_in("ANY PDX IN MDC 18", "01"));
        assert!(names_any_pdx_in("NON-ORPCS OR ANY PDX IN MDC 1", "01"));
        assert!(!names_any_pdx_in("MECHANICAL VENTILATION >96 HOURS", "04"));
    }
}
