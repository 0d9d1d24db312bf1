//! `ehr-sim drg batch`: a file of claims, one JSON object a line, grouped into one JSON result a
//! line, in input order, on every core.
//!
//! A line is read by a one-pass scan (`scan`) straight into a claim whose strings each thread
//! uses again from line to line; a line the scan does not take (an error, an escaped string, a
//! repeated or unknown key, an `sdx` object with other keys) is read as a JSON value, which says
//! exactly what is wrong or takes what the scan left out. So the scan only makes the common
//! line cheaper: every line gives the result and the error message it would give read as a
//! value.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::io::{BufRead, Write};
use std::ops::Range;
use std::path::Path;
use std::process::ExitCode;
use std::sync::{Mutex, mpsc};

use foldhash::fast::FixedState;

use anyhow::{Context, anyhow, bail};
use serde::Serialize;
use serde_json::{Map, Value};

mod scan;

use super::{
    BatchArgs, MAX_AGE, MAX_LOS, PayOut, parse_date, parse_discharge, parse_sex, payment_for,
    shorten,
};
use crate::terminology::drg::payment::PaymentParams;
use crate::terminology::drg::{self, Claim, DischargeStatus, GroupError, Poa};

/// The longest batch line read, in bytes (a claim of 50 codes takes well under 2 KiB).
const MAX_BATCH_LINE: usize = 64 * 1024;

/// One line read with a bound: its bytes are in the buffer, or it was too long (its length).
enum BoundedLine {
    Text,
    TooLong(u64),
}

/// Reads one line into `buf` (without the line end), keeping at most `max` bytes: a longer line
/// is skipped to its end without being kept. `None` at the end of the input.
fn read_bounded_line(
    r: &mut impl BufRead,
    buf: &mut Vec<u8>,
    max: usize,
) -> std::io::Result<Option<BoundedLine>> {
    buf.clear();
    let mut total: u64 = 0;
    let mut too_long = false;
    let mut any = false;
    loop {
        let chunk = r.fill_buf()?;
        if chunk.is_empty() {
            break;
        }
        any = true;
        let (part, end) = match memchr::memchr(b'\n', chunk) {
            Some(i) => (&chunk[..i], Some(i + 1)),
            None => (chunk, None),
        };
        total += part.len() as u64;
        if !too_long {
            if buf.len() + part.len() > max {
                too_long = true;
                buf.clear();
            } else {
                buf.extend_from_slice(part);
            }
        }
        let used = end.unwrap_or(chunk.len());
        r.consume(used);
        if end.is_some() {
            break;
        }
    }
    if !any {
        return Ok(None);
    }
    if too_long {
        return Ok(Some(BoundedLine::TooLong(total)));
    }
    if buf.last() == Some(&b'\r') {
        buf.pop();
    }
    Ok(Some(BoundedLine::Text))
}

/// The fields a batch line may carry.
const BATCH_FIELDS: [&str; 9] = [
    "pdx",
    "sdx",
    "poa",
    "pcs",
    "sex",
    "age",
    "discharge",
    "discharge_date",
    "los",
];

// ---- the bounds a line's numbers are read within (by the value reading and the scan) -------

/// A number as a discharge status: 1-99.
fn status_number(n: u64) -> Option<DischargeStatus> {
    u8::try_from(n)
        .ok()
        .filter(|k| (1..=99).contains(k))
        .map(DischargeStatus)
}

/// A number as an age in whole years: 0-[`MAX_AGE`].
fn age_years(n: u64) -> Option<u8> {
    u8::try_from(n).ok().filter(|a| *a <= MAX_AGE)
}

/// A number as a length of stay in days: 0-[`MAX_LOS`].
fn los_days(n: u64) -> Option<u32> {
    u32::try_from(n).ok().filter(|d| *d <= MAX_LOS)
}

// ---- a line read as a JSON value (every message) ----------------------------------------------

fn str_field<'a>(m: &'a Map<String, Value>, key: &str) -> Result<Option<&'a str>, String> {
    match m.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(format!("\"{key}\" must be a string")),
    }
}

