//! The bundle walk behind [`super::parse`]: one method per resource type, each reading what
//! the import needs and failing with the JSON path when a needed field is missing or malformed.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, NaiveDateTime};
use serde_json::Value;

use super::{
    ImportedAllergy, ImportedCondition, ImportedEncounter, ImportedMedication, ImportedPatient,
    ImportedValue, Skipped, SyntheaError,
};
use crate::patient::{Address, AllergyCategory, AllergyType, Criticality, Setting, Severity, Sex};

pub(super) struct Reader<'a> {
    pub(super) file: &'a str,
}

type Res<T> = Result<T, SyntheaError>;

impl Reader<'_> {
    fn err(&self, path: &str, message: impl Into<String>) -> SyntheaError {
        SyntheaError::Invalid {
            file: self.file.to_string(),
            path: path.to_string(),
            message: message.into(),
        }
    }

    fn str_at<'v>(&self, v: &'v Value, path: &str, key: &str) -> Res<&'v str> {
        v.get(key).and_then(Value::as_str).ok_or_else(|| {
            self.err(
                &format!("{path}.{key}"),
                format!("missing text field `{key}`"),
            )
        })
    }

    fn date_time_at(&self, v: &Value, path: &str, key: &str) -> Res<NaiveDateTime> {
        let text = self.str_at(v, path, key)?;
        fhir_date_time(text).ok_or_else(|| {
            self.err(
                &format!("{path}.{key}"),
                format!("`{text}` is not a FHIR dateTime (e.g. 2019-03-17T00:49:23+00:00)"),
            )
        })
    }

    pub(super) fn bundle(&self, root: &Value) -> Res<ImportedPatient> {
        if root.get("resourceType").and_then(Value::as_str) != Some("Bundle") {
            return Err(self.err(
                "resourceType",
                "not a FHIR Bundle (resourceType must be \"Bundle\"); export the patient from Synthea with FHIR R4 output",
            ));
        }
        let entries = root
            .get("entry")
            .and_then(Value::as_array)
            .ok_or_else(|| self.err("entry", "the bundle has no `entry` list"))?;
        let mut resources: Vec<(String, &str, &Value)> = Vec::new();
        let mut by_url: BTreeMap<&str, &Value> = BTreeMap::new();
        let mut counts = BTreeMap::new();
        for (i, entry) in entries.iter().enumerate() {
            let path = format!("entry[{i}].resource");
            let resource = entry
                .get("resource")
                .filter(|r| r.is_object())
                .ok_or_else(|| self.err(&path, "the entry has no resource"))?;
            let kind = self.str_at(resource, &path, "resourceType")?;
            *counts.entry(kind.to_string()).or_insert(0) += 1;
            if let Some(url) = entry.get("fullUrl").and_then(Value::as_str) {
                by_url.insert(url, resource);
            }
            if let Some(id) = resource.get("id").and_then(Value::as_str) {
                by_url.insert(id, resource);
            }
            resources.push((path, kind, resource));
        }
        let patients: Vec<&(String, &str, &Value)> = resources
            .iter()
            .filter(|(_, k, _)| *k == "Patient")
            .collect();
        let (patient_path, patient) = match patients.as_slice() {
            [(p, _, r)] => (p.as_str(), *r),
            [] => return Err(self.err("entry", "the bundle has no Patient resource; export a patient bundle, not a practitioner or hospital file")),
            _ => return Err(self.err("entry", format!("the bundle has {} Patient resources; use one bundle per patient", patients.len()))),
        };
        let mut out = self.patient(patient_path, patient)?;
        out.counts = counts;
        let lookup = |reference: Option<&Value>| -> Option<&Value> {
            let r = reference?.get("reference")?.as_str()?;
            by_url
                .get(r)
                .or_else(|| by_url.get(r.rsplit('/').next().unwrap_or(r)))
                .copied()
        };
        let mut skipped: BTreeMap<(String, String), usize> = BTreeMap::new();
        let mut skip = |kind: &str, reason: &str| {
            *skipped
                .entry((kind.to_string(), reason.to_string()))
                .or_insert(0) += 1;
        };
        for (path, kind, r) in &resources {
            match *kind {
                "Patient" => {}
                "Encounter" => out.encounters.push(self.encounter(path, r, &lookup)?),
                "Condition" => out.conditions.push(self.condition(path, r)?),
                "MedicationRequest" => out.medications.push(self.medication(path, r, &lookup)?),
                "AllergyIntolerance" => out.allergies.push(self.allergy(path, r)?),
                "Observation" => self.observation(path, r, &mut out, &mut skip)?,
                "Organization" | "Practitioner" => {
                    skip(kind, "used only to name encounter providers and clinicians");
                }
                "Claim" | "ExplanationOfBenefit" => {
                    skip(kind, "billing records are not part of the chart");
                }
                "Immunization" => skip(kind, "the chart has no immunization section"),
                "Procedure" => skip(
                    kind,
                    "coded in SNOMED CT; the chart's procedures are ICD-10-PCS codes on conditions",
                ),
                "DiagnosticReport" => skip(kind, "its results are imported as lab observations"),
                "CarePlan" | "CareTeam" | "Goal" => {
                    skip(kind, "care plans are not part of the chart");
                }
                other => skip(other, "not a resource type the import reads"),
            }
        }
        out.encounters
            .sort_by(|a, b| (a.start, a.end, &a.id).cmp(&(b.start, b.end, &b.id)));
        out.skipped = skipped
            .into_iter()
            .map(|((resource_type, reason), count)| Skipped {
                resource_type,
                reason,
                count,
            })
            .collect();
        Ok(out)
    }

    fn patient(&self, path: &str, p: &Value) -> Res<ImportedPatient> {
        let names = p
            .get("name")
            .and_then(Value::as_array)
            .ok_or_else(|| self.err(&format!("{path}.name"), "the patient has no name"))?;
        let name = names
            .iter()
            .find(|n| n.get("use").and_then(Value::as_str) == Some("official"))
            .or_else(|| names.first())
            .ok_or_else(|| self.err(&format!("{path}.name"), "the patient's name list is empty"))?;
        let family_name = self
            .str_at(name, &format!("{path}.name[0]"), "family")?
            .to_string();
        let given_name = name
            .get("given")
            .and_then(Value::as_array)
            .and_then(|g| g.first())
            .and_then(Value::as_str)
            .ok_or_else(|| {
                self.err(
                    &format!("{path}.name[0].given"),
                    "the patient has no given name",
                )
            })?
            .to_string();
        let gender = self.str_at(p, path, "gender")?;
        let sex = match gender {
            "female" => Sex::Female,
            "male" => Sex::Male,
            other => {
                return Err(self.err(
                    &format!("{path}.gender"),
                    format!("gender `{other}` cannot be charted: EHR Sim records administrative sex as female or male"),
                ));
            }
        };
        let birth = self.str_at(p, path, "birthDate")?;
        let birth_date = NaiveDate::parse_from_str(birth, "%Y-%m-%d").map_err(|_| {
            self.err(
                &format!("{path}.birthDate"),
                format!("`{birth}` is not a date (YYYY-MM-DD)"),
            )
        })?;
        let address = p
            .get("address")
            .and_then(Value::as_array)
            .and_then(|a| a.first())
            .map(|a| Address {
                line: a
                    .get("line")
                    .and_then(Value::as_array)
                    .map(|l| {
                        l.iter()
                            .filter_map(Value::as_str)
                            .collect::<Vec<_>>()
                            .join(", ")
                    })
                    .unwrap_or_default(),
                city: text_of(a.get("city")),
                state: text_of(a.get("state")),
                postal_code: text_of(a.get("postalCode")),
            });
        let phone = p
            .get("telecom")
            .and_then(Value::as_array)
            .and_then(|t| {
                t.iter()
                    .find(|t| t.get("system").and_then(Value::as_str) == Some("phone"))
            })
            .and_then(|t| t.get("value"))
            .and_then(Value::as_str)
            .map(str::to_string);
        let language = p
            .get("communication")
            .and_then(Value::as_array)
            .and_then(|c| c.first())
            .and_then(|c| c.get("language"))
            .and_then(concept_text);
        Ok(ImportedPatient {
            source: self.file.to_string(),
            sha256: String::new(),
            given_name,
            family_name,
            sex,
            birth_date,
            address,
            phone,
            language,
            encounters: Vec::new(),
            conditions: Vec::new(),
            medications: Vec::new(),
            allergies: Vec::new(),
            vitals: Vec::new(),
            labs: Vec::new(),
            counts: BTreeMap::new(),
            skipped: Vec::new(),
        })
    }

    fn encounter<'v>(
        &self,
        path: &str,
        e: &Value,
        lookup: &impl Fn(Option<&Value>) -> Option<&'v Value>,
    ) -> Res<ImportedEncounter> {
        let id = self.str_at(e, path, "id")?.to_string();
        let period = e
            .get("period")
            .ok_or_else(|| self.err(&format!("{path}.period"), "the encounter has no period"))?;
        let start = self.date_time_at(period, &format!("{path}.period"), "start")?;
        let end = match period.get("end") {
            Some(_) => Some(self.date_time_at(period, &format!("{path}.period"), "end")?),
            None => None,
        };
        let class = e
            .get("class")
            .and_then(|c| c.get("code"))
            .and_then(Value::as_str);
        let setting = match class {
            Some("EMER") => Setting::Emergency,
            Some("IMP" | "ACUTE" | "NONAC") => Setting::Inpatient,
            Some("HH") => Setting::Hospice,
            _ => Setting::Office,
        };
        let kind = e
            .get("type")
            .and_then(Value::as_array)
            .and_then(|t| t.first())
            .and_then(concept_text)
            .unwrap_or_else(|| "Encounter".to_string());
        let practitioner = e
            .get("participant")
            .and_then(Value::as_array)
            .and_then(|p| p.first())
            .and_then(|p| lookup(p.get("individual")))
            .and_then(person_name);
        let provider = lookup(e.get("serviceProvider"))
            .and_then(|o| o.get("name"))
            .and_then(Value::as_str)
            .map(str::to_string);
        Ok(ImportedEncounter {
            id,
            setting,
            kind,
            start,
            end,
            practitioner,
            provider,
        })
    }

    fn condition(&self, path: &str, c: &Value) -> Res<ImportedCondition> {
        let code = c
            .get("code")
            .ok_or_else(|| self.err(&format!("{path}.code"), "the condition has no code"))?;
        let display = concept_text(code).ok_or_else(|| {
            self.err(
                &format!("{path}.code"),
                "the condition's code has no text or display",
            )
        })?;
        let status = c
            .get("clinicalStatus")
            .and_then(|s| s.get("coding"))
            .and_then(Value::as_array)
            .and_then(|l| l.first())
            .and_then(|s| s.get("code"))
            .and_then(Value::as_str);
        let onset = match c.get("onsetDateTime") {
            Some(_) => Some(self.date_time_at(c, path, "onsetDateTime")?.date()),
            None => None,
        };
        let abated = match c.get("abatementDateTime") {
            Some(_) => Some(self.date_time_at(c, path, "abatementDateTime")?.date()),
            None => None,
        };
        Ok(ImportedCondition {
            snomed: coding_code(code, "http://snomed.info/sct"),
            display,
            active: matches!(status, Some("active" | "recurrence" | "relapse"))
                || (status.is_none() && abated.is_none()),
            onset,
            abated,
        })
    }

    fn medication<'v>(
        &self,
        path: &str,
        m: &Value,
        lookup: &impl Fn(Option<&Value>) -> Option<&'v Value>,
    ) -> Res<ImportedMedication> {
        let code = m.get("medicationCodeableConcept").ok_or_else(|| {
            self.err(
                &format!("{path}.medicationCodeableConcept"),
                "the medication request names no medication (medicationReference is not read)",
            )
        })?;
        let display = concept_text(code).ok_or_else(|| {
            self.err(
                &format!("{path}.medicationCodeableConcept"),
                "the medication has no text or display",
            )
        })?;
        let status = self.str_at(m, path, "status")?;
        let dosage = m
            .get("dosageInstruction")
            .and_then(Value::as_array)
            .and_then(|d| d.first());
        let as_needed = dosage
            .and_then(|d| d.get("asNeededBoolean"))
            .and_then(Value::as_bool)
            .unwrap_or(false);
        let repeat = dosage
            .and_then(|d| d.get("timing"))
            .and_then(|t| t.get("repeat"));
        let timing = repeat.and_then(|r| {
            let times = r.get("frequency")?.as_u64()?;
            let period = r.get("period")?.as_f64()?;
            let unit = match r.get("periodUnit")?.as_str()? {
                "h" => "hour",
                "d" => "day",
                "wk" => "week",
                "mo" => "month",
                _ => return None,
            };
            Some(frequency_words(times, period, unit))
        });
        let frequency = match (timing, as_needed) {
            (Some(t), true) => Some(format!("{t} as needed")),
            (Some(t), false) => Some(t),
            (None, true) => Some("as needed".to_string()),
            (None, false) => None,
        };
        let dose_quantity = dosage
            .and_then(|d| d.get("doseAndRate"))
            .and_then(Value::as_array)
            .and_then(|d| d.first())
            .and_then(|d| d.get("doseQuantity"))
            .and_then(|q| q.get("value"))
            .and_then(Value::as_f64);
        let reason = m
            .get("reasonReference")
            .and_then(Value::as_array)
            .and_then(|r| r.first())
            .and_then(|r| lookup(Some(r)))
            .and_then(|c| c.get("code"))
            .and_then(concept_text);
        Ok(ImportedMedication {
            rxnorm: coding_code(code, "http://www.nlm.nih.gov/research/umls/rxnorm"),
            display,
            active: status == "active",
            frequency,
            dose_quantity,
            reason,
        })
    }

    fn allergy(&self, path: &str, a: &Value) -> Res<ImportedAllergy> {
        let code = a
            .get("code")
            .ok_or_else(|| self.err(&format!("{path}.code"), "the allergy has no code"))?;
        let display = concept_text(code).ok_or_else(|| {
            self.err(
                &format!("{path}.code"),
                "the allergy's code has no text or display",
            )
        })?;
        let kind = match a.get("type").and_then(Value::as_str) {
            Some("intolerance") => AllergyType::Intolerance,
            _ => AllergyType::Allergy,
        };
        let category = match a
            .get("category")
            .and_then(Value::as_array)
            .and_then(|c| c.first())
            .and_then(Value::as_str)
        {
            Some("food") => AllergyCategory::Food,
            Some("medication") => AllergyCategory::Medication,
            Some("biologic") => AllergyCategory::Biologic,
            _ => AllergyCategory::Environment,
        };
        let criticality = match a.get("criticality").and_then(Value::as_str) {
            Some("low") => Criticality::Low,
            Some("high") => Criticality::High,
            _ => Criticality::UnableToAssess,
        };
        let reaction = a
            .get("reaction")
            .and_then(Value::as_array)
            .and_then(|r| r.first());
        let status = a
            .get("clinicalStatus")
            .and_then(|s| s.get("coding"))
            .and_then(Value::as_array)
            .and_then(|l| l.first())
            .and_then(|s| s.get("code"))
            .and_then(Value::as_str);
        Ok(ImportedAllergy {
            snomed: coding_code(code, "http://snomed.info/sct"),
            display,
            kind,
            category,
            criticality,
            reaction: reaction
                .and_then(|r| r.get("manifestation"))
                .and_then(Value::as_array)
                .and_then(|m| m.first())
                .and_then(concept_text),
            severity: match reaction
                .and_then(|r| r.get("severity"))
                .and_then(Value::as_str)
            {
                Some("mild") => Some(Severity::Mild),
                Some("moderate") => Some(Severity::Moderate),
                Some("severe") => Some(Severity::Severe),
                _ => None,
            },
            active: status.is_none_or(|s| s == "active"),
        })
    }

    fn observation(
        &self,
        path: &str,
        o: &Value,
        out: &mut ImportedPatient,
        skip: &mut impl FnMut(&str, &str),
    ) -> Res<()> {
        let category = o
            .get("category")
            .and_then(Value::as_array)
            .and_then(|c| c.first())
            .and_then(|c| c.get("coding"))
            .and_then(Value::as_array)
            .and_then(|c| c.first())
            .and_then(|c| c.get("code"))
            .and_then(Value::as_str);
        let code = o
            .get("code")
            .ok_or_else(|| self.err(&format!("{path}.code"), "the observation has no code"))?;
        let loinc = coding_code(code, "http://loinc.org").ok_or_else(|| {
            self.err(
                &format!("{path}.code.coding"),
                "the observation has no LOINC code",
            )
        })?;
        let display = concept_text(code).unwrap_or_else(|| loinc.clone());
        let is_vital = category == Some("vital-signs");
        let is_lab = category == Some("laboratory");
        if !is_vital && !is_lab {
            skip(
                "Observation",
                "not a vital sign or laboratory result (survey, social history)",
            );
            return Ok(());
        }
        let at = self.date_time_at(o, path, "effectiveDateTime")?;
        let mut values = Vec::new();
        if let Some(q) = o.get("valueQuantity") {
            values.push((
                loinc.clone(),
                display.clone(),
                q,
                format!("{path}.valueQuantity"),
            ));
        }
        if let Some(components) = o.get("component").and_then(Value::as_array) {
            for (i, c) in components.iter().enumerate() {
                let cpath = format!("{path}.component[{i}]");
                let Some(ccode) = c
                    .get("code")
                    .and_then(|c| coding_code(c, "http://loinc.org"))
                else {
                    return Err(
                        self.err(&format!("{cpath}.code"), "the component has no LOINC code")
                    );
                };
                let cdisplay = c
                    .get("code")
                    .and_then(concept_text)
                    .unwrap_or_else(|| ccode.clone());
                if let Some(q) = c.get("valueQuantity") {
                    values.push((ccode, cdisplay, q, format!("{cpath}.valueQuantity")));
                }
            }
        }
        if values.is_empty() {
            skip("Observation", "no numeric value (valueQuantity)");
            return Ok(());
        }
        for (loinc, display, q, qpath) in values {
            let value = q.get("value").and_then(Value::as_f64).ok_or_else(|| {
                self.err(
                    &format!("{qpath}.value"),
                    "the quantity has no numeric value",
                )
            })?;
            let unit = q
                .get("code")
                .or_else(|| q.get("unit"))
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            let v = ImportedValue {
                loinc,
                display,
                value,
                unit,
                at,
            };
            if is_vital {
                out.vitals.push(v);
            } else {
                out.labs.push(v);
            }
        }
        Ok(())
    }
}

