//! Access-audit review under the HIPAA Security Rule's information-system activity review
//! (45 CFR 164.308(a)(1)(ii)(D), 164.312(b)) and the breach-notification rule (45 CFR 164.402,
//! 164.404–164.410): the [`AuditLog`] an instructor writes and the pure engine [`review`] that
//! says, for every access event, whether it is appropriate and on what basis (treating team, a
//! work-queue task, break-the-glass with a reason, the user's own record where policy allows
//! it), or flags it with every [`Rule`] it breaks; then, per patient whose record was opened
//! without a permitted purpose, the breach-determination findings, and the notification counts
//! for the whole log. The rules, severities and references are in `docs/domain/access-audit.md`.
//!
//! Invariants: [`review`] is a pure function of a parsed log, linear in the number of events
//! (users, patients and tasks are indexed once); it returns one [`EventReview`] per event, in
//! the log's order, with its rules in [`Rule::ALL`] order; rule groups follow [`Rule::ALL`];
//! patients and users follow the log's order.

pub mod engine;
pub mod generate;
pub mod log;
pub mod spec;
pub mod task;

use serde::{Serialize, Serializer};

pub use engine::review;
pub use log::{
    Action, AuditLog, AuditLogError, Encounter, Event, MAX_LOG_BYTES, Patient, Period, Policy,
    Role, Shift, TaskKind, User, WorkTask,
};
pub use task::{AccessAudit, AccessAuditMaterial, AccessAuditSubmission};

/// The regulations the rules and findings cite.
pub mod refs {
    /// Audit controls.
    pub const AUDIT_CONTROLS: &str = "45 CFR 164.312(b)";
    /// Information-system activity review.
    pub const ACTIVITY_REVIEW: &str = "45 CFR 164.308(a)(1)(ii)(D)";
    /// Sanctions, applied and documented.
    pub const SANCTIONS: &str = "45 CFR 164.308(a)(1)(ii)(C); 164.530(e)";
    /// A use needs a permitted purpose; treatment, payment and operations; minimum necessary
    /// for the workforce's access.
    pub const PERMITTED_USE: &str = "45 CFR 164.502(a); 164.506(c); 164.514(d)(2)";
    /// A relationship trigger found in the activity review, with no permitted purpose.
    pub const RELATIONSHIP: &str = "45 CFR 164.502(a); 164.308(a)(1)(ii)(D)";
    /// Emergency access procedure.
    pub const EMERGENCY_ACCESS: &str = "45 CFR 164.312(a)(2)(ii)";
    /// Minimum necessary, audited.
    pub const BULK: &str = "45 CFR 164.514(d)(2); 164.312(b)";
    /// Termination procedures.
    pub const TERMINATION: &str = "45 CFR 164.308(a)(3)(ii)(C)";
    /// The facility's own-record policy; the right of access runs through the covered entity.
    pub const OWN_RECORD: &str = "facility policy (UNVERIFIED as an OCR rule); 45 CFR 164.524";
    /// Definitions of breach and unsecured PHI.
    pub const BREACH: &str = "45 CFR 164.402";
    /// The presumption of a breach and the four-factor risk assessment.
    pub const BREACH_PRESUMED: &str = "45 CFR 164.402(2)";
    /// The good-faith workforce exception.
    pub const GOOD_FAITH: &str = "45 CFR 164.402(1)(i)";
    /// Factor 1: nature and extent of the PHI.
    pub const FACTOR_NATURE: &str = "45 CFR 164.402(2)(i)";
    /// Factor 2: the unauthorized person.
    pub const FACTOR_RECIPIENT: &str = "45 CFR 164.402(2)(ii)";
    /// Factor 3: acquired or viewed.
    pub const FACTOR_ACQUIRED: &str = "45 CFR 164.402(2)(iii)";
    /// Factor 4: mitigation.
    pub const FACTOR_MITIGATION: &str = "45 CFR 164.402(2)(iv)";
    /// Notice to individuals: without unreasonable delay, at most 60 days after discovery.
    pub const NOTIFY_INDIVIDUALS: &str = "45 CFR 164.404(a)-(b)";
    /// Notice to the media: more than 500 residents of a state.
    pub const NOTIFY_MEDIA: &str = "45 CFR 164.406";
    /// Notice to HHS: 500 or more at once, fewer in the annual log.
    pub const NOTIFY_HHS: &str = "45 CFR 164.408";
}

