//! Note templates: the `{placeholder}` vocabulary, its validation, and rendering from a
//! generated patient.
//!
//! A template is plain text with `{name}` or `{name:argument}` placeholders; `{{` and `}}` write
//! literal braces. [`Placeholder::parse`] is the single definition of what is allowed, used both
//! by the scenario validator and by [`render`], so a template that validates always renders.

use crate::patient::{ConditionStatus, LabResult, Medication, Patient, Sex, VitalSigns};

/// One placeholder a template may use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Placeholder {
    /// A patient or encounter fact with no argument (e.g. `hr`, `dob`).
    Simple(Simple),
    /// `{lab:NAME}`: a lab's value and unit.
    Lab(String),
    /// `{cond:GROUP}` or `{cond:GROUP.FACT}`: a condition's display or one of its facts.
    Condition {
        /// The condition group id.
        group: String,
        /// A specificity fact, when given.
        fact: Option<String>,
    },
    /// `{symptoms:GROUP}`: the chosen condition's symptoms, joined.
    Symptoms(String),
    /// `{onset:GROUP}`: how long ago the condition began ("3 days").
    Onset(String),
}

/// Placeholders without an argument.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum Simple {
    Name,
    FullName,
    GivenName,
    FamilyName,
    Age,
    AgePhrase,
    Sex,
    Person,
    HeShe,
    HisHer,
    HimHer,
    HeSheCap,
    Dob,
    Mrn,
    EncounterDate,
    EncounterTime,
    Reason,
    Attending,
    Location,
    TempC,
    TempF,
    ArrivalTempC,
    ArrivalTempF,
    ArrivalHr,
    StayDays,
    Hr,
    Rr,
    Bp,
    Sbp,
    Dbp,
    Spo2,
    Oxygen,
    Pain,
    PainScale,
    HeightCm,
    HeightIn,
    WeightKg,
    WeightLb,
    Bmi,
    Meds,
    MedNames,
    Allergies,
    Problems,
    Language,
    Payer,
}

/// Every simple placeholder name with its meaning (for the authoring guide and hints).
pub(crate) const SIMPLE_NAMES: &[(&str, Simple, &str)] = &[
    ("name", Simple::Name, "LAST, First"),
    ("full_name", Simple::FullName, "First Last"),
    ("given_name", Simple::GivenName, "first name"),
    ("family_name", Simple::FamilyName, "last name"),
    (
        "age",
        Simple::Age,
        "age in years (months/days for infants), e.g. 67",
    ),
    (
        "age_phrase",
        Simple::AgePhrase,
        "e.g. 67-year-old, 3-month-old",
    ),
    ("sex", Simple::Sex, "female / male"),
    (
        "person",
        Simple::Person,
        "woman / man / girl / boy / infant",
    ),
    ("he_she", Simple::HeShe, "she / he"),
    ("his_her", Simple::HisHer, "her / his"),
    ("him_her", Simple::HimHer, "her / him"),
    ("He_She", Simple::HeSheCap, "She / He"),
    ("dob", Simple::Dob, "date of birth, YYYY-MM-DD"),
    ("mrn", Simple::Mrn, "medical record number"),
    ("encounter_date", Simple::EncounterDate, "YYYY-MM-DD"),
    ("encounter_time", Simple::EncounterTime, "HH:MM, 24 h"),
    ("reason", Simple::Reason, "the encounter's reason"),
    ("attending", Simple::Attending, "attending clinician"),
    ("location", Simple::Location, "room / bed"),
    ("temp_c", Simple::TempC, "latest temperature °C"),
    ("temp_f", Simple::TempF, "latest temperature °F"),
    (
        "arrival_temp_c",
        Simple::ArrivalTempC,
        "first temperature °C of the series (on arrival, for a finished stay)",
    ),
    (
        "arrival_temp_f",
        Simple::ArrivalTempF,
        "first temperature °F of the series",
    ),
    (
        "arrival_hr",
        Simple::ArrivalHr,
        "first heart rate of the series",
    ),
    (
        "stay_days",
        Simple::StayDays,
        "days from admission to discharge (or to the as-of date), e.g. the postoperative day of discharge after surgery on the day of admission",
    ),
    ("hr", Simple::Hr, "latest heart rate"),
    ("rr", Simple::Rr, "latest respiratory rate"),
    ("bp", Simple::Bp, "latest blood pressure, e.g. 142/88"),
    ("sbp", Simple::Sbp, "systolic"),
    ("dbp", Simple::Dbp, "diastolic"),
    ("spo2", Simple::Spo2, "latest SpO2 %"),
    ("oxygen", Simple::Oxygen, "oxygen delivery"),
    ("pain", Simple::Pain, "latest pain score"),
    ("pain_scale", Simple::PainScale, "the pain scale used"),
    ("height_cm", Simple::HeightCm, "height cm"),
    ("height_in", Simple::HeightIn, "height in"),
    ("weight_kg", Simple::WeightKg, "weight kg"),
    ("weight_lb", Simple::WeightLb, "weight lb"),
    ("bmi", Simple::Bmi, "BMI kg/m²"),
    (
        "meds",
        Simple::Meds,
        "home medications with dose, route, frequency",
    ),
    ("med_names", Simple::MedNames, "home medication names"),
    (
        "allergies",
        Simple::Allergies,
        "allergies with reactions, or 'No known allergies'",
    ),
    ("problems", Simple::Problems, "active problem list"),
    ("language", Simple::Language, "preferred language"),
    ("payer", Simple::Payer, "primary payer"),
];

