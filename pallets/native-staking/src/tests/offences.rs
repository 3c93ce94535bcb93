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
		// A more severe report for the same era raises the queued slash to its fraction.
		report(11, Perbill::from_percent(30), 2);
		assert_eq!(reports(), 2);
		let queue = UnappliedSlashes::<Test>::get(1);
		assert_eq!(queue.len(), 1);
		assert_eq!(queue[0].fraction, Perbill::from_percent(30));
		assert_eq!(LoggedOffences::get().len(), 1);
		assert_eq!(LoggedRaised::get(), vec![(0, Perbill::from_percent(30))]);
		start_era(1);
		let pool = Pools::<Test>::get(11).unwrap();
		// 30% of the pool, in one slash.
		assert_eq!(pool.active, 700_000);
		assert_eq!(pool.slashes, 1);
		assert_eq!(LoggedApplied::get(), vec![(0, 300_000)]);
	});
}

/// A raise whose first slash was applied already cannot be folded into it: it is a slash of
/// its own, of the difference, deferred like any other.
#[test]
fn a_raise_after_the_first_slash_applied_is_deferred_on_its_own() {
	ExtBuilder::default().build_and_execute(|| {
		report(11, Perbill::zero(), 1);
		start_era(1);
		assert_eq!(Pools::<Test>::get(11).unwrap().active, 900_000);
		// Still era 0's offence (session 1), reported in era 1.
		report(11, Perbill::from_percent(30), 1);
		assert_eq!(
			UnappliedSlashes::<Test>::get(2).into_iter().map(|s| s.fraction).collect::<Vec<_>>(),
			vec![Perbill::from_percent(20)]
		);
		assert_eq!(LoggedOffences::get().len(), 2);
		start_era(2);
		// 10%, then 20% of what was left.
		assert_eq!(Pools::<Test>::get(11).unwrap().active, 720_000);
	});
}

/// pallet-offences hands the handler every offender of a time slot each time one more is
/// reported, at a growing fraction: the earlier ones' queued slashes are raised in place, so
/// the queue holds one slash per offender and nothing is slashed before its era.
#[test]
fn concurrent_offenders_raise_their_queued_slashes_in_place() {
	ExtBuilder::default().build_and_execute(|| {
		let round = |offenders: &[AccountId], fraction: Perbill| {
			let details: Vec<_> = offenders
				.iter()
				.map(|v| OffenceDetails { offender: (*v, ()), reporters: vec![] })
				.collect();
			let fractions = vec![fraction; offenders.len()];
			<Staking as OnOffenceHandler<AccountId, (AccountId, ()), _>>::on_offence(
				&details, &fractions, 1,
			)
		};
		round(&[11], Perbill::from_percent(10));
		round(&[11, 21], Perbill::from_percent(20));
		round(&[11, 21, 31], Perbill::from_percent(40));
		let queue = UnappliedSlashes::<Test>::get(1);
		assert_eq!(
			queue.iter().map(|s| (s.validator, s.fraction)).collect::<Vec<_>>(),
			vec![
				(11, Perbill::from_percent(40)),
				(21, Perbill::from_percent(40)),
				(31, Perbill::from_percent(40))
			]
		);
		assert_eq!(Pools::<Test>::get(11).unwrap().active, 1_000_000);
		assert_eq!(
			LoggedRaised::get(),
			vec![
				(0, Perbill::from_percent(20)),
				(0, Perbill::from_percent(40)),
				(1, Perbill::from_percent(40))
			]
		);
		// The same slot reported again with nothing to raise: the benchmark's charge for the
		// offenders handed over, no slash (and no record pruned) beyond it.
		assert_eq!(
			round(&[11, 21, 31], Perbill::from_percent(40)),
			<<Test as crate::Config>::WeightInfo as crate::WeightInfo>::report_offence(3)
		);
		start_era(1);
		run_until_no_slash_is_due();
		for v in [11, 21, 31] {
			assert_eq!(Pools::<Test>::get(v).unwrap().slashes, 1);
		}
	});
}

/// A slash sent to the last era it may wait for (offence era + bonding eras) still reaches stake
/// unbonded in the offence era after the offence: it is applied at that era's start, before the
/// stake can be withdrawn.
#[test]
fn a_slash_sent_to_its_last_era_still_reaches_stake_unbonded_after_the_offence() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Staking::delegate(RuntimeOrigin::signed(1), 11, 100_000));
		for era in 1..=2 {
			let others = (100..104).map(other_offence).collect();
			UnappliedSlashes::<Test>::insert(era, frame_support::BoundedVec::truncate_from(others));
		}
		report(11, Perbill::zero(), 1);
		assert_eq!(UnappliedSlashes::<Test>::get(3)[0].validator, 11);
		// Unbonded after the offence, in its era: withdrawable from era 3.
		assert_ok!(Staking::unbond(RuntimeOrigin::signed(1), 100_000));
		start_era(2);
		assert!(Staking::withdraw_unbonded(RuntimeOrigin::signed(1)).is_err());
		start_era(3);
		assert_ok!(Staking::withdraw_unbonded(RuntimeOrigin::signed(1)));
		assert_eq!(free(1), ENDOWMENT - 10_000);
		assert_eq!(held(1), 0);
	});
}

