//! The traits the bridge implements for the other pallets, and the signature recovery every
//! attestation uses.

use crate::{pallet::*, types::*};
use frame_support::pallet_prelude::*;
use kasane_primitives::{
	bridge::{
		AttesterEquivocation, BridgeDomain, BridgeNonce, DepositMessage, EthAddress, EthSignature,
	},
	restaking::OperatorSetId,
};
use sp_runtime::DispatchError;

/// The signer of `digest`, with the runtime's secp256k1 recovery.
pub(crate) fn recover(signature: &EthSignature, digest: &[u8; 32]) -> Option<EthAddress> {
	signature.recover_with(digest, sp_io::crypto::secp256k1_ecdsa_recover)
}

/// The runtime's verifier: a quorum of the attester set signs each message's digest.
///
/// Signatures are counted per candidate: per deposit nonce, and per token for rates (a newer
/// report replaces an older candidate, so attesters converge on the latest). A signature over
/// different deposit contents than the nonce's candidate halts the nonce; from an attester that
/// signed the candidate, it is double signing.
pub struct AttesterQuorum<T>(core::marker::PhantomData<T>);

impl<T: Config> InboundVerifier<T::AccountId> for AttesterQuorum<T> {
	type Evidence = EthSignature;

	fn verify(
		submitter: &T::AccountId,
		domain: &BridgeDomain,
		message: Inbound<'_>,
		signature: EthSignature,
	) -> Result<Verdict, DispatchError> {
		let set = Attesters::<T>::get().ok_or(Error::<T>::NotConfigured)?;
		match message {
			Inbound::Deposit(deposit) => {
				let digest = domain.deposit_digest(deposit);
				let (signer, index) = Self::attester(&set, &signature, &digest)?;
				let nonce = deposit.nonce;
				let bit = 1u64 << index;
				let mut tally = DepositTallies::<T>::get(nonce)
					.filter(|t| t.set_id == set.id)
					.unwrap_or(DepositTally { set_id: set.id, candidates: BoundedVec::new() });
				// The same attester on another content: double signing.
				if let Some(other) =
					tally.candidates.iter().find(|c| c.digest != digest && c.signers & bit != 0)
				{
					let other = other.clone();
					Self::conflict(
						submitter,
						set.operator_set,
						&other,
						(signer, index),
						&signature,
						digest,
						nonce,
					);
					return Ok(Verdict::Conflict);
				}
				let position = match tally.candidates.iter().position(|c| c.digest == digest) {
					Some(at) => {
						let candidate = &mut tally.candidates[at];
						ensure!(candidate.signers & bit == 0, Error::<T>::AlreadySigned);
						candidate.signers |= bit;
						at
					}
					None => {
						let fresh =
							Tally { message: *deposit, digest, set_id: set.id, signers: bit };
						if tally.candidates.try_push(fresh).is_err() {
							// A third content for the nonce: halt it for root to look at.
							let first = tally.candidates[0].digest;
							Self::halt(nonce, first, digest);
							return Ok(Verdict::Conflict);
						}
						tally.candidates.len() - 1
					}
				};
				let signers = tally.candidates[position].count();
				if signers >= set.quorum {
					DepositTallies::<T>::remove(nonce);
					let accepted = tally.candidates[position].clone();
					// Whoever signed another content signed a deposit that did not happen.
					for odd in tally.candidates.iter().filter(|c| c.digest != digest) {
						Self::contradicted(&set, odd, &accepted, nonce);
					}
					return Ok(Verdict::Accepted);
				}
				DepositTallies::<T>::insert(nonce, tally);
				Pallet::<T>::deposit_event(Event::DepositAttested {
					nonce,
					attester: signer,
					signers,
					quorum: set.quorum,
				});
				Ok(Verdict::Counted { signers, quorum: set.quorum })
			}
			Inbound::Rate(report) => {
				let digest = domain.rate_digest(report);
				let (signer, index) = Self::attester(&set, &signature, &digest)?;
				let mut votes = RateTallies::<T>::get(report.token)
					.filter(|v| v.set_id == set.id)
					.unwrap_or(Votes::new(set.id));
				// An attester's signature moves only to a later round: everyone signs the
				// first report of a round, so a later one in the same round is not honest.
				let round = Pallet::<T>::rate_round(report);
				if let Some(backed) = votes.backed_by(index) {
					ensure!(backed.digest != digest, Error::<T>::AlreadySigned);
					ensure!(
						Pallet::<T>::rate_round(&backed.message) < round,
						Error::<T>::RoundAttested
					);
				}
				let signers =
					votes.back(index, *report, digest).ok_or(Error::<T>::InvalidAttesterSet)?;
				if signers >= set.quorum {
					// `apply_rate` forgets this round and the ones before it.
					RateTallies::<T>::insert(report.token, votes);
					return Ok(Verdict::Accepted);
				}
				RateTallies::<T>::insert(report.token, votes);
				Pallet::<T>::deposit_event(Event::RateAttested {
					token: report.token,
					attester: signer,
					signers,
					quorum: set.quorum,
				});
				Ok(Verdict::Counted { signers, quorum: set.quorum })
			}
		}
	}

