# Shared by the scripts: one target directory outside the work tree, so every build (devnet,
# tests, CI) reuses the same artifacts.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/kasane-target}"
export KASANE_NODE="${KASANE_NODE:-$CARGO_TARGET_DIR/release/kasane-node}"
export KASANE_RELAYER="${KASANE_RELAYER:-$CARGO_TARGET_DIR/release/kasane-relayer}"

# Kasane's pallets: crate name and folder, the one list the scripts share.
KASANE_PALLETS=(
	"pallet-native-staking pallets/staking"
	"pallet-restaking pallets/restaking"
	"pallet-avs-registry pallets/avs-registry"
	"pallet-slashing pallets/slashing"
	"pallet-lst-bridge pallets/lst-bridge"
)
