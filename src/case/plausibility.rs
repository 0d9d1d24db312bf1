//! Clinical plausibility of a generated case: one function per rule, each rule with an id, a
//! one-line description and its source ([`RULES`]; the medication rules come from the table
//! `assets/rules/medication_safety.csv`). [`check`] runs every rule over one case and returns
//! each [`Violation`] with the item of the scenario file (e.g. `patient.medications[3]`) that
//! produced it, when the generator knows it, for the caller to place at a line and column.
//!
//! The checker is pure and never panics: `ehr-sim validate --seeds N` runs it over generated
//! seeds of every scenario, the shipped-content tests over seeds 1–20.

use std::sync::OnceLock;

use chrono::{NaiveDate, NaiveDateTime, TimeDelta};

use crate::case::Case;
use crate::generate::clinical::{egfr_ckd_epi_2021, kdigo_gfr_stage};
use crate::generate::growth::{self, Measure};
use crate::patient::spec::{PatientSpec, VitalsSpec};
use crate::patient::{Patient, Setting, Sex, VitalSigns};
use crate::scenario::Scenario;
use crate::tasks::charting::spec::MedicationAction;
use crate::tasks::{TaskMaterial, TaskSpec};

/// A plausibility rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    /// Stable id, e.g. `labs.egfr` or `MED-METFORMIN-EGFR30`.
    pub id: String,
    /// What the rule requires, in one line.
    pub description: String,
    /// Where the rule comes from (label, guideline, reference).
    pub source: String,
}

/// One rule broken by one generated case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// The rule's id.
    pub rule: String,
    /// What was found, e.g. "eGFR 58 with creatinine 1.4 (CKD-EPI 2021 gives 61)".
    pub found: String,
    /// The scenario item that produced it (`patient.notes[2].text`), when known.
    pub item: Option<String>,
}

/// The rules implemented in code (id, description, source); [`rules`] adds the table's.
const CODE_RULES: &[(&str, &str, &str)] = &[
    (
        "growth",
        "A child's height and weight lie between the 3rd and 97th percentiles for age and sex (the weight inside vitals.weight_percentiles when the scenario sets an outlier on purpose)",
        "WHO Child Growth Standards 2006 (0-24 months); CDC 2000 growth charts (2-20 years); assets/growth/PROVENANCE",
    ),
    (
        "labs.egfr",
        "The eGFR is CKD-EPI 2021 of the creatinine, age and sex (bedside Schwartz 0.413 x height / creatinine under 18 years), within 1",
        "Inker LA et al. N Engl J Med 2021;385:1737 (CKD-EPI 2021); Schwartz GJ et al. J Am Soc Nephrol 2009;20:629",
    ),
    (
        "labs.hematocrit",
        "Hematocrit (%) is about three times the hemoglobin (g/dL), within 3",
        "Rule of three: Walker HK et al. Clinical Methods 3rd ed. 1990 ch. 151",
    ),
    (
        "labs.anion_gap",
        "A stated anion gap equals sodium - (chloride + bicarbonate), within 1",
        "Kraut JA & Madias NE. Clin J Am Soc Nephrol 2007;2:162",
    ),
    (
        "labs.ckd_stage",
        "A CKD stage stated in a condition or a note is the KDIGO G stage of the eGFR shown",
        "KDIGO 2024 Clinical Practice Guideline for CKD, Table 1 (GFR categories)",
    ),
    (
        "language.pronouns",
        "Third-person pronouns follow the patient's sex",
        "docs/domain/plausibility.md §4",
    ),
    (
        "language.age_words",
        "\"N-year-old man/woman/boy/girl\" states the patient's age and fits the sex (boy/girl under 18, man/woman from 13)",
        "docs/domain/plausibility.md §4",
    ),
    (
        "language.kinship",
        "The emergency contact's relationship fits the age: a son or daughter from 36 years, a spouse or partner from 18, a parent or guardian under 18",
        "docs/domain/plausibility.md §4",
    ),
    (
        "language.pain_scale",
        "The pain scale fits the age and the score is one of its values (Wong-Baker 0-10 even from 3 y; FLACC 0-10 from 2 months to 7 y; NIPS 0-7 under 2 months; N-PASS 0-10 to 100 days; NRS 0-10 from 8 y; PAINAD 0-10 and CPOT 0-8 adults)",
        "Wong-Baker FACES Foundation instructions; Merkel S et al. Pediatr Nurs 1997 (FLACC); Lawrence J et al. Neonatal Netw 1993 (NIPS); Hummel P et al. J Perinatol 2008 (N-PASS); Warden V et al. JAMDA 2003 (PAINAD); Gelinas C et al. Am J Crit Care 2006 (CPOT)",
    ),
    (
        "language.duplicated_phrase",
        "No phrase of two to four words is written twice in a row (\"for dyspnea for dyspnea\")",
        "docs/domain/plausibility.md §4",
    ),
    (
        "time.encounters",
        "Every encounter starts before it ends and by the exercise date; earlier visits precede the current one",
        "docs/domain/plausibility.md §5",
    ),
    (
        "time.notes",
        "Every note lies inside its encounter (a hospice note, IDG summary included, inside the current election up to the exercise date)",
        "42 CFR 418.24 (election effective date); docs/domain/plausibility.md §5",
    ),
    (
        "time.series",
        "Every vital-sign reading and lab result of the scenario's panel lies inside the current stay (a visit's labs: on the visit's day, after it starts)",
        "docs/domain/plausibility.md §5",
    ),
    (
        "time.arrival",
        "A value quoted \"on arrival\" is the first reading of the series, taken within an hour of arrival",
        "docs/domain/plausibility.md §5",
    ),
    (
        "time.postoperative_day",
        "\"Postoperative day N\" is the number of days from the procedure to the note (the procedure on the day of admission when the note says so)",
        "docs/domain/plausibility.md §5",
    ),
];

