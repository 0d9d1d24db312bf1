//! `ehr-sim validate [PATH...]`: checks scenario (and rubric) files and prints every problem.
//! Exit code 1 when any error is found (warnings alone exit 0).

use std::path::PathBuf;
use std::process::ExitCode;

use crate::library::ContentRoot;
use crate::service::library::check;

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
