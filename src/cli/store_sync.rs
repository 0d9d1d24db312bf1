//! `ehr-sim store push|pull`: offline laptops and the program server.
//!
//! - `store push --to URL [--from FILE] --as NAME` moves a laptop's database (default: this
//!   computer's, `EHR_SIM_DB`, else the user data folder) into the server, after verifying the
//!   laptop's chain; running it twice adds nothing.
//! - `store pull --from URL --cohort NAME --as NAME [--db FILE]` copies a cohort's roster from
//!   the server into the laptop's database for offline work.
//!
//! - `store roles --db URL [--learner-login NAME] [--staff-login NAME]` (the schema's owner)
//!   creates the `ehr_sim_learner` and `ehr_sim_staff` group roles with their privileges, and
//!   logins in them (password in `EHR_SIM_LOGIN_PASSWORD`).
//!
//! `--as` names an instructor or employer admin on the server (password in `EHR_SIM_PASSWORD`).
//! Both print what they did (`--json` for a machine) and exit 1 when something was left behind.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;

use crate::cli::store_args::{now, sign_in};
use crate::store::{Store, is_server_url};

/// Arguments of `store`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// What to do.
    #[command(subcommand)]
    pub command: SyncCommand,
}

/// The environment variable holding a new server login's password.
const LOGIN_PASSWORD_ENV_VAR: &str = "EHR_SIM_LOGIN_PASSWORD";

