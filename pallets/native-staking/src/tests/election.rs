//! Eras and elections through pallet-session.

use crate::{
	mock::*, ActiveValidators, BondedEras, ElectionSkipped, Error, Event, PlannedValidators, Pool,
	Pools, Validators,
};
use frame_support::{assert_noop, assert_ok, traits::ValidatorRegistration};
use sp_runtime::{traits::Dispatchable, Perbill};

fn elected() -> Vec<AccountId> {
	PlannedValidators::<Test>::get().into_iter().map(|e| e.validator).collect()
}

#[test]
fn eras_follow_sessions_and_call_the_era_hooks() {
	ExtBuilder::default().build_and_execute(|| {
		assert_eq!(EraStarts::get(), vec![0]);
		start_era(1);
		start_era(2);
		assert_eq!(EraStarts::get(), vec![0, 1, 2]);
		assert_eq!(EraEnds::get(), vec![0, 1]);
		assert_eq!(pallet_session::CurrentIndex::<Test>::get(), 2 * SessionsPerEra::get());
		assert!(staking_events().contains(&Event::EraStarted { era: 2 }));
		let bonded: Vec<_> = BondedEras::<Test>::get().into_iter().collect();
		assert_eq!(bonded, vec![(0, 0), (1, 3), (2, 6)]);
	});
}

#[test]
fn bonded_eras_are_pruned_after_the_bonding_duration() {
	ExtBuilder::default().build_and_execute(|| {
		start_era(6);
		let bonded: Vec<_> = BondedEras::<Test>::get().into_iter().map(|(e, _)| e).collect();
		assert_eq!(bonded, vec![3, 4, 5, 6]);
		assert!(crate::ErasStartSessionIndex::<Test>::get(2).is_none());
	});
}

#[test]
fn top_candidates_by_pool_stake_become_the_session_validators() {
	ExtBuilder::default().build_and_execute(|| {
		make_validator(41, 600_000, Perbill::zero());
		// Delegations count toward the pool: 31 (500k + 200k) now outranks 41 (600k).
		assert_ok!(Staking::delegate(RuntimeOrigin::signed(1), 31, 200_000));
		start_era(1);
		assert_eq!(elected(), vec![11, 21, 31]);
		assert!(staking_events()
			.contains(&Event::ValidatorsElected { era: 1, validators: vec![11, 21, 31] }));
		assert_ok!(Staking::undelegate(RuntimeOrigin::signed(1)));
		// The next election happens one session before the era starts.
		start_era(2);
		assert_eq!(elected(), vec![11, 21, 41]);
		assert_eq!(session_validators(), vec![11, 21, 41]);
		assert_eq!(
			ActiveValidators::<Test>::get().into_iter().map(|e| e.validator).collect::<Vec<_>>(),
			vec![11, 21, 41]
		);
	});
}

#[test]
fn ties_are_broken_by_account() {
	ExtBuilder::default()
		.validators(vec![
			(31, 100_000, Perbill::zero()),
			(21, 100_000, Perbill::zero()),
			(41, 100_000, Perbill::zero()),
			(11, 100_000, Perbill::zero()),
		])
		.build_and_execute(|| {
			assert_eq!(session_validators(), vec![11, 21, 31]);
		});
}

#[test]
fn candidates_without_keys_or_enough_self_bond_are_not_elected() {
	ExtBuilder::default().build_and_execute(|| {
		// 41 has the most stake but no session keys.
		assert_ok!(Staking::bond(RuntimeOrigin::signed(41), 5_000_000));
		assert_ok!(Staking::validate(RuntimeOrigin::signed(41), Perbill::zero()));
		start_era(1);
		assert!(!elected().contains(&41));
		set_keys(41);
		start_era(2);
		assert!(elected().contains(&41));
	});
}

#[test]
fn too_few_candidates_keep_the_previous_set() {
	ExtBuilder::default().min_validators(3).build_and_execute(|| {
		assert_ok!(Staking::chill(RuntimeOrigin::signed(31)));
		start_era(1);
		assert!(staking_events().contains(&Event::ElectionSkipped {
			era: 1,
			reason: ElectionSkipped::TooFewCandidates { eligible: 2, minimum: 3 }
		}));
		assert_eq!(session_validators(), vec![11, 21, 31]);
		assert_eq!(active_era(), 1);
		// The kept set binds its members as an elected one does.
		assert_noop!(Staking::purge_keys(RuntimeOrigin::signed(31)), Error::<Test>::StillElected);
		assert_noop!(
			Staking::unbond(RuntimeOrigin::signed(31), 500_000),
			Error::<Test>::StillElected
		);
	});
}

#[test]
fn an_elected_validator_keeps_its_session_keys_until_it_has_left_both_sets() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Staking::chill(RuntimeOrigin::signed(31)));
		assert_noop!(Staking::purge_keys(RuntimeOrigin::signed(31)), Error::<Test>::StillElected);
		// Session's own purge_keys is filtered out, so it cannot go around the check.
		let purge = RuntimeCall::Session(pallet_session::Call::purge_keys {});
		assert_eq!(
			purge.dispatch(RuntimeOrigin::signed(31)).unwrap_err().error,
			frame_system::Error::<Test>::CallFiltered.into()
		);
		assert!(Session::is_registered(&31));
		// Era 1 was elected after the chill: 31 is in neither set once it starts.
		start_era(1);
		assert!(!Staking::is_elected(&31));
		assert_ok!(Staking::purge_keys(RuntimeOrigin::signed(31)));
		assert!(!Session::is_registered(&31));
		assert!(staking_events().contains(&Event::SessionKeysPurged { who: 31 }));
		// Nothing left to purge.
		assert_noop!(
			Staking::purge_keys(RuntimeOrigin::signed(31)),
			pallet_session::Error::<Test>::NoKeys
		);
	});
}

