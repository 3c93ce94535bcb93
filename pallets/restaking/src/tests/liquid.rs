//! Liquid restaking: deposits, delegation, withdrawals and redelegation.

use crate::{mock::*, *};
use frame_support::{assert_noop, assert_ok};

#[test]
fn deposit_takes_the_asset_and_credits_shares() {
	ExtBuilder::default().build_and_execute(|| {
		let issuance = Assets::total_supply(LST_A);
		assert_ok!(Restaking::deposit(RuntimeOrigin::signed(ALICE), STRAT_A, 400));
		assert_eq!(lst(LST_A, ALICE), INITIAL_LST - 400);
		// Burned as `burn_from` burns: the issuance drops and the assets pallet says so.
		assert_eq!(Assets::total_supply(LST_A), issuance - 400);
		assert!(System::events().iter().any(|r| r.event
			== RuntimeEvent::Assets(pallet_assets::Event::Burned {
				asset_id: LST_A,
				owner: ALICE,
				balance: 400
			})));
		assert_eq!(
			Positions::<Test>::get(ALICE, STRAT_A),
			Some(Position { deposit_shares: 400, scaled_shares: 400, ..Default::default() })
		);
		let s = Strategies::<Test>::get(STRAT_A).unwrap();
		assert_eq!((s.held, s.undelegated_scaled, s.total_deposited), (400, 400, 400));
		assert_eq!(
			restaking_events().last(),
			Some(&Event::Deposited {
				staker: ALICE,
				strategy: STRAT_A,
				amount: 400,
				deposit_shares: 400
			})
		);
		// More than the staker has: the asset refuses, nothing changes.
		assert_noop!(
			Restaking::deposit(RuntimeOrigin::signed(ALICE), STRAT_A, INITIAL_LST),
			pallet_assets::Error::<Test>::BalanceLow
		);
	});
}

#[test]
fn a_deposit_that_would_leave_less_than_the_minimum_takes_the_whole_balance() {
	ExtBuilder::default().build_and_execute(|| {
		// An asset whose accounts must hold at least 100.
		const DUSTY: u32 = 77;
		assert_ok!(Assets::force_create(RuntimeOrigin::root(), DUSTY, OP1, true, 100));
		assert_ok!(Assets::mint(RuntimeOrigin::signed(OP1), DUSTY, ALICE, 1_000));
		assert_ok!(Restaking::add_strategy(
			RuntimeOrigin::root(),
			StrategyKind::Asset(DUSTY),
			u128::MAX,
			u128::MAX
		));
		let strategy = NextStrategyId::<Test>::get() - 1;

		// 950 would leave 50, which the asset would burn with the reaped account: all 1 000
		// is deposited instead, and the position holds every unit that left circulation.
		assert_ok!(Restaking::deposit(RuntimeOrigin::signed(ALICE), strategy, 950));
		assert_eq!(lst(DUSTY, ALICE), 0);
		assert_eq!(Assets::total_supply(DUSTY), 0);
		assert_eq!(Positions::<Test>::get(ALICE, strategy).unwrap().deposit_shares, 1_000);
		assert_eq!(Strategies::<Test>::get(strategy).unwrap().held, 1_000);
		assert_eq!(
			restaking_events().last(),
			Some(&Event::Deposited {
				staker: ALICE,
				strategy,
				amount: 1_000,
				deposit_shares: 1_000
			})
		);

		// A deposit that leaves exactly the minimum takes what it asks for.
		assert_ok!(Assets::mint(RuntimeOrigin::signed(OP1), DUSTY, BOB, 1_000));
		assert_ok!(Restaking::deposit(RuntimeOrigin::signed(BOB), strategy, 900));
		assert_eq!(lst(DUSTY, BOB), 100);
		assert_eq!(Positions::<Test>::get(BOB, strategy).unwrap().deposit_shares, 900);
		assert_eq!(Assets::total_supply(DUSTY), 100);
	});
}

