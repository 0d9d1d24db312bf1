//! The "Program server" section of the profile area, and work kept on this computer while the
//! program server is unreachable: kept, retried at most every 15 seconds, recorded once.

#![allow(
    clippy::wildcard_enum_match_arm,
    reason = "a test expects one screen; any other one, present or future, fails it"
)]

use std::io::{Read as _, Write as _};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use egui_kittest::kittest::{NodeT as _, Queryable};
use ehr_sim::library::ContentRoot;
use ehr_sim::store::{
    AttemptId, DraftKey, Mode, NewAttempt, Role, Session, Store, StoreError, StoreResult,
};
use ehr_sim::ui::app::{Command, EhrApp, Screen};
use ehr_sim::ui::offline::{KEPT_NOTE, Outbox, Outlet, PendingWork, Sent};

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).unwrap().to_utc()
}

/// A fresh folder under the system temp dir.
fn scratch(label: &str) -> PathBuf {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let dir = std::env::temp_dir().join(format!(
        "ehr-sim-ui-server-{label}-{}-{n}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Every label on the screen (not what is typed in the fields).
fn all_text(h: &egui_kittest::Harness<'_, EhrApp>) -> String {
    h.query_all_by_label_contains("")
        .map(|n| n.accesskit_node().label().unwrap_or_default())
        .collect::<Vec<_>>()
        .join("\n")
}

fn open_server_form(h: &mut egui_kittest::Harness<'_, EhrApp>) {
    h.get_by_label("Connect to a program server").click();
    h.run();
}

/// Steps frames until the connection made in the background has answered (at most 15 s: the
/// store's connect timeout is 10 s).
fn wait_connected(h: &mut egui_kittest::Harness<'_, EhrApp>) {
    for _ in 0..1500 {
        h.step();
        if !h.state().state.connecting() {
            h.run();
            return;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    panic!("the connection never answered");
}

/// Retries the kept work at `now` until the fresh connection made in the background has
/// answered; whether anything was sent.
fn retry_settled(state: &mut ehr_sim::ui::app::AppState, now: DateTime<Utc>) -> bool {
    for _ in 0..1500 {
        if state.retry_offline(now) {
            return true;
        }
        if !state.retrying() {
            return false;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    panic!("the retry never settled");
}

fn type_into(h: &mut egui_kittest::Harness<'_, EhrApp>, label: &str, text: &str) {
    h.get_by_label(label).focus();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.key_press(egui::Key::Backspace);
    h.run();
    h.get_by_label(label).type_text(text);
    h.run();
}

#[test]
fn the_section_says_progress_is_in_this_computers_file() {
    let dir = scratch("file");
    let path = dir.join("progress.sqlite3");
    let mut h = crate::ui::harness_at(
        ContentRoot::at(env!("CARGO_MANIFEST_DIR")),
        Store::open(&path).map_err(|e| e.to_string()),
    );
    h.run();
    h.get_by_label("Program server");
    h.get_by_label(&format!(
        "Progress is saved in this computer's file {}",
        path.display()
    ));
    // On the file there is no way "back to the file".
    assert!(h.query_by_label("Use this computer's file").is_none());
    open_server_form(&mut h);
    h.get_by_label("Server URL");
    h.get_by_label("Password (optional)");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_bad_url_gives_the_clear_error_and_never_shows_the_password() {
    let mut h = crate::ui::harness();
    h.run();
    open_server_form(&mut h);
    // Nothing listens on port 1 of this machine: the server cannot be reached.
    type_into(
        &mut h,
        "Server URL",
        "postgres://ehr:s3cret@127.0.0.1:1/program",
    );
    h.get_by_label("Test connection").click();
    h.run_steps(2);
    wait_connected(&mut h);
    let result = h.state().state.server_form.result.clone();
    let Some(Err(said)) = result else {
        panic!("{result:?}");
    };
    assert!(
        said.starts_with(
            "program server postgres://ehr:***@127.0.0.1:1/program: cannot reach the server ("
        ),
        "{said}"
    );
    assert!(said.ends_with("check the host and port, that the server is running, and the network"));
    h.get_by_label(&said);
    let shown = all_text(&h);
    assert!(!shown.contains("s3cret"), "{shown}");
    // The app stays on its store.
    assert_eq!(
        h.state().state.store.as_ref().unwrap().location(),
        ":memory:"
    );
    // Not a URL at all.
    type_into(&mut h, "Server URL", "db.example/program");
    h.get_by_label("Use this server").click();
    h.run_steps(2);
    wait_connected(&mut h);
    assert_eq!(
        h.state().state.server_form.result,
        Some(Err(
            "db.example/program: not a server URL; write it as postgres://USER@HOST:PORT/DATABASE"
                .to_string()
        ))
    );
}

#[test]
fn a_typed_password_goes_into_the_url_in_memory_encoded() {
    use ehr_sim::ui::server::with_password;
    assert_eq!(
        with_password("postgres://ehr@db:5432/program", "p@ss:w/rd"),
        "postgres://ehr:p%40ss%3Aw%2Frd@db:5432/program"
    );
    // A password typed replaces one in the URL; none typed leaves the URL as it is.
    assert_eq!(
        with_password(" postgres://ehr:old@db/p?sslmode=disable ", "new"),
        "postgres://ehr:new@db/p?sslmode=disable"
    );
    assert_eq!(
        with_password("postgres://ehr@db/p", ""),
        "postgres://ehr@db/p"
    );
    // No user: left for the store to refuse with its own words.
    assert_eq!(with_password("postgres://db/p", "x"), "postgres://db/p");
}

/// A stand-in for a server store: up or down, and optionally losing the connection right after
/// committing an attempt (the answer never arrives).
#[derive(Default)]
struct FakeServer {
    up: bool,
    drop_after_commit: bool,
    reconnects: usize,
    recorded: Vec<NewAttempt>,
    drafts: Vec<(DraftKey, String)>,
}

fn lost() -> StoreError {
    StoreError::Server {
        url: "postgres://ehr@127.0.0.1:1/program".into(),
        detail: "cannot reach the server (connection refused)".into(),
    }
}

impl Outlet for FakeServer {
    fn server(&self) -> Option<String> {
        Some("postgres://ehr@127.0.0.1:1/program".into())
    }
    fn reconnect(&mut self) -> StoreResult<()> {
        self.reconnects += 1;
        if self.up { Ok(()) } else { Err(lost()) }
    }
    fn save_draft(&mut self, _: &Session, work: &PendingWork) -> StoreResult<()> {
        let PendingWork::Draft { key, payload, .. } = work else {
            panic!("{work:?}");
        };
        if !self.up {
            return Err(lost());
        }
        self.drafts.push((key.clone(), payload.clone()));
        Ok(())
    }
    fn record(&mut self, _: &Session, attempt: &NewAttempt) -> StoreResult<AttemptId> {
        if !self.up {
            return Err(lost());
        }
        self.recorded.push(attempt.clone());
        if self.drop_after_commit {
            self.drop_after_commit = false;
            return Err(lost());
        }
        Ok(i64::try_from(self.recorded.len()).unwrap() + 40)
    }
    fn holds(&self, _: &Session, attempt: &NewAttempt) -> StoreResult<bool> {
        if !self.up {
            return Err(lost());
        }
        Ok(self.recorded.contains(attempt))
    }
    fn finish_sitting(&mut self, _: &Session, _: i64, _: &DateTime<Utc>) -> StoreResult<()> {
        if self.up { Ok(()) } else { Err(lost()) }
    }
}

const SERVER: &str = "postgres://ehr@127.0.0.1:1/program";

fn learner() -> Session {
    let mut store = Store::open_in_memory().unwrap();
    let now = at("2026-03-01T09:00:00Z");
    let ivy = store
        .create_person(None, "Ivy", Role::Instructor, Some("correct horse"), &now)
        .unwrap();
    store
        .create_person(Some(&ivy), "Pat", Role::Student, None, &now)
        .unwrap()
}

fn attempt(learner: &Session, seed: u64) -> NewAttempt {
    NewAttempt {
        learner_id: learner.person_id(),
        scenario_id: "office_visit".into(),
        scenario_version_hash: "hash-v1".into(),
        seed,
        mode: Mode::Practice,
        sitting_id: None,
        started_at: at("2026-03-01T09:00:00Z"),
        submitted_at: at("2026-03-01T09:20:00Z"),
        duration_secs: 1200,
        score: 3.5,
        max: 5.0,
        passed: true,
        competencies: vec!["documentation".into()],
        findings: Vec::new(),
        criticals: Vec::new(),
        rubric_hash: Some("rubric".into()),
    }
}

fn draft(learner: &Session, seed: u64, payload: &str) -> PendingWork {
    PendingWork::Draft {
        key: DraftKey {
            learner_id: learner.person_id(),
            scenario_id: "office_visit".into(),
            seed,
            mode: Mode::Practice,
        },
        scenario_version_hash: "hash-v1".into(),
        payload: payload.into(),
        saved_at: at("2026-03-01T09:10:00Z"),
    }
}

fn file_items(path: &Path) -> usize {
    let text = std::fs::read_to_string(path).unwrap();
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    value["kept"].as_array().unwrap().len()
}

#[test]
fn a_kept_submission_is_retried_every_15_seconds_and_recorded_once() {
    let dir = scratch("retry");
    let file = dir.join("offline-work.json");
    let pat = learner();
    let mut server = FakeServer::default();
    let mut outbox = Outbox::load(Some(file.clone()));
    let t0 = at("2026-03-01T09:20:00Z");
    outbox
        .keep(
            SERVER,
            PendingWork::Attempt {
                attempt: attempt(&pat, 7),
            },
            t0,
        )
        .unwrap();
    assert_eq!(outbox.message, KEPT_NOTE);
    assert_eq!(file_items(&file), 1);
    // Not before 15 seconds.
    let early = outbox.retry(&mut server, &pat, at("2026-03-01T09:20:14Z"));
    assert_eq!((early, server.reconnects), (Vec::new(), 0));
    // Still down at 15 s: kept, said, tried again 15 s later (not at 16 s).
    let down = outbox.retry(&mut server, &pat, at("2026-03-01T09:20:15Z"));
    assert_eq!((down, server.reconnects), (Vec::new(), 1));
    assert!(
        outbox.message.starts_with(&format!(
            "{KEPT_NOTE} (tried again at 09:20:15: program server postgres://ehr@127.0.0.1:1/program: cannot reach the server"
        )),
        "{}",
        outbox.message
    );
    assert_eq!(outbox.waiting(SERVER, pat.person_id()), 1);
    let _ = outbox.retry(&mut server, &pat, at("2026-03-01T09:20:16Z"));
    assert_eq!(server.reconnects, 1);
    // Back: recorded once, the file is gone.
    server.up = true;
    let sent = outbox.retry(&mut server, &pat, at("2026-03-01T09:20:30Z"));
    assert_eq!(
        sent,
        vec![Sent::Recorded {
            scenario_id: "office_visit".into(),
            seed: 7,
            mode: Mode::Practice,
            id: 41
        }]
    );
    assert_eq!(
        outbox.message,
        "The program server is back (09:20:30): attempt #41 recorded"
    );
    assert_eq!(server.recorded, vec![attempt(&pat, 7)]);
    assert!(!file.exists());
    assert_eq!(outbox.waiting(SERVER, pat.person_id()), 0);
    let again = outbox.retry(&mut server, &pat, at("2026-03-01T09:21:00Z"));
    assert_eq!(
        (again, server.recorded.len(), server.reconnects),
        (Vec::new(), 1, 2)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_submission_committed_before_the_connection_dropped_is_not_recorded_twice() {
    let pat = learner();
    let mut server = FakeServer {
        up: true,
        drop_after_commit: true,
        ..FakeServer::default()
    };
    let mut outbox = Outbox::load(None);
    let t0 = at("2026-03-01T09:20:00Z");
    outbox
        .keep(
            SERVER,
            PendingWork::Attempt {
                attempt: attempt(&pat, 7),
            },
            t0,
        )
        .unwrap();
    // The server commits, then the connection drops before it answers: still kept.
    let first = outbox.retry(&mut server, &pat, at("2026-03-01T09:20:15Z"));
    assert_eq!(first, Vec::new());
    assert_eq!(server.recorded.len(), 1);
    assert_eq!(outbox.waiting(SERVER, pat.person_id()), 1);
    // Next try: the server already holds it, so it is not recorded again.
    let second = outbox.retry(&mut server, &pat, at("2026-03-01T09:20:30Z"));
    assert_eq!(
        second,
        vec![Sent::AlreadyRecorded {
            scenario_id: "office_visit".into(),
            seed: 7
        }]
    );
    assert_eq!(server.recorded.len(), 1);
    assert_eq!(outbox.waiting(SERVER, pat.person_id()), 0);
}

#[test]
fn kept_work_survives_a_restart_newest_draft_first_and_in_order() {
    let dir = scratch("restart");
    let file = dir.join("offline-work.json");
    let pat = learner();
    let t0 = at("2026-03-01T09:20:00Z");
    {
        let mut outbox = Outbox::load(Some(file.clone()));
        outbox.keep(SERVER, draft(&pat, 3, "\"old\""), t0).unwrap();
        outbox
            .keep(SERVER, draft(&pat, 4, "\"other\""), t0)
            .unwrap();
        // A newer draft of the same case replaces the older one.
        outbox.keep(SERVER, draft(&pat, 3, "\"new\""), t0).unwrap();
        // A submission of case 4 drops its draft (recording deletes it).
        outbox
            .keep(
                SERVER,
                PendingWork::Attempt {
                    attempt: attempt(&pat, 4),
                },
                t0,
            )
            .unwrap();
        assert_eq!(file_items(&file), 2);
    }
    // The app closed; the next start reads the file.
    let mut outbox = Outbox::load(Some(file.clone()));
    assert_eq!(outbox.kept().len(), 2);
    let key3 = DraftKey {
        learner_id: pat.person_id(),
        scenario_id: "office_visit".into(),
        seed: 3,
        mode: Mode::Practice,
    };
    assert_eq!(outbox.draft(SERVER, &key3), Some(("hash-v1", "\"new\"")));
    // Another learner's or server's work is not sent for Pat.
    assert_eq!(outbox.waiting("postgres://other@db/x", pat.person_id()), 0);
    let mut server = FakeServer {
        up: true,
        ..FakeServer::default()
    };
    let sent = outbox.retry(&mut server, &pat, at("2026-03-01T09:30:00Z"));
    assert_eq!(sent.len(), 2);
    assert_eq!(server.drafts, vec![(key3, "\"new\"".to_string())]);
    assert_eq!(server.recorded, vec![attempt(&pat, 4)]);
    assert_eq!(
        outbox.message,
        "The program server is back (09:30:00): attempt #41 recorded, 1 draft saved"
    );
    assert!(!file.exists());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_unreadable_kept_work_file_is_never_overwritten() {
    let dir = scratch("unreadable");
    let file = dir.join("offline-work.json");
    std::fs::write(&file, "{ not json").unwrap();
    let pat = learner();
    let mut outbox = Outbox::load(Some(file.clone()));
    assert!(
        outbox.message.starts_with(&format!(
            "{}: work kept on this computer could not be read (",
            file.display()
        )),
        "{}",
        outbox.message
    );
    assert_eq!(outbox.file(), None);
    outbox
        .keep(SERVER, draft(&pat, 3, "\"x\""), at("2026-03-01T09:20:00Z"))
        .unwrap();
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "{ not json");
    let _ = std::fs::remove_dir_all(&dir);
}

/// A TCP relay to the test server on a port of its own: `down` closes every connection through
/// it and refuses new ones (they are closed at once), as a server that went away would.
struct Relay {
    port: u16,
    down: Arc<AtomicBool>,
    stop: Arc<AtomicBool>,
    streams: Arc<Mutex<Vec<TcpStream>>>,
}

impl Relay {
    fn to(target: u16) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let port = listener.local_addr().unwrap().port();
        let relay = Self {
            port,
            down: Arc::default(),
            stop: Arc::default(),
            streams: Arc::default(),
        };
        let (down, stop, streams) = (
            relay.down.clone(),
            relay.stop.clone(),
            relay.streams.clone(),
        );
        std::thread::spawn(move || {
            // Bounded: it ends when the relay is dropped.
            while !stop.load(Ordering::SeqCst) {
                let Ok((client, _)) = listener.accept() else {
                    std::thread::sleep(Duration::from_millis(5));
                    continue;
                };
                if down.load(Ordering::SeqCst) {
                    drop(client);
                    continue;
                }
                client.set_nonblocking(false).unwrap();
                let server = TcpStream::connect(("127.0.0.1", target)).unwrap();
                let mut list = streams.lock().unwrap();
                list.push(client.try_clone().unwrap());
                list.push(server.try_clone().unwrap());
                for (mut from, mut to) in [
                    (client.try_clone().unwrap(), server.try_clone().unwrap()),
                    (server, client),
                ] {
                    std::thread::spawn(move || {
                        let mut buf = [0u8; 8192];
                        while let Ok(n) = from.read(&mut buf) {
                            if n == 0 || to.write_all(&buf[..n]).is_err() {
                                break;
                            }
                        }
                        let _ = to.shutdown(Shutdown::Both);
                    });
                }
            }
        });
        relay
    }

    fn set_down(&self, down: bool) {
        self.down.store(down, Ordering::SeqCst);
        if down {
            for s in self.streams.lock().unwrap().drain(..) {
                let _ = s.shutdown(Shutdown::Both);
            }
        }
    }
}

impl Drop for Relay {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        self.set_down(true);
    }
}

#[test]
fn a_submission_made_while_the_server_is_away_is_recorded_once_when_it_is_back() {
    let Some(pg) = crate::store::pg::server() else {
        return;
    };
    let database = pg.fresh_database("ui_offline");
    let relay = Relay::to(pg.port);
    let url = format!(
        "postgres://{}:{}@127.0.0.1:{}/{database}",
        crate::store::pg::ADMIN,
        crate::store::pg::ADMIN_PASSWORD,
        relay.port
    );
    let root = ContentRoot::at(env!("CARGO_MANIFEST_DIR"));
    let mut app = EhrApp::with_store(root, Store::connect(&url).map_err(|e| e.to_string()));
    let dir = scratch("pg");
    let file = dir.join("offline-work.json");
    let state = &mut app.state;
    state.offline = Outbox::load(Some(file.clone()));
    // As when the app opened the server itself: retries connect afresh in the background.
    state.set_server_url(url.clone());
    let t0 = at("2026-03-01T09:00:00Z");
    state.apply(Command::SetNewProfileName("Pat".into()), None, t0);
    state.apply(Command::CreateProfile, None, t0);
    assert_eq!(state.status, "Working as Pat");
    state.apply(
        Command::OpenScenario {
            id: "office_htn_diabetes_followup".into(),
            seed: 3,
        },
        None,
        t0,
    );
    assert!(matches!(state.screen, Screen::Chart(_)));
    // The server goes away: the draft is kept on this computer, and offered back.
    relay.set_down(true);
    let Screen::Chart(w) = &mut state.screen else {
        panic!("no chart");
    };
    w.dirty = true;
    state.apply(Command::SaveDraft, None, at("2026-03-01T09:10:00Z"));
    let Screen::Chart(w) = &state.screen else {
        panic!("no chart");
    };
    assert_eq!((w.note.as_str(), w.dirty), (KEPT_NOTE, false));
    assert_eq!(file_items(&file), 1);
    state.apply(Command::RetrySame, None, at("2026-03-01T09:11:00Z"));
    let Screen::Chart(w) = &state.screen else {
        panic!("no chart");
    };
    assert_eq!(
        w.note,
        "Draft kept on this computer restored (not yet on the program server)"
    );
    // The learner submits: the submission replaces the kept draft.
    let t1 = at("2026-03-01T09:20:00Z");
    state.apply(Command::Submit, None, t1);
    let Screen::Feedback(f) = &state.screen else {
        panic!("no feedback");
    };
    assert_eq!(f.stored, KEPT_NOTE);
    assert_eq!(file_items(&file), 1);
    assert_eq!(state.offline_waiting(), 1);
    // Nothing is read from the absent server after the submission is kept.
    assert!(
        !state.status.starts_with("Could not read"),
        "{}",
        state.status
    );
    // Not before 15 s; retried 15 s later while still away: kept.
    assert!(!state.retry_offline(at("2026-03-01T09:20:14Z")));
    assert!(!state.retrying());
    assert!(!retry_settled(state, at("2026-03-01T09:20:15Z")));
    assert_eq!(state.offline_waiting(), 1);
    assert!(
        state.offline.message.starts_with(&format!(
            "{KEPT_NOTE} (tried again at 09:20:15: program server postgres://"
        )),
        "{}",
        state.offline.message
    );
    // Back: recorded once, and the report says so.
    relay.set_down(false);
    assert!(retry_settled(state, at("2026-03-01T09:20:30Z")));
    let Screen::Feedback(f) = &state.screen else {
        panic!("no feedback");
    };
    assert!(
        f.stored.starts_with("Saved as attempt #")
            && f.stored
                .ends_with(" for Pat (sent when the program server was back)"),
        "{}",
        f.stored
    );
    assert!(
        state
            .status
            .starts_with("The program server is back (09:20:30): attempt #"),
        "{}",
        state.status
    );
    assert!(!retry_settled(state, at("2026-03-01T09:21:00Z")));
    let mut admin = pg.admin(&database);
    let count: i64 = admin
        .query_one("SELECT count(*) FROM attempts", &[])
        .unwrap()
        .get(0);
    assert_eq!(count, 1);
    assert!(!file.exists());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_sitting_finished_while_the_server_is_away_is_recorded_and_closed_when_it_is_back() {
    use ehr_sim::store::NewAssessment;
    let Some(pg) = crate::store::pg::server() else {
        return;
    };
    let database = pg.fresh_database("ui_offline_sitting");
    let now = DateTime::<Utc>::from(std::time::SystemTime::now());
    let mut admin_store = Store::connect(&pg.admin_url(&database)).unwrap();
    let admin = admin_store
        .create_person(
            None,
            "Erin Employer",
            Role::EmployerAdmin,
            Some("correct horse battery"),
            &now,
        )
        .unwrap();
    ehr_sim::service::assessments::create(
        &mut admin_store,
        &admin,
        &NewAssessment {
            name: "Night check".into(),
            scenario_ids: vec!["office_htn_diabetes_followup".into()],
            time_limit_secs: 3600,
            pass_mark_fraction: 0.7,
            master_seed: 42,
            show_drg: false,
        },
        &now,
    )
    .unwrap();
    ehr_sim::service::assessments::register_candidate(
        &mut admin_store,
        &admin,
        "Night check",
        "Casey Candidate",
        &now,
    )
    .unwrap();
    admin_store
        .set_access_code(&admin, "Casey Candidate", crate::ui::CASEY_CODE)
        .unwrap();
    let relay = Relay::to(pg.port);
    let url = format!(
        "postgres://{}:{}@127.0.0.1:{}/{database}",
        crate::store::pg::ADMIN,
        crate::store::pg::ADMIN_PASSWORD,
        relay.port
    );
    let root = ContentRoot::at(env!("CARGO_MANIFEST_DIR"));
    let mut app = EhrApp::with_store(root, Store::connect(&url).map_err(|e| e.to_string()));
    let dir = scratch("pg-sitting");
    let state = &mut app.state;
    state.offline = Outbox::load(Some(dir.join("offline-work.json")));
    let store = state.store.as_mut().unwrap();
    state.profile = Some(
        store
            .sign_in("Casey Candidate", Some(crate::ui::CASEY_CODE))
            .unwrap(),
    );
    state.apply(Command::StartExam("Night check".into()), None, now);
    assert!(matches!(&state.screen, Screen::Exam(e) if e.workspace.is_some()));
    relay.set_down(true);
    // The only item is submitted, so the sitting finishes: both wait on this computer.
    state.apply(Command::Submit, None, now);
    let Screen::Exam(e) = &state.screen else {
        panic!("no sitting");
    };
    assert!(e.finished);
    assert!(e.items[0].submitted);
    assert_eq!(e.message, KEPT_NOTE);
    let kinds: Vec<&str> = state
        .offline
        .kept()
        .iter()
        .map(|k| match &k.work {
            PendingWork::Draft { .. } => "draft",
            PendingWork::Attempt { .. } => "attempt",
            PendingWork::FinishSitting { .. } => "finish",
        })
        .collect();
    assert_eq!(kinds, ["attempt", "finish"]);
    relay.set_down(false);
    assert!(state.retry_offline(now + chrono::Duration::seconds(15)));
    assert!(
        state.status.starts_with("The program server is back (")
            && state.status.contains("): attempt #")
            && state.status.ends_with(" recorded, sitting #1 closed"),
        "{}",
        state.status
    );
    let mut admin_db = pg.admin(&database);
    let attempts: i64 = admin_db
        .query_one("SELECT count(*) FROM attempts WHERE sitting_id = 1", &[])
        .unwrap()
        .get(0);
    let open: i64 = admin_db
        .query_one(
            "SELECT count(*) FROM sittings WHERE finished_at IS NULL",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!((attempts, open), (1, 0));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_app_moves_to_a_tested_server_and_back_to_its_file() {
    let Some(pg) = crate::store::pg::server() else {
        return;
    };
    let database = pg.fresh_database("ui_switch");
    let dir = scratch("switch");
    let path = dir.join("progress.sqlite3");
    let mut h = crate::ui::harness_at(
        ContentRoot::at(env!("CARGO_MANIFEST_DIR")),
        Store::open(&path).map_err(|e| e.to_string()),
    );
    h.run();
    open_server_form(&mut h);
    // The password is typed apart from the URL: used for the session, never shown.
    let url = format!(
        "postgres://{}@127.0.0.1:{}/{database}",
        crate::store::pg::ADMIN,
        pg.port
    );
    type_into(&mut h, "Server URL", &url);
    type_into(
        &mut h,
        "Password (optional)",
        crate::store::pg::ADMIN_PASSWORD,
    );
    h.get_by_label("Test connection").click();
    h.run_steps(2);
    wait_connected(&mut h);
    let version = ehr_sim::store::migrations::latest_version();
    h.get_by_label(&format!("Connected: EHR Sim schema version {version}"));
    // Testing does not switch.
    h.get_by_label(&format!(
        "Progress is saved in this computer's file {}",
        path.display()
    ));
    h.get_by_label("Use this server").click();
    h.run_steps(2);
    wait_connected(&mut h);
    // The typed password is in the URL the store holds, shown as ***.
    let shown = format!(
        "postgres://{}:***@127.0.0.1:{}/{database}",
        crate::store::pg::ADMIN,
        pg.port
    );
    h.get_by_label(&format!("Progress is saved on the program server {shown}"));
    h.get_by_label(&format!(
        "Now saving progress on the program server {shown}"
    ));
    assert_eq!(h.state().state.server_form.password, "");
    assert!(!all_text(&h).contains(crate::store::pg::ADMIN_PASSWORD));
    // Work goes to the server now.
    let state = &mut h.state_mut().state;
    state.apply(
        Command::SetNewProfileName("Sam".into()),
        None,
        at("2026-03-01T09:00:00Z"),
    );
    state.apply(Command::CreateProfile, None, at("2026-03-01T09:00:00Z"));
    assert_eq!(state.status, "Working as Sam");
    h.run();
    h.get_by_label("Use this computer's file").click();
    h.run();
    h.get_by_label(&format!(
        "Progress is saved in this computer's file {}",
        path.display()
    ));
    // Whoever worked on the server signs in again; the file has no Sam.
    assert!(h.state().state.profile.is_none());
    assert!(h.state().state.profiles.is_empty());
    let mut admin = pg.admin(&database);
    let people: i64 = admin
        .query_one("SELECT count(*) FROM people WHERE name = 'Sam'", &[])
        .unwrap()
        .get(0);
    assert_eq!(people, 1);
    drop(h);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn connecting_runs_in_the_background_and_says_so() {
    // A server that takes the connection and has not answered yet.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let mut h = crate::ui::harness();
    h.run();
    open_server_form(&mut h);
    let url = format!("postgres://ehr@127.0.0.1:{port}/program");
    type_into(&mut h, "Server URL", &url);
    h.get_by_label("Test connection").click();
    h.run_steps(2);
    let (socket, _) = listener.accept().unwrap();
    // The window keeps drawing, says what it waits for, and offers no second attempt.
    h.run_steps(2);
    h.get_by_label(&format!("Connecting to {url} (at most 12 seconds)…"));
    assert!(
        h.get_by_label("Test connection")
            .accesskit_node()
            .is_disabled()
    );
    assert!(
        h.get_by_label("Use this server")
            .accesskit_node()
            .is_disabled()
    );
    // The server hangs up: the attempt ends with the store's words.
    drop(socket);
    wait_connected(&mut h);
    let result = h.state().state.server_form.result.clone();
    let Some(Err(said)) = result else {
        panic!("{result:?}");
    };
    assert!(
        said.starts_with(&format!("program server {url}: cannot reach the server (")),
        "{said}"
    );
    assert!(h.query_by_label_contains("Connecting to").is_none());
    assert!(
        !h.get_by_label("Test connection")
            .accesskit_node()
            .is_disabled()
    );
}

#[test]
fn a_server_that_never_answers_is_given_up_after_12_seconds() {
    // Something takes the connection and never answers.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let mut h = crate::ui::harness();
    h.run();
    open_server_form(&mut h);
    let url = format!("postgres://ehr@127.0.0.1:{port}/program");
    type_into(&mut h, "Server URL", &url);
    h.get_by_label("Use this server").click();
    h.run_steps(2);
    let (socket, _) = listener.accept().unwrap();
    let now = DateTime::<Utc>::from(std::time::SystemTime::now());
    let state = &mut h.state_mut().state;
    assert!(!state.poll_server(now + chrono::Duration::seconds(11)));
    assert!(state.connecting());
    assert!(state.poll_server(now + chrono::Duration::seconds(13)));
    assert!(!state.connecting());
    assert_eq!(
        state.server_form.result,
        Some(Err(format!(
            "program server {url}: no answer after 12 seconds: something took the connection \
             but did not answer as a PostgreSQL server does; check the host and port, and that \
             the server is not stuck"
        )))
    );
    // The app stays on its store, and a new attempt may start.
    assert_eq!(state.store.as_ref().unwrap().location(), ":memory:");
    h.run();
    assert!(
        !h.get_by_label("Use this server")
            .accesskit_node()
            .is_disabled()
    );
    drop(socket);
}
