//! One relayer step after another: Ethereum logs in, withdrawals out.

use crate::{
	config::Config,
	ethereum::{Attester, Ethereum, VaultEvent},
	kasane::{BridgeCall, Kasane, Outcome},
	state::State,
};
use anyhow::Result;
use kasane_primitives::bridge::{DepositStatus, EthereumEndpoint};
use sp_core::H160;
use std::collections::BTreeMap;
use tracing::{info, warn};

/// Most Ethereum blocks scanned per step.
const MAX_BLOCK_RANGE: u64 = 500;

/// Dispatch errors that mean the work is already done (by this relayer before a restart or by
/// another one), or can never be done by retrying the same attestation.
const SETTLED: &[&str] = &[
	"AlreadySigned",
	"AttestersUnchanged",
	"NoRotation",
	"RotationChanged",
	"AlreadyProcessed",
	"NonceHalted",
	"RateNotNewer",
	"RateSuperseded",
	"WithdrawalReadyAlready",
];

pub struct Relayer {
	pub config: Config,
	pub attester: Attester,
	pub state: State,
	eth: Option<Ethereum>,
	kasane: Option<Kasane>,
	endpoint: Option<EthereumEndpoint>,
}

impl Relayer {
	pub fn new(config: Config) -> Result<Self> {
		let attester = Attester::from_hex(&config.attester_key)?;
		let state = State::load(&config.state_file, config.start_block)?;
		Ok(Self { config, attester, state, eth: None, kasane: None, endpoint: None })
	}

	/// One step; on error the connections are dropped and made again next step.
	pub async fn step(&mut self) -> Result<()> {
		let result = self.try_step().await;
		if result.is_err() {
			self.eth = None;
			self.kasane = None;
		}
		result
	}

	async fn try_step(&mut self) -> Result<()> {
		if self.eth.is_none() {
			let eth = Ethereum::connect(
				&self.config.eth_rpc,
				self.config.vault,
				&self.config.eth_sender_key,
			)?;
			let chain_id = eth.chain_id().await?;
			self.endpoint =
				Some(EthereumEndpoint { chain_id, vault: H160(self.config.vault.0 .0) });
			info!(chain_id, "connected to ethereum");
			self.eth = Some(eth);
		}
		if self.kasane.is_none() {
			self.kasane =
				Some(Kasane::connect(&self.config.kasane_rpc, &self.config.kasane_signer).await?);
			info!("connected to kasane");
		}
		self.attesters().await?;
		self.inbound().await?;
		self.open_deposits().await?;
		self.outbound().await
	}

