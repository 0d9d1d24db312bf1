//! Assessment integrity in the store: candidates sign in with an access code the employer
//! issued (stored hashed), see no result until the employer releases it, and cannot practise
//! the assessment's scenarios during their sitting.

use ehr_sim::service::assessments::{issue_access_code, register_candidate};
use ehr_sim::store::{Mode, NewAssessment, Role, Session, Store, StoreError};

use super::api::{attempt, finding};
use super::{at, engines, now, populate_with_employer};

const NAME: &str = "ED intake 2026";

/// An employer admin "Erin" and an assessment of two triage scenarios, with "Casey"
/// registered; returns Erin and Casey's access code.
fn assessment(store: &mut Store) -> (Session, String) {
    let (_, erin) = populate_with_employer(store);
    ehr_sim::service::assessments::create(
        store,
        &erin,
        &NewAssessment {
            name: NAME.to_string(),
            scenario_ids: vec!["triage_chest_pain".to_string(), "triage_sprain".to_string()],
            time_limit_secs: 3600,
            pass_mark_fraction: 0.75,
            master_seed: 2026,
            show_drg: false,
        },
        &now(),
    )
    .unwrap();
    let done = register_candidate(store, &erin, NAME, "Casey", &now()).unwrap();
    assert!(done.created);
    let code = done.access_code.expect("a new candidate gets a code");
    (erin, code)
}

#[test]
fn a_candidate_signs_in_only_with_the_access_code_which_is_stored_hashed() {
    for mut store in
        engines("a_candidate_signs_in_only_with_the_access_code_which_is_stored_hashed")
    {
        let (erin, code) = assessment(&mut store);
        // 12 characters from the unambiguous alphabet, in groups of four.
        assert_eq!(code.len(), 14, "{code}");
        assert!(
            code.split('-').all(|g| g.len() == 4
                && g.chars()
                    .all(|c| "ABCDEFGHJKMNPQRSTUVWXYZ23456789".contains(c))),
            "{code}"
        );
        assert!(matches!(
            store.sign_in("Casey", None),
            Err(StoreError::SignInFailed { .. })
        ));
        assert!(store.sign_in("Casey", Some("AAAA-BBBB-CCCC")).is_err());
        let casey = store.sign_in("Casey", Some(&code)).unwrap();
        assert_eq!(casey.role(), Role::Candidate);
        // Typed in lower case, without dashes, with spaces: the same code.
        let loose = code.to_lowercase().replace('-', " ");
        assert!(store.sign_in("Casey", Some(&loose)).is_ok());
        // The database holds an Argon2 hash, never the code.
        let stored = store
            .raw_texts("SELECT password_hash FROM people WHERE name = 'Casey'")
            .unwrap()
            .remove(0);
        assert!(stored.starts_with("$argon2"), "{stored}");
        assert!(!stored.contains(&code.replace('-', "")));
        // Registering again keeps the code; a new one replaces it.
        let again = register_candidate(&mut store, &erin, NAME, "Casey", &now()).unwrap();
        assert_eq!((again.created, again.access_code), (false, None));
        let fresh = issue_access_code(&mut store, &erin, "Casey").unwrap();
        assert_ne!(fresh, code);
        assert!(
            store.sign_in("Casey", Some(&code)).is_err(),
            "the old code is void"
        );
        assert!(store.sign_in("Casey", Some(&fresh)).is_ok());
        // Only staff issue codes, and only to candidates.
        assert!(matches!(
            issue_access_code(&mut store, &casey, "Casey"),
            Err(StoreError::PermissionDenied { .. })
        ));
        assert!(matches!(
            issue_access_code(&mut store, &erin, "Sam"),
            Err(StoreError::Invalid { .. })
        ));
    }
}

#[test]
fn results_stay_hidden_from_the_candidate_until_the_employer_releases_them() {
    for mut store in
        engines("results_stay_hidden_from_the_candidate_until_the_employer_releases_them")
    {
        let (erin, code) = assessment(&mut store);
        let casey = store.sign_in("Casey", Some(&code)).unwrap();
        let sitting = store
            .start_sitting(&casey, NAME, "Casey", &at("2026-03-05T09:00:00Z"))
            .unwrap();
        let mut a = attempt(
            casey.person_id(),
            "triage_chest_pain",
            "2026-03-05T09:20:00Z",
            vec![finding("esi", 1.0, 4.0)],
        );
        a.mode = Mode::Assessment;
        a.sitting_id = Some(sitting.id);
        a.seed = sitting.seeds[0].1;
        let id = store.record_attempt_as(&casey, &a).unwrap();
        // The candidate knows the item is submitted, without any score.
        assert_eq!(
            store.sitting_submissions(&casey, sitting.id).unwrap(),
            vec![("triage_chest_pain".to_string(), sitting.seeds[0].1)]
        );
        let me = casey.person_id();
        assert!(store.learner_history(&casey, me).unwrap().is_empty());
        assert!(store.scenario_progress(&casey, me).unwrap().is_empty());
        assert!(store.competency_mastery(&casey, me).unwrap().is_empty());
        assert!(store.weakest_criteria(&casey, me, 10).unwrap().is_empty());
        assert!(matches!(
            store.attempt(&casey, id),
            Err(StoreError::PermissionDenied { .. })
        ));
        // Staff see it all along.
        assert_eq!(store.learner_history(&erin, me).unwrap().len(), 1);
        assert_eq!(store.attempt(&erin, id).unwrap().score, 1.0);
        // Only an employer admin releases, once.
        assert!(store.release_results(&casey, NAME, &now()).is_err());
        let released = store
            .release_results(&erin, NAME, &at("2026-03-06T08:00:00Z"))
            .unwrap();
        assert_eq!(
            released.results_released_at.as_deref(),
            Some("2026-03-06T08:00:00Z")
        );
        let again = store
            .release_results(&erin, NAME, &at("2026-03-07T08:00:00Z"))
            .unwrap();
        assert_eq!(
            again.results_released_at.as_deref(),
            Some("2026-03-06T08:00:00Z"),
            "the first release time stays"
        );
        let history = store.learner_history(&casey, me).unwrap();
        assert_eq!(history.len(), 1);
        assert_eq!((history[0].score, history[0].max), (1.0, 4.0));
        assert_eq!(store.attempt(&casey, id).unwrap().findings.len(), 1);
        assert_eq!(store.weakest_criteria(&casey, me, 10).unwrap().len(), 1);
    }
}

