//! ICD-10-CM importer for the CDC/NCHS tabular XML (`icd10cm-tabular-*.xml`).
//!
//! Keeps chapters, sections (blocks), every `diag` with its name and description, the notes
//! (includes, inclusion terms, Excludes1, Excludes2, code first, code also, use additional code,
//! notes, 7th-character note) and `sevenChrDef` tables. The introduction, section index and the
//! visual-impairment table are skipped. 7th-character expansion happens in the loader.
//!
//! Invariant: entries come out in document order, each `diag` after its parent.

use std::path::Path;

use quick_xml::Reader;
use quick_xml::events::{BytesRef, BytesStart, Event};

use super::{Imported, source_error};
use crate::terminology::asset::tree_entry;
use crate::terminology::codeset::{CodeSetInfo, Entry, EntryKind, SeventhChar};
use crate::terminology::{Note, NoteKind, System, TerminologyError};

/// Parses the tabular XML text. `path` is only used in error messages; `info.year` is taken
/// from the `<version>` element when `info.year` is 0, and `info.label` defaults to
/// "ICD-10-CM FY{year}".
///
/// # Errors
/// [`TerminologyError::Source`] with the line of the first malformed element.
pub fn parse(path: &Path, xml: &str, info: CodeSetInfo) -> Result<Imported, TerminologyError> {
    let mut reader = Reader::from_str(xml);
    let mut entries: Vec<Entry> = Vec::with_capacity(50_000);
    let mut open: Vec<String> = Vec::new(); // element names
    let mut items: Vec<u32> = Vec::new(); // open chapter/section/diag entries
    let mut text = String::new();
    let mut seventh_char: Option<char> = None;
    let mut version_year: Option<u16> = None;
    let line_at = |pos: u64| line_of(xml, pos);
    loop {
        let event = reader.read_event().map_err(|e| {
            source_error(
                path,
                line_at(reader.error_position()),
                format!("not well-formed XML: {e}"),
            )
        })?;
        match event {
            Event::Start(start) => {
                let name = String::from_utf8_lossy(start.name().as_ref()).into_owned();
                let skipping = open.iter().any(|n| is_skipped(n));
                if !skipping {
                    open_element(&start, &name, &mut entries, &mut items, &mut seventh_char);
                }
                text.clear();
                open.push(name);
            }
            ev @ (Event::Text(_) | Event::GeneralRef(_) | Event::CData(_)) => {
                push_text(&ev, &mut text).map_err(|message| {
                    source_error(path, line_at(reader.buffer_position()), message)
                })?;
            }
            Event::End(end) => {
                let name = String::from_utf8_lossy(end.name().as_ref()).into_owned();
                open.pop();
                let skipping = open.iter().any(|n| is_skipped(n)) || is_skipped(&name);
                let value = text.split_whitespace().collect::<Vec<_>>().join(" ");
                let parent_el = open.last().map(String::as_str).unwrap_or_default();
                if name == "version" && open.len() == 1 {
                    version_year = value.parse().ok();
                }
                if !skipping {
                    let pos = reader.buffer_position();
                    handle_end(
                        &name,
                        parent_el,
                        value,
                        &mut entries,
                        &mut items,
                        &mut seventh_char,
                    )
                    .map_err(|m| source_error(path, line_at(pos), m))?;
                }
                text.clear();
            }
            Event::Eof => break,
            Event::Empty(_)
            | Event::Comment(_)
            | Event::Decl(_)
            | Event::PI(_)
            | Event::DocType(_) => {}
        }
    }
    finish(path, info, entries, version_year)
}

/// A chapter, section or diag opens an entry (under the innermost open one); an `extension`
/// names the 7th character its text will describe.
fn open_element(
    start: &BytesStart<'_>,
    name: &str,
    entries: &mut Vec<Entry>,
    items: &mut Vec<u32>,
    seventh_char: &mut Option<char>,
) {
    let parent = items.last().copied();
    let at = u32::try_from(entries.len()).unwrap_or(u32::MAX);
    let (kind, code, parent) = match name {
        "chapter" => (EntryKind::Chapter, String::new(), None),
        "section" => (
            EntryKind::Block,
            attribute(start, "id").unwrap_or_default(),
            parent,
        ),
        "diag" => (EntryKind::Code, String::new(), parent),
        "extension" => {
            *seventh_char = attribute(start, "char").and_then(|v| v.trim().chars().next());
            return;
        }
        _ => return,
    };
    entries.push(tree_entry(System::Icd10Cm, kind, &code, "", parent, at));
    items.push(at);
}

/// An attribute's value, if the element has it.
fn attribute(start: &BytesStart<'_>, name: &str) -> Option<String> {
    start
        .try_get_attribute(name)
        .ok()
        .flatten()
        .map(|a| String::from_utf8_lossy(&a.value).into_owned())
}

