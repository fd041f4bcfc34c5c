#!/usr/bin/env python3
"""Scores a pair list against planted truth (reprint synth's truth.jsonl) or against exact-duplicate
clusters (Reuters' exact_duplicate_clusters.jsonl).
Usage: score_pairs.py FOUND.jsonl --truth TRUTH.jsonl [--threshold 0.5]
       score_pairs.py FOUND.jsonl --clusters CLUSTERS.jsonl
FOUND: reprint's JSON Lines (records with "type":"pair") or a peer's {"a","b","score"} lines.
Prints one line: pairs=N recall=R precision=P (synthetic) or pairs=N clusters_found=K/T (Reuters)."""
import argparse, json

ap = argparse.ArgumentParser()
ap.add_argument("found")
ap.add_argument("--truth")
ap.add_argument("--clusters")
ap.add_argument("--threshold", type=float, default=0.5)
a = ap.parse_args()

pairs = set()
for line in open(a.found):
    r = json.loads(line)
    if r.get("type", "pair") == "pair":
        pairs.add(frozenset((r["a"], r["b"])))

if a.truth:
    truth = [t for t in map(json.loads, open(a.truth)) if t.get("type", "pair") == "pair"]
    planted = {frozenset((t["a"], t["b"])) for t in truth}
    positives = [frozenset((t["a"], t["b"])) for t in truth
                 if t["relation"] == "near_duplicate" and t["jaccard"] >= a.threshold]
    recall = sum(p in pairs for p in positives) / max(1, len(positives))
    precision = sum(p in planted for p in pairs) / max(1, len(pairs))
    print(f"pairs={len(pairs)} recall={recall:.4f} precision={precision:.4f} (of {len(positives)} planted pairs with J>={a.threshold})")
else:
    # A truth cluster is found when its members are connected by the reported pairs.
    parent = {}
    def find(x):
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x
    for p in pairs:
        x, y = tuple(p) if len(p) == 2 else (next(iter(p)),) * 2
        parent[find(x)] = find(y)
    clusters = [json.loads(l)["cluster"] for l in open(a.clusters)]
    ok = sum(len({find(m) for m in c}) == 1 for c in clusters)
    print(f"pairs={len(pairs)} clusters_found={ok}/{len(clusters)}")
