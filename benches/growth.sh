#!/usr/bin/env bash
# Growth with the number of submissions, on synthetic leaderboards of v0.5
# shape (5 studies × 14 workloads × 5 trials per submission): time, peak
# RSS and memory per evaluation row, at 50, 200 and 500 submissions.
#
#   bash benches/growth.sh [BINARY]    (default: target/release/algoperf-engine)
#
# SIZES="50 200 500" picks the sizes; RUNS (default 3) the runs per size
# (medians). Trees are generated into $SYNTH_DIR/<n> (default
# /tmp/algoperf-synth) when absent; SYNTH_<n>=DIR uses an existing tree of n
# submissions instead (read only), e.g. SYNTH_500=/work/notes/synth500.
# Rows are counted from the files (lines of every eval_measurements.csv but
# its header). "bytes per row" is peak RSS / rows; "marginal" is the growth
# of peak RSS from the smallest size over the growth of rows, which leaves
# out what the process holds whatever the input (code, spec, buffers).
# Peak RSS from /usr/bin/time (GNU time's %M). Builds nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="${1:-${BIN:-target/release/algoperf-engine}}"
[ -x "$BIN" ] || { echo "no engine at $BIN: cargo build --release, or pass the binary" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (GNU time)" >&2; exit 1; }
ROOT="${SYNTH_DIR:-/tmp/algoperf-synth}"
RUNS="${RUNS:-3}"
read -r -a sizes <<<"${SIZES:-50 200 500}"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

# tree N : a synthetic tree of N submissions.
tree() {
  local given="SYNTH_$1"
  if [ -n "${!given:-}" ]; then echo "${!given}"; return; fi
  local dir="$ROOT/$1"
  if [ ! -f "$dir/.complete" ]; then
    rm -rf "$dir"
    "$BIN" synth --submissions "$1" --seed 1 --out "$dir" >/dev/null 2>&1
    touch "$dir/.complete"
  fi
  echo "$dir"
}

echo "engine: $BIN   runs per size: $RUNS (medians)"
echo '| submissions | trial files | MB | evaluation rows | wall (s) | CPU (s) | peak RSS (MiB) | bytes per row | marginal bytes per row |'
echo '|---|---|---|---|---|---|---|---|---|'
base_rss=""; base_rows=""
for n in "${sizes[@]}"; do
  dir=$(tree "$n")
  files=$(find "$dir" -name eval_measurements.csv | wc -l)
  lines=$(find "$dir" -name eval_measurements.csv -print0 | xargs -0 cat | wc -l)
  rows=$((lines - files))
  mb=$(du -sm --apparent-size "$dir" | cut -f1)
  : >"$TMP/runs"
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -f '%e %U %S %M' -o "$TMP/t" "$BIN" --spec rulesets/v05_external.toml \
      --submissions "$dir" --output-dir "$TMP/out" >/dev/null 2>&1 || { echo "engine failed on $dir" >&2; exit 1; }
    tail -1 "$TMP/t" >>"$TMP/runs"
  done
  wall=$(awk '{print $1}' "$TMP/runs" | median)
  cpu=$(awk '{print $2 + $3}' "$TMP/runs" | median)
  rss=$(awk '{print $4 * 1024}' "$TMP/runs" | median)
  marginal="—"
  if [ -n "$base_rss" ] && [ "$rows" -gt "$base_rows" ]; then
    marginal=$(awk -v a="$rss" -v b="$base_rss" -v r="$rows" -v s="$base_rows" 'BEGIN {printf "%.0f", (a - b) / (r - s)}')
  else
    base_rss=$rss; base_rows=$rows
  fi
  awk -v n="$n" -v f="$files" -v mb="$mb" -v rows="$rows" -v w="$wall" -v c="$cpu" -v rss="$rss" -v m="$marginal" \
    'BEGIN {printf "| %d | %d | %d | %d | %.2f | %.2f | %.1f | %.0f | %s |\n", n, f, mb, rows, w, c, rss / 1048576, rss / rows, m}'
done
