//! Receipt proofs built with alloy-trie's `HashBuilder` from receipts encoded here, real
//! mainnet proofs, and every way a proof or an event can be wrong.

use super::encode::{address_word, rlp, rlp_list, uint_word};
use super::fuzzing::receipts_trie as trie;
use super::*;
use crate::bridge::keccak_256;
use alloy_trie::{HashBuilder, Nibbles};
use hex_literal::hex;
use proptest::prelude::*;

const VAULT: H160 = H160::repeat_byte(0xaa);
const TOKEN: H160 = H160::repeat_byte(0x11);

/// A receipt with a fixed gas figure and an empty bloom: neither is read by the proof code.
fn encode_receipt(kind: u8, succeeded: bool, logs: &[EthLog]) -> Vec<u8> {
	encode::encode_receipt(kind, succeeded, 21_000, &[0u8; 256], logs)
}

/// An attested header with `hash` (the other fields do not matter to the event's decoding).
fn header(hash: H256) -> EthHeader {
	EthHeader { number: 42, hash, receipts_root: H256([8; 32]) }
}

fn deposit_log(nonce: u64, amount: u128) -> EthLog {
	EthLog {
		address: VAULT,
		topics: vec![
			DEPOSITED_TOPIC,
			H256(uint_word(nonce.into())),
			H256(address_word(&TOKEN)),
			H256([7u8; 32]),
		],
		data: [uint_word(amount), address_word(&H160::repeat_byte(0xde))].concat(),
	}
}

fn rate_log(rate: u128, timestamp: u64) -> EthLog {
	EthLog {
		address: VAULT,
		topics: vec![RATE_REPORTED_TOPIC, H256(address_word(&TOKEN))],
		data: [uint_word(rate), uint_word(timestamp.into())].concat(),
	}
}

fn proof(tx_index: u32, log_index: u32, nodes: &[Vec<u8>]) -> ReceiptProof {
	ReceiptProof {
		tx_index,
		log_index,
		nodes: nodes
			.iter()
			.map(|n| n.clone().try_into().unwrap())
			.collect::<Vec<_>>()
			.try_into()
			.unwrap(),
	}
}

/// A block of `count` receipts of every type; receipt `i` holds a deposit with nonce `i + 1`
/// after an unrelated log.
fn block(count: u32) -> Vec<Vec<u8>> {
	(0..count)
		.map(|i| {
			let other = EthLog { address: TOKEN, topics: vec![H256([1; 32])], data: vec![] };
			encode_receipt((i % 5) as u8, true, &[other, deposit_log(i as u64 + 1, 10u128.pow(18))])
		})
		.collect()
}

#[test]
fn event_topics_are_the_vaults_event_signatures() {
	assert_eq!(DEPOSITED_TOPIC.0, keccak_256(b"Deposited(uint64,address,bytes32,uint256,address)"));
	assert_eq!(RATE_REPORTED_TOPIC.0, keccak_256(b"RateReported(address,uint256,uint256)"));
}

#[test]
fn the_receipts_root_is_ethereums() {
	// The trie built here is the one `ordered_trie_root` (what Ethereum clients use) gives.
	let receipts = block(300);
	let (root, _) = trie(&receipts, &[]);
	let expected = alloy_trie::root::ordered_trie_root_with_encoder(&receipts, |r, out| {
		out.extend_from_slice(r)
	});
	assert_eq!(root.0, expected.0);
}

#[test]
fn every_receipt_of_a_block_is_proven_and_decoded() {
	let receipts = block(300);
	// The first, the single-byte keys' edges, the two-byte keys' first and the last.
	let targets = [0, 1, 0x7f, 0x80, 0x81, 255, 256, 299];
	let (root, proofs) = trie(&receipts, &targets);
	for (tx_index, nodes) in targets.iter().zip(&proofs) {
		let log = proven_log(root, &proof(*tx_index, 1, nodes)).unwrap();
		assert_eq!(log, deposit_log(*tx_index as u64 + 1, 10u128.pow(18)));
		let deposit = deposit_of(&log, &VAULT, &header(H256([9; 32]))).unwrap();
		assert_eq!(
			deposit,
			DepositMessage {
				nonce: *tx_index as u64 + 1,
				token: TOKEN,
				depositor: H160::repeat_byte(0xde),
				recipient: [7; 32],
				amount: 10u128.pow(18),
				eth_block_hash: H256([9; 32]),
			}
		);
		// The unrelated log before it is proven too, and is no deposit.
		let other = proven_log(root, &proof(*tx_index, 0, nodes)).unwrap();
		assert_eq!(
			deposit_of(&other, &VAULT, &header(H256::zero())),
			Err(ProofError::WrongEmitter)
		);
	}
}

#[test]
fn a_single_receipt_block_is_proven() {
	let receipts = block(1);
	let (root, proofs) = trie(&receipts, &[0]);
	assert_eq!(proofs[0].len(), 1, "the root is the leaf");
	assert!(proven_log(root, &proof(0, 1, &proofs[0])).is_ok());
}

