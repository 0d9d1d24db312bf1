//! The hospice claims a biller files from a hospice [`Timeline`] and the engine's report
//! (docs/domain/claims.md §8): the notice of election (8xA, or 8xC for a transfer in), one
//! claim per calendar month of care (8x1-8x4) and the notice of termination/revocation (8xB).
//!
//! Rules (MCPM ch.11 §20, §30.3, §90; 42 CFR 418.204, 418.302):
//! - a monthly claim's frequency digit is 1 when the stay starts and ends in the month, 2 when
//!   it starts there and continues, 3 when it continues through, 4 when it ends there; an open
//!   stay is billed through the review date with status 30;
//! - a day with no level of care on the timeline is a routine home care (RHC) day;
//! - 0651 RHC lines are days, split at the engine's day-61 date (`rhc_low_rate_from`) into a
//!   higher-rate and a lower-rate line; no HCPCS or modifier tells the two apart beyond the
//!   site code, so each line carries the site code and its first date;
//! - 0652 continuous home care (CHC): one line per day, units = whole 15-minute increments of
//!   the hours of care; a day with fewer than 8 hours or without a nursing majority is an RHC day;
//! - 0655 respite: one line per run of consecutive days, at most 5 consecutive days; the sixth
//!   and later days are RHC days;
//! - 0656 general inpatient care (GIP): one line per run of days;
//! - visits: one line per visit with its G-code and units (15-minute increments) as charted;
//!   a visit after death carries modifier PM;
//! - occurrence code 27 on the claim (and the NOE) that starts a benefit period, dated the
//!   period's first day; with a late certification, the date the certification was obtained,
//!   with occurrence span 77 for the days before it and condition code 85; a late NOE's
//!   provider-liable days are occurrence span 77 as well, and an OC 27 date never falls inside
//!   a span 77 (it moves to the first covered day);
//! - the final claim: status 40/41 with OC 55 on death, 50/51 on a transfer out (no OC 42),
//!   01 with OC 42 on a revocation, 01 on a live discharge; 41 and 51 when the last day was an
//!   inpatient level (GIP or respite);
//! - the service intensity add-on (SIA) is not a claim line (the Pricer derives it from the
//!   visit lines); [`HospiceClaims::sia`] lists the days that earn it: RHC days in the last 7
//!   days of a patient who died, with RN (G0299) or social worker (G0155, not by phone) visits
//!   before death, up to 16 units (4 hours) a day.
//!
//! No payment rates: the FY2026 hospice rates are not in the sources this project cites, so the
//! claims carry units and days, and FL 47 charges are the hospice's own charges
//! ([`Charges`], zero unless given). Everything here is pure and total on any timeline the
//! engine accepts.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::model::{DiagnosisPoa, InstitutionalLine, Occurrence, OccurrenceSpan, Sex, Ub04};
use crate::tasks::hospice::levels::{CHC_MIN_HOURS, RESPITE_MAX_DAYS, care_by_day};
use crate::tasks::hospice::timeline::{days_from_through, shift};
use crate::tasks::hospice::{EndReason, HospiceReport, LevelOfCare, Timeline, evaluate};

/// Units of SIA a day earns at most (4 hours in 15-minute increments).
pub const SIA_MAX_UNITS_PER_DAY: u32 = 16;
/// Days at the end of life that earn the SIA (the day of death and the 6 before it).
pub const SIA_LAST_DAYS: i64 = 7;
/// Days after a discharge or revocation by which the NOTR is filed.
pub const NOTR_DAYS: i64 = 5;

/// The hospice's charges per unit (FL 47 = units × charge), in cents. Zero unless given: the
/// charges are the hospice's own, not Medicare's payment rates.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Charges {
    /// Per routine home care day (0651).
    #[serde(default)]
    pub rhc_day_cents: u64,
    /// Per 15-minute unit of continuous home care (0652).
    #[serde(default)]
    pub chc_unit_cents: u64,
    /// Per inpatient respite day (0655).
    #[serde(default)]
    pub respite_day_cents: u64,
    /// Per general inpatient day (0656).
    #[serde(default)]
    pub gip_day_cents: u64,
    /// Per 15-minute unit of a visit.
    #[serde(default)]
    pub visit_unit_cents: u64,
}

