//! The review: [`review`] indexes users, patients and tasks once, judges every event on its
//! own (`judge`), then gathers the rule groups, the per-patient breach findings and the
//! notification counts. Pure and linear in the number of events.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{Datelike, Days, NaiveDate, Timelike};

use super::log::{Action, AuditLog, Event, Patient, User, WorkTask};
use super::{
    Basis, EventReview, Finding, PatientBreach, Review, Rule, RuleGroup, Severity, UserSanction,
    refs,
};

/// `days` after `d`, or the last date chrono represents (never panics on a huge setting).
fn plus_days(d: NaiveDate, days: u64) -> NaiveDate {
    d.checked_add_days(Days::new(days))
        .unwrap_or(NaiveDate::MAX)
}

/// The log indexed once.
struct Index<'a> {
    log: &'a AuditLog,
    users: HashMap<&'a str, usize>,
    patients: HashMap<&'a str, usize>,
    care: HashSet<(usize, usize)>,
    family: HashSet<(usize, usize)>,
    tasks: HashMap<(usize, usize), Vec<&'a WorkTask>>,
    user_keys: Vec<(String, Option<String>)>,
    patient_keys: Vec<(String, Option<String>)>,
}

fn key(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

impl<'a> Index<'a> {
    fn new(log: &'a AuditLog) -> Self {
        let users: HashMap<&str, usize> = log
            .users
            .iter()
            .enumerate()
            .map(|(i, u)| (u.id.as_str(), i))
            .collect();
        let patients: HashMap<&str, usize> = log
            .patients
            .iter()
            .enumerate()
            .map(|(i, p)| (p.id.as_str(), i))
            .collect();
        let mut care = HashSet::new();
        for (p, patient) in log.patients.iter().enumerate() {
            for u in &patient.care_team {
                if let Some(&u) = users.get(u.as_str()) {
                    care.insert((u, p));
                }
            }
        }
        let mut family = HashSet::new();
        for (u, user) in log.users.iter().enumerate() {
            for p in &user.family_of {
                if let Some(&p) = patients.get(p.as_str()) {
                    family.insert((u, p));
                }
            }
        }
        let mut tasks: HashMap<(usize, usize), Vec<&WorkTask>> = HashMap::new();
        for t in &log.tasks {
            if let (Some(&u), Some(&p)) =
                (users.get(t.user.as_str()), patients.get(t.patient.as_str()))
            {
                tasks.entry((u, p)).or_default().push(t);
            }
        }
        let keys = |surname: &str, address: Option<&String>| {
            (
                key(surname),
                address.map(|a| key(a)).filter(|a| !a.is_empty()),
            )
        };
        Self {
            log,
            users,
            patients,
            care,
            family,
            tasks,
            user_keys: log
                .users
                .iter()
                .map(|u| keys(&u.surname, u.address.as_ref()))
                .collect(),
            patient_keys: log
                .patients
                .iter()
                .map(|p| keys(&p.surname, p.address.as_ref()))
                .collect(),
        }
    }

    /// The user and patient indexes of an event (both exist after parsing).
    fn ids(&self, e: &Event) -> Option<(usize, usize)> {
        Some((
            *self.users.get(e.user.as_str())?,
            *self.patients.get(e.patient.as_str())?,
        ))
    }

    /// The relationship triggers that hold between a user and a patient.
    fn relations(&self, u: usize, p: usize, user: &User, patient: &Patient) -> Vec<Rule> {
        let mut out = Vec::new();
        let (us, ua) = &self.user_keys[u];
        let (ps, pa) = &self.patient_keys[p];
        if !us.is_empty() && us == ps {
            out.push(Rule::SameSurname);
        }
        if ua.is_some() && ua == pa {
            out.push(Rule::SameAddress);
        }
        if patient.vip {
            out.push(Rule::Vip);
        }
        if patient
            .employee_user_id
            .as_ref()
            .is_some_and(|e| *e != user.id)
        {
            out.push(Rule::Coworker);
        }
        if self.family.contains(&(u, p)) {
            out.push(Rule::Family);
        }
        out
    }

    /// Judges one event.
    fn judge(&self, e: &Event) -> EventReview {
        let Some((u, p)) = self.ids(e) else {
            // Parsing guarantees both ids exist; an unparsed log's unknown id is no basis.
            return EventReview {
                id: e.id.clone(),
                appropriate: false,
                basis: None,
                rules: vec![Rule::NoRelationship],
                noted: Vec::new(),
            };
        };
        let (user, patient) = (&self.log.users[u], &self.log.patients[p]);
        let policy = self.log.policy;
        let day = e.at.date();
        let own = patient.employee_user_id.as_deref() == Some(user.id.as_str());
        let task = self
            .tasks
            .get(&(u, p))
            .and_then(|ts| ts.iter().find(|t| t.from <= day && day <= t.to));
        let grace = u64::from(policy.after_discharge_days);
        let in_window = patient.encounters.iter().any(|enc| {
            enc.admitted <= day && enc.discharged.is_none_or(|d| day <= plus_days(d, grace))
        });
        let after_discharge = !in_window
            && patient
                .encounters
                .iter()
                .any(|enc| enc.discharged.is_some_and(|d| plus_days(d, grace) < day));
        let on_team = self.care.contains(&(u, p));
        let (btg, btg_reason) = match &e.action {
            Action::BreakTheGlass { reason } => (
                true,
                reason.as_deref().is_some_and(|r| !r.trim().is_empty()),
            ),
            Action::View | Action::Print | Action::Export => (false, false),
        };
        let basis = if let Some(t) = task {
            Some(Basis::Task(t.kind))
        } else if on_team && in_window {
            Some(Basis::CareTeam)
        } else if btg_reason {
            Some(Basis::BreakTheGlass)
        } else if own && !policy.own_record_forbidden {
            Some(Basis::OwnRecord)
        } else {
            None
        };
        let mut rules = Vec::new();
        let mut noted = Vec::new();
        if user.terminated_on.is_some_and(|t| day >= t) {
            rules.push(Rule::AccountTerminated);
        }
        if !own {
            let relations = self.relations(u, p, user, patient);
            if basis.is_some() {
                noted = relations;
            } else {
                rules.extend(relations);
                if after_discharge {
                    rules.push(Rule::AfterDischarge);
                }
                if !(on_team && after_discharge) {
                    rules.push(Rule::NoRelationship);
                }
            }
        }
        if own && policy.own_record_forbidden {
            rules.push(Rule::OwnRecord);
        }
        if btg && !btg_reason {
            rules.push(Rule::BreakTheGlassNoReason);
        }
        let exported = matches!(e.action, Action::Print | Action::Export);
        if exported && e.count.unwrap_or(1) >= policy.bulk_export_threshold {
            rules.push(Rule::BulkExport);
        }
        if user.shift.is_some_and(|s| !s.covers(e.at.hour())) {
            rules.push(Rule::OutsideShift);
        }
        rules.sort();
        EventReview {
            id: e.id.clone(),
            appropriate: rules.is_empty(),
            basis,
            rules,
            noted,
        }
    }
}

/// Reviews a parsed log.
#[must_use]
pub fn review(log: &AuditLog) -> Review {
    let index = Index::new(log);
    let events: Vec<EventReview> = log.events.iter().map(|e| index.judge(e)).collect();
    let flagged = events.iter().filter(|r| !r.appropriate).count();
    let by_rule = groups(&events);
    let patients = breaches(log, &index, &events);
    let users = sanctions(log, &index, &events);
    let notification = notification(log, &patients);
    Review {
        total: events.len(),
        appropriate: events.len() - flagged,
        flagged,
        events,
        by_rule,
        patients,
        users,
        notification,
    }
}

fn groups(events: &[EventReview]) -> Vec<RuleGroup> {
    let mut by: BTreeMap<Rule, Vec<String>> = BTreeMap::new();
    for r in events {
        for rule in &r.rules {
            by.entry(*rule).or_default().push(r.id.clone());
        }
    }
    Rule::ALL
        .iter()
        .filter_map(|rule| {
            let events = by.remove(rule)?;
            Some(RuleGroup {
                rule: *rule,
                title: rule.title(),
                severity: rule.severity(),
                reference: rule.reference(),
                unverified: rule.unverified(),
                events,
            })
        })
        .collect()
}

fn sanctions(log: &AuditLog, index: &Index, events: &[EventReview]) -> Vec<UserSanction> {
    let mut per_user: Vec<(usize, Vec<Rule>)> = vec![(0, Vec::new()); log.users.len()];
    for (e, r) in log.events.iter().zip(events) {
        if r.appropriate {
            continue;
        }
        if let Some((u, _)) = index.ids(e) {
            let entry = &mut per_user[u];
            entry.0 += 1;
            for rule in &r.rules {
                if !entry.1.contains(rule) {
                    entry.1.push(*rule);
                }
            }
        }
    }
    log.users
        .iter()
        .zip(per_user)
        .filter(|(_, (n, _))| *n > 0)
        .map(|(user, (n, mut rules))| {
            rules.sort();
            let severity = rules
                .iter()
                .map(|r| r.severity())
                .max()
                .unwrap_or(Severity::Low);
            UserSanction {
                user: user.id.clone(),
                events: n,
                rules,
                severity,
                reference: refs::SANCTIONS,
            }
        })
        .collect()
}

/// The impermissible events and their users per patient, in the log's order.
struct Affected<'a> {
    events: Vec<&'a Event>,
    terminated: bool,
}

