//! Records kept by restaking, and the fixed-point arithmetic they share.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{pallet_prelude::*, BoundedVec};
use kasane_primitives::restaking::{Magnitude, OperatorSetId, StrategyId, WAD};
use scale_info::TypeInfo;
use sp_runtime::{Perbill, Rounding};

/// Identifies a queued withdrawal among its staker's: `queued_at × 2¹⁶ + n` for the staker's
/// `n`-th withdrawal queued in that block (see [`withdrawal_id`]).
pub type WithdrawalId = u64;

/// The id of a staker's withdrawal queued at block `queued_at` after `earlier` others of its
/// withdrawals queued in that block. Unique per staker and increasing: no withdrawal completes
/// in the block it was queued (the withdrawal delay is not zero), and a staker queues fewer
/// than 2¹⁶ in a block (its queue is shorter). Saturates past block 2⁴⁸.
pub fn withdrawal_id(queued_at: u64, earlier: u32) -> WithdrawalId {
	queued_at.min(u64::MAX >> 16).saturating_mul(1 << 16).saturating_add(earlier.into())
}

/// Below this maximum magnitude (10⁻⁹ of the original) an operator counts as fully slashed for
/// a strategy: it takes no new stake, because scaled shares would overflow.
pub const MIN_LIVE_MAX_MAGNITUDE: Magnitude = 1_000_000_000;

/// What a strategy restakes.
#[derive(
	serde::Serialize,
	serde::Deserialize,
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
pub enum StrategyKind<AssetId> {
	/// KSN bonded in native staking: a validator-operator's pool is its stake in this strategy.
	/// Nothing is deposited here; stake enters through native staking.
	Native,
	/// A mirrored LST (a `fungibles` asset), taken out of circulation while restaked.
	Asset(AssetId),
}

/// Whether a strategy takes deposits.
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
pub enum StrategyStatus {
	/// Deposits are open.
	Active,
	/// New deposits are refused; withdrawals, delegation and slashing go on.
	DepositsPaused,
}

/// A restakable asset and its totals.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct Strategy<AssetId> {
	pub kind: StrategyKind<AssetId>,
	pub status: StrategyStatus,
	/// Most the strategy may hold.
	pub deposit_cap: u128,
	/// Most one staker's position (what it could withdraw) may be worth after a deposit.
	pub per_staker_cap: u128,
	/// What the strategy holds: deposited − withdrawn − slashed, exactly.
	pub held: u128,
	/// Scaled shares of stakers delegated to nobody, active and queued (worth one unit each).
	pub undelegated_scaled: u128,
	/// Lifetime totals, so that supply changes can be audited.
	pub total_deposited: u128,
	pub total_withdrawn: u128,
	pub total_slashed: u128,
	/// Whether slashed funds may be paid to the account an operator set names; otherwise
	/// they are burned, whatever the set says. Off unless the strategy admin opts in.
	pub redistributable: bool,
}

/// A commission change waiting for its delay.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct CommissionChange<BlockNumber> {
	pub commission: Perbill,
	pub effective_at: BlockNumber,
}

/// A registered operator.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
#[scale_info(skip_type_params(MaxMetadata))]
pub struct Operator<BlockNumber, MaxMetadata: Get<u32>> {
	/// Share of the operator's rewards it keeps before its stakers are paid.
	pub commission: Perbill,
	/// A scheduled commission change; applied once `effective_at` is reached.
	pub pending_commission: Option<CommissionChange<BlockNumber>>,
	/// Free-form metadata (a URI, typically).
	pub metadata: BoundedVec<u8, MaxMetadata>,
	/// Whether stakers need the operator's approval to delegate.
	pub approval_required: bool,
	/// Registered automatically as a native validator-operator.
	pub native: bool,
	/// Held from the operator while it is registered.
	pub deposit: u128,
	/// Stakers it approved (each holding [`crate::Config::ApprovalDeposit`]).
	pub approvals: u32,
}

impl<BlockNumber: PartialOrd + Copy, MaxMetadata: Get<u32>> Operator<BlockNumber, MaxMetadata> {
	/// The commission in force at `now`.
	pub fn commission_at(&self, now: BlockNumber) -> Perbill {
		match &self.pending_commission {
			Some(change) if change.effective_at <= now => change.commission,
			_ => self.commission,
		}
	}

	/// Fold a matured commission change into `commission`.
	pub fn mature(&mut self, now: BlockNumber) {
		if let Some(change) = &self.pending_commission {
			if change.effective_at <= now {
				self.commission = change.commission;
				self.pending_commission = None;
			}
		}
	}
}

