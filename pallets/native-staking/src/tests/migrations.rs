//! Storage migrations: from a state written in the old layout, as a chain that ran the old
//! runtime has it.

use crate::{
	migrations::{v1::ElectedSetV0, v1::ElectedValidatorV0, MigrateV0ToV1},
	mock::*,
	ActiveStake, ActiveValidators, ElectedSet, PlannedStake, PlannedValidators,
};
use frame_support::{
	assert_ok,
	storage::unhashed,
	traits::{Get, GetStorageVersion, OnRuntimeUpgrade, StorageVersion},
	weights::Weight,
};

/// Rewrite both elected sets in the version 0 layout and mark the pallet as version 0.
fn rewind_to_v0() {
	let v0 = |set: ElectedSet<Test>| -> ElectedSetV0<Test> {
		set.into_iter()
			.map(|e| ElectedValidatorV0 {
				validator: e.validator,
				commission: e.commission,
				pool_slashes: e.pool_slashes,
			})
			.collect::<Vec<_>>()
			.try_into()
			.unwrap()
	};
	unhashed::put(&PlannedValidators::<Test>::hashed_key(), &v0(PlannedValidators::<Test>::get()));
	unhashed::put(&ActiveValidators::<Test>::hashed_key(), &v0(ActiveValidators::<Test>::get()));
	StorageVersion::new(0).put::<Staking>();
}

/// Runs the migration with its try-runtime pre/post checks when they are compiled in.
fn migrate() -> Weight {
	#[cfg(feature = "try-runtime")]
	return MigrateV0ToV1::<Test>::try_on_runtime_upgrade(true).expect("pre/post checks hold");
	#[cfg(not(feature = "try-runtime"))]
	MigrateV0ToV1::<Test>::on_runtime_upgrade()
}

fn stakes(set: ElectedSet<Test>) -> Vec<(AccountId, Balance)> {
	set.into_iter().map(|e| (e.validator, e.stake)).collect()
}

#[test]
fn genesis_is_at_the_current_version_and_records_stakes() {
	ExtBuilder::default().build_and_execute(|| {
		assert_eq!(Staking::on_chain_storage_version(), StorageVersion::new(1));
		assert_eq!(Staking::in_code_storage_version(), StorageVersion::new(1));
		let expected = vec![(11, 1_000_000), (21, 1_000_000), (31, 500_000)];
		assert_eq!(stakes(PlannedValidators::<Test>::get()), expected);
		assert_eq!(stakes(ActiveValidators::<Test>::get()), expected);
	});
}

#[test]
fn v1_restores_the_stakes_of_pools_unchanged_since_the_election() {
	ExtBuilder::default().build_and_execute(|| {
		start_era(1);
		let planned = PlannedValidators::<Test>::get();
		let active = ActiveValidators::<Test>::get();
		rewind_to_v0();
		let weight = migrate();
		assert_eq!(Staking::on_chain_storage_version(), StorageVersion::new(1));
		assert_eq!(PlannedValidators::<Test>::get(), planned);
		assert_eq!(ActiveValidators::<Test>::get(), active);
		// Both sets, both totals, the version and one pool per entry read; both sets and the
		// version written.
		let db: frame_support::weights::RuntimeDbWeight =
			<Test as frame_system::Config>::DbWeight::get();
		assert_eq!(weight, db.reads_writes(4 + 6, 2).saturating_add(db.reads_writes(1, 1)));
	});
}

#[test]
fn v1_splits_the_era_stake_by_the_pools_at_the_upgrade() {
	ExtBuilder::default().build_and_execute(|| {
		// 31's pool grows after the election: 1M each now, 2.5M elected.
		assert_ok!(Staking::delegate(RuntimeOrigin::signed(1), 31, 500_000));
		rewind_to_v0();
		migrate();
		let split = vec![(11, 833_333), (21, 833_333), (31, 833_334)];
		assert_eq!(stakes(PlannedValidators::<Test>::get()), split);
		assert_eq!(stakes(ActiveValidators::<Test>::get()), split);
		assert_eq!(PlannedStake::<Test>::get(), 2_500_000);
		assert_eq!(ActiveStake::<Test>::get(), 2_500_000);
	});
}

