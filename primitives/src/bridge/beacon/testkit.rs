//! A synthetic beacon chain for tests: it wraps Ethereum blocks (a real chain's number, hash
//! and `receiptsRoot`, e.g. anvil's) in beacon blocks and has a sync committee of test BLS
//! keys sign them, so that Snowbridge's light client runs every check it runs on mainnet —
//! BLS aggregate signature, supermajority, fork domain, finality branch, committee branches,
//! `block_roots` branch, execution branch — on evidence nobody had to fake by writing storage.
//!
//! ## Mechanism
//!
//! Only the roots the light client reads exist: each beacon state is a sparse SSZ tree whose
//! leaves are the fields it proves (`finalized_checkpoint.root`, the sync committees,
//! `block_roots`) at their generalized indices, every other subtree a zero node. The block
//! at `slot` carries Ethereum block `number` as its execution payload ([`encode`]'s body).
//!
//! The committee's keys are `seed + i` (i < 512): they are public, which is the point of a
//! test chain and why it must never be the checkpoint of a chain holding value. Because they
//! all sign one message, the aggregate signature is one signature by their sum.
//!
//! A [`SyntheticChain`] is the chain's blocks from a checkpoint on, each header naming its
//! parent and committing (through its state) to the `block_roots` of the slots before it, so
//! that a block below a finalized one is proven by an ancestry branch, as on mainnet. An
//! update finalizes one of its blocks at `slot`, attested at `slot + 1` and signed at
//! `slot + 2`; [`finality_step`](super::updates::finality_step) says how far the light client
//! takes the next one (a period at most) and whether it must hand the committee (the same
//! keys) on.

use alloc::{collections::BTreeMap, vec, vec::Vec};
use milagro_bls::{AggregateSignature, PublicKey, SecretKey, Signature};
use snowbridge_beacon_primitives::{
	CheckpointUpdate, ForkData, NextSyncCommitteeUpdate, SigningData, SyncAggregate, SyncCommittee,
	Update,
};
use sp_core::H256;
use sp_io::hashing::sha2_256;

use super::updates::{
	Checkpoint, FinalityUpdate, COMMITTEE_BITS, COMMITTEE_SIZE, SLOTS_PER_EPOCH,
	SLOTS_PER_HISTORICAL_ROOT,
};
use super::{encode, AncestryProof, BeaconHeader, ExecutionProof, ForkSchedule};

/// `DOMAIN_SYNC_COMMITTEE`.
const DOMAIN_SYNC_COMMITTEE: [u8; 4] = [7, 0, 0, 0];

/// Generalized indices in a beacon state of the fields the light client proves, before
/// Electra and from it (the state gained fields, so the tree is one level deeper).
#[derive(Clone, Copy)]
struct StateIndices {
	finalized_root: usize,
	current_committee: usize,
	next_committee: usize,
	block_roots: usize,
}

const ALTAIR: StateIndices = StateIndices {
	finalized_root: 105,
	current_committee: 54,
	next_committee: 55,
	block_roots: 37,
};
const ELECTRA: StateIndices = StateIndices {
	finalized_root: 169,
	current_committee: 86,
	next_committee: 87,
	block_roots: 69,
};

/// An Ethereum block as the beacon chain carries it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct ExecutionBlock {
	pub number: u64,
	pub hash: H256,
	pub receipts_root: H256,
}

/// A beacon state tree holding only `leaves` (generalized index → root).
struct SparseState(BTreeMap<usize, H256>);

impl SparseState {
	fn node(&self, index: usize) -> H256 {
		if let Some(leaf) = self.0.get(&index) {
			return *leaf;
		}
		let depth = index.ilog2();
		let holds_leaf = self.0.keys().any(|&leaf| {
			let leaf_depth = leaf.ilog2();
			leaf_depth > depth && leaf >> (leaf_depth - depth) == index
		});
		if !holds_leaf {
			return H256::zero();
		}
		pair(&self.node(2 * index), &self.node(2 * index + 1))
	}

	fn root(&self) -> H256 {
		self.node(1)
	}

	/// The siblings of `index` from the bottom up, as `verify_merkle_branch` takes them.
	fn branch(&self, mut index: usize) -> Vec<H256> {
		let mut branch = Vec::new();
		while index > 1 {
			branch.push(self.node(index ^ 1));
			index /= 2;
		}
		branch
	}
}

