//! Every genesis preset builds a valid genesis state: the node builds its `dev` and `local`
//! chain specs from these presets, so a broken preset is a chain that cannot start.

use frame_support::traits::{fungible::Inspect, fungibles::Inspect as _, Get};
use kasane_runtime::{
	genesis_config_presets::{
		dev_accounts, get_preset, preset_names, DEVNET_ERA_CLOCK, DEV_DELAYS, DEV_ENDOWMENT,
		DEV_LSTS, DEV_LST_ENDOWMENT, VALIDATOR_BOND,
	},
	AccountId, Assets, Balances, Runtime, DAYS, MINUTES,
};
mod common;

use common::with_preset_state;
use sp_genesis_builder::PresetId;
use sp_keyring::Sr25519Keyring;

fn assert_validators(expected: &[Sr25519Keyring]) {
	let mut expected: Vec<AccountId> = expected.iter().map(|k| k.to_account_id()).collect();
	expected.sort();
	assert_eq!(pallet_session::Validators::<Runtime>::get(), expected);
	// The set comes from bonded stake: each validator is a candidate with its own pool, and
	// native staking elected them for era 0.
	for validator in &expected {
		assert!(pallet_native_staking::Validators::<Runtime>::contains_key(validator));
		assert_eq!(
			pallet_native_staking::Pallet::<Runtime>::active_stake_of(validator),
			VALIDATOR_BOND
		);
	}
	let planned: Vec<AccountId> = pallet_native_staking::PlannedValidators::<Runtime>::get()
		.into_iter()
		.map(|e| e.validator)
		.collect();
	assert_eq!(planned, expected);
	assert_eq!(pallet_native_staking::ActiveEra::<Runtime>::get().map(|e| e.index), Some(0));
	assert_eq!(
		pallet_native_staking::ActiveStake::<Runtime>::get(),
		VALIDATOR_BOND * expected.len() as u128
	);
	let clock = DEVNET_ERA_CLOCK;
	assert_eq!(pallet_native_staking::SessionsPerEra::<Runtime>::get(), clock.sessions_per_era);
	assert_eq!(pallet_native_staking::SessionLength::<Runtime>::get(), clock.session_length);
	assert_eq!(pallet_native_staking::BondingEras::<Runtime>::get(), clock.bonding_eras);
	assert_eq!(pallet_native_staking::SlashDeferEras::<Runtime>::get(), clock.slash_defer_eras);
	// Native unbonding (2 to 4 minutes) sits between a restaking withdrawal (2) and the
	// allocation delay less a completion step (5 minutes less a block).
	assert_eq!(pallet_native_staking::Pallet::<Runtime>::check_era_clock(), Ok(()));
	let era = clock.session_length * clock.sessions_per_era;
	assert_eq!(era * (clock.bonding_eras - 1), 2 * MINUTES);
	assert_eq!(era * clock.bonding_eras, 4 * MINUTES);
	assert_eq!(<Runtime as pallet_native_staking::Config>::MinUnbondingBlocks::get(), 2 * MINUTES);
	assert_eq!(
		<Runtime as pallet_native_staking::Config>::MaxUnbondingBlocks::get(),
		5 * MINUTES - 1
	);
	assert_eq!(pallet_aura::Authorities::<Runtime>::get().len(), expected.len());
	assert_eq!(pallet_grandpa::Pallet::<Runtime>::grandpa_authorities().len(), expected.len());
	// Equivocation proofs need the validator-set root of the genesis session.
	assert!(pallet_session::historical::HistoricalSessions::<Runtime>::get(0).is_some());
}

