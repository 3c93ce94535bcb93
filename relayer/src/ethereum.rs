//! The Ethereum side: `KasaneVault` logs below the confirmation depth, releases, and the
//! attester's signatures.

use crate::{within, READ_TIMEOUT, SUBMIT_TIMEOUT};
use alloy::{
	primitives::{Address, B256, U256},
	providers::{DynProvider, Provider, ProviderBuilder},
	rpc::types::{Filter, Log},
	signers::{local::PrivateKeySigner, SignerSync},
	sol,
	sol_types::SolEvent,
};
use anyhow::{anyhow, Context, Result};
use kasane_primitives::bridge::{
	proof::{receipt_key, EthHeader, ProofNode, ReceiptProof},
	DepositMessage, EthSignature, RateReport, ReleaseMessage, ReleaseReceipt, RotationView,
};
use sp_core::{H160, H256};

sol! {
	#[sol(rpc)]
	contract KasaneVault {
		struct Withdrawal {
			uint64 nonce;
			address token;
			address recipient;
			uint256 amount;
		}

		event Deposited(uint64 indexed nonce, address indexed token, bytes32 indexed recipient, uint256 amount, address depositor);
		event RateReported(address indexed token, uint256 rate, uint256 timestamp);
		event Released(uint64 indexed nonce, address indexed token, address indexed recipient, uint256 amount, bytes32 beneficiary);

		function released(uint64 nonce) external view returns (bool);
		function paused() external view returns (bool);
		function attesterSetId() external view returns (uint256);
		function release(Withdrawal calldata w, bytes[] calldata signatures, bytes32 beneficiary) external;
		function queueRotation(address[] calldata next, uint256 nextQuorum, bytes[] calldata signatures) external;
		function executeRotation(address[] calldata next, uint256 nextQuorum) external;
		function pendingRotation() external view returns (bytes32 hash, uint256 eta);
	}
}

/// An attester key: signs digests as `r ‖ s ‖ v` with `v` 27 or 28 and low `s` (RFC 6979,
/// deterministic: the same digest always gets the same signature).
#[derive(Clone)]
pub struct Attester(PrivateKeySigner);

impl Attester {
	pub fn from_hex(key: &str) -> Result<Self> {
		Ok(Self(key.trim().parse().context("attester key: 32-byte hex")?))
	}

	pub fn address(&self) -> H160 {
		H160(self.0.address().0 .0)
	}

	pub fn sign(&self, digest: &[u8; 32]) -> Result<EthSignature> {
		let sig = self.0.sign_hash_sync(&B256::from(*digest))?;
		Ok(EthSignature(sig.as_bytes()))
	}
}

/// What the vault emitted, in block order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VaultEvent {
	Deposit(DepositMessage),
	Rate(RateReport),
	Released(ReleaseReceipt),
}

/// The root of the receipts trie of `receipts` (EIP-2718 encoded, in transaction order) and the
/// nodes proving receipt `target`.
pub fn receipts_trie(receipts: &[Vec<u8>], target: usize) -> (H256, Vec<Vec<u8>>) {
	use alloy::trie::{proof::ProofRetainer, root::adjust_index_for_rlp, HashBuilder, Nibbles};
	let key = Nibbles::unpack(receipt_key(target as u32));
	let mut builder = HashBuilder::default().with_proof_retainer(ProofRetainer::new(vec![key]));
	// Leaves in key order: rlp(0) = 0x80 sorts after rlp(1..=127).
	for i in 0..receipts.len() {
		let index = adjust_index_for_rlp(i, receipts.len());
		builder.add_leaf(Nibbles::unpack(receipt_key(index as u32)), &receipts[index]);
	}
	let root = H256(builder.root().0);
	let nodes = builder
		.take_proof_nodes()
		.matching_nodes_sorted(&key)
		.into_iter()
		.map(|(_, node)| node.to_vec())
		.collect();
	(root, nodes)
}

/// Cheap to clone: the clones share one connection.
#[derive(Clone)]
pub struct Ethereum {
	provider: DynProvider,
	vault: Address,
}

