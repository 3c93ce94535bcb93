//! Ethereum receipt proofs: what lets the bridge mint a vault deposit on proof that Ethereum
//! emitted it, instead of on attesters' word about its contents.
//!
//! ## Mechanism
//!
//! Every Ethereum block header commits to `receiptsRoot`, the root of a Merkle-Patricia trie
//! whose key `rlp(i)` holds the EIP-2718 encoding of transaction `i`'s receipt (status, gas,
//! bloom and logs). Given a root Kasane trusts — a finalized header that a quorum of attesters
//! signed ([`EthHeader`], [`crate::bridge::BridgeDomain::header_digest`]), one signature set per
//! block instead of one per message — anyone can prove a vault event with the trie nodes on
//! the path to its receipt ([`ReceiptProof`]):
//!
//! 1. [`proven_log`]: the value is taken from the proof's last node, which must be a leaf, and
//!    `alloy_trie::proof::verify_proof` checks that the nodes hash-chain from the root along
//!    the key `rlp(tx_index)` to exactly that value (a node off the path, a missing or an extra
//!    node, another index's proof: all refused). The receipt is then decoded strictly (legacy
//!    or typed 1–4, canonical RLP, nothing trailing at any level), must have succeeded, and
//!    its `log_index`-th log is returned.
//! 2. [`deposit_of`] / [`rate_of`]: the log must come from the vault and be the event asked
//!    for, with the exact topic count and data length and every ABI padding byte zero; the
//!    decoded message is what the bridge compares with the one submitted.
//!
//! Decoding bytes from a caller never panics, whatever root it is checked against (a node no
//! receipts trie has is refused before the walk): every failure is a [`ProofError`]. The cost
//! is bounded by the evidence's bounds (at most [`MAX_PROOF_NODES`] nodes of
//! [`MAX_PROOF_NODE_LEN`] bytes), and the trie walk only follows the key's nibbles.

use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sp_core::{ConstU32, H160, H256};
use sp_runtime::BoundedVec;

use super::{BridgeDomain, DepositMessage, EthAddress, RateReport};

pub mod encode;
#[cfg(any(test, feature = "fuzzing"))]
pub mod fuzzing;

/// Domain tag of header attestations.
pub const HEADER_TAG: &[u8] = b"kasane/bridge/header/v1";

/// `keccak256("Deposited(uint64,address,bytes32,uint256,address)")`: the vault's
/// `Deposited(uint64 indexed nonce, address indexed token, bytes32 indexed recipient,
/// uint256 amount, address depositor)`.
pub const DEPOSITED_TOPIC: H256 = H256([
	0x5b, 0x3e, 0x94, 0x16, 0xe3, 0x99, 0x77, 0x4c, 0xec, 0xf0, 0xf3, 0x7b, 0x39, 0xd0, 0x12, 0x66,
	0xda, 0x64, 0xee, 0x8c, 0x61, 0x25, 0x83, 0x2e, 0x39, 0x50, 0xe2, 0xb1, 0x79, 0xe9, 0x90, 0x62,
]);

/// `keccak256("RateReported(address,uint256,uint256)")`: the vault's
/// `RateReported(address indexed token, uint256 rate, uint256 timestamp)`.
pub const RATE_REPORTED_TOPIC: H256 = H256([
	0xf4, 0xa2, 0xfb, 0xee, 0x10, 0xee, 0x16, 0x4e, 0xc4, 0x24, 0x3b, 0x93, 0x09, 0x40, 0x97, 0x37,
	0x64, 0xa9, 0x81, 0x86, 0x74, 0xfb, 0x25, 0xeb, 0x3e, 0x83, 0x5a, 0xa4, 0xbf, 0xef, 0xde, 0x43,
]);

/// Most nodes in a receipt proof: a key `rlp(i)` is at most 3 bytes (6 nibbles) for any block,
/// so a path has at most a branch per nibble and the leaf.
pub const MAX_PROOF_NODES: u32 = 8;
/// Most bytes in one proof node: a branch is at most 532; the leaf carries the whole receipt,
/// which for a vault deposit (a token transfer and the vault's event) is well under 2 KiB.
pub const MAX_PROOF_NODE_LEN: u32 = 16 * 1024;

