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

#[test]
fn key_insert_writes_a_session_key_into_the_keystore() {
	let base = std::env::temp_dir().join(format!("kasane-key-insert-{}", std::process::id()));
	let _ = std::fs::remove_dir_all(&base);
	let out = node()
		.args(["key", "insert", "--chain", "dev", "--scheme", "sr25519", "--key-type", "aura"])
		.args(["--suri", "//Alice", "--base-path"])
		.arg(&base)
		.output()
		.unwrap();
	assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
	// Keystore files are named by key type ("aura" = 61757261) followed by the public key.
	let keystore = base.join("chains/kasane_dev/keystore");
	let names: Vec<String> = std::fs::read_dir(&keystore)
		.unwrap_or_else(|e| panic!("{} exists: {e}", keystore.display()))
		.map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
		.collect();
	std::fs::remove_dir_all(&base).unwrap();
	assert_eq!(names.len(), 1);
	assert!(names[0].starts_with("61757261"), "unexpected keystore entry {}", names[0]);
}

#[test]
fn benchmark_extrinsic_measures_a_signed_transfer() {
	let out = node()
		.args(["benchmark", "extrinsic", "--dev", "--pallet", "balances"])
		.args(["--extrinsic", "transfer_keep_alive", "--warmup", "1", "--repeat", "1"])
		.output()
		.unwrap();
	let stderr = String::from_utf8_lossy(&out.stderr);
	assert!(out.status.success(), "{stderr}");
	assert!(stderr.contains("Executing a balances::transfer_keep_alive extrinsic takes[ns]"));
}

#[test]
fn benchmark_pallet_explains_the_feature_it_needs() {
	let out = node().args(["benchmark", "pallet", "--dev", "--list"]).output().unwrap();
	if cfg!(feature = "runtime-benchmarks") {
		assert!(out.status.success());
	} else {
		assert!(!out.status.success());
		assert!(String::from_utf8_lossy(&out.stderr).contains("--features runtime-benchmarks"));
	}
}

/// The log lines `kasane-node --dev` prints before the network starts (the local identity), the
/// node killed then. `--tmp` keeps the database in a temporary directory; loopback only.
fn dev_node_start_log(extra: &[&str]) -> String {
	use std::io::{BufRead, BufReader};
	let mut child = node()
		.args(["--dev", "--tmp", "--no-prometheus", "--no-telemetry", "--rpc-port", "0"])
		.args(["--listen-addr", "/ip4/127.0.0.1/tcp/0"])
		.args(extra)
		.stdout(std::process::Stdio::null())
		.stderr(std::process::Stdio::piped())
		.spawn()
		.unwrap();
	let stderr = child.stderr.take().unwrap();
	let mut log = String::new();
	for line in BufReader::new(stderr).lines() {
		let line = line.unwrap();
		log.push_str(&line);
		log.push('\n');
		if line.contains("Local node identity is") {
			break;
		}
	}
	child.kill().unwrap();
	child.wait().unwrap();
	log
}

#[test]
fn a_validator_measures_its_hardware_against_the_reference_at_start_unless_told_not_to() {
	let log = dev_node_start_log(&[]);
	assert!(log.contains("Local node identity is"), "the node started: {log}");
	for score in ["🏁 CPU single core score", "🏁 Memory score", "🏁 Disk score (rand. writes)"]
	{
		assert!(log.contains(score), "{score} in: {log}");
	}
	// `--dev` is a validator (Alice): told whether its machine meets the reference.
	let meets = log.contains("The hardware meets the reference the runtime's weights assume");
	let below = log.contains("The hardware does not meet the reference");
	assert!(meets ^ below, "one verdict in: {log}");

	let skipped = dev_node_start_log(&["--no-hardware-benchmarks"]);
	assert!(skipped.contains("Local node identity is"), "the node started: {skipped}");
	assert!(!skipped.contains("🏁"), "no hardware benchmark: {skipped}");
}
