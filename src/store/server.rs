//! The progress store on a program's PostgreSQL server: connecting, refusing a database that is
//! not EHR Sim's or is newer than this program, creating and migrating the schema, and listing
//! the schema's objects for `audit verify`.
//!
//! `EHR_SIM_DB` (or `--db`) names a server with a `postgres://user@host:port/db` URL. The
//! password comes from the URL, `PGPASSWORD`, the user's `~/.pgpass` (`PGPASSFILE`), or, on a
//! terminal, a prompt that echoes nothing, in that order, as `psql` finds it; `sslmode` and the
//! other URL options pass through to the client. Unless `sslmode=disable`, the connection uses
//! TLS when the server offers it (`prefer`, the default) or insists on it (`require`), and the
//! server's certificate is always verified: against `sslrootcert=PATH` when the URL names one,
//! else `~/.postgresql/root.crt` when it exists (as libpq), else the system's authorities.
//! One connection serves one store, as one SQLite handle does: the app and each command hold a
//! single connection, and many seats are many connections.

use std::collections::BTreeSet;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

use tokio_postgres_rustls::MakeRustlsConnect;

use crate::store::db::{Db, PgConn, params};
use crate::store::migrations::{self, latest_version};
use crate::store::{Store, StoreError, StoreResult};

/// How long connecting to a server may take before the store says it is unreachable.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Whether `target` names a program server rather than an SQLite file.
#[must_use]
pub fn is_server_url(target: &str) -> bool {
    let lower = target.trim_start().to_ascii_lowercase();
    lower.starts_with("postgres://") || lower.starts_with("postgresql://")
}

/// The URL with its password (if any) replaced by `***`, for messages and the app.
#[must_use]
pub fn redact(url: &str) -> String {
    let Some(scheme_end) = url.find("://") else {
        return url.to_string();
    };
    let rest = &url[scheme_end + 3..];
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    match (authority.rfind('@'), authority.find(':')) {
        (Some(at), Some(colon)) if colon < at => format!(
            "{}{}:***{}",
            &url[..scheme_end + 3],
            &authority[..colon],
            &rest[at..]
        ),
        _ => url.to_string(),
    }
}

fn server_error(url: &str, detail: impl Into<String>) -> StoreError {
    StoreError::Server {
        url: redact(url),
        detail: detail.into(),
    }
}

/// The password `psql` would use for this connection from a `.pgpass` file's lines
/// (`host:port:database:user:password`, `*` matching anything, `\:` and `\\` escaped).
fn pgpass_password(
    text: &str,
    host: &str,
    port: u16,
    database: &str,
    user: &str,
) -> Option<String> {
    let port = port.to_string();
    for line in text.lines() {
        if line.trim_start().starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let mut fields = Vec::new();
        let mut field = String::new();
        let mut chars = line.chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' => field.extend(chars.next()),
                ':' if fields.len() < 4 => fields.push(std::mem::take(&mut field)),
                other => field.push(other),
            }
        }
        fields.push(field);
        let [h, p, d, u, password] = fields.as_slice() else {
            continue;
        };
        let matches = |pattern: &str, value: &str| pattern == "*" || pattern == value;
        if matches(h, host) && matches(p, &port) && matches(d, database) && matches(u, user) {
            return Some(password.clone());
        }
    }
    None
}

fn pgpass_file() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("PGPASSFILE") {
        return Some(PathBuf::from(path));
    }
    directories::BaseDirs::new().map(|dirs| dirs.home_dir().join(".pgpass"))
}

/// The URL without its `sslrootcert` option (which the client library does not take), and that
/// option's path.
fn split_root_cert(url: &str) -> (String, Option<PathBuf>) {
    let Some((base, query)) = url.split_once('?') else {
        return (url.to_string(), None);
    };
    let mut root = None;
    let kept: Vec<&str> = query
        .split('&')
        .filter(|pair| match pair.split_once('=') {
            Some(("sslrootcert", path)) => {
                root = Some(PathBuf::from(path.replace("%2F", "/").replace("%2f", "/")));
                false
            }
            Some(_) | None => true,
        })
        .collect();
    if kept.is_empty() {
        (base.to_string(), root)
    } else {
        (format!("{base}?{}", kept.join("&")), root)
    }
}

