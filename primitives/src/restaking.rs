//! The restaking interface: operator sets, magnitudes and the slashing primitive.
//!
//! Restaking (`pallet-restaking`) owns the stake; the AVS registry owns operator sets and their
//! membership; slashing decides when to slash. They meet through the traits here:
//!
//! - [`OperatorSetRegistry`] (implemented by the AVS registry): whether an operator is
//!   registered in a set and which strategies a set accepts. Restaking checks it before an
//!   operator allocates.
//! - [`OperatorSlasher`] (implemented by restaking): slash an operator's stake allocated to a
//!   set by a fraction, O(1) in the number of stakers behind the operator.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sp_runtime::{DispatchError, DispatchResult};

/// Identifies a restaking strategy: one per restakable asset (native KSN or one mirrored LST).
pub type StrategyId = u32;

/// Identifies an AVS in the registry.
pub type AvsId = u32;

/// A fixed-point fraction with [`WAD`] = 100%: allocation magnitudes and slash fractions.
pub type Magnitude = u128;

/// One, in [`Magnitude`] fixed point (10¹⁸).
pub const WAD: Magnitude = 1_000_000_000_000_000_000;

/// The magnitude a slash of `fraction` takes from an allocation of `magnitude` (both of
/// [`WAD`]): rounded up, against the slashed operator, and never more than the allocation.
pub fn slashed_magnitude(magnitude: Magnitude, fraction: Magnitude) -> Magnitude {
	magnitude.saturating_mul(fraction).div_ceil(WAD).min(magnitude)
}

/// An operator set: the operators an AVS draws security from under one set of rules.
#[derive(
	Clone,
	Copy,
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
pub struct OperatorSetId {
	/// The AVS that owns the set.
	pub avs: AvsId,
	/// The set's index within the AVS.
	pub index: u32,
}

/// Where slashed funds go.
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
pub enum SlashDestination<AccountId> {
	/// Destroyed: the asset's supply falls.
	Burn,
	/// Paid to this account.
	To(AccountId),
}

/// What one strategy lost in a slash.
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
pub struct StrategySlash<Balance> {
	pub strategy: StrategyId,
	/// The `Native` strategy: the operator's validator pool was slashed.
	pub native: bool,
	/// The operator's magnitude for the set before and after the slash.
	pub magnitude_before: Magnitude,
	pub magnitude_after: Magnitude,
	/// Value taken from the operator's stakers (asset units of the strategy).
	pub amount: Balance,
	/// The part of `amount` paid to the reporter or executor of the slash.
	pub reward: Balance,
}

/// How [`OperatorSlasher::slash`] slashes.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct SlashParams<'a, AccountId> {
	/// Of the operator's magnitude for the set, in every strategy ([`WAD`] = all of it).
	pub fraction: Magnitude,
	/// Where the slashed value goes (asset strategies; native pool slashes go wherever native
	/// staking sends slashed KSN).
	pub destination: &'a SlashDestination<AccountId>,
	/// Per strategy, the most magnitude the slash may take: a slash decided earlier never
	/// takes more than it would have then. Strategies not listed are not slashed. `None`: no
	/// cap (the slash is decided now).
	pub caps: Option<&'a [(StrategyId, Magnitude)]>,
	/// Paid this share of what the operator itself lost in each strategy (its self-bond in
	/// a native pool, its own position otherwise), out of the slashed value (minted in the
	/// strategy's asset, in KSN for `Native`); the rest goes to `destination`. An operator with
	/// nothing of its own at stake pays no reward, so slashing one's own stakers never pays.
	pub reward: Option<(&'a AccountId, sp_runtime::Perbill)>,
	/// For a native pool, the era the slash was requested in: everything bonded then is
	/// reached (`None`: now).
	pub bonded_since: Option<crate::EraIndex>,
}

/// Operator-set membership, as the AVS registry keeps it.
pub trait OperatorSetRegistry<AccountId> {
	/// Whether `operator` is registered in `set` now.
	fn is_member(operator: &AccountId, set: &OperatorSetId) -> bool;

	/// Whether `set` accepts stake of `strategy`.
	fn accepts_strategy(set: &OperatorSetId, strategy: StrategyId) -> bool;

	/// Whether `set` may still slash `operator`: a member, or one that left less than the
	/// deallocation delay ago (its allocation is still in force).
	fn is_slashable(operator: &AccountId, set: &OperatorSetId) -> bool {
		Self::is_member(operator, set)
	}
}

/// What the AVS registry needs from restaking (implemented by restaking).
pub trait OperatorSetStake<AccountId> {
	/// Whether `who` is a restaking operator (registered, or a validator candidate).
	fn is_operator(who: &AccountId) -> bool;

	/// The stake delegated to `operator` in `strategy` (allocated or not).
	fn operator_stake(operator: &AccountId, strategy: StrategyId) -> u128;

