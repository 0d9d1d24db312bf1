//! Growth percentiles for a pediatric visit (docs/domain/charting.md §10): from the child's
//! measured weight, length/height and head circumference, by age and sex, on the WHO Child
//! Growth Standards (2006) under 24 months and the CDC 2000 growth charts from 2 to 20 years,
//! with the LMS parameters and formula of [`crate::generate::growth`].
//!
//! Under 24 months: weight-for-age, length-for-age, weight-for-length (45–110 cm) and head
//! circumference-for-age (WHO). From 24 months to 20 years: weight-for-age, stature-for-age and
//! BMI-for-age (CDC). Percentiles are charted as whole numbers.

use serde::{Deserialize, Serialize};

use crate::generate::growth::{self, Measure};
use crate::generate::rng::{in_range, rng_for};
use crate::patient::spec::Range;
use crate::patient::{Patient, Sex, VitalSigns};

/// Mixed into the patient seed so the head circumference has its own random stream.
const STREAM: u64 = 0x6e0a_711c_4c00_0010;

/// The growth section of a chart (and of the key): whole percentiles.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GrowthEntry {
    /// Weight-for-age percentile.
    #[serde(default)]
    pub weight_for_age: Option<u32>,
    /// Length-for-age (under 24 months) or stature-for-age percentile.
    #[serde(default)]
    pub length_for_age: Option<u32>,
    /// BMI-for-age percentile (2 to 20 years).
    #[serde(default)]
    pub bmi_for_age: Option<u32>,
    /// Weight-for-length percentile (under 24 months).
    #[serde(default)]
    pub weight_for_length: Option<u32>,
    /// Head circumference-for-age percentile (under 24 months).
    #[serde(default)]
    pub head_circumference_for_age: Option<u32>,
}

/// The child's age in months at a reading (30.4375 days a month), as the references count it.
#[must_use]
pub fn age_months(patient: &Patient, v: &VitalSigns) -> f64 {
    growth::months_of_days((v.taken_at.date() - patient.demographics.birth_date).num_days())
}

/// A head circumference (cm, one decimal) for a child under 24 months at the reading: drawn from
/// the patient seed between the 4th and 96th percentiles of WHO head circumference-for-age.
/// `None` from 24 months.
#[must_use]
pub fn head_circumference(patient: &Patient, patient_seed: u64) -> Option<f64> {
    let v = patient.vitals.last()?;
    let lms = growth::reference(
        patient.demographics.sex,
        Measure::HeadCircumference,
        age_months(patient, v),
    )?;
    let mut rng = rng_for(patient_seed ^ STREAM);
    let p = in_range(
        &mut rng,
        Range {
            min: 4.0,
            max: 96.0,
        },
        1,
    );
    let z = growth::normal_quantile(p / 100.0);
    Some((lms.value(z) * 10.0).round() / 10.0)
}

/// The percentile rounded to a whole number, charted between the 1st and the 99th (a value
/// below the 1st is charted "<1st" as 1, above the 99th "> 99th" as 99).
fn whole(lms: Option<growth::Lms>, x: f64) -> Option<u32> {
    lms.map(|l| growth::percentile(l, x).round().clamp(1.0, 99.0) as u32)
}

/// The key's percentiles for the last reading (and the head circumference, when measured).
#[must_use]
pub fn key_entry(patient: &Patient, head_circumference_cm: Option<f64>) -> GrowthEntry {
    let Some(v) = patient.vitals.last() else {
        return GrowthEntry::default();
    };
    percentiles(
        patient.demographics.sex,
        age_months(patient, v),
        (v.weight_kg, v.height_cm),
        head_circumference_cm,
    )
}

/// The percentiles of a child of `sex` aged `months` weighing `weight_kg` at `length_cm` (and
/// with head circumference `head_cm`); each `None` outside its reference.
#[must_use]
pub fn percentiles(
    sex: Sex,
    months: f64,
    (weight_kg, length_cm): (f64, f64),
    head_cm: Option<f64>,
) -> GrowthEntry {
    let at = |m: Measure| growth::reference(sex, m, months);
    let infant = months < 24.0;
    let bmi = weight_kg / (length_cm / 100.0).powi(2);
    GrowthEntry {
        weight_for_age: whole(at(Measure::Weight), weight_kg),
        length_for_age: whole(at(Measure::LengthHeight), length_cm),
        bmi_for_age: if infant {
            None
        } else {
            whole(at(Measure::Bmi), bmi)
        },
        weight_for_length: if infant {
            whole(growth::weight_for_length(sex, length_cm), weight_kg)
        } else {
            None
        },
        head_circumference_for_age: head_cm.and_then(|h| whole(at(Measure::HeadCircumference), h)),
    }
}

/// 1 → "1st", 12 → "12th", 22 → "22nd".
fn ordinal(n: u32) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// The percentiles as the exemplar note's Objective states them.
#[must_use]
pub fn summary(g: &GrowthEntry) -> String {
    let parts: Vec<String> = [
        ("weight-for-age", g.weight_for_age),
        ("length/height-for-age", g.length_for_age),
        ("weight-for-length", g.weight_for_length),
        ("BMI-for-age", g.bmi_for_age),
        ("head circumference-for-age", g.head_circumference_for_age),
    ]
    .iter()
    .filter_map(|(name, p)| p.map(|p| format!("{name} {} percentile", ordinal(p))))
    .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!("Growth: {}.", parts.join(", "))
    }
}
