//! Clinical phrase matching: the comparison form of a short clinical text (a problem, a dose,
//! a route, a frequency) under [`TextRules::clinical`](crate::grading::rubric::TextRules).
//!
//! Two phrases match when their forms are equal. The form is built in steps (documented with
//! the full table in `grading/README.md`, "Matching clinical phrases"):
//!
//! 1. lower case; dots inside abbreviations dropped (`b.i.d.` → `bid`); words are runs of
//!    letters and digits (a decimal such as `2.5` is one word); a number glued to a unit is
//!    split (`10mg` → `10 mg`); number words zero–twelve become digits;
//! 2. standard abbreviations and their spelled-out forms become one canonical word
//!    ([`PHRASES`]: `q8h` = `every 8 hours`, `bid` = `twice daily`, `PO` = `by mouth`, …);
//! 3. the articles and linking words `a`, `an`, `the`, `of`, `in`, `for` are dropped;
//! 4. a laterality or negation word (`left`, `right`, `bilateral`, `with`, `without`, `no`,
//!    `not`, `non`) is bound to the word after it, and so is a number to the unit after it, so
//!    "left ankle" stays one unit wherever it stands and "5 mg" never matches "mg 5 … 2";
//! 5. the units are sorted: word order that does not change the meaning does not matter
//!    ("left ankle sprain" = "sprain of the left ankle"), while "left" and "right", "with" and
//!    "without" still do.

use std::collections::HashMap;
use std::sync::OnceLock;

/// Abbreviations and their spelled-out forms, each group written as one canonical word. The
/// first entry of each group is its canonical spelling. Matching is on whole words, longest
/// phrase first, after step 1 (so `every 8 hours` also covers `every eight hours`).
pub const PHRASES: &[(&str, &[&str])] = &[
    // Frequencies.
    (
        "daily",
        &[
            "qd",
            "q day",
            "qday",
            "once daily",
            "once a day",
            "once per day",
            "every day",
            "each day",
            "1 time daily",
            "1 time a day",
        ],
    ),
    (
        "bid",
        &[
            "twice daily",
            "twice a day",
            "twice per day",
            "2 times daily",
            "2 times a day",
            "2 times per day",
        ],
    ),
    (
        "tid",
        &[
            "3 times daily",
            "3 times a day",
            "3 times per day",
            "thrice daily",
        ],
    ),
    (
        "qid",
        &["4 times daily", "4 times a day", "4 times per day"],
    ),
    (
        "qhs",
        &[
            "hs",
            "at bedtime",
            "nightly at bedtime",
            "every night at bedtime",
            "before bed",
            "bedtime",
        ],
    ),
    ("qam", &["every morning", "each morning", "in the morning"]),
    ("qpm", &["every evening", "each evening", "in the evening"]),
    ("qod", &["every other day"]),
    (
        "weekly",
        &["qw", "qwk", "once weekly", "once a week", "every week"],
    ),
    (
        "prn",
        &["as needed", "when needed", "if needed", "as required"],
    ),
    // Routes.
    ("po", &["by mouth", "per mouth", "per os", "oral", "orally"]),
    ("iv", &["intravenous", "intravenously"]),
    ("im", &["intramuscular", "intramuscularly"]),
    ("sl", &["sublingual", "sublingually", "under the tongue"]),
    (
        "subcut",
        &["sc", "sq", "subq", "subcutaneous", "subcutaneously"],
    ),
    ("inh", &["inhaled", "inhalation", "by inhalation"]),
    ("top", &["topical", "topically"]),
    ("pr", &["rectal", "rectally", "per rectum"]),
    // Units.
    ("mg", &["milligram", "milligrams"]),
    ("mcg", &["microgram", "micrograms", "ug"]),
    (
        "ml",
        &["milliliter", "milliliters", "millilitre", "millilitres"],
    ),
    // Laterality.
    ("left", &["lt"]),
    ("right", &["rt"]),
    ("bilateral", &["bilat", "both"]),
];

/// Units a number glued to them is split from, and bound to.
const UNITS: &[&str] = &[
    "mg",
    "mcg",
    "g",
    "kg",
    "ml",
    "l",
    "meq",
    "mmol",
    "unit",
    "units",
    "iu",
    "tab",
    "tabs",
    "tablet",
    "tablets",
    "cap",
    "caps",
    "capsule",
    "capsules",
    "puff",
    "puffs",
    "drop",
    "drops",
    "spray",
    "sprays",
    "patch",
    "patches",
    "inhalation",
    "inhalations",
    "ug",
    "milligram",
    "milligrams",
    "microgram",
    "micrograms",
];

/// Words dropped before comparing.
const FILLER: &[&str] = &["a", "an", "the", "of", "in", "for"];

