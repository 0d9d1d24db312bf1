//! The coding answer: code lines in reporting order. The learner writes plain codes
//! (`"E11.22"`); the key writes annotated lines (`(code: "E11.22", rationale: "…")`) that the
//! grading engine reads as `code` + `alternatives` + `optional` and whose `rationale` it ignores.
//! Both parse back into the same type, so the key always grades 100% and round-trips.

use serde::{Deserialize, Serialize};

/// One code line: a plain code, or an annotated key line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum CodeLine {
    /// A code as the learner types it.
    Code(String),
    /// A key line with what the grader accepts and why.
    Annotated(AnnotatedCode),
}

impl CodeLine {
    /// The code of the line.
    #[must_use]
    pub fn code(&self) -> &str {
        match self {
            Self::Code(c) => c,
            Self::Annotated(a) => &a.code,
        }
    }
}

/// A key line: the code, its accepted alternatives, whether it is optional, and a one-line
/// rationale citing the rule.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnnotatedCode {
    /// The code.
    pub code: String,
    /// Codes accepted in its place.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub alternatives: Vec<String>,
    /// Costs nothing whether given or not.
    #[serde(default, skip_serializing_if = "is_false")]
    pub optional: bool,
    /// Why this code, in one line with the rule.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rationale: Option<String>,
    /// A status or history code: leaving it out is a minor error.
    #[serde(default, skip_serializing_if = "is_false")]
    pub status: bool,
    /// A combination code: leaving it out is a missed combination.
    #[serde(default, skip_serializing_if = "is_false")]
    pub combination: bool,
    /// May be listed first in place of the key's first code.
    #[serde(default, skip_serializing_if = "is_false")]
    pub may_be_first: bool,
    /// The guideline that directs this code to be principal / first-listed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_by: Option<String>,
    /// Not to be coded: the documentation forbids it, for this reason (a key line that
    /// teaches; the grader rates coding it by the rubric's severity table).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub never: Option<NeverCoded>,
}

/// Why a key line must not be coded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NeverCoded {
    /// Documented as ruled out.
    RuledOut,
    /// Probable/suspected in an outpatient setting (ICD-10-CM Official Guidelines IV.H).
    Uncertain,
    /// Documented as history.
    History,
    /// Contradicted by the documentation.
    Contradicted,
}

impl From<crate::patient::spec::NeverKind> for NeverCoded {
    fn from(kind: crate::patient::spec::NeverKind) -> Self {
        use crate::patient::spec::NeverKind as K;
        match kind {
            K::RuledOut => Self::RuledOut,
            K::Uncertain => Self::Uncertain,
            K::History => Self::History,
            K::Contradicted => Self::Contradicted,
        }
    }
}

#[allow(clippy::trivially_copy_pass_by_ref)]
fn is_false(b: &bool) -> bool {
    !*b
}

/// The code lines.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CodeLines {
    /// ICD-10-CM codes, first-listed/principal first.
    #[serde(default)]
    pub diagnoses: Vec<CodeLine>,
    /// ICD-10-PCS codes (inpatient).
    #[serde(default)]
    pub procedures: Vec<CodeLine>,
    /// Present-on-admission indicators of the diagnoses (inpatient): one line per code. The
    /// key lists the indicators the documentation supports; the others are not graded.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub poa: Vec<PoaLine>,
    /// The claim facts the MS-DRG grouper needs besides the codes, from the case (the key's
    /// only: an answer's are ignored).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claim: Option<ClaimFacts>,
}

/// The POA indicator of one diagnosis (UB-04 FL 67 and 67A-Q; ICD-10-CM Official Guidelines
/// Appendix I).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PoaLine {
    /// The diagnosis code.
    pub code: String,
    /// Y (present at the time of inpatient admission), N (not present), U (documentation
    /// insufficient), W (clinically undetermined) or 1 (exempt from POA reporting).
    pub indicator: String,
}

/// The claim facts of an inpatient case that group it (age, sex, discharge status, discharge
/// date) and the length of stay for the transfer payment.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClaimFacts {
    /// Age in years on the discharge date.
    pub age: u32,
    /// M or F.
    pub sex: String,
    /// Patient discharge status (UB-04 FL 17), two digits: "01" home, "20" expired, …
    pub discharge_status: String,
    /// Discharge date, YYYY-MM-DD (picks the MS-DRG version).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discharge_date: Option<String>,
    /// Length of stay in days (discharge day not counted).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub length_of_stay: Option<u32>,
}

/// A coding submission (and key).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CodingSubmission {
    /// The codes.
    #[serde(default)]
    pub codes: CodeLines,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ron_roundtrip(s: &CodingSubmission) -> CodingSubmission {
        let config = ron::ser::PrettyConfig::default()
            .struct_names(false)
            .extensions(ron::extensions::Extensions::IMPLICIT_SOME);
        let text = ron::ser::to_string_pretty(s, config).unwrap();
        crate::ron_input::ron_options()
            .from_str(&text)
            .unwrap_or_else(|e| panic!("{e}\n{text}"))
    }

    #[test]
    fn plain_and_annotated_lines_round_trip_through_ron_and_json() {
        let s = CodingSubmission {
            codes: CodeLines {
                diagnoses: vec![
                    CodeLine::Annotated(AnnotatedCode {
                        code: "E11.22".into(),
                        alternatives: vec![],
                        rationale: Some("why".into()),
                        ..AnnotatedCode::default()
                    }),
                    CodeLine::Annotated(AnnotatedCode {
                        code: "W19.XXXA".into(),
                        alternatives: vec!["W18.30XA".into()],
                        optional: true,
                        ..AnnotatedCode::default()
                    }),
                    CodeLine::Code("N18.31".into()),
                ],
                procedures: vec![],
                poa: vec![PoaLine {
                    code: "E11.22".into(),
                    indicator: "Y".into(),
                }],
                claim: Some(ClaimFacts {
                    age: 70,
                    sex: "F".into(),
                    discharge_status: "01".into(),
                    discharge_date: Some("2026-04-10".into()),
                    length_of_stay: Some(4),
                }),
            },
        };
        assert_eq!(ron_roundtrip(&s), s);
        let json = serde_json::to_string(&s).unwrap();
        assert_eq!(serde_json::from_str::<CodingSubmission>(&json).unwrap(), s);
        let learner: CodingSubmission = crate::ron_input::ron_options()
            .from_str("(codes: (diagnoses: [\"E11.22\", \"N18.31\"]))")
            .unwrap();
        assert_eq!(learner.codes.diagnoses[1].code(), "N18.31");
    }
}
