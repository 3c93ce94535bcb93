//! What the LST bridge, its attesters (the relayer) and the Ethereum vault agree on: the
//! attested message formats and their digests, Ethereum signatures, the double-sign hook the
//! slashing side implements, and the `LstBridgeApi` runtime API.
//!
//! ## Digests
//!
//! Attesters sign 32-byte digests with their secp256k1 key, raw (no `\x19Ethereum Signed
//! Message` prefix), the signature being `r ‖ s ‖ v` with `v` in {0, 1, 27, 28} and `s` in the
//! lower half of the curve order. Every digest is `keccak256(abi.encode(...))` of 32-byte
//! words, starting with a domain tag, the Ethereum chain id, the vault address and Kasane's
//! genesis hash ([`BridgeDomain`]), so that a signature is only ever good for one kind of
//! message between one vault and one Kasane network (a testnet or a new chain started from
//! mainnet state has another genesis, so a deposit never mints on both; a chain split that
//! keeps the genesis is not told apart, which is what finality and the vault's single
//! attester set are for):
//!
//! ```text
//! deposit:  keccak256(abi.encode(keccak256("kasane/bridge/deposit/v2"), chainId, vault,
//!                                kasaneGenesis, nonce, token, depositor, recipient, amount,
//!                                ethBlockHash))
//! rate:     keccak256(abi.encode(keccak256("kasane/bridge/rate/v2"), chainId, vault,
//!                                kasaneGenesis, token, rate, timestamp, ethBlockNumber,
//!                                ethBlockHash))
//! released: keccak256(abi.encode(keccak256("kasane/bridge/released/v2"), chainId, vault,
//!                                kasaneGenesis, nonce, token, recipient, amount, beneficiary))
//! release:  keccak256(abi.encode(keccak256("kasane/vault/release/v2"), chainId, vault,
//!                                kasaneGenesis, attesterSetId, nonce, token, recipient, amount))
//! rotate:   keccak256(abi.encode(keccak256("kasane/vault/rotate/v2"), chainId, vault,
//!                                kasaneGenesis, attesterSetId, address[] next, nextQuorum))
//! header:   keccak256(abi.encode(keccak256("kasane/bridge/header/v1"), chainId, vault,
//!                                kasaneGenesis, number, blockHash, receiptsRoot))
//! ```
//!
//! `release` is `KasaneVault.releaseDigest`: what attesters sign for a withdrawal from Kasane
//! is exactly what the vault checks, and so is `rotate` (`KasaneVault.rotateDigest`): the
//! current set's quorum hands the vault to the next set. `ethBlockHash` is the hash of the
//! block the event was emitted in: an attester signs an event only once its block is deep
//! enough, and a deposit reorganised into another block is another message. `released` is
//! the vault's `Released` event coming back: Kasane then pays the withdrawal's fee to the
//! `beneficiary` that carried the release and prunes the withdrawal. `header` is a
//! finalized Ethereum block whose receipts root then anchors receipt proofs of vault events
//! ([`proof`]): one attestation per block instead of one per message.
//!
//! ## Rate rounds
//!
//! Anyone can make the vault report a rate, so "the newest report" is not something attesters
//! that scan at different moments agree on. They agree by block instead: Ethereum blocks are
//! cut into rounds of `LstBridge::RateRound` blocks, and for each token an attester signs only
//! the *first* report of a round (by block and log index) — the same one for every attester,
//! however many reports a spammer adds after it.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sp_core::{H160, H256};
use sp_runtime::DispatchError;

use crate::restaking::OperatorSetId;

#[cfg(feature = "beacon")]
pub mod beacon;
pub mod proof;

/// keccak-256 (the runtime's host function inside the runtime).
pub fn keccak_256(bytes: &[u8]) -> [u8; 32] {
	use sp_runtime::traits::Hash;
	sp_runtime::traits::Keccak256::hash(bytes).0
}

/// An Ethereum address.
pub type EthAddress = H160;