#[test]
fn single_receipt_blocks_built_here_are_alloy_tries() {
	let message = DepositMessage {
		nonce: 9,
		token: TOKEN,
		depositor: H160::repeat_byte(0xde),
		recipient: [7; 32],
		amount: 5 * 10u128.pow(18),
		eth_block_hash: H256([4; 32]),
	};
	for tx_index in [0u32, 1, 127, 128, 300] {
		let receipt = encode_receipt(2, true, &[encode::deposit_log(&VAULT, &message)]);
		let (root, built) = encode::single_receipt_block(tx_index, 0, &receipt).unwrap();
		let receipts: Vec<Vec<u8>> = vec![receipt];
		// alloy's trie of the same one receipt under the same key has the same root.
		let mut builder = HashBuilder::default();
		builder.add_leaf(Nibbles::unpack(receipt_key(tx_index)), &receipts[0]);
		assert_eq!(H256(builder.root().0), root, "tx {tx_index}");
		let log = proven_log(root, &built).unwrap();
		let block = EthHeader { number: 1, hash: message.eth_block_hash, receipts_root: root };
		assert_eq!(deposit_of(&log, &VAULT, &block), Ok(message));
	}
	let report = RateReport {
		token: TOKEN,
		rate: 1_200_000_000_000_000_000,
		timestamp: 1_700_000_000,
		eth_block_number: 1,
		eth_block_hash: H256([4; 32]),
	};
	let receipt = encode_receipt(0, true, &[encode::rate_log(&VAULT, &report)]);
	let (root, built) = encode::single_receipt_block(3, 0, &receipt).unwrap();
	let block = EthHeader { number: 1, hash: report.eth_block_hash, receipts_root: root };
	assert_eq!(rate_of(&proven_log(root, &built).unwrap(), &VAULT, &block), Ok(report));
	// A leaf longer than a proof node may be is not built.
	let big = EthLog { address: TOKEN, topics: vec![], data: vec![0; MAX_PROOF_NODE_LEN as usize] };
	assert!(encode::single_receipt_block(0, 0, &encode_receipt(2, true, &[big])).is_none());
}

#[test]
fn a_tampered_or_misplaced_proof_is_refused() {
	let receipts = block(200);
	let (root, proofs) = trie(&receipts, &[5, 150]);
	let good = &proofs[0];
	assert_eq!(good.len(), 3, "root branch, branch of keys 0x01..=0x0f, leaf");
	let refused = |nodes: &[Vec<u8>]| proven_log(root, &proof(5, 1, nodes)).unwrap_err();

	// Any byte of any node flipped.
	for (n, node) in good.iter().enumerate() {
		for at in 0..node.len() {
			let mut nodes = good.clone();
			nodes[n][at] ^= 0x01;
			let error = refused(&nodes);
			assert!(
				matches!(
					error,
					ProofError::NotInTrie | ProofError::NotALeaf | ProofError::UnexpectedNode
				),
				"node {n} byte {at}: {error:?}"
			);
		}
	}
	// A node missing, the root missing, the leaf alone.
	assert_eq!(refused(&[good[0].clone(), good[good.len() - 1].clone()]), ProofError::NotInTrie);
	assert_eq!(refused(&good[1..]), ProofError::NotInTrie);
	assert_eq!(refused(&good[good.len() - 1..]), ProofError::NotInTrie);
	// Truncated before the leaf: the last node is a branch.
	assert_eq!(refused(&good[..good.len() - 1]), ProofError::NotALeaf);
	// An extra node after the leaf, or the leaf twice.
	let mut extra = good.clone();
	extra.push(good[good.len() - 1].clone());
	assert_eq!(refused(&extra), ProofError::NotInTrie);
	let mut extra = good.clone();
	extra.push(proofs[1][proofs[1].len() - 1].clone());
	assert_eq!(refused(&extra), ProofError::NotInTrie);
	// No nodes.
	assert_eq!(refused(&[]), ProofError::EmptyProof);
	// Receipt 150's proof offered as receipt 5's (its path is longer than key 5's), and 5's
	// proof under another index.
	assert_eq!(refused(&proofs[1]), ProofError::UnexpectedNode);
	assert_eq!(proven_log(root, &proof(6, 1, good)), Err(ProofError::NotInTrie));
	// Another root: unknown, zero.
	assert_eq!(proven_log(H256([3; 32]), &proof(5, 1, good)), Err(ProofError::NotInTrie));
	assert_eq!(proven_log(H256::zero(), &proof(5, 1, good)), Err(ProofError::ZeroRoot));
	// A log the receipt does not have.
	assert_eq!(proven_log(root, &proof(5, 2, good)), Err(ProofError::NoSuchLog));
}

