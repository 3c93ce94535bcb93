//! Withdrawals: burning a mirrored LST for a release on Ethereum, and the attesters'
//! signatures the vault checks.

use crate::impls::recover;
use crate::{pallet::*, types::*, BalanceOf};
use frame_support::{
	pallet_prelude::*,
	traits::{
		fungible::Mutate as _,
		fungibles::Mutate,
		tokens::{Fortitude, Precision, Preservation},
	},
};
use kasane_primitives::bridge::{
	BridgeNonce, EthAddress, EthSignature, ReleaseMessage, WithdrawalOrigin,
};
use sp_runtime::{ArithmeticError, DispatchError};

impl<T: Config> Pallet<T> {
	// ---- outbound ----

	pub(crate) fn do_withdraw(
		who: T::AccountId,
		asset: T::AssetId,
		amount: u128,
		recipient: EthAddress,
	) -> DispatchResult {
		ensure!(Mode::<T>::get() == OperatingMode::Normal, Error::<T>::Paused);
		ensure!(Endpoint::<T>::exists(), Error::<T>::NotConfigured);
		ensure!(Attesters::<T>::exists(), Error::<T>::NotConfigured);
		let token = AssetTokens::<T>::get(asset).ok_or(Error::<T>::UnknownAsset)?;
		ensure!(amount > 0, Error::<T>::ZeroAmount);
		ensure!(!recipient.is_zero(), Error::<T>::ZeroEthRecipient);
		let mut info = Tokens::<T>::get(token).ok_or(Error::<T>::UnknownToken)?;
		ensure!(amount >= info.min_withdrawal, Error::<T>::BelowMinWithdrawal);
		let fee = T::WithdrawalFee::get();
		if !fee.is_zero() {
			T::Currency::transfer(&who, &Self::account_id(), fee, Preservation::Preserve)?;
		}
		// What leaves the account: `amount`, and the rest of the balance with it if that
		// would be below the asset's minimum (the account is reaped). All of it is released:
		// the vault must never keep a reaped account's dust locked for nobody.
		let amount = T::Assets::burn_from(
			asset,
			&who,
			amount,
			Preservation::Expendable,
			Precision::Exact,
			Fortitude::Polite,
		)?;
		// Balances never exceed what was minted; checked so that the vault is never asked
		// for more than it locks (burning past it fails as an overflow of `burned`).
		info.burned = info
			.burned
			.checked_add(amount)
			.filter(|burned| *burned <= info.minted)
			.ok_or(ArithmeticError::Overflow)?;
		Tokens::<T>::insert(token, info);
		let nonce = Self::record_withdrawal(
			WithdrawalOrigin::Account(who.clone()),
			token,
			recipient,
			amount,
			fee,
		)?;
		Self::deposit_event(Event::WithdrawalRequested {
			nonce,
			from: who,
			asset,
			token,
			recipient,
			amount,
		});
		Ok(())
	}

	/// Record an outbound withdrawal under the next nonce; returns the nonce.
	pub(crate) fn record_withdrawal(
		origin: WithdrawalOrigin<T::AccountId>,
		token: EthAddress,
		recipient: EthAddress,
		amount: u128,
		fee: BalanceOf<T>,
	) -> Result<BridgeNonce, DispatchError> {
		let nonce =
			LastWithdrawalNonce::<T>::get().checked_add(1).ok_or(ArithmeticError::Overflow)?;
		LastWithdrawalNonce::<T>::put(nonce);
		let set = Attesters::<T>::get();
		Withdrawals::<T>::insert(
			nonce,
			Withdrawal {
				origin,
				message: ReleaseMessage { nonce, token, recipient, amount },
				fee,
				requested_at: Self::now(),
				released_at: None,
				attester_set: set.as_ref().map_or(0, |s| s.id),
				vault_set_id: set.as_ref().map_or(0, |s| s.vault_set_id),
				signatures: BoundedVec::new(),
			},
		);
		Ok(nonce)
	}

	pub(crate) fn do_attest_withdrawal(
		nonce: BridgeNonce,
		signature: EthSignature,
	) -> DispatchResult {
		ensure!(Mode::<T>::get() == OperatingMode::Normal, Error::<T>::Paused);
		let domain = Self::domain()?;
		let set = Attesters::<T>::get().ok_or(Error::<T>::NotConfigured)?;
		Withdrawals::<T>::try_mutate(nonce, |w| {
			let w = w.as_mut().ok_or(Error::<T>::UnknownWithdrawal)?;
			ensure!(w.released_at.is_none(), Error::<T>::AlreadyReleased);
			// Signatures for an earlier set would not pass the vault: collect afresh.
			if w.attester_set != set.id || w.vault_set_id != set.vault_set_id {
				w.attester_set = set.id;
				w.vault_set_id = set.vault_set_id;
				w.signatures.clear();
			}
			ensure!((w.signatures.len() as u32) < set.quorum, Error::<T>::WithdrawalReadyAlready);
			let digest = domain.release_digest(w.vault_set_id, &w.message);
			let signer = recover(&signature, &digest).ok_or(Error::<T>::InvalidSignature)?;
			ensure!(set.index_of(&signer).is_some(), Error::<T>::NotAttester);
			let signatures = Self::add_signature(
				&mut w.signatures,
				signer,
				signature,
				Error::<T>::WithdrawalReadyAlready,
			)?;
			Self::deposit_event(Event::WithdrawalSigned { nonce, attester: signer, signatures });
			if signatures == set.quorum {
				Self::deposit_event(Event::WithdrawalReady { nonce });
			}
			Ok(())
		})
	}
}
