//! The store on a program's PostgreSQL server: bad servers are clear errors that write nothing,
//! the audit chain catches an edited, deleted or inserted record on the server as it does in a
//! file (library and `ehr-sim audit verify --db URL`), and many seats writing at once make one
//! chain. Skipped with a note where PostgreSQL cannot run (see `pg`).

use std::path::Path;

use ehr_sim::store::audit::LinkKind;
use ehr_sim::store::{AuditIssue, Engine, Store, StoreError};

use super::api::{attempt, finding};
use super::pg::{self, ADMIN_PASSWORD};
use super::{audit_verify as verify, now, populate};

fn server_message(result: Result<Store, StoreError>) -> String {
    match result {
        Err(e @ StoreError::Server { .. }) => e.to_string(),
        Err(other) => panic!("expected a server error, got {other:?}"),
        Ok(_) => panic!("expected a server error, the store opened"),
    }
}

fn table_count(server: &pg::PgServer, database: &str) -> i64 {
    server
        .admin(database)
        .query_one(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'",
            &[],
        )
        .unwrap()
        .get(0)
}

#[test]
fn an_unreachable_server_and_a_wrong_password_are_said_plainly() {
    let Some(server) = pg::server() else { return };
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let message = server_message(Store::connect(&format!(
        "postgres://ehr:pw@127.0.0.1:{closed}/program?connect_timeout=5"
    )));
    assert!(
        message.starts_with(&format!(
            "program server postgres://ehr:***@127.0.0.1:{closed}/program"
        )),
        "{message}"
    );
    assert!(message.contains("cannot reach the server"), "{message}");
    assert!(
        !message.contains(":pw@"),
        "the password never reaches a message: {message}"
    );

    let wrong = server.url(pg::ADMIN, "not-the-password", "postgres");
    let message = server_message(Store::connect(&wrong));
    assert!(message.contains("refused the password"), "{message}");
    assert!(!message.contains("not-the-password"), "{message}");

    let database = server.fresh_database("no_user");
    let message = server_message(Store::connect(&format!(
        "postgres://127.0.0.1:{}/{database}",
        server.port
    )));
    assert!(message.contains("the URL names no user"), "{message}");
    assert_eq!(table_count(server, &database), 0, "nothing was written");
    assert!(ADMIN_PASSWORD.len() > 3);
}

#[test]
fn someone_elses_database_and_a_newer_schema_are_refused_untouched() {
    let Some(server) = pg::server() else { return };
    let foreign = server.fresh_database("foreign");
    server
        .admin(&foreign)
        .batch_execute("CREATE TABLE patients (id BIGINT PRIMARY KEY, name TEXT)")
        .unwrap();
    let message = server_message(Store::connect(&server.admin_url(&foreign)));
    assert!(
        message.contains("holds 1 tables (patients) and none of EHR Sim's"),
        "{message}"
    );
    assert_eq!(table_count(server, &foreign), 1, "nothing was written");

    let newer = server.fresh_database("newer");
    drop(Store::connect(&server.admin_url(&newer)).unwrap());
    server
        .admin(&newer)
        .batch_execute("UPDATE ehr_sim_meta SET value = '99' WHERE key = 'schema_version'")
        .unwrap();
    let message = server_message(Store::connect(&server.admin_url(&newer)));
    assert!(
        message.contains("schema version 99, newer than this program supports"),
        "{message}"
    );
    let message = server_message(Store::connect_to_verify(
        &server.admin_url(&server.fresh_database("empty")),
    ));
    assert!(message.contains("schema version 0"), "{message}");
}

