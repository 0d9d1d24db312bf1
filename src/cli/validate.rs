//! `ehr-sim validate [PATH...] [--seeds N]`: checks scenario (and rubric) files and prints every
//! problem; with `--seeds N`, also generates seeds 1..=N of every scenario that validates and
//! reports each plausibility violation (scenario file, line and column of the template item,
//! seed, rule). Exit code 1 when any error or violation is found (warnings alone exit 0).

use std::path::PathBuf;
use std::process::ExitCode;

use crate::library::ContentRoot;
use crate::service::library::check;
use crate::service::plausibility::check_seeds;

/// Arguments of `validate`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Files or folders to check (default: the shipped `scenarios/` and `grading/`).
    pub paths: Vec<PathBuf>,
    /// Print diagnostics as JSON.
    #[arg(long)]
    pub json: bool,
    /// Also generate seeds 1..=N of every scenario and check each case's clinical
    /// plausibility (at most 10000).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=crate::service::plausibility::MAX_SEEDS))]
    pub seeds: Option<u64>,
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
    let seeds = args.seeds.map(|n| (n, check_seeds(&paths, &root, n)));
    let violations = seeds.as_ref().map_or(0, |(_, r)| r.violations.len());
    if args.json {
        let mut out = serde_json::json!({
            "files": files, "errors": errors, "warnings": warnings, "diagnostics": diagnostics,
        });
        if let Some((n, r)) = &seeds {
            out["plausibility"] = serde_json::json!({
                "seeds": n, "scenarios": r.scenarios, "cases": r.cases,
                "violations": r.violations.len(), "diagnostics": r.violations,
            });
        }
        println!("{}", serde_json::to_string_pretty(&out)?);
    } else {
        for d in &diagnostics {
            eprintln!("{d}");
        }
        println!("{files} files checked: {errors} errors, {warnings} warnings");
        if let Some((n, r)) = &seeds {
            for d in &r.violations {
                eprintln!("{d}");
            }
            println!(
                "plausibility: seeds 1-{n} of {} scenarios, {} cases: {violations} violation{}",
                r.scenarios,
                r.cases,
                if violations == 1 { "" } else { "s" }
            );
        }
    }
    Ok(if errors > 0 || violations > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
