//! The integration tests: one binary, one module per area.

mod cli;
mod engines;
mod grading;
mod scenarios;
mod store;
mod tasks;
mod triage_hospice;
#[cfg(feature = "gui")]
mod ui;