#[test]
fn a_planted_trigger_is_refused_and_reported_by_verify() {
    let Some(server) = pg::server() else { return };
    let database = server.fresh_database("trigger");
    let url = server.admin_url(&database);
    let store = Store::connect(&url).unwrap();
    assert_eq!(store.engine(), Engine::Postgres);
    assert!(store.schema_surprises().unwrap().is_empty());
    drop(store);
    server
        .admin(&database)
        .batch_execute(
            "CREATE FUNCTION full_marks() RETURNS trigger LANGUAGE plpgsql AS \
             $$ BEGIN NEW.score := NEW.max_score; RETURN NEW; END $$; \
             CREATE TRIGGER full_marks BEFORE INSERT ON attempts \
             FOR EACH ROW EXECUTE FUNCTION full_marks()",
        )
        .unwrap();
    match Store::connect(&url) {
        Err(StoreError::Invalid {
            field: "schema",
            message,
        }) => assert!(
            message.contains("has a trigger `full_marks` that EHR Sim did not create"),
            "{message}"
        ),
        other => panic!("a planted trigger was not refused: {other:?}"),
    }
    let (code, out) = verify(Path::new(&url), &[]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains(
            "altered: unexpected trigger `full_marks`: a trigger can change what is stored \
             after its audit link is computed\n"
        ),
        "{out}"
    );
}

/// Three attempts by Sam and an override, on a fresh server database; returns its URL.
fn chained_on_server(server: &pg::PgServer, label: &str) -> (Store, String) {
    let url = server.fresh_url(label);
    let mut store = Store::connect(&url).unwrap();
    let (ines, sam, _) = populate(&mut store);
    for (n, at) in [
        "2026-03-01T10:00:00Z",
        "2026-03-01T11:00:00Z",
        "2026-03-01T12:00:00Z",
    ]
    .iter()
    .enumerate()
    {
        store
            .record_attempt(&attempt(
                sam.person_id(),
                "chest_pain",
                at,
                vec![finding("esi", n as f64, 2.0), finding("vitals", 1.0, 2.0)],
            ))
            .unwrap();
    }
    store
        .override_score(&ines, 1, 3.0, "appeal upheld", &now())
        .unwrap();
    (store, url)
}

#[test]
fn the_server_chain_catches_edits_deletions_and_insertions_as_a_file_does() {
    let Some(server) = pg::server() else { return };
    let (store, url) = chained_on_server(server, "chain");
    let report = store.verify_audit().unwrap();
    assert!(report.is_clean());
    assert_eq!(report.links, 10);
    let (code, out) = verify(Path::new(&url), &[]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("links checked: 10\n") && out.ends_with("audit: OK\n"),
        "{out}"
    );
    assert!(!out.contains(ADMIN_PASSWORD), "{out}");

    store
        .raw_execute(
            "UPDATE attempts SET score = 4.0 WHERE id = 2; \
             DELETE FROM attempts WHERE id = 3; \
             INSERT INTO attempts (id, person_id, scenario_version_id, seed, mode, started_at, \
             submitted_at, duration_secs, score, max_score, passed) VALUES (9, 2, 1, 1, \
             'practice', '2026-03-01T13:00:00Z', '2026-03-01T13:10:00Z', 600, 4.0, 4.0, 1)",
        )
        .unwrap();
    assert_eq!(
        store.verify_audit().unwrap().issues,
        vec![
            AuditIssue::Edited {
                seq: 8,
                kind: LinkKind::Attempt,
                record_id: 2
            },
            AuditIssue::Deleted {
                seq: 9,
                kind: LinkKind::Attempt,
                record_id: 3
            },
            AuditIssue::Inserted {
                kind: LinkKind::Attempt,
                record_id: 9
            },
        ]
    );
    let (code, out) = verify(Path::new(&url), &[]);
    assert_eq!(code, 1);
    assert!(
        out.contains("edited: attempt #2 (link 8) no longer matches its recorded hash\n")
            && out.contains("deleted: attempt #3 (link 9) is missing from the database\n")
            && out.contains(
                "inserted: attempt #9 has no link in the audit chain (written outside EHR Sim)\n"
            )
            && out.ends_with("audit: FAILED (3 problem(s))\n"),
        "{out}"
    );
}

