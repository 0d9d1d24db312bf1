//! The key claim, derived by rules from the case (docs/domain/claims.md §7.3), and the
//! prefilled claim of a correction exercise (the key with its planted errors).
//!
//! Rules, CMS-1500: item 1 from the payer's coverage; 1a the member ID without the card's
//! hyphens; items 4, 6, 7 completed (the patient is the insured) except for Medicare, where
//! they are left blank when Medicare is primary; items 9a/9d from a secondary payer (for
//! Medicare, a Medicare supplement); item 11 the payer's group ("NONE" for Medicare when
//! nothing is primary to it); item 11d yes or no, blank on a Medicare claim; item 14 the onset with
//! qualifier 431; item 21 indicator 0 and the coder's diagnoses without the dot; 24A the
//! service date; 24B the place of service of the encounter (11 office, 23 emergency room);
//! 24E pointer A (the first-listed diagnosis); 24F units × unit price; 24J the rendering NPI;
//! item 22 frequency 7 and the denied claim's number for a resubmission; 28 the sum of 24F.
//!
//! UB-04: FL 4 `0` + bill class + frequency (1 admit through discharge, 7 replacement); FL 6
//! the encounter's first and last day; inpatient FL 12-16 from the stay; FL 17 the scenario's
//! status; revenue lines in ascending order with accommodation (01xx) units = the days of the
//! stay, then the 0001 total; FL 50/60 the payers in order; FL 64 the denied claim's number;
//! FL 67 with POA on an inpatient claim; FL 69 the principal diagnosis; FL 71 the MS-DRG from
//! the grouper; FL 74 the principal procedure; FL 76/77 the provider's NPI.

use super::case::{CasePayer, ClaimCase};
use super::model::{
    Address, Claim, Cms1500, Coverage, DiagnosisPoa, InstitutionalLine, Procedure,
    ProfessionalLine, Provider, QualifiedDate, Relationship, Resubmission, Sex, TaxId, TaxIdKind,
    Ub04,
};
use super::spec::{BillClass, ClaimForm, Exercise, PlantedError};
use crate::patient::Setting;
use crate::terminology::drg;

/// The code as the form takes it: no dot, upper case.
fn undotted(code: &str) -> String {
    code.trim().replace('.', "").to_ascii_uppercase()
}

/// The member ID as a claim takes it: the card's hyphens and spaces dropped.
fn claim_id(p: &CasePayer) -> String {
    p.member_id
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect()
}

fn sex(c: &ClaimCase) -> Sex {
    if c.sex == "F" { Sex::F } else { Sex::M }
}

/// The key claim of a case.
#[must_use]
pub fn key(c: &ClaimCase) -> Claim {
    match c.form {
        ClaimForm::Professional => Claim::Professional(Box::new(professional(c))),
        ClaimForm::Institutional(class) => Claim::Institutional(Box::new(institutional(c, class))),
        // The claim the hospice builder gives for the chosen document.
        ClaimForm::Hospice => Claim::Institutional(Box::new(
            c.hospice
                .as_deref()
                .map(super::hospice_case::key)
                .unwrap_or_default(),
        )),
    }
}

/// "LAST, FIRST" as items 2 and 4 and FL 8 take it.
fn name(c: &ClaimCase) -> String {
    format!(
        "{}, {}",
        c.family_name.to_uppercase(),
        c.given_name.to_uppercase()
    )
}

/// Item 24B: the place of service of the encounter (CMS POS code set).
#[must_use]
pub fn place_of_service(setting: Setting) -> &'static str {
    match setting {
        Setting::Office => "11",
        Setting::Emergency => "23",
        Setting::Inpatient => "21",
        Setting::Hospice => "34",
    }
}

