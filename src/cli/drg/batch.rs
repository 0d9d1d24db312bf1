//! `ehr-sim drg batch`: a file of claims, one JSON object a line, grouped into one JSON result a
//! line, in input order, on every core.
//!
//! A line is read by a typed parse that borrows its strings from the line; a line that parse
//! does not take (an error, an escaped string, a repeated or unknown key, an `sdx` object with
//! other keys) is read again as a JSON value, which says exactly what is wrong or takes what the
//! typed parse left out. So the typed parse only makes the common line cheaper: every line
//! gives the result and the error message it would give read as a value.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::{BufRead, Write};
use std::ops::Range;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, anyhow, bail};
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::{
    BatchArgs, MAX_LOS, PayOut, parse_date, parse_discharge, parse_sex, payment_for, shorten,
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
        Some(Value::Number(n)) => match n.as_u64() {
            Some(k @ 1..=99) => DischargeStatus(u8::try_from(k).unwrap_or(1)),
            _ => return Err(format!("discharge {n}: use alive, expired or 01-99")),
        },
        _ => {
            return Err(
                "\"discharge\" is missing: use \"alive\", \"expired\" or a two-digit status code"
                    .to_string(),
            );
        }
    };
    let age = match m.get("age") {
        None | Some(Value::Null) => None,
        Some(Value::Number(n)) => match n.as_u64() {
            Some(a @ 0..=124) => Some(u8::try_from(a).unwrap_or(0)),
            _ => return Err(format!("age {n}: use whole years 0-124")),
        },
        Some(_) => return Err("\"age\" must be a number of years 0-124".to_string()),
    };
    let los = match m.get("los") {
        None | Some(Value::Null) => None,
        Some(Value::Number(n)) => match n.as_u64() {
            Some(d) if d <= u64::from(MAX_LOS) => Some(u32::try_from(d).unwrap_or(0)),
            _ => return Err(format!("los {n}: use whole days 0-{MAX_LOS}")),
        },
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

// ---- the typed parse of the common line ------------------------------------------------------

/// A batch line as the typed parse takes it: strings borrowed from the line (an escaped string
/// is refused, and the line read as a value).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Line<'a> {
    #[serde(borrow)]
    pdx: Option<&'a str>,
    #[serde(borrow)]
    sdx: Option<Vec<Sdx<'a>>>,
    #[serde(borrow)]
    poa: Option<Vec<&'a str>>,
    #[serde(borrow)]
    pcs: Option<Vec<&'a str>>,
    #[serde(borrow)]
    sex: Option<&'a str>,
    age: Option<u64>,
    #[serde(borrow)]
    discharge: Option<Status<'a>>,
    #[serde(borrow)]
    discharge_date: Option<&'a str>,
    los: Option<u64>,
}

/// A secondary diagnosis: a code, or a `{"code", "poa"}` object with no other key.
struct Sdx<'a> {
    code: &'a str,
    poa: Option<&'a str>,
}

/// The discharge status: a word or two-digit code, or a number.
#[derive(Deserialize)]
#[serde(untagged)]
enum Status<'a> {
    Text(&'a str),
    Number(u64),
}

struct SdxVisitor;

impl<'de> serde::de::Visitor<'de> for SdxVisitor {
    type Value = Sdx<'de>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a code string or {\"code\", \"poa\"}")
    }

    fn visit_borrowed_str<E: serde::de::Error>(self, code: &'de str) -> Result<Sdx<'de>, E> {
        Ok(Sdx { code, poa: None })
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Sdx<'de>, A::Error> {
        let (mut code, mut poa): (Option<&'de str>, Option<Option<&'de str>>) = (None, None);
        while let Some(key) = map.next_key::<&'de str>()? {
            match key {
                "code" if code.is_none() => code = Some(map.next_value()?),
                "poa" if poa.is_none() => poa = Some(map.next_value()?),
                _ => return Err(serde::de::Error::custom("read as a value")),
            }
        }
        let code = code.ok_or_else(|| serde::de::Error::missing_field("code"))?;
        Ok(Sdx {
            code,
            poa: poa.flatten(),
        })
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Sdx<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(SdxVisitor)
    }
}

