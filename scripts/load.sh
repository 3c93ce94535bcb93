#!/usr/bin/env bash
# Loads a Kasane node with pre-signed extrinsics and reports what its blocks carried:
#   scripts/load.sh [--workload transfers|deposits|mix] [--count N] [--senders S]
#                   [--concurrency C] [--url ws://127.0.0.1:PORT] [--out FILE]
# Without --url it starts `kasane-node --dev --tmp` (loopback only) from $KASANE_NODE and stops
# it afterwards. It stops by itself once everything submitted is in a block. Figures go into
# docs/benchmarks.md with the command that produced them.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh
[ -d node_modules ] || npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
export KASANE_NODE
exec node scripts/load.mjs "$@"
