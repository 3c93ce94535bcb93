//! Progress kept across restarts.

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use std::{collections::BTreeMap, path::Path};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct State {
	/// The next Ethereum block whose logs have not been relayed.
	pub next_eth_block: u64,
	/// Per token (hex address), the latest rate round this attester signed a report of.
	#[serde(default)]
	pub rate_rounds: BTreeMap<String, u64>,
	/// The first withdrawal nonce not known to be released on Ethereum.
	pub next_release: u64,
	/// Deposits seen but not accepted by Kasane yet: nonce → Ethereum block.
	#[serde(default)]
	pub open_deposits: BTreeMap<u64, u64>,
	/// Releases that failed on Ethereum: withdrawal nonce → how it went.
	#[serde(default)]
	pub failed_releases: BTreeMap<u64, FailedRelease>,
	/// Releases seen on Ethereum whose receipt Kasane has not settled: nonce → where.
	#[serde(default)]
	pub open_receipts: BTreeMap<u64, OpenReceipt>,
	/// Rate reports to prove (when Kasane takes only proofs), by token: the block of the
	/// first report of the latest round seen.
	#[serde(default)]
	pub open_rates: BTreeMap<String, u64>,
	/// The chain id the Ethereum node served when last reached: this relayer's side of the
	/// digests it signs on Kasane while Ethereum is unreachable.
	#[serde(default)]
	pub eth_chain_id: Option<u64>,
}

/// A `Released` log still to be attested back to Kasane.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenReceipt {
	/// The Ethereum block of the log.
	pub block: u64,
	/// The Kasane attester set this attester signed the receipt under: signed again only
	/// when the set changes (votes of an earlier set stop counting).
	pub signed_under: Option<u32>,
}

/// A release the vault refused (a recipient the token blacklisted, say).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FailedRelease {
	/// Attempts so far.
	pub attempts: u32,
	/// Given up on in order (later withdrawals go first); retried from `retry_at`.
	pub skipped: bool,
	/// Unix seconds of the next retry once skipped.
	pub retry_at: u64,
}

impl State {
	/// The saved state, or a fresh one scanning from `start_block`.
	pub fn load(path: &Path, start_block: u64) -> Result<Self> {
		match std::fs::read_to_string(path) {
			Ok(text) => {
				serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))
			}
			Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
				Ok(Self { next_eth_block: start_block, next_release: 1, ..Default::default() })
			}
			Err(e) => Err(e).with_context(|| format!("reading {}", path.display())),
		}
	}

	/// Written to a temporary file and renamed over the old one, so a crash never leaves half a
	/// state.
	pub fn save(&self, path: &Path) -> Result<()> {
		let tmp = path.with_extension("tmp");
		std::fs::write(&tmp, serde_json::to_vec_pretty(self)?)?;
		std::fs::rename(&tmp, path).with_context(|| format!("writing {}", path.display()))
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn state_round_trips_and_starts_fresh() {
		let dir = std::env::temp_dir().join(format!("kasane-relayer-state-{}", std::process::id()));
		std::fs::create_dir_all(&dir).unwrap();
		let path = dir.join("state.json");
		let _ = std::fs::remove_file(&path);
		let fresh = State::load(&path, 42).unwrap();
		assert_eq!((fresh.next_eth_block, fresh.next_release), (42, 1));
		let mut s = fresh;
		s.next_eth_block = 100;
		s.rate_rounds.insert("0xabc".into(), 7);
		s.open_deposits.insert(3, 99);
		s.failed_releases.insert(4, FailedRelease { attempts: 3, skipped: true, retry_at: 5 });
		s.open_receipts.insert(2, OpenReceipt { block: 90, signed_under: Some(3) });
		s.eth_chain_id = Some(31337);
		s.save(&path).unwrap();
		assert_eq!(State::load(&path, 0).unwrap(), s);
		std::fs::remove_dir_all(&dir).unwrap();
	}
}
