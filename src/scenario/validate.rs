//! Semantic validation of scenarios: everything the parser cannot check.
//!
//! Each check adds a [`Diagnostic`] with the item path (e.g.
//! `patient.conditions[0].choose[1].value`) and a hint; validation never stops at the first
//! problem and never panics. Checks: format version, ids, ranges (min ≤ max and clinically
//! plausible bounds), weights and probabilities, the sex mix summing to 1, cross-references
//! (condition templates, labs, medications' conditions, placeholders in note templates, the
//! rubric file), code formats, The Joint Commission "Do Not Use" abbreviations in medication
//! orders, and that the encounter setting fits the task.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use super::load::LoadedScenario;
use crate::diagnostic::Diagnostic;
use crate::generate::text::{Placeholder, placeholders};
use crate::interop::synthea::ImportedPatient;
use crate::patient::spec::{AgeSpec, LabFormula, PatientSource, PatientSpec, Range, Weighted};
use crate::patient::{CodeSystem, Severity};
use crate::scenario::schema::{SCENARIO_VERSION, Scenario};

/// Code-set fiscal years this program ships code sets for.
pub(crate) const SUPPORTED_CODE_SET_YEARS: &[u16] = &[2026];

/// Validates one loaded scenario. `grading_dir`, when given, is where its rubric must exist.
pub fn validate(loaded: &LoadedScenario, grading_dir: Option<&Path>) -> Vec<Diagnostic> {
    let mut v = Validator {
        file: &loaded.path,
        bundle: loaded.bundle.as_deref(),
        out: Vec::new(),
    };
    v.scenario(&loaded.scenario, grading_dir);
    v.out
}

/// Reports scenario ids used by more than one file.
pub(crate) fn duplicate_ids(scenarios: &[LoadedScenario]) -> Vec<Diagnostic> {
    let mut seen: BTreeMap<&str, &Path> = BTreeMap::new();
    let mut out = Vec::new();
    for s in scenarios {
        if let Some(first) = seen.get(s.scenario.id.as_str()) {
            out.push(
                Diagnostic::at_item(
                    &s.path,
                    "id",
                    format!(
                        "id `{}` is already used by {}",
                        s.scenario.id,
                        first.display()
                    ),
                )
                .with_hint("scenario ids must be unique across the library; rename one"),
            );
        } else {
            seen.insert(&s.scenario.id, &s.path);
        }
    }
    out
}

struct Validator<'a> {
    file: &'a Path,
    /// The Synthea bundle read with the scenario, when it names one.
    bundle: Option<&'a ImportedPatient>,
    out: Vec<Diagnostic>,
}

