//! The clinical picture: conditions chosen by the scenario's groups and templates, then the
//! medications and allergies, vital signs and labs that cohere with them.
//!
//! Coherence rule: for each vital sign and lab, the range comes from the baseline unless a
//! present condition (active or suspected, never ruled out or resolved) sets one; when several
//! do, the range whose midpoint lies farthest from the baseline midpoint wins (the most abnormal
//! finding dominates, as in a septic patient who is also hypertensive).

use chrono::{Days, NaiveDate, NaiveDateTime, TimeDelta};

use super::rng::{SimRng, chance, in_pair, in_range, pick};
use crate::patient::{
    Allergy, Condition, ConditionStatus, LabResult, Medication, Sex, VitalSigns, round1,
};
use std::collections::BTreeMap;

use crate::patient::spec::{PatientSpec, Range, VitalEffects};

/// Conditions for one patient, in group order.
pub fn conditions(rng: &mut SimRng, spec: &PatientSpec, encounter_date: NaiveDate) -> Vec<Chosen> {
    let mut out = Vec::new();
    for group in &spec.conditions {
        if !chance(rng, group.probability) {
            continue;
        }
        let Some(template_id) = pick(rng, &group.choose) else {
            continue;
        };
        let Some((template_index, template)) = spec
            .condition_templates
            .iter()
            .enumerate()
            .find(|(_, t)| &t.id == template_id)
        else {
            continue;
        };
        let variants: Vec<crate::patient::spec::Weighted<usize>> = template
            .variants
            .iter()
            .enumerate()
            .map(|(i, v)| crate::patient::spec::Weighted {
                weight: v.weight,
                value: i,
            })
            .collect();
        let Some((variant_index, variant)) =
            pick(rng, &variants).and_then(|i| template.variants.get(*i).map(|v| (*i, v)))
        else {
            continue;
        };
        let onset = template.onset_days_before.and_then(|pair| {
            encounter_date.checked_sub_days(Days::new(u64::from(in_pair(rng, pair))))
        });
        out.push(Chosen {
            condition: Condition {
                template: template.id.clone(),
                group: group.id.clone(),
                display: variant.display.clone(),
                codes: variant.codes.clone(),
                facts: variant.facts.clone(),
                symptoms: template.symptoms.clone(),
                status: group.status,
                onset,
            },
            template: template_index,
            variant: variant_index,
        });
    }
    out
}

/// A chosen condition with where it came from in the scenario.
#[derive(Debug, Clone)]
pub struct Chosen {
    /// The condition.
    pub condition: Condition,
    /// Index of its template in `condition_templates`.
    pub template: usize,
    /// Index of its variant in the template's `variants`.
    pub variant: usize,
}

/// Lab ranges by lab name.
type LabEffects = BTreeMap<String, Range>;

/// The physiological effects of the present conditions: per condition, the variant's effects
/// first, then the template's (a variant's setting wins for that condition).
#[derive(Debug, Clone, Default)]
pub struct Effects<'a> {
    vitals: Vec<(&'a VitalEffects, &'a VitalEffects)>,
    labs: Vec<(&'a LabEffects, &'a LabEffects)>,
}

impl<'a> Effects<'a> {
    /// The effects of the present (active or suspected) conditions among `chosen`.
    pub fn of(spec: &'a PatientSpec, chosen: &[Chosen]) -> Self {
        let mut out = Self::default();
        for c in chosen.iter().filter(|c| is_present(&c.condition)) {
            let Some(t) = spec.condition_templates.get(c.template) else {
                continue;
            };
            let Some(v) = t.variants.get(c.variant) else {
                continue;
            };
            out.vitals.push((&v.vitals, &t.vitals));
            out.labs.push((&v.labs, &t.labs));
        }
        out
    }

    fn vital(&self, get: fn(&VitalEffects) -> Option<Range>) -> impl Iterator<Item = Range> + '_ {
        self.vitals
            .iter()
            .filter_map(move |(v, t)| get(v).or_else(|| get(t)))
    }

    fn lab<'b>(&'b self, name: &'b str) -> impl Iterator<Item = Range> + 'b {
        self.labs
            .iter()
            .filter_map(move |(v, t)| v.get(name).or_else(|| t.get(name)).copied())
    }
}

/// Whether a condition shapes the physiology (ruled-out and resolved ones do not).
pub(crate) fn is_present(c: &Condition) -> bool {
    matches!(
        c.status,
        ConditionStatus::Active | ConditionStatus::Suspected
    )
}

