//! The access-log table of the access-audit review: the learner reads an [`AuditLog`] and flags
//! the inappropriate events, each with the rules it breaks.
//!
//! Above the table: a free-text search (event id, user, patient, break-the-glass reason),
//! filters by user, patient, role, department, action and date range, "after hours" (outside
//! the user's shift), "flagged only", and the count "N of M events". The table is virtualised
//! (only the rows in view are laid out), striped, with resizable columns; a click on a column
//! header sorts by it, a second click reverses. Two summary views list one row per user or per
//! patient; choosing one filters the events to it. Up/Down (Home/End) move the selected row and
//! Space flags or unflags it while no input has the keyboard. The selected event's details (the
//! user's shift and department, the patient's encounters and treating team, the user's work
//! tasks for the patient) sit beside the table, or below it in a narrow window, with the rule
//! checklist that classifies the flag.
//!
//! Invariants: the shown rows are recomputed only when a filter or the sort changes (a
//! generation counter), or the flags change while the rows depend on them ("flagged only", or
//! sorted by flag); [`AuditLogTable::recomputes`] counts the recomputations. A frame that only
//! scrolls or draws recomputes nothing; the per-log index is built once per log. The summary
//! views count over the whole log (not the filters) and are recomputed when the flags change. Work per
//! recomputation is linear in the events (plus the sort); work per frame is linear in the rows
//! in view. Nothing here panics on an unchecked log: an event naming an unknown user or patient
//! is shown as such.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{NaiveDate, Timelike};
use egui::{RichText, Ui};
use egui_extras::{Column, Size, StripBuilder, TableBuilder};

use super::labelled_text;
use crate::tasks::access_audit::{Action, AuditLog, Event, Patient, Role, Rule, User};
use crate::ui::theme;
use crate::ui::workspace::parse_date;

/// The most words of the free-text search that are matched (the rest are ignored), so a pasted
/// paragraph cannot make a recomputation unbounded.
const MAX_SEARCH_WORDS: usize = 8;

/// From this width on, the selected event's details sit beside the table; below it, under it.
const SIDE_DETAILS_FROM: f32 = 1100.0;

/// Marks an index into the log's users or patients that names no one.
const UNKNOWN: u32 = u32::MAX;

/// The columns of the events table, each of which can sort it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortColumn {
    /// Flagged first (ascending).
    Flag,
    /// The time of the access.
    #[default]
    Time,
    /// The user's name (surname, given name, then id).
    User,
    /// The patient's name (surname, given name, then MRN).
    Patient,
    /// View, print, export, break-the-glass.
    Action,
    /// Pages or records.
    Count,
    /// The break-the-glass reason (events without one last).
    Reason,
}

impl SortColumn {
    /// Every column, left to right.
    pub const ALL: [Self; 7] = [
        Self::Flag,
        Self::Time,
        Self::User,
        Self::Patient,
        Self::Action,
        Self::Count,
        Self::Reason,
    ];

    /// The column's heading.
    #[must_use]
    pub fn title(self) -> &'static str {
        match self {
            Self::Flag => "Flag",
            Self::Time => "Time",
            Self::User => "User",
            Self::Patient => "Patient",
            Self::Action => "Action",
            Self::Count => "Count",
            Self::Reason => "Break-the-glass reason",
        }
    }
}

/// What the widget lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum View {
    /// Every event that passes the filters.
    #[default]
    Events,
    /// One row per user of the log.
    ByUser,
    /// One row per patient of the log.
    ByPatient,
}

impl View {
    const ALL: [Self; 3] = [Self::Events, Self::ByUser, Self::ByPatient];

    fn title(self) -> &'static str {
        match self {
            Self::Events => "All events",
            Self::ByUser => "By user",
            Self::ByPatient => "By patient",
        }
    }
}

/// An action without its reason, for the filter and the sort.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum ActionKind {
    View,
    Print,
    Export,
    BreakTheGlass,
}

impl ActionKind {
    const ALL: [Self; 4] = [Self::View, Self::Print, Self::Export, Self::BreakTheGlass];

    fn of(action: &Action) -> Self {
        match action {
            Action::View => Self::View,
            Action::Print => Self::Print,
            Action::Export => Self::Export,
            Action::BreakTheGlass { .. } => Self::BreakTheGlass,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Self::View => "View",
            Self::Print => "Print",
            Self::Export => "Export",
            Self::BreakTheGlass => "Break-the-glass",
        }
    }
}

/// A role as people read it.
fn role_name(role: Role) -> &'static str {
    match role {
        Role::Physician => "Physician",
        Role::Nurse => "Nurse",
        Role::Clinician => "Clinician",
        Role::Registration => "Registration",
        Role::Billing => "Billing",
        Role::Coding => "Coding",
        Role::Cdi => "CDI",
        Role::Quality => "Quality",
        Role::ReleaseOfInformation => "Release of information",
        Role::Privacy => "Privacy",
        Role::Other => "Other",
    }
}

const ROLES: [Role; 11] = [
    Role::Physician,
    Role::Nurse,
    Role::Clinician,
    Role::Registration,
    Role::Billing,
    Role::Coding,
    Role::Cdi,
    Role::Quality,
    Role::ReleaseOfInformation,
    Role::Privacy,
    Role::Other,
];

/// The reason typed at a break-the-glass override (blank counts as none).
fn reason_of(e: &Event) -> Option<&str> {
    match &e.action {
        Action::BreakTheGlass { reason } => reason.as_deref().filter(|r| !r.trim().is_empty()),
        Action::View | Action::Print | Action::Export => None,
    }
}

/// "SMITH, Ann".
fn person_name(surname: &str, given: &str) -> String {
    format!("{}, {given}", surname.to_uppercase())
}

/// Whether `hay` contains `needle` (already lower-case), ignoring case; ASCII without
/// allocating.
fn contains_ci(hay: &str, needle: &str) -> bool {
    if needle.is_empty() {
        return true;
    }
    if hay.is_ascii() && needle.is_ascii() {
        let (h, n) = (hay.as_bytes(), needle.as_bytes());
        h.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n))
    } else {
        hay.to_lowercase().contains(needle)
    }
}

/// Compares two texts ignoring ASCII case, without allocating.
fn cmp_ci(a: &str, b: &str) -> Ordering {
    a.bytes()
        .map(|c| c.to_ascii_lowercase())
        .cmp(b.bytes().map(|c| c.to_ascii_lowercase()))
}

/// The filters above the table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Filters {
    text: String,
    /// A user id.
    user: Option<String>,
    /// A patient id (MRN).
    patient: Option<String>,
    role: Option<Role>,
    department: Option<String>,
    action: Option<ActionKind>,
    /// As typed (YYYY-MM-DD or MM/DD/YYYY); a text that is not a date filters nothing.
    from: String,
    to: String,
    after_hours: bool,
    flagged_only: bool,
}

