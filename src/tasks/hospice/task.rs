//! The hospice learner task: a generated hospice chart ([`super::generate_timeline`]) to review,
//! the learner's submission and the key [`super::evaluate`] derives.
//!
//! The learner works from the chart (the timeline without the current stay's admission symptom
//! ratings, plus the admission narrative and a care log of hours and settings for the last days;
//! [`HospiceMaterial::printout`]) and submits: the election statement's missing elements,
//! the benefit periods with their certification dates and F2F windows, the NOE deadline,
//! timeliness and provider-liable days, the assessment and next IDG due dates, the HOPE update
//! windows and SFV due dates, the HOPE admission symptom impact ratings (J2051) and pain
//! severity (J0900), the level of care for each logged day, and the rule ids of every
//! non-compliant record (the chart audit).
//!
//! Key rules: everything comes from the engine's report on the generated timeline (current
//! election for NOE, care deadlines and HOPE); a level-of-care day is the level given unless the
//! engine finds it does not qualify (CHC under 8 hours or not mostly nursing, respite beyond day
//! 5), then RHC; lists that could be empty hold the explicit entry `"none"`, so a blank answer
//! never matches them.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::generate_timeline;
use super::timeline::{ElectionElement, HopeKind, LevelOfCare, Symptom, Timeline, shift};
use super::{HospiceReport, evaluate};
use serde_json::Value;

use super::spec::HospiceSpec;
use crate::grading::{FieldSchema, FieldType, RubricKind};
use crate::patient::{Patient, Setting};
use crate::tasks::{SpecProblem, Task, TaskContext};

/// The hospice task kind.
#[derive(Debug, Clone, Copy)]
pub struct Hospice;

impl Task for Hospice {
    type Spec = HospiceSpec;
    type Material = HospiceMaterial;
    type Submission = HospiceSubmission;

    const LABEL: &'static str = "Hospice";
    const FOLDER: &'static str = "hospice";
    const RUBRIC_KIND: RubricKind = RubricKind::Hospice;

    fn instructions(spec: &HospiceSpec) -> &str {
        &spec.instructions
    }

    /// The hospice admission is the current stay's election: the encounter starts on the day
    /// it takes effect, so every note and visit falls inside its benefit period.
    fn encounter_day(
        ctx: &TaskContext<'_>,
        spec: &HospiceSpec,
        patient_seed: u64,
    ) -> Option<chrono::NaiveDate> {
        generate_timeline::current_effective_date(
            ctx.scenario_id,
            &spec.timeline,
            ctx.as_of,
            patient_seed,
        )
    }

    fn material(
        ctx: &TaskContext<'_>,
        spec: &HospiceSpec,
        patient: &Patient,
        patient_seed: u64,
    ) -> HospiceMaterial {
        material(ctx, spec, patient, patient_seed)
    }

    fn key(_patient: &Patient, material: &HospiceMaterial) -> Value {
        key(material)
    }

    fn blank(_material: &HospiceMaterial) -> Value {
        super::super::to_value(&HospiceSubmission::default())
    }

    fn schema(_kind: RubricKind) -> FieldSchema {
        schema()
    }

    fn problems(ctx: &TaskContext<'_>, spec: &HospiceSpec) -> Vec<SpecProblem> {
        let mut out: Vec<SpecProblem> = crate::tasks::encounter_must_be(
            ctx,
            Setting::Hospice,
            "hospice records need a hospice encounter",
        )
        .into_iter()
        .collect();
        if spec.timeline.stays.is_empty() {
            out.push(crate::tasks::nothing_to_work_on());
        } else {
            let problems = generate_timeline::problems(&spec.timeline);
            let valid = problems.iter().all(|p| p.warning);
            out.extend(problems);
            if valid {
                out.extend(generate_timeline::planting_problems(
                    ctx.scenario_id,
                    &spec.timeline,
                    ctx.as_of,
                ));
            }
        }
        out
    }
}

/// The explicit entry for "nothing to list".
pub(crate) const NONE: &str = "none";

/// One logged day of care.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CareLogDay {
    /// The day (midnight to midnight).
    pub date: NaiveDate,
    /// Where: "home", "hospice inpatient unit" or "respite facility".
    pub setting: String,
    /// RN/LPN hours of care that day (home only).
    pub nursing_hours: f64,
    /// Aide/homemaker hours that day (home only).
    pub aide_hours: f64,
}

