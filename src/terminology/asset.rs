//! The compact asset format the importers write and the program embeds: UTF-8 text, one item a
//! line, tab-separated, compressed (LZ4 block behind a small header; zlib for files from earlier versions).
//!
//! ```text
//! (→ stands for a tab)
//! EHRSIM-TERMINOLOGY→1→icd10cm          magic, format version, system
//! #year→2026                              header lines: year, label, source, sha256
//! C→4→Endocrine, nutritional …           chapter (starts a new chapter)
//! B→E08-E13→Diabetes mellitus (E08-E13)  block (inside the current chapter)
//! D→1→E11→Type 2 diabetes mellitus       code at depth 1 (category) … depth n
//! N→excludes1→type 1 diabetes (E10.-)    one note line on the item above
//! 7→A→initial encounter                  one 7th-character value on the item above
//! ```
//!
//! Invariants: the tree is written in tabular order, so a code's parent is the nearest code
//! above it with depth one less (depth 1 codes hang under the current block or chapter; with no
//! chapter they are top level, as in the flat PCS/HCPCS/CPT sets). Text fields never contain a
//! tab or a newline (the writer replaces them with spaces). 7th-character expansions are not
//! written: the loader derives them while reading (right after each leaf code), so the file
//! is a faithful copy of the source tree.

use super::codeset::{CodeSet, CodeSetInfo, Entry, EntryKind, SeventhChar, expand_if_leaf};
use super::{Note, NoteKind, System, TerminologyError};

const MAGIC: &str = "EHRSIM-TERMINOLOGY";
const FORMAT_VERSION: &str = "1";
/// Largest decompressed asset accepted (guards against a corrupt or hostile file).
const MAX_TEXT_BYTES: usize = 256 * 1024 * 1024;

/// Writes a tree (entries linked by `parent`, in tabular order, no 7th-character expansions)
/// as asset text.
#[must_use]
pub(crate) fn write_text(system: System, info: &CodeSetInfo, entries: &[Entry]) -> String {
    let mut out = String::with_capacity(entries.len() * 96);
    out.push_str(&format!("{MAGIC}\t{FORMAT_VERSION}\t{}\n", system.id()));
    out.push_str(&format!("#year\t{}\n", info.year));
    out.push_str(&format!("#label\t{}\n", clean(&info.label)));
    out.push_str(&format!("#source\t{}\n", clean(&info.source)));
    out.push_str(&format!("#sha256\t{}\n", clean(&info.source_sha256)));
    let mut depth: Vec<u32> = Vec::with_capacity(entries.len());
    for entry in entries {
        let d = match (entry.kind, entry.parent) {
            (EntryKind::Code, Some(p)) => match entries.get(p as usize) {
                Some(parent) if parent.kind == EntryKind::Code => {
                    depth.get(p as usize).copied().unwrap_or(0) + 1
                }
                _ => 1,
            },
            _ => 1,
        };
        depth.push(d);
        match entry.kind {
            EntryKind::Chapter => {
                out.push_str(&format!(
                    "C\t{}\t{}\n",
                    clean(&entry.code),
                    clean(&entry.description)
                ));
            }
            EntryKind::Block => {
                out.push_str(&format!(
                    "B\t{}\t{}\n",
                    clean(&entry.code),
                    clean(&entry.description)
                ));
            }
            EntryKind::Code | EntryKind::Expanded => {
                out.push_str(&format!(
                    "D\t{d}\t{}\t{}\n",
                    clean(&entry.code),
                    clean(&entry.description)
                ));
            }
        }
        for note in &entry.notes {
            for line in &note.lines {
                out.push_str(&format!("N\t{}\t{}\n", note.kind.id(), clean(line)));
            }
        }
        for seventh in &entry.seventh {
            out.push_str(&format!(
                "7\t{}\t{}\n",
                seventh.character,
                clean(&seventh.meaning)
            ));
        }
    }
    out
}

/// First bytes of an LZ4-compressed asset: this magic, then the text's length (u32, little
/// endian), then one LZ4 block.
const LZ4_MAGIC: &[u8; 8] = b"EHRT-LZ4";

/// Compresses asset text: an LZ4 block behind [`LZ4_MAGIC`] and the text's length. LZ4 is
/// chosen over zlib for start-up: the full ICD-10-CM text (4.5 MB) decompresses in about a
/// millisecond instead of about fifteen, for about 40% more bytes embedded.
#[must_use]
pub(crate) fn compress(text: &str) -> Vec<u8> {
    let block = lz4_flex::block::compress(text.as_bytes());
    let mut out = Vec::with_capacity(LZ4_MAGIC.len() + 4 + block.len());
    out.extend_from_slice(LZ4_MAGIC);
    out.extend_from_slice(&u32::try_from(text.len()).unwrap_or(u32::MAX).to_le_bytes());
    out.extend_from_slice(&block);
    out
}