fn str_list(m: &Map<String, Value>, key: &str) -> Result<Vec<String>, String> {
    match m.get(key) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .map(|i| {
                i.as_str()
                    .map(str::to_string)
                    .ok_or_else(|| format!("\"{key}\" must be a list of code strings"))
            })
            .collect(),
        Some(_) => Err(format!("\"{key}\" must be a list of code strings")),
    }
}

fn parse_poa(p: &str, code: &str) -> Result<Poa, String> {
    Poa::parse(p).ok_or_else(|| {
        format!(
            "POA {} (for {}): use Y, N, U, W or 1",
            shorten(p),
            shorten(code)
        )
    })
}

/// The secondary diagnoses of a batch line: codes, or {"code", "poa"} objects; a separate
/// "poa" list (in the same order) gives the indicators of plain codes; missing ones are Y.
fn batch_sdx(m: &Map<String, Value>) -> Result<Vec<(String, Poa)>, String> {
    let poa = str_list(m, "poa")?;
    let items = match m.get("sdx") {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Array(items)) => items,
        Some(_) => return Err("\"sdx\" must be a list".to_string()),
    };
    if poa.len() > items.len() {
        return Err(format!(
            "\"poa\" has {} indicators for {} secondary diagnoses",
            poa.len(),
            items.len()
        ));
    }
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let (code, own) = match item {
            Value::String(c) => (c.as_str(), None),
            Value::Object(o) => {
                let code = o.get("code").and_then(Value::as_str).ok_or_else(|| {
                    format!("\"sdx\" item {}: an object needs a \"code\" string", i + 1)
                })?;
                let own = match o.get("poa") {
                    None | Some(Value::Null) => None,
                    Some(Value::String(p)) => Some(p.as_str()),
                    Some(_) => {
                        return Err(format!("\"sdx\" item {}: \"poa\" must be a string", i + 1));
                    }
                };
                (code, own)
            }
            Value::Null | Value::Bool(_) | Value::Number(_) | Value::Array(_) => {
                return Err(format!(
                    "\"sdx\" item {}: give a code string or {{\"code\", \"poa\"}}",
                    i + 1
                ));
            }
        };
        let indicator = match own.or(poa.get(i).map(String::as_str)) {
            Some(p) => parse_poa(p, code)?,
            None => Poa::Y,
        };
        out.push((code.to_string(), indicator));
    }
    Ok(out)
}

/// A batch line (read as a JSON value) as a claim, with its own length of stay when it gives
/// one.
fn batch_claim(v: &Value) -> Result<(Claim, Option<u32>), String> {
    let Value::Object(m) = v else {
        return Err("a line must be a JSON object (a claim)".to_string());
    };
    if let Some(k) = m.keys().find(|k| !BATCH_FIELDS.contains(&k.as_str())) {
        return Err(format!(
            "unknown field \"{}\": a claim has {}",
            shorten(k),
            BATCH_FIELDS.join(", ")
        ));
    }
    let pdx = str_field(m, "pdx")?
        .filter(|p| !p.trim().is_empty())
        .ok_or("\"pdx\" is missing or empty: give the principal diagnosis, e.g. \"J18.9\"")?;
    let sex = str_field(m, "sex")?.ok_or("\"sex\" is missing: use M, F or U")?;
    let sex = parse_sex("sex", sex).map_err(|e| e.to_string())?;
    let discharge = match m.get("discharge") {
        Some(Value::String(s)) => parse_discharge("discharge", s).map_err(|e| e.to_string())?,
        Some(Value::Number(n)) => n
            .as_u64()
            .and_then(status_number)
            .ok_or_else(|| format!("discharge {n}: use alive, expired or 01-99"))?,
        _ => {
            return Err(
                "\"discharge\" is missing: use \"alive\", \"expired\" or a two-digit status code"
                    .to_string(),
            );
        }
    };
    let age = match m.get("age") {
        None | Some(Value::Null) => None,
        Some(Value::Number(n)) => Some(
            n.as_u64()
                .and_then(age_years)
                .ok_or_else(|| format!("age {n}: use whole years 0-{MAX_AGE}"))?,
        ),
        Some(_) => return Err(format!("\"age\" must be a number of years 0-{MAX_AGE}")),
    };
    let los = match m.get("los") {
        None | Some(Value::Null) => None,
        Some(Value::Number(n)) => Some(
            n.as_u64()
                .and_then(los_days)
                .ok_or_else(|| format!("los {n}: use whole days 0-{MAX_LOS}"))?,
        ),
        Some(_) => return Err("\"los\" must be a number of days".to_string()),
    };
    let discharge_date = str_field(m, "discharge_date")?
        .map(|d| parse_date("discharge_date", d).map_err(|e| e.to_string()))
        .transpose()?;
    let claim = Claim {
        pdx: pdx.to_string(),
        sdx: batch_sdx(m)?,
        pcs: str_list(m, "pcs")?,
        age,
        sex,
        discharge,
        discharge_date,
    };
    Ok((claim, los))
}

