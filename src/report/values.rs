//! Answer values in the form a person reads: `36.4 °C`, not `{"unit":"°C","value":36.4}`.
//!
//! Grading keeps expected and given values as JSON (and the store keeps them as JSON text);
//! every screen and report that shows one goes through [`display_value`] (or [`display_json_text`]
//! for stored text), so the feedback view, the gradebook and the printable reports agree:
//!
//! - strings as written; `null` as empty; `true`/`false` as `Yes`/`No`; numbers as printed;
//! - quantities (`{"value": …, "unit": …}`) as `value unit`, UCUM codes spelled for people
//!   (`Cel` → `°C`, `[degF]` → `°F`, `mm[Hg]` → `mmHg`, `{beats}/min` → `/min`);
//! - RFC 3339 times as `2026-03-04 10:00` (UTC); dates (`2026-03-04`) as they are;
//! - lists joined with `, ` (lists of records with `; `);
//! - coded entries (`{"code": …}`) as the code with its title when known (`I10 — Essential
//!   (primary) hypertension`); other records as `Label: value` pairs with labels written for
//!   people (`reaction_type` → `Reaction type`).
//!
//! The title of a code comes from a caller-supplied lookup: this module does not read code sets.

use serde_json::{Map, Value};

/// Looks up the title of a code (`None` when unknown).
pub type CodeTitles<'a> = &'a dyn Fn(&str) -> Option<String>;

/// A value as display text, codes without titles.
#[must_use]
pub fn display_value(value: &Value) -> String {
    display_value_with(value, &|_| None)
}

/// A value as display text; `titles` names the codes it contains (lists of code strings are
/// treated as codes when every item has a title).
#[must_use]
pub fn display_value_with(value: &Value, titles: CodeTitles<'_>) -> String {
    match value {
        Value::Null => String::new(),
        Value::Bool(b) => if *b { "Yes" } else { "No" }.to_string(),
        Value::Number(n) => display_number(n),
        Value::String(s) => display_string(s, titles),
        Value::Array(items) => {
            let records = items.iter().any(Value::is_object);
            let parts: Vec<String> = items
                .iter()
                .map(|v| display_value_with(v, titles))
                .filter(|s| !s.is_empty())
                .collect();
            parts.join(if records { "; " } else { ", " })
        }
        Value::Object(map) => display_record(map, titles),
    }
}

/// Stored JSON text (as the attempt findings keep it) as display text; text that is not JSON is
/// shown as it is.
#[must_use]
pub fn display_json_text(text: &str, titles: CodeTitles<'_>) -> String {
    match serde_json::from_str::<Value>(text) {
        Ok(value) => display_value_with(&value, titles),
        Err(_) => text.to_string(),
    }
}

/// A string: an RFC 3339 time as `YYYY-MM-DD HH:MM` (UTC), a code with its title, else as is.
fn display_string(s: &str, titles: CodeTitles<'_>) -> String {
    if s.len() > 10
        && let Ok(t) = chrono::DateTime::parse_from_rfc3339(s)
    {
        return t
            .with_timezone(&chrono::Utc)
            .format("%Y-%m-%d %H:%M")
            .to_string();
    }
    match titles(s) {
        Some(title) => format!("{s} — {title}"),
        None => s.to_string(),
    }
}

/// A number as people write it: `82`, not `82.0`; fractions as stored (`36.4`).
fn display_number(n: &serde_json::Number) -> String {
    match n.as_f64() {
        Some(f) if n.is_f64() && f.fract() == 0.0 && f.abs() < 1e15 => format!("{f:.0}"),
        _ => n.to_string(),
    }
}

