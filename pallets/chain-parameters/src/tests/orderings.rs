//! Each ordering `Delays::check` enforces, at its edge: one block inside passes, one outside
//! fails with the rule's message.

use crate::{mock::*, *};

fn check(delays: Delays<u64>) -> Result<(), &'static str> {
	delays.check(&Maxima::get(), MATURITY_BUCKETS)
}

#[test]
fn the_maxima_and_the_short_delays_are_valid() {
	assert_eq!(check(Maxima::get()), Ok(()));
	assert_eq!(check(short()), Ok(()));
}

#[test]
fn every_delay_is_positive_and_within_its_maximum() {
	let cases: [(fn(&mut Delays<u64>, u64), u64, &str); 5] = [
		(
			|d, v| d.withdrawal = v,
			70,
			"the withdrawal delay must be positive and at most its maximum",
		),
		(
			|d, v| d.allocation = v,
			80,
			"the allocation delay must be positive and at most its maximum",
		),
		(
			|d, v| d.deallocation = v,
			40,
			"the deallocation delay must be positive and at most its maximum",
		),
		(
			|d, v| d.max_veto_window = v,
			30,
			"the longest veto window must be positive and at most its maximum",
		),
		(
			|d, v| d.commission_change = v,
			10,
			"the commission change delay must be positive and at most its maximum",
		),
	];
	for (set, max, message) in cases {
		let mut zero = Maxima::get();
		set(&mut zero, 0);
		assert_eq!(check(zero), Err(message));
		let mut over = Maxima::get();
		set(&mut over, max + 1);
		assert_eq!(check(over), Err(message));
	}
}

#[test]
fn withdrawal_covers_deallocation() {
	assert_eq!(check(Delays { deallocation: 10, max_veto_window: 3, ..short() }), Ok(()));
	assert_eq!(
		check(Delays { deallocation: 11, max_veto_window: 3, ..short() }),
		Err("the withdrawal delay must cover the deallocation delay, or stake leaves while still allocated")
	);
}

#[test]
fn a_veto_window_ends_before_a_deallocation_does() {
	assert_eq!(check(Delays { max_veto_window: 4, ..short() }), Ok(()));
	assert_eq!(
		check(Delays { max_veto_window: 5, ..short() }),
		Err("a departed operator must stay slashable through any veto window")
	);
}

#[test]
fn new_exposure_waits_for_a_withdrawal_and_its_completion_step() {
	// Withdrawal 10 in 7 buckets: completion times every 2 blocks, so a withdrawal queued when
	// an allocation is announced completes at most 12 blocks later.
	assert_eq!(short().maturity_step(MATURITY_BUCKETS), 2);
	assert_eq!(check(Delays { allocation: 12, ..short() }), Ok(()));
	assert_eq!(
		check(Delays { allocation: 11, ..short() }),
		Err("a withdrawal queued when new exposure is announced must complete before it applies")
	);
	// The step rounds up and is at least a block.
	assert_eq!(Delays { withdrawal: 70u64, ..short() }.maturity_step(MATURITY_BUCKETS), 10);
	assert_eq!(Delays { withdrawal: 71u64, ..short() }.maturity_step(MATURITY_BUCKETS), 11);
	assert_eq!(Delays { withdrawal: 3u64, ..short() }.maturity_step(MATURITY_BUCKETS), 1);
}
