//! The access-audit review learner task: a generated EHR access log to review as a privacy
//! officer would.
//!
//! The learner works from the log (the GUI's table, or the case file) and the printout
//! ([`AccessAuditMaterial::printout`]: period, staff, patients, policy). They submit the flagged
//! events, each with the rules it breaks; for each user with a flagged event whether to refer
//! them for sanction review; for each patient whose record was opened without a permitted
//! purpose the breach determination; and the notification answers (the individuals' deadline,
//! HHS, the media).
//!
//! Key rules: everything comes from [`review`] on the case's log, never from what was planted.
//! The engine lists every user with a flagged event for sanction review (`sanction: true`) and
//! presumes a breach for every patient with an impermissible access (the good-faith exception
//! and a low probability need facts outside the log); the individuals' deadline is the
//! discovery date + 60 days (`none` when nothing calls for notice); HHS is `immediate` for 500
//! or more patients, else `annual_log` (`none` with no patient); the media `true` when more
//! than 500 residents of a state are affected (`null`, not graded, when states are missing and
//! could tip it).

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::generate::{CasePatient, generate};
use super::log::{AuditLog, Role};
use super::spec::{self, AccessAuditSpec};
use super::{Review, Rule, review};
use crate::diagnostic::Diagnostic;
use crate::grading::{FieldSchema, FieldType, RubricKind};
use crate::patient::Patient;
use crate::tasks::{SpecProblem, Task, TaskContext};

/// The access-audit review task kind.
#[derive(Debug, Clone, Copy)]
pub struct AccessAudit;

impl Task for AccessAudit {
    type Spec = AccessAuditSpec;
    type Material = AccessAuditMaterial;
    type Submission = AccessAuditSubmission;

    const LABEL: &'static str = "Access-audit review";
    const FOLDER: &'static str = "access_audit";
    const RUBRIC_KIND: RubricKind = RubricKind::AccessAudit;

    fn instructions(spec: &AccessAuditSpec) -> &str {
        &spec.instructions
    }

    fn material(
        ctx: &TaskContext<'_>,
        spec: &AccessAuditSpec,
        patient: &Patient,
        patient_seed: u64,
    ) -> AccessAuditMaterial {
        let d = &patient.demographics;
        let case = CasePatient {
            mrn: d.mrn.clone(),
            given_name: d.given_name.clone(),
            surname: d.family_name.clone(),
            address: format!("{}, {}", d.address.line, d.address.city),
            state: d.address.state.clone(),
        };
        let generated = generate(ctx.scenario_id, spec, ctx.as_of, &case, patient_seed);
        AccessAuditMaterial {
            log: Box::new(generated.log),
            patient: d.mrn.clone(),
            as_of: ctx.as_of,
        }
    }

    fn key(_patient: &Patient, material: &AccessAuditMaterial) -> Value {
        super::super::to_value(&key(&material.log, &review(&material.log)))
    }

    fn blank(_material: &AccessAuditMaterial) -> Value {
        super::super::to_value(&AccessAuditSubmission::default())
    }

    fn schema(_kind: RubricKind) -> FieldSchema {
        schema()
    }

    fn problems(ctx: &TaskContext<'_>, spec: &AccessAuditSpec) -> Vec<SpecProblem> {
        spec::problems(ctx, spec)
    }

    fn parse_answer(
        material: &AccessAuditMaterial,
        file: &Path,
        text: &str,
        json: bool,
    ) -> Result<Value, Diagnostic> {
        let value = super::super::parse_as::<AccessAuditSubmission>(file, text, json)?;
        let typed: AccessAuditSubmission = serde_json::from_value(value.clone())
            .map_err(|e| Diagnostic::at_file(file, e.to_string()))?;
        match answer_problem(&material.log, &typed) {
            Some((item, message, hint)) => {
                Err(Diagnostic::at_item(file, item, message).with_hint(hint))
            }
            None => Ok(value),
        }
    }
}

/// What the learner works from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessAuditMaterial {
    /// The access log to review (the key is the engine's review of it).
    pub log: Box<AuditLog>,
    /// The case's patient (its MRN): one of the log's patients.
    pub patient: String,
    /// The day of the review.
    pub as_of: NaiveDate,
}