fn display_record(map: &Map<String, Value>, titles: CodeTitles<'_>) -> String {
    // An ordinal key with defensible levels (ESI): `{"accept": [2], "partial": [3]}`.
    if let Some(Value::Array(accept)) = map.get("accept")
        && map
            .keys()
            .all(|k| matches!(k.as_str(), "accept" | "partial"))
    {
        let levels = |items: &[Value]| {
            items
                .iter()
                .map(|v| display_value_with(v, titles))
                .collect::<Vec<_>>()
                .join(" or ")
        };
        let partial = map
            .get("partial")
            .and_then(Value::as_array)
            .filter(|p| !p.is_empty());
        return match partial {
            Some(p) => format!("{} ({} defensible)", levels(accept), levels(p)),
            None => levels(accept),
        };
    }
    if let Some(value) = map.get("value")
        && map.keys().all(|k| matches!(k.as_str(), "value" | "unit"))
    {
        let unit = map
            .get("unit")
            .and_then(Value::as_str)
            .map(display_unit)
            .unwrap_or_default();
        let value = display_value_with(value, titles);
        return match unit.as_str() {
            "" => value,
            "%" => format!("{value}%"),
            _ => format!("{value} {unit}"),
        };
    }
    if let Some(code) = map.get("code").and_then(Value::as_str) {
        let title = ["title", "display", "description"]
            .iter()
            .find_map(|k| map.get(*k).and_then(Value::as_str).map(str::to_string))
            .or_else(|| titles(code));
        return match title {
            Some(t) => format!("{code} — {t}"),
            None => code.to_string(),
        };
    }
    // What the record is about first (the drug, the allergen), then the rest in key order.
    let first = |k: &str| !LEADING_KEYS.contains(&k);
    let mut entries: Vec<(&String, &Value)> = map.iter().collect();
    entries.sort_by_key(|(k, _)| {
        (
            first(k),
            LEADING_KEYS.iter().position(|l| l == k).unwrap_or(0),
        )
    });
    entries
        .into_iter()
        .map(|(k, v)| (k, display_value_with(v, titles)))
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{}: {v}", label_of(k)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Keys that name what a record is about, shown first.
const LEADING_KEYS: &[&str] = &[
    "name",
    "drug",
    "medication",
    "allergen",
    "substance",
    "problem",
];

/// A UCUM unit code as people write it.
#[must_use]
pub fn display_unit(unit: &str) -> String {
    match unit {
        "Cel" | "degC" => "°C".to_string(),
        "[degF]" | "degF" => "°F".to_string(),
        "mm[Hg]" => "mmHg".to_string(),
        "{beats}/min" | "{breaths}/min" | "/min" => "/min".to_string(),
        "kg/m2" => "kg/m²".to_string(),
        "[lb_av]" => "lb".to_string(),
        "[in_i]" => "in".to_string(),
        other => other.to_string(),
    }
}

/// Abbreviations written in capitals in labels (`hospice_noe` → `Hospice NOE`).
const ABBREVIATIONS: &[&str] = &[
    "bmi", "chc", "cms", "drg", "esi", "f2f", "fhir", "gip", "hope", "hpi", "icd", "idg", "irc",
    "mrn", "nka", "noe", "pcs", "poa", "rhc", "soap", "spo2",
];

/// `reaction_type` → `Reaction type`; `hospice_noe` → `Hospice NOE`.
#[must_use]
pub fn label_of(key: &str) -> String {
    let key = key.replace("ms_drg", "msdrg");
    let words: Vec<String> = key
        .split('_')
        .filter(|w| !w.is_empty())
        .map(|w| {
            let lower = w.to_lowercase();
            if let Some(code_set) = match lower.as_str() {
                "icd10cm" => Some("ICD-10-CM"),
                "icd10pcs" => Some("ICD-10-PCS"),
                "msdrg" => Some("MS-DRG"),
                _ => None,
            } {
                code_set.to_string()
            } else if ABBREVIATIONS.contains(&lower.as_str()) {
                w.to_uppercase()
            } else {
                w.to_string()
            }
        })
        .collect();
    let spaced = words.join(" ");
    let mut chars = spaced.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_esi_key_with_defensible_levels_reads_as_words() {
        assert_eq!(
            display_value(&serde_json::json!({"accept": [2], "partial": [3]})),
            "2 (3 defensible)"
        );
        assert_eq!(display_value(&serde_json::json!([2, 1])), "2, 1");
    }
    use serde_json::json;

    #[test]
    fn values_read_as_people_write_them() {
        assert_eq!(display_value(&json!(82.0)), "82");
        assert_eq!(display_value(&json!(98.6)), "98.6");
        assert_eq!(
            display_value(&json!({"value": 70.0, "unit": "kg"})),
            "70 kg"
        );
        assert_eq!(
            display_value(&json!({"unit": "°C", "value": 36.4})),
            "36.4 °C"
        );
        assert_eq!(
            display_value(&json!({"value": 37.2, "unit": "Cel"})),
            "37.2 °C"
        );
        assert_eq!(display_value(&json!({"value": 97, "unit": "%"})), "97%");
        assert_eq!(display_value(&json!(["I10", "E11.9"])), "I10, E11.9");
        assert_eq!(display_value(&json!(true)), "Yes");
        assert_eq!(display_value(&Value::Null), "");
        assert_eq!(
            display_value(&json!("2026-03-04T10:05:00Z")),
            "2026-03-04 10:05"
        );
        assert_eq!(display_value(&json!("2026-03-04")), "2026-03-04");
        assert_eq!(
            display_value(&json!([{"allergen": "Penicillin", "reaction_type": "Hives"}])),
            "Allergen: Penicillin, Reaction type: Hives"
        );
        let titles = |c: &str| (c == "I10").then(|| "Essential hypertension".to_string());
        assert_eq!(
            display_value_with(&json!(["I10", {"code": "I10"}]), &titles),
            "I10 — Essential hypertension; I10 — Essential hypertension"
        );
        assert_eq!(
            display_json_text("{\"unit\":\"°C\",\"value\":36.4}", &|_| None),
            "36.4 °C"
        );
        assert_eq!(display_json_text("148/90", &|_| None), "148/90");
        assert_eq!(label_of("hospice_noe"), "Hospice NOE");
        assert_eq!(label_of("soap_note"), "SOAP note");
        assert_eq!(label_of("ms_drg"), "MS-DRG");
        assert_eq!(label_of("poa_indicators"), "POA indicators");
        assert_eq!(
            label_of("icd10pcs_root_operation"),
            "ICD-10-PCS root operation"
        );
        assert_eq!(
            display_value(&json!({"route": "PO", "name": "lisinopril"})),
            "Name: lisinopril, Route: PO"
        );
    }
}
