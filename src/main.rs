//! The `ehr-sim` binary: no subcommand opens the desktop app; otherwise a CLI command runs.
//! Errors are printed once, here, and turned into the exit code.

use std::process::ExitCode;

use clap::Parser;
use ehr_sim::cli::{self, Cli};

fn main() -> ExitCode {
    restore_sigpipe();
    no_huge_pages();
    cli::preload(std::env::args_os());
    let cli = Cli::parse();
    let result = match cli.command {
        Some(command) => cli::run(command),
        None => run_gui(),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

/// Opens the desktop app.
///
/// # Errors
/// When the window cannot be created (no display) or the app was built without the `gui` feature.
fn run_gui() -> anyhow::Result<ExitCode> {
    #[cfg(feature = "gui")]
    {
        ehr_sim::ui::run()?;
        Ok(ExitCode::SUCCESS)
    }
    #[cfg(not(feature = "gui"))]
    {
        anyhow::bail!(
            "this build has no desktop app (built without the `gui` feature); run `ehr-sim --help` for the CLI"
        )
    }
}

/// Rust ignores SIGPIPE, so printing into a closed pipe (`ehr-sim generate … | head`) would
/// panic; the default action ends the process quietly, as command-line tools do.
#[cfg(unix)]
// The one `unsafe` call in the crate: libc has no safe wrapper for `signal`, and the call is
// sound for the reason in the SAFETY comment below.
#[allow(unsafe_code)]
fn restore_sigpipe() {
    // SAFETY: called first thing in `main`, before any other thread exists; setting a signal's
    // disposition to the default action has no other effect on the program's state.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

#[cfg(not(unix))]
fn restore_sigpipe() {}

/// The program touches a few megabytes here and there, and a command runs for milliseconds.
/// Where the system backs every anonymous region with 2 MiB pages ("transparent huge pages:
/// always"), each first touch of a thread's stack or an allocator region zeroes a whole 2 MiB
/// page, which gave the app's start-up a long tail (first frames after 560-810 ms in a third of
/// the runs, against 190-220 ms without). Memory advised for huge pages may still get them
/// (Linux 6.18 here), so the allocator is built not to advise it (`no_thp`, Cargo.toml).
#[cfg(target_os = "linux")]
// The second `unsafe` call in the crate: libc has no safe wrapper for `prctl`.
#[allow(unsafe_code)]
fn no_huge_pages() {
    // SAFETY: called first thing in `main`, like `restore_sigpipe`. PR_SET_THP_DISABLE takes
    // plain integers and changes only how the kernel backs this process's later anonymous
    // memory; no pointer is passed. Its result is not needed: where the kernel refuses,
    // pages stay as the system sets them.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

#[cfg(not(target_os = "linux"))]
fn no_huge_pages() {}