/// A line read as a JSON value: its claim and own length of stay, or the error's kind ("json"
/// or "input") and message.
fn value_claim(text: &[u8]) -> Result<(Claim, Option<u32>), (&'static str, String)> {
    let v: Value =
        serde_json::from_slice(text).map_err(|e| ("json", format!("not a JSON object: {e}")))?;
    batch_claim(&v).map_err(|e| ("input", e))
}

// ---- grouping and writing ----------------------------------------------------------------------

/// What every line of a batch shares.
struct BatchOpts {
    params: PaymentParams,
    los: Option<u32>,
    path: bool,
}

/// The payment a DRG's weight and GMLOS, a discharge status and a length of stay give (the
/// parameters are the batch's), as its JSON text; claims that share them share it.
type PaymentKey = (&'static str, u64, u64, u8, Option<u32>);

/// The payment object's JSON text (`null` for a DRG without a weight), worked out once for each
/// key.
fn payment_json<'m>(
    payments: &'m mut HashMap<PaymentKey, Result<Vec<u8>, String>, FixedState>,
    g: &drg::group::Decision<'static>,
    status: u8,
    los: Option<u32>,
    params: &PaymentParams,
) -> Result<&'m [u8], String> {
    let key = (
        g.drg,
        g.weight.map_or(u64::MAX, f64::to_bits),
        g.gmlos.map_or(u64::MAX, f64::to_bits),
        status,
        los,
    );
    let text = payments.entry(key).or_insert_with(|| {
        let pay = payment_for(g.drg, g.weight, g.gmlos, status, los, params)
            .map_err(|e| e.to_string())?;
        serde_json::to_vec(&pay.as_ref().map(|p| PayOut::new(p, los))).map_err(|e| e.to_string())
    });
    text.as_deref().map_err(Clone::clone)
}

/// The fields of a JSON object's text without its braces; an error for a text that is not an
/// object with at least one field.
fn inner(object: &[u8]) -> Result<&[u8], String> {
    match object {
        [b'{', fields @ .., b'}'] if !fields.is_empty() => Ok(fields),
        _ => Err("a grouping is not a JSON object".to_string()),
    }
}

/// What a grouping's head fields hold: where the version, DRG, title, MDC and type texts are
/// (the definitions' own, which live for the process, so one place is always one text) and the
/// bits of the weight, GMLOS and AMLOS. Keyed by place, a lookup reads none of the texts.
type HeadKey = ([(usize, usize); 5], [u64; 3]);

/// A grouping's head fields as JSON text (without braces), written once per version and DRG.
fn head_json<'m>(
    heads: &'m mut HashMap<HeadKey, Vec<u8>, FixedState>,
    g: &drg::group::Decision<'static>,
) -> Result<&'m [u8], String> {
    let bits = |x: Option<f64>| x.map_or(u64::MAX, f64::to_bits);
    let at = |s: &str| (s.as_ptr() as usize, s.len());
    let key = (
        [at(g.version), at(g.drg), at(g.title), at(g.mdc), at(g.kind)],
        [bits(g.weight), bits(g.gmlos), bits(g.amlos)],
    );
    match heads.entry(key) {
        std::collections::hash_map::Entry::Occupied(e) => Ok(e.into_mut()),
        std::collections::hash_map::Entry::Vacant(e) => {
            let text = serde_json::to_vec(&g.head()).map_err(|e| e.to_string())?;
            Ok(e.insert(inner(&text)?.to_vec()))
        }
    }
}

