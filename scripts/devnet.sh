#!/usr/bin/env bash
# Sets up the machine, builds kasane-node and runs a single-validator --dev chain with RPC on
# 127.0.0.1:9944. Extra arguments go to the node (e.g. `--base-path /tmp/ksn` to keep state
# across restarts; without it the chain starts fresh each time).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh

scripts/setup.sh
# The same feature set as `cargo test --workspace`, so the tests and this share one build.
cargo build --release --locked --workspace

cat <<TXT

Kasane devnet: JSON-RPC and WebSocket on 127.0.0.1:9944 (Ctrl-C stops the node).
  polkadot.js Apps:  https://polkadot.js.org/apps/?rpc=ws%3A%2F%2F127.0.0.1%3A9944#/explorer
  curl:              curl -s -H 'content-type: application/json' \\
                       -d '{"jsonrpc":"2.0","id":1,"method":"chain_getHeader","params":[]}' http://127.0.0.1:9944
  subxt (Rust):      let api = subxt::OnlineClient::<subxt::PolkadotConfig>::from_url("ws://127.0.0.1:9944").await?;
  metadata:          subxt metadata --url ws://127.0.0.1:9944 > kasane.scale
Dev accounts //Alice … //Ferdie hold 1,000,000 KSN each; //Alice is sudo and the validator.

TXT

if [ "$#" -eq 0 ]; then set -- --tmp; fi
exec "$KASANE_NODE" --dev --rpc-port 9944 "$@"
