//! The store's CLI commands, run as the real binary.

use std::process::Output;

use ehr_sim::store::{Store, StoreError};

use super::api::{attempt, finding};
use super::{INSTRUCTOR_PASSWORD, TempDir, bin, populate};

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

fn run(args: &[&str], db: &std::path::Path, password: Option<&str>) -> Output {
    let mut cmd = bin();
    cmd.args(args).arg("--db").arg(db);
    if let Some(password) = password {
        cmd.env("EHR_SIM_PASSWORD", password);
    }
    cmd.output().unwrap()
}

/// Sam with two chest-pain attempts (25%, then 75% the next day) and a draft.
fn sample_db(dir: &TempDir) -> std::path::PathBuf {
    let path = dir.file("cli.sqlite3");
    let mut store = Store::open(&path).unwrap();
    let (_, sam, _) = populate(&mut store);
    for (at, esi) in [("2026-03-01T10:00:00Z", 0.0), ("2026-03-02T10:00:00Z", 2.0)] {
        store
            .record_attempt(&attempt(
                sam.person_id(),
                "chest_pain",
                at,
                vec![finding("esi", esi, 2.0), finding("vitals", 1.0, 2.0)],
            ))
            .unwrap();
    }
    path
}

#[test]
fn people_add_bootstraps_the_first_instructor_then_requires_sign_in() {
    let dir = TempDir::new("cli-people");
    let db = dir.file("p.sqlite3");
    let mut cmd = bin();
    cmd.args([
        "people",
        "add",
        "Ines",
        "--role",
        "instructor",
        "--password-stdin",
        "--db",
    ])
    .arg(&db);
    let out = crate::with_stdin(cmd, b"correct horse\n");
    assert_eq!(text(&out.stdout), "added Ines (instructor)\n");

    let out = run(&["people", "add", "Sam", "--role", "student"], &db, None);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        "error: a student may not add people without signing in; sign in as an instructor or employer admin \
         (only the first one may be created without signing in)\n"
    );
    let out = run(
        &["people", "add", "Sam", "--role", "student", "--as", "Ines"],
        &db,
        Some("wrong password"),
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        "error: signing in as \"Ines\" (put the password in the EHR_SIM_PASSWORD environment variable): \
         sign-in failed for \"Ines\": unknown name or wrong password\n"
    );
    let out = run(
        &["people", "add", "Sam", "--role", "student", "--as", "Ines"],
        &db,
        Some(INSTRUCTOR_PASSWORD),
    );
    assert_eq!(text(&out.stdout), "added Sam (student)\n");
    let out = run(&["people", "list"], &db, None);
    assert_eq!(
        text(&out.stdout),
        "Ines\tinstructor\tpassword\nSam\tstudent\tno password\n"
    );
}

#[test]
fn the_database_path_comes_from_ehr_sim_db_when_no_flag_is_given() {
    let dir = TempDir::new("cli-env");
    let db = dir.path().join("sub").join("env.sqlite3");
    let out = bin()
        .args(["audit", "head"])
        .env("EHR_SIM_DB", &db)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        format!("{}\n", ehr_sim::store::audit::GENESIS_HASH)
    );
    assert!(db.exists(), "created on first run");
}

#[test]
fn progress_prints_a_learners_summary() {
    let dir = TempDir::new("cli-progress");
    let db = sample_db(&dir);
    let out = run(&["progress", "--learner", "Sam"], &db, None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "Progress for Sam (student)\n\
         scenario                                 attempts    best  latest  latest submitted      passed\n\
         chest_pain@chest_pa                             2   75.0%   75.0%  2026-03-02T10:00:00Z  yes\n\
         Mastery per competency (mean over all attempts; last day):\n\
         \x20 documentation                            50.0% over 2 attempt(s), last 2026-03-02\n\
         \x20 triage                                   50.0% over 2 attempt(s), last 2026-03-02\n"
    );
    let out = run(&["progress", "--learner", "Sam", "--as", "Ana"], &db, None);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        "error: a student may not see another learner's progress; sign in as an instructor or employer admin\n"
    );
}