/// The TLS connector: rustls (with *ring*), trusting `root_cert`, else libpq's
/// `~/.postgresql/root.crt`, else the system's authorities.
fn tls(url: &str, root_cert: Option<&std::path::Path>) -> StoreResult<MakeRustlsConnect> {
    use rustls::pki_types::CertificateDer;
    use rustls::pki_types::pem::PemObject;
    let default_root = directories::BaseDirs::new()
        .map(|dirs| dirs.home_dir().join(".postgresql/root.crt"))
        .filter(|path| path.is_file());
    let mut roots = rustls::RootCertStore::empty();
    match root_cert.map(std::path::Path::to_path_buf).or(default_root) {
        Some(path) => {
            let certs = CertificateDer::pem_file_iter(&path)
                .and_then(Iterator::collect::<Result<Vec<_>, _>>)
                .map_err(|e| {
                    server_error(
                        url,
                        format!(
                            "cannot read the certificate authority file {} ({e}); give a PEM \
                             file with sslrootcert=PATH",
                            path.display()
                        ),
                    )
                })?;
            let (added, _) = roots.add_parsable_certificates(certs);
            if added == 0 {
                return Err(server_error(
                    url,
                    format!("{} holds no certificate; give a PEM file", path.display()),
                ));
            }
        }
        None => {
            let found = rustls_native_certs::load_native_certs();
            roots.add_parsable_certificates(found.certs);
        }
    }
    // *ring* builds with the C compiler the bundled SQLite already needs (aws-lc-rs would add
    // CMake); rustls marks it deprecated only because it lacks post-quantum key exchange, which
    // PostgreSQL servers do not ask for. X25519 and the usual suites remain.
    #[allow(deprecated)]
    let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| server_error(url, format!("TLS could not be set up ({e})")))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(MakeRustlsConnect::new(config))
}

/// Connects with TLS unless the URL says `sslmode=disable`.
fn open_client(url: &str) -> StoreResult<postgres::Client> {
    let (client_url, root_cert) = split_root_cert(url);
    let config = config(&client_url)?;
    let connected = if config.get_ssl_mode() == postgres::config::SslMode::Disable {
        config.connect(postgres::NoTls)
    } else {
        config.connect(tls(url, root_cert.as_deref())?)
    };
    connected.map_err(|e| connect_error(url, &e))
}

/// Builds the client configuration: the URL, then the password from `PGPASSWORD`, `.pgpass` or
/// (on a terminal) a prompt when the URL has none.
fn config(url: &str) -> StoreResult<postgres::Config> {
    let mut config = postgres::Config::from_str(url.trim()).map_err(|e| {
        server_error(
            url,
            format!("not a valid server URL ({e}); write it as postgres://USER@HOST:PORT/DATABASE"),
        )
    })?;
    if config.get_user().is_none() {
        return Err(server_error(
            url,
            "the URL names no user; write it as postgres://USER@HOST:PORT/DATABASE",
        ));
    }
    if config.get_password().is_none() {
        if let Ok(password) = std::env::var("PGPASSWORD") {
            config.password(password);
        } else if let Some(text) = pgpass_file().and_then(|p| std::fs::read_to_string(p).ok()) {
            let host = match config.get_hosts().first() {
                Some(postgres::config::Host::Tcp(host)) => host.clone(),
                #[cfg(unix)]
                Some(postgres::config::Host::Unix(path)) => path.display().to_string(),
                None => "localhost".to_string(),
            };
            let port = config.get_ports().first().copied().unwrap_or(5432);
            let user = config.get_user().unwrap_or_default().to_string();
            let database = config.get_dbname().unwrap_or(&user).to_string();
            if let Some(password) = pgpass_password(&text, &host, port, &database, &user) {
                config.password(password);
            }
        }
    }
    if config.get_password().is_none()
        && std::io::stdin().is_terminal()
        && std::io::stderr().is_terminal()
    {
        // On a terminal, ask as psql does (nothing echoed); an empty answer means none.
        let user = config.get_user().unwrap_or_default().to_string();
        if let Ok(password) =
            rpassword::prompt_password(format!("Password for {user} on the program server: "))
            && !password.is_empty()
        {
            config.password(password);
        }
    }
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(CONNECT_TIMEOUT);
    }
    // A server that vanishes without closing the connection (switched off, network gone)
    // fails the next query within seconds instead of the system's TCP timeout of many minutes,
    // so the app's window never hangs on a save and keeps the work (where the system has it).
    if config.get_tcp_user_timeout().is_none() {
        config.tcp_user_timeout(CONNECT_TIMEOUT);
    }
    config.application_name("ehr-sim");
    Ok(config)
}