/// Which log an index was built for: its events' allocation and the lengths of its lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct LogKey {
    events: usize,
    len: usize,
    users: usize,
    patients: usize,
}

impl LogKey {
    fn of(log: &AuditLog) -> Self {
        Self {
            events: log.events.as_ptr() as usize,
            len: log.events.len(),
            users: log.users.len(),
            patients: log.patients.len(),
        }
    }
}

/// What the filters and the sort read, built once per log.
#[derive(Debug)]
struct LogIndex {
    key: LogKey,
    /// Per event: the index of its user and patient ([`UNKNOWN`] when the log names no one).
    user_of: Vec<u32>,
    patient_of: Vec<u32>,
    /// Per event: outside the user's shift.
    after_hours: Vec<bool>,
    /// Per user and patient: "SMITH, Ann".
    user_names: Vec<String>,
    patient_names: Vec<String>,
    /// Per user and patient: the position in name order.
    user_rank: Vec<u32>,
    patient_rank: Vec<u32>,
    /// Per user and patient: what the free text is matched against, lower-case.
    user_text: Vec<String>,
    patient_text: Vec<String>,
    /// Users and patients in name order (for the filters' choices).
    user_order: Vec<usize>,
    patient_order: Vec<usize>,
    /// Every department, sorted.
    departments: Vec<String>,
    user_by_id: HashMap<String, u32>,
    patient_by_id: HashMap<String, u32>,
}

/// The positions of `names` in name order (ties by position in the log).
fn ranks(names: &[(String, &str)]) -> Vec<u32> {
    let mut order: Vec<usize> = (0..names.len()).collect();
    order.sort_by(|&a, &b| {
        let (na, ia) = &names[a];
        let (nb, ib) = &names[b];
        cmp_ci(na, nb).then_with(|| ia.cmp(ib)).then(a.cmp(&b))
    });
    let mut rank = vec![0; names.len()];
    for (r, i) in order.into_iter().enumerate() {
        rank[i] = u32::try_from(r).unwrap_or(UNKNOWN);
    }
    rank
}

/// The inverse of [`ranks`]: who is at each position.
fn order_of(rank: &[u32]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..rank.len()).collect();
    order.sort_by_key(|&i| rank[i]);
    order
}

fn position(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(UNKNOWN)
}

impl LogIndex {
    fn build(log: &AuditLog) -> Self {
        let user_by_id: HashMap<String, u32> = log
            .users
            .iter()
            .enumerate()
            .map(|(i, u)| (u.id.clone(), position(i)))
            .collect();
        let patient_by_id: HashMap<String, u32> = log
            .patients
            .iter()
            .enumerate()
            .map(|(i, p)| (p.id.clone(), position(i)))
            .collect();
        let user_of: Vec<u32> = log
            .events
            .iter()
            .map(|e| user_by_id.get(&e.user).copied().unwrap_or(UNKNOWN))
            .collect();
        let patient_of = log
            .events
            .iter()
            .map(|e| patient_by_id.get(&e.patient).copied().unwrap_or(UNKNOWN))
            .collect();
        let after_hours = log
            .events
            .iter()
            .zip(&user_of)
            .map(|(e, &u)| {
                log.users
                    .get(u as usize)
                    .and_then(|u| u.shift)
                    .is_some_and(|s| !s.covers(e.at.hour()))
            })
            .collect();
        let user_names: Vec<String> = log
            .users
            .iter()
            .map(|u| person_name(&u.surname, &u.given_name))
            .collect();
        let patient_names: Vec<String> = log
            .patients
            .iter()
            .map(|p| person_name(&p.surname, &p.given_name))
            .collect();
        let keyed = |names: &[String], ids: Vec<&'_ str>| -> Vec<u32> {
            let pairs: Vec<(String, &str)> = names.iter().cloned().zip(ids).collect();
            ranks(&pairs)
        };
        let user_rank = keyed(
            &user_names,
            log.users.iter().map(|u| u.id.as_str()).collect(),
        );
        let patient_rank = keyed(
            &patient_names,
            log.patients.iter().map(|p| p.id.as_str()).collect(),
        );
        let user_text = log
            .users
            .iter()
            .map(|u| {
                format!("{} {} {} {}", u.id, u.given_name, u.surname, u.department).to_lowercase()
            })
            .collect();
        let patient_text = log
            .patients
            .iter()
            .map(|p| format!("{} {} {}", p.id, p.given_name, p.surname).to_lowercase())
            .collect();
        let user_order = order_of(&user_rank);
        let patient_order = order_of(&patient_rank);
        let mut departments: Vec<String> = log.users.iter().map(|u| u.department.clone()).collect();
        departments.sort_by(|a, b| cmp_ci(a, b).then(a.cmp(b)));
        departments.dedup();
        Self {
            key: LogKey::of(log),
            user_of,
            patient_of,
            after_hours,
            user_names,
            patient_names,
            user_rank,
            patient_rank,
            user_text,
            patient_text,
            user_order,
            patient_order,
            departments,
            user_by_id,
            patient_by_id,
        }
    }

    fn user_name(&self, u: u32) -> &str {
        self.user_names
            .get(u as usize)
            .map_or("unknown user", String::as_str)
    }

    fn patient_name(&self, p: u32) -> &str {
        self.patient_names
            .get(p as usize)
            .map_or("unknown patient", String::as_str)
    }
}

/// The shown events (indices into the log's events, in the order shown) and what they were
/// computed for.
#[derive(Debug)]
struct RowCache {
    generation: u64,
    /// The flags' state when the rows depend on them (flagged only, sorted by flag).
    flags: Option<(u64, usize)>,
    rows: Vec<u32>,
}

/// One row of the by-user view.
#[derive(Debug, Clone, PartialEq, Eq)]
struct UserRow {
    user: u32,
    events: usize,
    patients: usize,
    after_hours: usize,
    flagged: usize,
}

/// One row of the by-patient view.
#[derive(Debug, Clone, PartialEq, Eq)]
struct PatientRow {
    patient: u32,
    events: usize,
    users: usize,
    flagged: usize,
}

/// The summary views over the whole log, in the log's order of users and patients.
#[derive(Debug)]
struct Summaries {
    generation: u64,
    flags: (u64, usize),
    users: Vec<UserRow>,
    patients: Vec<PatientRow>,
}

