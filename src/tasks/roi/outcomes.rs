//! The per-section decisions of the release-of-information engine, and the request-wide
//! answers that follow from them: deadline, fee basis, minimum necessary (step 5), the Part 2
//! notice (step 6) and the accounting of disclosures (step 7).

use chrono::Days;

use super::engine::{AccessBy, Engine, Outcome, Part2Status, Route, outcome};
use super::refs;
use super::request::{
    Coverage, HarmGround, LawEnforcementBasis, Medium, Minority, Requester, Section, StateRule,
};
use super::{
    AccessDeadline, Accounting, Action, FeeBasis, MinimumNecessary, Missing, PART2_NOTICE_TEXT,
    SectionDecision,
};

impl Engine<'_> {
    /// One section under the route.
    pub(super) fn section(&mut self, route: &Route, section: Section) -> Outcome {
        if let Route::Whole(o) = route {
            return o.clone();
        }
        match section {
            Section::PsychotherapyNotes => self.psychotherapy(route),
            Section::Part2Records => self.part2(route),
            Section::StateProtected => self.state_protected(route),
            Section::ProgressNotes
            | Section::Labs
            | Section::Imaging
            | Section::Billing
            | Section::MentalHealth
            | Section::ReproductiveHealth => self.general(route, section),
        }
    }

    /// A section of the designated record set with no special rule of its own.
    fn general(&mut self, route: &Route, section: Section) -> Outcome {
        let req = self.req;
        match route {
            Route::Access(by) => self.access(*by, section),
            Route::Authorization => {
                let covered = match req.authorization.as_ref().map(|a| &a.covers) {
                    Some(Coverage::CompleteRecord) => true,
                    Some(Coverage::Sections(s)) => s.contains(&section),
                    None => false,
                };
                if covered {
                    outcome(
                        Action::Release,
                        refs::AUTHORIZATION_VALID,
                        "covered by the valid authorization",
                    )
                } else {
                    outcome(
                        Action::AskFor(Missing::Authorization),
                        refs::AUTHORIZATION_REQUIRED,
                        "the authorization does not cover this section",
                    )
                }
            }
            Route::Treatment => outcome(
                Action::Release,
                refs::TREATMENT,
                "for the patient's treatment",
            ),
            Route::Payment => outcome(
                Action::Release,
                refs::PAYMENT,
                "for payment of the patient's care",
            ),
            Route::CourtOrder => {
                if ordered(req, section) {
                    outcome(Action::Release, refs::COURT_ORDER, "named in the order")
                } else {
                    outcome(
                        Action::Deny,
                        refs::COURT_ORDER,
                        "the order does not name this section",
                    )
                }
            }
            Route::Subpoena { assured: true } => outcome(
                Action::Release,
                refs::SUBPOENA,
                "subpoena with satisfactory assurance",
            ),
            Route::Subpoena { assured: false } => outcome(
                Action::AskFor(Missing::SatisfactoryAssurance),
                refs::SUBPOENA,
                "an attorney's subpoena is not a court order: ask for satisfactory assurance, a \
                 court order or the patient's authorization",
            ),
            Route::LawEnforcement(basis) => law_enforcement(*basis),
            Route::PublicHealth { required_by_law } => outcome(
                Action::Release,
                if *required_by_law {
                    refs::PUBLIC_HEALTH_REQUIRED
                } else {
                    refs::PUBLIC_HEALTH
                },
                "to a public health authority authorized by law, limited to what it asks for",
            ),
            Route::Research => outcome(
                Action::Release,
                refs::RESEARCH,
                "research under a waiver of authorization",
            ),
            Route::FamilyOfDecedent => outcome(
                Action::ReleaseInPart,
                refs::FAMILY_DECEDENT,
                "only the PHI relevant to the person's involvement in the care",
            ),
            Route::NoBasis => outcome(
                Action::AskFor(Missing::Authorization),
                refs::AUTHORIZATION_REQUIRED,
                "needs the patient's (or representative's) valid authorization",
            ),
            Route::Whole(o) => o.clone(),
        }
    }

    /// A section under the right of access.
    fn access(&mut self, by: AccessBy, section: Section) -> Outcome {
        let req = self.req;
        let minor_consented = req.patient.minor_consented_care.contains(&section);
        if by == AccessBy::Parent && minor_consented {
            return self.minor_consented(section);
        }
        if by == AccessBy::Individual && req.minor() != Minority::Adult && !minor_consented {
            let note = format!(
                "not decided: state law (a minor's own access to the {} records of care a parent consented to)",
                section.name()
            );
            self.note(
                6,
                "state.minor_own_access",
                false,
                note.clone(),
                refs::STATE_LAW,
            );
            return outcome(Action::NotDecided, refs::STATE_LAW, note);
        }
        if let Some(h) = &req.harm_judgment
            && h.sections.contains(&section)
        {
            let ground = match h.ground {
                HarmGround::EndangerLifeOrSafety => Some("endangers life or physical safety"),
                HarmGround::SubstantialHarmToPersonNamed => {
                    Some("reasonably likely to cause substantial harm to a person named")
                }
                HarmGround::SubstantialHarmThroughRepresentative if by != AccessBy::Individual => {
                    Some(
                        "access by the representative is reasonably likely to cause substantial harm",
                    )
                }
                HarmGround::SubstantialHarmThroughRepresentative | HarmGround::WouldUpset => None,
            };
            if let Some(ground) = ground {
                return outcome(
                    Action::Deny,
                    refs::ACCESS_REVIEWABLE,
                    format!(
                        "reviewable denial: a licensed professional judged that access {ground}; \
                         the written denial gives the basis, review rights and complaint routes"
                    ),
                );
            }
        }
        outcome(
            Action::Release,
            refs::ACCESS,
            "in the designated record set: right of access",
        )
    }

    /// A parent asks for the records of care the minor consented to.
    fn minor_consented(&mut self, section: Section) -> Outcome {
        let name = section.name();
        match self.req.settings.parent_access_to_minor_consented_care {
            Some(StateRule::Requires | StateRule::Permits) => {
                let note = format!(
                    "state law lets the parent have the {name} records of care the minor consented to"
                );
                self.note(
                    6,
                    "state.minor_consent",
                    true,
                    note.clone(),
                    refs::MINOR_CONSENTED,
                );
                outcome(Action::Release, refs::MINOR_CONSENTED, note)
            }
            Some(StateRule::Prohibits) => {
                let note = format!(
                    "the parent is not the representative for the {name} records of care the minor \
                     consented to and state law prohibits the disclosure: the minor's \
                     authorization is needed"
                );
                self.note(
                    6,
                    "state.minor_consent",
                    true,
                    note.clone(),
                    refs::MINOR_CONSENTED,
                );
                outcome(Action::Deny, refs::MINOR_CONSENTED, note)
            }
            Some(StateRule::Silent) => {
                let note = format!(
                    "not decided: state law is silent, so a licensed professional decides on the \
                     {name} records of care the minor consented to"
                );
                self.note(
                    6,
                    "state.minor_consent",
                    false,
                    note.clone(),
                    refs::MINOR_CONSENTED,
                );
                outcome(Action::NotDecided, refs::MINOR_CONSENTED, note)
            }
            None => {
                let note = format!(
                    "not decided: state law (the parent is not the representative for the {name} \
                     records of care the minor consented to; release only if state law permits it)"
                );
                self.note(
                    6,
                    "state.minor_consent",
                    false,
                    note.clone(),
                    refs::MINOR_CONSENTED,
                );
                outcome(Action::NotDecided, refs::MINOR_CONSENTED, note)
            }
        }
    }

    /// Psychotherapy notes.
    fn psychotherapy(&mut self, route: &Route) -> Outcome {
        let req = self.req;
        let separate = || {
            outcome(
                Action::Deny,
                refs::AUTHORIZATION_PSYCHOTHERAPY,
                "psychotherapy notes need an authorization for them alone",
            )
        };
        match route {
            Route::Access(_) => outcome(
                Action::Deny,
                refs::ACCESS_PSYCHOTHERAPY,
                "outside the right of access (unreviewable); the rest of the record is released",
            ),
            Route::Authorization => match req.authorization.as_ref().map(|a| &a.covers) {
                Some(Coverage::Sections(s)) if s.contains(&Section::PsychotherapyNotes) => outcome(
                    Action::Release,
                    refs::AUTHORIZATION_PSYCHOTHERAPY,
                    "a psychotherapy-note authorization of their own",
                ),
                Some(Coverage::Sections(_) | Coverage::CompleteRecord) | None => separate(),
            },
            Route::CourtOrder if ordered(req, Section::PsychotherapyNotes) => outcome(
                Action::Release,
                refs::PSYCHOTHERAPY_REQUIRED_BY_LAW,
                "the order names them: a disclosure required by law",
            ),
            Route::LawEnforcement(
                LawEnforcementBasis::CourtOrderOrWarrant
                | LawEnforcementBasis::JudicialSubpoena
                | LawEnforcementBasis::GrandJurySubpoena,
            ) => outcome(
                Action::NotDecided,
                refs::PSYCHOTHERAPY_REQUIRED_BY_LAW,
                "not decided: whether the process compels the psychotherapy notes is for counsel",
            ),
            Route::CourtOrder
            | Route::LawEnforcement(_)
            | Route::Subpoena { assured: false }
            | Route::NoBasis => {
                let general = self.general(route, Section::PsychotherapyNotes);
                if general.action.releases() {
                    separate()
                } else {
                    general
                }
            }
            Route::Treatment
            | Route::Payment
            | Route::Subpoena { assured: true }
            | Route::PublicHealth { .. }
            | Route::Research
            | Route::FamilyOfDecedent => separate(),
            Route::Whole(o) => o.clone(),
        }
    }

    /// Step 6: whether a 42 CFR 2.31 consent came with the request, and whether it is valid.
    pub(super) fn part2_consent(&mut self) -> Part2Status {
        if !self.req.sections.contains(&Section::Part2Records) {
            return Part2Status::Absent;
        }
        let Some(c) = &self.req.part2_consent else {
            if self.req.authorization.is_some() {
                self.note(
                    6,
                    "part2.consent",
                    true,
                    "a general medical release is not a Part 2 consent",
                    refs::PART2_CONSENT,
                );
            }
            return Part2Status::Absent;
        };
        let mut problems = Vec::new();
        if !c.missing.is_empty() {
            problems.push(format!("it lacks {} required element(s)", c.missing.len()));
        }
        if c.expires.is_some_and(|d| d < self.req.received) {
            problems.push("it has expired".to_owned());
        }
        if c.revoked {
            problems.push("it was revoked".to_owned());
        }
        let message = if problems.is_empty() {
            "a valid Part 2 consent".to_owned()
        } else {
            format!("the Part 2 consent is not valid: {}", problems.join(", "))
        };
        self.note(6, "part2.consent", true, message, refs::PART2_CONSENT);
        // A revocation ends the consent whatever else is wrong; an expired consent needs a new
        // one; one that only lacks elements goes back for correction, as an authorization does.
        if c.revoked {
            Part2Status::Revoked
        } else if c.expires.is_some_and(|d| d < self.req.received) {
            Part2Status::Expired
        } else if c.missing.is_empty() {
            Part2Status::Valid
        } else {
            Part2Status::Defective
        }
    }

    /// Records of a federally assisted SUD program.
    fn part2(&mut self, route: &Route) -> Outcome {
        let req = self.req;
        let by_subpoena = matches!(req.requester, Requester::Subpoena { .. });
        let status = self.part2_consent;
        let with_consent = |basis, missing| match status {
            Part2Status::Valid => outcome(
                Action::Release,
                refs::PART2_CONSENT,
                "under a valid Part 2 consent, with the 2.32 notice",
            ),
            Part2Status::Defective => outcome(
                Action::ReturnForCorrection,
                refs::PART2_CONSENT,
                "the Part 2 consent lacks required elements of 2.31(a): return it for correction",
            ),
            Part2Status::Revoked => outcome(
                Action::Deny,
                refs::PART2_CONSENT,
                "the patient revoked the Part 2 consent",
            ),
            Part2Status::Expired => outcome(
                Action::AskFor(missing),
                basis,
                "the Part 2 consent has expired: a new consent is needed",
            ),
            Part2Status::Absent => {
                let note = if missing == Missing::Part2ConsentOrOrder {
                    "needs a Part 2 consent or a Subpart E court order with the subpoena"
                } else {
                    "needs a Part 2 consent (a general medical release is not one)"
                };
                outcome(Action::AskFor(missing), basis, note)
            }
        };
        let result = match route {
            Route::Access(AccessBy::Individual) if req.minor() == Minority::Adult => outcome(
                Action::Release,
                refs::PART2_PATIENT,
                "the patient's own access needs no consent",
            ),
            Route::Access(AccessBy::Individual | AccessBy::Parent) => {
                let note = "not decided: state law (whether the minor alone consents to SUD \
                            treatment, and so to disclosure of its records)";
                self.note(6, "part2.minor", false, note, refs::PART2_MINOR);
                outcome(Action::NotDecided, refs::PART2_MINOR, note)
            }
            Route::CourtOrder if ordered(req, Section::Part2Records) => {
                if matches!(
                    req.requester,
                    Requester::CourtOrder {
                        part2_order: true,
                        ..
                    }
                ) {
                    outcome(
                        Action::Release,
                        refs::PART2_ORDER,
                        "a Part 2 Subpart E order names them",
                    )
                } else {
                    outcome(
                        Action::Deny,
                        refs::PART2_SUBPOENA,
                        "an order that is not a Part 2 Subpart E order does not reach Part 2 records",
                    )
                }
            }
            Route::CourtOrder => self.general(route, Section::Part2Records),
            Route::LawEnforcement(_) => outcome(
                Action::Deny,
                refs::PART2_CRIMINAL,
                "law enforcement needs a Part 2 Subpart E order (2.65)",
            ),
            Route::Research => outcome(
                Action::NotDecided,
                refs::PART2_RESEARCH,
                "not decided: Part 2 research disclosures (2.52) are not modelled",
            ),
            Route::Subpoena { .. } => {
                with_consent(refs::PART2_SUBPOENA, Missing::Part2ConsentOrOrder)
            }
            Route::Authorization | Route::NoBasis if by_subpoena => {
                with_consent(refs::PART2_SUBPOENA, Missing::Part2ConsentOrOrder)
            }
            Route::Access(_) => with_consent(refs::PART2_REPRESENTATIVE, Missing::Part2Consent),
            Route::Authorization
            | Route::Treatment
            | Route::Payment
            | Route::PublicHealth { .. }
            | Route::FamilyOfDecedent
            | Route::NoBasis => with_consent(refs::PART2_CONSENT, Missing::Part2Consent),
            Route::Whole(o) => o.clone(),
        };
        if by_subpoena && !result.action.releases() {
            self.note(
                6,
                "part2.subpoena",
                true,
                "a subpoena alone never reaches Part 2 records: a Part 2 consent or a Subpart E \
                 court order (with the subpoena) is required",
                refs::PART2_SUBPOENA,
            );
        }
        result
    }

    /// HIV results and other information state law protects.
    fn state_protected(&mut self, route: &Route) -> Outcome {
        let req = self.req;
        let section = Section::StateProtected;
        match route {
            Route::Access(AccessBy::Individual) | Route::CourtOrder => self.general(route, section),
            Route::PublicHealth {
                required_by_law: true,
            } => self.general(route, section),
            Route::Authorization => {
                let named = matches!(req.authorization.as_ref().map(|a| &a.covers),
                    Some(Coverage::Sections(s)) if s.contains(&section));
                if named {
                    return outcome(
                        Action::Release,
                        refs::AUTHORIZATION_VALID,
                        "the authorization names the state-protected information",
                    );
                }
                match req.settings.state_protected_needs_specific_authorization {
                    Some(true) => {
                        let note = "state law requires an authorization that names it";
                        self.note(6, "state.protected", true, note, refs::STATE_LAW);
                        outcome(
                            Action::AskFor(Missing::Authorization),
                            refs::STATE_LAW,
                            note,
                        )
                    }
                    Some(false) => {
                        self.note(
                            6,
                            "state.protected",
                            true,
                            "state law lets a general authorization reach it",
                            refs::STATE_LAW,
                        );
                        self.general(route, section)
                    }
                    None => self.state_law_open(),
                }
            }
            Route::Access(_)
            | Route::Treatment
            | Route::Payment
            | Route::Subpoena { .. }
            | Route::LawEnforcement(_)
            | Route::PublicHealth {
                required_by_law: false,
            }
            | Route::Research
            | Route::FamilyOfDecedent
            | Route::NoBasis => {
                let general = self.general(route, section);
                if general.action.releases() {
                    self.state_law_open()
                } else {
                    general
                }
            }
            Route::Whole(o) => o.clone(),
        }
    }

    fn state_law_open(&mut self) -> Outcome {
        let note = "not decided: state law (disclosure of specially protected information)";
        self.note(6, "state.protected", false, note, refs::STATE_LAW);
        outcome(Action::NotDecided, refs::STATE_LAW, note)
    }

    /// Findings on the professional's judgment and an unpaid bill (right of access only).
    pub(super) fn harm_findings(&mut self, route: &Route) {
        let Route::Access(by) = route else { return };
        if let Some(h) = &self.req.harm_judgment {
            match (h.ground, by) {
                (HarmGround::WouldUpset, _) => self.note(
                    2,
                    "access.denial_ground",
                    true,
                    "that the information would upset the patient is not a ground for denial",
                    refs::ACCESS_REVIEWABLE,
                ),
                (HarmGround::SubstantialHarmThroughRepresentative, AccessBy::Individual) => self
                    .note(
                        2,
                        "access.denial_ground",
                        true,
                        "harm through a representative is no ground when the individual asks",
                        refs::ACCESS_REVIEWABLE,
                    ),
                (
                    HarmGround::EndangerLifeOrSafety
                    | HarmGround::SubstantialHarmToPersonNamed
                    | HarmGround::SubstantialHarmThroughRepresentative,
                    _,
                ) => self.note(
                    2,
                    "access.denial_ground",
                    true,
                    "reviewable denial of the judged sections; a professional who did not make \
                     the decision reviews it on request",
                    refs::ACCESS_REVIEWABLE,
                ),
            }
        }
        if self.req.evidence.unpaid_bill {
            match self.req.settings.unpaid_bill_no_bar_to_access {
                Some(true) => self.note(
                    2,
                    "access.unpaid_bill",
                    true,
                    "an unpaid bill for care is no ground to refuse access",
                    refs::ACCESS,
                ),
                Some(false) | None => self.note(
                    2,
                    "access.unpaid_bill",
                    false,
                    "not decided: whether an unpaid bill may delay access (unverified)",
                    refs::ACCESS,
                ),
            }
        }
    }

    /// The right-of-access deadline.
    pub(super) fn deadline(&mut self, route: &Route) -> Option<AccessDeadline> {
        let Route::Access(_) = route else { return None };
        let received = self.req.received;
        let due = received.checked_add_days(Days::new(30))?;
        let extended_due = received.checked_add_days(Days::new(60))?;
        self.note(
            2,
            "access.deadline",
            true,
            format!(
                "act by {due}; one 30-day extension to {extended_due} only with a written \
                     notice of the reason and date sent by {due}"
            ),
            refs::ACCESS_TIMING,
        );
        Some(AccessDeadline {
            due,
            extension_notice_by: due,
            extended_due,
        })
    }

    /// The fee basis.
    pub(super) fn fee(&mut self, route: &Route, released: bool) -> FeeBasis {
        if !released {
            return FeeBasis::NoCopy;
        }
        let format = &self.req.format;
        match route {
            Route::Access(_) if format.directed_to.is_some() => {
                self.note(
                    2,
                    "access.fee",
                    true,
                    "a copy the individual directs to a third party: the cost-based fee limit \
                     covers copies to the individual only",
                    refs::ACCESS_FORMAT,
                );
                FeeBasis::DirectedToThirdParty
            }
            Route::Access(_) => {
                let flat = format.medium == Medium::Electronic && format.kept_electronically;
                self.note(
                    2,
                    "access.fee",
                    true,
                    if flat {
                        "reasonable cost-based fee (copying labor, media, postage) or a flat fee \
                         of up to $6.50; no search or retrieval fee"
                    } else {
                        "reasonable cost-based fee (copying labor, supplies, postage); no search \
                         or retrieval fee"
                    },
                    refs::ACCESS_FEE,
                );
                FeeBasis::CostBased {
                    flat_fee_option: flat,
                }
            }
            Route::Authorization
            | Route::Treatment
            | Route::Payment
            | Route::CourtOrder
            | Route::Subpoena { .. }
            | Route::LawEnforcement(_)
            | Route::PublicHealth { .. }
            | Route::Research
            | Route::FamilyOfDecedent
            | Route::NoBasis
            | Route::Whole(_) => {
                let schedule = self.req.settings.state_fee_schedule.clone();
                if schedule.is_none() && matches!(route, Route::Authorization) {
                    self.note(
                        6,
                        "state.fee",
                        false,
                        "not decided: state law (the copy fee for copies released under an \
                         authorization)",
                        refs::STATE_LAW,
                    );
                }
                FeeBasis::NotAccessRequest {
                    state_fee_schedule: schedule,
                }
            }
        }
    }

    /// Step 5.
    pub(super) fn minimum_necessary(&mut self, route: &Route, released: bool) -> MinimumNecessary {
        let (applies, reason, reference) = minimum_necessary_rule(route, released);
        if let Some(applies) = applies {
            self.note(
                5,
                "minimum_necessary",
                true,
                format!(
                    "minimum necessary {}: {reason}",
                    if applies { "applies" } else { "does not apply" }
                ),
                reference,
            );
        }
        MinimumNecessary {
            applies,
            reason,
            reference,
        }
    }

    /// Step 6: the 2.32 notice when Part 2 records go out with consent.
    pub(super) fn part2_notice(
        &mut self,
        route: &Route,
        sections: &[SectionDecision],
    ) -> Option<&'static str> {
        let out = sections
            .iter()
            .any(|s| s.section == Section::Part2Records && s.action.releases());
        let by_consent = !matches!(
            route,
            Route::Access(AccessBy::Individual) | Route::CourtOrder
        );
        (out && by_consent).then(|| {
            self.note(
                6,
                "part2.notice",
                true,
                format!("attach the redisclosure notice: \"{PART2_NOTICE_TEXT}\""),
                refs::PART2_NOTICE,
            );
            PART2_NOTICE_TEXT
        })
    }

    /// Step 7.
    pub(super) fn accounting(&mut self, route: &Route, released: bool) -> Accounting {
        let (accountable, reason, reference) = accounting_rule(route, released);
        self.note(
            7,
            "accounting",
            true,
            format!(
                "{}: {reason}",
                if accountable {
                    "log it in the accounting of disclosures"
                } else {
                    "not in the accounting"
                }
            ),
            reference,
        );
        Accounting {
            accountable,
            reason,
            reference,
        }
    }
}

