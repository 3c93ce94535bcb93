# Shared by the scripts: one target directory outside the work tree, so every build (devnet,
# tests, CI) reuses the same artifacts.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/kasane-target}"
export KASANE_NODE="${KASANE_NODE:-$CARGO_TARGET_DIR/release/kasane-node}"
export KASANE_RELAYER="${KASANE_RELAYER:-$CARGO_TARGET_DIR/release/kasane-relayer}"
export KASANE_CLI="${KASANE_CLI:-$CARGO_TARGET_DIR/release/kasane}"

# Kasane's pallets: crate name and folder, the one list the scripts share.
KASANE_PALLETS=(
	"pallet-native-staking pallets/native-staking"
	"pallet-restaking pallets/restaking"
	"pallet-avs-registry pallets/avs-registry"
	"pallet-slashing pallets/slashing"
	"pallet-lst-bridge pallets/lst-bridge"
)

# Clippy lints every workspace crate while it compiles (clippy-driver is rustc plus lints), with
# warnings as errors: the lint gate costs no second compilation. Every script sets the same
# values, so their builds share one set of artifacts.
export RUSTC_WORKSPACE_WRAPPER="${RUSTC_WORKSPACE_WRAPPER-clippy-driver}"
export CLIPPY_ARGS="${CLIPPY_ARGS--D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__}"

# Tools the quick gates use (zepter), installed by scripts/setup.sh outside the work tree.
export KASANE_TOOLS="${KASANE_TOOLS:-$HOME/.cache/kasane-tools}"
export PATH="$KASANE_TOOLS/bin:$PATH"
