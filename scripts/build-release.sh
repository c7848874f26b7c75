#!/usr/bin/env bash
# Builds a release into dist/: the Python wheel (abi3, manylinux, built by
# maturin) and the algoperf-engine binary (the published rulesets and
# targets are built into both), packed with the README, plus SHA256SUMS.
#
#   scripts/build-release.sh            # wheel + binary for this machine
#   TARGET=x86_64-unknown-linux-musl scripts/build-release.sh
#                                       # a static binary (needs
#                                       # `rustup target add x86_64-unknown-linux-musl`)
#
# The wheel and the binary share the repository's target folder, so what
# `cargo build --release` already compiled is reused.
set -euo pipefail
cd "$(dirname "$0")/.."

version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
target=${TARGET:-$(rustc -vV | sed -n 's/^host: //p')}
dist=${DIST:-dist}
mkdir -p "$dist"
export CARGO_TARGET_DIR="$PWD/target"

echo "== wheel (maturin, release, abi3)" >&2
command -v maturin >/dev/null || python3 -m pip install --quiet "maturin>=1.5,<2"
(cd python && maturin build --release --locked --out "../$dist")

echo "== binary ($target)" >&2
cargo build --release --locked --target "$target" --bin algoperf-engine
name="algoperf-engine-$version-$target"
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir "$stage/$name"
cp "target/$target/release/algoperf-engine" README.md "$stage/$name/"
tar -C "$stage" -czf "$dist/$name.tar.gz" "$name"

(cd "$dist" && sha256sum ./*.whl ./*.tar.gz > SHA256SUMS)
ls -l "$dist" >&2
