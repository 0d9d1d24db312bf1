//! The claims case: what a biller works from, built from the generated patient, the scenario's
//! claims settings and the seed — the patient and the insured, the payers, the encounter's
//! dates, the documented services with their dates, units and charge-master prices, the coded
//! diagnoses (as the coding kind derives them from the patient's conditions) with POA for a
//! stay, the principal procedure, synthetic NPIs, and the printout (face sheet, encounter
//! summary, coded abstract, charge lines). docs/domain/claims.md §7.
//!
//! The printout gives the facts, never the form's codes: the discharge is "home", not "01";
//! the charges are units and a unit price, not the line totals; the bill class, frequency,
//! DRG and diagnosis pointers are for the learner to derive.

use std::fmt::Write as _;

use chrono::{Days, NaiveDate, Timelike};
use serde::{Deserialize, Serialize};

use super::npi;
use super::spec::{AdmissionSpec, BillClass, ClaimForm, ClaimsSpec, Exercise, PayerSpec};
use crate::generate::rng;
use crate::patient::{CodeSystem, Patient, Setting};
use crate::tasks::TaskContext;
use crate::tasks::coding::CodeLine;
use crate::tasks::coding::derive::{coded_conditions, key_lines};
use crate::terminology::edits::CodingSetting;

/// A payer of the case with the patient's member ID with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CasePayer {
    /// The payer as the scenario names it.
    pub payer: PayerSpec,
    /// The member ID as the card prints it.
    pub member_id: String,
}

/// One documented service on its day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseService {
    /// The date given.
    pub date: NaiveDate,
    /// HCPCS Level II code.
    pub hcpcs: String,
    /// Revenue code (UB-04).
    pub revenue_code: String,
    /// The charge master's description.
    pub description: String,
    /// Units documented.
    pub units: u32,
    /// Charge of one unit, cents.
    pub unit_charge_cents: u64,
}

/// A coded diagnosis from the coder's abstract.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseDiagnosis {
    /// ICD-10-CM, with its dot as the coder writes it.
    pub code: String,
    /// What it means.
    pub display: String,
    /// The POA indicator the documentation supports (inpatient), else empty.
    pub poa: String,
}

/// What the learner works from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClaimCase {
    /// The form.
    pub form: ClaimForm,
    /// The exercise.
    pub exercise: Exercise,
    /// Patient name, first and last.
    pub given_name: String,
    /// Family name.
    pub family_name: String,
    /// "M" or "F".
    pub sex: String,
    /// Birth date.
    pub birth_date: NaiveDate,
    /// Street.
    pub street: String,
    /// City.
    pub city: String,
    /// State.
    pub state: String,
    /// ZIP.
    pub zip: String,
    /// The primary payer.
    pub primary: CasePayer,
    /// The secondary payer.
    pub secondary: Option<CasePayer>,
    /// The encounter's number (the patient account number).
    pub account: String,
    /// Where the encounter happened.
    pub setting: Setting,
    /// First day, with the hour (admission hour).
    pub start: NaiveDate,
    /// Hour of arrival or admission.
    pub start_hour: u8,
    /// Last day.
    pub end: NaiveDate,
    /// Hour of discharge.
    pub end_hour: u8,
    /// Inpatient admission codes (priority and origin) from the scenario.
    pub admission: Option<AdmissionSpec>,
    /// FL 17 status from the scenario.
    pub discharge_status: String,
    /// Onset of the first-listed condition, when documented.
    pub onset: Option<NaiveDate>,
    /// The services.
    pub services: Vec<CaseService>,
    /// The coded diagnoses in the coder's sequence.
    pub diagnoses: Vec<CaseDiagnosis>,
    /// ICD-10-PCS procedures (inpatient) with the day they were done.
    pub procedures: Vec<(String, String, NaiveDate)>,
    /// The provider's name.
    pub provider: String,
    /// The provider's NPI.
    pub provider_npi: String,
    /// The facility or practice.
    pub facility: String,
    /// Its NPI (the billing NPI).
    pub facility_npi: String,
    /// Its street.
    pub facility_street: String,
    /// Its phone.
    pub facility_phone: String,
    /// Its EIN, nine digits.
    pub ein: String,
    /// The payer's number of the denied claim (resubmission).
    pub original_claim: String,
    /// Age in years on the first day.
    pub age: u32,
    /// The day the biller works the claim.
    pub as_of: NaiveDate,
    /// A hospice claim's timeline, billing file and document (`form: Hospice`).
    #[serde(default)]
    pub hospice: Option<Box<super::hospice_case::HospiceCase>>,
}

