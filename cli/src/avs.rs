//! `kasane avs`: an AVS registers, creates operator sets with their slashing terms, and asks
//! for slashes of misbehaving operators, which execute after the set's veto window.

use crate::{
	error::{ensure_fits, BadInput},
	kasane,
	keys::Scheme,
	operator::{parse_set, show_set},
	output::table,
	units::{format_amount, format_percent, parse_percent},
	Ctx,
};
use anyhow::Result;
use clap::Subcommand;
use kasane_primitives::{
	avs::{self, KeyType},
	slashing::SlashStatus,
};
use serde_json::json;
use subxt::utils::Static;

#[derive(Subcommand)]
pub enum AvsCommand {
	/// Register an AVS (a deposit is held while it exists).
	///
	/// Example: kasane avs register https://oracle.example/avs.json
	Register { metadata_uri: String },
	/// Create an operator set that accepts the given assets, with its slashing terms.
	///
	/// Example: kasane avs create-set 3 --asset wstETH --asset KSN --veto-window 3600
	CreateSet {
		avs: u32,
		/// An asset the set accepts (repeat for several).
		#[arg(long = "asset", required = true)]
		assets: Vec<String>,
		#[arg(long, default_value_t = 16)]
		max_operators: u32,
		/// The scheme members sign AVS work with.
		#[arg(long, value_enum, default_value = "sr25519")]
		key_type: Scheme,
		/// Blocks a requested slash waits for a veto; 0 executes slashes at once. Default: the
		/// chain's longest (a genesis parameter: minutes on devnets, days on a real network).
		#[arg(long)]
		veto_window: Option<u32>,
		/// Most of an allocation slashable per epoch, in percent.
		#[arg(long, default_value = "20")]
		max_slash_per_epoch: String,
		/// What double-signing evidence slashes, in percent.
		#[arg(long, default_value = "10")]
		equivocation_penalty: String,
		/// Only allowlisted operators may join.
		#[arg(long)]
		allowlist: bool,
	},
	/// The marketplace: operator sets with their members, allocated stake, reward budgets,
	/// veto window and what it would take to corrupt them.
	///
	/// Example: kasane avs market --order allocated-value
	Market {
		#[arg(long, value_enum, default_value = "set-id")]
		order: Order,
		#[arg(long, default_value_t = 20)]
		limit: u32,
	},
	/// Fund an operator set's rewards: `amount` of an asset paid out `--per-era` to the
	/// stake allocated to it (the budget must cover at least one era).
	///
	/// Example: kasane avs fund 3/0 KSN 5000 --per-era 100
	Fund {
		set: String,
		asset: String,
		amount: String,
		#[arg(long)]
		per_era: String,
	},
	/// Replace an AVS's metadata URI (its owner).
	///
	/// Example: kasane avs update 3 https://oracle.example/avs-v2.json
	Update { avs: u32, metadata_uri: String },
	/// Propose a new owner for an AVS (its owner); the proposed account takes over, and holds
	/// the AVS deposit, when it accepts.
	///
	/// Example: kasane avs transfer 3 <new owner address>
	Transfer { avs: u32, new_owner: String },
	/// Accept ownership of an AVS whose owner proposed the signer.
	///
	/// Example: kasane avs accept 3
	Accept { avs: u32 },
	/// Deregister an AVS (its owner) once none of its sets can slash anyone: its sets and
	/// allowlists go, unpaid reward budgets and the deposit come back.
	///
	/// Example: kasane avs deregister 3
	Deregister { avs: u32 },
	/// Change a set's slashing terms (its AVS's owner); they apply after the chain's terms
	/// delay, so members can leave first. What is not given stays as it is (or as a change
	/// already pending has it, which this one replaces).
	///
	/// Example: kasane avs set-terms 3/0 --veto-window 600 --max-slash-per-epoch 10
	SetTerms {
		set: String,
		/// Blocks a requested slash waits for a veto; 0 executes slashes at once.
		#[arg(long)]
		veto_window: Option<u32>,
		/// Most of an allocation slashable per epoch, in percent.
		#[arg(long)]
		max_slash_per_epoch: Option<String>,
		/// What double-signing evidence slashes, in percent.
		#[arg(long)]
		equivocation_penalty: Option<String>,
	},
	/// Let an operator join an allowlisted set, or (`--remove`) take it off the list: a
	/// member stays until ejected.
	///
	/// Example: kasane avs allowlist 3/0 <operator address>
	Allowlist {
		set: String,
		operator: String,
		#[arg(long)]
		remove: bool,
	},
	/// Remove an operator from a set as if it had left: its allocations to the set wind down
	/// over the deallocation delay, slashable until then.
	///
	/// Example: kasane avs eject 3/0 <operator address>
	Eject { set: String, operator: String },
	/// Stop a set's reward budget in an asset; what is unpaid comes back to the owner.
	///
	/// Example: kasane avs cancel-rewards 3/0 KSN
	CancelRewards { set: String, asset: String },
	/// Request, veto, execute and list slashes.
	#[command(subcommand)]
	Slash(SlashCommand),
	/// Report an operator that signed two different payloads for one round of a set (anyone
	/// may): both signatures are checked here against the operator's key in the set before
	/// anything is signed; the set's equivocation penalty slashes it at once.
	///
	/// Example: kasane avs report-equivocation <operator> 3/0 --round 7 --payload-a 0x… --signature-a 0x… --payload-b 0x… --signature-b 0x…
	ReportEquivocation {
		operator: String,
		set: String,
		/// The AVS's unit of work both messages claim.
		#[arg(long)]
		round: u64,
		/// The first message's 32-byte payload hash (hex).
		#[arg(long)]
		payload_a: String,
		/// The operator's signature of the first message (hex).
		#[arg(long)]
		signature_a: String,
		#[arg(long)]
		payload_b: String,
		#[arg(long)]
		signature_b: String,
	},
}

