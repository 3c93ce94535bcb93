//! Each invariant check fails, with its own message, on the storage corruption it guards
//! against. Built without `build_and_execute`: the storage is left broken on purpose.

use crate::{
	mock::*, ActiveStake, BondedEras, Ledgers, PlannedStake, PlannedValidators, Pools, UnbondPools,
	Validators,
};
use frame_support::assert_ok;
use sp_runtime::Perbill;

/// Starts from a consistent chain with a delegator unbonding, applies `corrupt` and expects
/// `do_try_state` to name what broke.
fn fails_with(corrupt: impl FnOnce(), message: &'static str) {
	ExtBuilder::default().delegations(vec![(1, 11, 300_000)]).build().execute_with(|| {
		assert_ok!(Staking::unbond(RuntimeOrigin::signed(1), 100_000));
		assert_ok!(Staking::do_try_state());
		corrupt();
		assert_eq!(Staking::do_try_state(), Err(message.into()));
	});
}

#[test]
fn a_hold_must_equal_its_ledger() {
	fails_with(
		|| Ledgers::<Test>::mutate(1, |l| l.as_mut().unwrap().held += 1),
		"a hold differs from its ledger",
	);
}

#[test]
fn pool_shares_must_equal_their_ledgers() {
	fails_with(
		|| Pools::<Test>::mutate(11, |p| p.as_mut().unwrap().shares += 1),
		"pool shares or members differ from ledgers",
	);
	fails_with(
		|| Pools::<Test>::mutate(11, |p| p.as_mut().unwrap().members += 1),
		"pool shares or members differ from ledgers",
	);
}

#[test]
fn a_ledger_must_point_at_a_pool() {
	fails_with(|| Pools::<Test>::remove(31), "a ledger points at a missing pool");
}

#[test]
fn unbond_pool_shares_must_equal_the_chunks() {
	fails_with(
		|| {
			let (pool, era, _) = UnbondPools::<Test>::iter().next().unwrap();
			UnbondPools::<Test>::mutate(pool, era, |up| up.as_mut().unwrap().shares += 1);
		},
		"unbond pool shares differ from ledgers",
	);
	fails_with(
		|| {
			let (pool, era, _) = UnbondPools::<Test>::iter().next().unwrap();
			UnbondPools::<Test>::remove(pool, era);
		},
		"a chunk points at a missing unbond pool",
	);
}

#[test]
fn elected_sets_and_their_stake_agree() {
	fails_with(|| PlannedStake::<Test>::put(0), "planned stake and planned set disagree");
	fails_with(|| ActiveStake::<Test>::put(0), "active stake and active set disagree");
}

#[test]
fn a_candidate_is_self_bonded_under_the_commission_cap() {
	fails_with(
		|| Validators::<Test>::insert(1, Validators::<Test>::get(11).unwrap()),
		"a candidate without self-bond or prefs",
	);
	fails_with(
		|| {
			let mut prefs = Validators::<Test>::get(11).unwrap();
			prefs.commission = Perbill::from_percent(100);
			assert!(prefs.commission > <Test as crate::Config>::MaxCommission::get());
			Validators::<Test>::insert(11, prefs);
			Pools::<Test>::mutate(11, |p| p.as_mut().unwrap().prefs = Some(prefs));
		},
		"a commission above the maximum",
	);
}

#[test]
fn an_elected_validator_keeps_its_self_stake_unless_slashed() {
	fails_with(
		|| {
			let elected = PlannedValidators::<Test>::get()[0].validator;
			Pools::<Test>::mutate(elected, |p| p.as_mut().unwrap().active = 1);
		},
		"an elected validator's self-stake fell below the minimum without a slash",
	);
	// A slash since the election explains the loss.
	ExtBuilder::default().build().execute_with(|| {
		let elected = PlannedValidators::<Test>::get()[0].validator;
		Pools::<Test>::mutate(elected, |p| {
			let p = p.as_mut().unwrap();
			p.active = 1;
			p.slashes += 1;
		});
		assert_ok!(Staking::do_try_state());
	});
}

#[test]
fn bonded_eras_only_grow() {
	fails_with(
		|| {
			BondedEras::<Test>::mutate(|eras| {
				eras.try_push((0, 0)).unwrap();
			})
		},
		"bonded eras are not increasing",
	);
}

#[test]
fn a_pool_is_frozen_exactly_by_the_due_slashes_reaching_it() {
	use crate::{types::UnappliedSlash, DueSlashes, SlashesDue};
	let due = other_offence;
	let message = "the pools frozen by due slashes are not the pools they reach";
	fails_with(|| SlashesDue::<Test>::insert(11, 1), message);
	fails_with(
		|| {
			DueSlashes::<Test>::put(frame_support::BoundedVec::truncate_from(vec![
				due(11),
				due(11),
			]));
			SlashesDue::<Test>::insert(11, 1);
		},
		message,
	);
	fails_with(
		|| {
			DueSlashes::<Test>::put(frame_support::BoundedVec::truncate_from(vec![
				UnappliedSlash { fraction: Perbill::zero(), ..due(11) },
			]));
			SlashesDue::<Test>::insert(11, 1);
		},
		"a due slash takes nothing",
	);
}