/// The day `start` plus `days`.
fn plus(start: NaiveDate, days: u32) -> NaiveDate {
    start
        .checked_add_days(Days::new(u64::from(days)))
        .unwrap_or(start)
}

/// The coded diagnoses and procedures of the patient, as the coding kind derives them: the
/// required codes (never-coded and optional lines left out), POA for a stay.
fn coded(
    ctx: &TaskContext<'_>,
    patient: &Patient,
    inpatient: bool,
) -> (Vec<CaseDiagnosis>, Vec<(String, String)>) {
    let conditions = coded_conditions(ctx.patient, patient);
    let setting = if inpatient {
        CodingSetting::Inpatient
    } else {
        CodingSetting::Outpatient
    };
    let lines = key_lines(&conditions, setting, inpatient);
    let display = |code: &str, system: CodeSystem| {
        conditions
            .iter()
            .flat_map(|c| c.codes.iter().chain(c.uncertain_outpatient_codes.iter()))
            .find(|c| c.code == code && c.system == system)
            .map(|c| c.display.clone())
            .unwrap_or_default()
    };
    let required = |l: &CodeLine| match l {
        CodeLine::Annotated(a) => a.never.is_none() && !a.optional,
        CodeLine::Code(_) => true,
    };
    let diagnoses = lines
        .diagnoses
        .iter()
        .filter(|l| required(l))
        .map(|l| CaseDiagnosis {
            code: l.code().to_string(),
            display: display(l.code(), CodeSystem::Icd10Cm),
            poa: if inpatient {
                lines
                    .poa
                    .iter()
                    .find(|p| p.code == l.code())
                    .map(|p| p.indicator.clone())
                    .unwrap_or_default()
            } else {
                String::new()
            },
        })
        .collect();
    let procedures = lines
        .procedures
        .iter()
        .filter(|l| required(l))
        .map(|l| {
            (
                l.code().to_string(),
                display(l.code(), CodeSystem::Icd10Pcs),
            )
        })
        .collect();
    (diagnoses, procedures)
}

/// A member ID for a payer without the patient's own: the shape the generator gives.
fn member_id(r: &mut rng::SimRng, payer: &PayerSpec) -> String {
    match payer.coverage {
        super::model::Coverage::Medicare => format!(
            "{}EG{}-HK{}-MP{}",
            rng::in_pair(r, (1, 9)),
            rng::digits(r, 1),
            rng::digits(r, 1),
            rng::digits(r, 2)
        ),
        super::model::Coverage::Medicaid
        | super::model::Coverage::Tricare
        | super::model::Coverage::Champva
        | super::model::Coverage::GroupHealthPlan
        | super::model::Coverage::FecaBlkLung
        | super::model::Coverage::Other => format!("SYN{}", rng::digits(r, 9)),
    }
}

