#!/usr/bin/env bash
# Installs what building and testing Kasane needs on a Debian machine that has rustup, cargo,
# gcc and apt: protoc and clang (apt), the wasm targets, rust-src and rustfmt (rustup), and the npm
# packages of the end-to-end and zombienet tests. Safe to run again: it skips what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

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
for component in rust-src rustfmt; do
	rustup component list --installed | grep -q "^$component" || rustup component add "$component"
done

for dir in tests/e2e zombienet contracts; do
	if [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules" ]; then
		echo "==> npm ci ($dir)"
		(cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
	fi
done
