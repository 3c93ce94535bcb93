#!/usr/bin/env bash
# Sets up the machine, builds kasane-node and the web app, and runs a single-validator --dev
# chain with RPC on 127.0.0.1:9944 and the app on http://127.0.0.1:8080 (KASANE_APP_PORT)
# connected to it. Extra arguments go to the node (e.g. `--base-path /tmp/ksn` to keep state
# across restarts; without it the chain starts fresh each time).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh

# The browser is for the app's tests only.
KASANE_SKIP_CHROMIUM=1 scripts/setup.sh
# The same feature set as `cargo test --workspace`, so the tests and this share one build.
cargo build --release --locked --workspace
scripts/build-app.sh

app_port="${KASANE_APP_PORT:-8080}"
node app/serve.mjs --port "$app_port" --rpc ws://127.0.0.1:9944 &
app_pid=$!
node_pid=
# Ctrl-C, a SIGTERM or a closed terminal stops both the node and the app's server.
stop() {
	kill $app_pid $node_pid 2>/dev/null || true
	wait 2>/dev/null || true
}
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP
sleep 1
if ! kill -0 "$app_pid" 2>/dev/null; then
	echo "the app's server did not start (is port $app_port taken? KASANE_APP_PORT picks another)" >&2
	exit 1
fi

cat <<TXT

Kasane devnet: JSON-RPC and WebSocket on 127.0.0.1:9944 (Ctrl-C stops the node and the app).
  web app:           http://127.0.0.1:$app_port/  (restake, delegate, withdraw; dev accounts offered)
  polkadot.js Apps:  https://polkadot.js.org/apps/?rpc=ws%3A%2F%2F127.0.0.1%3A9944#/explorer
  curl:              curl -s -H 'content-type: application/json' \\
                       -d '{"jsonrpc":"2.0","id":1,"method":"chain_getHeader","params":[]}' http://127.0.0.1:9944
  subxt (Rust):      let api = subxt::OnlineClient::<subxt::PolkadotConfig>::from_url("ws://127.0.0.1:9944").await?;
  metadata:          subxt metadata --url ws://127.0.0.1:9944 > kasane.scale
Dev accounts //Alice … //Ferdie hold 1,000,000 KSN each; //Alice is sudo and the validator.

TXT

if [ "$#" -eq 0 ]; then set -- --tmp; fi
"$KASANE_NODE" --dev --rpc-port 9944 "$@" &
node_pid=$!
wait "$node_pid"
