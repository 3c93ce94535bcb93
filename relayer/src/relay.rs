//! One relayer step after another: Ethereum logs in, withdrawals out.

use crate::{
	beacon::{
		task::{BeaconTask, Wanted},
		Beacon,
	},
	config::Config,
	ethereum::{Attester, Ethereum, Release, VaultEvent},
	kasane::{
		BridgeCall, Contradicted, Contradiction, InboundPolicy, Kasane, Outcome, Rejection,
		SLASHING_PALLET,
	},
	open_headers::HeaderBudget,
	refusals::Refusals,
	reports::{self, Reporter, Verdict},
	state::{OpenReceipt, State},
	turns::{Seat, Turns},
	waiting::{self, Retrier},
};
use anyhow::Result;
use codec::Encode;
use kasane_primitives::bridge::{
	beacon::BeaconReceiptProof, proof::ReceiptProof, BridgeDomain, DepositStatus, EthereumEndpoint,
	HeaderStatus, RateReport,
};
use kasane_primitives::slashing::SlashingMode;
use sp_core::H160;
use std::{
	collections::{BTreeMap, BTreeSet},
	time::{Duration, Instant},
};
use tracing::{info, warn};

/// Most Ethereum blocks scanned per step.
const MAX_BLOCK_RANGE: u64 = 500;

/// Failed attempts at a release before later withdrawals go first.
pub const RELEASE_ATTEMPTS: u32 = 3;
/// Longest wait between retries of a skipped release (seconds).
const MAX_RETRY_SECS: u64 = 86_400;

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
	"RoundAttested",
	"WithdrawalReadyAlready",
	"AlreadyReleased",
	"HeaderTrusted",
	"HeaderHalted",
];

/// Refusals of a proof that a later step may not get: the header forgotten between reading
/// its status and submitting, a nonce beyond what Kasane takes yet, a large deposit whose
/// header the attesters have not co-signed yet, the light client halted until root resumes it.
const RETRY_LATER: &[&str] =
	&["UntrustedHeader", "NonceTooFarAhead", "CoSignRequired", "BeaconHalted"];

/// Refusals of a proof that only a change on Kasane lifts (an earlier nonce settled, root
/// resuming the light client): the proof waits [`PROOF_REFUSAL_WAIT`] instead of being paid
/// for again every step.
const HELD_UNTIL_KASANE_CHANGES: &[&str] = &["NonceTooFarAhead", "BeaconHalted"];

/// How long a proof Kasane refused for a reason in [`HELD_UNTIL_KASANE_CHANGES`] waits.
pub const PROOF_REFUSAL_WAIT: Duration = Duration::from_secs(60);

/// Where proving a vault event stands.
enum Proven<P = ReceiptProof> {
	/// Its block's header is not trusted (or not beacon-finalized) on Kasane yet.
	Waiting,
	/// The event is no longer in its block.
	Gone,
	Proof(P),
}

/// Per token, the first report of the latest rate round among `events` (in block and log
/// order): what every attester signs whoever else calls `reportRate`, since the first report
/// of a round is the same for everyone who scanned it.
pub fn first_reports_of_latest_rounds<'a>(
	events: impl IntoIterator<Item = &'a VaultEvent>,
	rate_round: u64,
) -> BTreeMap<H160, RateReport> {
	let round = |r: &RateReport| r.eth_block_number / rate_round.max(1);
	let mut firsts: BTreeMap<H160, RateReport> = BTreeMap::new();
	for event in events {
		let VaultEvent::Rate(r) = event else { continue };
		if firsts.get(&r.token).is_none_or(|first| round(first) < round(r)) {
			firsts.insert(r.token, *r);
		}
	}
	firsts
}

/// This relayer's side of every digest: the chain id its Ethereum node serves and its vault.
fn endpoint_of(config: &Config, chain_id: u64) -> EthereumEndpoint {
	EthereumEndpoint { chain_id, vault: H160(config.vault.0 .0) }
}

