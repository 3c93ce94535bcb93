//! What Kasane refused lately, so that a call it refused is not paid for again every step.

use std::{
	collections::BTreeMap,
	time::{Duration, Instant},
};

/// Keys (block numbers, slots) whose call Kasane refused, each held back for a while: `wait`,
/// unless the refusal said how long.
pub struct Refusals {
	wait: Duration,
	until: BTreeMap<u64, Instant>,
}

impl Refusals {
	pub fn new(wait: Duration) -> Self {
		Self { wait, until: BTreeMap::new() }
	}

	/// Whether `key` is still held back; forgets the refusals that no longer hold.
	pub fn holds_back(&mut self, key: u64) -> bool {
		let now = Instant::now();
		self.until.retain(|_, until| *until > now);
		self.until.contains_key(&key)
	}

	pub fn refused(&mut self, key: u64) {
		self.refused_for(key, self.wait);
	}

	/// Hold `key` back for `wait` rather than the usual wait.
	pub fn refused_for(&mut self, key: u64, wait: Duration) {
		self.until.insert(key, Instant::now() + wait);
	}

	pub fn accepted(&mut self, key: u64) {
		self.until.remove(&key);
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
		refusals.refused_for(10, Duration::from_secs(60));
		std::thread::sleep(Duration::from_millis(60));
		assert!(!refusals.holds_back(9));
		assert!(refusals.holds_back(10), "held back for as long as its refusal said");
	}
}
