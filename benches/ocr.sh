#!/usr/bin/env bash
# OCR noise: reprint scan (words, and --ocr) beside passim on the same synthetic corpora, one per
# character error rate. Each corpus: DOCS (1000) articles from `reprint synth --seed SEED (11)
# --passages 0.15 --near-duplicates 0.15 --ocr-cer CER`. Prints, per tool and CER: wall time and peak
# memory (/usr/bin/time), planted-passage recall, PAN character recall, granularity and boundary error
# (benches/score_passages.py), and near-duplicate recall / precision (reprint eval; not for passim,
# which reports passages only). Usage: benches/ocr.sh [CER...] (default 0 0.02 0.05 0.1).
# PASSIM=0 skips passim; its venv is made in .bench/passim-venv from ../shared/peers if missing.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
shared=${SHARED:-$here/../shared}
work=${WORK:-$here/.bench}/ocr
docs=${DOCS:-1000}
seed=${SEED:-11}
cers=("$@"); [[ ${#cers[@]} -gt 0 ]] || cers=(0 0.02 0.05 0.1)
mkdir -p "$work"
cargo build --release --quiet --manifest-path "$here/Cargo.toml"
reprint="$here/target/release/reprint"
passim_venv=${PASSIM_VENV:-$here/.bench/passim-venv}
if [[ ${PASSIM:-1} != 0 && ! -x "$passim_venv/bin/python" ]]; then
  PASSIM_VENV="$passim_venv" bash "$shared/peers/passim/install.sh" >&2
fi
timed() { # timed LOG CMD...: runs CMD, leaves "wall_s peak_MiB" in LOG
  local log=$1; shift
  /usr/bin/time -f "%e %M" -o "$log.time" "$@"
  awk '{printf "%.2f s %5.0f MiB", $1, $2/1024}' "$log.time" > "$log"
}
printf "%-14s %5s  %-22s %s\n" tool cer "time, peak" "passages (planted) | near-duplicates"
for cer in "${cers[@]}"; do
  d="$work/cer$cer"
  "$reprint" synth --docs "$docs" --seed "$seed" --passages 0.15 --near-duplicates 0.15 --ocr-cer "$cer" --out "$d" 2>/dev/null
  for mode in words ocr; do
    flag=(); [[ $mode == ocr ]] && flag=(--ocr)
    timed "$d/$mode.log" "$reprint" scan "$d/corpus.jsonl" -q --format jsonl "${flag[@]}" > "$d/$mode.jsonl"
    nd=$("$reprint" eval --truth "$d/truth.jsonl" --found "$d/$mode.jsonl" --json \
      | python3 -c "import json,sys; p=json.load(sys.stdin)['pairs']; print('near-dup recall %.4f precision %.4f' % (p['recall'], p['precision']))")
    printf "%-14s %5s  %-22s %s | %s\n" "reprint $mode" "$cer" "$(cat "$d/$mode.log")" \
      "$(python3 "$here/benches/score_passages.py" "$d/$mode.jsonl" "$d/truth.jsonl")" "$nd"
  done
  if [[ ${PASSIM:-1} != 0 ]]; then
    python3 -c 'import json,sys
for l in sys.stdin:
    r = json.loads(l); print(json.dumps({"id": r["id"], "series": r["id"], "text": r["text"]}))' \
      < "$d/corpus.jsonl" > "$d/passim-in.jsonl"
    timed "$d/passim.log" env PASSIM_VENV="$passim_venv" bash "$shared/peers/passim/run_passim.sh" \
      "$d/passim-in.jsonl" "$d/passim-out" --pairwise > "$d/passim.stdout" 2>&1
    python3 "$here/benches/passim_to_found.py" "$d/passim-out" > "$d/passim.jsonl"
    printf "%-14s %5s  %-22s %s\n" "passim" "$cer" "$(cat "$d/passim.log")" \
      "$(python3 "$here/benches/score_passages.py" "$d/passim.jsonl" "$d/truth.jsonl")"
  fi
done