fn u128_of(value: U256, what: &str) -> Result<u128> {
	u128::try_from(value).map_err(|_| anyhow!("{what} {value} does not fit in 128 bits"))
}

/// The client and parsed URL of Ethereum RPC endpoint `url` (`http://` or `https://`).
fn endpoint(url: &str) -> Result<(reqwest::Client, reqwest::Url)> {
	Ok((crate::http_client(Default::default())?, url.parse().context("ethereum RPC URL")?))
}

impl Ethereum {
	/// Connects (lazily: the first request reaches the node) with `sender` paying for
	/// transactions.
	pub fn connect(url: &str, vault: Address, sender: &str) -> Result<Self> {
		let sender: PrivateKeySigner = sender.trim().parse().context("sender key: 32-byte hex")?;
		let (http_client, url) = endpoint(url)?;
		// The nonce is read from the node for every transaction: a cached one is taken even
		// when gas estimation then fails (a release that would revert), leaving a gap that
		// holds every later transaction out of blocks.
		let provider = ProviderBuilder::new()
			.disable_recommended_fillers()
			.with_gas_estimation()
			.with_simple_nonce_management()
			.fetch_chain_id()
			.wallet(sender)
			.connect_reqwest(http_client, url)
			.erased();
		Ok(Self { provider, vault })
	}

	/// Connects for reading only (the vault's logs, headers and receipts): a prover that sends
	/// nothing to Ethereum needs no key.
	pub fn reader(url: &str, vault: [u8; 20]) -> Result<Self> {
		let (http_client, url) = endpoint(url)?;
		let provider = ProviderBuilder::new().connect_reqwest(http_client, url).erased();
		Ok(Self { provider, vault: Address::from(vault) })
	}

	/// The block of the vault's `Deposited` event with `nonce` in blocks `from..=to` (the
	/// lowest, should a reorganisation have left it twice), searched 10 000 blocks at a time.
	pub async fn deposit_block(&self, nonce: u64, from: u64, to: u64) -> Result<Option<u64>> {
		const SPAN: u64 = 10_000;
		if from > to {
			return Ok(None);
		}
		let mut start = from;
		loop {
			let end = start.saturating_add(SPAN - 1).min(to);
			let filter = Filter::new()
				.address(self.vault)
				.from_block(start)
				.to_block(end)
				.event_signature(KasaneVault::Deposited::SIGNATURE_HASH)
				.topic1(U256::from(nonce));
			let logs = within("eth_getLogs", READ_TIMEOUT, async {
				Ok(self.provider.get_logs(&filter).await?)
			})
			.await?;
			if let Some(block) = logs.iter().filter_map(|l| l.block_number).min() {
				return Ok(Some(block));
			}
			// Stops at `to` even when it is the largest number (a node's claimed head).
			if end == to {
				return Ok(None);
			}
			start = end + 1;
		}
	}

	pub async fn head(&self) -> Result<u64> {
		within("eth_blockNumber", READ_TIMEOUT, async {
			Ok(self.provider.get_block_number().await?)
		})
		.await
	}

	/// The vault's events in blocks `from..=to`, each with its block number.
	pub async fn events(&self, from: u64, to: u64) -> Result<Vec<(u64, VaultEvent)>> {
		let filter =
			Filter::new().address(self.vault).from_block(from).to_block(to).event_signature(vec![
				KasaneVault::Deposited::SIGNATURE_HASH,
				KasaneVault::RateReported::SIGNATURE_HASH,
				KasaneVault::Released::SIGNATURE_HASH,
			]);
		let mut logs = within("eth_getLogs", READ_TIMEOUT, async {
			Ok(self.provider.get_logs(&filter).await?)
		})
		.await?;
		logs.sort_by_key(|l| (l.block_number, l.log_index));
		logs.iter()
			.map(|log| {
				let block = log.block_number.ok_or_else(|| anyhow!("log without block number"))?;
				Ok((block, Self::decode(log)?))
			})
			.collect()
	}