fn breaches(log: &AuditLog, index: &Index, events: &[EventReview]) -> Vec<PatientBreach> {
    let mut per_patient: Vec<Affected> = (0..log.patients.len())
        .map(|_| Affected {
            events: Vec::new(),
            terminated: false,
        })
        .collect();
    for (e, r) in log.events.iter().zip(events) {
        if !r.rules.iter().any(|rule| rule.impermissible()) {
            continue;
        }
        if let Some((_, p)) = index.ids(e) {
            per_patient[p].events.push(e);
            per_patient[p].terminated |= r.rules.contains(&Rule::AccountTerminated);
        }
    }
    log.patients
        .iter()
        .zip(per_patient)
        .filter(|(_, a)| !a.events.is_empty())
        .map(|(patient, a)| patient_breach(log, patient, &a))
        .collect()
}

fn patient_breach(log: &AuditLog, patient: &Patient, a: &Affected) -> PatientBreach {
    let ids: Vec<String> = a.events.iter().map(|e| e.id.clone()).collect();
    let mut users: Vec<String> = Vec::new();
    for e in &a.events {
        if !users.contains(&e.user) {
            users.push(e.user.clone());
        }
    }
    let acquired: Vec<&str> = a
        .events
        .iter()
        .filter(|e| matches!(e.action, Action::Print | Action::Export))
        .map(|e| e.id.as_str())
        .collect();
    let mut findings = vec![
        finding(
            "breach.impermissible_use",
            true,
            format!(
                "{} access(es) with no permitted purpose: {}",
                ids.len(),
                ids.join(", ")
            ),
            refs::PERMITTED_USE,
        ),
        finding(
            "breach.unsecured",
            true,
            "the user saw the PHI in the clear in the EHR: it was unsecured PHI".to_owned(),
            refs::BREACH,
        ),
        finding(
            "breach.presumed",
            true,
            "presumed a breach unless a documented four-factor risk assessment shows a low \
             probability that the PHI was compromised"
                .to_owned(),
            refs::BREACH_PRESUMED,
        ),
        if a.terminated {
            finding(
                "breach.good_faith",
                true,
                "the good-faith exception does not apply: a terminated account acts outside any \
                 scope of authority"
                    .to_owned(),
                refs::GOOD_FAITH,
            )
        } else {
            finding(
                "breach.good_faith",
                false,
                "not decided: whether the access was unintentional, in good faith and within the \
                 user's authority is not in the log (interview the user and the manager)"
                    .to_owned(),
                refs::GOOD_FAITH,
            )
        },
        finding(
            "breach.factor_nature",
            false,
            "not decided: the log records the record opened, not which PHI was seen".to_owned(),
            refs::FACTOR_NATURE,
        ),
        finding(
            "breach.factor_recipient",
            true,
            format!(
                "the unauthorized person: workforce member(s) {}",
                users.join(", ")
            ),
            refs::FACTOR_RECIPIENT,
        ),
        finding(
            "breach.factor_acquired",
            true,
            if acquired.is_empty() {
                "viewed only: no print or export".to_owned()
            } else {
                format!("acquired: printed or exported in {}", acquired.join(", "))
            },
            refs::FACTOR_ACQUIRED,
        ),
        finding(
            "breach.factor_mitigation",
            false,
            "not decided: mitigation (return or destruction, attestation, sanctions) is not in \
             the log"
                .to_owned(),
            refs::FACTOR_MITIGATION,
        ),
    ];
    findings.push(match log.discovered {
        Some(d) => finding(
            "breach.notify_individual",
            true,
            format!(
                "unless the assessment shows a low probability of compromise: notify the patient \
                 without unreasonable delay and at most 60 days after discovery ({d}): by {}",
                plus_days(d, 60)
            ),
            refs::NOTIFY_INDIVIDUALS,
        ),
        None => finding(
            "breach.notify_individual",
            false,
            "not decided: the log gives no discovery date (notice is due without unreasonable \
             delay and at most 60 days after discovery)"
                .to_owned(),
            refs::NOTIFY_INDIVIDUALS,
        ),
    });
    PatientBreach {
        patient: patient.id.clone(),
        events: ids,
        users,
        findings,
    }
}

