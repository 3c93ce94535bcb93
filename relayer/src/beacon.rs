//! Where execution proofs for `prove_deposit_beacon` / `prove_rate_beacon` come from.
//!
//! Two sources ([`BeaconSource`]): a real beacon node ([`node`], over its standard HTTP API,
//! [`api`], whose blocks and states the relayer decodes itself, [`ssz`]), which also gives
//! the light client's checkpoint (`--print-beacon-checkpoint`); or a synthetic beacon chain
//! ([`kasane_primitives::bridge::beacon::testkit`]), described below: for a short-lived test network, the
//! relayer plays a beacon chain of public test keys over the Ethereum chain it reads (anvil,
//! say). Ethereum block `n` is the payload of the beacon block at slot
//! [`SyntheticSource::slot_of`]`(n)`, every slot from the checkpoint's on holding one, each
//! header committing to the roots of the blocks before it. Root installs the chain's
//! checkpoint (`kasane-relayer --print-synthetic-checkpoint`) with
//! `EthereumBeaconClient.force_checkpoint`.
//!
//! To prove an event in block `n`, the light client must have finalized a beacon block at or
//! above `n`'s, at most [`SLOTS_PER_HISTORICAL_ROOT`] slots above it: the proof is then an
//! ancestry branch into that block's `block_roots` (or none, for the finalized block itself).
//! While it is behind, the relayer submits updates (`EthereumBeaconClient.submit`) finalizing
//! the newest block Ethereum calls final, capped at that many slots above `n`, so that one
//! update serves every event below it. The light client moves a committee period at most
//! per update and must be handed each period's committee: a far target is reached in steps
//! ([`finality_step`]), and the committee rides only on the updates that need it, as its
//! import (`submit_with_sync_committee`) costs 7.5 times a plain update. An event is proven
//! under the lowest of the light client's stored finalized blocks that holds it (any of its
//! ring of 5 120 since its checkpoint), so one the light client has since moved far past is
//! still proven under the block finalized for it. One it moved past for good (none of its
//! blocks holds it, and its latest is too far above for any it finalizes next to) is not
//! walked for again until root installs another checkpoint, or for a quarter of an hour. The
//! relayer brings the light client up to its open deposits and rate reports lowest first, so
//! that each gets one. An update Kasane refused is not sent again for [`UPDATE_RETRY`] (the
//! beacon-node source holds back every update that long, doubling after each refusal in a row
//! up to an hour).
//!
//! The chain is built from every Ethereum block from 0 to the newest final one (one header
//! read per block, kept in memory): fine for a test chain, not for mainnet's history.
//!
//! Either source works in a task of its own ([`task`]): a slow beacon node holds up only the
//! proofs waiting for it.

pub mod api;
pub mod node;
pub mod ssz;
pub mod task;

use crate::{
	ethereum::Ethereum,
	kasane::{BridgeCall, Kasane, Outcome},
	refusals::Refusals,
};
use anyhow::Result;
use futures::{stream, StreamExt};
use kasane_primitives::bridge::beacon::{
	testkit::{ExecutionBlock, SyntheticBeacon, SyntheticChain},
	updates::{
		finality_step, highest_anchor, Checkpoint, FinalityUpdate, SLOTS_PER_HISTORICAL_ROOT,
	},
	ExecutionProof, ForkSchedule,
};
use sp_core::H256;
use std::{
	collections::BTreeMap,
	time::{Duration, Instant},
};
use tracing::{debug, info, warn};

/// How long an update Kasane refused (light client halted, another committee) waits before it
/// is sent again, so that its fee is not paid every step.
pub const UPDATE_RETRY: Duration = Duration::from_secs(60);

/// The synthetic chain's checkpoint slot: Ethereum block `n` is at slot `CHECKPOINT_SLOT + 1 + n`.
pub const CHECKPOINT_SLOT: u64 = 64;

/// Most updates one call submits: each takes the light client up to a period further (or
/// hands it the committee), so a few reach a target; a bound all the same, should an update
/// be taken without moving it. A target further off is reached over later calls.
const MAX_STEPS: usize = 8;

/// Ethereum headers read at once while the chain catches up.
const HEADER_READS: usize = 16;

