//! The command-line interface: one file per subcommand, each with its `Args` and a `run`
//! function. This is a shell around the library: it reads files, calls the pure core and prints.
//! `anyhow` is used here and in `main.rs` only.

use std::process::ExitCode;

use clap::{ArgMatches, Args as ClapArgs, FromArgMatches, Parser, Subcommand};

pub mod answers;
pub mod assessment;
pub mod audit;
pub mod bench;
pub mod bench_codes;
pub mod bench_drg;
pub mod bench_store;
pub mod case_args;
pub mod claim;
pub mod codes;
pub mod drg;
pub mod generate;
pub mod grade;
pub mod gradebook;
pub mod import;
pub(crate) mod input_file;
pub mod key;
pub mod key_access_audit;
pub mod key_roi;
pub mod people;
pub mod progress;
pub mod record;
pub mod report;
pub mod scenarios;
pub mod store_args;
pub mod store_bench;
pub mod store_stress;
pub mod store_sync;
pub mod validate;

/// EHR Sim: practise and assess charting, coding, triage and hospice records on synthetic patients.
#[derive(Debug, Parser)]
#[command(name = "ehr-sim", version, about, long_about = None)]
pub struct Cli {
    /// What to do; without a subcommand the desktop app opens.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate scenario and rubric files (default: the shipped `scenarios/` and `grading/`).
    Validate(Deferred<validate::Args>),
    /// List and inspect scenarios.
    Scenarios(Deferred<scenarios::Args>),
    /// Generate synthetic patients from a scenario.
    Generate(Deferred<generate::Args>),
    /// Blank answer files for a case.
    Answers(Deferred<answers::Args>),
    /// Score an answer file against the case's key and the scenario's rubric.
    Grade(Deferred<grade::Args>),
    /// Measure performance (run on a release build).
    Bench(Deferred<bench::Args>),
    /// Employer assessments: create, candidates' seeds, results.
    Assessment(Deferred<assessment::Args>),
    /// Verify the progress database's tamper-evident audit chain.
    Audit(Deferred<audit::Args>),
    /// Instructor and employer views: gradebook, exports (csv, json, xapi), criterion statistics.
    Gradebook(Deferred<gradebook::Args>),
    /// A learner's progress summary.
    Progress(Deferred<progress::Args>),
    /// Accounts and cohorts.
    People(Deferred<people::Args>),
    /// The program server: push a laptop's database into it, pull a cohort's roster from it.
    Store(Deferred<store_sync::Args>),
    /// Test support: write attempts in a loop, acknowledging each commit.
    #[command(hide = true)]
    StoreStress(Deferred<store_stress::Args>),
    /// Store benchmark: durable save latency and gradebook query time.
    #[command(hide = true)]
    StoreBench(Deferred<store_bench::Args>),
    /// Print the answer key a rule engine derives from one file (ESI triage, hospice,
    /// release of information).
    Key(Deferred<key::Args>),
    /// Code sets: import, search, show a code with its notes, check a code list.
    Codes(Deferred<codes::Args>),
    /// MS-DRG v43: group a claim, show a DRG, import the definitions.
    Drg(Deferred<drg::Args>),
    /// Claims (CMS-1500, UB-04): check a claim with the scrubber's edits.
    Claim(Deferred<claim::Args>),
    /// Summarise a patient file from another tool (`import synthea FILE`).
    Import(Deferred<import::Args>),
    /// Printable reports (HTML or JSON): `report attempt ID`, `report assessment NAME`.
    Report(Deferred<report::Args>),
}

/// A subcommand's arguments, built only when the command line names that subcommand: building
/// every subcommand's arguments, as the derived parser does, costs each run about half a
/// millisecond (most of a short command such as `ehr-sim drg batch` on a small file). Help,
/// errors and parsing are clap's own, unchanged.
#[derive(Debug)]
pub struct Deferred<T>(pub T);

impl<T: FromArgMatches> FromArgMatches for Deferred<T> {
    fn from_arg_matches(matches: &ArgMatches) -> Result<Self, clap::Error> {
        T::from_arg_matches(matches).map(Deferred)
    }

    fn from_arg_matches_mut(matches: &mut ArgMatches) -> Result<Self, clap::Error> {
        T::from_arg_matches_mut(matches).map(Deferred)
    }

    fn update_from_arg_matches(&mut self, matches: &ArgMatches) -> Result<(), clap::Error> {
        self.0.update_from_arg_matches(matches)
    }

    fn update_from_arg_matches_mut(&mut self, matches: &mut ArgMatches) -> Result<(), clap::Error> {
        self.0.update_from_arg_matches_mut(matches)
    }
}

impl<T: ClapArgs> ClapArgs for Deferred<T> {
    fn group_id() -> Option<clap::Id> {
        T::group_id()
    }

    fn augment_args(cmd: clap::Command) -> clap::Command {
        cmd.defer(add_args::<T>)
    }

    fn augment_args_for_update(cmd: clap::Command) -> clap::Command {
        cmd.defer(add_args_for_update::<T>)
    }
}

fn add_args<T: ClapArgs>(cmd: clap::Command) -> clap::Command {
    keeping_about(cmd, T::augment_args)
}

fn add_args_for_update<T: ClapArgs>(cmd: clap::Command) -> clap::Command {
    keeping_about(cmd, T::augment_args_for_update)
}