/// A slash that finds its era's queue full waits for the next era with room, up to the era at
/// which stake that left after the offence can be withdrawn; only past that is it applied at
/// once.
#[test]
fn a_full_queue_sends_a_slash_to_the_next_era_with_room() {
	ExtBuilder::default().build_and_execute(|| {
		// The mock queues at most 4 slashes an era: fill era 1's with other offences.
		UnappliedSlashes::<Test>::insert(
			1,
			frame_support::BoundedVec::truncate_from(vec![
				other_offence(1),
				other_offence(2),
				other_offence(3),
				other_offence(4),
			]),
		);
		report(11, Perbill::zero(), 1);
		assert!(staking_events().contains(&Event::OffenceReported {
			validator: 11,
			offence_era: 0,
			fraction: Perbill::from_percent(10),
			apply_era: 2,
		}));
		assert_eq!(UnappliedSlashes::<Test>::get(2)[0].validator, 11);
		// Raised where it waits.
		report(11, Perbill::from_percent(20), 1);
		assert_eq!(UnappliedSlashes::<Test>::get(2).len(), 1);
		assert_eq!(UnappliedSlashes::<Test>::get(2)[0].fraction, Perbill::from_percent(20));
		// Every era up to 0 + the bonding duration (3) full: slashed now.
		for era in 2..=3 {
			UnappliedSlashes::<Test>::mutate(era, |q| {
				let mut v = 100;
				while q.try_push(other_offence(v)).is_ok() {
					v += 1;
				}
			});
		}
		report(21, Perbill::zero(), 1);
		assert_eq!(Pools::<Test>::get(21).unwrap().active, 900_000);
		assert!(staking_events().contains(&Event::OffenceReported {
			validator: 21,
			offence_era: 0,
			fraction: Perbill::from_percent(10),
			apply_era: 0,
		}));
		assert_eq!(LoggedApplied::get(), vec![(1, 100_000)]);
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
fn offences_older_than_the_bonding_duration_are_ignored() {
	ExtBuilder::default().build_and_execute(|| {
		start_era(5);
		// Session 1 was in era 0, pruned from the slashable eras.
		report(11, Perbill::from_percent(50), 1);
		assert!(Validators::<Test>::contains_key(11));
		assert!(!staking_events().iter().any(|e| matches!(e, Event::OffenceReported { .. })));
	});
}

/// Reports `validator` in era 0's last session, once the set of era 1 (which still names it)
/// is elected, and starts era 1, whose start applies the slash: the validator's pool is slashed
/// while an era's set names it.
fn slash_while_elected(validator: AccountId, fraction: Perbill) {
	run_to_block(2 * crate::SessionLength::<Test>::get() + 1);
	assert_eq!(crate::CurrentEra::<Test>::get(), Some(1));
	report(validator, fraction, 2);
	start_era(1);
	assert!(Staking::is_elected(&validator));
}

#[test]
fn a_full_slash_leaves_the_pool_working() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Staking::delegate(RuntimeOrigin::signed(1), 31, 100_000));
		slash_while_elected(31, Perbill::one());
		let pool = Pools::<Test>::get(31).unwrap();
		assert!(pool.active > 0 && pool.active < 10);
		// Still in the era's set, far below the minimum: the slash is why (see try_state).
		assert!(Staking::is_elected(&31));
		assert_ok!(Staking::settle(RuntimeOrigin::signed(2), 1));
		assert_ok!(Staking::undelegate(RuntimeOrigin::signed(1)));
		start_era(1 + BondingDuration::get());
		assert_ok!(Staking::withdraw_unbonded(RuntimeOrigin::signed(1)));
		assert_eq!(held(1), 0);
		assert!(free(1) >= ENDOWMENT - 100_000);
	});
}

