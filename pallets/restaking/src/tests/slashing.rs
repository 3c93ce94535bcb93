//! The slashing primitive: O(1) in stakers, unique stake, queued and pending stake reached.

use crate::{mock::*, *};
use frame_support::{assert_noop, assert_ok};
use kasane_primitives::restaking::OperatorSlasher;

#[test]
fn slash_reaches_every_staker_without_touching_them() {
	ExtBuilder::default().build_and_execute(|| {
		operator(OP1, &[SET1]);
		stake(ALICE, STRAT_A, 600, OP1);
		stake(BOB, STRAT_A, 400, OP1);
		allocate_now(OP1, SET1, STRAT_A, pct(50));
		let before = (Positions::<Test>::get(ALICE, STRAT_A), Positions::<Test>::get(BOB, STRAT_A));

		// Half of what is allocated to SET1: a quarter of OP1's stake.
		assert_eq!(slash(OP1, SET1, pct(50)), vec![(STRAT_A, 250)]);
		// No staker record was written.
		assert_eq!(before, (Positions::<Test>::get(ALICE, STRAT_A), Positions::<Test>::get(BOB, STRAT_A)));
		assert_eq!(withdrawable(ALICE, STRAT_A), 450);
		assert_eq!(withdrawable(BOB, STRAT_A), 300);
		assert_eq!(lst(LST_A, AVS_TREASURY), 250);
		let book = Restaking::book(&OP1, STRAT_A);
		assert_eq!(book.max_magnitude, pct(75));
		assert_eq!(Restaking::allocated_stake(&OP1, &SET1, STRAT_A), (pct(25), 250));
		let s = Strategies::<Test>::get(STRAT_A).unwrap();
		assert_eq!((s.held, s.total_slashed), (750, 250));
		assert!(matches!(
			restaking_events().last(),
			Some(Event::OperatorSlashed { amount: 250, magnitude_before, magnitude_after, native: false, .. })
				if *magnitude_before == pct(50) && *magnitude_after == pct(25)
		));

		// Withdrawals pay what is left.
		assert_ok!(Restaking::queue_withdrawal(RuntimeOrigin::signed(ALICE), STRAT_A, 600));
		advance(WITHDRAWAL_DELAY);
		assert_ok!(Restaking::complete_withdrawal(RuntimeOrigin::signed(ALICE), 0));
		assert_eq!(lst(LST_A, ALICE), INITIAL_LST - 600 + 450);
	});
}

#[test]
fn unique_stake_one_set_cannot_slash_another_sets_stake() {
	ExtBuilder::default().build_and_execute(|| {
		operator(OP1, &[SET1, SET2]);
		stake(ALICE, STRAT_A, 1_000, OP1);
		assert_ok!(Restaking::modify_allocations(
			RuntimeOrigin::signed(OP1),
			SET1,
			STRAT_A,
			pct(30)
		));
		allocate_now(OP1, SET2, STRAT_A, pct(70));
		assert_eq!(slash(OP1, SET1, WAD), vec![(STRAT_A, 300)]);
		assert_eq!(Restaking::allocated_stake(&OP1, &SET1, STRAT_A), (0, 0));
		// SET2 keeps all of its 700.
		assert_eq!(Restaking::allocated_stake(&OP1, &SET2, STRAT_A), (pct(70), 700));
		assert_eq!(slash(OP1, SET2, WAD), vec![(STRAT_A, 700)]);
		assert_eq!(withdrawable(ALICE, STRAT_A), 0);
		// A fully slashed operator takes no new stake.
		assert_noop!(
			Restaking::deposit(RuntimeOrigin::signed(ALICE), STRAT_A, 10),
			Error::<Test>::OperatorFullySlashed
		);
	});
}

#[test]
fn queued_withdrawals_and_pending_deallocations_stay_slashable() {
	ExtBuilder::default().build_and_execute(|| {
		operator(OP1, &[SET1]);
		stake(ALICE, STRAT_A, 1_000, OP1);
		stake(BOB, STRAT_A, 1_000, OP1);
		allocate_now(OP1, SET1, STRAT_A, WAD);
		assert_ok!(Restaking::queue_withdrawal(RuntimeOrigin::signed(ALICE), STRAT_A, 1_000));
		assert_ok!(Restaking::modify_allocations(
			RuntimeOrigin::signed(OP1),
			SET1,
			STRAT_A,
			pct(50)
		));
		// The decrease is pending: SET1 can still slash all of it, queued stake included.
		assert_eq!(slash(OP1, SET1, pct(10)), vec![(STRAT_A, 200)]);
		let alloc = Allocations::<Test>::get((OP1, SET1, STRAT_A)).unwrap();
		assert_eq!(alloc.magnitude, pct(90));
		assert_eq!(alloc.pending.unwrap().target, pct(45));
		advance(WITHDRAWAL_DELAY);
		assert_ok!(Restaking::complete_withdrawal(RuntimeOrigin::signed(ALICE), 0));
		assert_eq!(lst(LST_A, ALICE), INITIAL_LST - 100);
		assert_eq!(Restaking::allocated_stake(&OP1, &SET1, STRAT_A), (pct(45), 450));
	});
}

