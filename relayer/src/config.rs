//! Configuration: a TOML file, each value overridable by a command-line flag.

use anyhow::{bail, Context, Result};
use clap::Parser;
use serde::Deserialize;
use std::{path::PathBuf, time::Duration};

/// Command-line flags; each overrides the config file's value of the same name.
#[derive(Debug, Parser)]
#[command(name = "kasane-relayer", about = "Kasane LST bridge relayer and attester")]
pub struct Flags {
	/// TOML config file.
	#[arg(long)]
	pub config: Option<PathBuf>,
	/// Ethereum JSON-RPC URL (`http://` or `https://`).
	#[arg(long)]
	pub eth_rpc: Option<String>,
	/// Kasane RPC URL (ws).
	#[arg(long)]
	pub kasane_rpc: Option<String>,
	/// KasaneVault address.
	#[arg(long)]
	pub vault: Option<String>,
	/// The attester's secp256k1 private key (hex).
	#[arg(long)]
	pub attester_key: Option<String>,
	/// Key paying for `release` transactions on Ethereum (hex); the attester key if unset.
	#[arg(long)]
	pub eth_sender_key: Option<String>,
	/// Secret URI of the Kasane account submitting attestations (e.g. `//Alice`).
	#[arg(long)]
	pub kasane_signer: Option<String>,
	/// Ethereum blocks a log must be below the head before it is attested.
	#[arg(long)]
	pub confirmations: Option<u64>,
	/// First Ethereum block to scan when the state file is new.
	#[arg(long)]
	pub start_block: Option<u64>,
	/// Milliseconds between polls.
	#[arg(long)]
	pub poll_interval_ms: Option<u64>,
	/// JSON state file.
	#[arg(long)]
	pub state_file: Option<PathBuf>,
	/// Log as JSON lines instead of text.
	#[arg(long)]
	pub json_logs: bool,
	/// Name in the logs.
	#[arg(long)]
	pub name: Option<String>,
	/// Signing policy: most of the current attester set (percent) one hand-over may add, and
	/// separately remove (at least one each).
	#[arg(long)]
	pub max_rotation_change_percent: Option<u32>,
	/// Signing policy: least stake each next attester must have allocated to the bridge's
	/// operator set (the AVS registry's common unit).
	#[arg(long)]
	pub min_attester_stake: Option<u128>,
	/// Seconds before a release skipped for failing is first tried again (the wait doubles
	/// after each failure, up to a day).
	#[arg(long)]
	pub release_retry_secs: Option<u64>,
	/// Test networks only: prove deposits and rate reports under a synthetic beacon chain of
	/// the public test keys `seed` (see the `beacon` module), finalizing its blocks on Kasane.
	#[arg(long)]
	pub synthetic_beacon_seed: Option<u64>,
	/// Leave the deposits Kasane holds back (bridge paused, cap reached, recipient unable to
	/// receive, above the 24-hour limit) to others: do not call `retry_deposit` for them once
	/// they can move on.
	#[arg(long)]
	pub no_retry_deposits: bool,
	/// Leave the attesters Kasane recorded as contradicting a quorum to others: do not call
	/// `report_contradiction` / `report_header_contradiction` for them.
	#[arg(long)]
	pub no_report_contradictions: bool,
	/// Print the synthetic beacon chain's checkpoint (`--synthetic-beacon-seed`, or the config
	/// file's) as the hex of `EthereumBeaconClient.force_checkpoint`'s argument, and exit.
	#[arg(long, conflicts_with = "print_beacon_checkpoint")]
	pub print_synthetic_checkpoint: bool,
	/// Prove deposits and rate reports under the blocks of the beacon node at this HTTP API
	/// (`http://127.0.0.1:5052`, say), finalizing them on Kasane (see the `beacon::node`
	/// module); `--print-beacon-checkpoint` reads it too. The node needs the debug namespace
	/// (states as SSZ) and the same chain as `eth_rpc`.
	#[arg(long)]
	pub beacon_api: Option<String>,
	/// Print the light client's checkpoint at beacon block `ID` of `--beacon-api` (or the
	/// config file's `beacon_api`): `finalized`, a slot or a block root, as the hex of
	/// `EthereumBeaconClient.force_checkpoint`'s argument, and exit. Every branch in it is
	/// computed here from the block's state, whose root is checked against its header's; a
	/// block named by a root read elsewhere (another beacon node, an explorer) is checked
	/// against that root, so the node is trusted for nothing.
	#[arg(long, value_name = "ID")]
	pub print_beacon_checkpoint: Option<String>,
}

