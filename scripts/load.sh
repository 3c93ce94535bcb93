#!/usr/bin/env bash
# Loads a Kasane node with pre-signed extrinsics and reports what its blocks carried:
#   scripts/load.sh [--workload transfers|deposits|mix] [--count N] [--senders S]
#                   [--concurrency C] [--network dev|local] [--url ws://127.0.0.1:PORT]
#                   [--out FILE] [--base-path DIR]
# Without --url it starts `kasane-node --dev --tmp` (with --base-path, its database is kept
# there), or with --network local the four nodes of `--chain local`, on loopback only, from
# $KASANE_NODE, and stops them afterwards. It stops by itself once everything submitted is in a
# block. Figures go into docs/benchmarks.md with the command that produced them.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh
[ -d node_modules ] || npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
export KASANE_NODE
exec node scripts/load.mjs "$@"