#[test]
fn delegation_moves_every_position_and_later_deposits_follow() {
	ExtBuilder::default().build_and_execute(|| {
		operator(OP1, &[]);
		assert_ok!(Restaking::deposit(RuntimeOrigin::signed(ALICE), STRAT_A, 300));
		assert_ok!(Restaking::deposit(RuntimeOrigin::signed(ALICE), STRAT_B, 200));
		assert_ok!(Restaking::delegate_to(RuntimeOrigin::signed(ALICE), OP1));
		assert_eq!(Restaking::book(&OP1, STRAT_A).active_scaled, 300);
		assert_eq!(Restaking::book(&OP1, STRAT_B).active_scaled, 200);
		assert_eq!(Strategies::<Test>::get(STRAT_A).unwrap().undelegated_scaled, 0);
		assert_ok!(Restaking::deposit(RuntimeOrigin::signed(ALICE), STRAT_A, 100));
		assert_eq!(Restaking::operator_stake(&OP1, STRAT_A), 400);
		assert_noop!(
			Restaking::delegate_to(RuntimeOrigin::signed(ALICE), OP1),
			Error::<Test>::AlreadyDelegated
		);
	});
}

#[test]
fn withdrawal_waits_for_the_delay_and_pays_the_staker() {
	ExtBuilder::default().build_and_execute(|| {
		operator(OP1, &[]);
		stake(ALICE, STRAT_A, 1_000, OP1);
		assert_noop!(
			Restaking::queue_withdrawal(RuntimeOrigin::signed(ALICE), STRAT_A, 1_001),
			Error::<Test>::InsufficientShares
		);
		assert_noop!(
			Restaking::queue_withdrawal(RuntimeOrigin::signed(ALICE), STRAT_B, 1),
			Error::<Test>::NoPosition
		);
		assert_ok!(Restaking::queue_withdrawal(RuntimeOrigin::signed(ALICE), STRAT_A, 400));
		let id = first_withdrawal(ALICE);
		let book = Restaking::book(&OP1, STRAT_A);
		assert_eq!((book.active_scaled, book.queued_scaled), (600, 400));
		assert_eq!(Restaking::operator_stake(&OP1, STRAT_A), 600);
		advance(WITHDRAWAL_DELAY - 1);
		assert_noop!(
			Restaking::complete_withdrawal(RuntimeOrigin::signed(ALICE), id),
			Error::<Test>::WithdrawalNotReady
		);
		advance(1);
		// Nobody else completes a token withdrawal: not under its own name (the id is not in
		// its queue), not through `complete_redeposit`.
		assert_noop!(
			Restaking::complete_withdrawal(RuntimeOrigin::signed(BOB), id),
			Error::<Test>::UnknownWithdrawal
		);
		assert_noop!(
			Restaking::complete_redeposit(RuntimeOrigin::signed(BOB), ALICE, id),
			Error::<Test>::NotWithdrawalOwner
		);
		assert_ok!(Restaking::complete_withdrawal(RuntimeOrigin::signed(ALICE), id));
		assert_eq!(lst(LST_A, ALICE), INITIAL_LST - 600);
		assert_eq!(
			restaking_events().last(),
			Some(&Event::WithdrawalCompleted {
				id,
				staker: ALICE,
				strategy: STRAT_A,
				amount: 400,
				kind: WithdrawalKind::Tokens
			})
		);
		assert_noop!(
			Restaking::complete_withdrawal(RuntimeOrigin::signed(ALICE), id),
			Error::<Test>::UnknownWithdrawal
		);
		// Withdrawing everything removes the position.
		assert_ok!(Restaking::queue_withdrawal(RuntimeOrigin::signed(ALICE), STRAT_A, 600));
		assert!(Positions::<Test>::get(ALICE, STRAT_A).is_none());
		// The delegation stays.
		assert_eq!(Restaking::delegation(&ALICE), Some(OP1));
	});
}

#[test]
fn queued_withdrawals_are_bounded() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Restaking::deposit(RuntimeOrigin::signed(ALICE), STRAT_A, 100));
		for _ in 0..8 {
			assert_ok!(Restaking::queue_withdrawal(RuntimeOrigin::signed(ALICE), STRAT_A, 1));
		}
		assert_noop!(
			Restaking::queue_withdrawal(RuntimeOrigin::signed(ALICE), STRAT_A, 1),
			Error::<Test>::TooManyQueuedWithdrawals
		);
		assert_noop!(
			Restaking::queue_withdrawal(RuntimeOrigin::signed(ALICE), STRAT_A, 0),
			Error::<Test>::ZeroAmount
		);
	});
}

