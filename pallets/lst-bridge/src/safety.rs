//! Safety: contradicting attestations halt the bridge and slash the signers; operating modes.

use crate::{pallet::*, types::*};
use frame_support::pallet_prelude::*;
use kasane_primitives::{
	avs::{OperatorKey, OperatorSetMembers},
	bridge::{eth_address_of_compressed, AttesterEquivocation, BridgeNonce, EthAddress},
};
use sp_runtime::DispatchError;

impl<T: Config> Pallet<T> {
	/// `report_contradiction`: slash `attester`, recorded as having signed a deposit for
	/// `nonce` that contradicts the accepted one, through the bridge's operator set. Returns
	/// whether a slash followed.
	pub(crate) fn do_report_contradiction(
		reporter: &T::AccountId,
		nonce: BridgeNonce,
		attester: EthAddress,
	) -> Result<bool, DispatchError> {
		let mut record = Contradictions::<T>::get(nonce).ok_or(Error::<T>::NotContradicted)?;
		let at = record
			.attesters
			.iter()
			.position(|a| *a == attester)
			.ok_or(Error::<T>::NotContradicted)?;
		record.attesters.remove(at);
		if record.attesters.is_empty() {
			Contradictions::<T>::remove(nonce);
		} else {
			Contradictions::<T>::insert(nonce, &record);
		}
		DoubleSigns::<T>::insert(nonce, attester, (record.odd, record.accepted));
		// The operator whose registered key is the attester's (the set is at most
		// `MaxAttesters` members).
		let source = Attesters::<T>::get().and_then(|s| s.operator_set);
		let key = source.and_then(|source| {
			T::OperatorSets::members(&source).into_iter().find_map(|who| {
				match T::OperatorSets::member_key(&source, &who)? {
					OperatorKey::Ecdsa(key)
						if eth_address_of_compressed(&key.0) == Some(attester) =>
					{
						Some(key)
					}
					_ => None,
				}
			})
		});
		let slashed = source
			.zip(key)
			.map(|(source, key)| {
				T::Equivocation::report(reporter, &source, &key, nonce).unwrap_or(false)
			})
			.unwrap_or(false);
		Self::deposit_event(Event::AttesterContradicted { nonce, attester, slashed });
		Ok(slashed)
	}

	pub(crate) fn set_mode(mode: OperatingMode) -> DispatchResult {
		ensure!(Mode::<T>::get() != mode, Error::<T>::AlreadyInMode);
		Mode::<T>::put(mode);
		// A pause is an emergency: beacon proofs stop too. Resuming the bridge leaves the
		// light client halted until root resumes it, after looking at why it was paused.
		if mode == OperatingMode::Paused {
			T::BeaconClient::halt();
		}
		Self::deposit_event(Event::ModeSet { mode });
		Ok(())
	}
}
