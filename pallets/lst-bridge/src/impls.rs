//! The bridge's mechanics: accepting deposits and rates, minting under caps and limits,
//! withdrawals, the attester-quorum verifier, the runtime API views and `do_try_state`.

use crate::{pallet::*, types::*, weights::WeightInfo, BalanceOf};
use alloc::collections::btree_map::BTreeMap;
use codec::DecodeAll;
use frame_support::{
	pallet_prelude::*,
	traits::{
		fungible::Mutate as _,
		fungibles::{Create, Inspect, Mutate},
		tokens::{DepositConsequence, Fortitude, Precision, Preservation, Provenance},
		UnixTime,
	},
};
use frame_system::pallet_prelude::BlockNumberFor;
use kasane_primitives::{
	avs::{KeyType, OperatorKey, OperatorSetMembers},
	bridge::{
		eth_address_of_compressed, quorum_of, AttesterEquivocation, AttesterSetView, BridgeDomain,
		BridgeNonce, DepositMessage, DepositStatus, EthAddress, EthSignature, EthWithdrawalView,
		OnRateUpdated, RateReport, RateView, ReleaseMessage, ReleaseReceipt, RotationView,
		WithdrawalOrigin,
	},
	restaking::OperatorSetId,
};
use sp_core::H256;
use sp_runtime::{
	traits::{AccountIdConversion, SaturatedConversion, Saturating, UniqueSaturatedInto},
	DispatchError,
};

/// 10¹⁸: rates are ETH per this many token units.
const RATE_UNIT: u128 = 1_000_000_000_000_000_000;

/// Most outbound nonces `unsigned_withdrawals` looks at per call.
const MAX_WITHDRAWAL_SCAN: u64 = 1_000;

/// The signer of `digest`, with the runtime's secp256k1 recovery.
pub(crate) fn recover(signature: &EthSignature, digest: &[u8; 32]) -> Option<EthAddress> {
	signature.recover_with(digest, sp_io::crypto::secp256k1_ecdsa_recover)
}

impl<T: Config> Pallet<T> {
	/// Owner of the mirrored assets.
	pub fn account_id() -> T::AccountId {
		T::PalletId::get().into_account_truncating()
	}

	fn now() -> BlockNumberFor<T> {
		frame_system::Pallet::<T>::block_number()
	}

	/// This chain's genesis hash (frame-system keeps block 0's hash for ever).
	pub fn kasane_genesis() -> H256 {
		let hash = frame_system::Pallet::<T>::block_hash(BlockNumberFor::<T>::zero());
		let bytes = hash.as_ref();
		let mut genesis = [0u8; 32];
		let n = bytes.len().min(32);
		genesis[..n].copy_from_slice(&bytes[..n]);
		H256(genesis)
	}

	/// What every signature is bound to: the configured vault and this chain.
	pub fn domain() -> Result<BridgeDomain, DispatchError> {
		let endpoint = Endpoint::<T>::get().ok_or(Error::<T>::NotConfigured)?;
		Ok(endpoint.domain(Self::kasane_genesis()))
	}

	// ---- nonces ----

	fn nonce_slot(nonce: BridgeNonce) -> (u64, u128) {
		(nonce / 128, 1u128 << (nonce % 128))
	}

	/// Whether deposit `nonce` was accepted (minted, waiting or cancelled).
	pub fn is_processed(nonce: BridgeNonce) -> bool {
		let (word, bit) = Self::nonce_slot(nonce);
		ProcessedNonces::<T>::get(word) & bit != 0
	}

	fn mark_processed(nonce: BridgeNonce) {
		let (word, bit) = Self::nonce_slot(nonce);
		ProcessedNonces::<T>::mutate(word, |w| *w |= bit);
		// The window of nonces taken moves past every processed one (a bounded step per
		// deposit: processing catches up one nonce each time at worst).
		let mut lowest = Self::lowest_open_nonce();
		if lowest == nonce {
			for _ in 0..64 {
				lowest = lowest.saturating_add(1);
				if !Self::is_processed(lowest) {
					break;
				}
			}
			LowestOpenNonce::<T>::put(lowest);
		}
	}

	/// The lowest deposit nonce not processed yet (nonces start at 1).
	pub fn lowest_open_nonce() -> BridgeNonce {
		LowestOpenNonce::<T>::get().max(1)
	}

	// ---- inbound ----

