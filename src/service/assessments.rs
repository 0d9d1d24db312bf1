//! Employer assessments: creating one with its candidates' cohort, and registering a candidate
//! (the candidate, the cohort and the membership in one transaction).

use chrono::{DateTime, Utc};

use crate::store::{Assessment, NewAssessment, Session, Store, StoreError, StoreResult};

pub use crate::store::cohort_name;

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

/// What registering a candidate did, with the access code to hand them when one was issued.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registration {
    /// The candidate was created (else an existing one was added to the assessment).
    pub created: bool,
    /// The candidate's new access code, shown once: it is stored only as a hash. `None` when
    /// the candidate already had one (issue a new one with [`issue_access_code`]).
    pub access_code: Option<String>,
}

/// A new master seed from the operating system's randomness. A master seed anyone can guess
/// (1, 2026) lets them compute every candidate's seeds from the names alone, without the
/// database; a random one does not.
///
/// # Errors
/// When the operating system gives no randomness.
pub fn new_master_seed() -> StoreResult<u64> {
    let mut bytes = [0_u8; 8];
    getrandom::fill(&mut bytes).map_err(|e| StoreError::Invalid {
        field: "master seed",
        message: format!("the operating system gave no randomness: {e}"),
    })?;
    // Kept below 2^53 so that it survives JSON readers that hold numbers as doubles.
    Ok(u64::from_be_bytes(bytes) >> 11)
}

/// Letters and digits an access code is made of: no 0/O, 1/I/L, so a code read aloud or
/// copied from paper is not mistaken.
const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";

/// A new access code from the operating system's randomness: 12 characters in groups of four
/// ("K7QF-M2XD-9RTA"), about 59 bits.
///
/// # Errors
/// When the operating system gives no randomness.
pub fn new_access_code() -> StoreResult<String> {
    let mut bytes = [0_u8; 12];
    let mut code = String::with_capacity(14);
    let mut filled = 0;
    while filled < bytes.len() {
        let mut buf = [0_u8; 32];
        getrandom::fill(&mut buf).map_err(|e| StoreError::Invalid {
            field: "access code",
            message: format!("the operating system gave no randomness: {e}"),
        })?;
        // Rejection sampling keeps every character equally likely.
        let limit = u8::MAX - u8::MAX % CODE_ALPHABET.len() as u8;
        for b in buf.into_iter().filter(|b| *b < limit) {
            if let Some(slot) = bytes.get_mut(filled) {
                *slot = b;
                filled += 1;
            }
        }
    }
    for (i, b) in bytes.iter().enumerate() {
        if i > 0 && i % 4 == 0 {
            code.push('-');
        }
        let c = CODE_ALPHABET
            .get(usize::from(*b) % CODE_ALPHABET.len())
            .copied()
            .unwrap_or(b'A');
        code.push(char::from(c));
    }
    Ok(code)
}

/// Registers `candidate` for `assessment`: creates the candidate when new, with a new access
/// code, and adds them to the assessment's cohort, in one transaction.
///
/// # Errors
/// [`StoreError::NotFound`] for an unknown assessment; the store's permission and validation
/// errors (a person of another role, a bad name).
pub fn register_candidate(
    store: &mut Store,
    actor: &Session,
    assessment: &str,
    candidate: &str,
    now: &DateTime<Utc>,
) -> StoreResult<Registration> {
    let assessment = store.assessment_by_name(assessment)?;
    let code = new_access_code()?;
    let done =
        store.register_candidate(actor, &cohort_name(&assessment.name), candidate, &code, now)?;
    Ok(Registration {
        created: done.created,
        access_code: done.code_issued.then_some(code),
    })
}

/// Gives a candidate a new access code (the old one stops working) and returns it, to be shown
/// once.
///
/// # Errors
/// The store's permission and validation errors (unknown person, not a candidate).
pub fn issue_access_code(
    store: &mut Store,
    actor: &Session,
    candidate: &str,
) -> StoreResult<String> {
    let code = new_access_code()?;
    store.set_access_code(actor, candidate, &code)?;
    Ok(code)
}
