//! What a slash reaches: queued withdrawals, pending deallocations, operators that left the
//! set, and the freeze that makes a slash win every race with a deallocation or withdrawal.

use crate::{mock::*, *};
use frame_support::{assert_noop, assert_ok};
use pallet_restaking::{Allocations, NextWithdrawalId};

fn reason() -> ReasonUri {
	b"r".to_vec().try_into().unwrap()
}

fn request(set: OperatorSetId, fraction: Magnitude) -> SlashId {
	assert_ok!(Slashing::request_slash(
		RuntimeOrigin::signed(AVS_OWNER),
		OP1,
		set,
		fraction,
		reason()
	));
	NextSlashId::<Test>::get() - 1
}

fn queue_withdrawal(who: AccountId, shares: u128) -> u64 {
	assert_ok!(Restaking::queue_withdrawal(RuntimeOrigin::signed(who), STRAT_A, shares));
	NextWithdrawalId::<Test>::get() - 1
}

#[test]
fn a_slash_reaches_queued_withdrawals() {
	ExtBuilder::default().build_and_execute(|| {
		let set = slashable_op1(terms());
		let id = queue_withdrawal(ALICE, 500);
		request(set, WAD / 10);
		advance(WITHDRAWAL_DELAY);
		let before = Assets::balance(LST_A, ALICE);
		assert_ok!(Restaking::complete_withdrawal(RuntimeOrigin::signed(ALICE), id));
		assert_eq!(Assets::balance(LST_A, ALICE), before + 450);
		assert_eq!(withdrawable(ALICE, STRAT_A), 450);
	});
}

#[test]
fn a_slash_reaches_a_pending_deallocation() {
	ExtBuilder::default().build_and_execute(|| {
		let set = slashable_op1(terms());
		assert_ok!(Restaking::modify_allocations(RuntimeOrigin::signed(OP1), set, STRAT_A, 0));
		advance(DEALLOCATION_DELAY - 1);
		// Still in force: slashable.
		let id = request(set, WAD / 10);
		assert_eq!(Slashes::<Test>::get(id).unwrap().amounts[0].amount, 100);
		assert_eq!(withdrawable(ALICE, STRAT_A), 900);
		advance(1);
		// Once it took effect there is nothing left to slash.
		assert_noop!(
			Slashing::request_slash(RuntimeOrigin::signed(AVS_OWNER), OP1, set, 1, reason()),
			Error::<Test>::NothingToSlash
		);
	});
}

#[test]
fn a_pending_slash_holds_back_a_deallocation_due_before_it() {
	ExtBuilder::default().build_and_execute(|| {
		// The veto window (15) outlasts the deallocation delay (10).
		let set = slashable_op1(veto_terms(MAX_VETO_WINDOW));
		assert_ok!(Restaking::modify_allocations(RuntimeOrigin::signed(OP1), set, STRAT_A, 0));
		let released_at = System::block_number() + DEALLOCATION_DELAY;
		advance(1);
		let id = request(set, WAD / 5);
		let executes_at = Slashes::<Test>::get(id).unwrap().executes_at;
		assert!(executes_at > released_at);
		let alloc = Allocations::<Test>::get((OP1, set, STRAT_A)).unwrap();
		assert_eq!(alloc.pending.unwrap().effective_at, executes_at + 1);
		// A new decrease (here: leaving the set) waits too.
		assert_ok!(AvsRegistry::deregister_from_operator_set(RuntimeOrigin::signed(OP1), set));
		let alloc = Allocations::<Test>::get((OP1, set, STRAT_A)).unwrap();
		assert_eq!(alloc.pending.unwrap().effective_at, executes_at + 1);
		// At the deadline the whole allocation is still there to slash.
		advance(executes_at - System::block_number());
		let record = Slashes::<Test>::get(id).unwrap();
		assert_eq!(record.status, SlashStatus::Executed);
		assert_eq!(record.amounts[0].amount, 200);
		assert_eq!(withdrawable(ALICE, STRAT_A), 800);
		advance(1);
		let now = System::block_number();
		let alloc = Allocations::<Test>::get((OP1, set, STRAT_A)).unwrap();
		assert_eq!(alloc.at(now).magnitude, 0);
		assert_eq!(alloc.at(now - 1).magnitude, WAD - WAD / 5);
	});
}