#[test]
fn gradebook_export_writes_csv_and_xapi() {
    let dir = TempDir::new("cli-export");
    let db = sample_db(&dir);
    let csv_path = dir.file("grades.csv");
    let out = run(
        &[
            "gradebook",
            "export",
            "--cohort",
            "Spring 2026",
            "--format",
            "csv",
            "--as",
            "Ines",
            "--output",
            csv_path.to_str().unwrap(),
        ],
        &db,
        Some(INSTRUCTOR_PASSWORD),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        std::fs::read_to_string(&csv_path).unwrap(),
        "learner,role,scenario_id,scenario_version,attempts,best_percent,latest_percent,latest_passed,latest_submitted_at\r\n\
         Ana,student,,,0,,,,\r\n\
         Sam,student,chest_pain,chest_pain-hash-v1,2,75.0,75.0,yes,2026-03-02T10:00:00Z\r\n"
    );
    let out = run(
        &["gradebook", "export", "--format", "xapi", "--as", "Ines"],
        &db,
        Some(INSTRUCTOR_PASSWORD),
    );
    let statements: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(statements.as_array().unwrap().len(), 2);
    let out = run(
        &["gradebook", "export", "--format", "pdf", "--as", "Ines"],
        &db,
        Some(INSTRUCTOR_PASSWORD),
    );
    assert_eq!(
        text(&out.stderr),
        "error: invalid format: \"pdf\" is not an export format; use csv, json or xapi\n"
    );
    let out = run(&["gradebook", "show", "--as", "Sam"], &db, None);
    assert_eq!(
        text(&out.stderr),
        "error: a student may not see the gradebook; sign in as an instructor or employer admin\n"
    );
}

#[test]
fn a_bad_database_file_is_a_clear_cli_error() {
    let dir = TempDir::new("cli-bad");
    let db = dir.file("bad.sqlite3");
    std::fs::write(
        &db,
        b"this is a text file, not a database, padded to be long enough for a header....",
    )
    .unwrap();
    let out = run(&["audit", "verify"], &db, None);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        format!(
            "error: {}: not an SQLite database (the file header is unreadable: random bytes or another file type); \
             move it aside or pass a different file with --db PATH\n",
            db.display()
        )
    );
}

#[test]
fn assessment_create_seeds_and_results() {
    use ehr_sim::store::{Mode, Role, derive_candidate_seed};
    let dir = TempDir::new("cli-assessment");
    let db = dir.file("a.sqlite3");
    {
        let mut store = Store::open(&db).unwrap();
        let (ines, _, _) = populate(&mut store);
        store
            .create_person(Some(&ines), "Casey", Role::Candidate, None, &super::now())
            .unwrap();
    }
    let out = run(
        &[
            "assessment",
            "create",
            "ED intake",
            "--scenario",
            "adult_chest_pain",
            "--scenario",
            "infant_fever",
            "--time-limit-mins",
            "60",
            "--pass-mark-percent",
            "75",
            "--seed",
            "2026",
            "--as",
            "Ines",
        ],
        &db,
        Some(INSTRUCTOR_PASSWORD),
    );
    assert_eq!(
        text(&out.stdout),
        "created assessment ED intake (2 scenario(s)), master seed 2026\n",
        "{}",
        text(&out.stderr)
    );
    let out = run(
        &[
            "assessment",
            "seeds",
            "ED intake",
            "--candidate",
            "Casey",
            "--as",
            "Ines",
        ],
        &db,
        Some(INSTRUCTOR_PASSWORD),
    );
    let chest = derive_candidate_seed(2026, "adult_chest_pain", "Casey");
    let fever = derive_candidate_seed(2026, "infant_fever", "Casey");
    assert_eq!(
        text(&out.stdout),
        format!("adult_chest_pain\t{chest}\ninfant_fever\t{fever}\n")
    );

    let out = run(
        &[
            "assessment",
            "register",
            "ED intake",
            "--candidate",
            "Casey",
            "--as",
            "Ines",
        ],
        &db,
        Some(INSTRUCTOR_PASSWORD),
    );
    let printed = text(&out.stdout);
    let code = printed
        .lines()
        .find_map(|l| l.strip_prefix("access code for Casey: "))
        .unwrap_or_else(|| panic!("no access code printed: {printed}"))
        .to_string();
    assert_eq!(
        printed,
        format!(
            "registered Casey for ED intake\naccess code for Casey: {code}\n\
             (shown once: only its hash is stored; give it to the candidate to sign in)\n"
        )
    );
    let head = {
        let mut store = Store::open(&db).unwrap();
        assert!(
            store.sign_in("Casey", None).is_err(),
            "a candidate needs the code"
        );
        let casey = store.sign_in("Casey", Some(&code)).unwrap();
        let sitting = store
            .start_sitting(
                &casey,
                "ED intake",
                "Casey",
                &super::at("2026-03-05T09:00:00Z"),
            )
            .unwrap();
        for ((scenario, seed), (at, points)) in sitting
            .seeds
            .iter()
            .zip([("2026-03-05T09:20:00Z", 4.0), ("2026-03-05T09:40:00Z", 3.0)])
        {
            let mut a = attempt(
                casey.person_id(),
                scenario,
                at,
                vec![finding("esi", points, 4.0)],
            );
            a.mode = Mode::Assessment;
            a.sitting_id = Some(sitting.id);
            a.seed = *seed;
            store.record_attempt_as(&casey, &a).unwrap();
        }
        store.audit_head().unwrap()
    };
    let out = run(
        &["assessment", "results", "ED intake", "--as", "Ines"],
        &db,
        Some(INSTRUCTOR_PASSWORD),
    );
    assert_eq!(
        text(&out.stdout),
        format!(
            "Assessment ED intake: 2 scenario(s), time limit 60 min, pass mark 75.0%\n\
             results not yet released to the candidates (ehr-sim assessment release)\n\
             candidate                        done     score  percent over time  result\n\
             Casey                             2/2       7/8    87.5%        no  PASS\n\
             audit chain head: {head}\n"
        )
    );
}

