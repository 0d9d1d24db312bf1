//! Release of information under the HIPAA Privacy Rule (45 CFR Part 164 Subpart E) and
//! 42 CFR Part 2: the [`Request`] an instructor writes and the rule engine [`decide`] that
//! derives, per record section, whether to release, release in part, deny, return the
//! authorization for correction or ask for more, with the legal basis; the right-of-access
//! deadline and fee basis; minimum necessary; whether the disclosure is logged for the
//! accounting of disclosures; the Part 2 redisclosure notice; and every [`Finding`] with its
//! reference, in the order of checks of `docs/domain/release-of-information.md` §2.
//!
//! Invariants: [`decide`] is a pure function of a parsed request; it returns one
//! [`SectionDecision`] per requested section, in the request's order; findings are sorted by
//! step (1–7), then in the order the rules ran. A point state law decides is decided only when
//! the request's settings state the rule; otherwise its finding is not `decided` and the section
//! is [`Action::NotDecided`].

pub mod engine;
mod outcomes;
pub mod request;
pub mod spec;
pub mod task;

use serde::Serialize;

pub use engine::decide;
pub use request::{
    Authorization, AuthorizationElement, Coverage, Evidence, Expiration, Format, HarmGround,
    HarmJudgment, LawEnforcementBasis, MAX_REQUEST_BYTES, Medium, Minority, Part2Consent,
    Part2Element, Patient, RepresentativeAuthority, Request, RequestError, Requester, RoiSettings,
    Section, StateRule,
};
pub use spec::RoiSpec;
pub use task::{Roi, RoiMaterial, RoiSubmission};

