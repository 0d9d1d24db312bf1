//! The release-of-information learner task: a request for a generated patient's records to
//! answer as a records clerk would, section by section.
//!
//! The learner works from the printout ([`RoiMaterial::printout`]): the request letter, the
//! evidence checked, and the authorization or Part 2 consent as a form whose element lines are
//! filled in or left blank. They submit, per requested section in the request's order, the
//! action (release, release in part, deny, return for correction, ask for more, with what is
//! asked for), the right-of-access due date, the fee basis, whether minimum necessary applies,
//! whether the disclosure goes into the accounting of disclosures and whether the 42 CFR 2.32
//! notice goes with it.
//!
//! Key rules: everything comes from [`decide`] on the filled request. What the engine leaves
//! open is `null` in the key, so it is not graded: a section it does not decide (state law the
//! scenario does not state, a professional's judgment); the due date when the request is not a
//! right-of-access request; what to ask for when the action is not "ask for"; whether minimum
//! necessary applies when nothing is released; and the fee, minimum necessary, accounting and
//! Part 2 notice when they hang on a section the engine does not decide.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::request::{
    Authorization, AuthorizationElement, Coverage, Expiration, HarmGround, LawEnforcementBasis,
    Medium, Part2Consent, Part2Element, RepresentativeAuthority, Request, Requester, Section,
};
use super::spec::{self, RoiSpec};
use super::{Action, Decision, FeeBasis, Missing, decide, refs};
use crate::grading::{FieldSchema, FieldType, RubricKind};
use crate::patient::Patient;
use crate::tasks::{SpecProblem, Task, TaskContext};

/// The release-of-information task kind.
#[derive(Debug, Clone, Copy)]
pub struct Roi;

impl Task for Roi {
    type Spec = RoiSpec;
    type Material = RoiMaterial;
    type Submission = RoiSubmission;

    const LABEL: &'static str = "Release of information";
    const FOLDER: &'static str = "roi";
    const RUBRIC_KIND: RubricKind = RubricKind::Roi;

    fn instructions(spec: &RoiSpec) -> &str {
        &spec.instructions
    }

    fn material(
        ctx: &TaskContext<'_>,
        spec: &RoiSpec,
        patient: &Patient,
        patient_seed: u64,
    ) -> RoiMaterial {
        let received = spec::received_on(ctx.scenario_id, spec, ctx.as_of, patient_seed);
        let d = &patient.demographics;
        RoiMaterial {
            request: Box::new(spec::fill(&spec.request, received, d.birth_date)),
            patient_name: format!("{} {}", d.given_name, d.family_name),
            mrn: d.mrn.clone(),
            as_of: ctx.as_of,
        }
    }

    fn key(_patient: &Patient, material: &RoiMaterial) -> Value {
        super::super::to_value(&key(&decide(&material.request)))
    }

    fn blank(material: &RoiMaterial) -> Value {
        super::super::to_value(&RoiSubmission {
            sections: material
                .request
                .sections
                .iter()
                .map(|&s| SectionAnswer {
                    section: Some(section_id(s).to_owned()),
                    action: None,
                    ask_for: None,
                    basis: None,
                })
                .collect(),
            ..RoiSubmission::default()
        })
    }

    fn schema(_kind: RubricKind) -> FieldSchema {
        schema()
    }

    fn problems(ctx: &TaskContext<'_>, spec: &RoiSpec) -> Vec<SpecProblem> {
        spec::problems(ctx, spec)
    }
}

/// What the learner works from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoiMaterial {
    /// The filled request (the key is the engine's decision on it).
    pub request: Box<Request>,
    /// The patient's name as the request gives it.
    pub patient_name: String,
    /// The patient's medical record number.
    pub mrn: String,
    /// The day the clerk works the request.
    pub as_of: NaiveDate,
}

/// The answer for one requested section.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SectionAnswer {
    /// The section (as the request lists it).
    #[serde(default)]
    pub section: Option<String>,
    /// release, release_in_part, deny, return_for_correction or ask_for.
    #[serde(default)]
    pub action: Option<String>,
    /// With `ask_for`: what the requester must bring.
    #[serde(default)]
    pub ask_for: Option<String>,
    /// The legal basis of the decision (an id of [`BASES`]).
    #[serde(default)]
    pub basis: Option<String>,
}

