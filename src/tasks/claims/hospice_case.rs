//! A hospice claim case (`form: Hospice`): the hospice timeline generated as the hospice kind's
//! scenarios write it, a billing file made from the generated patient (the visits drawn from the
//! seed), and the printout a hospice biller works from. The key is the claim
//! [`hospice_claim::build`] gives for the chosen document. docs/domain/claims.md §7.7.

use std::fmt::Write as _;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::case::ClaimCase;
use super::hospice_claim::{
    self, BuiltClaim, Charges, Discipline, HospiceBilling, HospiceClaimKind, Visit,
};
use super::model::{Sex, Ub04};
use super::spec::{HospiceClaimSpec, HospiceDocument, HospiceMonth};
use crate::generate::rng::{self, SimRng, in_pair};
use crate::tasks::TaskContext;
use crate::tasks::hospice::generate_timeline;
use crate::tasks::hospice::timeline::{LevelOfCare, Timeline, shift};

/// Visits are drawn for at most this many of the stay's last days (the work stays bounded).
const VISIT_DAYS: i64 = 400;

/// The hospice part of a claims case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HospiceCase {
    /// The generated hospice timeline.
    pub timeline: Timeline,
    /// The patient, hospice, diagnoses, visits and charges.
    pub billing: HospiceBilling,
    /// The document the learner files.
    pub document: HospiceDocument,
}

/// The code as a claim takes it: no dot, upper case.
fn undotted(code: &str) -> String {
    code.trim().replace('.', "").to_ascii_uppercase()
}

/// Builds the hospice part of a case from the claims case of the generated patient.
#[must_use]
pub fn build(
    ctx: &TaskContext<'_>,
    spec: &HospiceClaimSpec,
    case: &ClaimCase,
    patient_seed: u64,
) -> HospiceCase {
    let timeline =
        generate_timeline::timeline(ctx.scenario_id, &spec.timeline, ctx.as_of, patient_seed);
    let mut r = rng::rng_for(rng::patient_seed(
        &format!("{}#hospice-billing", ctx.scenario_id),
        patient_seed,
        0,
    ));
    let mut dx = case.diagnoses.iter().map(|d| undotted(&d.code));
    let principal_dx = dx.next().unwrap_or_else(|| "R99".to_string());
    let charges = Charges {
        rhc_day_cents: u64::from(in_pair(&mut r, (180, 260))) * 100,
        chc_unit_cents: u64::from(in_pair(&mut r, (15, 25))) * 100,
        respite_day_cents: u64::from(in_pair(&mut r, (400, 520))) * 100,
        gip_day_cents: u64::from(in_pair(&mut r, (1000, 1300))) * 100,
        visit_unit_cents: u64::from(in_pair(&mut r, (30, 50))) * 100,
    };
    let visits = visits(&mut r, &timeline);
    let billing = HospiceBilling {
        patient_name: format!(
            "{}, {}",
            case.family_name.to_uppercase(),
            case.given_name.to_uppercase()
        ),
        birth_date: case.birth_date,
        sex: if case.sex == "F" { Sex::F } else { Sex::M },
        insured_id: case
            .primary
            .member_id
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect(),
        billing_npi: case.facility_npi.clone(),
        attending_npi: case.provider_npi.clone(),
        principal_dx,
        other_dx: dx.take(17).collect(),
        hospital_based: false,
        home_site: "Q5001".to_string(),
        inpatient_site: "Q5006".to_string(),
        visits,
        charges,
    };
    HospiceCase {
        timeline,
        billing,
        document: spec.document,
    }
}

/// The visits of the current stay's home days (none on CHC, respite or GIP days): an RN visit
/// twice a week, an aide visit twice a week, a social worker every two weeks (now and then by
/// phone); units of 15 minutes drawn from the seed.
fn visits(r: &mut SimRng, t: &Timeline) -> Vec<Visit> {
    let index = t.elections.len().saturating_sub(1);
    let (Some(e), Some(last)) = (t.elections.get(index), t.stay_last_day(index)) else {
        return Vec::new();
    };
    let first = e.effective_date.max(shift(last, 1 - VISIT_DAYS));
    let levels = crate::tasks::hospice::levels::care_by_day(t);
    let rn = [in_pair(r, (0, 2)), in_pair(r, (3, 5))];
    let aide = [in_pair(r, (0, 2)), in_pair(r, (4, 6))];
    let social = in_pair(r, (2, 9));
    let mut out = Vec::new();
    let mut day = first;
    let mut i: u32 = 0;
    while day <= last {
        let home = levels
            .get(&day)
            .is_none_or(|l| matches!(l, LevelOfCare::Rhc));
        if home {
            let weekday = i % 7;
            if rn.contains(&weekday) {
                out.push(visit(day, Discipline::RegisteredNurse, in_pair(r, (2, 5))));
            }
            if aide.contains(&weekday) {
                out.push(visit(day, Discipline::Aide, in_pair(r, (3, 4))));
            }
            if i % 14 == social {
                let phone = rng::chance(r, 0.25);
                let who = if phone {
                    Discipline::SocialWorkerPhone
                } else {
                    Discipline::SocialWorker
                };
                out.push(visit(day, who, in_pair(r, (2, 4))));
            }
        }
        day = shift(day, 1);
        i += 1;
    }
    out
}