	/// Keep the attesters in line with the bridge's operator set, and the vault with Kasane.
	async fn attesters(&mut self) -> Result<()> {
		let (eth, kasane, endpoint) = match (&self.eth, &self.kasane, &self.endpoint) {
			(Some(e), Some(k), Some(p)) => (e, k, *p),
			_ => return Ok(()),
		};
		if let Some(operators) = kasane.rotation_due().await? {
			let outcome = kasane.submit(BridgeCall::rotate_attesters(&operators)).await?;
			report("attester rotation", operators.len() as u64, &outcome);
		}
		if let Some(view) = kasane.pending_rotation().await? {
			let current = kasane.attesters().await?;
			if let Some(current) =
				current.filter(|set| set.members.contains(&self.attester.address()))
			{
				// Signed only as this relayer computes it, and only if the policy allows it.
				let digest = endpoint.rotate_digest(view.attester_set_id, &view.next, view.quorum);
				let refusal = if digest != view.digest.0 {
					Some("the digest served is not the hand-over's".to_string())
				} else if view.attester_set_id != current.vault_set_id {
					Some("the hand-over is not from the vault set in force".to_string())
				} else {
					self.config.rotation_policy.violation(
						&current.members,
						&view.next,
						&view.next_stakes,
					)
				};
				let signature = self.attester.sign(&digest)?;
				match refusal {
					Some(why) => warn!(
						from = view.attester_set_id,
						reason = %why,
						"hand-over refused by this attester's policy"
					),
					None if view.signatures.contains(&signature) => {}
					None => {
						let outcome = kasane
							.submit(BridgeCall::attest_rotation(&view.digest, &signature))
							.await?;
						report("rotation signature", view.attester_set_id, &outcome);
					}
				}
			}
		}
		// Hand-overs in order: each one needs the vault at the set that signed it. The vault
		// queues it, then installs it after its own time lock.
		let id = eth.attester_set_id().await?;
		let Some(rotation) = kasane.rotation(id).await? else { return Ok(()) };
		let wanted = Ethereum::rotation_hash(&rotation);
		match eth.pending_rotation().await? {
			None => match eth.queue_rotation(&rotation).await {
				Ok(tx) => info!(from = id, tx = %tx, "vault hand-over queued"),
				Err(e) if eth.pending_rotation().await?.is_some() => {
					info!(from = id, "vault hand-over queued by another relayer ({e})")
				}
				Err(e) => return Err(e),
			},
			Some((hash, _)) if hash != wanted => warn!(
				from = id,
				queued = %hash,
				"the vault has a hand-over queued that Kasane did not sign: the guardian must cancel it"
			),
			Some((_, eta)) if eth.now().await? >= eta => {
				match eth.execute_rotation(&rotation).await {
					Ok(tx) => {
						info!(from = id, tx = %tx, attesters = rotation.next.len(), "vault attesters rotated")
					}
					// Another relayer may have executed it first.
					Err(e) if eth.attester_set_id().await? > id => {
						info!(from = id, "vault attesters rotated by another relayer ({e})")
					}
					Err(e) => return Err(e),
				}
			}
			Some(_) => {}
		}
		Ok(())
	}

	fn save(&self) -> Result<()> {
		self.state.save(&self.config.state_file)
	}

	/// Vault logs from the next unscanned block up to the confirmation depth.
	async fn inbound(&mut self) -> Result<()> {
		let (eth, kasane, endpoint) = match (&self.eth, &self.kasane, &self.endpoint) {
			(Some(e), Some(k), Some(p)) => (e, k, *p),
			_ => return Ok(()),
		};
		let head = eth.head().await?;
		let Some(safe) = head.checked_sub(self.config.confirmations) else { return Ok(()) };
		let from = self.state.next_eth_block;
		if from > safe {
			return Ok(());
		}
		let to = safe.min(from + MAX_BLOCK_RANGE - 1);
		let events = eth.events(from, to).await?;
		// Only the newest report of each token in the range: older ones would be refused.
		let mut rates = BTreeMap::new();
		for (_, event) in &events {
			if let VaultEvent::Rate(r) = event {
				rates.insert(r.token, *r);
			}
		}
		for (block, event) in events {
			match event {
				VaultEvent::Deposit(d) => {
					// Signed (again if need be) by `open_deposits` until Kasane accepts it.
					self.state.open_deposits.insert(d.nonce, block);
				}
				VaultEvent::Rate(r) => {
					if rates.get(&r.token) != Some(&r) {
						continue;
					}
					let key = format!("{:?}", r.token);
					if self.state.rate_timestamps.get(&key).is_some_and(|t| *t >= r.timestamp) {
						continue;
					}
					let signature = self.attester.sign(&endpoint.rate_digest(&r))?;
					let outcome = kasane.submit(BridgeCall::attest_rate(&r, &signature)).await?;
					report("rate", r.timestamp, &outcome);
					self.state.rate_timestamps.insert(key, r.timestamp);
				}
			}
		}
		self.state.next_eth_block = to + 1;
		self.save()?;
		info!(from, to, head, "ethereum blocks relayed");
		Ok(())
	}