#[test]
fn practice_of_the_assessment_is_closed_during_the_sitting_only() {
    for mut store in engines("practice_of_the_assessment_is_closed_during_the_sitting_only") {
        let (_, code) = assessment(&mut store);
        let casey = store.sign_in("Casey", Some(&code)).unwrap();
        let sam = store.sign_in("Sam", None).unwrap();
        let practice = |who: &Session, at_time: &str| {
            attempt(
                who.person_id(),
                "triage_sprain",
                at_time,
                vec![finding("esi", 4.0, 4.0)],
            )
        };
        // Before the sitting: open.
        store
            .record_attempt_as(&casey, &practice(&casey, "2026-03-05T08:00:00Z"))
            .unwrap();
        let sitting = store
            .start_sitting(&casey, NAME, "Casey", &at("2026-03-05T09:00:00Z"))
            .unwrap();
        let during = at("2026-03-05T09:30:00Z");
        assert_eq!(
            store.closed_to_practice(&casey, &during).unwrap(),
            vec![
                ("triage_chest_pain".to_string(), NAME.to_string()),
                ("triage_sprain".to_string(), NAME.to_string())
            ]
        );
        let refused = store.record_attempt_as(&casey, &practice(&casey, "2026-03-05T09:30:00Z"));
        match refused {
            Err(StoreError::Invalid { field, message }) => {
                assert_eq!(field, "scenario_id");
                assert!(
                    message.contains("closed until the sitting is finished"),
                    "{message}"
                );
            }
            other => panic!("practice during the sitting was not refused: {other:?}"),
        }
        // Other learners are not affected.
        assert!(store.closed_to_practice(&sam, &during).unwrap().is_empty());
        store
            .record_attempt_as(&sam, &practice(&sam, "2026-03-05T09:30:00Z"))
            .unwrap();
        // After the time limit, or once finished, practice opens again.
        assert!(
            store
                .closed_to_practice(&casey, &at("2026-03-05T10:00:01Z"))
                .unwrap()
                .is_empty()
        );
        store
            .finish_sitting(&casey, sitting.id, &at("2026-03-05T09:40:00Z"))
            .unwrap();
        store
            .record_attempt_as(&casey, &practice(&casey, "2026-03-05T09:45:00Z"))
            .unwrap();
    }
}

/// An assessment may show candidates the live MS-DRG (its author's choice): the sitting carries
/// it, and switching it on in the database file is caught by the audit chain.
#[test]
fn showing_the_live_drg_is_the_assessments_choice_and_chained() {
    for mut store in engines("showing_the_live_drg_is_the_assessments_choice_and_chained") {
        let (erin, code) = assessment(&mut store);
        let casey = store.sign_in("Casey", Some(&code)).unwrap();
        let sitting = store.start_sitting(&casey, NAME, "Casey", &now()).unwrap();
        assert!(!sitting.show_drg);
        ehr_sim::service::assessments::create(
            &mut store,
            &erin,
            &NewAssessment {
                name: "DRG 2026".to_string(),
                scenario_ids: vec!["inpatient_sepsis_pneumonia".to_string()],
                time_limit_secs: 3600,
                pass_mark_fraction: 0.7,
                master_seed: 7,
                show_drg: true,
            },
            &now(),
        )
        .unwrap();
        register_candidate(&mut store, &erin, "DRG 2026", "Casey", &now()).unwrap();
        let sitting = store
            .start_sitting(&casey, "DRG 2026", "Casey", &now())
            .unwrap();
        assert!(sitting.show_drg);
        assert!(store.verify_audit().unwrap().is_clean());
        store
            .raw_execute(&format!(
                "UPDATE assessments SET show_drg = 1 WHERE name = '{NAME}'"
            ))
            .unwrap();
        let issues = store.verify_audit().unwrap().issues;
        assert_eq!(issues.len(), 1, "{issues:?}");
    }
}
