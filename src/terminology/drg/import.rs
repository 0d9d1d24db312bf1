//! Importer of the MS-DRG v43 definitions: the CMS logic lists as distributed in machine-readable
//! form (one JSON snapshot per grouper version: diagnosis and procedure logic lists, CC/MCC
//! list with PDX-exclusion collections, DRG titles, surgical hierarchy) and the FY2026 final
//! rule Table 5 (tab-separated text). Only data are read; the grouping logic is this program's
//! own ([`super::group`]).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;
use std::path::Path;

use serde_json::Value;

use super::MAGIC_LINE;
use crate::terminology::import::{decode_text, read_source};
use crate::terminology::{self, NoteKind, System, TerminologyError, asset};

/// One version's source: its id ("v43.0"), first discharge date, JSON path.
#[derive(Debug, Clone)]
pub struct VersionSource<'a> {
    /// "v43.0".
    pub id: &'a str,
    /// "2025-10-01".
    pub from: &'a str,
    /// The decompressed JSON snapshot.
    pub path: &'a Path,
}

fn src_err(path: &Path, message: impl Into<String>) -> TerminologyError {
    TerminologyError::Source {
        path: path.to_path_buf(),
        line: 0,
        message: message.into(),
    }
}

fn clean(s: &str) -> String {
    s.replace(['\t', '\n', '\r'], " ").trim().to_string()
}

/// Reads Table 5 rows: lines whose first field is a three-digit MS-DRG.
fn table5(path: &Path, text: &str, out: &mut String) -> Result<usize, TerminologyError> {
    let mut rows = 0;
    for line in text.lines() {
        let f: Vec<String> = line
            .split('\t')
            .map(|x| clean(x).trim_matches('"').trim().to_string())
            .collect();
        let Some(drg) = f.first() else { continue };
        if drg.len() != 3 || !drg.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        if f.len() < 10 {
            return Err(src_err(
                path,
                format!("Table 5 row {drg} has fewer than 10 fields"),
            ));
        }
        out.push('T');
        for field in f.iter().take(10) {
            out.push('\t');
            out.push_str(field);
        }
        out.push('\n');
        rows += 1;
    }
    if rows == 0 {
        return Err(src_err(
            path,
            "no Table 5 rows (expected lines starting with a 3-digit MS-DRG)",
        ));
    }
    Ok(rows)
}

fn obj<'a>(
    path: &Path,
    root: &'a Value,
    key: &str,
) -> Result<&'a serde_json::Map<String, Value>, TerminologyError> {
    root.get(key)
        .and_then(Value::as_object)
        .ok_or_else(|| src_err(path, format!("missing object '{key}'")))
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| a.iter().filter_map(Value::as_str).map(clean).collect())
        .unwrap_or_default()
}

/// Interns logic entry strings: id by text, in first-seen order.
#[derive(Default)]
struct Interner {
    ids: HashMap<String, u32>,
    texts: Vec<String>,
}

impl Interner {
    fn id(&mut self, text: &str) -> u32 {
        if let Some(id) = self.ids.get(text) {
            return *id;
        }
        let id = u32::try_from(self.texts.len()).unwrap_or(u32::MAX);
        self.ids.insert(text.to_string(), id);
        self.texts.push(text.to_string());
        id
    }

