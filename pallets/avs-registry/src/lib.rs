//! # AVS registry (`pallet-avs-registry`)
//!
//! The marketplace where services (oracles, bridges, DA layers, keeper networks) rent the
//! security of restaked stake instead of bootstrapping their own validator set.
//!
//! ## Terminology
//!
//! - **AVS**: a service that rents restaked security ([`AvsRecords`]): an owner, a deposit,
//!   operator sets and reward budgets.
//! - **Operator set**: a group of operators an AVS draws security from, with the strategies it
//!   accepts, its key scheme and its [`SlashingTerms`] ([`OperatorSets`]).
//! - **Member**: an operator registered in a set with the key it signs AVS work with
//!   ([`Members`], [`KeyOwners`]); a **departed** member can still be slashed until restaking's
//!   deallocation delay has passed.
//! - **Budget**: an AVS's escrowed reward funds for one set and asset, paid per era
//!   ([`RewardBudgets`]).
//! - **Exchange rate**: what one unit of a strategy's asset is worth in the common unit
//!   ([`ExchangeRates`]), used to value stake across strategies.
//!
//! ## Calls
//!
//! - AVS owners: [`Call::register_avs`], [`Call::update_avs_metadata`],
//!   [`Call::transfer_avs_ownership`], [`Call::deregister_avs`], [`Call::create_operator_set`],
//!   [`Call::update_slashing_terms`], [`Call::set_allowlist`], [`Call::eject_operator`],
//!   [`Call::fund_rewards`], [`Call::cancel_rewards`].
//! - New owners: [`Call::accept_avs_ownership`].
//! - Operators: [`Call::register_for_operator_set`], [`Call::deregister_from_operator_set`].
//! - Anyone: [`Call::purge_departed`].
//! - Rate setter ([`Config::RateOrigin`]): [`Call::set_exchange_rate`].
//!
//! ## AVSs
//!
//! `register_avs` holds [`Config::AvsDeposit`] KSN from the caller (a fungible hold, reason
//! [`HoldReason::AvsDeposit`]), returned by `deregister_avs`. Ownership moves in two steps
//! (`transfer_avs_ownership`, then `accept_avs_ownership` by the new owner, whose deposit is
//! then held instead), so an AVS is never handed to a mistyped account. `deregister_avs` is
//! only possible once none of the AVS's operator sets can slash anyone any more: no members
//! and every departed member purged (which is possible only after its stake stopped being
//! slashable). Unpaid reward budgets go back to the owner.
//!
//! ## Operator sets
//!
//! An AVS draws security from its operator sets. Each declares ([`OperatorSetConfig`]) the
//! strategies it accepts with the least delegated stake an operator needs in each to join, a
//! member bound, the key scheme members sign AVS work with, whether joining needs the AVS's
//! allowlist, and its [`SlashingTerms`]: `Instant` or `Veto { window }` execution, the most it
//! may slash per slashing epoch, where slashed funds go, and the equivocation penalty.
//! **Terms changes take effect after [`Config::SlashingTermsDelay`]** (at least the
//! withdrawal delay, checked in `integrity_test`): a staker who disagrees can leave before
//! the new rules apply, so nobody is slashed under rules they did not accept.
//!
//! ## Membership
//!
//! `register_for_operator_set(set, key, proof)`: the operator (a restaking operator) names the
//! key it will sign AVS work with and proves it holds it by signing
//! [`kasane_primitives::avs::proof_of_possession_payload`] (genesis hash, set, operator). A key
//! belongs to one membership at a time, so signatures always identify one operator.
//! Membership is what restaking checks ([`OperatorSetRegistry`]) before an operator allocates.
//!
//! `deregister_from_operator_set` (or the AVS's `eject_operator`) ends membership: restaking
//! schedules the operator's allocations to the set down to zero after
//! restaking's deallocation delay, and until then the set can still slash it
//! ([`OperatorSetRegistry::is_slashable`]); the membership record and its key are kept for
//! that window, then anyone may `purge_departed` it.
//!
//! ## Rewards
//!
//! `fund_rewards(set, asset, amount, per_era)` moves `amount` from the AVS owner into the
//! registry's escrow account (one budget per set and asset; funding again tops it up and sets
//! the new rate). Each era, `on_initialize` walks the budgets under
//! [`Config::PayoutWeightPerBlock`] — paged with a cursor, so any number of operator sets is
//! paid over as many blocks as it takes, never in one unbounded block — and pays each budget
//! `per_era` for every era since it was last paid through restaking's
//! [`RewardsDistributor`], pro rata to the value of the stake allocated to the set. A set with
//! nothing allocated is skipped (its budget keeps the money). A budget that cannot pay a whole
//! era any more stops: its remainder goes back to the owner and `BudgetExhausted` is emitted.
//!
//! The first budget in an asset also pays the escrow account's existential deposit in that
//! asset, which stays there, so paying budgets out never reaps the escrow.
//!
//! ## Valuation and views
//!
//! Stake of different strategies is valued in one unit through per-strategy exchange rates
//! ([`Config::RateOrigin`] sets them until the LST bridge reports them; unset rates count one
//! to one). The registry is restaking's [`StakeValuation`]. [`kasane_primitives::avs::AvsApi`]
//! serves the marketplace list (sorted, paged) and each set's security: allocated stake per
//! strategy, the native part in KSN and the LST part in ETH, and the cost to corrupt it.
//!
//! ## Code layout
//!
//! One file per concern, mirroring `tests/`:
//! `avs.rs`, `operator_sets.rs`, `membership.rs`, `rewards.rs`, `views.rs` (what the runtime
//! API reports), `try_state.rs`; `impls.rs` holds only the traits other pallets call the
//! registry through, `testing_utils.rs` the setup other pallets' benchmarks use.

