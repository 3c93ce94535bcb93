#!/usr/bin/env bash
# Measures a `--dev` node on this machine: time from process start to the first finalized
# block, and resident memory after it has idled for IDLE_SECS (default 60). Loopback only;
# the node is stopped on exit. Results go into docs/benchmarks.md by hand, with this command.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh

IDLE_SECS="${IDLE_SECS:-60}"
RPC_PORT="${RPC_PORT:-19944}"
P2P_PORT="${P2P_PORT:-40333}"
log=$(mktemp)

rpc() {
	curl -s -H 'content-type: application/json' \
		-d "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"$1\",\"params\":${2:-[]}}" "http://127.0.0.1:$RPC_PORT" || true
}

start=$(date +%s%N)
"$KASANE_NODE" --dev --tmp --rpc-port "$RPC_PORT" \
	--listen-addr "/ip4/127.0.0.1/tcp/$P2P_PORT" --no-mdns --no-prometheus >"$log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -f "$log"' EXIT

finalized=0
for _ in $(seq 1 1200); do
	head=$(rpc chain_getFinalizedHead | sed -n 's/.*"result":"\(0x[0-9a-f]*\)".*/\1/p')
	if [ -n "$head" ]; then
		number=$(rpc chain_getHeader "[\"$head\"]" | sed -n 's/.*"number":"\(0x[0-9a-f]*\)".*/\1/p')
		if [ -n "$number" ] && [ $((number)) -ge 1 ]; then finalized=1; break; fi
	fi
	sleep 0.1
done
[ "$finalized" = 1 ] || { echo "no finalized block within 120 s"; tail -20 "$log"; exit 1; }
first_final_ms=$((($(date +%s%N) - start) / 1000000))
echo "time to first finalized block: ${first_final_ms} ms"

sleep "$IDLE_SECS"
rss_kb=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
echo "idle RSS after ${IDLE_SECS} s: $((rss_kb / 1024)) MiB"