#[test]
fn pending_increase_is_not_slashable_yet() {
	ExtBuilder::default().build_and_execute(|| {
		operator(OP1, &[SET1]);
		stake(ALICE, STRAT_A, 1_000, OP1);
		allocate_now(OP1, SET1, STRAT_A, pct(20));
		assert_ok!(Restaking::modify_allocations(
			RuntimeOrigin::signed(OP1),
			SET1,
			STRAT_A,
			pct(60)
		));
		assert_eq!(slash(OP1, SET1, pct(50)), vec![(STRAT_A, 100)]);
		let alloc = Allocations::<Test>::get((OP1, SET1, STRAT_A)).unwrap();
		// The increase keeps its size on top of what is left.
		assert_eq!((alloc.magnitude, alloc.pending.unwrap().target), (pct(10), pct(50)));
		assert_eq!(Restaking::book(&OP1, STRAT_A).encumbered, pct(50));
	});
}

#[test]
fn stake_that_joins_after_a_slash_does_not_bear_it() {
	ExtBuilder::default().build_and_execute(|| {
		operator(OP1, &[SET1]);
		stake(ALICE, STRAT_A, 1_000, OP1);
		allocate_now(OP1, SET1, STRAT_A, WAD);
		slash(OP1, SET1, pct(50));
		stake(BOB, STRAT_A, 1_000, OP1);
		assert_eq!(withdrawable(BOB, STRAT_A), 1_000);
		assert_eq!(withdrawable(ALICE, STRAT_A), 500);
		assert_eq!(Restaking::operator_stake(&OP1, STRAT_A), 1_500);
		slash(OP1, SET1, pct(50));
		assert_eq!(withdrawable(BOB, STRAT_A), 500);
		assert_eq!(withdrawable(ALICE, STRAT_A), 250);
	});
}

#[test]
fn burn_destination_and_bad_fractions() {
	ExtBuilder::default().build_and_execute(|| {
		operator(OP1, &[SET1]);
		stake(ALICE, STRAT_A, 1_000, OP1);
		allocate_now(OP1, SET1, STRAT_A, WAD);
		for bad in [0, WAD + 1] {
			assert_noop!(
				<Restaking as OperatorSlasher<_, _>>::slash_operator(
					&OP1,
					&SET1,
					bad,
					&SlashDestination::Burn
				),
				Error::<Test>::InvalidSlashFraction
			);
		}
		let out = <Restaking as OperatorSlasher<_, _>>::slash_operator(
			&OP1,
			&SET1,
			pct(10),
			&SlashDestination::Burn,
		)
		.unwrap();
		assert_eq!(out[0].amount, 100);
		assert_eq!(lst(LST_A, AVS_TREASURY), 0);
		// A set the operator never allocated to slashes nothing.
		assert!(slash(OP1, SET2, WAD).is_empty());
	});
}

#[test]
fn rounding_goes_against_the_slashed_party() {
	ExtBuilder::default().build_and_execute(|| {
		operator(OP1, &[SET1]);
		stake(ALICE, STRAT_A, 7, OP1);
		stake(BOB, STRAT_A, 3, OP1);
		allocate_now(OP1, SET1, STRAT_A, WAD / 3);
		slash(OP1, SET1, WAD / 7);
		// Stakers together never claim more than the strategy holds (checked by try_state),
		// and each loses at least its exact share.
		// Exact losses are 1/21 of each position: 0.33 and 0.14. Values round down (6.67 → 6,
		// 2.86 → 2) while the strategy only gives up what the operator's total lost (10 → 9.52,
		// so 1): the unit of difference stays in the strategy, never in anyone's claim.
		assert_eq!(withdrawable(ALICE, STRAT_A), 6);
		assert_eq!(withdrawable(BOB, STRAT_A), 2);
		assert_eq!(Strategies::<Test>::get(STRAT_A).unwrap().held, 9);
	});
}
