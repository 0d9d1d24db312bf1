//! Claims: the professional (CMS-1500) and institutional (UB-04) claim, the NPI check and a
//! scrubber that checks a claim the way a clearinghouse or the Medicare front end would before
//! it is paid (`ehr-sim claim check FILE`). docs/domain/claims.md.
//!
//! The model ([`model`]), the NPI check digit ([`npi`]) and the edits ([`scrub`]) are the
//! foundation of the claims task kind ([`task`]): its scenario settings ([`spec`]), the case a
//! biller works from ([`case`]) and the key claim derived from it ([`key`]). Everything here is
//! pure.

pub mod case;
pub mod fhir;
pub mod hospice_case;
pub mod hospice_claim;
pub mod key;
pub mod model;
pub mod npi;
pub mod scrub;
pub mod spec;
pub mod task;

use std::path::Path;

pub use model::{Claim, Cms1500, Ub04};
pub use scrub::{Finding, Severity, check};
pub use task::Claims;

use crate::diagnostic::Diagnostic;

/// Reads a claim written in RON or JSON: JSON when the file name ends in `.json` or the text
/// starts with `{`, RON otherwise. A byte-order mark is tolerated.
///
/// # Errors
/// A [`Diagnostic`] with the line and column of the first problem (an unknown or missing field
/// is named, with the allowed fields for RON).
pub fn parse(file: &Path, text: &str) -> Result<Claim, Diagnostic> {
    let text = crate::ron_input::without_bom(text);
    let json = file
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
        || text.trim_start().starts_with('{');
    if json {
        serde_json::from_str(text).map_err(|err| {
            let message = err.to_string();
            // serde_json appends " at line L column C": the position is reported separately.
            let message = message
                .rsplit_once(" at line ")
                .map_or(message.as_str(), |(m, _)| m)
                .to_string();
            Diagnostic::at_position(file, err.line(), err.column(), message)
        })
    } else {
        crate::ron_input::ron_options()
            .from_str(text)
            .map_err(|err| crate::ron_input::ron_diagnostic(file, &err))
    }
}
