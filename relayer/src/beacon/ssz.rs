//! The beacon chain's SSZ containers as a beacon node serves them (`Accept:
//! application/octet-stream`), from Electra on, mainnet preset, and the Merkle branches the
//! light client checks, taken out of them.
//!
//! ## Mechanism
//!
//! A beacon state or block body is decoded whole ([`BeaconState`], [`SignedBeaconBlock`]),
//! each field's hash tree root computed, and the container's tree rebuilt over those roots
//! ([`FieldTree`]): a branch is the siblings of one field's leaf. Nothing is taken on trust
//! from the node: [`StateProofs::new`] refuses a state whose root is not the one the caller
//! expects (a beacon header's `state_root`), and [`BlockProofs::new`] a block whose body root
//! is not its header's.
//!
//! The generalized indices are the light client's (`snowbridge-pallet-ethereum-client`
//! picks them by fork, Electra's from Electra on): a layout that did not match Ethereum's
//! would show as a branch it refuses, never as a proof of something else.
//!
//! Fulu added one field to the state (`proposer_lookahead`), within the same 64 leaves, and
//! none to the block body. A state is decoded by the fork the beacon node names
//! (`Eth-Consensus-Version`): a wrong name fails the decoding or the root check.

use anyhow::{bail, ensure, Result};
use snowbridge_beacon_primitives::{
	types::deneb, BeaconHeader, PublicKey, Signature, SyncAggregate as LightClientSyncAggregate,
	SyncCommittee as LightClientSyncCommittee, VersionedExecutionPayloadHeader,
};
use sp_core::{H160, H256, U256 as LightClientU256};
use sp_io::hashing::sha2_256;
use ssz_rs::prelude::*;
use ssz_rs_derive::SimpleSerialize;

use kasane_primitives::bridge::beacon::updates::{self, COMMITTEE_BITS, COMMITTEE_SIZE};

type Root = [u8; 32];
type BlsPubkey = Vector<u8, 48>;
type BlsSignature = Vector<u8, 96>;
type Address = [u8; 20];
type KzgCommitment = Vector<u8, 48>;

// Mainnet preset.
const SLOTS_PER_HISTORICAL_ROOT: usize = updates::SLOTS_PER_HISTORICAL_ROOT as usize;
const HISTORICAL_ROOTS_LIMIT: usize = 1 << 24;
const ETH1_DATA_VOTES_LIMIT: usize = 64 * 32;
const VALIDATOR_REGISTRY_LIMIT: usize = 1 << 40;
const EPOCHS_PER_HISTORICAL_VECTOR: usize = 65_536;
const EPOCHS_PER_SLASHINGS_VECTOR: usize = 8_192;
const PENDING_DEPOSITS_LIMIT: usize = 1 << 27;
const PENDING_PARTIAL_WITHDRAWALS_LIMIT: usize = 1 << 27;
const PENDING_CONSOLIDATIONS_LIMIT: usize = 1 << 18;
const PROPOSER_LOOKAHEAD: usize = 2 * 32;
const MAX_PROPOSER_SLASHINGS: usize = 16;
const MAX_ATTESTER_SLASHINGS: usize = 1;
const MAX_ATTESTATIONS: usize = 8;
const MAX_DEPOSITS: usize = 16;
const MAX_VOLUNTARY_EXITS: usize = 16;
const MAX_BLS_TO_EXECUTION_CHANGES: usize = 16;
const MAX_BLOB_COMMITMENTS_PER_BLOCK: usize = 4_096;
const MAX_ATTESTING_INDICES: usize = 2_048 * 64;
const MAX_COMMITTEES_PER_SLOT: usize = 64;
const DEPOSIT_PROOF_DEPTH: usize = 33;
const MAX_BYTES_PER_TRANSACTION: usize = 1 << 30;
const MAX_TRANSACTIONS_PER_PAYLOAD: usize = 1 << 20;
const MAX_WITHDRAWALS_PER_PAYLOAD: usize = 16;
const MAX_DEPOSIT_REQUESTS: usize = 8_192;
const MAX_WITHDRAWAL_REQUESTS: usize = 16;
const MAX_CONSOLIDATION_REQUESTS: usize = 2;

/// Generalized indices the light client verifies, from Electra on: a field's leaf in its
/// container's tree (64 leaves for a state, 16 for a block body), and the checkpoint's root
/// below its field.
#[cfg(test)]
mod gindex {
	/// `state.block_roots`.
	pub const BLOCK_ROOTS: usize = 69;
	/// `state.finalized_checkpoint.root`.
	pub const FINALIZED_ROOT: usize = 169;
	/// `state.current_sync_committee`.
	pub const CURRENT_SYNC_COMMITTEE: usize = 86;
	/// `state.next_sync_committee`.
	pub const NEXT_SYNC_COMMITTEE: usize = 87;
	/// `body.execution_payload`.
	pub const EXECUTION_PAYLOAD: usize = 25;
}

/// The fields the light client proves, by their place among their container's fields: a
/// state's from Electra on, and a block body's execution payload.
mod field {
	pub const BLOCK_ROOTS: usize = 5;
	pub const FINALIZED_CHECKPOINT: usize = 20;
	pub const CURRENT_SYNC_COMMITTEE: usize = 22;
	pub const NEXT_SYNC_COMMITTEE: usize = 23;
	/// In a block body.
	pub const EXECUTION_PAYLOAD: usize = 9;
}

