//! Execution proofs and light-client updates from a real beacon node ([`BeaconApi`]).
//!
//! ## Mechanism
//!
//! - **Which beacon block carries Ethereum block `n`**: the one at slot
//!   `(timestamp(n) - genesis_time) / SECONDS_PER_SLOT` on mainnet (a payload's timestamp is
//!   its slot's time); elsewhere the payload of the block found there says how many slots
//!   away the carrier is at least, and the search moves on (from the head, counting a slot
//!   per block, when the timestamp points below every block). Its payload must be block `n`
//!   with the hash Ethereum gives, or nothing is proven.
//! - **An update** is read off the chain as it is: a block `C` carries the sync committee's
//!   signature of its parent `A` (the attested block); `A`'s state names the finalized block
//!   `F`, with the branch of its root and the next committee; `F`'s state gives its
//!   `block_roots`. `C` is the highest block the light client would verify the signature of
//!   (in its committee's period, or the next once it knows the next committee), lowered
//!   past blocks signed by less than a supermajority and while `F` would be further than a
//!   `block_roots` vector above the light client's latest block (`InvalidFinalizedHeaderGap`).
//!   An update the light client refused holds the next ones back, longer after each refusal in
//!   a row.
//! - **An execution proof** of the block at slot `s` is anchored under the lowest block the
//!   light client finalized since its checkpoint at or above `s` that is still the beacon
//!   node's block at its slot, if at most a `block_roots` vector above: the block itself, or
//!   an ancestry branch into its state's `block_roots`, whose entry at `s` must be the block's
//!   root.
//!
//! Every root is computed here from what the node served and checked against the root it
//! should have: a node serving another chain, or a state that is not its header's, gets a
//! proof refused here or by the light client, never one accepted for something else.
//! Two states (`A`'s and `F`'s) are read per update; only their proofs are kept.

use super::{
	api::{BeaconApi, SlotHeader},
	reach,
	ssz::{BlockProofs, StateProofs},
	PassedOver, UpdateSource, UPDATE_RETRY,
};
use crate::{ethereum::Ethereum, kasane::Kasane};
use anyhow::{bail, Context, Result};
use kasane_primitives::bridge::beacon::{
	updates::{
		committee_needed, highest_anchor, highest_finalizable, is_supermajority,
		last_signable_slot, period, FinalityUpdate, SLOTS_PER_HISTORICAL_ROOT, SLOTS_PER_PERIOD,
	},
	AncestryProof, BeaconHeader, ExecutionProof,
};
use snowbridge_beacon_primitives::{NextSyncCommitteeUpdate, Update};
use sp_core::H256;
use std::{collections::BTreeMap, time::Instant};

/// Empty slots read one by one below a slot to find the block at or below it, and above it to
/// find a block whose parent that is.
const MAX_EMPTY_SLOTS: u64 = 64;
/// Times the signing block is lowered to bring the finalized one within reach, and past
/// blocks signed by too few members.
const MAX_LOWERINGS: usize = 8;
const MAX_WEAK_SIGNERS_PASSED: usize = 32;
/// Longest an update is held back after refusals in a row (the first holds it a minute).
const MAX_UPDATE_HOLD: std::time::Duration = std::time::Duration::from_secs(3_600);
/// Blocks read to find the one carrying an Ethereum block: one where slots follow the
/// timestamps (mainnet), a few where they do not.
const MAX_CARRIER_READS: usize = 16;
/// Blocks and states kept: the blocks of open deposits, the states of the last updates.
const BLOCKS_KEPT: usize = 256;
const STATES_KEPT: usize = 4;

/// A beacon node the relayer reads the light client's evidence from; see the module docs.
pub struct NodeSource {
	api: BeaconApi,
	/// The genesis time and the seconds per slot, once read.
	clock: Option<(u64, u64)>,
	/// The beacon blocks carrying Ethereum blocks, by Ethereum number.
	blocks: BTreeMap<u64, BlockProofs>,
	/// The proofs of states read lately, by state root.
	states: Vec<(H256, StateProofs)>,
	/// Until when no update is submitted, after Kasane refused one, and how long the next
	/// refusal holds them (doubling, reset when one is taken).
	updates_held_until: Option<Instant>,
	update_hold: std::time::Duration,
	passed_over: PassedOver,
}

impl NodeSource {
	pub fn new(url: &str) -> Result<Self> {
		Ok(Self {
			api: BeaconApi::new(url)?,
			clock: None,
			blocks: BTreeMap::new(),
			states: Vec::new(),
			updates_held_until: None,
			update_hold: UPDATE_RETRY,
			passed_over: PassedOver::default(),
		})
	}