/// A beacon chain of test keys; see the module docs.
pub struct SyntheticBeacon {
	forks: ForkSchedule,
	validators_root: H256,
	seed: u64,
	committee: SyncCommittee<COMMITTEE_SIZE>,
}

impl SyntheticBeacon {
	/// The chain whose committee keys are `seed + i`; `seed` must be non-zero.
	pub fn new(seed: u64, forks: ForkSchedule) -> Self {
		assert!(seed > 0, "a zero BLS secret key is invalid");
		let mut pubkeys = [snowbridge_beacon_primitives::PublicKey([0; 48]); COMMITTEE_SIZE];
		for (i, pubkey) in pubkeys.iter_mut().enumerate() {
			let key = PublicKey::from_secret_key(&Self::secret(seed as u128 + i as u128));
			*pubkey = snowbridge_beacon_primitives::PublicKey(key.as_bytes());
		}
		let aggregate =
			PublicKey::from_secret_key(&Self::secret(Self::key_sum(seed, COMMITTEE_SIZE)));
		let committee = SyncCommittee {
			pubkeys,
			aggregate_pubkey: snowbridge_beacon_primitives::PublicKey(aggregate.as_bytes()),
		};
		let validators_root = tagged(b"kasane/synthetic-beacon", seed);
		Self { forks, validators_root, seed, committee }
	}

	fn secret(scalar: u128) -> SecretKey {
		let mut bytes = [0u8; 32];
		bytes[16..].copy_from_slice(&scalar.to_be_bytes());
		SecretKey::from_bytes(&bytes).expect("a scalar below 2^128 is below the group order")
	}

	/// The sum of the first `members` keys, the key of their aggregate signature.
	fn key_sum(seed: u64, members: usize) -> u128 {
		let members = members as u128;
		seed as u128 * members + members * (members - 1) / 2
	}

	pub fn validators_root(&self) -> H256 {
		self.validators_root
	}

	/// The same committee on a chain of another genesis validators root, which every signing
	/// domain commits to: to sign with one chain's keys under another chain's domain.
	pub fn with_validators_root(self, validators_root: H256) -> Self {
		Self { validators_root, ..self }
	}

	pub fn committee(&self) -> &SyncCommittee<COMMITTEE_SIZE> {
		&self.committee
	}

	fn indices(&self, slot: u64) -> StateIndices {
		if slot / SLOTS_PER_EPOCH >= self.forks.electra.epoch {
			ELECTRA
		} else {
			ALTAIR
		}
	}

	fn committee_root(&self) -> H256 {
		self.committee.hash_tree_root().expect("a committee of 512 keys has an SSZ root")
	}

	/// The light client's starting point: a beacon block at `slot` (no execution payload of
	/// interest) whose state holds this chain's committee and no earlier block roots (the
	/// chain starts there).
	fn checkpoint(&self, slot: u64) -> Checkpoint {
		let at = self.indices(slot);
		let block_roots_root = BlockRoots::new().root();
		let state = SparseState(BTreeMap::from([
			(at.current_committee, self.committee_root()),
			(at.block_roots, block_roots_root),
		]));
		let header = BeaconHeader {
			slot,
			proposer_index: 0,
			parent_root: H256::zero(),
			state_root: state.root(),
			body_root: tagged(b"kasane/synthetic-beacon/body", slot),
		};
		CheckpointUpdate {
			header,
			current_sync_committee: self.committee.clone(),
			current_sync_committee_branch: state.branch(at.current_committee),
			validators_root: self.validators_root,
			block_roots_root,
			block_roots_branch: state.branch(at.block_roots),
		}
	}