fn assert_endowments() {
	let accounts = dev_accounts();
	for account in &accounts {
		// Validators' bonds are held, not spent.
		assert_eq!(Balances::total_balance(account), DEV_ENDOWMENT);
	}
	assert_eq!(Balances::total_issuance(), DEV_ENDOWMENT * accounts.len() as u128);
	assert_eq!(pallet_sudo::Key::<Runtime>::get(), Some(Sr25519Keyring::Alice.to_account_id()));
	// Each mirrored LST exists, is endowed, and has a restaking strategy next to native KSN.
	for (id, ..) in DEV_LSTS {
		assert_eq!(Assets::total_issuance(id), DEV_LST_ENDOWMENT * accounts.len() as u128);
		assert!(pallet_restaking::AssetStrategy::<Runtime>::get(id).is_some());
	}
	assert_eq!(pallet_restaking::NativeStrategy::<Runtime>::get(), Some(0));
	pallet_restaking::Pallet::<Runtime>::do_try_state().expect("restaking genesis is consistent");
	pallet_native_staking::Pallet::<Runtime>::do_try_state()
		.expect("staking genesis is consistent");
	pallet_avs_registry::Pallet::<Runtime>::do_try_state().expect("registry genesis is consistent");
	pallet_slashing::Pallet::<Runtime>::do_try_state().expect("slashing genesis is consistent");
	pallet_lst_bridge::Pallet::<Runtime>::do_try_state().expect("bridge genesis is consistent");
	pallet_chain_parameters::Pallet::<Runtime>::do_try_state()
		.expect("the genesis delays keep their orderings");
	// Devnets use minutes; every pallet reads them.
	assert_eq!(pallet_chain_parameters::CurrentDelays::<Runtime>::get(), DEV_DELAYS);
	assert_eq!(<Runtime as pallet_restaking::Config>::WithdrawalDelay::get(), 2 * MINUTES);
	assert_eq!(<Runtime as pallet_restaking::Config>::AllocationDelay::get(), 5 * MINUTES);
	assert_eq!(<Runtime as pallet_restaking::Config>::DeallocationDelay::get(), 2 * MINUTES);
	assert_eq!(<Runtime as pallet_restaking::Config>::MaxSlashingWindow::get(), MINUTES);
	assert_eq!(<Runtime as pallet_restaking::Config>::CommissionChangeDelay::get(), MINUTES);
	// New terms are new exposure: they wait as long as an allocation.
	assert_eq!(<Runtime as pallet_avs_registry::Config>::SlashingTermsDelay::get(), 5 * MINUTES);
	assert_eq!(<Runtime as pallet_avs_registry::Config>::MaxVetoWindow::get(), MINUTES);
}

#[test]
fn a_genesis_without_delays_runs_on_the_maxima() {
	sp_io::TestExternalities::default().execute_with(|| {
		assert_eq!(<Runtime as pallet_restaking::Config>::WithdrawalDelay::get(), 7 * DAYS);
		assert_eq!(<Runtime as pallet_restaking::Config>::AllocationDelay::get(), 8 * DAYS);
		assert_eq!(<Runtime as pallet_avs_registry::Config>::MaxVetoWindow::get(), 3 * DAYS);
		pallet_chain_parameters::Pallet::<Runtime>::do_try_state().expect("the maxima are valid");
		// 169 one-hour eras: 168 to 169 hours, between the 7-day withdrawal and the 8-day
		// allocation delay less its 6-hour completion step.
		assert_eq!(pallet_native_staking::Pallet::<Runtime>::check_era_clock(), Ok(()));
		assert_eq!(<Runtime as pallet_avs_registry::Config>::SlashingTermsDelay::get(), 8 * DAYS);
	});
}

#[test]
fn preset_names_are_development_and_local_testnet() {
	let names: Vec<String> = preset_names().into_iter().map(|p| p.to_string()).collect();
	assert_eq!(names, vec!["development".to_string(), "local_testnet".to_string()]);
	assert!(get_preset(&PresetId::from("no_such_preset")).is_none());
}

#[test]
fn development_preset_has_one_validator() {
	with_preset_state(sp_genesis_builder::DEV_RUNTIME_PRESET, || {
		assert_validators(&[Sr25519Keyring::Alice]);
		assert_endowments();
	});
}

#[test]
fn local_testnet_preset_has_three_validators_and_short_eras() {
	with_preset_state(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET, || {
		assert_validators(&[Sr25519Keyring::Alice, Sr25519Keyring::Bob, Sr25519Keyring::Charlie]);
		assert_endowments();
	});
}
