//! One release-of-information request as an instructor writes it (RON or JSON) and
//! `ehr-sim key roi FILE` reads it: the patient, who asks and with what evidence, the record
//! sections asked for, the format, the authorization or 42 CFR Part 2 consent that came with it,
//! and the scenario settings for the questions state law decides.
//!
//! Invariants after [`Request::parse`]: every struct rejected unknown fields; the patient has an
//! age or a birth date (not both); at least one section is asked for and none twice; every date
//! lies in 1900–2200; a birth date and a death date are not after the request date and the death
//! is not before the birth. The engine relies on these and never panics.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::ron_input::RonInputError;

/// The largest request file read, in bytes (a request is a page of text; anything larger is a
/// mistake, not a request).
pub const MAX_REQUEST_BYTES: usize = 256 * 1024;

/// Why a request file could not be used: [`RonInputError::Syntax`] with line and column (for
/// RON and JSON alike), or [`RonInputError::Invalid`] listing every inconsistency.
pub type RequestError = RonInputError;

/// One request for the patient's records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Request {
    /// The patient the records are about.
    pub patient: Patient,
    /// Who asks, and in what capacity.
    pub requester: Requester,
    /// What was checked of the requester's identity and authority.
    #[serde(default)]
    pub evidence: Evidence,
    /// The date the request was received (deadlines run from it).
    pub received: NaiveDate,
    /// The record sections asked for.
    pub sections: Vec<Section>,
    /// How the copy is wanted.
    #[serde(default)]
    pub format: Format,
    /// The HIPAA authorization that came with the request, if any.
    #[serde(default)]
    pub authorization: Option<Authorization>,
    /// The 42 CFR Part 2 consent that came with the request, if any.
    #[serde(default)]
    pub part2_consent: Option<Part2Consent>,
    /// The purpose the requester states (shown, not used by the rules).
    #[serde(default)]
    pub purpose: Option<String>,
    /// A licensed health care professional's judgment that access would cause harm.
    #[serde(default)]
    pub harm_judgment: Option<HarmJudgment>,
    /// The rules of the state the exercise is set in, for the questions state law decides; a
    /// setting left out is a point the engine does not decide.
    #[serde(default)]
    pub settings: RoiSettings,
}

/// The patient.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Patient {
    /// Age in whole years on the request date (give this or `birth_date`).
    #[serde(default)]
    pub age: Option<u32>,
    /// Date of birth (give this or `age`).
    #[serde(default)]
    pub birth_date: Option<NaiveDate>,
    /// The patient is a minor who is emancipated under state law (treated as an adult).
    #[serde(default)]
    pub emancipated: bool,
    /// Date of death, when the patient has died.
    #[serde(default)]
    pub died: Option<NaiveDate>,
    /// The record sections that document care a minor obtained on their own consent, under a
    /// court's approval, or under a confidentiality agreement the parent accepted
    /// (45 CFR 164.502(g)(3)(i)).
    #[serde(default)]
    pub minor_consented_care: Vec<Section>,
    /// The patient, before death, objected to disclosures to family members.
    #[serde(default)]
    pub objected_to_family_disclosure: bool,
}

/// Who asks for the records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Requester {
    /// The patient.
    Patient,
    /// A parent or guardian of the patient as a minor.
    Parent {
        /// The parent does not have custody.
        #[serde(default)]
        non_custodial: bool,
        /// A court order limits this parent's authority over the child's health care.
        #[serde(default)]
        court_order_limits: bool,
    },
    /// A person with authority under law to make the adult patient's health care decisions.
    PersonalRepresentative {
        /// The source of the authority.
        authority: RepresentativeAuthority,
    },
    /// The executor or administrator of a deceased patient's estate.
    Executor,
    /// A family member or other person who was involved in a deceased patient's care or its
    /// payment.
    FamilyInvolvedInCare {
        /// The involvement is known to the entity (chart, care conferences).
        involvement_documented: bool,
    },
    /// An attorney (for the patient or another party), without a court order.
    Attorney,
    /// An insurer or other payer.
    Insurer {
        /// A health plan paying for this patient's care (not a life, disability or other
        /// insurer underwriting a policy).
        health_plan_paying_for_care: bool,
    },
    /// A health care provider, for the treatment of the patient.
    Provider,
    /// An order of a court or administrative tribunal.
    CourtOrder {
        /// The sections the order names.
        ordered: Vec<Section>,
        /// The order is an order under 42 CFR Part 2 Subpart E (2.64 or 2.65).
        #[serde(default)]
        part2_order: bool,
    },
    /// A subpoena, discovery request or other lawful process without a court order.
    Subpoena {
        /// A written statement and documentation that the individual was given written notice,
        /// the time to object passed, and no objection was made or it was resolved.
        #[serde(default)]
        notice_assurance: bool,
        /// A written statement and documentation that the parties agreed to, or asked the court
        /// for, a qualified protective order.
        #[serde(default)]
        protective_order_assurance: bool,
    },
    /// A law-enforcement official.
    LawEnforcement {
        /// The process the official brings, or the purpose without one.
        basis: LawEnforcementBasis,
    },
    /// A public-health authority.
    PublicHealth {
        /// The authority is authorized by law to collect the information (disease, injury,
        /// vital events, surveillance).
        authorized_by_law: bool,
        /// The report is required by law (a notifiable disease).
        #[serde(default)]
        required_by_law: bool,
    },
    /// A researcher.
    Researcher {
        /// An IRB or privacy board approved a waiver of authorization.
        irb_waiver: bool,
    },
    /// The patient's employer.
    Employer,
    /// Anyone else.
    Other {
        /// Who it is.
        description: String,
    },
}

