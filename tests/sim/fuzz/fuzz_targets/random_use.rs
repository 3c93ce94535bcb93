//! libFuzzer's bytes drive the runtime simulation: every choice of a run (which actor, which
//! call, which arguments, how many blocks pass) is read from them two bytes at a time, and the
//! run ends when they run out. A panic anywhere in the runtime, or an invariant the checks find
//! broken after a block, is a crash; running the target on the crash file alone replays it
//! with the failing block's extrinsics and events (`scripts/fuzz.sh` says how).

#![no_main]

use kasane_sim::{dice::Dice, opening, run_from, Opening};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

/// Most blocks one input may run (its bytes usually end sooner).
const MAX_BLOCKS: u32 = 400;

/// The genesis and opening scene, played once per process: each input starts from a copy.
static OPENING: OnceLock<Opening> = OnceLock::new();

fuzz_target!(|bytes: &[u8]| {
	let opening =
		OPENING.get_or_init(|| opening().unwrap_or_else(|f| panic!("the opening failed at {f}")));
	if let Err(failure) = run_from(opening, &mut Dice::bytes(bytes), MAX_BLOCKS) {
		panic!("invariant broken at {failure}");
	}
});
