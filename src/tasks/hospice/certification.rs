//! Certification of terminal illness (42 CFR 418.22) and the face-to-face encounter
//! (418.22(a)(4)): timing, who may sign, and the F2F window for period 3 and later.
//!
//! Rules: a certification may be signed no earlier than 15 days before the period (initial:
//! before the effective date; recertification: before the next period); a written or oral
//! certification must exist by start + 2 days, and a written one before billing; the initial
//! certification of an election is signed by the hospice medical director or an IDG physician
//! **and** the attending physician when the attending is a physician; recertifications by the
//! hospice medical director or an IDG physician only; nurse practitioners, physician assistants
//! and nurses never certify. From period 3 an F2F by a hospice physician or hospice NP must fall
//! in [start − 30, start] and precede (or share the date of) the recertification. A transferred-in
//! period was certified by the other hospice and is not checked here. Deadlines after the
//! review date are pending and produce no finding.

use chrono::NaiveDate;

use super::periods::BenefitPeriod;
use super::timeline::{
    Attending, Certification, CertificationForm, CertificationKind, Role, Timeline,
};
use super::{Finding, refs};

/// Findings for every certification and F2F requirement of `periods`.
#[must_use]
pub(crate) fn certification_findings(t: &Timeline, periods: &[BenefitPeriod]) -> Vec<Finding> {
    let review = t.review_date();
    let mut out = Vec::new();
    for cert in &t.certifications {
        if !periods.iter().any(|p| p.number == cert.period) {
            let range = match (periods.first(), periods.last()) {
                (Some(a), Some(b)) => format!("{}–{}", a.number, b.number),
                _ => "none".to_owned(),
            };
            out.push(Finding::new(
                "cert.period",
                cert.date,
                false,
                format!(
                    "certification dated {} names period {}, which is not among the benefit periods listed through the review date ({range})",
                    cert.date, cert.period
                ),
                refs::PERIODS,
            ));
        }
    }
    for p in periods.iter().filter(|p| !p.transferred_in) {
        let certs: Vec<&Certification> = t
            .certifications
            .iter()
            .filter(|c| c.period == p.number)
            .collect();
        let attending = t
            .elections
            .get(p.election)
            .map_or(Attending::NoAttending, |e| e.attending);
        for c in &certs {
            check_one(c, p, attending, &mut out);
        }
        timeliness(p, &certs, review, &mut out);
        if p.f2f_required {
            f2f(t, p, &certs, review, &mut out);
        }
    }
    out
}

fn form_name(c: &Certification) -> &'static str {
    match c.form {
        CertificationForm::Written => "written",
        CertificationForm::Oral => "oral",
    }
}

fn kind_name(kind: CertificationKind) -> &'static str {
    match kind {
        CertificationKind::Initial => "initial certification",
        CertificationKind::Recertification => "recertification",
    }
}

/// Timing window and signers of one certification.
fn check_one(c: &Certification, p: &BenefitPeriod, attending: Attending, out: &mut Vec<Finding>) {
    let reference_early = match p.kind {
        CertificationKind::Initial => refs::CERT_INITIAL_EARLIEST,
        CertificationKind::Recertification => refs::CERT_RECERT_EARLIEST,
    };
    if let Some(kind) = c.kind.filter(|&k| k != p.kind) {
        out.push(Finding::new(
            "cert.kind",
            c.date,
            false,
            format!(
                "period {} needs an {}, but the certification is labelled {}",
                p.number,
                kind_name(p.kind),
                kind_name(kind)
            ),
            refs::CERT_SIGNERS,
        ));
    }
    let early = c.date < p.cert_earliest;
    out.push(Finding::new(
        "cert.earliest",
        c.date,
        !early,
        if early {
            format!(
                "{} {} for period {} signed {} is more than 15 days before the period starts {} (earliest {})",
                form_name(c),
                kind_name(p.kind),
                p.number,
                c.date,
                p.start,
                p.cert_earliest
            )
        } else {
            format!(
                "{} {} for period {} signed {} is not earlier than {}",
                form_name(c),
                kind_name(p.kind),
                p.number,
                c.date,
                p.cert_earliest
            )
        },
        reference_early,
    ));
    let mut problems = Vec::new();
    for role in &c.signers {
        if matches!(
            role,
            Role::HospiceNursePractitioner
                | Role::NursePractitioner
                | Role::PhysicianAssistant
                | Role::RegisteredNurse
        ) {
            problems.push(format!(
                "a {} may not certify terminal illness",
                role.name()
            ));
        }
    }
    if !c.signers.iter().any(|r| r.is_hospice_physician()) {
        problems.push(match p.kind {
            CertificationKind::Initial => {
                "the hospice medical director or an IDG physician must sign".to_owned()
            }
            CertificationKind::Recertification => {
                "a recertification must be signed by the hospice medical director or an IDG physician (the attending's signature does not suffice)".to_owned()
            }
        });
    }
    if p.kind == CertificationKind::Initial
        && attending == Attending::Physician
        && !c.signers.contains(&Role::AttendingPhysician)
    {
        problems
            .push("the attending physician must also sign the initial certification".to_owned());
    }
    let signed_by: Vec<&str> = c.signers.iter().map(|r| r.name()).collect();
    let ok = problems.is_empty();
    out.push(Finding::new(
        "cert.signers",
        c.date,
        ok,
        if problems.is_empty() {
            format!(
                "{} for period {} signed by {}: valid",
                kind_name(p.kind),
                p.number,
                signed_by.join(" and ")
            )
        } else {
            format!(
                "{} for period {} signed by {}: {}",
                kind_name(p.kind),
                p.number,
                signed_by.join(" and "),
                problems.join("; ")
            )
        },
        refs::CERT_SIGNERS,
    ));
}