/// The claim of a line the typed parse takes and every rule accepts; `None` for anything else
/// (the line is then read as a value, which gives the message).
fn typed_claim(text: &[u8]) -> Option<(Claim, Option<u32>)> {
    let l: Line = serde_json::from_slice(text).ok()?;
    let pdx = l.pdx.filter(|p| !p.trim().is_empty())?;
    let sex = parse_sex("sex", l.sex?).ok()?;
    let discharge = match l.discharge? {
        Status::Text(s) => parse_discharge("discharge", s).ok()?,
        Status::Number(k @ 1..=99) => DischargeStatus(u8::try_from(k).ok()?),
        Status::Number(_) => return None,
    };
    let age = match l.age {
        None => None,
        Some(a @ 0..=124) => Some(u8::try_from(a).ok()?),
        Some(_) => return None,
    };
    let los = match l.los {
        None => None,
        Some(d) if d <= u64::from(MAX_LOS) => Some(u32::try_from(d).ok()?),
        Some(_) => return None,
    };
    let discharge_date = match l.discharge_date {
        None => None,
        Some(d) => Some(parse_date("discharge_date", d).ok()?),
    };
    let items = l.sdx.unwrap_or_default();
    let poa = l.poa.unwrap_or_default();
    if poa.len() > items.len() {
        return None;
    }
    let mut sdx = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let indicator = match item.poa.or(poa.get(i).copied()) {
            Some(p) => Poa::parse(p)?,
            None => Poa::Y,
        };
        sdx.push((item.code.to_string(), indicator));
    }
    let claim = Claim {
        pdx: pdx.to_string(),
        sdx,
        pcs: l
            .pcs
            .unwrap_or_default()
            .into_iter()
            .map(str::to_string)
            .collect(),
        age,
        sex,
        discharge,
        discharge_date,
    };
    Some((claim, los))
}