fn unix_now() -> u64 {
	std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// Record a failed release of `nonce`; returns whether it is now skipped (later withdrawals
/// go first, and it is retried `first_wait` seconds later, the wait doubling each time).
fn release_failed(state: &mut State, nonce: u64, now: u64, first_wait: u64) -> bool {
	let failed = state.failed_releases.entry(nonce).or_default();
	failed.attempts += 1;
	if failed.attempts >= RELEASE_ATTEMPTS {
		// Each retry that fails doubles the wait.
		let retries = failed.attempts - RELEASE_ATTEMPTS;
		let wait = first_wait.saturating_mul(1 << retries.min(20)).min(MAX_RETRY_SECS);
		failed.skipped = true;
		failed.retry_at = now + wait;
	}
	failed.skipped
}

pub struct Relayer {
	pub config: Config,
	pub attester: Attester,
	pub state: State,
	eth: Option<Ethereum>,
	kasane: Option<Kasane>,
	endpoint: Option<EthereumEndpoint>,
	/// Whether Kasane acts only on proven messages (read every step).
	proofs: bool,
	/// Which proofs Kasane acts on (read every step while `proofs`); `None` for a policy this
	/// relayer does not know, under which it proves nothing.
	policy: Option<InboundPolicy>,
	/// Deposits Kasane refused a beacon proof of until their header is attested too
	/// (`CoSignRequired`): proven again only once it is, so the fee is not paid every step.
	awaiting_co_sign: BTreeSet<u64>,
	/// Where this relayer takes execution proofs under beacon-finalized headers from, if it
	/// proves that way.
	beacon: Option<BeaconTask>,
	/// What this attester may sign of headers (see [`crate::open_headers`]).
	headers: HeaderBudget,
	/// The deposits Kasane holds back that this relayer retries.
	retrier: Retrier,
	/// The attesters recorded as contradicting a quorum that this relayer reports.
	reporter: Reporter,
	/// Deposits provable under an attested header, and whose turn it is to prove them.
	deposit_provers: Turns,
	/// Deposits whose proof Kasane refused until something changes there (by nonce).
	refused_proofs: Refusals,
	/// How long Ethereum is left alone after its next failure.
	eth_backoff: Duration,
	/// When Ethereum, which failed, is tried again.
	eth_retry_at: Option<Instant>,
	/// The newest block Ethereum called final this step, once read: one read serves the
	/// step's duties, so that they agree on it, and the beacon task is told what is open
	/// without another read after a duty failed on Ethereum.
	finalized_this_step: Option<u64>,
}

/// How a step went on the Ethereum side (the Kasane side's failure is the step's error).
#[derive(Debug)]
pub enum EthereumSide {
	/// Every duty done.
	Done,
	/// Left alone after a recent failure: its duties wait for the next attempt.
	Resting,
	/// Unreachable, or one of its duties failed: the connection is dropped, and made again
	/// in `retry_in`. Kasane's own duties were done all the same.
	Failed { error: anyhow::Error, retry_in: Duration },
}

impl Relayer {
	pub fn new(config: Config) -> Result<Self> {
		let attester = Attester::from_hex(&config.attester_key)?;
		let state = State::load(&config.state_file, config.start_block)?;
		let beacon = Beacon::from_config(&config)?.map(BeaconTask::new);
		// Until Ethereum answers, the chain id it served last (a relayer restarted during an
		// outage still signs on Kasane).
		let endpoint = state.eth_chain_id.map(|chain_id| endpoint_of(&config, chain_id));
		let eth_backoff = config.poll_interval;
		Ok(Self {
			config,
			attester,
			state,
			eth: None,
			kasane: None,
			endpoint,
			proofs: false,
			policy: Some(InboundPolicy::Attested),
			awaiting_co_sign: BTreeSet::new(),
			beacon,
			headers: HeaderBudget::default(),
			retrier: Retrier::default(),
			reporter: Reporter::default(),
			deposit_provers: Turns::default(),
			refused_proofs: Refusals::new(PROOF_REFUSAL_WAIT),
			eth_backoff,
			eth_retry_at: None,
			finalized_this_step: None,
		})
	}

	/// One step. A failure on the Kasane side fails it, and both connections are made again
	/// next step; one on the Ethereum side only leaves Ethereum's duties (see [`EthereumSide`]).
	pub async fn step(&mut self) -> Result<EthereumSide> {
		let result = self.try_step().await;
		if result.is_err() {
			self.eth = None;
			self.kasane = None;
		}
		result
	}

	/// Every duty needs Kasane; those that need only Kasane (proposing and signing attester
	/// hand-overs, signing withdrawals, retrying waiting deposits) are done whether Ethereum
	/// answers or not, so an Ethereum outage does not hold up withdrawals other relayers can
	/// release.
	async fn try_step(&mut self) -> Result<EthereumSide> {
		if self.kasane.is_none() {
			self.kasane =
				Some(Kasane::connect(&self.config.kasane_rpc, &self.config.kasane_signer).await?);
			info!("connected to kasane");
		}
		let mut ethereum = self.connect_ethereum().await?;
		if let Some(kasane) = &self.kasane {
			let proofs = kasane.proofs_required().await?;
			let policy =
				if proofs { kasane.policy().await? } else { Some(InboundPolicy::Attested) };
			if proofs != self.proofs || policy != self.policy {
				match policy {
					Some(policy) => info!(proofs, policy = ?policy, "kasane's inbound policy"),
					None => warn!(
						"kasane's inbound policy is one this relayer does not know: it proves \
						 nothing until it is upgraded"
					),
				}
				self.proofs = proofs;
				self.policy = policy;
				// Another threshold may no longer ask these for a co-sign.
				self.awaiting_co_sign.clear();
			}
		}
		self.rotation_on_kasane().await?;
		if let EthereumSide::Done = ethereum {
			if let Err(e) = self.ethereum_duties().await {
				ethereum = self.ethereum_error(e).await?;
			}
		}
		self.sign_withdrawals().await?;
		if let EthereumSide::Done = ethereum {
			if let Err(e) = self.release_withdrawals().await {
				ethereum = self.ethereum_error(e).await?;
			}
		}
		// Last and never failing the step: a runtime without the list, or a signer that cannot
		// pay for retries, must not hold up the relayer's own duties.
		if let Err(e) = self.waiting_deposits().await {
			warn!(error = %e, "retrying waiting deposits failed");
		}
		if let EthereumSide::Done = ethereum {
			if let Err(e) = self.report_contradictions().await {
				warn!(error = %e, "reporting contradicting attesters failed");
			}
		}
		if let EthereumSide::Done = ethereum {
			self.eth_backoff = self.config.poll_interval;
		}
		Ok(ethereum)
	}

	/// Connect to Ethereum unless connected, or resting after a failure. The chain id it
	/// serves is this relayer's side of every digest, kept in the state file so that a
	/// relayer restarted while Ethereum is unreachable still signs on Kasane.
	async fn connect_ethereum(&mut self) -> Result<EthereumSide> {
		if self.eth.is_some() {
			return Ok(EthereumSide::Done);
		}
		if self.eth_retry_at.is_some_and(|at| Instant::now() < at) {
			return Ok(EthereumSide::Resting);
		}
		let connected = async {
			let eth = Ethereum::connect(
				&self.config.eth_rpc,
				self.config.vault,
				&self.config.eth_sender_key,
			)?;
			let chain_id = eth.chain_id().await?;
			anyhow::Ok((eth, chain_id))
		};
		match connected.await {
			Ok((eth, chain_id)) => {
				self.endpoint = Some(endpoint_of(&self.config, chain_id));
				info!(chain_id, "connected to ethereum");
				self.eth = Some(eth);
				self.eth_retry_at = None;
				if self.state.eth_chain_id != Some(chain_id) {
					if let Some(before) = self.state.eth_chain_id {
						warn!(
							before,
							now = chain_id,
							"the ethereum node serves another chain than it did: this relayer \
							 signs for the new one, which kasane refuses unless its endpoint \
							 changed too"
						);
					}
					self.state.eth_chain_id = Some(chain_id);
					self.save()?;
				}
				Ok(EthereumSide::Done)
			}
			Err(e) => Ok(self.ethereum_failed(e)),
		}
	}

	/// Whose `error` from a duty that reads or writes Ethereum is: Ethereum's if it does not
	/// answer now; otherwise the step's (Kasane's, or the state file's), which fails it.
	async fn ethereum_error(&mut self, error: anyhow::Error) -> Result<EthereumSide> {
		let answers = match &self.eth {
			Some(eth) => eth.chain_id().await.is_ok(),
			None => false,
		};
		if answers {
			return Err(error);
		}
		Ok(self.ethereum_failed(error))
	}

	/// Drop the Ethereum connection after `error`, and rest before the next attempt: the
	/// wait doubles with each failure in a row, up to [`crate::MAX_BACKOFF`].
	fn ethereum_failed(&mut self, error: anyhow::Error) -> EthereumSide {
		self.eth = None;
		if self.endpoint.is_none() {
			warn!(
				"no ethereum chain id known yet: nothing is signed on kasane until ethereum \
				 answers once"
			);
		}
		let retry_in = self.eth_backoff;
		self.eth_retry_at = Some(Instant::now() + retry_in);
		self.eth_backoff = (retry_in * 2).min(crate::MAX_BACKOFF);
		EthereumSide::Failed { error, retry_in }
	}

	/// The duties that read or write Ethereum, before withdrawals are signed: the vault's
	/// hand-overs, its events relayed, deposits and rate reports attested or proven, releases
	/// attested back.
	async fn ethereum_duties(&mut self) -> Result<()> {
		self.finalized_this_step = None;
		self.rotation_on_vault().await?;
		self.inbound().await?;
		let opened = match self.open_deposits().await {
			Ok(()) => self.open_rates().await,
			failed => failed,
		};
		// After those drop what Kasane already settled (a fresh relayer's history, say): the
		// beacon task brings the light client only to what is still open. It is told even when
		// they failed part way (what they kept is still open), so that one failing item does
		// not leave the task on an old list and old connections.
		let wanted = self.want_beacon_proofs().await;
		opened.and(wanted)?;
		self.open_receipts().await
	}

	/// Retry the deposits Kasane holds back that a retry now moves on (see [`waiting`]), up to
	/// [`waiting::MAX_RETRIES_PER_STEP`] at once.
	async fn waiting_deposits(&mut self) -> Result<()> {
		let Some(kasane) = self.kasane.as_ref().filter(|_| self.config.retry_deposits) else {
			return Ok(());
		};
		let seat = kasane.seat(&self.attester.address()).await?;
		let mut due = Vec::new();
		for _ in 0..waiting::PAGES_PER_STEP {
			let (listed, next) =
				kasane.retryable_deposits(self.retrier.cursor, waiting::SCAN).await?;
			let page = self.retrier.due(&listed, seat, std::time::Instant::now());
			let room = waiting::MAX_RETRIES_PER_STEP - due.len();
			if page.len() > room {
				// The rest of this page next step: the cursor stays before it.
				due.extend(page.into_iter().take(room));
				break;
			}
			due.extend(page);
			self.retrier.cursor = next;
			if next.is_none() {
				break;
			}
		}
		if due.is_empty() {
			return Ok(());
		}
		let calls = due.iter().map(|nonce| BridgeCall::retry_deposit(*nonce)).collect();
		let outcomes = kasane.submit_all(calls).await;
		for (&nonce, outcome) in due.iter().zip(outcomes) {
			match outcome {
				Ok(Outcome::Done) => {
					info!(nonce, "waiting deposit retried");
					self.retrier.settled(nonce);
				}
				// Another retry in the same block came first (minting it, or starting its
				// delay), or root cancelled it.
				Ok(Outcome::Failed(e))
					if e.is_bridge_error("NotWaiting") || e.is_bridge_error("DelayNotOver") =>
				{
					info!(nonce, "waiting deposit moved on before this retry");
					self.retrier.settled(nonce);
				}
				Ok(Outcome::Failed(e)) => {
					warn!(nonce, error = %e, "retry of a waiting deposit rejected by kasane");
					self.retrier.refused(nonce);
				}
				Err(e) => {
					warn!(nonce, error = %e, "retry of a waiting deposit not included");
					self.retrier.refused(nonce);
				}
			}
		}
		Ok(())
	}

	/// Report the attesters Kasane recorded as contradicting a quorum, so that they are
	/// slashed, once this relayer's Ethereum node shows what the quorum decided is Ethereum's
	/// (see [`reports`]).
	async fn report_contradictions(&mut self) -> Result<()> {
		let (Some(eth), Some(kasane), Some(endpoint)) = (&self.eth, &self.kasane, &self.endpoint)
		else {
			return Ok(());
		};
		if !self.config.report_contradictions {
			return Ok(());
		}
		// The current attesters take turns reporting.
		let Some(set) = kasane.attesters().await? else {
			return Ok(());
		};
		let domain = endpoint.domain(kasane.genesis);
		let records = kasane.contradictions(reports::SCAN).await?;
		self.reporter.retain(&records.iter().map(|r| r.decided).collect::<Vec<_>>());
		if records.is_empty() {
			return Ok(());
		}
		let mut recorded = Vec::new();
		let mut sources = BTreeMap::new();
		let head = eth.head().await?;
		for record in records {
			// Drawn from no operator set, nobody is slashed: a report would only pay.
			let Some(source) = record.operator_set else { continue };
			let now = Instant::now();
			let verdict = match self.reporter.verdict(record.decided, &record.accepted, now) {
				Some(verdict) => verdict,
				None => {
					// One record this relayer cannot judge now holds up none of the others.
					let verdict = match judge(eth, &domain, &record, head).await {
						Ok(verdict) => verdict,
						Err(e) => {
							warn!(decided = ?record.decided, error = %e, "record not judged");
							continue;
						}
					};
					if verdict == Verdict::NotEthereums {
						warn!(
							decided = ?record.decided,
							attesters = ?record.attesters,
							"a quorum of attesters decided what this relayer's ethereum node does \
							 not show: the attesters kasane recorded against it are not reported"
						);
					}
					self.reporter.judged(record.decided, record.accepted, verdict, now);
					verdict
				}
			};
			if verdict == Verdict::Ethereums {
				recorded.extend(record.attesters.iter().map(|a| (record.decided, *a)));
				sources.insert(record.decided, source);
			}
		}
		let seat = Seat::of(&set.members, &self.attester.address());
		let due = self.reporter.due(&recorded, seat, Instant::now());
		if due.is_empty() {
			return Ok(());
		}
		// While slashing does not execute in a record's set, Kasane refuses its reports (and
		// keeps the record): none is submitted, to pay no fee for the refusal.
		let mut modes = BTreeMap::new();
		for source in sources.values() {
			if !modes.contains_key(source) {
				modes.insert(*source, kasane.slashing_mode(source).await?);
			}
		}
		// A report names the attester's key, which Kasane finds among the keys the set may
		// still slash; an attester past its slashable window has none, and nobody to slash.
		let mut keyed = Vec::with_capacity(due.len());
		for (contradicted, attester) in due {
			let Some(source) = sources.get(&contradicted) else { continue };
			let mode = modes.get(source).copied().unwrap_or_default();
			if mode != SlashingMode::Enabled {
				warn!(
					?contradicted,
					%attester,
					error = %format!("slashing is {mode:?} in operator set {}/{}", source.avs, source.index),
					wait = ?reports::SLASHING_HELD_WAIT,
					"slashing holds the report back; reporting again later"
				);
				self.reporter.held(contradicted, &attester);
				continue;
			}
			let key = match kasane.attester_key(source, &attester).await {
				Ok(key) => key,
				// One key not read now holds up none of the other reports.
				Err(e) => {
					warn!(?contradicted, %attester, error = %e, "attester key not read");
					self.reporter.refused(contradicted, &attester);
					continue;
				}
			};
			match key {
				Some(key) => keyed.push((contradicted, attester, key)),
				None => {
					info!(?contradicted, %attester, "no key the set may slash: not reported");
					self.reporter.held(contradicted, &attester);
				}
			}
		}
		let calls = keyed.iter().map(|(c, _, key)| BridgeCall::report(*c, key)).collect();
		let outcomes = kasane.submit_all(calls).await;
		for (&(contradicted, attester, _), outcome) in keyed.iter().zip(outcomes) {
			match outcome {
				Ok(Outcome::Done) => {
					info!(?contradicted, %attester, "contradicting attester reported");
					self.reporter.settled(contradicted, &attester);
				}
				// Reported by another relayer first, or its record went with its header.
				Ok(Outcome::Failed(e)) if e.is_bridge_error("NotContradicted") => {
					self.reporter.settled(contradicted, &attester);
				}
				// Slashing cannot follow for the moment; the record stays for a later report.
				Ok(Outcome::Failed(e)) if e.is_from_pallet(SLASHING_PALLET) => {
					warn!(
						?contradicted,
						%attester,
						error = %e,
						wait = ?reports::SLASHING_HELD_WAIT,
						"slashing holds the report back; reporting again later"
					);
					self.reporter.held(contradicted, &attester);
				}
				Ok(Outcome::Failed(e)) => {
					warn!(?contradicted, %attester, error = %e, "report rejected by kasane");
					self.reporter.refused(contradicted, &attester);
				}
				Err(e) => {
					warn!(?contradicted, %attester, error = %e, "report not included");
					self.reporter.refused(contradicted, &attester);
				}
			}
		}
		Ok(())
	}

	/// Keep the attesters in line with the bridge's operator set: propose a hand-over when one
	/// is due, and sign a pending one as a current attester.
	async fn rotation_on_kasane(&mut self) -> Result<()> {
		let Some(kasane) = &self.kasane else { return Ok(()) };
		// Proposing signs nothing: no domain needed.
		if let Some(operators) = kasane.rotation_due().await? {
			let outcome = kasane.submit(BridgeCall::rotate_attesters(&operators)).await?;
			report("attester rotation", operators.len() as u64, &outcome);
		}
		let Some(endpoint) = self.endpoint.as_ref().map(|p| p.domain(kasane.genesis)) else {
			return Ok(());
		};
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
		Ok(())
	}

	/// Keep the vault's attesters in line with Kasane's: hand-overs in order, each one needing
	/// the vault at the set that signed it. The vault queues it, then installs it after its own
	/// time lock.
	async fn rotation_on_vault(&mut self) -> Result<()> {
		let (Some(eth), Some(kasane)) = (&self.eth, &self.kasane) else { return Ok(()) };
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
		let (eth, kasane, domain) = match (&self.eth, &self.kasane, &self.endpoint) {
			(Some(e), Some(k), Some(p)) => (e, k, p.domain(k.genesis)),
			_ => return Ok(()),
		};
		let head = eth.head().await?;
		// Proven messages are relayed from finalized blocks only: a header attested is never
		// reorganised away. Attested ones follow the configured confirmation depth.
		let safe = if self.proofs {
			finalized_once(eth, &mut self.finalized_this_step).await?
		} else {
			let Some(safe) = head.checked_sub(self.config.confirmations) else { return Ok(()) };
			safe
		};
		let from = self.state.next_eth_block;
		if from > safe {
			return Ok(());
		}
		let to = safe.min(from + MAX_BLOCK_RANGE - 1);
		let events = eth.events(from, to).await?;
		let member = kasane.is_attester(&self.attester.address()).await?;
		let rates =
			first_reports_of_latest_rounds(events.iter().map(|(_, e)| e), kasane.rate_round);
		for (block, event) in events {
			match event {
				VaultEvent::Deposit(d) => {
					// Signed (again if need be) by `open_deposits` until Kasane accepts it.
					self.state.open_deposits.insert(d.nonce, block);
				}
				VaultEvent::Rate(r) => {
					let round = r.eth_block_number / kasane.rate_round;
					let key = format!("{:?}", r.token);
					if self.proofs {
						// Proven by `open_rates` (by anyone) once the block's header is trusted.
						if rates.get(&r.token) == Some(&r)
							&& self.state.rate_rounds.get(&key).is_none_or(|last| *last < round)
						{
							self.state.open_rates.insert(key, block);
						}
						continue;
					}
					if !member
						|| rates.get(&r.token) != Some(&r)
						|| self.state.rate_rounds.get(&key).is_some_and(|last| *last >= round)
					{
						continue;
					}
					let signature = self.attester.sign(&domain.rate_digest(&r))?;
					let outcome = kasane.submit(BridgeCall::attest_rate(&r, &signature)).await?;
					report("rate", round, &outcome);
					self.state.rate_rounds.insert(key, round);
				}
				VaultEvent::Released(receipt) => {
					// Attested back to Kasane by `open_receipts` until a quorum settles it.
					self.state
						.open_receipts
						.entry(receipt.withdrawal.nonce)
						.or_insert(OpenReceipt { block, signed_under: None });
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
		let (eth, kasane, domain) = match (&self.eth, &self.kasane, &self.endpoint) {
			(Some(e), Some(k), Some(p)) => (e, k, p.domain(k.genesis)),
			_ => return Ok(()),
		};
		if self.state.open_deposits.is_empty() {
			return Ok(());
		}
		let me = self.attester.address();
		let seated = kasane.seat_in_set(&me).await?;
		let seat = seated.map(|(_, seat)| seat);
		let member = seat.is_some();
		let finalized =
			if self.proofs { finalized_once(eth, &mut self.finalized_this_step).await? } else { 0 };
		if let Some((set_id, seat)) = seated.filter(|_| self.proofs) {
			self.headers.refresh(kasane, set_id, seat).await?;
		}
		for (nonce, block) in self.state.open_deposits.clone() {
			let status = kasane.deposit_status(nonce).await?;
			// Under the proven policy a receipt also settles a nonce attesters halted.
			if self.proofs
				&& matches!(
					status,
					DepositStatus::Unknown
						| DepositStatus::Attesting { .. }
						| DepositStatus::Halted
				) {
				let Some(policy) = self.policy else { continue };
				let wanted =
					|e: &VaultEvent| matches!(e, VaultEvent::Deposit(d) if d.nonce == nonce);
				let beacon = self.beacon.as_ref().filter(|_| !policy.takes_attested_headers());
				if let Some(beacon) = beacon {
					if matches!(policy, InboundPolicy::BeaconCoSigned { .. }) {
						// A deposit above the policy's amount also needs its header attested.
						let signer = HeaderSigner {
							domain: &domain,
							attester: &self.attester,
							member,
							headers: &mut self.headers,
						};
						let co_signed = matches!(
							Self::proven(eth, kasane, signer, finalized, block, &wanted).await?,
							Proven::Proof(_)
						);
						if !co_signed && self.awaiting_co_sign.contains(&nonce) {
							continue;
						}
					}
					match Self::beacon_proven(eth, beacon, finalized, block, &wanted).await? {
						Proven::Waiting => {}
						Proven::Gone => {
							warn!(nonce, block, "deposit no longer in its block; dropped");
							self.state.open_deposits.remove(&nonce);
						}
						Proven::Proof(_) if self.refused_proofs.holds_back(nonce) => {}
						Proven::Proof(proof) => {
							let Some(d) = eth.deposit_at(block, nonce).await? else { continue };
							info!(
								nonce,
								block,
								bytes = proof.encoded_size(),
								ancestry = proof.execution.ancestry_proof.is_some(),
								"proving deposit under a beacon-finalized header"
							);
							let call = BridgeCall::prove_deposit_beacon(&d, &proof);
							let outcome = kasane.submit(call).await?;
							report("deposit beacon proof", nonce, &outcome);
							if matches!(&outcome, Outcome::Failed(e) if e.is_bridge_error("CoSignRequired"))
							{
								self.awaiting_co_sign.insert(nonce);
							}
							note_proof_outcome(
								&mut self.refused_proofs,
								&mut self.state,
								nonce,
								&outcome,
							);
						}
					}
					continue;
				}
				// Only beacon proofs mint and no header needs a co-sign: nothing to do here.
				if policy == InboundPolicy::Beacon {
					continue;
				}
				let signer = HeaderSigner {
					domain: &domain,
					attester: &self.attester,
					member,
					headers: &mut self.headers,
				};
				match Self::proven(eth, kasane, signer, finalized, block, wanted).await? {
					Proven::Waiting => {}
					Proven::Gone => {
						warn!(nonce, block, "deposit no longer in its block; dropped");
						self.state.open_deposits.remove(&nonce);
					}
					// Only beacon proofs mint: the header is signed (a co-sign), another relayer
					// proves the deposit.
					Proven::Proof(_) if !policy.takes_attested_headers() => {}
					// The first proof is free and later ones are refused and paid for: the
					// deposit's designated relayer proves it at once, the others in turn if it
					// stays unproven (see `Turns`).
					Proven::Proof(_)
						if !self.deposit_provers.mine(nonce, seat, std::time::Instant::now()) => {}
					Proven::Proof(_) if self.refused_proofs.holds_back(nonce) => {}
					Proven::Proof(proof) => {
						let Some(d) = eth.deposit_at(block, nonce).await? else { continue };
						info!(
							nonce,
							block,
							bytes = proof.len_bytes(),
							nodes = proof.nodes.len(),
							"proving deposit"
						);
						let outcome = kasane.submit(BridgeCall::prove_deposit(&d, &proof)).await?;
						report("deposit proof", nonce, &outcome);
						note_proof_outcome(
							&mut self.refused_proofs,
							&mut self.state,
							nonce,
							&outcome,
						);
					}
				}
				continue;
			}
			let sign = match status {
				DepositStatus::Unknown => true,
				DepositStatus::Attesting { signers, .. } => !signers.contains(&me),
				// Root clears it or not; until then there is nothing to sign.
				DepositStatus::Halted => false,
				DepositStatus::Parked
				| DepositStatus::Delayed { .. }
				| DepositStatus::Processed
				| DepositStatus::Refunded { .. } => {
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
			let signature = self.attester.sign(&domain.deposit_digest(&d))?;
			let outcome = kasane.submit(BridgeCall::attest_deposit(&d, &signature)).await?;
			report("deposit", nonce, &outcome);
			// Refused for good (a malformed message): retrying would pay for nothing.
			if matches!(&outcome, Outcome::Failed(e) if !settled(e)) {
				self.state.open_deposits.remove(&nonce);
			}
		}
		let open = &self.state.open_deposits;
		self.awaiting_co_sign.retain(|nonce| open.contains_key(nonce));
		self.deposit_provers.retain(|nonce| open.contains_key(&nonce));
		self.save()
	}

	/// Prove each rate report waiting for its block's header (the first report of the latest
	/// round per token), once Kasane trusts that header; drop it once applied or refused.
	async fn open_rates(&mut self) -> Result<()> {
		let (eth, kasane, domain) = match (&self.eth, &self.kasane, &self.endpoint) {
			(Some(e), Some(k), Some(p)) => (e, k, p.domain(k.genesis)),
			_ => return Ok(()),
		};
		if self.state.open_rates.is_empty() {
			return Ok(());
		}
		let Some(policy) = self.policy else { return Ok(()) };
		let seated = kasane.seat_in_set(&self.attester.address()).await?;
		let member = seated.is_some();
		if let Some((set_id, seat)) = seated {
			self.headers.refresh(kasane, set_id, seat).await?;
		}
		let finalized = finalized_once(eth, &mut self.finalized_this_step).await?;
		for (key, block) in self.state.open_rates.clone() {
			let Some(rate) =
				eth.events(block, block).await?.into_iter().find_map(|(_, e)| match e {
					VaultEvent::Rate(r) if format!("{:?}", r.token) == key => Some(r),
					_ => None,
				})
			else {
				warn!(token = %key, block, "rate report no longer in its block; dropped");
				self.state.open_rates.remove(&key);
				continue;
			};
			let wanted = |e: &VaultEvent| matches!(e, VaultEvent::Rate(r) if *r == rate);
			let round = rate.eth_block_number / kasane.rate_round;
			let beacon = self.beacon.as_ref().filter(|_| !policy.takes_attested_headers());
			if let Some(beacon) = beacon {
				match Self::beacon_proven(eth, beacon, finalized, block, &wanted).await? {
					Proven::Waiting => continue,
					Proven::Gone => {}
					Proven::Proof(proof) => {
						let outcome =
							kasane.submit(BridgeCall::prove_rate_beacon(&rate, &proof)).await?;
						report("rate beacon proof", round, &outcome);
						if matches!(&outcome, Outcome::Failed(e) if retry_later(e)) {
							continue;
						}
						self.state.rate_rounds.insert(key.clone(), round);
					}
				}
				self.state.open_rates.remove(&key);
				continue;
			}
			// Only beacon proofs apply rates (no co-sign): beacon relayers prove it.
			if !policy.takes_attested_headers() {
				continue;
			}
			let signer = HeaderSigner {
				domain: &domain,
				attester: &self.attester,
				member,
				headers: &mut self.headers,
			};
			match Self::proven(eth, kasane, signer, finalized, block, wanted).await? {
				Proven::Waiting => continue,
				Proven::Gone => {}
				Proven::Proof(proof) => {
					let outcome = kasane.submit(BridgeCall::prove_rate(&rate, &proof)).await?;
					report("rate proof", round, &outcome);
					self.state.rate_rounds.insert(key.clone(), round);
				}
			}
			self.state.open_rates.remove(&key);
		}
		self.save()
	}

	/// The proof of the vault event `wanted` picks in block `number`, once Kasane trusts the
	/// block's header; until then this relayer signs the header if it attests and has not.
	/// Nothing above `finalized` is signed or proven.
	async fn proven(
		eth: &Ethereum,
		kasane: &Kasane,
		signer: HeaderSigner<'_>,
		finalized: u64,
		number: u64,
		wanted: impl Fn(&VaultEvent) -> bool,
	) -> Result<Proven> {
		if number > finalized {
			return Ok(Proven::Waiting);
		}
		let HeaderSigner { domain, attester, member, headers } = signer;
		let header = eth.header(number).await?;
		let trusted = |status: &HeaderStatus| matches!(status, HeaderStatus::Trusted { hash, .. } if *hash == header.hash);
		let mut status = kasane.header_status(number).await?;
		let signed = |status: &HeaderStatus| match status {
			HeaderStatus::Attesting { candidates, .. } => {
				candidates.iter().any(|(_, signers)| signers.contains(&attester.address()))
			}
			_ => false,
		};
		// This signature would complete the quorum on this header: it takes no room.
		let completes = matches!(&status, HeaderStatus::Attesting { candidates, quorum }
			if candidates.iter().any(|(hash, signers)| *hash == header.hash && signers.len() as u32 + 1 >= *quorum));
		match &status {
			HeaderStatus::Trusted { hash, .. } if *hash != header.hash => {
				warn!(number, trusted = ?hash, ours = ?header.hash, "kasane trusts another header for this block");
				return Ok(Proven::Waiting);
			}
			HeaderStatus::Halted => return Ok(Proven::Waiting),
			HeaderStatus::Unknown | HeaderStatus::Attesting { .. }
				if member && !signed(&status) && !headers.holds_back(number, completes) =>
			{
				let signature = attester.sign(&domain.header_digest(&header))?;
				let outcome = kasane.submit(BridgeCall::attest_header(&header, &signature)).await?;
				report("header", number, &outcome);
				match &outcome {
					Outcome::Done => headers.signed(number, completes),
					Outcome::Failed(e) if settled(e) => headers.settled(number),
					Outcome::Failed(e) => {
						headers.refused(number, e.is_bridge_error("TooManyOpenHeaders"))
					}
				}
				status = kasane.header_status(number).await?;
			}
			_ => {}
		}
		if !trusted(&status) {
			return Ok(Proven::Waiting);
		}
		Ok(match eth.proof_of(&header, wanted).await? {
			Some(proof) => Proven::Proof(proof),
			None => Proven::Gone,
		})
	}

	/// Hand the beacon task the blocks of the open deposits and rate reports, under a beacon
	/// policy (none otherwise): it brings the light client up to them and builds their
	/// execution proofs meanwhile (see [`crate::beacon::task`]).
	async fn want_beacon_proofs(&mut self) -> Result<()> {
		let (Some(eth), Some(kasane), Some(beacon)) = (&self.eth, &self.kasane, &mut self.beacon)
		else {
			return Ok(());
		};
		let beacon_policy =
			self.proofs && self.policy.is_some_and(|policy| !policy.takes_attested_headers());
		let (blocks, finalized) = if beacon_policy {
			let finalized = finalized_once(eth, &mut self.finalized_this_step).await?;
			let blocks = (self.state.open_deposits.values())
				.chain(self.state.open_rates.values())
				.copied()
				.filter(|block| *block <= finalized)
				.collect();
			(blocks, finalized)
		} else {
			(BTreeSet::new(), 0)
		};
		beacon.want(Wanted { eth: eth.clone(), kasane: kasane.clone(), blocks, finalized });
		Ok(())
	}

	/// The proof of the vault event `wanted` picks in block `number` under a beacon block the
	/// light client finalized, once the beacon task has one ready. Nothing above `finalized`
	/// is proven.
	async fn beacon_proven(
		eth: &Ethereum,
		beacon: &BeaconTask,
		finalized: u64,
		number: u64,
		wanted: impl Fn(&VaultEvent) -> bool,
	) -> Result<Proven<BeaconReceiptProof>> {
		if number > finalized {
			return Ok(Proven::Waiting);
		}
		let header = eth.header(number).await?;
		let Some(receipt) = eth.proof_of(&header, wanted).await? else {
			return Ok(Proven::Gone);
		};
		Ok(match beacon.proof(number) {
			Some(execution) if execution.execution_header.block_hash() == header.hash => {
				Proven::Proof(BeaconReceiptProof { receipt, execution })
			}
			// Built for the block of that number before a test chain was reverted and mined
			// again: the task builds it anew.
			Some(_) => {
				beacon.discard(number);
				Proven::Waiting
			}
			None => Proven::Waiting,
		})
	}

	/// Attest each release seen on Ethereum back to Kasane (the fee to whoever released it, the
	/// record pruned later) until Kasane settles it, once under each attester set: a change of
	/// set drops the votes collected under the old one.
	async fn open_receipts(&mut self) -> Result<()> {
		let (eth, kasane, domain) = match (&self.eth, &self.kasane, &self.endpoint) {
			(Some(e), Some(k), Some(p)) => (e, k, p.domain(k.genesis)),
			_ => return Ok(()),
		};
		if self.state.open_receipts.is_empty() {
			return Ok(());
		}
		let me = self.attester.address();
		let set = kasane.attesters().await?.filter(|set| set.members.contains(&me));
		for (nonce, open) in self.state.open_receipts.clone() {
			// Settled, or pruned after it was: nothing left to sign.
			if kasane.withdrawal(nonce).await?.is_none_or(|view| view.released) {
				self.state.open_receipts.remove(&nonce);
				continue;
			}
			let Some(set) = &set else { continue };
			if open.signed_under == Some(set.id) {
				continue;
			}
			let receipt =
				eth.events(open.block, open.block).await?.into_iter().find_map(|(_, event)| {
					match event {
						VaultEvent::Released(r) if r.withdrawal.nonce == nonce => Some(r),
						_ => None,
					}
				});
			let Some(receipt) = receipt else {
				warn!(nonce, block = open.block, "release log no longer in its block; dropped");
				self.state.open_receipts.remove(&nonce);
				continue;
			};
			let signature = self.attester.sign(&domain.released_digest(&receipt))?;
			let outcome = kasane.submit(BridgeCall::attest_release(&receipt, &signature)).await?;
			report("release receipt", nonce, &outcome);
			match &outcome {
				// Refused for good (the receipt does not match Kasane's withdrawal).
				Outcome::Failed(e) if !settled(e) => {
					self.state.open_receipts.remove(&nonce);
				}
				_ => {
					if let Some(o) = self.state.open_receipts.get_mut(&nonce) {
						o.signed_under = Some(set.id);
					}
				}
			}
		}
		self.save()
	}

	/// Sign withdrawals short of a quorum.
	async fn sign_withdrawals(&mut self) -> Result<()> {
		let (kasane, domain) = match (&self.kasane, &self.endpoint) {
			(Some(k), Some(p)) => (k, p.domain(k.genesis)),
			_ => return Ok(()),
		};
		let mut unsigned = kasane.unsigned_withdrawals(self.state.next_release, 100).await?;
		// Skipped ones too: after a change of attester set they need the new set's signatures.
		for (&nonce, _) in self.state.failed_releases.iter().filter(|(_, f)| f.skipped) {
			if let Some(view) = kasane.withdrawal(nonce).await?.filter(|v| !v.ready && !v.released)
			{
				unsigned.push(view);
			}
		}
		for view in unsigned {
			// What this relayer computes from the withdrawal, not what the RPC served.
			let digest = domain.release_digest(view.attester_set_id, &view.withdrawal);
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
		Ok(())
	}

	/// Release the ready withdrawals in order, skipping (and retrying later) one the vault
	/// keeps refusing rather than stalling every later one.
	async fn release_withdrawals(&mut self) -> Result<()> {
		let (Some(eth), Some(kasane)) = (&self.eth, &self.kasane) else { return Ok(()) };
		// A paused vault refuses every release: nothing counts against a withdrawal meanwhile.
		if eth.paused().await? {
			info!("the vault is paused: releases wait");
			return self.save();
		}
		let beneficiary = kasane.account_bytes();
		// Skipped releases whose retry time came, then the next ones in order.
		let now = unix_now();
		let due: Vec<u64> = self
			.state
			.failed_releases
			.iter()
			.filter(|(_, f)| f.skipped && f.retry_at <= now)
			.map(|(n, _)| *n)
			.collect();
		for nonce in due {
			if eth.released(nonce).await? {
				self.state.failed_releases.remove(&nonce);
				continue;
			}
			let Some(view) = kasane.withdrawal(nonce).await?.filter(|v| v.ready) else { continue };
			match eth.release(&view.withdrawal, &view.signatures, beneficiary).await? {
				Release::Sent(tx) => {
					info!(nonce, tx = %tx, "skipped withdrawal released on ethereum at last");
					self.state.failed_releases.remove(&nonce);
				}
				Release::Refused(e) if eth.released(nonce).await? => {
					info!(nonce, "released by another relayer ({e})");
					self.state.failed_releases.remove(&nonce);
				}
				Release::Refused(e) => {
					release_failed(&mut self.state, nonce, now, self.config.release_retry_secs);
					warn!(nonce, error = %e, "skipped withdrawal still not releasable");
				}
			}
		}
		loop {
			let nonce = self.state.next_release;
			let skipped = self.state.failed_releases.get(&nonce).is_some_and(|f| f.skipped);
			// Released (a pruned withdrawal was released) or set aside: the next one.
			if skipped || eth.released(nonce).await? {
				if !skipped {
					self.state.failed_releases.remove(&nonce);
				}
				self.state.next_release = nonce + 1;
				self.save()?;
				continue;
			}
			let Some(view) = kasane.withdrawal(nonce).await? else { break };
			if !view.ready {
				break;
			}
			match eth.release(&view.withdrawal, &view.signatures, beneficiary).await? {
				Release::Sent(tx) => {
					info!(nonce, tx = %tx, amount = view.withdrawal.amount, "withdrawal released on ethereum");
					self.state.failed_releases.remove(&nonce);
				}
				// Another relayer may have released it first.
				Release::Refused(e) if eth.released(nonce).await? => {
					info!(nonce, "released by another relayer ({e})");
					self.state.failed_releases.remove(&nonce);
				}
				Release::Refused(e) => {
					if !release_failed(&mut self.state, nonce, now, self.config.release_retry_secs)
					{
						warn!(nonce, error = %e, "release refused by the vault; retried next step");
						self.save()?;
						break;
					}
					warn!(
						nonce,
						error = %e,
						attempts = RELEASE_ATTEMPTS,
						"the vault keeps refusing this release: skipped so that later withdrawals are released, retried later"
					);
				}
			}
			self.state.next_release = nonce + 1;
			self.save()?;
		}
		self.save()
	}
}

/// Whether Kasane refused an attestation because the work is done already or can never be
/// done: matched on the decoded pallet and variant, so a renamed error fails the relayer's
/// tests rather than matching silently by substring.
fn settled(rejection: &Rejection) -> bool {
	SETTLED.iter().any(|variant| rejection.is_bridge_error(variant))
}

/// What `eth` shows of what a quorum decided in `record`: the header of its block number (once
/// its `head` reached it), or the deposit of its nonce, digested as the attesters sign them
/// under `domain`.
async fn judge(
	eth: &Ethereum,
	domain: &BridgeDomain,
	record: &Contradiction,
	head: u64,
) -> Result<Verdict> {
	let ours = match record.decided {
		Contradicted::Header(number) if number > head => return Ok(Verdict::NotYet),
		Contradicted::Header(number) => Some(domain.header_digest(&eth.header(number).await?)),
		Contradicted::Deposit(nonce) => {
			let from = head.saturating_sub(reports::DEPOSIT_LOOKBACK);
			match eth.deposit_block(nonce, from, head).await? {
				Some(block) => {
					eth.deposit_at(block, nonce).await?.map(|d| domain.deposit_digest(&d))
				}
				None => None,
			}
		}
	};
	Ok(if ours == Some(record.accepted) { Verdict::Ethereums } else { Verdict::NotEthereums })
}

fn retry_later(rejection: &Rejection) -> bool {
	RETRY_LATER.iter().any(|variant| rejection.is_bridge_error(variant))
}

/// What to do with a deposit after Kasane's `outcome` of its proof.
#[derive(Debug, PartialEq, Eq)]
enum AfterProof {
	/// Accepted, or settled already: Kasane's deposit status says what follows.
	Keep,
	/// Refused for now: proven again next step.
	Again,
	/// Refused until Kasane changes: proven again after [`PROOF_REFUSAL_WAIT`].
	Wait,
	/// Refused for good: dropped.
	Drop,
}

/// Keep, hold back or drop the deposit `nonce` after Kasane's `outcome` of its proof.
fn note_proof_outcome(refused: &mut Refusals, state: &mut State, nonce: u64, outcome: &Outcome) {
	match after_proof(outcome) {
		AfterProof::Keep => refused.accepted(nonce),
		AfterProof::Again => {}
		AfterProof::Wait => refused.refused(nonce),
		AfterProof::Drop => {
			state.open_deposits.remove(&nonce);
		}
	}
}

fn after_proof(outcome: &Outcome) -> AfterProof {
	match outcome {
		Outcome::Done => AfterProof::Keep,
		Outcome::Failed(e) if settled(e) => AfterProof::Keep,
		Outcome::Failed(e) if HELD_UNTIL_KASANE_CHANGES.iter().any(|v| e.is_bridge_error(v)) => {
			AfterProof::Wait
		}
		Outcome::Failed(e) if retry_later(e) => AfterProof::Again,
		Outcome::Failed(_) => AfterProof::Drop,
	}
}

/// What signing a header takes: the bridge's domain, this relayer's attester key, whether it
/// is a member of the set, and what it may sign.
struct HeaderSigner<'a> {
	domain: &'a BridgeDomain,
	attester: &'a Attester,
	member: bool,
	headers: &'a mut HeaderBudget,
}

fn report(what: &str, id: u64, outcome: &Outcome) {
	match outcome {
		Outcome::Done => info!(id, "{what} attested"),
		Outcome::Failed(e) if settled(e) => {
			info!(id, error = %e, "{what} already settled")
		}
		Outcome::Failed(e) => warn!(id, error = %e, "{what} rejected by kasane"),
	}
}

/// The newest block Ethereum calls final, read at most once a step (`read` is the step's).
async fn finalized_once(eth: &Ethereum, read: &mut Option<u64>) -> Result<u64> {
	if let Some(finalized) = *read {
		return Ok(finalized);
	}
	let finalized = eth.finalized().await?;
	*read = Some(finalized);
	Ok(finalized)
}

#[cfg(test)]
mod tests {
	use super::*;
	use sp_core::H256;

	fn rejection(pallet: &str, variant: &str) -> Rejection {
		Rejection {
			module: Some((pallet.into(), variant.into())),
			message: format!("{pallet}::{variant}"),
		}
	}

	#[test]
	fn settled_errors_are_matched_by_pallet_and_variant() {
		assert!(settled(&rejection("LstBridge", "AlreadySigned")));
		// The same variant name from another pallet, or a longer name containing it, is not.
		assert!(!settled(&rejection("Slashing", "AlreadySigned")));
		assert!(!settled(&rejection("LstBridge", "AlreadySignedElsewhere")));
		assert!(!settled(&Rejection { module: None, message: "AlreadySigned".into() }));
	}

	#[test]
	fn a_proof_refused_until_kasane_changes_waits_and_one_refused_for_good_is_dropped() {
		let failed = |variant: &str| Outcome::Failed(rejection("LstBridge", variant));
		assert_eq!(after_proof(&Outcome::Done), AfterProof::Keep);
		assert_eq!(after_proof(&failed("AlreadyProcessed")), AfterProof::Keep);
		assert_eq!(after_proof(&failed("NonceTooFarAhead")), AfterProof::Wait);
		assert_eq!(after_proof(&failed("BeaconHalted")), AfterProof::Wait);
		assert_eq!(after_proof(&failed("UntrustedHeader")), AfterProof::Again);
		assert_eq!(after_proof(&failed("CoSignRequired")), AfterProof::Again);
		assert_eq!(after_proof(&failed("InvalidProof")), AfterProof::Drop);
		assert_eq!(
			after_proof(&Outcome::Failed(rejection("Slashing", "NonceTooFarAhead"))),
			AfterProof::Drop,
			"another pallet's error of the same name"
		);
	}

	/// Every settled name is an error of the bridge pallet, so a rename there cannot silently
	/// turn "already done" into "refused for good".
	#[test]
	fn settled_errors_exist_in_the_bridge_pallet() {
		let source = include_str!("../../pallets/lst-bridge/src/lib.rs");
		let errors = source.split("#[pallet::error]").nth(1).expect("the bridge declares errors");
		let errors = &errors[..errors.find("\n\t}").expect("the error enum ends")];
		let variants: Vec<&str> = errors
			.lines()
			.map(str::trim)
			.filter(|l| !l.starts_with("//") && l.ends_with(','))
			.map(|l| l.trim_end_matches(','))
			.collect();
		// And the ones the relayer's duties match on their own.
		let named = ["NotContradicted", "TooManyOpenHeaders", "NotWaiting", "DelayNotOver"];
		for name in SETTLED.iter().chain(RETRY_LATER).chain(HELD_UNTIL_KASANE_CHANGES).chain(&named)
		{
			assert!(variants.contains(name), "{name} is not an LstBridge error: {variants:?}");
		}
		// A report the slashing pallet refuses is held back by that pallet's name.
		let runtime = include_str!("../../runtime/src/lib.rs");
		assert!(runtime.contains(&format!("pub type {SLASHING_PALLET} = pallet_slashing;")));
	}

	fn report(token: u8, block: u64, rate: u128) -> VaultEvent {
		VaultEvent::Rate(RateReport {
			token: H160::repeat_byte(token),
			rate,
			timestamp: 1_700_000_000 + block,
			eth_block_number: block,
			eth_block_hash: H256::from_low_u64_be(block),
		})
	}

	/// The review's L-9 on the relayer's side: with someone calling `reportRate` every block,
	/// relayers that scanned different ranges still pick the same report per round.
	#[test]
	fn relayers_scanning_different_ranges_pick_the_same_first_report_of_a_round() {
		let round = 300;
		let spam: Vec<_> = (250..700).map(|b| report(0x11, b, 1_000 + b as u128)).collect();
		let pick = |from: u64, to: u64| {
			let scanned = spam.iter().filter(|e| match e {
				VaultEvent::Rate(r) => (from..=to).contains(&r.eth_block_number),
				_ => false,
			});
			first_reports_of_latest_rounds(scanned, round)[&H160::repeat_byte(0x11)]
		};
		// One relayer stepped up to block 420, another up to 599: both sign block 300's.
		assert_eq!(pick(250, 420), pick(0, 599));
		assert_eq!(pick(250, 420).eth_block_number, 300);
		// Each token by itself; a round without reports leaves the previous one.
		let mixed = [report(0x11, 310, 1), report(0x22, 320, 2), report(0x11, 330, 3)];
		let firsts = first_reports_of_latest_rounds(mixed.iter(), round);
		assert_eq!(firsts[&H160::repeat_byte(0x11)].rate, 1);
		assert_eq!(firsts[&H160::repeat_byte(0x22)].rate, 2);
	}

	/// The review's M-5 on the relayer's side: a release that keeps reverting is skipped after
	/// a few attempts, then retried with a growing delay.
	#[test]
	fn a_release_that_keeps_failing_is_skipped_and_retried_less_and_less_often() {
		const WAIT: u64 = 600;
		let mut state = State::default();
		for _ in 1..RELEASE_ATTEMPTS {
			assert!(!release_failed(&mut state, 7, 1_000, WAIT));
		}
		assert!(release_failed(&mut state, 7, 1_000, WAIT));
		assert_eq!(state.failed_releases[&7].retry_at, 1_000 + WAIT);
		assert!(release_failed(&mut state, 7, 1_000 + WAIT, WAIT));
		let next = state.failed_releases[&7].retry_at;
		assert_eq!(next, 1_000 + 3 * WAIT);
		for _ in 0..20 {
			release_failed(&mut state, 7, next, WAIT);
		}
		assert!(state.failed_releases[&7].retry_at <= next + MAX_RETRY_SECS);
	}
}
