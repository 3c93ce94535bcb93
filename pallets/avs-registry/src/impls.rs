//! The traits the registry implements for the other pallets: operator sets for restaking,
//! slashing terms and keys for slashing, members for the bridge, stake valuation.

use crate::*;
use alloc::vec::Vec;
use frame_support::pallet_prelude::*;
use frame_system::pallet_prelude::BlockNumberFor;
use kasane_primitives::{
	avs::{KeyType, OperatorSetMembers},
	restaking::{AvsId, SetExchangeRate},
	slashing::SlashingRegistry,
};
use sp_runtime::{FixedU128, Weight};

impl<T: Config> OperatorSetRegistry<T::AccountId> for Pallet<T> {
	fn is_member(operator: &T::AccountId, set: &OperatorSetId) -> bool {
		Members::<T>::get(set, operator).is_some_and(|m| m.slashable_until.is_none())
	}

	fn accepts_strategy(set: &OperatorSetId, strategy: StrategyId) -> bool {
		OperatorSets::<T>::get(set).is_some_and(|s| s.min_stake(strategy).is_some())
	}

	fn is_slashable(operator: &T::AccountId, set: &OperatorSetId) -> bool {
		let now = Self::now();
		Members::<T>::get(set, operator)
			.is_some_and(|m| m.slashable_until.is_none_or(|until| until > now))
	}
}

impl<T: Config> SlashingRegistry<T::AccountId, BlockNumberFor<T>> for Pallet<T> {
	fn genesis_hash() -> [u8; 32] {
		Self::genesis_hash()
	}

	fn avs_owner(avs: AvsId) -> Option<T::AccountId> {
		AvsRecords::<T>::get(avs).map(|a| a.owner)
	}

	fn terms(set: &OperatorSetId) -> Option<SlashingTermsOf<T>> {
		OperatorSets::<T>::get(set).map(|s| s.terms_at(Self::now()).clone())
	}

	fn slashable_key(operator: &T::AccountId, set: &OperatorSetId) -> Option<OperatorKey> {
		let now = Self::now();
		Members::<T>::get(set, operator)
			.filter(|m| m.slashable_until.is_none_or(|until| until > now))
			.map(|m| m.key)
	}

	fn eject(operator: &T::AccountId, set: &OperatorSetId) -> DispatchResult {
		if !<Self as OperatorSetRegistry<_>>::is_member(operator, set) {
			return Ok(());
		}
		frame_support::storage::with_storage_layer(|| {
			Self::do_deregister_operator(operator, *set, true)
		})
	}

	fn eject_weight() -> Weight {
		T::WeightInfo::deregister_from_operator_set()
	}
}

impl<T: Config> OperatorSetMembers<T::AccountId> for Pallet<T> {
	fn capacity(set: &OperatorSetId) -> Option<(KeyType, u32)> {
		OperatorSets::<T>::get(set).map(|s| (s.config.key_type, s.config.max_operators))
	}

	fn member_count(set: &OperatorSetId) -> u32 {
		OperatorSets::<T>::get(set).map_or(0, |s| s.members)
	}

	fn member_key(set: &OperatorSetId, who: &T::AccountId) -> Option<OperatorKey> {
		Members::<T>::get(set, who).filter(|m| m.slashable_until.is_none()).map(|m| m.key)
	}

	fn key_owner(key: &OperatorKey) -> Option<(OperatorSetId, T::AccountId)> {
		KeyOwners::<T>::get(key)
	}

	fn members(set: &OperatorSetId) -> Vec<T::AccountId> {
		let mut members: Vec<_> = Members::<T>::iter_prefix(set)
			.filter(|(_, m)| m.slashable_until.is_none())
			.map(|(who, _)| who)
			.collect();
		members.sort();
		members
	}

	fn slashable_keys(set: &OperatorSetId) -> Vec<OperatorKey> {
		let now = Self::now();
		Members::<T>::iter_prefix_values(set)
			.filter(|m| m.slashable_until.is_none_or(|until| until > now))
			.map(|m| m.key)
			.collect()
	}

	fn governance(set: &OperatorSetId) -> Option<(T::AccountId, bool)> {
		let allowlist = OperatorSets::<T>::get(set)?.config.allowlist;
		AvsRecords::<T>::get(set.avs).map(|a| (a.owner, allowlist))
	}

	fn allocated_value(set: &OperatorSetId, who: &T::AccountId) -> u128 {
		let Some(record) = OperatorSets::<T>::get(set) else { return 0 };
		record.config.strategies.iter().fold(0u128, |total, (strategy, _)| {
			let stake = T::Restaking::allocated_stake(who, set, *strategy);
			total.saturating_add(<Self as StakeValuation>::value(*strategy, stake))
		})
	}
}

impl<T: Config> SetExchangeRate for Pallet<T> {
	fn set_exchange_rate(strategy: StrategyId, rate: FixedU128) -> DispatchResult {
		Self::do_set_exchange_rate(strategy, rate)
	}
}

impl<T: Config> StakeValuation for Pallet<T> {
	fn value(strategy: StrategyId, amount: u128) -> u128 {
		Self::value_at_rate(ExchangeRates::<T>::get(strategy), amount)
	}
}
