//! Pediatric fever rules (docs/domain/triage-esi.md §6), for ESI v4 (2012 algorithm box) and v5.
//!
//! Age bands: a neonate is 0–28 days; a young infant is 29 days to under 3 months (29–89
//! days: day 90 counts as 3 months, matching v5's "younger than 90 days"); the older-child
//! rule covers 3 months to under 3 years in v4 and 3 months to under 18 years in v5 (v5's box
//! says "3 months and older"; adults are not "children"). A child is febrile when the triage
//! temperature is above 38.0 °C or a fever was reported at home. Thresholds are strict
//! (T > 38.0, T > 39.0, T < 36.0; v4 hypothermic infant T < 36.5).

use super::presentation::{Immunizations, Presentation};
use super::settings::EsiVersion;

/// What the pediatric fever box says for one presentation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FeverRule {
    /// No fever rule applies.
    NotApplicable,
    /// Assign at least ESI 2 (mandatory).
    AtLeastTwo(String),
    /// Expected ESI 2; the resource-based level is defensible for partial credit.
    ConsiderTwo(String),
    /// Consider ESI 3 (v4) or ESI 2 or 3 (v5, `two_also_acceptable`).
    ConsiderThree {
        /// Why the rule applies.
        reason: String,
        /// Whether ESI 2 is also acceptable (v5 "consider ESI 2 or 3").
        two_also_acceptable: bool,
    },
}

/// Temperature above which a child is febrile (°C).
pub(crate) const FEVER_ABOVE_C: f64 = 38.0;
/// Temperature above which the older-child rule applies (°C).
pub(crate) const HIGH_FEVER_ABOVE_C: f64 = 39.0;

/// Applies the pediatric fever box of the presentation's ESI version.
#[must_use]
pub(crate) fn pediatric_fever(p: &Presentation) -> FeverRule {
    let version = p.settings.version;
    let temp = p.vitals.temperature_c;
    let febrile = p.fever_history || temp.is_some_and(|t| t > FEVER_ABOVE_C);
    let shown = temp.map_or_else(|| "reported fever".to_owned(), |t| format!("T {t:.1} °C"));
    let age = p.age;
    let hypothermia_below_c = match version {
        EsiVersion::V4 => 36.5,
        EsiVersion::V5 => 36.0,
    };
    if age.months() < 3 {
        if let Some(t) = temp.filter(|&t| t < hypothermia_below_c) {
            return FeverRule::AtLeastTwo(format!(
                "hypothermic infant under 90 days (T {t:.1} °C < {hypothermia_below_c:.1} °C): high risk, at least ESI 2"
            ));
        }
        if !febrile {
            return FeverRule::NotApplicable;
        }
        if age.days() <= 28 {
            return FeverRule::AtLeastTwo(format!(
                "febrile infant 28 days old or younger ({shown} > 38.0 °C): at least ESI 2"
            ));
        }
        return FeverRule::ConsiderTwo(format!(
            "febrile infant 29–89 days old ({shown} > 38.0 °C): consider ESI 2 (expected 2; red flag in v5 ch.6)"
        ));
    }
    let upper_years = match version {
        EsiVersion::V4 => 3,
        EsiVersion::V5 => 18,
    };
    if age.years() >= upper_years {
        return FeverRule::NotApplicable;
    }
    let mut why = Vec::new();
    if version == EsiVersion::V5
        && let Some(t) = temp.filter(|&t| t < 36.0)
    {
        why.push(format!("T {t:.1} °C < 36.0 °C"));
    }
    if febrile {
        if let Some(t) = temp.filter(|&t| t > HIGH_FEVER_ABOVE_C) {
            why.push(format!("T {t:.1} °C > 39.0 °C"));
        }
        match p.immunizations {
            Immunizations::UpToDate => {}
            Immunizations::Incomplete => why.push("incomplete immunizations".to_owned()),
            Immunizations::NotRecorded => {
                why.push("immunizations not recorded (treated as incomplete)".to_owned());
            }
        }
        if p.fever_source.is_none() {
            why.push("no obvious source of fever".to_owned());
        }
    }
    if why.is_empty() {
        return FeverRule::NotApplicable;
    }
    let (band, consider) = match version {
        EsiVersion::V4 => ("3 months – 3 years", "consider ESI 3"),
        EsiVersion::V5 => ("3 months and older", "consider ESI 2 or 3"),
    };
    FeverRule::ConsiderThree {
        reason: format!("child {band} with {}: {consider}", why.join(", ")),
        two_also_acceptable: version == EsiVersion::V5,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tasks::triage::presentation::Age;

    fn child(age: Age, temp: f64, version: EsiVersion) -> Presentation {
        let mut p = Presentation::from_ron(r#"(age: Years(1), chief_complaint: "fever")"#).unwrap();
        p.age = age;
        p.vitals.temperature_c = Some(temp);
        p.settings.version = version;
        p
    }

    #[test]
    fn neonate_boundary_is_day_28() {
        assert!(matches!(
            pediatric_fever(&child(Age::Days(28), 38.1, EsiVersion::V5)),
            FeverRule::AtLeastTwo(_)
        ));
        assert!(matches!(
            pediatric_fever(&child(Age::Days(29), 38.1, EsiVersion::V5)),
            FeverRule::ConsiderTwo(_)
        ));
        assert!(matches!(
            pediatric_fever(&child(Age::Days(89), 38.1, EsiVersion::V4)),
            FeverRule::ConsiderTwo(_)
        ));
        assert_eq!(
            pediatric_fever(&child(Age::Days(28), 38.0, EsiVersion::V5)),
            FeverRule::NotApplicable
        );
    }

    #[test]
    fn older_child_rule_ends_at_3_years_in_v4_only() {
        let mut p = child(Age::Years(3), 39.5, EsiVersion::V4);
        p.immunizations = Immunizations::UpToDate;
        p.fever_source = Some("cough".into());
        assert_eq!(pediatric_fever(&p), FeverRule::NotApplicable);
        p.settings.version = EsiVersion::V5;
        assert_eq!(
            pediatric_fever(&p),
            FeverRule::ConsiderThree {
                reason: "child 3 months and older with T 39.5 °C > 39.0 °C: consider ESI 2 or 3"
                    .into(),
                two_also_acceptable: true,
            }
        );
    }

    #[test]
    fn hypothermic_infant_thresholds_differ_by_version() {
        assert!(matches!(
            pediatric_fever(&child(Age::Days(40), 36.2, EsiVersion::V4)),
            FeverRule::AtLeastTwo(_)
        ));
        assert_eq!(
            pediatric_fever(&child(Age::Days(40), 36.2, EsiVersion::V5)),
            FeverRule::NotApplicable
        );
    }
}
