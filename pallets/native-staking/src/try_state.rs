//! Every invariant of the pallet, one `check_*` per concern, run after each test and by
//! `try-runtime`.
//!
//! Compiled with `std` as well as `try-runtime`: the runtime's native integration tests check
//! it without turning on `try-runtime` (which would change the wasm the node embeds); the wasm
//! runtime leaves it out.
#![cfg(any(feature = "std", feature = "try-runtime"))]

use super::*;
use alloc::collections::btree_map::BTreeMap;
use frame_support::{
	ensure,
	traits::{fungible::InspectHold, Get, ValidatorRegistration},
};
use kasane_primitives::EraIndex;
use sp_runtime::{
	traits::{Saturating, Zero},
	TryRuntimeError,
};

impl<T: Config> Pallet<T> {
	/// Checks every invariant of the pallet's storage.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		Self::check_era_clock().map_err(TryRuntimeError::Other)?;
		Self::check_ledgers_and_pools()?;
		Self::check_elections()?;
		Self::check_candidates()?;
		Self::check_elected()?;
		Self::check_bonded_eras()?;
		Self::check_deferred_slashes()?;
		Self::check_due_slashes()
	}

	/// Holds equal ledgers; pools and unbond pools hold exactly the shares their ledgers own.
	fn check_ledgers_and_pools() -> Result<(), TryRuntimeError> {
		let reason: T::RuntimeHoldReason = HoldReason::Staking.into();
		// pool id -> (shares, owner shares, members)
		let mut pools: BTreeMap<T::AccountId, (BalanceOf<T>, BalanceOf<T>, u32)> = BTreeMap::new();
		let mut unbond: BTreeMap<(T::AccountId, EraIndex), BalanceOf<T>> = BTreeMap::new();
		for (who, ledger) in Ledgers::<T>::iter() {
			ensure!(
				T::Currency::balance_on_hold(&reason, &who) == ledger.held,
				"a hold differs from its ledger"
			);
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
			ensure!(
				shares == pool.shares && owner == pool.owner_shares && members == pool.members,
				"pool shares or members differ from ledgers"
			);
			ensure!(
				pool.shares.is_zero() == pool.active.is_zero(),
				"a pool has stake without shares or vice versa"
			);
		}
		ensure!(pools.is_empty(), "a ledger points at a missing pool");
		for (id, era, up) in UnbondPools::<T>::iter() {
			ensure!(
				unbond.remove(&(id, era)).unwrap_or_default() == up.shares,
				"unbond pool shares differ from ledgers"
			);
		}
		ensure!(unbond.values().all(|s| s.is_zero()), "a chunk points at a missing unbond pool");
		Ok(())
	}

	/// A set is elected exactly when it has stake, and its members' stakes sum to the era's.
	fn check_elections() -> Result<(), TryRuntimeError> {
		let sum = |set: ElectedSet<T>| {
			set.iter().fold(BalanceOf::<T>::zero(), |total, e| total.saturating_add(e.stake))
		};
		let planned = PlannedValidators::<T>::get();
		let active = ActiveValidators::<T>::get();
		ensure!(
			PlannedStake::<T>::get().is_zero() == planned.is_empty(),
			"planned stake and planned set disagree"
		);
		ensure!(
			ActiveStake::<T>::get().is_zero() == active.is_empty(),
			"active stake and active set disagree"
		);
		ensure!(
			sum(planned) == PlannedStake::<T>::get(),
			"planned validators' stakes do not sum to the planned stake"
		);
		ensure!(
			sum(active) == ActiveStake::<T>::get(),
			"active validators' stakes do not sum to the active stake"
		);
		Ok(())
	}

	/// Every candidate is self-bonded with its prefs in its pool, under the commission cap,
	/// and counted.
	fn check_candidates() -> Result<(), TryRuntimeError> {
		let mut candidates = 0u32;
		for (validator, prefs) in Validators::<T>::iter() {
			candidates += 1;
			let self_bonded = Ledgers::<T>::get(&validator).is_some_and(|l| l.pool == validator);
			let pool = Pools::<T>::get(&validator);
			ensure!(
				self_bonded && pool.and_then(|p| p.prefs) == Some(prefs),
				"a candidate without self-bond or prefs"
			);
			ensure!(prefs.commission <= T::MaxCommission::get(), "a commission above the maximum");
		}
		ensure!(
			candidates == Validators::<T>::count()
				&& candidates <= T::MaxValidatorCandidates::get(),
			"candidate counter is wrong"
		);
		Ok(())
	}

	/// An elected validator keeps what it was elected with until it has left both sets:
	/// `unbond` refuses to take its self-bond below the minimum and `purge_keys` refuses to
	/// remove its keys. Only a slash since the election lowers its stake.
	fn check_elected() -> Result<(), TryRuntimeError> {
		let min_bond = T::MinValidatorBond::get();
		for elected in PlannedValidators::<T>::get().into_iter().chain(ActiveValidators::<T>::get())
		{
			ensure!(
				T::ValidatorRegistration::is_registered(&elected.validator),
				"an elected validator has no session keys"
			);
			let pool =
				Pools::<T>::get(&elected.validator).ok_or("an elected validator has no pool")?;
			ensure!(
				pool.value_of(pool.owner_shares) >= min_bond
					|| pool.slashes != elected.pool_slashes,
				"an elected validator's self-stake fell below the minimum without a slash"
			);
		}
		Ok(())
	}

	/// Bonded eras and their first sessions only grow, and only a bonding duration of them
	/// is kept.
	fn check_bonded_eras() -> Result<(), TryRuntimeError> {
		ensure!(
			BondedEras::<T>::get().len() as u32 <= BondingEras::<T>::get().saturating_add(1),
			"more bonded eras than the bonding duration keeps slashable"
		);
		ensure!(
			BondedEras::<T>::get().windows(2).all(|w| w[0].0 < w[1].0 && w[0].1 < w[1].1),
			"bonded eras are not increasing"
		);
		Ok(())
	}

	/// Deferred slashes wait for eras that have not started, one per validator and offence era
	/// in each queue (a raise is folded into the queued slash), none of nothing.
	fn check_deferred_slashes() -> Result<(), TryRuntimeError> {
		let active = Self::active_era_index();
		for (era, queue) in UnappliedSlashes::<T>::iter() {
			ensure!(era > active, "a slash waits for an era that has started");
			ensure!(!queue.is_empty(), "an empty slash queue is stored");
			for (i, slash) in queue.iter().enumerate() {
				ensure!(!slash.fraction.is_zero(), "a queued slash takes nothing");
				ensure!(
					!queue[..i]
						.iter()
						.any(|s| s.validator == slash.validator
							&& s.offence_era == slash.offence_era),
					"an offence has two slashes in one queue"
				);
			}
		}
		Ok(())
	}

	/// Due slashes take something, and each pool they reach is counted as frozen exactly as
	/// many times as they reach it.
	fn check_due_slashes() -> Result<(), TryRuntimeError> {
		let mut counts: BTreeMap<T::AccountId, u32> = BTreeMap::new();
		for slash in DueSlashes::<T>::get() {
			ensure!(!slash.fraction.is_zero(), "a due slash takes nothing");
			counts.entry(slash.validator).or_default().saturating_inc();
		}
		let frozen: BTreeMap<T::AccountId, u32> = SlashesDue::<T>::iter().collect();
		ensure!(frozen == counts, "the pools frozen by due slashes are not the pools they reach");
		Ok(())
	}
}