#[test]
fn redelegation_switches_at_once_and_moves_stake_after_the_delay() {
	ExtBuilder::default().build_and_execute(|| {
		operator(OP1, &[SET1]);
		operator(OP2, &[]);
		stake(ALICE, STRAT_A, 1_000, OP1);
		allocate_now(OP1, SET1, STRAT_A, pct(50));
		assert_noop!(
			Restaking::redelegate(RuntimeOrigin::signed(ALICE), OP1),
			Error::<Test>::SameOperator
		);
		assert_noop!(
			Restaking::redelegate(RuntimeOrigin::signed(BOB), OP2),
			Error::<Test>::NotDelegated
		);
		assert_ok!(Restaking::redelegate(RuntimeOrigin::signed(ALICE), OP2));
		assert_eq!(Stakers::<Test>::get(ALICE).delegated_to, Some(OP2));
		// No longer delegated to OP1, but still slashable by its sets.
		assert_eq!(Restaking::operator_stake(&OP1, STRAT_A), 0);
		assert_eq!(Restaking::book(&OP1, STRAT_A).queued_scaled, 1_000);
		// New deposits go to OP2 right away.
		assert_ok!(Restaking::deposit(RuntimeOrigin::signed(ALICE), STRAT_A, 100));
		assert_eq!(Restaking::operator_stake(&OP2, STRAT_A), 100);

		// OP1's set slashes 50% of its allocation (25% of OP1's stake): the moving stake bears it.
		slash(OP1, SET1, pct(50));
		advance(WITHDRAWAL_DELAY);
		let id = first_withdrawal(ALICE);
		// Anyone may complete a redeposit, naming the staker; a withdrawal id is looked up in
		// the caller's own queue by `complete_withdrawal`.
		assert_noop!(
			Restaking::complete_withdrawal(RuntimeOrigin::signed(CAROL), id),
			Error::<Test>::UnknownWithdrawal
		);
		assert_noop!(
			Restaking::complete_redeposit(RuntimeOrigin::signed(CAROL), BOB, id),
			Error::<Test>::UnknownWithdrawal
		);
		assert_ok!(Restaking::complete_redeposit(RuntimeOrigin::signed(CAROL), ALICE, id));
		assert_eq!(
			restaking_events().last(),
			Some(&Event::WithdrawalCompleted {
				id,
				staker: ALICE,
				strategy: STRAT_A,
				amount: 750,
				kind: WithdrawalKind::Redeposit
			})
		);
		assert!(Stakers::<Test>::get(ALICE).withdrawals.is_empty());
		assert_eq!(Restaking::operator_stake(&OP2, STRAT_A), 850);
		assert_eq!(withdrawable(ALICE, STRAT_A), 850);
		assert_eq!(Positions::<Test>::get(ALICE, STRAT_A).unwrap().deposit_shares, 1_100);
		// LST A's stakers did not opt in to redistribution: the 250 were burned.
		assert_eq!(lst(LST_A, AVS_TREASURY), 0);
		assert_eq!(Strategies::<Test>::get(STRAT_A).unwrap().total_slashed, 250);
	});
}

#[test]
fn undelegation_brings_positions_back_undelegated() {
	ExtBuilder::default().build_and_execute(|| {
		operator(OP1, &[]);
		stake(ALICE, STRAT_A, 500, OP1);
		stake(ALICE, STRAT_B, 300, OP1);
		assert_ok!(Restaking::undelegate(RuntimeOrigin::signed(ALICE)));
		assert_eq!(
			restaking_events().last(),
			Some(&Event::Undelegated { staker: ALICE, operator: OP1 })
		);
		assert_eq!(Stakers::<Test>::get(ALICE).withdrawals.len(), 2);
		assert_noop!(
			Restaking::undelegate(RuntimeOrigin::signed(ALICE)),
			Error::<Test>::NotDelegated
		);
		advance(WITHDRAWAL_DELAY);
		let ids: Vec<_> = Stakers::<Test>::get(ALICE).withdrawals.iter().map(|w| w.id).collect();
		assert_eq!(ids.len(), 2);
		for id in ids {
			assert_ok!(Restaking::complete_withdrawal(RuntimeOrigin::signed(ALICE), id));
		}
		assert_eq!(withdrawable(ALICE, STRAT_A), 500);
		assert_eq!(withdrawable(ALICE, STRAT_B), 300);
		assert_eq!(Strategies::<Test>::get(STRAT_A).unwrap().undelegated_scaled, 500);
		// And can delegate again.
		assert_ok!(Restaking::delegate_to(RuntimeOrigin::signed(ALICE), OP1));
	});
}

