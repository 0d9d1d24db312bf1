//! The integration tests: one binary, one module per area.

// A failed fixture or a missing widget is a failed test: tests unwrap and expect freely (the
// library's `unwrap_used`/`expect_used` policy is for code users run).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod architecture;
mod charting_coding;
mod cli;
mod coding_severity;
mod doc_citations;
mod encoder;
mod engines;
mod grading;
mod hygiene;
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
mod ui_encoder;
#[cfg(feature = "gui")]
mod ui_export;
#[cfg(feature = "gui")]
mod ui_forms;
#[cfg(feature = "gui")]
mod ui_integrity;
#[cfg(feature = "gui")]
mod ui_polish;
#[cfg(feature = "gui")]
mod ui_staff;
#[cfg(feature = "gui")]
mod ui_timeline;