#[derive(Default, Debug, Clone, PartialEq, Eq, SimpleSerialize)]
pub struct Fork {
	pub previous_version: [u8; 4],
	pub current_version: [u8; 4],
	pub epoch: u64,
}

#[derive(Default, Debug, Clone, PartialEq, Eq, SimpleSerialize)]
pub struct Checkpoint {
	pub epoch: u64,
	pub root: Root,
}

#[derive(Default, Debug, Clone, PartialEq, Eq, SimpleSerialize)]
pub struct BeaconBlockHeader {
	pub slot: u64,
	pub proposer_index: u64,
	pub parent_root: Root,
	pub state_root: Root,
	pub body_root: Root,
}

impl From<&BeaconBlockHeader> for BeaconHeader {
	fn from(h: &BeaconBlockHeader) -> Self {
		BeaconHeader {
			slot: h.slot,
			proposer_index: h.proposer_index,
			parent_root: H256(h.parent_root),
			state_root: H256(h.state_root),
			body_root: H256(h.body_root),
		}
	}
}

#[derive(Default, Debug, Clone, PartialEq, Eq, SimpleSerialize)]
pub struct Eth1Data {
	pub deposit_root: Root,
	pub deposit_count: u64,
	pub block_hash: Root,
}

#[derive(Default, Debug, Clone, PartialEq, Eq, SimpleSerialize)]
pub struct Validator {
	pub pubkey: BlsPubkey,
	pub withdrawal_credentials: Root,
	pub effective_balance: u64,
	pub slashed: bool,
	pub activation_eligibility_epoch: u64,
	pub activation_epoch: u64,
	pub exit_epoch: u64,
	pub withdrawable_epoch: u64,
}

#[derive(Default, Debug, Clone, PartialEq, Eq, SimpleSerialize)]
pub struct SyncCommittee {
	pub pubkeys: Vector<BlsPubkey, COMMITTEE_SIZE>,
	pub aggregate_pubkey: BlsPubkey,
}

impl SyncCommittee {
	fn to_light_client(&self) -> LightClientSyncCommittee<COMMITTEE_SIZE> {
		let key = |k: &BlsPubkey| {
			let mut bytes = [0u8; 48];
			bytes.copy_from_slice(k);
			PublicKey(bytes)
		};
		let mut committee = LightClientSyncCommittee::<COMMITTEE_SIZE>::default();
		for (to, from) in committee.pubkeys.iter_mut().zip(self.pubkeys.iter()) {
			*to = key(from);
		}
		committee.aggregate_pubkey = key(&self.aggregate_pubkey);
		committee
	}
}

#[derive(Default, Debug, Clone, PartialEq, Eq, SimpleSerialize)]
pub struct ExecutionPayloadHeader {
	pub parent_hash: Root,
	pub fee_recipient: Address,
	pub state_root: Root,
	pub receipts_root: Root,
	pub logs_bloom: Vector<u8, 256>,
	pub prev_randao: Root,
	pub block_number: u64,
	pub gas_limit: u64,
	pub gas_used: u64,
	pub timestamp: u64,
	pub extra_data: List<u8, 32>,
	pub base_fee_per_gas: U256,
	pub block_hash: Root,
	pub transactions_root: Root,
	pub withdrawals_root: Root,
	pub blob_gas_used: u64,
	pub excess_blob_gas: u64,
}

#[derive(Default, Debug, Clone, PartialEq, Eq, SimpleSerialize)]
pub struct HistoricalSummary {
	pub block_summary_root: Root,
	pub state_summary_root: Root,
}

#[derive(Default, Debug, Clone, PartialEq, Eq, SimpleSerialize)]
pub struct PendingDeposit {
	pub pubkey: BlsPubkey,
	pub withdrawal_credentials: Root,
	pub amount: u64,
	pub signature: BlsSignature,
	pub slot: u64,
}

#[derive(Default, Debug, Clone, PartialEq, Eq, SimpleSerialize)]
pub struct PendingPartialWithdrawal {
	pub validator_index: u64,
	pub amount: u64,
	pub withdrawable_epoch: u64,
}

#[derive(Default, Debug, Clone, PartialEq, Eq, SimpleSerialize)]
pub struct PendingConsolidation {
	pub source_index: u64,
	pub target_index: u64,
}

