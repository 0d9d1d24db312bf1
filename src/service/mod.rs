//! The service layer: every operation with rules that the desktop app and the CLI both perform.
//!
//! Both shells call these functions and never each other (`src/ui` and `src/cli` do not import
//! one another; `main.rs` dispatches). The rules live here once: which scenarios the library
//! offers and which problems keep one out ([`library`]), how a case is graded against its
//! rubric ([`grading`]), what a recorded attempt holds ([`attempts`]), how a candidate is
//! registered for an assessment ([`assessments`]), and the chart printout ([`chart_text`]).
//!
//! The clock and the data folder come in from the edges: functions that stamp a time take
//! `now`, functions that touch files take their paths (see [`crate::paths`]).

pub mod assessments;
pub mod attempts;
pub mod case_bank;
pub mod chart_text;
pub mod grading;
pub mod library;
pub mod plausibility;
