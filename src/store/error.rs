//! The store's error type. Every variant names the database file (where there is one) and says
//! what the user can do about it; nothing in the store panics on a bad file or bad input.

use std::path::PathBuf;

use crate::store::people::Role;

/// Everything that can go wrong in the progress store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The file is an SQLite database, but not one EHR Sim created.
    #[error(
        "{path}: this is an SQLite database, but not an EHR Sim progress database (application id {found:#x}); \
         pass a different file with --db PATH or EHR_SIM_DB"
    )]
    NotEhrSimDatabase {
        /// The database file.
        path: PathBuf,
        /// The `application_id` found in the file header.
        found: i64,
    },
    /// The file is not an SQLite database at all (random bytes, a different file type).
    #[error(
        "{path}: not an SQLite database (the file header is unreadable: random bytes or another file type); \
         move it aside or pass a different file with --db PATH"
    )]
    NotADatabase {
        /// The file.
        path: PathBuf,
    },
    /// The database was written by a newer EHR Sim.
    #[error(
        "{path}: database schema version {found} is newer than this program supports ({supported}); \
         upgrade EHR Sim, or use a different file with --db PATH"
    )]
    NewerSchema {
        /// The database file.
        path: PathBuf,
        /// The schema version in the file.
        found: i64,
        /// The newest schema version this program knows.
        supported: i64,
    },
    /// The file (or its folder) cannot be written.
    #[error(
        "{path}: the database is read-only (check the file's and its folder's permissions, \
         or copy it somewhere writable and pass --db PATH)"
    )]
    ReadOnly {
        /// The database file.
        path: PathBuf,
    },
    /// SQLite cannot open the path at all (a folder, a device, a missing drive).
    #[error("{path}: cannot open the database ({detail}); give the path of a file you may write")]
    CannotOpen {
        /// The path.
        path: PathBuf,
        /// What SQLite reported.
        detail: String,
    },
    /// SQLite reports the file damaged.
    #[error(
        "{path}: the database is corrupt ({detail}); restore a backup (*.backup-v* beside it) or start a new file"
    )]
    Corrupt {
        /// The database file.
        path: PathBuf,
        /// What SQLite reported.
        detail: String,
    },
    /// A file-system operation failed.
    #[error("{path}: {source}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// No platform data directory could be determined and no path was given.
    #[error("cannot find a user data directory on this system; pass --db PATH or set EHR_SIM_DB")]
    NoDataDir,
    /// Taking the pre-migration backup failed; nothing was migrated.
    #[error(
        "{path}: could not write the backup taken before migrating ({detail}); nothing was changed"
    )]
    Backup {
        /// The backup file that could not be written.
        path: PathBuf,
        /// What went wrong.
        detail: String,
    },
    /// A named thing does not exist.
    #[error("no {what} named {name:?}; list them with `ehr-sim people list`")]
    NotFound {
        /// Kind of thing (`person`, `cohort`, `assessment`, `attempt`).
        what: &'static str,
        /// The name or id looked up.
        name: String,
    },
    /// A named thing already exists.
    #[error("a {what} named {name:?} already exists; choose another name")]
    Duplicate {
        /// Kind of thing.
        what: &'static str,
        /// The name.
        name: String,
    },
    /// Wrong name or password.
    #[error("sign-in failed for {name:?}: unknown name or wrong password")]
    SignInFailed {
        /// The name given.
        name: String,
    },
    /// The signed-in person's role may not do this.
    #[error("a {role} may not {action}; sign in as {allowed}")]
    PermissionDenied {
        /// What was attempted.
        action: &'static str,
        /// The actor's role.
        role: Role,
        /// Who may do it.
        allowed: &'static str,
    },
    /// A value handed to the store is out of range or malformed.
    #[error("invalid {field}: {message}")]
    Invalid {
        /// The field at fault.
        field: &'static str,
        /// What is wrong and how to fix it.
        message: String,
    },
    /// Password hashing failed (should not happen with valid parameters).
    #[error("password hashing failed: {0}")]
    PasswordHash(String),
    /// Any other SQLite error.
    #[error("database error: {}", describe_sqlite(.0))]
    Sqlite(#[from] rusqlite::Error),
    /// A PostgreSQL failure after the connection was made, in the server's words.
    #[error("program server error: {}", describe_postgres(.0))]
    Postgres(#[from] postgres::Error),
    /// The program server cannot be used: unreachable, refused the sign-in, not EHR Sim's, or
    /// newer than this program. Says which server (without its password) and what to do.
    #[error("program server {url}: {detail}")]
    Server {
        /// The server's URL, password removed.
        url: String,
        /// What went wrong and what to do.
        detail: String,
    },
    /// A query that must return a row returned none.
    #[error("the database returned no row where one was expected")]
    NoRow,
    /// A column held a type the store does not read there (a schema altered by hand).
    #[error("the database returned column {index} in a form the store does not expect ({detail})")]
    Column {
        /// The column's position.
        index: usize,
        /// What was expected and found.
        detail: String,
    },
}

/// A PostgreSQL error in words: the server's message and, for the codes with advice of their
/// own, what to do.
#[must_use]
pub(crate) fn describe_postgres(err: &postgres::Error) -> String {
    use postgres::error::SqlState;
    let Some(db) = err.as_db_error() else {
        return if err.is_closed() {
            "the connection to the server was lost: check the network, then try again".to_string()
        } else {
            err.to_string()
        };
    };
    let code = db.code();
    let advice = if *code == SqlState::INSUFFICIENT_PRIVILEGE {
        Some("this server role may not do that: sign in with a role that may")
    } else if *code == SqlState::UNIQUE_VIOLATION
        || *code == SqlState::FOREIGN_KEY_VIOLATION
        || *code == SqlState::CHECK_VIOLATION
        || *code == SqlState::NOT_NULL_VIOLATION
    {
        Some("the change contradicts what is stored (a constraint failed)")
    } else if *code == SqlState::DISK_FULL {
        Some("the server's disk is full: tell its administrator")
    } else if *code == SqlState::T_R_SERIALIZATION_FAILURE
        || *code == SqlState::T_R_DEADLOCK_DETECTED
    {
        Some("another seat was writing at the same moment: try again")
    } else {
        None
    };
    match advice {
        Some(advice) => format!("{advice} (PostgreSQL: {})", db.message()),
        None => format!("{} (PostgreSQL {})", db.message(), code.code()),
    }
}

/// An SQLite error in words, once, with what to do: "disk I/O error: disk I/O error: Error code
/// 4874" becomes "the disk could not be read or written (…)".
#[must_use]
// `rusqlite::ErrorCode` is a foreign `#[non_exhaustive]` enum: the codes with advice of their own
// are named, every other one, present or future, shows SQLite's own words.
#[allow(clippy::wildcard_enum_match_arm)]
pub(crate) fn describe_sqlite(err: &rusqlite::Error) -> String {
    use rusqlite::ErrorCode;
    let rusqlite::Error::SqliteFailure(failure, message) = err else {
        return err.to_string();
    };
    let advice = match failure.code {
        ErrorCode::SystemIoFailure => Some(
            "the disk could not be read or written (an I/O error): check the drive or network share, or move the database to a local disk",
        ),
        ErrorCode::DiskFull => Some("the disk is full: free some space and try again"),
        ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked => Some(
            "another program is writing to the database: wait a moment, or close the other EHR Sim",
        ),
        ErrorCode::ReadOnly | ErrorCode::PermissionDenied => {
            Some("the database cannot be written: check the file's permissions")
        }
        ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase => {
            Some("the database file is damaged: restore a backup")
        }
        ErrorCode::OutOfMemory => Some("the computer ran out of memory: close other programs"),
        ErrorCode::CannotOpen => Some("the database file cannot be opened: check the path"),
        ErrorCode::ConstraintViolation => {
            Some("the change contradicts what is stored (a constraint failed)")
        }
        _ => None,
    };
    match (advice, message) {
        (Some(advice), Some(detail)) if !advice.contains(detail.as_str()) => {
            format!("{advice} (SQLite: {detail})")
        }
        (Some(advice), _) => advice.to_string(),
        (None, Some(detail)) => detail.clone(),
        (None, None) => failure.to_string(),
    }
}

/// A shorthand for `Result<T, StoreError>`.
pub type StoreResult<T> = Result<T, StoreError>;

impl StoreError {
    /// Whether the program server's connection was lost (or never came up): the work is kept
    /// and the save retried after [`crate::store::Store::reconnect`].
    #[must_use]
    pub fn is_connection_lost(&self) -> bool {
        match self {
            Self::Postgres(e) => e.is_closed() || e.as_db_error().is_none(),
            Self::Server { detail, .. } => detail.starts_with("cannot reach the server"),
            Self::NotEhrSimDatabase { .. }
            | Self::NotADatabase { .. }
            | Self::NewerSchema { .. }
            | Self::ReadOnly { .. }
            | Self::CannotOpen { .. }
            | Self::Corrupt { .. }
            | Self::Io { .. }
            | Self::NoDataDir
            | Self::Backup { .. }
            | Self::NotFound { .. }
            | Self::Duplicate { .. }
            | Self::SignInFailed { .. }
            | Self::PermissionDenied { .. }
            | Self::Invalid { .. }
            | Self::PasswordHash(_)
            | Self::Sqlite(_)
            | Self::NoRow
            | Self::Column { .. } => false,
        }
    }
}

impl From<crate::paths::NoDataDir> for StoreError {
    fn from(_: crate::paths::NoDataDir) -> Self {
        Self::NoDataDir
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_sqlite_failure_is_said_once_in_words_with_what_to_do() {
        // SQLITE_IOERR_SHMSIZE (4874), as a failing disk reports it.
        let io = rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(4874),
            Some("disk I/O error".to_string()),
        );
        let shown = StoreError::Sqlite(io).to_string();
        assert_eq!(
            shown,
            "database error: the disk could not be read or written (an I/O error): check the drive or network share, or move the database to a local disk (SQLite: disk I/O error)"
        );
        assert_eq!(shown.matches("disk I/O error").count(), 1);
        let full = rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(13), None);
        assert_eq!(
            StoreError::Sqlite(full).to_string(),
            "database error: the disk is full: free some space and try again"
        );
    }
}