/// The fields Electra's and Fulu's states share, in order.
macro_rules! beacon_state {
	($name:ident { $($extra:ident : $extra_ty:ty),* }) => {
		#[derive(Default, Debug, Clone, PartialEq, Eq, SimpleSerialize)]
		pub struct $name {
			pub genesis_time: u64,
			pub genesis_validators_root: Root,
			pub slot: u64,
			pub fork: Fork,
			pub latest_block_header: BeaconBlockHeader,
			pub block_roots: Vector<Root, SLOTS_PER_HISTORICAL_ROOT>,
			pub state_roots: Vector<Root, SLOTS_PER_HISTORICAL_ROOT>,
			pub historical_roots: List<Root, HISTORICAL_ROOTS_LIMIT>,
			pub eth1_data: Eth1Data,
			pub eth1_data_votes: List<Eth1Data, ETH1_DATA_VOTES_LIMIT>,
			pub eth1_deposit_index: u64,
			pub validators: List<Validator, VALIDATOR_REGISTRY_LIMIT>,
			pub balances: List<u64, VALIDATOR_REGISTRY_LIMIT>,
			pub randao_mixes: Vector<Root, EPOCHS_PER_HISTORICAL_VECTOR>,
			pub slashings: Vector<u64, EPOCHS_PER_SLASHINGS_VECTOR>,
			pub previous_epoch_participation: List<u8, VALIDATOR_REGISTRY_LIMIT>,
			pub current_epoch_participation: List<u8, VALIDATOR_REGISTRY_LIMIT>,
			pub justification_bits: Bitvector<4>,
			pub previous_justified_checkpoint: Checkpoint,
			pub current_justified_checkpoint: Checkpoint,
			pub finalized_checkpoint: Checkpoint,
			pub inactivity_scores: List<u64, VALIDATOR_REGISTRY_LIMIT>,
			pub current_sync_committee: SyncCommittee,
			pub next_sync_committee: SyncCommittee,
			pub latest_execution_payload_header: ExecutionPayloadHeader,
			pub next_withdrawal_index: u64,
			pub next_withdrawal_validator_index: u64,
			pub historical_summaries: List<HistoricalSummary, HISTORICAL_ROOTS_LIMIT>,
			pub deposit_requests_start_index: u64,
			pub deposit_balance_to_consume: u64,
			pub exit_balance_to_consume: u64,
			pub earliest_exit_epoch: u64,
			pub consolidation_balance_to_consume: u64,
			pub earliest_consolidation_epoch: u64,
			pub pending_deposits: List<PendingDeposit, PENDING_DEPOSITS_LIMIT>,
			pub pending_partial_withdrawals:
				List<PendingPartialWithdrawal, PENDING_PARTIAL_WITHDRAWALS_LIMIT>,
			pub pending_consolidations: List<PendingConsolidation, PENDING_CONSOLIDATIONS_LIMIT>,
			$(pub $extra: $extra_ty,)*
		}

		impl $name {
			/// Each field's hash tree root, in order: the leaves of the state's tree.
			fn field_roots(&mut self) -> Result<Vec<H256>> {
				let roots = [
					self.genesis_time.hash_tree_root(),
					self.genesis_validators_root.hash_tree_root(),
					self.slot.hash_tree_root(),
					self.fork.hash_tree_root(),
					self.latest_block_header.hash_tree_root(),
					self.block_roots.hash_tree_root(),
					self.state_roots.hash_tree_root(),
					self.historical_roots.hash_tree_root(),
					self.eth1_data.hash_tree_root(),
					self.eth1_data_votes.hash_tree_root(),
					self.eth1_deposit_index.hash_tree_root(),
					self.validators.hash_tree_root(),
					self.balances.hash_tree_root(),
					self.randao_mixes.hash_tree_root(),
					self.slashings.hash_tree_root(),
					self.previous_epoch_participation.hash_tree_root(),
					self.current_epoch_participation.hash_tree_root(),
					self.justification_bits.hash_tree_root(),
					self.previous_justified_checkpoint.hash_tree_root(),
					self.current_justified_checkpoint.hash_tree_root(),
					self.finalized_checkpoint.hash_tree_root(),
					self.inactivity_scores.hash_tree_root(),
					self.current_sync_committee.hash_tree_root(),
					self.next_sync_committee.hash_tree_root(),
					self.latest_execution_payload_header.hash_tree_root(),
					self.next_withdrawal_index.hash_tree_root(),
					self.next_withdrawal_validator_index.hash_tree_root(),
					self.historical_summaries.hash_tree_root(),
					self.deposit_requests_start_index.hash_tree_root(),
					self.deposit_balance_to_consume.hash_tree_root(),
					self.exit_balance_to_consume.hash_tree_root(),
					self.earliest_exit_epoch.hash_tree_root(),
					self.consolidation_balance_to_consume.hash_tree_root(),
					self.earliest_consolidation_epoch.hash_tree_root(),
					self.pending_deposits.hash_tree_root(),
					self.pending_partial_withdrawals.hash_tree_root(),
					self.pending_consolidations.hash_tree_root(),
					$(self.$extra.hash_tree_root(),)*
				];
				roots.into_iter().map(node).collect()
			}
		}
	};
}

beacon_state!(ElectraState {});
beacon_state!(FuluState { proposer_lookahead: Vector<u64, PROPOSER_LOOKAHEAD> });

/// A beacon state of a fork the relayer reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BeaconState {
	Electra(Box<ElectraState>),
	Fulu(Box<FuluState>),
}

/// The consensus forks whose states and blocks the relayer decodes, by the name a beacon
/// node gives them (`Eth-Consensus-Version`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConsensusFork {
	Electra,
	Fulu,
}

