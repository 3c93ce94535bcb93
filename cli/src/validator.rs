//! `kasane validator`: become a validator (session keys from the node with their proof of
//! ownership, self-bond, candidacy and keys in one `utility.batchAll`, then follow the
//! elections until elected), leave, and see where an account stands.

use crate::{
	error::BadInput,
	kasane,
	output::fields,
	restake::account_or_signer,
	units::{format_amount, format_percent, parse_amount},
	Ctx,
};
use anyhow::{anyhow, Result};
use clap::Subcommand;
use serde_json::json;
use std::time::Duration;
use subxt::utils::AccountId32;

#[derive(Subcommand)]
pub enum ValidatorCommand {
	/// Become a validator candidate: the node at --url generates session keys and their proof
	/// of ownership (`author_rotateKeysWithOwner`, an unsafe RPC: run this against your own
	/// validator node), then one batch bonds, validates and sets the keys; waits until elected.
	///
	/// Example: kasane validator join --bond 10000 --commission 5 --suri //Bob
	Join {
		/// Self-bond in KSN (at least the chain's minimum validator bond); 0 keeps the current.
		#[arg(long)]
		bond: String,
		/// Share of the pool's era rewards the validator keeps, in percent.
		#[arg(long, default_value = "5")]
		commission: String,
		/// Minutes to wait for an election that includes the account (0: do not wait).
		#[arg(long, default_value_t = 30)]
		elected_within: u64,
	},
	/// Stop being a candidate (`staking.chill`): the account leaves the set at the next
	/// election and keeps its bond and keys until it is out of the active and planned sets.
	///
	/// Example: kasane validator leave
	Leave,
	/// Where an account stands: candidate, elected for the next era, active, its pool and keys.
	///
	/// Example: kasane validator status <address>
	Status { who: Option<String> },
}

