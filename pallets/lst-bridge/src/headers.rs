//! Attested Ethereum headers: attesters sign each finalized block that has vault events, and a
//! quorum's header becomes trusted, its receipts root then proving the vault's events
//! (`proofs.rs`). The last [`Config::MaxTrustedHeaders`] are kept, in a ring.
//!
//! Signatures are tallied per block number as deposits are per nonce: up to two candidate
//! headers, a third halting the number (at most [`Config::MaxHaltedHeaders`] at once; that
//! signature pays its fee). An attester signing two headers for one number halts it, is
//! reported for slashing and is struck: its header signatures are refused until the attester
//! set changes, so it halts at most one number per set. Once a quorum trusts a header, under a
//! policy that mints on attested headers, the signers of the other candidate for its number
//! signed a block Ethereum did not finalize: they are struck too, and recorded
//! ([`HeaderContradictions`], kept while the header is) for anyone to have slashed, as the
//! signers of a false deposit are. Each attester has at most
//! [`Config::MaxOpenHeaders`] signatures waiting for a quorum, so no attester can make the
//! chain store tallies without bound; a tally that waited [`Config::HeaderTallyExpiry`] blocks,
//! or one of an earlier set, may be dropped by anyone, which frees its signers' counts.

use crate::{
	impls::report_double_signing, pallet::*, types::*, weights::WeightInfo, AttesterQuorum,
};
use frame_support::{dispatch::PostDispatchInfo, pallet_prelude::*};
use frame_system::pallet_prelude::BlockNumberFor;
use kasane_primitives::bridge::{proof::EthHeader, AttesterEquivocation, EthSignature};
use sp_runtime::traits::Saturating;