#[test]
fn many_seats_writing_at_once_make_one_chain() {
    let Some(server) = pg::server() else { return };
    const SEATS: usize = 8;
    const EACH: usize = 6;
    let url = server.fresh_url("seats");
    let mut store = Store::connect(&url).unwrap();
    let (_, sam, _) = populate(&mut store);
    let learner = sam.person_id();
    std::thread::scope(|scope| {
        for seat in 0..SEATS {
            let url = url.clone();
            scope.spawn(move || {
                let mut seat_store = Store::connect(&url).unwrap();
                for n in 0..EACH {
                    let mut a = attempt(
                        learner,
                        "chest_pain",
                        "2026-03-01T10:00:00Z",
                        vec![finding("esi", 1.0, 2.0)],
                    );
                    a.seed = (seat * 100 + n) as u64;
                    seat_store.record_attempt(&a).unwrap();
                }
            });
        }
    });
    assert_eq!(
        store.raw_i64("SELECT count(*) FROM attempts").unwrap(),
        (SEATS * EACH) as i64
    );
    assert_eq!(
        store
            .raw_i64("SELECT count(DISTINCT seed) FROM attempts")
            .unwrap(),
        (SEATS * EACH) as i64,
        "no attempt lost or duplicated"
    );
    let report = store.verify_audit().unwrap();
    assert!(report.is_clean(), "{:?}", report.issues);
    assert_eq!(report.links, 6 + (SEATS * EACH) as u64);
}

#[test]
fn a_laptop_pushed_twice_adds_nothing_and_both_chains_verify() {
    let Some(server) = pg::server() else { return };
    let dir = super::TempDir::new("push");
    let laptop = dir.file("laptop.sqlite3");
    let mut local = Store::open(&laptop).unwrap();
    let (ines, sam, _) = populate(&mut local);
    for at in [
        "2026-03-01T10:00:00Z",
        "2026-03-01T11:00:00Z",
        "2026-03-01T12:00:00Z",
    ] {
        local
            .record_attempt(&attempt(
                sam.person_id(),
                "chest_pain",
                at,
                vec![finding("esi", 1.0, 2.0)],
            ))
            .unwrap();
    }
    local
        .override_score(&ines, 2, 2.0, "appeal upheld", &now())
        .unwrap();
    drop(local);

    let url = server.fresh_url("push");
    let mut program = Store::connect(&url).unwrap();
    let erin = program
        .create_person(
            None,
            "Erin",
            ehr_sim::store::Role::EmployerAdmin,
            Some("erin password"),
            &now(),
        )
        .unwrap();
    // Ana is an instructor on the server: a conflict, reported, her records stay behind.
    program
        .create_person(
            Some(&erin),
            "Ana",
            ehr_sim::store::Role::Instructor,
            Some("ana password"),
            &now(),
        )
        .unwrap();
    let local = Store::open_to_verify(&laptop).unwrap();
    let first = program.push_from(&local, &erin, &now()).unwrap();
    assert_eq!(
        (
            first.people_added,
            first.people_matched,
            first.cohorts_added,
            first.memberships_added
        ),
        (2, 0, 1, 1)
    );
    assert_eq!((first.attempts_added, first.overrides_added), (3, 1));
    assert_eq!(
        first.conflicts,
        vec![
            "Ana: instructor in the database written to, student in the one read; their records \
             were not moved (rename one of them)"
        ]
    );
    let counts = |store: &Store| {
        [
            "people",
            "attempts",
            "findings",
            "overrides",
            "audit_chain",
            "pushed_records",
        ]
        .map(|t| store.raw_i64(&format!("SELECT count(*) FROM {t}")).unwrap())
    };
    let after_first = counts(&program);
    let second = program.push_from(&local, &erin, &now()).unwrap();
    assert_eq!((second.attempts_added, second.overrides_added), (0, 0));
    assert_eq!((second.attempts_already, second.overrides_already), (3, 1));
    assert_eq!(
        (
            second.people_added,
            second.people_matched,
            second.cohorts_added
        ),
        (0, 2, 0)
    );
    assert_eq!(counts(&program), after_first, "a second push adds nothing");
    assert_eq!(after_first, [4, 3, 3, 1, after_first[4], 4]);
    assert!(program.verify_audit().unwrap().is_clean());
    // The override points at the pushed copy of the laptop's attempt #2.
    assert_eq!(
        program
            .raw_i64("SELECT a.seed FROM overrides o JOIN attempts a ON a.id = o.attempt_id")
            .unwrap(),
        local
            .raw_i64("SELECT seed FROM attempts WHERE id = 2")
            .unwrap()
    );
    drop(local);

    // A laptop file edited behind EHR Sim's back pushes nothing.
    Store::open(&laptop)
        .unwrap()
        .raw_execute("UPDATE attempts SET score = 2.0 WHERE id = 1")
        .unwrap();
    let tampered = Store::open_to_verify(&laptop).unwrap();
    match program.push_from(&tampered, &erin, &now()) {
        Err(StoreError::Invalid { message, .. }) => assert!(
            message.contains(
                "its audit chain does not verify (1 problem(s), first: edited: attempt #1"
            ) && message.contains("nothing was pushed"),
            "{message}"
        ),
        other => panic!("a tampered laptop was pushed: {other:?}"),
    }
    assert_eq!(counts(&program), after_first);

    // Pull: a new laptop gets the cohort's roster and Sam signs in offline.
    let fresh = dir.file("fresh.sqlite3");
    let mut offline = Store::open(&fresh).unwrap();
    let pulled = offline
        .pull_cohort(&program, &erin, "Spring 2026", &now())
        .unwrap();
    assert_eq!((pulled.people_added, pulled.memberships_added), (1, 1));
    assert!(offline.sign_in("Sam", None).is_ok());
    assert!(offline.verify_audit().unwrap().is_clean());
}

