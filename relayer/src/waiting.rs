//! Deposits Kasane accepted but holds back, minted once they can move on.
//!
//! A deposit accepted while the bridge was paused, over its token's cap, unmintable for its
//! recipient, or above the 24-hour mint limit waits in `LstBridge.Waiting` until someone calls
//! `retry_deposit`. Relayers do, so that depositors need not: each step asks Kasane
//! (`LstBridgeApi.retryable_deposits`, a page at a time) which waiting deposits a retry would
//! move on in the next block (mint, or start the delay of one parked for another reason) and
//! retries them.
//!
//! A retry that moves a deposit on is free; one that is refused is paid for, and every relayer
//! sees the same list: the deposit's designated relayer retries it at once, the others in turn
//! after a grace ([`crate::turns`]). Retries are submitted together, at most
//! [`MAX_RETRIES_PER_STEP`] a step. A retry Kasane refused (the chain moved between the list
//! and the block) waits [`REFUSAL_WAIT`].

use crate::turns::{Seat, TurnTaking};
use std::time::{Duration, Instant};

/// How long a deposit whose retry Kasane refused waits before it is retried again.
pub const REFUSAL_WAIT: Duration = Duration::from_secs(60);

/// A deposit not listed for this long is forgotten (it was minted, or cancelled, or is held
/// back again), so that its wait starts anew if it is listed again. Far longer than a walk
/// through the list and the turns of the first ranks, even with slow steps (each waits up to
/// twice `SUBMIT_TIMEOUT` for its submissions): forgetting a deposit still listed would start
/// its wait again and again, and no relayer but its designated one would ever retry it.
const FORGET_AFTER: Duration = Duration::from_secs(600);

/// Waiting deposits looked at per `retryable_deposits` call (the runtime's bound).
pub const SCAN: u32 = 1_000;

/// Pages read per step: with the cursor kept between steps, a longer list is walked through
/// over several steps.
pub const PAGES_PER_STEP: usize = 4;

/// Most retries submitted per step, together (they can share a block): a backlog after a
/// pause is worked through over several steps without holding up the relayer's other duties.
pub const MAX_RETRIES_PER_STEP: usize = 64;

/// What the relayer remembers of retryable deposits between steps.
pub struct Retrier {
	/// Where the next `retryable_deposits` page starts (`None`: at the beginning).
	pub cursor: Option<u64>,
	turns: TurnTaking,
}

impl Default for Retrier {
	fn default() -> Self {
		Self { cursor: None, turns: TurnTaking::new(REFUSAL_WAIT, FORGET_AFTER) }
	}
}

impl Retrier {
	/// Of the deposits Kasane just listed as retryable, those this relayer (at `seat`, if it
	/// is an attester) retries now.
	pub fn due(&mut self, listed: &[u64], seat: Option<Seat>, now: Instant) -> Vec<u64> {
		self.turns.due(listed, seat, now)
	}

	/// The retry of `nonce` went through, or it was not waiting any more.
	pub fn settled(&mut self, nonce: u64) {
		self.turns.settled(nonce);
	}

	/// Kasane refused the retry of `nonce`.
	pub fn refused(&mut self, nonce: u64) {
		self.turns.refused(nonce);
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::turns::{GRACE, OUTSIDER_GRACES};

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
		// Without a seat, a deposit listed step after step waits its turn; not listed for a
		// while, it is forgotten and its wait starts again when it is listed anew.
		let mut unseated = Retrier::default();
		let wait = GRACE * OUTSIDER_GRACES;
		let listed_until = |retrier: &mut Retrier, from: Instant| {
			let mut at = from;
			while at < from + wait {
				assert!(retrier.due(&[7], None, at).is_empty(), "not its turn yet");
				at += GRACE / 2;
			}
			retrier.due(&[7], None, from + wait)
		};
		assert_eq!(listed_until(&mut unseated, start), vec![7]);
		let gone = start + wait + FORGET_AFTER;
		assert!(unseated.due(&[], None, gone).is_empty());
		assert_eq!(listed_until(&mut unseated, gone), vec![7], "its wait started anew");
	}
}