impl Validator<'_> {
    fn err(
        &mut self,
        item: impl Into<String>,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) {
        self.out
            .push(Diagnostic::at_item(self.file, item, message).with_hint(hint));
    }

    fn warn(
        &mut self,
        item: impl Into<String>,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) {
        self.out.push(
            Diagnostic::at_item(self.file, item, message)
                .with_hint(hint)
                .warning(),
        );
    }

    fn scenario(&mut self, s: &Scenario, grading_dir: Option<&Path>) {
        if s.version != SCENARIO_VERSION {
            self.err(
                "version",
                format!("format version {} is not supported (this program reads version {SCENARIO_VERSION})", s.version),
                format!("set `version: {SCENARIO_VERSION}` and check scenarios/README.md for changes"),
            );
        }
        self.id("id", &s.id);
        for (field, value) in [("title", &s.title), ("summary", &s.summary)] {
            if value.trim().is_empty() {
                self.err(
                    field,
                    format!("`{field}` is empty"),
                    "learners see it in the catalog; write one line",
                );
            }
        }
        if s.task.instructions().trim().is_empty() {
            self.err(
                "task.instructions",
                "the task has no instructions",
                "tell the learner what to do",
            );
        }
        if s.competencies.is_empty() {
            self.err(
                "competencies",
                "no competencies listed",
                "list at least one competency id, e.g. [\"vital_signs\"]",
            );
        }
        for (i, c) in s.competencies.iter().enumerate() {
            self.id(&format!("competencies[{i}]"), c);
        }
        if s.estimated_minutes == 0 || s.estimated_minutes > 480 {
            self.err(
                "estimated_minutes",
                format!(
                    "{} minutes is not a plausible duration",
                    s.estimated_minutes
                ),
                "use 1 to 480 minutes",
            );
        }
        if !SUPPORTED_CODE_SET_YEARS.contains(&s.code_set_year) {
            self.err(
                "code_set_year",
                format!("code-set year {} is not available", s.code_set_year),
                format!(
                    "available years: {SUPPORTED_CODE_SET_YEARS:?}; import another year with `ehr-sim codes import`"
                ),
            );
        }
        self.rubric(&s.rubric, grading_dir);
        self.task(s);
        self.patient(&s.patient, s.code_set_year);
    }

    fn id(&mut self, item: &str, id: &str) {
        let ok = !id.is_empty()
            && id.chars().next().is_some_and(|c| c.is_ascii_lowercase())
            && id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !ok {
            self.err(
                item,
                format!("`{id}` is not a snake_case id"),
                "use lowercase letters, digits and `_`, starting with a letter",
            );
        }
    }

    fn rubric(&mut self, rubric: &str, grading_dir: Option<&Path>) {
        if rubric.trim().is_empty() || !rubric.ends_with(".ron") {
            self.err("rubric", format!("`{rubric}` is not a rubric file name"), "name a `.ron` file relative to the grading/ folder, e.g. \"charting/office_visit.ron\"");
            return;
        }
        if Path::new(rubric).is_absolute() || rubric.split(['/', '\\']).any(|p| p == "..") {
            self.err(
                "rubric",
                format!("`{rubric}` must be relative to the grading/ folder"),
                "write e.g. \"coding/outpatient.ron\"",
            );
            return;
        }
        if let Some(dir) = grading_dir
            && !dir.join(rubric).is_file()
        {
            {
                self.err(
                    "rubric",
                    format!(
                        "rubric file `{}` does not exist",
                        dir.join(rubric).display()
                    ),
                    "create it (see grading/README.md) or fix the name",
                );
            }
        }
    }

    /// The task kind's own checks of its spec (`crate::tasks::Task::problems`).
    fn task(&mut self, s: &Scenario) {
        let ctx = crate::tasks::TaskContext {
            scenario_id: &s.id,
            as_of: s.as_of,
            patient: &s.patient,
        };
        for p in s.task.problems(&ctx) {
            if p.warning {
                self.warn(p.item, p.message, p.hint);
            } else {
                self.err(p.item, p.message, p.hint);
            }
        }
    }

    fn patient(&mut self, p: &PatientSpec, year: u16) {
        match p.age {
            AgeSpec::Years(lo, hi) => {
                self.pair("patient.age", lo, hi);
                if hi > 110 {
                    self.err(
                        "patient.age",
                        format!("age {hi} years is not plausible"),
                        "use at most 110 years",
                    );
                }
            }
            AgeSpec::Months(lo, hi) => {
                self.pair("patient.age", lo, hi);
                if hi > 35 {
                    self.err(
                        "patient.age",
                        "use Months only under 36 months",
                        "write Years(3, ..) for older children",
                    );
                }
            }
            AgeSpec::Days(lo, hi) => {
                self.pair("patient.age", lo, hi);
                if hi > 90 {
                    self.err(
                        "patient.age",
                        "use Days only up to 90 days",
                        "write Months(..) for older infants",
                    );
                }
            }
        }
        let (f, m) = (p.sex.female, p.sex.male);
        if !(0.0..=1.0).contains(&f) || !(0.0..=1.0).contains(&m) {
            self.err(
                "patient.sex",
                "each share must be between 0 and 1",
                "e.g. (female: 0.5, male: 0.5)",
            );
        } else if ((f + m) - 1.0).abs() > 1e-6 {
            self.err(
                "patient.sex",
                format!("the shares sum to {}, not 1", f + m),
                "make female + male = 1, e.g. (female: 0.6, male: 0.4)",
            );
        }
        self.weights("patient.languages", &p.languages, false);
        self.weights("patient.payers", &p.payers, true);
        self.pair(
            "patient.encounter.days_before_as_of",
            p.encounter.days_before_as_of.0,
            p.encounter.days_before_as_of.1,
        );
        self.pair(
            "patient.encounter.length_days",
            p.encounter.length_days.0,
            p.encounter.length_days.1,
        );
        if p.encounter.prior_visits > 20 {
            self.err(
                "patient.encounter.prior_visits",
                "more than 20 prior visits",
                "use 0 to 20",
            );
        }
        self.templates(p, year);
        self.groups(p);
        self.vitals(p);
        self.meds_and_allergies(p);
        self.labs(p);
        self.texts(p);
        self.patient_source(p);
    }

    /// A Synthea source: a `.json` path, SNOMED-shaped map keys, well-formed ICD-10-CM targets,
    /// the bundle read at load time, and a warning for each bundle condition left unmapped.
    fn patient_source(&mut self, p: &PatientSpec) {
        let PatientSource::Synthea(source) = &p.patient_source else {
            return;
        };
        let item = "patient.patient_source";
        if !source.path.ends_with(".json") {
            self.err(
                format!("{item}.path"),
                format!("`{}` is not a .json file", source.path),
                "name a Synthea FHIR R4 bundle (a .json file), relative to this scenario file",
            );
        }
        for (snomed, code) in &source.condition_map {
            let key = format!("{item}.condition_map[\"{snomed}\"]");
            if snomed.is_empty() || snomed.len() > 18 || !snomed.bytes().all(|b| b.is_ascii_digit())
            {
                self.err(
                    key.clone(),
                    format!("`{snomed}` is not a SNOMED CT concept id"),
                    "write the SNOMED CT code as Synthea does, digits only, e.g. \"38341003\"",
                );
            }
            if code.system != CodeSystem::Icd10Cm {
                self.err(
                    format!("{key}.system"),
                    format!("conditions map to ICD-10-CM, not {}", code.system.label()),
                    "write `system: Icd10Cm`",
                );
            } else if let Err(why) = code_shape(code.system, &code.code) {
                self.err(
                    format!("{key}.code"),
                    why,
                    "write the code as the code book does, e.g. I10, E11.9",
                );
            }
        }
        let Some(import) = self.bundle else {
            self.err(
                format!("{item}.path"),
                "the Synthea bundle was not read",
                "load the scenario from its file (the bundle is read with it)",
            );
            return;
        };
        let mut unmapped = BTreeSet::new();
        for c in &import.conditions {
            match &c.snomed {
                Some(s) if !source.condition_map.contains_key(s) => {
                    unmapped.insert((s.clone(), c.display.clone()));
                }
                _ => {}
            }
        }
        for (snomed, display) in unmapped {
            self.warn(
                format!("{item}.condition_map"),
                format!("bundle condition SNOMED {snomed} \"{display}\" has no ICD-10-CM mapping; it is kept with its SNOMED code only"),
                format!("add `\"{snomed}\": (system: Icd10Cm, code: \"...\", display: \"...\")` if coders should report it"),
            );
        }
    }

    fn pair(&mut self, item: &str, lo: u32, hi: u32) {
        if lo > hi {
            self.err(
                item,
                format!("the range ({lo}, {hi}) has its minimum above its maximum"),
                format!("write ({hi}, {lo})"),
            );
        }
    }

    fn weights<T>(&mut self, item: &str, list: &[Weighted<T>], required: bool) {
        if required && list.is_empty() {
            self.err(
                item,
                "the list is empty",
                "add at least one `(weight: 1, value: ...)`",
            );
        }
        for (i, w) in list.iter().enumerate() {
            if w.weight <= 0.0 || !w.weight.is_finite() {
                self.err(
                    format!("{item}[{i}].weight"),
                    format!("weight {} must be a positive number", w.weight),
                    "weights are relative: 1, 2, 0.5 …",
                );
            }
        }
    }

    fn probability(&mut self, item: &str, p: f64) {
        if !(0.0..=1.0).contains(&p) {
            self.err(
                item,
                format!("probability {p} is outside 0 to 1"),
                "write a probability like 0.25",
            );
        }
    }

    fn range(&mut self, item: &str, r: Range, bounds: (f64, f64), unit: &str) {
        if !(r.min.is_finite() && r.max.is_finite()) {
            self.err(
                item,
                "the range is not a pair of numbers",
                "write (min: .., max: ..)",
            );
        } else if r.min > r.max {
            self.err(
                item,
                format!("min {} is above max {}", r.min, r.max),
                format!("swap them: (min: {}, max: {})", r.max, r.min),
            );
        } else if r.min < bounds.0 || r.max > bounds.1 {
            self.err(
                item,
                format!(
                    "({}, {}) {unit} is outside the plausible {}–{} {unit}",
                    r.min, r.max, bounds.0, bounds.1
                ),
                "check the unit (°C, kg/m², mmHg …) and the value",
            );
        }
    }

    fn templates(&mut self, p: &PatientSpec, year: u16) {
        let mut seen = BTreeSet::new();
        for (i, t) in p.condition_templates.iter().enumerate() {
            let item = format!("patient.condition_templates[{i}]");
            self.id(&format!("{item}.id"), &t.id);
            if !seen.insert(t.id.as_str()) {
                self.err(
                    format!("{item}.id"),
                    format!("template id `{}` is used twice", t.id),
                    "give each template its own id",
                );
            }
            if t.variants.is_empty() {
                self.err(
                    format!("{item}.variants"),
                    "a template needs at least one variant",
                    "add a variant with display and codes",
                );
            }
            for (j, v) in t.variants.iter().enumerate() {
                let vi = format!("{item}.variants[{j}]");
                if v.weight <= 0.0 || !v.weight.is_finite() {
                    self.err(
                        format!("{vi}.weight"),
                        format!("weight {} must be positive", v.weight),
                        "weights are relative: 1, 2, 0.5 …",
                    );
                }
                if v.display.trim().is_empty() {
                    self.err(
                        format!("{vi}.display"),
                        "empty display text",
                        "write the diagnosis as a clinician documents it",
                    );
                }
                for (k, c) in v.codes.iter().enumerate() {
                    if let Some(msg) = code_in_set(c.system, &c.code, year) {
                        self.err(format!("{vi}.codes[{k}].code"), msg, "choose a billable code of the scenario's code-set year; `ehr-sim codes show CODE` lists the children of a header");
                    } else if let Err(msg) = code_shape(c.system, &c.code) {
                        self.err(format!("{vi}.codes[{k}].code"), msg, "write codes as the code book does, e.g. \"E11.22\", \"S52.531A\", \"0DTJ4ZZ\"");
                    }
                    if c.display.trim().is_empty() {
                        self.err(
                            format!("{vi}.codes[{k}].display"),
                            "empty code display",
                            "copy the code's description",
                        );
                    }
                }
                self.code_annotations(&vi, v);
            }
            for (j, v) in t.variants.iter().enumerate() {
                self.effects(&format!("{item}.variants[{j}].vitals"), &v.vitals);
                self.lab_effects(&format!("{item}.variants[{j}].labs"), &v.labs, p);
            }
            if let Some((lo, hi)) = t.onset_days_before {
                self.pair(&format!("{item}.onset_days_before"), lo, hi);
            }
            self.effects(&format!("{item}.vitals"), &t.vitals);
            self.lab_effects(&format!("{item}.labs"), &t.labs, p);
            if !p
                .conditions
                .iter()
                .any(|g| g.choose.iter().any(|c| c.value == t.id))
            {
                self.warn(
                    format!("{item}.id"),
                    format!("template `{}` is never chosen by a condition group", t.id),
                    "add it to a group's `choose` list or remove it",
                );
            }
        }
    }

    /// Rationale, alternatives and optional codes must name one of the variant's codes;
    /// uncertain-outpatient codes must be well-formed ICD-10-CM codes.
    fn code_annotations(&mut self, vi: &str, v: &crate::patient::spec::ConditionVariant) {
        let own: BTreeSet<&str> = v.codes.iter().map(|c| c.code.as_str()).collect();
        let named = v.rationale.keys().map(|c| ("rationale", c));
        let named = named.chain(v.alternatives.keys().map(|c| ("alternatives", c)));
        let named = named.chain(v.optional_codes.iter().map(|c| ("optional_codes", c)));
        let named = named.chain(v.status_codes.iter().map(|c| ("status_codes", c)));
        let named = named.chain(v.combination_codes.iter().map(|c| ("combination_codes", c)));
        let named = named.chain(v.may_be_first.iter().map(|c| ("may_be_first", c)));
        let named = named.chain(v.poa.keys().map(|c| ("poa", c)));
        for (field, code) in named {
            if !own.contains(code.as_str())
                && !v.uncertain_outpatient_codes.iter().any(|c| &c.code == code)
            {
                self.err(
                    format!("{vi}.{field}"),
                    format!("`{code}` is not one of this variant's codes"),
                    "annotate only codes listed in `codes` or `uncertain_outpatient_codes`",
                );
            }
        }
        let alts = v
            .alternatives
            .values()
            .flatten()
            .map(|c| (CodeSystem::Icd10Cm, c.as_str()));
        let extra = v
            .uncertain_outpatient_codes
            .iter()
            .map(|c| (c.system, c.code.as_str()));
        for (system, code) in alts.chain(extra) {
            if let Err(msg) = code_shape(system, code) {
                self.err(
                    format!("{vi}.alternatives"),
                    msg,
                    "write codes as the code book does, e.g. \"R05.1\"",
                );
            }
        }
        for (code, indicator) in &v.poa {
            if !matches!(indicator.as_str(), "Y" | "N" | "U" | "W" | "1") {
                self.err(
                    format!("{vi}.poa"),
                    format!("`{indicator}` (for {code}) is not a POA indicator"),
                    "use Y, N, U, W or 1 (exempt), ICD-10-CM Official Guidelines Appendix I",
                );
            }
        }
        for (j, n) in v.never_codes.iter().enumerate() {
            if own.contains(n.code.as_str()) {
                self.err(
                    format!("{vi}.never_codes[{j}].code"),
                    format!("`{}` is one of this variant's codes and cannot also be forbidden", n.code),
                    "forbid only codes the documentation rules out, e.g. C61 for a history of prostate cancer",
                );
            }
            if n.code.trim().len() < 3 || n.rationale.trim().is_empty() {
                self.err(
                    format!("{vi}.never_codes[{j}]"),
                    "a forbidden code needs a code or category (at least three characters) and a rationale".to_string(),
                    "e.g. (code: \"C61\", why: History, rationale: \"…, OCG I.C.2.d\")",
                );
            }
        }
        if v.first_by.as_deref().is_some_and(|r| r.trim().is_empty()) {
            self.err(
                format!("{vi}.first_by"),
                "first_by names the guideline that directs the first code".to_string(),
                "e.g. `first_by: \"ICD-10-CM Official Guidelines I.C.1.d.4\"`, or remove it",
            );
        }
    }

    fn lab_effects(&mut self, item: &str, labs: &BTreeMap<String, Range>, p: &PatientSpec) {
        for (name, r) in labs {
            let li = format!("{item}[\"{name}\"]");
            match p.labs.iter().find(|l| &l.name == name) {
                None => self.err(
                    &li,
                    format!("lab `{name}` is not in the patient's lab panel"),
                    "add it to `patient.labs` or fix the name",
                ),
                Some(_) => self.range(&li, *r, (f64::MIN, f64::MAX), ""),
            }
        }
    }

    fn groups(&mut self, p: &PatientSpec) {
        let mut seen = BTreeSet::new();
        if p.conditions.is_empty() {
            self.err(
                "patient.conditions",
                "no condition groups",
                "add at least one group, e.g. (id: \"primary\", choose: [...])",
            );
        }
        for (i, g) in p.conditions.iter().enumerate() {
            let item = format!("patient.conditions[{i}]");
            self.id(&format!("{item}.id"), &g.id);
            if !seen.insert(g.id.as_str()) {
                self.err(
                    format!("{item}.id"),
                    format!("group id `{}` is used twice", g.id),
                    "give each group its own id",
                );
            }
            self.probability(&format!("{item}.probability"), g.probability);
            if g.choose.is_empty() {
                self.err(
                    format!("{item}.choose"),
                    "the group chooses from nothing",
                    "add `(weight: 1, value: \"template_id\")`",
                );
            }
            self.weights(&format!("{item}.choose"), &g.choose, true);
            for (j, c) in g.choose.iter().enumerate() {
                if !p.condition_templates.iter().any(|t| t.id == c.value) {
                    let known: Vec<&str> = p
                        .condition_templates
                        .iter()
                        .map(|t| t.id.as_str())
                        .collect();
                    self.err(
                        format!("{item}.choose[{j}].value"),
                        format!("unknown condition template `{}`", c.value),
                        format!(
                            "define it in `condition_templates`; known: {}",
                            known.join(", ")
                        ),
                    );
                }
            }
        }
    }

    fn effects(&mut self, item: &str, e: &crate::patient::spec::VitalEffects) {
        let checks = [
            ("temperature_c", e.temperature_c, TEMP_C, "°C"),
            ("heart_rate_bpm", e.heart_rate_bpm, HR, "beats/min"),
            (
                "respiratory_rate_per_min",
                e.respiratory_rate_per_min,
                RR,
                "breaths/min",
            ),
            ("systolic_mmhg", e.systolic_mmhg, SBP, "mmHg"),
            ("diastolic_mmhg", e.diastolic_mmhg, DBP, "mmHg"),
            ("spo2_percent", e.spo2_percent, SPO2, "%"),
            ("pain_score", e.pain_score, PAIN, ""),
            ("bmi", e.bmi, BMI, "kg/m²"),
        ];
        for (name, r, bounds, unit) in checks {
            if let Some(r) = r {
                self.range(&format!("{item}.{name}"), r, bounds, unit);
            }
        }
    }

    fn vitals(&mut self, p: &PatientSpec) {
        let v = &p.vitals;
        if v.readings == 0 || v.readings > 48 {
            self.err(
                "patient.vitals.readings",
                format!("{} readings", v.readings),
                "use 1 to 48 readings",
            );
        }
        if v.readings > 1 && v.interval_minutes == 0 {
            self.err(
                "patient.vitals.interval_minutes",
                "readings need time between them",
                "e.g. interval_minutes: 240",
            );
        }
        let checks = [
            ("temperature_c", v.temperature_c, TEMP_C, "°C"),
            ("heart_rate_bpm", v.heart_rate_bpm, HR, "beats/min"),
            (
                "respiratory_rate_per_min",
                v.respiratory_rate_per_min,
                RR,
                "breaths/min",
            ),
            ("systolic_mmhg", v.systolic_mmhg, SBP, "mmHg"),
            ("diastolic_mmhg", v.diastolic_mmhg, DBP, "mmHg"),
            ("spo2_percent", v.spo2_percent, SPO2, "%"),
            ("pain_score", v.pain_score, PAIN, ""),
            ("height_cm", v.height_cm, (30.0, 230.0), "cm"),
            ("bmi", v.bmi, BMI, "kg/m²"),
        ];
        for (name, r, bounds, unit) in checks {
            self.range(&format!("patient.vitals.{name}"), r, bounds, unit);
        }
        const SCALES: &[&str] = &[
            "NRS 0-10",
            "FLACC",
            "PAINAD",
            "Wong-Baker FACES",
            "CPOT",
            "VAS 0-100",
            "NIPS",
            "N-PASS",
        ];
        if !SCALES.contains(&v.pain_scale.as_str()) {
            self.err(
                "patient.vitals.pain_scale",
                format!("unknown pain scale `{}`", v.pain_scale),
                format!("use one of: {}", SCALES.join(", ")),
            );
        }
    }

    fn meds_and_allergies(&mut self, p: &PatientSpec) {
        for (i, m) in p.medications.iter().enumerate() {
            let item = format!("patient.medications[{i}]");
            self.probability(&format!("{item}.probability"), m.probability);
            for (field, value) in [
                ("name", &m.name),
                ("dose", &m.dose),
                ("route", &m.route),
                ("frequency", &m.frequency),
                ("indication", &m.indication),
            ] {
                if value.trim().is_empty() {
                    self.err(
                        format!("{item}.{field}"),
                        format!("empty `{field}`"),
                        "a medication list names drug, dose, route, frequency and indication",
                    );
                }
            }
            if let Some(problem) = do_not_use(&m.dose).or_else(|| do_not_use(&m.frequency)) {
                self.err(item.clone(), problem, "The Joint Commission \"Do Not Use\" list: write \"daily\", \"unit(s)\", \"0.5 mg\", \"1 mg\"");
            }
            for (j, t) in m.when_any.iter().enumerate() {
                if !p.condition_templates.iter().any(|c| &c.id == t) {
                    self.err(
                        format!("{item}.when_any[{j}]"),
                        format!("unknown condition template `{t}`"),
                        "name a template from `condition_templates`",
                    );
                }
            }
        }
        for (i, a) in p.allergies.iter().enumerate() {
            let item = format!("patient.allergies[{i}]");
            self.probability(&format!("{item}.probability"), a.probability);
            if a.reaction.to_lowercase().contains("anaphyla") && a.severity != Severity::Severe {
                self.err(
                    format!("{item}.severity"),
                    "anaphylaxis is a severe reaction",
                    "set `severity: Severe` and `criticality: High`",
                );
            }
        }
    }

    fn labs(&mut self, p: &PatientSpec) {
        let mut seen = BTreeSet::new();
        for (i, l) in p.labs.iter().enumerate() {
            let item = format!("patient.labs[{i}]");
            if !seen.insert(l.name.as_str()) {
                self.err(
                    format!("{item}.name"),
                    format!("lab `{}` is listed twice", l.name),
                    "each lab name once",
                );
            }
            self.range(
                &format!("{item}.reference"),
                l.reference,
                (f64::MIN, f64::MAX),
                &l.unit,
            );
            self.range(
                &format!("{item}.value"),
                l.value,
                (f64::MIN, f64::MAX),
                &l.unit,
            );
            if l.decimals > 3 {
                self.err(
                    format!("{item}.decimals"),
                    "more than 3 decimals",
                    "use 0 to 3",
                );
            }
            let named: Vec<&String> = match &l.formula {
                None => Vec::new(),
                Some(LabFormula::EgfrCkdEpi2021(a) | LabFormula::HematocritFromHemoglobin(a)) => {
                    vec![a]
                }
                Some(LabFormula::AnionGap(a, b, c)) => vec![a, b, c],
            };
            for name in named {
                if !p.labs.iter().any(|x| &x.name == name) {
                    self.err(
                        format!("{item}.formula"),
                        format!("the formula names lab `{name}`, which the panel does not list"),
                        "add the lab to `labs` or name one of the panel's labs",
                    );
                }
            }
        }
        if let Some(r) = p.vitals.weight_percentiles
            && !(r.min > 0.0 && r.min <= r.max && r.max < 100.0)
        {
            self.err(
                "patient.vitals.weight_percentiles",
                format!("percentiles {} to {} are not inside 0 to 100", r.min, r.max),
                "write e.g. `weight_percentiles: (min: 0.5, max: 2)` (0 < min <= max < 100)",
            );
        }
    }

    fn texts(&mut self, p: &PatientSpec) {
        self.template_text("patient.encounter.reason", &p.encounter.reason, p);
        for (i, n) in p.notes.iter().enumerate() {
            self.template_text(&format!("patient.notes[{i}].text"), &n.text, p);
            self.template_text(&format!("patient.notes[{i}].author"), &n.author, p);
        }
    }

    fn template_text(&mut self, item: &str, text: &str, p: &PatientSpec) {
        let found = match placeholders(text) {
            Ok(found) => found,
            Err(msg) => {
                self.err(item, msg, "placeholders look like {hr} or {cond:primary.stage}; write {{ and }} for literal braces");
                return;
            }
        };
        for ph in found {
            match ph {
                Placeholder::Simple(_) => {}
                Placeholder::Lab(name) => {
                    if !p.labs.iter().any(|l| l.name.eq_ignore_ascii_case(&name)) {
                        self.err(
                            item,
                            format!("`{{lab:{name}}}` names a lab that is not in the panel"),
                            "add it to `patient.labs` or fix the name",
                        );
                    }
                }
                Placeholder::Condition { group, fact } => {
                    self.group_ref(item, &group, p);
                    if let Some(fact) = fact {
                        self.fact_ref(item, &group, &fact, p);
                    }
                }
                Placeholder::Symptoms(group) | Placeholder::Onset(group) => {
                    self.group_ref(item, &group, p);
                }
            }
        }
    }

    fn group_ref(&mut self, item: &str, group: &str, p: &PatientSpec) {
        match p.conditions.iter().find(|g| g.id == group) {
            None => {
                let known: Vec<&str> = p.conditions.iter().map(|g| g.id.as_str()).collect();
                self.err(item, format!("placeholder names unknown condition group `{group}`"), format!("known groups: {}", known.join(", ")));
            }
            Some(g) if g.probability < 1.0 => self.warn(
                item,
                format!("group `{group}` is not always present (probability {}), so the text may read \"none\"", g.probability),
                "only name always-present groups in note text",
            ),
            Some(_) => {}
        }
    }

    fn fact_ref(&mut self, item: &str, group: &str, fact: &str, p: &PatientSpec) {
        let Some(g) = p.conditions.iter().find(|g| g.id == group) else {
            return;
        };
        for choice in &g.choose {
            let Some(t) = p.condition_templates.iter().find(|t| t.id == choice.value) else {
                continue;
            };
            if t.variants.iter().any(|v| !v.facts.contains_key(fact)) {
                self.err(
                    item,
                    format!("`{{cond:{group}.{fact}}}`: some variants of template `{}` have no fact `{fact}`", t.id),
                    format!("add `\"{fact}\": \"...\"` to the facts of every variant of `{}`", t.id),
                );
            }
        }
    }
}