/// Nodes that hash-chain under a root nobody honest would attest, with paths longer than any
/// receipt key (in one node or together): refused before alloy-trie's walk, which would append
/// the paths unchecked and panic past 64 nibbles. Inline children are refused the same way.
#[test]
fn nodes_no_receipts_trie_has_are_refused_under_any_root() {
	use alloy_trie::{
		nodes::{BranchNode, ExtensionNode, LeafNode, RlpNode, TrieNode},
		TrieMask,
	};
	let receipt = encode_receipt(2, true, &[deposit_log(1, 5)]);
	let encode = |node: TrieNode| rlp(&node);
	let under_branch = |child: &[u8], nibble: u8| {
		let branch = TrieNode::Branch(BranchNode::new(
			vec![RlpNode::from_rlp(child)],
			TrieMask::new(1u16 << nibble),
		));
		let branch = encode(branch);
		(H256(keccak_256(&branch)), branch)
	};
	// tx 5: key 0x05, nibbles [0, 5]; a leaf of 64 nibbles below the root's nibble 0.
	let long =
		encode(TrieNode::Leaf(LeafNode::new(Nibbles::from_nibbles([5u8; 64]), receipt.clone())));
	let (root, branch) = under_branch(&long, 0);
	assert_eq!(proven_log(root, &proof(5, 0, &[branch, long])), Err(ProofError::UnexpectedNode));
	// An extension whose path is longer than the key.
	let leaf = encode(TrieNode::Leaf(LeafNode::new(Nibbles::from_nibbles([5u8]), receipt.clone())));
	let extension = encode(TrieNode::Extension(ExtensionNode::new(
		Nibbles::from_nibbles([0u8; 40]),
		RlpNode::from_rlp(&leaf),
	)));
	let root = H256(keccak_256(&extension));
	assert_eq!(
		proven_log(root, &proof(5, 0, &[extension, leaf.clone()])),
		Err(ProofError::UnexpectedNode)
	);
	// Extensions each within the longest key (10 nibbles: tx u32::MAX) but together past 64
	// nibbles: eight nodes hash-chained under their root.
	let mut chain =
		vec![encode(TrieNode::Leaf(LeafNode::new(Nibbles::from_nibbles([5u8]), receipt.clone())))];
	for _ in 0..7 {
		let child = RlpNode::from_rlp(chain.last().unwrap());
		chain.push(encode(TrieNode::Extension(ExtensionNode::new(
			Nibbles::from_nibbles([0xfu8; 10]),
			child,
		))));
	}
	chain.reverse();
	let root = H256(keccak_256(&chain[0]));
	assert_eq!(proven_log(root, &proof(u32::MAX, 0, &chain)), Err(ProofError::UnexpectedNode));
	// A branch holding an inline (short) child.
	let short = encode(TrieNode::Leaf(LeafNode::new(Nibbles::from_nibbles([5u8]), vec![1])));
	assert!(short.len() < 32);
	let (root, branch) = under_branch(&short, 0);
	assert_eq!(proven_log(root, &proof(5, 0, &[branch, leaf])), Err(ProofError::UnexpectedNode));
}

#[test]
fn a_reverted_transactions_receipt_proves_nothing() {
	let receipts =
		vec![encode_receipt(2, true, &[deposit_log(1, 5)]), encode_receipt(2, false, &[])];
	let (root, proofs) = trie(&receipts, &[0, 1]);
	assert!(proven_log(root, &proof(0, 0, &proofs[0])).is_ok());
	assert_eq!(proven_log(root, &proof(1, 0, &proofs[1])), Err(ProofError::ReceiptFailed));
}

#[test]
fn receipts_are_decoded_strictly() {
	let good = encode_receipt(2, true, &[deposit_log(1, 5)]);
	assert_eq!(decode_receipt(&good).unwrap().1, vec![deposit_log(1, 5)]);
	let malformed = |bytes: &[u8]| decode_receipt(bytes).unwrap_err();

	assert_eq!(malformed(&[]), ProofError::MalformedReceipt);
	// Types 5 to 0x7f (and OP's deposit type) are unknown; 0 is not a typed receipt.
	assert_eq!(malformed(&[[5u8].as_slice(), &good[1..]].concat()), ProofError::UnknownReceiptType);
	assert_eq!(
		malformed(&[[0x7eu8].as_slice(), &good[1..]].concat()),
		ProofError::UnknownReceiptType
	);
	assert_eq!(malformed(&[[0u8].as_slice(), &good[1..]].concat()), ProofError::UnknownReceiptType);
	// Trailing bytes, truncation.
	assert_eq!(malformed(&[good.clone(), vec![0]].concat()), ProofError::MalformedReceipt);
	assert_eq!(malformed(&good[..good.len() - 1]), ProofError::MalformedReceipt);
	// A pre-Byzantium state root where the status should be.
	let logs = rlp_list(&[]);
	let with_root = rlp_list(&[rlp(&[5u8; 32]), rlp(&1u64), rlp(&[0u8; 256]), logs.clone()]);
	assert_eq!(malformed(&with_root), ProofError::MalformedReceipt);
	// A status other than 0 or 1, a short bloom, a fifth field.
	let status_2 = rlp_list(&[rlp(&2u8), rlp(&1u64), rlp(&[0u8; 256]), logs.clone()]);
	assert_eq!(malformed(&status_2), ProofError::MalformedReceipt);
	let short_bloom = rlp_list(&[rlp(&true), rlp(&1u64), rlp(&[0u8; 255]), logs.clone()]);
	assert_eq!(malformed(&short_bloom), ProofError::MalformedReceipt);
	let fifth = rlp_list(&[rlp(&true), rlp(&1u64), rlp(&[0u8; 256]), logs, rlp(&1u8)]);
	assert_eq!(malformed(&fifth), ProofError::MalformedReceipt);
	// A log with five topics, or with something after its data.
	let mut five = deposit_log(1, 5);
	five.topics.push(H256::zero());
	assert_eq!(malformed(&encode_receipt(2, true, &[five])), ProofError::MalformedReceipt);
	let log = rlp_list(&[rlp(&VAULT.0), rlp_list(&[]), rlp(&[1u8, 2][..]), rlp(&1u8)]);
	let body = rlp_list(&[rlp(&true), rlp(&1u64), rlp(&[0u8; 256]), rlp_list(&[log])]);
	assert_eq!(malformed(&body), ProofError::MalformedReceipt);
}

