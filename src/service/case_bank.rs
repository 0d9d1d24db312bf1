//! The case bank's summary (`ehr-sim scenarios list --summary` and the catalog's counts): how
//! many distinct cases the offered scenarios hold, per task kind and per what a course plans by.
//!
//! A scenario is a kind of patient, so its cases are counted by generating seeds `1..=seeds`:
//! - **coding**: distinct keys, i.e. distinct lists of required codes in reporting order
//!   (never-codes and optional codes left out; a seed that only changes names is the same key),
//!   split inpatient / outpatient, with the ICD-10-CM chapters and ICD-10-PCS root operations
//!   the keys use;
//! - **triage**: presentation templates (the shift's `cases`, by id and complaint), pediatric
//!   when the template's age range ends under 18 years, with the ESI levels and decision points
//!   the engine gives them on the seeds where they are drawn, and those that change on re-triage;
//! - **hospice**: timelines (one a scenario), with the defects they plant, the rules the keys
//!   find failing, and how their stays end;
//! - **charting**: visits, documentation or transcription;
//! - **release of information**: requests by requester, the sections they ask for, and the
//!   actions and legal bases their keys give.
//!
//! Every count comes from the scenarios and the engines, never from a table kept beside them.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use serde_json::Value;

use crate::case::{Case, generate};
use crate::grading::criteria::codes::required_codes;
use crate::patient::spec::AgeSpec;
use crate::scenario::LoadedScenario;
use crate::scenario::schema::Difficulty;
use crate::tasks::hospice::timeline::EndReason;
use crate::tasks::roi::spec::RoiSpec;
use crate::tasks::triage::esi;
use crate::tasks::triage::shift::TriageCase;
use crate::tasks::{TaskKind, TaskMaterial, TaskSpec};
use crate::terminology::codeset::EntryKind;
use crate::terminology::{self, System, pcs_tables};

/// Default number of seeds generated per scenario.
pub const DEFAULT_SEEDS: u64 = 40;
/// The most seeds one summary generates per scenario.
pub const MAX_SEEDS: u64 = 1_000;

/// The whole summary.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CaseBank {
    /// Seeds generated per scenario.
    pub seeds: u64,
    /// Scenarios counted.
    pub scenarios: usize,
    /// Scenarios per task kind and difficulty.
    pub by_kind: BTreeMap<TaskKind, BTreeMap<Difficulty, usize>>,
    /// Scenarios per competency id.
    pub competencies: BTreeMap<String, usize>,
    /// Coding cases.
    pub coding: CodingBank,
    /// Triage presentation templates.
    pub triage: TriageBank,
    /// Hospice timelines.
    pub hospice: HospiceBank,
    /// Charting visits.
    pub charting: ChartingBank,
    /// Release-of-information requests.
    pub roi: RoiBank,
}

/// Release-of-information requests (one a scenario).
#[derive(Debug, Clone, Default, Serialize)]
pub struct RoiBank {
    /// Requests (one per scenario).
    pub requests: usize,
    /// Requests by who asks (the requester's name in the scenario file).
    pub requesters: BTreeMap<String, usize>,
    /// Requests asking for each record section.
    pub sections: BTreeMap<String, usize>,
    /// Requests whose key gives each section action, on any seed.
    pub actions: BTreeMap<String, usize>,
    /// Requests whose key rests a section on each legal basis, on any seed.
    pub bases: BTreeMap<String, usize>,
    /// Requests whose key sends the 42 CFR 2.32 notice.
    pub part2_notice: usize,
}

/// Coding cases.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CodingBank {
    /// Distinct keys over all coding scenarios.
    pub keys: usize,
    /// Distinct keys of inpatient scenarios.
    pub inpatient_keys: usize,
    /// Distinct keys of outpatient, ED and professional scenarios.
    pub outpatient_keys: usize,
    /// Distinct keys per scenario id.
    pub per_scenario: BTreeMap<String, usize>,
    /// Distinct keys using each ICD-10-CM chapter, by chapter number.
    pub chapters: BTreeMap<u8, Counted>,
    /// Distinct keys using each ICD-10-PCS root operation, by name.
    pub root_operations: BTreeMap<String, usize>,
}

/// A titled count.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Counted {
    /// What is counted ("Neoplasms").
    pub title: String,
    /// How many.
    pub count: usize,
}

