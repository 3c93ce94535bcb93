//! `kasane bridge prove`: mint a vault deposit by its receipt proof, without waiting for a
//! relayer to prove it.
//!
//! Proving is permissionless: whoever holds the proof may submit it, so a depositor need not
//! wait for relayers to be live. The CLI finds the deposit's `Deposited` log on Ethereum,
//! checks that its block is finalized and that Kasane trusts that block's header (a quorum of
//! attesters signed it: tier 2a), rebuilds the block's receipts trie from
//! `eth_getBlockReceipts` (checking its root against the header's) and submits
//! `LstBridge.prove_deposit`. Kasane verifies the proof against the receipts root it trusts,
//! so a wrong Ethereum node can only make the call fail, never mint anything.
//!
//! Under the beacon policies (`Beacon`, `BeaconCoSigned`) the deposit is proven under a block
//! the beacon light client finalized instead (`LstBridge.prove_deposit_beacon`), read from a
//! beacon node (`--beacon-api`) with the relayer's own beacon source: the light-client updates
//! that bring the light client to the deposit's block are submitted first, by the same
//! account, then the execution proof (with its ancestry branch) and the receipt proof. A
//! beacon node of another chain, or one serving states that are not their headers', gets the
//! command refused before anything is submitted.

use super::deposit;
use crate::{
	error::BadInput,
	kasane::{
		self,
		runtime_types::{
			kasane_primitives::bridge::{DepositStatus, HeaderStatus},
			pallet_lst_bridge::types::InboundPolicy,
		},
	},
	Ctx,
};
use anyhow::{anyhow, Context, Result};
use kasane_primitives::bridge::{beacon::BeaconReceiptProof, DepositMessage};
use kasane_relayer::{
	beacon::node::NodeSource,
	ethereum::{Ethereum, VaultEvent},
	kasane::Kasane,
};
use serde_json::json;

/// Ethereum blocks searched back from the head for a deposit's log unless told where to start:
/// about two weeks of mainnet.
const DEFAULT_SEARCH: u64 = 100_000;