impl ConsensusFork {
	pub fn from_name(name: &str) -> Result<Self> {
		match name.to_ascii_lowercase().as_str() {
			"electra" => Ok(Self::Electra),
			"fulu" => Ok(Self::Fulu),
			other => bail!(
				"the beacon node serves a {other} state or block; this relayer reads Electra and \
				 Fulu ones only"
			),
		}
	}
}

impl BeaconState {
	/// Decodes a state's SSZ of `fork`.
	pub fn decode(fork: ConsensusFork, bytes: &[u8]) -> Result<Self> {
		let state = match fork {
			ConsensusFork::Electra => {
				ElectraState::deserialize(bytes).map(|s| Self::Electra(Box::new(s)))
			}
			ConsensusFork::Fulu => FuluState::deserialize(bytes).map(|s| Self::Fulu(Box::new(s))),
		};
		state.map_err(|e| anyhow::anyhow!("decoding a {fork:?} beacon state: {e}"))
	}

	pub fn slot(&self) -> u64 {
		match self {
			Self::Electra(s) => s.slot,
			Self::Fulu(s) => s.slot,
		}
	}

	fn field_roots(&mut self) -> Result<Vec<H256>> {
		match self {
			Self::Electra(s) => s.field_roots(),
			Self::Fulu(s) => s.field_roots(),
		}
	}
}

/// What the light client proves of a beacon state: its committees, its finalized
/// checkpoint and its `block_roots`, each with its branch to the state root.
#[derive(Debug, Clone)]
pub struct StateProofs {
	pub slot: u64,
	pub state_root: H256,
	pub genesis_validators_root: H256,
	pub current_sync_committee: LightClientSyncCommittee<COMMITTEE_SIZE>,
	pub current_sync_committee_branch: Vec<H256>,
	pub next_sync_committee: LightClientSyncCommittee<COMMITTEE_SIZE>,
	pub next_sync_committee_branch: Vec<H256>,
	pub finalized_root: H256,
	pub finality_branch: Vec<H256>,
	/// The roots of the blocks at the [`SLOTS_PER_HISTORICAL_ROOT`] slots before the state's,
	/// slot `s`'s at `s % SLOTS_PER_HISTORICAL_ROOT`.
	pub block_roots: Vec<H256>,
	pub block_roots_root: H256,
	pub block_roots_branch: Vec<H256>,
}

impl StateProofs {
	/// The proofs of `state`, which must have the root `expected` (a header's `state_root`).
	pub fn new(mut state: BeaconState, expected: H256) -> Result<Self> {
		let tree = FieldTree::new(state.field_roots()?);
		ensure!(
			tree.root() == expected,
			"the beacon state of slot {} has the root {:?}, not the header's {expected:?}",
			state.slot(),
			tree.root()
		);
		let (slot, genesis_validators_root, current, next, finalized, block_roots) = match &state {
			BeaconState::Electra(s) => (
				s.slot,
				s.genesis_validators_root,
				&s.current_sync_committee,
				&s.next_sync_committee,
				&s.finalized_checkpoint,
				&s.block_roots,
			),
			BeaconState::Fulu(s) => (
				s.slot,
				s.genesis_validators_root,
				&s.current_sync_committee,
				&s.next_sync_committee,
				&s.finalized_checkpoint,
				&s.block_roots,
			),
		};
		// The finalized root is the second field of the checkpoint, whose first (the epoch)
		// is its sibling.
		let mut finality_branch = vec![node(finalized.epoch.clone().hash_tree_root())?];
		finality_branch.extend(tree.branch(field::FINALIZED_CHECKPOINT));
		Ok(Self {
			slot,
			state_root: expected,
			genesis_validators_root: H256(genesis_validators_root),
			current_sync_committee: current.to_light_client(),
			current_sync_committee_branch: tree.branch(field::CURRENT_SYNC_COMMITTEE),
			next_sync_committee: next.to_light_client(),
			next_sync_committee_branch: tree.branch(field::NEXT_SYNC_COMMITTEE),
			finalized_root: H256(finalized.root),
			finality_branch,
			block_roots: block_roots.iter().map(|r| H256(*r)).collect(),
			block_roots_root: tree.leaf(field::BLOCK_ROOTS),
			block_roots_branch: tree.branch(field::BLOCK_ROOTS),
		})
	}

	/// The branch of the block root of `slot` into [`Self::block_roots_root`]: an ancestry
	/// proof, `None` unless `slot` is one of the [`SLOTS_PER_HISTORICAL_ROOT`] before the
	/// state's.
	pub fn ancestry_branch(&self, slot: u64) -> Option<Vec<H256>> {
		let window = SLOTS_PER_HISTORICAL_ROOT as u64;
		if slot >= self.slot || self.slot - slot > window {
			return None;
		}
		let tree = FieldTree::new(self.block_roots.clone());
		Some(tree.branch((slot % window) as usize))
	}
}

#[derive(Default, Debug, Clone, PartialEq, Eq, SimpleSerialize)]
pub struct SignedBeaconBlockHeader {
	pub message: BeaconBlockHeader,
	pub signature: BlsSignature,
}

#[derive(Default, Debug, Clone, PartialEq, Eq, SimpleSerialize)]
pub struct ProposerSlashing {
	pub signed_header_1: SignedBeaconBlockHeader,
	pub signed_header_2: SignedBeaconBlockHeader,
}