/// Decompresses and parses an asset: the LZ4 format [`compress`] writes, or the zlib format of
/// assets written by earlier versions (user-imported HCPCS or CPT files stay readable).
///
/// # Errors
/// [`TerminologyError::Asset`] naming `what` (the file) and the line when the data is not a
/// valid asset.
pub fn load(what: &str, bytes: &[u8]) -> Result<CodeSet, TerminologyError> {
    let text = decompress(what, bytes)?;
    parse_text(what, &text)
}

/// The text of a compressed asset (LZ4 as [`compress`] writes it, or the zlib of earlier
/// versions), for every terminology asset format.
///
/// # Errors
/// [`TerminologyError::Asset`] naming `what` when the data is damaged or not UTF-8.
pub(crate) fn decompress(what: &str, bytes: &[u8]) -> Result<String, TerminologyError> {
    let raw = match bytes.strip_prefix(LZ4_MAGIC.as_slice()) {
        Some(rest) => decompress_lz4(what, rest)?,
        None => miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(bytes, MAX_TEXT_BYTES)
            .map_err(|e| {
                asset_error(
                    what,
                    0,
                    format!(
                        "not a compressed asset ({e:?}); regenerate it with `ehr-sim codes import`"
                    ),
                )
            })?,
    };
    String::from_utf8(raw).map_err(|e| asset_error(what, 0, format!("not UTF-8 text: {e}")))
}

fn decompress_lz4(what: &str, rest: &[u8]) -> Result<Vec<u8>, TerminologyError> {
    let (Some(length), Some(block)) = (rest.get(..4), rest.get(4..)) else {
        return Err(asset_error(
            what,
            0,
            "the file ends inside its header; regenerate it with `ehr-sim codes import`"
                .to_string(),
        ));
    };
    let mut le = [0u8; 4];
    le.copy_from_slice(length);
    let length = u32::from_le_bytes(le) as usize;
    if length > MAX_TEXT_BYTES {
        return Err(asset_error(
            what,
            0,
            format!(
                "the header claims {length} bytes of text, more than any code set; the file is damaged"
            ),
        ));
    }
    lz4_flex::block::decompress(block, length).map_err(|e| {
        asset_error(
            what,
            0,
            format!(
                "the compressed data is damaged ({e}); regenerate it with `ehr-sim codes import`"
            ),
        )
    })
}

fn asset_error(what: &str, line: usize, message: String) -> TerminologyError {
    TerminologyError::Asset {
        what: what.to_string(),
        line,
        message,
    }
}

