//! A simulated triage shift: what a triage scenario writes (`task: Triage((shift: …))`) and the
//! arrivals generated from it.
//!
//! Each arrival is a generated patient: the scenario's `patient` spec supplies the shared parts
//! (languages, payers, home medications, allergies, condition templates, baseline vital signs),
//! and the arrival's [`TriageCase`] overrides the age, sex mix, condition and (for children) the
//! baseline vital signs. The arrival's ESI [`Presentation`] is built from the case's structured
//! facts plus the generated age and vital signs, so [`super::assess`] computes the key.
//!
//! Invariants: generation is a pure function of (scenario, patient seed); arrival `k` draws from
//! its own stream (`rng::patient_seed("<scenario id>#arrival", patient_seed, k)`), so changing one
//! case never changes the others; arrivals are sorted by time and numbered `a1`, `a2`, … in that
//! order; a change event only happens to a patient who waits (ESI 3–5 at first triage).

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, TimeDelta};
use serde::{Deserialize, Serialize};

use super::presentation::{
    Age, Arrival as ArrivalFacts, Baseline, CriticalFinding, Distress, HighRisk, Immunizations,
    LifeSavingIntervention, MentalStatus, Pain, PainCause, PainScale, Pregnancy, Presentation,
    Sex as EsiSex, Vitals,
};
use super::resources::Resource;
use super::settings::EsiSettings;
use crate::generate::{clinical, demographics, rng};
use crate::patient::spec::{
    AgeSpec, ConditionGroup, PatientSpec, Range, SexMix, VitalEffects, VitalsSpec, Weighted,
};
use crate::patient::{Sex, VitalSigns};
use crate::tasks::SpecProblem;

/// The shift a triage scenario simulates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShiftSpec {
    /// ESI version and counting conventions for every arrival (default v5).
    #[serde(default)]
    pub settings: EsiSettings,
    /// Clock time the first arrival comes in, e.g. `"14:00:00"`.
    #[serde(default = "two_pm")]
    pub start_time: NaiveTime,
    /// Number of arrivals (fixed, so a rubric can grade each by position).
    pub arrivals: u32,
    /// Minutes between one arrival and the next (inclusive range; 0 = together).
    pub gap_minutes: (u32, u32),
    /// Minutes one triage takes at the desk (default 5); sets the simulated triage order.
    #[serde(default = "five")]
    pub triage_minutes: u32,
    /// Case ids that arrive in every shift (placed among the others by the seed).
    #[serde(default)]
    pub always: Vec<String>,
    /// The case mix the other arrivals are drawn from.
    pub case_mix: Vec<Weighted<String>>,
    /// The kinds of arrival.
    pub cases: Vec<TriageCase>,
}

impl Default for ShiftSpec {
    fn default() -> Self {
        Self {
            settings: EsiSettings::default(),
            start_time: two_pm(),
            arrivals: 0,
            gap_minutes: (0, 0),
            triage_minutes: five(),
            always: Vec::new(),
            case_mix: Vec::new(),
            cases: Vec::new(),
        }
    }
}

fn two_pm() -> NaiveTime {
    NaiveTime::from_hms_opt(14, 0, 0).unwrap_or(NaiveTime::MIN)
}

fn five() -> u32 {
    5
}

fn one() -> f64 {
    1.0
}

/// One kind of arrival.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TriageCase {
    /// Case id (`snake_case`).
    pub id: String,
    /// Age range.
    pub age: AgeSpec,
    /// Sex mix (default: the scenario patient's).
    #[serde(default)]
    pub sex: Option<SexMix>,
    /// Condition template id in `patient.condition_templates` (its variants must share these
    /// ESI facts; they differ in wording and codes).
    pub condition: String,
    /// Baseline vital signs for this case (children need their own); default the patient's.
    #[serde(default)]
    pub vitals: Option<VitalsSpec>,
    /// The chief complaint in the patient's (or parent's) words.
    pub complaint: String,
    /// What the triage nurse sees and hears besides the vital signs.
    #[serde(default)]
    pub observations: Vec<String>,
    /// The structured ESI facts.
    #[serde(default)]
    pub esi: EsiFacts,
    /// A change while the patient waits (only for patients first triaged ESI 3–5).
    #[serde(default)]
    pub change: Option<ChangeSpec>,
    /// Clinical rationale for reviewers.
    #[serde(default)]
    pub remarks: String,
}

