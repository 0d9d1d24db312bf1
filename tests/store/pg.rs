//! A throw-away PostgreSQL server for the store tests: `initdb` and `pg_ctl` in a temporary
//! folder, on a free loopback port, started once per test process and stopped (its folder
//! removed) by a watchdog when the process ends. Each test gets a database of its own.
//!
//! The server binaries are found on `PATH` or under `/usr/lib/postgresql/*/bin`. Without them
//! the server tests are skipped with a note, unless `EHR_SIM_REQUIRE_PG=1` (set by `.ci/run`),
//! which makes their absence a failure. As root, the server runs as the `postgres` user (or
//! `nobody`), since PostgreSQL refuses to run as root.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

/// The superuser the tests create databases and roles with.
pub(crate) const ADMIN: &str = "ehr_sim_admin";
/// Its password (the server asks for passwords on loopback: scram-sha-256).
pub(crate) const ADMIN_PASSWORD: &str = "throwaway-admin";

pub(crate) struct PgServer {
    pub(crate) port: u16,
    /// For the TLS server: the authority that signed its certificate (PEM).
    pub(crate) ca_file: Option<PathBuf>,
}

impl PgServer {
    /// The URL of `database` as the administrator.
    pub(crate) fn admin_url(&self, database: &str) -> String {
        format!(
            "postgres://{ADMIN}:{ADMIN_PASSWORD}@127.0.0.1:{}/{database}",
            self.port
        )
    }

    /// The URL of `database` as `user` with `password`.
    pub(crate) fn url(&self, user: &str, password: &str, database: &str) -> String {
        format!(
            "postgres://{user}:{password}@127.0.0.1:{}/{database}",
            self.port
        )
    }

    /// A client connected as the administrator to `database`.
    pub(crate) fn admin(&self, database: &str) -> postgres::Client {
        postgres::Client::connect(&self.admin_url(database), postgres::NoTls).unwrap()
    }

    /// A new, empty database; returns its name.
    pub(crate) fn fresh_database(&self, label: &str) -> String {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let name = format!(
            "t_{}_{n}",
            label.replace(|c: char| !c.is_ascii_alphanumeric(), "_")
        );
        self.admin("postgres")
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .unwrap();
        name
    }

    /// The administrator's URL of a new, empty database.
    pub(crate) fn fresh_url(&self, label: &str) -> String {
        let name = self.fresh_database(label);
        self.admin_url(&name)
    }
}

/// The shared server, started on first use; `None` (with a note) when PostgreSQL is not
/// installed and not required.
pub(crate) fn server() -> Option<&'static PgServer> {
    static SERVER: OnceLock<Option<PgServer>> = OnceLock::new();
    SERVER.get_or_init(|| start(false)).as_ref()
}

/// A second throw-away server that speaks TLS only on TCP (`hostssl`), with a certificate for
/// `localhost` and `127.0.0.1` signed by a test authority (`ca_file`).
pub(crate) fn tls_server() -> Option<&'static PgServer> {
    static SERVER: OnceLock<Option<PgServer>> = OnceLock::new();
    SERVER.get_or_init(|| start(true)).as_ref()
}

/// Writes a test authority and a server certificate it signed into `root`: `ca.pem`,
/// `server.pem`, `server.key`.
fn write_certificates(root: &Path) {
    use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair};
    let ca_key = KeyPair::generate().unwrap();
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "EHR Sim test authority");
    let ca = ca_params.self_signed(&ca_key).unwrap();
    let key = KeyPair::generate().unwrap();
    let params =
        CertificateParams::new(vec!["localhost".to_string(), "127.0.0.1".to_string()]).unwrap();
    let cert = params.signed_by(&key, &ca, &ca_key).unwrap();
    std::fs::write(root.join("ca.pem"), ca.pem()).unwrap();
    std::fs::write(root.join("server.pem"), cert.pem()).unwrap();
    std::fs::write(root.join("server.key"), key.serialize_pem()).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(
        root.join("server.key"),
        std::fs::Permissions::from_mode(0o600),
    )
    .unwrap();
}

fn bin_dir() -> Option<PathBuf> {
    let on_path = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .find(|dir| dir.join("initdb").is_file() && dir.join("pg_ctl").is_file())
    });
    if on_path.is_some() {
        return on_path;
    }
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(Result::ok)
        .map(|entry| entry.path().join("bin"))
        .filter(|bin| bin.join("initdb").is_file())
        .collect();
    versions.sort();
    versions.pop()
}