#[test]
fn only_the_vaults_deposited_event_with_clean_words_is_a_deposit() {
	let good = deposit_log(3, 7);
	let hash = &header(H256([9; 32]));
	assert_eq!(deposit_of(&good, &VAULT, hash).unwrap().amount, 7);
	let refused = |log: EthLog| deposit_of(&log, &VAULT, hash).unwrap_err();

	assert_eq!(refused(EthLog { address: TOKEN, ..good.clone() }), ProofError::WrongEmitter);
	// A rate report offered as a deposit, and no topics at all.
	assert_eq!(refused(rate_log(1, 1)), ProofError::WrongEvent);
	assert_eq!(refused(EthLog { topics: vec![], ..good.clone() }), ProofError::WrongEvent);
	// Topics and data of the wrong shape.
	let mut three = good.clone();
	three.topics.pop();
	assert_eq!(refused(three), ProofError::MalformedEvent);
	for len in [0, 32, 63, 65, 96] {
		let log = EthLog { data: vec![0; len], ..good.clone() };
		assert_eq!(refused(log), ProofError::MalformedEvent, "{len} bytes of data");
	}
	// Dirty padding in the nonce, the token, the depositor.
	let mut nonce = good.clone();
	nonce.topics[1].0[0] = 1;
	assert_eq!(refused(nonce), ProofError::NonZeroPadding);
	let mut token = good.clone();
	token.topics[2].0[11] = 1;
	assert_eq!(refused(token), ProofError::NonZeroPadding);
	let mut depositor = good.clone();
	depositor.data[32] = 1;
	assert_eq!(refused(depositor), ProofError::NonZeroPadding);
	// An amount of 2^128 or more.
	let mut amount = good.clone();
	amount.data[15] = 1;
	assert_eq!(refused(amount), ProofError::ValueTooLarge);
	let mut max = good;
	max.data[16..32].copy_from_slice(&[0xff; 16]);
	assert_eq!(deposit_of(&max, &VAULT, hash).unwrap().amount, u128::MAX);
}

#[test]
fn only_the_vaults_rate_reported_event_is_a_rate() {
	let header = header(H256([9; 32]));
	let report = rate_of(&rate_log(1_050_000_000_000_000_000, 1_700_000_000), &VAULT, &header);
	assert_eq!(
		report,
		Ok(RateReport {
			token: TOKEN,
			rate: 1_050_000_000_000_000_000,
			timestamp: 1_700_000_000,
			eth_block_number: 42,
			eth_block_hash: H256([9; 32]),
		})
	);
	assert_eq!(rate_of(&deposit_log(1, 1), &VAULT, &header), Err(ProofError::WrongEvent));
	let mut late = rate_log(1, 1);
	late.data[32] = 1;
	assert_eq!(rate_of(&late, &VAULT, &header), Err(ProofError::ValueTooLarge));
	let mut rate = rate_log(1, 1);
	rate.data[0] = 1;
	assert_eq!(rate_of(&rate, &VAULT, &header), Err(ProofError::ValueTooLarge));
	let mut extra = rate_log(1, 1);
	extra.topics.push(H256::zero());
	assert_eq!(rate_of(&extra, &VAULT, &header), Err(ProofError::MalformedEvent));
}

#[test]
fn oversized_evidence_does_not_decode() {
	use codec::Decode;
	let node = |len: usize| vec![0u8; len];
	let encode = |nodes: Vec<Vec<u8>>| (0u32, 0u32, nodes).encode();
	let fits = encode(vec![node(MAX_PROOF_NODE_LEN as usize); MAX_PROOF_NODES as usize]);
	assert!(ReceiptProof::decode(&mut &fits[..]).is_ok());
	let long = encode(vec![node(MAX_PROOF_NODE_LEN as usize + 1)]);
	assert!(ReceiptProof::decode(&mut &long[..]).is_err());
	let many = encode(vec![node(1); MAX_PROOF_NODES as usize + 1]);
	assert!(ReceiptProof::decode(&mut &many[..]).is_err());
}

