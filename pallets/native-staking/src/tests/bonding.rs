//! Bonding with holds: bond, bond_extra, unbond, rebond, withdraw_unbonded.

use crate::{mock::*, ActiveStake, Error, Event, Ledgers, PlannedValidators, Pools, UnbondPools};
use frame_support::{assert_noop, assert_ok};

#[test]
fn genesis_bonds_and_elects_validators() {
	ExtBuilder::default().build_and_execute(|| {
		assert_eq!(held(11), 1_000_000);
		assert_eq!(free(11), ENDOWMENT - 1_000_000);
		// Every genesis validator was elected: their pools are the era's stake.
		assert_eq!(ActiveStake::<Test>::get(), 2_500_000);
		assert_eq!(pooled(), 2_500_000);
		assert_eq!(session_validators(), vec![11, 21, 31]);
		assert_eq!(active_era(), 0);
	});
}

#[test]
fn genesis_delegations_join_pools() {
	ExtBuilder::default().delegations(vec![(1, 11, 300_000), (2, 31, 100_000)]).build_and_execute(
		|| {
			assert_eq!(held(1), 300_000);
			assert_eq!(Pools::<Test>::get(11).unwrap().active, 1_300_000);
			assert_eq!(Pools::<Test>::get(31).unwrap().members, 2);
			assert_eq!(ActiveStake::<Test>::get(), 2_900_000);
		},
	);
}

#[test]
fn bond_holds_funds_and_creates_a_pool() {
	ExtBuilder::default().build_and_execute(|| {
		let before = issuance();
		assert_ok!(Staking::bond(RuntimeOrigin::signed(1), 5_000));
		assert_eq!(held(1), 5_000);
		assert_eq!(free(1), ENDOWMENT - 5_000);
		// A hold keeps the funds in the account: nothing is transferred or minted.
		assert_eq!(issuance(), before);
		let pool = Pools::<Test>::get(1).unwrap();
		assert_eq!(
			(pool.active, pool.shares, pool.owner_shares, pool.members),
			(5_000, 5_000, 5_000, 1)
		);
		assert_eq!(Staking::active_stake_of(&1), 5_000);
		assert!(staking_events().contains(&Event::Bonded { who: 1, pool: 1, amount: 5_000 }));
	});
}

#[test]
fn bad_bonds_are_rejected_and_change_nothing() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(Staking::bond(RuntimeOrigin::signed(1), 0), Error::<Test>::ZeroAmount);
		assert_noop!(Staking::bond(RuntimeOrigin::signed(1), 999), Error::<Test>::BelowMinimumBond);
		assert_noop!(
			Staking::bond(RuntimeOrigin::signed(1), ENDOWMENT + 1),
			Error::<Test>::InsufficientBalance
		);
		// The whole balance cannot be held: the account must stay alive.
		assert_noop!(
			Staking::bond(RuntimeOrigin::signed(1), ENDOWMENT),
			Error::<Test>::InsufficientBalance
		);
		assert_noop!(Staking::bond(RuntimeOrigin::signed(11), 5_000), Error::<Test>::AlreadyBonded);
		assert_noop!(
			Staking::bond_extra(RuntimeOrigin::signed(1), 5_000),
			Error::<Test>::NotBonded
		);
		assert_noop!(Staking::bond_extra(RuntimeOrigin::signed(11), 0), Error::<Test>::ZeroAmount);
		assert_noop!(Staking::unbond(RuntimeOrigin::signed(1), 5), Error::<Test>::NotBonded);
		assert_noop!(
			Staking::withdraw_unbonded(RuntimeOrigin::signed(1)),
			Error::<Test>::NotBonded
		);
	});
}

