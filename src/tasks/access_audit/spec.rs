//! The access-audit review task's settings in a scenario file (`task: AccessAudit((...))`): the
//! size of the organisation (staff groups by role and department, patients, work-queue tasks),
//! the review period, the policy settings the engine reads, the number of legitimate events and
//! the inappropriate accesses to plant, each kind with a count range.
//!
//! [`problems`] reports a spec no generator can honour (a 0-day period, more plants than users,
//! more events than [`MAX_EVENTS`], a plant whose preconditions the spec lacks), each with the
//! item path and a hint.

use serde::{Deserialize, Serialize};

use super::Rule;
use super::log::{MAX_AFTER_DISCHARGE_DAYS, Policy, Role, Shift};
use crate::tasks::{SpecProblem, TaskContext};

/// The most events a generated log holds (legitimate and planted).
pub const MAX_EVENTS: u32 = 200_000;
/// The most staff a generated log holds.
pub const MAX_USERS: u32 = 20_000;
/// The most patients a generated log holds.
pub const MAX_PATIENTS: u32 = 100_000;
/// The most work-queue tasks a generated log holds.
pub const MAX_TASKS: u32 = 100_000;
/// The most planted accesses (an answer list holds at most 500 flags).
pub const MAX_PLANTS: u32 = 400;
/// The longest review period, in days.
pub const MAX_PERIOD_DAYS: u32 = 366;

/// Access-audit settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccessAuditSpec {
    /// What the learner is asked to do.
    pub instructions: String,
    /// The review period's length in days (1 to [`MAX_PERIOD_DAYS`]).
    pub period_days: u32,
    /// The period ends this many days before the exercise date (inclusive range, drawn with
    /// the patient's seed); the review discovers the accesses on the exercise date.
    pub ends_days_before_as_of: (u32, u32),
    /// The workforce, group by group.
    pub staff: Vec<StaffGroup>,
    /// Patients in the log besides those the plants add (the case's patient is one of them).
    pub patients: u32,
    /// How many of them are VIPs.
    #[serde(default)]
    pub vip_patients: u32,
    /// The states the patients live in (drawn uniformly); empty: the case patient's state.
    #[serde(default)]
    pub states: Vec<String>,
    /// Work-queue tasks (billing, coding, CDI, quality, ROI, privacy) for the staff whose role
    /// has one.
    #[serde(default)]
    pub tasks: u32,
    /// Legitimate access events: the treating team and the work-queue tasks.
    pub events: u32,
    /// Legitimate break-the-glass events with a documented reason (counted in `events`).
    #[serde(default)]
    pub emergency_overrides: u32,
    /// The facility's policy settings.
    pub policy: Policy,
    /// The inappropriate accesses to plant.
    #[serde(default)]
    pub plants: Plants,
}

/// Staff of one role in one department.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StaffGroup {
    /// The job.
    pub role: Role,
    /// The department.
    pub department: String,
    /// How many.
    pub count: u32,
    /// Their shift; absent: no shift (no outside-the-shift check).
    #[serde(default)]
    pub shift: Option<Shift>,
}

/// The planted inappropriate accesses: each kind with an inclusive count range, drawn with
/// the patient's seed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Plants {
    /// A coworker's record, opened with no purpose.
    pub coworker: (u32, u32),
    /// A family member's record (`family_of`).
    pub family: (u32, u32),
    /// A patient with the user's surname.
    pub same_surname: (u32, u32),
    /// A patient living at the user's address.
    pub same_address: (u32, u32),
    /// A VIP's record.
    pub vip: (u32, u32),
    /// The user's own record (the policy must forbid it).
    pub own_record: (u32, u32),
    /// A record with no treatment, payment or operations relationship.
    pub no_relationship: (u32, u32),
    /// A treating clinician's look after the discharge grace days.
    pub after_discharge: (u32, u32),
    /// A break-the-glass with no reason, by the treating team.
    pub btg_no_reason: (u32, u32),
    /// A bulk print by the treating team.
    pub bulk_export: (u32, u32),
    /// A treating clinician's look outside their shift.
    pub outside_shift: (u32, u32),
    /// Accesses by an account that should have been disabled.
    pub terminated: (u32, u32),
}

