//! `ehr-sim assessment create|register|access-code|release|seeds|results`: employer assessments
//! from the command line. Every action needs `--as` an employer admin or instructor (password
//! in `EHR_SIM_PASSWORD`; `release` an employer admin). `register` prints a new candidate's
//! access code once (only its hash is stored); `access-code` issues a new one; `release` shows
//! the candidates their results; `seeds` prints a candidate's per-scenario seeds (for `ehr-sim generate`
//! — the same seeds the sitting enforces); `results` ends with the audit chain head to keep;
//! `keygen` writes an Ed25519 key pair and `seal` signs the chain head with the private key, so
//! that `ehr-sim audit verify --public-key` detects a chain recomputed after an edit.

use std::process::ExitCode;

use anyhow::Context as _;

use crate::cli::store_args::{DbArgs, now, sign_in};
use crate::store::{NewAssessment, derive_candidate_seed};

/// Arguments.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// What to do.
    #[command(subcommand)]
    pub action: Action,
}

/// The assessment actions.
#[derive(Debug, clap::Subcommand)]
pub enum Action {
    /// Create an assessment from scenarios.
    Create {
        /// Unique name.
        name: String,
        /// A scenario id (repeat for each, in order).
        #[arg(long = "scenario", required = true, value_name = "ID")]
        scenarios: Vec<String>,
        /// Time allowed for the whole sitting, in minutes.
        #[arg(long, value_name = "MINUTES")]
        time_limit_mins: u64,
        /// Pass mark as a percentage of the total points.
        #[arg(long, value_name = "PERCENT")]
        pass_mark_percent: f64,
        /// Master seed the candidates' seeds derive from (default: a random one, printed).
        /// A seed anyone can guess lets them compute every candidate's seeds from the names.
        #[arg(long)]
        seed: Option<u64>,
        /// Show candidates the MS-DRG their inpatient codes group to as they code (practice
        /// always shows it; an assessment does not unless this is given).
        #[arg(long)]
        show_drg: bool,
        /// Who is creating it.
        #[arg(long = "as", value_name = "NAME")]
        actor: String,
        /// The database.
        #[command(flatten)]
        db: DbArgs,
    },
    /// Register a candidate (created when new) in the assessment's candidates cohort.
    Register {
        /// Assessment name.
        name: String,
        /// Candidate's name.
        #[arg(long)]
        candidate: String,
        /// Who is registering them.
        #[arg(long = "as", value_name = "NAME")]
        actor: String,
        /// The database.
        #[command(flatten)]
        db: DbArgs,
    },
    /// Issue a candidate a new access code (the old one stops working); printed once.
    AccessCode {
        /// Assessment name (the candidate must be registered for it).
        name: String,
        /// Candidate's name.
        #[arg(long)]
        candidate: String,
        /// Who is issuing it.
        #[arg(long = "as", value_name = "NAME")]
        actor: String,
        /// The database.
        #[command(flatten)]
        db: DbArgs,
    },
    /// Release the results to the candidates (until then they see no score or finding).
    Release {
        /// Assessment name.
        name: String,
        /// The employer admin releasing them.
        #[arg(long = "as", value_name = "NAME")]
        actor: String,
        /// The database.
        #[command(flatten)]
        db: DbArgs,
    },
    /// Print a candidate's seed for each scenario of an assessment (staff only: with the seed,
    /// the key of the candidate's case can be printed).
    Seeds {
        /// Assessment name.
        name: String,
        /// Candidate's name.
        #[arg(long)]
        candidate: String,
        /// The instructor or employer admin asking.
        #[arg(long = "as", value_name = "NAME")]
        actor: String,
        /// The database.
        #[command(flatten)]
        db: DbArgs,
    },
    /// Write a new Ed25519 key pair for sealing: the private key to FILE (readable only by
    /// you; keep it off the machine that holds the database) and the public key to FILE.pub.
    Keygen {
        /// Where to write the private key (PKCS#8 PEM); never overwritten.
        #[arg(long, value_name = "FILE")]
        out: std::path::PathBuf,
    },
    /// Seal the assessment: sign the audit chain head with your private key. The seal (public
    /// key and signature) is stored and printed on the assessment report.
    Seal {
        /// Assessment name.
        name: String,
        /// The private key file (from `assessment keygen` or `openssl genpkey -algorithm ed25519`).
        #[arg(long, value_name = "FILE")]
        key: std::path::PathBuf,
        /// The employer admin or instructor sealing it.
        #[arg(long = "as", value_name = "NAME")]
        actor: String,
        /// The database.
        #[command(flatten)]
        db: DbArgs,
    },
    /// Every candidate's result and the audit chain head.
    Results {
        /// Assessment name.
        name: String,
        /// Who is asking.
        #[arg(long = "as", value_name = "NAME")]
        actor: String,
        /// The database.
        #[command(flatten)]
        db: DbArgs,
    },
}