	/// Sign each deposit on the list that Kasane has not accepted and that does not count this
	/// attester's signature (new, or collected under an earlier attester set, or cleared after
	/// a halt); drop those accepted.
	async fn open_deposits(&mut self) -> Result<()> {
		let (eth, kasane, endpoint) = match (&self.eth, &self.kasane, &self.endpoint) {
			(Some(e), Some(k), Some(p)) => (e, k, *p),
			_ => return Ok(()),
		};
		if self.state.open_deposits.is_empty() {
			return Ok(());
		}
		let me = self.attester.address();
		let member = kasane.is_attester(&me).await?;
		for (nonce, block) in self.state.open_deposits.clone() {
			let sign = match kasane.deposit_status(nonce).await? {
				DepositStatus::Unknown => true,
				DepositStatus::Attesting { signers, .. } => !signers.contains(&me),
				// Root clears it or not; until then there is nothing to sign.
				DepositStatus::Halted => false,
				DepositStatus::Parked
				| DepositStatus::Delayed { .. }
				| DepositStatus::Processed => {
					info!(nonce, "deposit accepted by kasane");
					self.state.open_deposits.remove(&nonce);
					continue;
				}
			};
			if !sign || !member {
				continue;
			}
			let Some(d) = eth.deposit_at(block, nonce).await? else {
				warn!(nonce, block, "deposit no longer in its block; dropped");
				self.state.open_deposits.remove(&nonce);
				continue;
			};
			let signature = self.attester.sign(&endpoint.deposit_digest(&d))?;
			let outcome = kasane.submit(BridgeCall::attest_deposit(&d, &signature)).await?;
			report("deposit", nonce, &outcome);
			// Refused for good (unknown token, bad recipient, …): retrying would pay for nothing.
			if matches!(&outcome, Outcome::Failed(e) if !SETTLED.iter().any(|s| e.contains(s))) {
				self.state.open_deposits.remove(&nonce);
			}
		}
		self.save()
	}

	/// Sign withdrawals short of a quorum; release the ready ones.
	async fn outbound(&mut self) -> Result<()> {
		let (eth, kasane) = match (&self.eth, &self.kasane) {
			(Some(e), Some(k)) => (e, k),
			_ => return Ok(()),
		};
		let Some(endpoint) = self.endpoint else { return Ok(()) };
		for view in kasane.unsigned_withdrawals(self.state.next_release, 100).await? {
			// What this relayer computes from the withdrawal, not what the RPC served.
			let digest = endpoint.release_digest(view.attester_set_id, &view.withdrawal);
			if digest != view.digest.0 {
				warn!(
					nonce = view.withdrawal.nonce,
					"withdrawal digest served does not match its fields; not signed"
				);
				continue;
			}
			let signature = self.attester.sign(&digest)?;
			if view.signatures.contains(&signature) {
				continue;
			}
			let nonce = view.withdrawal.nonce;
			let outcome = kasane.submit(BridgeCall::attest_withdrawal(nonce, &signature)).await?;
			report("withdrawal signature", nonce, &outcome);
		}
		loop {
			let nonce = self.state.next_release;
			let Some(view) = kasane.withdrawal(nonce).await? else { break };
			if eth.released(nonce).await? {
				self.state.next_release = nonce + 1;
				self.save()?;
				continue;
			}
			if !view.ready {
				break;
			}
			match eth.release(&view.withdrawal, &view.signatures).await {
				Ok(tx) => {
					info!(nonce, tx = %tx, amount = view.withdrawal.amount, "withdrawal released on ethereum")
				}
				// Another relayer may have released it first: `released` tells next round.
				Err(e) if eth.released(nonce).await? => {
					info!(nonce, "released by another relayer ({e})")
				}
				Err(e) => return Err(e),
			}
			self.state.next_release = nonce + 1;
			self.save()?;
		}
		Ok(())
	}
}

fn report(what: &str, id: u64, outcome: &Outcome) {
	match outcome {
		Outcome::Done => info!(id, "{what} attested"),
		Outcome::Failed(e) if SETTLED.iter().any(|s| e.contains(s)) => {
			info!(id, error = %e, "{what} already settled")
		}
		Outcome::Failed(e) => warn!(id, error = %e, "{what} rejected by kasane"),
	}
}