#[test]
fn try_state_requires_keys_and_the_minimum_of_elected_validators_unless_slashed() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Staking::do_try_state());
		// Keys removed behind the pallet's back.
		assert_ok!(<Session as pallet_session::SessionInterface>::purge_keys(&11));
		assert!(Staking::do_try_state().is_err());
		set_keys(11);
		assert_ok!(Staking::do_try_state());
		// A self-stake below the minimum is only possible after a slash since the election.
		let pool = Pools::<Test>::get(31).unwrap();
		Pools::<Test>::insert(31, Pool { active: 5_000, ..pool.clone() });
		assert!(Staking::do_try_state().is_err());
		Pools::<Test>::insert(
			31,
			Pool { active: 5_000, slashes: pool.slashes + 1, ..pool.clone() },
		);
		assert_ok!(Staking::do_try_state());
		Pools::<Test>::insert(31, pool);
	});
}

#[test]
fn validate_checks_self_bond_commission_and_capacity() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			Staking::validate(RuntimeOrigin::signed(1), Perbill::zero()),
			Error::<Test>::NotBonded
		);
		assert_ok!(Staking::bond(RuntimeOrigin::signed(1), 5_000));
		assert_noop!(
			Staking::validate(RuntimeOrigin::signed(1), Perbill::zero()),
			Error::<Test>::InsufficientSelfBond
		);
		assert_ok!(Staking::bond_extra(RuntimeOrigin::signed(1), 5_000));
		assert_noop!(
			Staking::validate(RuntimeOrigin::signed(1), Perbill::from_percent(51)),
			Error::<Test>::CommissionTooHigh
		);
		assert_ok!(Staking::validate(RuntimeOrigin::signed(1), Perbill::from_percent(20)));
		assert!(staking_events().contains(&Event::ValidatorPrefsSet {
			validator: 1,
			commission: Perbill::from_percent(20)
		}));
		// MaxValidatorCandidates = 10; 4 so far.
		for who in 2..=7 {
			make_validator(who, 10_000, Perbill::zero());
		}
		assert_eq!(Validators::<Test>::count(), 10);
		assert_ok!(Staking::bond(RuntimeOrigin::signed(8), 10_000));
		assert_noop!(
			Staking::validate(RuntimeOrigin::signed(8), Perbill::zero()),
			Error::<Test>::TooManyCandidates
		);
		// Existing candidates can still update.
		assert_ok!(Staking::validate(RuntimeOrigin::signed(1), Perbill::from_percent(10)));
	});
}

#[test]
fn commission_increases_are_rate_limited_per_era() {
	ExtBuilder::default().build_and_execute(|| {
		// Genesis commission is 10%; +5% per era at most, once per era.
		assert_noop!(
			Staking::validate(RuntimeOrigin::signed(11), Perbill::from_percent(16)),
			Error::<Test>::CommissionIncreaseTooFast
		);
		start_era(1);
		assert_ok!(Staking::validate(RuntimeOrigin::signed(11), Perbill::from_percent(15)));
		assert_noop!(
			Staking::validate(RuntimeOrigin::signed(11), Perbill::from_percent(16)),
			Error::<Test>::CommissionIncreaseTooFast
		);
		// Decreases are always allowed; chilling does not reset the limit.
		assert_ok!(Staking::validate(RuntimeOrigin::signed(11), Perbill::from_percent(5)));
		assert_ok!(Staking::chill(RuntimeOrigin::signed(11)));
		assert_noop!(
			Staking::validate(RuntimeOrigin::signed(11), Perbill::from_percent(10)),
			Error::<Test>::CommissionIncreaseTooFast
		);
		start_era(2);
		assert_ok!(Staking::validate(RuntimeOrigin::signed(11), Perbill::from_percent(10)));
	});
}

#[test]
fn commission_is_fixed_at_election_for_the_era() {
	ExtBuilder::default().build_and_execute(|| {
		start_era(1);
		assert_ok!(Staking::validate(RuntimeOrigin::signed(11), Perbill::from_percent(1)));
		let commission_of_11 = || {
			ActiveValidators::<Test>::get()
				.into_iter()
				.find(|e| e.validator == 11)
				.unwrap()
				.commission
		};
		assert_eq!(commission_of_11(), Perbill::from_percent(10));
		start_era(2);
		assert_eq!(commission_of_11(), Perbill::from_percent(1));
	});
}

#[test]
fn genesis_can_shorten_eras() {
	ExtBuilder::default().era_clock(2, 4).build_and_execute(|| {
		assert_eq!(crate::SessionLength::<Test>::get(), 4);
		run_to_block(8);
		assert_eq!(active_era(), 1);
		assert_eq!(pallet_session::CurrentIndex::<Test>::get(), 2);
		start_era(3);
		assert_eq!(System::block_number(), 25);
	});
}
