//! `ehr-sim scenarios list`: the scenario catalog, grouped by task kind.

use std::process::ExitCode;

use clap::Subcommand;

use crate::library::ContentRoot;

/// Arguments of `scenarios`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// What to do.
    #[command(subcommand)]
    pub command: ScenariosCommand,
}

/// `scenarios` subcommands.
#[derive(Debug, Subcommand)]
pub enum ScenariosCommand {
    /// List the scenarios with kind, difficulty, time and competencies.
    List {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
}

/// Runs `scenarios`.
///
/// # Errors
/// When the scenarios folder cannot be read.
pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let ScenariosCommand::List { json } = &args.command;
    let root = ContentRoot::discover();
    let (mut all, broken) = root.load_all().map_err(|d| anyhow::anyhow!("{d}"))?;
    crate::library::sort_catalog(&mut all);
    if *json {
        let list: Vec<serde_json::Value> = all
            .iter()
            .map(|s| {
                let sc = &s.scenario;
                serde_json::json!({
                    "id": sc.id, "title": sc.title, "task_kind": sc.task.kind(),
                    "difficulty": sc.difficulty.label(), "estimated_minutes": sc.estimated_minutes,
                    "competencies": sc.competencies, "path": s.path, "sha256": s.content_sha256,
                })
            })
            .collect();
        println!("{}", serde_json::to_string_pretty(&list)?);
    } else {
        let mut kind = None;
        for s in &all {
            let sc = &s.scenario;
            if kind != Some(sc.task.kind()) {
                kind = Some(sc.task.kind());
                println!("\n{}", sc.task.kind().label().to_uppercase());
            }
            println!(
                "  {:<44} {:<12} {:>3} min  {}",
                sc.id,
                sc.difficulty.label(),
                sc.estimated_minutes,
                sc.title
            );
        }
        println!(
            "\n{} scenarios in {}",
            all.len(),
            root.scenarios_dir().display()
        );
    }
    for d in &broken {
        eprintln!("{d}");
    }
    if !broken.is_empty() {
        eprintln!(
            "{} scenario files do not load; run `ehr-sim validate` for details",
            broken.len()
        );
    }
    Ok(ExitCode::SUCCESS)
}
