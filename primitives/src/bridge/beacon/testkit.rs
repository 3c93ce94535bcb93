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
//! An update at `slot` finalizes the block at `slot`, attested at `slot + 1` and signed at
//! `slot + 2`; so the slots of successive updates must grow by at least one and stay in the
//! committee period of the checkpoint, or carry the next committee (the same keys) once.

use alloc::{collections::BTreeMap, vec::Vec};
use milagro_bls::{AggregateSignature, PublicKey, SecretKey, Signature};
use snowbridge_beacon_primitives::{
	CheckpointUpdate, ForkData, NextSyncCommitteeUpdate, SigningData, SyncAggregate, SyncCommittee,
	Update,
};
use sp_core::H256;
use sp_io::hashing::sha2_256;

use super::{encode, BeaconHeader, ExecutionProof, ForkSchedule};

/// Members of a sync committee (mainnet preset, which the runtime's light client uses).
pub const COMMITTEE_SIZE: usize = 512;
/// Bytes of a committee's participation bit vector.
pub const COMMITTEE_BITS: usize = COMMITTEE_SIZE / 8;
/// Slots of an epoch and epochs of a sync committee period (mainnet preset).
pub const SLOTS_PER_EPOCH: u64 = 32;
pub const SLOTS_PER_PERIOD: u64 = SLOTS_PER_EPOCH * 256;
/// `DOMAIN_SYNC_COMMITTEE`.
const DOMAIN_SYNC_COMMITTEE: [u8; 4] = [7, 0, 0, 0];

pub type Checkpoint = CheckpointUpdate<COMMITTEE_SIZE>;
pub type FinalityUpdate = Update<COMMITTEE_SIZE, COMMITTEE_BITS>;

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
		let mut pair = [0u8; 64];
		pair[..32].copy_from_slice(self.node(2 * index).as_bytes());
		pair[32..].copy_from_slice(self.node(2 * index + 1).as_bytes());
		H256(sha2_256(&pair))
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

	/// The `block_roots` root of the state at `slot`: no ancestry proof this chain makes
	/// needs its contents, only that it is committed to.
	fn block_roots_root(slot: u64) -> H256 {
		tagged(b"kasane/synthetic-beacon/block-roots", slot)
	}

	/// The light client's starting point: a beacon block at `slot` (no execution payload of
	/// interest) whose state holds this chain's committee.
	pub fn checkpoint(&self, slot: u64) -> Checkpoint {
		let at = self.indices(slot);
		let block_roots_root = Self::block_roots_root(slot);
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

	/// The update that finalizes the beacon block at `slot` carrying `block`, signed by the
	/// whole committee, and the proof of `block` under it (no ancestry: the block is the
	/// finalized one). `with_next_committee` hands the committee on, which the light client
	/// needs once after the checkpoint before it accepts updates of the next period.
	pub fn finalize(
		&self,
		slot: u64,
		block: ExecutionBlock,
		with_next_committee: bool,
	) -> (FinalityUpdate, ExecutionProof) {
		self.finalize_signed_by(slot, block, with_next_committee, COMMITTEE_SIZE)
	}

	/// As [`Self::finalize`], signed by the first `signers` members only.
	pub fn finalize_signed_by(
		&self,
		slot: u64,
		block: ExecutionBlock,
		with_next_committee: bool,
		signers: usize,
	) -> (FinalityUpdate, ExecutionProof) {
		assert!((1..=COMMITTEE_SIZE).contains(&signers), "1 to 512 signers");
		let block_roots_root = Self::block_roots_root(slot);
		let finalized_state = self.finalized_state(slot);
		let proof = self.execution_proof(slot, block);
		let finalized = proof.header;
		let finalized_root = finalized.hash_tree_root().expect("a beacon header has an SSZ root");

		let attested_slot = slot + 1;
		let at = self.indices(attested_slot);
		let attested_state = SparseState(BTreeMap::from([
			(at.finalized_root, finalized_root),
			(at.next_committee, self.committee_root()),
		]));
		let attested = BeaconHeader {
			slot: attested_slot,
			proposer_index: 1,
			parent_root: finalized_root,
			state_root: attested_state.root(),
			body_root: tagged(b"kasane/synthetic-beacon/body", attested_slot),
		};
		let signature_slot = attested_slot + 1;
		let update = Update {
			attested_header: attested,
			sync_aggregate: self.sign(&attested, signature_slot, signers),
			signature_slot,
			next_sync_committee_update: with_next_committee.then(|| NextSyncCommitteeUpdate {
				next_sync_committee: self.committee.clone(),
				next_sync_committee_branch: attested_state.branch(at.next_committee),
			}),
			finalized_header: finalized,
			finality_branch: attested_state.branch(at.finalized_root),
			block_roots_root,
			block_roots_branch: finalized_state.branch(self.indices(slot).block_roots),
		};
		(update, proof)
	}

	/// The state of the beacon block at `slot`, as far as the light client proves it.
	fn finalized_state(&self, slot: u64) -> SparseState {
		SparseState(BTreeMap::from([(
			self.indices(slot).block_roots,
			Self::block_roots_root(slot),
		)]))
	}

	/// The proof of `block` under the beacon block at `slot` that [`Self::finalize`]
	/// finalizes, without signing anything: enough to ask the light client whether it has
	/// that block already.
	pub fn execution_proof(&self, slot: u64, block: ExecutionBlock) -> ExecutionProof {
		let (mut proof, mut header) =
			encode::finalized_execution_proof(slot, block.number, block.hash, block.receipts_root);
		header.state_root = self.finalized_state(slot).root();
		proof.header = header;
		proof
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
