//! The clinical picture: conditions chosen by the scenario's groups and templates, then the
//! medications and allergies, vital signs and labs that cohere with them.
//!
//! Coherence rule: for each vital sign and lab, the range comes from the baseline unless a
//! present condition (active or suspected, never ruled out or resolved) sets one; when several
//! do, the range whose midpoint lies farthest from the baseline midpoint wins (the most abnormal
//! finding dominates, as in a septic patient who is also hypertensive).

use chrono::{Days, NaiveDate, NaiveDateTime, TimeDelta};

use super::rng::{SimRng, chance, in_pair, in_range, pick, pick_index};
use crate::patient::{
    Allergy, Condition, ConditionStatus, LabResult, Medication, Sex, VitalSigns, round1,
};
use std::collections::BTreeMap;

use crate::patient::spec::{Criterion, LabFormula, PatientSpec, Range, VitalEffects};

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
        let Some((variant_index, variant)) =
            pick_index(rng, &template.variants, |v| Some(v.weight))
                .and_then(|i| template.variants.get(i).map(|v| (i, v)))
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

/// One draw per listed home medication, with its probability, in list order: whether the
/// patient takes it if its conditions hold ([`select_medications`] decides those once the
/// allergies, vital signs and labs are known). Every entry is drawn, eligible or not, so one
/// medication's conditions never shift the others' draws.
pub fn medication_draws(rng: &mut SimRng, spec: &PatientSpec) -> Vec<bool> {
    spec.medications
        .iter()
        .map(|m| chance(rng, m.probability))
        .collect()
}

/// What a medication's conditions are checked against.
#[derive(Debug, Clone, Copy)]
pub struct MedicationContext<'a> {
    /// The patient's conditions.
    pub conditions: &'a [Condition],
    /// The patient's allergies.
    pub allergies: &'a [Allergy],
    /// Sex.
    pub sex: Sex,
    /// Age in whole years.
    pub age_years: u32,
    /// Measured weight (kg), when taken.
    pub weight_kg: Option<f64>,
    /// The lab panel.
    pub labs: &'a [LabResult],
}

