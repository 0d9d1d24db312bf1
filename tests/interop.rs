//! Interoperability: FHIR R4 export of every shipped scenario validates against the official
//! FHIR R4 JSON schema and every reference resolves; ids are stable for a seed; the Synthea
//! importer reads real Synthea bundles and reports broken ones with file and JSON path;
//! scenarios that take their patient from a Synthea bundle generate cases on top of it.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::OnceLock;

use ehr_sim::case::{Case, generate};
use ehr_sim::fhir_export::{self, ICD10CM_SYSTEM, SYNTHETIC_TAG_CODE};
use ehr_sim::interop::synthea::{self, SyntheaError};
use ehr_sim::library::ContentRoot;
use ehr_sim::patient::{CodeSystem, ConditionStatus, Sex};
use ehr_sim::scenario::{LoadedScenario, load_file, validate};
use serde_json::Value;

const SEEDS: [u64; 3] = [1, 7, 2026];

fn manifest() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A real Synthea bundle shipped with the project (see the README beside each folder).
fn shared_synthea(name: &str) -> PathBuf {
    if name == "patient_1.json" {
        manifest().join("scenarios/synthea").join(name)
    } else {
        manifest()
            .join("tests/fixtures/interop/synthea_bundles")
            .join(name)
    }
}

fn broken(name: &str) -> PathBuf {
    manifest().join("tests/fixtures/interop/synthea").join(name)
}

fn shipped() -> Vec<LoadedScenario> {
    let (ok, broken) = ContentRoot::at(manifest())
        .load_all()
        .expect("scenarios folder");
    assert!(broken.is_empty(), "broken shipped scenarios: {broken:?}");
    ok
}

/// The FHIR R4 schema, compiled once for the whole test binary.
fn schema() -> &'static jsonschema::Validator {
    static VALIDATOR: OnceLock<jsonschema::Validator> = OnceLock::new();
    VALIDATOR.get_or_init(|| {
        let text =
            std::fs::read_to_string(manifest().join("tests/fixtures/interop/fhir.schema.json"))
                .expect("schema file");
        let schema: Value = serde_json::from_str(&text).expect("schema JSON");
        jsonschema::validator_for(&schema).expect("schema compiles")
    })
}

/// Schema problems; for a bundle, names each failing resource (the schema's top-level `oneOf`
/// otherwise hides which one it is).
fn schema_errors(value: &Value) -> Vec<String> {
    if schema().is_valid(value) {
        return Vec::new();
    }
    let mut out = Vec::new();
    if let Some(list) = value["entry"].as_array() {
        for (i, e) in list.iter().enumerate() {
            if !schema().is_valid(&e["resource"]) {
                let text = e["resource"].to_string();
                out.push(format!(
                    "entry[{i}] {} is invalid: {}",
                    e["resource"]["resourceType"],
                    text.get(..600).unwrap_or(&text)
                ));
            }
        }
    }
    if out.is_empty() {
        out.push("the bundle is invalid".to_string());
    }
    out
}

/// Every `reference` string anywhere in the bundle.
fn references(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                if k == "reference"
                    && let Some(s) = child.as_str()
                {
                    out.push(s.to_string());
                }
                references(child, out);
            }
        }
        Value::Array(list) => list.iter().for_each(|c| references(c, out)),
        Value::Null | Value::Bool(_) | Value::Number(_) | Value::String(_) => {}
    }
}

fn entries(bundle: &Value) -> &Vec<Value> {
    bundle["entry"].as_array().expect("entry list")
}

fn resources_of<'a>(bundle: &'a Value, kind: &str) -> Vec<&'a Value> {
    entries(bundle)
        .iter()
        .map(|e| &e["resource"])
        .filter(|r| r["resourceType"] == kind)
        .collect()
}

