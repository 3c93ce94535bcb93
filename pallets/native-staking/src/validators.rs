//! Validator intent: declaring the will to validate (and its commission), and chilling.

use super::*;
use frame_support::pallet_prelude::*;
use sp_runtime::{traits::Saturating, Perbill};

impl<T: Config> Pallet<T> {
	pub(crate) fn do_validate(who: &T::AccountId, commission: Perbill) -> DispatchResult {
		let mut ledger = Ledgers::<T>::get(who).ok_or(Error::<T>::NotBonded)?;
		ensure!(ledger.pool == *who, Error::<T>::NotSelfBonded);
		ensure!(commission <= T::MaxCommission::get(), Error::<T>::CommissionTooHigh);
		if let Some(until) = BlockedUntil::<T>::get(who) {
			// The next election plans `CurrentEra + 1`; the block lasts through era `until`.
			ensure!(
				until < CurrentEra::<T>::get().unwrap_or(0).saturating_add(1),
				Error::<T>::BlockedForOffence
			);
			BlockedUntil::<T>::remove(who);
		}
		Self::settle_ledger(who, &mut ledger)?;
		let mut pool = Pools::<T>::get(who).ok_or(Error::<T>::PoolDestroyed)?;
		ensure!(
			pool.value_of(pool.owner_shares) >= T::MinValidatorBond::get(),
			Error::<T>::InsufficientSelfBond
		);
		let era = Self::active_era_index();
		let last_increase_era = match pool.prefs {
			Some(prev) if commission > prev.commission => {
				ensure!(
					commission.saturating_sub(prev.commission)
						<= T::MaxCommissionIncreasePerEra::get()
						&& prev.last_increase_era < era,
					Error::<T>::CommissionIncreaseTooFast
				);
				era
			}
			Some(prev) => prev.last_increase_era,
			None => era,
		};
		if !Validators::<T>::contains_key(who) {
			ensure!(
				Validators::<T>::count() < T::MaxValidatorCandidates::get(),
				Error::<T>::TooManyCandidates
			);
		}
		let prefs = ValidatorPrefs { commission, last_increase_era };
		Validators::<T>::insert(who, prefs);
		pool.prefs = Some(prefs);
		Self::put_pool(who, pool);
		Self::put_ledger(who, ledger);
		Self::deposit_event(Event::ValidatorPrefsSet { validator: who.clone(), commission });
		Ok(())
	}

	pub(crate) fn do_chill(who: &T::AccountId) {
		if Validators::<T>::take(who).is_some() {
			Self::deposit_event(Event::Chilled { validator: who.clone() });
		}
	}
}