impl<T: Config> Pallet<T> {
	pub(crate) fn do_attest_header(
		who: &T::AccountId,
		header: EthHeader,
		signature: EthSignature,
	) -> DispatchResultWithPostInfo {
		let domain = Self::domain()?;
		let set = Attesters::<T>::get().ok_or(Error::<T>::NotConfigured)?;
		ensure!(!header.hash.is_zero() && !header.receipts_root.is_zero(), Error::<T>::EmptyHeader);
		let number = header.number;
		ensure!(
			!TrustedNumbers::<T>::contains_key(number)
				&& !TrustedHeaders::<T>::contains_key(header.hash),
			Error::<T>::HeaderTrusted
		);
		ensure!(!HaltedHeaders::<T>::contains_key(number), Error::<T>::HeaderHalted);
		let digest = domain.header_digest(&header);
		let (signer, index) = AttesterQuorum::<T>::attester(&set, &signature, &digest)?;
		let mut open = Self::open_headers(set.id);
		ensure!(!open.is_struck(index), Error::<T>::AttesterStruck);
		let (mut tally, opened) = match HeaderTallies::<T>::get(number) {
			Some(o) if o.tally.set_id == set.id => (o.tally, o.opened),
			_ => (HeaderTally::new(set.id), frame_system::Pallet::<T>::block_number()),
		};
		let free =
			|weight| Ok(PostDispatchInfo { actual_weight: Some(weight), pays_fee: Pays::No });
		match tally.sign(index, &header, digest) {
			Signed::Again => Err(Error::<T>::AlreadySigned.into()),
			Signed::DoubleSigned { other } => {
				let bit = 1u64 << index;
				open.struck |= bit;
				if HaltedHeaders::<T>::count() < T::MaxHaltedHeaders::get() {
					Self::halt_header(number, other.digest, digest, tally.signers(), &mut open);
				} else {
					// No room to halt: the struck signer's earlier signature stops counting.
					open.settle(bit);
					tally.candidates.iter_mut().for_each(|c| c.signers &= !bit);
					tally.candidates.retain(|c| c.signers != 0);
					if tally.candidates.is_empty() {
						HeaderTallies::<T>::remove(number);
					} else {
						HeaderTallies::<T>::insert(number, DatedHeaderTally { tally, opened });
					}
				}
				OpenHeaderCounts::<T>::put(open);
				let slashed =
					report_double_signing::<T>(who, set.operator_set, &signature, &digest, number)?;
				Self::deposit_event(Event::HeaderDoubleSigned {
					number,
					attester: signer,
					slashed,
				});
				free(
					T::WeightInfo::attest_header_conflict()
						.saturating_add(T::Equivocation::weight()),
				)
			}
			Signed::ThirdContent { first } => {
				ensure!(
					HaltedHeaders::<T>::count() < T::MaxHaltedHeaders::get(),
					Error::<T>::TooManyHaltedHeaders
				);
				Self::halt_header(number, first, digest, tally.signers(), &mut open);
				OpenHeaderCounts::<T>::put(open);
				Ok(PostDispatchInfo {
					actual_weight: Some(T::WeightInfo::attest_header_conflict()),
					pays_fee: Pays::Yes,
				})
			}
			Signed::Counted { at, signers } => {
				// A quorum decided: with the other header, if anyone signed it.
				let decided = if signers >= set.quorum {
					// The others' open attestations settle; this signature never opened one.
					HeaderTallies::<T>::remove(number);
					open.settle(tally.signers() & !(1u64 << index));
					// Those struck already (for another header of theirs, or double signing)
					// are not recorded again: one record each per set.
					let odd = Self::contradicting(&tally, at)
						.map(|mut odd| {
							odd.signers &= !open.struck;
							odd
						})
						.filter(|odd| odd.signers != 0);
					if let Some(odd) = &odd {
						// Struck for the set, as double signers are.
						open.struck |= odd.signers;
					}
					Some(odd)
				} else {
					let count = &mut open.counts[index as usize];
					ensure!(
						u32::from(*count) < T::MaxOpenHeaders::get(),
						Error::<T>::TooManyOpenHeaders
					);
					*count = count.saturating_add(1);
					HeaderTallies::<T>::insert(number, DatedHeaderTally { tally, opened });
					None
				};
				OpenHeaderCounts::<T>::put(open);
				Self::deposit_event(Event::HeaderAttested {
					number,
					hash: header.hash,
					attester: signer,
					signers,
					quorum: set.quorum,
				});
				if let Some(odd) = decided {
					let accepted = digest;
					Self::trust_header(header);
					if let Some(odd) = odd {
						Self::record_header_contradiction(&set, &odd, accepted, number);
					}
					return free(T::WeightInfo::attest_header_trusted());
				}
				free(T::WeightInfo::attest_header_counted())
			}
		}
	}

	pub(crate) fn do_drop_header_tally(number: u64) -> DispatchResult {
		let open_header = HeaderTallies::<T>::get(number).ok_or(Error::<T>::NoHeaderTally)?;
		let current = Attesters::<T>::get().map(|set| set.id);
		let expires = open_header.opened.saturating_add(T::HeaderTallyExpiry::get());
		let now: BlockNumberFor<T> = frame_system::Pallet::<T>::block_number();
		if current == Some(open_header.tally.set_id) {
			ensure!(now >= expires, Error::<T>::HeaderTallyOpen);
			let mut open = Self::open_headers(open_header.tally.set_id);
			open.settle(open_header.tally.signers());
			OpenHeaderCounts::<T>::put(open);
		}
		HeaderTallies::<T>::remove(number);
		Self::deposit_event(Event::HeaderTallyDropped { number });
		Ok(())
	}

	/// The open header attestations under attester set `set_id` (none under a new set: the
	/// tallies of an earlier one stop counting).
	pub(crate) fn open_headers(set_id: u32) -> OpenHeaders {
		OpenHeaderCounts::<T>::get()
			.filter(|o| o.set_id == set_id)
			.unwrap_or(OpenHeaders::new(set_id))
	}