/// Who made a visit (the revenue code and G-code follow).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Discipline {
    /// Physical therapy: 0421, G0151.
    PhysicalTherapy,
    /// Occupational therapy: 0431, G0152.
    OccupationalTherapy,
    /// Speech-language pathology: 0441, G0153.
    SpeechLanguage,
    /// Registered nurse: 0551, G0299.
    RegisteredNurse,
    /// Licensed practical nurse: 0551, G0300.
    PracticalNurse,
    /// Medical social services: 0561, G0155.
    SocialWorker,
    /// Social worker telephone call: 0569, G0155.
    SocialWorkerPhone,
    /// Hospice aide: 0571, G0156.
    Aide,
}

impl Discipline {
    /// FL 42 revenue code, FL 43 description, FL 44 HCPCS.
    #[must_use]
    pub fn codes(self) -> (&'static str, &'static str, &'static str) {
        match self {
            Self::PhysicalTherapy => ("0421", "PHYSICAL THERAPY", "G0151"),
            Self::OccupationalTherapy => ("0431", "OCCUPATIONAL THERAPY", "G0152"),
            Self::SpeechLanguage => ("0441", "SPEECH THERAPY", "G0153"),
            Self::RegisteredNurse => ("0551", "SKILLED NURSING", "G0299"),
            Self::PracticalNurse => ("0551", "SKILLED NURSING", "G0300"),
            Self::SocialWorker => ("0561", "MEDICAL SOCIAL SERVICES", "G0155"),
            Self::SocialWorkerPhone => ("0569", "MEDICAL SOCIAL SERVICES PHONE", "G0155"),
            Self::Aide => ("0571", "AIDE", "G0156"),
        }
    }

    /// RN and social-worker visits (not phone calls) count toward the SIA.
    #[must_use]
    pub fn earns_sia(self) -> bool {
        matches!(self, Self::RegisteredNurse | Self::SocialWorker)
    }
}

/// One charted visit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Visit {
    /// The day of the visit.
    pub date: NaiveDate,
    /// Who made it.
    pub discipline: Discipline,
    /// Time in 15-minute increments, as charted (1-96).
    pub units: u32,
    /// Made after the patient died (modifier PM; earns no SIA).
    #[serde(default)]
    pub after_death: bool,
}

/// What the claims need beyond the timeline: the patient, payer and providers, the
/// diagnoses, the site codes, the visits and the charges.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HospiceBilling {
    /// FL 8 patient name (last, first).
    pub patient_name: String,
    /// FL 10 birth date.
    pub birth_date: NaiveDate,
    /// FL 11 sex.
    pub sex: Sex,
    /// FL 60 insured's ID (the MBI).
    pub insured_id: String,
    /// FL 56 billing (hospice) NPI.
    pub billing_npi: String,
    /// FL 76 attending physician NPI.
    pub attending_npi: String,
    /// FL 67 principal (terminal) diagnosis, ICD-10-CM.
    pub principal_dx: String,
    /// FL 67A-Q other diagnoses.
    #[serde(default)]
    pub other_dx: Vec<String>,
    /// A hospital-based hospice (082x) rather than freestanding (081x).
    #[serde(default)]
    pub hospital_based: bool,
    /// Site-of-service HCPCS of the home levels (RHC, CHC): Q5001 patient's home by default.
    #[serde(default = "home_site")]
    pub home_site: String,
    /// Site-of-service HCPCS of the inpatient levels (respite, GIP): Q5006 inpatient hospice
    /// facility by default.
    #[serde(default = "inpatient_site")]
    pub inpatient_site: String,
    /// Charted visits.
    #[serde(default)]
    pub visits: Vec<Visit>,
    /// The hospice's charges.
    #[serde(default)]
    pub charges: Charges,
}

fn home_site() -> String {
    "Q5001".to_owned()
}

fn inpatient_site() -> String {
    "Q5006".to_owned()
}

impl HospiceBilling {
    /// A synthetic patient and hospice (made-up name, MBI-shaped ID and check-digit-valid NPIs)
    /// with no visits and zero charges, for a timeline that comes without them.
    #[must_use]
    pub fn synthetic() -> Self {
        Self {
            patient_name: "SAMPLE, HOSPICE".to_owned(),
            birth_date: NaiveDate::from_ymd_opt(1940, 1, 1).unwrap_or_default(),
            sex: Sex::F,
            insured_id: "1EG4TE5MK73".to_owned(),
            billing_npi: super::npi::synthetic(81),
            attending_npi: super::npi::synthetic(76),
            principal_dx: "G30.9".to_owned(),
            other_dx: Vec::new(),
            hospital_based: false,
            home_site: home_site(),
            inpatient_site: inpatient_site(),
            visits: Vec::new(),
            charges: Charges::default(),
        }
    }

