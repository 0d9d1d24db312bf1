//! The desktop app (eframe/egui): a thin shell over the library.
//!
//! Layout follows egui's demo split: [`shell::EhrApp`] holds the state; screens are drawn by
//! `*_ui` functions that only read state and push [`command::Command`]s, which are applied after
//! the frame by [`app::AppState::apply`]. No file, database or generation work happens while
//! drawing: it happens when a command is applied (and, for long work, on a background thread).

pub mod app;
pub mod board;
mod catalog;
pub mod chart;
mod command;
mod exam;
mod exam_flow;
mod export;
mod feedback;
pub mod offline;
mod practice;
mod profile;
mod progress;
mod review;
pub mod server;
mod shell;
pub mod staff;
mod task;
mod task_kinds;
mod theme;
mod top_bar;
pub mod workspace;

pub use task::audit_log_table::{AuditLogTable, SortColumn, View as AuditLogView};

/// Environment variable: close the window on its own after this many frames (for the CI smoke
/// test and start-up measurements). Hidden: not part of the user-facing interface.
pub const EXIT_AFTER_FRAMES_ENV: &str = "EHR_SIM_EXIT_AFTER_FRAMES";

/// Wraps the app to count frames: prints the time from start-up to the first frame on stderr and
/// closes the window after `exit_after` frames.
struct FrameLimited {
    app: shell::EhrApp,
    started: std::time::Instant,
    frames: u64,
    exit_after: u64,
}

impl eframe::App for FrameLimited {
    fn ui(&mut self, ui: &mut egui::Ui, frame: &mut eframe::Frame) {
        eframe::App::ui(&mut self.app, ui, frame);
        self.frames += 1;
        if self.frames == 1 {
            eprintln!(
                "first frame after {} ms",
                self.started.elapsed().as_millis()
            );
        }
        if self.frames == self.exit_after {
            eprintln!("closing after {} frames", self.frames);
            ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
        } else {
            ui.ctx().request_repaint();
        }
    }
}

/// Opens the main window and blocks until it is closed.
///
/// # Errors
/// When no window can be created (for example, no display).
pub fn run() -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let exit_after = std::env::var(EXIT_AFTER_FRAMES_ENV)
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .filter(|n| *n > 0);
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("EHR Sim")
            .with_inner_size([1280.0, 800.0])
            .with_min_inner_size([960.0, 600.0]),
        ..Default::default()
    };
    eframe::run_native(
        "EHR Sim",
        options,
        Box::new(|_cc| {
            // The style and fonts are installed by the app on its first frame.
            let app = shell::EhrApp::new(crate::library::ContentRoot::discover());
            let boxed: Box<dyn eframe::App> = match exit_after {
                Some(exit_after) => Box::new(FrameLimited {
                    app,
                    started,
                    frames: 0,
                    exit_after,
                }),
                None => Box::new(app),
            };
            Ok(boxed)
        }),
    )
    .map_err(|e| anyhow::anyhow!("could not open the window: {e}"))
}
