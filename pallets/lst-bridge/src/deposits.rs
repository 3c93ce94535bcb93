//! Deposits: attested Ethereum deposits minted once a quorum signed, within caps and the
//! 24-hour limit, or held for retry.

use crate::{pallet::*, types::*, weights::WeightInfo};
use codec::DecodeAll;
use frame_support::{
	pallet_prelude::*,
	traits::{
		fungibles::{Inspect, Mutate},
		tokens::{DepositConsequence, Provenance},
	},
};
use frame_system::pallet_prelude::BlockNumberFor;
use kasane_primitives::bridge::{AttesterEquivocation, BridgeNonce, DepositMessage, EthAddress};
use sp_runtime::{
	traits::{Saturating, UniqueSaturatedInto},
	ArithmeticError, DispatchError,
};

impl<T: Config> Pallet<T> {
	// ---- inbound ----

	pub(crate) fn do_attest_deposit(
		who: &T::AccountId,
		deposit: DepositMessage,
		evidence: <T::Verifier as InboundVerifier<T::AccountId>>::Evidence,
	) -> Result<Weight, DispatchError> {
		let domain = Self::domain()?;
		ensure!(Policy::<T>::get().takes_attestations(), Error::<T>::ProofRequired);
		let recipient = Self::check_deposit(&deposit)?;
		ensure!(!Halted::<T>::contains_key(deposit.nonce), Error::<T>::NonceHalted);

		match T::Verifier::verify(who, &domain, Inbound::Deposit(&deposit), evidence)? {
			Verdict::Counted { .. } => Ok(T::WeightInfo::attest_deposit_counted()),
			Verdict::Conflict => {
				Ok(T::WeightInfo::attest_deposit_conflict()
					.saturating_add(T::Equivocation::weight()))
			}
			Verdict::Accepted => {
				Self::deposit_proven(&deposit, recipient)?;
				Ok(T::WeightInfo::attest_deposit_minted())
			}
		}
	}

	/// What the bridge checks of a deposit itself, however it is proven: the nonce open and
	/// within reach, the amount positive, the depositor and the recipient valid. Returns the
	/// recipient.
	pub(crate) fn check_deposit(deposit: &DepositMessage) -> Result<T::AccountId, DispatchError> {
		let nonce = deposit.nonce;
		ensure!(nonce != 0, Error::<T>::ZeroNonce);
		ensure!(!Self::is_processed(nonce), Error::<T>::AlreadyProcessed);
		ensure!(
			nonce <= Self::lowest_open_nonce().saturating_add(T::MaxNoncesAhead::get()),
			Error::<T>::NonceTooFarAhead
		);
		ensure!(deposit.amount > 0, Error::<T>::ZeroAmount);
		// The vault never emits a zero depositor: nobody could be refunded.
		ensure!(!deposit.depositor.is_zero(), Error::<T>::ZeroEthRecipient);
		T::AccountId::decode_all(&mut &deposit.recipient[..])
			.map_err(|_| Error::<T>::InvalidRecipient.into())
	}

	/// Act on a deposit proven to have happened: spend its nonce and mint it, park it, or
	/// refund it if Kasane does not mirror its token.
	pub(crate) fn deposit_proven(
		deposit: &DepositMessage,
		recipient: T::AccountId,
	) -> DispatchResult {
		let nonce = deposit.nonce;
		Self::mark_processed(nonce);
		if Tokens::<T>::contains_key(deposit.token) {
			Self::accept_deposit(nonce, deposit, recipient)
		} else {
			// A token the vault takes but Kasane does not mirror: back to its owner.
			Self::refund(nonce, deposit.token, deposit.depositor, deposit.amount)
		}
	}

	/// What keeps `amount` from being minted to `recipient` now, if anything.
	pub(crate) fn blocker(
		info: &TokenInfo<T::AssetId>,
		token: &EthAddress,
		recipient: &T::AccountId,
		amount: u128,
		check_limit: bool,
	) -> Option<WaitReason<BlockNumberFor<T>>> {
		if Mode::<T>::get() == OperatingMode::Paused {
			return Some(WaitReason::Paused);
		}
		if info.outstanding().saturating_add(amount) > info.cap {
			return Some(WaitReason::OverCap);
		}
		if T::Assets::can_deposit(info.asset, recipient, amount, Provenance::Minted)
			!= DepositConsequence::Success
		{
			return Some(WaitReason::Unmintable);
		}
		if check_limit && Self::minted_last_day(token).saturating_add(amount) > info.daily_limit {
			return Some(WaitReason::Delayed {
				until: Self::now().saturating_add(T::MintDelay::get()),
			});
		}
		None
	}