/// A synthetic beacon chain over the Ethereum chain the relayer reads; see the module docs.
pub struct SyntheticSource {
	seed: u64,
	chain: SyntheticChain,
	/// Slots whose update Kasane refused lately.
	refused: Refusals,
	passed_over: PassedOver,
}

impl SyntheticSource {
	/// The chain of test keys `seed` (non-zero), under the devnet fork schedule (the dev and
	/// local presets' `beacon_forks`).
	pub fn new(seed: u64) -> Self {
		Self {
			seed,
			chain: Self::chain(seed),
			refused: Refusals::new(UPDATE_RETRY),
			passed_over: PassedOver::default(),
		}
	}

	fn chain(seed: u64) -> SyntheticChain {
		SyntheticChain::new(SyntheticBeacon::new(seed, ForkSchedule::DEVNET), CHECKPOINT_SLOT)
	}

	pub fn slot_of(number: u64) -> u64 {
		CHECKPOINT_SLOT + 1 + number
	}

	/// What root installs in the light client for this chain.
	pub fn checkpoint(&self) -> Checkpoint {
		self.chain.checkpoint()
	}

	/// Extends the chain with Ethereum's blocks up to `number`, the newest final one. Should
	/// Ethereum no longer have a block the chain carries (a test chain reverted), the chain is
	/// rebuilt.
	async fn follow(&mut self, eth: &Ethereum, number: u64) -> Result<()> {
		let last_slot = self.chain.last_slot();
		if last_slot == Self::slot_of(number) {
			return Ok(());
		}
		if let Some(known) = self.chain.execution_block(last_slot.min(Self::slot_of(number))) {
			if eth.header(known.number).await?.hash != known.hash {
				warn!(
					number = known.number,
					"ethereum's chain changed under the beacon chain: rebuilt"
				);
				self.chain = Self::chain(self.seed);
				self.passed_over = PassedOver::default();
			}
		}
		let next = self.chain.last_slot() + 1 - Self::slot_of(0);
		if next > number {
			return Ok(());
		}
		let started = Instant::now();
		// Read a few at a time, added in order.
		let mut headers = stream::iter(next..=number).map(|n| eth.header(n)).buffered(HEADER_READS);
		while let Some(header) = headers.next().await {
			let header = header?;
			let block = ExecutionBlock {
				number: header.number,
				hash: header.hash,
				receipts_root: header.receipts_root,
			};
			self.chain.push(Self::slot_of(header.number), block);
		}
		info!(
			from = next,
			to = number,
			ms = started.elapsed().as_millis() as u64,
			"beacon chain extended over ethereum's blocks"
		);
		Ok(())
	}

	/// Brings the light client up to Ethereum block `number`, `finalized` being the newest
	/// final one, and returns the slot of the finalized beacon block to prove it under (the
	/// lowest of the light client's stored ones of this chain that holds it); `None` while
	/// there is none.
	async fn reach(
		&mut self,
		eth: &Ethereum,
		kasane: &Kasane,
		number: u64,
		finalized: u64,
	) -> Result<Option<u64>> {
		if number > finalized {
			return Ok(None);
		}
		self.follow(eth, finalized).await?;
		let slot = Self::slot_of(number);
		let target = Self::slot_of(finalized).min(slot + SLOTS_PER_HISTORICAL_ROOT);
		reach(self, kasane, number, slot, target).await
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
		let Some(anchor) = self.reach(eth, kasane, number, finalized).await? else {
			return Ok(None);
		};
		Ok(self.chain.execution_proof(Self::slot_of(number), anchor))
	}
}

impl UpdateSource for SyntheticSource {
	type Anchor = u64;

	/// The lowest of the light client's finalized blocks of this chain at or above `slot` and
	/// at most [`SLOTS_PER_HISTORICAL_ROOT`] slots above (so a block the light client has
	/// since moved far past is still proven under the one finalized for it).
	async fn anchor(&self, kasane: &Kasane, slot: u64) -> Result<(Option<u64>, bool)> {
		let recent = kasane.beacon_finalized_since(slot).await?;
		// Blocks of another chain (kept from before a checkpoint, say) do not count.
		let reached =
			recent.iter().any(|(root, finalized)| self.chain.root_at(*finalized) == Some(*root));
		let anchor = recent
			.into_iter()
			.filter(|(root, finalized)| {
				*finalized <= highest_anchor(slot) && self.chain.root_at(*finalized) == Some(*root)
			})
			.map(|(_, finalized)| finalized)
			.min();
		Ok((anchor, reached))
	}

