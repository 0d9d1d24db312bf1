//! GUI frame CPU time: median and p99 of one egui pass (layout + tessellation-free UI code, no
//! GPU) for the catalog, the chart workspace (every chart section in turn), a triage board with
//! 100 patients (clock mid-shift, 80 cards on the board, 50 in the queue; paused, then running
//! at 20×) and the staff studio, plus the time from building the app to the end of its first
//! frame.
//!
//! Run with `cargo bench --bench gui` (release profile, default features). Uses egui_kittest's
//! headless Harness at 1280×800; timings are printed, never asserted. The real binary's
//! start-up to its first frame is printed by `.ci/gui-smoke` (`first frame after N ms`).

// A benchmark stops on a broken fixture.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use chrono::TimeDelta;
use egui_kittest::Harness;
use ehr_sim::library::ContentRoot;
use ehr_sim::store::Mode;
use ehr_sim::tasks::TaskMaterial;
use ehr_sim::tasks::triage::task::TriageMaterial;
use ehr_sim::ui::app::Screen;
use ehr_sim::ui::app::{Command, EhrApp};
use ehr_sim::ui::board::{BoardCommand, Speed, apply};
use ehr_sim::ui::chart::Section;
use ehr_sim::ui::workspace::Workspace;

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

/// A triage shift of `count` arrivals: the `mixed_shift` scenario's shifts for seeds 1, 2, …
/// concatenated, renumbered `a1`… and spaced three minutes apart (a change keeps its delay
/// after its patient's arrival).
fn big_shift(
    loaded: &ehr_sim::scenario::LoadedScenario,
    count: usize,
) -> (ehr_sim::case::Case, TriageMaterial) {
    let first = ehr_sim::case::generate(loaded, 1, 0);
    let mut arrivals = Vec::with_capacity(count);
    let mut material = None;
    for seed in 1u64.. {
        if arrivals.len() >= count {
            break;
        }
        let case = ehr_sim::case::generate(loaded, seed, 0);
        if let TaskMaterial::Triage(m) = case.task {
            arrivals.extend(m.arrivals.clone());
            material.get_or_insert(m);
        } else {
            break;
        }
    }
    arrivals.truncate(count);
    let start = arrivals.first().map(|a| a.arrived_at).unwrap_or_default();
    for (i, a) in arrivals.iter_mut().enumerate() {
        let at = start + TimeDelta::minutes(3 * i as i64);
        if let Some(ch) = &mut a.change {
            ch.at = at + (ch.at - a.arrived_at);
        }
        a.arrived_at = at;
        a.id = format!("a{}", i + 1);
    }
    let mut m = material.unwrap_or(TriageMaterial {
        esi_version: "v5".into(),
        triage_minutes: 5,
        arrivals: Vec::new(),
    });
    m.arrivals = arrivals;
    (first, m)
}

fn triage_board_100(h: &mut Harness<'static, EhrApp>) {
    let Some(loaded) = h
        .state()
        .state
        .scenarios
        .iter()
        .find(|s| s.scenario.id == "mixed_shift")
        .cloned()
    else {
        println!("no mixed_shift scenario: triage board not measured");
        return;
    };
    let (mut case, m) = big_shift(&loaded, 100);
    let mid_shift = m.arrivals.get(79).map(|a| a.arrived_at).unwrap_or_default();
    let ids: Vec<String> = m.arrivals.iter().take(50).map(|a| a.id.clone()).collect();
    case.task = TaskMaterial::Triage(m);
    let mut w = Workspace::new(
        loaded,
        case,
        Mode::Practice,
        ehr_sim::cli::store_args::now(),
    );
    if let Some(b) = &mut w.board {
        b.clock = mid_shift;
    }
    apply(&mut w, BoardCommand::SetSpeed(Speed::Paused));
    for (i, id) in ids.into_iter().enumerate() {
        let level = (i % 5) as u8 + 1;
        apply(&mut w, BoardCommand::SetLevel { id, level });
    }
    h.state_mut().state.screen = Screen::Chart(Box::new(w));
    measure("triage board, 100 patients (paused)", h, |_, _| {});
    if let Screen::Chart(w) = &mut h.state_mut().state.screen {
        apply(w, BoardCommand::SetSpeed(Speed::X20));
    }
    measure("triage board, 100 patients (20x)", h, |_, _| {});
}

/// The hospice timeline of the longest shipped stay (recertification: several benefit
/// periods), with the learner's periods typed in so the bands are drawn too.
fn hospice_timeline(h: &mut Harness<'static, EhrApp>) {
    let id = "recertification_heart_failure";
    if !h
        .state()
        .state
        .scenarios
        .iter()
        .any(|s| s.scenario.id == id)
    {
        println!("no {id} scenario: hospice timeline not measured");
        return;
    }
    let now = ehr_sim::cli::store_args::now();
    h.state_mut().state.apply(
        Command::OpenScenario {
            id: id.to_string(),
            seed: 7,
        },
        None,
        now,
    );
    // The key's periods as the learner's answer: every band drawn.
    if let ehr_sim::ui::app::Screen::Chart(w) = &mut h.state_mut().state.screen {
        let key = w.case.key();
        if let Some(periods) = key.get("periods") {
            w.answer["periods"] = periods.clone();
        }
    }
    h.state_mut()
        .state
        .apply(Command::ShowSection(Section::Timeline), None, now);
    measure("hospice timeline (several periods)", h, |_, _| {});
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
    triage_board_100(&mut h);
    hospice_timeline(&mut h);
    h.state_mut()
        .state
        .apply(Command::ShowStaff, None, ehr_sim::cli::store_args::now());
    h.step();
    measure("staff sign-in", &mut h, |_, _| {});
}
