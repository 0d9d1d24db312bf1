//! The release-of-information task's settings in a scenario file (`task: Roi((...))`): the
//! request template and how far before the exercise date it arrived.
//!
//! The template is a [`Request`] without the patient's age or birth date (those come from the
//! generated patient). [`fill`] moves its dates so that `received` lands `N` days before the
//! exercise date (`N` drawn from `received_days_before_as_of` with the patient's seed) and moves
//! every other date by the same number of days, so their relations (an expiration passed or
//! not, a signature before receipt, the years since death) hold in every generated case.

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

use super::request::{Expiration, Minority, Request, Requester};
use crate::generate::rng;
use crate::patient::spec::AgeSpec;
use crate::tasks::{SpecProblem, TaskContext};

/// Release-of-information settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoiSpec {
    /// What the learner is asked to do.
    pub instructions: String,
    /// The request template: a request as `ehr-sim key roi` reads it, without the patient's
    /// `age` or `birth_date`.
    pub request: Box<Request>,
    /// The request arrived this many days before the exercise date (inclusive range).
    pub received_days_before_as_of: (u32, u32),
}

/// The day the request of a case arrived: `as_of` minus a number of days drawn from the range
/// with the patient's seed.
#[must_use]
pub fn received_on(
    scenario_id: &str,
    spec: &RoiSpec,
    as_of: NaiveDate,
    patient_seed: u64,
) -> NaiveDate {
    let mut r = rng::rng_for(rng::patient_seed(
        &format!("{scenario_id}#roi"),
        patient_seed,
        0,
    ));
    let (lo, hi) = spec.received_days_before_as_of;
    let days = rng::in_pair(&mut r, (lo.min(hi), lo.max(hi)));
    as_of
        .checked_sub_days(Days::new(u64::from(days)))
        .unwrap_or(as_of)
}

/// Moves a date by `offset` days (a date that would leave the calendar stays put; the
/// validated ranges keep every date far from its ends).
fn moved(d: NaiveDate, offset: i64) -> NaiveDate {
    let days = Days::new(offset.unsigned_abs());
    let out = if offset >= 0 {
        d.checked_add_days(days)
    } else {
        d.checked_sub_days(days)
    };
    out.unwrap_or(d)
}

/// The template filled for one case: its dates moved so that it was received on `received`,
/// the patient born on `birth_date`.
#[must_use]
pub fn fill(template: &Request, received: NaiveDate, birth_date: NaiveDate) -> Request {
    let offset = (received - template.received).num_days();
    let mut req = template.clone();
    req.received = received;
    req.patient.age = None;
    req.patient.birth_date = Some(birth_date);
    req.patient.died = req.patient.died.map(|d| moved(d, offset));
    if let Some(a) = &mut req.authorization {
        a.signed = a.signed.map(|d| moved(d, offset));
        if let Some(Expiration::Date(d)) = &mut a.expires {
            *d = moved(*d, offset);
        }
    }
    if let Some(c) = &mut req.part2_consent {
        c.expires = c.expires.map(|d| moved(d, offset));
    }
    req
}

/// The youngest and oldest age in whole years a patient of `age` can have on the day the
/// request arrived (a birthday may fall between the request and the exercise date), and the
/// youngest age in days.
fn age_bounds(age: AgeSpec) -> (u32, u32, u32) {
    match age {
        AgeSpec::Years(lo, hi) => (lo.saturating_sub(1), hi, lo.saturating_mul(365)),
        AgeSpec::Months(lo, hi) => (0, hi / 12, lo.saturating_mul(28)),
        AgeSpec::Days(lo, _) => (0, 0, lo),
    }
}

/// The template with the patient aged `age` (for checks that do not need a birth date).
fn aged(template: &Request, age: u32) -> Request {
    let mut req = template.clone();
    req.patient.age = Some(age);
    req.patient.birth_date = None;
    req
}

