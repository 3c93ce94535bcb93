//! Consensus offences: deferred slashes, chilling, disabling, cancellation, no double slash.

use crate::{mock::*, BlockedUntil, Error, Event, Pools, UnappliedSlashes, Validators};
use frame_support::{assert_noop, assert_ok};
use sp_runtime::{DispatchError, Perbill};
use sp_staking::offence::{OffenceDetails, OnOffenceHandler};

fn report(validator: AccountId, fraction: Perbill, session: u32) {
	let details = [OffenceDetails { offender: (validator, ()), reporters: vec![] }];
	<Staking as OnOffenceHandler<AccountId, (AccountId, ()), _>>::on_offence(
		&details,
		&[fraction],
		session,
	);
}

fn is_disabled(validator: AccountId) -> bool {
	let index = Session::validators().iter().position(|v| *v == validator).unwrap() as u32;
	Session::disabled_validators().contains(&index)
}

#[test]
fn an_offence_chills_disables_and_slashes_after_the_defer_duration() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Staking::delegate(RuntimeOrigin::signed(1), 11, 1_000_000));
		staking_events_since_last_call();
		report(11, Perbill::zero(), 1);
		// At least the configured 10%; chilled first, then the slash deferred.
		assert_eq!(
			staking_events_since_last_call(),
			vec![
				Event::Chilled { validator: 11 },
				Event::OffenceReported {
					validator: 11,
					offence_era: 0,
					fraction: Perbill::from_percent(10),
					apply_era: 1,
				}
			]
		);
		assert!(!Validators::<Test>::contains_key(11));
		assert!(is_disabled(11));
		assert_eq!(Pools::<Test>::get(11).unwrap().active, 2_000_000);
		// Kept out of the next election, and may not re-validate until it has happened.
		assert_noop!(
			Staking::validate(RuntimeOrigin::signed(11), Perbill::zero()),
			Error::<Test>::BlockedForOffence
		);
		start_era(1);
		assert!(!session_validators().contains(&11));
		assert!(staking_events().contains(&Event::PoolSlashed {
			validator: 11,
			parts: 100_000_000,
			whole: 1_000_000_000,
			amount: 200_000,
		}));
		assert_eq!(Staking::active_stake_of(&1), 900_000);
		assert_eq!(Staking::active_stake_of(&11), 900_000);
		let before = issuance();
		assert_ok!(Staking::settle(RuntimeOrigin::signed(2), 1));
		assert_eq!(issuance(), before - 100_000);
		// The block is over once the election it covered has run.
		assert_ok!(Staking::validate(RuntimeOrigin::signed(11), Perbill::zero()));
		assert!(BlockedUntil::<Test>::get(11).is_none());
		start_era(3);
		assert!(session_validators().contains(&11));
	});
}

#[test]
fn root_can_cancel_a_deferred_slash() {
	ExtBuilder::default().build_and_execute(|| {
		report(11, Perbill::zero(), 1);
		report(21, Perbill::zero(), 1);
		assert_eq!(UnappliedSlashes::<Test>::get(1).len(), 2);
		assert_noop!(
			Staking::cancel_deferred_slash(RuntimeOrigin::signed(11), 1, vec![0]),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Staking::cancel_deferred_slash(RuntimeOrigin::root(), 1, vec![]),
			Error::<Test>::EmptySlashList
		);
		assert_noop!(
			Staking::cancel_deferred_slash(RuntimeOrigin::root(), 1, vec![2]),
			Error::<Test>::InvalidSlashIndex
		);
		assert_ok!(Staking::cancel_deferred_slash(RuntimeOrigin::root(), 1, vec![0, 0]));
		assert!(staking_events().contains(&Event::SlashCancelled { era: 1, validator: 11 }));
		start_era(1);
		assert_eq!(Pools::<Test>::get(11).unwrap().active, 1_000_000);
		assert_eq!(Pools::<Test>::get(21).unwrap().active, 900_000);
	});
}

