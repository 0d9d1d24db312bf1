//! Where EHR Sim keeps its files on this machine: the one place that reads the environment
//! variables and the platform's data folder.
//!
//! - the user data folder: `$EHR_SIM_DATA_DIR` when set and non-empty, else the platform data
//!   directory of `org / EHR Sim / ehr-sim` (e.g. `~/.local/share/ehr-sim` on Linux);
//!   imported code sets live in its `terminology/`, exports in its `exports/`, work the program
//!   server has not received yet (the connection was lost) in its `offline-work.json`;
//! - the progress database: `--db PATH` when given, else `$EHR_SIM_DB` when set and non-empty,
//!   else [`DATABASE_FILE_NAME`] in the platform data directory.
//!
//! Nothing here creates a folder or a file. The shells (`cli`, `ui`) resolve these paths and
//! pass them in; the core never reads them itself.

use std::path::{Path, PathBuf};

/// The environment variable that overrides the user data folder.
pub(crate) const DATA_DIR_ENV_VAR: &str = "EHR_SIM_DATA_DIR";

/// The environment variable that overrides the default database path.
pub(crate) const DB_ENV_VAR: &str = "EHR_SIM_DB";

/// The database file name inside the platform data directory.
pub(crate) const DATABASE_FILE_NAME: &str = "ehr-sim.sqlite3";

/// The platform has no home or data directory (and no override was set).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("no user data directory could be found (set {DATA_DIR_ENV_VAR} to a writable directory)")]
pub struct NoDataDir;

/// The platform's own data directory for EHR Sim, ignoring the overrides.
fn platform_data_dir() -> Result<PathBuf, NoDataDir> {
    directories::ProjectDirs::from("org", "EHR Sim", "ehr-sim")
        .map(|dirs| dirs.data_dir().to_path_buf())
        .ok_or(NoDataDir)
}

/// A non-empty environment variable as a path.
fn env_path(name: &str) -> Option<PathBuf> {
    std::env::var_os(name)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

/// The user data folder (see the module documentation).
///
/// # Errors
/// [`NoDataDir`] when no override is set and the platform has no data directory.
pub fn data_dir() -> Result<PathBuf, NoDataDir> {
    env_path(DATA_DIR_ENV_VAR).map_or_else(platform_data_dir, Ok)
}

/// Where imported code sets (HCPCS, a licensed CPT file) live.
///
/// # Errors
/// [`NoDataDir`] as [`data_dir`].
pub(crate) fn terminology_dir() -> Result<PathBuf, NoDataDir> {
    Ok(data_dir()?.join("terminology"))
}

/// The folder exports go to by default.
///
/// # Errors
/// [`NoDataDir`] as [`data_dir`].
// Only the desktop app exports to a default folder.
#[cfg(feature = "gui")]
pub(crate) fn exports_dir() -> Result<PathBuf, NoDataDir> {
    Ok(data_dir()?.join("exports"))
}

/// Where the app keeps drafts and graded submissions that could not reach the program server
/// (the connection was lost) until they are sent: `offline-work.json` in the user data folder.
///
/// # Errors
/// [`NoDataDir`] as [`data_dir`].
#[cfg(feature = "gui")]
pub(crate) fn offline_work_file() -> Result<PathBuf, NoDataDir> {
    Ok(data_dir()?.join("offline-work.json"))
}

/// The platform's default database path: [`DATABASE_FILE_NAME`] in the platform data directory.
///
/// # Errors
/// [`NoDataDir`] when the platform has no data directory.
pub(crate) fn default_database() -> Result<PathBuf, NoDataDir> {
    Ok(platform_data_dir()?.join(DATABASE_FILE_NAME))
}

/// The database path to use: the `--db` flag if given, else `EHR_SIM_DB` if set and non-empty,
/// else [`default_database`].
///
/// # Errors
/// [`NoDataDir`] when falling back to the default and there is no data directory.
pub fn database(cli_flag: Option<&Path>) -> Result<PathBuf, NoDataDir> {
    if let Some(path) = cli_flag {
        return Ok(path.to_path_buf());
    }
    env_path(DB_ENV_VAR).map_or_else(default_database, Ok)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_flag_wins() {
        let flag = Path::new("/tmp/x.sqlite3");
        assert_eq!(database(Some(flag)), Ok(flag.to_path_buf()));
    }

    #[test]
    fn default_database_ends_with_the_file_name() {
        if let Ok(path) = default_database() {
            assert!(path.ends_with(DATABASE_FILE_NAME));
        }
    }
}
