#!/usr/bin/env bash
# Rewrites cli/metadata/kasane.scale (what the `kasane` CLI's typed calls are generated from)
# from the runtime in this tree; cli/tests/metadata.rs fails until this has run after a
# runtime change.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh

# The whole workspace, so the build shares its artifacts (and features) with the test command.
KASANE_REFRESH_METADATA=1 cargo test --release --locked --workspace --test metadata
echo "wrote cli/metadata/kasane.scale"
