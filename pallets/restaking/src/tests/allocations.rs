//! Allocations: unique stake, delays, membership.

use crate::{mock::*, *};
use frame_support::{assert_noop, assert_ok};
use kasane_primitives::restaking::OperatorSetStake;

#[test]
fn allocation_increase_takes_effect_after_the_delay() {
	ExtBuilder::default().build_and_execute(|| {
		operator(OP1, &[SET1]);
		stake(ALICE, STRAT_A, 1_000, OP1);
		assert_ok!(Restaking::modify_allocation(
			RuntimeOrigin::signed(OP1),
			SET1,
			STRAT_A,
			pct(40)
		));
		let now = System::block_number();
		assert_eq!(
			restaking_events().last(),
			Some(&Event::AllocationScheduled {
				operator: OP1,
				set: SET1,
				strategy: STRAT_A,
				from: 0,
				to: pct(40),
				effective_at: now + ALLOCATION_DELAY,
				native: false
			})
		);
		assert_eq!(Restaking::allocated_stake(&OP1, &SET1, STRAT_A), (0, 0));
		assert_eq!(Restaking::book(&OP1, STRAT_A).encumbered, pct(40));
		assert_noop!(
			Restaking::modify_allocation(RuntimeOrigin::signed(OP1), SET1, STRAT_A, pct(50)),
			Error::<Test>::AllocationChangePending
		);
		advance(ALLOCATION_DELAY);
		assert_eq!(Restaking::allocated_stake(&OP1, &SET1, STRAT_A), (pct(40), 400));
	});
}

#[test]
fn allocations_never_exceed_one() {
	ExtBuilder::default().build_and_execute(|| {
		operator(OP1, &[SET1, SET2]);
		assert_noop!(
			Restaking::modify_allocation(RuntimeOrigin::signed(OP1), SET1, STRAT_A, WAD + 1),
			Error::<Test>::MagnitudeOverOne
		);
		assert_ok!(Restaking::modify_allocation(
			RuntimeOrigin::signed(OP1),
			SET1,
			STRAT_A,
			pct(70)
		));
		assert_noop!(
			Restaking::modify_allocation(RuntimeOrigin::signed(OP1), SET2, STRAT_A, pct(31)),
			Error::<Test>::InsufficientMagnitude
		);
		assert_ok!(Restaking::modify_allocation(
			RuntimeOrigin::signed(OP1),
			SET2,
			STRAT_A,
			pct(30)
		));
		// Each strategy has its own budget.
		assert_ok!(Restaking::modify_allocation(RuntimeOrigin::signed(OP1), SET2, STRAT_B, WAD));
	});
}

#[test]
fn deallocation_frees_magnitude_only_after_its_delay_and_stays_slashable() {
	ExtBuilder::default().build_and_execute(|| {
		operator(OP1, &[SET1, SET2]);
		stake(ALICE, STRAT_A, 1_000, OP1);
		allocate_now(OP1, SET1, STRAT_A, WAD);
		assert_ok!(Restaking::modify_allocation(
			RuntimeOrigin::signed(OP1),
			SET1,
			STRAT_A,
			pct(20)
		));
		// The decrease has not freed anything yet.
		assert_noop!(
			Restaking::modify_allocation(RuntimeOrigin::signed(OP1), SET2, STRAT_A, pct(10)),
			Error::<Test>::InsufficientMagnitude
		);
		// Still slashable at the old magnitude.
		assert_eq!(Restaking::allocated_stake(&OP1, &SET1, STRAT_A), (WAD, 1_000));
		advance(DEALLOCATION_DELAY);
		assert_eq!(Restaking::allocated_stake(&OP1, &SET1, STRAT_A), (pct(20), 200));
		// The first call after the delay matures it and can use what it freed.
		assert_ok!(Restaking::modify_allocation(
			RuntimeOrigin::signed(OP1),
			SET2,
			STRAT_A,
			pct(80)
		));
		assert!(
			OperatorStrategies::<Test>::get(OP1, STRAT_A).unwrap().pending_allocations.len() == 1
		);
	});
}

