//! Builds, from the shipped asset texts, what the program reads in place instead of parsing text
//! when it starts:
//!
//! - the MS-DRG index (src/terminology/drg/index.rs), instead of 8.8 MB of definitions;
//! - the look-up layouts of ICD-10-CM and ICD-10-PCS (src/terminology/layout.rs): the code
//!   table and the search index, made by the program's own asset reader, code set and index
//!   builder (compiled here from the same files), then checked record by record against them.

use std::path::{Path, PathBuf};

#[allow(dead_code, unreachable_pub)]
#[path = "src/terminology/drg/index.rs"]
mod drg_index;

// The terminology files the look-up layouts are made with, mounted as the program mounts them
// (`crate::terminology::…`), with stand-ins for the program-wide look-ups they never call here.
#[allow(dead_code, unreachable_pub, missing_docs)]
#[path = "src/terminology/asset.rs"]
mod asset;
#[allow(dead_code, unreachable_pub, missing_docs)]
#[path = "src/terminology/codeset.rs"]
mod codeset;
#[allow(dead_code, unreachable_pub, missing_docs)]
#[path = "src/terminology/search/fuzzy.rs"]
mod fuzzy;
#[allow(dead_code, unreachable_pub, missing_docs)]
#[path = "src/terminology/kinds.rs"]
mod kinds;
#[allow(dead_code, unreachable_pub, missing_docs)]
#[path = "src/terminology/layout.rs"]
mod layout;
#[allow(dead_code, unreachable_pub, missing_docs)]
#[path = "src/terminology/search/index.rs"]
mod search_index;
#[allow(dead_code, unreachable_pub, missing_docs)]
#[path = "src/terminology/synonyms.rs"]
mod synonyms;
#[allow(dead_code, unreachable_pub, missing_docs)]
#[path = "src/terminology/syntax.rs"]
mod syntax;

use kinds::{Note, NoteKind, System, TerminologyError};

/// `crate::terminology` as the mounted files name it.
#[allow(dead_code, unreachable_pub)]
mod terminology {
    pub(crate) use crate::codeset::Entry;
    pub(crate) use crate::{NoteKind, System, codeset, synonyms, syntax};

    pub mod search {
        pub(crate) use crate::fuzzy;
        pub(crate) use crate::search_index as index;
    }

    /// No set is loaded while building.
    pub fn listed(_system: System, _code: &str) -> bool {
        false
    }
}

/// No set is loaded while building (only `Entry::notes_with_inherited` asks).
#[allow(dead_code)]
fn code_set(_system: System) -> Option<&'static codeset::CodeSet> {
    None
}

const ASSET: &str = "assets/drg/msdrg_v43.ehrt.z";
/// The asset's compression header (src/terminology/asset.rs): magic, then the text length.
const LZ4_MAGIC: &[u8] = b"EHRT-LZ4";

/// The shipped code sets and the layout file each becomes.
const CODE_SETS: [(&str, &str); 2] = [
    ("assets/terminology/icd10cm.ehrt.z", "icd10cm.lay"),
    ("assets/terminology/icd10pcs.ehrt.z", "icd10pcs.lay"),
];

/// The files the layouts depend on.
const LAYOUT_SOURCES: [&str; 9] = [
    "assets/terminology/synonyms.ron",
    "src/terminology/asset.rs",
    "src/terminology/codeset.rs",
    "src/terminology/kinds.rs",
    "src/terminology/layout.rs",
    "src/terminology/search/fuzzy.rs",
    "src/terminology/search/index.rs",
    "src/terminology/synonyms.rs",
    "src/terminology/syntax.rs",
];

fn main() -> Result<(), String> {
    pack_relative_relocations();
    println!("cargo::rerun-if-changed={ASSET}");
    println!("cargo::rerun-if-changed=src/terminology/drg/index.rs");
    let out = PathBuf::from(std::env::var("OUT_DIR").map_err(|e| e.to_string())?);
    build_drg(&out)?;
    for source in LAYOUT_SOURCES {
        println!("cargo::rerun-if-changed={source}");
    }
    for (asset, file) in CODE_SETS {
        println!("cargo::rerun-if-changed={asset}");
        build_layout(asset, &out.join(file))?;
    }
    Ok(())
}

