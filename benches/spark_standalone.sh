#!/usr/bin/env bash
# The Spark job on a standalone cluster started on this machine: a master and two workers of one
# core each on 127.0.0.1 (as spark/tests does), one executor per worker. Prints the job's wall
# time, whether its records equal `reprint scan`'s (SCAN: a file of the scan's records, optional),
# and each executor's peak memory: its JVM's resident set, and that of the JVM with its Python
# workers and their reprint processes (the largest sum seen; sampled every half second).
# Usage: benches/spark_standalone.sh CORPUS.jsonl [job options...] (default: --partitions 8
# --block 1000000 --task-threads 2). SPARK_VENV: a venv with pyspark 4.0.1; EXECUTOR_MEMORY (3g).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
corpus=$(realpath "$1"); shift
options=("$@"); [[ ${#options[@]} -gt 0 ]] || options=(--partitions 8 --block 1000000 --task-threads 2)
work=${WORK:-$here/.bench/spark-standalone}
rm -rf "$work"; mkdir -p "$work"
cargo build --release --quiet --manifest-path "$here/Cargo.toml"
[[ -z ${SPARK_VENV:-} ]] || export PATH="$SPARK_VENV/bin:$PATH" PYSPARK_PYTHON="$SPARK_VENV/bin/python" PYSPARK_DRIVER_PYTHON="$SPARK_VENV/bin/python"
SPARK_HOME=$(python -c 'import os, pyspark; print(os.path.dirname(pyspark.__file__))')
export SPARK_HOME SPARK_LOCAL_IP=127.0.0.1 SPARK_LOG_DIR="$work"
port=$((20000 + RANDOM % 20000))
"$SPARK_HOME/bin/spark-class" org.apache.spark.deploy.master.Master --host 127.0.0.1 --port $port --webui-port $((port + 1)) > "$work/master.log" 2>&1 &
pids=($!)
sleep 5
for i in 0 1; do
  "$SPARK_HOME/bin/spark-class" org.apache.spark.deploy.worker.Worker spark://127.0.0.1:$port --host 127.0.0.1 \
    --cores 1 --memory 8g --webui-port $((port + 2 + i)) --work-dir "$work/w$i" > "$work/worker$i.log" 2>&1 &
  pids+=($!)
done
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
sleep 8
# Samples the executors' process trees (the JVM, its Python daemon and workers, their reprint).
python3 - "$work/peaks" <<'PY' &
import os, sys, time
def kids():
    out = {}
    for p in os.listdir("/proc"):
        if p.isdigit():
            try:
                f = open(f"/proc/{p}/stat").read().rsplit(")", 1)[1].split()
                out.setdefault(int(f[1]), []).append(int(p))
            except OSError:
                pass
    return out
def rss(p):
    try:
        return int(open(f"/proc/{p}/statm").read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return 0
peaks = {}
while True:
    tree = kids()
    for p in os.listdir("/proc"):
        if p.isdigit():
            try:
                cmd = open(f"/proc/{p}/cmdline").read()
            except OSError:
                continue
            if "CoarseGrainedExecutorBackend" in cmd:
                todo, total = [int(p)], 0
                while todo:
                    q = todo.pop(); total += rss(q); todo += tree.get(q, [])
                jvm, whole = peaks.get(p, (0, 0))
                peaks[p] = (max(jvm, rss(p)), max(whole, total))
    with open(sys.argv[1], "w") as f:
        for p, (jvm, whole) in sorted(peaks.items()):
            f.write(f"executor {p}: JVM {jvm / 2**20:,.0f} MiB, with its Python workers and reprint {whole / 2**20:,.0f} MiB\n")
    time.sleep(0.5)
PY
sampler=$!
/usr/bin/time -f "Spark job on 2 workers: %e s (the driver: %M KB peak)" -o "$work/time" \
  spark-submit --master spark://127.0.0.1:$port --driver-memory 2g --executor-memory "${EXECUTOR_MEMORY:-3g}" \
  "$here/spark/reprint_spark.py" --reprint "$here/target/release/reprint" --out "$work/out" "${options[@]}" "$corpus" > "$work/log" 2>&1
sleep 1; kill $sampler
cat "$work/time" "$work/peaks"
if [[ -n ${SCAN:-} ]]; then
  cat "$work"/out/part-* | cmp -s - "$SCAN" && echo "records: identical to the scan's" || echo "records: DIFFER from the scan's"
fi
