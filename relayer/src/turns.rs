//! Whose turn it is to pay for a call any relayer could make (mint a waiting deposit, prove a
//! deposit): every relayer sees the same work, and each call after the first fails and is paid
//! for all the same.
//!
//! So one relayer per item goes at once: the attester at index `key` modulo the attester set's
//! size (its [`Seat`]). The next attester (index `key + 1` modulo the size) steps in if the item
//! is still ready after [`GRACE`], the one after it after twice that, and so on; relayers that
//! are not attesters after [`OUTSIDER_GRACES`] graces (with the attesters ranked that far or
//! further). A designated relayer that is down or behind holds nothing up for long, and those
//! who step in for it rarely go at once.

use crate::refusals::Refusals;
use sp_core::H160;
use std::{
	collections::BTreeMap,
	time::{Duration, Instant},
};

/// How long an item stays ready before the next relayer in line takes it.
pub const GRACE: Duration = Duration::from_secs(30);

/// Graces a relayer that is not an attester lets pass before it takes an item.
pub const OUTSIDER_GRACES: u32 = 4;

/// A relayer's place among the attesters: its index in the (sorted) set and the set's size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seat {
	pub index: usize,
	pub of: usize,
}

impl Seat {
	/// `me`'s seat in the attester set `members`, if it is one of them.
	pub fn of(members: &[H160], me: &H160) -> Option<Self> {
		let index = members.iter().position(|m| m == me)?;
		Some(Self { index, of: members.len() })
	}

	/// Whether this seat goes first for `key`.
	pub fn designated(&self, key: u64) -> bool {
		self.rank(key) == Some(0)
	}

	/// This seat's place in line for `key`: 0 goes first.
	pub fn rank(&self, key: u64) -> Option<u32> {
		let of = self.of as u64;
		(of > 0).then(|| ((self.index as u64 + of - key % of) % of) as u32)
	}
}

/// The items this relayer saw ready: when first and last.
#[derive(Default)]
pub struct Turns {
	ready: BTreeMap<u64, (Instant, Instant)>,
}

impl Turns {
	/// Whether this relayer (at `seat`, if it is an attester) makes the call for `key`, which is
	/// ready at `now`.
	pub fn mine(&mut self, key: u64, seat: Option<Seat>, now: Instant) -> bool {
		let (first, last) = self.ready.entry(key).or_insert((now, now));
		*last = now;
		let graces = seat.and_then(|seat| seat.rank(key)).unwrap_or(OUTSIDER_GRACES);
		now.saturating_duration_since(*first) >= GRACE * graces
	}

	/// `key` is done (or gone).
	pub fn forget(&mut self, key: u64) {
		self.ready.remove(&key);
	}

	/// Forget the items `keep` does not keep.
	pub fn retain(&mut self, keep: impl Fn(u64) -> bool) {
		self.ready.retain(|key, _| keep(*key));
	}

	/// Forget the items not seen ready for `unseen`: if one is ready again, its grace starts anew.
	pub fn forget_unseen(&mut self, unseen: Duration, now: Instant) {
		self.ready.retain(|_, (_, last)| now.saturating_duration_since(*last) < unseen);
	}
}

/// Items any relayer could act on (keyed by a `u64`), taken by turns: each is due when it is
/// this relayer's turn and Kasane has not refused it lately. An item not listed for
/// `forget_after` is forgotten, so that its wait starts anew if it is listed again.
pub struct TurnTaking {
	turns: Turns,
	refused: Refusals,
	forget_after: Duration,
}

impl TurnTaking {
	/// A refused item waits `refusal_wait` before it is due again.
	pub fn new(refusal_wait: Duration, forget_after: Duration) -> Self {
		Self { turns: Turns::default(), refused: Refusals::new(refusal_wait), forget_after }
	}