/// Checks the invariants every export must hold; returns the problems.
fn check_bundle(case: &Case, bundle: &Value) -> Vec<String> {
    let mut problems = schema_errors(bundle);
    let urls: BTreeSet<&str> = entries(bundle)
        .iter()
        .map(|e| e["fullUrl"].as_str().expect("fullUrl"))
        .collect();
    if urls.len() != entries(bundle).len() {
        problems.push("duplicate fullUrl".into());
    }
    let mut refs = Vec::new();
    references(bundle, &mut refs);
    for r in refs {
        if !urls.contains(r.as_str()) {
            problems.push(format!("reference {r} does not resolve"));
        }
    }
    for e in entries(bundle) {
        let r = &e["resource"];
        if e["fullUrl"] != format!("urn:uuid:{}", r["id"].as_str().unwrap_or_default()) {
            problems.push(format!("fullUrl {} does not match id", e["fullUrl"]));
        }
        if r["meta"]["tag"][0]["code"] != SYNTHETIC_TAG_CODE {
            problems.push(format!("{} without the synthetic tag", r["resourceType"]));
        }
    }
    if bundle["meta"]["tag"][0]["code"] != SYNTHETIC_TAG_CODE || bundle["type"] != "collection" {
        problems.push("bundle not a tagged collection".into());
    }
    let patients = resources_of(bundle, "Patient");
    if patients.len() != 1
        || patients[0]["identifier"][0]["value"] != case.patient.demographics.mrn.as_str()
    {
        problems.push("exactly one Patient with the MRN expected".into());
    }
    problems
}

