//! Queries and exports over a small hand-made history with known answers.

use ehr_sim::store::{ExportFormat, ScenarioVersionKey, Store};
use serde_json::Value;

use super::api::{attempt, finding};
use super::{engines, now, populate};

/// Sam: chest pain 25% then 100% (next day) then 50%; Ana: chest pain 100%; Ana's sprain on a
/// second version of the scenario file.
fn history(
    mut store: Store,
) -> (
    Store,
    ehr_sim::store::Session,
    ehr_sim::store::Session,
    ehr_sim::store::Session,
) {
    {
        let (ines, sam, ana) = populate(&mut store);
        let sid = sam.person_id();
        store
            .record_attempt(&attempt(
                sid,
                "chest_pain",
                "2026-03-01T10:00:00Z",
                vec![finding("esi", 0.0, 2.0), finding("vitals", 1.0, 2.0)],
            ))
            .unwrap();
        store
            .record_attempt(&attempt(
                sid,
                "chest_pain",
                "2026-03-02T10:00:00Z",
                vec![finding("esi", 2.0, 2.0), finding("vitals", 2.0, 2.0)],
            ))
            .unwrap();
        store
            .record_attempt(&attempt(
                sid,
                "chest_pain",
                "2026-03-02T11:00:00Z",
                vec![finding("esi", 0.0, 2.0), finding("vitals", 2.0, 2.0)],
            ))
            .unwrap();
        store
            .record_attempt(&attempt(
                ana.person_id(),
                "chest_pain",
                "2026-03-01T12:00:00Z",
                vec![finding("esi", 2.0, 2.0), finding("vitals", 2.0, 2.0)],
            ))
            .unwrap();
        let mut v2 = attempt(
            ana.person_id(),
            "sprain",
            "2026-03-03T09:00:00Z",
            vec![finding("esi", 1.0, 2.0)],
        );
        v2.scenario_version_hash = "sprain-hash-v2".to_string();
        store.record_attempt(&v2).unwrap();
        (store, ines, sam, ana)
    }
}

#[test]
fn best_and_latest_per_scenario() {
    for store in engines("best_and_latest_per_scenario") {
        let (store, _, sam, ana) = history(store);
        let progress = store.scenario_progress(&sam, sam.person_id()).unwrap();
        assert_eq!(progress.len(), 1);
        let p = &progress[0];
        assert_eq!(p.scenario.label(), "chest_pain@chest_pa");
        assert_eq!(
            (p.attempts, p.best_fraction, p.latest_fraction),
            (3, 1.0, 0.5)
        );
        assert_eq!(p.latest_submitted_at, "2026-03-02T11:00:00Z");
        assert!(
            store.scenario_progress(&ana, sam.person_id()).is_err(),
            "learners see only their own"
        );
    }
}

#[test]
fn mastery_per_competency_over_time() {
    for store in engines("mastery_per_competency_over_time") {
        let (store, _, sam, _) = history(store);
        let points = store.competency_mastery(&sam, sam.person_id()).unwrap();
        let summary: Vec<(&str, &str, u64, f64, f64)> = points
            .iter()
            .map(|p| {
                (
                    p.competency.as_str(),
                    p.date.as_str(),
                    p.attempts,
                    p.day_fraction,
                    p.cumulative_fraction,
                )
            })
            .collect();
        assert_eq!(
            summary,
            vec![
                ("documentation", "2026-03-01", 1, 0.25, 0.25),
                ("documentation", "2026-03-02", 2, 0.75, 1.75 / 3.0),
                ("triage", "2026-03-01", 1, 0.25, 0.25),
                ("triage", "2026-03-02", 2, 0.75, 1.75 / 3.0),
            ]
        );
    }
}

