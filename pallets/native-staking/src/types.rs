//! Storage and call types of native staking.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{pallet_prelude::*, traits::fungible::Inspect, BoundedBTreeMap, BoundedVec};
use kasane_primitives::EraIndex;
use scale_info::TypeInfo;
use sp_runtime::{FixedU128, Perbill};

use crate::Config;

pub type BalanceOf<T> =
	<<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;
pub type AccountIdOf<T> = <T as frame_system::Config>::AccountId;
/// An elected validator set, in election order.
pub type ElectedSet<T> =
	BoundedVec<ElectedValidator<AccountIdOf<T>, BalanceOf<T>>, <T as Config>::MaxValidators>;

/// Where claimed rewards go.
#[derive(
	Clone,
	Copy,
	Debug,
	Default,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
	serde::Serialize,
	serde::Deserialize,
)]
pub enum RewardDestination {
	/// Bond the reward into the staker's pool (auto-compound).
	Stake,
	/// Pay the reward to the staker's free balance.
	#[default]
	Free,
}

/// One validator's pool: the validator's self-bond and all delegations to it.
///
/// Members own `shares`; a share is worth `active / shares`. A slash lowers `active` only, so it
/// costs O(1) whatever the number of members; each member's hold is trimmed to its shares'
/// worth when its ledger is next settled. Rewards accumulate in `reward_per_share`; a member is
/// owed `shares × (reward_per_share − its snapshot)`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Encode, Decode, TypeInfo, MaxEncodedLen)]
pub struct Pool<Balance> {
	/// Active stake backing the pool.
	pub active: Balance,
	/// Shares outstanding against `active`.
	pub shares: Balance,
	/// Shares held by the validator itself (its self-bond).
	pub owner_shares: Balance,
	/// Rewards paid per share since the pool was created.
	pub reward_per_share: FixedU128,
	/// Ledgers whose active shares are in this pool.
	pub members: u32,
	/// Number of slashes ever applied to the pool.
	pub slashes: u32,
	/// The owner's validator preferences when it last validated; kept after `chill` so that
	/// chilling and validating again cannot dodge the commission rate limit.
	pub prefs: Option<ValidatorPrefs>,
}

/// Stake leaving a pool (unbonding, or moved away by a redelegation) that unlocks at one era.
///
/// Kept per pool and era so that a slash reaches it in O(1) per era, while it still counts for
/// the offences committed before it left.
#[derive(Clone, Debug, Default, PartialEq, Eq, Encode, Decode, TypeInfo, MaxEncodedLen)]
pub struct UnbondPool<Balance> {
	pub stake: Balance,
	pub shares: Balance,
}

/// Part of a staker's stake unbonding from `pool`, withdrawable at `era`.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo, MaxEncodedLen)]
pub struct UnbondingChunk<AccountId, Balance> {
	pub pool: AccountId,
	pub era: EraIndex,
	/// Shares of `UnbondPools[(pool, era)]`.
	pub shares: Balance,
}

/// Stake moved from pool `from` by a redelegation. The value now backs the staker's new pool,
/// but until `era` it stays answerable for offences of `from`: its shares in `from`'s unbond
/// pool fall with any slash, and the loss is taken from the staker's new position.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo, MaxEncodedLen)]
pub struct RedelegationObligation<AccountId, Balance> {
	pub from: AccountId,
	pub era: EraIndex,
	/// Shares of `UnbondPools[(from, era)]`.
	pub shares: Balance,
	/// What those shares were worth when last settled.
	pub value: Balance,
}

/// Everything one account has staked.
#[derive(
	CloneNoBound, DebugNoBound, PartialEqNoBound, EqNoBound, Encode, Decode, TypeInfo, MaxEncodedLen,
)]
#[scale_info(skip_type_params(T))]
pub struct StakerLedger<T: Config> {
	/// The validator whose pool holds the active shares (the account itself for a self-bond).
	pub pool: AccountIdOf<T>,
	/// Active shares in `pool`.
	pub shares: BalanceOf<T>,
	/// Held under `HoldReason::Staking`; always equals the account's hold.
	pub held: BalanceOf<T>,
	/// `pool.reward_per_share` when rewards were last settled into `pending_rewards`.
	pub reward_snapshot: FixedU128,
	/// Rewards settled but not yet claimed (minted on claim).
	pub pending_rewards: BalanceOf<T>,
	pub unbonding: BoundedVec<UnbondingChunk<AccountIdOf<T>, BalanceOf<T>>, T::MaxUnlockingChunks>,
	pub redelegations:
		BoundedVec<RedelegationObligation<AccountIdOf<T>, BalanceOf<T>>, T::MaxUnlockingChunks>,
	pub reward_destination: RewardDestination,
}

/// A validator candidate's preferences.
#[derive(
	Clone,
	Copy,
	Debug,
	Default,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
pub struct ValidatorPrefs {
	/// Share of the pool's era reward kept by the validator.
	pub commission: Perbill,
	/// Era of the last commission increase (increases are rate-limited per era).
	pub last_increase_era: EraIndex,
}

/// A validator in an elected set.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo, MaxEncodedLen)]
pub struct ElectedValidator<AccountId, Balance> {
	pub validator: AccountId,
	/// Its commission at election; the era's rewards use it even if it changes later.
	pub commission: Perbill,
	/// `Pool::slashes` at election: a higher count means the pool was slashed since, the one
	/// way its self-stake can fall below `MinValidatorBond` while it is elected.
	pub pool_slashes: u32,
	/// Its pool's active stake at election: what it backs the era with. The set's entries sum
	/// to the era's [`crate::PlannedStake`] / [`crate::ActiveStake`]. (In a set elected before
	/// storage version 1, its share of that total by pool stake at the upgrade:
	/// [`crate::migrations::v1::MigrateV0ToV1`].)
	pub stake: Balance,
}

/// The era in force and when it started.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Encode, Decode, TypeInfo, MaxEncodedLen)]
pub struct ActiveEraInfo {
	pub index: EraIndex,
	/// Milliseconds since the Unix epoch; set on the era's first block.
	pub start: Option<u64>,
}

/// Block-authorship points of the active era.
#[derive(
	CloneNoBound, DebugNoBound, PartialEqNoBound, EqNoBound, Encode, Decode, TypeInfo, MaxEncodedLen,
)]
#[scale_info(skip_type_params(T))]
pub struct EraRewardPoints<T: Config> {
	pub total: u32,
	pub individual: BoundedBTreeMap<AccountIdOf<T>, u32, T::MaxValidators>,
}

impl<T: Config> Default for EraRewardPoints<T> {
	fn default() -> Self {
		Self { total: 0, individual: BoundedBTreeMap::new() }
	}
}

/// A consensus offence waiting `SlashDeferEras` eras before it is applied.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo, MaxEncodedLen)]
pub struct UnappliedSlash<AccountId> {
	pub validator: AccountId,
	pub fraction: Perbill,
	/// The era the offence was committed in: stake that left the pool before it is spared.
	pub offence_era: EraIndex,
	/// Its record in the slashing history ([`crate::Config::SlashLog`]).
	pub record: Option<kasane_primitives::slashing::SlashId>,
}

/// Why an era kept the previous validator set.
#[derive(
	Clone,
	Copy,
	Debug,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
pub enum ElectionSkipped {
	/// Fewer eligible candidates (keys set, enough self-bond, not blocked) than `MinValidators`.
	TooFewCandidates { eligible: u32, minimum: u32 },
}
