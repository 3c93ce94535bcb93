//! Every invariant of the pallet, one `check_*` per concern, run after each test and by
//! `try-runtime`.
//!
//! Compiled with `std` as well as `try-runtime`: the runtime's native integration tests check
//! it without turning on `try-runtime` (which would change the wasm the node embeds); the wasm
//! runtime leaves it out.
#![cfg(any(feature = "std", feature = "try-runtime"))]

use crate::{pallet::*, types::*};
use frame_support::{pallet_prelude::*, traits::fungibles::Inspect};
use kasane_primitives::bridge::{quorum_of, WithdrawalOrigin};
use sp_runtime::TryRuntimeError;

impl<T: Config> Pallet<T> {
	/// The bridge's invariants.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		Self::check_attesters_and_rotations()?;
		Self::check_tokens()?;
		Self::check_deposits()?;
		Self::check_withdrawals()?;
		Self::check_release_queue()?;
		Self::check_tallies()?;
		Self::check_headers()?;
		Self::check_beacon()
	}

	/// The fork schedule the light client verifies under activates its forks in order.
	fn check_beacon() -> Result<(), TryRuntimeError> {
		ensure!(
			BeaconForks::<T>::get().is_none_or(|s| s.is_ordered()),
			"the beacon fork schedule activates a fork before the one it follows"
		);
		Ok(())
	}

	/// Trusted headers: each number and hash maps to the other, each in a ring slot, never a
	/// zero root, no more than the ring holds; contradictions of trusted headers only. Header
	/// tallies: under the current set, below
	/// the quorum, at numbers neither trusted nor halted, none empty, and each
	/// attester's open count is the number of them it signed, within the bound; halts within
	/// theirs.
	fn check_headers() -> Result<(), TryRuntimeError> {
		let capacity = T::MaxTrustedHeaders::get();
		let trusted = TrustedHeaders::<T>::count();
		ensure!(trusted <= capacity, "more trusted headers than the ring holds");
		ensure!(TrustedRingNext::<T>::get() < capacity, "ring cursor out of the ring");
		let mut numbers = 0u32;
		for (number, hash) in TrustedNumbers::<T>::iter() {
			numbers += 1;
			let header = TrustedHeaders::<T>::get(hash).ok_or("trusted number without header")?;
			ensure!(header.number == number, "trusted header under another number");
			ensure!(!header.receipts_root.is_zero(), "zero receipts root trusted");
		}
		ensure!(numbers == trusted, "trusted headers and numbers differ");
		let mut ring = 0u32;
		for (slot, number) in TrustedRing::<T>::iter() {
			ensure!(slot < capacity, "ring slot out of the ring");
			ring += u32::from(TrustedNumbers::<T>::contains_key(number));
		}
		ensure!(ring == trusted, "a trusted header outside the ring");
		for (number, record) in HeaderContradictions::<T>::iter() {
			ensure!(
				TrustedNumbers::<T>::contains_key(number),
				"header contradiction kept past its trusted header"
			);
			ensure!(!record.attesters.is_empty(), "header contradiction naming nobody");
			ensure!(record.odd != record.accepted, "header contradiction of the trusted header");
		}

		ensure!(
			HaltedHeaders::<T>::count() <= T::MaxHaltedHeaders::get(),
			"more halted headers than the bound"
		);
		let Some(set) = Attesters::<T>::get() else { return Ok(()) };
		let mut counts = [0u32; 64];
		let open = Self::open_headers(set.id);
		for (number, DatedHeaderTally { tally, .. }) in HeaderTallies::<T>::iter() {
			if tally.set_id != set.id {
				continue;
			}
			ensure!(!tally.candidates.is_empty(), "empty header tally");
			ensure!(!TrustedNumbers::<T>::contains_key(number), "tally of a trusted number");
			ensure!(!HaltedHeaders::<T>::contains_key(number), "tally of a halted number");
			let mut seen = 0u64;
			for candidate in tally.candidates.iter() {
				ensure!(candidate.message.number == number, "header tallied under another number");
				ensure!(candidate.count() < set.quorum, "header at quorum still tallied");
				ensure!(seen & candidate.signers == 0, "attester on two headers of a number");
				seen |= candidate.signers;
			}
			for (index, count) in counts.iter_mut().enumerate() {
				*count += u32::from(seen & (1u64 << index) != 0);
			}
		}
		for (index, count) in counts.iter().enumerate() {
			ensure!(u32::from(open.counts[index]) == *count, "open header count off");
			ensure!(*count <= T::MaxOpenHeaders::get(), "too many open headers");
		}
		Ok(())
	}

	/// The attester set is sorted with a quorum in range; a hand-over is of the current set,
	/// signed by its members, and only one is in flight.
	fn check_attesters_and_rotations() -> Result<(), TryRuntimeError> {
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
		Ok(())
	}

	/// Each token mirrors an existing asset one to one, within its cap, never with more
	/// supply than the vault locks.
	fn check_tokens() -> Result<(), TryRuntimeError> {
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
		Ok(())
	}

	/// Waiting, halted and tallied deposit nonces are where the nonce window says.
	fn check_deposits() -> Result<(), TryRuntimeError> {
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
		Ok(())
	}

	/// Withdrawals and refunds are numbered within the issued nonces and consistent.
	fn check_withdrawals() -> Result<(), TryRuntimeError> {
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
		Ok(())
	}

	/// The released queue holds exactly the released withdrawals, in release order.
	fn check_release_queue() -> Result<(), TryRuntimeError> {
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
		Ok(())
	}

	/// Release and rate votes are well formed.
	fn check_tallies() -> Result<(), TryRuntimeError> {
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
	pub(crate) fn check_votes<M>(votes: &Votes<M, T::MaxAttesters>) -> Result<(), TryRuntimeError> {
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
