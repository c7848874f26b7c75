#!/usr/bin/env bash
# End-to-end speed of the engine beside the I/O floor: `cat` of the same
# files the engine reads (`find TREE -type f -name PATTERN | xargs cat`).
#
#   bash benches/e2e.sh [BINARY]       (default: target/release/algoperf-engine)
#
# Jobs:
#   csv   the v0.5 external-tuning leaderboard from its eval_measurements.csv
#         (data from $ALGOPERF_DATA or ../shared/algoperf), every output written;
#   new   a >= 100 MB tree of synthetic raw logs in the new format
#         (`synth --raw-logs new --no-csv`), scored with --source logs;
#   old   the same in the old (`Metrics:` line) format.
# The raw-log trees are generated into $SYNTH_DIR (default /tmp/algoperf-synth)
# when absent, once. JOBS="csv new" picks jobs; RUNS (default 15) sets the
# number of paired runs. BASE=/path/to/other/binary adds a third command to
# each pair, to compare two builds in the same interleaved run.
#
# Each run is timed with /usr/bin/time (wall, user+system CPU of the command
# and its children). Runs are interleaved (cat, engine[, base], cat, …) so
# that load on the machine hits all alike; the figures are medians, and the
# ratios are medians of the per-pair ratios. Builds nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="${1:-${BIN:-target/release/algoperf-engine}}"
[ -x "$BIN" ] || { echo "no engine at $BIN: cargo build --release, or pass the binary" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (GNU time)" >&2; exit 1; }
DATA="${ALGOPERF_DATA:-../shared/algoperf}"
SYNTH="${SYNTH_DIR:-/tmp/algoperf-synth}"
RUNS="${RUNS:-15}"
JOBS="${JOBS:-csv new old}"
SPEC=rulesets/v05_external.toml
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

# time_run NAME CMD… : appends "wall cpu" of one run to $TMP/NAME.
time_run() {
  local name=$1; shift
  /usr/bin/time -f '%e %U %S' -o "$TMP/t" "$@" >/dev/null 2>&1 || {
    echo "failed: $*" >&2; exit 1; }
  tail -1 "$TMP/t" | awk '{printf "%s %.3f\n", $1, $2 + $3}' >>"$TMP/$name"
}

median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

# column FILE N : the N-th column of a timing file.
column() { awk -v n="$2" '{print $n}' "$1"; }

# ratio A B N : median over pairs of A's N-th column / B's.
ratio() { paste "$TMP/$1" "$TMP/$2" | awk -v n="$3" '{print $n / $(n+2)}' | median; }

# job LABEL TREE PATTERN ENGINE-ARGS… : the paired runs and their summary.
job() {
  local label=$1 tree=$2 pattern=$3; shift 3
  local files bytes mb
  files=$(find "$tree" -type f -name "$pattern" | wc -l)
  bytes=$(find "$tree" -type f -name "$pattern" -print0 | du -cb --files0-from=- | tail -1 | cut -f1)
  mb=$(awk -v b="$bytes" 'BEGIN {printf "%.1f", b / 1e6}')
  rm -f "$TMP/cat" "$TMP/engine" "$TMP/base"
  local floor="find '$tree' -type f -name '$pattern' -print0 | xargs -0 cat >/dev/null"
  for _ in $(seq "$RUNS"); do
    time_run cat sh -c "$floor"
    time_run engine "$BIN" --spec "$SPEC" --submissions "$tree" "$@" --output-dir "$TMP/out"
    [ -z "${BASE:-}" ] || time_run base "$BASE" --spec "$SPEC" --submissions "$tree" "$@" --output-dir "$TMP/out_base"
  done
  local cw cc ew ec
  cw=$(column "$TMP/cat" 1 | median); cc=$(column "$TMP/cat" 2 | median)
  ew=$(column "$TMP/engine" 1 | median); ec=$(column "$TMP/engine" 2 | median)
  printf '| %s | %s files, %s MB | %.3f | %.3f | %.3f | %.3f | %.2f | %.2f | %.0f |' \
    "$label" "$files" "$mb" "$ew" "$ec" "$cw" "$cc" \
    "$(ratio engine cat 1)" "$(ratio engine cat 2)" "$(awk -v b="$bytes" -v c="$ec" 'BEGIN {print b / 1e6 / c}')"
  if [ -n "${BASE:-}" ]; then
    local bc
    bc=$(column "$TMP/base" 2 | median)
    printf ' %.3f | %.2f | %.2f |' "$bc" "$(ratio base cat 2)" "$(ratio base engine 2)"
  fi
  echo
}

# raw_tree FORMAT : a >= 100 MB synthetic raw-log tree (14 submissions).
raw_tree() {
  local dir="$SYNTH/rawlogs-$1"
  if [ ! -f "$dir/.complete" ]; then
    rm -rf "$dir"
    "$BIN" synth --spec "$SPEC" --submissions 14 --seed 1 --raw-logs "$1" --no-csv --out "$dir" >/dev/null 2>&1
    touch "$dir/.complete"
  fi
  echo "$dir"
}

echo "engine: $BIN${BASE:+   base: $BASE}   runs: $RUNS (medians of paired runs; seconds)"
header='| job | input | engine wall | engine CPU | cat wall | cat CPU | ratio wall | ratio CPU | engine MB/s CPU |'
rule='|---|---|---|---|---|---|---|---|---|'
if [ -n "${BASE:-}" ]; then
  header="$header base CPU | base/cat CPU | base/engine CPU |"
  rule="$rule---|---|---|"
fi
echo "$header"; echo "$rule"
for j in $JOBS; do
  case $j in
    csv)
      LOGS="$DATA/logs/v05/external_tuning"
      [ -d "$LOGS" ] || { echo "no data at $LOGS (set ALGOPERF_DATA)" >&2; exit 1; }
      job "CSV, v0.5 external, all outputs" "$LOGS" eval_measurements.csv ;;
    new|old)
      job "raw logs, $j format (synthetic)" "$(raw_tree "$j")" '*.log' --source logs ;;
    *) echo "unknown job $j" >&2; exit 1 ;;
  esac
done