/// AVS `avs`'s record at the best block.
async fn avs_record(
	ctx: &Ctx,
	avs: u32,
) -> Result<kasane::runtime_types::pallet_avs_registry::types::Avs<subxt::utils::AccountId32, u128>>
{
	let at = ctx.chain.at_best().await?;
	at.storage()
		.try_fetch(kasane::storage().avs_registry().avs_records(), (avs,))
		.await?
		.map(|v| v.decode())
		.transpose()?
		.ok_or_else(|| BadInput(format!("there is no AVS {avs}")).into())
}

/// Refused before signing unless the signer owns AVS `avs` (the chain would refuse it, for a
/// fee).
async fn ensure_avs_owner(ctx: &Ctx, avs: u32) -> Result<()> {
	let signer = ctx.signer.keypair()?.public_key().to_account_id();
	let owner = avs_record(ctx, avs).await?.owner;
	if owner != signer {
		return Err(BadInput(format!(
			"AVS {avs} is owned by {}, not by the signer",
			ctx.chain.show_account(&owner)
		))
		.into());
	}
	Ok(())
}

/// How the chain names `asset` as a reward asset.
fn reward_asset(
	asset: &crate::chain::Asset,
) -> kasane::runtime_types::frame_support::traits::tokens::fungible::union_of::NativeOrWithId<u32> {
	use kasane::runtime_types::frame_support::traits::tokens::fungible::union_of::NativeOrWithId;
	match asset.asset_id {
		Some(id) => NativeOrWithId::WithId(id),
		None => NativeOrWithId::Native,
	}
}

/// How `avs market` orders operator sets.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum Order {
	SetId,
	AllocatedValue,
}

#[derive(Subcommand)]
pub enum SlashCommand {
	/// Request a slash of `percent` of an operator's allocation to a set (the AVS owner or
	/// its designated slasher).
	///
	/// Example: kasane avs slash request <operator> 3/0 10 --reason ipfs://evidence
	Request {
		operator: String,
		set: String,
		percent: String,
		#[arg(long, default_value = "")]
		reason: String,
	},
	/// Veto a pending slash (the veto council: root, so the sudo key on devnets and
	/// testnets). `--forfeit-deposit` burns the requester's deposit (an abusive request).
	///
	/// Example: kasane avs slash veto 7 --suri //Alice
	Veto {
		id: u64,
		#[arg(long)]
		forfeit_deposit: bool,
	},
	/// Execute a requested slash whose veto window has passed (anyone may). The chain executes
	/// due slashes by itself at the start of a block; this is the fallback when that is behind.
	///
	/// Example: kasane avs slash execute 7
	Execute { id: u64 },
	/// Slashes under an operator set, newest first.
	///
	/// Example: kasane avs slash list 3/0
	List {
		set: String,
		#[arg(long, default_value_t = 20)]
		limit: u32,
	},
}

