//! A generated case as a FHIR R4 `Bundle` of type `collection` (JSON).
//!
//! Resources, in this order: `Patient`; one `Encounter` per visit (oldest first); `Condition`
//! (ICD-10-CM and SNOMED CT codings as the condition carries them); `Procedure` for each
//! ICD-10-PCS code on a condition; vital-sign `Observation`s (LOINC, UCUM, category
//! `vital-signs`, blood pressure as the 85354-9 panel with systolic and diastolic components);
//! lab `Observation`s (category `laboratory`, reference range, interpretation H/L/N);
//! `MedicationStatement`; `AllergyIntolerance` (or one "No known allergy" statement);
//! `DocumentReference` per note (plain text as a base64 attachment); for a claims case, its key
//! claim as a `Claim` (`crate::tasks::claims::fhir`).
//!
//! Invariants: pure (no clock; times are the chart's, written as UTC — see
//! [`ids::date_time`]); ids derive from the patient seed ([`ResourceId`]); every
//! `reference` points at a `fullUrl` in the same bundle; every resource, the bundle included,
//! carries the `HTEST` ("test health data") tag; the patient carries the MRN as an `MR`
//! identifier.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde_json::{Value, json};

pub mod ids;

use crate::case::Case;
use crate::patient::{
    AllergyCategory, AllergyType, CodeSystem, Condition, ConditionStatus, Criticality, Encounter,
    LabFlag, LabResult, Setting, Sex, VitalSigns,
};
use ids::{ResourceId, date, date_time};

/// System of the synthetic-data tag.
pub(crate) const SYNTHETIC_TAG_SYSTEM: &str = "http://terminology.hl7.org/CodeSystem/v3-ActReason";
/// Code of the synthetic-data tag.
pub const SYNTHETIC_TAG_CODE: &str = "HTEST";
/// The identifier system of EHR Sim medical record numbers.
pub(crate) const MRN_SYSTEM: &str = "urn:ehr-sim:mrn";
/// ICD-10-CM in FHIR.
pub const ICD10CM_SYSTEM: &str = "http://hl7.org/fhir/sid/icd-10-cm";
/// ICD-10-PCS in FHIR (the CMS URI).
pub(crate) const ICD10PCS_SYSTEM: &str = "http://www.cms.gov/Medicare/Coding/ICD10";
const LOINC: &str = "http://loinc.org";
const UCUM: &str = "http://unitsofmeasure.org";
const SNOMED: &str = "http://snomed.info/sct";

/// The FHIR system URI of a code system.
pub(crate) fn system_uri(system: CodeSystem) -> &'static str {
    match system {
        CodeSystem::Icd10Cm => ICD10CM_SYSTEM,
        CodeSystem::Icd10Pcs => ICD10PCS_SYSTEM,
        CodeSystem::Hcpcs => "urn:oid:2.16.840.1.113883.6.285",
        CodeSystem::Snomed => SNOMED,
        CodeSystem::Loinc => LOINC,
        CodeSystem::RxNorm => "http://www.nlm.nih.gov/research/umls/rxnorm",
    }
}

/// Builds the bundle for one case.
pub fn bundle(case: &Case) -> Value {
    let mut b = Builder {
        case,
        entries: Vec::new(),
    };
    b.build();
    let id = b.id("Bundle", 0);
    // Built field by field so the entries move in rather than being copied by `json!`.
    let mut root = serde_json::Map::new();
    root.insert("resourceType".into(), Value::String("Bundle".into()));
    root.insert("id".into(), Value::String(id.id));
    root.insert("meta".into(), meta());
    root.insert("type".into(), Value::String("collection".into()));
    root.insert("entry".into(), Value::Array(b.entries));
    let mut out = Value::Object(root);
    prune_empty(&mut out);
    out
}