impl Summaries {
    fn build(
        log: &AuditLog,
        index: &LogIndex,
        flags: &BTreeMap<String, BTreeSet<String>>,
        (generation, flag_changes): (u64, u64),
    ) -> Self {
        let mut users: Vec<UserRow> = (0..log.users.len())
            .map(|u| UserRow {
                user: position(u),
                events: 0,
                patients: 0,
                after_hours: 0,
                flagged: 0,
            })
            .collect();
        let mut patients: Vec<PatientRow> = (0..log.patients.len())
            .map(|p| PatientRow {
                patient: position(p),
                events: 0,
                users: 0,
                flagged: 0,
            })
            .collect();
        let mut pairs: Vec<(u32, u32)> = Vec::with_capacity(log.events.len());
        for (i, e) in log.events.iter().enumerate() {
            let (u, p) = (index.user_of[i], index.patient_of[i]);
            let flagged = !flags.is_empty() && flags.contains_key(&e.id);
            if let Some(row) = users.get_mut(u as usize) {
                row.events += 1;
                row.after_hours += usize::from(index.after_hours[i]);
                row.flagged += usize::from(flagged);
            }
            if let Some(row) = patients.get_mut(p as usize) {
                row.events += 1;
                row.flagged += usize::from(flagged);
            }
            if u != UNKNOWN && p != UNKNOWN {
                pairs.push((u, p));
            }
        }
        pairs.sort_unstable();
        pairs.dedup();
        for &(u, p) in &pairs {
            if let Some(row) = users.get_mut(u as usize) {
                row.patients += 1;
            }
            if let Some(row) = patients.get_mut(p as usize) {
                row.users += 1;
            }
        }
        Self {
            generation,
            flags: (flag_changes, flags.len()),
            users,
            patients,
        }
    }
}

/// What the user asked for this frame, applied once the frame's widgets are drawn.
#[derive(Debug, Default)]
struct Intents {
    select: Option<usize>,
    toggle_flag: Option<usize>,
    /// An event and a rule id with its new state.
    set_rule: Option<(usize, &'static str, bool)>,
    sort: Option<SortColumn>,
    show_user: Option<String>,
    show_patient: Option<String>,
}

/// The access-log table's state: sort column and direction, filters, view, the selected event,
/// and the cached filtered and sorted rows.
#[derive(Debug, Default)]
pub struct AuditLogTable {
    sort: SortColumn,
    descending: bool,
    filters: Filters,
    view: View,
    /// The selected event (an index into the log's events).
    selected: Option<usize>,
    /// Bumped by every change of a filter or the sort, and by a new log.
    generation: u64,
    /// Bumped by every change of the flags made here.
    flag_changes: u64,
    recomputes: u64,
    index: Option<LogIndex>,
    cache: Option<RowCache>,
    summaries: Option<Summaries>,
    /// A row (a position in the shown rows) to scroll into view in this frame.
    scroll_to: Option<usize>,
    /// An event [`AuditLogTable::reveal`] asked to show.
    reveal: Option<usize>,
    /// The whole log sorted by a column in a direction (not by flag), built on first use per
    /// log.
    orders: Vec<((SortColumn, bool), Vec<u32>)>,
}

impl AuditLogTable {
    /// A table sorted by time, unfiltered, nothing selected.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// How many times the shown rows have been computed (filters, sort, flags or log changed).
    #[must_use]
    pub fn recomputes(&self) -> u64 {
        self.recomputes
    }

    /// The shown events, as indices into the log's events, in the order shown (as of the last
    /// frame).
    #[must_use]
    pub fn rows(&self) -> &[u32] {
        self.cache.as_ref().map_or(&[], |c| c.rows.as_slice())
    }

    /// The selected event, an index into the log's events.
    #[must_use]
    pub fn selected(&self) -> Option<usize> {
        self.selected
    }

    /// The current view.
    #[must_use]
    pub fn view(&self) -> View {
        self.view
    }

    /// Shows all events, or one row per user or patient.
    pub fn set_view(&mut self, view: View) {
        self.view = view;
    }

    /// The sort column and whether it is descending.
    #[must_use]
    pub fn sort(&self) -> (SortColumn, bool) {
        (self.sort, self.descending)
    }

    /// Selects an event (an index into the log's events) and scrolls its row into view in the
    /// next frame, when the filters show it (for a link from feedback to the event it
    /// concerns).
    pub fn reveal(&mut self, event: usize) {
        self.selected = Some(event);
        self.reveal = Some(event);
        self.view = View::Events;
    }

    /// To call when the flags were changed elsewhere (a draft loaded) or the log was changed in
    /// place: the rows are recomputed in the next frame. (A new log or a different number of
    /// flagged events is noticed without it.)
    pub fn invalidate(&mut self) {
        self.generation += 1;
        self.flag_changes += 1;
        self.index = None;
        self.orders.clear();
    }

    /// Draws the filters, the table (or a summary view) and the selected event's details.
    /// `flags` maps an event id to the ids of the rules it breaks ([`Rule::id`]); returns
    /// whether `flags` changed (the caller saves a draft).
    pub fn show(
        &mut self,
        ui: &mut Ui,
        log: &AuditLog,
        flags: &mut BTreeMap<String, BTreeSet<String>>,
    ) -> bool {
        if self.index.as_ref().is_none_or(|i| i.key != LogKey::of(log)) {
            self.index = Some(LogIndex::build(log));
            self.orders.clear();
            self.generation += 1;
            self.selected = self.selected.filter(|&s| s < log.events.len());
        }
        let mut intents = Intents::default();
        if self.view == View::Events {
            self.keyboard(ui, &mut intents);
        }
        let before = self.filters.clone();
        let view_before = self.view;
        // Collapsible, so a small window at a large text scale keeps room for the rows.
        egui::CollapsingHeader::new("Filters")
            .id_salt("audit_log_filters")
            .default_open(true)
            .show(ui, |ui| self.filters_ui(ui, log));
        if self.filters != before {
            self.generation += 1;
        }
        self.view_ui(ui);
        if self.view != view_before {
            self.scroll_to = None;
        }
        self.refresh(log, flags);
        if let Some(e) = self.reveal.take() {
            self.scroll_to = self.rows().iter().position(|&r| r as usize == e);
        }
        match self.view {
            View::Events => self.events_layout(ui, log, flags, &mut intents),
            View::ByUser | View::ByPatient => {
                self.refresh_summaries(log, flags);
                self.summary_ui(ui, log, &mut intents);
            }
        }
        // A scroll to the selected row is asked of the table once.
        self.scroll_to = None;
        self.apply(log, flags, intents)
    }

    /// Up/Down/Home/End move the selected row, Space flags or unflags it, while no widget has
    /// the keyboard (a focused input keeps its keys).
    fn keyboard(&mut self, ui: &Ui, intents: &mut Intents) {
        if ui.ctx().memory(|m| m.focused().is_some()) {
            return;
        }
        let (down, up, home, end, space) = ui.input_mut(|i| {
            let none = egui::Modifiers::NONE;
            (
                i.consume_key(none, egui::Key::ArrowDown),
                i.consume_key(none, egui::Key::ArrowUp),
                i.consume_key(none, egui::Key::Home),
                i.consume_key(none, egui::Key::End),
                i.consume_key(none, egui::Key::Space),
            )
        });
        let rows = self.rows();
        if rows.is_empty() {
            return;
        }
        let at = self
            .selected
            .and_then(|s| rows.iter().position(|&r| r as usize == s));
        let last = rows.len() - 1;
        let target = if home {
            Some(0)
        } else if end {
            Some(last)
        } else if down {
            Some(at.map_or(0, |p| (p + 1).min(last)))
        } else if up {
            Some(at.map_or(0, |p| p.saturating_sub(1)))
        } else {
            None
        };
        if let Some(p) = target {
            intents.select = rows.get(p).map(|&r| r as usize);
            self.scroll_to = Some(p);
        }
        if space && let Some(s) = intents.select.or(self.selected) {
            intents.toggle_flag = Some(s);
        }
    }

