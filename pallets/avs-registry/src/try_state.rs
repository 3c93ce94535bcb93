//! Every invariant of the pallet, checked after each test and by `try-runtime`.

use crate::*;
use frame_support::{
	ensure,
	traits::{fungibles::Inspect, Get},
};
use sp_runtime::traits::Saturating;

impl<T: Config> Pallet<T> {
	/// Every check of the pallet's invariants.
	// Not behind `try-runtime`: the runtime's integration tests check it too.
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		use alloc::collections::btree_map::BTreeMap;
		ensure!(Avss::<T>::count() as usize == Avss::<T>::iter().count(), "AVS counter is off");
		let now = Self::now();
		for (id, set) in OperatorSets::<T>::iter() {
			let avs = Avss::<T>::get(id.avs).ok_or("operator set of an unknown AVS")?;
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
		// Each key belongs to exactly one membership, and each membership has its set.
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
		// The escrow owes exactly the unpaid budgets, and holds at least that.
		let mut owed: BTreeMap<T::RewardAssetId, u128> = BTreeMap::new();
		for (set, asset, budget) in RewardBudgets::<T>::iter() {
			ensure!(OperatorSets::<T>::contains_key(set), "budget of an unknown set");
			let e = owed.entry(asset).or_default();
			*e = e.saturating_add(budget.remaining);
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