/// The regulations the findings and decisions cite.
pub mod refs {
    /// Verification of identity and authority.
    pub const IDENTITY: &str = "45 CFR 164.514(h)";
    /// The right of access to the designated record set.
    pub const ACCESS: &str = "45 CFR 164.524(a)(1)";
    /// Psychotherapy notes are outside the right of access (unreviewable denial).
    pub const ACCESS_PSYCHOTHERAPY: &str = "45 CFR 164.524(a)(1)(i), (a)(2)(i)";
    /// Reviewable denials on a professional's judgment of harm.
    pub const ACCESS_REVIEWABLE: &str = "45 CFR 164.524(a)(3)";
    /// Timely action: 30 days, one 30-day extension with written notice.
    pub const ACCESS_TIMING: &str = "45 CFR 164.524(b)(2)";
    /// Form and format, and copies directed to a third party.
    pub const ACCESS_FORMAT: &str = "45 CFR 164.524(c)(2), (c)(3)(ii)";
    /// Reasonable, cost-based fee.
    pub const ACCESS_FEE: &str = "45 CFR 164.524(c)(4)";
    /// Personal representatives are treated as the individual.
    pub const REPRESENTATIVE: &str = "45 CFR 164.502(g)(1)-(2)";
    /// Parents of unemancipated minors.
    pub const PARENT: &str = "45 CFR 164.502(g)(3)";
    /// Care a minor consented to: state law, then professional discretion.
    pub const MINOR_CONSENTED: &str = "45 CFR 164.502(g)(3)(i)-(ii)";
    /// Executors and administrators of decedents.
    pub const DECEDENT_REPRESENTATIVE: &str = "45 CFR 164.502(g)(4)";
    /// Abuse, neglect or endangerment by a representative.
    pub const ABUSE: &str = "45 CFR 164.502(g)(5)";
    /// Decedents' PHI is protected for 50 years after death.
    pub const DECEDENT_FIFTY_YEARS: &str = "45 CFR 164.502(f); 45 CFR 160.103";
    /// Family involved in a decedent's care.
    pub const FAMILY_DECEDENT: &str = "45 CFR 164.510(b)(5)";
    /// An authorization is required.
    pub const AUTHORIZATION_REQUIRED: &str = "45 CFR 164.508(a)(1)";
    /// A disclosure under a valid authorization.
    pub const AUTHORIZATION_VALID: &str = "45 CFR 164.508(a)(1), (c)";
    /// Psychotherapy notes need an authorization of their own.
    pub const AUTHORIZATION_PSYCHOTHERAPY: &str = "45 CFR 164.508(a)(2), (b)(3)(ii)";
    /// Core elements and required statements.
    pub const AUTHORIZATION_ELEMENTS: &str = "45 CFR 164.508(c)(1)-(2), (b)(2)";
    /// The expiration date or event.
    pub const AUTHORIZATION_EXPIRATION: &str = "45 CFR 164.508(c)(1)(v), (b)(2)";
    /// Signature and date.
    pub const AUTHORIZATION_SIGNATURE: &str = "45 CFR 164.508(c)(1)(vi), (b)(2)";
    /// Revocation.
    pub const AUTHORIZATION_REVOKED: &str = "45 CFR 164.508(b)(5), (b)(2)";
    /// Compound authorizations.
    pub const AUTHORIZATION_COMPOUND: &str = "45 CFR 164.508(b)(3), (b)(2)";
    /// Conditioning.
    pub const AUTHORIZATION_CONDITIONED: &str = "45 CFR 164.508(b)(4), (b)(2)";
    /// Disclosures for treatment.
    pub const TREATMENT: &str = "45 CFR 164.506(c)(2)";
    /// Disclosures for another covered entity's payment.
    pub const PAYMENT: &str = "45 CFR 164.506(c)(1), (c)(3)";
    /// Court or tribunal orders.
    pub const COURT_ORDER: &str = "45 CFR 164.512(e)(1)(i)";
    /// Psychotherapy notes where the law requires the disclosure.
    pub const PSYCHOTHERAPY_REQUIRED_BY_LAW: &str = "45 CFR 164.508(a)(2)(ii); 164.512(a)";
    /// Subpoenas without an order: satisfactory assurance.
    pub const SUBPOENA: &str = "45 CFR 164.512(e)(1)(ii)-(v)";
    /// Law enforcement with judicial process.
    pub const LAW_ENFORCEMENT_PROCESS: &str = "45 CFR 164.512(f)(1)(ii)(A)-(B)";
    /// Law enforcement with an administrative request.
    pub const LAW_ENFORCEMENT_ADMINISTRATIVE: &str = "45 CFR 164.512(f)(1)(ii)(C)";
    /// Identifying or locating a suspect, fugitive, material witness or missing person.
    pub const LAW_ENFORCEMENT_IDENTIFY: &str = "45 CFR 164.512(f)(2)";
    /// Public health.
    pub const PUBLIC_HEALTH: &str = "45 CFR 164.512(b)(1)(i)";
    /// Public health where the report is required by law.
    pub const PUBLIC_HEALTH_REQUIRED: &str = "45 CFR 164.512(b)(1)(i), (a)";
    /// Research under an IRB or privacy-board waiver.
    pub const RESEARCH: &str = "45 CFR 164.512(i)(1)(i)";
    /// Minimum necessary.
    pub const MINIMUM_NECESSARY: &str = "45 CFR 164.502(b), 164.514(d)";
    /// Where minimum necessary does not apply.
    pub const MINIMUM_NECESSARY_EXCEPTIONS: &str = "45 CFR 164.502(b)(2)";
    /// Reasonable reliance on a public official's or researcher's request.
    pub const MINIMUM_NECESSARY_RELIANCE: &str = "45 CFR 164.502(b); 164.514(d)(3)(iii)";
    /// Accounting of disclosures.
    pub const ACCOUNTING: &str = "45 CFR 164.528(a), (b)";
    /// Excluded: treatment, payment, operations.
    pub const ACCOUNTING_TPO: &str = "45 CFR 164.528(a)(1)(i)";
    /// Excluded: to the individual.
    pub const ACCOUNTING_INDIVIDUAL: &str = "45 CFR 164.528(a)(1)(ii)";
    /// Excluded: under an authorization.
    pub const ACCOUNTING_AUTHORIZATION: &str = "45 CFR 164.528(a)(1)(iv)";
    /// Excluded: persons involved in care (164.510).
    pub const ACCOUNTING_INVOLVED: &str = "45 CFR 164.528(a)(1)(v)";
    /// A patient's own access to Part 2 records.
    pub const PART2_PATIENT: &str = "42 CFR 2.23";
    /// Part 2 consent.
    pub const PART2_CONSENT: &str = "42 CFR 2.31";
    /// Minor patients: who consents depends on state law.
    pub const PART2_MINOR: &str = "42 CFR 2.14";
    /// Consent for a deceased or incompetent patient.
    pub const PART2_REPRESENTATIVE: &str = "42 CFR 2.15; 42 CFR 2.31";
    /// The redisclosure notice.
    pub const PART2_NOTICE: &str = "42 CFR 2.32";
    /// A subpoena alone never suffices; a Subpart E order is needed.
    pub const PART2_SUBPOENA: &str = "42 CFR 2.31; 42 CFR 2.61-2.64";
    /// An order to investigate or prosecute a patient.
    pub const PART2_CRIMINAL: &str = "42 CFR 2.61; 42 CFR 2.65";
    /// A Subpart E order.
    pub const PART2_ORDER: &str = "42 CFR 2.64";
    /// Research with Part 2 records.
    pub const PART2_RESEARCH: &str = "42 CFR 2.52";
    /// State law and preemption.
    pub const STATE_LAW: &str = "45 CFR 160.203";
}

/// The short form of the 42 CFR 2.32 notice that goes with Part 2 records disclosed with the
/// patient's consent.
pub const PART2_NOTICE_TEXT: &str =
    "42 CFR part 2 prohibits unauthorized use or disclosure of these records.";

/// What to do with one section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Action {
    /// Release it.
    Release,
    /// Release only part of it (the note says which).
    ReleaseInPart,
    /// Refuse it.
    Deny,
    /// Return the authorization to the requester for correction; release nothing.
    ReturnForCorrection,
    /// Release nothing until the requester brings this.
    AskFor(Missing),
    /// The engine does not decide it: state law the settings do not state, or a professional's
    /// judgment (the note says which).
    NotDecided,
}