/// Where a personal representative's authority comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RepresentativeAuthority {
    /// A durable power of attorney for health care.
    HealthCarePowerOfAttorney,
    /// A court-appointed guardian.
    Guardian,
}

/// What law-enforcement brings (45 CFR 164.512(f)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LawEnforcementBasis {
    /// A court order or court-ordered warrant.
    CourtOrderOrWarrant,
    /// A subpoena or summons issued by a judicial officer.
    JudicialSubpoena,
    /// A grand-jury subpoena.
    GrandJurySubpoena,
    /// An administrative request (subpoena, civil demand).
    AdministrativeRequest {
        /// The information is relevant and material, the request specific and limited, and
        /// de-identified information could not be used.
        relevant_specific_limited: bool,
    },
    /// No process: a request to identify or locate a suspect, fugitive, material witness or
    /// missing person.
    IdentifyOrLocate,
    /// No process, for any other purpose.
    NoProcess,
}

/// A section of the record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Section {
    /// Progress notes, history and physicals, discharge summaries.
    ProgressNotes,
    /// Laboratory results.
    Labs,
    /// Imaging reports.
    Imaging,
    /// Billing records.
    Billing,
    /// Mental-health records other than psychotherapy notes.
    MentalHealth,
    /// Reproductive-health records.
    ReproductiveHealth,
    /// Psychotherapy notes kept apart from the rest of the record.
    PsychotherapyNotes,
    /// Records of a federally assisted substance-use-disorder program (42 CFR Part 2).
    Part2Records,
    /// HIV test results or other information a state law protects specially.
    StateProtected,
}

impl Section {
    /// The section's name in messages.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::ProgressNotes => "progress notes",
            Self::Labs => "labs",
            Self::Imaging => "imaging",
            Self::Billing => "billing",
            Self::MentalHealth => "mental health",
            Self::ReproductiveHealth => "reproductive health",
            Self::PsychotherapyNotes => "psychotherapy notes",
            Self::Part2Records => "Part 2 SUD program records",
            Self::StateProtected => "state-protected information",
        }
    }
}

/// What was checked of the requester.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Evidence {
    /// The requester's identity was verified (photo ID, badge, letterhead).
    #[serde(default)]
    pub identity_verified: bool,
    /// The requester's authority was documented (birth certificate or custody papers for a
    /// parent, the power of attorney or guardianship order, letters testamentary or of
    /// administration).
    #[serde(default)]
    pub authority_verified: bool,
    /// The entity reasonably believes the representative abuses or endangers the patient.
    #[serde(default)]
    pub abuse_or_endangerment_concern: bool,
    /// The patient has an unpaid bill for care.
    #[serde(default)]
    pub unpaid_bill: bool,
}

/// How the copy is wanted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Format {
    /// Paper or electronic.
    #[serde(default)]
    pub medium: Medium,
    /// The records are kept electronically.
    #[serde(default = "yes")]
    pub kept_electronically: bool,
    /// The individual directs the copy to this third party.
    #[serde(default)]
    pub directed_to: Option<String>,
}

impl Default for Format {
    fn default() -> Self {
        Self {
            medium: Medium::Paper,
            kept_electronically: true,
            directed_to: None,
        }
    }
}

fn yes() -> bool {
    true
}

