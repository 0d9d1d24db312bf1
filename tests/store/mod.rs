//! Progress-store tests: the library API on in-memory and file databases, bad files,
//! migrations, the audit chain, the CLI, and the reliability tests (killed writers, concurrent
//! writers) that run the real binary.

mod api;
mod chain;
mod cli;
mod files;
mod migration;
pub(crate) mod pg;
mod queries;
mod reliability;
mod seal;
mod secrets;
mod server;
mod sittings;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::{DateTime, Utc};
use ehr_sim::store::{Role, Session, Store};

pub(super) const INSTRUCTOR_PASSWORD: &str = "correct horse";

/// A fresh directory under the system temp dir, removed on drop.
pub(super) struct TempDir(PathBuf);

impl TempDir {
    pub(super) fn new(label: &str) -> Self {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let dir =
            std::env::temp_dir().join(format!("ehr-sim-store-{label}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }

    pub(super) fn path(&self) -> &Path {
        &self.0
    }

    pub(super) fn file(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A fresh store on each engine: SQLite in memory, and a new database on the throw-away
/// PostgreSQL server (when it can run here; see `pg`).
pub(super) fn engines(label: &str) -> Vec<Store> {
    let mut stores = vec![Store::open_in_memory().unwrap()];
    if let Some(server) = pg::server() {
        stores.push(Store::connect(&server.fresh_url(label)).unwrap());
    }
    stores
}

pub(super) fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&Utc)
}

pub(super) fn now() -> DateTime<Utc> {
    at("2026-03-01T09:00:00Z")
}

/// An instructor "Ines" and students "Sam" and "Ana" in cohort "Spring 2026".
pub(super) fn populate(store: &mut Store) -> (Session, Session, Session) {
    let ines = store
        .create_person(
            None,
            "Ines",
            Role::Instructor,
            Some(INSTRUCTOR_PASSWORD),
            &now(),
        )
        .unwrap();
    let sam = store
        .create_person(Some(&ines), "Sam", Role::Student, None, &now())
        .unwrap();
    let ana = store
        .create_person(Some(&ines), "Ana", Role::Student, None, &now())
        .unwrap();
    store.create_cohort(&ines, "Spring 2026", &now()).unwrap();
    store.add_to_cohort(&ines, "Spring 2026", "Sam").unwrap();
    store.add_to_cohort(&ines, "Spring 2026", "Ana").unwrap();
    (ines, sam, ana)
}

/// The password of employer admin "Erin" ([`populate_with_employer`]).
pub(super) const ERIN_PASSWORD: &str = "employer pw 1";

/// [`populate`], and employer admin "Erin" created by Ines; returns Ines and Erin.
pub(super) fn populate_with_employer(store: &mut Store) -> (Session, Session) {
    let (ines, _, _) = populate(store);
    let erin = store
        .create_person(
            Some(&ines),
            "Erin",
            Role::EmployerAdmin,
            Some(ERIN_PASSWORD),
            &now(),
        )
        .unwrap();
    (ines, erin)
}

/// Runs `ehr-sim audit verify --db PATH EXTRA…`; returns the exit code and what it printed
/// (standard output, then standard error).
pub(super) fn audit_verify(path: &Path, extra: &[&str]) -> (i32, String) {
    let out = bin()
        .args(["audit", "verify", "--db"])
        .arg(path)
        .args(extra)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap() + &String::from_utf8(out.stderr).unwrap(),
    )
}

pub(super) fn bin() -> std::process::Command {
    let mut cmd = crate::ehr_sim_command();
    cmd.env_remove("EHR_SIM_DB").env_remove("EHR_SIM_PASSWORD");
    cmd
}
