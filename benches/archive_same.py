#!/usr/bin/env python3
"""Checks an `index query`'s pairs are the full scan's pairs that involve a new article (issue #19).

Usage: archive_same.py NEW.jsonl FULL_SCAN.jsonl QUERY.jsonl
NEW holds the new articles, FULL_SCAN the `scan --format jsonl` of archive + new, QUERY the
`index query --format jsonl` of NEW against the archive. Cluster numbers differ (the query sees a
part of the corpus), so only whether a pair is in a cluster is compared. Exits 1 when they differ.
"""
import json
import sys

new_path, full_path, query_path = sys.argv[1:4]
new = {json.loads(line)["id"] for line in open(new_path)}


def pairs(path, only_new):
    out = []
    for line in open(path):
        r = json.loads(line)
        if r.get("type") != "pair" or (only_new and r["b"] not in new):
            continue
        r["cluster"] = r["cluster"] is not None
        out.append(r)
    return out


full, query = pairs(full_path, True), pairs(query_path, False)
same = full == query
print(f"query pairs {len(query)}, full-scan pairs involving a new article {len(full)}: "
      f"{'identical' if same else 'DIFFERENT'}")
sys.exit(0 if same else 1)
