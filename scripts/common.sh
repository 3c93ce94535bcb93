# Shared by the scripts: one target directory outside the work tree, so every build (devnet,
# tests, CI) reuses the same artifacts.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/kasane-target}"
export KASANE_NODE="${KASANE_NODE:-$CARGO_TARGET_DIR/release/kasane-node}"
export KASANE_RELAYER="${KASANE_RELAYER:-$CARGO_TARGET_DIR/release/kasane-relayer}"