#[test]
fn only_members_allocate_and_only_to_accepted_strategies() {
	ExtBuilder::default().build_and_execute(|| {
		operator(OP1, &[SET1]);
		assert_noop!(
			Restaking::modify_allocation(RuntimeOrigin::signed(OP1), SET2, STRAT_A, pct(10)),
			Error::<Test>::NotInOperatorSet
		);
		MockOperatorSets::reject(SET1, STRAT_B);
		assert_noop!(
			Restaking::modify_allocation(RuntimeOrigin::signed(OP1), SET1, STRAT_B, pct(10)),
			Error::<Test>::StrategyNotAccepted
		);
		assert_noop!(
			Restaking::modify_allocation(RuntimeOrigin::signed(OP1), SET1, 9, pct(10)),
			Error::<Test>::UnknownStrategy
		);
		// Leaving a set does not stop the operator from deallocating from it.
		allocate_now(OP1, SET1, STRAT_A, pct(10));
		MockOperatorSets::leave(OP1, SET1);
		assert_ok!(Restaking::modify_allocation(RuntimeOrigin::signed(OP1), SET1, STRAT_A, 0));
		assert_noop!(
			Restaking::modify_allocation(RuntimeOrigin::signed(OP1), SET1, STRAT_A, 0),
			Error::<Test>::AllocationChangePending
		);
		advance(DEALLOCATION_DELAY);
		assert_ok!(Restaking::clear_pending_allocations(
			RuntimeOrigin::signed(CAROL),
			OP1,
			STRAT_A
		));
		assert!(Allocations::<Test>::get((OP1, SET1, STRAT_A)).is_none());
		assert_eq!(Restaking::book(&OP1, STRAT_A).encumbered, 0);
	});
}

#[test]
fn an_operator_allocates_to_a_bounded_number_of_sets_and_can_always_leave_each() {
	// L-1: every allocation record fits the pending list, so leaving (or being ejected from)
	// any set always schedules its decrease.
	ExtBuilder::default().build_and_execute(|| {
		operator(OP1, &[]);
		let sets: Vec<_> = (0..4).map(|avs| OperatorSetId { avs, index: 0 }).collect();
		for set in &sets {
			MockOperatorSets::join(OP1, *set);
			assert_ok!(Restaking::modify_allocation(
				RuntimeOrigin::signed(OP1),
				*set,
				STRAT_A,
				pct(20)
			));
		}
		let fifth = OperatorSetId { avs: 9, index: 0 };
		MockOperatorSets::join(OP1, fifth);
		assert_noop!(
			Restaking::modify_allocation(RuntimeOrigin::signed(OP1), fifth, STRAT_A, pct(10)),
			Error::<Test>::TooManyAllocatedSets
		);
		advance(ALLOCATION_DELAY);
		// In force, the four still count.
		assert_noop!(
			Restaking::modify_allocation(RuntimeOrigin::signed(OP1), fifth, STRAT_A, pct(10)),
			Error::<Test>::TooManyAllocatedSets
		);
		// Three decreases pending: the fourth set can still be left.
		for set in &sets[..3] {
			assert_ok!(Restaking::modify_allocation(
				RuntimeOrigin::signed(OP1),
				*set,
				STRAT_A,
				pct(10)
			));
		}
		assert_ok!(<Restaking as OperatorSetStake<AccountId>>::deallocate_all(&OP1, &sets[3]));
		assert_eq!(
			OperatorStrategies::<Test>::get(OP1, STRAT_A).unwrap().pending_allocations.len(),
			4
		);
		// Once that allocation wound down to nothing, its place is free.
		advance(DEALLOCATION_DELAY);
		assert_ok!(Restaking::modify_allocation(
			RuntimeOrigin::signed(OP1),
			fifth,
			STRAT_A,
			pct(10)
		));
		assert_noop!(
			Restaking::modify_allocation(RuntimeOrigin::signed(OP1), fifth, STRAT_A, pct(10)),
			Error::<Test>::AllocationChangePending
		);
	});
}