/// A withdrawal's nonce (outbound) or a vault deposit's nonce (inbound).
pub type BridgeNonce = u64;

/// Domain tag of deposit attestations (its keccak256 is the digest's first word).
pub const DEPOSIT_TAG: &[u8] = b"kasane/bridge/deposit/v2";
/// Domain tag of rate attestations.
pub const RATE_TAG: &[u8] = b"kasane/bridge/rate/v2";
/// Domain tag of release receipts (the vault's `Released` event, attested back to Kasane).
pub const RELEASED_TAG: &[u8] = b"kasane/bridge/released/v2";
/// Domain tag of `KasaneVault.releaseDigest`.
pub const RELEASE_TAG: &[u8] = b"kasane/vault/release/v2";
/// Domain tag of `KasaneVault.rotateDigest`.
pub const ROTATE_TAG: &[u8] = b"kasane/vault/rotate/v2";

/// Half the secp256k1 group order: a signature's `s` must not exceed it (one valid form).
const SECP256K1_HALF_N: [u8; 32] = [
	0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0x5d, 0x57, 0x6e, 0x73, 0x57, 0xa4, 0x50, 0x1d, 0xdf, 0xe9, 0x2f, 0x46, 0x68, 0x1b, 0x20, 0xa0,
];

/// The Ethereum chain and vault a bridge instance serves.
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
pub struct EthereumEndpoint {
	pub chain_id: u64,
	pub vault: EthAddress,
}

impl EthereumEndpoint {
	/// The digests' domain between this vault and the Kasane network with `kasane_genesis`.
	pub fn domain(&self, kasane_genesis: H256) -> BridgeDomain {
		BridgeDomain { chain_id: self.chain_id, vault: self.vault, kasane_genesis }
	}
}

/// Everything a bridge signature is bound to besides its message: the Ethereum chain, the
/// vault and the Kasane network (its genesis block hash).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct BridgeDomain {
	pub chain_id: u64,
	pub vault: EthAddress,
	pub kasane_genesis: H256,
}

/// A `Deposited` event of the vault, as attesters attest it.
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
pub struct DepositMessage {
	/// The vault's deposit nonce (1, 2, …).
	pub nonce: BridgeNonce,
	/// The Ethereum token deposited.
	pub token: EthAddress,
	/// Who deposited it: a deposit Kasane refuses or cancels is paid back to it.
	pub depositor: EthAddress,
	/// The Kasane account credited (32 bytes, as deposited).
	pub recipient: [u8; 32],
	/// What the vault received, in the token's units (shares for stETH).
	pub amount: u128,
	/// The block the event was emitted in.
	pub eth_block_hash: H256,
}

/// A `RateReported` event of the vault.
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
pub struct RateReport {
	pub token: EthAddress,
	/// ETH (wei) per 10¹⁸ units of the token.
	pub rate: u128,
	/// The Ethereum block's timestamp, in seconds.
	pub timestamp: u64,
	/// The number of the block the event was emitted in: its rate round is this divided by
	/// `LstBridge::RateRound`.
	pub eth_block_number: u64,
	/// The block the event was emitted in.
	pub eth_block_hash: H256,
}

/// A withdrawal to Ethereum, as `KasaneVault.release` takes it.
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
pub struct ReleaseMessage {
	pub nonce: BridgeNonce,
	pub token: EthAddress,
	pub recipient: EthAddress,
	pub amount: u128,
}

/// A `Released` event of the vault: withdrawal `withdrawal.nonce` was paid out on Ethereum by
/// a transaction naming `beneficiary` (a Kasane account), who is owed the withdrawal's fee.
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
pub struct ReleaseReceipt {
	pub withdrawal: ReleaseMessage,
	pub beneficiary: [u8; 32],
}

/// A 65-byte secp256k1 signature `r ‖ s ‖ v`, as Ethereum tools produce it.
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
pub struct EthSignature(pub [u8; 65]);

