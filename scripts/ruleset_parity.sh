#!/usr/bin/env bash
# Scores the v0.5 external-tuning logs ($ALGOPERF_DATA) under every ruleset
# of a folder with two engine binaries and diffs every output file, stdout,
# stderr and exit status byte for byte: a change that must not move any
# published number shows "identical" for each ruleset.
# Usage: scripts/ruleset_parity.sh BASE_BINARY NEW_BINARY rulesets/
set -u
BASE=$1; NEW=$2; RULESETS=$3
LOGS=$ALGOPERF_DATA/logs/v05/external_tuning
OUT=$(mktemp -d)
status=0
for spec in "$RULESETS"/*.toml; do
  name=$(basename "$spec" .toml)
  for which in base new; do
    bin=$BASE; [ $which = new ] && bin=$NEW
    mkdir -p "$OUT/$which/$name"
    "$bin" --spec "$spec" --submissions "$LOGS" --output-dir "$OUT/$which/$name" --threads 1 \
      > "$OUT/$which/$name.stdout" 2> "$OUT/$which/$name.stderr"
    echo $? > "$OUT/$which/$name.rc"
  done
  sed -i "s|$OUT/[a-z]*/|OUT/|g" "$OUT"/base/$name.std* "$OUT"/new/$name.std*
  if diff -r "$OUT/base/$name" "$OUT/new/$name" > /dev/null \
     && cmp -s "$OUT/base/$name.stdout" "$OUT/new/$name.stdout" \
     && cmp -s "$OUT/base/$name.stderr" "$OUT/new/$name.stderr" \
     && cmp -s "$OUT/base/$name.rc" "$OUT/new/$name.rc"; then
    echo "$name: identical ($(ls "$OUT/new/$name" | wc -l) files, exit $(cat "$OUT/new/$name.rc"))"
  else
    echo "$name: DIFFERENT"; diff -r "$OUT/base/$name" "$OUT/new/$name" | head -5; status=1
  fi
done
rm -rf "$OUT"
exit $status