	async fn clock(&mut self) -> Result<(u64, u64)> {
		if let Some(clock) = self.clock {
			return Ok(clock);
		}
		let clock = (self.api.genesis().await?.time, self.api.seconds_per_slot().await?);
		self.clock = Some(clock);
		Ok(clock)
	}

	/// The beacon block carrying Ethereum block `number` (see the module docs).
	async fn carrier(&mut self, eth: &Ethereum, number: u64) -> Result<BlockProofs> {
		if let Some(block) = self.blocks.get(&number) {
			return Ok(block.clone());
		}
		let (genesis_time, seconds_per_slot) = self.clock().await?;
		let timestamp = eth.timestamp(number).await?;
		let hash = eth.header(number).await?.hash;
		let head = self.header_of("head").await?;
		let mut slot =
			(timestamp.saturating_sub(genesis_time) / seconds_per_slot).min(head.header.slot);
		let mut from_head = false;
		for _ in 0..MAX_CARRIER_READS {
			let Some(header) = self.block_at_or_below(slot, 0).await? else {
				if from_head {
					bail!("the beacon node has no block at or below slot {slot}");
				}
				// A clock that is not the slots' (a test chain's): count back from the head,
				// a slot at least per block.
				from_head = true;
				let head_number = self
					.api
					.block(head.root)
					.await?
					.context("the beacon node has no head block")?
					.execution_header
					.block_number();
				slot = head.header.slot.saturating_sub(head_number.saturating_sub(number));
				continue;
			};
			let block = self
				.api
				.block(header.root)
				.await?
				.with_context(|| format!("the beacon node has no block {:?}", header.root))?;
			let carried = block.execution_header.block_number();
			if carried == number {
				if block.execution_header.block_hash() != hash {
					bail!(
						"the beacon block at slot {} carries Ethereum block {number} {:?}, not \
						 {hash:?}: the beacon node follows another chain than the Ethereum node",
						header.header.slot,
						block.execution_header.block_hash()
					);
				}
				if self.blocks.len() >= BLOCKS_KEPT {
					self.blocks.pop_first();
				}
				self.blocks.insert(number, block.clone());
				return Ok(block);
			}
			// A slot holds one block at most: the carrier is at least that many slots away.
			slot = if carried < number {
				header.header.slot.saturating_add(number - carried).min(head.header.slot)
			} else {
				header.header.slot.saturating_sub(carried - number)
			};
		}
		bail!("no beacon block of the beacon node carries Ethereum block {number}")
	}

	/// The proofs of the state after the block `header` (read by its slot, checked against
	/// its root).
	async fn state(&mut self, header: &BeaconHeader) -> Result<StateProofs> {
		let root = header.state_root;
		if let Some((_, state)) = self.states.iter().find(|(r, _)| *r == root) {
			return Ok(state.clone());
		}
		let state = self
			.api
			.state(header.slot, root)
			.await?
			.with_context(|| format!("the beacon node has no state at slot {}", header.slot))?;
		if self.states.len() >= STATES_KEPT {
			self.states.remove(0);
		}
		self.states.push((root, state.clone()));
		Ok(state)
	}

	async fn header_of(&self, id: &str) -> Result<SlotHeader> {
		self.api.header(id).await?.with_context(|| format!("the beacon node has no block {id}"))
	}

	/// The highest block at or below slot `upper` and above `floor`, looked for slot by slot
	/// at most `MAX_EMPTY_SLOTS` below `upper`.
	async fn block_at_or_below(&self, upper: u64, floor: u64) -> Result<Option<SlotHeader>> {
		let lowest = floor.saturating_add(1).max(upper.saturating_sub(MAX_EMPTY_SLOTS));
		for slot in (lowest..=upper).rev() {
			if let Some(header) = self.api.header(&slot.to_string()).await? {
				return Ok(Some(header));
			}
		}
		Ok(None)
	}