/// What a grouping thread keeps from one chunk to the next: the JSON texts of the payments and
/// heads it has written (claims that share a DRG share them).
#[derive(Default)]
struct Memo {
    payments: HashMap<PaymentKey, Result<Vec<u8>, String>, FixedState>,
    heads: HashMap<HeadKey, Vec<u8>, FixedState>,
    /// The claim each line is read into.
    scratch: scan::Scratch,
}

/// The output line of a line that gave no result (its keys in this order, alphabetical, as the
/// output has always had them).
#[derive(Serialize)]
struct FailedLine<'a> {
    error: &'a str,
    kind: &'a str,
    line: usize,
}

/// The results of a chunk: its JSON lines, in order, and the errors of the failed ones as
/// standard error shows them. Its buffers are used again for a later chunk.
#[derive(Default)]
struct Results {
    json: Vec<u8>,
    errors: String,
    failed: usize,
    lines: usize,
}

impl Results {
    fn clear(&mut self) {
        self.json.clear();
        self.errors.clear();
        self.failed = 0;
        self.lines = 0;
    }

    fn failed(&mut self, line: usize, kind: &str, error: &str) {
        let _ = serde_json::to_writer(&mut self.json, &FailedLine { error, kind, line });
        self.json.push(b'\n');
        let _ = writeln!(self.errors, "line {line}: {error}");
        self.failed += 1;
    }

    /// Reads, groups and appends one line: read by the scan into the thread's claim, or, when
    /// the scan leaves it, as a JSON value.
    fn line(&mut self, memo: &mut Memo, line: usize, text: &[u8], opts: &BatchOpts) {
        let mut scratch = std::mem::take(&mut memo.scratch);
        match scan::scan_into(text, &mut scratch) {
            Some(own_los) => self.claim(memo, line, &scratch.claim, own_los, opts),
            None => match value_claim(text) {
                Ok((claim, own_los)) => self.claim(memo, line, &claim, own_los, opts),
                Err((kind, e)) => self.failed(line, kind, &e),
            },
        }
        memo.scratch = scratch;
    }

    /// Groups one claim and appends its result.
    fn claim(
        &mut self,
        memo: &mut Memo,
        line: usize,
        claim: &Claim,
        own_los: Option<u32>,
        opts: &BatchOpts,
    ) {
        let grouped = drg::definitions()
            .map_err(|e| GroupError::Definitions(e.to_string()))
            .and_then(|defs| drg::group::decide(defs, claim, opts.path));
        let g = match grouped {
            Ok(g) => g,
            Err(e @ GroupError::Undetermined(_)) => {
                return self.failed(line, "not_decided", &e.to_string());
            }
            Err(e @ (GroupError::Input(_) | GroupError::Definitions(_))) => {
                return self.failed(line, "input", &e.to_string());
            }
        };
        let los = own_los.or(opts.los);
        let start = self.json.len();
        self.json.extend_from_slice(b"{\"line\":");
        let _ = serde_json::to_writer(&mut self.json, &line);
        self.json.push(b',');
        let written = head_json(&mut memo.heads, &g).map(|head| self.json.extend_from_slice(head));
        let at = self.json.len();
        // The claim's own fields follow the head's: their object's braces are dropped.
        let written = written.and_then(|()| {
            g.tail()
                .write_json(&mut self.json)
                .map_err(|e| e.to_string())
        });
        if let Err(e) = written.and_then(|()| inner(&self.json[at..]).map(|_| ())) {
            self.json.truncate(start);
            return self.failed(line, "output", &e);
        }
        self.json[at] = b',';
        self.json.pop();
        match payment_json(&mut memo.payments, &g, claim.discharge.0, los, &opts.params) {
            Ok(pay) => {
                self.json.extend_from_slice(b",\"payment\":");
                self.json.extend_from_slice(pay);
                self.json.extend_from_slice(b"}\n");
            }
            Err(e) => {
                self.json.truncate(start);
                self.failed(line, "definitions", &e);
            }
        }
    }
}

