#!/usr/bin/env bash
# End-to-end speed and memory on the v0.5 external-tuning logs, side by side
# with the I/O floor: `cat` of the same files to /dev/null.
#
#   bash benches/e2e.sh            (data from $ALGOPERF_DATA or ../shared/algoperf)
#
# Prints both mean times (hyperfine), their ratio, and the engine's peak RSS.
# The engine run writes every output (CSV summaries included).
set -euo pipefail
cd "$(dirname "$0")/.."
DATA="${ALGOPERF_DATA:-../shared/algoperf}"
LOGS="$DATA/logs/v05/external_tuning"
[ -d "$LOGS" ] || { echo "no data at $LOGS" >&2; exit 1; }
command -v hyperfine >/dev/null || { apt-get update -qq && apt-get install -y -qq hyperfine; }
cargo build --release -q
BIN=target/release/algoperf-engine
OUT="$(mktemp -d)"
JSON="$(mktemp)"
trap 'rm -rf "$OUT" "$JSON"' EXIT

hyperfine --warmup 5 --runs "${RUNS:-30}" --export-json "$JSON" \
  -n cat "find '$LOGS' -name eval_measurements.csv -exec cat {} + > /dev/null" \
  -n engine "$BIN --spec rulesets/v05_external.toml --submissions '$LOGS' --output-dir '$OUT' > /dev/null 2>&1"

rss_kb=$(/usr/bin/time -f '%M' "$BIN" --spec rulesets/v05_external.toml --submissions "$LOGS" --output-dir "$OUT" 2>&1 >/dev/null | tail -1)
python3 - "$JSON" "$rss_kb" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
cat, eng = r["cat"]["mean"], r["engine"]["mean"]
print(f"cat    : {cat*1000:7.1f} ms ± {r['cat']['stddev']*1000:.1f}")
print(f"engine : {eng*1000:7.1f} ms ± {r['engine']['stddev']*1000:.1f}")
print(f"ratio  : {eng/cat:.2f}  (target <= 2)")
print(f"peak RSS: {int(sys.argv[2])/1024:.1f} MiB  (target <= 100)")
PY
