//! Key derivation for coding: from the documented conditions to code lines in reporting order.
//!
//! [`coded_conditions`] resolves each of the patient's conditions back to the scenario variant
//! that produced it (template id, display and codes), collecting the variant's coding
//! annotations. [`key_lines`] then applies the setting rules: active conditions are coded;
//! suspected ("probable", "likely") ones are coded as established inpatient (OCG II.H, III.C)
//! and replaced by their documented signs/symptoms outpatient (OCG IV.H); ruled-out and
//! resolved conditions are never coded. Order is the scenario's condition order, each
//! variant's codes in their authored (mandated) order; a code reached twice is listed once.
//! Every line carries a one-line rationale (the variant's, or a generated one citing the rule).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::submission::{AnnotatedCode, CodeLine, CodeLines, NeverCoded, PoaLine};
use crate::patient::spec::{NeverCode, PatientSpec};
use crate::patient::{Code, CodeSystem, ConditionStatus, Patient};
use crate::terminology::edits::CodingSetting;

/// A documented condition with what its scenario variant says about coding it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CodedCondition {
    /// The condition group (slot) id.
    pub group: String,
    /// As documented.
    pub display: String,
    /// The documented specificity facts (what the document must state).
    #[serde(default)]
    pub facts: BTreeMap<String, String>,
    /// Active, suspected, ruled out, resolved.
    pub status: ConditionStatus,
    /// The codes the documentation implies, in reporting order.
    pub codes: Vec<Code>,
    /// The signs/symptoms coded instead when suspected in an outpatient setting.
    #[serde(default)]
    pub uncertain_outpatient_codes: Vec<Code>,
    /// One-line rationale per code.
    #[serde(default)]
    pub rationale: BTreeMap<String, String>,
    /// Accepted alternatives per code.
    #[serde(default)]
    pub alternatives: BTreeMap<String, Vec<String>>,
    /// Optional codes.
    #[serde(default)]
    pub optional_codes: Vec<String>,
    /// Status or history codes (leaving one out is minor).
    #[serde(default)]
    pub status_codes: Vec<String>,
    /// Combination codes.
    #[serde(default)]
    pub combination_codes: Vec<String>,
    /// Codes that may be listed first in place of the key's first code.
    #[serde(default)]
    pub may_be_first: Vec<String>,
    /// The guideline directing this condition's first code first, when it leads the key.
    #[serde(default)]
    pub first_by: Option<String>,
    /// Codes the documentation forbids.
    #[serde(default)]
    pub never_codes: Vec<NeverCode>,
    /// The documented BMI's Z68 code, accepted as an optional addition (only with a documented
    /// weight condition).
    #[serde(default)]
    pub bmi_code: Option<String>,
    /// The POA indicator the documentation supports per code (inpatient).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub poa: BTreeMap<String, String>,
}

/// The adult BMI code (Z68.1-Z68.45) for a BMI value, kg/m² (ICD-10-CM Tabular Z68).
#[must_use]
pub fn adult_bmi_code(bmi: f64) -> Option<String> {
    if !bmi.is_finite() || bmi <= 0.0 {
        return None;
    }
    // Tabular bands: "19.9 or less", "20.0-20.9" … "39.0-39.9", "40.0-44.9" … "70 or greater".
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let whole = bmi.floor() as u32;
    Some(match whole {
        0..=19 if bmi < 19.95 => "Z68.1".to_string(),
        0..=19 => "Z68.20".to_string(),
        20..=39 => format!("Z68.{whole}"),
        40..=44 => "Z68.41".to_string(),
        45..=49 => "Z68.42".to_string(),
        50..=59 => "Z68.43".to_string(),
        60..=69 => "Z68.44".to_string(),
        _ => "Z68.45".to_string(),
    })
}

/// The patient's conditions with their variants' coding annotations, in patient order.
pub(crate) fn coded_conditions(spec: &PatientSpec, patient: &Patient) -> Vec<CodedCondition> {
    patient
        .conditions
        .iter()
        .map(|c| {
            let variant = spec
                .condition_templates
                .iter()
                .find(|t| t.id == c.template)
                .and_then(|t| {
                    t.variants.iter().find(|v| {
                        v.display == c.display && v.codes == c.codes && v.facts == c.facts
                    })
                });
            CodedCondition {
                group: c.group.clone(),
                display: c.display.clone(),
                facts: c.facts.clone(),
                status: c.status,
                codes: c.codes.clone(),
                uncertain_outpatient_codes: variant
                    .map(|v| v.uncertain_outpatient_codes.clone())
                    .unwrap_or_default(),
                rationale: variant.map(|v| v.rationale.clone()).unwrap_or_default(),
                alternatives: variant.map(|v| v.alternatives.clone()).unwrap_or_default(),
                optional_codes: variant
                    .map(|v| v.optional_codes.clone())
                    .unwrap_or_default(),
                status_codes: variant.map(|v| v.status_codes.clone()).unwrap_or_default(),
                combination_codes: variant
                    .map(|v| v.combination_codes.clone())
                    .unwrap_or_default(),
                may_be_first: variant.map(|v| v.may_be_first.clone()).unwrap_or_default(),
                first_by: variant.and_then(|v| v.first_by.clone()),
                never_codes: variant.map(|v| v.never_codes.clone()).unwrap_or_default(),
                bmi_code: variant
                    .filter(|v| v.bmi_code)
                    .and_then(|_| patient.vitals.last())
                    .and_then(|v| adult_bmi_code(v.bmi())),
                poa: variant.map(|v| v.poa.clone()).unwrap_or_default(),
            }
        })
        .collect()
}