#[test]
fn header_digests_bind_every_field() {
	let domain = BridgeDomain { chain_id: 1, vault: VAULT, kasane_genesis: H256([4; 32]) };
	let header = EthHeader { number: 7, hash: H256([1; 32]), receipts_root: H256([2; 32]) };
	let digest = domain.header_digest(&header);
	let others = [
		domain.header_digest(&EthHeader { number: 8, ..header }),
		domain.header_digest(&EthHeader { hash: H256([3; 32]), ..header }),
		domain.header_digest(&EthHeader { receipts_root: H256([3; 32]), ..header }),
		BridgeDomain { chain_id: 2, ..domain }.header_digest(&header),
		BridgeDomain { vault: TOKEN, ..domain }.header_digest(&header),
		BridgeDomain { kasane_genesis: H256([5; 32]), ..domain }.header_digest(&header),
	];
	assert!(others.iter().all(|other| *other != digest));
	// abi.encode of seven words.
	let words = [
		keccak_256(HEADER_TAG),
		uint_word(1),
		address_word(&VAULT),
		[4; 32],
		uint_word(7),
		[1; 32],
		[2; 32],
	]
	.concat();
	assert_eq!(digest, keccak_256(&words));
}

/// Proofs from Ethereum mainnet (receipt 5 of a block with root `fd5e…`, a WETH/Uniswap swap,
/// and receipt 263 of a block with root `d128…`, a USDT transfer, behind a short intermediate
/// node), as Snowbridge's verification tests use them.
mod mainnet {
	use super::*;

	const ROOT_5: H256 =
		H256(hex!("fd5e397a84884641f53c496804f24b5276cbb8c5c9cfc2342246be8e3ce5ad02"));
	const ROOT_263: H256 =
		H256(hex!("d128e3a57142d2bf15bc0cbcac7ad54f40750d571b5c3097e425882c10c9ba66"));

	fn receipt_5() -> Vec<Vec<u8>> {
		vec![
			hex!("f90131a0b5ba404eb5a6a88e56579f4d37ef9813b5ad7f86f0823ff3b407ac5a6bb465eca0398ead2655e78e03c127ce22c5830e90f18b1601ec055f938336c084feb915a9a026d322c26e46c50942c1aabde50e36df5cde572aed650ce73ea3182c6e90a02ca00600a356135f4db1db0d9842264cdff2652676f881669e91e316c0b6dd783011a0837f1deb4075336da320388c1edfffc56c448a43f4a5ba031300d32a7b509fc5a01c3ac82fd65b4aba7f9afaf604d9c82ec7e2deb573a091ae235751bc5c0c288da05d454159d9071b0f68b6e0503d290f23ac7602c1db0c569dee4605d8f5298f09a00bbed10350ec954448df795f6fd46e3faefc800ede061b3840eedc6e2b07a74da0acb02d26a3650f2064c14a435fdf1f668d8655daf455ebdf671713a7c089b3898080808080808080").to_vec(),
			hex!("f901f180a00046a08d4f0bdbdc6b31903086ce323182bce6725e7d9415f7ff91ee8f4820bda0e7cd26ad5f3d2771e4b5ab788e268a14a10209f94ee918eb6c829d21d3d11c1da00d4a56d9e9a6751874fd86c7e3cb1c6ad5a848da62751325f478978a00ea966ea064b81920c8f04a8a1e21f53a8280e739fbb7b00b2ab92493ca3f610b70e8ac85a0b1040ed4c55a73178b76abb16f946ce5bebd6b93ab873c83327df54047d12c27a0de6485e9ac58dc6e2b04b4bb38f562684f0b1a2ee586cc11079e7d9a9dc40b32a0d394f4d3532c3124a65fa36e69147e04fd20453a72ee9c50660f17e13ce9df48a066501003fc3e3478efd2803cd0eded6bbe9243ca01ba754d6327071ddbcbc649a0b2684e518f325fee39fc8ea81b68f3f5c785be00d087f3bed8857ae2ee8da26ea071060a5c52042e8d7ce21092f8ecf06053beb9a0b773a6f91a30c4220aa276b2a0fc22436632574ccf6043d0986dede27ea94c9ca9a3bb5ec03ce776a4ddef24a9a05a8a1d6698c4e7d8cc3a2506cb9b12ea9a079c9c7099bc919dc804033cc556e4a0170c468b0716fd36d161f0bf05875f15756a2976de92f9efe7716320509d79c9a0182f909a90cab169f3efb62387f9cccdd61440acc4deec42f68a4f7ca58075c7a055cf0e9202ac75689b76318f1171f3a44465eddc06aae0713bfb6b34fdd27b7980").to_vec(),
			hex!("f904de20b904daf904d701830652f0b9010004200000000000000000000080020000000000010000000000010000000000000000000000000000000000000000000002000000080000000000000000200000000000000000000000000008000000220000000000400010000000000000000000000000000000000000000000000000000000000000040000000010000100000000000800000000004000000000000000000000000000080000004000000000020000000000020000000000000000000000000000000000000000000004000000000002000000000100000000000000000000000000001000000002000020000010200000000000010000000000000000000000000000000000000010000000f903ccf89b9421130f34829b4c343142047a28ce96ec07814b15f863a0ddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3efa00000000000000000000000007d843005c7433c16b27ff939cb37471541561ebda0000000000000000000000000e9c1281aae66801fa35ec404d5f2aea393ff6988a000000000000000000000000000000000000000000000000000000005d09b7380f89b9421130f34829b4c343142047a28ce96ec07814b15f863a08c5be1e5ebec7d5bd14f71427d1e84f3dd0314c0f7b2291e5b200ac8c7c3b925a00000000000000000000000007d843005c7433c16b27ff939cb37471541561ebda00000000000000000000000007a250d5630b4cf539739df2c5dacb4c659f2488da0ffffffffffffffffffffffffffffffffffffffffffffffffffffffcc840c6920f89b94c02aaa39b223fe8d0a0e5c4f27ead9083c756cc2f863a0ddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3efa0000000000000000000000000e9c1281aae66801fa35ec404d5f2aea393ff6988a00000000000000000000000007a250d5630b4cf539739df2c5dacb4c659f2488da000000000000000000000000000000000000000000000000003e973b5a5d1078ef87994e9c1281aae66801fa35ec404d5f2aea393ff6988e1a01c411e9a96e071241c2f21f7726b17ae89e3cab4c78be50e062b03a9fffbbad1b840000000000000000000000000000000000000000000000000000001f1420ad1d40000000000000000000000000000000000000000000000014ad400879d159a38f8fc94e9c1281aae66801fa35ec404d5f2aea393ff6988f863a0d78ad95fa46c994b6551d0da85fc275fe613ce37657fb8d5e3d130840159d822a00000000000000000000000007a250d5630b4cf539739df2c5dacb4c659f2488da00000000000000000000000007a250d5630b4cf539739df2c5dacb4c659f2488db88000000000000000000000000000000000000000000000000000000005d415f3320000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000003e973b5a5d1078ef87a94c02aaa39b223fe8d0a0e5c4f27ead9083c756cc2f842a07fcf532c15f0a6db0bd6d0e038bea71d30d808c7d98cb3bf7268a95bf5081b65a00000000000000000000000007a250d5630b4cf539739df2c5dacb4c659f2488da000000000000000000000000000000000000000000000000003e973b5a5d1078e").to_vec(),
		]
	}