/// What the learner works from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HospiceMaterial {
    /// The chart: the generated timeline with the current admission's symptom ratings and the
    /// levels of care removed (the learner records and chooses those).
    pub chart: Box<Timeline>,
    /// The HOPE admission visit narrative (what the learner rates).
    pub admission_note: String,
    /// The care log the learner chooses levels of care for.
    pub care_log: Vec<CareLogDay>,
    /// The generated timeline the key is computed from.
    pub timeline: Box<Timeline>,
    /// Pain 0–10 at the admission visit (the patient's measured pain).
    pub admission_pain: u8,
    /// The standardized tool it was measured with (e.g. "PAINAD", "NRS 0-10").
    pub pain_scale: String,
}

/// Builds the material.
pub fn material(
    ctx: &TaskContext<'_>,
    spec: &HospiceSpec,
    patient: &Patient,
    patient_seed: u64,
) -> HospiceMaterial {
    let timeline =
        generate_timeline::timeline(ctx.scenario_id, &spec.timeline, ctx.as_of, patient_seed);
    // The pain screening uses the patient's own measured pain and the scale the scenario chose
    // for them (PAINAD for advanced dementia, numeric for those who can self-report).
    let (admission_pain, pain_scale) =
        patient
            .vitals
            .first()
            .map_or((0, "NRS 0-10".to_string()), |v| {
                (
                    u8::try_from(v.pain_score.min(10)).unwrap_or(10),
                    v.pain_scale.clone(),
                )
            });
    let admission = current_admission(&timeline).cloned().unwrap_or_default();
    let mut chart = timeline.clone();
    chart.levels_of_care.clear();
    if let Some(h) = chart
        .hope_records
        .iter_mut()
        .rfind(|h| h.kind == HopeKind::Admission)
    {
        h.symptom_impact.clear();
    }
    HospiceMaterial {
        admission_note: admission_note(&admission, admission_pain, &pain_scale),
        care_log: care_log(&timeline),
        chart: Box::new(chart),
        timeline: Box::new(timeline),
        admission_pain,
        pain_scale,
    }
}

fn current_admission(t: &Timeline) -> Option<&BTreeMap<Symptom, u8>> {
    let eff = t.elections.last()?.effective_date;
    t.hope_records
        .iter()
        .find(|h| h.kind == HopeKind::Admission && h.date >= eff)
        .map(|h| &h.symptom_impact)
}

fn admission_note(ratings: &BTreeMap<Symptom, u8>, pain: u8, scale: &str) -> String {
    if ratings.is_empty() {
        return "No HOPE admission visit in this stay.".to_string();
    }
    let words = ["not at all", "slightly", "moderately", "severely"];
    let lines: Vec<String> = ratings
        .iter()
        .map(|(s, v)| {
            let how = words.get(usize::from(*v)).copied().unwrap_or("—");
            format!("{} affects the patient {how}", symptom_words(*s))
        })
        .collect();
    format!(
        "HOPE admission visit (RN): pain screened with a standardized tool ({scale}): {pain}/10. Symptom impact over the past two days (patient and family): {}.",
        lines.join("; ")
    )
}

fn symptom_words(s: Symptom) -> &'static str {
    match s {
        Symptom::Pain => "pain",
        Symptom::ShortnessOfBreath => "shortness of breath",
        Symptom::Anxiety => "anxiety",
        Symptom::Nausea => "nausea",
        Symptom::Vomiting => "vomiting",
        Symptom::Diarrhea => "diarrhea",
        Symptom::Constipation => "constipation",
        Symptom::Agitation => "agitation",
    }
}