impl EthSignature {
	/// The signature with `v` in {0, 1}, if it is well formed and low-s.
	pub fn normalized(&self) -> Option<[u8; 65]> {
		let mut sig = self.0;
		sig[64] = match sig[64] {
			0 | 27 => 0,
			1 | 28 => 1,
			_ => return None,
		};
		// Big-endian comparison of `s` with n/2.
		if sig[32..64] > SECP256K1_HALF_N[..] {
			return None;
		}
		Some(sig)
	}

	/// The address that signed `digest`, recovering with `recover` (the runtime passes
	/// `sp_io::crypto::secp256k1_ecdsa_recover`, which returns the 64-byte uncompressed key).
	pub fn recover_with<E>(
		&self,
		digest: &[u8; 32],
		recover: impl FnOnce(&[u8; 65], &[u8; 32]) -> Result<[u8; 64], E>,
	) -> Option<EthAddress> {
		let sig = self.normalized()?;
		let public = recover(&sig, digest).ok()?;
		Some(eth_address(&public))
	}
}

/// The Ethereum address of an uncompressed secp256k1 public key (without its 0x04 prefix).
pub fn eth_address(public: &[u8; 64]) -> EthAddress {
	let hash = keccak_256(public);
	H160::from_slice(&hash[12..])
}

/// The Ethereum address of a compressed secp256k1 public key (what operators register in the
/// AVS registry), or `None` if it is not a point of the curve.
pub fn eth_address_of_compressed(key: &[u8; 33]) -> Option<EthAddress> {
	use k256::elliptic_curve::sec1::ToEncodedPoint;
	let point = k256::PublicKey::from_sec1_bytes(key).ok()?.to_encoded_point(false);
	// Uncompressed SEC1: 0x04 ‖ x ‖ y.
	let xy: [u8; 64] = point.as_bytes().get(1..65)?.try_into().ok()?;
	Some(eth_address(&xy))
}

/// ABI encoding of static values: each one 32-byte word.
#[derive(Default)]
pub struct AbiWords(alloc::vec::Vec<u8>);

impl AbiWords {
	pub fn word(mut self, word: [u8; 32]) -> Self {
		self.0.extend_from_slice(&word);
		self
	}
	pub fn uint(self, value: u128) -> Self {
		let mut w = [0u8; 32];
		w[16..].copy_from_slice(&value.to_be_bytes());
		self.word(w)
	}
	pub fn address(self, a: &EthAddress) -> Self {
		let mut w = [0u8; 32];
		w[12..].copy_from_slice(a.as_bytes());
		self.word(w)
	}
	pub fn tag(self, tag: &[u8]) -> Self {
		self.word(keccak_256(tag))
	}
	pub fn keccak(&self) -> [u8; 32] {
		keccak_256(&self.0)
	}
}

impl BridgeDomain {
	fn words(&self, tag: &[u8]) -> AbiWords {
		AbiWords::default()
			.tag(tag)
			.uint(self.chain_id.into())
			.address(&self.vault)
			.word(self.kasane_genesis.0)
	}

	/// What attesters sign for `deposit` (see the module docs).
	pub fn deposit_digest(&self, deposit: &DepositMessage) -> [u8; 32] {
		self.words(DEPOSIT_TAG)
			.uint(deposit.nonce.into())
			.address(&deposit.token)
			.address(&deposit.depositor)
			.word(deposit.recipient)
			.uint(deposit.amount)
			.word(deposit.eth_block_hash.0)
			.keccak()
	}

	/// `KasaneVault.rotateDigest(next, quorum)` while the vault's attester set is
	/// `attester_set_id`: `abi.encode` puts the array's offset (seven head words) where the
	/// array sits, and its length and elements after the head.
	pub fn rotate_digest(
		&self,
		attester_set_id: u64,
		next: &[EthAddress],
		quorum: u32,
	) -> [u8; 32] {
		let head = self
			.words(ROTATE_TAG)
			.uint(attester_set_id.into())
			.uint(7 * 32)
			.uint(quorum.into())
			.uint(next.len() as u128);
		next.iter().fold(head, |words, a| words.address(a)).keccak()
	}