	fn forget_deposit(nonce: BridgeNonce) {
		DepositTallies::<T>::remove(nonce);
	}

	fn forget_rates(token: &EthAddress, round: u64) {
		RateTallies::<T>::mutate_exists(token, |votes| {
			if let Some(v) = votes {
				v.candidates.retain(|c| Pallet::<T>::rate_round(&c.message) > round);
				if v.candidates.is_empty() {
					*votes = None;
				}
			}
		});
	}
}

impl<T: Config> AttesterQuorum<T> {
	/// The attester that signed `digest`, and its index in the set.
	fn attester(
		set: &AttesterSet<T::MaxAttesters>,
		signature: &EthSignature,
		digest: &[u8; 32],
	) -> Result<(EthAddress, u32), DispatchError> {
		let signer = recover(signature, digest).ok_or(Error::<T>::InvalidSignature)?;
		let index = set.index_of(&signer).ok_or(Error::<T>::NotAttester)?;
		Ok((signer, index))
	}

	/// Halt `nonce`: attesters signed `digest_a` and `digest_b` for it.
	fn halt(nonce: BridgeNonce, digest_a: [u8; 32], digest_b: [u8; 32]) {
		DepositTallies::<T>::remove(nonce);
		Halted::<T>::insert(nonce, (digest_a, digest_b));
		Pallet::<T>::deposit_event(Event::DepositHalted { nonce, digest_a, digest_b });
	}

	/// The signers of `odd` signed, for `nonce`, a deposit other than the `accepted` one a
	/// quorum signed: record them, for anyone to have each slashed with
	/// `report_contradiction`. A deposit that differs only in the Ethereum block it was seen
	/// in (the same event re-included after a shallow reorganisation) is not a false one.
	fn contradicted(
		set: &AttesterSet<T::MaxAttesters>,
		odd: &Tally<DepositMessage>,
		accepted: &Tally<DepositMessage>,
		nonce: BridgeNonce,
	) {
		let (a, b) = (&odd.message, &accepted.message);
		if (a.token, a.depositor, a.recipient, a.amount)
			== (b.token, b.depositor, b.recipient, b.amount)
		{
			return;
		}
		let attesters: BoundedVec<EthAddress, T::MaxAttesters> = BoundedVec::truncate_from(
			(0..set.members.len() as u32)
				.filter(|i| odd.has(*i))
				.map(|i| set.members[i as usize])
				.collect(),
		);
		Pallet::<T>::deposit_event(Event::DepositContradicted {
			nonce,
			attesters: attesters.to_vec(),
		});
		Contradictions::<T>::insert(
			nonce,
			Contradiction { odd: odd.digest, accepted: accepted.digest, attesters },
		);
	}

	/// `signer` signed `digest` for `nonce` after signing `tally`'s candidate: double signing.
	/// Halt the nonce and report it.
	fn conflict(
		submitter: &T::AccountId,
		operator_set: Option<OperatorSetId>,
		tally: &Tally<DepositMessage>,
		(signer, index): (EthAddress, u32),
		signature: &EthSignature,
		digest: [u8; 32],
		nonce: BridgeNonce,
	) {
		Self::halt(nonce, tally.digest, digest);
		if !tally.has(index) {
			return;
		}
		DoubleSigns::<T>::insert(nonce, signer, (tally.digest, digest));
		// The compressed key is what operators register in the AVS registry.
		let key = signature
			.normalized()
			.and_then(|sig| sp_io::crypto::secp256k1_ecdsa_recover_compressed(&sig, &digest).ok());
		let slashed = operator_set
			.zip(key)
			.map(|(set, key)| {
				let key = sp_core::ecdsa::Public::from_raw(key);
				T::Equivocation::report(submitter, &set, &key, nonce).unwrap_or_else(|e| {
					log::warn!(
						target: "runtime::lst-bridge",
						"double signing of {signer:?} for nonce {nonce} not slashed: {e:?}",
					);
					false
				})
			})
			.unwrap_or(false);
		Pallet::<T>::deposit_event(Event::AttesterDoubleSigned {
			nonce,
			attester: signer,
			slashed,
		});
	}
}