/// A 32-byte hash in hex.
fn parse_hash(what: &str, text: &str) -> Result<[u8; 32], BadInput> {
	let bad = || BadInput(format!("{what} `{text}`: write 0x and 64 hex digits"));
	let bytes = hex::decode(text.trim().trim_start_matches("0x")).map_err(|_| bad())?;
	<[u8; 32]>::try_from(bytes).map_err(|_| bad())
}

/// A signature in hex, of the scheme the operator's key uses.
fn parse_signature(
	name: &str,
	key_type: KeyType,
	text: &str,
) -> Result<avs::OperatorSignature, BadInput> {
	use sp_core::{ecdsa, ed25519, sr25519};
	let bytes = hex::decode(text.trim().trim_start_matches("0x"))
		.map_err(|_| BadInput(format!("--signature-{} is not hex", name.to_lowercase())))?;
	let wrong = |len: usize| {
		BadInput(format!(
			"--signature-{} is {} bytes; a {key_type:?} signature is {len}",
			name.to_lowercase(),
			bytes.len()
		))
	};
	Ok(match key_type {
		KeyType::Sr25519 => avs::OperatorSignature::Sr25519(sr25519::Signature::from_raw(
			bytes.as_slice().try_into().map_err(|_| wrong(64))?,
		)),
		KeyType::Ed25519 => avs::OperatorSignature::Ed25519(ed25519::Signature::from_raw(
			bytes.as_slice().try_into().map_err(|_| wrong(64))?,
		)),
		KeyType::Ecdsa => avs::OperatorSignature::Ecdsa(ecdsa::Signature::from_raw(
			bytes.as_slice().try_into().map_err(|_| wrong(65))?,
		)),
	})
}

