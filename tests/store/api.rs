//! The store's library API: attempts, overrides and roles, drafts, assessments.

use ehr_sim::store::{
    DraftKey, FindingRecord, Mode, NewAssessment, NewAttempt, Role, Session, Store, StoreError,
    Verdict, derive_candidate_seed,
};

use super::{at, engines, now, populate};

pub(super) fn finding(id: &str, points: f64, max: f64) -> FindingRecord {
    FindingRecord {
        criterion_id: id.to_string(),
        points,
        max,
        outcome: if points >= max { "met" } else { "missed" }.to_string(),
        feedback: format!("Feedback on {id}."),
        rule: "ESI handbook v5, ch. 2".to_string(),
        expected: "ESI 2".to_string(),
        given: "ESI 3".to_string(),
        title: String::new(),
        section: String::new(),
    }
}

/// An attempt on `scenario` submitted at `submitted` with the given findings (score = sum).
pub(super) fn attempt(
    learner_id: i64,
    scenario: &str,
    submitted: &str,
    findings: Vec<FindingRecord>,
) -> NewAttempt {
    let score = findings.iter().map(|f| f.points).sum();
    let max = findings.iter().map(|f| f.max).sum();
    let submitted_at = at(submitted);
    NewAttempt {
        learner_id,
        scenario_id: scenario.to_string(),
        scenario_version_hash: format!("{scenario}-hash-v1"),
        seed: 7,
        mode: Mode::Practice,
        sitting_id: None,
        started_at: submitted_at - chrono::Duration::minutes(10),
        submitted_at,
        duration_secs: 600,
        score,
        max,
        passed: score >= 0.7 * max,
        competencies: vec!["triage".to_string(), "documentation".to_string()],
        findings,
        criticals: Vec::new(),
        rubric_hash: None,
    }
}

#[test]
fn an_attempt_reads_back_exactly_and_its_draft_is_deleted() {
    for mut store in engines("an_attempt_reads_back_exactly_and_its_draft_is_deleted") {
        let (_, sam, _) = populate(&mut store);
        let key = DraftKey {
            learner_id: sam.person_id(),
            scenario_id: "triage_chest_pain".to_string(),
            seed: 7,
            mode: Mode::Practice,
        };
        store
            .save_draft(&sam, &key, "h", "{\"esi\":2}", &now())
            .unwrap();
        let mut new = attempt(
            sam.person_id(),
            "triage_chest_pain",
            "2026-03-01T10:00:00Z",
            vec![finding("esi_level", 0.0, 4.0), finding("vitals", 2.0, 2.0)],
        );
        new.findings[0].title = "ESI level at first triage".to_string();
        new.findings[0].section = "Arrival a1".to_string();
        new.criticals = vec![ehr_sim::store::CriticalRecord {
            gate_id: "undertriage_esi1".to_string(),
            title: "Under-triage of a resuscitation patient".to_string(),
            message: "a1 needed ESI 1 and was given 3".to_string(),
            effect: "zero".to_string(),
            rule: "ESI v5 decision point A".to_string(),
        }];
        let id = store.record_attempt(&new).unwrap();
        let back = store.attempt(&sam, id).unwrap();
        assert_eq!(back.learner, "Sam");
        assert_eq!(back.started_at, "2026-03-01T09:50:00Z");
        assert_eq!(back.submitted_at, "2026-03-01T10:00:00Z");
        assert_eq!(back.score, 2.0);
        assert_eq!(back.effective_score, 2.0);
        assert_eq!(back.max, 6.0);
        assert!(!back.passed);
        assert_eq!(back.competencies, vec!["documentation", "triage"]);
        assert_eq!(back.findings, new.findings);
        assert_eq!(back.criticals, new.criticals);
        assert!(back.criticals_recorded);
        assert!(store.verify_audit().unwrap().is_clean());
        assert_eq!(
            store.load_draft(&sam, &key).unwrap(),
            None,
            "submitting deletes the draft"
        );
    }
}