/// The logged days: every non-routine day of the current stay with two days either side, or
/// the stay's last three days when there was no crisis.
fn care_log(t: &Timeline) -> Vec<CareLogDay> {
    let Some(eff) = t.elections.last().map(|e| e.effective_date) else {
        return Vec::new();
    };
    let days: Vec<(NaiveDate, LevelOfCare)> = t
        .levels_of_care
        .iter()
        .filter(|c| c.from >= eff)
        .map(|c| (c.from, c.level))
        .collect();
    let special: Vec<NaiveDate> = days
        .iter()
        .filter(|(_, l)| !matches!(l, LevelOfCare::Rhc))
        .map(|(d, _)| *d)
        .collect();
    let keep = |d: NaiveDate| match (special.first(), special.last()) {
        (Some(first), Some(last)) => d >= shift(*first, -2) && d <= shift(*last, 2),
        _ => days.len() < 3 || days.iter().rev().take(3).any(|(x, _)| *x == d),
    };
    days.iter()
        .filter(|(d, _)| keep(*d))
        .map(|(d, l)| {
            let (setting, nursing, aide) = match l {
                LevelOfCare::Rhc => ("home", 1.0, 0.0),
                LevelOfCare::Chc {
                    nursing_hours,
                    total_hours,
                } => ("home", *nursing_hours, total_hours - nursing_hours),
                LevelOfCare::Gip => ("hospice inpatient unit", 0.0, 0.0),
                LevelOfCare::Irc => ("respite facility", 0.0, 0.0),
            };
            CareLogDay {
                date: *d,
                setting: setting.to_string(),
                nursing_hours: nursing,
                aide_hours: aide,
            }
        })
        .collect()
}

impl HospiceMaterial {
    /// The chart as the learner reads it (no computed dates, no findings).
    #[must_use]
    pub fn printout(&self) -> String {
        let t = &self.chart;
        let mut out = format!(
            "HOSPICE CHART — reviewed on {}\nPrior benefit periods used (CWF/HETS): {}\n",
            t.review_date(),
            t.prior_periods_used
        );
        for (i, e) in t.elections.iter().enumerate() {
            let contains: Vec<&str> = ELEMENTS
                .iter()
                .filter(|(el, _)| !e.missing_elements.contains(el))
                .map(|(_, words)| *words)
                .collect();
            out.push_str(&format!(
                "\nELECTION {}: statement signed {}, effective {}, attending {:?}\n  The statement contains: {}.\n  NOE submitted {}, accepted {}\n  RN initial assessment {}; comprehensive assessment {}\n",
                i + 1,
                e.statement_date,
                e.effective_date,
                e.attending,
                contains.join("; "),
                opt(e.noe.submitted),
                opt(e.noe.accepted),
                opt(e.initial_assessment),
                opt(e.comprehensive_assessment),
            ));
            if let Some(start) = e.transfer_in_period_start {
                out.push_str(&format!(
                    "  Transfer in from another hospice: the current benefit period began there on {start} and was certified there; {} day(s) of hospice care before this hospice count toward the RHC day count; the NOE above is this hospice's notice of the transfer\n",
                    t.prior_hospice_days
                ));
            }
            if let Some(end) = e.end {
                out.push_str(&format!("  Stay ended {} ({:?})\n", end.date, end.reason));
            }
        }
        out.push_str("\nCERTIFICATIONS\n");
        for c in &t.certifications {
            let kind = match c.kind {
                Some(super::CertificationKind::Initial) => "initial certification",
                Some(super::CertificationKind::Recertification) => "recertification",
                None => "certification",
            };
            out.push_str(&format!(
                "  period {} {kind} ({:?}) dated {} signed by {}\n",
                c.period,
                c.form,
                c.date,
                c.signers
                    .iter()
                    .map(|r| r.name())
                    .collect::<Vec<_>>()
                    .join(" and ")
            ));
        }
        out.push_str("FACE-TO-FACE ENCOUNTERS\n");
        for f in &t.f2f_encounters {
            out.push_str(&format!("  {} by {}\n", f.date, f.performed_by.name()));
        }
        out.push_str(&format!(
            "IDG REVIEWS: {}\nHOPE RECORDS\n",
            t.idg_reviews
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ));
        for h in &t.hope_records {
            let impact = if h.symptom_impact.is_empty() {
                "no symptom impact recorded".to_string()
            } else {
                let rated: Vec<String> = h
                    .symptom_impact
                    .iter()
                    .map(|(s, r)| format!("{} {r}", s.name()))
                    .collect();
                format!("symptom impact (0-3): {}", rated.join(", "))
            };
            out.push_str(&format!("  {} {}: {impact}\n", h.date, h.kind.name()));
        }
        out.push_str(&format!(
            "SYMPTOM FOLLOW-UP VISITS: {}\n\n{}\n\nCARE LOG\n",
            t.sfv_dates
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", "),
            self.admission_note
        ));
        for d in &self.care_log {
            out.push_str(&format!(
                "  {} {}: nursing {} h, aide {} h\n",
                d.date, d.setting, d.nursing_hours, d.aide_hours
            ));
        }
        out
    }
}

