//! Recording a graded answer file as an attempt (`ehr-sim grade … --record --learner NAME`).

use std::path::Path;

use super::case_args::LoadedCase;
use super::store_args::now;
use crate::grading::GradeReport;
use crate::store::{Mode, Store};

/// Stores the attempt for `learner` and returns its id.
///
/// # Errors
/// When the database cannot be opened or the learner does not exist.
pub fn record(
    loaded: &LoadedCase,
    report: &GradeReport,
    learner: &str,
    db: Option<&Path>,
) -> anyhow::Result<i64> {
    let path = crate::paths::database(db)?;
    let mut store = Store::open(&path)?;
    let person = store
        .person_by_name(learner)
        .map_err(|e| anyhow::anyhow!("{e}; add the learner first with `ehr-sim people add`"))?;
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
    Ok(store.record_attempt(&attempt)?)
}