/// A finding with its stable id, whether the log decides it, the message and the reference.
fn finding(rule: &'static str, decided: bool, message: String, reference: &'static str) -> Finding {
    Finding {
        rule,
        decided,
        message,
        reference,
    }
}

fn notification(log: &AuditLog, patients: &[PatientBreach]) -> Vec<Finding> {
    let n = patients.len();
    if n == 0 {
        return vec![finding(
            "breach.none",
            true,
            "no access without a permitted purpose: the log calls for no breach assessment"
                .to_owned(),
            refs::BREACH,
        )];
    }
    vec![hhs(log.discovered, n), media(log, patients)]
}

fn hhs(discovered: Option<NaiveDate>, n: usize) -> Finding {
    let (decided, message) = match (n >= 500, discovered) {
        (true, Some(d)) => (
            true,
            format!(
                "{n} patients presumed affected (500 or more): notify HHS at the same time as \
                 the individuals, by {}",
                plus_days(d, 60)
            ),
        ),
        (true, None) => (
            true,
            format!(
                "{n} patients presumed affected (500 or more): notify HHS at the same time as \
                 the individuals"
            ),
        ),
        (false, Some(d)) => {
            let year_end = NaiveDate::from_ymd_opt(d.year(), 12, 31).unwrap_or(d);
            (
                true,
                format!(
                    "{n} patient(s) presumed affected (fewer than 500): log the breach and report \
                     it to HHS within 60 days after the end of {}: by {}",
                    d.year(),
                    plus_days(year_end, 60)
                ),
            )
        }
        (false, None) => (
            false,
            format!(
                "{n} patient(s) presumed affected (fewer than 500): log the breach and report it \
                 to HHS within 60 days after the end of the calendar year of discovery (not \
                 decided: no discovery date)"
            ),
        ),
    };
    finding("breach.notify_hhs", decided, message, refs::NOTIFY_HHS)
}