/// One trie node, RLP-encoded.
pub type ProofNode = BoundedVec<u8, ConstU32<MAX_PROOF_NODE_LEN>>;

/// A finalized Ethereum block, as attesters attest it: its receipts root is then trusted for
/// receipt proofs of its events.
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
)]
pub struct EthHeader {
	pub number: u64,
	pub hash: H256,
	pub receipts_root: H256,
}

/// Where a vault event sits in a block, with the trie nodes proving its receipt.
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
pub struct ReceiptProof {
	/// The transaction's index in its block: the trie key is `rlp(tx_index)`.
	pub tx_index: u32,
	/// The event's index among its receipt's logs.
	pub log_index: u32,
	/// The nodes from the root to the receipt's leaf, in order.
	pub nodes: BoundedVec<ProofNode, ConstU32<MAX_PROOF_NODES>>,
}

impl ReceiptProof {
	/// The nodes' total length: what verifying the proof costs grows with it.
	pub fn len_bytes(&self) -> u32 {
		self.nodes.iter().map(|n| n.len() as u32).sum()
	}
}

/// An Ethereum log as its receipt holds it.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct EthLog {
	pub address: EthAddress,
	pub topics: Vec<H256>,
	pub data: Vec<u8>,
}

/// Why a receipt proof or the event in it is refused.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ProofError {
	/// No nodes.
	EmptyProof,
	/// The root is zero: never a trusted root.
	ZeroRoot,
	/// The last node is not a valid trie leaf.
	NotALeaf,
	/// The nodes do not chain from the root to the leaf along the key `rlp(tx_index)`.
	NotInTrie,
	/// A node no receipts trie has: an inline child, or a path longer than the key.
	UnexpectedNode,
	/// The receipt is not canonical RLP of a known receipt shape.
	MalformedReceipt,
	/// The receipt has a transaction type this bridge does not know.
	UnknownReceiptType,
	/// The transaction reverted: its logs did not happen.
	ReceiptFailed,
	/// The receipt has no log at `log_index`.
	NoSuchLog,
	/// The log was not emitted by the vault.
	WrongEmitter,
	/// The log is another event than the one asked for.
	WrongEvent,
	/// The event has the wrong number of topics or length of data.
	MalformedEvent,
	/// A word's ABI padding is not zero.
	NonZeroPadding,
	/// A `uint256` does not fit the field it is read into.
	ValueTooLarge,
}

impl BridgeDomain {
	/// What attesters sign for a finalized Ethereum header:
	/// `keccak256(abi.encode(keccak256("kasane/bridge/header/v1"), chainId, vault, kasaneGenesis,
	/// number, blockHash, receiptsRoot))`. A header is a fact about Ethereum, but the signature
	/// is still bound to one Kasane network, like every other attestation, so equivocation on a
	/// test network is never evidence on another.
	pub fn header_digest(&self, header: &EthHeader) -> [u8; 32] {
		self.words(HEADER_TAG)
			.uint(header.number.into())
			.word(header.hash.0)
			.word(header.receipts_root.0)
			.keccak()
	}
}

/// The trie key of transaction `tx_index`'s receipt: `rlp(tx_index)`.
pub fn receipt_key(tx_index: u32) -> Vec<u8> {
	alloy_rlp::encode(u64::from(tx_index))
}

