//! `ehr-sim gradebook show|export|criteria`: the instructor's and employer's views.
//! All need `--as` an instructor or employer admin (password in `EHR_SIM_PASSWORD`).
//! `export` writes CSV (RFC 4180), JSON or xAPI statements to standard output or `--output`.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;

use crate::cli::store_args::{DbArgs, sign_in};
use crate::store::ScenarioVersionKey;
use crate::store::export::{DEFAULT_XAPI_HOMEPAGE, ExportFormat};

/// Arguments.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// What to do.
    #[command(subcommand)]
    pub action: Action,
}

/// The gradebook actions.
#[derive(Debug, clap::Subcommand)]
pub enum Action {
    /// Print learners × scenario versions (best / latest percent).
    Show {
        /// Only this cohort's members.
        #[arg(long)]
        cohort: Option<String>,
        /// Who is asking.
        #[arg(long = "as", value_name = "NAME")]
        actor: String,
        /// The database.
        #[command(flatten)]
        db: DbArgs,
    },
    /// Export grades as csv, json or xapi.
    Export {
        /// Only this cohort's members.
        #[arg(long)]
        cohort: Option<String>,
        /// csv, json or xapi.
        #[arg(long, default_value = "csv")]
        format: String,
        /// Write here instead of standard output (never over the progress database).
        #[arg(long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Replace the output file if it exists.
        #[arg(long)]
        force: bool,
        /// Home page of the xAPI actor accounts.
        #[arg(long, default_value = DEFAULT_XAPI_HOMEPAGE)]
        xapi_homepage: String,
        /// Who is asking.
        #[arg(long = "as", value_name = "NAME")]
        actor: String,
        /// The database.
        #[command(flatten)]
        db: DbArgs,
    },
    /// Per-criterion miss rates and difficulty for a scenario (each stored version).
    Criteria {
        /// Scenario id.
        scenario: String,
        /// Only this content hash (or a prefix of it).
        #[arg(long)]
        version: Option<String>,
        /// Who is asking.
        #[arg(long = "as", value_name = "NAME")]
        actor: String,
        /// The database.
        #[command(flatten)]
        db: DbArgs,
    },
}

fn pct(fraction: f64) -> String {
    format!("{:.1}%", fraction * 100.0)
}

/// Runs the command.
///
/// # Errors
/// When the database cannot be opened, sign-in fails, or the actor lacks the role.
pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    match &args.action {
        Action::Show { cohort, actor, db } => {
            let mut store = db.open()?;
            let session = sign_in(&mut store, actor)?;
            let book = store.gradebook(&session, cohort.as_deref())?;
            let headers: Vec<String> = book
                .scenarios
                .iter()
                .map(ScenarioVersionKey::label)
                .collect();
            println!("learner\t{}", headers.join("\t"));
            for row in &book.rows {
                let cells: Vec<String> = row
                    .cells
                    .iter()
                    .map(|c| match c {
                        Some(c) => format!(
                            "{} / {} ({}x)",
                            pct(c.best_fraction),
                            pct(c.latest_fraction),
                            c.attempts
                        ),
                        None => "-".to_string(),
                    })
                    .collect();
                println!("{}\t{}", row.learner, cells.join("\t"));
            }
            println!("(cells: best / latest (attempts))");
        }
        Action::Export {
            cohort,
            format,
            output,
            force,
            xapi_homepage,
            actor,
            db,
        } => {
            let format = ExportFormat::parse(format)?;
            let mut store = db.open()?;
            let session = sign_in(&mut store, actor)?;
            let text =
                store.export_gradebook(&session, cohort.as_deref(), format, xapi_homepage)?;
            match output {
                Some(path) => {
                    let database = crate::paths::database(db.db.as_deref()).ok();
                    crate::report::write_output(path, text.as_bytes(), *force, database.as_deref())
                        .with_context(|| format!("writing the export to {}", path.display()))?;
                }
                None => print!("{text}"),
            }
        }
        Action::Criteria {
            scenario,
            version,
            actor,
            db,
        } => {
            let mut store = db.open()?;
            let session = sign_in(&mut store, actor)?;
            let versions: Vec<_> = store
                .scenario_versions(scenario)?
                .into_iter()
                .filter(|v| {
                    version
                        .as_deref()
                        .is_none_or(|h| v.content_hash.starts_with(h))
                })
                .collect();
            if versions.is_empty() {
                anyhow::bail!(
                    "no stored attempts for scenario {scenario:?}{}",
                    version
                        .as_deref()
                        .map(|v| format!(" version {v}"))
                        .unwrap_or_default()
                );
            }
            for key in versions {
                println!("{}", key.label());
                println!(
                    "  {:<40} {:>8} {:>7} {:>9} {:>10}",
                    "criterion", "findings", "misses", "miss rate", "difficulty"
                );
                for stat in store.criterion_stats(&session, &key)? {
                    println!(
                        "  {:<40} {:>8} {:>7} {:>9} {:>10.2}",
                        stat.criterion_id,
                        stat.findings,
                        stat.misses,
                        pct(stat.miss_rate),
                        stat.difficulty
                    );
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
