//! Era rewards: points collected from block authorship, each pool's accumulator, claims.

use super::*;
use frame_support::{pallet_prelude::*, traits::fungible::Mutate};
use sp_runtime::{
	traits::{Saturating, Zero},
	FixedPointNumber,
};

impl<T: Config> Pallet<T> {
	/// Rewards `who` could claim now (settled plus not yet settled).
	pub fn claimable_rewards(who: &T::AccountId) -> BalanceOf<T> {
		let Some(ledger) = Ledgers::<T>::get(who) else { return Zero::zero() };
		let unsettled = Pools::<T>::get(&ledger.pool)
			.map(|p| {
				p.reward_per_share
					.saturating_sub(ledger.reward_snapshot)
					.saturating_mul_int(ledger.shares)
			})
			.unwrap_or_default();
		ledger.pending_rewards.saturating_add(unsettled)
	}

	pub(crate) fn do_claim_rewards(who: &T::AccountId) -> DispatchResult {
		let mut ledger = Ledgers::<T>::get(who).ok_or(Error::<T>::NotBonded)?;
		Self::settle_ledger(who, &mut ledger)?;
		let amount = ledger.pending_rewards;
		ensure!(!amount.is_zero(), Error::<T>::NothingToClaim);
		ledger.pending_rewards = Zero::zero();
		T::Currency::mint_into(who, amount)?;
		let mut destination = RewardDestination::Free;
		if ledger.reward_destination == RewardDestination::Stake && !ledger.shares.is_zero() {
			let id = ledger.pool.clone();
			let mut pool = Pools::<T>::get(&id).ok_or(Error::<T>::PoolDestroyed)?;
			// Too small to buy a share: it stays free.
			if Self::add_to_pool(who, &id, &mut pool, &mut ledger, amount).is_ok() {
				Self::hold(who, amount)?;
				ledger.held.saturating_accrue(amount);
				Self::put_pool(&id, pool);
				destination = RewardDestination::Stake;
			}
		}
		Self::put_ledger(who, ledger);
		Self::deposit_event(Event::RewardsClaimed { who: who.clone(), amount, destination });
		Ok(())
	}

	/// Add authorship points to validators of the active era.
	pub fn reward_by_ids(points: impl IntoIterator<Item = (T::AccountId, u32)>) {
		ActiveEraPoints::<T>::mutate(|era_points| {
			for (validator, p) in points {
				if let Some(current) = era_points.individual.get_mut(&validator) {
					current.saturating_accrue(p);
				} else if era_points.individual.try_insert(validator, p).is_err() {
					continue;
				}
				era_points.total.saturating_accrue(p);
			}
		});
	}
}
