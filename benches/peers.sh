#!/usr/bin/env bash
# Side by side: reprint scan against the MinHash tools in ../shared/peers (gaoya, rensa, datasketch),
# each run as a whole process under /usr/bin/time -v on the same JSON Lines file, same 5-word
# shingles, 128 permutations and threshold 0.5. Prints wall time, peak RSS, accuracy and the ratio to
# reprint. Each figure is the median of REPEAT (3) runs. Usage: benches/peers.sh [SYNTH_DOCS (20000)]
# Needs: python3, /usr/bin/time, the peers venv (created by ../shared/peers/install.sh if missing).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
shared=${SHARED:-$here/../shared}
work=${WORK:-$here/.bench}
docs=${1:-20000}
threads=${THREADS:-2}
mkdir -p "$work"
peers="$work/peers"
if [[ ! -x "$peers/.venv/bin/python" ]]; then
  rm -rf "$peers"; cp -r "$shared/peers" "$peers"; chmod -R u+w "$peers"
  PEERS_VENV="$peers/.venv" bash "$peers/install.sh" >&2
fi
cargo build --release --quiet --manifest-path "$here/Cargo.toml"
reprint="$here/target/release/reprint"

zcat "$shared/data/reuters21578/articles.jsonl.gz" > "$work/reuters.jsonl"
"$reprint" synth --docs "$docs" --seed 7 --out "$work/synth" 2>/dev/null

# run NAME OUT CMD...: time the process REPEAT times (default 3); print the median "wall rss"
# (seconds, MiB). The input file is read once beforehand so that no tool pays a cold page cache.
repeat=${REPEAT:-3}
run() {
  local name=$1 out=$2; shift 2
  local walls=() rsss=()
  for ((i = 0; i < repeat; i++)); do
    /usr/bin/time -v "$@" > /dev/null 2> "$work/$name.time" || { echo "$name failed:" >&2; tail -5 "$work/$name.time" >&2; return 1; }
    walls+=("$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,t,":"); s=0; for(i=1;i<=n;i++) s=s*60+t[i]; print s}' "$work/$name.time")")
    rsss+=("$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$work/$name.time")")
  done
  echo "$(printf '%s\n' "${walls[@]}" | sort -g | sed -n "$(( (repeat + 1) / 2 ))p") $(printf '%s\n' "${rsss[@]}" | sort -g | sed -n "$(( (repeat + 1) / 2 ))p")"
}

printf '%-10s %-12s %8s %9s %8s  %s\n' corpus tool wall_s peak_MiB x_wall accuracy
for corpus in reuters synth; do
  in="$work/$corpus.jsonl"; [[ $corpus == synth ]] && in="$work/synth/corpus.jsonl"
  if [[ $corpus == synth ]]; then score=(--truth "$work/synth/truth.jsonl"); else score=(--clusters "$shared/data/reuters21578/exact_duplicate_clusters.jsonl"); fi
  base=""
  cat "$in" > /dev/null
  for tool in reprint gaoya rensa datasketch; do
    out="$work/$corpus.$tool.pairs.jsonl"
    case $tool in
      reprint) r=$(run "$corpus.$tool" "$out" "$reprint" scan "$in" --no-passages --threads "$threads" --format jsonl --quiet -o "$out") ;;
      *) r=$(RAYON_NUM_THREADS=$threads run "$corpus.$tool" "$out" "$peers/.venv/bin/python" "$peers/run_$tool.py" "$in" "$out") ;;
    esac
    read -r wall rss <<< "$r"
    [[ -z $base ]] && base=$wall
    acc=$(python3 "$here/benches/score_pairs.py" "$out" "${score[@]}")
    printf '%-10s %-12s %8.2f %9s %8.1f  %s\n' "$corpus" "$tool" "$wall" "$rss" "$(echo "$wall / $base" | bc -l)" "$acc"
  done
done
echo "median of $repeat runs; machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); threads=$threads; synth docs=$docs"
