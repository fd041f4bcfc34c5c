#!/usr/bin/env bash
# The Spark job's wall time beside `reprint scan`'s on one corpus, in one script: the scan, the
# job (spark/reprint_spark.py under MASTER, default local[2]), the scan again; whether the job's
# part files equal the scan's records; the job's stage times from Spark's log. Usage:
# benches/spark_ratio.sh CORPUS.jsonl [job options...] (default options: --partitions 8 --block
# 1000000 --task-threads 2). SPARK_VENV: a venv with pyspark 4.0.1 (default: pyspark on PATH);
# DRIVER_MEMORY (6g); WORK (.bench/spark-ratio) holds the outputs.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
corpus=$(realpath "$1"); shift
options=("$@"); [[ ${#options[@]} -gt 0 ]] || options=(--partitions 8 --block 1000000 --task-threads 2)
work=${WORK:-$here/.bench/spark-ratio}
mkdir -p "$work"
cargo build --release --quiet --manifest-path "$here/Cargo.toml"
reprint="$here/target/release/reprint"
if [[ -n ${SPARK_VENV:-} ]]; then
  export PATH="$SPARK_VENV/bin:$PATH" PYSPARK_PYTHON="$SPARK_VENV/bin/python" PYSPARK_DRIVER_PYTHON="$SPARK_VENV/bin/python"
fi
export SPARK_LOCAL_IP=${SPARK_LOCAL_IP:-127.0.0.1}
scan() {
  /usr/bin/time -f "reprint scan: %e s, %M KB peak" -o "$work/scan.time" "$reprint" scan -q --format jsonl "$corpus" > "$work/scan.jsonl"
  cat "$work/scan.time"
}
scan
rm -rf "$work/out"
/usr/bin/time -f "Spark job:    %e s, %M KB peak (the driver JVM, which runs the executors under local[N])" -o "$work/spark.time" \
  spark-submit --master "${MASTER:-local[2]}" --driver-memory "${DRIVER_MEMORY:-6g}" "$here/spark/reprint_spark.py" \
  --reprint "$reprint" --out "$work/out" "${options[@]}" "$corpus" > "$work/spark.log" 2>&1
cat "$work/spark.time"
cat "$work"/out/part-* | cmp -s - "$work/scan.jsonl" && echo "records: identical to the scan's" || echo "records: DIFFER from the scan's"
grep -E "Stage [0-9]+ \\(.*\\) finished in" "$work/spark.log" | sed -E 's/^.*INFO DAGScheduler: //; s/ at [^)]*\)/)/'
scan
