//! Employer assessments: creating one with its candidates' cohort, and registering a candidate
//! (the candidate, the cohort and the membership in one transaction).

use chrono::{DateTime, Utc};

use crate::store::{Assessment, NewAssessment, Session, Store, StoreError, StoreResult};

/// The cohort an assessment's candidates are registered in: `"<assessment> candidates"`.
#[must_use]
pub(crate) fn cohort_name(assessment: &str) -> String {
    format!("{assessment} candidates")
}

/// Creates an assessment and its candidates' cohort; returns the stored assessment.
///
/// # Errors
/// The store's errors (permission, duplicate name, invalid settings). A cohort of that name
/// that already exists is used as it is.
pub fn create(
    store: &mut Store,
    actor: &Session,
    new: &NewAssessment,
    now: &DateTime<Utc>,
) -> StoreResult<Assessment> {
    store.create_assessment(actor, new, now)?;
    match store.create_cohort(actor, &cohort_name(&new.name), now) {
        Ok(_) | Err(StoreError::Duplicate { .. }) => {}
        Err(e) => return Err(e),
    }
    store.assessment_by_name(&new.name)
}

/// Registers `candidate` for `assessment`: creates the candidate when new, and adds them to the
/// assessment's cohort, in one transaction. Returns whether the candidate was created.
///
/// # Errors
/// [`StoreError::NotFound`] for an unknown assessment; the store's permission and validation
/// errors (a person of another role, a bad name).
pub(crate) fn register_candidate(
    store: &mut Store,
    actor: &Session,
    assessment: &str,
    candidate: &str,
    now: &DateTime<Utc>,
) -> StoreResult<bool> {
    let assessment = store.assessment_by_name(assessment)?;
    store.register_candidate(actor, &cohort_name(&assessment.name), candidate, now)
}
