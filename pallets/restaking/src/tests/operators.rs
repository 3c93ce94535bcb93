//! Operator registration, commission changes and delegation approval.

use crate::{mock::*, *};
use frame_support::{assert_noop, assert_ok, BoundedVec};
use sp_runtime::Perbill;

#[test]
fn register_and_update_operator() {
	ExtBuilder::default().build_and_execute(|| {
		let meta: BoundedVec<u8, _> = b"https://op1.example".to_vec().try_into().unwrap();
		assert_noop!(
			Restaking::register_operator(
				RuntimeOrigin::signed(OP1),
				Perbill::from_percent(51),
				meta.clone(),
				false
			),
			Error::<Test>::CommissionTooHigh
		);
		assert_ok!(Restaking::register_operator(
			RuntimeOrigin::signed(OP1),
			Perbill::from_percent(10),
			meta.clone(),
			false
		));
		assert_noop!(
			Restaking::register_operator(RuntimeOrigin::signed(OP1), Perbill::zero(), meta, false),
			Error::<Test>::AlreadyOperator
		);
		assert_noop!(
			Restaking::update_operator(RuntimeOrigin::signed(OP1), None, None, None),
			Error::<Test>::NothingToUpdate
		);
		assert_noop!(
			Restaking::update_operator(RuntimeOrigin::signed(ALICE), None, None, Some(true)),
			Error::<Test>::NotOperator
		);
		let meta2: BoundedVec<u8, _> = b"ipfs://x".to_vec().try_into().unwrap();
		assert_ok!(Restaking::update_operator(
			RuntimeOrigin::signed(OP1),
			None,
			Some(meta2.clone()),
			Some(true)
		));
		let op = Operators::<Test>::get(OP1).unwrap();
		assert_eq!(op.metadata, meta2);
		assert!(op.approval_required);
	});
}

#[test]
fn commission_changes_are_delayed_and_rate_limited() {
	ExtBuilder::default().build_and_execute(|| {
		operator(OP1, &[]);
		assert_noop!(
			Restaking::update_operator(
				RuntimeOrigin::signed(OP1),
				Some(Perbill::from_percent(16)),
				None,
				None
			),
			Error::<Test>::CommissionIncreaseTooLarge
		);
		assert_ok!(Restaking::update_operator(
			RuntimeOrigin::signed(OP1),
			Some(Perbill::from_percent(15)),
			None,
			None
		));
		let effective_at = System::block_number() + COMMISSION_DELAY;
		assert_eq!(
			restaking_events().last(),
			Some(&Event::CommissionChangeScheduled {
				operator: OP1,
				commission: Perbill::from_percent(15),
				effective_at
			})
		);
		let op = Operators::<Test>::get(OP1).unwrap();
		assert_eq!(op.commission_at(System::block_number()), Perbill::from_percent(5));
		assert_noop!(
			Restaking::update_operator(
				RuntimeOrigin::signed(OP1),
				Some(Perbill::from_percent(1)),
				None,
				None
			),
			Error::<Test>::CommissionChangePending
		);
		run_to_block(effective_at);
		assert_eq!(op.commission_at(System::block_number()), Perbill::from_percent(15));
		// The next change starts from the new commission.
		assert_ok!(Restaking::update_operator(
			RuntimeOrigin::signed(OP1),
			Some(Perbill::from_percent(25)),
			None,
			None
		));
		assert_eq!(Operators::<Test>::get(OP1).unwrap().commission, Perbill::from_percent(15));
	});
}