	/// Deposit `nonce` as it stands in block `block` now.
	pub async fn deposit_at(&self, block: u64, nonce: u64) -> Result<Option<DepositMessage>> {
		Ok(self.events(block, block).await?.into_iter().find_map(|(_, e)| match e {
			VaultEvent::Deposit(d) if d.nonce == nonce => Some(d),
			_ => None,
		}))
	}

	/// The number of the latest `finalized` block: only its events (and its ancestors') are
	/// relayed when proofs carry them, so nothing relayed can be reorganised away.
	pub async fn finalized(&self) -> Result<u64> {
		within("eth_getBlockByNumber(finalized)", READ_TIMEOUT, async {
			let block = self
				.provider
				.get_block_by_number(alloy::eips::BlockNumberOrTag::Finalized)
				.await?
				.ok_or_else(|| anyhow!("no finalized block"))?;
			Ok(block.header.number)
		})
		.await
	}

	/// Block `number`'s header as attesters sign it.
	pub async fn header(&self, number: u64) -> Result<EthHeader> {
		let header = self.block_header(number).await?;
		Ok(EthHeader {
			number,
			hash: H256(header.hash.0),
			receipts_root: H256(header.receipts_root.0),
		})
	}

	/// Block `number`'s timestamp: the slot of the beacon block carrying it follows from it.
	pub async fn timestamp(&self, number: u64) -> Result<u64> {
		Ok(self.block_header(number).await?.timestamp)
	}

	async fn block_header(&self, number: u64) -> Result<alloy::rpc::types::Header> {
		within("eth_getBlockByNumber", READ_TIMEOUT, async {
			let block = self
				.provider
				.get_block_by_number(number.into())
				.await?
				.ok_or_else(|| anyhow!("no block {number}"))?;
			Ok(block.header)
		})
		.await
	}

	/// The proof, under `header`'s receipts root, of the vault's log in that block that
	/// `wanted` picks; `None` if the block has no such log now. The block's receipts trie is
	/// rebuilt from `eth_getBlockReceipts` and its root checked against the header's, so a
	/// node serving other receipts than the block's is caught here rather than on Kasane.
	pub async fn proof_of(
		&self,
		header: &EthHeader,
		wanted: impl Fn(&VaultEvent) -> bool,
	) -> Result<Option<ReceiptProof>> {
		let filter = Filter::new().address(self.vault).at_block_hash(B256::from(header.hash.0));
		let logs = within("eth_getLogs", READ_TIMEOUT, async {
			Ok(self.provider.get_logs(&filter).await?)
		})
		.await?;
		let Some(log) = logs.iter().find(|l| Self::decode(l).is_ok_and(|e| wanted(&e))) else {
			return Ok(None);
		};
		let tx_index = log.transaction_index.ok_or_else(|| anyhow!("log without tx index"))?;
		let block_log_index = log.log_index.ok_or_else(|| anyhow!("log without log index"))?;
		let receipts = within("eth_getBlockReceipts", READ_TIMEOUT, async {
			self.provider
				.get_block_receipts(alloy::eips::BlockId::hash(B256::from(header.hash.0)))
				.await?
				.ok_or_else(|| anyhow!("no receipts for block {}", header.number))
		})
		.await?;
		let receipt = receipts
			.get(tx_index as usize)
			.ok_or_else(|| anyhow!("block {} has no receipt {tx_index}", header.number))?;
		let log_index = receipt
			.inner
			.logs()
			.iter()
			.position(|l| l.log_index == Some(block_log_index))
			.ok_or_else(|| anyhow!("the log is not in its transaction's receipt"))?;
		let encoded: Vec<Vec<u8>> = receipts
			.iter()
			.map(|r| {
				use alloy::eips::Encodable2718;
				r.inner.clone().into_primitives_receipt().encoded_2718()
			})
			.collect();
		let (root, nodes) = receipts_trie(&encoded, tx_index as usize);
		if root != header.receipts_root {
			return Err(anyhow!(
				"the receipts served for block {} have root {root:?}, not the header's {:?}",
				header.number,
				header.receipts_root
			));
		}
		let nodes: Vec<ProofNode> = nodes
			.into_iter()
			.map(|n| ProofNode::try_from(n).map_err(|_| anyhow!("a proof node over the bound")))
			.collect::<Result<_>>()?;
		Ok(Some(ReceiptProof {
			tx_index: u32::try_from(tx_index)?,
			log_index: u32::try_from(log_index)?,
			nodes: nodes.try_into().map_err(|_| anyhow!("a proof longer than the bound"))?,
		}))
	}