#[test]
fn a_validator_slashed_to_nothing_keeps_its_pool_until_it_has_left_the_sets() {
	ExtBuilder::default().build_and_execute(|| {
		// 31 keeps only the minimum and a delegator brings ten times more, so the remnant of
		// a full slash is worth nothing of 31's shares.
		let above = Staking::active_stake_of(&31) - MinValidatorBond::get();
		assert_ok!(Staking::unbond(RuntimeOrigin::signed(31), above));
		assert_ok!(Staking::delegate(RuntimeOrigin::signed(1), 31, 10 * MinValidatorBond::get()));
		slash_while_elected(31, Perbill::one());
		assert_eq!(Staking::active_stake_of(&31), 0);
		// Giving up the worthless self-bond would let the pool go with its last member while
		// the era's set still names the validator (found by the runtime simulation).
		assert_noop!(Staking::unbond(RuntimeOrigin::signed(31), 1), Error::<Test>::StillElected);
		assert_ok!(Staking::settle(RuntimeOrigin::signed(2), 1));
		assert_ok!(Staking::undelegate(RuntimeOrigin::signed(1)));
		assert!(Pools::<Test>::get(31).is_some());
		// Out of both sets, it may leave.
		start_era(2);
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
				+ Staking::due_slashes_weight(1)
		);
		assert!(Staking::era_start_beyond_benchmark(2).all_gte(
			db.reads_writes(2, 2)
				+ db.writes(
					1 + u64::from(<<Test as Config>::MaxValidatorCandidates as Get<u32>>::get())
				)
		));
		let per_slash = <Test as Config>::WeightInfo::apply_slash()
			+ <<Test as Config>::SlashLog as ConsensusSlashLog<AccountId>>::weight();
		assert!(Staking::due_slashes_weight(2).all_gte(per_slash * 2));
		// The mock applies one a block: the next block applies the other, the one after that
		// reads that nothing is due, and only that.
		for (next, page) in
			[(era_start + 1, Staking::due_slashes_weight(1)), (era_start + 2, db.reads(1))]
		{
			System::set_block_number(next);
			assert_eq!(
				<Staking as Hooks<BlockNumber>>::on_initialize(next),
				db.reads_writes(2, 1) + page
			);
		}
		assert!(crate::DueSlashes::<Test>::get().is_empty());
	});
}

/// The slashes due at an era's start are applied a page per block, not all in its first block;
/// until a pool's are applied, its unlocked stake is not withdrawn and its delegators do not
/// redelegate, so the page they fall in lets out nothing applying them at once would reach.
#[test]
fn due_slashes_are_applied_a_page_per_block_and_hold_their_pools_stake_until_then() {
	use crate::{DueSlashes, SlashesDue};
	use frame_support::{
		traits::{Get, Hooks},
		weights::RuntimeDbWeight,
	};
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Staking::delegate(RuntimeOrigin::signed(1), 11, 100_000));
		assert_ok!(Staking::delegate(RuntimeOrigin::signed(2), 11, 100_000));
		assert_ok!(Staking::delegate(RuntimeOrigin::signed(3), 11, 100_000));
		// Eras 1 and 2 are full, so 11's slash goes to era 3, after two others.
		for era in 1..=2 {
			UnappliedSlashes::<Test>::insert(
				era,
				frame_support::BoundedVec::truncate_from((100..104).map(other_offence).collect()),
			);
		}
		UnappliedSlashes::<Test>::insert(
			3,
			frame_support::BoundedVec::truncate_from(vec![other_offence(100), other_offence(101)]),
		);
		report(11, Perbill::zero(), 1);
		assert_eq!(UnappliedSlashes::<Test>::get(3)[2].validator, 11);
		// Unbonded after the offence, in its era: unlocked from era 3. Redelegated after it:
		// the obligation to 11's pool matures in era 3 too.
		assert_ok!(Staking::unbond(RuntimeOrigin::signed(1), 100_000));
		assert_ok!(Staking::redelegate(RuntimeOrigin::signed(3), 21));
		start_era(2);
		// Era 3's first block applies the first of its three slashes, the next block the second.
		start_era(3);
		assert_eq!(DueSlashes::<Test>::get().len(), 1);
		assert_eq!(SlashesDue::<Test>::get(11), Some(1));
		assert_eq!(SlashesDue::<Test>::get(100), None);
		assert_eq!(Pools::<Test>::get(11).unwrap().slashes, 0);
		assert_pool_stake_held(1, 2, 21);
		// Settling keeps the matured obligation while the slash it owes is due.
		assert_ok!(Staking::settle(RuntimeOrigin::signed(4), 3));
		assert_eq!(crate::Ledgers::<Test>::get(3).unwrap().redelegations.len(), 1);
		// The third block applies it: charged one slash, and the pool's stake is free again.
		let now = System::block_number() + 1;
		System::set_block_number(now);
		let db = <<Test as frame_system::Config>::DbWeight as Get<RuntimeDbWeight>>::get();
		assert_eq!(
			<Staking as Hooks<BlockNumber>>::on_initialize(now),
			db.reads_writes(2, 1) + Staking::due_slashes_weight(1)
		);
		assert!(DueSlashes::<Test>::get().is_empty());
		assert_eq!(SlashesDue::<Test>::get(11), None);
		assert_eq!(Pools::<Test>::get(11).unwrap().slashes, 1);
		assert_ok!(Staking::withdraw_unbonded(RuntimeOrigin::signed(1)));
		assert_eq!(free(1), ENDOWMENT - 10_000);
		assert_ok!(Staking::redelegate(RuntimeOrigin::signed(2), 21));
		// The redelegated stake pays its share of the slash and the obligation is released.
		assert_ok!(Staking::settle(RuntimeOrigin::signed(4), 3));
		assert!(crate::Ledgers::<Test>::get(3).unwrap().redelegations.is_empty());
		assert_eq!(held(3), 90_000);
	});
}