#[test]
fn new_exposure_applies_only_after_a_staker_who_left_at_its_announcement_is_out() {
	// H-4: the operator allocates its stakers to its own set with a 100% cap; a staker who
	// queues its withdrawal when the allocation is announced is paid in full before the
	// allocation can be slashed.
	ExtBuilder::default().build_and_execute(|| {
		operator(OP1, &[SET1]);
		stake(ALICE, STRAT_A, 1_000, OP1);
		assert_ok!(Restaking::modify_allocation(RuntimeOrigin::signed(OP1), SET1, STRAT_A, WAD));
		assert_ok!(Restaking::queue_withdrawal(RuntimeOrigin::signed(ALICE), STRAT_A, 1_000));
		advance(WITHDRAWAL_DELAY);
		// Nothing is allocated yet: a slash now takes nothing.
		assert_eq!(Restaking::allocated_stake(&OP1, &SET1, STRAT_A), (0, 0));
		assert_ok!(Restaking::complete_withdrawal(
			RuntimeOrigin::signed(ALICE),
			first_withdrawal(ALICE)
		));
		assert_eq!(lst(LST_A, ALICE), INITIAL_LST);
		advance(ALLOCATION_DELAY - WITHDRAWAL_DELAY);
		assert_eq!(Restaking::allocated_stake(&OP1, &SET1, STRAT_A), (WAD, 0));
		assert!(slash(OP1, SET1, WAD).iter().all(|(_, amount)| *amount == 0));
		assert_eq!(lst(LST_A, ALICE), INITIAL_LST);
	});
}

#[test]
fn leaving_a_set_leaves_other_sets_due_changes_for_later() {
	// Only the left set's allocations are brought up to date: leaving costs one change per
	// strategy, however many other sets' changes are due.
	ExtBuilder::default().build_and_execute(|| {
		operator(OP1, &[SET1, SET2]);
		stake(ALICE, STRAT_A, 1_000, OP1);
		allocate_now(OP1, SET2, STRAT_A, pct(20));
		assert_ok!(Restaking::modify_allocation(RuntimeOrigin::signed(OP1), SET2, STRAT_A, 0));
		let set2_at = System::block_number() + DEALLOCATION_DELAY;
		assert_ok!(Restaking::modify_allocation(
			RuntimeOrigin::signed(OP1),
			SET1,
			STRAT_A,
			pct(30)
		));
		advance(ALLOCATION_DELAY);
		// Both changes are due; neither has been applied.
		assert_ok!(<Restaking as OperatorSetStake<AccountId>>::deallocate_all(&OP1, &SET1));
		let now = System::block_number();
		assert_eq!(
			Allocations::<Test>::get((OP1, SET2, STRAT_A)),
			Some(Allocation {
				magnitude: pct(20),
				pending: Some(PendingAllocation { target: 0, effective_at: set2_at })
			})
		);
		assert!(SetAllocations::<Test>::get(SET2).contains(&(OP1, STRAT_A)));
		// The increase that took effect winds down from where it got to.
		assert_eq!(
			Allocations::<Test>::get((OP1, SET1, STRAT_A)),
			Some(Allocation {
				magnitude: pct(30),
				pending: Some(PendingAllocation {
					target: 0,
					effective_at: now + DEALLOCATION_DELAY
				})
			})
		);
		assert_eq!(
			restaking_events().last(),
			Some(&Event::AllocationScheduled {
				operator: OP1,
				set: SET1,
				strategy: STRAT_A,
				from: pct(30),
				to: 0,
				effective_at: now + DEALLOCATION_DELAY,
				native: false
			})
		);
		let book = Restaking::book(&OP1, STRAT_A);
		assert_eq!(book.pending_allocations.len(), 2);
		assert_eq!(book.encumbered, pct(50));
		// The next touch of the book applies both.
		advance(DEALLOCATION_DELAY);
		assert_ok!(Restaking::clear_pending_allocations(
			RuntimeOrigin::signed(CAROL),
			OP1,
			STRAT_A
		));
		assert_eq!(Allocations::<Test>::iter_prefix((OP1,)).count(), 0);
		assert!(SetAllocations::<Test>::get(SET1).is_empty());
		assert!(SetAllocations::<Test>::get(SET2).is_empty());
		assert_eq!(Restaking::book(&OP1, STRAT_A).encumbered, 0);
	});
}