/// A release-of-information submission (and key).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoiSubmission {
    /// One answer per requested section, in the request's order.
    #[serde(default)]
    pub sections: Vec<SectionAnswer>,
    /// The right-of-access due date (30 days after receipt); `null` when the request is not a
    /// right-of-access request.
    #[serde(default)]
    pub due_date: Option<String>,
    /// cost_based, directed_to_third_party, not_access_request or no_copy.
    #[serde(default)]
    pub fee: Option<String>,
    /// Whether minimum necessary applies to what is released.
    #[serde(default)]
    pub minimum_necessary: Option<bool>,
    /// Whether the disclosure goes into the accounting of disclosures.
    #[serde(default)]
    pub accounting: Option<bool>,
    /// Whether the 42 CFR 2.32 notice goes with the records.
    #[serde(default)]
    pub part2_notice: Option<bool>,
}

/// The answer id of a section.
#[must_use]
pub fn section_id(s: Section) -> &'static str {
    match s {
        Section::ProgressNotes => "progress_notes",
        Section::Labs => "labs",
        Section::Imaging => "imaging",
        Section::Billing => "billing",
        Section::MentalHealth => "mental_health",
        Section::ReproductiveHealth => "reproductive_health",
        Section::PsychotherapyNotes => "psychotherapy_notes",
        Section::Part2Records => "part2_records",
        Section::StateProtected => "state_protected",
    }
}

/// The answer id of an action and of what is asked for; `None` for a section the engine does
/// not decide.
#[must_use]
pub fn action_id(a: &Action) -> Option<(&'static str, Option<&'static str>)> {
    match a {
        Action::Release => Some(("release", None)),
        Action::ReleaseInPart => Some(("release_in_part", None)),
        Action::Deny => Some(("deny", None)),
        Action::ReturnForCorrection => Some(("return_for_correction", None)),
        Action::AskFor(m) => Some(("ask_for", Some(missing_id(*m)))),
        Action::NotDecided => None,
    }
}

/// The answer id of what the requester must bring.
#[must_use]
pub fn missing_id(m: Missing) -> &'static str {
    match m {
        Missing::Identity => "identity",
        Missing::Authority => "authority",
        Missing::Authorization => "authorization",
        Missing::PsychotherapyNoteAuthorization => "psychotherapy_note_authorization",
        Missing::Part2Consent => "part2_consent",
        Missing::Part2ConsentOrOrder => "part2_consent_or_order",
        Missing::SatisfactoryAssurance => "satisfactory_assurance",
        Missing::LegalProcess => "legal_process",
    }
}

/// The answer id of a fee basis.
#[must_use]
pub fn fee_id(f: &FeeBasis) -> &'static str {
    match f {
        FeeBasis::CostBased { .. } => "cost_based",
        FeeBasis::DirectedToThirdParty => "directed_to_third_party",
        FeeBasis::NotAccessRequest { .. } => "not_access_request",
        FeeBasis::NoCopy => "no_copy",
    }
}

/// The key in the submission's shape (see the module docs for what is `null`).
#[must_use]
pub fn key(d: &Decision) -> RoiSubmission {
    let open = |s: &super::SectionDecision| s.action == Action::NotDecided;
    let released = d.sections.iter().any(|s| s.action.releases());
    // Whether anything goes out hangs on a section the engine leaves open.
    let release_open = !released && d.sections.iter().any(open);
    let part2_open = d
        .sections
        .iter()
        .any(|s| open(s) && s.section == Section::Part2Records);
    let iso = |x: NaiveDate| x.format("%Y-%m-%d").to_string();
    RoiSubmission {
        sections: d
            .sections
            .iter()
            .map(|s| {
                let (action, ask_for) = action_id(&s.action).unzip();
                SectionAnswer {
                    section: Some(section_id(s.section).to_owned()),
                    // A section left open has no basis to grade either.
                    basis: action.and(basis_id(s.basis)).map(str::to_owned),
                    action: action.map(str::to_owned),
                    ask_for: ask_for.flatten().map(str::to_owned),
                }
            })
            .collect(),
        due_date: d.deadline.map(|x| iso(x.due)),
        fee: (!release_open).then(|| fee_id(&d.fee).to_owned()),
        minimum_necessary: if release_open {
            None
        } else {
            d.minimum_necessary.applies
        },
        accounting: (!release_open).then_some(d.accounting.accountable),
        part2_notice: (!release_open && !part2_open).then_some(d.part2_notice.is_some()),
    }
}