/// `kasane bridge prove <nonce>`.
pub async fn run(
	ctx: &Ctx,
	nonce: u64,
	eth_rpc: Option<String>,
	block: Option<u64>,
	from_block: Option<u64>,
	beacon_api: Option<String>,
) -> Result<()> {
	let chain = &ctx.chain;
	let url = eth_rpc
		.or_else(|| std::env::var("ETH_RPC_URL").ok().filter(|u| !u.is_empty()))
		.ok_or_else(|| BadInput("give the Ethereum node: --eth-rpc <url> or ETH_RPC_URL".into()))?;
	let at = chain.at_best().await?;
	let storage = at.storage();
	let endpoint = storage
		.try_fetch(kasane::storage().lst_bridge().endpoint(), ())
		.await?
		.map(|v| v.decode())
		.transpose()?
		.ok_or_else(|| BadInput("the bridge has no Ethereum vault configured".into()))?;
	let policy = storage.fetch(kasane::storage().lst_bridge().policy(), ()).await?.decode()?;
	let beacon = matches!(policy, InboundPolicy::Beacon | InboundPolicy::BeaconCoSigned { .. });
	match (beacon, &beacon_api) {
		(true, None) => {
			return Err(BadInput(
				"this chain mints deposits only under blocks its beacon light client finalized: \
				 give the beacon node to prove under (--beacon-api <url>)"
					.into(),
			)
			.into())
		}
		(false, Some(_)) => {
			return Err(BadInput(
				"this chain mints deposits under headers its attesters sign, not under the \
				 beacon light client: drop --beacon-api"
					.into(),
			)
			.into())
		}
		_ => {}
	}
	let status = at
		.runtime_apis()
		.call(kasane::runtime_apis().lst_bridge_api().deposit_status(nonce))
		.await?;
	// Attesters who disagreed halted the nonce: under `Proven` the receipt settles it, under
	// `Attested` governance looks first (the header is vouched for by the same attesters).
	let open = match status {
		DepositStatus::Unknown | DepositStatus::Attesting { .. } => true,
		DepositStatus::Halted => matches!(policy, InboundPolicy::Proven),
		_ => false,
	};
	if !open {
		let seen = deposit::Seen {
			status,
			waiting: None,
			attested: matches!(policy, InboundPolicy::Attested),
			paused: false,
			over_cap: false,
			now: u32::try_from(at.block_number())?,
		};
		let text = deposit::outlook(nonce, &seen, |b| chain.duration(b)).text;
		return Err(BadInput(format!("deposit {nonce} cannot be proven: {text}")).into());
	}

	let eth = Ethereum::reader(&url, endpoint.vault.0)?;
	let eth_chain = eth.chain_id().await.with_context(|| format!("Ethereum node at {url}"))?;
	if eth_chain != endpoint.chain_id {
		return Err(BadInput(format!(
			"the Ethereum node at {url} serves chain {eth_chain}; the vault is on chain {}",
			endpoint.chain_id
		))
		.into());
	}
	let number = match block {
		Some(number) => number,
		None => {
			let head = eth.head().await?;
			let from = from_block.unwrap_or(head.saturating_sub(DEFAULT_SEARCH));
			eth.deposit_block(nonce, from, head).await?.ok_or_else(|| {
				BadInput(format!(
					"the vault {:?} emitted no deposit {nonce} in Ethereum blocks {from} to \
					 {head} (an older one: give --from-block or --block)",
					endpoint.vault
				))
			})?
		}
	};
	let message = eth
		.deposit_at(number, nonce)
		.await?
		.ok_or_else(|| BadInput(format!("Ethereum block {number} holds no deposit {nonce}")))?;
	let finalized = eth.finalized().await?;
	if number > finalized {
		return Err(BadInput(format!(
			"deposit {nonce} is in Ethereum block {number}, which is not finalized yet (the \
			 latest finalized is {finalized}): prove it once it is"
		))
		.into());
	}
	let header = eth.header(number).await?;
	if let Some(beacon_api) = beacon_api {
		return prove_under_beacon(ctx, &eth, &beacon_api, message, number, finalized).await;
	}
	// Read anew: the search above may have taken a while.
	let header_status = chain
		.at_best()
		.await?
		.runtime_apis()
		.call(kasane::runtime_apis().lst_bridge_api().header_status(number))
		.await?;
	match header_status {
		HeaderStatus::Trusted { hash, .. } if hash.0 == header.hash.0 => {}
		HeaderStatus::Trusted { hash, .. } => {
			return Err(anyhow!(
				"Kasane trusts another header at Ethereum block {number} ({hash:?}) than the \
				 node at {url} serves ({:?}): that node is on another chain",
				header.hash
			))
		}
		HeaderStatus::Halted => {
			return Err(BadInput(format!(
				"attesters signed conflicting headers for Ethereum block {number}: nothing is \
				 proven under it until governance clears it"
			))
			.into())
		}
		HeaderStatus::Attesting { candidates, quorum } => {
			let signed = candidates
				.iter()
				.find(|(hash, _)| hash.0 == header.hash.0)
				.map_or(0, |(_, signers)| signers.len());
			return Err(BadInput(format!(
				"Ethereum block {number}'s header is not trusted on Kasane yet: {signed} of the \
				 {quorum} attester signatures it needs"
			))
			.into());
		}
		HeaderStatus::Unknown if matches!(policy, InboundPolicy::Attested) => {
			return Err(BadInput(format!(
				"Ethereum block {number}'s header is not attested on Kasane: under this chain's \
				 policy attesters sign deposits, not headers; `kasane bridge deposit {nonce}` \
				 shows their signatures"
			))
			.into())
		}
		HeaderStatus::Unknown => {
			return Err(BadInput(format!(
				"Ethereum block {number}'s header is not attested on Kasane: attesters sign the \
				 headers of finalized blocks with vault events (or it was trusted and forgotten \
				 since)"
			))
			.into())
		}
	}
	let wanted = |e: &VaultEvent| matches!(e, VaultEvent::Deposit(d) if d.nonce == nonce);
	let proof = eth
		.proof_of(&header, wanted)
		.await?
		.ok_or_else(|| anyhow!("Ethereum block {number} holds no deposit {nonce} any more"))?;
	let bytes = proof.len_bytes();
	let call = kasane::transactions()
		.lst_bridge()
		.prove_deposit(subxt::utils::Static(message), subxt::utils::Static(proof));
	let summary = json!({
		"nonce": nonce.to_string(),
		"eth_block": number,
		"eth_block_hash": format!("{:?}", header.hash),
		"proof_bytes": bytes,
		"amount": message.amount.to_string(),
	});
	submit_proof(ctx, &call, summary).await
}

