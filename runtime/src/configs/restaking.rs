//! Restaking (pallet-restaking) and the mirrored LSTs it restakes (pallet-assets).
//!
//! - **Mirrored LSTs** live in pallet-assets. Only root creates them (`force_create`); the LST
//!   bridge will be their only minter. Until it exists, an asset's owner (Alice on devnets) can
//!   mint, so restaking can be tried and tested.
//! - **Delays** are chain parameters (`configs/parameters.rs`): each network's genesis sets
//!   them, within these maxima, which are a real network's values (6-second blocks):
//!   allocations take effect after 8 days, a day longer than a withdrawal takes, so a staker who disagrees with new slashing exposure is out before it
//!   applies; deallocations after 4 days (longer than any veto window, so a departed operator
//!   stays slashable through it); withdrawals and redelegations complete after 7 days
//!   (rounded up to the next 6-hour completion time), which covers every veto window (the
//!   restaked slashing windows) the runtime allows. A withdrawal bears the slashes requested before it
//!   could complete, not those requested after, however late it is completed (unless they
//!   overlap a pending one requested before: see `pallet_restaking::OperatorStrategy::maturity`).
//!   Commission changes wait 1 day.
//! - **Redistribution**: slashed LSTs are burned unless root opts a strategy in
//!   (`set_strategy_redistribution`).
//! - **Operator sets** and their membership come from the AVS registry.
//! - **Rewards** are paid in KSN or any mirrored asset; stake is valued at the registry's
//!   exchange rates (root-set until the LST bridge reports them; one to one when unset).

use frame_support::{
	parameter_types,
	traits::{
		fungible::{NativeFromLeft, NativeOrWithId, UnionOf},
		AsEnsureOriginWithArg, ConstU128, ConstU32, NeverEnsureOrigin,
	},
};
use frame_system::EnsureRoot;
use sp_runtime::Perbill;

use crate::{
	currency::{deposit, MILLI_UNIT},
	AccountId, Assets, AvsRegistry, Balance, Balances, BlockNumber, Runtime, RuntimeEvent,
	RuntimeHoldReason, Staking, DAYS,
};

/// Identifies a mirrored asset.
pub type AssetId = u32;

/// A reward asset: KSN or a mirrored asset.
pub type RewardAssetId = NativeOrWithId<AssetId>;

/// KSN and the mirrored assets as one `fungibles`: what AVS rewards are paid in.
pub type RewardAssets =
	UnionOf<Balances, Assets, NativeFromLeft, NativeOrWithId<AssetId>, AccountId>;

parameter_types! {
	pub const NativeKsn: NativeOrWithId<AssetId> = NativeOrWithId::Native;
	pub const RestakingMaxCommission: Perbill = Perbill::from_percent(50);
	pub const RestakingMaxCommissionIncrease: Perbill = Perbill::from_percent(5);
	pub const AssetStringLimit: u32 = 50;
}

/// Withdrawals and redelegations wait at most this long, slashable all along.
pub const WITHDRAWAL_DELAY: BlockNumber = 7 * DAYS;

/// A decrease (and a departed operator's allocations) stays slashable this long.
pub const DEALLOCATION_DELAY: BlockNumber = 4 * DAYS;

/// New slashing exposure waits this long: a withdrawal queued when it is announced completes
/// a day before it applies.
pub const ALLOCATION_DELAY: BlockNumber = WITHDRAWAL_DELAY + DAYS;

/// Commission changes wait this long.
pub const COMMISSION_CHANGE_DELAY: BlockNumber = DAYS;

/// Completion times per withdrawal delay.
pub const MATURITY_BUCKETS: u32 = 28;

impl pallet_assets::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type Balance = Balance;
	type RemoveItemsLimit = ConstU32<1_000>;
	type AssetId = AssetId;
	type AssetIdParameter = codec::Compact<AssetId>;
	type ReserveData = ();
	type Currency = Balances;
	// Mirrored assets are created by root only, never by a signed account.
	type CreateOrigin = AsEnsureOriginWithArg<NeverEnsureOrigin<AccountId>>;
	type ForceOrigin = EnsureRoot<AccountId>;
	type AssetDeposit = ConstU128<{ 100 * MILLI_UNIT }>;
	type AssetAccountDeposit = ConstU128<{ MILLI_UNIT }>;
	type MetadataDepositBase = ConstU128<{ MILLI_UNIT }>;
	type MetadataDepositPerByte = ConstU128<{ MILLI_UNIT / 100 }>;
	type ApprovalDeposit = ConstU128<{ MILLI_UNIT }>;
	type StringLimit = AssetStringLimit;
	type Holder = ();
	type Freezer = ();
	type Extra = ();
	type CallbackHandle = ();
	type AssetIdAllocator = ();
	// `create` is charged nothing: its origin (never) refuses it before it reads anything.
	type WeightInfo = crate::weights::pallet_assets::WeightInfo<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = ();
}

