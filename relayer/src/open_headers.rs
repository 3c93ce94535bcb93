//! This attester's room for header attestations, so that Kasane never refuses one for want of
//! it.
//!
//! Each attester may have `LstBridge::MaxOpenHeaders` header signatures waiting for a quorum
//! (`LstBridge::OpenHeaderCounts`); past that Kasane refuses the next one with
//! `TooManyOpenHeaders`, and the refusal pays. While the other attesters are down, a relayer
//! proving deposits would reach the bound and then pay a refusal for every further block. So it
//! reads its count before signing, signs at most the room left, and waits for a quorum to
//! settle some (the others back) when there is none. The signature that completes a quorum
//! takes no room (Kasane takes it even at the bound), so it is given all the same, unless the
//! attester is struck for the set (Kasane then refuses all its header signatures).
//!
//! A tally that never reaches a quorum (the others signed another header, or never the block)
//! holds its place until anyone drops it, `LstBridge::HeaderTallyExpiry` blocks after it was
//! opened. When out of room, the relayer drops its own expired tallies (free when it drops
//! one), looking for them at most every [`SCAN_EVERY`]; the other signers of a tally may be
//! out of room too, so each tally is dropped by turns ([`crate::turns`]).

use crate::{
	kasane::{BridgeCall, Kasane, OpenHeaders, OpenTally, Outcome},
	refusals::Refusals,
	turns::{Seat, TurnTaking},
};
use anyhow::Result;
use std::time::{Duration, Instant};
use tracing::{info, warn};

/// How often an attester out of room looks for its expired tallies.
pub const SCAN_EVERY: Duration = Duration::from_secs(60);

/// Header tallies read per page while looking for expired ones.
pub const PAGE: u32 = 512;

/// How long a header whose attestation Kasane refused waits before it is signed again, so
/// that fees are not paid every step.
pub const HEADER_RETRY: Duration = Duration::from_secs(60);

/// What this attester may sign of headers: the room its bound leaves, and the numbers Kasane
/// refused lately.
pub struct HeaderBudget {
	room: u32,
	/// Struck for the attester set: no header signature of it counts until the set changes.
	struck: bool,
	refused: Refusals,
	/// When it last looked for its expired tallies.
	scanned_at: Option<Instant>,
	/// Whose turn it is to drop an expired tally.
	drops: TurnTaking,
}

impl Default for HeaderBudget {
	fn default() -> Self {
		Self {
			room: u32::MAX,
			struck: false,
			refused: Refusals::new(HEADER_RETRY),
			scanned_at: None,
			drops: TurnTaking::new(HEADER_RETRY, SCAN_EVERY * 4),
		}
	}
}

impl HeaderBudget {
	/// Read the room this attester (at `seat` of set `set_id`) has; out of room, drop its
	/// expired tallies first (at most every [`SCAN_EVERY`]).
	pub async fn refresh(&mut self, kasane: &Kasane, set_id: u32, seat: Seat) -> Result<()> {
		let Some((max, expiry)) = kasane.open_headers else {
			// A runtime without the bound: Kasane's refusals alone hold headers back.
			self.room = u32::MAX;
			self.struck = false;
			return Ok(());
		};
		let had_room = self.room > 0;
		let counts = kasane.open_header_counts().await?;
		self.struck = struck(counts.as_ref(), set_id, seat.index);
		self.room = room(counts.as_ref(), set_id, seat.index, max);
		if self.room > 0 || self.scanned_at.is_some_and(|at| at.elapsed() < SCAN_EVERY) {
			return Ok(());
		}
		self.scanned_at = Some(Instant::now());
		let now = kasane.best_number().await?;
		let tallies = kasane.header_tallies(PAGE).await?;
		let stale = expired(&tallies, set_id, seat.index, now, expiry);
		let stale = self.drops.due(&stale, Some(seat), Instant::now());
		if stale.is_empty() {
			if had_room {
				warn!(
					max,
					"at the bound of header attestations waiting for a quorum: no header is \
					 signed until the other attesters sign some of them"
				);
			}
			return Ok(());
		}
		let calls = stale.iter().map(|n| BridgeCall::drop_header_tally(*n)).collect();
		for (&number, outcome) in stale.iter().zip(kasane.submit_all(calls).await) {
			match outcome {
				Ok(Outcome::Done) => {
					info!(number, "expired header tally dropped");
					self.drops.settled(number);
					self.room += 1;
				}
				// Another signer dropped it first.
				Ok(Outcome::Failed(e)) if e.is_bridge_error("NoHeaderTally") => {
					self.drops.settled(number);
					self.room += 1;
				}
				Ok(Outcome::Failed(e)) => {
					warn!(number, error = %e, "header tally not dropped");
					self.drops.refused(number);
				}
				Err(e) => {
					warn!(number, error = %e, "header tally drop not included");
					self.drops.refused(number);
				}
			}
		}
		Ok(())
	}