/// The config file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
	pub eth_rpc: Option<String>,
	pub kasane_rpc: Option<String>,
	pub vault: Option<String>,
	pub attester_key: Option<String>,
	pub eth_sender_key: Option<String>,
	pub kasane_signer: Option<String>,
	pub confirmations: Option<u64>,
	pub start_block: Option<u64>,
	pub poll_interval_ms: Option<u64>,
	pub state_file: Option<PathBuf>,
	pub json_logs: Option<bool>,
	pub name: Option<String>,
	pub max_rotation_change_percent: Option<u32>,
	pub min_attester_stake: Option<u128>,
	pub release_retry_secs: Option<u64>,
	pub synthetic_beacon_seed: Option<u64>,
	pub beacon_api: Option<String>,
	pub retry_deposits: Option<bool>,
	pub report_contradictions: Option<bool>,
}

/// What the relayer runs with.
#[derive(Debug, Clone)]
pub struct Config {
	pub eth_rpc: String,
	pub kasane_rpc: String,
	pub vault: alloy::primitives::Address,
	pub attester_key: String,
	pub eth_sender_key: String,
	pub kasane_signer: String,
	pub confirmations: u64,
	pub start_block: u64,
	pub poll_interval: Duration,
	pub state_file: PathBuf,
	pub json_logs: bool,
	pub name: String,
	/// The hand-overs this attester signs (see [`RotationPolicy`]).
	pub rotation_policy: RotationPolicy,
	/// Seconds before a skipped release is first retried.
	pub release_retry_secs: u64,
	/// The test keys of the synthetic beacon chain this relayer proves under, if any.
	pub synthetic_beacon_seed: Option<u64>,
	/// The beacon node this relayer proves under, if any.
	pub beacon_api: Option<String>,
	/// Whether it retries the deposits Kasane holds back once they can move on (see the
	/// `waiting` module).
	pub retry_deposits: bool,
	/// Whether it reports the attesters Kasane recorded as contradicting a quorum (see the
	/// `reports` module).
	pub report_contradictions: bool,
}

/// What an attester checks before it signs a hand-over of the vault, whatever Kasane says:
/// the signed digest is the relayer's own computation from the hand-over's fields, and the
/// hand-over changes little and only to operators with stake at risk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RotationPolicy {
	pub max_change_percent: u32,
	pub min_stake: u128,
}

impl RotationPolicy {
	/// Why handing over from `current` to `next` (with each next member's stake) breaks the
	/// policy, if it does. Both lists sorted ascending.
	pub fn violation<T: Ord>(&self, current: &[T], next: &[T], stakes: &[u128]) -> Option<String> {
		let bound = (current.len() as u64 * self.max_change_percent as u64 / 100).max(1) as usize;
		let added = next.iter().filter(|a| current.binary_search(a).is_err()).count();
		let removed = current.iter().filter(|a| next.binary_search(a).is_err()).count();
		if added > bound || removed > bound {
			return Some(format!(
				"adds {added} and removes {removed} of {} attesters (at most {bound} each)",
				current.len()
			));
		}
		if stakes.len() != next.len() {
			return Some("stakes missing".into());
		}
		if let Some(low) = stakes.iter().find(|s| **s < self.min_stake) {
			return Some(format!(
				"a next attester has {low} at stake (at least {})",
				self.min_stake
			));
		}
		None
	}
}

impl FileConfig {
	/// The file at `path`; all unset without one.
	pub fn read(path: Option<&std::path::Path>) -> Result<Self> {
		let Some(path) = path else { return Ok(Self::default()) };
		let text =
			std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
		toml::from_str(&text).with_context(|| format!("parsing {}", path.display()))
	}
}

