//! Helpers shared by the runtime's integration tests: genesis presets, and the "an AVS creates
//! a set, an operator joins it and allocates" scenario several tests start from.

// Each test binary includes this module and uses part of it.
#![allow(dead_code)]

use frame_support::{assert_ok, genesis_builder_helper::build_state, traits::Get};
use kasane_primitives::{
	avs::{proof_of_possession_payload, KeyType, OperatorKey, OperatorSignature, SlashingTerms},
	restaking::{OperatorSetId, StrategyId},
};
use kasane_runtime::{
	genesis_config_presets::get_preset, AccountId, AvsRegistry, BlockNumber, Restaking, Runtime,
	RuntimeGenesisConfig, RuntimeOrigin, System,
};
use serde_json::Value;
use sp_core::{sr25519, Pair};
use sp_genesis_builder::PresetId;

/// Applies `patch` over `base` the way the node merges a preset into the default genesis.
pub fn merge(base: &mut Value, patch: Value) {
	match (base, patch) {
		(Value::Object(base), Value::Object(patch)) => {
			for (key, value) in patch {
				merge(base.entry(key).or_insert(Value::Null), value);
			}
		}
		(base, patch) => *base = patch,
	}
}

/// Builds the genesis state of preset `id` and runs `check` inside it.
pub fn with_preset_state(id: &str, check: impl FnOnce()) {
	let patch: Value = serde_json::from_slice(
		&get_preset(&PresetId::from(id)).unwrap_or_else(|| panic!("preset {id} exists")),
	)
	.expect("preset is valid JSON");
	let mut genesis = serde_json::to_value(RuntimeGenesisConfig::default()).unwrap();
	merge(&mut genesis, patch);

	sp_io::TestExternalities::new_empty().execute_with(|| {
		build_state::<RuntimeGenesisConfig>(serde_json::to_vec(&genesis).unwrap())
			.unwrap_or_else(|e| panic!("preset {id} does not build: {e}"));
		check();
	});
}

/// `owner` registers an AVS and creates its first operator set, `{ avs, index: 0 }`, with
/// sr25519 member keys, accepting `strategies` (each with no minimum) under `terms`.
pub fn avs_with_sr25519_set(
	owner: &AccountId,
	strategies: &[StrategyId],
	terms: SlashingTerms<AccountId, BlockNumber>,
) -> OperatorSetId {
	let avs = pallet_avs_registry::NextAvsId::<Runtime>::get();
	let origin = RuntimeOrigin::signed(owner.clone());
	assert_ok!(AvsRegistry::register_avs(origin.clone(), b"ipfs://oracle".to_vec()));
	assert_ok!(AvsRegistry::create_operator_set(
		origin,
		avs,
		pallet_avs_registry::OperatorSetConfig {
			strategies: strategies.iter().map(|s| (*s, 0)).collect::<Vec<_>>().try_into().unwrap(),
			max_operators: 16,
			key_type: KeyType::Sr25519,
			allowlist: false,
			terms,
		}
	));
	OperatorSetId { avs, index: 0 }
}

/// `operator` joins `set` with the sr25519 AVS key of `key_uri` (e.g. `//Alice//avs`),
/// proving it holds the key; returns the key.
pub fn join_with_sr25519_key(
	operator: &AccountId,
	set: OperatorSetId,
	key_uri: &str,
) -> sr25519::Pair {
	let key = sr25519::Pair::from_string(key_uri, None).unwrap();
	let payload = proof_of_possession_payload(&AvsRegistry::genesis_hash(), &set, operator);
	assert_ok!(AvsRegistry::register_for_operator_set(
		RuntimeOrigin::signed(operator.clone()),
		set,
		OperatorKey::Sr25519(key.public()),
		OperatorSignature::Sr25519(key.sign(&payload)),
	));
	key
}

/// `operator` allocates `magnitude` of its `strategy` stake to `set`, in force at once (the
/// allocation delay is skipped by moving the block number).
pub fn allocate_now(operator: &AccountId, set: OperatorSetId, allocations: &[(StrategyId, u128)]) {
	for (strategy, magnitude) in allocations {
		assert_ok!(Restaking::modify_allocation(
			RuntimeOrigin::signed(operator.clone()),
			set,
			*strategy,
			*magnitude
		));
	}
	let delay = <Runtime as pallet_restaking::Config>::AllocationDelay::get();
	System::set_block_number(System::block_number() + delay);
}
