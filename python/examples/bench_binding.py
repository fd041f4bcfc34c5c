"""The Python API beside the CLI on one corpus file, in one process run (BENCHMARKS.md, issue #20).

usage: python bench_binding.py CORPUS.jsonl [REPRINT_BINARY]
Times `reprint scan --format jsonl` (subprocess, output to a pipe) and `reprint.scan(paths=...)`
(the call, then also reading every pair into dicts), and from rows already in memory; 3 runs
each, median.
"""

import json
import statistics
import subprocess
import sys
import time

import reprint

corpus = sys.argv[1]
binary = sys.argv[2] if len(sys.argv) > 2 else "target/release/reprint"


def median_time(fn, runs=3):
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


cli = median_time(lambda: subprocess.run([binary, "scan", "-q", "--format", "jsonl", corpus], check=True, capture_output=True))
py_paths = median_time(lambda: reprint.scan(paths=[corpus]))
py_read = median_time(lambda: reprint.scan(paths=[corpus]).pairs)
rows = [json.loads(line) for line in open(corpus)]
py_rows = median_time(lambda: reprint.scan(rows).pairs)
print(f"CLI scan --format jsonl:                  {cli:.2f} s")
print(f"reprint.scan(paths=...):                  {py_paths:.2f} s ({py_paths / cli - 1:+.1%} over the CLI)")
print(f"reprint.scan(paths=...), pairs as dicts:  {py_read:.2f} s ({py_read / cli - 1:+.1%} over the CLI)")
print(f"reprint.scan(rows), pairs as dicts:       {py_rows:.2f} s ({py_rows / cli - 1:+.1%} over the CLI)")
