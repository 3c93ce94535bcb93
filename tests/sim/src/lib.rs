//! Random use of the real Kasane runtime.
//!
//! A run starts from the `development` genesis with 48 more endowed accounts, has root set the
//! LST bridge up (endpoint, three attesters, a bridged token and its strategy), plays a short
//! opening scene ([`actions::scenario`]: operators, an AVS set they join and allocate to,
//! restakers, a reward budget), then produces real blocks ([`chain`]). Each carries up to twelve
//! signed extrinsics drawn by [`actions`] from every pallet a user reaches: balances, utility
//! batches, proxies, native staking and session keys, restaking, the AVS registry, slashing
//! with forged equivocation evidence (an operator's AVS key, a validator's GRANDPA key), the
//! bridge (deposits, rate reports and releases signed by its attesters, now and then by a
//! dishonest one; receipt proofs under attested and beacon-finalized headers), root's calls
//! through sudo (vetoes, modes, the bridge's policy, limits, halts, attester sets and guardian);
//! now and then an AVS's slasher requests a slash, so that root's vetoes meet pending ones, a
//! pending AVS owner accepts, the bridge's guardian pauses it. Now and then a stretch of empty
//! blocks passes sessions, eras and every delay (allocation, deallocation, withdrawal, veto,
//! unbonding, deferred slashes) so the paths behind them run too. After every block [`checks`]
//! runs the pallets' `try_state` and the cross-pallet conservation checks; a panic anywhere, an
//! invariant broken or a unit of KSN or of an LST unaccounted for ends the run with the block
//! it happened in. Every choice comes from one [`dice::Dice`]: a seed (or a byte string)
//! replays a run.
//!
//! Front ends: [`suite`] (fixed seeds and a few fresh ones, in the test command),
//! `tests/random_use.rs` (that suite, and proptest's byte strings, shrunk when one fails), the
//! `kasane-sim` binary (long runs by hand, a coverage table) and a libFuzzer target (`fuzz/`,
//! `scripts/fuzz.sh`).
//!
//! Built as the workspace builds it, the checks run Kasane's pallets' `do_try_state` (built with
//! `std`). Built with the `try-runtime` feature, they run every pallet's `try_state`, upstream
//! ones included, as `try-runtime` does; the test command runs the suite both ways, the second
//! in the featured build it already makes for the benchmarks and migrations.
//!
//! Not reached, by construction: a successful `Slashing.execute_slash`. Due slashes execute in
//! the `on_initialize` of the block they are due in, and the runtime's `integrity_test` holds
//! that a block's execution budget takes every slash due in it, so none is ever left for a
//! signed call (the pallet's unit tests reach it by skipping a block's `on_initialize`).

pub mod actions;
pub mod chain;
pub mod checks;
pub mod coverage;
pub mod dice;
pub mod suite;

#[cfg(all(test, feature = "try-runtime"))]
mod tests {
	/// The suite with every pallet's `try_state` after every block.
	#[test]
	fn random_use_keeps_every_pallets_try_state() {
		crate::suite::random_use_keeps_every_invariant();
	}
}

use actions::Ethereum;
use chain::{Chain, Outcome};
use coverage::Coverage;
use dice::Dice;

/// What a run did.
#[derive(Default)]
pub struct Report {
	pub blocks: u32,
	pub coverage: Coverage,
	/// Blocks whose hooks (mandatory class) took over a quarter of the block's weight: number,
	/// ref time in picoseconds.
	pub heavy_hooks: Vec<(u32, u64)>,
}

/// Why a run stopped early.
#[derive(Debug)]
pub struct Failure {
	pub block: u32,
	pub message: String,
	/// The extrinsics of the failing block and how each ended.
	pub extrinsics: Vec<String>,
}

impl core::fmt::Display for Failure {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		writeln!(f, "block #{}: {}", self.block, self.message)?;
		for line in &self.extrinsics {
			writeln!(f, "  {line}")?;
		}
		Ok(())
	}
}

/// Most extrinsics in one block.
const MAX_EXTRINSICS: usize = 12;
/// Longest stretch of empty blocks (two eras and more: every devnet delay ends within it).
const MAX_IDLE: usize = 50;

