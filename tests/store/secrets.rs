//! Sealed seeds: reading the progress database does not reveal an assessment's master seed or a
//! candidate's seeds. Staff read the master seed with their own password (through the staff
//! key); a candidate opens their own seeds with their access code, nobody else's.

use ehr_sim::service::assessments::{issue_access_code, register_candidate};
use ehr_sim::store::{
    Engine, NewAssessment, Role, Session, Store, StoreError, derive_candidate_seed,
};

use super::{ERIN_PASSWORD, INSTRUCTOR_PASSWORD, TempDir, engines, now, populate_with_employer};

const EXAM: &str = "Sealed exam";
/// Below 2^53, with digits unlikely to occur by chance in the file.
const MASTER: u64 = 7_318_905_264_417_093;
const SCENARIOS: [&str; 2] = ["triage_chest_pain", "triage_sprain"];

/// Ines (instructor), Erin (employer admin, created by Ines), the assessment, and candidates
/// Casey and Robin registered by Erin; returns the store, Erin and the two access codes.
fn sealed_exam(store: &mut Store) -> (Session, String, String) {
    let (_, erin) = populate_with_employer(store);
    assert!(
        erin.holds_staff_key(),
        "staff created by a holder get the staff key"
    );
    ehr_sim::service::assessments::create(
        store,
        &erin,
        &NewAssessment {
            name: EXAM.to_string(),
            scenario_ids: SCENARIOS.iter().map(ToString::to_string).collect(),
            time_limit_secs: 3600,
            pass_mark_fraction: 0.7,
            master_seed: MASTER,
            show_drg: false,
        },
        &now(),
    )
    .unwrap();
    let code = |store: &mut Store, name: &str| {
        register_candidate(store, &erin, EXAM, name, &now())
            .unwrap()
            .access_code
            .unwrap()
    };
    let casey = code(store, "Casey");
    let robin = code(store, "Robin");
    (erin, casey, robin)
}

fn expected(candidate: &str) -> Vec<(String, u64)> {
    SCENARIOS
        .iter()
        .map(|s| (s.to_string(), derive_candidate_seed(MASTER, s, candidate)))
        .collect()
}