/// Turns a failed connection into what the user can do about it.
fn connect_error(url: &str, err: &postgres::Error) -> StoreError {
    use postgres::error::SqlState;
    let text = match std::error::Error::source(err) {
        Some(cause) if err.as_db_error().is_none() => format!("{err}: {cause}"),
        Some(_) | None => err.to_string(),
    };
    let detail = match err.as_db_error().map(postgres::error::DbError::code) {
        Some(code) if *code == SqlState::INVALID_PASSWORD => {
            "the server refused the password: check the password (PGPASSWORD or ~/.pgpass) and the user name".to_string()
        }
        Some(code) if *code == SqlState::INVALID_AUTHORIZATION_SPECIFICATION => format!(
            "the server refused this user ({}); ask the server's administrator for a login",
            err.as_db_error().map_or(text.as_str(), postgres::error::DbError::message)
        ),
        Some(code) if *code == SqlState::INVALID_CATALOG_NAME => {
            "the server has no database of that name: check the URL's /DATABASE part".to_string()
        }
        Some(_) => text,
        None if text.contains("password missing") => {
            "the server asks for a password: put it in PGPASSWORD or ~/.pgpass".to_string()
        }
        None if text.contains("certificate") || text.contains("UnknownIssuer") => format!(
            "the server's certificate is not trusted ({text}); give the authority that signed \
             it with sslrootcert=PATH in the URL (or in ~/.postgresql/root.crt)"
        ),
        None if text.contains("TLS") || text.contains("tls") || text.contains("ssl") => {
            format!(
                "{text}; check the server's TLS set-up, or use sslmode=disable on a trusted \
                 network"
            )
        }
        None => format!(
            "cannot reach the server ({text}); check the host and port, that the server is \
             running, and the network"
        ),
    };
    server_error(url, detail)
}

impl Store {
    /// Opens the store `target` names: a `postgres://` URL connects to a program server
    /// ([`Store::connect`]); anything else is an SQLite file ([`Store::open`]).
    ///
    /// # Errors
    /// As [`Store::connect`] or [`Store::open`].
    pub fn open_target(target: &str) -> StoreResult<Self> {
        if is_server_url(target) {
            Self::connect(target)
        } else {
            Self::open(std::path::Path::new(target))
        }
    }

    /// Connects to a program server, checks that its database is EHR Sim's (or empty) and no
    /// newer than this program, and creates or migrates the schema when the login may.
    ///
    /// # Errors
    /// [`StoreError::Server`]: a bad URL, an unreachable server, a refused login, a database
    /// that is not EHR Sim's, a newer schema, a schema this login may not migrate, or a trigger
    /// EHR Sim did not create. Nothing is written in any of these cases.
    pub fn connect(url: &str) -> StoreResult<Self> {
        let client = open_client(url)?;
        let store = Self {
            checkpointer: None,
            db: Db::Postgres(Box::new(std::cell::RefCell::new(PgConn::new(client, url)))),
            path: None,
            server: Some(redact(url)),
        };
        prepare(&store, true)?;
        Ok(store)
    }

    /// Connects to a program server to verify it: never creates or migrates the schema.
    ///
    /// # Errors
    /// As [`Store::connect`]; also [`StoreError::Server`] for an empty database or an older
    /// schema.
    pub fn connect_to_verify(url: &str) -> StoreResult<Self> {
        let client = open_client(url)?;
        let store = Self {
            checkpointer: None,
            db: Db::Postgres(Box::new(std::cell::RefCell::new(PgConn::new(client, url)))),
            path: None,
            server: Some(redact(url)),
        };
        prepare(&store, false)?;
        Ok(store)
    }

    /// Connects again after the server connection was lost (the app calls it before retrying a
    /// save). Does nothing on SQLite or when the connection is alive.
    ///
    /// # Errors
    /// [`StoreError::Server`] while the server stays unreachable.
    pub fn reconnect(&mut self) -> StoreResult<()> {
        let Db::Postgres(pg) = &self.db else {
            return Ok(());
        };
        let mut pg = pg.borrow_mut();
        if !pg.client.is_closed() && pg.client.is_valid(CONNECT_TIMEOUT).is_ok() {
            return Ok(());
        }
        let url = pg.url.clone();
        let client = open_client(&url)?;
        pg.replace(client);
        Ok(())
    }

