#!/usr/bin/env bash
# Side by side on ONE corpus file: reprint and the MinHash tools in ../shared/peers (gaoya, rensa,
# datasketch), each a whole process under /usr/bin/time -v (same 5-word shingles, 128 permutations,
# threshold 0.5), each scored by `reprint eval` against the same truth. One table: wall time, peak
# RSS, precision, recall, F1 and the wall-time ratio to reprint (median of REPEAT runs, default 3).
#
# Usage: benches/compare.sh CORPUS.jsonl TRUTH.jsonl [TOOLS]
#   CORPUS  JSON Lines with id and text (e.g. reprint synth's corpus.jsonl, or Reuters unzipped)
#   TRUTH   anything `reprint eval --truth` reads: synth's truth.jsonl, Reuters'
#           exact_duplicate_clusters.jsonl (then precision counts real but unlabelled pairs as wrong)
#   TOOLS   space-separated subset, default "reprint gaoya rensa datasketch"
# Example:
#   reprint synth --docs 20000 --seed 7 --out /tmp/s20k
#   benches/compare.sh /tmp/s20k/corpus.jsonl /tmp/s20k/truth.jsonl
# Needs python3 and /usr/bin/time; creates the peers' venv with ../shared/peers/install.sh if missing.
set -euo pipefail
[[ $# -ge 2 ]] || { sed -n '2,15p' "$0" >&2; exit 2; }
corpus=$1 truth=$2 tools=${3:-"reprint gaoya rensa datasketch"}
here=$(cd "$(dirname "$0")/.." && pwd)
shared=${SHARED:-$here/../shared}
work=${WORK:-$here/.bench}
threads=${THREADS:-2}
repeat=${REPEAT:-3}
mkdir -p "$work"
peers="$work/peers"
if [[ $tools != reprint && ! -x "$peers/.venv/bin/python" ]]; then
  rm -rf "$peers"; cp -r "$shared/peers" "$peers"; chmod -R u+w "$peers"
  PEERS_VENV="$peers/.venv" bash "$peers/install.sh" >&2
fi
cargo build --release --quiet --manifest-path "$here/Cargo.toml"
reprint="$here/target/release/reprint"
name=$(basename "$corpus" .jsonl)

# run LOG CMD...: median "wall_s rss_MiB" of $repeat runs.
run() {
  local log=$1; shift
  local walls=() rsss=()
  for ((i = 0; i < repeat; i++)); do
    /usr/bin/time -v "$@" > /dev/null 2> "$log" || { echo "failed: $*" >&2; tail -5 "$log" >&2; return 1; }
    walls+=("$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,t,":"); s=0; for(i=1;i<=n;i++) s=s*60+t[i]; print s}' "$log")")
    rsss+=("$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$log")")
  done
  local mid=$(( (repeat + 1) / 2 ))
  echo "$(printf '%s\n' "${walls[@]}" | sort -g | sed -n "${mid}p") $(printf '%s\n' "${rsss[@]}" | sort -g | sed -n "${mid}p")"
}

cat "$corpus" > /dev/null # warm the page cache for every tool alike
printf '%-11s %8s %9s %9s %7s %7s %6s\n' tool wall_s peak_MiB x_reprint prec recall F1
base=""
for tool in $tools; do
  out="$work/$name.$tool.pairs.jsonl"
  case $tool in
    reprint) r=$(run "$work/$name.$tool.time" "$reprint" scan "$corpus" --no-passages --threads "$threads" --format jsonl --quiet -o "$out") ;;
    *) r=$(RAYON_NUM_THREADS=$threads run "$work/$name.$tool.time" "$peers/.venv/bin/python" "$peers/run_$tool.py" "$corpus" "$out") ;;
  esac
  read -r wall rss <<< "$r"
  [[ -z $base ]] && base=$wall
  scores=$("$reprint" eval --truth "$truth" --found "$out" --json)
  read -r p rc f <<< "$(python3 -c 'import json,sys; s=json.loads(sys.argv[1])["pairs"]; print(s["precision"], s["recall"], s["f1"])' "$scores")"
  printf '%-11s %8.2f %9s %9.1f %7.3f %7.3f %6.3f\n' "$tool" "$wall" "$rss" "$(echo "$wall / $base" | bc -l)" "$p" "$rc" "$f"
done
echo "median of $repeat runs; $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); threads=$threads; corpus=$corpus ($(wc -l < "$corpus") docs); truth=$truth"