const TEMP_C: (f64, f64) = (30.0, 44.0);
const HR: (f64, f64) = (20.0, 260.0);
const RR: (f64, f64) = (4.0, 90.0);
const SBP: (f64, f64) = (40.0, 280.0);
const DBP: (f64, f64) = (20.0, 170.0);
const SPO2: (f64, f64) = (50.0, 100.0);
const PAIN: (f64, f64) = (0.0, 10.0);
const BMI: (f64, f64) = (10.0, 80.0);

/// Checks the shape of a code for its system (existence in the code set is the terminology's job).
///
/// # Errors
/// A message describing what is wrong with the shape.
pub(crate) fn code_shape(system: CodeSystem, code: &str) -> Result<(), String> {
    let ok = match system {
        CodeSystem::Icd10Cm => {
            let mut chars = code.chars();
            let first = chars.next();
            let rest: String = chars.collect();
            let (head, tail) = rest.split_once('.').unwrap_or((rest.as_str(), ""));
            first.is_some_and(|c| c.is_ascii_uppercase())
                && head.len() == 2
                && head
                    .chars()
                    .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase())
                && tail.len() <= 4
                && tail
                    .chars()
                    .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase())
                && (code.contains('.') || code.len() == 3)
        }
        CodeSystem::Icd10Pcs => crate::terminology::syntax::is_pcs_code(code),
        CodeSystem::Hcpcs => {
            code.len() == 5
                && code.chars().next().is_some_and(|c| c.is_ascii_uppercase())
                && code.chars().skip(1).all(|c| c.is_ascii_digit())
        }
        CodeSystem::Snomed => !code.is_empty() && code.chars().all(|c| c.is_ascii_digit()),
        CodeSystem::Loinc => code.split_once('-').is_some_and(|(a, b)| {
            !a.is_empty() && a.chars().all(|c| c.is_ascii_digit()) && b.len() == 1
        }),
        CodeSystem::RxNorm => !code.is_empty() && code.chars().all(|c| c.is_ascii_digit()),
    };
    if ok {
        Ok(())
    } else {
        Err(format!(
            "`{code}` is not a well-formed {} code",
            system.label()
        ))
    }
}

