//! Hospice records under the Medicare hospice benefit (42 CFR Part 418): the patient's
//! [`Timeline`] and the rules engine [`evaluate`] that derives benefit periods, certification
//! windows, F2F requirements, NOE deadline and provider-liable days, assessment and IDG
//! deadlines, HOPE windows and SFV due dates, and level-of-care payment rules, each rule
//! reporting a [`Finding`] with its regulation reference.
//!
//! Invariants: [`evaluate`] is a pure function of a validated timeline; findings are sorted by
//! (date, rule, message); every list of dates is sorted; a deadline after the review date
//! (`as_of`, default the latest date in the timeline) is pending and produces no finding.

pub mod care;
pub mod certification;
pub mod election;
pub mod generate_timeline;
pub mod hope;
pub mod levels;
pub mod periods;
pub mod timeline;

use chrono::NaiveDate;
use serde::Serialize;

pub use care::CareDeadlines;
pub use election::NoeStatus;
pub use hope::HopeWindows;
pub use periods::BenefitPeriod;
pub use timeline::{
    Attending, CareDays, Certification, CertificationForm, CertificationKind, Election,
    ElectionElement, EndReason, F2fEncounter, HopeDayCounting, HopeKind, HopeRecord,
    HospiceSettings, LevelOfCare, Noe, Role, SfvNotDone, StayEnd, Symptom, Timeline, TimelineError,
};

/// Regulation and guidance references cited by findings.
pub mod refs {
    /// Benefit periods.
    pub(crate) const PERIODS: &str = "42 CFR 418.21";
    /// Revocation.
    pub const REVOCATION: &str = "42 CFR 418.28; 42 CFR 418.21";
    /// Written/oral certification within 2 days.
    pub(crate) const CERT_ORAL: &str = "42 CFR 418.22(a)(3)(i)";
    /// Initial certification no earlier than 15 days before the effective date.
    pub(crate) const CERT_INITIAL_EARLIEST: &str = "42 CFR 418.22(a)(3)(ii)";
    /// Recertification no earlier than 15 days before the period.
    pub(crate) const CERT_RECERT_EARLIEST: &str = "42 CFR 418.22(a)(3)(iii)";
    /// Who certifies.
    pub(crate) const CERT_SIGNERS: &str = "42 CFR 418.22(c)";
    /// Face-to-face encounter.
    pub const F2F: &str = "42 CFR 418.22(a)(4); MBPM ch.9 §20.1";
    /// Election statement content.
    pub(crate) const ELECTION: &str = "42 CFR 418.24(b)";
    /// Notice of Election.
    pub const NOE: &str = "42 CFR 418.24(a)(2)-(3)";
    /// RN initial assessment.
    pub(crate) const INITIAL_ASSESSMENT: &str = "42 CFR 418.54(a)";
    /// Comprehensive assessment.
    pub(crate) const COMPREHENSIVE_ASSESSMENT: &str = "42 CFR 418.54(b)";
    /// IDG review of the plan of care.
    pub const IDG: &str = "42 CFR 418.56(d)";
    /// Levels of care and payment (respite, RHC rates).
    pub(crate) const LEVELS: &str = "42 CFR 418.302; MCPM ch.11 §30.1";
    /// Continuous home care.
    pub(crate) const CHC: &str = "42 CFR 418.302; 42 CFR 418.204(a); MCPM ch.11 §30.1";
    /// HOPE timepoints.
    pub const HOPE: &str = "HOPE Guidance Manual (A0250 timepoints); FY2025 Hospice final rule";
    /// HOPE symptom follow-up visit.
    pub(crate) const HOPE_SFV: &str =
        "HOPE Guidance Manual J2051-J2052; HOPE data specs edit -3105";
}

/// The outcome of one rule on one date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Stable rule id, e.g. `noe.timely`, `cert.signers`, `hope.sfv`.
    pub rule: &'static str,
    /// The date the finding is about (the event, or the missed deadline).
    pub date: NaiveDate,
    /// Whether the record complies.
    pub ok: bool,
    /// What was found, with the dates worked out.
    pub message: String,
    /// Regulation or guidance reference.
    pub reference: &'static str,
}

impl Finding {
    /// A finding.
    #[must_use]
    pub fn new(
        rule: &'static str,
        date: NaiveDate,
        ok: bool,
        message: String,
        reference: &'static str,
    ) -> Self {
        Self {
            rule,
            date,
            ok,
            message,
            reference,
        }
    }
}

/// Everything the engine derives from a timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HospiceReport {
    /// Benefit periods, in order.
    pub periods: Vec<BenefitPeriod>,
    /// NOE status per election.
    pub noe: Vec<NoeStatus>,
    /// Assessment and IDG deadlines per election.
    pub care: Vec<CareDeadlines>,
    /// HOPE windows per election that HOPE applies to.
    pub hope: Vec<HopeWindows>,
    /// First day at the lower RHC rate, per election.
    pub rhc_low_rate_from: Vec<Option<NaiveDate>>,
    /// Every finding, sorted by (date, rule, message).
    pub findings: Vec<Finding>,
}

