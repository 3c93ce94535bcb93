#!/usr/bin/env bash
# Sets up the machine and runs every test: Rust unit and integration tests of the whole
# workspace (pallets, runtime, node CLI and chain specs), then the end-to-end tests that
# start a real node and drive it over JSON-RPC (and the web app in headless Chromium), then the
# zombienet network test.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh

scripts/setup.sh

echo "==> quick gates: Rust and TOML formatting, feature propagation, the web app's build and unit tests, pallet docs"
cargo fmt --all --check
node_modules/.bin/taplo fmt --check
zepter run check
scripts/build-app.sh
(cd app && npm test)
packages=()
for pallet in "${KASANE_PALLETS[@]}"; do packages+=(-p "${pallet%% *}"); done
# Release profile: the proc macros and build scripts rustdoc needs are the test build's.
RUSTDOCFLAGS="-D warnings" cargo doc --release --locked --no-deps -p kasane-primitives -p pallet-chain-parameters "${packages[@]}"

# One release profile for everything: the node the e2e tests start is the binary these
# tests build, so nothing is compiled twice. Clippy lints each workspace crate as it compiles
# (RUSTC_WORKSPACE_WRAPPER, scripts/common.sh), so a lint fails the build before any test runs.
echo "==> workspace: build (clippy, -D warnings) and unit, integration and chain-spec tests"
cargo test --release --locked --workspace

# One featured build for all three: benchmarks need `runtime-benchmarks`, storage migrations
# run their try-runtime pre/post checks only with `try-runtime`, and so does every upstream
# pallet's `try_state`, which the runtime simulation runs after each block in this build. The
# runtime's library is built with them too (natively: no test here needs its wasm), so that its
# benchmark and try-runtime wiring (`define_benchmarks!`, the `Benchmark` and `TryRuntime`
# APIs) cannot break unseen.
echo "==> pallet benchmarks, each run once as a test; storage migrations with their try-runtime checks; random use of the runtime with every pallet's try_state"
SKIP_WASM_BUILD=1 cargo test --release --locked "${packages[@]}" -p kasane-runtime -p kasane-sim --lib \
	--features runtime-benchmarks,try-runtime -- benchmarking migrations random_use

echo "==> Ethereum contracts (contracts/): solc-js build, tests against anvil"
(cd contracts && npm test)

echo "==> end-to-end tests (tests/e2e) against $KASANE_NODE, $KASANE_RELAYER and $KASANE_CLI"
export KASANE_NODE KASANE_RELAYER KASANE_CLI
(cd tests/e2e && npm test)

echo "==> zombienet: four-node network from chain-specs/local-raw.json"
export KASANE_NODE
(cd zombienet && npm test)
