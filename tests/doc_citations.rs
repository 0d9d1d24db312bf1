//! Citations of repository documents: every `docs/….md`, `grading/README.md` or
//! `scenarios/README.md` named in the code, the rubrics, the scenarios, the test fixtures, the
//! docs or the top-level README exists, and every section it names (`§2`, `§5.1`, `§2-6`,
//! `§2.3, §5.6`) is a numbered heading of that file. Rubric `source` strings are shown to
//! learners, so nothing may cite a document that is not part of the repository.

use std::collections::{BTreeSet, HashMap};
use std::fs;
use std::path::{Path, PathBuf};

use regex::Regex;

/// The folders and files whose text is checked, relative to the repository root.
const SCANNED: &[&str] = &[
    "src",
    "grading",
    "scenarios",
    "tests/fixtures",
    "docs",
    "README.md",
];

/// Documents that are not in the repository and must never be cited or mentioned.
const OUTSIDE_DOCUMENTS: &[&str] = &["DOMAIN.md", "DOMAIN-revenue-privacy.md"];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn files_under(path: &Path, out: &mut Vec<PathBuf>) {
    if path.is_file() {
        out.push(path.to_path_buf());
        return;
    }
    let mut entries: Vec<PathBuf> = fs::read_dir(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .map(|entry| {
            entry
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
                .path()
        })
        .collect();
    entries.sort();
    for entry in entries {
        files_under(&entry, out);
    }
}

/// Every scanned file with its path relative to the root and its text (lossy for binary files).
fn scanned_files(root: &Path) -> Vec<(String, String)> {
    let mut paths = Vec::new();
    for item in SCANNED {
        let path = root.join(item);
        assert!(path.exists(), "{} does not exist", path.display());
        files_under(&path, &mut paths);
    }
    paths
        .into_iter()
        .map(|path| {
            let bytes = fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let rel = path
                .strip_prefix(root)
                .unwrap_or(&path)
                .display()
                .to_string();
            (rel, String::from_utf8_lossy(&bytes).into_owned())
        })
        .collect()
}

/// The section numbers of a Markdown file's numbered headings: `## 2. Adult vital signs` → "2",
/// `### 5.1 Hypertension` → "5.1". Headings inside fenced code blocks are ignored.
fn heading_numbers(markdown: &str) -> BTreeSet<String> {
    let heading = Regex::new(r"^#{1,6}\s+(\d+(?:\.\d+)*)\.?(?:\s|$)").unwrap();
    let mut numbers = BTreeSet::new();
    let mut in_fence = false;
    for line in markdown.lines() {
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
            continue;
        }
        if let Some(caps) = heading.captures(line).filter(|_| !in_fence) {
            numbers.insert(caps[1].to_string());
        }
    }
    numbers
}

/// One problem: where, what was cited, and why it is wrong.
#[derive(Debug, PartialEq)]
struct Problem {
    file: String,
    line: usize,
    citation: String,
    reason: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}: `{}`: {}",
            self.file, self.line, self.citation, self.reason
        )
    }
}

