//! Membership: an operator joining a set with a key and its proof of possession, leaving,
//! and purging departed members once they are out of the set's reach.

use crate::*;
use frame_support::{ensure, pallet_prelude::*};
use kasane_primitives::{avs::proof_of_possession_payload, slashing::RegistryEvents};
use sp_runtime::traits::Saturating;

impl<T: Config> Pallet<T> {
	/// Returns how many strategies' stake was checked, for weight.
	pub(crate) fn do_register_operator(
		who: T::AccountId,
		set: OperatorSetId,
		key: OperatorKey,
		proof: OperatorSignature,
	) -> Result<u32, DispatchError> {
		let mut record = OperatorSets::<T>::get(set).ok_or(Error::<T>::UnknownOperatorSet)?;
		ensure!(T::Restaking::is_operator(&who), Error::<T>::NotOperator);
		if let Some(m) = Members::<T>::get(set, &who) {
			return Err(if m.slashable_until.is_some() {
				Error::<T>::StillDeparting
			} else {
				Error::<T>::AlreadyMember
			}
			.into());
		}
		ensure!(record.members < record.config.max_operators, Error::<T>::SetFull);
		ensure!(
			!record.config.allowlist || Allowlist::<T>::contains_key(set, &who),
			Error::<T>::NotAllowlisted
		);
		ensure!(key.key_type() == record.config.key_type, Error::<T>::WrongKeyType);
		ensure!(!KeyOwners::<T>::contains_key(&key), Error::<T>::KeyAlreadyClaimed);
		let payload = proof_of_possession_payload(&Self::genesis_hash(), &set, &who);
		ensure!(key.verify(&payload, &proof), Error::<T>::InvalidProofOfPossession);
		let mut checked = 0u32;
		for (strategy, min) in record.config.strategies.iter() {
			if *min > 0 {
				checked += 1;
				ensure!(
					T::Restaking::operator_stake(&who, *strategy) >= *min,
					Error::<T>::InsufficientStake
				);
			}
		}
		record.members += 1;
		OperatorSets::<T>::insert(set, record);
		KeyOwners::<T>::insert(&key, (set, who.clone()));
		Members::<T>::insert(
			set,
			&who,
			Membership { key: key.clone(), joined_at: Self::now(), slashable_until: None },
		);
		Self::deposit_event(Event::OperatorRegistered { set, operator: who, key });
		Ok(checked)
	}

	pub(crate) fn do_deregister_operator(
		operator: &T::AccountId,
		set: OperatorSetId,
		ejected: bool,
	) -> DispatchResult {
		let mut record = OperatorSets::<T>::get(set).ok_or(Error::<T>::UnknownOperatorSet)?;
		let mut membership = Members::<T>::get(set, operator)
			.filter(|m| m.slashable_until.is_none())
			.ok_or(Error::<T>::NotMember)?;
		T::Restaking::deallocate_all(operator, &set)?;
		let slashable_until = Self::now().saturating_add(T::Restaking::deallocation_delay().into());
		membership.slashable_until = Some(slashable_until);
		Members::<T>::insert(set, operator, membership);
		record.members -= 1;
		record.departed += 1;
		OperatorSets::<T>::insert(set, record);
		Self::deposit_event(Event::OperatorDeregistered {
			set,
			operator: operator.clone(),
			slashable_until,
			ejected,
		});
		Ok(())
	}

	pub(crate) fn do_purge_departed(set: OperatorSetId, operator: T::AccountId) -> DispatchResult {
		let membership = Members::<T>::get(set, &operator).ok_or(Error::<T>::NotMember)?;
		let until = membership.slashable_until.ok_or(Error::<T>::NotDeparted)?;
		ensure!(Self::now() >= until, Error::<T>::StillSlashable);
		Members::<T>::remove(set, &operator);
		KeyOwners::<T>::remove(&membership.key);
		OperatorSets::<T>::mutate(set, |r| {
			if let Some(r) = r {
				r.departed -= 1;
			}
		});
		T::Events::membership_purged(&set, &operator);
		Self::deposit_event(Event::DepartedOperatorPurged { set, operator });
		Ok(())
	}
}