#[test]
fn approval_gates_delegation() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Restaking::register_operator(
			RuntimeOrigin::signed(OP1),
			Perbill::zero(),
			Default::default(),
			true
		));
		assert_noop!(
			Restaking::delegate_to(RuntimeOrigin::signed(ALICE), OP1),
			Error::<Test>::DelegationNotApproved
		);
		assert_noop!(
			Restaking::set_delegation_approval(RuntimeOrigin::signed(ALICE), BOB, true),
			Error::<Test>::NotOperator
		);
		assert_ok!(Restaking::set_delegation_approval(RuntimeOrigin::signed(OP1), ALICE, true));
		assert_ok!(Restaking::delegate_to(RuntimeOrigin::signed(ALICE), OP1));
		// The operator always may delegate to itself.
		assert_ok!(Restaking::delegate_to(RuntimeOrigin::signed(OP1), OP1));
		assert_ok!(Restaking::set_delegation_approval(RuntimeOrigin::signed(OP1), ALICE, false));
		assert_eq!(
			restaking_events().last(),
			Some(&Event::DelegationApprovalSet { operator: OP1, staker: ALICE, approved: false })
		);
		// Withdrawing approval does not undelegate.
		assert_eq!(Stakers::<Test>::get(ALICE).delegated_to, Some(OP1));
	});
}

#[test]
fn unknown_accounts_are_not_operators() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			Restaking::delegate_to(RuntimeOrigin::signed(ALICE), BOB),
			Error::<Test>::NotOperator
		);
		assert_noop!(
			Restaking::modify_allocation(RuntimeOrigin::signed(BOB), SET1, STRAT_A, pct(10)),
			Error::<Test>::NotOperator
		);
	});
}

#[test]
fn an_operator_record_and_its_approvals_are_backed_by_deposits() {
	// L-5: registering and approving stakers hold deposits; leaving returns them once nothing
	// is delegated to, queued from or allocated by the operator.
	ExtBuilder::default().build_and_execute(|| {
		use frame_support::traits::fungible::InspectHold;
		let held = |reason: HoldReason| Balances::balance_on_hold(&reason.into(), &OP1);
		operator(OP1, &[SET1]);
		assert_eq!(held(HoldReason::OperatorDeposit), 10);
		for staker in [ALICE, BOB, CAROL, PAYER] {
			assert_ok!(Restaking::set_delegation_approval(
				RuntimeOrigin::signed(OP1),
				staker,
				true
			));
		}
		assert_eq!(held(HoldReason::ApprovalDeposit), 4);
		assert_noop!(
			Restaking::set_delegation_approval(RuntimeOrigin::signed(OP1), OP2, true),
			Error::<Test>::TooManyApprovals
		);
		assert_noop!(
			Restaking::set_delegation_approval(RuntimeOrigin::signed(OP1), ALICE, true),
			Error::<Test>::ApprovalUnchanged
		);
		assert_ok!(Restaking::set_delegation_approval(RuntimeOrigin::signed(OP1), PAYER, false));
		assert_eq!(held(HoldReason::ApprovalDeposit), 3);
		// In use: a delegator, then an allocation.
		stake(ALICE, STRAT_A, 100, OP1);
		assert_noop!(
			Restaking::deregister_operator(RuntimeOrigin::signed(OP1)).map_err(|e| e.error),
			sp_runtime::DispatchError::from(Error::<Test>::OperatorInUse)
		);
		assert_ok!(Restaking::modify_allocation(
			RuntimeOrigin::signed(OP1),
			SET1,
			STRAT_A,
			pct(10)
		));
		assert_ok!(Restaking::undelegate(RuntimeOrigin::signed(ALICE)));
		assert_noop!(
			Restaking::deregister_operator(RuntimeOrigin::signed(OP1)).map_err(|e| e.error),
			sp_runtime::DispatchError::from(Error::<Test>::OperatorInUse)
		);
		// Everything wound down: the queued redeposit lands undelegated, the allocation goes.
		advance(ALLOCATION_DELAY);
		assert_ok!(Restaking::modify_allocation(RuntimeOrigin::signed(OP1), SET1, STRAT_A, 0));
		advance(WITHDRAWAL_DELAY.max(DEALLOCATION_DELAY));
		assert_ok!(Restaking::complete_withdrawal(
			RuntimeOrigin::signed(ALICE),
			first_withdrawal(ALICE)
		));
		assert_ok!(Restaking::clear_pending_allocations(RuntimeOrigin::signed(BOB), OP1, STRAT_A));
		let free = Balances::free_balance(OP1);
		restaking_events_since_last_call();
		assert_ok!(Restaking::deregister_operator(RuntimeOrigin::signed(OP1)));
		assert_eq!(Balances::free_balance(OP1), free + 10 + 3);
		assert_eq!((held(HoldReason::OperatorDeposit), held(HoldReason::ApprovalDeposit)), (0, 0));
		assert_eq!(
			restaking_events_since_last_call(),
			vec![Event::OperatorDeregistered { operator: OP1, approvals: 3 }]
		);
		assert_eq!(DelegationApprovals::<Test>::iter_prefix(OP1).count(), 0);
		// Gone: nobody can delegate to it.
		assert_noop!(
			Restaking::delegate_to(RuntimeOrigin::signed(BOB), OP1),
			Error::<Test>::NotOperator
		);
		// A validator-operator (registered by native staking) holds nothing and never leaves here.
		MockNativeStake::set_pool(VALIDATOR, 1_000);
		assert_ok!(Restaking::delegate_to(RuntimeOrigin::signed(BOB), VALIDATOR));
		assert_noop!(
			Restaking::deregister_operator(RuntimeOrigin::signed(VALIDATOR)).map_err(|e| e.error),
			sp_runtime::DispatchError::from(Error::<Test>::OperatorInUse)
		);
	});
}

