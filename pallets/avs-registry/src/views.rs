//! What the runtime API reports: the market of operator sets and their security.

use crate::*;
use alloc::{collections::BTreeMap, vec::Vec};
use frame_system::pallet_prelude::BlockNumberFor;
use kasane_primitives::avs::{
	BudgetView, CorruptionCost, MarketOrder, OperatorSetMarketView, SecurityView, StrategyStake,
};
use sp_runtime::FixedU128;

/// A view of one operator set's allocated stake.
#[derive(Default)]
pub(crate) struct SetStake {
	/// By strategy, in strategy order once [`SetStake::finish`]ed.
	per_strategy: Vec<StrategyStake>,
	total_value: u128,
}

impl SetStake {
	/// Count an allocation of `stake` (in its strategy's unit) worth `value` (in the common unit).
	fn add(&mut self, strategy: StrategyId, native: bool, stake: u128, value: u128) {
		self.total_value = self.total_value.saturating_add(value);
		// Native stake is shown in KSN, an LST's in the common unit.
		let shown = if native { stake } else { value };
		match self.per_strategy.iter_mut().find(|s| s.strategy == strategy) {
			Some(s) => {
				s.allocated = s.allocated.saturating_add(stake);
				s.value = s.value.saturating_add(shown);
				s.operators += 1;
			}
			None => self.per_strategy.push(StrategyStake {
				strategy,
				native,
				allocated: stake,
				value: shown,
				operators: 1,
			}),
		}
	}

	fn finish(mut self) -> Self {
		self.per_strategy.sort_by_key(|s| s.strategy);
		self
	}
}

impl<T: Config> Pallet<T> {
	/// Calls `visit(i, operator, strategy, native, stake, value)` for everything allocated to
	/// `sets[i]` now. Operators' books and strategies' exchange rates are read once for all the
	/// sets (see `OperatorSetStake::for_each_set_allocation`).
	fn for_each_valued_allocation(
		sets: &[OperatorSetId],
		mut visit: impl FnMut(usize, T::AccountId, StrategyId, bool, u128, u128),
	) {
		let native = T::Restaking::native_strategy();
		let mut rates: BTreeMap<StrategyId, Option<FixedU128>> = BTreeMap::new();
		T::Restaking::for_each_set_allocation(sets, |i, operator, strategy, stake| {
			let rate = *rates.entry(strategy).or_insert_with(|| ExchangeRates::<T>::get(strategy));
			let value = Self::value_at_rate(rate, stake);
			visit(i, operator, strategy, native == Some(strategy), stake, value);
		});
	}

	/// The stake allocated to each of `sets`, in order.
	pub(crate) fn sets_stake(sets: &[OperatorSetId]) -> Vec<SetStake> {
		let mut stakes: Vec<SetStake> = sets.iter().map(|_| SetStake::default()).collect();
		Self::for_each_valued_allocation(sets, |i, _, strategy, native, stake, value| {
			if let Some(set) = stakes.get_mut(i) {
				set.add(strategy, native, stake, value);
			}
		});
		stakes.into_iter().map(SetStake::finish).collect()
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
		stake: SetStake,
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
		// At most 100 entries from `offset` on.
		fn page<I: IntoIterator>(
			items: I,
			offset: u32,
			limit: u32,
		) -> impl Iterator<Item = I::Item> {
			items.into_iter().skip(offset as usize).take(limit.min(100) as usize)
		}
		let page: Vec<(OperatorSetId, SetStake)> = match &order {
			MarketOrder::SetId => {
				let page: Vec<OperatorSetId> = page(ids, offset, limit).collect();
				let stakes = Self::sets_stake(&page);
				page.into_iter().zip(stakes).collect()
			}
			MarketOrder::RewardRate(_) | MarketOrder::AllocatedValue => {
				let stakes = Self::sets_stake(&ids);
				// Each set's sort key, highest first; ties in set id order (`ids` is sorted
				// and the sort is stable).
				let key = |id: &OperatorSetId, stake: &SetStake| match &order {
					MarketOrder::RewardRate(asset) => RewardBudgets::<T>::get(id, asset)
						.map_or(0, |b| Self::rate_per_unit(b.per_era, stake.total_value)),
					_ => stake.total_value,
				};
				let mut ranked: Vec<(u128, OperatorSetId, SetStake)> = ids
					.into_iter()
					.zip(stakes)
					.map(|(id, stake)| (key(&id, &stake), id, stake))
					.collect();
				ranked.sort_by_key(|(key, _, _)| core::cmp::Reverse(*key));
				page(ranked, offset, limit).map(|(_, id, stake)| (id, stake)).collect()
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
		let mut stake = SetStake::default();
		// Each operator's allocated value, in the common unit.
		let mut per_operator: Vec<(T::AccountId, u128)> = Vec::new();
		Self::for_each_valued_allocation(&[set], |_, operator, strategy, native, amount, value| {
			stake.add(strategy, native, amount, value);
			match per_operator.iter_mut().find(|(o, _)| *o == operator) {
				Some((_, v)) => *v = v.saturating_add(value),
				None => per_operator.push((operator, value)),
			}
		});
		let stake = stake.finish();
		let native_ksn: u128 =
			stake.per_strategy.iter().filter(|s| s.native).map(|s| s.allocated).sum();
		let lst_eth: u128 = stake.per_strategy.iter().filter(|s| !s.native).map(|s| s.value).sum();
		let mut values: Vec<u128> = per_operator.into_iter().map(|(_, v)| v).collect();
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
