#!/usr/bin/env bash
# Builds kasane-node with `runtime-benchmarks` (in its own target directory, so the test build
# is not replaced) and regenerates the weights of Kasane's pallets from it.
#   STEPS=50 REPEAT=20 scripts/benchmark-pallets.sh     # defaults: STEPS=20 REPEAT=5
#   PALLETS="pallet_restaking pallet_slashing" scripts/benchmark-pallets.sh  # some pallets
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh
export CARGO_TARGET_DIR="${BENCH_TARGET_DIR:-$HOME/.cache/kasane-bench-target}"
# Upstream pallets whose weights this runtime measures itself, written to runtime/src/weights/.
UPSTREAM_PALLETS=(snowbridge_pallet_ethereum_client)
known=" "
for entry in "${KASANE_PALLETS[@]}"; do crate="${entry%% *}"; known+="${crate//-/_} "; done
for pallet in "${UPSTREAM_PALLETS[@]}"; do known+="$pallet "; done
wanted="${PALLETS:-$known}"
wanted="${wanted//-/_}"
for pallet in $wanted; do
	case "$known" in *" $pallet "*) ;; *) echo "unknown pallet $pallet (known:$known)" >&2; exit 1 ;; esac
done
cargo build --release --locked -p kasane-node --features runtime-benchmarks
node="$CARGO_TARGET_DIR/release/kasane-node"
for entry in "${KASANE_PALLETS[@]}"; do
	crate="${entry%% *}" dir="${entry#* }"
	pallet="${crate//-/_}"
	case " $wanted " in *" $pallet "*) ;; *) continue ;; esac
	"$node" benchmark pallet --chain dev --pallet "$pallet" --extrinsic '*' \
		--steps "${STEPS:-20}" --repeat "${REPEAT:-5}" \
		--template scripts/weight-template.hbs --output "$dir/src/weights.rs"
done
for pallet in "${UPSTREAM_PALLETS[@]}"; do
	case " $wanted " in *" $pallet "*) ;; *) continue ;; esac
	"$node" benchmark pallet --chain dev --pallet "$pallet" --extrinsic '*' \
		--steps "${STEPS:-20}" --repeat "${REPEAT:-5}" \
		--output "runtime/src/weights/$pallet.rs"
done
