//! `ehr-sim people …`: accounts and cohorts from the command line. Adding people and managing
//! cohorts needs `--as` an instructor or employer admin (password in `EHR_SIM_PASSWORD`),
//! except the first instructor/employer admin of a new database. A new account's password is
//! read from the first line of standard input with `--password-stdin`.

use std::io::BufRead;
use std::process::ExitCode;

use anyhow::Context;

use crate::cli::store_args::{DbArgs, now, sign_in};
use crate::store::Role;

/// Arguments.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// What to do.
    #[command(subcommand)]
    pub action: Action,
}

/// The people actions.
#[derive(Debug, clap::Subcommand)]
pub enum Action {
    /// Add a person (the first instructor or employer admin may be added without --as).
    Add {
        /// Display name (unique).
        name: String,
        /// student, instructor, employer-admin or candidate.
        #[arg(long)]
        role: String,
        /// Read the new account's password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
        /// Who is adding (an instructor or employer admin).
        #[arg(long = "as", value_name = "NAME")]
        actor: Option<String>,
        /// The database.
        #[command(flatten)]
        db: DbArgs,
    },
    /// List everyone.
    List {
        /// The database.
        #[command(flatten)]
        db: DbArgs,
    },
    /// Create a cohort.
    CohortCreate {
        /// Cohort name.
        name: String,
        /// Who is creating it.
        #[arg(long = "as", value_name = "NAME")]
        actor: String,
        /// The database.
        #[command(flatten)]
        db: DbArgs,
    },
    /// Add a person to a cohort.
    CohortAdd {
        /// Cohort name.
        cohort: String,
        /// Person's name.
        person: String,
        /// Who is adding.
        #[arg(long = "as", value_name = "NAME")]
        actor: String,
        /// The database.
        #[command(flatten)]
        db: DbArgs,
    },
    /// List cohorts with their members.
    Cohorts {
        /// The database.
        #[command(flatten)]
        db: DbArgs,
    },
}

fn read_password() -> anyhow::Result<String> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("reading the password from standard input")?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

/// Runs the command.
///
/// # Errors
/// When the database cannot be opened, sign-in fails, or the store refuses the change.
pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    match &args.action {
        Action::Add {
            name,
            role,
            password_stdin,
            actor,
            db,
        } => {
            let role = Role::parse(role)?;
            let mut store = db.open()?;
            let session = actor
                .as_deref()
                .map(|a| sign_in(&mut store, a))
                .transpose()?;
            let password = if *password_stdin {
                Some(read_password()?)
            } else {
                None
            };
            let person =
                store.create_person(session.as_ref(), name, role, password.as_deref(), &now())?;
            println!("added {} ({})", person.name(), person.role());
        }
        Action::List { db } => {
            for person in db.open()?.list_people()? {
                let password = if person.has_password {
                    "password"
                } else {
                    "no password"
                };
                println!("{}\t{}\t{password}", person.name, person.role);
            }
        }
        Action::CohortCreate { name, actor, db } => {
            let mut store = db.open()?;
            let session = sign_in(&mut store, actor)?;
            store.create_cohort(&session, name, &now())?;
            println!("created cohort {name}");
        }
        Action::CohortAdd {
            cohort,
            person,
            actor,
            db,
        } => {
            let mut store = db.open()?;
            let session = sign_in(&mut store, actor)?;
            store.add_to_cohort(&session, cohort, person)?;
            println!("added {person} to {cohort}");
        }
        Action::Cohorts { db } => {
            for cohort in db.open()?.list_cohorts()? {
                println!("{}: {}", cohort.name, cohort.members.join(", "));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