/// `store` subcommands.
#[derive(Debug, Subcommand)]
pub enum SyncCommand {
    /// Give the program server's roles their least privileges, and create logins in them.
    Roles {
        /// The program server, as the login that owns EHR Sim's schema.
        #[arg(long, value_name = "URL")]
        db: String,
        /// Create a login for lab seats and candidates' machines (password in
        /// `EHR_SIM_LOGIN_PASSWORD`).
        #[arg(long, value_name = "NAME")]
        learner_login: Option<String>,
        /// Create a login for instructors' and employers' machines (password in
        /// `EHR_SIM_LOGIN_PASSWORD`).
        #[arg(long, value_name = "NAME")]
        staff_login: Option<String>,
    },
    /// Push a laptop's database into the program server.
    Push {
        /// The program server: postgres://USER@HOST:PORT/DATABASE.
        #[arg(long, value_name = "URL")]
        to: String,
        /// The laptop's database (default: `EHR_SIM_DB`, else the user data folder).
        #[arg(long, value_name = "FILE")]
        from: Option<PathBuf>,
        /// An instructor or employer admin on the server (password in `EHR_SIM_PASSWORD`).
        #[arg(long = "as", value_name = "NAME")]
        actor: String,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Copy a cohort's roster from the program server into a laptop's database.
    Pull {
        /// The program server: postgres://USER@HOST:PORT/DATABASE.
        #[arg(long, value_name = "URL")]
        from: String,
        /// The cohort to copy.
        #[arg(long, value_name = "NAME")]
        cohort: String,
        /// An instructor or employer admin on the server (password in `EHR_SIM_PASSWORD`).
        #[arg(long = "as", value_name = "NAME")]
        actor: String,
        /// The laptop's database (default: `EHR_SIM_DB`, else the user data folder).
        #[arg(long, value_name = "FILE")]
        db: Option<PathBuf>,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
}

fn server_url(text: &str, flag: &str) -> anyhow::Result<()> {
    if !is_server_url(text) {
        anyhow::bail!(
            "{flag} takes the program server's URL (postgres://USER@HOST:PORT/DATABASE), not {text:?}"
        );
    }
    Ok(())
}

fn laptop(path: Option<&std::path::Path>) -> anyhow::Result<PathBuf> {
    let path = crate::paths::database(path)?;
    if path.to_str().is_some_and(is_server_url) {
        anyhow::bail!(
            "the laptop's database must be a file, not a server URL ({}); give it with --from/--db",
            crate::store::redact_server_url(&path.to_string_lossy())
        );
    }
    Ok(path)
}

/// Runs `store`.
///
/// # Errors
/// When a database cannot be opened, sign-in fails, or the push or pull fails (nothing is
/// written then).
pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    match &args.command {
        SyncCommand::Roles {
            db,
            learner_login,
            staff_login,
        } => roles(db, learner_login.as_deref(), staff_login.as_deref()),
        SyncCommand::Push {
            to,
            from,
            actor,
            json,
        } => {
            server_url(to, "--to")?;
            let path = laptop(from.as_deref())?;
            // Read-only: a push never changes the laptop's file.
            let local = Store::open_to_verify(&path)?;
            let mut server = Store::connect(to)?;
            let session = sign_in(&mut server, actor)?;
            let report = server.push_from(&local, &session, &now())?;
            if *json {
                println!("{}", serde_json::to_string_pretty(&report)?);
            } else {
                println!("pushed {} into {}", local.location(), server.location());
                println!(
                    "people: {} added, {} already there\ncohorts: {} added, {} memberships added\nsittings: {} added\nattempts: {} added, {} pushed before\noverrides: {} added, {} pushed before",
                    report.people_added,
                    report.people_matched,
                    report.cohorts_added,
                    report.memberships_added,
                    report.sittings_added,
                    report.attempts_added,
                    report.attempts_already,
                    report.overrides_added,
                    report.overrides_already
                );
                for conflict in &report.conflicts {
                    println!("conflict: {conflict}");
                }
                for skipped in &report.skipped {
                    println!("left behind: {skipped}");
                }
                let chain = server.verify_audit()?;
                println!(
                    "server chain: {} links, {}",
                    chain.links,
                    if chain.is_clean() {
                        "verifies"
                    } else {
                        "DOES NOT VERIFY"
                    }
                );
            }
            let clean = report.conflicts.is_empty() && report.skipped.is_empty();
            Ok(if clean {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        SyncCommand::Pull {
            from,
            cohort,
            actor,
            db,
            json,
        } => {
            server_url(from, "--from")?;
            let path = laptop(db.as_deref())?;
            let mut server = Store::connect(from)?;
            let session = sign_in(&mut server, actor)?;
            let mut local = Store::open(&path)?;
            let report = local.pull_cohort(&server, &session, cohort, &now())?;
            if *json {
                println!("{}", serde_json::to_string_pretty(&report)?);
            } else {
                println!(
                    "pulled {cohort:?} from {} into {}\npeople: {} added, {} already there\nmemberships: {} added",
                    server.location(),
                    local.location(),
                    report.people_added,
                    report.people_matched,
                    report.memberships_added
                );
                for conflict in &report.conflicts {
                    println!("conflict: {conflict}");
                }
            }
            Ok(if report.conflicts.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
    }
}

fn roles(url: &str, learner: Option<&str>, staff: Option<&str>) -> anyhow::Result<ExitCode> {
    use crate::store::roles::{LEARNER_ROLE, LoginKind, STAFF_ROLE};
    server_url(url, "--db")?;
    let store = Store::connect(url)?;
    store.set_up_roles()?;
    println!(
        "{}: roles {LEARNER_ROLE} and {STAFF_ROLE} have their privileges",
        store.location()
    );
    for (name, kind) in [(learner, LoginKind::Learner), (staff, LoginKind::Staff)] {
        let Some(name) = name else { continue };
        let Ok(password) = std::env::var(LOGIN_PASSWORD_ENV_VAR) else {
            anyhow::bail!("put the new login's password in {LOGIN_PASSWORD_ENV_VAR}");
        };
        store.create_server_login(name, &password, kind)?;
        let role = match kind {
            LoginKind::Learner => LEARNER_ROLE,
            LoginKind::Staff => STAFF_ROLE,
        };
        println!("login {name:?} created in {role}");
    }
    Ok(ExitCode::SUCCESS)
}
