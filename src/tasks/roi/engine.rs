//! The release-of-information rules: [`decide`] walks the order of checks of
//! `docs/domain/release-of-information.md` §2 — (1) identity and authority, (2) the individual
//! or a personal representative, (3) a valid authorization, (4) a permission without one,
//! (5) minimum necessary, (6) 42 CFR Part 2 and state law, (7) the accounting — and decides each
//! requested section.

use chrono::Months;

use super::refs;
use super::request::{
    Authorization, Coverage, Expiration, LawEnforcementBasis, Minority, Request, Requester, Section,
};
use super::{Action, Decision, Finding, Missing, SectionDecision};

/// Who exercises the right of access.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum AccessBy {
    Individual,
    Parent,
    Representative,
    Executor,
}

/// What a section's action is, before it becomes a [`SectionDecision`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Outcome {
    pub(super) action: Action,
    pub(super) basis: &'static str,
    pub(super) note: String,
}

pub(super) fn outcome(action: Action, basis: &'static str, note: impl Into<String>) -> Outcome {
    Outcome {
        action,
        basis,
        note: note.into(),
    }
}

/// The path the request takes through steps 2–4.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Route {
    /// The right of access (164.524).
    Access(AccessBy),
    /// A valid authorization (164.508).
    Authorization,
    /// Treatment by another provider (164.506).
    Treatment,
    /// A health plan's payment (164.506).
    Payment,
    /// A court or tribunal order (164.512(e)(1)(i)).
    CourtOrder,
    /// A subpoena without an order (164.512(e)(1)(ii)).
    Subpoena { assured: bool },
    /// Law enforcement (164.512(f)).
    LawEnforcement(LawEnforcementBasis),
    /// Public health (164.512(b)).
    PublicHealth { required_by_law: bool },
    /// Research under a waiver (164.512(i)).
    Research,
    /// Family involved in a decedent's care (164.510(b)(5)).
    FamilyOfDecedent,
    /// Every section gets this outcome (not decided, refused, or a defective authorization).
    Whole(Outcome),
    /// Nothing permits the disclosure: an authorization is needed.
    NoBasis,
}

/// The engine's working state: the request and the findings so far.
pub(super) struct Engine<'a> {
    pub(super) req: &'a Request,
    pub(super) findings: Vec<Finding>,
    pub(super) part2_consent: Part2Status,
}

/// What came with the request for Part 2 records (step 6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Part2Status {
    /// No Part 2 consent (perhaps a general medical release, which is not one).
    Absent,
    /// A valid 42 CFR 2.31 consent.
    Valid,
    /// A consent that lacks required elements: returned for correction.
    Defective,
    /// A consent that expired before the request: a new one is needed.
    Expired,
    /// A consent the patient revoked: refused.
    Revoked,
}

/// Decides a request.
#[must_use]
pub fn decide(req: &Request) -> Decision {
    let mut e = Engine {
        req,
        findings: Vec::new(),
        part2_consent: Part2Status::Absent,
    };
    let gate = e.verification();
    let route = e.route();
    e.part2_consent = e.part2_consent();
    e.harm_findings(&route);
    let sections: Vec<SectionDecision> = req
        .sections
        .iter()
        .map(|&section| {
            let o = match &gate {
                Some(g) => g.clone(),
                None => e.section(&route, section),
            };
            SectionDecision {
                section,
                action: o.action,
                basis: o.basis,
                note: o.note,
            }
        })
        .collect();
    let released = sections.iter().any(|s| s.action.releases());
    let deadline = e.deadline(&route);
    let fee = e.fee(&route, released);
    let minimum_necessary = e.minimum_necessary(&route, released);
    let part2_notice = e.part2_notice(&route, &sections);
    let accounting = e.accounting(&route, released);
    let mut findings = e.findings;
    findings.sort_by_key(|f| f.step);
    Decision {
        sections,
        deadline,
        fee,
        minimum_necessary,
        accounting,
        part2_notice,
        findings,
    }
}