/// The lines of a chunk: their bytes, one after the other, and what each is.
#[derive(Default)]
struct Chunk {
    text: Vec<u8>,
    lines: Vec<ChunkLine>,
}

/// An input line of a chunk: its number and its bytes, or the length of a line too long to read.
enum ChunkLine {
    Text(usize, Range<usize>),
    TooLong(usize, u64),
}

/// Groups the lines of a chunk into `out`.
fn group_lines(chunk: &Chunk, memo: &mut Memo, out: &mut Results, opts: &BatchOpts) {
    out.json.reserve(chunk.lines.len() * 512);
    for l in &chunk.lines {
        out.lines += 1;
        match l {
            ChunkLine::Text(line, range) => {
                let text = chunk.text.get(range.clone()).unwrap_or_default();
                out.line(memo, *line, text, opts);
            }
            ChunkLine::TooLong(line, n) => {
                out.failed(
                    *line,
                    "input",
                    &format!(
                        "line of {n} bytes: a claim line holds at most {MAX_BATCH_LINE} bytes"
                    ),
                );
            }
        }
    }
}

/// Lines grouped together by one thread; the chunks of a batch are shared out among the
/// grouping threads and their results written in input order as they come back.
const BATCH_CHUNK: usize = 256;
/// A chunk also ends once its lines hold this many bytes, so that a file of long lines is
/// still read a megabyte or so at a time.
const BATCH_CHUNK_BYTES: usize = 1 << 20;
/// Chunks read ahead of the one written next, for each grouping thread: the bound on what a
/// batch holds in memory at once.
const CHUNKS_PER_THREAD: usize = 3;

/// Whether two paths name the same existing file.
fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// Where the results go: standard output or `--output` (refused over the input file or the
/// progress database, and over an existing file without `--force`).
fn batch_output(a: &BatchArgs) -> anyhow::Result<Box<dyn Write>> {
    let Some(path) = &a.output else {
        return Ok(Box::new(std::io::BufWriter::new(std::io::stdout().lock())));
    };
    if a.file.as_os_str() != "-" && same_file(path, &a.file) {
        bail!(
            "--output {} is the input file: write the results to another file",
            path.display()
        );
    }
    let database = crate::paths::database(None).ok();
    crate::report::check_output(path, a.force, database.as_deref())?;
    let file =
        std::fs::File::create(path).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(Box::new(std::io::BufWriter::new(file)))
}

/// Reads up to [`BATCH_CHUNK`] lines, or [`BATCH_CHUNK_BYTES`] and one line, into `chunk`;
/// `false` at the end of the input.
fn read_chunk(
    input: &mut dyn BufRead,
    chunk: &mut Chunk,
    line: &mut usize,
    name: &Path,
) -> anyhow::Result<bool> {
    chunk.text.clear();
    chunk.lines.clear();
    let mut buf = Vec::new();
    while chunk.lines.len() < BATCH_CHUNK && chunk.text.len() < BATCH_CHUNK_BYTES {
        let Some(read) = read_bounded_line(&mut &mut *input, &mut buf, MAX_BATCH_LINE)
            .with_context(|| format!("reading {}", name.display()))?
        else {
            return Ok(false);
        };
        *line += 1;
        match read {
            BoundedLine::TooLong(n) => chunk.lines.push(ChunkLine::TooLong(*line, n)),
            BoundedLine::Text if buf.iter().all(u8::is_ascii_whitespace) => {}
            BoundedLine::Text => {
                let at = chunk.text.len();
                chunk.text.extend_from_slice(&buf);
                chunk
                    .lines
                    .push(ChunkLine::Text(*line, at..chunk.text.len()));
            }
        }
    }
    Ok(true)
}

/// A chunk on its way to a grouping thread and back: its place in the input, its lines and its
/// results.
struct Job {
    seq: usize,
    chunk: Chunk,
    results: Results,
}

