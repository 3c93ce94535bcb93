//! # Restaking (`pallet-restaking`)
//!
//! Stake that already secures something is delegated to **operators**, who allocate it to the
//! **operator sets** of the AVSs they serve. An AVS can slash what is allocated to it.
//!
//! ## Terminology
//!
//! - **Strategy**: one restakable asset ([`Strategies`]): native KSN stake, or a mirrored LST.
//! - **Operator**: an account stakers delegate to ([`Operators`]); it allocates their stake to
//!   operator sets and takes a commission on rewards.
//! - **Operator set**: a group of operators an AVS draws security from, named by
//!   [`OperatorSetId`] (AVS, index); kept by the AVS registry.
//! - **Position**: a staker's stake in one strategy ([`Positions`]), in deposit and scaled
//!   shares.
//! - **Magnitude**: a fraction of an operator's stake in a strategy, in units of [`WAD`] = 100 %;
//!   its **maximum magnitude** falls with every slash, and an **allocation** gives part of it to
//!   one operator set ([`Allocations`]).
//! - **Withdrawal**: stake queued to leave a position, still slashable until its delay passes; a
//!   *redeposit* withdrawal returns it to the staker's position with a new operator.
//! - **Freeze**: what a pending slash holds in place until it is decided ([`SlashFreezes`]).
//!
//! ## Calls
//!
//! - Stakers: [`Call::deposit`], [`Call::delegate_to`], [`Call::undelegate`],
//!   [`Call::redelegate`], [`Call::queue_withdrawal`], [`Call::complete_withdrawal`],
//!   [`Call::claim_rewards`].
//! - Operators: [`Call::register_operator`], [`Call::update_operator`],
//!   [`Call::set_delegation_approval`], [`Call::deregister_operator`],
//!   [`Call::modify_allocation`].
//! - Anyone: [`Call::complete_redeposit`], [`Call::clear_pending_allocations`].
//! - Admin ([`Config::StrategyAdminOrigin`]): [`Call::add_strategy`],
//!   [`Call::set_strategy_status`], [`Call::set_strategy_redistribution`],
//!   [`Call::set_strategy_caps`].
//!
//! ## Strategies
//!
//! One strategy per restakable asset, added by [`Config::StrategyAdminOrigin`]:
//!
//! - `Native`: KSN bonded in native staking. A validator-operator's native pool *is* its stake
//!   in this strategy (read and slashed through [`kasane_primitives::staking::NativeStakeProvider`]).
//!   Nothing is deposited here. **The pool's delegators follow the validator's AVS choices**:
//!   when the validator allocates its `Native` magnitude to a set, every delegator's stake in
//!   the pool is exposed to that set's slashing in the same proportion (events say `native`).
//! - `Asset(id)`: a mirrored LST. `deposit` takes the asset out of circulation (burns it from
//!   the staker) and books it in the strategy (`held`); a withdrawal mints what the position
//!   is worth back to the staker, and a slash to an account mints the slashed value there.
//!   This is the restaking hold: unlike a per-account hold, a slash never has to reach the
//!   stakers' accounts — the slashed value is settled once, at slash time, and no slashed
//!   value stays in circulation waiting for each staker to act. `held` equals deposits minus
//!   withdrawals minus slashes exactly, and always covers what the stakers can claim
//!   (`try_state`); the LST bridge counts it as part of the mirrored supply.
//!
//! ## Shares and scaling factors (the O(1) slash)
//!
//! Each (operator, strategy) has a **maximum magnitude** `M` (starts at 10¹⁸ = [`WAD`], only
//! falls). A staker delegated to the operator holds *deposit shares* `d` and *scaled shares*
//! `s = d × dsf` (its deposit scaling factor `dsf` set when it deposited); it can withdraw
//! `s × M / WAD`. A slash lowers `M`, and so every position behind the operator, active or in
//! queued withdrawals, loses value at once: **no write per staker**. A deposit at factor `M`
//! buys `amount × WAD / M` scaled shares, so it is worth exactly what was paid in (rounded
//! down) and bears only later slashes.
//!
//! Undelegated stakers hold scaled shares worth one unit each (factor `WAD`).
//!
//! ## Allocations (unique stake)
//!
//! An operator allocates magnitude per (operator set, strategy); the sum of what it allocates
//! (and has pending) never exceeds `M`. The set's share of the operator's stake is
//! `stake × magnitude / M`. Increases take effect after [`Config::AllocationDelay`]; decreases
//! after [`Config::DeallocationDelay`], and the old magnitude stays slashable until then.
//! An operator can only allocate to a set it is registered in
//! ([`kasane_primitives::restaking::OperatorSetRegistry`], implemented by the AVS registry).
//! Each set lists its (operator, strategy) pairs in one bounded value ([`SetAllocations`],
//! at most [`Config::MaxAllocationsPerSet`]): paying a set, or valuing every set for the
//! registry's market view, reads one value per set instead of iterating a key per pair.
//!
//! ## Slashing
//!
//! [`OperatorSlasher::slash_operator`] takes `fraction` of the operator's magnitude for the
//! set (rounded up), lowers `M` by the same amount, and moves the value that drop represents
//! out of the strategy (or slashes the native pool by `slashed magnitude / M`). Pending
//! deallocations lose the same fraction; queued withdrawals lose value through `M`.
//!
//! A slash decided later (an AVS's veto window) *freezes* what it reaches until it is decided
//! ([`OperatorSlasher::freeze`], counted per pending slash and lifted by
//! [`OperatorSlasher::unfreeze`] when the last one is executed, vetoed or failed — by decision,
//! never by time): decreases of the operator's allocations to the set stay in force, no
//! withdrawal queued from the operator completes, and no stake leaves its native pool. A slash
//! and a deallocation or withdrawal due in the same block therefore always resolve in favour
//! of the slash, however late the slash executes. Such a slash is capped per strategy at what
//! it would have taken when it was requested (`SlashParams::caps`), and a native pool is
//! slashed on everything bonded in it at the request (`SlashParams::bonded_since`).
//!
//! **Who gains from a slash.** Slashed funds are burned unless the strategy opted in to
//! redistribution ([`Call::set_strategy_redistribution`], root): an operator set naming an
//! account gets nothing from stakers who did not choose it. A reporter or executor is paid a
//! share of what the slashed operator *itself* lost (its self-bond, its own position), out of
//! the slashed value: slashing other people's stake through one's own AVS never pays. New
//! exposure waits [`Config::AllocationDelay`], longer than [`Config::WithdrawalDelay`], so a
//! staker who disagrees with an allocation is out before it can be slashed.