#[test]
fn an_offence_is_never_applied_twice() {
	ExtBuilder::default().build_and_execute(|| {
		report(11, Perbill::zero(), 1);
		let reports = || {
			staking_events()
				.iter()
				.filter(|e| matches!(e, Event::OffenceReported { validator: 11, .. }))
				.count()
		};
		report(11, Perbill::zero(), 2);
		assert_eq!(reports(), 1);
		// A more severe report for the same era adds only the difference.
		report(11, Perbill::from_percent(30), 2);
		assert_eq!(reports(), 2);
		start_era(1);
		let pool = Pools::<Test>::get(11).unwrap();
		// 10% then 20% of the rest.
		assert_eq!(pool.active, 720_000);
		assert_eq!(pool.slashes, 2);
	});
}

#[test]
fn unbonding_stake_is_slashed_unless_it_left_before_the_offence() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Staking::delegate(RuntimeOrigin::signed(1), 11, 100_000));
		assert_ok!(Staking::delegate(RuntimeOrigin::signed(2), 11, 100_000));
		// Left in era 0, before the offence.
		assert_ok!(Staking::unbond(RuntimeOrigin::signed(1), 50_000));
		start_era(1);
		// Left in era 1, the offence era: still answerable.
		assert_ok!(Staking::unbond(RuntimeOrigin::signed(2), 50_000));
		report(11, Perbill::from_percent(20), 4);
		start_era(2);
		assert_eq!(crate::UnbondPools::<Test>::get(11, 3).unwrap().stake, 50_000);
		assert_eq!(crate::UnbondPools::<Test>::get(11, 4).unwrap().stake, 40_000);
		start_era(4);
		assert_ok!(Staking::withdraw_unbonded(RuntimeOrigin::signed(1)));
		assert_ok!(Staking::withdraw_unbonded(RuntimeOrigin::signed(2)));
		// 1 kept its unbonded 50k, 2 lost 20% of it; both lost 20% of what stayed active.
		assert_eq!(free(1), ENDOWMENT - 50_000);
		assert_eq!(free(2), ENDOWMENT - 60_000);
		assert_eq!(held(1), 40_000);
		assert_eq!(held(2), 40_000);
	});
}

#[test]
fn without_deferral_the_slash_is_immediate() {
	ExtBuilder::default().slash_defer(0).build_and_execute(|| {
		report(21, Perbill::from_percent(50), 0);
		assert_eq!(Pools::<Test>::get(21).unwrap().active, 500_000);
		assert!(staking_events().contains(&Event::OffenceReported {
			validator: 21,
			offence_era: 0,
			fraction: Perbill::from_percent(50),
			apply_era: 0,
		}));
	});
}

#[test]
fn offences_older_than_the_bonding_duration_are_ignored() {
	ExtBuilder::default().build_and_execute(|| {
		start_era(5);
		// Session 1 was in era 0, pruned from the slashable eras.
		report(11, Perbill::from_percent(50), 1);
		assert!(Validators::<Test>::contains_key(11));
		assert!(!staking_events().iter().any(|e| matches!(e, Event::OffenceReported { .. })));
	});
}

#[test]
fn a_full_slash_leaves_the_pool_working() {
	ExtBuilder::default().slash_defer(0).build_and_execute(|| {
		assert_ok!(Staking::delegate(RuntimeOrigin::signed(1), 31, 100_000));
		report(31, Perbill::one(), 0);
		let pool = Pools::<Test>::get(31).unwrap();
		assert!(pool.active > 0 && pool.active < 10);
		// Still in the era's set, far below the minimum: the slash is why (see try_state).
		assert!(Staking::is_elected(&31));
		assert_ok!(Staking::settle(RuntimeOrigin::signed(2), 1));
		assert_ok!(Staking::undelegate(RuntimeOrigin::signed(1)));
		start_era(BondingDuration::get());
		assert_ok!(Staking::withdraw_unbonded(RuntimeOrigin::signed(1)));
		assert_eq!(held(1), 0);
		assert!(free(1) >= ENDOWMENT - 100_000);
	});
}