/// Words bound to the word after them.
const BINDING: &[&str] = &[
    "left",
    "right",
    "bilateral",
    "with",
    "without",
    "no",
    "not",
    "non",
];

const NUMBER_WORDS: &[(&str, &str)] = &[
    ("zero", "0"),
    ("one", "1"),
    ("two", "2"),
    ("three", "3"),
    ("four", "4"),
    ("five", "5"),
    ("six", "6"),
    ("seven", "7"),
    ("eight", "8"),
    ("nine", "9"),
    ("ten", "10"),
    ("eleven", "11"),
    ("twelve", "12"),
];

/// Step 1: lower-case words, decimals kept whole, numbers split from glued units.
fn tokens(text: &str) -> Vec<String> {
    let lower = text.to_lowercase();
    let chars: Vec<char> = lower.chars().collect();
    let mut words = Vec::new();
    let mut cur = String::new();
    for (i, &c) in chars.iter().enumerate() {
        let prev = i.checked_sub(1).and_then(|j| chars.get(j)).copied();
        let next = chars.get(i + 1).copied();
        // A decimal point stays inside its number.
        let decimal = c == '.'
            && prev.is_some_and(|p| p.is_ascii_digit())
            && next.is_some_and(|n| n.is_ascii_digit());
        if c.is_alphanumeric() || decimal {
            cur.push(c);
        } else if c == '.'
            && prev.is_some_and(char::is_alphabetic)
            && next.is_some_and(char::is_alphabetic)
        {
            // b.i.d → bid: a dot between letters joins them.
        } else if !cur.is_empty() {
            words.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        words.push(cur);
    }
    let mut out = Vec::with_capacity(words.len());
    for w in words {
        let digits = w
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(w.len());
        let (number, rest) = w.split_at(digits);
        if digits > 0 && UNITS.contains(&rest) {
            out.push(number.to_string());
            out.push(rest.to_string());
            continue;
        }
        match NUMBER_WORDS.iter().find(|(word, _)| *word == w) {
            Some((_, digit)) => out.push((*digit).to_string()),
            None => out.push(w),
        }
    }
    out
}

/// `q8h`, `q8hr`, `q 8 h`, `every 8 hours` (already in words) → `q8h`, with the number of
/// words it took.
fn every_hours(words: &[String]) -> Option<(String, usize)> {
    let hours = |w: &str| matches!(w, "h" | "hr" | "hrs" | "hour" | "hours");
    let first = words.first()?;
    if let Some(rest) = first.strip_prefix('q') {
        let n_end = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        let (n, unit) = rest.split_at(n_end);
        if !n.is_empty() {
            if hours(unit) {
                return Some((format!("q{n}h"), 1));
            }
            if unit.is_empty() && words.get(1).is_some_and(|w| hours(w)) {
                return Some((format!("q{n}h"), 2));
            }
        }
    }
    if matches!(first.as_str(), "q" | "every" | "each") {
        let n = words.get(1)?;
        if n.chars().all(|c| c.is_ascii_digit()) && words.get(2).is_some_and(|w| hours(w)) {
            return Some((format!("q{n}h"), 3));
        }
    }
    None
}

/// The comparison form of a clinical phrase (see the module docs).
///
/// Remembered per thread (bounded): grading compares the same few phrases (a rubric's
/// synonyms, a key's entries) for every answer, and the form depends on the text alone.
#[must_use]
pub fn clinical_form(text: &str) -> String {
    use std::cell::RefCell;
    use std::collections::HashMap;
    const MAX_ENTRIES: usize = 4096;
    thread_local! {
        static FORMS: RefCell<HashMap<String, String>> = RefCell::new(HashMap::new());
    }
    if let Some(known) = FORMS.with(|f| f.borrow().get(text).cloned()) {
        return known;
    }
    let form = form_of(text);
    FORMS.with(|f| {
        let mut forms = f.borrow_mut();
        if forms.len() >= MAX_ENTRIES {
            forms.clear();
        }
        forms.insert(text.to_string(), form.clone());
    });
    form
}

/// Abbreviation forms by first word: (canonical phrase, the form's words).
type FormsByFirstWord = HashMap<&'static str, Vec<(&'static str, Vec<&'static str>)>>;

/// Every abbreviation form as words, with its canonical phrase, in the order of `PHRASES`
/// (each canonical phrase first, then its forms), grouped by first word.
fn forms_by_first_word() -> &'static FormsByFirstWord {
    static FORMS: OnceLock<FormsByFirstWord> = OnceLock::new();
    FORMS.get_or_init(|| {
        let mut by_first = FormsByFirstWord::new();
        for (canonical, forms) in PHRASES {
            for form in std::iter::once(canonical).chain(forms.iter()) {
                let words: Vec<&'static str> = form.split(' ').collect();
                let first = words.first().copied().unwrap_or("");
                by_first.entry(first).or_default().push((*canonical, words));
            }
        }
        by_first
    })
}