/// The home medications: each drawn entry whose conditions hold (a present `when_any`
/// template, the sex, no allergy in `unless_allergic_to`, the `requires` criteria); of entries
/// sharing a drug name the first that qualifies.
pub fn select_medications(
    spec: &PatientSpec,
    draws: &[bool],
    ctx: &MedicationContext<'_>,
) -> Vec<Medication> {
    let mut out: Vec<Medication> = Vec::new();
    for (m, drawn) in spec.medications.iter().zip(draws) {
        let templates_ok = m.when_any.is_empty()
            || m.when_any.iter().any(|t| {
                ctx.conditions
                    .iter()
                    .any(|c| &c.template == t && is_present(c))
            });
        let sex_ok = m.sex.is_none_or(|s| s == ctx.sex);
        let allergy_ok = !m.unless_allergic_to.iter().any(|a| {
            ctx.allergies
                .iter()
                .any(|x| x.allergen.eq_ignore_ascii_case(a))
        });
        let criteria_ok = m.requires.as_ref().is_none_or(|r| {
            let met = r.of.iter().filter(|c| criterion_holds(c, ctx)).count();
            met >= r.at_least as usize
        });
        if *drawn
            && templates_ok
            && sex_ok
            && allergy_ok
            && criteria_ok
            && !out.iter().any(|o| o.name == m.name)
        {
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

/// Whether one criterion holds for the patient (a missing weight or lab never does).
fn criterion_holds(c: &Criterion, ctx: &MedicationContext<'_>) -> bool {
    let lab = |name: &str| {
        ctx.labs
            .iter()
            .find(|l| l.name.eq_ignore_ascii_case(name))
            .map(|l| l.value)
    };
    match c {
        Criterion::AgeAtLeast(a) => ctx.age_years >= *a,
        Criterion::AgeBelow(a) => ctx.age_years < *a,
        Criterion::WeightAtMostKg(w) => ctx.weight_kg.is_some_and(|x| x <= *w),
        Criterion::WeightAboveKg(w) => ctx.weight_kg.is_some_and(|x| x > *w),
        Criterion::LabAtLeast(name, v) => lab(name).is_some_and(|x| x >= *v),
        Criterion::LabBelow(name, v) => lab(name).is_some_and(|x| x < *v),
        Criterion::AllergicTo(allergen) => ctx
            .allergies
            .iter()
            .any(|a| a.allergen.eq_ignore_ascii_case(allergen)),
    }
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

/// Who the vital signs are taken on, and when.
#[derive(Debug, Clone, Copy)]
pub struct VitalsFor {
    /// Sex (heights; children's growth references).
    pub sex: Sex,
    /// Date of birth (children's height and weight follow age).
    pub birth_date: NaiveDate,
    /// The last reading.
    pub last_at: NaiveDateTime,
    /// The arrival of a finished stay: its series then runs from arrival to `last_at`.
    pub arrival: Option<NaiveDateTime>,
    /// Discharged after treatment: the series runs from the condition's values to the
    /// baseline's.
    pub recovering: bool,
}

/// A series of vital-sign readings ending at `who.last_at`. Children and adolescents (under
/// 20 years) get a height and weight from the growth references at their age
/// ([`super::growth`]); adults from the scenario's height and BMI ranges. Pain is reported on
/// its scale's values (Wong-Baker FACES in steps of 2, CPOT 0–8).
pub fn vitals(
    rng: &mut SimRng,
    spec: &PatientSpec,
    effects: &Effects<'_>,
    who: &VitalsFor,
) -> Vec<VitalSigns> {
    let (sex, last_at, recovering) = (who.sex, who.last_at, who.recovering);
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
    let adult_heights = height_range(v.height_cm, sex);
    let height_cm = in_range(rng, adult_heights, 1);
    let bmi = in_range(rng, bmi_range, 1);
    let age_months = super::growth::months_of_days((last_at.date() - who.birth_date).num_days());
    // The two draws, as fractions of their ranges, place a child on the growth references.
    let share = |x: f64, r: Range| {
        if r.max > r.min {
            (x - r.min) / (r.max - r.min)
        } else {
            0.5
        }
    };
    let child = (age_months < super::growth::MAX_AGE_MONTHS)
        .then(|| {
            let (u_height, u_weight) = (share(height_cm, adult_heights), share(bmi, bmi_range));
            match v.weight_percentiles {
                Some(r) => super::growth::child_size_with_weight_between(
                    sex,
                    age_months,
                    u_height,
                    u_weight,
                    (r.min, r.max),
                ),
                None => super::growth::child_size(sex, age_months, u_height, u_weight),
            }
        })
        .flatten();
    let (height_cm, weight_kg) = child.unwrap_or_else(|| {
        (
            height_cm,
            round1(bmi * (height_cm / 100.0) * (height_cm / 100.0)),
        )
    });
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
        let taken_at = match who.arrival {
            Some(arrival) if recovering && readings > 1 && arrival < last_at => {
                let span_minutes = (last_at - arrival).num_minutes();
                arrival + TimeDelta::minutes(span_minutes * i64::from(k) / i64::from(readings - 1))
            }
            _ => {
                let minutes_before = i64::from((readings - 1 - k) * v.interval_minutes);
                last_at - TimeDelta::minutes(minutes_before)
            }
        };
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
            pain_score: on_pain_scale(&v.pain_scale, whole(pain_score)),
            pain_scale: v.pain_scale.clone(),
            height_cm,
            weight_kg,
        });
    }
    out
}

/// A pain score as its scale reports it: Wong-Baker FACES has the faces 0, 2, 4, 6, 8 and 10
/// (an odd score goes to the next face up), CPOT runs 0–8, VAS 0–100, the others 0–10.
#[must_use]
pub fn on_pain_scale(scale: &str, score: u32) -> u32 {
    if contains_ignoring_ascii_case(scale, "wong") {
        (score.div_ceil(2) * 2).min(10)
    } else if contains_ignoring_ascii_case(scale, "cpot") {
        score.min(8)
    } else if contains_ignoring_ascii_case(scale, "vas") {
        score.min(100)
    } else {
        score.min(10)
    }
}

/// Whether `text` contains `needle` (lowercase ASCII), ASCII letters compared without case:
/// `text.to_ascii_lowercase().contains(needle)` without the copy.
fn contains_ignoring_ascii_case(text: &str, needle: &str) -> bool {
    text.as_bytes()
        .windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
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

/// Whose labs: what the formulas need.
#[derive(Debug, Clone, Copy)]
pub struct LabsFor {
    /// Sex.
    pub sex: Sex,
    /// Age in whole years.
    pub age_years: u32,
}

/// The lab panel, with values shifted by present conditions; a lab with a formula is computed
/// from the others (every lab is drawn all the same, so the draws of the others never shift).
pub fn labs(
    rng: &mut SimRng,
    spec: &PatientSpec,
    effects: &Effects<'_>,
    collected_at: NaiveDateTime,
    who: LabsFor,
    height_cm: Option<f64>,
) -> Vec<LabResult> {
    let mut out: Vec<LabResult> = spec
        .labs
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
        .collect();
    let value_of =
        |out: &[LabResult], name: &str| out.iter().find(|r| r.name == name).map(|r| r.value);
    for (i, l) in spec.labs.iter().enumerate() {
        match &l.formula {
            None => {}
            Some(LabFormula::EgfrCkdEpi2021(creatinine)) => {
                let Some(j) = spec.labs.iter().position(|c| &c.name == creatinine) else {
                    continue;
                };
                let Some(target) = out.get(i).map(|r| r.value) else {
                    continue;
                };
                let cr_decimals = spec.labs.get(j).map_or(2, |c| c.decimals);
                let child_height = height_cm.filter(|h| who.age_years < 18 && *h > 0.0);
                let scr = match child_height {
                    Some(h) => schwartz_bedside_creatinine(target, h),
                    None => creatinine_for_egfr(target, who.age_years, who.sex),
                };
                let scr = round_to(scr, cr_decimals).max(0.1);
                if let Some(c) = out.get_mut(j) {
                    c.value = scr;
                }
                let egfr = match child_height {
                    Some(h) => 0.413 * h / scr,
                    None => egfr_ckd_epi_2021(scr, who.age_years, who.sex),
                };
                if let Some(e) = out.get_mut(i) {
                    e.value = round_to(egfr, l.decimals);
                }
            }
            Some(LabFormula::HematocritFromHemoglobin(hemoglobin)) => {
                if let Some(hb) = value_of(&out, hemoglobin)
                    && let Some(e) = out.get_mut(i)
                {
                    e.value = round_to(3.0 * hb, l.decimals);
                }
            }
            Some(LabFormula::AnionGap(na, cl, hco3)) => {
                if let (Some(na), Some(cl), Some(hco3)) =
                    (value_of(&out, na), value_of(&out, cl), value_of(&out, hco3))
                    && let Some(e) = out.get_mut(i)
                {
                    e.value = round_to(na - (cl + hco3), l.decimals);
                }
            }
        }
    }
    out
}

/// The creatinine (mg/dL) at which the bedside Schwartz equation (Schwartz et al., J Am Soc
/// Nephrol 2009;20:629) gives `egfr` for a child `height_cm` tall: 0.413 × height / eGFR.
#[must_use]
pub fn schwartz_bedside_creatinine(egfr: f64, height_cm: f64) -> f64 {
    0.413 * height_cm / egfr.max(1.0)
}

fn round_to(v: f64, decimals: u8) -> f64 {
    let scale = 10f64.powi(i32::from(decimals));
    (v * scale).round() / scale
}

/// CKD-EPI 2021 constants by sex: (kappa, alpha, sex factor).
fn ckd_epi_constants(sex: Sex) -> (f64, f64, f64) {
    match sex {
        Sex::Female => (0.7, -0.241, 1.012),
        Sex::Male => (0.9, -0.302, 1.0),
    }
}

/// eGFR (mL/min/1.73 m²) by the race-free CKD-EPI 2021 creatinine equation (Inker et al.,
/// N Engl J Med 2021;385:1737-49): 142 × min(Scr/κ, 1)^α × max(Scr/κ, 1)^−1.200 × 0.9938^age
/// (× 1.012 for women), κ = 0.7 (women) or 0.9 (men), α = −0.241 (women) or −0.302 (men).
#[must_use]
pub fn egfr_ckd_epi_2021(creatinine_mg_dl: f64, age_years: u32, sex: Sex) -> f64 {
    let (kappa, alpha, factor) = ckd_epi_constants(sex);
    let ratio = creatinine_mg_dl / kappa;
    142.0
        * ratio.min(1.0).powf(alpha)
        * ratio.max(1.0).powf(-1.2)
        * 0.9938_f64.powi(i32::try_from(age_years).unwrap_or(i32::MAX))
        * factor
}

/// The creatinine (mg/dL) at which [`egfr_ckd_epi_2021`] gives `egfr`.
#[must_use]
pub fn creatinine_for_egfr(egfr: f64, age_years: u32, sex: Sex) -> f64 {
    let (kappa, alpha, factor) = ckd_epi_constants(sex);
    let base = 142.0 * 0.9938_f64.powi(i32::try_from(age_years).unwrap_or(i32::MAX)) * factor;
    let r = egfr.max(1.0) / base;
    if r >= 1.0 {
        kappa * r.powf(1.0 / alpha)
    } else {
        kappa * r.powf(-1.0 / 1.2)
    }
}

/// The KDIGO GFR category of an eGFR: "1" (≥ 90), "2" (60–89), "3a" (45–59), "3b" (30–44),
/// "4" (15–29), "5" (< 15).
#[must_use]
pub fn kdigo_gfr_stage(egfr: f64) -> &'static str {
    match egfr {
        e if e >= 90.0 => "1",
        e if e >= 60.0 => "2",
        e if e >= 45.0 => "3a",
        e if e >= 30.0 => "3b",
        e if e >= 15.0 => "4",
        _ => "5",
    }
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
