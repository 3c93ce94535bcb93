#!/usr/bin/env bash
# Fuzzes by hand with libFuzzer, coverage-guided, on stable Rust (`--sanitizer none`: what safe
# Rust needs to find panics). Two targets:
# - random_use (tests/sim/fuzz): the bytes drive every choice of a runtime simulation run, and
#   a panic or a broken invariant after a block is a crash. Replay a crash with the same build
#   (debug assertions on, so `defensive!` paths panic as they did):
#     CARGO_TARGET_DIR=~/.cache/kasane-fuzz-target SKIP_WASM_BUILD=1 \
#       cargo fuzz run --fuzz-dir tests/sim/fuzz --sanitizer none random_use <crash file>
#   which prints the failing block's extrinsics and events (`kasane-sim --bytes <file>` replays
#   it in the test build, whose release profile has no debug assertions).
# - receipt_evidence (primitives/fuzz): the bytes are receipt evidence from anyone, decoded,
#   proven in a receipts trie and read as the vault's events
#   (`kasane_primitives::bridge::proof::fuzzing`). Its corpus is kept in the repository,
#   minimised (`FUZZ_MINIMISE=1` rewrites it after the run), and the test build replays it.
# Inputs that reach new code are kept in <fuzz dir>/corpus/<target>, crashes in
# <fuzz dir>/artifacts/<target>.
#   scripts/fuzz.sh [minutes] [target]   # default 10, random_use; FUZZ_JOBS=2 for two processes
# (0 minutes: until stopped, and then nothing is minimised).
# Builds in its own target directory (instrumented code is not the test build's).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh
minutes="${1:-10}"
target="${2:-random_use}"
if ! [[ "$minutes" =~ ^(0|[1-9][0-9]*)$ ]]; then
	echo "usage: scripts/fuzz.sh [minutes] [random_use|receipt_evidence]" >&2
	exit 1
fi
case "$target" in
random_use)
	fuzz_dir=tests/sim/fuzz
	args=(-max_len=4096 -len_control=0 -timeout=120 -rss_limit_mb=4096)
	;;
receipt_evidence)
	fuzz_dir=primitives/fuzz
	args=(-max_len=4096 -timeout=10)
	;;
*)
	echo "unknown fuzz target $target (random_use, receipt_evidence)" >&2
	exit 1
	;;
esac

CARGO_FUZZ_VERSION=0.13.2
if ! cargo fuzz --version 2>/dev/null | grep -q "$CARGO_FUZZ_VERSION"; then
	echo "==> cargo install cargo-fuzz $CARGO_FUZZ_VERSION (into $KASANE_TOOLS)"
	env -u RUSTC_WORKSPACE_WRAPPER -u CLIPPY_ARGS -u CARGO_TARGET_DIR \
		cargo install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked --root "$KASANE_TOOLS" --quiet
fi

# Each fuzz crate is its own workspace: start from Kasane's lockfile so it builds the same
# versions of everything.
cp Cargo.lock "$fuzz_dir/Cargo.lock"
export CARGO_TARGET_DIR="${FUZZ_TARGET_DIR:-$HOME/.cache/kasane-fuzz-target}"
# The simulation runs the native runtime: no wasm to build.
export SKIP_WASM_BUILD=1
unset RUSTC_WORKSPACE_WRAPPER CLIPPY_ARGS
cargo fuzz run --fuzz-dir "$fuzz_dir" --sanitizer none --jobs "${FUZZ_JOBS:-1}" "$target" -- \
	-max_total_time=$((minutes * 60)) "${args[@]}" -print_final_stats=1
if [[ "${FUZZ_MINIMISE:-0}" == 1 ]]; then
	cargo fuzz cmin --fuzz-dir "$fuzz_dir" --sanitizer none "$target" -- "${args[@]}"
fi
