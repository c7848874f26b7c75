#!/usr/bin/env bash
# End-to-end speed of the engine beside two I/O floors over the same files
# the engine reads:
#
# - the honest floor (benches/floor.rs): one thread walks the tree and
#   opens, reads into one reused buffer and closes every such file, nothing
#   else — the least work any reader of the tree must do;
# - `find TREE -type f -name PATTERN | xargs cat`, the floor of earlier
#   versions of this bench (inflated: find stats every entry, cat maps,
#   fadvises and writes every file).
#
#   cargo bench --bench floor --no-run      (once: builds the floor reader)
#   bash benches/e2e.sh [BINARY]            (default: target/release/algoperf-engine)
#
# Jobs:
#   csv   the v0.5 external-tuning leaderboard from its eval_measurements.csv
#         (data from $ALGOPERF_DATA or ../shared/algoperf), every output written;
#   new   a >= 100 MB tree of synthetic raw logs in the new format
#         (`synth --raw-logs new --no-csv`), scored with --source logs;
#   old   the same in the old (`Metrics:` line) format;
#   jax   the same in the jax format (per-evaluation and `Metrics:` lines
#         whose values are `Array(x, dtype=float32)` / `np.float64(x)`);
#   real  the real raw logs of the shared data ($ALGOPERF_DATA/rawlogs/
#         new_format: one submission, 18 logs, 1.6 MB) copied as 60
#         submissions (~96 MB, so that the engine's fixed costs do not
#         drown the reading), v0.6 spec, scored with --source logs.
# The raw-log trees are generated into $SYNTH_DIR (default /tmp/algoperf-synth)
# when absent, once. JOBS="csv new" picks jobs; RUNS (default 15) sets the
# number of paired runs. BASE=/path/to/other/binary adds a further command to
# each round, to compare two builds in the same interleaved run. FLOOR=PATH
# names the floor binary (default: the newest target/release/deps/floor-*).
#
# Each run is timed by wait4 (wall, user+system CPU of the command and its
# children, in microseconds). Runs are interleaved (floor, cat, engine[, base], floor,
# …) so that load on the machine hits all alike; the figures are medians,
# and the ratios are medians of the per-round ratios. Builds nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="${1:-${BIN:-target/release/algoperf-engine}}"
[ -x "$BIN" ] || { echo "no engine at $BIN: cargo build --release, or pass the binary" >&2; exit 1; }
command -v python3 >/dev/null || { echo "needs python3 (for wait4 timings)" >&2; exit 1; }
# The newest floor binary cargo built (its name carries a hash).
FLOOR="${FLOOR:-$(ls -t target/release/deps/floor-* 2>/dev/null | grep -v '\.d$' | head -1 || true)}"
[ -n "$FLOOR" ] && [ -x "$FLOOR" ] || {
  echo "no floor reader: cargo bench --bench floor --no-run, or set FLOOR" >&2; exit 1; }
DATA="${ALGOPERF_DATA:-../shared/algoperf}"
SYNTH="${SYNTH_DIR:-/tmp/algoperf-synth}"
RUNS="${RUNS:-15}"
JOBS="${JOBS:-csv new old jax real}"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