#[test]
fn bad_attempts_are_refused_with_a_reason() {
    for mut store in engines("bad_attempts_are_refused_with_a_reason") {
        let (_, sam, _) = populate(&mut store);
        let mut bad = attempt(
            sam.person_id(),
            "s",
            "2026-03-01T10:00:00Z",
            vec![finding("a", 1.0, 2.0)],
        );
        bad.score = 3.0;
        assert_eq!(
            store.record_attempt(&bad).unwrap_err().to_string(),
            "invalid score: 3 must lie between 0 and max (2)"
        );
        let mut bad = attempt(sam.person_id(), "s", "2026-03-01T10:00:00Z", vec![]);
        bad.learner_id = 999;
        assert_eq!(
            store.record_attempt(&bad).unwrap_err().to_string(),
            "no person named \"#999\"; list them with `ehr-sim people list`"
        );
        let mut bad = attempt(sam.person_id(), "s", "2026-03-01T10:00:00Z", vec![]);
        bad.submitted_at = at("2026-03-01T09:00:00Z");
        assert!(matches!(
            store.record_attempt(&bad),
            Err(StoreError::Invalid {
                field: "submitted_at",
                ..
            })
        ));
        let count = store.raw_i64("SELECT count(*) FROM attempts").unwrap();
        assert_eq!(count, 0);
    }
}

#[test]
fn a_student_cannot_override_a_score_but_an_instructor_can() {
    for mut store in engines("a_student_cannot_override_a_score_but_an_instructor_can") {
        let (ines, sam, ana) = populate(&mut store);
        let id = store
            .record_attempt(&attempt(
                sam.person_id(),
                "s",
                "2026-03-01T10:00:00Z",
                vec![finding("a", 1.0, 4.0)],
            ))
            .unwrap();
        let err = store
            .override_score(&sam, id, 4.0, "I deserve it", &now())
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "a student may not override a score; sign in as an instructor or employer admin"
        );
        assert!(
            store
                .override_score(&ines, id, 5.0, "too much", &now())
                .is_err()
        );
        assert!(store.override_score(&ines, id, 3.0, "  ", &now()).is_err());
        store
            .override_score(
                &ines,
                id,
                3.0,
                "Alternative ESI accepted: documented resource need",
                &at("2026-03-02T08:00:00Z"),
            )
            .unwrap();
        let back = store.attempt(&sam, id).unwrap();
        assert_eq!(back.score, 1.0);
        assert_eq!(back.effective_score, 3.0);
        assert_eq!(back.overrides.len(), 1);
        assert_eq!(back.overrides[0].author, "Ines");
        assert_eq!(back.overrides[0].created_at, "2026-03-02T08:00:00Z");
        // Another student may neither record for Sam nor read Sam's attempt.
        let for_sam = attempt(
            sam.person_id(),
            "s",
            "2026-03-01T11:00:00Z",
            vec![finding("a", 1.0, 4.0)],
        );
        assert!(matches!(
            store.record_attempt_as(&ana, &for_sam),
            Err(StoreError::PermissionDenied { .. })
        ));
        store.record_attempt_as(&sam, &for_sam).unwrap();
        assert!(matches!(
            store.attempt(&ana, id),
            Err(StoreError::PermissionDenied { .. })
        ));
    }
}

