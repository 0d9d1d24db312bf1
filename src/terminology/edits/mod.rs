//! Coding edits for a list of ICD-10-CM codes in reporting order: each problem with the rule
//! behind it and a plain-language fix. Used by grading and by `ehr-sim codes check`.
//!
//! Kinds: `not_found` (not in this year's set), `header` (non-billable; lists the billable
//! codes under it), `seventh_character` (missing 7th character or placeholder X),
//! `excludes1` (two codes where one's Excludes1 note, own or inherited, names the other),
//! `code_first` (a "code first" note violated by the order, or a code that is never
//! first-listed — manifestation, severe sepsis R65.2-, external cause, underdosing — listed
//! first), `use_additional` (a requirement of the reviewed table in [`requirements`] not met),
//! `duplicate`.
//!
//! Invariant: edits are sorted by the position of their first code, then kind, then codes, so
//! the report is deterministic.

mod listed;
pub mod refs;
pub mod requirements;

use super::codeset::{CodeSet, Entry, EntryKind, seventh_key};
use super::syntax::strip_dot;
use super::{NoteKind, System, code_set};
use listed::{Listed, MinTree};
use refs::code_refs;

/// The coding setting: which ICD-10-CM guideline sections apply. It decides whether uncertain
/// diagnoses are coded and how the first code is chosen (docs/domain/coding-icd10cm.md §4.1).
/// Scenario files write it as `Outpatient` or `Inpatient` (a coding task's `setting`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum CodingSetting {
    /// Provider office, ED, observation: Section IV (first-listed diagnosis).
    #[default]
    Outpatient,
    /// Short-term acute inpatient: Sections II and III (principal diagnosis, UHDDS).
    Inpatient,
}

/// The kind of an edit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EditKind {
    /// Not a code in this year's set.
    NotFound,
    /// A header (non-billable) code.
    Header,
    /// Missing 7th character or placeholder X.
    SeventhCharacter,
    /// Excludes1 pair reported together.
    Excludes1,
    /// Two codes a guideline never reports together (O80 with another chapter 15 code).
    NotTogether,
    /// "Code first" order violated.
    CodeFirst,
    /// A required additional code is missing.
    UseAdditional,
    /// The same code twice.
    Duplicate,
}

/// One code of the list as checked.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CheckedCode {
    /// The code as printed when found ("E11.22"), otherwise as given.
    pub code: String,
    /// In this year's set.
    pub valid: bool,
    /// Reportable.
    pub billable: bool,
    /// The description, when found.
    pub description: Option<String>,
}

/// One problem.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Edit {
    /// What kind of problem.
    pub kind: EditKind,
    /// The codes involved, in list order.
    pub codes: Vec<String>,
    /// What is wrong and how to fix it.
    pub message: String,
    /// The guideline or convention.
    pub rule: String,
    /// For a use-additional edit, what is missing in words (one missing code asked for by two
    /// reported codes is one omission). Not part of the JSON report.
    #[serde(skip)]
    pub missing: Option<&'static str>,
    /// For a code-first edit: the first code is one the guidelines never accept first-listed
    /// (manifestation, R65.2-, external cause, underdosing), rather than an order broken
    /// between two codes. Not part of the JSON report.
    #[serde(skip)]
    pub never_first: bool,
    #[serde(skip)]
    position: usize,
}

/// The result of [`check`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct EditReport {
    /// Each input code, in order.
    pub codes: Vec<CheckedCode>,
    /// The problems, sorted by position of the first code involved.
    pub edits: Vec<Edit>,
}

impl EditReport {
    /// True when no edit fired.
    #[must_use]
    pub fn is_clean(&self) -> bool {
        self.edits.is_empty()
    }
}

