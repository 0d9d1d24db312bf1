//! What `ehr-sim codes show` (and an encoder panel) prints for ICD-10-PCS: a code's seven axes
//! with their meanings and the root-operation definition, and a table's browse view (root
//! operation and the valid rows). Text comes as lines, JSON as serializable structs; every part
//! is labelled with the year and source it comes from.
//!
//! Invariant: nothing here loads anything but the shipped tables ([`super::shipped`]) and, for
//! the year comparison, the FY2024 titles; output order is PCS order.

use super::{
    AXES, AxisMeaning, Decomposition, PcsTable, PcsTables, RootOperation, Validity,
    compare_with_titles, shipped,
};

/// The PCS part of `codes show --json` for a code.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CodeView {
    /// The seven characters with their meanings (empty when the section is not shipped).
    pub axes: Vec<AxisMeaning>,
    /// The root operation with its definition, explanation and examples.
    pub root_operation: Option<RootOperation>,
    /// Which tables answered and what they say about the code.
    pub pcs_tables: TablesStatus,
}

/// What the tables say about one code.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TablesStatus {
    /// The tables' label ("ICD-10-PCS FY2025 tables").
    pub label: String,
    /// Their fiscal year.
    pub year: u16,
    /// The code's table prefix, when its section is shipped.
    pub table: Option<String>,
    /// True when a row allows the code; `None` when the section is not shipped.
    pub valid: Option<bool>,
    /// Why the code is not valid, or why there are no axis meanings.
    pub problem: Option<String>,
    /// A note when the FY2024 titles and these tables disagree.
    pub note: Option<String>,
}

/// The tables' view of a code: axes, root operation, validity.
#[must_use]
pub(crate) fn code_view(code: &str) -> CodeView {
    let tables = match shipped() {
        Ok(t) => t,
        Err(e) => {
            return CodeView {
                axes: Vec::new(),
                root_operation: None,
                pcs_tables: TablesStatus {
                    label: String::new(),
                    year: 0,
                    table: None,
                    valid: None,
                    problem: Some(e.to_string()),
                    note: None,
                },
            };
        }
    };
    let status = |table, valid, problem, note| TablesStatus {
        label: tables.info.label.clone(),
        year: tables.info.year,
        table,
        valid,
        problem,
        note,
    };
    match tables.decompose(code) {
        Ok(d) => {
            let note = compare_with_titles(tables, &d).note;
            let valid = d.validity == Validity::Valid;
            CodeView {
                pcs_tables: status(Some(d.table.clone()), Some(valid), d.problem.clone(), note),
                axes: d.axes,
                root_operation: d.root_operation,
            }
        }
        Err(e) => CodeView {
            axes: Vec::new(),
            root_operation: None,
            pcs_tables: status(None, None, Some(e.to_string()), None),
        },
    }
}

/// The lines printed after a PCS code's title: the axes, the root operation and approach
/// definitions, the validity in the tables and any year note.
#[must_use]
pub(crate) fn code_lines(code: &str) -> Vec<String> {
    let tables = match shipped() {
        Ok(t) => t,
        Err(e) => return vec![format!("Axes: the ICD-10-PCS tables cannot be loaded: {e}")],
    };
    match tables.decompose(code) {
        Ok(d) => decomposition_lines(tables, &d),
        Err(e) => vec![format!("Axes: {e}.")],
    }
}

fn decomposition_lines(tables: &PcsTables, d: &Decomposition) -> Vec<String> {
    let label = &tables.info.label;
    let year = tables.info.year;
    let mut lines = vec![format!("Axes, from the {label}:")];
    for a in &d.axes {
        let meaning = a
            .meaning
            .clone()
            .unwrap_or_else(|| format!("(not a value of table {})", d.table));
        lines.push(format!(
            "  {} {:<15} {}  {meaning}",
            a.position, a.label, a.character
        ));
    }
    if let Some(r) = &d.root_operation {
        lines.extend(root_operation_lines(r, year));
    }
    if let Some(approach) = d.axes.get(4).filter(|a| a.definition.is_some()) {
        lines.push(format!(
            "Approach {} {} (FY{year} definition): {}",
            approach.character,
            approach.meaning.as_deref().unwrap_or(""),
            approach.definition.as_deref().unwrap_or("")
        ));
    }
    match &d.problem {
        None => lines.push(format!("Table {} (FY{year}): valid combination", d.table)),
        Some(p) => lines.push(format!("Table {} (FY{year}): NOT valid: {p}", d.table)),
    }
    if let Some(note) = compare_with_titles(tables, d).note {
        lines.push(format!("Note: {note}"));
    }
    lines
}

