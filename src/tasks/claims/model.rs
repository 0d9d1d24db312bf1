//! The claim as a learner fills it: the professional claim (CMS-1500 form 02/12, the paper
//! image of the 837P) and the institutional claim (UB-04 / CMS-1450, the paper image of the
//! 837I), field by field with the item number or form locator (FL) each one prints in.
//!
//! Conventions (docs/domain/claims.md §1):
//! - dates are written `"YYYY-MM-DD"`;
//! - money is a whole number of **cents** (`12500` = $125.00), so sums are exact;
//! - a required item left blank is an empty string, an absent value or an empty list: the file
//!   still parses and the scrubber reports the missing item, as a clearinghouse would;
//! - codes are written as on the form (ICD-10-CM with or without the dot, qualifiers as their
//!   digits or letters, e.g. `"431"`, `"DN"`, `"0"`).
//!
//! Sources: NUCC 1500 Health Insurance Claim Form Reference Instruction Manual for form version
//! 02/12; Medicare Claims Processing Manual (MCPM) ch.26 §10.2-10.4 (CMS-1500) and ch.25
//! §75.1-75.5 (CMS-1450); MCPM ch.11 (hospice claims).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A claim: professional (CMS-1500) or institutional (UB-04).
///
/// RON: `Professional(( ... ))` or `Institutional(( ... ))`; JSON: `{"Professional": {...}}`.
/// (Boxed: the two forms differ much in size, and a claim is read once.)
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Claim {
    /// A professional claim on the CMS-1500 (02/12).
    Professional(Box<Cms1500>),
    /// An institutional claim on the UB-04 (CMS-1450).
    Institutional(Box<Ub04>),
}

/// Item 1: the type of health insurance coverage (one box marked).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Coverage {
    /// Medicare (Part B); Medicare's stricter instructions apply (one diagnosis pointer per line).
    Medicare,
    /// Medicaid.
    Medicaid,
    /// TRICARE.
    Tricare,
    /// CHAMPVA.
    Champva,
    /// Group health plan.
    GroupHealthPlan,
    /// FECA black lung.
    FecaBlkLung,
    /// Other.
    Other,
}

/// Item 3 / FL 11: the patient's sex.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Sex {
    /// Male.
    M,
    /// Female.
    F,
    /// Unknown (UB-04 FL 11 only; the CMS-1500 has two boxes).
    U,
}

/// Item 6: the patient's relationship to the insured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Relationship {
    /// The patient is the insured.
    #[serde(rename = "Self")]
    SelfInsured,
    /// Spouse.
    Spouse,
    /// Child.
    Child,
    /// Other.
    Other,
}

/// A postal address (items 5, 7, 32, 33).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Address {
    /// Street and number.
    #[serde(default)]
    pub street: String,
    /// City.
    #[serde(default)]
    pub city: String,
    /// Two-letter state.
    #[serde(default)]
    pub state: String,
    /// ZIP code (5 or 9 digits).
    #[serde(default)]
    pub zip: String,
}

/// Item 14: date of the current illness, injury or pregnancy, with its qualifier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QualifiedDate {
    /// The date.
    pub date: NaiveDate,
    /// `"431"` onset of current symptoms or illness, `"484"` last menstrual period.
    #[serde(default)]
    pub qualifier: String,
}

/// Items 17 and 17b: the referring, ordering or supervising provider.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Referring {
    /// Item 17 qualifier: `"DN"` referring, `"DK"` ordering, `"DQ"` supervising.
    #[serde(default)]
    pub qualifier: String,
    /// Item 17 name (first name, middle initial, last name, credentials).
    #[serde(default)]
    pub name: String,
    /// Item 17b NPI.
    #[serde(default)]
    pub npi: String,
}

/// Item 22: resubmission.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Resubmission {
    /// `"7"` replacement of a prior claim, `"8"` void/cancel of a prior claim.
    #[serde(default)]
    pub code: String,
    /// The payer's reference number of the original claim.
    #[serde(default)]
    pub original_ref: String,
}

/// Item 25: which federal tax ID is reported (exactly one box).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TaxIdKind {
    /// Social Security number.
    Ssn,
    /// Employer identification number.
    Ein,
}

/// Item 25: the federal tax ID.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaxId {
    /// The box marked.
    pub kind: TaxIdKind,
    /// Nine digits, no hyphens.
    #[serde(default)]
    pub number: String,
}