	async fn next_update(
		&mut self,
		latest: u64,
		target: u64,
		next_committee_known: bool,
	) -> Result<Option<FinalityUpdate>> {
		let (step, with_committee) = finality_step(latest, target, next_committee_known);
		if self.chain.execution_block(step).is_none() {
			// Only below this chain's first block, where the light client is not either.
			warn!(
				latest,
				target, "the light client follows another beacon chain than this relayer's"
			);
			return Ok(None);
		}
		if self.refused.holds_back(step) {
			return Ok(None);
		}
		Ok(Some(self.chain.finalize(step, with_committee)))
	}

	fn settled(&mut self, slot: u64, taken: bool) {
		if !taken {
			self.refused.refused(slot);
		}
	}

	fn passed_over(&mut self) -> &mut PassedOver {
		&mut self.passed_over
	}
}

/// What [`reach`] needs of a beacon source.
trait UpdateSource {
	/// What a proof is anchored under.
	type Anchor;

	/// The light client's finalized block of this source's chain to anchor a proof of the
	/// block at `slot` under, and whether one of its stored finalized blocks of this chain is
	/// at or above `slot` (then none will be).
	async fn anchor(&self, kasane: &Kasane, slot: u64) -> Result<(Option<Self::Anchor>, bool)>;

	/// The update that takes the light client from `latest` towards `target`; `None` while
	/// there is none to send (nothing serves yet, or updates are held back after a refusal).
	async fn next_update(
		&mut self,
		latest: u64,
		target: u64,
		next_committee_known: bool,
	) -> Result<Option<FinalityUpdate>>;

	/// Kasane took the update finalizing `slot`, or refused it.
	fn settled(&mut self, slot: u64, taken: bool);

	/// The blocks this source found the light client moved past for good.
	fn passed_over(&mut self) -> &mut PassedOver;
}

/// What a block found passed over was found under: the light client's checkpoint and the
/// slot of its latest finalized block.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct LightClientAt {
	checkpoint: H256,
	latest: u64,
}

/// Longest a block found passed over is left alone whatever the light client does: a source
/// that did not know the light client's blocks for a while (a beacon node behind, or another
/// node behind its address) may know them again, and one of them anchor the block.
const PASSED_OVER_RECHECK: Duration = Duration::from_secs(15 * 60);

/// Most blocks a source remembers as passed over at once (each is forgotten after
/// [`PASSED_OVER_RECHECK`]): beyond it the lowest is forgotten first.
const MAX_PASSED_OVER: usize = 1_024;

/// Blocks the light client moved past for good, by slot: none of the blocks it holds anchors
/// them, and its latest is more than a `block_roots` vector above them, so none it finalizes
/// from there will. Walking its ring for one again each pass (two reads an entry, up to 5 120
/// entries) would find the same, so it is looked at again only once the light client went
/// back, or after [`PASSED_OVER_RECHECK`]: another checkpoint (`InitialCheckpointRoot`
/// changed), or the same one installed again with its latest block below the one the block
/// was found under. (The same checkpoint installed again over another one, in between, goes
/// unseen when the block was found right at it: the recheck bounds that.)
struct PassedOver {
	recheck: Duration,
	slots: BTreeMap<u64, (LightClientAt, Instant)>,
}

impl Default for PassedOver {
	fn default() -> Self {
		Self::new(PASSED_OVER_RECHECK)
	}
}

impl PassedOver {
	fn new(recheck: Duration) -> Self {
		Self { recheck, slots: BTreeMap::new() }
	}

	fn contains(&self, slot: u64) -> bool {
		self.slots.contains_key(&slot)
	}

	/// Whether the block at `slot` is still passed over with the light client `now`; it is
	/// forgotten otherwise.
	fn still(&mut self, slot: u64, now: LightClientAt) -> bool {
		let Some((found, until)) = self.slots.get(&slot) else { return false };
		if found.checkpoint == now.checkpoint
			&& now.latest >= found.latest
			&& Instant::now() < *until
		{
			return true;
		}
		self.slots.remove(&slot);
		false
	}

