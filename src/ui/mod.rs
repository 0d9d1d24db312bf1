//! The desktop app (eframe/egui): a thin shell over the library.
//!
//! Layout follows egui's demo split: [`app::EhrApp`] holds the state; screens are drawn by
//! `*_ui` functions that only read state and push [`app::Command`]s, which are applied after the
//! frame. No file, database or generation work happens while drawing: it happens when a command
//! is applied (and, for long work, on a background thread).

pub mod app;
pub mod catalog;
pub mod chart;
pub mod feedback;
pub mod progress;
pub mod staff;
pub mod task;
pub mod theme;
pub mod workspace;

/// Opens the main window and blocks until it is closed.
///
/// # Errors
/// When no window can be created (for example, no display).
pub fn run() -> anyhow::Result<()> {
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
        Box::new(|cc| {
            theme::install(&cc.egui_ctx);
            Ok(Box::new(app::EhrApp::new(
                crate::library::ContentRoot::discover(),
            )))
        }),
    )
    .map_err(|e| anyhow::anyhow!("could not open the window: {e}"))
}
