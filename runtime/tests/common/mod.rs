//! Helpers shared by the runtime's integration tests.

use frame_support::genesis_builder_helper::build_state;
use kasane_runtime::{genesis_config_presets::get_preset, RuntimeGenesisConfig};
use serde_json::Value;
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