/// An operator's book for one strategy.
///
/// Stakers' positions are *scaled shares*: a staker delegated to this operator can withdraw
/// `scaled × max_magnitude / WAD`. A slash lowers `max_magnitude`, which devalues every
/// position (active or queued) at once: that is the O(1) slash.
///
/// The reward accumulators live here too: a staker's settlement needs them exactly when it
/// touches this book, so one read serves both. So do the withdrawals queued from the operator,
/// grouped by completion time: queueing, completing and slashing change them together with
/// the queued shares; and the list of allocation changes still waiting for their delay, which
/// an allocation change writes together with the magnitude it encumbers.
#[derive(
	frame_support::CloneNoBound,
	frame_support::PartialEqNoBound,
	frame_support::EqNoBound,
	Encode,
	Decode,
	MaxEncodedLen,
	TypeInfo,
	frame_support::DebugNoBound,
)]
#[scale_info(skip_type_params(MaxRewardAssets, MaxBuckets, MaxPending))]
pub struct OperatorStrategy<
	RewardAssetId: Clone + PartialEq + Eq + core::fmt::Debug,
	MaxRewardAssets: Get<u32>,
	BlockNumber: Clone + PartialEq + Eq + core::fmt::Debug,
	MaxBuckets: Get<u32>,
	MaxPending: Get<u32>,
> {
	/// The operator's slashing factor for this strategy; starts at [`WAD`] and only falls.
	pub max_magnitude: Magnitude,
	/// Magnitude allocated (or pending allocation) to operator sets: ≤ `max_magnitude`.
	pub encumbered: Magnitude,
	/// Scaled shares of the stakers delegated to the operator.
	pub active_scaled: u128,
	/// Scaled shares in withdrawals (and redelegations) queued from this operator: no longer
	/// delegated, still slashable.
	pub queued_scaled: u128,
	/// Operator sets the operator has an allocation record with in this strategy (in force
	/// or pending): at most `MaxPendingAllocations`, so every one of them can always be
	/// scheduled down (an ejection never finds the pending list full).
	pub allocated_sets: u32,
	/// Reward per scaled share (×10¹⁸) ever paid to the operator's stakers in this strategy,
	/// per reward asset.
	pub reward_per_share: BoundedVec<(RewardAssetId, u128), MaxRewardAssets>,
	/// The withdrawals queued from the operator in this strategy, grouped by the block they
	/// can complete, oldest first (see the crate docs, "Withdrawals and redelegation"). A
	/// bucket not settled yet is part of `queued_scaled` and falls with `max_magnitude`; a
	/// settled one keeps the factor it was settled at. A settled bucket leaves the list when
	/// its last withdrawal completes, or for [`crate::SettledWithdrawals`] when the list
	/// needs room.
	pub maturity: BoundedVec<MaturityBucket<BlockNumber>, MaxBuckets>,
	/// Operator sets whose allocation in this strategy has a change waiting for its delay:
	/// applied by whoever touches the allocations next (at most one entry per allocated set).
	pub pending_allocations: BoundedVec<OperatorSetId, MaxPending>,
}

impl<
		RewardAssetId: Clone + PartialEq + Eq + core::fmt::Debug,
		MaxRewardAssets: Get<u32>,
		BlockNumber: Clone + PartialEq + Eq + core::fmt::Debug,
		MaxBuckets: Get<u32>,
		MaxPending: Get<u32>,
	> Default
	for OperatorStrategy<RewardAssetId, MaxRewardAssets, BlockNumber, MaxBuckets, MaxPending>
{
	fn default() -> Self {
		Self {
			max_magnitude: WAD,
			encumbered: 0,
			active_scaled: 0,
			queued_scaled: 0,
			allocated_sets: 0,
			reward_per_share: Default::default(),
			maturity: Default::default(),
			pending_allocations: Default::default(),
		}
	}
}

impl<
		RewardAssetId: Clone + PartialEq + Eq + core::fmt::Debug,
		MaxRewardAssets: Get<u32>,
		BlockNumber: Clone + PartialEq + Eq + core::fmt::Debug,
		MaxBuckets: Get<u32>,
		MaxPending: Get<u32>,
	> OperatorStrategy<RewardAssetId, MaxRewardAssets, BlockNumber, MaxBuckets, MaxPending>
{
	/// What the operator's stakers, active and queued, can claim together.
	pub fn claims(&self) -> u128 {
		scaled_to_value(self.active_scaled.saturating_add(self.queued_scaled), self.max_magnitude)
	}

	/// The delegated (active) stake.
	pub fn delegated(&self) -> u128 {
		scaled_to_value(self.active_scaled, self.max_magnitude)
	}

	/// Magnitude not yet allocated to any set.
	pub fn free_magnitude(&self) -> Magnitude {
		self.max_magnitude.saturating_sub(self.encumbered)
	}
}

