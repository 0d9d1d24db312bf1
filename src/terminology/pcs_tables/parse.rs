//! Reads the PCS tables asset text (line format in [`crate::terminology::import::pcs_tables`])
//! into [`PcsTables`].
//!
//! Invariants checked while reading: every table's section, body system and root operation are
//! defined above it; every character a row names has a meaning in its table; value lines are
//! sorted and unique; row fields are sorted, non-empty lists of PCS characters. The first
//! problem is reported with its 1-based line number.

use super::{
    ApproachDefinition, AxisValue, MAGIC_LINE, PcsRow, PcsTable, PcsTables, PcsTablesError,
    RootOperation,
};
use crate::terminology::syntax::is_pcs_char;

pub(super) fn asset_error(what: &str, line: usize, message: String) -> PcsTablesError {
    PcsTablesError::Asset {
        what: what.to_string(),
        line,
        message,
    }
}

fn one_char(field: &str) -> Option<char> {
    let mut chars = field.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) if is_pcs_char(c) => Some(c),
        _ => None,
    }
}

fn char_list(field: &str) -> Option<Vec<char>> {
    let list: Vec<char> = field.chars().collect();
    let sorted = list.windows(2).all(|w| matches!(w, [a, b] if a < b));
    (!list.is_empty() && sorted && list.iter().all(|c| is_pcs_char(*c))).then_some(list)
}

fn optional(text: &str) -> Option<String> {
    (!text.is_empty()).then(|| text.to_string())
}

