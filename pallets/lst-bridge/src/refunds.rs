//! Refunds: deposits that cannot be mirrored go back to the depositor on Ethereum.

use crate::pallet::*;
use frame_support::pallet_prelude::*;
use kasane_primitives::bridge::{BridgeNonce, EthAddress, WithdrawalOrigin};

impl<T: Config> Pallet<T> {
	/// Pay vault deposit `nonce` back to `depositor`: an outbound withdrawal without a fee.
	pub(crate) fn refund(
		nonce: BridgeNonce,
		token: EthAddress,
		depositor: EthAddress,
		amount: u128,
	) -> DispatchResult {
		let withdrawal = Self::record_withdrawal(
			WithdrawalOrigin::Refund { deposit: nonce },
			token,
			depositor,
			amount,
			Zero::zero(),
		)?;
		Refunds::<T>::insert(nonce, withdrawal);
		Self::deposit_event(Event::DepositRefunding {
			nonce,
			withdrawal,
			token,
			depositor,
			amount,
		});
		Ok(())
	}
}
