//! What the hospice timeline shows, as plain data (no egui): the events documented in the
//! record, the benefit periods the learner entered, and the care-log days with the level the
//! learner chose for each.
//!
//! Invariants: events come only from the chart the learner reads (never from the key or the
//! generated timeline behind it); periods and levels come only from the learner's answer, so
//! nothing here can reveal an answer. Every list is sorted (events by date, then kind, then
//! the record's order; periods in the learner's row order; care days by date).

use chrono::NaiveDate;
use serde_json::Value;

use crate::tasks::hospice::task::CareLogDay;
use crate::tasks::hospice::{
    CertificationForm, CertificationKind, EndReason, HopeKind, Role, Timeline,
};

/// The kind of a documented event: decides its marker's shape, colour and legend entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum MarkerKind {
    /// Election (admission), re-election or transfer in.
    Election,
    /// Notice of Election submitted or accepted.
    Noe,
    /// RN initial or comprehensive assessment.
    Assessment,
    /// Written certification or recertification.
    CertWritten,
    /// Oral (verbal) certification.
    CertOral,
    /// Face-to-face encounter.
    F2f,
    /// IDG review of the plan of care.
    Idg,
    /// HOPE record (admission, HUV1, HUV2, discharge).
    Hope,
    /// Symptom follow-up visit.
    Sfv,
    /// Revocation, live discharge, transfer out or death.
    StayEnd,
}

impl MarkerKind {
    /// Every kind, in legend order.
    pub(super) const ALL: [MarkerKind; 10] = [
        MarkerKind::Election,
        MarkerKind::Noe,
        MarkerKind::Assessment,
        MarkerKind::CertWritten,
        MarkerKind::CertOral,
        MarkerKind::F2f,
        MarkerKind::Idg,
        MarkerKind::Hope,
        MarkerKind::Sfv,
        MarkerKind::StayEnd,
    ];

    /// The legend's words.
    pub(super) fn legend(self) -> &'static str {
        match self {
            MarkerKind::Election => "Election / admission",
            MarkerKind::Noe => "NOE",
            MarkerKind::Assessment => "RN assessment",
            MarkerKind::CertWritten => "Certification (written)",
            MarkerKind::CertOral => "Certification (oral)",
            MarkerKind::F2f => "Face-to-face",
            MarkerKind::Idg => "IDG review",
            MarkerKind::Hope => "HOPE record",
            MarkerKind::Sfv => "Symptom follow-up visit",
            MarkerKind::StayEnd => "Revocation / discharge",
        }
    }
}

/// One documented event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Event {
    /// The day it happened.
    pub date: NaiveDate,
    /// Its marker.
    pub kind: MarkerKind,
    /// A short label drawn beside the marker.
    pub label: String,
    /// The full sentence for the hover and the summary list.
    pub detail: String,
}