	/// The first `signers` members' aggregate signature of `header` in the domain of
	/// `signature_slot`'s fork, as the light client's `signing_root` computes it.
	fn sign(
		&self,
		header: &BeaconHeader,
		signature_slot: u64,
		signers: usize,
	) -> SyncAggregate<COMMITTEE_SIZE, COMMITTEE_BITS> {
		let epoch = signature_slot.saturating_sub(1) / SLOTS_PER_EPOCH;
		let version = self
			.forks
			.forks()
			.iter()
			.rev()
			.find(|fork| epoch >= fork.epoch)
			.map_or(self.forks.genesis.version, |fork| fork.version);
		let fork_data =
			ForkData { current_version: version, genesis_validators_root: self.validators_root.0 };
		let fork_data_root = fork_data.hash_tree_root().expect("fork data has an SSZ root");
		let mut domain = [0u8; 32];
		domain[..4].copy_from_slice(&DOMAIN_SYNC_COMMITTEE);
		domain[4..].copy_from_slice(&fork_data_root.0[..28]);
		let signing_root = SigningData {
			object_root: header.hash_tree_root().expect("a beacon header has an SSZ root"),
			domain: H256(domain),
		}
		.hash_tree_root()
		.expect("signing data has an SSZ root");
		let key = Self::secret(Self::key_sum(self.seed, signers));
		let signature =
			AggregateSignature::from_signature(&Signature::new(signing_root.as_bytes(), &key));
		let mut bits = [0u8; COMMITTEE_BITS];
		for member in 0..signers {
			bits[member / 8] |= 1 << (member % 8);
		}
		SyncAggregate {
			sync_committee_bits: bits,
			sync_committee_signature: snowbridge_beacon_primitives::Signature(signature.as_bytes()),
		}
	}
}

/// A beacon state's `block_roots`: the SSZ vector of the last [`SLOTS_PER_HISTORICAL_ROOT`]
/// slots' block roots, slot `s`'s at `s % SLOTS_PER_HISTORICAL_ROOT`, kept as its whole
/// Merkle tree (`nodes[1]` the root, the leaves from `nodes[SLOTS_PER_HISTORICAL_ROOT]`) so
/// that setting one slot rehashes only its path.
#[derive(Clone)]
struct BlockRoots {
	nodes: Vec<H256>,
}

impl BlockRoots {
	const LEAVES: usize = SLOTS_PER_HISTORICAL_ROOT as usize;

	/// Every slot's root zero, as before a chain's first block.
	fn new() -> Self {
		Self::from_leaves(vec![H256::zero(); Self::LEAVES])
	}

	/// The tree over `leaves` (slot `s`'s at `s % SLOTS_PER_HISTORICAL_ROOT`).
	fn from_leaves(leaves: Vec<H256>) -> Self {
		let mut nodes = vec![H256::zero(); Self::LEAVES];
		nodes.extend(leaves);
		for index in (1..Self::LEAVES).rev() {
			nodes[index] = pair(&nodes[2 * index], &nodes[2 * index + 1]);
		}
		Self { nodes }
	}

	/// The tree index of `slot`'s leaf.
	fn leaf(slot: u64) -> usize {
		Self::LEAVES + (slot % SLOTS_PER_HISTORICAL_ROOT) as usize
	}

	fn set(&mut self, slot: u64, root: H256) {
		let mut index = Self::leaf(slot);
		self.nodes[index] = root;
		while index > 1 {
			index /= 2;
			self.nodes[index] = pair(&self.nodes[2 * index], &self.nodes[2 * index + 1]);
		}
	}

	fn root(&self) -> H256 {
		self.nodes[1]
	}

	/// The siblings of `slot`'s leaf from the bottom up: an [`AncestryProof`]'s branch.
	fn branch(&self, slot: u64) -> Vec<H256> {
		let mut index = Self::leaf(slot);
		let mut branch = Vec::new();
		while index > 1 {
			branch.push(self.nodes[index ^ 1]);
			index /= 2;
		}
		branch
	}
}

fn pair(left: &H256, right: &H256) -> H256 {
	let mut bytes = [0u8; 64];
	bytes[..32].copy_from_slice(left.as_bytes());
	bytes[32..].copy_from_slice(right.as_bytes());
	H256(sha2_256(&bytes))
}

/// A beacon block of a [`SyntheticChain`] after its checkpoint.
struct ChainBlock {
	execution: ExecutionBlock,
	/// Its header's root, and the proof of its payload (the header inside, no ancestry).
	root: H256,
	proof: ExecutionProof,
	/// The `block_roots` root of its state, which its header's state root commits to.
	block_roots_root: H256,
}

/// A synthetic beacon chain's blocks from its checkpoint on: each carries an Ethereum block,
/// at a slot of the caller's choosing (slots without a block are empty, as on Ethereum).
///
/// It is a chain as the light client sees one: each header names its parent, and its state
/// commits to the `block_roots` of the [`SLOTS_PER_HISTORICAL_ROOT`] slots before it (an
/// empty slot repeating the block before it), so that a block below a finalized one is
/// proven by an [`AncestryProof`] into the finalized block's `block_roots`, as on mainnet.
pub struct SyntheticChain {
	beacon: SyntheticBeacon,
	checkpoint: Checkpoint,
	checkpoint_root: H256,
	/// The blocks after the checkpoint by slot.
	blocks: BTreeMap<u64, ChainBlock>,
	/// The `block_roots` of a state at the slot after the last block.
	roots: BlockRoots,
}