fn professional(c: &ClaimCase) -> Cms1500 {
    let medicare = c.primary.payer.coverage == Coverage::Medicare;
    let address = Address {
        street: c.street.clone(),
        city: c.city.clone(),
        state: c.state.clone(),
        zip: c.zip.clone(),
    };
    let practice = Address {
        street: c.facility_street.clone(),
        ..address.clone()
    };
    let lines: Vec<ProfessionalLine> = c
        .services
        .iter()
        .map(|s| ProfessionalLine {
            from: Some(s.date),
            to: Some(s.date),
            place_of_service: place_of_service(c.setting).to_string(),
            hcpcs: s.hcpcs.clone(),
            modifiers: Vec::new(),
            pointers: "A".to_string(),
            charge_cents: Some(s.unit_charge_cents * u64::from(s.units)),
            units: Some(s.units),
            rendering_npi: c.provider_npi.clone(),
        })
        .collect();
    // Medicare: "NONE" when no insurance is primary to Medicare (a supplement is secondary).
    let group = if c.primary.payer.group.trim().is_empty() && medicare {
        "NONE".to_string()
    } else {
        c.primary.payer.group.clone()
    };
    Cms1500 {
        coverage: Some(c.primary.payer.coverage),
        insured_id: claim_id(&c.primary),
        patient_name: name(c),
        birth_date: Some(c.birth_date),
        sex: Some(sex(c)),
        insured_name: if medicare { String::new() } else { name(c) },
        patient_address: Some(address.clone()),
        relationship: (!medicare).then_some(Relationship::SelfInsured),
        insured_address: (!medicare).then_some(address),
        payer_name: c.primary.payer.name.clone(),
        other_insured_policy: c.secondary.as_ref().map(claim_id).unwrap_or_default(),
        other_plan_name: c
            .secondary
            .as_ref()
            .map(|p| p.payer.name.clone())
            .unwrap_or_default(),
        insured_group: group,
        // NUCC: yes or no; Medicare does not use item 11d (MCPM ch.26 §10.2).
        another_plan: (!medicare).then_some(c.secondary.is_some()),
        current_illness: c.onset.map(|date| QualifiedDate {
            date,
            qualifier: "431".to_string(),
        }),
        referring: None,
        icd_indicator: "0".to_string(),
        diagnoses: c.diagnoses.iter().map(|d| undotted(&d.code)).collect(),
        resubmission: match &c.exercise {
            Exercise::Resubmit(_) => Some(Resubmission {
                code: "7".to_string(),
                original_ref: c.original_claim.clone(),
            }),
            Exercise::Complete | Exercise::Correct(_) => None,
        },
        prior_authorization: String::new(),
        total_charge_cents: Some(lines.iter().filter_map(|l| l.charge_cents).sum()),
        lines,
        tax_id: Some(TaxId {
            kind: TaxIdKind::Ein,
            number: c.ein.clone(),
        }),
        patient_account: c.account.clone(),
        signature: "Signature on File".to_string(),
        signature_date: Some(c.as_of),
        facility: Some(Provider {
            name: c.facility.clone(),
            address: practice.clone(),
            phone: String::new(),
            npi: c.facility_npi.clone(),
        }),
        billing: Some(Provider {
            name: c.facility.clone(),
            address: practice,
            phone: c.facility_phone.clone(),
            npi: c.facility_npi.clone(),
        }),
    }
}

/// FL 42-48: the revenue lines in ascending revenue-code order, then the 0001 total.
fn revenue_lines(c: &ClaimCase, class: BillClass) -> Vec<InstitutionalLine> {
    let outpatient = class == BillClass::Outpatient;
    let mut lines: Vec<InstitutionalLine> = c
        .services
        .iter()
        .map(|s| {
            // Accommodation is billed by the day of the stay (the discharge day not counted).
            let units = if s.revenue_code.starts_with("01") {
                c.stay_days()
            } else {
                s.units
            };
            InstitutionalLine {
                revenue_code: s.revenue_code.clone(),
                description: s.description.clone(),
                hcpcs: if outpatient {
                    s.hcpcs.clone()
                } else {
                    String::new()
                },
                modifiers: Vec::new(),
                service_date: outpatient.then_some(s.date),
                units: Some(units),
                total_cents: Some(s.unit_charge_cents * u64::from(units)),
                non_covered_cents: None,
            }
        })
        .collect();
    lines.sort_by(|a, b| a.revenue_code.cmp(&b.revenue_code));
    let total = lines.iter().filter_map(|l| l.total_cents).sum();
    lines.push(InstitutionalLine {
        revenue_code: "0001".to_string(),
        description: "Total charges".to_string(),
        total_cents: Some(total),
        ..InstitutionalLine::default()
    });
    lines
}

