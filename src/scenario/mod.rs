//! Scenario files: the schema instructors write ([`schema`]), reading them ([`load`]) and
//! checking them ([`validate`]). Validation reports every problem as a
//! [`crate::diagnostic::Diagnostic`] and never panics, whatever the input.

pub mod load;
pub mod schema;
pub mod validate;

pub use crate::scenario::schema::Scenario;
pub use load::{LoadedScenario, load_file, parse};