#[test]
fn overrides_count_in_history_and_gradebook() {
    for store in engines("overrides_count_in_history_and_gradebook") {
        let (mut store, ines, sam, _) = history(store);
        let last = store.learner_history(&sam, sam.person_id()).unwrap()[2].attempt_id;
        store
            .override_score(&ines, last, 4.0, "esi 2 also acceptable", &now())
            .unwrap();
        let history = store.learner_history(&sam, sam.person_id()).unwrap();
        assert!(history[2].overridden);
        assert_eq!(history[2].fraction, 1.0);
        let book = store.gradebook(&ines, Some("Spring 2026")).unwrap();
        assert_eq!(book.rows[1].learner, "Sam");
        assert_eq!(book.rows[1].cells[0].as_ref().unwrap().latest_fraction, 1.0);
    }
}

#[test]
fn cohort_gradebook_is_learners_by_scenario_versions() {
    for store in engines("cohort_gradebook_is_learners_by_scenario_versions") {
        let (store, ines, sam, _) = history(store);
        assert!(store.gradebook(&sam, None).is_err());
        let book = store.gradebook(&ines, Some("Spring 2026")).unwrap();
        let columns: Vec<String> = book
            .scenarios
            .iter()
            .map(ScenarioVersionKey::label)
            .collect();
        assert_eq!(columns, vec!["chest_pain@chest_pa", "sprain@sprain-h"]);
        let learners: Vec<&str> = book.rows.iter().map(|r| r.learner.as_str()).collect();
        assert_eq!(learners, vec!["Ana", "Sam"]);
        let ana_sprain = book.rows[0].cells[1].as_ref().unwrap();
        assert_eq!((ana_sprain.attempts, ana_sprain.best_fraction), (1, 0.5));
        assert!(
            book.rows[1].cells[1].is_none(),
            "Sam never tried the sprain"
        );
    }
}

#[test]
fn criterion_miss_rates_and_difficulty() {
    for store in engines("criterion_miss_rates_and_difficulty") {
        let (store, ines, _, _) = history(store);
        let key = ScenarioVersionKey {
            scenario_id: "chest_pain".to_string(),
            content_hash: "chest_pain-hash-v1".to_string(),
        };
        let stats = store.criterion_stats(&ines, &key).unwrap();
        let summary: Vec<(&str, u64, u64, f64, f64)> = stats
            .iter()
            .map(|s| {
                (
                    s.criterion_id.as_str(),
                    s.findings,
                    s.misses,
                    s.miss_rate,
                    s.difficulty,
                )
            })
            .collect();
        assert_eq!(
            summary,
            vec![("esi", 4, 2, 0.5, 0.5), ("vitals", 4, 1, 0.25, 7.0 / 8.0)]
        );
    }
}

#[test]
fn csv_export_is_rfc4180_with_iso_dates() {
    for store in engines("csv_export_is_rfc4180_with_iso_dates") {
        let (mut store, ines, _, _) = history(store);
        let dana = store
            .create_person(
                Some(&ines),
                "Dana \"DJ\", Jr.",
                ehr_sim::store::Role::Student,
                None,
                &now(),
            )
            .unwrap();
        store
            .add_to_cohort(&ines, "Spring 2026", dana.name())
            .unwrap();
        let csv = store
            .export_gradebook(
                &ines,
                Some("Spring 2026"),
                ExportFormat::Csv,
                "https://x.invalid",
            )
            .unwrap();
        assert_eq!(
            csv,
            "learner,role,scenario_id,scenario_version,attempts,best_percent,latest_percent,latest_passed,latest_submitted_at\r\n\
         Ana,student,chest_pain,chest_pain-hash-v1,1,100.0,100.0,yes,2026-03-01T12:00:00Z\r\n\
         Ana,student,sprain,sprain-hash-v2,1,50.0,50.0,no,2026-03-03T09:00:00Z\r\n\
         \"Dana \"\"DJ\"\", Jr.\",student,,,0,,,,\r\n\
         Sam,student,chest_pain,chest_pain-hash-v1,3,100.0,50.0,no,2026-03-02T11:00:00Z\r\n"
        );
    }
}

