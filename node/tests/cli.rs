//! The node's command line: version, key generation, and rejecting a chain spec that does not
//! exist with an error rather than a panic.

use std::process::Command;

fn node() -> Command {
	Command::new(env!("CARGO_BIN_EXE_kasane-node"))
}

#[test]
fn version_names_the_node() {
	let out = node().arg("--version").output().unwrap();
	assert!(out.status.success());
	assert!(String::from_utf8_lossy(&out.stdout).starts_with("kasane-node "));
}

#[test]
fn key_generate_prints_a_kasane_address() {
	let out = node()
		.args(["key", "generate", "--scheme", "sr25519", "--output-type", "json"])
		.output()
		.unwrap();
	assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
	let key: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
	assert_eq!(key["secretPhrase"].as_str().unwrap().split(' ').count(), 12);
	assert!(key["ss58Address"].as_str().is_some());
}

#[test]
fn unknown_chain_spec_path_is_an_error() {
	let out = node()
		.args(["export-chain-spec", "--chain", "/nonexistent/kasane-spec.json"])
		.output()
		.unwrap();
	assert!(!out.status.success());
	assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
}
