//! `ehr-sim generate SCENARIO --seed N [--count K] [--format text|json|ron|fhir]`: prints
//! generated cases. SCENARIO is an id or a path. JSON and RON print a list of cases. FHIR prints
//! one FHIR R4 `Bundle` (type `collection`) per case: a single bundle object when `--count` is 1,
//! a JSON array of bundles otherwise.

use std::process::ExitCode;

use chrono::NaiveDate;

use crate::case::generate;
use crate::service::chart_text;

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A readable chart printout.
    Text,
    /// JSON (a list of cases).
    Json,
    /// RON (a list of cases).
    Ron,
    /// FHIR R4 JSON: one Bundle for one case, an array of Bundles for several.
    Fhir,
}

/// Arguments of `generate`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Scenario id or path to a scenario file.
    pub scenario: String,
    /// Scenario seed; the same seed gives the same patients.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// How many patients (indices 0..count).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub count: u32,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Override the scenario's as-of (exercise) date, YYYY-MM-DD.
    #[arg(long)]
    pub as_of: Option<NaiveDate>,
}

/// Runs `generate`.
///
/// # Errors
/// When the scenario cannot be found, does not load, or has validation errors.
pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let mut loaded = super::case_args::load_valid_scenario(&args.scenario)?;
    if let Some(as_of) = args.as_of {
        loaded.scenario.as_of = as_of;
    }
    let cases: Vec<_> = (0..args.count)
        .map(|i| generate(&loaded, args.seed, i))
        .collect();
    match args.format {
        Format::Json => println!("{}", serde_json::to_string_pretty(&cases)?),
        Format::Ron => println!(
            "{}",
            ron::ser::to_string_pretty(&cases, ron::ser::PrettyConfig::default())?
        ),
        Format::Fhir => {
            let out = match cases.as_slice() {
                [one] => crate::fhir_export::bundle(one),
                many => crate::fhir_export::bundles(many),
            };
            println!("{}", serde_json::to_string_pretty(&out)?);
        }
        Format::Text => {
            for (i, case) in cases.iter().enumerate() {
                if i > 0 {
                    println!("\n{}\n", "=".repeat(78));
                }
                print!("{}", chart_text::chart(case));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