    /// Every problem with the billing data (empty = usable).
    #[must_use]
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        for (field, code) in [
            ("home_site", &self.home_site),
            ("inpatient_site", &self.inpatient_site),
        ] {
            let n = code
                .strip_prefix("Q50")
                .filter(|n| n.len() == 2)
                .and_then(|n| n.parse::<u8>().ok());
            if !n.is_some_and(|n| (1..=10).contains(&n)) {
                out.push(format!(
                    "{field} is \"{code}\": a site-of-service code is Q5001 to Q5010"
                ));
            }
        }
        for (i, v) in self.visits.iter().enumerate() {
            if !(1..=96).contains(&v.units) {
                out.push(format!(
                    "visits[{i}].units is {}: a visit has 1 to 96 units of 15 minutes",
                    v.units
                ));
            }
            if !(1900..=2200).contains(&v.date.year()) {
                out.push(format!("visits[{i}].date {} is outside 1900–2200", v.date));
            }
        }
        out
    }
}

/// Which document a built claim is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum HospiceClaimKind {
    /// Notice of election (8xA).
    NoticeOfElection,
    /// Change of provider / transfer notice (8xC), for a transfer in.
    TransferNotice,
    /// A monthly claim (8x1-8x4).
    Monthly,
    /// Notice of termination/revocation (8xB).
    NoticeOfTermination,
}

/// One built claim with the date it is due, when a rule gives one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BuiltClaim {
    /// Which document.
    pub kind: HospiceClaimKind,
    /// Index of the election it belongs to.
    pub election: usize,
    /// Last day to file it (NOE: the engine's NOE deadline; NOTR: 5 days after the end).
    pub due: Option<NaiveDate>,
    /// The claim, in the shape `claim check` reads.
    pub claim: Ub04,
}

/// A day that earns the service intensity add-on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SiaDay {
    /// The day.
    pub date: NaiveDate,
    /// RN and social-worker units (15 minutes) that day, at most 16.
    pub units: u32,
}

/// Everything built from one timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HospiceClaims {
    /// Per election in order: the notice, the monthly claims, the NOTR when one is filed.
    pub claims: Vec<BuiltClaim>,
    /// Days earning the SIA.
    pub sia: Vec<SiaDay>,
    /// What was left out and why (e.g. a visit outside every stay).
    pub notes: Vec<String>,
}

/// How one day is billed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Billed {
    /// Routine home care at the higher (days 1-60) or lower (61+) rate.
    Rhc { low: bool },
    /// Continuous home care with its units.
    Chc { units: u32 },
    /// Inpatient respite (within the 5-day limit).
    Respite,
    /// General inpatient care.
    Gip,
}

/// Builds every claim of the timeline (evaluating it with the hospice engine).
#[must_use]
pub fn build(t: &Timeline, billing: &HospiceBilling) -> HospiceClaims {
    build_with_report(t, &evaluate(t), billing)
}

/// Builds every claim of the timeline from the engine's report of it.
#[must_use]
pub fn build_with_report(
    t: &Timeline,
    report: &HospiceReport,
    billing: &HospiceBilling,
) -> HospiceClaims {
    let mut out = HospiceClaims {
        claims: Vec::new(),
        sia: Vec::new(),
        notes: Vec::new(),
    };
    let levels = care_by_day(t);
    for (index, e) in t.elections.iter().enumerate() {
        let Some(last) = t.stay_last_day(index) else {
            continue;
        };
        let low_from = report.rhc_low_rate_from.get(index).copied().flatten();
        let days = billed_days(&levels, e.effective_date, last, low_from);
        let liable = liable_days(t, report, index, last);
        let ctx = StayContext {
            t,
            report,
            billing,
            index,
            last,
            liable: &liable,
            levels: &levels,
        };
        out.claims.push(notice_of_election(&ctx));
        let mut months: BTreeMap<(i32, u32), Vec<(NaiveDate, Billed)>> = BTreeMap::new();
        for (day, b) in &days {
            months
                .entry((day.year(), day.month()))
                .or_default()
                .push((*day, *b));
        }
        let count = months.len();
        for (k, month) in months.values().enumerate() {
            out.claims
                .push(monthly(&ctx, month, k == 0, k + 1 == count));
        }
        if let Some(notr) = notice_of_termination(&ctx) {
            out.claims.push(notr);
        }
        out.sia.extend(sia_days(&ctx, &days));
    }
    for (i, v) in billing.visits.iter().enumerate() {
        if t.election_on(v.date).is_none() {
            out.notes.push(format!(
                "visits[{i}] on {} is outside every hospice stay: not billed",
                v.date
            ));
        }
    }
    out
}

