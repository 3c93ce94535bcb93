//! Ethereum's encodings of what a receipt proof carries, for whoever builds proofs rather than
//! checks them: the relayer's prover re-encodes the receipts `eth_getBlockReceipts` returns to
//! rebuild a block's receipts trie, and benchmarks and tests build single-receipt blocks.
//! Nothing here is trusted by the checking side ([`super::proven_log`] decodes on its own).

use alloc::vec::Vec;
use alloy_rlp::{Encodable, Header};
use sp_core::H256;

use super::{receipt_key, EthLog, ProofNode, ReceiptProof, DEPOSITED_TOPIC, RATE_REPORTED_TOPIC};
use crate::bridge::{keccak_256, DepositMessage, EthAddress, RateReport};

/// `value` RLP-encoded.
pub fn rlp<T: Encodable + ?Sized>(value: &T) -> Vec<u8> {
	let mut out = Vec::new();
	value.encode(&mut out);
	out
}

/// An RLP list of items already encoded.
pub fn rlp_list(items: &[Vec<u8>]) -> Vec<u8> {
	let payload: Vec<u8> = items.concat();
	let mut out = Vec::with_capacity(payload.len() + 9);
	Header { list: true, payload_length: payload.len() }.encode(&mut out);
	out.extend(payload);
	out
}

/// A log as receipts hold it: `[address, [topics], data]`.
pub fn encode_log(log: &EthLog) -> Vec<u8> {
	let topics: Vec<Vec<u8>> = log.topics.iter().map(|t| rlp(&t.0)).collect();
	rlp_list(&[rlp(&log.address.0), rlp_list(&topics), rlp(&log.data[..])])
}

/// A receipt as the receipts trie holds it: `type ‖ rlp([status, cumulativeGasUsed, logsBloom,
/// logs])`, without the type byte for a legacy (type 0) transaction.
pub fn encode_receipt(
	kind: u8,
	succeeded: bool,
	cumulative_gas: u64,
	bloom: &[u8; 256],
	logs: &[EthLog],
) -> Vec<u8> {
	let logs: Vec<Vec<u8>> = logs.iter().map(encode_log).collect();
	let body = rlp_list(&[rlp(&succeeded), rlp(&cumulative_gas), rlp(bloom), rlp_list(&logs)]);
	if kind == 0 {
		body
	} else {
		[alloc::vec![kind], body].concat()
	}
}

/// `value` as an ABI `uint256` word.
pub fn uint_word(value: u128) -> [u8; 32] {
	let mut w = [0u8; 32];
	w[16..].copy_from_slice(&value.to_be_bytes());
	w
}

/// `a` as an ABI `address` word.
pub fn address_word(a: &EthAddress) -> [u8; 32] {
	let mut w = [0u8; 32];
	w[12..].copy_from_slice(a.as_bytes());
	w
}

/// The vault's `Deposited` event for `deposit`.
pub fn deposit_log(vault: &EthAddress, deposit: &DepositMessage) -> EthLog {
	EthLog {
		address: *vault,
		topics: alloc::vec![
			DEPOSITED_TOPIC,
			H256(uint_word(deposit.nonce.into())),
			H256(address_word(&deposit.token)),
			H256(deposit.recipient),
		],
		data: [uint_word(deposit.amount), address_word(&deposit.depositor)].concat(),
	}
}

/// The vault's `RateReported` event for `report`.
pub fn rate_log(vault: &EthAddress, report: &RateReport) -> EthLog {
	EthLog {
		address: *vault,
		topics: alloc::vec![RATE_REPORTED_TOPIC, H256(address_word(&report.token))],
		data: [uint_word(report.rate), uint_word(report.timestamp.into())].concat(),
	}
}

/// The receipts trie of a block whose only transaction, at `tx_index`, has `receipt`: its root
/// and the proof of the receipt's `log_index`-th log. The trie is a single leaf holding the
/// whole key (`0x20` marks an even-length leaf path; every `rlp(i)` is whole bytes), and the
/// root is its hash (a receipt is longer than 32 bytes, so the leaf is never inlined). `None`
/// if the leaf is longer than a proof node may be.
pub fn single_receipt_block(
	tx_index: u32,
	log_index: u32,
	receipt: &[u8],
) -> Option<(H256, ReceiptProof)> {
	let path = [alloc::vec![0x20], receipt_key(tx_index)].concat();
	let leaf = rlp_list(&[rlp(&path[..]), rlp(receipt)]);
	let root = H256(keccak_256(&leaf));
	let node = ProofNode::try_from(leaf).ok()?;
	let nodes = sp_runtime::BoundedVec::truncate_from(alloc::vec![node]);
	Some((root, ReceiptProof { tx_index, log_index, nodes }))
}
