//! Deposits Kasane accepted but holds back, minted once they can move on.
//!
//! A deposit accepted while the bridge was paused, over its token's cap, unmintable for its
//! recipient, or above the 24-hour mint limit waits in `LstBridge.Waiting` until someone calls
//! `retry_deposit`. Relayers do, so that depositors need not: each step asks Kasane
//! (`LstBridgeApi.retryable_deposits`, a page at a time) which waiting deposits a retry would
//! move on in the next block (mint, or start the delay of one parked for another reason) and
//! retries them.
//!
//! Each retry is paid by its sender, and every relayer sees the same list. So that one fee is
//! paid per retry, a deposit has one designated retrier, the attester at index `nonce` modulo
//! the set's size; the others, and relayers that are not attesters, retry it only once it has
//! been retryable for [`GRACE`], so a designated relayer that is down holds nothing up. A retry
//! Kasane refused (the chain moved between the list and the block) waits [`REFUSAL_WAIT`].

use crate::refusals::Refusals;
use std::{
	collections::BTreeMap,
	time::{Duration, Instant},
};

/// How long a deposit stays retryable before relayers other than its designated one retry it.
pub const GRACE: Duration = Duration::from_secs(30);

/// How long a deposit whose retry Kasane refused waits before it is retried again.
pub const REFUSAL_WAIT: Duration = Duration::from_secs(60);

/// A deposit not listed for this long is forgotten (it was minted, or cancelled, or is held
/// back again): the list is walked through far more often than that.
const FORGET_AFTER: Duration = Duration::from_secs(600);

/// Waiting deposits looked at per `retryable_deposits` call (the runtime's bound).
pub const SCAN: u32 = 1_000;

/// Pages read per step: with the cursor kept between steps, a longer list is walked through
/// over several steps.
pub const PAGES_PER_STEP: usize = 4;

/// This relayer's place among the attesters: its index and the set's size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seat {
	pub index: usize,
	pub of: usize,
}

impl Seat {
	/// Whether this seat is `nonce`'s designated retrier.
	pub fn designated(&self, nonce: u64) -> bool {
		self.of > 0 && nonce % self.of as u64 == self.index as u64
	}
}

/// What the relayer remembers of retryable deposits between steps.
pub struct Retrier {
	/// Where the next `retryable_deposits` page starts (`None`: at the beginning).
	pub cursor: Option<u64>,
	/// Per retryable deposit: when it was first and last listed.
	listed: BTreeMap<u64, (Instant, Instant)>,
	refused: Refusals,
}

impl Default for Retrier {
	fn default() -> Self {
		Self { cursor: None, listed: BTreeMap::new(), refused: Refusals::new(REFUSAL_WAIT) }
	}
}

impl Retrier {
	/// Of the deposits Kasane just listed as retryable, those this relayer (at `seat`, if it
	/// is an attester) retries now.
	pub fn due(&mut self, listed: &[u64], seat: Option<Seat>, now: Instant) -> Vec<u64> {
		self.listed.retain(|_, (_, last)| now.saturating_duration_since(*last) < FORGET_AFTER);
		let mut due = Vec::new();
		for &nonce in listed {
			let (first, last) = self.listed.entry(nonce).or_insert((now, now));
			*last = now;
			let designated = seat.is_some_and(|seat| seat.designated(nonce));
			let overdue = now.saturating_duration_since(*first) >= GRACE;
			if (designated || overdue) && !self.refused.holds_back(nonce) {
				due.push(nonce);
			}
		}
		due
	}

	/// The retry of `nonce` went through, or it was not waiting any more.
	pub fn settled(&mut self, nonce: u64) {
		self.listed.remove(&nonce);
		self.refused.accepted(nonce);
	}

	/// Kasane refused the retry of `nonce`.
	pub fn refused(&mut self, nonce: u64) {
		self.refused.refused(nonce);
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn each_deposit_has_one_designated_retrier_and_the_others_step_in_after_the_grace() {
		let start = Instant::now();
		let seats: Vec<Seat> = (0..3).map(|index| Seat { index, of: 3 }).collect();
		let mut retriers: Vec<Retrier> = (0..4).map(|_| Retrier::default()).collect();
		let listed = [3, 4, 5, 9];
		// Attester i retries the nonces equal to i modulo 3; the relayer without a seat none.
		let due: Vec<Vec<u64>> = retriers
			.iter_mut()
			.enumerate()
			.map(|(i, r)| r.due(&listed, seats.get(i).copied(), start))
			.collect();
		assert_eq!(due, vec![vec![3, 9], vec![4], vec![5], vec![]]);
		// Every nonce has exactly one designated retrier.
		for nonce in 0..100u64 {
			assert_eq!(seats.iter().filter(|s| s.designated(nonce)).count(), 1);
		}
		// Just before the grace nothing changes; from it on everyone retries what is left.
		let almost = start + GRACE - Duration::from_millis(1);
		assert_eq!(retriers[3].due(&listed, None, almost), Vec::<u64>::new());
		let later = start + GRACE;
		assert_eq!(retriers[3].due(&listed, None, later), vec![3, 4, 5, 9]);
		assert_eq!(retriers[1].due(&listed, Some(seats[1]), later), vec![3, 4, 5, 9]);
		// A deposit listed anew starts its own grace.
		assert_eq!(retriers[3].due(&[12], None, later), Vec::<u64>::new());
	}

	#[test]
	fn refused_retries_wait_and_settled_or_unlisted_deposits_are_forgotten() {
		let start = Instant::now();
		let seat = Some(Seat { index: 0, of: 1 });
		let mut retrier = Retrier::default();
		assert_eq!(retrier.due(&[1, 2], seat, start), vec![1, 2]);
		retrier.refused(1);
		retrier.settled(2);
		assert_eq!(retrier.due(&[1, 2], seat, start), vec![2], "1 waits after its refusal");
		retrier.settled(1);
		assert_eq!(retrier.due(&[1], seat, start), vec![1], "settled clears the refusal");
		// Not listed for a while: forgotten, so its grace starts again when listed.
		let mut unseated = Retrier::default();
		assert!(unseated.due(&[7], None, start).is_empty());
		let gone = start + FORGET_AFTER + GRACE;
		assert!(unseated.due(&[], None, gone).is_empty());
		assert!(unseated.due(&[7], None, gone).is_empty(), "its grace starts anew");
		assert_eq!(unseated.due(&[7], None, gone + GRACE), vec![7]);
		// A seat in an empty set designates nothing.
		assert!(!Seat { index: 0, of: 0 }.designated(0));
	}
}