/// Builds the case for a generated patient.
#[must_use]
pub fn build(
    ctx: &TaskContext<'_>,
    spec: &ClaimsSpec,
    patient: &Patient,
    patient_seed: u64,
) -> ClaimCase {
    let mut r = rng::rng_for(rng::patient_seed(
        &format!("{}#claims", ctx.scenario_id),
        patient_seed,
        0,
    ));
    let d = &patient.demographics;
    let encounter = patient.current_encounter();
    let start_at = encounter.map(|e| e.start);
    let start = start_at.map_or(ctx.as_of, |s| s.date());
    let end_at = encounter.and_then(|e| e.end);
    let end = end_at.map_or(start, |e| e.date()).max(start);
    let hour = |t: Option<chrono::NaiveDateTime>| t.and_then(|t| u8::try_from(t.hour()).ok());
    let inpatient = spec.form == ClaimForm::Institutional(BillClass::Inpatient);
    let (diagnoses, procedures) = coded(ctx, patient, inpatient);
    let onset = patient.conditions.first().and_then(|c| c.onset);
    let primary_member =
        if d.insurance.member_id.trim().is_empty() || d.insurance.member_id == "none" {
            member_id(&mut r, &spec.primary)
        } else {
            d.insurance.member_id.clone()
        };
    let secondary = spec.secondary.as_ref().map(|p| CasePayer {
        payer: p.clone(),
        member_id: member_id(&mut r, p),
    });
    let facility_npi = npi::synthetic(patient_seed ^ 0x0F0F_0001);
    let provider_npi = npi::synthetic(patient_seed ^ 0x0F0F_0002);
    let mut case = ClaimCase {
        form: spec.form,
        exercise: spec.exercise.clone(),
        given_name: d.given_name.clone(),
        family_name: d.family_name.clone(),
        sex: d.sex.letter().to_string(),
        birth_date: d.birth_date,
        street: d.address.line.clone(),
        city: d.address.city.clone(),
        state: d.address.state.clone(),
        zip: d.address.postal_code.clone(),
        primary: CasePayer {
            payer: spec.primary.clone(),
            member_id: primary_member,
        },
        secondary,
        account: encounter.map_or_else(String::new, |e| e.id.clone()),
        setting: encounter.map_or(ctx.patient.encounter.setting, |e| e.setting),
        start,
        start_hour: hour(start_at).unwrap_or(8),
        end,
        end_hour: hour(end_at).or(hour(start_at)).unwrap_or(8),
        admission: spec.admission.clone(),
        discharge_status: spec.discharge_status.clone(),
        onset,
        services: spec
            .services
            .iter()
            .map(|s| CaseService {
                date: plus(start, s.day).min(end),
                hcpcs: s.hcpcs.trim().to_string(),
                revenue_code: s.revenue_code.trim().to_string(),
                description: s.description.clone(),
                units: s.units,
                unit_charge_cents: s.unit_charge_cents,
            })
            .collect(),
        diagnoses,
        procedures: procedures
            .into_iter()
            .map(|(code, display)| (code, display, start))
            .collect(),
        provider: spec.provider.clone(),
        provider_npi,
        facility: spec.facility.clone(),
        facility_npi,
        facility_street: format!("{} Medical Park Drive", rng::in_pair(&mut r, (100, 9899))),
        facility_phone: format!("555-01{}", rng::digits(&mut r, 2)),
        ein: format!(
            "{}{}",
            rng::in_pair(&mut r, (10, 98)),
            rng::digits(&mut r, 7)
        ),
        original_claim: rng::digits(&mut r, 13),
        age: crate::patient::age_in_years(d.birth_date, start),
        as_of: ctx.as_of,
        hospice: None,
    };
    if let Some(h) = spec
        .hospice
        .as_ref()
        .filter(|_| spec.form == ClaimForm::Hospice)
    {
        case.hospice = Some(Box::new(super::hospice_case::build(
            ctx,
            h,
            &case,
            patient_seed,
        )));
    }
    case
}

/// Cents as dollars.
fn money(cents: u64) -> String {
    format!("${}.{:02}", cents / 100, cents % 100)
}

impl ClaimCase {
    /// The days of a stay (the discharge day is not counted; a same-day stay is one day).
    #[must_use]
    pub fn stay_days(&self) -> u32 {
        u32::try_from((self.end - self.start).num_days())
            .unwrap_or(0)
            .max(1)
    }

    /// The printout the biller works from.
    #[must_use]
    pub fn printout(&self) -> String {
        let mut s = String::new();
        self.face_sheet(&mut s);
        if let Some(h) = &self.hospice {
            self.hospice_header(&mut s);
            s.push_str(&h.printout(&self.facility));
            return s;
        }
        self.encounter_summary(&mut s);
        self.abstract_and_charges(&mut s);
        self.exercise_note(&mut s);
        s
    }

    fn face_sheet(&self, s: &mut String) {
        let _ = writeln!(s, "FACE SHEET");
        let _ = writeln!(
            s,
            "Patient        {}, {}",
            self.family_name.to_uppercase(),
            self.given_name
        );
        let _ = writeln!(
            s,
            "Sex            {}",
            if self.sex == "F" { "female" } else { "male" }
        );
        let _ = writeln!(s, "Born           {}", self.birth_date.format("%m/%d/%Y"));
        let _ = writeln!(
            s,
            "Address        {}, {}, {} {}",
            self.street, self.city, self.state, self.zip
        );
        let _ = writeln!(s, "Account        {}", self.account);
        let _ = writeln!(s, "Insured        the patient (self)");
        for (label, p) in [
            ("Primary", Some(&self.primary)),
            ("Secondary", self.secondary.as_ref()),
        ] {
            if let Some(p) = p {
                let _ = writeln!(
                    s,
                    "{label:<14} {} ({:?}), member ID {} (card), group {}",
                    p.payer.name,
                    p.payer.coverage,
                    p.member_id,
                    if p.payer.group.is_empty() {
                        "none on the card"
                    } else {
                        p.payer.group.as_str()
                    }
                );
            }
        }
        s.push('\n');
    }

