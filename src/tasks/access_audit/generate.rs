//! Builds a case's [`AuditLog`] from the spec: deterministic from the patient seed (one derived
//! random stream), linear in the number of events.
//!
//! Legitimate work: each patient has one encounter in the period and a treating team of one to
//! three clinicians; work-queue tasks go to staff whose role works a queue, never for their own
//! record; legitimate events are a team member's look during the encounter, in their shift, or
//! a task's look during the task, or a break-the-glass with a reason. Employee patients (the
//! coworker and own-record plants) have no treating-team or task link to their own account, so
//! no legitimate event is ever their own record. Prints stay under the bulk threshold.
//!
//! Each planted access is built so that it breaks its kind's rule (and for the accesses with no
//! purpose, `access.no_relationship` beside it), and its actor and patient are checked to hold
//! no other relationship trigger. The key comes from [`super::review`] on the log; the tests
//! check that the planted events are exactly the flagged ones.

use std::collections::{HashMap, HashSet};

use chrono::{Days, NaiveDate, NaiveDateTime, NaiveTime};
use rand::RngExt;
use serde::Serialize;

use super::log::{
    Action, AuditLog, Encounter, Event, Patient, Period, Role, Shift, User, WorkTask,
};
use super::spec::{AccessAuditSpec, PlantKind, clinical, task_kind};
use crate::generate::names::{FEMALE_GIVEN, MALE_GIVEN};
use crate::generate::rng::{self, SimRng};

/// One planted access: the event id and its kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Planted {
    /// The event id.
    pub event: String,
    /// What was planted.
    pub kind: PlantKind,
}

/// A generated log and what was planted in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generated {
    /// The log.
    pub log: AuditLog,
    /// The planted accesses, in the log's order.
    pub planted: Vec<Planted>,
}

/// The case's own patient, as the log lists it.
#[derive(Debug, Clone)]
pub struct CasePatient {
    /// The medical record number (the patient's id in the log).
    pub mrn: String,
    /// Given name.
    pub given_name: String,
    /// Surname.
    pub surname: String,
    /// Address line.
    pub address: String,
    /// State.
    pub state: String,
}

const SURNAME_HEADS: [&str; 24] = [
    "Ash", "Bram", "Cal", "Dun", "El", "Fern", "Gar", "Hal", "Iver", "Kel", "Lind", "Mar", "Nor",
    "Oak", "Pem", "Quen", "Rad", "Sel", "Thorn", "Ul", "Ver", "Wes", "Yar", "Zell",
];
const STAFF_TAILS: [&str; 12] = [
    "ton", "ley", "wick", "more", "dale", "brook", "wood", "stone", "worth", "hurst", "field",
    "gate",
];
const PATIENT_TAILS: [&str; 12] = [
    "by", "man", "stead", "well", "ridge", "ford", "holm", "mere", "crest", "shaw", "cote", "lock",
];
const STREETS: [&str; 12] = [
    "Alder", "Birch", "Cedar", "Dogwood", "Elm", "Fir", "Hawthorn", "Juniper", "Laurel", "Maple",
    "Poplar", "Willow",
];
const STREET_KINDS: [&str; 4] = ["Street", "Avenue", "Road", "Lane"];
const REASONS: [&str; 4] = [
    "patient arrived unresponsive in the ED",
    "rapid response on the unit",
    "covering for the attending overnight",
    "transfer in, chart not yet assigned",
];

/// A random item of a fixed, non-empty list.
fn any<'a>(r: &mut SimRng, items: &[&'a str]) -> &'a str {
    items
        .get(r.random_range(0..items.len()))
        .copied()
        .unwrap_or("")
}

fn surname(r: &mut SimRng, tails: &[&str]) -> String {
    format!("{}{}", any(r, &SURNAME_HEADS), any(r, tails))
}

fn given(r: &mut SimRng) -> String {
    if r.random_range(0..2u8) == 0 {
        any(r, FEMALE_GIVEN).to_owned()
    } else {
        any(r, MALE_GIVEN).to_owned()
    }
}

/// Staff live at numbers 1–999, patients at 1000–9999: no shared address by chance.
fn address(r: &mut SimRng, staff: bool) -> String {
    let n = if staff {
        r.random_range(1..1000u32)
    } else {
        r.random_range(1000..10000u32)
    };
    format!("{n} {} {}", any(r, &STREETS), any(r, &STREET_KINDS))
}

