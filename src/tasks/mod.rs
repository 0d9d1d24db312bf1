//! The task kinds a learner works on, one module per kind with the same shape: the structured
//! input a scenario describes, the answer-key engine that derives the key from it, and (later)
//! the learner's submission and the criteria it feeds to grading.

pub mod hospice;
pub mod triage;
