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
	/// Fill `set`'s allocation list up to `MaxAllocationsPerSet − room` with stand-in pairs
	/// (no records behind them), so that removing a pair from it decodes and writes the
	/// longest list there is. For benchmarks of anything that can end an allocation.
	pub fn benchmark_fill_set_allocations(set: OperatorSetId, room: u32) {
		let target = T::MaxAllocationsPerSet::get().saturating_sub(room) as usize;
		SetAllocations::<T>::mutate(set, |list| {
			for i in 0.. {
				if list.len() >= target {
					break;
				}
				let stand_in: T::AccountId = frame_benchmarking::account("listed", i, 0);
				list.try_push((stand_in, StrategyId::MAX)).expect("below the bound");
			}
		});
	}

	/// Make `operator`'s books in `strategies` as large as they get: a full completion list
	/// of settled buckets (which only a completion touches) and an accumulator for every
	/// reward asset (created here, once). For benchmarks of calls that decode and write books.
	pub fn benchmark_fill_books(operator: &T::AccountId, strategies: &[StrategyId]) {
		let maturity: BoundedVec<_, _> = (1..=MaturityCapacity::<T>::get())
			.map(|at| MaturityBucket {
				withdrawable_at: at.into(),
				scaled: 1,
				settled_at: Some(WAD),
			})
			.collect::<Vec<_>>()
			.try_into()
			.expect("the capacity bounds the list");
		let rewards: BoundedVec<_, _> = (0..T::MaxRewardAssets::get())
			.map(|i| (T::BenchmarkHelper::reward_asset(i), REWARD_PRECISION))
			.collect::<Vec<_>>()
			.try_into()
			.expect("one per reward asset");
		for strategy in strategies {
			OperatorStrategies::<T>::mutate(operator, strategy, |book| {
				let book = book.get_or_insert_with(Default::default);
				book.maturity = maturity.clone();
				book.reward_per_share = rewards.clone();
			});
		}
	}

	/// `operator`, a member of `set`, with `strategies` fresh asset strategies each allocated
	/// half to `set` and each with the largest book, and `stakers` stakers delegated to it in
	/// the first one (written directly: a real deposit each would only slow a benchmark's
	/// setup down). The set's list of allocations is full, so that a whole slash rewrites the
	/// longest list as it removes each pair. For other pallets' benchmarks.
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
			OperatorStrategies::<T>::insert(
				operator,
				strategy,
				OperatorStrategy { active_scaled: total, ..Default::default() },
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
		// The largest books, decoded and written by the slash.
		Self::benchmark_fill_books(operator, &ids);
		let now = Self::now();
		frame_system::Pallet::<T>::set_block_number(now.saturating_add(T::AllocationDelay::get()));
		for strategy in &ids {
			Self::mature_allocations(operator, *strategy);
		}
		Self::benchmark_fill_set_allocations(*set, 0);
		ids
	}
}