/// Why a code is (or replaces) a condition, when the scenario gives no rationale.
fn default_rationale(c: &CodedCondition, code: &Code, uncertain_outpatient: bool) -> String {
    if uncertain_outpatient {
        format!(
            "{}: \"{}\" is only probable; outpatient uncertain diagnoses are not coded, the documented sign/symptom is (OCG IV.H)",
            code.display, c.display
        )
    } else {
        format!(
            "{}: documented as \"{}\" (code to the highest documented specificity, OCG I.B.18)",
            code.display, c.display
        )
    }
}

/// A never-coded key line: the code, why, and the rationale shown when it is coded.
fn never_line(code: &str, why: NeverCoded, rationale: String) -> CodeLine {
    CodeLine::Annotated(AnnotatedCode {
        code: code.to_string(),
        rationale: Some(rationale),
        never: Some(why),
        ..AnnotatedCode::default()
    })
}

/// The never-coded lines a condition adds to the key: its codes when it is ruled out (or only
/// suspected, outpatient), and the codes its documentation forbids.
fn never_lines(c: &CodedCondition, inpatient: bool) -> Vec<CodeLine> {
    let mut out = Vec::new();
    match c.status {
        ConditionStatus::RuledOut => out.extend(c.codes.iter().map(|code| {
            never_line(
                &code.code,
                NeverCoded::RuledOut,
                format!(
                    "\"{}\" is documented as ruled out: not coded (OCG IV.H, II.H)",
                    c.display
                ),
            )
        })),
        ConditionStatus::Suspected if !inpatient => out.extend(c.codes.iter().map(|code| {
            never_line(
                &code.code,
                NeverCoded::Uncertain,
                format!(
                    "\"{}\" is only probable: an outpatient uncertain diagnosis is not coded, its sign or symptom is (OCG IV.H)",
                    c.display
                ),
            )
        })),
        ConditionStatus::Active | ConditionStatus::Suspected | ConditionStatus::Resolved => {}
    }
    if matches!(
        c.status,
        ConditionStatus::Active | ConditionStatus::Suspected
    ) {
        out.extend(
            c.never_codes
                .iter()
                .map(|n| never_line(&n.code, n.why.into(), n.rationale.clone())),
        );
    }
    out
}