/// Parses asset text into a code set.
///
/// # Errors
/// [`TerminologyError::Asset`] with the 1-based line number of the first malformed line.
pub fn parse_text(what: &str, text: &str) -> Result<CodeSet, TerminologyError> {
    let mut lines = text_lines(text).enumerate();
    let (_, first) = lines
        .next()
        .ok_or_else(|| asset_error(what, 1, "the file is empty".to_string()))?;
    let system = header_system(what, first)?;
    let mut info = CodeSetInfo::default();
    let mut entries: Vec<Entry> = Vec::with_capacity(120_000);
    let mut chapter: Option<u32> = None;
    let mut block: Option<u32> = None;
    let mut code_stack: Vec<u32> = Vec::new();
    for (n, line) in lines {
        let line_no = n + 1;
        let (tag, rest) = split_tab(line);
        let (a, b) = match rest.map(split_tab) {
            Some((a, b)) => (Some(a), b),
            None => (None, None),
        };
        if matches!(tag, "C" | "B" | "D") {
            let next_depth = if tag == "D" {
                a.and_then(|d| d.parse::<usize>().ok())
            } else {
                None
            };
            expand_if_leaf(system, &mut entries, &code_stack, next_depth);
        }
        let at = u32::try_from(entries.len()).unwrap_or(u32::MAX);
        match (tag, a, b) {
            ("", None, None) => {}
            ("#year", Some(y), None) => {
                info.year = y.trim().parse().map_err(|_| {
                    asset_error(what, line_no, format!("year `{y}` is not a number"))
                })?;
            }
            ("#label", Some(v), None) => info.label = v.to_string(),
            ("#source", Some(v), None) => info.source = v.to_string(),
            ("#sha256", Some(v), None) => info.source_sha256 = v.to_string(),
            ("C", Some(code), Some(desc)) => {
                entries.push(new_entry(system, EntryKind::Chapter, code, desc, None, at));
                chapter = Some(at);
                block = None;
                code_stack.clear();
            }
            ("B", Some(code), Some(desc)) => {
                entries.push(new_entry(system, EntryKind::Block, code, desc, chapter, at));
                block = Some(at);
                code_stack.clear();
            }
            ("D", Some(depth), Some(rest)) => {
                let depth: usize = depth.parse().ok().filter(|d| *d >= 1).ok_or_else(|| {
                    asset_error(
                        what,
                        line_no,
                        format!("depth `{depth}` is not a positive number"),
                    )
                })?;
                let (code, desc) = match split_tab(rest) {
                    (code, Some(desc)) => Some((code, desc)),
                    _ => None,
                }
                .ok_or_else(|| {
                    asset_error(
                        what,
                        line_no,
                        "a code line needs depth, code and description".to_string(),
                    )
                })?;
                if depth > code_stack.len() + 1 {
                    return Err(asset_error(
                        what,
                        line_no,
                        format!(
                            "code {code} is at depth {depth} but the code above it is at depth {}",
                            code_stack.len()
                        ),
                    ));
                }
                code_stack.truncate(depth - 1);
                let parent = code_stack.last().copied().or(block).or(chapter);
                entries.push(new_entry(system, EntryKind::Code, code, desc, parent, at));
                code_stack.push(at);
            }
            ("N", Some(kind), Some(text)) => {
                let kind = NoteKind::from_id(kind).ok_or_else(|| {
                    asset_error(what, line_no, format!("unknown note kind `{kind}`"))
                })?;
                let entry = entries.last_mut().ok_or_else(|| {
                    asset_error(what, line_no, "a note comes before any item".to_string())
                })?;
                match entry.notes.last_mut() {
                    Some(note) if note.kind == kind => note.lines.push(text.to_string()),
                    _ => entry.notes.push(Note {
                        kind,
                        lines: vec![text.to_string()],
                    }),
                }
            }
            ("7", Some(ch), Some(meaning)) => {
                let character = seventh_character(what, line_no, ch)?;
                let entry = entries.last_mut().ok_or_else(|| {
                    asset_error(
                        what,
                        line_no,
                        "a 7th-character line comes before any item".to_string(),
                    )
                })?;
                entry.seventh.push(SeventhChar {
                    character,
                    meaning: meaning.to_string(),
                });
            }
            _ => {
                return Err(asset_error(
                    what,
                    line_no,
                    format!(
                        "cannot read `{}`: expected a C, B, D, N, 7 or #header line",
                        truncate(line, 60)
                    ),
                ));
            }
        }
    }
    expand_if_leaf(system, &mut entries, &code_stack, None);
    Ok(CodeSet::from_tree(system, info, entries))
}

/// The code system named by the header line (magic, format version, system id).
fn header_system(what: &str, first: &str) -> Result<System, TerminologyError> {
    let mut head = first.split('\t');
    if head.next() != Some(MAGIC) || head.next() != Some(FORMAT_VERSION) {
        return Err(asset_error(
            what,
            1,
            format!(
                "expected the header `{MAGIC}\\t{FORMAT_VERSION}\\t<system>`; regenerate the file with `ehr-sim codes import`"
            ),
        ));
    }
    let system_id = head.next().unwrap_or_default();
    System::from_id(system_id).ok_or_else(|| {
        asset_error(
            what,
            1,
            format!("unknown system `{system_id}` (expected icd10cm, icd10pcs, hcpcs or cpt)"),
        )
    })
}

/// The character of a 7th-character line: one letter or digit, uppercased.
fn seventh_character(what: &str, line_no: usize, ch: &str) -> Result<char, TerminologyError> {
    let mut chars = ch.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) if c.is_ascii_alphanumeric() => Ok(c.to_ascii_uppercase()),
        _ => Err(asset_error(
            what,
            line_no,
            format!("7th character `{ch}` must be one letter or digit"),
        )),
    }
}

/// The lines of the text (without `\n` or `\r\n`), by a vectorised byte search: `str::lines`
/// spends three times as long on the 4.5 MB ICD-10-CM text, which every command that codes reads first.
fn text_lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(text).filter(|t| !t.is_empty());
    std::iter::from_fn(move || {
        let current = rest?;
        let line = match memchr::memchr(b'\n', current.as_bytes()) {
            Some(at) => {
                rest = current.get(at + 1..).filter(|r| !r.is_empty());
                current.get(..at).unwrap_or_default()
            }
            None => {
                rest = None;
                current
            }
        };
        Some(line.strip_suffix('\r').unwrap_or(line))
    })
}

/// Splits at the first tab: `("D", Some("1\tE11\t…"))`. A byte search (a tab is one byte in
/// UTF-8 and never part of another character), on the start-up path of the code sets.
fn split_tab(line: &str) -> (&str, Option<&str>) {
    match memchr::memchr(b'\t', line.as_bytes()) {
        Some(at) => (line.get(..at).unwrap_or_default(), line.get(at + 1..)),
        None => (line, None),
    }
}