pub async fn run(ctx: &Ctx, command: AvsCommand) -> Result<()> {
	let chain = &ctx.chain;
	match command {
		AvsCommand::Register { metadata_uri } => {
			let max_len =
				chain.constant(kasane::constants().avs_registry().max_metadata_len()).await?;
			ensure_fits("the metadata URI", &metadata_uri, max_len)?;
			let signer = ctx.signer.keypair()?;
			let call =
				kasane::transactions().avs_registry().register_avs(metadata_uri.into_bytes());
			let sent = chain.submit(&call, &signer, ctx.wait, &ctx.out).await?;
			let registered = sent.find::<kasane::avs_registry::events::AvsRegistered>();
			ctx.report(
				sent,
				json!({
					"avs": registered.as_ref().map(|r| r.avs),
					"deposit": registered.as_ref().map(|r| r.deposit.to_string()),
				}),
			);
		}
		AvsCommand::CreateSet {
			avs,
			assets,
			max_operators,
			key_type,
			veto_window,
			max_slash_per_epoch,
			equivocation_penalty,
			allowlist,
		} => {
			let mut strategies = Vec::new();
			for name in &assets {
				let strategy = chain.asset(name).await?.strategy;
				if strategies.iter().any(|(s, _)| *s == strategy) {
					return Err(BadInput(format!("--asset {name} is given twice")).into());
				}
				strategies.push((strategy, 0u128));
			}
			let max_window =
				chain.constant(kasane::constants().avs_registry().max_veto_window()).await?;
			let veto_window = veto_window.unwrap_or(max_window);
			if veto_window > max_window {
				return Err(BadInput(format!(
					"--veto-window {veto_window} is over the chain's maximum of {max_window} blocks ({})",
					chain.duration(max_window)
				))
				.into());
			}
			let max_operators_allowed =
				chain.constant(kasane::constants().avs_registry().max_operators_per_set()).await?;
			if max_operators == 0 || max_operators > max_operators_allowed {
				return Err(BadInput(format!(
					"--max-operators must be from 1 to {max_operators_allowed}"
				))
				.into());
			}
			use kasane::runtime_types::kasane_primitives::{avs, restaking};
			let terms = avs::SlashingTerms {
				mode: if veto_window == 0 {
					avs::SlashExecution::Instant
				} else {
					avs::SlashExecution::Veto { window: veto_window }
				},
				max_slash_per_epoch: parse_percent(&max_slash_per_epoch)?,
				slashed_funds: restaking::SlashDestination::Burn,
				equivocation_penalty: parse_percent(&equivocation_penalty)?,
			};
			let key_type = match key_type {
				Scheme::Sr25519 => KeyType::Sr25519,
				Scheme::Ed25519 => KeyType::Ed25519,
				Scheme::Ecdsa => KeyType::Ecdsa,
			};
			let config = kasane::runtime_types::pallet_avs_registry::types::OperatorSetConfig {
				strategies: kasane::runtime_types::bounded_collections::bounded_vec::BoundedVec(
					strategies,
				),
				max_operators,
				key_type: Static(key_type),
				allowlist,
				terms,
			};
			let signer = ctx.signer.keypair()?;
			let call = kasane::transactions().avs_registry().create_operator_set(avs, config);
			let sent = chain.submit(&call, &signer, ctx.wait, &ctx.out).await?;
			let set = sent.find::<kasane::avs_registry::events::OperatorSetCreated>();
			ctx.report(sent, json!({ "set": set.map(|s| show_set(&s.set)) }));
		}
		AvsCommand::Update { avs, metadata_uri } => {
			ensure_avs_owner(ctx, avs).await?;
			let max_len =
				chain.constant(kasane::constants().avs_registry().max_metadata_len()).await?;
			ensure_fits("the metadata URI", &metadata_uri, max_len)?;
			let call = kasane::transactions()
				.avs_registry()
				.update_avs_metadata(avs, metadata_uri.clone().into_bytes());
			let sent = chain.submit(&call, &ctx.signer.keypair()?, ctx.wait, &ctx.out).await?;
			ctx.report(sent, json!({ "avs": avs, "metadata_uri": metadata_uri }));
		}
		AvsCommand::Transfer { avs, new_owner } => {
			let new_owner = chain.parse_account(&new_owner)?;
			ensure_avs_owner(ctx, avs).await?;
			if new_owner == ctx.signer.keypair()?.public_key().to_account_id() {
				return Err(BadInput(format!("the signer owns AVS {avs} already")).into());
			}
			let call = kasane::transactions().avs_registry().transfer_avs_ownership(avs, new_owner);
			let sent = chain.submit(&call, &ctx.signer.keypair()?, ctx.wait, &ctx.out).await?;
			ctx.report(
				sent,
				json!({ "avs": avs, "proposed_owner": chain.show_account(&new_owner) }),
			);
		}
		AvsCommand::Accept { avs } => {
			let signer = ctx.signer.keypair()?.public_key().to_account_id();
			if avs_record(ctx, avs).await?.pending_owner != Some(signer) {
				return Err(BadInput(format!(
					"AVS {avs}'s owner has not proposed the signer as its next owner"
				))
				.into());
			}
			let call = kasane::transactions().avs_registry().accept_avs_ownership(avs);
			let sent = chain.submit(&call, &ctx.signer.keypair()?, ctx.wait, &ctx.out).await?;
			ctx.report(sent, json!({ "avs": avs }));
		}
		AvsCommand::Deregister { avs } => {
			ensure_avs_owner(ctx, avs).await?;
			let call = kasane::transactions().avs_registry().deregister_avs(avs);
			let sent = chain.submit(&call, &ctx.signer.keypair()?, ctx.wait, &ctx.out).await?;
			ctx.report(sent, json!({ "avs": avs }));
		}
		AvsCommand::SetTerms { set, veto_window, max_slash_per_epoch, equivocation_penalty } => {
			use kasane::runtime_types::kasane_primitives::avs::SlashExecution;
			if veto_window.is_none()
				&& max_slash_per_epoch.is_none()
				&& equivocation_penalty.is_none()
			{
				return Err(BadInput(
					"nothing to change: give --veto-window, --max-slash-per-epoch or \
					 --equivocation-penalty"
						.into(),
				)
				.into());
			}
			let set = parse_set(&set)?;
			ensure_avs_owner(ctx, set.avs).await?;
			let record = chain
				.at_best()
				.await?
				.storage()
				.try_fetch(kasane::storage().avs_registry().operator_sets(), (Static(set),))
				.await?
				.map(|v| v.decode())
				.transpose()?
				.ok_or_else(|| BadInput(format!("there is no operator set {}", show_set(&set))))?;
			let mut terms = match record.pending_terms {
				Some((pending, _)) => pending,
				None => record.config.terms,
			};
			if let Some(window) = veto_window {
				let max_window =
					chain.constant(kasane::constants().avs_registry().max_veto_window()).await?;
				if window > max_window {
					return Err(BadInput(format!(
						"--veto-window {window} is over the chain's maximum of {max_window} blocks ({})",
						chain.duration(max_window)
					))
					.into());
				}
				terms.mode = if window == 0 {
					SlashExecution::Instant
				} else {
					SlashExecution::Veto { window }
				};
			}
			if let Some(percent) = &max_slash_per_epoch {
				terms.max_slash_per_epoch = parse_percent(percent)?;
			}
			if let Some(percent) = &equivocation_penalty {
				terms.equivocation_penalty = parse_percent(percent)?;
			}
			let min_penalty = chain
				.constant(kasane::constants().avs_registry().min_equivocation_penalty())
				.await?;
			// Zero leaves equivocation unslashed; any other penalty is worth the evidence.
			if terms.equivocation_penalty != 0 && terms.equivocation_penalty < min_penalty {
				return Err(BadInput(format!(
					"the equivocation penalty is 0 or at least {} on this chain",
					format_percent(min_penalty)
				))
				.into());
			}
			let veto_window = match terms.mode {
				SlashExecution::Veto { window } => window,
				SlashExecution::Instant => 0,
			};
			let summary = json!({
				"set": show_set(&set),
				"veto_window": veto_window,
				"max_slash_per_epoch": format_percent(terms.max_slash_per_epoch),
				"equivocation_penalty": format_percent(terms.equivocation_penalty),
			});
			let call =
				kasane::transactions().avs_registry().update_slashing_terms(Static(set), terms);
			let sent = chain.submit(&call, &ctx.signer.keypair()?, ctx.wait, &ctx.out).await?;
			let effective_at = sent
				.find::<kasane::avs_registry::events::SlashingTermsScheduled>()
				.map(|e| e.effective_at);
			let mut summary = summary;
			summary["effective_at"] = json!(effective_at);
			ctx.report(sent, summary);
		}
		AvsCommand::Allowlist { set, operator, remove } => {
			let set = parse_set(&set)?;
			ensure_avs_owner(ctx, set.avs).await?;
			let operator = chain.parse_account(&operator)?;
			let call =
				kasane::transactions().avs_registry().set_allowlist(Static(set), operator, !remove);
			let sent = chain.submit(&call, &ctx.signer.keypair()?, ctx.wait, &ctx.out).await?;
			ctx.report(
				sent,
				json!({ "set": show_set(&set), "operator": chain.show_account(&operator), "allowed": !remove }),
			);
		}
		AvsCommand::Eject { set, operator } => {
			let set = parse_set(&set)?;
			ensure_avs_owner(ctx, set.avs).await?;
			let operator = chain.parse_account(&operator)?;
			let call = kasane::transactions().avs_registry().eject_operator(Static(set), operator);
			let sent = chain.submit(&call, &ctx.signer.keypair()?, ctx.wait, &ctx.out).await?;
			ctx.report(
				sent,
				json!({ "set": show_set(&set), "operator": chain.show_account(&operator) }),
			);
		}
		AvsCommand::CancelRewards { set, asset } => {
			let set = parse_set(&set)?;
			ensure_avs_owner(ctx, set.avs).await?;
			let asset = chain.asset(&asset).await?;
			let call = kasane::transactions()
				.avs_registry()
				.cancel_rewards(Static(set), reward_asset(&asset));
			let sent = chain.submit(&call, &ctx.signer.keypair()?, ctx.wait, &ctx.out).await?;
			ctx.report(sent, json!({ "set": show_set(&set), "asset": asset.symbol }));
		}
		AvsCommand::Market { order, limit } => market(ctx, order, limit).await?,
		AvsCommand::Slash(SlashCommand::Request { operator, set, percent, reason }) => {
			let operator = chain.parse_account(&operator)?;
			let set = parse_set(&set)?;
			let fraction = parse_percent(&percent)?;
			if fraction == 0 {
				return Err(BadInput("a slash must take more than 0%".into()).into());
			}
			ensure_fits("--reason", &reason, kasane_primitives::slashing::MAX_REASON_LEN)?;
			let signer = ctx.signer.keypair()?;
			let call = kasane::transactions().slashing().request_slash(
				operator,
				Static(set),
				fraction,
				kasane::runtime_types::bounded_collections::bounded_vec::BoundedVec(
					reason.into_bytes(),
				),
			);
			let sent = chain.submit(&call, &signer, ctx.wait, &ctx.out).await?;
			let requested = sent.find::<kasane::slashing::events::SlashRequested>();
			if let (Some(r), false) = (&requested, ctx.out.json) {
				let now = chain.best_number().await?;
				eprintln!(
					"slash {} executes at block #{} (in {}) unless vetoed",
					r.id,
					r.executes_at,
					chain.duration(r.executes_at.saturating_sub(now))
				);
			}
			ctx.report(
				sent,
				json!({
					"id": requested.as_ref().map(|r| r.id.to_string()),
					"executes_at": requested.as_ref().map(|r| r.executes_at),
				}),
			);
		}
		AvsCommand::Fund { set, asset, amount, per_era } => {
			let set = parse_set(&set)?;
			let asset = chain.asset(&asset).await?;
			let total = crate::units::parse_amount(&amount, asset.decimals)?;
			let per_era = crate::units::parse_amount(&per_era, asset.decimals)?;
			if per_era == 0 || total < per_era {
				return Err(BadInput(format!(
					"--per-era must be more than zero and at most the amount ({})",
					asset.show(total)
				))
				.into());
			}
			let signer = ctx.signer.keypair()?;
			let call = kasane::transactions().avs_registry().fund_rewards(
				Static(set),
				reward_asset(&asset),
				total,
				per_era,
			);
			let sent = chain.submit(&call, &signer, ctx.wait, &ctx.out).await?;
			ctx.report(
				sent,
				json!({
					"set": show_set(&set),
					"asset": asset.symbol,
					"amount": total.to_string(),
					"per_era": per_era.to_string(),
					"eras": (total / per_era).to_string(),
				}),
			);
		}
		AvsCommand::Slash(SlashCommand::Veto { id, forfeit_deposit }) => {
			use kasane::runtime_types::{
				kasane_runtime::RuntimeCall, pallet_slashing::pallet::Call as SlashingCall,
			};
			let signer = ctx.signer.keypair()?;
			let call = kasane::transactions()
				.sudo()
				.sudo(RuntimeCall::Slashing(SlashingCall::veto_slash { id, forfeit_deposit }));
			let sent = chain.submit(&call, &signer, ctx.wait, &ctx.out).await?;
			chain.ensure_sudo_succeeded(&sent).await?;
			ctx.report(sent, json!({ "id": id.to_string(), "forfeit_deposit": forfeit_deposit }));
		}
		AvsCommand::ReportEquivocation {
			operator,
			set,
			round,
			payload_a,
			signature_a,
			payload_b,
			signature_b,
		} => {
			use kasane::runtime_types::kasane_primitives::avs::AvsMessage as ChainMessage;
			let operator = chain.parse_account(&operator)?;
			let set = parse_set(&set)?;
			let hash_a = parse_hash("--payload-a", &payload_a)?;
			let hash_b = parse_hash("--payload-b", &payload_b)?;
			if hash_a == hash_b {
				return Err(BadInput(
					"the two payloads are the same: one message signed twice is not an equivocation"
						.into(),
				)
				.into());
			}
			let at = chain.at_best().await?;
			let member = at
				.storage()
				.try_fetch(kasane::storage().avs_registry().members(), (Static(set), operator))
				.await?
				.map(|v| v.decode())
				.transpose()?
				.ok_or_else(|| {
					BadInput(format!(
						"{} is not a member of operator set {}",
						chain.show_account(&operator),
						show_set(&set)
					))
				})?;
			let key = member.key.0;
			let genesis = avs::signing_genesis(chain.api.genesis_hash().as_ref());
			let mut evidence = Vec::new();
			for (name, hash, signature) in
				[("A", hash_a, &signature_a), ("B", hash_b, &signature_b)]
			{
				let message = avs::AvsMessage { set, round, payload_hash: hash };
				let signature = parse_signature(name, key.key_type(), signature)?;
				if !key.verify(&message.signing_payload(&genesis), &signature) {
					return Err(BadInput(format!(
						"signature {name} is not the operator's key's signature of message {name} \
						 (set {}, round {round}) on this chain",
						show_set(&set)
					))
					.into());
				}
				evidence.push((
					ChainMessage { set: Static(set), round, payload_hash: hash },
					signature,
				));
			}
			let (b, a) = (evidence.pop().expect("two"), evidence.pop().expect("two"));
			let signer = ctx.signer.keypair()?;
			let call = kasane::transactions().slashing().report_equivocation(
				Static(set),
				operator,
				a.0,
				Static(a.1),
				b.0,
				Static(b.1),
			);
			let sent = chain.submit(&call, &signer, ctx.wait, &ctx.out).await?;
			let reported = sent
				.find::<kasane::slashing::events::EquivocationReported>()
				.map(|e| e.id.to_string());
			ctx.report(
				sent,
				json!({ "operator": chain.show_account(&operator), "set": show_set(&set), "round": round, "slash": reported }),
			);
		}
		AvsCommand::Slash(SlashCommand::Execute { id }) => {
			let signer = ctx.signer.keypair()?;
			let call = kasane::transactions().slashing().execute_slash(id);
			let sent = chain.submit(&call, &signer, ctx.wait, &ctx.out).await?;
			ctx.report(sent, json!({ "id": id.to_string() }));
		}
		AvsCommand::Slash(SlashCommand::List { set, limit }) => {
			let set = parse_set(&set)?;
			let at = chain.at_best().await?;
			let records = at
				.runtime_apis()
				.call(kasane::runtime_apis().slashing_api().set_slashes(Static(set), limit))
				.await?;
			let now = chain.best_number().await?;
			let assets = chain.assets().await?;
			let mut rows = Vec::new();
			let mut items = Vec::new();
			for record in records.iter() {
				let status = match record.status {
					SlashStatus::Pending => {
						format!(
							"pending, executes in {}",
							chain.duration(record.executes_at.saturating_sub(now))
						)
					}
					other => format!("{other:?}").to_lowercase(),
				};
				let taken: Vec<String> = record
					.amounts
					.iter()
					.map(|a| match a.strategy {
						Some(s) => crate::restake::asset_of(&assets, s).show(a.amount),
						None => format!(
							"{} {}",
							format_amount(a.amount, chain.native.decimals),
							chain.native.symbol
						),
					})
					.collect();
				rows.push(vec![
					record.id.to_string(),
					chain.show_account(&record.operator),
					format_percent(record.fraction),
					status,
					taken.join(", "),
				]);
				items.push(json!({
					"id": record.id.to_string(),
					"operator": chain.show_account(&record.operator),
					"fraction": record.fraction.to_string(),
					"status": format!("{:?}", record.status),
					"requested_at": record.requested_at,
					"executes_at": record.executes_at,
					"amounts": record.amounts.iter().map(|a| json!({
						"strategy": a.strategy,
						"native": a.native,
						"amount": a.amount.to_string(),
					})).collect::<Vec<_>>(),
				}));
			}
			ctx.out.result(
				|| {
					if rows.is_empty() {
						format!("no slashes under {}", show_set(&set))
					} else {
						table(&["ID", "OPERATOR", "FRACTION", "STATUS", "TAKEN"], &rows)
					}
				},
				json!({ "set": show_set(&set), "slashes": items }),
			);
		}
	}
	Ok(())
}

