//! The reviewed table of "use additional code" requirements that can be checked from a code
//! list alone.
//!
//! Most "use additional code" notes are optional ("if applicable") or name something that is
//! not a code-list fact (long-term insulin use, the organism, the drug). Flagging every one of
//! them would bury the learner in false alarms, so only the rows below are enforced; every
//! other note is shown by `codes show` but not checked. Left out on purpose: E08–E13 "use
//! additional code to identify control" (Z79.4/Z79.84/Z79.85: only when the drug is documented
//! as long-term), E1x.64- hypoglycemia level (E16.A-, "if applicable"), J44.0 infection (the
//! organism may be unknown), T36–T50 manifestations, Z68 BMI (needs a documented condition,
//! which is not a code-list fact), R65.2- severe sepsis (its "code first underlying infection"
//! note is checked by the code-first edit when the infection code is listed).

/// One enforced requirement: a code in `when` needs some code in `needs` in the same list.
#[derive(Debug, Clone, Copy)]
pub struct Requirement {
    /// Normalized keys (or family prefixes) that trigger the rule.
    pub when: &'static [&'static str],
    /// Normalized family prefixes of which at least one must be present.
    pub needs: &'static [&'static str],
    /// What is missing, in words.
    pub missing: &'static str,
    /// How to fix it.
    pub fix: &'static str,
    /// The rule cited.
    pub rule: &'static str,
}

/// The enforced requirements.
pub(crate) const REQUIREMENTS: [Requirement; 3] = [
    Requirement {
        when: &["E0822", "E0922", "E1022", "E1122", "E1322"],
        needs: &["N18"],
        missing: "a code for the stage of chronic kidney disease (N18.-)",
        fix: "add the N18 code for the documented CKD stage (N18.1-N18.6; N18.9 only when the stage is not documented), after the diabetes code",
        rule: "ICD-10-CM Tabular, E08-E13 .22 \"Use additional code to identify stage of chronic kidney disease (N18.1-N18.6)\"; Official Guidelines I.C.4.a",
    },
    Requirement {
        when: &["I12", "I13"],
        needs: &["N18"],
        missing: "a code for the stage of chronic kidney disease (N18.-)",
        fix: "add the N18 code for the documented CKD stage (N18.1-N18.4 or N18.9 with I12.9/I13.0/I13.10; N18.5 or N18.6 with I12.0/I13.11/I13.2)",
        rule: "ICD-10-CM Official Guidelines I.C.9.a.2-3 (hypertensive CKD: use additional code from N18 to identify the stage)",
    },
    Requirement {
        when: &["I110", "I130", "I132"],
        needs: &["I50"],
        missing: "a code for the type of heart failure (I50.-)",
        fix: "add the I50 code for the documented type of heart failure (e.g. I50.9 if the type is not documented)",
        rule: "ICD-10-CM Official Guidelines I.C.9.a.1 and I.C.9.a.3 (hypertensive heart disease with heart failure: use additional code from I50 to identify the type)",
    },
];

/// The requirements a code triggers.
pub(crate) fn triggered_by(key: &str) -> impl Iterator<Item = &'static Requirement> + '_ {
    REQUIREMENTS
        .iter()
        .filter(move |r| r.when.iter().any(|w| key.starts_with(w)))
}

/// A kind of code that the guidelines say is never first-listed.
#[derive(Debug, Clone, Copy)]
pub struct NeverFirst {
    /// What the code is, in words.
    pub what: &'static str,
    /// How to fix the order.
    pub fix: &'static str,
    /// The rule cited.
    pub rule: &'static str,
}

/// The never-first-listed rule that applies to a code (key without dot, and its description),
/// if any. Manifestation codes ("in diseases classified elsewhere") are handled with the
/// code-first notes.
#[must_use]
pub(crate) fn never_first(key: &str, description: &str) -> Option<NeverFirst> {
    if key.starts_with("R652") {
        return Some(NeverFirst {
            what: "severe sepsis (R65.2-)",
            fix: "list the systemic infection first (e.g. A41.9 Sepsis, unspecified organism), then R65.2-",
            rule: "ICD-10-CM Official Guidelines I.C.1.d.4 (severe sepsis: the underlying systemic infection is coded first; R65.2- is never first-listed)",
        });
    }
    if key.starts_with(['V', 'W', 'X', 'Y']) {
        return Some(NeverFirst {
            what: "an external cause code",
            fix: "list the injury or condition first; external cause codes follow it",
            rule: "ICD-10-CM Official Guidelines I.C.20 (external cause codes are never first-listed)",
        });
    }
    if description.to_lowercase().starts_with("underdosing") {
        return Some(NeverFirst {
            what: "an underdosing code",
            fix: "list the condition that relapsed or worsened first, then the underdosing code, then the noncompliance or intent code (Z91.12-, Z91.13-, Z91.14- or Y63.6-Y63.9)",
            rule: "ICD-10-CM Official Guidelines I.C.19.e.5.c (underdosing codes are never first-listed)",
        });
    }
    None
}