#[test]
fn a_validator_slashed_to_nothing_keeps_its_pool_until_it_has_left_the_sets() {
	ExtBuilder::default().slash_defer(0).build_and_execute(|| {
		// 31 keeps only the minimum and a delegator brings ten times more, so the remnant of
		// a full slash is worth nothing of 31's shares.
		let above = Staking::active_stake_of(&31) - MinValidatorBond::get();
		assert_ok!(Staking::unbond(RuntimeOrigin::signed(31), above));
		assert_ok!(Staking::delegate(RuntimeOrigin::signed(1), 31, 10 * MinValidatorBond::get()));
		report(31, Perbill::one(), 0);
		assert_eq!(Staking::active_stake_of(&31), 0);
		assert!(Staking::is_elected(&31));
		// Giving up the worthless self-bond would let the pool go with its last member while
		// the era's set still names the validator (found by the runtime simulation).
		assert_noop!(Staking::unbond(RuntimeOrigin::signed(31), 1), Error::<Test>::StillElected);
		assert_ok!(Staking::settle(RuntimeOrigin::signed(2), 1));
		assert_ok!(Staking::undelegate(RuntimeOrigin::signed(1)));
		assert!(Pools::<Test>::get(31).is_some());
		// Out of both sets, it may leave.
		start_era(1);
		assert!(!Staking::is_elected(&31));
		assert_ok!(Staking::unbond(RuntimeOrigin::signed(31), 1));
		assert_eq!(crate::Ledgers::<Test>::get(31).unwrap().shares, 0);
	});
}

#[test]
fn offences_their_slashes_and_cancellations_reach_the_slash_history() {
	ExtBuilder::default().build_and_execute(|| {
		report(11, Perbill::zero(), 1);
		report(21, Perbill::from_percent(20), 1);
		assert_eq!(
			LoggedOffences::get(),
			vec![
				(0, 11, Perbill::from_percent(10), 0, 1),
				(1, 21, Perbill::from_percent(20), 0, 1)
			]
		);
		// Reported again for the same era at no higher fraction: not a new offence.
		report(11, Perbill::from_percent(5), 1);
		assert_eq!(LoggedOffences::get().len(), 2);
		assert_ok!(Staking::cancel_deferred_slash(RuntimeOrigin::root(), 1, vec![1]));
		assert_eq!(LoggedCancelled::get(), vec![1]);
		start_era(1);
		// Applied with what the pool lost (10% of its 1 000 000).
		assert_eq!(LoggedApplied::get(), vec![(0, 100_000)]);
	});
}

/// The rotation that starts an era applies the slashes deferred to it and prunes the oldest
/// bonded era, neither of which the benchmarked rotation does: they are charged on top, each
/// slash as an applied one.
#[test]
fn a_rotation_that_starts_an_era_charges_its_deferred_slashes() {
	use crate::{Config, SessionLength, SessionsPerEra, WeightInfo};
	use frame_support::{
		traits::{Get, Hooks},
		weights::RuntimeDbWeight,
	};
	use kasane_primitives::slashing::ConsensusSlashLog;
	ExtBuilder::default().build_and_execute(|| {
		report(11, Perbill::zero(), 1);
		report(21, Perbill::zero(), 1);
		assert_eq!(UnappliedSlashes::<Test>::get(1).len(), 2);
		let era_start = SessionLength::<Test>::get() * SessionsPerEra::<Test>::get() as u64;
		run_to_block(era_start - 1);
		assert_eq!(active_era(), 0);
		System::set_block_number(era_start);
		let candidates = Validators::<Test>::count();
		let db = <<Test as frame_system::Config>::DbWeight as Get<RuntimeDbWeight>>::get();
		let charged = <Staking as Hooks<BlockNumber>>::on_initialize(era_start);
		assert_eq!(active_era(), 1);
		assert!(UnappliedSlashes::<Test>::get(1).is_empty());
		assert_eq!(
			charged,
			db.reads_writes(2, 1)
				+ <Test as Config>::WeightInfo::rotate_session(
					candidates,
					<Test as Config>::MaxValidators::get()
				) + db.reads(3)
				+ Staking::era_start_beyond_benchmark(2)
		);
		let per_slash = <Test as Config>::WeightInfo::apply_slash()
			+ <<Test as Config>::SlashLog as ConsensusSlashLog<AccountId>>::weight();
		assert!(Staking::era_start_beyond_benchmark(2).all_gte(
			per_slash * 2
				+ db.writes(
					1 + u64::from(<<Test as Config>::MaxValidatorCandidates as Get<u32>>::get())
				)
		));
	});
}
