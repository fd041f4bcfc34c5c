#!/usr/bin/env bash
# A query's memory as the archive grows (issue #19): the same 10,000 new articles against
# archives of several sizes (the first SIZES lines of one synthetic corpus, each added and
# compacted), by an OLD build and a NEW one in turn, the new one with its default part size and
# with --query-part 400; the records of each query compared with the old build's.
# Usage: benches/archive_parts.sh OLD_BINARY NEW_BINARY [SIZES] [WORKDIR]
#   SIZES: archive sizes, comma-separated (default 250000,500000,1000000; the corpus has the
#   largest plus 11,000 lines, of which the 10,000 after the largest are queried).
set -uo pipefail
OLD=$1 NEW=$2 SIZES=${3:-250000,500000,1000000}
W=${4:-$(mktemp -d)}
T() { /usr/bin/time -f "$1 %e s, peak %M KB" "${@:2}"; }
mkdir -p "$W" && cd "$W" || exit 1
IFS=, read -r -a sizes <<< "$SIZES"
largest=${sizes[-1]}
[ -f s/corpus.jsonl ] || "$NEW" synth --docs $((largest + 11000)) --seed 7 --out s > /dev/null
sed -n "$((largest + 1)),$((largest + 10000))p" s/corpus.jsonl > new.jsonl
for n in "${sizes[@]}"; do
  [ -f a$n.db ] && continue
  head -n "$n" s/corpus.jsonl > c.jsonl
  T "add $n:" "$NEW" index add a$n.db c.jsonl -q
  T "compact $n:" "$NEW" index compact a$n.db
done
rm -f c.jsonl
for r in 1 2; do
  for n in "${sizes[@]}"; do
    T "round $r, $n archived, old, one part:" "$OLD" index query a$n.db new.jsonl -q --format jsonl > old.jsonl
    T "round $r, $n archived, new, default parts:" "$NEW" index query a$n.db new.jsonl --format jsonl > new.jsonl.out 2> new.err
    grep -o '([0-9]* loaded as possible matches, scanned in [0-9]* parts*)' new.err
    cmp -s old.jsonl new.jsonl.out && echo "  records identical" || echo "  records DIFFER"
    T "round $r, $n archived, new, parts of 400 MB:" "$NEW" index query a$n.db new.jsonl -q --format jsonl --query-part 400 > new.jsonl.out
    cmp -s old.jsonl new.jsonl.out && echo "  records identical" || echo "  records DIFFER"
  done
done