/// The medium of the copy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Medium {
    /// Paper copies.
    #[default]
    Paper,
    /// Electronic copies (portal, e-mail, USB drive, CD).
    Electronic,
}

/// A HIPAA authorization (45 CFR 164.508).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Authorization {
    /// The information it describes.
    pub covers: Coverage,
    /// Core elements and required statements that are missing.
    #[serde(default)]
    pub missing: Vec<AuthorizationElement>,
    /// The expiration date or event; absent means the form has none.
    #[serde(default)]
    pub expires: Option<Expiration>,
    /// The date it was signed; absent means unsigned.
    #[serde(default)]
    pub signed: Option<NaiveDate>,
    /// The entity knows it was revoked.
    #[serde(default)]
    pub revoked: bool,
    /// It is combined with another document (a consent to treatment, a notice), which is not
    /// allowed outside research.
    #[serde(default)]
    pub combined_with_other_document: bool,
    /// Treatment, payment, enrollment or eligibility was conditioned on signing it.
    #[serde(default)]
    pub conditioned: bool,
    /// It is for a research study.
    #[serde(default)]
    pub research: bool,
}

/// What an authorization describes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Coverage {
    /// "The complete medical record": every section of the designated record set, which does
    /// not reach psychotherapy notes or Part 2 records.
    CompleteRecord,
    /// The sections it names.
    Sections(Vec<Section>),
}

/// A core element or required statement of an authorization.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AuthorizationElement {
    /// A specific and meaningful description of the information (c)(1)(i).
    Description,
    /// Who may disclose it (c)(1)(ii).
    WhoMayDisclose,
    /// Who may receive it (c)(1)(iii).
    Recipient,
    /// Each purpose (c)(1)(iv).
    Purpose,
    /// The authority of a representative who signs (c)(1)(vi).
    RepresentativeAuthority,
    /// The right to revoke in writing (c)(2)(i).
    RevocationStatement,
    /// Whether treatment, payment, enrollment or eligibility may be conditioned on it
    /// (c)(2)(ii).
    ConditioningStatement,
    /// The potential for redisclosure (c)(2)(iii).
    RedisclosureStatement,
}

impl AuthorizationElement {
    /// The element's name and paragraph.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Description => "description of the information (c)(1)(i)",
            Self::WhoMayDisclose => "who may disclose (c)(1)(ii)",
            Self::Recipient => "who may receive (c)(1)(iii)",
            Self::Purpose => "purpose (c)(1)(iv)",
            Self::RepresentativeAuthority => "representative's authority (c)(1)(vi)",
            Self::RevocationStatement => "right-to-revoke statement (c)(2)(i)",
            Self::ConditioningStatement => "conditioning statement (c)(2)(ii)",
            Self::RedisclosureStatement => "redisclosure statement (c)(2)(iii)",
        }
    }
}

/// When an authorization ends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Expiration {
    /// A date.
    Date(NaiveDate),
    /// An event that relates to the individual or the purpose.
    Event(String),
    /// "None" or "end of the research study" (valid for research only).
    NoneForResearch,
}

/// A consent under 42 CFR 2.31.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Part2Consent {
    /// Required elements that are missing.
    #[serde(default)]
    pub missing: Vec<Part2Element>,
    /// Its expiration date, if it has passed or may pass.
    #[serde(default)]
    pub expires: Option<NaiveDate>,
    /// The program knows it was revoked.
    #[serde(default)]
    pub revoked: bool,
}

/// A required element of a Part 2 consent (42 CFR 2.31(a)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Part2Element {
    /// The patient's name.
    PatientName,
    /// Who may disclose.
    WhoMayDisclose,
    /// How much and what kind of information, with an explicit description of the SUD
    /// information.
    Description,
    /// Who may receive it.
    Recipient,
    /// The purpose.
    Purpose,
    /// The right to revoke and how.
    RevocationStatement,
    /// The expiration date or event.
    Expiration,
    /// The patient's signature.
    Signature,
    /// The date signed.
    Date,
}

/// A licensed health care professional's judgment on access (45 CFR 164.524(a)(3)).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HarmJudgment {
    /// What the professional judged.
    pub ground: HarmGround,
    /// The sections it concerns.
    pub sections: Vec<Section>,
}