fn ordered(req: &super::Request, section: Section) -> bool {
    matches!(&req.requester, Requester::CourtOrder { ordered, .. } if ordered.contains(&section))
}

fn law_enforcement(basis: LawEnforcementBasis) -> Outcome {
    match basis {
        LawEnforcementBasis::CourtOrderOrWarrant
        | LawEnforcementBasis::JudicialSubpoena
        | LawEnforcementBasis::GrandJurySubpoena => outcome(
            Action::Release,
            refs::LAW_ENFORCEMENT_PROCESS,
            "what the process requires",
        ),
        LawEnforcementBasis::AdministrativeRequest {
            relevant_specific_limited: true,
        } => outcome(
            Action::Release,
            refs::LAW_ENFORCEMENT_ADMINISTRATIVE,
            "relevant, specific and limited administrative request",
        ),
        LawEnforcementBasis::AdministrativeRequest {
            relevant_specific_limited: false,
        } => outcome(
            Action::Deny,
            refs::LAW_ENFORCEMENT_ADMINISTRATIVE,
            "the administrative request is not shown relevant, specific and limited",
        ),
        LawEnforcementBasis::IdentifyOrLocate => outcome(
            Action::ReleaseInPart,
            refs::LAW_ENFORCEMENT_IDENTIFY,
            "only the identifying elements; never DNA, dental records or body fluid or tissue analysis",
        ),
        LawEnforcementBasis::NoProcess => outcome(
            Action::AskFor(Missing::LegalProcess),
            refs::LAW_ENFORCEMENT_PROCESS,
            "ask for a court order, warrant, subpoena or qualifying administrative request",
        ),
    }
}

