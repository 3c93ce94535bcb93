//! Attester rotation: the next attester set drawn from the bridge's operator set, signed by
//! the current one before the vault accepts it.

use crate::impls::recover;
use crate::{pallet::*, types::*};
use frame_support::pallet_prelude::*;
use frame_system::pallet_prelude::BlockNumberFor;
use kasane_primitives::{
	avs::{OperatorKey, OperatorSetMembers},
	bridge::{eth_address_of_compressed, quorum_of, EthAddress, EthSignature},
	restaking::OperatorSetId,
};
use sp_core::H256;
use sp_runtime::{traits::Saturating, DispatchError};

impl<T: Config> Pallet<T> {
	// ---- attester rotation ----

	/// The operator set the attesters follow, if it is governed: its AVS is owned by
	/// [`Config::AttesterSetOwner`] and joining it needs the allowlist.
	pub(crate) fn governed_source(source: &OperatorSetId) -> DispatchResult {
		ensure!(
			T::OperatorSets::governance(source) == Some((T::AttesterSetOwner::get(), true)),
			Error::<T>::UngovernedOperatorSet
		);
		Ok(())
	}

	/// The members of `source` that may attest: those with at least
	/// [`Config::MinAttesterStake`] allocated to it, sorted. Iterates the set's memberships,
	/// which binding bounds by `MaxAttesters`.
	pub(crate) fn eligible_operators(source: &OperatorSetId) -> alloc::vec::Vec<T::AccountId> {
		let min = T::MinAttesterStake::get();
		T::OperatorSets::members(source)
			.into_iter()
			.filter(|who| T::OperatorSets::allocated_value(source, who) >= min)
			.collect()
	}

	/// The Ethereum addresses of `operators`, sorted, if they are exactly the members of
	/// `source` that may attest (see [`Self::eligible_operators`]).
	pub(crate) fn attesters_of(
		source: &OperatorSetId,
		operators: &[T::AccountId],
	) -> Result<BoundedVec<EthAddress, T::MaxAttesters>, DispatchError> {
		ensure!(!operators.is_empty(), Error::<T>::NoAttesters);
		ensure!(operators.windows(2).all(|w| w[0] < w[1]), Error::<T>::OperatorsNotSorted);
		let min = T::MinAttesterStake::get();
		let mut next = alloc::vec::Vec::with_capacity(operators.len());
		for who in operators {
			let key =
				T::OperatorSets::member_key(source, who).ok_or(Error::<T>::NotOperatorSetMember)?;
			ensure!(
				T::OperatorSets::allocated_value(source, who) >= min,
				Error::<T>::AttesterStakeTooLow
			);
			let OperatorKey::Ecdsa(public) = key else {
				return Err(Error::<T>::NotEcdsaKey.into());
			};
			next.push(eth_address_of_compressed(&public.0).ok_or(Error::<T>::NotEcdsaKey)?);
		}
		// Sorted and unique, every one an eligible member, and as many as there are: all.
		ensure!(
			operators.len() == Self::eligible_operators(source).len(),
			Error::<T>::IncompleteOperators
		);
		next.sort();
		// The registry keeps keys unique; equal addresses would mean a hash collision.
		ensure!(next.windows(2).all(|w| w[0] < w[1]), Error::<T>::InvalidAttesterSet);
		next.try_into().map_err(|_| Error::<T>::UnsuitableOperatorSet.into())
	}

	/// Whether handing over from `current` to `next` adds and removes at most
	/// [`Config::MaxRotationChange`] of `current` each (at least one).
	pub(crate) fn within_rotation_bound(current: &[EthAddress], next: &[EthAddress]) -> bool {
		let bound = T::MaxRotationChange::get().mul_floor(current.len() as u32).max(1) as usize;
		let added = next.iter().filter(|a| current.binary_search(a).is_err()).count();
		let removed = current.iter().filter(|a| next.binary_search(a).is_err()).count();
		added <= bound && removed <= bound
	}