    /// Recomputes the shown rows when a filter, the sort, the flags or the log changed.
    fn refresh(&mut self, log: &AuditLog, flags: &BTreeMap<String, BTreeSet<String>>) {
        let flag_key = (self.filters.flagged_only || self.sort == SortColumn::Flag)
            .then_some((self.flag_changes, flags.len()));
        let fresh = self
            .cache
            .as_ref()
            .is_some_and(|c| c.generation == self.generation && c.flags == flag_key);
        if fresh {
            return;
        }
        let Some(index) = &self.index else {
            return;
        };
        let pass = filter_mask(log, index, &self.filters, flags);
        let kept = |i: &u32| pass.get(*i as usize).copied().unwrap_or(false);
        let rows = if self.sort == SortColumn::Flag {
            let mut rows: Vec<u32> = (0..log.events.len()).map(position).filter(kept).collect();
            sort_rows(&mut rows, log, index, flags, self.sort, self.descending);
            rows
        } else {
            // The whole log in this order, sorted once per log: a filter change is then
            // linear in the events.
            let key = (self.sort, self.descending);
            let order = match self.orders.iter().position(|(k, _)| *k == key) {
                Some(at) => &self.orders[at].1,
                None => {
                    let mut all: Vec<u32> = (0..log.events.len()).map(position).collect();
                    sort_rows(&mut all, log, index, flags, self.sort, self.descending);
                    self.orders.push((key, all));
                    &self.orders[self.orders.len() - 1].1
                }
            };
            order.iter().copied().filter(kept).collect()
        };
        self.recomputes += 1;
        self.cache = Some(RowCache {
            generation: self.generation,
            flags: flag_key,
            rows,
        });
    }

    fn refresh_summaries(&mut self, log: &AuditLog, flags: &BTreeMap<String, BTreeSet<String>>) {
        let key = (self.flag_changes, flags.len());
        let fresh = self
            .summaries
            .as_ref()
            .is_some_and(|s| s.generation == self.generation && s.flags == key);
        if fresh {
            return;
        }
        if let Some(index) = &self.index {
            let keys = (self.generation, self.flag_changes);
            self.summaries = Some(Summaries::build(log, index, flags, keys));
        }
    }

