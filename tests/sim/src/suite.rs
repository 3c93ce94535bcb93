//! The test command's run of random use: fixed seeds and a few fresh ones, every block checked
//! (every pallet's try_state, KSN and LST conservation), and the run must reach the paths that
//! matter (a slash requested and vetoed, a deferred slash cancelled, a withdrawal completed, a
//! bridged deposit minted, …), so a generator that stops reaching them fails too.
//!
//! It runs twice in the test command: as `tests/random_use.rs` in the workspace's test build,
//! and built with `try-runtime` (as a unit test of this crate, in the featured build of the
//! benchmarks) so that upstream pallets' `try_state` runs after every block as well.

use crate::{coverage::Coverage, dice::Dice, opening, run_from};

/// The flags that rebuild this run's checks when replaying a seed (the featured test step's
/// feature set; `kasane-sim` has no `runtime-benchmarks` of its own).
const REPLAY_FEATURES: &str = if cfg!(feature = "try-runtime") {
	" --lib --features try-runtime,kasane-runtime/runtime-benchmarks"
} else {
	""
};

/// Seeds every run replays.
const FIXED_SEEDS: [u64; 6] = [1, 2, 3, 4, 5, 6];
/// Fresh seeds per run (printed, so a failure can be replayed).
const FRESH_SEEDS: usize = 2;
const BLOCKS_PER_SEED: u32 = 1_000;

fn env<T: core::str::FromStr>(name: &str) -> Option<T> {
	std::env::var(name).ok().and_then(|v| v.parse().ok())
}

/// Runs the fixed seeds and [`FRESH_SEEDS`] fresh ones (or the one `KASANE_SIM_SEED` names),
/// `KASANE_SIM_BLOCKS` blocks each (1 000 by default), and panics with the replay command at the
/// first broken invariant or panic, or when the fixed seeds no longer reach a path that matters.
pub fn random_use_keeps_every_invariant() {
	let blocks = env("KASANE_SIM_BLOCKS").unwrap_or(BLOCKS_PER_SEED);
	let seeds: Vec<u64> = match env::<u64>("KASANE_SIM_SEED") {
		Some(seed) => vec![seed],
		None => {
			let now = std::time::SystemTime::now()
				.duration_since(std::time::UNIX_EPOCH)
				.unwrap()
				.as_nanos() as u64;
			let fresh = (0..FRESH_SEEDS as u64)
				.map(|i| now.wrapping_mul(6364136223846793005).wrapping_add(i));
			FIXED_SEEDS.into_iter().chain(fresh).collect()
		}
	};
	let mut coverage = Coverage::default();
	let mut total_blocks = 0;
	let opening = opening().unwrap_or_else(|failure| panic!("the opening failed at {failure}"));
	for seed in &seeds {
		let started = std::time::Instant::now();
		let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
			run_from(&opening, &mut Dice::seeded(*seed), blocks)
		}));
		match outcome {
			Ok(Ok(report)) => {
				println!(
					"seed {seed}: {} blocks, {} extrinsics in {:.1?}",
					report.blocks,
					report.coverage.extrinsics(),
					started.elapsed()
				);
				if let Some((number, weight)) = report.heavy_hooks.first() {
					println!(
						"  {} blocks whose hooks took over a quarter of the block (first: #{number}, {weight} ps)",
						report.heavy_hooks.len()
					);
				}
				total_blocks += report.blocks;
				if FIXED_SEEDS.contains(seed) {
					coverage.merge(&report.coverage);
				}
			},
			Ok(Err(failure)) => panic!(
				"seed {seed} broke an invariant at {failure}\nreplay: KASANE_SIM_SEED={seed} KASANE_SIM_BLOCKS={blocks} cargo test --release -p kasane-sim{REPLAY_FEATURES}"
			),
			Err(_) => panic!(
				"seed {seed} panicked (message above)\nreplay: KASANE_SIM_SEED={seed} KASANE_SIM_BLOCKS={blocks} cargo test --release -p kasane-sim{REPLAY_FEATURES}"
			),
		}
	}
	println!(
		"{total_blocks} blocks; fixed seeds: {} extrinsics\n{}",
		coverage.extrinsics(),
		coverage.table()
	);

	// The fixed seeds reach the paths behind delays, quorums and forged evidence (checked on
	// them alone, so fresh seeds can only add invariant checks, never make this flaky).
	if seeds.len() > 1 && blocks >= BLOCKS_PER_SEED {
		for (pallet, call) in [
			("Balances", "transfer_keep_alive"),
			("Utility", "batch"),
			("Proxy", "proxy"),
			("Staking", "bond"),
			("Staking", "delegate"),
			("Staking", "unbond"),
			("Staking", "withdraw_unbonded"),
			("Staking", "claim_rewards"),
			("Session", "set_keys"),
			("Restaking", "register_operator"),
			("Restaking", "deposit"),
			("Restaking", "delegate_to"),
			("Restaking", "queue_withdrawal"),
			("Restaking", "complete_withdrawal"),
			("Restaking", "modify_allocation"),
			("Restaking", "claim_rewards"),
			("AvsRegistry", "register_avs"),
			("AvsRegistry", "create_operator_set"),
			("AvsRegistry", "register_for_operator_set"),
			("AvsRegistry", "fund_rewards"),
			("Slashing", "set_slasher"),
			("Slashing", "request_slash"),
			("Slashing", "veto_slash"),
			("Slashing", "report_equivocation"),
			("Grandpa", "report_equivocation"),
			("Staking", "cancel_deferred_slash"),
			("Restaking", "complete_redeposit"),
			("LstBridge", "attest_deposit"),
			("LstBridge", "withdraw_to_ethereum"),
			("LstBridge", "attest_withdrawal"),
			("LstBridge", "attest_header"),
			("LstBridge", "prove_deposit"),
			("LstBridge", "prove_deposit_beacon"),
			("LstBridge", "attest_rate"),
			("LstBridge", "prove_rate_beacon"),
			("LstBridge", "attest_release"),
			("LstBridge", "report_contradiction"),
			("LstBridge", "clear_halt"),
			("LstBridge", "clear_header_halt"),
			("LstBridge", "set_guardian"),
			("LstBridge", "cancel_deposit"),
			("LstBridge", "drop_header_tally"),
			("LstBridge", "set_policy"),
			("LstBridge", "update_token"),
			("LstBridge", "force_set_rate"),
			("LstBridge", "set_attesters"),
			("LstBridge", "pause"),
			("EthereumBeaconClient", "set_operating_mode"),
			("AvsRegistry", "accept_avs_ownership"),
			("AvsRegistry", "update_avs_metadata"),
			("Restaking", "set_strategy_status"),
			("Restaking", "set_strategy_caps"),
		] {
			assert!(
				coverage.succeeded(pallet, call) > 0,
				"no {pallet}.{call} succeeded in the fixed seeds' runs: the generator no longer reaches it"
			);
		}
	}
}
