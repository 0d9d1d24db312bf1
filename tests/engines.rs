//! The two rule engines of issue 6 (ESI triage and hospice), each rule worked by hand, and the
//! `ehr-sim key` CLI run on fixture files.

mod cli;
mod esi;
mod fuzz;
mod hospice;
