#!/usr/bin/env bash
# Byte-for-byte equivalence of `codes show` and `codes search` between two builds of ehr-sim:
#
#   benches/codes_equivalence.sh OLD_BINARY NEW_BINARY [WORK_DIR]
#
# Runs both binaries over the same corpus and compares, case by case, stdout, stderr and the
# exit status. The corpus is made from the OLD binary's own answers (so it does not depend on
# the code under test): every 40th ICD-10-CM code and every 60th ICD-10-PCS code listed by
# code-prefix searches, their categories, blocks and chapters, 7th-character expansions,
# headers, unknown codes and malformed input, each shown as text and as JSON and under the
# --system flags; then searches over every term of assets/terminology/synonyms.ron, words of
# real titles, misspellings, code prefixes, an empty query, each --system, --limit and --json.
# Both binaries run with an empty user data directory (no imported HCPCS, CPT or Alphabetic
# Index). Prints the number of cases and the first differences; exits 1 on any difference.
# REUSE_OLD=1 with the WORK_DIR of an earlier run compares against that run's old answers.
set -euo pipefail

old=${1:?usage: codes_equivalence.sh OLD_BINARY NEW_BINARY [WORK_DIR]}
new=${2:?usage: codes_equivalence.sh OLD_BINARY NEW_BINARY [WORK_DIR]}
work=${3:-$(mktemp -d)}
repo=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$work/data"
export EHR_SIM_DATA_DIR="$work/data"

# --- the corpus -------------------------------------------------------------------------
# The shipped assets' items (format in src/terminology/asset.rs: an "EHRT-LZ4" header, the text
# length, one LZ4 block), decompressed here so the corpus does not come from either binary.
asset_items() { # ASSET → "KIND<TAB>CODE" lines
  python3 - "$1" <<'PY'
import sys
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"EHRT-LZ4", "not an LZ4 asset"
size = int.from_bytes(data[8:12], "little")
src, out, i = data[12:], bytearray(), 0
while i < len(src):
    token = src[i]; i += 1
    n = token >> 4
    if n == 15:
        while True:
            b = src[i]; i += 1; n += b
            if b != 255: break
    out += src[i:i + n]; i += n
    if i >= len(src): break
    off = src[i] | src[i + 1] << 8; i += 2
    m = token & 15
    if m == 15:
        while True:
            b = src[i]; i += 1; m += b
            if b != 255: break
    m += 4
    for _ in range(m): out.append(out[-off])
assert len(out) == size, "damaged asset"
for line in out.decode().split("\n"):
    f = line.split("\t")
    if f[0] in ("C", "B"): print(f[0] + "\t" + f[1])
    elif f[0] == "D": print("D\t" + f[2])
    elif f[0] == "7": print("7\t" + f[1])
PY
}
asset_items "$repo/assets/terminology/icd10cm.ehrt.z" >"$work/cm_items"
asset_items "$repo/assets/terminology/icd10pcs.ehrt.z" >"$work/pcs_items"
awk -F'\t' '$1 == "D" { print $2 }' "$work/cm_items" >"$work/cm_all"
awk -F'\t' '$1 == "D" { print $2 }' "$work/pcs_items" >"$work/pcs_all"
awk 'NR % 40 == 1' "$work/cm_all" >"$work/cm_codes"
awk 'NR % 60 == 1' "$work/pcs_all" >"$work/pcs_codes"
# 7th-character codes: codes of the chapters with 7th-character tables padded to six
# characters with X, then A, D or S (some exist, some do not).
grep -E '^[STMO]' "$work/cm_all" | awk 'NR % 60 == 0 {
  k = $0; gsub(/\./, "", k); while (length(k) < 6) k = k "X";
  print substr(k, 1, 3) "." substr(k, 4) substr("ADS", NR % 3 + 1, 1) }' >"$work/cm_seventh"
{
  cat "$work/cm_codes" "$work/cm_seventh"
  awk -F'\t' '$1 == "C" || $1 == "B" { print $2 }' "$work/cm_items" "$work/pcs_items" | awk 'NR % 3 == 0'
  cut -c1-3 "$work/cm_codes" | sort -u                 # categories
  sed -e 's/\.//' -e 'y/ABCDEFGHIJKLMNOPQRSTUVWXYZ/abcdefghijklmnopqrstuvwxyz/' "$work/cm_codes" | awk 'NR % 5 == 0'
  awk 'NR % 7 == 0 { print $0 "9" }' "$work/cm_codes"   # one character too many
  cat "$work/pcs_codes"
  cut -c1-3 "$work/pcs_codes" | sort -u                # PCS tables
  awk 'NR % 9 == 0 { print substr($0, 1, 6) "Z" }' "$work/pcs_codes"  # other 7th characters
  awk 'NR % 9 == 0 { print substr($0, 1, 6) }' "$work/pcs_codes"      # too short
  printf '%s\n' E08-E13 I10-I1A S50-S59 A00-A09 Z66 B20 F99 R99 P84 1 4 19 21 22 \
    T78.3XXA T783XXA S52.501A S06.378A S06.378D s52.501a ' e11.22 ' E11. E11..22 E11-22 \
    XYZ ZZZ 123 0DT 0DTJ 0DTJ4Z 0DTJ4ZZ 0DTJ4ZZZ 0DO 00I6070 B020ZZZ X2A5312 '' ' ' . - \
    E1122 é É11.22 'E11 22' 0016070 0016071 001607A U07.1 U071 Z68.41 O09.A0 O9A.111
} >"$work/show_cases"