/// The character an entity or character reference stands for; `Err` with its name when it is
/// neither a character reference nor one of the five predefined XML entities.
/// The 1-based line of byte position `pos` in `xml`.
pub(crate) fn line_of(xml: &str, pos: u64) -> usize {
    let end = usize::try_from(pos).unwrap_or(usize::MAX).min(xml.len());
    xml.as_bytes()
        .get(..end)
        .map_or(0, |b| b.iter().filter(|c| **c == b'\n').count())
        + 1
}

/// Adds a text, entity or CDATA event's characters to `text`.
///
/// # Errors
/// What is wrong with the text (bad encoding, an unknown entity), for an error at its line.
pub(crate) fn push_text(event: &Event<'_>, text: &mut String) -> Result<(), String> {
    match event {
        Event::Text(t) => {
            let part = t.xml10_content().map_err(|e| format!("bad text: {e}"))?;
            text.push_str(&part);
        }
        Event::GeneralRef(r) => {
            let c = entity_char(r).map_err(|name| format!("unknown entity `&{name};`"))?;
            text.push(c);
        }
        Event::CData(t) => text.push_str(&String::from_utf8_lossy(t)),
        Event::Start(_)
        | Event::End(_)
        | Event::Empty(_)
        | Event::Comment(_)
        | Event::Decl(_)
        | Event::PI(_)
        | Event::DocType(_)
        | Event::Eof => {}
    }
    Ok(())
}

pub(crate) fn entity_char(r: &BytesRef<'_>) -> Result<char, String> {
    let name = r.decode().unwrap_or_default();
    let c = match r.resolve_char_ref() {
        Ok(Some(c)) => Some(c),
        _ => match name.as_ref() {
            "lt" => Some('<'),
            "gt" => Some('>'),
            "amp" => Some('&'),
            "apos" => Some('\''),
            "quot" => Some('"'),
            _ => None,
        },
    };
    c.ok_or_else(|| name.into_owned())
}

/// Checks the parsed entries and fills in the year and label.
fn finish(
    path: &Path,
    mut info: CodeSetInfo,
    entries: Vec<Entry>,
    version_year: Option<u16>,
) -> Result<Imported, TerminologyError> {
    if let Some(bad) = entries.iter().find(|e| e.code.is_empty()) {
        return Err(source_error(
            path,
            0,
            format!(
                "an element (after `{}`) has no <name>; every chapter and diag needs one",
                bad.description
            ),
        ));
    }
    if entries.is_empty() {
        return Err(source_error(
            path,
            0,
            "no <chapter> or <diag> found; is this the ICD-10-CM tabular XML?",
        ));
    }
    if info.year == 0 {
        info.year = version_year
            .ok_or_else(|| source_error(path, 0, "no <version> year in the file; pass --year"))?;
    }
    if info.label.is_empty() {
        info.label = format!("ICD-10-CM FY{}", info.year);
    }
    Ok(Imported {
        system: System::Icd10Cm,
        info,
        entries,
    })
}

fn is_skipped(element: &str) -> bool {
    matches!(
        element,
        "introduction" | "sectionIndex" | "visualImpairment"
    )
}

fn note_kind(container: &str) -> Option<NoteKind> {
    Some(match container {
        "includes" => NoteKind::Includes,
        "inclusionTerm" => NoteKind::InclusionTerm,
        "excludes1" => NoteKind::Excludes1,
        "excludes2" => NoteKind::Excludes2,
        "codeFirst" => NoteKind::CodeFirst,
        "codeAlso" => NoteKind::CodeAlso,
        "useAdditionalCode" => NoteKind::UseAdditionalCode,
        "notes" => NoteKind::Notes,
        "sevenChrNote" => NoteKind::SeventhNote,
        _ => return None,
    })
}

fn handle_end(
    name: &str,
    parent_el: &str,
    value: String,
    entries: &mut [Entry],
    items: &mut Vec<u32>,
    seventh_char: &mut Option<char>,
) -> Result<(), String> {
    let current = items.last().and_then(|i| entries.get_mut(*i as usize));
    match (name, parent_el, current) {
        ("chapter" | "section" | "diag", _, _) => {
            items.pop();
        }
        ("name", "chapter" | "diag", Some(entry)) => {
            entry.code = value;
        }
        ("desc", "chapter" | "section" | "diag", Some(entry)) => entry.description = value,
        ("note", container, Some(entry)) => {
            if let Some(kind) = note_kind(container) {
                match entry.notes.last_mut() {
                    Some(note) if note.kind == kind => note.lines.push(value),
                    _ => entry.notes.push(Note {
                        kind,
                        lines: vec![value],
                    }),
                }
            }
        }
        ("extension", "sevenChrDef", Some(entry)) => {
            let character = seventh_char
                .take()
                .filter(char::is_ascii_alphanumeric)
                .ok_or_else(|| {
                    format!(
                        "an <extension> under {} has no valid char attribute",
                        entry.code
                    )
                })?;
            entry.seventh.push(SeventhChar {
                character: character.to_ascii_uppercase(),
                meaning: value,
            });
        }
        _ => {}
    }
    Ok(())
}