	/// The vault's `attesterSetId`.
	pub async fn attester_set_id(&self) -> Result<u64> {
		let id = within("KasaneVault.attesterSetId", READ_TIMEOUT, async {
			Ok(KasaneVault::new(self.vault, &self.provider).attesterSetId().call().await?)
		})
		.await?;
		u64::try_from(id).map_err(|_| anyhow!("attester set id {id} out of range"))
	}

	/// The hand-over the vault has queued: the hash of `abi.encode(next, quorum)` and when it
	/// can be executed (seconds), if one is queued.
	pub async fn pending_rotation(&self) -> Result<Option<(B256, u64)>> {
		let pending = within("KasaneVault.pendingRotation", READ_TIMEOUT, async {
			Ok(KasaneVault::new(self.vault, &self.provider).pendingRotation().call().await?)
		})
		.await?;
		if pending.eta.is_zero() {
			return Ok(None);
		}
		let eta = u64::try_from(pending.eta).map_err(|_| anyhow!("eta out of range"))?;
		Ok(Some((pending.hash, eta)))
	}

	/// What the vault keys a queued hand-over by: `keccak256(abi.encode(next, quorum))`.
	pub fn rotation_hash(rotation: &RotationView) -> B256 {
		use alloy::sol_types::SolValue;
		let next: Vec<Address> = rotation.next.iter().map(|a| Address::from(a.0)).collect();
		alloy::primitives::keccak256((next, U256::from(rotation.quorum)).abi_encode_params())
	}

	/// The latest block's timestamp (seconds).
	pub async fn now(&self) -> Result<u64> {
		within("eth_getBlockByNumber", READ_TIMEOUT, async {
			let block = self
				.provider
				.get_block_by_number(alloy::eips::BlockNumberOrTag::Latest)
				.await?
				.ok_or_else(|| anyhow!("no latest block"))?;
			Ok(block.header.timestamp)
		})
		.await
	}

	/// Queues a hand-over signed on Kasane in the vault (`queueRotation`); returns the
	/// transaction hash once mined successfully.
	pub async fn queue_rotation(&self, rotation: &RotationView) -> Result<B256> {
		let vault = KasaneVault::new(self.vault, &self.provider);
		let next = rotation.next.iter().map(|a| Address::from(a.0)).collect();
		let sigs = rotation.signatures.iter().map(|s| s.0.to_vec().into()).collect();
		let receipt = within("KasaneVault.queueRotation", SUBMIT_TIMEOUT, async {
			Ok(vault
				.queueRotation(next, U256::from(rotation.quorum), sigs)
				.send()
				.await?
				.get_receipt()
				.await?)
		})
		.await?;
		if !receipt.status() {
			return Err(anyhow!(
				"queueing the hand-over from {} reverted",
				rotation.attester_set_id
			));
		}
		Ok(receipt.transaction_hash)
	}

	/// Executes the queued hand-over once its time lock is over (`executeRotation`).
	pub async fn execute_rotation(&self, rotation: &RotationView) -> Result<B256> {
		let vault = KasaneVault::new(self.vault, &self.provider);
		let next = rotation.next.iter().map(|a| Address::from(a.0)).collect();
		let receipt = within("KasaneVault.executeRotation", SUBMIT_TIMEOUT, async {
			Ok(vault
				.executeRotation(next, U256::from(rotation.quorum))
				.send()
				.await?
				.get_receipt()
				.await?)
		})
		.await?;
		if !receipt.status() {
			return Err(anyhow!(
				"executing the hand-over from {} reverted",
				rotation.attester_set_id
			));
		}
		Ok(receipt.transaction_hash)
	}

