#!/usr/bin/env bash
# Builds kasane-node with `runtime-benchmarks` (in its own target directory, so the test build
# is not replaced) and regenerates from it the weights of Kasane's pallets, of the upstream
# pallets and transaction extensions in the runtime, and the block and extrinsic base weights.
#   scripts/benchmark-pallets.sh                        # everything, polkadot-sdk's 50 steps, 20 repeats
#   STEPS=20 REPEAT=5 scripts/benchmark-pallets.sh      # quicker, coarser
#   PALLETS="pallet_restaking overhead" scripts/benchmark-pallets.sh  # some of them
# `overhead` is `benchmark overhead`: an empty block's execution (`BlockExecutionWeight`) and a
# `system.remark`'s (`ExtrinsicBaseWeight`), written to runtime/src/weights/.
# Each pallet's raw results are kept in $CARGO_TARGET_DIR/benchmark-results/PALLET.json, and
# scripts/check-weights.mjs compares the written weights with the median measurements there
# (it reports, and does not fail the script, where a fit charges less than was measured).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh
export CARGO_TARGET_DIR="${BENCH_TARGET_DIR:-$HOME/.cache/kasane-bench-target}"
# Upstream pallets whose weights this runtime measures itself, written to runtime/src/weights/.
UPSTREAM_PALLETS=(
	frame_system frame_system_extensions pallet_balances pallet_transaction_payment pallet_assets
	pallet_timestamp pallet_sudo pallet_utility pallet_proxy pallet_multisig pallet_session
	pallet_grandpa snowbridge_pallet_ethereum_client
)
known=" overhead "
for entry in "${KASANE_PALLETS[@]}"; do crate="${entry%% *}"; known+="${crate//-/_} "; done
for pallet in "${UPSTREAM_PALLETS[@]}"; do known+="$pallet "; done
wanted="${PALLETS:-$known}"
wanted="${wanted//-/_}"
for pallet in $wanted; do
	case "$known" in *" $pallet "*) ;; *) echo "unknown pallet $pallet (known:$known)" >&2; exit 1 ;; esac
done
cargo build --release --locked -p kasane-node --features runtime-benchmarks
bench_node="$CARGO_TARGET_DIR/release/kasane-node"
results="$CARGO_TARGET_DIR/benchmark-results"
mkdir -p "$results"
# Runs `benchmark pallet` for $1 with template $2 into $3, then checks the fit.
measure() {
	"$bench_node" benchmark pallet --chain dev --pallet "$1" --extrinsic '*' \
		--steps "${STEPS:-50}" --repeat "${REPEAT:-20}" \
		--template "$2" --output "$3" --json-file "$results/$1.json"
	# Exit 1: some fit charges less than a median (reported, not fatal); anything else fails.
	local status=0
	node scripts/check-weights.mjs "$results/$1.json" "$3" || status=$?
	case $status in
	0) ;;
	1) echo "$1: some fits charge less than their median measurement (above)" >&2 ;;
	*) exit "$status" ;;
	esac
}
for entry in "${KASANE_PALLETS[@]}"; do
	crate="${entry%% *}" dir="${entry#* }"
	pallet="${crate//-/_}"
	case " $wanted " in *" $pallet "*) ;; *) continue ;; esac
	measure "$pallet" scripts/weight-template.hbs "$dir/src/weights.rs"
done
for pallet in "${UPSTREAM_PALLETS[@]}"; do
	case " $wanted " in *" $pallet "*) ;; *) continue ;; esac
	measure "$pallet" scripts/runtime-weight-template.hbs "runtime/src/weights/$pallet.rs"
done
case " $wanted " in
*" overhead "*)
	"$bench_node" benchmark overhead --chain dev --warmup "${WARMUP:-10}" --repeat "${OVERHEAD_REPEAT:-100}" \
		--weight-path runtime/src/weights/
	;;
esac
# `benchmark overhead` does not write its files the way the workspace is formatted.
cargo fmt --all