/// The `proof.log_index`-th log of the successful receipt that `proof` proves under
/// `receipts_root`.
pub fn proven_log(receipts_root: H256, proof: &ReceiptProof) -> Result<EthLog, ProofError> {
	use alloy_rlp::Decodable;
	use alloy_trie::{nodes::TrieNode, proof::verify_proof, Nibbles};

	if receipts_root.is_zero() {
		return Err(ProofError::ZeroRoot);
	}
	let last = proof.nodes.last().ok_or(ProofError::EmptyProof)?;
	let leaf = match <TrieNode as Decodable>::decode(&mut &last[..]) {
		Ok(TrieNode::Leaf(leaf)) => leaf,
		_ => return Err(ProofError::NotALeaf),
	};
	let key = Nibbles::unpack(receipt_key(proof.tx_index));
	receipt_trie_shaped(&proof.nodes, key.len())?;
	let nodes: Vec<alloy_primitives::Bytes> =
		proof.nodes.iter().map(|n| alloy_primitives::Bytes::copy_from_slice(n)).collect();
	// Root, key and value bound together: the leaf's value is what the path leads to.
	verify_proof(receipts_root.0.into(), key, Some(leaf.value.clone()), &nodes)
		.map_err(|_| ProofError::NotInTrie)?;
	let (succeeded, logs) = decode_receipt(&leaf.value)?;
	if !succeeded {
		return Err(ProofError::ReceiptFailed);
	}
	logs.into_iter().nth(proof.log_index as usize).ok_or(ProofError::NoSuchLog)
}

/// Every node is one a receipts trie has: children referenced by hash (every node of a receipts
/// trie is 32 bytes or more, so none is inline), and the nodes' paths together (a nibble per
/// branch, an extension's or a leaf's whole path) no longer than the key. Checked before the
/// walk: alloy-trie's walk appends each node's path unchecked and panics past 64 nibbles, which
/// nodes under a crafted root could reach; with no inline node, the walk appends exactly these
/// paths, so it stays within the key (at most 10 nibbles).
fn receipt_trie_shaped(nodes: &[ProofNode], key_len: usize) -> Result<(), ProofError> {
	use alloy_rlp::Decodable;
	use alloy_trie::nodes::TrieNode;
	let mut walked = 0usize;
	for node in nodes {
		let (path, children_hashed) = match <TrieNode as Decodable>::decode(&mut &node[..]) {
			Ok(TrieNode::Branch(branch)) => (1, branch.stack.iter().all(|child| child.is_hash())),
			Ok(TrieNode::Extension(extension)) => (extension.key.len(), extension.child.is_hash()),
			Ok(TrieNode::Leaf(leaf)) => (leaf.key.len(), true),
			Ok(TrieNode::EmptyRoot) => return Err(ProofError::UnexpectedNode),
			Err(_) => return Err(ProofError::NotInTrie),
		};
		walked = walked.saturating_add(path);
		if !children_hashed || walked > key_len {
			return Err(ProofError::UnexpectedNode);
		}
	}
	Ok(())
}

/// A receipt's status and logs. Legacy receipts are the RLP list itself; typed ones (EIP-2930,
/// 1559, 4844, 7702) are the type byte then the same list:
/// `[status, cumulativeGasUsed, logsBloom, [[address, [topics], data], …]]`.
pub fn decode_receipt(bytes: &[u8]) -> Result<(bool, Vec<EthLog>), ProofError> {
	use alloy_rlp::Header;
	let malformed = |_| ProofError::MalformedReceipt;

	let mut buf = match bytes.first() {
		Some(first) if *first >= alloy_rlp::EMPTY_LIST_CODE => bytes,
		Some(1..=4) => &bytes[1..],
		Some(_) => return Err(ProofError::UnknownReceiptType),
		None => return Err(ProofError::MalformedReceipt),
	};
	let mut fields = Header::decode_bytes(&mut buf, true).map_err(malformed)?;
	if !buf.is_empty() {
		return Err(ProofError::MalformedReceipt);
	}
	// A pre-Byzantium receipt has a 32-byte state root here: not a status, refused.
	let succeeded: bool = rlp(&mut fields)?;
	let _cumulative_gas: u64 = rlp(&mut fields)?;
	let _bloom: [u8; 256] = rlp(&mut fields)?;
	let mut logs_rlp = Header::decode_bytes(&mut fields, true).map_err(malformed)?;
	if !fields.is_empty() {
		return Err(ProofError::MalformedReceipt);
	}
	let mut logs = Vec::new();
	while !logs_rlp.is_empty() {
		let mut log = Header::decode_bytes(&mut logs_rlp, true).map_err(malformed)?;
		let address: [u8; 20] = rlp(&mut log)?;
		let mut topics_rlp = Header::decode_bytes(&mut log, true).map_err(malformed)?;
		let mut topics = Vec::new();
		while !topics_rlp.is_empty() {
			topics.push(H256(rlp(&mut topics_rlp)?));
		}
		let data = Header::decode_bytes(&mut log, false).map_err(malformed)?;
		// At most four topics (LOG0–LOG4), and nothing after the data.
		if topics.len() > 4 || !log.is_empty() {
			return Err(ProofError::MalformedReceipt);
		}
		logs.push(EthLog { address: H160(address), topics, data: data.to_vec() });
	}
	Ok((succeeded, logs))
}