/// Produces one block, records its extrinsics and checks every invariant after it.
fn block(
	chain: &mut Chain,
	report: &mut Report,
	skip_slots: u64,
	body: impl FnOnce(&mut chain::Block<'_>),
) -> Result<(), Failure> {
	let (issuance_before, lsts_before) = chain.read(|| {
		(pallet_balances::TotalIssuance::<kasane_runtime::Runtime>::get(), checks::lst_ledgers())
	});
	let submitted = chain.block(skip_slots, |b| {
		body(b);
		core::mem::take(&mut b.submitted)
	});
	report.blocks += 1;
	let (number, hooks) = chain.read(|| {
		let weight = frame_system::BlockWeight::<kasane_runtime::Runtime>::get();
		(
			kasane_runtime::System::block_number(),
			weight.get(frame_support::dispatch::DispatchClass::Mandatory).ref_time(),
		)
	});
	let max =
		<kasane_runtime::Runtime as frame_system::Config>::BlockWeights::get().max_block.ref_time();
	if hooks > max / 4 {
		report.heavy_hooks.push((number, hooks));
	}
	for (pallet, call, outcome) in &submitted {
		report.coverage.record(pallet, call, outcome);
	}
	let (number, checked) = chain.read(|| {
		(kasane_runtime::System::block_number(), checks::after_block(issuance_before, &lsts_before))
	});
	checked.map_err(|message| {
		let events = chain.read(|| {
			kasane_runtime::System::read_events_no_consensus()
				.map(|r| format!("event {:?}", r.event))
				.collect::<Vec<_>>()
		});
		Failure {
			block: number,
			message,
			extrinsics: submitted
				.iter()
				.map(|(p, c, o)| format!("{p}.{c}: {o:?}"))
				.chain(events)
				.collect(),
		}
	})
}

/// Where every run starts: the genesis, root's bridge set-up and the opening scene, played
/// once and kept as a snapshot.
pub struct Opening {
	snapshot: chain::Snapshot,
	blocks: u32,
	heavy_hooks: Vec<(u32, u64)>,
}

/// Plays the opening: the genesis, root's bridge set-up in the first block, then the scene.
pub fn opening() -> Result<Opening, Failure> {
	let mut chain = Chain::new();
	let mut report = Report::default();

	let setup = actions::bridge_setup(&chain.attesters);
	block(&mut chain, &mut report, 0, |b| {
		for call in setup {
			assert_eq!(b.submit(0, actions::sudo(call)), Outcome::Succeeded, "bridge set-up");
		}
	})?;

	let scenes = {
		let Chain { ext, actors, .. } = &mut chain;
		ext.execute_with(|| actions::scenario(actors))
	};
	for calls in scenes {
		block(&mut chain, &mut report, 0, |b| {
			for (signer, call) in calls {
				let outcome = b.submit(signer, call);
				assert_eq!(outcome, Outcome::Succeeded, "the opening scene");
			}
		})?;
	}
	Ok(Opening {
		snapshot: chain.snapshot(),
		blocks: report.blocks,
		heavy_hooks: report.heavy_hooks,
	})
}

/// Runs `blocks` blocks (fewer if `dice` runs out of bytes) of random use.
pub fn run(dice: &mut Dice, blocks: u32) -> Result<Report, Failure> {
	run_from(&opening()?, dice, blocks)
}

/// Runs `blocks` blocks (counting the opening's; fewer if `dice` runs out of bytes) of random
/// use after `opening`.
pub fn run_from(opening: &Opening, dice: &mut Dice, blocks: u32) -> Result<Report, Failure> {
	let mut chain = Chain::restore(&opening.snapshot);
	let mut eth = Ethereum::default();
	// Coverage counts what random use reached, not the opening's calls.
	let mut report = Report {
		blocks: opening.blocks,
		heavy_hooks: opening.heavy_hooks.clone(),
		..Report::default()
	};

	let mut exhausted = false;
	while report.blocks < blocks && !exhausted {
		let Some(idle) = dice.chance(4) else { break };
		if idle {
			let Some(n) = dice.below(MAX_IDLE) else { break };
			for _ in 0..=n {
				block(&mut chain, &mut report, 0, |_| {})?;
			}
			continue;
		}
		let (Some(count), Some(skip)) = (dice.below(MAX_EXTRINSICS + 1), dice.below(3)) else {
			break;
		};
		chain.read(|| actions::forget_processed(&mut eth));
		block(&mut chain, &mut report, skip as u64 / 2, |b| {
			for _ in 0..count {
				let Some((signer, call)) =
					actions::extrinsic(dice, b.actors, b.attesters, &mut eth)
				else {
					exhausted = true;
					return;
				};
				b.submit(signer, call);
			}
		})?;
	}
	Ok(report)
}