/// One flagged event.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FlagAnswer {
    /// The event id.
    #[serde(default)]
    pub event: Option<String>,
    /// The rule ids it breaks (see [`RULE_CHOICES`]).
    #[serde(default)]
    pub rules: Vec<String>,
}

/// The sanction referral of one user with a flagged event.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserAnswer {
    /// The user id.
    #[serde(default)]
    pub user: Option<String>,
    /// Refer the user for sanction review.
    #[serde(default)]
    pub sanction: Option<bool>,
}

/// The breach determination for one patient.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PatientAnswer {
    /// The patient id.
    #[serde(default)]
    pub patient: Option<String>,
    /// An id of [`BREACH_CHOICES`].
    #[serde(default)]
    pub breach: Option<String>,
}

/// An access-audit submission (and key).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccessAuditSubmission {
    /// The flagged events, each with the rules it breaks.
    #[serde(default)]
    pub flags: Vec<FlagAnswer>,
    /// Each user with a flagged event: refer for sanction review or not.
    #[serde(default)]
    pub users: Vec<UserAnswer>,
    /// Each patient whose record was opened without a permitted purpose: the determination.
    #[serde(default)]
    pub patients: Vec<PatientAnswer>,
    /// Notify the individuals by this date (`YYYY-MM-DD`), or `none`.
    #[serde(default)]
    pub notify_individuals_by: Option<String>,
    /// `immediate`, `annual_log` or `none` (an id of [`HHS_CHOICES`]).
    #[serde(default)]
    pub notify_hhs: Option<String>,
    /// Notify prominent media outlets.
    #[serde(default)]
    pub notify_media: Option<bool>,
}

/// The breach determinations, as `(answer id, label)`.
pub const BREACH_CHOICES: [(&str, &str); 3] = [
    (
        "presumed",
        "Presumed breach: notify unless a documented four-factor assessment shows a low probability of compromise",
    ),
    (
        "good_faith_exception",
        "Exception: unintentional access in good faith within the user's authority",
    ),
    (
        "low_probability",
        "Not a breach: the four-factor assessment shows a low probability of compromise",
    ),
];

/// The HHS notice, as `(answer id, label)`.
pub const HHS_CHOICES: [(&str, &str); 3] = [
    (
        "immediate",
        "500 or more: notify HHS at the same time as the individuals",
    ),
    (
        "annual_log",
        "Fewer than 500: log it and report within 60 days after the end of the year",
    ),
    ("none", "No breach to report"),
];

/// The rules an event can break, as `(rule id, title)`, in [`Rule::ALL`] order.
pub const RULE_CHOICES: [(&str, &str); 12] = [
    ("account.terminated", "Account should have been disabled"),
    (
        "access.no_relationship",
        "No treatment, payment or operations relationship",
    ),
    ("access.after_discharge", "After discharge with no task"),
    ("relation.same_surname", "Same surname"),
    ("relation.same_address", "Same address"),
    ("relation.vip", "VIP"),
    ("relation.coworker", "Coworker"),
    ("relation.family", "Family member"),
    ("policy.own_record", "Own record (policy forbids)"),
    ("btg.no_reason", "Break-the-glass without a reason"),
    ("export.bulk", "Bulk print or export"),
    ("time.outside_shift", "Outside the shift"),
];

/// The rule with this id.
#[must_use]
pub fn rule_of(id: &str) -> Option<Rule> {
    Rule::ALL.into_iter().find(|r| r.id() == id)
}

/// The key in the submission's shape (see the module docs).
#[must_use]
pub fn key(log: &AuditLog, r: &Review) -> AccessAuditSubmission {
    let n = r.patients.len();
    let individuals = match (n, log.discovered) {
        (0, _) => Some("none".to_owned()),
        (_, Some(d)) => d
            .checked_add_days(Days::new(60))
            .map(|x| x.format("%Y-%m-%d").to_string()),
        (_, None) => None,
    };
    let hhs = if n >= 500 {
        "immediate"
    } else if n > 0 {
        "annual_log"
    } else {
        "none"
    };
    AccessAuditSubmission {
        flags: r
            .events
            .iter()
            .filter(|e| !e.appropriate)
            .map(|e| FlagAnswer {
                event: Some(e.id.clone()),
                rules: e.rules.iter().map(|x| x.id().to_owned()).collect(),
            })
            .collect(),
        users: r
            .users
            .iter()
            .map(|u| UserAnswer {
                user: Some(u.user.clone()),
                sanction: Some(true),
            })
            .collect(),
        patients: r
            .patients
            .iter()
            .map(|p| PatientAnswer {
                patient: Some(p.patient.clone()),
                breach: Some("presumed".to_owned()),
            })
            .collect(),
        notify_individuals_by: individuals,
        notify_hhs: Some(hhs.to_owned()),
        notify_media: media(log, r),
    }
}