/// Checks a list of ICD-10-CM codes (reporting order) against the shipped set.
#[must_use]
pub fn check(codes: &[&str], setting: CodingSetting) -> EditReport {
    match code_set(System::Icd10Cm) {
        Some(set) => check_in(set, codes, setting),
        None => EditReport {
            codes: codes
                .iter()
                .map(|c| CheckedCode {
                    code: c.trim().to_string(),
                    valid: false,
                    billable: false,
                    description: None,
                })
                .collect(),
            edits: Vec::new(),
        },
    }
}

const RULE_VALID: &str = "ICD-10-CM Official Guidelines I.B.1 and IV.A (use only codes of the code set in effect on the date of service)";
const RULE_DETAIL: &str = "ICD-10-CM Official Guidelines I.B.2 (Level of detail: report the code to the full number of characters; headers are not reportable)";
const RULE_SEVENTH: &str =
    "ICD-10-CM Official Guidelines I.A.4-5 (placeholder X and 7th characters)";
const RULE_EXCLUDES1: &str = "ICD-10-CM Official Guidelines I.A.12.a (Excludes1)";
const RULE_CODE_FIRST: &str =
    "ICD-10-CM Official Guidelines I.A.13 (Etiology/manifestation convention: code first)";
const RULE_O80_ALONE: &str = "ICD-10-CM Official Guidelines I.C.15.b.4 (O80 is used only when no other code from chapter 15 is needed to describe a complication of the antepartum, delivery or postpartum period)";
const RULE_DUPLICATE: &str = "ICD-10-CM Official Guidelines I.B.12 (Reporting same diagnosis code more than once: each unique code is reported only once for an encounter)";

/// Checks a list against a given set (what [`check`] calls; public for tests on fixtures).
#[must_use]
pub fn check_in(set: &CodeSet, codes: &[&str], _setting: CodingSetting) -> EditReport {
    let found: Vec<Option<&Entry>> = codes
        .iter()
        .map(|c| set.lookup(c).filter(|e| e.is_code()))
        .collect();
    let mut edits = Vec::new();
    let checked = codes
        .iter()
        .zip(&found)
        .map(|(given, entry)| CheckedCode {
            code: entry.map_or_else(|| given.trim().to_string(), |e| e.code.clone()),
            valid: entry.is_some(),
            billable: entry.is_some_and(|e| e.billable),
            description: entry.map(|e| e.description.clone()),
        })
        .collect::<Vec<_>>();
    for (position, (given, entry)) in codes.iter().zip(&found).enumerate() {
        match entry {
            None => edits.push(not_found(set, given, position)),
            Some(e) if !e.billable => edits.push(header(set, e, position)),
            Some(_) => {}
        }
    }
    let present: Vec<(usize, &Entry)> = found
        .iter()
        .enumerate()
        .filter_map(|(i, e)| e.map(|e| (i, e)))
        .collect();
    duplicates(&present, &mut edits);
    // The pair checks see each code once (its first occurrence), indexed once.
    let listed = Listed::new(&present);
    excludes1(set, &listed, &mut edits);
    o80_alone(&present, &mut edits);
    code_first(set, &listed, &mut edits);
    use_additional(&listed, &mut edits);
    edits.sort_by(|a, b| {
        a.position
            .cmp(&b.position)
            .then(a.kind.cmp(&b.kind))
            .then(a.codes.cmp(&b.codes))
    });
    EditReport {
        codes: checked,
        edits,
    }
}

fn edit(kind: EditKind, codes: Vec<String>, message: String, rule: &str, position: usize) -> Edit {
    Edit {
        kind,
        codes,
        message,
        rule: rule.to_string(),
        missing: None,
        never_first: false,
        position,
    }
}

fn label(set: &CodeSet) -> String {
    if set.info.label.is_empty() {
        format!("{} {}", set.system.name(), set.info.year)
    } else {
        set.info.label.clone()
    }
}