/// Every way a 64-bit number could be written in the file: decimal text, big- and
/// little-endian bytes.
fn spellings(n: u64) -> Vec<Vec<u8>> {
    vec![
        n.to_string().into_bytes(),
        n.to_be_bytes().to_vec(),
        n.to_le_bytes().to_vec(),
    ]
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn reading_the_database_reveals_no_master_seed_and_no_candidates_seed() {
    let dir = TempDir::new("sealed-seeds");
    let path = dir.file("exam.sqlite3");
    let mut store = Store::open(&path).unwrap();
    let (erin, casey_code, _) = sealed_exam(&mut store);
    // Casey sits: her seeds are the ones derived from the master seed.
    let casey = store.sign_in("Casey", Some(&casey_code)).unwrap();
    let sitting = store.start_sitting(&casey, EXAM, "Casey", &now()).unwrap();
    assert_eq!(sitting.seeds, expected("Casey"));
    assert_eq!(store.master_seed(&erin, EXAM).unwrap(), MASTER);
    drop(store);

    // The whole file, as an attacker with a copy of it reads it.
    let mut bytes = std::fs::read(&path).unwrap();
    for extra in ["exam.sqlite3-wal", "exam.sqlite3-journal"] {
        if let Ok(more) = std::fs::read(dir.file(extra)) {
            bytes.extend(more);
        }
    }
    let mut secrets = vec![("the master seed", MASTER)];
    for who in ["Casey", "Robin"] {
        secrets.extend(expected(who).into_iter().map(|(_, seed)| (who, seed)));
    }
    for (what, n) in secrets {
        for spelling in spellings(n) {
            assert!(
                !contains(&bytes, &spelling),
                "{what} ({n}) is readable in the file"
            );
        }
    }
    // No column holds it: the assessment row has only its sealed form and the commitment.
    let conn = rusqlite::Connection::open(&path).unwrap();
    let columns: Vec<String> = conn
        .prepare("SELECT name FROM pragma_table_info('assessments')")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(!columns.iter().any(|c| c == "master_seed"), "{columns:?}");
    assert!(columns.iter().any(|c| c == "seed_sealed"), "{columns:?}");
}

#[test]
fn only_staff_read_the_master_seed_and_only_the_candidate_opens_their_seeds() {
    for mut store in
        engines("only_staff_read_the_master_seed_and_only_the_candidate_opens_their_seeds")
    {
        let (_, casey_code, robin_code) = sealed_exam(&mut store);
        let ines = store.sign_in("Ines", Some(INSTRUCTOR_PASSWORD)).unwrap();
        assert!(ines.holds_staff_key());
        assert_eq!(store.master_seed(&ines, EXAM).unwrap(), MASTER);
        for (name, code) in [("Casey", casey_code.as_str()), ("Sam", "")] {
            let learner = store
                .sign_in(name, (!code.is_empty()).then_some(code))
                .unwrap();
            assert!(!learner.holds_staff_key());
            assert!(matches!(
                store.master_seed(&learner, EXAM),
                Err(StoreError::PermissionDenied { .. })
            ));
        }
        // Casey's sealed seeds copied over Robin's: they do not open with Robin's code (they are
        // sealed to Casey's key, for Casey's row), so Robin cannot start with them.
        let casey_id = store.person_by_name("Casey").unwrap().id;
        let robin_id = store.person_by_name("Robin").unwrap().id;
        store
            .raw_execute(&format!(
                "UPDATE candidate_seeds SET sealed = \
                 (SELECT sealed FROM candidate_seeds WHERE person_id = {casey_id}) \
                 WHERE person_id = {robin_id}"
            ))
            .unwrap();
        let robin = store.sign_in("Robin", Some(&robin_code)).unwrap();
        match store.start_sitting(&robin, EXAM, "Robin", &now()) {
            Err(StoreError::Invalid { message, .. }) => {
                assert!(
                    message.contains("not sealed to this access code"),
                    "{message}"
                );
            }
            other => panic!("Robin started with Casey's sealed seeds: {other:?}"),
        }
        // Staff signing in seal Robin's seeds again.
        store.sign_in("Ines", Some(INSTRUCTOR_PASSWORD)).unwrap();
        store
            .raw_execute(&format!(
                "DELETE FROM candidate_seeds WHERE person_id = {robin_id}"
            ))
            .unwrap();
        store.sign_in("Ines", Some(INSTRUCTOR_PASSWORD)).unwrap();
        let robin = store.sign_in("Robin", Some(&robin_code)).unwrap();
        let sitting = store.start_sitting(&robin, EXAM, "Robin", &now()).unwrap();
        assert_eq!(sitting.seeds, expected("Robin"));
    }
}

#[test]
fn a_swapped_or_altered_sealed_master_seed_does_not_open() {
    for mut store in engines("a_swapped_or_altered_sealed_master_seed_does_not_open") {
        let (erin, _, _) = sealed_exam(&mut store);
        let mut other = NewAssessment {
            name: "Other exam".to_string(),
            scenario_ids: vec!["triage_sprain".to_string()],
            time_limit_secs: 600,
            pass_mark_fraction: 0.5,
            master_seed: 1,
            show_drg: false,
        };
        store.create_assessment(&erin, &other, &now()).unwrap();
        other.name = "Third exam".to_string();
        store.create_assessment(&erin, &other, &now()).unwrap();
        let zeros = match store.engine() {
            Engine::Sqlite => "zeroblob(60)",
            Engine::Postgres => "decode(repeat('00', 60), 'hex')",
        };
        for sql in [
            // Another assessment's sealed seed (a seed of 1 the attacker knows).
            "UPDATE assessments SET seed_sealed = \
             (SELECT seed_sealed FROM assessments WHERE name = 'Other exam') WHERE name = 'Sealed exam'"
                .to_string(),
            format!("UPDATE assessments SET seed_sealed = {zeros} WHERE name = 'Sealed exam'"),
        ] {
            // The sealed seed is kept aside in a temporary table, to be put back.
            store
                .raw_execute(
                    "CREATE TEMP TABLE saved AS \
                     SELECT seed_sealed FROM assessments WHERE name = 'Sealed exam'",
                )
                .unwrap();
            store.raw_execute(&sql).unwrap();
            // Staff still sign in while a candidate's seeds cannot be sealed from it.
            store.raw_execute("DELETE FROM candidate_seeds").unwrap();
            assert!(store.sign_in("Erin", Some(ERIN_PASSWORD)).is_ok());
            match store.master_seed(&erin, EXAM) {
                Err(StoreError::Invalid { message, .. }) => {
                    assert!(message.contains("the database was altered"), "{message}");
                }
                other => panic!("{sql}: {other:?}"),
            }
            store
                .raw_execute(
                    "UPDATE assessments SET seed_sealed = (SELECT seed_sealed FROM saved) \
                     WHERE name = 'Sealed exam'; DROP TABLE saved",
                )
                .unwrap();
            assert_eq!(store.master_seed(&erin, EXAM).unwrap(), MASTER);
        }
        // Two assessments with the same master seed have unrelated commitments (each is blinded).
        let commitments = store
            .raw_texts(&format!(
                "SELECT seed_commitment FROM assessments WHERE name != '{EXAM}'"
            ))
            .unwrap();
        assert_eq!(commitments.len(), 2);
        assert_ne!(commitments[0], commitments[1]);
    }
}

#[test]
fn a_new_access_code_reseals_the_seeds_and_new_staff_get_the_staff_key() {
    for mut store in engines("a_new_access_code_reseals_the_seeds_and_new_staff_get_the_staff_key")
    {
        let (erin, casey_code, _) = sealed_exam(&mut store);
        let fresh = issue_access_code(&mut store, &erin, "Casey").unwrap();
        assert!(store.sign_in("Casey", Some(&casey_code)).is_err());
        let casey = store.sign_in("Casey", Some(&fresh)).unwrap();
        let sitting = store.start_sitting(&casey, EXAM, "Casey", &now()).unwrap();
        assert_eq!(sitting.seeds, expected("Casey"));
        // A sitting resumed with the same seeds passes its checks; an attempt with another seed
        // is refused without saying the right one.
        let mut a = super::api::attempt(
            casey.person_id(),
            SCENARIOS[0],
            "2026-03-01T09:20:00Z",
            vec![super::api::finding("esi", 1.0, 4.0)],
        );
        a.mode = ehr_sim::store::Mode::Assessment;
        a.sitting_id = Some(sitting.id);
        a.seed = sitting.seeds[0].1 ^ 1;
        match store.record_attempt_as(&casey, &a) {
            Err(StoreError::Invalid { message, .. }) => {
                assert!(
                    message.contains("is not this candidate's seed"),
                    "{message}"
                );
                assert!(
                    !message.contains(&sitting.seeds[0].1.to_string()),
                    "{message}"
                );
            }
            other => panic!("{other:?}"),
        }
        a.seed = sitting.seeds[0].1;
        store.record_attempt_as(&casey, &a).unwrap();
        // An instructor Erin creates holds the staff key at once.
        let ivy = store
            .create_person(
                Some(&erin),
                "Ivy",
                Role::Instructor,
                Some("instructor pw 2"),
                &now(),
            )
            .unwrap();
        assert!(ivy.holds_staff_key());
        let ivy = store.sign_in("Ivy", Some("instructor pw 2")).unwrap();
        assert_eq!(store.master_seed(&ivy, EXAM).unwrap(), MASTER);
        assert!(store.verify_audit().unwrap().is_clean());
    }
}