/// The ESI facts of a case (the presentation minus age, complaint and vital signs).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EsiFacts {
    /// Pregnancy status.
    #[serde(default)]
    pub pregnancy: Pregnancy,
    /// What causes the pain (decision point B).
    #[serde(default)]
    pub pain_cause: PainCause,
    /// Mental status.
    #[serde(default)]
    pub mental_status: MentalStatus,
    /// Whether that mental status is the patient's baseline.
    #[serde(default)]
    pub mental_status_baseline: Baseline,
    /// Mode of arrival.
    #[serde(default)]
    pub arrival: ArrivalFacts,
    /// Immediate life-saving interventions needed.
    #[serde(default)]
    pub life_saving_interventions: Vec<LifeSavingIntervention>,
    /// Critical findings.
    #[serde(default)]
    pub critical_findings: Vec<CriticalFinding>,
    /// High-risk features.
    #[serde(default)]
    pub high_risk: Vec<HighRisk>,
    /// Severe distress.
    #[serde(default)]
    pub severe_distress: Vec<Distress>,
    /// Predicted resources, item by item.
    #[serde(default)]
    pub resources: Vec<Resource>,
    /// Fever reported at home.
    #[serde(default)]
    pub fever_history: bool,
    /// Obvious source of a child's fever.
    #[serde(default)]
    pub fever_source: Option<String>,
    /// Immunization status.
    #[serde(default)]
    pub immunizations: Immunizations,
    /// Decision-point D judgment (see the presentation format).
    #[serde(default)]
    pub danger_zone_uptriage: Option<bool>,
    /// Levels accepted as equally right as the engine's (see the presentation format).
    #[serde(default)]
    pub also_accept: Vec<super::presentation::AlsoAccept>,
    /// SpO2 is the patient's norm (v5 decision point A).
    #[serde(default)]
    pub spo2_is_patient_norm: bool,
}

/// A change in a waiting patient's condition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChangeSpec {
    /// Chance the change happens (default 1).
    #[serde(default = "one")]
    pub probability: f64,
    /// Minutes after arrival (inclusive range); never before the first triage ends.
    pub after_minutes: (u32, u32),
    /// What the patient or family says at the desk.
    pub says: String,
    /// What the nurse sees.
    #[serde(default)]
    pub observations: Vec<String>,
    /// New vital-sign ranges (unset ones keep the first reading).
    #[serde(default)]
    pub vitals: VitalEffects,
    /// The ESI facts after the change (default: unchanged).
    #[serde(default)]
    pub esi: Option<EsiFacts>,
}

/// One generated arrival.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShiftArrival {
    /// `a1`, `a2`, … in arrival order.
    pub id: String,
    /// The case it was drawn from.
    pub case_id: String,
    /// Arrival time (simulated clock).
    pub arrived_at: NaiveDateTime,
    /// "LAST, First".
    pub name: String,
    /// Medical record number.
    pub mrn: String,
    /// Date of birth.
    pub birth_date: NaiveDate,
    /// "45-year-old", "6-week-old" …
    pub age_text: String,
    /// "female" / "male".
    pub sex: String,
    /// Home medications, as "name dose route frequency".
    pub medications: Vec<String>,
    /// Allergies, as "allergen (reaction)"; empty = no known allergies.
    pub allergies: Vec<String>,
    /// Vital signs measured at triage.
    pub vitals: VitalSigns,
    /// The presentation the key is computed from (the learner sees its complaint, vitals and
    /// observations, not its ESI facts).
    pub presentation: Presentation,
    /// What the nurse sees.
    pub observations: Vec<String>,
    /// A change while waiting, if one happens.
    pub change: Option<ShiftChange>,
}

/// A change event as it happens in the shift.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShiftChange {
    /// When (simulated clock).
    pub at: NaiveDateTime,
    /// What the patient or family says.
    pub says: String,
    /// What the nurse sees.
    pub observations: Vec<String>,
    /// New vital signs.
    pub vitals: VitalSigns,
    /// The presentation after the change.
    pub presentation: Presentation,
}