/// Applies every hospice rule to a timeline.
#[must_use]
pub fn evaluate(t: &Timeline) -> HospiceReport {
    let periods = periods::benefit_periods(t);
    let noe = election::noe_statuses(t);
    let care = care::care_deadlines(t);
    let hope = hope::hope_windows(t);
    let rhc_low_rate_from = levels::rhc_low_rate_from(t);
    let mut findings = periods::period_findings(&periods);
    findings.extend(certification::certification_findings(t, &periods));
    findings.extend(election::statement_findings(t));
    findings.extend(election::noe_findings(t, &noe));
    findings.extend(care::care_findings(t, &care));
    findings.extend(hope::hope_findings(t, &hope));
    findings.extend(levels::level_findings(t, &rhc_low_rate_from));
    findings.sort_by(|a, b| (a.date, a.rule, &a.message).cmp(&(b.date, b.rule, &b.message)));
    HospiceReport {
        periods,
        noe,
        care,
        hope,
        rhc_low_rate_from,
        findings,
    }
}

/// One benefit period in the `key hospice --json` shape.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PeriodKey {
    /// Period number.
    pub number: u32,
    /// First day.
    pub start: NaiveDate,
    /// Scheduled last day.
    pub end: NaiveDate,
    /// Length in days.
    pub days: u32,
    /// Earliest certification date.
    pub cert_earliest: NaiveDate,
    /// Last date for a written or oral certification.
    pub oral_cert_deadline: NaiveDate,
    /// Whether an F2F is required.
    pub f2f_required: bool,
    /// F2F window `[from, to]`, or `null`.
    pub f2f_window: Option<[NaiveDate; 2]>,
}

/// The NOE of the current election in the `key hospice --json` shape.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NoeKey {
    /// NOE deadline.
    pub deadline: Option<NaiveDate>,
    /// `true`/`false`, or `null` while pending.
    pub timely: Option<bool>,
    /// Provider-liable days, sorted ISO dates.
    pub provider_liable_days: Vec<NaiveDate>,
}

/// HOPE windows of the current election in the `key hospice --json` shape.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HopeKey {
    /// HUV1 window `[from, to]`, or `null` when HOPE does not apply.
    pub huv1_window: Option<[NaiveDate; 2]>,
    /// HUV2 window `[from, to]`, or `null` when HOPE does not apply.
    pub huv2_window: Option<[NaiveDate; 2]>,
    /// SFV due dates, sorted.
    pub sfv_due: Vec<NaiveDate>,
}

/// The whole `ehr-sim key hospice --json` output, fields in the documented order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HospiceKey {
    /// Benefit periods.
    pub periods: Vec<PeriodKey>,
    /// NOE of the current (last) election.
    pub noe: NoeKey,
    /// HOPE windows of the current (last) election.
    pub hope: HopeKey,
    /// Every finding, sorted.
    pub findings: Vec<Finding>,
}

impl HospiceReport {
    /// The `ehr-sim key hospice --json` shape. `noe` and `hope` describe the current (last)
    /// election (earlier elections are covered by the findings); `provider_liable_days` is a
    /// sorted list of ISO dates; a window is `[from, to]`, or `null` when it does not apply.
    #[must_use]
    pub fn key(&self) -> HospiceKey {
        let pair = |w: (NaiveDate, NaiveDate)| [w.0, w.1];
        let current = self.noe.last();
        let current_election = current.map(|n| n.election);
        let hope = self
            .hope
            .iter()
            .find(|h| Some(h.election) == current_election);
        HospiceKey {
            periods: self
                .periods
                .iter()
                .map(|p| PeriodKey {
                    number: p.number,
                    start: p.start,
                    end: p.end,
                    days: p.days,
                    cert_earliest: p.cert_earliest,
                    oral_cert_deadline: p.oral_cert_deadline,
                    f2f_required: p.f2f_required,
                    f2f_window: p.f2f_window.map(pair),
                })
                .collect(),
            noe: NoeKey {
                deadline: current.map(|n| n.deadline),
                timely: current.and_then(|n| n.timely),
                provider_liable_days: current
                    .map(|n| n.provider_liable_days.clone())
                    .unwrap_or_default(),
            },
            hope: HopeKey {
                huv1_window: hope.map(|h| pair(h.huv1_window)),
                huv2_window: hope.map(|h| pair(h.huv2_window)),
                sfv_due: hope.map(|h| h.sfv_due.clone()).unwrap_or_default(),
            },
            findings: self.findings.clone(),
        }
    }
}
pub mod spec;
pub mod task;

pub use spec::HospiceSpec;
pub use task::Hospice;