	/// The stake `operator` has allocated to `set` in `strategy` now (in force).
	fn allocated_stake(operator: &AccountId, set: &OperatorSetId, strategy: StrategyId) -> u128;

	/// The `Native` strategy, if there is one.
	fn native_strategy() -> Option<StrategyId>;

	/// Blocks a queued withdrawal waits (and stays slashable) before it completes.
	fn withdrawal_delay() -> u32;

	/// Blocks a deallocation takes to free its stake (which stays slashable until then).
	fn deallocation_delay() -> u32;

	/// `operator` left `set`: schedule every allocation it has to the set down to zero after
	/// the deallocation delay (it stays slashable until then). Pending increases are dropped.
	fn deallocate_all(operator: &AccountId, set: &OperatorSetId) -> Result<(), DispatchError>;

	/// Calls `visit(i, operator, strategy, stake)` for everything allocated to `sets[i]` now
	/// with a stake above zero (at most a set's allocation bound entries each), set after set.
	/// For views, not for per-block work.
	fn for_each_set_allocation(
		sets: &[OperatorSetId],
		visit: impl FnMut(usize, AccountId, StrategyId, u128),
	);
}

/// Slash restaked stake.
pub trait OperatorSlasher<AccountId, Balance> {
	/// Slash what `operator` has allocated to `set`, in every strategy, as `params` says:
	/// lowers the operator's magnitude for the set and its maximum magnitude (so every staker
	/// behind it, their queued withdrawals and its pending deallocations lose value at once).
	/// O(strategies), never O(stakers).
	fn slash(
		operator: &AccountId,
		set: &OperatorSetId,
		params: SlashParams<'_, AccountId>,
	) -> Result<alloc::vec::Vec<StrategySlash<Balance>>, DispatchError>;

	/// Slash `fraction` (of [`WAD`]) of what `operator` has allocated to `set` now, sending
	/// it all to `destination`.
	fn slash_operator(
		operator: &AccountId,
		set: &OperatorSetId,
		fraction: Magnitude,
		destination: &SlashDestination<AccountId>,
	) -> Result<alloc::vec::Vec<StrategySlash<Balance>>, DispatchError> {
		Self::slash(
			operator,
			set,
			SlashParams { fraction, destination, caps: None, reward: None, bonded_since: None },
		)
	}

	/// What [`Self::slash`] with `fraction` and `caps` would take now, per strategy, from
	/// everyone behind `operator` (`staker: None`) or from `staker` alone. Changes nothing.
	fn preview(
		operator: &AccountId,
		set: &OperatorSetId,
		fraction: Magnitude,
		caps: Option<&[(StrategyId, Magnitude)]>,
		staker: Option<&AccountId>,
	) -> alloc::vec::Vec<StrategySlash<Balance>>;

	/// A slash of `operator` for `set` was requested and waits for a decision: until every
	/// such slash is decided ([`Self::unfreeze`] once for each), nothing allocated to the set
	/// is released (decreases due meanwhile wait), no withdrawal queued from `operator` that
	/// could not complete before the request completes, and no stake leaves its native pool,
	/// so the stake in reach when the slash was requested is still there when it executes.
	fn freeze(operator: &AccountId, set: &OperatorSetId);

	/// A slash [`Self::freeze`] announced was executed, vetoed or failed.
	fn unfreeze(operator: &AccountId, set: &OperatorSetId);

	/// The operators `staker` is exposed through: its restaking operator and its native
	/// validator pool.
	fn staker_operators(staker: &AccountId) -> alloc::vec::Vec<AccountId>;
}

/// A test and devnet registry in which every operator is a member of every set, and every set
/// accepts every strategy. Never use it in a production runtime.
pub struct OpenOperatorSets;

impl<AccountId> OperatorSetRegistry<AccountId> for OpenOperatorSets {
	fn is_member(_: &AccountId, _: &OperatorSetId) -> bool {
		true
	}

	fn accepts_strategy(_: &OperatorSetId, _: StrategyId) -> bool {
		true
	}
}

/// Values stake of different strategies in one unit, to split an operator set's rewards pro
/// rata to allocated stake across assets.
pub trait StakeValuation {
	/// What `amount` of `strategy`'s asset is worth in the common unit.
	fn value(strategy: StrategyId, amount: u128) -> u128;
}

/// Sets what a strategy's unit is worth to [`StakeValuation`] (implemented by the AVS registry,
/// fed by the bridge's accepted rates).
pub trait SetExchangeRate {
	/// Value one unit of `strategy` at `rate` common units; a zero rate is refused.
	fn set_exchange_rate(strategy: StrategyId, rate: sp_runtime::FixedU128) -> DispatchResult;
}