/// How serious a flag is; the weight a grader gives a missed or false flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Severity {
    /// Context that needs an explanation but no permitted-purpose question (weight 1).
    Low,
    /// A control or policy failure: the access may have a purpose but broke a safeguard
    /// (weight 2).
    Medium,
    /// An access with no permitted purpose: presumed impermissible, a breach assessment
    /// follows (weight 3).
    High,
    /// An access by someone who should no longer have any access at all (weight 4).
    Critical,
}

impl Severity {
    /// The weight a grader gives the flag (1–4).
    #[must_use]
    pub fn weight(self) -> u8 {
        match self {
            Self::Low => 1,
            Self::Medium => 2,
            Self::High => 3,
            Self::Critical => 4,
        }
    }
}

/// A rule an event can break.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rule {
    /// The account should have been disabled.
    AccountTerminated,
    /// No treatment, payment or operations relationship.
    NoRelationship,
    /// After discharge with no billing, coding, CDI, quality or ROI task.
    AfterDischarge,
    /// The user and the patient share a surname.
    SameSurname,
    /// The user and the patient share an address.
    SameAddress,
    /// The patient is a VIP.
    Vip,
    /// The patient is a coworker (an employee).
    Coworker,
    /// The patient is the user's family member.
    Family,
    /// The user opened their own record where policy forbids it.
    OwnRecord,
    /// Break-the-glass with no documented reason.
    BreakTheGlassNoReason,
    /// A bulk print or export.
    BulkExport,
    /// Outside the user's shift.
    OutsideShift,
}

impl Rule {
    /// Every rule, in the order reviews list them.
    pub const ALL: [Self; 12] = [
        Self::AccountTerminated,
        Self::NoRelationship,
        Self::AfterDischarge,
        Self::SameSurname,
        Self::SameAddress,
        Self::Vip,
        Self::Coworker,
        Self::Family,
        Self::OwnRecord,
        Self::BreakTheGlassNoReason,
        Self::BulkExport,
        Self::OutsideShift,
    ];

    /// The stable rule id.
    #[must_use]
    pub fn id(self) -> &'static str {
        match self {
            Self::AccountTerminated => "account.terminated",
            Self::NoRelationship => "access.no_relationship",
            Self::AfterDischarge => "access.after_discharge",
            Self::SameSurname => "relation.same_surname",
            Self::SameAddress => "relation.same_address",
            Self::Vip => "relation.vip",
            Self::Coworker => "relation.coworker",
            Self::Family => "relation.family",
            Self::OwnRecord => "policy.own_record",
            Self::BreakTheGlassNoReason => "btg.no_reason",
            Self::BulkExport => "export.bulk",
            Self::OutsideShift => "time.outside_shift",
        }
    }

    /// What the rule says, in a line.
    #[must_use]
    pub fn title(self) -> &'static str {
        match self {
            Self::AccountTerminated => "access by an account that should have been disabled",
            Self::NoRelationship => {
                "no treatment, payment or operations relationship (no care-team encounter, no task)"
            }
            Self::AfterDischarge => "access after discharge with no billing, coding or QA task",
            Self::SameSurname => "the patient has the user's surname, with no permitted purpose",
            Self::SameAddress => {
                "the patient lives at the user's address, with no permitted purpose"
            }
            Self::Vip => "a VIP's record, with no permitted purpose",
            Self::Coworker => "a coworker's record, with no permitted purpose",
            Self::Family => "a family member's record, with no permitted purpose",
            Self::OwnRecord => "the user's own record, which policy forbids",
            Self::BreakTheGlassNoReason => "break-the-glass with no documented reason",
            Self::BulkExport => "bulk print or export",
            Self::OutsideShift => "access outside the user's shift",
        }
    }

    /// The severity.
    #[must_use]
    pub fn severity(self) -> Severity {
        match self {
            Self::AccountTerminated => Severity::Critical,
            Self::NoRelationship
            | Self::SameSurname
            | Self::SameAddress
            | Self::Vip
            | Self::Coworker
            | Self::Family => Severity::High,
            Self::AfterDischarge
            | Self::OwnRecord
            | Self::BreakTheGlassNoReason
            | Self::BulkExport => Severity::Medium,
            Self::OutsideShift => Severity::Low,
        }
    }

    /// The reference.
    #[must_use]
    pub fn reference(self) -> &'static str {
        match self {
            Self::AccountTerminated => refs::TERMINATION,
            Self::NoRelationship | Self::AfterDischarge => refs::PERMITTED_USE,
            Self::SameSurname | Self::SameAddress | Self::Vip | Self::Coworker | Self::Family => {
                refs::RELATIONSHIP
            }
            Self::OwnRecord => refs::OWN_RECORD,
            Self::BreakTheGlassNoReason => refs::EMERGENCY_ACCESS,
            Self::BulkExport => refs::BULK,
            Self::OutsideShift => refs::ACTIVITY_REVIEW,
        }
    }

    /// The rule is the facility's policy, not verified as a federal rule.
    #[must_use]
    pub fn unverified(self) -> bool {
        matches!(self, Self::OwnRecord)
    }

    /// An event that breaks it had no permitted purpose (or no authority at all): an
    /// impermissible use, presumed a breach (45 CFR 164.402(2)).
    #[must_use]
    pub fn impermissible(self) -> bool {
        matches!(
            self,
            Self::AccountTerminated | Self::NoRelationship | Self::AfterDischarge
        )
    }
}

