//! Delegation pools: delegate, undelegate, redelegate, and the O(1) share accounting.

use crate::{mock::*, Error, Event, Ledgers, Pools, UnbondPools};
use frame_support::{assert_noop, assert_ok};
use sp_runtime::Perbill;

#[test]
fn delegate_joins_the_validator_pool() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Staking::delegate(RuntimeOrigin::signed(1), 11, 50_000));
		assert_eq!(held(1), 50_000);
		let pool = Pools::<Test>::get(11).unwrap();
		assert_eq!(
			(pool.active, pool.shares, pool.owner_shares, pool.members),
			(1_050_000, 1_050_000, 1_000_000, 2)
		);
		let ledger = Ledgers::<Test>::get(1).unwrap();
		assert_eq!((ledger.pool, ledger.shares), (11, 50_000));
		assert!(staking_events().contains(&Event::Bonded { who: 1, pool: 11, amount: 50_000 }));
	});
}

#[test]
fn bad_delegations_are_rejected() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(Staking::delegate(RuntimeOrigin::signed(1), 11, 0), Error::<Test>::ZeroAmount);
		assert_noop!(
			Staking::delegate(RuntimeOrigin::signed(1), 11, 999),
			Error::<Test>::BelowMinimumBond
		);
		assert_noop!(
			Staking::delegate(RuntimeOrigin::signed(1), 2, 5_000),
			Error::<Test>::NotValidator
		);
		assert_noop!(
			Staking::delegate(RuntimeOrigin::signed(11), 11, 5_000),
			Error::<Test>::CannotDelegateToSelf
		);
		assert_noop!(
			Staking::delegate(RuntimeOrigin::signed(11), 21, 5_000),
			Error::<Test>::AlreadyBonded
		);
		assert_noop!(
			Staking::delegate(RuntimeOrigin::signed(1), 11, ENDOWMENT * 2),
			Error::<Test>::InsufficientBalance
		);
		// One validator per delegator.
		assert_ok!(Staking::delegate(RuntimeOrigin::signed(1), 11, 5_000));
		assert_noop!(
			Staking::delegate(RuntimeOrigin::signed(1), 21, 5_000),
			Error::<Test>::AlreadyBonded
		);
		// A delegator cannot validate with delegated stake, nor undelegate a self-bond.
		assert_noop!(
			Staking::validate(RuntimeOrigin::signed(1), Perbill::zero()),
			Error::<Test>::NotSelfBonded
		);
		assert_noop!(Staking::undelegate(RuntimeOrigin::signed(11)), Error::<Test>::NotDelegator);
		assert_noop!(
			Staking::redelegate(RuntimeOrigin::signed(11), 21),
			Error::<Test>::NotDelegator
		);
		assert_noop!(Staking::redelegate(RuntimeOrigin::signed(1), 11), Error::<Test>::SamePool);
		assert_noop!(Staking::redelegate(RuntimeOrigin::signed(1), 2), Error::<Test>::NotValidator);
		assert_noop!(Staking::redelegate(RuntimeOrigin::signed(2), 21), Error::<Test>::NotBonded);
	});
}

#[test]
fn chilled_validator_takes_no_new_delegations_but_keeps_old_ones() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Staking::delegate(RuntimeOrigin::signed(1), 31, 5_000));
		assert_ok!(Staking::chill(RuntimeOrigin::signed(31)));
		assert!(staking_events().contains(&Event::Chilled { validator: 31 }));
		assert_noop!(Staking::chill(RuntimeOrigin::signed(31)), Error::<Test>::NotValidator);
		assert_noop!(
			Staking::delegate(RuntimeOrigin::signed(2), 31, 5_000),
			Error::<Test>::NotValidator
		);
		assert_ok!(Staking::bond_extra(RuntimeOrigin::signed(1), 1_000));
		assert_eq!(Staking::active_stake_of(&1), 6_000);
	});
}

#[test]
fn undelegate_unbonds_everything() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Staking::delegate(RuntimeOrigin::signed(1), 11, 50_000));
		assert_ok!(Staking::undelegate(RuntimeOrigin::signed(1)));
		assert_eq!(Staking::active_stake_of(&1), 0);
		assert_eq!(Pools::<Test>::get(11).unwrap().active, 1_000_000);
		start_era(BondingDuration::get());
		assert_ok!(Staking::withdraw_unbonded(RuntimeOrigin::signed(1)));
		assert!(Ledgers::<Test>::get(1).is_none());
		assert_eq!(Pools::<Test>::get(11).unwrap().members, 1);
		assert_eq!(free(1), ENDOWMENT);
	});
}

