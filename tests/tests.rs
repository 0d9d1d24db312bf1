//! The integration tests: one binary, one module per area.

mod architecture;
mod charting_coding;
mod cli;
mod doc_citations;
mod engines;
mod grading;
mod interop;
mod pcs_tables;
mod report;
mod scenarios;
mod service;
mod store;
mod tasks;
mod terminology;
mod triage_hospice;
#[cfg(feature = "gui")]
mod ui;
#[cfg(feature = "gui")]
mod ui_board;
#[cfg(feature = "gui")]
mod ui_export;
#[cfg(feature = "gui")]
mod ui_staff;
#[cfg(feature = "gui")]
mod ui_timeline;
