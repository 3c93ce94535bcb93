#!/usr/bin/env bash
# Installs what building and testing Kasane needs on a Debian machine that has rustup, cargo,
# gcc and apt: protoc and clang (apt), the wasm targets, rust-src, rustfmt and clippy (rustup),
# zepter (cargo install, outside the work tree), and the npm packages of the contracts,
# end-to-end and zombienet tests and taplo (one workspace). Safe to run again: it skips what is
# already there.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
command -v protoc >/dev/null 2>&1 || missing+=(protobuf-compiler)
command -v clang >/dev/null 2>&1 || missing+=(clang)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
	echo "==> apt-get install ${missing[*]}"
	as_root apt-get update -qq
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
fi

for target in wasm32-unknown-unknown wasm32v1-none; do
	rustup target list --installed | grep -qx "$target" || rustup target add "$target"
done
for component in rust-src rustfmt clippy; do
	rustup component list --installed | grep -q "^$component" || rustup component add "$component"
done

# One npm workspace (package.json at the root: contracts, tests/e2e, zombienet), one lockfile.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules ]; then
	echo "==> npm ci (contracts, tests/e2e, zombienet)"
	npm ci --no-audit --no-fund --loglevel=error
	touch node_modules
fi

# zepter checks that features (std, runtime-benchmarks, try-runtime) reach every dependency.
ZEPTER_VERSION=1.88.2
if ! zepter --version 2>/dev/null | grep -q "$ZEPTER_VERSION"; then
	echo "==> cargo install zepter $ZEPTER_VERSION (into $KASANE_TOOLS)"
	# A tool, not Kasane code: no clippy wrapper, its own temporary target directory.
	env -u RUSTC_WORKSPACE_WRAPPER -u CLIPPY_ARGS -u CARGO_TARGET_DIR \
		cargo install zepter --version "$ZEPTER_VERSION" --locked --root "$KASANE_TOOLS" --quiet
fi
