//! The spelling of codes, in one place: where the dot goes, and what an ICD-10-PCS code looks
//! like.
//!
//! Two spellings of an ICD-10 code are used across the crate. The *compact* key
//! ([`strip_dot`]: "E1122") is what the code sets index and compare; the *dotted* display form
//! ([`with_dot`]: "E11.22") is what grading compares and reports print. The shape checks
//! ([`is_pcs_char`], [`is_pcs_code`], [`is_pcs_table_prefix`]) only look at characters;
//! [`is_listed_pcs_code`] is the one question here that consults the shipped code sets.

use crate::terminology::{self, System};

/// The bytes of a code's compact key: the code without dots, each ASCII letter upper-cased
/// (blanks are kept; [`strip_dot`] trims them first). Hashing and comparing keys go through
/// this iterator so that they never allocate.
pub(crate) fn strip_dot_bytes(code: &str) -> impl Iterator<Item = u8> + Clone + '_ {
    code.bytes()
        .filter(|b| *b != b'.')
        .map(|b| b.to_ascii_uppercase())
}

/// The compact key of a code: upper case, no dots, no surrounding blanks ("e11.22 " →
/// "E1122"). Any code system; code-set lookups and edits compare these keys.
#[must_use]
pub(crate) fn strip_dot(code: &str) -> String {
    let code = code.trim();
    if code.is_ascii() {
        let mut key = String::with_capacity(code.len());
        key.extend(strip_dot_bytes(code).map(char::from));
        return key;
    }
    code.chars()
        .filter(|c| *c != '.')
        .flat_map(char::to_uppercase)
        .collect()
}

/// The display form of a code: only its ASCII letters and digits, upper case, and for an
/// ICD-10-CM code a dot after the third character when there are more than three
/// (" s52501a " → "S52.501A", "I10" → "I10"). An ICD-10-PCS code has no dot ("0dtj4zz" →
/// "0DTJ4ZZ"): see [`is_pcs_display`]. Grading compares submitted and key codes in this form.
///
/// This is the single place that decides where a printed code's dot goes.
#[must_use]
pub fn with_dot(code: &str) -> String {
    let compact: String = code
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if is_pcs_display(&compact) {
        return compact;
    }
    match (compact.get(..3), compact.get(3..)) {
        (Some(category), Some(rest)) if !rest.is_empty() => format!("{category}.{rest}"),
        _ => compact,
    }
}

/// True when a compact upper-case code is spelled as ICD-10-PCS: seven PCS characters starting
/// with a digit (every ICD-10-CM code starts with a letter), or a code the shipped ICD-10-PCS
/// set lists and the ICD-10-CM set does not (sections B, C, D, F, G, H, X).
#[must_use]
pub fn is_pcs_display(compact: &str) -> bool {
    is_pcs_code(compact)
        && (compact.starts_with(|c: char| c.is_ascii_digit()) || is_listed_pcs_code(compact))
}

/// True for a character an ICD-10-PCS code may contain: 0-9 and A-Z without I and O (upper
/// case only).
#[must_use]
pub(crate) fn is_pcs_char(c: char) -> bool {
    c.is_ascii_digit() || (c.is_ascii_uppercase() && c != 'I' && c != 'O')
}

/// True for a well-formed ICD-10-PCS code exactly as written: seven [PCS
/// characters](is_pcs_char), no dot, no blanks, upper case ("0DTJ4ZZ").
#[must_use]
pub(crate) fn is_pcs_code(code: &str) -> bool {
    code.len() == 7 && code.chars().all(is_pcs_char)
}

/// True for a three-character ICD-10-PCS table prefix exactly as written: three [PCS
/// characters](is_pcs_char) ("0DT").
#[must_use]
pub(crate) fn is_pcs_table_prefix(code: &str) -> bool {
    code.len() == 3 && code.chars().all(is_pcs_char)
}

/// True for a code the shipped ICD-10-PCS set lists and the ICD-10-CM set does not (any case,
/// with or without a dot). Unlike the shape checks this tells procedure codes from diagnosis
/// codes of the same shape ("S52501A" is seven PCS characters but an ICD-10-CM code).
#[must_use]
pub(crate) fn is_listed_pcs_code(code: &str) -> bool {
    !terminology::listed(System::Icd10Cm, code) && terminology::listed(System::Icd10Pcs, code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_and_inserts_the_dot() {
        assert_eq!(strip_dot(" e11.22 "), "E1122");
        assert_eq!(with_dot(" s52501a "), "S52.501A");
        assert_eq!(with_dot("I10"), "I10");
        assert_eq!(with_dot("E1122"), "E11.22");
    }

    #[test]
    fn pcs_codes_never_get_a_dot() {
        assert_eq!(with_dot("0dtj4zz"), "0DTJ4ZZ");
        assert_eq!(with_dot("0DT.J4ZZ"), "0DTJ4ZZ");
        assert_eq!(with_dot("S52501A"), "S52.501A");
    }

    #[test]
    fn pcs_shapes() {
        assert!(is_pcs_code("0DTJ4ZZ"));
        assert!(!is_pcs_code("0DTJ4Z"));
        assert!(!is_pcs_code("0dtj4zz"));
        assert!(!is_pcs_code("00I6070"));
        assert!(is_pcs_table_prefix("0DT"));
        assert!(!is_pcs_table_prefix("0DO"));
    }
}
