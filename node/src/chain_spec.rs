//! Built-in chain specs: `dev` (one validator, Alice) and `local` (Alice, Bob and Charlie). Both
//! are built from the runtime's genesis presets, so the runtime is the single source of genesis.

use kasane_runtime::{SS58_PREFIX, TOKEN_DECIMALS, TOKEN_SYMBOL, WASM_BINARY};
use sc_service::{ChainType, Properties};

/// Kasane's chain spec: no node-side extensions.
pub type ChainSpec = sc_service::GenericChainSpec;

fn wasm_binary() -> Result<&'static [u8], String> {
	WASM_BINARY.ok_or_else(|| {
		"The wasm runtime was not built (SKIP_WASM_BUILD is set?); rebuild without it.".into()
	})
}

/// Token metadata wallets read from the chain spec (`system_properties`).
fn properties() -> Properties {
	let mut properties = Properties::new();
	properties.insert("tokenSymbol".into(), TOKEN_SYMBOL.into());
	properties.insert("tokenDecimals".into(), TOKEN_DECIMALS.into());
	properties.insert("ss58Format".into(), SS58_PREFIX.into());
	properties
}

/// A chain spec whose genesis is the runtime's preset `preset`.
fn from_preset(
	name: &str,
	id: &str,
	chain_type: ChainType,
	preset: &str,
) -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(wasm_binary()?, None)
		.with_name(name)
		.with_id(id)
		// Peers of different Kasane networks never talk to each other.
		.with_protocol_id(id)
		.with_chain_type(chain_type)
		.with_genesis_config_preset_name(preset)
		.with_properties(properties())
		.build())
}

/// `--dev`/`--chain dev`: a single validator that finalizes on its own.
pub fn development_chain_spec() -> Result<ChainSpec, String> {
	from_preset(
		"Kasane Development",
		"kasane_dev",
		ChainType::Development,
		sp_genesis_builder::DEV_RUNTIME_PRESET,
	)
}

/// `--chain local`: three validators (Alice, Bob, Charlie) on one machine.
pub fn local_chain_spec() -> Result<ChainSpec, String> {
	from_preset(
		"Kasane Local Testnet",
		"kasane_local",
		ChainType::Local,
		sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET,
	)
}
