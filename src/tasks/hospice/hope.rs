//! HOPE (Hospice Outcomes and Patient Evaluation) timepoints and Symptom Follow-up Visits.
//!
//! Rules (docs/domain/hospice.md §7): HOPE applies to admissions from 2025-10-01. With the
//! default day counting (admission date = day 1) the admission record is due in days 1–5 (admission to
//! admission plus 4), HUV1 in days 6–15 (admission plus 5 to plus 14) and HUV2 in days 16–30
//! (admission plus 15 to plus 29); counting the admission as day 0 moves every window end and
//! the HUV windows one day later. An HUV is required only if the patient is still in care on the last day of
//! its window. Any J2051 symptom rated 2 (moderate) or 3 (severe) on an admission, HUV1 or HUV2
//! record makes an in-person SFV due within 2 calendar days of that screening (on the screening
//! day up to screening + 2). A stay that ended needs a discharge record dated the discharge
//! date. Pending deadlines (after the review date) produce no finding.

use chrono::NaiveDate;
use serde::Serialize;

use super::timeline::{HopeDayCounting, HopeKind, HopeRecord, SfvNotDone, Timeline, shift};
use super::{Finding, refs};

/// HOPE windows and SFV due dates of one stay.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HopeWindows {
    /// Index of the election (stay).
    pub election: usize,
    /// Admission record window.
    pub admission_window: (NaiveDate, NaiveDate),
    /// HUV1 window.
    pub huv1_window: (NaiveDate, NaiveDate),
    /// HUV2 window.
    pub huv2_window: (NaiveDate, NaiveDate),
    /// SFV due dates (screening + 2) for every screening with a symptom rated 2 or 3, sorted.
    pub sfv_due: Vec<NaiveDate>,
}

/// HOPE starts with admissions on or after this date.
#[must_use]
pub(crate) fn hope_start() -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(2025, 10, 1)
}

/// Days after a screening by which the SFV is due.
pub(crate) const SFV_DAYS: i64 = 2;

/// Whether a record's ratings make an SFV due.
#[must_use]
pub(crate) fn needs_sfv(record: &HopeRecord) -> bool {
    record.kind != HopeKind::Discharge && record.symptom_impact.values().any(|&r| r == 2 || r == 3)
}

/// The HOPE windows of every stay that HOPE applies to (admissions from 2025-10-01).
#[must_use]
pub(crate) fn hope_windows(t: &Timeline) -> Vec<HopeWindows> {
    let offset = match t.settings.hope_day_counting {
        HopeDayCounting::AdmissionIsDay1 => 0,
        HopeDayCounting::AdmissionIsDay0 => 1,
    };
    t.elections
        .iter()
        .enumerate()
        .filter(|(_, e)| hope_start().is_some_and(|d| e.effective_date >= d))
        .map(|(index, e)| {
            let adm = e.effective_date;
            let mut sfv_due: Vec<NaiveDate> = records_of(t, index)
                .into_iter()
                .filter(|r| needs_sfv(r))
                .map(|r| shift(r.date, SFV_DAYS))
                .collect();
            sfv_due.sort_unstable();
            sfv_due.dedup();
            HopeWindows {
                election: index,
                admission_window: (adm, shift(adm, 4 + offset)),
                huv1_window: (shift(adm, 5 + offset), shift(adm, 14 + offset)),
                huv2_window: (shift(adm, 15 + offset), shift(adm, 29 + offset)),
                sfv_due,
            }
        })
        .collect()
}

fn records_of(t: &Timeline, index: usize) -> Vec<&HopeRecord> {
    let mut records: Vec<&HopeRecord> = t
        .hope_records
        .iter()
        .filter(|r| t.election_on(r.date) == Some(index))
        .collect();
    records.sort_by_key(|r| (r.date, r.kind));
    records
}

fn kind_name(kind: HopeKind) -> &'static str {
    match kind {
        HopeKind::Admission => "admission",
        HopeKind::Huv1 => "HUV1",
        HopeKind::Huv2 => "HUV2",
        HopeKind::Discharge => "discharge",
    }
}