/// Why a well-formed code cannot be used in the scenario's code-set year, if it cannot:
/// ICD-10-CM codes must exist and be billable in that year; ICD-10-PCS codes must exist in the
/// shipped PCS set (whose titles are FY2024, the newest available).
pub(crate) fn code_in_set(system: CodeSystem, code: &str, year: u16) -> Option<String> {
    use crate::terminology::{self, System};
    match system {
        CodeSystem::Icd10Cm if code_shape(system, code).is_ok() => {
            terminology::check_code_in_year(System::Icd10Cm, code, year)
                .err()
                .map(|e| e.to_string())
        }
        CodeSystem::Icd10Pcs if code_shape(system, code).is_ok() => {
            match terminology::lookup(System::Icd10Pcs, code) {
                Some(e) if e.billable => None,
                Some(_) => Some(format!("`{code}` is not a complete ICD-10-PCS code")),
                None => Some(format!("`{code}` is not in the ICD-10-PCS code set")),
            }
        }
        CodeSystem::Icd10Cm
        | CodeSystem::Icd10Pcs
        | CodeSystem::Hcpcs
        | CodeSystem::Snomed
        | CodeSystem::Loinc
        | CodeSystem::RxNorm => None,
    }
}

/// A Do-Not-Use abbreviation or number format in a dose or frequency, if any.
pub(crate) fn do_not_use(text: &str) -> Option<String> {
    let words: Vec<String> = text
        .split(|c: char| c.is_whitespace() || c == ',' || c == ';')
        .map(|w| w.trim_matches(|c: char| c == '(' || c == ')').to_string())
        .filter(|w| !w.is_empty())
        .collect();
    for w in &words {
        let upper = w.to_uppercase();
        if matches!(
            upper.as_str(),
            "QD" | "Q.D." | "QOD" | "Q.O.D." | "U" | "IU" | "MS" | "MSO4" | "MGSO4"
        ) {
            return Some(format!("`{w}` is on the \"Do Not Use\" list"));
        }
        if w.starts_with('.') && w.chars().nth(1).is_some_and(|c| c.is_ascii_digit()) {
            return Some(format!("`{w}` lacks a leading zero"));
        }
        if let Some((int, frac)) = w.split_once('.')
            && !int.is_empty()
            && int.chars().all(|c| c.is_ascii_digit())
            && !frac.is_empty()
            && frac.chars().all(|c| c == '0')
        {
            return Some(format!("`{w}` has a trailing zero"));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_shapes() {
        assert!(code_shape(CodeSystem::Icd10Cm, "E11.22").is_ok());
        assert!(code_shape(CodeSystem::Icd10Cm, "I10").is_ok());
        assert!(code_shape(CodeSystem::Icd10Cm, "S52.531A").is_ok());
        assert!(code_shape(CodeSystem::Icd10Cm, "e11.22").is_err());
        assert!(code_shape(CodeSystem::Icd10Cm, "E1122").is_err());
        assert!(code_shape(CodeSystem::Icd10Pcs, "0DTJ4ZZ").is_ok());
        assert!(code_shape(CodeSystem::Icd10Pcs, "0DTJ4Z").is_err());
        assert!(code_shape(CodeSystem::Hcpcs, "J1100").is_ok());
    }

    #[test]
    fn do_not_use_list() {
        assert!(do_not_use("10 U").is_some());
        assert!(do_not_use("QD").is_some());
        assert!(do_not_use(".5 mg").is_some());
        assert!(do_not_use("1.0 mg").is_some());
        assert!(do_not_use("0.5 mg").is_none());
        assert!(do_not_use("10 units").is_none());
        assert!(do_not_use("once daily").is_none());
    }
}