impl pallet_restaking::Config for Runtime {
	type AssetId = AssetId;
	type Assets = Assets;
	type NativeStake = Staking;
	type OperatorSets = AvsRegistry;
	type RewardAssetId = NativeOrWithId<AssetId>;
	type RewardAssets = RewardAssets;
	type NativeRewardAsset = NativeKsn;
	type StakeValuation = AvsRegistry;
	type StrategyAdminOrigin = EnsureRoot<AccountId>;
	type WithdrawalDelay = pallet_chain_parameters::WithdrawalDelay<Runtime>;
	// Completion times every 6 hours: a withdrawal waits 7 days and at most 6 hours more. An
	// operator's book holds up to 2 × 28 + 2 of them per strategy, and every call that reads
	// the book decodes them: fewer, longer steps keep deposits cheap.
	type MaturityBuckets = ConstU32<MATURITY_BUCKETS>;
	type AllocationDelay = pallet_chain_parameters::AllocationDelay<Runtime>;
	type DeallocationDelay = pallet_chain_parameters::DeallocationDelay<Runtime>;
	type MaxSlashingWindow = pallet_chain_parameters::MaxVetoWindow<Runtime>;
	type CommissionChangeDelay = pallet_chain_parameters::CommissionChangeDelay<Runtime>;
	type MaxCommission = RestakingMaxCommission;
	type MaxCommissionIncrease = RestakingMaxCommissionIncrease;
	type MaxStrategies = ConstU32<16>;
	// A staker's queued withdrawals live in its record, which every deposit fetches to read
	// the delegation at its head: 16 (room for a redelegation of every strategy) keeps that
	// record at 1.4 KB.
	type MaxQueuedWithdrawals = ConstU32<16>;
	type MaxPendingAllocations = ConstU32<16>;
	type MaxRewardAssets = ConstU32<8>;
	type MaxAllocationsPerSet = ConstU32<512>;
	type MaxMetadataLen = ConstU32<256>;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Currency = Balances;
	// The operator record: ~300 bytes of storage.
	type OperatorDeposit = ConstU128<{ deposit(1, 300) }>;
	// One approval: two account ids.
	type ApprovalDeposit = ConstU128<{ deposit(1, 64) }>;
	type MaxApprovals = ConstU32<1_024>;
	type WeightInfo = pallet_restaking::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = RestakingBenchmarkHelper;
}

/// Creates mirrored assets for the restaking benchmarks.
#[cfg(feature = "runtime-benchmarks")]
pub struct RestakingBenchmarkHelper;

#[cfg(feature = "runtime-benchmarks")]
impl pallet_restaking::BenchmarkHelper<AssetId, AccountId, NativeOrWithId<AssetId>>
	for RestakingBenchmarkHelper
{
	fn create_asset(index: u32) -> AssetId {
		let id = 1_000_000 + index;
		let owner: AccountId = frame_benchmarking::account("asset-owner", 0, 0);
		<Assets as frame_support::traits::fungibles::Create<AccountId>>::create(id, owner, true, 1)
			.expect("benchmark asset ids are free");
		id
	}

	fn join_operator_set(operator: &AccountId, set: &kasane_primitives::restaking::OperatorSetId) {
		// The set accepts every strategy the benchmark has created so far.
		let strategies: alloc::vec::Vec<_> =
			pallet_restaking::Strategies::<Runtime>::iter_keys().collect();
		AvsRegistry::benchmark_join(operator, set, &strategies);
	}

	fn reward_asset(index: u32) -> NativeOrWithId<AssetId> {
		use frame_support::traits::fungibles::Inspect;
		match index {
			0 => NativeOrWithId::Native,
			i if <Assets as Inspect<AccountId>>::asset_exists(1_000_500 + i) => {
				NativeOrWithId::WithId(1_000_500 + i)
			}
			i => NativeOrWithId::WithId(Self::create_asset(500 + i)),
		}
	}
}
