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

/// Hand attester `signer`, whose `signature` of `digest` contradicts one it made before for
/// `round` (a deposit nonce or an Ethereum block number), to [`Config::Equivocation`], which
/// slashes the operator of `operator_set` holding its key. Returns whether a slash followed; an
/// error while none can follow for the moment (slashing disabled, say), which refuses the
/// second signature as a whole: double signing is never free, and a signature that is not
/// counted halts nothing.
pub(crate) fn report_double_signing<T: Config>(
	submitter: &T::AccountId,
	operator_set: Option<OperatorSetId>,
	signature: &EthSignature,
	digest: &[u8; 32],
	round: u64,
) -> Result<bool, DispatchError> {
	// The compressed key is what operators register in the AVS registry.
	let key = signature
		.normalized()
		.and_then(|sig| sp_io::crypto::secp256k1_ecdsa_recover_compressed(&sig, digest).ok());
	match operator_set.zip(key) {
		Some((set, key)) => {
			T::Equivocation::report(submitter, &set, &sp_core::ecdsa::Public::from_raw(key), round)
		}
		None => Ok(false),
	}
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
				let mut tally = DepositTallies::<T>::get(nonce)
					.filter(|t| t.set_id == set.id)
					.unwrap_or(DepositTally::new(set.id));
				let (position, signers) = match tally.sign(index, deposit, digest) {
					Signed::Counted { at, signers } => (at, signers),
					Signed::Again => return Err(Error::<T>::AlreadySigned.into()),
					Signed::DoubleSigned { other } => {
						Self::conflict(
							submitter,
							set.operator_set,
							&other,
							(signer, index),
							&signature,
							digest,
							nonce,
						)?;
						return Ok(Verdict::Conflict);
					}
					Signed::ThirdContent { first } => {
						// A third content for the nonce: halt it for root to look at.
						Self::halt(nonce, first, digest);
						return Ok(Verdict::Conflict);
					}
				};
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
	pub(crate) fn attester(
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

	/// `deposit` was proven by a receipt: record the signers of another content tallied for
	/// its nonce as a quorum's decision does (if both candidates are false, the one more
	/// attesters signed: a nonce keeps one record).
	pub(crate) fn contradicted_by_proof(domain: &BridgeDomain, deposit: &DepositMessage) {
		let (Some(set), Some(tally)) =
			(Attesters::<T>::get(), DepositTallies::<T>::get(deposit.nonce))
		else {
			return;
		};
		if tally.set_id != set.id {
			return;
		}
		let accepted = Tally {
			message: *deposit,
			digest: domain.deposit_digest(deposit),
			set_id: set.id,
			signers: 0,
		};
		if let Some(odd) = tally
			.candidates
			.iter()
			.filter(|c| !same_deposit(&c.message, deposit))
			.max_by_key(|c| c.count())
		{
			Self::contradicted(&set, odd, &accepted, deposit.nonce);
		}
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
		if same_deposit(&odd.message, &accepted.message) {
			return;
		}
		let attesters = set.members_of(odd.signers);
		Pallet::<T>::deposit_event(Event::DepositContradicted {
			nonce,
			attesters: attesters.to_vec(),
		});
		Contradictions::<T>::insert(
			nonce,
			Contradiction {
				odd: odd.digest,
				accepted: accepted.digest,
				attesters,
				operator_set: set.operator_set,
			},
		);
	}

	/// `signer` signed `digest` for `nonce` after signing `tally`'s candidate: double signing.
	/// Halt the nonce and report it (an error while the slash cannot follow for the moment).
	fn conflict(
		submitter: &T::AccountId,
		operator_set: Option<OperatorSetId>,
		tally: &Tally<DepositMessage>,
		(signer, index): (EthAddress, u32),
		signature: &EthSignature,
		digest: [u8; 32],
		nonce: BridgeNonce,
	) -> DispatchResult {
		Self::halt(nonce, tally.digest, digest);
		if !tally.has(index) {
			return Ok(());
		}
		DoubleSigns::<T>::insert(nonce, signer, (tally.digest, digest));
		let slashed =
			report_double_signing::<T>(submitter, operator_set, signature, &digest, nonce)?;
		Pallet::<T>::deposit_event(Event::AttesterDoubleSigned {
			nonce,
			attester: signer,
			slashed,
		});
		Ok(())
	}
}

/// The same deposit, perhaps seen in another Ethereum block (the event re-included after a
/// shallow reorganisation): signing it is not signing a false deposit.
fn same_deposit(a: &DepositMessage, b: &DepositMessage) -> bool {
	(a.token, a.depositor, a.recipient, a.amount) == (b.token, b.depositor, b.recipient, b.amount)
}