/// The required elements of an election statement as the form words them.
const ELEMENTS: [(ElectionElement, &str); 8] = [
    (
        ElectionElement::HospiceAndAttending,
        "the hospice and the attending physician chosen by the patient",
    ),
    (
        ElectionElement::PalliativeNature,
        "acknowledgement that hospice care is palliative, not curative",
    ),
    (
        ElectionElement::Waiver,
        "acknowledgement of the waiver of other Medicare services for the terminal illness",
    ),
    (ElectionElement::EffectiveDate, "the effective date"),
    (ElectionElement::CostSharing, "information on cost-sharing"),
    (
        ElectionElement::AddendumRight,
        "the right to an election statement addendum",
    ),
    (
        ElectionElement::BfccQio,
        "information on the BFCC-QIO and immediate advocacy",
    ),
    (
        ElectionElement::Signature,
        "signature of the patient or representative",
    ),
];

fn opt(d: Option<NaiveDate>) -> String {
    d.map_or_else(|| "—".to_string(), |d| d.to_string())
}

/// The answer name of an election element (`snake_case`).
#[must_use]
pub(crate) fn element_name(e: ElectionElement) -> &'static str {
    match e {
        ElectionElement::HospiceAndAttending => "hospice_and_attending",
        ElectionElement::PalliativeNature => "palliative_nature",
        ElectionElement::Waiver => "waiver",
        ElectionElement::EffectiveDate => "effective_date",
        ElectionElement::CostSharing => "cost_sharing",
        ElectionElement::AddendumRight => "addendum_right",
        ElectionElement::BfccQio => "bfcc_qio",
        ElectionElement::Signature => "signature",
    }
}

/// One benefit period.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PeriodAnswer {
    /// Period number (counted across elections).
    #[serde(default)]
    pub number: Option<u32>,
    /// First day.
    #[serde(default)]
    pub start: Option<String>,
    /// Last day (start + 89, or + 59 from period 3).
    #[serde(default)]
    pub end: Option<String>,
    /// Earliest date the (re)certification may be signed.
    #[serde(default)]
    pub cert_earliest: Option<String>,
    /// Last day for a written or oral certification.
    #[serde(default)]
    pub oral_cert_deadline: Option<String>,
    /// F2F window first day (`null` before period 3).
    #[serde(default)]
    pub f2f_window_from: Option<String>,
    /// F2F window last day.
    #[serde(default)]
    pub f2f_window_to: Option<String>,
}

/// HOPE J2051 symptom impact ratings (0–3).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SymptomRatings {
    /// Pain.
    #[serde(default)]
    pub pain: Option<u8>,
    /// Shortness of breath.
    #[serde(default)]
    pub shortness_of_breath: Option<u8>,
    /// Anxiety.
    #[serde(default)]
    pub anxiety: Option<u8>,
    /// Nausea.
    #[serde(default)]
    pub nausea: Option<u8>,
    /// Vomiting.
    #[serde(default)]
    pub vomiting: Option<u8>,
    /// Diarrhea.
    #[serde(default)]
    pub diarrhea: Option<u8>,
    /// Constipation.
    #[serde(default)]
    pub constipation: Option<u8>,
    /// Agitation.
    #[serde(default)]
    pub agitation: Option<u8>,
}

/// A level of care chosen for one logged day.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DayLevel {
    /// The day.
    #[serde(default)]
    pub date: Option<String>,
    /// RHC, CHC, IRC or GIP.
    #[serde(default)]
    pub level: Option<String>,
}