#[test]
fn xapi_statements_carry_actor_verb_object_score_and_timestamp() {
    for store in engines("xapi_statements_carry_actor_verb_object_score_and_timestamp") {
        let (store, ines, _, _) = history(store);
        let text = store
            .export_gradebook(
                &ines,
                None,
                ExportFormat::Xapi,
                "https://lms.example.invalid",
            )
            .unwrap();
        let statements: Value = serde_json::from_str(&text).unwrap();
        let list = statements.as_array().unwrap();
        assert_eq!(list.len(), 5);
        let first = &list[0];
        assert_eq!(first["actor"]["account"]["name"], "Ana");
        assert_eq!(
            first["actor"]["account"]["homePage"],
            "https://lms.example.invalid"
        );
        assert_eq!(first["verb"]["id"], "http://adlnet.gov/expapi/verbs/passed");
        assert_eq!(first["object"]["id"], "urn:ehr-sim:scenario:chest_pain");
        assert_eq!(first["result"]["score"]["raw"], 4.0);
        assert_eq!(first["result"]["score"]["min"], 0.0);
        assert_eq!(first["result"]["score"]["max"], 4.0);
        assert_eq!(first["result"]["score"]["scaled"], 1.0);
        assert_eq!(first["result"]["duration"], "PT600S");
        assert_eq!(first["timestamp"], "2026-03-01T12:00:00Z");
        assert_eq!(
            list[2]["verb"]["id"],
            "http://adlnet.gov/expapi/verbs/failed"
        );
        let json = store
            .export_gradebook(&ines, None, ExportFormat::Json, "")
            .unwrap();
        let book: Value = serde_json::from_str(&json).unwrap();
        assert_eq!(book["rows"][1]["learner"], "Sam");
    }
}

#[test]
fn weakest_criteria_are_the_learners_own_weakest_first() {
    for mut store in engines("weakest_criteria_are_the_learners_own_weakest_first") {
        let (ines, sam, ana) = populate(&mut store);
        let record = |store: &mut Store, who: &ehr_sim::store::Session, a| {
            store.record_attempt_as(who, &a).unwrap();
        };
        let sam_id = sam.person_id();
        // Two attempts of one scenario: esi_level lost both times (0 of 4), vitals once (1 of 2),
        // queue never; one attempt of another scenario with its own esi_level lost half.
        record(
            &mut store,
            &sam,
            attempt(
                sam_id,
                "triage_chest_pain",
                "2026-03-01T10:00:00Z",
                vec![
                    finding("esi_level", 0.0, 2.0),
                    finding("vitals", 0.0, 1.0),
                    finding("queue", 1.0, 1.0),
                ],
            ),
        );
        record(
            &mut store,
            &sam,
            attempt(
                sam_id,
                "triage_chest_pain",
                "2026-03-02T10:00:00Z",
                vec![
                    finding("esi_level", 0.0, 2.0),
                    finding("vitals", 1.0, 1.0),
                    finding("queue", 1.0, 1.0),
                ],
            ),
        );
        record(
            &mut store,
            &sam,
            attempt(
                sam_id,
                "infant_fever",
                "2026-03-03T10:00:00Z",
                vec![finding("esi_level", 1.0, 2.0)],
            ),
        );
        // Another learner's misses are not Sam's.
        record(
            &mut store,
            &ana,
            attempt(
                ana.person_id(),
                "triage_chest_pain",
                "2026-03-03T11:00:00Z",
                vec![finding("queue", 0.0, 1.0)],
            ),
        );
        let weak = store.weakest_criteria(&sam, sam_id, 10).unwrap();
        let rows: Vec<(&str, &str, u64, u64, f64)> = weak
            .iter()
            .map(|w| {
                (
                    w.scenario_id.as_str(),
                    w.criterion_id.as_str(),
                    w.graded,
                    w.missed,
                    w.fraction,
                )
            })
            .collect();
        assert_eq!(
            rows,
            [
                ("triage_chest_pain", "esi_level", 2, 2, 0.0),
                // Equal shares: the more often graded first.
                ("triage_chest_pain", "vitals", 2, 1, 0.5),
                ("infant_fever", "esi_level", 1, 1, 0.5),
            ]
        );
        assert_eq!(weak[0].rule, "ESI handbook v5, ch. 2");
        assert_eq!(store.weakest_criteria(&sam, sam_id, 1).unwrap().len(), 1);
        // A learner cannot read another's; an instructor can.
        assert!(store.weakest_criteria(&ana, sam_id, 10).is_err());
        assert_eq!(store.weakest_criteria(&ines, sam_id, 10).unwrap().len(), 3);
    }
}