/// Findings for the HOPE records and SFVs of every stay.
#[must_use]
pub(crate) fn hope_findings(t: &Timeline, windows: &[HopeWindows]) -> Vec<Finding> {
    let review = t.review_date();
    let mut out = Vec::new();
    for w in windows {
        let Some(e) = t.elections.get(w.election) else {
            continue;
        };
        let last_day = t.stay_last_day(w.election).unwrap_or(e.effective_date);
        let records = records_of(t, w.election);
        for (kind, (from, to)) in [
            (HopeKind::Admission, w.admission_window),
            (HopeKind::Huv1, w.huv1_window),
            (HopeKind::Huv2, w.huv2_window),
        ] {
            let rule = match kind {
                HopeKind::Admission => "hope.admission",
                HopeKind::Huv1 => "hope.huv1",
                HopeKind::Huv2 | HopeKind::Discharge => "hope.huv2",
            };
            let name = kind_name(kind);
            match records.iter().find(|r| r.kind == kind) {
                Some(r) => {
                    let ok = r.date >= from && r.date <= to;
                    out.push(Finding::new(
                        rule,
                        r.date,
                        ok,
                        format!(
                            "HOPE {name} record on {}{} the window {from}–{to}",
                            r.date,
                            if ok { ", within" } else { ", outside" }
                        ),
                        refs::HOPE,
                    ));
                }
                None => {
                    let required = kind == HopeKind::Admission || last_day >= to;
                    if required && to < review {
                        out.push(Finding::new(
                            rule,
                            to,
                            false,
                            format!("no HOPE {name} record in the window {from}–{to}"),
                            refs::HOPE,
                        ));
                    }
                }
            }
        }
        if let Some(end) = e.end {
            let discharge = records.iter().find(|r| r.kind == HopeKind::Discharge);
            let (date, ok, message) = match discharge {
                Some(r) if r.date == end.date => {
                    (r.date, true, format!("HOPE discharge record on {}", r.date))
                }
                Some(r) => (
                    r.date,
                    false,
                    format!(
                        "HOPE discharge record dated {}, but the stay ended {}",
                        r.date, end.date
                    ),
                ),
                None => (
                    end.date,
                    false,
                    format!(
                        "no HOPE discharge record for the stay that ended {}",
                        end.date
                    ),
                ),
            };
            out.push(Finding::new(
                "hope.discharge",
                date,
                ok,
                message,
                refs::HOPE,
            ));
        }
        for r in records.iter().filter(|r| needs_sfv(r)) {
            sfv(t, r, review, &mut out);
        }
    }
    out
}

fn sfv(t: &Timeline, r: &HopeRecord, review: NaiveDate, out: &mut Vec<Finding>) {
    let due = shift(r.date, SFV_DAYS);
    let rated: Vec<String> = r
        .symptom_impact
        .iter()
        .filter(|(_, rating)| matches!(rating, 2 | 3))
        .map(|(symptom, rating)| format!("{symptom:?} {rating}"))
        .collect();
    let screening = format!(
        "{} screening on {} rated {}",
        kind_name(r.kind),
        r.date,
        rated.join(", ")
    );
    let visit = t
        .sfv_dates
        .iter()
        .copied()
        .filter(|&d| d >= r.date && d <= due)
        .min();
    if let Some(d) = visit {
        out.push(Finding::new(
            "hope.sfv",
            d,
            true,
            format!("{screening}: symptom follow-up visit on {d}, by {due}"),
            refs::HOPE_SFV,
        ));
    } else if due < review || r.sfv_not_done.is_some() {
        let why = r.sfv_not_done.map_or("", |reason| match reason {
            SfvNotDone::Declined => " (recorded reason: declined)",
            SfvNotDone::PatientUnavailable => " (recorded reason: patient unavailable)",
            SfvNotDone::UnableToContact => " (recorded reason: unable to contact)",
            SfvNotDone::NoneOfTheAbove => " (recorded reason: none of the above)",
        });
        out.push(Finding::new(
            "hope.sfv",
            due,
            false,
            format!("{screening}: no symptom follow-up visit by {due}{why}"),
            refs::HOPE_SFV,
        ));
    }
}