    /// A hospice claim: the hospice, the attending and the coded terminal diagnosis first.
    fn hospice_header(&self, s: &mut String) {
        let _ = writeln!(
            s,
            "Hospice        {}, {}, {}, {} {}, phone {}, NPI {}, EIN {}",
            self.facility,
            self.facility_street,
            self.city,
            self.state,
            self.zip,
            self.facility_phone,
            self.facility_npi,
            self.ein
        );
        let _ = writeln!(
            s,
            "Attending      {}, NPI {}",
            self.provider, self.provider_npi
        );
        let _ = writeln!(s, "CODED DIAGNOSES (terminal diagnosis first)");
        for d in &self.diagnoses {
            let _ = writeln!(s, "  {:<9} {}", d.code, d.display);
        }
        s.push('\n');
    }

    fn encounter_summary(&self, s: &mut String) {
        let _ = writeln!(s, "ENCOUNTER SUMMARY");
        let _ = writeln!(s, "Setting        {}", self.setting.label());
        let _ = writeln!(
            s,
            "From           {} at {:02}:00",
            self.start.format("%m/%d/%Y"),
            self.start_hour
        );
        let _ = writeln!(
            s,
            "To             {} at {:02}:00",
            self.end.format("%m/%d/%Y"),
            self.end_hour
        );
        if let Some(a) = &self.admission {
            let priority = match a.priority.as_str() {
                "1" => "emergency",
                "2" => "urgent",
                "3" => "elective",
                "4" => "newborn",
                "5" => "trauma",
                _ => "not recorded",
            };
            let origin = match a.origin.as_str() {
                "1" => "from home (not a health-care facility)",
                "2" => "referred from a clinic or physician's office",
                "4" => "transferred from another hospital",
                "5" => "transferred from a skilled nursing facility",
                "6" => "transferred from another health-care facility",
                "8" => "brought by law enforcement",
                _ => "not recorded",
            };
            let _ = writeln!(s, "Admission      {priority}, {origin}");
        }
        let disposition = match self.discharge_status.as_str() {
            "01" => "home, self-care",
            "02" => "transferred to a short-term general hospital",
            "03" => "transferred to a Medicare-certified skilled nursing facility",
            "06" => "home with home health services",
            "07" => "left against medical advice",
            "20" => "expired",
            _ => "not recorded",
        };
        let _ = writeln!(s, "Disposition    {disposition}");
        if let Some(o) = self.onset {
            let _ = writeln!(s, "Onset          symptoms began {}", o.format("%m/%d/%Y"));
        }
        let _ = writeln!(
            s,
            "Provider       {}, NPI {}",
            self.provider, self.provider_npi
        );
        let _ = writeln!(
            s,
            "Billed by      {}, {}, {}, {} {}, phone {}, NPI {}, EIN {}",
            self.facility,
            self.facility_street,
            self.city,
            self.state,
            self.zip,
            self.facility_phone,
            self.facility_npi,
            self.ein
        );
        s.push('\n');
    }

    fn abstract_and_charges(&self, s: &mut String) {
        let _ = writeln!(s, "CODED ABSTRACT (in the coder's sequence)");
        for d in &self.diagnoses {
            let poa = if d.poa.is_empty() {
                String::new()
            } else {
                format!("   present on admission: {}", d.poa)
            };
            let _ = writeln!(s, "  {:<9} {}{poa}", d.code, d.display);
        }
        for (code, display, date) in &self.procedures {
            let _ = writeln!(
                s,
                "  {:<9} {} (performed {})",
                code,
                display,
                date.format("%m/%d/%Y")
            );
        }
        s.push('\n');
        let _ = writeln!(s, "CHARGES (charge master)");
        let _ = writeln!(
            s,
            "  Date        HCPCS  Rev   Units  Unit price  Description"
        );
        for c in &self.services {
            let units = if c.revenue_code.starts_with("01") {
                "days".to_string()
            } else {
                c.units.to_string()
            };
            let _ = writeln!(
                s,
                "  {}  {:<5}  {}  {:>5}  {:>10}  {}",
                c.date.format("%m/%d/%Y"),
                c.hcpcs,
                c.revenue_code,
                units,
                money(c.unit_charge_cents),
                c.description
            );
        }
    }

    fn exercise_note(&self, s: &mut String) {
        match &self.exercise {
            Exercise::Complete => {}
            Exercise::Correct(_) => {
                let _ = writeln!(
                    s,
                    "\nThe claim below was prefilled and fails the clearinghouse's edits: run \
                     `ehr-sim claim check` on it and correct it."
                );
            }
            Exercise::Resubmit(d) => {
                let _ = writeln!(
                    s,
                    "\nREMITTANCE ADVICE: claim {} denied: {}",
                    self.original_claim, d.reason
                );
            }
        }
    }
}
