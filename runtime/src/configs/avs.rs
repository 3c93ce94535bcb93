//! The AVS registry (pallet-avs-registry): AVSs, operator sets, memberships and reward budgets.
//!
//! - **Deposit**: 100 KSN held per AVS while it is registered.
//! - **Terms**: slashing-terms changes are new exposure and wait as long as a new allocation
//!   (8 days), so stakers who leave when one is announced, by restaking withdrawal or native
//!   unbonding, are out before the new rules apply; veto windows are at most 3 days (within
//!   the 7-day withdrawal delay). Both follow the chain's delays.
//! - **Payouts**: each era the registry pays every funded set through restaking, paged at
//!   most 10% of a block's weight per block.
//! - **Valuation**: root sets each strategy's exchange rate into ETH until the LST bridge
//!   reports them; restaking splits rewards by the same valuation.

use frame_support::{
	parameter_types,
	traits::{ConstU128, ConstU32, Get},
	PalletId,
};
use frame_system::EnsureRoot;
use kasane_primitives::{staking::NativeStakeProvider, EraIndex};
use sp_runtime::{Perbill, Weight};

use super::restaking::{RewardAssetId, RewardAssets, WITHDRAWAL_DELAY};
use crate::{
	configs::RuntimeBlockWeights, currency::UNIT, AccountId, Balances, Restaking, Runtime,
	RuntimeHoldReason, Staking, DAYS,
};

/// Native staking's active era: AVS rewards are paid per era.
pub struct ActiveEra;
impl Get<EraIndex> for ActiveEra {
	fn get() -> EraIndex {
		<Staking as NativeStakeProvider<AccountId, u128>>::active_era()
	}
}

/// The most a chain's longest veto window may be (see `configs/parameters.rs`): well inside the withdrawal delay, so a
/// slash requested before a withdrawal was queued is decided before it can complete.
pub const MAX_VETO_WINDOW: crate::BlockNumber = 3 * DAYS;
const _: () = assert!(MAX_VETO_WINDOW < WITHDRAWAL_DELAY);

parameter_types! {
	pub const AvsRegistryPalletId: PalletId = PalletId(*b"ksn/avsr");
	/// A tenth of a block for reward payouts.
	pub PayoutWeightPerBlock: Weight =
		Perbill::from_percent(10) * RuntimeBlockWeights::get().max_block;
}

impl pallet_avs_registry::Config for Runtime {
	type RuntimeHoldReason = RuntimeHoldReason;
	type Currency = Balances;
	type RewardAssetId = RewardAssetId;
	type RewardAssets = RewardAssets;
	type Restaking = Restaking;
	type Rewards = Restaking;
	type Events = crate::Slashing;
	type CurrentEra = ActiveEra;
	type RateOrigin = EnsureRoot<AccountId>;
	type PalletId = AvsRegistryPalletId;
	type AvsDeposit = ConstU128<{ 100 * UNIT }>;
	type SlashingTermsDelay = pallet_chain_parameters::AllocationDelay<Runtime>;
	type MaxVetoWindow = pallet_chain_parameters::MaxVetoWindow<Runtime>;
	// 1%.
	type MinEquivocationPenalty = ConstU128<10_000_000_000_000_000>;
	type MaxMetadataLen = ConstU32<256>;
	type MaxSetsPerAvs = ConstU32<16>;
	type MaxStrategiesPerSet = ConstU32<16>;
	type MaxOperatorsPerSet = ConstU32<256>;
	type MaxBudgetsPerSet = ConstU32<4>;
	type PayoutWeightPerBlock = PayoutWeightPerBlock;
	type WeightInfo = pallet_avs_registry::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = AvsBenchmarkHelper;
}

/// Operators with stake, allocations and reward assets for the registry's benchmarks, made
/// through restaking's own calls.
#[cfg(feature = "runtime-benchmarks")]
pub struct AvsBenchmarkHelper;