/// "once daily", "twice daily", "every 8 hours", else "N times per P unit".
fn frequency_words(times: u64, period: f64, unit: &str) -> String {
    let whole = (period - period.round()).abs() < f64::EPSILON;
    match (times, whole, period, unit) {
        (1, true, p, "day") if (p - 1.0).abs() < f64::EPSILON => "once daily".to_string(),
        (2, true, p, "day") if (p - 1.0).abs() < f64::EPSILON => "twice daily".to_string(),
        (3, true, p, "day") if (p - 1.0).abs() < f64::EPSILON => "three times daily".to_string(),
        (1, true, p, "hour") => format!("every {p} hours"),
        (1, true, p, "week") if (p - 1.0).abs() < f64::EPSILON => "once weekly".to_string(),
        (n, _, p, u) => format!(
            "{n} time{} every {p} {u}{}",
            if n == 1 { "" } else { "s" },
            if (p - 1.0).abs() < f64::EPSILON {
                ""
            } else {
                "s"
            }
        ),
    }
}

/// A FHIR dateTime (with offset, as Synthea writes it) or date, as the wall-clock time written.
pub(crate) fn fhir_date_time(text: &str) -> Option<NaiveDateTime> {
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Some(t.naive_local());
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
}

/// A CodeableConcept's text, else its first coding's display.
fn concept_text(c: &Value) -> Option<String> {
    c.get("text")
        .and_then(Value::as_str)
        .or_else(|| {
            c.get("coding").and_then(Value::as_array).and_then(|l| {
                l.iter()
                    .find_map(|x| x.get("display").and_then(Value::as_str))
            })
        })
        .map(str::to_string)
}

