#!/usr/bin/env bash
# End-to-end time on synthetic leaderboards of v0.5 shape (5 studies × 14
# workloads × 5 trials per submission) for 10, 50 and 200 submissions:
# growth should be linear in the number of submissions.
#
#   bash benches/growth.sh [N ...]     (default: 10 50 200)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { apt-get update -qq && apt-get install -y -qq hyperfine; }
cargo build --release -q
BIN=target/release/algoperf-engine
ROOT="${SYNTH_DIR:-/tmp/algoperf-synth}"
sizes=("$@"); [ ${#sizes[@]} -gt 0 ] || sizes=(10 50 200)
printf '| submissions | trial files | MB | wall time (s) | ms per submission | CPU user+sys (s) | peak RSS (MiB) |\n|---|---|---|---|---|---|---|\n'
for n in "${sizes[@]}"; do
  dir="$ROOT/$n"
  [ -d "$dir" ] || "$BIN" synth --submissions "$n" --seed 1 --out "$dir" 2>/dev/null
  files=$(find "$dir" -name eval_measurements.csv | wc -l)
  mb=$(du -sm --apparent-size "$dir" | cut -f1)
  json=$(mktemp)
  out=$(mktemp -d)
  hyperfine -N --warmup 2 --runs 10 --export-json "$json" \
    "$BIN --spec rulesets/v05_external.toml --submissions $dir --output-dir $out" >/dev/null 2>&1
  read -r rss cpu < <(/usr/bin/time -f '%M %U %S' "$BIN" --spec rulesets/v05_external.toml --submissions "$dir" --output-dir "$out" 2>&1 >/dev/null | tail -1 | awk '{print $1, $2 + $3}')
  python3 - "$json" "$n" "$files" "$mb" "$rss" "$cpu" <<'PY'
import json, sys
mean = json.load(open(sys.argv[1]))["results"][0]["mean"]
n, files, mb, rss, cpu = int(sys.argv[2]), sys.argv[3], sys.argv[4], int(sys.argv[5]), float(sys.argv[6])
print(f"| {n} | {files} | {mb} | {mean:.3f} | {mean*1000/n:.1f} | {cpu:.2f} | {rss/1024:.1f} |")
PY
  rm -rf "$json" "$out"
done