//! **Rounding bound.** Every conversion rounds against the staker (value down, shares down,
//! slashed magnitude up). A strategy therefore always holds at least what its stakers can
//! claim: `held ≥ Σ_operators ⌊scaled × M / WAD⌋ + undelegated` (checked in `try_state`).
//! What a staker loses to rounding per action is below one asset unit plus one unit per
//! 10⁹ of its position (the deposit scaling factor's precision when `M ≥ 10⁻⁹`); an operator
//! whose `M` falls below 10⁻⁹ of the original takes no new stake.
//!
//! ## Rewards
//!
//! The AVS registry pays an operator set through
//! [`RewardsDistributor::distribute_rewards`]: the amount is split among the (operator,
//! strategy) allocations of the set pro rata to the value of the stake they allocate
//! ([`Config::StakeValuation`]); each operator keeps its commission, and the rest raises the
//! operator's reward-per-share accumulator for that strategy and asset. A staker is owed
//! `scaled shares × (accumulator − its snapshot)`; it is settled whenever its position changes
//! and `claim_rewards` pays everything owed in one step, whatever the number of distributions.
//! Rewards credited to stakers leave circulation until claimed (burned from the payer, minted
//! to the claimant). Rewards for `Native` stake paid in KSN go to the validator pool's members
//! through native staking's own accumulator; in other assets they go to the validator.
//!
//! ## Withdrawals and redelegation
//!
//! `queue_withdrawal` moves deposit shares into a withdrawal that stays slashable by the
//! operator's sets until it can complete (after [`Config::WithdrawalDelay`] blocks, rounded up
//! to one of [`Config::MaturityBuckets`] completion times per delay). From then on it bears
//! only the slashes requested before that block, however late it is completed: an operator's
//! withdrawals in a strategy are grouped by completion time (`maturity` in its
//! [`OperatorStrategy`] book), and a group is settled at the operator's factor of the moment
//! it can complete once no pending slash was requested before it ([`OperatorFreezes`]). While a slash of the operator is pending, groups
//! that become completable meanwhile also bear the slashes requested until it is decided
//! (they cannot complete then anyway).
//! `redelegate` switches the staker to the new operator in one call: its stake leaves the old
//! operator as *redeposit* withdrawals (still slashable by the old operator's sets for the
//! withdrawal delay, no longer counted in its delegated stake) which the staker
//! (`complete_withdrawal`) or anyone for it (`complete_redeposit`) completes when the delay has
//! passed; they land under the staker's current operator. No tokens move, no exit queue to
//! wait in before switching, no second delegation call. `undelegate` does the same with no new
//! operator.
//!
//! ## Storage layout (why so few writes)
//!
//! Each call writes only what changes, and records that change together share one item:
//! a staker's position in a strategy carries its reward book (every change of the shares
//! settles the rewards first), an operator's book in a strategy carries its reward
//! accumulators (every settlement reads them when it reads the book), its withdrawals grouped
//! by completion time (queueing, completing and slashing change them with the queued shares)
//! and its allocation changes still in their delay (an allocation change writes them with the
//! magnitude it encumbers), and a staker's record holds its delegation and its queued
//! withdrawals as one bounded list (redelegating, queueing and completing read and write it
//! once, and need no counter or index: a withdrawal's id is its queueing block and its rank
//! among the staker's withdrawals queued in that block, unique per staker). A deposit reads
//! only the delegation, the record's first field, not the queue after it. A staker's positions
//! are found under its key in [`Positions`], so opening or emptying one does not write the
//! record, and operators keep no count of their delegators, so switching operator writes
//! neither operator's record. A deposit therefore writes the strategy, the position, the
//! operator's book and the asset (burn); completing a token withdrawal writes the strategy,
//! the operator's book (or its bucket moved out of it), the staker's record and the asset
//! (mint).
//!
//! ## Code layout
//!
//! One file per concern, mirroring `tests/`: `strategies.rs`, `operators.rs` (and the shared
//! lookups), `deposits.rs` (every write of a position or a delegation), `withdrawals.rs`
//! (queueing, completion lists, completion), `allocations.rs`, `slashing.rs`, `rewards.rs`,
//! `views.rs` (what the runtime API reports), `try_state.rs`; `impls.rs` holds only the
//! traits other pallets call restaking through, `testing_utils.rs` the setup other pallets'
//! benchmarks use.

#![cfg_attr(not(feature = "std"), no_std)]
#![deny(rustdoc::broken_intra_doc_links)]

extern crate alloc;

pub use pallet::*;

mod allocations;
mod deposits;
mod impls;
pub mod migrations;
mod operators;
mod rewards;
mod slashing;
mod strategies;
#[cfg(any(test, feature = "runtime-benchmarks"))]
mod testing_utils;
mod try_state;
pub mod types;
mod views;
pub mod weights;
mod withdrawals;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

