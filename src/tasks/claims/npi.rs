//! The National Provider Identifier check (45 CFR 162.406; CMS "Requirements for NPI Check
//! Digit"): ten digits, nine of identifier and a check digit computed with the Luhn formula
//! (ISO/IEC 7812) as if the card-issuer prefix 80840 stood in front. Issued NPIs begin with 1
//! or 2. Passing the check does not mean the NPI is enrolled (an NPPES lookup is another
//! edit). docs/domain/claims.md §3.

/// The Luhn sum the prefix 80840 adds to the base (the constant of the CMS document).
const PREFIX_SUM: u32 = 24;

/// The check digit of a nine-digit base, or `None` when `base9` is not nine ASCII digits.
///
/// From the rightmost base digit, every other digit is doubled and the digits of each product
/// are added to the undoubled digits; 24 is added for the prefix 80840; the check digit is
/// what brings the total to the next multiple of ten.
#[must_use]
pub fn check_digit(base9: &str) -> Option<u8> {
    if base9.len() != 9 || !base9.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut sum = PREFIX_SUM;
    for (i, b) in base9.bytes().rev().enumerate() {
        let d = u32::from(b - b'0');
        sum += if i % 2 == 0 {
            let twice = d * 2;
            twice / 10 + twice % 10
        } else {
            d
        };
    }
    u8::try_from((10 - sum % 10) % 10).ok()
}

/// True when `npi` is ten ASCII digits, begins with 1 or 2 and its last digit is the check
/// digit of the first nine.
#[must_use]
pub fn is_valid(npi: &str) -> bool {
    let npi = npi.trim();
    if npi.len() != 10 || !npi.bytes().all(|b| b.is_ascii_digit()) || !npi.starts_with(['1', '2']) {
        return false;
    }
    let (base, last) = npi.split_at(9);
    match (check_digit(base), last.bytes().next()) {
        (Some(check), Some(b)) => check == b - b'0',
        _ => false,
    }
}

/// Why an NPI fails, in words, or `None` when it is valid.
#[must_use]
pub fn problem(npi: &str) -> Option<String> {
    let npi = npi.trim();
    if npi.len() != 10 || !npi.bytes().all(|b| b.is_ascii_digit()) {
        return Some(format!("\"{npi}\" is not 10 digits"));
    }
    if !npi.starts_with(['1', '2']) {
        return Some(format!("{npi} does not begin with 1 or 2"));
    }
    if is_valid(npi) {
        return None;
    }
    let expected = check_digit(&npi[..9]).map_or_else(String::new, |d| d.to_string());
    Some(format!(
        "{npi} fails the check digit (the Luhn digit of {} with prefix 80840 is {expected})",
        &npi[..9]
    ))
}

/// A synthetic, check-digit-valid NPI from a seed: always the same for the same seed, ten
/// digits, beginning with 1 or 2. For generated cases only; it is not an issued number.
#[must_use]
pub fn synthetic(seed: u64) -> String {
    // SplitMix64: a fixed, well-mixed function of the seed (no random stream needed).
    let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    let first = if z & 1 == 0 { 1 } else { 2 };
    let base = format!("{first}{:08}", (z >> 1) % 100_000_000);
    let check = check_digit(&base).map_or_else(String::new, |d| d.to_string());
    format!("{base}{check}")
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn the_cms_worked_example_is_valid_and_a_changed_check_digit_is_not() {
        assert_eq!(check_digit("123456789"), Some(3));
        assert!(is_valid("1234567893"));
        assert!(!is_valid("1234567890"));
        assert_eq!(problem("1234567893"), None);
        assert_eq!(
            problem("1234567890").unwrap(),
            "1234567890 fails the check digit (the Luhn digit of 123456789 with prefix 80840 is 3)"
        );
    }

    #[test]
    fn wrong_length_letters_and_first_digit_are_invalid() {
        for bad in [
            "",
            "123456789",
            "12345678930",
            "12345678A3",
            "123456789 ",
            "3234567893",
            "12345678\u{e9}",
        ] {
            // A trailing space is trimmed: "123456789 " is nine digits.
            assert!(!is_valid(bad), "{bad}");
        }
        assert_eq!(check_digit("12345678"), None);
        assert_eq!(check_digit("12345678A"), None);
        assert_eq!(problem("12345").unwrap(), "\"12345\" is not 10 digits");
        assert_eq!(
            problem("3234567893").unwrap(),
            "3234567893 does not begin with 1 or 2"
        );
    }

    #[test]
    fn synthetic_npis_are_valid_deterministic_and_varied() {
        let all: Vec<String> = (0..500).map(synthetic).collect();
        for npi in &all {
            assert!(is_valid(npi), "{npi}");
        }
        assert_eq!(synthetic(7), synthetic(7));
        let distinct: std::collections::BTreeSet<&String> = all.iter().collect();
        assert_eq!(distinct.len(), 500);
        assert!(all.iter().any(|n| n.starts_with('1')));
        assert!(all.iter().any(|n| n.starts_with('2')));
    }
}
