#!/usr/bin/env bash
# The archive beside the full scan, in one script (issue #19): a synthetic corpus of DOCS
# articles (default 61,000, 20 outlets) is cut into an archive (all but the last 11,000), 10,000
# new articles and one more. It times `index add` of the archive against `scan` of the same
# articles, `index query` of the 10,000 and of the one against `scan` of archive + new, and
# checks the query's pairs are the full scan's pairs that involve a new article.
# Usage: benches/archive.sh [DOCS] [WORKDIR]   (release build: cargo build --release)
set -euo pipefail
DOCS=${1:-61000}
W=${2:-$(mktemp -d)}
B=${REPRINT:-$(dirname "$0")/../target/release/reprint}
T() { /usr/bin/time -f "$1 %e s, peak %M KB" "${@:2}"; }
mkdir -p "$W"
"$B" synth --docs "$DOCS" --seed 21 --out "$W/s" > /dev/null
OLD=$((DOCS - 11000))
head -n "$OLD" "$W/s/corpus.jsonl" > "$W/old.jsonl"
sed -n "$((OLD + 1)),$((OLD + 10000))p" "$W/s/corpus.jsonl" > "$W/new.jsonl"
sed -n "$((OLD + 10001))p" "$W/s/corpus.jsonl" > "$W/one.jsonl"
cat "$W/old.jsonl" "$W/new.jsonl" > "$W/all.jsonl"
rm -f "$W"/a.db*
T "scan of the archive's $OLD articles:" "$B" scan -q --format jsonl "$W/old.jsonl" > /dev/null
T "index add of the same $OLD articles:" "$B" index add "$W/a.db" "$W/old.jsonl" -q
T "scan of archive + 10,000 new:      " "$B" scan -q --format jsonl "$W/all.jsonl" > "$W/full.jsonl"
T "index query of the 10,000 new:     " "$B" index query "$W/a.db" "$W/new.jsonl" -q --format jsonl > "$W/query.jsonl"
T "index query of one article:        " "$B" index query "$W/a.db" "$W/one.jsonl" -q --format jsonl > /dev/null
"$B" index stats "$W/a.db"
python3 "$(dirname "$0")/archive_same.py" "$W/new.jsonl" "$W/full.jsonl" "$W/query.jsonl"
