#!/usr/bin/env bash
# The Spark job (spark/reprint_spark.py) beside `reprint scan` and passim on the same synthetic
# corpora: wall time and peak memory (/usr/bin/time: the largest single process of the job, which
# under local[N] is the driver JVM that runs the executors), whether the job's records equal the
# scan's, and planted-passage recall (benches/score_passages.py). Usage: benches/spark.sh [DOCS...]
# (default 1000 10000). Each corpus: `reprint synth --docs DOCS --seed 11 --passages 0.15
# --near-duplicates 0.15`. MASTER (local[2]) is the Spark master; PASSIM_MAX (10000) the largest
# corpus passim runs on (PASSIM=0: none). PASSIM_VENV: a venv with pyspark 4.0.1 (and passim; made
# from ../shared/peers if missing), used for both Spark jobs.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
shared=${SHARED:-$here/../shared}
work=${WORK:-$here/.bench}/spark
sizes=("$@"); [[ ${#sizes[@]} -gt 0 ]] || sizes=(1000 10000)
master=${MASTER:-local[2]}
mkdir -p "$work"
cargo build --release --quiet --manifest-path "$here/Cargo.toml"
reprint="$here/target/release/reprint"
venv=${PASSIM_VENV:-$here/.bench/passim-venv}
if [[ ! -x "$venv/bin/python" ]]; then
  PASSIM_VENV="$venv" bash "$shared/peers/passim/install.sh" >&2
fi
export PATH="$venv/bin:$PATH" PYSPARK_PYTHON="$venv/bin/python" PYSPARK_DRIVER_PYTHON="$venv/bin/python" SPARK_LOCAL_IP=127.0.0.1
timed() { # timed LOG CMD...: runs CMD, leaves "wall_s peak_MiB" in LOG
  local log=$1; shift
  /usr/bin/time -f "%e %M" -o "$log.time" "$@"
  awk '{printf "%7.2f s %6.0f MiB", $1, $2/1024}' "$log.time" > "$log"
}
printf "%-16s %7s  %-20s %s\n" tool docs "time, peak" "passages (planted)"
for n in "${sizes[@]}"; do
  d="$work/d$n"
  [[ -f "$d/corpus.jsonl" ]] || "$reprint" synth --docs "$n" --seed 11 --passages 0.15 --near-duplicates 0.15 --out "$d" 2>/dev/null
  timed "$d/scan.log" "$reprint" scan "$d/corpus.jsonl" -q --format jsonl > "$d/scan.jsonl"
  printf "%-16s %7s  %-20s %s\n" "reprint scan" "$n" "$(cat "$d/scan.log")" \
    "$(python3 "$here/benches/score_passages.py" "$d/scan.jsonl" "$d/truth.jsonl")"
  rm -rf "$d/spark-out"
  timed "$d/spark.log" spark-submit --master "$master" --driver-memory 4g "$here/spark/reprint_spark.py" \
    --reprint "$reprint" --out "$d/spark-out" "$d/corpus.jsonl" > "$d/spark.stdout" 2>&1
  cat "$d"/spark-out/part-* > "$d/spark.jsonl"
  same=$(cmp -s "$d/spark.jsonl" "$d/scan.jsonl" && echo "identical to the scan" || echo "DIFFERS from the scan")
  printf "%-16s %7s  %-20s %s (%s)\n" "reprint on Spark" "$n" "$(cat "$d/spark.log")" \
    "$(python3 "$here/benches/score_passages.py" "$d/spark.jsonl" "$d/truth.jsonl")" "$same"
  if [[ ${PASSIM:-1} != 0 && $n -le ${PASSIM_MAX:-10000} ]]; then
    python3 -c 'import json,sys
for l in sys.stdin:
    r = json.loads(l); print(json.dumps({"id": r["id"], "series": r["id"], "text": r["text"]}))' \
      < "$d/corpus.jsonl" > "$d/passim-in.jsonl"
    timed "$d/passim.log" env PASSIM_VENV="$venv" bash "$shared/peers/passim/run_passim.sh" \
      "$d/passim-in.jsonl" "$d/passim-out" --pairwise > "$d/passim.stdout" 2>&1
    python3 "$here/benches/passim_to_found.py" "$d/passim-out" > "$d/passim.jsonl"
    printf "%-16s %7s  %-20s %s\n" "passim" "$n" "$(cat "$d/passim.log")" \
      "$(python3 "$here/benches/score_passages.py" "$d/passim.jsonl" "$d/truth.jsonl")"
  fi
done