#[test]
fn a_slash_costs_the_same_whatever_the_number_of_delegators() {
	ExtBuilder::default().build_and_execute(|| {
		let delegators: Vec<AccountId> = (1..=60).filter(|d| d % 10 != 1).take(50).collect();
		for d in &delegators {
			assert_ok!(Staking::delegate(RuntimeOrigin::signed(*d), 11, 10_000));
		}
		let before = Pools::<Test>::get(11).unwrap();
		assert_eq!(before.active, 1_500_000);
		// Touches the pool (and its unbond pools), never the members' ledgers.
		let ledgers_before: Vec<_> =
			delegators.iter().map(|d| Ledgers::<Test>::get(d).unwrap()).collect();
		let taken = Staking::apply_offence_slash(&11, Perbill::from_percent(10), active_era());
		assert_eq!(taken, 150_000);
		let ledgers_after: Vec<_> =
			delegators.iter().map(|d| Ledgers::<Test>::get(d).unwrap()).collect();
		assert_eq!(ledgers_before, ledgers_after);
		// Every share is worth 10% less.
		assert_eq!(Staking::active_stake_of(&7), 9_000);
		assert_eq!(Staking::active_stake_of(&11), 900_000);
		// Members' holds are trimmed when their ledger is settled; anyone can settle.
		assert_eq!(held(7), 10_000);
		let before_issuance = issuance();
		assert_ok!(Staking::settle(RuntimeOrigin::signed(60), 7));
		assert_eq!(held(7), 9_000);
		assert_eq!(issuance(), before_issuance - 1_000);
		assert!(staking_events().contains(&Event::SlashSettled { who: 7, amount: 1_000 }));
		assert_noop!(Staking::settle(RuntimeOrigin::signed(60), 59), Error::<Test>::NotBonded);
	});
}

#[test]
fn redelegate_moves_stake_now_and_keeps_the_old_pool_obligation() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Staking::delegate(RuntimeOrigin::signed(1), 11, 100_000));
		start_era(1);
		assert_ok!(Staking::redelegate(RuntimeOrigin::signed(1), 21));
		let until = 1 + BondingDuration::get();
		assert!(staking_events().contains(&Event::Redelegated {
			who: 1,
			from: 11,
			to: 21,
			amount: 100_000,
			obligation_until: until
		}));
		assert_eq!(Pools::<Test>::get(11).unwrap().active, 1_000_000);
		assert_eq!(Pools::<Test>::get(21).unwrap().active, 1_100_000);
		assert_eq!(pooled(), 2_600_000);
		assert_eq!(UnbondPools::<Test>::get(11, until).unwrap().stake, 100_000);
		// An offence of the old validator committed before the move still reaches it.
		Staking::apply_offence_slash(&11, Perbill::from_percent(20), 1);
		assert_ok!(Staking::settle(RuntimeOrigin::signed(2), 1));
		assert_eq!(held(1), 80_000);
		assert_eq!(Staking::active_stake_of(&1), 80_000);
		assert_eq!(Pools::<Test>::get(21).unwrap().active, 1_080_000);
		// One committed after the move does not.
		Staking::apply_offence_slash(&11, Perbill::from_percent(20), 2);
		assert_ok!(Staking::settle(RuntimeOrigin::signed(2), 1));
		assert_eq!(held(1), 80_000);
		// After the bonding duration the obligation lapses.
		start_era(until);
		assert_ok!(Staking::settle(RuntimeOrigin::signed(2), 1));
		assert!(Ledgers::<Test>::get(1).unwrap().redelegations.is_empty());
		assert!(UnbondPools::<Test>::get(11, until).is_none());
	});
}

#[test]
fn redelegation_loss_reaches_stake_already_unbonding_from_the_new_pool() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Staking::delegate(RuntimeOrigin::signed(1), 11, 100_000));
		assert_ok!(Staking::redelegate(RuntimeOrigin::signed(1), 21));
		assert_ok!(Staking::undelegate(RuntimeOrigin::signed(1)));
		Staking::apply_offence_slash(&11, Perbill::from_percent(50), 0);
		// The loss cannot escape through the unbonding queue.
		start_era(BondingDuration::get());
		assert_ok!(Staking::withdraw_unbonded(RuntimeOrigin::signed(1)));
		assert!(Ledgers::<Test>::get(1).is_none());
		assert_eq!(free(1), ENDOWMENT - 50_000);
	});
}

#[test]
fn redelegations_are_bounded() {
	ExtBuilder::default().build_and_execute(|| {
		make_validator(41, 100_000, Perbill::zero());
		make_validator(51, 100_000, Perbill::zero());
		assert_ok!(Staking::delegate(RuntimeOrigin::signed(1), 11, 10_000));
		// Each move leaves an obligation in the pool it left.
		for to in [21, 31, 41, 51] {
			assert_ok!(Staking::redelegate(RuntimeOrigin::signed(1), to));
		}
		assert_eq!(Ledgers::<Test>::get(1).unwrap().redelegations.len(), 4);
		assert_noop!(
			Staking::redelegate(RuntimeOrigin::signed(1), 11),
			Error::<Test>::TooManyRedelegations
		);
		// Once they lapse, settling drops them and the staker can move again.
		start_era(BondingDuration::get());
		assert_ok!(Staking::redelegate(RuntimeOrigin::signed(1), 11));
		assert_eq!(Ledgers::<Test>::get(1).unwrap().redelegations.len(), 1);
	});
}
