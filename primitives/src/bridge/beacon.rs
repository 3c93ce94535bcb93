//! Tier 2b evidence: a receipt proof under an execution header that Ethereum's beacon chain
//! finalized, with no attester vouching for the header.
//!
//! ## Mechanism
//!
//! Snowbridge's Ethereum beacon light client (`snowbridge-pallet-ethereum-client`, in the
//! runtime) follows the beacon chain from a checkpoint root installs: each update carries a
//! finalized beacon header signed by ≥ ⅔ of the sync committee (BLS), and the committee
//! hands over to the next one by a Merkle branch into the beacon state. It keeps each
//! finalized header's `block_roots` root. An [`ExecutionProof`] then shows that an execution
//! header (an Ethereum block: its hash, number and `receiptsRoot`) is the payload of a beacon
//! block (an SSZ branch into the block body) that is finalized or an ancestor of a finalized
//! one (a branch into that header's `block_roots`).
//!
//! [`BeaconReceiptProof`] adds the receipt proof of [`super::proof`] under that execution
//! header's `receiptsRoot`. The bridge checks the receipt with its own code (named errors,
//! strict decoding) and the whole proof with the light client's `Verifier`, against the log
//! it builds from the message, so the message is bound to the event by both.
//!
//! [`encode`] builds execution proofs of a beacon chain that nobody signs, for tests and
//! benchmarks that seed the light client's finalized header directly; `testkit` (feature
//! `beacon-testkit`) a beacon chain of test keys that signs them, for tests of the whole path.
//! [`updates`] has the rules an update must meet, for whoever builds one.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;

use super::proof::ReceiptProof;
pub use snowbridge_beacon_primitives::{
	AncestryProof, BeaconHeader, ExecutionProof, ForkVersions, VersionedExecutionPayloadHeader,
};

/// Most bytes of an execution proof's encoding: a beacon header (112), a `block_roots`
/// ancestry branch (13 × 32 and a root), a Deneb execution header (≈ 600, its bloom 256 and
/// extra data at most 32) and the body branch (4 × 32) come to ≈ 1.3 KiB. Anything longer
/// is refused before any work.
pub const MAX_EXECUTION_PROOF_LEN: u32 = 2_048;

/// When each of Ethereum's consensus forks activates (epoch) and its version: the light
/// client picks the signing domain of an update by its epoch. Set by root (never chosen by a
/// build flag), so that a chain cannot ship with the wrong network's schedule unnoticed.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
	sp_runtime::Serialize,
	sp_runtime::Deserialize,
)]
#[serde(crate = "sp_runtime::serde")]
pub struct ForkSchedule {
	pub genesis: BeaconFork,
	pub altair: BeaconFork,
	pub bellatrix: BeaconFork,
	pub capella: BeaconFork,
	pub deneb: BeaconFork,
	pub electra: BeaconFork,
	pub fulu: BeaconFork,
}

/// One fork: its version and the epoch it activates at.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
	sp_runtime::Serialize,
	sp_runtime::Deserialize,
)]
#[serde(crate = "sp_runtime::serde")]
pub struct BeaconFork {
	pub version: [u8; 4],
	pub epoch: u64,
}

impl ForkSchedule {
	/// Snowbridge's local devnet, which its fixtures and Kasane's synthetic beacon chain use:
	/// every fork up to Electra at epoch 0, Fulu far in the future.
	pub const DEVNET: Self = Self {
		genesis: BeaconFork { version: [0, 0, 0, 0], epoch: 0 },
		altair: BeaconFork { version: [1, 0, 0, 0], epoch: 0 },
		bellatrix: BeaconFork { version: [2, 0, 0, 0], epoch: 0 },
		capella: BeaconFork { version: [3, 0, 0, 0], epoch: 0 },
		deneb: BeaconFork { version: [4, 0, 0, 0], epoch: 0 },
		electra: BeaconFork { version: [5, 0, 0, 0], epoch: 0 },
		fulu: BeaconFork { version: [6, 0, 0, 0], epoch: 100_000_000 },
	};

