//! `ehr-sim scenarios list`: the scenario catalog, grouped by task kind.

use std::process::ExitCode;

use clap::Subcommand;

use crate::library::ContentRoot;
use crate::service::case_bank::{self, CaseBank, Counted};
use crate::service::library::Library;

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
        /// Count the case bank instead: distinct coding keys (inpatient, outpatient, per
        /// ICD-10-CM chapter and ICD-10-PCS root operation), triage presentation templates
        /// (pediatric, per ESI level and decision point), hospice timelines (per planted defect
        /// and failing rule), charting visits, and scenarios per difficulty and competency.
        #[arg(long)]
        summary: bool,
        /// Seeds generated per scenario for `--summary` (distinct cases are counted over them).
        #[arg(long, default_value_t = case_bank::DEFAULT_SEEDS, requires = "summary",
              value_parser = clap::value_parser!(u64).range(1..=case_bank::MAX_SEEDS))]
        seeds: u64,
    },
}

/// Runs `scenarios`.
///
/// # Errors
/// When the scenarios folder cannot be read.
pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let ScenariosCommand::List {
        json,
        summary,
        seeds,
    } = &args.command;
    let root = ContentRoot::discover();
    if *summary {
        return print_summary(&root, *seeds, *json);
    }
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

/// `scenarios list --summary`: the case bank of the offered scenarios.
fn print_summary(root: &ContentRoot, seeds: u64, json: bool) -> anyhow::Result<ExitCode> {
    let library = Library::load(root);
    let bank = case_bank::summarize(&library.scenarios, seeds);
    if json {
        println!("{}", serde_json::to_string_pretty(&bank)?);
    } else {
        print!("{}", summary_text(&bank));
    }
    if !library.problems.is_empty() {
        eprintln!(
            "{} problems keep scenario files out of the count; run `ehr-sim validate` for details",
            library.problems.len()
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// The summary as the terminal shows it.
#[must_use]
pub fn summary_text(bank: &CaseBank) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "CASE BANK: {} scenarios; distinct cases counted over seeds 1-{}\n",
        bank.scenarios, bank.seeds
    );
    let c = &bank.coding;
    let _ = writeln!(
        out,
        "CODING     {} distinct keys: {} inpatient, {} outpatient/ED/professional",
        c.keys, c.inpatient_keys, c.outpatient_keys
    );
    let _ = writeln!(
        out,
        "  ICD-10-CM chapters: {}; distinct keys using each:",
        c.chapters.len()
    );
    for (n, Counted { title, count }) in &c.chapters {
        let _ = writeln!(out, "    {count:>3}  chapter {n:>2}  {title}");
    }
    let _ = writeln!(
        out,
        "  ICD-10-PCS root operations: {}; distinct keys using each:",
        c.root_operations.len()
    );
    for (op, count) in &c.root_operations {
        let _ = writeln!(out, "    {count:>3}  {op}");
    }
    let t = &bank.triage;
    let share = if t.templates == 0 {
        0.0
    } else {
        100.0 * t.pediatric as f64 / t.templates as f64
    };
    let _ = writeln!(
        out,
        "\nTRIAGE     {} presentation templates: {} pediatric ({share:.0} %), {} with a re-triage change",
        t.templates, t.pediatric, t.with_retriage
    );
    let levels: Vec<String> = t
        .levels
        .iter()
        .map(|(l, n)| format!("ESI {l}: {n}"))
        .collect();
    let _ = writeln!(
        out,
        "  templates reaching each level: {}",
        levels.join(", ")
    );
    let points: Vec<String> = t
        .decision_points
        .iter()
        .map(|(p, n)| format!("{p}: {n}"))
        .collect();
    let _ = writeln!(
        out,
        "  templates by decision point:   {}",
        points.join(", ")
    );
    if !t.not_drawn.is_empty() {
        let _ = writeln!(
            out,
            "  not drawn in these seeds (levels unknown): {}",
            t.not_drawn.join("; ")
        );
    }
    let h = &bank.hospice;
    let _ = writeln!(
        out,
        "\nHOSPICE    {} timelines, {} compliant (no failing rule)",
        h.timelines, h.compliant
    );
    let _ = writeln!(out, "  planted defects:  {}", counts(&h.defects));
    let _ = writeln!(out, "  failing rules:    {}", counts(&h.failing_rules));
    let _ = writeln!(out, "  stays:            {}", counts(&h.stays));
    let ch = &bank.charting;
    let _ = writeln!(
        out,
        "\nCHARTING   {} visits: {} documentation, {} transcription",
        ch.visits, ch.documentation, ch.transcription
    );
    let _ = writeln!(out, "  screenings:       {}", counts(&ch.screenings));
    let _ = writeln!(
        out,
        "  growth percentiles: {} visits",
        ch.growth_percentiles
    );
    let r = &bank.roi;
    let _ = writeln!(
        out,
        "\nRELEASE OF INFORMATION   {} requests, {} with the Part 2 notice",
        r.requests, r.part2_notice
    );
    let _ = writeln!(out, "  requesters:       {}", counts(&r.requesters));
    let _ = writeln!(out, "  sections asked:   {}", counts(&r.sections));
    let _ = writeln!(out, "  key actions:      {}", counts(&r.actions));
    let _ = writeln!(out, "  legal bases:      {}", counts(&r.bases));
    let _ = writeln!(out, "\nBY KIND AND DIFFICULTY");
    for (kind, by) in &bank.by_kind {
        let parts: Vec<String> = by
            .iter()
            .map(|(d, n)| format!("{} {n}", d.label()))
            .collect();
        let _ = writeln!(out, "  {:<10} {}", kind.label(), parts.join(", "));
    }
    let _ = writeln!(out, "\nBY COMPETENCY (scenarios)");
    for (c, n) in &bank.competencies {
        let _ = writeln!(out, "  {n:>3}  {c}");
    }
    out
}

/// "a 2, b 1" from a count map.
fn counts(map: &std::collections::BTreeMap<String, usize>) -> String {
    if map.is_empty() {
        return "none".to_string();
    }
    map.iter()
        .map(|(k, n)| format!("{k} {n}"))
        .collect::<Vec<_>>()
        .join(", ")
}