fn build_drg(out: &Path) -> Result<(), String> {
    let bytes = std::fs::read(ASSET).map_err(|e| format!("{ASSET}: {e}"))?;
    let rest = bytes.strip_prefix(LZ4_MAGIC).ok_or_else(|| {
        format!("{ASSET}: not an LZ4 asset; regenerate it with `ehr-sim drg import`")
    })?;
    let (len, block) = rest
        .split_at_checked(4)
        .ok_or(format!("{ASSET}: truncated"))?;
    let len = u32::from_le_bytes([len[0], len[1], len[2], len[3]]) as usize;
    let text = lz4_flex::block::decompress(block, len).map_err(|e| format!("{ASSET}: {e}"))?;
    let text = String::from_utf8(text).map_err(|e| format!("{ASSET}: {e}"))?;
    let built = drg_index::build(&text).map_err(|e| format!("{ASSET}: {e}"))?;
    drg_index::verify(&built).map_err(|e| format!("{ASSET}: {e}"))?;
    std::fs::write(out.join("msdrg_v43.idx"), built).map_err(|e| e.to_string())
}

/// Reads a shipped code set as the program does, builds its search index with the shipped term
/// layer and no Alphabetic Index (as the program's search does), writes the layout and checks it.
fn build_layout(asset: &str, out: &Path) -> Result<(), String> {
    let bytes = std::fs::read(asset).map_err(|e| format!("{asset}: {e}"))?;
    let set = asset::load(asset, &bytes).map_err(|e| e.to_string())?;
    let synonyms = synonyms::parse(synonyms::SYNONYMS_RON).ok();
    let index = search_index::Index::build_with(&set, synonyms.as_ref(), &[]);
    let image = layout::build(&set, &index);
    layout::verify(&image, &set, &index).map_err(|e| format!("{asset}: layout: {e}"))?;
    std::fs::write(out, image).map_err(|e| format!("{}: {e}", out.display()))
}

/// Links the program with packed relative relocations (`-z pack-relative-relocs`, DT_RELR) where
/// the C library that will load it reads them: a native build for Linux with glibc 2.36 or newer.
/// The program's 67,000 relative relocations then take about 20 KB instead of 1.6 MB, which the
/// dynamic loader no longer reads page by page at every start (`drg batch` of 5,000 claims and
/// `ehr-sim --version` both about a tenth faster; docs/domain/ms-drg.md §9.9). The linker marks
/// such a program as needing glibc's `GLIBC_ABI_DT_RELR`, so an older glibc refuses it with a
/// message instead of running it unrelocated; that is why the flag is given only when the glibc
/// this build script runs on (the one a native build's program runs on) defines that version.
/// A linker too old to know the flag ignores it with a warning.
fn pack_relative_relocations() {
    let var = |name: &str| std::env::var(name).unwrap_or_default();
    let native = var("HOST") == var("TARGET");
    if native
        && var("CARGO_CFG_TARGET_OS") == "linux"
        && var("CARGO_CFG_TARGET_ENV") == "gnu"
        && own_glibc_reads_relr()
    {
        println!("cargo::rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
    }
}

/// Whether the glibc this process runs on defines the `GLIBC_ABI_DT_RELR` version (2.36 and
/// newer): its `libc.so.6`, found among this process's mappings, names it.
fn own_glibc_reads_relr() -> bool {
    const VERSION: &[u8] = b"GLIBC_ABI_DT_RELR\0";
    let Ok(maps) = std::fs::read_to_string("/proc/self/maps") else {
        return false;
    };
    let libc = maps
        .lines()
        .filter_map(|line| line.split_whitespace().nth(5))
        .find(|path| {
            Path::new(path)
                .file_name()
                .is_some_and(|f| f == "libc.so.6")
        });
    libc.and_then(|path| std::fs::read(path).ok())
        .is_some_and(|bytes| bytes.windows(VERSION.len()).any(|w| w == VERSION))
}
