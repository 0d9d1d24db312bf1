//! One EHR access log as an instructor writes it (RON or JSON) and
//! `ehr-sim key access-audit FILE` reads it: the review period, the users with their roles,
//! shifts and relationships, the patients with their care teams and encounters, the work-queue
//! tasks that give a user a reason to open a record, the access events, and the facility's
//! policy settings.
//!
//! Invariants after [`AuditLog::parse`]: every struct rejected unknown fields; user, patient and
//! event ids are unique; every id a record names is defined; every event lies in the period;
//! tasks and encounters do not end before they start; shift hours lie in 0–23; counts are at
//! least 1; lists a user, patient or user–patient pair holds are bounded (so the review is
//! linear in the number of events). The engine relies on these and never panics.

use std::collections::{HashMap, HashSet};

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use crate::ron_input::RonInputError;

/// The largest log file read, in bytes (a 50,000-event hospital log is about 5 MB).
pub const MAX_LOG_BYTES: usize = 32 * 1024 * 1024;

/// The most tasks one user may hold for one patient (keeps the review linear).
pub const MAX_TASKS_PER_PAIR: usize = 32;

/// The most encounters one patient may have in a log.
pub const MAX_ENCOUNTERS: usize = 64;

/// The most days after discharge a policy may allow the care team (ten years).
pub const MAX_AFTER_DISCHARGE_DAYS: u32 = 3650;

/// The most problems listed for an invalid log (the rest are counted).
pub const MAX_PROBLEMS: usize = 50;

/// Why a log could not be used: [`RonInputError::Syntax`] with line and column (RON and JSON
/// alike), or [`RonInputError::Invalid`] naming every inconsistent item by its path.
pub type AuditLogError = RonInputError;

/// An access log over a review period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditLog {
    /// The period the log covers.
    pub period: Period,
    /// The date the review discovered the accesses (the notification clock starts then);
    /// absent: the deadline is not decided.
    #[serde(default)]
    pub discovered: Option<NaiveDate>,
    /// The workforce members who appear in the log.
    pub users: Vec<User>,
    /// The patients whose records were opened.
    pub patients: Vec<Patient>,
    /// Work-queue items that give a user a reason to open a patient's record.
    #[serde(default)]
    pub tasks: Vec<WorkTask>,
    /// The access events.
    pub events: Vec<Event>,
    /// The facility's policy settings.
    pub policy: Policy,
}

/// The review period, both days included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Period {
    /// The first day.
    pub start: NaiveDate,
    /// The last day.
    pub end: NaiveDate,
}

/// A workforce member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct User {
    /// The account id.
    pub id: String,
    /// Given name.
    pub given_name: String,
    /// Surname (compared with the patient's, ignoring case).
    pub surname: String,
    /// The job.
    pub role: Role,
    /// The department (shown).
    pub department: String,
    /// The scheduled shift; absent: no shift rule applies.
    #[serde(default)]
    pub shift: Option<Shift>,
    /// The day the account should have been disabled.
    #[serde(default)]
    pub terminated_on: Option<NaiveDate>,
    /// Home address (compared with the patient's, ignoring case and spacing).
    #[serde(default)]
    pub address: Option<String>,
    /// Patients who are the user's family members (known to HR or declared).
    #[serde(default)]
    pub family_of: Vec<String>,
}

/// A job.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Role {
    /// A physician or advanced practice provider.
    Physician,
    /// A nurse.
    Nurse,
    /// Another clinician (therapist, pharmacist, technologist).
    Clinician,
    /// Registration and scheduling.
    Registration,
    /// Billing and patient accounts.
    Billing,
    /// HIM coding.
    Coding,
    /// Clinical documentation integrity.
    Cdi,
    /// Quality, utilization review, case management.
    Quality,
    /// Release of information.
    ReleaseOfInformation,
    /// The privacy office.
    Privacy,
    /// Anyone else.
    Other,
}

/// A shift in whole hours: from `start` (included) to `end` (excluded); `end` below `start`
/// runs past midnight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Shift {
    /// The first hour (0–23).
    pub start: u8,
    /// The hour it ends (0–23).
    pub end: u8,
}

