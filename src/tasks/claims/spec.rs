//! The claims task's settings in a scenario file (`task: Claims((...))`): the form, the
//! exercise, the payers, the services of the encounter with their charge-master prices, and the
//! provider and facility. docs/domain/claims.md §7.

use serde::{Deserialize, Serialize};

use super::model::Coverage;
use crate::patient::Setting;
use crate::tasks::{SpecProblem, TaskContext};

/// Claims settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClaimsSpec {
    /// What the learner is asked to do.
    pub instructions: String,
    /// The form the claim is billed on.
    pub form: ClaimForm,
    /// Complete a claim, correct a prefilled one, or resubmit a denied one.
    #[serde(default)]
    pub exercise: Exercise,
    /// The primary payer.
    pub primary: PayerSpec,
    /// A secondary payer, when the patient has one.
    #[serde(default)]
    pub secondary: Option<PayerSpec>,
    /// The documented services, each with its charge-master line (none on a hospice claim:
    /// its lines come from the hospice timeline and the visit log).
    #[serde(default)]
    pub services: Vec<ServiceSpec>,
    /// The rendering (professional) or attending (institutional) provider's name.
    pub provider: String,
    /// The billing provider: the practice or the hospital.
    pub facility: String,
    /// Inpatient stays: FL 14 priority of admission and FL 15 point of origin.
    #[serde(default)]
    pub admission: Option<AdmissionSpec>,
    /// FL 17 discharge status (default "01", home or self-care).
    #[serde(default = "home")]
    pub discharge_status: String,
    /// A hospice claim (`form: Hospice`): the hospice timeline and the document to file.
    #[serde(default)]
    pub hospice: Option<Box<HospiceClaimSpec>>,
}

/// A hospice claim: the hospice timeline, generated as the hospice kind's scenarios write it,
/// and which of the documents built from it the learner files. docs/domain/claims.md §7.7.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HospiceClaimSpec {
    /// How the timeline is generated (`crate::tasks::hospice::generate_timeline`).
    pub timeline: crate::tasks::hospice::generate_timeline::TimelineSpec,
    /// The document of the current stay to file.
    pub document: HospiceDocument,
}

/// Which hospice document of the current stay the learner files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum HospiceDocument {
    /// A monthly claim (8x1-8x4).
    MonthlyClaim(HospiceMonth),
    /// The notice of election (8xA; 8xC for a transfer in).
    Noe,
    /// The notice of termination/revocation (8xB).
    Notr,
}

/// Which month of the current stay.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum HospiceMonth {
    /// The n-th monthly claim of the stay (1 = the first month).
    Month(u32),
    /// The first month with a day of continuous home care, respite or general inpatient care.
    LevelOfCareChange,
}

fn home() -> String {
    "01".to_string()
}

/// The claim form and, for the UB-04, its bill class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ClaimForm {
    /// CMS-1500 (837P): a physician or practice bills its services.
    Professional,
    /// UB-04 (837I): a hospital bills the facility's services.
    Institutional(BillClass),
    /// UB-04 (837I) of a hospice (081x): the spec's `hospice` says which document.
    Hospice,
}

impl ClaimForm {
    /// Whether the claim is a UB-04 (an institutional or a hospice claim).
    #[must_use]
    pub fn is_ub04(self) -> bool {
        match self {
            Self::Professional => false,
            Self::Institutional(_) | Self::Hospice => true,
        }
    }
}

/// The facility and care type digits of FL 4.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum BillClass {
    /// 011x hospital inpatient (Part A).
    Inpatient,
    /// 013x hospital outpatient (the emergency department included).
    Outpatient,
}

impl BillClass {
    /// "11" or "13".
    #[must_use]
    pub fn digits(self) -> &'static str {
        match self {
            Self::Inpatient => "11",
            Self::Outpatient => "13",
        }
    }
}

/// What the learner does with the claim.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Exercise {
    /// Fill in the claim from the printout.
    #[default]
    Complete,
    /// Correct a prefilled claim with these errors planted in it.
    Correct(Vec<PlantedError>),
    /// The first claim was denied for this reason: correct it and send a replacement
    /// (frequency code 7) that names the original claim.
    Resubmit(Denial),
}