/// Generates the shift's arrivals, sorted by arrival time.
#[must_use]
pub fn arrivals(
    scenario_id: &str,
    base: &PatientSpec,
    shift: &ShiftSpec,
    shift_date: NaiveDate,
    patient_seed: u64,
) -> Vec<ShiftArrival> {
    let mut r = rng::rng_for(rng::patient_seed(
        &format!("{scenario_id}#shift"),
        patient_seed,
        0,
    ));
    // Which case each arrival is: the `always` cases first, then the mix; then shuffled.
    let mut picks: Vec<&TriageCase> = Vec::new();
    for id in &shift.always {
        if let Some(c) = shift.cases.iter().find(|c| &c.id == id) {
            picks.push(c);
        }
    }
    while picks.len() < shift.arrivals as usize {
        let Some(c) = rng::pick(&mut r, &shift.case_mix)
            .and_then(|id| shift.cases.iter().find(|c| &c.id == id))
        else {
            break;
        };
        picks.push(c);
    }
    picks.truncate(shift.arrivals as usize);
    // Fisher–Yates with the seeded stream.
    for i in (1..picks.len()).rev() {
        let j = rng::in_pair(&mut r, (0, u32::try_from(i).unwrap_or(0))) as usize;
        picks.swap(i, j);
    }
    let mut clock = shift_date.and_time(shift.start_time);
    let mut out = Vec::with_capacity(picks.len());
    let arrival_stream = format!("{scenario_id}#arrival");
    // One copy of the scenario's patient spec for the whole shift: each arrival sets the parts
    // its case overrides (age, sex, vital signs, the one condition) on it before drawing.
    let mut spec = base.clone();
    for (k, case) in picks.into_iter().enumerate() {
        if k > 0 {
            clock += TimeDelta::minutes(i64::from(rng::in_pair(&mut r, shift.gap_minutes)));
        }
        let index = u32::try_from(k).unwrap_or(u32::MAX);
        case_spec(&mut spec, base, case);
        out.push(arrival(
            &arrival_stream,
            &spec,
            shift,
            case,
            clock,
            patient_seed,
            index,
        ));
    }
    out
}

/// Makes `spec` the scenario's patient spec `base` as `case` overrides it: its age, sex mix,
/// baseline vital signs (one reading) and its condition as the only one. `spec` is a copy of
/// `base` (earlier cases may have changed those parts, never the others).
fn case_spec(spec: &mut PatientSpec, base: &PatientSpec, case: &TriageCase) {
    spec.age = case.age;
    spec.sex = case.sex.unwrap_or(base.sex);
    spec.vitals
        .clone_from(case.vitals.as_ref().unwrap_or(&base.vitals));
    spec.vitals.readings = 1;
    spec.conditions = vec![ConditionGroup {
        id: "complaint".into(),
        probability: 1.0,
        status: crate::patient::ConditionStatus::Active,
        choose: vec![Weighted {
            weight: 1.0,
            value: case.condition.clone(),
        }],
    }];
}