#[test]
fn a_slash_and_a_deallocation_due_in_the_same_block_resolve_for_the_slash() {
	ExtBuilder::default().build_and_execute(|| {
		let set = slashable_op1(veto_terms(DEALLOCATION_DELAY));
		// Both scheduled in the same block: the slash is due exactly when the decrease was.
		let id = request(set, WAD / 5);
		assert_ok!(Restaking::modify_allocations(RuntimeOrigin::signed(OP1), set, STRAT_A, 0));
		let executes_at = Slashes::<Test>::get(id).unwrap().executes_at;
		let alloc = Allocations::<Test>::get((OP1, set, STRAT_A)).unwrap();
		assert_eq!(alloc.pending.unwrap().effective_at, executes_at + 1);
		advance(DEALLOCATION_DELAY);
		assert_eq!(Slashes::<Test>::get(id).unwrap().status, SlashStatus::Executed);
		assert_eq!(withdrawable(ALICE, STRAT_A), 800);
	});
}

#[test]
fn no_withdrawal_from_the_operator_completes_while_a_slash_is_pending() {
	ExtBuilder::default().build_and_execute(|| {
		let set = slashable_op1(veto_terms(MAX_VETO_WINDOW));
		let wid = queue_withdrawal(ALICE, 500);
		advance(WITHDRAWAL_DELAY - 5);
		let id = request(set, WAD / 5);
		advance(5);
		assert_noop!(
			Restaking::complete_withdrawal(RuntimeOrigin::signed(ALICE), wid),
			pallet_restaking::Error::<Test>::SlashPending
		);
		let executes_at = Slashes::<Test>::get(id).unwrap().executes_at;
		advance(executes_at - System::block_number());
		assert_eq!(Slashes::<Test>::get(id).unwrap().status, SlashStatus::Executed);
		// Frozen through the deadline block, free from the next.
		assert_noop!(
			Restaking::complete_withdrawal(RuntimeOrigin::signed(ALICE), wid),
			pallet_restaking::Error::<Test>::SlashPending
		);
		advance(1);
		let before = Assets::balance(LST_A, ALICE);
		assert_ok!(Restaking::complete_withdrawal(RuntimeOrigin::signed(ALICE), wid));
		assert_eq!(Assets::balance(LST_A, ALICE), before + 400);
	});
}

#[test]
fn a_slash_never_takes_more_than_was_allocated_when_it_was_requested() {
	ExtBuilder::default().build_and_execute(|| {
		let set = avs_with_terms(veto_terms(MAX_VETO_WINDOW));
		restaking_operator(OP1);
		join(OP1, set);
		stake(ALICE, STRAT_A, 1_000, OP1);
		allocate(OP1, set, STRAT_A, WAD / 2);
		let id = request(set, WAD / 2);
		assert_eq!(Slashes::<Test>::get(id).unwrap().amounts[0].amount, 250);
		// The operator allocates more while the slash is pending.
		allocate(OP1, set, STRAT_A, WAD);
		let executes_at = Slashes::<Test>::get(id).unwrap().executes_at;
		advance(executes_at - System::block_number());
		let record = Slashes::<Test>::get(id).unwrap();
		assert_eq!(record.status, SlashStatus::Executed);
		assert_eq!(record.amounts[0].amount, 250);
		assert_eq!(withdrawable(ALICE, STRAT_A), 750);
	});
}

#[test]
fn an_operator_that_left_is_slashable_only_within_the_window() {
	ExtBuilder::default().build_and_execute(|| {
		let set = slashable_op1(terms());
		assert_ok!(AvsRegistry::deregister_from_operator_set(RuntimeOrigin::signed(OP1), set));
		advance(DEALLOCATION_DELAY - 1);
		request(set, WAD / 10);
		assert_eq!(withdrawable(ALICE, STRAT_A), 900);
		// Equivocation evidence too, within the window.
		let pair = member_pair(OP1, set);
		let (a, sa) = signed(&pair, set, 1, b"x");
		let (b, sb) = signed(&pair, set, 1, b"y");
		assert_ok!(Slashing::report_equivocation(
			RuntimeOrigin::signed(BOB),
			set,
			OP1,
			a,
			sa.clone(),
			b,
			sb.clone()
		));
		advance(1);
		assert_noop!(
			Slashing::request_slash(RuntimeOrigin::signed(AVS_OWNER), OP1, set, 1, reason()),
			Error::<Test>::NotSlashable
		);
		let (c, sc) = signed(&pair, set, 2, b"x");
		let (d, sd) = signed(&pair, set, 2, b"y");
		assert_noop!(
			Slashing::report_equivocation(RuntimeOrigin::signed(BOB), set, OP1, c, sc, d, sd),
			Error::<Test>::NotSlashable
		);
	});
}