/// Removes empty strings, and the arrays and objects left empty by that, everywhere: FHIR
/// forbids empty values (e.g. an address without a postal code must omit `postalCode`).
fn prune_empty(v: &mut Value) -> bool {
    match v {
        Value::String(s) => s.is_empty(),
        Value::Array(list) => {
            list.retain_mut(|x| !prune_empty(x));
            list.is_empty()
        }
        Value::Object(map) => {
            map.retain(|_, x| !prune_empty(x));
            map.is_empty()
        }
        Value::Null | Value::Bool(_) | Value::Number(_) => false,
    }
}

/// Bundles for several cases, as a JSON array.
pub fn bundles(cases: &[Case]) -> Value {
    Value::Array(cases.iter().map(bundle).collect())
}

fn meta() -> Value {
    json!({"tag": [{"system": SYNTHETIC_TAG_SYSTEM, "code": SYNTHETIC_TAG_CODE, "display": "test health data"}]})
}

fn concept(system: &str, code: &str, display: &str) -> Value {
    json!({"coding": [{"system": system, "code": code, "display": display}], "text": display})
}

struct Builder<'a> {
    case: &'a Case,
    entries: Vec<Value>,
}

impl Builder<'_> {
    fn id(&self, kind: &str, ordinal: usize) -> ResourceId {
        ResourceId::derive(
            self.case.patient_seed,
            &self.case.scenario_id,
            kind,
            ordinal,
        )
    }

    fn push(&mut self, id: &ResourceId, mut resource: Value) {
        if let Some(obj) = resource.as_object_mut() {
            obj.insert("id".into(), Value::String(id.id.clone()));
            obj.insert("meta".into(), meta());
        }
        let mut entry = serde_json::Map::new();
        entry.insert("fullUrl".into(), Value::String(id.full_url()));
        entry.insert("resource".into(), resource);
        self.entries.push(Value::Object(entry));
    }

    fn patient_ref(&self) -> Value {
        json!({"reference": self.id("Patient", 0).full_url()})
    }

    fn encounter_ref(&self, index: usize) -> Value {
        json!({"reference": self.id("Encounter", index).full_url()})
    }

    /// The encounter (index) a time falls in, else the current one.
    fn encounter_at(&self, t: chrono::NaiveDateTime) -> Option<usize> {
        let encounters = &self.case.patient.encounters;
        encounters
            .iter()
            .rposition(|e| e.start <= t && e.end.is_none_or(|end| t <= end))
            .or_else(|| encounters.len().checked_sub(1))
    }

    fn build(&mut self) {
        self.patient();
        let p = &self.case.patient;
        for (i, e) in p.encounters.iter().enumerate() {
            self.encounter(i, e);
        }
        let current = p.encounters.len().checked_sub(1);
        let mut pcs = 0;
        for (i, c) in p.conditions.iter().enumerate() {
            self.condition(i, c, current);
            for code in c.codes.iter().filter(|c| c.system == CodeSystem::Icd10Pcs) {
                let id = self.id("Procedure", pcs);
                pcs += 1;
                let mut r = json!({
                    "resourceType": "Procedure",
                    "status": "completed",
                    "code": concept(ICD10PCS_SYSTEM, &code.code, &code.display),
                    "subject": self.patient_ref(),
                    "reasonReference": [{"reference": self.id("Condition", i).full_url()}],
                });
                if let (Some(k), Some(obj)) = (current, r.as_object_mut()) {
                    obj.insert("encounter".into(), self.encounter_ref(k));
                }
                self.push(&id, r);
            }
        }
        for (i, v) in p.vitals.iter().enumerate() {
            self.vitals(i, v);
        }
        for (i, l) in p.labs.iter().enumerate() {
            self.lab(i, l);
        }
        for (i, m) in p.medications.iter().enumerate() {
            let id = self.id("MedicationStatement", i);
            let mut r = json!({
                "resourceType": "MedicationStatement",
                "status": "active",
                "medicationCodeableConcept": {"text": m.name},
                "subject": self.patient_ref(),
                "dosage": [{"text": m.sig(), "route": {"text": m.route}}],
            });
            if let Some(obj) = r.as_object_mut() {
                if !m.indication.is_empty() {
                    obj.insert("reasonCode".into(), json!([{"text": m.indication}]));
                }
                if let Some(k) = current {
                    obj.insert("context".into(), self.encounter_ref(k));
                }
            }
            self.push(&id, r);
        }
        self.allergies();
        for (i, n) in p.notes.iter().enumerate() {
            let id = self.id("DocumentReference", i);
            let mut r = json!({
                "resourceType": "DocumentReference",
                "status": "current",
                "docStatus": "final",
                "type": note_type(&n.kind),
                "subject": self.patient_ref(),
                "date": date_time(n.written_at),
                "author": [{"display": n.author}],
                "content": [{"attachment": {
                    "contentType": "text/plain",
                    "language": "en",
                    "data": BASE64.encode(n.text.as_bytes()),
                    "title": n.kind,
                    "creation": date_time(n.written_at),
                }}],
            });
            if let (Some(k), Some(obj)) = (self.encounter_at(n.written_at), r.as_object_mut()) {
                obj.insert(
                    "context".into(),
                    json!({"encounter": [self.encounter_ref(k)]}),
                );
            }
            self.push(&id, r);
        }
        // A claims case: its key claim.
        if let Some(r) = self.case.fhir_claim(&self.patient_ref()) {
            let id = self.id("Claim", 0);
            self.push(&id, r);
        }
    }

    fn patient(&mut self) {
        let d = &self.case.patient.demographics;
        let id = self.id("Patient", 0);
        let r = json!({
            "resourceType": "Patient",
            "identifier": [{
                "use": "usual",
                "type": concept("http://terminology.hl7.org/CodeSystem/v2-0203", "MR", "Medical record number"),
                "system": MRN_SYSTEM,
                "value": d.mrn,
            }],
            "name": [{"use": "official", "family": d.family_name, "given": [d.given_name]}],
            "telecom": [{"system": "phone", "value": d.phone, "use": "home"}],
            "gender": match d.sex { Sex::Female => "female", Sex::Male => "male" },
            "birthDate": date(d.birth_date),
            "address": [{
                "use": "home",
                "line": [d.address.line],
                "city": d.address.city,
                "state": d.address.state,
                "postalCode": d.address.postal_code,
                "country": "US",
            }],
            "contact": [{
                "relationship": [concept("http://terminology.hl7.org/CodeSystem/v2-0131", "C", "Emergency Contact")],
                "name": {"text": d.emergency_contact.name},
                "telecom": [{"system": "phone", "value": d.emergency_contact.phone}],
            }],
            "communication": [{"language": {"text": d.language}, "preferred": true}],
        });
        self.push(&id, r);
    }

    fn encounter(&mut self, i: usize, e: &Encounter) {
        let id = self.id("Encounter", i);
        let (code, display) = match e.setting {
            Setting::Office => ("AMB", "ambulatory"),
            Setting::Emergency => ("EMER", "emergency"),
            Setting::Inpatient => ("IMP", "inpatient encounter"),
            Setting::Hospice => ("HH", "home health"),
        };
        let mut period = json!({"start": date_time(e.start)});
        if let (Some(end), Some(obj)) = (e.end, period.as_object_mut()) {
            obj.insert("end".into(), Value::String(date_time(end)));
        }
        let r = json!({
            "resourceType": "Encounter",
            "identifier": [{"system": "urn:ehr-sim:visit", "value": e.id}],
            "status": if e.end.is_some() { "finished" } else { "in-progress" },
            "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": code, "display": display},
            "type": [{"text": e.setting.label()}],
            "subject": self.patient_ref(),
            "participant": [{"individual": {"display": e.attending}}],
            "period": period,
            "reasonCode": [{"text": e.reason}],
            "location": [{"location": {"display": e.location}}],
        });
        self.push(&id, r);
    }

    fn condition(&mut self, i: usize, c: &Condition, current: Option<usize>) {
        let id = self.id("Condition", i);
        let coding: Vec<Value> = c
            .codes
            .iter()
            .filter(|code| code.system != CodeSystem::Icd10Pcs)
            .map(|code| json!({"system": system_uri(code.system), "code": code.code, "display": code.display}))
            .collect();
        let mut code = json!({"text": c.display});
        if let (false, Some(obj)) = (coding.is_empty(), code.as_object_mut()) {
            obj.insert("coding".into(), Value::Array(coding));
        }
        let (clinical, verification) = match c.status {
            ConditionStatus::Active => (Some("active"), "confirmed"),
            ConditionStatus::Resolved => (Some("resolved"), "confirmed"),
            ConditionStatus::Suspected => (Some("active"), "provisional"),
            // A refuted condition carries no clinical status (FHIR invariant con-5).
            ConditionStatus::RuledOut => (None, "refuted"),
        };
        let imported = c.template == crate::interop::mapping::IMPORTED_TEMPLATE;
        let category = if imported {
            ("problem-list-item", "Problem List Item")
        } else {
            ("encounter-diagnosis", "Encounter Diagnosis")
        };
        let mut r = json!({
            "resourceType": "Condition",
            "verificationStatus": concept("http://terminology.hl7.org/CodeSystem/condition-ver-status", verification, verification),
            "category": [concept("http://terminology.hl7.org/CodeSystem/condition-category", category.0, category.1)],
            "code": code,
            "subject": self.patient_ref(),
        });
        if let Some(obj) = r.as_object_mut() {
            if let Some(status) = clinical {
                obj.insert(
                    "clinicalStatus".into(),
                    concept(
                        "http://terminology.hl7.org/CodeSystem/condition-clinical",
                        status,
                        status,
                    ),
                );
            }
            if let (false, Some(k)) = (imported, current) {
                obj.insert("encounter".into(), self.encounter_ref(k));
            }
            if let Some(onset) = c.onset {
                obj.insert("onsetDateTime".into(), Value::String(date(onset)));
            }
            // Imported conditions carry their (shifted) abatement date; FHIR allows one only on
            // an inactive condition (con-4).
            if let (ConditionStatus::Resolved, Some(on)) = (
                c.status,
                c.facts.get(crate::interop::mapping::RESOLVED_ON_FACT),
            ) {
                obj.insert("abatementDateTime".into(), Value::String(on.clone()));
            }
        }
        self.push(&id, r);
    }

    fn vitals(&mut self, i: usize, v: &VitalSigns) {
        let encounter = self.encounter_at(v.taken_at);
        let when = date_time(v.taken_at);
        let pain_nrs = v.pain_scale.eq_ignore_ascii_case("NRS 0-10");
        let pain = if pain_nrs {
            (
                "72514-3",
                "Pain severity - 0-10 verbal numeric rating [Score] - Reported",
            )
        } else {
            ("38208-5", "Pain severity - Reported")
        };
        let simple: [(&str, &str, f64, &str, &str); 8] = [
            ("8310-5", "Body temperature", v.temperature_c, "Cel", "Cel"),
            (
                "8867-4",
                "Heart rate",
                f64::from(v.heart_rate_bpm),
                "/min",
                "/min",
            ),
            (
                "9279-1",
                "Respiratory rate",
                f64::from(v.respiratory_rate_per_min),
                "/min",
                "/min",
            ),
            (
                "59408-5",
                "Oxygen saturation in Arterial blood by Pulse oximetry",
                f64::from(v.spo2_percent),
                "%",
                "%",
            ),
            ("8302-2", "Body height", v.height_cm, "cm", "cm"),
            ("29463-7", "Body weight", v.weight_kg, "kg", "kg"),
            (
                "39156-5",
                "Body mass index (BMI) [Ratio]",
                v.bmi(),
                "kg/m2",
                "kg/m2",
            ),
            (
                pain.0,
                pain.1,
                f64::from(v.pain_score),
                "{score}",
                "{score}",
            ),
        ];
        let base = |this: &Self, code: Value| {
            let mut r = json!({
                "resourceType": "Observation",
                "status": "final",
                "category": [concept("http://terminology.hl7.org/CodeSystem/observation-category", "vital-signs", "Vital Signs")],
                "code": code,
                "subject": this.patient_ref(),
                "effectiveDateTime": when,
            });
            if let (Some(k), Some(obj)) = (encounter, r.as_object_mut()) {
                obj.insert("encounter".into(), this.encounter_ref(k));
            }
            r
        };
        for (j, (code, display, value, unit, ucum)) in simple.iter().enumerate() {
            let mut code_value = concept(LOINC, code, display);
            if *code == "59408-5"
                && let Some(list) = code_value.get_mut("coding").and_then(Value::as_array_mut)
            {
                list.push(json!({"system": LOINC, "code": "2708-6", "display": "Oxygen saturation in Arterial blood"}));
            }
            if *code == "38208-5"
                && let Some(obj) = code_value.as_object_mut()
            {
                obj.insert(
                    "text".into(),
                    Value::String(format!("Pain severity ({})", v.pain_scale)),
                );
            }
            let mut r = base(self, code_value);
            if let Some(obj) = r.as_object_mut() {
                obj.insert("valueQuantity".into(), quantity(*value, unit, ucum));
                if *code == "59408-5" {
                    obj.insert(
                        "note".into(),
                        json!([{"text": format!("Oxygen: {}", v.oxygen)}]),
                    );
                }
            }
            let id = self.id("Observation/vitals", i * 10 + j);
            self.push(&id, r);
        }
        let mut bp = base(
            self,
            concept(
                LOINC,
                "85354-9",
                "Blood pressure panel with all children optional",
            ),
        );
        if let Some(obj) = bp.as_object_mut() {
            obj.insert(
                "component".into(),
                json!([
                    {"code": concept(LOINC, "8480-6", "Systolic blood pressure"),
                     "valueQuantity": quantity(f64::from(v.systolic_mmhg), "mmHg", "mm[Hg]")},
                    {"code": concept(LOINC, "8462-4", "Diastolic blood pressure"),
                     "valueQuantity": quantity(f64::from(v.diastolic_mmhg), "mmHg", "mm[Hg]")},
                ]),
            );
        }
        let id = self.id("Observation/vitals", i * 10 + 9);
        self.push(&id, bp);
    }

    fn lab(&mut self, i: usize, l: &LabResult) {
        let ucum = ucum_unit(&l.unit);
        let code = match &l.loinc {
            Some(loinc) => concept(LOINC, loinc, &l.name),
            None => json!({"text": l.name}),
        };
        let (flag, flag_display) = match l.flag() {
            LabFlag::High => ("H", "High"),
            LabFlag::Low => ("L", "Low"),
            LabFlag::Normal => ("N", "Normal"),
        };
        let mut r = json!({
            "resourceType": "Observation",
            "status": "final",
            "category": [concept("http://terminology.hl7.org/CodeSystem/observation-category", "laboratory", "Laboratory")],
            "code": code,
            "subject": self.patient_ref(),
            "effectiveDateTime": date_time(l.collected_at),
            "valueQuantity": quantity(l.value, &l.unit, ucum),
        });
        if let Some(obj) = r.as_object_mut() {
            // Without a reference range there is nothing to call normal or abnormal.
            if l.reference_low.is_some() || l.reference_high.is_some() {
                obj.insert(
                    "interpretation".into(),
                    json!([concept(
                        "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation",
                        flag,
                        flag_display
                    )]),
                );
            }
            let mut range = serde_json::Map::new();
            if let Some(low) = l.reference_low {
                range.insert("low".into(), quantity(low, &l.unit, ucum));
            }
            if let Some(high) = l.reference_high {
                range.insert("high".into(), quantity(high, &l.unit, ucum));
            }
            if !range.is_empty() {
                obj.insert("referenceRange".into(), json!([range]));
            }
            if let Some(k) = self.encounter_at(l.collected_at) {
                obj.insert("encounter".into(), self.encounter_ref(k));
            }
        }
        let id = self.id("Observation/lab", i);
        self.push(&id, r);
    }

    fn allergies(&mut self) {
        let p = &self.case.patient;
        if p.allergies.is_empty() {
            if p.no_known_allergies {
                let id = self.id("AllergyIntolerance", 0);
                let r = json!({
                    "resourceType": "AllergyIntolerance",
                    "clinicalStatus": concept("http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical", "active", "Active"),
                    "verificationStatus": concept("http://terminology.hl7.org/CodeSystem/allergyintolerance-verification", "confirmed", "Confirmed"),
                    "code": concept(SNOMED, "716186003", "No known allergy (situation)"),
                    "patient": self.patient_ref(),
                });
                self.push(&id, r);
            }
            return;
        }
        for (i, a) in p.allergies.iter().enumerate() {
            let id = self.id("AllergyIntolerance", i);
            let r = json!({
                "resourceType": "AllergyIntolerance",
                "clinicalStatus": concept("http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical", "active", "Active"),
                "verificationStatus": concept("http://terminology.hl7.org/CodeSystem/allergyintolerance-verification", "confirmed", "Confirmed"),
                "type": match a.kind { AllergyType::Allergy => "allergy", AllergyType::Intolerance => "intolerance" },
                "category": [match a.category {
                    AllergyCategory::Medication => "medication",
                    AllergyCategory::Food => "food",
                    AllergyCategory::Environment => "environment",
                    AllergyCategory::Biologic => "biologic",
                }],
                "criticality": match a.criticality {
                    Criticality::Low => "low",
                    Criticality::High => "high",
                    Criticality::UnableToAssess => "unable-to-assess",
                },
                "code": {"text": a.allergen},
                "patient": self.patient_ref(),
                "reaction": [{
                    "manifestation": [{"text": a.reaction}],
                    "severity": a.severity.label(),
                }],
            });
            self.push(&id, r);
        }
    }
}