/// One arrival; `arrival_stream` is `"<scenario id>#arrival"`, `spec` the patient spec as the
/// case overrides it ([`case_spec`]).
fn arrival(
    arrival_stream: &str,
    spec: &PatientSpec,
    shift: &ShiftSpec,
    case: &TriageCase,
    arrived_at: NaiveDateTime,
    patient_seed: u64,
    index: u32,
) -> ShiftArrival {
    let seed = rng::patient_seed(arrival_stream, patient_seed, index);
    let mut r = rng::rng_for(seed);
    let date = arrived_at.date();
    let demo = demographics::demographics(&mut r, spec, date);
    let chosen = clinical::conditions(&mut r, spec, date);
    let effects = clinical::Effects::of(spec, &chosen);
    let conditions: Vec<_> = chosen.iter().map(|c| c.condition.clone()).collect();
    let medication_draws = clinical::medication_draws(&mut r, spec);
    let allergies = clinical::allergies(&mut r, spec);
    let measured_at = arrived_at + TimeDelta::minutes(2);
    let vitals = clinical::vitals(
        &mut r,
        spec,
        &effects,
        &clinical::VitalsFor {
            sex: demo.sex,
            birth_date: demo.birth_date,
            last_at: measured_at,
            arrival: None,
            recovering: false,
        },
    )
    .pop()
    .unwrap_or_else(|| fallback_vitals(measured_at));
    let meds = clinical::select_medications(
        spec,
        &medication_draws,
        &clinical::MedicationContext {
            conditions: &conditions,
            allergies: &allergies,
            sex: demo.sex,
            age_years: demo.age_years,
            weight_kg: Some(vitals.weight_kg),
            labs: &[],
        },
    );
    let age = esi_age(demo.birth_date, date);
    let presentation = build_presentation(case, &case.esi, age, demo.sex, &vitals, shift);
    let change = case.change.as_ref().and_then(|ch| {
        let happens = rng::chance(&mut r, ch.probability);
        let after = rng::in_pair(&mut r, ch.after_minutes);
        let new_vitals = redraw(&mut r, &vitals, &ch.vitals);
        let first = super::assess(&presentation);
        if !happens || first.level <= 2 {
            return None;
        }
        let earliest = arrived_at + TimeDelta::minutes(i64::from(shift.triage_minutes) * 3);
        let at = (arrived_at + TimeDelta::minutes(i64::from(after))).max(earliest);
        let facts = ch.esi.as_ref().unwrap_or(&case.esi);
        let mut p = build_presentation(case, facts, age, demo.sex, &new_vitals, shift);
        p.chief_complaint = ch.says.clone();
        Some(ShiftChange {
            at,
            says: ch.says.clone(),
            observations: ch.observations.clone(),
            vitals: VitalSigns {
                taken_at: at,
                ..new_vitals
            },
            presentation: p,
        })
    });
    ShiftArrival {
        id: format!("a{}", index + 1),
        case_id: case.id.clone(),
        arrived_at,
        name: format!("{}, {}", demo.family_name.to_uppercase(), demo.given_name),
        mrn: demo.mrn.clone(),
        birth_date: demo.birth_date,
        age_text: age_text(age),
        sex: match demo.sex {
            Sex::Female => "female".into(),
            Sex::Male => "male".into(),
        },
        medications: meds
            .iter()
            .map(|m| format!("{} {} {} {}", m.name, m.dose, m.route, m.frequency))
            .collect(),
        allergies: allergies
            .iter()
            .map(|a| format!("{} ({})", a.allergen, a.reaction))
            .collect(),
        vitals,
        presentation,
        observations: case.observations.clone(),
        change,
    }
}

fn fallback_vitals(at: NaiveDateTime) -> VitalSigns {
    VitalSigns {
        taken_at: at,
        temperature_c: 37.0,
        heart_rate_bpm: 80,
        respiratory_rate_per_min: 16,
        systolic_mmhg: 120,
        diastolic_mmhg: 75,
        spo2_percent: 98,
        oxygen: "room air".into(),
        pain_score: 0,
        pain_scale: "NRS 0-10".into(),
        height_cm: 170.0,
        weight_kg: 70.0,
    }
}

/// New readings for the vital signs a change sets; the others keep their value.
fn redraw(r: &mut rng::SimRng, v: &VitalSigns, e: &VitalEffects) -> VitalSigns {
    let mut whole =
        |range: Option<Range>, old: u32| range.map_or(old, |range| rng::whole_in_range(r, range));
    let heart_rate_bpm = whole(e.heart_rate_bpm, v.heart_rate_bpm);
    let respiratory_rate_per_min = whole(e.respiratory_rate_per_min, v.respiratory_rate_per_min);
    let systolic_mmhg = whole(e.systolic_mmhg, v.systolic_mmhg);
    let diastolic_mmhg =
        whole(e.diastolic_mmhg, v.diastolic_mmhg).min(systolic_mmhg.saturating_sub(15));
    let spo2_percent = whole(e.spo2_percent, v.spo2_percent).min(100);
    let pain_score = whole(e.pain_score, v.pain_score).min(10);
    let temperature_c = e
        .temperature_c
        .map_or(v.temperature_c, |range| rng::in_range(r, range, 1));
    VitalSigns {
        temperature_c,
        heart_rate_bpm,
        respiratory_rate_per_min,
        systolic_mmhg,
        diastolic_mmhg,
        spo2_percent,
        pain_score,
        ..v.clone()
    }
}

/// The ESI age: days under 3 months, months under 2 years, else years.
fn esi_age(birth: NaiveDate, on: NaiveDate) -> Age {
    let days = u32::try_from((on - birth).num_days()).unwrap_or(0);
    let months = crate::generate::text::months_between(birth, on);
    if days < 90 {
        Age::Days(days)
    } else if months < 24 {
        Age::Months(months)
    } else {
        Age::Years(crate::patient::age_in_years(birth, on))
    }
}

