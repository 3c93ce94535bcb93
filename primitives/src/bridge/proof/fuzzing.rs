//! The receipt evidence fuzz harness: one input drives the receipt decoder, the trie walk and
//! the event readers, and [`receipt_evidence`] asserts what they must keep whatever the bytes.
//! libFuzzer runs it coverage-guided by hand (`scripts/fuzz.sh 10 receipt_evidence`, the crate
//! in `primitives/fuzz`); the test build replays the corpus kept in the repository and
//! mutations of it, in CI.
//!
//! An input is `[fillers, tx_index, log_index, node, at, at, flip, receipt…]`: the receipt
//! bytes are decoded as they are, then put at `tx_index` (modulo the block's size) in a block
//! of `fillers + 1` receipts, the others deposit receipts, and proven with the trie's own
//! nodes, then proven again with one byte of one node changed. Shorter inputs are only
//! decoded.

use alloc::vec::Vec;
use alloy_trie::{proof::ProofRetainer, root::adjust_index_for_rlp, HashBuilder, Nibbles};
use sp_core::{H160, H256};

use super::{
	decode_receipt, deposit_of, encode, proven_log, rate_of, receipt_key, EthHeader, EthLog,
	ProofError, ProofNode, ReceiptProof, MAX_PROOF_NODES,
};
use crate::bridge::EthAddress;

/// The vault whose events the harness reads; seeds put it in their logs.
pub const VAULT: EthAddress = H160([0xaa; 20]);

/// What the block's other receipts hold: a deposit each, as a busy vault's block would.
fn filler(i: u32) -> Vec<u8> {
	let deposit = crate::bridge::DepositMessage {
		nonce: u64::from(i) + 1,
		token: H160([0x11; 20]),
		recipient: [7; 32],
		amount: 10u128.pow(18),
		depositor: H160([0xde; 20]),
		eth_block_hash: H256::zero(),
	};
	let log = encode::deposit_log(&VAULT, &deposit);
	encode::encode_receipt((i % 5) as u8, true, 21_000, &[0; 256], &[log])
}

/// The receipts trie of `receipts` (alloy-trie's `HashBuilder`): its root and the nodes
/// proving each of `targets`.
pub fn receipts_trie(receipts: &[Vec<u8>], targets: &[u32]) -> (H256, Vec<Vec<Vec<u8>>>) {
	let keys: Vec<Nibbles> = targets.iter().map(|i| Nibbles::unpack(receipt_key(*i))).collect();
	let mut builder = HashBuilder::default().with_proof_retainer(ProofRetainer::new(keys.clone()));
	// Leaves in key order: rlp(0) = 0x80 sorts after rlp(1..=127).
	for i in 0..receipts.len() {
		let index = adjust_index_for_rlp(i, receipts.len());
		builder.add_leaf(Nibbles::unpack(receipt_key(index as u32)), &receipts[index]);
	}
	let root = H256(builder.root().0);
	let nodes = builder.take_proof_nodes();
	let proofs = keys
		.iter()
		.map(|key| nodes.matching_nodes_sorted(key).into_iter().map(|(_, n)| n.to_vec()).collect())
		.collect();
	(root, proofs)
}

/// `nodes` as a proof of `tx_index`'s `log_index`-th log; `None` past the evidence's bounds.
fn bounded(tx_index: u32, log_index: u32, nodes: &[Vec<u8>]) -> Option<ReceiptProof> {
	let nodes: Vec<ProofNode> =
		nodes.iter().map(|n| ProofNode::try_from(n.clone()).ok()).collect::<Option<_>>()?;
	if nodes.len() > MAX_PROOF_NODES as usize {
		return None;
	}
	Some(ReceiptProof { tx_index, log_index, nodes: nodes.try_into().ok()? })
}

/// Reads every log as a deposit and as a rate report: what is read back must be what the log
/// encodes, byte for byte (strict decoding: no two logs give one message).
fn read_events(logs: &[EthLog]) {
	let block = EthHeader { number: 7, hash: H256([9; 32]), receipts_root: H256([8; 32]) };
	for log in logs {
		if let Ok(deposit) = deposit_of(log, &VAULT, &block) {
			assert_eq!(deposit.eth_block_hash, block.hash);
			assert_eq!(&encode::deposit_log(&VAULT, &deposit), log, "a deposit read loosely");
		}
		if let Ok(rate) = rate_of(log, &VAULT, &block) {
			assert_eq!((rate.eth_block_number, rate.eth_block_hash), (block.number, block.hash));
			assert_eq!(&encode::rate_log(&VAULT, &rate), log, "a rate report read loosely");
		}
		let elsewhere = H160(log.address.0.map(|b| !b));
		assert_eq!(deposit_of(log, &elsewhere, &block), Err(ProofError::WrongEmitter));
		assert_eq!(rate_of(log, &elsewhere, &block), Err(ProofError::WrongEmitter));
	}
}

