//! Reading scenario files from disk and turning parser errors into diagnostics.
//!
//! [`parse`] is pure (text in, scenario or diagnostics out); [`load_file`] and [`load_dir`] do
//! the file IO. RON's `implicit_some` extension is on, so optional fields are written plainly.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diagnostic::Diagnostic;
use crate::interop::synthea::{self, ImportedPatient};
use crate::patient::spec::PatientSource;
use crate::ron_input::{ron_diagnostic, ron_options, sha256_hex};
use crate::scenario::schema::Scenario;

/// A scenario together with the file it came from and the file's content hash.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadedScenario {
    /// Where it was read from.
    pub path: PathBuf,
    /// SHA-256 of the file's bytes (hex), so results of a changed scenario never mix with old ones.
    pub content_sha256: String,
    /// The parsed scenario.
    pub scenario: Scenario,
    /// The Synthea bundle the scenario's patient comes from, read when the scenario was loaded
    /// (`patient_source: Synthea(...)`), else `None`.
    pub bundle: Option<Arc<ImportedPatient>>,
}

/// Parses scenario text. `file` is only used to label diagnostics.
///
/// # Errors
/// The parser's error as a diagnostic with line, column and a hint.
pub fn parse(file: &Path, text: &str) -> Result<Scenario, Diagnostic> {
    ron_options()
        .from_str::<Scenario>(crate::ron_input::without_bom(text))
        .map_err(|e| ron_diagnostic(file, &e))
}

/// Reads and parses one scenario file.
///
/// # Errors
/// A diagnostic when the file cannot be read, is not UTF-8, or does not parse.
pub fn load_file(path: &Path) -> Result<LoadedScenario, Diagnostic> {
    let bytes = fs::read(path).map_err(|e| {
        Diagnostic::at_file(path, format!("cannot read the file: {e}"))
            .with_hint("check the path and the file's permissions")
    })?;
    let text = String::from_utf8(bytes).map_err(|e| {
        Diagnostic::at_file(path, format!("the file is not UTF-8 text: {e}"))
            .with_hint("save the scenario as UTF-8 text")
    })?;
    load_text(path, &text)
}

/// Parses scenario `text` as if it were the file at `path` (a Synthea bundle it names is read
/// relative to that path): what the studio's editor checks before anything is saved.
///
/// # Errors
/// A diagnostic when the text does not parse or its bundle cannot be read.
pub fn load_text(path: &Path, text: &str) -> Result<LoadedScenario, Diagnostic> {
    let bytes = text.as_bytes();
    let scenario = parse(path, text)?;
    let bundle = read_bundle(path, &scenario)?;
    // A scenario that takes its patient from a bundle changes when the bundle does.
    let content_sha256 = match &bundle {
        Some(import) => sha256_hex(format!("{}+{}", sha256_hex(bytes), import.sha256).as_bytes()),
        None => sha256_hex(bytes),
    };
    Ok(LoadedScenario {
        path: path.to_path_buf(),
        content_sha256,
        scenario,
        bundle,
    })
}

/// Reads the Synthea bundle a scenario names (if any); the path is relative to the scenario
/// file.
///
/// # Errors
/// A diagnostic on `patient.patient_source` when the bundle cannot be read or is malformed.
fn read_bundle(
    scenario_file: &Path,
    scenario: &Scenario,
) -> Result<Option<Arc<ImportedPatient>>, Diagnostic> {
    let PatientSource::Synthea(source) = &scenario.patient.patient_source else {
        return Ok(None);
    };
    let base = scenario_file.parent().unwrap_or_else(|| Path::new("."));
    let import = synthea::load(&base.join(&source.path)).map_err(|e| {
        Diagnostic::at_item(
            scenario_file,
            "patient.patient_source.path",
            format!("the Synthea bundle could not be imported: {e}"),
        )
        .with_hint("the path is relative to the scenario file; check it with `ehr-sim import synthea FILE`")
    })?;
    Ok(Some(Arc::new(import)))
}

/// Every `.ron` file under `dir`, recursively, sorted by path.
///
/// # Errors
/// A diagnostic when the folder cannot be read.
pub(crate) fn ron_files(dir: &Path) -> Result<Vec<PathBuf>, Diagnostic> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries = fs::read_dir(&d).map_err(|e| {
            Diagnostic::at_file(&d, format!("cannot read the folder: {e}"))
                .with_hint("check the path and its permissions")
        })?;
        for entry in entries.flatten() {
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "ron") {
                out.push(p);
            }
        }
    }
    out.sort();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbage_is_a_diagnostic_not_a_panic() {
        let d = parse(Path::new("x.ron"), "Scenario(((((").err();
        assert!(d.is_some_and(|d| d.position.is_some()));
    }
}