/// The key's code lines for a setting: the coded lines in reporting order, then the
/// never-coded lines (what the documentation forbids, for the grader's severity rules).
pub(crate) fn key_lines(
    conditions: &[CodedCondition],
    setting: CodingSetting,
    procedures: bool,
) -> CodeLines {
    let inpatient = setting == CodingSetting::Inpatient;
    let mut lines = CodeLines::default();
    let mut never: Vec<CodeLine> = Vec::new();
    let mut poa: Vec<PoaLine> = Vec::new();
    for c in conditions {
        never.extend(never_lines(c, inpatient));
        let (codes, uncertain_outpatient) = match c.status {
            ConditionStatus::Active => (&c.codes, false),
            ConditionStatus::Suspected if inpatient => (&c.codes, false),
            ConditionStatus::Suspected => (&c.uncertain_outpatient_codes, true),
            ConditionStatus::RuledOut | ConditionStatus::Resolved => continue,
        };
        for (n, code) in codes.iter().enumerate() {
            let list = match code.system {
                CodeSystem::Icd10Cm => &mut lines.diagnoses,
                CodeSystem::Icd10Pcs if procedures => &mut lines.procedures,
                CodeSystem::Icd10Pcs
                | CodeSystem::Hcpcs
                | CodeSystem::Snomed
                | CodeSystem::Loinc
                | CodeSystem::RxNorm => continue,
            };
            if list.iter().any(|l| l.code() == code.code) {
                continue;
            }
            let mut why = c
                .rationale
                .get(&code.code)
                .cloned()
                .unwrap_or_else(|| default_rationale(c, code, uncertain_outpatient));
            if c.status == ConditionStatus::Suspected && inpatient {
                why.push_str(
                    " — documented as probable at discharge: inpatient, coded as established (OCG II.H, III.C)",
                );
            }
            if inpatient
                && code.system == CodeSystem::Icd10Cm
                && let Some(indicator) = c.poa.get(&code.code)
            {
                poa.push(PoaLine {
                    code: code.code.clone(),
                    indicator: indicator.clone(),
                });
            }
            let leads = n == 0 && list.is_empty() && code.system == CodeSystem::Icd10Cm;
            list.push(CodeLine::Annotated(AnnotatedCode {
                code: code.code.clone(),
                alternatives: c.alternatives.get(&code.code).cloned().unwrap_or_default(),
                optional: c.optional_codes.contains(&code.code),
                rationale: Some(why),
                status: c.status_codes.contains(&code.code),
                combination: c.combination_codes.contains(&code.code),
                may_be_first: c.may_be_first.contains(&code.code),
                first_by: if leads { c.first_by.clone() } else { None },
                never: None,
            }));
        }
        if let Some(bmi) = &c.bmi_code
            && !lines.diagnoses.iter().any(|l| l.code() == bmi)
        {
            lines.diagnoses.push(CodeLine::Annotated(AnnotatedCode {
                code: bmi.clone(),
                optional: true,
                rationale: Some(format!(
                    "BMI documented with a provider-documented weight condition (\"{}\"): {bmi} for the documented value may be added, no other band (OCG I.B.14)",
                    c.display
                )),
                ..AnnotatedCode::default()
            }));
        }
    }
    lines.diagnoses.extend(never);
    lines.poa = poa;
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(c: &str) -> Code {
        Code {
            system: CodeSystem::Icd10Cm,
            code: c.into(),
            display: c.into(),
        }
    }

    fn cond(status: ConditionStatus, codes: &[&str], uncertain: &[&str]) -> CodedCondition {
        CodedCondition {
            group: "g".into(),
            display: "Pneumonia".into(),
            facts: BTreeMap::new(),
            status,
            codes: codes.iter().map(|c| code(c)).collect(),
            uncertain_outpatient_codes: uncertain.iter().map(|c| code(c)).collect(),
            rationale: BTreeMap::new(),
            alternatives: BTreeMap::new(),
            optional_codes: Vec::new(),
            status_codes: Vec::new(),
            combination_codes: Vec::new(),
            may_be_first: Vec::new(),
            first_by: None,
            never_codes: Vec::new(),
            bmi_code: None,
            poa: BTreeMap::new(),
        }
    }

    fn codes(lines: &[CodeLine]) -> Vec<&str> {
        lines
            .iter()
            .filter(|l| !matches!(l, CodeLine::Annotated(a) if a.never.is_some()))
            .map(CodeLine::code)
            .collect()
    }

    fn never(lines: &[CodeLine]) -> Vec<(&str, NeverCoded)> {
        lines
            .iter()
            .filter_map(|l| match l {
                CodeLine::Annotated(a) => a.never.map(|n| (a.code.as_str(), n)),
                CodeLine::Code(_) => None,
            })
            .collect()
    }

    #[test]
    fn probable_is_coded_inpatient_and_replaced_by_symptoms_outpatient() {
        let cs = [
            cond(ConditionStatus::Suspected, &["J18.9"], &["R05.1", "R50.9"]),
            cond(ConditionStatus::RuledOut, &["I21.4"], &[]),
            cond(ConditionStatus::Active, &["I10"], &[]),
        ];
        let inpatient = key_lines(&cs, CodingSetting::Inpatient, false);
        assert_eq!(codes(&inpatient.diagnoses), ["J18.9", "I10"]);
        let outpatient = key_lines(&cs, CodingSetting::Outpatient, false);
        assert_eq!(codes(&outpatient.diagnoses), ["R05.1", "R50.9", "I10"]);
        let CodeLine::Annotated(first) = &outpatient.diagnoses[0] else {
            panic!("annotated")
        };
        assert!(first.rationale.as_deref().unwrap().contains("OCG IV.H"));
        assert_eq!(
            never(&inpatient.diagnoses),
            [("I21.4", NeverCoded::RuledOut)]
        );
        assert_eq!(
            never(&outpatient.diagnoses),
            [
                ("J18.9", NeverCoded::Uncertain),
                ("I21.4", NeverCoded::RuledOut)
            ]
        );
    }

    #[test]
    fn adult_bmi_bands() {
        assert_eq!(adult_bmi_code(35.0).as_deref(), Some("Z68.35"));
        assert_eq!(adult_bmi_code(39.9).as_deref(), Some("Z68.39"));
        assert_eq!(adult_bmi_code(42.0).as_deref(), Some("Z68.41"));
        assert_eq!(adult_bmi_code(19.0).as_deref(), Some("Z68.1"));
    }

    #[test]
    fn repeated_codes_are_listed_once() {
        let cs = [
            cond(ConditionStatus::Active, &["E11.22", "Z79.4"], &[]),
            cond(ConditionStatus::Active, &["Z79.4"], &[]),
        ];
        let lines = key_lines(&cs, CodingSetting::Outpatient, false);
        assert_eq!(codes(&lines.diagnoses), ["E11.22", "Z79.4"]);
    }
}