impl Shift {
    /// Whether `hour` (0–23) lies in the shift.
    #[must_use]
    pub fn covers(self, hour: u32) -> bool {
        let (start, end) = (u32::from(self.start), u32::from(self.end));
        if start < end {
            (start..end).contains(&hour)
        } else {
            hour >= start || hour < end
        }
    }
}

/// A patient.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Patient {
    /// The medical record number.
    pub id: String,
    /// Given name.
    pub given_name: String,
    /// Surname.
    pub surname: String,
    /// Home address.
    #[serde(default)]
    pub address: Option<String>,
    /// The state the patient lives in (counts for the media notice).
    #[serde(default)]
    pub state: Option<String>,
    /// A VIP: a public figure, a board member, a celebrity.
    #[serde(default)]
    pub vip: bool,
    /// The user account of the patient when the patient is an employee.
    #[serde(default)]
    pub employee_user_id: Option<String>,
    /// The users treating the patient (attending, consultants, nurses assigned).
    #[serde(default)]
    pub care_team: Vec<String>,
    /// The patient's stays and visits.
    #[serde(default)]
    pub encounters: Vec<Encounter>,
}

/// A stay or visit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Encounter {
    /// The day it began.
    pub admitted: NaiveDate,
    /// The day it ended; absent: still open.
    #[serde(default)]
    pub discharged: Option<NaiveDate>,
}

/// A work-queue item for one user and one patient, both days included.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkTask {
    /// The user.
    pub user: String,
    /// The patient.
    pub patient: String,
    /// The work.
    pub kind: TaskKind,
    /// The first day.
    pub from: NaiveDate,
    /// The last day.
    pub to: NaiveDate,
}

/// The work a task stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TaskKind {
    /// A claim or account to work (payment).
    Billing,
    /// Coding the stay (operations).
    Coding,
    /// A documentation query (operations).
    Cdi,
    /// Quality review, utilization review, case management (operations).
    Quality,
    /// A logged release-of-information request, the patient's own access among them.
    RoiRequest,
    /// A privacy-office investigation.
    PrivacyReview,
}

impl TaskKind {
    /// The task's name in messages.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Billing => "billing",
            Self::Coding => "coding",
            Self::Cdi => "CDI",
            Self::Quality => "quality review",
            Self::RoiRequest => "release-of-information request",
            Self::PrivacyReview => "privacy review",
        }
    }
}

/// One access.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Event {
    /// The event id.
    pub id: String,
    /// When.
    pub at: NaiveDateTime,
    /// Who.
    pub user: String,
    /// Whose record.
    pub patient: String,
    /// What.
    pub action: Action,
    /// Pages printed or records exported in the event (default 1).
    #[serde(default)]
    pub count: Option<u32>,
}

/// What a user did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Action {
    /// Opened the record.
    View,
    /// Printed from it.
    Print,
    /// Exported from it.
    Export,
    /// Overrode an access restriction (emergency access).
    BreakTheGlass {
        /// The reason typed at the override; absent or blank: none documented.
        #[serde(default)]
        reason: Option<String>,
    },
}

/// The facility's policy settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// A workforce member may not open their own record in the EHR (they use the portal or
    /// the ROI office).
    pub own_record_forbidden: bool,
    /// The days after a discharge during which the care team may still open the record (0 to
    /// [`MAX_AFTER_DISCHARGE_DAYS`]).
    pub after_discharge_days: u32,
    /// A print or export of this many pages or records or more is a bulk one (at least 1).
    pub bulk_export_threshold: u32,
}

impl AuditLog {
    /// Parses a log from RON or JSON text (JSON when the first character after any whitespace
    /// is `{`) and checks it.
    ///
    /// # Errors
    /// [`AuditLogError::Syntax`] with line and column when the text does not parse or is too
    /// large; [`AuditLogError::Invalid`] naming every inconsistent item.
    pub fn parse(text: &str) -> Result<Self, AuditLogError> {
        crate::ron_input::from_text_checked(
            text,
            MAX_LOG_BYTES,
            ("the log", "an access-log file"),
            Self::problems,
        )
    }

