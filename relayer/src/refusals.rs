//! What Kasane refused lately, so that a call it refused is not paid for again every step.

use std::{
	collections::BTreeMap,
	time::{Duration, Instant},
};

/// Keys (block numbers, slots) whose call Kasane refused, each held back for `wait`.
pub struct Refusals {
	wait: Duration,
	at: BTreeMap<u64, Instant>,
}

impl Refusals {
	pub fn new(wait: Duration) -> Self {
		Self { wait, at: BTreeMap::new() }
	}

	/// Whether `key` was refused less than `wait` ago; forgets the refusals older than that.
	pub fn holds_back(&mut self, key: u64) -> bool {
		let wait = self.wait;
		self.at.retain(|_, at| at.elapsed() < wait);
		self.at.contains_key(&key)
	}

	pub fn refused(&mut self, key: u64) {
		self.at.insert(key, Instant::now());
	}

	pub fn accepted(&mut self, key: u64) {
		self.at.remove(&key);
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn a_refusal_holds_its_key_back_for_the_wait_only() {
		let mut refusals = Refusals::new(Duration::from_millis(50));
		refusals.refused(7);
		assert!(refusals.holds_back(7));
		assert!(!refusals.holds_back(8));
		refusals.accepted(7);
		assert!(!refusals.holds_back(7));
		refusals.refused(9);
		std::thread::sleep(Duration::from_millis(60));
		assert!(!refusals.holds_back(9));
	}
}
