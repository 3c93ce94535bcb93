//! What AVS software and the AVS registry share: operator keys and their proof of possession,
//! slashing terms, and the `AvsApi` marketplace and security views.
//!
//! ## Proof of possession
//!
//! An operator joining an operator set names the key it will sign AVS work with and proves it
//! holds it by signing [`proof_of_possession_payload`]:
//!
//! ```text
//! SCALE( b"kasane/avs-key-pop/v1", genesis_hash: [u8; 32], set: OperatorSetId, operator: AccountId )
//! ```
//!
//! with that key (sr25519 and ed25519 sign the bytes; ecdsa signs their blake2-256 hash, as
//! `sp_core::ecdsa::Pair::sign` does). The genesis hash keeps a proof from one chain from being
//! replayed on another, the set and operator keep it from being reused for another membership.
//!
//! ## Signed AVS messages (double-sign evidence)
//!
//! Everything an operator signs for an AVS with its registered key must be the bytes of
//! [`AvsMessage::signing_payload`]:
//!
//! ```text
//! SCALE( b"kasane/avs-msg/v1", genesis_hash: [u8; 32], set: OperatorSetId, round: u64,
//!        payload_hash: [u8; 32] )
//! ```
//!
//! `round` is the AVS's own unit of work (an oracle round, a DA batch, a bridge nonce): an
//! honest operator signs at most one `payload_hash` per `(set, round)`. Two signatures by the
//! same key over different payload hashes for the same `(set, round)` are objective proof of
//! double signing, which anyone may report to the slashing pallet. ecdsa keys sign the
//! blake2-256 hash of the bytes, sr25519 and ed25519 the bytes themselves (as for the proof of
//! possession). The domain tag differs from the proof of possession's, so neither can be
//! passed off as the other.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sp_core::{ecdsa, ed25519, sr25519};
use sp_runtime::traits::Verify;

use crate::restaking::{Magnitude, OperatorSetId, SlashDestination, StrategyId};

/// Domain tag of [`proof_of_possession_payload`].
pub const POP_DOMAIN: &[u8; 21] = b"kasane/avs-key-pop/v1";

/// The signature scheme an operator set's members sign AVS work with.
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
pub enum KeyType {
	Sr25519,
	Ed25519,
	Ecdsa,
}

/// An operator's AVS signing key (public part).
#[derive(
	Clone,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub enum OperatorKey {
	Sr25519(sr25519::Public),
	Ed25519(ed25519::Public),
	/// Compressed secp256k1 public key.
	Ecdsa(ecdsa::Public),
}

/// A signature by an [`OperatorKey`].
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
pub enum OperatorSignature {
	Sr25519(sr25519::Signature),
	Ed25519(ed25519::Signature),
	Ecdsa(ecdsa::Signature),
}

impl OperatorKey {
	/// The scheme of this key.
	pub fn key_type(&self) -> KeyType {
		match self {
			Self::Sr25519(_) => KeyType::Sr25519,
			Self::Ed25519(_) => KeyType::Ed25519,
			Self::Ecdsa(_) => KeyType::Ecdsa,
		}
	}

	/// Whether `signature` is this key's signature of `message` (false on a scheme mismatch).
	pub fn verify(&self, message: &[u8], signature: &OperatorSignature) -> bool {
		match (self, signature) {
			(Self::Sr25519(k), OperatorSignature::Sr25519(s)) => s.verify(message, k),
			(Self::Ed25519(k), OperatorSignature::Ed25519(s)) => s.verify(message, k),
			(Self::Ecdsa(k), OperatorSignature::Ecdsa(s)) => s.verify(message, k),
			_ => false,
		}
	}
}

/// The genesis hash as the signed messages of operators carry it (proofs of possession, AVS
/// messages): the chain's block-0 hash in 32 bytes, so a signature made for one chain is
/// refused on any other. `block_zero_hash` is what `frame_system` keeps for block 0.
pub fn signing_genesis(block_zero_hash: &[u8]) -> [u8; 32] {
	let mut out = [0u8; 32];
	let n = block_zero_hash.len().min(32);
	out[..n].copy_from_slice(&block_zero_hash[..n]);
	out
}