/// Triage presentation templates.
#[derive(Debug, Clone, Default, Serialize)]
pub struct TriageBank {
    /// Distinct templates over all triage scenarios.
    pub templates: usize,
    /// Templates for children (age range ending under 18 years).
    pub pediatric: usize,
    /// Templates whose arrival can change and be re-triaged.
    pub with_retriage: usize,
    /// Templates reaching each ESI level at first triage (a template whose vital signs can
    /// cross a danger zone counts under each level it reaches).
    pub levels: BTreeMap<u8, usize>,
    /// Templates reaching each decision point at first triage.
    pub decision_points: BTreeMap<String, usize>,
    /// Templates never drawn in the seeds generated (by scenario id and template id).
    pub not_drawn: Vec<String>,
}

/// Hospice timelines.
#[derive(Debug, Clone, Default, Serialize)]
pub struct HospiceBank {
    /// Timelines (one per scenario).
    pub timelines: usize,
    /// Timelines planting each defect, by the defect's name in the scenario file.
    pub defects: BTreeMap<String, usize>,
    /// Timelines whose key finds each rule failing.
    pub failing_rules: BTreeMap<String, usize>,
    /// Timelines with no failing rule in their key.
    pub compliant: usize,
    /// Timelines with a stay that ends each way, or that starts as a transfer in.
    pub stays: BTreeMap<String, usize>,
}

/// Charting visits.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ChartingBank {
    /// Visits (one per scenario).
    pub visits: usize,
    /// Visits documented from an intake conversation.
    pub documentation: usize,
    /// Dictations to transcribe.
    pub transcription: usize,
    /// Visits charting each standardized screening ("PHQ-9", "GAD-7", "C-SSRS screener").
    pub screenings: BTreeMap<String, usize>,
    /// Visits charting growth percentiles.
    pub growth_percentiles: usize,
}

/// Summarises `scenarios` over seeds `1..=seeds` (clamped to 1..=[`MAX_SEEDS`]).
#[must_use]
pub fn summarize(scenarios: &[LoadedScenario], seeds: u64) -> CaseBank {
    let seeds = seeds.clamp(1, MAX_SEEDS);
    let mut bank = CaseBank {
        seeds,
        scenarios: scenarios.len(),
        ..CaseBank::default()
    };
    let mut coding = CodingKeys::default();
    let mut triage = TriageTemplates::default();
    for s in scenarios {
        let sc = &s.scenario;
        *bank
            .by_kind
            .entry(sc.task.kind())
            .or_default()
            .entry(sc.difficulty)
            .or_default() += 1;
        for c in &sc.competencies {
            *bank.competencies.entry(c.clone()).or_default() += 1;
        }
        match &sc.task {
            TaskSpec::Charting(spec) => {
                bank.charting.visits += 1;
                if spec.growth_chart {
                    bank.charting.growth_percentiles += 1;
                }
                if let Some(screening) = &spec.screening {
                    for (name, asked) in [
                        ("PHQ-9", screening.phq9.is_some()),
                        ("GAD-7", screening.gad7.is_some()),
                        ("C-SSRS screener", screening.cssrs.is_some()),
                    ] {
                        if asked {
                            *bank
                                .charting
                                .screenings
                                .entry(name.to_string())
                                .or_default() += 1;
                        }
                    }
                }
                match spec.variant {
                    crate::tasks::charting::spec::ChartingVariant::Documentation => {
                        bank.charting.documentation += 1;
                    }
                    crate::tasks::charting::spec::ChartingVariant::Transcription => {
                        bank.charting.transcription += 1;
                    }
                }
            }
            TaskSpec::Coding(spec) => {
                let inpatient =
                    matches!(spec.setting, terminology::edits::CodingSetting::Inpatient);
                for seed in 1..=seeds {
                    coding.add(&sc.id, inpatient, &generate(s, seed, 0));
                }
            }
            TaskSpec::Triage(spec) => {
                triage.add_templates(&sc.id, &spec.shift.cases);
                for seed in 1..=seeds {
                    triage.add_case(&sc.id, &generate(s, seed, 0));
                }
            }
            TaskSpec::Hospice(_) => add_hospice(&mut bank.hospice, s, seeds),
            TaskSpec::Roi(spec) => add_roi(&mut bank.roi, s, spec, seeds),
            // Counted by kind, difficulty and competency above; nothing kind-specific yet.
            TaskSpec::Claims(_) | TaskSpec::AccessAudit(_) => {}
        }
    }
    bank.coding = coding.finish();
    bank.triage = triage.finish();
    bank
}

/// A coding key: the required diagnosis codes, then the required procedure codes.
type Key = (Vec<String>, Vec<String>);

#[derive(Default)]
struct CodingKeys {
    /// Distinct keys with whether they came from an inpatient scenario.
    keys: BTreeSet<(bool, Key)>,
    per_scenario: BTreeMap<String, BTreeSet<Key>>,
}