    /// [`Store::open_target`] for a path that may hold a server URL (`--db`, `EHR_SIM_DB`).
    ///
    /// # Errors
    /// As [`Store::open_target`].
    pub fn open_any(path: &std::path::Path) -> StoreResult<Self> {
        match path.to_str().filter(|text| is_server_url(text)) {
            Some(url) => Self::connect(url),
            None => Self::open(path),
        }
    }

    /// [`Store::open_to_verify`] for a path that may hold a server URL.
    ///
    /// # Errors
    /// As [`Store::connect_to_verify`] or [`Store::open_to_verify`].
    pub fn open_any_to_verify(path: &std::path::Path) -> StoreResult<Self> {
        match path.to_str().filter(|text| is_server_url(text)) {
            Some(url) => Self::connect_to_verify(url),
            None => Self::open_to_verify(path),
        }
    }
}

/// Checks and migrates a freshly connected server store.
pub(super) fn prepare(store: &Store, may_migrate: bool) -> StoreResult<()> {
    let url = store.location();
    let db = store.conn();
    let fail = |detail: String| StoreError::Server {
        url: url.clone(),
        detail,
    };
    let tables: Vec<String> = db.query_map(
        "SELECT table_name FROM information_schema.tables \
         WHERE table_schema = current_schema() ORDER BY table_name",
        params![],
        |r| r.get(0),
    )?;
    let version = migrations::version(db)?;
    if version == 0 && !tables.is_empty() {
        let sample: Vec<&str> = tables.iter().take(3).map(String::as_str).collect();
        return Err(fail(format!(
            "this database holds {} tables ({}{}) and none of EHR Sim's: give an empty database \
             or one EHR Sim created; nothing was written",
            tables.len(),
            sample.join(", "),
            if tables.len() > 3 { ", …" } else { "" }
        )));
    }
    if version > 0 {
        let application: Option<String> = db
            .query_map(
                "SELECT value FROM ehr_sim_meta WHERE key = 'application'",
                params![],
                |r| r.get(0),
            )?
            .into_iter()
            .next();
        if application.as_deref() != Some("EHRS") {
            return Err(fail(
                "this database's ehr_sim_meta table does not say it is EHR Sim's; give a \
                 database EHR Sim created"
                    .to_string(),
            ));
        }
    }
    if version > latest_version() {
        return Err(fail(format!(
            "the database is at schema version {version}, newer than this program supports \
             ({}); upgrade EHR Sim on this machine",
            latest_version()
        )));
    }
    if version < latest_version() && !may_migrate {
        return Err(fail(format!(
            "the database is at schema version {version}, not {}: connect once with this version \
             of EHR Sim (an administrator's login), then verify it",
            latest_version()
        )));
    }
    if version < latest_version() {
        migrations::migrate(db, latest_version()).map_err(|e| {
            let StoreError::Postgres(pg) = e else {
                return e;
            };
            fail(format!(
                "the database is at schema version {version} and this login may not bring it to \
                 {} ({}); ask the server's administrator to open it once with this version of \
                 EHR Sim",
                latest_version(),
                crate::store::error::describe_postgres(&pg)
            ))
        })?;
    }
    if !may_migrate {
        // Verifying reports a planted trigger (`schema_surprises`) instead of refusing.
        return Ok(());
    }
    let triggers = objects(db)?
        .into_iter()
        .filter(|(kind, _)| kind == "trigger" || kind == "rule")
        .map(|(_, name)| name)
        .next();
    if let Some(name) = triggers {
        return Err(super::planted_trigger(&url, &name));
    }
    Ok(())
}