/// Parses asset text (format in [`crate::terminology::import::pcs_tables`]).
///
/// # Errors
/// [`PcsTablesError::Asset`] with the 1-based line of the first malformed line.
pub fn parse_text(what: &str, text: &str) -> Result<PcsTables, PcsTablesError> {
    let mut lines = text.lines().enumerate();
    match lines.next() {
        Some((_, first)) if first == MAGIC_LINE => {}
        _ => {
            return Err(asset_error(
                what,
                1,
                "expected the header `EHRSIM-PCS-TABLES\\t1`; regenerate the file with `ehr-sim codes import pcs-tables`".to_string(),
            ));
        }
    }
    let mut tables = PcsTables::default();
    let mut current: Option<PcsTable> = None;
    let mut current_line = 0;
    for (n, line) in lines {
        let line_no = n + 1;
        let bad = |message: String| asset_error(what, line_no, message);
        let fields: Vec<&str> = line.split('\t').collect();
        match fields.as_slice() {
            [""] => {}
            ["#year", y] => {
                tables.info.year = y
                    .parse()
                    .map_err(|_| bad(format!("year `{y}` is not a number")))?;
            }
            ["#label", v] => tables.info.label = (*v).to_string(),
            ["#source", v] => tables.info.source = (*v).to_string(),
            ["#sha256", v] => tables.info.source_sha256 = (*v).to_string(),
            ["S", s, title] => {
                let s = one_char(s)
                    .ok_or_else(|| bad(format!("section `{s}` is not one PCS character")))?;
                tables.sections.insert(s, (*title).to_string());
            }
            ["Y", s, c, title] => {
                let key = (one_char(s), one_char(c));
                let (Some(s), Some(c)) = key else {
                    return Err(bad("a body system needs a section and a character".into()));
                };
                tables.body_systems.insert((s, c), (*title).to_string());
            }
            ["O", s, c, name, definition, explanation, examples] => {
                let (Some(s), Some(c)) = (one_char(s), one_char(c)) else {
                    return Err(bad(
                        "a root operation needs a section and a character".into()
                    ));
                };
                tables.root_operations.insert(
                    (s, c),
                    RootOperation {
                        section: s,
                        character: c,
                        name: (*name).to_string(),
                        definition: (*definition).to_string(),
                        explanation: optional(explanation),
                        examples: optional(examples),
                    },
                );
            }
            ["A", s, c, name, definition] => {
                let (Some(s), Some(c)) = (one_char(s), one_char(c)) else {
                    return Err(bad("an approach needs a section and a character".into()));
                };
                tables.approaches.insert(
                    (s, c),
                    ApproachDefinition {
                        section: s,
                        character: c,
                        name: (*name).to_string(),
                        definition: (*definition).to_string(),
                    },
                );
            }
            ["T", prefix] => {
                if let Some(done) = current.take() {
                    finish_table(what, current_line, &mut tables, done)?;
                }
                if prefix.len() != 3 || !prefix.chars().all(is_pcs_char) {
                    return Err(bad(format!("table `{prefix}` is not three PCS characters")));
                }
                current = Some(PcsTable {
                    prefix: (*prefix).to_string(),
                    ..PcsTable::default()
                });
                current_line = line_no;
            }
            ["V", position, c, meaning] => {
                let table = current
                    .as_mut()
                    .ok_or_else(|| bad("a value line comes before any table".into()))?;
                let c = one_char(c)
                    .ok_or_else(|| bad(format!("value `{c}` is not one PCS character")))?;
                let slot = position
                    .parse::<usize>()
                    .ok()
                    .and_then(|p| p.checked_sub(4))
                    .and_then(|i| table.values.get_mut(i))
                    .ok_or_else(|| bad(format!("axis `{position}` must be 4, 5, 6 or 7")))?;
                if slot.last().is_some_and(|v| v.character >= c) {
                    return Err(bad(format!(
                        "value {c} of axis {position} is out of order or repeated"
                    )));
                }
                slot.push(AxisValue {
                    character: c,
                    meaning: (*meaning).to_string(),
                });
            }
            ["R", b, a, d, q] => {
                let table = current
                    .as_mut()
                    .ok_or_else(|| bad("a row line comes before any table".into()))?;
                let (Some(b), Some(a), Some(d), Some(q)) =
                    (char_list(b), char_list(a), char_list(d), char_list(q))
                else {
                    return Err(bad(
                        "a row needs four non-empty lists of PCS characters in order".into(),
                    ));
                };
                let row = PcsRow {
                    body_parts: b,
                    approaches: a,
                    devices: d,
                    qualifiers: q,
                };
                if let Some((p, c)) = (4..=7).find_map(|p| {
                    row.axis(p)
                        .iter()
                        .find(|c| table.meaning(p, **c).is_none())
                        .map(|c| (p, *c))
                }) {
                    return Err(bad(format!(
                        "row names {c} on axis {p}, which table {} gives no meaning",
                        table.prefix
                    )));
                }
                table.rows.push(row);
            }
            _ => {
                let shown: String = line.chars().take(60).collect();
                return Err(bad(format!(
                    "cannot read `{shown}`: expected an S, Y, O, A, T, V, R or #header line"
                )));
            }
        }
    }
    if let Some(done) = current.take() {
        finish_table(what, current_line, &mut tables, done)?;
    }
    Ok(tables)
}

fn finish_table(
    what: &str,
    line: usize,
    tables: &mut PcsTables,
    mut table: PcsTable,
) -> Result<(), PcsTablesError> {
    let head: Vec<char> = table.prefix.chars().collect();
    let [s, b, r] = head.as_slice() else {
        return Err(asset_error(
            what,
            line,
            "a table prefix has three characters".into(),
        ));
    };
    if !tables.sections.contains_key(s)
        || !tables.body_systems.contains_key(&(*s, *b))
        || !tables.root_operations.contains_key(&(*s, *r))
    {
        return Err(asset_error(
            what,
            line,
            format!(
                "table {} needs its section, body system and root operation defined above it",
                table.prefix
            ),
        ));
    }
    if table.rows.is_empty() {
        return Err(asset_error(
            what,
            line,
            format!("table {} has no rows", table.prefix),
        ));
    }
    table.rows.sort();
    if tables.tables.insert(table.prefix.clone(), table).is_some() {
        return Err(asset_error(what, line, "a table appears twice".into()));
    }
    Ok(())
}
