//! The relayer binary's command line: missing settings and bad config files fail at once with
//! a message naming the problem; flags override the config file.

use std::process::Command;

fn relayer() -> Command {
	Command::new(env!("CARGO_BIN_EXE_kasane-relayer"))
}

fn temp_file(name: &str, contents: &str) -> std::path::PathBuf {
	let dir = std::env::temp_dir().join(format!("kasane-relayer-cli-{}", std::process::id()));
	std::fs::create_dir_all(&dir).unwrap();
	let path = dir.join(name);
	std::fs::write(&path, contents).unwrap();
	path
}

#[test]
fn a_missing_setting_is_named() {
	let out = relayer().args(["--eth-rpc", "http://127.0.0.1:1"]).output().unwrap();
	assert!(!out.status.success());
	let err = String::from_utf8_lossy(&out.stderr);
	assert!(err.contains("attester_key"), "{err}");
}

#[test]
fn unknown_config_keys_are_refused() {
	let path = temp_file("bad.toml", "eth_rpc = \"http://127.0.0.1:1\"\nconfirmatons = 3\n");
	let out = relayer().arg("--config").arg(&path).output().unwrap();
	assert!(!out.status.success());
	let err = String::from_utf8_lossy(&out.stderr);
	assert!(err.contains("confirmatons"), "{err}");
}

#[test]
fn a_bad_vault_address_is_refused() {
	let path = temp_file(
		"vault.toml",
		r#"
eth_rpc = "http://127.0.0.1:1"
kasane_rpc = "ws://127.0.0.1:1"
vault = "not-an-address"
attester_key = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d"
kasane_signer = "//Bob"
"#,
	);
	let out = relayer().arg("--config").arg(&path).output().unwrap();
	assert!(!out.status.success());
	assert!(String::from_utf8_lossy(&out.stderr).contains("vault address"));
	// The flag wins over the file; the relayer then starts and fails on nothing but the
	// unreachable endpoints, which it retries: stop it after its first attempt.
	let mut child = relayer()
		.arg("--config")
		.arg(&path)
		.args(["--vault", "0x00000000000000000000000000000000000000aa", "--json-logs"])
		.args([
			"--state-file",
			temp_file(
				"state.json",
				"{\"next_eth_block\":5,\"rate_timestamps\":{},\"next_release\":1}",
			)
			.to_str()
			.unwrap(),
		])
		.stdout(std::process::Stdio::piped())
		.spawn()
		.unwrap();
	std::thread::sleep(std::time::Duration::from_secs(2));
	child.kill().unwrap();
	let out = child.wait_with_output().unwrap();
	let logs = String::from_utf8_lossy(&out.stdout);
	assert!(logs.contains("\"next_eth_block\":5"), "{logs}");
	assert!(logs.contains("step failed"), "{logs}");
}

#[test]
fn the_synthetic_checkpoint_is_printed_for_root_to_install() {
	use codec::Decode;
	use kasane_primitives::bridge::beacon::updates::Checkpoint;
	let out = relayer().arg("--print-synthetic-checkpoint").output().unwrap();
	assert!(!out.status.success());
	assert!(String::from_utf8_lossy(&out.stderr).contains("--synthetic-beacon-seed"));
	let out = relayer()
		.args(["--synthetic-beacon-seed", "7", "--print-synthetic-checkpoint"])
		.output()
		.unwrap();
	assert!(out.status.success());
	let hex = String::from_utf8(out.stdout).unwrap();
	let bytes = hex::decode(hex.trim().trim_start_matches("0x")).unwrap();
	let checkpoint = Checkpoint::decode(&mut &bytes[..]).unwrap();
	assert_eq!(checkpoint, kasane_relayer::beacon::SyntheticSource::new(7).checkpoint());
	assert_eq!(checkpoint.header.slot, kasane_relayer::beacon::CHECKPOINT_SLOT);
	// Another seed is another committee.
	assert_ne!(
		checkpoint.current_sync_committee,
		kasane_relayer::beacon::SyntheticSource::new(8).checkpoint().current_sync_committee
	);
}

#[test]
fn a_beacon_node_source_is_one_of_two_and_its_checkpoint_needs_its_url() {
	let out = relayer().args(["--print-beacon-checkpoint", "finalized"]).output().unwrap();
	assert!(!out.status.success());
	let err = String::from_utf8_lossy(&out.stderr);
	assert!(err.contains("--print-beacon-checkpoint needs --beacon-api"), "{err}");
	// Nothing listens there: the error names the request, and nothing is printed.
	let out = relayer()
		.args(["--beacon-api", "http://127.0.0.1:1", "--print-beacon-checkpoint", "finalized"])
		.output()
		.unwrap();
	assert!(!out.status.success());
	assert!(out.stdout.is_empty());
	let err = String::from_utf8_lossy(&out.stderr);
	assert!(err.contains("GET http://127.0.0.1:1/eth/v1/beacon/headers/finalized"), "{err}");
	// The config file's `beacon_api` serves too.
	let path = temp_file("beacon-api.toml", "beacon_api = \"http://127.0.0.1:2\"\n");
	let out = relayer()
		.arg("--config")
		.arg(&path)
		.args(["--print-beacon-checkpoint", "finalized"])
		.output()
		.unwrap();
	assert!(!out.status.success());
	assert!(out.stdout.is_empty());
	let err = String::from_utf8_lossy(&out.stderr);
	assert!(err.contains("GET http://127.0.0.1:2/eth/v1/beacon/headers/finalized"), "{err}");
	let path = temp_file(
		"two-sources.toml",
		r#"
eth_rpc = "http://127.0.0.1:1"
kasane_rpc = "ws://127.0.0.1:1"
vault = "0x00000000000000000000000000000000000000aa"
attester_key = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d"
kasane_signer = "//Bob"
synthetic_beacon_seed = 7
beacon_api = "http://127.0.0.1:1"
"#,
	);
	let out = relayer().arg("--config").arg(&path).output().unwrap();
	assert!(!out.status.success());
	let err = String::from_utf8_lossy(&out.stderr);
	assert!(err.contains("two beacon sources"), "{err}");
}