/// A hospice submission (and key).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HospiceSubmission {
    /// Missing election-statement elements of the current election, or `["none"]`.
    #[serde(default)]
    pub election_missing_elements: Vec<String>,
    /// Benefit periods.
    #[serde(default)]
    pub periods: Vec<PeriodAnswer>,
    /// NOE deadline of the current election.
    #[serde(default)]
    pub noe_deadline: Option<String>,
    /// Whether the NOE was accepted in time.
    #[serde(default)]
    pub noe_timely: Option<bool>,
    /// Number of provider-liable days for a late NOE (0 when timely).
    #[serde(default)]
    pub provider_liable_days: Option<u32>,
    /// RN initial assessment due date.
    #[serde(default)]
    pub initial_assessment_due: Option<String>,
    /// Comprehensive assessment due date.
    #[serde(default)]
    pub comprehensive_assessment_due: Option<String>,
    /// Latest date of the next IDG review.
    #[serde(default)]
    pub next_idg_review_due: Option<String>,
    /// HUV1 window first day.
    #[serde(default)]
    pub huv1_from: Option<String>,
    /// HUV1 window last day.
    #[serde(default)]
    pub huv1_to: Option<String>,
    /// HUV2 window first day.
    #[serde(default)]
    pub huv2_from: Option<String>,
    /// HUV2 window last day.
    #[serde(default)]
    pub huv2_to: Option<String>,
    /// SFV due dates of the current election, or `["none"]`.
    #[serde(default)]
    pub sfv_due: Vec<String>,
    /// HOPE admission symptom impact.
    #[serde(default)]
    pub admission_symptoms: SymptomRatings,
    /// J0900 pain severity: none, mild, moderate or severe.
    #[serde(default)]
    pub pain_severity: Option<String>,
    /// Level of care per logged day.
    #[serde(default)]
    pub levels_of_care: Vec<DayLevel>,
    /// Rule ids of every non-compliant record, or `["none"]`.
    #[serde(default)]
    pub audit: Vec<String>,
}

fn iso(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn or_none(mut list: Vec<String>) -> Vec<String> {
    if list.is_empty() {
        list.push(NONE.to_string());
    }
    list
}

fn level_name(l: LevelOfCare) -> &'static str {
    match l {
        LevelOfCare::Rhc => "RHC",
        LevelOfCare::Chc { .. } => "CHC",
        LevelOfCare::Irc => "IRC",
        LevelOfCare::Gip => "GIP",
    }
}

fn pain_severity(nrs: u8) -> &'static str {
    match nrs {
        0 => "none",
        1..=3 => "mild",
        4..=6 => "moderate",
        _ => "severe",
    }
}

/// The key (see the module docs).
pub fn key(m: &HospiceMaterial) -> serde_json::Value {
    let t = &m.timeline;
    let report: HospiceReport = evaluate(t);
    let k = report.key();
    let current = t.elections.len().checked_sub(1);
    let care = report.care.iter().find(|c| Some(c.election) == current);
    let not_ok_on = |rule: &str, d: NaiveDate| {
        report
            .findings
            .iter()
            .any(|f| f.rule == rule && !f.ok && f.date == d)
    };
    let levels = t
        .levels_of_care
        .iter()
        .filter(|c| m.care_log.iter().any(|d| d.date == c.from))
        .map(|c| {
            let downgraded = not_ok_on("loc.chc", c.from) || not_ok_on("loc.respite", c.from);
            DayLevel {
                date: Some(iso(c.from)),
                level: Some(
                    if downgraded {
                        "RHC"
                    } else {
                        level_name(c.level)
                    }
                    .to_string(),
                ),
            }
        })
        .collect();
    let mut audit: Vec<String> = report
        .findings
        .iter()
        .filter(|f| !f.ok)
        .map(|f| f.rule.to_string())
        .collect();
    audit.sort();
    audit.dedup();
    let ratings = current_admission(t);
    let rating = |s: Symptom| ratings.and_then(|r| r.get(&s).copied());
    let has_admission = ratings.is_some();
    super::super::to_value(&HospiceSubmission {
        election_missing_elements: or_none(
            t.elections
                .last()
                .map(|e| {
                    let mut v: Vec<String> = e
                        .missing_elements
                        .iter()
                        .map(|x| element_name(*x).to_string())
                        .collect();
                    v.sort();
                    v.dedup();
                    v
                })
                .unwrap_or_default(),
        ),
        periods: k
            .periods
            .iter()
            .map(|p| PeriodAnswer {
                number: Some(p.number),
                start: Some(iso(p.start)),
                end: Some(iso(p.end)),
                cert_earliest: Some(iso(p.cert_earliest)),
                oral_cert_deadline: Some(iso(p.oral_cert_deadline)),
                f2f_window_from: p.f2f_window.map(|w| iso(w[0])),
                f2f_window_to: p.f2f_window.map(|w| iso(w[1])),
            })
            .collect(),
        noe_deadline: k.noe.deadline.map(iso),
        noe_timely: k.noe.timely,
        provider_liable_days: u32::try_from(k.noe.provider_liable_days.len()).ok(),
        initial_assessment_due: care.map(|c| iso(c.initial_assessment_due)),
        comprehensive_assessment_due: care.map(|c| iso(c.comprehensive_assessment_due)),
        next_idg_review_due: care.map(|c| iso(c.next_idg_review_due)),
        huv1_from: k.hope.huv1_window.map(|w| iso(w[0])),
        huv1_to: k.hope.huv1_window.map(|w| iso(w[1])),
        huv2_from: k.hope.huv2_window.map(|w| iso(w[0])),
        huv2_to: k.hope.huv2_window.map(|w| iso(w[1])),
        sfv_due: or_none(k.hope.sfv_due.iter().map(|d| iso(*d)).collect()),
        admission_symptoms: SymptomRatings {
            pain: rating(Symptom::Pain),
            shortness_of_breath: rating(Symptom::ShortnessOfBreath),
            anxiety: rating(Symptom::Anxiety),
            nausea: rating(Symptom::Nausea),
            vomiting: rating(Symptom::Vomiting),
            diarrhea: rating(Symptom::Diarrhea),
            constipation: rating(Symptom::Constipation),
            agitation: rating(Symptom::Agitation),
        },
        pain_severity: has_admission.then(|| pain_severity(m.admission_pain).to_string()),
        levels_of_care: levels,
        audit: or_none(audit),
    })
}