/// The sections a learner can answer for, as `(answer id, label)`.
pub const SECTION_CHOICES: [(&str, &str); 9] = [
    (
        "progress_notes",
        "Progress notes, H&Ps, discharge summaries",
    ),
    ("labs", "Laboratory results"),
    ("imaging", "Imaging reports"),
    ("billing", "Billing records"),
    (
        "mental_health",
        "Mental-health records (not psychotherapy notes)",
    ),
    ("reproductive_health", "Reproductive-health records"),
    ("psychotherapy_notes", "Psychotherapy notes"),
    ("part2_records", "42 CFR Part 2 SUD program records"),
    (
        "state_protected",
        "State-protected information (HIV, genetic tests)",
    ),
];

/// The actions, as `(answer id, label)`.
pub const ACTION_CHOICES: [(&str, &str); 5] = [
    ("release", "Release"),
    ("release_in_part", "Release in part"),
    ("deny", "Deny"),
    (
        "return_for_correction",
        "Return the authorization for correction",
    ),
    ("ask_for", "Ask for more before releasing"),
];

/// What a requester can be asked for, as `(answer id, label)`.
pub const ASK_FOR_CHOICES: [(&str, &str); 8] = [
    ("identity", "Proof of identity"),
    ("authority", "Proof of authority (custody, POA, letters)"),
    ("authorization", "A valid HIPAA authorization"),
    (
        "psychotherapy_note_authorization",
        "An authorization for the psychotherapy notes alone",
    ),
    ("part2_consent", "A 42 CFR 2.31 consent"),
    (
        "part2_consent_or_order",
        "A Part 2 consent or a Subpart E court order",
    ),
    (
        "satisfactory_assurance",
        "Satisfactory assurance (notice or protective order)",
    ),
    (
        "legal_process",
        "Legal process (order, warrant, subpoena, administrative request)",
    ),
];

/// The fee bases, as `(answer id, label)`.
pub const FEE_CHOICES: [(&str, &str); 4] = [
    (
        "cost_based",
        "Reasonable, cost-based (the individual's own copy)",
    ),
    (
        "directed_to_third_party",
        "Copy directed to a third party (outside the cost-based limit)",
    ),
    (
        "not_access_request",
        "Not an access request: state schedule or policy",
    ),
    ("no_copy", "No copy goes out"),
];

/// The fields a release-of-information submission has.
#[must_use]
pub fn schema() -> FieldSchema {
    use FieldType::{Bool, Date, RecordList, Text};
    FieldSchema::new(
        RubricKind::Roi,
        &[
            ("sections[]", RecordList),
            ("sections[].section", Text),
            ("sections[].action", Text),
            ("sections[].ask_for", Text),
            ("sections[].basis", Text),
            ("due_date", Date),
            ("fee", Text),
            ("minimum_necessary", Bool),
            ("accounting", Bool),
            ("part2_notice", Bool),
        ],
    )
    .choices("sections[].section", &SECTION_CHOICES)
    .choices("sections[].action", &ACTION_CHOICES)
    .choices("sections[].ask_for", &ASK_FOR_CHOICES)
    .choices(
        "sections[].basis",
        &basis_choices()
            .iter()
            .map(|(id, label)| (*id, label.as_str()))
            .collect::<Vec<_>>(),
    )
    .choices("fee", &FEE_CHOICES)
}