/// The bytes an operator signs to prove it holds its AVS key (see the module docs).
pub fn proof_of_possession_payload<AccountId: Encode>(
	genesis_hash: &[u8; 32],
	set: &OperatorSetId,
	operator: &AccountId,
) -> alloc::vec::Vec<u8> {
	(POP_DOMAIN, genesis_hash, set, operator).encode()
}

/// Domain tag of [`AvsMessage::signing_payload`].
pub const MESSAGE_DOMAIN: &[u8; 17] = b"kasane/avs-msg/v1";

/// What an operator signs for an AVS (see the module docs).
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
pub struct AvsMessage {
	pub set: OperatorSetId,
	/// The AVS's unit of work the payload belongs to.
	pub round: u64,
	/// blake2-256 (or any 32-byte digest the AVS defines) of the signed payload.
	pub payload_hash: [u8; 32],
}

impl AvsMessage {
	/// The bytes an operator's AVS key signs for this message on the chain `genesis_hash`.
	pub fn signing_payload(&self, genesis_hash: &[u8; 32]) -> alloc::vec::Vec<u8> {
		(MESSAGE_DOMAIN, genesis_hash, &self.set, self.round, &self.payload_hash).encode()
	}
}

/// When a slash requested by an AVS executes.
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
pub enum SlashExecution<BlockNumber> {
	/// At once.
	Instant,
	/// After `window` blocks, unless the veto council vetoes it.
	Veto { window: BlockNumber },
}

/// The slashing rules an operator set's members accept when they join.
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
pub struct SlashingTerms<AccountId, BlockNumber> {
	pub mode: SlashExecution<BlockNumber>,
	/// Most of an operator's allocation (of [`crate::restaking::WAD`]) the AVS may slash per
	/// slashing epoch.
	pub max_slash_per_epoch: Magnitude,
	/// Where slashed stake goes.
	pub slashed_funds: SlashDestination<AccountId>,
	/// What objective double-signing evidence slashes (of [`crate::restaking::WAD`]).
	pub equivocation_penalty: Magnitude,
}

/// Allocated stake of one strategy in an operator set.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct StrategyStake {
	pub strategy: StrategyId,
	/// Whether this is the `Native` (KSN) strategy.
	pub native: bool,
	/// Allocated stake, in the strategy's asset units.
	pub allocated: u128,
	/// Its value: in KSN for `Native`, in ETH (10¹⁸ = 1 ETH when the asset has 18 decimals)
	/// for an LST at the bridge's (until then, root's) exchange rate.
	pub value: u128,
	/// Operators allocating it.
	pub operators: u32,
}

/// A reward budget of an operator set.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct BudgetView<AssetId> {
	pub asset: AssetId,
	/// Paid each era while it lasts.
	pub per_era: u128,
	/// Not paid yet.
	pub remaining: u128,
	/// `per_era` per unit of allocated stake value, ×10¹⁸ (0 when nothing is allocated).
	pub rate_per_unit: u128,
}

/// One operator set as the marketplace shows it to operators.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct OperatorSetMarketView<AccountId, BlockNumber, AssetId> {
	pub set: OperatorSetId,
	pub metadata_uri: alloc::vec::Vec<u8>,
	/// Accepted strategies and the least delegated stake an operator needs in each to join.
	pub strategies: alloc::vec::Vec<(StrategyId, u128)>,
	pub key_type: KeyType,
	pub members: u32,
	pub max_operators: u32,
	pub allowlist: bool,
	/// The terms in force.
	pub terms: SlashingTerms<AccountId, BlockNumber>,
	/// A terms change and the block it takes effect at.
	pub pending_terms: Option<(SlashingTerms<AccountId, BlockNumber>, BlockNumber)>,
	/// Stake allocated to the set now, per strategy.
	pub stake: alloc::vec::Vec<StrategyStake>,
	/// Allocated stake valued in one unit (what rewards are split by).
	pub total_value: u128,
	pub budgets: alloc::vec::Vec<BudgetView<AssetId>>,
}