	fn decode(log: &Log) -> Result<VaultEvent> {
		let block_hash = H256(log.block_hash.ok_or_else(|| anyhow!("log without block hash"))?.0);
		let block_number = log.block_number.ok_or_else(|| anyhow!("log without block number"))?;
		if let Ok(d) = log.log_decode::<KasaneVault::Deposited>() {
			let d = d.inner.data;
			return Ok(VaultEvent::Deposit(DepositMessage {
				nonce: d.nonce,
				token: H160(d.token.0 .0),
				depositor: H160(d.depositor.0 .0),
				recipient: d.recipient.0,
				amount: u128_of(d.amount, "deposit amount")?,
				eth_block_hash: block_hash,
			}));
		}
		if let Ok(r) = log.log_decode::<KasaneVault::Released>() {
			let r = r.inner.data;
			return Ok(VaultEvent::Released(ReleaseReceipt {
				withdrawal: ReleaseMessage {
					nonce: r.nonce,
					token: H160(r.token.0 .0),
					recipient: H160(r.recipient.0 .0),
					amount: u128_of(r.amount, "release amount")?,
				},
				beneficiary: r.beneficiary.0,
			}));
		}
		let r = log.log_decode::<KasaneVault::RateReported>()?.inner.data;
		Ok(VaultEvent::Rate(RateReport {
			token: H160(r.token.0 .0),
			rate: u128_of(r.rate, "rate")?,
			timestamp: u64::try_from(r.timestamp).map_err(|_| anyhow!("timestamp out of range"))?,
			eth_block_number: block_number,
			eth_block_hash: block_hash,
		}))
	}

	pub async fn released(&self, nonce: u64) -> Result<bool> {
		within("KasaneVault.released", READ_TIMEOUT, async {
			Ok(KasaneVault::new(self.vault, &self.provider).released(nonce).call().await?)
		})
		.await
	}

	pub async fn chain_id(&self) -> Result<u64> {
		within("eth_chainId", READ_TIMEOUT, async { Ok(self.provider.get_chain_id().await?) }).await
	}

	/// Whether the guardian paused the vault (releases revert until it is unpaused).
	pub async fn paused(&self) -> Result<bool> {
		within("KasaneVault.paused", READ_TIMEOUT, async {
			Ok(KasaneVault::new(self.vault, &self.provider).paused().call().await?)
		})
		.await
	}

	/// Calls `release`, naming `beneficiary` (a Kasane account) for the withdrawal's fee. The
	/// call is simulated first: a revert the vault answers with is [`Release::Refused`] (it
	/// counts against the withdrawal), while a node that cannot be reached or a transaction
	/// that is not mined in time is an error (it says nothing about the withdrawal).
	pub async fn release(
		&self,
		w: &ReleaseMessage,
		signatures: &[EthSignature],
		beneficiary: [u8; 32],
	) -> Result<Release> {
		let vault = KasaneVault::new(self.vault, &self.provider);
		let withdrawal = KasaneVault::Withdrawal {
			nonce: w.nonce,
			token: Address::from(w.token.0),
			recipient: Address::from(w.recipient.0),
			amount: U256::from(w.amount),
		};
		let sigs = signatures.iter().map(|s| s.0.to_vec().into()).collect();
		let call = vault.release(withdrawal, sigs, B256::from(beneficiary));
		let simulated = within("KasaneVault.release (simulated)", READ_TIMEOUT, async {
			Ok(call.call().await)
		})
		.await?;
		match simulated {
			Ok(_) => {}
			Err(alloy::contract::Error::TransportError(e)) if e.as_error_resp().is_some() => {
				return Ok(Release::Refused(e.to_string()))
			}
			Err(e) => return Err(e.into()),
		}
		let receipt = within("KasaneVault.release", SUBMIT_TIMEOUT, async {
			Ok(call.send().await?.get_receipt().await?)
		})
		.await?;
		if !receipt.status() {
			return Ok(Release::Refused(format!(
				"reverted in transaction {}",
				receipt.transaction_hash
			)));
		}
		Ok(Release::Sent(receipt.transaction_hash))
	}
}

/// What became of a release.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Release {
	/// Mined: the transaction hash.
	Sent(B256),
	/// The vault refuses it (a paused vault, a recipient the token blacklisted, …): why.
	Refused(String),
}