fn root_operation_lines(r: &RootOperation, year: u16) -> Vec<String> {
    let mut lines = vec![format!(
        "Root operation {} {} (FY{year} definition): {}",
        r.character, r.name, r.definition
    )];
    if let Some(e) = &r.explanation {
        lines.push(format!("  Explanation: {e}"));
    }
    if let Some(e) = &r.examples {
        lines.push(format!("  Examples: {e}"));
    }
    lines
}

/// One value in a table view.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ValueView {
    /// The character.
    pub character: char,
    /// Its meaning in the table.
    pub meaning: String,
}

/// One row in a table view.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RowView {
    /// Body parts (axis 4).
    pub body_parts: Vec<ValueView>,
    /// Approaches (axis 5).
    pub approaches: Vec<ValueView>,
    /// Devices (axis 6).
    pub devices: Vec<ValueView>,
    /// Qualifiers (axis 7).
    pub qualifiers: Vec<ValueView>,
    /// How many codes the row allows.
    pub code_count: usize,
}

/// A table's browse view (`codes show 0DT --json`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TableView {
    /// The prefix ("0DT").
    pub table: String,
    /// The tables' label.
    pub code_set: String,
    /// Section, body system and root operation with their meanings.
    pub axes: Vec<AxisMeaning>,
    /// The root operation with its definition.
    pub root_operation: Option<RootOperation>,
    /// How many valid codes the table holds.
    pub code_count: usize,
    /// The rows.
    pub rows: Vec<RowView>,
}

/// Builds the browse view of a table.
#[must_use]
pub(crate) fn table_view(tables: &PcsTables, table: &PcsTable) -> TableView {
    let head: Vec<char> = table.prefix.chars().collect();
    let (axes, root_operation) = match head.as_slice() {
        [s, b, r] => (
            tables.head_axes([*s, *b, *r]),
            tables.root_operations.get(&(*s, *r)).cloned(),
        ),
        _ => (Vec::new(), None),
    };
    let values = |position: usize, chars: &[char]| -> Vec<ValueView> {
        chars
            .iter()
            .map(|c| ValueView {
                character: *c,
                meaning: table.meaning(position, *c).unwrap_or_default().to_string(),
            })
            .collect()
    };
    TableView {
        table: table.prefix.clone(),
        code_set: tables.info.label.clone(),
        axes,
        root_operation,
        code_count: table.code_count(),
        rows: table
            .rows
            .iter()
            .map(|r| RowView {
                body_parts: values(4, &r.body_parts),
                approaches: values(5, &r.approaches),
                devices: values(6, &r.devices),
                qualifiers: values(7, &r.qualifiers),
                code_count: r.code_count(),
            })
            .collect(),
    }
}

/// The lines of a table's browse view.
#[must_use]
pub(crate) fn table_lines(tables: &PcsTables, view: &TableView) -> Vec<String> {
    let year = tables.info.year;
    let names: Vec<&str> = view
        .axes
        .iter()
        .map(|a| a.meaning.as_deref().unwrap_or("?"))
        .collect();
    let mut lines = vec![
        format!("{}  {}", view.table, names.join(" / ")),
        format!("Code set: {}", view.code_set),
    ];
    if let Some(r) = &view.root_operation {
        lines.extend(root_operation_lines(r, year));
    }
    lines.push(format!(
        "Valid codes: {} in {} row(s)",
        view.code_count,
        view.rows.len()
    ));
    for (n, row) in view.rows.iter().enumerate() {
        lines.push(format!("Row {} ({} codes)", n + 1, row.code_count));
        let axes = [
            &row.body_parts,
            &row.approaches,
            &row.devices,
            &row.qualifiers,
        ];
        for (position, values) in (4..=7).zip(axes) {
            let label = AXES.get(position - 1).map_or("", |a| a.1);
            lines.push(format!("  {label} ({position}):"));
            for v in values {
                lines.push(format!("    {}  {}", v.character, v.meaning));
            }
        }
    }
    lines
}