/// Runs one input (see the module docs); panics where a property fails.
pub fn receipt_evidence(data: &[u8]) {
	let decoded = decode_receipt(data);
	if let Ok((_, logs)) = &decoded {
		read_events(logs);
	}
	let [fillers, tx_index, log_index, node, at_high, at_low, flip, receipt @ ..] = data else {
		return;
	};
	// No receipts trie holds an empty value.
	if receipt.is_empty() {
		return;
	}
	let decoded = decode_receipt(receipt);
	if let Ok((_, logs)) = &decoded {
		read_events(logs);
	}
	let count = u32::from(*fillers) + 1;
	let target = u32::from(*tx_index) % count;
	let receipts: Vec<Vec<u8>> =
		(0..count).map(|i| if i == target { receipt.to_vec() } else { filler(i) }).collect();
	let (root, mut proofs) = receipts_trie(&receipts, &[target]);
	let nodes = proofs.pop().unwrap_or_default();
	let Some(proof) = bounded(target, u32::from(*log_index), &nodes) else { return };
	let proven = proven_log(root, &proof);
	// What the proof gives is what decoding the receipt gives; a leaf under 32 bytes (a value
	// of at most 28) is inlined in its parent, which no receipts trie does, and refused.
	let direct = decoded.and_then(|(succeeded, logs)| {
		if !succeeded {
			return Err(ProofError::ReceiptFailed);
		}
		logs.into_iter().nth(usize::from(*log_index)).ok_or(ProofError::NoSuchLog)
	});
	if receipt.len() > 28 {
		assert_eq!(proven, direct, "a proof disagrees with its receipt");
	} else {
		assert!(proven.is_err() || proven == direct, "an inlined receipt proven");
	}
	// One byte of one node changed: nothing is proven under the same root any more.
	let mut nodes = nodes;
	let n = usize::from(*node) % nodes.len().max(1);
	if nodes.get(n).is_none_or(|bytes| bytes.is_empty()) {
		return;
	}
	let at = usize::from(u16::from_be_bytes([*at_high, *at_low])) % nodes[n].len();
	nodes[n][at] ^= (*flip).max(1);
	if let Some(mutated) = bounded(target, u32::from(*log_index), &nodes) {
		assert!(proven_log(root, &mutated).is_err(), "a changed proof accepted");
	}
}

/// Inputs that start the corpus: every receipt type with the vault's two events, a reverted
/// one, a receipt of other logs, in blocks of 1 to 201 receipts.
pub fn seeds() -> Vec<Vec<u8>> {
	let deposit = encode::deposit_log(
		&VAULT,
		&crate::bridge::DepositMessage {
			nonce: 77,
			token: H160([0x11; 20]),
			recipient: [3; 32],
			amount: 5 * 10u128.pow(18),
			depositor: H160([0xde; 20]),
			eth_block_hash: H256::zero(),
		},
	);
	let rate = encode::rate_log(
		&VAULT,
		&crate::bridge::RateReport {
			token: H160([0x11; 20]),
			rate: 1_180_000_000_000_000_000,
			timestamp: 1_700_000_000,
			eth_block_number: 0,
			eth_block_hash: H256::zero(),
		},
	);
	let other = EthLog {
		address: H160([0x11; 20]),
		topics: alloc::vec![H256([1; 32])],
		data: alloc::vec![],
	};
	let mut seeds = Vec::new();
	for kind in 0..5u8 {
		for (i, (succeeded, logs)) in [
			(true, alloc::vec![other.clone(), deposit.clone()]),
			(true, alloc::vec![rate.clone()]),
			(false, alloc::vec![deposit.clone()]),
			(true, alloc::vec![]),
		]
		.into_iter()
		.enumerate()
		{
			let receipt = encode::encode_receipt(kind, succeeded, 50_000, &[0; 256], &logs);
			let fillers = [0u8, 1, 16, 127, 200][(usize::from(kind) + i) % 5];
			let header = [fillers, kind.wrapping_mul(37), 1, 0, 0, 40, 0x80];
			seeds.push([&header[..], &receipt].concat());
		}
	}
	seeds
}