impl CodingKeys {
    fn add(&mut self, scenario: &str, inpatient: bool, case: &Case) {
        let key = case.key();
        let required = |list: &str| required_codes(&key["codes"][list]);
        let k: Key = (required("diagnoses"), required("procedures"));
        self.per_scenario
            .entry(scenario.to_string())
            .or_default()
            .insert(k.clone());
        self.keys.insert((inpatient, k));
    }

    fn finish(self) -> CodingBank {
        let mut bank = CodingBank {
            keys: self.keys.len(),
            inpatient_keys: self.keys.iter().filter(|(i, _)| *i).count(),
            outpatient_keys: self.keys.iter().filter(|(i, _)| !*i).count(),
            per_scenario: self
                .per_scenario
                .iter()
                .map(|(id, keys)| (id.clone(), keys.len()))
                .collect(),
            ..CodingBank::default()
        };
        for (_, (dx, pcs)) in &self.keys {
            let chapters: BTreeMap<u8, String> = dx.iter().filter_map(|c| chapter_of(c)).collect();
            for (number, title) in chapters {
                let entry = bank
                    .chapters
                    .entry(number)
                    .or_insert_with(|| Counted { title, count: 0 });
                entry.count += 1;
            }
            let ops: BTreeSet<String> = pcs.iter().filter_map(|c| root_operation_of(c)).collect();
            for op in ops {
                *bank.root_operations.entry(op).or_default() += 1;
            }
        }
        bank
    }
}

/// The ICD-10-CM chapter (number and title) a code belongs to.
fn chapter_of(code: &str) -> Option<(u8, String)> {
    let set = terminology::code_set(System::Icd10Cm)?;
    let entry = set.lookup(code)?;
    set.ancestors(entry.index)
        .into_iter()
        .find(|a| matches!(a.kind, EntryKind::Chapter))
        .and_then(|ch| Some((ch.code.parse().ok()?, ch.description.clone())))
}

/// The ICD-10-PCS root operation of a code, named with its section when that is not Medical
/// and Surgical ("Delivery (Obstetrics)"). Sections whose tables are not shipped take it from
/// the long title, which begins with the root operation ("Performance of Urinary Filtration, …").
fn root_operation_of(code: &str) -> Option<String> {
    let tables = pcs_tables::shipped().ok();
    if let Some(op) = tables.and_then(|t| t.decompose(code).ok()?.root_operation) {
        if op.section == '0' {
            return Some(op.name);
        }
        let section = tables?.sections.get(&op.section)?;
        return Some(format!("{} ({section})", op.name));
    }
    let entry = terminology::lookup(System::Icd10Pcs, code)?;
    let (name, _) = entry.description.split_once(" of ")?;
    let section = terminology::code_set(System::Icd10Pcs)?
        .ancestors(entry.index)
        .into_iter()
        .find(|a| matches!(a.kind, EntryKind::Chapter))
        .map(|s| {
            // "Section 3: Administration" → "Administration", as the shipped tables name them.
            s.description
                .split_once(": ")
                .map_or_else(|| s.description.clone(), |(_, title)| title.to_string())
        })?;
    Some(format!("{name} ({section})"))
}

#[derive(Default)]
struct TriageTemplates {
    /// Template key (id, complaint) → (scenario id, pediatric, has a change).
    templates: BTreeMap<(String, String), (String, bool, bool)>,
    /// Template key → levels and decision points seen at first triage.
    seen: BTreeMap<(String, String), BTreeSet<(u8, String)>>,
    /// Scenario id and case id → template key.
    by_case: BTreeMap<(String, String), (String, String)>,
}

impl TriageTemplates {
    fn add_templates(&mut self, scenario: &str, cases: &[TriageCase]) {
        for c in cases {
            let key = (c.id.clone(), c.complaint.clone());
            let pediatric = match c.age {
                AgeSpec::Years(_, max) => max < 18,
                AgeSpec::Months(..) | AgeSpec::Days(..) => true,
            };
            self.templates
                .entry(key.clone())
                .or_insert_with(|| (scenario.to_string(), pediatric, c.change.is_some()));
            self.by_case
                .insert((scenario.to_string(), c.id.clone()), key);
        }
    }

    fn add_case(&mut self, scenario: &str, case: &Case) {
        let TaskMaterial::Triage(material) = &case.task else {
            return;
        };
        for arrival in &material.arrivals {
            let Some(key) = self
                .by_case
                .get(&(scenario.to_string(), arrival.case_id.clone()))
            else {
                continue;
            };
            let result = esi::assess(&arrival.presentation);
            self.seen
                .entry(key.clone())
                .or_default()
                .insert((result.level, result.decision_point.letter().to_string()));
        }
    }