{
  grep -o 'terms: \[[^]]*\]' "$repo/assets/terminology/synonyms.ron" | grep -o '"[^"]*"' | tr -d '"'
  # Words of real titles (every 300th code's description, its first three and its last word).
  "$old" codes search diab --limit 400 | cut -c13- | awk 'NF { print $1 " " $2 " " $3; print $NF }'
  "$old" codes search --system icd10pcs bypass --limit 100 | cut -c13- | awk 'NF { print $1 " " $2 }' 
  # Misspellings, code prefixes and odd input.
  printf '%s\n' fractre diabetis pnuemonia hypertenshun fibrilation 'astma acute' \
    'kidny failure' 'brest cancer' 'migrane with aura' 'apendicitis' 'cholecystitus' \
    E11 E11.2 e112 E11.22 S52.5 0DT 0DTJ4ZZ A41.51 Z68 'bmi 41' 'bmi 19' 'stage 3 ckd' \
    'sepsis qqqq' qqqq 'a' 'of the' 'with without' '' ' ' '!!' '41.5' 'type 2' \
    'fracture closed for encounter initial foot right bone metatarsal fourth of fracture nondisplaced' \
    'other' 'other specified' 'unspecified' 'right' 'left lower leg' 'heart attack' 'high blood pressure'
} | awk '!seen[$0]++' >"$work/search_words"

# --- the runs -----------------------------------------------------------------------------
run_case() { # BINARY ARG…
  local bin=$1
  shift
  printf '=== '
  printf '%q ' "$@"
  printf '\n'
  local rc=0
  "$bin" "$@" >"$work/out" 2>"$work/err" || rc=$?
  cat "$work/out"
  printf -- '--- stderr\n'
  cat "$work/err"
  printf -- '--- exit %s\n' "$rc"
}

run_all() { # BINARY
  local bin=$1
  while IFS= read -r code; do
    run_case "$bin" codes show "$code"
  done <"$work/show_cases"
  awk 'NR % 4 == 0' "$work/show_cases" | while IFS= read -r code; do
    run_case "$bin" codes show "$code" --json
  done
  awk 'NR % 10 == 0' "$work/show_cases" | while IFS= read -r code; do
    for system in icd10cm icd10pcs hcpcs cpt; do
      run_case "$bin" codes show --system "$system" "$code"
    done
  done
  while IFS= read -r query; do
    run_case "$bin" codes search "$query"
  done <"$work/search_words"
  awk 'NR % 3 == 0' "$work/search_words" | while IFS= read -r query; do
    run_case "$bin" codes search --json --limit 5 "$query"
  done
  awk 'NR % 5 == 0' "$work/search_words" | while IFS= read -r query; do
    run_case "$bin" codes search --system icd10pcs "$query"
  done
  awk 'NR % 25 == 0' "$work/search_words" | while IFS= read -r query; do
    for flags in "--limit 0" "--limit 1" "--limit 60" "--system hcpcs" "--system cpt"; do
      # shellcheck disable=SC2086
      run_case "$bin" codes search $flags "$query"
    done
  done
  run_case "$bin" codes search --system icd10pcs appendectomy
  run_case "$bin" codes search --system icd10pcs 'excision of appendix, open approach'
  run_case "$bin" codes search --system icd10pcs --json --limit 3 'bypass coronary artery'
  run_case "$bin" codes search diabetes kidney
  run_case "$bin" codes search diabetes kidney --json
}

# Both under one name, so that messages naming the program read the same.
mkdir -p "$work/old" "$work/new"
cp "$old" "$work/old/ehr-sim"
cp "$new" "$work/new/ehr-sim"
# REUSE_OLD=1 keeps the old binary's answers of an earlier run in the same WORK_DIR (the
# corpus is the same; the old binary is the slow one).
if [ "${REUSE_OLD:-0}" != 1 ] || [ ! -s "$work/old.txt" ]; then
  run_all "$work/old/ehr-sim" >"$work/old.txt"
fi
run_all "$work/new/ehr-sim" >"$work/new.txt"
cases=$(grep -c '^=== ' "$work/old.txt")
show=$(grep -c '^=== codes show' "$work/old.txt")
search=$(grep -c '^=== codes search' "$work/old.txt")
if cmp -s "$work/old.txt" "$work/new.txt"; then
  echo "identical: $cases cases ($show codes show, $search codes search), $(wc -c <"$work/old.txt") bytes"
else
  echo "DIFFERENT over $cases cases ($show codes show, $search codes search):"
  diff "$work/old.txt" "$work/new.txt" | head -40
  exit 1
fi
