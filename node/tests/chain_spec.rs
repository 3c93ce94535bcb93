//! The committed chain specs in `chain-specs/` are what this build of the node produces.
//!
//! Validators join a running network with `--chain chain-specs/local-raw.json`; if a genesis
//! preset or the runtime's storage layout changes without the spec being regenerated, the
//! committed spec describes another chain than the code. Regenerate with
//! `scripts/export-chain-specs.sh`.
//!
//! The wasm runtime in a spec is not byte-for-byte reproducible across build machines and
//! checkout paths (it embeds source paths), so the genesis hash is compared with the committed
//! runtime code in both specs: it then covers every other genesis key. The committed code is
//! checked separately by its runtime version.

use std::{path::PathBuf, process::Command};

use kasane_runtime::opaque::Block;
use serde_json::Value;
use sp_core::{storage::StateVersion, H256};
use sp_runtime::traits::{BlakeTwo256, Block as BlockT, Hash as HashT};

fn node() -> Command {
	Command::new(env!("CARGO_BIN_EXE_kasane-node"))
}

fn repo_file(path: &str) -> PathBuf {
	PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..").join(path)
}

fn export_spec(chain: &str, raw: bool) -> Value {
	let mut cmd = node();
	cmd.args(["export-chain-spec", "--chain", chain]);
	if raw {
		cmd.arg("--raw");
	}
	let out = cmd.output().expect("kasane-node runs");
	assert!(
		out.status.success(),
		"export-chain-spec failed: {}",
		String::from_utf8_lossy(&out.stderr)
	);
	serde_json::from_slice(&out.stdout).expect("export-chain-spec prints JSON")
}

fn hex_bytes(s: &str) -> Vec<u8> {
	sp_core::bytes::from_hex(s).expect("raw storage is 0x-prefixed hex")
}

/// `:code`, the storage key of the runtime wasm, as it appears in a raw spec.
const CODE_KEY: &str = "0x3a636f6465";

/// The genesis block hash a node computes from a raw chain spec.
fn genesis_hash(raw_spec: &Value) -> H256 {
	let raw = &raw_spec["genesis"]["raw"];
	let children = raw["childrenDefault"].as_object().map_or(0, |c| c.len());
	assert_eq!(
		children, 0,
		"Kasane's genesis has no child tries; extend this check if it gets one"
	);
	let top: Vec<(Vec<u8>, Vec<u8>)> = raw["top"]
		.as_object()
		.expect("raw spec has genesis.raw.top")
		.iter()
		.map(|(k, v)| (hex_bytes(k), hex_bytes(v.as_str().expect("hex value"))))
		.collect();
	// The runtime declares `system_version: 1`: state version 1.
	let state_root = BlakeTwo256::trie_root(top, StateVersion::V1);
	sc_chain_spec::construct_genesis_block::<Block>(state_root, StateVersion::V1).hash()
}

fn committed(name: &str) -> Value {
	let path = repo_file(name);
	let text = std::fs::read_to_string(&path)
		.unwrap_or_else(|e| panic!("{} is committed: {e}", path.display()));
	serde_json::from_str(&text).expect("committed spec is JSON")
}

/// The runtime version embedded in a raw spec's wasm.
fn runtime_version(raw_spec: &Value) -> sc_executor::RuntimeVersion {
	let code = hex_bytes(raw_spec["genesis"]["raw"]["top"][CODE_KEY].as_str().expect(":code"));
	let blob = sc_executor_common::runtime_blob::RuntimeBlob::uncompress_if_needed(&code)
		.expect("valid wasm");
	sc_executor::read_embedded_version(&blob)
		.expect("readable runtime version")
		.expect("runtime version is embedded")
}

#[test]
fn committed_raw_local_spec_has_the_genesis_this_runtime_produces() {
	let committed = committed("chain-specs/local-raw.json");
	let mut fresh = export_spec("local", true);
	let stale =
		"chain-specs/local-raw.json is stale: run scripts/export-chain-specs.sh and commit it";

	let (old, new) = (runtime_version(&committed), runtime_version(&fresh));
	assert_eq!(
		(&old.spec_name, old.spec_version, old.transaction_version),
		(&new.spec_name, new.spec_version, new.transaction_version),
		"{stale}"
	);
	assert_eq!(new.spec_version, kasane_runtime::VERSION.spec_version);

	fresh["genesis"]["raw"]["top"][CODE_KEY] = committed["genesis"]["raw"]["top"][CODE_KEY].clone();
	assert_eq!(genesis_hash(&committed), genesis_hash(&fresh), "{stale}");
	assert_eq!(committed["id"], fresh["id"]);
	assert_eq!(committed["properties"], fresh["properties"]);
}

#[test]
fn committed_plain_local_spec_matches_the_runtime_preset() {
	let committed = committed("chain-specs/local.json");
	let fresh = export_spec("local", false);
	assert_eq!(
		committed["genesis"]["runtimeGenesis"]["patch"],
		fresh["genesis"]["runtimeGenesis"]["patch"],
		"chain-specs/local.json is stale: run scripts/export-chain-specs.sh and commit it"
	);
}

#[test]
fn genesis_hash_covers_every_genesis_key() {
	let spec = export_spec("local", true);
	let mut changed = spec.clone();
	let top = changed["genesis"]["raw"]["top"].as_object_mut().unwrap();
	let key = top.keys().find(|k| k.as_str() != CODE_KEY).unwrap().clone();
	top.insert(key, Value::String("0x00".into()));
	assert_ne!(genesis_hash(&spec), genesis_hash(&changed));
}

#[test]
fn dev_and_local_specs_are_different_chains() {
	let dev = export_spec("dev", true);
	let local = export_spec("local", true);
	assert_ne!(genesis_hash(&dev), genesis_hash(&local));
	assert_eq!(dev["properties"]["tokenSymbol"], "KSN");
	assert_eq!(dev["properties"]["tokenDecimals"], 12);
	assert_eq!(dev["properties"]["ss58Format"], kasane_runtime::SS58_PREFIX);
}

#[test]
fn the_ss58_prefix_belongs_to_no_registered_network() {
	use sp_core::crypto::{Ss58AddressFormat, Ss58AddressFormatRegistry};
	let taken: Vec<&Ss58AddressFormatRegistry> = Ss58AddressFormat::all()
		.iter()
		.filter(|known| u16::from(Ss58AddressFormat::from(**known)) == kasane_runtime::SS58_PREFIX)
		.collect();
	assert!(
		taken.is_empty(),
		"SS58 prefix {} is registered to {taken:?}: wallets would show Kasane accounts as theirs",
		kasane_runtime::SS58_PREFIX
	);
}