    fn finish(self) -> TriageBank {
        let mut bank = TriageBank {
            templates: self.templates.len(),
            pediatric: self.templates.values().filter(|t| t.1).count(),
            with_retriage: self.templates.values().filter(|t| t.2).count(),
            ..TriageBank::default()
        };
        for (key, (scenario, _, _)) in &self.templates {
            let Some(seen) = self.seen.get(key) else {
                bank.not_drawn.push(format!("{scenario}: {}", key.0));
                continue;
            };
            let levels: BTreeSet<u8> = seen.iter().map(|(l, _)| *l).collect();
            let points: BTreeSet<&String> = seen.iter().map(|(_, p)| p).collect();
            for l in levels {
                *bank.levels.entry(l).or_default() += 1;
            }
            for p in points {
                *bank.decision_points.entry(p.clone()).or_default() += 1;
            }
        }
        bank
    }
}

/// Adds one release-of-information scenario: who asks, for which sections, and what its keys
/// decide over the seeds.
fn add_roi(bank: &mut RoiBank, s: &LoadedScenario, spec: &RoiSpec, seeds: u64) {
    bank.requests += 1;
    if let Some(name) = serde_json::to_value(&spec.request.requester)
        .ok()
        .and_then(|v| variant_name(&v))
    {
        *bank.requesters.entry(name).or_default() += 1;
    }
    let sections: BTreeSet<&str> = spec.request.sections.iter().map(|s| s.name()).collect();
    for section in sections {
        *bank.sections.entry(section.to_string()).or_default() += 1;
    }
    let (mut actions, mut bases, mut notice) = (BTreeSet::new(), BTreeSet::new(), false);
    for seed in 1..=seeds {
        let key = generate(s, seed, 0).key();
        for section in key["sections"].as_array().into_iter().flatten() {
            actions.extend(section["action"].as_str().map(str::to_string));
            bases.extend(section["basis"].as_str().map(str::to_string));
        }
        notice |= key["part2_notice"] == Value::Bool(true);
    }
    for a in actions {
        *bank.actions.entry(a).or_default() += 1;
    }
    for b in bases {
        *bank.bases.entry(b).or_default() += 1;
    }
    bank.part2_notice += usize::from(notice);
}

/// Adds one hospice scenario: its planted defects (as the scenario file names them), the rules
/// its keys find failing over the seeds, and how its stays end.
fn add_hospice(bank: &mut HospiceBank, s: &LoadedScenario, seeds: u64) {
    bank.timelines += 1;
    if let TaskSpec::Hospice(spec) = &s.scenario.task {
        let names: BTreeSet<String> = spec
            .timeline
            .defects
            .iter()
            .filter_map(|d| variant_name(&serde_json::to_value(d).ok()?))
            .collect();
        for n in names {
            *bank.defects.entry(n).or_default() += 1;
        }
    }
    let mut rules = BTreeSet::new();
    let mut stays = BTreeSet::new();
    for seed in 1..=seeds {
        let case = generate(s, seed, 0);
        if let Some(list) = case.key().get("audit").and_then(Value::as_array) {
            rules.extend(
                list.iter()
                    .filter_map(Value::as_str)
                    .filter(|r| *r != "none")
                    .map(str::to_string),
            );
        }
        if let TaskMaterial::Hospice(m) = &case.task {
            for e in &m.timeline.elections {
                if e.transfer_in_period_start.is_some() {
                    stays.insert("transfer in".to_string());
                }
                let Some(end) = &e.end else { continue };
                let end = match end.reason {
                    EndReason::Revocation => "revocation",
                    EndReason::LiveDischarge => "live discharge",
                    EndReason::TransferOut => "transfer out",
                    EndReason::Death => "death",
                };
                stays.insert(end.to_string());
            }
            if m.timeline.elections.len() > 1 {
                stays.insert("re-election".to_string());
            }
        }
    }
    if rules.is_empty() {
        bank.compliant += 1;
    }
    for r in rules {
        *bank.failing_rules.entry(r).or_default() += 1;
    }
    for s in stays {
        *bank.stays.entry(s).or_default() += 1;
    }
}

/// The variant name of an externally tagged enum value (`"IdgGap"` or `{"LateNoe": …}`).
fn variant_name(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Object(m) if m.len() == 1 => m.keys().next().cloned(),
        Value::Null | Value::Bool(_) | Value::Number(_) | Value::Array(_) | Value::Object(_) => {
            None
        }
    }
}