#[test]
fn views_report_positions_withdrawals_and_allocations() {
	ExtBuilder::default().build_and_execute(|| {
		operator(OP1, &[SET1]);
		stake(ALICE, STRAT_A, 1_000, OP1);
		allocate_now(OP1, SET1, STRAT_A, pct(50));
		assert_ok!(Restaking::queue_withdrawal(RuntimeOrigin::signed(ALICE), STRAT_A, 400));
		slash(OP1, SET1, pct(20));
		let view = Restaking::staker_view(&ALICE);
		assert_eq!(view.delegated_to, Some(OP1));
		assert_eq!(view.positions.len(), 1);
		assert_eq!((view.positions[0].deposit_shares, view.positions[0].withdrawable), (600, 540));
		assert_eq!(view.withdrawals.len(), 1);
		assert_eq!((view.withdrawals[0].value, view.withdrawals[0].redeposit), (360, false));
		let op = Restaking::operator_view(&OP1);
		assert!(op.is_operator);
		assert_eq!(op.strategies[0].delegated, 540);
		assert_eq!(op.strategies[0].queued, 360);
		assert_eq!(op.allocations.len(), 1);
		assert_eq!(op.allocations[0].magnitude, pct(40));
		assert_eq!(op.allocations[0].allocated_stake, 540 * 40 / 90);
		assert!(Restaking::staker_view(&BOB).positions.is_empty());
	});
}

#[test]
fn withdrawal_ids_are_per_staker_and_never_given_twice() {
	ExtBuilder::default().build_and_execute(|| {
		operator(OP1, &[]);
		stake(ALICE, STRAT_A, 1_000, OP1);
		stake(BOB, STRAT_A, 1_000, OP1);
		let ids =
			|who| Stakers::<Test>::get(who).withdrawals.iter().map(|w| w.id).collect::<Vec<_>>();
		run_to_block(3);
		// The queueing block and the rank among the staker's withdrawals queued in it.
		assert_ok!(Restaking::queue_withdrawal(RuntimeOrigin::signed(ALICE), STRAT_A, 100));
		assert_ok!(Restaking::queue_withdrawal(RuntimeOrigin::signed(ALICE), STRAT_A, 100));
		assert_ok!(Restaking::queue_withdrawal(RuntimeOrigin::signed(BOB), STRAT_A, 100));
		assert_eq!(ids(ALICE), vec![3 << 16, (3 << 16) + 1]);
		assert_eq!(ids(BOB), vec![3 << 16]);
		assert!(matches!(
			restaking_events().last(),
			Some(Event::WithdrawalQueued { id, staker: BOB, .. }) if *id == 3 << 16
		));
		advance(WITHDRAWAL_DELAY);
		for id in ids(ALICE) {
			assert_ok!(Restaking::complete_withdrawal(RuntimeOrigin::signed(ALICE), id));
		}
		// An emptied queue starts again from the block it is in: no earlier id comes back.
		assert_ok!(Restaking::queue_withdrawal(RuntimeOrigin::signed(ALICE), STRAT_A, 100));
		let block = System::block_number();
		assert_eq!(ids(ALICE), vec![block << 16]);
		assert!(block << 16 > (3 << 16) + 1);
		assert_noop!(
			Restaking::complete_withdrawal(RuntimeOrigin::signed(ALICE), 3 << 16),
			Error::<Test>::UnknownWithdrawal
		);
	});
}
