//! The reviewed term layer used by [`super::search`] (`assets/terminology/synonyms.ron`,
//! embedded): abbreviations, lay and anatomical synonyms, word families, and the priors that rank
//! the usual code first.
//!
//! - An entry maps one or more query terms (an abbreviation like "t2dm", a lay phrase like
//!   "heart attack", an anatomical word like "leg") to the words of the tabular list ("type 2
//!   diabetes mellitus"; "lower limb", also "lower leg"), with a remark saying why. Terms are one
//!   to three words, lower case.
//! - A word family lists forms the tabular uses for one idea that the search's suffix rules do
//!   not join (femur/femoral, kidney/renal).
//! - A prior gives a code family a small boost (or, negative, a penalty) in ranking, e.g. E11
//!   (type 2) is the default diabetes type (OCG I.C.4.a.2).

use serde::Deserialize;

/// The embedded data file.
pub(crate) const SYNONYMS_RON: &str = include_str!("../../assets/terminology/synonyms.ron");

/// The whole file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SynonymFile {
    /// Format version (1).
    pub version: u32,
    /// Who reviewed it and how.
    pub remarks: String,
    /// The entries.
    pub entries: Vec<Synonym>,
    /// Word families: forms of one word that suffix rules do not join.
    #[serde(default)]
    pub families: Vec<Family>,
    /// Ranking priors per code family.
    #[serde(default)]
    pub priors: Vec<Prior>,
}

/// One mapping.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Synonym {
    /// What a learner types ("afib", "a fib").
    pub terms: Vec<String>,
    /// The tabular words it stands for ("atrial fibrillation").
    pub expansion: String,
    /// Further tabular wordings for the same idea ("lower leg" besides "lower limb").
    #[serde(default)]
    pub also: Vec<String>,
    /// Why (clinical meaning, tabular wording).
    pub remarks: String,
}

/// Forms of one word ("femur", "femoral").
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Family {
    /// The forms, lower case, one word each.
    pub words: Vec<String>,
    /// Why they are one idea.
    pub remarks: String,
}

/// A ranking prior.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Prior {
    /// Code prefixes with the dot as printed ("E11", "I12.9").
    pub codes: Vec<String>,
    /// Added to the score of matching codes (the weight of one rare word is about 5).
    pub boost: f32,
    /// The rule behind it.
    pub remarks: String,
}

/// Parses a synonym file.
///
/// # Errors
/// The RON error with its position, or a message naming the entry that is empty or too long.
pub fn parse(text: &str) -> Result<SynonymFile, String> {
    let file: SynonymFile = ron::from_str(text).map_err(|e| format!("synonyms.ron: {e}"))?;
    for (i, entry) in file.entries.iter().enumerate() {
        if entry.terms.iter().any(|t| t.trim().is_empty())
            || entry.expansion.trim().is_empty()
            || entry.also.iter().any(|t| t.trim().is_empty())
        {
            return Err(format!(
                "synonyms.ron: entries[{i}] has an empty term or expansion"
            ));
        }
        if entry.terms.iter().any(|t| t.split_whitespace().count() > 3) {
            return Err(format!(
                "synonyms.ron: entries[{i}]: a term may have at most three words"
            ));
        }
    }
    for (i, family) in file.families.iter().enumerate() {
        if family.words.len() < 2
            || family
                .words
                .iter()
                .any(|w| w.split_whitespace().count() != 1)
        {
            return Err(format!(
                "synonyms.ron: families[{i}]: a family lists two or more single words"
            ));
        }
    }
    for (i, prior) in file.priors.iter().enumerate() {
        if prior.codes.is_empty() || !prior.boost.is_finite() || prior.boost.abs() > 5.0 {
            return Err(format!(
                "synonyms.ron: priors[{i}]: give at least one code and a boost between -5 and 5"
            ));
        }
    }
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_file_parses() {
        let file = parse(SYNONYMS_RON).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(file.version, 1);
        assert!(
            file.entries
                .iter()
                .any(|e| e.terms.contains(&"afib".to_string()))
        );
        assert!(!file.families.is_empty());
        assert!(!file.priors.is_empty());
    }
}
