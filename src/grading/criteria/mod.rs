//! Criterion kinds: one small pure function per kind, each turning a key value and a submitted
//! value into a credit in `0..=1`, an [`Outcome`] and learner-facing details.
//!
//! Invariants: no function panics on any JSON input; `credit` is always clamped to `0..=1`; an
//! absent or blank submission yields [`Outcome::Missing`] with zero credit (except where a blank
//! answer is itself correct, e.g. "no allergies" against an empty key list).

pub mod codes;
pub mod critical;
pub mod date;
pub mod drg;
pub mod exact;
pub mod flags;
pub mod list;
pub mod numeric;
pub mod ordinal;
pub mod phrase;
pub mod required;
pub mod text;
pub mod units;

use crate::grading::report::Outcome;
use crate::grading::rubric::TextRules;
use serde_json::Value;

/// What a criterion function returns.
#[derive(Debug, Clone, PartialEq)]
pub struct Scored {
    /// Fraction of the criterion's points earned, `0..=1`.
    pub credit: f64,
    /// Outcome class.
    pub outcome: Outcome,
    /// Explanations for the learner.
    pub details: Vec<String>,
    /// Errors the criterion rates critical (coding), each with its rule: a
    /// `CodingError` gate naming the criterion fires on them.
    pub critical: Vec<String>,
    /// What the report shows as expected and given, when not the values read (e.g. the
    /// MS-DRG of the codes rather than the codes).
    pub shown: Option<Box<(Value, Value)>>,
}

/// Credits within this distance of 1 count as full.
const EPS: f64 = 1e-9;

impl Scored {
    /// Nothing was given.
    #[must_use]
    pub fn missing() -> Self {
        Self {
            credit: 0.0,
            outcome: Outcome::Missing,
            details: vec!["no answer given".to_string()],
            critical: Vec::new(),
            shown: None,
        }
    }

    /// The criterion does not apply to this case (no points either way), with why.
    #[must_use]
    pub fn not_applicable(why: impl Into<String>) -> Self {
        Self {
            credit: 0.0,
            outcome: Outcome::NotApplicable,
            details: vec![why.into()],
            critical: Vec::new(),
            shown: None,
        }
    }

    /// Something was given and earned `credit` (clamped).
    #[must_use]
    pub fn graded(credit: f64, details: Vec<String>) -> Self {
        let credit = if credit.is_finite() {
            credit.clamp(0.0, 1.0)
        } else {
            0.0
        };
        let outcome = if credit >= 1.0 - EPS {
            Outcome::Correct
        } else if credit <= EPS {
            Outcome::Incorrect
        } else {
            Outcome::Partial
        };
        let credit = match outcome {
            Outcome::Correct => 1.0,
            Outcome::Incorrect => 0.0,
            Outcome::Partial | Outcome::Missing | Outcome::NotApplicable => credit,
        };
        Self {
            credit,
            outcome,
            details,
            critical: Vec::new(),
            shown: None,
        }
    }
}

/// A value as text for comparison: strings as-is, numbers and booleans printed, `null` empty,
/// anything else as compact JSON.
#[must_use]
pub(crate) fn value_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        // Compact JSON, as `Display` writes it, without the formatter in between.
        other @ (Value::Array(_) | Value::Object(_)) => {
            serde_json::to_string(other).unwrap_or_default()
        }
    }
}

/// Applies text rules: case folding, punctuation removal, whitespace collapsing.
#[must_use]
pub(crate) fn normalize(text: &str, rules: TextRules) -> String {
    if rules.clinical {
        return phrase::clinical_form(text);
    }
    if text.is_ascii() {
        return normalize_ascii(text, rules);
    }
    normalize_general(text, rules)
}

/// [`normalize`] (without the clinical form) for any text, step by step.
fn normalize_general(text: &str, rules: TextRules) -> String {
    let mut out: String = if rules.case_sensitive {
        text.to_string()
    } else {
        text.to_lowercase()
    };
    if rules.ignore_punctuation {
        out = out
            .chars()
            .map(|c| {
                if c.is_alphanumeric() || c.is_whitespace() {
                    c
                } else {
                    ' '
                }
            })
            .collect();
    }
    if rules.collapse_whitespace {
        out = out.split_whitespace().collect::<Vec<_>>().join(" ");
    }
    out
}

/// [`normalize`] of an ASCII text in one pass: the same result (ASCII letters fold alone,
/// and the whitespace is the same set of characters) without the intermediate strings.
fn normalize_ascii(text: &str, rules: TextRules) -> String {
    let mut out = Vec::with_capacity(text.len());
    out.extend(AsciiNormal::new(text, rules));
    // ASCII in, ASCII out.
    String::from_utf8(out).unwrap_or_default()
}

/// Whether two texts are equal once normalised, without building either form when both are
/// ASCII.
#[must_use]
pub(crate) fn same_normalized(a: &str, b: &str, rules: TextRules) -> bool {
    if rules.clinical || !a.is_ascii() || !b.is_ascii() {
        return normalize(a, rules) == normalize(b, rules);
    }
    AsciiNormal::new(a, rules).eq(AsciiNormal::new(b, rules))
}

/// The bytes of an ASCII text's normal form, as [`normalize`] writes them.
struct AsciiNormal<'a> {
    bytes: std::slice::Iter<'a, u8>,
    rules: TextRules,
    /// A space is owed before the next kept character (collapsing whitespace).
    gap: bool,
    /// A character was written.
    started: bool,
    /// The character that follows an owed space.
    pending: Option<u8>,
}

impl<'a> AsciiNormal<'a> {
    fn new(text: &'a str, rules: TextRules) -> Self {
        Self {
            bytes: text.as_bytes().iter(),
            rules,
            gap: false,
            started: false,
            pending: None,
        }
    }
}

