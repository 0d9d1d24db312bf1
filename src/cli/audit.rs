//! `ehr-sim audit verify|head`: checks the progress database's hash chain and prints its head.
//! `verify` opens the file read-only (it never creates or migrates one), and exits non-zero when
//! SQLite's integrity check fails, the schema has objects EHR Sim did not create (a trigger, a
//! view) or lacks its own, any record was edited, deleted or inserted, a head kept earlier
//! (`--expect-head`) is not part of the chain, or — with `--public-key` — no seal was made with
//! the key or a seal no longer matches the chain (it was recomputed after an edit).

use std::process::ExitCode;

use crate::cli::store_args::DbArgs;

/// Arguments.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// What to do.
    #[command(subcommand)]
    pub action: Action,
}

/// The audit actions.
#[derive(Debug, clap::Subcommand)]
pub enum Action {
    /// Recompute the chain; report edited, deleted and inserted records; exit 1 if any.
    Verify {
        /// The database.
        #[command(flatten)]
        db: DbArgs,
        /// A chain head kept earlier (e.g. from an assessment report) that must still be in the chain.
        #[arg(long, value_name = "HASH")]
        expect_head: Option<String>,
        /// An employer's public key (PEM): every seal made with it must still hold, and there
        /// must be at least one.
        #[arg(long, value_name = "FILE")]
        public_key: Option<std::path::PathBuf>,
    },
    /// Print the current chain head.
    Head {
        /// The database.
        #[command(flatten)]
        db: DbArgs,
    },
}

/// Runs the command.
///
/// # Errors
/// When the database cannot be opened.
pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    match &args.action {
        Action::Head { db } => {
            println!("{}", db.open()?.audit_head()?);
            Ok(ExitCode::SUCCESS)
        }
        Action::Verify {
            db,
            expect_head,
            public_key,
        } => {
            // A key that cannot be read is an error before anything is checked.
            let key = public_key
                .as_deref()
                .map(crate::store::seal::read_verifying_key)
                .transpose()?;
            let path = crate::paths::database(db.db.as_deref())?;
            let store = crate::store::Store::open_any_to_verify(&path)?;
            println!("database: {}", store.location());
            let mut problems = 0;
            let integrity = store.integrity_check()?;
            if integrity != ["ok"] {
                problems += integrity.len();
                for line in &integrity {
                    println!("damaged: {line}");
                }
                println!(
                    "the file is damaged (SQLite integrity check failed): restore a backup; results read from it cannot be trusted"
                );
            }
            for surprise in store.schema_surprises()? {
                problems += 1;
                println!("altered: {surprise}");
            }
            let report = store.verify_audit()?;
            problems += report.issues.len();
            println!("links checked: {}", report.links);
            println!("chain head: {}", report.head);
            for issue in &report.issues {
                println!("{issue}");
            }
            if let Some(head) = expect_head {
                if report.contains_head(head) {
                    println!("kept head {head} is part of this chain");
                } else {
                    problems += 1;
                    println!(
                        "rewritten: kept head {head} is not part of this chain (the database was replaced or rewritten)"
                    );
                }
            }
            if let Some(key) = &key {
                let seals = store.check_seals(key, &report)?;
                for check in seals.seals.iter().filter(|c| c.problem.is_none()) {
                    println!(
                        "seal #{} of {:?} holds: signed by {} at {} over {} link(s)",
                        check.seal.id,
                        check.seal.assessment,
                        check.seal.public_key,
                        check.seal.sealed_at,
                        check.seal.links
                    );
                }
                for problem in seals.problems() {
                    problems += 1;
                    println!("unsealed: {problem}");
                }
            }
            if problems == 0 {
                println!("audit: OK");
                Ok(ExitCode::SUCCESS)
            } else {
                println!("audit: FAILED ({problems} problem(s))");
                Ok(ExitCode::FAILURE)
            }
        }
    }
}
