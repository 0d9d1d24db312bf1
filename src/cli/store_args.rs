//! Shared arguments and helpers of the commands that use the progress store: `--db PATH`,
//! `--as NAME` sign-in (password from `EHR_SIM_PASSWORD`), and the wall clock (the only place
//! the store's callers read it).

use std::path::PathBuf;

use crate::store::{Session, Store};
use anyhow::Context;
use chrono::{DateTime, Utc};

/// The environment variable holding the `--as` account's password.
pub(crate) const PASSWORD_ENV_VAR: &str = "EHR_SIM_PASSWORD";

/// `--db PATH`.
#[derive(Debug, Clone, clap::Args)]
pub struct DbArgs {
    /// The progress database: a file, or a program server's `postgres://USER@HOST:PORT/DB` URL
    /// (default: `EHR_SIM_DB`, else the user data directory).
    #[arg(long, value_name = "PATH|URL")]
    pub db: Option<PathBuf>,
}

impl DbArgs {
    /// Opens (creating or migrating) the database.
    ///
    /// # Errors
    /// The store's clear errors (not a database, newer schema, read-only, …).
    pub fn open(&self) -> anyhow::Result<Store> {
        let path = crate::paths::database(self.db.as_deref())?;
        Ok(Store::open_any(&path)?)
    }
}

/// Signs `name` in, with the password from `EHR_SIM_PASSWORD` if set.
///
/// # Errors
/// When sign-in fails (the message says how to pass the password).
pub fn sign_in(store: &mut Store, name: &str) -> anyhow::Result<Session> {
    let password = std::env::var(PASSWORD_ENV_VAR).ok();
    store.sign_in(name, password.as_deref()).with_context(|| {
        format!("signing in as {name:?} (put the password in the {PASSWORD_ENV_VAR} environment variable)")
    })
}

/// Now, in UTC (whole seconds are kept by the store).
#[must_use]
pub fn now() -> DateTime<Utc> {
    DateTime::<Utc>::from(std::time::SystemTime::now())
}

/// Keys of a scenario in an assessment whose results are not released are for staff: when the
/// progress database (`db`, else the default one) exists and lists such an assessment, `actor`
/// must sign in as an instructor or employer admin. `what` says what is being asked for.
///
/// # Errors
/// When staff sign-in is needed and missing or fails, or the database cannot be read.
pub fn require_staff_for_keys(
    scenario_id: &str,
    actor: Option<&str>,
    db: Option<&std::path::Path>,
    what: &str,
) -> anyhow::Result<()> {
    let path = crate::paths::database(db)?;
    let on_server = path.to_str().is_some_and(crate::store::is_server_url);
    if !on_server && !path.exists() {
        return Ok(());
    }
    // Read-only: asking for a key never creates, upgrades or writes the progress database.
    let mut store = Store::open_any_to_verify(&path)?;
    let open = store.open_assessments_with(scenario_id)?;
    let Some(first) = open.first() else {
        return Ok(());
    };
    let Some(actor) = actor else {
        anyhow::bail!(
            "{scenario_id} is part of assessment {first:?}, whose results are not released: {what} \
             is for instructors and employer admins (sign in with --as NAME, password in {PASSWORD_ENV_VAR})"
        );
    };
    let session = sign_in(&mut store, actor)?;
    if !session.role().is_privileged() {
        anyhow::bail!(
            "{} is a {}: {what} of a scenario in assessment {first:?} is for instructors and \
             employer admins",
            session.name(),
            session.role()
        );
    }
    Ok(())
}