/// Items 32/32a and 33/33a: a facility or billing provider.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Provider {
    /// Name.
    #[serde(default)]
    pub name: String,
    /// Address.
    #[serde(default)]
    pub address: Address,
    /// Telephone (item 33 only).
    #[serde(default)]
    pub phone: String,
    /// NPI (32a, 33a).
    #[serde(default)]
    pub npi: String,
}

/// One service line of item 24 (the shaded supplemental area is not modelled).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProfessionalLine {
    /// 24A date of service, from.
    #[serde(default)]
    pub from: Option<NaiveDate>,
    /// 24A date of service, to (blank or equal to `from` for one day).
    #[serde(default)]
    pub to: Option<NaiveDate>,
    /// 24B place of service, two digits from the CMS POS code set ("11" office).
    #[serde(default)]
    pub place_of_service: String,
    /// 24D CPT/HCPCS code.
    #[serde(default)]
    pub hcpcs: String,
    /// 24D modifiers (up to 4).
    #[serde(default)]
    pub modifiers: Vec<String>,
    /// 24E diagnosis pointer: letters A-L naming item-21 lines, primary first ("A", "AC").
    #[serde(default)]
    pub pointers: String,
    /// 24F charge, cents.
    #[serde(default)]
    pub charge_cents: Option<u64>,
    /// 24G days or units.
    #[serde(default)]
    pub units: Option<u32>,
    /// 24J rendering provider NPI.
    #[serde(default)]
    pub rendering_npi: String,
}

/// The CMS-1500 (02/12) professional claim.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cms1500 {
    /// Item 1 type of coverage.
    #[serde(default)]
    pub coverage: Option<Coverage>,
    /// Item 1a insured's ID number (Medicare: the MBI as on the card).
    #[serde(default)]
    pub insured_id: String,
    /// Item 2 patient's name (last, first, middle initial).
    #[serde(default)]
    pub patient_name: String,
    /// Item 3 patient's birth date.
    #[serde(default)]
    pub birth_date: Option<NaiveDate>,
    /// Item 3 patient's sex.
    #[serde(default)]
    pub sex: Option<Sex>,
    /// Item 4 insured's name (Medicare: only when another payer is primary).
    #[serde(default)]
    pub insured_name: String,
    /// Item 5 patient's address.
    #[serde(default)]
    pub patient_address: Option<Address>,
    /// Item 6 patient relationship to insured (when item 4 is completed).
    #[serde(default)]
    pub relationship: Option<Relationship>,
    /// Item 7 insured's address.
    #[serde(default)]
    pub insured_address: Option<Address>,
    /// The payer the claim is sent to (the carrier block above item 1).
    #[serde(default)]
    pub payer_name: String,
    /// Item 9a other insured's policy or group number (the secondary payer's member ID).
    #[serde(default)]
    pub other_insured_policy: String,
    /// Item 9d the other insured's insurance plan name (the secondary payer).
    #[serde(default)]
    pub other_plan_name: String,
    /// Item 11 insured's policy group or FECA number (Medicare: "NONE" when no insurance is
    /// primary to Medicare).
    #[serde(default)]
    pub insured_group: String,
    /// Item 11d is there another health benefit plan (yes when items 9, 9a and 9d are
    /// completed).
    #[serde(default)]
    pub another_plan: Option<bool>,
    /// Item 14 date of current illness, injury or pregnancy, with qualifier.
    #[serde(default)]
    pub current_illness: Option<QualifiedDate>,
    /// Items 17/17b referring, ordering or supervising provider.
    #[serde(default)]
    pub referring: Option<Referring>,
    /// Item 21 ICD indicator: `"0"` ICD-10-CM, `"9"` ICD-9-CM.
    #[serde(default)]
    pub icd_indicator: String,
    /// Item 21 lines A-L in order (index 0 = A); an empty string is a blank line.
    #[serde(default)]
    pub diagnoses: Vec<String>,
    /// Item 22 resubmission code and original reference number.
    #[serde(default)]
    pub resubmission: Option<Resubmission>,
    /// Item 23 prior authorization number.
    #[serde(default)]
    pub prior_authorization: String,
    /// Item 24 service lines (6 on paper).
    #[serde(default)]
    pub lines: Vec<ProfessionalLine>,
    /// Item 25 federal tax ID.
    #[serde(default)]
    pub tax_id: Option<TaxId>,
    /// Item 26 patient's account number.
    #[serde(default)]
    pub patient_account: String,
    /// Item 28 total charge, cents.
    #[serde(default)]
    pub total_charge_cents: Option<u64>,
    /// Item 31 signature of physician or supplier ("Signature on File" is acceptable).
    #[serde(default)]
    pub signature: String,
    /// Item 31 date signed.
    #[serde(default)]
    pub signature_date: Option<NaiveDate>,
    /// Items 32/32a service facility location and its NPI.
    #[serde(default)]
    pub facility: Option<Provider>,
    /// Items 33/33a billing provider (name, address, phone) and its NPI.
    #[serde(default)]
    pub billing: Option<Provider>,
}