#[derive(Default, Debug, Clone, PartialEq, Eq, SimpleSerialize)]
pub struct AttestationData {
	pub slot: u64,
	pub index: u64,
	pub beacon_block_root: Root,
	pub source: Checkpoint,
	pub target: Checkpoint,
}

#[derive(Default, Debug, Clone, PartialEq, Eq, SimpleSerialize)]
pub struct IndexedAttestation {
	pub attesting_indices: List<u64, MAX_ATTESTING_INDICES>,
	pub data: AttestationData,
	pub signature: BlsSignature,
}

#[derive(Default, Debug, Clone, PartialEq, Eq, SimpleSerialize)]
pub struct AttesterSlashing {
	pub attestation_1: IndexedAttestation,
	pub attestation_2: IndexedAttestation,
}

#[derive(Default, Debug, Clone, PartialEq, Eq, SimpleSerialize)]
pub struct Attestation {
	pub aggregation_bits: Bitlist<MAX_ATTESTING_INDICES>,
	pub data: AttestationData,
	pub signature: BlsSignature,
	pub committee_bits: Bitvector<MAX_COMMITTEES_PER_SLOT>,
}

#[derive(Default, Debug, Clone, PartialEq, Eq, SimpleSerialize)]
pub struct DepositData {
	pub pubkey: BlsPubkey,
	pub withdrawal_credentials: Root,
	pub amount: u64,
	pub signature: BlsSignature,
}

#[derive(Default, Debug, Clone, PartialEq, Eq, SimpleSerialize)]
pub struct Deposit {
	pub proof: Vector<Root, DEPOSIT_PROOF_DEPTH>,
	pub data: DepositData,
}

#[derive(Default, Debug, Clone, PartialEq, Eq, SimpleSerialize)]
pub struct VoluntaryExit {
	pub epoch: u64,
	pub validator_index: u64,
}

#[derive(Default, Debug, Clone, PartialEq, Eq, SimpleSerialize)]
pub struct SignedVoluntaryExit {
	pub message: VoluntaryExit,
	pub signature: BlsSignature,
}

#[derive(Default, Debug, Clone, PartialEq, Eq, SimpleSerialize)]
pub struct SyncAggregate {
	pub sync_committee_bits: Bitvector<COMMITTEE_SIZE>,
	pub sync_committee_signature: BlsSignature,
}

impl SyncAggregate {
	pub fn to_light_client(&self) -> LightClientSyncAggregate<COMMITTEE_SIZE, COMMITTEE_BITS> {
		let mut bits = [0u8; COMMITTEE_BITS];
		for (i, bit) in self.sync_committee_bits.iter().enumerate() {
			if *bit {
				bits[i / 8] |= 1 << (i % 8);
			}
		}
		let mut signature = [0u8; 96];
		signature.copy_from_slice(&self.sync_committee_signature);
		LightClientSyncAggregate {
			sync_committee_bits: bits,
			sync_committee_signature: Signature(signature),
		}
	}
}

#[derive(Default, Debug, Clone, PartialEq, Eq, SimpleSerialize)]
pub struct Withdrawal {
	pub index: u64,
	pub validator_index: u64,
	pub address: Address,
	pub amount: u64,
}

#[derive(Default, Debug, Clone, PartialEq, Eq, SimpleSerialize)]
pub struct ExecutionPayload {
	pub parent_hash: Root,
	pub fee_recipient: Address,
	pub state_root: Root,
	pub receipts_root: Root,
	pub logs_bloom: Vector<u8, 256>,
	pub prev_randao: Root,
	pub block_number: u64,
	pub gas_limit: u64,
	pub gas_used: u64,
	pub timestamp: u64,
	pub extra_data: List<u8, 32>,
	pub base_fee_per_gas: U256,
	pub block_hash: Root,
	pub transactions: List<List<u8, MAX_BYTES_PER_TRANSACTION>, MAX_TRANSACTIONS_PER_PAYLOAD>,
	pub withdrawals: List<Withdrawal, MAX_WITHDRAWALS_PER_PAYLOAD>,
	pub blob_gas_used: u64,
	pub excess_blob_gas: u64,
}

impl ExecutionPayload {
	/// The payload's header as the light client takes it (Deneb's layout, which Electra and
	/// Fulu kept).
	fn header(&mut self) -> Result<deneb::ExecutionPayloadHeader> {
		let mut base_fee = [0u8; 32];
		base_fee.copy_from_slice(&self.base_fee_per_gas.to_bytes_le());
		Ok(deneb::ExecutionPayloadHeader {
			parent_hash: H256(self.parent_hash),
			fee_recipient: H160(self.fee_recipient),
			state_root: H256(self.state_root),
			receipts_root: H256(self.receipts_root),
			logs_bloom: self.logs_bloom.to_vec(),
			prev_randao: H256(self.prev_randao),
			block_number: self.block_number,
			gas_limit: self.gas_limit,
			gas_used: self.gas_used,
			timestamp: self.timestamp,
			extra_data: self.extra_data.to_vec(),
			base_fee_per_gas: LightClientU256::from_little_endian(&base_fee),
			block_hash: H256(self.block_hash),
			transactions_root: node(self.transactions.hash_tree_root())?,
			withdrawals_root: node(self.withdrawals.hash_tree_root())?,
			blob_gas_used: self.blob_gas_used,
			excess_blob_gas: self.excess_blob_gas,
		})
	}
}