	/// The other candidate of `tally`, whose candidate `trusted` a quorum decided, if anyone
	/// signed it and the policy mints on attested headers: its signers signed a block
	/// Ethereum did not finalize. Under the beacon policies the light client, not this quorum,
	/// says what Ethereum finalized, so a quorum's decision slashes nobody.
	fn contradicting(tally: &HeaderTally, trusted: usize) -> Option<Tally<EthHeader>> {
		let accepted = tally.candidates.get(trusted)?.digest;
		let odd = tally.candidates.iter().find(|c| c.digest != accepted && c.signers != 0)?;
		Policy::<T>::get().takes_attested_headers().then(|| odd.clone())
	}

	/// Record the signers of `odd`, a header of block `number` other than the one a quorum
	/// trusted (digest `accepted`), for anyone to have each slashed with
	/// `report_header_contradiction`.
	fn record_header_contradiction(
		set: &AttesterSet<T::MaxAttesters>,
		odd: &Tally<EthHeader>,
		accepted: [u8; 32],
		number: u64,
	) {
		let attesters = set.members_of(odd.signers);
		Self::deposit_event(Event::HeaderContradicted { number, attesters: attesters.to_vec() });
		HeaderContradictions::<T>::insert(
			number,
			Contradiction { odd: odd.digest, accepted, attesters, operator_set: set.operator_set },
		);
	}

	/// Halt block `number`: attesters signed `digest_a` and `digest_b` for it. Its tally is
	/// dropped, which settles its `signers`' open attestations.
	fn halt_header(
		number: u64,
		digest_a: [u8; 32],
		digest_b: [u8; 32],
		signers: u64,
		open: &mut OpenHeaders,
	) {
		HeaderTallies::<T>::remove(number);
		open.settle(signers);
		HaltedHeaders::<T>::insert(number, (digest_a, digest_b));
		Self::deposit_event(Event::HeaderHalted { number, digest_a, digest_b });
	}

	/// Forget every trusted header (with its unreported contradiction) and every halted
	/// number (the endpoint changes: they are about another chain or vault). Returns how many
	/// headers and halts; both are bounded by the config ([`Config::MaxTrustedHeaders`],
	/// [`Config::MaxHaltedHeaders`]), and so are the contradictions (one per trusted header). Open tallies
	/// need nothing: the endpoint change starts a new attester set, and those of an earlier
	/// set never count and can be dropped by anyone.
	pub(crate) fn forget_headers() -> (u32, u32) {
		let trusted = TrustedHeaders::<T>::count();
		let halted = HaltedHeaders::<T>::count();
		let _ = TrustedHeaders::<T>::clear(u32::MAX, None);
		let _ = TrustedNumbers::<T>::clear(u32::MAX, None);
		let _ = TrustedRing::<T>::clear(u32::MAX, None);
		TrustedRingNext::<T>::kill();
		let _ = HaltedHeaders::<T>::clear(u32::MAX, None);
		let _ = HeaderContradictions::<T>::clear(u32::MAX, None);
		if trusted > 0 || halted > 0 {
			Self::deposit_event(Event::HeadersForgotten { trusted, halted });
		}
		(trusted, halted)
	}

	/// Trust `header`, forgetting the oldest trusted header if the ring is full.
	fn trust_header(header: EthHeader) {
		let slot = TrustedRingNext::<T>::get();
		if let Some(old) = TrustedRing::<T>::get(slot) {
			if let Some(hash) = TrustedNumbers::<T>::take(old) {
				TrustedHeaders::<T>::remove(hash);
				// Not reported while the header was kept: no longer.
				HeaderContradictions::<T>::remove(old);
				Self::deposit_event(Event::HeaderForgotten { number: old, hash });
			}
		}
		TrustedRing::<T>::insert(slot, header.number);
		TrustedRingNext::<T>::put(slot.saturating_add(1) % T::MaxTrustedHeaders::get().max(1));
		TrustedNumbers::<T>::insert(header.number, header.hash);
		TrustedHeaders::<T>::insert(
			header.hash,
			TrustedHeader { number: header.number, receipts_root: header.receipts_root },
		);
		Self::deposit_event(Event::HeaderTrusted {
			number: header.number,
			hash: header.hash,
			receipts_root: header.receipts_root,
		});
	}
}
