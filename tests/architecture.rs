//! The dependency rule of `docs/ARCHITECTURE.md`, checked on the source: which top-level module
//! may name which (`crate::…` paths), that those permissions have no cycle, and that the pure
//! core never touches the disk, the clock, the store or a shell.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Every module below the service layer: what the service layer may name.
const CORE: &[&str] = &[
    "report",
    "fhir_export",
    "case",
    "library",
    "scenario",
    "tasks",
    "generate",
    "interop",
    "patient",
    "grading",
    "terminology",
    "store",
    "diagnostic",
    "ron_input",
    "paths",
];

/// The shells (the app, the command line): each may name the service layer and everything the
/// service layer may name, never the other shell.
const SHELLS: &[&str] = &["cli", "ui"];

/// Each top-level module of `src/` and the modules it may name. The order of the list is the
/// layering, lowest first; a module may only name modules listed before it.
const ALLOWED: &[(&str, &[&str])] = &[
    ("paths", &[]),
    ("diagnostic", &[]),
    ("terminology", &["paths", "diagnostic"]),
    ("grading", &["diagnostic", "terminology"]),
    ("patient", &[]),
    ("store", &["paths"]),
    ("ron_input", &["diagnostic", "terminology"]),
    ("interop", &["patient", "ron_input", "diagnostic"]),
    ("generate", &["patient", "interop"]),
    (
        "tasks",
        &[
            "patient",
            "generate",
            "grading",
            "terminology",
            "diagnostic",
            "ron_input",
        ],
    ),
    (
        "scenario",
        &[
            "tasks",
            "patient",
            "generate",
            "interop",
            "terminology",
            "grading",
            "diagnostic",
            "ron_input",
        ],
    ),
    (
        "library",
        &[
            "scenario",
            "tasks",
            "grading",
            "terminology",
            "diagnostic",
            "ron_input",
        ],
    ),
    (
        "case",
        &[
            "scenario",
            "tasks",
            "generate",
            "interop",
            "patient",
            "grading",
            "diagnostic",
        ],
    ),
    ("fhir_export", &["case", "interop", "patient"]),
    (
        "report",
        &[
            "store", "grading", "tasks", "library", "scenario", "case", "patient", "paths",
        ],
    ),
    ("service", CORE),
    ("cli", &["service"]),
    ("ui", &["service"]),
];

/// The pure core: no file system, no clock.
const PURE: &[&str] = &[
    "generate",
    "tasks",
    "grading",
    "case",
    "patient",
    "fhir_export",
];

/// What the pure core must not contain.
const IMPURE: &[&str] = &[
    "std::fs",
    "fs::read",
    "fs::write",
    "File::open",
    "File::create",
    "SystemTime::now",
    "Utc::now",
    "Local::now",
    "Instant::now",
    "std::env::var",
];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let p = entry.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// The top-level module a source file belongs to (`None` for `lib.rs` and `main.rs`).
fn top_module(file: &Path) -> Option<String> {
    let rel = file.strip_prefix(src()).ok()?;
    let first = rel.components().next()?.as_os_str().to_str()?;
    let name = first.trim_end_matches(".rs");
    (name != "lib" && name != "main").then(|| name.to_string())
}