/// Checks one file's text. `headings` returns the heading numbers of a cited document, or `None`
/// when the document does not exist.
fn check_text(
    file: &str,
    text: &str,
    headings: &mut dyn FnMut(&str) -> Option<BTreeSet<String>>,
) -> Vec<Problem> {
    const SECTION: &str = r"\d+(?:\.\d+)*(?:\s*[-–]\s*\d+(?:\.\d+)*)?";
    let citation = Regex::new(&format!(
        r"(docs/[A-Za-z0-9_./-]+?\.md|grading/README\.md|scenarios/README\.md)`?((?:\s*§\s*{SECTION})(?:\s*,\s*§\s*{SECTION})*)?"
    ))
    .unwrap();
    let section = Regex::new(&format!(r"§\s*({SECTION})")).unwrap();
    let bound = Regex::new(r"\d+(?:\.\d+)*").unwrap();
    let mut problems = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let line_no = index + 1;
        for name in OUTSIDE_DOCUMENTS {
            if line.contains(name) {
                problems.push(Problem {
                    file: file.to_string(),
                    line: line_no,
                    citation: (*name).to_string(),
                    reason: "names a document that is not part of the repository".to_string(),
                });
            }
        }
        for caps in citation.captures_iter(line) {
            let whole = caps.get(0).unwrap();
            // Only paths from the repository root (or `../` from a top-level folder's README):
            // `assets/docs/x.md` or `my-docs/x.md` are not citations of `docs/`.
            let before = &line[..whole.start()];
            let prev = before.chars().next_back();
            let glued = prev.is_some_and(|c| c.is_alphanumeric() || "_-.".contains(c));
            if glued || (prev == Some('/') && !before.ends_with("../")) {
                continue;
            }
            let path = &caps[1];
            let cited = whole.as_str().trim_end().to_string();
            let Some(numbers) = headings(path) else {
                problems.push(Problem {
                    file: file.to_string(),
                    line: line_no,
                    citation: cited,
                    reason: format!("{path} does not exist"),
                });
                continue;
            };
            let Some(sections) = caps.get(2) else {
                continue;
            };
            for spec in section.captures_iter(sections.as_str()) {
                for number in bound.find_iter(&spec[1]) {
                    if !numbers.contains(number.as_str()) {
                        problems.push(Problem {
                            file: file.to_string(),
                            line: line_no,
                            citation: cited.clone(),
                            reason: format!("{path} has no heading numbered {}", number.as_str()),
                        });
                    }
                }
            }
        }
    }
    problems
}

/// Checks every scanned file against the documents on disk.
fn check_repository(root: &Path) -> Vec<Problem> {
    let mut cache: HashMap<String, Option<BTreeSet<String>>> = HashMap::new();
    let mut headings = |path: &str| {
        cache
            .entry(path.to_string())
            .or_insert_with(|| {
                let file = root.join(path);
                file.is_file()
                    .then(|| heading_numbers(&fs::read_to_string(&file).unwrap_or_default()))
            })
            .clone()
    };
    let mut problems = Vec::new();
    for (file, text) in scanned_files(root) {
        problems.extend(check_text(&file, &text, &mut headings));
    }
    problems
}

fn report(problems: &[Problem]) -> String {
    problems.iter().map(|p| format!("\n  {p}")).collect()
}

#[test]
fn every_cited_document_and_section_exists() {
    let problems: Vec<Problem> = check_repository(&root())
        .into_iter()
        .filter(|p| !OUTSIDE_DOCUMENTS.contains(&p.citation.as_str()))
        .collect();
    assert!(
        problems.is_empty(),
        "broken document citations:{}",
        report(&problems)
    );
}

#[test]
fn nothing_names_a_document_outside_the_repository() {
    let problems: Vec<Problem> = check_repository(&root())
        .into_iter()
        .filter(|p| OUTSIDE_DOCUMENTS.contains(&p.citation.as_str()))
        .collect();
    assert!(
        problems.is_empty(),
        "documents outside the repository:{}",
        report(&problems)
    );
}

#[test]
fn the_domain_docs_are_cited_and_have_numbered_sections() {
    // The citations above are only as good as the headings they resolve to.
    let root = root();
    for doc in [
        "triage-esi.md",
        "coding-icd10cm.md",
        "hospice.md",
        "charting.md",
    ] {
        let text = fs::read_to_string(root.join("docs/domain").join(doc)).unwrap();
        let numbers = heading_numbers(&text);
        assert!(
            numbers.contains("1") && numbers.contains("2"),
            "{doc}: {numbers:?}"
        );
        let cited = format!("docs/domain/{doc}");
        let used = scanned_files(&root)
            .iter()
            .any(|(file, text)| !file.starts_with("docs/domain/") && text.contains(&cited));
        assert!(used, "nothing cites {cited}");
    }
}

