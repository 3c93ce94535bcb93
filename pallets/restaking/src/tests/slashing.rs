//! The slashing primitive: O(1) in stakers, unique stake, queued and pending stake reached.

use crate::{mock::*, *};
use frame_support::{assert_noop, assert_ok};
use kasane_primitives::{restaking::OperatorSlasher, staking::NativeStakeProvider};
use sp_runtime::Perbill;

#[test]
fn slash_reaches_every_staker_without_touching_them() {
	ExtBuilder::default().build_and_execute(|| {
		redistributable(STRAT_A);
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
		assert_ok!(Restaking::complete_withdrawal(RuntimeOrigin::signed(ALICE), first_withdrawal(ALICE)));
		assert_eq!(lst(LST_A, ALICE), INITIAL_LST - 600 + 450);
	});
}

#[test]
fn unique_stake_one_set_cannot_slash_another_sets_stake() {
	ExtBuilder::default().build_and_execute(|| {
		operator(OP1, &[SET1, SET2]);
		stake(ALICE, STRAT_A, 1_000, OP1);
		assert_ok!(Restaking::modify_allocation(
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
		assert_ok!(Restaking::modify_allocation(
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
		assert_ok!(Restaking::complete_withdrawal(
			RuntimeOrigin::signed(ALICE),
			first_withdrawal(ALICE)
		));
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
		assert_ok!(Restaking::modify_allocation(
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

#[test]
fn slashed_funds_are_burned_unless_the_strategy_opted_in() {
	// H-4: a set naming an account gets nothing from stakers who did not choose it.
	ExtBuilder::default().build_and_execute(|| {
		operator(OP1, &[SET1]);
		stake(ALICE, STRAT_A, 1_000, OP1);
		allocate_now(OP1, SET1, STRAT_A, WAD);
		let supply = <Assets as frame_support::traits::fungibles::Inspect<_>>::total_issuance;
		let before = supply(LST_A);
		assert_eq!(slash(OP1, SET1, pct(10)), vec![(STRAT_A, 100)]);
		assert_eq!(lst(LST_A, AVS_TREASURY), 0, "burned, not paid to the set's account");
		assert_eq!(supply(LST_A), before);
		// Root opts the strategy in: the next slash goes to the set's account.
		redistributable(STRAT_A);
		assert!(restaking_events().contains(&Event::StrategyRedistributionSet {
			strategy: STRAT_A,
			redistributable: true
		}));
		assert_eq!(slash(OP1, SET1, pct(10)), vec![(STRAT_A, 90)]);
		assert_eq!(lst(LST_A, AVS_TREASURY), 90);
		assert_noop!(
			Restaking::set_strategy_redistribution(RuntimeOrigin::signed(OP1), STRAT_A, false),
			sp_runtime::DispatchError::BadOrigin
		);
	});
}

#[test]
fn a_reporter_is_paid_only_out_of_what_the_operator_itself_lost() {
	// H-4: slashing others' stake through one's own AVS pays no reward.
	ExtBuilder::default().build_and_execute(|| {
		operator(OP1, &[SET1]);
		stake(ALICE, STRAT_A, 1_000, OP1);
		allocate_now(OP1, SET1, STRAT_A, WAD);
		let slashed = slash_with(OP1, SET1, pct(50), Some((&BOB, Perbill::from_percent(10))), None);
		assert_eq!((slashed[0].amount, slashed[0].reward), (500, 0));
		assert_eq!(lst(LST_A, BOB), INITIAL_LST);
		// The operator restakes 1 000 of its own behind itself: a reporter gets 10% of its
		// loss (half of it), never of its stakers'.
		stake(OP1, STRAT_A, 1_000, OP1);
		let slashed = slash_with(OP1, SET1, pct(50), Some((&BOB, Perbill::from_percent(10))), None);
		// Alice's 500 and the operator's 1 000 are all allocated; half of it goes.
		assert_eq!(slashed[0].amount, 750);
		let own_loss = 500;
		assert_eq!(slashed[0].reward, own_loss / 10);
		assert_eq!(lst(LST_A, BOB), INITIAL_LST + own_loss / 10);
	});
}

#[test]
fn a_native_reporter_reward_is_capped_by_the_validators_self_bond() {
	// H-4: a validator slashing its delegators' pool through its own AVS gains nothing net.
	ExtBuilder::default().build_and_execute(|| {
		MockNativeStake::set_pool(VALIDATOR, 10_000);
		MockNativeStake::add_member(CAROL, VALIDATOR, 1_000_000);
		MockOperatorSets::join(VALIDATOR, SET1);
		allocate_now(VALIDATOR, SET1, NATIVE, WAD);
		let ksn = |who| Balances::free_balance(who);
		let before = ksn(BOB);
		let slashed =
			slash_with(VALIDATOR, SET1, WAD, Some((&BOB, Perbill::from_percent(10))), None);
		// The whole pool is slashed, but the reporter is paid 10% of the validator's own
		// 10 000 only: a tenth of what the validator lost.
		assert!(slashed[0].amount >= 1_010_000 - 2);
		assert_eq!(slashed[0].reward, 1_000);
		assert_eq!(ksn(BOB), before + 1_000);
	});
}

#[test]
fn a_native_slash_is_exact_in_the_pools_units() {
	// M-1: a slash of one magnitude unit of a full allocation takes 10⁻¹⁸ of the pool, not a
	// part per billion.
	ExtBuilder::default().build_and_execute(|| {
		const POOL: u128 = 1_000_000_000_000_000_000_000_000; // 10²⁴
		MockNativeStake::set_pool(VALIDATOR, POOL);
		MockOperatorSets::join(VALIDATOR, SET1);
		allocate_now(VALIDATOR, SET1, NATIVE, WAD);
		for _ in 0..1_000 {
			slash_with(VALIDATOR, SET1, 1, None, None);
		}
		assert_eq!(Restaking::book(&VALIDATOR, NATIVE).max_magnitude, WAD - 1_000);
		let active = MockNativeStake::pool_stake(&VALIDATOR).unwrap().active;
		// Each took ⌈active / (10¹⁸ − k)⌉ ≈ 10⁶: about 10⁹ in all, at most a unit more each.
		let taken = POOL - active;
		assert!((1_000_000_000..=1_000_000_000 + 2_000).contains(&taken), "took {taken}");
	});
}

#[test]
fn a_native_slash_reaches_what_was_bonded_in_the_era_it_was_requested() {
	// H-1: the era of the request reaches native staking, not the era of execution.
	ExtBuilder::default().build_and_execute(|| {
		MockNativeStake::set_pool(VALIDATOR, 10_000);
		MockOperatorSets::join(VALIDATOR, SET1);
		allocate_now(VALIDATOR, SET1, NATIVE, WAD);
		slash_with(VALIDATOR, SET1, pct(10), None, Some(7));
		slash_with(VALIDATOR, SET1, pct(10), None, None);
		// Without a request era, the era now (the mock's era 0).
		assert_eq!(MockNativeStake::slashes(), vec![(VALIDATOR, 7), (VALIDATOR, 0)]);
	});
}

#[test]
fn freezes_count_pending_slashes_and_lift_on_the_last_decision() {
	// M-3: by decision, not by time.
	ExtBuilder::default().build_and_execute(|| {
		operator(OP1, &[SET1]);
		stake(ALICE, STRAT_A, 1_000, OP1);
		allocate_now(OP1, SET1, STRAT_A, WAD);
		let freeze = || <Restaking as OperatorSlasher<AccountId, u128>>::freeze(&OP1, &SET1);
		let unfreeze = || <Restaking as OperatorSlasher<AccountId, u128>>::unfreeze(&OP1, &SET1);
		freeze();
		freeze();
		// A withdrawal and a deallocation that come due while slashes are pending wait.
		assert_ok!(Restaking::queue_withdrawal(RuntimeOrigin::signed(ALICE), STRAT_A, 500));
		assert_ok!(Restaking::modify_allocation(RuntimeOrigin::signed(OP1), SET1, STRAT_A, 0));
		advance(WITHDRAWAL_DELAY.max(DEALLOCATION_DELAY) + 100);
		assert_noop!(
			Restaking::complete_withdrawal(RuntimeOrigin::signed(ALICE), first_withdrawal(ALICE)),
			Error::<Test>::SlashPending
		);
		assert_eq!(Restaking::allocated_stake(&OP1, &SET1, STRAT_A).0, WAD);
		Restaking::mature_allocations(&OP1, STRAT_A);
		assert!(OperatorStrategies::<Test>::get(OP1, STRAT_A)
			.unwrap()
			.pending_allocations
			.contains(&SET1));
		// One decided, one still pending: still frozen.
		unfreeze();
		assert!(Restaking::is_operator_frozen(&OP1));
		assert_eq!(Restaking::allocated_stake(&OP1, &SET1, STRAT_A).0, WAD);
		// The last one decided: everything due goes through, nothing is kept at zero.
		unfreeze();
		assert!(!Restaking::is_operator_frozen(&OP1));
		assert_eq!(SlashFreezes::<Test>::iter().count(), 0);
		assert_eq!(Restaking::allocated_stake(&OP1, &SET1, STRAT_A).0, 0);
		assert_ok!(Restaking::complete_withdrawal(
			RuntimeOrigin::signed(ALICE),
			first_withdrawal(ALICE)
		));
		// More decisions than requests never underflow into a freeze.
		unfreeze();
		assert!(!Restaking::is_operator_frozen(&OP1));
	});
}

#[test]
fn a_withdrawal_stops_bearing_slashes_once_completable() {
	// L-8: its value is fixed at the block it can complete, not when someone completes it.
	ExtBuilder::default().build_and_execute(|| {
		operator(OP1, &[SET1]);
		stake(ALICE, STRAT_A, 1_000, OP1);
		stake(BOB, STRAT_A, 1_000, OP1);
		allocate_now(OP1, SET1, STRAT_A, WAD);
		assert_ok!(Restaking::queue_withdrawal(RuntimeOrigin::signed(ALICE), STRAT_A, 1_000));
		// Still in its delay: reached like delegated stake.
		advance(WITHDRAWAL_DELAY - 1);
		assert_eq!(slash(OP1, SET1, pct(10)), vec![(STRAT_A, 200)]);
		// Completable from now on: later slashes reach only Bob, who is still delegated.
		advance(1);
		assert_eq!(slash(OP1, SET1, pct(50)), vec![(STRAT_A, 450)]);
		assert_eq!(withdrawable(BOB, STRAT_A), 450);
		assert_eq!(Restaking::staker_view(&ALICE).withdrawals[0].value, 900);
		// However late it completes.
		advance(100);
		assert_eq!(slash(OP1, SET1, pct(50)), vec![(STRAT_A, 225)]);
		assert_ok!(Restaking::complete_withdrawal(
			RuntimeOrigin::signed(ALICE),
			first_withdrawal(ALICE)
		));
		assert_eq!(lst(LST_A, ALICE), INITIAL_LST - 1_000 + 900);
		let s = Strategies::<Test>::get(STRAT_A).unwrap();
		assert_eq!((s.held, s.total_slashed), (225, 875));
	});
}

#[test]
fn a_slash_requested_before_a_withdrawal_was_completable_still_reaches_it() {
	ExtBuilder::default().build_and_execute(|| {
		let freeze = || <Restaking as OperatorSlasher<AccountId, u128>>::freeze(&OP1, &SET1);
		let unfreeze = || <Restaking as OperatorSlasher<AccountId, u128>>::unfreeze(&OP1, &SET1);
		operator(OP1, &[SET1]);
		stake(ALICE, STRAT_A, 1_000, OP1);
		stake(BOB, STRAT_A, 1_000, OP1);
		stake(CAROL, STRAT_A, 1_000, OP1);
		allocate_now(OP1, SET1, STRAT_A, WAD);
		assert_ok!(Restaking::queue_withdrawal(RuntimeOrigin::signed(ALICE), STRAT_A, 1_000));
		// Requested a block before Alice's withdrawal can complete, executed after.
		advance(WITHDRAWAL_DELAY - 1);
		freeze();
		advance(5);
		assert_noop!(
			Restaking::complete_withdrawal(RuntimeOrigin::signed(ALICE), first_withdrawal(ALICE)),
			Error::<Test>::SlashPending
		);
		assert_eq!(slash(OP1, SET1, pct(50)), vec![(STRAT_A, 1_500)]);
		unfreeze();
		assert_ok!(Restaking::complete_withdrawal(
			RuntimeOrigin::signed(ALICE),
			first_withdrawal(ALICE)
		));
		assert_eq!(lst(LST_A, ALICE), INITIAL_LST - 1_000 + 500);

		// Requested after Bob's withdrawal could complete (nobody had completed it, nothing
		// touched the operator since): it reaches Carol only.
		assert_ok!(Restaking::queue_withdrawal(RuntimeOrigin::signed(BOB), STRAT_A, 1_000));
		advance(WITHDRAWAL_DELAY + 3);
		freeze();
		advance(5);
		// Out of that pending slash's reach: Bob completes while it waits.
		assert_ok!(Restaking::complete_withdrawal(
			RuntimeOrigin::signed(BOB),
			first_withdrawal(BOB)
		));
		assert_eq!(lst(LST_A, BOB), INITIAL_LST - 1_000 + 500);
		assert_eq!(slash(OP1, SET1, pct(50)), vec![(STRAT_A, 250)]);
		unfreeze();
		assert_eq!(withdrawable(CAROL, STRAT_A), 250);
	});
}

#[test]
fn completion_times_are_grouped_and_a_long_freeze_cannot_grow_them_without_bound() {
	ExtBuilder::default().build_and_execute(|| {
		// Two completion times per delay: withdrawals complete at a multiple of 10 blocks,
		// and an operator keeps at most 2 × 2 + 2 of them per strategy.
		MaturityBuckets::set(2);
		operator(OP1, &[SET1]);
		stake(ALICE, STRAT_A, 1_000, OP1);
		allocate_now(OP1, SET1, STRAT_A, WAD);
		run_to_block(11);
		assert_ok!(Restaking::queue_withdrawal(RuntimeOrigin::signed(ALICE), STRAT_A, 10));
		assert_eq!(Stakers::<Test>::get(ALICE).withdrawals[0].withdrawable_at, 40);
		// Queued in the same step: the same completion time, one bucket.
		advance(5);
		assert_ok!(Restaking::queue_withdrawal(RuntimeOrigin::signed(ALICE), STRAT_A, 10));
		assert_eq!(Restaking::book(&OP1, STRAT_A).maturity.len(), 1);
		// A slash pending for long keeps every due bucket slashable: they pile up to the bound.
		<Restaking as OperatorSlasher<AccountId, u128>>::freeze(&OP1, &SET1);
		for _ in 0..5 {
			advance(10);
			assert_ok!(Restaking::queue_withdrawal(RuntimeOrigin::signed(ALICE), STRAT_A, 10));
		}
		assert_eq!(Restaking::book(&OP1, STRAT_A).maturity.len(), 6);
		advance(10);
		assert_noop!(
			Restaking::queue_withdrawal(RuntimeOrigin::signed(ALICE), STRAT_A, 10),
			Error::<Test>::MaturityFull
		);
		// Decided: the due buckets settle, the oldest moves out of the list to make room.
		<Restaking as OperatorSlasher<AccountId, u128>>::unfreeze(&OP1, &SET1);
		assert_ok!(Restaking::queue_withdrawal(RuntimeOrigin::signed(ALICE), STRAT_A, 10));
		assert_eq!(SettledWithdrawals::<Test>::iter().count(), 1);
		for _ in 0..2 {
			assert_ok!(Restaking::complete_withdrawal(
				RuntimeOrigin::signed(ALICE),
				first_withdrawal(ALICE)
			));
		}
		assert_eq!(SettledWithdrawals::<Test>::iter().count(), 0);
		assert_eq!(lst(LST_A, ALICE), INITIAL_LST - 1_000 + 20);
	});
}

#[test]
fn a_completion_settles_its_own_bucket_and_the_others_stay_out_of_reach() {
	ExtBuilder::default().build_and_execute(|| {
		operator(OP1, &[SET1]);
		stake(ALICE, STRAT_A, 1_000, OP1);
		stake(BOB, STRAT_A, 1_000, OP1);
		stake(CAROL, STRAT_A, 1_000, OP1);
		allocate_now(OP1, SET1, STRAT_A, WAD);
		// Two completion times (one block apart in the mock).
		assert_ok!(Restaking::queue_withdrawal(RuntimeOrigin::signed(ALICE), STRAT_A, 1_000));
		advance(1);
		assert_ok!(Restaking::queue_withdrawal(RuntimeOrigin::signed(BOB), STRAT_A, 1_000));
		advance(WITHDRAWAL_DELAY);
		// Bob completes first: his bucket is settled and gone, Alice's is left as it was.
		assert_ok!(Restaking::complete_withdrawal(
			RuntimeOrigin::signed(BOB),
			first_withdrawal(BOB)
		));
		assert_eq!(lst(LST_A, BOB), INITIAL_LST);
		let book = Restaking::book(&OP1, STRAT_A);
		assert_eq!(book.maturity.len(), 1);
		assert_eq!(book.maturity[0].settled_at, None);
		assert_eq!(book.queued_scaled, 1_000);
		// A slash now settles Alice's first, at the factor before it: it reaches Carol only.
		assert_eq!(slash(OP1, SET1, pct(50)), vec![(STRAT_A, 500)]);
		assert_eq!(Restaking::book(&OP1, STRAT_A).queued_scaled, 0);
		assert_ok!(Restaking::complete_withdrawal(
			RuntimeOrigin::signed(ALICE),
			first_withdrawal(ALICE)
		));
		assert_eq!(lst(LST_A, ALICE), INITIAL_LST);
		assert_eq!(withdrawable(CAROL, STRAT_A), 500);
	});
}
