//! Adding, capping and pausing strategies.

use crate::{mock::*, *};
use frame_support::{assert_noop, assert_ok};
use sp_runtime::DispatchError;

#[test]
fn admin_adds_strategies_once_per_asset() {
	ExtBuilder::default().without_strategies().build_and_execute(|| {
		assert_noop!(
			Restaking::add_strategy(RuntimeOrigin::signed(ALICE), StrategyKind::Native, 0, 0),
			DispatchError::BadOrigin
		);
		assert_ok!(Restaking::add_strategy(RuntimeOrigin::root(), StrategyKind::Native, 0, 0));
		assert_noop!(
			Restaking::add_strategy(RuntimeOrigin::root(), StrategyKind::Native, 0, 0),
			Error::<Test>::NativeStrategyExists
		);
		assert_ok!(Restaking::add_strategy(
			RuntimeOrigin::root(),
			StrategyKind::Asset(LST_A),
			500,
			100
		));
		assert_noop!(
			Restaking::add_strategy(RuntimeOrigin::root(), StrategyKind::Asset(LST_A), 1, 1),
			Error::<Test>::AssetAlreadyHasStrategy
		);
		assert_eq!(NativeStrategy::<Test>::get(), Some(0));
		assert_eq!(AssetStrategy::<Test>::get(LST_A), Some(1));
		assert_eq!(
			restaking_events().last(),
			Some(&Event::StrategyAdded {
				strategy: 1,
				kind: StrategyKind::Asset(LST_A),
				deposit_cap: 500,
				per_staker_cap: 100
			})
		);
	});
}

#[test]
fn strategies_are_bounded() {
	ExtBuilder::default().without_strategies().build_and_execute(|| {
		for asset in 0..8u32 {
			assert_ok!(Restaking::add_strategy(
				RuntimeOrigin::root(),
				StrategyKind::Asset(asset + 10),
				1,
				1
			));
		}
		assert_noop!(
			Restaking::add_strategy(RuntimeOrigin::root(), StrategyKind::Asset(99), 1, 1),
			Error::<Test>::TooManyStrategies
		);
	});
}

#[test]
fn caps_bound_deposits() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Restaking::set_strategy_caps(RuntimeOrigin::root(), STRAT_A, 1_000, 600));
		assert_ok!(Restaking::deposit(RuntimeOrigin::signed(ALICE), STRAT_A, 600));
		assert_noop!(
			Restaking::deposit(RuntimeOrigin::signed(ALICE), STRAT_A, 1),
			Error::<Test>::StakerCapExceeded
		);
		assert_ok!(Restaking::deposit(RuntimeOrigin::signed(BOB), STRAT_A, 400));
		assert_noop!(
			Restaking::deposit(RuntimeOrigin::signed(CAROL), STRAT_A, 1),
			Error::<Test>::DepositCapExceeded
		);
		assert_noop!(
			Restaking::set_strategy_caps(RuntimeOrigin::signed(ALICE), STRAT_A, 1, 1),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Restaking::set_strategy_caps(RuntimeOrigin::root(), 42, 1, 1),
			Error::<Test>::UnknownStrategy
		);
	});
}

#[test]
fn paused_strategy_refuses_deposits_but_not_withdrawals() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Restaking::deposit(RuntimeOrigin::signed(ALICE), STRAT_A, 100));
		assert_ok!(Restaking::set_strategy_status(
			RuntimeOrigin::root(),
			STRAT_A,
			StrategyStatus::DepositsPaused
		));
		assert_eq!(
			restaking_events().last(),
			Some(&Event::StrategyStatusChanged {
				strategy: STRAT_A,
				status: StrategyStatus::DepositsPaused
			})
		);
		assert_noop!(
			Restaking::deposit(RuntimeOrigin::signed(ALICE), STRAT_A, 1),
			Error::<Test>::DepositsPaused
		);
		assert_ok!(Restaking::queue_withdrawal(RuntimeOrigin::signed(ALICE), STRAT_A, 100));
		advance(WITHDRAWAL_DELAY);
		assert_ok!(Restaking::complete_withdrawal(
			RuntimeOrigin::signed(ALICE),
			first_withdrawal(ALICE)
		));
		assert_eq!(lst(LST_A, ALICE), INITIAL_LST);
		assert_ok!(Restaking::set_strategy_status(
			RuntimeOrigin::root(),
			STRAT_A,
			StrategyStatus::Active
		));
		assert_ok!(Restaking::deposit(RuntimeOrigin::signed(ALICE), STRAT_A, 1));
	});
}

#[test]
fn native_stake_is_not_deposited() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			Restaking::deposit(RuntimeOrigin::signed(ALICE), NATIVE, 1),
			Error::<Test>::NativeStrategyDeposit
		);
		assert_noop!(
			Restaking::deposit(RuntimeOrigin::signed(ALICE), STRAT_A, 0),
			Error::<Test>::ZeroAmount
		);
		assert_noop!(
			Restaking::deposit(RuntimeOrigin::signed(ALICE), 7, 1),
			Error::<Test>::UnknownStrategy
		);
	});
}

#[test]
fn genesis_adds_strategies() {
	use sp_runtime::BuildStorage;
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	crate::GenesisConfig::<Test> {
		strategies: vec![(StrategyKind::Native, 0, 0), (StrategyKind::Asset(LST_A), 10, 5)],
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	sp_io::TestExternalities::new(storage).execute_with(|| {
		assert_eq!(NativeStrategy::<Test>::get(), Some(0));
		assert_eq!(AssetStrategy::<Test>::get(LST_A), Some(1));
		assert_eq!(Strategies::<Test>::get(1).unwrap().deposit_cap, 10);
		Restaking::do_try_state().unwrap();
	});
}
