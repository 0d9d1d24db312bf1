//! `ehr-sim progress [--learner NAME] [--as NAME]`: a learner's summary — best and latest score
//! per scenario version, mastery per competency, drafts in progress. Without `--learner`, a
//! signed-in instructor or employer admin gets one line per learner. A learner without a
//! password may look at their own progress without `--as`.

use std::process::ExitCode;

use crate::cli::store_args::{DbArgs, sign_in};
use crate::store::{Session, Store};

/// Arguments.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The learner to summarise (default: everyone, for instructors and employer admins).
    #[arg(long, value_name = "NAME")]
    pub learner: Option<String>,
    /// Who is asking (default: the learner themselves).
    #[arg(long = "as", value_name = "NAME")]
    pub actor: Option<String>,
    /// The database.
    #[command(flatten)]
    pub db: DbArgs,
}

fn pct(fraction: f64) -> String {
    format!("{:.1}%", fraction * 100.0)
}

fn learner_summary(store: &Store, session: &Session, name: &str) -> anyhow::Result<()> {
    let person = store.person_by_name(name)?;
    println!("Progress for {} ({})", person.name, person.role);
    let progress = store.scenario_progress(session, person.id)?;
    if progress.is_empty() {
        println!("No attempts yet.");
    } else {
        println!(
            "{:<40} {:>8} {:>7} {:>7}  {:<20}  passed",
            "scenario", "attempts", "best", "latest", "latest submitted"
        );
        for p in &progress {
            println!(
                "{:<40} {:>8} {:>7} {:>7}  {:<20}  {}",
                p.scenario.label(),
                p.attempts,
                pct(p.best_fraction),
                pct(p.latest_fraction),
                p.latest_submitted_at,
                if p.latest_passed { "yes" } else { "no" }
            );
        }
    }
    let mastery = store.competency_mastery(session, person.id)?;
    if !mastery.is_empty() {
        println!("Mastery per competency (mean over all attempts; last day):");
        let mut index = 0;
        while let Some(point) = mastery.get(index) {
            let same: Vec<_> = mastery
                .iter()
                .skip(index)
                .take_while(|p| p.competency == point.competency)
                .collect();
            let attempts: u64 = same.iter().map(|p| p.attempts).sum();
            if let Some(last) = same.last() {
                println!(
                    "  {:<38} {:>7} over {attempts} attempt(s), last {}",
                    last.competency,
                    pct(last.cumulative_fraction),
                    last.date
                );
            }
            index += same.len();
        }
    }
    let drafts = store.list_drafts(session, person.id)?;
    if !drafts.is_empty() {
        println!("Drafts in progress:");
        for draft in drafts {
            println!(
                "  {} seed {} ({}), saved {}",
                draft.key.scenario_id,
                draft.key.seed,
                draft.key.mode.as_str(),
                draft.updated_at
            );
        }
    }
    Ok(())
}

/// Runs the command.
///
/// # Errors
/// When the database cannot be opened, sign-in fails, or the actor may not see this learner.
pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let mut store = args.db.open()?;
    let Some(actor) = args.actor.as_deref().or(args.learner.as_deref()) else {
        anyhow::bail!("say whose progress to show with --learner NAME, or sign in with --as NAME");
    };
    let session = sign_in(&mut store, actor)?;
    if let Some(learner) = &args.learner {
        learner_summary(&store, &session, learner)?;
        return Ok(ExitCode::SUCCESS);
    }
    if !session.role().is_privileged() {
        learner_summary(&store, &session, session.name())?;
        return Ok(ExitCode::SUCCESS);
    }
    let gradebook = store.gradebook(&session, None)?;
    println!(
        "{:<30} {:<14} {:>9} {:>9} {:>12}",
        "learner", "role", "attempts", "scenarios", "mean latest"
    );
    for row in &gradebook.rows {
        let cells: Vec<_> = row.cells.iter().flatten().collect();
        let attempts: u64 = cells.iter().map(|c| c.attempts).sum();
        let mean = if cells.is_empty() {
            "-".to_string()
        } else {
            pct(cells.iter().map(|c| c.latest_fraction).sum::<f64>() / cells.len() as f64)
        };
        println!(
            "{:<30} {:<14} {:>9} {:>9} {:>12}",
            row.learner,
            row.role.as_str(),
            attempts,
            cells.len(),
            mean
        );
    }
    Ok(ExitCode::SUCCESS)
}