	/// Remembers the block at `slot` as passed over with the light client `at`, forgetting
	/// those due to be looked at again (settled meanwhile, most of them).
	fn insert(&mut self, slot: u64, at: LightClientAt) {
		let now = Instant::now();
		self.slots.retain(|_, (_, until)| now < *until);
		if self.slots.len() >= MAX_PASSED_OVER && !self.slots.contains_key(&slot) {
			self.slots.pop_first();
		}
		self.slots.insert(slot, (at, now + self.recheck));
	}
}

/// Brings the light client up to the beacon block at `slot`, carrying Ethereum block
/// `number`, an update at a time towards `target`, and returns the anchor to prove it under;
/// `None` while there is none.
async fn reach<S: UpdateSource>(
	source: &mut S,
	kasane: &Kasane,
	number: u64,
	slot: u64,
	target: u64,
) -> Result<Option<S::Anchor>> {
	// Read first: a checkpoint installed while this runs makes what is found below forgotten
	// next pass, never kept under the new one.
	let checkpoint = kasane.beacon_checkpoint_root().await?;
	if source.passed_over().contains(slot) {
		let latest = kasane.beacon_latest_finalized().await?.map(|(_, latest)| latest);
		let now = latest.map(|latest| LightClientAt { checkpoint, latest });
		if now.is_some_and(|now| source.passed_over().still(slot, now)) {
			debug!(number, slot, "the light client moved past this block (found before)");
			return Ok(None);
		}
	}
	for sent in 0..=MAX_STEPS {
		let (anchor, reached) = source.anchor(kasane, slot).await?;
		if anchor.is_some() {
			return Ok(anchor);
		}
		if sent == MAX_STEPS {
			info!(
				number,
				slot,
				updates = MAX_STEPS,
				"the light client is still short of this block after a pass's most updates: \
				 more next pass"
			);
			return Ok(None);
		}
		let Some((_, latest)) = kasane.beacon_latest_finalized().await? else {
			warn!(number, "the light client has no checkpoint yet");
			return Ok(None);
		};
		if reached || latest >= slot {
			// More than a `block_roots` vector above the block, nothing the light client
			// finalizes from there can anchor it: only a checkpoint can.
			let for_good = latest > highest_anchor(slot);
			warn!(
				number,
				slot,
				latest,
				for_good,
				"the light client moved past this block and holds none of the beacon source's \
				 blocks that proves it (it follows another chain, or went too far past)"
			);
			if for_good {
				source.passed_over().insert(slot, LightClientAt { checkpoint, latest });
			}
			return Ok(None);
		}
		let known = kasane.beacon_next_committee_known().await?;
		let Some(update) = source.next_update(latest, target, known).await? else {
			return Ok(None);
		};
		let step = update.finalized_header.slot;
		let with_committee = update.next_sync_committee_update.is_some();
		match kasane.submit(BridgeCall::beacon_update(&update)).await? {
			Outcome::Done => {
				source.settled(step, true);
				if step > latest {
					info!(slot = step, number, with_committee, "beacon block finalized on kasane");
				} else {
					info!(slot = step, number, "next sync committee handed over on kasane");
				}
			}
			Outcome::Failed(e) => {
				warn!(slot = step, number, error = %e, "beacon update rejected by kasane");
				source.settled(step, false);
				return Ok(None);
			}
		}
	}
	Ok(None)
}

/// Where a relayer takes its beacon evidence from.
pub enum BeaconSource {
	/// A synthetic chain of public test keys over the Ethereum chain it reads.
	Synthetic(SyntheticSource),
	/// A beacon node's HTTP API.
	Node(node::NodeSource),
}

/// How long a relayer leaves its beacon source alone after it failed (a beacon node down,
/// or one following another chain): the rest of its duties go on meanwhile.
pub const SOURCE_RETRY: Duration = Duration::from_secs(30);

/// A relayer's beacon source, resting a while after each failure.
pub struct Beacon {
	source: BeaconSource,
	resting_until: Option<Instant>,
}

impl Beacon {
	/// The source a relayer's configuration names, if any.
	pub fn from_config(config: &crate::config::Config) -> Result<Option<Self>> {
		let source = match (&config.beacon_api, config.synthetic_beacon_seed) {
			(Some(url), _) => BeaconSource::Node(node::NodeSource::new(url)?),
			(None, Some(seed)) => BeaconSource::Synthetic(SyntheticSource::new(seed)),
			(None, None) => return Ok(None),
		};
		Ok(Some(Self { source, resting_until: None }))
	}

