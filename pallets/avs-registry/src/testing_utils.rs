//! Setup other pallets' benchmarks use.

use crate::*;
use alloc::vec::Vec;
use frame_support::{pallet_prelude::*, traits::Get};
use kasane_primitives::avs::KeyType;

#[cfg(feature = "runtime-benchmarks")]
impl<T: Config> Pallet<T> {
	/// Make `operator` a member of `set`, creating the AVS (owned by `operator`, no deposit)
	/// and the set if needed; the set accepts `strategies`. For the benchmarks of pallets that
	/// need memberships.
	pub fn benchmark_join(operator: &T::AccountId, set: &OperatorSetId, strategies: &[StrategyId]) {
		let mut avs = AvsRecords::<T>::get(set.avs).unwrap_or(Avs {
			owner: operator.clone(),
			pending_owner: None,
			deposit: 0,
			metadata_uri: Default::default(),
			sets: 0,
		});
		let strategies: BoundedVec<_, _> =
			BoundedVec::truncate_from(strategies.iter().map(|s| (*s, 0u128)).collect::<Vec<_>>());
		while avs.sets <= set.index {
			OperatorSets::<T>::insert(
				OperatorSetId { avs: set.avs, index: avs.sets },
				OperatorSet {
					config: OperatorSetConfig {
						strategies: strategies.clone(),
						max_operators: T::MaxOperatorsPerSet::get(),
						key_type: KeyType::Sr25519,
						allowlist: false,
						terms: SlashingTerms {
							mode: SlashExecution::Instant,
							max_slash_per_epoch: WAD,
							slashed_funds: kasane_primitives::restaking::SlashDestination::Burn,
							equivocation_penalty: WAD / 10,
						},
					},
					pending_terms: None,
					members: 0,
					departed: 0,
					allowlisted: 0,
					budgets: 0,
				},
			);
			avs.sets += 1;
		}
		if !AvsRecords::<T>::contains_key(set.avs) && NextAvsId::<T>::get() <= set.avs {
			NextAvsId::<T>::put(set.avs.saturating_add(1));
		}
		AvsRecords::<T>::insert(set.avs, avs);
		OperatorSets::<T>::mutate(set, |s| {
			if let Some(s) = s {
				s.config.strategies = strategies.clone();
			}
		});
		if Members::<T>::contains_key(set, operator) {
			return;
		}
		let key = OperatorKey::Sr25519(sp_core::sr25519::Public::from_raw(
			sp_io::hashing::blake2_256(&(set, operator).encode()),
		));
		OperatorSets::<T>::mutate(set, |s| {
			if let Some(s) = s {
				s.members += 1;
			}
		});
		KeyOwners::<T>::insert(&key, (*set, operator.clone()));
		Members::<T>::insert(
			set,
			operator,
			Membership { key, joined_at: Self::now(), slashable_until: None },
		);
	}

	/// Give `operator`'s membership of `set` the key `key` and the set the terms `terms`
	/// (benchmarks of the slashing pallet).
	pub fn benchmark_configure(
		operator: &T::AccountId,
		set: &OperatorSetId,
		key: OperatorKey,
		terms: SlashingTermsOf<T>,
	) {
		OperatorSets::<T>::mutate(set, |s| {
			if let Some(s) = s {
				s.config.key_type = key.key_type();
				s.config.terms = terms;
				s.pending_terms = None;
			}
		});
		Members::<T>::mutate(set, operator, |m| {
			if let Some(m) = m {
				KeyOwners::<T>::remove(&m.key);
				m.key = key.clone();
			}
		});
		KeyOwners::<T>::insert(&key, (*set, operator.clone()));
	}
}