#[test]
fn drafts_upsert_list_restore_and_delete() {
    for mut store in engines("drafts_upsert_list_restore_and_delete") {
        let (_, sam, ana) = populate(&mut store);
        let key = |scenario: &str| DraftKey {
            learner_id: sam.person_id(),
            scenario_id: scenario.to_string(),
            seed: 11,
            mode: Mode::Practice,
        };
        store
            .save_draft(&sam, &key("a"), "h1", "first", &at("2026-03-01T10:00:00Z"))
            .unwrap();
        store
            .save_draft(&sam, &key("a"), "h1", "second", &at("2026-03-01T10:01:00Z"))
            .unwrap();
        store
            .save_draft(&sam, &key("b"), "h2", "other", &at("2026-03-01T10:00:30Z"))
            .unwrap();
        let drafts = store.list_drafts(&sam, sam.person_id()).unwrap();
        assert_eq!(drafts.len(), 2);
        assert_eq!(drafts[0].key.scenario_id, "a", "newest first");
        assert_eq!(drafts[0].payload, "second");
        assert_eq!(drafts[0].updated_at, "2026-03-01T10:01:00Z");
        assert_eq!(
            store.load_draft(&sam, &key("b")).unwrap().unwrap().payload,
            "other"
        );
        assert!(
            store
                .save_draft(&ana, &key("a"), "h1", "sabotage", &now())
                .is_err()
        );
        assert!(store.delete_draft(&sam, &key("b")).unwrap());
        assert!(!store.delete_draft(&sam, &key("b")).unwrap());
        assert_eq!(store.list_drafts(&sam, sam.person_id()).unwrap().len(), 1);
    }
}

#[test]
fn candidate_seeds_are_pinned() {
    // Portable and stable across builds: an employer re-creates a candidate's case from these.
    assert_eq!(
        derive_candidate_seed(2026, "triage_chest_pain", "Casey"),
        PINNED_SEED
    );
}

// Cross-checked with Python: int.from_bytes(sha256(label, seed, scenario, name)[:8], "big").
const PINNED_SEED: u64 = 12_794_857_058_501_438_407;

/// Robin has begun and has time left: no verdict yet; once the hour is up, a fail (Casey has
/// finished below the pass mark: a fail at once).
fn robin_has_no_verdict_until_time_runs_out(store: &Store, admin: &Session) {
    let verdicts = |now: &str| -> Vec<(String, Verdict)> {
        store
            .assessment_results(admin, "ED intake 2026", &at(now))
            .unwrap()
            .into_iter()
            .map(|r| (r.candidate, r.verdict))
            .collect()
    };
    assert_eq!(
        verdicts("2026-03-05T09:30:00Z"),
        [
            ("Casey".to_string(), Verdict::Fail),
            ("Robin".to_string(), Verdict::InProgress)
        ]
    );
    assert_eq!(
        verdicts("2026-03-05T10:00:01Z")[1],
        ("Robin".to_string(), Verdict::Fail)
    );
}

/// The results after both sittings: Casey below the pass mark, Robin over time; then an
/// instructor override lifts Casey over the pass mark.
fn results_at_noon(store: &mut Store, admin: &Session, casey: &Session) {
    let noon = at("2026-03-05T12:00:00Z");
    let results = store
        .assessment_results(admin, "ED intake 2026", &noon)
        .unwrap();
    assert_eq!(results.len(), 2);
    assert_eq!(results[0].candidate, "Casey");
    assert_eq!(
        (results[0].score, results[0].max, results[0].scenarios_done),
        (5.0, 8.0, 2)
    );
    assert!(!results[0].passed, "62.5% is below the 75% pass mark");
    assert_eq!(
        results[0].finished_at.as_deref(),
        Some("2026-03-05T09:55:00Z")
    );
    assert_eq!(
        (
            results[1].candidate.as_str(),
            results[1].over_time,
            results[1].passed
        ),
        ("Robin", true, false)
    );
    // An instructor override lifts Casey over the pass mark.
    let casey_sprain = store.learner_history(admin, casey.person_id()).unwrap()[1].attempt_id;
    store
        .override_score(admin, casey_sprain, 3.0, "Re-marked after appeal", &now())
        .unwrap();
    let results = store.assessment_results(admin, "ED intake 2026", &noon);
    let result = &results.unwrap()[0];
    assert_eq!(
        (result.score, result.passed, result.verdict),
        (7.0, true, Verdict::Pass)
    );
}