/// A line read: its claim and own length of stay, or the error's kind and message.
type LineClaim = Result<(Claim, Option<u32>), (&'static str, String)>;

/// A line as a claim: the typed parse, or the line read as a value (with the error's kind,
/// "json" or "input").
fn line_claim(text: &[u8]) -> LineClaim {
    if let Some(c) = typed_claim(text) {
        return Ok(c);
    }
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
    payments: &'m mut HashMap<PaymentKey, Result<Vec<u8>, String>>,
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

/// What a grouping's head fields hold: version, DRG, title, MDC, type, and the bits of the
/// weight, GMLOS and AMLOS.
type HeadKey = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    [u64; 3],
);

/// A grouping's head fields as JSON text (without braces), written once per version and DRG.
fn head_json<'m>(
    heads: &'m mut HashMap<HeadKey, Vec<u8>>,
    g: &drg::group::Decision<'static>,
) -> Result<&'m [u8], String> {
    let bits = |x: Option<f64>| x.map_or(u64::MAX, f64::to_bits);
    let key = (
        g.version,
        g.drg,
        g.title,
        g.mdc,
        g.kind,
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

/// The results of a run of lines: their JSON lines, in order, and the errors of the failed ones
/// as standard error shows them.
#[derive(Default)]
struct Results {
    json: Vec<u8>,
    errors: String,
    failed: usize,
    lines: usize,
    payments: HashMap<PaymentKey, Result<Vec<u8>, String>>,
    heads: HashMap<HeadKey, Vec<u8>>,
}

impl Results {
    fn failed(&mut self, line: usize, kind: &str, error: &str) {
        let _ = serde_json::to_writer(
            &mut self.json,
            &json!({"line": line, "error": error, "kind": kind}),
        );
        self.json.push(b'\n');
        let _ = writeln!(self.errors, "line {line}: {error}");
        self.failed += 1;
    }

    /// Groups one line and appends its result.
    fn line(&mut self, line: usize, read: LineClaim, opts: &BatchOpts) {
        self.lines += 1;
        let (claim, own_los) = match read {
            Ok(c) => c,
            Err((kind, e)) => return self.failed(line, kind, &e),
        };
        let grouped = drg::definitions()
            .map_err(|e| GroupError::Definitions(e.to_string()))
            .and_then(|defs| drg::group::decide(defs, &claim, opts.path));
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
        let _ = write!(self.json, "{{\"line\":{line},");
        let written = head_json(&mut self.heads, &g).map(|head| self.json.extend_from_slice(head));
        let at = self.json.len();
        // The claim's own fields follow the head's: their object's braces are dropped.
        let written = written.and_then(|()| {
            serde_json::to_writer(&mut self.json, &g.tail()).map_err(|e| e.to_string())
        });
        if let Err(e) = written.and_then(|()| inner(&self.json[at..]).map(|_| ())) {
            self.json.truncate(start);
            return self.failed(line, "output", &e);
        }
        self.json[at] = b',';
        self.json.pop();
        match payment_json(&mut self.payments, &g, claim.discharge.0, los, &opts.params) {
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

fn group_lines(chunk: &Chunk, lines: &[ChunkLine], opts: &BatchOpts) -> Results {
    // Every line is read before any is grouped, so the definitions open meanwhile.
    let read: Vec<(usize, LineClaim)> = lines
        .iter()
        .map(|l| match l {
            ChunkLine::Text(line, range) => (
                *line,
                line_claim(chunk.text.get(range.clone()).unwrap_or_default()),
            ),
            ChunkLine::TooLong(line, n) => (
                *line,
                Err((
                    "input",
                    format!("line of {n} bytes: a claim line holds at most {MAX_BATCH_LINE} bytes"),
                )),
            ),
        })
        .collect();
    let mut out = Results {
        json: Vec::with_capacity(lines.len() * 512),
        ..Results::default()
    };
    for (line, claim) in read {
        out.line(line, claim, opts);
    }
    out
}

/// Lines read and grouped together (on every core) before their results are written in order.
const BATCH_CHUNK: usize = 8192;
/// A chunk also ends once its lines hold this many bytes, so that a file of long lines is
/// still read a few megabytes at a time.
const BATCH_CHUNK_BYTES: usize = 8 << 20;

/// Groups a chunk of lines, on `threads` threads when it is large enough: the results of each
/// thread's run of lines, in input order.
fn group_chunk(chunk: &Chunk, opts: &BatchOpts, threads: usize) -> anyhow::Result<Vec<Results>> {
    if threads <= 1 || chunk.lines.len() < 256 {
        return Ok(vec![group_lines(chunk, &chunk.lines, opts)]);
    }
    let per = chunk.lines.len().div_ceil(threads);
    std::thread::scope(|s| {
        // A part whose thread cannot be started is grouped here, after the others start.
        let parts: Vec<_> = chunk
            .lines
            .chunks(per)
            .map(|part| {
                std::thread::Builder::new()
                    .spawn_scoped(s, move || group_lines(chunk, part, opts))
                    .map_err(|_| part)
            })
            .collect();
        parts
            .into_iter()
            .map(|part| match part {
                Ok(thread) => thread
                    .join()
                    .map_err(|_| anyhow!("a grouping thread stopped unexpectedly")),
                Err(part) => Ok(group_lines(chunk, part, opts)),
            })
            .collect()
    })
}

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

/// Runs `drg batch`.
pub(super) fn run_batch(a: &BatchArgs) -> anyhow::Result<ExitCode> {
    let opts = BatchOpts {
        params: a.pay.params()?,
        los: a.pay.los()?,
        path: a.path,
    };
    // The definitions open while the first lines are read (or, without a thread for it, when
    // the first line is grouped).
    let _ = std::thread::Builder::new().spawn(|| drg::definitions().is_ok());
    let mut input: Box<dyn BufRead> = if a.file.as_os_str() == "-" {
        Box::new(std::io::BufReader::new(std::io::stdin().lock()))
    } else {
        let f = std::fs::File::open(&a.file)
            .with_context(|| format!("cannot read {}", a.file.display()))?;
        Box::new(std::io::BufReader::with_capacity(1 << 16, f))
    };
    let mut out = batch_output(a)?;
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let (mut line, mut claims, mut failed) = (0usize, 0usize, 0usize);
    let mut chunk = Chunk::default();
    let mut more = true;
    while more {
        more = read_chunk(&mut *input, &mut chunk, &mut line, &a.file)?;
        // The failed lines of a chunk go to standard error in one write.
        let mut errors = String::new();
        for r in group_chunk(&chunk, &opts, threads)? {
            claims += r.lines;
            failed += r.failed;
            out.write_all(&r.json)?;
            errors.push_str(&r.errors);
        }
        if !errors.is_empty() {
            let _ = std::io::stderr().lock().write_all(errors.as_bytes());
        }
    }
    out.flush()?;
    if failed > 0 {
        eprintln!(
            "{failed} of {claims} claims not grouped (lines above); the other {} were grouped",
            claims.saturating_sub(failed)
        );
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The typed parse takes the common line, and whatever it takes it reads as the value
    /// reading does.
    #[test]
    fn the_typed_parse_agrees_with_the_value_reading() {
        let lines = [
            r#"{"pdx":"A41.9","sdx":["R65.20",{"code":"L89.153","poa":"N"}],"pcs":["0SR9019"],"sex":"F","age":80,"discharge":"alive","discharge_date":"2026-05-01","los":3}"#,
            r#"{"pdx":"J18.9","sdx":["E87.1","I10"],"poa":["N"],"sex":"m","discharge":20}"#,
            r#"{"pdx":"J18.9","sdx":null,"poa":null,"pcs":null,"age":null,"los":null,"discharge_date":null,"sex":"U","discharge":"03"}"#,
            r#"{"pdx":"J18.9","sdx":[{"code":"E87.1","poa":null}],"sex":"M","discharge":"expired"}"#,
        ];
        for l in lines {
            let typed = typed_claim(l.as_bytes());
            let value: Value = serde_json::from_str(l).unwrap_or_default();
            assert!(typed.is_some(), "{l}");
            assert_eq!(typed, batch_claim(&value).ok(), "{l}");
        }
        // Left to the value reading: it says what is wrong, or takes what the typed parse
        // does not.
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
        ];
        for l in left {
            assert_eq!(typed_claim(l.as_bytes()), None, "{l}");
        }
    }
}