#[test]
fn the_checker_reports_missing_files_sections_and_outside_documents() {
    let doc = heading_numbers(
        "# Title\n\n## 1. One\n\n### 1.1 Sub\n\n```sh\n# 7. not a heading\n```\n\n## 2. Two\n",
    );
    assert_eq!(
        doc,
        BTreeSet::from(["1".to_string(), "1.1".to_string(), "2".to_string()])
    );
    let mut headings = |path: &str| (path == "docs/a.md").then(|| doc.clone());
    let text = "\
ok: docs/a.md §1.1, docs/a.md §1-2, `docs/a.md` §2, source: \"x; docs/a.md §1, §2\"
bad section: docs/a.md §3 and docs/a.md §1.1-1.4 and docs/a.md §1, §7
bad file: docs/b.md §1
not a citation: assets/docs/b.md, my-docs/b.md
outside: DOMAIN.md §4.2";
    let problems = check_text("f.ron", text, &mut headings);
    let found: Vec<(usize, &str)> = problems
        .iter()
        .map(|p| (p.line, p.reason.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (2, "docs/a.md has no heading numbered 3"),
            (2, "docs/a.md has no heading numbered 1.4"),
            (2, "docs/a.md has no heading numbered 7"),
            (3, "docs/b.md does not exist"),
            (5, "names a document that is not part of the repository"),
        ],
        "{}",
        report(&problems)
    );
    assert_eq!(
        problems[0].to_string(),
        "f.ron:2: `docs/a.md §3`: docs/a.md has no heading numbered 3"
    );
}

/// Names of primary sources a rule may cite: federal regulations and CMS manuals, the official
/// code sets and their guidelines, the ESI handbook, the HOPE manuals, The Joint Commission, CDC.
const PRIMARY_SOURCES: &[&str] = &[
    "42 CFR",
    "45 CFR",
    "NUCC",
    "NUBC",
    "X12",
    "Medicare Code Editor",
    "Definitions Manual",
    "CMS",
    "MBPM",
    "MCPM",
    "ICD-10-CM",
    "ICD-10-PCS",
    "Official Guidelines",
    "ESI Handbook",
    "ESI v4",
    "ESI v5",
    "HOPE Guidance Manual",
    "HOPE data specifications",
    "The Joint Commission",
    "CDC",
    "AHDI",
];

/// Whether a rule as shown (rule and source together) points to a primary source or to a
/// numbered section of a domain document in the repository (that the section exists is
/// checked by [`check_text`]).
fn cites_a_source(shown: &str) -> bool {
    let domain = Regex::new(r"docs/domain/[a-z0-9-]+\.md\s*§\s*\d").unwrap();
    PRIMARY_SOURCES.iter().any(|p| shown.contains(p)) || domain.is_match(shown)
}

/// A rule and its source as the feedback shows them: `rule (source)`.
fn shown(rule: &str, source: &str) -> String {
    if source.is_empty() {
        rule.to_string()
    } else {
        format!("{rule} ({source})")
    }
}

