//! Each invariant check fails, with its own message, on the storage corruption it guards
//! against. Built without `build_and_execute`: the storage is left broken on purpose.

use crate::{mock::*, *};
use frame_support::{assert_ok, traits::fungible::NativeOrWithId};
use kasane_primitives::restaking::OperatorSlasher;

/// A chain with an operator allocated to `SET1` and frozen by a pending slash there, a
/// delegated staker with a queued withdrawal, an undelegated staker and rewards paid out.
fn fails_with(corrupt: impl FnOnce(), message: &'static str) {
	ExtBuilder::default().build().execute_with(|| {
		operator(OP1, &[SET1]);
		stake(ALICE, STRAT_A, 100_000, OP1);
		assert_ok!(Restaking::deposit(RuntimeOrigin::signed(BOB), STRAT_A, 50_000));
		allocate_now(OP1, SET1, STRAT_A, pct(50));
		assert_ok!(Restaking::queue_withdrawal(RuntimeOrigin::signed(ALICE), STRAT_A, 10_000));
		assert_eq!(distribute(SET1, NativeOrWithId::Native, 10_000), Ok(10_000));
		<Restaking as OperatorSlasher<_, _>>::freeze(&OP1, &SET1);
		assert_ok!(Restaking::do_try_state());
		corrupt();
		assert_eq!(Restaking::do_try_state(), Err(message.into()));
	});
}

fn set_book(f: impl FnOnce(&mut OperatorStrategyOf<Test>)) {
	OperatorStrategies::<Test>::mutate(OP1, STRAT_A, |b| f(b.as_mut().unwrap()));
}

#[test]
fn operator_counts_and_deposits() {
	fails_with(
		|| Operators::<Test>::mutate(OP1, |o| o.as_mut().unwrap().approvals += 1),
		"approval count is off",
	);
	fails_with(
		|| Operators::<Test>::mutate(OP1, |o| o.as_mut().unwrap().deposit += 1),
		"an operator's deposit is not held",
	);
}

#[test]
fn strategies_are_indexed_and_hold_their_books() {
	fails_with(|| NextStrategyId::<Test>::put(STRAT_A), "strategy id at or past NextStrategyId");
	fails_with(
		|| Strategies::<Test>::mutate(STRAT_A, |s| s.as_mut().unwrap().held += 1),
		"held != deposited - withdrawn - slashed",
	);
}

#[test]
fn positions_and_staker_records_hold_something() {
	fails_with(
		|| Positions::<Test>::mutate(BOB, STRAT_A, |p| p.as_mut().unwrap().deposit_shares = 0),
		"empty position kept",
	);
	fails_with(
		|| Stakers::<Test>::insert(CAROL, StakerOf::<Test>::default()),
		"empty staker record kept",
	);
	// Moving a delegation without its shares leaves the books behind.
	fails_with(
		|| Stakers::<Test>::mutate(ALICE, |s| s.delegated_to = Some(OP2)),
		"operator active shares != positions",
	);
}

#[test]
fn withdrawals_are_ordered_and_in_their_buckets() {
	fails_with(
		|| Stakers::<Test>::mutate(ALICE, |s| s.withdrawals[0].id += 1 << 16),
		"withdrawal id not of its queueing block",
	);
	fails_with(
		|| Stakers::<Test>::mutate(ALICE, |s| s.withdrawals[0].scaled_shares += 1),
		"maturity bucket != its withdrawals",
	);
	fails_with(|| set_book(|b| b.maturity.clear()), "withdrawals without a completion bucket");
}

#[test]
fn books_equal_what_is_behind_them() {
	fails_with(|| set_book(|b| b.active_scaled += 1), "operator active shares != positions");
	fails_with(|| set_book(|b| b.queued_scaled += 1), "operator queued shares != withdrawals");
	fails_with(|| set_book(|b| b.encumbered -= 1), "encumbered != sum of allocations");
	// The allocation takes effect lazily: what it encumbers is still pending.
	fails_with(
		|| set_book(|b| b.max_magnitude = pct(10)),
		"pending allocation above max magnitude",
	);
	fails_with(|| Operators::<Test>::remove(OP1), "a deregistered operator's stake is allocated");
	fails_with(
		|| set_book(|b| b.pending_allocations.try_push(SET2).unwrap()),
		"listed allocation missing",
	);
	// SET1's allocation is still pending (it takes effect lazily): listing it again.
	fails_with(
		|| set_book(|b| b.pending_allocations.try_push(SET1).unwrap()),
		"a set listed twice among pending allocations",
	);
}

#[test]
fn freezes_count_pending_slashes() {
	fails_with(
		|| SlashFreezes::<Test>::insert(OP1, SET1, 2),
		"operator freeze != its sets' freezes",
	);
	fails_with(|| SlashFreezes::<Test>::insert(OP1, SET1, 0), "a freeze of zero kept");
	fails_with(|| OperatorFreezes::<Test>::remove(OP1), "set freezes without an operator freeze");
	fails_with(
		|| OperatorFreezes::<Test>::mutate(OP1, |f| f.as_mut().unwrap().since = 1_000),
		"frozen since a future block",
	);
}

#[test]
fn the_set_index_matches_the_allocations() {
	fails_with(|| SetAllocations::<Test>::remove(SET1), "allocation not indexed");
	fails_with(
		|| SetAllocations::<Test>::mutate(SET1, |l| l.try_push((OP1, STRAT_A)).unwrap()),
		"an allocation listed twice",
	);
	fails_with(
		|| SetAllocations::<Test>::mutate(SET1, |l| l.try_push((OP2, STRAT_A)).unwrap()),
		"set index without allocation",
	);
	fails_with(
		|| SetAllocations::<Test>::insert(SET2, SetAllocationListOf::<Test>::new()),
		"an empty set allocation list kept",
	);
}

#[test]
fn rewards_owed_are_outstanding() {
	fails_with(
		|| RewardsOutstanding::<Test>::insert(NativeOrWithId::<u32>::Native, 0),
		"rewards owed exceed outstanding",
	);
}

#[test]
fn strategies_back_every_claim() {
	fails_with(
		|| Strategies::<Test>::mutate(STRAT_A, |s| s.as_mut().unwrap().undelegated_scaled += 1),
		"undelegated shares mismatch",
	);
	fails_with(
		|| {
			Strategies::<Test>::mutate(STRAT_A, |s| {
				let s = s.as_mut().unwrap();
				s.held -= 1;
				s.total_withdrawn += 1;
			})
		},
		"strategy holds less than its stakers can claim",
	);
}