/// FL 31-34: an occurrence code and its date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Occurrence {
    /// Two-character NUBC occurrence code ("27", "42", "55").
    pub code: String,
    /// The date.
    pub date: NaiveDate,
}

/// FL 35-36: an occurrence span code and its dates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OccurrenceSpan {
    /// Two-character NUBC occurrence span code ("77").
    pub code: String,
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub through: NaiveDate,
}

/// FL 39-41: a value code and its amount.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValueCode {
    /// Two-character NUBC value code.
    pub code: String,
    /// The amount, cents (a count such as days is written as the number × 100, as printed).
    pub amount_cents: i64,
}

/// One revenue line, FL 42-48. The total line is revenue code `"0001"`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InstitutionalLine {
    /// FL 42 revenue code, four digits ("0120", "0651", "0001").
    #[serde(default)]
    pub revenue_code: String,
    /// FL 43 description.
    #[serde(default)]
    pub description: String,
    /// FL 44 HCPCS code (or rate).
    #[serde(default)]
    pub hcpcs: String,
    /// FL 44 HCPCS modifiers (up to 4).
    #[serde(default)]
    pub modifiers: Vec<String>,
    /// FL 45 service date.
    #[serde(default)]
    pub service_date: Option<NaiveDate>,
    /// FL 46 service units (days for accommodation and 0651/0655/0656; 15-minute increments for
    /// 0652 and hospice visits).
    #[serde(default)]
    pub units: Option<u32>,
    /// FL 47 total charges, cents.
    #[serde(default)]
    pub total_cents: Option<u64>,
    /// FL 48 non-covered charges, cents.
    #[serde(default)]
    pub non_covered_cents: Option<u64>,
}

/// FL 67, 67A-Q: a diagnosis with its present-on-admission indicator.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DiagnosisPoa {
    /// ICD-10-CM code.
    pub code: String,
    /// POA indicator: `"Y"`, `"N"`, `"U"`, `"W"`, blank for exempt codes (`"1"` is the
    /// obsolete 4010A stand-in for blank).
    #[serde(default)]
    pub poa: String,
}

/// FL 74, 74a-e: an ICD-10-PCS procedure and its date.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Procedure {
    /// ICD-10-PCS code, seven characters, no dot.
    pub code: String,
    /// Date performed.
    #[serde(default)]
    pub date: Option<NaiveDate>,
}

