//! The reviewed abbreviation and synonym list used by [`super::search`]
//! (`assets/terminology/synonyms.ron`, embedded).
//!
//! Each entry maps one or more query terms (an abbreviation like "t2dm" or a lay phrase like
//! "heart attack") to the words of the tabular list ("type 2 diabetes mellitus"), with a remark
//! saying why. Terms and expansions are lower case; a term may be one or two words.

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
}

/// One mapping.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Synonym {
    /// What a learner types ("afib", "a fib").
    pub terms: Vec<String>,
    /// The tabular words it stands for ("atrial fibrillation").
    pub expansion: String,
    /// Why (clinical meaning, tabular wording).
    pub remarks: String,
}

/// Parses a synonym file.
///
/// # Errors
/// The RON error with its position, or a message naming an empty term.
pub fn parse(text: &str) -> Result<SynonymFile, String> {
    let file: SynonymFile = ron::from_str(text).map_err(|e| format!("synonyms.ron: {e}"))?;
    for (i, entry) in file.entries.iter().enumerate() {
        if entry.terms.iter().any(|t| t.trim().is_empty()) || entry.expansion.trim().is_empty() {
            return Err(format!(
                "synonyms.ron: entries[{i}] has an empty term or expansion"
            ));
        }
        if entry.terms.iter().any(|t| t.split_whitespace().count() > 2) {
            return Err(format!(
                "synonyms.ron: entries[{i}]: a term may have at most two words"
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
    }
}