	fn receipt_263() -> Vec<Vec<u8>> {
		vec![
			hex!("f90131a00d3cb8d3f57ac1c0e12918a2ebe0cafed8c273577b9dd73e7ed1079b403ef494a0678b9835b834f8a287c0dd33a8fca9146e456ca688555ed4ec1361a2180b778da0fe42da181a46677a043b3d9d4b8bb05a6a17b7b5c010c17e7c1d31cfb7c4f911a0c89f0e2c53241cdb578e1f2b4caf6ba36e00500bdc57fecd66b84a6a58394c19a086c3c1fae5a0575940b5d38e111c469d07883106c26856f3ef608469a2081f13a06c5992ff00aab6226a70a032fd2f571ba22f797321f45e2daa73020d638d21b0a050861e9503ef68728f6c90a44f7fe1bceb2a9bdab6957bbe7136166bd849561ea006aa6eaca8a07e57176e9aa41e6a09edfb7678d1a112404e0ec779d7e567e82ea0bb0b430d303ba21b0af11c487b8a218bd75db54c98940b3f11bad8ff47cad3ef8080808080808080").to_vec(),
			hex!("f871a0246de222036ee6a03329b0105da0a6b3f916fc95a9ed5a403a581a0c4d74242ca0ac108a49a88b57a05ac34a108b39f1e45f6f167f2b9fbc8d52fb58e2e5a6af1ea0fcfe07ac2ccd3c28b6eab68d1bce112f6f6dbd9023e4ec3c05b96615aa803d798080808080808080808080808080").to_vec(),
			hex!("e4820001a04fff54398cad4d05ea6abfd8b0f3b4fe14c04d7ff5f5211c5b927d9cf72ac1d8").to_vec(),
			hex!("f851a096d010643ca2d47412ca66898286b5f2412963b9ec051b33e570d575914c9c5ca028cd24c652989542fe89479ec6388eac4592432242af5ba97563b3ac7c71c019808080808080808080808080808080").to_vec(),
			hex!("f90211a0bb35a84c5b1dcb78ec9d32614912c696e62df77bebf9ab326ee55b5d3acdde46a01084b30dac8df0accfcd0fd6330b7f6fc72a4651246d0694be9162151686a620a03eed50afdce7909d784c6157c445a444c806b5f23d31f3b63786f600c84a95b2a0af5232f1df6c6d41879804d081abe867002abe26ba3e5f8e0254a83a54769831a0607915fb13dd5da594256389a45007a67a7f7a86e95d38d8462792b6c98a722ea00e1260fda1730f2738c650ce2bfba83857bc10f8fb119ebc4fb39acba24e6fbaa0d11de17e417327457812675ca3b84ae8e1b64827abfe01420953697c8313d5b1a05fcaf2f7a88f76336a0c32ffc78acb87ae2005454bd25d658035331be3173b46a03f94f4952ab9e650f83cfd0e7f367b1bcc493aacf39a06f16c4a2e1b5605da48a0bdb4ec79785ca8ae22d60f1bbd42d707b4d7ec4aff231a3ebab755e315b35053a043a67c3f2bcef37c8f47a673adcb7061007a553696d1092408601c11b2e6846aa0c519d5af48cae87c7f4538845417c9735813bee892a6fe2dda79f5c414e8576aa0f7058256e09589501d7c231d739e61c84a850e139690989d24fda6058b432e98a081a52faab520978cb19ce14400dba0cd5bcdc4e5a3c0740678aa8f97ee0e5c56a0bcecc61cadeae52518e3b68a48af4b11603dfd9d99d99d7985efa6d2de44f904a02cba4accfc6f39bc5adb6d4440eb6358b4a5103ef93298e4e694f1f940f8b48280").to_vec(),
			hex!("f901ae20b901aaf901a70183bb444eb9010000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000010000000000000001000000000000000000000000000100000000000008000000000000000000000000000000000000000000000000000000000000000000000000000000000200000000000010000000000000000000000000000000000000000000000000000000000000000000100000000000000000000000000080000000000000000000000000000000000000000000000002000000000000000000081000000000000000000000000000000000000000400000000000000000000000000000000000000000000000000000000000f89df89b94dac17f958d2ee523a2206206994597c13d831ec7f863a0ddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3efa00000000000000000000000002e514404ff6823f1b46a8318a709251db414e5e1a000000000000000000000000055021c55847c00d764357a352e5803237d328954a0000000000000000000000000000000000000000000000000000000000201c370").to_vec(),
		]
	}