#[test]
fn v1_runs_once() {
	ExtBuilder::default().build_and_execute(|| {
		rewind_to_v0();
		migrate();
		let planned = PlannedValidators::<Test>::get();
		// Already at version 1: only the version is read, nothing is written.
		let db: frame_support::weights::RuntimeDbWeight =
			<Test as frame_system::Config>::DbWeight::get();
		assert_eq!(migrate(), db.reads(1));
		assert_eq!(PlannedValidators::<Test>::get(), planned);
		assert_eq!(Staking::on_chain_storage_version(), StorageVersion::new(1));
	});
}

#[test]
fn a_set_already_in_the_new_layout_is_kept() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Staking::delegate(RuntimeOrigin::signed(1), 31, 500_000));
		let active_raw = unhashed::get_raw(&ActiveValidators::<Test>::hashed_key());
		rewind_to_v0();
		// Only the planned set is in the old layout.
		unhashed::put_raw(&ActiveValidators::<Test>::hashed_key(), active_raw.as_ref().unwrap());
		let weight = migrate();
		assert_eq!(Staking::on_chain_storage_version(), StorageVersion::new(1));
		assert_eq!(unhashed::get_raw(&ActiveValidators::<Test>::hashed_key()), active_raw);
		assert_eq!(
			stakes(PlannedValidators::<Test>::get()),
			vec![(11, 833_333), (21, 833_333), (31, 833_334)]
		);
		let db: frame_support::weights::RuntimeDbWeight =
			<Test as frame_system::Config>::DbWeight::get();
		assert_eq!(weight, db.reads_writes(5 + 3, 2));
	});
}

#[test]
fn a_set_in_neither_layout_stops_the_migration() {
	ExtBuilder::default().build_and_execute(|| {
		let active_raw = unhashed::get_raw(&ActiveValidators::<Test>::hashed_key()).unwrap();
		rewind_to_v0();
		let planned_v0 = unhashed::get_raw(&PlannedValidators::<Test>::hashed_key());
		unhashed::put_raw(&ActiveValidators::<Test>::hashed_key(), &[4, 1, 2, 3]);
		let db: frame_support::weights::RuntimeDbWeight =
			<Test as frame_system::Config>::DbWeight::get();
		// Nothing written, still version 0: the next upgrade tries again.
		assert_eq!(MigrateV0ToV1::<Test>::on_runtime_upgrade(), db.reads(3));
		assert_eq!(Staking::on_chain_storage_version(), StorageVersion::new(0));
		assert_eq!(unhashed::get_raw(&PlannedValidators::<Test>::hashed_key()), planned_v0);
		// Repaired, it migrates.
		unhashed::put_raw(&ActiveValidators::<Test>::hashed_key(), &active_raw);
		migrate();
		assert_eq!(Staking::on_chain_storage_version(), StorageVersion::new(1));
		assert_eq!(
			stakes(PlannedValidators::<Test>::get()),
			vec![(11, 1_000_000), (21, 1_000_000), (31, 500_000)]
		);
	});
}

#[test]
fn empty_sets_stay_empty() {
	ExtBuilder::default().build_and_execute(|| {
		PlannedValidators::<Test>::kill();
		ActiveValidators::<Test>::kill();
		PlannedStake::<Test>::kill();
		ActiveStake::<Test>::kill();
		StorageVersion::new(0).put::<Staking>();
		migrate();
		assert!(PlannedValidators::<Test>::get().is_empty());
		assert!(!unhashed::exists(&PlannedValidators::<Test>::hashed_key()));
		// Restore a consistent era for the closing try_state.
		start_era(1);
		start_era(2);
	});
}