pub async fn run(ctx: &Ctx, command: ValidatorCommand) -> Result<()> {
	let chain = &ctx.chain;
	match command {
		ValidatorCommand::Join { bond, commission, elected_within } => {
			use kasane::runtime_types::{
				kasane_runtime::RuntimeCall, pallet_native_staking::pallet::Call as StakingCall,
				pallet_session::pallet::Call as SessionCall, sp_arithmetic::per_things::Perbill,
			};
			let bond = parse_amount(&bond, chain.native.decimals)?;
			let signer = ctx.signer.keypair()?;
			let who = signer.public_key().to_account_id();
			let at = chain.at_best().await?;
			let ledger = at
				.storage()
				.try_fetch(kasane::storage().staking().ledgers(), (who,))
				.await?
				.map(|v| v.decode())
				.transpose()?;
			// A validator's stake is its own pool: an account delegating elsewhere would feed
			// that pool with `bond_extra` and then be refused `validate`.
			if let Some(ledger) = &ledger {
				if ledger.pool != who {
					return Err(BadInput(format!(
						"this account delegates to {}'s pool: unbond from it first, or join from another account",
						chain.show_account(&ledger.pool)
					))
					.into());
				}
			}
			let held = standing(ctx, &who).await?.self_bond;
			let min_bond =
				chain.constant(kasane::constants().staking().min_validator_bond()).await?;
			if held + bond < min_bond {
				return Err(BadInput(format!(
					"a validator's self-bond must be at least {} {} (you would have {})",
					format_amount(min_bond, chain.native.decimals),
					chain.native.symbol,
					format_amount(held + bond, chain.native.decimals)
				))
				.into());
			}
			let max = chain.constant(kasane::constants().staking().max_commission()).await?.0;
			let parts = crate::operator::commission_within(&commission, max)?;
			// Keys generated in the node's keystore, with the proof that they belong to `who`.
			let generated: serde_json::Value = chain
				.raw_rpc("author_rotateKeysWithOwner", json!([format!("0x{}", hex::encode(who.0))]))
				.await
				.map_err(|e| anyhow!("the node at {} did not generate session keys ({e}); run this against your own validator node, whose RPC allows unsafe methods", chain.url))?;
			let hex_field = |name: &str| -> Result<Vec<u8>> {
				let text = generated[name]
					.as_str()
					.ok_or_else(|| anyhow!("the node returned no {name} for the session keys"))?;
				Ok(hex::decode(text.trim_start_matches("0x"))?)
			};
			let keys = hex_field("keys")?;
			let proof = hex_field("proof")?;
			// Aura's sr25519 key then GRANDPA's ed25519 key: SCALE-encoded `SessionKeys`.
			let session_keys = <[u8; 64]>::try_from(keys.as_slice())
				.map(|bytes| subxt::utils::Static(SessionKeyBytes(bytes)))
				.map_err(|_| {
					anyhow!("the node's session keys are {} bytes, not Kasane's 64", keys.len())
				})?;
			let mut calls = Vec::new();
			if bond > 0 {
				calls.push(RuntimeCall::Staking(if ledger.is_none() {
					StakingCall::bond { value: bond }
				} else {
					StakingCall::bond_extra { value: bond }
				}));
			}
			calls.push(RuntimeCall::Staking(StakingCall::validate { commission: Perbill(parts) }));
			calls.push(RuntimeCall::Session(SessionCall::set_keys { keys: session_keys, proof }));
			let call = kasane::transactions().utility().batch_all(calls);
			let sent = chain.submit(&call, &signer, ctx.wait, &ctx.out).await?;
			let elected = if elected_within > 0 && sent.events.is_some() {
				wait_elected(ctx, &who, Duration::from_secs(elected_within * 60)).await?
			} else {
				None
			};
			ctx.report(
				sent,
				json!({
					"validator": chain.show_account(&who),
					"bond": bond.to_string(),
					"commission": format_percent(u128::from(parts) * 1_000_000_000),
					"session_keys": format!("0x{}", hex::encode(&keys)),
					"elected_for_era": elected,
				}),
			);
		}
		ValidatorCommand::Leave => {
			let signer = ctx.signer.keypair()?;
			let call = kasane::transactions().staking().chill();
			let sent = chain.submit(&call, &signer, ctx.wait, &ctx.out).await?;
			ctx.report(
				sent,
				json!({ "validator": chain.show_account(&signer.public_key().to_account_id()) }),
			);
		}
		ValidatorCommand::Status { who } => {
			let who = account_or_signer(ctx, who)?;
			let standing = standing(ctx, &who).await?;
			ctx.out.result(
				|| {
					fields(&[
						("address", chain.show_account(&who)),
						("state", standing.describe()),
						("candidate", yes_no(standing.candidate)),
						("elected for the next era", yes_no(standing.planned)),
						("active this era", yes_no(standing.active)),
						("session keys", yes_no(standing.keys)),
						(
							"self-bond",
							format!(
								"{} {}",
								format_amount(standing.self_bond, chain.native.decimals),
								chain.native.symbol
							),
						),
						(
							"pool stake",
							format!(
								"{} {}",
								format_amount(standing.pool_stake, chain.native.decimals),
								chain.native.symbol
							),
						),
						(
							"commission",
							standing
								.commission
								.map(|c| format_percent(u128::from(c) * 1_000_000_000))
								.unwrap_or_else(|| "-".into()),
						),
						("era", standing.era.map(|e| e.to_string()).unwrap_or_else(|| "-".into())),
					])
				},
				json!({
					"address": chain.show_account(&who),
					"state": standing.state(),
					"candidate": standing.candidate,
					"planned": standing.planned,
					"active": standing.active,
					"session_keys": standing.keys,
					"self_bond": standing.self_bond.to_string(),
					"pool_stake": standing.pool_stake.to_string(),
					"commission_perbill": standing.commission,
					"era": standing.era,
					"planned_era": standing.planned_era,
				}),
			);
		}
	}
	Ok(())
}

/// The runtime's `SessionKeys` as the node's keystore returns them: the Aura sr25519 key and
/// the GRANDPA ed25519 key, 32 bytes each, SCALE-encoded without a length prefix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionKeyBytes(pub [u8; 64]);

impl subxt::ext::codec::Encode for SessionKeyBytes {
	fn size_hint(&self) -> usize {
		64
	}

	fn encode_to<W: subxt::ext::codec::Output + ?Sized>(&self, dest: &mut W) {
		dest.write(&self.0)
	}
}