#[derive(Default, Debug, Clone, PartialEq, Eq, SimpleSerialize)]
pub struct BlsToExecutionChange {
	pub validator_index: u64,
	pub from_bls_pubkey: BlsPubkey,
	pub to_execution_address: Address,
}

#[derive(Default, Debug, Clone, PartialEq, Eq, SimpleSerialize)]
pub struct SignedBlsToExecutionChange {
	pub message: BlsToExecutionChange,
	pub signature: BlsSignature,
}

#[derive(Default, Debug, Clone, PartialEq, Eq, SimpleSerialize)]
pub struct DepositRequest {
	pub pubkey: BlsPubkey,
	pub withdrawal_credentials: Root,
	pub amount: u64,
	pub signature: BlsSignature,
	pub index: u64,
}

#[derive(Default, Debug, Clone, PartialEq, Eq, SimpleSerialize)]
pub struct WithdrawalRequest {
	pub source_address: Address,
	pub validator_pubkey: BlsPubkey,
	pub amount: u64,
}

#[derive(Default, Debug, Clone, PartialEq, Eq, SimpleSerialize)]
pub struct ConsolidationRequest {
	pub source_address: Address,
	pub source_pubkey: BlsPubkey,
	pub target_pubkey: BlsPubkey,
}

#[derive(Default, Debug, Clone, PartialEq, Eq, SimpleSerialize)]
pub struct ExecutionRequests {
	pub deposits: List<DepositRequest, MAX_DEPOSIT_REQUESTS>,
	pub withdrawals: List<WithdrawalRequest, MAX_WITHDRAWAL_REQUESTS>,
	pub consolidations: List<ConsolidationRequest, MAX_CONSOLIDATION_REQUESTS>,
}

/// Electra's block body, which Fulu kept.
#[derive(Default, Debug, Clone, PartialEq, Eq, SimpleSerialize)]
pub struct BeaconBlockBody {
	pub randao_reveal: BlsSignature,
	pub eth1_data: Eth1Data,
	pub graffiti: Root,
	pub proposer_slashings: List<ProposerSlashing, MAX_PROPOSER_SLASHINGS>,
	pub attester_slashings: List<AttesterSlashing, MAX_ATTESTER_SLASHINGS>,
	pub attestations: List<Attestation, MAX_ATTESTATIONS>,
	pub deposits: List<Deposit, MAX_DEPOSITS>,
	pub voluntary_exits: List<SignedVoluntaryExit, MAX_VOLUNTARY_EXITS>,
	pub sync_aggregate: SyncAggregate,
	pub execution_payload: ExecutionPayload,
	pub bls_to_execution_changes: List<SignedBlsToExecutionChange, MAX_BLS_TO_EXECUTION_CHANGES>,
	pub blob_kzg_commitments: List<KzgCommitment, MAX_BLOB_COMMITMENTS_PER_BLOCK>,
	pub execution_requests: ExecutionRequests,
}

impl BeaconBlockBody {
	fn field_roots(&mut self) -> Result<Vec<H256>> {
		let roots = [
			self.randao_reveal.hash_tree_root(),
			self.eth1_data.hash_tree_root(),
			self.graffiti.hash_tree_root(),
			self.proposer_slashings.hash_tree_root(),
			self.attester_slashings.hash_tree_root(),
			self.attestations.hash_tree_root(),
			self.deposits.hash_tree_root(),
			self.voluntary_exits.hash_tree_root(),
			self.sync_aggregate.hash_tree_root(),
			self.execution_payload.hash_tree_root(),
			self.bls_to_execution_changes.hash_tree_root(),
			self.blob_kzg_commitments.hash_tree_root(),
			self.execution_requests.hash_tree_root(),
		];
		roots.into_iter().map(node).collect()
	}
}

#[derive(Default, Debug, Clone, PartialEq, Eq, SimpleSerialize)]
pub struct BeaconBlock {
	pub slot: u64,
	pub proposer_index: u64,
	pub parent_root: Root,
	pub state_root: Root,
	pub body: BeaconBlockBody,
}

#[derive(Default, Debug, Clone, PartialEq, Eq, SimpleSerialize)]
pub struct SignedBeaconBlock {
	pub message: BeaconBlock,
	pub signature: BlsSignature,
}

impl SignedBeaconBlock {
	/// Decodes a signed block's SSZ (Electra's layout, which Fulu kept).
	pub fn decode(bytes: &[u8]) -> Result<Self> {
		Self::deserialize(bytes).map_err(|e| anyhow::anyhow!("decoding a beacon block: {e}"))
	}
}

/// What the light client proves of a beacon block: its header, its execution payload's
/// header with the branch to the body root, and the sync aggregate it carries (the
/// committee's signature of its parent).
#[derive(Debug, Clone)]
pub struct BlockProofs {
	pub header: BeaconHeader,
	pub root: H256,
	pub execution_header: VersionedExecutionPayloadHeader,
	pub execution_branch: Vec<H256>,
	pub sync_aggregate: SyncAggregate,
}