/// A denial: the original claim and why it came back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Denial {
    /// Why the payer denied the first claim, as its remittance advice says.
    pub reason: String,
}

/// An error planted in a prefilled claim, each one the scrubber finds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum PlantedError {
    /// Item 1a / FL 60 insured's ID left blank.
    InsuredIdMissing,
    /// Item 3 / FL 11 the patient's sex left blank.
    SexMissing,
    /// Item 21 ICD indicator left blank (CMS-1500).
    IcdIndicatorMissing,
    /// Item 24E line 1 points to an empty item-21 line (CMS-1500).
    PointerToEmptyLine,
    /// Item 24B line 1 place of service left blank (CMS-1500).
    PlaceOfServiceMissing,
    /// Item 28 / FL 47 0001: the total is not the sum of the lines.
    TotalNotSum,
    /// Item 33a / FL 56 the billing NPI fails the check digit.
    BillingNpiCheckDigit,
    /// FL 45 line 1 service date outside the statement period (UB-04).
    LineDateOutsidePeriod,
    /// FL 67 POA indicator of the principal diagnosis left blank (UB-04 inpatient).
    PoaMissing,
    /// FL 69 admitting diagnosis left blank (UB-04 inpatient).
    AdmittingDxMissing,
}

impl PlantedError {
    /// Every planted error.
    pub const ALL: [PlantedError; 10] = [
        Self::InsuredIdMissing,
        Self::SexMissing,
        Self::IcdIndicatorMissing,
        Self::PointerToEmptyLine,
        Self::PlaceOfServiceMissing,
        Self::TotalNotSum,
        Self::BillingNpiCheckDigit,
        Self::LineDateOutsidePeriod,
        Self::PoaMissing,
        Self::AdmittingDxMissing,
    ];

    /// Whether the error can be planted on a claim of this form.
    #[must_use]
    pub fn fits(self, form: ClaimForm) -> bool {
        match self {
            Self::InsuredIdMissing
            | Self::SexMissing
            | Self::TotalNotSum
            | Self::BillingNpiCheckDigit => true,
            Self::IcdIndicatorMissing | Self::PointerToEmptyLine | Self::PlaceOfServiceMissing => {
                form == ClaimForm::Professional
            }
            Self::LineDateOutsidePeriod => form.is_ub04(),
            Self::PoaMissing | Self::AdmittingDxMissing => {
                form == ClaimForm::Institutional(BillClass::Inpatient)
            }
        }
    }
}

/// A payer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PayerSpec {
    /// The payer's name, as the insurance card and the claim give it.
    pub name: String,
    /// Item 1: the type of coverage.
    pub coverage: Coverage,
    /// Item 11: the insured's policy group ("NONE" for Medicare when nothing is primary).
    #[serde(default)]
    pub group: String,
}

/// One documented service and its charge-master line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceSpec {
    /// The HCPCS Level II code (no CPT descriptors are shipped); required on a CMS-1500 and
    /// an outpatient UB-04, left out for inpatient accommodation and ancillary lines.
    #[serde(default)]
    pub hcpcs: String,
    /// The revenue code the charge master maps it to (UB-04 FL 42), four digits.
    pub revenue_code: String,
    /// The charge master's description.
    pub description: String,
    /// The charge of one unit, cents.
    pub unit_charge_cents: u64,
    /// Units documented.
    pub units: u32,
    /// The day of the encounter it was given on (0 = the first day).
    #[serde(default)]
    pub day: u32,
}

/// Inpatient admission codes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdmissionSpec {
    /// FL 14: 1 emergency, 2 urgent, 3 elective, 4 newborn, 5 trauma.
    pub priority: String,
    /// FL 15: 1 non-health-care facility, 2 clinic or physician office, 4 transfer from a
    /// hospital, …
    pub origin: String,
}

/// The encounter setting a form fits.
fn setting_for(form: ClaimForm) -> &'static [Setting] {
    match form {
        ClaimForm::Professional => &[Setting::Office, Setting::Emergency],
        ClaimForm::Institutional(BillClass::Inpatient) => &[Setting::Inpatient],
        ClaimForm::Institutional(BillClass::Outpatient) => &[Setting::Emergency],
        ClaimForm::Hospice => &[Setting::Hospice],
    }
}