/// What a batch has written: claims read, and those not grouped.
#[derive(Default)]
struct Counts {
    claims: usize,
    failed: usize,
}

/// Where a batch writes: its results, and the messages of its failed lines (standard error).
struct Sinks<'a> {
    out: &'a mut dyn Write,
    errors: &'a mut dyn Write,
}

/// Writes a chunk's results (its failed lines' messages in one write).
fn write_results(to: &mut Sinks, r: &Results, counts: &mut Counts) -> anyhow::Result<()> {
    counts.claims += r.lines;
    counts.failed += r.failed;
    to.out.write_all(&r.json)?;
    if !r.errors.is_empty() {
        let _ = to.errors.write_all(r.errors.as_bytes());
    }
    Ok(())
}

/// Reads, groups and writes the whole input on this thread (one core, or no thread to start).
fn run_here(
    input: &mut dyn BufRead,
    to: &mut Sinks,
    name: &Path,
    opts: &BatchOpts,
) -> anyhow::Result<Counts> {
    let (mut line, mut counts) = (0usize, Counts::default());
    let (mut chunk, mut memo, mut results) =
        (Chunk::default(), Memo::default(), Results::default());
    let mut more = true;
    while more {
        more = read_chunk(input, &mut chunk, &mut line, name)?;
        results.clear();
        group_lines(&chunk, &mut memo, &mut results, opts);
        write_results(to, &results, &mut counts)?;
    }
    Ok(counts)
}

/// Reads and writes on this thread while `threads` grouping threads group the chunks between,
/// at most [`CHUNKS_PER_THREAD`] per thread in hand at once.
fn run_threaded(
    input: &mut dyn BufRead,
    to: &mut Sinks,
    name: &Path,
    opts: &BatchOpts,
    threads: usize,
) -> anyhow::Result<Counts> {
    let stopped = || anyhow!("a grouping thread stopped unexpectedly");
    let (job_tx, job_rx) = mpsc::channel::<Job>();
    let job_rx = Mutex::new(job_rx);
    // A job whose grouping panicked comes back as its number alone.
    let (done_tx, done_rx) = mpsc::channel::<Result<Job, usize>>();
    std::thread::scope(|s| {
        // Owned here, so that however this ends (an error of reading or writing included) the
        // grouping threads see no more chunks are coming and stop.
        let job_tx = job_tx;
        let mut started = 0;
        for _ in 0..threads {
            let (job_rx, done_tx) = (&job_rx, done_tx.clone());
            let worker = move || {
                let mut memo = Memo::default();
                loop {
                    let Ok(mut job) = job_rx
                        .lock()
                        .map_err(drop)
                        .and_then(|rx| rx.recv().map_err(drop))
                    else {
                        return;
                    };
                    let grouped = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        group_lines(&job.chunk, &mut memo, &mut job.results, opts);
                    }));
                    let sent = match grouped {
                        Ok(()) => done_tx.send(Ok(job)),
                        Err(_) => done_tx.send(Err(job.seq)),
                    };
                    if sent.is_err() {
                        return;
                    }
                }
            };
            if std::thread::Builder::new().spawn_scoped(s, worker).is_ok() {
                started += 1;
            }
        }
        drop(done_tx);
        if started == 0 {
            drop(job_tx);
            return run_here(input, to, name, opts);
        }
        let in_hand = started * CHUNKS_PER_THREAD;
        let (mut line, mut counts) = (0usize, Counts::default());
        let mut spare: Vec<(Chunk, Results)> = Vec::new();
        let mut back: BTreeMap<usize, Job> = BTreeMap::new();
        let (mut sent, mut written, mut more) = (0usize, 0usize, true);
        loop {
            while more && sent - written < in_hand {
                let (mut chunk, mut results) = spare.pop().unwrap_or_default();
                more = read_chunk(input, &mut chunk, &mut line, name)?;
                if chunk.lines.is_empty() {
                    spare.push((chunk, results));
                    continue;
                }
                results.clear();
                let job = Job {
                    seq: sent,
                    chunk,
                    results,
                };
                job_tx.send(job).map_err(|_| stopped())?;
                sent += 1;
            }
            if written == sent {
                break;
            }
            let job = loop {
                if let Some(job) = back.remove(&written) {
                    break job;
                }
                let job = done_rx
                    .recv()
                    .map_err(|_| stopped())?
                    .map_err(|_| stopped())?;
                back.insert(job.seq, job);
            };
            write_results(to, &job.results, &mut counts)?;
            spare.push((job.chunk, job.results));
            written += 1;
        }
        Ok(counts)
    })
}

