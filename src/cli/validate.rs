//! `ehr-sim validate [PATH...]`: checks scenario (and rubric) files and prints every problem.
//! Exit code 1 when any error is found (warnings alone exit 0).

use std::path::PathBuf;
use std::process::ExitCode;

use crate::diagnostic::{self, Diagnostic};
use crate::library::ContentRoot;
use crate::scenario::{load::ron_files, load_file, validate};

/// Arguments of `validate`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Files or folders to check (default: the shipped `scenarios/` and `grading/`).
    pub paths: Vec<PathBuf>,
    /// Print diagnostics as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Runs `validate`.
///
/// # Errors
/// Never for bad content (that is reported and turned into the exit code).
pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let root = ContentRoot::discover();
    let paths = if args.paths.is_empty() {
        vec![root.scenarios_dir(), root.grading_dir()]
    } else {
        args.paths.clone()
    };
    let (diagnostics, files) = check(&paths, &root);
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({
                "files": files, "errors": errors, "warnings": warnings, "diagnostics": diagnostics,
            }))?
        );
    } else {
        for d in &diagnostics {
            eprintln!("{d}");
        }
        println!("{files} files checked: {errors} errors, {warnings} warnings");
    }
    Ok(if errors > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// Checks the files under `paths`; returns the diagnostics (sorted) and the number of files.
pub fn check(paths: &[PathBuf], root: &ContentRoot) -> (Vec<Diagnostic>, usize) {
    let mut out = Vec::new();
    let mut files = Vec::new();
    for p in paths {
        if p.is_dir() {
            match ron_files(p) {
                Ok(found) => files.extend(found),
                Err(d) => out.push(d),
            }
        } else if p.exists() {
            files.push(p.clone());
        } else {
            out.push(Diagnostic::at_file(p, "no such file or folder").with_hint("check the path"));
        }
    }
    let grading_dir = root.grading_dir();
    let mut scenarios = Vec::new();
    for file in &files {
        if is_rubric(file, &grading_dir) {
            out.extend(crate::cli::validate_rubric_file(file));
            continue;
        }
        match load_file(file) {
            Ok(loaded) => {
                let found = validate::validate(&loaded, Some(&grading_dir));
                let rubric_ok = !found.iter().any(|d| d.item.as_deref() == Some("rubric"));
                out.extend(found);
                if rubric_ok {
                    out.extend(rubric_matches_task(&loaded, &grading_dir));
                }
                scenarios.push(loaded);
            }
            Err(d) => out.push(d),
        }
    }
    out.extend(validate::duplicate_ids(&scenarios));
    diagnostic::sort(&mut out);
    (out, files.len())
}

/// The scenario's rubric must be for the scenario's task kind (problems inside the rubric file
/// itself are reported when the rubric file is checked).
fn rubric_matches_task(
    loaded: &crate::scenario::LoadedScenario,
    grading_dir: &std::path::Path,
) -> Vec<Diagnostic> {
    let path = grading_dir.join(&loaded.scenario.rubric);
    let Ok(rubric) = crate::grading::load_rubric_file(&path, &crate::tasks::schemas()) else {
        return Vec::new();
    };
    let want = crate::tasks::rubric_kind(&loaded.scenario.task);
    if rubric.task_kind == want {
        Vec::new()
    } else {
        vec![
            Diagnostic::at_item(
                &loaded.path,
                "rubric",
                format!(
                    "rubric `{}` grades {:?} tasks, but this scenario is a {:?} task",
                    loaded.scenario.rubric, rubric.task_kind, want
                ),
            )
            .with_hint("name a rubric written for this task kind"),
        ]
    }
}

/// A file is a rubric when it lives under the grading folder or its first item is `Rubric(`.
fn is_rubric(file: &std::path::Path, grading_dir: &std::path::Path) -> bool {
    let under = match (file.canonicalize(), grading_dir.canonicalize()) {
        (Ok(f), Ok(g)) => f.starts_with(g),
        _ => false,
    };
    under
        || std::fs::read_to_string(file).is_ok_and(|text| {
            text.lines()
                .map(str::trim)
                .find(|l| !l.is_empty() && !l.starts_with("//") && !l.starts_with("#!"))
                .is_some_and(|l| l.starts_with("Rubric"))
        })
}