fn visit(date: NaiveDate, discipline: Discipline, units: u32) -> Visit {
    Visit {
        date,
        discipline,
        units,
        after_death: false,
    }
}

/// The document the case asks for, as [`hospice_claim::build`] gives it: the current stay's
/// notice of election (or transfer notice), its n-th monthly claim or the first with a
/// continuous-home-care, respite or general-inpatient line, or its NOTR. `None` when the
/// timeline gives no such document (scenario validation rules those out).
#[must_use]
pub fn chosen(h: &HospiceCase) -> Option<BuiltClaim> {
    let current = h.timeline.elections.len().checked_sub(1)?;
    let built = hospice_claim::build(&h.timeline, &h.billing);
    let mut of_stay = built.claims.into_iter().filter(|b| b.election == current);
    match h.document {
        HospiceDocument::Noe => of_stay.find(|b| {
            matches!(
                b.kind,
                HospiceClaimKind::NoticeOfElection | HospiceClaimKind::TransferNotice
            )
        }),
        HospiceDocument::Notr => of_stay.find(|b| b.kind == HospiceClaimKind::NoticeOfTermination),
        HospiceDocument::MonthlyClaim(HospiceMonth::Month(n)) => {
            let n = usize::try_from(n).ok()?.checked_sub(1)?;
            of_stay
                .filter(|b| b.kind == HospiceClaimKind::Monthly)
                .nth(n)
        }
        HospiceDocument::MonthlyClaim(HospiceMonth::LevelOfCareChange) => of_stay.find(|b| {
            b.kind == HospiceClaimKind::Monthly
                && b.claim
                    .lines
                    .iter()
                    .any(|l| matches!(l.revenue_code.as_str(), "0652" | "0655" | "0656"))
        }),
    }
}

/// The key claim: the chosen document's UB-04 (an empty UB-04 when there is none).
#[must_use]
pub fn key(h: &HospiceCase) -> Ub04 {
    chosen(h).map(|b| b.claim).unwrap_or_default()
}

fn discipline_words(d: Discipline) -> &'static str {
    match d {
        Discipline::PhysicalTherapy => "physical therapist",
        Discipline::OccupationalTherapy => "occupational therapist",
        Discipline::SpeechLanguage => "speech-language pathologist",
        Discipline::RegisteredNurse => "registered nurse",
        Discipline::PracticalNurse => "licensed practical nurse",
        Discipline::SocialWorker => "social worker (home visit)",
        Discipline::SocialWorkerPhone => "social worker (telephone call)",
        Discipline::Aide => "hospice aide",
    }
}

fn money(cents: u64) -> String {
    format!("${}.{:02}", cents / 100, cents % 100)
}