/// The closing line of a batch with lines not grouped: how many, of how many, and the rest.
fn summary(counts: &Counts) -> String {
    let rest = match counts.claims.saturating_sub(counts.failed) {
        0 => "none was grouped".to_string(),
        1 => "the other 1 was grouped".to_string(),
        n => format!("the other {n} were grouped"),
    };
    format!(
        "{} of {} claims not grouped (lines above); {rest}\n",
        counts.failed, counts.claims
    )
}

/// Runs `drg batch`.
pub(super) fn run_batch(a: &BatchArgs) -> anyhow::Result<ExitCode> {
    let opts = BatchOpts {
        params: a.pay.params()?,
        los: a.pay.los()?,
        path: a.path,
    };
    // The definitions open while the first lines are read (`main` has started them already
    // for a command line that begins `drg batch`; without a thread for it, they open when the
    // first line is grouped).
    drg::preload();
    let mut input: Box<dyn BufRead> = if a.file.as_os_str() == "-" {
        Box::new(std::io::BufReader::new(std::io::stdin().lock()))
    } else {
        let f = std::fs::File::open(&a.file)
            .with_context(|| format!("cannot read {}", a.file.display()))?;
        Box::new(std::io::BufReader::with_capacity(1 << 16, f))
    };
    let mut out = batch_output(a)?;
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let mut stderr = std::io::stderr();
    let mut to = Sinks {
        out: &mut *out,
        errors: &mut stderr,
    };
    let counts = if threads <= 1 {
        run_here(&mut *input, &mut to, &a.file, &opts)?
    } else {
        run_threaded(&mut *input, &mut to, &a.file, &opts, threads)?
    };
    out.flush()?;
    if counts.failed > 0 {
        // One write (standard error is not buffered).
        let _ = stderr.write_all(summary(&counts).as_bytes());
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The closing line counts the lines not grouped and says how many of the rest were, in
    /// words that fit the number.
    #[test]
    fn the_closing_line_fits_its_numbers() {
        let line = |failed, claims| summary(&Counts { claims, failed });
        assert_eq!(
            line(5, 10),
            "5 of 10 claims not grouped (lines above); the other 5 were grouped\n"
        );
        assert_eq!(
            line(4, 5),
            "4 of 5 claims not grouped (lines above); the other 1 was grouped\n"
        );
        assert_eq!(
            line(3, 3),
            "3 of 3 claims not grouped (lines above); none was grouped\n"
        );
    }

    /// Lines the scan leaves to the value reading, which says what is wrong with them or
    /// takes what the scan does not.
    #[test]
    fn the_scan_leaves_the_rest_to_the_value_reading() {
        let left = [
            r#"{"pdx":"J18.9","sex":"M","sex":"F","discharge":"alive"}"#,
            r#"{"pdx":"J18.\u0039","sex":"M","discharge":"alive"}"#,
            r#"{"pdx":"J18.9","sex":"M","discharge":"alive","sdx":[{"code":"I10","x":1}]}"#,
            r#"{"pdx":" ","sex":"M","discharge":"alive"}"#,
            r#"{"pdx":"J18.9","sex":"M","discharge":0}"#,
            r#"{"pdx":"J18.9","sex":"M","discharge":"alive","age":125}"#,
            r#"{"pdx":"J18.9","sex":"M","discharge":"alive","los":36501}"#,
            r#"{"pdx":"J18.9","sex":"M","discharge":"alive","discharge_date":"2026-13-01"}"#,
            r#"{"pdx":"J18.9","sex":"M","discharge":"alive","sdx":[],"poa":["Y"]}"#,
            r#"{"pdx":"J18.9","sex":"M","discharge":"alive","age":75.0}"#,
            r#"{"pdx":"J18.9","sex":"M","discharge":"alive"} {}"#,
        ];
        let mut scratch = scan::Scratch::default();
        for l in left {
            assert_eq!(scan::scan_into(l.as_bytes(), &mut scratch), None, "{l}");
        }
        // The value reading takes the first three (the last of a repeated key, an escape, an
        // object's key it does not read), and refuses the others with their reason.
        let taken: Vec<bool> = left
            .iter()
            .map(|l| value_claim(l.as_bytes()).is_ok())
            .collect();
        assert_eq!(taken.iter().filter(|t| **t).count(), 3);
        assert!(taken[..3].iter().all(|t| *t));
    }

    /// Lines that each group or fail, some not JSON at all.
    fn mixed_lines(n: usize) -> String {
        (0..n)
            .map(|i| match i % 5 {
                0 => "{\"pdx\":\"J18.9\",\"sdx\":[\"E87.1\"],\"sex\":\"M\",\"discharge\":\"alive\"}\n".to_string(),
                1 => "{\"pdx\":\"I50.9\",\"sex\":\"F\",\"discharge\":\"expired\"}\n".to_string(),
                2 => format!("not json {i}\n"),
                3 => "{\"pdx\":\"XXX\",\"sex\":\"F\",\"discharge\":\"alive\"}\n".to_string(),
                _ => "\n".to_string(),
            })
            .collect()
    }

    fn opts() -> BatchOpts {
        BatchOpts {
            params: PaymentParams::default(),
            los: None,
            path: false,
        }
    }

    /// The chunks shared out among threads come back in input order: the output is the one a
    /// single thread writes, byte for byte, whatever the number of threads.
    #[test]
    fn threads_write_what_one_thread_writes() {
        let text = mixed_lines(3 * BATCH_CHUNK + 17);
        let name = Path::new("claims.jsonl");
        let (mut one, mut one_err) = (Vec::new(), Vec::new());
        let mut to = Sinks {
            out: &mut one,
            errors: &mut one_err,
        };
        let counts = run_here(&mut text.as_bytes(), &mut to, name, &opts()).unwrap();
        assert_eq!(
            counts.claims,
            3 * BATCH_CHUNK + 17 - (3 * BATCH_CHUNK + 17) / 5
        );
        assert!(counts.failed > 0);
        for threads in [1, 2, 3, 8] {
            let (mut many, mut many_err) = (Vec::new(), Vec::new());
            let mut to = Sinks {
                out: &mut many,
                errors: &mut many_err,
            };
            let c = run_threaded(&mut text.as_bytes(), &mut to, name, &opts(), threads).unwrap();
            assert_eq!((c.claims, c.failed), (counts.claims, counts.failed));
            assert!(many == one, "{threads} threads");
            assert_eq!(many_err, one_err, "{threads} threads");
        }
    }

    /// Input that fails to read part-way (after several chunks are out to the threads) ends
    /// the batch with the reading error; the threads stop instead of waiting for more.
    #[test]
    fn a_reading_error_part_way_ends_the_batch() {
        struct FailsAfter(std::io::Cursor<Vec<u8>>);
        impl std::io::Read for FailsAfter {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                match self.0.read(buf)? {
                    0 => Err(std::io::Error::other("the disk went away")),
                    n => Ok(n),
                }
            }
        }
        let text = mixed_lines(5 * BATCH_CHUNK);
        let mut input = std::io::BufReader::with_capacity(
            64,
            FailsAfter(std::io::Cursor::new(text.into_bytes())),
        );
        let (mut out, mut errors) = (Vec::new(), Vec::new());
        let mut to = Sinks {
            out: &mut out,
            errors: &mut errors,
        };
        let e = run_threaded(&mut input, &mut to, Path::new("claims.jsonl"), &opts(), 2)
            .map(|_| ())
            .unwrap_err();
        assert_eq!(format!("{e:#}"), "reading claims.jsonl: the disk went away");
    }
}
