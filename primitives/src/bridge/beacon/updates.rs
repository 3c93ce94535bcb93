//! What Snowbridge's light client takes as its next update, for whoever builds one (the
//! relayer's beacon-node and synthetic sources, the test chain): the mainnet preset's sizes
//! and the rules of `submit` that decide which block an update may finalize and be signed in.
//!
//! ## Mechanism
//!
//! The light client has finalized `latest` and knows the next sync committee or not. An
//! update's signature must be in `latest`'s committee period, or the next one once it knows
//! the next committee (`SkippedSyncCommitteePeriod`); it must be signed by a supermajority
//! of the committee; its finalized block must be at most a `block_roots` vector above
//! `latest` (`InvalidFinalizedHeaderGap`, so that every block between stays provable by an
//! ancestry branch); and it must carry the next committee when it enters a new period
//! (`SyncCommitteeUpdateRequired`). So one update moves the light client a period at most,
//! and a block far ahead is reached in steps.

use snowbridge_beacon_primitives::{CheckpointUpdate, Update};

/// Members of a sync committee (mainnet preset, which the runtime's light client uses).
pub const COMMITTEE_SIZE: usize = 512;
/// Bytes of a committee's participation bit vector.
pub const COMMITTEE_BITS: usize = COMMITTEE_SIZE / 8;
/// Slots of an epoch and epochs of a sync committee period (mainnet preset).
pub const SLOTS_PER_EPOCH: u64 = 32;
pub const SLOTS_PER_PERIOD: u64 = SLOTS_PER_EPOCH * 256;
/// Slots whose block roots a beacon state keeps (`SLOTS_PER_HISTORICAL_ROOT`): an ancestry
/// branch is one of the `block_roots` vector's, 13 levels deep.
pub const SLOTS_PER_HISTORICAL_ROOT: u64 = 8_192;

/// `force_checkpoint`'s argument.
pub type Checkpoint = CheckpointUpdate<COMMITTEE_SIZE>;
/// `submit`'s argument.
pub type FinalityUpdate = Update<COMMITTEE_SIZE, COMMITTEE_BITS>;

/// The sync committee period of `slot`.
pub fn period(slot: u64) -> u64 {
	slot / SLOTS_PER_PERIOD
}

/// The last slot whose signature the light client takes after finalizing `latest`: the end
/// of `latest`'s period, or of the next one once it knows the next committee.
pub fn last_signable_slot(latest: u64, next_committee_known: bool) -> u64 {
	let signable_periods = if next_committee_known { 2 } else { 1 };
	(period(latest) + signable_periods) * SLOTS_PER_PERIOD - 1
}

/// The highest slot the light client takes as finalized after `latest`.
pub fn highest_finalizable(latest: u64) -> u64 {
	latest.saturating_add(SLOTS_PER_HISTORICAL_ROOT)
}

/// The highest finalized slot whose state still holds the root of the block at `slot` in its
/// `block_roots`, so that a proof of that block may be anchored under it by an ancestry branch.
pub fn highest_anchor(slot: u64) -> u64 {
	slot.saturating_add(SLOTS_PER_HISTORICAL_ROOT)
}

/// Whether `signers` members of the committee are the supermajority (≥ ⅔) the light client
/// requires of an update's signature.
pub fn is_supermajority(signers: usize) -> bool {
	signers * 3 >= COMMITTEE_SIZE * 2
}

/// Whether an update finalizing `slot` carries the next sync committee, the light client
/// having finalized `latest` and knowing the next committee or not. At the handover into the
/// next period the light client requires it (`SyncCommitteeUpdateRequired`), the next
/// committee becoming the current one. While it does not know the next committee it takes
/// updates without it, but could never enter the next period: handing it over at the first
/// update keeps that way open.
pub fn committee_needed(latest: u64, slot: u64, next_committee_known: bool) -> bool {
	!next_committee_known || period(slot) != period(latest)
}

/// The highest slot an update of a chain that finalizes each block at `slot`, attested at
/// `slot + 1` and signed at `slot + 2` (the test chain's), may finalize next on the way from
/// `latest` to `target`; and whether that update must carry the next committee. Each step
/// takes the light client a period further at most, so a target far ahead is reached in
/// steps, each below the next one's `block_roots`.
///
/// Without the next committee, at a period's last two slots, the step is below `latest`:
/// an update there only hands the committee over, which the light client takes. That happens
/// only right after a checkpoint (which clears the next committee); a chain with no block
/// below its checkpoint must not put its checkpoint in a period's last two slots.
pub fn finality_step(latest: u64, target: u64, next_committee_known: bool) -> (u64, bool) {
	let step = target
		.min(last_signable_slot(latest, next_committee_known) - 2)
		.min(highest_finalizable(latest));
	(step, committee_needed(latest, step, next_committee_known))
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn a_signature_is_taken_up_to_the_end_of_the_period_or_the_next_once_known() {
		assert_eq!(last_signable_slot(0, false), SLOTS_PER_PERIOD - 1);
		assert_eq!(last_signable_slot(SLOTS_PER_PERIOD - 1, true), 2 * SLOTS_PER_PERIOD - 1);
		assert_eq!(last_signable_slot(SLOTS_PER_PERIOD, false), 2 * SLOTS_PER_PERIOD - 1);
	}

	#[test]
	fn two_thirds_of_the_committee_is_the_least_supermajority() {
		// 512 × 2 / 3 = 341.33: 342 signers pass, 341 do not.
		assert!(is_supermajority(342));
		assert!(!is_supermajority(341));
		assert!(is_supermajority(COMMITTEE_SIZE));
	}

	#[test]
	fn the_committee_rides_only_on_updates_that_need_it() {
		let start = 64;
		// Right after the checkpoint the light client knows no next committee.
		assert!(committee_needed(start, start + 1, false));
		// Within the period, once it does, a plain update is enough.
		assert!(!committee_needed(start + 1, start + 2, true));
		assert!(!committee_needed(start, SLOTS_PER_PERIOD - 1, true));
		// Into the next period the next committee takes over and needs its successor.
		assert!(committee_needed(SLOTS_PER_PERIOD - 1, SLOTS_PER_PERIOD, true));
		assert!(committee_needed(start, SLOTS_PER_PERIOD + 5, true));
	}

	#[test]
	fn each_finality_step_is_signed_in_a_period_the_light_client_verifies() {
		let p = SLOTS_PER_PERIOD;
		// A target in reach is finalized at once.
		assert_eq!(finality_step(64, 100, false), (100, true));
		assert_eq!(finality_step(100, 200, true), (200, false));
		// Without the next committee, only up to the period's end (signed two slots later).
		assert_eq!(finality_step(64, 3 * p, false), (p - 3, true));
		// With it, into the next period (handing over), never more than the roots vector past.
		assert_eq!(finality_step(p - 3, 3 * p, true), (2 * p - 3, true));
		assert_eq!(finality_step(64, 3 * p, true), (64 + SLOTS_PER_HISTORICAL_ROOT, true));
		assert_eq!(finality_step(p + 5, p + 100, true), (p + 100, false));
		// At a period's last slots without the next committee: an update below the latest
		// only hands it over.
		assert_eq!(finality_step(p - 1, p + 10, false), (p - 3, true));
	}
}