/// The most service lines a case bills (the CMS-1500 prints 6; the UB-04 22 a page).
pub const MAX_SERVICES: usize = 6;

/// What scenario validation checks in the spec.
#[must_use]
pub fn problems(ctx: &TaskContext<'_>, spec: &ClaimsSpec) -> Vec<SpecProblem> {
    let mut out = Vec::new();
    let setting = ctx.patient.encounter.setting;
    if !setting_for(spec.form).contains(&setting) {
        out.push(SpecProblem::error(
            "patient.encounter.setting",
            format!("setting {setting:?} does not fit the form {:?}", spec.form),
            "a CMS-1500 bills an office or ED visit, an outpatient UB-04 an ED visit, an \
             inpatient UB-04 a stay",
        ));
    }
    if spec.form == ClaimForm::Hospice {
        out.extend(hospice_problems(ctx, spec));
    } else if spec.hospice.is_some() {
        out.push(SpecProblem::error(
            "task.hospice",
            "only a hospice claim has hospice settings",
            "write `form: Hospice` or remove `hospice`",
        ));
    }
    if spec.form != ClaimForm::Hospice
        && (spec.services.is_empty() || spec.services.len() > MAX_SERVICES)
    {
        out.push(SpecProblem::error(
            "task.services",
            format!(
                "{} services: a case bills 1 to {MAX_SERVICES}",
                spec.services.len()
            ),
            "list the documented services with their charge-master lines",
        ));
    }
    for (i, s) in spec.services.iter().enumerate() {
        out.extend(service_problems(i, s, ctx, spec.form));
    }
    let inpatient = spec.form == ClaimForm::Institutional(BillClass::Inpatient);
    if inpatient != spec.admission.is_some() {
        out.push(SpecProblem::error(
            "task.admission",
            if inpatient {
                "an inpatient claim needs FL 14 and FL 15"
            } else {
                "only an inpatient claim has admission codes"
            },
            if inpatient {
                "add `admission: (priority: \"1\", origin: \"1\")`"
            } else {
                "remove `admission`"
            },
        ));
    }
    if let Some(a) = &spec.admission {
        if !matches!(a.priority.as_str(), "1" | "2" | "3" | "4" | "5" | "9") {
            out.push(SpecProblem::error(
                "task.admission.priority",
                format!("\"{}\" is not an FL 14 code", a.priority),
                "1 emergency, 2 urgent, 3 elective, 4 newborn, 5 trauma, 9 not available",
            ));
        }
        if !matches!(a.origin.as_str(), "1" | "2" | "4" | "5" | "6" | "8" | "9") {
            out.push(SpecProblem::error(
                "task.admission.origin",
                format!("\"{}\" is not an FL 15 code", a.origin),
                "1 non-health-care facility, 2 clinic, 4 hospital transfer, 5 SNF, 6 other facility, 8 court, 9 not available",
            ));
        }
    }
    if !matches!(
        spec.discharge_status.as_str(),
        "01" | "02" | "03" | "06" | "07" | "20"
    ) {
        out.push(SpecProblem::error(
            "task.discharge_status",
            format!(
                "\"{}\" is not a discharge status this kind bills",
                spec.discharge_status
            ),
            "use 01, 02, 03, 06, 07 or 20 (a hospice claim's status comes from its timeline)",
        ));
    }
    out.extend(exercise_problems(spec));
    for (name, p) in [
        ("primary", Some(&spec.primary)),
        ("secondary", spec.secondary.as_ref()),
    ] {
        if let Some(p) = p
            && p.name.trim().is_empty()
        {
            out.push(SpecProblem::error(
                format!("task.{name}.name"),
                "the payer has no name",
                "name the payer as its card does",
            ));
        }
    }
    // The member ID comes from the generated patient's payer: it must be the claim's.
    for (i, p) in ctx.patient.payers.iter().enumerate() {
        if p.value != spec.primary.name {
            out.push(SpecProblem::error(
                format!("patient.payers[{i}]"),
                format!(
                    "the patient can be insured by \"{}\", but the claim's primary payer is \"{}\"",
                    p.value, spec.primary.name
                ),
                format!(
                    "write `payers: [(weight: 1, value: \"{}\")]`",
                    spec.primary.name
                ),
            ));
        }
    }
    if spec.provider.trim().is_empty() || spec.facility.trim().is_empty() {
        out.push(SpecProblem::error(
            "task.provider",
            "the provider and the facility need names",
            "e.g. `provider: \"Dana Reyes, MD\"`, `facility: \"Riverside Family Medicine\"`",
        ));
    }
    out
}