	/// Whether the source failed lately and is left alone.
	fn resting(&self) -> bool {
		self.resting_until.is_some_and(|until| Instant::now() < until)
	}

	/// `result`, the source resting after a failure, which is logged and not the caller's:
	/// what it was for waits.
	fn settled<T>(&mut self, result: Result<Option<T>>) -> Option<T> {
		match result {
			Ok(value) => value,
			Err(e) => {
				warn!(
					error = format!("{e:#}"),
					retry_in_ms = SOURCE_RETRY.as_millis() as u64,
					"the beacon source failed: deposits and rate reports proven under the beacon \
					 chain wait"
				);
				self.resting_until = Some(Instant::now() + SOURCE_RETRY);
				None
			}
		}
	}

	/// The execution proof of Ethereum block `number` under a block the light client
	/// finalized; `None` while there is none.
	pub async fn execution_proof(
		&mut self,
		eth: &Ethereum,
		kasane: &Kasane,
		number: u64,
		finalized: u64,
	) -> Option<ExecutionProof> {
		if self.resting() {
			return None;
		}
		let result = match &mut self.source {
			BeaconSource::Synthetic(source) => {
				source.execution_proof(eth, kasane, number, finalized).await
			}
			BeaconSource::Node(source) => {
				source.execution_proof(eth, kasane, number, finalized).await
			}
		};
		self.settled(result)
	}
}

#[cfg(test)]
mod tests {
	use super::{LightClientAt, PassedOver, MAX_PASSED_OVER};
	use sp_core::H256;
	use std::time::Duration;

	fn at(checkpoint: u8, latest: u64) -> LightClientAt {
		LightClientAt { checkpoint: H256::repeat_byte(checkpoint), latest }
	}

	#[test]
	fn a_passed_over_block_stays_so_while_the_light_client_only_moves_on() {
		let mut passed = PassedOver::default();
		assert!(!passed.contains(100));
		assert!(!passed.still(100, at(1, 9_000)));
		passed.insert(100, at(1, 9_000));
		assert!(passed.contains(100) && !passed.contains(101));
		assert!(passed.still(100, at(1, 9_000)));
		assert!(passed.still(100, at(1, 20_000)));
		assert!(passed.contains(100));
	}

	#[test]
	fn a_checkpoint_makes_a_passed_over_block_looked_at_again() {
		let mut passed = PassedOver::default();
		// Another checkpoint, higher or lower.
		passed.insert(100, at(1, 9_000));
		assert!(!passed.still(100, at(2, 9_000)));
		assert!(!passed.contains(100), "forgotten");
		passed.insert(100, at(1, 9_000));
		assert!(!passed.still(100, at(2, 50)));
		// The same checkpoint installed again: the light client's latest block went back.
		passed.insert(100, at(1, 9_000));
		assert!(!passed.still(100, at(1, 8_999)));
		assert!(!passed.contains(100));
	}

	#[test]
	fn a_passed_over_block_is_looked_at_again_after_a_while_whatever_happens() {
		let mut passed = PassedOver::new(Duration::from_millis(50));
		passed.insert(100, at(1, 9_000));
		passed.insert(200, at(1, 9_000));
		std::thread::sleep(Duration::from_millis(60));
		assert!(!passed.still(100, at(1, 9_000)));
		assert!(!passed.contains(100));
		// Those due are forgotten as another is remembered.
		passed.insert(300, at(1, 9_000));
		assert!(!passed.contains(200) && passed.still(300, at(1, 9_000)));
	}

	#[test]
	fn the_lowest_passed_over_block_is_forgotten_beyond_the_bound() {
		let mut passed = PassedOver::default();
		for slot in 0..MAX_PASSED_OVER as u64 {
			passed.insert(slot, at(1, 9_000));
		}
		// Found again under a later view: replaced, nothing forgotten.
		passed.insert(5, at(1, 9_500));
		assert!(passed.contains(0) && passed.still(5, at(1, 9_500)));
		passed.insert(MAX_PASSED_OVER as u64, at(1, 9_000));
		assert!(!passed.contains(0));
		assert!(passed.contains(1) && passed.contains(MAX_PASSED_OVER as u64));
	}
}