/// A change of allocation waiting for its delay.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct PendingAllocation<BlockNumber> {
	/// The magnitude the allocation will have.
	pub target: Magnitude,
	pub effective_at: BlockNumber,
}

/// An operator's allocation to one operator set in one strategy.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct Allocation<BlockNumber> {
	/// The magnitude in force: what the set can slash and what its rewards are paid on. A
	/// pending decrease is still in force (and slashable) until it takes effect.
	pub magnitude: Magnitude,
	pub pending: Option<PendingAllocation<BlockNumber>>,
}

impl<BlockNumber: PartialOrd + Copy> Allocation<BlockNumber> {
	/// The allocation as it stands at `now`, with a due change applied.
	pub fn at(&self, now: BlockNumber) -> Self {
		match &self.pending {
			Some(p) if p.effective_at <= now => Self { magnitude: p.target, pending: None },
			_ => self.clone(),
		}
	}

	/// What this allocation encumbers of the operator's magnitude: the larger of the current
	/// and pending magnitude (a decrease frees magnitude only once it takes effect).
	pub fn encumbers(&self) -> Magnitude {
		self.pending.as_ref().map_or(self.magnitude, |p| p.target.max(self.magnitude))
	}

	/// The magnitude this allocation stops encumbering once it stands as `matured`.
	pub fn released_by(&self, matured: &Self) -> Magnitude {
		self.encumbers().saturating_sub(matured.encumbers())
	}
}

/// A staker's position in one strategy, with its reward book there.
///
/// The reward book lives in the same record as the shares because every change of the shares
/// settles it first: one read and one write per position change instead of two. A record whose
/// `deposit_shares` fell to zero stays while rewards wait to be claimed; it is no position then
/// (it moves with no delegation: `positions_of` skips it).
#[derive(
	frame_support::CloneNoBound,
	frame_support::PartialEqNoBound,
	frame_support::EqNoBound,
	frame_support::DefaultNoBound,
	Encode,
	Decode,
	MaxEncodedLen,
	TypeInfo,
	frame_support::DebugNoBound,
)]
#[scale_info(skip_type_params(MaxRewardAssets))]
pub struct Position<
	RewardAssetId: Clone + PartialEq + Eq + core::fmt::Debug,
	MaxRewardAssets: Get<u32>,
> {
	/// Shares as deposited (one per unit of asset at deposit time); what `queue_withdrawal`
	/// counts in. Slashes never change them.
	pub deposit_shares: u128,
	/// `deposit_shares × deposit scaling factor`: shares in the unit of the staker's current
	/// operator (or, undelegated, worth one asset unit each). Worth
	/// `scaled_shares × slashing factor / WAD`, the slashing factor being the operator's
	/// maximum magnitude for the strategy.
	pub scaled_shares: u128,
	/// Per reward asset: the operator's accumulator when the position was last settled and
	/// what it is owed.
	pub rewards: BoundedVec<StakerReward<RewardAssetId>, MaxRewardAssets>,
}

impl<RewardAssetId: Clone + PartialEq + Eq + core::fmt::Debug, MaxRewardAssets: Get<u32>>
	Position<RewardAssetId, MaxRewardAssets>
{
	/// Nothing deposited and nothing owed: the record can go. (Without shares a snapshot
	/// means nothing: the next deposit settles from the accumulator of its time.)
	pub fn is_empty(&self) -> bool {
		self.deposit_shares == 0 && self.rewards.iter().all(|e| e.pending == 0)
	}
}

/// A staker's delegation and queued withdrawals: redelegating, queueing and completing change
/// them together, so one item. Its positions are found under its key in [`crate::Positions`]
/// (at most one per strategy, so bounded by `MaxStrategies`): no list of them to keep up to
/// date, so a deposit into a new strategy or a whole withdrawal leaves this record as it is.
/// Kept while it has either.
#[derive(
	frame_support::CloneNoBound,
	frame_support::PartialEqNoBound,
	frame_support::EqNoBound,
	frame_support::DefaultNoBound,
	Encode,
	Decode,
	MaxEncodedLen,
	TypeInfo,
	frame_support::DebugNoBound,
)]
#[scale_info(skip_type_params(MaxQueued))]
pub struct Staker<
	AccountId: Clone + PartialEq + Eq + core::fmt::Debug,
	BlockNumber: Clone + PartialEq + Eq + core::fmt::Debug,
	MaxQueued: Get<u32>,
