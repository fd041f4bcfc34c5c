#!/usr/bin/env python3
"""Turns passim's pairwise alignments (OUTDIR/align.json/part-*: id, id2, begin, end, begin2, end2,
code-point offsets) into reprint's JSON Lines pair records, so that score_passages.py and
`reprint eval` read both tools' results alike. Both orders of each pair are written (passim's id/id2
order is not the truth's a/b order). Usage: passim_to_found.py OUTDIR > FOUND.jsonl"""
import glob, json, sys
from collections import defaultdict

pairs = defaultdict(list)
for path in sorted(glob.glob(sys.argv[1] + "/align.json/part-*")):
    for line in open(path):
        r = json.loads(line)
        a, b = r["id"], r["id2"]
        p = {"a_start": r["begin"], "a_end": r["end"], "b_start": r["begin2"], "b_end": r["end2"], "words": r["end"] - r["begin"]}
        pairs[(a, b)].append(p)
        q = {"a_start": r["begin2"], "a_end": r["end2"], "b_start": r["begin"], "b_end": r["end"], "words": r["end2"] - r["begin2"]}
        pairs[(b, a)].append(q)
for (a, b), ps in sorted(pairs.items()):
    print(json.dumps({"type": "pair", "a": a, "b": b, "passages": ps}))