/// The MS-DRG of an inpatient case from the grouper, or empty when it does not group.
#[must_use]
pub fn drg_of(c: &ClaimCase) -> String {
    let Some((first, rest)) = c.diagnoses.split_first() else {
        return String::new();
    };
    let claim = drg::Claim {
        pdx: undotted(&first.code),
        sdx: rest
            .iter()
            .map(|d| {
                (
                    undotted(&d.code),
                    drg::Poa::parse(&d.poa).unwrap_or(drg::Poa::Y),
                )
            })
            .collect(),
        pcs: c.procedures.iter().map(|(p, _, _)| undotted(p)).collect(),
        age: u8::try_from(crate::patient::age_in_years(c.birth_date, c.end)).ok(),
        sex: if c.sex == "F" {
            drg::Sex::F
        } else {
            drg::Sex::M
        },
        discharge: drg::DischargeStatus(c.discharge_status.parse().unwrap_or(1)),
        discharge_date: Some(c.end),
    };
    drg::group(&claim).map(|g| g.drg).unwrap_or_default()
}

fn institutional(c: &ClaimCase, class: BillClass) -> Ub04 {
    let inpatient = class == BillClass::Inpatient;
    let frequency = match c.exercise {
        Exercise::Resubmit(_) => '7',
        Exercise::Complete | Exercise::Correct(_) => '1',
    };
    let poa = |p: &str| {
        if inpatient {
            p.to_string()
        } else {
            String::new()
        }
    };
    let mut dx = c.diagnoses.iter().map(|d| DiagnosisPoa {
        code: undotted(&d.code),
        poa: poa(&d.poa),
    });
    let principal = dx.next();
    let other_diagnoses: Vec<DiagnosisPoa> = dx.collect();
    let mut procedures = c.procedures.iter().map(|(code, _, date)| Procedure {
        code: undotted(code),
        date: Some(*date),
    });
    let principal_procedure = if inpatient { procedures.next() } else { None };
    let other_procedures: Vec<Procedure> = if inpatient {
        procedures.collect()
    } else {
        Vec::new()
    };
    Ub04 {
        type_of_bill: format!("0{}{frequency}", class.digits()),
        statement_from: Some(c.start),
        statement_through: Some(c.end),
        patient_name: name(c),
        birth_date: Some(c.birth_date),
        sex: Some(sex(c)),
        admission_date: inpatient.then_some(c.start),
        admission_hour: inpatient.then_some(c.start_hour),
        admission_type: c
            .admission
            .as_ref()
            .map(|a| a.priority.clone())
            .unwrap_or_default(),
        point_of_origin: c
            .admission
            .as_ref()
            .map(|a| a.origin.clone())
            .unwrap_or_default(),
        discharge_hour: inpatient.then_some(c.end_hour),
        discharge_status: c.discharge_status.clone(),
        condition_codes: Vec::new(),
        occurrences: Vec::new(),
        occurrence_spans: Vec::new(),
        value_codes: Vec::new(),
        lines: revenue_lines(c, class),
        billing_npi: c.facility_npi.clone(),
        payer_names: std::iter::once(&c.primary)
            .chain(c.secondary.iter())
            .map(|p| p.payer.name.clone())
            .collect(),
        insured_id: claim_id(&c.primary),
        other_insured_ids: c.secondary.iter().map(claim_id).collect(),
        document_control_number: match c.exercise {
            Exercise::Resubmit(_) => c.original_claim.clone(),
            Exercise::Complete | Exercise::Correct(_) => String::new(),
        },
        dx_qualifier: "0".to_string(),
        admitting_dx: if inpatient {
            principal
                .as_ref()
                .map(|p| p.code.clone())
                .unwrap_or_default()
        } else {
            String::new()
        },
        principal,
        other_diagnoses,
        pps_code: if inpatient { drg_of(c) } else { String::new() },
        operating_npi: if principal_procedure.is_some() {
            c.provider_npi.clone()
        } else {
            String::new()
        },
        principal_procedure,
        other_procedures,
        attending_npi: c.provider_npi.clone(),
    }
}

/// A different digit: the NPI's check digit changed, so it fails the Luhn check.
fn broken_npi(npi: &str) -> String {
    let mut out: String = npi.chars().take(9).collect();
    let last = npi.chars().nth(9).and_then(|c| c.to_digit(10)).unwrap_or(0);
    out.push(char::from_digit((last + 5) % 10, 10).unwrap_or('0'));
    out
}

/// Plants one error in a claim (errors that do not fit its form leave it as it is).
pub fn plant(claim: &mut Claim, error: PlantedError) {
    match claim {
        Claim::Professional(c) => plant_professional(c, error),
        Claim::Institutional(u) => plant_institutional(u, error),
    }
}