/// Home medications whose conditions are met, each drawn with its probability.
pub fn medications(
    rng: &mut SimRng,
    spec: &PatientSpec,
    conditions: &[Condition],
) -> Vec<Medication> {
    let mut out = Vec::new();
    for m in &spec.medications {
        let eligible = m.when_any.is_empty()
            || m.when_any
                .iter()
                .any(|t| conditions.iter().any(|c| &c.template == t && is_present(c)));
        // Draw even when not eligible, so one medication's eligibility never shifts the others.
        let drawn = chance(rng, m.probability);
        if eligible && drawn && !out.iter().any(|o: &Medication| o.name == m.name) {
            out.push(Medication {
                name: m.name.clone(),
                dose: m.dose.clone(),
                route: m.route.clone(),
                frequency: m.frequency.clone(),
                indication: m.indication.clone(),
            });
        }
    }
    out
}

/// Allergies, each drawn with its probability.
pub fn allergies(rng: &mut SimRng, spec: &PatientSpec) -> Vec<Allergy> {
    let mut out = Vec::new();
    for a in &spec.allergies {
        if chance(rng, a.probability) && !out.iter().any(|o: &Allergy| o.allergen == a.allergen) {
            out.push(Allergy {
                allergen: a.allergen.clone(),
                category: a.category,
                kind: a.kind,
                reaction: a.reaction.clone(),
                severity: a.severity,
                criticality: a.criticality,
            });
        }
    }
    out
}

/// The effective range: the baseline, or the most abnormal range a present condition sets.
pub(crate) fn effective_range(baseline: Range, overrides: impl Iterator<Item = Range>) -> Range {
    let mid = |r: Range| (r.min + r.max) / 2.0;
    let base_mid = mid(baseline);
    let mut best = baseline;
    let mut best_distance = 0.0;
    for r in overrides {
        let d = (mid(r) - base_mid).abs();
        if d > best_distance {
            best = r;
            best_distance = d;
        }
    }
    best
}

fn vital_range(
    baseline: Range,
    effects: &Effects<'_>,
    get: fn(&VitalEffects) -> Option<Range>,
) -> Range {
    effective_range(baseline, effects.vital(get))
}

/// A series of vital-sign readings ending at `last_at`.
pub fn vitals(
    rng: &mut SimRng,
    spec: &PatientSpec,
    sex: Sex,
    effects: &Effects<'_>,
    last_at: NaiveDateTime,
    recovering: bool,
) -> Vec<VitalSigns> {
    let v = &spec.vitals;
    let temp = vital_range(v.temperature_c, effects, |e| e.temperature_c);
    let hr = vital_range(v.heart_rate_bpm, effects, |e| e.heart_rate_bpm);
    let rr = vital_range(v.respiratory_rate_per_min, effects, |e| {
        e.respiratory_rate_per_min
    });
    let sbp = vital_range(v.systolic_mmhg, effects, |e| e.systolic_mmhg);
    let dbp = vital_range(v.diastolic_mmhg, effects, |e| e.diastolic_mmhg);
    let spo2 = vital_range(v.spo2_percent, effects, |e| e.spo2_percent);
    let pain = vital_range(v.pain_score, effects, |e| e.pain_score);
    let bmi_range = vital_range(v.bmi, effects, |e| e.bmi);

    // One underlying value per vital, with small reading-to-reading variation inside the range.
    let height_cm = in_range(rng, height_range(v.height_cm, sex), 1);
    let bmi = in_range(rng, bmi_range, 1);
    let weight_kg = round1(bmi * (height_cm / 100.0) * (height_cm / 100.0));
    let sick = Centres {
        temp: in_range(rng, temp, 1),
        hr: in_range(rng, hr, 0),
        rr: in_range(rng, rr, 0),
        sbp: in_range(rng, sbp, 0),
        dbp: in_range(rng, dbp, 0),
        spo2: in_range(rng, spo2, 0),
        pain: in_range(rng, pain, 0),
    };
    // A patient discharged after treatment recovers: the series runs from the condition's
    // values on admission to the baseline's at discharge.
    let well = Centres {
        temp: in_range(rng, v.temperature_c, 1),
        hr: in_range(rng, v.heart_rate_bpm, 0),
        rr: in_range(rng, v.respiratory_rate_per_min, 0),
        sbp: in_range(rng, v.systolic_mmhg, 0),
        dbp: in_range(rng, v.diastolic_mmhg, 0),
        spo2: in_range(rng, v.spo2_percent, 0),
        pain: in_range(rng, v.pain_score, 0),
    };
    let readings = v.readings.max(1);
    let mut out = Vec::with_capacity(readings as usize);
    for k in 0..readings {
        let t = if recovering && readings > 1 {
            f64::from(k) / f64::from(readings - 1)
        } else {
            0.0
        };
        let centre = sick.towards(&well, t);
        let temp = span(temp, v.temperature_c, recovering);
        let hr = span(hr, v.heart_rate_bpm, recovering);
        let rr = span(rr, v.respiratory_rate_per_min, recovering);
        let sbp = span(sbp, v.systolic_mmhg, recovering);
        let dbp = span(dbp, v.diastolic_mmhg, recovering);
        let spo2 = span(spo2, v.spo2_percent, recovering);
        let pain = span(pain, v.pain_score, recovering);
        let minutes_before = i64::from((readings - 1 - k) * v.interval_minutes);
        let taken_at = last_at - TimeDelta::minutes(minutes_before);
        let jitter = |rng: &mut SimRng, centre: f64, spread: f64, range: Range, decimals: u8| {
            let lo = (centre - spread).max(range.min.min(range.max));
            let hi = (centre + spread).min(range.max.max(range.min));
            in_range(rng, Range { min: lo, max: hi }, decimals)
        };
        let temperature_c = jitter(rng, centre.temp, 0.2, temp, 1);
        let heart_rate = jitter(rng, centre.hr, 4.0, hr, 0);
        let resp = jitter(rng, centre.rr, 1.0, rr, 0);
        let mut systolic = jitter(rng, centre.sbp, 5.0, sbp, 0);
        let mut diastolic = jitter(rng, centre.dbp, 3.0, dbp, 0);
        if diastolic >= systolic - 15.0 {
            diastolic = (systolic - 20.0).max(30.0);
            systolic = systolic.max(diastolic + 20.0);
        }
        let sat = jitter(rng, centre.spo2, 1.0, spo2, 0).min(100.0);
        let pain_score = jitter(rng, centre.pain, 1.0, pain, 0);
        out.push(VitalSigns {
            taken_at,
            temperature_c,
            heart_rate_bpm: whole(heart_rate),
            respiratory_rate_per_min: whole(resp),
            systolic_mmhg: whole(systolic),
            diastolic_mmhg: whole(diastolic),
            spo2_percent: whole(sat),
            oxygen: v.oxygen.clone(),
            pain_score: whole(pain_score),
            pain_scale: v.pain_scale.clone(),
            height_cm,
            weight_kg,
        });
    }
    out
}