	/// What attesters sign for `report`.
	pub fn rate_digest(&self, report: &RateReport) -> [u8; 32] {
		self.words(RATE_TAG)
			.address(&report.token)
			.uint(report.rate)
			.uint(report.timestamp.into())
			.uint(report.eth_block_number.into())
			.word(report.eth_block_hash.0)
			.keccak()
	}

	/// What attesters sign for `receipt`.
	pub fn released_digest(&self, receipt: &ReleaseReceipt) -> [u8; 32] {
		let w = &receipt.withdrawal;
		self.words(RELEASED_TAG)
			.uint(w.nonce.into())
			.address(&w.token)
			.address(&w.recipient)
			.uint(w.amount)
			.word(receipt.beneficiary)
			.keccak()
	}

	/// `KasaneVault.releaseDigest(withdrawal)` while the vault's attester set is
	/// `attester_set_id`.
	pub fn release_digest(&self, attester_set_id: u64, withdrawal: &ReleaseMessage) -> [u8; 32] {
		self.words(RELEASE_TAG)
			.uint(attester_set_id.into())
			.uint(withdrawal.nonce.into())
			.address(&withdrawal.token)
			.address(&withdrawal.recipient)
			.uint(withdrawal.amount)
			.keccak()
	}
}

/// Two attesters needed of three, 43 of 64: `⌈2n/3⌉`.
pub fn quorum_of(attesters: u32) -> u32 {
	(2 * attesters).div_ceil(3)
}

/// Where a bridge attester's double signing or contradiction goes: an attester that signed two
/// different contents for one round, or another content than a quorum decided. The runtime
/// finds the operator of `set` (the operator set the attesters serve in) whose registered ecdsa
/// key is `key`, departed members still slashable included, and slashes it; an attester that
/// is no such operator is only recorded by the bridge.
pub trait AttesterEquivocation<AccountId> {
	/// Act on the evidence; `reporter` submitted it. `Ok`: whether a slash followed; `Ok(false)`
	/// also when none ever can (no such operator, already punished, out of its slashable
	/// window). `Err`: no slash now, but one may follow later (slashing disabled for the
	/// moment, the epoch's cap reached), so the bridge keeps evidence it can keep.
	fn report(
		reporter: &AccountId,
		set: &OperatorSetId,
		key: &sp_core::ecdsa::Public,
		nonce: BridgeNonce,
	) -> Result<bool, DispatchError>;
	/// Most weight [`Self::report`] takes.
	fn weight() -> sp_runtime::Weight;
}

impl<AccountId> AttesterEquivocation<AccountId> for () {
	fn report(
		_: &AccountId,
		_: &OperatorSetId,
		_: &sp_core::ecdsa::Public,
		_: BridgeNonce,
	) -> Result<bool, DispatchError> {
		Ok(false)
	}
	fn weight() -> sp_runtime::Weight {
		sp_runtime::Weight::zero()
	}
}

/// Told every new rate of a mirrored asset, after the token's haircut: what restaked units of
/// the asset are worth (ETH, 10¹⁸ per 10¹⁸ units). The runtime values the asset's restaking
/// strategy with it in the AVS registry.
pub trait OnRateUpdated<AssetId> {
	fn rate_updated(asset: AssetId, haircut_rate: u128);
	/// Most weight [`Self::rate_updated`] takes.
	fn weight() -> sp_runtime::Weight;
}

impl<AssetId> OnRateUpdated<AssetId> for () {
	fn rate_updated(_: AssetId, _: u128) {}
	fn weight() -> sp_runtime::Weight {
		sp_runtime::Weight::zero()
	}
}