/// Every door asks for the right sign-in: a candidate's seeds, keys and graded feedback of a
/// scenario in an assessment not yet released, recording for someone else, and the synthetic
/// attempt writer are for staff; a learner with a password records only with it.
#[test]
fn every_door_asks_for_the_right_sign_in() {
    use ehr_sim::store::{NewAssessment, Role};
    const SCENARIO: &str = "office_htn_diabetes_followup";
    let dir = TempDir::new("cli-doors");
    let db = dir.file("doors.sqlite3");
    let code = {
        let mut store = Store::open(&db).unwrap();
        let (ines, _, _) = populate(&mut store);
        store
            .create_person(
                Some(&ines),
                "Pat",
                Role::Student,
                Some("pat's secret"),
                &super::now(),
            )
            .unwrap();
        store
            .create_person(
                Some(&ines),
                "Erin",
                Role::EmployerAdmin,
                Some("employer pw 1"),
                &super::now(),
            )
            .unwrap();
        ehr_sim::service::assessments::create(
            &mut store,
            &ines,
            &NewAssessment {
                name: "Exam1".to_string(),
                scenario_ids: vec![SCENARIO.to_string()],
                time_limit_secs: 3600,
                pass_mark_fraction: 0.7,
                master_seed: 9,
                show_drg: false,
            },
            &super::now(),
        )
        .unwrap();
        ehr_sim::service::assessments::register_candidate(
            &mut store,
            &ines,
            "Exam1",
            "Cara",
            &super::now(),
        )
        .unwrap()
        .access_code
        .unwrap()
    };
    let fails_with = |out: &Output, needle: &str| {
        assert!(!out.status.success(), "{}", text(&out.stdout));
        let err = text(&out.stderr);
        assert!(err.contains(needle), "{err}");
    };
    // A candidate's seeds: staff only.
    let seeds = ["assessment", "seeds", "Exam1", "--candidate", "Cara"];
    fails_with(&run(&seeds, &db, None), "--as");
    let as_cara = [&seeds[..], &["--as", "Cara"]].concat();
    fails_with(
        &run(&as_cara, &db, Some(&code)),
        "only an instructor or employer admin",
    );
    let as_ines = [&seeds[..], &["--as", "Ines"]].concat();
    assert!(
        run(&as_ines, &db, Some(INSTRUCTOR_PASSWORD))
            .status
            .success()
    );

    // The key of a scenario in an open assessment: staff only.
    let key = ["key", "show", SCENARIO, "--seed", "1"];
    fails_with(&run(&key, &db, None), "is part of assessment \"Exam1\"");
    let key_as_sam = [&key[..], &["--as", "Sam"]].concat();
    fails_with(&run(&key_as_sam, &db, None), "Sam is a student");
    let key_as_ines = [&key[..], &["--as", "Ines"]].concat();
    let shown = run(&key_as_ines, &db, Some(INSTRUCTOR_PASSWORD));
    assert!(shown.status.success(), "{}", text(&shown.stderr));
    let answers = dir.file("key.ron");
    std::fs::write(&answers, &shown.stdout).unwrap();
    let answers = answers.to_str().unwrap();
    // Grading shows the key in its feedback: staff only, too.
    let grade = ["grade", SCENARIO, "--seed", "1", "--answers", answers];
    fails_with(&run(&grade, &db, None), "grading with feedback");
    {
        let mut store = Store::open(&db).unwrap();
        let erin = store.sign_in("Erin", Some("employer pw 1")).unwrap();
        store
            .release_results(&erin, "Exam1", &super::now())
            .unwrap();
    }
    assert!(
        run(&key, &db, None).status.success(),
        "released: open again"
    );

    // Recording: the learner signs in; staff may record for anyone.
    let record = |learner: &'static str| -> Vec<&str> {
        [&grade[..], &["--record", "--learner", learner]].concat()
    };
    fails_with(&run(&record("Pat"), &db, None), "signing in as \"Pat\"");
    fails_with(
        &run(&record("Pat"), &db, Some("wrong")),
        "signing in as \"Pat\"",
    );
    assert!(
        run(&record("Pat"), &db, Some("pat's secret"))
            .status
            .success()
    );
    fails_with(&run(&record("Cara"), &db, None), "signing in as \"Cara\"");
    fails_with(&run(&record("Ines"), &db, None), "signing in as \"Ines\"");
    let for_sam = [&record("Sam")[..], &["--as", "Ana"]].concat();
    fails_with(
        &run(&for_sam, &db, None),
        "record an attempt for another learner",
    );
    let for_sam = [&record("Sam")[..], &["--as", "Ines"]].concat();
    assert!(
        run(&for_sam, &db, Some(INSTRUCTOR_PASSWORD))
            .status
            .success()
    );

    // The synthetic attempt writer: staff only.
    let stress = ["store-stress", "--learner", "Sam", "--count", "1"];
    fails_with(&run(&stress, &db, None), "--as");
    let stress_as_sam = [&stress[..], &["--as", "Sam"]].concat();
    fails_with(
        &run(&stress_as_sam, &db, None),
        "only an instructor or employer admin",
    );
    let store = Store::open(&db).unwrap();
    let recorded: i64 = store
        .raw_connection()
        .unwrap()
        .query_row("SELECT count(*) FROM attempts", [], |r| r.get(0))
        .unwrap();
    assert_eq!(recorded, 2, "Pat's own and Sam's by Ines");
}