/// The legal bases a section decision rests on, as `(answer id, label, regulation)`: every
/// reference of [`super::refs`] that decides a section (the deadline, fee, minimum-necessary,
/// accounting and notice references answer other fields).
pub const BASES: [(&str, &str, &str); 41] = [
    (
        "identity",
        "Verification of identity and authority",
        refs::IDENTITY,
    ),
    (
        "access",
        "The right of access to the designated record set",
        refs::ACCESS,
    ),
    (
        "access_psychotherapy",
        "Psychotherapy notes are outside the right of access (unreviewable denial)",
        refs::ACCESS_PSYCHOTHERAPY,
    ),
    (
        "access_reviewable",
        "Reviewable denials on a professional's judgment of harm",
        refs::ACCESS_REVIEWABLE,
    ),
    (
        "access_format",
        "Form and format, and copies directed to a third party",
        refs::ACCESS_FORMAT,
    ),
    (
        "representative",
        "Personal representatives are treated as the individual",
        refs::REPRESENTATIVE,
    ),
    ("parent", "Parents of unemancipated minors", refs::PARENT),
    (
        "minor_consented",
        "Care a minor consented to: state law, then professional discretion",
        refs::MINOR_CONSENTED,
    ),
    (
        "decedent_representative",
        "Executors and administrators of decedents",
        refs::DECEDENT_REPRESENTATIVE,
    ),
    (
        "abuse",
        "Abuse, neglect or endangerment by a representative",
        refs::ABUSE,
    ),
    (
        "decedent_fifty_years",
        "Decedents' PHI is protected for 50 years after death",
        refs::DECEDENT_FIFTY_YEARS,
    ),
    (
        "family_decedent",
        "Family involved in a decedent's care",
        refs::FAMILY_DECEDENT,
    ),
    (
        "authorization_required",
        "An authorization is required",
        refs::AUTHORIZATION_REQUIRED,
    ),
    (
        "authorization_valid",
        "A disclosure under a valid authorization",
        refs::AUTHORIZATION_VALID,
    ),
    (
        "authorization_psychotherapy",
        "Psychotherapy notes need an authorization of their own",
        refs::AUTHORIZATION_PSYCHOTHERAPY,
    ),
    (
        "authorization_elements",
        "Core elements and required statements",
        refs::AUTHORIZATION_ELEMENTS,
    ),
    (
        "authorization_expiration",
        "The expiration date or event",
        refs::AUTHORIZATION_EXPIRATION,
    ),
    (
        "authorization_signature",
        "Signature and date",
        refs::AUTHORIZATION_SIGNATURE,
    ),
    (
        "authorization_revoked",
        "Revocation",
        refs::AUTHORIZATION_REVOKED,
    ),
    (
        "authorization_compound",
        "Compound authorizations",
        refs::AUTHORIZATION_COMPOUND,
    ),
    (
        "authorization_conditioned",
        "Conditioning",
        refs::AUTHORIZATION_CONDITIONED,
    ),
    ("treatment", "Disclosures for treatment", refs::TREATMENT),
    (
        "payment",
        "Disclosures for another covered entity's payment",
        refs::PAYMENT,
    ),
    ("court_order", "Court or tribunal orders", refs::COURT_ORDER),
    (
        "psychotherapy_required_by_law",
        "Psychotherapy notes where the law requires the disclosure",
        refs::PSYCHOTHERAPY_REQUIRED_BY_LAW,
    ),
    (
        "subpoena",
        "Subpoenas without an order: satisfactory assurance",
        refs::SUBPOENA,
    ),
    (
        "law_enforcement_process",
        "Law enforcement with judicial process",
        refs::LAW_ENFORCEMENT_PROCESS,
    ),
    (
        "law_enforcement_administrative",
        "Law enforcement with an administrative request",
        refs::LAW_ENFORCEMENT_ADMINISTRATIVE,
    ),
    (
        "law_enforcement_identify",
        "Identifying or locating a suspect, fugitive, material witness or missing person",
        refs::LAW_ENFORCEMENT_IDENTIFY,
    ),
    ("public_health", "Public health", refs::PUBLIC_HEALTH),
    (
        "public_health_required",
        "Public health where the report is required by law",
        refs::PUBLIC_HEALTH_REQUIRED,
    ),
    (
        "research",
        "Research under an IRB or privacy-board waiver",
        refs::RESEARCH,
    ),
    (
        "part2_patient",
        "A patient's own access to Part 2 records",
        refs::PART2_PATIENT,
    ),
    ("part2_consent", "Part 2 consent", refs::PART2_CONSENT),
    (
        "part2_minor",
        "Minor patients: who consents depends on state law",
        refs::PART2_MINOR,
    ),
    (
        "part2_representative",
        "Consent for a deceased or incompetent patient",
        refs::PART2_REPRESENTATIVE,
    ),
    (
        "part2_subpoena",
        "A subpoena alone never suffices; a Subpart E order is needed",
        refs::PART2_SUBPOENA,
    ),
    (
        "part2_criminal",
        "An order to investigate or prosecute a patient",
        refs::PART2_CRIMINAL,
    ),
    ("part2_order", "A Subpart E order", refs::PART2_ORDER),
    (
        "part2_research",
        "Research with Part 2 records",
        refs::PART2_RESEARCH,
    ),
    ("state_law", "State law and preemption", refs::STATE_LAW),
];

