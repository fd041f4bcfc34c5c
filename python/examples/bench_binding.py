"""The Python API beside the CLI on one corpus file, in one process run (BENCHMARKS.md, issue #20).

usage: python bench_binding.py CORPUS.jsonl [REPRINT_BINARY] [RUNS]
Times `reprint scan --format jsonl` (subprocess, output to a file), `reprint.scan(paths=...)` with
every pair read (`.pairs`: a list of dicts, built in Rust), the same as the first call of a new
interpreter (timed from outside, interpreter start and import included, as the CLI's start is), and `reprint.scan(rows)` from rows
already in memory as dicts. The three are run in turn, RUNS rounds (default 5), so that a slow
moment of a shared machine falls on all of them; the median and the fastest run of each are
printed.
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

import reprint

corpus = sys.argv[1]
binary = sys.argv[2] if len(sys.argv) > 2 else "target/release/reprint"
runs = int(sys.argv[3]) if len(sys.argv) > 3 else 5
rows = [json.loads(line) for line in open(corpus)]

out = os.path.join(tempfile.mkdtemp(), "pairs.jsonl")


def cli():
    with open(out, "wb") as f:
        subprocess.run([binary, "scan", "-q", "--format", "jsonl", corpus], check=True, stdout=f)


FRESH = "import sys, time, reprint; t = time.perf_counter(); reprint.scan(paths=[sys.argv[1]]).pairs; print(time.perf_counter() - t)"


def fresh():
    """The call as the first thing a new interpreter does (its memory not yet warmed by earlier calls)."""
    subprocess.run([sys.executable, "-c", FRESH, corpus], check=True, capture_output=True)


calls = {
    "CLI scan --format jsonl": cli,
    "new python: scan(paths=).pairs": fresh,
    "reprint.scan(paths=...).pairs": lambda: reprint.scan(paths=[corpus]).pairs,
    "reprint.scan(rows).pairs": lambda: reprint.scan(rows).pairs,
}
times = {name: [] for name in calls}
for _ in range(runs):
    for name, call in calls.items():
        t = time.perf_counter()
        call()
        times[name].append(time.perf_counter() - t)

cli_median = statistics.median(times["CLI scan --format jsonl"])
cli_min = min(times["CLI scan --format jsonl"])
for name, ts in times.items():
    median, fastest = statistics.median(ts), min(ts)
    print(
        f"{name:32s} median {median:.2f} s ({median / cli_median - 1:+.1%}), "
        f"fastest {fastest:.2f} s ({fastest / cli_min - 1:+.1%}) over {runs} runs"
    )