impl Action {
    /// The action's name in text output.
    #[must_use]
    pub fn name(&self) -> String {
        match self {
            Self::Release => "release".to_owned(),
            Self::ReleaseInPart => "release in part".to_owned(),
            Self::Deny => "deny".to_owned(),
            Self::ReturnForCorrection => "return for correction".to_owned(),
            Self::AskFor(m) => format!("ask for {}", m.name()),
            Self::NotDecided => "not decided".to_owned(),
        }
    }

    /// Whether anything of the section goes out.
    #[must_use]
    pub fn releases(&self) -> bool {
        match self {
            Self::Release | Self::ReleaseInPart => true,
            Self::Deny | Self::ReturnForCorrection | Self::AskFor(_) | Self::NotDecided => false,
        }
    }
}

/// What the requester must bring before anything is released.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Missing {
    /// Proof of identity.
    Identity,
    /// Proof of authority (custody, power of attorney, letters testamentary).
    Authority,
    /// A valid HIPAA authorization.
    Authorization,
    /// An authorization for the psychotherapy notes alone.
    PsychotherapyNoteAuthorization,
    /// A 42 CFR 2.31 consent.
    Part2Consent,
    /// A 42 CFR 2.31 consent or a Part 2 Subpart E court order.
    Part2ConsentOrOrder,
    /// Satisfactory assurance (notice or protective order), a court order or an authorization.
    SatisfactoryAssurance,
    /// A court order, warrant, subpoena or qualifying administrative request.
    LegalProcess,
}

impl Missing {
    /// The name in text output.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Identity => "identity",
            Self::Authority => "authority",
            Self::Authorization => "a valid authorization",
            Self::PsychotherapyNoteAuthorization => "a psychotherapy-note authorization",
            Self::Part2Consent => "a Part 2 consent",
            Self::Part2ConsentOrOrder => "a Part 2 consent or a Subpart E court order",
            Self::SatisfactoryAssurance => "satisfactory assurance",
            Self::LegalProcess => "legal process",
        }
    }
}

/// The decision on one requested section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SectionDecision {
    /// The section.
    pub section: Section,
    /// What to do.
    pub action: Action,
    /// The legal basis.
    pub basis: &'static str,
    /// Why, in a sentence.
    pub note: String,
}

/// The right-of-access deadline (45 CFR 164.524(b)(2)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct AccessDeadline {
    /// Act by this date: 30 days after receipt.
    pub due: chrono::NaiveDate,
    /// The written extension notice (reason and completion date) must go out by this date.
    pub extension_notice_by: chrono::NaiveDate,
    /// With the one extension: 60 days after receipt.
    pub extended_due: chrono::NaiveDate,
}

/// The fee basis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum FeeBasis {
    /// The individual's own copy: reasonable and cost-based, no search or retrieval fee.
    CostBased {
        /// The optional flat fee of up to $6.50 is available (electronic copy of PHI kept
        /// electronically).
        flat_fee_option: bool,
    },
    /// A copy the individual directs to a third party: outside the cost-based limit.
    DirectedToThirdParty,
    /// Not a right-of-access request: state law or the entity's policy (`None` when the
    /// settings do not state the state's schedule).
    NotAccessRequest {
        /// The state's fee schedule from the settings.
        state_fee_schedule: Option<String>,
    },
    /// Nothing is released.
    NoCopy,
}

/// Whether minimum necessary applies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MinimumNecessary {
    /// `true`: limit the disclosure; `false`: the standard does not apply; `null`: nothing is
    /// released.
    pub applies: Option<bool>,
    /// Why.
    pub reason: &'static str,
    /// The reference.
    pub reference: &'static str,
}

/// Whether the disclosure goes into the accounting of disclosures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Accounting {
    /// `true`: log date, recipient, description and purpose.
    pub accountable: bool,
    /// Why.
    pub reason: &'static str,
    /// The reference.
    pub reference: &'static str,
}

/// The outcome of one check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The step in the order of checks (1 identity, 2 individual or representative,
    /// 3 authorization, 4 without authorization, 5 minimum necessary, 6 Part 2 and state law,
    /// 7 accounting).
    pub step: u8,
    /// Stable rule id, e.g. `authorization.expiration`, `part2.subpoena`.
    pub rule: &'static str,
    /// `false`: the point is left open (state law the settings do not state, an unverified
    /// rule, a professional's judgment).
    pub decided: bool,
    /// What was found.
    pub message: String,
    /// The regulation.
    pub reference: &'static str,
}

/// Everything the engine derives from a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Decision {
    /// One decision per requested section, in the request's order.
    pub sections: Vec<SectionDecision>,
    /// The right-of-access deadline (`null` when the request is not one).
    pub deadline: Option<AccessDeadline>,
    /// The fee basis.
    pub fee: FeeBasis,
    /// Minimum necessary.
    pub minimum_necessary: MinimumNecessary,
    /// The accounting of disclosures.
    pub accounting: Accounting,
    /// The 42 CFR 2.32 notice to attach (`null` when no Part 2 record goes out with consent).
    pub part2_notice: Option<&'static str>,
    /// Every finding, in the order of checks.
    pub findings: Vec<Finding>,
}