	pub(crate) fn do_attest_deposit(
		who: &T::AccountId,
		deposit: DepositMessage,
		evidence: <T::Verifier as InboundVerifier<T::AccountId>>::Evidence,
	) -> Result<Weight, DispatchError> {
		let domain = Self::domain()?;
		let nonce = deposit.nonce;
		ensure!(nonce != 0, Error::<T>::ZeroNonce);
		ensure!(!Self::is_processed(nonce), Error::<T>::AlreadyProcessed);
		ensure!(
			nonce <= Self::lowest_open_nonce().saturating_add(T::MaxNoncesAhead::get()),
			Error::<T>::NonceTooFarAhead
		);
		ensure!(!Halted::<T>::contains_key(nonce), Error::<T>::NonceHalted);
		ensure!(deposit.amount > 0, Error::<T>::ZeroAmount);
		// The vault never emits a zero depositor: nobody could be refunded.
		ensure!(!deposit.depositor.is_zero(), Error::<T>::ZeroEthRecipient);
		let recipient = T::AccountId::decode_all(&mut &deposit.recipient[..])
			.map_err(|_| Error::<T>::BadRecipient)?;

		match T::Verifier::verify(who, &domain, Inbound::Deposit(&deposit), evidence)? {
			Verdict::Counted { .. } => Ok(T::WeightInfo::attest_deposit_counted()),
			Verdict::Conflict => {
				Ok(T::WeightInfo::attest_deposit_conflict()
					.saturating_add(T::Equivocation::weight()))
			}
			Verdict::Accepted => {
				Self::mark_processed(nonce);
				if Tokens::<T>::contains_key(deposit.token) {
					Self::accept_deposit(nonce, &deposit, recipient)?;
				} else {
					// A token the vault takes but Kasane does not mirror: back to its owner.
					Self::refund(nonce, deposit.token, deposit.depositor, deposit.amount)?;
				}
				Ok(T::WeightInfo::attest_deposit_minted())
			}
		}
	}

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

