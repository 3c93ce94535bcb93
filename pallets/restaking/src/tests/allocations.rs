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
