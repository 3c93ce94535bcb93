//! Slashing a validator's pool: offences reported by the runtime, deferred slashes and their
//! cancellation, and the O(1) slash of a pool's active and unbonding stake.

use super::*;
use alloc::vec::Vec;
use frame_support::pallet_prelude::*;
use kasane_primitives::{slashing::ConsensusSlashLog, staking::PoolShare, EraIndex};
use sp_runtime::{
	helpers_128bit::multiply_by_rational_with_rounding,
	traits::{Saturating, Zero},
	Perbill, Rounding, SaturatedConversion,
};

/// The largest fraction a single slash takes: a slashed pool always keeps a remnant, so its
/// shares keep a price and the pool's accounting never divides by zero.
pub const MAX_SLASH_FRACTION: Perbill = Perbill::from_parts(999_999_999);

impl<T: Config> Pallet<T> {
	pub(crate) fn do_cancel_deferred_slash(era: EraIndex, mut indices: Vec<u32>) -> DispatchResult {
		ensure!(!indices.is_empty(), Error::<T>::EmptySlashList);
		let mut slashes = UnappliedSlashes::<T>::get(era);
		indices.sort_unstable();
		indices.dedup();
		ensure!(
			indices.last().is_some_and(|last| (*last as usize) < slashes.len()),
			Error::<T>::InvalidSlashIndex
		);
		for index in indices.into_iter().rev() {
			let slash = slashes.remove(index as usize);
			if let Some(id) = slash.record {
				T::SlashLog::cancelled(id);
			}
			Self::deposit_event(Event::SlashCancelled { era, validator: slash.validator });
		}
		if slashes.is_empty() {
			UnappliedSlashes::<T>::remove(era);
		} else {
			UnappliedSlashes::<T>::insert(era, slashes);
		}
		Ok(())
	}

	/// What `share` of `amount` is: exact, rounded up to at most one unit, and never more than
	/// [`MAX_SLASH_FRACTION`] of it (a slashed pool keeps a remnant, so its shares keep a price).
	pub(crate) fn share_of(share: PoolShare, amount: BalanceOf<T>) -> BalanceOf<T> {
		let most = MAX_SLASH_FRACTION.mul_floor(amount);
		if share.whole == 0 {
			return Zero::zero();
		}
		let taken = multiply_by_rational_with_rounding(
			amount.saturated_into::<u128>(),
			share.parts.min(share.whole),
			share.whole,
			Rounding::Up,
		)
		.map_or(most, |t| t.saturated_into());
		taken.min(most)
	}

	/// Slash `fraction` of the pool of `validator` for a consensus offence of `offence_era`:
	/// stake that left the pool before the offence is spared.
	pub(crate) fn apply_offence_slash(
		validator: &T::AccountId,
		fraction: Perbill,
		offence_era: EraIndex,
	) -> BalanceOf<T> {
		Self::apply_slash(
			validator,
			PoolShare::from_perbill(fraction),
			offence_era.saturating_add(BondingEras::<T>::get()),
		)
	}

	/// Slash `share` of the pool of `validator`: its active stake and the unbonding stake (and
	/// redelegation obligations) unlocking at `first_unlock` or later that has not been
	/// withdrawn yet. O(BondingEras): the eras looked at are at most `BondingEras`
	/// before the active one and `BondingEras` after it.
	pub(crate) fn apply_slash(
		validator: &T::AccountId,
		share: PoolShare,
		first_unlock: EraIndex,
	) -> BalanceOf<T> {
		let mut total = BalanceOf::<T>::zero();
		if let Some(mut pool) = Pools::<T>::get(validator) {
			let amount = Self::share_of(share, pool.active);
			pool.active.saturating_reduce(amount);
			pool.slashes.saturating_inc();
			Self::put_pool(validator, pool);
			total.saturating_accrue(amount);
		}
		let active_era = Self::active_era_index();
		let bonding = BondingEras::<T>::get();
		// A chunk unlocking at `e` left the pool in era `e - bonding`. Chunks that unlocked are
		// still reached while they are there (a pending slash keeps them from being
		// withdrawn), but no further back than a bonding duration.
		let first = first_unlock.max(active_era.saturating_add(1).saturating_sub(bonding));
		for era in first..=active_era.saturating_add(bonding) {
			if let Some(mut up) = UnbondPools::<T>::get(validator, era) {
				let amount = Self::share_of(share, up.stake);
				up.stake.saturating_reduce(amount);
				UnbondPools::<T>::insert(validator, era, up);
				total.saturating_accrue(amount);
			}
		}
		Self::deposit_event(Event::PoolSlashed {
			validator: validator.clone(),
			parts: share.parts,
			whole: share.whole,
			amount: total,
		});
		total
	}
}