fn service_problems(
    i: usize,
    s: &ServiceSpec,
    ctx: &TaskContext<'_>,
    form: ClaimForm,
) -> Vec<SpecProblem> {
    let mut out = Vec::new();
    let item = |f: &str| format!("task.services[{i}].{f}");
    let hcpcs = s.hcpcs.trim();
    let needed = form != ClaimForm::Institutional(BillClass::Inpatient);
    if (needed || !hcpcs.is_empty())
        && (hcpcs.len() != 5
            || !hcpcs.starts_with(|c: char| c.is_ascii_uppercase())
            || !hcpcs[1..].bytes().all(|b| b.is_ascii_digit()))
    {
        out.push(SpecProblem::error(
            item("hcpcs"),
            format!("\"{hcpcs}\" is not a HCPCS Level II code (a letter and four digits)"),
            "use HCPCS Level II codes (no CPT descriptors are shipped), e.g. G0463",
        ));
    }
    let rev = s.revenue_code.trim();
    if rev.len() != 4 || !rev.bytes().all(|b| b.is_ascii_digit()) || rev == "0001" {
        out.push(SpecProblem::error(
            item("revenue_code"),
            format!("\"{rev}\" is not a revenue code (four digits, not the 0001 total)"),
            "e.g. 0450 emergency room, 0510 clinic, 0120 room and board",
        ));
    }
    if s.units == 0 || s.units > 99 {
        out.push(SpecProblem::error(
            item("units"),
            format!("{} units", s.units),
            "between 1 and 99",
        ));
    }
    if s.unit_charge_cents == 0 || s.unit_charge_cents > 10_000_000 {
        out.push(SpecProblem::error(
            item("unit_charge_cents"),
            format!("{} cents", s.unit_charge_cents),
            "a charge between 1 cent and $100,000",
        ));
    }
    let (lo, hi) = ctx.patient.encounter.length_days;
    let (shortest, longest) = (lo.min(hi), lo.max(hi));
    if s.day > shortest {
        out.push(SpecProblem::error(
            item("day"),
            format!(
                "day {} can fall after the stay, which lasts {shortest} to {longest} days",
                s.day
            ),
            "use a day within the shortest stay",
        ));
    }
    out
}

fn exercise_problems(spec: &ClaimsSpec) -> Vec<SpecProblem> {
    let mut out = Vec::new();
    match &spec.exercise {
        Exercise::Complete => {}
        Exercise::Correct(errors) => {
            if errors.is_empty() {
                out.push(SpecProblem::error(
                    "task.exercise",
                    "a correction exercise without planted errors",
                    "list the errors to plant, e.g. Correct([InsuredIdMissing, TotalNotSum])",
                ));
            }
            for (i, e) in errors.iter().enumerate() {
                if !e.fits(spec.form) {
                    out.push(SpecProblem::error(
                        format!("task.exercise[{i}]"),
                        format!("{e:?} cannot be planted on a {:?} claim", spec.form),
                        "choose errors of the form's items",
                    ));
                }
                if errors[..i].contains(e) {
                    out.push(SpecProblem::error(
                        format!("task.exercise[{i}]"),
                        format!("{e:?} is planted twice"),
                        "list each error once",
                    ));
                }
            }
        }
        Exercise::Resubmit(d) => {
            if d.reason.trim().is_empty() {
                out.push(SpecProblem::error(
                    "task.exercise.reason",
                    "the denial gives no reason",
                    "quote the remittance advice's reason",
                ));
            }
        }
    }
    out
}