/// Adds a subcommand's arguments and keeps the texts its variant gave it: the arguments' own
/// doc comment would otherwise replace them, as it does not when the arguments come first.
fn keeping_about(cmd: clap::Command, add: fn(clap::Command) -> clap::Command) -> clap::Command {
    let about = cmd.get_about().cloned();
    let long_about = cmd.get_long_about().cloned();
    let cmd = add(cmd);
    let cmd = match about {
        Some(text) => cmd.about(text),
        None => cmd.about(None::<&str>),
    };
    match long_about {
        Some(text) => cmd.long_about(text),
        None => cmd.long_about(None::<&str>),
    }
}

/// Starts, before the command line is parsed, what the command it names will need first and
/// takes a while to open: the MS-DRG definitions for `drg group`, `drg batch` and `drg show`
/// (about a millisecond, opened on their own thread meanwhile). A command line written
/// otherwise (an option first, a typo) opens them when the command needs them, as before.
pub fn preload(args: impl IntoIterator<Item = std::ffi::OsString>) {
    if names_drg_command(args) {
        crate::terminology::drg::preload();
    }
}

/// Whether the two words after the program's name are `drg` and one of its subcommands (as
/// clap names them: `group`, `batch`, `show`, each of which reads the definitions).
fn names_drg_command(args: impl IntoIterator<Item = std::ffi::OsString>) -> bool {
    let mut words = args.into_iter().skip(1);
    match (words.next(), words.next()) {
        (Some(command), Some(sub)) => {
            command == "drg"
                && sub
                    .to_str()
                    .is_some_and(<drg::DrgCommand as Subcommand>::has_subcommand)
        }
        _ => false,
    }
}

/// Runs one CLI command.
///
/// # Errors
/// Any failure the command could not report itself (unreadable file, bad argument).
pub fn run(command: Command) -> anyhow::Result<ExitCode> {
    match command {
        Command::Validate(Deferred(args)) => validate::run(&args),
        Command::Scenarios(Deferred(args)) => scenarios::run(&args),
        Command::Generate(Deferred(args)) => generate::run(&args),
        Command::Bench(Deferred(args)) => bench::run(&args),
        Command::Answers(Deferred(args)) => answers::run(&args),
        Command::Grade(Deferred(args)) => grade::run(&args),
        Command::Assessment(Deferred(args)) => assessment::run(&args),
        Command::Audit(Deferred(args)) => audit::run(&args),
        Command::Gradebook(Deferred(args)) => gradebook::run(&args),
        Command::Progress(Deferred(args)) => progress::run(&args),
        Command::People(Deferred(args)) => people::run(&args),
        Command::Store(Deferred(args)) => store_sync::run(&args),
        Command::StoreStress(Deferred(args)) => store_stress::run(&args),
        Command::StoreBench(Deferred(args)) => store_bench::run(&args),
        Command::Key(Deferred(args)) => key::run(&args),
        Command::Codes(Deferred(args)) => codes::run(&args),
        Command::Drg(Deferred(args)) => drg::run(&args),
        Command::Claim(Deferred(args)) => claim::run(&args),
        Command::Import(Deferred(args)) => import::run(&args),
        Command::Report(Deferred(args)) => report::run(&args),
    }
}

/// A value typed by the user, as quoted in a message: at most `max` characters, then how long
/// it was, so a huge value is not echoed back whole.
pub(crate) fn shorten_to(v: &str, max: usize) -> String {
    let n = v.chars().count();
    if n <= max {
        v.to_string()
    } else {
        format!(
            "{}… ({n} characters)",
            v.chars().take(max).collect::<String>()
        )
    }
}

#[cfg(test)]
mod tests {
    use clap::{CommandFactory, Parser};

    use super::{Cli, Command, Deferred, names_drg_command};

    /// Deferred subcommands pass clap's own checks, keep the texts their variants give them
    /// (not their arguments' doc comments), and parse as before.
    #[test]
    fn deferred_subcommands_keep_their_texts_and_parse() {
        Cli::command().debug_assert();
        let mut cmd = Cli::command();
        cmd.build();
        let drg = cmd.find_subcommand("drg").expect("drg");
        assert_eq!(
            drg.get_about().map(ToString::to_string).as_deref(),
            Some("MS-DRG v43: group a claim, show a DRG, import the definitions")
        );
        assert!(drg.find_subcommand("batch").is_some());
        let answers = cmd.find_subcommand("answers").expect("answers");
        assert_eq!(
            answers.get_about().map(ToString::to_string).as_deref(),
            Some("Blank answer files for a case")
        );
        let cli = Cli::try_parse_from(["ehr-sim", "drg", "show", "871"]).expect("parses");
        assert!(matches!(cli.command, Some(Command::Drg(Deferred(_)))));
        let err = Cli::try_parse_from(["ehr-sim", "drg", "shw"]).expect_err("no such command");
        assert!(err.to_string().contains("shw"), "{err}");
    }

    /// The definitions are opened early for the three `drg` commands that group or show, named
    /// right after the program, and for nothing else.
    #[test]
    fn the_drg_commands_are_recognised_before_parsing() {
        let words = |line: &str| {
            line.split(' ')
                .map(std::ffi::OsString::from)
                .collect::<Vec<_>>()
        };
        for line in [
            "ehr-sim drg batch claims.jsonl",
            "ehr-sim drg group --pdx A41.9 --sex M --discharge alive",
            "ehr-sim drg show 871",
        ] {
            assert!(names_drg_command(words(line)), "{line}");
        }
        for line in [
            "ehr-sim",
            "ehr-sim drg",
            "ehr-sim drg --help",
            "ehr-sim drg batches x",
            "ehr-sim codes show A41.9",
            "ehr-sim bench drg",
            "ehr-sim --help drg batch",
        ] {
            assert!(!names_drg_command(words(line)), "{line}");
        }
    }
}