/// What every claim of one stay shares.
struct StayContext<'a> {
    t: &'a Timeline,
    report: &'a HospiceReport,
    billing: &'a HospiceBilling,
    index: usize,
    last: NaiveDate,
    liable: &'a BTreeSet<NaiveDate>,
    levels: &'a BTreeMap<NaiveDate, LevelOfCare>,
}

impl StayContext<'_> {
    fn effective(&self) -> NaiveDate {
        self.t
            .elections
            .get(self.index)
            .map_or(self.last, |e| e.effective_date)
    }

    fn end_reason(&self) -> Option<EndReason> {
        self.t
            .elections
            .get(self.index)
            .and_then(|e| e.end)
            .map(|end| end.reason)
    }

    fn transferred_in(&self) -> bool {
        self.t
            .elections
            .get(self.index)
            .is_some_and(|e| e.transfer_in_period_start.is_some())
    }

    /// The claim's common header: TOB, FL 6, patient, FL 12, providers, diagnoses.
    fn header(&self, frequency: char, from: NaiveDate, through: NaiveDate) -> Ub04 {
        let b = self.billing;
        let class = if b.hospital_based { "082" } else { "081" };
        Ub04 {
            type_of_bill: format!("{class}{frequency}"),
            statement_from: Some(from),
            statement_through: Some(through),
            patient_name: b.patient_name.clone(),
            birth_date: Some(b.birth_date),
            sex: Some(b.sex),
            admission_date: Some(self.effective()),
            billing_npi: b.billing_npi.clone(),
            insured_id: b.insured_id.clone(),
            dx_qualifier: "0".to_owned(),
            principal: Some(DiagnosisPoa {
                code: b.principal_dx.clone(),
                poa: String::new(),
            }),
            other_diagnoses: b
                .other_dx
                .iter()
                .map(|code| DiagnosisPoa {
                    code: code.clone(),
                    poa: String::new(),
                })
                .collect(),
            attending_npi: b.attending_npi.clone(),
            ..Ub04::default()
        }
    }

    /// OC 27 dates of the benefit periods of this stay that start between `from` and `through`
    /// (the period's first day; with a late certification, the day it was obtained, on the
    /// claim holding that day; never a provider-liable day), and whether a late certification's liable days reach into them
    /// (condition code 85).
    fn certification_codes(&self, from: NaiveDate, through: NaiveDate) -> (Vec<NaiveDate>, bool) {
        let mut dates = Vec::new();
        let mut late = false;
        for p in self
            .report
            .periods
            .iter()
            .filter(|p| p.election == self.index)
        {
            if p.transferred_in || p.start > through || p.start > self.last {
                continue;
            }
            let mut date = p.start;
            if let Some(cert) = certification_date(self.t, p.number)
                && cert > p.oral_cert_deadline
            {
                date = cert;
                late = late || (p.start <= through && shift(cert, -1) >= from);
            }
            // Reported on the claim holding the period's start (or the late certification);
            // moved past provider-liable days, and left off when none is left in the claim.
            if date < from || date > through {
                continue;
            }
            while self.liable.contains(&date) && date <= through {
                date = shift(date, 1);
            }
            if date <= through {
                dates.push(date);
            }
        }
        (dates, late)
    }
}

/// The earliest certification (written or oral) of benefit period `number`.
fn certification_date(t: &Timeline, number: u32) -> Option<NaiveDate> {
    t.certifications
        .iter()
        .filter(|c| c.period == number)
        .map(|c| c.date)
        .min()
}

