"""Quotes against the archive beside a full quotes run (BENCHMARKS.md, issue #19).

usage: python3 compare_quotes.py FULL.jsonl INDEX.jsonl NEW.jsonl
FULL: `reprint quotes ALL --format jsonl` (archive and new articles together); INDEX:
`reprint index quotes ARCHIVE NEW --format jsonl`; NEW: the new articles. Compares the quotes
that occur in a new article: their occurrences in new and in archived articles, and which
document printed each first (all quotations, and those of 6 words or more).
"""

import json
import sys

full_path, index_path, new_path = sys.argv[1:4]
new = {json.loads(line)["id"] for line in open(new_path)}


def quotes(path):
    out = []
    for line in open(path):
        r = json.loads(line)
        if r["type"] == "quote" and any(o["doc"] in new for o in r["occurrences"]):
            out.append(r)
    return out


def occurrences(qs, in_new):
    return {(o["doc"], o["start"], o["end"]) for q in qs for o in q["occurrences"] if (o["doc"] in new) == in_new}


def first_printing(qs):
    out = {}
    for q in qs:
        first = q["first_seen"]["doc"] if q["first_seen"] else None
        for o in q["occurrences"]:
            if o["doc"] in new:
                out[(o["doc"], o["start"], o["end"])] = (first, len(o["text"].split()))
    return out


full, index = quotes(full_path), quotes(index_path)
for name, in_new in (("new", True), ("archived", False)):
    f, i = occurrences(full, in_new), occurrences(index, in_new)
    print(f"{name} occurrences: full {len(f)}, index {len(i)}, both {len(f & i)} "
          f"(recall {len(f & i) / max(1, len(f)):.4f}, precision {len(f & i) / max(1, len(i)):.4f})")
F, I = first_printing(full), first_printing(index)
for shortest in (0, 6):
    keys = [k for k in F if F[k][1] >= shortest]
    found = [k for k in keys if k in I]
    same = sum(1 for k in found if I[k][0] == F[k][0])
    print(f"quotations of {shortest}+ words in new articles: {len(keys)}, found {len(found)}, first printing agrees {same}")