fn age_text(age: Age) -> String {
    match age {
        Age::Days(d) if d < 14 => format!("{d}-day-old"),
        Age::Days(d) => format!("{}-week-old", d / 7),
        Age::Months(m) => format!("{m}-month-old"),
        Age::Years(y) => format!("{y}-year-old"),
    }
}

fn pain_scale(name: &str) -> PainScale {
    let n = name.to_ascii_lowercase();
    if n.contains("flacc") {
        PainScale::Flacc
    } else if n.contains("wong") || n.contains("faces") {
        PainScale::WongBakerFaces
    } else if n.contains("painad") {
        PainScale::Painad
    } else {
        PainScale::Numeric
    }
}

fn build_presentation(
    case: &TriageCase,
    f: &EsiFacts,
    age: Age,
    sex: Sex,
    v: &VitalSigns,
    shift: &ShiftSpec,
) -> Presentation {
    let clamp16 = |x: u32| u16::try_from(x).unwrap_or(u16::MAX);
    Presentation {
        age,
        sex: match sex {
            Sex::Female => EsiSex::Female,
            Sex::Male => EsiSex::Male,
        },
        pregnancy: if sex == Sex::Female {
            f.pregnancy
        } else {
            Pregnancy::NotPregnant
        },
        chief_complaint: case.complaint.clone(),
        vitals: Vitals {
            heart_rate_bpm: Some(clamp16(v.heart_rate_bpm)),
            respiratory_rate_per_min: Some(clamp16(v.respiratory_rate_per_min)),
            spo2_percent: Some(u8::try_from(v.spo2_percent.min(100)).unwrap_or(100)),
            spo2_is_patient_norm: f.spo2_is_patient_norm,
            temperature_c: Some(v.temperature_c),
            systolic_bp_mmhg: Some(clamp16(v.systolic_mmhg)),
            diastolic_bp_mmhg: Some(clamp16(v.diastolic_mmhg)),
        },
        pain: Some(Pain {
            score: u8::try_from(v.pain_score.min(10)).unwrap_or(10),
            scale: pain_scale(&v.pain_scale),
            cause: f.pain_cause,
        }),
        mental_status: f.mental_status,
        mental_status_baseline: f.mental_status_baseline,
        arrival: f.arrival.clone(),
        life_saving_interventions: f.life_saving_interventions.clone(),
        critical_findings: f.critical_findings.clone(),
        high_risk: f.high_risk.clone(),
        severe_distress: f.severe_distress.clone(),
        resources: f.resources.clone(),
        fever_history: f.fever_history,
        fever_source: f.fever_source.clone(),
        immunizations: f.immunizations,
        danger_zone_uptriage: f.danger_zone_uptriage,
        also_accept: f.also_accept.clone(),
        settings: shift.settings,
    }
}

