#!/usr/bin/env python3
"""Scores reprint's passages against planted passages (reprint synth's truth.jsonl, type "passage").
Usage: score_passages.py FOUND.jsonl TRUTH.jsonl
A planted passage is found when a reported passage of the same pair overlaps it in document a.
Prints recall (planted passages overlapped; and PAN's character recall: the share of each planted
passage's characters, both sides, covered by reported passages of its pair, averaged), granularity (reported passages per found planted passage) and the boundary error in
characters (|reported - planted| over the four boundaries of each found passage): median and p90."""
import json, sys
from collections import defaultdict
found = defaultdict(list)
for r in map(json.loads, open(sys.argv[1])):
    if r["type"] == "pair":
        found[(r["a"], r["b"])].extend(r["passages"])
truth = [t for t in map(json.loads, open(sys.argv[2])) if t.get("type") == "passage"]
hits, errs, gran, char_recall = 0, [], [], []
def covered(lo, hi, spans):
    got = set()
    for s, e in spans:
        got.update(range(max(lo, s), min(hi, e)))
    return len(got)
for t in truth:
    ps = [p for p in found.get((t["a"], t["b"]), []) if p["a_start"] < t["a_end"] and t["a_start"] < p["a_end"]]
    allp = found.get((t["a"], t["b"]), [])
    ca = covered(t["a_start"], t["a_end"], [(p["a_start"], p["a_end"]) for p in allp])
    cb = covered(t["b_start"], t["b_end"], [(p["b_start"], p["b_end"]) for p in allp])
    char_recall.append((ca + cb) / max(1, (t["a_end"] - t["a_start"]) + (t["b_end"] - t["b_start"])))
    if ps:
        hits += 1
        gran.append(len(ps))
        p = max(ps, key=lambda p: p["words"])
        errs += [abs(p[k] - t[k]) for k in ("a_start", "a_end", "b_start", "b_end")]
errs.sort()
q = lambda f: errs[int(f * (len(errs) - 1))] if errs else 0
print(f"planted={len(truth)} found={hits} recall={hits / max(1, len(truth)):.4f} "
      f"char_recall={sum(char_recall) / max(1, len(char_recall)):.4f} "
      f"granularity={sum(gran) / max(1, len(gran)):.3f} boundary_error_median={q(0.5)} p90={q(0.9)} chars")