	/// The same, past a run of empty slots of any length below `upper`: after
	/// `MAX_EMPTY_SLOTS` of them, the parent of the lowest block above `upper` (at most `head`,
	/// the head's slot), as long as one follows within `MAX_EMPTY_SLOTS`. Where `upper` is held
	/// at a period's end, only more than four epochs without a block around it (`MAX_EMPTY_SLOTS`
	/// slots on either side) hold updates back until root checkpoints the light client.
	async fn signing_block_at_or_below(
		&self,
		upper: u64,
		floor: u64,
		head: u64,
	) -> Result<Option<SlotHeader>> {
		if let Some(header) = self.block_at_or_below(upper, floor).await? {
			return Ok(Some(header));
		}
		// Every slot above `floor` was read.
		if upper.saturating_sub(MAX_EMPTY_SLOTS) <= floor.saturating_add(1) {
			return Ok(None);
		}
		for slot in upper.saturating_add(1)..=head.min(upper.saturating_add(MAX_EMPTY_SLOTS)) {
			let Some(above) = self.api.header(&slot.to_string()).await? else { continue };
			let Some(parent) = self.api.header(&format!("{:?}", above.header.parent_root)).await?
			else {
				return Ok(None);
			};
			// Below `upper` unless the node changed its chain between the reads.
			let found = parent.header.slot > floor && parent.header.slot <= upper;
			return Ok(found.then_some(parent));
		}
		Ok(None)
	}

	/// The update that finalizes the highest block the light client takes next on its way
	/// from `latest` to `target` (a step below `target` when the light client's rules allow no
	/// further); `None` while the beacon chain has finalized nothing that serves.
	///
	/// The signing block is lowered, its attested block's finalized checkpoint read from the
	/// node's `finality_checkpoints` (no state), until the update would pass the light
	/// client's checks: a supermajority of the committee signed, the finalized block at most
	/// a `block_roots` vector above `latest`. Only then are the two states read. While the
	/// light client does not know the next committee, an update that finalizes nothing new
	/// may still hand it over (its attested and finalized blocks in `latest`'s period, either
	/// at or below `latest`): right after a checkpoint late in a period, that is the only way
	/// on.
	async fn update(
		&mut self,
		latest: u64,
		target: u64,
		next_committee_known: bool,
	) -> Result<Option<FinalityUpdate>> {
		let highest_finalized = highest_finalizable(latest);
		let head = self.header_of("head").await?.header.slot;
		let mut upper = head.min(last_signable_slot(latest, next_committee_known));
		// Held below the head by the light client's rules (period, gap): an update below the
		// target still moves it on (a step); otherwise the target waits for finality. Blocks
		// passed over for their weak signatures hold nothing back.
		let mut stepping = upper < head;
		let (mut lowerings, mut weak_passed) = (0, 0);
		while lowerings < MAX_LOWERINGS && weak_passed < MAX_WEAK_SIGNERS_PASSED {
			let floor =
				if next_committee_known { latest + 1 } else { period(latest) * SLOTS_PER_PERIOD };
			let Some(signer) = self.signing_block_at_or_below(upper, floor, head).await? else {
				return Ok(None);
			};
			let signature = self
				.api
				.block(signer.root)
				.await?
				.with_context(|| format!("the beacon node has no block {:?}", signer.root))?
				.sync_aggregate;
			let signers = signature.sync_committee_bits.iter().filter(|bit| **bit).count();
			if !is_supermajority(signers) {
				// The light client refuses less than a supermajority: the block before.
				upper = signer.header.slot.saturating_sub(1);
				weak_passed += 1;
				continue;
			}
			let attested = self.header_of(&format!("{:?}", signer.header.parent_root)).await?;
			let hands_over_only = attested.header.slot <= latest;
			if hands_over_only
				&& (next_committee_known || period(attested.header.slot) != period(latest))
			{
				return Ok(None);
			}
			let Some(named) = self.api.finalized_root_named_at(attested.header.slot).await? else {
				return Ok(None);
			};
			if named.is_zero() {
				return Ok(None);
			}
			let finalized = self.header_of(&format!("{named:?}")).await?;
			let slot = finalized.header.slot;
			if slot > highest_finalized {
				upper = signer.header.slot.saturating_sub(slot - highest_finalized);
				stepping = true;
				lowerings += 1;
				continue;
			}
			let moves_on = slot > latest && (slot >= target || stepping);
			// An update that does not move the light client on can only hand the committee
			// over, in `latest`'s period; with the committee known, the target waits for
			// finality.
			if !moves_on && (next_committee_known || period(slot) != period(latest)) {
				return Ok(None);
			}
			let attested_state = self.state(&attested.header).await?;
			if attested_state.finalized_root != finalized.root {
				bail!(
					"the beacon node's finality checkpoints of slot {} name {:?}, its state {:?}",
					attested.header.slot,
					finalized.root,
					attested_state.finalized_root
				);
			}
			let finalized_state = self.state(&finalized.header).await?;
			let with_committee = committee_needed(latest, slot, next_committee_known);
			return Ok(Some(Update {
				attested_header: attested.header,
				sync_aggregate: signature.to_light_client(),
				signature_slot: signer.header.slot,
				next_sync_committee_update: with_committee.then(|| NextSyncCommitteeUpdate {
					next_sync_committee: attested_state.next_sync_committee.clone(),
					next_sync_committee_branch: attested_state.next_sync_committee_branch.clone(),
				}),
				finalized_header: finalized.header,
				finality_branch: attested_state.finality_branch,
				block_roots_root: finalized_state.block_roots_root,
				block_roots_branch: finalized_state.block_roots_branch,
			}));
		}
		Ok(None)
	}