# time_run NAME CMD… : appends "wall cpu" of one run to $TMP/NAME: wall
# clock and user+system CPU of the command and its children, from wait4 in
# microseconds (GNU time's 10 ms steps are too coarse for the floor).
time_run() {
  local name=$1; shift
  python3 -c '
import os, subprocess, sys, time
start = time.monotonic()
child = subprocess.Popen(sys.argv[2:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
_, status, usage = os.wait4(child.pid, 0)
wall = time.monotonic() - start
if status != 0:
    sys.exit(1)
with open(sys.argv[1], "a") as out:
    out.write(f"{wall:.4f} {usage.ru_utime + usage.ru_stime:.4f}\n")
' "$TMP/$name" "$@" || { echo "failed: $*" >&2; exit 1; }
}

median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

# column FILE N : the N-th column of a timing file.
column() { awk -v n="$2" '{print $n}' "$1"; }

# ratio A B N : median over pairs of A's N-th column / B's.
ratio() { paste "$TMP/$1" "$TMP/$2" | awk -v n="$3" '{print $n / $(n+2)}' | median; }

# job LABEL SPEC TREE PATTERN ENGINE-ARGS… : the runs and their summary.
job() {
  local label=$1 spec=$2 tree=$3 pattern=$4; shift 4
  local files bytes mb
  files=$(find "$tree" -type f -name "$pattern" | wc -l)
  bytes=$(find "$tree" -type f -name "$pattern" -print0 | du -cb --files0-from=- | tail -1 | cut -f1)
  mb=$(awk -v b="$bytes" 'BEGIN {printf "%.1f", b / 1e6}')
  rm -f "$TMP/cat" "$TMP/floor" "$TMP/engine" "$TMP/base"
  local cat="find '$tree' -type f -name '$pattern' -print0 | xargs -0 cat >/dev/null"
  for _ in $(seq "$RUNS"); do
    time_run floor "$FLOOR" "$tree" "$pattern"
    time_run cat sh -c "$cat"
    time_run engine "$BIN" --spec "$spec" --submissions "$tree" "$@" --output-dir "$TMP/out"
    [ -z "${BASE:-}" ] || time_run base "$BASE" --spec "$spec" --submissions "$tree" "$@" --output-dir "$TMP/out_base"
  done
  local ew ec fw fc cc
  ew=$(column "$TMP/engine" 1 | median); ec=$(column "$TMP/engine" 2 | median)
  fw=$(column "$TMP/floor" 1 | median); fc=$(column "$TMP/floor" 2 | median)
  cc=$(column "$TMP/cat" 2 | median)
  printf '| %s | %s files, %s MB | %.3f | %.3f | %.3f | %.3f | **%.2f** | %.2f | %.3f | %.2f | %.0f |' \
    "$label" "$files" "$mb" "$ew" "$ec" "$fw" "$fc" \
    "$(ratio engine floor 2)" "$(ratio engine floor 1)" "$cc" "$(ratio engine cat 2)" \
    "$(awk -v b="$bytes" -v c="$ec" 'BEGIN {print b / 1e6 / c}')"
  if [ -n "${BASE:-}" ]; then
    local bc
    bc=$(column "$TMP/base" 2 | median)
    printf ' %.3f | %.2f | %.2f |' "$bc" "$(ratio base floor 2)" "$(ratio base engine 2)"
  fi
  echo
}

# raw_tree FORMAT : a >= 100 MB synthetic raw-log tree (14 submissions).
raw_tree() {
  local dir="$SYNTH/rawlogs-$1"
  if [ ! -f "$dir/.complete" ]; then
    rm -rf "$dir"
    "$BIN" synth --spec rulesets/v05_external.toml --submissions 14 --seed 1 --raw-logs "$1" --no-csv --out "$dir" >/dev/null 2>&1
    touch "$dir/.complete"
  fi
  echo "$dir"
}

# real_tree : the shared data's real raw logs, copied as 60 submissions.
real_tree() {
  local raw="$DATA/rawlogs/new_format" dir="$SYNTH/rawlogs-real-x60"
  [ -d "$raw" ] || { echo "no raw logs at $raw (set ALGOPERF_DATA)" >&2; exit 1; }
  if [ ! -f "$dir/.complete" ]; then
    rm -rf "$dir"; mkdir -p "$dir"
    for sub in "$raw"/*/; do
      for k in $(seq -w 1 60); do cp -r "$sub" "$dir/$(basename "$sub")_$k"; done
    done
    chmod -R u+w "$dir"; touch "$dir/.complete"
  fi
  echo "$dir"
}

echo "engine: $BIN${BASE:+   base: $BASE}   floor: $FLOOR   runs: $RUNS (medians of interleaved runs; seconds; CPU = user + system)"
header='| job | input | engine wall | engine CPU | floor wall | floor CPU | engine ÷ floor CPU | engine ÷ floor wall | cat CPU | engine ÷ cat CPU | engine MB/s CPU |'
rule='|---|---|---|---|---|---|---|---|---|---|---|'
if [ -n "${BASE:-}" ]; then
  header="$header base CPU | base ÷ floor CPU | base ÷ engine CPU |"
  rule="$rule---|---|---|"
fi
echo "$header"; echo "$rule"
for j in $JOBS; do
  case $j in
    csv)
      LOGS="$DATA/logs/v05/external_tuning"
      [ -d "$LOGS" ] || { echo "no data at $LOGS (set ALGOPERF_DATA)" >&2; exit 1; }
      job "CSV, v0.5 external, all outputs" rulesets/v05_external.toml "$LOGS" eval_measurements.csv ;;
    new|old|jax)
      job "raw logs, $j format (synthetic)" rulesets/v05_external.toml "$(raw_tree "$j")" '*.log' --source logs ;;
    real)
      # One workload per submission: --allow-empty lets the v0.6 spec score
      # it (the other workloads count as unsolved).
      job "raw logs, real (shared data × 60)" rulesets/v06_external.toml "$(real_tree)" '*.log' --source logs --allow-empty ;;
    *) echo "unknown job $j" >&2; exit 1 ;;
  esac
done