impl Serialize for Rule {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.id())
    }
}

/// Why an event was appropriate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Basis {
    /// The user is on the patient's care team, during an encounter or the days after it the
    /// policy allows (treatment).
    CareTeam,
    /// A task of the user's covers the patient on that day.
    Task(TaskKind),
    /// Break-the-glass with a documented reason (emergency access).
    BreakTheGlass,
    /// The user's own record, which policy allows.
    OwnRecord,
}

impl Basis {
    /// The basis in messages.
    #[must_use]
    pub fn name(self) -> String {
        match self {
            Self::CareTeam => "treating team".to_owned(),
            Self::Task(kind) => format!("{} task", kind.name()),
            Self::BreakTheGlass => "break-the-glass with a documented reason".to_owned(),
            Self::OwnRecord => "own record (policy allows)".to_owned(),
        }
    }
}

/// The review of one event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EventReview {
    /// The event id.
    pub id: String,
    /// No rule is broken.
    pub appropriate: bool,
    /// Why the access had a purpose (`null`: none found).
    pub basis: Option<Basis>,
    /// Every rule broken, in [`Rule::ALL`] order (empty when appropriate).
    pub rules: Vec<Rule>,
    /// Relationship triggers that hold but that the basis resolves (shown to the reviewer).
    pub noted: Vec<Rule>,
}

/// The events that break one rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleGroup {
    /// The rule.
    pub rule: Rule,
    /// What it says.
    pub title: &'static str,
    /// Its severity.
    pub severity: Severity,
    /// Its reference.
    pub reference: &'static str,
    /// The rule is facility policy, unverified as a federal rule.
    pub unverified: bool,
    /// The event ids, in the log's order.
    pub events: Vec<String>,
}

/// A finding the future task can grade.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Stable rule id, e.g. `breach.presumed`.
    pub rule: &'static str,
    /// `false`: the log cannot decide the point (the facts are outside the log).
    pub decided: bool,
    /// What was found.
    pub message: String,
    /// The regulation.
    pub reference: &'static str,
}

/// The breach-determination inputs for one patient whose record was opened without a
/// permitted purpose.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PatientBreach {
    /// The patient id.
    pub patient: String,
    /// The impermissible events, in the log's order.
    pub events: Vec<String>,
    /// The users who made them, in the log's order of first appearance.
    pub users: Vec<String>,
    /// The findings, in a fixed order (see `docs/domain/access-audit.md` §5).
    pub findings: Vec<Finding>,
}

/// A user with flagged events: the sanction review the policy requires.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UserSanction {
    /// The user id.
    pub user: String,
    /// The flagged events.
    pub events: usize,
    /// The rules broken, in [`Rule::ALL`] order.
    pub rules: Vec<Rule>,
    /// The highest severity.
    pub severity: Severity,
    /// The reference.
    pub reference: &'static str,
}

/// Everything the engine derives from a log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Review {
    /// Events in the log.
    pub total: usize,
    /// Events that break no rule.
    pub appropriate: usize,
    /// Events that break at least one rule.
    pub flagged: usize,
    /// One review per event, in the log's order.
    pub events: Vec<EventReview>,
    /// The rules broken, each with its events, in [`Rule::ALL`] order (rules no event breaks
    /// are left out).
    pub by_rule: Vec<RuleGroup>,
    /// The patients with impermissible events.
    pub patients: Vec<PatientBreach>,
    /// The users with flagged events.
    pub users: Vec<UserSanction>,
    /// The notification duties for the log as a whole.
    pub notification: Vec<Finding>,
}