    /// Parses a log from JSON text and checks it.
    ///
    /// # Errors
    /// As [`AuditLog::parse`].
    pub fn from_json(text: &str) -> Result<Self, AuditLogError> {
        crate::ron_input::from_json_checked(text, Self::problems)
    }

    /// Every inconsistency, each naming the item by its path and how to fix it (empty =
    /// usable); at most [`MAX_PROBLEMS`], then a count of the rest.
    #[must_use]
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        self.period_problems(&mut out);
        let users = ids(self.users.iter().map(|u| u.id.as_str()), "users", &mut out);
        let patients = ids(
            self.patients.iter().map(|p| p.id.as_str()),
            "patients",
            &mut out,
        );
        self.user_problems(&patients, &mut out);
        self.patient_problems(&users, &mut out);
        self.task_problems(&users, &patients, &mut out);
        self.event_problems(&users, &patients, &mut out);
        if self.policy.after_discharge_days > MAX_AFTER_DISCHARGE_DAYS {
            out.push(format!(
                "policy.after_discharge_days {}: use 0 to {MAX_AFTER_DISCHARGE_DAYS}",
                self.policy.after_discharge_days
            ));
        }
        if self.policy.bulk_export_threshold == 0 {
            out.push("policy.bulk_export_threshold: use 1 or more".to_owned());
        }
        if out.len() > MAX_PROBLEMS {
            let more = out.len() - MAX_PROBLEMS;
            out.truncate(MAX_PROBLEMS);
            out.push(format!("... and {more} more problems"));
        }
        out
    }

    fn period_problems(&self, out: &mut Vec<String>) {
        let p = self.period;
        for (name, d) in [("period.start", p.start), ("period.end", p.end)] {
            if !(1900..=2200).contains(&d.year()) {
                out.push(format!("{name} {d}: use a date in 1900-2200"));
            }
        }
        if p.end < p.start {
            out.push(format!(
                "period: end {} is before start {}: swap them",
                p.end, p.start
            ));
        }
        if let Some(d) = self.discovered
            && !(1900..=2200).contains(&d.year())
        {
            out.push(format!("discovered {d}: use a date in 1900-2200"));
        }
        if let Some(d) = self.discovered
            && d < p.start
        {
            out.push(format!(
                "discovered {d}: the review cannot discover accesses before the period starts \
                 ({})",
                p.start
            ));
        }
    }

    fn user_problems(&self, patients: &HashSet<&str>, out: &mut Vec<String>) {
        for (i, u) in self.users.iter().enumerate() {
            let at = format!("users[{i}] (id \"{}\")", u.id);
            if let Some(s) = u.shift
                && (s.start > 23 || s.end > 23 || s.start == s.end)
            {
                out.push(format!(
                    "{at}.shift ({}-{}): use hours 0-23, start different from end",
                    s.start, s.end
                ));
            }
            for (j, p) in u.family_of.iter().enumerate() {
                if !patients.contains(p.as_str()) {
                    out.push(format!(
                        "{at}.family_of[{j}]: patient \"{p}\" is not in patients: add it or \
                         correct the id"
                    ));
                }
            }
            if u.family_of.len() > MAX_ENCOUNTERS {
                out.push(format!("{at}.family_of: at most {MAX_ENCOUNTERS} patients"));
            }
        }
    }

    fn patient_problems(&self, users: &HashSet<&str>, out: &mut Vec<String>) {
        for (i, p) in self.patients.iter().enumerate() {
            let at = format!("patients[{i}] (id \"{}\")", p.id);
            if let Some(e) = &p.employee_user_id
                && !users.contains(e.as_str())
            {
                out.push(format!(
                    "{at}.employee_user_id: user \"{e}\" is not in users: add it or correct \
                     the id"
                ));
            }
            for (j, u) in p.care_team.iter().enumerate() {
                if !users.contains(u.as_str()) {
                    out.push(format!(
                        "{at}.care_team[{j}]: user \"{u}\" is not in users: add it or correct \
                         the id"
                    ));
                }
            }
            if p.encounters.len() > MAX_ENCOUNTERS {
                out.push(format!("{at}.encounters: at most {MAX_ENCOUNTERS}"));
            }
            for (j, e) in p.encounters.iter().enumerate() {
                if let Some(d) = e.discharged
                    && d < e.admitted
                {
                    out.push(format!(
                        "{at}.encounters[{j}]: discharged {d} is before admitted {}",
                        e.admitted
                    ));
                }
            }
        }
    }

    fn task_problems(
        &self,
        users: &HashSet<&str>,
        patients: &HashSet<&str>,
        out: &mut Vec<String>,
    ) {
        let mut per_pair: HashMap<(&str, &str), usize> = HashMap::new();
        for (i, t) in self.tasks.iter().enumerate() {
            let at = format!("tasks[{i}]");
            unknown(&at, &t.user, &t.patient, users, patients, out);
            if t.to < t.from {
                out.push(format!(
                    "{at}: to {} is before from {}: swap them",
                    t.to, t.from
                ));
            }
            let n = per_pair.entry((&t.user, &t.patient)).or_insert(0);
            *n += 1;
            if *n == MAX_TASKS_PER_PAIR + 1 {
                out.push(format!(
                    "{at}: more than {MAX_TASKS_PER_PAIR} tasks for user \"{}\" and patient \
                     \"{}\": merge them",
                    t.user, t.patient
                ));
            }
        }
    }

    fn event_problems(
        &self,
        users: &HashSet<&str>,
        patients: &HashSet<&str>,
        out: &mut Vec<String>,
    ) {
        let mut seen: HashSet<&str> = HashSet::with_capacity(self.events.len());
        for (i, e) in self.events.iter().enumerate() {
            let at = format!("events[{i}] (id \"{}\")", e.id);
            if !seen.insert(&e.id) {
                out.push(format!(
                    "{at}: the id is used twice: give each event its own id"
                ));
            }
            unknown(&at, &e.user, &e.patient, users, patients, out);
            let day = e.at.date();
            if day < self.period.start || day > self.period.end {
                out.push(format!(
                    "{at}.at {}: outside the period {} to {}: correct the time or the period",
                    e.at, self.period.start, self.period.end
                ));
            }
            if e.count == Some(0) {
                out.push(format!("{at}.count: use 1 or more (or leave it out)"));
            }
        }
    }
}