impl Placeholder {
    /// Parses the text between braces.
    ///
    /// # Errors
    /// A message naming the unknown placeholder and what is allowed.
    pub fn parse(inner: &str) -> Result<Self, String> {
        let inner = inner.trim();
        if let Some((kind, arg)) = inner.split_once(':') {
            let arg = arg.trim();
            if arg.is_empty() {
                return Err(format!("`{{{inner}}}` needs an argument after `:`"));
            }
            return match kind.trim() {
                "lab" => Ok(Self::Lab(arg.to_string())),
                "cond" => Ok(match arg.split_once('.') {
                    Some((group, fact)) => Self::Condition {
                        group: group.to_string(),
                        fact: Some(fact.to_string()),
                    },
                    None => Self::Condition {
                        group: arg.to_string(),
                        fact: None,
                    },
                }),
                "symptoms" => Ok(Self::Symptoms(arg.to_string())),
                "onset" => Ok(Self::Onset(arg.to_string())),
                other => Err(format!(
                    "unknown placeholder kind `{other}:`; use lab:, cond:, symptoms: or onset:"
                )),
            };
        }
        SIMPLE_NAMES
            .iter()
            .find(|(name, _, _)| *name == inner)
            .map(|(_, s, _)| Self::Simple(*s))
            .ok_or_else(|| {
                let names: Vec<&str> = SIMPLE_NAMES.iter().map(|(n, _, _)| *n).collect();
                format!(
                    "unknown placeholder `{{{inner}}}`; allowed: {}, lab:NAME, cond:GROUP, cond:GROUP.FACT, symptoms:GROUP, onset:GROUP",
                    names.join(", ")
                )
            })
    }
}

/// The placeholders of a template in order, or the first syntax error (unclosed brace).
///
/// # Errors
/// Unbalanced braces, or an unknown placeholder.
pub(crate) fn placeholders(template: &str) -> Result<Vec<Placeholder>, String> {
    let mut out = Vec::new();
    let mut chars = template.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '{' if chars.peek().map(|(_, c)| *c) == Some('{') => {
                chars.next();
            }
            '}' if chars.peek().map(|(_, c)| *c) == Some('}') => {
                chars.next();
            }
            '{' => {
                let rest = template.get(i + 1..).unwrap_or("");
                let end = rest
                    .find('}')
                    .ok_or_else(|| format!("unclosed `{{` at character {}", i + 1))?;
                let inner = rest.get(..end).unwrap_or("");
                if inner.contains('{') {
                    return Err(format!("unclosed `{{` at character {}", i + 1));
                }
                out.push(Placeholder::parse(inner)?);
                for _ in 0..=end {
                    chars.next();
                }
            }
            '}' => return Err(format!("stray `}}` at character {}; write `}}}}`", i + 1)),
            _ => {}
        }
    }
    Ok(out)
}