	pub(crate) fn accept_deposit(
		nonce: BridgeNonce,
		deposit: &DepositMessage,
		recipient: T::AccountId,
	) -> DispatchResult {
		let (token, amount, depositor) = (deposit.token, deposit.amount, deposit.depositor);
		let info = Tokens::<T>::get(token).ok_or(Error::<T>::UnknownToken)?;
		match Self::blocker(&info, &token, &recipient, amount, true) {
			None => Self::mint(nonce, token, info, recipient, amount),
			Some(reason) => {
				Self::deposit_event(Event::DepositWaiting {
					nonce,
					token,
					recipient: recipient.clone(),
					amount,
					reason,
				});
				Waiting::<T>::insert(
					nonce,
					WaitingDeposit { token, depositor, recipient, amount, reason },
				);
				Ok(())
			}
		}
	}

	pub(crate) fn mint(
		nonce: BridgeNonce,
		token: EthAddress,
		mut info: TokenInfo<T::AssetId>,
		recipient: T::AccountId,
		amount: u128,
	) -> DispatchResult {
		T::Assets::mint_into(info.asset, &recipient, amount)?;
		info.minted = info.minted.checked_add(amount).ok_or(ArithmeticError::Overflow)?;
		let asset = info.asset;
		Tokens::<T>::insert(token, info);
		Self::record_mint(&token, amount);
		Self::deposit_event(Event::DepositMinted { nonce, token, asset, recipient, amount });
		Ok(())
	}

	pub(crate) fn bucket_now() -> u32 {
		let length = T::BucketLength::get().max(1u32.into());
		(Self::now() / length).unique_saturated_into()
	}

	/// Minted in the current bucket and the 23 before it.
	pub fn minted_last_day(token: &EthAddress) -> u128 {
		let now = Self::bucket_now();
		MintWindows::<T>::get(token)
			.map(|window| {
				window
					.iter()
					.filter(|(bucket, _)| *bucket <= now && now - bucket < WINDOW_BUCKETS as u32)
					.fold(0u128, |sum, (_, amount)| sum.saturating_add(*amount))
			})
			.unwrap_or(0)
	}

	pub(crate) fn record_mint(token: &EthAddress, amount: u128) {
		let now = Self::bucket_now();
		MintWindows::<T>::mutate(token, |window| {
			let window = window.get_or_insert([(0, 0); WINDOW_BUCKETS]);
			let slot = &mut window[now as usize % WINDOW_BUCKETS];
			if slot.0 != now {
				*slot = (now, 0);
			}
			slot.1 = slot.1.saturating_add(amount);
		});
	}

	/// What a retry of `waiting` in block `at` meets, with its token's record: nothing (it
	/// mints), `Delayed` (the 24-hour limit delays it), another reason (it stays as it is), or
	/// an error (its delay is not over, or its token is gone). Only the delay is judged at
	/// `at`; the limit's window is the current block's (a view asks about the next block, where
	/// both its outcomes, minted or delayed, move the deposit on alike).
	pub(crate) fn retry_blocker(
		waiting: &WaitingDeposit<T::AccountId, BlockNumberFor<T>>,
		at: BlockNumberFor<T>,
	) -> Result<(TokenInfo<T::AssetId>, Option<WaitReason<BlockNumberFor<T>>>), DispatchError> {
		let info = Tokens::<T>::get(waiting.token).ok_or(Error::<T>::UnknownToken)?;
		// A delayed deposit served its delay: the limit no longer holds it back.
		let delayed = match waiting.reason {
			WaitReason::Delayed { until } => {
				ensure!(at >= until, Error::<T>::DelayNotOver);
				true
			}
			_ => false,
		};
		let blocker =
			Self::blocker(&info, &waiting.token, &waiting.recipient, waiting.amount, !delayed);
		Ok((info, blocker))
	}

	pub(crate) fn do_retry(nonce: BridgeNonce) -> DispatchResult {
		let waiting = Waiting::<T>::get(nonce).ok_or(Error::<T>::NotWaiting)?;
		let (info, blocker) = Self::retry_blocker(&waiting, Self::now())?;
		match blocker {
			None => {
				Waiting::<T>::remove(nonce);
				Self::mint(nonce, waiting.token, info, waiting.recipient, waiting.amount)
			}
			Some(WaitReason::Paused) => Err(Error::<T>::Paused.into()),
			Some(WaitReason::OverCap) => Err(Error::<T>::StillOverCap.into()),
			Some(WaitReason::Unmintable) => Err(Error::<T>::StillUnmintable.into()),
			Some(reason @ WaitReason::Delayed { .. }) => {
				Self::deposit_event(Event::DepositWaiting {
					nonce,
					token: waiting.token,
					recipient: waiting.recipient.clone(),
					amount: waiting.amount,
					reason,
				});
				Waiting::<T>::insert(nonce, WaitingDeposit { reason, ..waiting });
				Ok(())
			}
		}
	}
}