fn media(log: &AuditLog, patients: &[PatientBreach]) -> Finding {
    let states: HashMap<&str, Option<&str>> = log
        .patients
        .iter()
        .map(|p| (p.id.as_str(), p.state.as_deref()))
        .collect();
    let mut per_state: BTreeMap<&str, usize> = BTreeMap::new();
    let mut unknown = 0usize;
    for p in patients {
        match states.get(p.patient.as_str()).copied().flatten() {
            Some(s) => *per_state.entry(s).or_insert(0) += 1,
            None => unknown += 1,
        }
    }
    let over: Vec<String> = per_state
        .iter()
        .filter(|(_, n)| **n > 500)
        .map(|(s, n)| format!("{s} ({n})"))
        .collect();
    let largest = per_state.values().copied().max().unwrap_or(0);
    let (decided, message) = if !over.is_empty() {
        (
            true,
            format!(
                "more than 500 residents of a state presumed affected: notify prominent media \
                 outlets serving {}",
                over.join(", ")
            ),
        )
    } else if largest + unknown > 500 {
        (
            false,
            format!(
                "not decided: {unknown} affected patient(s) have no state, and they could make \
                 more than 500 residents of one state"
            ),
        )
    } else {
        (
            true,
            "no media notice: no state has more than 500 affected residents".to_owned(),
        )
    };
    finding("breach.notify_media", decided, message, refs::NOTIFY_MEDIA)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A log with one nurse `u1` (Ada Quill, 12 Elm Row, day shift, terminated 2026-03-20) and
    /// the patients and events given in RON.
    fn log(patients: &str, events: &str, policy: &str) -> AuditLog {
        AuditLog::parse(&format!(
            "(period: (start: \"2026-03-01\", end: \"2026-03-31\"), discovered: \"2027-05-01\", \
             users: [(id: \"u1\", given_name: \"Ada\", surname: \"Quill\", role: Nurse, \
             department: \"D\", shift: (start: 7, end: 19), terminated_on: \"2026-03-20\", \
             address: \"12 Elm Row\")], patients: [{patients}], events: [{events}], \
             policy: ({policy}))"
        ))
        .unwrap()
    }

    const POLICY: &str =
        "own_record_forbidden: true, after_discharge_days: 3, bulk_export_threshold: 10";

    fn event(id: &str, day: u32, action: &str) -> String {
        format!(
            "(id: \"{id}\", at: \"2026-03-{day:02}T10:00:00\", user: \"u1\", patient: \"p1\", \
             action: {action})"
        )
    }

    fn rules(r: &Review) -> Vec<(&str, Vec<&'static str>)> {
        r.events
            .iter()
            .map(|e| {
                (
                    e.id.as_str(),
                    e.rules.iter().map(|rule| rule.id()).collect(),
                )
            })
            .collect()
    }

    #[test]
    fn access_audit_extreme_dates_and_settings_never_panic() {
        let mut l = log(
            "(id: \"p1\", given_name: \"B\", surname: \"Reed\", care_team: [\"u1\"], \
             encounters: [(admitted: \"2026-03-01\", discharged: \"2026-03-02\")])",
            &event("E1", 10, "View"),
            POLICY,
        );
        l.policy.after_discharge_days = u32::MAX;
        l.discovered = Some(NaiveDate::MAX);
        let r = review(&l);
        assert_eq!(r.events[0].basis, Some(Basis::CareTeam));
        l.policy.after_discharge_days = 0;
        let r = review(&l);
        assert_eq!(rules(&r), vec![("E1", vec!["access.after_discharge"])]);
        assert!(
            r.patients[0].findings[8]
                .message
                .ends_with(&NaiveDate::MAX.to_string())
        );
    }

    #[test]
    fn access_audit_surname_and_address_ignore_case_and_spacing_but_not_blanks() {
        let r = review(&log(
            "(id: \"p1\", given_name: \"B\", surname: \" QUILL \", address: \"12  elm row\")",
            &event("E1", 2, "View"),
            POLICY,
        ));
        assert_eq!(
            rules(&r),
            vec![(
                "E1",
                vec![
                    "access.no_relationship",
                    "relation.same_surname",
                    "relation.same_address"
                ]
            )]
        );
        let blank = review(&log(
            "(id: \"p1\", given_name: \"B\", surname: \"Reed\", address: \"  \")",
            &event("E1", 2, "View"),
            POLICY,
        ));
        assert_eq!(rules(&blank), vec![("E1", vec!["access.no_relationship"])]);
    }

    #[test]
    fn access_audit_the_care_team_needs_an_encounter_on_the_day() {
        let patients = "(id: \"p1\", given_name: \"B\", surname: \"Reed\", care_team: [\"u1\"], \
                        encounters: [(admitted: \"2026-03-05\", discharged: \"2026-03-08\")])";
        let events = [
            event("before", 4, "View"),
            event("in", 6, "View"),
            event("grace", 11, "View"),
            event("after", 12, "View"),
        ]
        .join(", ");
        let r = review(&log(patients, &events, POLICY));
        assert_eq!(
            rules(&r),
            vec![
                ("before", vec!["access.no_relationship"]),
                ("in", vec![]),
                ("grace", vec![]),
                ("after", vec!["access.after_discharge"]),
            ]
        );
    }

    #[test]
    fn access_audit_terminated_from_its_day_and_bulk_from_the_threshold() {
        let patients = "(id: \"p1\", given_name: \"B\", surname: \"Reed\", care_team: [\"u1\"], \
                        encounters: [(admitted: \"2026-03-01\")])";
        let events = [
            event("day_before", 19, "View"),
            event("on_the_day", 20, "View"),
            event("print_9", 2, "Print").replace("Print)", "Print, count: 9)"),
            event("export_10", 2, "Export").replace("Export)", "Export, count: 10)"),
            event("view_500", 2, "View").replace("View)", "View, count: 500)"),
        ]
        .join(", ");
        let r = review(&log(patients, &events, POLICY));
        assert_eq!(
            rules(&r),
            vec![
                ("day_before", vec![]),
                ("on_the_day", vec!["account.terminated"]),
                ("print_9", vec![]),
                ("export_10", vec!["export.bulk"]),
                ("view_500", vec![]),
            ]
        );
        assert_eq!(r.patients.len(), 1);
        assert_eq!(r.patients[0].events, vec!["on_the_day"]);
    }

    #[test]
    fn access_audit_break_the_glass_with_a_reason_is_a_basis_and_keeps_the_vip_noted() {
        let r = review(&log(
            "(id: \"p1\", given_name: \"B\", surname: \"Reed\", vip: true)",
            &[
                event(
                    "reason",
                    2,
                    "BreakTheGlass(reason: \"arrest in the lobby\")",
                ),
                event("none", 3, "BreakTheGlass()"),
            ]
            .join(", "),
            POLICY,
        ));
        assert_eq!(r.events[0].basis, Some(Basis::BreakTheGlass));
        assert_eq!(r.events[0].noted, vec![Rule::Vip]);
        assert_eq!(
            rules(&r),
            vec![
                ("reason", vec![]),
                (
                    "none",
                    vec!["access.no_relationship", "relation.vip", "btg.no_reason"]
                ),
            ]
        );
    }

    #[test]
    fn access_audit_own_record_is_policy_never_an_impermissible_use() {
        let patients =
            "(id: \"p1\", given_name: \"Ada\", surname: \"Quill\", employee_user_id: \"u1\")";
        let forbidden = review(&log(patients, &event("E1", 2, "View"), POLICY));
        assert_eq!(rules(&forbidden), vec![("E1", vec!["policy.own_record"])]);
        assert!(forbidden.patients.is_empty());
        let allowed = review(&log(
            patients,
            &event("E1", 2, "View"),
            &POLICY.replace("own_record_forbidden: true", "own_record_forbidden: false"),
        ));
        assert_eq!(allowed.events[0].basis, Some(Basis::OwnRecord));
        assert!(allowed.events[0].appropriate && allowed.events[0].noted.is_empty());
    }

    #[test]
    fn access_audit_annual_hhs_report_falls_on_29_february_in_a_leap_year() {
        let r = review(&log(
            "(id: \"p1\", given_name: \"B\", surname: \"Reed\")",
            &event("E1", 2, "View"),
            POLICY,
        ));
        assert!(r.notification[0].message.ends_with("by 2028-02-29"));
        assert!(
            r.patients[0].findings[8]
                .message
                .ends_with("(2027-05-01): by 2027-06-30")
        );
    }

    #[test]
    fn access_audit_media_notice_above_500_residents_of_a_state() {
        let patients: Vec<String> = (0..501)
            .map(|j| {
                let state = if j == 500 { "" } else { ", state: \"ID\"" };
                format!("(id: \"p{j}\", given_name: \"B\", surname: \"Reed\"{state})")
            })
            .collect();
        let events: Vec<String> = (0..501)
            .map(|j| {
                format!(
                    "(id: \"E{j}\", at: \"2026-03-02T10:00:00\", user: \"u1\", patient: \
                     \"p{j}\", action: View)"
                )
            })
            .collect();
        let unknown = review(&log(&patients.join(", "), &events.join(", "), POLICY));
        // 500 in Idaho and one without a state: the media notice is not decided.
        assert_eq!(unknown.notification[1].rule, "breach.notify_media");
        assert!(!unknown.notification[1].decided);
        let all = patients.join(", ").replace(
            "p500\", given_name: \"B\", surname: \"Reed\")",
            "p500\", given_name: \"B\", surname: \"Reed\", state: \"ID\")",
        );
        let known = review(&log(&all, &events.join(", "), POLICY));
        assert!(known.notification[1].decided);
        assert!(
            known.notification[1]
                .message
                .ends_with("notify prominent media outlets serving ID (501)")
        );
    }
}