    /// Applies what was asked this frame; returns whether the flags changed.
    fn apply(
        &mut self,
        log: &AuditLog,
        flags: &mut BTreeMap<String, BTreeSet<String>>,
        intents: Intents,
    ) -> bool {
        let mut changed = false;
        if let Some(s) = intents.select {
            self.selected = Some(s);
        }
        if let Some(e) = intents.toggle_flag.and_then(|i| log.events.get(i)) {
            if flags.remove(&e.id).is_none() {
                flags.insert(e.id.clone(), BTreeSet::new());
            }
            changed = true;
        }
        if let Some((i, rule, on)) = intents.set_rule
            && let Some(e) = log.events.get(i)
        {
            if on {
                changed |= flags
                    .entry(e.id.clone())
                    .or_default()
                    .insert(rule.to_string());
            } else if let Some(rules) = flags.get_mut(&e.id) {
                changed |= rules.remove(rule);
            }
        }
        if let Some(column) = intents.sort {
            if self.sort == column {
                self.descending = !self.descending;
            } else {
                self.sort = column;
                self.descending = false;
            }
            self.generation += 1;
        }
        if let Some(user) = intents.show_user {
            self.filters.user = Some(user);
            self.view = View::Events;
            self.generation += 1;
        }
        if let Some(patient) = intents.show_patient {
            self.filters.patient = Some(patient);
            self.view = View::Events;
            self.generation += 1;
        }
        if changed {
            self.flag_changes += 1;
        }
        changed
    }
}

/// Per event of the log: whether it passes `f`.
fn filter_mask(
    log: &AuditLog,
    index: &LogIndex,
    f: &Filters,
    flags: &BTreeMap<String, BTreeSet<String>>,
) -> Vec<bool> {
    let words: Vec<String> = f
        .text
        .split_whitespace()
        .take(MAX_SEARCH_WORDS)
        .map(str::to_lowercase)
        .collect();
    let user_hits: Vec<Vec<bool>> = words
        .iter()
        .map(|w| {
            index
                .user_text
                .iter()
                .map(|t| t.contains(w.as_str()))
                .collect()
        })
        .collect();
    let patient_hits: Vec<Vec<bool>> = words
        .iter()
        .map(|w| {
            index
                .patient_text
                .iter()
                .map(|t| t.contains(w.as_str()))
                .collect()
        })
        .collect();
    let wanted_user = f
        .user
        .as_ref()
        .map(|id| index.user_by_id.get(id).copied().unwrap_or(UNKNOWN));
    let wanted_patient = f
        .patient
        .as_ref()
        .map(|id| index.patient_by_id.get(id).copied().unwrap_or(UNKNOWN));
    let user_ok: Vec<bool> = log
        .users
        .iter()
        .enumerate()
        .map(|(i, u)| {
            wanted_user.is_none_or(|w| w as usize == i)
                && f.role.is_none_or(|r| r == u.role)
                && f.department.as_ref().is_none_or(|d| *d == u.department)
        })
        .collect();
    let patient_ok: Vec<bool> = (0..log.patients.len())
        .map(|i| wanted_patient.is_none_or(|w| w as usize == i))
        .collect();
    let from = parse_date(f.from.trim());
    let to = parse_date(f.to.trim());
    let check_flags = f.flagged_only;
    let mut mask = Vec::with_capacity(log.events.len());
    for (i, e) in log.events.iter().enumerate() {
        let (u, p) = (index.user_of[i] as usize, index.patient_of[i] as usize);
        let day = e.at.date();
        let pass = user_ok.get(u).copied().unwrap_or(false)
            && patient_ok.get(p).copied().unwrap_or(false)
            && f.action.is_none_or(|a| a == ActionKind::of(&e.action))
            && from.is_none_or(|d| day >= d)
            && to.is_none_or(|d| day <= d)
            && (!f.after_hours || index.after_hours[i])
            && (!check_flags || flags.contains_key(&e.id))
            && words.iter().enumerate().all(|(k, w)| {
                user_hits[k].get(u).copied().unwrap_or(false)
                    || patient_hits[k].get(p).copied().unwrap_or(false)
                    || contains_ci(&e.id, w)
                    || reason_of(e).is_some_and(|r| contains_ci(r, w))
            });
        mask.push(pass);
    }
    mask
}

/// Sorts `rows` by `column` (ties in the log's order).
fn sort_rows(
    rows: &mut [u32],
    log: &AuditLog,
    index: &LogIndex,
    flags: &BTreeMap<String, BTreeSet<String>>,
    column: SortColumn,
    descending: bool,
) {
    let ev = |i: u32| &log.events[i as usize];
    let rank = |ranks: &[u32], who: u32| ranks.get(who as usize).copied().unwrap_or(UNKNOWN);
    let by_key = |a: u32, b: u32| -> Ordering {
        match column {
            SortColumn::Flag => flags
                .contains_key(&ev(b).id)
                .cmp(&flags.contains_key(&ev(a).id)),
            SortColumn::Time => ev(a).at.cmp(&ev(b).at),
            SortColumn::User => rank(&index.user_rank, index.user_of[a as usize])
                .cmp(&rank(&index.user_rank, index.user_of[b as usize])),
            SortColumn::Patient => rank(&index.patient_rank, index.patient_of[a as usize])
                .cmp(&rank(&index.patient_rank, index.patient_of[b as usize])),
            SortColumn::Action => ActionKind::of(&ev(a).action).cmp(&ActionKind::of(&ev(b).action)),
            SortColumn::Count => ev(a).count.unwrap_or(1).cmp(&ev(b).count.unwrap_or(1)),
            SortColumn::Reason => match (reason_of(ev(a)), reason_of(ev(b))) {
                (Some(x), Some(y)) => cmp_ci(x, y),
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => Ordering::Equal,
            },
        }
    };
    rows.sort_unstable_by(|&a, &b| {
        let o = by_key(a, b);
        if descending { o.reverse() } else { o }.then(a.cmp(&b))
    });
}

/// A combo box with an accessible name; `pick` draws the choices.
fn combo(ui: &mut Ui, name: &str, shown: &str, width: f32, pick: impl FnOnce(&mut Ui)) {
    let r = egui::ComboBox::from_id_salt(("audit_filter", name))
        .selected_text(shown)
        .width(width)
        .show_ui(ui, pick);
    let name = name.to_string();
    r.response
        .widget_info(move || egui::WidgetInfo::labeled(egui::Role::ComboBox, true, name.clone()));
}

/// A checkbox without text whose accessible name is `name`.
fn named_checkbox(ui: &mut Ui, on: &mut bool, name: String) -> egui::Response {
    let r = ui.add(egui::Checkbox::without_text(on));
    let selected = *on;
    r.widget_info(move || {
        egui::WidgetInfo::selected(egui::Role::CheckBox, true, selected, name.clone())
    });
    r
}

/// A button with an accessible name other than its text.
fn named_button(ui: &mut Ui, button: egui::Button<'_>, name: String) -> egui::Response {
    let r = ui.add(button);
    r.widget_info(move || egui::WidgetInfo::labeled(egui::Role::Button, true, name.clone()));
    r
}

impl AuditLogTable {
    /// The filter bar: search, user, patient, role, department, action, dates, after hours,
    /// flagged only, Clear.
    fn filters_ui(&mut self, ui: &mut Ui, log: &AuditLog) {
        let Some(index) = &self.index else {
            return;
        };
        let f = &mut self.filters;
        ui.horizontal_wrapped(|ui| {
            ui.label("Search");
            if let Some(t) = labelled_text(ui, "Search events", &f.text, false, 220.0) {
                f.text = t;
            }
            ui.label(theme::caption("event id, user, patient, reason"));
        });
        ui.horizontal_wrapped(|ui| {
            let shown = f.user.as_ref().and_then(|id| index.user_by_id.get(id));
            person_filter(
                ui,
                ("User", "Any user"),
                &mut f.user,
                shown.map(|&u| index.user_name(u)),
                (&index.user_names, &index.user_order),
                |i| log.users.get(i).map(|u| u.id.as_str()),
            );
            let shown = f
                .patient
                .as_ref()
                .and_then(|id| index.patient_by_id.get(id));
            person_filter(
                ui,
                ("Patient", "Any patient"),
                &mut f.patient,
                shown.map(|&p| index.patient_name(p)),
                (&index.patient_names, &index.patient_order),
                |i| log.patients.get(i).map(|p| p.id.as_str()),
            );
            ui.label("Role");
            combo(
                ui,
                "Role filter",
                f.role.map_or("Any role", role_name),
                120.0,
                |ui| {
                    ui.selectable_value(&mut f.role, None, "Any role");
                    for r in ROLES {
                        ui.selectable_value(&mut f.role, Some(r), role_name(r));
                    }
                },
            );
            ui.label("Department");
            let shown = f
                .department
                .clone()
                .unwrap_or_else(|| "Any department".into());
            combo(ui, "Department filter", &shown, 130.0, |ui| {
                ui.selectable_value(&mut f.department, None, "Any department");
                for d in &index.departments {
                    ui.selectable_value(&mut f.department, Some(d.clone()), d);
                }
            });
            ui.label("Action");
            combo(
                ui,
                "Action filter",
                f.action.map_or("Any action", ActionKind::name),
                120.0,
                |ui| {
                    ui.selectable_value(&mut f.action, None, "Any action");
                    for a in ActionKind::ALL {
                        ui.selectable_value(&mut f.action, Some(a), a.name());
                    }
                },
            );
        });
        ui.horizontal_wrapped(|ui| {
            date_filter(ui, "From", &mut f.from, log.period.start);
            date_filter(ui, "To", &mut f.to, log.period.end);
            ui.checkbox(&mut f.after_hours, "After hours only");
            ui.checkbox(&mut f.flagged_only, "Flagged only");
            if ui
                .add_enabled(*f != Filters::default(), egui::Button::new("Clear filters"))
                .clicked()
            {
                *f = Filters::default();
            }
        });
    }

    /// The view switch and the count of shown events.
    fn view_ui(&mut self, ui: &mut Ui) {
        ui.horizontal(|ui| {
            for v in View::ALL {
                let r = ui.selectable_label(self.view == v, v.title());
                if r.clicked() {
                    self.view = v;
                }
            }
        });
    }

