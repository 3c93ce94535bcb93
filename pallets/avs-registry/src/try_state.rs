//! Every invariant of the pallet, one `check_*` per concern, run after each test and by
//! `try-runtime`.
//!
//! Compiled with `std` as well as `try-runtime`: the runtime's native integration tests and
//! the slashing pallet's mock check it without turning on `try-runtime` (which would change
//! the wasm the node embeds); the wasm runtime leaves it out.
#![cfg(any(feature = "std", feature = "try-runtime"))]

use crate::*;
use alloc::collections::btree_map::BTreeMap;
use frame_support::{
	ensure,
	traits::{fungibles::Inspect, Get},
};
use sp_runtime::{traits::Saturating, TryRuntimeError};

impl<T: Config> Pallet<T> {
	/// Every check of the pallet's invariants.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		Self::check_operator_sets()?;
		Self::check_keys()?;
		Self::check_escrow()
	}

	/// Every set belongs to its AVS, and its counters match its members, allowlist and
	/// budgets.
	fn check_operator_sets() -> Result<(), TryRuntimeError> {
		ensure!(
			AvsRecords::<T>::count() as usize == AvsRecords::<T>::iter().count(),
			"AVS counter is off"
		);
		let now = Self::now();
		for (id, set) in OperatorSets::<T>::iter() {
			let avs = AvsRecords::<T>::get(id.avs).ok_or("operator set of an unknown AVS")?;
			ensure!(id.index < avs.sets, "operator set index beyond the AVS's count");
			let (mut members, mut departed) = (0u32, 0u32);
			for (operator, m) in Members::<T>::iter_prefix(id) {
				match m.slashable_until {
					None => members += 1,
					Some(_) => departed += 1,
				}
				ensure!(
					KeyOwners::<T>::get(&m.key) == Some((id, operator)),
					"a member's key is not registered to it"
				);
			}
			ensure!(members == set.members, "member count is off");
			ensure!(departed == set.departed, "departed count is off");
			ensure!(members <= set.config.max_operators, "more members than max_operators");
			ensure!(
				Allowlist::<T>::iter_prefix(id).count() as u32 == set.allowlisted,
				"allowlist count is off"
			);
			ensure!(
				RewardBudgets::<T>::iter_prefix(id).count() as u32 == set.budgets,
				"budget count is off"
			);
			if let Some((_, at)) = &set.pending_terms {
				ensure!(
					*at <= now.saturating_add(T::SlashingTermsDelay::get()),
					"terms change further out than the delay"
				);
			}
		}
		Ok(())
	}

	/// Each key belongs to exactly one membership, and each membership has its set.
	fn check_keys() -> Result<(), TryRuntimeError> {
		let mut keys = 0usize;
		for (key, (set, operator)) in KeyOwners::<T>::iter() {
			keys += 1;
			let m = Members::<T>::get(set, &operator).ok_or("key of no membership")?;
			ensure!(m.key == key, "key registered to a membership with another key");
		}
		ensure!(keys == Members::<T>::iter().count(), "memberships and keys differ in number");
		ensure!(
			Members::<T>::iter_keys().all(|(set, _)| OperatorSets::<T>::contains_key(set)),
			"membership of an unknown set"
		);
		Ok(())
	}

	/// The escrow owes exactly the unpaid budgets, and holds at least that.
	fn check_escrow() -> Result<(), TryRuntimeError> {
		let mut owed: BTreeMap<T::RewardAssetId, u128> = BTreeMap::new();
		for (set, asset, budget) in RewardBudgets::<T>::iter() {
			ensure!(OperatorSets::<T>::contains_key(set), "budget of an unknown set");
			owed.entry(asset).or_default().saturating_accrue(budget.remaining);
		}
		for (asset, escrowed) in Escrowed::<T>::iter() {
			ensure!(
				owed.remove(&asset).unwrap_or(0) == escrowed,
				"escrowed total differs from unpaid budgets"
			);
			ensure!(
				T::RewardAssets::balance(asset, &Self::escrow_account()) >= escrowed,
				"escrow account holds less than it owes"
			);
		}
		ensure!(owed.values().all(|v| *v == 0), "unpaid budget missing from the escrow total");
		Ok(())
	}
}
