//! Codes that conflict with the patient's sex or age, for the encoder's flags (flagged, never
//! hidden: the learner decides).
//!
//! The rules are the CMS Medicare Code Editor (MCE) age and sex edits in the form coders meet
//! them, by code range, and the ICD-10-CM rules they rest on:
//! - perinatal (chapter 16, P00-P96) and liveborn Z38 codes: age 0 (MCE newborn/perinatal edit;
//!   OCG I.C.16.a.4 allows chapter 16 codes later in life only for a condition that began in
//!   the perinatal period, so the flag asks the learner to check that);
//! - maternity (chapter 15, O00-O9A) and the pregnancy Z codes (Z32-Z36, Z39, Z3A): female,
//!   ages 12-55 (OCG I.C.15.a: chapter 15 codes are used only on the maternal record; MCE
//!   maternity age and sex edits);
//! - BMI: adult Z68.1-Z68.45 for ages 20 and over, pediatric Z68.5- for ages 2-19 (the Z68 note
//!   of the Tabular);
//! - health examinations: Z00.0- adult (18 and over), Z00.1- newborn, infant and child (0-17)
//!   (Tabular titles; MCE adult and pediatric edits);
//! - sex: diagnoses of one sex's organs (MCE sex conflict edit lists: male N40-N53, C60-C63,
//!   D07.4-D07.6, D29, D40, E29, Q53-Q55, R97.2, Z12.5; female N70-N98, C51-C58, D06,
//!   D07.0-D07.3, D25-D28, D39, E28, Q50-Q52, Z01.41, Z12.4, and the maternity codes above).

/// The patient's sex as the edits read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sex {
    /// Female.
    Female,
    /// Male.
    Male,
}

/// What the edits need to know about the patient.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PatientFacts {
    /// Administrative sex.
    pub sex: Sex,
    /// Age in whole years on the encounter date.
    pub age_years: u32,
}

/// One conflict, with the rule it comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    /// What conflicts, in words ("Maternity code for a male patient").
    pub message: String,
    /// The rule ("CMS MCE sex edit; ICD-10-CM OCG I.C.15.a").
    pub rule: &'static str,
}

/// Whether the dotless `key` lies in the code range `lo`..=`hi` (each a code prefix).
fn in_range(key: &str, lo: &str, hi: &str) -> bool {
    let head = |n: usize| key.get(..n.min(key.len())).unwrap_or(key);
    head(lo.len()) >= lo && head(hi.len()) <= hi
}

fn any_range(key: &str, ranges: &[(&str, &str)]) -> bool {
    ranges.iter().any(|(lo, hi)| in_range(key, lo, hi))
}

const MATERNITY: [(&str, &str); 6] = [
    ("O00", "O9A"),
    ("Z32", "Z36"),
    ("Z39", "Z39"),
    ("Z3A", "Z3A"),
    ("Z331", "Z331"),
    ("Z333", "Z333"),
];

const MALE_ONLY: [(&str, &str); 10] = [
    ("N40", "N53"),
    ("C60", "C63"),
    ("D074", "D076"),
    ("D29", "D29"),
    ("D40", "D40"),
    ("E29", "E29"),
    ("Q53", "Q55"),
    ("R972", "R972"),
    ("Z125", "Z125"),
    ("B260", "B260"),
];

const FEMALE_ONLY: [(&str, &str); 10] = [
    ("N70", "N98"),
    ("C51", "C58"),
    ("D06", "D06"),
    ("D070", "D073"),
    ("D25", "D28"),
    ("D39", "D39"),
    ("E28", "E28"),
    ("Q50", "Q52"),
    ("Z0141", "Z0141"),
    ("Z124", "Z124"),
];

const MATERNITY_RULE: &str = "ICD-10-CM OCG I.C.15.a (chapter 15 codes only on the maternal record); CMS MCE maternity edit (female, age 12-55)";
const SEX_RULE: &str = "CMS MCE sex conflict edit (diagnoses of one sex's organs)";