/// What rendering needs besides the patient.
#[derive(Debug, Clone, Copy)]
pub struct RenderContext<'a> {
    /// The patient.
    pub patient: &'a Patient,
    /// The as-of date (for ages).
    pub as_of: chrono::NaiveDate,
}

/// Fills a template. Unknown placeholders (which validation rejects) render as `[?name]`.
pub(crate) fn render(template: &str, ctx: &RenderContext<'_>) -> String {
    let mut out = String::with_capacity(template.len() + 64);
    let mut rest = template;
    while let Some(pos) = rest.find(['{', '}']) {
        out.push_str(rest.get(..pos).unwrap_or(""));
        let tail = rest.get(pos..).unwrap_or("");
        if tail.starts_with("{{") {
            out.push('{');
            rest = tail.get(2..).unwrap_or("");
        } else if tail.starts_with("}}") {
            out.push('}');
            rest = tail.get(2..).unwrap_or("");
        } else if tail.starts_with('}') {
            out.push('}');
            rest = tail.get(1..).unwrap_or("");
        } else if let Some(end) = tail.find('}') {
            let inner = tail.get(1..end).unwrap_or("");
            match Placeholder::parse(inner) {
                Ok(p) => out.push_str(&value(&p, ctx)),
                Err(_) => {
                    out.push_str("[?");
                    out.push_str(inner);
                    out.push(']');
                }
            }
            rest = tail.get(end + 1..).unwrap_or("");
        } else {
            out.push_str(tail);
            rest = "";
        }
    }
    out.push_str(rest);
    out
}

fn value(p: &Placeholder, ctx: &RenderContext<'_>) -> String {
    let patient = ctx.patient;
    match p {
        Placeholder::Simple(s) => simple_value(*s, ctx),
        Placeholder::Lab(name) => patient
            .labs
            .iter()
            .find(|l| l.name.eq_ignore_ascii_case(name))
            .map_or_else(|| "not done".to_string(), lab_text),
        Placeholder::Condition { group, fact } => {
            let Some(c) = patient.conditions.iter().find(|c| &c.group == group) else {
                return "none".to_string();
            };
            match fact {
                None => c.display.clone(),
                Some(f) => c.facts.get(f).cloned().unwrap_or_default(),
            }
        }
        Placeholder::Symptoms(group) => {
            let symptoms: Vec<&str> = patient
                .conditions
                .iter()
                .filter(|c| &c.group == group)
                .flat_map(|c| c.symptoms.iter().map(String::as_str))
                .collect();
            symptoms.join("; ")
        }
        Placeholder::Onset(group) => patient
            .conditions
            .iter()
            .find(|c| &c.group == group)
            .and_then(|c| c.onset)
            .map_or_else(
                || "an unknown time".to_string(),
                |onset| {
                    let seen = patient
                        .current_encounter()
                        .map_or(ctx.as_of, |e| e.start.date());
                    duration_words((seen - onset).num_days())
                },
            ),
    }
}

fn lab_text(l: &LabResult) -> String {
    format!("{} {}", trim_number(l.value), l.unit)
}

/// "1 day", "3 days", "2 weeks", "4 months" — how a clinician says a duration.
pub(crate) fn duration_words(days: i64) -> String {
    let days = days.max(0);
    let (n, unit) = match days {
        0 => return "less than a day".to_string(),
        1..=13 => (days, "day"),
        14..=59 => (days / 7, "week"),
        60..=729 => (days / 30, "month"),
        _ => (days / 365, "year"),
    };
    if n == 1 {
        format!("1 {unit}")
    } else {
        format!("{n} {unit}s")
    }
}