/// Refuses scenario ids that are not scenarios of the library, or whose scenario has
/// validation errors: candidates would meet an item that does not open.
fn check_scenarios(ids: &[String]) -> anyhow::Result<()> {
    for id in ids {
        let found = crate::cli::case_args::load_valid_scenario(id)
            .with_context(|| format!("scenario {id:?} of the assessment"))?;
        if found.scenario.id != *id {
            anyhow::bail!(
                "scenario {id:?} of the assessment: give the scenario's id ({:?}), not its file",
                found.scenario.id
            );
        }
    }
    Ok(())
}

/// Signs `actor` in and checks they are an instructor or employer admin (for `what`).
fn staff(
    store: &mut crate::store::Store,
    actor: &str,
    what: &str,
) -> anyhow::Result<crate::store::Session> {
    let session = sign_in(store, actor)?;
    if !session.role().is_privileged() {
        anyhow::bail!(
            "{} is a {}: only an instructor or employer admin may {what}",
            session.name(),
            session.role()
        );
    }
    Ok(session)
}

/// `assessment access-code`: a new code for a registered candidate, printed once.
fn access_code(name: &str, candidate: &str, actor: &str, db: &DbArgs) -> anyhow::Result<()> {
    let mut store = db.open()?;
    let session = sign_in(&mut store, actor)?;
    let cohort = crate::service::assessments::cohort_name(&store.assessment_by_name(name)?.name);
    let person = store.person_by_name(candidate)?;
    let registered = store
        .list_cohorts()?
        .iter()
        .any(|c| c.name == cohort && c.members.contains(&person.name));
    if !registered {
        anyhow::bail!(
            "{} is not registered for {name}: register them first",
            person.name
        );
    }
    let code = crate::service::assessments::issue_access_code(&mut store, &session, &person.name)?;
    println!(
        "new access code for {}: {code}\n(shown once; the previous code no longer works)",
        person.name
    );
    Ok(())
}

/// `assessment keygen`: a new key pair, the private half written only by its owner.
fn keygen(out: &std::path::Path) -> anyhow::Result<()> {
    let public = {
        let mut name = out.as_os_str().to_os_string();
        name.push(".pub");
        std::path::PathBuf::from(name)
    };
    for path in [out, public.as_path()] {
        if path.exists() {
            anyhow::bail!(
                "{} already exists: a key is never overwritten (choose another --out, or move the old key away first)",
                path.display()
            );
        }
    }
    let (private_pem, public_pem) = crate::store::seal::generate_key_pair()?;
    write_new(out, private_pem.as_bytes(), true)?;
    write_new(&public, public_pem.as_bytes(), false)?;
    println!(
        "private key: {} (keep it secret and off the machine that holds the database)\npublic key:  {} (give it to whoever verifies)",
        out.display(),
        public.display()
    );
    Ok(())
}

/// Creates `path` (failing if it exists) with `bytes`; `private` makes it readable only by its
/// owner on Unix.
fn write_new(path: &std::path::Path, bytes: &[u8], private: bool) -> anyhow::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(if private { 0o600 } else { 0o644 });
    }
    #[cfg(not(unix))]
    let _ = private;
    let mut file = options
        .open(path)
        .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", path.display()))?;
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
    Ok(())
}

/// `assessment seal`: signs the chain head with the employer's private key.
fn seal(name: &str, key: &std::path::Path, actor: &str, db: &DbArgs) -> anyhow::Result<()> {
    let key = crate::store::seal::read_signing_key(key)?;
    let mut store = db.open()?;
    let session = staff(&mut store, actor, "seal assessments")?;
    let seal = store.seal_assessment(&session, name, &key, &now())?;
    println!(
        "sealed {}: {} link(s), chain head {}\npublic key: {}\nsignature:  {}\nsealed at:  {} by {}",
        seal.assessment,
        seal.links,
        seal.head,
        seal.public_key,
        seal.signature,
        seal.sealed_at,
        seal.sealed_by
    );
    Ok(())
}

fn pct(fraction: f64) -> String {
    format!("{:.1}%", fraction * 100.0)
}

