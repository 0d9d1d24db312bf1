//! Field paths: how a rubric criterion names the part of a key and a submission it reads.
//!
//! Syntax (documented for instructors in `grading/README.md`):
//! - `name` — a field of the top-level object (`chief_complaint`);
//! - `a.b.c` — nested objects (`vitals.heart_rate`);
//! - `list[]` — a list field, read as a whole (`allergies[]`, `queue[]`);
//! - `list[].field` — the named field of every element, collected into a list
//!   (`allergies[].allergen`);
//! - `list[2]` — one element by zero-based index.
//!
//! Segment names are `snake_case` (`[a-z_][a-z0-9_]*`). The same path is resolved in the key and
//! in the submission. Invariant: a parsed [`FieldPath`] renders back to its canonical text with
//! [`std::fmt::Display`], so validation compares canonical strings.

use serde_json::Value;
use std::borrow::Cow;
use std::fmt;

/// Whether field path `inner` is `outer` or lies inside it: `allergies[0].reaction` is within
/// `allergies`, `allergies[0]` and itself, not within `allergies_reviewed`.
#[must_use]
pub fn within(inner: &str, outer: &str) -> bool {
    inner
        .strip_prefix(outer)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('.') || rest.starts_with('['))
}

/// One step of a [`FieldPath`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// A named object field.
    Field(String),
    /// `[]`: every element of a list.
    Each,
    /// `[n]`: one element of a list.
    Index(usize),
}

/// A parsed field path such as `vitals.heart_rate` or `allergies[].allergen`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldPath {
    segments: Vec<Segment>,
}

/// Why a path string could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("bad field path `{path}`: {reason}")]
pub struct PathError {
    /// The path as written.
    pub path: String,
    /// What is wrong with it.
    pub reason: String,
}

impl FieldPath {
    /// Parses a path.
    ///
    /// # Errors
    /// [`PathError`] when the text is empty, has an empty or non-`snake_case` segment, an
    /// unclosed bracket, or something other than a number or nothing between brackets.
    pub fn parse(text: &str) -> Result<Self, PathError> {
        let err = |reason: &str| PathError {
            path: text.to_string(),
            reason: reason.to_string(),
        };
        if text.is_empty() {
            return Err(err("the path is empty; write e.g. `vitals.heart_rate`"));
        }
        let mut segments = Vec::new();
        for part in text.split('.') {
            let (name, mut rest) = match part.find('[') {
                Some(i) => part.split_at(i),
                None => (part, ""),
            };
            if !is_snake_case(name) {
                return Err(err(&format!(
                    "segment `{name}` is not a snake_case field name (letters a-z, digits, `_`)"
                )));
            }
            segments.push(Segment::Field(name.to_string()));
            while !rest.is_empty() {
                let Some(inner_end) = rest.find(']') else {
                    return Err(err("`[` without a closing `]`"));
                };
                let inner = rest.get(1..inner_end).unwrap_or("");
                if inner.is_empty() {
                    segments.push(Segment::Each);
                } else {
                    let index = inner.parse::<usize>().map_err(|_| {
                        err("write `[]` for every element or `[N]` for one element")
                    })?;
                    segments.push(Segment::Index(index));
                }
                rest = rest.get(inner_end + 1..).unwrap_or("");
                if !rest.is_empty() && !rest.starts_with('[') {
                    return Err(err("a `.` must separate a field name from a preceding `]`"));
                }
            }
        }
        Ok(Self { segments })
    }

    /// A path from its steps.
    #[must_use]
    pub(crate) fn from_segments(segments: Vec<Segment>) -> Self {
        Self { segments }
    }

    /// The path's steps.
    #[must_use]
    pub(crate) fn segments(&self) -> &[Segment] {
        &self.segments
    }

    /// Resolves the path in a JSON document. `None` when a step is absent or `null`;
    /// `list[].field` yields a list with one entry per element (`null` where the element lacks
    /// the field).
    #[must_use]
    pub fn resolve(&self, doc: &Value) -> Option<Value> {
        resolve_segments(&self.segments, doc)
    }

    /// The same value as [`FieldPath::resolve`], borrowed from `doc` where it lies there whole.
    #[must_use]
    pub fn resolve_ref<'d>(&self, doc: &'d Value) -> Option<Cow<'d, Value>> {
        resolve_borrowed(&self.segments, doc)
    }
}

/// The value at the path written `text` ([`FieldPath::resolve_ref`]), or `None` when the path
/// does not parse. Parsed paths are kept per thread (at most [`PARSED_PATHS`]), since a rubric
/// reads the same few paths on every grade; the result never depends on what is kept.
#[must_use]
pub fn resolve_text<'d>(text: &str, doc: &'d Value) -> Option<Cow<'d, Value>> {
    thread_local! {
        static PARSED: std::cell::RefCell<std::collections::HashMap<String, Option<FieldPath>>> =
            std::cell::RefCell::new(std::collections::HashMap::new());
    }
    PARSED.with(|cell| {
        let Ok(mut parsed) = cell.try_borrow_mut() else {
            return FieldPath::parse(text).ok()?.resolve_ref(doc);
        };
        if !parsed.contains_key(text) {
            if parsed.len() >= PARSED_PATHS {
                parsed.clear();
            }
            parsed.insert(text.to_string(), FieldPath::parse(text).ok());
        }
        parsed.get(text)?.as_ref()?.resolve_ref(doc)
    })
}

