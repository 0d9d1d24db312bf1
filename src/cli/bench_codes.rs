//! `ehr-sim bench codes`: the in-process cost of the code look-ups of `codes show` and
//! `codes search` over the shipped ICD-10-CM and ICD-10-PCS look-up layouts
//! (src/terminology/layout.rs): the time to open each layout, the time of one `codes show`
//! look-up (the code, its ancestors, the notes in effect, the 7th-character table and the
//! children), and search latency. Timings are printed, never asserted.

use std::process::ExitCode;
use std::time::Instant;

use anyhow::bail;

use crate::terminology::layout::{Layout, Tabular};
use crate::terminology::search::{self, bench::queries};
use crate::terminology::{self, System};

/// Arguments of `bench codes`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// How many search queries to time per system.
    #[arg(long, default_value_t = 2_000)]
    pub queries: usize,
    /// Time the look-up of every n-th code.
    #[arg(long, default_value_t = 10)]
    pub every: usize,
}

/// Runs `bench codes`.
///
/// # Errors
/// When a shipped layout cannot be opened (a damaged build).
pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    for system in [System::Icd10Cm, System::Icd10Pcs] {
        let Some(bytes) = terminology::shipped_layout_bytes(system) else {
            bail!("no look-up layout is shipped for {}", system.name());
        };
        let start = Instant::now();
        let opened = Layout::open(bytes);
        let open_us = start.elapsed().as_secs_f64() * 1e6;
        let layout = match opened {
            Ok(layout) => layout,
            Err(e) => bail!("the {} look-up layout cannot be opened: {e}", system.name()),
        };
        println!(
            "{}: layout open {open_us:.1} µs ({} bytes, {} items)",
            system.name(),
            bytes.len(),
            layout.entry_count()
        );
        bench_lookups(&layout, args.every.max(1));
        bench_search(system, &layout, args.queries.max(1));
    }
    Ok(ExitCode::SUCCESS)
}

/// Times what `codes show` reads for every n-th item, looked up by its code.
fn bench_lookups(layout: &Layout<'_>, every: usize) {
    let codes: Vec<String> = (0..layout.entry_count())
        .step_by(every)
        .filter_map(|i| u32::try_from(i).ok())
        .filter_map(|i| layout.item(i))
        .map(|e| e.code.to_string())
        .collect();
    let mut times: Vec<f64> = Vec::with_capacity(codes.len());
    let mut read = 0usize;
    for code in &codes {
        let start = Instant::now();
        if let Some(entry) = layout.find(code) {
            read += layout.ancestors(entry.index).len();
            read += layout.notes_in_effect(entry.index).len();
            read += layout
                .seventh_table(entry.index)
                .map_or(0, |(_, v)| v.len());
            read += layout.children_of(entry.index).len();
        }
        times.push(start.elapsed().as_secs_f64() * 1e6);
    }
    let (median, p99, max) = spread(&mut times);
    println!(
        "  codes show look-up over {} codes: median {median:.1} µs, p99 {p99:.1} µs, max {max:.1} µs ({read} records read)",
        codes.len()
    );
}

/// Times searches generated from the set's own titles (the `codes bench` query list).
fn bench_search(system: System, layout: &Layout<'_>, n: usize) {
    let Some(set) = terminology::code_set(system) else {
        println!("  (no code set to draw search queries from)");
        return;
    };
    let list = queries(set, n);
    let start = Instant::now();
    let first = list
        .first()
        .map(|q| search::search_layout(layout, q, 20).hits.len());
    let first_us = start.elapsed().as_secs_f64() * 1e6;
    let mut timed: Vec<(f64, &String)> = Vec::with_capacity(list.len());
    let mut empty = 0;
    for q in &list {
        let start = Instant::now();
        let outcome = search::search_layout(layout, q, 20);
        timed.push((start.elapsed().as_secs_f64() * 1e6, q));
        if outcome.hits.is_empty() {
            empty += 1;
        }
    }
    timed.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    let mut times: Vec<f64> = timed.iter().map(|(t, _)| *t).collect();
    let (median, p99, max) = spread(&mut times);
    println!(
        "  first search (cold pages): {first_us:.1} µs ({} hits)",
        first.unwrap_or(0)
    );
    println!(
        "  codes search over {} queries: median {median:.1} µs, p99 {p99:.1} µs, max {max:.1} µs ({empty} with no hit)",
        times.len()
    );
    for (micros, query) in timed.iter().take(3) {
        println!("    slow: {micros:.0} µs  \"{query}\"");
    }
}

/// Median, 99th percentile and maximum.
fn spread(times: &mut [f64]) -> (f64, f64, f64) {
    times.sort_by(f64::total_cmp);
    let at = |p: f64| -> f64 {
        let i = ((times.len() as f64 - 1.0) * p).round() as usize;
        times.get(i).copied().unwrap_or(0.0)
    };
    (at(0.5), at(0.99), times.last().copied().unwrap_or(0.0))
}