/// The events documented in the chart, sorted by date and kind (same-day events of one kind in
/// the record's order).
pub(super) fn documented_events(t: &Timeline) -> Vec<Event> {
    let mut out = Vec::new();
    let mut push = |date: NaiveDate, kind: MarkerKind, label: String, detail: String| {
        out.push(Event {
            date,
            kind,
            label,
            detail,
        });
    };
    for (i, e) in t.elections.iter().enumerate() {
        let n = i + 1;
        let (label, what) = match (i, e.transfer_in_period_start) {
            (0, Some(start)) => (
                "Transfer in".to_string(),
                format!(
                    "Transfer in (election {n}); the benefit period began {start} at the previous hospice"
                ),
            ),
            (0, None) => (
                "Election".to_string(),
                format!("Election {n} effective (admission)"),
            ),
            _ => (
                format!("Re-election {n}"),
                format!("Re-election: election {n} effective (admission)"),
            ),
        };
        push(
            e.effective_date,
            MarkerKind::Election,
            label,
            format!(
                "{what}; statement signed {}; attending: {}",
                e.statement_date,
                attending_words(e.attending)
            ),
        );
        if let Some(d) = e.noe.submitted {
            push(
                d,
                MarkerKind::Noe,
                "NOE sent".into(),
                format!("Notice of Election for election {n} submitted to the MAC"),
            );
        }
        if let Some(d) = e.noe.accepted {
            push(
                d,
                MarkerKind::Noe,
                "NOE accepted".into(),
                format!("Notice of Election for election {n} accepted by the MAC"),
            );
        }
        if let Some(d) = e.initial_assessment {
            push(
                d,
                MarkerKind::Assessment,
                "RN initial".into(),
                format!("RN initial assessment (election {n})"),
            );
        }
        if let Some(d) = e.comprehensive_assessment {
            push(
                d,
                MarkerKind::Assessment,
                "Comprehensive".into(),
                format!("Comprehensive assessment completed (election {n})"),
            );
        }
        if let Some(end) = e.end {
            let (label, words) = match end.reason {
                EndReason::Revocation => ("Revoked", "revoked by the patient"),
                EndReason::LiveDischarge => ("Live discharge", "live discharge"),
                EndReason::TransferOut => ("Transfer out", "transfer to another hospice"),
                EndReason::Death => ("Death", "death"),
            };
            push(
                end.date,
                MarkerKind::StayEnd,
                label.into(),
                format!("Stay {n} ended: {words} (last day of hospice care)"),
            );
        }
    }
    for c in &t.certifications {
        let kind = match c.kind {
            Some(CertificationKind::Initial) => "initial certification",
            Some(CertificationKind::Recertification) => "recertification",
            None => "certification",
        };
        let (marker, form) = match c.form {
            CertificationForm::Written => (MarkerKind::CertWritten, "written"),
            CertificationForm::Oral => (MarkerKind::CertOral, "oral"),
        };
        let suffix = if marker == MarkerKind::CertOral {
            " oral"
        } else {
            ""
        };
        push(
            c.date,
            marker,
            format!("Cert P{}{suffix}", c.period),
            format!(
                "Period {} {kind}, {form}, dated {}, signed by {}",
                c.period,
                c.date,
                roles(&c.signers)
            ),
        );
    }
    for f in &t.f2f_encounters {
        push(
            f.date,
            MarkerKind::F2f,
            "F2F".into(),
            format!("Face-to-face encounter by the {}", f.performed_by.name()),
        );
    }
    for d in &t.idg_reviews {
        push(
            *d,
            MarkerKind::Idg,
            "IDG".into(),
            "IDG review of the plan of care".into(),
        );
    }
    for h in &t.hope_records {
        let (label, words) = match h.kind {
            HopeKind::Admission => ("HOPE adm", "HOPE admission record"),
            HopeKind::Huv1 => ("HUV1", "HOPE update visit 1 (HUV1)"),
            HopeKind::Huv2 => ("HUV2", "HOPE update visit 2 (HUV2)"),
            HopeKind::Discharge => ("HOPE dc", "HOPE discharge record"),
        };
        push(h.date, MarkerKind::Hope, label.into(), words.into());
    }
    for d in &t.sfv_dates {
        push(
            *d,
            MarkerKind::Sfv,
            "SFV".into(),
            "Symptom follow-up visit (in person)".into(),
        );
    }
    // Stable: same-day events of one kind keep the record's order (NOE sent before accepted).
    out.sort_by_key(|e| (e.date, e.kind));
    out
}

fn attending_words(a: crate::tasks::hospice::Attending) -> &'static str {
    use crate::tasks::hospice::Attending;
    match a {
        Attending::NoAttending => "none chosen",
        Attending::Physician => "physician",
        Attending::NursePractitioner => "nurse practitioner",
        Attending::PhysicianAssistant => "physician assistant",
    }
}

fn roles(signers: &[Role]) -> String {
    signers
        .iter()
        .map(|r| r.name())
        .collect::<Vec<_>>()
        .join(" and ")
}

/// A benefit period the learner entered, with both dates readable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct PeriodBand {
    /// The period number the learner gave, if any.
    pub number: Option<u32>,
    /// The row of the learner's period list (0-based).
    pub row: usize,
    /// First day.
    pub start: NaiveDate,
    /// Last day (inclusive).
    pub end: NaiveDate,
}

impl PeriodBand {
    /// The short name drawn in the band: "P2", or "Row 2" without a number.
    pub(super) fn name(&self) -> String {
        match self.number {
            Some(n) => format!("P{n}"),
            None => format!("Row {}", self.row + 1),
        }
    }