	/// Whether the header of block `number` waits: refused lately, or no room for it (a
	/// signature that `completes` a quorum needs none).
	pub fn holds_back(&mut self, number: u64, completes: bool) -> bool {
		self.struck || (self.room == 0 && !completes) || self.refused.holds_back(number)
	}

	/// The attestation of block `number`'s header was included; unless it `completes` a quorum,
	/// it takes room (one that completed a quorum at the same time as another signature is
	/// counted as taking some until the next read).
	pub fn signed(&mut self, number: u64, completes: bool) {
		if !completes {
			self.room = self.room.saturating_sub(1);
		}
		self.refused.accepted(number);
	}

	/// Kasane refused it; `full`: for want of room.
	pub fn refused(&mut self, number: u64, full: bool) {
		if full {
			self.room = 0;
		}
		self.refused.refused(number);
	}

	/// Kasane had it settled already (trusted, halted).
	pub fn settled(&mut self, number: u64) {
		self.refused.accepted(number);
	}
}

/// How many more headers attester `index` of set `set_id` may sign before Kasane refuses,
/// with `counts` the open attestations Kasane holds and `max` its bound.
pub fn room(counts: Option<&OpenHeaders>, set_id: u32, index: usize, max: u32) -> u32 {
	let Some(counts) = counts.filter(|c| c.set_id == set_id) else {
		// None under this set: the counts of an earlier one do not count.
		return max;
	};
	if index >= 64 || counts.struck & (1u64 << index) != 0 {
		// A struck attester's header signatures are refused until the set changes.
		return 0;
	}
	max.saturating_sub(u32::from(counts.counts[index]))
}

/// Whether attester `index` of set `set_id` is struck: Kasane refuses its header signatures.
pub fn struck(counts: Option<&OpenHeaders>, set_id: u32, index: usize) -> bool {
	counts.is_some_and(|c| c.set_id == set_id && index < 64 && c.struck & (1u64 << index) != 0)
}

/// The block numbers of the tallies attester `index` of set `set_id` signed that anyone may drop
/// at Kasane block `now`: opened `expiry` blocks ago or more.
pub fn expired(
	tallies: &[OpenTally],
	set_id: u32,
	index: usize,
	now: u32,
	expiry: u32,
) -> Vec<u64> {
	tallies
		.iter()
		.filter(|t| {
			t.set_id == set_id
				&& index < 64
				&& t.signers & (1u64 << index) != 0
				&& now >= t.opened.saturating_add(expiry)
		})
		.map(|t| t.number)
		.collect()
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn room_is_what_the_bound_leaves_under_the_set_in_force() {
		let mut counts = OpenHeaders { set_id: 3, counts: [0; 64], struck: 0 };
		counts.counts[2] = 30;
		assert_eq!(room(Some(&counts), 3, 2, 32), 2);
		assert_eq!(room(Some(&counts), 3, 1, 32), 32);
		counts.counts[2] = 32;
		assert_eq!(room(Some(&counts), 3, 2, 32), 0);
		assert_eq!(room(Some(&counts), 4, 2, 32), 32, "an earlier set's counts do not count");
		assert_eq!(room(None, 4, 2, 32), 32);
		counts.struck = 1 << 1;
		assert_eq!(room(Some(&counts), 3, 1, 32), 0, "struck: nothing is taken");
		assert!(struck(Some(&counts), 3, 1));
		assert!(!struck(Some(&counts), 3, 2));
		assert!(!struck(Some(&counts), 4, 1), "struck under an earlier set only");
		assert!(!struck(None, 3, 1));
	}

	#[test]
	fn only_this_attesters_tallies_of_the_set_in_force_expire() {
		let tally = |number, set_id, signers, opened| OpenTally { number, set_id, signers, opened };
		let tallies = [
			tally(10, 3, 0b101, 100),
			tally(11, 3, 0b001, 150),
			tally(12, 3, 0b010, 0),
			tally(13, 2, 0b001, 0),
		];
		assert!(expired(&tallies, 3, 0, 199, 100).is_empty(), "10 expires at 200");
		assert_eq!(expired(&tallies, 3, 0, 249, 100), vec![10], "11 at 250");
		assert_eq!(expired(&tallies, 3, 0, 250, 100), vec![10, 11]);
		assert_eq!(expired(&tallies, 3, 2, 250, 100), vec![10]);
		assert!(expired(&tallies, 3, 3, 10_000, 100).is_empty(), "it signed none");
	}
}
