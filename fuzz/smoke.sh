#!/usr/bin/env bash
# Short fuzz run for CI: installs cargo-afl if missing, builds the targets, replays every stored
# input of each target (a regression check), then fuzzes each target for SECONDS (10) and fails
# if AFL saved a crash, or a hang that still hangs when run alone. Long runs: see README.md here.
set -euo pipefail
cd "$(dirname "$0")"
seconds=${SECONDS_PER_TARGET:-10}
if ! cargo afl --version >/dev/null 2>&1; then
  echo "== installing cargo-afl (AFL++ for Rust, stable toolchain)"
  cargo install cargo-afl --locked --quiet
fi
cargo afl --version
# Builds AFL++'s runtime for this rustc once; a no-op when it is there.
cargo afl config --build >/dev/null 2>&1 || true
cargo afl build --release --quiet
targets=(read_input tokens align quotes html)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for t in "${targets[@]}"; do
  n=0
  for f in corpus/$t/*; do
    target/release/$t < "$f" >/dev/null 2>"$out/replay.err" || { echo "$t: stored input $f fails:"; cat "$out/replay.err"; exit 1; }
    n=$((n + 1))
  done
  echo "== $t: $n stored inputs replayed; fuzzing ${seconds}s"
  AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 AFL_NO_AFFINITY=1 \
    cargo afl fuzz -V "$seconds" -i "corpus/$t" -o "$out/$t" "target/release/$t" >"$out/$t.log" 2>&1 \
    || { tail -20 "$out/$t.log"; exit 1; }
  stats="$out/$t/default/fuzzer_stats"
  grep -E '^(execs_done|saved_crashes|saved_hangs) ' "$stats" | tr -s ' ' | tr '\n' ' '; echo
  if ls "$out/$t/default/crashes/"id:* >/dev/null 2>&1; then
    echo "$t: AFL found a crash:"; ls "$out/$t/default/crashes"; exit 1
  fi
  # AFL's time limit is tens of milliseconds, which a busy machine can pass: a saved hang fails
  # the run only when it still takes over 10 s alone.
  for f in "$out/$t/default/hangs/"id:*; do
    [ -e "$f" ] || continue
    if ! timeout 10 "target/release/$t" < "$f" >/dev/null 2>&1; then
      echo "$t: input $f hangs or fails:"; xxd "$f" | head; exit 1
    fi
    echo "$t: a saved hang ran at once alone (the machine was busy)"
  done
done