pub use kasane_primitives::restaking::{
	Magnitude, OperatorSetId, OperatorSlasher, RewardsDistributor, SlashDestination, SlashParams,
	StakeValuation, StrategyId, WAD,
};
use sp_runtime::ArithmeticError;
pub use types::*;
pub use weights::WeightInfo;

/// Log target of this pallet.
pub const LOG_TARGET: &str = "runtime::restaking";

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{
		pallet_prelude::*,
		traits::{fungible, fungibles},
	};
	use frame_system::pallet_prelude::*;
	use kasane_primitives::{restaking::OperatorSetRegistry, staking::NativeStakeProvider};
	use sp_runtime::traits::MaybeSerializeDeserialize;
	use sp_runtime::Perbill;

	/// The layout of this pallet's storage; a migration that changes it bumps the version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Why restaking holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// A registered operator's deposit (its record's storage).
		OperatorDeposit,
		/// An operator's deposit per staker it approved (each approval's storage).
		ApprovalDeposit,
	}

	/// An operator record of this runtime.
	pub type OperatorOf<T> = Operator<BlockNumberFor<T>, <T as Config>::MaxMetadataLen>;
	/// A staker record of this runtime.
	pub type StakerOf<T> = Staker<
		<T as frame_system::Config>::AccountId,
		BlockNumberFor<T>,
		<T as Config>::MaxQueuedWithdrawals,
	>;
	/// A staker's reward book in one strategy.
	pub type RewardBookOf<T> =
		BoundedVec<StakerReward<<T as Config>::RewardAssetId>, <T as Config>::MaxRewardAssets>;
	/// An operator's book (and reward accumulators) in one strategy.
	pub type OperatorStrategyOf<T> = OperatorStrategy<
		<T as Config>::RewardAssetId,
		<T as Config>::MaxRewardAssets,
		BlockNumberFor<T>,
		MaturityCapacity<T>,
		<T as Config>::MaxPendingAllocations,
	>;
	/// The (operator, strategy) pairs allocated to one operator set.
	pub type SetAllocationListOf<T> = BoundedVec<
		(<T as frame_system::Config>::AccountId, StrategyId),
		<T as Config>::MaxAllocationsPerSet,
	>;
	/// A staker's position (and reward book) in one strategy.
	pub type PositionOf<T> = Position<<T as Config>::RewardAssetId, <T as Config>::MaxRewardAssets>;
	/// A staker's queued withdrawals.
	pub type WithdrawalQueueOf<T> =
		BoundedVec<WithdrawalOf<T>, <T as Config>::MaxQueuedWithdrawals>;
	/// A queued withdrawal of this runtime.
	pub type WithdrawalOf<T> =
		Withdrawal<<T as frame_system::Config>::AccountId, BlockNumberFor<T>>;
	/// An operator's withdrawals in one strategy, by completion time.
	pub type MaturityOf<T> = BoundedVec<MaturityBucket<BlockNumberFor<T>>, MaturityCapacity<T>>;

	/// How many completion times one operator's withdrawals in one strategy may wait on:
	/// twice the buckets of a delay and two more, room for a delay's worth of buckets that
	/// a pending slash keeps from settling.
	pub struct MaturityCapacity<T>(core::marker::PhantomData<T>);
	impl<T: Config> Get<u32> for MaturityCapacity<T> {
		fn get() -> u32 {
			T::MaturityBuckets::get().saturating_mul(2).saturating_add(2)
		}
	}

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;

		/// KSN: operator and approval deposits are held in it.
		type Currency: fungible::MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason, Balance = u128>
			+ fungible::Mutate<Self::AccountId>;

		/// Held from an account while it is a registered operator (validator-operators,
		/// registered automatically, hold none: their bond is their stake).
		#[pallet::constant]
		type OperatorDeposit: Get<u128>;

		/// Held from an operator for each staker it approved, until the approval is withdrawn.
		#[pallet::constant]
		type ApprovalDeposit: Get<u128>;

		/// Identifies a mirrored asset.
		type AssetId: Parameter + Member + Copy + MaxEncodedLen + Ord + MaybeSerializeDeserialize;

		/// The mirrored assets (LSTs) strategies restake.
		type Assets: fungibles::Mutate<Self::AccountId, AssetId = Self::AssetId, Balance = u128>;

		/// Native staking pools: the `Native` strategy's stake.
		type NativeStake: NativeStakeProvider<Self::AccountId, u128>;

		/// Operator-set membership (the AVS registry).
		type OperatorSets: OperatorSetRegistry<Self::AccountId>;

		/// Identifies a reward asset (the native token or a mirrored asset).
		type RewardAssetId: Parameter + Member + MaxEncodedLen + Ord;

		/// The assets AVS rewards are paid in.
		type RewardAssets: fungibles::Mutate<
			Self::AccountId,
			AssetId = Self::RewardAssetId,
			Balance = u128,
		>;

		/// The native token among [`Config::RewardAssets`]: rewards in it for `Native` stake go
		/// to the validator pool's members through native staking.
		#[pallet::constant]
		type NativeRewardAsset: Get<Self::RewardAssetId>;

		/// Values stake of different strategies in one unit, to split rewards.
		type StakeValuation: StakeValuation;

		/// Adds strategies, sets their caps and pauses them.
		type StrategyAdminOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Blocks a queued withdrawal waits (and stays slashable) before it can complete.
		#[pallet::constant]
		type WithdrawalDelay: Get<BlockNumberFor<Self>>;

		/// Into how many completion times a withdrawal delay is divided: a withdrawal completes
		/// at its delay rounded up to a multiple of `WithdrawalDelay / MaturityBuckets` blocks,
		/// so an operator's withdrawals in a strategy wait on a bounded number of completion
		/// times (see [`OperatorStrategy::maturity`]). Lowering it shrinks the bound the stored lists decode
		/// against: never without a migration.
		#[pallet::constant]
		type MaturityBuckets: Get<u32>;

		/// Blocks before an allocation increase takes effect.
		#[pallet::constant]
		type AllocationDelay: Get<BlockNumberFor<Self>>;

		/// Blocks before an allocation decrease takes effect (slashable until then).
		#[pallet::constant]
		type DeallocationDelay: Get<BlockNumberFor<Self>>;

		/// The longest window any slashing path of the runtime may take between a fault and its
		/// execution (veto windows, deferrals); the withdrawal delay must cover it.
		#[pallet::constant]
		type MaxSlashingWindow: Get<BlockNumberFor<Self>>;

		/// Blocks before an operator's commission change takes effect; also the least time
		/// between two changes.
		#[pallet::constant]
		type CommissionChangeDelay: Get<BlockNumberFor<Self>>;

		/// Highest commission an operator may charge.
		#[pallet::constant]
		type MaxCommission: Get<Perbill>;

		/// Most one commission change may raise it by.
		#[pallet::constant]
		type MaxCommissionIncrease: Get<Perbill>;

		/// Most strategies (and so most positions one staker has: one per strategy).
		#[pallet::constant]
		type MaxStrategies: Get<u32>;

		/// Most withdrawals one staker has queued at once.
		#[pallet::constant]
		type MaxQueuedWithdrawals: Get<u32>;

		/// Most allocation changes one operator has pending per strategy.
		#[pallet::constant]
		type MaxPendingAllocations: Get<u32>;

		/// Most distinct reward assets (each staker settlement goes through all of them).
		#[pallet::constant]
		type MaxRewardAssets: Get<u32>;

		/// Most (operator, strategy) allocations one operator set may hold (bounds a reward
		/// distribution). Each set's list is stored under this bound: lowering it needs a
		/// migration that shortens the lists, or a longer list no longer decodes.
		#[pallet::constant]
		type MaxAllocationsPerSet: Get<u32>;

		/// Longest operator metadata.
		#[pallet::constant]
		type MaxMetadataLen: Get<u32>;

		/// Most stakers one operator may have approved at once.
		#[pallet::constant]
		type MaxApprovals: Get<u32>;

		/// Weights of this pallet's calls.
		type WeightInfo: WeightInfo;

		/// Creates what the benchmarks need outside this pallet.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AssetId, Self::AccountId, Self::RewardAssetId>;
	}

	/// Sets up the assets and operator-set memberships benchmarks need.
	#[cfg(feature = "runtime-benchmarks")]
	pub trait BenchmarkHelper<AssetId, AccountId, RewardAssetId> {
		/// Create mirrored asset number `index` (sufficient, minimum balance 1) and return it.
		fn create_asset(index: u32) -> AssetId;
		/// Make `operator` a member of `set`.
		fn join_operator_set(operator: &AccountId, set: &OperatorSetId);
		/// Reward asset number `index`, created if it needs to be (index 0: the native token).
		fn reward_asset(index: u32) -> RewardAssetId;
	}

	/// Every strategy.
	#[pallet::storage]
	pub type Strategies<T: Config> =
		CountedStorageMap<_, Twox64Concat, StrategyId, Strategy<T::AssetId>>;

	/// The id the next strategy gets.
	#[pallet::storage]
	pub type NextStrategyId<T: Config> = StorageValue<_, StrategyId, ValueQuery>;

	/// The strategy of each mirrored asset (one per asset).
	#[pallet::storage]
	pub type AssetStrategy<T: Config> = StorageMap<_, Twox64Concat, T::AssetId, StrategyId>;

	/// The `Native` strategy, once added.
	#[pallet::storage]
	pub type NativeStrategy<T: Config> = StorageValue<_, StrategyId, OptionQuery>;

	/// Registered operators.
	#[pallet::storage]
	pub type Operators<T: Config> = CountedStorageMap<_, Twox64Concat, T::AccountId, OperatorOf<T>>;

	/// Stakers an operator that requires approval has approved.
	#[pallet::storage]
	pub type DelegationApprovals<T: Config> =
		StorageDoubleMap<_, Twox64Concat, T::AccountId, Twox64Concat, T::AccountId, ()>;

	/// Each operator's book per strategy, with its reward-per-share accumulators.
	#[pallet::storage]
	pub type OperatorStrategies<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		T::AccountId,
		Twox64Concat,
		StrategyId,
		OperatorStrategyOf<T>,
	>;

	/// Allocations by (operator, operator set, strategy).
	#[pallet::storage]
	pub type Allocations<T: Config> = StorageNMap<
		_,
		(
			NMapKey<Twox64Concat, T::AccountId>,
			NMapKey<Twox64Concat, OperatorSetId>,
			NMapKey<Twox64Concat, StrategyId>,
		),
		Allocation<BlockNumberFor<T>>,
	>;

	/// The (operator, strategy) pairs with an allocation to each operator set, in the order
	/// they were added (on a migrated chain, the old keys' order first).
	///
	/// One value per set, not a key per pair: what reads a whole set (reward payouts, the
	/// operator-set views over every set) reads it at once. Iterating keys cost ≈ 10 µs a key
	/// on a node, more than the reads it led to (`docs/benchmarks.md`).
	#[pallet::storage]
	pub type SetAllocations<T: Config> =
		StorageMap<_, Twox64Concat, OperatorSetId, SetAllocationListOf<T>, ValueQuery>;

	/// The reward assets ever distributed (stakers settle each of them).
	#[pallet::storage]
	pub type RewardAssetList<T: Config> =
		StorageValue<_, BoundedVec<T::RewardAssetId, T::MaxRewardAssets>, ValueQuery>;

	/// Rewards taken out of circulation for stakers and not yet claimed, per asset.
	#[pallet::storage]
	pub type RewardsOutstanding<T: Config> =
		StorageMap<_, Twox64Concat, T::RewardAssetId, u128, ValueQuery>;

	/// Stakers' delegations and queued withdrawals, kept while a staker has either.
	#[pallet::storage]
	pub type Stakers<T: Config> =
		StorageMap<_, Twox64Concat, T::AccountId, StakerOf<T>, ValueQuery>;

	/// Stakers' positions and reward books by (staker, strategy).
	#[pallet::storage]
	pub type Positions<T: Config> =
		StorageDoubleMap<_, Twox64Concat, T::AccountId, Twox64Concat, StrategyId, PositionOf<T>>;

	/// (operator, set) → how many slashes of the operator for the set wait for a decision:
	/// while any does, no allocation to the set is released. Removed at zero.
	#[pallet::storage]
	pub type SlashFreezes<T: Config> =
		StorageDoubleMap<_, Twox64Concat, T::AccountId, Twox64Concat, OperatorSetId, u32>;

	/// operator → its slashes (any set) that wait for a decision: how many, and since when.
	/// While any does, no withdrawal queued from it completes unless it could complete by the
	/// block the first of them was requested, and no stake leaves its native pool. Removed at
	/// zero.
	#[pallet::storage]
	pub type OperatorFreezes<T: Config> =
		StorageMap<_, Twox64Concat, T::AccountId, Freeze<BlockNumberFor<T>>>;

	/// Settled buckets moved out of a full completion list ([`OperatorStrategy::maturity`]): (operator, strategy, completion
	/// block) → (scaled shares not completed yet, the factor they were settled at). Removed
	/// with their last withdrawal.
	#[pallet::storage]
	pub type SettledWithdrawals<T: Config> = StorageNMap<
		_,
		(
			NMapKey<Twox64Concat, T::AccountId>,
			NMapKey<Twox64Concat, StrategyId>,
			NMapKey<Twox64Concat, BlockNumberFor<T>>,
		),
		(u128, Magnitude),
	>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A strategy was added.
		StrategyAdded {
			strategy: StrategyId,
			kind: StrategyKind<T::AssetId>,
			deposit_cap: u128,
			per_staker_cap: u128,
		},
		/// A strategy's deposits were paused or resumed.
		StrategyStatusChanged { strategy: StrategyId, status: StrategyStatus },
		/// A strategy's caps changed.
		StrategyCapsChanged { strategy: StrategyId, deposit_cap: u128, per_staker_cap: u128 },
		/// An account became an operator; `native` when it was registered automatically as a
		/// validator-operator.
		OperatorRegistered { operator: T::AccountId, commission: Perbill, native: bool },
		/// An operator's metadata changed.
		OperatorMetadataUpdated { operator: T::AccountId },
		/// An operator started or stopped requiring approval of its stakers.
		DelegationApprovalPolicy { operator: T::AccountId, approval_required: bool },
		/// An operator's commission will change at `effective_at`.
		CommissionChangeScheduled {
			operator: T::AccountId,
			commission: Perbill,
			effective_at: BlockNumberFor<T>,
		},
		/// An operator approved a staker, or withdrew its approval.
		DelegationApprovalSet { operator: T::AccountId, staker: T::AccountId, approved: bool },
		/// An operator deregistered; its deposit and `approvals` approvals' deposits came back.
		OperatorDeregistered { operator: T::AccountId, approvals: u32 },
		/// A staker deposited into a strategy.
		Deposited { staker: T::AccountId, strategy: StrategyId, amount: u128, deposit_shares: u128 },
		/// A staker delegated to an operator; all its positions follow.
		Delegated { staker: T::AccountId, operator: T::AccountId },
		/// A staker left its operator; its positions come back undelegated after the
		/// withdrawal delay.
		Undelegated { staker: T::AccountId, operator: T::AccountId },
		/// A staker switched operator; its positions move after the withdrawal delay, slashable
		/// by the old operator's sets until then.
		Redelegated { staker: T::AccountId, from: T::AccountId, to: T::AccountId },
		/// A withdrawal was queued.
		WithdrawalQueued {
			id: WithdrawalId,
			staker: T::AccountId,
			operator: Option<T::AccountId>,
			strategy: StrategyId,
			deposit_shares: u128,
			withdrawable_at: BlockNumberFor<T>,
			kind: WithdrawalKind,
		},
		/// A withdrawal completed: `amount` paid out (`Tokens`) or put back as a position
		/// (`Redeposit`), after any slash it bore.
		WithdrawalCompleted {
			id: WithdrawalId,
			staker: T::AccountId,
			strategy: StrategyId,
			amount: u128,
			kind: WithdrawalKind,
		},
		/// An operator's allocation to a set will change at `effective_at`. For the `Native`
		/// strategy (`native`), the validator's pool delegators follow this allocation.
		AllocationScheduled {
			operator: T::AccountId,
			set: OperatorSetId,
			strategy: StrategyId,
			from: Magnitude,
			to: Magnitude,
			effective_at: BlockNumberFor<T>,
			native: bool,
		},
		/// Rewards for an operator set were distributed: `amount` taken from `payer`.
		RewardsDistributed {
			set: OperatorSetId,
			asset: T::RewardAssetId,
			payer: T::AccountId,
			amount: u128,
		},
		/// An operator's share of a set's rewards in one strategy: `to_operator` paid to it
		/// (commission, and what its stakers could not be credited), `to_stakers` credited to
		/// the stakers behind it (for `native`, to its native pool's members in KSN).
		OperatorRewarded {
			operator: T::AccountId,
			set: OperatorSetId,
			strategy: StrategyId,
			asset: T::RewardAssetId,
			to_operator: u128,
			to_stakers: u128,
			native: bool,
		},
		/// A staker claimed rewards.
		RewardsClaimed {
			staker: T::AccountId,
			strategy: StrategyId,
			asset: T::RewardAssetId,
			amount: u128,
		},
		/// An operator was slashed in one strategy for a set. For `native`, the validator's
		/// whole pool (its delegators included) bore it.
		OperatorSlashed {
			operator: T::AccountId,
			set: OperatorSetId,
			strategy: StrategyId,
			fraction: Magnitude,
			magnitude_before: Magnitude,
			magnitude_after: Magnitude,
			max_magnitude_after: Magnitude,
			amount: u128,
			native: bool,
			/// Paid out of `amount` to whoever reported or executed the slash.
			reward: u128,
		},
		/// A strategy's slashed funds may (or may no longer) be paid to an operator set's
		/// account; otherwise they are burned.
		StrategyRedistributionSet { strategy: StrategyId, redistributable: bool },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// No such strategy.
		UnknownStrategy,
		/// The asset already has a strategy.
		AssetAlreadyHasStrategy,
		/// The `Native` strategy exists already.
		NativeStrategyExists,
		/// `MaxStrategies` reached.
		TooManyStrategies,
		/// The strategy takes no deposits now.
		DepositsPaused,
		/// The deposit would take the strategy over its cap.
		DepositCapExceeded,
		/// The deposit would take the staker's position over the per-staker cap.
		StakerCapExceeded,
		/// Amounts and shares must be positive.
		ZeroAmount,
		/// `Native` stake enters through native staking, not `deposit`.
		NativeStrategyDeposit,
		/// The account is an operator already.
		AlreadyOperator,
		/// The account is not an operator (nor a validator candidate).
		NotOperator,
		/// The commission is above `MaxCommission`.
		CommissionTooHigh,
		/// The commission rises by more than `MaxCommissionIncrease`.
		CommissionIncreaseTooLarge,
		/// A commission change is pending; wait for it.
		CommissionChangePending,
		/// `update_operator` was called with nothing to change.
		NothingToUpdate,
		/// The operator still has stake delegated, queued or allocated (or is a validator).
		OperatorInUse,
		/// The approval already says that.
		ApprovalUnchanged,
		/// The operator requires approval and has not approved this staker.
		DelegationNotApproved,
		/// The staker is delegated already; use `redelegate`.
		AlreadyDelegated,
		/// The staker is not delegated.
		NotDelegated,
		/// The staker is delegated to this operator already.
		SameOperator,
		/// The staker has no position in this strategy.
		NoPosition,
		/// More shares than the position holds.
		InsufficientShares,
		/// `MaxQueuedWithdrawals` reached.
		TooManyQueuedWithdrawals,
		/// The staker has no queued withdrawal with this id.
		UnknownWithdrawal,
		/// The withdrawal delay has not passed.
		WithdrawalNotReady,
		/// Only the staker completes its token withdrawal (`complete_redeposit` is for
		/// redeposits).
		NotWithdrawalOwner,
		/// The operator was slashed (almost) entirely in this strategy and takes no stake.
		OperatorFullySlashed,
		/// The operator is not registered in the operator set.
		NotInOperatorSet,
		/// The operator set does not accept this strategy.
		StrategyNotAccepted,
		/// Magnitudes are at most 10¹⁸ (100%).
		MagnitudeOverOne,
		/// The operator's unallocated magnitude does not cover the increase.
		InsufficientMagnitude,
		/// An allocation change to this set is pending; wait for it.
		AllocationChangePending,
		/// The allocation has this magnitude already.
		AllocationUnchanged,
		/// `MaxPendingAllocations` reached.
		TooManyPendingAllocations,
		/// The set has `MaxAllocationsPerSet` allocations already.
		SetAllocationsFull,
		/// The operator approved `MaxApprovals` stakers already.
		TooManyApprovals,
		/// `MaxRewardAssets` distinct reward assets are in use already.
		TooManyRewardAssets,
		/// Nothing is allocated to the set: there is nobody to reward.
		NoStakeAllocated,
		/// Nothing to claim.
		NothingToClaim,
		/// Slash fractions are in (0, 10¹⁸].
		InvalidSlashFraction,
		/// The operator allocates to `MaxPendingAllocations` sets in this strategy already.
		TooManyAllocatedSets,
		/// A slash of the withdrawal's operator requested before it could complete is pending:
		/// it completes once the slash was decided.
		SlashPending,
		/// The operator's withdrawals in this strategy already wait on as many completion
		/// times as they may (slashes of it have been pending for long): queue once they are
		/// decided.
		MaturityFull,
		/// The asset burned a different amount than the deposit asked for (it must not: a
		/// deposit takes the whole balance rather than leave less than the minimum).
		DepositNotExact,
	}

	/// Strategies that exist from genesis: (kind, deposit cap, per-staker cap).
	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		pub strategies: alloc::vec::Vec<(StrategyKind<T::AssetId>, u128, u128)>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			for (kind, deposit_cap, per_staker_cap) in &self.strategies {
				Pallet::<T>::do_add_strategy(*kind, *deposit_cap, *per_staker_cap)
					.expect("genesis strategies are distinct and within MaxStrategies");
			}
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			// The registry reads both delays in u32 blocks (`OperatorSetStake`).
			let fits_u32 = |d: BlockNumberFor<T>| d <= BlockNumberFor::<T>::from(u32::MAX);
			assert!(
				fits_u32(T::WithdrawalDelay::get()) && fits_u32(T::DeallocationDelay::get()),
				"the withdrawal and deallocation delays must fit in u32 blocks"
			);
			assert!(
				T::WithdrawalDelay::get() >= T::MaxSlashingWindow::get(),
				"WithdrawalDelay must cover every slashing window, or stake escapes a slash"
			);
			assert!(
				T::AllocationDelay::get() > T::WithdrawalDelay::get(),
				"new slashing exposure must wait until stakers who disagree could have left"
			);
			assert!(T::MaturityBuckets::get() > 0, "a withdrawal delay needs a completion time");
			assert!(
				T::WithdrawalDelay::get() + Pallet::<T>::maturity_step() <= T::AllocationDelay::get(),
				"a withdrawal queued when new exposure is announced must complete before it applies"
			);
			assert!(
				T::WithdrawalDelay::get() >= T::DeallocationDelay::get(),
				"WithdrawalDelay must cover DeallocationDelay, or stake leaves while allocated"
			);
			assert!(T::MaxStrategies::get() > 0, "stakers need a strategy");
			assert!(
				T::MaxQueuedWithdrawals::get() >= T::MaxStrategies::get(),
				"redelegation queues one withdrawal per strategy"
			);
			assert!(
				T::MaxQueuedWithdrawals::get() < 1 << 16 && !T::WithdrawalDelay::get().is_zero(),
				"withdrawal ids need fewer than 2^16 per staker and block, none completed in it"
			);
			assert!(T::MaxCommission::get() >= T::MaxCommissionIncrease::get());
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Add a strategy for native stake or a mirrored asset (admin).
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::add_strategy())]
		pub fn add_strategy(
			origin: OriginFor<T>,
			kind: StrategyKind<T::AssetId>,
			deposit_cap: u128,
			per_staker_cap: u128,
		) -> DispatchResult {
			T::StrategyAdminOrigin::ensure_origin(origin)?;
			Self::do_add_strategy(kind, deposit_cap, per_staker_cap).map(|_| ())
		}

		/// Pause or resume a strategy's deposits (admin).
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::set_strategy_status())]
		pub fn set_strategy_status(
			origin: OriginFor<T>,
			strategy: StrategyId,
			status: StrategyStatus,
		) -> DispatchResult {
			T::StrategyAdminOrigin::ensure_origin(origin)?;
			Strategies::<T>::try_mutate(strategy, |s| {
				let s = s.as_mut().ok_or(Error::<T>::UnknownStrategy)?;
				s.status = status;
				Ok::<_, DispatchError>(())
			})?;
			Self::deposit_event(Event::StrategyStatusChanged { strategy, status });
			Ok(())
		}

		/// Let a strategy's slashed funds be paid to the account an operator set names (admin),
		/// or burn them (the default). Stakers choose it by choosing the strategy: nobody can
		/// redirect what a strategy that did not opt in loses.
		#[pallet::call_index(16)]
		#[pallet::weight(T::WeightInfo::set_strategy_status())]
		pub fn set_strategy_redistribution(
			origin: OriginFor<T>,
			strategy: StrategyId,
			redistributable: bool,
		) -> DispatchResult {
			T::StrategyAdminOrigin::ensure_origin(origin)?;
			Strategies::<T>::try_mutate(strategy, |s| {
				let s = s.as_mut().ok_or(Error::<T>::UnknownStrategy)?;
				s.redistributable = redistributable;
				Ok::<_, DispatchError>(())
			})?;
			Self::deposit_event(Event::StrategyRedistributionSet { strategy, redistributable });
			Ok(())
		}

		/// Change a strategy's caps (admin). Lowering a cap below what is held refuses new
		/// deposits; it never forces anyone out.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::set_strategy_status())]
		pub fn set_strategy_caps(
			origin: OriginFor<T>,
			strategy: StrategyId,
			deposit_cap: u128,
			per_staker_cap: u128,
		) -> DispatchResult {
			T::StrategyAdminOrigin::ensure_origin(origin)?;
			Strategies::<T>::try_mutate(strategy, |s| {
				let s = s.as_mut().ok_or(Error::<T>::UnknownStrategy)?;
				s.deposit_cap = deposit_cap;
				s.per_staker_cap = per_staker_cap;
				Ok::<_, DispatchError>(())
			})?;
			Self::deposit_event(Event::StrategyCapsChanged {
				strategy,
				deposit_cap,
				per_staker_cap,
			});
			Ok(())
		}

		/// Become an operator.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::register_operator())]
		pub fn register_operator(
			origin: OriginFor<T>,
			commission: Perbill,
			metadata: BoundedVec<u8, T::MaxMetadataLen>,
			approval_required: bool,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_register_operator(who, commission, metadata, approval_required)
		}

		/// Change an operator's commission (after [`Config::CommissionChangeDelay`]), metadata
		/// or approval policy.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::update_operator())]
		pub fn update_operator(
			origin: OriginFor<T>,
			commission: Option<Perbill>,
			metadata: Option<BoundedVec<u8, T::MaxMetadataLen>>,
			approval_required: Option<bool>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_update_operator(who, commission, metadata, approval_required)
		}

		/// Approve a staker to delegate to the calling operator, or withdraw the approval
		/// (which does not undelegate it).
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::set_delegation_approval())]
		pub fn set_delegation_approval(
			origin: OriginFor<T>,
			staker: T::AccountId,
			approved: bool,
		) -> DispatchResult {
			let operator = ensure_signed(origin)?;
			Self::do_set_delegation_approval(operator, staker, approved)
		}

		/// Stop being an operator: possible once no stake is delegated to the caller, queued
		/// from it or allocated by it (allocation decreases that have taken effect are applied,
		/// and withdrawals past their delay settled, first). Its deposit and its approvals'
		/// deposits come back.
		/// Stakers still delegated to it (holding nothing) keep the delegation: what they
		/// deposit afterwards stays in its books unallocated (neither earning nor slashable)
		/// until they redelegate, or until it registers again.
		#[pallet::call_index(17)]
		#[pallet::weight(Pallet::<T>::deregister_operator_weight(
			T::MaxApprovals::get(),
			T::MaxStrategies::get(),
			Pallet::<T>::deregister_touch_weight_max(),
		))]
		pub fn deregister_operator(origin: OriginFor<T>) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			Self::do_deregister_operator(who)
		}

		/// Deposit `amount` of a strategy's asset; it is delegated to the staker's operator if
		/// it has one. A deposit that would leave less than the asset's minimum balance takes
		/// the whole balance (the rest would otherwise be burned with the reaped account); the
		/// caps apply to what it takes.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::deposit())]
		pub fn deposit(origin: OriginFor<T>, strategy: StrategyId, amount: u128) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_deposit(&who, strategy, amount)
		}

		/// Delegate every position (now and later) to `operator`.
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::delegate_to(T::MaxStrategies::get()))]
		pub fn delegate_to(
			origin: OriginFor<T>,
			operator: T::AccountId,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let moved = Self::do_delegate_to(&who, operator)?;
			Ok(Some(T::WeightInfo::delegate_to(moved)).into())
		}

		/// Leave the current operator: every position is queued as a redeposit withdrawal and
		/// comes back undelegated after [`Config::WithdrawalDelay`].
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::redelegate(T::MaxStrategies::get()))]
		pub fn undelegate(origin: OriginFor<T>) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let moved = Self::do_leave_operator(&who, None)?;
			Ok(Some(T::WeightInfo::redelegate(moved)).into())
		}

		/// Switch to `operator` in one call: new deposits go to it at once; existing positions
		/// follow after [`Config::WithdrawalDelay`], slashable by the old operator's sets until
		/// then.
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::redelegate(T::MaxStrategies::get()))]
		pub fn redelegate(
			origin: OriginFor<T>,
			operator: T::AccountId,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let moved = Self::do_leave_operator(&who, Some(operator))?;
			Ok(Some(T::WeightInfo::redelegate(moved)).into())
		}

		/// Queue a withdrawal of `shares` deposit shares of `strategy`.
		#[pallet::call_index(10)]
		#[pallet::weight(T::WeightInfo::queue_withdrawal())]
		pub fn queue_withdrawal(
			origin: OriginFor<T>,
			strategy: StrategyId,
			shares: u128,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_queue_withdrawal(&who, strategy, shares, WithdrawalKind::Tokens).map(|_| ())
		}

		/// Complete one of the caller's withdrawals whose delay has passed: a token withdrawal
		/// pays the asset out, a redeposit puts the stake back as a position under the caller's
		/// current operator.
		#[pallet::call_index(11)]
		#[pallet::weight(
			T::WeightInfo::complete_withdrawal().max(T::WeightInfo::complete_redeposit())
		)]
		pub fn complete_withdrawal(
			origin: OriginFor<T>,
			id: WithdrawalId,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let kind = Self::do_complete_withdrawal(&who, &who, id)?;
			Ok(Some(match kind {
				WithdrawalKind::Tokens => T::WeightInfo::complete_withdrawal(),
				WithdrawalKind::Redeposit => T::WeightInfo::complete_redeposit(),
			})
			.into())
		}

		/// Complete `staker`'s redeposit withdrawal (from `redelegate` or `undelegate`) whose
		/// delay has passed, for it: anyone may call it, e.g. the operator the stake moves to.
		/// Token withdrawals only their staker completes.
		#[pallet::call_index(15)]
		#[pallet::weight(T::WeightInfo::complete_redeposit())]
		pub fn complete_redeposit(
			origin: OriginFor<T>,
			staker: T::AccountId,
			id: WithdrawalId,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_complete_withdrawal(&who, &staker, id).map(|_| ())
		}

		/// Set the calling operator's allocation to `set` in `strategy` to `magnitude`
		/// (10¹⁸ = 100% of its stake).
		#[pallet::call_index(12)]
		#[pallet::weight(T::WeightInfo::modify_allocation(T::MaxPendingAllocations::get()))]
		pub fn modify_allocation(
			origin: OriginFor<T>,
			set: OperatorSetId,
			strategy: StrategyId,
			magnitude: Magnitude,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let cleared = Self::do_modify_allocation(&who, set, strategy, magnitude)?;
			Ok(Some(T::WeightInfo::modify_allocation(cleared)).into())
		}

		/// Apply an operator's allocation changes that have taken effect, freeing the magnitude
		/// of completed decreases. Anyone may call it.
		#[pallet::call_index(13)]
		#[pallet::weight(T::WeightInfo::clear_pending_allocations(T::MaxPendingAllocations::get()))]
		pub fn clear_pending_allocations(
			origin: OriginFor<T>,
			operator: T::AccountId,
			strategy: StrategyId,
		) -> DispatchResultWithPostInfo {
			ensure_signed(origin)?;
			ensure!(Strategies::<T>::contains_key(strategy), Error::<T>::UnknownStrategy);
			let seen = Self::mature_allocations(&operator, strategy);
			Ok(Some(T::WeightInfo::clear_pending_allocations(seen)).into())
		}

		/// Claim the rewards owed to the caller's position in `strategy`, in `asset`.
		#[pallet::call_index(14)]
		#[pallet::weight(T::WeightInfo::claim_rewards())]
		pub fn claim_rewards(
			origin: OriginFor<T>,
			strategy: StrategyId,
			asset: T::RewardAssetId,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_claim_rewards(&who, strategy, asset)
		}
	}
}