/// Every problem in a shift spec, each with its item path under `task.shift` and how to fix it.
#[must_use]
pub fn problems(shift: &ShiftSpec, base: &PatientSpec) -> Vec<SpecProblem> {
    let mut out = Vec::new();
    let mut err = |path: String, message: String, hint: &str| {
        out.push(SpecProblem::error(path, message, hint));
    };
    if !(1..=20).contains(&shift.arrivals) {
        err(
            "task.shift.arrivals".into(),
            format!("{} arrivals: a shift has 1 to 20", shift.arrivals),
            "set `arrivals` between 1 and 20",
        );
    }
    if shift.always.len() > shift.arrivals as usize {
        err(
            "task.shift.always".into(),
            "more `always` cases than arrivals".into(),
            "remove some or raise `arrivals`",
        );
    }
    let known = |id: &String| shift.cases.iter().any(|c| &c.id == id);
    for (i, id) in shift.always.iter().enumerate() {
        if !known(id) {
            err(
                format!("task.shift.always[{i}]"),
                format!("no case `{id}` in `cases`"),
                "use a case id from `cases`",
            );
        }
    }
    for (i, w) in shift.case_mix.iter().enumerate() {
        if !known(&w.value) {
            err(
                format!("task.shift.case_mix[{i}]"),
                format!("no case `{}` in `cases`", w.value),
                "use a case id from `cases`",
            );
        }
        if !(w.weight.is_finite() && w.weight > 0.0) {
            err(
                format!("task.shift.case_mix[{i}].weight"),
                format!("weight {} must be a positive number", w.weight),
                "weights are relative, e.g. 1, 2, 3",
            );
        }
    }
    if shift.case_mix.is_empty() && shift.always.len() < shift.arrivals as usize {
        err(
            "task.shift.case_mix".into(),
            "the case mix is empty".into(),
            "list cases with weights, or cover every arrival with `always`",
        );
    }
    for (i, c) in shift.cases.iter().enumerate() {
        if !base.condition_templates.iter().any(|t| t.id == c.condition) {
            err(
                format!("task.shift.cases[{i}].condition"),
                format!("no condition template `{}`", c.condition),
                "add it to `patient.condition_templates` or fix the id",
            );
        }
        if c.complaint.trim().is_empty() {
            err(
                format!("task.shift.cases[{i}].complaint"),
                "the chief complaint is empty".into(),
                "write it in the patient's words",
            );
        }
        if shift.cases.iter().take(i).any(|o| o.id == c.id) {
            err(
                format!("task.shift.cases[{i}].id"),
                format!("duplicate case id `{}`", c.id),
                "give each case its own id",
            );
        }
        if let Some(ch) = &c.change
            && !(0.0..=1.0).contains(&ch.probability)
        {
            err(
                format!("task.shift.cases[{i}].change.probability"),
                format!("probability {} must be 0 to 1", ch.probability),
                "use a share such as 0.5",
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_use_days_months_then_years() {
        let on = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        let birth = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(esi_age(birth(2026, 1, 15), on), Age::Days(45));
        assert_eq!(esi_age(birth(2025, 1, 15), on), Age::Months(13));
        assert_eq!(esi_age(birth(2020, 3, 2), on), Age::Years(5));
        assert_eq!(age_text(Age::Days(45)), "6-week-old");
        assert_eq!(age_text(Age::Days(9)), "9-day-old");
    }

    #[test]
    fn pain_scales_map_by_name() {
        assert_eq!(pain_scale("FLACC"), PainScale::Flacc);
        assert_eq!(pain_scale("Wong-Baker FACES"), PainScale::WongBakerFaces);
        assert_eq!(pain_scale("PAINAD"), PainScale::Painad);
        assert_eq!(pain_scale("NRS 0-10"), PainScale::Numeric);
    }

    #[test]
    fn a_change_only_redraws_the_vitals_it_sets() {
        let v = fallback_vitals(NaiveDate::MIN.and_time(NaiveTime::MIN));
        let mut r = rng::rng_for(1);
        let e = VitalEffects {
            heart_rate_bpm: Some(Range {
                min: 130.0,
                max: 130.0,
            }),
            ..VitalEffects::default()
        };
        let after = redraw(&mut r, &v, &e);
        assert_eq!(after.heart_rate_bpm, 130);
        assert_eq!(after.respiratory_rate_per_min, v.respiratory_rate_per_min);
        assert!((after.temperature_c - v.temperature_c).abs() < f64::EPSILON);
    }

    #[test]
    fn problems_name_unknown_cases_and_templates() {
        let shift = ShiftSpec {
            arrivals: 2,
            always: vec!["nope".into()],
            case_mix: vec![Weighted {
                weight: 0.0,
                value: "also_nope".into(),
            }],
            ..ShiftSpec::default()
        };
        let base: PatientSpec = ron::from_str(
            r#"(age: Years(20, 30), sex: (female: 0.5, male: 0.5), payers: [], encounter: (setting: Emergency, reason: "x"),
                conditions: [], condition_templates: [],
                vitals: (temperature_c: (min: 36.5, max: 37.0), heart_rate_bpm: (min: 60, max: 90), respiratory_rate_per_min: (min: 12, max: 18),
                         systolic_mmhg: (min: 110, max: 130), diastolic_mmhg: (min: 70, max: 80), spo2_percent: (min: 96, max: 99),
                         pain_score: (min: 0, max: 2), height_cm: (min: 150, max: 190), bmi: (min: 20, max: 30)))"#,
        )
        .unwrap();
        let paths: Vec<String> = problems(&shift, &base)
            .into_iter()
            .map(|p| p.item)
            .collect();
        assert_eq!(
            paths,
            [
                "task.shift.always[0]",
                "task.shift.case_mix[0]",
                "task.shift.case_mix[0].weight"
            ]
        );
    }
}