fn new_entry(
    system: System,
    kind: EntryKind,
    code: &str,
    description: &str,
    parent: Option<u32>,
    index: u32,
) -> Entry {
    Entry {
        system,
        code: code.to_string(),
        description: description.to_string(),
        kind,
        billable: false,
        parent,
        children: Vec::new(),
        notes: Vec::new(),
        seventh: Vec::new(),
        index,
    }
}

/// Builds a tree entry for an importer (before linking).
pub(crate) fn tree_entry(
    system: System,
    kind: EntryKind,
    code: &str,
    description: &str,
    parent: Option<u32>,
    index: u32,
) -> Entry {
    new_entry(system, kind, code, description, parent, index)
}

fn clean(text: &str) -> String {
    text.split(['\t', '\n', '\r'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn truncate(text: &str, max_chars: usize) -> String {
    text.chars().take(max_chars).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_a_small_tree() {
        let text = "EHRSIM-TERMINOLOGY\t1\ticd10cm\n#year\t2026\n#label\tTest\nC\t19\tInjury\nB\tS50-S59\tElbow and forearm\nD\t1\tS52\tFracture of forearm\n7\tA\tinitial encounter for closed fracture\n7\tD\tsubsequent encounter\nN\texcludes1\ttraumatic amputation of forearm (S58.-)\nD\t2\tS52.5\tFracture of lower end of radius\nD\t3\tS52.501\tUnspecified fracture of the lower end of right radius\nD\t1\tT78.3\tAngioneurotic edema\n";
        let set = parse_text("test", text).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(set.info.year, 2026);
        let s52501 = set.lookup("s52501").unwrap_or_else(|| panic!("missing"));
        assert!(!s52501.billable);
        let a = set.lookup("S52.501A").unwrap_or_else(|| panic!("missing"));
        assert!(a.billable);
        assert_eq!(
            a.description,
            "Unspecified fracture of the lower end of right radius, initial encounter for closed fracture"
        );
        // T78.3 is under S52's block here, not under S52, so it has no 7th character.
        assert!(set.lookup("T78.3").is_some_and(|e| e.billable));
        let again = write_text(System::Icd10Cm, &set.info, &[]);
        assert!(again.starts_with("EHRSIM-TERMINOLOGY\t1\ticd10cm\n#year\t2026\n"));
    }

    #[test]
    fn lines_match_str_lines() {
        for text in ["", "a", "a\n", "a\r\nb", "a\n\nb\n", "\n", "x\ty\r\n"] {
            assert_eq!(
                text_lines(text).collect::<Vec<_>>(),
                text.lines().collect::<Vec<_>>(),
                "{text:?}"
            );
        }
    }

    #[test]
    fn lz4_and_zlib_assets_load_the_same() {
        let text = "EHRSIM-TERMINOLOGY\t1\ticd10cm\n#year\t2026\nC\t4\tEndocrine\nB\tE08-E13\tDiabetes mellitus\nD\t1\tE11\tType 2 diabetes mellitus\n";
        let zlib = miniz_oxide::deflate::compress_to_vec_zlib(text.as_bytes(), 6);
        for bytes in [compress(text), zlib] {
            let set = load("t", &bytes).unwrap_or_else(|e| panic!("{e}"));
            assert!(set.lookup("E11").is_some_and(|e| e.billable));
        }
    }

    #[test]
    fn damaged_lz4_assets_are_errors() {
        let mut bytes = compress("EHRSIM-TERMINOLOGY\t1\ticd10cm\n#year\t2026\n");
        bytes.truncate(bytes.len() - 3);
        let err = load("t.ehrt", &bytes).err().map(|e| e.to_string());
        assert!(
            err.as_deref()
                .is_some_and(|e| e.starts_with("t.ehrt") && e.contains("damaged")),
            "{err:?}"
        );
        let err = load("t.ehrt", b"EHRT-LZ4\xff\xff\xff\xff")
            .err()
            .map(|e| e.to_string());
        assert!(
            err.as_deref()
                .is_some_and(|e| e.contains("more than any code set")),
            "{err:?}"
        );
        assert!(load("t.ehrt", b"EHRT-LZ4\x01").is_err());
    }

    #[test]
    fn rejects_bad_lines_with_their_number() {
        let err = parse_text("x.ehrt", "EHRSIM-TERMINOLOGY\t1\ticd10cm\nQ\tbad\n")
            .err()
            .map(|e| e.to_string());
        assert_eq!(
            err.as_deref(),
            Some("x.ehrt line 2: cannot read `Q\tbad`: expected a C, B, D, N, 7 or #header line")
        );
    }
}