/// `char::is_whitespace` on ASCII: space and U+0009 to U+000D.
fn ascii_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t'..=b'\r')
}

impl Iterator for AsciiNormal<'_> {
    type Item = u8;

    fn next(&mut self) -> Option<u8> {
        if let Some(c) = self.pending.take() {
            return Some(c);
        }
        loop {
            let c = *self.bytes.next()?;
            let c = if self.rules.case_sensitive {
                c
            } else {
                c.to_ascii_lowercase()
            };
            let c = if self.rules.ignore_punctuation
                && !(c.is_ascii_alphanumeric() || ascii_space(c))
            {
                b' '
            } else {
                c
            };
            if !self.rules.collapse_whitespace {
                return Some(c);
            }
            if ascii_space(c) {
                self.gap = self.started;
                continue;
            }
            self.started = true;
            if self.gap {
                self.gap = false;
                self.pending = Some(c);
                return Some(b' ');
            }
            return Some(c);
        }
    }
}

/// A value as text for comparison ([`value_text`]), borrowed when it is a string.
#[must_use]
pub(crate) fn value_str(value: &Value) -> std::borrow::Cow<'_, str> {
    match value {
        Value::String(s) => std::borrow::Cow::Borrowed(s),
        other @ (Value::Null
        | Value::Bool(_)
        | Value::Number(_)
        | Value::Array(_)
        | Value::Object(_)) => std::borrow::Cow::Owned(value_text(other)),
    }
}

/// True when a submitted value counts as "nothing given": absent, `null`, or a blank string.
#[must_use]
pub(crate) fn is_blank(given: Option<&Value>) -> bool {
    match given {
        None | Some(Value::Null) => true,
        Some(Value::String(s)) => s.trim().is_empty(),
        Some(_) => false,
    }
}

/// A number from a JSON number or a numeric string.
#[must_use]
pub(crate) fn as_number(value: &Value) -> Option<f64> {
    match value {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse::<f64>().ok(),
        Value::Null | Value::Bool(_) | Value::Array(_) | Value::Object(_) => None,
    }
    .filter(|v| v.is_finite())
}

/// Formats a number without a trailing `.0`.
#[must_use]
pub(crate) fn fmt_num(value: f64) -> String {
    let rounded = (value * 100.0).round() / 100.0;
    if rounded.fract() == 0.0 && rounded.abs() < 1e15 {
        // A whole number below 2^53 prints as the integer it is (the exact-precision float
        // formatter is far slower); negative zero keeps its sign as `{:.0}` writes it.
        if rounded == 0.0 && rounded.is_sign_negative() {
            return format!("{rounded:.0}");
        }
        #[allow(clippy::cast_possible_truncation)] // whole and below 1e15
        return (rounded as i64).to_string();
    }
    format!("{rounded}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn graded_classifies_and_clamps() {
        assert_eq!(Scored::graded(1.2, vec![]).outcome, Outcome::Correct);
        assert_eq!(Scored::graded(0.5, vec![]).outcome, Outcome::Partial);
        assert_eq!(Scored::graded(-1.0, vec![]).credit, 0.0);
        assert_eq!(Scored::graded(f64::NAN, vec![]).outcome, Outcome::Incorrect);
    }

    #[test]
    fn default_rules_fold_case_and_collapse_whitespace() {
        assert_eq!(
            normalize("  Chest   PAIN ", TextRules::default()),
            "chest pain"
        );
    }

    /// The one-pass ASCII path gives what the general path gives, for every combination of
    /// rules, on texts of letters, digits, punctuation and every ASCII whitespace character.
    #[test]
    fn ascii_normalisation_equals_the_general_path() {
        let alphabet: Vec<char> = "aZ9 .,-/\t\n\r\x0b\x0c()'_".chars().collect();
        let mut state = 0x1234_5678_9ABC_DEF1u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            usize::try_from(state % 64).unwrap()
        };
        for _ in 0..2_000 {
            let len = next() % 24;
            let text: String = (0..len)
                .map(|_| alphabet[next() % alphabet.len()])
                .collect();
            for bits in 0..8u8 {
                let rules = TextRules {
                    case_sensitive: bits & 1 != 0,
                    collapse_whitespace: bits & 2 != 0,
                    ignore_punctuation: bits & 4 != 0,
                    clinical: false,
                };
                let general = normalize_general(&text, rules);
                assert_eq!(normalize(&text, rules), general, "{text:?} {rules:?}");
                let other: String = (0..next() % 12)
                    .map(|_| alphabet[next() % alphabet.len()])
                    .collect();
                for b in [&text, &general, &other, &general.to_uppercase()] {
                    assert_eq!(
                        same_normalized(&text, b, rules),
                        normalize(&text, rules) == normalize(b, rules),
                        "{text:?} {b:?} {rules:?}"
                    );
                }
            }
        }
    }

    /// Whole numbers print as `{:.0}` prints them, negative zero included.
    #[test]
    fn whole_numbers_print_as_the_float_formatter_does() {
        for v in [
            0.0,
            -0.0,
            1.0,
            -1.0,
            72.0,
            98.6,
            1e14,
            -99_999_999_999_999.0,
            0.004,
            -0.004,
            2.5,
        ] {
            let rounded = (v * 100.0_f64).round() / 100.0;
            let want = if rounded.fract() == 0.0 {
                format!("{rounded:.0}")
            } else {
                format!("{rounded}")
            };
            assert_eq!(fmt_num(v), want, "{v}");
        }
    }

    #[test]
    fn blank_detection() {
        assert!(is_blank(Some(&json!("  "))));
        assert!(is_blank(None));
        assert!(!is_blank(Some(&json!([]))));
    }
}
