//! Native restaking: a validator's pool is its `Native` stake; its delegators follow it.

use crate::{mock::*, *};
use frame_support::{assert_noop, assert_ok};
use kasane_primitives::staking::NativeStakeProvider;

#[test]
fn validators_are_operators_automatically() {
	ExtBuilder::default().build_and_execute(|| {
		assert!(!Restaking::is_operator(&VALIDATOR));
		MockNativeStake::set_pool(VALIDATOR, 10_000);
		assert!(Restaking::is_operator(&VALIDATOR));
		MockOperatorSets::join(VALIDATOR, SET1);
		assert_ok!(Restaking::modify_allocation(
			RuntimeOrigin::signed(VALIDATOR),
			SET1,
			NATIVE,
			pct(40)
		));
		let events = restaking_events();
		assert!(events.contains(&Event::OperatorRegistered {
			operator: VALIDATOR,
			commission: Default::default(),
			native: true
		}));
		assert!(matches!(
			events.last(),
			Some(Event::AllocationScheduled { native: true, strategy: NATIVE, .. })
		));
		assert!(Operators::<Test>::get(VALIDATOR).unwrap().native);
		advance(ALLOCATION_DELAY);
		assert_eq!(Restaking::allocated_stake(&VALIDATOR, &SET1, NATIVE), (pct(40), 4_000));
		// Liquid stakers may delegate to it too.
		assert_ok!(Restaking::delegate_to(RuntimeOrigin::signed(ALICE), VALIDATOR));
	});
}

#[test]
fn native_slash_lowers_the_pool_in_proportion() {
	ExtBuilder::default().build_and_execute(|| {
		MockNativeStake::set_pool(VALIDATOR, 10_000);
		MockOperatorSets::join(VALIDATOR, SET1);
		MockOperatorSets::join(VALIDATOR, SET2);
		assert_ok!(Restaking::modify_allocation(
			RuntimeOrigin::signed(VALIDATOR),
			SET1,
			NATIVE,
			pct(40)
		));
		allocate_now(VALIDATOR, SET2, NATIVE, pct(20));
		// Half of SET1's 40%: 20% of the pool.
		assert_eq!(slash(VALIDATOR, SET1, pct(50)), vec![(NATIVE, 2_000)]);
		assert_eq!(MockNativeStake::pool_stake(&VALIDATOR).unwrap().active, 8_000);
		assert!(matches!(
			restaking_events().last(),
			Some(Event::OperatorSlashed { native: true, .. })
		));
		// SET1 keeps 2 000, SET2 its whole 2 000: the slash of one set did not reach the other.
		assert_eq!(Restaking::allocated_stake(&VALIDATOR, &SET1, NATIVE).1, 2_000);
		assert_eq!(Restaking::allocated_stake(&VALIDATOR, &SET2, NATIVE).1, 2_000);
		// The pool grows (new delegators join natively): the sets' share grows with it.
		MockNativeStake::set_pool(VALIDATOR, 16_000);
		assert_eq!(Restaking::allocated_stake(&VALIDATOR, &SET2, NATIVE).1, 4_000);
	});
}

#[test]
fn native_strategy_takes_no_liquid_positions() {
	ExtBuilder::default().build_and_execute(|| {
		MockNativeStake::set_pool(VALIDATOR, 1);
		assert_noop!(
			Restaking::deposit(RuntimeOrigin::signed(ALICE), NATIVE, 10),
			Error::<Test>::NativeStrategyDeposit
		);
	});
}