/// A code that is not in the set, with a placeholder-X repair when that is what is wrong.
fn not_found(set: &CodeSet, given: &str, position: usize) -> Edit {
    let given = given.trim();
    let key = strip_dot(given);
    let mut chars: Vec<char> = key.chars().collect();
    let last = chars.pop();
    while chars.last() == Some(&'X') {
        chars.pop();
    }
    let base: String = chars.iter().collect();
    if let (Some(c), Some(base_entry)) = (last, set.lookup(&base).filter(|e| e.is_code())) {
        let fixed_key = seventh_key(&base_entry.key(), c);
        if let Some(fixed) = set
            .lookup(&fixed_key)
            .filter(|e| e.kind == EntryKind::Expanded)
        {
            return edit(
                EditKind::SeventhCharacter,
                vec![given.to_string()],
                format!(
                    "{given} is not valid: the 7th character must be in position 7, with placeholder X in the empty positions; write {} ({})",
                    fixed.code, fixed.description
                ),
                RULE_SEVENTH,
                position,
            );
        }
    }
    edit(
        EditKind::NotFound,
        vec![given.to_string()],
        format!(
            "{given} is not a code in {}; check it for a typo or find the condition with `ehr-sim codes search`",
            label(set)
        ),
        RULE_VALID,
        position,
    )
}

fn header(set: &CodeSet, entry: &Entry, position: usize) -> Edit {
    let children: Vec<&Entry> = entry.children.iter().filter_map(|c| set.get(*c)).collect();
    if children
        .first()
        .is_some_and(|c| c.kind == EntryKind::Expanded)
    {
        let choices: Vec<String> = children
            .iter()
            .map(|c| {
                let ch = c.key().chars().last().unwrap_or('?');
                let meaning = c
                    .description
                    .strip_prefix(&entry.description)
                    .map(|m| m.trim_start_matches(", "))
                    .unwrap_or(&c.description);
                format!("{ch} = {meaning}")
            })
            .collect();
        let example = children.first().map(|c| c.code.clone()).unwrap_or_default();
        let placeholder = if entry.key().len() < 6 {
            " with placeholder X in the empty positions"
        } else {
            ""
        };
        return edit(
            EditKind::SeventhCharacter,
            vec![entry.code.clone()],
            format!(
                "{} ({}) needs a 7th character{placeholder}, e.g. {example}; choose by the encounter: {}",
                entry.code,
                entry.description,
                choices.join("; ")
            ),
            RULE_SEVENTH,
            position,
        );
    }
    let billable = set.billable_descendants(entry.index);
    let shown: Vec<String> = billable
        .iter()
        .take(12)
        .map(|e| format!("{} {}", e.code, e.description))
        .collect();
    let more = billable.len().saturating_sub(shown.len());
    let more = if more > 0 {
        format!(
            "; and {more} more (see `ehr-sim codes show {}`)",
            entry.code
        )
    } else {
        String::new()
    };
    edit(
        EditKind::Header,
        vec![entry.code.clone()],
        format!(
            "{} ({}) is a header, not a billable code; choose the code that matches the documentation: {}{more}",
            entry.code,
            entry.description,
            shown.join("; ")
        ),
        RULE_DETAIL,
        position,
    )
}

/// O80 (encounter for full-term uncomplicated delivery) with any other chapter 15 code: the
/// other code states a complication, so the delivery is not "normal" (OCG I.C.15.b.4).
fn o80_alone(present: &[(usize, &Entry)], edits: &mut Vec<Edit>) {
    let Some((_, o80)) = present.iter().find(|(_, e)| e.key() == "O80") else {
        return;
    };
    for (i, e) in present {
        if e.key() != "O80" && e.code.starts_with('O') {
            edits.push(edit(
                EditKind::NotTogether,
                vec![o80.code.clone(), e.code.clone()],
                format!(
                    "{} describes a complication of the pregnancy or delivery, so the delivery is not uncomplicated: report the complication instead of {}",
                    e.code, o80.code
                ),
                RULE_O80_ALONE,
                *i,
            ));
        }
    }
}

