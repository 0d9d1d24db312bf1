//! GUI frame CPU time: median and p99 of one egui pass (layout + tessellation-free UI code, no
//! GPU) for the catalog, the chart workspace (every chart section in turn) and the staff
//! studio, plus the time from building the app to the end of its first frame.
//!
//! Run with `cargo bench --bench gui` (release profile, default features). Uses egui_kittest's
//! headless Harness at 1280×800; timings are printed, never asserted. The real binary's
//! start-up to its first frame is printed by `.ci/gui-smoke` (`first frame after N ms`).

use std::time::{Duration, Instant};

use egui_kittest::Harness;
use ehr_sim::library::ContentRoot;
use ehr_sim::ui::app::{Command, EhrApp};
use ehr_sim::ui::chart::Section;

const FRAMES: usize = 400;

fn harness(app: EhrApp) -> Harness<'static, EhrApp> {
    Harness::builder()
        .with_size([1280.0, 800.0])
        .build_ui_state(|ui, app: &mut EhrApp| app.frame_ui(ui), app)
}

fn new_app() -> EhrApp {
    let store = ehr_sim::store::Store::open_in_memory().map_err(|e| e.to_string());
    EhrApp::with_store(ContentRoot::at(env!("CARGO_MANIFEST_DIR")), store)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let last = sorted.len().saturating_sub(1);
    let i = ((last as f64) * p).round() as usize;
    sorted.get(i.min(last)).copied().unwrap_or_default()
}

fn measure(
    name: &str,
    h: &mut Harness<'static, EhrApp>,
    mut between: impl FnMut(&mut Harness<'static, EhrApp>, usize),
) {
    for _ in 0..20 {
        h.step();
    }
    let mut times = Vec::with_capacity(FRAMES);
    for i in 0..FRAMES {
        between(h, i);
        let t = Instant::now();
        h.step();
        times.push(t.elapsed());
    }
    times.sort();
    println!(
        "{name:<40} median {:>7.3} ms   p99 {:>7.3} ms   ({FRAMES} frames)",
        percentile(&times, 0.5).as_secs_f64() * 1e3,
        percentile(&times, 0.99).as_secs_f64() * 1e3,
    );
}

fn main() {
    let t = Instant::now();
    let app = new_app();
    let loaded = t.elapsed();
    let mut h = harness(app);
    h.step();
    println!(
        "start-up: library loaded in {:.1} ms, first frame done after {:.1} ms",
        loaded.as_secs_f64() * 1e3,
        t.elapsed().as_secs_f64() * 1e3
    );

    measure("catalog", &mut h, |_, _| {});

    let first = h
        .state()
        .state
        .scenarios
        .first()
        .map(|s| s.scenario.id.clone());
    let Some(id) = first else {
        println!("no scenarios: chart workspace not measured");
        return;
    };
    let sections = Section::ALL;
    h.state_mut().state.apply(
        Command::OpenScenario { id, seed: 7 },
        None,
        ehr_sim::cli::store_args::now(),
    );
    measure("chart workspace (each section)", &mut h, |h, i| {
        if let Some(s) = sections.get(i % sections.len()) {
            h.state_mut().state.apply(
                Command::ShowSection(*s),
                None,
                ehr_sim::cli::store_args::now(),
            );
        }
    });
    h.state_mut()
        .state
        .apply(Command::ShowStaff, None, ehr_sim::cli::store_args::now());
    h.step();
    measure("staff sign-in", &mut h, |_, _| {});
}
