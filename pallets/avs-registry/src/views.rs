//! What the runtime API reports: the market of operator sets and their security.

use crate::*;
use alloc::vec::Vec;
use frame_system::pallet_prelude::BlockNumberFor;
use kasane_primitives::avs::{
	BudgetView, CorruptionCost, MarketOrder, OperatorSetMarketView, SecurityView, StrategyStake,
};

/// A view of one operator set's allocated stake.
pub(crate) struct SetStake<AccountId> {
	per_strategy: Vec<StrategyStake>,
	/// Each operator's allocated stake value, in the common unit.
	per_operator: Vec<(AccountId, u128)>,
	total_value: u128,
}

impl<T: Config> Pallet<T> {
	pub(crate) fn set_stake(set: &OperatorSetId) -> SetStake<T::AccountId> {
		let native = T::Restaking::native_strategy();
		let mut per_strategy: Vec<StrategyStake> = Vec::new();
		let mut per_operator: Vec<(T::AccountId, u128)> = Vec::new();
		let mut total_value = 0u128;
		for (operator, strategy, stake) in T::Restaking::set_allocations(set) {
			let value = <Self as StakeValuation>::value(strategy, stake);
			total_value = total_value.saturating_add(value);
			match per_operator.iter_mut().find(|(o, _)| *o == operator) {
				Some((_, v)) => *v = v.saturating_add(value),
				None => per_operator.push((operator, value)),
			}
			let is_native = native == Some(strategy);
			let shown = if is_native { stake } else { value };
			match per_strategy.iter_mut().find(|s| s.strategy == strategy) {
				Some(s) => {
					s.allocated = s.allocated.saturating_add(stake);
					s.value = s.value.saturating_add(shown);
					s.operators += 1;
				}
				None => per_strategy.push(StrategyStake {
					strategy,
					native: is_native,
					allocated: stake,
					value: shown,
					operators: 1,
				}),
			}
		}
		per_strategy.sort_by_key(|s| s.strategy);
		SetStake { per_strategy, per_operator, total_value }
	}

	pub(crate) fn market_view(
		id: OperatorSetId,
		set: OperatorSetOf<T>,
	) -> OperatorSetMarketView<T::AccountId, BlockNumberFor<T>, T::RewardAssetId> {
		let now = Self::now();
		let stake = Self::set_stake(&id);
		let budgets = RewardBudgets::<T>::iter_prefix(id)
			.map(|(asset, b)| BudgetView {
				asset,
				per_era: b.per_era,
				remaining: b.remaining,
				rate_per_unit: if stake.total_value == 0 {
					0
				} else {
					sp_runtime::helpers_128bit::multiply_by_rational_with_rounding(
						b.per_era,
						WAD,
						stake.total_value,
						sp_runtime::Rounding::Down,
					)
					.unwrap_or(u128::MAX)
				},
			})
			.collect();
		let terms = set.terms_at(now).clone();
		let pending_terms = set.pending_terms.clone().filter(|(_, at)| *at > now);
		OperatorSetMarketView {
			set: id,
			metadata_uri: AvsRecords::<T>::get(id.avs)
				.map(|a| a.metadata_uri.into_inner())
				.unwrap_or_default(),
			strategies: set.config.strategies.clone().into_inner(),
			key_type: set.config.key_type,
			members: set.members,
			max_operators: set.config.max_operators,
			allowlist: set.config.allowlist,
			terms,
			pending_terms,
			stake: stake.per_strategy,
			total_value: stake.total_value,
			budgets,
		}
	}

	/// [`kasane_primitives::avs::AvsApi::operator_sets`]: at most 100 per page.
	pub fn operator_sets_view(
		order: MarketOrder<T::RewardAssetId>,
		offset: u32,
		limit: u32,
	) -> Vec<OperatorSetMarketView<T::AccountId, BlockNumberFor<T>, T::RewardAssetId>> {
		let mut views: Vec<_> =
			OperatorSets::<T>::iter().map(|(id, set)| Self::market_view(id, set)).collect();
		let rate = |v: &OperatorSetMarketView<_, _, _>, asset: &T::RewardAssetId| {
			v.budgets.iter().find(|b| &b.asset == asset).map_or(0, |b| b.rate_per_unit)
		};
		match &order {
			MarketOrder::SetId => views.sort_by_key(|v| v.set),
			MarketOrder::RewardRate(asset) => {
				views.sort_by(|a, b| rate(b, asset).cmp(&rate(a, asset)).then(a.set.cmp(&b.set)))
			}
			MarketOrder::AllocatedValue => {
				views.sort_by(|a, b| b.total_value.cmp(&a.total_value).then(a.set.cmp(&b.set)))
			}
		}
		views.into_iter().skip(offset as usize).take(limit.min(100) as usize).collect()
	}

	/// [`kasane_primitives::avs::AvsApi::security`].
	pub fn security_view(set: OperatorSetId) -> Option<SecurityView> {
		OperatorSets::<T>::get(set)?;
		let stake = Self::set_stake(&set);
		let native_ksn: u128 =
			stake.per_strategy.iter().filter(|s| s.native).map(|s| s.allocated).sum();
		let lst_eth: u128 = stake.per_strategy.iter().filter(|s| !s.native).map(|s| s.value).sum();
		let mut values: Vec<u128> = stake.per_operator.iter().map(|(_, v)| *v).collect();
		values.sort_unstable_by(|a, b| b.cmp(a));
		// The fewest operators (largest first) whose value reaches `num / 3` of the total.
		let fewest = |num: u128| -> Option<u32> {
			if stake.total_value == 0 {
				return None;
			}
			let mut sum = 0u128;
			for (i, v) in values.iter().enumerate() {
				sum = sum.saturating_add(*v);
				if sum.saturating_mul(3) >= stake.total_value.saturating_mul(num) {
					return Some(i as u32 + 1);
				}
			}
			None
		};
		Some(SecurityView {
			set,
			to_control_third: CorruptionCost {
				native_ksn: native_ksn / 2,
				lst_eth: lst_eth / 2,
				operators: fewest(1),
			},
			to_control_two_thirds: CorruptionCost {
				native_ksn: native_ksn.saturating_mul(2),
				lst_eth: lst_eth.saturating_mul(2),
				operators: fewest(2),
			},
			stake: stake.per_strategy,
			native_ksn,
			lst_eth,
		})
	}
}