#[cfg(feature = "runtime-benchmarks")]
impl pallet_avs_registry::BenchmarkHelper<AccountId, RewardAssetId> for AvsBenchmarkHelper {
	fn operator_with_stake(
		who: &AccountId,
		strategies: u32,
		stake: u128,
	) -> alloc::vec::Vec<kasane_primitives::restaking::StrategyId> {
		use crate::{Assets, RuntimeOrigin};
		use frame_support::traits::fungibles::{Create, Inspect, Mutate};
		if !Restaking::is_operator(who) {
			Restaking::register_operator(
				RuntimeOrigin::signed(who.clone()),
				Perbill::from_percent(5),
				Default::default(),
				false,
			)
			.expect("registers");
		}
		let owner: AccountId = frame_benchmarking::account("asset-owner", 0, 0);
		// The benchmark may need every strategy slot: genesis strategies make way.
		if pallet_restaking::AssetStrategy::<Runtime>::get(2_000_000).is_none() {
			let _ = pallet_restaking::Strategies::<Runtime>::clear(u32::MAX, None);
			let _ = pallet_restaking::AssetStrategy::<Runtime>::clear(u32::MAX, None);
			pallet_restaking::NativeStrategy::<Runtime>::kill();
		}
		let mut out = alloc::vec::Vec::new();
		for i in 0..strategies {
			let asset = 2_000_000 + i;
			if !<Assets as Inspect<AccountId>>::asset_exists(asset) {
				<Assets as Create<AccountId>>::create(asset, owner.clone(), true, 1)
					.expect("new id");
			}
			let strategy = match pallet_restaking::AssetStrategy::<Runtime>::get(asset) {
				Some(s) => s,
				None => {
					Restaking::add_strategy(
						RuntimeOrigin::root(),
						pallet_restaking::StrategyKind::Asset(asset),
						u128::MAX,
						u128::MAX,
					)
					.expect("strategy slots left");
					pallet_restaking::AssetStrategy::<Runtime>::get(asset).expect("just added")
				}
			};
			// One staker per strategy.
			let staker: AccountId = frame_benchmarking::account("avs-staker", i, 0);
			<Assets as Mutate<AccountId>>::mint_into(asset, &staker, stake).expect("mints");
			Restaking::deposit(RuntimeOrigin::signed(staker.clone()), strategy, stake)
				.expect("deposits");
			if Restaking::delegation(&staker).is_none() {
				Restaking::delegate_to(RuntimeOrigin::signed(staker), who.clone())
					.expect("delegates");
			}
			out.push(strategy);
		}
		out
	}

	fn allocate(
		operator: &AccountId,
		set: &kasane_primitives::restaking::OperatorSetId,
		strategy: kasane_primitives::restaking::StrategyId,
		magnitude: kasane_primitives::restaking::Magnitude,
	) {
		<Self as pallet_avs_registry::BenchmarkHelper<AccountId, RewardAssetId>>::schedule_allocation(
			operator, set, strategy, magnitude,
		);
		let now = frame_system::Pallet::<Runtime>::block_number();
		frame_system::Pallet::<Runtime>::set_block_number(
			now + <<Runtime as pallet_restaking::Config>::AllocationDelay as Get<
				crate::BlockNumber,
			>>::get(),
		);
	}

	fn schedule_allocation(
		operator: &AccountId,
		set: &kasane_primitives::restaking::OperatorSetId,
		strategy: kasane_primitives::restaking::StrategyId,
		magnitude: kasane_primitives::restaking::Magnitude,
	) {
		Restaking::modify_allocation(
			crate::RuntimeOrigin::signed(operator.clone()),
			*set,
			strategy,
			magnitude,
		)
		.expect("allocates");
	}

	fn fill_set_allocations(set: &kasane_primitives::restaking::OperatorSetId) {
		Restaking::benchmark_fill_set_allocations(*set, 0);
	}

	fn fill_books(operator: &AccountId, strategies: &[kasane_primitives::restaking::StrategyId]) {
		Restaking::benchmark_fill_books(operator, strategies);
	}

	fn reward_asset(who: &AccountId, index: u32) -> RewardAssetId {
		use frame_support::traits::{
			fungible::Mutate as _,
			fungibles::{Create, Inspect, Mutate},
		};
		const PLENTY: u128 = 1_000_000_000_000_000_000_000_000_000;
		if index == 0 {
			Balances::set_balance(who, PLENTY);
			return RewardAssetId::Native;
		}
		let asset = 3_000_000 + index;
		if !<crate::Assets as Inspect<AccountId>>::asset_exists(asset) {
			let owner: AccountId = frame_benchmarking::account("asset-owner", 0, 0);
			<crate::Assets as Create<AccountId>>::create(asset, owner, true, 1).expect("new id");
		}
		<crate::Assets as Mutate<AccountId>>::mint_into(asset, who, PLENTY).expect("mints");
		RewardAssetId::WithId(asset)
	}
}