/// The conflicts between a code (ICD-10-CM, with or without the dot) and the patient.
#[must_use]
pub fn conflicts(code: &str, patient: PatientFacts) -> Vec<Conflict> {
    let key: String = code
        .chars()
        .filter(|c| *c != '.')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let age = patient.age_years;
    let mut out = Vec::new();
    if any_range(&key, &MATERNITY) {
        if patient.sex == Sex::Male {
            out.push(Conflict {
                message: "Maternity code for a male patient".into(),
                rule: MATERNITY_RULE,
            });
        }
        if !(12..=55).contains(&age) {
            out.push(Conflict {
                message: format!("Maternity code for a patient aged {age} (edit expects 12-55)"),
                rule: MATERNITY_RULE,
            });
        }
    }
    if (in_range(&key, "P00", "P96") || in_range(&key, "Z38", "Z38")) && age > 0 {
        out.push(Conflict {
            message: format!(
                "Newborn/perinatal code for a patient aged {age}: only if the condition began in the perinatal period"
            ),
            rule: "CMS MCE newborn edit (age 0); ICD-10-CM OCG I.C.16.a.4",
        });
    }
    let bmi_adult = in_range(&key, "Z681", "Z684");
    if bmi_adult && age < 20 {
        out.push(Conflict {
            message: format!("Adult BMI code for a patient aged {age} (adults are 20 and over)"),
            rule: "ICD-10-CM Tabular Z68 note: adult BMI codes for ages 20 and over, pediatric Z68.5- for ages 2-19",
        });
    }
    if in_range(&key, "Z685", "Z685") && !(2..=19).contains(&age) {
        out.push(Conflict {
            message: format!("Pediatric BMI code for a patient aged {age} (pediatric is 2-19)"),
            rule: "ICD-10-CM Tabular Z68 note: pediatric BMI codes (Z68.5-) for ages 2-19",
        });
    }
    if in_range(&key, "Z000", "Z000") && age < 18 {
        out.push(Conflict {
            message: format!("Adult examination code for a patient aged {age}"),
            rule: "ICD-10-CM Z00.0- adult medical examination; CMS MCE adult diagnosis edit",
        });
    }
    if in_range(&key, "Z001", "Z001") && age >= 18 {
        out.push(Conflict {
            message: format!("Child health examination code for a patient aged {age}"),
            rule: "ICD-10-CM Z00.1- newborn, infant and child examination; CMS MCE pediatric diagnosis edit",
        });
    }
    if patient.sex == Sex::Female && any_range(&key, &MALE_ONLY) {
        out.push(Conflict {
            message: "Code for male patients only; this patient is female".into(),
            rule: SEX_RULE,
        });
    }
    if patient.sex == Sex::Male && any_range(&key, &FEMALE_ONLY) {
        out.push(Conflict {
            message: "Code for female patients only; this patient is male".into(),
            rule: SEX_RULE,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAN_50: PatientFacts = PatientFacts {
        sex: Sex::Male,
        age_years: 50,
    };

    #[test]
    fn ranges_compare_prefixes() {
        assert!(in_range("O9A211", "O00", "O9A"));
        assert!(in_range("O80", "O00", "O9A"));
        assert!(!in_range("P00", "O00", "O9A"));
        assert!(in_range("D075", "D074", "D076"));
        assert!(!in_range("D077", "D074", "D076"));
    }

    #[test]
    fn flags_by_sex_and_age() {
        assert_eq!(conflicts("O80", MAN_50).len(), 1);
        assert!(conflicts("N40.0", MAN_50).is_empty());
        assert_eq!(conflicts("N83.20", MAN_50).len(), 1);
        assert_eq!(conflicts("P07.30", MAN_50).len(), 1);
        assert!(conflicts("E11.22", MAN_50).is_empty());
        let girl = PatientFacts {
            sex: Sex::Female,
            age_years: 9,
        };
        assert_eq!(conflicts("Z68.41", girl).len(), 1);
        assert_eq!(conflicts("O80", girl).len(), 1);
        assert!(conflicts("Z68.52", girl).is_empty());
        assert_eq!(conflicts("N40.0", girl).len(), 1);
    }
}