impl BlockProofs {
	/// The proofs of `block`, whose header must have the root `expected`.
	pub fn new(block: SignedBeaconBlock, expected: H256) -> Result<Self> {
		let mut block = block.message;
		let tree = FieldTree::new(block.body.field_roots()?);
		let header = BeaconHeader {
			slot: block.slot,
			proposer_index: block.proposer_index,
			parent_root: H256(block.parent_root),
			state_root: H256(block.state_root),
			body_root: tree.root(),
		};
		let root = header
			.hash_tree_root()
			.map_err(|e| anyhow::anyhow!("a beacon header's root: {e:?}"))?;
		ensure!(
			root == expected,
			"the beacon block of slot {} has the root {root:?}, not the expected {expected:?}",
			block.slot
		);
		let execution_header =
			VersionedExecutionPayloadHeader::Deneb(block.body.execution_payload.header()?);
		Ok(Self {
			header,
			root,
			execution_header,
			execution_branch: tree.branch(field::EXECUTION_PAYLOAD),
			sync_aggregate: block.body.sync_aggregate,
		})
	}
}

/// A container's Merkle tree over its fields' roots (padded with zero leaves to a power of
/// two), kept whole: `nodes[1]` the root, the leaves from `nodes[width]`.
pub struct FieldTree {
	nodes: Vec<H256>,
	width: usize,
}

impl FieldTree {
	pub fn new(leaves: Vec<H256>) -> Self {
		let width = leaves.len().next_power_of_two();
		let mut nodes = vec![H256::zero(); 2 * width];
		nodes[width..width + leaves.len()].copy_from_slice(&leaves);
		for index in (1..width).rev() {
			let mut pair = [0u8; 64];
			pair[..32].copy_from_slice(nodes[2 * index].as_bytes());
			pair[32..].copy_from_slice(nodes[2 * index + 1].as_bytes());
			nodes[index] = H256(sha2_256(&pair));
		}
		Self { nodes, width }
	}

	pub fn root(&self) -> H256 {
		self.nodes[1]
	}

	fn leaf(&self, index: usize) -> H256 {
		self.nodes[self.width + index]
	}

	/// The siblings of leaf `index` from the bottom up, as `verify_merkle_branch` takes them.
	pub fn branch(&self, index: usize) -> Vec<H256> {
		let mut at = self.width + index;
		let mut branch = Vec::new();
		while at > 1 {
			branch.push(self.nodes[at ^ 1]);
			at /= 2;
		}
		branch
	}
}

fn node(root: Result<Node, ssz_rs::MerkleizationError>) -> Result<H256> {
	let root = root.map_err(|e| anyhow::anyhow!("an SSZ root: {e}"))?;
	Ok(H256::from_slice(root.as_ref()))
}

#[cfg(test)]
mod tests {
	use super::*;
	use snowbridge_beacon_primitives::merkle_proof::{
		generalized_index_length, subtree_index, verify_merkle_branch,
	};

	fn verifies(leaf: H256, branch: &[H256], gindex: usize, root: H256) -> bool {
		verify_merkle_branch(
			leaf,
			branch,
			subtree_index(gindex),
			generalized_index_length(gindex),
			root,
		)
	}

	fn filled_state() -> ElectraState {
		let mut state = ElectraState { slot: 3 * 8_192 + 77, ..Default::default() };
		state.genesis_validators_root = [9; 32];
		for slot in 0..SLOTS_PER_HISTORICAL_ROOT {
			state.block_roots[slot] = H256::from_low_u64_be(slot as u64 + 1).0;
		}
		state.finalized_checkpoint = Checkpoint { epoch: 700, root: [0xf1; 32] };
		let mut key = BlsPubkey::default();
		key[0] = 0xaa;
		state.current_sync_committee.pubkeys[3] = key.clone();
		key[1] = 0xbb;
		state.next_sync_committee.aggregate_pubkey = key;
		state.validators.push(Validator { effective_balance: 32, ..Default::default() });
		state.balances.push(32_000_000_000);
		state
			.pending_consolidations
			.push(PendingConsolidation { source_index: 1, target_index: 2 });
		state
	}

	#[test]
	fn the_light_clients_indices_are_the_fields_leaves() {
		assert_eq!(gindex::BLOCK_ROOTS, 64 + field::BLOCK_ROOTS);
		assert_eq!(gindex::FINALIZED_ROOT, 2 * (64 + field::FINALIZED_CHECKPOINT) + 1);
		assert_eq!(gindex::CURRENT_SYNC_COMMITTEE, 64 + field::CURRENT_SYNC_COMMITTEE);
		assert_eq!(gindex::NEXT_SYNC_COMMITTEE, 64 + field::NEXT_SYNC_COMMITTEE);
		assert_eq!(gindex::EXECUTION_PAYLOAD, 16 + field::EXECUTION_PAYLOAD);
	}