    /// Days in the period, both ends included.
    pub(super) fn length_days(&self) -> i64 {
        (self.end - self.start).num_days() + 1
    }

    /// The summary line: "Period 2 band: 2028-04-09 to 2028-07-07 (90 days)".
    pub(super) fn summary(&self) -> String {
        let name = match self.number {
            Some(n) => format!("Period {n}"),
            None => format!("Period row {}", self.row + 1),
        };
        format!(
            "{name} band: {} to {} ({} days)",
            self.start,
            self.end,
            self.length_days()
        )
    }
}

/// The learner's periods that can be drawn, and a sentence for each row that cannot (in row
/// order). Rows with neither date are skipped silently (a freshly added row).
pub(super) fn learner_periods(answer: &Value) -> (Vec<PeriodBand>, Vec<String>) {
    let mut bands = Vec::new();
    let mut problems = Vec::new();
    let rows = answer
        .get("periods")
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice);
    for (row, p) in rows.iter().enumerate() {
        let number = p
            .get("number")
            .and_then(Value::as_f64)
            .filter(|n| n.fract() == 0.0 && *n >= 0.0 && *n <= f64::from(u32::MAX))
            .and_then(|n| format!("{n:.0}").parse::<u32>().ok());
        let text = |field: &str| {
            p.get(field)
                .and_then(Value::as_str)
                .map(str::trim)
                .filter(|s| !s.is_empty())
        };
        let (start_text, end_text) = (text("start"), text("end"));
        if start_text.is_none() && end_text.is_none() {
            continue;
        }
        let date = |s: Option<&str>| s.and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok());
        let name = format!("Period row {}", row + 1);
        match (date(start_text), date(end_text)) {
            (Some(start), Some(end)) if end >= start => bands.push(PeriodBand {
                number,
                row,
                start,
                end,
            }),
            (Some(start), Some(end)) => {
                problems.push(format!("{name}: the end {end} is before the start {start}"));
            }
            (None, _) => problems.push(format!(
                "{name}: the start is not a date (write YYYY-MM-DD)"
            )),
            (_, None) => problems.push(format!("{name}: the end is not a date (write YYYY-MM-DD)")),
        }
    }
    (bands, problems)
}

/// A level of care, as the learner names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum CareLevel {
    /// Routine home care.
    Rhc,
    /// Continuous home care.
    Chc,
    /// General inpatient care.
    Gip,
    /// Inpatient respite care.
    Irc,
}

impl CareLevel {
    /// Every level, in legend order.
    pub(super) const ALL: [CareLevel; 4] = [
        CareLevel::Rhc,
        CareLevel::Chc,
        CareLevel::Gip,
        CareLevel::Irc,
    ];

    /// The abbreviation.
    pub(super) fn code(self) -> &'static str {
        match self {
            CareLevel::Rhc => "RHC",
            CareLevel::Chc => "CHC",
            CareLevel::Gip => "GIP",
            CareLevel::Irc => "IRC",
        }
    }

    /// The legend's words.
    pub(super) fn legend(self) -> &'static str {
        match self {
            CareLevel::Rhc => "RHC routine home care",
            CareLevel::Chc => "CHC continuous home care",
            CareLevel::Gip => "GIP general inpatient",
            CareLevel::Irc => "IRC inpatient respite",
        }
    }

    /// Reads "RHC", "chc", " Gip " …; anything else is `None`.
    pub(super) fn parse(text: &str) -> Option<Self> {
        let t = text.trim();
        Self::ALL
            .into_iter()
            .find(|l| l.code().eq_ignore_ascii_case(t))
    }
}

/// One care-log day with the level the learner chose for it.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct CareCell {
    /// The day.
    pub date: NaiveDate,
    /// Where the care was given, as logged.
    pub setting: String,
    /// RN/LPN hours (home only).
    pub nursing_hours: f64,
    /// Aide/homemaker hours (home only).
    pub aide_hours: f64,
    /// The learner's level for the day, if they chose a known one.
    pub level: Option<CareLevel>,
}

impl CareCell {
    /// Whether the log records hours of care at home this day.
    pub(super) fn is_home(&self) -> bool {
        self.setting == "home"
    }

