//! Code references inside tabular notes: "(E08.-)", "(P70.2)", "(P35-P39)",
//! "(N18.1-N18.6)", "(E10.649, E11.649)", "(E16.A1–E16.A3)".
//!
//! Only references inside parentheses are read (bare words such as "vitamin B12" are not
//! codes). A reference is a range of normalized keys; a single code is the range from itself
//! to itself and covers its whole family ("E08" covers E08.00 … E08.9).

use crate::terminology::syntax::strip_dot;

/// A code or code range named in a note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeRange {
    /// Normalized first code ("N181").
    pub low: String,
    /// Normalized last code ("N186"); equal to `low` for a single code.
    pub high: String,
}

impl CodeRange {
    /// True when `key` (normalized) falls in the range or under one of its ends.
    #[must_use]
    pub(crate) fn covers(&self, key: &str) -> bool {
        let head = |n: usize| key.get(..n.min(key.len())).unwrap_or(key);
        head(self.low.len()) >= self.low.as_str() && head(self.high.len()) <= self.high.as_str()
    }
}

/// Reads a code at the start of `s`: letter, digit, alphanumeric, then optionally a dot and up
/// to four alphanumerics. Returns the code and the bytes consumed (including a trailing ".-"
/// or "-" that means "and its subcodes").
fn read_code(s: &str) -> Option<(String, usize)> {
    let b = s.as_bytes();
    let (first, second, third) = (b.first()?, b.get(1)?, b.get(2)?);
    if !(first.is_ascii_uppercase()
        && second.is_ascii_digit()
        && (third.is_ascii_digit() || third.is_ascii_uppercase()))
    {
        return None;
    }
    let mut end = 3;
    if b.get(3) == Some(&b'.') {
        let mut k = 4;
        while k < 8
            && b.get(k)
                .is_some_and(|c| c.is_ascii_digit() || c.is_ascii_uppercase())
        {
            k += 1;
        }
        if k > 4 {
            end = k;
        }
    }
    if b.get(end).is_some_and(u8::is_ascii_alphanumeric) {
        return None;
    }
    let code = s.get(..end)?.to_string();
    let mut used = end;
    if s.get(used..).is_some_and(|r| r.starts_with(".-")) {
        used += 2;
    } else if s.get(used..).is_some_and(|r| {
        r.starts_with('-')
            && !r
                .get(1..)
                .unwrap_or_default()
                .starts_with(|c: char| c.is_ascii_uppercase())
    }) {
        used += 1;
    }
    Some((code, used))
}

/// All code references inside parentheses in a note line.
#[must_use]
pub fn code_refs(line: &str) -> Vec<CodeRange> {
    let mut out = Vec::new();
    for (open, _) in line.match_indices('(') {
        let inner_start = open + 1;
        let Some(rest) = line.get(inner_start..) else {
            continue;
        };
        let inner = rest.split(')').next().unwrap_or_default();
        let mut i = 0;
        while i < inner.len() {
            let Some(tail) = inner.get(i..) else { break };
            let prev_alnum = i > 0
                && inner
                    .as_bytes()
                    .get(i - 1)
                    .is_some_and(u8::is_ascii_alphanumeric);
            match (prev_alnum, read_code(tail)) {
                (false, Some((low, used))) => {
                    let mut range = CodeRange {
                        low: strip_dot(&low),
                        high: strip_dot(&low),
                    };
                    let mut next = i + used;
                    let after = inner.get(next..).unwrap_or_default();
                    let dash = if after.starts_with('-') {
                        Some(1)
                    } else if after.starts_with('\u{2013}') {
                        Some('\u{2013}'.len_utf8())
                    } else {
                        None
                    };
                    if let Some(d) = dash
                        && let Some((high, used_high)) = after.get(d..).and_then(read_code)
                    {
                        range.high = strip_dot(&high);
                        next += d + used_high;
                    }
                    out.push(range);
                    i = next.max(i + 1);
                }
                _ => {
                    i += inner
                        .get(i..)
                        .and_then(|t| t.chars().next())
                        .map_or(1, char::len_utf8);
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(low: &str, high: &str) -> CodeRange {
        CodeRange {
            low: low.to_string(),
            high: high.to_string(),
        }
    }

    #[test]
    fn reads_references() {
        assert_eq!(
            code_refs("type 1 diabetes mellitus (E10.-)"),
            vec![r("E10", "E10")]
        );
        assert_eq!(
            code_refs("stage of chronic kidney disease (N18.1-N18.6)"),
            vec![r("N181", "N186")]
        );
        assert_eq!(
            code_refs("diabetic chronic kidney disease (E08.22, E09.22, E10.22, E11.22, E13.22)")
                .len(),
            5
        );
        assert_eq!(code_refs("perinatal (P35-P39)"), vec![r("P35", "P39")]);
        assert_eq!(
            code_refs("fracture of elbow NOS (S42.40-)"),
            vec![r("S4240", "S4240")]
        );
        assert_eq!(
            code_refs("level (E16.A1\u{2013}E16.A3)"),
            vec![r("E16A1", "E16A3")]
        );
        assert_eq!(code_refs("vitamin B12 deficiency"), Vec::new());
        assert_eq!(
            code_refs("hypertensive chronic kidney disease (I12.-, I13.-)"),
            vec![r("I12", "I12"), r("I13", "I13")]
        );
    }

    #[test]
    fn ranges_cover_families() {
        assert!(r("N181", "N186").covers("N1832"));
        assert!(!r("N181", "N186").covers("N189"));
        assert!(r("E10", "E10").covers("E109"));
        assert!(r("P35", "P39").covers("P370"));
        assert!(!r("P35", "P39").covers("P40"));
    }
}
