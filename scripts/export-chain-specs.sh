#!/usr/bin/env bash
# Regenerates the committed chain specs from the node's built-in `local` spec (which the
# runtime's `local_testnet` genesis preset defines). node/tests/chain_spec.rs fails when the
# committed files fall behind the runtime.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh

# The same feature set as `cargo test --workspace`, so the tests and this share one build.
cargo build --release --locked --workspace
"$KASANE_NODE" export-chain-spec --chain local > chain-specs/local.json
"$KASANE_NODE" export-chain-spec --chain local --raw > chain-specs/local-raw.json
echo "wrote chain-specs/local.json and chain-specs/local-raw.json"
