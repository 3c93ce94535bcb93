//! The slashing interface: slash records, the global and per-set slashing switch, what the
//! slashing pallet needs from the AVS registry and native staking, and the `SlashingApi`.
//!
//! Every slash in the chain — requested by an AVS, proven by double-sign evidence, or a
//! consensus (GRANDPA) offence — has one [`SlashRecord`] in one history kept by the slashing
//! pallet.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sp_core::ConstU32;
use sp_runtime::{BoundedVec, Perbill, Weight};

use crate::{
	avs::{OperatorKey, SlashingTerms},
	restaking::{AvsId, Magnitude, OperatorSetId, StrategyId, StrategySlash},
	EraIndex,
};

/// Identifies a slash record.
pub type SlashId = u64;

/// Most bytes of a slash request's reason URI.
pub const MAX_REASON_LEN: u32 = 256;

/// Where an AVS explains a slash it requested (an URI, bounded).
pub type ReasonUri = BoundedVec<u8, ConstU32<MAX_REASON_LEN>>;

/// Whether slashes execute: globally (root) and per operator set. The stricter of the two
/// applies (`Disabled` < `LogOnly` < `Enabled`).
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Default,
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
pub enum SlashingMode {
	/// No slash can be requested or reported.
	Disabled,
	/// Slashes are checked and recorded with what they would take, and never executed: a
	/// new AVS can show its slashing logic works before it can hurt anyone.
	LogOnly,
	/// Slashes execute.
	#[default]
	Enabled,
}

/// Where a slash came from.
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
pub enum SlashSource<AccountId> {
	/// Requested by the AVS owner or its designated slasher.
	Request { requester: AccountId, reason_uri: ReasonUri },
	/// Proven by two conflicting signed messages for the same `(set, round)`.
	Equivocation { reporter: AccountId, round: u64, evidence: [u8; 32] },
	/// A consensus (GRANDPA) offence of the validator in `offence_era`, slashing its pool.
	Consensus { offence_era: EraIndex, apply_era: EraIndex },
}

/// Where a slash stands.
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
pub enum SlashStatus {
	/// Waiting for its veto window (or, for consensus, its deferral) to end.
	Pending,
	/// Cancelled by the veto council (or root, for consensus).
	Vetoed,
	/// Executed: `amounts` are what it took.
	Executed,
	/// Recorded in log-only mode: `amounts` are what it would have taken.
	Logged,
	/// Could not execute (the stake it reached was gone); nothing was taken.
	Failed,
}

/// What a slash took (or will take) from one strategy.
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
pub struct SlashAmount {
	/// `None` for a consensus slash of the validator's own pool (outside restaking).
	pub strategy: Option<StrategyId>,
	/// Native KSN (a validator pool) rather than a mirrored LST.
	pub native: bool,
	/// The operator's magnitude for the set when the slash was requested (0 for consensus).
	pub magnitude: Magnitude,
	/// Value taken from the stakers, in the strategy's asset.
	pub amount: u128,
	/// Part of `amount` paid to the reporter or executor.
	pub reward: u128,
}

impl From<StrategySlash<u128>> for SlashAmount {
	fn from(s: StrategySlash<u128>) -> Self {
		Self {
			strategy: Some(s.strategy),
			native: s.native,
			magnitude: s.magnitude_before,
			amount: s.amount,
			reward: s.reward,
		}
	}
}

/// Most strategies one slash record lists.
pub const MAX_SLASH_STRATEGIES: u32 = 16;

/// One slash, whatever its source.
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
pub struct SlashRecord<AccountId, BlockNumber> {
	pub id: SlashId,
	pub source: SlashSource<AccountId>,
	/// The operator (for consensus, the validator) slashed.
	pub operator: AccountId,
	/// The operator set whose terms it is slashed under (`None` for consensus).
	pub set: Option<OperatorSetId>,
	/// Of the operator's magnitude for the set (of [`crate::restaking::WAD`]); for consensus,
	/// of the validator's pool.
	pub fraction: Magnitude,
	/// Per strategy: what it will take (pending, logged) or took (executed).
	pub amounts: BoundedVec<SlashAmount, ConstU32<MAX_SLASH_STRATEGIES>>,
	pub status: SlashStatus,
	pub requested_at: BlockNumber,
	/// The era it was requested in: a native pool is slashed on everything bonded then.
	pub requested_era: EraIndex,
	/// When it executes (pending) or executed.
	pub executes_at: BlockNumber,
}

/// What the slashing pallet needs from the AVS registry (implemented by it).
pub trait SlashingRegistry<AccountId, BlockNumber> {
	/// The genesis hash operators' AVS messages are signed for
	/// ([`crate::avs::signing_genesis`]).
	fn genesis_hash() -> [u8; 32];

	/// The owner of `avs`, if it is registered.
	fn avs_owner(avs: AvsId) -> Option<AccountId>;

	/// The slashing terms of `set` in force now, if it exists.
	fn terms(set: &OperatorSetId) -> Option<SlashingTerms<AccountId, BlockNumber>>;