/// The basis choices of the form: the label with its regulation.
fn basis_choices() -> Vec<(&'static str, String)> {
    BASES
        .iter()
        .map(|(id, label, reference)| (*id, format!("{label} ({reference})")))
        .collect()
}

/// The answer id of the legal basis `reference` (a [`super::refs`] constant); `None` for one
/// that decides no section.
#[must_use]
pub fn basis_id(reference: &str) -> Option<&'static str> {
    BASES
        .iter()
        .find(|(_, _, r)| *r == reference)
        .map(|(id, _, _)| *id)
}

/// A form line: the label, then the value or a blank to fill.
fn line(out: &mut String, label: &str, value: Option<String>) {
    let value = value.unwrap_or_else(|| "________________________".to_owned());
    out.push_str(&format!("  {label:<34} {value}\n"));
}

fn yes_no(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}

impl RoiMaterial {
    /// The request as the records clerk reads it (no decisions, no list of defects).
    #[must_use]
    pub fn printout(&self) -> String {
        let r = &self.request;
        let mut out = format!(
            "RELEASE OF INFORMATION — worked on {}\n\nREQUEST\n",
            self.as_of
        );
        let mut patient = format!("{} (MRN {})", self.patient_name, self.mrn);
        if let Some(b) = r.patient.birth_date {
            patient.push_str(&format!(", born {b}"));
        }
        if let Some(d) = r.patient.died {
            patient.push_str(&format!(", died {d}"));
        }
        line(&mut out, "Patient:", Some(patient));
        if r.patient.emancipated {
            line(
                &mut out,
                "Patient's status:",
                Some("emancipated minor (court decree on file)".to_owned()),
            );
        }
        let (who, capacity) = requester_text(&r.requester);
        line(&mut out, "From:", Some(who));
        line(&mut out, "Capacity / process:", Some(capacity));
        line(&mut out, "Received:", Some(r.received.to_string()));
        let sections: Vec<&str> = r.sections.iter().map(|s| s.name()).collect();
        line(&mut out, "Sections requested:", Some(sections.join("; ")));
        line(&mut out, "Format:", Some(format_text(r)));
        line(
            &mut out,
            "Purpose stated:",
            Some(r.purpose.clone().unwrap_or_else(|| "not stated".to_owned())),
        );
        out.push_str("\nEVIDENCE CHECKED AT THE DESK\n");
        evidence(&mut out, r);
        match &r.authorization {
            Some(a) => authorization_form(&mut out, a, r),
            None => out.push_str("\nNo HIPAA authorization accompanies the request.\n"),
        }
        match &r.part2_consent {
            Some(c) => part2_form(&mut out, c, self),
            None if r.sections.contains(&Section::Part2Records) => {
                out.push_str("\nNo 42 CFR Part 2 consent accompanies the request.\n");
            }
            None => {}
        }
        state_rules(&mut out, r);
        out
    }
}

