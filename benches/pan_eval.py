#!/usr/bin/env python3
"""PAN text-alignment measures (Potthast et al., COLING 2010) for reprint's passages.
Usage: pan_eval.py FOUND.jsonl TRUTH_PASSAGES.jsonl [--pairs TRUTH_PAIRS.jsonl]
FOUND: reprint scan --format jsonl output. TRUTH: {"a","a_start","a_end","b","b_start","b_end"} lines.
With --pairs, only detections between the listed truth pairs count (the 'truth pairs' setting);
without it every reported passage counts (the 'whole corpus' setting), so spurious ones lower precision.
A case and a detection are sets of characters on both sides (suspicious a, source b); detection r
detects case s when they overlap on both sides, in the same document pair (either orientation).
  recall    = mean over cases s of |s ∩ (union of detections)| / |s|
  precision = mean over detections r of |r ∩ (union of cases)| / |r|
  granularity = mean over detected cases of the number of detections that detect it
  plagdet   = F1 / log2(1 + granularity)"""
import argparse, json, math
from collections import defaultdict

ap = argparse.ArgumentParser()
ap.add_argument("found"); ap.add_argument("truth"); ap.add_argument("--pairs")
a = ap.parse_args()

def key(x, y):
    return (x, y) if x <= y else (y, x)

cases = defaultdict(list)   # pair -> list of {doc: (start, end)}
for line in open(a.truth):
    t = json.loads(line)
    cases[key(t["a"], t["b"])].append({t["a"]: (t["a_start"], t["a_end"]), t["b"]: (t["b_start"], t["b_end"])})
allowed = None
if a.pairs:
    allowed = {key(p["a"], p["b"]) for p in map(json.loads, open(a.pairs))}

dets = defaultdict(list)
for line in open(a.found):
    r = json.loads(line)
    if r.get("type") != "pair":
        continue
    k = key(r["a"], r["b"])
    if allowed is not None and k not in allowed:
        continue
    for p in r.get("passages", []):
        if p.get("boilerplate"):
            continue
        dets[k].append({r["a"]: (p["a_start"], p["a_end"]), r["b"]: (p["b_start"], p["b_end"])})

def chars(span):
    return set(range(span[0], span[1]))

def size(x):
    return sum(e - s for s, e in x.values())

def inter(x, ys):
    """characters of x (both sides) covered by any of ys"""
    n = 0
    for doc, (s, e) in x.items():
        cov = set()
        for y in ys:
            if doc in y:
                ys_, ye = y[doc]
                cov |= chars((max(s, ys_), min(e, ye))) if max(s, ys_) < min(e, ye) else set()
        n += len(cov)
    return n

def detects(r, s):
    return all(d in r and max(s[d][0], r[d][0]) < min(s[d][1], r[d][1]) for d in s)

n_cases = sum(len(v) for v in cases.values())
n_dets = sum(len(v) for v in dets.values())
rec = sum(inter(s, [r for r in dets.get(k, []) if detects(r, s)]) / size(s) for k, v in cases.items() for s in v) / max(1, n_cases)
prec = sum(inter(r, [s for s in cases.get(k, []) if detects(r, s)]) / size(r) for k, v in dets.items() for r in v) / max(1, n_dets)
detected = [sum(detects(r, s) for r in dets.get(k, [])) for k, v in cases.items() for s in v]
detected = [d for d in detected if d > 0]
gran = sum(detected) / len(detected) if detected else 1.0
f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
plagdet = f1 / math.log2(1 + gran)
print(f"cases={n_cases} detections={n_dets} recall={rec:.4f} precision={prec:.4f} granularity={gran:.4f} plagdet={plagdet:.4f}")
