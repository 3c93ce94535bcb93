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
	/// whether a slash followed; an error, and the record kept, while none can follow for the
	/// moment (see [`AttesterEquivocation::report`]).
	pub(crate) fn do_report_contradiction(
		reporter: &T::AccountId,
		nonce: BridgeNonce,
		attester: EthAddress,
	) -> Result<bool, DispatchError> {
		let record = Contradictions::<T>::get(nonce).ok_or(Error::<T>::NotContradicted)?;
		let (odd, accepted) = (record.odd, record.accepted);
		match Self::without_reported(record, &attester)? {
			Some(rest) => Contradictions::<T>::insert(nonce, rest),
			None => Contradictions::<T>::remove(nonce),
		}
		DoubleSigns::<T>::insert(nonce, attester, (odd, accepted));
		let slashed = Self::slash_attester(reporter, attester, nonce)?;
		Self::deposit_event(Event::AttesterContradicted { nonce, attester, slashed });
		Ok(slashed)
	}

	/// `report_header_contradiction`: slash `attester`, recorded as having signed a header for
	/// block `number` other than the trusted one, through the bridge's operator set. Returns
	/// whether a slash followed; an error, and the record kept, while none can follow for the
	/// moment.
	pub(crate) fn do_report_header_contradiction(
		reporter: &T::AccountId,
		number: u64,
		attester: EthAddress,
	) -> Result<bool, DispatchError> {
		let record = HeaderContradictions::<T>::get(number).ok_or(Error::<T>::NotContradicted)?;
		match Self::without_reported(record, &attester)? {
			Some(rest) => HeaderContradictions::<T>::insert(number, rest),
			None => HeaderContradictions::<T>::remove(number),
		}
		let slashed = Self::slash_attester(reporter, attester, number)?;
		Self::deposit_event(Event::HeaderSignerContradicted { number, attester, slashed });
		Ok(slashed)
	}

	/// `record` without `attester`, who is being reported (`None`: nobody is left to report);
	/// an error if it does not name `attester`.
	fn without_reported(
		mut record: Contradiction<T::MaxAttesters>,
		attester: &EthAddress,
	) -> Result<Option<Contradiction<T::MaxAttesters>>, DispatchError> {
		let at = record
			.attesters
			.iter()
			.position(|a| a == attester)
			.ok_or(Error::<T>::NotContradicted)?;
		record.attesters.remove(at);
		Ok((!record.attesters.is_empty()).then_some(record))
	}

	/// Hand `attester`, which contradicted a quorum's decision for `round` (a deposit nonce or
	/// an Ethereum block number), to [`Config::Equivocation`]: it slashes the operator of the
	/// bridge's operator set whose registered key is the attester's. Operators that left the set
	/// but are still slashable are looked for too: leaving after signing falsely escapes
	/// nothing. Returns whether a slash followed; an error while none can follow for the moment.
	fn slash_attester(
		reporter: &T::AccountId,
		attester: EthAddress,
		round: u64,
	) -> Result<bool, DispatchError> {
		// Root keeps the attesters as a list: nobody can be slashed.
		let Some(source) = Attesters::<T>::get().and_then(|s| s.operator_set) else {
			return Ok(false);
		};
		// The set's memberships are bounded: at most `MaxAttesters` members, and the departed
		// ones governance let join it.
		let key = T::OperatorSets::slashable_keys(&source).into_iter().find_map(|key| match key {
			OperatorKey::Ecdsa(key) if eth_address_of_compressed(&key.0) == Some(attester) => {
				Some(key)
			}
			_ => None,
		});
		match key {
			Some(key) => T::Equivocation::report(reporter, &source, &key, round),
			None => Ok(false),
		}
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
