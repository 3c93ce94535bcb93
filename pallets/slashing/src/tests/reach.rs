//! What a slash reaches: queued withdrawals, pending deallocations, operators that left the
//! set, and the freeze that makes a slash win every race with a deallocation or withdrawal.

use crate::{mock::*, *};
use frame_support::{assert_noop, assert_ok};
use kasane_primitives::staking::NativeStakeProvider;
use pallet_restaking::Allocations;
use sp_runtime::Weight;

fn queue_withdrawal(who: AccountId, shares: u128) -> u64 {
	assert_ok!(Restaking::queue_withdrawal(RuntimeOrigin::signed(who), STRAT_A, shares));
	pallet_restaking::Stakers::<Test>::get(who).withdrawals.last().expect("queued").id
}

#[test]
fn a_slash_reaches_queued_withdrawals() {
	ExtBuilder.build_and_execute(|| {
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
	ExtBuilder.build_and_execute(|| {
		let set = slashable_op1(terms());
		assert_ok!(Restaking::modify_allocation(RuntimeOrigin::signed(OP1), set, STRAT_A, 0));
		advance(DEALLOCATION_DELAY - 1);
		// Still in force: slashable.
		let id = request(set, WAD / 10);
		assert_eq!(Slashes::<Test>::get(id).unwrap().amounts[0].amount, 100);
		assert_eq!(withdrawable(ALICE, STRAT_A), 900);
		advance(1);
		// Once it took effect there is nothing left to slash.
		assert_noop!(
			Slashing::request_slash(
				RuntimeOrigin::signed(AVS_OWNER),
				OP1,
				set,
				MIN_SLASH,
				reason()
			),
			Error::<Test>::NothingToSlash
		);
	});
}

#[test]
fn a_pending_slash_holds_back_a_deallocation_due_before_it() {
	ExtBuilder.build_and_execute(|| {
		let set = slashable_op1(veto_terms(MAX_VETO_WINDOW));
		assert_ok!(Restaking::modify_allocation(RuntimeOrigin::signed(OP1), set, STRAT_A, 0));
		let released_at = System::block_number() + DEALLOCATION_DELAY;
		advance(10);
		let id = request(set, WAD / 5);
		let executes_at = Slashes::<Test>::get(id).unwrap().executes_at;
		assert!(executes_at > released_at);
		// Past the decrease's own time, the allocation stays in force while the slash waits.
		advance(released_at - System::block_number() + 1);
		assert_eq!(
			Allocations::<Test>::get((OP1, set, STRAT_A)).unwrap().pending.unwrap().effective_at,
			released_at
		);
		assert_eq!(Restaking::allocated_stake(&OP1, &set, STRAT_A), (WAD, 1_000));
		// At the deadline the whole allocation is still there to slash.
		advance(executes_at - System::block_number());
		let record = Slashes::<Test>::get(id).unwrap();
		assert_eq!(record.status, SlashStatus::Executed);
		assert_eq!(record.amounts[0].amount, 200);
		assert_eq!(withdrawable(ALICE, STRAT_A), 800);
		// Decided: the decrease takes effect at once.
		assert_eq!(Restaking::allocated_stake(&OP1, &set, STRAT_A).0, 0);
		assert!(pallet_restaking::SlashFreezes::<Test>::get(OP1, set).is_none());
	});
}

#[test]
fn a_slash_and_a_deallocation_due_in_the_same_block_resolve_for_the_slash() {
	ExtBuilder.build_and_execute(|| {
		let set = slashable_op1(veto_terms(MAX_VETO_WINDOW));
		// The slash comes due exactly when the decrease does.
		assert_ok!(Restaking::modify_allocation(RuntimeOrigin::signed(OP1), set, STRAT_A, 0));
		advance(DEALLOCATION_DELAY - MAX_VETO_WINDOW);
		let id = request(set, WAD / 5);
		let executes_at = Slashes::<Test>::get(id).unwrap().executes_at;
		let alloc = Allocations::<Test>::get((OP1, set, STRAT_A)).unwrap();
		assert_eq!(alloc.pending.unwrap().effective_at, executes_at);
		advance(MAX_VETO_WINDOW);
		assert_eq!(Slashes::<Test>::get(id).unwrap().status, SlashStatus::Executed);
		assert_eq!(Slashes::<Test>::get(id).unwrap().amounts[0].amount, 200);
		assert_eq!(withdrawable(ALICE, STRAT_A), 800);
	});
}

#[test]
fn no_withdrawal_from_the_operator_completes_while_a_slash_is_pending() {
	ExtBuilder.build_and_execute(|| {
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
		advance(executes_at - System::block_number() - 1);
		assert_noop!(
			Restaking::complete_withdrawal(RuntimeOrigin::signed(ALICE), wid),
			pallet_restaking::Error::<Test>::SlashPending
		);
		// Executed at the start of its deadline block: free from then on, slashed.
		advance(1);
		assert_eq!(Slashes::<Test>::get(id).unwrap().status, SlashStatus::Executed);
		let before = Assets::balance(LST_A, ALICE);
		assert_ok!(Restaking::complete_withdrawal(RuntimeOrigin::signed(ALICE), wid));
		assert_eq!(Assets::balance(LST_A, ALICE), before + 400);
	});
}

#[test]
fn a_slash_never_takes_more_than_was_allocated_when_it_was_requested() {
	ExtBuilder.build_and_execute(|| {
		let set = avs_with_terms(veto_terms(MAX_VETO_WINDOW));
		restaking_operator(OP1);
		join(OP1, set);
		stake(ALICE, STRAT_A, 1_000, OP1);
		allocate(OP1, set, STRAT_A, WAD / 2);
		let id = request(set, WAD / 2);
		assert_eq!(Slashes::<Test>::get(id).unwrap().amounts[0].amount, 250);
		// The operator allocates more while the slash is pending (in force only after it).
		assert_ok!(Restaking::modify_allocation(RuntimeOrigin::signed(OP1), set, STRAT_A, WAD));
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
	ExtBuilder.build_and_execute(|| {
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
			Slashing::request_slash(
				RuntimeOrigin::signed(AVS_OWNER),
				OP1,
				set,
				MIN_SLASH,
				reason()
			),
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

#[test]
fn a_vetoed_slash_unfreezes_at_once() {
	// M-3: the review's test. A veto (or an execution) lifts the freeze when it is the last
	// pending slash; time has nothing to do with it.
	ExtBuilder.build_and_execute(|| {
		let set = slashable_op1(veto_terms(10));
		let wid = queue_withdrawal(ALICE, 500);
		advance(WITHDRAWAL_DELAY - 1);
		let first = request(set, WAD / 10);
		let second = request(set, WAD / 10);
		advance(1);
		assert_ok!(Slashing::veto_slash(RuntimeOrigin::signed(COUNCIL), first, false));
		// One still pending: still frozen.
		assert_noop!(
			Restaking::complete_withdrawal(RuntimeOrigin::signed(ALICE), wid),
			pallet_restaking::Error::<Test>::SlashPending
		);
		assert_ok!(Slashing::veto_slash(RuntimeOrigin::signed(COUNCIL), second, false));
		let before = Assets::balance(LST_A, ALICE);
		assert_ok!(Restaking::complete_withdrawal(RuntimeOrigin::signed(ALICE), wid));
		assert_eq!(Assets::balance(LST_A, ALICE), before + 500);
	});
}

#[test]
fn a_slash_executing_late_still_finds_what_it_froze() {
	// M-3: the freeze lasts until the slash executes, however late, never just until its
	// deadline: a block too full to execute it keeps what it reaches in reach.
	ExtBuilder.build_and_execute(|| {
		let set = slashable_op1(veto_terms(MAX_VETO_WINDOW));
		assert_ok!(Restaking::modify_allocation(RuntimeOrigin::signed(OP1), set, STRAT_A, 0));
		let wid = queue_withdrawal(ALICE, 500);
		advance(DEALLOCATION_DELAY - MAX_VETO_WINDOW);
		let id = request(set, WAD / 5);
		// No block has room to execute it for a while.
		ExecutionWeight::set(&Weight::zero());
		advance(WITHDRAWAL_DELAY + 10);
		assert_eq!(Slashes::<Test>::get(id).unwrap().status, SlashStatus::Pending);
		assert_eq!(Restaking::allocated_stake(&OP1, &set, STRAT_A).0, WAD);
		assert_noop!(
			Restaking::complete_withdrawal(RuntimeOrigin::signed(ALICE), wid),
			pallet_restaking::Error::<Test>::SlashPending
		);
		ExecutionWeight::set(&Weight::from_parts(1_000_000_000_000, 10_000_000));
		advance(1);
		let record = Slashes::<Test>::get(id).unwrap();
		assert_eq!(record.status, SlashStatus::Executed);
		// A fifth of everything allocated when it was requested: the queued half too.
		assert_eq!(record.amounts[0].amount, 200);
		let before = Assets::balance(LST_A, ALICE);
		assert_ok!(Restaking::complete_withdrawal(RuntimeOrigin::signed(ALICE), wid));
		assert_eq!(Assets::balance(LST_A, ALICE), before + 400);
	});
}

#[test]
fn a_native_slash_reaches_what_was_bonded_in_the_era_it_was_requested() {
	// H-1: the request's era goes to native staking with the slash, however late it executes.
	ExtBuilder.build_and_execute(|| {
		let set = avs_with_terms(veto_terms(MAX_VETO_WINDOW));
		MockNativeStake::set_pool(VALIDATOR, 10_000);
		join(VALIDATOR, set);
		allocate(VALIDATOR, set, NATIVE, WAD);
		Era::set(&3);
		assert_ok!(Slashing::request_slash(
			RuntimeOrigin::signed(AVS_OWNER),
			VALIDATOR,
			set,
			WAD / 10,
			reason()
		));
		let id = NextSlashId::<Test>::get() - 1;
		assert_eq!(Slashes::<Test>::get(id).unwrap().requested_era, 3);
		Era::set(&9);
		advance(MAX_VETO_WINDOW);
		assert_eq!(Slashes::<Test>::get(id).unwrap().status, SlashStatus::Executed);
		assert_eq!(MockNativeStake::slashes(), vec![(VALIDATOR, 3)]);
		assert_eq!(MockNativeStake::pool_stake(&VALIDATOR).unwrap().active, 9_000);
	});
}
