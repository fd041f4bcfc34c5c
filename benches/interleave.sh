#!/bin/bash
# Runs several commands N times each, interleaved (so that a noisy machine slows all alike), under
# /usr/bin/time, and prints per command: median and minimum wall, median user and system CPU, and
# median peak RSS.
# Usage: [WARM=1] benches/interleave.sh N "label:command" ["label:command" ...]
# WARM=1 runs each command once untimed right before its timed run. On this project's VM, a process
# that needs more memory than the one before it pays for the host backing its fresh pages again:
# a 20k full scan right after a near-duplicate-only scan spends 0.3-0.4 s more in the kernel
# (zeroing pages) than right after another full scan, with the same page faults (/proc/vmstat).
# Example (passage cost against the near-duplicate-only scan):
#   S=.bench/synth/corpus.jsonl
#   benches/interleave.sh 7 "np:reprint scan $S --no-passages -q --format jsonl -o /dev/null" \
#                           "full:reprint scan $S -q --format jsonl -o /dev/null"
set -euo pipefail
N=$1; shift
for _ in $(seq "$N"); do
  for spec in "$@"; do
    if [ "${WARM:-0}" = 1 ]; then bash -c "${spec#*:}" >/dev/null 2>&1; fi
    /usr/bin/time -f "${spec%%:*} %e %U %S %M" bash -c "${spec#*:}"
  done
done 2>&1 | grep -v "^reprint" | python3 -c '
import sys, collections, statistics as st
d = collections.defaultdict(list)
for line in sys.stdin:
    k, *v = line.split()
    try:
        d[k].append(list(map(float, v)))
    except ValueError:
        print(line, end="")
for k, v in d.items():
    print("%-12s wall median %.2f s  min %.2f s  user %.2f s  sys %.2f s  peak %d MiB" % (
        k, st.median(x[0] for x in v), min(x[0] for x in v), st.median(x[1] for x in v),
        st.median(x[2] for x in v), st.median(x[3] for x in v) // 1024))
'