fn plus(d: NaiveDate, days: u32) -> NaiveDate {
    d.checked_add_days(Days::new(u64::from(days))).unwrap_or(d)
}

/// A day in `[from, to]` (both included).
fn day_in(r: &mut SimRng, from: NaiveDate, to: NaiveDate) -> NaiveDate {
    let span = (to - from).num_days().max(0);
    plus(from, u32::try_from(r.random_range(0..=span)).unwrap_or(0))
}

/// A time on `day` at `hour` with random minutes and seconds.
fn at(r: &mut SimRng, day: NaiveDate, hour: u32) -> NaiveDateTime {
    let t = NaiveTime::from_hms_opt(hour % 24, r.random_range(0..60), r.random_range(0..60))
        .unwrap_or(NaiveTime::MIN);
    day.and_time(t)
}

/// The hours of a shift (or office hours without one).
fn hour_in(r: &mut SimRng, shift: Option<Shift>) -> u32 {
    let Some(s) = shift else {
        return r.random_range(8..18);
    };
    let (start, end) = (u32::from(s.start), u32::from(s.end));
    let len = (end + 24 - start) % 24;
    (start + r.random_range(0..len.max(1))) % 24
}

/// An hour outside the shift (the shift is never 24 hours: start differs from end).
fn hour_outside(r: &mut SimRng, s: Shift) -> u32 {
    let (start, end) = (u32::from(s.start), u32::from(s.end));
    let len = (end + 24 - start) % 24;
    (end + r.random_range(0..(24 - len).max(1))) % 24
}

/// The log being built, with the indexes the generator needs to keep legitimate work
/// legitimate and plants clean.
struct Builder<'a> {
    spec: &'a AccessAuditSpec,
    r: SimRng,
    period: Period,
    users: Vec<User>,
    /// The staff of the spec (the terminated account comes after them).
    staff: usize,
    clinical: Vec<usize>,
    queue: Vec<usize>,
    patients: Vec<Patient>,
    owner: Vec<Option<usize>>,
    teams: Vec<Vec<usize>>,
    care: HashSet<(usize, usize)>,
    task_pairs: HashMap<(usize, usize), usize>,
    tasks: Vec<WorkTask>,
    task_idx: Vec<(usize, usize)>,
    events: Vec<(Event, Option<PlantKind>)>,
    vips: Vec<usize>,
    regular: usize,
    states: Vec<String>,
}

/// How many draws a plant gets to find an actor and a patient with no other link.
const TRIES: usize = 200;

/// Generates the log of a case.
#[must_use]
pub fn generate(
    scenario_id: &str,
    spec: &AccessAuditSpec,
    as_of: NaiveDate,
    case: &CasePatient,
    patient_seed: u64,
) -> Generated {
    let mut r = rng::rng_for(rng::patient_seed(
        &format!("{scenario_id}#access_audit"),
        patient_seed,
        0,
    ));
    let before = rng::in_pair(&mut r, spec.ends_days_before_as_of);
    let end = as_of
        .checked_sub_days(Days::new(u64::from(before)))
        .unwrap_or(as_of);
    let start = end
        .checked_sub_days(Days::new(u64::from(spec.period_days.max(1) - 1)))
        .unwrap_or(end);
    let mut b = Builder {
        spec,
        r,
        period: Period { start, end },
        users: Vec::new(),
        staff: 0,
        clinical: Vec::new(),
        queue: Vec::new(),
        patients: Vec::new(),
        owner: Vec::new(),
        teams: Vec::new(),
        care: HashSet::new(),
        task_pairs: HashMap::new(),
        tasks: Vec::new(),
        task_idx: Vec::new(),
        events: Vec::new(),
        vips: Vec::new(),
        regular: 0,
        states: if spec.states.is_empty() {
            vec![case.state.clone()]
        } else {
            spec.states.clone()
        },
    };
    b.staff_users();
    b.regular_patients(case);
    let counts: Vec<(PlantKind, u32)> = PlantKind::ALL
        .iter()
        .map(|&k| (k, rng::in_pair(&mut b.r, spec.plants.range(k))))
        .collect();
    if counts
        .iter()
        .any(|(k, n)| *k == PlantKind::Terminated && *n > 0)
    {
        b.terminated_account();
    }
    b.work_tasks();
    b.legitimate_events();
    for (kind, n) in counts {
        for i in 0..n {
            b.plant(kind, i);
        }
    }
    b.finish(as_of)
}