/// Every rule string a learner or instructor can read, with where it comes from: the rubric
/// files' criteria and critical gates, the code's `rule: "…"` and `RULE_…` strings (coding
/// edits), and the rules of a graded key and blank answer of every shipped scenario.
fn shown_rules(root: &Path) -> Vec<(String, String)> {
    use ehr_sim::library::{ContentRoot, load_rubric_file};
    let mut rules = Vec::new();
    let content = ContentRoot::at(root);
    let mut rubric_files = Vec::new();
    files_under(&root.join("grading"), &mut rubric_files);
    for path in rubric_files
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "ron"))
    {
        let rubric = load_rubric_file(path, &ehr_sim::tasks::schemas())
            .unwrap_or_else(|e| panic!("{}: {e:?}", path.display()));
        let file = path.display().to_string();
        for c in &rubric.criteria {
            rules.push((format!("{file}: {}", c.id), shown(&c.rule, &c.source)));
        }
        for g in &rubric.critical {
            rules.push((format!("{file}: {}", g.id), g.rule.clone()));
        }
    }
    // Rule strings written in the code (coding edits, never-first and use-additional rules).
    let literal =
        Regex::new(r#"(?:\brule:\s*|const RULE_[A-Z_0-9]+: &str =\s*)"((?:[^"\\]|\\.)*)""#)
            .unwrap();
    let mut sources = Vec::new();
    files_under(&root.join("src"), &mut sources);
    for path in sources
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
    {
        let text = fs::read_to_string(path).unwrap();
        // Unit tests' made-up rules and the benchmark's synthetic rubric are never shown.
        let text = text.split("#[cfg(test)]").next().unwrap_or_default();
        let rel = path
            .strip_prefix(root)
            .unwrap_or(path)
            .display()
            .to_string();
        if rel.ends_with("grading/synthetic.rs") || rel.ends_with("cli/store_stress.rs") {
            continue;
        }
        for caps in literal.captures_iter(text) {
            rules.push((rel.clone(), caps[1].replace("\\\"", "\"")));
        }
    }
    // What grading emits for a key and a blank answer of every shipped scenario.
    let library = ehr_sim::service::library::Library::load(&content);
    for loaded in &library.scenarios {
        let rubric = load_rubric_file(
            &content.grading_dir().join(&loaded.scenario.rubric),
            &ehr_sim::tasks::schemas(),
        )
        .unwrap();
        let case = ehr_sim::case::generate(loaded, 0, 0);
        for answer in [case.key(), case.blank()] {
            let report = ehr_sim::service::grading::grade_answer(&rubric, loaded, &case, &answer);
            let place = format!("grade of {}", loaded.scenario.id);
            for c in &report.criteria {
                rules.push((format!("{place}: {}", c.id), shown(&c.rule, &c.source)));
            }
            for g in &report.critical {
                rules.push((format!("{place}: {}", g.id), g.rule.clone()));
            }
        }
    }
    rules
}

#[test]
fn every_rule_shown_cites_a_primary_source_or_a_domain_section() {
    let root = root();
    let mut cache: HashMap<String, Option<BTreeSet<String>>> = HashMap::new();
    let mut headings = |path: &str| {
        cache
            .entry(path.to_string())
            .or_insert_with(|| {
                let file = root.join(path);
                file.is_file()
                    .then(|| heading_numbers(&fs::read_to_string(&file).unwrap_or_default()))
            })
            .clone()
    };
    let rules = shown_rules(&root);
    assert!(rules.len() > 100, "only {} rules found", rules.len());
    let mut problems = Vec::new();
    let mut seen = BTreeSet::new();
    for (place, rule) in &rules {
        if rule.is_empty() || !seen.insert((place.clone(), rule.clone())) {
            continue;
        }
        for p in check_text(place, rule, &mut headings) {
            problems.push(format!("{place}: `{rule}`: {}", p.reason));
        }
        if !cites_a_source(rule) {
            problems.push(format!(
                "{place}: `{rule}` cites neither a primary source nor a docs/domain section"
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "{} rules without a citation:\n  {}",
        problems.len(),
        problems.join("\n  ")
    );
}

#[test]
fn the_source_check_accepts_primary_sources_and_domain_sections_only() {
    assert!(cites_a_source("42 CFR 418.22(a)(3)(i)"));
    assert!(cites_a_source(
        "Document the vital signs (docs/domain/charting.md §2)"
    ));
    assert!(cites_a_source("ICD-10-CM Official Guidelines I.B.12"));
    assert!(!cites_a_source("DOMAIN.md §4.2"));
    assert!(!cites_a_source("Two identifiers"));
    assert!(!cites_a_source("docs/domain/charting.md"));
}