impl SyntheticChain {
	/// The chain of `beacon`'s committee starting at a checkpoint block at `checkpoint_slot`.
	pub fn new(beacon: SyntheticBeacon, checkpoint_slot: u64) -> Self {
		let checkpoint = beacon.checkpoint(checkpoint_slot);
		let checkpoint_root =
			checkpoint.header.hash_tree_root().expect("a beacon header has an SSZ root");
		let mut roots = BlockRoots::new();
		roots.set(checkpoint_slot, checkpoint_root);
		Self { beacon, checkpoint, checkpoint_root, blocks: BTreeMap::new(), roots }
	}

	pub fn beacon(&self) -> &SyntheticBeacon {
		&self.beacon
	}

	/// What root installs in the light client to follow this chain.
	pub fn checkpoint(&self) -> Checkpoint {
		self.checkpoint.clone()
	}

	/// The slot of the last block, the checkpoint's before any.
	pub fn last_slot(&self) -> u64 {
		self.blocks.last_key_value().map_or(self.checkpoint.header.slot, |(slot, _)| *slot)
	}

	/// The root of the beacon block at `slot`, if the chain has one there.
	pub fn root_at(&self, slot: u64) -> Option<H256> {
		if slot == self.checkpoint.header.slot {
			return Some(self.checkpoint_root);
		}
		self.blocks.get(&slot).map(|block| block.root)
	}

	/// The Ethereum block the beacon block at `slot` carries, if the chain has one there.
	pub fn execution_block(&self, slot: u64) -> Option<ExecutionBlock> {
		self.blocks.get(&slot).map(|block| block.execution)
	}

	/// Adds the beacon block at `slot` (after the last one) carrying `block`.
	pub fn push(&mut self, slot: u64, block: ExecutionBlock) {
		let last = self.last_slot();
		assert!(slot > last, "blocks are added in slot order");
		let parent_root = self.root_at(last).expect("the last block is in the chain");
		// The empty slots since the last block repeat its root; the oldest a vector of
		// `SLOTS_PER_HISTORICAL_ROOT` keeps are enough.
		for empty in (last + 1).max(slot.saturating_sub(SLOTS_PER_HISTORICAL_ROOT))..slot {
			self.roots.set(empty, parent_root);
		}
		let block_roots_root = self.roots.root();
		let (mut proof, _) =
			encode::finalized_execution_proof(slot, block.number, block.hash, block.receipts_root);
		proof.header.parent_root = parent_root;
		proof.header.state_root = self.state(slot, block_roots_root).root();
		let root = proof.header.hash_tree_root().expect("a beacon header has an SSZ root");
		self.roots.set(slot, root);
		self.blocks.insert(slot, ChainBlock { execution: block, root, proof, block_roots_root });
	}

	/// The state of a block at `slot`, as far as the light client proves it.
	fn state(&self, slot: u64, block_roots_root: H256) -> SparseState {
		SparseState(BTreeMap::from([(self.beacon.indices(slot).block_roots, block_roots_root)]))
	}

	/// The update that finalizes the block at `slot`, signed by the whole committee.
	/// `with_next_committee` hands the committee on, which the light client needs at each
	/// period's handover and does not know after a checkpoint (see
	/// [`committee_needed`](super::updates::committee_needed)).
	pub fn finalize(&self, slot: u64, with_next_committee: bool) -> FinalityUpdate {
		self.finalize_signed_by(slot, with_next_committee, COMMITTEE_SIZE)
	}