fn duplicates(present: &[(usize, &Entry)], edits: &mut Vec<Edit>) {
    // key → (first position, entry, times listed), in order of first occurrence.
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut counts: Vec<(usize, &Entry, usize)> = Vec::new();
    for (i, e) in present {
        match seen.entry(e.key()) {
            std::collections::hash_map::Entry::Occupied(o) => {
                if let Some(c) = counts.get_mut(*o.get()) {
                    c.2 += 1;
                }
            }
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(counts.len());
                counts.push((*i, e, 1));
            }
        }
    }
    for (i, e, times) in counts {
        if times > 1 {
            edits.push(edit(
                EditKind::Duplicate,
                vec![e.code.clone()],
                format!("{} is listed {times} times; report it once", e.code),
                RULE_DUPLICATE,
                i,
            ));
        }
    }
}

/// Notes of a kind in effect for an entry, with the entry that carries each line.
fn lines_of<'a>(set: &'a CodeSet, entry: &Entry, kind: NoteKind) -> Vec<(&'a Entry, &'a str)> {
    set.notes_in_effect(entry.index)
        .into_iter()
        .filter(|n| n.note.kind == kind)
        .flat_map(|n| n.note.lines.iter().map(move |l| (n.from, l.as_str())))
        .collect()
}

/// Partners reported per Excludes1 note line of a code: a real answer has one or two, and the
/// cap keeps the check linear in the list (a list of thousands of codes could otherwise pair
/// quadratically many).
const EXCLUDES1_PARTNERS_PER_LINE: usize = 3;

fn excludes1(set: &CodeSet, listed: &Listed<'_>, edits: &mut Vec<Edit>) {
    let mut seen: std::collections::HashSet<(usize, usize)> = std::collections::HashSet::new();
    for (ta, (i, a, a_key)) in listed.items.iter().enumerate() {
        for (owner, line) in lines_of(set, a, NoteKind::Excludes1) {
            let owner_key = owner.key();
            // The owner's own family is never a partner: skip its run in one step.
            let own = listed.prefix_run(&owner_key);
            let mut reported = 0;
            let mut done: Vec<usize> = Vec::new();
            'ranges: for range in code_refs(line) {
                let mut r = listed.covered(&range).start;
                let end = listed.covered(&range).end;
                while r < end {
                    if own.contains(&r) {
                        r = own.end;
                        continue;
                    }
                    let Some(tb) = listed.item_at(r) else {
                        break;
                    };
                    r += 1;
                    let Some((j, b, b_key)) = listed.items.get(tb) else {
                        continue;
                    };
                    if b_key == a_key
                        || done.contains(&tb)
                        || !seen.insert((ta.min(tb), ta.max(tb)))
                    {
                        continue;
                    }
                    done.push(tb);
                    let (first, second) = if i < j { (a, b) } else { (b, a) };
                    edits.push(edit(
                        EditKind::Excludes1,
                        vec![first.code.clone(), second.code.clone()],
                        format!(
                            "{} and {} are not reported together: {} ({}) has the Excludes1 note \"{line}\". Keep the code that matches the documentation; report both only when the two conditions are unrelated",
                            first.code, second.code, owner.code, owner.description
                        ),
                        RULE_EXCLUDES1,
                        (*i).min(*j),
                    ));
                    reported += 1;
                    if reported >= EXCLUDES1_PARTNERS_PER_LINE {
                        break 'ranges;
                    }
                }
            }
        }
    }
}

