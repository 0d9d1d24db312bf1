//! The integration tests: one binary, one module per area.

mod cli;
mod scenarios;
mod store;
mod engines;