#![cfg_attr(not(feature = "std"), no_std)]
#![deny(rustdoc::broken_intra_doc_links)]

extern crate alloc;

pub use pallet::*;

mod avs;
mod impls;
mod membership;
mod operator_sets;
mod rewards;
#[cfg(feature = "runtime-benchmarks")]
mod testing_utils;
mod try_state;
pub mod types;
mod views;
pub mod weights;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

pub use kasane_primitives::{
	avs::{KeyType, OperatorKey, OperatorSignature, SlashExecution, SlashingTerms},
	restaking::{
		OperatorSetId, OperatorSetRegistry, OperatorSetStake, RewardsDistributor, StakeValuation,
		StrategyId, WAD,
	},
};
use sp_runtime::ArithmeticError;
pub use types::*;
pub use weights::WeightInfo;

/// Log target of this pallet.
pub const LOG_TARGET: &str = "runtime::avs-registry";

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use frame_support::{
		pallet_prelude::*,
		traits::{
			fungible::{self, MutateHold},
			fungibles, EnsureOrigin,
		},
		PalletId,
	};
	use frame_system::pallet_prelude::*;
	use kasane_primitives::{restaking::AvsId, EraIndex};
	use sp_runtime::FixedU128;

	/// The layout of this pallet's storage; a migration that changes it bumps the version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// An AVS record of this runtime.
	pub type AvsOf<T> =
		Avs<<T as frame_system::Config>::AccountId, u128, <T as Config>::MaxMetadataLen>;
	/// An operator-set configuration of this runtime.
	pub type OperatorSetConfigOf<T> = OperatorSetConfig<
		<T as frame_system::Config>::AccountId,
		BlockNumberFor<T>,
		<T as Config>::MaxStrategiesPerSet,
	>;
	/// An operator set of this runtime.
	pub type OperatorSetOf<T> = OperatorSet<
		<T as frame_system::Config>::AccountId,
		BlockNumberFor<T>,
		<T as Config>::MaxStrategiesPerSet,
	>;
	/// Slashing terms of this runtime.
	pub type SlashingTermsOf<T> =
		SlashingTerms<<T as frame_system::Config>::AccountId, BlockNumberFor<T>>;

	/// Why the registry holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// The deposit of a registered AVS.
		AvsDeposit,
	}

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;

		/// KSN: AVS deposits are held in it.
		type Currency: fungible::MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason, Balance = u128>
			+ fungible::Mutate<Self::AccountId>;

		/// Identifies a reward asset (KSN or a mirrored asset).
		type RewardAssetId: Parameter + Member + MaxEncodedLen + Ord;

		/// The assets reward budgets are funded in.
		type RewardAssets: fungibles::Mutate<
			Self::AccountId,
			AssetId = Self::RewardAssetId,
			Balance = u128,
		>;

		/// Restaking: operators, their stake and allocations.
		type Restaking: OperatorSetStake<Self::AccountId>;

		/// Pays an operator set's operators and stakers (restaking).
		type Rewards: RewardsDistributor<Self::AccountId, Self::RewardAssetId>;

		/// Told when a departed membership is purged and an AVS deregistered (slashing forgets
		/// what it kept about them).
		type Events: kasane_primitives::slashing::RegistryEvents<Self::AccountId>;

		/// The era rewards are paid per (native staking's active era).
		type CurrentEra: Get<EraIndex>;

		/// Sets the exchange rates stake is valued at until the LST bridge reports them.
		type RateOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// The escrow account of reward budgets is derived from it.
		#[pallet::constant]
		type PalletId: Get<PalletId>;

		/// KSN held from an AVS's owner while it is registered.
		#[pallet::constant]
		type AvsDeposit: Get<u128>;

		/// Blocks before a slashing-terms change takes effect.
		#[pallet::constant]
		type SlashingTermsDelay: Get<BlockNumberFor<Self>>;

		/// Longest veto window a set may declare.
		#[pallet::constant]
		type MaxVetoWindow: Get<BlockNumberFor<Self>>;

		/// Least equivocation penalty a set may declare (besides zero, none): a report must
		/// slash enough to be worth the evidence it leaves behind.
		#[pallet::constant]
		type MinEquivocationPenalty: Get<kasane_primitives::restaking::Magnitude>;

		/// Longest metadata URI.
		#[pallet::constant]
		type MaxMetadataLen: Get<u32>;

		/// Most operator sets per AVS.
		#[pallet::constant]
		type MaxSetsPerAvs: Get<u32>;

		/// Most strategies one set accepts.
		#[pallet::constant]
		type MaxStrategiesPerSet: Get<u32>;

		/// Most members (and allowlisted operators) per set.
		#[pallet::constant]
		type MaxOperatorsPerSet: Get<u32>;

		/// Most reward budgets (assets) per set.
		#[pallet::constant]
		type MaxBudgetsPerSet: Get<u32>;

		/// Weight each block may spend paying reward budgets.
		#[pallet::constant]
		type PayoutWeightPerBlock: Get<Weight>;

		/// Weights of this pallet.
		type WeightInfo: WeightInfo;

		/// Creates what the benchmarks need outside this pallet.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId, Self::RewardAssetId>;
	}

	/// Sets up operators, stake and reward assets for the benchmarks.
	#[cfg(feature = "runtime-benchmarks")]
	pub trait BenchmarkHelper<AccountId, RewardAssetId> {
		/// Make `who` a restaking operator with `stake` delegated in each of `strategies`
		/// (which this creates if needed) and return those strategies.
		fn operator_with_stake(who: &AccountId, strategies: u32, stake: u128) -> Vec<StrategyId>;
		/// Allocate `magnitude` of `operator`'s stake in `strategy` to `set` and let it take
		/// effect.
		fn allocate(
			operator: &AccountId,
			set: &OperatorSetId,
			strategy: StrategyId,
			magnitude: kasane_primitives::restaking::Magnitude,
		);
		/// Schedule `magnitude` of `operator`'s stake in `strategy` for `set`, not yet in
		/// force.
		fn schedule_allocation(
			operator: &AccountId,
			set: &OperatorSetId,
			strategy: StrategyId,
			magnitude: kasane_primitives::restaking::Magnitude,
		);
		/// Fill `set`'s list of allocations to its bound, so that ending an allocation to it
		/// rewrites the longest list there is.
		fn fill_set_allocations(set: &OperatorSetId);
		/// Make `operator`'s books in `strategies` as large as they get, so that a call
		/// rewriting them is measured at its dearest.
		fn fill_books(operator: &AccountId, strategies: &[StrategyId]);
		/// Reward asset number `index` (0: KSN), created if needed, with plenty of it in
		/// `who`'s account.
		fn reward_asset(who: &AccountId, index: u32) -> RewardAssetId;
	}

	/// Registered AVSs.
	#[pallet::storage]
	pub type AvsRecords<T: Config> = CountedStorageMap<_, Twox64Concat, AvsId, AvsOf<T>>;

	/// The id the next AVS gets.
	#[pallet::storage]
	pub type NextAvsId<T: Config> = StorageValue<_, AvsId, ValueQuery>;

	/// Operator sets.
	#[pallet::storage]
	pub type OperatorSets<T: Config> = StorageMap<_, Twox64Concat, OperatorSetId, OperatorSetOf<T>>;

	/// Memberships (current and departed-but-slashable), by (set, operator).
	#[pallet::storage]
	pub type Members<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		OperatorSetId,
		Twox64Concat,
		T::AccountId,
		Membership<BlockNumberFor<T>>,
	>;

	/// Which membership each AVS key belongs to.
	#[pallet::storage]
	pub type KeyOwners<T: Config> =
		StorageMap<_, Blake2_128Concat, OperatorKey, (OperatorSetId, T::AccountId)>;

	/// Operators allowed to join sets that require it.
	#[pallet::storage]
	pub type Allowlist<T: Config> =
		StorageDoubleMap<_, Twox64Concat, OperatorSetId, Twox64Concat, T::AccountId, ()>;

	/// Reward budgets by (set, asset).
	#[pallet::storage]
	pub type RewardBudgets<T: Config> =
		StorageDoubleMap<_, Twox64Concat, OperatorSetId, Twox64Concat, T::RewardAssetId, Budget>;

	/// Unpaid budgets per asset: what the escrow account owes.
	#[pallet::storage]
	pub type Escrowed<T: Config> = StorageMap<_, Twox64Concat, T::RewardAssetId, u128, ValueQuery>;

	/// Exchange rate of each strategy's asset into the common unit (ETH).
	#[pallet::storage]
	pub type ExchangeRates<T: Config> = StorageMap<_, Twox64Concat, StrategyId, FixedU128>;

	/// How far the current era's payouts have gone.
	#[pallet::storage]
	pub type Payouts<T: Config> = StorageValue<_, PayoutProgress, ValueQuery>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// An AVS registered; `deposit` KSN is held from its owner.
		AvsRegistered { avs: AvsId, owner: T::AccountId, deposit: u128 },
		/// An AVS's metadata URI changed.
		AvsMetadataUpdated { avs: AvsId },
		/// The owner proposed `to` as the new owner.
		AvsOwnershipProposed { avs: AvsId, to: T::AccountId },
		/// `to` accepted ownership; the deposit is now held from it.
		AvsOwnershipTransferred { avs: AvsId, from: T::AccountId, to: T::AccountId },
		/// An AVS deregistered; its deposit and `refunded` budgets went back to `owner`.
		AvsDeregistered { avs: AvsId, owner: T::AccountId },
		/// An operator set was created.
		OperatorSetCreated { set: OperatorSetId },
		/// New slashing terms for `set` take effect at `effective_at`.
		SlashingTermsScheduled { set: OperatorSetId, effective_at: BlockNumberFor<T> },
		/// `operator` was added to or removed from `set`'s allowlist.
		AllowlistUpdated { set: OperatorSetId, operator: T::AccountId, allowed: bool },
		/// `operator` joined `set`, signing AVS work with `key`.
		OperatorRegistered { set: OperatorSetId, operator: T::AccountId, key: OperatorKey },
		/// `operator` left `set` (or was ejected by the AVS); its allocations wind down and it
		/// stays slashable until `slashable_until`.
		OperatorDeregistered {
			set: OperatorSetId,
			operator: T::AccountId,
			slashable_until: BlockNumberFor<T>,
			ejected: bool,
		},
		/// A departed operator's record and key were removed; the set can no longer slash it.
		DepartedOperatorPurged { set: OperatorSetId, operator: T::AccountId },
		/// A reward budget was funded: `remaining` is now escrowed, paid `per_era`.
		RewardsFunded {
			set: OperatorSetId,
			asset: T::RewardAssetId,
			amount: u128,
			per_era: u128,
			remaining: u128,
		},
		/// `amount` of a budget was paid to `set`'s operators and stakers for `eras` eras.
		RewardsPaid { set: OperatorSetId, asset: T::RewardAssetId, amount: u128, eras: EraIndex },
		/// A budget could not pay this era (for instance nothing is allocated to the set); it
		/// keeps the money.
		RewardPaymentSkipped { set: OperatorSetId, asset: T::RewardAssetId, error: DispatchError },
		/// A budget cannot pay a whole era any more and stopped; `refunded` went back to the
		/// AVS owner.
		BudgetExhausted { set: OperatorSetId, asset: T::RewardAssetId, refunded: u128 },
		/// The AVS cancelled a budget; `refunded` went back to its owner.
		BudgetCancelled { set: OperatorSetId, asset: T::RewardAssetId, refunded: u128 },
		/// Every budget was visited for `era`.
		EraPayoutsCompleted { era: EraIndex },
		/// A strategy's exchange rate was set.
		ExchangeRateSet { strategy: StrategyId, rate: FixedU128 },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// No such AVS.
		UnknownAvs,
		/// Only the AVS's owner may do this.
		NotAvsOwner,
		/// The caller was not proposed as the AVS's owner.
		NotPendingOwner,
		/// The account owns the AVS already.
		AlreadyOwner,
		/// The metadata URI is longer than `MaxMetadataLen`.
		MetadataTooLong,
		/// The AVS has `MaxSetsPerAvs` operator sets.
		TooManySets,
		/// No such operator set.
		UnknownOperatorSet,
		/// A set must accept at least one strategy.
		NoStrategies,
		/// A strategy is listed twice.
		DuplicateStrategy,
		/// `max_operators` must be between 1 and `MaxOperatorsPerSet`.
		InvalidMaxOperators,
		/// Slash fractions are at most 10¹⁸ (100%).
		SlashFractionOverOne,
		/// A veto window must be positive and at most `MaxVetoWindow`.
		InvalidVetoWindow,
		/// Some operator set of the AVS has members or departed members still slashable.
		SetsStillSlashable,
		/// The caller is not a restaking operator.
		NotOperator,
		/// The operator is a member already.
		AlreadyMember,
		/// The operator left the set and is still slashable; it can rejoin once purged.
		StillDeparting,
		/// The set has `max_operators` members.
		SetFull,
		/// The set requires the AVS's allowlist and the operator is not on it.
		NotAllowlisted,
		/// The allowlist has `MaxOperatorsPerSet` entries.
		AllowlistFull,
		/// The allowlist already says that.
		AllowlistUnchanged,
		/// The key's scheme is not the set's.
		WrongKeyType,
		/// The key belongs to another membership.
		KeyAlreadyClaimed,
		/// The proof of possession is not the key's signature of the expected payload.
		InvalidProofOfPossession,
		/// The operator's delegated stake is below the set's minimum in some strategy.
		InsufficientStake,
		/// The operator is not a member of the set.
		NotMember,
		/// The operator has not left the set.
		NotDeparted,
		/// The departed operator is still slashable.
		StillSlashable,
		/// Amounts must be positive.
		ZeroAmount,
		/// The budget would not cover one era.
		BudgetBelowOneEra,
		/// The set has `MaxBudgetsPerSet` budgets.
		TooManyBudgets,
		/// The set has no budget in this asset.
		UnknownBudget,
		/// Exchange rates must be positive.
		ZeroRate,
		/// A positive equivocation penalty must be at least `MinEquivocationPenalty`.
		PenaltyTooSmall,
		/// Nothing is allocated to the set: there is nobody to reward this era.
		NoStakeAllocated,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_initialize(_: BlockNumberFor<T>) -> Weight {
			Self::pay_rewards(T::PayoutWeightPerBlock::get())
		}

		fn integrity_test() {
			// Restaking's delays, declared there once.
			let withdrawal_delay: BlockNumberFor<T> = T::Restaking::withdrawal_delay().into();
			let deallocation_delay: BlockNumberFor<T> = T::Restaking::deallocation_delay().into();
			assert!(
				T::SlashingTermsDelay::get() >= withdrawal_delay,
				"slashing terms must not change faster than stakers can withdraw"
			);
			assert!(
				T::MaxVetoWindow::get() <= withdrawal_delay,
				"a vetoable slash must execute before the stake it slashes can be withdrawn"
			);
			assert!(
				T::MaxVetoWindow::get() < deallocation_delay,
				"a departed operator must stay slashable through any veto window"
			);
			assert!(
				deallocation_delay <= withdrawal_delay,
				"a deallocation must take effect before the stake it freed can be withdrawn"
			);
			assert!(T::MinEquivocationPenalty::get() <= WAD);
			assert!(T::MaxSetsPerAvs::get() > 0 && T::MaxStrategiesPerSet::get() > 0);
			// The payout cursor stores a budget's storage key: prefix, set, asset.
			assert!(
				32 + 16 + 8 + T::RewardAssetId::max_encoded_len() <= 128,
				"reward asset ids are too long for the payout cursor"
			);
			assert!(T::MaxOperatorsPerSet::get() > 0 && T::MaxBudgetsPerSet::get() > 0);
			let one_payment = T::WeightInfo::pay_budget()
				.saturating_add(T::Rewards::max_distribute_rewards_weight());
			assert!(
				one_payment.all_lte(T::PayoutWeightPerBlock::get()),
				"the per-block payout weight must fit the largest single payment"
			);
			assert!(
				T::PayoutWeightPerBlock::get()
					.all_lte(T::BlockWeights::get().max_block.saturating_div(4)),
				"payouts may take at most a quarter of a block"
			);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Register an AVS owned by the caller, holding `AvsDeposit` KSN from it.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::register_avs())]
		pub fn register_avs(origin: OriginFor<T>, metadata_uri: Vec<u8>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let metadata_uri: BoundedVec<u8, T::MaxMetadataLen> =
				metadata_uri.try_into().map_err(|_| Error::<T>::MetadataTooLong)?;
			let deposit = T::AvsDeposit::get();
			T::Currency::hold(&HoldReason::AvsDeposit.into(), &who, deposit)?;
			let avs = NextAvsId::<T>::get();
			NextAvsId::<T>::put(avs.checked_add(1).ok_or(ArithmeticError::Overflow)?);
			AvsRecords::<T>::insert(
				avs,
				Avs { owner: who.clone(), pending_owner: None, deposit, metadata_uri, sets: 0 },
			);
			Self::deposit_event(Event::AvsRegistered { avs, owner: who, deposit });
			Ok(())
		}

		/// Replace an AVS's metadata URI (owner).
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::update_avs_metadata())]
		pub fn update_avs_metadata(
			origin: OriginFor<T>,
			avs: AvsId,
			metadata_uri: Vec<u8>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let mut record = Self::owned_avs(&who, avs)?;
			record.metadata_uri =
				metadata_uri.try_into().map_err(|_| Error::<T>::MetadataTooLong)?;
			AvsRecords::<T>::insert(avs, record);
			Self::deposit_event(Event::AvsMetadataUpdated { avs });
			Ok(())
		}

		/// Propose `new_owner` as the AVS's owner; it takes over when it accepts.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::transfer_avs_ownership())]
		pub fn transfer_avs_ownership(
			origin: OriginFor<T>,
			avs: AvsId,
			new_owner: T::AccountId,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let mut record = Self::owned_avs(&who, avs)?;
			ensure!(new_owner != who, Error::<T>::AlreadyOwner);
			record.pending_owner = Some(new_owner.clone());
			AvsRecords::<T>::insert(avs, record);
			Self::deposit_event(Event::AvsOwnershipProposed { avs, to: new_owner });
			Ok(())
		}

		/// Accept ownership of an AVS the owner proposed the caller for; the deposit is held
		/// from the caller and released to the previous owner.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::accept_avs_ownership())]
		pub fn accept_avs_ownership(origin: OriginFor<T>, avs: AvsId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_accept_ownership(who, avs)
		}

		/// Deregister an AVS (owner): possible once none of its sets can slash anyone. Its sets
		/// and allowlists are removed, unpaid budgets and the deposit go back to the owner.
		/// Charged per set as if its allowlist were full.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::deregister_avs(T::MaxSetsPerAvs::get())
			.saturating_add(T::DbWeight::get().writes(T::MaxSetsPerAvs::get() as u64 + 1)))]
		pub fn deregister_avs(origin: OriginFor<T>, avs: AvsId) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let sets = Self::do_deregister_avs(&who, avs)?;
			// What slashing forgets: the slasher and each set's mode.
			let forgotten = T::DbWeight::get().writes(sets as u64 + 1);
			Ok(Some(T::WeightInfo::deregister_avs(sets).saturating_add(forgotten)).into())
		}

		/// Create an operator set of `avs` (owner).
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::create_operator_set(T::MaxStrategiesPerSet::get()))]
		pub fn create_operator_set(
			origin: OriginFor<T>,
			avs: AvsId,
			config: OperatorSetConfigOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_create_operator_set(&who, avs, config)
		}

		/// Change a set's slashing terms (owner); they take effect after
		/// `SlashingTermsDelay`, replacing any change still pending.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::update_slashing_terms())]
		pub fn update_slashing_terms(
			origin: OriginFor<T>,
			set: OperatorSetId,
			terms: SlashingTermsOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_update_slashing_terms(&who, set, terms)
		}

		/// Add `operator` to or remove it from a set's allowlist (owner). Removal does not
		/// end a membership; `eject_operator` does.
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::set_allowlist())]
		pub fn set_allowlist(
			origin: OriginFor<T>,
			set: OperatorSetId,
			operator: T::AccountId,
			allowed: bool,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_set_allowlist(&who, set, operator, allowed)
		}

		/// Join `set`, signing AVS work with `key`; `proof` is `key`'s signature of
		/// [`kasane_primitives::avs::proof_of_possession_payload`].
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::register_for_operator_set(T::MaxStrategiesPerSet::get()))]
		pub fn register_for_operator_set(
			origin: OriginFor<T>,
			set: OperatorSetId,
			key: OperatorKey,
			proof: OperatorSignature,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let strategies = Self::do_register_operator(who, set, key, proof)?;
			Ok(Some(T::WeightInfo::register_for_operator_set(strategies)).into())
		}

		/// Leave `set`: allocations to it wind down over the deallocation delay, slashable
		/// until then.
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::deregister_from_operator_set())]
		pub fn deregister_from_operator_set(
			origin: OriginFor<T>,
			set: OperatorSetId,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_deregister_operator(&who, set, false)
		}

		/// Remove `operator` from `set` (owner), as if it had left.
		#[pallet::call_index(10)]
		#[pallet::weight(T::WeightInfo::deregister_from_operator_set())]
		pub fn eject_operator(
			origin: OriginFor<T>,
			set: OperatorSetId,
			operator: T::AccountId,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::owned_avs(&who, set.avs)?;
			Self::do_deregister_operator(&operator, set, true)
		}

		/// Remove a departed operator's record and free its key once the set can no longer
		/// slash it. Anyone may call it.
		#[pallet::call_index(11)]
		#[pallet::weight(T::WeightInfo::purge_departed().saturating_add(
			<T::Events as kasane_primitives::slashing::RegistryEvents<T::AccountId>>::weight()
		))]
		pub fn purge_departed(
			origin: OriginFor<T>,
			set: OperatorSetId,
			operator: T::AccountId,
		) -> DispatchResult {
			ensure_signed(origin)?;
			Self::do_purge_departed(set, operator)
		}

		/// Escrow `amount` of `asset` as `set`'s reward budget, paid `per_era` (owner). Funding
		/// an existing budget adds to it and sets the new rate.
		#[pallet::call_index(12)]
		#[pallet::weight(T::WeightInfo::fund_rewards())]
		pub fn fund_rewards(
			origin: OriginFor<T>,
			set: OperatorSetId,
			asset: T::RewardAssetId,
			amount: u128,
			per_era: u128,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_fund_rewards(&who, set, asset, amount, per_era)
		}

		/// Stop a budget and refund what is unpaid to the owner (owner).
		#[pallet::call_index(13)]
		#[pallet::weight(T::WeightInfo::cancel_rewards())]
		pub fn cancel_rewards(
			origin: OriginFor<T>,
			set: OperatorSetId,
			asset: T::RewardAssetId,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::owned_avs(&who, set.avs)?;
			let budget = RewardBudgets::<T>::get(set, &asset).ok_or(Error::<T>::UnknownBudget)?;
			let refunded = Self::close_budget(&set, &asset, &budget, &who)?;
			Self::deposit_event(Event::BudgetCancelled { set, asset, refunded });
			Ok(())
		}

		/// Set the rate `strategy`'s asset is valued at in the common unit.
		#[pallet::call_index(14)]
		#[pallet::weight(T::WeightInfo::set_exchange_rate())]
		pub fn set_exchange_rate(
			origin: OriginFor<T>,
			strategy: StrategyId,
			rate: FixedU128,
		) -> DispatchResult {
			T::RateOrigin::ensure_origin(origin)?;
			Self::do_set_exchange_rate(strategy, rate)
		}
	}

	impl<T: Config> Pallet<T> {
		/// The AVS, if `who` owns it.
		pub(crate) fn owned_avs(who: &T::AccountId, avs: AvsId) -> Result<AvsOf<T>, DispatchError> {
			let record = AvsRecords::<T>::get(avs).ok_or(Error::<T>::UnknownAvs)?;
			ensure!(&record.owner == who, Error::<T>::NotAvsOwner);
			Ok(record)
		}
	}
}