/// Provider-liable days of a stay: the engine's late-NOE days, and the days of a benefit period
/// before its late certification.
fn liable_days(
    t: &Timeline,
    report: &HospiceReport,
    index: usize,
    last: NaiveDate,
) -> BTreeSet<NaiveDate> {
    let mut out: BTreeSet<NaiveDate> = report
        .noe
        .iter()
        .filter(|n| n.election == index)
        .flat_map(|n| n.provider_liable_days.iter().copied())
        .collect();
    for p in report.periods.iter().filter(|p| p.election == index) {
        if p.transferred_in {
            continue;
        }
        if let Some(cert) = certification_date(t, p.number)
            && cert > p.oral_cert_deadline
        {
            out.extend(days_from_through(p.start, shift(cert, -1).min(last)));
        }
    }
    out
}

/// How each day of a stay is billed.
fn billed_days(
    levels: &BTreeMap<NaiveDate, LevelOfCare>,
    from: NaiveDate,
    through: NaiveDate,
    low_from: Option<NaiveDate>,
) -> Vec<(NaiveDate, Billed)> {
    let mut out = Vec::new();
    let mut respite_run = 0usize;
    for day in days_from_through(from, through) {
        let rhc = Billed::Rhc {
            low: low_from.is_some_and(|low| day >= low),
        };
        let level = levels.get(&day).copied().unwrap_or(LevelOfCare::Rhc);
        respite_run = if matches!(level, LevelOfCare::Irc) {
            respite_run + 1
        } else {
            0
        };
        let billed = match level {
            LevelOfCare::Rhc => rhc,
            LevelOfCare::Chc {
                nursing_hours,
                total_hours,
            } => {
                if total_hours >= CHC_MIN_HOURS && nursing_hours * 2.0 > total_hours {
                    Billed::Chc {
                        units: quarter_hours(total_hours),
                    }
                } else {
                    rhc
                }
            }
            LevelOfCare::Irc if respite_run <= RESPITE_MAX_DAYS => Billed::Respite,
            LevelOfCare::Irc => rhc,
            LevelOfCare::Gip => Billed::Gip,
        };
        out.push((day, billed));
    }
    out
}

/// Whole 15-minute increments in `hours` (0-24 hours → 0-96).
fn quarter_hours(hours: f64) -> u32 {
    let quarters = (hours * 4.0).floor();
    (0..=96u32)
        .rev()
        .find(|q| f64::from(*q) <= quarters)
        .unwrap_or(0)
}

/// The NOE (8xA), or the transfer notice (8xC) for a transfer in.
fn notice_of_election(ctx: &StayContext<'_>) -> BuiltClaim {
    let effective = ctx.effective();
    let transfer = ctx.transferred_in();
    let mut u = ctx.header(if transfer { 'C' } else { 'A' }, effective, effective);
    if !transfer {
        // The NOE reports the first benefit period's start (no span 77 on a notice).
        u.occurrences.push(Occurrence {
            code: "27".to_owned(),
            date: effective,
        });
    }
    BuiltClaim {
        kind: if transfer {
            HospiceClaimKind::TransferNotice
        } else {
            HospiceClaimKind::NoticeOfElection
        },
        election: ctx.index,
        due: ctx
            .report
            .noe
            .iter()
            .find(|n| n.election == ctx.index)
            .map(|n| n.deadline),
        claim: u,
    }
}

/// The NOTR (8xB) after a revocation or a live discharge.
fn notice_of_termination(ctx: &StayContext<'_>) -> Option<BuiltClaim> {
    let reason = ctx.end_reason()?;
    match reason {
        EndReason::Revocation | EndReason::LiveDischarge => {}
        EndReason::Death | EndReason::TransferOut => return None,
    }
    let mut u = ctx.header('B', ctx.effective(), ctx.last);
    u.discharge_status = "01".to_owned();
    if reason == EndReason::Revocation {
        u.occurrences.push(Occurrence {
            code: "42".to_owned(),
            date: ctx.last,
        });
    }
    Some(BuiltClaim {
        kind: HospiceClaimKind::NoticeOfTermination,
        election: ctx.index,
        due: Some(shift(ctx.last, NOTR_DAYS)),
        claim: u,
    })
}