	/// Sepolia.
	pub const SEPOLIA: Self = Self {
		genesis: BeaconFork { version: [0x90, 0, 0, 0x69], epoch: 0 },
		altair: BeaconFork { version: [0x90, 0, 0, 0x70], epoch: 50 },
		bellatrix: BeaconFork { version: [0x90, 0, 0, 0x71], epoch: 100 },
		capella: BeaconFork { version: [0x90, 0, 0, 0x72], epoch: 56_832 },
		deneb: BeaconFork { version: [0x90, 0, 0, 0x73], epoch: 132_608 },
		electra: BeaconFork { version: [0x90, 0, 0, 0x74], epoch: 222_464 },
		fulu: BeaconFork { version: [0x90, 0, 0, 0x75], epoch: 272_640 },
	};

	/// Ethereum mainnet.
	pub const MAINNET: Self = Self {
		genesis: BeaconFork { version: [0, 0, 0, 0], epoch: 0 },
		altair: BeaconFork { version: [1, 0, 0, 0], epoch: 74_240 },
		bellatrix: BeaconFork { version: [2, 0, 0, 0], epoch: 144_896 },
		capella: BeaconFork { version: [3, 0, 0, 0], epoch: 194_048 },
		deneb: BeaconFork { version: [4, 0, 0, 0], epoch: 269_568 },
		electra: BeaconFork { version: [5, 0, 0, 0], epoch: 364_032 },
		fulu: BeaconFork { version: [6, 0, 0, 0], epoch: 411_392 },
	};

	/// The forks in activation order.
	pub fn forks(&self) -> [BeaconFork; 7] {
		[
			self.genesis,
			self.altair,
			self.bellatrix,
			self.capella,
			self.deneb,
			self.electra,
			self.fulu,
		]
	}

	/// Each fork activates no earlier than the one before it.
	pub fn is_ordered(&self) -> bool {
		self.forks().windows(2).all(|w| w[0].epoch <= w[1].epoch)
	}
}

impl From<ForkSchedule> for ForkVersions {
	fn from(s: ForkSchedule) -> Self {
		use snowbridge_beacon_primitives::Fork;
		let fork = |f: BeaconFork| Fork { version: f.version, epoch: f.epoch };
		ForkVersions {
			genesis: fork(s.genesis),
			altair: fork(s.altair),
			bellatrix: fork(s.bellatrix),
			capella: fork(s.capella),
			deneb: fork(s.deneb),
			electra: fork(s.electra),
			fulu: fork(s.fulu),
		}
	}
}

/// A vault event's receipt under an execution header the beacon chain finalized.
#[derive(Clone, PartialEq, Encode, Decode, DecodeWithMemTracking, TypeInfo, Debug)]
pub struct BeaconReceiptProof {
	/// The receipt's path in the execution header's receipts trie, and the event's place.
	pub receipt: ReceiptProof,
	/// The execution header, and its place under a finalized beacon header.
	pub execution: ExecutionProof,
}

impl BeaconReceiptProof {
	/// The execution proof's encoded length: bounded by [`MAX_EXECUTION_PROOF_LEN`].
	pub fn execution_len(&self) -> u32 {
		u32::try_from(self.execution.encoded_size()).unwrap_or(u32::MAX)
	}

	/// The Ethereum block the receipt is in.
	pub fn block_hash(&self) -> sp_core::H256 {
		self.execution.execution_header.block_hash()
	}

	/// The root the receipt proof is checked against.
	pub fn receipts_root(&self) -> sp_core::H256 {
		self.execution.execution_header.receipts_root()
	}
}

#[cfg(feature = "beacon-testkit")]
pub mod testkit;
pub mod updates;

pub mod encode {
	//! Execution proofs of an unsigned beacon chain: a Deneb execution header for an
	//! Ethereum block, in a beacon block body whose other fields are filler, in a beacon
	//! header that tests then store as finalized. What the light client checks of the proof
	//! itself (the SSZ roots and the body branch) is real.

	use alloc::vec;
	use snowbridge_beacon_primitives::{merkle_proof::subtree_index, types::deneb};
	use sp_core::H256;
	use sp_io::hashing::sha2_256;