/// The restaking strategy of an asset (implemented by restaking).
pub trait AssetStrategies<AssetId> {
	/// The strategy that restakes `asset`, if there is one.
	fn asset_strategy(asset: &AssetId) -> Option<StrategyId>;
}

/// Every strategy's unit is worth one unit: right while every restakable asset is worth the
/// same (tests, devnets); production runtimes price LSTs by the bridge's exchange rates.
pub struct OneToOne;

impl StakeValuation for OneToOne {
	fn value(_: StrategyId, amount: u128) -> u128 {
		amount
	}
}

/// Pay rewards to an operator set's operators and their stakers (implemented by restaking,
/// called by the AVS registry).
pub trait RewardsDistributor<AccountId, AssetId> {
	/// Split `amount` of `asset`, taken from `payer`, among the operators that have stake
	/// allocated to `set`, pro rata to that stake's value; each operator's commission goes to
	/// it, the rest to its stakers. Returns what was taken from `payer`.
	fn distribute_rewards(
		payer: &AccountId,
		set: &OperatorSetId,
		asset: AssetId,
		amount: u128,
	) -> Result<u128, DispatchError>;

	/// The weight [`Self::distribute_rewards`] takes for `set` now.
	fn distribute_rewards_weight(set: &OperatorSetId) -> sp_runtime::Weight;

	/// The most [`Self::distribute_rewards`] can take for any set.
	fn max_distribute_rewards_weight() -> sp_runtime::Weight;
}

/// A staker's position in one strategy, as [`RestakingApi::staker`] reports it.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct PositionView {
	pub strategy: StrategyId,
	/// Deposit shares (what `queue_withdrawal` counts in).
	pub deposit_shares: u128,
	/// What the position could withdraw now, after every slash so far.
	pub withdrawable: u128,
}

/// A queued withdrawal, as [`RestakingApi`] reports it.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct WithdrawalView<AccountId, BlockNumber> {
	pub id: u64,
	pub strategy: StrategyId,
	/// The operator whose sets can still slash it.
	pub operator: Option<AccountId>,
	/// What it would pay (or redeposit) now.
	pub value: u128,
	pub withdrawable_at: BlockNumber,
	/// Put back as a position (from redelegation) rather than paid out.
	pub redeposit: bool,
}

/// Everything restaking holds for one staker.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct StakerView<AccountId, BlockNumber> {
	pub delegated_to: Option<AccountId>,
	pub positions: alloc::vec::Vec<PositionView>,
	pub withdrawals: alloc::vec::Vec<WithdrawalView<AccountId, BlockNumber>>,
}

/// An operator's stake in one strategy.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct OperatorStrategyView {
	pub strategy: StrategyId,
	/// Delegated stake (for `Native`, the validator pool's active stake).
	pub delegated: u128,
	/// Stake in withdrawals queued from the operator, still slashable.
	pub queued: u128,
	/// The operator's slashing factor ([`WAD`] = never slashed).
	pub max_magnitude: Magnitude,
	/// Magnitude allocated or pending allocation, as of now (due changes applied).
	pub encumbered: Magnitude,
}

/// An operator's allocation to one set in one strategy.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct AllocationView<BlockNumber> {
	pub set: OperatorSetId,
	pub strategy: StrategyId,
	/// Magnitude in force (slashable).
	pub magnitude: Magnitude,
	/// The stake it represents now.
	pub allocated_stake: u128,
	/// A pending change: (target magnitude, block it takes effect at).
	pub pending: Option<(Magnitude, BlockNumber)>,
}

/// Everything restaking holds for one operator.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct OperatorView<BlockNumber> {
	/// Registered (or a validator candidate, an operator automatically).
	pub is_operator: bool,
	pub commission: sp_runtime::Perbill,
	pub strategies: alloc::vec::Vec<OperatorStrategyView>,
	pub allocations: alloc::vec::Vec<AllocationView<BlockNumber>>,
}

sp_api::decl_runtime_apis! {
	/// Read restaking state: what a staker can withdraw, an operator's stake and allocations.
	pub trait RestakingApi<AccountId, BlockNumber, RewardAssetId> where
		AccountId: codec::Codec,
		BlockNumber: codec::Codec,
		RewardAssetId: codec::Codec,
	{
		/// A staker's delegation, positions (with withdrawable amounts) and queued withdrawals.
		fn staker(who: AccountId) -> StakerView<AccountId, BlockNumber>;
		/// An operator's stake per strategy and allocations per operator set.
		fn operator(operator: AccountId) -> OperatorView<BlockNumber>;
		/// Rewards `who` can claim for its position in `strategy`, per reward asset.
		fn claimable_rewards(who: AccountId, strategy: StrategyId) -> alloc::vec::Vec<(RewardAssetId, u128)>;
	}
}