/// FL 17 of the final claim (and the occurrence codes that go with it).
fn final_status(ctx: &StayContext<'_>, reason: EndReason) -> (&'static str, Vec<Occurrence>) {
    let inpatient = matches!(
        ctx.levels.get(&ctx.last),
        Some(LevelOfCare::Gip | LevelOfCare::Irc)
    );
    let at = |code: &str| Occurrence {
        code: code.to_owned(),
        date: ctx.last,
    };
    match reason {
        EndReason::Death => (if inpatient { "41" } else { "40" }, vec![at("55")]),
        EndReason::TransferOut => (if inpatient { "51" } else { "50" }, Vec::new()),
        EndReason::Revocation => ("01", vec![at("42")]),
        EndReason::LiveDischarge => ("01", Vec::new()),
    }
}

/// One monthly claim from the billed days of the month.
fn monthly(
    ctx: &StayContext<'_>,
    days: &[(NaiveDate, Billed)],
    first: bool,
    last_month: bool,
) -> BuiltClaim {
    let from = days.first().map_or(ctx.last, |d| d.0);
    let through = days.last().map_or(ctx.last, |d| d.0);
    let reason = ctx.end_reason().filter(|_| last_month);
    let frequency = match (first, reason.is_some()) {
        (true, true) => '1',
        (true, false) => '2',
        (false, false) => '3',
        (false, true) => '4',
    };
    let mut u = ctx.header(frequency, from, through);
    let (cert_dates, late_cert) = ctx.certification_codes(from, through);
    u.occurrences = cert_dates
        .into_iter()
        .map(|date| Occurrence {
            code: "27".to_owned(),
            date,
        })
        .collect();
    match reason {
        Some(reason) => {
            let (status, codes) = final_status(ctx, reason);
            u.discharge_status = status.to_owned();
            u.occurrences.extend(codes);
        }
        None => u.discharge_status = "30".to_owned(),
    }
    u.occurrence_spans = liable_spans(ctx.liable, from, through);
    if late_cert {
        u.condition_codes.push("85".to_owned());
    }
    u.lines = lines(ctx, days, from, through);
    BuiltClaim {
        kind: HospiceClaimKind::Monthly,
        election: ctx.index,
        due: None,
        claim: u,
    }
}

/// OSC 77 spans: the runs of provider-liable days between `from` and `through` (at most 4,
/// the form's room; later runs are merged into the fourth).
fn liable_spans(
    liable: &BTreeSet<NaiveDate>,
    from: NaiveDate,
    through: NaiveDate,
) -> Vec<OccurrenceSpan> {
    let mut spans: Vec<OccurrenceSpan> = Vec::new();
    for day in liable.range(from..=through) {
        let full = spans.len() >= 4;
        match spans.last_mut() {
            Some(s) if shift(s.through, 1) == *day || full => s.through = *day,
            Some(_) | None => spans.push(OccurrenceSpan {
                code: "77".to_owned(),
                from: *day,
                through: *day,
            }),
        }
    }
    spans
}

/// A revenue line.
fn line(
    revenue_code: &str,
    description: &str,
    hcpcs: &str,
    date: NaiveDate,
    units: u32,
    per_unit_cents: u64,
) -> InstitutionalLine {
    InstitutionalLine {
        revenue_code: revenue_code.to_owned(),
        description: description.to_owned(),
        hcpcs: hcpcs.to_owned(),
        service_date: Some(date),
        units: Some(units),
        total_cents: Some(u64::from(units).saturating_mul(per_unit_cents)),
        ..InstitutionalLine::default()
    }
}

