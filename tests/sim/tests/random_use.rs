//! Random use of the real runtime from fixed seeds and a few fresh ones ([`kasane_sim::suite`]).
//!
//! Replay a failure: `KASANE_SIM_SEED=<seed> cargo test --release -p kasane-sim`;
//! `KASANE_SIM_BLOCKS` sets the blocks per seed.

#[test]
fn random_use_keeps_every_invariant() {
	kasane_sim::suite::random_use_keeps_every_invariant();
}

mod bytes {
	//! The same checks driven by proptest's byte strings instead of seeds: a failing string
	//! is shrunk (fewer and smaller bytes: fewer blocks, calls and arguments, for up to two
	//! minutes) before it is reported, its case kept in `proptest-regressions/random_use.txt`
	//! (commit it: it is replayed first on every later run) and its bytes written where the
	//! failure message says, for `kasane-sim --bytes FILE`.

	use kasane_sim::{dice::Dice, opening, run_from, Opening};
	use proptest::{prelude::*, test_runner::FileFailurePersistence};
	use std::sync::OnceLock;

	/// Most blocks one byte string may run (its bytes usually end sooner).
	const MAX_BLOCKS: u32 = 300;

	static OPENING: OnceLock<Opening> = OnceLock::new();

	proptest! {
		#![proptest_config(ProptestConfig {
			cases: 12,
			max_shrink_iters: 10_000,
			max_shrink_time: 120_000,
			failure_persistence: Some(Box::new(FileFailurePersistence::Direct(
				"proptest-regressions/random_use.txt",
			))),
			..ProptestConfig::default()
		})]

		#[test]
		fn random_bytes_keep_every_invariant(bytes in proptest::collection::vec(any::<u8>(), 0..6_000)) {
			let opening = OPENING
				.get_or_init(|| opening().unwrap_or_else(|f| panic!("the opening failed at {f}")));
			let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
				run_from(opening, &mut Dice::bytes(&bytes), MAX_BLOCKS)
			}));
			let failure = match outcome {
				Ok(Ok(_)) => None,
				Ok(Err(failure)) => Some(format!("invariant broken at {failure}")),
				Err(_) => Some("panicked (message above)".to_string()),
			};
			if let Some(failure) = failure {
				// Shrinking keeps the smallest failing string last.
				let file = std::env::temp_dir().join("kasane-sim-failing-bytes.bin");
				std::fs::write(&file, &bytes).expect("temp dir writable");
				return Err(TestCaseError::fail(format!(
					"{failure}\nreplay: kasane-sim --bytes {}",
					file.display()
				)));
			}
		}
	}
}
