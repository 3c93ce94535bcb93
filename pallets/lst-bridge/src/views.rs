//! What the runtime API reports: rates, deposits, withdrawals and attester sets.

use crate::rates::RATE_UNIT;
use crate::{pallet::*, types::*};
use alloc::collections::btree_map::BTreeMap;
use frame_support::{pallet_prelude::*, traits::UnixTime};
use frame_system::pallet_prelude::BlockNumberFor;
use kasane_primitives::{
	avs::{OperatorKey, OperatorSetMembers},
	bridge::{
		eth_address_of_compressed, AttesterSetView, BridgeNonce, DepositStatus, EthAddress,
		EthWithdrawalView, HeaderStatus, RateView, RotationView,
	},
	restaking::OperatorSetId,
};
use sp_core::H256;
use sp_runtime::traits::{One, SaturatedConversion, Saturating, UniqueSaturatedInto};

/// Most outbound nonces `unsigned_withdrawals` looks at per call.
const MAX_WITHDRAWAL_SCAN: u64 = 1_000;

/// Most waiting deposits `retryable_deposits` looks at per call.
const MAX_WAITING_SCAN: u32 = 1_000;

impl<T: Config> Pallet<T> {
	// ---- views (LstBridgeApi) ----

	/// The registered key of the operator `set` may still slash whose Ethereum address is
	/// `attester`, for a report of a recorded contradiction. It walks the set's memberships,
	/// departed ones included: a view, not for calls.
	pub fn attester_key(
		set: &OperatorSetId,
		attester: &EthAddress,
	) -> Option<sp_core::ecdsa::Public> {
		T::OperatorSets::slashable_keys(set).into_iter().find_map(|key| match key {
			OperatorKey::Ecdsa(key) if eth_address_of_compressed(&key.0) == Some(*attester) => {
				Some(key)
			}
			_ => None,
		})
	}

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

	/// Whether only proven messages are acted on.
	pub fn proofs_required() -> bool {
		!Policy::<T>::get().takes_attestations()
	}

	/// Where the header of Ethereum block `number` stands.
	pub fn header_status(number: u64) -> HeaderStatus {
		if HaltedHeaders::<T>::contains_key(number) {
			return HeaderStatus::Halted;
		}
		if let Some(hash) = TrustedNumbers::<T>::get(number) {
			if let Some(header) = TrustedHeaders::<T>::get(hash) {
				return HeaderStatus::Trusted { hash, receipts_root: header.receipts_root };
			}
		}
		let Some(set) = Attesters::<T>::get() else { return HeaderStatus::Unknown };
		match HeaderTallies::<T>::get(number).map(|o| o.tally).filter(|t| t.set_id == set.id) {
			None => HeaderStatus::Unknown,
			Some(tally) => HeaderStatus::Attesting {
				candidates: tally
					.candidates
					.iter()
					.map(|c| {
						let signers = (0..set.members.len() as u32)
							.filter(|i| c.has(*i))
							.map(|i| set.members[i as usize])
							.collect();
						(c.message.hash, signers)
					})
					.collect(),
				quorum: set.quorum,
			},
		}
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

	/// The waiting deposits that `retry_deposit` in the next block would move on: mint, or,
	/// for one parked while the bridge was paused, over the cap or unmintable, delay under the
	/// 24-hour limit (which starts its delay). Each is judged on its own: of two that each fit
	/// under the cap but not together, the second retry fails. It looks at up to `scan` (at
	/// least 1, at most 1 000) of them in storage order, after `after`'s entry (which need not
	/// wait any more), and returns with them the nonce to go on after, while it stopped short
	/// of the end.
	pub fn retryable_deposits(
		after: Option<BridgeNonce>,
		scan: u32,
	) -> (alloc::vec::Vec<BridgeNonce>, Option<BridgeNonce>) {
		let next_block = Self::now().saturating_add(One::one());
		let mut waiting = match after {
			Some(nonce) => Waiting::<T>::iter_from(Waiting::<T>::hashed_key_for(nonce)),
			None => Waiting::<T>::iter(),
		}
		.peekable();
		let mut retryable = alloc::vec::Vec::new();
		let mut last = None;
		for _ in 0..scan.clamp(1, MAX_WAITING_SCAN) {
			let Some((nonce, deposit)) = waiting.next() else { break };
			last = Some(nonce);
			if let Ok((_, None | Some(WaitReason::Delayed { .. }))) =
				Self::retry_blocker(&deposit, next_block)
			{
				retryable.push(nonce);
			}
		}
		let more = waiting.peek().is_some();
		(retryable, last.filter(|_| more))
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

	pub(crate) fn rotation_view(
		rotation: Rotation<T::MaxAttesters>,
		ready: bool,
	) -> Option<RotationView> {
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
}