#[test]
fn store_push_on_the_command_line_says_what_it_did_and_twice_adds_nothing() {
    let Some(server) = pg::server() else { return };
    let dir = super::TempDir::new("push-cli");
    let laptop = dir.file("laptop.sqlite3");
    let mut local = Store::open(&laptop).unwrap();
    let (_, sam, _) = populate(&mut local);
    local
        .record_attempt(&attempt(
            sam.person_id(),
            "chest_pain",
            "2026-03-01T10:00:00Z",
            vec![],
        ))
        .unwrap();
    drop(local);
    let url = server.fresh_url("push_cli");
    let mut program = Store::connect(&url).unwrap();
    program
        .create_person(
            None,
            "Erin",
            ehr_sim::store::Role::EmployerAdmin,
            Some("erin password"),
            &now(),
        )
        .unwrap();
    drop(program);
    let run = || {
        let out = super::bin()
            .args(["store", "push", "--to", &url, "--as", "Erin", "--from"])
            .arg(&laptop)
            .env("EHR_SIM_PASSWORD", "erin password")
            .output()
            .unwrap();
        (
            out.status.code().unwrap(),
            String::from_utf8(out.stdout).unwrap() + &String::from_utf8(out.stderr).unwrap(),
        )
    };
    let (code, out) = run();
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("people: 3 added, 0 already there\n"), "{out}");
    assert!(
        out.contains("attempts: 1 added, 0 pushed before\n"),
        "{out}"
    );
    assert!(out.contains("server chain: "), "{out}");
    assert!(out.contains(", verifies\n"), "{out}");
    assert!(!out.contains(ADMIN_PASSWORD), "{out}");
    let (code, out) = run();
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("attempts: 0 added, 1 pushed before\n"),
        "{out}"
    );
}