#[cfg(test)]
mod tests {
	use super::*;
	use alloy::sol_types::SolValue;
	use kasane_primitives::bridge::{BridgeDomain, EthereumEndpoint};

	const KEY: &str = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";
	const GENESIS: [u8; 32] = [0x6e; 32];

	fn domain() -> BridgeDomain {
		EthereumEndpoint { chain_id: 31337, vault: H160::repeat_byte(0xaa) }.domain(H256(GENESIS))
	}

	/// Receipts as alloy encodes them (every transaction type) and tries as this relayer
	/// builds them are what the runtime's proof code verifies and decodes: a deposit in any
	/// transaction of a block is proven, and an event of another contract is refused.
	#[test]
	fn proofs_built_here_verify_with_the_runtimes_proof_code() {
		use alloy::consensus::{Receipt, ReceiptEnvelope, ReceiptWithBloom};
		use alloy::eips::Encodable2718;
		use alloy::primitives::{Bloom, Log as PrimitiveLog, LogData};
		use kasane_primitives::bridge::proof::{deposit_of, proven_log, ProofError};

		let vault = Address::repeat_byte(0xaa);
		let deposited = |nonce: u64, from: Address| {
			let event = KasaneVault::Deposited {
				nonce,
				token: Address::repeat_byte(0x11),
				recipient: B256::repeat_byte(7),
				amount: U256::from(nonce) * U256::from(10u64).pow(U256::from(18)),
				depositor: Address::repeat_byte(0xd0),
			};
			PrimitiveLog { address: from, data: event.encode_log_data() }
		};
		let transfer = PrimitiveLog {
			address: Address::repeat_byte(0x11),
			data: LogData::new_unchecked(vec![B256::repeat_byte(1)], vec![1, 2, 3].into()),
		};
		let receipts: Vec<Vec<u8>> = (0..130u64)
			.map(|i| {
				let emitter = if i == 7 { Address::repeat_byte(0xbb) } else { vault };
				let receipt = ReceiptWithBloom::new(
					Receipt {
						status: true.into(),
						cumulative_gas_used: 21_000 * (i + 1),
						logs: vec![transfer.clone(), deposited(i + 1, emitter)],
					},
					Bloom::default(),
				);
				match i % 5 {
					0 => ReceiptEnvelope::Legacy(receipt),
					1 => ReceiptEnvelope::Eip2930(receipt),
					2 => ReceiptEnvelope::Eip1559(receipt),
					3 => ReceiptEnvelope::Eip4844(receipt),
					_ => ReceiptEnvelope::Eip7702(receipt),
				}
				.encoded_2718()
			})
			.collect();
		for tx in [0usize, 1, 7, 127, 128, 129] {
			let (root, nodes) = receipts_trie(&receipts, tx);
			let proof = ReceiptProof {
				tx_index: tx as u32,
				log_index: 1,
				nodes: nodes
					.into_iter()
					.map(|n| ProofNode::try_from(n).unwrap())
					.collect::<Vec<_>>()
					.try_into()
					.unwrap(),
			};
			let log = proven_log(root, &proof).expect("the proof verifies");
			let header = EthHeader { number: 1, hash: H256::repeat_byte(9), receipts_root: root };
			let vault = H160(vault.0 .0);
			if tx == 7 {
				assert_eq!(deposit_of(&log, &vault, &header), Err(ProofError::WrongEmitter));
			} else {
				assert_eq!(deposit_of(&log, &vault, &header).unwrap().nonce, tx as u64 + 1);
			}
		}
	}