/// Runs a server binary, as an unprivileged user when the tests run as root.
fn run_as(owner: Option<&str>, bin: &Path, args: &[&str]) -> std::process::Output {
    let mut command = match owner {
        Some(user) => {
            let mut c = Command::new("runuser");
            c.args(["-u", user, "--"]).arg(bin);
            c
        }
        None => Command::new(bin),
    };
    command.args(args).output().unwrap()
}

fn start(tls: bool) -> Option<PgServer> {
    let required = std::env::var("EHR_SIM_REQUIRE_PG").is_ok_and(|v| v == "1");
    let Some(bin) = bin_dir() else {
        assert!(
            !required,
            "EHR_SIM_REQUIRE_PG=1 but no PostgreSQL server binaries (initdb, pg_ctl) were found"
        );
        eprintln!("note: PostgreSQL is not installed; the program-server tests are skipped");
        return None;
    };
    let root = std::env::temp_dir().join(format!(
        "ehr-sim-pg{}-{}",
        if tls { "-tls" } else { "" },
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(&root).unwrap();
    let data = root.join("data");
    let password_file = root.join("pw");
    std::fs::write(&password_file, ADMIN_PASSWORD).unwrap();
    if tls {
        write_certificates(&root);
    }
    // SAFETY-free check of the effective user: root cannot run PostgreSQL.
    let is_root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
    let owner = is_root.then(|| {
        let user = if Command::new("id")
            .arg("postgres")
            .output()
            .is_ok_and(|o| o.status.success())
        {
            "postgres"
        } else {
            "nobody"
        };
        let status = Command::new("chown")
            .args(["-R", user])
            .arg(&root)
            .status()
            .unwrap();
        assert!(status.success(), "chown of the server folder failed");
        user
    });
    let text = |p: &Path| p.to_string_lossy().into_owned();
    let init = run_as(
        owner,
        &bin.join("initdb"),
        &[
            "-D",
            &text(&data),
            "-U",
            ADMIN,
            "--pwfile",
            &text(&password_file),
            "--auth=scram-sha-256",
            "-E",
            "UTF8",
            "--no-locale",
            "--no-sync",
        ],
    );
    assert!(
        init.status.success(),
        "initdb failed: {}",
        String::from_utf8_lossy(&init.stderr)
    );
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut options = format!(
        "-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off \
         -c full_page_writes=off -c max_connections=200",
        text(&root)
    );
    if tls {
        // TCP connections must use TLS; the socket in the folder stays for pg_ctl.
        std::fs::write(
            data.join("pg_hba.conf"),
            "local all all scram-sha-256\nhostssl all all 127.0.0.1/32 scram-sha-256\n",
        )
        .unwrap();
        options.push_str(&format!(
            " -c ssl=on -c ssl_cert_file={} -c ssl_key_file={}",
            text(&root.join("server.pem")),
            text(&root.join("server.key"))
        ));
    }
    let started = run_as(
        owner,
        &bin.join("pg_ctl"),
        &[
            "-D",
            &text(&data),
            "-l",
            &text(&root.join("log")),
            "-w",
            "-o",
            &options,
            "start",
        ],
    );
    assert!(
        started.status.success(),
        "pg_ctl start failed: {}{}",
        String::from_utf8_lossy(&started.stderr),
        std::fs::read_to_string(root.join("log")).unwrap_or_default()
    );
    // The watchdog stops the server and removes its folder once this process has ended.
    let stop = match owner {
        Some(user) => format!("runuser -u {user} -- {}", text(&bin.join("pg_ctl"))),
        None => text(&bin.join("pg_ctl")),
    };
    let script = format!(
        "while kill -0 {pid} 2>/dev/null; do sleep 1; done; {stop} -D '{data}' stop -m immediate \
         >/dev/null 2>&1; rm -rf '{root}'",
        pid = std::process::id(),
        data = text(&data),
        root = text(&root),
    );
    let detached = Command::new("sh")
        .args([
            "-c",
            "setsid sh -c \"$WATCHDOG\" </dev/null >/dev/null 2>&1 &",
        ])
        .env("WATCHDOG", &script)
        .status()
        .unwrap();
    assert!(detached.success(), "the server's watchdog did not start");
    Some(PgServer {
        port,
        ca_file: tls.then(|| root.join("ca.pem")),
    })
}
