#!/usr/bin/env bash
# Builds kasane-node with `runtime-benchmarks` (in its own target directory, so the test build
# is not replaced) and regenerates the weights of Kasane's pallets from it.
#   STEPS=50 REPEAT=20 scripts/benchmark-pallets.sh     # defaults: STEPS=20 REPEAT=5
#   PALLETS=pallet_restaking scripts/benchmark-pallets.sh  # one pallet
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh
export CARGO_TARGET_DIR="${BENCH_TARGET_DIR:-$HOME/.cache/kasane-bench-target}"
cargo build --release --locked -p kasane-node --features runtime-benchmarks
node="$CARGO_TARGET_DIR/release/kasane-node"
for pallet in ${PALLETS:-pallet_native_staking pallet_restaking pallet_avs_registry pallet_slashing pallet_lst_bridge}; do
	dir="pallets/$(echo "${pallet#pallet_}" | sed 's/native_staking/staking/; s/_/-/g')"
	"$node" benchmark pallet --chain dev --pallet "$pallet" --extrinsic '*' \
		--steps "${STEPS:-20}" --repeat "${REPEAT:-5}" \
		--template scripts/weight-template.hbs --output "$dir/src/weights.rs"
done
