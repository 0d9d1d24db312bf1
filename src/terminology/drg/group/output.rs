//! What the grouper gives: the grouping with its path and the codes that did not count, its
//! JSON fields split into those that follow from the DRG ([`Head`]) and those of the claim
//! ([`Tail`]), and the JSON writing that bulk grouping does for each claim.

use serde::Serialize;

/// A step of the grouping path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    /// The step ("edit", "version", "pre-mdc", "mdc", "surgical", "medical", "severity", "drg").
    pub step: String,
    /// What was decided and why.
    pub detail: String,
}

/// A secondary diagnosis that is a CC/MCC but did not count, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Excluded {
    /// The code.
    pub code: String,
    /// Its level.
    pub level: String,
    /// Why it does not count.
    pub reason: String,
}

/// The grouper's result, generic over how it holds the definitions' strings (the version, DRG,
/// title, MDC and type): [`Grouping`] owns copies of them, [`Decision`] borrows them in place
/// (what bulk grouping works with). Both serialize to the same JSON object.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupingOf<S> {
    /// Grouper version ("v43.0", "v43.1").
    pub version: S,
    /// MS-DRG, three digits.
    pub drg: S,
    /// Title (Table 5).
    pub title: S,
    /// MDC ("04"), "PRE", or empty.
    pub mdc: S,
    /// "SURG", "MED", or "**" (998/999).
    #[serde(rename = "type")]
    pub kind: S,
    /// Payment weight (10 % cap applied); `None` for 998/999.
    pub weight: Option<f64>,
    /// Geometric mean LOS.
    pub gmlos: Option<f64>,
    /// Arithmetic mean LOS.
    pub amlos: Option<f64>,
    /// The secondary diagnosis that counted as the MCC.
    pub mcc: Option<String>,
    /// The secondary diagnosis that counted as the CC (when there is no MCC).
    pub cc: Option<String>,
    /// CC/MCC codes that did not count.
    pub excluded: Vec<Excluded>,
    /// Edits (Medicare Code Editor style) found before grouping.
    pub edits: Vec<String>,
    /// Every step with its reason (left out of the JSON when not built, see [`decide`]).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub path: Vec<Step>,
}

/// The fields of a grouping that follow from its version and DRG alone, in the order and form
/// of [`GroupingOf`]'s JSON: bulk output writes them once per DRG ([`GroupingOf::head`]).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Head<'a> {
    version: &'a str,
    drg: &'a str,
    title: &'a str,
    mdc: &'a str,
    #[serde(rename = "type")]
    kind: &'a str,
    weight: Option<f64>,
    gmlos: Option<f64>,
    amlos: Option<f64>,
}

/// The fields of a grouping that depend on the claim: the rest of [`GroupingOf`]'s JSON.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Tail<'a> {
    mcc: Option<&'a str>,
    cc: Option<&'a str>,
    excluded: &'a [Excluded],
    edits: &'a [String],
    #[serde(skip_serializing_if = "<[Step]>::is_empty")]
    path: &'a [Step],
}

/// Appends a string as JSON, as `serde_json` writes it: copied between quotes when nothing in it
/// needs escaping (no quote, backslash or control character, [`json_plain_len`]); written by
/// `serde_json` otherwise.
fn json_str(out: &mut Vec<u8>, s: &str) -> serde_json::Result<()> {
    if json_plain_len(s.as_bytes()) != s.len() {
        return serde_json::to_writer(&mut *out, s);
    }
    out.reserve(s.len() + 2);
    out.push(b'"');
    out.extend_from_slice(s.as_bytes());
    out.push(b'"');
    Ok(())
}

fn json_opt_str(out: &mut Vec<u8>, s: Option<&str>) -> serde_json::Result<()> {
    match s {
        Some(s) => json_str(out, s),
        None => {
            out.extend_from_slice(b"null");
            Ok(())
        }
    }
}

impl Tail<'_> {
    /// Appends the tail as a JSON object, byte for byte what `serde_json::to_writer` writes for
    /// it (a test compares the two), without its serializer's calls per field: bulk grouping
    /// writes one per claim. A tail with a path is written by `serde_json`.
    ///
    /// # Errors
    /// What `serde_json` reports (writing to memory, it reports nothing in practice).
    pub fn write_json(&self, out: &mut Vec<u8>) -> serde_json::Result<()> {
        if !self.path.is_empty() {
            return serde_json::to_writer(&mut *out, self);
        }
        out.extend_from_slice(b"{\"mcc\":");
        json_opt_str(out, self.mcc)?;
        out.extend_from_slice(b",\"cc\":");
        json_opt_str(out, self.cc)?;
        out.extend_from_slice(b",\"excluded\":[");
        for (i, e) in self.excluded.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            out.extend_from_slice(b"{\"code\":");
            json_str(out, &e.code)?;
            out.extend_from_slice(b",\"level\":");
            json_str(out, &e.level)?;
            out.extend_from_slice(b",\"reason\":");
            json_str(out, &e.reason)?;
            out.push(b'}');
        }
        out.extend_from_slice(b"],\"edits\":[");
        for (i, e) in self.edits.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            json_str(out, e)?;
        }
        out.extend_from_slice(b"]}");
        Ok(())
    }
}