/// What a hospice claim's settings need: a timeline the hospice kind accepts, no services,
/// admission or exercise of their own, and a document the timeline gives.
fn hospice_problems(ctx: &TaskContext<'_>, spec: &ClaimsSpec) -> Vec<SpecProblem> {
    use crate::tasks::hospice::EndReason;
    use crate::tasks::hospice::generate_timeline;
    let mut out = Vec::new();
    let Some(h) = &spec.hospice else {
        out.push(SpecProblem::error(
            "task.hospice",
            "a hospice claim needs its timeline and document",
            "add `hospice: (timeline: (stays: [(start_days: (20, 30))]), document: Noe)`",
        ));
        return out;
    };
    if !spec.services.is_empty() {
        out.push(SpecProblem::error(
            "task.services",
            "a hospice claim's lines come from its timeline and visit log",
            "remove `services`",
        ));
    }
    if spec.exercise != Exercise::Complete {
        out.push(SpecProblem::error(
            "task.exercise",
            "a hospice claim is completed, not corrected or resubmitted",
            "remove `exercise`",
        ));
    }
    if spec.primary.coverage != super::model::Coverage::Medicare {
        out.push(SpecProblem::error(
            "task.primary.coverage",
            "the hospice claims here bill Medicare",
            "write `coverage: Medicare`",
        ));
    }
    let Some(current) = h.timeline.stays.last() else {
        out.push(SpecProblem::error(
            "task.hospice.timeline.stays",
            "the timeline has no stay",
            "add a stay, e.g. `stays: [(start_days: (20, 30))]`",
        ));
        return out;
    };
    let problems = generate_timeline::problems(&h.timeline);
    let valid = problems.iter().all(|p| p.warning);
    out.extend(problems.into_iter().map(|p| SpecProblem {
        item: p.item.replacen("task.timeline", "task.hospice.timeline", 1),
        ..p
    }));
    if valid {
        out.extend(
            generate_timeline::planting_problems(ctx.scenario_id, &h.timeline, ctx.as_of)
                .into_iter()
                .map(|p| SpecProblem {
                    item: p.item.replacen("task.timeline", "task.hospice.timeline", 1),
                    ..p
                }),
        );
    }
    match h.document {
        HospiceDocument::Noe => {}
        HospiceDocument::Notr => {
            let ends = current.length_days.is_some()
                && matches!(
                    current.end.unwrap_or(EndReason::Revocation),
                    EndReason::Revocation | EndReason::LiveDischarge
                );
            if !ends {
                out.push(SpecProblem::error(
                    "task.hospice.document",
                    "a notice of termination/revocation needs a current stay that ends in a revocation or a live discharge",
                    "give the last stay `length_days` and `end: Some(Revocation)`",
                ));
            }
        }
        HospiceDocument::MonthlyClaim(HospiceMonth::Month(n)) => {
            // Days the current stay lasts at least: its shortest length, or for an open only
            // stay the days from its latest start through the as-of date.
            let shortest = match current.length_days {
                Some((lo, hi)) => Some(lo.min(hi).max(1)),
                None if h.timeline.stays.len() == 1 => {
                    Some(current.start_days.0.min(current.start_days.1) + 1)
                }
                None => None,
            };
            // A stay of d days always spans at least ceil(d / 31) calendar months.
            let months = shortest.map(|d| d.div_ceil(31));
            if n == 0 {
                out.push(SpecProblem::error(
                    "task.hospice.document",
                    "months count from 1",
                    "write `MonthlyClaim(Month(1))` for the first month",
                ));
            } else if let Some(m) = months.filter(|m| n > *m) {
                out.push(SpecProblem::error(
                    "task.hospice.document",
                    format!("month {n} may not exist: the shortest stay the timeline draws can fit in {m} month(s)"),
                    format!("choose a month from 1 to {m}, or lengthen the stay"),
                ));
            }
        }
        HospiceDocument::MonthlyClaim(HospiceMonth::LevelOfCareChange) => {
            if h.timeline.crisis.is_none() {
                out.push(SpecProblem::error(
                    "task.hospice.document",
                    "the month with the level-of-care change needs a crisis in the timeline",
                    "add `crisis: Some((start_day: (10, 14), level: Chc, days: 3))`",
                ));
            }
        }
    }
    out
}