/// A number without a trailing `.0` (The Joint Commission: no trailing zeros).
pub(crate) fn trim_number(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{}", v.round() as i64)
    } else {
        let s = format!("{v:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

fn latest(patient: &Patient) -> Option<&VitalSigns> {
    patient.vitals.last()
}

fn simple_value(s: Simple, ctx: &RenderContext<'_>) -> String {
    let p = ctx.patient;
    let d = &p.demographics;
    let female = d.sex == Sex::Female;
    let enc = p.current_encounter();
    let v = latest(p);
    let vital = |f: &dyn Fn(&VitalSigns) -> String| v.map_or_else(|| "not taken".to_string(), f);
    match s {
        Simple::Name => p.banner_name(),
        Simple::FullName => format!("{} {}", d.given_name, d.family_name),
        Simple::GivenName => d.given_name.clone(),
        Simple::FamilyName => d.family_name.clone(),
        Simple::Age => age_number(p, ctx.as_of),
        Simple::AgePhrase => age_phrase(p, ctx.as_of),
        Simple::Sex => d.sex.label().to_lowercase(),
        Simple::Person => person_word(p, ctx.as_of).to_string(),
        Simple::HeShe => if female { "she" } else { "he" }.to_string(),
        Simple::HisHer => if female { "her" } else { "his" }.to_string(),
        Simple::HimHer => if female { "her" } else { "him" }.to_string(),
        Simple::HeSheCap => if female { "She" } else { "He" }.to_string(),
        Simple::Dob => d.birth_date.format("%Y-%m-%d").to_string(),
        Simple::Mrn => d.mrn.clone(),
        Simple::EncounterDate => enc
            .map(|e| e.start.format("%Y-%m-%d").to_string())
            .unwrap_or_default(),
        Simple::EncounterTime => enc
            .map(|e| e.start.format("%H:%M").to_string())
            .unwrap_or_default(),
        Simple::Reason => enc.map(|e| e.reason.clone()).unwrap_or_default(),
        Simple::Attending => enc.map(|e| e.attending.clone()).unwrap_or_default(),
        Simple::Location => enc.map(|e| e.location.clone()).unwrap_or_default(),
        Simple::TempC => vital(&|v| format!("{:.1}", v.temperature_c)),
        Simple::TempF => vital(&|v| format!("{:.1}", v.temperature_f())),
        Simple::ArrivalTempC => p.vitals.first().map_or_else(
            || "not taken".to_string(),
            |v| format!("{:.1}", v.temperature_c),
        ),
        Simple::ArrivalTempF => p.vitals.first().map_or_else(
            || "not taken".to_string(),
            |v| format!("{:.1}", v.temperature_f()),
        ),
        Simple::ArrivalHr => p
            .vitals
            .first()
            .map_or_else(|| "not taken".to_string(), |v| v.heart_rate_bpm.to_string()),
        Simple::StayDays => enc.map_or_else(String::new, |e| {
            let end = e.end.map_or(ctx.as_of, |end| end.date());
            (end - e.start.date()).num_days().max(0).to_string()
        }),
        Simple::Hr => vital(&|v| v.heart_rate_bpm.to_string()),
        Simple::Rr => vital(&|v| v.respiratory_rate_per_min.to_string()),
        Simple::Bp => vital(&|v| format!("{}/{}", v.systolic_mmhg, v.diastolic_mmhg)),
        Simple::Sbp => vital(&|v| v.systolic_mmhg.to_string()),
        Simple::Dbp => vital(&|v| v.diastolic_mmhg.to_string()),
        Simple::Spo2 => vital(&|v| v.spo2_percent.to_string()),
        Simple::Oxygen => vital(&|v| v.oxygen.clone()),
        Simple::Pain => vital(&|v| v.pain_score.to_string()),
        Simple::PainScale => vital(&|v| v.pain_scale.clone()),
        Simple::HeightCm => vital(&|v| format!("{:.1}", v.height_cm)),
        Simple::HeightIn => vital(&|v| format!("{:.1}", v.height_in())),
        Simple::WeightKg => vital(&|v| format!("{:.1}", v.weight_kg)),
        Simple::WeightLb => vital(&|v| format!("{:.1}", v.weight_lb())),
        Simple::Bmi => vital(&|v| format!("{:.1}", v.bmi())),
        Simple::Meds => {
            if p.medications.is_empty() {
                "no regular medications".to_string()
            } else {
                let list: Vec<String> = p.medications.iter().map(Medication::sig).collect();
                list.join("; ")
            }
        }
        Simple::MedNames => {
            if p.medications.is_empty() {
                "no regular medications".to_string()
            } else {
                let list: Vec<&str> = p.medications.iter().map(|m| m.name.as_str()).collect();
                list.join(", ")
            }
        }
        Simple::Allergies => {
            if p.allergies.is_empty() {
                "No known allergies".to_string()
            } else {
                let list: Vec<String> = p
                    .allergies
                    .iter()
                    .map(|a| format!("{} ({}, {})", a.allergen, a.reaction, a.severity.label()))
                    .collect();
                list.join("; ")
            }
        }
        Simple::Problems => {
            let list: Vec<&str> = p
                .conditions
                .iter()
                .filter(|c| c.status == ConditionStatus::Active)
                .map(|c| c.display.as_str())
                .collect();
            if list.is_empty() {
                "none".to_string()
            } else {
                list.join("; ")
            }
        }
        Simple::Language => d.language.clone(),
        Simple::Payer => d.insurance.payer.clone(),
    }
}

/// Age for display: years, or months under 2 years, or days under 1 month.
pub(crate) fn age_number(p: &Patient, as_of: chrono::NaiveDate) -> String {
    let (n, _) = age_parts(p, as_of);
    n.to_string()
}

fn age_parts(p: &Patient, as_of: chrono::NaiveDate) -> (i64, &'static str) {
    let days = (as_of - p.demographics.birth_date).num_days().max(0);
    if days < 31 {
        (days, "day")
    } else if p.demographics.age_years < 2 {
        (
            i64::from(months_between(p.demographics.birth_date, as_of)),
            "month",
        )
    } else {
        (i64::from(p.demographics.age_years), "year")
    }
}

/// "67-year-old", "3-month-old", "12-day-old".
pub(crate) fn age_phrase(p: &Patient, as_of: chrono::NaiveDate) -> String {
    let (n, unit) = age_parts(p, as_of);
    format!("{n}-{unit}-old")
}

/// Whole months between two dates.
pub(crate) fn months_between(from: chrono::NaiveDate, to: chrono::NaiveDate) -> u32 {
    use chrono::Datelike;
    let mut months = (to.year() - from.year()) * 12 + to.month() as i32 - from.month() as i32;
    if to.day() < from.day() {
        months -= 1;
    }
    u32::try_from(months).unwrap_or(0)
}

fn person_word(p: &Patient, as_of: chrono::NaiveDate) -> &'static str {
    let female = p.demographics.sex == Sex::Female;
    let days = (as_of - p.demographics.birth_date).num_days();
    match (days, p.demographics.age_years, female) {
        (d, _, _) if d < 365 => "infant",
        (_, a, true) if a < 18 => "girl",
        (_, a, false) if a < 18 => "boy",
        (_, _, true) => "woman",
        (_, _, false) => "man",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_known_and_rejects_unknown() {
        assert_eq!(
            Placeholder::parse("hr"),
            Ok(Placeholder::Simple(Simple::Hr))
        );
        assert_eq!(
            Placeholder::parse("cond:primary.stage"),
            Ok(Placeholder::Condition {
                group: "primary".into(),
                fact: Some("stage".into())
            })
        );
        assert!(Placeholder::parse("heartrate").is_err_and(|e| e.contains("unknown placeholder")));
        assert!(Placeholder::parse("foo:bar").is_err());
        assert!(Placeholder::parse("lab:").is_err());
    }

    #[test]
    fn finds_placeholders_and_escapes() {
        let found = placeholders("BP {bp}, {{literal}} and {lab:Creatinine}").unwrap_or_default();
        assert_eq!(found.len(), 2);
        assert!(placeholders("open {hr").is_err());
        assert!(placeholders("stray } here").is_err());
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(duration_words(0), "less than a day");
        assert_eq!(duration_words(1), "1 day");
        assert_eq!(duration_words(3), "3 days");
        assert_eq!(duration_words(21), "3 weeks");
        assert_eq!(duration_words(90), "3 months");
        assert_eq!(duration_words(800), "2 years");
    }

    #[test]
    fn numbers_have_no_trailing_zero() {
        assert_eq!(trim_number(1.0), "1");
        assert_eq!(trim_number(0.5), "0.5");
        assert_eq!(trim_number(1.25), "1.25");
    }
}