	use super::{
		updates::SLOTS_PER_HISTORICAL_ROOT, AncestryProof, BeaconHeader, ExecutionProof,
		VersionedExecutionPayloadHeader,
	};

	/// Generalized index of the execution payload (header) in a beacon block body.
	pub const EXECUTION_HEADER_GINDEX: usize = 25;

	/// The proof that Ethereum block `number` (`hash`, `receipts_root`) is the payload of a
	/// beacon block at `slot`; that block's header is the returned one, to be stored as
	/// finalized (no ancestry proof).
	pub fn finalized_execution_proof(
		slot: u64,
		number: u64,
		hash: H256,
		receipts_root: H256,
	) -> (ExecutionProof, BeaconHeader) {
		let execution_header = deneb::ExecutionPayloadHeader {
			block_number: number,
			block_hash: hash,
			receipts_root,
			logs_bloom: vec![0; 256],
			gas_limit: 30_000_000,
			timestamp: 1_700_000_000 + number * 12,
			..Default::default()
		};
		let execution_header = VersionedExecutionPayloadHeader::Deneb(execution_header);
		let leaf = execution_header
			.hash_tree_root()
			.expect("a bloom of 256 bytes and no extra data fit SSZ");
		let branch: vec::Vec<H256> = (0u8..4).map(|i| H256::repeat_byte(0x10 + i)).collect();
		let body_root = merkle_root(leaf, &branch, subtree_index(EXECUTION_HEADER_GINDEX));
		let header = BeaconHeader {
			slot,
			proposer_index: 7,
			parent_root: H256::repeat_byte(0x01),
			state_root: H256::repeat_byte(0x02),
			body_root,
		};
		let proof = ExecutionProof {
			header,
			ancestry_proof: None,
			execution_header,
			execution_branch: branch,
		};
		(proof, header)
	}

	/// As [`finalized_execution_proof`], but the beacon block at `slot` is an ancestor of the
	/// returned finalized header at `finalized_slot` (> `slot`), whose state's `block_roots`
	/// root (returned too) holds it: the proof carries the ancestry branch, the most the
	/// light client checks of an execution proof.
	pub fn ancestor_execution_proof(
		slot: u64,
		finalized_slot: u64,
		number: u64,
		hash: H256,
		receipts_root: H256,
	) -> (ExecutionProof, BeaconHeader, H256) {
		let (mut proof, header) = finalized_execution_proof(slot, number, hash, receipts_root);
		let block_root = header.hash_tree_root().expect("a beacon header has an SSZ root");
		let branch: vec::Vec<H256> = (0u8..13).map(|i| H256::repeat_byte(0x40 + i)).collect();
		let index = SLOTS_PER_HISTORICAL_ROOT + slot % SLOTS_PER_HISTORICAL_ROOT;
		let block_roots_root = merkle_root(block_root, &branch, index as usize);
		let finalized = BeaconHeader {
			slot: finalized_slot,
			proposer_index: 3,
			parent_root: block_root,
			state_root: H256::repeat_byte(0x03),
			body_root: H256::repeat_byte(0x04),
		};
		proof.ancestry_proof = Some(AncestryProof {
			header_branch: branch,
			finalized_block_root: finalized.hash_tree_root().expect("an SSZ root"),
		});
		(proof, finalized, block_roots_root)
	}

	/// The root of an SSZ Merkle branch: `leaf` at `index` (its bits, low first, say on which
	/// side each level's node is) with `branch` its siblings from the bottom up.
	pub fn merkle_root(leaf: H256, branch: &[H256], index: usize) -> H256 {
		let mut node = leaf.0;
		for (level, sibling) in branch.iter().enumerate() {
			let mut pair = [0u8; 64];
			if index & (1 << level) != 0 {
				pair[..32].copy_from_slice(&sibling.0);
				pair[32..].copy_from_slice(&node);
			} else {
				pair[..32].copy_from_slice(&node);
				pair[32..].copy_from_slice(&sibling.0);
			}
			node = sha2_256(&pair);
		}
		H256(node)
	}
}