impl Config {
	/// Flags over the file; the required values must be given by one of them.
	pub fn load(flags: Flags) -> Result<Self> {
		let file = FileConfig::read(flags.config.as_deref())?;
		fn required(flag: Option<String>, file: Option<String>, name: &str) -> Result<String> {
			match flag.or(file) {
				Some(v) => Ok(v),
				None => bail!(
					"`{name}` is required (flag --{} or the config file)",
					name.replace('_', "-")
				),
			}
		}
		let attester_key = required(flags.attester_key, file.attester_key, "attester_key")?;
		let synthetic_beacon_seed = flags.synthetic_beacon_seed.or(file.synthetic_beacon_seed);
		if synthetic_beacon_seed == Some(0) {
			bail!("`synthetic_beacon_seed` must be non-zero (a zero BLS key is invalid)");
		}
		let beacon_api = flags.beacon_api.or(file.beacon_api);
		if synthetic_beacon_seed.is_some() && beacon_api.is_some() {
			bail!("`synthetic_beacon_seed` and `beacon_api` are two beacon sources: give one");
		}
		let vault = required(flags.vault, file.vault, "vault")?;
		Ok(Self {
			eth_rpc: required(flags.eth_rpc, file.eth_rpc, "eth_rpc")?,
			kasane_rpc: required(flags.kasane_rpc, file.kasane_rpc, "kasane_rpc")?,
			vault: vault.parse().with_context(|| format!("vault address {vault}"))?,
			eth_sender_key: flags
				.eth_sender_key
				.or(file.eth_sender_key)
				.unwrap_or_else(|| attester_key.clone()),
			attester_key,
			kasane_signer: required(flags.kasane_signer, file.kasane_signer, "kasane_signer")?,
			confirmations: flags.confirmations.or(file.confirmations).unwrap_or(12),
			start_block: flags.start_block.or(file.start_block).unwrap_or(0),
			poll_interval: Duration::from_millis(
				flags.poll_interval_ms.or(file.poll_interval_ms).unwrap_or(2_000),
			),
			state_file: flags
				.state_file
				.or(file.state_file)
				.unwrap_or_else(|| PathBuf::from("kasane-relayer-state.json")),
			json_logs: flags.json_logs || file.json_logs.unwrap_or(false),
			name: flags.name.or(file.name).unwrap_or_else(|| "relayer".into()),
			rotation_policy: RotationPolicy {
				max_change_percent: flags
					.max_rotation_change_percent
					.or(file.max_rotation_change_percent)
					.unwrap_or(34),
				min_stake: flags.min_attester_stake.or(file.min_attester_stake).unwrap_or(0),
			},
			release_retry_secs: flags
				.release_retry_secs
				.or(file.release_retry_secs)
				.unwrap_or(600)
				.max(1),
			synthetic_beacon_seed,
			beacon_api,
			retry_deposits: !flags.no_retry_deposits && file.retry_deposits.unwrap_or(true),
			report_contradictions: !flags.no_report_contradictions
				&& file.report_contradictions.unwrap_or(true),
		})
	}
}

#[cfg(test)]
mod tests {
	use super::RotationPolicy;

	const POLICY: RotationPolicy = RotationPolicy { max_change_percent: 34, min_stake: 100 };

	#[test]
	fn the_policy_refuses_large_hand_overs_and_unstaked_attesters() {
		let current = [1, 2, 3];
		// One newcomer of three is fine, with stake.
		assert_eq!(POLICY.violation(&current, &[1, 2, 3, 4], &[100; 4]), None);
		// Thirteen newcomers (the review's takeover) are not.
		let next: Vec<u8> = (1..=16).collect();
		assert!(POLICY.violation(&current, &next, &[100; 16]).unwrap().contains("adds 13"));
		// Neither is removing two of three at once.
		assert!(POLICY.violation(&current, &[1], &[100]).unwrap().contains("removes 2"));
		// Nor a next attester without enough at stake.
		assert!(POLICY.violation(&current, &[1, 2, 3, 4], &[100, 100, 100, 99]).is_some());
		// A third of nine is three each way.
		let nine: Vec<u8> = (1..=9).collect();
		assert_eq!(POLICY.violation(&nine, &[4, 5, 6, 7, 8, 9, 10, 11, 12], &[100; 9]), None);
		assert!(POLICY.violation(&nine, &[5, 6, 7, 8, 9, 10, 11, 12, 13], &[100; 9]).is_some());
	}
}
