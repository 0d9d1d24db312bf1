//! Builds the MS-DRG index (src/terminology/drg/index.rs) from the shipped asset text, so the
//! program reads its definitions in place instead of parsing 8.8 MB of text when it starts.

use std::path::PathBuf;

#[allow(dead_code, unreachable_pub)]
#[path = "src/terminology/drg/index.rs"]
mod index;

const ASSET: &str = "assets/drg/msdrg_v43.ehrt.z";
/// The asset's compression header (src/terminology/asset.rs): magic, then the text length.
const LZ4_MAGIC: &[u8] = b"EHRT-LZ4";

fn main() -> Result<(), String> {
    println!("cargo::rerun-if-changed={ASSET}");
    println!("cargo::rerun-if-changed=src/terminology/drg/index.rs");
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
    let built = index::build(&text).map_err(|e| format!("{ASSET}: {e}"))?;
    index::verify(&built).map_err(|e| format!("{ASSET}: {e}"))?;
    let out = PathBuf::from(std::env::var("OUT_DIR").map_err(|e| e.to_string())?);
    std::fs::write(out.join("msdrg_v43.idx"), built).map_err(|e| e.to_string())
}
