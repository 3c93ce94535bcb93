//! The delays and the orderings between them.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use serde::{Deserialize, Serialize};
use sp_runtime::traits::AtLeast32BitUnsigned;

/// The delays, in blocks, that keep restaked stake slashable and give stakers time to leave
/// before anything new is done with their stake.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Serialize,
	Deserialize,
)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Delays<BlockNumber> {
	/// A queued restaking withdrawal and a redelegation wait this long, slashable all along.
	/// It is also the longest slashing window restaking accepts and how long a change of an
	/// operator set's slashing terms waits.
	pub withdrawal: BlockNumber,
	/// A raised allocation (new slashing exposure) waits this long before it counts.
	pub allocation: BlockNumber,
	/// A lowered allocation, and a departed operator's, stays slashable this long.
	pub deallocation: BlockNumber,
	/// The longest veto window an operator set may choose for its slashes.
	pub max_veto_window: BlockNumber,
	/// An operator's commission change waits this long; also the least time between two.
	pub commission_change: BlockNumber,
}

impl<B: AtLeast32BitUnsigned + Copy> Delays<B> {
	/// Blocks between two completion times of withdrawals: the withdrawal delay divided into
	/// `maturity_buckets`, rounded up (restaking's `maturity_step`).
	pub fn maturity_step(&self, maturity_buckets: u32) -> B {
		let buckets = B::from(maturity_buckets.max(1));
		let step = self.withdrawal / buckets;
		let step = if step * buckets < self.withdrawal { step + B::one() } else { step };
		step.max(B::one())
	}

	/// The longest any exit (a restaking withdrawal, native unbonding) may take so a staker
	/// who leaves when new exposure is announced is out before it applies: the allocation
	/// delay less one completion step, one block short of it at least.
	pub fn longest_exit(&self, maturity_buckets: u32) -> B {
		self.allocation.saturating_sub(self.maturity_step(maturity_buckets))
	}

	/// Whether these delays keep every promise the slashing design makes, each within its
	/// compile-time maximum in `max`; the first broken rule otherwise.
	pub fn check(&self, max: &Self, maturity_buckets: u32) -> Result<(), &'static str> {
		let within = |value: B, bound: B| !value.is_zero() && value <= bound;
		if !within(self.withdrawal, max.withdrawal) {
			return Err("the withdrawal delay must be positive and at most its maximum");
		}
		if !within(self.allocation, max.allocation) {
			return Err("the allocation delay must be positive and at most its maximum");
		}
		if !within(self.deallocation, max.deallocation) {
			return Err("the deallocation delay must be positive and at most its maximum");
		}
		if !within(self.max_veto_window, max.max_veto_window) {
			return Err("the longest veto window must be positive and at most its maximum");
		}
		if !within(self.commission_change, max.commission_change) {
			return Err("the commission change delay must be positive and at most its maximum");
		}
		if self.deallocation > self.withdrawal {
			return Err("the withdrawal delay must cover the deallocation delay, or stake leaves \
			            while still allocated");
		}
		if self.max_veto_window > self.withdrawal {
			return Err("a vetoable slash must execute before the stake it reaches can be \
			            withdrawn");
		}
		if self.max_veto_window >= self.deallocation {
			return Err("a departed operator must stay slashable through any veto window");
		}
		if self.withdrawal > self.longest_exit(maturity_buckets) {
			return Err("a withdrawal queued when new exposure is announced must complete before \
			            it applies");
		}
		Ok(())
	}
}