fn minimum_necessary_rule(
    route: &Route,
    released: bool,
) -> (Option<bool>, &'static str, &'static str) {
    use refs::{
        MINIMUM_NECESSARY as MN, MINIMUM_NECESSARY_EXCEPTIONS as EX,
        MINIMUM_NECESSARY_RELIANCE as REL,
    };
    if !released {
        return (None, "nothing is released", MN);
    }
    match route {
        Route::Access(_) => (Some(false), "a disclosure to the individual", EX),
        Route::Authorization => (Some(false), "a disclosure under an authorization", EX),
        Route::Treatment => (Some(false), "a disclosure to a provider for treatment", EX),
        Route::CourtOrder => (
            Some(false),
            "required by law: release exactly what the order names",
            EX,
        ),
        Route::LawEnforcement(
            LawEnforcementBasis::CourtOrderOrWarrant
            | LawEnforcementBasis::JudicialSubpoena
            | LawEnforcementBasis::GrandJurySubpoena,
        ) => (
            Some(false),
            "required by law: release what the process requires",
            EX,
        ),
        Route::PublicHealth {
            required_by_law: true,
        } => (
            Some(false),
            "required by law: limited to what the law requires",
            EX,
        ),
        Route::LawEnforcement(LawEnforcementBasis::IdentifyOrLocate) => {
            (Some(true), "limited to the identifying elements", MN)
        }
        Route::LawEnforcement(_)
        | Route::PublicHealth {
            required_by_law: false,
        }
        | Route::Research => (
            Some(true),
            "the entity may rely on the official's or the researcher's documented request as the minimum necessary",
            REL,
        ),
        Route::Payment
        | Route::Subpoena { .. }
        | Route::FamilyOfDecedent
        | Route::NoBasis
        | Route::Whole(_) => (
            Some(true),
            "limit the disclosure to what the purpose needs",
            MN,
        ),
    }
}

fn accounting_rule(route: &Route, released: bool) -> (bool, &'static str, &'static str) {
    if !released {
        return (false, "nothing is disclosed", refs::ACCOUNTING);
    }
    match route {
        Route::Access(_) => (
            false,
            "a disclosure to the individual",
            refs::ACCOUNTING_INDIVIDUAL,
        ),
        Route::Authorization => (
            false,
            "a disclosure under an authorization",
            refs::ACCOUNTING_AUTHORIZATION,
        ),
        Route::Treatment | Route::Payment => (
            false,
            "treatment, payment or operations",
            refs::ACCOUNTING_TPO,
        ),
        Route::FamilyOfDecedent => (
            false,
            "a disclosure to a person involved in the care",
            refs::ACCOUNTING_INVOLVED,
        ),
        Route::CourtOrder
        | Route::Subpoena { .. }
        | Route::LawEnforcement(_)
        | Route::PublicHealth { .. }
        | Route::Research
        | Route::NoBasis
        | Route::Whole(_) => (
            true,
            "a disclosure without authorization under 164.512: log date, recipient, description and purpose",
            refs::ACCOUNTING,
        ),
    }
}