	/// What keeps `amount` from being minted to `recipient` now, if anything.
	fn blocker(
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

	fn accept_deposit(
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

	fn mint(
		nonce: BridgeNonce,
		token: EthAddress,
		mut info: TokenInfo<T::AssetId>,
		recipient: T::AccountId,
		amount: u128,
	) -> DispatchResult {
		T::Assets::mint_into(info.asset, &recipient, amount)?;
		info.minted = info.minted.checked_add(amount).ok_or(Error::<T>::Overflow)?;
		let asset = info.asset;
		Tokens::<T>::insert(token, info);
		Self::record_mint(&token, amount);
		Self::deposit_event(Event::DepositMinted { nonce, token, asset, recipient, amount });
		Ok(())
	}

	fn bucket_now() -> u32 {
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

	fn record_mint(token: &EthAddress, amount: u128) {
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

	pub(crate) fn do_retry(nonce: BridgeNonce) -> DispatchResult {
		let waiting = Waiting::<T>::get(nonce).ok_or(Error::<T>::NotWaiting)?;
		let info = Tokens::<T>::get(waiting.token).ok_or(Error::<T>::UnknownToken)?;
		// A delayed deposit served its delay: the limit no longer holds it back.
		let delayed = match waiting.reason {
			WaitReason::Delayed { until } => {
				ensure!(Self::now() >= until, Error::<T>::DelayNotOver);
				true
			}
			_ => false,
		};
		match Self::blocker(&info, &waiting.token, &waiting.recipient, waiting.amount, !delayed) {
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

	pub(crate) fn do_attest_rate(
		who: &T::AccountId,
		report: RateReport,
		evidence: <T::Verifier as InboundVerifier<T::AccountId>>::Evidence,
	) -> Result<Weight, DispatchError> {
		let domain = Self::domain()?;
		ensure!(Mode::<T>::get() == OperatingMode::Normal, Error::<T>::Paused);
		let info = Tokens::<T>::get(report.token).ok_or(Error::<T>::UnknownToken)?;
		Self::check_rate(&info, &report)?;
		match T::Verifier::verify(who, &domain, Inbound::Rate(&report), evidence)? {
			Verdict::Accepted => {
				Self::apply_rate(
					&report.token,
					&info,
					Rate {
						rate: report.rate,
						reported_at: report.timestamp,
						round: Self::rate_round(&report),
					},
				);
				Ok(T::WeightInfo::attest_rate_applied().saturating_add(T::OnRateUpdated::weight()))
			}
			Verdict::Counted { .. } | Verdict::Conflict => Ok(T::WeightInfo::attest_rate_counted()),
		}
	}

	/// Whether `report` may replace the token's current rate.
	fn check_rate(info: &TokenInfo<T::AssetId>, report: &RateReport) -> DispatchResult {
		ensure!(report.rate > 0, Error::<T>::ZeroRate);
		let now = T::UnixTime::now().as_secs();
		ensure!(
			report.timestamp <= now.saturating_add(T::MaxClockDrift::get()),
			Error::<T>::RateFromFuture
		);
		ensure!(
			now.saturating_sub(report.timestamp) <= T::MaxRateAge::get(),
			Error::<T>::RateTooOld
		);
		if let Some(current) = Rates::<T>::get(report.token) {
			ensure!(
				Self::rate_round(report) > current.round && report.timestamp > current.reported_at,
				Error::<T>::RateNotNewer
			);
			let change = report.rate.abs_diff(current.rate);
			ensure!(
				change <= info.max_rate_change.mul_ceil(current.rate),
				Error::<T>::RateOutOfBounds
			);
		}
		Ok(())
	}

	/// The rate round `report` belongs to.
	pub fn rate_round(report: &RateReport) -> u64 {
		report.eth_block_number / T::RateRound::get().max(1)
	}

	pub(crate) fn apply_rate(token: &EthAddress, info: &TokenInfo<T::AssetId>, rate: Rate) {
		Rates::<T>::insert(token, rate);
		T::Verifier::forget_rates(token, rate.round);
		T::OnRateUpdated::rate_updated(info.asset, Self::haircut(info, rate.rate));
		Self::deposit_event(Event::RateUpdated {
			token: *token,
			asset: info.asset,
			rate: rate.rate,
			reported_at: rate.reported_at,
		});
	}

	/// `rate` less the token's haircut (rounded against the holder).
	pub(crate) fn haircut(info: &TokenInfo<T::AssetId>, rate: u128) -> u128 {
		rate.saturating_sub(info.haircut.mul_ceil(rate))
	}

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
		T::Assets::burn_from(
			asset,
			&who,
			amount,
			Preservation::Expendable,
			Precision::Exact,
			Fortitude::Polite,
		)?;
		// Balances never exceed what was minted; checked so that the vault is never asked
		// for more than it locks.
		info.burned = info
			.burned
			.checked_add(amount)
			.filter(|burned| *burned <= info.minted)
			.ok_or(Error::<T>::Overflow)?;
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
	fn record_withdrawal(
		origin: WithdrawalOrigin<T::AccountId>,
		token: EthAddress,
		recipient: EthAddress,
		amount: u128,
		fee: BalanceOf<T>,
	) -> Result<BridgeNonce, DispatchError> {
		let nonce = LastWithdrawalNonce::<T>::get().checked_add(1).ok_or(Error::<T>::Overflow)?;
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
		let signer = recover(&signature, &digest).ok_or(Error::<T>::BadSignature)?;
		let index = set.index_of(&signer).ok_or(Error::<T>::NotAttester)?;
		let mut votes = ReleaseVotes::<T>::get(nonce)
			.filter(|v| v.set_id == set.id)
			.unwrap_or(Votes::new(set.id));
		// One receipt per attester and withdrawal: the vault releases a nonce once.
		ensure!(votes.backed_by(index).is_none(), Error::<T>::AlreadySigned);
		let signers = votes.back(index, receipt, digest).ok_or(Error::<T>::BadAttesterSet)?;
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
			let signer = recover(&signature, &digest).ok_or(Error::<T>::BadSignature)?;
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

	// ---- administration ----

	pub(crate) fn do_register_token(
		token: EthAddress,
		asset: T::AssetId,
		decimals: u8,
		min_balance: u128,
		limits: TokenLimits,
	) -> DispatchResult {
		ensure!(!Tokens::<T>::contains_key(token), Error::<T>::TokenExists);
		ensure!(
			!AssetTokens::<T>::contains_key(asset) && !T::Assets::asset_exists(asset),
			Error::<T>::AssetExists
		);
		T::Assets::create(asset, Self::account_id(), true, min_balance)?;
		Tokens::<T>::insert(
			token,
			TokenInfo {
				asset,
				decimals,
				cap: limits.cap,
				daily_limit: limits.daily_limit,
				max_rate_change: limits.max_rate_change,
				haircut: limits.haircut,
				min_withdrawal: limits.min_withdrawal,
				minted: 0,
				burned: 0,
			},
		);
		AssetTokens::<T>::insert(asset, token);
		Self::deposit_event(Event::TokenRegistered { token, asset, decimals, limits });
		Ok(())
	}

	pub(crate) fn do_set_attesters(
		members: alloc::vec::Vec<EthAddress>,
		quorum: u32,
		vault_set_id: u64,
		operator_set: Option<OperatorSetId>,
	) -> DispatchResult {
		ensure!(
			!members.is_empty() && members.windows(2).all(|w| w[0] < w[1]) && !members[0].is_zero(),
			Error::<T>::BadAttesterSet
		);
		let n = members.len() as u32;
		let members: BoundedVec<_, T::MaxAttesters> =
			members.try_into().map_err(|_| Error::<T>::BadAttesterSet)?;
		ensure!(quorum >= quorum_of(n) && quorum <= n, Error::<T>::BadQuorum);
		if let Some(source) = operator_set {
			let suitable = T::OperatorSets::capacity(&source).is_some_and(|(key_type, max)| {
				key_type == KeyType::Ecdsa && max <= T::MaxAttesters::get()
			});
			ensure!(suitable, Error::<T>::UnsuitableOperatorSet);
			Self::governed_source(&source)?;
		}
		PendingRotation::<T>::kill();
		if let Some((vault_set_id, _)) = ApprovedRotation::<T>::take() {
			Rotations::<T>::remove(vault_set_id);
		}
		let id = Attesters::<T>::get().map_or(0, |s| s.id.wrapping_add(1));
		Self::install_attesters(AttesterSet { id, members, quorum, vault_set_id, operator_set });
		Ok(())
	}

	/// Make `set` the attester set.
	fn install_attesters(set: AttesterSet<T::MaxAttesters>) {
		Self::deposit_event(Event::AttestersSet {
			id: set.id,
			members: set.members.to_vec(),
			quorum: set.quorum,
			vault_set_id: set.vault_set_id,
			operator_set: set.operator_set,
		});
		Attesters::<T>::put(set);
	}

	/// Add `signer`'s `signature` to `signatures`, kept sorted by signer as the vault wants
	/// them; returns how many there are. `full`: the error when there is no room.
	fn add_signature<M: Get<u32>>(
		signatures: &mut BoundedVec<(EthAddress, EthSignature), M>,
		signer: EthAddress,
		signature: EthSignature,
		full: Error<T>,
	) -> Result<u32, DispatchError> {
		let at = match signatures.binary_search_by_key(&signer, |(a, _)| *a) {
			Ok(_) => return Err(Error::<T>::AlreadySigned.into()),
			Err(at) => at,
		};
		signatures.try_insert(at, (signer, signature)).map_err(|_| full)?;
		Ok(signatures.len() as u32)
	}

	// ---- attester rotation ----

	/// The operator set the attesters follow, if it is governed: its AVS is owned by
	/// [`Config::AttesterSetOwner`] and joining it needs the allowlist.
	fn governed_source(source: &OperatorSetId) -> DispatchResult {
		ensure!(
			T::OperatorSets::governance(source) == Some((T::AttesterSetOwner::get(), true)),
			Error::<T>::UngovernedOperatorSet
		);
		Ok(())
	}

	/// The members of `source` that may attest: those with at least
	/// [`Config::MinAttesterStake`] allocated to it, sorted. Iterates the set's memberships,
	/// which binding bounds by `MaxAttesters`.
	fn eligible_operators(source: &OperatorSetId) -> alloc::vec::Vec<T::AccountId> {
		let min = T::MinAttesterStake::get();
		T::OperatorSets::members(source)
			.into_iter()
			.filter(|who| T::OperatorSets::allocated_value(source, who) >= min)
			.collect()
	}

	/// The Ethereum addresses of `operators`, sorted, if they are exactly the members of
	/// `source` that may attest (see [`Self::eligible_operators`]).
	pub(crate) fn attesters_of(
		source: &OperatorSetId,
		operators: &[T::AccountId],
	) -> Result<BoundedVec<EthAddress, T::MaxAttesters>, DispatchError> {
		ensure!(!operators.is_empty(), Error::<T>::NoAttesters);
		ensure!(operators.windows(2).all(|w| w[0] < w[1]), Error::<T>::OperatorsNotSorted);
		let min = T::MinAttesterStake::get();
		let mut next = alloc::vec::Vec::with_capacity(operators.len());
		for who in operators {
			let key =
				T::OperatorSets::member_key(source, who).ok_or(Error::<T>::NotOperatorSetMember)?;
			ensure!(
				T::OperatorSets::allocated_value(source, who) >= min,
				Error::<T>::AttesterStakeTooLow
			);
			let OperatorKey::Ecdsa(public) = key else {
				return Err(Error::<T>::NotEcdsaKey.into());
			};
			next.push(eth_address_of_compressed(&public.0).ok_or(Error::<T>::NotEcdsaKey)?);
		}
		// Sorted and unique, every one an eligible member, and as many as there are: all.
		ensure!(
			operators.len() == Self::eligible_operators(source).len(),
			Error::<T>::IncompleteOperators
		);
		next.sort();
		// The registry keeps keys unique; equal addresses would mean a hash collision.
		ensure!(next.windows(2).all(|w| w[0] < w[1]), Error::<T>::BadAttesterSet);
		next.try_into().map_err(|_| Error::<T>::UnsuitableOperatorSet.into())
	}

	/// Whether handing over from `current` to `next` adds and removes at most
	/// [`Config::MaxRotationChange`] of `current` each (at least one).
	pub(crate) fn within_rotation_bound(current: &[EthAddress], next: &[EthAddress]) -> bool {
		let bound = T::MaxRotationChange::get().mul_floor(current.len() as u32).max(1) as usize;
		let added = next.iter().filter(|a| current.binary_search(a).is_err()).count();
		let removed = current.iter().filter(|a| next.binary_search(a).is_err()).count();
		added <= bound && removed <= bound
	}

	pub(crate) fn do_rotate_attesters(operators: &[T::AccountId]) -> DispatchResult {
		let set = Attesters::<T>::get().ok_or(Error::<T>::NotConfigured)?;
		let source = set.operator_set.ok_or(Error::<T>::NoOperatorSet)?;
		ensure!(!ApprovedRotation::<T>::exists(), Error::<T>::RotationWaiting);
		Self::governed_source(&source)?;
		let next = Self::attesters_of(&source, operators)?;
		let pending = PendingRotation::<T>::get();
		if next == set.members {
			// Membership went back to the current attesters: nothing to hand over.
			ensure!(pending.is_some(), Error::<T>::AttestersUnchanged);
			PendingRotation::<T>::kill();
			Self::deposit_event(Event::RotationDropped { vault_set_id: set.vault_set_id });
			return Ok(());
		}
		ensure!(pending.is_none_or(|p| p.next != next), Error::<T>::AttestersUnchanged);
		ensure!(Self::within_rotation_bound(&set.members, &next), Error::<T>::RotationTooLarge);
		let quorum = quorum_of(next.len() as u32);
		Self::deposit_event(Event::RotationProposed {
			vault_set_id: set.vault_set_id,
			next: next.to_vec(),
			quorum,
		});
		PendingRotation::<T>::put(Rotation {
			vault_set_id: set.vault_set_id,
			next,
			quorum,
			signatures: BoundedVec::new(),
		});
		Ok(())
	}

	/// Count a current attester's signature of the pending hand-over; returns whether it
	/// completed the quorum (the hand-over then waits [`Config::RotationDelay`]).
	pub(crate) fn do_attest_rotation(
		digest: H256,
		signature: EthSignature,
	) -> Result<bool, DispatchError> {
		let domain = Self::domain()?;
		let set = Attesters::<T>::get().ok_or(Error::<T>::NotConfigured)?;
		let mut rotation = PendingRotation::<T>::get().ok_or(Error::<T>::NoRotation)?;
		let expected = domain.rotate_digest(rotation.vault_set_id, &rotation.next, rotation.quorum);
		ensure!(digest.0 == expected, Error::<T>::RotationChanged);
		let signer = recover(&signature, &expected).ok_or(Error::<T>::BadSignature)?;
		ensure!(set.index_of(&signer).is_some(), Error::<T>::NotAttester);
		let signatures = Self::add_signature(
			&mut rotation.signatures,
			signer,
			signature,
			Error::<T>::AlreadySigned,
		)?;
		Self::deposit_event(Event::RotationSigned {
			vault_set_id: rotation.vault_set_id,
			attester: signer,
			signatures,
		});
		if signatures < set.quorum {
			PendingRotation::<T>::put(rotation);
			return Ok(false);
		}
		PendingRotation::<T>::kill();
		let vault_set_id = rotation.vault_set_id;
		let effective_at =
			frame_system::Pallet::<T>::block_number().saturating_add(T::RotationDelay::get());
		Self::deposit_event(Event::RotationReady { vault_set_id, effective_at });
		Rotations::<T>::insert(vault_set_id, rotation);
		ApprovedRotation::<T>::put((vault_set_id, effective_at));
		Ok(true)
	}

	/// The next set takes over once the signed hand-over's delay is over, unless the bridge
	/// is paused (it waits) or root refused it. Returns the weight used.
	pub(crate) fn apply_approved_rotation(now: BlockNumberFor<T>) -> Weight {
		let db = T::DbWeight::get();
		let Some((vault_set_id, effective_at)) = ApprovedRotation::<T>::get() else {
			return db.reads(1);
		};
		if now < effective_at || Mode::<T>::get() != OperatingMode::Normal {
			return db.reads(2);
		}
		ApprovedRotation::<T>::kill();
		let (Some(set), Some(rotation)) =
			(Attesters::<T>::get(), Rotations::<T>::get(vault_set_id))
		else {
			return db.reads_writes(4, 1);
		};
		Self::install_attesters(AttesterSet {
			id: set.id.wrapping_add(1),
			members: rotation.next,
			quorum: rotation.quorum,
			vault_set_id: vault_set_id.saturating_add(1),
			operator_set: set.operator_set,
		});
		db.reads_writes(4, 2)
	}

	pub(crate) fn do_refuse_rotation() -> DispatchResult {
		let set = Attesters::<T>::get().ok_or(Error::<T>::NoRotation)?;
		let pending = PendingRotation::<T>::take();
		let approved = ApprovedRotation::<T>::take();
		if let Some((vault_set_id, _)) = approved {
			Rotations::<T>::remove(vault_set_id);
		}
		ensure!(pending.is_some() || approved.is_some(), Error::<T>::NoRotation);
		Self::deposit_event(Event::RotationRefused { vault_set_id: set.vault_set_id });
		Ok(())
	}

	pub(crate) fn set_mode(mode: OperatingMode) -> DispatchResult {
		ensure!(Mode::<T>::get() != mode, Error::<T>::AlreadyInMode);
		Mode::<T>::put(mode);
		Self::deposit_event(Event::ModeSet { mode });
		Ok(())
	}

	// ---- views (LstBridgeApi) ----

	/// The asset's rate and its haircut value.
	pub fn rate_view(asset: T::AssetId) -> Option<RateView> {
		let token = AssetTokens::<T>::get(asset)?;
		let info = Tokens::<T>::get(token)?;
		let rate = Rates::<T>::get(token)?;
		let now = T::UnixTime::now().as_secs();
		Some(RateView {
			rate: rate.rate,
			haircut_rate: Self::haircut(&info, rate.rate),
			reported_at: rate.reported_at,
			stale: now.saturating_sub(rate.reported_at) > T::MaxRateAge::get(),
		})
	}

	/// `amount` of `asset` in wei at its haircut rate (rounded down).
	pub fn value_in_eth(asset: T::AssetId, amount: u128) -> Option<u128> {
		let view = Self::rate_view(asset)?;
		sp_runtime::helpers_128bit::multiply_by_rational_with_rounding(
			amount,
			view.haircut_rate,
			RATE_UNIT,
			sp_runtime::Rounding::Down,
		)
	}

	/// Where vault deposit `nonce` stands.
	pub fn deposit_status(nonce: BridgeNonce) -> DepositStatus<BlockNumberFor<T>> {
		if let Some(withdrawal) = Refunds::<T>::get(nonce) {
			return DepositStatus::Refunded { withdrawal };
		}
		if let Some(waiting) = Waiting::<T>::get(nonce) {
			return match waiting.reason {
				WaitReason::Delayed { until } => DepositStatus::Delayed { until },
				_ => DepositStatus::Parked,
			};
		}
		if Self::is_processed(nonce) {
			return DepositStatus::Processed;
		}
		if Halted::<T>::contains_key(nonce) {
			return DepositStatus::Halted;
		}
		let set = Attesters::<T>::get();
		match (DepositTallies::<T>::get(nonce), set) {
			(Some(tally), Some(set)) if tally.set_id == set.id => {
				let Some(leading) = tally.leading() else { return DepositStatus::Unknown };
				// Whoever signed any candidate: an attester must not sign another one.
				let signers = tally.signers();
				DepositStatus::Attesting {
					digest: H256(leading.digest),
					signers: (0..set.members.len() as u32)
						.filter(|i| signers & (1u64 << i) != 0)
						.map(|i| set.members[i as usize])
						.collect(),
					quorum: set.quorum,
				}
			}
			_ => DepositStatus::Unknown,
		}
	}

	/// Withdrawal `nonce` with its signatures, for `KasaneVault.release`.
	pub fn withdrawal_view(nonce: BridgeNonce) -> Option<EthWithdrawalView<T::AccountId>> {
		let w = Withdrawals::<T>::get(nonce)?;
		let domain = Self::domain().ok()?;
		let set = Attesters::<T>::get()?;
		let current = w.attester_set == set.id && w.vault_set_id == set.vault_set_id;
		let signatures: alloc::vec::Vec<_> = if current {
			w.signatures.iter().map(|(_, s)| *s).collect()
		} else {
			alloc::vec::Vec::new()
		};
		let released = w.released_at.is_some();
		Some(EthWithdrawalView {
			withdrawal: w.message,
			origin: w.origin,
			fee: w.fee.unique_saturated_into(),
			attester_set_id: set.vault_set_id,
			digest: H256(domain.release_digest(set.vault_set_id, &w.message)),
			ready: !released && signatures.len() as u32 >= set.quorum,
			released,
			signatures,
		})
	}

	/// Withdrawals from `from_nonce` on still short of a quorum, at most `limit` (≤ 100).
	pub fn unsigned_withdrawals(
		from_nonce: BridgeNonce,
		limit: u32,
	) -> alloc::vec::Vec<EthWithdrawalView<T::AccountId>> {
		let last = LastWithdrawalNonce::<T>::get();
		let end = last.min(from_nonce.saturating_add(MAX_WITHDRAWAL_SCAN));
		(from_nonce.max(1)..=end)
			.filter_map(Self::withdrawal_view)
			.filter(|w| !w.ready && !w.released)
			.take(limit.min(100) as usize)
			.collect()
	}

	/// The attester set in force.
	pub fn attesters_view() -> Option<AttesterSetView> {
		Attesters::<T>::get().map(|set| AttesterSetView {
			id: set.id,
			members: set.members.to_vec(),
			quorum: set.quorum,
			vault_set_id: set.vault_set_id,
			operator_set: set.operator_set,
		})
	}

	/// The operators to pass to `rotate_attesters`, if the eligible members of the operator
	/// set differ from the attesters (or from the hand-over being signed) and the hand-over
	/// would be accepted; `None` while a signed one waits for its delay.
	pub fn rotation_due() -> Option<alloc::vec::Vec<T::AccountId>> {
		let set = Attesters::<T>::get()?;
		let source = set.operator_set?;
		if ApprovedRotation::<T>::exists() || Self::governed_source(&source).is_err() {
			return None;
		}
		let operators = Self::eligible_operators(&source);
		let next = Self::attesters_of(&source, &operators).ok()?;
		if next == set.members {
			return PendingRotation::<T>::exists().then_some(operators);
		}
		let target = PendingRotation::<T>::get().map_or(set.members.clone(), |p| p.next);
		(next != target && Self::within_rotation_bound(&set.members, &next)).then_some(operators)
	}

	fn rotation_view(rotation: Rotation<T::MaxAttesters>, ready: bool) -> Option<RotationView> {
		let domain = Self::domain().ok()?;
		let current = Attesters::<T>::get();
		let effective_at = ApprovedRotation::<T>::get()
			.filter(|(id, _)| *id == rotation.vault_set_id)
			.map(|(_, at)| at.saturated_into::<u64>());
		// The next members' stake, for relayers' policies: by each address's operator.
		let source = current.as_ref().and_then(|s| s.operator_set);
		let stakes: BTreeMap<EthAddress, u128> = source
			.map(|source| {
				T::OperatorSets::members(&source)
					.into_iter()
					.filter_map(|who| {
						let OperatorKey::Ecdsa(key) = T::OperatorSets::member_key(&source, &who)?
						else {
							return None;
						};
						let address = eth_address_of_compressed(&key.0)?;
						Some((address, T::OperatorSets::allocated_value(&source, &who)))
					})
					.collect()
			})
			.unwrap_or_default();
		Some(RotationView {
			applied: current.is_some_and(|s| s.vault_set_id > rotation.vault_set_id),
			effective_at,
			next_stakes: rotation
				.next
				.iter()
				.map(|a| stakes.get(a).copied().unwrap_or_default())
				.collect(),
			attester_set_id: rotation.vault_set_id,
			digest: H256(domain.rotate_digest(
				rotation.vault_set_id,
				&rotation.next,
				rotation.quorum,
			)),
			next: rotation.next.to_vec(),
			quorum: rotation.quorum,
			signatures: rotation.signatures.iter().map(|(_, s)| *s).collect(),
			ready,
		})
	}

	/// The hand-over the current attesters are signing.
	pub fn pending_rotation() -> Option<RotationView> {
		Self::rotation_view(PendingRotation::<T>::get()?, false)
	}

	/// The signed hand-over away from vault set `vault_set_id`.
	pub fn rotation(vault_set_id: u64) -> Option<RotationView> {
		Self::rotation_view(Rotations::<T>::get(vault_set_id)?, true)
	}

	/// The bridge's invariants.
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		if let Some(set) = Attesters::<T>::get() {
			let n = set.members.len() as u32;
			ensure!(n > 0, "empty attester set");
			ensure!(set.members.windows(2).all(|w| w[0] < w[1]), "attesters not sorted and unique");
			ensure!(set.quorum >= quorum_of(n) && set.quorum <= n, "quorum out of range");
			if let Some(rotation) = PendingRotation::<T>::get() {
				ensure!(rotation.vault_set_id == set.vault_set_id, "hand-over of another set");
				ensure!(
					(rotation.signatures.len() as u32) < set.quorum,
					"complete hand-over still pending"
				);
				ensure!(
					rotation.signatures.iter().all(|(a, _)| set.index_of(a).is_some()),
					"hand-over signed by a non-attester"
				);
			}
			if let Some((vault_set_id, _)) = ApprovedRotation::<T>::get() {
				ensure!(vault_set_id == set.vault_set_id, "waiting hand-over of another set");
				ensure!(Rotations::<T>::contains_key(vault_set_id), "waiting hand-over not kept");
				ensure!(!PendingRotation::<T>::exists(), "a hand-over signed while one waits");
			}
		} else {
			ensure!(!PendingRotation::<T>::exists(), "hand-over without attesters");
			ensure!(!ApprovedRotation::<T>::exists(), "waiting hand-over without attesters");
		}
		for (vault_set_id, rotation) in Rotations::<T>::iter() {
			ensure!(rotation.vault_set_id == vault_set_id, "rotation stored under another set");
			let n = rotation.next.len() as u32;
			ensure!(
				n > 0 && rotation.next.windows(2).all(|w| w[0] < w[1]),
				"rotation to an unsorted set"
			);
			ensure!(rotation.quorum == quorum_of(n), "rotation quorum");
			ensure!(
				rotation.signatures.windows(2).all(|s| s[0].0 < s[1].0),
				"rotation signatures not sorted by signer"
			);
		}
		let mut tokens = 0u32;
		for (token, info) in Tokens::<T>::iter() {
			tokens += 1;
			ensure!(AssetTokens::<T>::get(info.asset) == Some(token), "asset not mapped to token");
			ensure!(T::Assets::asset_exists(info.asset), "mirrored asset missing");
			ensure!(info.burned <= info.minted, "burned more than minted");
			ensure!(info.outstanding() <= info.cap, "outstanding supply above cap");
			// Restaking takes restaked units out of circulation (and slashes may burn them),
			// so the supply can only be below what the vault locks, never above.
			ensure!(
				T::Assets::total_issuance(info.asset) <= info.outstanding(),
				"mirrored supply above minted − burned"
			);
		}
		ensure!(tokens == AssetTokens::<T>::iter().count() as u32, "asset map out of sync");
		ensure!(Tokens::<T>::count() == tokens, "token counter out of sync");
		for (nonce, waiting) in Waiting::<T>::iter() {
			ensure!(Self::is_processed(nonce), "waiting deposit with an unspent nonce");
			ensure!(Tokens::<T>::contains_key(waiting.token), "waiting deposit of unknown token");
		}
		for nonce in Halted::<T>::iter_keys() {
			ensure!(!Self::is_processed(nonce), "halted nonce was processed");
			ensure!(!DepositTallies::<T>::contains_key(nonce), "halted nonce still tallied");
		}
		let lowest = Self::lowest_open_nonce();
		ensure!(!Self::is_processed(lowest), "the lowest open nonce was processed");
		for (nonce, tally) in DepositTallies::<T>::iter() {
			ensure!(!Self::is_processed(nonce), "tally of a processed nonce");
			ensure!(
				nonce <= lowest.saturating_add(T::MaxNoncesAhead::get()),
				"tally beyond the window"
			);
			ensure!(!tally.candidates.is_empty(), "empty tally kept");
			ensure!(
				tally
					.candidates
					.iter()
					.all(|c| c.message.nonce == nonce && c.set_id == tally.set_id),
				"candidate of another nonce or set"
			);
			// No attester counted for two contents (that halts the nonce).
			let mut seen = 0u64;
			for c in &tally.candidates {
				ensure!(seen & c.signers == 0, "an attester counted for two contents");
				seen |= c.signers;
			}
		}
		let last = LastWithdrawalNonce::<T>::get();
		for (nonce, w) in Withdrawals::<T>::iter() {
			ensure!(nonce >= 1 && nonce <= last && w.message.nonce == nonce, "withdrawal nonce");
			ensure!(
				w.signatures.windows(2).all(|s| s[0].0 < s[1].0),
				"withdrawal signatures not sorted by signer"
			);
			ensure!(
				w.released_at.is_none() || w.signatures.is_empty(),
				"released withdrawal keeps signatures"
			);
			if let WithdrawalOrigin::Refund { deposit } = w.origin {
				ensure!(Refunds::<T>::get(deposit) == Some(nonce), "refund not recorded");
				ensure!(w.fee.is_zero(), "refund charged a fee");
			}
		}
		for (deposit, withdrawal) in Refunds::<T>::iter() {
			ensure!(Self::is_processed(deposit), "refund of an unspent deposit nonce");
			ensure!(withdrawal >= 1 && withdrawal <= last, "refund withdrawal nonce");
		}
		let (head, tail) = ReleasedQueueBounds::<T>::get();
		ensure!(head <= tail, "released queue bounds crossed");
		let mut queued = 0u64;
		let mut previous = None;
		for position in head..tail {
			let (at, nonce) = ReleasedQueue::<T>::get(position).ok_or("released queue gap")?;
			ensure!(previous.is_none_or(|p| p <= at), "released queue out of order");
			previous = Some(at);
			let w = Withdrawals::<T>::get(nonce).ok_or("queued withdrawal pruned early")?;
			ensure!(w.released_at == Some(at), "queued withdrawal not released then");
			queued += 1;
		}
		ensure!(ReleasedQueue::<T>::iter().count() as u64 == queued, "released queue stray entry");
		ensure!(
			Withdrawals::<T>::iter().filter(|(_, w)| w.released_at.is_some()).count() as u64
				== queued,
			"released withdrawal not queued for pruning"
		);
		for (nonce, votes) in ReleaseVotes::<T>::iter() {
			let w = Withdrawals::<T>::get(nonce).ok_or("release votes of no withdrawal")?;
			ensure!(w.released_at.is_none(), "release votes of a released withdrawal");
			Self::check_votes(&votes)?;
		}
		for (_, votes) in RateTallies::<T>::iter() {
			Self::check_votes(&votes)?;
		}
		Ok(())
	}

	/// Every candidate backed, by its own attesters, none backing two.
	fn check_votes<M>(
		votes: &Votes<M, T::MaxAttesters>,
	) -> Result<(), sp_runtime::TryRuntimeError> {
		let mut seen = 0u64;
		for c in &votes.candidates {
			ensure!(c.signers != 0, "unbacked candidate kept");
			ensure!(seen & c.signers == 0, "an attester backs two candidates");
			ensure!(c.set_id == votes.set_id, "candidate of another attester set");
			seen |= c.signers;
		}
		Ok(())
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
					votes.back(index, *report, digest).ok_or(Error::<T>::BadAttesterSet)?;
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
		let signer = recover(signature, digest).ok_or(Error::<T>::BadSignature)?;
		let index = set.index_of(&signer).ok_or(Error::<T>::NotAttester)?;
		Ok((signer, index))
	}

	/// Halt `nonce`: attesters signed `digest_a` and `digest_b` for it.
	fn halt(nonce: BridgeNonce, digest_a: [u8; 32], digest_b: [u8; 32]) {
		DepositTallies::<T>::remove(nonce);
		Halted::<T>::insert(nonce, (digest_a, digest_b));
		Pallet::<T>::deposit_event(Event::NonceHalted { nonce, digest_a, digest_b });
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