fn code_first(set: &CodeSet, listed: &Listed<'_>, edits: &mut Vec<Edit>) {
    // Swept from the end of the list: the tree holds the codes listed after `b`, so the first
    // of them a note's range covers is the smallest item index in the range's run.
    let mut later = MinTree::new(listed.items.len());
    for (t, (j, b, _)) in listed.items.iter().enumerate().rev() {
        let b = *b;
        let lines = lines_of(set, b, NoteKind::CodeFirst);
        let mut reported = false;
        let manifestation = b
            .description
            .to_lowercase()
            .contains("diseases classified elsewhere");
        // Listed first, a code the guidelines never accept first-listed is that error even
        // when its own "code first" note is what the order breaks.
        let never_first_at_top = *j == 0
            && (manifestation || requirements::never_first(&b.key(), &b.description).is_some());
        for (owner, line) in &lines {
            for range in code_refs(line) {
                if let Some((_, a, _)) = later
                    .min(listed.covered(&range))
                    .and_then(|ta| listed.items.get(ta))
                {
                    let e = edit(
                        EditKind::CodeFirst,
                        vec![b.code.clone(), a.code.clone()],
                        format!(
                            "{} is listed before {}, but {} ({}) says \"Code first {line}\"; move {} before {}",
                            b.code, a.code, owner.code, owner.description, a.code, b.code
                        ),
                        RULE_CODE_FIRST,
                        *j,
                    );
                    edits.push(if never_first_at_top {
                        never_first(e)
                    } else {
                        e
                    });
                    reported = true;
                    break;
                }
            }
            if reported {
                break;
            }
        }
        if !reported
            && *j == 0
            && let Some(rule) = requirements::never_first(&b.key(), &b.description)
        {
            edits.push(never_first(edit(
                EditKind::CodeFirst,
                vec![b.code.clone()],
                format!(
                    "{} ({}) is {} and is never first-listed; {}",
                    b.code, b.description, rule.what, rule.fix
                ),
                rule.rule,
                *j,
            )));
            reported = true;
        }
        if !reported && *j == 0 && manifestation {
            edits.push(never_first(edit(
                EditKind::CodeFirst,
                vec![b.code.clone()],
                format!(
                    "{} ({}) is a manifestation code and is never first-listed; list the underlying condition first{}",
                    b.code,
                    b.description,
                    if lines.is_empty() {
                        String::new()
                    } else {
                        let shown: Vec<&str> = lines.iter().take(4).map(|(_, l)| *l).collect();
                        let more = if lines.len() > 4 { ", …" } else { "" };
                        format!(" (code first: {}{more})", shown.join(" "))
                    }
                ),
                RULE_CODE_FIRST,
                *j,
            )));
        }
        later.set(listed.rank(t), t);
    }
}

fn never_first(mut e: Edit) -> Edit {
    e.never_first = true;
    e
}

/// The "use additional code" note of `trigger` (its own or one inherited from its category)
/// that names `code`, as the rule to cite ("ICD-10-CM Tabular I12: Use additional code to
/// identify the stage of chronic kidney disease (N18.1-N18.4, N18.9)"), or `None`.
#[must_use]
pub fn use_additional_note(trigger: &str, code: &str) -> Option<String> {
    let set = code_set(System::Icd10Cm)?;
    let entry = set.lookup(trigger).filter(|e| e.is_code())?;
    let key = strip_dot(code);
    lines_of(set, entry, NoteKind::UseAdditionalCode)
        .into_iter()
        .find(|(_, line)| code_refs(line).iter().any(|r| r.covers(&key)))
        .map(|(owner, line)| {
            format!(
                "ICD-10-CM Tabular {}: \"Use additional code {line}\"",
                owner.code
            )
        })
}

fn use_additional(listed: &Listed<'_>, edits: &mut Vec<Edit>) {
    for (i, e, key) in &listed.items {
        for req in requirements::triggered_by(key) {
            let met = req.needs.iter().any(|n| {
                let own = usize::from(key.starts_with(n));
                listed.count_with_prefix(n) > own
            });
            if !met {
                let mut missing = edit(
                    EditKind::UseAdditional,
                    vec![e.code.clone()],
                    format!(
                        "{} ({}) needs {}: {}",
                        e.code, e.description, req.missing, req.fix
                    ),
                    req.rule,
                    *i,
                );
                missing.missing = Some(req.missing);
                edits.push(missing);
            }
        }
    }
}