/// Who asks and in what capacity, as the letter says it.
fn requester_text(q: &Requester) -> (String, String) {
    let s = |a: &str, b: String| (a.to_owned(), b);
    match q {
        Requester::Patient => s("the patient", "for their own records".to_owned()),
        Requester::Parent {
            non_custodial,
            court_order_limits,
        } => {
            let mut c = if *non_custodial {
                "parent, without physical custody".to_owned()
            } else {
                "parent with custody".to_owned()
            };
            if *court_order_limits {
                c.push_str("; a court order on file limits this parent's health-care authority");
            }
            s("a parent of the patient", c)
        }
        Requester::PersonalRepresentative { authority } => s(
            "a personal representative",
            match authority {
                RepresentativeAuthority::HealthCarePowerOfAttorney => {
                    "agent under a durable power of attorney for health care".to_owned()
                }
                RepresentativeAuthority::Guardian => "court-appointed guardian".to_owned(),
            },
        ),
        Requester::Executor => s(
            "the executor of the patient's estate",
            "for the deceased patient's estate".to_owned(),
        ),
        Requester::FamilyInvolvedInCare {
            involvement_documented,
        } => s(
            "a family member",
            if *involvement_documented {
                "involved in the patient's care (care conferences documented in the chart)"
                    .to_owned()
            } else {
                "says they helped with the patient's care (nothing in the chart)".to_owned()
            },
        ),
        Requester::Attorney => s(
            "an attorney",
            "law firm letterhead, no court order".to_owned(),
        ),
        Requester::Insurer {
            health_plan_paying_for_care,
        } => s(
            "an insurer",
            if *health_plan_paying_for_care {
                "the health plan paying for this patient's care".to_owned()
            } else {
                "a life or disability insurer underwriting a policy".to_owned()
            },
        ),
        Requester::Provider => s(
            "a health care provider",
            "treating the patient (referral letter)".to_owned(),
        ),
        Requester::CourtOrder {
            ordered,
            part2_order,
        } => {
            let names: Vec<&str> = ordered.iter().map(|x| x.name()).collect();
            let mut c = format!("order signed by a judge, naming: {}", names.join("; "));
            if *part2_order {
                c.push_str("; the order makes the findings of 42 CFR 2.64");
            }
            s("a court", c)
        }
        Requester::Subpoena {
            notice_assurance,
            protective_order_assurance,
        } => s(
            "counsel in a lawsuit",
            format!(
                "subpoena signed by counsel, no court order; statement that the patient was \
                 notified and did not object: {}; statement on a qualified protective order: {}",
                if *notice_assurance {
                    "attached"
                } else {
                    "none"
                },
                if *protective_order_assurance {
                    "attached"
                } else {
                    "none"
                }
            ),
        ),
        Requester::LawEnforcement { basis } => s("a police officer", law_text(*basis)),
        Requester::PublicHealth {
            authorized_by_law,
            required_by_law,
        } => s(
            "a public-health authority",
            format!(
                "authorized by law to collect this information: {}; report required by law: {}",
                yes_no(*authorized_by_law),
                yes_no(*required_by_law)
            ),
        ),
        Requester::Researcher { irb_waiver } => s(
            "a researcher",
            if *irb_waiver {
                "IRB-approved waiver of authorization attached".to_owned()
            } else {
                "study protocol attached; no IRB waiver".to_owned()
            },
        ),
        Requester::Employer => s("the patient's employer", "human resources".to_owned()),
        Requester::Other { description } => (description.clone(), "as stated".to_owned()),
    }
}

fn law_text(b: LawEnforcementBasis) -> String {
    match b {
        LawEnforcementBasis::CourtOrderOrWarrant => "court-ordered warrant".to_owned(),
        LawEnforcementBasis::JudicialSubpoena => "subpoena issued by a judge".to_owned(),
        LawEnforcementBasis::GrandJurySubpoena => "grand-jury subpoena".to_owned(),
        LawEnforcementBasis::AdministrativeRequest {
            relevant_specific_limited,
        } => format!(
            "administrative subpoena; it states the information is relevant and material, the \
             request specific and limited, and de-identified data would not do: {}",
            yes_no(relevant_specific_limited)
        ),
        LawEnforcementBasis::IdentifyOrLocate => {
            "no warrant or subpoena; asks to identify and locate a suspect".to_owned()
        }
        LawEnforcementBasis::NoProcess => "no warrant, order or subpoena".to_owned(),
    }
}

fn format_text(r: &Request) -> String {
    let mut f = match r.format.medium {
        Medium::Paper => "paper copy".to_owned(),
        Medium::Electronic => "electronic copy".to_owned(),
    };
    f.push_str(if r.format.kept_electronically {
        " (the record is kept electronically)"
    } else {
        " (the record is kept on paper)"
    });
    if let Some(to) = &r.format.directed_to {
        f.push_str(&format!("; send it to {to}"));
    }
    f
}