fn plant_professional(c: &mut Cms1500, error: PlantedError) {
    match error {
        PlantedError::InsuredIdMissing => c.insured_id.clear(),
        PlantedError::SexMissing => c.sex = None,
        PlantedError::IcdIndicatorMissing => c.icd_indicator.clear(),
        PlantedError::PointerToEmptyLine => {
            let empty = u8::try_from(c.diagnoses.len().min(11)).unwrap_or(11);
            if let Some(l) = c.lines.first_mut() {
                l.pointers = char::from(b'A' + empty).to_string();
            }
        }
        PlantedError::PlaceOfServiceMissing => {
            if let Some(l) = c.lines.first_mut() {
                l.place_of_service.clear();
            }
        }
        PlantedError::TotalNotSum => {
            c.total_charge_cents = c.total_charge_cents.map(|t| t + 10_000);
        }
        PlantedError::BillingNpiCheckDigit => {
            if let Some(b) = &mut c.billing {
                b.npi = broken_npi(&b.npi);
            }
        }
        PlantedError::LineDateOutsidePeriod
        | PlantedError::PoaMissing
        | PlantedError::AdmittingDxMissing => {}
    }
}

fn plant_institutional(u: &mut Ub04, error: PlantedError) {
    match error {
        PlantedError::InsuredIdMissing => u.insured_id.clear(),
        PlantedError::SexMissing => u.sex = None,
        PlantedError::TotalNotSum => {
            if let Some(t) = u.lines.last_mut() {
                t.total_cents = t.total_cents.map(|x| x + 10_000);
            }
        }
        PlantedError::BillingNpiCheckDigit => u.billing_npi = broken_npi(&u.billing_npi),
        PlantedError::LineDateOutsidePeriod => {
            let before = u
                .statement_from
                .and_then(|d| d.checked_sub_days(chrono::Days::new(3)));
            if let Some(l) = u.lines.first_mut() {
                l.service_date = before;
            }
        }
        PlantedError::PoaMissing => {
            if let Some(p) = &mut u.principal {
                p.poa.clear();
            }
        }
        PlantedError::AdmittingDxMissing => u.admitting_dx.clear(),
        PlantedError::IcdIndicatorMissing
        | PlantedError::PointerToEmptyLine
        | PlantedError::PlaceOfServiceMissing => {}
    }
}

/// The prefilled claim of a correction exercise: the key with every planted error.
#[must_use]
pub fn prefilled(c: &ClaimCase) -> Option<Claim> {
    let Exercise::Correct(errors) = &c.exercise else {
        return None;
    };
    let mut claim = key(c);
    for e in errors {
        plant(&mut claim, *e);
    }
    Some(claim)
}

/// What the scrubber reports for an error planted in `claim`: (form locator, the start of the
/// message).
#[must_use]
pub fn expected_finding(error: PlantedError, claim: &Claim) -> (String, &'static str) {
    let (professional, lines) = match claim {
        Claim::Professional(c) => (true, c.lines.len()),
        Claim::Institutional(u) => (false, u.lines.len()),
    };
    let (locator, message) = match error {
        PlantedError::InsuredIdMissing if professional => {
            ("Item 1a", "insured's ID number is missing")
        }
        PlantedError::InsuredIdMissing => ("FL 60", "insured's unique ID is missing"),
        PlantedError::SexMissing if professional => ("Item 3", "patient's sex is missing"),
        PlantedError::SexMissing => ("FL 11", "patient sex is missing"),
        PlantedError::IcdIndicatorMissing => ("Item 21", "ICD indicator is missing"),
        PlantedError::PointerToEmptyLine => ("Item 24E line 1", "pointer "),
        PlantedError::PlaceOfServiceMissing => ("Item 24B line 1", "place of service is missing"),
        PlantedError::TotalNotSum if professional => ("Item 28", "total charge "),
        PlantedError::TotalNotSum => {
            return (format!("FL 47 line {lines}"), "0001 total ");
        }
        PlantedError::BillingNpiCheckDigit if professional => ("Item 33a", "invalid NPI"),
        PlantedError::BillingNpiCheckDigit => ("FL 56", "invalid NPI"),
        PlantedError::LineDateOutsidePeriod => ("FL 45 line 1", "service date "),
        PlantedError::PoaMissing => ("FL 67 POA", "POA indicator is missing"),
        PlantedError::AdmittingDxMissing => ("FL 69", "admitting diagnosis"),
    };
    (locator.to_string(), message)
}