/// Where a vault deposit stands on Kasane.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub enum DepositStatus<BlockNumber> {
	/// No attestation yet.
	Unknown,
	/// Attested by `signers` (of the `quorum` needed) over contents with `digest`.
	Attesting { digest: H256, signers: alloc::vec::Vec<EthAddress>, quorum: u32 },
	/// Attesters signed conflicting contents; root must clear the nonce.
	Halted,
	/// Accepted, waiting: the bridge was paused or the asset's cap was reached. Anyone can
	/// retry it with `retry_deposit`.
	Parked,
	/// Accepted above the rolling mint limit: mintable from `until`, unless root cancels it.
	Delayed { until: BlockNumber },
	/// Minted: the nonce is spent.
	Processed,
	/// Refused (a token Kasane does not mirror) or cancelled by root: paid back to the
	/// depositor on Ethereum by outbound withdrawal `withdrawal`.
	Refunded { withdrawal: BridgeNonce },
}

/// Why tokens leave the vault.
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
pub enum WithdrawalOrigin<AccountId> {
	/// The account burned the mirrored asset.
	Account(AccountId),
	/// Vault deposit `deposit` was refused or cancelled on Kasane: back to its depositor.
	Refund { deposit: BridgeNonce },
}

/// An asset's exchange rate to ETH.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct RateView {
	/// ETH (wei) per 10¹⁸ units, as attested.
	pub rate: u128,
	/// The rate less the haircut: what restaked stake is valued at.
	pub haircut_rate: u128,
	/// The Ethereum timestamp (seconds) of the report.
	pub reported_at: u64,
	/// Whether the report is older than the bridge's freshness bound now.
	pub stale: bool,
}

/// A withdrawal to Ethereum with the attester signatures collected so far, sorted by signer as
/// `KasaneVault.release` wants them.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct EthWithdrawalView<AccountId> {
	pub withdrawal: ReleaseMessage,
	pub origin: WithdrawalOrigin<AccountId>,
	/// KSN paid for the release, owed to whoever releases it on Ethereum.
	pub fee: u128,
	/// The vault's attester set the signatures are for.
	pub attester_set_id: u64,
	/// The digest the attesters sign (`KasaneVault.releaseDigest`).
	pub digest: H256,
	pub signatures: alloc::vec::Vec<EthSignature>,
	/// Whether the signatures reach the vault's quorum.
	pub ready: bool,
	/// Whether a quorum attested that the vault released it (it is pruned later).
	pub released: bool,
}

/// The attester set in force.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct AttesterSetView {
	/// Bumped on every change: attestations collected under an earlier set stop counting.
	pub id: u32,
	/// Sorted ascending.
	pub members: alloc::vec::Vec<EthAddress>,
	pub quorum: u32,
	/// The vault's `attesterSetId` for these members.
	pub vault_set_id: u64,
	/// The operator set they are the members of, if bound to one.
	pub operator_set: Option<OperatorSetId>,
}

/// A hand-over of the vault to the next attester set, signed by the current one.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct RotationView {
	/// The vault's `attesterSetId` that signs it (the vault's set afterwards is one more).
	pub attester_set_id: u64,
	/// The next attesters, sorted ascending, and their quorum: `rotateAttesters(next, quorum, …)`.
	pub next: alloc::vec::Vec<EthAddress>,
	pub quorum: u32,
	/// What the current attesters sign (`KasaneVault.rotateDigest`).
	pub digest: H256,
	/// Signatures sorted by signer, as `rotateAttesters` wants them.
	pub signatures: alloc::vec::Vec<EthSignature>,
	/// Whether the signatures reach the current set's quorum: the vault can queue it
	/// (`KasaneVault.queueRotation`, then `executeRotation` after the vault's delay).
	pub ready: bool,
	/// The Kasane block from which the next set attests, while it waits for the delay.
	pub effective_at: Option<u64>,
	/// Whether Kasane already uses the next set.
	pub applied: bool,
	/// Each next attester's stake allocated to the bridge's operator set (the AVS registry's
	/// common unit), in the order of `next`; 0 for an address no member holds any more.
	pub next_stakes: alloc::vec::Vec<u128>,
}

