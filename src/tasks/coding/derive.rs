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

use super::submission::{AnnotatedCode, CodeLine, CodeLines};
use crate::patient::spec::PatientSpec;
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

/// The key's code lines for a setting.
pub(crate) fn key_lines(
    conditions: &[CodedCondition],
    setting: CodingSetting,
    procedures: bool,
) -> CodeLines {
    let inpatient = setting == CodingSetting::Inpatient;
    let mut lines = CodeLines::default();
    for c in conditions {
        let (codes, uncertain_outpatient) = match c.status {
            ConditionStatus::Active => (&c.codes, false),
            ConditionStatus::Suspected if inpatient => (&c.codes, false),
            ConditionStatus::Suspected => (&c.uncertain_outpatient_codes, true),
            ConditionStatus::RuledOut | ConditionStatus::Resolved => continue,
        };
        for code in codes {
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
            list.push(CodeLine::Annotated(AnnotatedCode {
                code: code.code.clone(),
                alternatives: c.alternatives.get(&code.code).cloned().unwrap_or_default(),
                optional: c.optional_codes.contains(&code.code),
                rationale: Some(why),
            }));
        }
    }
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
        }
    }

    fn codes(lines: &[CodeLine]) -> Vec<&str> {
        lines.iter().map(CodeLine::code).collect()
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