/// A kind of planted access.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PlantKind {
    /// See [`Plants::coworker`].
    Coworker,
    /// See [`Plants::family`].
    Family,
    /// See [`Plants::same_surname`].
    SameSurname,
    /// See [`Plants::same_address`].
    SameAddress,
    /// See [`Plants::vip`].
    Vip,
    /// See [`Plants::own_record`].
    OwnRecord,
    /// See [`Plants::no_relationship`].
    NoRelationship,
    /// See [`Plants::after_discharge`].
    AfterDischarge,
    /// See [`Plants::btg_no_reason`].
    BtgNoReason,
    /// See [`Plants::bulk_export`].
    BulkExport,
    /// See [`Plants::outside_shift`].
    OutsideShift,
    /// See [`Plants::terminated`].
    Terminated,
}

impl PlantKind {
    /// Every kind, in the order the generator plants them.
    pub const ALL: [Self; 12] = [
        Self::Coworker,
        Self::Family,
        Self::SameSurname,
        Self::SameAddress,
        Self::Vip,
        Self::OwnRecord,
        Self::NoRelationship,
        Self::AfterDischarge,
        Self::BtgNoReason,
        Self::BulkExport,
        Self::OutsideShift,
        Self::Terminated,
    ];

    /// The field name in the spec.
    #[must_use]
    pub fn field(self) -> &'static str {
        match self {
            Self::Coworker => "coworker",
            Self::Family => "family",
            Self::SameSurname => "same_surname",
            Self::SameAddress => "same_address",
            Self::Vip => "vip",
            Self::OwnRecord => "own_record",
            Self::NoRelationship => "no_relationship",
            Self::AfterDischarge => "after_discharge",
            Self::BtgNoReason => "btg_no_reason",
            Self::BulkExport => "bulk_export",
            Self::OutsideShift => "outside_shift",
            Self::Terminated => "terminated",
        }
    }

    /// The engine rule a planted access of this kind breaks.
    #[must_use]
    pub fn rule(self) -> Rule {
        match self {
            Self::Coworker => Rule::Coworker,
            Self::Family => Rule::Family,
            Self::SameSurname => Rule::SameSurname,
            Self::SameAddress => Rule::SameAddress,
            Self::Vip => Rule::Vip,
            Self::OwnRecord => Rule::OwnRecord,
            Self::NoRelationship => Rule::NoRelationship,
            Self::AfterDischarge => Rule::AfterDischarge,
            Self::BtgNoReason => Rule::BreakTheGlassNoReason,
            Self::BulkExport => Rule::BulkExport,
            Self::OutsideShift => Rule::OutsideShift,
            Self::Terminated => Rule::AccountTerminated,
        }
    }
}

impl Plants {
    /// The count range of a kind.
    #[must_use]
    pub fn range(&self, kind: PlantKind) -> (u32, u32) {
        match kind {
            PlantKind::Coworker => self.coworker,
            PlantKind::Family => self.family,
            PlantKind::SameSurname => self.same_surname,
            PlantKind::SameAddress => self.same_address,
            PlantKind::Vip => self.vip,
            PlantKind::OwnRecord => self.own_record,
            PlantKind::NoRelationship => self.no_relationship,
            PlantKind::AfterDischarge => self.after_discharge,
            PlantKind::BtgNoReason => self.btg_no_reason,
            PlantKind::BulkExport => self.bulk_export,
            PlantKind::OutsideShift => self.outside_shift,
            PlantKind::Terminated => self.terminated,
        }
    }

    /// The most plants the ranges allow.
    #[must_use]
    pub fn max_total(&self) -> u64 {
        PlantKind::ALL
            .iter()
            .map(|&k| u64::from(self.range(k).0.max(self.range(k).1)))
            .sum()
    }
}

/// Whether staff of this role treat patients (care teams, emergency overrides).
#[must_use]
pub fn clinical(role: Role) -> bool {
    match role {
        Role::Physician | Role::Nurse | Role::Clinician => true,
        Role::Registration
        | Role::Billing
        | Role::Coding
        | Role::Cdi
        | Role::Quality
        | Role::ReleaseOfInformation
        | Role::Privacy
        | Role::Other => false,
    }
}

/// The work-queue task a role works, if any.
#[must_use]
pub fn task_kind(role: Role) -> Option<super::TaskKind> {
    use super::TaskKind as T;
    match role {
        Role::Billing => Some(T::Billing),
        Role::Coding => Some(T::Coding),
        Role::Cdi => Some(T::Cdi),
        Role::Quality => Some(T::Quality),
        Role::ReleaseOfInformation => Some(T::RoiRequest),
        Role::Privacy => Some(T::PrivacyReview),
        Role::Physician | Role::Nurse | Role::Clinician | Role::Registration | Role::Other => None,
    }
}