/// The election-statement elements a learner can report missing (42 CFR 418.24(b)), as
/// `(answer id, label)`, and "none".
pub const ELEMENT_CHOICES: [(&str, &str); 9] = [
    (
        "hospice_and_attending",
        "Identification of the hospice and of the attending physician chosen",
    ),
    (
        "palliative_nature",
        "Acknowledgement of the palliative (not curative) nature of hospice care",
    ),
    (
        "waiver",
        "Acknowledgement of the waiver of other Medicare services",
    ),
    ("effective_date", "Effective date of the election"),
    ("cost_sharing", "Information on individual cost-sharing"),
    (
        "addendum_right",
        "Right to an election statement addendum (non-covered items)",
    ),
    (
        "bfcc_qio",
        "Information on the BFCC-QIO and immediate advocacy",
    ),
    ("signature", "Signature of the patient or representative"),
    (NONE, "None: the statement has every element"),
];

/// Other spellings of the election elements: the chart's wording, the scenario files'
/// CamelCase names and common short forms (case, spaces, hyphens and underscores never
/// matter, see [`crate::grading::schema::choice_key`]).
const ELEMENT_ALIASES: &[(&str, &[&str])] = &[
    (
        "hospice_and_attending",
        &[
            "HospiceAndAttending",
            "the hospice and the attending physician chosen by the patient",
            "attending physician",
            "attending",
            "hospice and attending",
            "attending choice",
        ],
    ),
    (
        "palliative_nature",
        &[
            "PalliativeNature",
            "acknowledgement that hospice care is palliative, not curative",
            "palliative",
            "palliative care",
            "palliative not curative",
        ],
    ),
    (
        "waiver",
        &[
            "Waiver",
            "acknowledgement of the waiver of other Medicare services for the terminal illness",
            "waiver of Medicare services",
            "Medicare waiver",
        ],
    ),
    (
        "effective_date",
        &[
            "EffectiveDate",
            "the effective date",
            "election effective date",
        ],
    ),
    (
        "cost_sharing",
        &[
            "CostSharing",
            "information on cost-sharing",
            "cost share",
            "coinsurance",
            "copay",
            "copayment",
        ],
    ),
    (
        "addendum_right",
        &[
            "AddendumRight",
            "the right to an election statement addendum",
            "addendum",
            "election statement addendum",
            "right to addendum",
            "addendum notice",
        ],
    ),
    (
        "bfcc_qio",
        &[
            "BfccQio",
            "information on the BFCC-QIO and immediate advocacy",
            "BFCC",
            "QIO",
            "BFCC QIO",
            "immediate advocacy",
        ],
    ),
    (
        "signature",
        &[
            "Signature",
            "signature of the patient or representative",
            "patient signature",
            "unsigned",
            "not signed",
        ],
    ),
    (
        NONE,
        &[
            "nothing",
            "nothing missing",
            "no missing elements",
            "complete",
        ],
    ),
];