/// The revenue lines of one month, ascending, with the 0001 total last.
fn lines(
    ctx: &StayContext<'_>,
    days: &[(NaiveDate, Billed)],
    from: NaiveDate,
    through: NaiveDate,
) -> Vec<InstitutionalLine> {
    let b = ctx.billing;
    let c = &b.charges;
    let mut out: Vec<InstitutionalLine> = Vec::new();
    let mut visits: Vec<&Visit> = b
        .visits
        .iter()
        .filter(|v| v.date >= from && v.date <= through && (1..=96).contains(&v.units))
        .collect();
    visits.sort_by_key(|v| (v.discipline.codes().0, v.date, v.discipline));
    for v in visits {
        let (rev, description, hcpcs) = v.discipline.codes();
        let mut l = line(rev, description, hcpcs, v.date, v.units, c.visit_unit_cents);
        if v.after_death {
            l.modifiers.push("PM".to_owned());
        }
        out.push(l);
    }
    for low in [false, true] {
        let rhc: Vec<NaiveDate> = days
            .iter()
            .filter(|(_, d)| *d == Billed::Rhc { low })
            .map(|(day, _)| *day)
            .collect();
        if let (Some(first), Ok(n)) = (rhc.first(), u32::try_from(rhc.len())) {
            out.push(line(
                "0651",
                "ROUTINE HOME CARE",
                &b.home_site,
                *first,
                n,
                c.rhc_day_cents,
            ));
        }
    }
    for (day, billed) in days {
        if let Billed::Chc { units } = billed {
            out.push(line(
                "0652",
                "CONTINUOUS HOME CARE",
                &b.home_site,
                *day,
                *units,
                c.chc_unit_cents,
            ));
        }
    }
    for (target, rev, description, per) in [
        (
            Billed::Respite,
            "0655",
            "INPATIENT RESPITE",
            c.respite_day_cents,
        ),
        (Billed::Gip, "0656", "GENERAL INPATIENT", c.gip_day_cents),
    ] {
        for (first, n) in runs(days, target) {
            out.push(line(rev, description, &b.inpatient_site, first, n, per));
        }
    }
    let total = out
        .iter()
        .filter_map(|l| l.total_cents)
        .fold(0u64, u64::saturating_add);
    out.push(InstitutionalLine {
        revenue_code: "0001".to_owned(),
        description: "TOTAL CHARGES".to_owned(),
        total_cents: Some(total),
        ..InstitutionalLine::default()
    });
    out
}

/// Runs of consecutive days billed as `target`: (first day, number of days).
fn runs(days: &[(NaiveDate, Billed)], target: Billed) -> Vec<(NaiveDate, u32)> {
    let mut out: Vec<(NaiveDate, u32)> = Vec::new();
    let mut previous: Option<NaiveDate> = None;
    for (day, billed) in days {
        if *billed != target {
            continue;
        }
        match out.last_mut() {
            Some((_, n)) if previous.is_some_and(|p| shift(p, 1) == *day) => {
                *n = n.saturating_add(1);
            }
            Some(_) | None => out.push((*day, 1)),
        }
        previous = Some(*day);
    }
    out
}

/// SIA days of a stay that ended in death.
fn sia_days(ctx: &StayContext<'_>, days: &[(NaiveDate, Billed)]) -> Vec<SiaDay> {
    if ctx.end_reason() != Some(EndReason::Death) {
        return Vec::new();
    }
    let window_from = shift(ctx.last, 1 - SIA_LAST_DAYS);
    days.iter()
        .filter(|(day, billed)| *day >= window_from && matches!(billed, Billed::Rhc { .. }))
        .filter_map(|(day, _)| {
            let units = ctx
                .billing
                .visits
                .iter()
                .filter(|v| v.date == *day && v.discipline.earns_sia() && !v.after_death)
                .filter(|v| (1..=96).contains(&v.units))
                .fold(0u32, |sum, v| sum.saturating_add(v.units));
            (units > 0).then(|| SiaDay {
                date: *day,
                units: units.min(SIA_MAX_UNITS_PER_DAY),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn liable_spans_are_runs_and_at_most_four() {
        let d = |day: u32| NaiveDate::from_ymd_opt(2026, 3, day).unwrap();
        let liable: BTreeSet<NaiveDate> =
            [1, 2, 3, 5, 7, 8, 10, 12, 14].into_iter().map(d).collect();
        let spans: Vec<(NaiveDate, NaiveDate)> = liable_spans(&liable, d(2), d(31))
            .iter()
            .map(|s| (s.from, s.through))
            .collect();
        assert_eq!(
            spans,
            [(d(2), d(3)), (d(5), d(5)), (d(7), d(8)), (d(10), d(14))]
        );
        assert!(liable_spans(&liable, d(15), d(31)).is_empty());
    }

    #[test]
    fn quarter_hours_are_whole_increments() {
        assert_eq!(quarter_hours(0.0), 0);
        assert_eq!(quarter_hours(7.9), 31);
        assert_eq!(quarter_hours(8.0), 32);
        assert_eq!(quarter_hours(10.6), 42);
        assert_eq!(quarter_hours(24.0), 96);
    }
}