    /// The count, the table and the details (beside or below).
    fn events_layout(
        &mut self,
        ui: &mut Ui,
        log: &AuditLog,
        flags: &BTreeMap<String, BTreeSet<String>>,
        intents: &mut Intents,
    ) {
        let shown = self.rows().len();
        let total = log.events.len();
        ui.label(RichText::new(format!("{shown} of {total} events")).strong());
        if total == 0 {
            ui.label("This log has no events.");
            return;
        }
        if shown == 0 {
            ui.label("No events match the filters: change or clear them to see the others.");
        }
        let wide = ui.available_width() >= SIDE_DETAILS_FROM;
        let details_height = (ui.available_height() * 0.4).clamp(160.0, 360.0);
        let builder = StripBuilder::new(ui);
        if wide {
            builder
                .size(Size::remainder().at_least(400.0))
                .size(Size::exact(360.0))
                .horizontal(|mut strip| {
                    strip.cell(|ui| self.events_table(ui, log, flags, intents));
                    strip.cell(|ui| self.details_ui(ui, log, flags, intents));
                });
        } else {
            builder
                .size(Size::remainder().at_least(120.0))
                .size(Size::exact(details_height))
                .vertical(|mut strip| {
                    strip.cell(|ui| self.events_table(ui, log, flags, intents));
                    strip.cell(|ui| self.details_ui(ui, log, flags, intents));
                });
        }
    }
}

/// The user or patient filter: its label, and a combo box ("User filter") showing the chosen
/// person's name, or "Any …".
fn person_filter<'a>(
    ui: &mut Ui,
    (label, any): (&str, &str),
    current: &mut Option<String>,
    shown: Option<&str>,
    list: (&[String], &[usize]),
    id_of: impl Fn(usize) -> Option<&'a str>,
) {
    ui.label(label);
    combo(
        ui,
        &format!("{label} filter"),
        shown.unwrap_or(any),
        150.0,
        |ui| pick_person(ui, current, any, list, id_of),
    );
}

/// The choices of the user or patient filter: "Any …", then everyone in name order, laid out
/// only where in view.
fn pick_person<'a>(
    ui: &mut Ui,
    current: &mut Option<String>,
    any: &str,
    (names, order): (&[String], &[usize]),
    id_of: impl Fn(usize) -> Option<&'a str>,
) {
    if ui.selectable_label(current.is_none(), any).clicked() {
        *current = None;
    }
    let row = ui.spacing().interact_size.y;
    egui::ScrollArea::vertical()
        .max_height(row * 12.0)
        .show_rows(ui, row, order.len(), |ui, range| {
            for &i in order.get(range).unwrap_or(&[]) {
                let (Some(id), Some(name)) = (id_of(i), names.get(i)) else {
                    continue;
                };
                let text = format!("{name} ({id})");
                let on = current.as_deref() == Some(id);
                if ui.selectable_label(on, text).clicked() {
                    *current = Some(id.to_string());
                }
            }
        });
}

/// A date bound typed (YYYY-MM-DD) or picked, with a Clear button.
fn date_filter(ui: &mut Ui, word: &str, text: &mut String, default: NaiveDate) {
    ui.label(word);
    let name = format!("{word} date");
    if let Some(t) = labelled_text(ui, &name, text, false, 96.0) {
        *text = t;
    }
    let parsed = parse_date(text.trim());
    let start = parsed.unwrap_or(default);
    if let Ok(mut day) = jiff::civil::Date::new(
        i16::try_from(chrono::Datelike::year(&start)).unwrap_or(2000),
        i8::try_from(chrono::Datelike::month(&start)).unwrap_or(1),
        i8::try_from(chrono::Datelike::day(&start)).unwrap_or(1),
    ) {
        let salt = format!("audit_date {word}");
        let r = ui.add(
            egui_extras::DatePickerButton::new(&mut day)
                .id_salt(&salt)
                .format("Calendar")
                .show_icon(false)
                .calendar_week(false)
                .highlight_weekends(false),
        );
        let n = format!("Pick {} date", word.to_lowercase());
        r.widget_info(move || egui::WidgetInfo::labeled(egui::Role::Button, true, n.clone()));
        if r.changed() {
            *text = day.strftime("%Y-%m-%d").to_string();
        }
    }
    if !text.trim().is_empty() && parsed.is_none() {
        ui.label(RichText::new("use YYYY-MM-DD").color(theme::abnormal(theme::is_dark(ui.ctx()))));
    }
}

/// The row height for the current font: one line of body text or a checkbox, whichever is
/// taller, with a little room.
fn row_height(ui: &Ui) -> f32 {
    ui.text_style_height(&egui::TextStyle::Body)
        .max(ui.spacing().interact_size.y)
        + 4.0
}

impl AuditLogTable {
    /// The events table: sortable headers, then only the rows in view.
    fn events_table(
        &self,
        ui: &mut Ui,
        log: &AuditLog,
        flags: &BTreeMap<String, BTreeSet<String>>,
        intents: &mut Intents,
    ) {
        let Some(index) = &self.index else {
            return;
        };
        let rows = self.rows();
        let height = row_height(ui);
        let em = ui.text_style_height(&egui::TextStyle::Body);
        egui::ScrollArea::horizontal()
            .id_salt("audit_log_hscroll")
            .show(ui, |ui| {
                let mut table = TableBuilder::new(ui)
                    .id_salt("audit_log_table")
                    .striped(true)
                    .resizable(true)
                    .sense(egui::Sense::click())
                    .auto_shrink([false, false])
                    .min_scrolled_height(0.0)
                    .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
                    .column(Column::initial(3.0 * em).at_least(2.5 * em).clip(true))
                    .column(Column::initial(9.5 * em).at_least(6.0 * em).clip(true))
                    .column(Column::initial(15.0 * em).at_least(6.0 * em).clip(true))
                    .column(Column::initial(12.0 * em).at_least(6.0 * em).clip(true))
                    .column(Column::initial(7.0 * em).at_least(4.0 * em).clip(true))
                    .column(Column::initial(3.5 * em).at_least(3.0 * em).clip(true))
                    .column(Column::remainder().at_least(8.0 * em).clip(true));
                if let Some(p) = self.scroll_to {
                    table = table.scroll_to_row(p, None);
                }
                table
                    .header(height, |mut header| {
                        for c in SortColumn::ALL {
                            header.col(|ui| {
                                if self.header_button(ui, c) {
                                    intents.sort = Some(c);
                                }
                            });
                        }
                    })
                    .body(|body| {
                        body.rows(height, rows.len(), |mut row| {
                            let Some(&ev) = rows.get(row.index()) else {
                                return;
                            };
                            let ev = ev as usize;
                            let Some(e) = log.events.get(ev) else {
                                return;
                            };
                            row.set_selected(self.selected == Some(ev));
                            event_cells(&mut row, log, e, ev, index, flags, intents);
                            if row.response().clicked() {
                                intents.select = Some(ev);
                            }
                        });
                    });
            });
    }

    /// A column heading that sorts by it; the sorted one has an arrow (up: ascending, down:
    /// descending) and says its direction to screen readers. Returns whether it was clicked.
    fn header_button(&self, ui: &mut Ui, c: SortColumn) -> bool {
        ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Truncate);
        let sorted = self.sort == c;
        let dir = match (sorted, self.descending) {
            (false, _) => "",
            (true, false) => " (sorted ascending)",
            (true, true) => " (sorted descending)",
        };
        let text = RichText::new(c.title()).strong();
        let clicked = named_button(
            ui,
            egui::Button::new(text).frame(false),
            format!("Sort by {}{dir}", c.title()),
        )
        .clicked();
        if sorted {
            sort_arrow(ui, self.descending);
        }
        clicked
    }
}

