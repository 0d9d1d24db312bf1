//! The integration tests: one binary, one module per area.

mod cli;
mod engines;
mod scenarios;
mod store;
