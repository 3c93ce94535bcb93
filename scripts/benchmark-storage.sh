#!/usr/bin/env bash
# Measures what a storage read and a write cost in ParityDB on a large state, and writes the
# result to runtime/src/weights/paritydb_weights.rs (a candidate for the runtime's `DbWeight`,
# which is upstream's `ParityDbWeight` until then: see docs/benchmarks.md):
#   scripts/benchmark-storage.sh                      # 100 000 accounts, half of them delegating
#   ACCOUNTS=20000 scripts/benchmark-storage.sh       # smaller, quicker
# The state is the `dev` genesis grown by scripts/large-state.mjs, built into a fresh ParityDB
# database in a temporary directory; `benchmark storage` then reads every key and writes
# batches of them, each batch with its storage root, as block import does: 10 000 keys a
# batch (`BATCH_SIZE`), about what a full block of transfers writes, so a write carries the
# share of the root a block's write does. The averages are taken × 1.3 (`WEIGHT_MUL`;
# Polkadot takes its own database weights × 1.1): runs on this machine differ by up to a third,
# and the weight must cover the slower ones. Needs the benchmark node (scripts/benchmark-pallets.sh builds it).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh
[ -d node_modules ] || npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
node="${BENCH_TARGET_DIR:-$HOME/.cache/kasane-bench-target}/release/kasane-node"
[ -x "$node" ] || { echo "no benchmark node at $node: run scripts/benchmark-pallets.sh (or its cargo build line) first" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$node" export-chain-spec --chain dev > "$work/dev.json"
node scripts/large-state.mjs --accounts "${ACCOUNTS:-100000}" < "$work/dev.json" > "$work/large.json"
# A standalone chain records no proof while importing, so no PoV recorder (polkadot-sdk's
# advice for solochains); `--state-version 1` as the runtime's.
"$node" benchmark storage --chain "$work/large.json" --base-path "$work/db" --database paritydb \
	--state-version 1 --disable-pov-recorder --warmups "${WARMUPS:-1}" \
	--batch-size "${BATCH_SIZE:-10000}" --mul "${WEIGHT_MUL:-1.3}" \
	--weight-path runtime/src/weights/
# The generated file is not formatted the way the workspace is.
cargo fmt --all