	/// The key `operator` signs `set`'s work with, if `set` may still slash it (a member, or
	/// one that left less than the deallocation delay ago).
	fn slashable_key(operator: &AccountId, set: &OperatorSetId) -> Option<OperatorKey>;

	/// End `operator`'s membership of `set` as the AVS ejecting it would (it stays slashable
	/// for the deallocation delay); nothing if it is not a member.
	fn eject(operator: &AccountId, set: &OperatorSetId) -> Result<(), sp_runtime::DispatchError>;

	/// The most [`Self::eject`] weighs.
	fn eject_weight() -> Weight;
}

/// What the AVS registry tells the slashing pallet about records it removes (implemented by
/// the slashing pallet), so that nothing the slashing pallet keeps about them outlives them.
pub trait RegistryEvents<AccountId> {
	/// `operator`'s departed membership of `set` was purged: the set can no longer slash it.
	fn membership_purged(set: &OperatorSetId, operator: &AccountId);
	/// `avs` and its operator sets `0..sets` were deregistered.
	fn avs_deregistered(avs: crate::restaking::AvsId, sets: u32);
	/// The most either call above weighs.
	fn weight() -> Weight;
}

impl<AccountId> RegistryEvents<AccountId> for () {
	fn membership_purged(_: &OperatorSetId, _: &AccountId) {}
	fn avs_deregistered(_: crate::restaking::AvsId, _: u32) {}
	fn weight() -> Weight {
		Weight::zero()
	}
}

/// Native staking tells the slashing pallet about consensus offences, so that they are
/// recorded with every other slash (implemented by the slashing pallet).
pub trait ConsensusSlashLog<AccountId> {
	/// `validator` committed an offence in `offence_era`; its pool is slashed by `fraction`
	/// at the start of `apply_era` (now, when `apply_era` is the active era). Returns the
	/// record's id.
	fn offence(
		validator: &AccountId,
		fraction: Perbill,
		offence_era: EraIndex,
		apply_era: EraIndex,
	) -> Option<SlashId>;

	/// The pending slash `id` now takes `fraction` in all: a later report of the same offence
	/// raised it before it was applied.
	fn raised(id: SlashId, fraction: Perbill);

	/// The slash `id` was applied and took `amount` from the pool.
	fn applied(id: SlashId, amount: u128);

	/// The slash `id` was cancelled.
	fn cancelled(id: SlashId);

	/// The most any one of the calls above weighs.
	fn weight() -> Weight;

	/// What recording one more slash may add by pushing the oldest decided record out of the
	/// history: a benchmark that starts with a short history does not see it.
	fn history_pruning_weight() -> Weight;
}

impl<AccountId> ConsensusSlashLog<AccountId> for () {
	fn offence(_: &AccountId, _: Perbill, _: EraIndex, _: EraIndex) -> Option<SlashId> {
		None
	}

	fn raised(_: SlashId, _: Perbill) {}

	fn applied(_: SlashId, _: u128) {}

	fn cancelled(_: SlashId) {}

	fn weight() -> Weight {
		Weight::zero()
	}

	fn history_pruning_weight() -> Weight {
		Weight::zero()
	}
}

/// A pending slash and what it would cost one staker.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct StakerExposure<AccountId, BlockNumber> {
	pub slash: SlashRecord<AccountId, BlockNumber>,
	/// Per strategy (`None`: the native pool a consensus slash reaches), what the staker
	/// would lose if it executed now.
	pub cost: alloc::vec::Vec<(Option<StrategyId>, u128)>,
}

/// The slashing switch as it stands.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct ModeView {
	pub global: SlashingMode,
	pub set: SlashingMode,
	/// The stricter of the two: what applies.
	pub effective: SlashingMode,
}

sp_api::decl_runtime_apis! {
	/// Pending and recent slashes.
	pub trait SlashingApi<AccountId, BlockNumber> where
		AccountId: codec::Codec,
		BlockNumber: codec::Codec,
	{
		/// Slashes of `operator` (its pending ones and its recent history), newest first, at
		/// most `limit` (≤ 100).
		fn operator_slashes(operator: AccountId, limit: u32) -> alloc::vec::Vec<SlashRecord<AccountId, BlockNumber>>;
		/// Slashes under `set`, newest first, at most `limit` (≤ 100).
		fn set_slashes(set: OperatorSetId, limit: u32) -> alloc::vec::Vec<SlashRecord<AccountId, BlockNumber>>;
		/// Every pending slash that reaches `staker`'s stake, with what it would cost it.
		fn staker_exposure(staker: AccountId) -> alloc::vec::Vec<StakerExposure<AccountId, BlockNumber>>;
		/// One slash record.
		fn slash(id: SlashId) -> Option<SlashRecord<AccountId, BlockNumber>>;
		/// The slashing switch for `set`.
		fn mode(set: OperatorSetId) -> ModeView;
	}
}