#[test]
fn bond_extra_adds_to_the_same_pool() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Staking::bond_extra(RuntimeOrigin::signed(11), 250_000));
		assert_eq!(held(11), 1_250_000);
		assert_eq!(Pools::<Test>::get(11).unwrap().active, 1_250_000);
		assert_eq!(pooled(), 2_750_000);
		// The era's stake is what was elected; the extra bond counts from the next election.
		assert_eq!(ActiveStake::<Test>::get(), 2_500_000);
		start_era(1);
		assert_eq!(ActiveStake::<Test>::get(), 2_750_000);
	});
}

#[test]
fn unbond_waits_bonding_duration_then_withdraws() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Staking::bond(RuntimeOrigin::signed(1), 10_000));
		assert_ok!(Staking::unbond(RuntimeOrigin::signed(1), 4_000));
		let unlock = active_era() + BondingDuration::get();
		assert!(staking_events().contains(&Event::Unbonded {
			who: 1,
			pool: 1,
			amount: 4_000,
			era: unlock
		}));
		assert_eq!(Staking::active_stake_of(&1), 6_000);
		// Still held while unbonding.
		assert_eq!(held(1), 10_000);
		assert_eq!(UnbondPools::<Test>::get(1, unlock).unwrap().stake, 4_000);
		assert_noop!(
			Staking::withdraw_unbonded(RuntimeOrigin::signed(1)),
			Error::<Test>::NothingToWithdraw
		);
		start_era(unlock - 1);
		assert_noop!(
			Staking::withdraw_unbonded(RuntimeOrigin::signed(1)),
			Error::<Test>::NothingToWithdraw
		);
		start_era(unlock);
		assert_ok!(Staking::withdraw_unbonded(RuntimeOrigin::signed(1)));
		assert_eq!(held(1), 6_000);
		assert_eq!(free(1), ENDOWMENT - 6_000);
		assert!(UnbondPools::<Test>::get(1, unlock).is_none());
	});
}

#[test]
fn unbonding_everything_removes_the_ledger() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Staking::bond(RuntimeOrigin::signed(1), 10_000));
		assert_ok!(Staking::unbond(RuntimeOrigin::signed(1), u128::MAX));
		assert_eq!(Staking::active_stake_of(&1), 0);
		start_era(BondingDuration::get());
		assert_ok!(Staking::withdraw_unbonded(RuntimeOrigin::signed(1)));
		assert!(Ledgers::<Test>::get(1).is_none());
		assert!(Pools::<Test>::get(1).is_none());
		assert_eq!(held(1), 0);
		assert_eq!(free(1), ENDOWMENT);
		assert!(staking_events().contains(&Event::StakerRemoved { who: 1 }));
	});
}

#[test]
fn unbond_may_not_leave_dust_or_a_candidate_underbonded() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Staking::bond(RuntimeOrigin::signed(1), 10_000));
		assert_noop!(
			Staking::unbond(RuntimeOrigin::signed(1), 9_500),
			Error::<Test>::BelowMinimumBond
		);
		assert_noop!(Staking::unbond(RuntimeOrigin::signed(1), 0), Error::<Test>::ZeroAmount);
		// A candidate keeps MinValidatorBond while it is a candidate...
		assert_noop!(
			Staking::unbond(RuntimeOrigin::signed(31), 495_000),
			Error::<Test>::InsufficientSelfBond
		);
		assert_ok!(Staking::unbond(RuntimeOrigin::signed(31), 490_000));
		// ...and, once chilled, while it is still in an elected set...
		assert_ok!(Staking::chill(RuntimeOrigin::signed(31)));
		assert_noop!(
			Staking::unbond(RuntimeOrigin::signed(31), 10_000),
			Error::<Test>::StillElected
		);
		// ...and can leave entirely when the next era starts without it.
		start_era(1);
		assert!(!Staking::is_elected(&31));
		assert_ok!(Staking::unbond(RuntimeOrigin::signed(31), 10_000));
		assert_eq!(Staking::active_stake_of(&31), 0);
	});
}