async fn market(ctx: &Ctx, order: Order, limit: u32) -> Result<()> {
	use kasane::runtime_types::{
		frame_support::traits::tokens::fungible::union_of::NativeOrWithId,
		kasane_primitives::avs::{MarketOrder, SlashExecution},
	};
	let chain = &ctx.chain;
	let order = match order {
		Order::SetId => MarketOrder::SetId,
		Order::AllocatedValue => MarketOrder::AllocatedValue,
	};
	let at = chain.at_best().await?;
	let sets = at
		.runtime_apis()
		.call(kasane::runtime_apis().avs_api().operator_sets(order, 0, limit))
		.await?;
	let assets = chain.assets().await?;
	let mut rows = Vec::new();
	let mut items = Vec::new();
	for view in &sets {
		let set = *view.set;
		let security =
			at.runtime_apis().call(kasane::runtime_apis().avs_api().security(Static(set))).await?;
		let budgets: Vec<String> = view
			.budgets
			.iter()
			.map(|b| match b.asset {
				NativeOrWithId::Native => chain.native.show(b.per_era),
				NativeOrWithId::WithId(id) => {
					match assets.iter().find(|a| a.asset_id == Some(id)) {
						Some(asset) => asset.show(b.per_era),
						None => format!("{} of asset {id}", b.per_era),
					}
				}
			})
			.collect();
		let window = match view.terms.mode {
			SlashExecution::Instant => "instant".to_string(),
			SlashExecution::Veto { window } => chain.duration(window),
		};
		let (native, lst, third) = match &security {
			Some(s) => (
				s.native_ksn,
				s.lst_eth,
				Some((s.to_control_third.native_ksn, s.to_control_third.lst_eth)),
			),
			None => (0, 0, None),
		};
		let ksn = |v: u128| chain.native.show(v);
		let eth = |v: u128| format!("{} ETH", format_amount(v, 18));
		rows.push(vec![
			show_set(&set),
			format!("{}/{}", view.members, view.max_operators),
			format!("{} + {}", ksn(native), eth(lst)),
			if budgets.is_empty() { "-".into() } else { budgets.join(", ") + " /era" },
			window,
			third.map(|(k, l)| format!("{} + {}", ksn(k), eth(l))).unwrap_or_else(|| "-".into()),
		]);
		items.push(json!({
			"set": show_set(&set),
			"metadata_uri": String::from_utf8_lossy(&view.metadata_uri),
			"members": view.members,
			"max_operators": view.max_operators,
			"strategies": view.strategies.iter().map(|(s, min)| json!({ "strategy": s, "min_stake": min.to_string() })).collect::<Vec<_>>(),
			"allocated_native_ksn": native.to_string(),
			"allocated_lst_eth": lst.to_string(),
			"budgets": view.budgets.iter().map(|b| json!({
				"asset": match b.asset { NativeOrWithId::Native => None, NativeOrWithId::WithId(id) => Some(id) },
				"per_era": b.per_era.to_string(),
				"remaining": b.remaining.to_string(),
				"rate_per_unit": b.rate_per_unit.to_string(),
			})).collect::<Vec<_>>(),
			"veto_window": match view.terms.mode { SlashExecution::Instant => None, SlashExecution::Veto { window } => Some(window) },
			"to_control_third": third.map(|(k, l)| json!({ "native_ksn": k.to_string(), "lst_eth": l.to_string() })),
		}));
	}
	ctx.out.result(
		|| {
			if rows.is_empty() {
				"no operator sets yet".into()
			} else {
				table(
					&["SET", "MEMBERS", "ALLOCATED", "REWARDS", "VETO WINDOW", "TO CONTROL 1/3"],
					&rows,
				)
			}
		},
		json!({ "sets": items }),
	);
	Ok(())
}
