#!/usr/bin/env bash
# Installs what building and testing Kasane needs on a Debian machine that has rustup, cargo,
# gcc and apt: protoc, clang, openssl and Chromium for the web app's browser tests (apt), the wasm targets, rust-src, rustfmt and clippy (rustup),
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
# The e2e tests of https:// endpoints issue their own certificates.
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
# The web app's tests drive Debian's Chromium (never a browser download).
[ "${KASANE_SKIP_CHROMIUM:-}" = 1 ] || command -v chromium >/dev/null 2>&1 || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
	echo "==> apt-get install ${missing[*]}"
	as_root apt-get update -qq
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
fi

# The web app's build (vite 8) and the JavaScript tests need Node.js 20.19 or later.
if ! node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)'; then
	echo "Node.js $(node --version) is too old: Kasane's JavaScript needs 20.19 or later (Debian 13's nodejs, or NodeSource's for Debian 12)" >&2
	exit 1
fi

for target in wasm32-unknown-unknown wasm32v1-none; do
	rustup target list --installed | grep -qx "$target" || rustup target add "$target"
done
for component in rust-src rustfmt clippy; do
	rustup component list --installed | grep -q "^$component" || rustup component add "$component"
done

# One npm workspace (package.json at the root: app, contracts, tests/e2e, zombienet), one lockfile.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules ]; then
	echo "==> npm ci (app, contracts, tests/e2e, zombienet)"
	# Install scripts of the packages that need them only (anvil's binary, esbuild's, protobufjs'
	# check): sqlite3's, Chopsticks' optional database which the tests do not use, compiles
	# SQLite from source when its prebuilt binary cannot be downloaded. The same list as
	# `allowScripts` in package.json, for npm versions that do not read it.
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	npm rebuild --no-audit --no-fund --loglevel=error @foundry-rs/anvil esbuild protobufjs
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
