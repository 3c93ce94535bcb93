//! Storage migrations: from a state written in the old layout, as a chain that ran the old
//! runtime has it.

use crate::{
	migrations::v1::{v0, MigrateV0ToV1},
	mock::*,
	*,
};
use frame_support::{
	assert_ok,
	traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion},
	weights::Weight,
};
use sp_core::Pair;

/// Runs the migration with its try-runtime pre/post checks when they are compiled in.
fn migrate() -> Weight {
	#[cfg(feature = "try-runtime")]
	return MigrateV0ToV1::<Test>::try_on_runtime_upgrade(true).expect("pre/post checks hold");
	#[cfg(not(feature = "try-runtime"))]
	MigrateV0ToV1::<Test>::on_runtime_upgrade()
}

fn old_record(attesters: &[u8]) -> v0::Contradiction<<Test as Config>::MaxAttesters> {
	v0::Contradiction {
		odd: [1; 32],
		accepted: [2; 32],
		attesters: attesters
			.iter()
			.map(|i| address_of(&attester(*i)))
			.collect::<Vec<_>>()
			.try_into()
			.unwrap(),
	}
}

#[test]
fn the_old_records_are_read_where_version_0_wrote_them() {
	assert_eq!(
		v0::Contradictions::<Test>::hashed_key_for(5),
		Contradictions::<Test>::hashed_key_for(5)
	);
	assert_eq!(
		v0::HeaderContradictions::<Test>::hashed_key_for(60),
		HeaderContradictions::<Test>::hashed_key_for(60)
	);
}

#[test]
fn genesis_is_at_the_current_version() {
	ExtBuilder::default().build_and_execute(|| {
		assert_eq!(Bridge::on_chain_storage_version(), 1);
		assert_eq!(Bridge::in_code_storage_version(), 1);
	});
}

#[test]
fn every_record_keeps_its_attesters_and_gets_the_set_they_follow() {
	ExtBuilder::default().build_and_execute(|| {
		StorageVersion::new(0).put::<Bridge>();
		v0::Contradictions::<Test>::insert(5, old_record(&[SLASHABLE]));
		v0::Contradictions::<Test>::insert(9, old_record(&[0, 2]));
		v0::HeaderContradictions::<Test>::insert(60, old_record(&[2]));
		migrate();
		assert_eq!(Bridge::on_chain_storage_version(), 1);
		let record = Contradictions::<Test>::get(5).unwrap();
		assert_eq!(
			(record.odd, record.accepted, record.attesters.to_vec(), record.operator_set),
			([1; 32], [2; 32], vec![address_of(&attester(SLASHABLE))], Some(BRIDGE_SET))
		);
		assert_eq!(Contradictions::<Test>::get(9).unwrap().attesters.len(), 2);
		assert_eq!(HeaderContradictions::<Test>::get(60).unwrap().operator_set, Some(BRIDGE_SET));
		// Reported as any record made since.
		assert_ok!(Bridge::report_contradiction(
			RuntimeOrigin::signed(bob()),
			5,
			attester(SLASHABLE).public()
		));
		assert_eq!(
			REPORTED.with(|r| r.borrow().clone()),
			vec![(bob(), BRIDGE_SET, attester(SLASHABLE).public(), 5)]
		);
		// The other records are left for the end-of-test checks to hold: none names a trusted
		// header's number, so drop the header one.
		HeaderContradictions::<Test>::remove(60);
	});
}

#[test]
fn under_a_list_root_keeps_records_slash_nobody_and_a_second_run_changes_nothing() {
	ExtBuilder::default().build_and_execute(|| {
		let members = attester_addresses(3);
		assert_ok!(Bridge::set_attesters(RuntimeOrigin::root(), members, 2, VAULT_SET_ID, None));
		StorageVersion::new(0).put::<Bridge>();
		v0::Contradictions::<Test>::insert(5, old_record(&[SLASHABLE]));
		migrate();
		assert_eq!(Contradictions::<Test>::get(5).unwrap().operator_set, None);
		let record = Contradictions::<Test>::get(5);
		migrate();
		assert_eq!(Contradictions::<Test>::get(5), record, "runs at version 0 only");
	});
}