#[test]
fn every_shipped_scenario_exports_valid_fhir_for_several_seeds() {
    let scenarios = shipped();
    assert!(scenarios.len() >= 13, "{} scenarios", scenarios.len());
    let mut failures = Vec::new();
    let mut seen = BTreeSet::new();
    for s in &scenarios {
        for seed in SEEDS {
            let case = generate(s, seed, 0);
            let bundle = fhir_export::bundle(&case);
            for p in check_bundle(&case, &bundle) {
                failures.push(format!("{} seed {seed}: {p}", s.scenario.id));
            }
            for e in entries(&bundle) {
                let r = &e["resource"];
                seen.insert(r["resourceType"].as_str().unwrap_or_default().to_string());
                if r.get("reaction").is_some() {
                    seen.insert("AllergyIntolerance with a reaction".to_string());
                }
                if r.get("component").is_some() {
                    seen.insert("Observation with components".to_string());
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // The schema has seen every kind of resource the export writes.
    let expected = [
        "AllergyIntolerance",
        "AllergyIntolerance with a reaction",
        "Claim",
        "Condition",
        "DocumentReference",
        "Encounter",
        "MedicationStatement",
        "Observation",
        "Observation with components",
        "Patient",
        "Procedure",
    ];
    assert_eq!(
        seen.iter().map(String::as_str).collect::<Vec<_>>(),
        expected
    );
}

#[test]
fn the_schema_rejects_a_broken_resource() {
    // Guards against a validator that accepts everything.
    let bad = serde_json::json!({"resourceType": "Bundle", "type": "not-a-type", "entry": [
        {"fullUrl": "urn:uuid:x", "resource": {"resourceType": "Patient", "gender": "robot"}}
    ]});
    assert!(!schema_errors(&bad).is_empty());
    let wrong_type = serde_json::json!({"resourceType": "Observation", "status": "final", "code": {"text": "x"}, "valueQuantity": {"value": "high"}});
    assert!(!schema_errors(&wrong_type).is_empty());
}

fn office_case(seed: u64) -> Case {
    let s = load_file(&manifest().join("scenarios/charting/office_htn_diabetes_followup.ron"))
        .expect("scenario");
    generate(&s, seed, 0)
}

#[test]
fn export_is_stable_for_a_seed_and_differs_across_seeds() {
    let a = fhir_export::bundle(&office_case(7));
    assert_eq!(a, fhir_export::bundle(&office_case(7)));
    let b = fhir_export::bundle(&office_case(8));
    assert_ne!(a["entry"][0]["fullUrl"], b["entry"][0]["fullUrl"]);
    let url = a["entry"][0]["fullUrl"].as_str().expect("url");
    assert!(url.starts_with("urn:uuid:") && url.len() == 45, "{url}");
}

#[test]
fn export_carries_codes_units_and_notes() {
    let case = office_case(7);
    let bundle = fhir_export::bundle(&case);
    // Conditions in ICD-10-CM.
    let conditions = resources_of(&bundle, "Condition");
    assert_eq!(conditions.len(), case.patient.conditions.len());
    assert_eq!(conditions[0]["code"]["coding"][0]["system"], ICD10CM_SYSTEM);
    assert_eq!(conditions[0]["code"]["coding"][0]["code"], "I10");
    // Blood pressure as a panel with LOINC components in mm[Hg].
    let obs = resources_of(&bundle, "Observation");
    let bp = obs
        .iter()
        .find(|o| o["code"]["coding"][0]["code"] == "85354-9")
        .expect("BP panel");
    assert_eq!(bp["category"][0]["coding"][0]["code"], "vital-signs");
    assert_eq!(bp["component"][0]["code"]["coding"][0]["code"], "8480-6");
    assert_eq!(bp["component"][1]["code"]["coding"][0]["code"], "8462-4");
    let v = &case.patient.vitals[0];
    assert_eq!(
        bp["component"][0]["valueQuantity"]["value"],
        v.systolic_mmhg
    );
    assert_eq!(bp["component"][0]["valueQuantity"]["code"], "mm[Hg]");
    let temp = obs
        .iter()
        .find(|o| o["code"]["coding"][0]["code"] == "8310-5")
        .expect("temperature");
    assert_eq!(temp["valueQuantity"]["code"], "Cel");
    assert_eq!(temp["valueQuantity"]["value"], v.temperature_c);
    // Labs with reference range and interpretation.
    let a1c = obs
        .iter()
        .find(|o| o["code"]["coding"][0]["code"] == "4548-4")
        .expect("A1c");
    assert_eq!(a1c["category"][0]["coding"][0]["code"], "laboratory");
    assert_eq!(a1c["referenceRange"][0]["high"]["value"], 5.6);
    let lab = case
        .patient
        .labs
        .iter()
        .find(|l| l.name == "Hemoglobin A1c")
        .expect("lab");
    let expected_flag = match lab.flag() {
        ehr_sim::patient::LabFlag::High => "H",
        ehr_sim::patient::LabFlag::Low => "L",
        ehr_sim::patient::LabFlag::Normal => "N",
    };
    assert_eq!(a1c["interpretation"][0]["coding"][0]["code"], expected_flag);
    // Notes as base64 plain text that decodes back to the note.
    let docs = resources_of(&bundle, "DocumentReference");
    assert_eq!(docs.len(), case.patient.notes.len());
    let attachment = &docs[0]["content"][0]["attachment"];
    assert_eq!(attachment["contentType"], "text/plain");
    use base64::Engine as _;
    let text = base64::engine::general_purpose::STANDARD
        .decode(attachment["data"].as_str().expect("data"))
        .expect("base64");
    assert_eq!(
        String::from_utf8(text).expect("utf8"),
        case.patient.notes[0].text
    );
    // Medications and allergies (or an explicit no-known-allergy statement).
    assert_eq!(
        resources_of(&bundle, "MedicationStatement").len(),
        case.patient.medications.len()
    );
    let allergies = resources_of(&bundle, "AllergyIntolerance");
    assert_eq!(allergies.len(), case.patient.allergies.len().max(1));
}

#[test]
fn inpatient_procedures_are_icd10pcs() {
    let s = load_file(&manifest().join("scenarios/coding/inpatient_lap_cholecystectomy.ron"))
        .expect("scenario");
    let case = generate(&s, 3, 0);
    let bundle = fhir_export::bundle(&case);
    let pcs: Vec<&str> = case
        .patient
        .conditions
        .iter()
        .flat_map(|c| c.codes.iter())
        .filter(|c| c.system == CodeSystem::Icd10Pcs)
        .map(|c| c.code.as_str())
        .collect();
    assert!(!pcs.is_empty());
    let procedures = resources_of(&bundle, "Procedure");
    assert_eq!(procedures.len(), pcs.len());
    assert_eq!(
        procedures[0]["code"]["coding"][0]["system"],
        "http://www.cms.gov/Medicare/Coding/ICD10"
    );
    assert_eq!(procedures[0]["code"]["coding"][0]["code"], pcs[0]);
}

fn ehr_sim(args: &[&str]) -> Output {
    crate::ehr_sim_command()
        .args(args)
        .current_dir(manifest())
        .env_remove("EHR_SIM_HOME")
        .output()
        .expect("run ehr-sim")
}

#[test]
fn cli_generate_fhir_prints_one_bundle_or_an_array() {
    let one = ehr_sim(&[
        "generate",
        "infant_fever",
        "--seed",
        "7",
        "--format",
        "fhir",
    ]);
    assert!(
        one.status.success(),
        "{}",
        String::from_utf8_lossy(&one.stderr)
    );
    let v: Value = serde_json::from_slice(&one.stdout).expect("json");
    assert_eq!(v["resourceType"], "Bundle");
    let two = ehr_sim(&[
        "generate",
        "infant_fever",
        "--seed",
        "7",
        "--count",
        "2",
        "--format",
        "fhir",
    ]);
    let v2: Value = serde_json::from_slice(&two.stdout).expect("json");
    assert_eq!(v2.as_array().map(Vec::len), Some(2));
    assert_eq!(v2[0], v);
}

// ---- Synthea import ----

#[test]
fn reads_the_three_shared_synthea_bundles() {
    let expected = [
        (
            "patient_0.json",
            "Ned",
            "Hintz",
            Sex::Male,
            "1993-12-08",
            6,
            3,
            0,
            0,
        ),
        (
            "patient_1.json",
            "Trent",
            "Jaskolski",
            Sex::Male,
            "1992-08-17",
            15,
            10,
            1,
            0,
        ),
        (
            "patient_2.json",
            "Moises",
            "Rohan",
            Sex::Male,
            "2019-03-16",
            16,
            4,
            2,
            5,
        ),
    ];
    for (file, given, family, sex, birth, encounters, conditions, active_meds, allergies) in
        expected
    {
        let p = synthea::load(&shared_synthea(file)).expect(file);
        assert_eq!(p.given_name, given, "{file}");
        assert_eq!(p.family_name, family, "{file}");
        assert_eq!(p.sex, sex, "{file}");
        assert_eq!(p.birth_date.to_string(), birth, "{file}");
        assert_eq!(p.encounters.len(), encounters, "{file}");
        assert_eq!(p.conditions.len(), conditions, "{file}");
        assert_eq!(
            p.medications.iter().filter(|m| m.active).count(),
            active_meds,
            "{file}"
        );
        assert_eq!(p.allergies.len(), allergies, "{file}");
        assert!(p.encounters.windows(2).all(|w| w[0].start <= w[1].start));
    }
    let p1 = synthea::load(&shared_synthea("patient_1.json")).expect("p1");
    let htn = p1
        .conditions
        .iter()
        .find(|c| c.snomed.as_deref() == Some("38341003"))
        .expect("hypertension");
    assert_eq!(htn.display, "Hypertension");
    assert!(htn.active);
    assert_eq!(
        htn.onset.map(|d| d.to_string()).as_deref(),
        Some("2010-10-11")
    );
    let hctz = p1.medications.iter().find(|m| m.active).expect("HCTZ");
    assert_eq!(hctz.display, "Hydrochlorothiazide 25 MG");
    assert_eq!(hctz.reason.as_deref(), Some("Hypertension"));
    assert_eq!(p1.counts.get("Claim"), Some(&18));
    let p2 = synthea::load(&shared_synthea("patient_2.json")).expect("p2");
    assert_eq!(p2.allergies[0].display, "Allergy to mould");
    let skipped_claims = p2
        .skipped
        .iter()
        .find(|s| s.resource_type == "Claim")
        .expect("claims skipped");
    assert_eq!(skipped_claims.count, 21);
    assert_eq!(
        skipped_claims.reason,
        "billing records are not part of the chart"
    );
}

#[test]
fn broken_bundles_name_the_file_and_json_path() {
    let cases = [
        (
            "not_json.json",
            "not_json.json:3:0: not valid JSON: EOF while parsing an object at line 3 column 0",
        ),
        (
            "not_a_bundle.json",
            "not_a_bundle.json: resourceType: not a FHIR Bundle (resourceType must be \"Bundle\"); export the patient from Synthea with FHIR R4 output",
        ),
        (
            "no_patient.json",
            "no_patient.json: entry: the bundle has no Patient resource; export a patient bundle, not a practitioner or hospital file",
        ),
        (
            "missing_birth_date.json",
            "missing_birth_date.json: entry[0].resource.birthDate: missing text field `birthDate`",
        ),
        (
            "missing_period_start.json",
            "missing_period_start.json: entry[1].resource.period.start: missing text field `start`",
        ),
        (
            "bad_onset.json",
            "bad_onset.json: entry[1].resource.onsetDateTime: `last spring` is not a FHIR dateTime (e.g. 2019-03-17T00:49:23+00:00)",
        ),
    ];
    for (file, message) in cases {
        let err = synthea::load(&broken(file)).expect_err(file).to_string();
        assert!(err.ends_with(message), "{err}");
        assert!(
            err.starts_with(&broken(file).display().to_string()),
            "{err}"
        );
    }
    // On disk, every broken fixture is covered.
    let on_disk = std::fs::read_dir(manifest().join("tests/fixtures/interop/synthea"))
        .expect("dir")
        .count();
    assert_eq!(on_disk, cases.len());
    assert!(matches!(
        synthea::load(&broken("absent.json")),
        Err(SyntheaError::Read { .. })
    ));
}

#[test]
fn cli_import_summarises_and_reports_errors() {
    let o = ehr_sim(&["import", "synthea", "scenarios/synthea/patient_1.json"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("Patient: Trent Jaskolski, male, born 1992-08-17, speaks English"),
        "{out}"
    );
    assert!(
        out.contains("  38341003   active   onset 2010-10-11  Hypertension"),
        "{out}"
    );
    assert!(
        out.contains("    18 Claim: billing records are not part of the chart"),
        "{out}"
    );
    let j = ehr_sim(&[
        "import",
        "synthea",
        "tests/fixtures/interop/synthea_bundles/patient_2.json",
        "--json",
    ]);
    let v: Value = serde_json::from_slice(&j.stdout).expect("json");
    assert_eq!(v["patient"]["family_name"], "Rohan");
    assert_eq!(v["resource_counts"]["Observation"], 72);
    assert_eq!(v["imported"]["allergies_active"], 5);
    assert_eq!(v["conditions"][0]["snomed"], "195662009");
    let bad = ehr_sim(&[
        "import",
        "synthea",
        "tests/fixtures/interop/synthea/no_patient.json",
    ]);
    assert_eq!(bad.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&bad.stderr),
        "error: tests/fixtures/interop/synthea/no_patient.json: entry: the bundle has no Patient resource; export a patient bundle, not a practitioner or hospital file\n"
    );
}

fn synthea_scenario(rel: &str) -> LoadedScenario {
    let s = load_file(&manifest().join(rel)).expect(rel);
    let errors: Vec<String> = validate::validate(&s, Some(&manifest().join("grading")))
        .into_iter()
        .map(|d| d.to_string())
        .collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    s
}

#[test]
fn a_synthea_patient_seeds_a_charting_case() {
    let s = synthea_scenario("scenarios/charting/synthea_htn_back_pain.ron");
    let case = generate(&s, 3, 0);
    assert_eq!(case, generate(&s, 3, 0), "deterministic");
    let p = &case.patient;
    assert_eq!(p.banner_name(), "JASKOLSKI, Trent");
    assert_eq!(p.demographics.sex, Sex::Male);
    // Birth date shifted by whole weeks with the history: 1992-08-17 (a Monday) moves to a Monday.
    use chrono::Datelike;
    assert_eq!(p.demographics.birth_date.weekday(), chrono::Weekday::Mon);
    assert_eq!(p.demographics.age_years, 28);
    // History from the bundle, then today's visit generated by the scenario.
    assert_eq!(p.encounters.len(), 16);
    let current = p.current_encounter().expect("current");
    assert_eq!(current.start.date(), case.as_of);
    let last_history = &p.encounters[14];
    let gap = (current.start.date() - last_history.start.date()).num_days();
    assert!((28..35).contains(&gap), "gap {gap}");
    // Today's condition first, then the imported ones mapped to ICD-10-CM with SNOMED kept.
    assert_eq!(p.conditions[0].codes[0].code, "M54.50");
    let htn = p
        .conditions
        .iter()
        .find(|c| c.display == "Hypertension")
        .expect("htn");
    assert_eq!(htn.codes[0].code, "I10");
    assert_eq!(htn.codes[0].system, CodeSystem::Icd10Cm);
    assert_eq!(htn.codes[1].system, CodeSystem::Snomed);
    assert_eq!(htn.codes[1].code, "38341003");
    let appendicitis = p
        .conditions
        .iter()
        .find(|c| c.display == "Appendicitis")
        .expect("app");
    assert_eq!(appendicitis.status, ConditionStatus::Resolved);
    // The bundle's active medication, completed by the scenario's entry for it.
    assert_eq!(p.medications.len(), 1);
    assert_eq!(
        p.medications[0].sig(),
        "hydrochlorothiazide 25 mg PO once daily in the morning"
    );
    assert!(p.no_known_allergies);
    // The bundle's latest body measures in today's reading.
    assert_eq!(p.vitals.len(), 1);
    assert_eq!(p.vitals[0].height_cm, 174.3);
    assert_eq!(p.vitals[0].weight_kg, 75.6);
    // The bundle's latest lab draw follows today's labs, dated in the shifted history.
    assert_eq!(p.labs[0].name, "Sodium");
    let egfr = p
        .labs
        .iter()
        .find(|l| l.loinc.as_deref() == Some("33914-3"))
        .expect("eGFR");
    assert_eq!(egfr.value, 122.44);
    assert_eq!(egfr.collected_at.date(), last_history.start.date());
    // Notes are rendered over the imported patient.
    assert!(
        p.notes
            .iter()
            .any(|n| n.text.contains("Patient: Trent Jaskolski"))
    );
    assert!(
        p.notes
            .iter()
            .any(|n| n.text.contains("hydrochlorothiazide"))
    );
}

#[test]
fn a_synthea_patient_seeds_a_coding_case() {
    let s = synthea_scenario("scenarios/coding/synthea_bronchitis_htn.ron");
    for seed in SEEDS {
        let case = generate(&s, seed, 0);
        let p = &case.patient;
        let active_icd: Vec<&str> = p
            .conditions
            .iter()
            .filter(|c| c.status == ConditionStatus::Active)
            .flat_map(|c| c.codes.iter())
            .filter(|c| c.system == CodeSystem::Icd10Cm)
            .map(|c| c.code.as_str())
            .collect();
        assert_eq!(
            active_icd,
            ["J20.9", "Z90.49", "J32.9", "I10"],
            "seed {seed}"
        );
        assert_eq!(p.demographics.family_name, "Jaskolski");
        let note = &p.notes[0].text;
        assert!(note.contains("1. Acute bronchitis."), "{note}");
        let bundle = fhir_export::bundle(&case);
        let imported = resources_of(&bundle, "Condition")
            .into_iter()
            .filter(|c| c["category"][0]["coding"][0]["code"] == "problem-list-item")
            .count();
        assert_eq!(imported, 10);
        // A resolved imported condition carries its abatement date; labs without a reference
        // range carry no interpretation.
        let sprain = resources_of(&bundle, "Condition")
            .into_iter()
            .find(|c| c["code"]["text"] == "Sprain of ankle")
            .expect("sprain");
        assert_eq!(sprain["clinicalStatus"]["coding"][0]["code"], "resolved");
        assert!(sprain["abatementDateTime"].is_string());
        let egfr = resources_of(&bundle, "Observation")
            .into_iter()
            .find(|o| o["code"]["coding"][0]["code"] == "33914-3")
            .expect("eGFR");
        assert!(egfr.get("interpretation").is_none());
        assert!(egfr.get("referenceRange").is_none());
    }
}

#[test]
fn an_unloaded_synthea_source_is_a_validation_error() {
    let path = manifest().join("scenarios/coding/synthea_bronchitis_htn.ron");
    let text = std::fs::read_to_string(&path).expect("read");
    let scenario = ehr_sim::scenario::parse(&path, &text).expect("parse");
    let loaded = LoadedScenario {
        path: path.clone(),
        content_sha256: String::new(),
        scenario,
        bundle: None,
    };
    let messages: Vec<String> = validate::validate(&loaded, None)
        .into_iter()
        .map(|d| d.to_string())
        .collect();
    assert!(
        messages
            .iter()
            .any(|m| m.contains("patient.patient_source.path: the Synthea bundle was not read")),
        "{messages:?}"
    );
}

#[test]
fn a_missing_bundle_fails_the_scenario_load_with_its_path() {
    let dir = std::env::temp_dir().join(format!("ehr-sim-interop-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let text =
        std::fs::read_to_string(manifest().join("scenarios/coding/synthea_bronchitis_htn.ron"))
            .expect("read")
            .replace("../synthea/patient_1.json", "nowhere.json");
    let file = dir.join("s.ron");
    std::fs::write(&file, text).expect("write");
    let err = load_file(&file).expect_err("must fail").to_string();
    assert!(err.contains("patient.patient_source.path"), "{err}");
    assert!(
        err.contains("the Synthea bundle could not be imported"),
        "{err}"
    );
    assert!(err.contains("nowhere.json: cannot read the file"), "{err}");
    std::fs::remove_dir_all(&dir).ok();
}

mod fuzz {
    use super::*;
    use proptest::prelude::*;

    fn sample() -> &'static str {
        static TEXT: OnceLock<String> = OnceLock::new();
        TEXT.get_or_init(|| {
            std::fs::read_to_string(shared_synthea("patient_0.json")).expect("patient_0")
        })
    }

    /// Removes the `n`-th object key met in a depth-first walk (wrapping); returns whether one was.
    fn remove_nth_key(v: &mut Value, n: &mut usize) -> bool {
        match v {
            Value::Object(map) => {
                let keys: Vec<String> = map.keys().cloned().collect();
                for k in keys {
                    if *n == 0 {
                        map.remove(&k);
                        return true;
                    }
                    *n -= 1;
                    if let Some(child) = map.get_mut(&k)
                        && remove_nth_key(child, n)
                    {
                        return true;
                    }
                }
                false
            }
            Value::Array(list) => list.iter_mut().any(|c| remove_nth_key(c, n)),
            Value::Null | Value::Bool(_) | Value::Number(_) | Value::String(_) => false,
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]

        #[test]
        fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
            let _ = synthea::parse("fuzz.json", &String::from_utf8_lossy(&bytes));
        }

        #[test]
        fn a_truncated_bundle_is_an_error(cut in 0usize..260_000) {
            let text = sample();
            let end = (0..=cut.min(text.len())).rev().find(|i| text.is_char_boundary(*i)).unwrap_or(0);
            let result = synthea::parse("cut.json", &text[..end]);
            let not_json = matches!(result, Err(SyntheaError::NotJson { .. }));
            prop_assert!(not_json, "cut at {}", end);
        }

        #[test]
        fn a_removed_field_never_panics(n in 0usize..6000) {
            let mut v: Value = serde_json::from_str(sample()).expect("json");
            let mut k = n;
            remove_nth_key(&mut v, &mut k);
            match synthea::parse("edited.json", &v.to_string()) {
                Ok(p) => prop_assert_eq!(p.family_name.is_empty(), false),
                Err(SyntheaError::Invalid { path, .. }) => prop_assert!(!path.is_empty()),
                Err(e) => prop_assert!(false, "unexpected {e}"),
            }
        }
    }
}

/// The shipped Synthea bundles are the files their READMEs describe.
#[test]
fn shipped_synthea_bundles_match_their_provenance() {
    use sha2::{Digest, Sha256};
    for (readme, dir) in [
        (
            "tests/fixtures/interop/synthea_bundles/README.md",
            "tests/fixtures/interop/synthea_bundles",
        ),
        ("scenarios/synthea/README.md", "scenarios/synthea"),
    ] {
        let text = std::fs::read_to_string(manifest().join(readme)).unwrap();
        let mut checked = 0;
        for entry in std::fs::read_dir(manifest().join(dir)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "json") {
                let sha = format!("{:x}", Sha256::digest(std::fs::read(&path).unwrap()));
                assert!(
                    text.contains(&sha),
                    "{} (SHA-256 {sha}) is not in {readme}",
                    path.display()
                );
                checked += 1;
            }
        }
        assert!(checked > 0, "{dir}");
        assert!(text.contains("Apache-2.0"), "{readme} names the licence");
    }
}
