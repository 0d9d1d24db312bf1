//! A claim as a FHIR R4 `Claim` resource (JSON), for the FHIR export of a claims case: the key
//! claim of the case (the export carries cases, not answers). docs/domain/claims.md §7.8.
//!
//! Mapping: `status` active; `type` institutional (UB-04) or professional (CMS-1500) from the
//! claim-type code system; `use` claim; `patient` the bundle's patient; `created` the day the
//! biller works the claim; `provider` the billing provider by NPI; `priority` normal;
//! `insurance` the payers in order, the first `focal`, each with the insured's ID; `diagnosis`
//! the ICD-10-CM codes in the form's order (with their dot, as the FHIR ICD-10-CM system writes
//! them); `procedure` the ICD-10-PCS codes; one `item` per service line (the UB-04's 0001 total
//! line is `total`, not an item) with its revenue code, HCPCS (or "not applicable" when the line
//! has none), modifiers, date, place of service, quantity, unit price and net; `total` the
//! claim's total charge. Money is US dollars.

use serde_json::{Value, json};

use super::case::ClaimCase;
use super::model::{Claim, Cms1500, Ub04};

const CLAIM_TYPE: &str = "http://terminology.hl7.org/CodeSystem/claim-type";
const PRIORITY: &str = "http://terminology.hl7.org/CodeSystem/processpriority";
const NPI: &str = "http://hl7.org/fhir/sid/us-npi";
const ICD10CM: &str = "http://hl7.org/fhir/sid/icd-10-cm";
const ICD10PCS: &str = "http://www.cms.gov/Medicare/Coding/ICD10";
const HCPCS: &str = "urn:oid:2.16.840.1.113883.6.285";
const REVENUE: &str = "https://www.nubc.org/CodeSystem/RevenueCodes";
const POS: &str =
    "https://www.cms.gov/Medicare/Coding/place-of-service-codes/Place_of_Service_Code_Set";
const MEMBER: &str = "urn:ehr-sim:member-id";
const DATA_ABSENT: &str = "http://terminology.hl7.org/CodeSystem/data-absent-reason";

/// The ICD-10-CM code with its dot (`I5022` → `I50.22`), as the FHIR system writes it.
fn dotted(code: &str) -> String {
    let code = code.trim();
    if code.len() > 3 && !code.contains('.') && code.is_ascii() {
        format!("{}.{}", &code[..3], &code[3..])
    } else {
        code.to_string()
    }
}

/// Cents as a FHIR `Money` in US dollars.
fn money(cents: u64) -> Value {
    // Cents below 2^53 are exact as an f64.
    #[allow(clippy::cast_precision_loss)]
    let dollars = cents as f64 / 100.0;
    json!({"value": dollars, "currency": "USD"})
}

/// The unit price of a line: its charge over its units, to the cent.
fn unit_price(total: u64, units: u32) -> Value {
    let units = u64::from(units.max(1));
    money((total + units / 2) / units)
}

fn product(hcpcs: &str) -> Value {
    if hcpcs.trim().is_empty() {
        json!({"coding": [{"system": DATA_ABSENT, "code": "not-applicable"}]})
    } else {
        json!({"coding": [{"system": HCPCS, "code": hcpcs}]})
    }
}

fn diagnoses<'a>(codes: impl Iterator<Item = &'a str>) -> Value {
    Value::Array(
        codes
            .filter(|c| !c.trim().is_empty())
            .enumerate()
            .map(|(i, code)| {
                json!({"sequence": i + 1, "diagnosisCodeableConcept": {"coding": [{"system": ICD10CM, "code": dotted(code)}]}})
            })
            .collect(),
    )
}

/// The claim as a FHIR R4 `Claim` resource, without `id` and `meta` (the export adds them).
/// `patient` is the reference to the bundle's patient.
#[must_use]
pub fn resource(case: &ClaimCase, claim: &Claim, patient: &Value) -> Value {
    let mut insurance = vec![(case.primary.payer.name.clone(), claim_member(claim, 0))];
    if let Some(s) = &case.secondary {
        insurance.push((s.payer.name.clone(), claim_member(claim, 1)));
    }
    let insurance: Vec<Value> = insurance
        .into_iter()
        .enumerate()
        .map(|(i, (payer, member))| {
            json!({
                "sequence": i + 1,
                "focal": i == 0,
                "coverage": {"display": payer, "identifier": {"system": MEMBER, "value": member}},
            })
        })
        .collect();
    let mut r = json!({
        "resourceType": "Claim",
        "status": "active",
        "use": "claim",
        "patient": patient,
        "created": case.as_of.format("%Y-%m-%d").to_string(),
        "priority": {"coding": [{"system": PRIORITY, "code": "normal"}]},
        "insurance": insurance,
    });
    let extra = match claim {
        Claim::Professional(c) => professional(c),
        Claim::Institutional(u) => institutional(u, &case.facility),
    };
    if let (Some(obj), Value::Object(more)) = (r.as_object_mut(), extra) {
        obj.extend(more);
    }
    drop_empty(&mut r);
    r
}