    fn list(&mut self, items: &[String]) -> String {
        items
            .iter()
            .map(|s| self.id(s).to_string())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

fn version_text(
    source: &VersionSource<'_>,
    root: &Value,
    interner: &mut Interner,
) -> Result<String, TerminologyError> {
    let path = source.path;
    let mut out = format!("V\t{}\t{}\n", source.id, source.from);
    for (drg, info) in obj(path, root, "drgmap")? {
        let kind = if info.get("is_surgical").and_then(Value::as_bool) == Some(true) {
            "S"
        } else if info.get("is_medical").and_then(Value::as_bool) == Some(true) {
            "M"
        } else {
            "-"
        };
        let mdc = info.get("mdc").and_then(Value::as_str).unwrap_or_default();
        let desc = info.get("desc").and_then(Value::as_str).unwrap_or_default();
        let _ = writeln!(out, "G\t{drg}\t{}\t{kind}\t{}", clean(mdc), clean(desc));
    }
    let ranks: BTreeMap<String, u64> = obj(path, root, "surgical_rank")?
        .iter()
        .filter_map(|(k, v)| Some((format!("{k:0>3}"), v.as_u64()?)))
        .collect();
    for (drg, rank) in ranks {
        let _ = writeln!(out, "K\t{drg}\t{rank}");
    }
    for (code, list) in obj(path, root, "dxmap")? {
        let ids = interner.list(&strings(list));
        let _ = writeln!(out, "D\t{code}\t{ids}");
    }
    let or = obj(path, root, "orpcsmap")?;
    for (code, list) in obj(path, root, "prmap")? {
        let ids = interner.list(&strings(list));
        let is_or = u8::from(or.contains_key(code));
        let _ = writeln!(out, "P\t{code}\t{is_or}\t{ids}");
    }
    for (code, info) in obj(path, root, "ccmap")? {
        let level = info
            .get("level")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let coll = info.get("pdx").and_then(Value::as_str).unwrap_or_default();
        let alive = u8::from(info.get("aowa").and_then(Value::as_bool) == Some(true));
        if level != "CC" && level != "MCC" {
            return Err(src_err(path, format!("ccmap {code}: level '{level}'")));
        }
        let _ = writeln!(out, "C\t{code}\t{level}\t{}\t{alive}", clean(coll));
    }
    for (kind, key) in [("X", "exmap"), ("E", "drg_exclusions")] {
        for (id, list) in obj(path, root, key)? {
            let _ = writeln!(out, "{kind}\t{id}\t{}", strings(list).join(" "));
        }
    }
    Ok(out)
}

/// The diagnoses that are manifestation codes in the embedded ICD-10-CM code set: "in diseases
/// classified elsewhere" in the title and a code-first note (own or inherited). The grouper
/// reports them as a principal diagnosis (ICD-10-CM Official Guidelines I.A.13) without loading
/// the code set.
fn manifestations(diagnoses: &BTreeSet<String>) -> Vec<String> {
    diagnoses
        .iter()
        .filter(|code| {
            terminology::lookup(System::Icd10Cm, code).is_some_and(|e| {
                e.description.contains("in diseases classified elsewhere")
                    && e.notes_with_inherited()
                        .iter()
                        .any(|n| n.note.kind == NoteKind::CodeFirst)
            })
        })
        .cloned()
        .collect()
}

/// The ICD-10-PCS codes of the embedded code set that no version's procedure list names: valid
/// procedures that do not affect the DRG. With them the grouper tells a valid code from an
/// invalid one without loading the code set.
fn other_procedures(listed: &BTreeSet<String>) -> Vec<String> {
    let Some(set) = terminology::code_set(System::Icd10Pcs) else {
        return Vec::new();
    };
    let mut codes: Vec<String> = set
        .entries
        .iter()
        .filter(|e| e.is_code() && e.billable && e.code.len() == 7)
        .filter(|e| !listed.contains(&e.code))
        .map(|e| e.code.clone())
        .collect();
    codes.sort();
    codes.dedup();
    codes
}

/// Imports the versions and Table 5 and returns the asset text.
///
/// # Errors
/// [`TerminologyError`] naming the file when a source cannot be read or is not the expected
/// format.
pub fn import_text(
    versions: &[VersionSource<'_>],
    table5_path: &Path,
    label: &str,
) -> Result<String, TerminologyError> {
    let mut out = format!("{MAGIC_LINE}\n#label\t{}\n", clean(label));
    let mut body = String::new();
    let mut interner = Interner::default();
    let mut sources = Vec::new();
    let mut diagnoses = BTreeSet::new();
    let mut procedures = BTreeSet::new();
    for v in versions {
        let (bytes, sha) = read_source(v.path)?;
        let root: Value = serde_json::from_slice(&bytes)
            .map_err(|e| src_err(v.path, format!("not JSON: {e}")))?;
        diagnoses.extend(obj(v.path, &root, "dxmap")?.keys().cloned());
        procedures.extend(obj(v.path, &root, "prmap")?.keys().cloned());
        body.push_str(&version_text(v, &root, &mut interner)?);
        sources.push(format!("{} {sha}", v.id));
    }
    let (bytes, sha) = read_source(table5_path)?;
    sources.push(format!("table5 {sha}"));
    let _ = writeln!(out, "#sha256\t{}", sources.join("; "));
    let _ = writeln!(out, "M\t{}", manifestations(&diagnoses).join(" "));
    let _ = writeln!(out, "Q\t{}", other_procedures(&procedures).join(" "));
    table5(table5_path, &decode_text(&bytes), &mut out)?;
    for (id, text) in interner.texts.iter().enumerate() {
        let _ = writeln!(out, "A\t{id}\t{text}");
    }
    out.push_str(&body);
    Ok(out)
}

/// [`import_text`] compressed as the embedded asset.
///
/// # Errors
/// As [`import_text`].
pub fn import_bytes(
    versions: &[VersionSource<'_>],
    table5_path: &Path,
    label: &str,
) -> Result<Vec<u8>, TerminologyError> {
    Ok(asset::compress(&import_text(versions, table5_path, label)?))
}
