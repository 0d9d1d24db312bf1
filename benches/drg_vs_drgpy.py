#!/usr/bin/env python3
"""Compare `ehr-sim drg batch` with the Python MS-DRG grouper drgpy 0.2.1 on the same claims.

Usage:
    python3 benches/drg_vs_drgpy.py [--claims FILE.jsonl] [--count 5000]
                                    [--ehr-sim PATH] [--venv DIR] [--runs 5] [--drgpy-runs 3]

Without --claims, `ehr-sim bench drg --claims COUNT --write-claims` writes the claim set (built
from the shipped inpatient coding scenarios). drgpy runs in a virtual environment (created with
`python3 -m venv` and `pip install drgpy==0.2.1` when missing) and groups every claim
in-process, timed without its import and engine load (median of --drgpy-runs passes, each a
process of its own); `ehr-sim drg batch` is timed as a whole process (median of --runs). The
drgpy passes alternate with blocks of the batch runs, so a change of the machine's speed during
the call weighs on both. Prints the timings, their ratio, the agreement count and each
distinct disagreement (our DRG, drgpy's DRG, the claim); claims our grouper does not decide
are counted apart. Never run from `cargo test` (it needs the network the first time).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DRGPY = "drgpy==0.2.1"

# Runs inside the venv: groups each claim of argv[1] with drgpy, prints JSON {seconds, drgs}.
WORKER = r"""
import json, sys, time
from drgpy.msdrg import DRGEngine
claims = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
engine = DRGEngine(version="v43.1")
def args(c):
    norm = lambda s: s.replace(".", "").strip().upper()
    sdx = [(i, "Y") if isinstance(i, str) else (i["code"], i.get("poa") or "Y") for i in c.get("sdx", [])]
    dx = [norm(c["pdx"])] + [norm(code) for code, _ in sdx]
    poa = {norm(code): p for code, p in sdx}
    status = {"alive": "01", "expired": "20"}.get(c["discharge"], c["discharge"])
    return dict(dx_lst=dx, pr_lst=[norm(p) for p in c.get("pcs", [])], gender=c["sex"],
                is_alive=status != "20", poa=poa, discharge_status=status)
prepared = [args(c) for c in claims]
out = []
start = time.perf_counter()
for a in prepared:
    try:
        out.append(engine.get_drg(**a))
    except Exception as e:  # drgpy's own refusal of a claim
        out.append("error: %s" % type(e).__name__)
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "drgs": out}))
"""


def venv_python(venv: Path) -> Path:
    python = venv / "bin" / "python"
    if not python.exists():
        print(f"creating {venv} and installing {DRGPY} …", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", DRGPY], check=True)
    return python


def default_binary() -> str:
    for profile in ("release", "debug"):
        target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
        exe = target / profile / "ehr-sim"
        if exe.exists():
            return str(exe)
    return "ehr-sim"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--claims", type=Path, help="claims JSONL (default: written by bench drg)")
    ap.add_argument("--count", type=int, default=5000, help="claims to write without --claims")
    ap.add_argument("--ehr-sim", default=default_binary(), help="the ehr-sim binary")
    ap.add_argument("--venv", type=Path, default=Path(tempfile.gettempdir()) / "ehr-sim-drgpy-venv")
    ap.add_argument("--runs", type=int, default=5, help="whole-process runs of drg batch")
    ap.add_argument("--drgpy-runs", type=int, default=3,
                    help="drgpy passes (each in its own process), alternated with blocks of the runs")
    args = ap.parse_args()

    work = Path(tempfile.mkdtemp(prefix="drg-vs-drgpy-"))
    claims_path = args.claims
    if claims_path is None:
        claims_path = work / "claims.jsonl"
        subprocess.run(
            [args.ehr_sim, "bench", "drg", "--claims", str(args.count), "--secs", "0",
             "--write-claims", str(claims_path)],
            check=True, cwd=ROOT, stdout=subprocess.DEVNULL,
        )
    claims = [json.loads(l) for l in claims_path.read_text().splitlines() if l.strip()]

    python = venv_python(args.venv)
    worker = work / "worker.py"
    worker.write_text(WORKER)

    def drgpy_pass():
        res = subprocess.run([str(python), str(worker), str(claims_path)], check=True,
                             capture_output=True, text=True)
        return json.loads(res.stdout)

    out_path = work / "results.jsonl"

    def ours_pass():
        if out_path.exists():
            out_path.unlink()
        start = time.perf_counter()
        done = subprocess.run([args.ehr_sim, "drg", "batch", str(claims_path), "--output",
                               str(out_path)], cwd=ROOT, stderr=subprocess.DEVNULL)
        seconds = time.perf_counter() - start
        if done.returncode not in (0, 1):
            raise SystemExit(f"drg batch failed with exit code {done.returncode}")
        return seconds

    # The two are timed in turn, a drgpy pass (a process of its own, its first pass over the
    # claims) before each block of drg batch runs, so that a change in the shared machine's
    # speed during the call weighs on both.
    rounds = max(1, args.drgpy_runs)
    runs = max(1, args.runs)
    theirs, drgpy_times, times = None, [], []
    for r in range(rounds):
        theirs = drgpy_pass()
        drgpy_times.append(theirs["seconds"])
        block = runs // rounds + (1 if r < runs % rounds else 0)
        times.extend(ours_pass() for _ in range(block))
    ours = [json.loads(l) for l in out_path.read_text().splitlines()]

    agree, undecided, input_errors = 0, 0, 0
    disagreements = {}
    undecided_by = {}
    for claim, mine, their in zip(claims, ours, theirs["drgs"]):
        if mine.get("kind") == "not_decided":
            undecided += 1
            reason = mine["error"].removeprefix("not decided: ")[:70]
            undecided_by.setdefault((reason, their), 0)
            undecided_by[(reason, their)] += 1
            continue
        if "error" in mine:
            input_errors += 1
            continue
        if mine["drg"] == their:
            agree += 1
            continue
        key = (mine["drg"], their)
        disagreements.setdefault(key, []).append(claim)

    median = statistics.median(times)
    their_median = statistics.median(drgpy_times)
    print(f"claims: {len(claims)}")
    print(f"drgpy {DRGPY.split('==')[1]} in-process: {their_median:.3f} s (median of "
          f"{len(drgpy_times)}; min {min(drgpy_times):.3f}, max {max(drgpy_times):.3f})")
    print(f"ehr-sim drg batch whole process: {median:.3f} s (median of {len(times)}; "
          f"min {min(times):.3f}, max {max(times):.3f})")
    print(f"ratio ehr-sim / drgpy: {median / their_median:.4f}")
    decided = len(claims) - undecided - input_errors
    print(f"agreement: {agree} of {decided} claims ours decided; {undecided} not decided by ours; "
          f"{input_errors} refused as input by ours")
    for (mine, their), cs in sorted(disagreements.items()):
        print(f"  ours {mine}  drgpy {their}  ({len(cs)} claims), e.g. {json.dumps(cs[0])}")
    if undecided_by:
        print("not decided by ours (reason; drgpy's DRG):")
    for (reason, their), n in sorted(undecided_by.items(), key=lambda kv: -kv[1]):
        print(f"  {n:5}  {reason}…; drgpy {their}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