/// How [`AvsApi::operator_sets`] orders its list.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub enum MarketOrder<AssetId> {
	/// By set id, ascending.
	SetId,
	/// Highest reward rate per unit of allocated stake in this asset first.
	RewardRate(AssetId),
	/// Most allocated stake value first.
	AllocatedValue,
}

/// What it would take to corrupt an operator set, per denomination.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug, Default)]
pub struct CorruptionCost {
	/// Native stake (KSN) an attacker must add to hold this share of the native stake.
	pub native_ksn: u128,
	/// LST stake (ETH value) an attacker must add to hold this share of the LST stake.
	pub lst_eth: u128,
	/// The fewest existing operators whose allocated stake value reaches this share (`None`
	/// when all of them together do not).
	pub operators: Option<u32>,
}

/// The security an operator set has bought.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct SecurityView {
	pub set: OperatorSetId,
	pub stake: alloc::vec::Vec<StrategyStake>,
	/// Native stake allocated, in KSN.
	pub native_ksn: u128,
	/// LST stake allocated, valued in ETH.
	pub lst_eth: u128,
	/// To control ⅓ (halt a BFT AVS): an attacker adding its own stake needs half the present
	/// stake (x / (T + x) = ⅓).
	pub to_control_third: CorruptionCost,
	/// To control ⅔ (forge a BFT AVS's output): twice the present stake.
	pub to_control_two_thirds: CorruptionCost,
}

/// The members of operator sets, for pallets whose work a set does (the bridge's attesters).
pub trait OperatorSetMembers<AccountId> {
	/// The set's key type and the most members it takes, if the set exists.
	fn capacity(set: &OperatorSetId) -> Option<(KeyType, u32)>;
	/// How many operators are registered in the set now (not counting departed ones).
	fn member_count(set: &OperatorSetId) -> u32;
	/// The key `who` signs the set's work with, if it is registered in the set now.
	fn member_key(set: &OperatorSetId, who: &AccountId) -> Option<OperatorKey>;
	/// Every operator registered in the set now, sorted. It iterates the set's memberships:
	/// only for sets whose size is bounded (the bridge's, at most its attester bound) and for
	/// views.
	fn members(set: &OperatorSetId) -> alloc::vec::Vec<AccountId>;
	/// The account that owns the set's AVS, and whether joining the set needs the AVS's
	/// allowlist.
	fn governance(set: &OperatorSetId) -> Option<(AccountId, bool)>;
	/// What `who` has allocated to the set now, valued in the registry's common unit
	/// ([`crate::restaking::StakeValuation`]).
	fn allocated_value(set: &OperatorSetId, who: &AccountId) -> u128;
	/// The membership `key` is registered to: its set and operator, departed members included
	/// until their membership is purged.
	fn key_owner(key: &OperatorKey) -> Option<(OperatorSetId, AccountId)>;
	/// The keys of the operators `set` may still slash: its members now, and departed members
	/// within their slashable window. It iterates the set's memberships, departed ones
	/// included, as [`Self::members`] does.
	fn slashable_keys(set: &OperatorSetId) -> alloc::vec::Vec<OperatorKey>;
}

sp_api::decl_runtime_apis! {
	/// The AVS marketplace and the security each operator set has.
	pub trait AvsApi<AccountId, BlockNumber, AssetId> where
		AccountId: codec::Codec,
		BlockNumber: codec::Codec,
		AssetId: codec::Codec,
	{
		/// Operator sets ordered by `order`, `limit` of them from position `offset`.
		fn operator_sets(
			order: MarketOrder<AssetId>,
			offset: u32,
			limit: u32,
		) -> alloc::vec::Vec<OperatorSetMarketView<AccountId, BlockNumber, AssetId>>;
		/// The allocated stake of `set`, valued, and what corrupting it would cost.
		fn security(set: OperatorSetId) -> Option<SecurityView>;
	}
}
