#!/usr/bin/env bash
# CPU of the other commands as multiples of the main job's, on the v0.5
# external-tuning leaderboard, measured in the same run:
#
#   main        score with every output (--output-dir)
#   stability   stability --resamples 10000 (bootstrap over studies)
#   check       check (every file read, its CRC and line numbers)
#   compare     compare of two specs on one tree (v0.5 external and self)
#
#   bash benches/commands.sh [BINARY]     (default: target/release/algoperf-engine)
#
# RUNS (default 9) rounds; each round runs every command once, in turn
# (main, stability, check, compare, main, …), so that load on the machine
# hits all alike. BASE=BINARY also runs a second build each round, for a
# before/after in one run. Each run is timed by wait4 (user+system CPU of
# the command and its children, in microseconds); the figures are medians,
# the ratios medians of the per-round ratios to that round's main job.
# Builds nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="${1:-${BIN:-target/release/algoperf-engine}}"
[ -x "$BIN" ] || { echo "no engine at $BIN: cargo build --release, or pass the binary" >&2; exit 1; }
command -v python3 >/dev/null || { echo "needs python3 (for wait4 timings)" >&2; exit 1; }
DATA="${ALGOPERF_DATA:-../shared/algoperf}"
LOGS="$DATA/logs/v05/external_tuning"
[ -d "$LOGS" ] || { echo "no v0.5 logs at $LOGS (set ALGOPERF_DATA)" >&2; exit 1; }
RUNS="${RUNS:-9}"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

# time_run NAME CMD… : appends the user+system CPU seconds of one run
# (the command and its children, from wait4) to $TMP/NAME.
time_run() {
  local name=$1; shift
  python3 -c '
import os, subprocess, sys
child = subprocess.Popen(sys.argv[2:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
_, status, usage = os.wait4(child.pid, 0)
if os.waitstatus_to_exitcode(status) not in (0, 1):
    sys.exit(1)
with open(sys.argv[1], "a") as out:
    out.write(f"{usage.ru_utime + usage.ru_stime:.4f}\n")
' "$TMP/$name" "$@" || { echo "failed: $*" >&2; exit 1; }
}

median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

# ratio A B : median over rounds of A / B.
ratio() { paste "$TMP/$1" "$TMP/$2" | awk '{print $1 / $2}' | median; }

# round TAG BINARY : one run of every command.
round() {
  local tag=$1 bin=$2 spec=rulesets/v05_external.toml
  time_run "$tag.main" "$bin" --spec "$spec" --submissions "$LOGS" --output-dir "$TMP/out.$tag"
  time_run "$tag.stability" "$bin" stability --spec "$spec" --submissions "$LOGS" --resamples 10000
  # check exits 1 when it finds problems (the v0.5 logs have a few).
  time_run "$tag.check" "$bin" check --spec "$spec" "$LOGS"
  time_run "$tag.compare" "$bin" compare --spec "$spec" --spec rulesets/v05_self.toml --submissions "$LOGS"
}

for _ in $(seq "$RUNS"); do
  round engine "$BIN"
  [ -z "${BASE:-}" ] || round base "$BASE"
done

echo "engine: $BIN${BASE:+   base: $BASE}   rounds: $RUNS   load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo '| build | command | CPU (s), median | ÷ main job (median of rounds) |'
echo '|---|---|---|---|'
for tag in engine ${BASE:+base}; do
  for cmd in main stability check compare; do
    printf '| %s | %s | %.3f | %.2f |\n' "$tag" "$cmd" "$(median <"$TMP/$tag.$cmd")" "$(ratio "$tag.$cmd" "$tag.main")"
  done
done
