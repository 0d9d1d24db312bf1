//! The integration tests: one binary, one module per area.

mod cli;
mod engines;
mod interop;
mod scenarios;
mod store;