#[test]
fn a_seat_login_adds_work_but_cannot_alter_records_plant_code_or_read_sealed_seeds() {
    use ehr_sim::store::roles::LoginKind;
    let Some(server) = pg::server() else { return };
    let database = server.fresh_database("roles");
    let owner = Store::connect(&server.admin_url(&database)).unwrap();
    owner.set_up_roles().unwrap();
    owner.set_up_roles().unwrap();
    owner
        .create_server_login("lab_seat", "seat password 12", LoginKind::Learner)
        .unwrap();
    owner
        .create_server_login("office", "office password 1", LoginKind::Staff)
        .unwrap();
    match owner.create_server_login("short", "too short", LoginKind::Learner) {
        Err(StoreError::Invalid { message, .. }) => {
            assert_eq!(message, "use at least 12 characters for a server login");
        }
        other => panic!("{other:?}"),
    }
    drop(owner);

    // Staff work through the staff login.
    let mut office = Store::connect(&server.url("office", "office password 1", &database)).unwrap();
    let (ines, sam, _) = populate(&mut office);
    office
        .record_attempt(&attempt(
            sam.person_id(),
            "chest_pain",
            "2026-03-01T10:00:00Z",
            vec![finding("esi", 1.0, 2.0)],
        ))
        .unwrap();
    office
        .override_score(&ines, 1, 2.0, "appeal upheld", &now())
        .unwrap();

    // A lab seat records a learner's work...
    let mut seat = Store::connect(&server.url("lab_seat", "seat password 12", &database)).unwrap();
    let sam = seat.sign_in("Sam", None).unwrap();
    seat.record_attempt_as(
        &sam,
        &attempt(
            sam.person_id(),
            "chest_pain",
            "2026-03-02T10:00:00Z",
            vec![finding("esi", 2.0, 2.0)],
        ),
    )
    .unwrap();
    assert!(seat.verify_audit().unwrap().is_clean());
    assert_eq!(seat.raw_i64("SELECT count(*) FROM attempts").unwrap(), 2);

    // ...and, as an attacker with its login, can change nothing recorded, plant nothing and
    // read no sealed seed.
    for sql in [
        "UPDATE attempts SET score = 2.0 WHERE id = 1",
        "DELETE FROM attempts WHERE id = 1",
        "UPDATE findings SET points = 2.0",
        "DELETE FROM audit_chain",
        "UPDATE audit_chain SET content = NULL",
        "UPDATE overrides SET new_score = 0",
        "INSERT INTO overrides (attempt_id, author_id, new_score, comment, created_at) \
         VALUES (1, 1, 0, 'x', '2026-03-01T00:00:00Z')",
        "UPDATE people SET role = 'instructor' WHERE name = 'Sam'",
        "TRUNCATE drafts",
        "CREATE TABLE planted (x INT)",
        "CREATE FUNCTION planted() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$",
        "SELECT seed_sealed FROM assessments",
        "SELECT sealed FROM staff_grants",
        "SELECT master_seed FROM legacy_master_seeds",
    ] {
        match seat.raw_execute(sql) {
            Err(e) => assert!(e.to_string().contains("permission denied"), "{sql}: {e}"),
            Ok(()) => panic!("the seat login could run {sql}"),
        }
    }
    // An instructor's password typed at a seat gives no staff powers on the server.
    let at_seat = seat.sign_in("Ines", Some(super::INSTRUCTOR_PASSWORD));
    let denied = at_seat.and_then(|ines| {
        seat.create_person(
            Some(&ines),
            "Mallory",
            ehr_sim::store::Role::Instructor,
            Some("mallory password"),
            &now(),
        )
    });
    match denied {
        Err(e) => assert!(
            e.to_string().contains("this server role may not do that"),
            "{e}"
        ),
        Ok(_) => panic!("a seat login created an instructor"),
    }
    assert_eq!(
        seat.raw_i64("SELECT count(*) FROM people WHERE name = 'Mallory'")
            .unwrap(),
        0
    );
    // Staff cannot rewrite the graded record either.
    match office.raw_execute("UPDATE attempts SET score = 0") {
        Err(e) => assert!(e.to_string().contains("permission denied"), "{e}"),
        Ok(()) => panic!("the staff login rewrote an attempt"),
    }
    assert!(office.verify_audit().unwrap().is_clean());
}

#[test]
fn a_server_that_insists_on_tls_is_reached_with_its_authority_and_refused_without() {
    let Some(server) = pg::tls_server() else {
        return;
    };
    let authority = server.ca_file.as_ref().unwrap();
    let base = server.admin_url("postgres");
    let message = server_message(Store::connect(&format!("{base}?sslmode=require")));
    assert!(
        message.contains("the server's certificate is not trusted")
            && message.contains("sslrootcert=PATH"),
        "{message}"
    );
    // Plain text is refused by the server itself.
    server_message(Store::connect(&format!("{base}?sslmode=disable")));
    let store = Store::connect(&format!(
        "{base}?sslmode=require&sslrootcert={}",
        authority.display()
    ))
    .unwrap();
    assert_eq!(
        store
            .raw_i64("SELECT count(*) FROM pg_stat_ssl WHERE pid = pg_backend_pid() AND ssl")
            .unwrap(),
        1,
        "the connection is encrypted"
    );
    assert!(store.verify_audit().unwrap().is_clean());
}