/// Removes nulls, empty strings and the lists and objects left empty: FHIR forbids empty
/// values.
fn drop_empty(v: &mut Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.is_empty(),
        Value::Array(list) => {
            list.retain_mut(|x| !drop_empty(x));
            list.is_empty()
        }
        Value::Object(map) => {
            map.retain(|_, x| !drop_empty(x));
            map.is_empty()
        }
        Value::Bool(_) | Value::Number(_) => false,
    }
}

/// The insured's ID with payer `index` on the claim.
fn claim_member(claim: &Claim, index: usize) -> String {
    match (claim, index) {
        (Claim::Professional(c), 0) => c.insured_id.clone(),
        (Claim::Professional(c), _) => c.other_insured_policy.clone(),
        (Claim::Institutional(u), 0) => u.insured_id.clone(),
        (Claim::Institutional(u), i) => u.other_insured_ids.get(i - 1).cloned().unwrap_or_default(),
    }
}

fn professional(c: &Cms1500) -> Value {
    let billing = c.billing.as_ref();
    let items: Vec<Value> = c
        .lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let total = l.charge_cents.unwrap_or(0);
            let pointers: Vec<usize> = l
                .pointers
                .bytes()
                .filter(u8::is_ascii_uppercase)
                .map(|b| usize::from(b - b'A') + 1)
                .collect();
            json!({
                "sequence": i + 1,
                "diagnosisSequence": pointers,
                "productOrService": product(&l.hcpcs),
                "modifier": l.modifiers.iter().map(|m| json!({"coding": [{"system": HCPCS, "code": m}]})).collect::<Vec<_>>(),
                "servicedDate": l.from.map(|d| d.format("%Y-%m-%d").to_string()),
                "locationCodeableConcept": {"coding": [{"system": POS, "code": l.place_of_service}]},
                "quantity": {"value": l.units.unwrap_or(1)},
                "unitPrice": unit_price(total, l.units.unwrap_or(1)),
                "net": money(total),
            })
        })
        .collect();
    json!({
        "type": {"coding": [{"system": CLAIM_TYPE, "code": "professional"}]},
        "provider": {
            "identifier": {"system": NPI, "value": billing.map(|b| b.npi.clone()).unwrap_or_default()},
            "display": billing.map(|b| b.name.clone()).unwrap_or_default(),
        },
        "diagnosis": diagnoses(c.diagnoses.iter().map(String::as_str)),
        "item": items,
        "total": money(c.total_charge_cents.unwrap_or(0)),
    })
}

fn institutional(u: &Ub04, facility: &str) -> Value {
    let lines: Vec<_> = u
        .lines
        .iter()
        .filter(|l| l.revenue_code != "0001")
        .collect();
    let total = u
        .lines
        .iter()
        .find(|l| l.revenue_code == "0001")
        .and_then(|l| l.total_cents)
        .unwrap_or_else(|| lines.iter().filter_map(|l| l.total_cents).sum());
    let items: Vec<Value> = lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let net = l.total_cents.unwrap_or(0);
            json!({
                "sequence": i + 1,
                "revenue": {"coding": [{"system": REVENUE, "code": l.revenue_code}]},
                "productOrService": product(&l.hcpcs),
                "modifier": l.modifiers.iter().map(|m| json!({"coding": [{"system": HCPCS, "code": m}]})).collect::<Vec<_>>(),
                "servicedDate": l.service_date.map(|d| d.format("%Y-%m-%d").to_string()),
                "quantity": {"value": l.units.unwrap_or(1)},
                "unitPrice": unit_price(net, l.units.unwrap_or(1)),
                "net": money(net),
            })
        })
        .collect();
    let dx = u
        .principal
        .iter()
        .map(|d| d.code.as_str())
        .chain(u.other_diagnoses.iter().map(|d| d.code.as_str()));
    let procedures: Vec<Value> = u
        .principal_procedure
        .iter()
        .chain(u.other_procedures.iter())
        .enumerate()
        .map(|(i, p)| {
            json!({
                "sequence": i + 1,
                "date": p.date.map(|d| d.format("%Y-%m-%d").to_string()),
                "procedureCodeableConcept": {"coding": [{"system": ICD10PCS, "code": p.code}]},
            })
        })
        .collect();
    json!({
        "type": {"coding": [{"system": CLAIM_TYPE, "code": "institutional"}]},
        "billablePeriod": {
            "start": u.statement_from.map(|d| d.format("%Y-%m-%d").to_string()),
            "end": u.statement_through.map(|d| d.format("%Y-%m-%d").to_string()),
        },
        "provider": {"identifier": {"system": NPI, "value": u.billing_npi}, "display": facility},
        "diagnosis": diagnoses(dx),
        "procedure": procedures,
        "item": items,
        "total": money(total),
    })
}
