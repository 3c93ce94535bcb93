#!/usr/bin/env bash
# Fuzzes the runtime simulation by hand (tests/sim/fuzz): libFuzzer, coverage-guided, picks the
# bytes that drive every choice of a run, and keeps the inputs that reach new code of the
# runtime in tests/sim/fuzz/corpus/random_use. A crash (a panic, a broken invariant) is saved
# in tests/sim/fuzz/artifacts/random_use; replay it with the same build (debug assertions on,
# so `defensive!` paths panic as they did):
#   CARGO_TARGET_DIR=~/.cache/kasane-fuzz-target SKIP_WASM_BUILD=1 \
#     cargo fuzz run --fuzz-dir tests/sim/fuzz --sanitizer none random_use <crash file>
# which prints the failing block's extrinsics and events (`kasane-sim --bytes <file>` replays
# it in the test build, whose release profile has no debug assertions).
#   scripts/fuzz.sh [minutes]          # default 10; FUZZ_JOBS=2 for two fuzzing processes
# Stable Rust: no sanitizer (`--sanitizer none`), which is what safe Rust needs to find panics.
# Builds in its own target directory (instrumented code is not the test build's).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh
minutes="${1:-10}"

CARGO_FUZZ_VERSION=0.13.2
if ! cargo fuzz --version 2>/dev/null | grep -q "$CARGO_FUZZ_VERSION"; then
	echo "==> cargo install cargo-fuzz $CARGO_FUZZ_VERSION (into $KASANE_TOOLS)"
	env -u RUSTC_WORKSPACE_WRAPPER -u CLIPPY_ARGS -u CARGO_TARGET_DIR \
		cargo install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked --root "$KASANE_TOOLS" --quiet
fi

# The fuzz crate is its own workspace: start from Kasane's lockfile so it builds the same
# versions of everything.
cp Cargo.lock tests/sim/fuzz/Cargo.lock
export CARGO_TARGET_DIR="${FUZZ_TARGET_DIR:-$HOME/.cache/kasane-fuzz-target}"
# The simulation runs the native runtime: no wasm to build.
export SKIP_WASM_BUILD=1
unset RUSTC_WORKSPACE_WRAPPER CLIPPY_ARGS
cargo fuzz run --fuzz-dir tests/sim/fuzz --sanitizer none --jobs "${FUZZ_JOBS:-1}" random_use -- \
	-max_total_time=$((minutes * 60)) -max_len=4096 -len_control=0 -timeout=120 -rss_limit_mb=4096 \
	-print_final_stats=1