fn evidence(out: &mut String, r: &Request) {
    let e = &r.evidence;
    line(
        out,
        "Identity:",
        Some(
            if e.identity_verified {
                "verified"
            } else {
                "not verified"
            }
            .to_owned(),
        ),
    );
    line(
        out,
        "Documents of authority:",
        Some(
            if e.authority_verified {
                "on file"
            } else {
                "none presented"
            }
            .to_owned(),
        ),
    );
    if e.abuse_or_endangerment_concern {
        line(
            out,
            "Social work note:",
            Some("concern that the requester abuses or endangers the patient".to_owned()),
        );
    }
    if e.unpaid_bill {
        line(
            out,
            "Patient account:",
            Some("balance unpaid for care".to_owned()),
        );
    }
    if !r.patient.minor_consented_care.is_empty() {
        let names: Vec<&str> = r
            .patient
            .minor_consented_care
            .iter()
            .map(|s| s.name())
            .collect();
        line(out, "Care the minor consented to:", Some(names.join("; ")));
    }
    if r.patient.objected_to_family_disclosure {
        line(
            out,
            "Chart note:",
            Some("the patient objected to disclosures to family".to_owned()),
        );
    }
    if let Some(h) = &r.harm_judgment {
        let ground = match h.ground {
            HarmGround::EndangerLifeOrSafety => {
                "access is reasonably likely to endanger life or physical safety"
            }
            HarmGround::SubstantialHarmToPersonNamed => {
                "the records name another person, whom access is likely to harm substantially"
            }
            HarmGround::SubstantialHarmThroughRepresentative => {
                "access by this representative is likely to cause substantial harm"
            }
            HarmGround::WouldUpset => "the records would upset the patient",
        };
        let names: Vec<&str> = h.sections.iter().map(|s| s.name()).collect();
        line(
            out,
            "Treating clinician's note:",
            Some(format!("{ground} ({})", names.join("; "))),
        );
    }
}

fn authorization_form(out: &mut String, a: &Authorization, r: &Request) {
    let has = |e: AuthorizationElement| !a.missing.contains(&e);
    out.push_str("\nAUTHORIZATION FOR THE RELEASE OF HEALTH INFORMATION\n");
    let covers = match &a.covers {
        Coverage::CompleteRecord => "the complete medical record".to_owned(),
        Coverage::Sections(list) => {
            let names: Vec<&str> = list.iter().map(|s| s.name()).collect();
            names.join("; ")
        }
    };
    let text = |e: AuthorizationElement, s: String| has(e).then_some(s);
    line(
        out,
        "Information to be released:",
        text(AuthorizationElement::Description, covers),
    );
    line(
        out,
        "Who may release it:",
        text(
            AuthorizationElement::WhoMayDisclose,
            "this hospital's health information department".to_owned(),
        ),
    );
    let (who, _) = requester_text(&r.requester);
    line(
        out,
        "Who may receive it:",
        text(AuthorizationElement::Recipient, who),
    );
    line(
        out,
        "Purpose:",
        text(
            AuthorizationElement::Purpose,
            r.purpose
                .clone()
                .unwrap_or_else(|| "at the request of the individual".to_owned()),
        ),
    );
    let expires = a.expires.as_ref().map(|x| match x {
        Expiration::Date(d) => d.to_string(),
        Expiration::Event(e) => e.clone(),
        Expiration::NoneForResearch => "none (end of the research study)".to_owned(),
    });
    line(out, "Expires on (date or event):", expires);
    line(out, "Signature:", a.signed.map(|_| "signed".to_owned()));
    line(out, "Date signed:", a.signed.map(|d| d.to_string()));
    line(
        out,
        "Representative's authority:",
        text(
            AuthorizationElement::RepresentativeAuthority,
            "stated (or signed by the patient)".to_owned(),
        ),
    );
    for (e, label, words) in [
        (
            AuthorizationElement::RevocationStatement,
            "Right to revoke:",
            "I may revoke this authorization in writing at any time",
        ),
        (
            AuthorizationElement::ConditioningStatement,
            "Conditioning:",
            "treatment, payment, enrollment or eligibility do not depend on signing",
        ),
        (
            AuthorizationElement::RedisclosureStatement,
            "Redisclosure:",
            "the recipient may redisclose it and it may lose federal protection",
        ),
    ] {
        line(out, label, text(e, words.to_owned()));
    }
    if a.combined_with_other_document {
        line(
            out,
            "Printed on:",
            Some("the same page as the consent to treatment".to_owned()),
        );
    }
    if a.conditioned {
        line(
            out,
            "Registration note:",
            Some(
                "the patient was told care would be scheduled only once this was signed".to_owned(),
            ),
        );
    }
    if a.research {
        line(out, "Study:", Some("a research study".to_owned()));
    }
    line(
        out,
        "Written revocation received:",
        Some(yes_no(a.revoked).to_owned()),
    );
}