/// A filled triangle after a heading, pointing up (ascending) or down (descending).
fn sort_arrow(ui: &mut Ui, descending: bool) {
    let size = ui.text_style_height(&egui::TextStyle::Body) * 0.6;
    let (rect, _) = ui.allocate_exact_size(egui::vec2(size, size), egui::Sense::hover());
    let (top, bottom) = (rect.top(), rect.bottom());
    let points = if descending {
        vec![
            egui::pos2(rect.left(), top),
            egui::pos2(rect.right(), top),
            egui::pos2(rect.center().x, bottom),
        ]
    } else {
        vec![
            egui::pos2(rect.left(), bottom),
            egui::pos2(rect.center().x, top),
            egui::pos2(rect.right(), bottom),
        ]
    };
    let colour = ui.visuals().strong_text_color();
    ui.painter().add(egui::Shape::convex_polygon(
        points,
        colour,
        egui::Stroke::NONE,
    ));
}

/// The cells of one event: flag, time, user, patient, action, count, reason.
fn event_cells(
    row: &mut egui_extras::TableRow<'_, '_>,
    log: &AuditLog,
    e: &Event,
    ev: usize,
    index: &LogIndex,
    flags: &BTreeMap<String, BTreeSet<String>>,
    intents: &mut Intents,
) {
    let mut dark = false;
    row.col(|ui| {
        dark = theme::is_dark(ui.ctx());
        let mut on = flags.contains_key(&e.id);
        if named_checkbox(ui, &mut on, format!("Flag event {}", e.id)).changed() {
            intents.toggle_flag = Some(ev);
            intents.select = Some(ev);
        }
    });
    row.col(|ui| {
        let text = e.at.format("%Y-%m-%d %H:%M").to_string();
        let r = named_button(
            ui,
            egui::Button::new(text).frame(false),
            format!("Select event {}", e.id),
        );
        if r.clicked() {
            intents.select = Some(ev);
        }
    });
    let u = index.user_of.get(ev).copied().unwrap_or(UNKNOWN);
    let after = index.after_hours.get(ev).copied().unwrap_or(false);
    row.col(|ui| {
        let mut t = RichText::new(user_cell(log, index, u, e));
        if after {
            t = t.color(theme::abnormal(dark));
        }
        ui.label(t);
    });
    let p = index.patient_of.get(ev).copied().unwrap_or(UNKNOWN);
    row.col(|ui| {
        ui.label(format!("{} (MRN {})", index.patient_name(p), e.patient));
    });
    row.col(|ui| {
        ui.label(ActionKind::of(&e.action).name());
    });
    row.col(|ui| {
        ui.label(e.count.unwrap_or(1).to_string());
    });
    row.col(|ui| match (&e.action, reason_of(e)) {
        (_, Some(r)) => {
            ui.label(r);
        }
        (Action::BreakTheGlass { .. }, None) => {
            ui.label(RichText::new("no reason given").color(theme::alert(dark)));
        }
        (Action::View | Action::Print | Action::Export, None) => {}
    });
}

/// "SMITH, Ann · Nurse · Emergency".
fn user_cell(log: &AuditLog, index: &LogIndex, u: u32, e: &Event) -> String {
    match log.users.get(u as usize) {
        Some(user) => format!(
            "{} · {} · {}",
            index.user_name(u),
            role_name(user.role),
            user.department
        ),
        None => format!("unknown user ({})", e.user),
    }
}

/// A line of the details with a grey caption before it.
fn detail_line(ui: &mut Ui, caption: &str, text: impl Into<String>) {
    ui.horizontal_wrapped(|ui| {
        ui.label(theme::caption(caption));
        ui.label(text.into());
    });
}

fn shift_text(user: &User) -> String {
    user.shift.map_or_else(
        || "no scheduled shift".to_string(),
        |s| format!("{:02}:00–{:02}:00", s.start, s.end),
    )
}