impl Engine<'_> {
    pub(super) fn note(
        &mut self,
        step: u8,
        rule: &'static str,
        decided: bool,
        message: impl Into<String>,
        reference: &'static str,
    ) {
        self.findings.push(Finding {
            step,
            rule,
            decided,
            message: message.into(),
            reference,
        });
    }

    /// Step 1: identity, then authority for representatives. `Some` holds what every section
    /// waits for.
    fn verification(&mut self) -> Option<Outcome> {
        let ev = self.req.evidence;
        if !ev.identity_verified {
            self.note(
                1,
                "verify.identity",
                true,
                "the requester's identity is not verified: verify it before anything is released",
                refs::IDENTITY,
            );
            return Some(outcome(
                Action::AskFor(Missing::Identity),
                refs::IDENTITY,
                "verify the requester's identity first",
            ));
        }
        self.note(
            1,
            "verify.identity",
            true,
            "identity verified",
            refs::IDENTITY,
        );
        let needs_authority = match &self.req.requester {
            Requester::Parent { .. }
            | Requester::PersonalRepresentative { .. }
            | Requester::Executor => true,
            Requester::Patient
            | Requester::FamilyInvolvedInCare { .. }
            | Requester::Attorney
            | Requester::Insurer { .. }
            | Requester::Provider
            | Requester::CourtOrder { .. }
            | Requester::Subpoena { .. }
            | Requester::LawEnforcement { .. }
            | Requester::PublicHealth { .. }
            | Requester::Researcher { .. }
            | Requester::Employer
            | Requester::Other { .. } => false,
        };
        if needs_authority && !ev.authority_verified {
            self.note(
                1,
                "verify.authority",
                true,
                "the requester's authority is not documented (custody papers, power of attorney, \
                 guardianship order, letters testamentary or of administration)",
                refs::IDENTITY,
            );
            return Some(outcome(
                Action::AskFor(Missing::Authority),
                refs::IDENTITY,
                "document the requester's authority first",
            ));
        }
        if needs_authority {
            self.note(
                1,
                "verify.authority",
                true,
                "authority documented",
                refs::IDENTITY,
            );
        }
        None
    }

    /// Steps 2–4: which permission the request goes under.
    fn route(&mut self) -> Route {
        if let Some(died) = self.req.patient.died
            && died
                .checked_add_months(Months::new(600))
                .is_some_and(|d| d < self.req.received)
        {
            let note = "the patient died more than 50 years ago: the record is no longer PHI; \
                        state law and the entity's policy decide";
            self.note(
                2,
                "decedent.fifty_years",
                false,
                note,
                refs::DECEDENT_FIFTY_YEARS,
            );
            return Route::Whole(outcome(
                Action::NotDecided,
                refs::DECEDENT_FIFTY_YEARS,
                note,
            ));
        }
        if let Some(route) = self.representative() {
            return route;
        }
        let defect = match &self.req.authorization {
            Some(a) => match self.authorization_defect(a) {
                None => return Route::Authorization,
                Some(d) => Some(d),
            },
            None => {
                self.note(
                    3,
                    "authorization.none",
                    true,
                    "no authorization came with the request",
                    refs::AUTHORIZATION_REQUIRED,
                );
                None
            }
        };
        let route = self.without_authorization();
        match (route, defect) {
            (Route::NoBasis, Some(d)) => Route::Whole(d),
            (route, _) => route,
        }
    }

    /// Step 2: the individual or a personal representative (`None`: a third party).
    fn representative(&mut self) -> Option<Route> {
        let req = self.req;
        let minority = req.minor();
        let abuse = req.evidence.abuse_or_endangerment_concern;
        let open = |note: &str, basis| Route::Whole(outcome(Action::NotDecided, basis, note));
        match &req.requester {
            Requester::Patient => {
                self.note(
                    2,
                    "access.individual",
                    true,
                    "the individual asks for their own records: right of access",
                    refs::ACCESS,
                );
                Some(Route::Access(AccessBy::Individual))
            }
            Requester::Parent {
                non_custodial,
                court_order_limits,
            } => {
                match minority {
                    Minority::Adult => {
                        self.note(2, "parent.adult_child", true,
                        "the patient is an adult (or emancipated): a parent is not the personal \
                         representative", refs::PARENT);
                        None
                    }
                    Minority::StateLaw => {
                        let note = "not decided: state law (the age of majority is not set)";
                        self.note(2, "parent.age_of_majority", false, note, refs::STATE_LAW);
                        Some(open(note, refs::STATE_LAW))
                    }
                    Minority::Minor if abuse => {
                        let note = "not decided: professional judgment whether to treat the parent \
                                as the representative (abuse or endangerment concern)";
                        self.note(2, "representative.abuse", false, note, refs::ABUSE);
                        Some(open(note, refs::ABUSE))
                    }
                    Minority::Minor if *court_order_limits => {
                        self.note(2, "parent.court_order", true,
                        "a court order limits this parent's authority over the child's care: not \
                         the personal representative", refs::PARENT);
                        None
                    }
                    Minority::Minor if *non_custodial => {
                        match req.settings.noncustodial_parent_has_authority {
                            Some(true) => {
                                self.note(2, "parent.non_custodial", true,
                                "state law keeps a non-custodial parent's authority: the parent \
                                 is the personal representative", refs::PARENT);
                                Some(Route::Access(AccessBy::Parent))
                            }
                            Some(false) => {
                                self.note(
                                    2,
                                    "parent.non_custodial",
                                    true,
                                    "state law gives a non-custodial parent no authority: not the \
                                 personal representative",
                                    refs::PARENT,
                                );
                                None
                            }
                            None => {
                                let note =
                                    "not decided: state law (a non-custodial parent's authority)";
                                self.note(2, "parent.non_custodial", false, note, refs::PARENT);
                                Some(open(note, refs::PARENT))
                            }
                        }
                    }
                    Minority::Minor => {
                        self.note(
                            2,
                            "parent.minor",
                            true,
                            "a parent of an unemancipated minor is the personal representative",
                            refs::PARENT,
                        );
                        Some(Route::Access(AccessBy::Parent))
                    }
                }
            }
            Requester::PersonalRepresentative { .. } => {
                if abuse {
                    let note = "not decided: professional judgment whether to treat the \
                                representative as such (abuse or endangerment concern)";
                    self.note(2, "representative.abuse", false, note, refs::ABUSE);
                    return Some(open(note, refs::ABUSE));
                }
                self.note(
                    2,
                    "representative.authority",
                    true,
                    "a person with authority to make the patient's health care decisions is \
                     treated as the individual",
                    refs::REPRESENTATIVE,
                );
                Some(Route::Access(AccessBy::Representative))
            }
            Requester::Executor => {
                if req.patient.died.is_some() {
                    self.note(
                        2,
                        "decedent.executor",
                        true,
                        "the executor or administrator is the deceased patient's personal \
                         representative",
                        refs::DECEDENT_REPRESENTATIVE,
                    );
                    Some(Route::Access(AccessBy::Executor))
                } else {
                    self.note(
                        2,
                        "decedent.executor",
                        true,
                        "the patient is alive: an executor has no authority yet",
                        refs::DECEDENT_REPRESENTATIVE,
                    );
                    None
                }
            }
            Requester::FamilyInvolvedInCare { .. }
            | Requester::Attorney
            | Requester::Insurer { .. }
            | Requester::Provider
            | Requester::CourtOrder { .. }
            | Requester::Subpoena { .. }
            | Requester::LawEnforcement { .. }
            | Requester::PublicHealth { .. }
            | Requester::Researcher { .. }
            | Requester::Employer
            | Requester::Other { .. } => {
                self.note(
                    2,
                    "access.third_party",
                    true,
                    "the requester is neither the individual nor a personal representative",
                    refs::REPRESENTATIVE,
                );
                None
            }
        }
    }

    /// Step 3: every defect of the authorization (`None`: valid). The outcome is a return for
    /// correction, or a denial when it was revoked.
    fn authorization_defect(&mut self, a: &Authorization) -> Option<Outcome> {
        let received = self.req.received;
        let mut defects: Vec<(&'static str, &'static str, String)> = Vec::new();
        if !a.missing.is_empty() {
            let names: Vec<&str> = a.missing.iter().map(|m| m.name()).collect();
            defects.push((
                "authorization.elements",
                refs::AUTHORIZATION_ELEMENTS,
                format!("the authorization lacks: {}", names.join(", ")),
            ));
        }
        match &a.expires {
            None => defects.push((
                "authorization.expiration",
                refs::AUTHORIZATION_EXPIRATION,
                "the authorization has no expiration date or event".to_owned(),
            )),
            Some(Expiration::NoneForResearch) if !a.research => {
                defects.push((
                    "authorization.expiration",
                    refs::AUTHORIZATION_EXPIRATION,
                    "\"none\" as expiration is allowed only for research".to_owned(),
                ));
            }
            Some(Expiration::Date(d)) if *d < received => {
                defects.push((
                    "authorization.expired",
                    refs::AUTHORIZATION_EXPIRATION,
                    format!("the authorization expired on {d}"),
                ));
            }
            Some(Expiration::Date(_) | Expiration::Event(_) | Expiration::NoneForResearch) => {}
        }
        if a.signed.is_none() {
            defects.push((
                "authorization.signature",
                refs::AUTHORIZATION_SIGNATURE,
                "the authorization is not signed and dated".to_owned(),
            ));
        }
        if a.combined_with_other_document && !a.research {
            defects.push((
                "authorization.compound",
                refs::AUTHORIZATION_COMPOUND,
                "the authorization is combined with another document".to_owned(),
            ));
        }
        if let Coverage::Sections(s) = &a.covers
            && s.contains(&Section::PsychotherapyNotes)
            && s.iter().any(|x| *x != Section::PsychotherapyNotes)
        {
            defects.push((
                "authorization.compound",
                refs::AUTHORIZATION_PSYCHOTHERAPY,
                "a psychotherapy-note authorization may not be combined with one for other \
                 records"
                    .to_owned(),
            ));
        }
        if a.conditioned {
            defects.push((
                "authorization.conditioned",
                refs::AUTHORIZATION_CONDITIONED,
                "treatment, payment, enrollment or eligibility was conditioned on it".to_owned(),
            ));
        }
        if a.revoked {
            defects.push((
                "authorization.revoked",
                refs::AUTHORIZATION_REVOKED,
                "the authorization is known to be revoked".to_owned(),
            ));
        }
        if defects.is_empty() {
            self.note(
                3,
                "authorization.valid",
                true,
                "the authorization has every core element and statement, is signed and unexpired",
                refs::AUTHORIZATION_VALID,
            );
            return None;
        }
        for (rule, reference, message) in &defects {
            self.note(
                3,
                rule,
                true,
                format!("{message}: defective, release nothing"),
                reference,
            );
        }
        let (action, first) = if a.revoked {
            (
                Action::Deny,
                defects.iter().find(|d| d.0 == "authorization.revoked"),
            )
        } else {
            (Action::ReturnForCorrection, defects.first())
        };
        let (_, basis, message) = first.cloned().unwrap_or_default();
        Some(outcome(
            action,
            basis,
            format!("defective authorization: {message}"),
        ))
    }

    /// Step 4: a permission without authorization.
    fn without_authorization(&mut self) -> Route {
        let req = self.req;
        match &req.requester {
            Requester::Provider => {
                self.note(
                    4,
                    "tpo.treatment",
                    true,
                    "a disclosure to a provider for the patient's treatment needs no \
                     authorization",
                    refs::TREATMENT,
                );
                Route::Treatment
            }
            Requester::Insurer {
                health_plan_paying_for_care: true,
            } => {
                self.note(
                    4,
                    "tpo.payment",
                    true,
                    "a disclosure for a health plan's payment of the patient's care needs no \
                     authorization",
                    refs::PAYMENT,
                );
                Route::Payment
            }
            Requester::CourtOrder { .. } => {
                self.note(
                    4,
                    "judicial.court_order",
                    true,
                    "a court or tribunal order permits exactly what it orders",
                    refs::COURT_ORDER,
                );
                Route::CourtOrder
            }
            Requester::Subpoena {
                notice_assurance,
                protective_order_assurance,
            } => {
                let assured = *notice_assurance || *protective_order_assurance;
                let message = if assured {
                    "the subpoena comes with satisfactory assurance"
                } else {
                    "a subpoena without a court order, notice to the individual or a qualified \
                     protective order: ask for satisfactory assurance, a court order or the \
                     patient's authorization"
                };
                self.note(4, "judicial.subpoena", true, message, refs::SUBPOENA);
                Route::Subpoena { assured }
            }
            Requester::LawEnforcement { basis } => {
                self.law_enforcement_finding(*basis);
                Route::LawEnforcement(*basis)
            }
            Requester::PublicHealth {
                authorized_by_law: true,
                required_by_law,
            } => {
                let reference = if *required_by_law {
                    refs::PUBLIC_HEALTH_REQUIRED
                } else {
                    refs::PUBLIC_HEALTH
                };
                self.note(
                    4,
                    "public_health",
                    true,
                    "a public health authority authorized by law may receive the information \
                     without authorization",
                    reference,
                );
                Route::PublicHealth {
                    required_by_law: *required_by_law,
                }
            }
            Requester::Researcher { irb_waiver: true } => {
                self.note(
                    4,
                    "research.waiver",
                    true,
                    "an IRB or privacy board waived authorization",
                    refs::RESEARCH,
                );
                Route::Research
            }
            Requester::FamilyInvolvedInCare {
                involvement_documented,
            } if req.patient.died.is_some() => {
                if req.patient.objected_to_family_disclosure {
                    let note = "the patient objected before death to disclosures to family";
                    self.note(4, "decedent.family", true, note, refs::FAMILY_DECEDENT);
                    Route::Whole(outcome(Action::Deny, refs::FAMILY_DECEDENT, note))
                } else if *involvement_documented {
                    self.note(
                        4,
                        "decedent.family",
                        true,
                        "a family member involved in the decedent's care may receive the PHI \
                         relevant to that involvement",
                        refs::FAMILY_DECEDENT,
                    );
                    Route::FamilyOfDecedent
                } else {
                    self.note(
                        4,
                        "decedent.family",
                        true,
                        "the requester's involvement in the care is not documented",
                        refs::FAMILY_DECEDENT,
                    );
                    Route::NoBasis
                }
            }
            Requester::Insurer {
                health_plan_paying_for_care: false,
            }
            | Requester::PublicHealth {
                authorized_by_law: false,
                ..
            }
            | Requester::Researcher { irb_waiver: false }
            | Requester::FamilyInvolvedInCare { .. }
            | Requester::Attorney
            | Requester::Employer
            | Requester::Other { .. }
            | Requester::Patient
            | Requester::Parent { .. }
            | Requester::PersonalRepresentative { .. }
            | Requester::Executor => {
                self.note(
                    4,
                    "authorization.required",
                    true,
                    "no permission without authorization applies: a valid authorization is \
                     needed",
                    refs::AUTHORIZATION_REQUIRED,
                );
                Route::NoBasis
            }
        }
    }

    fn law_enforcement_finding(&mut self, basis: LawEnforcementBasis) {
        let (message, reference) = match basis {
            LawEnforcementBasis::CourtOrderOrWarrant
            | LawEnforcementBasis::JudicialSubpoena
            | LawEnforcementBasis::GrandJurySubpoena => (
                "law enforcement brings judicial process: release what it requires",
                refs::LAW_ENFORCEMENT_PROCESS,
            ),
            LawEnforcementBasis::AdministrativeRequest {
                relevant_specific_limited: true,
            } => (
                "an administrative request that is relevant, specific and limited",
                refs::LAW_ENFORCEMENT_ADMINISTRATIVE,
            ),
            LawEnforcementBasis::AdministrativeRequest {
                relevant_specific_limited: false,
            } => (
                "an administrative request that does not state it is relevant, specific and \
                 limited: refuse",
                refs::LAW_ENFORCEMENT_ADMINISTRATIVE,
            ),
            LawEnforcementBasis::IdentifyOrLocate => (
                "no process, to identify or locate a person: only the identifying elements \
                 (name and address, date and place of birth, SSN, ABO blood type and Rh factor, \
                 type of injury, date and time of treatment or death, physical description); \
                 never DNA, dental records or body fluid or tissue analysis",
                refs::LAW_ENFORCEMENT_IDENTIFY,
            ),
            LawEnforcementBasis::NoProcess => (
                "law enforcement without process: ask for a court order, warrant, subpoena or \
                 qualifying administrative request",
                refs::LAW_ENFORCEMENT_PROCESS,
            ),
        };
        self.note(4, "law_enforcement", true, message, reference);
    }
}