/// Submits a deposit's proof `call` and reports it: `summary` and what became of the deposit.
async fn submit_proof<Call: subxt::transactions::Payload>(
	ctx: &Ctx,
	call: &Call,
	mut summary: serde_json::Value,
) -> Result<()> {
	let chain = &ctx.chain;
	let signer = ctx.signer.keypair()?;
	let sent = chain.submit(call, &signer, ctx.wait, &ctx.out).await?;
	let minted = sent.find::<kasane::lst_bridge::events::DepositMinted>();
	// Accepted but not minted: it waits (`kasane bridge deposit`), or goes back to Ethereum.
	let waits = sent.find::<kasane::lst_bridge::events::DepositWaiting>();
	let refund = sent.find::<kasane::lst_bridge::events::DepositRefunding>();
	summary["minted"] = json!(minted.as_ref().map(|e| e.amount.to_string()));
	summary["recipient"] = json!(minted.as_ref().map(|e| chain.show_account(&e.recipient)));
	summary["waiting"] = json!(waits.map(|e| format!("{:?}", e.reason)));
	summary["refund_withdrawal"] = json!(refund.map(|e| e.withdrawal.to_string()));
	ctx.report(sent, summary);
	Ok(())
}

/// Proves deposit `message` (in Ethereum block `number`, at most `finalized`) under a block the
/// beacon light client finalized, bringing it there first (see the module docs).
async fn prove_under_beacon(
	ctx: &Ctx,
	eth: &Ethereum,
	beacon_api: &str,
	message: DepositMessage,
	number: u64,
	finalized: u64,
) -> Result<()> {
	let chain = &ctx.chain;
	let nonce = message.nonce;
	// Why the light client cannot be brought there (an update refused, say), on stderr.
	let _ = tracing_subscriber::fmt()
		.with_writer(std::io::stderr)
		.with_max_level(tracing_subscriber::filter::LevelFilter::WARN)
		.without_time()
		.with_target(false)
		.try_init();
	// The relayer's Kasane client submits the light-client updates, signed by this account.
	let kasane = Kasane::connect(&chain.url, &ctx.signer.secret()?).await?;
	let mut source = NodeSource::new(beacon_api)?;
	let execution =
		source.execution_proof(eth, &kasane, number, finalized).await?.ok_or_else(|| {
			BadInput(format!(
				"the beacon light client cannot be brought to Ethereum block {number} now: the \
				 beacon node has not finalized its beacon block yet, or the light client has \
				 moved too far past it, or an update was refused (the warnings above say which)"
			))
		})?;
	let header = eth.header(number).await?;
	let wanted = |e: &VaultEvent| matches!(e, VaultEvent::Deposit(d) if d.nonce == nonce);
	let receipt = eth
		.proof_of(&header, wanted)
		.await?
		.ok_or_else(|| anyhow!("Ethereum block {number} holds no deposit {nonce} any more"))?;
	let beacon_slot = execution.header.slot;
	let ancestry = execution.ancestry_proof.is_some();
	let proof = BeaconReceiptProof { receipt, execution };
	let bytes = proof.receipt.len_bytes().saturating_add(proof.execution_len());
	let call = kasane::transactions()
		.lst_bridge()
		.prove_deposit_beacon(subxt::utils::Static(message), subxt::utils::Static(proof));
	let summary = json!({
		"nonce": nonce.to_string(),
		"eth_block": number,
		"eth_block_hash": format!("{:?}", header.hash),
		"beacon_slot": beacon_slot,
		"ancestry_proof": ancestry,
		"proof_bytes": bytes,
		"amount": message.amount.to_string(),
	});
	submit_proof(ctx, &call, summary).await
}