#[test]
fn stakers_left_delegated_to_a_deregistered_operator_hold_inert_stake_and_can_leave() {
	ExtBuilder::default().build_and_execute(|| {
		operator(OP1, &[SET1]);
		operator(OP2, &[]);
		// BOB delegates with nothing deposited: OP1 holds no stake and may deregister.
		assert_ok!(Restaking::delegate_to(RuntimeOrigin::signed(BOB), OP1));
		assert_ok!(Restaking::deregister_operator(RuntimeOrigin::signed(OP1)));
		assert_eq!(Restaking::delegation(&BOB), Some(OP1));
		// What BOB deposits now waits in OP1's book, which nothing can allocate or slash.
		assert_ok!(Restaking::deposit(RuntimeOrigin::signed(BOB), STRAT_A, 50));
		assert_noop!(
			Restaking::modify_allocation(RuntimeOrigin::signed(OP1), SET1, STRAT_A, pct(10)),
			Error::<Test>::NotOperator
		);
		assert_eq!(Restaking::allocated_stake(&OP1, &SET1, STRAT_A).1, 0);
		// Nobody else can join it, and BOB leaves for OP2 like from any operator.
		assert_noop!(
			Restaking::delegate_to(RuntimeOrigin::signed(ALICE), OP1),
			Error::<Test>::NotOperator
		);
		assert_ok!(Restaking::redelegate(RuntimeOrigin::signed(BOB), OP2));
		advance(WITHDRAWAL_DELAY);
		assert_ok!(Restaking::complete_withdrawal(
			RuntimeOrigin::signed(BOB),
			first_withdrawal(BOB)
		));
		let position = Positions::<Test>::get(BOB, STRAT_A).unwrap();
		assert_eq!(Restaking::position_value(Some(&OP2), STRAT_A, &position), 50);
		assert_eq!(Restaking::operator_stake(&OP2, STRAT_A), 50);
	});
}

