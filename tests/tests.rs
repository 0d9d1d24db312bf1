//! The integration tests: one binary, one module per area.

mod cli;
mod engines;
mod grading;
mod scenarios;
mod store;
#[cfg(feature = "gui")]
mod ui;
