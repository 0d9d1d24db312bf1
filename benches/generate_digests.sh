#!/bin/sh
# Prints one line per (shipped scenario file, seed): the file, the seed and the SHA-256 of what
# `BIN generate FILE --seed SEED --count COUNT --format json` prints, sorted by file then seed.
# Run it with two builds of the program and compare the outputs with `diff`: generated
# patients must be byte-identical across changes that do not mean to change them.
#
#   benches/generate_digests.sh OLD_BIN 200 > old.txt
#   benches/generate_digests.sh NEW_BIN 200 > new.txt
#   diff old.txt new.txt && wc -l new.txt
#
# Arguments: BIN, SEEDS (seeds 1..=SEEDS, default 200), COUNT (patients per seed, default 2),
# JOBS (processes at a time, default 1), FILTER (a grep pattern the scenario files' paths must
# match, default all). Run from the project folder.
set -eu
bin=$1
seeds=${2:-200}
count=${3:-2}
jobs=${4:-1}
filter=${5:-.}
for file in $(find scenarios -name '*.ron' | grep -e "$filter" | LC_ALL=C sort); do
    seq 1 "$seeds" | sed "s|^|$file |"
done | xargs -P "$jobs" -L 1 sh -c '
    out=$("$0" generate "$2" --seed "$3" --count "$1" --format json) || {
        echo "$2 seed $3: generate failed" >&2
        exit 255
    }
    digest=$(printf "%s\n" "$out" | sha256sum | cut -d" " -f1)
    echo "$2 $3 $digest"
' "$bin" "$count" | LC_ALL=C sort -k1,1 -k2,2n