/// More than 500 affected residents of one state; `None` when patients without a state could
/// tip one over (as the engine's `breach.notify_media`).
fn media(log: &AuditLog, r: &Review) -> Option<bool> {
    let affected: HashSet<&str> = r.patients.iter().map(|p| p.patient.as_str()).collect();
    let mut per_state: BTreeMap<&str, usize> = BTreeMap::new();
    let mut unknown = 0usize;
    for p in log
        .patients
        .iter()
        .filter(|p| affected.contains(p.id.as_str()))
    {
        match p.state.as_deref() {
            Some(s) => *per_state.entry(s).or_insert(0) += 1,
            None => unknown += 1,
        }
    }
    let largest = per_state.values().copied().max().unwrap_or(0);
    if largest > 500 {
        Some(true)
    } else if largest + unknown > 500 {
        None
    } else {
        Some(false)
    }
}

/// The first answer that names what the log does not hold, as (item path, message, hint).
fn answer_problem(log: &AuditLog, a: &AccessAuditSubmission) -> Option<(String, String, String)> {
    let events: HashSet<&str> = log.events.iter().map(|e| e.id.as_str()).collect();
    let users: HashSet<&str> = log.users.iter().map(|u| u.id.as_str()).collect();
    let patients: HashSet<&str> = log.patients.iter().map(|p| p.id.as_str()).collect();
    let mut seen = HashSet::new();
    for (i, f) in a.flags.iter().enumerate() {
        if let Some(e) = f.event.as_deref().filter(|e| !e.trim().is_empty()) {
            let e = e.trim();
            if !events.contains(e) {
                return Some((
                    format!("flags[{i}].event"),
                    format!("event \"{e}\" is not in the log"),
                    "use an event id from the log (e.g. E000123)".to_owned(),
                ));
            }
            if !seen.insert(e) {
                return Some((
                    format!("flags[{i}].event"),
                    format!("event \"{e}\" is flagged twice"),
                    "flag each event once, with every rule it breaks".to_owned(),
                ));
            }
        }
        for (j, rule) in f.rules.iter().enumerate() {
            if rule_of(rule.trim()).is_none() {
                let ids: Vec<&str> = RULE_CHOICES.iter().map(|(id, _)| *id).collect();
                return Some((
                    format!("flags[{i}].rules[{j}]"),
                    format!("\"{rule}\" is not a rule id"),
                    format!("use one of: {}", ids.join(", ")),
                ));
            }
        }
    }
    for (i, u) in a.users.iter().enumerate() {
        if let Some(id) = u.user.as_deref().filter(|x| !x.trim().is_empty())
            && !users.contains(id.trim())
        {
            return Some((
                format!("users[{i}].user"),
                format!("user \"{id}\" is not in the log"),
                "use a user id from the log (e.g. U00012)".to_owned(),
            ));
        }
    }
    for (i, p) in a.patients.iter().enumerate() {
        if let Some(id) = p.patient.as_deref().filter(|x| !x.trim().is_empty())
            && !patients.contains(id.trim())
        {
            return Some((
                format!("patients[{i}].patient"),
                format!("patient \"{id}\" is not in the log"),
                "use a patient id (MRN) from the log".to_owned(),
            ));
        }
        if let Some(b) = p.breach.as_deref().filter(|x| !x.trim().is_empty())
            && !BREACH_CHOICES.iter().any(|(id, _)| *id == b.trim())
        {
            return Some((
                format!("patients[{i}].breach"),
                format!("\"{b}\" is not a determination"),
                "use presumed, good_faith_exception or low_probability".to_owned(),
            ));
        }
    }
    notification_problem(a)
}

