//! Where execution proofs for `prove_deposit_beacon` / `prove_rate_beacon` come from.
//!
//! Today that is a synthetic beacon chain only
//! ([`kasane_primitives::bridge::beacon::testkit`]): for a short-lived test network, the
//! relayer plays a beacon chain of public test keys over the Ethereum chain it reads (anvil,
//! say). Ethereum block `n` is the payload of the beacon block at slot
//! [`SyntheticSource::slot_of`]`(n)`; before proving an event in it, the relayer submits the
//! finality update that finalizes that block to the light client
//! (`EthereumBeaconClient.submit`) unless the light client has it. Root installs the chain's
//! checkpoint (`kasane-relayer --print-synthetic-checkpoint`) with
//! `EthereumBeaconClient.force_checkpoint`.
//!
//! Limits, all the light client's: the first update must be signed in the checkpoint's
//! committee period (Ethereum blocks below ≈ 8 120), and successive updates at most a period
//! (8 192 slots, i.e. blocks) apart. Within those bounds the chain runs past a period: an
//! update hands the (unchanging) next committee on when the light client needs it
//! ([`committee_needed`]), and only then, as the committee's import
//! (`submit_with_sync_committee`) costs 7.5 times a plain update. A block's beacon block can
//! only be finalized while the light client is behind it: the synthetic chain keeps no
//! `block_roots` of past blocks, so a block below the light client's latest finalized slot
//! that was not itself finalized cannot be proven (the relayer logs it). The relayer therefore
//! finalizes the blocks of all its open deposits and rate reports in block order before
//! proving any; only a block another relayer skipped past is lost that way. An update Kasane
//! refused is not sent again for [`UPDATE_RETRY`].

use crate::{
	kasane::{BridgeCall, Kasane, Outcome},
	refusals::Refusals,
};
use anyhow::Result;
use kasane_primitives::bridge::{
	beacon::{
		testkit::{Checkpoint, ExecutionBlock, SyntheticBeacon, SLOTS_PER_PERIOD},
		ExecutionProof, ForkSchedule,
	},
	proof::EthHeader,
};
use std::time::Duration;
use tracing::{info, warn};

/// How long an update Kasane refused (light client halted, another committee) waits before it
/// is sent again, so that its fee is not paid every step.
pub const UPDATE_RETRY: Duration = Duration::from_secs(60);

/// The synthetic chain's checkpoint slot: Ethereum block `n` is at slot `CHECKPOINT_SLOT + 1 + n`.
pub const CHECKPOINT_SLOT: u64 = 64;

/// A synthetic beacon chain over the Ethereum chain the relayer reads; see the module docs.
pub struct SyntheticSource {
	chain: SyntheticBeacon,
	/// Slots whose update Kasane refused lately.
	refused: Refusals,
}

impl SyntheticSource {
	/// The chain of test keys `seed` (non-zero), under the devnet fork schedule (the dev and
	/// local presets' `beacon_forks`).
	pub fn new(seed: u64) -> Self {
		Self {
			chain: SyntheticBeacon::new(seed, ForkSchedule::DEVNET),
			refused: Refusals::new(UPDATE_RETRY),
		}
	}

	pub fn slot_of(number: u64) -> u64 {
		CHECKPOINT_SLOT + 1 + number
	}

	/// What root installs in the light client for this chain.
	pub fn checkpoint(&self) -> Checkpoint {
		self.chain.checkpoint(CHECKPOINT_SLOT)
	}

	/// The execution proof of Ethereum block `header`, once the light client has its beacon
	/// block finalized: submitting the update that does so if need be. `None` while it cannot
	/// (no checkpoint, the block behind the light client, the update refused).
	pub async fn execution_proof(
		&mut self,
		kasane: &Kasane,
		header: &EthHeader,
	) -> Result<Option<ExecutionProof>> {
		let slot = Self::slot_of(header.number);
		let block = ExecutionBlock {
			number: header.number,
			hash: header.hash,
			receipts_root: header.receipts_root,
		};
		// Signed only when it is submitted: most calls find the block finalized already.
		let proof = self.chain.execution_proof(slot, block);
		let root = proof.header.hash_tree_root().expect("a beacon header has an SSZ root");
		if kasane.beacon_slot_of(root).await?.is_some() {
			return Ok(Some(proof));
		}
		let latest = match kasane.beacon_finalized_slot().await? {
			None => {
				warn!(number = header.number, "the light client has no checkpoint yet");
				return Ok(None);
			}
			Some(latest) if latest >= slot => {
				warn!(
					number = header.number,
					slot,
					latest,
					"the light client finalized past this block without it: it needs an ancestry proof"
				);
				return Ok(None);
			}
			Some(latest) => latest,
		};
		if self.refused.holds_back(slot) {
			return Ok(None);
		}
		let with_committee =
			committee_needed(latest, slot, kasane.beacon_next_committee_known().await?);
		let (update, _) = self.chain.finalize(slot, block, with_committee);
		let outcome = kasane.submit(BridgeCall::beacon_update(&update)).await?;
		match outcome {
			Outcome::Done => {
				info!(
					number = header.number,
					slot, with_committee, "beacon block finalized on kasane"
				);
				Ok(Some(proof))
			}
			Outcome::Failed(e) => {
				warn!(number = header.number, slot, error = %e, "beacon update rejected by kasane");
				self.refused.refused(slot);
				Ok(None)
			}
		}
	}
}

/// Whether an update finalizing `slot` must carry the next sync committee, the light client
/// having finalized `latest` and knowing the next committee or not: it refuses an update
/// without one while it does not know the next committee (`SyncCommitteeUpdateRequired`) and
/// at the handover into the next period, where the next committee becomes the current one.
pub fn committee_needed(latest: u64, slot: u64, next_known: bool) -> bool {
	!next_known || slot / SLOTS_PER_PERIOD != latest / SLOTS_PER_PERIOD
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn the_committee_rides_only_on_updates_that_need_it() {
		let start = CHECKPOINT_SLOT;
		// Right after the checkpoint the light client knows no next committee.
		assert!(committee_needed(start, start + 1, false));
		// Within the period, once it does, a plain update is enough.
		assert!(!committee_needed(start + 1, start + 2, true));
		assert!(!committee_needed(start, SLOTS_PER_PERIOD - 1, true));
		// Into the next period the next committee takes over and needs its successor.
		assert!(committee_needed(SLOTS_PER_PERIOD - 1, SLOTS_PER_PERIOD, true));
		assert!(committee_needed(start, SLOTS_PER_PERIOD + 5, true));
	}
}