/// The ground of a professional's judgment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum HarmGround {
    /// Access is reasonably likely to endanger the life or physical safety of the individual or
    /// another person.
    EndangerLifeOrSafety,
    /// The information names another person and access is reasonably likely to cause that
    /// person substantial harm.
    SubstantialHarmToPersonNamed,
    /// The request is a representative's and access by the representative is reasonably likely
    /// to cause substantial harm to the individual or another person.
    SubstantialHarmThroughRepresentative,
    /// The information would upset the patient (not a ground for denial).
    WouldUpset,
}

/// What state law says about something HIPAA leaves to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum StateRule {
    /// State law requires the disclosure.
    Requires,
    /// State law permits it.
    Permits,
    /// State law prohibits it.
    Prohibits,
    /// State law is silent.
    Silent,
}

/// The scenario's state-law settings. A setting left out is a point the engine does not decide:
/// its finding says "not decided: state law" and the section stays open.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoiSettings {
    /// The state's name or code (shown).
    #[serde(default)]
    pub state: Option<String>,
    /// The age of majority (patients under 18 are minors in every state; ages from 18 up to
    /// this are decided only when it is set).
    #[serde(default)]
    pub age_of_majority: Option<u32>,
    /// A non-custodial parent keeps the authority to make the child's health care decisions.
    #[serde(default)]
    pub noncustodial_parent_has_authority: Option<bool>,
    /// What state law says about a parent's access to care the minor consented to.
    #[serde(default)]
    pub parent_access_to_minor_consented_care: Option<StateRule>,
    /// State-protected information (HIV, genetic tests) needs an authorization that names it: a
    /// "complete record" authorization does not reach it.
    #[serde(default)]
    pub state_protected_needs_specific_authorization: Option<bool>,
    /// The state's copy-fee schedule for copies that are not the individual's own (shown).
    #[serde(default)]
    pub state_fee_schedule: Option<String>,
    /// Access may not be refused because of an unpaid bill for care.
    #[serde(default)]
    pub unpaid_bill_no_bar_to_access: Option<bool>,
}

/// How [`Request::minor`] answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Minority {
    /// An unemancipated minor.
    Minor,
    /// An adult (or an emancipated minor).
    Adult,
    /// Between 18 and the age of majority, which the settings do not state.
    StateLaw,
}

impl Request {
    /// Parses a request from RON or JSON text (JSON when the first character after any
    /// whitespace is `{`) and checks it.
    ///
    /// # Errors
    /// [`RequestError::Syntax`] with line and column when the text does not parse or is too
    /// large; [`RequestError::Invalid`] listing every inconsistency.
    pub fn parse(text: &str) -> Result<Self, RequestError> {
        crate::ron_input::from_text_checked(
            text,
            MAX_REQUEST_BYTES,
            ("the request", "a request file"),
            Self::problems,
        )
        .map_err(|err| with_field(crate::ron_input::without_bom(text), err))
    }

    /// Parses a request from JSON text and checks it.
    ///
    /// # Errors
    /// As [`Request::parse`].
    pub fn from_json(text: &str) -> Result<Self, RequestError> {
        crate::ron_input::from_json_checked(text, Self::problems)
            .map_err(|err| with_field(crate::ron_input::without_bom(text), err))
    }

    /// Every inconsistency (empty = usable).
    #[must_use]
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        let p = &self.patient;
        match (p.age, p.birth_date) {
            (None, None) => out.push("patient: give `age` or `birth_date`".to_owned()),
            (Some(_), Some(_)) => {
                out.push("patient: give `age` or `birth_date`, not both".to_owned());
            }
            (Some(age), None) if age > 130 => {
                out.push(format!("patient.age {age}: use 0 to 130"));
            }
            (Some(_) | None, _) => {}
        }
        let mut dates = vec![("received", self.received)];
        dates.extend(p.birth_date.map(|d| ("patient.birth_date", d)));
        dates.extend(p.died.map(|d| ("patient.died", d)));
        if let Some(a) = &self.authorization {
            dates.extend(a.signed.map(|d| ("authorization.signed", d)));
            if let Some(Expiration::Date(d)) = a.expires {
                dates.push(("authorization.expires", d));
            }
        }
        if let Some(c) = &self.part2_consent {
            dates.extend(c.expires.map(|d| ("part2_consent.expires", d)));
        }
        for (name, d) in &dates {
            if !(1900..=2200).contains(&d.year()) {
                out.push(format!("{name} {d}: use a date in 1900-2200"));
            }
        }
        for (name, d) in [("birth_date", p.birth_date), ("died", p.died)] {
            if d.is_some_and(|d| d > self.received) {
                out.push(format!("patient.{name} is after the request date"));
            }
        }
        if let (Some(b), Some(d)) = (p.birth_date, p.died)
            && d < b
        {
            out.push("patient.died is before patient.birth_date".to_owned());
        }
        if self.sections.is_empty() {
            out.push("sections: ask for at least one section".to_owned());
        }
        let mut seen = self.sections.clone();
        seen.sort();
        if seen.windows(2).any(|w| w[0] == w[1]) {
            out.push("sections: a section is listed twice".to_owned());
        }
        out
    }

    /// The patient's age in whole years on the request date (at death, for a decedent).
    #[must_use]
    pub fn age(&self) -> u32 {
        let p = &self.patient;
        match (p.age, p.birth_date) {
            (Some(age), _) => age,
            (None, Some(born)) => {
                let on = p.died.unwrap_or(self.received);
                on.years_since(born).unwrap_or(0)
            }
            (None, None) => 0,
        }
    }

    /// Whether the patient is an unemancipated minor.
    #[must_use]
    pub fn minor(&self) -> Minority {
        let age = self.age();
        if self.patient.emancipated {
            return Minority::Adult;
        }
        match self.settings.age_of_majority {
            Some(majority) if age < majority => Minority::Minor,
            Some(_) => Minority::Adult,
            None if age < 18 => Minority::Minor,
            None if age >= 21 => Minority::Adult,
            None => Minority::StateLaw,
        }
    }
}