> {
	/// The operator. The first field: a deposit reads only it (see
	/// [`crate::Pallet::delegation`]).
	pub delegated_to: Option<AccountId>,
	/// Its queued withdrawals, oldest first: queueing and completing read and write them once
	/// and need neither a count nor an index.
	pub withdrawals: BoundedVec<Withdrawal<AccountId, BlockNumber>, MaxQueued>,
}

impl<
		AccountId: Clone + PartialEq + Eq + core::fmt::Debug,
		BlockNumber: Clone + PartialEq + Eq + core::fmt::Debug,
		MaxQueued: Get<u32>,
	> Staker<AccountId, BlockNumber, MaxQueued>
{
	/// Nothing left to keep.
	pub fn is_empty(&self) -> bool {
		self.delegated_to.is_none() && self.withdrawals.is_empty()
	}
}

/// What completing a withdrawal does.
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
pub enum WithdrawalKind {
	/// Pays the asset (minted back into circulation) to the staker.
	Tokens,
	/// Puts the stake back as a position under the staker's delegation at completion (from
	/// `redelegate` and `undelegate`). Anyone may complete it (`complete_redeposit`).
	Redeposit,
}

/// A queued withdrawal: slashable by `operator`'s sets until it completes. Kept in its
/// staker's record ([`crate::Stakers`]).
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct Withdrawal<AccountId, BlockNumber> {
	/// Unique among all withdrawals ever queued.
	pub id: WithdrawalId,
	/// The operator the stake was delegated to when queued (its slashes still reach it).
	pub operator: Option<AccountId>,
	pub strategy: StrategyId,
	pub deposit_shares: u128,
	/// In `operator`'s unit (see [`Position::scaled_shares`]).
	pub scaled_shares: u128,
	pub queued_at: BlockNumber,
	pub withdrawable_at: BlockNumber,
	pub kind: WithdrawalKind,
}

/// The slashes of one operator that wait for a decision (see [`crate::OperatorFreezes`]).
#[derive(Clone, Copy, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct Freeze<BlockNumber> {
	/// How many (any set); the record is removed at zero.
	pub pending: u32,
	/// The block the first of them was requested: withdrawals from the operator that could
	/// complete by then are out of reach of every one of them.
	pub since: BlockNumber,
}

/// The withdrawals queued from one operator in one strategy that become completable at the
/// same block (see [`OperatorStrategy::maturity`]).
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct MaturityBucket<BlockNumber> {
	/// When they can complete.
	pub withdrawable_at: BlockNumber,
	/// Their scaled shares not completed yet (in the operator's unit).
	pub scaled: u128,
	/// The operator's max magnitude they were settled at, once no slash can reach them any
	/// more; `None` while one can (they are then part of the book's `queued_scaled`).
	pub settled_at: Option<Magnitude>,
}

pub use kasane_primitives::math::mul_div;

/// What `scaled` shares are worth at slashing factor `max_magnitude`, rounded down (against
/// the staker). Saturates: `max_magnitude ≤ WAD` keeps it ≤ `scaled`.
pub fn scaled_to_value(scaled: u128, max_magnitude: Magnitude) -> u128 {
	mul_div(scaled, max_magnitude, WAD, Rounding::Down).unwrap_or(scaled)
}

/// Scaled shares that `value` buys at slashing factor `max_magnitude`, rounded down (against
/// the depositor). `None` when the operator is fully slashed or the result overflows.
pub fn value_to_scaled(value: u128, max_magnitude: Magnitude) -> Option<u128> {
	if max_magnitude < MIN_LIVE_MAX_MAGNITUDE {
		return None;
	}
	mul_div(value, WAD, max_magnitude, Rounding::Down)
}

/// Precision of the reward-per-share accumulators.
pub const REWARD_PRECISION: u128 = WAD;

/// A staker's reward book for one (strategy, asset).
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct StakerReward<AssetId> {
	/// The reward asset.
	pub asset: AssetId,
	/// The operator's accumulator when this book was last settled.
	pub snapshot: u128,
	/// Owed and not yet claimed.
	pub pending: u128,
}