fn notification_problem(a: &AccessAuditSubmission) -> Option<(String, String, String)> {
    if let Some(d) = a.notify_individuals_by.as_deref().map(str::trim)
        && !d.is_empty()
        && d != "none"
        && NaiveDate::parse_from_str(d, "%Y-%m-%d").is_err()
    {
        return Some((
            "notify_individuals_by".to_owned(),
            format!("\"{d}\" is neither a date nor none"),
            "write a date as YYYY-MM-DD, or none".to_owned(),
        ));
    }
    if let Some(h) = a.notify_hhs.as_deref().map(str::trim)
        && !h.is_empty()
        && !HHS_CHOICES.iter().any(|(id, _)| *id == h)
    {
        return Some((
            "notify_hhs".to_owned(),
            format!("\"{h}\" is not an HHS notice"),
            "use immediate, annual_log or none".to_owned(),
        ));
    }
    None
}

/// The fields an access-audit submission has.
#[must_use]
pub fn schema() -> FieldSchema {
    use FieldType::{Bool, RecordList, Text, TextList};
    FieldSchema::new(
        RubricKind::AccessAudit,
        &[
            ("flags[]", RecordList),
            ("flags[].event", Text),
            ("flags[].rules", TextList),
            ("users[]", RecordList),
            ("users[].user", Text),
            ("users[].sanction", Bool),
            ("patients[]", RecordList),
            ("patients[].patient", Text),
            ("patients[].breach", Text),
            ("notify_individuals_by", Text),
            ("notify_hhs", Text),
            ("notify_media", Bool),
        ],
    )
    .choices("flags[].rules", &RULE_CHOICES)
    .choices("patients[].breach", &BREACH_CHOICES)
    .choices("notify_hhs", &HHS_CHOICES)
}

fn role_name(role: Role) -> &'static str {
    match role {
        Role::Physician => "physicians",
        Role::Nurse => "nurses",
        Role::Clinician => "other clinicians",
        Role::Registration => "registration",
        Role::Billing => "billing",
        Role::Coding => "coding",
        Role::Cdi => "CDI",
        Role::Quality => "quality",
        Role::ReleaseOfInformation => "release of information",
        Role::Privacy => "privacy office",
        Role::Other => "other",
    }
}

impl AccessAuditMaterial {
    /// The log's summary as the privacy officer reads it before the table: the period, the
    /// staff by role, the patients, the tasks and the policy (no findings).
    #[must_use]
    pub fn printout(&self) -> String {
        let l = &self.log;
        let mut out = format!(
            "ACCESS-AUDIT REVIEW — worked on {}\n\n  Period:                {} to {}\n",
            self.as_of, l.period.start, l.period.end
        );
        if let Some(d) = l.discovered {
            out.push_str(&format!("  Review (discovery):    {d}\n"));
        }
        out.push_str(&format!("  Events:                {}\n", l.events.len()));
        let mut roles: BTreeMap<&str, usize> = BTreeMap::new();
        for u in &l.users {
            *roles.entry(role_name(u.role)).or_insert(0) += 1;
        }
        let staff: Vec<String> = roles.iter().map(|(r, n)| format!("{n} {r}")).collect();
        out.push_str(&format!(
            "  Staff:                 {} ({})\n",
            l.users.len(),
            staff.join(", ")
        ));
        let vips = l.patients.iter().filter(|p| p.vip).count();
        out.push_str(&format!(
            "  Patients:              {} ({vips} VIP)\n  Work-queue tasks:      {}\n",
            l.patients.len(),
            l.tasks.len()
        ));
        out.push_str(&format!("  Case patient (MRN):    {}\n", self.patient));
        let p = l.policy;
        out.push_str("\nPOLICY\n");
        out.push_str(&format!(
            "  Own record in the EHR: {}\n  Care team after discharge: {} day(s)\n  Bulk print or export: {} pages or records or more\n",
            if p.own_record_forbidden {
                "forbidden (use the portal or the ROI office)"
            } else {
                "allowed"
            },
            p.after_discharge_days,
            p.bulk_export_threshold
        ));
        out
    }
}