    /// Total logged hours.
    pub(super) fn total_hours(&self) -> f64 {
        self.nursing_hours + self.aide_hours
    }

    /// The short hours label drawn under the strip ("10 h"): home days with more than a
    /// routine visit's hour of care (every day's hours are in its hover and the summary).
    pub(super) fn hours_label(&self) -> Option<String> {
        (self.is_home() && self.total_hours() > 1.0)
            .then(|| format!("{} h", hours(self.total_hours())))
    }

    /// The documented care in words, e.g. "home: nursing 6 h, aide 4 h".
    pub(super) fn documented(&self) -> String {
        if self.is_home() {
            format!(
                "home: nursing {} h, aide {} h",
                hours(self.nursing_hours),
                hours(self.aide_hours)
            )
        } else {
            self.setting.clone()
        }
    }

    /// The summary line: "2028-03-01 — home: nursing 6 h, aide 4 h — your level: CHC".
    pub(super) fn summary(&self) -> String {
        let level = self.level.map_or_else(
            || "level not chosen yet".to_string(),
            |l| format!("your level: {}", l.code()),
        );
        format!("{} — {} — {level}", self.date, self.documented())
    }
}

/// Hours without a trailing ".0" ("6", "7.5").
fn hours(h: f64) -> String {
    let rounded = (h * 10.0).round() / 10.0;
    if rounded.fract() == 0.0 {
        format!("{rounded:.0}")
    } else {
        format!("{rounded:.1}")
    }
}