/// A UCUM quantity; whole numbers are written without a fraction (`72`, not `72.0`).
fn quantity(value: f64, unit: &str, ucum: &str) -> Value {
    let number = if value.fract() == 0.0 && value.abs() < 1e15 {
        json!(value as i64)
    } else {
        json!(value)
    };
    json!({"value": number, "unit": unit, "system": UCUM, "code": ucum})
}

/// The UCUM code for a unit as scenarios write it (most are UCUM already).
pub(crate) fn ucum_unit(unit: &str) -> &str {
    match unit {
        "mL/min/1.73m2" => "mL/min/{1.73_m2}",
        "mmHg" => "mm[Hg]",
        "°C" => "Cel",
        other => other,
    }
}

/// The document type of a note: a LOINC document code where one fits exactly, else text.
fn note_type(kind: &str) -> Value {
    let loinc = match kind.to_ascii_lowercase().as_str() {
        "progress note" => Some(("11506-3", "Progress note")),
        "discharge summary" => Some(("18842-5", "Discharge summary")),
        "history and physical" | "history and physical note" => {
            Some(("34117-2", "History and physical note"))
        }
        _ => None,
    };
    match loinc {
        Some((code, display)) => {
            let mut v = concept(LOINC, code, display);
            if let Some(obj) = v.as_object_mut() {
                obj.insert("text".into(), Value::String(kind.to_string()));
            }
            v
        }
        None => json!({"text": kind}),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_values_are_pruned() {
        let mut v = json!({"a": "", "b": [""], "c": {"d": ""}, "e": "x", "f": 0});
        prune_empty(&mut v);
        assert_eq!(v, json!({"e": "x", "f": 0}));
    }

    #[test]
    fn whole_quantities_have_no_fraction() {
        assert_eq!(quantity(72.0, "/min", "/min")["value"].to_string(), "72");
        assert_eq!(quantity(36.6, "Cel", "Cel")["value"].to_string(), "36.6");
    }

    #[test]
    fn ucum_units() {
        assert_eq!(ucum_unit("mL/min/1.73m2"), "mL/min/{1.73_m2}");
        assert_eq!(ucum_unit("mg/dL"), "mg/dL");
    }

    #[test]
    fn note_types() {
        assert_eq!(note_type("Progress note")["coding"][0]["code"], "11506-3");
        assert_eq!(note_type("Triage note"), json!({"text": "Triage note"}));
    }
}