/// Surnames and addresses compared as the engine compares them.
fn same(a: Option<&str>, b: Option<&str>) -> bool {
    let key = |t: &str| {
        t.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    if let (Some(a), Some(b)) = (a, b) {
        !key(a).is_empty() && key(a) == key(b)
    } else {
        false
    }
}

impl Builder<'_> {
    fn staff_users(&mut self) {
        for g in &self.spec.staff {
            for _ in 0..g.count {
                let i = self.users.len();
                let user = self.new_user(g.role, g.department.clone(), g.shift);
                self.users.push(user);
                if clinical(g.role) {
                    self.clinical.push(i);
                }
                if task_kind(g.role).is_some() {
                    self.queue.push(i);
                }
            }
        }
        self.staff = self.users.len();
    }

    fn new_user(&mut self, role: Role, department: String, shift: Option<Shift>) -> User {
        User {
            id: format!("U{:05}", self.users.len() + 1),
            given_name: given(&mut self.r),
            surname: surname(&mut self.r, &STAFF_TAILS),
            role,
            department,
            shift,
            terminated_on: None,
            address: Some(address(&mut self.r, true)),
            family_of: Vec::new(),
        }
    }

    /// The account that should have been disabled: on no team and no queue.
    fn terminated_account(&mut self) {
        let dept = self
            .clinical
            .first()
            .map(|&u| self.users[u].department.clone())
            .unwrap_or_default();
        let mut user = self.new_user(Role::Nurse, dept, None);
        user.terminated_on = Some(plus(self.period.start, (self.spec.period_days / 2).max(1)));
        self.users.push(user);
    }

    fn index(&mut self, len: usize) -> usize {
        if len == 0 {
            0
        } else {
            self.r.random_range(0..len)
        }
    }

    fn staff_member(&mut self) -> usize {
        self.index(self.staff)
    }

    /// A new patient with an encounter in the period (unless given) and a treating team of one
    /// to three clinicians, with `with` on it and never `without`.
    fn add_patient(
        &mut self,
        mut p: Patient,
        without: Option<usize>,
        with: Option<usize>,
    ) -> usize {
        let idx = self.patients.len();
        if p.encounters.is_empty() {
            let admitted = day_in(&mut self.r, self.period.start, self.period.end);
            let discharged = plus(admitted, self.r.random_range(0..7));
            p.encounters.push(Encounter {
                admitted,
                discharged: (discharged <= self.period.end).then_some(discharged),
            });
        }
        let size = self.r.random_range(1..=3usize);
        let mut team: Vec<usize> = with.into_iter().collect();
        for _ in 0..size * 2 {
            if team.len() >= size {
                break;
            }
            let k = self.index(self.clinical.len());
            if let Some(&u) = self.clinical.get(k)
                && Some(u) != without
                && !team.contains(&u)
            {
                team.push(u);
            }
        }
        for &u in &team {
            self.care.insert((u, idx));
        }
        p.care_team = team.iter().map(|&u| self.users[u].id.clone()).collect();
        self.patients.push(p);
        self.owner.push(None);
        self.teams.push(team);
        idx
    }

    fn blank_patient(&mut self, id: String) -> Patient {
        let k = self.index(self.states.len());
        let state = self.states.get(k).cloned();
        Patient {
            id,
            given_name: given(&mut self.r),
            surname: surname(&mut self.r, &PATIENT_TAILS),
            address: Some(address(&mut self.r, false)),
            state,
            vip: false,
            employee_user_id: None,
            care_team: Vec::new(),
            encounters: Vec::new(),
        }
    }

    fn next_patient_id(&self) -> String {
        format!("P{:06}", self.patients.len() + 1)
    }

    fn regular_patients(&mut self, case: &CasePatient) {
        for i in 0..self.spec.patients.max(1) {
            let mut p = self.blank_patient(self.next_patient_id());
            if i == 0 {
                p.id.clone_from(&case.mrn);
                p.given_name.clone_from(&case.given_name);
                p.surname.clone_from(&case.surname);
                p.address = Some(case.address.clone());
                p.state = Some(case.state.clone());
            }
            self.add_patient(p, None, None);
        }
        self.regular = self.patients.len();
        // VIPs are taken from the end, so the case's patient stays an ordinary one.
        let vips = (self.spec.vip_patients as usize).min(self.regular.saturating_sub(1));
        for idx in self.regular - vips..self.regular {
            self.patients[idx].vip = true;
            self.vips.push(idx);
        }
    }

    /// A patient who is the staff member `u` (an employee patient): their name and address,
    /// with no treating-team or task link to their own account.
    fn employee_patient(&mut self, u: usize) -> usize {
        let mut p = self.blank_patient(self.next_patient_id());
        p.given_name.clone_from(&self.users[u].given_name);
        p.surname.clone_from(&self.users[u].surname);
        p.address.clone_from(&self.users[u].address);
        p.employee_user_id = Some(self.users[u].id.clone());
        let idx = self.add_patient(p, Some(u), None);
        self.owner[idx] = Some(u);
        idx
    }

    fn work_tasks(&mut self) {
        if self.queue.is_empty() {
            return;
        }
        for _ in 0..self.spec.tasks {
            let k = self.index(self.queue.len());
            let u = self.queue[k];
            let p = self.index(self.regular);
            let Some(kind) = task_kind(self.users[u].role) else {
                continue;
            };
            let n = self.task_pairs.entry((u, p)).or_insert(0);
            if *n >= 8 {
                continue;
            }
            *n += 1;
            let from = self.patients[p].encounters[0].admitted;
            let to = plus(from, self.r.random_range(0..=10)).min(self.period.end);
            self.tasks.push(WorkTask {
                user: self.users[u].id.clone(),
                patient: self.patients[p].id.clone(),
                kind,
                from,
                to,
            });
            self.task_idx.push((u, p));
        }
    }

    fn push(
        &mut self,
        u: usize,
        p: usize,
        when: NaiveDateTime,
        action: Action,
        count: Option<u32>,
        plant: Option<PlantKind>,
    ) {
        self.events.push((
            Event {
                id: String::new(),
                at: when,
                user: self.users[u].id.clone(),
                patient: self.patients[p].id.clone(),
                action,
                count,
            },
            plant,
        ));
    }

    /// A print under the bulk threshold, or a view.
    fn ordinary_action(&mut self) -> (Action, Option<u32>) {
        let threshold = self.spec.policy.bulk_export_threshold;
        if threshold > 1 && self.r.random_range(0..10u8) == 0 {
            (
                Action::Print,
                Some(self.r.random_range(1..threshold.min(20))),
            )
        } else {
            (Action::View, None)
        }
    }

    /// The last day of a patient's encounter inside the period.
    fn encounter_days(&self, p: usize) -> (NaiveDate, NaiveDate) {
        let enc = self.patients[p].encounters[0];
        let to = enc
            .discharged
            .unwrap_or(self.period.end)
            .min(self.period.end);
        (enc.admitted, to)
    }

    fn legitimate_events(&mut self) {
        for i in 0..self.spec.events {
            if i < self.spec.emergency_overrides {
                let k = self.index(self.clinical.len());
                let Some(&u) = self.clinical.get(k) else {
                    continue;
                };
                let p = self.index(self.regular);
                let day = day_in(&mut self.r, self.period.start, self.period.end);
                let hour = hour_in(&mut self.r, self.users[u].shift);
                let when = at(&mut self.r, day, hour);
                let reason = Some(any(&mut self.r, &REASONS).to_owned());
                self.push(u, p, when, Action::BreakTheGlass { reason }, None, None);
                continue;
            }
            let by_task = !self.tasks.is_empty() && self.r.random_range(0..4u8) == 0;
            let (u, p, day) = if by_task {
                let t = self.index(self.tasks.len());
                let (from, to) = (self.tasks[t].from, self.tasks[t].to);
                let (u, p) = self.task_idx[t];
                (u, p, day_in(&mut self.r, from, to))
            } else {
                let p = self.index(self.regular);
                let k = self.index(self.teams[p].len());
                let Some(&u) = self.teams[p].get(k) else {
                    continue;
                };
                let (from, to) = self.encounter_days(p);
                (u, p, day_in(&mut self.r, from, to))
            };
            let hour = hour_in(&mut self.r, self.users[u].shift);
            let when = at(&mut self.r, day, hour);
            let (action, count) = self.ordinary_action();
            self.push(u, p, when, action, count, None);
        }
    }

    /// Whether user `u` has any link to patient `p` the engine would see: a team or task, a
    /// shared surname or address, a VIP (unless `vip_ok`), an employee (unless another one's
    /// record is the point: `coworker_ok`; never the user's own), a family member.
    fn linked(&self, u: usize, p: usize, vip_ok: bool, coworker_ok: bool) -> bool {
        let (user, patient) = (&self.users[u], &self.patients[p]);
        let employee = match self.owner[p] {
            Some(o) => o == u || !coworker_ok,
            None => false,
        };
        self.care.contains(&(u, p))
            || self.task_pairs.contains_key(&(u, p))
            || same(Some(&user.surname), Some(&patient.surname))
            || same(user.address.as_deref(), patient.address.as_deref())
            || (patient.vip && !vip_ok)
            || employee
            || user.family_of.contains(&patient.id)
    }

    /// An ordinary look by `u` at `p` on a day in `[from, to]`, in `u`'s shift.
    fn look(&mut self, u: usize, p: usize, from: NaiveDate, to: NaiveDate, kind: PlantKind) {
        let day = day_in(&mut self.r, from, to.max(from));
        self.look_on(u, p, day, kind);
    }

    /// A look with no purpose while the patient is in (so the log shows no discharge to
    /// explain it away): only the relationship rule and `access.no_relationship` apply.
    fn look_during_stay(&mut self, u: usize, p: usize, kind: PlantKind) {
        let (from, to) = self.encounter_days(p);
        self.look(u, p, from, to, kind);
    }

    fn look_on(&mut self, u: usize, p: usize, day: NaiveDate, kind: PlantKind) {
        let hour = hour_in(&mut self.r, self.users[u].shift);
        let when = at(&mut self.r, day, hour);
        self.push(u, p, when, Action::View, None, Some(kind));
    }

    fn plant(&mut self, kind: PlantKind, i: u32) {
        let (start, end) = (self.period.start, self.period.end);
        match kind {
            PlantKind::Coworker => {
                let x = self.staff_member();
                let p = self.employee_patient(x);
                if let Some(y) = self.actor_for(p) {
                    self.look_during_stay(y, p, kind);
                }
            }
            PlantKind::OwnRecord => {
                let x = self.staff_member();
                let p = self.employee_patient(x);
                self.look_during_stay(x, p, kind);
            }
            PlantKind::Family | PlantKind::SameSurname | PlantKind::SameAddress => {
                let u = self.staff_member();
                let mut patient = self.blank_patient(self.next_patient_id());
                if kind == PlantKind::SameSurname {
                    patient.surname.clone_from(&self.users[u].surname);
                }
                if kind == PlantKind::SameAddress {
                    patient.address.clone_from(&self.users[u].address);
                }
                let p = self.add_patient(patient, Some(u), None);
                if kind == PlantKind::Family {
                    let id = self.patients[p].id.clone();
                    self.users[u].family_of.push(id);
                }
                self.look_during_stay(u, p, kind);
            }
            PlantKind::Vip | PlantKind::NoRelationship => self.plant_stranger(kind, i),
            PlantKind::Terminated => {
                let t = self.staff;
                let from = self.users[t].terminated_on.unwrap_or(start).min(end);
                // A patient in the hospital after the termination (no discharge to explain
                // the look away).
                if let Some(p) = self.patient_for(t, from) {
                    let (adm, dis) = self.encounter_days(p);
                    self.look(t, p, from.max(adm), dis.min(end), kind);
                }
            }
            PlantKind::AfterDischarge => {
                let k = self.index(self.clinical.len());
                let Some(&u) = self.clinical.get(k) else {
                    return;
                };
                let mut patient = self.blank_patient(self.next_patient_id());
                let discharged = plus(start, 1);
                patient.encounters.push(Encounter {
                    admitted: start,
                    discharged: Some(discharged),
                });
                let p = self.add_patient(patient, None, Some(u));
                let grace = self.spec.policy.after_discharge_days;
                self.look(
                    u,
                    p,
                    plus(discharged, grace.saturating_add(1)).min(end),
                    end,
                    kind,
                );
            }
            PlantKind::BtgNoReason | PlantKind::BulkExport | PlantKind::OutsideShift => {
                self.plant_by_team(kind);
            }
        }
    }

    /// A look with no purpose at a stranger's (or a VIP's) record; the first no-relationship
    /// plant opens the case's own patient when it can.
    fn plant_stranger(&mut self, kind: PlantKind, i: u32) {
        let vip = kind == PlantKind::Vip;
        for _ in 0..TRIES {
            let p = if vip {
                let k = self.index(self.vips.len());
                match self.vips.get(k) {
                    Some(&p) => p,
                    None => return,
                }
            } else if i == 0 {
                0
            } else {
                self.index(self.regular)
            };
            if !vip && self.patients[p].vip {
                continue;
            }
            let u = self.staff_member();
            if !self.linked(u, p, vip, false) {
                self.look_during_stay(u, p, kind);
                return;
            }
        }
    }

    /// A staff member with no link to the employee patient `p` but the employment.
    fn actor_for(&mut self, p: usize) -> Option<usize> {
        for _ in 0..TRIES {
            let u = self.staff_member();
            if !self.linked(u, p, false, true) {
                return Some(u);
            }
        }
        None
    }

    /// An ordinary patient with no link to `u`, in the hospital on or after `from`.
    fn patient_for(&mut self, u: usize, from: NaiveDate) -> Option<usize> {
        for _ in 0..TRIES {
            let p = self.index(self.regular);
            if !self.linked(u, p, false, false) && self.encounter_days(p).1 >= from {
                return Some(p);
            }
        }
        None
    }

    /// A treating clinician's event during the encounter that breaks a safeguard.
    fn plant_by_team(&mut self, kind: PlantKind) {
        for _ in 0..TRIES {
            let p = self.index(self.regular);
            let k = self.index(self.teams[p].len());
            let Some(&u) = self.teams[p].get(k) else {
                continue;
            };
            let shift = self.users[u].shift;
            let (from, to) = self.encounter_days(p);
            let day = day_in(&mut self.r, from, to);
            let (action, count, hour) = match kind {
                PlantKind::OutsideShift => {
                    let Some(s) = shift else { continue };
                    (Action::View, None, hour_outside(&mut self.r, s))
                }
                PlantKind::BtgNoReason => (
                    Action::BreakTheGlass { reason: None },
                    None,
                    hour_in(&mut self.r, shift),
                ),
                PlantKind::BulkExport
                | PlantKind::Coworker
                | PlantKind::Family
                | PlantKind::SameSurname
                | PlantKind::SameAddress
                | PlantKind::Vip
                | PlantKind::OwnRecord
                | PlantKind::NoRelationship
                | PlantKind::AfterDischarge
                | PlantKind::Terminated => {
                    let threshold = self.spec.policy.bulk_export_threshold;
                    let extra = self.r.random_range(0..=threshold.min(1000) * 3);
                    (
                        Action::Print,
                        Some(threshold.saturating_add(extra)),
                        hour_in(&mut self.r, shift),
                    )
                }
            };
            let when = at(&mut self.r, day, hour);
            self.push(u, p, when, action, count, Some(kind));
            return;
        }
    }

    /// Sorts the events by time (stable), numbers them and lists the plants.
    fn finish(mut self, as_of: NaiveDate) -> Generated {
        self.events.sort_by_key(|(e, _)| e.at);
        let mut planted = Vec::new();
        let mut events = Vec::with_capacity(self.events.len());
        for (i, (mut e, plant)) in self.events.into_iter().enumerate() {
            e.id = format!("E{:06}", i + 1);
            if let Some(kind) = plant {
                planted.push(Planted {
                    event: e.id.clone(),
                    kind,
                });
            }
            events.push(e);
        }
        for (p, owner) in self.owner.iter().enumerate() {
            if let Some(u) = owner {
                self.patients[p].employee_user_id = Some(self.users[*u].id.clone());
            }
        }
        Generated {
            log: AuditLog {
                period: self.period,
                discovered: Some(as_of),
                users: self.users,
                patients: self.patients,
                tasks: self.tasks,
                events,
                policy: self.spec.policy,
            },
            planted,
        }
    }
}