/// Heights by sex: the lower 60 % of the scenario's range for female patients, the upper 60 %
/// for male patients, so a cohort shows the usual difference without a second setting.
pub(crate) fn height_range(range: Range, sex: Sex) -> Range {
    let span = range.max - range.min;
    match sex {
        Sex::Female => Range {
            min: range.min,
            max: range.min + 0.6 * span,
        },
        Sex::Male => Range {
            min: range.max - 0.6 * span,
            max: range.max,
        },
    }
}

/// The range a reading may fall in: the condition's, or (while recovering) the hull of the
/// condition's and the baseline's.
fn span(condition: Range, baseline: Range, recovering: bool) -> Range {
    if recovering {
        Range {
            min: condition.min.min(baseline.min),
            max: condition.max.max(baseline.max),
        }
    } else {
        condition
    }
}

impl Centres {
    fn towards(&self, other: &Self, t: f64) -> Self {
        let mix = |a: f64, b: f64, decimals: i32| {
            let scale = 10f64.powi(decimals);
            ((a + (b - a) * t) * scale).round() / scale
        };
        Self {
            temp: mix(self.temp, other.temp, 1),
            hr: mix(self.hr, other.hr, 0),
            rr: mix(self.rr, other.rr, 0),
            sbp: mix(self.sbp, other.sbp, 0),
            dbp: mix(self.dbp, other.dbp, 0),
            spo2: mix(self.spo2, other.spo2, 0),
            pain: mix(self.pain, other.pain, 0),
        }
    }
}

struct Centres {
    temp: f64,
    hr: f64,
    rr: f64,
    sbp: f64,
    dbp: f64,
    spo2: f64,
    pain: f64,
}

fn whole(v: f64) -> u32 {
    if v <= 0.0 { 0 } else { v.round() as u32 }
}

/// The lab panel, with values shifted by present conditions.
pub fn labs(
    rng: &mut SimRng,
    spec: &PatientSpec,
    effects: &Effects<'_>,
    collected_at: NaiveDateTime,
) -> Vec<LabResult> {
    spec.labs
        .iter()
        .map(|l| {
            let range = effective_range(l.value, effects.lab(&l.name));
            LabResult {
                name: l.name.clone(),
                loinc: l.loinc.clone(),
                value: in_range(rng, range, l.decimals),
                unit: l.unit.clone(),
                reference_low: Some(l.reference.min),
                reference_high: Some(l.reference.max),
                collected_at,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn most_abnormal_range_wins() {
        let base = Range {
            min: 60.0,
            max: 100.0,
        };
        let picked = effective_range(
            base,
            [
                Range {
                    min: 95.0,
                    max: 110.0,
                },
                Range {
                    min: 110.0,
                    max: 135.0,
                },
            ]
            .into_iter(),
        );
        assert_eq!(
            picked,
            Range {
                min: 110.0,
                max: 135.0
            }
        );
        assert_eq!(effective_range(base, std::iter::empty()), base);
    }
}