/// Where the header of one Ethereum block number stands on Kasane.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub enum HeaderStatus {
	/// Nobody of the attester set in force attested a header of this number (or it was
	/// trusted and then forgotten).
	Unknown,
	/// Being attested: each candidate's block hash and its signers, of the `quorum` needed.
	Attesting { candidates: alloc::vec::Vec<(H256, alloc::vec::Vec<EthAddress>)>, quorum: u32 },
	/// Trusted: events under `receipts_root` can be proven.
	Trusted { hash: H256, receipts_root: H256 },
	/// Attesters signed conflicting headers; root must clear the number.
	Halted,
}

sp_api::decl_runtime_apis! {
	/// The LST bridge: rates, deposits and withdrawals.
	#[api_version(2)]
	pub trait LstBridgeApi<AccountId, AssetId, BlockNumber> where
		AccountId: codec::Codec,
		AssetId: codec::Codec,
		BlockNumber: codec::Codec,
	{
		/// The asset's attested rate to ETH, if any.
		fn rate(asset: AssetId) -> Option<RateView>;
		/// `amount` of the asset valued in ETH (wei) at its haircut rate.
		fn value_in_eth(asset: AssetId, amount: u128) -> Option<u128>;
		/// Where the vault deposit `nonce` stands.
		fn deposit_status(nonce: BridgeNonce) -> DepositStatus<BlockNumber>;
		/// A withdrawal with its signatures, for `KasaneVault.release`.
		fn withdrawal(nonce: BridgeNonce) -> Option<EthWithdrawalView<AccountId>>;
		/// Withdrawals from `from_nonce` on that do not have a quorum of signatures yet, at most
		/// `limit` (≤ 100): what attesters still have to sign.
		fn unsigned_withdrawals(from_nonce: BridgeNonce, limit: u32) -> alloc::vec::Vec<EthWithdrawalView<AccountId>>;
		/// The attester set in force, if configured.
		fn attesters() -> Option<AttesterSetView>;
		/// The operators to pass to `rotate_attesters` when the bridge's operator set no longer
		/// matches the attester set (or the rotation being signed), sorted; `None` when it does.
		fn rotation_due() -> Option<alloc::vec::Vec<AccountId>>;
		/// The rotation the current attesters are signing, if any.
		fn pending_rotation() -> Option<RotationView>;
		/// The signed rotation away from the vault's set `attester_set_id`, to submit to the
		/// vault (in order: each one needs the vault at its `attester_set_id`).
		fn rotation(attester_set_id: u64) -> Option<RotationView>;
		/// Whether the bridge acts only on messages proven by a receipt (its policy is
		/// `Proven`).
		#[api_version(2)]
		fn proofs_required() -> bool;
		/// Where the header of Ethereum block `number` stands.
		#[api_version(2)]
		fn header_status(number: u64) -> HeaderStatus;
		/// The waiting deposits a `retry_deposit` in the next block would move on (mint, or
		/// start the delay of one parked for another reason), each judged on its own, among up
		/// to `scan` (1 to 1 000) of them after deposit `after`'s entry in storage order; with
		/// the nonce to pass as `after` next, while there are more.
		#[api_version(3)]
		fn retryable_deposits(after: Option<BridgeNonce>, scan: u32) -> (alloc::vec::Vec<BridgeNonce>, Option<BridgeNonce>);
		/// The registered key of the operator `set` may still slash (a member, or one that left
		/// within its slashable window) whose Ethereum address is `attester`: what
		/// `report_contradiction` / `report_header_contradiction` take for a recorded attester.
		#[api_version(4)]
		fn attester_key(set: crate::restaking::OperatorSetId, attester: EthAddress) -> Option<sp_core::ecdsa::Public>;
	}
}