/// One canonical RLP item off the front of `buf`.
fn rlp<T: alloy_rlp::Decodable>(buf: &mut &[u8]) -> Result<T, ProofError> {
	T::decode(buf).map_err(|_| ProofError::MalformedReceipt)
}

/// The vault deposit `log` records, emitted in `block` (the attested header whose receipts
/// root proved it).
pub fn deposit_of(
	log: &EthLog,
	vault: &EthAddress,
	block: &EthHeader,
) -> Result<DepositMessage, ProofError> {
	let [amount, depositor] = event_words(log, vault, DEPOSITED_TOPIC, 4)?;
	Ok(DepositMessage {
		nonce: u64_word(&log.topics[1].0, ProofError::NonZeroPadding)?,
		token: address_from_word(&log.topics[2].0)?,
		recipient: log.topics[3].0,
		amount: u128_word(&amount)?,
		depositor: address_from_word(&depositor)?,
		eth_block_hash: block.hash,
	})
}

/// The rate report `log` records, emitted in `block`.
pub fn rate_of(
	log: &EthLog,
	vault: &EthAddress,
	block: &EthHeader,
) -> Result<RateReport, ProofError> {
	let [rate, timestamp] = event_words(log, vault, RATE_REPORTED_TOPIC, 2)?;
	Ok(RateReport {
		token: address_from_word(&log.topics[1].0)?,
		rate: u128_word(&rate)?,
		timestamp: u64_word(&timestamp, ProofError::ValueTooLarge)?,
		eth_block_number: block.number,
		eth_block_hash: block.hash,
	})
}

/// The two data words of vault event `topic0` with `topics` topics.
fn event_words(
	log: &EthLog,
	vault: &EthAddress,
	topic0: H256,
	topics: usize,
) -> Result<[[u8; 32]; 2], ProofError> {
	if log.address != *vault {
		return Err(ProofError::WrongEmitter);
	}
	if log.topics.first() != Some(&topic0) {
		return Err(ProofError::WrongEvent);
	}
	if log.topics.len() != topics || log.data.len() != 64 {
		return Err(ProofError::MalformedEvent);
	}
	let mut words = [[0u8; 32]; 2];
	words[0].copy_from_slice(&log.data[..32]);
	words[1].copy_from_slice(&log.data[32..]);
	Ok(words)
}

/// The last `N` bytes of an ABI word whose others must be zero; `high_bytes_set` says why not
/// (bad padding of a narrower type, or a `uint256` too large for its field).
fn low_bytes<const N: usize>(
	word: &[u8; 32],
	high_bytes_set: ProofError,
) -> Result<[u8; N], ProofError> {
	let (high, low) = word.split_at(32 - N);
	if high.iter().any(|b| *b != 0) {
		return Err(high_bytes_set);
	}
	let mut value = [0u8; N];
	value.copy_from_slice(low);
	Ok(value)
}

fn u128_word(word: &[u8; 32]) -> Result<u128, ProofError> {
	low_bytes(word, ProofError::ValueTooLarge).map(u128::from_be_bytes)
}

/// A word read as 64 bits: `uint64` fields fail with bad padding, `uint256` ones as too large.
fn u64_word(word: &[u8; 32], high_bytes_set: ProofError) -> Result<u64, ProofError> {
	low_bytes(word, high_bytes_set).map(u64::from_be_bytes)
}

fn address_from_word(word: &[u8; 32]) -> Result<EthAddress, ProofError> {
	low_bytes(word, ProofError::NonZeroPadding).map(H160)
}

#[cfg(test)]
mod tests;
