//! Slashing (pallet-slashing): every slash's request, veto, execution and record.
//!
//! - **Veto council**: root (sudo) on devnets and testnets; a collective replaces it before
//!   any network holds real value.
//! - **Epochs**: one day; an operator set's `max_slash_per_epoch` counts per day.
//! - **Shares**: the reporter of double-sign evidence gets 10% of what it slashes; whoever
//!   executes a due slash by hand gets 0.1% (due slashes also execute by themselves).
//! - **Paging**: due slashes execute in `on_initialize` within 20% of a block's weight, which
//!   holds every slash due in one block (12), each at its worst case: 16 strategies and a
//!   native pool slash that reaches an unbond pool in every era of two bonding durations
//!   (≈ 26 ms).
//! - **Requests**: at least 0.001% of an allocation; each pending one holds a 10 KSN deposit
//!   from its requester (burned if the council vetoes it as abuse); an AVS has at most 64
//!   pending. An equivocation report is free when it slashes at least 1 KSN of native stake or
//!   0.001 ETH of LSTs; a set's equivocation penalty is 0 or at least 1%.
//! - **History**: the newest 4 096 decided slashes are kept (pending ones until decided).

use frame_support::{parameter_types, traits::ConstU32};
use frame_system::EnsureRoot;
use sp_runtime::{Perbill, Weight};

use crate::{
	configs::RuntimeBlockWeights, currency::UNIT, AccountId, AvsRegistry, Balances, Restaking,
	Runtime, RuntimeHoldReason, Staking, DAYS,
};

parameter_types! {
	/// A fifth of a block for due slashes.
	pub ExecutionWeightPerBlock: Weight =
		Perbill::from_percent(20) * RuntimeBlockWeights::get().max_block;
	pub const ReporterShare: Perbill = Perbill::from_percent(10);
	pub const ExecutorShare: Perbill = Perbill::from_parts(1_000_000);
}

impl pallet_slashing::Config for Runtime {
	type RuntimeHoldReason = RuntimeHoldReason;
	type Currency = Balances;
	type Valuation = AvsRegistry;
	type RequestDeposit = frame_support::traits::ConstU128<{ 10 * UNIT }>;
	type MaxPendingPerAvs = ConstU32<64>;
	// 10⁻⁵ of an allocation.
	type MinSlashFraction = frame_support::traits::ConstU128<10_000_000_000_000>;
	type MinFreeReportNative = frame_support::traits::ConstU128<UNIT>;
	// 0.001 ETH.
	type MinFreeReportValue = frame_support::traits::ConstU128<1_000_000_000_000_000>;
	type Registry = AvsRegistry;
	type Restaking = Restaking;
	type NativeStake = Staking;
	type VetoOrigin = EnsureRoot<AccountId>;
	type AdminOrigin = EnsureRoot<AccountId>;
	type EpochLength = ConstU32<DAYS>;
	type ReporterShare = ReporterShare;
	type ExecutorShare = ExecutorShare;
	type MaxDuePerBlock = ConstU32<12>;
	type HistoryDepth = ConstU32<4096>;
	type ExecutionWeightPerBlock = ExecutionWeightPerBlock;
	type WeightInfo = pallet_slashing::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = SlashingBenchmarkHelper;
}

/// Slashable operators for the slashing benchmarks, built through restaking and the registry.
#[cfg(feature = "runtime-benchmarks")]
pub struct SlashingBenchmarkHelper;

#[cfg(feature = "runtime-benchmarks")]
impl pallet_slashing::BenchmarkHelper<AccountId, crate::BlockNumber> for SlashingBenchmarkHelper {
	fn slashable_operator(
		operator: &AccountId,
		strategies: u32,
		stakers: u32,
	) -> kasane_primitives::restaking::OperatorSetId {
		let set = kasane_primitives::restaking::OperatorSetId { avs: 7, index: 0 };
		Restaking::benchmark_slashable_operator(operator, &set, strategies, stakers);
		set
	}

	fn max_strategies() -> u32 {
		<<Runtime as pallet_avs_registry::Config>::MaxStrategiesPerSet as frame_support::traits::Get<u32>>::get()
	}

	fn configure(
		operator: &AccountId,
		set: &kasane_primitives::restaking::OperatorSetId,
		key: kasane_primitives::avs::OperatorKey,
		terms: kasane_primitives::avs::SlashingTerms<AccountId, crate::BlockNumber>,
	) {
		AvsRegistry::benchmark_configure(operator, set, key, terms);
	}
}
