//! A claims case in the FHIR export: its key claim as a FHIR R4 `Claim`, checked whole for one
//! case (the outpatient ED visit on the UB-04, seed 0), and a CMS-1500 case's professional claim.

use ehr_sim::case::generate;
use ehr_sim::fhir_export;
use serde_json::{Value, json};

fn claim_entry(bundle: &Value) -> (&Value, Vec<&Value>) {
    let entries = bundle["entry"].as_array().expect("entries");
    let claims: Vec<&Value> = entries
        .iter()
        .filter(|e| e["resource"]["resourceType"] == "Claim")
        .collect();
    let patient = entries
        .iter()
        .find(|e| e["resource"]["resourceType"] == "Patient")
        .expect("patient");
    (patient, claims)
}

#[test]
fn the_ub04_key_claim_is_exported_as_an_institutional_fhir_claim() {
    let case = generate(&crate::shipped("ed_visit_ub04_outpatient"), 0, 0);
    let bundle = fhir_export::bundle(&case);
    let (patient, claims) = claim_entry(&bundle);
    assert_eq!(claims.len(), 1);
    let entry = claims[0];
    let id = entry["resource"]["id"].as_str().expect("id");
    assert_eq!(entry["fullUrl"], format!("urn:uuid:{id}"));
    let money = |v: f64| json!({"value": v, "currency": "USD"});
    let line = |seq: u32, rev: &str, hcpcs: &str, units: u32, unit: f64, net: f64| {
        json!({
            "sequence": seq,
            "revenue": {"coding": [{"system": "https://www.nubc.org/CodeSystem/RevenueCodes", "code": rev}]},
            "productOrService": {"coding": [{"system": "urn:oid:2.16.840.1.113883.6.285", "code": hcpcs}]},
            "servicedDate": "2026-01-17",
            "quantity": {"value": units},
            "unitPrice": money(unit),
            "net": money(net),
        })
    };
    let expected = json!({
        "resourceType": "Claim",
        "id": id,
        "meta": {"tag": [{"system": "http://terminology.hl7.org/CodeSystem/v3-ActReason", "code": "HTEST", "display": "test health data"}]},
        "status": "active",
        "type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/claim-type", "code": "institutional"}]},
        "use": "claim",
        "patient": {"reference": patient["fullUrl"]},
        "created": "2026-01-22",
        "billablePeriod": {"start": "2026-01-17", "end": "2026-01-17"},
        "provider": {
            "identifier": {"system": "http://hl7.org/fhir/sid/us-npi", "value": "1687248447"},
            "display": "Lakeside Community Hospital",
        },
        "priority": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/processpriority", "code": "normal"}]},
        "insurance": [{
            "sequence": 1,
            "focal": true,
            "coverage": {"display": "Medicare Part A/B", "identifier": {"system": "urn:ehr-sim:member-id", "value": "4D58JU4QX40"}},
        }],
        "diagnosis": [{
            "sequence": 1,
            "diagnosisCodeableConcept": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "S52.531A"}]},
        }],
        "item": [
            line(1, "0270", "A4570", 1, 120.0, 120.0),
            line(2, "0450", "G0383", 1, 865.0, 865.0),
            line(3, "0636", "J1885", 2, 15.0, 30.0),
        ],
        "total": money(1015.0),
    });
    assert_eq!(entry["resource"], expected);
}

#[test]
fn a_cms1500_case_exports_a_professional_claim_and_other_kinds_none() {
    let case = generate(&crate::shipped("office_visit_cms1500"), 0, 0);
    let bundle = fhir_export::bundle(&case);
    let (_, claims) = claim_entry(&bundle);
    assert_eq!(claims.len(), 1);
    let r = &claims[0]["resource"];
    assert_eq!(r["type"]["coding"][0]["code"], "professional");
    // Item 24B and 24E carry over: place of service 11, pointer A = diagnosis 1.
    assert_eq!(
        r["item"][0]["locationCodeableConcept"]["coding"][0]["code"],
        "11"
    );
    assert_eq!(r["item"][0]["diagnosisSequence"], json!([1]));
    let nets: f64 = r["item"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["net"]["value"].as_f64().expect("net"))
        .sum();
    assert_eq!(r["total"]["value"].as_f64(), Some(nets));
    // The hospice NOE has no lines: no item, the total 0.
    let case = generate(&crate::shipped("hospice_notice_of_election"), 0, 0);
    let noe = fhir_export::bundle(&case);
    let (_, claims) = claim_entry(&noe);
    assert_eq!(claims.len(), 1);
    assert_eq!(claims[0]["resource"]["item"], Value::Null);
    assert_eq!(claims[0]["resource"]["total"]["value"].as_f64(), Some(0.0));
    // A case of another kind carries no claim.
    let case = generate(&crate::shipped("chc_short_day_prostate_cancer"), 0, 0);
    let other = fhir_export::bundle(&case);
    let (_, claims) = claim_entry(&other);
    assert!(claims.is_empty());
}