	/// Of the items just `listed`, those this relayer (at `seat`, if it is an attester) acts
	/// on now.
	pub fn due(&mut self, listed: &[u64], seat: Option<Seat>, now: Instant) -> Vec<u64> {
		self.turns.forget_unseen(self.forget_after, now);
		listed
			.iter()
			.copied()
			.filter(|key| self.turns.mine(*key, seat, now) && !self.refused.holds_back(*key))
			.collect()
	}

	/// The call for `key` went through, or it no longer needs one.
	pub fn settled(&mut self, key: u64) {
		self.turns.forget(key);
		self.refused.accepted(key);
	}

	/// Kasane refused the call for `key`.
	pub fn refused(&mut self, key: u64) {
		self.refused.refused(key);
	}

	/// Kasane refused the call for `key` for a reason that lasts: it waits `wait`.
	pub fn refused_for(&mut self, key: u64, wait: Duration) {
		self.refused.refused_for(key, wait);
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn each_item_has_one_designated_relayer_and_the_others_step_in_one_grace_apart() {
		let start = Instant::now();
		let members: Vec<H160> = (1..=3).map(H160::repeat_byte).collect();
		let seats: Vec<Option<Seat>> = members.iter().map(|m| Seat::of(&members, m)).collect();
		assert_eq!(seats[2], Some(Seat { index: 2, of: 3 }));
		assert_eq!(Seat::of(&members, &H160::repeat_byte(9)), None);
		// Every key puts each seat at its own place in line, the designated one first.
		for key in 0..100u64 {
			let mut ranks: Vec<u32> = seats.iter().flatten().filter_map(|s| s.rank(key)).collect();
			ranks.sort();
			assert_eq!(ranks, vec![0, 1, 2]);
			assert_eq!(seats.iter().flatten().filter(|s| s.designated(key)).count(), 1);
		}
		assert_eq!(seats[1].unwrap().rank(0), Some(1), "the next index is next in line");
		assert_eq!(Seat { index: 0, of: 0 }.rank(0), None, "an empty set ranks nobody");
		// Attester i takes the keys equal to i modulo 3 at once; a relayer without a seat none.
		let mut turns: Vec<Turns> = (0..4).map(|_| Turns::default()).collect();
		let keys = [3, 4, 5, 9];
		let mine = |turns: &mut Turns, seat: Option<Seat>, at: Instant| -> Vec<u64> {
			keys.into_iter().filter(|key| turns.mine(*key, seat, at)).collect()
		};
		let taken: Vec<Vec<u64>> =
			(0..4).map(|i| mine(&mut turns[i], seats.get(i).copied().flatten(), start)).collect();
		assert_eq!(taken, vec![vec![3, 9], vec![4], vec![5], vec![]]);
		// After one grace the next in line steps in, after two the one after it; then outsiders.
		let almost = start + GRACE - Duration::from_millis(1);
		assert_eq!(mine(&mut turns[1], seats[1], almost), vec![4]);
		assert_eq!(mine(&mut turns[1], seats[1], start + GRACE), vec![3, 4, 9]);
		assert_eq!(mine(&mut turns[1], seats[1], start + GRACE * 2), keys.to_vec());
		let outsiders = start + GRACE * OUTSIDER_GRACES;
		assert_eq!(
			mine(&mut turns[3], None, outsiders - Duration::from_millis(1)),
			Vec::<u64>::new()
		);
		assert_eq!(mine(&mut turns[3], None, outsiders), keys.to_vec());
		// An item seen anew, or forgotten and seen again, starts its own wait.
		assert!(!turns[3].mine(12, None, outsiders));
		turns[3].forget(3);
		assert!(!turns[3].mine(3, None, outsiders));
		turns[3].retain(|key| key != 4);
		assert!(!turns[3].mine(4, None, outsiders));
		assert!(turns[3].mine(5, None, outsiders), "kept");
		// Not seen ready for a while: forgotten.
		let later = outsiders + Duration::from_secs(10);
		turns[3].forget_unseen(Duration::from_secs(10), later);
		assert!(!turns[3].mine(5, None, later));
	}
}