impl<S: AsRef<str>> GroupingOf<S> {
    /// The JSON fields that follow from the version and DRG: with [`Self::tail`]'s, the fields
    /// of the grouping's own JSON object, in its order.
    pub fn head(&self) -> Head<'_> {
        Head {
            version: self.version.as_ref(),
            drg: self.drg.as_ref(),
            title: self.title.as_ref(),
            mdc: self.mdc.as_ref(),
            kind: self.kind.as_ref(),
            weight: self.weight,
            gmlos: self.gmlos,
            amlos: self.amlos,
        }
    }

    /// The JSON fields that depend on the claim (after [`Self::head`]'s).
    pub fn tail(&self) -> Tail<'_> {
        Tail {
            mcc: self.mcc.as_deref(),
            cc: self.cc.as_deref(),
            excluded: &self.excluded,
            edits: &self.edits,
            path: &self.path,
        }
    }
}

/// The grouper's result with its own copies of the definitions' strings.
pub type Grouping = GroupingOf<String>;

/// The grouper's result reading the definitions' strings in place.
pub type Decision<'a> = GroupingOf<&'a str>;

impl Decision<'_> {
    /// The grouping with its own copies of the definitions' strings.
    #[must_use]
    pub fn into_grouping(self) -> Grouping {
        Grouping {
            version: self.version.to_string(),
            drg: self.drg.to_string(),
            title: self.title.to_string(),
            mdc: self.mdc.to_string(),
            kind: self.kind.to_string(),
            weight: self.weight,
            gmlos: self.gmlos,
            amlos: self.amlos,
            mcc: self.mcc,
            cc: self.cc,
            excluded: self.excluded,
            edits: self.edits,
            path: self.path,
        }
    }
}

/// Whether a byte ends the plain part of a JSON string: a quote, a backslash or a control
/// character.
fn ends_plain(b: u8) -> bool {
    b == b'"' || b == b'\\' || b < 0x20
}

/// How many bytes begin `b` before the first that [`ends_plain`] (all of them when none does),
/// eight bytes at a time: in each little-endian word, a byte equal to a quote or a backslash
/// (zero after an exclusive or) or below 0x20 borrows when the word is decreased, and sets its
/// top bit where the byte's own top bit was clear. A borrow only reaches bytes after the
/// first such byte, so the lowest flag is exact.
pub(crate) fn json_plain_len(b: &[u8]) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const TOPS: u64 = 0x8080_8080_8080_8080;
    let below = |x: u64, n: u64| x.wrapping_sub(ONES * n) & !x;
    let mut i = 0;
    while let Some(word) = b.get(i..i + 8).and_then(|w| <[u8; 8]>::try_from(w).ok()) {
        let x = u64::from_le_bytes(word);
        let flags = (below(x ^ (ONES * u64::from(b'"')), 1)
            | below(x ^ (ONES * u64::from(b'\\')), 1)
            | below(x, 0x20))
            & TOPS;
        if flags != 0 {
            return i + (flags.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    let tail = b.get(i..).unwrap_or_default();
    i + tail
        .iter()
        .position(|&c| ends_plain(c))
        .unwrap_or(tail.len())
}

#[cfg(test)]
mod tests {
    use super::{Excluded, Step, Tail};

    /// A tail written by hand is, byte for byte, what `serde_json` writes for it: with and
    /// without MCC, CC, excluded codes and edits, with strings that need escaping (quotes,
    /// backslashes, control characters) and strings that do not (DEL and non-ASCII text are
    /// not escaped), and with a path (written by `serde_json` itself).
    #[test]
    fn a_tail_is_written_as_serde_json_writes_it() {
        let texts = [
            "",
            "I50.33",
            "say \"no\"",
            "back\\slash",
            "tab\there",
            "nul\u{0}",
            "\u{1f}",
            "del\u{7f}",
            "é → 871",
            "PDX I50.9 is in its exclusion collection 0072 (Table 6K Part 1)",
        ];
        let excluded: Vec<Excluded> = texts
            .iter()
            .map(|t| Excluded {
                code: (*t).to_string(),
                level: "MCC".to_string(),
                reason: format!("{t}: reason"),
            })
            .collect();
        let edits: Vec<String> = texts.iter().map(|t| format!("edit {t}")).collect();
        let path = [Step {
            step: "drg".to_string(),
            detail: "871 \"SEPTICEMIA\"".to_string(),
        }];
        let mut cases = Vec::new();
        for t in texts {
            for n in [0, 1, 3, texts.len()] {
                for with_path in [false, true] {
                    cases.push(Tail {
                        mcc: (n % 2 == 1).then_some(t),
                        cc: (n != 1).then_some(t),
                        excluded: excluded.get(..n).unwrap_or_default(),
                        edits: edits.get(..n).unwrap_or_default(),
                        path: if with_path { &path[..] } else { &[] },
                    });
                }
            }
        }
        for tail in cases {
            let mut ours = b"head".to_vec();
            tail.write_json(&mut ours).expect("written");
            let mut theirs = b"head".to_vec();
            serde_json::to_writer(&mut theirs, &tail).expect("written");
            assert_eq!(
                String::from_utf8_lossy(&ours),
                String::from_utf8_lossy(&theirs)
            );
        }
    }
}
