"""reprint's Python API beside the MinHash tools Python users pick, in one Python process
(BENCHMARKS.md, issue #20).

usage: python bench_peers.py CORPUS.jsonl PEERS_DIR
Each peer is the runner in PEERS_DIR (../shared/peers: datasketch MinHashLSH, rensa RMinHashLSH,
gaoya MinHashStringIndex; 5-word shingles, 128 permutations, threshold 0.5), run in this process
with runpy; reprint.scan runs with its defaults (near-duplicates and passages) and with
passages=False (near-duplicates only, the peers' job). Prints wall time and pairs for each.
"""

import runpy
import sys
import tempfile
import time

import reprint

corpus, peers = sys.argv[1], sys.argv[2]
rows = None


def timed(label, fn):
    t = time.perf_counter()
    n = fn()
    print(f"{label:<44} {time.perf_counter() - t:6.2f} s  {n} pairs", flush=True)


timed("reprint.scan(paths=...), passages=False", lambda: len(reprint.scan(paths=[corpus], passages=False).pairs))
timed("reprint.scan(paths=...), with passages", lambda: len(reprint.scan(paths=[corpus]).pairs))
for runner in ("run_gaoya.py", "run_rensa.py", "run_datasketch.py"):
    with tempfile.NamedTemporaryFile(suffix=".jsonl") as out:
        def run():
            sys.argv = [runner, corpus, out.name]
            runpy.run_path(f"{peers}/{runner}", run_name="__main__")
            return sum(1 for _ in open(out.name))
        timed(runner.removesuffix(".py").removeprefix("run_") + " (runner, same process)", run)