fn part2_form(out: &mut String, c: &Part2Consent, m: &RoiMaterial) {
    let has = |e: Part2Element| !c.missing.contains(&e);
    let text = |e: Part2Element, s: &str| has(e).then(|| s.to_owned());
    out.push_str("\nCONSENT TO DISCLOSE SUBSTANCE USE DISORDER RECORDS (42 CFR PART 2)\n");
    line(
        out,
        "Patient's name:",
        has(Part2Element::PatientName).then(|| m.patient_name.clone()),
    );
    line(
        out,
        "Who may disclose:",
        text(Part2Element::WhoMayDisclose, "the hospital's SUD program"),
    );
    line(
        out,
        "Information (SUD described):",
        text(
            Part2Element::Description,
            "treatment records, including substance use disorder diagnosis and treatment",
        ),
    );
    let (who, _) = requester_text(&m.request.requester);
    line(
        out,
        "Who may receive it:",
        has(Part2Element::Recipient).then_some(who),
    );
    line(
        out,
        "Purpose:",
        has(Part2Element::Purpose).then(|| {
            m.request
                .purpose
                .clone()
                .unwrap_or_else(|| "at the request of the patient".to_owned())
        }),
    );
    line(
        out,
        "Right to revoke:",
        text(
            Part2Element::RevocationStatement,
            "I may revoke this consent at any time, except where acted on",
        ),
    );
    let expires = match c.expires {
        Some(d) => Some(d.to_string()),
        None => Some("one year from signing".to_owned()),
    };
    line(
        out,
        "Expires:",
        expires.filter(|_| has(Part2Element::Expiration)),
    );
    line(
        out,
        "Patient's signature:",
        text(Part2Element::Signature, "signed"),
    );
    line(out, "Date signed:", text(Part2Element::Date, "dated"));
    line(
        out,
        "Written revocation received:",
        Some(yes_no(c.revoked).to_owned()),
    );
}

fn state_rules(out: &mut String, r: &Request) {
    let s = &r.settings;
    let mut rules: Vec<(&str, String)> = Vec::new();
    if let Some(x) = &s.state {
        rules.push(("State:", x.clone()));
    }
    if let Some(x) = s.age_of_majority {
        rules.push(("Age of majority:", x.to_string()));
    }
    if let Some(x) = s.noncustodial_parent_has_authority {
        rules.push((
            "Non-custodial parents keep authority:",
            yes_no(x).to_owned(),
        ));
    }
    if let Some(x) = s.parent_access_to_minor_consented_care {
        rules.push((
            "Parents' access to minor-consented care:",
            format!("{x:?}").to_lowercase(),
        ));
    }
    if let Some(x) = s.state_protected_needs_specific_authorization {
        rules.push((
            "HIV/genetic data need a specific authorization:",
            yes_no(x).to_owned(),
        ));
    }
    if let Some(x) = &s.state_fee_schedule {
        rules.push(("State copy-fee schedule:", x.clone()));
    }
    if let Some(x) = s.unpaid_bill_no_bar_to_access {
        rules.push(("An unpaid bill does not bar access:", yes_no(x).to_owned()));
    }
    if rules.is_empty() {
        return;
    }
    out.push_str("\nSTATE RULES (from the department's ROI policy)\n");
    for (label, value) in rules {
        line(out, label, Some(value));
    }
}