#[test]
fn the_operator_view_reports_what_is_encumbered_now_though_the_book_waits() {
	// A book applies due changes when next touched; the view counts them at once, except a
	// decrease held back by a pending slash.
	ExtBuilder::default().build_and_execute(|| {
		operator(OP1, &[SET1, SET2]);
		stake(ALICE, STRAT_A, 1_000, OP1);
		allocate_now(OP1, SET1, STRAT_A, pct(30));
		allocate_now(OP1, SET2, STRAT_A, pct(20));
		let encumbered = || {
			Restaking::operator_view(&OP1)
				.strategies
				.into_iter()
				.find(|s| s.strategy == STRAT_A)
				.map(|s| s.encumbered)
		};
		assert_ok!(Restaking::modify_allocation(RuntimeOrigin::signed(OP1), SET2, STRAT_A, pct(5)));
		assert_ok!(Restaking::modify_allocation(RuntimeOrigin::signed(OP1), SET1, STRAT_A, 0));
		assert_eq!(encumbered(), Some(pct(50)));
		advance(DEALLOCATION_DELAY);
		// Both decreases are due, and SET1's is held back by a slash that waits.
		<Restaking as OperatorSlasher<_, _>>::freeze(&OP1, &SET1);
		assert_eq!(Restaking::book(&OP1, STRAT_A).encumbered, pct(50));
		assert_eq!(encumbered(), Some(pct(35)));
		// Touching the book stores what the view reported, each time.
		let clear = || {
			assert_ok!(Restaking::clear_pending_allocations(
				RuntimeOrigin::signed(CAROL),
				OP1,
				STRAT_A
			));
		};
		clear();
		let book = Restaking::book(&OP1, STRAT_A);
		assert_eq!(book.encumbered, pct(35));
		assert_eq!(book.pending_allocations.into_inner(), vec![SET1]);
		assert_eq!(encumbered(), Some(pct(35)));
		<Restaking as OperatorSlasher<_, _>>::unfreeze(&OP1, &SET1);
		assert_eq!(encumbered(), Some(pct(5)));
		clear();
		assert_eq!(Restaking::book(&OP1, STRAT_A).encumbered, pct(5));
		assert_eq!(encumbered(), Some(pct(5)));
	});
}

#[test]
fn leaving_a_set_ends_a_pending_increase_and_a_due_decrease_to_zero_at_once() {
	ExtBuilder::default().build_and_execute(|| {
		operator(OP1, &[SET1]);
		stake(ALICE, STRAT_A, 1_000, OP1);
		stake(ALICE, STRAT_B, 1_000, OP1);
		allocate_now(OP1, SET1, STRAT_A, pct(30));
		assert_ok!(Restaking::modify_allocation(RuntimeOrigin::signed(OP1), SET1, STRAT_A, 0));
		advance(DEALLOCATION_DELAY);
		assert_ok!(Restaking::modify_allocation(
			RuntimeOrigin::signed(OP1),
			SET1,
			STRAT_B,
			pct(40)
		));
		let _ = restaking_events_since_last_call();
		assert_ok!(<Restaking as OperatorSetStake<AccountId>>::deallocate_all(&OP1, &SET1));
		assert_eq!(Allocations::<Test>::iter_prefix((OP1,)).count(), 0);
		assert!(SetAllocations::<Test>::get(SET1).is_empty());
		for strategy in [STRAT_A, STRAT_B] {
			let book = Restaking::book(&OP1, strategy);
			assert!(book.pending_allocations.is_empty());
			assert_eq!((book.encumbered, book.allocated_sets), (0, 0));
		}
		// The dropped increase is announced; the decrease had already been.
		assert_eq!(
			restaking_events_since_last_call(),
			vec![Event::AllocationScheduled {
				operator: OP1,
				set: SET1,
				strategy: STRAT_B,
				from: 0,
				to: 0,
				effective_at: System::block_number(),
				native: false
			}]
		);
	});
}