/// A syntax error with the name of the field it sits in appended (`(in field `received`)`),
/// found as the last `name:` (RON) or `"name":` (JSON) before the error on its line.
fn with_field(text: &str, err: RequestError) -> RequestError {
    let RequestError::Syntax {
        line,
        column,
        message,
    } = err
    else {
        return err;
    };
    let field = text
        .lines()
        .nth(line.saturating_sub(1))
        .map(|l| l.chars().take(column.saturating_sub(1)).collect::<String>())
        .and_then(|before| {
            let head = before.rsplit_once(':')?.0.trim_end().trim_end_matches('"');
            let name: String = head
                .chars()
                .rev()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect::<Vec<char>>()
                .into_iter()
                .rev()
                .collect();
            (!name.is_empty() && !message.contains(&format!("`{name}`"))).then_some(name)
        });
    let message = match field {
        Some(name) => format!("{message} (in field `{name}`)"),
        None => message,
    };
    RequestError::Syntax {
        line,
        column,
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(patient: &str, settings: &str) -> Request {
        Request::parse(&format!(
            "(patient: ({patient}), requester: Patient, received: \"2026-03-02\", \
             sections: [Labs], settings: ({settings}))"
        ))
        .unwrap()
    }

    #[test]
    fn roi_minority_by_age_emancipation_and_the_age_of_majority() {
        assert_eq!(request("age: 17", "").minor(), Minority::Minor);
        assert_eq!(
            request("age: 17, emancipated: true", "").minor(),
            Minority::Adult
        );
        assert_eq!(request("age: 19", "").minor(), Minority::StateLaw);
        assert_eq!(
            request("age: 19", "age_of_majority: 18").minor(),
            Minority::Adult
        );
        assert_eq!(
            request("age: 20", "age_of_majority: 21").minor(),
            Minority::Minor
        );
        assert_eq!(request("age: 21", "").minor(), Minority::Adult);
    }

    #[test]
    fn roi_age_from_birth_date_is_taken_on_the_request_date_or_at_death() {
        assert_eq!(request("birth_date: \"2008-03-03\"", "").age(), 17);
        assert_eq!(request("birth_date: \"2008-03-02\"", "").age(), 18);
        let died = request("birth_date: \"1950-06-01\", died: \"2026-01-01\"", "");
        assert_eq!(died.age(), 75);
    }

    #[test]
    fn roi_syntax_errors_name_the_field() {
        let err = with_field(
            "(\n  received: \"bad\",\n)",
            RequestError::Syntax {
                line: 2,
                column: 13,
                message: "input is out of range".to_owned(),
            },
        );
        assert_eq!(
            err,
            RequestError::Syntax {
                line: 2,
                column: 13,
                message: "input is out of range (in field `received`)".to_owned(),
            }
        );
    }

    #[test]
    fn roi_oversized_text_is_refused_before_parsing() {
        let text = " ".repeat(MAX_REQUEST_BYTES + 1);
        assert!(matches!(
            Request::parse(&text),
            Err(RequestError::Syntax {
                line: 1,
                column: 1,
                ..
            })
        ));
    }
}