/// The set of `ids`, with a problem for each one used twice in `list`.
fn ids<'a>(
    all: impl Iterator<Item = &'a str>,
    list: &str,
    out: &mut Vec<String>,
) -> HashSet<&'a str> {
    let mut set = HashSet::new();
    for (i, id) in all.enumerate() {
        if !set.insert(id) {
            out.push(format!(
                "{list}[{i}]: id \"{id}\" is used twice: give each its own id"
            ));
        }
    }
    set
}

fn unknown(
    at: &str,
    user: &str,
    patient: &str,
    users: &HashSet<&str>,
    patients: &HashSet<&str>,
    out: &mut Vec<String>,
) {
    if !users.contains(user) {
        out.push(format!(
            "{at}.user: \"{user}\" is not in users: add the user or correct the id"
        ));
    }
    if !patients.contains(patient) {
        out.push(format!(
            "{at}.patient: \"{patient}\" is not in patients: add the patient or correct the id"
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn access_audit_shift_covers_day_and_night_hours() {
        let day = Shift { start: 7, end: 19 };
        assert!(day.covers(7) && day.covers(18));
        assert!(!day.covers(19) && !day.covers(6));
        let night = Shift { start: 19, end: 7 };
        assert!(night.covers(23) && night.covers(0) && night.covers(6));
        assert!(!night.covers(7) && !night.covers(12));
    }

    #[test]
    fn access_audit_oversized_text_is_refused_before_parsing() {
        let text = " ".repeat(MAX_LOG_BYTES + 1);
        assert!(matches!(
            AuditLog::parse(&text),
            Err(AuditLogError::Syntax {
                line: 1,
                column: 1,
                ..
            })
        ));
    }
}
