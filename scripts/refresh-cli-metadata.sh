#!/usr/bin/env bash
# Rewrites cli/metadata/kasane.scale (what the `kasane` CLI's typed calls and the web app's
# papi descriptors are generated from) from the runtime in this tree, then the app's
# descriptors package and the lockfile entry naming its version; cli/tests/metadata.rs and
# scripts/build-app.sh fail until this has run after a runtime change.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh

# The whole workspace, so the build shares its artifacts (and features) with the test command.
KASANE_REFRESH_METADATA=1 cargo test --release --locked --workspace --test metadata
echo "wrote cli/metadata/kasane.scale"
scripts/build-app.sh --refresh