/// Every rule: the code rules, then the medication table's.
#[must_use]
pub fn rules() -> Vec<Rule> {
    let code = CODE_RULES.iter().map(|(id, description, source)| Rule {
        id: (*id).to_string(),
        description: (*description).to_string(),
        source: (*source).to_string(),
    });
    let table = medication_rules().iter().map(|m| Rule {
        id: m.id.clone(),
        description: m.description.clone(),
        source: m.source.clone(),
    });
    code.chain(table).collect()
}

/// The rule with this id.
#[must_use]
pub fn rule(id: &str) -> Option<Rule> {
    rules().into_iter().find(|r| r.id == id)
}

/// Runs every rule over `case`, generated from `scenario`.
#[must_use]
pub fn check(scenario: &Scenario, case: &Case) -> Vec<Violation> {
    let spec = &scenario.patient;
    let mut out = Vec::new();
    growth_rule(scenario, case, &mut out);
    egfr(spec, &case.patient, &mut out);
    hematocrit(spec, &case.patient, &mut out);
    anion_gap(spec, &case.patient, &mut out);
    ckd_stage(spec, &case.patient, &mut out);
    medication_safety(spec, case, &mut out);
    pronouns(scenario, case, &mut out);
    age_words(spec, case, &mut out);
    kinship(&case.patient, &mut out);
    pain_scale(scenario, case, &mut out);
    duplicated_phrases(spec, case, &mut out);
    encounter_times(case, &mut out);
    note_times(spec, case, &mut out);
    series_times(spec, &case.patient, case.as_of, &mut out);
    arrival_values(spec, &case.patient, &mut out);
    postoperative_day(spec, &case.patient, &mut out);
    out
}

fn push(out: &mut Vec<Violation>, rule: &str, found: String, item: Option<String>) {
    out.push(Violation {
        rule: rule.to_string(),
        found,
        item,
    });
}

// ---------------------------------------------------------------------------------------------
// Anthropometrics

/// The percentile of `x` on the reference, 0–100.
fn percentile(sex: Sex, measure: Measure, months: f64, x: f64) -> Option<f64> {
    Some(growth::percentile(
        growth::reference(sex, measure, months)?,
        x,
    ))
}

fn months_between(birth: NaiveDate, at: NaiveDate) -> f64 {
    growth::months_of_days((at - birth).num_days())
}

/// A triage arrival's case in the scenario: its index and its own vitals, if it has them.
fn triage_case<'a>(
    scenario: &'a Scenario,
    case_id: &str,
) -> Option<(usize, Option<&'a VitalsSpec>)> {
    let TaskSpec::Triage(t) = &scenario.task else {
        return None;
    };
    t.shift
        .cases
        .iter()
        .enumerate()
        .find(|(_, c)| c.id == case_id)
        .map(|(i, c)| (i, c.vitals.as_ref()))
}

/// A triage arrival's sex.
fn arrival_sex(sex: &str) -> Sex {
    if sex.eq_ignore_ascii_case("female") {
        Sex::Female
    } else {
        Sex::Male
    }
}

/// One reading of a child: height and weight on the growth references.
struct Sized<'a> {
    who: String,
    sex: Sex,
    birth: NaiveDate,
    reading: &'a VitalSigns,
    vitals: &'a VitalsSpec,
    item: Option<String>,
}

fn growth_reading(c: &Sized<'_>, out: &mut Vec<Violation>) {
    let months = months_between(c.birth, c.reading.taken_at.date());
    if months >= growth::MAX_AGE_MONTHS {
        return;
    }
    let weight_range = c.vitals.weight_percentiles.map_or((3.0, 97.0), |r| {
        (r.min.min(3.0) - 0.1, r.max.max(97.0) + 0.1)
    });
    for (measure, value, unit, name) in [
        (Measure::LengthHeight, c.reading.height_cm, "cm", "height"),
        (Measure::Weight, c.reading.weight_kg, "kg", "weight"),
    ] {
        let (lo, hi) = match measure {
            Measure::Weight => weight_range,
            Measure::LengthHeight
            | Measure::Bmi
            | Measure::HeadCircumference
            | Measure::WeightForLength => (3.0, 97.0),
        };
        if let Some(p) = percentile(c.sex, measure, months, value)
            && !(lo..=hi).contains(&p)
        {
            push(
                out,
                "growth",
                format!(
                    "{}{} aged {months:.1} months: {name} {value} {unit} is at the {p:.1} percentile (allowed {lo:.1} to {hi:.1})",
                    c.who,
                    if c.sex == Sex::Female { "girl" } else { "boy" },
                ),
                c.item.clone(),
            );
        }
    }
}