/// What scenario validation checks in the spec: a template the engine rejects, a range of days
/// that is reversed, and a patient age range that contradicts the template.
#[must_use]
pub fn problems(ctx: &TaskContext<'_>, spec: &RoiSpec) -> Vec<SpecProblem> {
    let mut out = Vec::new();
    let t = &spec.request;
    let (lo_days, hi_days) = spec.received_days_before_as_of;
    if lo_days > hi_days {
        out.push(SpecProblem::error(
            "task.received_days_before_as_of",
            format!("({lo_days}, {hi_days}) is reversed"),
            format!("write ({hi_days}, {lo_days})"),
        ));
    }
    if hi_days > 3650 {
        out.push(SpecProblem::error(
            "task.received_days_before_as_of",
            format!("{hi_days} days is more than ten years before the exercise date"),
            "use a recent request, e.g. (0, 20)",
        ));
    }
    for (field, given) in [
        ("age", t.patient.age.is_some()),
        ("birth_date", t.patient.birth_date.is_some()),
    ] {
        if given {
            out.push(SpecProblem::error(
                format!("task.request.patient.{field}"),
                format!("`{field}` comes from the generated patient"),
                "remove it and set the age range in `patient.age`",
            ));
        }
    }
    let (youngest, oldest, youngest_days) = age_bounds(ctx.patient.age);
    for message in aged(t, oldest).problems() {
        out.push(SpecProblem::error(
            request_item(&message),
            message,
            "fix the request template (see docs/domain/release-of-information.md)",
        ));
    }
    out.extend(age_problems(t, youngest, oldest));
    out.extend(date_problems(t, spec, youngest_days));
    out
}

/// The item path of a request problem: the field the message starts with (`patient.died is
/// after the request date` → `task.request.patient.died`), else the request.
fn request_item(message: &str) -> String {
    let field: String = message
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '.')
        .collect();
    let field = field.trim_end_matches('.');
    if field.is_empty() {
        "task.request".to_owned()
    } else {
        format!("task.request.{field}")
    }
}

/// An age range that contradicts the template: a parent's request for an adult, or a range
/// whose youngest and oldest patient the engine decides differently.
fn age_problems(t: &Request, youngest: u32, oldest: u32) -> Vec<SpecProblem> {
    let mut out = Vec::new();
    let young = aged(t, youngest);
    let old = aged(t, oldest);
    if matches!(t.requester, Requester::Parent { .. }) && old.minor() != Minority::Minor {
        out.push(SpecProblem::error(
            "patient.age",
            format!(
                "a parent's request needs a minor patient, but the patient can be {oldest} on the \
                 day the request arrives"
            ),
            "set `patient.age` below the age of majority, e.g. Years(8, 12)",
        ));
    }
    let decided = |r: &Request| -> Vec<String> {
        super::decide(r)
            .sections
            .iter()
            .map(|s| s.action.name())
            .collect()
    };
    if young.minor() != old.minor() || decided(&young) != decided(&old) {
        out.push(SpecProblem::error(
            "patient.age",
            format!(
                "the request is decided differently for a patient of {youngest} and one of \
                 {oldest} on the day it arrives"
            ),
            "narrow `patient.age` to one side of the age of majority (a birthday may fall \
             between the request and the exercise date)",
        ));
    }
    out
}

/// Dates of the template that cannot hold in a generated case: a death before the youngest
/// patient's birth.
fn date_problems(t: &Request, spec: &RoiSpec, youngest_days: u32) -> Vec<SpecProblem> {
    let Some(died) = t.patient.died else {
        return Vec::new();
    };
    let before_receipt = (t.received - died).num_days();
    let hi_days = i64::from(spec.received_days_before_as_of.1);
    if before_receipt + hi_days >= i64::from(youngest_days) {
        vec![SpecProblem::error(
            "patient.age",
            format!(
                "the patient died {before_receipt} days before the request, up to {} days before \
                 the exercise date: the youngest patient would not yet be born",
                before_receipt + hi_days
            ),
            "raise the lower bound of `patient.age`",
        )]
    } else {
        Vec::new()
    }
}