/// Runs the command.
///
/// # Errors
/// When the database cannot be opened, sign-in fails, or the store refuses the request.
pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    match &args.action {
        Action::Create {
            name,
            scenarios,
            time_limit_mins,
            pass_mark_percent,
            seed,
            show_drg,
            actor,
            db,
        } => {
            check_scenarios(scenarios)?;
            let mut store = db.open()?;
            let session = sign_in(&mut store, actor)?;
            let seed = match seed {
                Some(seed) => *seed,
                None => crate::service::assessments::new_master_seed()?,
            };
            let new = NewAssessment {
                name: name.clone(),
                scenario_ids: scenarios.clone(),
                time_limit_secs: time_limit_mins.saturating_mul(60),
                pass_mark_fraction: pass_mark_percent / 100.0,
                master_seed: seed,
                show_drg: *show_drg,
            };
            crate::service::assessments::create(&mut store, &session, &new, &now())?;
            println!(
                "created assessment {name} ({} scenario(s)), master seed {seed}",
                scenarios.len()
            );
        }
        Action::Register {
            name,
            candidate,
            actor,
            db,
        } => {
            let mut store = db.open()?;
            let session = sign_in(&mut store, actor)?;
            let done = crate::service::assessments::register_candidate(
                &mut store,
                &session,
                name,
                candidate,
                &now(),
            )?;
            let candidate = candidate.trim();
            if done.created {
                println!("added candidate {candidate} and registered them for {name}");
            } else {
                println!("registered {candidate} for {name}");
            }
            match done.access_code {
                Some(code) => println!(
                    "access code for {candidate}: {code}\n(shown once: only its hash is stored; give it to the candidate to sign in)"
                ),
                None => println!(
                    "{candidate} keeps the access code issued before (a new one: ehr-sim assessment access-code)"
                ),
            }
        }
        Action::AccessCode {
            name,
            candidate,
            actor,
            db,
        } => access_code(name, candidate, actor, db)?,
        Action::Release { name, actor, db } => {
            let mut store = db.open()?;
            let session = sign_in(&mut store, actor)?;
            let assessment = store.release_results(&session, name, &now())?;
            println!(
                "results of {} released to its candidates at {}",
                assessment.name,
                assessment.results_released_at.as_deref().unwrap_or("?")
            );
        }
        Action::Seeds {
            name,
            candidate,
            actor,
            db,
        } => {
            let mut store = db.open()?;
            let session = staff(&mut store, actor, "see candidates' seeds")?;
            let assessment = store.assessment_by_name(name)?;
            let candidate = store.person_by_name(candidate)?;
            let master = store.master_seed(&session, &assessment.name)?;
            for scenario in &assessment.scenario_ids {
                let seed = derive_candidate_seed(master, scenario, &candidate.name);
                println!("{scenario}\t{seed}");
            }
        }
        Action::Keygen { out } => keygen(out)?,
        Action::Seal {
            name,
            key,
            actor,
            db,
        } => seal(name, key, actor, db)?,
        Action::Results { name, actor, db } => {
            let mut store = db.open()?;
            let session = sign_in(&mut store, actor)?;
            let assessment = store.assessment_by_name(name)?;
            let results = store.assessment_results(&session, name, &super::store_args::now())?;
            println!(
                "Assessment {}: {} scenario(s), time limit {} min, pass mark {}",
                assessment.name,
                assessment.scenario_ids.len(),
                assessment.time_limit_secs / 60,
                pct(assessment.pass_mark_fraction)
            );
            match &assessment.results_released_at {
                Some(at) => println!("results released to the candidates at {at}"),
                None => println!(
                    "results not yet released to the candidates (ehr-sim assessment release)"
                ),
            }
            println!(
                "{:<30} {:>6} {:>9} {:>8} {:>9}  result",
                "candidate", "done", "score", "percent", "over time"
            );
            for r in results {
                println!(
                    "{:<30} {:>6} {:>9} {:>8} {:>9}  {}",
                    r.candidate,
                    format!("{}/{}", r.scenarios_done, r.scenarios_total),
                    format!("{}/{}", r.score, r.max),
                    pct(r.fraction),
                    if r.over_time { "yes" } else { "no" },
                    r.verdict.label()
                );
            }
            println!("audit chain head: {}", store.audit_head()?);
            for seal in store.seals(Some(&assessment.name))? {
                println!(
                    "sealed at {} by {}: {} link(s), head {}, public key {}",
                    seal.sealed_at, seal.sealed_by, seal.links, seal.head, seal.public_key
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