fn encounter_text(p: &Patient) -> String {
    if p.encounters.is_empty() {
        return "none in the log".to_string();
    }
    p.encounters
        .iter()
        .map(|e| match e.discharged {
            Some(d) => format!("{} to {d}", e.admitted),
            None => format!("{} (still open)", e.admitted),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

impl AuditLogTable {
    /// The selected event's details and the rule checklist of its flag.
    fn details_ui(
        &self,
        ui: &mut Ui,
        log: &AuditLog,
        flags: &BTreeMap<String, BTreeSet<String>>,
        intents: &mut Intents,
    ) {
        let Some(index) = &self.index else {
            return;
        };
        egui::ScrollArea::vertical()
            .id_salt("audit_event_details")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                let Some((ev, e)) = self
                    .selected
                    .and_then(|s| log.events.get(s).map(|e| (s, e)))
                else {
                    ui.label(theme::caption(
                        "Select an event (click its row, or use the Up and Down keys) to see \
                         its details and classify its flag.",
                    ));
                    return;
                };
                ui.label(theme::heading(format!("Event {}", e.id)));
                let action = match reason_of(e) {
                    Some(r) => format!("{} (reason: {r})", ActionKind::of(&e.action).name()),
                    None => ActionKind::of(&e.action).name().to_string(),
                };
                detail_line(ui, "When", e.at.format("%Y-%m-%d %H:%M").to_string());
                detail_line(ui, "Action", action);
                detail_line(ui, "Count", e.count.unwrap_or(1).to_string());
                let u = index.user_of.get(ev).copied().unwrap_or(UNKNOWN);
                let p = index.patient_of.get(ev).copied().unwrap_or(UNKNOWN);
                user_details(ui, log, index, u, e, index.after_hours.get(ev).copied());
                patient_details(ui, log, index, p, e);
                ui.separator();
                flag_checklist(ui, e, ev, flags, intents);
            });
    }
}

fn user_details(
    ui: &mut Ui,
    log: &AuditLog,
    index: &LogIndex,
    u: u32,
    e: &Event,
    after: Option<bool>,
) {
    let Some(user) = log.users.get(u as usize) else {
        detail_line(ui, "User", format!("unknown user ({})", e.user));
        return;
    };
    detail_line(
        ui,
        "User",
        format!(
            "{} ({}), {}",
            index.user_name(u),
            user.id,
            role_name(user.role)
        ),
    );
    detail_line(ui, "Department", user.department.clone());
    let mut shift = shift_text(user);
    if after == Some(true) {
        shift.push_str(": this access is outside it");
    }
    detail_line(ui, "Shift", shift);
    if let Some(d) = user.terminated_on {
        detail_line(ui, "Account", format!("to be disabled on {d}"));
    }
}

fn patient_details(ui: &mut Ui, log: &AuditLog, index: &LogIndex, p: u32, e: &Event) {
    let Some(patient) = log.patients.get(p as usize) else {
        detail_line(ui, "Patient", format!("unknown patient ({})", e.patient));
        return;
    };
    let mut marks = Vec::new();
    if patient.vip {
        marks.push("VIP".to_string());
    }
    if let Some(u) = &patient.employee_user_id {
        marks.push(format!("employee (user {u})"));
    }
    let marks = if marks.is_empty() {
        String::new()
    } else {
        format!("; {}", marks.join(", "))
    };
    detail_line(
        ui,
        "Patient",
        format!("{} (MRN {}){marks}", index.patient_name(p), patient.id),
    );
    detail_line(ui, "Encounters", encounter_text(patient));
    let team: Vec<String> = patient
        .care_team
        .iter()
        .map(|id| match index.user_by_id.get(id) {
            Some(&u) => format!("{} ({id})", index.user_name(u)),
            None => id.clone(),
        })
        .collect();
    detail_line(
        ui,
        "Treating team",
        if team.is_empty() {
            "none listed".to_string()
        } else {
            team.join("; ")
        },
    );
    let tasks: Vec<String> = log
        .tasks
        .iter()
        .filter(|t| t.user == e.user && t.patient == e.patient)
        .map(|t| format!("{} {} to {}", t.kind.name(), t.from, t.to))
        .collect();
    detail_line(
        ui,
        "This user's work tasks for the patient",
        if tasks.is_empty() {
            "none".to_string()
        } else {
            tasks.join("; ")
        },
    );
}

/// "Flagged" and, for a flagged event, one checkbox per rule ("id — title").
fn flag_checklist(
    ui: &mut Ui,
    e: &Event,
    ev: usize,
    flags: &BTreeMap<String, BTreeSet<String>>,
    intents: &mut Intents,
) {
    let rules = flags.get(&e.id);
    let mut on = rules.is_some();
    if ui.checkbox(&mut on, "Flagged as inappropriate").changed() {
        intents.toggle_flag = Some(ev);
    }
    ui.label(theme::caption(
        "The rules it breaks (ticking one flags the event; unflagging clears them):",
    ));
    for rule in Rule::ALL {
        let was = rules.is_some_and(|r| r.contains(rule.id()));
        let mut now = was;
        let r = ui.add(egui::Checkbox::new(
            &mut now,
            format!("{} — {}", rule.id(), rule.title()),
        ));
        if r.changed() {
            intents.set_rule = Some((ev, rule.id(), now));
        }
    }
}

impl AuditLogTable {
    /// The by-user or by-patient view: one row per person; the name button shows their events.
    fn summary_ui(&self, ui: &mut Ui, log: &AuditLog, intents: &mut Intents) {
        let (Some(index), Some(s)) = (&self.index, &self.summaries) else {
            return;
        };
        let by_user = self.view == View::ByUser;
        let count = if by_user {
            s.users.len()
        } else {
            s.patients.len()
        };
        ui.label(
            RichText::new(format!(
                "{count} {}; choose one to see their events",
                if by_user { "users" } else { "patients" }
            ))
            .strong(),
        );
        let height = row_height(ui);
        let em = ui.text_style_height(&egui::TextStyle::Body);
        let headings: &[&str] = if by_user {
            &[
                "User",
                "Role",
                "Department",
                "Events",
                "Patients seen",
                "After hours",
                "Flagged",
            ]
        } else {
            &[
                "Patient",
                "MRN",
                "Marks",
                "Events",
                "Distinct users",
                "Flagged",
            ]
        };
        egui::ScrollArea::horizontal()
            .id_salt("audit_summary_hscroll")
            .show(ui, |ui| {
                let mut table = TableBuilder::new(ui)
                    .id_salt(("audit_summary", by_user))
                    .striped(true)
                    .resizable(true)
                    .auto_shrink([false, false])
                    .min_scrolled_height(0.0)
                    .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
                    .column(Column::initial(14.0 * em).at_least(6.0 * em).clip(true));
                for _ in 1..headings.len() - 1 {
                    table = table.column(Column::initial(8.0 * em).at_least(4.0 * em).clip(true));
                }
                table
                    .column(Column::remainder().at_least(4.0 * em))
                    .header(height, |mut header| {
                        for h in headings {
                            header.col(|ui| {
                                ui.label(RichText::new(*h).strong());
                            });
                        }
                    })
                    .body(|body| {
                        if by_user {
                            body.rows(height, s.users.len(), |mut row| {
                                if let Some(r) = s.users.get(row.index()) {
                                    user_row(&mut row, log, index, r, intents);
                                }
                            });
                        } else {
                            body.rows(height, s.patients.len(), |mut row| {
                                if let Some(r) = s.patients.get(row.index()) {
                                    patient_row(&mut row, log, index, r, intents);
                                }
                            });
                        }
                    });
            });
    }
}

fn user_row(
    row: &mut egui_extras::TableRow<'_, '_>,
    log: &AuditLog,
    index: &LogIndex,
    r: &UserRow,
    intents: &mut Intents,
) {
    let Some(user) = log.users.get(r.user as usize) else {
        return;
    };
    let name = index.user_name(r.user);
    let summary = format!(
        "{name} ({}): {}, {}; {} events, {} patients, {} after hours, {} flagged",
        user.id,
        role_name(user.role),
        user.department,
        r.events,
        r.patients,
        r.after_hours,
        r.flagged
    );
    row.col(|ui| {
        let b = egui::Button::new(name).frame(false);
        if named_button(ui, b, summary).clicked() {
            intents.show_user = Some(user.id.clone());
        }
    });
    row.col(|ui| {
        ui.label(role_name(user.role));
    });
    row.col(|ui| {
        ui.label(&user.department);
    });
    for n in [r.events, r.patients, r.after_hours, r.flagged] {
        row.col(|ui| {
            ui.label(n.to_string());
        });
    }
}

fn patient_row(
    row: &mut egui_extras::TableRow<'_, '_>,
    log: &AuditLog,
    index: &LogIndex,
    r: &PatientRow,
    intents: &mut Intents,
) {
    let Some(patient) = log.patients.get(r.patient as usize) else {
        return;
    };
    let name = index.patient_name(r.patient);
    let mut marks = Vec::new();
    if patient.vip {
        marks.push("VIP");
    }
    if patient.employee_user_id.is_some() {
        marks.push("employee");
    }
    let marks = marks.join(", ");
    let summary = format!(
        "{name} (MRN {}){}; {} events, {} users, {} flagged",
        patient.id,
        if marks.is_empty() {
            String::new()
        } else {
            format!(", {marks}")
        },
        r.events,
        r.users,
        r.flagged
    );
    row.col(|ui| {
        let b = egui::Button::new(name).frame(false);
        if named_button(ui, b, summary).clicked() {
            intents.show_patient = Some(patient.id.clone());
        }
    });
    row.col(|ui| {
        ui.label(&patient.id);
    });
    row.col(|ui| {
        ui.label(marks.as_str());
    });
    for n in [r.events, r.users, r.flagged] {
        row.col(|ui| {
            ui.label(n.to_string());
        });
    }
}
