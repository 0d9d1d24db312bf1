//! The integration tests: one binary, one module per area.

mod cli;
mod engines;
mod grading;
mod scenarios;
mod store;
mod tasks;
mod terminology;
#[cfg(feature = "gui")]
mod ui;
#[cfg(feature = "gui")]
mod ui_staff;