	/// As [`Self::finalize`], signed by the first `signers` members only.
	///
	/// The update's attested block (at `slot + 1`, signed at `slot + 2`) is a sibling off the
	/// chain that only carries the finality proof: the light client keeps no attested header.
	pub fn finalize_signed_by(
		&self,
		slot: u64,
		with_next_committee: bool,
		signers: usize,
	) -> FinalityUpdate {
		assert!((1..=COMMITTEE_SIZE).contains(&signers), "1 to 512 signers");
		let finalized = self.blocks.get(&slot).expect("a block of the chain is finalized");
		let beacon = &self.beacon;
		let attested_slot = slot + 1;
		let at = beacon.indices(attested_slot);
		let committee_root = beacon.committee_root();
		let attested_state = SparseState(BTreeMap::from([
			(at.finalized_root, finalized.root),
			(at.next_committee, committee_root),
		]));
		let attested = BeaconHeader {
			slot: attested_slot,
			proposer_index: 1,
			parent_root: finalized.root,
			state_root: attested_state.root(),
			body_root: tagged(b"kasane/synthetic-beacon/body", attested_slot),
		};
		let signature_slot = attested_slot + 1;
		Update {
			attested_header: attested,
			sync_aggregate: beacon.sign(&attested, signature_slot, signers),
			signature_slot,
			next_sync_committee_update: with_next_committee.then(|| NextSyncCommitteeUpdate {
				next_sync_committee: beacon.committee.clone(),
				next_sync_committee_branch: attested_state.branch(at.next_committee),
			}),
			finalized_header: finalized.proof.header,
			finality_branch: attested_state.branch(at.finalized_root),
			block_roots_root: finalized.block_roots_root,
			block_roots_branch: self
				.state(slot, finalized.block_roots_root)
				.branch(beacon.indices(slot).block_roots),
		}
	}

	/// The proof of the Ethereum block at `slot` once the light client finalized the block at
	/// `finalized_slot`: that block itself, or one at most [`SLOTS_PER_HISTORICAL_ROOT`]
	/// slots above whose `block_roots` hold it (an ancestry proof). `None` if either slot has
	/// no block or they are further apart. Nothing is signed.
	pub fn execution_proof(&self, slot: u64, finalized_slot: u64) -> Option<ExecutionProof> {
		let block = self.blocks.get(&slot)?;
		if slot == finalized_slot {
			return Some(block.proof.clone());
		}
		if slot > finalized_slot || finalized_slot - slot > SLOTS_PER_HISTORICAL_ROOT {
			return None;
		}
		let finalized_block_root = self.blocks.get(&finalized_slot)?.root;
		let mut proof = block.proof.clone();
		proof.ancestry_proof = Some(AncestryProof {
			header_branch: self.block_roots_at(finalized_slot).branch(slot),
			finalized_block_root,
		});
		Some(proof)
	}

	/// The `block_roots` of the state of the block at `slot`, rebuilt from the chain.
	fn block_roots_at(&self, slot: u64) -> BlockRoots {
		let mut leaves = vec![H256::zero(); BlockRoots::LEAVES];
		let first = slot.saturating_sub(SLOTS_PER_HISTORICAL_ROOT);
		let checkpoint_slot = self.checkpoint.header.slot;
		// The latest block at or before `first`, then each block up to `slot`.
		let mut latest = self
			.blocks
			.range(..=first)
			.next_back()
			.map(|(_, block)| block.root)
			.or((first >= checkpoint_slot).then_some(self.checkpoint_root));
		for s in first..slot {
			if let Some(root) = self.root_at(s) {
				latest = Some(root);
			}
			if let Some(root) = latest {
				leaves[(s % SLOTS_PER_HISTORICAL_ROOT) as usize] = root;
			}
		}
		BlockRoots::from_leaves(leaves)
	}
}

/// A filler root: the hash of `tag` and `n`.
fn tagged(tag: &[u8], n: u64) -> H256 {
	let mut bytes = tag.to_vec();
	bytes.extend_from_slice(&n.to_be_bytes());
	H256(sha2_256(&bytes))
}

#[cfg(test)]
mod tests {
	use super::*;
	use snowbridge_beacon_primitives::merkle_proof::{
		generalized_index_length, subtree_index, verify_merkle_branch,
	};

	#[test]
	fn each_leaf_of_a_sparse_state_is_proven_against_its_root_and_only_at_its_index() {
		let leaves =
			[(169, H256::repeat_byte(1)), (87, H256::repeat_byte(2)), (69, H256::repeat_byte(3))];
		let state = SparseState(BTreeMap::from(leaves));
		let root = state.root();
		for (index, leaf) in leaves {
			let branch = state.branch(index);
			let depth = generalized_index_length(index);
			assert_eq!(branch.len(), depth);
			assert!(verify_merkle_branch(leaf, &branch, subtree_index(index), depth, root));
			// The same branch read at the sibling's index, or another leaf, fails.
			assert!(!verify_merkle_branch(leaf, &branch, subtree_index(index ^ 1), depth, root));
			assert!(!verify_merkle_branch(
				H256::zero(),
				&branch,
				subtree_index(index),
				depth,
				root
			));
		}
		// A leaf moved changes the root.
		let moved = SparseState(BTreeMap::from([
			(168, H256::repeat_byte(1)),
			(87, H256::repeat_byte(2)),
			(69, H256::repeat_byte(3)),
		]));
		assert_ne!(moved.root(), root);
	}