	/// Brings the light client up to Ethereum block `number`, `finalized` being the newest
	/// final one, and returns the (slot, root) of the finalized beacon block to prove it
	/// under; `None` while there is none.
	async fn reach(
		&mut self,
		eth: &Ethereum,
		kasane: &Kasane,
		number: u64,
		finalized: u64,
	) -> Result<Option<(u64, H256)>> {
		if number > finalized {
			return Ok(None);
		}
		let slot = self.carrier(eth, number).await?.header.slot;
		reach(self, kasane, number, slot, slot).await
	}

	/// The execution proof of Ethereum block `number` under the beacon block `reach`
	/// found or brought the light client to; `None` while there is none.
	pub async fn execution_proof(
		&mut self,
		eth: &Ethereum,
		kasane: &Kasane,
		number: u64,
		finalized: u64,
	) -> Result<Option<ExecutionProof>> {
		let Some((anchor_slot, anchor_root)) = self.reach(eth, kasane, number, finalized).await?
		else {
			return Ok(None);
		};
		let block = self.carrier(eth, number).await?;
		let mut proof = ExecutionProof {
			header: block.header,
			ancestry_proof: None,
			execution_header: block.execution_header,
			execution_branch: block.execution_branch,
		};
		if anchor_slot == block.header.slot {
			if anchor_root != block.root {
				bail!("the light client finalized another block than the beacon node's at slot {anchor_slot}");
			}
			return Ok(Some(proof));
		}
		let anchor = self.header_of(&format!("{anchor_root:?}")).await?;
		let state = self.state(&anchor.header).await?;
		let slot = block.header.slot;
		let held = state.block_roots.get((slot % SLOTS_PER_HISTORICAL_ROOT) as usize);
		if held != Some(&block.root) {
			bail!(
				"the beacon block at slot {slot} is not an ancestor of the finalized block at slot \
				 {anchor_slot}"
			);
		}
		let header_branch = state
			.ancestry_branch(slot)
			.context("the block is further below the finalized one than its block roots reach")?;
		proof.ancestry_proof =
			Some(AncestryProof { header_branch, finalized_block_root: anchor_root });
		Ok(Some(proof))
	}
}

impl UpdateSource for NodeSource {
	type Anchor = (u64, H256);

	/// See the module docs, as (slot, root); blocks of another chain (kept from before a
	/// checkpoint, say) do not count.
	async fn anchor(&self, kasane: &Kasane, slot: u64) -> Result<(Option<(u64, H256)>, bool)> {
		// Lowest first (they come highest first): the lowest of this chain anchors, if any does.
		for (root, finalized) in kasane.beacon_finalized_since(slot).await?.into_iter().rev() {
			if self.api.header(&finalized.to_string()).await?.map(|h| h.root) != Some(root) {
				continue;
			}
			let anchor = (finalized <= highest_anchor(slot)).then_some((finalized, root));
			return Ok((anchor, true));
		}
		Ok((None, false))
	}

	async fn next_update(
		&mut self,
		latest: u64,
		target: u64,
		next_committee_known: bool,
	) -> Result<Option<FinalityUpdate>> {
		if self.updates_held_until.is_some_and(|until| Instant::now() < until) {
			return Ok(None);
		}
		self.update(latest, target, next_committee_known).await
	}

	fn settled(&mut self, _slot: u64, taken: bool) {
		if taken {
			self.update_hold = UPDATE_RETRY;
		} else {
			// Whatever the slot: a node that keeps serving refused updates (a light client
			// halted, another chain) would have each new one paid for.
			self.updates_held_until = Some(Instant::now() + self.update_hold);
			self.update_hold = (self.update_hold * 2).min(MAX_UPDATE_HOLD);
		}
	}

	fn passed_over(&mut self) -> &mut PassedOver {
		&mut self.passed_over
	}
}
