//! The desktop app (eframe/egui). A placeholder window until the GUI issue lands.

/// Opens the main window and blocks until it is closed.
///
/// # Errors
/// When no window can be created (for example, no display).
pub fn run() -> anyhow::Result<()> {
    let options = eframe::NativeOptions::default();
    eframe::run_native("EHR Sim", options, Box::new(|_cc| Ok(Box::new(App))))
        .map_err(|e| anyhow::anyhow!("could not open the window: {e}"))
}

struct App;

impl eframe::App for App {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        ui.heading("EHR Sim");
    }
}