#[test]
fn leaving_a_set_winds_down_what_is_in_force_whatever_was_pending() {
	use kasane_primitives::restaking::OperatorSlasher;
	// (what was pending: `Some((target, due, frozen))`, in force at the leave, what the
	// record winds down from). Every case starts from 30% in force.
	let cases: [(Option<(u128, bool, bool)>, u128); 7] = [
		(None, pct(30)),
		(Some((pct(50), false, false)), pct(30)),
		(Some((pct(50), true, false)), pct(50)),
		(Some((pct(10), false, false)), pct(30)),
		(Some((pct(10), true, false)), pct(10)),
		// A pending slash holds a due decrease back: what it would release stays in force.
		(Some((pct(10), true, true)), pct(30)),
		(Some((0, true, true)), pct(30)),
	];
	for (pending, from) in cases {
		ExtBuilder::default().build_and_execute(|| {
			operator(OP1, &[SET1]);
			stake(ALICE, STRAT_A, 1_000, OP1);
			allocate_now(OP1, SET1, STRAT_A, pct(30));
			assert_ok!(Restaking::clear_pending_allocations(
				RuntimeOrigin::signed(CAROL),
				OP1,
				STRAT_A
			));
			let mut frozen = false;
			if let Some((target, due, freeze)) = pending {
				assert_ok!(Restaking::modify_allocation(
					RuntimeOrigin::signed(OP1),
					SET1,
					STRAT_A,
					target
				));
				if freeze {
					<Restaking as OperatorSlasher<_, _>>::freeze(&OP1, &SET1);
					frozen = true;
				}
				if due {
					advance(ALLOCATION_DELAY.max(DEALLOCATION_DELAY));
				}
			}
			let before = Allocations::<Test>::get((OP1, SET1, STRAT_A)).unwrap();
			let _ = restaking_events_since_last_call();
			assert_ok!(<Restaking as OperatorSetStake<AccountId>>::deallocate_all(&OP1, &SET1));
			let now = System::block_number();
			let after = Allocations::<Test>::get((OP1, SET1, STRAT_A)).unwrap();
			if pending == Some((0, true, true)) {
				// Already winding down to zero, held back by the slash: nothing changes.
				assert_eq!(after, before, "{pending:?}");
				assert!(restaking_events_since_last_call().is_empty());
			} else {
				let effective_at = now + DEALLOCATION_DELAY;
				assert_eq!(
					after,
					Allocation {
						magnitude: from,
						pending: Some(PendingAllocation { target: 0, effective_at })
					},
					"{pending:?}"
				);
				assert_eq!(
					restaking_events_since_last_call(),
					vec![Event::AllocationScheduled {
						operator: OP1,
						set: SET1,
						strategy: STRAT_A,
						from,
						to: 0,
						effective_at,
						native: false
					}],
					"{pending:?}"
				);
			}
			let book = Restaking::book(&OP1, STRAT_A);
			assert_eq!(book.pending_allocations.to_vec(), vec![SET1], "{pending:?}");
			assert_eq!(book.encumbered, after.encumbers(), "{pending:?}");
			assert_eq!(book.allocated_sets, 1, "{pending:?}");
			if frozen {
				<Restaking as OperatorSlasher<_, _>>::unfreeze(&OP1, &SET1);
			}
		});
	}
}
