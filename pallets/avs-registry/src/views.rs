//! What the runtime API reports: the market of operator sets and their security.

use crate::*;
use alloc::{collections::BTreeMap, vec::Vec};
use frame_system::pallet_prelude::BlockNumberFor;
use kasane_primitives::avs::{
	BudgetView, CorruptionCost, MarketOrder, OperatorSetMarketView, SecurityView, StrategyStake,
};
use sp_runtime::FixedU128;

/// A view of one operator set's allocated stake.
pub(crate) struct SetStake<AccountId> {
	per_strategy: Vec<StrategyStake>,
	/// Each operator's allocated stake value, in the common unit.
	per_operator: Vec<(AccountId, u128)>,
	total_value: u128,
}

// Not derived: that would ask for `AccountId: Default`.
impl<AccountId> Default for SetStake<AccountId> {
	fn default() -> Self {
		Self { per_strategy: Vec::new(), per_operator: Vec::new(), total_value: 0 }
	}
}

impl<T: Config> Pallet<T> {
	/// The stake allocated to each of `sets`, in order. Operators' books and strategies'
	/// exchange rates are read once for all the sets (see `OperatorSetStake::sets_allocations`).
	pub(crate) fn sets_stake(sets: &[OperatorSetId]) -> Vec<SetStake<T::AccountId>> {
		let native = T::Restaking::native_strategy();
		let mut rates: BTreeMap<StrategyId, Option<FixedU128>> = BTreeMap::new();
		let mut value = |strategy: StrategyId, amount: u128| {
			let rate = *rates.entry(strategy).or_insert_with(|| ExchangeRates::<T>::get(strategy));
			Self::value_at_rate(rate, amount)
		};
		T::Restaking::sets_allocations(sets)
			.into_iter()
			.map(|allocations| {
				let mut per_strategy: Vec<StrategyStake> = Vec::new();
				let mut per_operator: Vec<(T::AccountId, u128)> = Vec::new();
				let mut total_value = 0u128;
				for (operator, strategy, stake) in allocations {
					let value = value(strategy, stake);
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
			})
			.collect()
	}

	/// What a budget of `per_era` pays per [`WAD`] of value allocated, on `total_value`.
	fn rate_per_unit(per_era: u128, total_value: u128) -> u128 {
		if total_value == 0 {
			return 0;
		}
		sp_runtime::helpers_128bit::multiply_by_rational_with_rounding(
			per_era,
			WAD,
			total_value,
			sp_runtime::Rounding::Down,
		)
		.unwrap_or(u128::MAX)
	}

	pub(crate) fn market_view(
		id: OperatorSetId,
		set: OperatorSetOf<T>,
		stake: SetStake<T::AccountId>,
	) -> OperatorSetMarketView<T::AccountId, BlockNumberFor<T>, T::RewardAssetId> {
		let now = Self::now();
		let budgets = RewardBudgets::<T>::iter_prefix(id)
			.map(|(asset, b)| BudgetView {
				asset,
				per_era: b.per_era,
				remaining: b.remaining,
				rate_per_unit: Self::rate_per_unit(b.per_era, stake.total_value),
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
	///
	/// Only the page's sets get a full view. By set id, only the page's stake is read; by
	/// value or reward rate, every set's stake is (with each operator's book read once).
	pub fn operator_sets_view(
		order: MarketOrder<T::RewardAssetId>,
		offset: u32,
		limit: u32,
	) -> Vec<OperatorSetMarketView<T::AccountId, BlockNumberFor<T>, T::RewardAssetId>> {
		let mut ids: Vec<OperatorSetId> = OperatorSets::<T>::iter_keys().collect();
		ids.sort_unstable();
		let page = |ids: Vec<OperatorSetId>| -> Vec<OperatorSetId> {
			ids.into_iter().skip(offset as usize).take(limit.min(100) as usize).collect()
		};
		let page: Vec<(OperatorSetId, SetStake<T::AccountId>)> = match &order {
			MarketOrder::SetId => {
				let page = page(ids);
				let stakes = Self::sets_stake(&page);
				page.into_iter().zip(stakes).collect()
			}
			MarketOrder::RewardRate(_) | MarketOrder::AllocatedValue => {
				let stakes = Self::sets_stake(&ids);
				// Each set's sort key, highest first; ties in set id order (`ids` is sorted
				// and the sort is stable).
				let key = |id: &OperatorSetId, stake: &SetStake<T::AccountId>| match &order {
					MarketOrder::RewardRate(asset) => RewardBudgets::<T>::get(id, asset)
						.map_or(0, |b| Self::rate_per_unit(b.per_era, stake.total_value)),
					_ => stake.total_value,
				};
				let mut ranked: Vec<(u128, OperatorSetId, SetStake<T::AccountId>)> = ids
					.into_iter()
					.zip(stakes)
					.map(|(id, stake)| (key(&id, &stake), id, stake))
					.collect();
				ranked.sort_by_key(|(key, _, _)| core::cmp::Reverse(*key));
				ranked
					.into_iter()
					.skip(offset as usize)
					.take(limit.min(100) as usize)
					.map(|(_, id, stake)| (id, stake))
					.collect()
			}
		};
		page.into_iter()
			.filter_map(|(id, stake)| {
				OperatorSets::<T>::get(id).map(|set| Self::market_view(id, set, stake))
			})
			.collect()
	}

	/// [`kasane_primitives::avs::AvsApi::security`].
	pub fn security_view(set: OperatorSetId) -> Option<SecurityView> {
		OperatorSets::<T>::get(set)?;
		let stake = Self::sets_stake(&[set]).pop().unwrap_or_default();
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
