//! Unit conversion for numeric criteria: temperature (°C, °F), mass (kg, g, lb, oz) and length
//! (cm, m, mm, in, ft). Other units (bpm, mmHg, %, /min) are compared by their canonical
//! spelling and never converted.
//!
//! Invariant: conversion only happens within one dimension; anything else is an error naming
//! both units.

use std::borrow::Cow;

/// A unit's dimension and its linear map to the dimension's base unit (°C, kg, cm).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Linear {
    dimension: &'static str,
    scale: f64,
    offset: f64,
}

/// Canonical spelling of a unit (aliases such as `F`, `degF`, `lbs`, `"` are folded).
#[must_use]
pub(crate) fn canonical(unit: &str) -> Cow<'static, str> {
    let trimmed = unit.trim();
    // A short ASCII unit is folded in place (the same lower case, spaces dropped).
    let mut buf = [0u8; 32];
    if trimmed.is_ascii() && trimmed.len() <= buf.len() {
        let mut len = 0;
        for b in trimmed.bytes().filter(|b| *b != b' ') {
            buf[len] = b.to_ascii_lowercase();
            len += 1;
        }
        let folded = std::str::from_utf8(&buf[..len]).unwrap_or_default();
        return known(folded).map_or_else(|| Cow::Owned(folded.to_string()), Cow::Borrowed);
    }
    let u = trimmed.to_lowercase().replace(' ', "");
    let u = u.trim_start_matches('°');
    known(u).map_or_else(|| Cow::Owned(u.to_string()), Cow::Borrowed)
}

/// The canonical spelling of a folded unit (lower case, no spaces, no leading `°`) that has
/// one.
fn known(u: &str) -> Option<&'static str> {
    Some(match u {
        "c" | "degc" | "celsius" | "℃" => "°C",
        "f" | "degf" | "fahrenheit" | "℉" => "°F",
        "kg" | "kgs" | "kilogram" | "kilograms" => "kg",
        "g" | "gram" | "grams" => "g",
        "lb" | "lbs" | "pound" | "pounds" | "#" => "lb",
        "oz" | "ounce" | "ounces" => "oz",
        "cm" | "centimeter" | "centimeters" | "centimetre" | "centimetres" => "cm",
        "mm" | "millimeter" | "millimeters" => "mm",
        "m" | "meter" | "meters" | "metre" | "metres" => "m",
        "in" | "inch" | "inches" | "\"" => "in",
        "ft" | "foot" | "feet" | "'" => "ft",
        "bpm" | "beats/min" | "/min" | "perminute" | "beatsperminute" => "/min",
        "breaths/min" | "breathsperminute" | "rpm" => "/min",
        "mmhg" | "mmofmercury" => "mmHg",
        "%" | "percent" | "pct" => "%",
        _ => return None,
    })
}

fn linear(canonical_unit: &str) -> Option<Linear> {
    let l = |dimension, scale, offset| {
        Some(Linear {
            dimension,
            scale,
            offset,
        })
    };
    match canonical_unit {
        "°C" => l("temperature", 1.0, 0.0),
        "°F" => l("temperature", 5.0 / 9.0, -32.0 * 5.0 / 9.0),
        "kg" => l("mass", 1.0, 0.0),
        "g" => l("mass", 0.001, 0.0),
        "lb" => l("mass", 0.453_592_37, 0.0),
        "oz" => l("mass", 0.028_349_523_125, 0.0),
        "cm" => l("length", 1.0, 0.0),
        "mm" => l("length", 0.1, 0.0),
        "m" => l("length", 100.0, 0.0),
        "in" => l("length", 2.54, 0.0),
        "ft" => l("length", 30.48, 0.0),
        _ => None,
    }
}

/// Why a value could not be converted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot convert {from} to {to}")]
pub struct UnitError {
    /// Source unit (canonical).
    pub from: String,
    /// Target unit (canonical).
    pub to: String,
}

/// Converts `value` from one unit to another.
///
/// # Errors
/// [`UnitError`] when the units are of different dimensions, or are unknown and spelled
/// differently.
pub fn convert(value: f64, from: &str, to: &str) -> Result<f64, UnitError> {
    let (from_c, to_c) = (canonical(from), canonical(to));
    if from_c == to_c {
        return Ok(value);
    }
    match (linear(&from_c), linear(&to_c)) {
        (Some(a), Some(b)) if a.dimension == b.dimension => {
            let base = value * a.scale + a.offset;
            Ok((base - b.offset) / b.scale)
        }
        _ => Err(UnitError {
            from: from_c.into_owned(),
            to: to_c.into_owned(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn fahrenheit_to_celsius() {
        assert!(close(convert(98.6, "°F", "°C").unwrap(), 37.0));
        assert!(close(convert(100.4, "F", "C").unwrap(), 38.0));
    }

    #[test]
    fn celsius_to_fahrenheit() {
        assert!(close(convert(39.0, "°C", "°F").unwrap(), 102.2));
    }

    #[test]
    fn pounds_and_kilograms() {
        assert!(close(convert(220.0, "lb", "kg").unwrap(), 99.790_321_4));
        assert!(close(
            convert(1.0, "kg", "lbs").unwrap(),
            2.204_622_621_848_776
        ));
    }

    #[test]
    fn inches_and_centimetres() {
        assert!(close(convert(70.0, "in", "cm").unwrap(), 177.8));
        assert!(close(convert(1.8, "m", "cm").unwrap(), 180.0));
    }

    #[test]
    fn different_dimensions_do_not_convert() {
        let e = convert(70.0, "kg", "cm").unwrap_err();
        assert_eq!(e.to_string(), "cannot convert kg to cm");
    }

    #[test]
    fn fixed_units_match_by_alias_only() {
        assert_eq!(convert(88.0, "bpm", "beats/min").unwrap(), 88.0);
        assert!(convert(120.0, "mmHg", "kPa").is_err());
    }
}