/// The UB-04 (CMS-1450) institutional claim.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ub04 {
    /// FL 4 type of bill: leading 0, facility type, care type, frequency ("0111", "0813",
    /// "081A" for a hospice notice of election).
    #[serde(default)]
    pub type_of_bill: String,
    /// FL 6 statement covers period, from.
    #[serde(default)]
    pub statement_from: Option<NaiveDate>,
    /// FL 6 statement covers period, through.
    #[serde(default)]
    pub statement_through: Option<NaiveDate>,
    /// FL 8 patient name.
    #[serde(default)]
    pub patient_name: String,
    /// FL 10 patient birth date.
    #[serde(default)]
    pub birth_date: Option<NaiveDate>,
    /// FL 11 patient sex.
    #[serde(default)]
    pub sex: Option<Sex>,
    /// FL 12 admission / start-of-care date.
    #[serde(default)]
    pub admission_date: Option<NaiveDate>,
    /// FL 13 admission hour (00-23).
    #[serde(default)]
    pub admission_hour: Option<u8>,
    /// FL 14 priority (type) of admission: 1 emergency, 2 urgent, 3 elective, 4 newborn,
    /// 5 trauma, 9 information not available.
    #[serde(default)]
    pub admission_type: String,
    /// FL 15 point of origin for admission ("1" non-health-care facility, "2" clinic or
    /// physician office, "4" transfer from a hospital, …).
    #[serde(default)]
    pub point_of_origin: String,
    /// FL 16 discharge hour (00-23); required when the patient is discharged (not status 30).
    #[serde(default)]
    pub discharge_hour: Option<u8>,
    /// FL 17 patient discharge status, two digits ("01", "20", "30", "40").
    #[serde(default)]
    pub discharge_status: String,
    /// FL 18-28 condition codes (up to 11).
    #[serde(default)]
    pub condition_codes: Vec<String>,
    /// FL 31-34 occurrence codes and dates (up to 8).
    #[serde(default)]
    pub occurrences: Vec<Occurrence>,
    /// FL 35-36 occurrence span codes and dates (up to 4).
    #[serde(default)]
    pub occurrence_spans: Vec<OccurrenceSpan>,
    /// FL 39-41 value codes and amounts (up to 12).
    #[serde(default)]
    pub value_codes: Vec<ValueCode>,
    /// FL 42-48 revenue lines in ascending revenue-code order, the 0001 total line last.
    #[serde(default)]
    pub lines: Vec<InstitutionalLine>,
    /// FL 56 billing provider NPI.
    #[serde(default)]
    pub billing_npi: String,
    /// FL 50 payer names, lines A (primary) to C.
    #[serde(default)]
    pub payer_names: Vec<String>,
    /// FL 60 insured's unique ID (Medicare: the MBI).
    #[serde(default)]
    pub insured_id: String,
    /// FL 60 lines B and C: the insured's IDs with the other payers of FL 50, in order.
    #[serde(default)]
    pub other_insured_ids: Vec<String>,
    /// FL 64 document control number: the payer's number of the claim a replacement (frequency
    /// 7) or void (8) refers to.
    #[serde(default)]
    pub document_control_number: String,
    /// FL 66 diagnosis and procedure code qualifier: `"0"` ICD-10.
    #[serde(default)]
    pub dx_qualifier: String,
    /// FL 67 principal diagnosis with POA.
    #[serde(default)]
    pub principal: Option<DiagnosisPoa>,
    /// FL 67A-Q other diagnoses with POA (17 on paper; the 837I carries up to 24).
    #[serde(default)]
    pub other_diagnoses: Vec<DiagnosisPoa>,
    /// FL 69 admitting diagnosis (inpatient).
    #[serde(default)]
    pub admitting_dx: String,
    /// FL 71 prospective payment system code: the MS-DRG on an inpatient (011x) claim.
    #[serde(default)]
    pub pps_code: String,
    /// FL 74 principal procedure code and date.
    #[serde(default)]
    pub principal_procedure: Option<Procedure>,
    /// FL 74a-e other procedures and dates (up to 5).
    #[serde(default)]
    pub other_procedures: Vec<Procedure>,
    /// FL 76 attending provider NPI.
    #[serde(default)]
    pub attending_npi: String,
    /// FL 77 operating physician NPI (when a surgical procedure is coded).
    #[serde(default)]
    pub operating_npi: String,
}

impl Ub04 {
    /// The facility-type and care-type digits of FL 4 ("11" hospital inpatient, "13" hospital
    /// outpatient, "81"/"82" hospice), when FL 4 has its four characters.
    #[must_use]
    pub fn bill_class(&self) -> Option<&str> {
        let tob = self.type_of_bill.trim();
        (tob.len() == 4 && tob.is_ascii()).then(|| &tob[1..3])
    }

    /// FL 4 is 011x (hospital inpatient, Part A).
    #[must_use]
    pub fn is_inpatient(&self) -> bool {
        self.bill_class() == Some("11")
    }

    /// FL 4 is 013x (hospital outpatient).
    #[must_use]
    pub fn is_outpatient(&self) -> bool {
        self.bill_class() == Some("13")
    }

    /// FL 4 is 081x or 082x (hospice).
    #[must_use]
    pub fn is_hospice(&self) -> bool {
        matches!(self.bill_class(), Some("81" | "82"))
    }

    /// FL 4's frequency digit is a hospice notice (A-E: election, termination, change of
    /// provider, cancel, change of ownership), which carries no revenue lines.
    #[must_use]
    pub fn is_hospice_notice(&self) -> bool {
        self.is_hospice()
            && self
                .type_of_bill
                .trim()
                .chars()
                .nth(3)
                .is_some_and(|c| ('A'..='E').contains(&c.to_ascii_uppercase()))
    }
}
