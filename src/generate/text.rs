//! Note templates: the `{placeholder}` vocabulary, its validation, and rendering from a
//! generated patient.
//!
//! A template is plain text with `{name}` or `{name:argument}` placeholders; `{{` and `}}` write
//! literal braces. [`Placeholder::parse`] is the single definition of what is allowed, used both
//! by the scenario validator and by [`render`], so a template that validates always renders.

use std::fmt::Write as _;

use chrono::Timelike;

use crate::patient::{ConditionStatus, Patient, Sex, VitalSigns};

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
        Token::parse(inner).map(Token::to_placeholder)
    }
}

/// A placeholder borrowing its arguments from the template: what [`render`] reads without
/// allocating. [`Placeholder::parse`] is this parse, owned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token<'t> {
    Simple(Simple),
    Lab(&'t str),
    Condition {
        group: &'t str,
        fact: Option<&'t str>,
    },
    Symptoms(&'t str),
    Onset(&'t str),
}

impl<'t> Token<'t> {
    fn parse(inner: &'t str) -> Result<Self, String> {
        let inner = inner.trim();
        if let Some((kind, arg)) = inner.split_once(':') {
            let arg = arg.trim();
            if arg.is_empty() {
                return Err(format!("`{{{inner}}}` needs an argument after `:`"));
            }
            return match kind.trim() {
                "lab" => Ok(Self::Lab(arg)),
                "cond" => Ok(match arg.split_once('.') {
                    Some((group, fact)) => Self::Condition {
                        group,
                        fact: Some(fact),
                    },
                    None => Self::Condition {
                        group: arg,
                        fact: None,
                    },
                }),
                "symptoms" => Ok(Self::Symptoms(arg)),
                "onset" => Ok(Self::Onset(arg)),
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

    fn to_placeholder(self) -> Placeholder {
        match self {
            Self::Simple(s) => Placeholder::Simple(s),
            Self::Lab(name) => Placeholder::Lab(name.to_string()),
            Self::Condition { group, fact } => Placeholder::Condition {
                group: group.to_string(),
                fact: fact.map(str::to_string),
            },
            Self::Symptoms(group) => Placeholder::Symptoms(group.to_string()),
            Self::Onset(group) => Placeholder::Onset(group.to_string()),
        }
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
    // Lists (medications, problems) and names make a note longer than its template.
    let mut out = String::with_capacity(template.len() + template.len() / 2 + 64);
    let mut rest = template;
    while let Some(pos) = memchr::memchr2(b'{', b'}', rest.as_bytes()) {
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
        } else if let Some(end) = memchr::memchr(b'}', tail.as_bytes()) {
            let inner = tail.get(1..end).unwrap_or("");
            match Token::parse(inner) {
                Ok(p) => write_value(&mut out, p, ctx),
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

/// Appends the items of `list`, `sep` between them.
fn push_joined<'s>(out: &mut String, list: impl Iterator<Item = &'s str>, sep: &str) {
    for (i, item) in list.enumerate() {
        if i > 0 {
            out.push_str(sep);
        }
        out.push_str(item);
    }
}

fn write_value(out: &mut String, p: Token<'_>, ctx: &RenderContext<'_>) {
    let patient = ctx.patient;
    match p {
        Token::Simple(s) => write_simple(out, s, ctx),
        Token::Lab(name) => match patient
            .labs
            .iter()
            .find(|l| l.name.eq_ignore_ascii_case(name))
        {
            Some(l) => {
                push_number(out, l.value);
                out.push(' ');
                out.push_str(&l.unit);
            }
            None => out.push_str("not done"),
        },
        Token::Condition { group, fact } => {
            let Some(c) = patient.conditions.iter().find(|c| c.group == group) else {
                out.push_str("none");
                return;
            };
            match fact {
                None => out.push_str(&c.display),
                Some(f) => out.push_str(c.facts.get(f).map_or("", String::as_str)),
            }
        }
        Token::Symptoms(group) => push_joined(
            out,
            patient
                .conditions
                .iter()
                .filter(|c| c.group == group)
                .flat_map(|c| c.symptoms.iter().map(String::as_str)),
            "; ",
        ),
        Token::Onset(group) => match patient
            .conditions
            .iter()
            .find(|c| c.group == group)
            .and_then(|c| c.onset)
        {
            Some(onset) => {
                let seen = patient
                    .current_encounter()
                    .map_or(ctx.as_of, |e| e.start.date());
                out.push_str(&duration_words((seen - onset).num_days()));
            }
            None => out.push_str("an unknown time"),
        },
    }
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

/// Appends `v` without a trailing `.0` (The Joint Commission: no trailing zeros): a whole
/// number as such, else two decimals less their trailing zeros.
fn push_number(out: &mut String, v: f64) {
    if (v - v.round()).abs() < 1e-9 {
        let _ = write!(out, "{}", v.round() as i64);
    } else {
        let start = out.len();
        let _ = write!(out, "{v:.2}");
        let kept = out
            .get(start..)
            .unwrap_or("")
            .trim_end_matches('0')
            .trim_end_matches('.')
            .len();
        out.truncate(start + kept);
    }
}

fn latest(patient: &Patient) -> Option<&VitalSigns> {
    patient.vitals.last()
}

/// Appends `{:.1}` of `x`.
fn push_1(out: &mut String, x: f64) {
    let _ = write!(out, "{x:.1}");
}

/// Appends a whole number.
fn push_int(out: &mut String, n: impl std::fmt::Display) {
    let _ = write!(out, "{n}");
}

/// Appends what `f` writes of `reading`, or "not taken".
fn push_vital(
    out: &mut String,
    reading: Option<&VitalSigns>,
    f: impl FnOnce(&mut String, &VitalSigns),
) {
    match reading {
        Some(v) => f(out, v),
        None => out.push_str("not taken"),
    }
}

fn write_simple(out: &mut String, s: Simple, ctx: &RenderContext<'_>) {
    let p = ctx.patient;
    let d = &p.demographics;
    let female = d.sex == Sex::Female;
    let enc = p.current_encounter();
    let (v, first) = (latest(p), p.vitals.first());
    match s {
        Simple::Name => {
            out.extend(d.family_name.chars().flat_map(char::to_uppercase));
            out.push_str(", ");
            out.push_str(&d.given_name);
        }
        Simple::FullName => {
            out.push_str(&d.given_name);
            out.push(' ');
            out.push_str(&d.family_name);
        }
        Simple::GivenName => out.push_str(&d.given_name),
        Simple::FamilyName => out.push_str(&d.family_name),
        Simple::Age => push_int(out, age_parts(p, ctx.as_of).0),
        Simple::AgePhrase => {
            let (n, unit) = age_parts(p, ctx.as_of);
            let _ = write!(out, "{n}-{unit}-old");
        }
        Simple::Sex => out.push_str(match d.sex {
            Sex::Female => "female",
            Sex::Male => "male",
        }),
        Simple::Person => out.push_str(person_word(p, ctx.as_of)),
        Simple::HeShe => out.push_str(if female { "she" } else { "he" }),
        Simple::HisHer => out.push_str(if female { "her" } else { "his" }),
        Simple::HimHer => out.push_str(if female { "her" } else { "him" }),
        Simple::HeSheCap => out.push_str(if female { "She" } else { "He" }),
        Simple::Dob => push_date(out, d.birth_date),
        Simple::Mrn => out.push_str(&d.mrn),
        Simple::EncounterDate => {
            if let Some(e) = enc {
                push_date(out, e.start.date());
            }
        }
        Simple::EncounterTime => {
            if let Some(e) = enc {
                let _ = write!(out, "{:02}:{:02}", e.start.hour(), e.start.minute());
            }
        }
        Simple::Reason => out.push_str(enc.map_or("", |e| e.reason.as_str())),
        Simple::Attending => out.push_str(enc.map_or("", |e| e.attending.as_str())),
        Simple::Location => out.push_str(enc.map_or("", |e| e.location.as_str())),
        Simple::TempC => push_vital(out, v, |o, v| push_1(o, v.temperature_c)),
        Simple::TempF => push_vital(out, v, |o, v| push_1(o, v.temperature_f())),
        Simple::ArrivalTempC => push_vital(out, first, |o, v| push_1(o, v.temperature_c)),
        Simple::ArrivalTempF => push_vital(out, first, |o, v| push_1(o, v.temperature_f())),
        Simple::ArrivalHr => push_vital(out, first, |o, v| push_int(o, v.heart_rate_bpm)),
        Simple::StayDays => {
            if let Some(e) = enc {
                let end = e.end.map_or(ctx.as_of, |end| end.date());
                push_int(out, (end - e.start.date()).num_days().max(0));
            }
        }
        Simple::Hr => push_vital(out, v, |o, v| push_int(o, v.heart_rate_bpm)),
        Simple::Rr => push_vital(out, v, |o, v| push_int(o, v.respiratory_rate_per_min)),
        Simple::Bp => push_vital(out, v, |o, v| {
            let _ = write!(o, "{}/{}", v.systolic_mmhg, v.diastolic_mmhg);
        }),
        Simple::Sbp => push_vital(out, v, |o, v| push_int(o, v.systolic_mmhg)),
        Simple::Dbp => push_vital(out, v, |o, v| push_int(o, v.diastolic_mmhg)),
        Simple::Spo2 => push_vital(out, v, |o, v| push_int(o, v.spo2_percent)),
        Simple::Oxygen => push_vital(out, v, |o, v| o.push_str(&v.oxygen)),
        Simple::Pain => push_vital(out, v, |o, v| push_int(o, v.pain_score)),
        Simple::PainScale => push_vital(out, v, |o, v| o.push_str(&v.pain_scale)),
        Simple::HeightCm => push_vital(out, v, |o, v| push_1(o, v.height_cm)),
        Simple::HeightIn => push_vital(out, v, |o, v| push_1(o, v.height_in())),
        Simple::WeightKg => push_vital(out, v, |o, v| push_1(o, v.weight_kg)),
        Simple::WeightLb => push_vital(out, v, |o, v| push_1(o, v.weight_lb())),
        Simple::Bmi => push_vital(out, v, |o, v| push_1(o, v.bmi())),
        Simple::Meds if p.medications.is_empty() => out.push_str("no regular medications"),
        Simple::Meds => {
            for (i, m) in p.medications.iter().enumerate() {
                if i > 0 {
                    out.push_str("; ");
                }
                let _ = write!(out, "{} {} {} {}", m.name, m.dose, m.route, m.frequency);
            }
        }
        Simple::MedNames if p.medications.is_empty() => out.push_str("no regular medications"),
        Simple::MedNames => push_joined(out, p.medications.iter().map(|m| m.name.as_str()), ", "),
        Simple::Allergies if p.allergies.is_empty() => out.push_str("No known allergies"),
        Simple::Allergies => {
            for (i, a) in p.allergies.iter().enumerate() {
                if i > 0 {
                    out.push_str("; ");
                }
                let _ = write!(
                    out,
                    "{} ({}, {})",
                    a.allergen,
                    a.reaction,
                    a.severity.label()
                );
            }
        }
        Simple::Problems => {
            let mut active = p
                .conditions
                .iter()
                .filter(|c| c.status == ConditionStatus::Active)
                .map(|c| c.display.as_str())
                .peekable();
            if active.peek().is_none() {
                out.push_str("none");
            } else {
                push_joined(out, active, "; ");
            }
        }
        Simple::Language => out.push_str(&d.language),
        Simple::Payer => out.push_str(&d.insurance.payer),
    }
}

/// `YYYY-MM-DD`.
fn push_date(out: &mut String, date: chrono::NaiveDate) {
    use chrono::Datelike;
    let year = date.year();
    if (0..=9999).contains(&year) {
        let _ = write!(out, "{year:04}-{:02}-{:02}", date.month(), date.day());
    } else {
        let _ = write!(out, "{}", date.format("%Y-%m-%d"));
    }
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
        let trim_number = |v: f64| {
            let mut out = String::from("x ");
            push_number(&mut out, v);
            out
        };
        assert_eq!(trim_number(1.0), "x 1");
        assert_eq!(trim_number(0.5), "x 0.5");
        assert_eq!(trim_number(1.25), "x 1.25");
        assert_eq!(trim_number(9.999), "x 10");
        assert_eq!(trim_number(-0.001), "x -0");
    }
}
