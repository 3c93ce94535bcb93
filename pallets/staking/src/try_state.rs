//! Every invariant of the pallet, checked after each test and by `try-runtime`.

use super::*;

impl<T: Config> Pallet<T> {
	/// Checks every invariant of the pallet's storage.
	#[cfg(any(feature = "try-runtime", test))]
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		use alloc::collections::btree_map::BTreeMap;
		use frame_support::{
			pallet_prelude::*,
			traits::{fungible::InspectHold, ValidatorRegistration},
		};
		use kasane_primitives::EraIndex;
		use sp_runtime::{
			traits::{Saturating, Zero},
			TryRuntimeError,
		};
		let reason: T::RuntimeHoldReason = HoldReason::Staking.into();
		// pool id -> (shares, owner shares, members)
		let mut pools: BTreeMap<T::AccountId, (BalanceOf<T>, BalanceOf<T>, u32)> = BTreeMap::new();
		let mut unbond: BTreeMap<(T::AccountId, EraIndex), BalanceOf<T>> = BTreeMap::new();
		for (who, ledger) in Ledgers::<T>::iter() {
			if T::Currency::balance_on_hold(&reason, &who) != ledger.held {
				return Err(TryRuntimeError::Other("a hold differs from its ledger"));
			}
			let entry = pools.entry(ledger.pool.clone()).or_default();
			entry.0.saturating_accrue(ledger.shares);
			if ledger.pool == who {
				entry.1.saturating_accrue(ledger.shares);
			}
			entry.2.saturating_inc();
			for chunk in &ledger.unbonding {
				unbond
					.entry((chunk.pool.clone(), chunk.era))
					.or_default()
					.saturating_accrue(chunk.shares);
			}
			for o in &ledger.redelegations {
				unbond.entry((o.from.clone(), o.era)).or_default().saturating_accrue(o.shares);
			}
		}
		for (id, pool) in Pools::<T>::iter() {
			let (shares, owner, members) = pools.remove(&id).unwrap_or_default();
			if shares != pool.shares || owner != pool.owner_shares || members != pool.members {
				return Err(TryRuntimeError::Other("pool shares or members differ from ledgers"));
			}
			if pool.shares.is_zero() != pool.active.is_zero() {
				return Err(TryRuntimeError::Other(
					"a pool has stake without shares or vice versa",
				));
			}
		}
		if !pools.is_empty() {
			return Err(TryRuntimeError::Other("a ledger points at a missing pool"));
		}
		if PlannedStake::<T>::get().is_zero() != PlannedValidators::<T>::get().is_empty() {
			return Err(TryRuntimeError::Other("planned stake and planned set disagree"));
		}
		if ActiveStake::<T>::get().is_zero() != ActiveValidators::<T>::get().is_empty() {
			return Err(TryRuntimeError::Other("active stake and active set disagree"));
		}
		for (id, era, up) in UnbondPools::<T>::iter() {
			if unbond.remove(&(id, era)).unwrap_or_default() != up.shares {
				return Err(TryRuntimeError::Other("unbond pool shares differ from ledgers"));
			}
		}
		if unbond.values().any(|s| !s.is_zero()) {
			return Err(TryRuntimeError::Other("a chunk points at a missing unbond pool"));
		}
		let mut candidates = 0u32;
		for (validator, prefs) in Validators::<T>::iter() {
			candidates += 1;
			let self_bonded = Ledgers::<T>::get(&validator).is_some_and(|l| l.pool == validator);
			let pool = Pools::<T>::get(&validator);
			if !self_bonded || pool.and_then(|p| p.prefs) != Some(prefs) {
				return Err(TryRuntimeError::Other("a candidate without self-bond or prefs"));
			}
			if prefs.commission > T::MaxCommission::get() {
				return Err(TryRuntimeError::Other("a commission above the maximum"));
			}
		}
		if candidates != Validators::<T>::count() || candidates > T::MaxValidatorCandidates::get() {
			return Err(TryRuntimeError::Other("candidate counter is wrong"));
		}
		// An elected validator keeps what it was elected with until it has left both sets:
		// `unbond` refuses to take its self-bond below the minimum and `purge_keys` refuses to
		// remove its keys. Only a slash since the election lowers its stake.
		let min_bond = T::MinValidatorBond::get();
		for elected in PlannedValidators::<T>::get().into_iter().chain(ActiveValidators::<T>::get())
		{
			if !T::ValidatorRegistration::is_registered(&elected.validator) {
				return Err(TryRuntimeError::Other("an elected validator has no session keys"));
			}
			let Some(pool) = Pools::<T>::get(&elected.validator) else {
				return Err(TryRuntimeError::Other("an elected validator has no pool"));
			};
			let self_stake = pool.value_of(pool.owner_shares);
			if self_stake < min_bond && pool.slashes == elected.pool_slashes {
				return Err(TryRuntimeError::Other(
					"an elected validator's self-stake fell below the minimum without a slash",
				));
			}
		}
		let bonded = BondedEras::<T>::get();
		if bonded.windows(2).any(|w| w[0].0 >= w[1].0 || w[0].1 >= w[1].1) {
			return Err(TryRuntimeError::Other("bonded eras are not increasing"));
		}
		Ok(())
	}
}
