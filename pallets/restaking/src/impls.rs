//! The traits restaking implements for the other pallets (slashing, rewards, operator
//! sets, native pool freezes).

use crate::*;
use alloc::vec::Vec;
use frame_support::{ensure, pallet_prelude::*, storage::with_storage_layer};
use kasane_primitives::{
	restaking::{OperatorSetStake, StrategySlash},
	staking::NativeStakeProvider,
};
use sp_runtime::{Rounding, SaturatedConversion};

impl<T: Config> OperatorSlasher<T::AccountId, u128> for Pallet<T> {
	fn slash(
		operator: &T::AccountId,
		set: &OperatorSetId,
		params: SlashParams<'_, T::AccountId>,
	) -> Result<Vec<StrategySlash<u128>>, DispatchError> {
		let fraction = params.fraction;
		ensure!(fraction > 0 && fraction <= WAD, Error::<T>::InvalidSlashFraction);
		with_storage_layer(|| {
			let allocations: Vec<_> = Allocations::<T>::iter_prefix((operator, set)).collect();
			let mut out = Vec::with_capacity(allocations.len());
			for (strategy, alloc) in allocations {
				if let Some(s) = Self::slash_strategy(operator, set, strategy, alloc, &params)? {
					out.push(s);
				}
			}
			Ok(out)
		})
	}

	fn preview(
		operator: &T::AccountId,
		set: &OperatorSetId,
		fraction: Magnitude,
		caps: Option<&[(StrategyId, Magnitude)]>,
		staker: Option<&T::AccountId>,
	) -> Vec<StrategySlash<u128>> {
		let now = Self::now();
		let native_strategy = NativeStrategy::<T>::get();
		let delegated = staker.map(|s| Self::delegation(s).as_ref() == Some(operator));
		let mut out = Vec::new();
		for (strategy, alloc) in Allocations::<T>::iter_prefix((operator, set)) {
			let before = Self::allocation_at(operator, set, &alloc, now).magnitude;
			let slashed = Self::slashed_magnitude(before, fraction, strategy, caps);
			if slashed == 0 {
				continue;
			}
			let max = Self::book(operator, strategy).max_magnitude;
			let loss = |value_at_max: u128| {
				// What a stake worth `value_at_max` at factor `max` loses when it falls by
				// `slashed`.
				value_at_max.saturating_sub(
					mul_div(value_at_max, max.saturating_sub(slashed), max, Rounding::Down)
						.unwrap_or(0),
				)
			};
			let native = native_strategy == Some(strategy);
			let amount = match (staker, native) {
				(None, true) => loss(T::NativeStake::pool_stake(operator).map_or(0, |p| p.active)),
				(None, false) => {
					let book = Self::book(operator, strategy);
					let queued =
						book.queued_scaled.saturating_sub(Self::settleable_scaled(operator, &book));
					loss(scaled_to_value(book.active_scaled.saturating_add(queued), max))
				}
				(Some(who), true) => match T::NativeStake::pool_member(who) {
					Some((pool, stake)) if pool == *operator => loss(stake),
					_ => 0,
				},
				(Some(who), false) => {
					let active = if delegated == Some(true) {
						Positions::<T>::get(who, strategy)
							.map_or(0, |p| scaled_to_value(p.scaled_shares, max))
					} else {
						0
					};
					let cutoff = Self::settle_cutoff(operator);
					let queued: u128 = Stakers::<T>::get(who)
						.withdrawals
						.into_iter()
						.filter(|w| w.strategy == strategy && w.operator.as_ref() == Some(operator))
						.filter(|w| w.withdrawable_at > cutoff)
						.map(|w| Self::withdrawal_value(&w))
						.fold(0, u128::saturating_add);
					loss(active.saturating_add(queued))
				}
			};
			if staker.is_some() && amount == 0 {
				// Not exposed through this strategy.
				continue;
			}
			out.push(StrategySlash {
				strategy,
				native,
				magnitude_before: before,
				magnitude_after: before - slashed,
				amount,
				reward: 0,
			});
		}
		out
	}

