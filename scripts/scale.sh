#!/usr/bin/env bash
# Grows a `kasane-node --dev` to a large restaking state and measures it (issue 25's state
# scale): a genesis of KSN and LST holders (scripts/large-state.mjs), then operators, AVSs with
# funded operator sets and delegated stakers made through extrinsics, an era's reward payouts,
# a slash per AVS, and the runtime-API views timed over RPC:
#   scripts/scale.sh [--stakers 100000] [--operators 1000] [--sets 500] [--chunk 10000]
#                    [--force-allocations] [--out FILE] [--keep DIR]
# Loopback only; the node is stopped at the end and its database removed (kept in DIR with
# --keep, for `kasane-node benchmark block`). Figures go into
# docs/benchmarks.md with the command that produced them.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh
[ -d node_modules ] || npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
export KASANE_NODE
exec node scripts/scale.mjs "$@"