#[test]
fn an_assessment_sitting_enforces_seeds_and_reports_results() {
    for mut store in engines("an_assessment_sitting_enforces_seeds_and_reports_results") {
        let (ines, sam, _) = populate(&mut store);
        let admin = store
            .create_person(
                Some(&ines),
                "Erin",
                Role::EmployerAdmin,
                Some("employer pw 1"),
                &now(),
            )
            .unwrap();
        // Candidates sit with the access code they were created with: their seeds are sealed to it.
        let mut candidate = |name: &str, code: &str| {
            store
                .create_person(Some(&admin), name, Role::Candidate, Some(code), &now())
                .unwrap()
        };
        let (casey, robin) = (
            candidate("Casey", "CASEY-CODE-1"),
            candidate("Robin", "ROBIN-CODE-1"),
        );
        let new = NewAssessment {
            name: "ED intake 2026".to_string(),
            scenario_ids: vec!["triage_chest_pain".to_string(), "triage_sprain".to_string()],
            time_limit_secs: 3600,
            pass_mark_fraction: 0.75,
            master_seed: 2026,
            show_drg: false,
        };
        assert!(store.create_assessment(&sam, &new, &now()).is_err());
        store.create_assessment(&admin, &new, &now()).unwrap();
        assert!(
            store
                .start_sitting(&casey, "ED intake 2026", "Casey", &now())
                .is_err(),
            "a candidate who is not registered cannot sit it"
        );
        store
            .create_cohort(&admin, "ED intake 2026 candidates", &now())
            .unwrap();
        store
            .add_to_cohort(&admin, "ED intake 2026 candidates", "Casey")
            .unwrap();
        let sitting = store
            .start_sitting(
                &casey,
                "ED intake 2026",
                "Casey",
                &at("2026-03-05T09:00:00Z"),
            )
            .unwrap();
        assert_eq!(sitting.deadline, "2026-03-05T10:00:00Z");
        assert_eq!(
            sitting.seeds[0],
            (
                "triage_chest_pain".to_string(),
                derive_candidate_seed(2026, "triage_chest_pain", "Casey")
            )
        );
        assert!(
            store
                .start_sitting(&casey, "ED intake 2026", "Robin", &now())
                .is_err(),
            "not for someone else"
        );

        let mut a = attempt(
            casey.person_id(),
            "triage_chest_pain",
            "2026-03-05T09:20:00Z",
            vec![finding("esi", 4.0, 4.0)],
        );
        a.mode = Mode::Assessment;
        a.sitting_id = Some(sitting.id);
        a.seed = 1;
        assert!(matches!(
            store.record_attempt(&a),
            Err(StoreError::Invalid {
                field: "sitting_id",
                ..
            })
        ));
        a.seed = sitting.seeds[0].1;
        store.record_attempt(&a).unwrap();
        let mut b = attempt(
            casey.person_id(),
            "triage_sprain",
            "2026-03-05T09:50:00Z",
            vec![finding("esi", 1.0, 4.0)],
        );
        b.mode = Mode::Assessment;
        b.sitting_id = Some(sitting.id);
        b.seed = sitting.seeds[1].1;
        store.record_attempt(&b).unwrap();
        store
            .finish_sitting(&casey, sitting.id, &at("2026-03-05T09:55:00Z"))
            .unwrap();
        let mut late = b.clone();
        late.seed = sitting.seeds[1].1;
        assert!(
            store.record_attempt(&late).is_err(),
            "finished sittings take no more attempts"
        );

        let robin_sitting = store
            .start_sitting(
                &admin,
                "ED intake 2026",
                "Robin",
                &at("2026-03-05T09:00:00Z"),
            )
            .unwrap();
        robin_has_no_verdict_until_time_runs_out(&store, &admin);
        let mut r = attempt(
            robin.person_id(),
            "triage_chest_pain",
            "2026-03-05T10:30:00Z",
            vec![finding("esi", 4.0, 4.0)],
        );
        r.mode = Mode::Assessment;
        r.sitting_id = Some(robin_sitting.id);
        r.seed = robin_sitting.seeds[0].1;
        store.record_attempt(&r).unwrap();

        let noon = at("2026-03-05T12:00:00Z");
        assert!(
            store
                .assessment_results(&casey, "ED intake 2026", &noon)
                .is_err()
        );
        results_at_noon(&mut store, &admin, &casey);
    }
}