	fn freeze(operator: &T::AccountId, set: &OperatorSetId) {
		SlashFreezes::<T>::mutate(operator, set, |c| *c = Some(c.unwrap_or(0).saturating_add(1)));
		OperatorFreezes::<T>::mutate(operator, |f| {
			let f = f.get_or_insert(Freeze { pending: 0, since: Self::now() });
			f.pending = f.pending.saturating_add(1);
		});
	}

	fn unfreeze(operator: &T::AccountId, set: &OperatorSetId) {
		SlashFreezes::<T>::mutate_exists(operator, set, |c| {
			*c = c.map(|n| n.saturating_sub(1)).filter(|n| *n > 0);
		});
		OperatorFreezes::<T>::mutate_exists(operator, |f| {
			*f = f
				.map(|f| Freeze { pending: f.pending.saturating_sub(1), ..f })
				.filter(|f| f.pending > 0);
		});
	}

	fn staker_operators(staker: &T::AccountId) -> Vec<T::AccountId> {
		let mut out: Vec<T::AccountId> = Self::delegation(staker).into_iter().collect();
		if let Some((pool, _)) = T::NativeStake::pool_member(staker) {
			if !out.contains(&pool) {
				out.push(pool);
			}
		}
		out
	}
}

/// A validator's native pool is reached by every pending slash of it as an operator: native
/// staking keeps its stake in until they are decided.
impl<T: Config> kasane_primitives::staking::PoolFreeze<T::AccountId> for Pallet<T> {
	fn is_frozen(validator: &T::AccountId) -> bool {
		Self::is_operator_frozen(validator)
	}
}

impl<T: Config> RewardsDistributor<T::AccountId, T::RewardAssetId> for Pallet<T> {
	fn distribute_rewards(
		payer: &T::AccountId,
		set: &OperatorSetId,
		asset: T::RewardAssetId,
		amount: u128,
	) -> Result<u128, DispatchError> {
		with_storage_layer(|| {
			Self::do_distribute_rewards(payer, set, asset, amount).map(|(spent, _)| spent)
		})
	}

	fn distribute_rewards_weight(set: &OperatorSetId) -> Weight {
		// Reading the list's length is part of the cost.
		let allocations = SetAllocations::<T>::decode_len(set).unwrap_or(0) as u32;
		T::WeightInfo::distribute_rewards(allocations).saturating_add(T::DbWeight::get().reads(1))
	}

	fn max_distribute_rewards_weight() -> Weight {
		T::WeightInfo::distribute_rewards(T::MaxAllocationsPerSet::get())
			.saturating_add(T::DbWeight::get().reads(1))
	}
}

impl<T: Config> kasane_primitives::restaking::AssetStrategies<T::AssetId> for Pallet<T> {
	fn asset_strategy(asset: &T::AssetId) -> Option<StrategyId> {
		AssetStrategy::<T>::get(asset)
	}
}

impl<T: Config> OperatorSetStake<T::AccountId> for Pallet<T> {
	fn is_operator(who: &T::AccountId) -> bool {
		Self::is_operator(who)
	}

	fn operator_stake(operator: &T::AccountId, strategy: StrategyId) -> u128 {
		Self::operator_stake(operator, strategy)
	}

	fn allocated_stake(operator: &T::AccountId, set: &OperatorSetId, strategy: StrategyId) -> u128 {
		Self::allocated_stake(operator, set, strategy).1
	}

	fn withdrawal_delay() -> u32 {
		T::WithdrawalDelay::get().saturated_into()
	}

	fn deallocation_delay() -> u32 {
		T::DeallocationDelay::get().saturated_into()
	}

	fn native_strategy() -> Option<StrategyId> {
		NativeStrategy::<T>::get()
	}

	fn deallocate_all(operator: &T::AccountId, set: &OperatorSetId) -> DispatchResult {
		with_storage_layer(|| Self::do_deallocate_all(operator, set))
	}

	fn for_each_set_allocation(
		sets: &[OperatorSetId],
		visit: impl FnMut(usize, T::AccountId, StrategyId, u128),
	) {
		Self::for_each_set_allocation(sets, visit)
	}
}