#[test]
fn an_elected_validator_keeps_its_minimum_until_it_has_left_both_sets() {
	ExtBuilder::default().build_and_execute(|| {
		// 31 chills after the election for era 1 was held: it stays planned for era 1.
		run_to_block(crate::SessionLength::<Test>::get() * 2 + 1);
		assert!(Staking::is_elected(&31));
		assert!(PlannedValidators::<Test>::get().iter().any(|e| e.validator == 31));
		assert_ok!(Staking::chill(RuntimeOrigin::signed(31)));
		start_era(1);
		assert_noop!(
			Staking::unbond(RuntimeOrigin::signed(31), 500_000),
			Error::<Test>::StillElected
		);
		// Unbonding down to the minimum is fine.
		let above = Staking::active_stake_of(&31) - MinValidatorBond::get();
		assert_ok!(Staking::unbond(RuntimeOrigin::signed(31), above));
		assert_eq!(Staking::active_stake_of(&31), MinValidatorBond::get());
		assert_noop!(Staking::unbond(RuntimeOrigin::signed(31), 1), Error::<Test>::StillElected);
		// The election for era 2 leaves it out; era 2's start takes it out of the active set.
		start_era(2);
		assert!(!Staking::is_elected(&31));
		assert_ok!(Staking::unbond(RuntimeOrigin::signed(31), MinValidatorBond::get()));
		assert_eq!(Staking::active_stake_of(&31), 0);
	});
}

#[test]
fn unlocking_chunks_are_bounded() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Staking::bond(RuntimeOrigin::signed(1), 100_000));
		// Chunks of the same era merge.
		assert_ok!(Staking::unbond(RuntimeOrigin::signed(1), 1_000));
		assert_ok!(Staking::unbond(RuntimeOrigin::signed(1), 1_000));
		assert_eq!(Ledgers::<Test>::get(1).unwrap().unbonding.len(), 1);
		for era in 1..4 {
			start_era(era);
			assert_ok!(Staking::unbond(RuntimeOrigin::signed(1), 1_000));
		}
		assert_eq!(Ledgers::<Test>::get(1).unwrap().unbonding.len(), 4);
		// Era 4 is not yet past the first chunk's unlock (3): no room for a fifth chunk.
		start_era(4);
		// The first chunk (unlock era 3) has unlocked; withdrawing frees its slot.
		assert_noop!(
			Staking::unbond(RuntimeOrigin::signed(1), 1_000),
			Error::<Test>::TooManyUnlockingChunks
		);
		assert_ok!(Staking::withdraw_unbonded(RuntimeOrigin::signed(1)));
		assert_ok!(Staking::unbond(RuntimeOrigin::signed(1), 1_000));
	});
}

#[test]
fn rebond_takes_back_the_newest_unbonding_first() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Staking::bond(RuntimeOrigin::signed(1), 100_000));
		assert_ok!(Staking::unbond(RuntimeOrigin::signed(1), 10_000));
		start_era(1);
		assert_ok!(Staking::unbond(RuntimeOrigin::signed(1), 20_000));
		assert_ok!(Staking::rebond(RuntimeOrigin::signed(1), 25_000));
		assert_eq!(Staking::active_stake_of(&1), 95_000);
		let ledger = Ledgers::<Test>::get(1).unwrap();
		assert_eq!(ledger.unbonding.len(), 1);
		assert_eq!(ledger.unbonding[0].era, BondingDuration::get());
		assert_eq!(UnbondPools::<Test>::get(1, BondingDuration::get()).unwrap().stake, 5_000);
		assert!(staking_events().contains(&Event::Rebonded { who: 1, amount: 25_000 }));
		assert_ok!(Staking::rebond(RuntimeOrigin::signed(1), 1_000_000));
		assert_eq!(Staking::active_stake_of(&1), 100_000);
		assert_noop!(Staking::rebond(RuntimeOrigin::signed(1), 1), Error::<Test>::NothingToRebond);
		assert_eq!(held(1), 100_000);
	});
}