impl HospiceCase {
    /// The hospice part of the printout: the elections, the benefit periods' certifications,
    /// the days of care other than routine home care, the visit log, the charge master and the
    /// document to file. Facts only: no revenue code, G-code, frequency or occurrence code.
    #[must_use]
    pub fn printout(&self, hospice: &str) -> String {
        let mut s = String::new();
        let t = &self.timeline;
        let _ = writeln!(s, "HOSPICE RECORD ({hospice}, freestanding)");
        let _ = writeln!(
            s,
            "Hospice days before this hospice's first election (other hospices): {}",
            t.prior_hospice_days
        );
        let _ = writeln!(s, "Benefit periods used before: {}", t.prior_periods_used);
        for (i, e) in t.elections.iter().enumerate() {
            let _ = writeln!(
                s,
                "Election {}: effective {}; NOE submitted {}, accepted {}",
                i + 1,
                e.effective_date.format("%m/%d/%Y"),
                date_or(e.noe.submitted),
                date_or(e.noe.accepted)
            );
            if let Some(start) = e.transfer_in_period_start {
                let _ = writeln!(
                    s,
                    "  transferred in from another hospice; the benefit period began there on {}",
                    start.format("%m/%d/%Y")
                );
            }
            match e.end {
                Some(end) => {
                    let _ = writeln!(
                        s,
                        "  care ended {}: {}",
                        end.date.format("%m/%d/%Y"),
                        end_words(end.reason)
                    );
                }
                None => {
                    let _ = writeln!(s, "  still on service");
                }
            }
        }
        let _ = writeln!(s, "Certifications:");
        for c in &t.certifications {
            let _ = writeln!(
                s,
                "  benefit period {} certified {}",
                c.period,
                c.date.format("%m/%d/%Y")
            );
        }
        self.care_log(&mut s);
        self.visit_log(&mut s);
        let c = &self.billing.charges;
        let _ = writeln!(
            s,
            "\nCHARGE MASTER: routine home care {} a day; continuous home care {} per 15 minutes; \
             inpatient respite {} a day; general inpatient care {} a day; visits {} per 15 minutes",
            money(c.rhc_day_cents),
            money(c.chc_unit_cents),
            money(c.respite_day_cents),
            money(c.gip_day_cents),
            money(c.visit_unit_cents)
        );
        let _ = writeln!(s, "Review date: {}", t.review_date().format("%m/%d/%Y"));
        let _ = writeln!(s, "\nFILE: {}", self.document_words());
        s
    }

    fn care_log(&self, s: &mut String) {
        let _ = writeln!(
            s,
            "\nCARE LOG (every day not listed was routine care at home)"
        );
        let levels = crate::tasks::hospice::levels::care_by_day(&self.timeline);
        for (day, level) in &levels {
            let what = match level {
                LevelOfCare::Rhc => continue,
                LevelOfCare::Chc {
                    nursing_hours,
                    total_hours,
                } => format!(
                    "continuous care at home during a crisis: {total_hours} hours of care, {nursing_hours} of them by a nurse"
                ),
                LevelOfCare::Irc => "inpatient respite (caregiver relief) in a contracted facility"
                    .to_string(),
                LevelOfCare::Gip => {
                    "general inpatient care for symptoms not managed at home, hospice inpatient unit"
                        .to_string()
                }
            };
            let _ = writeln!(s, "  {}  {what}", day.format("%m/%d/%Y"));
        }
    }

    fn visit_log(&self, s: &mut String) {
        let _ = writeln!(s, "\nVISIT LOG (time as charted)");
        for v in &self.billing.visits {
            let _ = writeln!(
                s,
                "  {}  {:<32} {} minutes",
                v.date.format("%m/%d/%Y"),
                discipline_words(v.discipline),
                v.units * 15
            );
        }
    }

    fn document_words(&self) -> String {
        let n = self.timeline.elections.len();
        match self.document {
            HospiceDocument::Noe => format!("the notice of election of election {n}"),
            HospiceDocument::Notr => {
                format!("the notice of termination or revocation of election {n}")
            }
            HospiceDocument::MonthlyClaim(HospiceMonth::Month(m)) => {
                let month = chosen(self)
                    .and_then(|b| b.claim.statement_from)
                    .map_or_else(String::new, |d| format!(" ({})", d.format("%B %Y")));
                format!("the claim for month {m} of election {n}{month}")
            }
            HospiceDocument::MonthlyClaim(HospiceMonth::LevelOfCareChange) => {
                let month = chosen(self)
                    .and_then(|b| b.claim.statement_from)
                    .map_or_else(String::new, |d| format!(" {}", d.format("%B %Y")));
                format!(
                    "the monthly claim of election {n} for{month}, the month care moved off routine home care"
                )
            }
        }
    }
}

fn date_or(d: Option<NaiveDate>) -> String {
    d.map_or_else(
        || "not on file".to_string(),
        |d| d.format("%m/%d/%Y").to_string(),
    )
}

fn end_words(reason: crate::tasks::hospice::EndReason) -> &'static str {
    use crate::tasks::hospice::EndReason;
    match reason {
        EndReason::Revocation => "the patient revoked the election (signed statement on file)",
        EndReason::LiveDischarge => "discharged alive",
        EndReason::TransferOut => "transferred to another hospice",
        EndReason::Death => "the patient died",
    }
}
