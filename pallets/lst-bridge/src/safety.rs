//! Safety: contradicting attestations halt the bridge and slash the signers; operating modes.

use crate::{pallet::*, types::*};
use frame_support::pallet_prelude::*;
use kasane_primitives::{
	bridge::{eth_address_of_compressed, AttesterEquivocation, BridgeNonce, EthAddress},
	restaking::OperatorSetId,
};
use sp_core::ecdsa;
use sp_runtime::DispatchError;

impl<T: Config> Pallet<T> {
	/// `report_contradiction`: slash the attester whose key is `key`, recorded as having signed
	/// a deposit for `nonce` that contradicts the accepted one, through the operator set it
	/// was drawn from. Returns whether a slash followed; an error, and the record kept, while
	/// none can follow for the moment (see [`AttesterEquivocation::report`]).
	pub(crate) fn do_report_contradiction(
		reporter: &T::AccountId,
		nonce: BridgeNonce,
		key: &ecdsa::Public,
	) -> Result<bool, DispatchError> {
		let attester = Self::attester_of_key(key)?;
		let record = Contradictions::<T>::get(nonce).ok_or(Error::<T>::NotContradicted)?;
		let (odd, accepted, source) = (record.odd, record.accepted, record.operator_set);
		match Self::without_reported(record, &attester)? {
			Some(rest) => Contradictions::<T>::insert(nonce, rest),
			None => Contradictions::<T>::remove(nonce),
		}
		DoubleSigns::<T>::insert(nonce, attester, (odd, accepted));
		let slashed = Self::slash_attester(reporter, source, key, nonce)?;
		Self::deposit_event(Event::AttesterContradicted { nonce, attester, slashed });
		Ok(slashed)
	}

	/// `report_header_contradiction`: slash the attester whose key is `key`, recorded as
	/// having signed a header for block `number` other than the trusted one, through the
	/// operator set it was drawn from. Returns whether a slash followed; an error, and the
	/// record kept, while none can follow for the moment.
	pub(crate) fn do_report_header_contradiction(
		reporter: &T::AccountId,
		number: u64,
		key: &ecdsa::Public,
	) -> Result<bool, DispatchError> {
		let attester = Self::attester_of_key(key)?;
		let record = HeaderContradictions::<T>::get(number).ok_or(Error::<T>::NotContradicted)?;
		let source = record.operator_set;
		match Self::without_reported(record, &attester)? {
			Some(rest) => HeaderContradictions::<T>::insert(number, rest),
			None => HeaderContradictions::<T>::remove(number),
		}
		let slashed = Self::slash_attester(reporter, source, key, number)?;
		Self::deposit_event(Event::HeaderSignerContradicted { number, attester, slashed });
		Ok(slashed)
	}

	/// The Ethereum address an attester with compressed secp256k1 key `key` signs as.
	fn attester_of_key(key: &ecdsa::Public) -> Result<EthAddress, DispatchError> {
		eth_address_of_compressed(&key.0).ok_or_else(|| Error::<T>::NotEcdsaKey.into())
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

	/// Hand the attester with `key`, which contradicted a quorum's decision for `round` (a
	/// deposit nonce or an Ethereum block number), to [`Config::Equivocation`]: it slashes the
	/// operator of `source` (the set the attester was drawn from when it signed) whose
	/// registered key `key` is, a member or one that left the set and is still slashable:
	/// leaving after signing falsely escapes nothing, and neither does root binding the
	/// attesters to another set. The reporter names the key (the record holds addresses, and
	/// looking an address up among a set's memberships would grow with them); its address is
	/// the recorded one, so it is the attester's. Returns whether a slash followed; an error
	/// while none can follow for the moment.
	fn slash_attester(
		reporter: &T::AccountId,
		source: Option<OperatorSetId>,
		key: &ecdsa::Public,
		round: u64,
	) -> Result<bool, DispatchError> {
		// Root kept the attesters as a list when they signed: nobody can be slashed.
		match source {
			Some(source) => T::Equivocation::report(reporter, &source, key, round),
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
