//! Recording a graded answer file as an attempt (`ehr-sim grade … --record --learner NAME`):
//! the learner signs in (their password or access code in `EHR_SIM_PASSWORD` when they have
//! one), or an instructor or employer admin records on their behalf with `--as`.

use std::path::Path;

use super::case_args::LoadedCase;
use super::store_args::{now, sign_in};
use crate::grading::GradeReport;
use crate::store::{Mode, Store};

/// Stores the attempt for `learner`, signed in as `actor` (default: the learner), and returns
/// its id.
///
/// # Errors
/// When the database cannot be opened, the learner does not exist, sign-in fails, or the
/// actor may not record for the learner.
pub fn record(
    loaded: &LoadedCase,
    report: &GradeReport,
    learner: &str,
    actor: Option<&str>,
    db: Option<&Path>,
) -> anyhow::Result<i64> {
    let path = crate::paths::database(db)?;
    let mut store = Store::open_any(&path)?;
    let person = store
        .person_by_name(learner)
        .map_err(|e| anyhow::anyhow!("{e}; add the learner first with `ehr-sim people add`"))?;
    let session = sign_in(&mut store, actor.unwrap_or(&person.name))?;
    let when = now();
    let attempt = crate::service::attempts::new_attempt(
        &loaded.scenario,
        &loaded.case,
        report,
        person.id,
        Mode::Practice,
        when,
        when,
    );
    Ok(store.record_attempt_as(&session, &attempt)?)
}
