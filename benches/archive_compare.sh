#!/usr/bin/env bash
# Two builds' archives side by side, in turn in one script (issue #19): DOCS synthetic articles
# (default 61,000) cut into an archive (all but the last 11,000), 10,000 new and one more; each
# build scans and adds the archive twice, queries the 10,000 and the one before and after
# `index compact`; then the records of the two builds' queries are compared (the summary aside)
# and the second build's compacted query is checked against a full scan.
# Usage: benches/archive_compare.sh OLD_BINARY NEW_BINARY [DOCS] [WORKDIR]
set -uo pipefail
OLD=$1 NEW=$2 DOCS=${3:-61000}
W=${4:-$(mktemp -d)}
HERE=$(cd "$(dirname "$0")" && pwd)
T() { /usr/bin/time -f "$1 %e s, peak %M KB" "${@:2}"; }
mkdir -p "$W" && cd "$W" || exit 1
A=$((DOCS - 11000))
[ -f s/corpus.jsonl ] || "$NEW" synth --docs "$DOCS" --seed 21 --out s > /dev/null
head -n "$A" s/corpus.jsonl > old.jsonl
sed -n "$((A + 1)),$((A + 10000))p" s/corpus.jsonl > new.jsonl
sed -n "$((A + 10001))p" s/corpus.jsonl > one.jsonl
for r in 1 2; do
  for b in old new; do
    B=$OLD; [ $b = new ] && B=$NEW
    rm -f $b.db*
    T "round $r $b scan:" "$B" scan -q --format jsonl old.jsonl > /dev/null
    T "round $r $b add:" "$B" index add $b.db old.jsonl -q
  done
done
ls -l old.db new.db
for b in old new; do
  B=$OLD; [ $b = new ] && B=$NEW
  for i in 1 2 3; do T "$b one:" "$B" index query $b.db one.jsonl -q --format jsonl > q1_$b.jsonl; done
  T "$b 10k:" "$B" index query $b.db new.jsonl -q --format jsonl > q10_$b.jsonl
  T "$b compact:" "$B" index compact $b.db > /dev/null
  ls -l $b.db
  for i in 1 2 3; do T "$b one compacted:" "$B" index query $b.db one.jsonl -q --format jsonl > q1c_$b.jsonl; done
  T "$b 10k compacted:" "$B" index query $b.db new.jsonl -q --format jsonl > q10c_$b.jsonl
done
for f in q1 q10 q1c q10c; do
  cmp <(grep -v '"type":"summary"' ${f}_old.jsonl) <(grep -v '"type":"summary"' ${f}_new.jsonl) && echo "$f: same records (summary aside)"
done
cat old.jsonl new.jsonl > all.jsonl
"$NEW" scan -q --format jsonl all.jsonl > full.jsonl
python3 "$HERE/archive_same.py" new.jsonl full.jsonl q10c_new.jsonl