	pub(crate) fn do_rotate_attesters(operators: &[T::AccountId]) -> DispatchResult {
		let set = Attesters::<T>::get().ok_or(Error::<T>::NotConfigured)?;
		let source = set.operator_set.ok_or(Error::<T>::NoOperatorSet)?;
		ensure!(!ApprovedRotation::<T>::exists(), Error::<T>::RotationWaiting);
		Self::governed_source(&source)?;
		let next = Self::attesters_of(&source, operators)?;
		let pending = PendingRotation::<T>::get();
		if next == set.members {
			// Membership went back to the current attesters: nothing to hand over.
			ensure!(pending.is_some(), Error::<T>::AttestersUnchanged);
			PendingRotation::<T>::kill();
			Self::deposit_event(Event::RotationDropped { vault_set_id: set.vault_set_id });
			return Ok(());
		}
		ensure!(pending.is_none_or(|p| p.next != next), Error::<T>::AttestersUnchanged);
		ensure!(Self::within_rotation_bound(&set.members, &next), Error::<T>::RotationTooLarge);
		let quorum = quorum_of(next.len() as u32);
		Self::deposit_event(Event::RotationProposed {
			vault_set_id: set.vault_set_id,
			next: next.to_vec(),
			quorum,
		});
		PendingRotation::<T>::put(Rotation {
			vault_set_id: set.vault_set_id,
			next,
			quorum,
			signatures: BoundedVec::new(),
		});
		Ok(())
	}

	/// Count a current attester's signature of the pending hand-over; returns whether it
	/// completed the quorum (the hand-over then waits [`Config::RotationDelay`]).
	pub(crate) fn do_attest_rotation(
		digest: H256,
		signature: EthSignature,
	) -> Result<bool, DispatchError> {
		let domain = Self::domain()?;
		let set = Attesters::<T>::get().ok_or(Error::<T>::NotConfigured)?;
		let mut rotation = PendingRotation::<T>::get().ok_or(Error::<T>::NoRotation)?;
		let expected = domain.rotate_digest(rotation.vault_set_id, &rotation.next, rotation.quorum);
		ensure!(digest.0 == expected, Error::<T>::RotationChanged);
		let signer = recover(&signature, &expected).ok_or(Error::<T>::InvalidSignature)?;
		ensure!(set.index_of(&signer).is_some(), Error::<T>::NotAttester);
		let signatures = Self::add_signature(
			&mut rotation.signatures,
			signer,
			signature,
			Error::<T>::AlreadySigned,
		)?;
		Self::deposit_event(Event::RotationSigned {
			vault_set_id: rotation.vault_set_id,
			attester: signer,
			signatures,
		});
		if signatures < set.quorum {
			PendingRotation::<T>::put(rotation);
			return Ok(false);
		}
		PendingRotation::<T>::kill();
		let vault_set_id = rotation.vault_set_id;
		let effective_at =
			frame_system::Pallet::<T>::block_number().saturating_add(T::RotationDelay::get());
		Self::deposit_event(Event::RotationReady { vault_set_id, effective_at });
		Rotations::<T>::insert(vault_set_id, rotation);
		ApprovedRotation::<T>::put((vault_set_id, effective_at));
		Ok(true)
	}

	/// The next set takes over once the signed hand-over's delay is over, unless the bridge
	/// is paused (it waits) or root refused it. Returns the weight used.
	pub(crate) fn apply_approved_rotation(now: BlockNumberFor<T>) -> Weight {
		let db = T::DbWeight::get();
		let Some((vault_set_id, effective_at)) = ApprovedRotation::<T>::get() else {
			return db.reads(1);
		};
		if now < effective_at || Mode::<T>::get() != OperatingMode::Normal {
			return db.reads(2);
		}
		ApprovedRotation::<T>::kill();
		let (Some(set), Some(rotation)) =
			(Attesters::<T>::get(), Rotations::<T>::get(vault_set_id))
		else {
			return db.reads_writes(4, 1);
		};
		Self::install_attesters(AttesterSet {
			id: set.id.wrapping_add(1),
			members: rotation.next,
			quorum: rotation.quorum,
			vault_set_id: vault_set_id.saturating_add(1),
			operator_set: set.operator_set,
		});
		db.reads_writes(4, 2)
	}

	pub(crate) fn do_refuse_rotation() -> DispatchResult {
		let set = Attesters::<T>::get().ok_or(Error::<T>::NoRotation)?;
		let pending = PendingRotation::<T>::take();
		let approved = ApprovedRotation::<T>::take();
		if let Some((vault_set_id, _)) = approved {
			Rotations::<T>::remove(vault_set_id);
		}
		ensure!(pending.is_some() || approved.is_some(), Error::<T>::NoRotation);
		Self::deposit_event(Event::RotationRefused { vault_set_id: set.vault_set_id });
		Ok(())
	}
}
