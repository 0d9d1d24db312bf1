//! EHR Sim: an offline simulator for learning and assessing electronic-health-record work.
//!
//! The pipeline: scenario files (RON) are loaded and validated ([`scenario`]); a scenario and a
//! seed deterministically generate a synthetic patient and its case ([`generate`]); the learner's
//! work on the case is scored against a rubric; progress is kept in SQLite. Every step in the
//! middle is a pure function over owned types: no file, clock, database or GUI inside
//! generation, tasks or grading. Input and output live at the edges ([`scenario::load`], `store`,
//! [`cli`], `ui`), so the GUI, the CLI and the tests share one core.

/// The global allocator of every program built on this library (the app, the command line,
/// the tests and benchmarks): see the dependency's note in `Cargo.toml`.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

pub mod case;
pub mod cli;
pub mod diagnostic;
pub mod fhir_export;
pub mod generate;
pub mod grading;
pub mod interop;
pub mod library;
pub mod paths;
pub mod patient;
pub mod report;
pub mod ron_input;
pub mod scenario;
pub mod service;
pub mod store;
pub mod tasks;
pub mod terminology;
#[cfg(feature = "gui")]
pub mod ui;
