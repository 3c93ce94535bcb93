//! Runtime upgrades: every custom pallet's storage starts at its in-code version, and the
//! runtime's `Migrations` bring a chain whose native staking is still in the version 0 layout
//! (as a chain started from spec 100 has it) to the current one. The node-level test with a
//! real upgrade is `tests/e2e/upgrade.test.mjs`.

mod common;

use common::with_preset_state;
use frame_support::{
	storage::unhashed,
	traits::{GetStorageVersion, StorageVersion},
};
use kasane_runtime::{
	AvsRegistry, ChainParameters, Executive, LstBridge, Restaking, Runtime, Slashing, Staking,
};
use pallet_native_staking::{
	migrations::v1::{ElectedSetV0, ElectedValidatorV0},
	ActiveStake, ActiveValidators, PlannedStake, PlannedValidators,
};

#[test]
fn genesis_stores_every_custom_pallet_at_its_in_code_storage_version() {
	with_preset_state(sp_genesis_builder::DEV_RUNTIME_PRESET, || {
		let versions = [
			(Staking::on_chain_storage_version(), Staking::in_code_storage_version()),
			(Restaking::on_chain_storage_version(), Restaking::in_code_storage_version()),
			(AvsRegistry::on_chain_storage_version(), AvsRegistry::in_code_storage_version()),
			(Slashing::on_chain_storage_version(), Slashing::in_code_storage_version()),
			(LstBridge::on_chain_storage_version(), LstBridge::in_code_storage_version()),
			(
				ChainParameters::on_chain_storage_version(),
				ChainParameters::in_code_storage_version(),
			),
		];
		for (on_chain, in_code) in versions {
			assert_eq!(on_chain, in_code);
		}
		assert_eq!(Staking::in_code_storage_version(), StorageVersion::new(1));
	});
}

#[test]
fn the_upgrade_migrates_a_spec_100_elected_set_and_leaves_a_current_one_alone() {
	with_preset_state(sp_genesis_builder::DEV_RUNTIME_PRESET, || {
		let planned = PlannedValidators::<Runtime>::get();
		let active = ActiveValidators::<Runtime>::get();
		assert!(!planned.is_empty() && planned.iter().all(|e| e.stake > 0));
		assert_eq!(planned.iter().map(|e| e.stake).sum::<u128>(), PlannedStake::<Runtime>::get());

		// Already current: the upgrade's migrations leave the sets byte for byte.
		let planned_raw = unhashed::get_raw(&PlannedValidators::<Runtime>::hashed_key());
		Executive::execute_on_runtime_upgrade();
		assert_eq!(unhashed::get_raw(&PlannedValidators::<Runtime>::hashed_key()), planned_raw);

		// The layout spec 100 wrote: no `stake`.
		let v0: ElectedSetV0<Runtime> = planned
			.iter()
			.map(|e| ElectedValidatorV0 {
				validator: e.validator.clone(),
				commission: e.commission,
				pool_slashes: e.pool_slashes,
			})
			.collect::<Vec<_>>()
			.try_into()
			.unwrap();
		unhashed::put(&PlannedValidators::<Runtime>::hashed_key(), &v0);
		unhashed::put(&ActiveValidators::<Runtime>::hashed_key(), &v0);
		StorageVersion::new(0).put::<Staking>();

		Executive::execute_on_runtime_upgrade();
		assert_eq!(Staking::on_chain_storage_version(), StorageVersion::new(1));
		assert_eq!(PlannedValidators::<Runtime>::get(), planned);
		assert_eq!(ActiveValidators::<Runtime>::get(), active);
		assert_eq!(ActiveStake::<Runtime>::get(), PlannedStake::<Runtime>::get());
		Staking::do_try_state().expect("native staking's invariants hold after the migration");
	});
}