	#[test]
	fn the_field_roots_make_the_derived_root_of_each_state_and_body() {
		let mut electra = filled_state();
		let derived = node(electra.hash_tree_root()).unwrap();
		assert_eq!(FieldTree::new(electra.field_roots().unwrap()).root(), derived);

		let mut fulu = FuluState { slot: electra.slot, ..Default::default() };
		fulu.block_roots = electra.block_roots.clone();
		fulu.proposer_lookahead[5] = 42;
		let derived = node(fulu.hash_tree_root()).unwrap();
		let roots = fulu.field_roots().unwrap();
		assert_eq!(roots.len(), 38);
		assert_eq!(FieldTree::new(roots).root(), derived);

		let mut body = BeaconBlockBody::default();
		body.execution_payload.block_number = 12;
		body.execution_payload.transactions.push(List::try_from(vec![1u8, 2, 3]).unwrap());
		body.graffiti = [7; 32];
		let derived = node(body.hash_tree_root()).unwrap();
		assert_eq!(FieldTree::new(body.field_roots().unwrap()).root(), derived);
	}

	#[test]
	fn each_branch_of_a_state_verifies_at_the_light_clients_index_and_nowhere_else() {
		let mut state = filled_state();
		let root = node(state.hash_tree_root()).unwrap();
		let slot = state.slot;
		let proofs = StateProofs::new(BeaconState::Electra(Box::new(state.clone())), root).unwrap();
		let committee_root = |c: &LightClientSyncCommittee<COMMITTEE_SIZE>| {
			c.hash_tree_root().expect("a committee has a root")
		};
		let checks = [
			(proofs.block_roots_root, &proofs.block_roots_branch, gindex::BLOCK_ROOTS),
			(proofs.finalized_root, &proofs.finality_branch, gindex::FINALIZED_ROOT),
			(
				committee_root(&proofs.current_sync_committee),
				&proofs.current_sync_committee_branch,
				gindex::CURRENT_SYNC_COMMITTEE,
			),
			(
				committee_root(&proofs.next_sync_committee),
				&proofs.next_sync_committee_branch,
				gindex::NEXT_SYNC_COMMITTEE,
			),
		];
		for (leaf, branch, index) in checks {
			assert!(verifies(leaf, branch, index, root), "gindex {index}");
			assert!(!verifies(leaf, branch, index ^ 1, root), "gindex {index} moved");
		}
		assert_eq!(proofs.finalized_root, H256([0xf1; 32]));
		assert_eq!(proofs.current_sync_committee.pubkeys[3].0[0], 0xaa);
		// An ancestor is proven in the block roots; the state's own slot and anything older
		// than the vector are not.
		let ancestor = slot - 100;
		let branch = proofs.ancestry_branch(ancestor).unwrap();
		let leaf = H256(state.block_roots[(ancestor % 8_192) as usize]);
		let index = 8_192 + (ancestor % 8_192) as usize;
		assert!(verifies(leaf, &branch, index, proofs.block_roots_root));
		assert!(proofs.ancestry_branch(slot).is_none());
		assert!(proofs.ancestry_branch(slot - 8_193).is_none());
		// A state that is not the header's is refused.
		state.slot += 1;
		assert!(StateProofs::new(BeaconState::Electra(Box::new(state)), root).is_err());
	}

	#[test]
	fn a_blocks_execution_header_is_proven_in_its_body_and_decoded_from_its_ssz() {
		let mut block = SignedBeaconBlock::default();
		block.message.slot = 1_000;
		block.message.parent_root = [3; 32];
		let payload = &mut block.message.body.execution_payload;
		payload.block_number = 77;
		payload.block_hash = [0xbe; 32];
		payload.receipts_root = [0x7e; 32];
		payload.base_fee_per_gas = U256::from(7u64);
		payload.withdrawals.push(Withdrawal { index: 1, amount: 5, ..Default::default() });
		block.message.body.sync_aggregate.sync_committee_bits.set(9, true);
		let bytes = ssz_rs::serialize(&block).unwrap();
		let decoded = SignedBeaconBlock::decode(&bytes).unwrap();
		assert_eq!(decoded, block);
		let mut header = BeaconBlockHeader {
			slot: 1_000,
			parent_root: [3; 32],
			body_root: H256::from_slice(
				block.message.body.clone().hash_tree_root().unwrap().as_ref(),
			)
			.0,
			..Default::default()
		};
		let root = node(header.hash_tree_root()).unwrap();
		let proofs = BlockProofs::new(decoded.clone(), root).unwrap();
		assert_eq!(proofs.execution_header.block_hash(), H256([0xbe; 32]));
		assert_eq!(proofs.execution_header.receipts_root(), H256([0x7e; 32]));
		let leaf = proofs.execution_header.hash_tree_root().unwrap();
		assert!(verifies(
			leaf,
			&proofs.execution_branch,
			gindex::EXECUTION_PAYLOAD,
			H256(header.body_root)
		));
		assert_eq!(proofs.sync_aggregate.to_light_client().sync_committee_bits[1], 0b10);
		// The header the relayer rebuilds from the block is the one the caller named.
		assert_eq!(BeaconHeader::from(&header), proofs.header);
		assert!(BlockProofs::new(decoded, H256::zero()).is_err());
		// Truncated bytes are an error, not a panic.
		assert!(SignedBeaconBlock::decode(&bytes[..bytes.len() - 1]).is_err());
	}
}