/// The care log by date, each day with the level the learner's answer gives it.
pub(super) fn care_cells(log: &[CareLogDay], answer: &Value) -> Vec<CareCell> {
    let chosen = answer
        .get("levels_of_care")
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice);
    let level_on = |d: NaiveDate| {
        let iso = d.format("%Y-%m-%d").to_string();
        chosen
            .iter()
            .filter(|row| {
                row.get("date")
                    .and_then(Value::as_str)
                    .is_some_and(|s| s.trim() == iso)
            })
            .find_map(|row| {
                row.get("level")
                    .and_then(Value::as_str)
                    .and_then(CareLevel::parse)
            })
    };
    let mut out: Vec<CareCell> = log
        .iter()
        .map(|d| CareCell {
            date: d.date,
            setting: d.setting.clone(),
            nursing_hours: d.nursing_hours,
            aide_hours: d.aide_hours,
            level: level_on(d.date),
        })
        .collect();
    out.sort_by_key(|c| c.date);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    const RECORD: &str = r#"(
        elections: [
            (effective_date: "2028-01-10", statement_date: "2028-01-09", attending: Physician,
             noe: (submitted: "2028-01-11", accepted: "2028-01-12"),
             initial_assessment: "2028-01-11",
             end: (date: "2028-05-01", reason: Revocation)),
            (effective_date: "2028-06-01", statement_date: "2028-06-01", attending: NursePractitioner,
             noe: (accepted: "2028-06-03")),
        ],
        certifications: [
            (period: 3, form: Oral, date: "2028-06-01", signers: [HospiceMedicalDirector]),
            (period: 1, kind: Initial, date: "2028-01-10", signers: [HospiceMedicalDirector, AttendingPhysician]),
        ],
        f2f_encounters: [(date: "2028-05-28", performed_by: HospiceNursePractitioner)],
        idg_reviews: ["2028-01-24"],
        hope_records: [(kind: Huv1, date: "2028-06-08")],
        sfv_dates: ["2028-06-09"],
    )"#;

    #[test]
    fn events_come_from_the_record_in_date_order() {
        let t = Timeline::from_ron(RECORD).unwrap();
        let got: Vec<(String, MarkerKind, String)> = documented_events(&t)
            .into_iter()
            .map(|e| (e.date.to_string(), e.kind, e.label))
            .collect();
        let want = [
            ("2028-01-10", MarkerKind::Election, "Election"),
            ("2028-01-10", MarkerKind::CertWritten, "Cert P1"),
            ("2028-01-11", MarkerKind::Noe, "NOE sent"),
            ("2028-01-11", MarkerKind::Assessment, "RN initial"),
            ("2028-01-12", MarkerKind::Noe, "NOE accepted"),
            ("2028-01-24", MarkerKind::Idg, "IDG"),
            ("2028-05-01", MarkerKind::StayEnd, "Revoked"),
            ("2028-05-28", MarkerKind::F2f, "F2F"),
            ("2028-06-01", MarkerKind::Election, "Re-election 2"),
            ("2028-06-01", MarkerKind::CertOral, "Cert P3 oral"),
            ("2028-06-03", MarkerKind::Noe, "NOE accepted"),
            ("2028-06-08", MarkerKind::Hope, "HUV1"),
            ("2028-06-09", MarkerKind::Sfv, "SFV"),
        ];
        let want: Vec<(String, MarkerKind, String)> = want
            .iter()
            .map(|(a, k, l)| ((*a).to_string(), *k, (*l).to_string()))
            .collect();
        assert_eq!(got, want);
        let events = documented_events(&t);
        assert_eq!(
            events[0].detail,
            "Election 1 effective (admission); statement signed 2028-01-09; attending: physician"
        );
        assert_eq!(
            events[9].detail,
            "Period 3 certification, oral, dated 2028-06-01, signed by hospice medical director"
        );
        assert_eq!(
            events[6].detail,
            "Stay 1 ended: revoked by the patient (last day of hospice care)"
        );
    }

    #[test]
    fn periods_are_read_from_the_answer_with_problems_named() {
        let answer = json!({"periods": [
            {"number": 1.0, "start": "2028-01-10", "end": "2028-04-08"},
            {"number": null, "start": null, "end": null},
            {"number": 2.0, "start": "2028-04-09", "end": "2028-03-01"},
            {"number": 3.0, "start": "June", "end": "2028-08-01"},
            {"start": "2028-06-01", "end": "2028-07-30"},
        ]});
        let (bands, problems) = learner_periods(&answer);
        assert_eq!(
            bands,
            vec![
                PeriodBand {
                    number: Some(1),
                    row: 0,
                    start: d("2028-01-10"),
                    end: d("2028-04-08")
                },
                PeriodBand {
                    number: None,
                    row: 4,
                    start: d("2028-06-01"),
                    end: d("2028-07-30")
                },
            ]
        );
        assert_eq!(
            bands[0].summary(),
            "Period 1 band: 2028-01-10 to 2028-04-08 (90 days)"
        );
        assert_eq!(bands[1].name(), "Row 5");
        assert_eq!(
            problems,
            vec![
                "Period row 3: the end 2028-03-01 is before the start 2028-04-09".to_string(),
                "Period row 4: the start is not a date (write YYYY-MM-DD)".to_string(),
            ]
        );
        assert_eq!(learner_periods(&json!({})), (vec![], vec![]));
    }

    #[test]
    fn care_cells_take_the_learners_level() {
        let log = vec![
            CareLogDay {
                date: d("2028-03-02"),
                setting: "home".into(),
                nursing_hours: 6.0,
                aide_hours: 4.5,
            },
            CareLogDay {
                date: d("2028-03-01"),
                setting: "hospice inpatient unit".into(),
                nursing_hours: 0.0,
                aide_hours: 0.0,
            },
        ];
        let answer = json!({"levels_of_care": [
            {"date": "2028-03-02", "level": " chc "},
            {"date": "2028-03-01", "level": "ICU"},
        ]});
        let cells = care_cells(&log, &answer);
        assert_eq!(cells[0].date, d("2028-03-01"));
        assert_eq!(cells[0].level, None);
        assert_eq!(cells[0].hours_label(), None);
        assert_eq!(
            cells[0].summary(),
            "2028-03-01 — hospice inpatient unit — level not chosen yet"
        );
        assert_eq!(cells[1].level, Some(CareLevel::Chc));
        assert_eq!(cells[1].hours_label().as_deref(), Some("10.5 h"));
        let routine = CareCell {
            nursing_hours: 1.0,
            aide_hours: 0.0,
            ..cells[1].clone()
        };
        assert_eq!(routine.hours_label(), None);
        assert_eq!(
            cells[1].summary(),
            "2028-03-02 — home: nursing 6 h, aide 4.5 h — your level: CHC"
        );
    }
}
