//! Releases: the vault's releases attested back, and pruning what was released.

use crate::impls::recover;
use crate::{pallet::*, types::*, weights::WeightInfo};
use codec::DecodeAll;
use frame_support::{
	pallet_prelude::*,
	traits::{fungible::Mutate as _, tokens::Preservation},
};
use frame_system::pallet_prelude::BlockNumberFor;
use kasane_primitives::bridge::{EthSignature, ReleaseReceipt, WithdrawalOrigin};
use sp_runtime::{traits::Saturating, DispatchError};

impl<T: Config> Pallet<T> {
	/// Count an attester's signature of `receipt`; at quorum pay the fee to its beneficiary,
	/// drop the signatures and queue the record for pruning. Returns the weight used.
	pub(crate) fn do_attest_release(
		receipt: ReleaseReceipt,
		signature: EthSignature,
	) -> Result<Weight, DispatchError> {
		let domain = Self::domain()?;
		let set = Attesters::<T>::get().ok_or(Error::<T>::NotConfigured)?;
		let nonce = receipt.withdrawal.nonce;
		let mut w = Withdrawals::<T>::get(nonce).ok_or(Error::<T>::UnknownWithdrawal)?;
		ensure!(w.released_at.is_none(), Error::<T>::AlreadyReleased);
		ensure!(w.message == receipt.withdrawal, Error::<T>::ReceiptMismatch);
		let digest = domain.released_digest(&receipt);
		let signer = recover(&signature, &digest).ok_or(Error::<T>::InvalidSignature)?;
		let index = set.index_of(&signer).ok_or(Error::<T>::NotAttester)?;
		let mut votes = ReleaseVotes::<T>::get(nonce)
			.filter(|v| v.set_id == set.id)
			.unwrap_or(Votes::new(set.id));
		// One receipt per attester and withdrawal: the vault releases a nonce once.
		ensure!(votes.backed_by(index).is_none(), Error::<T>::AlreadySigned);
		let signers = votes.back(index, receipt, digest).ok_or(Error::<T>::InvalidAttesterSet)?;
		if signers < set.quorum {
			ReleaseVotes::<T>::insert(nonce, votes);
			Self::deposit_event(Event::ReleaseAttested {
				nonce,
				attester: signer,
				signers,
				quorum: set.quorum,
			});
			return Ok(T::WeightInfo::attest_release_counted());
		}
		ReleaseVotes::<T>::remove(nonce);
		let now = Self::now();
		let beneficiary = T::AccountId::decode_all(&mut &receipt.beneficiary[..]).ok();
		let paid = match &beneficiary {
			Some(to) if !w.fee.is_zero() => {
				T::Currency::transfer(&Self::account_id(), to, w.fee, Preservation::Expendable)
					.is_ok()
			}
			_ => false,
		};
		let fee = if paid { w.fee } else { Zero::zero() };
		w.released_at = Some(now);
		w.signatures = BoundedVec::new();
		Withdrawals::<T>::insert(nonce, w);
		let (head, tail) = ReleasedQueueBounds::<T>::get();
		ReleasedQueue::<T>::insert(tail, (now, nonce));
		ReleasedQueueBounds::<T>::put((head, tail.saturating_add(1)));
		Self::deposit_event(Event::WithdrawalReleased { nonce, beneficiary, fee });
		Self::prune_released(now, 2);
		Ok(T::WeightInfo::attest_release_applied())
	}

	/// Remove up to `max` released withdrawals whose retention is over, oldest first.
	pub(crate) fn prune_released(now: BlockNumberFor<T>, max: u32) {
		let (mut head, tail) = ReleasedQueueBounds::<T>::get();
		for _ in 0..max {
			let Some((at, nonce)) = (head < tail).then(|| ReleasedQueue::<T>::get(head)).flatten()
			else {
				break;
			};
			if at.saturating_add(T::ReleasedRetention::get()) > now {
				break;
			}
			ReleasedQueue::<T>::remove(head);
			// A refund's record goes with it: the deposit then reads as processed.
			if let Some(w) = Withdrawals::<T>::take(nonce) {
				if let WithdrawalOrigin::Refund { deposit } = w.origin {
					Refunds::<T>::remove(deposit);
				}
			}
			head += 1;
		}
		ReleasedQueueBounds::<T>::put((head, tail));
	}
}