/// Output files never replace the progress database, and replace another file only with
/// --force; a refused report is refused before anything is recorded.
#[test]
fn outputs_never_overwrite_the_database_or_a_file_without_force() {
    let dir = TempDir::new("cli-outputs");
    let db = sample_db(&dir);
    let db_path = db.to_str().unwrap();
    let before = std::fs::read(&db).unwrap();
    let export = |output: &str, force: bool| {
        let mut args = vec![
            "gradebook",
            "export",
            "--format",
            "csv",
            "--as",
            "Ines",
            "--output",
            output,
        ];
        if force {
            args.push("--force");
        }
        run(&args, &db, Some(INSTRUCTOR_PASSWORD))
    };
    for force in [false, true] {
        let out = export(db_path, force);
        assert!(!out.status.success());
        assert!(
            text(&out.stderr)
                .contains("is the progress database: write the output to another file"),
            "{}",
            text(&out.stderr)
        );
    }
    let report = [
        "report", "attempt", "1", "--as", "Ines", "--output", db_path, "--force",
    ];
    let out = run(&report, &db, Some(INSTRUCTOR_PASSWORD));
    assert!(
        text(&out.stderr).contains("is the progress database"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(
        std::fs::read(&db).unwrap(),
        before,
        "the database is untouched"
    );
    // An existing file: refused, then replaced with --force.
    let csv = dir.file("grades.csv");
    std::fs::write(&csv, "keep me").unwrap();
    let out = export(csv.to_str().unwrap(), false);
    assert!(
        text(&out.stderr).contains("already exists: pass --force to replace it"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(std::fs::read_to_string(&csv).unwrap(), "keep me");
    assert!(export(csv.to_str().unwrap(), true).status.success());
    assert!(
        std::fs::read_to_string(&csv)
            .unwrap()
            .starts_with("learner,role,")
    );
    // grade --record --report-html over the database: refused before recording.
    let store = Store::open(&db).unwrap();
    let count = |s: &Store| -> i64 {
        s.raw_connection()
            .unwrap()
            .query_row("SELECT count(*) FROM attempts", [], |r| r.get(0))
            .unwrap()
    };
    let attempts = count(&store);
    drop(store);
    let template = bin()
        .args(["answers", "template", "adult_chest_pain", "--seed", "1"])
        .output()
        .unwrap();
    let blank = dir.file("blank.ron");
    std::fs::write(&blank, &template.stdout).unwrap();
    let out = run(
        &[
            "grade",
            "adult_chest_pain",
            "--seed",
            "1",
            "--answers",
            blank.to_str().unwrap(),
            "--record",
            "--learner",
            "Sam",
            "--report-html",
            db_path,
        ],
        &db,
        None,
    );
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("is the progress database"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(
        count(&Store::open(&db).unwrap()),
        attempts,
        "nothing recorded"
    );
}

/// Without `--seed`, each assessment gets a random master seed, printed for the employer: a
/// guessable one (1, 2026) would let anyone compute every candidate's seeds from their names.
#[test]
fn an_assessment_without_a_typed_seed_gets_a_random_one() {
    let dir = TempDir::new("cli-random-seed");
    let db = sample_db(&dir);
    let mut seeds = Vec::new();
    for name in ["Screen A", "Screen B"] {
        let out = run(
            &[
                "assessment",
                "create",
                name,
                "--scenario",
                "adult_chest_pain",
                "--time-limit-mins",
                "30",
                "--pass-mark-percent",
                "75",
                "--as",
                "Ines",
            ],
            &db,
            Some(INSTRUCTOR_PASSWORD),
        );
        let printed = text(&out.stdout);
        let seed: u64 = printed
            .strip_prefix(&format!(
                "created assessment {name} (1 scenario(s)), master seed "
            ))
            .and_then(|rest| rest.trim_end().parse().ok())
            .unwrap_or_else(|| panic!("{printed}{}", text(&out.stderr)));
        let mut store = Store::open(&db).unwrap();
        let ines = store.sign_in("Ines", Some(INSTRUCTOR_PASSWORD)).unwrap();
        let stored = store.master_seed(&ines, name).unwrap();
        assert_eq!(seed, stored);
        assert!(seed > 1 << 32, "{seed}");
        assert!(seed < 1 << 53, "{seed} stays exact in JSON readers");
        seeds.push(seed);
    }
    assert_ne!(seeds[0], seeds[1]);
}

/// An assessment of a scenario the library does not have would give candidates an item that
/// does not open: `assessment create` refuses it and names the near ids.
#[test]
fn an_assessment_of_an_unknown_scenario_is_refused() {
    let dir = TempDir::new("cli-unknown-scenario");
    let db = sample_db(&dir);
    let out = run(
        &[
            "assessment",
            "create",
            "Typo exam",
            "--scenario",
            "adult_chest_pian",
            "--time-limit-mins",
            "30",
            "--pass-mark-percent",
            "75",
            "--as",
            "Ines",
        ],
        &db,
        Some(INSTRUCTOR_PASSWORD),
    );
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains("scenario \"adult_chest_pian\" of the assessment")
            && err.contains("no scenario has the id `adult_chest_pian`")
            && err.contains("adult_chest_pain"),
        "{err}"
    );
    let store = Store::open(&db).unwrap();
    assert!(matches!(
        store.assessment_by_name("Typo exam"),
        Err(StoreError::NotFound { .. })
    ));
}

/// `bench progress` on a small file prints each figure, the disk's own flush beside the saves,
/// leaves no probe file behind, and leaves a database that verifies.
#[test]
fn store_bench_prints_its_figures_and_leaves_a_verified_file() {
    let dir = TempDir::new("store-bench");
    let path = dir.file("bench.sqlite3");
    let out = bin()
        .args(["bench", "progress", "--db"])
        .arg(&path)
        .args(["--saves", "20", "--attempts", "60", "--learners", "5"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<&str> = text.lines().collect();
    let starts = [
        "attempt save (durable commit, synchronous=FULL, WAL), 20 saves, 8 findings each:",
        "  median ",
        "one 4 KiB write and flush of a file beside it, after each save: median ",
        "filled to 60 attempts in ",
        "gradebook, all 5 learners x 20 scenario versions over 60 attempts: median ",
        "gradebook, one cohort (1 learners): median ",
        "criterion stats, one scenario version: median ",
        "audit verify, whole chain: ",
        "database file: ",
    ];
    assert_eq!(lines.len(), starts.len(), "{text}");
    for (line, start) in lines.iter().zip(starts) {
        assert!(
            line.starts_with(start),
            "{line:?} should start with {start:?}"
        );
    }
    let mut probe = path.clone().into_os_string();
    probe.push(".flush-probe");
    assert!(!std::path::Path::new(&probe).exists());
    let store = Store::open(&path).unwrap();
    assert!(store.verify_audit().unwrap().is_clean());
    assert_eq!(store.raw_i64("SELECT count(*) FROM attempts").unwrap(), 60);
}