/// [`clinical_form`], computed.
fn form_of(text: &str) -> String {
    let words = tokens(text);
    // Step 2: abbreviations, longest phrase first.
    let mut canon: Vec<String> = Vec::with_capacity(words.len());
    let mut i = 0;
    while let Some(rest) = words.get(i..).filter(|r| !r.is_empty()) {
        if let Some((word, used)) = every_hours(rest) {
            canon.push(word);
            i += used;
            continue;
        }
        let mut best: Option<(&str, usize)> = None;
        // Only forms whose first word is this word can match here (every form has one).
        let candidates = rest
            .first()
            .and_then(|w| forms_by_first_word().get(w.as_str()))
            .map_or(&[][..], Vec::as_slice);
        for (canonical, form_words) in candidates {
            let n = form_words.len();
            let hit = rest.len() >= n && rest.iter().zip(form_words).all(|(a, b)| a == b);
            if hit && best.is_none_or(|(_, m)| n > m) {
                best = Some((*canonical, n));
            }
        }
        match best {
            Some((canonical, n)) => {
                canon.push(canonical.to_string());
                i += n;
            }
            None => {
                canon.push(rest.first().cloned().unwrap_or_default());
                i += 1;
            }
        }
    }
    // Step 3: filler words (an article closing the phrase, as in "hepatitis a", is kept).
    let last = canon.len().saturating_sub(1);
    let kept: Vec<String> = canon
        .into_iter()
        .enumerate()
        .filter(|(i, w)| !(FILLER.contains(&w.as_str()) && *i != last))
        .map(|(_, w)| w)
        .collect();
    // Step 4: bind laterality, negation and a number before its unit to the next word.
    let mut units: Vec<String> = Vec::with_capacity(kept.len());
    let mut prefix = String::new();
    for (i, w) in kept.iter().enumerate() {
        let next_is_unit = kept.get(i + 1).is_some_and(|n| UNITS.contains(&n.as_str()));
        let is_number = w.chars().all(|c| c.is_ascii_digit() || c == '.');
        let binds = BINDING.contains(&w.as_str()) || (is_number && next_is_unit);
        if binds && i + 1 < kept.len() {
            prefix.push_str(w);
            prefix.push('+');
        } else {
            units.push(format!("{prefix}{w}"));
            prefix.clear();
        }
    }
    // Step 5: order does not matter.
    units.sort();
    units.join(" ")
}

#[cfg(test)]
mod tests {
    use super::clinical_form as f;

    #[test]
    fn articles_and_word_order_do_not_matter_laterality_does() {
        assert_eq!(f("Sprain of left ankle"), f("Sprain of the left ankle"));
        assert_eq!(f("left ankle sprain"), f("sprain of left ankle"));
        assert_ne!(f("left ankle sprain"), f("right ankle sprain"));
        assert_ne!(
            f("right knee pain and left ankle sprain"),
            f("left knee pain and right ankle sprain")
        );
        assert_ne!(
            f("appendicitis without perforation with gangrene"),
            f("appendicitis with perforation without gangrene")
        );
        assert_eq!(
            f("Type 2 diabetes mellitus"),
            f("diabetes mellitus, type two")
        );
        assert_ne!(f("CKD stage 3a"), f("CKD stage 3b"));
    }

    #[test]
    fn abbreviations_match_their_spelled_out_forms() {
        assert_eq!(f("q8h"), f("every 8 hours"));
        assert_eq!(f("Q8H"), f("every eight hours"));
        assert_eq!(f("q 8 h"), f("q8hr"));
        assert_ne!(f("q8h"), f("q6h"));
        assert_eq!(f("BID"), f("twice daily"));
        assert_eq!(f("b.i.d."), f("twice a day"));
        assert_eq!(f("tid"), f("three times a day"));
        assert_eq!(f("qid"), f("4 times daily"));
        assert_eq!(f("qd"), f("daily"));
        assert_eq!(f("once daily"), f("daily"));
        assert_eq!(f("PO"), f("by mouth"));
        assert_eq!(f("oral"), f("PO"));
        assert_eq!(f("PRN"), f("as needed"));
        assert_eq!(f("qhs"), f("at bedtime"));
        assert_eq!(f("IV"), f("intravenous"));
        assert_eq!(f("IM"), f("intramuscular"));
        assert_eq!(f("SL"), f("sublingual"));
        assert_eq!(f("10mg"), f("10 mg"));
        assert_eq!(f("2.5 mg"), f("2.5 milligrams"));
        assert_ne!(f("2.5 mg"), f("5.2 mg"));
        assert_ne!(f("5 mg 2 tablets"), f("2 mg 5 tablets"));
    }
}