/// The rules a chart audit can flag, as `(rule id, label)` (the ids are the engine's
/// findings; docs/domain/hospice.md), and "none".
pub const AUDIT_CHOICES: [(&str, &str); 23] = [
    (
        "election.elements",
        "election.elements: election statement lacks a required element",
    ),
    (
        "election.effective_date",
        "election.effective_date: effective date before the statement was signed",
    ),
    (
        "noe.timely",
        "noe.timely: NOE not accepted within 5 days of the effective date",
    ),
    (
        "cert.period",
        "cert.period: certification names a period not among the benefit periods",
    ),
    (
        "cert.kind",
        "cert.kind: certification labelled the wrong kind (initial or recertification)",
    ),
    (
        "cert.earliest",
        "cert.earliest: certification signed more than 15 days before the period",
    ),
    (
        "cert.signers",
        "cert.signers: certification not signed by the required physicians",
    ),
    (
        "cert.timely",
        "cert.timely: no written or oral certification within 2 days of the period start",
    ),
    (
        "cert.written",
        "cert.written: oral certification never followed by a written one",
    ),
    (
        "f2f.window",
        "f2f.window: face-to-face encounter outside its window (too early or too late)",
    ),
    (
        "f2f.before_recert",
        "f2f.before_recert: recertification signed before the face-to-face encounter",
    ),
    (
        "f2f.performer",
        "f2f.performer: face-to-face encounter not by a hospice physician or NP",
    ),
    (
        "assessment.initial",
        "assessment.initial: RN initial assessment later than 48 hours",
    ),
    (
        "assessment.comprehensive",
        "assessment.comprehensive: comprehensive assessment later than 5 days",
    ),
    (
        "idg.interval",
        "idg.interval: IDG review more than 15 days after the previous one",
    ),
    (
        "hope.admission",
        "hope.admission: HOPE admission record missing or outside its window",
    ),
    (
        "hope.huv1",
        "hope.huv1: HOPE update visit 1 missing or outside days 6-15",
    ),
    (
        "hope.huv2",
        "hope.huv2: HOPE update visit 2 missing or outside days 16-30",
    ),
    (
        "hope.discharge",
        "hope.discharge: HOPE discharge record missing or not dated the day the stay ended",
    ),
    (
        "hope.sfv",
        "hope.sfv: symptom follow-up visit missing or later than 2 days",
    ),
    (
        "loc.respite",
        "loc.respite: inpatient respite beyond 5 consecutive days",
    ),
    (
        "loc.chc",
        "loc.chc: continuous home care day under 8 hours or not mostly nursing",
    ),
    (NONE, "None: every record complies"),
];