/// What scenario validation checks in the spec (see the module docs).
#[must_use]
pub fn problems(_ctx: &TaskContext<'_>, spec: &AccessAuditSpec) -> Vec<SpecProblem> {
    let mut out = Vec::new();
    period_problems(spec, &mut out);
    let users = staff_problems(spec, &mut out);
    size_problems(spec, &mut out);
    plant_problems(spec, users, &mut out);
    out
}

fn period_problems(spec: &AccessAuditSpec, out: &mut Vec<SpecProblem>) {
    if spec.period_days == 0 {
        out.push(SpecProblem::error(
            "task.period_days",
            "a 0-day period holds no events",
            "use 1 or more days, e.g. 30",
        ));
    } else if spec.period_days > MAX_PERIOD_DAYS {
        out.push(SpecProblem::error(
            "task.period_days",
            format!("{} days is more than a year", spec.period_days),
            format!("use at most {MAX_PERIOD_DAYS} days"),
        ));
    }
    let (lo, hi) = spec.ends_days_before_as_of;
    if lo > hi {
        out.push(SpecProblem::error(
            "task.ends_days_before_as_of",
            format!("({lo}, {hi}) is reversed"),
            format!("write ({hi}, {lo})"),
        ));
    }
    if lo.max(hi) > 3650 {
        out.push(SpecProblem::error(
            "task.ends_days_before_as_of",
            format!(
                "{} days is more than ten years before the exercise date",
                lo.max(hi)
            ),
            "review a recent period, e.g. (1, 14)",
        ));
    }
    if spec.policy.after_discharge_days > MAX_AFTER_DISCHARGE_DAYS {
        out.push(SpecProblem::error(
            "task.policy.after_discharge_days",
            format!("{} days", spec.policy.after_discharge_days),
            format!("use 0 to {MAX_AFTER_DISCHARGE_DAYS}"),
        ));
    }
    if spec.policy.bulk_export_threshold == 0 {
        out.push(SpecProblem::error(
            "task.policy.bulk_export_threshold",
            "a threshold of 0 makes every view a bulk export",
            "use 1 or more, e.g. 50",
        ));
    }
}

/// The staff problems; returns the number of users.
fn staff_problems(spec: &AccessAuditSpec, out: &mut Vec<SpecProblem>) -> u64 {
    if spec.staff.is_empty() {
        out.push(SpecProblem::error(
            "task.staff",
            "no staff: nobody opens a record",
            "add a group, e.g. (role: Nurse, department: \"Medicine\", count: 10)",
        ));
    }
    for (i, g) in spec.staff.iter().enumerate() {
        if g.count == 0 {
            out.push(SpecProblem::error(
                format!("task.staff[{i}].count"),
                "a group of 0",
                "use 1 or more, or remove the group",
            ));
        }
        if let Some(s) = g.shift
            && (s.start > 23 || s.end > 23 || s.start == s.end)
        {
            out.push(SpecProblem::error(
                format!("task.staff[{i}].shift"),
                format!("({}-{}) is not a shift", s.start, s.end),
                "use hours 0-23 with the start different from the end, e.g. (start: 7, end: 19)",
            ));
        }
    }
    let users: u64 = spec.staff.iter().map(|g| u64::from(g.count)).sum();
    if users > u64::from(MAX_USERS) {
        out.push(SpecProblem::error(
            "task.staff",
            format!("{users} staff is more than {MAX_USERS}"),
            "use fewer or smaller groups",
        ));
    }
    if !spec.staff.iter().any(|g| clinical(g.role) && g.count > 0) {
        out.push(SpecProblem::error(
            "task.staff",
            "no Physician, Nurse or Clinician: patients have no treating team",
            "add a clinical group",
        ));
    }
    if spec.tasks > 0
        && !spec
            .staff
            .iter()
            .any(|g| task_kind(g.role).is_some() && g.count > 0)
    {
        out.push(SpecProblem::error(
            "task.tasks",
            format!("{} tasks but no staff who work a queue", spec.tasks),
            "add a Billing, Coding, Cdi, Quality, ReleaseOfInformation or Privacy group, or set \
             `tasks: 0`",
        ));
    }
    users
}