fn growth_rule(scenario: &Scenario, case: &Case, out: &mut Vec<Violation>) {
    match &case.task {
        TaskMaterial::Triage(m) => {
            for a in &m.arrivals {
                let found = triage_case(scenario, &a.case_id);
                growth_reading(
                    &Sized {
                        who: format!("arrival {} ({}): ", a.id, a.case_id),
                        sex: arrival_sex(&a.sex),
                        birth: a.birth_date,
                        reading: &a.vitals,
                        vitals: found
                            .and_then(|(_, v)| v)
                            .unwrap_or(&scenario.patient.vitals),
                        item: found.map(|(i, _)| format!("task.shift.cases[{i}]")),
                    },
                    out,
                );
            }
        }
        TaskMaterial::Charting(_)
        | TaskMaterial::Coding(_)
        | TaskMaterial::Hospice(_)
        | TaskMaterial::Roi(_)
        | TaskMaterial::Claims(_)
        | TaskMaterial::AccessAudit(_) => {
            let p = &case.patient;
            for v in &p.vitals {
                growth_reading(
                    &Sized {
                        who: String::new(),
                        sex: p.demographics.sex,
                        birth: p.demographics.birth_date,
                        reading: v,
                        vitals: &scenario.patient.vitals,
                        item: Some("patient.vitals".into()),
                    },
                    out,
                );
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Derived labs

fn lab(p: &Patient, name: &str) -> Option<f64> {
    p.labs
        .iter()
        .find(|l| l.name.eq_ignore_ascii_case(name))
        .map(|l| l.value)
}

fn lab_item(spec: &PatientSpec, name: &str) -> Option<String> {
    spec.labs
        .iter()
        .position(|l| l.name.eq_ignore_ascii_case(name))
        .map(|i| format!("patient.labs[{i}]"))
}

fn egfr(spec: &PatientSpec, p: &Patient, out: &mut Vec<Violation>) {
    let (Some(scr), Some(shown)) = (lab(p, "Creatinine"), lab(p, "eGFR")) else {
        return;
    };
    if scr <= 0.0 {
        return;
    }
    let age = p.demographics.age_years;
    let (want, how) = if age < 18 {
        let height = p.vitals.last().map_or(0.0, |v| v.height_cm);
        (0.413 * height / scr, "bedside Schwartz")
    } else {
        (
            egfr_ckd_epi_2021(scr, age, p.demographics.sex),
            "CKD-EPI 2021",
        )
    };
    if (shown - want).abs() > 1.0 {
        push(
            out,
            "labs.egfr",
            format!(
                "eGFR {shown} with creatinine {scr} mg/dL, age {age}, {}: {how} gives {want:.0}",
                p.demographics.sex.label().to_lowercase()
            ),
            lab_item(spec, "eGFR"),
        );
    }
}

fn hematocrit(spec: &PatientSpec, p: &Patient, out: &mut Vec<Violation>) {
    let (Some(hb), Some(hct)) = (lab(p, "Hemoglobin"), lab(p, "Hematocrit")) else {
        return;
    };
    if (hct - 3.0 * hb).abs() > 3.0 {
        push(
            out,
            "labs.hematocrit",
            format!(
                "hematocrit {hct}% with hemoglobin {hb} g/dL (expected {:.0} ± 3)",
                3.0 * hb
            ),
            lab_item(spec, "Hematocrit"),
        );
    }
}

fn anion_gap(spec: &PatientSpec, p: &Patient, out: &mut Vec<Violation>) {
    let Some(gap) = lab(p, "Anion gap") else {
        return;
    };
    let bicarbonate = lab(p, "Bicarbonate").or_else(|| lab(p, "CO2"));
    let (Some(na), Some(cl), Some(hco3)) = (lab(p, "Sodium"), lab(p, "Chloride"), bicarbonate)
    else {
        return;
    };
    let want = na - (cl + hco3);
    if (gap - want).abs() > 1.0 {
        push(
            out,
            "labs.anion_gap",
            format!(
                "anion gap {gap} with Na {na}, Cl {cl}, HCO3 {hco3} (Na - (Cl + HCO3) = {want})"
            ),
            lab_item(spec, "Anion gap"),
        );
    }
}

/// The CKD stages a text states: "CKD stage 3b", "chronic kidney disease, stage 4", "CKD 3a".
fn stated_stages(text: &str) -> Vec<String> {
    let lower = text.to_lowercase();
    let mut out = Vec::new();
    for marker in [
        "ckd stage ",
        "kidney disease stage ",
        "kidney disease, stage ",
        "ckd ",
    ] {
        let mut from = 0;
        while let Some(at) = lower[from..].find(marker) {
            let rest = &lower[from + at + marker.len()..];
            let stage: String = rest
                .chars()
                .take_while(|c| c.is_ascii_digit() || *c == 'a' || *c == 'b')
                .collect();
            let next = rest[stage.len()..].chars().next();
            if matches!(stage.as_str(), "1" | "2" | "3a" | "3b" | "4" | "5")
                && !next.is_some_and(char::is_alphanumeric)
            {
                out.push(stage);
            }
            from += at + marker.len();
        }
    }
    out.sort();
    out.dedup();
    out
}

fn note_item(spec: &PatientSpec, kind: &str, fragment: &str) -> Option<String> {
    let same_kind = || {
        spec.notes
            .iter()
            .enumerate()
            .filter(|(_, n)| n.kind == kind)
    };
    same_kind()
        .find(|(_, n)| n.text.to_lowercase().contains(&fragment.to_lowercase()))
        .or_else(|| same_kind().next())
        .map(|(i, _)| format!("patient.notes[{i}].text"))
}

fn ckd_stage(spec: &PatientSpec, p: &Patient, out: &mut Vec<Violation>) {
    let Some(egfr) = lab(p, "eGFR") else {
        return;
    };
    let want = kdigo_gfr_stage(egfr);
    for c in &p.conditions {
        if let Some(stage) = c.facts.get("stage")
            && c.display.to_lowercase().contains("kidney")
            && stage != want
        {
            let item = spec
                .condition_templates
                .iter()
                .position(|t| t.id == c.template)
                .map(|i| format!("patient.condition_templates[{i}]"));
            push(
                out,
                "labs.ckd_stage",
                format!(
                    "condition \"{}\" states stage {stage}; eGFR {egfr} is stage {want}",
                    c.display
                ),
                item,
            );
        }
    }
    for n in &p.notes {
        for stage in stated_stages(&n.text) {
            if stage != want {
                push(
                    out,
                    "labs.ckd_stage",
                    format!(
                        "{} states CKD stage {stage}; eGFR {egfr} is stage {want}",
                        n.kind
                    ),
                    note_item(spec, &n.kind, "stage"),
                );
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Medication safety (assets/rules/medication_safety.csv)

const MEDICATION_RULES_CSV: &str = include_str!("../../assets/rules/medication_safety.csv");

/// One row of the medication safety table.
#[derive(Debug, Clone, PartialEq)]
pub struct MedicationRule {
    /// Rule id.
    pub id: String,
    /// Words, any of which in the drug's name or indication.
    pub drug: Vec<String>,
    /// What makes the drug wrong.
    pub check: MedicationCheck,
    /// A phrase that, in a note, documents the decision.
    pub unless_note: Option<String>,
    /// One line.
    pub description: String,
    /// Label, guideline or reference.
    pub source: String,
}

/// What makes a drug wrong for the patient.
#[derive(Debug, Clone, PartialEq)]
pub enum MedicationCheck {
    /// An allergy to one of the allergens (any when empty) with the reaction (any when unset).
    Allergy {
        /// Allergen words.
        allergens: Vec<String>,
        /// Reaction word.
        reaction: Option<String>,
    },
    /// Never for this sex.
    Sex(Sex),
    /// Never under this age (years).
    AgeBelow(u32),
    /// Never at this age (years) or older.
    AgeAtLeast(u32),
    /// Never with an eGFR below this.
    EgfrBelow(f64),
    /// Never started (a new prescription in a charting plan) with an eGFR below this.
    StartEgfrBelow(f64),
    /// This dose exactly when at least `at_least` of the criteria hold.
    Dose {
        /// The criteria-bound dose, e.g. "2.5 mg".
        dose: String,
        /// How many criteria.
        at_least: usize,
        /// (what, at-least (true) or at-most (false), value): `age`, `weight` or a lab name.
        criteria: Vec<(String, bool, f64)>,
    },
}

fn words_of(field: &str) -> Vec<String> {
    field
        .split('|')
        .map(|w| w.trim().to_lowercase())
        .filter(|w| !w.is_empty())
        .collect()
}

fn parse_check(check: &str, argument: &str) -> Option<MedicationCheck> {
    Some(match check {
        "allergy" => {
            let mut allergens = Vec::new();
            let mut reaction = None;
            for part in argument.split(';') {
                match part.trim().split_once('=')? {
                    ("allergen", v) => allergens = words_of(v),
                    ("reaction", v) => reaction = Some(v.trim().to_lowercase()),
                    _ => return None,
                }
            }
            MedicationCheck::Allergy {
                allergens,
                reaction,
            }
        }
        "sex" => MedicationCheck::Sex(match argument.trim() {
            "female" => Sex::Female,
            "male" => Sex::Male,
            _ => return None,
        }),
        "age_below" => MedicationCheck::AgeBelow(argument.trim().parse().ok()?),
        "age_at_least" => MedicationCheck::AgeAtLeast(argument.trim().parse().ok()?),
        "egfr_below" => MedicationCheck::EgfrBelow(argument.trim().parse().ok()?),
        "start_egfr_below" => MedicationCheck::StartEgfrBelow(argument.trim().parse().ok()?),
        "dose" => {
            let mut parts = argument.split(';').map(str::trim);
            let dose = parts.next()?.to_string();
            let at_least = parts.next()?.parse().ok()?;
            let criteria = parts
                .map(|c| {
                    if let Some((what, v)) = c.split_once(">=") {
                        Some((what.trim().to_string(), true, v.trim().parse().ok()?))
                    } else {
                        let (what, v) = c.split_once("<=")?;
                        Some((what.trim().to_string(), false, v.trim().parse().ok()?))
                    }
                })
                .collect::<Option<Vec<_>>>()?;
            MedicationCheck::Dose {
                dose,
                at_least,
                criteria,
            }
        }
        _ => return None,
    })
}

fn parse_medication_rule(line: &str) -> Option<MedicationRule> {
    let f: Vec<&str> = line.split(',').map(str::trim).collect();
    let [id, drug, check, argument, unless, description, source] = f.as_slice() else {
        return None;
    };
    Some(MedicationRule {
        id: (*id).to_string(),
        drug: words_of(drug),
        check: parse_check(check, argument)?,
        unless_note: Some(unless.to_lowercase()).filter(|u| !u.is_empty()),
        description: (*description).to_string(),
        source: (*source).to_string(),
    })
}

fn table_lines() -> impl Iterator<Item = &'static str> {
    MEDICATION_RULES_CSV
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
}

/// The medication safety table, parsed (rows that do not parse are left out; the unit tests
/// check that every row parses).
#[must_use]
pub fn medication_rules() -> &'static [MedicationRule] {
    static RULES: OnceLock<Vec<MedicationRule>> = OnceLock::new();
    RULES.get_or_init(|| table_lines().filter_map(parse_medication_rule).collect())
}

fn breaks(rule: &MedicationRule, p: &Patient, dose: &str, new: bool) -> Option<String> {
    let age = p.demographics.age_years;
    match &rule.check {
        MedicationCheck::StartEgfrBelow(n) => lab(p, "eGFR")
            .filter(|e| new && e < n)
            .map(|e| format!("eGFR {e}, started now")),
        MedicationCheck::Allergy {
            allergens,
            reaction,
        } => p
            .allergies
            .iter()
            .find(|a| {
                let allergen = a.allergen.to_lowercase();
                (allergens.is_empty() || allergens.iter().any(|w| allergen.contains(w)))
                    && reaction
                        .as_ref()
                        .is_none_or(|r| a.reaction.to_lowercase().contains(r))
            })
            .map(|a| format!("allergy to {} ({})", a.allergen, a.reaction)),
        MedicationCheck::Sex(sex) => (p.demographics.sex == *sex)
            .then(|| format!("a {} patient", sex.label().to_lowercase())),
        MedicationCheck::AgeBelow(n) => (age < *n).then(|| format!("age {age}")),
        MedicationCheck::AgeAtLeast(n) => (age >= *n).then(|| format!("age {age}")),
        MedicationCheck::EgfrBelow(n) => lab(p, "eGFR")
            .filter(|e| e < n)
            .map(|e| format!("eGFR {e}")),
        MedicationCheck::Dose {
            dose: bound,
            at_least,
            criteria,
        } => {
            let weight = p.vitals.last().map(|v| v.weight_kg);
            let mut met = Vec::new();
            for (what, at_least_value, v) in criteria {
                let x = match what.as_str() {
                    "age" => Some(f64::from(age)),
                    "weight" => weight,
                    name => lab(p, name),
                };
                if x.is_some_and(|x| if *at_least_value { x >= *v } else { x <= *v }) {
                    met.push(format!("{what} {}", x.unwrap_or_default()));
                }
            }
            let should = met.len() >= *at_least;
            (should != (dose == bound)).then(|| {
                format!(
                    "{} of the dose criteria met ({}): the dose should{} be {bound}",
                    met.len(),
                    if met.is_empty() {
                        "none".to_string()
                    } else {
                        met.join(", ")
                    },
                    if should { "" } else { " not" }
                )
            })
        }
    }
}

/// A drug to check: name, dose, what it is for, whether it is started now, and its item.
struct Drug {
    name: String,
    dose: String,
    indication: String,
    new: bool,
    item: Option<String>,
}

/// The home medications (less those a charting plan stops, on purpose) and the charting plan's
/// new, changed and continued drugs.
fn drugs(spec: &PatientSpec, case: &Case) -> Vec<Drug> {
    let plan = match &case.task {
        TaskMaterial::Charting(m) => m.medication_plan.as_slice(),
        TaskMaterial::Coding(_)
        | TaskMaterial::Triage(_)
        | TaskMaterial::Hospice(_)
        | TaskMaterial::Roi(_)
        | TaskMaterial::Claims(_)
        | TaskMaterial::AccessAudit(_) => &[],
    };
    let stopped = |name: &str| {
        plan.iter()
            .any(|d| d.action == MedicationAction::Stop && d.name.eq_ignore_ascii_case(name))
    };
    let mut out: Vec<Drug> = case
        .patient
        .medications
        .iter()
        .filter(|m| !stopped(&m.name))
        .map(|m| Drug {
            name: m.name.clone(),
            dose: m.dose.clone(),
            indication: m.indication.clone(),
            new: false,
            item: spec
                .medications
                .iter()
                .position(|s| s.name == m.name && s.dose == m.dose)
                .or_else(|| spec.medications.iter().position(|s| s.name == m.name))
                .map(|i| format!("patient.medications[{i}]")),
        })
        .collect();
    for (i, d) in plan.iter().enumerate() {
        if d.action == MedicationAction::Stop {
            continue;
        }
        let home = case.patient.medications.iter().find(|m| m.name == d.name);
        out.push(Drug {
            name: d.name.clone(),
            dose: d
                .dose
                .clone()
                .or_else(|| home.map(|m| m.dose.clone()))
                .unwrap_or_default(),
            indication: d.reason.clone(),
            new: d.action == MedicationAction::New,
            item: Some(format!("task.medication_plan[{i}]")),
        });
    }
    out
}

fn medication_safety(spec: &PatientSpec, case: &Case, out: &mut Vec<Violation>) {
    let p = &case.patient;
    let notes = p
        .notes
        .iter()
        .map(|n| n.text.to_lowercase())
        .collect::<Vec<_>>()
        .join("\n");
    for m in drugs(spec, case) {
        let text = format!("{} {}", m.name, m.indication).to_lowercase();
        for rule in medication_rules() {
            if !rule.drug.iter().any(|w| text.contains(w)) {
                continue;
            }
            if rule.unless_note.as_ref().is_some_and(|u| notes.contains(u)) {
                continue;
            }
            if let Some(why) = breaks(rule, p, &m.dose, m.new) {
                push(
                    out,
                    &rule.id,
                    format!(
                        "{}{} {} with {why}",
                        if m.new { "new prescription " } else { "" },
                        m.name,
                        m.dose
                    ),
                    m.item.clone(),
                );
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Language

/// Every text a learner reads about the patient, with the scenario item that produced it.
fn texts(spec: &PatientSpec, case: &Case) -> Vec<(String, Option<String>, String)> {
    let mut out: Vec<(String, Option<String>, String)> = case
        .patient
        .notes
        .iter()
        .map(|n| (n.kind.clone(), note_item(spec, &n.kind, ""), n.text.clone()))
        .collect();
    if let TaskMaterial::Charting(m) = &case.task {
        out.push((m.source_kind.clone(), Some("task".into()), m.source.clone()));
    }
    out
}

fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric() && c != '\'')
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

fn wrong_pronouns(sex: Sex) -> &'static [&'static str] {
    match sex {
        Sex::Female => &["he", "his", "him", "he's", "himself"],
        Sex::Male => &["she", "her", "hers", "she's", "herself"],
    }
}

/// Triage arrivals: the chief complaint and what the nurse sees speak of the patient.
fn arrival_pronouns(scenario: &Scenario, case: &Case, out: &mut Vec<Violation>) {
    let TaskMaterial::Triage(m) = &case.task else {
        return;
    };
    for a in &m.arrivals {
        let sex = arrival_sex(&a.sex);
        let mut text = a.presentation.chief_complaint.clone();
        for o in &a.observations {
            text.push('\n');
            text.push_str(o);
        }
        let found: Vec<String> = words(&text)
            .into_iter()
            .filter(|w| wrong_pronouns(sex).contains(&w.as_str()))
            .collect();
        if let Some(first) = found.first() {
            push(
                out,
                "language.pronouns",
                format!(
                    "arrival {} ({}): the complaint or observations say \"{first}\" of a {} patient",
                    a.id,
                    a.case_id,
                    sex.label().to_lowercase()
                ),
                triage_case(scenario, &a.case_id).map(|(i, _)| format!("task.shift.cases[{i}]")),
            );
        }
    }
}

fn pronouns(scenario: &Scenario, case: &Case, out: &mut Vec<Violation>) {
    let spec = &scenario.patient;
    if matches!(case.task, TaskMaterial::Triage(_)) {
        arrival_pronouns(scenario, case, out);
        return;
    }
    let sex = case.patient.demographics.sex;
    let wrong = wrong_pronouns(sex);
    for (kind, item, text) in texts(spec, case) {
        let found: Vec<String> = words(&text)
            .into_iter()
            .filter(|w| wrong.contains(&w.as_str()))
            .collect();
        if let Some(first) = found.first() {
            let item = item.and_then(|i| {
                if i.starts_with("patient.notes") {
                    note_item(spec, &kind, &format!(" {first} "))
                } else {
                    Some(i)
                }
            });
            push(
                out,
                "language.pronouns",
                format!(
                    "{kind} says \"{first}\" ({} time{}) of a {} patient",
                    found.len(),
                    if found.len() == 1 { "" } else { "s" },
                    sex.label().to_lowercase()
                ),
                item,
            );
        }
    }
}

fn age_words(spec: &PatientSpec, case: &Case, out: &mut Vec<Violation>) {
    let d = &case.patient.demographics;
    for (kind, item, text) in texts(spec, case) {
        let w = words(&text);
        for i in 0..w.len().saturating_sub(3) {
            if w[i + 1] != "year" || w[i + 2] != "old" {
                continue;
            }
            let Ok(n) = w[i].parse::<u32>() else {
                continue;
            };
            let noun = w[i + 3].as_str();
            let (sex, adult) = match noun {
                "man" | "gentleman" | "male" => (Some(Sex::Male), Some(true)),
                "woman" | "lady" | "female" => (Some(Sex::Female), Some(true)),
                "boy" => (Some(Sex::Male), Some(false)),
                "girl" => (Some(Sex::Female), Some(false)),
                _ => (None, None),
            };
            let adult_word = matches!(noun, "man" | "gentleman" | "woman" | "lady");
            let mut wrong = Vec::new();
            if n + 1 < d.age_years || n > d.age_years {
                wrong.push(format!("the patient is {}", d.age_years));
            }
            if sex.is_some_and(|s| s != d.sex) {
                wrong.push(format!("the patient is {}", d.sex.label().to_lowercase()));
            }
            if adult == Some(false) && n >= 18 || adult_word && n < 13 {
                wrong.push(format!("\"{noun}\" does not fit age {n}"));
            }
            if !wrong.is_empty() {
                push(
                    out,
                    "language.age_words",
                    format!("{kind} says \"{n}-year-old {noun}\": {}", wrong.join("; ")),
                    item.clone(),
                );
            }
        }
    }
}

fn kinship(p: &Patient, out: &mut Vec<Violation>) {
    let age = p.demographics.age_years;
    let relationship = p.demographics.emergency_contact.relationship.as_str();
    let fits = match relationship {
        "Son" | "Daughter" | "Child" => age >= 36,
        "Spouse" | "Partner" | "Husband" | "Wife" => age >= 18,
        "Mother" | "Father" | "Parent" | "Guardian" => age <= 70,
        "Grandmother" | "Grandfather" | "Grandparent" => age < 40,
        _ => true,
    };
    if !fits {
        push(
            out,
            "language.kinship",
            format!(
                "a {age}-year-old patient with a {} as emergency contact",
                relationship.to_lowercase()
            ),
            None,
        );
    }
}

/// The scale's values and the ages it fits, by name: (max score, step, from age in days,
/// under age in days).
fn scale_rules(scale: &str) -> (u32, u32, u32, u32) {
    let s = scale.to_lowercase();
    let year = 365;
    if s.contains("wong") || s.contains("faces") {
        (10, 2, 3 * year, u32::MAX)
    } else if s.contains("flacc") {
        (10, 1, 61, 8 * year)
    } else if s.contains("nips") {
        (7, 1, 0, 61)
    } else if s.contains("n-pass") || s.contains("npass") {
        (10, 1, 0, 101)
    } else if s.contains("painad") || s.contains("cpot") {
        (
            if s.contains("cpot") { 8 } else { 10 },
            1,
            18 * year,
            u32::MAX,
        )
    } else if s.contains("vas") {
        (100, 1, 8 * year, u32::MAX)
    } else {
        (10, 1, 8 * year, u32::MAX)
    }
}

fn pain_reading(
    who: &str,
    birth: NaiveDate,
    v: &VitalSigns,
    item: Option<String>,
    out: &mut Vec<Violation>,
) {
    let (max, step, min_days, max_days) = scale_rules(&v.pain_scale);
    let days = u32::try_from((v.taken_at.date() - birth).num_days().max(0)).unwrap_or(u32::MAX);
    let mut wrong = Vec::new();
    if v.pain_score > max || !v.pain_score.is_multiple_of(step) {
        wrong.push(format!(
            "{} is not a {} score (0-{max}{})",
            v.pain_score,
            v.pain_scale,
            if step > 1 {
                format!(" in steps of {step}")
            } else {
                String::new()
            }
        ));
    }
    if days < min_days || days >= max_days {
        wrong.push(format!(
            "{} does not fit a patient aged {}",
            v.pain_scale,
            age_label(days)
        ));
    }
    if !wrong.is_empty() {
        push(
            out,
            "language.pain_scale",
            format!("{who}{}", wrong.join("; ")),
            item,
        );
    }
}

fn age_label(days: u32) -> String {
    match days {
        d if d < 61 => format!("{d} days"),
        d if d < 730 => format!("{} months", d * 12 / 365),
        d => format!("{} years", d / 365),
    }
}

fn pain_scale(scenario: &Scenario, case: &Case, out: &mut Vec<Violation>) {
    match &case.task {
        TaskMaterial::Triage(m) => {
            for a in &m.arrivals {
                let item = triage_case(scenario, &a.case_id).map(|(i, v)| match v {
                    Some(_) => format!("task.shift.cases[{i}].vitals.pain_scale"),
                    None => format!("task.shift.cases[{i}]"),
                });
                pain_reading(
                    &format!("arrival {} ({}): ", a.id, a.case_id),
                    a.birth_date,
                    &a.vitals,
                    item,
                    out,
                );
            }
        }
        TaskMaterial::Charting(_)
        | TaskMaterial::Coding(_)
        | TaskMaterial::Hospice(_)
        | TaskMaterial::Roi(_)
        | TaskMaterial::Claims(_)
        | TaskMaterial::AccessAudit(_) => {
            let p = &case.patient;
            // One report per series: the first wrong reading.
            let before = out.len();
            for v in &p.vitals {
                pain_reading(
                    "",
                    p.demographics.birth_date,
                    v,
                    Some("patient.vitals.pain_scale".into()),
                    out,
                );
                if out.len() > before {
                    break;
                }
            }
        }
    }
}

fn duplicated_phrases(spec: &PatientSpec, case: &Case, out: &mut Vec<Violation>) {
    let mut all = texts(spec, case);
    for (i, m) in case.patient.medications.iter().enumerate() {
        let item = spec
            .medications
            .iter()
            .position(|s| s.name == m.name)
            .map_or_else(
                || format!("medication {i}"),
                |j| format!("patient.medications[{j}]"),
            );
        all.push((
            format!("medication line {}", m.name),
            Some(item),
            format!(
                "{} {} {} {}",
                m.name,
                m.dose,
                m.route,
                m.frequency_and_indication()
            ),
        ));
    }
    for (kind, item, text) in all {
        let raw: Vec<&str> = text.split_whitespace().collect();
        // Words without their surrounding punctuation; a phrase never spans a punctuation mark.
        let w: Vec<&str> = raw
            .iter()
            .map(|x| x.trim_matches(|c: char| !c.is_alphanumeric()))
            .collect();
        let plain = |i: usize| {
            w[i].chars().any(char::is_alphabetic)
                && !raw[i].ends_with(|c: char| !c.is_alphanumeric() && c != '\'')
        };
        'found: for n in 2..=4 {
            for i in 0..w.len().saturating_sub(2 * n - 1) {
                let (a, b) = (&w[i..i + n], &w[i + n..i + 2 * n]);
                if (i..i + n).all(plain) && a.iter().zip(b).all(|(x, y)| x.eq_ignore_ascii_case(y))
                {
                    push(
                        out,
                        "language.duplicated_phrase",
                        format!("{kind} repeats \"{}\"", a.join(" ")),
                        item.clone(),
                    );
                    break 'found;
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Time

fn end_of(day: NaiveDate) -> NaiveDateTime {
    day.and_hms_opt(23, 59, 59).unwrap_or_default()
}

fn encounter_times(case: &Case, out: &mut Vec<Violation>) {
    let p = &case.patient;
    let Some(current) = p.current_encounter() else {
        return;
    };
    for (i, e) in p.encounters.iter().enumerate() {
        let mut wrong = Vec::new();
        if e.end.is_some_and(|end| end < e.start) {
            wrong.push("ends before it starts".to_string());
        }
        if e.start > end_of(case.as_of) {
            wrong.push(format!("starts after the exercise date {}", case.as_of));
        }
        if i + 1 < p.encounters.len() && e.start >= current.start {
            wrong.push(format!(
                "an earlier visit on or after the current encounter ({})",
                current.start
            ));
        }
        if !wrong.is_empty() {
            push(
                out,
                "time.encounters",
                format!(
                    "{} {} on {}: {}",
                    e.setting.label(),
                    e.id,
                    e.start,
                    wrong.join("; ")
                ),
                Some("patient.encounter".into()),
            );
        }
    }
}

/// Where the current encounter's documentation may lie: from its start to its end (a day
/// later for notes written after discharge) or to the end of the exercise date.
fn window(case: &Case) -> Option<(NaiveDateTime, NaiveDateTime)> {
    let e = case.patient.current_encounter()?;
    let mut start = e.start;
    if let TaskMaterial::Hospice(m) = &case.task
        && let Some(election) = m.timeline.elections.last()
    {
        start = start.max(
            election
                .effective_date
                .and_hms_opt(0, 0, 0)
                .unwrap_or(start),
        );
    }
    let end = e
        .end
        .map_or_else(|| end_of(case.as_of), |end| end + TimeDelta::days(1));
    Some((start, end))
}

fn note_times(spec: &PatientSpec, case: &Case, out: &mut Vec<Violation>) {
    let Some((start, end)) = window(case) else {
        return;
    };
    let hospice = matches!(case.task, TaskMaterial::Hospice(_));
    for n in &case.patient.notes {
        if n.written_at < start || n.written_at > end {
            push(
                out,
                "time.notes",
                format!(
                    "{} written {} outside the {} {start} to {end}",
                    n.kind,
                    n.written_at,
                    if hospice {
                        "election (effective date to exercise date)"
                    } else {
                        "encounter"
                    }
                ),
                note_item(spec, &n.kind, ""),
            );
        }
    }
}

fn series_times(spec: &PatientSpec, p: &Patient, as_of: NaiveDate, out: &mut Vec<Violation>) {
    let Some(e) = p.current_encounter() else {
        return;
    };
    let until = e.end.unwrap_or_else(|| end_of(as_of)).to_string();
    // A stay's series lies inside the stay (an open one up to the exercise date); a visit's labs
    // may be drawn after it, the same day.
    let end = match e.setting {
        Setting::Inpatient | Setting::Hospice => e.end.unwrap_or_else(|| end_of(as_of)),
        Setting::Office | Setting::Emergency => {
            e.end.unwrap_or(e.start).max(end_of(e.start.date()))
        }
    };
    if let Some(v) = p
        .vitals
        .iter()
        .find(|v| v.taken_at < e.start || v.taken_at > end)
    {
        push(
            out,
            "time.series",
            format!(
                "vital signs at {} outside the encounter {} to {until}",
                v.taken_at, e.start
            ),
            Some("patient.vitals".into()),
        );
    }
    // The scenario's own panel (results imported from a record keep their own dates).
    for l in p.labs.iter().filter(|l| {
        spec.labs.iter().any(|s| s.name == l.name)
            && (l.collected_at < e.start || l.collected_at > end)
    }) {
        push(
            out,
            "time.series",
            format!(
                "{} collected {} outside the encounter {} to {until}",
                l.name, l.collected_at, e.start
            ),
            lab_item(spec, &l.name),
        );
    }
}

/// The number right after `prefix` in `text` (case-insensitive).
fn number_after(text: &str, prefix: &str) -> Option<f64> {
    let lower = text.to_lowercase();
    let rest = &lower[lower.find(&prefix.to_lowercase())? + prefix.len()..];
    let end = rest
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(rest.len());
    rest[..end].trim_end_matches('.').parse().ok()
}

fn arrival_values(spec: &PatientSpec, p: &Patient, out: &mut Vec<Violation>) {
    let (Some(first), Some(e)) = (p.vitals.first(), p.current_encounter()) else {
        return;
    };
    for n in p
        .notes
        .iter()
        .filter(|n| n.text.to_lowercase().contains("on arrival"))
    {
        let item = note_item(spec, &n.kind, "on arrival");
        let lower = n.text.to_lowercase();
        let mut wrong = Vec::new();
        if let Some(at) = lower.find(" c on arrival")
            && let Some(t_at) = lower[..at].rfind("t ")
            && let Ok(t) = lower[t_at + 2..at].trim().parse::<f64>()
            && (t - first.temperature_c).abs() > 0.05
        {
            wrong.push(format!(
                "T {t} C on arrival, first reading {:.1} C",
                first.temperature_c
            ));
        }
        if let Some(hr) = number_after(&n.text, "HR ")
            && lower.contains(&format!("hr {hr} on arrival"))
            && (hr - f64::from(first.heart_rate_bpm)).abs() > 0.5
        {
            wrong.push(format!(
                "HR {hr} on arrival, first reading {}",
                first.heart_rate_bpm
            ));
        }
        if (first.taken_at - e.start).num_minutes() > 60 && e.setting == Setting::Inpatient {
            wrong.push(format!(
                "the first reading is at {}, arrival at {}",
                first.taken_at, e.start
            ));
        }
        if !wrong.is_empty() {
            push(
                out,
                "time.arrival",
                format!("{}: {}", n.kind, wrong.join("; ")),
                item,
            );
        }
    }
}

fn postoperative_day(spec: &PatientSpec, p: &Patient, out: &mut Vec<Violation>) {
    let Some(e) = p.current_encounter() else {
        return;
    };
    for n in &p.notes {
        let Some(pod) =
            number_after(&n.text, "postoperative day ").or_else(|| number_after(&n.text, "POD "))
        else {
            continue;
        };
        let day = e
            .end
            .map_or(n.written_at, |end| end.min(n.written_at.max(e.start)))
            .date();
        let since_admission = (day - e.start.date()).num_days() as f64;
        let on_admission = n.text.to_lowercase().contains("day of admission");
        let wrong = if on_admission {
            (pod - since_admission).abs() > 0.5
        } else {
            pod > since_admission
        };
        if wrong {
            push(
                out,
                "time.postoperative_day",
                format!(
                    "{} says postoperative day {pod}; {since_admission} days from admission {} to {day}{}",
                    n.kind,
                    e.start.date(),
                    if on_admission {
                        " with the procedure on the day of admission"
                    } else {
                        ""
                    }
                ),
                note_item(spec, &n.kind, "postoperative day"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_medication_rule_parses() {
        assert_eq!(medication_rules().len(), table_lines().count());
        let ids: std::collections::BTreeSet<String> = rules().into_iter().map(|r| r.id).collect();
        assert_eq!(ids.len(), rules().len(), "rule ids are unique");
    }

    #[test]
    fn ckd_stage_phrases_are_found() {
        assert_eq!(stated_stages("CKD stage 3b, on lisinopril"), vec!["3b"]);
        assert_eq!(stated_stages("chronic kidney disease, stage 4."), vec!["4"]);
        assert!(stated_stages("CKD stage 3 unspecified").is_empty());
    }
}