impl subxt::ext::codec::Decode for SessionKeyBytes {
	fn decode<I: subxt::ext::codec::Input>(
		input: &mut I,
	) -> Result<Self, subxt::ext::codec::Error> {
		let mut bytes = [0u8; 64];
		input.read(&mut bytes)?;
		Ok(Self(bytes))
	}
}

fn yes_no(value: bool) -> String {
	if value { "yes" } else { "no" }.into()
}

/// What the chain says of one account as a validator.
struct Standing {
	candidate: bool,
	planned: bool,
	active: bool,
	keys: bool,
	self_bond: u128,
	pool_stake: u128,
	commission: Option<u32>,
	era: Option<u32>,
	planned_era: Option<u32>,
}

impl Standing {
	fn state(&self) -> &'static str {
		match (self.active, self.planned, self.candidate) {
			(true, true, _) => "validating",
			(true, false, _) => "validating until the era ends (not re-elected)",
			(false, true, _) => "elected: validates from the next era",
			(false, false, true) => "candidate: waiting for an election",
			(false, false, false) => "not a validator",
		}
	}

	fn describe(&self) -> String {
		let mut state = self.state().to_string();
		if self.candidate && !self.keys {
			state += " (no session keys: it cannot be elected)";
		}
		state
	}
}

async fn standing(ctx: &Ctx, who: &AccountId32) -> Result<Standing> {
	let at = ctx.chain.at_best().await?;
	let storage = at.storage();
	let staking = || kasane::storage().staking();
	let prefs = storage
		.try_fetch(staking().validators(), (*who,))
		.await?
		.map(|v| v.decode())
		.transpose()?;
	let planned = storage.fetch(staking().planned_validators(), ()).await?.decode()?;
	let active = storage.fetch(staking().active_validators(), ()).await?.decode()?;
	let pool =
		storage.try_fetch(staking().pools(), (*who,)).await?.map(|v| v.decode()).transpose()?;
	let keys = storage.try_fetch(kasane::storage().session().next_keys(), (*who,)).await?.is_some();
	let era =
		storage.try_fetch(staking().active_era(), ()).await?.map(|v| v.decode()).transpose()?;
	let planned_era =
		storage.try_fetch(staking().current_era(), ()).await?.map(|v| v.decode()).transpose()?;
	let self_bond = match &pool {
		Some(pool) if pool.shares > 0 => kasane_primitives::math::mul_div(
			pool.owner_shares,
			pool.active,
			pool.shares,
			sp_runtime::Rounding::Down,
		)
		.unwrap_or(0),
		_ => 0,
	};
	Ok(Standing {
		candidate: prefs.is_some(),
		planned: planned.0.iter().any(|e| e.validator == *who),
		active: active.0.iter().any(|e| e.validator == *who),
		keys,
		self_bond,
		pool_stake: pool.as_ref().map(|p| p.active).unwrap_or(0),
		commission: prefs.as_ref().map(|p| p.commission.0),
		era: era.map(|e| e.index),
		planned_era,
	})
}

/// Follows best blocks until an election includes `who`: the era it was elected for, or
/// `None` when `within` passed first.
async fn wait_elected(ctx: &Ctx, who: &AccountId32, within: Duration) -> Result<Option<u32>> {
	let deadline = std::time::Instant::now() + within;
	loop {
		let standing = standing(ctx, who).await?;
		if standing.planned || standing.active {
			ctx.out
				.progress(&format!("elected for era {}", standing.planned_era.unwrap_or_default()));
			ctx.out.progress_done();
			return Ok(standing.planned_era);
		}
		if std::time::Instant::now() > deadline {
			// The transaction did its part: report it, with no election (`elected_for_era`:
			// null), and say so on stderr.
			ctx.out.progress_done();
			eprintln!(
				"not elected within {} min: still a candidate (see `kasane validator status`); \
				 elections run at each era's end",
				within.as_secs() / 60
			);
			return Ok(None);
		}
		ctx.out.progress(&format!(
			"candidate; waiting for an election (era {})",
			standing.era.map(|e| e.to_string()).unwrap_or_else(|| "-".into())
		));
		tokio::time::sleep(Duration::from_millis(ctx.chain.block_ms)).await;
	}
}