	const TRANSFER: H256 =
		H256(hex!("ddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef"));

	#[test]
	fn mainnet_receipt_proofs_verify_and_decode() {
		let weth_transfer = proven_log(ROOT_5, &proof(5, 2, &receipt_5())).unwrap();
		assert_eq!(weth_transfer.address.0, hex!("c02aaa39b223fe8d0a0e5c4f27ead9083c756cc2"));
		assert_eq!(weth_transfer.topics[0], TRANSFER);
		assert_eq!(proven_log(ROOT_5, &proof(5, 6, &receipt_5())), Err(ProofError::NoSuchLog));

		let usdt = proven_log(ROOT_263, &proof(263, 0, &receipt_263())).unwrap();
		assert_eq!(usdt.address.0, hex!("dac17f958d2ee523a2206206994597c13d831ec7"));
		assert_eq!(
			usdt.topics,
			vec![
				TRANSFER,
				H256(hex!("0000000000000000000000002e514404ff6823f1b46a8318a709251db414e5e1")),
				H256(hex!("00000000000000000000000055021c55847c00d764357a352e5803237d328954")),
			]
		);
		assert_eq!(usdt.data, uint_word(0x0201_c370).to_vec());
		// Neither is a vault event.
		assert_eq!(deposit_of(&usdt, &VAULT, &header(H256::zero())), Err(ProofError::WrongEmitter));
	}

	#[test]
	fn mainnet_proofs_missing_a_node_or_misplaced_are_refused() {
		let p = receipt_5();
		let refused = |nodes: &[Vec<u8>]| proven_log(ROOT_5, &proof(5, 0, nodes)).unwrap_err();
		assert_eq!(refused(&[p[0].clone(), p[2].clone()]), ProofError::NotInTrie);
		assert_eq!(refused(&[p[0].clone(), p[1].clone()]), ProofError::NotALeaf);
		assert_eq!(refused(&[p[0].clone()]), ProofError::NotALeaf);
		assert_eq!(refused(&[p[2][2..].to_vec()]), ProofError::NotALeaf);
		assert_eq!(refused(&[p[2].clone(), p[2].clone()]), ProofError::NotInTrie);
		assert_eq!(proven_log(ROOT_263, &proof(5, 0, &p)), Err(ProofError::NotInTrie));
		assert_eq!(proven_log(ROOT_5, &proof(4, 0, &p)), Err(ProofError::NotInTrie));
	}
}

