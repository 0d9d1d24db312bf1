//! Danger-zone (ESI v4) and high-risk (ESI v5) vital signs by age band: decision point D.
//!
//! The two versions use different bands and cut-offs (docs/domain/triage-esi.md §5); both are
//! implemented exactly. Band boundaries, which the handbooks leave open, are defined here: a band includes
//! its lower bound, and an age that is the upper bound of one band and the lower bound of the
//! next belongs to the older band (a child of exactly 3 years is in "3–8 years", not in
//! "3 months – 3 years"). An upper bound with no band starting there is inclusive through the
//! whole year ("3–8 years" runs to 8 years 11 months, "> 8 years" starts at 9 years; "12–18
//! years" runs to 18 years 11 months). Ages are compared in completed units (see [`Age`]).

use super::presentation::{Age, Vitals};
use super::settings::EsiVersion;

/// The thresholds for one age band: a value above `heart_rate_above_bpm` or
/// `respiratory_rate_above_per_min`, or below `spo2_below_percent`, is in the danger zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VitalLimits {
    /// The band's name as the handbook writes it.
    pub band: &'static str,
    /// Heart rate strictly above this is in the danger zone.
    pub heart_rate_above_bpm: u16,
    /// Respiratory rate strictly above this is in the danger zone.
    pub respiratory_rate_above_per_min: u16,
    /// SpO2 strictly below this is in the danger zone.
    pub spo2_below_percent: u8,
}

const fn limits(band: &'static str, hr: u16, rr: u16) -> VitalLimits {
    VitalLimits {
        band,
        heart_rate_above_bpm: hr,
        respiratory_rate_above_per_min: rr,
        spo2_below_percent: 92,
    }
}

/// The danger-zone limits for `age` under `version`.
#[must_use]
pub(crate) fn limits_for(age: Age, version: EsiVersion) -> VitalLimits {
    match version {
        EsiVersion::V4 => {
            if age.months() < 3 {
                limits("< 3 months", 180, 50)
            } else if age.years() < 3 {
                limits("3 months – 3 years", 160, 40)
            } else if age.years() <= 8 {
                limits("3–8 years", 140, 30)
            } else {
                limits("> 8 years", 100, 20)
            }
        }
        EsiVersion::V5 => {
            if age.months() < 1 {
                limits("< 1 month", 190, 60)
            } else if age.years() < 1 {
                limits("1–12 months", 180, 55)
            } else if age.years() < 3 {
                limits("1–3 years", 140, 40)
            } else if age.years() < 5 {
                limits("3–5 years", 120, 35)
            } else if age.years() < 12 {
                limits("5–12 years", 120, 30)
            } else if age.years() <= 18 {
                limits("12–18 years", 100, 20)
            } else {
                limits("> 18 years", 100, 20)
            }
        }
    }
}

/// Every vital sign of `vitals` in the danger zone for `age`, as feedback sentences, in the
/// order heart rate, respiratory rate, SpO2.
#[must_use]
pub(crate) fn danger_zone_vitals(vitals: &Vitals, age: Age, version: EsiVersion) -> Vec<String> {
    let lim = limits_for(age, version);
    let name = match version {
        EsiVersion::V4 => "danger zone (v4)",
        EsiVersion::V5 => "high-risk range (v5)",
    };
    let mut out = Vec::new();
    if let Some(hr) = vitals
        .heart_rate_bpm
        .filter(|&hr| hr > lim.heart_rate_above_bpm)
    {
        out.push(format!(
            "HR {hr} > {} for age {}: {name}",
            lim.heart_rate_above_bpm, lim.band
        ));
    }
    if let Some(rr) = vitals
        .respiratory_rate_per_min
        .filter(|&rr| rr > lim.respiratory_rate_above_per_min)
    {
        out.push(format!(
            "RR {rr} > {} for age {}: {name}",
            lim.respiratory_rate_above_per_min, lim.band
        ));
    }
    if let Some(spo2) = vitals.spo2_percent.filter(|&s| s < lim.spo2_below_percent) {
        out.push(format!(
            "SpO2 {spo2}% < {}%: {name}",
            lim.spo2_below_percent
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boundary_ages_go_to_the_older_band() {
        assert_eq!(limits_for(Age::Years(3), EsiVersion::V4).band, "3–8 years");
        assert_eq!(limits_for(Age::Years(8), EsiVersion::V4).band, "3–8 years");
        assert_eq!(limits_for(Age::Years(9), EsiVersion::V4).band, "> 8 years");
        assert_eq!(
            limits_for(Age::Months(3), EsiVersion::V4).band,
            "3 months – 3 years"
        );
        assert_eq!(limits_for(Age::Days(89), EsiVersion::V4).band, "< 3 months");
        assert_eq!(limits_for(Age::Days(29), EsiVersion::V5).band, "< 1 month");
        assert_eq!(
            limits_for(Age::Days(30), EsiVersion::V5).band,
            "1–12 months"
        );
        assert_eq!(
            limits_for(Age::Months(12), EsiVersion::V5).band,
            "1–3 years"
        );
        assert_eq!(limits_for(Age::Years(5), EsiVersion::V5).band, "5–12 years");
        assert_eq!(
            limits_for(Age::Years(12), EsiVersion::V5).band,
            "12–18 years"
        );
        assert_eq!(
            limits_for(Age::Years(18), EsiVersion::V5).band,
            "12–18 years"
        );
        assert_eq!(
            limits_for(Age::Years(19), EsiVersion::V5).band,
            "> 18 years"
        );
    }

    #[test]
    fn thresholds_are_strict() {
        let v = Vitals {
            heart_rate_bpm: Some(100),
            respiratory_rate_per_min: Some(20),
            spo2_percent: Some(92),
            ..Vitals::default()
        };
        assert!(danger_zone_vitals(&v, Age::Years(40), EsiVersion::V5).is_empty());
        let v = Vitals {
            heart_rate_bpm: Some(101),
            respiratory_rate_per_min: Some(21),
            spo2_percent: Some(91),
            ..Vitals::default()
        };
        assert_eq!(
            danger_zone_vitals(&v, Age::Years(40), EsiVersion::V4),
            vec![
                "HR 101 > 100 for age > 8 years: danger zone (v4)".to_owned(),
                "RR 21 > 20 for age > 8 years: danger zone (v4)".to_owned(),
                "SpO2 91% < 92%: danger zone (v4)".to_owned(),
            ]
        );
    }
}