fn size_problems(spec: &AccessAuditSpec, out: &mut Vec<SpecProblem>) {
    if spec.patients == 0 {
        out.push(SpecProblem::error(
            "task.patients",
            "no patients",
            "use 1 or more (the case's patient is one of them)",
        ));
    } else if spec.patients > MAX_PATIENTS {
        out.push(SpecProblem::error(
            "task.patients",
            format!("{} patients is more than {MAX_PATIENTS}", spec.patients),
            "use fewer",
        ));
    }
    if spec.vip_patients > spec.patients {
        out.push(SpecProblem::error(
            "task.vip_patients",
            format!(
                "{} VIPs among {} patients",
                spec.vip_patients, spec.patients
            ),
            "use at most `patients`",
        ));
    }
    if spec.tasks > MAX_TASKS {
        out.push(SpecProblem::error(
            "task.tasks",
            format!("{} tasks is more than {MAX_TASKS}", spec.tasks),
            "use fewer",
        ));
    }
    let total = u64::from(spec.events) + spec.plants.max_total();
    if spec.events == 0 {
        out.push(SpecProblem::error(
            "task.events",
            "no legitimate events: the log has nothing to review around the plants",
            "use 1 or more, e.g. 300",
        ));
    } else if total > u64::from(MAX_EVENTS) {
        out.push(SpecProblem::error(
            "task.events",
            format!("up to {total} events is more than {MAX_EVENTS}"),
            "use fewer events",
        ));
    }
    if spec.emergency_overrides > spec.events {
        out.push(SpecProblem::error(
            "task.emergency_overrides",
            format!(
                "{} overrides among {} legitimate events",
                spec.emergency_overrides, spec.events
            ),
            "use at most `events`",
        ));
    }
}

fn plant_problems(spec: &AccessAuditSpec, users: u64, out: &mut Vec<SpecProblem>) {
    for kind in PlantKind::ALL {
        let (lo, hi) = spec.plants.range(kind);
        if lo > hi {
            out.push(SpecProblem::error(
                format!("task.plants.{}", kind.field()),
                format!("({lo}, {hi}) is reversed"),
                format!("write ({hi}, {lo})"),
            ));
        }
    }
    let total = spec.plants.max_total();
    if total > users {
        out.push(SpecProblem::error(
            "task.plants",
            format!("up to {total} planted accesses but only {users} staff"),
            "plant fewer accesses or add staff",
        ));
    }
    if total > u64::from(MAX_PLANTS) {
        out.push(SpecProblem::error(
            "task.plants",
            format!("up to {total} planted accesses is more than {MAX_PLANTS}"),
            "plant fewer: an answer lists at most 500 flags",
        ));
    }
    let wants = |k: PlantKind| spec.plants.range(k).0.max(spec.plants.range(k).1) > 0;
    if wants(PlantKind::OwnRecord) && !spec.policy.own_record_forbidden {
        out.push(SpecProblem::error(
            "task.plants.own_record",
            "the policy allows staff to open their own record: nothing to flag",
            "set `policy.own_record_forbidden: true` or plant none",
        ));
    }
    if wants(PlantKind::AfterDischarge)
        && u64::from(spec.period_days) <= u64::from(spec.policy.after_discharge_days) + 2
    {
        out.push(SpecProblem::error(
            "task.plants.after_discharge",
            format!(
                "a {}-day period has no day more than {} days after a discharge",
                spec.period_days, spec.policy.after_discharge_days
            ),
            "lengthen the period or shorten `policy.after_discharge_days`",
        ));
    }
    if wants(PlantKind::OutsideShift)
        && !spec
            .staff
            .iter()
            .any(|g| clinical(g.role) && g.count > 0 && g.shift.is_some())
    {
        out.push(SpecProblem::error(
            "task.plants.outside_shift",
            "no clinical group has a shift",
            "give a Physician, Nurse or Clinician group a `shift`",
        ));
    }
    if wants(PlantKind::Vip) && spec.vip_patients == 0 {
        out.push(SpecProblem::error(
            "task.plants.vip",
            "no VIP patients to open",
            "set `vip_patients` to 1 or more",
        ));
    }
    if wants(PlantKind::Terminated) && spec.period_days < 2 {
        out.push(SpecProblem::error(
            "task.plants.terminated",
            "a 1-day period leaves no day after the termination",
            "use a period of 2 days or more",
        ));
    }
}
