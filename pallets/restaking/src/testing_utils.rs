//! Helpers for tests and for other pallets' benchmarks.

use crate::*;
#[cfg(feature = "runtime-benchmarks")]
use alloc::vec::Vec;
#[cfg(feature = "runtime-benchmarks")]
use frame_support::pallet_prelude::*;
#[cfg(feature = "runtime-benchmarks")]
use sp_runtime::{traits::Saturating, Perbill};

/// The balance of `who` in `asset`, for tests.
#[cfg(test)]
pub fn asset_balance<T: Config>(asset: T::AssetId, who: &T::AccountId) -> u128 {
	<T::Assets as frame_support::traits::fungibles::Inspect<_>>::balance(asset, who)
}

#[cfg(feature = "runtime-benchmarks")]
impl<T: Config> Pallet<T> {
	/// `operator`, a member of `set`, with `strategies` fresh asset strategies each allocated
	/// half to `set`, and `stakers` stakers delegated to it in the first one (written directly:
	/// a real deposit each would only slow a benchmark's setup down). For other pallets'
	/// benchmarks.
	pub fn benchmark_slashable_operator(
		operator: &T::AccountId,
		set: &OperatorSetId,
		strategies: u32,
		stakers: u32,
	) -> Vec<StrategyId> {
		const STAKE: u128 = 1_000_000_000_000;
		// The set accepts exactly the strategies made here: earlier ones make way.
		if Strategies::<T>::count() > 0 {
			let _ = Strategies::<T>::clear(u32::MAX, None);
			let _ = AssetStrategy::<T>::clear(u32::MAX, None);
			NativeStrategy::<T>::kill();
		}
		if !Self::is_operator(operator) {
			use frame_support::traits::fungible::{Inspect, Mutate};
			let funds = T::OperatorDeposit::get().saturating_add(T::Currency::minimum_balance());
			T::Currency::set_balance(operator, funds.saturating_mul(2));
			Self::do_register_operator(
				operator.clone(),
				Perbill::from_percent(5),
				Default::default(),
				false,
			)
			.expect("a new operator");
		}
		let base = NextStrategyId::<T>::get();
		let ids: Vec<StrategyId> = (0..strategies)
			.map(|i| {
				let asset = T::BenchmarkHelper::create_asset(base.saturating_add(i));
				Self::do_add_strategy(StrategyKind::Asset(asset), u128::MAX, u128::MAX)
					.expect("strategy slots left")
			})
			.collect();
		T::BenchmarkHelper::join_operator_set(operator, set);
		for (i, strategy) in ids.iter().enumerate() {
			let count = if i == 0 { stakers.max(1) } else { 1 };
			for s in 0..count {
				let who: T::AccountId = frame_benchmarking::account("slash-staker", s, i as u32);
				Positions::<T>::insert(
					&who,
					strategy,
					Position { deposit_shares: STAKE, scaled_shares: STAKE, ..Default::default() },
				);
				Stakers::<T>::mutate(&who, |s| s.delegated_to = Some(operator.clone()));
			}
			let total = STAKE * count as u128;
			// A full completion list, decoded and written with the book by the slash.
			let maturity = (1..=MaturityCapacity::<T>::get())
				.map(|at| MaturityBucket {
					withdrawable_at: at.into(),
					scaled: STAKE,
					settled_at: Some(WAD),
				})
				.collect::<Vec<_>>();
			OperatorStrategies::<T>::insert(
				operator,
				strategy,
				OperatorStrategy {
					active_scaled: total,
					maturity: BoundedVec::truncate_from(maturity),
					..Default::default()
				},
			);
			Strategies::<T>::mutate(strategy, |s| {
				if let Some(s) = s {
					s.held = total;
					s.total_deposited = total;
				}
			});
			Self::do_modify_allocation(operator, *set, *strategy, WAD / 2)
				.expect("allocation accepted");
		}
		let now = Self::now();
		frame_system::Pallet::<T>::set_block_number(now.saturating_add(T::AllocationDelay::get()));
		for strategy in &ids {
			Self::mature_allocations(operator, *strategy);
		}
		ids
	}
}