#[test]
fn an_edited_gradebook_cell_is_found_by_verify_and_overrides_rewrite_cells() {
    for store in engines("an_edited_gradebook_cell_is_found_by_verify") {
        let (mut store, ines, sam, _) = history(store);
        // Sam's chest pain: 25%, 100%, 50% (latest). An override of the latest to full marks
        // rewrites the cell's latest fraction (its pass is the grading's, as before).
        store
            .override_score(&ines, 3, 4.0, "appeal upheld", &now())
            .unwrap();
        let book = store.gradebook(&ines, Some("Spring 2026")).unwrap();
        let sam_row = book.rows.iter().find(|r| r.learner == "Sam").unwrap();
        let cell = sam_row.cells[0].as_ref().unwrap();
        assert_eq!(
            (
                cell.attempts,
                cell.best_fraction,
                cell.latest_fraction,
                cell.latest_passed
            ),
            (3, 1.0, 1.0, false)
        );
        assert!(store.verify_audit().unwrap().is_clean());
        store
            .raw_execute(&format!(
                "UPDATE gradebook_cells SET best_fraction = 0.9 WHERE person_id = {}",
                sam.person_id()
            ))
            .unwrap();
        let issues = store.verify_audit().unwrap().issues;
        assert_eq!(issues.len(), 1, "{issues:?}");
        assert_eq!(
            issues[0].to_string(),
            format!(
                "summary: the gradebook cell of person #{} on scenario version #1 does not match \
                 their attempts (edited outside EHR Sim)",
                sam.person_id()
            )
        );
    }
}

#[test]
fn criterion_totals_follow_each_attempt_and_an_edited_total_is_found_by_verify() {
    for store in engines("criterion_totals_follow_each_attempt") {
        let (mut store, ines, sam, _) = history(store);
        // Two findings of one criterion in one attempt add two findings to its totals.
        store
            .record_attempt(&attempt(
                sam.person_id(),
                "chest_pain",
                "2026-03-04T10:00:00Z",
                vec![
                    finding("vitals", 0.5, 1.0),
                    finding("vitals", 1.0, 1.0),
                    finding("esi", 2.0, 2.0),
                ],
            ))
            .unwrap();
        let key = ehr_sim::store::ScenarioVersionKey {
            scenario_id: "chest_pain".to_string(),
            content_hash: "chest_pain-hash-v1".to_string(),
        };
        let summary: Vec<(String, u64, u64, f64)> = store
            .criterion_stats(&ines, &key)
            .unwrap()
            .into_iter()
            .map(|s| (s.criterion_id, s.findings, s.misses, s.difficulty))
            .collect();
        // esi: 0+2+0+2+2 of 10; vitals: 1+2+2+2+0.5+1 of 10.
        assert_eq!(
            summary,
            [
                ("esi".to_string(), 5, 2, 0.6),
                ("vitals".to_string(), 6, 2, 8.5 / 10.0)
            ]
        );
        assert!(store.verify_audit().unwrap().is_clean());
        store
            .raw_execute("UPDATE criterion_totals SET misses = 0 WHERE criterion_id = 'esi'")
            .unwrap();
        let sprain = store
            .raw_i64("SELECT id FROM scenario_versions WHERE scenario_id = 'sprain'")
            .unwrap();
        store
            .raw_execute(&format!(
                "DELETE FROM criterion_totals WHERE scenario_version_id = {sprain}"
            ))
            .unwrap();
        let issues: Vec<String> = store
            .verify_audit()
            .unwrap()
            .issues
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            issues,
            [
                "summary: the totals of criterion esi on scenario version #1 do not match its \
                 findings (edited outside EHR Sim)"
                    .to_string(),
                format!(
                    "summary: the totals of criterion esi on scenario version #{sprain} do not \
                     match its findings (edited outside EHR Sim)"
                )
            ]
        );
    }
}