/// Other spellings of the audit rules: each id without its prefix and plain-words names
/// (case, spaces, dots and hyphens never matter).
const AUDIT_ALIASES: &[(&str, &[&str])] = &[
    (
        "election.elements",
        &[
            "election statement incomplete",
            "missing election element",
            "election elements",
        ],
    ),
    (
        "election.effective_date",
        &["effective date before statement", "early effective date"],
    ),
    ("noe.timely", &["late NOE", "NOE late", "NOE not timely"]),
    ("cert.period", &["certification wrong period"]),
    ("cert.kind", &["wrong certification kind"]),
    (
        "cert.earliest",
        &[
            "certification too early",
            "cert too early",
            "early certification",
        ],
    ),
    (
        "cert.signers",
        &[
            "wrong signers",
            "certification signers",
            "missing signature on certification",
        ],
    ),
    (
        "cert.timely",
        &["certification late", "late certification", "cert late"],
    ),
    (
        "cert.written",
        &["no written certification", "written certification missing"],
    ),
    (
        "f2f.window",
        &[
            "F2F too early",
            "F2F too late",
            "F2F early",
            "F2F late",
            "early F2F",
            "late F2F",
            "F2F outside window",
            "F2F timing",
            "untimely F2F",
            "face-to-face too early",
            "face-to-face too late",
            "face to face window",
        ],
    ),
    (
        "f2f.before_recert",
        &["F2F after recertification", "F2F after recert"],
    ),
    (
        "f2f.performer",
        &[
            "F2F wrong performer",
            "F2F by RN",
            "F2F not by hospice physician",
        ],
    ),
    (
        "assessment.initial",
        &["late initial assessment", "initial assessment late"],
    ),
    (
        "assessment.comprehensive",
        &[
            "late comprehensive assessment",
            "comprehensive assessment late",
        ],
    ),
    (
        "idg.interval",
        &[
            "IDG late",
            "late IDG",
            "IDG gap",
            "IDG review late",
            "IDG interval",
        ],
    ),
    (
        "hope.admission",
        &["HOPE admission late", "HOPE admission missing"],
    ),
    ("hope.huv1", &["HUV1", "HUV1 missed", "HUV1 late"]),
    ("hope.huv2", &["HUV2", "HUV2 missed", "HUV2 late"]),
    (
        "hope.discharge",
        &["HOPE discharge late", "HOPE discharge missing"],
    ),
    (
        "hope.sfv",
        &[
            "SFV",
            "missed SFV",
            "SFV late",
            "SFV missed",
            "symptom follow-up visit",
        ],
    ),
    (
        "loc.respite",
        &[
            "respite too long",
            "respite over 5 days",
            "respite beyond 5 days",
        ],
    ),
    (
        "loc.chc",
        &[
            "CHC under 8 hours",
            "short CHC day",
            "CHC not qualified",
            "CHC",
        ],
    ),
    (
        NONE,
        &["nothing", "no findings", "all compliant", "compliant"],
    ),
];

/// The fields a hospice submission has.
pub fn schema() -> FieldSchema {
    use FieldType::{Bool, Date, Number, RecordList, Text, TextList};
    FieldSchema::new(
        RubricKind::Hospice,
        &[
            ("election_missing_elements", TextList),
            ("periods[]", RecordList),
            ("periods[].number", Number),
            ("periods[].start", Date),
            ("periods[].end", Date),
            ("periods[].cert_earliest", Date),
            ("periods[].oral_cert_deadline", Date),
            ("periods[].f2f_window_from", Date),
            ("periods[].f2f_window_to", Date),
            ("noe_deadline", Date),
            ("noe_timely", Bool),
            ("provider_liable_days", Number),
            ("initial_assessment_due", Date),
            ("comprehensive_assessment_due", Date),
            ("next_idg_review_due", Date),
            ("huv1_from", Date),
            ("huv1_to", Date),
            ("huv2_from", Date),
            ("huv2_to", Date),
            ("sfv_due", TextList),
            ("admission_symptoms.pain", Number),
            ("admission_symptoms.shortness_of_breath", Number),
            ("admission_symptoms.anxiety", Number),
            ("admission_symptoms.nausea", Number),
            ("admission_symptoms.vomiting", Number),
            ("admission_symptoms.diarrhea", Number),
            ("admission_symptoms.constipation", Number),
            ("admission_symptoms.agitation", Number),
            ("pain_severity", Text),
            ("levels_of_care[]", RecordList),
            ("levels_of_care[].date", Date),
            ("levels_of_care[].level", Text),
            ("audit", TextList),
        ],
    )
    .integers(&[
        "periods[].number",
        "provider_liable_days",
        "admission_symptoms.pain",
        "admission_symptoms.shortness_of_breath",
        "admission_symptoms.anxiety",
        "admission_symptoms.nausea",
        "admission_symptoms.vomiting",
        "admission_symptoms.diarrhea",
        "admission_symptoms.constipation",
        "admission_symptoms.agitation",
    ])
    .choices(
        "levels_of_care[].level",
        &[
            ("RHC", "RHC: routine home care"),
            ("CHC", "CHC: continuous home care"),
            ("IRC", "IRC: inpatient respite care"),
            ("GIP", "GIP: general inpatient care"),
        ],
    )
    .choices("election_missing_elements", &ELEMENT_CHOICES)
    .aliases("election_missing_elements", ELEMENT_ALIASES)
    .choices("audit", &AUDIT_CHOICES)
    .aliases("audit", AUDIT_ALIASES)
    .choices(
        "pain_severity",
        &[
            ("none", "None (0)"),
            ("mild", "Mild (1-3)"),
            ("moderate", "Moderate (4-6)"),
            ("severe", "Severe (7-10)"),
        ],
    )
}