/// A written or oral certification by start + 2 days; a written one eventually.
fn timeliness(
    p: &BenefitPeriod,
    certs: &[&Certification],
    review: NaiveDate,
    out: &mut Vec<Finding>,
) {
    let in_time = |form| {
        certs
            .iter()
            .filter(|c| c.form == form && c.date <= p.oral_cert_deadline)
            .map(|c| c.date)
            .min()
    };
    let written_any = certs
        .iter()
        .filter(|c| c.form == CertificationForm::Written)
        .map(|c| c.date)
        .min();
    if let Some(date) = in_time(CertificationForm::Written) {
        out.push(Finding::new(
            "cert.timely",
            date,
            true,
            format!(
                "written certification for period {} on {date}, by {} (2 days after the start {})",
                p.number, p.oral_cert_deadline, p.start
            ),
            refs::CERT_ORAL,
        ));
        return;
    }
    if let Some(date) = in_time(CertificationForm::Oral) {
        out.push(Finding::new(
            "cert.timely",
            date,
            true,
            format!(
                "oral certification for period {} on {date}, by {}; the written certification must follow before billing",
                p.number, p.oral_cert_deadline
            ),
            refs::CERT_ORAL,
        ));
        if written_any.is_none() && p.oral_cert_deadline < review {
            out.push(Finding::new(
                "cert.written",
                p.oral_cert_deadline,
                false,
                format!(
                    "no written certification for period {}: it is required before the claim is submitted",
                    p.number
                ),
                refs::CERT_ORAL,
            ));
        }
        return;
    }
    if p.oral_cert_deadline < review {
        let late = written_any.map_or_else(
            || "none on file".to_owned(),
            |d| format!("the written certification is dated {d}"),
        );
        out.push(Finding::new(
            "cert.timely",
            p.oral_cert_deadline,
            false,
            format!(
                "no written or oral certification for period {} by {} (2 days after the start {}); {late}",
                p.number, p.oral_cert_deadline, p.start
            ),
            refs::CERT_ORAL,
        ));
    }
}

/// The F2F encounter for a period 3 or later.
fn f2f(
    t: &Timeline,
    p: &BenefitPeriod,
    certs: &[&Certification],
    review: NaiveDate,
    out: &mut Vec<Finding>,
) {
    let Some((from, to)) = p.f2f_window else {
        return;
    };
    let in_window: Vec<_> = t
        .f2f_encounters
        .iter()
        .filter(|f| f.date >= from && f.date <= to)
        .collect();
    let allowed = |r: Role| r.is_hospice_physician() || r == Role::HospiceNursePractitioner;
    if let Some(valid) = in_window.iter().find(|f| allowed(f.performed_by)) {
        out.push(Finding::new(
            "f2f.window",
            valid.date,
            true,
            format!(
                "face-to-face for period {} on {} by a {}, within {from}–{to}",
                p.number,
                valid.date,
                valid.performed_by.name()
            ),
            refs::F2F,
        ));
        let recert_before = certs
            .iter()
            .filter(|c| c.form == CertificationForm::Written && c.date < valid.date)
            .map(|c| c.date)
            .min();
        if let Some(date) = recert_before {
            out.push(Finding::new(
                "f2f.before_recert",
                date,
                false,
                format!(
                    "recertification for period {} signed {date}, before the face-to-face on {}: the encounter must come first",
                    p.number, valid.date
                ),
                refs::F2F,
            ));
        }
        return;
    }
    if let Some(wrong) = in_window.first() {
        out.push(Finding::new(
            "f2f.performer",
            wrong.date,
            false,
            format!(
                "face-to-face for period {} on {} was done by a {}: only a hospice physician or hospice nurse practitioner may perform it",
                p.number,
                wrong.date,
                wrong.performed_by.name()
            ),
            refs::F2F,
        ));
        return;
    }
    let near = t
        .f2f_encounters
        .iter()
        .filter(|f| f.date >= super::timeline::shift(from, -30) && f.date <= p.end)
        .map(|f| f.date)
        .min();
    if let Some(date) = near {
        out.push(Finding::new(
            "f2f.window",
            date,
            false,
            format!(
                "face-to-face for period {} on {date} is outside the window {from}–{to}",
                p.number
            ),
            refs::F2F,
        ));
    } else if to < review {
        out.push(Finding::new(
            "f2f.window",
            to,
            false,
            format!(
                "no face-to-face encounter for period {} in {from}–{to}: the patient cannot be recertified",
                p.number
            ),
            refs::F2F,
        ));
    }
}