/// The most parsed paths [`resolve_text`] keeps per thread.
pub const PARSED_PATHS: usize = 4096;

/// [`FieldPath::resolve`] without copying what the document already holds: a path without
/// `[]` followed by more segments borrows its value; one that collects a field of every
/// element builds the list.
fn resolve_borrowed<'d>(segments: &[Segment], doc: &'d Value) -> Option<Cow<'d, Value>> {
    let Some((first, rest)) = segments.split_first() else {
        return (!doc.is_null()).then_some(Cow::Borrowed(doc));
    };
    match first {
        Segment::Field(name) => resolve_borrowed(rest, doc.get(name.as_str())?),
        Segment::Index(i) => resolve_borrowed(rest, doc.as_array()?.get(*i)?),
        Segment::Each => {
            doc.as_array()?;
            if rest.is_empty() {
                return Some(Cow::Borrowed(doc));
            }
            resolve_segments(segments, doc).map(Cow::Owned)
        }
    }
}

fn resolve_segments(segments: &[Segment], doc: &Value) -> Option<Value> {
    let Some((first, rest)) = segments.split_first() else {
        return if doc.is_null() {
            None
        } else {
            Some(doc.clone())
        };
    };
    match first {
        Segment::Field(name) => resolve_segments(rest, doc.get(name.as_str())?),
        Segment::Index(i) => resolve_segments(rest, doc.as_array()?.get(*i)?),
        Segment::Each => {
            let items = doc.as_array()?;
            if rest.is_empty() {
                return Some(doc.clone());
            }
            Some(Value::Array(
                items
                    .iter()
                    .map(|item| resolve_segments(rest, item).unwrap_or(Value::Null))
                    .collect(),
            ))
        }
    }
}

fn is_snake_case(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase() || c == '_')
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, seg) in self.segments.iter().enumerate() {
            match seg {
                Segment::Field(name) if i == 0 => write!(f, "{name}")?,
                Segment::Field(name) => write!(f, ".{name}")?,
                Segment::Each => write!(f, "[]")?,
                Segment::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_path_lies_within_itself_and_its_parents_only() {
        assert!(within("allergies[0].reaction", "allergies"));
        assert!(within("allergies[0].reaction", "allergies[0]"));
        assert!(within("arrivals[7]", "arrivals[7]"));
        assert!(!within("allergies_reviewed", "allergies"));
        assert!(!within("arrivals[17]", "arrivals[1]"));
        assert!(!within("allergies", "allergies[0]"));
    }

    /// The kept parsed paths change nothing: the same values before and after the store fills
    /// and is emptied, borrowed where the document holds them, `None` for a path that does
    /// not parse.
    #[test]
    fn paths_resolved_from_text_match_parsed_paths() {
        let doc = json!({"vitals": {"heart_rate": 88}, "allergies": [{"allergen": "latex"}, {}]});
        let check = || {
            for text in [
                "vitals.heart_rate",
                "allergies[]",
                "allergies[].allergen",
                "allergies[1]",
            ] {
                let parsed = FieldPath::parse(text).unwrap().resolve(&doc);
                assert_eq!(
                    resolve_text(text, &doc).map(Cow::into_owned),
                    parsed,
                    "{text}"
                );
            }
            assert!(matches!(
                resolve_text("vitals", &doc),
                Some(Cow::Borrowed(_))
            ));
            assert_eq!(resolve_text("Vitals..x", &doc), None);
        };
        check();
        for i in 0..PARSED_PATHS + 10 {
            let _ = resolve_text(&format!("field_{i}"), &doc);
        }
        check();
    }

    #[test]
    fn nested_field_resolves() {
        let p = FieldPath::parse("vitals.heart_rate").unwrap();
        assert_eq!(
            p.resolve(&json!({"vitals": {"heart_rate": 88}})),
            Some(json!(88))
        );
    }

    #[test]
    fn each_projects_a_field_of_every_element() {
        let p = FieldPath::parse("allergies[].allergen").unwrap();
        let doc = json!({"allergies": [{"allergen": "penicillin"}, {"reaction": "hives"}]});
        assert_eq!(p.resolve(&doc), Some(json!(["penicillin", null])));
    }

    #[test]
    fn index_and_whole_list() {
        let doc = json!({"queue": ["a", "b"]});
        assert_eq!(
            FieldPath::parse("queue[1]").unwrap().resolve(&doc),
            Some(json!("b"))
        );
        assert_eq!(
            FieldPath::parse("queue[]").unwrap().resolve(&doc),
            Some(json!(["a", "b"]))
        );
    }

    #[test]
    fn null_and_absent_are_none() {
        let p = FieldPath::parse("a.b").unwrap();
        assert_eq!(p.resolve(&json!({"a": {"b": null}})), None);
        assert_eq!(p.resolve(&json!({})), None);
    }

    #[test]
    fn canonical_display_round_trips() {
        for text in ["a", "a.b", "a[]", "a[].b", "a[3].b_c"] {
            assert_eq!(FieldPath::parse(text).unwrap().to_string(), text);
        }
    }

    #[test]
    fn bad_paths_are_rejected() {
        for text in ["", "A", "a..b", "a[", "a[x]", "a[]b", "1a"] {
            assert!(FieldPath::parse(text).is_err(), "{text}");
        }
    }
}