	/// The runtime's digests equal Solidity's `keccak256(abi.encode(...))` as alloy encodes it.
	#[test]
	fn digests_match_solidity_abi_encoding() {
		let tag = |t: &str| alloy::primitives::keccak256(t.as_bytes());
		let vault = Address::from(domain().vault.0);
		let genesis = B256::from(GENESIS);
		let d = DepositMessage {
			nonce: 9,
			token: H160::repeat_byte(0x11),
			depositor: H160::repeat_byte(0x33),
			recipient: [7; 32],
			amount: 123_456_789,
			eth_block_hash: H256::repeat_byte(3),
		};
		let encoded = (
			tag("kasane/bridge/deposit/v2"),
			U256::from(31337u64),
			vault,
			genesis,
			9u64,
			Address::repeat_byte(0x11),
			Address::repeat_byte(0x33),
			B256::repeat_byte(7),
			U256::from(123_456_789u64),
			B256::repeat_byte(3),
		)
			.abi_encode_params();
		assert_eq!(domain().deposit_digest(&d), alloy::primitives::keccak256(encoded).0);

		let w = ReleaseMessage {
			nonce: 4,
			token: H160::repeat_byte(0x11),
			recipient: H160::repeat_byte(0x22),
			amount: 5,
		};
		let encoded = (
			tag("kasane/vault/release/v2"),
			U256::from(31337u64),
			vault,
			genesis,
			U256::from(2u64),
			4u64,
			Address::repeat_byte(0x11),
			Address::repeat_byte(0x22),
			U256::from(5u64),
		)
			.abi_encode_params();
		assert_eq!(domain().release_digest(2, &w), alloy::primitives::keccak256(encoded).0);

		let receipt = ReleaseReceipt { withdrawal: w, beneficiary: [8; 32] };
		let encoded = (
			tag("kasane/bridge/released/v2"),
			U256::from(31337u64),
			vault,
			genesis,
			4u64,
			Address::repeat_byte(0x11),
			Address::repeat_byte(0x22),
			U256::from(5u64),
			B256::repeat_byte(8),
		)
			.abi_encode_params();
		assert_eq!(domain().released_digest(&receipt), alloy::primitives::keccak256(encoded).0);

		let r = RateReport {
			token: H160::repeat_byte(0x11),
			rate: 1_100_000_000_000_000_000,
			timestamp: 1_700_000_000,
			eth_block_number: 19_000_000,
			eth_block_hash: H256::repeat_byte(4),
		};
		let encoded = (
			tag("kasane/bridge/rate/v2"),
			U256::from(31337u64),
			vault,
			genesis,
			Address::repeat_byte(0x11),
			U256::from(1_100_000_000_000_000_000u128),
			U256::from(1_700_000_000u64),
			U256::from(19_000_000u64),
			B256::repeat_byte(4),
		)
			.abi_encode_params();
		assert_eq!(domain().rate_digest(&r), alloy::primitives::keccak256(encoded).0);

		let next = [H160::repeat_byte(0x01), H160::repeat_byte(0x02), H160::repeat_byte(0x03)];
		let encoded = (
			tag("kasane/vault/rotate/v2"),
			U256::from(31337u64),
			vault,
			genesis,
			U256::from(7u64),
			next.iter().map(|a| Address::from(a.0)).collect::<Vec<_>>(),
			U256::from(2u64),
		)
			.abi_encode_params();
		assert_eq!(domain().rotate_digest(7, &next, 2), alloy::primitives::keccak256(encoded).0);
		// Another Kasane network: another digest, for every message.
		let fork = EthereumEndpoint { chain_id: 31337, vault: domain().vault }
			.domain(H256::repeat_byte(0x01));
		assert_ne!(fork.release_digest(2, &w), domain().release_digest(2, &w));
		assert_ne!(fork.deposit_digest(&d), domain().deposit_digest(&d));
	}

	/// What the relayer signs, the runtime's recovery attributes to the relayer's address,
	/// and signing is deterministic.
	#[test]
	fn signatures_recover_to_the_attester_in_the_runtime_format() {
		let attester = Attester::from_hex(KEY).unwrap();
		let digest = [42u8; 32];
		let sig = attester.sign(&digest).unwrap();
		assert!(sig.0[64] == 27 || sig.0[64] == 28);
		assert!(sig.normalized().is_some(), "low-s");
		let signer = sig.recover_with(&digest, sp_io::crypto::secp256k1_ecdsa_recover).unwrap();
		assert_eq!(signer, attester.address());
		assert_eq!(attester.sign(&digest).unwrap(), sig);
	}
}