/// The code of the first coding in `system`.
fn coding_code(c: &Value, system: &str) -> Option<String> {
    c.get("coding")?
        .as_array()?
        .iter()
        .find(|x| x.get("system").and_then(Value::as_str) == Some(system))?
        .get("code")?
        .as_str()
        .map(str::to_string)
}

fn text_of(v: Option<&Value>) -> String {
    v.and_then(Value::as_str).unwrap_or_default().to_string()
}

/// "Dr. Barry Nicolas" from a Practitioner.
fn person_name(p: &Value) -> Option<String> {
    let name = p.get("name")?.as_array()?.first()?;
    let family = name.get("family")?.as_str()?;
    let given = name
        .get("given")
        .and_then(Value::as_array)
        .and_then(|g| g.first())
        .and_then(Value::as_str)
        .unwrap_or_default();
    Some(format!("Dr. {given} {family}").replace("  ", " "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frequencies_in_words() {
        assert_eq!(frequency_words(1, 1.0, "day"), "once daily");
        assert_eq!(frequency_words(1, 8.0, "hour"), "every 8 hours");
        assert_eq!(frequency_words(2, 3.0, "day"), "2 times every 3 days");
    }

    #[test]
    fn date_times_keep_wall_clock() {
        let t = fhir_date_time("2019-03-17T00:49:23+00:00");
        assert_eq!(
            t.map(|t| t.to_string()).as_deref(),
            Some("2019-03-17 00:49:23")
        );
        assert!(fhir_date_time("yesterday").is_none());
    }
}