#[test]
fn an_operator_deregisters_once_its_allocation_decreases_took_effect_without_clearing_first() {
	use frame_support::dispatch::DispatchErrorWithPostInfo;
	use kasane_primitives::restaking::OperatorSlasher;
	ExtBuilder::default().build_and_execute(|| {
		operator(OP1, &[SET1, SET2]);
		allocate_now(OP1, SET1, STRAT_A, pct(30));
		allocate_now(OP1, SET2, STRAT_B, pct(20));
		assert_ok!(Restaking::modify_allocation(RuntimeOrigin::signed(OP1), SET1, STRAT_A, 0));
		assert_ok!(Restaking::modify_allocation(RuntimeOrigin::signed(OP1), SET2, STRAT_B, 0));
		let deregister = || Restaking::deregister_operator(RuntimeOrigin::signed(OP1));
		let books = OperatorStrategies::<Test>::iter_prefix(OP1).count() as u32;
		// Each book lists one change: looking at it is charged, also when refused.
		let one_change = <Test as Config>::WeightInfo::clear_pending_allocations(1);
		let refused = |touched: u64| DispatchErrorWithPostInfo {
			post_info: Some(Restaking::deregister_operator_weight(
				0,
				books,
				one_change.saturating_mul(touched),
			))
			.into(),
			error: Error::<Test>::OperatorInUse.into(),
		};
		// Not due yet: still allocated, still slashable.
		assert_noop!(deregister(), refused(2));
		advance(DEALLOCATION_DELAY);
		// Due, but SET1's decrease is held back by a slash that waits: nothing is applied.
		<Restaking as OperatorSlasher<_, _>>::freeze(&OP1, &SET1);
		assert_noop!(deregister(), refused(2));
		<Restaking as OperatorSlasher<_, _>>::unfreeze(&OP1, &SET1);
		// Both took effect and nobody applied them: leaving applies them, in one call.
		assert_eq!(Restaking::book(&OP1, STRAT_A).allocated_sets, 1);
		restaking_events_since_last_call();
		let info = deregister().expect("both decreases took effect");
		assert!(!Operators::<Test>::contains_key(OP1));
		assert_eq!(Allocations::<Test>::iter_prefix((OP1,)).count(), 0);
		assert!(SetAllocations::<Test>::get(SET1).is_empty());
		assert!(SetAllocations::<Test>::get(SET2).is_empty());
		for strategy in [STRAT_A, STRAT_B] {
			let book = Restaking::book(&OP1, strategy);
			assert!(book.pending_allocations.is_empty());
			assert_eq!((book.encumbered, book.allocated_sets), (0, 0));
		}
		assert_eq!(
			restaking_events_since_last_call().last(),
			Some(&Event::OperatorDeregistered { operator: OP1, approvals: 0 })
		);
		assert_eq!(
			info.actual_weight,
			Some(Restaking::deregister_operator_weight(0, books, one_change.saturating_mul(2)))
		);
		assert!(
			info.actual_weight.unwrap().all_lt(Restaking::deregister_operator_weight(
				0,
				books,
				Restaking::deregister_touch_weight_max()
			)),
			"within what the call declared"
		);
	});
}

#[test]
fn an_operator_deregisters_once_its_stakers_withdrawals_are_past_their_delay_though_not_completed()
{
	ExtBuilder::default().build_and_execute(|| {
		operator(OP1, &[]);
		stake(ALICE, STRAT_A, 100, OP1);
		assert_ok!(Restaking::undelegate(RuntimeOrigin::signed(ALICE)));
		let deregister = || Restaking::deregister_operator(RuntimeOrigin::signed(OP1));
		// Queued from OP1 and still slashable by its sets until the delay passes.
		assert_noop!(
			deregister().map_err(|e| e.error),
			sp_runtime::DispatchError::from(Error::<Test>::OperatorInUse)
		);
		advance(WITHDRAWAL_DELAY);
		// Past it, though ALICE has not completed it: the book settles it, and OP1 may go.
		assert!(Restaking::book(&OP1, STRAT_A).queued_scaled > 0);
		assert_ok!(deregister());
		assert_eq!(Restaking::book(&OP1, STRAT_A).queued_scaled, 0);
		// ALICE's stake comes back all the same, undelegated.
		assert_ok!(Restaking::complete_withdrawal(
			RuntimeOrigin::signed(ALICE),
			first_withdrawal(ALICE)
		));
		assert_eq!(Restaking::delegation(&ALICE), None);
	});
}