/// The source without comments (line comments and doc comments), so prose can name anything.
fn code_of(text: &str) -> String {
    text.lines()
        .map(|line| match line.find("//") {
            Some(i) if !line[..i].contains('"') => &line[..i],
            _ => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every `crate::NAME` the code names, with its line.
fn crate_paths(code: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (i, line) in code.lines().enumerate() {
        let mut rest = line;
        while let Some(at) = rest.find("crate::") {
            let after = &rest[at + "crate::".len()..];
            let name: String = after
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                out.push((i + 1, name));
            }
            rest = after;
        }
    }
    out
}

fn sources() -> Vec<(PathBuf, String, String)> {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    files.sort();
    files
        .into_iter()
        .filter_map(|f| {
            let module = top_module(&f)?;
            let text = std::fs::read_to_string(&f).ok()?;
            Some((f, module, code_of(&text)))
        })
        .collect()
}

#[test]
fn every_module_names_only_the_modules_below_it() {
    let mut allowed: BTreeMap<&str, BTreeSet<&str>> = ALLOWED
        .iter()
        .map(|(m, deps)| (*m, deps.iter().copied().collect()))
        .collect();
    let service: BTreeSet<&str> = CORE.iter().copied().collect();
    for shell in SHELLS {
        if let Some(may) = allowed.get_mut(shell) {
            may.extend(&service);
        }
    }
    let mut broken = Vec::new();
    for (file, module, code) in sources() {
        let Some(may) = allowed.get(module.as_str()) else {
            broken.push(format!(
                "{}: module `{module}` is not in the dependency table of tests/architecture.rs \
                 (add it, and to docs/ARCHITECTURE.md)",
                file.display()
            ));
            continue;
        };
        for (line, name) in crate_paths(&code) {
            if name != module && allowed.contains_key(name.as_str()) && !may.contains(name.as_str())
            {
                broken.push(format!(
                    "{}:{line}: `{module}` names `crate::{name}`, which it may not",
                    file.display()
                ));
            }
        }
    }
    assert!(broken.is_empty(), "{}", broken.join("\n"));
}

#[test]
fn the_dependency_table_is_layered() {
    // Each module may only name modules listed before it: no cycle is possible.
    let mut seen = BTreeSet::new();
    for (module, deps) in ALLOWED {
        for dep in *deps {
            assert!(
                seen.contains(dep),
                "`{module}` may name `{dep}`, which is not below it in the table"
            );
        }
        seen.insert(*module);
    }
    // The two shells never name each other.
    let may = |m: &str| ALLOWED.iter().find(|(n, _)| *n == m).map(|(_, d)| *d);
    assert!(!may("ui").unwrap_or_default().contains(&"cli"));
    assert!(!may("cli").unwrap_or_default().contains(&"ui"));
}

/// What a pure module's code does that it must not: (line, what), outside its unit tests.
fn impure_uses(code: &str) -> Vec<(usize, &'static str)> {
    // Unit tests at the bottom of a file may build fixtures however they like.
    let code = code.split("#[cfg(test)]").next().unwrap_or_default();
    let mut out = Vec::new();
    for (i, line) in code.lines().enumerate() {
        for bad in
            IMPURE
                .iter()
                .chain(&["crate::store", "crate::ui", "crate::cli", "crate::service"])
        {
            if line.contains(bad) {
                out.push((i + 1, *bad));
            }
        }
    }
    out
}

#[test]
fn the_core_touches_no_disk_clock_store_or_shell() {
    let mut broken = Vec::new();
    for (file, module, code) in sources() {
        if !PURE.contains(&module.as_str()) {
            continue;
        }
        for (line, bad) in impure_uses(&code) {
            broken.push(format!(
                "{}:{line}: `{module}` is pure but uses `{bad}`",
                file.display()
            ));
        }
    }
    assert!(broken.is_empty(), "{}", broken.join("\n"));
}

#[test]
fn the_checker_sees_a_forbidden_import() {
    // The scanners themselves: a planted `crate::cli`, a clock read and a store call are found;
    // comments and unit tests are not scanned.
    let code = code_of(
        "use crate::cli::store_args::now; // crate::ui in a comment\n\
         let t = Utc::now();\n\
         crate::store::Store::open(p);\n\
         #[cfg(test)]\n\
         fn fixture() { std::fs::read(p); }",
    );
    assert_eq!(
        crate_paths(&code),
        vec![(1, "cli".to_string()), (3, "store".to_string())]
    );
    assert_eq!(
        impure_uses(&code),
        vec![(1, "crate::cli"), (2, "Utc::now"), (3, "crate::store")]
    );
}