	fn block(number: u64) -> ExecutionBlock {
		ExecutionBlock {
			number,
			hash: tagged(b"hash", number),
			receipts_root: tagged(b"receipts", number),
		}
	}

	#[test]
	fn a_blocks_state_commits_to_the_roots_of_the_slots_before_it_and_ancestors_are_proven_there() {
		let checkpoint_slot = 3 * SLOTS_PER_HISTORICAL_ROOT - 10;
		let mut chain =
			SyntheticChain::new(SyntheticBeacon::new(3, ForkSchedule::DEVNET), checkpoint_slot);
		// Consecutive slots, empty slots, a gap longer than the roots vector, its wrap-around.
		let mut slots: Vec<u64> = (1..=5).map(|i| checkpoint_slot + i).collect();
		slots.extend([checkpoint_slot + 40, checkpoint_slot + 41]);
		// Exactly the roots vector above one block (held) and one slot more above another (not).
		slots.push(checkpoint_slot + 41 + SLOTS_PER_HISTORICAL_ROOT);
		slots.push(checkpoint_slot + 41 + SLOTS_PER_HISTORICAL_ROOT + 7);
		slots.extend((1..=3).map(|i| checkpoint_slot + 41 + 2 * SLOTS_PER_HISTORICAL_ROOT + i));
		for (number, slot) in slots.iter().enumerate() {
			chain.push(*slot, block(number as u64));
		}
		for (i, &slot) in slots.iter().enumerate() {
			let stored = &chain.blocks[&slot];
			// What the header committed to as it was built is what the chain rebuilds.
			assert_eq!(chain.block_roots_at(slot).root(), stored.block_roots_root);
			let parent = if i == 0 { checkpoint_slot } else { slots[i - 1] };
			assert_eq!(stored.proof.header.parent_root, chain.root_at(parent).unwrap());
			for &ancestor in &slots[..i] {
				let proof = chain.execution_proof(ancestor, slot);
				if slot - ancestor > SLOTS_PER_HISTORICAL_ROOT {
					assert!(proof.is_none(), "{ancestor} fell out of {slot}'s block roots");
					continue;
				}
				let ancestry = proof.unwrap().ancestry_proof.unwrap();
				assert_eq!(ancestry.finalized_block_root, stored.root);
				let leaf = SLOTS_PER_HISTORICAL_ROOT + ancestor % SLOTS_PER_HISTORICAL_ROOT;
				assert!(verify_merkle_branch(
					chain.root_at(ancestor).unwrap(),
					&ancestry.header_branch,
					leaf as usize,
					13,
					stored.block_roots_root
				));
			}
			// Empty slots hold the block before them.
			if let Some(&next) = slots.get(i + 1) {
				if next > slot + 1 && next - slot < SLOTS_PER_HISTORICAL_ROOT {
					let roots = chain.block_roots_at(next);
					let empty = slot + 1;
					assert_eq!(roots.nodes[BlockRoots::leaf(empty)], stored.root);
				}
			}
		}
		// A block is its own proof; nothing proves a block above the finalized one or a slot
		// without a block.
		let last = *slots.last().unwrap();
		assert!(chain.execution_proof(last, last).unwrap().ancestry_proof.is_none());
		assert!(chain.execution_proof(last, slots[0]).is_none());
		assert!(chain.execution_proof(checkpoint_slot + 6, last).is_none());
	}

	#[test]
	fn the_committee_aggregate_key_is_the_sum_of_its_members() {
		let chain = SyntheticBeacon::new(5, ForkSchedule::DEVNET);
		let members: Vec<PublicKey> = chain
			.committee()
			.pubkeys
			.iter()
			.map(|k| PublicKey::from_bytes(&k.0).expect("a valid key"))
			.collect();
		let sum = milagro_bls::AggregatePublicKey::into_aggregate(&members).expect("keys");
		let aggregate = PublicKey::from_bytes(&chain.committee().aggregate_pubkey.0).expect("key");
		assert_eq!(PublicKey { point: sum.point }.as_bytes(), aggregate.as_bytes());
	}
}