/// The objects EHR Sim creates on a server: SQLite's tables and indexes (the same names on both
/// engines), the meta table, and the `julianday` function's absence of anything else.
pub(super) fn expected_objects() -> StoreResult<BTreeSet<(String, String)>> {
    let memory = Store::open_in_memory()?;
    let mut expected: BTreeSet<(String, String)> = memory
        .conn()
        .query_map(
            "SELECT type, name FROM sqlite_master \
             WHERE name NOT LIKE 'sqlite_%' AND type IN ('table', 'index', 'view', 'trigger')",
            params![],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?
        .into_iter()
        .collect();
    expected.insert(("table".to_string(), "ehr_sim_meta".to_string()));
    Ok(expected)
}

/// The server schema's tables, named indexes, views, triggers and rules, as `(kind, name)`.
/// Indexes PostgreSQL creates for keys and unique constraints (`*_pkey`, `*_key`) are left out,
/// as SQLite's automatic indexes are.
pub(super) fn objects(db: &Db) -> StoreResult<BTreeSet<(String, String)>> {
    let rows: Vec<(String, String)> = db.query_map(
        "SELECT 'table', c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
           WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') \
         UNION ALL SELECT 'index', c.relname FROM pg_class c \
           JOIN pg_namespace n ON n.oid = c.relnamespace \
           JOIN pg_index i ON i.indexrelid = c.oid \
           WHERE n.nspname = current_schema() AND c.relkind = 'i' \
             AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = c.oid) \
         UNION ALL SELECT 'view', c.relname FROM pg_class c \
           JOIN pg_namespace n ON n.oid = c.relnamespace \
           WHERE n.nspname = current_schema() AND c.relkind IN ('v', 'm') \
         UNION ALL SELECT 'trigger', t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid \
           JOIN pg_namespace n ON n.oid = c.relnamespace \
           WHERE n.nspname = current_schema() AND NOT t.tgisinternal \
         UNION ALL SELECT 'rule', r.rulename FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class \
           JOIN pg_namespace n ON n.oid = c.relnamespace \
           WHERE n.nspname = current_schema() AND r.rulename <> '_RETURN'",
        params![],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok(rows.into_iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_url_is_a_server_anything_else_a_file() {
        assert!(is_server_url("postgres://ehr@db.example:5432/program"));
        assert!(is_server_url("PostgreSQL://ehr@localhost/program"));
        assert!(!is_server_url("/home/ana/progress.sqlite3"));
        assert!(!is_server_url("postgres.sqlite3"));
    }

    #[test]
    fn the_password_never_reaches_a_message() {
        assert_eq!(
            redact("postgres://ehr:s3cret@db:5432/program?sslmode=prefer"),
            "postgres://ehr:***@db:5432/program?sslmode=prefer"
        );
        assert_eq!(
            redact("postgres://ehr@db/program"),
            "postgres://ehr@db/program"
        );
        let err = Store::connect("postgres://ehr:s3cret@[bad/x").unwrap_err();
        assert!(!err.to_string().contains("s3cret"), "{err}");
    }

    #[test]
    fn an_unanswered_write_fails_within_the_connect_timeout() {
        let set = config("postgres://ehr@db/program").unwrap();
        assert_eq!(set.get_tcp_user_timeout(), Some(&CONNECT_TIMEOUT));
        let given = config("postgres://ehr@db/program?tcp_user_timeout=3").unwrap();
        assert_eq!(given.get_tcp_user_timeout(), Some(&Duration::from_secs(3)));
    }

    #[test]
    fn sslrootcert_is_taken_out_of_the_url_the_client_reads() {
        assert_eq!(
            split_root_cert("postgres://u@h/db?sslmode=require&sslrootcert=/etc/ca.pem"),
            (
                "postgres://u@h/db?sslmode=require".to_string(),
                Some(PathBuf::from("/etc/ca.pem"))
            )
        );
        assert_eq!(
            split_root_cert("postgres://u@h/db?sslrootcert=%2Ftmp%2Fca.pem"),
            (
                "postgres://u@h/db".to_string(),
                Some(PathBuf::from("/tmp/ca.pem"))
            )
        );
        assert_eq!(
            split_root_cert("postgres://u@h/db"),
            ("postgres://u@h/db".to_string(), None)
        );
    }

    #[test]
    fn pgpass_lines_match_as_psql_matches_them() {
        let text = "# comment\nother:5432:*:ehr:nope\nlocalhost:*:program:ehr:pa\\:ss\n*:*:*:*:any";
        assert_eq!(
            pgpass_password(text, "localhost", 5433, "program", "ehr").as_deref(),
            Some("pa:ss")
        );
        assert_eq!(
            pgpass_password(text, "db", 5432, "x", "y").as_deref(),
            Some("any")
        );
        assert_eq!(pgpass_password("a:b:c", "a", 1, "c", "d"), None);
    }
}