proptest! {
	#![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

	/// Random blocks: receipts of random types, statuses and logs; every target's proof is
	/// accepted exactly when its receipt succeeded, and returns its logs.
	#[test]
	fn random_blocks_prove_their_receipts(
		receipts in prop::collection::vec(
			(0u8..5, any::<bool>(), prop::collection::vec(
				(any::<[u8; 20]>(), prop::collection::vec(any::<[u8; 32]>(), 0..5),
				 prop::collection::vec(any::<u8>(), 0..100)),
				0..4,
			)),
			1..400,
		),
		picks in prop::collection::vec(any::<prop::sample::Index>(), 1..6),
	) {
		let receipts: Vec<(u8, bool, Vec<EthLog>)> = receipts
			.into_iter()
			.map(|(kind, ok, logs)| {
				let logs = logs
					.into_iter()
					.map(|(a, t, d)| EthLog {
						address: H160(a),
						topics: t.into_iter().map(H256).collect(),
						data: d,
					})
					.collect();
				(kind, ok, logs)
			})
			.collect();
		let encoded: Vec<Vec<u8>> =
			receipts.iter().map(|(k, ok, logs)| encode_receipt(*k, *ok, logs)).collect();
		let targets: Vec<u32> = picks.iter().map(|p| p.index(receipts.len()) as u32).collect();
		let (root, proofs) = trie(&encoded, &targets);
		for (target, nodes) in targets.iter().zip(&proofs) {
			let (_, succeeded, logs) = &receipts[*target as usize];
			prop_assert_eq!(decode_receipt(&encoded[*target as usize]).unwrap(), (*succeeded, logs.clone()));
			for log_index in 0..=logs.len() {
				let result = proven_log(root, &proof(*target, log_index as u32, nodes));
				let expected = if !succeeded {
					Err(ProofError::ReceiptFailed)
				} else {
					logs.get(log_index).cloned().ok_or(ProofError::NoSuchLog)
				};
				prop_assert_eq!(result, expected);
			}
		}
	}

	/// Bytes from anyone never make decoding panic.
	#[test]
	fn arbitrary_bytes_never_panic(
		bytes in prop::collection::vec(any::<u8>(), 0..2_000),
		nodes in prop::collection::vec(prop::collection::vec(any::<u8>(), 0..600), 0..8),
		tx_index in any::<u32>(),
		root in any::<[u8; 32]>(),
	) {
		let _ = decode_receipt(&bytes);
		let _ = proven_log(H256(root), &proof(tx_index, 0, &nodes));
		let log = EthLog { address: VAULT, topics: vec![DEPOSITED_TOPIC; 4], data: bytes.clone() };
		let _ = deposit_of(&log, &VAULT, &header(H256(root)));
	}

	/// A valid proof with one byte changed anywhere, or cut anywhere, is refused, never
	/// accepted as another receipt.
	#[test]
	fn mutated_proofs_are_refused(
		count in 2u32..300,
		pick in any::<prop::sample::Index>(),
		node in any::<prop::sample::Index>(),
		at in any::<prop::sample::Index>(),
		flip in 1u8..=255,
		cut in any::<bool>(),
	) {
		let receipts = block(count);
		let target = pick.index(count as usize) as u32;
		let (root, proofs) = trie(&receipts, &[target]);
		let mut nodes = proofs[0].clone();
		let n = node.index(nodes.len());
		let i = at.index(nodes[n].len());
		if cut {
			nodes[n].truncate(i);
		} else {
			nodes[n][i] ^= flip;
		}
		prop_assert!(proven_log(root, &proof(target, 1, &nodes)).is_err());
	}
}

/// The fuzz harness ([`fuzzing::receipt_evidence`]) on its seeds, on the corpus libFuzzer grew
/// and the repository keeps (`primitives/fuzz/corpus`), and on byte-level mutations of both:
/// flips, insertions, deletions, cuts and splices, from a fixed seed so that a failure replays.
#[test]
fn the_fuzz_harness_holds_over_its_corpus_and_mutations() {
	let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/receipt_evidence");
	let mut inputs = fuzzing::seeds();
	let kept = inputs.len();
	// In name order: the same inputs, hence the same mutations, on every machine.
	let mut files: Vec<_> = std::fs::read_dir(&dir)
		.expect("the kept corpus")
		.map(|entry| entry.expect("a corpus entry").path())
		.collect();
	files.sort();
	for file in files {
		inputs.push(std::fs::read(file).expect("a corpus file"));
	}
	assert!(inputs.len() > kept, "no corpus in {dir:?}");
	// A failing input is printed in hex: `xxd -r -p` makes it a file the fuzz target replays
	// (`cargo fuzz run … FILE`, as `scripts/fuzz.sh` says).
	let run = |input: &[u8]| {
		let failed = std::panic::catch_unwind(|| fuzzing::receipt_evidence(input)).is_err();
		assert!(
			!failed,
			"the fuzz harness failed on {}",
			input.iter().map(|b| format!("{b:02x}")).collect::<String>()
		);
	};
	let mut state = 0x9e37_79b9_7f4a_7c15u64;
	let mut next = move |bound: usize| {
		state ^= state << 13;
		state ^= state >> 7;
		state ^= state << 17;
		(state % bound.max(1) as u64) as usize
	};
	for input in &inputs {
		run(input);
	}
	for _ in 0..20_000 {
		let mut input = inputs[next(inputs.len())].clone();
		for _ in 0..=next(4) {
			let at = next(input.len() + 1);
			match next(5) {
				0 if at < input.len() => input[at] ^= 1 << next(8),
				1 => input.insert(at, next(256) as u8),
				2 if at < input.len() => drop(input.remove(at)),
				3 => input.truncate(at),
				_ => {
					let other = &inputs[next(inputs.len())];
					let from = next(other.len() + 1);
					input.splice(at.., other[from..].iter().copied());
				}
			}
		}
		run(&input);
	}
}
